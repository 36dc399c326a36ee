/* ow-store.c — the workstation's local SQLite store: opening, migrations, sequences, audit, meta
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/ow-store-private.h"
#include "store/ow-store-schema.h"

/* struct _OwStore is in ow-store-private.h, shared with the store's other files. */
G_DEFINE_TYPE (OwStore, ow_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (ow-store-error-quark, ow_store_error)

/* How long a writer waits for another connection (the crash-recovery of a second process, a
 * backup tool) before giving up with OW_STORE_ERROR_IO. */
#define BUSY_TIMEOUT_MS 5000

/* ---- helpers ---------------------------------------------------------------------------- */

static OwStoreError
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return OW_STORE_ERROR_CORRUPT;
    default:
      return OW_STORE_ERROR_IO;
    }
}

/* Sets @error from the connection's last failure, with a hint a clerk can act on. */
void
ow_store_set_sqlite_error (OwStore     *self,
                           int          rc,
                           const char  *doing,
                           GError     **error)
{
  const char *detail = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_IO,
                   _("Could not %s: the disk is full. Free some space and try again (%s)"),
                   doing, detail);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_IO,
                   _("Could not %s: the local database is in use by another program. Close it "
                     "and try again (%s)"), doing, detail);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                   _("Could not %s: the local database %s is damaged. Call technical support "
                     "(%s)"), doing, self->path, detail);
      break;
    default:
      g_set_error (error, OW_STORE_ERROR, error_code_for (rc),
                   _("Could not %s in the local database (%s)"), doing, detail);
      break;
    }
}

/* Microseconds since the epoch, strictly increasing within this store so that "newest first"
 * is well defined even for records written in the same microsecond. Call with the lock held. */
gint64
ow_store_next_stamp (OwStore *self)
{
  gint64 now = g_get_real_time ();

  self->last_stamp = MAX (now, self->last_stamp + 1);
  return self->last_stamp;
}

