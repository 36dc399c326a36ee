/* ow-platform-db-private.h — what the platform's storage files share: the handle and helpers
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The storage is split by resource (ow-platform-db.c: users, sessions, catalog, calendar and the
 * schema; ow-platform-db-cases.c: cases, files, events and the changes feed;
 * ow-platform-db-tickets.c: tickets and ratings; ow-platform-db-overview.c: what the
 * supervisor's overview counts, lists and computes). They all go through the one
 * statement cache below, so that every statement is prepared and bound.
 */
#pragma once

#include <sqlite3.h>

#include "platform/ow-platform-db.h"

G_BEGIN_DECLS

struct _OwPlatformDb
{
  sqlite3    *handle;
  char       *path;
  /* Prepared statements by their SQL text, finalized when the database closes. */
  GHashTable *statements;
};

gboolean      ow_platform_db_set_sqlite_error (OwPlatformDb  *db,
                                               GError       **error,
                                               const char    *what);
gboolean      ow_platform_db_exec_sql         (OwPlatformDb  *db,
                                               const char    *sql,
                                               GError       **error);
/* A cached statement, reset and unbound, ready for binding. @sql must be a string literal. */
sqlite3_stmt *ow_platform_db_prepare          (OwPlatformDb  *db,
                                               const char    *sql,
                                               GError       **error);
void          ow_platform_db_bind_text        (sqlite3_stmt  *stmt,
                                               int            index,
                                               const char    *text);
char         *ow_platform_db_column_dup       (sqlite3_stmt  *stmt,
                                               int            column);
/* Runs a statement that returns no rows. */
gboolean      ow_platform_db_step_done        (OwPlatformDb  *db,
                                               sqlite3_stmt  *stmt,
                                               GError       **error);

/* Whether an item (its id in @id) of the newest catalog is one of the "6+1" taking no trip:
 * the reform's usage counts the cases of such items. */
#define OW_REFORM_ITEM(id) \
  "EXISTS (SELECT 1 FROM catalog_items k WHERE k.item_id = " id " AND k.visits = 0 " \
  "        AND k.type IN (SELECT type FROM reform_item_types))"

/* The conditions every list and count of cases shares, on the table `cases` aliased c, with
 * parameters ?1 … ?15 that ow_platform_db_bind_case_filter() binds from an
 * OwPlatformCaseFilter: an absent filter binds NULL and matches everything, so that one
 * statement serves every combination and no SQL is ever assembled from a request. A case names
 * its departments and items in case_items. Statements using it number their own parameters from
 * ?16 on. @hall is OW_PLATFORM_IN_HALL (the hall's staff: an index on hall answers) or
 * OW_PLATFORM_ANY_HALL (?1 is NULL). The period is a BETWEEN whose ends do not depend on the
 * row: counts range over the index (hall, received_on) with it (OW_PLATFORM_PERIOD_INDEXED);
 * lists, which stop at their limit, would rather walk the index of their order and only check
 * it (OW_PLATFORM_PERIOD_SCANNED: the unary + keeps SQLite from choosing an index by it). */
#define OW_PLATFORM_IN_HALL "c.hall = ?1 "
#define OW_PLATFORM_ANY_HALL "?1 IS NULL "
#define OW_PLATFORM_PERIOD_INDEXED "c.received_on "
#define OW_PLATFORM_PERIOD_SCANNED "+c.received_on "
#define OW_PLATFORM_CASE_FILTER_SQL(hall, period) \
  hall \
  "AND " period "BETWEEN coalesce(?12, '') AND coalesce(?13, char(1114111)) " \
  "AND (?2 IS NULL OR c.state = ?2) " \
  "AND (?3 IS NULL OR c.counter = ?3) " \
  "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM case_items f " \
  "                           WHERE f.case_no = c.case_no AND f.department = ?4)) " \
  "AND (?5 IS NULL OR c.updated_at >= ?5) " \
  "AND (?6 IS NULL OR c.state IN (SELECT value FROM json_each(?6))) " \
  "AND (?7 IS NULL OR c.promised_date >= ?7) " \
  "AND (?8 IS NULL OR c.promised_date < ?8) " \
  "AND (?9 IS NULL OR coalesce(c.channel, 'window') = ?9) " \
  "AND (?10 IS NULL OR c.clerk = ?10) " \
  "AND (?11 IS NULL OR EXISTS (SELECT 1 FROM case_items f " \
  "                            WHERE f.case_no = c.case_no AND f.item_id = ?11)) " \
  "AND (?14 IS NULL OR c.case_no LIKE ?14 ESCAPE '\\' " \
  "     OR c.applicant_name LIKE ?15 ESCAPE '\\') "
#define OW_PLATFORM_CASE_FILTER_LAST_PARAM 15

void          ow_platform_db_bind_case_filter (sqlite3_stmt               *stmt,
                                               const OwPlatformCaseFilter *filter);

G_END_DECLS
