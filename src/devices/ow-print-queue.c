/* ow-print-queue.c — every print job followed to the end, failed ones kept for retry
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ow-print-job-private.h"
#include "ow-print-queue.h"

#define JOB_GROUP "Job"

struct _OwPrintQueue
{
  GObject     parent_instance;

  OwPrinter  *printer;
  char       *directory;
  GListStore *jobs;
};

G_DEFINE_FINAL_TYPE (OwPrintQueue, ow_print_queue, G_TYPE_OBJECT)

enum {
  JOB_FINISHED,
  JOB_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the worker thread needs: copies of everything, so that it never touches the job. */
typedef struct
{
  OwPrintQueue *queue;
  OwPrintJob   *job;
  char         *directory;
  char         *id;
  char         *kind;
  char         *case_no;
  char         *title;
  char         *reprint_reason;
  char         *printer;
  GBytes       *pdf;
  guint         copies;
  guint         attempts;
  GDateTime    *created;
  GTask        *outer;    /* the caller's */
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->queue);
  g_clear_object (&data->job);
  g_free (data->directory);
  g_free (data->id);
  g_free (data->kind);
  g_free (data->case_no);
  g_free (data->title);
  g_free (data->reprint_reason);
  g_free (data->printer);
  g_clear_pointer (&data->pdf, g_bytes_unref);
  g_clear_pointer (&data->created, g_date_time_unref);
  g_clear_object (&data->outer);
  g_free (data);
}

/* ------------------------------------------------------------------------------------------ */
/* The directory: ID.pdf and ID.job (a key file) per job not yet done */

static char *
job_path (const char *directory,
          const char *id,
          const char *suffix)
{
  g_autofree char *name = g_strconcat (id, suffix, NULL);

  return g_build_filename (directory, name, NULL);
}

