/* ow-deadline.c — how a case stands against its promised date, in working days
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "core/ow-deadline.h"

/* A calendar with no working day in this many days is broken; stop looking rather than loop. */
#define MAX_REST_RUN 60

int
ow_deadline_days_left (OwCalendar  *calendar,
                       const GDate *promised,
                       const GDate *today)
{
  g_return_val_if_fail (OW_IS_CALENDAR (calendar), 0);
  g_return_val_if_fail (promised != NULL && g_date_valid (promised), 0);
  g_return_val_if_fail (today != NULL && g_date_valid (today), 0);

  /* n(p) − n(t) is the working days in (t, p] when p is ahead, minus those in (p, t] when not. */
  if (g_date_compare (promised, today) >= 0)
    return (int) ow_calendar_count_working_days (calendar, today, promised, NULL, 0);
  return -(int) ow_calendar_count_working_days (calendar, promised, today, NULL, 0);
}

guint
ow_deadline_days_late (OwCalendar  *calendar,
                       const GDate *promised,
                       const GDate *today)
{
  int left = ow_deadline_days_left (calendar, promised, today);

  return left < 0 ? (guint) -left : 0;
}

void
ow_deadline_overdue_before (OwCalendar  *calendar,
                            const GDate *today,
                            GDate       *result)
{
  g_return_if_fail (OW_IS_CALENDAR (calendar));
  g_return_if_fail (today != NULL && g_date_valid (today));
  g_return_if_fail (result != NULL);

  /* p < L ⇔ some working day lies in (p, t] ⇔ n(p) < n(t). */
  *result = *today;
  for (guint i = 0; i < MAX_REST_RUN && !ow_calendar_is_working_day (calendar, result); i++)
    g_date_subtract_days (result, 1);
}

void
ow_deadline_due_before (OwCalendar  *calendar,
                        const GDate *today,
                        guint        n,
                        GDate       *result)
{
  g_return_if_fail (OW_IS_CALENDAR (calendar));
  g_return_if_fail (today != NULL && g_date_valid (today));
  g_return_if_fail (result != NULL);

  /* n(p) − n(t) ≤ N ⇔ p comes before the (N + 1)th working day after t. */
  ow_calendar_add_working_days (calendar, today, n + 1, result, NULL);
}

void
ow_deadline_late_from (OwCalendar  *calendar,
                       const GDate *promised,
                       GDate       *result)
{
  g_return_if_fail (OW_IS_CALENDAR (calendar));
  g_return_if_fail (promised != NULL && g_date_valid (promised));

  ow_calendar_add_working_days (calendar, promised, 1, result, NULL);
}

void
ow_deadline_week_of (const GDate *date,
                     GDate       *result)
{
  g_return_if_fail (date != NULL && g_date_valid (date));

  *result = *date;
  g_date_subtract_days (result, g_date_get_weekday (date) - G_DATE_MONDAY);
}
