/* test-deadline.c — days left and late in working days, and the ranges the platform filters on
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the State Council's real 2026 schedule (data/cn-holidays.tsv): National Day's week off
 * and its make-up Saturday, and ordinary weekends.
 */
#include "config.h"

#include "core/ow-deadline.h"

typedef struct
{
  OwCalendar *calendar;
} Fixture;

static GDate
make_date (int year, int month, int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return date;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  const char *data_dir = g_getenv ("OW_DATA_DIR");
  g_autofree char *path = NULL;
  g_autofree char *tsv = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (data_dir);
  path = g_build_filename (data_dir, "cn-holidays.tsv", NULL);
  g_file_get_contents (path, &tsv, NULL, &error);
  g_assert_no_error (error);
  fixture->calendar = ow_calendar_new ();
  g_assert_true (ow_calendar_load_national (fixture->calendar, tsv, -1, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->calendar);
}

static int
days_left (Fixture *fixture, GDate promised, GDate today)
{
  return ow_deadline_days_left (fixture->calendar, &promised, &today);
}

static void
test_weekend (Fixture *fixture, gconstpointer data)
{
  GDate friday = make_date (2026, 12, 4);

  /* A promise due on a Friday is kept on the Friday and not broken over the weekend … */
  g_assert_cmpint (days_left (fixture, friday, friday), ==, 0);
  g_assert_cmpint (days_left (fixture, friday, make_date (2026, 12, 5)), ==, 0);
  g_assert_cmpint (days_left (fixture, friday, make_date (2026, 12, 6)), ==, 0);
  /* … but on the Monday, and by one more each working day. */
  g_assert_cmpint (days_left (fixture, friday, make_date (2026, 12, 7)), ==, -1);
  g_assert_cmpint (days_left (fixture, friday, make_date (2026, 12, 11)), ==, -5);
  g_assert_cmpint (days_left (fixture, friday, make_date (2026, 12, 14)), ==, -6);
  {
    GDate thursday = make_date (2026, 12, 10);

    g_assert_cmpuint (ow_deadline_days_late (fixture->calendar, &friday, &thursday), ==, 4);
    g_assert_cmpuint (ow_deadline_days_late (fixture->calendar, &thursday, &friday), ==, 0);
  }
}

static void
test_ahead (Fixture *fixture, gconstpointer data)
{
  GDate friday = make_date (2026, 12, 4);

  g_assert_cmpint (days_left (fixture, make_date (2026, 12, 7), friday), ==, 1);
  g_assert_cmpint (days_left (fixture, make_date (2026, 12, 8), friday), ==, 2);
  /* A promise on a rest day is as far as the working day before it. */
  g_assert_cmpint (days_left (fixture, make_date (2026, 12, 6), friday), ==, 0);
}

static void
test_holidays (Fixture *fixture, gconstpointer data)
{
  GDate promised = make_date (2026, 9, 30);
  GDate late_from;

  /* National Day: 1–7 October off, Saturday 10 October worked. */
  g_assert_cmpint (days_left (fixture, promised, make_date (2026, 10, 7)), ==, 0);
  g_assert_cmpint (days_left (fixture, promised, make_date (2026, 10, 8)), ==, -1);
  g_assert_cmpint (days_left (fixture, promised, make_date (2026, 10, 10)), ==, -3);
  g_assert_cmpint (days_left (fixture, promised, make_date (2026, 10, 11)), ==, -3);

  /* Late from the first working day after the promise. */
  ow_deadline_late_from (fixture->calendar, &promised, &late_from);
  g_assert_cmpuint (g_date_get_day (&late_from), ==, 8);
  g_assert_cmpuint (g_date_get_month (&late_from), ==, 10);
}

/* The ranges of promised dates that the platform's SQL filters on must say exactly what days
 * left says, for every pair of days around National Day and the weekends beside it. */
static void
test_ranges (Fixture *fixture, gconstpointer data)
{
  GDate first_today = make_date (2026, 9, 15);
  guint checked = 0;

  for (guint t = 0; t < 45; t++)
    {
      GDate today = first_today;
      GDate overdue_before;

      g_date_add_days (&today, t);
      ow_deadline_overdue_before (fixture->calendar, &today, &overdue_before);
      for (guint n = 0; n <= 5; n++)
        {
          GDate due_before;

          ow_deadline_due_before (fixture->calendar, &today, n, &due_before);
          for (int offset = -30; offset <= 30; offset++)
            {
              GDate promised = today;
              int left;
              gboolean overdue, due_soon;

              if (offset < 0)
                g_date_subtract_days (&promised, (guint) -offset);
              else
                g_date_add_days (&promised, (guint) offset);
              left = ow_deadline_days_left (fixture->calendar, &promised, &today);
              overdue = g_date_compare (&promised, &overdue_before) < 0;
              due_soon = !overdue && g_date_compare (&promised, &due_before) < 0;
              g_assert_cmpint (overdue, ==, left < 0);
              g_assert_cmpint (due_soon, ==, left >= 0 && left <= (int) n);
              g_assert_cmpuint (ow_deadline_days_late (fixture->calendar, &promised, &today), ==,
                                left < 0 ? (guint) -left : 0);
              checked++;
            }
        }
    }
  g_assert_cmpuint (checked, ==, 45 * 6 * 61);
}

static void
test_week_of (void)
{
  static const int days[][2] = { { 7, 7 }, { 9, 7 }, { 13, 7 }, { 14, 14 }, { 6, 30 } };

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      GDate date = make_date (2026, 12, days[i][0]);
      GDate monday;

      ow_deadline_week_of (&date, &monday);
      g_assert_cmpuint (g_date_get_weekday (&monday), ==, G_DATE_MONDAY);
      g_assert_cmpuint (g_date_get_day (&monday), ==, (guint) days[i][1]);
      g_assert_cmpuint (g_date_get_month (&monday), ==, days[i][1] > days[i][0] ? 11 : 12);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/deadline/weekend", Fixture, NULL, fixture_set_up, test_weekend,
              fixture_tear_down);
  g_test_add ("/deadline/ahead", Fixture, NULL, fixture_set_up, test_ahead, fixture_tear_down);
  g_test_add ("/deadline/holidays", Fixture, NULL, fixture_set_up, test_holidays,
              fixture_tear_down);
  g_test_add ("/deadline/ranges", Fixture, NULL, fixture_set_up, test_ranges,
              fixture_tear_down);
  g_test_add_func ("/deadline/week-of", test_week_of);
  return g_test_run ();
}
