/* ow-handover-panel.c — hand over an applicant's ready results: which, to whom, the slip
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The applicant's ready results are listed, all chosen; the clerk types the number on each
 * result if it has one, says who collects, and hands over: the collector is checked against
 * every chosen case first (a mismatch records nothing), then each hand-over is kept with its
 * event in the outbox (OwSync) and one pick-up slip covers them all.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-mask.h"
#include "gui/pickup/ow-collector-form.h"
#include "gui/pickup/ow-handover-panel.h"
#include "gui/pickup/ow-pickup-text.h"
#include "gui/printing/ow-counter-document.h"
#include "net/ow-json.h"

typedef struct
{
  OwCase          *kase;
  OwCaseEventKind  decision;
  char            *result;       /* in Chinese, for the event and the slip */
  GtkCheckButton  *check;
  AdwEntryRow     *number_row;
} Line;

struct _OwHandoverPanel
{
  AdwBin parent_instance;

  /* template */
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkListBox *cases_list;
  OwCollectorForm *collector_form;
  GtkLabel *problem_label;
  GtkSpinner *spinner;
  GtkButton *hand_over_button;

  OwContext *context;
  GPtrArray *lines;             /* Line */
  char *problem;

  /* The hand-over under way: the events of the chosen lines, sent one by one. */
  gboolean busy;
  GPtrArray *pending;           /* Line *, borrowed from lines, of those still to record */
  GPtrArray *handed;            /* Line *, those recorded */
  OwCollector *collector;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OwHandoverPanel, ow_handover_panel, ADW_TYPE_BIN)

enum { HANDED_OVER, N_SIGNALS };
static guint signals[N_SIGNALS];

static void submit_next (OwHandoverPanel *self);

static void
line_free (Line *line)
{
  g_clear_object (&line->kase);
  g_free (line->result);
  g_free (line);
}

static void
show_problem (OwHandoverPanel *self,
              const char      *message)
{
  g_free (self->problem);
  self->problem = g_strdup (message);
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

static void
set_busy (OwHandoverPanel *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.hand-over", !busy);
}

static void
add_toast (OwHandoverPanel *self,
           const char      *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static void
clear_lines (OwHandoverPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cases_list))) != NULL)
    gtk_list_box_remove (self->cases_list, child);
  g_ptr_array_set_size (self->lines, 0);
}

static void
add_line (OwHandoverPanel   *self,
          OwStorePickupCase *pickup)
{
  OwCatalog *catalog = self->context != NULL ? ow_context_get_catalog (self->context) : NULL;
  Line *line = g_new0 (Line, 1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (pickup->kase));
  g_autofree char *items = ow_pickup_describe_items (pickup->kase);
  g_autofree char *wait = ow_pickup_describe_wait (pickup->ready_at, g_get_real_time ());
  g_autofree char *check_name = NULL;
  g_autofree char *number_name = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(GString) subtitle = g_string_new (formatted);

  line->kase = g_object_ref (pickup->kase);
  line->decision = pickup->decision;
  line->result = ow_pickup_describe_result (pickup, catalog);

  g_string_append_printf (subtitle, " · %s", line->result);
  if (wait != NULL)
    g_string_append_printf (subtitle, " · %s", wait);
  if (pickup->decision == OW_CASE_EVENT_NOT_APPROVED)
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, _("Not approved: hand over the decision document and explain "
                                   "the applicant's right to review and to sue"));
    }
  if (ow_case_get_delivery (pickup->kase) == OW_DELIVERY_POST)
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, _("The applicant asked for it by post; hand it over only if "
                                   "they prefer to take it now"));
    }

  escaped = g_markup_escape_text (items, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  g_clear_pointer (&escaped, g_free);
  escaped = g_markup_escape_text (subtitle->str, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               ow_case_get_delivery (pickup->kase) != OW_DELIVERY_POST);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  /* Translators: %s is a case number */
  check_name = g_strdup_printf (_("Hand over case %s"), formatted);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  check_name, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_list_box_append (self->cases_list, row);
  line->check = GTK_CHECK_BUTTON (check);

  line->number_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line->number_row),
                                 pickup->decision == OW_CASE_EVENT_NOT_APPROVED
                                   ? _("Number of the decision document (optional)")
                                   : _("Number on the result, such as the licence number "
                                       "(optional)"));
  /* Translators: %s is a case number */
  number_name = g_strdup_printf (_("Number on the result of case %s"), formatted);
  gtk_accessible_update_property (GTK_ACCESSIBLE (line->number_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, number_name, -1);
  gtk_list_box_append (self->cases_list, GTK_WIDGET (line->number_row));

  g_ptr_array_add (self->lines, line);
}

