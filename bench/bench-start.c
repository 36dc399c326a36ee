/* bench-start.c — start-up, memory and log-in of a counter with a province's catalog, each as a
 * ratio against a minimal libadwaita window measured in the same run
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures, not a test. Runs bench-start-child (one process per start, under the same X server)
 * and prints:
 *
 *   1. second start to a usable search with 50,000 items kept, against the first frame of a
 *      minimal libadwaita window (goal: 1.5x at most);
 *   2. resident memory with 100,000 items and 100,000 cases kept, against the minimal window's,
 *      and what the catalog and its index add, against the same counter with the shipped 153
 *      items (goal: 60 MB per 100,000 items at most), logged in (offline) on the intake page;
 *   3. CPU time from pressing Log In to idle with 50,000 items kept (goal: under 2 s), and, as
 *      a figure only, the first log-in at a new PC, which downloads the whole catalog.
 *
 * The items are the shipped catalog's, cloned under new ids and recombined names (real-sized:
 * about 3.3 KB each, tests/common/ow-test-catalog.c). The 50,000 go through the platform (a
 * streamed import, then the counter's paged download); the 100,000 and the cases are written
 * into a store directly, the way the counter keeps them, to save the time of a download.
 */

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/ow-case-number.h"
#include "net/ow-json.h"
#include "platform/ow-platform-catalog.h"
#include "store/ow-store.h"
#include "ow-test-catalog.h"
#include "ow-test-platform.h"

#define DEAD_PLATFORM "http://127.0.0.1:9/"

static guint opt_items = 50000;
static guint opt_memory_items = 100000;
static guint opt_cases = 100000;
static guint opt_rounds = 3;

