/* ow-overview-case-list.h — a list of the platform's cases, page by page, sortable
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The overview's queues and deadlines list cases through this: GET /api/v1/cases with the
 * filters it is given, a page at a time ("Show More" asks for the next; nothing loads them
 * all), sorted by the platform by the column whose header was clicked (received, promised),
 * each row with its working days left or late from the platform's today. Enter or a double
 * click opens the case with its timeline (OwCaseView). Offline, the last answer kept shows,
 * and the overview says how old it is.
 */
#pragma once

#include <adwaita.h>

#include "core/ow-table.h"
#include "gui/supervisor/ow-overview-data.h"

G_BEGIN_DECLS

#define OW_TYPE_OVERVIEW_CASE_LIST (ow_overview_case_list_get_type ())
G_DECLARE_FINAL_TYPE (OwOverviewCaseList, ow_overview_case_list, OW, OVERVIEW_CASE_LIST, AdwBin)

void        ow_overview_case_list_set_data    (OwOverviewCaseList *self,
                                               OwOverviewData     *data);
/* The filters as query name/value pairs (NULL values left out); the list asks again. */
void        ow_overview_case_list_set_filters (OwOverviewCaseList *self,
                                               const char * const *params);
void        ow_overview_case_list_reload      (OwOverviewCaseList *self);
/* Asks for the next page, when there is one. */
void        ow_overview_case_list_more        (OwOverviewCaseList *self);
/* How it is sorted: "received", "-received", "promised", "-promised", or "updated". */
const char *ow_overview_case_list_get_sort    (OwOverviewCaseList *self);
void        ow_overview_case_list_set_sort    (OwOverviewCaseList *self,
                                               const char         *sort);

gboolean    ow_overview_case_list_is_loaded   (OwOverviewCaseList *self);
guint       ow_overview_case_list_get_n_cases (OwOverviewCaseList *self);
/* How many the whole list holds (-1 until the platform said). */
gint64      ow_overview_case_list_get_total   (OwOverviewCaseList *self);
OwCase     *ow_overview_case_list_get_case    (OwOverviewCaseList *self,
                                               guint               position);
/* Opens the case at @position in a window with its timeline. */
void        ow_overview_case_list_open        (OwOverviewCaseList *self,
                                               guint               position);
/* The cases shown, with Chinese headers, for an export titled @title. */
OwTable    *ow_overview_case_list_to_table    (OwOverviewCaseList *self,
                                               const char         *title);
/* Gives the keyboard to the list. */
void        ow_overview_case_list_focus       (OwOverviewCaseList *self);

G_END_DECLS
