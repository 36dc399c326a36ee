/* ow-print-jobs.c — the counter's print queue, and the window of print jobs that failed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/printing/ow-print-jobs.h"

/* ---------------------------------------------------------------------------------------- */
/* The queue, one per context */

static GQuark
queue_quark (void)
{
  return g_quark_from_static_string ("ow-print-jobs-queue");
}

/* Reprints are recorded in the audit log once the printer completed them (issue 6 item 4). */
static void
job_finished_cb (OwPrintQueue *queue,
                 OwPrintJob   *job,
                 const char   *kind,
                 const char   *case_no,
                 const char   *reprint_reason,
                 gpointer      user_data)
{
  OwContext *context = user_data;
  const OwUser *user = ow_context_get_user (context);
  g_autoptr(GError) error = NULL;
  g_autofree char *object = NULL;

  if (reprint_reason == NULL || ow_context_get_store (context) == NULL)
    return;
  object = g_strdup_printf ("%s %s", kind, case_no != NULL ? case_no : "");
  if (!ow_store_audit (ow_context_get_store (context), user != NULL ? user->username : "",
                       "reprint", object, reprint_reason, &error))
    g_warning ("The reprint of %s was not recorded: %s", object, error->message);
}

static void
jobs_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint n = ow_print_queue_load_finish (OW_PRINT_QUEUE (source), result, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The print jobs of the last run could not be read: %s", error->message);
  else if (n > 0)
    g_message ("%u print jobs of the last run wait for retry", n);
}

OwPrintQueue *
ow_print_jobs_get_queue (OwContext *context)
{
  OwPrintQueue *queue;
  g_autofree char *dir = NULL;
  g_autofree char *jobs_dir = NULL;
  OwStore *store;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);

  queue = g_object_get_qdata (G_OBJECT (context), queue_quark ());
  if (queue != NULL)
    return queue;
  store = ow_context_get_store (context);
  if (store == NULL || ow_context_get_printer (context) == NULL)
    return NULL;

  dir = g_path_get_dirname (ow_store_get_path (store));
  jobs_dir = g_build_filename (dir, "print-jobs", NULL);
  queue = ow_print_queue_new (ow_context_get_printer (context), jobs_dir);
  /* The context outlives every window; the queue goes with it. */
  g_signal_connect_object (queue, "job-finished", G_CALLBACK (job_finished_cb), context, 0);
  g_object_set_qdata_full (G_OBJECT (context), queue_quark (), queue, g_object_unref);
  ow_print_queue_load_async (queue, NULL, jobs_loaded_cb, NULL);
  return queue;
}

/* ---------------------------------------------------------------------------------------- */
/* The window */

struct _OwPrintJobsWindow
{
  AdwWindow parent_instance;

  /* template */
  GtkStack *stack;
  GtkListBox *list;

  OwContext *context;
  OwPrintQueue *queue;
  guint n_rows;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OwPrintJobsWindow, ow_print_jobs_window, ADW_TYPE_WINDOW)

static void refresh (OwPrintJobsWindow *self);

static const char *
describe_state (OwPrintJob *job)
{
  switch (ow_print_job_get_state (job))
    {
    case OW_PRINT_JOB_QUEUED:
      return _("Waiting");
    case OW_PRINT_JOB_PRINTING:
      return _("Printing");
    case OW_PRINT_JOB_DONE:
      return _("Printed");
    case OW_PRINT_JOB_FAILED:
    default:
      return _("Failed");
    }
}

static void
retried_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  OwPrintJobsWindow *self;

  ow_print_queue_retry_finish (OW_PRINT_QUEUE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OW_PRINT_JOBS_WINDOW (user_data);
  refresh (self);
}

static void
retry_clicked_cb (GtkButton         *button,
                  OwPrintJobsWindow *self)
{
  OwPrintJob *job = g_object_get_data (G_OBJECT (button), "ow-job");

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  ow_print_queue_retry_async (self->queue, job, NULL, self->cancellable, retried_cb, self);
}

static void
discard_response_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     OwPrintJobsWindow *self)
{
  OwPrintJob *job = g_object_get_data (G_OBJECT (dialog), "ow-job");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "discard") != 0)
    return;
  if (!ow_print_queue_discard (self->queue, job, &error))
    g_warning ("The print job could not be discarded: %s", error->message);
  refresh (self);
}

