/* ow-platform-sqlite-overview.c — the statistics and the supervisor's overview, in SQLite's SQL
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every figure is a GROUP BY in the database, never rows loaded into C and counted there: a
 * hall holds hundreds of thousands of cases. What C adds is what SQL cannot know — how many
 * working days late a promised date is, on the hall's calendar — applied to the few hundred
 * distinct dates a grouped query returns (ow-platform-statistics.c).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "platform/ow-platform-sqlite-private.h"

/* Reads (key, name, count, part) rows; a statement with fewer columns leaves the rest empty. */
static GPtrArray *
collect_groups (OwPlatformSqlite  *db,
                sqlite3_stmt      *stmt,
                GError           **error)
{
  g_autoptr(GPtrArray) groups = ow_stat_groups_new ();
  int columns = sqlite3_column_count (stmt);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwStatGroup *group = g_new0 (OwStatGroup, 1);

      group->key = ow_platform_sqlite_column_dup (stmt, 0);
      if (group->key == NULL)
        group->key = g_strdup ("");
      group->name = columns > 1 ? ow_platform_sqlite_column_dup (stmt, 1) : NULL;
      group->count = columns > 2 ? sqlite3_column_int64 (stmt, 2) : 0;
      group->part = columns > 3 ? sqlite3_column_int64 (stmt, 3) : 0;
      g_ptr_array_add (groups, group);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&groups);
}

static gboolean
step_count (OwPlatformSqlite  *db,
            sqlite3_stmt      *stmt,
            gint64            *count,
            GError           **error)
{
  int rc = sqlite3_step (stmt);

  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}

/* Queues ----------------------------------------------------------------------------------- */

#define FROM_FILTERED(hall) \
  " FROM cases c WHERE " OW_PLATFORM_CASE_FILTER_SQL (hall, OW_PLATFORM_PERIOD_INDEXED)
#define COUNT_STATE(hall) \
  "SELECT c.state, NULL, count(*)" FROM_FILTERED (hall) "GROUP BY c.state ORDER BY 3 DESC, 1"
#define COUNT_COUNTER(hall) \
  "SELECT c.counter, NULL, count(*)" FROM_FILTERED (hall) \
  "GROUP BY c.counter ORDER BY 3 DESC, c.counter"
#define COUNT_CLERK(hall) \
  "SELECT c.clerk, (SELECT u.display_name FROM users u WHERE u.username = c.clerk), count(*)" \
  FROM_FILTERED (hall) "GROUP BY c.clerk ORDER BY 3 DESC, 1"
#define COUNT_CHANNEL(hall) \
  "SELECT coalesce(c.channel, 'window'), NULL, count(*)" FROM_FILTERED (hall) \
  "GROUP BY 1 ORDER BY 3 DESC, 1"
/* From the cases the filter keeps (on the index cases_hall_received alone) to their items. */
#define COUNT_DEPARTMENT(hall) \
  "SELECT i.department, NULL, count(DISTINCT c.case_no) FROM cases c " \
  "CROSS JOIN case_items i ON i.case_no = c.case_no WHERE " \
  OW_PLATFORM_CASE_FILTER_SQL (hall, OW_PLATFORM_PERIOD_INDEXED) \
  "GROUP BY i.department ORDER BY 3 DESC, 1"
#define COUNT_ITEM(hall) \
  "SELECT i.item_id, min(i.name), count(DISTINCT c.case_no) FROM cases c " \
  "CROSS JOIN case_items i ON i.case_no = c.case_no WHERE " \
  OW_PLATFORM_CASE_FILTER_SQL (hall, OW_PLATFORM_PERIOD_INDEXED) \
  "GROUP BY i.item_id ORDER BY 3 DESC, 1"
#define COUNT_TOTAL(hall) "SELECT count(*)" FROM_FILTERED (hall)

static const char *
count_statement (OwCaseCountBy by,
                 gboolean      in_hall)
{
#define EITHER(MACRO) (in_hall ? MACRO (OW_PLATFORM_IN_HALL) : MACRO (OW_PLATFORM_ANY_HALL))
  switch (by)
    {
    case OW_CASE_COUNT_STATE:
      return EITHER (COUNT_STATE);
    case OW_CASE_COUNT_COUNTER:
      return EITHER (COUNT_COUNTER);
    case OW_CASE_COUNT_CLERK:
      return EITHER (COUNT_CLERK);
    case OW_CASE_COUNT_CHANNEL:
      return EITHER (COUNT_CHANNEL);
    case OW_CASE_COUNT_DEPARTMENT:
      return EITHER (COUNT_DEPARTMENT);
    case OW_CASE_COUNT_ITEM:
    default:
      return EITHER (COUNT_ITEM);
    }
#undef EITHER
}

