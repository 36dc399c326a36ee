/* test-clock.c — the hall's clock is China Standard Time whatever the machine's zone
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <time.h>

#include "core/ow-clock.h"

static void
test_offset (void)
{
  g_autoptr(GDateTime) now = ow_hall_now ();

  /* The test runs with TZ=UTC (see main): the hall's clock must not follow it. */
  g_assert_cmpint (g_date_time_get_utc_offset (now), ==, 8 * G_TIME_SPAN_HOUR);
}

static void
test_today (void)
{
  g_autoptr(GTimeZone) plus8 = g_time_zone_new_offset (8 * 60 * 60);
  g_autoptr(GDateTime) before = g_date_time_new_now (plus8);
  g_autoptr(GDateTime) after = NULL;
  GDate today;

  ow_hall_today (&today);
  after = g_date_time_new_now (plus8);
  g_assert_true (g_date_valid (&today));
  /* Midnight may pass between the two readings: today is one of them. */
  g_assert_true ((g_date_get_day (&today) == g_date_time_get_day_of_month (before)
                  && g_date_get_month (&today) == (GDateMonth) g_date_time_get_month (before))
                 || (g_date_get_day (&today) == g_date_time_get_day_of_month (after)
                     && g_date_get_month (&today) == (GDateMonth) g_date_time_get_month (after)));
}

/* What the window shows is the hall's time: 23:30 UTC is 07:30 the next morning in Haikou, on
 * this machine kept at UTC. */
static void
test_format (void)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 11, 25, 23, 30, 0);
  g_autofree char *text = ow_hall_format (utc, "%Y-%m-%d %H:%M");
  g_autofree char *from_usec = ow_hall_format_unix_usec (g_date_time_to_unix (utc)
                                                         * G_USEC_PER_SEC, "%Y-%m-%d %H:%M");
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *machine = g_date_time_format (local, "%Y-%m-%d %H:%M");

  g_assert_cmpstr (text, ==, "2026-11-26 07:30");
  g_assert_cmpstr (from_usec, ==, "2026-11-26 07:30");
  /* The machine's own clock says otherwise, which is the point. */
  g_assert_cmpstr (machine, ==, "2026-11-25 23:30");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clock/offset", test_offset);
  g_test_add_func ("/clock/today", test_today);
  g_test_add_func ("/clock/format", test_format);

  return g_test_run ();
}
