/* ow-ticket-receipt.c — prints the 未办成事登记回执 of a ticket through the print queue
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "documents/ow-document.h"
#include "gui/ow-print-jobs.h"
#include "gui/ow-ticket-receipt.h"
#include "gui/ow-window.h"

#define QUEUE_KEY "ow-ticket-receipt-queue"

typedef struct
{
  OwContext *context;
  OwTicket *ticket;
  char *item_name;
  char *hall_name;
  char *clerk_name;
  char *printer;
  GWeakRef target;
  OwPrintJob *job;
} ReceiptData;

static void
receipt_data_free (ReceiptData *data)
{
  g_clear_object (&data->context);
  g_clear_pointer (&data->ticket, ow_ticket_free);
  g_free (data->item_name);
  g_free (data->hall_name);
  g_free (data->clerk_name);
  g_free (data->printer);
  g_weak_ref_clear (&data->target);
  g_clear_object (&data->job);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReceiptData, receipt_data_free)

static void print_job (ReceiptData *data);

static ReceiptData *
receipt_data_dup (ReceiptData *data)
{
  ReceiptData *copy = g_new0 (ReceiptData, 1);
  g_autoptr(GObject) target = g_weak_ref_get (&data->target);

  copy->context = g_object_ref (data->context);
  copy->ticket = ow_ticket_copy (data->ticket);
  copy->item_name = g_strdup (data->item_name);
  copy->hall_name = g_strdup (data->hall_name);
  copy->clerk_name = g_strdup (data->clerk_name);
  copy->printer = g_strdup (data->printer);
  copy->job = data->job != NULL ? g_object_ref (data->job) : NULL;
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
  print_job (receipt_data_dup (data));
}

static void
printed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ReceiptData *data = user_data;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (!ow_print_queue_submit_finish (OW_PRINT_QUEUE (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      receipt_data_free (data);
      return;
    }

  if (error == NULL)
    {
      /* Translators: %s is the ticket's number */
      g_autofree char *message = g_strdup_printf (_("Ticket %s registered; receipt printed"),
                                                  data->ticket->id);
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
                                                data->ticket->id, error->message);
    toast = adw_toast_new (message);
  }
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Retry"));
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (retry_clicked_cb), data,
                         (GClosureNotify) (void (*) (void)) receipt_data_free, 0);
  add_toast (data, toast);
}

static void
retried_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ReceiptData *data = user_data;
  g_autoptr(GError) error = NULL;

  /* Same reporting as a first attempt. */
  if (ow_print_queue_retry_finish (OW_PRINT_QUEUE (source), result, &error) || error == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Ticket %s registered; receipt printed"),
                                                  data->ticket->id);
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_timeout (toast, 5);
      add_toast (data, toast);
      receipt_data_free (data);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      receipt_data_free (data);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("Ticket %s registered and saved, but the "
                                                  "receipt was not printed: %s"),
                                                data->ticket->id, error->message);
    AdwToast *toast = adw_toast_new (message);

    adw_toast_set_timeout (toast, 0);
    adw_toast_set_button_label (toast, _("_Retry"));
    g_signal_connect_data (toast, "button-clicked", G_CALLBACK (retry_clicked_cb), data,
                           (GClosureNotify) (void (*) (void)) receipt_data_free, 0);
    add_toast (data, toast);
  }
}

