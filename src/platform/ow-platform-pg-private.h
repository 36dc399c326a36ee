/* ow-platform-pg-private.h — what the PostgreSQL storage files share: the handle and helpers
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PostgreSQL side of the storage interface (ow-platform-db-private.h), split like the SQLite
 * side (ow-platform-pg.c: connection, schema, users, sessions, calendar, job claims and the
 * class table; ow-platform-pg-catalog.c: the catalog, item by item; ow-platform-pg-cases.c:
 * the changes feed, cases, events, files;
 * ow-platform-pg-tickets.c: tickets, ratings, statistics; ow-platform-pg-watch.c: LISTEN on the
 * main loop). Every statement goes through ow_platform_pg_exec(), which prepares it once per
 * connection and binds its parameters: nothing is ever assembled from text.
 *
 * Across processes, the database keeps the rules: unique keys with ON CONFLICT DO NOTHING decide
 * which of two racing requests creates a record (the other compares bodies: 200 or 409), a
 * record's row lock (SELECT … FOR UPDATE) orders the events moving it through its state machine,
 * and advisory locks order the changes feed (ow_platform_pg_append_change_for()), make
 * maintenance run alone, and let one process at a time run each background job.
 */
#pragma once

#include <libpq-fe.h>

#include "platform/ow-platform-db-private.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

typedef struct
{
  OwPlatformDb  parent;
  PGconn       *conn;
  char         *uri;
  char         *label;       /* the database as messages name it, never with a password */
  /* Names of the statements prepared on this connection, by their SQL text. */
  GHashTable   *statements;
  guint         next_statement;
} OwPlatformPg;

#define OW_PLATFORM_PG(db) ((OwPlatformPg *) (db))

/* The first key of every advisory lock the platform takes ("OW"), so that other software using
 * advisory locks on the same database cannot collide with ours; the second says which. */
#define OW_PG_LOCK_CLASS 0x4F57

typedef enum
{
  OW_PG_LOCK_SCHEMA = 1,        /* creating or upgrading the schema */
  OW_PG_LOCK_MAINTENANCE = 2,   /* ow_platform_db_begin(): seeding, imports */
  OW_PG_LOCK_FEED = 3,          /* appending to the changes feed, until commit */
  OW_PG_LOCK_ESCALATING = 4,    /* one escalation transaction at a time */
  OW_PG_LOCK_JOB = 16,          /* + OwPlatformJob: a process's claim on a background job */
} OwPgLock;

/* The channel on which each transaction that appended to the feed notifies at commit. */
#define OW_PG_CHANGES_CHANNEL "ow_changes"

/* Parameters of one statement, in text form except for binary data. */
#define OW_PG_MAX_PARAMS 12

typedef struct
{
  int         n;
  const char *values[OW_PG_MAX_PARAMS];
  int         lengths[OW_PG_MAX_PARAMS];
  int         formats[OW_PG_MAX_PARAMS];
  char        numbers[OW_PG_MAX_PARAMS][24];
} OwPgParams;

/* NULL binds SQL NULL. */
void      ow_pg_param_text   (OwPgParams    *params,
                              const char    *text);
void      ow_pg_param_int    (OwPgParams    *params,
                              gint64         value);
void      ow_pg_param_bytes  (OwPgParams    *params,
                              gconstpointer  data,
                              gsize          size);

/* Runs @sql (a string literal, prepared on first use) with @params (NULL for none); results come
 * in text form, or binary when @binary. Returns the result when the statement succeeded, else
 * NULL with @error set (a lost connection is reset for the next call). */
PGresult *ow_platform_pg_exec       (OwPlatformPg  *db,
                                     const char    *sql,
                                     OwPgParams    *params,
                                     gboolean       binary,
                                     GError       **error);
/* The same for a statement whose result is not needed. */
gboolean  ow_platform_pg_run        (OwPlatformPg  *db,
                                     const char    *sql,
                                     OwPgParams    *params,
                                     GError       **error);
/* Rows affected by an INSERT, UPDATE or DELETE. */
gint64    ow_pg_affected            (PGresult      *result);
/* A text column, NULL for SQL NULL. */
char     *ow_pg_dup                 (PGresult      *result,
                                     int            row,
                                     int            column);
gint64    ow_pg_int                 (PGresult      *result,
                                     int            row,
                                     int            column);
gboolean  ow_pg_bool                (PGresult      *result,
                                     int            row,
                                     int            column);

/* The transactions of the functions below: BEGIN, COMMIT, and ROLLBACK unless idle. */
gboolean  ow_platform_pg_begin_write    (OwPlatformPg  *db,
                                         GError       **error);
gboolean  ow_platform_pg_commit_write   (OwPlatformPg  *db,
                                         GError       **error);