GPtrArray *
ow_platform_sqlite_count_cases (OwPlatformDb               *base,
                                const OwPlatformCaseFilter *filter,
                                OwCaseCountBy           by,
                                gint64                     *total,
                                GError                    **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) groups = NULL;
  sqlite3_stmt *stmt;

  if ((stmt = ow_platform_sqlite_prepare (db, count_statement (by, filter->hall != NULL),
                                      error)) == NULL)
    return NULL;
  ow_platform_sqlite_bind_case_filter (stmt, filter);
  if ((groups = collect_groups (db, stmt, error)) == NULL)
    return NULL;

  if (total != NULL)
    {
      stmt = ow_platform_sqlite_prepare (db, filter->hall != NULL
                                           ? COUNT_TOTAL (OW_PLATFORM_IN_HALL)
                                           : COUNT_TOTAL (OW_PLATFORM_ANY_HALL), error);
      if (stmt == NULL)
        return NULL;
      ow_platform_sqlite_bind_case_filter (stmt, filter);
      if (!step_count (db, stmt, total, error))
        return NULL;
    }
  return g_steal_pointer (&groups);
}

/* Deadlines -------------------------------------------------------------------------------- */

GPtrArray *
ow_platform_sqlite_count_by_promised (OwPlatformDb  *base,
                                      const char    *hall,
                                      const char    *states,
                                      GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  /* The index (hall, state, promised_date) answers this without touching a case's row; a case
   * without a promise has 9999-12-31. */
  stmt = ow_platform_sqlite_prepare (db,
                                 "SELECT promised_date, NULL, count(*) FROM cases "
                                 "WHERE hall = ?1 AND state IN (SELECT value FROM json_each(?2)) "
                                 "AND promised_date < '9999-12-31' "
                                 "GROUP BY promised_date ORDER BY promised_date", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  ow_platform_sqlite_bind_text (stmt, 2, states);
  return collect_groups (db, stmt, error);
}

GPtrArray *
ow_platform_sqlite_list_late_cases (OwPlatformDb  *base,
                                    const char    *hall,
                                    const char    *states,
                                    const char    *before,
                                    guint          limit,
                                    GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) cases = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                 "SELECT case_no, state, promised_date FROM cases "
                                 "WHERE hall = ?1 AND state IN (SELECT value FROM json_each(?2)) "
                                 "AND promised_date < ?3 ORDER BY promised_date, case_no "
                                 "LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  ow_platform_sqlite_bind_text (stmt, 2, states);
  ow_platform_sqlite_bind_text (stmt, 3, before);
  sqlite3_bind_int64 (stmt, 4, limit);
  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_open_case_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformOpenCase *open_case = g_new0 (OwPlatformOpenCase, 1);

      open_case->case_no = ow_platform_sqlite_column_dup (stmt, 0);
      open_case->state = ow_platform_sqlite_column_dup (stmt, 1);
      open_case->promised_date = ow_platform_sqlite_column_dup (stmt, 2);
      g_ptr_array_add (cases, open_case);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&cases);
}

GHashTable *
ow_platform_sqlite_count_cases_by_state (OwPlatformDb  *base,
                                         const char    *hall,
                                         GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db, "SELECT state, count(*) FROM cases WHERE hall = ? "
                                 "GROUP BY state", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, ow_platform_sqlite_column_dup (stmt, 0),
                         GINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&counts);
}

