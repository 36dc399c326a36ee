/* ow-mail-panel.c — a result by post (邮寄送达): the address, the carrier and waybill, the delivery
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The address is the one taken at intake. The carriers are the hall's ("carriers" setting, the
 * same lines the platform's --carriers reads); the waybill is checked as the platform checks it
 * (ow_carrier_check_waybill()) before anything is kept, and goes with the carrier's id in the
 * mailed event. The delivery, once the carrier confirms it, is the case's last step.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-waybill.h"
#include "gui/pickup/ow-mail-panel.h"
#include "gui/pickup/ow-pickup-text.h"
#include "net/ow-json.h"

struct _OwMailPanel
{
  AdwBin parent_instance;

  /* template */
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  AdwActionRow *recipient_row;
  AdwActionRow *phone_row;
  AdwActionRow *address_row;
  AdwActionRow *result_row;
  GtkWidget *waybill_list;
  AdwComboRow *carrier_row;
  AdwEntryRow *waybill_row;
  GtkWidget *mailed_list;
  AdwActionRow *mailed_row;
  GtkLabel *problem_label;
  GtkSpinner *spinner;
  GtkButton *confirm_button;

  OwContext *context;
  GPtrArray *carriers;      /* OwCarrier, as the settings had them when shown */
  OwCase *kase;
  char *result;
  gboolean mailed;          /* the case is mailed: the delivery is what is confirmed */
  gboolean busy;
  char *problem;
};

G_DEFINE_FINAL_TYPE (OwMailPanel, ow_mail_panel, ADW_TYPE_BIN)

enum { RECORDED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_problem (OwMailPanel *self,
              const char  *message)
{
  g_free (self->problem);
  self->problem = g_strdup (message);
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

static void
set_busy (OwMailPanel *self,
          gboolean     busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.confirm", !busy && self->kase != NULL);
}

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL && *text != '\0' ? text : "—",
                                                   -1);

  adw_action_row_set_subtitle (row, escaped);
}

/* The hall's carriers from the settings; a broken entry is left out and said once in the log,
 * so that one typo does not stop the window from mailing anything. */
static void
load_carriers (OwMailPanel *self)
{
  g_auto(GStrv) lines = g_settings_get_strv (ow_context_get_settings (self->context),
                                             "carriers");
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->carriers, g_ptr_array_unref);
  self->carriers = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_carrier_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      OwCarrier *carrier = ow_carrier_parse (lines[i], &error);

      if (carrier == NULL)
        {
          g_warning ("The carrier setting “%s” is left out: %s", lines[i], error->message);
          continue;
        }
      gtk_string_list_append (names, carrier->name);
      g_ptr_array_add (self->carriers, carrier);
    }
  adw_combo_row_set_model (self->carrier_row, G_LIST_MODEL (names));
}

static void
field_changed_cb (OwMailPanel *self)
{
  show_problem (self, NULL);
}

static void
waybill_activated_cb (OwMailPanel *self)
{
  /* A scanner types the waybill and Enter: that is the clerk's "record". */
  ow_mail_panel_confirm (self);
}

static void
event_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OwMailPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay;

  set_busy (self, FALSE);
  if (!ow_sync_submit_case_event_finish (OW_SYNC (source), result, &error))
    {
      /* Translators: %s says why */
      g_autofree char *message = g_strdup_printf (_("Nothing was recorded: %s"), error->message);

      show_problem (self, message);
      return;
    }
  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    {
      g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (self->kase));
      g_autofree char *message = g_strdup_printf (self->mailed
                                                    /* Translators: %s is a case number */
                                                    ? _("Case %s delivered")
                                                    : _("Case %s mailed; it is on today's "
                                                        "hand-over list for the courier"),
                                                  formatted);

      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
    }
  g_signal_emit (self, signals[RECORDED], 0, ow_case_get_case_no (self->kase));
}

static void
confirm_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ow_mail_panel_confirm (OW_MAIL_PANEL (widget));
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_mail_panel_dispose (GObject *object)
{
  OwMailPanel *self = OW_MAIL_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_MAIL_PANEL);
  g_clear_object (&self->context);
  g_clear_object (&self->kase);

  G_OBJECT_CLASS (ow_mail_panel_parent_class)->dispose (object);
}

static void
ow_mail_panel_finalize (GObject *object)
{
  OwMailPanel *self = OW_MAIL_PANEL (object);

  g_clear_pointer (&self->carriers, g_ptr_array_unref);
  g_free (self->result);
  g_free (self->problem);

  G_OBJECT_CLASS (ow_mail_panel_parent_class)->finalize (object);
}

