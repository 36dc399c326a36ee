/* test-calendar.c — working days against the State Council's real 2024–2026 schedules
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-calendar.h"
#include "core/ow-error.h"

typedef struct
{
  OwCalendar *calendar;
  char       *tsv;
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
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (data_dir);
  path = g_build_filename (data_dir, "cn-holidays.tsv", NULL);
  g_file_get_contents (path, &fixture->tsv, NULL, &error);
  g_assert_no_error (error);

  fixture->calendar = ow_calendar_new ();
  g_assert_true (ow_calendar_load_national (fixture->calendar, fixture->tsv, -1, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->calendar);
  g_clear_pointer (&fixture->tsv, g_free);
}

static void
assert_day (OwCalendar *calendar,
            int year, int month, int day,
            OwDayKind expected_kind,
            const char *expected_name,
            gboolean expected_working)
{
  GDate date = make_date (year, month, day);
  const char *name = "untouched";

  g_assert_cmpint (ow_calendar_get_day (calendar, &date, &name), ==, expected_kind);
  g_assert_cmpstr (name, ==, expected_name);
  g_assert_cmpint (ow_calendar_is_working_day (calendar, &date), ==, expected_working);
}

static void
assert_add (OwCalendar *calendar,
            GDate       start,
            guint       n,
            int year, int month, int day,
            gboolean    expected_provisional)
{
  GDate result;
  GDate expected = make_date (year, month, day);
  gboolean provisional = !expected_provisional;

  ow_calendar_add_working_days (calendar, &start, n, &result, &provisional);
  if (g_date_compare (&result, &expected) != 0)
    {
      char got[16], want[16], from[16];

      g_date_strftime (got, sizeof got, "%F", &result);
      g_date_strftime (want, sizeof want, "%F", &expected);
      g_date_strftime (from, sizeof from, "%F", &start);
      g_error ("%s + %u working days: %s, expected %s", from, n, got, want);
    }
  g_assert_cmpint (provisional, ==, expected_provisional);
}

/* Every line of the file reads back as written, and every make-up day is a weekend day. */
static void
test_every_line (Fixture *fixture, gconstpointer data)
{
  g_auto(GStrv) lines = g_strsplit (fixture->tsv, "\n", -1);
  guint n_days = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      GDate date;
      const char *name = NULL;
      OwDayKind kind;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", 3);
      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      g_assert_cmpuint (strlen (fields[0]), ==, 10);
      date = make_date ((int) g_ascii_strtoull (fields[0], NULL, 10),
                        (int) g_ascii_strtoull (fields[0] + 5, NULL, 10),
                        (int) g_ascii_strtoull (fields[0] + 8, NULL, 10));

      kind = ow_calendar_get_day (fixture->calendar, &date, &name);
      g_assert_cmpint (kind, ==, g_str_equal (fields[1], "work") ? OW_DAY_WORK : OW_DAY_OFF);
      g_assert_cmpstr (name, ==, fields[2]);
      g_assert_cmpint (ow_calendar_is_working_day (fixture->calendar, &date), ==,
                       kind == OW_DAY_WORK);
      if (kind == OW_DAY_WORK)
        g_assert_cmpint (g_date_get_weekday (&date), >=, G_DATE_SATURDAY);
      n_days++;
    }

  g_assert_cmpuint (n_days, >, 100);
}