static G_NORETURN void
die (const char   *what,
     const GError *error)
{
  g_printerr ("bench-start: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* ---- running the child ------------------------------------------------------------------ */

typedef struct
{
  double frame;
  double search;
  double login_cpu;
  double login_wall;
  double login_render;
  double rss;
} Figures;

static char *child_path;

static Figures
run_child (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  Figures figures = { -1, -1, -1, -1, -1, -1 };

  g_ptr_array_add (argv, child_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  child = g_subprocess_newv ((const char * const *) argv->pdata,
                             G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (child == NULL)
    die ("starting bench-start-child", error);
  if (!g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error))
    die ("reading bench-start-child", error);
  if (!g_subprocess_get_successful (child))
    die ("bench-start-child failed", NULL);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", 2);
      double value;

      if (g_strv_length (parts) != 2)
        continue;
      value = g_ascii_strtod (parts[1], NULL);
      if (g_str_equal (parts[0], "frame"))
        figures.frame = value;
      else if (g_str_equal (parts[0], "search"))
        figures.search = value;
      else if (g_str_equal (parts[0], "login-cpu"))
        figures.login_cpu = value;
      else if (g_str_equal (parts[0], "login-render-cpu"))
        figures.login_render = value;
      else if (g_str_equal (parts[0], "login-wall"))
        figures.login_wall = value;
      else if (g_str_equal (parts[0], "rss"))
        figures.rss = value;
    }
  return figures;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

/* ---- a store with a province in it ------------------------------------------------------ */

typedef struct
{
  OwStore   *store;
  GPtrArray *items;
  GPtrArray *bodies;
} Filling;

static gboolean
flush_page (Filling  *filling,
            GError  **error)
{
  gboolean ok;

  if (filling->items->len == 0)
    return TRUE;
  ok = ow_store_stage_catalog_items (filling->store, filling->items, filling->bodies, error);
  g_ptr_array_set_size (filling->items, 0);
  g_ptr_array_set_size (filling->bodies, 0);
  return ok;
}

static gboolean
item_read_cb (const char  *text,
              gsize        length,
              guint        index,
              gpointer     user_data,
              GError     **error)
{
  Filling *filling = user_data;
  g_autoptr(JsonNode) node = ow_json_parse (text, length, error);
  OwItem *item;

  if (node == NULL || (item = ow_json_to_item (node, NULL, error)) == NULL)
    return FALSE;
  g_ptr_array_add (filling->items, item);
  g_ptr_array_add (filling->bodies, json_to_string (node, FALSE));
  return filling->items->len < 1000 || flush_page (filling, error);
}

/* The catalog at @catalog_path kept in @store as the counter keeps it. */
static void
keep_catalog (OwStore    *store,
              const char *catalog_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (catalog_path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, &error);
  g_autoptr(JsonObject) header = NULL;
  Filling filling = { store, g_ptr_array_new_with_free_func (g_object_unref),
                      g_ptr_array_new_with_free_func (g_free) };

  if (stream == NULL || !ow_store_begin_catalog (store, &error))
    die ("keeping the catalog", error);
  header = ow_platform_catalog_read (G_INPUT_STREAM (stream), item_read_cb, &filling, NULL,
                                     &error);
  if (header == NULL || !flush_page (&filling, &error)
      || !ow_store_finish_catalog (store, 2, "\"rev-2\"", NULL, &error))
    die ("keeping the catalog", error);
  g_ptr_array_unref (filling.items);
  g_ptr_array_unref (filling.bodies);
}

/* @n cases of the demo clerk over the last days, written as the store writes them. */
static void
keep_cases (const char *store_path,
            guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GDate today;

  applicant->name = g_strdup ("张三");
  applicant->id_number = g_strdup ("11010519491231002X");
  applicant->phone = g_strdup ("13800138000");
  applicant->address = g_strdup ("海口市龙华区滨海大道1号");
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));

  if (sqlite3_open (store_path, &db) != SQLITE_OK
      || sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO cases (case_no, state, applicant_id, "
                                 "applicant_name, updated_at, data_type, data) "
                                 "VALUES (?, 'accepted', ?, ?, ?, ?, ?)", -1, &stmt,
                             NULL) != SQLITE_OK)
    die ("writing the cases", NULL);
  for (guint i = 0; i < n; i++)
    {
      GDate day = today;
      g_autofree char *case_no = NULL;
      g_autoptr(OwCase) kase = NULL;
      g_autoptr(GVariant) data = NULL;
      g_autofree char *item_id = ow_test_catalog_item_id (i % 997);

      g_date_subtract_days (&day, i / 5000);
      case_no = ow_case_number_make ("46010001", 7, &day, i % 5000 + 1, &error);
      if (case_no == NULL)
        die ("making a case number", error);
      kase = ow_case_new (case_no);
      ow_case_set_applicant (kase, applicant);
      ow_case_set_origin (kase, "46010001", 7, "clerk");
      ow_case_set_received_at (kase, now);
      ow_case_add_item (kase, ow_case_item_new (item_id, "000101", "企业设立登记",
                                                "海口市市场监督管理局"));
      ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
      data = g_variant_take_ref (ow_case_serialize (kase));
      sqlite3_bind_text (stmt, 1, case_no, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, applicant->id_number, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, applicant->name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, g_get_real_time () - i);
      sqlite3_bind_text (stmt, 5, g_variant_get_type_string (data), -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob64 (stmt, 6, g_variant_get_data (data), g_variant_get_size (data),
                           SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        die ("writing a case", NULL);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    die ("writing the cases", NULL);
  sqlite3_close (db);
}

/* What lets the demo clerk log in offline at @platform, as an online log-in would leave it. */
static void
keep_credential (OwStore    *store,
                 const char *platform)
{
  g_autoptr(GError) error = NULL;
  char verifier[crypto_pwhash_STRBYTES];
  char *roles[] = { (char *) "clerk", NULL };
  g_autofree char *key = g_strdup (platform);
  OwStoreCredential credential = {
    .username = (char *) "clerk", .display_name = (char *) "王小明", .roles = roles,
    .hall = (char *) "46010001", .hall_name = (char *) "海口市政务服务中心", .counter = 7,
  };

  /* The client names its platform without the trailing slash. */
  if (g_str_has_suffix (key, "/"))
    key[strlen (key) - 1] = '\0';
  if (crypto_pwhash_str (verifier, "demo", 4, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    die ("hashing", NULL);
  credential.platform = key;
  credential.verifier = verifier;
  credential.verified_at = g_get_real_time ();
  if (!ow_store_save_credential (store, &credential, &error))
    die ("keeping the offline log-in", error);
}

static char *
make_store (const char *dir,
            const char *name)
{
  g_autofree char *folder = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (folder, 0700);
  return g_build_filename (folder, "onewindow.db", NULL);
}

/* ---- the run ---------------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = NULL;
  g_autoptr(GArray) minimal_frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) minimal_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) logins = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) login_walls = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) login_renders = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *catalog_path = NULL;
  g_autofree char *memory_catalog_path = NULL;
  g_autofree char *store = NULL;
  g_autofree char *memory_store = NULL;
  g_autofree char *small_store = NULL;
  g_autofree char *small_catalog_path = NULL;
  g_autofree char *self_dir = NULL;
  gboolean keep = g_getenv ("OW_BENCH_KEEP") != NULL;
  const char *uri;
  double minimal_frame, minimal_mem, search, login_cpu, first_login_cpu, first_login_wall;
  double rss_province, rss_province_logged_in, rss_small;
  double start_ratio, added_mb, per_100k;
  gint64 start;
  const GOptionEntry entries[] = {
    { "items", 0, 0, G_OPTION_ARG_INT, &opt_items, "Items for the start and log-in", "N" },
    { "memory-items", 0, 0, G_OPTION_ARG_INT, &opt_memory_items, "Items for memory", "N" },
    { "cases", 0, 0, G_OPTION_ARG_INT, &opt_cases, "Cases for memory", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &opt_rounds, "Starts of each kind", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    die ("options", error);
  if (sodium_init () < 0)
    die ("libsodium", NULL);
  if (g_getenv ("DISPLAY") == NULL)
    die ("no X display: run under xvfb-run (meson test --benchmark does)", NULL);

  self_dir = g_path_get_dirname (argv[0]);
  child_path = g_build_filename (self_dir, "bench-start-child", NULL);
  dir = g_dir_make_tmp ("ow-bench-start-XXXXXX", &error);
  if (dir == NULL)
    die ("a temporary folder", error);

  /* The platform with a province's catalog. */
  platform = ow_test_platform_start (&error);
  if (platform == NULL)
    die ("starting the platform", error);
  uri = ow_test_platform_get_base_uri (platform);
  catalog_path = g_build_filename (dir, "catalog.json", NULL);
  start = g_get_monotonic_time ();
  {
    OwTestCatalogSpec spec = { .first = 0, .n_items = opt_items, .revision = 2, .seed = 1 };

    if (!ow_test_catalog_write (catalog_path, &spec, &error))
      die ("writing the catalog", error);
  }
  g_print ("catalog of %u items written in %.1f s\n", opt_items, seconds_since (start));
  start = g_get_monotonic_time ();
  {
    g_autoptr(GSubprocess) admin = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                                     g_getenv ("OW_PLATFORM_BINARY"), "admin",
                                                     "--db",
                                                     ow_test_platform_get_db_path (platform),
                                                     "import-catalog", catalog_path, NULL);

    if (admin == NULL || !g_subprocess_wait_check (admin, NULL, &error))
      die ("importing the catalog", error);
  }
  g_print ("imported into the platform (streamed, checked twice) in %.1f s\n",
           seconds_since (start));

  /* A new PC: the first log-in downloads the whole catalog, keeps it and its index. */
  store = make_store (dir, "counter-50k");
  {
    const char *args[] = { "--app", "--store", store, "--platform", uri, "--login", "clerk",
                           NULL };
    Figures f = run_child (args);

    first_login_cpu = f.login_cpu;
    first_login_wall = f.login_wall;
  }
  g_print ("first log-in at a new PC (downloads %u items): %.1f s CPU, %.1f s\n", opt_items,
           first_login_cpu / 1000, first_login_wall / 1000);

  /* Second starts: the catalog and its index from the store, each after a start of the
   * baseline, so that both see the same load of a shared machine. */
  for (guint i = 0; i < opt_rounds; i++)
    {
      const char *minimal[] = { "--minimal", NULL };
      const char *args[] = { "--app", "--store", store, "--platform", uri, NULL };
      Figures base = run_child (minimal);
      Figures f = run_child (args);

      g_array_append_val (minimal_frames, base.frame);
      g_array_append_val (minimal_rss, base.rss);
      g_array_append_val (frames, f.frame);
      g_array_append_val (searches, f.search);
    }
  minimal_frame = median (minimal_frames);
  minimal_mem = median (minimal_rss);
  g_print ("minimal libadwaita window: first frame %.0f ms, RSS %.0f MB\n", minimal_frame,
           minimal_mem / 1024);
  search = median (searches);
  g_print ("second start with %u items kept: first frame %.0f ms, usable search %.0f ms\n",
           opt_items, median (frames), search);
  for (guint i = 0; i < opt_rounds; i++)
    {
      const char *args[] = { "--app", "--store", store, "--platform", uri, "--login", "clerk",
                             NULL };
      Figures f = run_child (args);

      g_array_append_val (logins, f.login_cpu);
      g_array_append_val (login_walls, f.login_wall);
      g_array_append_val (login_renders, f.login_render);
    }
  login_cpu = median (logins);
  g_print ("log-in to idle with %u items kept: %.2f s CPU (of which %.2f s in the software "
           "renderer), %.2f s\n", opt_items, login_cpu / 1000, median (login_renders) / 1000,
           median (login_walls) / 1000);

  /* Memory: a province's catalog and a counter's years of cases, kept. */
  memory_store = make_store (dir, "counter-100k");
  small_store = make_store (dir, "counter-small");
  small_catalog_path = g_build_filename (g_getenv ("OW_DATA_DIR") != NULL ? g_getenv ("OW_DATA_DIR")
                                                                         : OW_BENCH_DATA_DIR,
                                         "catalog.json", NULL);
  memory_catalog_path = g_build_filename (dir, "catalog-memory.json", NULL);
  start = g_get_monotonic_time ();
  {
    OwTestCatalogSpec spec = { .first = 0, .n_items = opt_memory_items, .revision = 2,
                               .seed = 2 };
    g_autoptr(OwStore) kept = NULL;
    g_autoptr(OwStore) small = NULL;

    if (!ow_test_catalog_write (memory_catalog_path, &spec, &error))
      die ("writing the catalog", error);
    if ((kept = ow_store_open (memory_store, &error)) == NULL)
      die ("opening a store", error);
    keep_catalog (kept, memory_catalog_path);
    keep_credential (kept, DEAD_PLATFORM);
    if ((small = ow_store_open (small_store, &error)) == NULL)
      die ("opening a store", error);
    keep_catalog (small, small_catalog_path);
    keep_credential (small, DEAD_PLATFORM);
  }
  keep_cases (memory_store, opt_cases);
  keep_cases (small_store, opt_cases);
  g_print ("stores with %u items and %u cases written in %.1f s\n", opt_memory_items, opt_cases,
           seconds_since (start));
  {
    const char *first[] = { "--app", "--store", memory_store, "--platform", DEAD_PLATFORM,
                            NULL };
    const char *args[] = { "--app", "--store", memory_store, "--platform", DEAD_PLATFORM,
                           NULL };
    const char *logged_in[] = { "--app", "--store", memory_store, "--platform", DEAD_PLATFORM,
                                "--login", "clerk", NULL };
    const char *small_first[] = { "--app", "--store", small_store, "--platform",
                                  DEAD_PLATFORM, NULL };
    const char *small_logged_in[] = { "--app", "--store", small_store, "--platform",
                                      DEAD_PLATFORM, "--login", "clerk", NULL };

    /* The first start builds the index and keeps it; the second is the one measured. */
    run_child (first);
    rss_province = run_child (args).rss;
    rss_province_logged_in = run_child (logged_in).rss;
    run_child (small_first);
    rss_small = run_child (small_logged_in).rss;
  }
  added_mb = (rss_province_logged_in - rss_small) / 1024;
  per_100k = added_mb * 100000.0 / opt_memory_items;
  g_print ("RSS with %u items and %u cases kept: %.0f MB before log-in, %.0f MB logged in "
           "(offline); the same counter with the shipped 153 items, logged in: %.0f MB\n",
           opt_memory_items, opt_cases, rss_province / 1024, rss_province_logged_in / 1024,
           rss_small / 1024);

  start_ratio = search / minimal_frame;
  g_print ("\n");
  g_print ("start:  usable search %.0f ms / minimal window's first frame %.0f ms = %.2fx "
           "(goal <= 1.5x)\n", search, minimal_frame, start_ratio);
  g_print ("memory: %.0f MB / minimal window's %.0f MB = %.2fx; the catalog and its index "
           "add %.1f MB per 100,000 items (goal <= 60)\n", rss_province_logged_in / 1024,
           minimal_mem / 1024, rss_province_logged_in / minimal_mem, per_100k);
  g_print ("log-in: %.2f s CPU from Log In to idle with %u items (goal < 2 s)\n",
           login_cpu / 1000, opt_items);
  g_print ("SUMMARY start_ratio=%.2f memory_ratio=%.2f catalog_mb_per_100k=%.1f "
           "login_cpu_s=%.2f first_login_cpu_s=%.1f\n", start_ratio,
           rss_province_logged_in / minimal_mem, per_100k, login_cpu / 1000,
           first_login_cpu / 1000);

  ow_test_platform_free (g_steal_pointer (&platform));
  if (keep)
    g_print ("kept: %s\n", dir);
  else
  {
    const char *rm[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                  NULL);
  }
  return 0;
}
