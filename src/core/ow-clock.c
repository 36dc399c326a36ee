/* ow-clock.c — the hall's clock: dates in the hall's time zone, whatever the PC is set to
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ow-clock.h"

GTimeZone *
ow_hall_time_zone (void)
{
  static gsize zone = 0;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *found = g_time_zone_new_identifier ("Asia/Shanghai");

      /* Without tzdata: China has kept UTC+8 all year since 1991. */
      if (found == NULL)
        found = g_time_zone_new_offset (8 * 60 * 60);
      g_once_init_leave (&zone, (gsize) found);
    }
  return g_time_zone_ref ((GTimeZone *) zone);
}

GDateTime *
ow_hall_now (void)
{
  g_autoptr(GTimeZone) zone = ow_hall_time_zone ();

  return g_date_time_new_now (zone);
}

void
ow_hall_today (GDate *date)
{
  g_autoptr(GDateTime) now = ow_hall_now ();

  g_return_if_fail (date != NULL);
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
}

char *
ow_hall_format (GDateTime  *time,
                const char *format)
{
  g_autoptr(GTimeZone) zone = ow_hall_time_zone ();
  g_autoptr(GDateTime) hall = NULL;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  hall = g_date_time_to_timezone (time, zone);
  return g_date_time_format (hall, format);
}

char *
ow_hall_format_unix_usec (gint64      usec,
                          const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  g_return_val_if_fail (utc != NULL, NULL);
  return ow_hall_format (utc, format);
}