/* ---------------------------------------------------------------------------------------- */
/* The slip */

static void
slip_printed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OwHandoverPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ow_counter_document_print_finish (OW_COUNTER_DOCUMENT (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s says what went wrong with the printer */
      g_autofree char *message = g_strdup_printf (_("The pick-up slip did not print: %s. It "
                                                    "waits in Print Jobs to be printed again."),
                                                  error->message);
      add_toast (self, message);
    }
}

static void
slip_rendered_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OwHandoverPanel) self = user_data;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;

  pdf = ow_counter_document_render_finish (OW_COUNTER_DOCUMENT (source), result, &error);
  if (pdf == NULL)
    {
      /* Translators: %s says why */
      g_autofree char *message = g_strdup_printf (_("The pick-up slip could not be drawn: %s"),
                                                  error->message);
      add_toast (self, message);
      return;
    }
  ow_counter_document_print_async (OW_COUNTER_DOCUMENT (source), NULL, NULL, slip_printed_cb,
                                   g_object_ref (self));
}

static void
print_slip (OwHandoverPanel *self)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new ();
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(OwCounterDocument) document = NULL;
  OwDocumentPickup pickup;

  for (guint i = 0; i < self->handed->len; i++)
    {
      Line *line = g_ptr_array_index (self->handed, i);
      const char *number = gtk_editable_get_text (GTK_EDITABLE (line->number_row));

      g_ptr_array_add (cases, line->kase);
      g_ptr_array_add (results, *number != '\0' ? g_strdup_printf ("%s（%s）", line->result,
                                                                   number)
                                                : g_strdup (line->result));
    }
  ow_document_pickup_init (&pickup);
  pickup.cases = cases;
  pickup.results = results;
  pickup.agent = self->collector->kind == OW_COLLECTOR_AGENT;
  pickup.collector_name = self->collector->name;
  pickup.collector_id = self->collector->id_number;
  pickup.collector_phone = self->collector->phone;
  document = ow_counter_document_new_pickup (self->context, &pickup);
  ow_counter_document_render_async (document, NULL, slip_rendered_cb, g_object_ref (self));
}

/* ---------------------------------------------------------------------------------------- */
/* Recording */

static void
finish_hand_over (OwHandoverPanel *self)
{
  g_autoptr(GStrvBuilder) numbers = g_strv_builder_new ();
  g_auto(GStrv) case_nos = NULL;

  set_busy (self, FALSE);
  if (self->handed->len > 0)
    print_slip (self);
  for (guint i = 0; i < self->handed->len; i++)
    g_strv_builder_add (numbers,
                        ow_case_get_case_no (((Line *) g_ptr_array_index (self->handed, i))->kase));
  case_nos = g_strv_builder_end (numbers);
  if (self->handed->len > 0)
    g_signal_emit (self, signals[HANDED_OVER], 0, case_nos);
}