static void
discard_clicked_cb (GtkButton         *button,
                    OwPrintJobsWindow *self)
{
  OwPrintJob *job = g_object_get_data (G_OBJECT (button), "ow-job");
  GtkWidget *dialog;

  /* A discarded notice is a notice the applicant never gets: ask first (HIG). */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Discard Print Job?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will not be printed. Print it again from the case "
                                    "if the applicant still needs it."),
                                  ow_print_job_get_title (job));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "discard", _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ow-job", g_object_ref (job), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
create_row (OwPrintJobsWindow *self,
            OwPrintJob        *job)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *retry, *discard;
  const GError *error = ow_print_job_get_error (job);
  g_autofree char *subtitle = NULL;
  g_autofree char *retry_name = NULL;
  g_autofree char *discard_name = NULL;
  gboolean failed = ow_print_job_get_state (job) == OW_PRINT_JOB_FAILED;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ow_print_job_get_title (job));
  subtitle = g_strdup_printf ("%s%s%s", describe_state (job), error != NULL ? " · " : "",
                              error != NULL ? error->message : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  /* Translators: %s is a print job's title */
  retry_name = g_strdup_printf (_("Retry %s"), ow_print_job_get_title (job));
  /* Translators: %s is a print job's title */
  discard_name = g_strdup_printf (_("Discard %s"), ow_print_job_get_title (job));
  retry = gtk_button_new_with_mnemonic (_("_Retry"));
  discard = gtk_button_new_with_mnemonic (_("_Discard"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (retry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  retry_name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (discard), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  discard_name, -1);
  gtk_widget_add_css_class (discard, "destructive-action");
  gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (discard, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (retry, failed);
  gtk_widget_set_sensitive (discard, failed);
  g_object_set_data_full (G_OBJECT (retry), "ow-job", g_object_ref (job), g_object_unref);
  g_object_set_data_full (G_OBJECT (discard), "ow-job", g_object_ref (job), g_object_unref);
  g_signal_connect (retry, "clicked", G_CALLBACK (retry_clicked_cb), self);
  g_signal_connect (discard, "clicked", G_CALLBACK (discard_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), discard);
  return row;
}

static void
refresh (OwPrintJobsWindow *self)
{
  GListModel *jobs;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_rows = 0;
  jobs = self->queue != NULL ? ow_print_queue_get_jobs (self->queue) : NULL;
  for (guint i = 0; jobs != NULL && i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(OwPrintJob) job = g_list_model_get_item (jobs, i);

      gtk_list_box_append (self->list, create_row (self, job));
      self->n_rows++;
    }
  gtk_stack_set_visible_child_name (self->stack, self->n_rows > 0 ? "list" : "empty");
}

static void
queue_changed_cb (OwPrintJobsWindow *self)
{
  refresh (self);
}

static void
ow_print_jobs_window_dispose (GObject *object)
{
  OwPrintJobsWindow *self = OW_PRINT_JOBS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_PRINT_JOBS_WINDOW);
  g_clear_object (&self->queue);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_print_jobs_window_parent_class)->dispose (object);
}

static void
ow_print_jobs_window_class_init (OwPrintJobsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_print_jobs_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/printing/ow-print-jobs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OwPrintJobsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OwPrintJobsWindow, list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ow_print_jobs_window_init (OwPrintJobsWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ow_print_jobs_window_new (GtkWindow *parent,
                          OwContext *context)
{
  OwPrintJobsWindow *self;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);

  self = g_object_new (OW_TYPE_PRINT_JOBS_WINDOW, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->queue = ow_print_jobs_get_queue (context);
  if (self->queue != NULL)
    {
      g_object_ref (self->queue);
      g_signal_connect_object (ow_print_queue_get_jobs (self->queue), "items-changed",
                               G_CALLBACK (queue_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->queue, "job-failed", G_CALLBACK (queue_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  refresh (self);
  return GTK_WIDGET (self);
}

guint
ow_print_jobs_window_get_n_rows (OwPrintJobsWindow *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOBS_WINDOW (self), 0);
  return self->n_rows;
}