static void
test_real_days (Fixture *fixture, gconstpointer data)
{
  OwCalendar *calendar = fixture->calendar;

  /* 2026 Spring Festival: Saturday 14 February is worked, the holiday runs 15–23 February,
   * and Saturday 28 February is worked again. */
  assert_day (calendar, 2026, 2, 13, OW_DAY_DEFAULT, NULL, TRUE);
  assert_day (calendar, 2026, 2, 14, OW_DAY_WORK, "春节", TRUE);
  assert_day (calendar, 2026, 2, 15, OW_DAY_OFF, "春节", FALSE);
  assert_day (calendar, 2026, 2, 16, OW_DAY_OFF, "春节", FALSE);
  assert_day (calendar, 2026, 2, 23, OW_DAY_OFF, "春节", FALSE);
  assert_day (calendar, 2026, 2, 24, OW_DAY_DEFAULT, NULL, TRUE);
  assert_day (calendar, 2026, 2, 28, OW_DAY_WORK, "春节", TRUE);
  assert_day (calendar, 2026, 3, 1, OW_DAY_DEFAULT, NULL, FALSE);
  /* 2026 New Year: Sunday 4 January is worked. */
  assert_day (calendar, 2026, 1, 2, OW_DAY_OFF, "元旦", FALSE);
  assert_day (calendar, 2026, 1, 4, OW_DAY_WORK, "元旦", TRUE);
  /* 2025 Spring Festival: Sunday 26 January and Saturday 8 February are worked. */
  assert_day (calendar, 2025, 1, 26, OW_DAY_WORK, "春节", TRUE);
  assert_day (calendar, 2025, 1, 27, OW_DAY_DEFAULT, NULL, TRUE);
  assert_day (calendar, 2025, 1, 28, OW_DAY_OFF, "春节", FALSE);
  assert_day (calendar, 2025, 2, 4, OW_DAY_OFF, "春节", FALSE);
  assert_day (calendar, 2025, 2, 8, OW_DAY_WORK, "春节", TRUE);
  /* 2025: National Day and Mid-Autumn together. */
  assert_day (calendar, 2025, 10, 8, OW_DAY_OFF, "国庆节、中秋节", FALSE);
  assert_day (calendar, 2025, 10, 11, OW_DAY_WORK, "国庆节、中秋节", TRUE);
  /* 2024 leap day, an ordinary Thursday. */
  assert_day (calendar, 2024, 2, 29, OW_DAY_DEFAULT, NULL, TRUE);
  assert_day (calendar, 2024, 2, 4, OW_DAY_WORK, "春节", TRUE);
  assert_day (calendar, 2024, 10, 7, OW_DAY_OFF, "国庆节", FALSE);
  /* Ordinary days follow the weekday rule. */
  assert_day (calendar, 2026, 11, 25, OW_DAY_DEFAULT, NULL, TRUE);
  assert_day (calendar, 2026, 11, 28, OW_DAY_DEFAULT, NULL, FALSE);
  assert_day (calendar, 2026, 11, 29, OW_DAY_DEFAULT, NULL, FALSE);
  assert_day (calendar, 2027, 1, 1, OW_DAY_DEFAULT, NULL, TRUE);
}

static guint
count_year (OwCalendar *calendar, int year)
{
  GDate from = make_date (year - 1, 12, 31);
  GDate to = make_date (year, 12, 31);

  return ow_calendar_count_working_days (calendar, &from, &to, NULL, 0);
}

static void
test_working_days_per_year (Fixture *fixture, gconstpointer data)
{
  /* Counted independently from the same file; 2024's 251 and 2025's 248 are the figures
   * published with the schedules. 2027 is the bare weekday rule. */
  g_assert_cmpuint (count_year (fixture->calendar, 2024), ==, 251);
  g_assert_cmpuint (count_year (fixture->calendar, 2025), ==, 248);
  g_assert_cmpuint (count_year (fixture->calendar, 2026), ==, 248);
  g_assert_cmpuint (count_year (fixture->calendar, 2027), ==, 261);
}

static void
test_published (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GArray) years = ow_calendar_list_years (fixture->calendar);

  g_assert_false (ow_calendar_is_provisional (fixture->calendar, 2024));
  g_assert_false (ow_calendar_is_provisional (fixture->calendar, 2025));
  g_assert_false (ow_calendar_is_provisional (fixture->calendar, 2026));
  g_assert_true (ow_calendar_is_provisional (fixture->calendar, 2023));
  g_assert_true (ow_calendar_is_provisional (fixture->calendar, 2027));

  g_assert_cmpuint (years->len, ==, 3);
  g_assert_cmpint (g_array_index (years, int, 0), ==, 2024);
  g_assert_cmpint (g_array_index (years, int, 1), ==, 2025);
  g_assert_cmpint (g_array_index (years, int, 2), ==, 2026);

  ow_calendar_mark_published (fixture->calendar, 2027);
  g_assert_false (ow_calendar_is_provisional (fixture->calendar, 2027));
}