static void
ow_mail_panel_class_init (OwMailPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_mail_panel_dispose;
  object_class->finalize = ow_mail_panel_finalize;

  /**
   * OwMailPanel::recorded:
   * @case_no: the case mailed or delivered
   *
   * The step is kept and on its way to the platform.
   */
  signals[RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/pickup/"
                                               "ow-mail-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, phone_row);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, address_row);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, result_row);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, waybill_list);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, carrier_row);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, waybill_row);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, mailed_list);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, mailed_row);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, problem_label);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, OwMailPanel, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, waybill_activated_cb);

  gtk_widget_class_install_action (widget_class, "mail.confirm", NULL, confirm_activated);
}

static void
ow_mail_panel_init (OwMailPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.confirm", FALSE);
}

/* ---------------------------------------------------------------------------------------- */

GtkWidget *
ow_mail_panel_new (void)
{
  return g_object_new (OW_TYPE_MAIL_PANEL, NULL);
}

void
ow_mail_panel_set_context (OwMailPanel *self,
                           OwContext   *context)
{
  g_return_if_fail (OW_IS_MAIL_PANEL (self));
  g_set_object (&self->context, context);
}

void
ow_mail_panel_show (OwMailPanel       *self,
                    OwStorePickupCase *pickup)
{
  const OwApplicant *applicant;
  g_autofree char *formatted = NULL;
  g_autofree char *items = NULL;
  g_autofree char *subtitle = NULL;
  OwCaseState state;

  g_return_if_fail (OW_IS_MAIL_PANEL (self));
  g_return_if_fail (pickup != NULL && self->context != NULL);

  g_set_object (&self->kase, pickup->kase);
  state = ow_case_get_state (pickup->kase);
  self->mailed = state == OW_CASE_STATE_MAILED;
  g_free (self->result);
  self->result = ow_pickup_describe_result (pickup, ow_context_get_catalog (self->context));
  applicant = ow_case_get_applicant (pickup->kase);
  formatted = ow_case_number_format (ow_case_get_case_no (pickup->kase));
  items = ow_pickup_describe_items (pickup->kase);

  gtk_label_set_text (self->title_label, self->mailed ? _("Mailed: Confirm the Delivery")
                                                      : _("To Mail"));
  subtitle = g_strdup_printf ("%s · %s · %s", applicant != NULL ? applicant->name : "",
                              formatted, items);
  gtk_label_set_text (self->subtitle_label, subtitle);
  set_subtitle (self->recipient_row, ow_case_get_post_recipient (pickup->kase));
  /* The clerk writes the label from the screen, so the number shows whole here. */
  set_subtitle (self->phone_row, ow_case_get_post_phone (pickup->kase));
  set_subtitle (self->address_row, ow_case_get_post_address (pickup->kase));
  set_subtitle (self->result_row, self->result);

  gtk_widget_set_visible (self->waybill_list, !self->mailed);
  gtk_widget_set_visible (self->mailed_list, self->mailed);
  if (self->mailed)
    {
      const OwCarrier *carrier = NULL;
      g_autofree char *text = NULL;

      load_carriers (self);
      carrier = ow_carriers_find (self->carriers, pickup->carrier);
      /* Translators: a carrier, then a waybill number */
      text = g_strdup_printf (_("%s, waybill %s"),
                              carrier != NULL ? carrier->name
                                              : pickup->carrier != NULL ? pickup->carrier : "—",
                              pickup->waybill != NULL ? pickup->waybill : "—");
      set_subtitle (self->mailed_row, text);
      gtk_button_set_label (self->confirm_button, _("Confirm _Delivery"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->confirm_button),
                                   _("The carrier confirmed the applicant received it "
                                     "(Ctrl+Enter)"));
    }
  else
    {
      load_carriers (self);
      gtk_editable_set_text (GTK_EDITABLE (self->waybill_row), "");
      gtk_button_set_label (self->confirm_button, _("Record _Mailing"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->confirm_button),
                                   _("Record the carrier and waybill of the envelope "
                                     "(Ctrl+Enter)"));
    }
  show_problem (self, NULL);
  set_busy (self, FALSE);
}

void
ow_mail_panel_confirm (OwMailPanel *self)
{
  g_autoptr(OwJsonCaseEvent) event = NULL;
  const OwUser *user;

  g_return_if_fail (OW_IS_MAIL_PANEL (self));

  if (self->busy || self->kase == NULL || self->context == NULL)
    return;
  show_problem (self, NULL);

  event = g_new0 (OwJsonCaseEvent, 1);
  event->id = g_uuid_string_random ();
  event->at = g_date_time_new_now_utc ();
  g_date_clear (&event->promised_date, 1);
  if (self->mailed)
    event->kind = OW_CASE_EVENT_DELIVERED;
  else
    {
      guint selected = adw_combo_row_get_selected (self->carrier_row);
      const OwCarrier *carrier = selected < self->carriers->len
                                   ? g_ptr_array_index (self->carriers, selected) : NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *waybill = NULL;

      if (carrier == NULL)
        {
          show_problem (self, _("No carrier is set up: the hall's administrator lists them in "
                                "the “carriers” setting."));
          return;
        }
      if (!ow_carrier_check_waybill (carrier,
                                     gtk_editable_get_text (GTK_EDITABLE (self->waybill_row)),
                                     &waybill, &error))
        {
          show_problem (self, error->message);
          gtk_widget_grab_focus (GTK_WIDGET (self->waybill_row));
          return;
        }
      event->kind = OW_CASE_EVENT_MAILED;
      event->carrier = g_strdup (carrier->id);
      event->waybill = g_steal_pointer (&waybill);
      event->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_handover_result_free);
      g_ptr_array_add (event->results, ow_handover_result_new (self->result, NULL));
    }

  user = ow_context_get_user (self->context);
  set_busy (self, TRUE);
  ow_sync_submit_case_event_async (ow_context_get_sync (self->context),
                                   ow_case_get_case_no (self->kase), event,
                                   user != NULL ? user->username : NULL, NULL, event_saved_cb,
                                   g_object_ref (self));
}

gboolean
ow_mail_panel_is_busy (OwMailPanel *self)
{
  g_return_val_if_fail (OW_IS_MAIL_PANEL (self), FALSE);
  return self->busy;
}

const char *
ow_mail_panel_get_problem (OwMailPanel *self)
{
  g_return_val_if_fail (OW_IS_MAIL_PANEL (self), NULL);
  return self->problem;
}

void
ow_mail_panel_focus (OwMailPanel *self)
{
  g_return_if_fail (OW_IS_MAIL_PANEL (self));

  if (self->mailed)
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_button));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->waybill_row));
}
