/* ow-overview-data.h — what the supervisor's overview asks the platform, and keeps for offline
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One object per overview: the period looked at, "due soon" (the GSettings key
 * due-within-working-days), the platform's statistics for them, its calendar and its today.
 * Every question goes to the platform; each answer is kept in the local store
 * (ow_store_save_answer(), keyed by the question) and, when the platform cannot be reached,
 * the last one kept comes back instead, marked stale with when it was fetched. Deadlines count
 * with ow-deadline.h on the platform's calendar (the same years the platform loads) from the
 * platform's today, so the overview and the platform agree to the day. No GTK here.
 */
#pragma once

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_OVERVIEW_DATA (ow_overview_data_get_type ())
G_DECLARE_FINAL_TYPE (OwOverviewData, ow_overview_data, OW, OVERVIEW_DATA, GObject)

/* The periods the overview offers. */
typedef enum
{
  OW_OVERVIEW_PERIOD_TODAY,
  OW_OVERVIEW_PERIOD_THIS_WEEK,
  OW_OVERVIEW_PERIOD_THIS_MONTH,
  OW_OVERVIEW_PERIOD_LAST_MONTH,
  OW_OVERVIEW_PERIOD_LAST_30_DAYS,
  OW_OVERVIEW_PERIOD_THIS_YEAR,
  OW_OVERVIEW_PERIOD_ALL,
} OwOverviewPeriod;

#define OW_OVERVIEW_PERIOD_LAST OW_OVERVIEW_PERIOD_ALL

/* Translated, for the period's drop-down. */
const char     *ow_overview_period_to_label   (OwOverviewPeriod period);
/* [@from, @to] of @period around @today; both invalid for ALL. */
void            ow_overview_period_get_range  (OwOverviewPeriod period,
                                               const GDate     *today,
                                               GDate           *from,
                                               GDate           *to);

/* An answer as the overview shows it: what was fetched, when, and whether it is the last one
 * kept because the platform could not be reached. */
typedef struct
{
  gint64   fetched_at;  /* µs since the epoch */
  gboolean stale;
} OwAnswerAge;

OwOverviewData *ow_overview_data_new            (OwContext        *context);
OwContext      *ow_overview_data_get_context    (OwOverviewData   *self);

/* "statistics-changed": new statistics (or the kept ones) are there.
 * Properties "period", "due-within" (following GSettings), "stale", "loading". */
OwOverviewPeriod ow_overview_data_get_period    (OwOverviewData   *self);
void            ow_overview_data_set_period     (OwOverviewData   *self,
                                                 OwOverviewPeriod  period);
guint           ow_overview_data_get_due_within (OwOverviewData   *self);
gboolean        ow_overview_data_get_stale      (OwOverviewData   *self);
gboolean        ow_overview_data_get_loading    (OwOverviewData   *self);
/* The last statistics (NULL before the first answer) and their age. */
OwStatistics   *ow_overview_data_get_statistics (OwOverviewData   *self,
                                                 OwAnswerAge      *age);
/* Why the last refresh failed with nothing kept to show, or NULL. */
const GError   *ow_overview_data_get_error      (OwOverviewData   *self);
/* The platform's today (from its statistics); the hall's clock until they arrive. */
void            ow_overview_data_get_today      (OwOverviewData   *self,
                                                 GDate            *today);
/* The period's ends as YYYY-MM-DD for a query (NULL when open); valid until the next change. */
const char     *ow_overview_data_get_from_text  (OwOverviewData   *self);
const char     *ow_overview_data_get_to_text    (OwOverviewData   *self);

/* Asks for the statistics of the period (and the calendar of the platform's today's year and
 * those beside it), then emits "statistics-changed". */
void            ow_overview_data_refresh        (OwOverviewData   *self);

/* Working days left for a case promised for @promised (ow_deadline_days_left()), from the
 * platform's today; FALSE when the case has no promised date. */
gboolean        ow_overview_data_days_left      (OwOverviewData   *self,
                                                 const GDate      *promised,
                                                 int              *days_left);

/* The list, counts and ratings (each falling back on the last kept answer). @params as for
 * ow_client_list_cases_async(). */
void            ow_overview_data_list_cases_async    (OwOverviewData      *self,
                                                      const char * const  *params,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
OwCasePage     *ow_overview_data_list_cases_finish   (OwOverviewData      *self,
                                                      GAsyncResult        *result,
                                                      OwAnswerAge         *age,
                                                      GError             **error);
void            ow_overview_data_count_cases_async   (OwOverviewData      *self,
                                                      OwCaseCountBy        by,
                                                      const char * const  *params,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
OwCaseCounts   *ow_overview_data_count_cases_finish  (OwOverviewData      *self,
                                                      GAsyncResult        *result,
                                                      OwAnswerAge         *age,
                                                      GError             **error);
void            ow_overview_data_list_ratings_async  (OwOverviewData      *self,
                                                      const char * const  *params,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
OwRatingPage   *ow_overview_data_list_ratings_finish (OwOverviewData      *self,
                                                      GAsyncResult        *result,
                                                      OwAnswerAge         *age,
                                                      GError             **error);

/* A user name as people read it: the display name the platform gave with a count (clerks of
 * the hall), else the name itself marked as unknown. */
void            ow_overview_data_remember_name  (OwOverviewData   *self,
                                                 const char       *username,
                                                 const char       *display_name);
const char     *ow_overview_data_lookup_name    (OwOverviewData   *self,
                                                 const char       *username);

G_END_DECLS
