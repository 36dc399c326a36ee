/* bench-print.c — the acceptance notice rendered and printed, beside ipptool sending the same PDF
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it prints figures. It starts its own ippeveprinter (jobs complete at once), then
 * in the same run, N rounds (argument or OW_BENCH_N, default 20) of
 *   A. render the acceptance notice (all its copies) and print it with OwPrinter, followed
 *      until the printer reports the job completed — what the counter does;
 *   B. `ipptool -tf notice.pdf ipp://… print-job.test` of the same finished PDF — a bare IPP
 *      client that sends the file and does not wait for the job to complete;
 * one of each per round, so that both sides see the same state of a shared machine. As
 * ippeveprinter refuses a Print-Job while it prints another job, the benchmark waits
 * (untimed) until the printer is idle before each. It prints the mean and median milliseconds
 * per notice of each and their ratio (of the medians: one slow round on a busy machine does
 * not decide it).
 *
 * Then memory: it renders M more notices (OW_BENCH_MEMORY_N, default 1,000) and prints the
 * bytes malloc holds (mallinfo2) and the resident size after the tenth and after the last, and
 * the growth per notice in between.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cups/cups.h>

#include "core/ow-case-number.h"
#include "devices/ow-printer.h"
#include "documents/ow-document.h"
#include "ow-test-ippeve.h"

static OwCase *
make_case (guint sequence)
{
  OwCase *kase;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) received = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *case_no = NULL;
  g_autofree char *document_no = NULL;
  OwCaseMaterial *material;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 25, 11, 2026);
  case_no = ow_case_number_make ("46010001", 7, &date, sequence, &error);
  g_assert_no_error (error);
  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, "K7Q2MX");
  ow_case_set_origin (kase, "46010001", 7, "clerk");
  ow_case_set_received_at (kase, received);
  g_date_set_dmy (&date, 9, 12, 2026);
  ow_case_set_promised_date (kase, &date);
  document_no = ow_document_number ("海口政服", OW_DOCUMENT_ACCEPTANCE, 2026, sequence);
  ow_case_set_document_no (kase, document_no);
  applicant->name = g_strdup ("张三");
  applicant->id_number = g_strdup ("11010519491231002X");
  applicant->phone = g_strdup ("13800138000");
  ow_case_set_applicant (kase, applicant);
  ow_case_add_item (kase, ow_case_item_new ("114601000083123456700001", "000123",
                                            "食品经营许可证核发", "海口市市场监督管理局"));
  material = ow_case_material_new ("m1", "食品经营许可申请书");
  material->status = OW_MATERIAL_STATUS_PAPER;
  material->originals = 1;
  ow_case_add_material (kase, material);
  material = ow_case_material_new ("m2", "营业执照");
  material->status = OW_MATERIAL_STATUS_SHARED;
  ow_case_add_material (kase, material);
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  return kase;
}

static GBytes *
render_notice (guint sequence)
{
  g_autoptr(OwCase) kase = make_case (sequence);
  g_autoptr(GError) error = NULL;
  OwDocumentInfo info;
  GBytes *pdf;

  ow_document_info_init (&info);
  info.hall_name = "海口市政务服务中心";
  info.organ_name = "海口市政务服务中心";
  info.organ_short = "海口政服";
  info.clerk_name = "王小明";
  /* 一式三份, as the counter prints it by default. */
  pdf = ow_document_render_copies (OW_DOCUMENT_ACCEPTANCE, kase, &info, 3, &error);
  g_assert_no_error (error);
  return pdf;
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
print_notice (OwPrinter  *printer,
              const char *uri,
              GBytes     *pdf)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int job_id;

  ow_printer_print_async (printer, uri, "受理通知书", pdf, 1, NULL, ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  job_id = ow_printer_print_finish (printer, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);
}

/* Waits until the printer has no job in hand. */
static void
wait_idle (OwTestIppeve *ippeve)
{
  for (guint tries = 0; tries < 500; tries++)
    {
      http_t *http = httpConnect2 ("localhost", ippeve->port, NULL, AF_UNSPEC,
                                   HTTP_ENCRYPTION_NEVER, 1, 5000, NULL);
      ipp_t *request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
      ipp_t *response;
      ipp_attribute_t *attr;
      int state = 0;

      g_assert_nonnull (http);
      ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, ippeve->uri);
      ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL,
                    "printer-state");
      response = cupsDoRequest (http, request, "/ipp/print");
      attr = response != NULL ? ippFindAttribute (response, "printer-state", IPP_TAG_ENUM) : NULL;
      if (attr != NULL)
        state = ippGetInteger (attr, 0);
      ippDelete (response);
      httpClose (http);
      if (state == IPP_PSTATE_IDLE)
        return;
      g_usleep (2000);
    }
  g_error ("The printer did not become idle.");
}

