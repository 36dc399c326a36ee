/* bench-pickup.c — finding a case at the pick-up window in a local mirror of 100,000 cases
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures, not a test. Builds a real local store (ow_store_open, then its tables filled in one
 * SQLite transaction: one transaction per case, as the feed saves them, would time the disk's
 * fsync, not a look-up) with 100,000 cases of one hall over a year, for 40,000 applicants, a
 * twentieth of them ready for pick-up with their timelines, and times what the window does when
 * a receipt is scanned or a number typed:
 *   - a case number: ow_lookup_parse() (the check character) and ow_store_load_pickup_case();
 *   - an ID number: ow_lookup_parse() and ow_store_find_pickup_cases() of the applicant;
 *   - the waiting list: ow_store_list_pickup_cases() of the hall's ready cases, the 300 longest
 *     waits the page lists and, for scale, all of them (not a look-up: read in a worker thread
 *     after each batch of the feed).
 * Each is printed against one frame at 60 Hz (16.7 ms), the window's budget for an answer that
 * feels immediate: ratio = time / 16.7 ms, below 1 fits in a frame.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/ow-case-number.h"
#include "core/ow-lookup.h"
#include "core/ow-validate.h"
#include "store/ow-store.h"

#define FRAME_US 16667.0
#define HALL     "46010001"
/* What the pick-up page lists (ow-pickup-page.c). */
#define LIST_LIMIT 300

static guint n_cases = 100000;
static guint n_applicants = 40000;
static guint n_lookups = 2000;
static gboolean keep = FALSE;

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
percentile (GArray *samples,
            double  p)
{
  g_array_sort (samples, compare_gint64);
  return (double) g_array_index (samples, gint64, (guint) (p * (samples->len - 1) + 0.5));
}

/* A valid resident ID for applicant @n: a Hainan region, a birth date, the check character. */
static char *
make_id (guint n)
{
  char first17[18];
  GString *id;

  g_snprintf (first17, sizeof first17, "460100%04u%02u%02u%03u", 1950 + n % 50, 1 + n % 12,
              1 + n % 28, n % 1000);
  id = g_string_new (first17);
  g_string_append_c (id, ow_resident_id_check_char (first17));
  return g_string_free (id, FALSE);
}

static OwCase *
make_case (guint        i,
           const GDate *day,
           char       **id_out)
{
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) received = g_date_time_new_utc (g_date_get_year (day),
                                                       g_date_get_month (day),
                                                       g_date_get_day (day), 2, 0, 0);
  /* Counter and day repeat every 1,460 cases (the least common multiple of 20 and 365): the
   * counter's sequence counts those rounds. */
  g_autofree char *case_no = ow_case_number_make (HALL, 1 + i % 20, day, 1 + i / 1460, NULL);
  OwCaseMaterial *material;
  OwCase *kase;

  g_assert (case_no != NULL);
  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, "K7Q2MX");
  applicant->name = g_strdup ("张三");
  applicant->id_number = make_id (i % n_applicants);
  applicant->phone = g_strdup ("13800138000");
  *id_out = g_strdup (applicant->id_number);
  ow_case_set_applicant (kase, applicant);
  ow_case_set_origin (kase, HALL, 1 + i % 20, "clerk");
  ow_case_set_received_at (kase, received);
  ow_case_add_item (kase, ow_case_item_new ("11460100MB1234567X400011", "000117001",
                                            "食品经营许可（新办）", "海口市市场监督管理局"));
  material = ow_case_material_new ("m1", "食品经营许可申请书");
  material->status = OW_MATERIAL_STATUS_PAPER;
  material->originals = 1;
  ow_case_add_material (kase, material);
  ow_case_set_delivery (kase, i % 10 == 0 ? OW_DELIVERY_POST : OW_DELIVERY_PICKUP,
                        i % 10 == 0 ? "张三" : NULL, i % 10 == 0 ? "13800138000" : NULL,
                        i % 10 == 0 ? "海口市龙华区滨海大道1号" : NULL);
  ow_case_set_state (kase, i % 20 == 0 ? OW_CASE_STATE_RESULT_READY
                           : i % 3 == 0 ? OW_CASE_STATE_ACCEPTED : OW_CASE_STATE_HANDED_OVER);
  return kase;
}