static void
event_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OwHandoverPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  Line *line = g_ptr_array_steal_index (self->pending, 0);

  if (!ow_sync_submit_case_event_finish (OW_SYNC (source), result, &error))
    {
      g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (line->kase));
      g_autofree char *message = NULL;

      if (self->handed->len == 0)
        /* Translators: a case number, then why */
        message = g_strdup_printf (_("Case %s could not be handed over: %s. Nothing was "
                                     "recorded."), formatted, error->message);
      else
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Case %s could not be handed over: %s. The "
                                                "%u case before it was.",
                                                "Case %s could not be handed over: %s. The "
                                                "%u cases before it were.",
                                                self->handed->len),
                                   formatted, error->message, self->handed->len);
      show_problem (self, message);
      g_ptr_array_set_size (self->pending, 0);
      finish_hand_over (self);
      return;
    }
  g_ptr_array_add (self->handed, line);
  submit_next (self);
}

static void
submit_next (OwHandoverPanel *self)
{
  g_autoptr(OwJsonCaseEvent) event = NULL;
  const OwUser *user = ow_context_get_user (self->context);
  const char *number;
  Line *line;

  if (self->pending->len == 0)
    {
      finish_hand_over (self);
      return;
    }
  line = g_ptr_array_index (self->pending, 0);
  number = gtk_editable_get_text (GTK_EDITABLE (line->number_row));

  event = g_new0 (OwJsonCaseEvent, 1);
  event->id = g_uuid_string_random ();
  event->kind = OW_CASE_EVENT_HANDED_OVER;
  event->at = g_date_time_new_now_utc ();
  g_date_clear (&event->promised_date, 1);
  event->collector = ow_collector_copy (self->collector);
  event->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_handover_result_free);
  g_ptr_array_add (event->results,
                   ow_handover_result_new (line->result, *number != '\0' ? number : NULL));
  ow_sync_submit_case_event_async (ow_context_get_sync (self->context),
                                   ow_case_get_case_no (line->kase), event,
                                   user != NULL ? user->username : NULL, NULL, event_saved_cb,
                                   g_object_ref (self));
}

static void
hand_over_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ow_handover_panel_hand_over (OW_HANDOVER_PANEL (widget));
}

static void
collector_changed_cb (OwHandoverPanel *self)
{
  show_problem (self, NULL);
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_handover_panel_dispose (GObject *object)
{
  OwHandoverPanel *self = OW_HANDOVER_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_HANDOVER_PANEL);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_handover_panel_parent_class)->dispose (object);
}

static void
ow_handover_panel_finalize (GObject *object)
{
  OwHandoverPanel *self = OW_HANDOVER_PANEL (object);

  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->handed);
  g_ptr_array_unref (self->lines);
  g_clear_pointer (&self->collector, ow_collector_free);
  g_free (self->problem);

  G_OBJECT_CLASS (ow_handover_panel_parent_class)->finalize (object);
}

