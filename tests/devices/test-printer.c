/* test-printer.c — the printer against a real IPP Everywhere printer (ippeveprinter)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cups/cups.h>
#include <cairo.h>

#include "devices/ow-printer.h"

#ifdef OW_TEST_WITH_DOCUMENTS
#include "core/ow-case-number.h"
#include "documents/ow-document.h"
#endif

typedef struct
{
  char        *tmpdir;
  char        *spool;
  GSubprocess *bus;
  GSubprocess *printer;
  guint16      port;
  char        *uri;
} Fixture;

static guint16
pick_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Children die with the test, even when an assertion aborts it before the tear-down. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

static gboolean
printer_answers (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "localhost", port, NULL, NULL);
  return connection != NULL;
}

/* Starts a private D-Bus daemon (ippeveprinter needs one for DNS-SD even with -r off) and the
 * printer on a free port, and waits until it answers. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocessLauncher) bus_launcher = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *address = NULL;
  g_autofree char *port = NULL;
  gint64 deadline;

  fixture->tmpdir = g_dir_make_tmp ("ow-printer-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->spool = g_build_filename (fixture->tmpdir, "spool", NULL);
  g_assert_cmpint (g_mkdir (fixture->spool, 0700), ==, 0);

  bus_launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  fixture->bus = g_subprocess_launcher_spawn (bus_launcher, &error, "dbus-daemon", "--session",
                                              "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->bus));
  address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);

  fixture->port = pick_free_port ();
  port = g_strdup_printf ("%u", fixture->port);
  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  /* @user_data is the print command; "" leaves it out, and ippeveprinter then takes a few
   * seconds per job as a real printer would. */
  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) "ippeveprinter");
  g_ptr_array_add (argv, (char *) "-p");
  g_ptr_array_add (argv, port);
  g_ptr_array_add (argv, (char *) "-n");
  g_ptr_array_add (argv, (char *) "localhost");
  g_ptr_array_add (argv, (char *) "-d");
  g_ptr_array_add (argv, fixture->spool);
  g_ptr_array_add (argv, (char *) "-k");
  if (g_strcmp0 (user_data, "") != 0)
    {
      g_ptr_array_add (argv, (char *) "-c");
      g_ptr_array_add (argv, (char *) (user_data != NULL ? user_data : "/bin/true"));
    }
  g_ptr_array_add (argv, (char *) "-f");
  g_ptr_array_add (argv, (char *) "application/pdf,image/pwg-raster");
  g_ptr_array_add (argv, (char *) "-r");
  g_ptr_array_add (argv, (char *) "off");
  g_ptr_array_add (argv, (char *) "OneWindowTest");
  g_ptr_array_add (argv, NULL);
  fixture->printer = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                   &error);
  g_assert_no_error (error);
  fixture->uri = g_strdup_printf ("ipp://localhost:%u/ipp/print", fixture->port);

  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!printer_answers (fixture->port))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
}

static void
stop_process (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_force_exit (*process);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* A stopped printer (SIGSTOP in one test) must be woken for SIGKILL to be reaped cleanly. */
  if (fixture->printer != NULL && g_subprocess_get_identifier (fixture->printer) != NULL)
    kill (atoi (g_subprocess_get_identifier (fixture->printer)), SIGCONT);
  stop_process (&fixture->printer);
  stop_process (&fixture->bus);
  remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->spool);
  g_free (fixture->uri);
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

/* Finds the spooled file that holds exactly @pdf. */
static gboolean
spool_holds (const char *dir,
             GBytes     *pdf,
             guint      *n_files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  gboolean found = FALSE;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          found |= spool_holds (path, pdf, n_files);
          continue;
        }
      (*n_files)++;
      if (g_file_get_contents (path, &contents, &length, NULL)
          && length == g_bytes_get_size (pdf)
          && memcmp (contents, g_bytes_get_data (pdf, NULL), length) == 0)
        found = TRUE;
    }
  return found;
}

/* How the printer says a job stands, asked independently of the code under test. */
static int
get_job_state (Fixture   *fixture,
               int        job_id,
               gboolean  *stopping)
{
  http_t *http = httpConnect2 ("localhost", fixture->port, NULL, AF_UNSPEC, HTTP_ENCRYPTION_NEVER,
                               1, 5000, NULL);
  ipp_t *request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  ipp_t *response;
  ipp_attribute_t *attr;
  int state;

  g_assert_nonnull (http);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, fixture->uri);
  ippAddInteger (request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
                cupsUser ());
  response = cupsDoRequest (http, request, "/ipp/print");
  g_assert_nonnull (response);
  g_assert_cmpint (ippGetStatusCode (response), ==, IPP_STATUS_OK);
  attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM);
  g_assert_nonnull (attr);
  state = ippGetInteger (attr, 0);
  attr = ippFindAttribute (response, "job-state-reasons", IPP_TAG_KEYWORD);
  if (stopping != NULL)
    *stopping = attr != NULL && ippContainsString (attr, "processing-to-stop-point");
  ippDelete (response);
  httpClose (http);
  return state;
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
  g_assert_true (spool_holds (fixture->spool, pdf, &n_files));
  g_assert_cmpuint (n_files, >=, 1);

  /* A second job gets its own id. */
  g_assert_cmpint (print_and_wait (printer, fixture->uri, pdf, NULL, &error), ==, job_id + 1);
  g_assert_no_error (error);

  g_assert_cmpint (get_job_state (fixture, job_id, NULL), ==, IPP_JSTATE_COMPLETED);
  g_assert_cmpint (get_job_state (fixture, job_id + 1, NULL), ==, IPP_JSTATE_COMPLETED);
}

static void
test_killed_printer_unreachable (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;
  gint64 start;

  stop_process (&fixture->printer);
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
  kill (atoi (g_subprocess_get_identifier (fixture->printer)), SIGSTOP);
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
  state = get_job_state (fixture, 1, &stopping);
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