void      ow_platform_pg_rollback_write (OwPlatformPg  *db);
/* Takes transaction-level advisory lock @which: held until commit or rollback. */
gboolean  ow_platform_pg_lock           (OwPlatformPg  *db,
                                         OwPgLock       which,
                                         GError       **error);

/* Opens a connection to @uri in @label's name; NULL with @error when it fails. */
PGconn   *ow_platform_pg_connect        (const char    *uri,
                                         const char    *label,
                                         GError       **error);

/* ow-platform-pg-watch.c */
GSource  *ow_platform_pg_watch_new      (const char    *uri,
                                         const char    *label);

/* The class's functions, by file (see ow-platform-db.h for what each does). */

/* ow-platform-pg-catalog.c */
gboolean   ow_platform_pg_get_catalog       (OwPlatformDb                *db,
                                             gint64                      *revision,
                                             char                       **header,
                                             char                       **source,
                                             GError                     **error);
gboolean   ow_platform_pg_get_catalog_header (OwPlatformDb               *db,
                                             gint64                       revision,
                                             char                       **header,
                                             GError                     **error);
gboolean   ow_platform_pg_put_catalog_item  (OwPlatformDb                *db,
                                             gint64                       revision,
                                             guint                        position,
                                             const char                  *id,
                                             const char                  *body,
                                             gint64                       legal_limit,
                                             gint64                       visits,
                                             gboolean                    *duplicate,
                                             GError                     **error);
gboolean   ow_platform_pg_finish_catalog    (OwPlatformDb                *db,
                                             gint64                       revision,
                                             gint64                       final_revision,
                                             const char                  *header,
                                             const char                  *source,
                                             guint                       *changed,
                                             GError                     **error);
gboolean   ow_platform_pg_catalog_has_item  (OwPlatformDb                *db,
                                             gint64                       revision,
                                             const char                  *item_id,
                                             gboolean                    *found,
                                             GError                     **error);
GPtrArray *ow_platform_pg_list_catalog_items (OwPlatformDb               *db,
                                             gint64                       revision,
                                             gint64                       since,
                                             gint64                       after,
                                             guint                        limit,
                                             GError                     **error);
gboolean   ow_platform_pg_get_item_legal_limit (OwPlatformDb             *db,
                                             const char                  *item_id,
                                             gint64                      *limit,
                                             gboolean                    *found,
                                             GError                     **error);
gboolean   ow_platform_pg_count_catalog_items (OwPlatformDb              *db,
                                             gint64                       revision,
                                             gint64                      *items,
                                             gint64                      *zero_trip,
                                             GError                     **error);

/* ow-platform-pg-cases.c */
gboolean   ow_platform_pg_put_case          (OwPlatformDb                *db,
                                             const char                  *case_no,
                                             const char                  *body,
                                             const char                  *state,
                                             const char                  *hall,
                                             guint                        counter,
                                             const char                  *username,
                                             OwPlatformPutResult         *result,
                                             GError                     **error);
char      *ow_platform_pg_get_case          (OwPlatformDb                *db,
                                             const char                  *case_no,
                                             char                       **state,
                                             GError                     **error);
GPtrArray *ow_platform_pg_list_cases        (OwPlatformDb                *db,
                                             const OwPlatformCaseFilter  *filter,
                                             GError                     **error);
GPtrArray *ow_platform_pg_list_cases_naming_file (OwPlatformDb            *db,
                                                 const char              *sha256,
                                                 const char              *department,
                                                 guint                    limit,
                                                 GError                 **error);
char     **ow_platform_pg_list_stale_cases  (OwPlatformDb                *db,
                                             const char                  *state,
                                             gint64                       before,
                                             GError                     **error);