static void
ow_handover_panel_class_init (OwHandoverPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_handover_panel_dispose;
  object_class->finalize = ow_handover_panel_finalize;

  /**
   * OwHandoverPanel::handed-over:
   * @case_nos: (array zero-terminated=1): the cases handed over
   *
   * Their hand-overs are kept and on their way to the platform; the slip is printing.
   */
  signals[HANDED_OVER] = g_signal_new ("handed-over", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_STRV);

  g_type_ensure (OW_TYPE_COLLECTOR_FORM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/pickup/"
                                               "ow-handover-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, OwHandoverPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, OwHandoverPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, OwHandoverPanel, cases_list);
  gtk_widget_class_bind_template_child (widget_class, OwHandoverPanel, collector_form);
  gtk_widget_class_bind_template_child (widget_class, OwHandoverPanel, problem_label);
  gtk_widget_class_bind_template_child (widget_class, OwHandoverPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, OwHandoverPanel, hand_over_button);
  gtk_widget_class_bind_template_callback (widget_class, collector_changed_cb);

  gtk_widget_class_install_action (widget_class, "handover.hand-over", NULL,
                                   hand_over_activated);
}

static void
ow_handover_panel_init (OwHandoverPanel *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  self->pending = g_ptr_array_new ();
  self->handed = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---------------------------------------------------------------------------------------- */

GtkWidget *
ow_handover_panel_new (void)
{
  return g_object_new (OW_TYPE_HANDOVER_PANEL, NULL);
}

void
ow_handover_panel_set_context (OwHandoverPanel *self,
                               OwContext       *context)
{
  g_return_if_fail (OW_IS_HANDOVER_PANEL (self));

  g_set_object (&self->context, context);
  ow_collector_form_set_context (self->collector_form, context);
}

void
ow_handover_panel_show (OwHandoverPanel *self,
                        GPtrArray       *cases,
                        const char      *first)
{
  const OwApplicant *applicant = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (OW_IS_HANDOVER_PANEL (self));
  g_return_if_fail (cases != NULL && cases->len > 0);

  clear_lines (self);
  show_problem (self, NULL);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < cases->len; i++)
      {
        OwStorePickupCase *pickup = g_ptr_array_index (cases, i);
        gboolean is_first = g_strcmp0 (ow_case_get_case_no (pickup->kase), first) == 0;

        if ((pass == 0) == is_first)
          add_line (self, pickup);
      }

  applicant = ow_case_get_applicant (((OwStorePickupCase *) g_ptr_array_index (cases, 0))->kase);
  masked = ow_mask_id (NULL, applicant != NULL ? applicant->id_number : NULL);
  gtk_label_set_text (self->title_label, applicant != NULL ? applicant->name : "");
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s · %u result ready for pick-up",
                                           "%s · %u results ready for pick-up", cases->len),
                              masked != NULL ? masked : "", cases->len);
  gtk_label_set_text (self->subtitle_label, subtitle);
  ow_collector_form_reset (self->collector_form, applicant);
  set_busy (self, FALSE);
}

void
ow_handover_panel_hand_over (OwHandoverPanel *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OW_IS_HANDOVER_PANEL (self));

  if (self->busy || self->context == NULL || self->lines->len == 0)
    return;
  show_problem (self, NULL);
  g_clear_pointer (&self->collector, ow_collector_free);
  self->collector = ow_collector_form_dup_collector (self->collector_form, &error);
  if (self->collector == NULL)
    {
      /* The form says it under the field, which has the focus: once is enough. */
      g_free (self->problem);
      self->problem = g_strdup (error->message);
      return;
    }

  g_ptr_array_set_size (self->pending, 0);
  g_ptr_array_set_size (self->handed, 0);
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);

      if (gtk_check_button_get_active (line->check))
        g_ptr_array_add (self->pending, line);
    }
  if (self->pending->len == 0)
    {
      show_problem (self, _("Choose at least one result to hand over."));
      return;
    }
  /* Everyone checked before anything is kept: a wrong ID records nothing at all. */
  for (guint i = 0; i < self->pending->len; i++)
    {
      Line *line = g_ptr_array_index (self->pending, i);

      if (!ow_collector_check_case (self->collector, line->kase, NULL, &error))
        {
          show_problem (self, error->message);
          ow_collector_form_focus (self->collector_form);
          g_ptr_array_set_size (self->pending, 0);
          return;
        }
    }
  set_busy (self, TRUE);
  submit_next (self);
}

gboolean
ow_handover_panel_is_busy (OwHandoverPanel *self)
{
  g_return_val_if_fail (OW_IS_HANDOVER_PANEL (self), FALSE);
  return self->busy;
}

const char *
ow_handover_panel_get_problem (OwHandoverPanel *self)
{
  g_return_val_if_fail (OW_IS_HANDOVER_PANEL (self), NULL);
  return self->problem;
}

void
ow_handover_panel_focus (OwHandoverPanel *self)
{
  g_return_if_fail (OW_IS_HANDOVER_PANEL (self));
  ow_collector_form_focus (self->collector_form);
}
