/* ow-platform-pg-overview.c — the statistics and the supervisor's overview, in PostgreSQL's SQL
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same figures as ow-platform-sqlite-overview.c, each a GROUP BY over the columns and tables
 * of schema version 4 (ow-platform-pg.c), never rows loaded into C and counted there. Days are
 * compared as text in the "C" collation, the columns' own; groups come in the same order as on
 * SQLite (the largest first, ties by key in byte order).
 */

#include "config.h"

#include "platform/ow-platform-pg-private.h"

/* Reads (key, name, count, part) rows; a statement with fewer columns leaves the rest empty. */
static GPtrArray *
collect_groups (PGresult *result)
{
  GPtrArray *groups = ow_stat_groups_new ();
  int columns = PQnfields (result);

  for (int i = 0; i < PQntuples (result); i++)
    {
      OwStatGroup *group = g_new0 (OwStatGroup, 1);

      group->key = ow_pg_dup (result, i, 0);
      if (group->key == NULL)
        group->key = g_strdup ("");
      group->name = columns > 1 ? ow_pg_dup (result, i, 1) : NULL;
      group->count = columns > 2 ? ow_pg_int (result, i, 2) : 0;
      group->part = columns > 3 ? ow_pg_int (result, i, 3) : 0;
      g_ptr_array_add (groups, group);
    }
  return groups;
}

static GPtrArray *
query_groups (OwPlatformDb  *base,
              const char    *sql,
              OwPgParams    *params,
              GError       **error)
{
  g_autoptr(PGresult) result = ow_platform_pg_exec (OW_PLATFORM_PG (base), sql, params, FALSE,
                                                    error);

  return result != NULL ? collect_groups (result) : NULL;
}

/* Queues ----------------------------------------------------------------------------------- */

#define FROM_FILTERED " FROM cases c WHERE " OW_PG_CASE_FILTER_SQL
#define BY_ITEMS \
  " FROM cases c JOIN case_items i ON i.case_no = c.case_no WHERE " OW_PG_CASE_FILTER_SQL

static const char *
count_statement (OwCaseCountBy by)
{
  switch (by)
    {
    case OW_CASE_COUNT_STATE:
      return "SELECT c.state, NULL, count(*)" FROM_FILTERED
             "GROUP BY c.state ORDER BY 3 DESC, c.state COLLATE \"C\"";
    case OW_CASE_COUNT_COUNTER:
      return "SELECT c.counter::text, NULL, count(*)" FROM_FILTERED
             "GROUP BY c.counter ORDER BY 3 DESC, c.counter";
    case OW_CASE_COUNT_CLERK:
      return "SELECT c.clerk, (SELECT u.display_name FROM users u WHERE u.username = c.clerk), "
             "count(*)" FROM_FILTERED "GROUP BY c.clerk ORDER BY 3 DESC, c.clerk COLLATE \"C\" "
             "NULLS FIRST";
    case OW_CASE_COUNT_CHANNEL:
      return "SELECT coalesce(c.channel, 'window'), NULL, count(*)" FROM_FILTERED
             "GROUP BY 1 ORDER BY 3 DESC, coalesce(c.channel, 'window') COLLATE \"C\"";
    case OW_CASE_COUNT_DEPARTMENT:
      return "SELECT i.department, NULL, count(DISTINCT c.case_no)" BY_ITEMS
             "GROUP BY i.department ORDER BY 3 DESC, i.department COLLATE \"C\" NULLS FIRST";
    case OW_CASE_COUNT_ITEM:
    default:
      return "SELECT i.item_id, min(i.name), count(DISTINCT c.case_no)" BY_ITEMS
             "GROUP BY i.item_id ORDER BY 3 DESC, i.item_id COLLATE \"C\" NULLS FIRST";
    }
}