static gboolean
write_job (SendData      *data,
           const GError  *failure,
           GError       **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *pdf_path = job_path (data->directory, data->id, ".pdf");
  g_autofree char *meta_path = job_path (data->directory, data->id, ".job");
  g_autofree char *created = g_date_time_format_iso8601 (data->created);
  g_autofree char *contents = NULL;
  gsize length;

  if (g_mkdir_with_parents (data->directory, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("The folder for print jobs “%s” could not be made (%s). Check the disk."),
                   data->directory, g_strerror (saved));
      return FALSE;
    }

  if (!g_file_test (pdf_path, G_FILE_TEST_EXISTS)
      && !g_file_set_contents_full (pdf_path, g_bytes_get_data (data->pdf, NULL),
                                    g_bytes_get_size (data->pdf),
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  g_key_file_set_string (file, JOB_GROUP, "kind", data->kind);
  if (data->case_no != NULL)
    g_key_file_set_string (file, JOB_GROUP, "case_no", data->case_no);
  g_key_file_set_string (file, JOB_GROUP, "title", data->title);
  g_key_file_set_integer (file, JOB_GROUP, "copies", (int) data->copies);
  if (data->reprint_reason != NULL)
    g_key_file_set_string (file, JOB_GROUP, "reprint_reason", data->reprint_reason);
  if (data->printer != NULL)
    g_key_file_set_string (file, JOB_GROUP, "printer", data->printer);
  g_key_file_set_string (file, JOB_GROUP, "created", created);
  g_key_file_set_integer (file, JOB_GROUP, "attempts", (int) data->attempts);
  if (failure != NULL && failure->domain == OW_PRINTER_ERROR)
    {
      g_key_file_set_integer (file, JOB_GROUP, "error_code", failure->code);
      g_key_file_set_string (file, JOB_GROUP, "error_message", failure->message);
    }

  contents = g_key_file_to_data (file, &length, NULL);
  return g_file_set_contents_full (meta_path, contents, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0600, error);
}

static void
remove_job_files (const char *directory,
                  const char *id)
{
  g_autofree char *pdf_path = job_path (directory, id, ".pdf");
  g_autofree char *meta_path = job_path (directory, id, ".job");

  /* The key file first: without it a stray PDF is ignored on load. */
  if (g_unlink (meta_path) != 0 && errno != ENOENT)
    g_warning ("Removing %s: %s", meta_path, g_strerror (errno));
  if (g_unlink (pdf_path) != 0 && errno != ENOENT)
    g_warning ("Removing %s: %s", pdf_path, g_strerror (errno));
}

static OwPrintJob *
read_job (const char  *directory,
          const char  *id,
          GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *pdf_path = job_path (directory, id, ".pdf");
  g_autofree char *meta_path = job_path (directory, id, ".job");
  g_autofree char *kind = NULL;
  g_autofree char *case_no = NULL;
  g_autofree char *title = NULL;
  g_autofree char *reprint_reason = NULL;
  g_autofree char *printer = NULL;
  g_autofree char *created_text = NULL;
  g_autofree char *message = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) failure = NULL;
  OwPrintJob *job;
  gsize length;
  int code;

  if (!g_key_file_load_from_file (file, meta_path, G_KEY_FILE_NONE, error)
      || !g_file_get_contents (pdf_path, &contents, &length, error))
    return NULL;
  kind = g_key_file_get_string (file, JOB_GROUP, "kind", error);
  if (kind == NULL)
    return NULL;

  case_no = g_key_file_get_string (file, JOB_GROUP, "case_no", NULL);
  title = g_key_file_get_string (file, JOB_GROUP, "title", NULL);
  reprint_reason = g_key_file_get_string (file, JOB_GROUP, "reprint_reason", NULL);
  printer = g_key_file_get_string (file, JOB_GROUP, "printer", NULL);
  created_text = g_key_file_get_string (file, JOB_GROUP, "created", NULL);
  if (created_text != NULL)
    created = g_date_time_new_from_iso8601 (created_text, NULL);
  pdf = g_bytes_new_take (g_steal_pointer (&contents), length);

  job = ow_print_job_restore (id, kind, case_no, title, pdf,
                              (guint) MAX (1, g_key_file_get_integer (file, JOB_GROUP, "copies",
                                                                      NULL)),
                              reprint_reason, printer, created,
                              (guint) MAX (0, g_key_file_get_integer (file, JOB_GROUP,
                                                                      "attempts", NULL)));

  message = g_key_file_get_string (file, JOB_GROUP, "error_message", NULL);
  code = g_key_file_get_integer (file, JOB_GROUP, "error_code", NULL);
  if (message != NULL)
    failure = g_error_new_literal (OW_PRINTER_ERROR, code, message);
  else
    /* Written before sending and never updated: the application stopped mid-job. */
    failure = g_error_new_literal (OW_PRINTER_ERROR, OW_PRINTER_ERROR_JOB_FAILED,
                                   _("Printing was interrupted before the printer confirmed the "
                                     "job. Check whether the document came out, then retry or "
                                     "discard the job."));
  ow_print_job_fail (job, failure);
  return job;
}

/* ------------------------------------------------------------------------------------------ */

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *data = task_data;
  GError *error = NULL;
  int job_id;

  /* On disk before it is sent: whatever happens next, the job is not lost. */
  if (data->directory != NULL && !write_job (data, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  job_id = ow_printer_print (data->queue->printer, data->printer, data->title, data->pdf,
                             data->copies, cancellable, &error);

  if (data->directory != NULL)
    {
      if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        remove_job_files (data->directory, data->id);
      else
        {
          g_autoptr(GError) write_error = NULL;

          /* The job stays on disk either way; only the reason would be missing after a
           * restart. */
          if (!write_job (data, error, &write_error))
            g_warning ("Recording why print job %s failed: %s", data->id, write_error->message);
        }
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, job_id);
}

static gboolean
find_job (OwPrintQueue *self,
          OwPrintJob   *job,
          guint        *position)
{
  return g_list_store_find (self->jobs, job, position);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  OwPrintQueue *self = OW_PRINT_QUEUE (source);
  SendData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GTask) outer = g_object_ref (data->outer);
  GError *error = NULL;
  int job_id = (int) g_task_propagate_int (G_TASK (result), &error);
  guint position;

  if (error == NULL)
    {
      ow_print_job_complete (data->job, job_id);
      if (find_job (self, data->job, &position))
        g_list_store_remove (self->jobs, position);
      g_signal_emit (self, signals[JOB_FINISHED], 0, data->job, data->kind, data->case_no,
                     data->reprint_reason);
      g_task_return_boolean (outer, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelled by the clerk: not wanted any more, so not kept either. */
      if (find_job (self, data->job, &position))
        g_list_store_remove (self->jobs, position);
      ow_print_job_fail (data->job, error);
      g_task_return_error (outer, error);
      return;
    }

  ow_print_job_fail (data->job, error);
  g_signal_emit (self, signals[JOB_FAILED], 0, data->job, error);
  g_task_return_error (outer, error);
}

static void
send (OwPrintQueue        *self,
      OwPrintJob          *job,
      const char          *printer,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data,
      gpointer             source_tag)
{
  g_autoptr(GTask) inner = NULL;
  SendData *data;

  data = g_new0 (SendData, 1);
  data->outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (data->outer, source_tag);

  ow_print_job_start (job, printer);

  data->queue = g_object_ref (self);
  data->job = g_object_ref (job);
  data->directory = g_strdup (self->directory);
  data->id = g_strdup (ow_print_job_get_id (job));
  data->kind = g_strdup (ow_print_job_get_kind (job));
  data->case_no = g_strdup (ow_print_job_get_case_no (job));
  data->title = g_strdup (ow_print_job_get_title (job));
  data->reprint_reason = g_strdup (ow_print_job_get_reprint_reason (job));
  data->printer = g_strdup (printer);
  data->pdf = g_bytes_ref (ow_print_job_get_pdf (job));
  data->copies = ow_print_job_get_copies (job);
  data->attempts = ow_print_job_get_attempts (job);
  data->created = g_date_time_ref (ow_print_job_get_created (job));

  inner = g_task_new (self, cancellable, sent_cb, NULL);
  g_task_set_source_tag (inner, send);
  g_task_set_task_data (inner, data, (GDestroyNotify) send_data_free);
  g_task_run_in_thread (inner, send_thread);
}

typedef struct
{
  char      *directory;
  GPtrArray *jobs;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->directory);
  g_clear_pointer (&data->jobs, g_ptr_array_unref);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  data->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  dir = g_dir_open (data->directory, 0, &error);
  if (dir == NULL)
    {
      /* Nothing was ever kept: nothing to load. */
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("The print jobs kept in “%s” could not be read (%s). Check "
                                   "the disk."), data->directory, error->message);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".job"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - strlen (".job")));

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GError) job_error = NULL;
      OwPrintJob *job = read_job (data->directory, g_ptr_array_index (names, i), &job_error);

      if (job == NULL)
        g_warning ("Skipping print job %s: %s", (char *) g_ptr_array_index (names, i),
                   job_error->message);
      else
        g_ptr_array_add (data->jobs, job);
    }
  g_task_return_boolean (task, TRUE);
}

