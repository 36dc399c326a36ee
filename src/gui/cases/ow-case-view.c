/* ow-case-view.c — one case as the platform holds it, read-only: details, materials, timeline
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "core/ow-mask.h"
#include "gui/cases/ow-case-view.h"
#include "net/ow-json.h"

struct _OwCaseView
{
  AdwBin parent_instance;

  GtkStack *stack;  /* the bin's child */
  /* template */
  GtkSpinner *spinner;
  AdwStatusPage *error_page;
  GtkLabel *title_label;
  GtkLabel *state_label;
  GtkListBox *details_list;
  GtkWidget *materials_heading;
  GtkListBox *materials_list;
  GtkStack *timeline_stack;
  GtkListBox *events_list;
  GtkLabel *timeline_label;

  OwContext *context;
  GCancellable *cancellable;  /* the case being fetched; cancelled by the next and in dispose */
  char *case_no;
  gboolean loaded;
};

G_DEFINE_FINAL_TYPE (OwCaseView, ow_case_view, ADW_TYPE_BIN)

static void load_events (OwCaseView *self);

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_subtitle = subtitle != NULL ? g_markup_escape_text (subtitle, -1)
                                                       : NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  if (escaped_subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_list_box_append (list, row);
}

/* A time in the hall's zone, whatever the PC is set to: what the notices print. */
static char *
format_hall_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return NULL;
  local = g_date_time_to_timezone (when, ow_hall_time_zone ());
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
format_date (const GDate *date)
{
  char text[16];

  if (date == NULL || !g_date_valid (date))
    return NULL;
  g_date_strftime (text, sizeof text, "%Y-%m-%d", date);
  return g_strdup (text);
}

static char *
describe_person (const OwApplicant *person)
{
  /* The screen shows no more of an ID number than the applicant's copy does. */
  g_autofree char *id = ow_mask_id (NULL, person->id_number);

  if (person->contact_name != NULL && *person->contact_name != '\0')
    /* Translators: an organisation, its masked credit code, and the person who came */
    return g_strdup_printf (_("%s · %s · in person: %s"), person->name, id, person->contact_name);
  /* Translators: a name and a masked ID number */
  return g_strdup_printf (_("%s · %s"), person->name, id);
}

static char *
describe_material (const OwCaseMaterial *material)
{
  GString *text = g_string_new (ow_material_status_to_label (material->status));
  g_autofree char *due = format_date (&material->due_date);

  if (material->status == OW_MATERIAL_STATUS_SCANNED && material->files != NULL)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages",
                                                 material->files->len), material->files->len);
    }
  if (material->licence_no != NULL)
    {
      g_string_append (text, " · ");
      /* Translators: %s is an electronic licence's number */
      g_string_append_printf (text, _("licence %s"), material->licence_no);
    }
  if (due != NULL)
    {
      g_string_append (text, " · ");
      /* Translators: %s is a date */
      g_string_append_printf (text, _("due %s"), due);
    }
  if (material->note != NULL && *material->note != '\0')
    g_string_append_printf (text, " · %s", material->note);
  return g_string_free (text, FALSE);
}

static void
fill_case (OwCaseView *self,
           OwCase     *kase)
{
  GPtrArray *items = ow_case_get_items (kase);
  GPtrArray *materials = ow_case_get_materials (kase);
  const OwApplicant *agent = ow_case_get_agent (kase);
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  g_autofree char *received = format_hall_time (ow_case_get_received_at (kase));
  g_autofree char *promised = format_date (ow_case_get_promised_date (kase));
  g_autofree char *applicant = describe_person (ow_case_get_applicant (kase));

  number = ow_case_number_format (ow_case_get_case_no (kase));
  /* Translators: %s is a case number (办件编号) */
  title = g_strdup_printf (_("Case %s"), number);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->state_label, ow_case_state_to_label (ow_case_get_state (kase)));

  clear_list (self->details_list);
  for (guint i = 0; i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);

      add_row (self->details_list, item->name, item->department);
    }
  add_row (self->details_list, _("Applicant"), applicant);
  if (agent != NULL)
    {
      g_autofree char *text = describe_person (agent);

      add_row (self->details_list, _("Agent"), text);
    }
  if (received != NULL)
    add_row (self->details_list, _("Received"), received);
  if (promised != NULL)
    add_row (self->details_list, _("Promised by"), promised);
  if (ow_case_get_document_no (kase) != NULL)
    add_row (self->details_list, _("Notice number"), ow_case_get_document_no (kase));
  add_row (self->details_list, _("Result"),
           ow_case_get_delivery (kase) == OW_DELIVERY_POST ? _("Sent by post")
                                                           : _("Collected at the pick-up window"));
  if (ow_case_get_refusal_reason (kase) != NULL)
    add_row (self->details_list, _("Reason for refusal"), ow_case_get_refusal_reason (kase));

  clear_list (self->materials_list);
  for (guint i = 0; i < materials->len; i++)
    {
      const OwCaseMaterial *material = g_ptr_array_index (materials, i);
      g_autofree char *text = describe_material (material);

      add_row (self->materials_list, material->name, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->materials_list), materials->len > 0);
  gtk_widget_set_visible (self->materials_heading, materials->len > 0);
  gtk_stack_set_visible_child_name (self->stack, "case");
}