static void
test_add_working_days (Fixture *fixture, gconstpointer data)
{
  OwCalendar *calendar = fixture->calendar;

  /* The day of acceptance is not counted. */
  assert_add (calendar, make_date (2026, 11, 25), 0, 2026, 11, 25, FALSE);
  assert_add (calendar, make_date (2026, 11, 25), 1, 2026, 11, 26, FALSE);
  assert_add (calendar, make_date (2026, 11, 27), 1, 2026, 11, 30, FALSE);
  /* Accepted on a Saturday: Monday is the first working day. */
  assert_add (calendar, make_date (2026, 11, 28), 1, 2026, 11, 30, FALSE);
  /* The HACKING.md example: received 25 November, 10 working days → 9 December. */
  assert_add (calendar, make_date (2026, 11, 25), 10, 2026, 12, 9, FALSE);
  assert_add (calendar, make_date (2026, 11, 25), 20, 2026, 12, 23, FALSE);
  /* Across National Day 2026 and onto its make-up Saturday. */
  assert_add (calendar, make_date (2026, 9, 30), 1, 2026, 10, 8, FALSE);
  assert_add (calendar, make_date (2026, 9, 30), 3, 2026, 10, 10, FALSE);
  /* Spring Festival 2026: the make-up Saturday counts, the nine days off do not. */
  assert_add (calendar, make_date (2026, 2, 13), 1, 2026, 2, 14, FALSE);
  assert_add (calendar, make_date (2026, 2, 13), 2, 2026, 2, 24, FALSE);
  /* Spring Festival 2025: Sunday 26 January counts. */
  assert_add (calendar, make_date (2025, 1, 24), 1, 2025, 1, 26, FALSE);
  assert_add (calendar, make_date (2025, 1, 24), 2, 2025, 1, 27, FALSE);
  assert_add (calendar, make_date (2025, 1, 24), 3, 2025, 2, 5, FALSE);
  /* Mid-Autumn 2024. */
  assert_add (calendar, make_date (2024, 9, 13), 1, 2024, 9, 14, FALSE);
  assert_add (calendar, make_date (2024, 9, 13), 2, 2024, 9, 18, FALSE);
  /* Into 2027, not yet published: the result is an estimate. */
  assert_add (calendar, make_date (2026, 12, 30), 1, 2026, 12, 31, FALSE);
  assert_add (calendar, make_date (2026, 12, 30), 5, 2027, 1, 6, TRUE);
  assert_add (calendar, make_date (2027, 3, 1), 1, 2027, 3, 2, TRUE);
  /* A whole year's worth, across two schedules. */
  assert_add (calendar, make_date (2024, 12, 31), 250, 2026, 1, 5, FALSE);

  /* NULL for @provisional is allowed. */
  {
    GDate start = make_date (2026, 12, 30);
    GDate result;

    ow_calendar_add_working_days (calendar, &start, 5, &result, NULL);
    g_assert_cmpint (g_date_get_year (&result), ==, 2027);
  }
}

static void
test_count_working_days (Fixture *fixture, gconstpointer data)
{
  OwCalendar *calendar = fixture->calendar;
  GDate from = make_date (2026, 11, 25);
  GDate to = make_date (2026, 12, 9);
  GDate national_day_eve = make_date (2026, 9, 30);
  GDate after = make_date (2026, 10, 10);
  OwDateRange pauses[3];

  g_assert_cmpuint (ow_calendar_count_working_days (calendar, &from, &to, NULL, 0), ==, 10);
  g_assert_cmpuint (ow_calendar_count_working_days (calendar, &from, &from, NULL, 0), ==, 0);
  g_assert_cmpuint (ow_calendar_count_working_days (calendar, &to, &from, NULL, 0), ==, 0);
  g_assert_cmpuint (ow_calendar_count_working_days (calendar, &national_day_eve, &after,
                                                    NULL, 0), ==, 3);

  /* A supplement request from Tuesday 1 to Thursday 3 December stops the clock three days. */
  pauses[0].start = make_date (2026, 12, 1);
  pauses[0].end = make_date (2026, 12, 3);
  g_assert_cmpuint (ow_calendar_count_working_days (calendar, &from, &to, pauses, 1), ==, 7);
  /* A pause over a weekend changes nothing; overlapping pauses count once. */
  pauses[1].start = make_date (2026, 11, 28);
  pauses[1].end = make_date (2026, 11, 29);
  pauses[2].start = make_date (2026, 12, 2);
  pauses[2].end = make_date (2026, 12, 4);
  g_assert_cmpuint (ow_calendar_count_working_days (calendar, &from, &to, pauses, 2), ==, 7);
  g_assert_cmpuint (ow_calendar_count_working_days (calendar, &from, &to, pauses, 3), ==, 6);
  /* A pause that includes the end date and a reversed pause that covers nothing. */
  pauses[0].start = make_date (2026, 12, 9);
  pauses[0].end = make_date (2026, 12, 20);
  pauses[1].start = make_date (2026, 12, 3);
  pauses[1].end = make_date (2026, 12, 1);
  g_assert_cmpuint (ow_calendar_count_working_days (calendar, &from, &to, pauses, 2), ==, 9);
}