static int
compare_created (gconstpointer a,
                 gconstpointer b)
{
  OwPrintJob *job_a = *(OwPrintJob **) a;
  OwPrintJob *job_b = *(OwPrintJob **) b;

  return g_date_time_compare (ow_print_job_get_created (job_a),
                              ow_print_job_get_created (job_b));
}

/* ------------------------------------------------------------------------------------------ */

static void
ow_print_queue_dispose (GObject *object)
{
  OwPrintQueue *self = OW_PRINT_QUEUE (object);

  g_clear_object (&self->printer);
  if (self->jobs != NULL)
    g_list_store_remove_all (self->jobs);

  G_OBJECT_CLASS (ow_print_queue_parent_class)->dispose (object);
}

static void
ow_print_queue_finalize (GObject *object)
{
  OwPrintQueue *self = OW_PRINT_QUEUE (object);

  g_clear_object (&self->jobs);
  g_free (self->directory);

  G_OBJECT_CLASS (ow_print_queue_parent_class)->finalize (object);
}

static void
ow_print_queue_class_init (OwPrintQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_print_queue_dispose;
  object_class->finalize = ow_print_queue_finalize;

  /**
   * OwPrintQueue::job-finished:
   * @queue: the queue
   * @job: the #OwPrintJob the printer completed
   * @kind: the document kind's name ("acceptance" …)
   * @case_no: (nullable): the case it belongs to
   * @reprint_reason: (nullable): why it was printed again, for a reprint
   *
   * Emitted on the main thread when the printer reported the job completed. The application
   * records reprints in the audit log here (devices do not know the store).
   */
  signals[JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, OW_TYPE_PRINT_JOB, G_TYPE_STRING, G_TYPE_STRING,
                  G_TYPE_STRING);

  /**
   * OwPrintQueue::job-failed:
   * @queue: the queue
   * @job: the #OwPrintJob, now kept for retry
   * @error: why, with what to do, in a sentence for the clerk
   *
   * Emitted on the main thread when a job did not print (not when it was cancelled).
   */
  signals[JOB_FAILED] =
    g_signal_new ("job-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, OW_TYPE_PRINT_JOB, G_TYPE_ERROR);
}

static void
ow_print_queue_init (OwPrintQueue *self)
{
  self->jobs = g_list_store_new (OW_TYPE_PRINT_JOB);
}

OwPrintQueue *
ow_print_queue_new (OwPrinter  *printer,
                    const char *directory)
{
  OwPrintQueue *self;

  g_return_val_if_fail (OW_IS_PRINTER (printer), NULL);

  self = g_object_new (OW_TYPE_PRINT_QUEUE, NULL);
  self->printer = g_object_ref (printer);
  self->directory = g_strdup (directory);
  return self;
}

GListModel *
ow_print_queue_get_jobs (OwPrintQueue *self)
{
  g_return_val_if_fail (OW_IS_PRINT_QUEUE (self), NULL);

  return G_LIST_MODEL (self->jobs);
}

guint
ow_print_queue_get_n_failed (OwPrintQueue *self)
{
  guint n = 0;

  g_return_val_if_fail (OW_IS_PRINT_QUEUE (self), 0);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->jobs)); i++)
    {
      g_autoptr(OwPrintJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (ow_print_job_get_state (job) == OW_PRINT_JOB_FAILED)
        n++;
    }
  return n;
}

