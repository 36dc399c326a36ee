/* ow-platform-db.c — the reference platform's storage on SQLite
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "platform/ow-platform-db.h"

struct _OwPlatformDb
{
  sqlite3    *handle;
  char       *path;
  /* Prepared statements by their SQL text, finalized when the database closes. */
  GHashTable *statements;
};

static const char *schema_v1[] = {
  "CREATE TABLE users ("
  "  username TEXT PRIMARY KEY NOT NULL,"
  "  display_name TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  roles TEXT NOT NULL,"
  "  hall TEXT NOT NULL,"
  "  hall_name TEXT NOT NULL,"
  "  counter INTEGER NOT NULL DEFAULT 0)",
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY NOT NULL,"
  "  username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,"
  "  expires_at INTEGER NOT NULL)",
  "CREATE TABLE catalog_revisions ("
  "  revision INTEGER PRIMARY KEY NOT NULL,"
  "  body TEXT NOT NULL,"
  "  source TEXT NOT NULL)",
  "CREATE TABLE calendar_days ("
  "  hall TEXT NOT NULL,"
  "  date TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),"
  "  name TEXT NOT NULL,"
  "  PRIMARY KEY (hall, date))",
  "CREATE TABLE calendar_years ("
  "  year INTEGER PRIMARY KEY NOT NULL)",
  "CREATE TABLE cases ("
  "  case_no TEXT PRIMARY KEY NOT NULL,"
  "  body TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL)",
  NULL
};

G_DEFINE_QUARK (ow-server-error-quark, ow_server_error)

/* Helpers ---------------------------------------------------------------------------------- */

static gboolean
set_sqlite_error (OwPlatformDb  *db,
                  GError       **error,
                  const char    *what)
{
  g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE, _("Database %s failed: %s"),
               what, sqlite3_errmsg (db->handle));
  return FALSE;
}