static void
print_job (ReceiptData *data)
{
  OwPrintQueue *queue = ow_ticket_receipt_get_queue (data->context);

  if (ow_print_job_get_state (data->job) == OW_PRINT_JOB_FAILED)
    ow_print_queue_retry_async (queue, data->job, data->printer, NULL, retried_cb, data);
  else
    ow_print_queue_submit_async (queue, data->job, data->printer, NULL, printed_cb, data);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReceiptData *data = task_data;
  OwDocumentTicket receipt;
  OwDocumentInfo info;
  GError *error = NULL;
  g_autofree char *matter = NULL;
  GBytes *pdf;

  ow_document_ticket_init (&receipt);
  receipt.ticket_no = data->ticket->id;
  receipt.applicant_name = data->ticket->contact_name != NULL ? data->ticket->contact_name : "";
  receipt.phone = data->ticket->contact_phone;
  /* The item tried heads the matter, so that the department sees at once what it is about. */
  matter = data->item_name != NULL ? g_strdup_printf ("【%s】%s", data->item_name,
                                                       data->ticket->summary)
                                   : g_strdup (data->ticket->summary);
  receipt.matter = matter;
  receipt.channel = describe_channel (data->ticket->channel);
  receipt.tier = data->ticket->tier;
  receipt.due_date = data->ticket->due_date;
  receipt.owner = data->ticket->assignee;
  receipt.registered_at = data->ticket->registered_at;

  ow_document_info_init (&info);
  info.hall_name = data->hall_name;
  info.organ_name = data->hall_name;
  info.clerk_name = data->clerk_name;

  pdf = ow_document_render_ticket (&receipt, &info, 1, &error);
  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

static void
rendered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ReceiptData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);
  ReceiptData *owned;

  if (pdf == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Ticket %s registered and saved, but the "
                                                    "receipt could not be made: %s"),
                                                  data->ticket->id, error->message);
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_timeout (toast, 0);
      add_toast (data, toast);
      return;
    }

  if (data->printer == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Ticket %s registered and saved, but the "
                                                    "receipt was not printed: %s"),
                                                  data->ticket->id,
                                                  _("no printer is set up for notices"));
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_timeout (toast, 0);
      add_toast (data, toast);
      return;
    }

  /* The task frees its data when it goes; the print keeps a copy of its own. */
  owned = receipt_data_dup (data);
  {
    const char *kind = ow_document_kind_get_title (OW_DOCUMENT_TICKET_RECEIPT);
    g_autofree char *title = g_strdup_printf ("%s %s", kind, owned->ticket->id);
    owned->job = ow_print_job_new (ow_document_kind_to_string (OW_DOCUMENT_TICKET_RECEIPT),
                                   owned->ticket->case_no, title, pdf, 1);
  }
  print_job (owned);
}

OwPrintQueue *
ow_ticket_receipt_get_queue (OwContext *context)
{
  OwPrintQueue *queue;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);

  /* The counter's one queue, whose failed jobs survive a restart and show in the print jobs
   * window; an in-memory one only before the store is open. */
  queue = ow_print_jobs_get_queue (context);
  if (queue != NULL)
    return queue;
  queue = g_object_get_data (G_OBJECT (context), QUEUE_KEY);
  if (queue == NULL)
    {
      queue = ow_print_queue_new (ow_context_get_printer (context), NULL);
      g_object_set_data_full (G_OBJECT (context), QUEUE_KEY, queue, g_object_unref);
    }
  return queue;
}

void
ow_ticket_receipt_print (OwContext      *context,
                         const OwTicket *ticket,
                         const char     *item_name,
                         GtkWidget      *toast_target)
{
  g_autoptr(GVariant) printers = NULL;
  g_autoptr(GTask) task = NULL;
  const OwUser *user;
  const char *printer = NULL;
  ReceiptData *data;

  g_return_if_fail (OW_IS_CONTEXT (context));
  g_return_if_fail (ticket != NULL);

  user = ow_context_get_user (context);
  printers = g_settings_get_value (ow_context_get_settings (context), "document-printers");
  /* A printer set for this kind of document wins over the notice printer. */
  if (!g_variant_lookup (printers, ow_document_kind_to_string (OW_DOCUMENT_TICKET_RECEIPT), "&s",
                         &printer) || *printer == '\0')
    printer = ow_context_get_printer_name (context);

  data = g_new0 (ReceiptData, 1);
  data->context = g_object_ref (context);
  data->ticket = ow_ticket_copy (ticket);
  data->item_name = g_strdup (item_name);
  data->hall_name = g_strdup (user != NULL ? user->hall_name : "");
  data->clerk_name = g_strdup (user != NULL ? user->display_name : "");
  data->printer = g_strdup (printer);
  g_weak_ref_init (&data->target, toast_target);

  task = g_task_new (context, NULL, rendered_cb, NULL);
  g_task_set_source_tag (task, ow_ticket_receipt_print);
  g_task_set_task_data (task, data, (GDestroyNotify) receipt_data_free);
  g_task_run_in_thread (task, render_thread);
}