gboolean
ow_store_exec_sql (OwStore     *self,
                   const char  *sql,
                   const char  *doing,
                   GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
ow_store_prepare (OwStore     *self,
                  const char  *sql,
                  const char  *doing,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Steps a statement that returns no rows, and finalizes it. */
gboolean
ow_store_run_stmt (OwStore       *self,
                   sqlite3_stmt  *stmt,
                   const char    *doing,
                   GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Write transactions take the write lock up front: in WAL mode a deferred transaction that
 * later needs to write can fail with SQLITE_BUSY without waiting for the busy timeout. */
gboolean
ow_store_begin (OwStore     *self,
                const char  *doing,
                GError     **error)
{
  return ow_store_exec_sql (self, "BEGIN IMMEDIATE", doing, error);
}

gboolean
ow_store_commit (OwStore     *self,
                 const char  *doing,
                 GError     **error)
{
  if (!ow_store_exec_sql (self, "COMMIT", doing, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

void
ow_store_rollback (OwStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

void
ow_store_bind_text (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

void
ow_store_bind_bytes (sqlite3_stmt *stmt,
                     int           index,
                     GBytes       *bytes)
{
  gsize size = 0;
  gconstpointer data;

  if (bytes == NULL)
    {
      sqlite3_bind_null (stmt, index);
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  /* A zero-length blob is still a value, not NULL. */
  sqlite3_bind_blob64 (stmt, index, size > 0 ? data : "", size, SQLITE_TRANSIENT);
}

char *
ow_store_column_dup_text (sqlite3_stmt *stmt,
                          int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

GBytes *
ow_store_column_dup_bytes (sqlite3_stmt *stmt,
                           int           column)
{
  const void *blob;
  int size;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  blob = sqlite3_column_blob (stmt, column);
  size = sqlite3_column_bytes (stmt, column);
  return g_bytes_new (blob, size);
}

gboolean
ow_store_insert_audit (OwStore     *self,
                       const char  *user,
                       const char  *event,
                       const char  *object,
                       const char  *result,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = ow_store_prepare (self,
                           "INSERT INTO audit (at, user, event, object, result) VALUES (?, ?, ?, ?, ?)",
                           _("write the audit log"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ow_store_next_stamp (self));
  ow_store_bind_text (stmt, 2, user);
  ow_store_bind_text (stmt, 3, event);
  ow_store_bind_text (stmt, 4, object);
  ow_store_bind_text (stmt, 5, result);
  return ow_store_run_stmt (self, stmt, _("write the audit log"), error);
}

guint
ow_store_count_rows (OwStore     *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  guint count = 0;
  int rc;

  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self, sql, _("count records"), error);
  if (stmt != NULL)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        count = (guint) sqlite3_column_int64 (stmt, 0);
      else
        ow_store_set_sqlite_error (self, rc, _("count records"), error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);
  return count;
}

/* ---- opening and migrations ------------------------------------------------------------- */

static int
read_user_version (OwStore *self,
                   GError **error)
{
  sqlite3_stmt *stmt;
  int version = -1;
  int rc;

  stmt = ow_store_prepare (self, "PRAGMA user_version", _("read the schema version"), error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    ow_store_set_sqlite_error (self, rc, _("read the schema version"), error);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (OwStore *self,
         GError **error)
{
  const int known = G_N_ELEMENTS (ow_store_migrations);

  for (;;)
    {
      g_autofree char *bump = NULL;
      g_autoptr(GError) local_error = NULL;
      int version;

      /* The version is read inside the write transaction, so that two processes opening the
       * same new file cannot both apply a migration. */
      if (!ow_store_begin (self, _("update the database schema"), &local_error))
        {
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_MIGRATE, "%s", local_error->message);
          return FALSE;
        }

      version = read_user_version (self, &local_error);
      if (version < 0)
        {
          ow_store_rollback (self);
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_MIGRATE, "%s", local_error->message);
          return FALSE;
        }

      if (version > known)
        {
          ow_store_rollback (self);
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_MIGRATE,
                       _("The local database %s was written by a newer version of OneWindow "
                         "(schema %d, this version knows up to %d). Update OneWindow on this "
                         "workstation."), self->path, version, known);
          return FALSE;
        }

      if (version == known)
        {
          ow_store_rollback (self);
          self->schema_version = version;
          return TRUE;
        }

      bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!ow_store_exec_sql (self, ow_store_migrations[version], _("update the database schema"),
                              &local_error)
          || !ow_store_exec_sql (self, bump, _("update the database schema"), &local_error)
          || !ow_store_commit (self, _("update the database schema"), &local_error))
        {
          ow_store_rollback (self);
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_MIGRATE,
                       _("Could not update the local database %s to schema %d: %s"),
                       self->path, version + 1, local_error->message);
          return FALSE;
        }
      g_debug ("%s: migrated to schema %d", self->path, version + 1);
    }
}

static gboolean
open_database (OwStore *self,
               GError **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GError) local_error = NULL;
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_OPEN,
                   _("Could not create the folder %s for the local database: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (g_mkdir_with_parents (self->files_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_OPEN,
                   _("Could not create the folder %s for scanned pages: %s"),
                   self->files_dir, g_strerror (saved_errno));
      return FALSE;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_OPEN,
                   _("Could not open the local database %s: %s"),
                   self->path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* synchronous=FULL: a transaction reported committed survives a power cut, which is what
   * "shown as done" promises the clerk. */
  if (!ow_store_exec_sql (self,
                          "PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = FULL;"
                          "PRAGMA foreign_keys = ON;",
                          _("open the local database"), &local_error))
    {
      g_set_error (error, OW_STORE_ERROR,
                   g_error_matches (local_error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT)
                   ? OW_STORE_ERROR_CORRUPT : OW_STORE_ERROR_OPEN,
                   "%s", local_error->message);
      return FALSE;
    }

  return migrate (self, error);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
ow_store_finalize (GObject *object)
{
  OwStore *self = OW_STORE (object);

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->files_dir);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ow_store_parent_class)->finalize (object);
}

static void
ow_store_class_init (OwStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ow_store_finalize;
}

static void
ow_store_init (OwStore *self)
{
  g_mutex_init (&self->lock);
}

/* ---- public API: opening ---------------------------------------------------------------- */

OwStore *
ow_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(OwStore) self = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (OW_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  dir = g_path_get_dirname (path);
  self->files_dir = g_build_filename (dir, "files", NULL);

  if (!open_database (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  OwStore *store;

  store = ow_store_open (path, &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
ow_store_open_async (const char          *path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, open_thread);
}

OwStore *
ow_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_store_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
ow_store_get_path (OwStore *self)
{
  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  return self->path;
}

int
ow_store_get_schema_version (OwStore *self)
{
  g_return_val_if_fail (OW_IS_STORE (self), 0);
  return self->schema_version;
}

const char *
ow_store_get_files_dir (OwStore *self)
{
  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  return self->files_dir;
}

/* ---- sequences -------------------------------------------------------------------------- */

/* Runs @stmt, an INSERT … RETURNING of one integer, to its end and finalizes it; 0 with @error
 * when it fails. */
static gint64
step_returning_integer (OwStore      *self,
                        sqlite3_stmt *stmt,
                        const char   *doing,
                        GError      **error)
{
  gint64 number = 0;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    number = sqlite3_column_int64 (stmt, 0);
  else
    ow_store_set_sqlite_error (self, rc, doing, error);
  /* RETURNING rows are only final once the statement has run to its end. */
  if (rc == SQLITE_ROW && (rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      number = 0;
      ow_store_set_sqlite_error (self, rc, doing, error);
    }
  sqlite3_finalize (stmt);
  return number;
}

guint
ow_store_next_sequence (OwStore      *self,
                        const char   *hall,
                        guint         counter,
                        const GDate  *date,
                        GError      **error)
{
  const char *doing = _("reserve a case number");
  char day[16];
  sqlite3_stmt *stmt;
  gint64 number = 0;

  g_return_val_if_fail (OW_IS_STORE (self), 0);
  g_return_val_if_fail (hall != NULL, 0);
  g_return_val_if_fail (date != NULL && g_date_valid (date), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  g_snprintf (day, sizeof day, "%04d-%02d-%02d",
              g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));

  g_mutex_lock (&self->lock);
  /* One statement is its own transaction: the number is durable before anyone sees it. */
  stmt = ow_store_prepare (self,
                           "INSERT INTO sequences (hall, counter, day, next) VALUES (?, ?, ?, 2) "
                           "ON CONFLICT (hall, counter, day) DO UPDATE SET next = next + 1 "
                           "RETURNING next - 1",
                           doing, error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, hall);
      sqlite3_bind_int64 (stmt, 2, counter);
      ow_store_bind_text (stmt, 3, day);
      number = step_returning_integer (self, stmt, doing, error);
    }
  g_mutex_unlock (&self->lock);

  if (number > 9999)
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_IO,
                   _("Counter %u has used all 9999 case numbers for %s. Continue at another "
                     "counter."), counter, day);
      return 0;
    }
  return (guint) number;
}

guint
ow_store_next_document_sequence (OwStore  *self,
                                 int       year,
                                 GError  **error)
{
  const char *doing = _("reserve a document number");
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  gint64 number = 0;

  g_return_val_if_fail (OW_IS_STORE (self), 0);
  g_return_val_if_fail (year >= 1949 && year <= 9999, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  key = g_strdup_printf ("document-sequence-%d", year);

  g_mutex_lock (&self->lock);
  /* Read and written in one statement, its own transaction: a read then a write apart could
   * hand the same number to two callers. The value stays the decimal text it always was. */
  stmt = ow_store_prepare (self,
                           "INSERT INTO meta (key, value) VALUES (?, '1') "
                           "ON CONFLICT (key) DO UPDATE "
                           "SET value = CAST (CAST (value AS INTEGER) + 1 AS TEXT) "
                           "RETURNING CAST (value AS INTEGER)",
                           doing, error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, key);
      number = step_returning_integer (self, stmt, doing, error);
    }
  g_mutex_unlock (&self->lock);

  return (guint) number;
}

/* ---- audit and meta --------------------------------------------------------------------- */

gboolean
ow_store_audit (OwStore     *self,
                const char  *user,
                const char  *event,
                const char  *object,
                const char  *result,
                GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_insert_audit (self, user, event, object, result, error);
  g_mutex_unlock (&self->lock);

  return ok;
}

guint
ow_store_audit_count (OwStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (OW_IS_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return ow_store_count_rows (self, "SELECT count(*) FROM audit", error);
}

char *
ow_store_get_meta_locked (OwStore     *self,
                          const char  *key,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  stmt = ow_store_prepare (self, "SELECT value FROM meta WHERE key = ?", _("read a setting"), error);
  if (stmt == NULL)
    return NULL;
  ow_store_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  /* An absent key is not an error: a cursor or ETag simply has not been stored yet. */
  if (rc == SQLITE_ROW)
    value = ow_store_column_dup_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    ow_store_set_sqlite_error (self, rc, _("read a setting"), error);
  sqlite3_finalize (stmt);
  return value;
}

gboolean
ow_store_set_meta_locked (OwStore     *self,
                          const char  *key,
                          const char  *value,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  if (value != NULL)
    stmt = ow_store_prepare (self,
                             "INSERT INTO meta (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             _("save a setting"), error);
  else
    stmt = ow_store_prepare (self, "DELETE FROM meta WHERE key = ?", _("save a setting"), error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, key);
  if (value != NULL)
    ow_store_bind_text (stmt, 2, value);
  return ow_store_run_stmt (self, stmt, _("save a setting"), error);
}

char *
ow_store_get_meta (OwStore     *self,
                   const char  *key,
                   GError     **error)
{
  char *value;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  value = ow_store_get_meta_locked (self, key, error);
  g_mutex_unlock (&self->lock);

  return value;
}

gboolean
ow_store_set_meta (OwStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_set_meta_locked (self, key, value, error);
  g_mutex_unlock (&self->lock);

  return ok;
}
