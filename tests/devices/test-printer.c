/* test-printer.c — the printer against a real IPP Everywhere printer (ippeveprinter)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cups/cups.h>
#include <cairo.h>

#include "devices/ow-printer.h"
#include "ow-test-ippeve.h"

#ifdef OW_TEST_WITH_DOCUMENTS
#include "core/ow-case-number.h"
#include "documents/ow-document.h"
#endif

typedef struct
{
  OwTestIppeve *ippeve;
  const char   *uri;
  guint16       port;
} Fixture;

/* @user_data is the print command: NULL for /bin/true, "" for none (ippeveprinter then takes a
 * few seconds per job, as a real printer would). */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->ippeve = ow_test_ippeve_start (user_data);
  fixture->uri = fixture->ippeve->uri;
  fixture->port = fixture->ippeve->port;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  ow_test_ippeve_stop (fixture->ippeve);
}

/* ------------------------------------------------------------------------------------------ */

#ifndef OW_TEST_WITH_DOCUMENTS
static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

#endif

/* The document to print: the real acceptance notice where the documents layer is linked, else a
 * one-page PDF drawn here. */
static GBytes *
make_pdf (void)
{
#ifdef OW_TEST_WITH_DOCUMENTS
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) received = g_date_time_new_utc (2026, 11, 25, 6, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *case_no = NULL;
  OwDocumentInfo info;
  GDate date;
  GBytes *pdf;

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

  ow_document_info_init (&info);
  info.hall_name = "海口市政务服务中心";
  info.organ_name = "海口市政务服务中心";
  info.organ_short = "海口政服";
  info.mask_applicant = TRUE;
  pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
  g_assert_no_error (error);
  return pdf;
#else
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_cb, bytes, 595, 842);
  cairo_t *cr = cairo_create (surface);

  cairo_move_to (cr, 72, 72);
  cairo_set_font_size (cr, 24);
  cairo_show_text (cr, "OneWindow printer test");
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
#endif
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static int
print_and_wait (OwPrinter    *printer,
                const char   *destination,
                GBytes       *pdf,
                GCancellable *cancellable,
                GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_printer_print_async (printer, destination, "受理通知书", pdf, 1, cancellable, ready_cb,
                          &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return ow_printer_print_finish (printer, result, error);
}

static void
test_print_completes (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;
  guint n_files = 0;
  int job_id;

  job_id = print_and_wait (printer, fixture->uri, pdf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  /* -k keeps what was received, byte for byte. */
  g_assert_true (ow_test_ippeve_spool_holds (fixture->ippeve, pdf, &n_files));
  g_assert_cmpuint (n_files, >=, 1);

  /* A second job gets its own id. */
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, NULL, &error), ==, job_id + 1);
  g_assert_no_error (error);

  g_assert_cmpint (ow_test_ippeve_job_state (fixture->ippeve, job_id, NULL), ==, IPP_JSTATE_COMPLETED);
  g_assert_cmpint (ow_test_ippeve_job_state (fixture->ippeve, job_id + 1, NULL), ==, IPP_JSTATE_COMPLETED);
}

/* The printer's capabilities are kept between jobs: a printer switched off after a job must
 * still be reported as not answering, and once back it prints again, the same printer object
 * throughout. */
static void
test_printer_gone_and_back (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, NULL, &error), >, 0);
  g_assert_no_error (error);

  ow_test_ippeve_kill (fixture->ippeve);
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, NULL, &error), <=, 0);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_UNREACHABLE);
  g_clear_error (&error);

  ow_test_ippeve_restart (fixture->ippeve, NULL);
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, NULL, &error), >, 0);
  g_assert_no_error (error);
  /* Restarted with an empty spool: the job is the new printer's. */
  g_assert_true (ow_test_ippeve_spool_holds (fixture->ippeve, pdf, &n_files));

  /* Restarted again between two good jobs, while the capabilities are still kept. */
  ow_test_ippeve_restart (fixture->ippeve, NULL);
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (ow_test_ippeve_spool_holds (fixture->ippeve, pdf, &n_files));
}

static void
test_killed_printer_unreachable (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;
  gint64 start;

  ow_test_ippeve_kill (fixture->ippeve);
  start = g_get_monotonic_time ();
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, NULL, &error), <=, 0);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_UNREACHABLE);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
}

