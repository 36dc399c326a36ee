/* ow-platform-sqlite-private.h — what the SQLite storage files share: the handle and helpers
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite side of the storage interface (ow-platform-db-private.h), split by resource
 * (ow-platform-sqlite.c: users, sessions, calendar, the schema and the class table;
 * ow-platform-sqlite-catalog.c: the catalog, item by item;
 * ow-platform-sqlite-cases.c: cases, files, events and the changes feed;
 * ow-platform-sqlite-tickets.c: tickets, ratings and statistics). They all go through the one
 * statement cache below, so that every statement is prepared and bound.
 */
#pragma once

#include <sqlite3.h>

#include "platform/ow-platform-db-private.h"

G_BEGIN_DECLS

typedef struct
{
  OwPlatformDb  parent;
  sqlite3      *handle;
  char         *path;
  /* Prepared statements by their SQL text, finalized when the database closes. */
  GHashTable   *statements;
} OwPlatformSqlite;

#define OW_PLATFORM_SQLITE(db) ((OwPlatformSqlite *) (db))

gboolean      ow_platform_sqlite_set_sqlite_error (OwPlatformSqlite  *db,
                                                   GError           **error,
                                                   const char        *what);
gboolean      ow_platform_sqlite_exec_sql         (OwPlatformSqlite  *db,
                                                   const char        *sql,
                                                   GError           **error);
/* A cached statement, reset and unbound, ready for binding. @sql must be a string literal. */
sqlite3_stmt *ow_platform_sqlite_prepare          (OwPlatformSqlite  *db,
                                                   const char        *sql,
                                                   GError           **error);
void          ow_platform_sqlite_bind_text        (sqlite3_stmt      *stmt,
                                                   int                index,
                                                   const char        *text);
char         *ow_platform_sqlite_column_dup       (sqlite3_stmt      *stmt,
                                                   int                column);
/* Runs a statement that returns no rows. */
gboolean      ow_platform_sqlite_step_done        (OwPlatformSqlite  *db,
                                                   sqlite3_stmt      *stmt,
                                                   GError           **error);
/* The write transactions of the functions below (BEGIN IMMEDIATE). */
gboolean      ow_platform_sqlite_begin_write      (OwPlatformSqlite  *db,
                                                   GError           **error);
gboolean      ow_platform_sqlite_commit_write     (OwPlatformSqlite  *db,
                                                   GError           **error);
void          ow_platform_sqlite_rollback_write   (OwPlatformSqlite  *db);

/* The class's functions, by file (see ow-platform-db.h for what each does). */

