/* ow-calendar.h — the working-day calendar: weekends, national holidays and make-up days, a
 * hall's own days, and time limits counted in working days
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ow-types.h"

G_BEGIN_DECLS

typedef enum
{
  OW_DAY_DEFAULT, /* follows the weekday rule: Monday–Friday working */
  OW_DAY_OFF,     /* a holiday or a bridged rest day */
  OW_DAY_WORK,    /* a make-up working day on a weekend (调休) */
} OwDayKind;

/* A closed interval of dates during which the clock stood still (supplements, suspension). */
typedef struct
{
  GDate start;
  GDate end;
} OwDateRange;

#define OW_TYPE_CALENDAR (ow_calendar_get_type ())
G_DECLARE_FINAL_TYPE (OwCalendar, ow_calendar, OW, CALENDAR, GObject)

OwCalendar *ow_calendar_new                    (void);

/* Loads the national schedule in the format of data/cn-holidays.tsv: '#' comments, then
 * "YYYY-MM-DD<TAB>off|work<TAB>name". Each year that has a line counts as published. */
gboolean    ow_calendar_load_national          (OwCalendar        *self,
                                                const char        *tsv,
                                                gssize             length,
                                                GError           **error);
/* The same format for a hall's own days (Hainan's 三月三 …); these do not publish a year. */
gboolean    ow_calendar_load_local             (OwCalendar        *self,
                                                const char        *tsv,
                                                gssize             length,
                                                GError           **error);
void        ow_calendar_set_day                (OwCalendar        *self,
                                                const GDate       *date,
                                                OwDayKind          kind,
                                                const char        *name,
                                                gboolean           local);
void        ow_calendar_mark_published         (OwCalendar        *self,
                                                int                year);

OwDayKind   ow_calendar_get_day                (OwCalendar        *self,
                                                const GDate       *date,
                                                const char       **name);
gboolean    ow_calendar_is_working_day         (OwCalendar        *self,
                                                const GDate       *date);
/* TRUE when no national schedule has been loaded for @year: dates in it are estimates. */
gboolean    ow_calendar_is_provisional         (OwCalendar        *self,
                                                int                year);

/* The date @n working days after @start, the day of @start itself not counted (n = 0 gives
 * @start). Sets @provisional, when not NULL, if any day it counted over lies in a provisional
 * year. */
void        ow_calendar_add_working_days       (OwCalendar        *self,
                                                const GDate       *start,
                                                guint              n,
                                                GDate             *result,
                                                gboolean          *provisional);

/* Working days in (@from, @to]: @from not counted, @to counted; 0 when @to is not after @from.
 * Days inside any of @pauses are left out. */
guint       ow_calendar_count_working_days     (OwCalendar        *self,
                                                const GDate       *from,
                                                const GDate       *to,
                                                const OwDateRange *pauses,
                                                guint              n_pauses);

/* Every year with any day set, national or local, sorted. */
GArray     *ow_calendar_list_years             (OwCalendar        *self);

G_END_DECLS