GPtrArray *
ow_platform_sqlite_count_received (OwPlatformDb  *base,
                                   const char    *hall,
                                   const char    *from,
                                   const char    *to,
                                   GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  stmt = ow_platform_sqlite_prepare (db,
                                 "SELECT received_on, NULL, count(*) FROM cases "
                                 "WHERE hall = ?1 AND received_on >= ?2 AND received_on <= ?3 "
                                 "GROUP BY received_on ORDER BY received_on", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  ow_platform_sqlite_bind_text (stmt, 2, from);
  ow_platform_sqlite_bind_text (stmt, 3, to);
  return collect_groups (db, stmt, error);
}

/* The reform's indicators ------------------------------------------------------------------ */

/* The "6+1" items of @revision as the catalog keeps them, item by item: each item's newest
 * version at or before it (ow-platform-sqlite-catalog.c), with the type and department its
 * body gave (schema 8). */
#define REFORM_ITEMS_OF_REVISION \
  "WITH listed AS (SELECT v.department, v.visits FROM catalog_entries e " \
  "  JOIN catalog_versions v ON v.id = e.id AND v.revision = (SELECT max (w.revision) " \
  "    FROM catalog_versions w WHERE w.id = e.id AND w.revision <= ?1) " \
  "  WHERE v.body IS NOT NULL AND v.type IN (SELECT type FROM reform_item_types)) "

GPtrArray *
ow_platform_sqlite_count_reform_items (OwPlatformDb  *base,
                                       gint64         revision,
                                       GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  /* The hall's row (department NULL) first, then each department's. */
  stmt = ow_platform_sqlite_prepare (db,
                                 REFORM_ITEMS_OF_REVISION
                                 "SELECT NULL, NULL, count(*), coalesce(sum(visits = 0), 0) "
                                 "FROM listed "
                                 "UNION ALL "
                                 "SELECT * FROM (SELECT department, NULL, count(*), "
                                 "coalesce(sum(visits = 0), 0) FROM listed "
                                 "GROUP BY department ORDER BY department)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, revision);
  return collect_groups (db, stmt, error);
}

#define USAGE_PERIOD \
  "received_on BETWEEN coalesce(?2, '') AND coalesce(?3, char(1114111))"

GPtrArray *
ow_platform_sqlite_count_reform_usage (OwPlatformDb  *base,
                                       const char    *hall,
                                       const char    *from,
                                       const char    *to,
                                       gboolean       by_department,
                                       GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  /* Each a count over one index: cases_hall_usage (hall, reform, received_on, zero_trip), and
   * case_items_usage (hall, reform_first, received_on, department, zero_trip) whose rows are
   * one per case and department. */
  stmt = ow_platform_sqlite_prepare (db, by_department
                                       ? "SELECT department, NULL, count(*), sum(zero_trip) "
                                         "FROM case_items WHERE hall = ?1 AND reform_first = 1 "
                                         "AND " USAGE_PERIOD " "
                                         "GROUP BY department ORDER BY department"
                                       : "SELECT received_on, NULL, count(*), sum(zero_trip) "
                                         "FROM cases WHERE hall = ?1 AND reform = 1 "
                                         "AND " USAGE_PERIOD " "
                                         "GROUP BY received_on ORDER BY received_on",
                                 error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  ow_platform_sqlite_bind_text (stmt, 2, from);
  ow_platform_sqlite_bind_text (stmt, 3, to);
  return collect_groups (db, stmt, error);
}

/* Ratings ---------------------------------------------------------------------------------- */

/* On the index ratings_hall_rated (hall, rated_on, level, counter, clerk): a rating carries its
 * case's hall, counter and clerk. The period is a BETWEEN whose ends do not depend on the row. */
#define RATED_IN_PERIOD \
  "r.hall = ?1 AND r.rated_on BETWEEN coalesce(?2, '') AND coalesce(?3, char(1114111))"

static const char *
ratings_statement (OwPlatformRatingsBy by)
{
  switch (by)
    {
    case OW_PLATFORM_RATINGS_BY_LEVEL:
      return "SELECT r.level, NULL, count(*), coalesce(sum(r.level >= 4), 0) FROM ratings r "
             "WHERE " RATED_IN_PERIOD " GROUP BY r.level ORDER BY r.level";
    case OW_PLATFORM_RATINGS_BY_COUNTER:
      return "SELECT r.counter, NULL, count(*), coalesce(sum(r.level >= 4), 0) FROM ratings r "
             "WHERE " RATED_IN_PERIOD " GROUP BY r.counter ORDER BY 3 DESC, r.counter";
    case OW_PLATFORM_RATINGS_BY_CLERK:
      return "SELECT r.clerk, (SELECT u.display_name FROM users u WHERE u.username = r.clerk), "
             "count(*), coalesce(sum(r.level >= 4), 0) FROM ratings r "
             "WHERE " RATED_IN_PERIOD " GROUP BY r.clerk ORDER BY 3 DESC, 1";
    case OW_PLATFORM_RATINGS_BY_ITEM:
    default:
      return "SELECT i.item_id, min(i.name), count(*), coalesce(sum(r.level >= 4), 0) "
             "FROM ratings r CROSS JOIN case_items i ON i.case_no = r.case_no "
             "WHERE " RATED_IN_PERIOD " GROUP BY i.item_id ORDER BY 3 DESC, 1";
    }
}

GPtrArray *
ow_platform_sqlite_count_ratings_by (OwPlatformDb         *base,
                                     const char           *hall,
                                     const char           *from,
                                     const char           *to,
                                     OwPlatformRatingsBy   by,
                                     GError              **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  if ((stmt = ow_platform_sqlite_prepare (db, ratings_statement (by), error)) == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  ow_platform_sqlite_bind_text (stmt, 2, from);
  ow_platform_sqlite_bind_text (stmt, 3, to);
  return collect_groups (db, stmt, error);
}

GPtrArray *
ow_platform_sqlite_list_ratings (OwPlatformDb  *base,
                                 const char    *hall,
                                 const char    *from,
                                 const char    *to,
                                 gboolean       poor_only,
                                 const char    *follow_up,
                                 gint64         after,
                                 guint          limit,
                                 GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                 "SELECT r.body, r.rowid, r.counter, r.clerk, "
                                 "(SELECT u.display_name FROM users u WHERE u.username = r.clerk), "
                                 "i.item_id, i.name, t.id, t.state "
                                 "FROM ratings r "
                                 "LEFT JOIN case_items i ON i.case_no = r.case_no "
                                 "  AND i.position = 0 "
                                 "LEFT JOIN tickets t ON t.rowid = (SELECT min(x.rowid) "
                                 "  FROM tickets x WHERE x.rating_id = r.id) "
                                 "WHERE " RATED_IN_PERIOD " AND (?4 = 0 OR r.level >= 4) "
                                 "AND (?5 IS NULL OR (?5 = 'none') = (t.id IS NULL)) "
                                 "AND (?6 = 0 OR r.rowid < ?6) "
                                 "ORDER BY r.rowid DESC LIMIT ?7", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  ow_platform_sqlite_bind_text (stmt, 2, from);
  ow_platform_sqlite_bind_text (stmt, 3, to);
  sqlite3_bind_int (stmt, 4, poor_only);
  ow_platform_sqlite_bind_text (stmt, 5, follow_up);
  sqlite3_bind_int64 (stmt, 6, after);
  sqlite3_bind_int64 (stmt, 7, (gint64) limit + 1);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_rating_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformRatingRow *row = g_new0 (OwPlatformRatingRow, 1);

      row->body = ow_platform_sqlite_column_dup (stmt, 0);
      row->position = sqlite3_column_int64 (stmt, 1);
      row->counter = (guint) sqlite3_column_int (stmt, 2);
      row->clerk = ow_platform_sqlite_column_dup (stmt, 3);
      row->clerk_name = ow_platform_sqlite_column_dup (stmt, 4);
      row->item_id = ow_platform_sqlite_column_dup (stmt, 5);
      row->item_name = ow_platform_sqlite_column_dup (stmt, 6);
      row->ticket_id = ow_platform_sqlite_column_dup (stmt, 7);
      row->ticket_state = ow_platform_sqlite_column_dup (stmt, 8);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
ow_platform_sqlite_count_ratings (OwPlatformDb  *base,
                                  const char    *hall,
                                  gint64        *total,
                                  gint64        *poor,
                                  gint64        *unfollowed,
                                  GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                 "SELECT count(*), coalesce(sum(r.level >= 4), 0), "
                                 "coalesce(sum(r.level >= 4 AND NOT EXISTS (SELECT 1 FROM "
                                 "tickets t WHERE t.rating_id = r.id)), 0) "
                                 "FROM ratings r WHERE r.hall = ?", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *total = sqlite3_column_int64 (stmt, 0);
      *poor = sqlite3_column_int64 (stmt, 1);
      *unfollowed = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}

/* Tickets ---------------------------------------------------------------------------------- */

gboolean
ow_platform_sqlite_count_tickets (OwPlatformDb  *base,
                                  const char    *hall,
                                  const char    *today,
                                  gint64        *open,
                                  gint64        *overdue,
                                  GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  int rc;

  /* A ticket belongs to the hall of whoever registered it, which its body names. */
  stmt = ow_platform_sqlite_prepare (db,
                                 "SELECT count(*), coalesce(sum(due_date < ?2), 0) FROM tickets "
                                 "WHERE state IN ('registered', 'assigned', 'in-progress') "
                                 "AND json_extract(body, '$.hall') = ?1", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  ow_platform_sqlite_bind_text (stmt, 2, today);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *open = sqlite3_column_int64 (stmt, 0);
      *overdue = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}