/* Adding n working days and counting them back agree, from every day of three years. */
static void
test_add_and_count_agree (Fixture *fixture, gconstpointer data)
{
  GDate start = make_date (2024, 1, 1);

  for (guint day = 0; day < 3 * 366; day++)
    {
      for (guint n = 0; n <= 25; n += 5)
        {
          GDate end;

          ow_calendar_add_working_days (fixture->calendar, &start, n, &end, NULL);
          g_assert_cmpuint (ow_calendar_count_working_days (fixture->calendar, &start, &end,
                                                            NULL, 0), ==, n);
          if (n > 0)
            g_assert_true (ow_calendar_is_working_day (fixture->calendar, &end));
        }
      g_date_add_days (&start, 1);
    }
}

static void
test_local_days (Fixture *fixture, gconstpointer data)
{
  OwCalendar *calendar = fixture->calendar;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) years = NULL;
  const char *local =
    "# 琼中黎族苗族自治县: 三月三\n"
    "2026-04-20\toff\t三月三\n"
    "2026-04-21\toff\t三月三\n"
    "2026-02-14\toff\t本地调整\n"
    "2027-04-09\toff\t三月三\n";
  GDate start = make_date (2026, 4, 17);

  g_assert_true (ow_calendar_load_local (calendar, local, -1, &error));
  g_assert_no_error (error);

  assert_day (calendar, 2026, 4, 20, OW_DAY_OFF, "三月三", FALSE);
  assert_day (calendar, 2026, 4, 21, OW_DAY_OFF, "三月三", FALSE);
  /* A hall's own day wins over the national one. */
  assert_day (calendar, 2026, 2, 14, OW_DAY_OFF, "本地调整", FALSE);
  /* Friday 17 April + 1 skips the weekend and the two local days. */
  assert_add (calendar, start, 1, 2026, 4, 22, FALSE);

  /* Local days publish nothing, but their year is listed. */
  g_assert_true (ow_calendar_is_provisional (calendar, 2027));
  years = ow_calendar_list_years (calendar);
  g_assert_cmpuint (years->len, ==, 4);
  g_assert_cmpint (g_array_index (years, int, 3), ==, 2027);

  /* Reloading the national schedule leaves the hall's days alone. */
  g_assert_true (ow_calendar_load_national (calendar, fixture->tsv, -1, &error));
  g_assert_no_error (error);
  assert_day (calendar, 2026, 4, 20, OW_DAY_OFF, "三月三", FALSE);
  assert_day (calendar, 2026, 2, 14, OW_DAY_OFF, "本地调整", FALSE);
}

static void
test_set_day (void)
{
  g_autoptr(OwCalendar) calendar = ow_calendar_new ();
  GDate saturday = make_date (2027, 2, 6);
  GDate monday = make_date (2027, 2, 8);
  g_autoptr(GArray) years = ow_calendar_list_years (calendar);

  /* Nothing loaded: the weekday rule, and every year provisional. */
  g_assert_cmpuint (years->len, ==, 0);
  g_assert_true (ow_calendar_is_provisional (calendar, 2026));
  g_assert_true (ow_calendar_is_working_day (calendar, &monday));
  g_assert_false (ow_calendar_is_working_day (calendar, &saturday));

  ow_calendar_set_day (calendar, &saturday, OW_DAY_WORK, "春节", FALSE);
  ow_calendar_set_day (calendar, &monday, OW_DAY_OFF, "春节", FALSE);
  g_assert_true (ow_calendar_is_working_day (calendar, &saturday));
  g_assert_false (ow_calendar_is_working_day (calendar, &monday));
  /* Setting days by hand does not publish their year. */
  g_assert_true (ow_calendar_is_provisional (calendar, 2027));

  ow_calendar_set_day (calendar, &monday, OW_DAY_WORK, NULL, TRUE);
  g_assert_true (ow_calendar_is_working_day (calendar, &monday));
  /* DEFAULT removes a day again: the local one first, then the national one shows. */
  ow_calendar_set_day (calendar, &monday, OW_DAY_DEFAULT, NULL, TRUE);
  g_assert_false (ow_calendar_is_working_day (calendar, &monday));
  ow_calendar_set_day (calendar, &monday, OW_DAY_DEFAULT, NULL, FALSE);
  g_assert_true (ow_calendar_is_working_day (calendar, &monday));
  g_assert_cmpint (ow_calendar_get_day (calendar, &monday, NULL), ==, OW_DAY_DEFAULT);
}