static gboolean
exec_sql (OwPlatformDb  *db,
          const char    *sql,
          GError       **error)
{
  char *message = NULL;

  if (sqlite3_exec (db->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE, _("Database error: %s"),
                   message != NULL ? message : sqlite3_errmsg (db->handle));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* A cached statement, reset and unbound, ready for binding. */
static sqlite3_stmt *
prepare (OwPlatformDb  *db,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
          != SQLITE_OK)
        {
          set_sqlite_error (db, error, "prepare");
          return NULL;
        }
      g_hash_table_insert (db->statements, (gpointer) sql, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (OwPlatformDb  *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (db, error, "write");
  return TRUE;
}

static gboolean
migrate (OwPlatformDb  *db,
         GError       **error)
{
  sqlite3_stmt *stmt;
  int version;

  if ((stmt = prepare (db, "PRAGMA user_version", error)) == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_sqlite_error (db, error, "read of the schema version");
  version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (version > OW_PLATFORM_DB_SCHEMA_VERSION)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_SCHEMA,
                   _("The database %s has schema version %d, newer than this platform’s %d: "
                     "run a newer onewindow-platform"),
                   db->path, version, OW_PLATFORM_DB_SCHEMA_VERSION);
      return FALSE;
    }
  if (version == OW_PLATFORM_DB_SCHEMA_VERSION)
    return TRUE;

  if (!exec_sql (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; schema_v1[i] != NULL; i++)
    if (!exec_sql (db, schema_v1[i], error))
      {
        ow_platform_db_rollback (db);
        return FALSE;
      }
  /* PRAGMA takes no bound parameters; the value is a compile-time constant. */
  if (!exec_sql (db, "PRAGMA user_version = " G_STRINGIFY (OW_PLATFORM_DB_SCHEMA_VERSION), error) ||
      !exec_sql (db, "COMMIT", error))
    {
      ow_platform_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/* Users ------------------------------------------------------------------------------------ */

OwPlatformUser *
ow_platform_user_copy (const OwPlatformUser *user)
{
  OwPlatformUser *copy = g_new0 (OwPlatformUser, 1);

  copy->username = g_strdup (user->username);
  copy->display_name = g_strdup (user->display_name);
  copy->password_hash = g_strdup (user->password_hash);
  copy->roles = g_strdupv (user->roles);
  copy->hall = g_strdup (user->hall);
  copy->hall_name = g_strdup (user->hall_name);
  copy->counter = user->counter;
  return copy;
}

void
ow_platform_user_free (OwPlatformUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->display_name);
  g_free (user->password_hash);
  g_strfreev (user->roles);
  g_free (user->hall);
  g_free (user->hall_name);
  g_free (user);
}

gboolean
ow_platform_user_has_role (const OwPlatformUser *user,
                           const char           *role)
{
  return user != NULL && user->roles != NULL &&
         g_strv_contains ((const char * const *) user->roles, role);
}

void
ow_platform_day_free (OwPlatformDay *day)
{
  if (day == NULL)
    return;
  g_free (day->date);
  g_free (day->kind);
  g_free (day->name);
  g_free (day);
}

static OwPlatformUser *
user_from_row (sqlite3_stmt *stmt)
{
  OwPlatformUser *user = g_new0 (OwPlatformUser, 1);
  const char *roles = (const char *) sqlite3_column_text (stmt, 3);

  user->username = column_dup (stmt, 0);
  user->display_name = column_dup (stmt, 1);
  user->password_hash = column_dup (stmt, 2);
  user->roles = g_strsplit (roles != NULL ? roles : "", ",", -1);
  user->hall = column_dup (stmt, 4);
  user->hall_name = column_dup (stmt, 5);
  user->counter = (guint) sqlite3_column_int (stmt, 6);
  return user;
}

/* Lifecycle -------------------------------------------------------------------------------- */

OwPlatformDb *
ow_platform_db_open (const char  *path,
                     GError     **error)
{
  g_autoptr(OwPlatformDb) db = g_new0 (OwPlatformDb, 1);

  g_return_val_if_fail (path != NULL, NULL);

  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) sqlite3_finalize);

  if (sqlite3_open_v2 (path, &db->handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                   _("Cannot open the database %s: %s"), path,
                   db->handle != NULL ? sqlite3_errmsg (db->handle) : g_strerror (ENOMEM));
      return NULL;
    }

  sqlite3_busy_timeout (db->handle, 5000);
  sqlite3_extended_result_codes (db->handle, 1);
  if (!exec_sql (db, "PRAGMA journal_mode = WAL", error) ||
      !exec_sql (db, "PRAGMA synchronous = NORMAL", error) ||
      !exec_sql (db, "PRAGMA foreign_keys = ON", error) ||
      !migrate (db, error))
    return NULL;

  return g_steal_pointer (&db);
}

void
ow_platform_db_free (OwPlatformDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db);
}

gboolean
ow_platform_db_begin (OwPlatformDb  *db,
                      GError       **error)
{
  sqlite3_stmt *stmt = prepare (db, "BEGIN IMMEDIATE", error);

  return stmt != NULL && step_done (db, stmt, error);
}

gboolean
ow_platform_db_commit (OwPlatformDb  *db,
                       GError       **error)
{
  sqlite3_stmt *stmt = prepare (db, "COMMIT", error);

  return stmt != NULL && step_done (db, stmt, error);
}

void
ow_platform_db_rollback (OwPlatformDb *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

/* Users and sessions ----------------------------------------------------------------------- */

gboolean
ow_platform_db_add_user (OwPlatformDb          *db,
                         const OwPlatformUser  *user,
                         gboolean              *added,
                         GError               **error)
{
  g_autofree char *roles = g_strjoinv (",", user->roles);
  sqlite3_stmt *stmt;

  stmt = prepare (db,
                  "INSERT OR IGNORE INTO users (username, display_name, password_hash, roles, "
                  "hall, hall_name, counter) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user->username);
  bind_text (stmt, 2, user->display_name);
  bind_text (stmt, 3, user->password_hash);
  bind_text (stmt, 4, roles);
  bind_text (stmt, 5, user->hall);
  bind_text (stmt, 6, user->hall_name);
  sqlite3_bind_int (stmt, 7, (int) user->counter);
  if (!step_done (db, stmt, error))
    return FALSE;
  if (added != NULL)
    *added = sqlite3_changes (db->handle) > 0;
  return TRUE;
}

OwPlatformUser *
ow_platform_db_lookup_user (OwPlatformDb  *db,
                            const char    *username,
                            GError       **error)
{
  OwPlatformUser *user = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (db,
                  "SELECT username, display_name, password_hash, roles, hall, hall_name, counter "
                  "FROM users WHERE username = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, username);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = user_from_row (stmt);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (db, error, "read");
  sqlite3_reset (stmt);
  return user;
}

gboolean
ow_platform_db_add_session (OwPlatformDb  *db,
                            const char    *token_hash,
                            const char    *username,
                            gint64         expires_at,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  /* Expired sessions are swept as new ones come, so the table does not grow without bound. */
  stmt = prepare (db, "DELETE FROM sessions WHERE expires_at <= ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  if (!step_done (db, stmt, error))
    return FALSE;

  stmt = prepare (db, "INSERT INTO sessions (token_hash, username, expires_at) VALUES (?, ?, ?)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  bind_text (stmt, 2, username);
  sqlite3_bind_int64 (stmt, 3, expires_at);
  return step_done (db, stmt, error);
}

OwPlatformUser *
ow_platform_db_lookup_session (OwPlatformDb  *db,
                               const char    *token_hash,
                               gint64         now,
                               GError       **error)
{
  OwPlatformUser *user = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (db,
                  "SELECT u.username, u.display_name, u.password_hash, u.roles, u.hall, "
                  "u.hall_name, u.counter FROM sessions s JOIN users u USING (username) "
                  "WHERE s.token_hash = ? AND s.expires_at > ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = user_from_row (stmt);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (db, error, "read");
  sqlite3_reset (stmt);
  return user;
}

gboolean
ow_platform_db_delete_session (OwPlatformDb  *db,
                               const char    *token_hash,
                               GError       **error)
{
  sqlite3_stmt *stmt = prepare (db, "DELETE FROM sessions WHERE token_hash = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  return step_done (db, stmt, error);
}

/* Catalog ---------------------------------------------------------------------------------- */

gboolean
ow_platform_db_get_catalog (OwPlatformDb  *db,
                            gint64        *revision,
                            char         **body,
                            char         **source,
                            GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *revision = 0;
  if (body != NULL)
    *body = NULL;
  if (source != NULL)
    *source = NULL;

  stmt = prepare (db,
                  "SELECT revision, body, source FROM catalog_revisions "
                  "ORDER BY revision DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *revision = sqlite3_column_int64 (stmt, 0);
      if (body != NULL)
        *body = column_dup (stmt, 1);
      if (source != NULL)
        *source = column_dup (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (db, error, "read");
  return TRUE;
}

gboolean
ow_platform_db_add_catalog (OwPlatformDb  *db,
                            gint64         revision,
                            const char    *body,
                            const char    *source,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (db, "INSERT INTO catalog_revisions (revision, body, source) VALUES (?, ?, ?)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, revision);
  bind_text (stmt, 2, body);
  bind_text (stmt, 3, source);
  return step_done (db, stmt, error);
}

/* Calendar --------------------------------------------------------------------------------- */

gboolean
ow_platform_db_set_day (OwPlatformDb  *db,
                        const char    *hall,
                        const char    *date,
                        const char    *kind,
                        const char    *name,
                        GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (db,
                  "INSERT INTO calendar_days (hall, date, kind, name) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (hall, date) DO UPDATE SET kind = excluded.kind, "
                  "name = excluded.name", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, hall);
  bind_text (stmt, 2, date);
  bind_text (stmt, 3, kind);
  bind_text (stmt, 4, name);
  return step_done (db, stmt, error);
}

gboolean
ow_platform_db_mark_published (OwPlatformDb  *db,
                               int            year,
                               GError       **error)
{
  sqlite3_stmt *stmt = prepare (db, "INSERT OR IGNORE INTO calendar_years (year) VALUES (?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  return step_done (db, stmt, error);
}

gboolean
ow_platform_db_is_published (OwPlatformDb  *db,
                             int            year,
                             gboolean      *published,
                             GError       **error)
{
  sqlite3_stmt *stmt = prepare (db, "SELECT 1 FROM calendar_years WHERE year = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (db, error, "read");
  *published = rc == SQLITE_ROW;
  return TRUE;
}

GPtrArray *
ow_platform_db_list_days (OwPlatformDb  *db,
                          const char    *hall,
                          int            year,
                          GError       **error)
{
  g_autoptr(GPtrArray) days = NULL;
  char first[16], last[16];
  sqlite3_stmt *stmt;
  int rc;

  days = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_day_free);
  g_snprintf (first, sizeof first, "%04d-01-01", year);
  g_snprintf (last, sizeof last, "%04d-12-31", year);

  /* A hall's own day wins over the national one on the same date. */
  stmt = prepare (db,
                  "SELECT date, kind, name, hall <> '' FROM calendar_days d "
                  "WHERE date BETWEEN ? AND ? AND (hall = ? OR (hall = '' AND NOT EXISTS "
                  "(SELECT 1 FROM calendar_days l WHERE l.hall = ? AND l.date = d.date))) "
                  "ORDER BY date", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, first);
  bind_text (stmt, 2, last);
  bind_text (stmt, 3, hall);
  bind_text (stmt, 4, hall);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformDay *day = g_new0 (OwPlatformDay, 1);

      day->date = column_dup (stmt, 0);
      day->kind = column_dup (stmt, 1);
      day->name = column_dup (stmt, 2);
      day->local = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (days, day);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&days);
}

gint64
ow_platform_db_count_days (OwPlatformDb  *db,
                           GError       **error)
{
  sqlite3_stmt *stmt = prepare (db, "SELECT count(*) FROM calendar_days", error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_sqlite_error (db, error, "read");
  sqlite3_reset (stmt);
  return count;
}

/* Cases ------------------------------------------------------------------------------------ */

gboolean
ow_platform_db_put_case (OwPlatformDb         *db,
                         const char           *case_no,
                         const char           *body,
                         const char           *state,
                         const char           *username,
                         OwPlatformPutResult  *result,
                         GError              **error)
{
  g_autofree char *stored = NULL;
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  if (!ow_platform_db_begin (db, error))
    return FALSE;

  if ((stmt = prepare (db, "SELECT body FROM cases WHERE case_no = ?", error)) == NULL)
    goto fail;
  bind_text (stmt, 1, case_no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    stored = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (db, error, "read");
      goto fail;
    }

  if (stored != NULL)
    {
      *result = g_str_equal (stored, body) ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
      ow_platform_db_rollback (db);
      return TRUE;
    }

  stmt = prepare (db,
                  "INSERT INTO cases (case_no, body, state, created_by, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, case_no);
  bind_text (stmt, 2, body);
  bind_text (stmt, 3, state);
  bind_text (stmt, 4, username);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!step_done (db, stmt, error) || !ow_platform_db_commit (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  return TRUE;

fail:
  ow_platform_db_rollback (db);
  return FALSE;
}

char *
ow_platform_db_get_case (OwPlatformDb  *db,
                         const char    *case_no,
                         char         **state,
                         GError       **error)
{
  char *body = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = prepare (db, "SELECT body, state FROM cases WHERE case_no = ?", error)) == NULL)
    return NULL;
  bind_text (stmt, 1, case_no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      body = column_dup (stmt, 0);
      if (state != NULL)
        *state = column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sqlite_error (db, error, "read");
  return body;
}
