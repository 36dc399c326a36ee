/* ow-overview-private.h — what the overview's sections share
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page (ow-overview-page.c) holds four sections, each a widget of its own file:
 * queues (ow-overview-queues.c), deadlines (-deadlines.c), ratings (-ratings.c) and the
 * reform's indicators (-indicators.c). Each is given the page's OwOverviewData, shows its
 * statistics when they change, asks the platform for its lists itself, and hands the page its
 * tables (with Chinese headers) for an export.
 */
#pragma once

#include <adwaita.h>

#include "core/ow-table.h"
#include "gui/supervisor/ow-overview-data.h"
#include "gui/widgets/ow-chart.h"

G_BEGIN_DECLS

#define OW_TYPE_OVERVIEW_QUEUES (ow_overview_queues_get_type ())
G_DECLARE_FINAL_TYPE (OwOverviewQueues, ow_overview_queues, OW, OVERVIEW_QUEUES, AdwBin)
#define OW_TYPE_OVERVIEW_DEADLINES (ow_overview_deadlines_get_type ())
G_DECLARE_FINAL_TYPE (OwOverviewDeadlines, ow_overview_deadlines, OW, OVERVIEW_DEADLINES, AdwBin)
#define OW_TYPE_OVERVIEW_RATINGS (ow_overview_ratings_get_type ())
G_DECLARE_FINAL_TYPE (OwOverviewRatings, ow_overview_ratings, OW, OVERVIEW_RATINGS, AdwBin)
#define OW_TYPE_OVERVIEW_INDICATORS (ow_overview_indicators_get_type ())
G_DECLARE_FINAL_TYPE (OwOverviewIndicators, ow_overview_indicators, OW, OVERVIEW_INDICATORS,
                      AdwBin)

/* Each section: given the data (NULL on log-out), asked to list again (the period or the
 * platform changed), and for its tables. */
void ow_overview_queues_set_data         (OwOverviewQueues     *self,
                                          OwOverviewData       *data);
void ow_overview_queues_reload           (OwOverviewQueues     *self);
void ow_overview_queues_add_tables       (OwOverviewQueues     *self,
                                          GPtrArray            *tables);
void ow_overview_queues_focus_search     (OwOverviewQueues     *self);
/* The groups' counts shown, NULL while they are asked for. */
const OwCaseCounts *ow_overview_queues_get_counts (OwOverviewQueues *self);
/* Lists the cases matching @name = @value (an extra filter: "overdue" "true" …). */
void ow_overview_queues_show_filter      (OwOverviewQueues     *self,
                                          const char           *name,
                                          const char           *value);

void ow_overview_deadlines_set_data      (OwOverviewDeadlines  *self,
                                          OwOverviewData       *data);
void ow_overview_deadlines_reload        (OwOverviewDeadlines  *self);
void ow_overview_deadlines_add_tables    (OwOverviewDeadlines  *self,
                                          GPtrArray            *tables);

void ow_overview_ratings_set_data        (OwOverviewRatings    *self,
                                          OwOverviewData       *data);
void ow_overview_ratings_reload          (OwOverviewRatings    *self);
/* Whether the poor ratings' list is in, and how many it shows. */
gboolean ow_overview_ratings_is_loaded   (OwOverviewRatings    *self);
guint    ow_overview_ratings_get_n_poor  (OwOverviewRatings    *self);
void ow_overview_ratings_add_tables      (OwOverviewRatings    *self,
                                          GPtrArray            *tables);

void ow_overview_indicators_set_data     (OwOverviewIndicators *self,
                                          OwOverviewData       *data);
void ow_overview_indicators_add_tables   (OwOverviewIndicators *self,
                                          GPtrArray            *tables);

/* Helpers (ow-overview-page.c). */
char *ow_overview_format_share           (double                share);
char *ow_overview_format_day             (const GDate          *date);
gboolean ow_overview_parse_day           (const char           *text,
                                          GDate                *date);
/* @groups (OwStatGroup by "YYYY-MM-DD") as one bar a day over [@from, @to], days without any
 * at 0 (at most 62 days, the last ones). */
void  ow_overview_fill_days_chart        (OwChart              *chart,
                                          GPtrArray            *groups,
                                          const GDate          *from,
                                          const GDate          *to);
/* The orders of the case list, for a drop-down, and their `sort` values. */
GListModel *ow_overview_sort_model       (void);
const char *ow_overview_sort_value       (guint                 position);
/* Shows @message (and an action) in the window's toast overlay. */
void  ow_overview_toast                  (GtkWidget            *widget,
                                          const char           *message);

G_END_DECLS
