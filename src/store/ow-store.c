/* ow-store.c — the workstation's local SQLite store: cases, drafts, outbox, audit log
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

/* struct _OwStore is in ow-store-private.h, shared with ow-store-tickets.c. */
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
static void
set_sqlite_error (OwStore     *self,
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
static gint64
next_stamp (OwStore *self)
{
  gint64 now = g_get_real_time ();

  self->last_stamp = MAX (now, self->last_stamp + 1);
  return self->last_stamp;
}

static gboolean
exec_sql (OwStore     *self,
          const char  *sql,
          const char  *doing,
          GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

static sqlite3_stmt *
prepare (OwStore     *self,
         const char  *sql,
         const char  *doing,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Steps a statement that returns no rows, and finalizes it. */
static gboolean
run_stmt (OwStore       *self,
          sqlite3_stmt  *stmt,
          const char    *doing,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Write transactions take the write lock up front: in WAL mode a deferred transaction that
 * later needs to write can fail with SQLITE_BUSY without waiting for the busy timeout. */
static gboolean
begin (OwStore     *self,
       const char  *doing,
       GError     **error)
{
  return exec_sql (self, "BEGIN IMMEDIATE", doing, error);
}

static gboolean
commit (OwStore     *self,
        const char  *doing,
        GError     **error)
{
  if (!exec_sql (self, "COMMIT", doing, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (OwStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_bytes (sqlite3_stmt *stmt,
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

static char *
column_dup_text (sqlite3_stmt *stmt,
                 int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static GBytes *
column_dup_bytes (sqlite3_stmt *stmt,
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

static gboolean
insert_audit (OwStore     *self,
              const char  *user,
              const char  *event,
              const char  *object,
              const char  *result,
              GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT INTO audit (at, user, event, object, result) VALUES (?, ?, ?, ?, ?)",
                  _("write the audit log"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, next_stamp (self));
  bind_text (stmt, 2, user);
  bind_text (stmt, 3, event);
  bind_text (stmt, 4, object);
  bind_text (stmt, 5, result);
  return run_stmt (self, stmt, _("write the audit log"), error);
}

static guint
count_rows (OwStore     *self,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt;
  guint count = 0;
  int rc;

  g_mutex_lock (&self->lock);
  stmt = prepare (self, sql, _("count records"), error);
  if (stmt != NULL)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        count = (guint) sqlite3_column_int64 (stmt, 0);
      else
        set_sqlite_error (self, rc, _("count records"), error);
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

  stmt = prepare (self, "PRAGMA user_version", _("read the schema version"), error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    set_sqlite_error (self, rc, _("read the schema version"), error);
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
      if (!begin (self, _("update the database schema"), &local_error))
        {
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_MIGRATE, "%s", local_error->message);
          return FALSE;
        }

      version = read_user_version (self, &local_error);
      if (version < 0)
        {
          rollback (self);
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_MIGRATE, "%s", local_error->message);
          return FALSE;
        }

      if (version > known)
        {
          rollback (self);
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_MIGRATE,
                       _("The local database %s was written by a newer version of OneWindow "
                         "(schema %d, this version knows up to %d). Update OneWindow on this "
                         "workstation."), self->path, version, known);
          return FALSE;
        }

      if (version == known)
        {
          rollback (self);
          self->schema_version = version;
          return TRUE;
        }

      bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!exec_sql (self, ow_store_migrations[version], _("update the database schema"),
                     &local_error)
          || !exec_sql (self, bump, _("update the database schema"), &local_error)
          || !commit (self, _("update the database schema"), &local_error))
        {
          rollback (self);
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
  if (!exec_sql (self,
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

void
ow_outbox_entry_free (OwOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kind);
  g_free (entry->key);
  g_free (entry->method);
  g_free (entry->path);
  g_free (entry->content_type);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry->last_error);
  g_free (entry->body_file);
  g_free (entry);
}

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
    set_sqlite_error (self, rc, doing, error);
  /* RETURNING rows are only final once the statement has run to its end. */
  if (rc == SQLITE_ROW && (rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      number = 0;
      set_sqlite_error (self, rc, doing, error);
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
  stmt = prepare (self,
                  "INSERT INTO sequences (hall, counter, day, next) VALUES (?, ?, ?, 2) "
                  "ON CONFLICT (hall, counter, day) DO UPDATE SET next = next + 1 "
                  "RETURNING next - 1",
                  doing, error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, hall);
      sqlite3_bind_int64 (stmt, 2, counter);
      bind_text (stmt, 3, day);
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
  stmt = prepare (self,
                  "INSERT INTO meta (key, value) VALUES (?, '1') "
                  "ON CONFLICT (key) DO UPDATE "
                  "SET value = CAST (CAST (value AS INTEGER) + 1 AS TEXT) "
                  "RETURNING CAST (value AS INTEGER)",
                  doing, error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, key);
      number = step_returning_integer (self, stmt, doing, error);
    }
  g_mutex_unlock (&self->lock);

  return (guint) number;
}

/* ---- cases ------------------------------------------------------------------------------ */

/* What a worker thread needs to write a case: taken from the OwCase on the caller's thread, so
 * that the GUI may go on editing the object while the write runs. */
typedef struct
{
  char          *case_no;
  char          *state;
  char          *applicant_id;
  char          *applicant_name;
  GVariant      *data;
  GPtrArray     *entries; /* of OwOutboxEntry, not owned; NULL for none */
  char          *draft_key; /* the draft the case was typed into, deleted with it; or NULL */
  char          *user;
} CaseRecord;

static void
case_record_free (CaseRecord *record)
{
  g_free (record->case_no);
  g_free (record->state);
  g_free (record->applicant_id);
  g_free (record->applicant_name);
  g_clear_pointer (&record->data, g_variant_unref);
  g_clear_pointer (&record->entries, g_ptr_array_unref);
  g_free (record->draft_key);
  g_free (record->user);
  g_free (record);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CaseRecord, case_record_free)

static CaseRecord *
case_record_new (OwCase        *kase,
                 GPtrArray     *entries,
                 const char    *user)
{
  CaseRecord *record = g_new0 (CaseRecord, 1);
  const OwApplicant *applicant = ow_case_get_applicant (kase);

  record->case_no = g_strdup (ow_case_get_case_no (kase));
  record->state = g_strdup (ow_case_state_to_string (ow_case_get_state (kase)));
  if (applicant != NULL)
    {
      record->applicant_id = g_strdup (applicant->id_number);
      record->applicant_name = g_strdup (applicant->name);
    }
  /* take_ref: right whether the serializer returns a floating or a full reference. */
  record->data = g_variant_take_ref (ow_case_serialize (kase));
  /* The array is referenced, its entries are not owned: the caller keeps them alive. */
  record->entries = entries != NULL ? g_ptr_array_ref (entries) : NULL;
  record->user = g_strdup (user);
  return record;
}

/* Whether the platform already has file @sha256 or a live entry is on its way with it. Call
 * inside the transaction, so that the answer holds until the commit. */
static gboolean
file_already_sent (OwStore     *self,
                   const char  *sha256,
                   gboolean    *sent,
                   const char  *doing,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT EXISTS (SELECT 1 FROM uploaded_files WHERE sha256 = ?1)"
                  "    OR EXISTS (SELECT 1 FROM outbox WHERE body_file = ?1 AND dead = 0)",
                  doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *sent = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Appends @entry; its id stays 0 when it is a file already sent. Call inside the transaction. */
static gboolean
insert_outbox_entry (OwStore        *self,
                     OwOutboxEntry  *entry,
                     gint64          stamp,
                     gint64         *entry_id,
                     const char     *doing,
                     GError        **error)
{
  sqlite3_stmt *stmt;

  *entry_id = 0;
  if (entry->body_file != NULL)
    {
      gboolean sent = FALSE;

      if (!file_already_sent (self, entry->body_file, &sent, doing, error))
        return FALSE;
      if (sent)
        return TRUE;
    }

  stmt = prepare (self,
                  "INSERT INTO outbox (kind, key, method, path, content_type, body, attempts,"
                  "                    last_error, next_attempt, dead, created_at, body_file)"
                  "  VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?, 0, ?, ?)",
                  doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry->kind);
  bind_text (stmt, 2, entry->key);
  bind_text (stmt, 3, entry->method);
  bind_text (stmt, 4, entry->path);
  bind_text (stmt, 5, entry->content_type);
  /* A file's bytes stay in the files folder. */
  bind_bytes (stmt, 6, entry->body_file != NULL ? NULL : entry->body);
  sqlite3_bind_int64 (stmt, 7, entry->next_attempt);
  sqlite3_bind_int64 (stmt, 8, stamp);
  bind_text (stmt, 9, entry->body_file);
  if (!run_stmt (self, stmt, doing, error))
    return FALSE;
  *entry_id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

/* Writes the case row (and nothing else). Call inside the transaction. */
static gboolean
upsert_case (OwStore     *self,
             CaseRecord  *record,
             gint64       stamp,
             const char  *doing,
             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT INTO cases (case_no, state, applicant_id, applicant_name, updated_at,"
                  "                   data_type, data)"
                  "  VALUES (?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (case_no) DO UPDATE SET state = excluded.state,"
                  "  applicant_id = excluded.applicant_id,"
                  "  applicant_name = excluded.applicant_name,"
                  "  updated_at = excluded.updated_at,"
                  "  data_type = excluded.data_type, data = excluded.data",
                  doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, record->case_no);
  bind_text (stmt, 2, record->state);
  bind_text (stmt, 3, record->applicant_id);
  bind_text (stmt, 4, record->applicant_name);
  sqlite3_bind_int64 (stmt, 5, stamp);
  bind_text (stmt, 6, g_variant_get_type_string (record->data));
  sqlite3_bind_blob64 (stmt, 7, g_variant_get_data (record->data),
                       g_variant_get_size (record->data), SQLITE_TRANSIENT);
  return run_stmt (self, stmt, doing, error);
}

/* Deletes draft @key, if there is one. Call with the lock held. */
static gboolean
delete_draft_locked (OwStore     *self,
                     const char  *key,
                     const char  *doing,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "DELETE FROM drafts WHERE key = ?", doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  return run_stmt (self, stmt, doing, error);
}

static gboolean
save_case_record (OwStore     *self,
                  CaseRecord  *record,
                  GError     **error)
{
  const char *doing = _("save the case");
  guint n_entries = record->entries != NULL ? record->entries->len : 0;
  g_autofree gint64 *entry_ids = g_new0 (gint64, MAX (n_entries, 1));
  gint64 stamp;

  g_mutex_lock (&self->lock);

  if (!begin (self, doing, error))
    goto fail;

  stamp = next_stamp (self);

  /* First, so that whatever fails after it puts the draft back with the rollback: the form
   * and the case it became never both survive, nor neither. */
  if (record->draft_key != NULL && !delete_draft_locked (self, record->draft_key, doing, error))
    goto fail;

  if (!upsert_case (self, record, stamp, doing, error))
    goto fail;

  for (guint i = 0; i < n_entries; i++)
    if (!insert_outbox_entry (self, g_ptr_array_index (record->entries, i), stamp,
                              &entry_ids[i], doing, error))
      goto fail;

  if (!insert_audit (self, record->user, "case-saved", record->case_no, record->state, error))
    goto fail;

  if (!commit (self, doing, error))
    goto fail;

  g_mutex_unlock (&self->lock);

  /* Only committed entries get their ids: a failed save leaves the caller's entries untouched. */
  for (guint i = 0; i < n_entries; i++)
    {
      OwOutboxEntry *entry = g_ptr_array_index (record->entries, i);

      entry->id = entry_ids[i];
      entry->created_at = stamp;
      entry->attempts = 0;
      entry->dead = FALSE;
    }
  return TRUE;

fail:
  rollback (self);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

gboolean
ow_store_save_case (OwStore        *self,
                    OwCase         *kase,
                    OwOutboxEntry  *entry,
                    const char     *user,
                    GError        **error)
{
  g_autoptr(CaseRecord) record = NULL;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (OW_IS_CASE (kase), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (entry != NULL)
    {
      g_autoptr(GPtrArray) entries = g_ptr_array_new ();

      g_ptr_array_add (entries, entry);
      record = case_record_new (kase, entries, user);
    }
  else
    record = case_record_new (kase, NULL, user);
  return save_case_record (self, record, error);
}

gboolean
ow_store_save_case_full (OwStore    *self,
                         OwCase     *kase,
                         GPtrArray  *entries,
                         const char *user,
                         GError    **error)
{
  return ow_store_save_case_from_draft (self, kase, entries, NULL, user, error);
}

gboolean
ow_store_save_case_from_draft (OwStore    *self,
                               OwCase     *kase,
                               GPtrArray  *entries,
                               const char *draft_key,
                               const char *user,
                               GError    **error)
{
  g_autoptr(CaseRecord) record = NULL;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (OW_IS_CASE (kase), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  record = case_record_new (kase, entries, user);
  record->draft_key = g_strdup (draft_key);
  return save_case_record (self, record, error);
}

gboolean
ow_store_save_remote_case (OwStore   *self,
                           OwCase    *kase,
                           gboolean  *applied,
                           GError   **error)
{
  const char *doing = _("save a case from the platform");
  g_autoptr(CaseRecord) record = NULL;
  sqlite3_stmt *stmt;
  gboolean waiting = FALSE;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (OW_IS_CASE (kase), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (applied != NULL)
    *applied = FALSE;
  record = case_record_new (kase, NULL, NULL);

  g_mutex_lock (&self->lock);
  if (!begin (self, doing, error))
    goto fail;
  stmt = prepare (self, "SELECT EXISTS (SELECT 1 FROM outbox WHERE key = ? AND dead = 0)",
                  doing, error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, record->case_no);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      goto fail;
    }
  waiting = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);

  if (!waiting
      && (!upsert_case (self, record, next_stamp (self), doing, error)
          || !insert_audit (self, NULL, "case-received", record->case_no, record->state,
                            error)))
    goto fail;
  if (!commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);

  if (applied != NULL)
    *applied = !waiting;
  return TRUE;

fail:
  rollback (self);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

static void
save_case_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;

  if (save_case_record (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ow_store_save_case_async (OwStore             *self,
                          OwCase              *kase,
                          OwOutboxEntry       *entry,
                          const char          *user,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_STORE (self));
  g_return_if_fail (OW_IS_CASE (kase));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_store_save_case_async);
  /* @entry must stay alive until the callback: its id is filled in from the worker. */
  if (entry != NULL)
    {
      g_autoptr(GPtrArray) entries = g_ptr_array_new ();

      g_ptr_array_add (entries, entry);
      g_task_set_task_data (task, case_record_new (kase, entries, user),
                            (GDestroyNotify) case_record_free);
    }
  else
    g_task_set_task_data (task, case_record_new (kase, NULL, user),
                          (GDestroyNotify) case_record_free);
  /* Once started, the write runs to its end: cancelling must not leave the caller unsure
   * whether the case was saved. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, save_case_thread);
}

gboolean
ow_store_save_case_finish (OwStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_store_save_case_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static OwCase *
case_from_row (OwStore     *self,
               sqlite3_stmt *stmt,
               int          type_column,
               int          data_column,
               GError     **error)
{
  const char *type_string = (const char *) sqlite3_column_text (stmt, type_column);
  g_autoptr(GBytes) bytes = column_dup_bytes (stmt, data_column);
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) local_error = NULL;
  OwCase *kase;

  if (type_string == NULL || bytes == NULL || !g_variant_type_string_is_valid (type_string))
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                   _("A case in the local database %s cannot be read: its record is "
                     "incomplete"), self->path);
      return NULL;
    }

  /* Untrusted: a damaged blob must become an error, not a crash. */
  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (type_string),
                                                          bytes, FALSE));
  kase = ow_case_deserialize (variant, &local_error);
  if (kase == NULL)
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                   _("A case in the local database %s cannot be read (stored as %s): %s"),
                   self->path, type_string, local_error->message);
      return NULL;
    }
  return kase;
}

OwCase *
ow_store_load_case (OwStore     *self,
                    const char  *case_no,
                    GError     **error)
{
  const char *doing = _("load the case");
  sqlite3_stmt *stmt;
  OwCase *kase = NULL;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (case_no != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = prepare (self, "SELECT data_type, data FROM cases WHERE case_no = ?", doing, error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, case_no);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        kase = case_from_row (self, stmt, 0, 1, error);
      else if (rc == SQLITE_DONE)
        g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                     _("Case %s is not stored on this workstation"), case_no);
      else
        set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);

  return kase;
}

/* Runs a query whose columns 0 and 1 are data_type and data; returns the cases, or NULL. */
static GPtrArray *
query_cases (OwStore      *self,
             sqlite3_stmt *stmt,
             GError      **error)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwCase *kase = case_from_row (self, stmt, 0, 1, error);

      if (kase == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (cases, kase);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, _("list cases"), error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&cases);
}

GPtrArray *
ow_store_list_cases (OwStore      *self,
                     OwCaseState   state,
                     guint         limit,
                     GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *cases = NULL;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = prepare (self,
                  "SELECT data_type, data FROM cases WHERE ?1 IS NULL OR state = ?1 "
                  "ORDER BY updated_at DESC LIMIT ?2",
                  _("list cases"), error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, state != 0 ? ow_case_state_to_string (state) : NULL);
      /* A negative limit is SQLite's "no limit". */
      sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
      cases = query_cases (self, stmt, error);
    }
  g_mutex_unlock (&self->lock);

  return cases;
}

GPtrArray *
ow_store_find_cases_by_applicant (OwStore     *self,
                                  const char  *id_number,
                                  GError     **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *cases = NULL;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (id_number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = prepare (self,
                  "SELECT data_type, data FROM cases WHERE applicant_id = ? "
                  "ORDER BY updated_at DESC",
                  _("find cases"), error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, id_number);
      cases = query_cases (self, stmt, error);
    }
  g_mutex_unlock (&self->lock);

  return cases;
}

/* ---- outbox ----------------------------------------------------------------------------- */

#define OUTBOX_COLUMNS \
  "id, kind, key, method, path, content_type, body, attempts, last_error, next_attempt, dead, " \
  "created_at, body_file"

static char *outbox_key (OwStore     *self,
                         gint64       id,
                         const char  *doing,
                         GError     **error);

/* A live entry with no dead entry of its key before it. */
#define SENDABLE \
  "dead = 0 AND NOT EXISTS (SELECT 1 FROM outbox AS d WHERE d.dead = 1 AND d.key = outbox.key" \
  "                         AND d.id < outbox.id)"

static OwOutboxEntry *
outbox_entry_from_row (sqlite3_stmt *stmt)
{
  OwOutboxEntry *entry = g_new0 (OwOutboxEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->kind = column_dup_text (stmt, 1);
  entry->key = column_dup_text (stmt, 2);
  entry->method = column_dup_text (stmt, 3);
  entry->path = column_dup_text (stmt, 4);
  entry->content_type = column_dup_text (stmt, 5);
  entry->body = column_dup_bytes (stmt, 6);
  entry->attempts = (guint) sqlite3_column_int64 (stmt, 7);
  entry->last_error = column_dup_text (stmt, 8);
  entry->next_attempt = sqlite3_column_int64 (stmt, 9);
  entry->dead = sqlite3_column_int (stmt, 10) != 0;
  entry->created_at = sqlite3_column_int64 (stmt, 11);
  entry->body_file = column_dup_text (stmt, 12);
  return entry;
}

GPtrArray *
ow_store_list_outbox (OwStore  *self,
                      GError  **error)
{
  const char *doing = _("read the outbox");
  g_autoptr(GPtrArray) entries = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_outbox_entry_free);

  g_mutex_lock (&self->lock);
  stmt = prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox ORDER BY id", doing, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, outbox_entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, doing, error);
      g_clear_pointer (&entries, g_ptr_array_unref);
    }
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);

  return g_steal_pointer (&entries);
}

OwOutboxEntry *
ow_store_outbox_next (OwStore  *self,
                      gint64    now,
                      GError  **error)
{
  const char *doing = _("read the outbox");
  OwOutboxEntry *entry = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  /* Strictly in order: while the oldest live entry waits for its back-off, nothing newer
   * overtakes it (a later change to the same case must not reach the platform first). Entries
   * behind a dead one of the same key wait for a person too: a case whose page was refused
   * would only be refused in turn. */
  stmt = prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE " SENDABLE
                  " ORDER BY id LIMIT 1", doing, error);
  if (stmt != NULL)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          if (sqlite3_column_int64 (stmt, 9) <= now)
            entry = outbox_entry_from_row (stmt);
        }
      else if (rc != SQLITE_DONE)
        set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);

  return entry;
}

guint
ow_store_outbox_count (OwStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (OW_IS_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return count_rows (self, "SELECT count(*) FROM outbox", error);
}

gboolean
ow_store_outbox_summary (OwStore          *self,
                         OwOutboxSummary  *summary,
                         GError          **error)
{
  const char *doing = _("read the outbox");
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *summary = (OwOutboxSummary) { 0 };
  g_mutex_lock (&self->lock);
  stmt = prepare (self,
                  "SELECT (SELECT count(*) FROM outbox),"
                  "       (SELECT count(*) FROM outbox WHERE dead = 1),"
                  "       (SELECT count(*) FROM outbox WHERE dead = 0 AND NOT (" SENDABLE ")),"
                  "       (SELECT max (next_attempt, 1) FROM outbox WHERE " SENDABLE
                  "          ORDER BY id LIMIT 1)",
                  doing, error);
  if (stmt != NULL)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          summary->pending = (guint) sqlite3_column_int64 (stmt, 0);
          summary->dead = (guint) sqlite3_column_int64 (stmt, 1);
          summary->blocked = (guint) sqlite3_column_int64 (stmt, 2);
          summary->next_due = sqlite3_column_int64 (stmt, 3);
          ok = TRUE;
        }
      else
        set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
ow_store_outbox_revive (OwStore  *self,
                        gint64    id,
                        GError  **error)
{
  const char *doing = _("update the outbox");
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (!begin (self, doing, error))
    goto fail;
  key = outbox_key (self, id, doing, error);
  if (key == NULL)
    goto fail;
  stmt = prepare (self, "UPDATE outbox SET dead = 0, next_attempt = 0 WHERE id = ?", doing,
                  error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  /* Who revived a refused change, and when, is worth knowing afterwards. */
  if (!run_stmt (self, stmt, doing, error)
      || !insert_audit (self, NULL, "outbox-revived", key, NULL, error)
      || !commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);
  return TRUE;

fail:
  rollback (self);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

/* Reads the key of outbox entry @id, for the audit record; NOT_FOUND when there is none. Call
 * with the lock held. */
static char *
outbox_key (OwStore     *self,
            gint64       id,
            const char  *doing,
            GError     **error)
{
  sqlite3_stmt *stmt;
  char *key = NULL;
  int rc;

  stmt = prepare (self, "SELECT key FROM outbox WHERE id = ?", doing, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    key = column_dup_text (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                 _("Change %lld is no longer in the outbox"), (long long) id);
  else
    set_sqlite_error (self, rc, doing, error);
  sqlite3_finalize (stmt);
  return key;
}

gboolean
ow_store_outbox_ack (OwStore  *self,
                     gint64    id,
                     GError  **error)
{
  const char *doing = _("update the outbox");
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  /* The one write that need not wait for the disk: an acknowledgement lost to a power cut only
   * means the entry is sent again, and the platform answers 200 to the same body. Skipping its
   * fsync nearly halves the cost of draining (bench/). WAL keeps the file consistent; the next
   * FULL commit makes this one durable too. */
  exec_sql (self, "PRAGMA synchronous = NORMAL", doing, NULL);
  if (!begin (self, doing, error))
    goto fail;
  key = outbox_key (self, id, doing, error);
  if (key == NULL)
    goto fail;
  /* The platform holds the file from now on: later cases with the same page skip it. */
  stmt = prepare (self,
                  "INSERT OR IGNORE INTO uploaded_files (sha256, uploaded_at)"
                  "  SELECT body_file, ? FROM outbox WHERE id = ? AND body_file IS NOT NULL",
                  doing, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 2, id);
  if (!run_stmt (self, stmt, doing, error))
    goto fail;
  stmt = prepare (self, "DELETE FROM outbox WHERE id = ?", doing, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!run_stmt (self, stmt, doing, error)
      || !insert_audit (self, NULL, "outbox-sent", key, "ok", error)
      || !commit (self, doing, error))
    goto fail;
  exec_sql (self, "PRAGMA synchronous = FULL", doing, NULL);
  g_mutex_unlock (&self->lock);
  return TRUE;

fail:
  rollback (self);
  exec_sql (self, "PRAGMA synchronous = FULL", doing, NULL);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

gboolean
ow_store_outbox_fail (OwStore     *self,
                      gint64       id,
                      const char  *message,
                      gint64       next_attempt,
                      gboolean     dead,
                      GError     **error)
{
  const char *doing = _("update the outbox");
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (!begin (self, doing, error))
    goto fail;
  key = outbox_key (self, id, doing, error);
  if (key == NULL)
    goto fail;
  stmt = prepare (self,
                  "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?,"
                  "  dead = ? WHERE id = ?",
                  doing, error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, message);
  sqlite3_bind_int64 (stmt, 2, next_attempt);
  sqlite3_bind_int (stmt, 3, dead ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, id);
  if (!run_stmt (self, stmt, doing, error))
    goto fail;
  /* A refusal needs a person, so it belongs in the log; a retry is routine. */
  if (dead && !insert_audit (self, NULL, "outbox-refused", key, message, error))
    goto fail;
  if (!commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);
  return TRUE;

fail:
  rollback (self);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

/* ---- files ------------------------------------------------------------------------------ */

static gboolean
is_sha256_name (const char *name)
{
  if (name == NULL || strlen (name) != 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static char *
file_path (OwStore     *self,
           const char  *sha256,
           GError     **error)
{
  /* The name comes from a case, which may come from the platform: never let it leave the
   * folder. */
  if (!is_sha256_name (sha256))
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                   _("“%s” is not the name of a scanned page"), sha256 != NULL ? sha256 : "");
      return NULL;
    }
  return g_build_filename (self->files_dir, sha256, NULL);
}

char *
ow_store_add_file (OwStore  *self,
                   GBytes   *bytes,
                   GError  **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  gconstpointer data;
  gsize size = 0;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  path = g_build_filename (self->files_dir, sha256, NULL);
  /* Named by content: a file already there holds these very bytes. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&sha256);
  /* CONSISTENT | DURABLE: a temporary file, fsync, rename; so the page is on disk before a
   * case that names it can be committed. */
  if (!g_file_set_contents_full (path, size > 0 ? data : "", size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_IO,
                   _("Could not save the scanned page: %s. Check that the disk is not full."),
                   local_error->message);
      return NULL;
    }
  return g_steal_pointer (&sha256);
}

static char *
read_file (OwStore     *self,
           const char  *sha256,
           gsize       *size,
           GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  path = file_path (self, sha256, error);
  if (path == NULL)
    return NULL;
  if (!g_file_get_contents (path, &contents, size, &local_error))
    {
      g_set_error (error, OW_STORE_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? OW_STORE_ERROR_NOT_FOUND : OW_STORE_ERROR_IO,
                   _("The scanned page %.12s… cannot be read on this workstation (%s). Scan the "
                     "material again."), sha256, local_error->message);
      return NULL;
    }
  return contents;
}

GBytes *
ow_store_read_file_unverified (OwStore     *self,
                               const char  *sha256,
                               GError     **error)
{
  gsize size = 0;
  char *contents;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  contents = read_file (self, sha256, &size, error);
  return contents != NULL ? g_bytes_new_take (contents, size) : NULL;
}

GBytes *
ow_store_read_file (OwStore     *self,
                    const char  *sha256,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *actual = NULL;
  gsize size = 0;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  contents = read_file (self, sha256, &size, error);
  if (contents == NULL)
    return NULL;
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);
  if (g_strcmp0 (actual, sha256) != 0)
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                   _("The scanned page %.12s… is damaged on this workstation. Scan the material "
                     "again."), sha256);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&contents), size);
}

char *
ow_store_get_file_type (OwStore     *self,
                        const char  *sha256,
                        GError     **error)
{
  static const guchar png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guchar jpeg[] = { 0xff, 0xd8, 0xff };
  static const guchar pdf[] = { '%', 'P', 'D', 'F', '-' };
  g_autofree char *path = NULL;
  guchar head[8] = { 0 };
  size_t n;
  FILE *file;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = file_path (self, sha256, error);
  if (path == NULL)
    return NULL;
  file = g_fopen (path, "rb");
  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, OW_STORE_ERROR,
                   saved_errno == ENOENT ? OW_STORE_ERROR_NOT_FOUND : OW_STORE_ERROR_IO,
                   _("The scanned page %.12s… is missing on this workstation (%s). Scan the "
                     "material again."), sha256, g_strerror (saved_errno));
      return NULL;
    }
  n = fread (head, 1, sizeof head, file);
  fclose (file);

  if (n >= sizeof png && memcmp (head, png, sizeof png) == 0)
    return g_strdup ("image/png");
  if (n >= sizeof jpeg && memcmp (head, jpeg, sizeof jpeg) == 0)
    return g_strdup ("image/jpeg");
  if (n >= sizeof pdf && memcmp (head, pdf, sizeof pdf) == 0)
    return g_strdup ("application/pdf");
  g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
               _("The scanned page %.12s… is neither PNG, JPEG nor PDF. Scan the material "
                 "again."), sha256);
  return NULL;
}

/* ---- drafts ----------------------------------------------------------------------------- */

gboolean
ow_store_save_draft (OwStore     *self,
                     const char  *key,
                     const char  *title,
                     GBytes      *data,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  stmt = prepare (self,
                  "INSERT INTO drafts (key, title, data, updated_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (key) DO UPDATE SET title = excluded.title,"
                  "  data = excluded.data, updated_at = excluded.updated_at",
                  _("save the draft"), error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, key);
      bind_text (stmt, 2, title);
      bind_bytes (stmt, 3, data);
      sqlite3_bind_int64 (stmt, 4, next_stamp (self));
      ok = run_stmt (self, stmt, _("save the draft"), error);
    }
  g_mutex_unlock (&self->lock);

  return ok;
}

GBytes *
ow_store_load_draft (OwStore     *self,
                     const char  *key,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  GBytes *data = NULL;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = prepare (self, "SELECT data FROM drafts WHERE key = ?", _("load the draft"), error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, key);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        data = column_dup_bytes (stmt, 0);
      else if (rc == SQLITE_DONE)
        g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                     _("There is no saved draft “%s”"), key);
      else
        set_sqlite_error (self, rc, _("load the draft"), error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);

  return data;
}

