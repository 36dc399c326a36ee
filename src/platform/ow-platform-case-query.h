/* ow-platform-case-query.h — the filters of the case list and its counts, read from a request
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/cases and GET /api/v1/statistics/cases take the same filters, read here once, so
 * that a count always says how many cases the list with the same query pages through.
 */
#pragma once

#include "platform/ow-platform-private.h"

G_BEGIN_DECLS

typedef struct
{
  OwPlatformCaseFilter  filter;
  GPtrArray            *strings;  /* what the filter's members point into */
} OwPlatformCaseQuery;

/* Reads the filters from @query for @user into @out (which must be cleared afterwards, even on
 * failure). Hall staff see their own hall's cases: the hall filter is theirs, and another hall
 * is 403 (field "hall"). With @paged, `limit`, `after` and `sort` are read too. Answers 422
 * naming the parameter (or 500) itself and returns FALSE when something does not read. */
gboolean  ow_platform_case_query_parse  (OwPlatformServer     *self,
                                         OwPlatformRequest    *msg,
                                         GHashTable           *query,
                                         const OwPlatformUser *user,
                                         gboolean              paged,
                                         OwPlatformCaseQuery  *out);
void      ow_platform_case_query_clear  (OwPlatformCaseQuery  *query);
/* The `next` cursor after @last, in the query's order. */
char     *ow_platform_case_query_cursor (const OwPlatformCaseQuery *query,
                                         const OwPlatformCaseRow   *last);

G_END_DECLS
