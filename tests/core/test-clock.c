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

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clock/offset", test_offset);
  g_test_add_func ("/clock/today", test_today);
  return g_test_run ();
}