GPtrArray *
ow_platform_pg_count_cases (OwPlatformDb               *base,
                            const OwPlatformCaseFilter *filter,
                            OwCaseCountBy               by,
                            gint64                     *total,
                            GError                    **error)
{
  g_autoptr(GPtrArray) groups = NULL;
  OwPgParams params = { 0, };

  ow_platform_pg_bind_case_filter (&params, filter);
  if ((groups = query_groups (base, count_statement (by), &params, error)) == NULL)
    return NULL;
  if (total != NULL)
    {
      g_autoptr(PGresult) result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                                        "SELECT count(*)" FROM_FILTERED,
                                                        &params, FALSE, error);

      if (result == NULL)
        return NULL;
      *total = ow_pg_int (result, 0, 0);
    }
  return g_steal_pointer (&groups);
}

/* Deadlines -------------------------------------------------------------------------------- */

GPtrArray *
ow_platform_pg_count_by_promised (OwPlatformDb  *base,
                                  const char    *hall,
                                  const char    *states,
                                  GError       **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  ow_pg_param_text (&params, states);
  return query_groups (base,
                       "SELECT promised_date, NULL, count(*) FROM cases "
                       "WHERE hall = $1 AND state IN (SELECT jsonb_array_elements_text "
                       "($2::text::jsonb)) AND promised_date < '9999-12-31' "
                       "GROUP BY promised_date ORDER BY promised_date", &params, error);
}

GPtrArray *
ow_platform_pg_list_late_cases (OwPlatformDb  *base,
                                const char    *hall,
                                const char    *states,
                                const char    *before,
                                guint          limit,
                                GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *cases;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  ow_pg_param_text (&params, states);
  ow_pg_param_text (&params, before);
  ow_pg_param_int (&params, limit);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT case_no, state, promised_date FROM cases "
                                "WHERE hall = $1 AND state IN (SELECT jsonb_array_elements_text "
                                "($2::text::jsonb)) AND promised_date < $3 "
                                "ORDER BY promised_date, case_no COLLATE \"C\" LIMIT $4::bigint",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_open_case_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      OwPlatformOpenCase *open_case = g_new0 (OwPlatformOpenCase, 1);

      open_case->case_no = ow_pg_dup (result, i, 0);
      open_case->state = ow_pg_dup (result, i, 1);
      open_case->promised_date = ow_pg_dup (result, i, 2);
      g_ptr_array_add (cases, open_case);
    }
  return cases;
}

GHashTable *
ow_platform_pg_count_cases_by_state (OwPlatformDb  *base,
                                     const char    *hall,
                                     GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  GHashTable *counts;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT state, count(*) FROM cases WHERE hall = $1 "
                                "GROUP BY state", &params, FALSE, error);
  if (result == NULL)
    return NULL;
  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < PQntuples (result); i++)
    g_hash_table_insert (counts, ow_pg_dup (result, i, 0),
                         GINT_TO_POINTER ((int) ow_pg_int (result, i, 1)));
  return counts;
}

GPtrArray *
ow_platform_pg_count_received (OwPlatformDb  *base,
                               const char    *hall,
                               const char    *from,
                               const char    *to,
                               GError       **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  ow_pg_param_text (&params, from);
  ow_pg_param_text (&params, to);
  return query_groups (base,
                       "SELECT received_on, NULL, count(*) FROM cases "
                       "WHERE hall = $1 AND received_on >= $2 AND received_on <= $3 "
                       "GROUP BY received_on ORDER BY received_on", &params, error);
}

/* The reform's indicators ------------------------------------------------------------------ */

/* The "6+1" items of @revision as main's catalog keeps them, item by item: each item's newest
 * version at or before it (ow-platform-pg-catalog.c), with the type and department its body
 * gave (schema 5). */
#define REFORM_ITEMS_OF_REVISION \
  "WITH listed AS (SELECT v.department, v.visits FROM catalog_entries e " \
  "  JOIN catalog_versions v ON v.id = e.id AND v.revision = (SELECT max (w.revision) " \
  "    FROM catalog_versions w WHERE w.id = e.id AND w.revision <= $1::bigint) " \
  "  WHERE v.body IS NOT NULL AND v.type IN (SELECT type FROM reform_item_types)) "

