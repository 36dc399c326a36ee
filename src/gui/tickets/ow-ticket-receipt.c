/* ow-ticket-receipt.c — prints the 未办成事登记回执 of a ticket through the print queue
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/printing/ow-counter-document.h"
#include "gui/tickets/ow-ticket-receipt.h"
#include "gui/shell/ow-window.h"

/* What telling the clerk needs: the receipt outlives the dialog that registered the ticket, and
 * a failure's Retry outlives the print. */
typedef struct
{
  OwCounterDocument *receipt;
  char *ticket_id;
  char *printer;
  GWeakRef target;
} ReceiptData;

static void
receipt_data_free (ReceiptData *data)
{
  g_clear_object (&data->receipt);
  g_free (data->ticket_id);
  g_free (data->printer);
  g_weak_ref_clear (&data->target);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReceiptData, receipt_data_free)

static void print_receipt (ReceiptData *data);

static ReceiptData *
receipt_data_dup (ReceiptData *data)
{
  ReceiptData *copy = g_new0 (ReceiptData, 1);
  g_autoptr(GObject) target = g_weak_ref_get (&data->target);

  copy->receipt = g_object_ref (data->receipt);
  copy->ticket_id = g_strdup (data->ticket_id);
  copy->printer = g_strdup (data->printer);
  g_weak_ref_init (&copy->target, target);
  return copy;
}

static const char *
describe_channel (const char *channel)
{
  if (g_strcmp0 (channel, "online") == 0)
    return "网上";
  if (g_strcmp0 (channel, "hall") == 0)
    return "大厅";
  if (g_strcmp0 (channel, "phone") == 0)
    return "电话";
  return NULL;
}

static void
add_toast (ReceiptData *data,
           AdwToast    *toast)
{
  g_autoptr(GtkWidget) target = g_weak_ref_get (&data->target);
  GtkWidget *overlay;

  if (target == NULL)
    {
      g_object_unref (g_object_ref_sink (toast));
      return;
    }
  if (OW_IS_WINDOW (target))
    {
      ow_window_add_toast (OW_WINDOW (target), toast);
      return;
    }
  overlay = gtk_widget_get_ancestor (target, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
retry_clicked_cb (AdwToast    *toast,
                  ReceiptData *data)
{
  /* The toast goes away with its data; the retry takes a copy of its own. */
  print_receipt (receipt_data_dup (data));
}

static void
printed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ReceiptData *data = user_data;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (!ow_counter_document_print_finish (OW_COUNTER_DOCUMENT (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      receipt_data_free (data);
      return;
    }

  if (error == NULL)
    {
      /* Translators: %s is the ticket's number */
      g_autofree char *message = g_strdup_printf (_("Ticket %s registered; receipt printed"),
                                                  data->ticket_id);
      toast = adw_toast_new (message);
      adw_toast_set_timeout (toast, 5);
      add_toast (data, toast);
      receipt_data_free (data);
      return;
    }

  {
    /* Translators: the ticket's number, then the printer's error */
    g_autofree char *message = g_strdup_printf (_("Ticket %s registered and saved, but the "
                                                  "receipt was not printed: %s"),
                                                data->ticket_id, error->message);
    toast = adw_toast_new (message);
  }
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Retry"));
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (retry_clicked_cb), data,
                         (GClosureNotify) (void (*) (void)) receipt_data_free, 0);
  add_toast (data, toast);
}

/* A job that failed goes again as that job. */
static void
print_receipt (ReceiptData *data)
{
  ow_counter_document_print_async (data->receipt, data->printer, NULL, printed_cb, data);
}

static void
rendered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ReceiptData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ow_counter_document_render_finish (OW_COUNTER_DOCUMENT (source),
                                                             result, &error);
  g_autofree char *message = NULL;
  AdwToast *toast;

  if (pdf != NULL && data->printer != NULL)
    {
      print_receipt (g_steal_pointer (&data));
      return;
    }

  /* Nothing to retry: the clerk fixes the catalog or the printer setting first. */
  if (pdf == NULL)
    message = g_strdup_printf (_("Ticket %s registered and saved, but the receipt could not be "
                                 "made: %s"), data->ticket_id, error->message);
  else
    message = g_strdup_printf (_("Ticket %s registered and saved, but the receipt was not "
                                 "printed: %s"), data->ticket_id,
                               _("no printer is set up for notices"));
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 0);
  add_toast (data, toast);
}

/* Who handles the matter, as the receipt says it (承办单位): the department, or the person on
 * duty; never a log-in name, and nothing when the counter does not know them. */
static const char *
find_owner (OwContext  *context,
            const char *assignee)
{
  const OwUser *user = assignee != NULL
                       ? ow_directory_lookup (ow_context_get_directory (context), assignee)
                       : NULL;

  if (user == NULL)
    return NULL;
  return user->department != NULL ? user->department : user->display_name;
}

void
ow_ticket_receipt_print (OwContext      *context,
                         const OwTicket *ticket,
                         const char     *item_name,
                         GtkWidget      *toast_target)
{
  g_autofree char *matter = NULL;
  OwDocumentTicket receipt;
  ReceiptData *data;

  g_return_if_fail (OW_IS_CONTEXT (context));
  g_return_if_fail (ticket != NULL);

  ow_document_ticket_init (&receipt);
  receipt.ticket_no = ticket->id;
  receipt.applicant_name = ticket->contact_name != NULL ? ticket->contact_name : "";
  receipt.phone = ticket->contact_phone;
  /* The item tried heads the matter, so that the department sees at once what it is about. */
  matter = item_name != NULL ? g_strdup_printf ("【%s】%s", item_name, ticket->summary)
                             : g_strdup (ticket->summary);
  receipt.matter = matter;
  receipt.channel = describe_channel (ticket->channel);
  receipt.tier = ticket->tier;
  receipt.due_date = ticket->due_date;
  receipt.owner = find_owner (context, ticket->assignee);
  receipt.registered_at = ticket->registered_at;

  data = g_new0 (ReceiptData, 1);
  data->receipt = ow_counter_document_new_ticket (context, &receipt, ticket->case_no);
  data->ticket_id = g_strdup (ticket->id);
  /* A printer set for this kind of document wins over the notice printer. */
  data->printer = ow_counter_document_dup_printer (context, OW_DOCUMENT_TICKET_RECEIPT);
  g_weak_ref_init (&data->target, toast_target);
  ow_counter_document_render_async (data->receipt, NULL, rendered_cb, data);
}