gboolean   ow_platform_pg_add_case_event    (OwPlatformDb                *db,
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
gboolean   ow_platform_pg_has_case_event    (OwPlatformDb                *db,
                                             const char                  *id,
                                             gboolean                    *exists,
                                             GError                     **error);
GPtrArray *ow_platform_pg_list_case_events  (OwPlatformDb                *db,
                                             const char                  *case_no,
                                             GError                     **error);
gboolean   ow_platform_pg_put_file          (OwPlatformDb                *db,
                                             const char                  *sha256,
                                             const char                  *content_type,
                                             GBytes                      *data,
                                             const char                  *username,
                                             OwPlatformPutResult         *result,
                                             GError                     **error);
GBytes    *ow_platform_pg_get_file          (OwPlatformDb                *db,
                                             const char                  *sha256,
                                             char                       **content_type,
                                             GError                     **error);
gboolean   ow_platform_pg_has_file          (OwPlatformDb                *db,
                                             const char                  *sha256,
                                             gboolean                    *exists,
                                             GError                     **error);
gboolean   ow_platform_pg_append_change_for (OwPlatformDb                *db,
                                             const char                  *kind,
                                             const char                  *key,
                                             const char                  *user,
                                             const char                  *role,
                                             gint64                      *seq,
                                             GError                     **error);
GPtrArray *ow_platform_pg_list_changes      (OwPlatformDb                *db,
                                             gint64                       since,
                                             guint                        limit,
                                             GError                     **error);
gint64     ow_platform_pg_last_change       (OwPlatformDb                *db,
                                             GError                     **error);

/* ow-platform-pg-tickets.c */
gboolean             ow_platform_pg_put_ticket           (OwPlatformDb         *db,
                                                          const char           *id,
                                                          const char           *body,
                                                          const char           *due_date,
                                                          const char           *username,
                                                          OwPlatformPutResult  *result,
                                                          GError              **error);
OwPlatformTicketRow *ow_platform_pg_get_ticket           (OwPlatformDb         *db,
                                                          const char           *id,
                                                          GError              **error);
GPtrArray           *ow_platform_pg_list_tickets         (OwPlatformDb         *db,
                                                          const char           *state,
                                                          const char           *assignee,
                                                          const char           *overdue_on,
                                                          GError              **error);
gboolean             ow_platform_pg_add_ticket_event     (OwPlatformDb         *db,
                                                          const char           *ticket_id,
                                                          const char           *id,
                                                          const char           *kind,
                                                          const char           *body,
                                                          const char           *assignee,
                                                          const char           *username,
                                                          OwPlatformPutResult  *result,
                                                          char                **reason,
                                                          GError              **error);
GPtrArray           *ow_platform_pg_list_ticket_events   (OwPlatformDb         *db,
                                                          const char           *ticket_id,
                                                          GError              **error);
gboolean             ow_platform_pg_escalate_tickets     (OwPlatformDb         *db,
                                                          const char           *today,
                                                          gint64                now,
                                                          guint                *escalated,
                                                          GError              **error);
gboolean             ow_platform_pg_put_rating           (OwPlatformDb         *db,
                                                          const char           *id,
                                                          const char           *case_no,
                                                          const char           *channel,
                                                          int                   level,
                                                          const char           *body,
                                                          const char           *username,
                                                          OwPlatformPutResult  *result,
                                                          GError              **error);
char                *ow_platform_pg_get_rating           (OwPlatformDb         *db,
                                                          const char           *id,
                                                          GError              **error);
GHashTable          *ow_platform_pg_count_cases_by_state (OwPlatformDb         *db,
                                                          GError              **error);
GPtrArray           *ow_platform_pg_list_late_cases      (OwPlatformDb         *db,
                                                          const char           *before,
                                                          GError              **error);
gboolean             ow_platform_pg_count_tickets        (OwPlatformDb         *db,
                                                          const char           *today,
                                                          gint64               *open,
                                                          gint64               *overdue,
                                                          GError              **error);
gboolean             ow_platform_pg_count_ratings        (OwPlatformDb         *db,
                                                          gint64               *total,
                                                          gint64               *poor,
                                                          gint64               *unfollowed,
                                                          GError              **error);

/* ow-platform-pg-logins.c */
OwPlatformLoginFailures *ow_platform_pg_get_login_failures (OwPlatformDb  *db,
                                                            const char    *username,
                                                            const char    *address,
                                                            GError       **error);
OwPlatformLoginFailures *ow_platform_pg_add_login_failure  (OwPlatformDb  *db,
                                                            const char    *username,
                                                            const char    *address,
                                                            gint64         now,
                                                            gint64         window,
                                                            guint          lock_after,
                                                            gint64         lock_seconds,
                                                            GError       **error);
gboolean   ow_platform_pg_clear_login_failures (OwPlatformDb        *db,
                                                const char          *username,
                                                const char          *address,
                                                GError             **error);
gboolean   ow_platform_pg_unlock_logins     (OwPlatformDb         *db,
                                             const char           *username,
                                             const char           *address,
                                             const char           *actor,
                                             gint64                now,
                                             guint                *unlocked,
                                             GError              **error);
GPtrArray *ow_platform_pg_list_login_locks  (OwPlatformDb         *db,
                                             GError              **error);
gboolean   ow_platform_pg_add_audit         (OwPlatformDb         *db,
                                             gint64                at,
                                             const char           *actor,
                                             const char           *event,
                                             const char           *subject,
                                             const char           *address,
                                             const char           *detail,
                                             GError              **error);
GPtrArray *ow_platform_pg_list_audit        (OwPlatformDb         *db,
                                             guint                 limit,
                                             GError              **error);

G_END_DECLS