static gboolean
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_printerr ("%s: %s\n", sql, message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Fills the store's tables as the feed and the mirror would, in one transaction; returns the
 * case numbers and applicants' IDs in @case_nos and @ids. */
static gboolean
fill (const char *path,
      GPtrArray  *case_nos,
      GPtrArray  *ids)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *cases = NULL, *events = NULL;
  gint64 now = g_get_real_time ();
  GDate first;

  if (sqlite3_open (path, &db) != SQLITE_OK || !exec (db, "BEGIN"))
    return FALSE;
  sqlite3_prepare_v2 (db, "INSERT INTO cases (case_no, state, applicant_id, applicant_name, "
                      "updated_at, data_type, data) VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &cases,
                      NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO case_events (id, case_no, kind, at, body) "
                      "VALUES (?, ?, ?, ?, '{}')", -1, &events, NULL);
  g_date_clear (&first, 1);
  g_date_set_dmy (&first, 1, G_DATE_JANUARY, 2026);
  for (guint i = 0; i < n_cases; i++)
    {
      GDate day = first;
      g_autoptr(OwCase) kase = NULL;
      g_autoptr(GVariant) data = NULL;
      char *id = NULL;

      g_date_add_days (&day, i % 365);
      kase = make_case (i, &day, &id);
      data = g_variant_take_ref (ow_case_serialize (kase));
      sqlite3_bind_text (cases, 1, ow_case_get_case_no (kase), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (cases, 2, ow_case_state_to_string (ow_case_get_state (kase)), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (cases, 3, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (cases, 4, "张三", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (cases, 5, now - (gint64) (n_cases - i) * G_USEC_PER_SEC);
      sqlite3_bind_text (cases, 6, g_variant_get_type_string (data), -1, SQLITE_STATIC);
      sqlite3_bind_blob64 (cases, 7, g_variant_get_data (data), g_variant_get_size (data),
                           SQLITE_TRANSIENT);
      if (sqlite3_step (cases) != SQLITE_DONE)
        {
          g_printerr ("insert: %s\n", sqlite3_errmsg (db));
          return FALSE;
        }
      sqlite3_reset (cases);
      if (ow_case_get_state (kase) != OW_CASE_STATE_ACCEPTED)
        {
          /* The steps the window reads: the decision and the result ready. */
          const char *kinds[] = { i % 40 == 0 ? "not-approved" : "approved", "result-ready" };

          for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
            {
              g_autofree char *event_id = g_strdup_printf ("%s-%u", ow_case_get_case_no (kase),
                                                           k);

              sqlite3_bind_text (events, 1, event_id, -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (events, 2, ow_case_get_case_no (kase), -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (events, 3, kinds[k], -1, SQLITE_STATIC);
              sqlite3_bind_int64 (events, 4, now - (gint64) (n_cases - i) * G_USEC_PER_SEC + k);
              if (sqlite3_step (events) != SQLITE_DONE)
                {
                  g_printerr ("insert: %s\n", sqlite3_errmsg (db));
                  return FALSE;
                }
              sqlite3_reset (events);
            }
        }
      g_ptr_array_add (case_nos, g_strdup (ow_case_get_case_no (kase)));
      if (i < n_applicants)
        g_ptr_array_add (ids, id);
      else
        g_free (id);
    }
  sqlite3_finalize (cases);
  sqlite3_finalize (events);
  if (!exec (db, "COMMIT") || !exec (db, "ANALYZE"))
    return FALSE;
  sqlite3_close (db);
  return TRUE;
}

static void
report (const char *what,
        GArray     *samples)
{
  double median = percentile (samples, 0.5);
  double p99 = percentile (samples, 0.99);
  double worst = percentile (samples, 1.0);

  g_print ("  %-42s median %8.1f us (%.3f frame)   p99 %8.1f us (%.3f frame)   max %8.1f us\n",
           what, median, median / FRAME_US, p99, p99 / FRAME_US, worst);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(GPtrArray) case_nos = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) by_number = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) by_id = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) waiting = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) waiting_all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  GOptionEntry entries[] = {
    { "cases", 0, 0, G_OPTION_ARG_INT, &n_cases, "Cases in the mirror (100000)", "N" },
    { "lookups", 0, 0, G_OPTION_ARG_INT, &n_lookups, "Look-ups of each kind (2000)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the store, to look at it", NULL },
    { NULL }
  };
  guint ready = 0, found = 0;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_applicants = MAX (n_cases * 2 / 5, 1);

  dir = g_dir_make_tmp ("ow-bench-pickup-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "onewindow.db", NULL);
  store = ow_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  start = g_get_monotonic_time ();
  if (!fill (path, case_nos, ids))
    return 1;
  g_print ("mirror of %u cases for %u applicants in hall %s built in %.1f s\n", n_cases,
           n_applicants, HALL, (g_get_monotonic_time () - start) / 1e6);
  store = ow_store_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_lookups; i++)
    {
      const char *case_no = g_ptr_array_index (case_nos, g_rand_int_range (rand, 0,
                                                                          case_nos->len));
      const char *id = g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len));
      g_autofree char *payload = ow_case_qr_payload (case_no, "K7Q2MX");
      g_autofree char *key = NULL;
      g_autoptr(OwStorePickupCase) pickup = NULL;
      g_autoptr(GPtrArray) cases = NULL;
      OwLookupKind kind;
      gint64 t0, t1;

      /* A receipt scanned: the payload read, checked, the case and its timeline loaded. */
      t0 = g_get_monotonic_time ();
      if (!ow_lookup_parse (payload, &kind, &key, &error))
        g_error ("%s", error->message);
      pickup = ow_store_load_pickup_case (store, key, &error);
      t1 = g_get_monotonic_time ();
      g_assert_no_error (error);
      g_array_append_val (by_number, (gint64) { t1 - t0 });
      ready += pickup->ready_at > 0;
      g_clear_pointer (&key, g_free);

      /* An ID number typed: checked, every case of the applicant with its timeline. */
      t0 = g_get_monotonic_time ();
      if (!ow_lookup_parse (id, &kind, &key, &error))
        g_error ("%s", error->message);
      cases = ow_store_find_pickup_cases (store, key, &error);
      t1 = g_get_monotonic_time ();
      g_assert_no_error (error);
      g_array_append_val (by_id, (gint64) { t1 - t0 });
      found += cases->len;
    }
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GPtrArray) cases = NULL;
      gint64 t0 = g_get_monotonic_time ();

      cases = ow_store_list_pickup_cases (store, HALL, OW_CASE_STATE_RESULT_READY, LIST_LIMIT,
                                          &error);
      g_array_append_val (waiting, (gint64) { g_get_monotonic_time () - t0 });
      g_assert_no_error (error);
      g_clear_pointer (&cases, g_ptr_array_unref);
      t0 = g_get_monotonic_time ();
      cases = ow_store_list_pickup_cases (store, HALL, OW_CASE_STATE_RESULT_READY, 0, &error);
      g_array_append_val (waiting_all, (gint64) { g_get_monotonic_time () - t0 });
      if (i == 0)
        g_print ("the hall's waiting list holds %u cases; the window shows the %u longest "
                 "waits\n", cases->len, LIST_LIMIT);
    }

  g_print ("\n%u look-ups of each kind against a frame of %.1f ms "
           "(ratio below 1: answered within one frame)\n", n_lookups, FRAME_US / 1000);
  report ("case number (QR payload or typed)", by_number);
  report ("ID number (all the applicant's cases)", by_id);
  report ("waiting list, the 300 longest waits", waiting);
  report ("waiting list, all of it (for scale)", waiting_all);
  g_print ("SUMMARY cases=%u number_median_us=%.1f number_p99_us=%.1f id_median_us=%.1f "
           "id_p99_us=%.1f list_median_us=%.1f frame_ratio_number_p99=%.3f "
           "frame_ratio_id_p99=%.3f (ready %u, found %u)\n",
           n_cases, percentile (by_number, 0.5), percentile (by_number, 0.99),
           percentile (by_id, 0.5), percentile (by_id, 0.99), percentile (waiting, 0.5),
           percentile (by_number, 0.99) / FRAME_US, percentile (by_id, 0.99) / FRAME_US, ready,
           found);

  g_clear_object (&store);
  if (keep)
    {
      g_print ("kept %s\n", path);
      return 0;
    }
  {
    const char *names[] = { "onewindow.db", "onewindow.db-wal", "onewindow.db-shm", NULL };

    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autofree char *file = g_build_filename (dir, names[i], NULL);
        g_unlink (file);
      }
    {
      g_autofree char *files = g_build_filename (dir, "files", NULL);
      g_rmdir (files);
    }
    g_rmdir (dir);
  }
  return 0;
}
