/* ow-deadline.h — how a case stands against its promised date, in working days
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one definition the platform's statistics, its list filters and the supervisor's overview
 * share, so that the three cannot disagree. With n(d) the number of working days up to and
 * including d on the hall's calendar, a case promised for p stands, on day t, at
 *
 *     days left = n(p) − n(t)
 *
 * working days: 0 when due today (or when the promise fell on a rest day just past), positive
 * ahead, negative late: −3 is three working days late. A promise due on a Friday is not broken
 * on the Sunday: the case is late from Monday. Only a running clock counts
 * (ow_case_state_clock_runs(): received, accepted); a supplement or a special procedure stops it.
 *
 * Since days left never grows as p moves earlier, "overdue" and "due within N working days" are
 * ranges of promised dates, which the platform's SQL filters on an index:
 *   overdue            ⇔  p < L,  L the last working day up to t;
 *   due within N days  ⇔  L ≤ p < W, W the (N + 1)th working day after t.
 */
#pragma once

#include "core/ow-calendar.h"

G_BEGIN_DECLS

/* Working days from @today to @promised as above. */
int      ow_deadline_days_left        (OwCalendar  *calendar,
                                       const GDate *promised,
                                       const GDate *today);
/* Working days late (0 when not late). */
guint    ow_deadline_days_late        (OwCalendar  *calendar,
                                       const GDate *promised,
                                       const GDate *today);
/* L: a case promised before it is overdue on @today. */
void     ow_deadline_overdue_before   (OwCalendar  *calendar,
                                       const GDate *today,
                                       GDate       *result);
/* W for @n: a case not overdue and promised before it is due within @n working days. */
void     ow_deadline_due_before       (OwCalendar  *calendar,
                                       const GDate *today,
                                       guint        n,
                                       GDate       *result);
/* The day a case promised for @promised became (or becomes) late: the first working day after
 * it. */
void     ow_deadline_late_from        (OwCalendar  *calendar,
                                       const GDate *promised,
                                       GDate       *result);
/* The Monday of @date's week (ISO weeks start on Monday). */
void     ow_deadline_week_of          (const GDate *date,
                                       GDate       *result);

G_END_DECLS
