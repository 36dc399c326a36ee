/* ow-clock.h — the hall's clock: dates in the hall's time zone, whatever the PC is set to
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* China Standard Time. A case number's date, a notice's date and the working days of a time
 * limit are the hall's dates: a counter PC left on UTC must not make a case received at 07:30
 * look as if it came the day before, and the platform counts in the same zone. */
GTimeZone *ow_hall_time_zone (void);
GDateTime *ow_hall_now       (void);
void       ow_hall_today     (GDate *date);

/* @time, of any zone, as the hall's clock reads it, in g_date_time_format()'s @format: what the
 * window shows is the hall's time, as the notices are, not the PC's. */
char      *ow_hall_format           (GDateTime  *time,
                                     const char *format);
/* The same for @usec, microseconds since the epoch (g_get_real_time()). */
char      *ow_hall_format_unix_usec (gint64      usec,
                                     const char *format);

G_END_DECLS
