/* test-print-queue.c — the print queue against a real ippeveprinter: jobs followed to the end,
 * a printer switched off mid-job or out of paper, the job kept, retried and printed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include <cups/cups.h>

#include "core/ow-case-number.h"
#include "devices/ow-print-queue.h"
#include "documents/ow-document.h"
#include "ow-test-ippeve.h"

typedef struct
{
  OwTestIppeve *ippeve;
  char         *dir;       /* the queue's folder */
  OwPrinter    *printer;
  OwPrintQueue *queue;
  GPtrArray    *finished;  /* "kind|case_no|reason" per ::job-finished */
  GPtrArray    *failed;    /* error messages per ::job-failed */
  guint         kill_source;
} Fixture;

static void
job_finished_cb (OwPrintQueue *queue,
                 OwPrintJob   *job,
                 const char   *kind,
                 const char   *case_no,
                 const char   *reason,
                 Fixture      *fixture)
{
  g_assert_cmpint (ow_print_job_get_state (job), ==, OW_PRINT_JOB_DONE);
  g_ptr_array_add (fixture->finished, g_strdup_printf ("%s|%s|%s", kind, case_no ?: "",
                                                       reason ?: ""));
}

static void
job_failed_cb (OwPrintQueue *queue,
               OwPrintJob   *job,
               const GError *error,
               Fixture      *fixture)
{
  g_assert_cmpint (ow_print_job_get_state (job), ==, OW_PRINT_JOB_FAILED);
  g_ptr_array_add (fixture->failed, g_strdup (error->message));
}

static OwPrintQueue *
new_queue (Fixture *fixture)
{
  OwPrintQueue *queue = ow_print_queue_new (fixture->printer, fixture->dir);

  g_signal_connect (queue, "job-finished", G_CALLBACK (job_finished_cb), fixture);
  g_signal_connect (queue, "job-failed", G_CALLBACK (job_failed_cb), fixture);
  return queue;
}

/* The print command, as a script in the test's folder: "" for none, NULL for /bin/true. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  const char *command = user_data;

  fixture->dir = g_dir_make_tmp ("ow-print-queue-XXXXXX", &error);
  g_assert_no_error (error);

  if (command != NULL && *command != '\0')
    {
      g_autofree char *contents = g_strdup_printf ("#!/bin/sh\n%s\n", command);

      script = g_build_filename (fixture->dir, "print-command", NULL);
      g_file_set_contents (script, contents, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_chmod (script, 0700), ==, 0);
    }
  fixture->ippeve = ow_test_ippeve_start (script != NULL ? script : command);
  /* The queue's folder is a sub-folder that the queue makes itself. */
  g_free (script);
  script = fixture->dir;
  fixture->dir = g_build_filename (script, "jobs", NULL);
  g_free (script);
  script = NULL;

  fixture->printer = ow_printer_new ();
  fixture->finished = g_ptr_array_new_with_free_func (g_free);
  fixture->failed = g_ptr_array_new_with_free_func (g_free);
  fixture->queue = new_queue (fixture);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *parent = g_path_get_dirname (fixture->dir);
  g_autoptr(GDir) d = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  g_clear_handle_id (&fixture->kill_source, g_source_remove);
  g_clear_object (&fixture->queue);
  g_clear_object (&fixture->printer);
  ow_test_ippeve_stop (fixture->ippeve);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  {
    g_autofree char *script = g_build_filename (parent, "print-command", NULL);

    g_unlink (script);
  }
  g_rmdir (parent);
  g_free (fixture->dir);
  g_ptr_array_unref (fixture->finished);
  g_ptr_array_unref (fixture->failed);
}

/* ------------------------------------------------------------------------------------------ */

static OwCase *
make_case (void)
{
  OwCase *kase;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) received = g_date_time_new_utc (2026, 11, 25, 6, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *case_no = NULL;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 25, 11, 2026);
  case_no = ow_case_number_make ("46010001", 7, &date, 17, &error);
  g_assert_no_error (error);
  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, "K7Q2MX");
  ow_case_set_origin (kase, "46010001", 7, "clerk");
  ow_case_set_received_at (kase, received);
  g_date_set_dmy (&date, 9, 12, 2026);
  ow_case_set_promised_date (kase, &date);
  ow_case_set_document_no (kase, "海口政服受〔2026〕1号");
  applicant->name = g_strdup ("张三");
  applicant->id_number = g_strdup ("11010519491231002X");
  applicant->phone = g_strdup ("13800138000");
  ow_case_set_applicant (kase, applicant);
  ow_case_add_item (kase, ow_case_item_new ("114601000083123456700001", "000123",
                                            "食品经营许可证核发", "海口市市场监督管理局"));
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  return kase;
}

