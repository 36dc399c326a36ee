/* test-store-answers.c — the platform's last answers kept for the overview, on a real SQLite file
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "core/ow-error.h"
#include "core/ow-statistics.h"
#include "store/ow-store.h"
#include "store-test-util.h"

typedef struct
{
  char    *dir;
  char    *path;
  OwStore *store;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("ow-store-answers-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  fixture->store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->store);
  store_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static OwStatistics *
make_statistics (gint64 overdue)
{
  OwStatistics *statistics = ow_statistics_new ();

  statistics->hall = g_strdup ("46010001");
  g_date_set_dmy (&statistics->today, 10, G_DATE_DECEMBER, 2026);
  statistics->overdue = overdue;
  statistics->by_state[OW_CASE_STATE_ACCEPTED] = 12;
  statistics->hall_indicator.reform_items = 152;
  statistics->hall_indicator.zero_trip_items = 113;
  g_ptr_array_add (statistics->received_by_day, ow_stat_group_new ("2026-12-09", NULL, 7, 0));
  g_ptr_array_add (statistics->ratings_by_clerk, ow_stat_group_new ("clerk", "王小明", 3, 1));
  {
    OwStatLateCase *late = g_new0 (OwStatLateCase, 1);

    late->case_no = g_strdup ("4601000107202612010001X");
    late->state = OW_CASE_STATE_ACCEPTED;
    g_date_clear (&late->promised_date, 1);
    g_date_set_dmy (&late->promised_date, 4, G_DATE_DECEMBER, 2026);
    late->working_days_late = 4;
    g_ptr_array_add (statistics->overdue_cases, late);
  }
  return statistics;
}

static void
test_round_trip (Fixture *fixture, gconstpointer data)
{
  g_autoptr(OwStatistics) statistics = make_statistics (5);
  g_autoptr(GVariant) value = ow_statistics_serialize (statistics);
  g_autoptr(GVariant) back = NULL;
  g_autoptr(OwStatistics) read = NULL;
  g_autoptr(GError) error = NULL;
  gint64 fetched_at = 0;

  g_assert_true (ow_store_save_answer (fixture->store, "supervisor", "statistics?from=2026-12-01",
                                       value, 1765000000000000, &error));
  g_assert_no_error (error);
  back = ow_store_load_answer (fixture->store, "supervisor", "statistics?from=2026-12-01",
                               &fetched_at, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fetched_at, ==, 1765000000000000);
  g_assert_true (g_variant_equal (back, value));
  read = ow_statistics_deserialize (back, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->overdue, ==, 5);
  g_assert_cmpint (read->by_state[OW_CASE_STATE_ACCEPTED], ==, 12);
  g_assert_cmpstr (((OwStatGroup *) g_ptr_array_index (read->ratings_by_clerk, 0))->name, ==,
                   "王小明");
  g_assert_cmpuint (((OwStatLateCase *) g_ptr_array_index (read->overdue_cases, 0))
                      ->working_days_late, ==, 4);
  g_assert_cmpuint (g_date_get_day (&read->today), ==, 10);

  /* Saving again replaces; another user's answer to the same question is theirs. */
  {
    g_autoptr(OwStatistics) newer = make_statistics (6);
    g_autoptr(GVariant) newer_value = ow_statistics_serialize (newer);
    g_autoptr(GVariant) again = NULL;
    g_autoptr(OwStatistics) read_again = NULL;

    g_assert_true (ow_store_save_answer (fixture->store, "supervisor",
                                         "statistics?from=2026-12-01", newer_value,
                                         1765000001000000, &error));
    again = ow_store_load_answer (fixture->store, "supervisor", "statistics?from=2026-12-01",
                                  &fetched_at, &error);
    read_again = ow_statistics_deserialize (again, &error);
    g_assert_cmpint (read_again->overdue, ==, 6);
    g_assert_cmpint (fetched_at, ==, 1765000001000000);
  }
  g_clear_pointer (&back, g_variant_unref);
  back = ow_store_load_answer (fixture->store, "another", "statistics?from=2026-12-01", NULL,
                               &error);
  g_assert_null (back);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
}