gboolean
ow_store_delete_draft (OwStore     *self,
                       const char  *key,
                       GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = delete_draft_locked (self, key, _("delete the draft"), error);
  g_mutex_unlock (&self->lock);

  return ok;
}

char **
ow_store_list_drafts (OwStore  *self,
                      GError  **error)
{
  g_autoptr(GStrvBuilder) keys = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  keys = g_strv_builder_new ();

  g_mutex_lock (&self->lock);
  stmt = prepare (self, "SELECT key FROM drafts ORDER BY updated_at DESC",
                  _("list drafts"), error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_strv_builder_add (keys, (const char *) sqlite3_column_text (stmt, 0));
      if (rc == SQLITE_DONE)
        ok = TRUE;
      else
        set_sqlite_error (self, rc, _("list drafts"), error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);

  return ok ? g_strv_builder_end (keys) : NULL;
}

void
ow_draft_info_free (OwDraftInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->key);
  g_free (info->title);
  g_free (info);
}

GPtrArray *
ow_store_list_draft_infos (OwStore     *self,
                           const char  *prefix,
                           GError     **error)
{
  g_autoptr(GPtrArray) infos = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_draft_info_free);

  g_mutex_lock (&self->lock);
  /* substr() rather than LIKE: a key may hold "%" or "_". */
  stmt = prepare (self,
                  "SELECT key, title, updated_at FROM drafts"
                  " WHERE ?1 IS NULL OR substr(key, 1, length(?1)) = ?1"
                  " ORDER BY updated_at DESC",
                  _("list drafts"), error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, prefix);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          OwDraftInfo *info = g_new0 (OwDraftInfo, 1);

          info->key = column_dup_text (stmt, 0);
          info->title = column_dup_text (stmt, 1);
          info->updated_at = sqlite3_column_int64 (stmt, 2);
          g_ptr_array_add (infos, info);
        }
      if (rc == SQLITE_DONE)
        ok = TRUE;
      else
        set_sqlite_error (self, rc, _("list drafts"), error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);

  return ok ? g_steal_pointer (&infos) : NULL;
}