/* ow-platform-sqlite-catalog.c */
gboolean   ow_platform_sqlite_get_catalog       (OwPlatformDb                *db,
                                                 gint64                      *revision,
                                                 char                       **header,
                                                 char                       **source,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_get_catalog_header (OwPlatformDb               *db,
                                                 gint64                       revision,
                                                 char                       **header,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_put_catalog_item  (OwPlatformDb                *db,
                                                 gint64                       revision,
                                                 guint                        position,
                                                 const char                  *id,
                                                 const char                  *body,
                                                 gint64                       legal_limit,
                                                 gint64                       visits,
                                                 gboolean                    *duplicate,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_finish_catalog    (OwPlatformDb                *db,
                                                 gint64                       revision,
                                                 gint64                       final_revision,
                                                 const char                  *header,
                                                 const char                  *source,
                                                 guint                       *changed,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_catalog_has_item  (OwPlatformDb                *db,
                                                 gint64                       revision,
                                                 const char                  *item_id,
                                                 gboolean                    *found,
                                                 GError                     **error);
GPtrArray *ow_platform_sqlite_list_catalog_items (OwPlatformDb               *db,
                                                 gint64                       revision,
                                                 gint64                       since,
                                                 gint64                       after,
                                                 guint                        limit,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_get_item_legal_limit (OwPlatformDb             *db,
                                                 const char                  *item_id,
                                                 gint64                      *limit,
                                                 gboolean                    *found,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_count_catalog_items (OwPlatformDb              *db,
                                                 gint64                       revision,
                                                 gint64                      *items,
                                                 gint64                      *zero_trip,
                                                 GError                     **error);

/* ow-platform-sqlite-logins.c */
OwPlatformLoginFailures *ow_platform_sqlite_get_login_failures (OwPlatformDb  *db,
                                                                const char    *username,
                                                                const char    *address,
                                                                GError       **error);
OwPlatformLoginFailures *ow_platform_sqlite_add_login_failure  (OwPlatformDb  *db,
                                                                const char    *username,
                                                                const char    *address,
                                                                gint64         now,
                                                                gint64         window,
                                                                guint          lock_after,
                                                                gint64         lock_seconds,
                                                                GError       **error);
gboolean   ow_platform_sqlite_clear_login_failures (OwPlatformDb        *db,
                                                    const char          *username,
                                                    const char          *address,
                                                    GError             **error);
gboolean   ow_platform_sqlite_unlock_logins     (OwPlatformDb         *db,
                                                 const char           *username,
                                                 const char           *address,
                                                 const char           *actor,
                                                 gint64                now,
                                                 guint                *unlocked,
                                                 GError              **error);
GPtrArray *ow_platform_sqlite_list_login_locks  (OwPlatformDb         *db,
                                                 GError              **error);
gboolean   ow_platform_sqlite_add_audit         (OwPlatformDb         *db,
                                                 gint64                at,
                                                 const char           *actor,
                                                 const char           *event,
                                                 const char           *subject,
                                                 const char           *address,
                                                 const char           *detail,
                                                 GError              **error);
GPtrArray *ow_platform_sqlite_list_audit        (OwPlatformDb         *db,
                                                 guint                 limit,
                                                 GError              **error);

/* ow-platform-sqlite-cases.c */
gboolean   ow_platform_sqlite_put_case          (OwPlatformDb                *db,
                                                 const char                  *case_no,
                                                 const char                  *body,
                                                 const char                  *state,
                                                 const char                  *hall,
                                                 guint                        counter,
                                                 const char                  *username,
                                                 OwPlatformPutResult         *result,
                                                 GError                     **error);
char      *ow_platform_sqlite_get_case          (OwPlatformDb                *db,
                                                 const char                  *case_no,
                                                 char                       **state,
                                                 GError                     **error);
GPtrArray *ow_platform_sqlite_list_cases        (OwPlatformDb                *db,
                                                 const OwPlatformCaseFilter  *filter,
                                                 GError                     **error);
GPtrArray *ow_platform_sqlite_list_cases_naming_file (OwPlatformDb         *db,
                                                const char           *sha256,
                                                const char           *department,
                                                guint                 limit,
                                                GError              **error);
char     **ow_platform_sqlite_list_stale_cases  (OwPlatformDb                *db,
                                                 const char                  *state,
                                                 gint64                       before,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_add_case_event    (OwPlatformDb                *db,
                                                 const char                  *case_no,
                                                 const char                  *id,
                                                 const char                  *kind,
                                                 const char                  *body,
                                                 const char                  *amended,
                                                 const char                  *username,
                                                 OwPlatformPutResult         *result,
                                                 char                       **state,
                                                 char                       **reason,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_has_case_event    (OwPlatformDb                *db,
                                                 const char                  *id,
                                                 gboolean                    *exists,
                                                 GError                     **error);
GPtrArray *ow_platform_sqlite_list_case_events  (OwPlatformDb                *db,
                                                 const char                  *case_no,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_put_file          (OwPlatformDb                *db,
                                                 const char                  *sha256,
                                                 const char                  *content_type,
                                                 GBytes                      *data,
                                                 const char                  *username,
                                                 OwPlatformPutResult         *result,
                                                 GError                     **error);
GBytes    *ow_platform_sqlite_get_file          (OwPlatformDb                *db,
                                                 const char                  *sha256,
                                                 char                       **content_type,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_has_file          (OwPlatformDb                *db,
                                                 const char                  *sha256,
                                                 gboolean                    *exists,
                                                 GError                     **error);
gboolean   ow_platform_sqlite_append_change_for (OwPlatformDb                *db,
                                                 const char                  *kind,
                                                 const char                  *key,
                                                 const char                  *user,
                                                 const char                  *role,
                                                 gint64                      *seq,
                                                 GError                     **error);
GPtrArray *ow_platform_sqlite_list_changes      (OwPlatformDb                *db,
                                                 gint64                       since,
                                                 guint                        limit,
                                                 GError                     **error);
gint64     ow_platform_sqlite_last_change       (OwPlatformDb                *db,
                                                 GError                     **error);

/* ow-platform-sqlite-tickets.c */
gboolean             ow_platform_sqlite_put_ticket           (OwPlatformDb         *db,
                                                              const char           *id,
                                                              const char           *body,
                                                              const char           *due_date,
                                                              const char           *username,
                                                              OwPlatformPutResult  *result,
                                                              GError              **error);
OwPlatformTicketRow *ow_platform_sqlite_get_ticket           (OwPlatformDb         *db,
                                                              const char           *id,
                                                              GError              **error);
GPtrArray           *ow_platform_sqlite_list_tickets         (OwPlatformDb         *db,
                                                              const char           *state,
                                                              const char           *assignee,
                                                              const char           *overdue_on,
                                                              GError              **error);
gboolean             ow_platform_sqlite_add_ticket_event     (OwPlatformDb         *db,
                                                              const char           *ticket_id,
                                                              const char           *id,
                                                              const char           *kind,
                                                              const char           *body,
                                                              const char           *assignee,
                                                              const char           *username,
                                                              OwPlatformPutResult  *result,
                                                              char                **reason,
                                                              GError              **error);
GPtrArray           *ow_platform_sqlite_list_ticket_events   (OwPlatformDb         *db,
                                                              const char           *ticket_id,
                                                              GError              **error);
gboolean             ow_platform_sqlite_escalate_tickets     (OwPlatformDb         *db,
                                                              const char           *today,
                                                              gint64                now,
                                                              guint                *escalated,
                                                              GError              **error);
gboolean             ow_platform_sqlite_put_rating           (OwPlatformDb         *db,
                                                              const char           *id,
                                                              const char           *case_no,
                                                              const char           *channel,
                                                              int                   level,
                                                              const char           *body,
                                                              const char           *username,
                                                              OwPlatformPutResult  *result,
                                                              GError              **error);
char                *ow_platform_sqlite_get_rating           (OwPlatformDb         *db,
                                                              const char           *id,
                                                              GError              **error);
GHashTable          *ow_platform_sqlite_count_cases_by_state (OwPlatformDb         *db,
                                                              GError              **error);
GPtrArray           *ow_platform_sqlite_list_late_cases      (OwPlatformDb         *db,
                                                              const char           *before,
                                                              GError              **error);
gboolean             ow_platform_sqlite_count_tickets        (OwPlatformDb         *db,
                                                              const char           *today,
                                                              gint64               *open,
                                                              gint64               *overdue,
                                                              GError              **error);
gboolean             ow_platform_sqlite_count_ratings        (OwPlatformDb         *db,
                                                              gint64               *total,
                                                              gint64               *poor,
                                                              gint64               *unfollowed,
                                                              GError              **error);

G_END_DECLS