void
ow_print_queue_submit_async (OwPrintQueue        *self,
                             OwPrintJob          *job,
                             const char          *printer,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (OW_IS_PRINT_QUEUE (self));
  g_return_if_fail (OW_IS_PRINT_JOB (job));
  g_return_if_fail (ow_print_job_get_state (job) == OW_PRINT_JOB_QUEUED);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!find_job (self, job, NULL))
    g_list_store_append (self->jobs, job);
  send (self, job, printer, cancellable, callback, user_data, ow_print_queue_submit_async);
}

gboolean
ow_print_queue_submit_finish (OwPrintQueue  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (OW_IS_PRINT_QUEUE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_print_queue_submit_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ow_print_queue_retry_async (OwPrintQueue        *self,
                            OwPrintJob          *job,
                            const char          *printer,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (OW_IS_PRINT_QUEUE (self));
  g_return_if_fail (OW_IS_PRINT_JOB (job));
  g_return_if_fail (ow_print_job_get_state (job) == OW_PRINT_JOB_FAILED);
  g_return_if_fail (find_job (self, job, NULL));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (printer == NULL)
    printer = ow_print_job_get_printer (job);
  send (self, job, printer, cancellable, callback, user_data, ow_print_queue_retry_async);
}

gboolean
ow_print_queue_retry_finish (OwPrintQueue  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (OW_IS_PRINT_QUEUE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_print_queue_retry_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
ow_print_queue_discard (OwPrintQueue  *self,
                        OwPrintJob    *job,
                        GError       **error)
{
  guint position;

  g_return_val_if_fail (OW_IS_PRINT_QUEUE (self), FALSE);
  g_return_val_if_fail (OW_IS_PRINT_JOB (job), FALSE);

  if (ow_print_job_get_state (job) == OW_PRINT_JOB_PRINTING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("The job is being printed and cannot be discarded now. Wait until it "
                     "finishes or fails."));
      return FALSE;
    }
  if (find_job (self, job, &position))
    g_list_store_remove (self->jobs, position);
  if (self->directory != NULL)
    remove_job_files (self->directory, ow_print_job_get_id (job));
  return TRUE;
}

void
ow_print_queue_load_async (OwPrintQueue        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (OW_IS_PRINT_QUEUE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_print_queue_load_async);
  if (self->directory == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (LoadData, 1);
  data->directory = g_strdup (self->directory);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

guint
ow_print_queue_load_finish (OwPrintQueue  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  LoadData *data;
  guint added = 0;

  g_return_val_if_fail (OW_IS_PRINT_QUEUE (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_print_queue_load_async, 0);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return 0;
  data = g_task_get_task_data (G_TASK (result));
  if (data == NULL || data->jobs == NULL)
    return 0;

  g_ptr_array_sort (data->jobs, compare_created);
  for (guint i = 0; i < data->jobs->len; i++)
    {
      OwPrintJob *job = g_ptr_array_index (data->jobs, i);
      gboolean known = FALSE;

      for (guint j = 0; !known && j < g_list_model_get_n_items (G_LIST_MODEL (self->jobs)); j++)
        {
          g_autoptr(OwPrintJob) other = g_list_model_get_item (G_LIST_MODEL (self->jobs), j);

          known = g_str_equal (ow_print_job_get_id (other), ow_print_job_get_id (job));
        }
      if (!known)
        {
          g_list_store_append (self->jobs, job);
          added++;
        }
    }
  return added;
}
