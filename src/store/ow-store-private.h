/* ow-store-private.h — what the store's files share: the object and the SQL helpers
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store is split by concern: ow-store.c (opening, migrations, sequences, audit, meta and the
 * SQL helpers below), ow-store-cases.c, ow-store-outbox.c, ow-store-files.c (scanned pages on
 * disk), ow-store-drafts.c, ow-store-tickets.c (tickets and their timelines),
 * ow-store-catalog.c (the catalog and calendar the platform publishes) and
 * ow-store-credentials.c (offline log-in). Every helper
 * here expects the caller to hold the store's lock.
 */
#pragma once

#include <sqlite3.h>

#include "store/ow-store.h"

G_BEGIN_DECLS

struct _OwStore
{
  GObject  parent_instance;

  /* One connection, serialized by lock: SQLite connections must not be used by two threads at
   * once, and a transaction must not interleave with another caller's statements. */
  GMutex   lock;
  sqlite3 *db;
  char    *path;
  char    *files_dir;
  int      schema_version;
  gint64   last_stamp;
};

/* Sets @error from the connection's last failure (@rc), with a hint a clerk can act on; @doing
 * says what failed ("save the ticket"). */
void          ow_store_set_sqlite_error    (OwStore        *self,
                                            int             rc,
                                            const char     *doing,
                                            GError        **error);
/* Microseconds since the epoch, strictly increasing within this store. */
gint64        ow_store_next_stamp          (OwStore        *self);
/* Runs @sql, which returns no rows (a BEGIN, a migration's script). */
gboolean      ow_store_exec_sql            (OwStore        *self,
                                            const char     *sql,
                                            const char     *doing,
                                            GError        **error);
sqlite3_stmt *ow_store_prepare             (OwStore        *self,
                                            const char     *sql,
                                            const char     *doing,
                                            GError        **error);
/* Steps a statement that returns no rows, and finalizes it. */
gboolean      ow_store_run_stmt            (OwStore        *self,
                                            sqlite3_stmt   *stmt,
                                            const char     *doing,
                                            GError        **error);
/* BEGIN IMMEDIATE, COMMIT (rolling back when it fails), ROLLBACK when in a transaction. */
gboolean      ow_store_begin               (OwStore        *self,
                                            const char     *doing,
                                            GError        **error);
gboolean      ow_store_commit              (OwStore        *self,
                                            const char     *doing,
                                            GError        **error);
void          ow_store_rollback            (OwStore        *self);
/* Binds @text, or NULL. */
void          ow_store_bind_text           (sqlite3_stmt   *stmt,
                                            int             index,
                                            const char     *text);
/* Binds the bytes of @bytes as a blob, or NULL. */
void          ow_store_bind_bytes          (sqlite3_stmt   *stmt,
                                            int             index,
                                            GBytes         *bytes);
/* The text of @column, or NULL for SQL NULL. */
char         *ow_store_column_dup_text     (sqlite3_stmt   *stmt,
                                            int             column);
/* The blob of @column, or NULL for SQL NULL. */
GBytes       *ow_store_column_dup_bytes    (sqlite3_stmt   *stmt,
                                            int             column);
/* The single integer that @sql (a SELECT count(*) …) answers. */
guint         ow_store_count_rows          (OwStore        *self,
                                            const char     *sql,
                                            GError        **error);
gboolean      ow_store_insert_audit        (OwStore        *self,
                                            const char     *user,
                                            const char     *event,
                                            const char     *object,
                                            const char     *result,
                                            GError        **error);
/* Appends @entry to the outbox inside the caller's transaction; *@entry_id stays 0 when it is a
 * file the platform holds or that is on its way already. */
gboolean      ow_store_insert_outbox_entry (OwStore        *self,
                                            OwOutboxEntry  *entry,
                                            gint64          stamp,
                                            gint64         *entry_id,
                                            const char     *doing,
                                            GError        **error);

/* The meta key @key, or NULL when unset; and setting it (NULL deletes), inside the caller's
 * transaction. */
char         *ow_store_get_meta_locked     (OwStore        *self,
                                            const char     *key,
                                            GError        **error);
gboolean      ow_store_set_meta_locked     (OwStore        *self,
                                            const char     *key,
                                            const char     *value,
                                            GError        **error);

/* Deletes draft @key, if there is one, inside the caller's transaction (ow-store-drafts.c): a
 * decided case takes its draft with it. */
gboolean      ow_store_delete_draft_locked (OwStore        *self,
                                            const char     *key,
                                            const char     *doing,
                                            GError        **error);

/* Writes the row of @kase (and nothing else) inside the caller's transaction (ow-store-cases.c),
 * stamped @stamp. */
gboolean      ow_store_upsert_case_locked  (OwStore        *self,
                                            OwCase         *kase,
                                            gint64          stamp,
                                            const char     *doing,
                                            GError        **error);
/* The case of a row whose columns @type_column and @data_column are data_type and data. */
OwCase       *ow_store_case_from_row       (OwStore        *self,
                                            sqlite3_stmt   *stmt,
                                            int             type_column,
                                            int             data_column,
                                            GError        **error);
/* Writes the row of @ticket inside the caller's transaction (ow-store-tickets.c). */
gboolean      ow_store_upsert_ticket_locked (OwStore       *self,
                                            const OwTicket *ticket,
                                            const char     *doing,
                                            GError        **error);

G_END_DECLS