/* Call with the lock held, inside a transaction. */
static gboolean
move_draft_locked (OwStore     *self,
                   const char  *from_key,
                   const char  *to_key,
                   const char  *title,
                   GBytes      *data,
                   GError     **error)
{
  const char *doing = _("move the draft");
  sqlite3_stmt *stmt;
  gint64 stamp = next_stamp (self);

  if (data == NULL)
    {
      /* Renaming: the row keeps its title and data. A key equal to @from_key is a no-op. */
      if (g_strcmp0 (from_key, to_key) != 0)
        {
          stmt = prepare (self, "DELETE FROM drafts WHERE key = ?", doing, error);
          if (stmt == NULL)
            return FALSE;
          bind_text (stmt, 1, to_key);
          if (!run_stmt (self, stmt, doing, error))
            return FALSE;
        }
      stmt = prepare (self, "UPDATE drafts SET key = ?, updated_at = ? WHERE key = ?", doing,
                      error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, to_key);
      sqlite3_bind_int64 (stmt, 2, stamp);
      bind_text (stmt, 3, from_key);
      if (!run_stmt (self, stmt, doing, error))
        return FALSE;
      if (sqlite3_changes (self->db) == 0)
        {
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                       _("There is no saved draft “%s”"), from_key);
          return FALSE;
        }
      return TRUE;
    }

  stmt = prepare (self, "DELETE FROM drafts WHERE key = ?", doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, from_key);
  if (!run_stmt (self, stmt, doing, error))
    return FALSE;
  stmt = prepare (self,
                  "INSERT INTO drafts (key, title, data, updated_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (key) DO UPDATE SET title = excluded.title,"
                  "  data = excluded.data, updated_at = excluded.updated_at",
                  doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, to_key);
  bind_text (stmt, 2, title);
  bind_bytes (stmt, 3, data);
  sqlite3_bind_int64 (stmt, 4, stamp);
  return run_stmt (self, stmt, doing, error);
}