static OwPrintJob *
make_job (void)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  OwDocumentInfo info;

  ow_document_info_init (&info);
  info.hall_name = "海口市政务服务中心";
  info.organ_short = "海口政服";
  pdf = ow_document_render_copies (OW_DOCUMENT_ACCEPTANCE, kase, &info, 3, &error);
  g_assert_no_error (error);
  return ow_print_job_new (ow_document_kind_to_string (OW_DOCUMENT_ACCEPTANCE),
                           ow_case_get_case_no (kase), "受理通知书", pdf, 1);
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
submit_and_wait (OwPrintQueue  *queue,
                 OwPrintJob    *job,
                 const char    *printer,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_print_queue_submit_async (queue, job, printer, cancellable, ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return ow_print_queue_submit_finish (queue, result, error);
}

static gboolean
retry_and_wait (OwPrintQueue  *queue,
                OwPrintJob    *job,
                const char    *printer,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_print_queue_retry_async (queue, job, printer, NULL, ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return ow_print_queue_retry_finish (queue, result, error);
}

static void
test_completes (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(OwPrintJob) job = make_job ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("acceptance|%s|", ow_print_job_get_case_no (job));

  g_assert_true (submit_and_wait (fixture->queue, job, fixture->ippeve->uri, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ow_print_job_get_state (job), ==, OW_PRINT_JOB_DONE);
  g_assert_cmpint (ow_print_job_get_printer_job_id (job), >, 0);
  g_assert_cmpint (ow_test_ippeve_job_state (fixture->ippeve, ow_print_job_get_printer_job_id (job),
                                             NULL),
                   ==, IPP_JSTATE_COMPLETED);
  g_assert_true (ow_test_ippeve_spool_holds (fixture->ippeve, ow_print_job_get_pdf (job), NULL));

  /* Done jobs leave the queue and the disk. */
  g_assert_cmpuint (g_list_model_get_n_items (ow_print_queue_get_jobs (fixture->queue)), ==, 0);
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
  g_assert_cmpuint (fixture->finished->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->finished, 0), ==, expected);
  g_assert_cmpuint (fixture->failed->len, ==, 0);
}

static void
test_reprint_reason (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(OwPrintJob) job = make_job ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  ow_print_job_set_reprint_reason (job, "申请人遗失受理通知书");
  expected = g_strdup_printf ("acceptance|%s|申请人遗失受理通知书", ow_print_job_get_case_no (job));
  g_assert_true (submit_and_wait (fixture->queue, job, fixture->ippeve->uri, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->finished->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->finished, 0), ==, expected);
}

static gboolean
kill_when_processing_cb (gpointer user_data)
{
  Fixture *fixture = user_data;

  /* The first job at the printer is being printed: switch the printer off. */
  if (ow_test_ippeve_job_state (fixture->ippeve, 1, NULL) != IPP_JSTATE_PROCESSING)
    return G_SOURCE_CONTINUE;
  ow_test_ippeve_kill (fixture->ippeve);
  fixture->kill_source = 0;
  return G_SOURCE_REMOVE;
}

/* A printer switched off mid-job: a clear state, the job kept (also across a restart of the
 * application), and a retry once the printer is back that prints it. */
static void
test_killed_mid_job_then_retry (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(OwPrintJob) job = make_job ();
  g_autoptr(OwPrintJob) restored = NULL;
  g_autoptr(OwPrintQueue) restarted = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf_file = NULL;
  gint64 start;

  /* Without a print command ippeveprinter takes seconds over the job: kill it meanwhile. */
  fixture->kill_source = g_timeout_add (50, kill_when_processing_cb, fixture);
  start = g_get_monotonic_time ();
  g_assert_false (submit_and_wait (fixture->queue, job, fixture->ippeve->uri, NULL, &error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_assert_null (fixture->ippeve->printer);     /* it really was killed mid-job */
  g_test_message ("%s", error->message);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "switched on"));
  g_clear_error (&error);

  /* Kept, failed, with the reason; on disk. */
  g_assert_cmpint (ow_print_job_get_state (job), ==, OW_PRINT_JOB_FAILED);
  g_assert_error ((GError *) ow_print_job_get_error (job), OW_PRINTER_ERROR,
                  OW_PRINTER_ERROR_UNREACHABLE);
  g_assert_cmpuint (g_list_model_get_n_items (ow_print_queue_get_jobs (fixture->queue)), ==, 1);
  g_assert_cmpuint (ow_print_queue_get_n_failed (fixture->queue), ==, 1);
  g_assert_cmpuint (fixture->failed->len, ==, 1);
  g_assert_cmpuint (fixture->finished->len, ==, 0);
  g_assert_cmpuint (count_files (fixture->dir), ==, 2);

  /* After a restart of the application the job is still there, failed for the same reason. */
  restarted = new_queue (fixture);
  ow_print_queue_load_async (restarted, NULL, ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ow_print_queue_load_finish (restarted, result, &error), ==, 1);
  g_assert_no_error (error);
  restored = g_list_model_get_item (ow_print_queue_get_jobs (restarted), 0);
  g_assert_cmpstr (ow_print_job_get_id (restored), ==, ow_print_job_get_id (job));
  g_assert_cmpstr (ow_print_job_get_kind (restored), ==, "acceptance");
  g_assert_cmpstr (ow_print_job_get_case_no (restored), ==, ow_print_job_get_case_no (job));
  g_assert_cmpstr (ow_print_job_get_printer (restored), ==, fixture->ippeve->uri);
  g_assert_cmpint (ow_print_job_get_state (restored), ==, OW_PRINT_JOB_FAILED);
  g_assert_cmpstr (ow_print_job_get_error (restored)->message, ==,
                   ow_print_job_get_error (job)->message);
  g_assert_true (g_bytes_equal (ow_print_job_get_pdf (restored), ow_print_job_get_pdf (job)));

  /* A retry while the printer is still off fails the same way and keeps the job. */
  g_assert_false (retry_and_wait (restarted, restored, NULL, &error));
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_cmpuint (ow_print_job_get_attempts (restored), ==, 2);

  /* The printer is back (with an empty spool): the retry prints it. */
  ow_test_ippeve_restart (fixture->ippeve, NULL);
  g_assert_false (ow_test_ippeve_spool_holds (fixture->ippeve, ow_print_job_get_pdf (job), NULL));
  g_assert_true (retry_and_wait (restarted, restored, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ow_print_job_get_state (restored), ==, OW_PRINT_JOB_DONE);
  pdf_file = ow_test_ippeve_spool_find (fixture->ippeve, ow_print_job_get_pdf (job));
  g_assert_nonnull (pdf_file);
  g_assert_cmpuint (g_list_model_get_n_items (ow_print_queue_get_jobs (restarted)), ==, 0);
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
  g_assert_cmpuint (fixture->finished->len, ==, 1);
}

static void
test_out_of_paper (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(OwPrintJob) job = make_job ();
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean stopping = FALSE;
  int state;

  /* The printer's command reports an empty tray and waits, as a printer holding the job. */
  g_assert_false (submit_and_wait (fixture->queue, job, fixture->ippeve->uri, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_STOPPED);
  g_assert_nonnull (strstr (error->message, "out of paper"));
  g_assert_nonnull (strstr (error->message, "Load paper"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  g_assert_cmpint (ow_print_job_get_state (job), ==, OW_PRINT_JOB_FAILED);
  g_assert_cmpuint (ow_print_queue_get_n_failed (fixture->queue), ==, 1);

  /* The job waiting at the printer was cancelled, so that the retry is the only copy;
   * ippeveprinter lets its print command finish first ("processing-to-stop-point"). */
  state = ow_test_ippeve_job_state (fixture->ippeve, 1, &stopping);
  if (state != IPP_JSTATE_CANCELED)
    {
      g_assert_cmpint (state, ==, IPP_JSTATE_PROCESSING);
      g_assert_true (stopping);
    }
}

static void
test_unknown_printer_then_another (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(OwPrintJob) job = make_job ();
  g_autoptr(GError) error = NULL;
  g_autofree char *gone = g_strdup_printf ("ipp://localhost:%u/ipp/gone", fixture->ippeve->port);

  g_assert_false (submit_and_wait (fixture->queue, job, gone, NULL, &error));
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpstr (ow_print_job_get_printer (job), ==, gone);

  /* Retried on another printer. */
  g_assert_true (retry_and_wait (fixture->queue, job, fixture->ippeve->uri, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ow_print_job_get_printer (job), ==, fixture->ippeve->uri);
  g_assert_true (ow_test_ippeve_spool_holds (fixture->ippeve, ow_print_job_get_pdf (job), NULL));
}

static void
test_no_default_printer (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(OwPrintJob) job = make_job ();
  g_autoptr(GError) error = NULL;

  /* No printer chosen, and (no CUPS server here) no system default: said so, and kept. */
  g_assert_false (submit_and_wait (fixture->queue, job, NULL, NULL, &error));
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "default printer"));
  g_clear_error (&error);
  g_assert_null (ow_print_job_get_printer (job));
  g_assert_cmpuint (ow_print_queue_get_n_failed (fixture->queue), ==, 1);

  g_assert_true (retry_and_wait (fixture->queue, job, fixture->ippeve->uri, &error));
  g_assert_no_error (error);
}

static void
test_discard (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(OwPrintJob) job = make_job ();
  g_autoptr(GError) error = NULL;

  ow_test_ippeve_kill (fixture->ippeve);
  g_assert_false (submit_and_wait (fixture->queue, job, fixture->ippeve->uri, NULL, &error));
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (fixture->dir), ==, 2);

  g_assert_true (ow_print_queue_discard (fixture->queue, job, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ow_print_queue_get_jobs (fixture->queue)), ==, 0);
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
}

static void
test_cancelled_is_dropped (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(OwPrintJob) job = make_job ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (submit_and_wait (fixture->queue, job, fixture->ippeve->uri, cancellable,
                                   &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (ow_print_queue_get_jobs (fixture->queue)), ==, 0);
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
  g_assert_cmpuint (fixture->failed->len, ==, 0);
}

static void
test_load_nothing (void)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(OwPrintQueue) queue = ow_print_queue_new (printer, "/nonexistent/ow-print-jobs");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ow_print_queue_load_async (queue, NULL, ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ow_print_queue_load_finish (queue, result, &error), ==, 0);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* The test must not reach a CUPS server or printers of the machine it runs on. */
  g_setenv ("CUPS_SERVER", "/nonexistent/ow-test-cups.sock", TRUE);

  g_test_add ("/print-queue/completes", Fixture, NULL, fixture_set_up, test_completes,
              fixture_tear_down);
  g_test_add ("/print-queue/reprint-reason", Fixture, NULL, fixture_set_up, test_reprint_reason,
              fixture_tear_down);
  g_test_add ("/print-queue/killed-mid-job-then-retry", Fixture, "", fixture_set_up,
              test_killed_mid_job_then_retry, fixture_tear_down);
  g_test_add ("/print-queue/out-of-paper", Fixture,
              /* Reports an empty tray and holds the job, but never outlives the printer. */
              "echo 'STATE: +media-empty' >&2\n"
              "i=0; while [ $i -lt 150 ] && kill -0 $PPID 2>/dev/null; do\n"
              "  sleep 0.2; i=$((i+1))\n"
              "done",
              fixture_set_up,
              test_out_of_paper, fixture_tear_down);
  g_test_add ("/print-queue/unknown-printer-then-another", Fixture, NULL, fixture_set_up,
              test_unknown_printer_then_another, fixture_tear_down);
  g_test_add ("/print-queue/no-default-printer", Fixture, NULL, fixture_set_up,
              test_no_default_printer, fixture_tear_down);
  g_test_add ("/print-queue/discard", Fixture, NULL, fixture_set_up, test_discard,
              fixture_tear_down);
  g_test_add ("/print-queue/cancelled-is-dropped", Fixture, NULL, fixture_set_up,
              test_cancelled_is_dropped, fixture_tear_down);
  g_test_add_func ("/print-queue/load-nothing", test_load_nothing);

  return g_test_run ();
}