static void
assert_load_fails (const char *tsv,
                   gssize      length,
                   const char *fragment)
{
  g_autoptr(OwCalendar) calendar = ow_calendar_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) years = NULL;

  g_assert_false (ow_calendar_load_national (calendar, tsv, length, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message “%s” does not mention “%s”", error->message, fragment);

  /* Nothing of a bad file is kept, not even its good lines. */
  years = ow_calendar_list_years (calendar);
  g_assert_cmpuint (years->len, ==, 0);
  g_assert_true (ow_calendar_is_provisional (calendar, 2027));
}

static void
test_parse_errors (void)
{
  assert_load_fails ("2027-01-01\toff\t元旦\n2027-02-30\toff\t春节\n", -1, "Line 2");
  assert_load_fails ("# comment\n\n2027-01-01\tholiday\t元旦\n", -1, "Line 3");
  assert_load_fails ("2027-01-01\tholiday\t元旦\n", -1, "“holiday”");
  assert_load_fails ("2027-01-01 off 元旦\n", -1, "Line 1");
  assert_load_fails ("27-01-01\toff\t元旦\n", -1, "YYYY-MM-DD");
  assert_load_fails ("2027-1-1\toff\t元旦\n", -1, "Line 1");
  assert_load_fails ("2027-01-01\n", -1, "Line 1");
  assert_load_fails ("2027-01-01\toff\t\xff\xfe\n", -1, "UTF-8");
}

static void
test_parse_lenient (void)
{
  g_autoptr(OwCalendar) calendar = ow_calendar_new ();
  g_autoptr(GError) error = NULL;
  const char *text = "# Windows line ends, blank lines, no name\r\n"
                     "\r\n"
                     "2027-02-06\twork\t春节\r\n"
                     "2027-02-08\toff\r\n"
                     "2027-02-09\toff\t春节\n"
                     "2027-02-10\toff\t春节\n";
  GDate date = make_date (2027, 2, 8);
  const char *name = "untouched";

  /* Only the first @length bytes count: the 10th is left out. */
  g_assert_true (ow_calendar_load_national (calendar, text, (gssize) (strstr (text, "2027-02-10")
                                                                    - text), &error));
  g_assert_no_error (error);
  g_assert_cmpint (ow_calendar_get_day (calendar, &date, &name), ==, OW_DAY_OFF);
  g_assert_null (name);
  date = make_date (2027, 2, 6);
  g_assert_cmpint (ow_calendar_get_day (calendar, &date, &name), ==, OW_DAY_WORK);
  g_assert_cmpstr (name, ==, "春节");
  date = make_date (2027, 2, 10);
  g_assert_cmpint (ow_calendar_get_day (calendar, &date, NULL), ==, OW_DAY_DEFAULT);
  g_assert_false (ow_calendar_is_provisional (calendar, 2027));

  /* An empty schedule is valid and publishes nothing. */
  g_assert_true (ow_calendar_load_national (calendar, "", 0, &error));
  g_assert_true (ow_calendar_load_national (calendar, "# nothing yet\n", -1, &error));
  g_assert_true (ow_calendar_is_provisional (calendar, 2028));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/calendar/every-line", test_every_line);
  ADD ("/calendar/real-days", test_real_days);
  ADD ("/calendar/working-days-per-year", test_working_days_per_year);
  ADD ("/calendar/published", test_published);
  ADD ("/calendar/add-working-days", test_add_working_days);
  ADD ("/calendar/count-working-days", test_count_working_days);
  ADD ("/calendar/add-and-count-agree", test_add_and_count_agree);
  ADD ("/calendar/local-days", test_local_days);
#undef ADD
  g_test_add_func ("/calendar/set-day", test_set_day);
  g_test_add_func ("/calendar/parse-errors", test_parse_errors);
  g_test_add_func ("/calendar/parse-lenient", test_parse_lenient);

  return g_test_run ();
}
