/* ow-ticket-dialog.c — registering unfinished business (未办成事) and printing its receipt
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "core/ow-validate.h"
#include "gui/tickets/ow-ticket-dialog.h"
#include "gui/tickets/ow-ticket-receipt.h"
#include "gui/tickets/ow-ticket-view.h"

struct _OwTicketDialog
{
  AdwWindow parent_instance;

  /* template */
  GtkEntry *name_entry;
  GtkEntry *phone_entry;
  GtkLabel *phone_error;
  GtkDropDown *channel_dropdown;
  GtkDropDown *item_dropdown;
  GtkEntry *case_entry;
  GtkLabel *case_error;
  GtkTextView *summary_view;
  GtkDropDown *category_dropdown;
  GtkDropDown *tier_dropdown;
  GtkLabel *due_label;
  GtkLabel *reason_label;
  GtkSpinner *spinner;

  OwContext *context;
  GCancellable *cancellable;
  GPtrArray *item_ids;      /* parallel to the item dropdown's rows; "" for "not known" */
  char *reason;
  gboolean registering;
  gboolean confirmed_discard;
};

G_DEFINE_FINAL_TYPE (OwTicketDialog, ow_ticket_dialog, ADW_TYPE_WINDOW)

static const char *channels[] = { "hall", "online", "phone" };
static const OwTicketTier tiers[] = {
  OW_TICKET_TIER_ON_THE_SPOT, OW_TICKET_TIER_5_DAYS, OW_TICKET_TIER_10_DAYS
};

static char *
dup_summary (OwTicketDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->summary_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (g_steal_pointer (&text));
}

static OwTicketTier
selected_tier (OwTicketDialog *self)
{
  guint i = gtk_drop_down_get_selected (self->tier_dropdown);
  return tiers[MIN (i, G_N_ELEMENTS (tiers) - 1)];
}