static void
show_timeline_message (OwCaseView *self,
                       const char *message)
{
  gtk_label_set_text (self->timeline_label, message);
  gtk_stack_set_visible_child_name (self->timeline_stack, "message");
}

static void
events_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OwCaseView *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = ow_client_get_case_events_finish (OW_CLIENT (source), result,
                                                                  &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OW_CASE_VIEW (user_data);
  self->loaded = TRUE;
  if (events == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The timeline cannot be read now: %s"),
                                                  error->message);

      show_timeline_message (self, message);
      return;
    }
  if (events->len == 0)
    {
      show_timeline_message (self, _("Nothing has happened to the case since it was received."));
      return;
    }

  clear_list (self->events_list);
  for (guint i = 0; i < events->len; i++)
    {
      const OwJsonCaseEvent *event = g_ptr_array_index (events, i);
      g_autofree char *when = format_hall_time (event->at);
      GString *subtitle = g_string_new (when);

      if (event->waybill != NULL)
        {
          g_string_append (subtitle, " · ");
          /* Translators: %s is a postal waybill number */
          g_string_append_printf (subtitle, _("waybill %s"), event->waybill);
        }
      if (event->note != NULL && *event->note != '\0')
        g_string_append_printf (subtitle, " · %s", event->note);
      add_row (self->events_list, ow_case_event_kind_to_label (event->kind), subtitle->str);
      g_string_free (subtitle, TRUE);
    }
  gtk_stack_set_visible_child_name (self->timeline_stack, "events");
}

static void
load_events (OwCaseView *self)
{
  show_timeline_message (self, _("Reading the timeline…"));
  ow_client_get_case_events_async (ow_context_get_client (self->context), self->case_no,
                                   self->cancellable, events_loaded_cb, self);
}

static void
case_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OwCaseView *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = ow_client_get_case_finish (OW_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OW_CASE_VIEW (user_data);
  gtk_spinner_stop (self->spinner);
  if (kase == NULL)
    {
      self->loaded = TRUE;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  fill_case (self, kase);
  load_events (self);
}

static void
start (OwCaseView *self,
       const char *case_no)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_free (self->case_no);
  self->case_no = g_strdup (case_no);
  self->loaded = FALSE;
  if (case_no != NULL)
    self->cancellable = g_cancellable_new ();
}

static void
retry_clicked_cb (OwCaseView *self)
{
  g_autofree char *case_no = g_strdup (self->case_no);

  if (case_no != NULL)
    ow_case_view_show (self, case_no);
}

static void
ow_case_view_dispose (GObject *object)
{
  OwCaseView *self = OW_CASE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_CASE_VIEW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->case_no, g_free);

  G_OBJECT_CLASS (ow_case_view_parent_class)->dispose (object);
}

static void
ow_case_view_class_init (OwCaseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_case_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/cases/"
                                               "ow-case-view.ui");
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, spinner);
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, error_page);
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, title_label);
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, state_label);
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, details_list);
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, materials_heading);
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, materials_list);
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, timeline_stack);
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, events_list);
  gtk_widget_class_bind_template_child (widget_class, OwCaseView, timeline_label);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
}

static void
ow_case_view_init (OwCaseView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bin's own child, not bound: disposing the template would unparent it under the bin. */
  self->stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
ow_case_view_new (void)
{
  return g_object_new (OW_TYPE_CASE_VIEW, NULL);
}

void
ow_case_view_set_context (OwCaseView *self,
                          OwContext  *context)
{
  g_return_if_fail (OW_IS_CASE_VIEW (self));

  start (self, NULL);
  g_set_object (&self->context, context);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
ow_case_view_show_case (OwCaseView *self,
                        OwCase     *kase)
{
  g_return_if_fail (OW_IS_CASE_VIEW (self));
  g_return_if_fail (kase == NULL || OW_IS_CASE (kase));

  start (self, kase != NULL ? ow_case_get_case_no (kase) : NULL);
  if (kase == NULL || self->context == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  fill_case (self, kase);
  load_events (self);
}

void
ow_case_view_show (OwCaseView *self,
                   const char *case_no)
{
  g_return_if_fail (OW_IS_CASE_VIEW (self));
  g_return_if_fail (case_no != NULL);

  start (self, case_no);
  if (self->context == NULL)
    return;
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  ow_client_get_case_async (ow_context_get_client (self->context), case_no, self->cancellable,
                            case_loaded_cb, self);
}

const char *
ow_case_view_get_case_no (OwCaseView *self)
{
  g_return_val_if_fail (OW_IS_CASE_VIEW (self), NULL);
  return self->case_no;
}

gboolean
ow_case_view_is_loaded (OwCaseView *self)
{
  g_return_val_if_fail (OW_IS_CASE_VIEW (self), FALSE);
  return self->loaded;
}