GPtrArray *
ow_platform_pg_count_reform_items (OwPlatformDb  *base,
                                   gint64         revision,
                                   GError       **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_int (&params, revision);
  /* The hall's row (department NULL) first, then each department's. */
  return query_groups (base,
                       REFORM_ITEMS_OF_REVISION
                       "SELECT department, NULL, n, zero_trip FROM ("
                       "SELECT 0 AS o, NULL::text AS department, count(*) AS n, "
                       "count(*) FILTER (WHERE visits = 0) AS zero_trip FROM listed "
                       "UNION ALL "
                       "SELECT 1, department, count(*), count(*) FILTER (WHERE visits = 0) "
                       "FROM listed GROUP BY department) AS rows "
                       "ORDER BY o, department COLLATE \"C\" NULLS FIRST", &params, error);
}

GPtrArray *
ow_platform_pg_count_reform_usage (OwPlatformDb  *base,
                                   const char    *hall,
                                   const char    *from,
                                   const char    *to,
                                   gboolean       by_department,
                                   GError       **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  ow_pg_param_text (&params, from);
  ow_pg_param_text (&params, to);
  /* Each a count over one index, as on SQLite: cases_hall_usage and case_items_usage, whose
   * reform_first rows are one per case and department. */
  return query_groups (base, by_department
                               ? "SELECT department, NULL, count(*), "
                                 "count(*) FILTER (WHERE zero_trip) FROM case_items "
                                 "WHERE hall = $1 AND reform_first "
                                 "AND received_on BETWEEN coalesce($2::text, '') "
                                 "AND coalesce($3::text, '9999-12-31') "
                                 "GROUP BY department ORDER BY department COLLATE \"C\" "
                                 "NULLS FIRST"
                               : "SELECT received_on, NULL, count(*), "
                                 "count(*) FILTER (WHERE zero_trip) FROM cases "
                                 "WHERE hall = $1 AND reform "
                                 "AND received_on BETWEEN coalesce($2::text, '') "
                                 "AND coalesce($3::text, '9999-12-31') "
                                 "GROUP BY received_on ORDER BY received_on",
                       &params, error);
}

/* Ratings ---------------------------------------------------------------------------------- */

#define RATED_IN_PERIOD \
  "r.hall = $1 AND r.rated_on BETWEEN coalesce($2::text, '') AND coalesce($3::text, " \
  "'9999-12-31')"
#define POOR "count(*) FILTER (WHERE r.level >= 4)"

static const char *
ratings_statement (OwPlatformRatingsBy by)
{
  switch (by)
    {
    case OW_PLATFORM_RATINGS_BY_LEVEL:
      return "SELECT r.level::text, NULL, count(*), " POOR " FROM ratings r "
             "WHERE " RATED_IN_PERIOD " GROUP BY r.level ORDER BY r.level";
    case OW_PLATFORM_RATINGS_BY_COUNTER:
      return "SELECT r.counter::text, NULL, count(*), " POOR " FROM ratings r "
             "WHERE " RATED_IN_PERIOD " GROUP BY r.counter ORDER BY 3 DESC, r.counter";
    case OW_PLATFORM_RATINGS_BY_CLERK:
      return "SELECT r.clerk, (SELECT u.display_name FROM users u WHERE u.username = r.clerk), "
             "count(*), " POOR " FROM ratings r WHERE " RATED_IN_PERIOD " "
             "GROUP BY r.clerk ORDER BY 3 DESC, r.clerk COLLATE \"C\" NULLS FIRST";
    case OW_PLATFORM_RATINGS_BY_ITEM:
    default:
      return "SELECT i.item_id, min(i.name), count(*), " POOR " FROM ratings r "
             "JOIN case_items i ON i.case_no = r.case_no WHERE " RATED_IN_PERIOD " "
             "GROUP BY i.item_id ORDER BY 3 DESC, i.item_id COLLATE \"C\" NULLS FIRST";
    }
}