static void
show_field_error (GtkWidget    *entry,
                  GtkLabel     *label,
                  const GError *error)
{
  if (error != NULL)
    {
      gtk_widget_add_css_class (entry, "error");
      gtk_label_set_text (label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (entry, "error");
      gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
set_reason (OwTicketDialog *self,
            const char     *reason)
{
  g_free (self->reason);
  self->reason = g_strdup (reason);
  gtk_label_set_text (self->reason_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.register",
                                 reason == NULL && !self->registering);
}

/* Checks the form; shows each field's problem under it and the first one beside Register. */
static void
update_register (OwTicketDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  const char *phone = gtk_editable_get_text (GTK_EDITABLE (self->phone_entry));
  const char *case_no = gtk_editable_get_text (GTK_EDITABLE (self->case_entry));
  g_autofree char *summary = dup_summary (self);
  g_autofree char *trimmed_name = g_strstrip (g_strdup (name));
  g_autoptr(GError) phone_error = NULL;
  g_autoptr(GError) case_error = NULL;
  const char *reason = NULL;

  if (*phone != '\0')
    ow_validate_mobile (phone, NULL, &phone_error);
  show_field_error (GTK_WIDGET (self->phone_entry), self->phone_error, phone_error);

  if (*case_no != '\0')
    {
      g_autofree char *canonical = ow_case_number_normalize (case_no);
      ow_case_number_parse (canonical != NULL ? canonical : case_no, NULL, &case_error);
    }
  show_field_error (GTK_WIDGET (self->case_entry), self->case_error, case_error);

  if (self->context == NULL || ow_context_get_user (self->context) == NULL)
    reason = _("Log in to register unfinished business.");
  else if (*trimmed_name == '\0')
    reason = _("Enter the applicant’s name.");
  else if (*phone == '\0')
    reason = _("Enter a mobile number the applicant can be called back on.");
  else if (phone_error != NULL)
    reason = _("The mobile number is not valid.");
  else if (case_error != NULL)
    reason = _("The case number is not valid; leave it empty if there is none.");
  else if (*summary == '\0')
    reason = _("Describe what could not be done.");
  set_reason (self, reason);
}

static void
field_changed_cb (OwTicketDialog *self)
{
  update_register (self);
}

static void
update_due_date (OwTicketDialog *self)
{
  OwCalendar *calendar = self->context != NULL ? ow_context_get_calendar (self->context) : NULL;
  GDate today, due;
  gboolean provisional = FALSE;
  char text[64];
  g_autofree char *label = NULL;

  if (calendar == NULL)
    {
      gtk_label_set_text (self->due_label, "");
      return;
    }
  g_date_clear (&due, 1);
  ow_ticket_hall_date (NULL, &today);
  ow_ticket_compute_due_date (calendar, &today, selected_tier (self), &due, &provisional);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &due);
  /* Translators: %s is a date */
  label = provisional ? g_strdup_printf (_("Reply due by %s (provisional: the holiday schedule "
                                           "is not published yet)"), text)
                      : g_strdup_printf (_("Reply due by %s"), text);
  gtk_label_set_text (self->due_label, label);
}

static void
tier_changed_cb (OwTicketDialog *self)
{
  update_due_date (self);
}

static void
summary_changed_cb (GtkTextBuffer  *buffer,
                    OwTicketDialog *self)
{
  update_register (self);
}

static gboolean
has_work (OwTicketDialog *self)
{
  g_autofree char *summary = dup_summary (self);

  return *gtk_editable_get_text (GTK_EDITABLE (self->name_entry)) != '\0'
         || *gtk_editable_get_text (GTK_EDITABLE (self->phone_entry)) != '\0'
         || *gtk_editable_get_text (GTK_EDITABLE (self->case_entry)) != '\0'
         || *summary != '\0';
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     OwTicketDialog   *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  self->confirmed_discard = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* What the clerk typed is not thrown away without asking. */
static gboolean
ow_ticket_dialog_close_request (GtkWindow *window)
{
  OwTicketDialog *self = OW_TICKET_DIALOG (window);
  GtkWidget *dialog;

  if (self->registering)
    return TRUE;
  if (self->confirmed_discard || !has_work (self))
    return GTK_WINDOW_CLASS (ow_ticket_dialog_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("Discard This Registration?"),
                                   _("What was entered will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static char *
new_ticket_id (void)
{
  g_autoptr(GDateTime) now = ow_hall_now ();
  g_autofree char *day = g_date_time_format (now, "%Y%m%d");
  g_autofree char *uuid = g_uuid_string_random ();

  /* Short enough to read out on the phone, random enough for every counter to choose alone. */
  uuid[8] = '\0';
  return g_strdup_printf ("WB%s-%s", day, g_ascii_strup (uuid, -1));
}

typedef struct
{
  OwTicketDialog *self;
  OwTicket *ticket;
  char *item_name;
} RegisterData;

static void
register_data_free (RegisterData *data)
{
  g_object_unref (data->self);
  ow_ticket_free (data->ticket);
  g_free (data->item_name);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegisterData, register_data_free)

static void
ticket_submitted_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RegisterData) data = user_data;
  OwTicketDialog *self = data->self;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;

  if (!ow_sync_submit_ticket_finish (OW_SYNC (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->registering = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The ticket was not saved: %s. Nothing was "
                                                    "lost from the form; try again."),
                                                  error->message);
      update_register (self);
      set_reason (self, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->reason_label), "error");
      return;
    }

  /* Saved with its PUT in the outbox: the receipt prints while the clerk goes on. */
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  ow_ticket_receipt_print (self->context, data->ticket, data->item_name,
                           parent != NULL ? GTK_WIDGET (parent) : NULL);
  self->confirmed_discard = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
register_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OwTicketDialog *self = OW_TICKET_DIALOG (widget);
  const OwUser *user = ow_context_get_user (self->context);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = new_ticket_id ();
  g_autofree char *summary = dup_summary (self);
  g_autofree char *phone = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->name_entry))));
  const char *case_text = gtk_editable_get_text (GTK_EDITABLE (self->case_entry));
  guint channel = gtk_drop_down_get_selected (self->channel_dropdown);
  guint item = gtk_drop_down_get_selected (self->item_dropdown);
  guint category_index = gtk_drop_down_get_selected (self->category_dropdown);
  OwCalendar *calendar = ow_context_get_calendar (self->context);
  RegisterData *data;
  OwTicket *ticket;

  update_register (self);
  if (self->reason != NULL || self->registering || user == NULL)
    return;

  ow_validate_mobile (gtk_editable_get_text (GTK_EDITABLE (self->phone_entry)), &phone, NULL);
  ticket = ow_ticket_new (id, now, selected_tier (self), summary);
  ticket->contact_name = g_steal_pointer (&name);
  ticket->contact_phone = g_steal_pointer (&phone);
  if (*case_text != '\0')
    ticket->case_no = ow_case_number_normalize (case_text);
  ticket->channel = g_strdup (channels[MIN (channel, G_N_ELEMENTS (channels) - 1)]);
  if (item != GTK_INVALID_LIST_POSITION && item < self->item_ids->len
      && *(char *) g_ptr_array_index (self->item_ids, item) != '\0')
    ticket->item_id = g_strdup (g_ptr_array_index (self->item_ids, item));
  /* The code, not the label: one category reads the same in every clerk's language. */
  if (category_index != GTK_INVALID_LIST_POSITION && category_index < OW_TICKET_N_CATEGORIES)
    ticket->category = g_strdup (ow_ticket_category_to_string (category_index + 1));
  /* The platform computes the same date; the receipt needs it before the platform answers. */
  if (calendar != NULL)
    {
      GDate today;

      ow_ticket_hall_date (now, &today);
      ow_ticket_compute_due_date (calendar, &today, ticket->tier, &ticket->due_date, NULL);
    }

  data = g_new0 (RegisterData, 1);
  data->self = g_object_ref (self);
  data->ticket = ticket;
  if (ticket->item_id != NULL && ow_context_get_catalog (self->context) != NULL)
    {
      data->item_name = g_strdup (ow_catalog_get_item_name (ow_context_get_catalog (self->context),
                                                            ticket->item_id));
    }

  self->registering = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_widget_action_set_enabled (widget, "ticket.register", FALSE);
  ow_sync_submit_ticket_async (ow_context_get_sync (self->context), ticket, user->username,
                               self->cancellable, ticket_submitted_cb, data);
}