static void
test_silent_printer_unreachable (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* A stopped process still accepts connections in the kernel but never answers: the hardest
   * case of a printer that hangs. */
  kill (atoi (g_subprocess_get_identifier (fixture->ippeve->printer)), SIGSTOP);
  start = g_get_monotonic_time ();
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, NULL, &error), <=, 0);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_UNREACHABLE);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 45 * G_USEC_PER_SEC);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  g_assert_cmpint (print_and_wait (printer, "OneWindow-No-Such-Printer", pdf, NULL, &error), <=, 0);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (print_and_wait (printer, "ipp://", pdf, NULL, &error), <=, 0);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The printer answers, but has no such queue. */
  uri = g_strdup_printf ("ipp://localhost:%u/ipp/no-such-queue", fixture->port);
  g_assert_cmpint (print_and_wait (printer, uri, pdf, NULL, &error), <=, 0);
  g_test_message ("%s", error->message);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND);
}

static void
test_not_pdf_refused (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (print_and_wait (printer, fixture->uri, text, NULL, &error), <=, 0);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_REFUSED);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, cancellable, &error), <=, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_while_printing (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gboolean stopping = FALSE;
  gint64 start;
  int state;

  /* Without a print command the job is processed for several seconds: cancel meanwhile. */
  g_timeout_add (700, cancel_cb, cancellable);
  start = g_get_monotonic_time ();
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, cancellable, &error), <=, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  /* The job was cancelled at the printer too, not left to come out later. */
  /* ippeveprinter finishes its simulated page first: "processing-to-stop-point" till then. */
  state = ow_test_ippeve_job_state (fixture->ippeve, 1, &stopping);
  if (state != IPP_JSTATE_CANCELED)
    {
      g_assert_cmpint (state, ==, IPP_JSTATE_PROCESSING);
      g_assert_true (stopping);
    }
}

static void
test_job_aborted (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;

  /* The printer's print command fails, so the printer aborts the job after accepting it. */
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, NULL, &error), <=, 0);
  g_test_message ("%s", error->message);
  g_assert_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_JOB_FAILED);
}

static void
test_list (void)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) printers = NULL;

  /* Whatever the machine has (usually no CUPS server in a test run), listing answers. */
  ow_printer_list_async (printer, NULL, ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  printers = ow_printer_list_finish (printer, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (printers);
  for (guint i = 0; i < printers->len; i++)
    {
      OwPrinterInfo *info = g_ptr_array_index (printers, i);

      g_assert_nonnull (info->name);
      g_assert_nonnull (info->info);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* The test must not reach a CUPS server or printers of the machine it runs on. */
  g_setenv ("CUPS_SERVER", "/nonexistent/ow-test-cups.sock", TRUE);

  g_test_add ("/printer/print-completes", Fixture, NULL, fixture_set_up, test_print_completes,
              fixture_tear_down);
  g_test_add ("/printer/gone-and-back", Fixture, NULL, fixture_set_up,
              test_printer_gone_and_back, fixture_tear_down);
  g_test_add ("/printer/killed-printer-unreachable", Fixture, NULL, fixture_set_up,
              test_killed_printer_unreachable, fixture_tear_down);
  g_test_add ("/printer/silent-printer-unreachable", Fixture, NULL, fixture_set_up,
              test_silent_printer_unreachable, fixture_tear_down);
  g_test_add ("/printer/not-found", Fixture, NULL, fixture_set_up, test_not_found,
              fixture_tear_down);
  g_test_add ("/printer/not-pdf-refused", Fixture, NULL, fixture_set_up, test_not_pdf_refused,
              fixture_tear_down);
  g_test_add ("/printer/cancelled", Fixture, NULL, fixture_set_up, test_cancelled,
              fixture_tear_down);
  g_test_add ("/printer/job-aborted", Fixture, "/bin/false", fixture_set_up, test_job_aborted,
              fixture_tear_down);
  g_test_add ("/printer/cancel-while-printing", Fixture, "", fixture_set_up,
              test_cancel_while_printing, fixture_tear_down);
  g_test_add_func ("/printer/list", test_list);

  return g_test_run ();
}
