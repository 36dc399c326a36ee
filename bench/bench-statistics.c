/* bench-statistics.c — the supervisor's statistics over a hall of 100,000 cases, beside the
 * plainest query of the same table
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills a platform database with N cases (100,000 by default) through the platform's own
 * storage (ow_platform_db_put_case: the columns and item rows the overview counts on are what
 * a PUT writes), spread over the last year at three counters, every channel and state, with a
 * rating for one case in five; starts the real onewindow-platform on it and times
 * GET /api/v1/statistics (a year's period), GET /api/v1/statistics/cases?by=item and the
 * overdue list's first page as the supervisor, each against a plain `SELECT count(*) FROM cases`
 * on the same database. Prints medians and ratios. Not a test: nothing fails because it is slow.
 * With OW_TEST_DB=postgresql (the benchmark statistics-pg) the same on PostgreSQL.
 */
#include "config.h"

#include <stdio.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "core/ow-case-number.h"
#include "core/ow-catalog.h"
#include "core/ow-item.h"
#include "core/ow-validate.h"
#include "net/ow-json.h"
#include "ow-test-platform.h"
#include "platform/ow-platform-db.h"

#define HALL "46010001"

static int n_cases = 100000;
static int rounds = 15;
static char *keep_path = NULL;

static GOptionEntry entries[] = {
  { "cases", 'n', 0, G_OPTION_ARG_INT, &n_cases, "Cases in the hall (100000)", "N" },
  { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Requests timed per figure (15)", "R" },
  { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep_path, "Copy the filled database there", "PATH" },
  { NULL }
};

static const struct
{
  const char *username;
  guint       counter;
} clerks[] = { { "clerk", 7 }, { "clerk2", 3 }, { "clerk3", 5 } };

static const char * const states[] = {
  "accepted", "accepted", "handed-over", "handed-over", "handed-over", "handed-over",
  "delivered", "result-ready", "supplement-requested", "suspended", "refused", "withdrawn",
};

static void
die (const char   *what,
     const GError *error)
{
  g_printerr ("bench-statistics: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static OwCatalog *
load_catalog (void)
{
  g_autofree char *path = g_build_filename (OW_BENCH_DATA_DIR, "catalog.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  OwCatalog *catalog;

  if (!g_file_get_contents (path, &text, NULL, &error) ||
      (node = ow_json_parse (text, -1, &error)) == NULL ||
      (catalog = ow_json_to_catalog (node, &error)) == NULL)
    die ("reading the catalog", error);
  return catalog;
}

/* N cases and their ratings, through the platform's storage, into the database at @path. */
static void
fill (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwPlatformDb) db = ow_platform_db_open (path, OW_PLATFORM_DB_OPEN_CREATE, &error);
  g_autoptr(OwCatalog) catalog = load_catalog ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (100000);
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (8 * 60 * 60);
  GListModel *items = ow_catalog_get_items (catalog);
  guint n_items = g_list_model_get_n_items (items);
  g_autofree guint *sequence = g_new0 (guint, 100 * 400);
  gint64 start = g_get_monotonic_time ();
  GDate today;

  if (db == NULL)
    die ("opening the platform's database", error);
  ow_test_today (&today);
  for (int i = 0; i < n_cases; i++)
    {
      g_autoptr(OwItem) item = g_list_model_get_item (items, g_rand_int_range (rand, 0,
                                                                               (gint32) n_items));
      guint clerk = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (clerks));
      guint back = (guint) g_rand_int_range (rand, 1, 366);
      const char *state = states[g_rand_int_range (rand, 0, G_N_ELEMENTS (states))];
      g_autoptr(OwCase) kase = NULL;
      g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
      g_autoptr(GDateTime) received = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *case_no = NULL;
      g_autofree char *body = NULL;
      OwPlatformPutResult result;
      GDate day = today, promised;
      guint *seq;

      g_date_subtract_days (&day, back);
      /* Numbers from 5000 on: the demo history's own start at 1. */
      seq = &sequence[clerks[clerk].counter * 400 + back];
      if ((case_no = ow_case_number_make (HALL, clerks[clerk].counter, &day, 5000 + ++*seq,
                                          &error)) == NULL)
        die ("making a case number", error);
      kase = ow_case_new (case_no);
      ow_case_set_origin (kase, HALL, clerks[clerk].counter, clerks[clerk].username);
      received = g_date_time_new (zone, (int) g_date_get_year (&day), (int) g_date_get_month (&day),
                                  (int) g_date_get_day (&day), 9 + g_rand_int_range (rand, 0, 7),
                                  g_rand_int_range (rand, 0, 60), 0);
      ow_case_set_received_at (kase, received);
      promised = day;
      g_date_add_days (&promised, ow_item_get_promised_limit (item) * 7 / 5 + 1);
      ow_case_set_promised_date (kase, &promised);
      ow_case_set_channel (kase, (OwCaseChannel) g_rand_int_range (rand, OW_CASE_CHANNEL_WINDOW,
                                                                   OW_CASE_CHANNEL_LAST + 1));
      applicant->name = g_strdup ("张三");
      applicant->id_number = g_strdup ("11010519491231002X");
      applicant->phone = g_strdup ("13800138000");
      ow_case_set_applicant (kase, applicant);
      ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (item),
                                                ow_item_get_basic_code (item),
                                                ow_item_get_name (item),
                                                ow_item_get_department (item)));
      node = ow_json_from_case (kase);
      json_object_set_string_member (json_node_get_object (node), "state", state);
      body = ow_json_to_canonical (node);
      if (!ow_platform_db_put_case (db, case_no, body, state, HALL, clerks[clerk].counter,
                                    clerks[clerk].username, &result, &error))
        die ("storing a case", error);

      if (g_str_equal (state, "handed-over") && g_rand_int_range (rand, 0, 3) == 0)
        {
          g_autofree char *id = g_strdup_printf ("bench-%d", i);
          g_autofree char *rating = NULL;
          int level = g_rand_int_range (rand, 1, 6);

          rating = g_strdup_printf ("{\"at\":\"%04u-%02u-%02uT03:00:00Z\",\"case_no\":\"%s\","
                                    "\"channel\":\"on-site\",\"id\":\"%s\",\"level\":%d,"
                                    "\"text\":null}", g_date_get_year (&promised),
                                    g_date_get_month (&promised), g_date_get_day (&promised),
                                    case_no, id, level);
          if (!ow_platform_db_put_rating (db, id, case_no, "on-site", level, rating, "pickup",
                                          &result, &error))
            die ("storing a rating", error);
        }
      if ((i + 1) % 20000 == 0)
        g_print ("  %d cases stored (%.0f s)\n", i + 1,
                 (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
    }
}

/* Median milliseconds of GET @path as @token, the answer checked each time. */
static double
time_get (OwTestPlatform *platform,
          const char     *path,
          const char     *token,
          gsize          *size)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < rounds + 1; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OwTestResponse) r = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      r = ow_test_platform_request (platform, "GET", path, token, NULL, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (r == NULL || r->status != 200)
        die (path, error);
      *size = g_bytes_get_size (r->body);
      /* The first warms the caches, as a supervisor's first look of the day does. */
      if (i > 0)
        g_array_append_val (samples, ms);
    }
  return median (samples);
}