static void
fill_items (OwTicketDialog *self)
{
  OwCatalog *catalog = ow_context_get_catalog (self->context);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GListModel *items;

  g_ptr_array_set_size (self->item_ids, 0);
  gtk_string_list_append (names, _("Not known / none"));
  g_ptr_array_add (self->item_ids, g_strdup (""));
  items = catalog != NULL ? ow_catalog_get_items (catalog) : NULL;
  for (guint i = 0; items != NULL && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OwItem) item = ow_catalog_dup_item_at (catalog, i);

      gtk_string_list_append (names, ow_item_get_name (item));
      g_ptr_array_add (self->item_ids, g_strdup (ow_item_get_id (item)));
    }
  gtk_drop_down_set_model (self->item_dropdown, G_LIST_MODEL (names));
}

static void
ow_ticket_dialog_dispose (GObject *object)
{
  OwTicketDialog *self = OW_TICKET_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_TICKET_DIALOG);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->item_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (ow_ticket_dialog_parent_class)->dispose (object);
}

static void
ow_ticket_dialog_finalize (GObject *object)
{
  OwTicketDialog *self = OW_TICKET_DIALOG (object);

  g_free (self->reason);

  G_OBJECT_CLASS (ow_ticket_dialog_parent_class)->finalize (object);
}

static void
ow_ticket_dialog_class_init (OwTicketDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ow_ticket_dialog_dispose;
  object_class->finalize = ow_ticket_dialog_finalize;
  window_class->close_request = ow_ticket_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/tickets/"
                                               "ow-ticket-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, phone_error);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, item_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, case_entry);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, case_error);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, summary_view);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, tier_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, due_label);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, OwTicketDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tier_changed_cb);

  gtk_widget_class_install_action (widget_class, "ticket.register", NULL, register_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "ticket.register", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "ticket.register", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ow_ticket_dialog_init (OwTicketDialog *self)
{
  g_autoptr(GtkExpression) expression = NULL;

  self->cancellable = g_cancellable_new ();
  self->item_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  {
    g_autoptr(GtkStringList) categories = gtk_string_list_new (NULL);

    for (guint c = 1; c <= OW_TICKET_N_CATEGORIES; c++)
      gtk_string_list_append (categories, ow_ticket_category_get_label (c));
    gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (categories));
  }

  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->item_dropdown, expression);
  /* Most matters are not solved on the spot; 5 working days is the common limit. */
  gtk_drop_down_set_selected (self->tier_dropdown, 1);
  g_signal_connect_object (gtk_text_view_get_buffer (self->summary_view), "changed",
                           G_CALLBACK (summary_changed_cb), self, 0);
}

OwTicketDialog *
ow_ticket_dialog_new (GtkWindow *parent,
                      OwContext *context)
{
  OwTicketDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);

  self = g_object_new (OW_TYPE_TICKET_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  fill_items (self);
  update_due_date (self);
  update_register (self);
  return self;
}

const char *
ow_ticket_dialog_get_reason (OwTicketDialog *self)
{
  g_return_val_if_fail (OW_IS_TICKET_DIALOG (self), NULL);
  return self->reason;
}