static void
ipptool_print (const char *uri,
               const char *path)
{
  const char *argv[] = { "ipptool", "-tf", path, uri, "print-job.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("ipptool failed: %s\n%s", error->message, out);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);

  g_array_sort (sorted, compare_doubles);
  return g_array_index (sorted, double, sorted->len / 2);
}

static double
mean (GArray *values)
{
  double sum = 0;

  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return sum / values->len;
}

/* Bytes malloc hands out now, in every arena. */
static double
heap_bytes (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (double) info.uordblks + (double) info.hblkhd;
}

static double
rss_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL)
      || sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return (double) resident * sysconf (_SC_PAGESIZE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GBytes) finished = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) renders = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) tool = g_array_new (FALSE, FALSE, sizeof (double));
  OwTestIppeve *ippeve;
  const char *n_text = argc > 1 ? argv[1] : g_getenv ("OW_BENCH_N");
  const char *m_text = g_getenv ("OW_BENCH_MEMORY_N");
  guint n = n_text != NULL ? (guint) g_ascii_strtoull (n_text, NULL, 10) : 20;
  guint m = m_text != NULL ? (guint) g_ascii_strtoull (m_text, NULL, 10) : 1000;
  double heap_10 = 0, rss_10 = 0, heap_m, rss_m;
  guint sequence = 2;

  setlocale (LC_ALL, "");
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_setenv ("CUPS_SERVER", "/nonexistent/ow-bench-cups.sock", TRUE);
  n = MAX (n, 1);
  m = MAX (m, 11);

  ippeve = ow_test_ippeve_start (NULL);
  finished = render_notice (1);
  path = ow_test_ippeve_path (ippeve, "notice.pdf");
  g_file_set_contents (path, g_bytes_get_data (finished, NULL), g_bytes_get_size (finished),
                       &error);
  g_assert_no_error (error);

  /* One of each first, so that fonts, connections and the printer are warm for both. */
  print_notice (printer, ippeve->uri, finished);
  wait_idle (ippeve);
  ipptool_print (ippeve->uri, path);

  for (guint i = 0; i < n; i++)
    {
      gint64 start, rendered;
      double ms;

      wait_idle (ippeve);
      start = g_get_monotonic_time ();
      {
        g_autoptr(GBytes) pdf = render_notice (sequence++);

        rendered = g_get_monotonic_time ();
        print_notice (printer, ippeve->uri, pdf);
      }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (ours, ms);
      ms = (rendered - start) / 1000.0;
      g_array_append_val (renders, ms);

      wait_idle (ippeve);
      start = g_get_monotonic_time ();
      ipptool_print (ippeve->uri, path);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (tool, ms);
    }

  printf ("print benchmark: %u rounds, acceptance notice (3 copies, %.1f KiB) to ippeveprinter"
          " at %s\n", n, g_bytes_get_size (finished) / 1024.0, ippeve->uri);
  printf ("  OneWindow render + print, followed to completion: mean %6.1f ms, median %6.1f ms "
          "(render: median %.1f ms)\n", mean (ours), median (ours), median (renders));
  printf ("  ipptool -tf notice.pdf print-job.test:            mean %6.1f ms, median %6.1f ms\n",
          mean (tool), median (tool));
  printf ("  ratio OneWindow / ipptool:                        mean %6.2f,    median %6.2f "
          "(aim: 1.5 or less)\n", mean (ours) / mean (tool), median (ours) / median (tool));
  ow_test_ippeve_stop (ippeve);

  /* Memory: only this process's own rendering from here on. */
  for (guint i = 0; i < m; i++)
    {
      g_autoptr(GBytes) pdf = render_notice (sequence++);

      if (i == 9)
        {
          heap_10 = heap_bytes ();
          rss_10 = rss_bytes ();
        }
    }
  heap_m = heap_bytes ();
  rss_m = rss_bytes ();
  printf ("memory over %u rendered notices: malloc'd %.2f MiB after 10, %.2f MiB after %u "
          "(%+.0f bytes per notice); resident %.1f MiB after 10, %.1f MiB after %u\n", m,
          heap_10 / (1024 * 1024), heap_m / (1024 * 1024), m, (heap_m - heap_10) / (m - 10),
          rss_10 / (1024 * 1024), rss_m / (1024 * 1024), m);
  printf ("SUMMARY ratio_median=%.2f ratio_mean=%.2f ours_ms=%.1f ipptool_ms=%.1f "
          "render_ms=%.1f heap_growth_per_notice=%.0f\n", median (ours) / median (tool),
          mean (ours) / mean (tool), median (ours), median (tool), median (renders),
          (heap_m - heap_10) / (m - 10));
  return 0;
}