gboolean
ow_store_move_draft (OwStore     *self,
                     const char  *from_key,
                     const char  *to_key,
                     const char  *title,
                     GBytes      *data,
                     GError     **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (from_key != NULL, FALSE);
  g_return_val_if_fail (to_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (begin (self, _("move the draft"), error))
    {
      if (move_draft_locked (self, from_key, to_key, title, data, error))
        ok = commit (self, _("move the draft"), error);
      else
        rollback (self);
    }
  g_mutex_unlock (&self->lock);

  return ok;
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
  ok = insert_audit (self, user, event, object, result, error);
  g_mutex_unlock (&self->lock);

  return ok;
}

guint
ow_store_audit_count (OwStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (OW_IS_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return count_rows (self, "SELECT count(*) FROM audit", error);
}

char *
ow_store_get_meta (OwStore     *self,
                   const char  *key,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = prepare (self, "SELECT value FROM meta WHERE key = ?", _("read a setting"), error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, key);
      rc = sqlite3_step (stmt);
      /* An absent key is not an error: a cursor or ETag simply has not been stored yet. */
      if (rc == SQLITE_ROW)
        value = column_dup_text (stmt, 0);
      else if (rc != SQLITE_DONE)
        set_sqlite_error (self, rc, _("read a setting"), error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);

  return value;
}

gboolean
ow_store_set_meta (OwStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (value != NULL)
    stmt = prepare (self,
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    _("save a setting"), error);
  else
    stmt = prepare (self, "DELETE FROM meta WHERE key = ?", _("save a setting"), error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, key);
      if (value != NULL)
        bind_text (stmt, 2, value);
      ok = run_stmt (self, stmt, _("save a setting"), error);
    }
  g_mutex_unlock (&self->lock);

  return ok;
}

/* ---- for the store's other files (ow-store-private.h) ---------------------------------- */

void
ow_store_set_sqlite_error (OwStore     *self,
                           int          rc,
                           const char  *doing,
                           GError     **error)
{
  set_sqlite_error (self, rc, doing, error);
}

gint64
ow_store_next_stamp (OwStore *self)
{
  return next_stamp (self);
}

sqlite3_stmt *
ow_store_prepare (OwStore     *self,
                  const char  *sql,
                  const char  *doing,
                  GError     **error)
{
  return prepare (self, sql, doing, error);
}

gboolean
ow_store_run_stmt (OwStore       *self,
                   sqlite3_stmt  *stmt,
                   const char    *doing,
                   GError       **error)
{
  return run_stmt (self, stmt, doing, error);
}

gboolean
ow_store_begin (OwStore     *self,
                const char  *doing,
                GError     **error)
{
  return begin (self, doing, error);
}

gboolean
ow_store_commit (OwStore     *self,
                 const char  *doing,
                 GError     **error)
{
  return commit (self, doing, error);
}

void
ow_store_rollback (OwStore *self)
{
  rollback (self);
}

void
ow_store_bind_text (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text)
{
  bind_text (stmt, index, text);
}

GBytes *
ow_store_column_dup_bytes (sqlite3_stmt *stmt,
                           int           column)
{
  return column_dup_bytes (stmt, column);
}

gboolean
ow_store_insert_audit (OwStore     *self,
                       const char  *user,
                       const char  *event,
                       const char  *object,
                       const char  *result,
                       GError     **error)
{
  return insert_audit (self, user, event, object, result, error);
}

gboolean
ow_store_insert_outbox_entry (OwStore        *self,
                              OwOutboxEntry  *entry,
                              gint64          stamp,
                              gint64         *entry_id,
                              const char     *doing,
                              GError        **error)
{
  return insert_outbox_entry (self, entry, stamp, entry_id, doing, error);
}