GPtrArray *
ow_platform_pg_count_ratings_by (OwPlatformDb         *base,
                                 const char           *hall,
                                 const char           *from,
                                 const char           *to,
                                 OwPlatformRatingsBy   by,
                                 GError              **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  ow_pg_param_text (&params, from);
  ow_pg_param_text (&params, to);
  return query_groups (base, ratings_statement (by), &params, error);
}

GPtrArray *
ow_platform_pg_list_ratings (OwPlatformDb  *base,
                             const char    *hall,
                             const char    *from,
                             const char    *to,
                             gboolean       poor_only,
                             const char    *follow_up,
                             gint64         after,
                             guint          limit,
                             GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *rows;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  ow_pg_param_text (&params, from);
  ow_pg_param_text (&params, to);
  ow_pg_param_text (&params, poor_only ? "true" : "false");
  ow_pg_param_text (&params, follow_up);
  ow_pg_param_int (&params, after);
  ow_pg_param_int (&params, (gint64) limit + 1);
  /* Ratings in their order of arrival (ord), the first ticket naming each (in its own). */
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT r.body, r.ord, r.counter, r.clerk, "
                                "(SELECT u.display_name FROM users u WHERE u.username = r.clerk), "
                                "i.item_id, i.name, t.id, t.state "
                                "FROM ratings r "
                                "LEFT JOIN case_items i ON i.case_no = r.case_no "
                                "  AND i.position = 0 "
                                "LEFT JOIN LATERAL (SELECT x.id, x.state FROM tickets x "
                                "  WHERE x.rating_id = r.id ORDER BY x.ord LIMIT 1) AS t ON true "
                                "WHERE " RATED_IN_PERIOD " AND (NOT $4::boolean OR r.level >= 4) "
                                "AND ($5::text IS NULL OR ($5 = 'none') = (t.id IS NULL)) "
                                "AND ($6::bigint = 0 OR r.ord < $6) "
                                "ORDER BY r.ord DESC LIMIT $7::bigint",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_rating_row_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      OwPlatformRatingRow *row = g_new0 (OwPlatformRatingRow, 1);

      row->body = ow_pg_dup (result, i, 0);
      row->position = ow_pg_int (result, i, 1);
      row->counter = (guint) ow_pg_int (result, i, 2);
      row->clerk = ow_pg_dup (result, i, 3);
      row->clerk_name = ow_pg_dup (result, i, 4);
      row->item_id = ow_pg_dup (result, i, 5);
      row->item_name = ow_pg_dup (result, i, 6);
      row->ticket_id = ow_pg_dup (result, i, 7);
      row->ticket_state = ow_pg_dup (result, i, 8);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

gboolean
ow_platform_pg_count_ratings (OwPlatformDb  *base,
                              const char    *hall,
                              gint64        *total,
                              gint64        *poor,
                              gint64        *unfollowed,
                              GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT count(*), " POOR ", count(*) FILTER (WHERE r.level >= 4 "
                                "AND NOT EXISTS (SELECT 1 FROM tickets t "
                                "WHERE t.rating_id = r.id)) FROM ratings r WHERE r.hall = $1",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  *total = ow_pg_int (result, 0, 0);
  *poor = ow_pg_int (result, 0, 1);
  *unfollowed = ow_pg_int (result, 0, 2);
  return TRUE;
}

/* Tickets ---------------------------------------------------------------------------------- */

gboolean
ow_platform_pg_count_tickets (OwPlatformDb  *base,
                              const char    *hall,
                              const char    *today,
                              gint64        *open,
                              gint64        *overdue,
                              GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  ow_pg_param_text (&params, today);
  /* A ticket belongs to the hall of whoever registered it, which its body names. */
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT count(*), count(*) FILTER (WHERE due_date < $2) "
                                "FROM tickets WHERE state IN ('registered', 'assigned', "
                                "'in-progress') AND body::jsonb ->> 'hall' = $1",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  *open = ow_pg_int (result, 0, 0);
  *overdue = ow_pg_int (result, 0, 1);
  return TRUE;
}