/* The same on PostgreSQL (OW_TEST_DB=postgresql: @uri is the platform's database), over one
 * connection of its own, as the platform holds one. */
static double
time_count_pg (const char *uri,
               gint64     *count)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    die ("connecting to the database for the baseline", NULL);
  for (int i = 0; i < rounds + 1; i++)
    {
      gint64 start = g_get_monotonic_time ();
      PGresult *result = PQexec (conn, "SELECT count(*) FROM cases");
      double ms;

      if (PQresultStatus (result) != PGRES_TUPLES_OK)
        die ("counting the cases", NULL);
      *count = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      PQclear (result);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (i > 0)
        g_array_append_val (samples, ms);
    }
  PQfinish (conn);
  return median (samples);
}

/* Median milliseconds of SELECT count(*) FROM cases on the same file, as a client of SQLite
 * opening it the way the platform does (WAL). */
static double
time_count (const char *path,
            gint64     *count)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    die ("opening the database for the baseline", NULL);
  for (int i = 0; i < rounds + 1; i++)
    {
      sqlite3_stmt *stmt = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM cases", -1, &stmt, NULL) != SQLITE_OK ||
          sqlite3_step (stmt) != SQLITE_ROW)
        die ("counting the cases", NULL);
      *count = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (i > 0)
        g_array_append_val (samples, ms);
    }
  sqlite3_close (db);
  return median (samples);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) options = g_option_context_new ("— the statistics route's latency");
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = NULL;
  g_autofree char *token = NULL;
  g_autofree char *statistics_path = NULL;
  const struct
  {
    const char *what;
    const char *path;
  } figures[] = {
    { "GET /api/v1/statistics (a year)", NULL },
    { "GET /api/v1/statistics/cases?by=item", "/api/v1/statistics/cases?by=item" },
    { "GET /api/v1/cases?overdue=true&sort=promised", "/api/v1/cases?overdue=true&sort=promised" },
  };
  double baseline, latency[G_N_ELEMENTS (figures)];
  gint64 count = 0;
  GDate today, year_ago;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    die ("options", error);
  if (g_getenv ("OW_PLATFORM_BINARY") == NULL)
    g_setenv ("OW_PLATFORM_BINARY", OW_BENCH_PLATFORM, TRUE);
  if (g_getenv ("OW_DATA_DIR") == NULL)
    g_setenv ("OW_DATA_DIR", OW_BENCH_DATA_DIR, TRUE);

  /* A demo platform makes the schema, the catalog, the calendar and the users; its clerks'
   * cases go in while it is stopped. */
  if ((platform = ow_test_platform_start_with_args ((const char *[]) { "--demo-history",
                                                                       NULL }, &error)) == NULL)
    die ("starting the platform", error);
  ow_test_platform_stop (platform);
  g_print ("Storing %d cases through the platform's storage …\n", n_cases);
  fill (ow_test_platform_get_db_path (platform));
  if (keep_path != NULL && !ow_test_platform_is_postgresql (platform))
    {
      g_autoptr(GFile) from = g_file_new_for_path (ow_test_platform_get_db_path (platform));
      g_autoptr(GFile) to = g_file_new_for_path (keep_path);

      if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        die ("keeping the database", error);
    }
  if (!ow_test_platform_restart (platform, &error) ||
      (token = ow_test_platform_login (platform, "supervisor", "demo", &error)) == NULL)
    die ("restarting the platform", error);

  ow_test_today (&today);
  year_ago = today;
  g_date_subtract_days (&year_ago, 365);
  statistics_path = g_strdup_printf ("/api/v1/statistics?from=%04u-%02u-%02u&to=%04u-%02u-%02u",
                                     g_date_get_year (&year_ago), g_date_get_month (&year_ago),
                                     g_date_get_day (&year_ago), g_date_get_year (&today),
                                     g_date_get_month (&today), g_date_get_day (&today));

  baseline = ow_test_platform_is_postgresql (platform)
               ? time_count_pg (ow_test_platform_get_db_path (platform), &count)
               : time_count (ow_test_platform_get_db_path (platform), &count);
  g_print ("\n%" G_GINT64_FORMAT " cases in the hall on %s; medians of %d rounds after one to "
           "warm up\n", count, ow_test_platform_is_postgresql (platform) ? "PostgreSQL" : "SQLite",
           rounds);
  g_print ("  %-46s %9.2f ms\n", "SELECT count(*) FROM cases (baseline)", baseline);
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      gsize size = 0;

      latency[i] = time_get (platform, i == 0 ? statistics_path : figures[i].path, token, &size);
      g_print ("  %-46s %9.2f ms  %9.1fx baseline  (%zu bytes)\n", figures[i].what, latency[i],
               latency[i] / baseline, size);
    }
  g_print ("SUMMARY cases=%" G_GINT64_FORMAT " count_ms=%.3f statistics_ms=%.2f ratio=%.1f "
           "counts_ms=%.2f overdue_list_ms=%.2f\n", count, baseline, latency[0],
           latency[0] / baseline, latency[1], latency[2]);
  return 0;
}