/* A cache, not a record: the oldest answers go beyond a few hundred. */
static void
test_only_the_newest (Fixture *fixture, gconstpointer data)
{
  g_autoptr(OwCaseCounts) counts = ow_case_counts_new (OW_CASE_COUNT_CLERK);
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  guint kept = 0;

  counts->total = 3;
  g_ptr_array_add (counts->groups, ow_stat_group_new ("clerk", "王小明", 3, 0));
  value = ow_case_counts_serialize (counts);
  for (guint i = 0; i < 520; i++)
    {
      g_autofree char *key = g_strdup_printf ("counts?q=%u", i);

      g_assert_true (ow_store_save_answer (fixture->store, "supervisor", key, value,
                                           1765000000000000 + i, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 520; i++)
    {
      g_autofree char *key = g_strdup_printf ("counts?q=%u", i);
      g_autoptr(GVariant) back = ow_store_load_answer (fixture->store, "supervisor", key, NULL,
                                                       NULL);

      if (back != NULL)
        {
          g_autoptr(OwCaseCounts) read = ow_case_counts_deserialize (back, &error);

          g_assert_no_error (error);
          g_assert_cmpint (read->total, ==, 3);
          g_assert_cmpuint (i, >=, 20);
          kept++;
        }
    }
  g_assert_cmpuint (kept, ==, 500);
}

/* What is read back is checked, not trusted: another type is refused by the deserializers, a
 * damaged type string by the store. */
static void
test_damaged (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_string ("not statistics"));
  g_autoptr(GVariant) back = NULL;
  g_autoptr(OwStatistics) statistics = NULL;
  sqlite3 *db = NULL;

  g_assert_true (ow_store_save_answer (fixture->store, "supervisor", "statistics", value, 1,
                                       &error));
  back = ow_store_load_answer (fixture->store, "supervisor", "statistics", NULL, &error);
  g_assert_no_error (error);
  statistics = ow_statistics_deserialize (back, &error);
  g_assert_null (statistics);
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_clear_error (&error);
  g_clear_pointer (&back, g_variant_unref);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE answers SET data_type = 'a{s'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  back = ow_store_load_answer (fixture->store, "supervisor", "statistics", NULL, &error);
  g_assert_null (back);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT);
}

static void
save_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The way the overview uses it: off the main thread. */
static void
test_async (Fixture *fixture, gconstpointer data)
{
  g_autoptr(OwStatistics) statistics = make_statistics (9);
  g_autoptr(GVariant) value = ow_statistics_serialize (statistics);
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GVariant) back = NULL;
  g_autoptr(GError) error = NULL;
  gint64 fetched_at = 0;

  ow_store_save_answer_async (fixture->store, "supervisor", "statistics", value, 42, NULL,
                              save_cb, &saved);
  while (saved == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ow_store_save_answer_finish (fixture->store, saved, &error));
  ow_store_load_answer_async (fixture->store, "supervisor", "statistics", NULL, save_cb, &loaded);
  while (loaded == NULL)
    g_main_context_iteration (NULL, TRUE);
  back = ow_store_load_answer_finish (fixture->store, loaded, &fetched_at, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fetched_at, ==, 42);
  g_assert_true (g_variant_equal (back, value));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/answers/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/store/answers/only-the-newest", Fixture, NULL, fixture_set_up,
              test_only_the_newest, fixture_tear_down);
  g_test_add ("/store/answers/damaged", Fixture, NULL, fixture_set_up, test_damaged,
              fixture_tear_down);
  g_test_add ("/store/answers/async", Fixture, NULL, fixture_set_up, test_async,
              fixture_tear_down);
  return g_test_run ();
}
