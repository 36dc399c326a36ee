/* ow-platform-db-private.h — what the platform's storage files share: the handle and helpers
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The storage is split by resource (ow-platform-db.c: users, sessions, catalog, calendar and the
 * schema; ow-platform-db-cases.c: cases, files, events and the changes feed;
 * ow-platform-db-tickets.c: tickets, ratings and statistics). They all go through the one
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

G_END_DECLS
