/* ow-platform-sqlite-logins.c — failed log-ins, their locks and the audit log, on SQLite
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In the database rather than in the server's memory, so that the admin CLI (another process)
 * can lift a lock, a restart does not, and several platform processes on one database count
 * together.
 */

#include "config.h"

#include "platform/ow-platform-sqlite-private.h"

/* username, address, failures, last_failed_at, locked_at */
static OwPlatformLoginFailures *
failures_from_row (sqlite3_stmt *stmt)
{
  OwPlatformLoginFailures *failures = g_new0 (OwPlatformLoginFailures, 1);

  failures->username = ow_platform_sqlite_column_dup (stmt, 0);
  failures->address = ow_platform_sqlite_column_dup (stmt, 1);
  failures->failures = (guint) sqlite3_column_int (stmt, 2);
  failures->last_failed_at = sqlite3_column_int64 (stmt, 3);
  failures->locked_at = sqlite3_column_int64 (stmt, 4);
  return failures;
}

OwPlatformLoginFailures *
ow_platform_sqlite_get_login_failures (OwPlatformDb  *base,
                                   const char    *username,
                                   const char    *address,
                                   GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db,
    "SELECT username, address, failures, last_failed_at, coalesce (locked_at, 0) "
    "FROM login_failures WHERE username = ?1 AND address = ?2", error);
  OwPlatformLoginFailures *failures = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, username);
  ow_platform_sqlite_bind_text (stmt, 2, address);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    failures = failures_from_row (stmt);
  else if (rc != SQLITE_DONE)
    ow_platform_sqlite_set_sqlite_error (db, error, "read of failed log-ins");
  sqlite3_reset (stmt);
  return failures;
}

OwPlatformLoginFailures *
ow_platform_sqlite_add_login_failure (OwPlatformDb  *base,
                                  const char    *username,
                                  const char    *address,
                                  gint64         now,
                                  gint64         window,
                                  guint          lock_after,
                                  gint64         lock_seconds,
                                  GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(OwPlatformLoginFailures) failures = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  if (!ow_platform_sqlite_begin_write (db, error))
    return NULL;

  /* What no longer counts: failures out of the window, locks that expired. A name tried once
   * by someone guessing names leaves no row for long. */
  stmt = ow_platform_sqlite_prepare (db,
    "DELETE FROM login_failures WHERE last_failed_at < ?1 "
    "AND (locked_at IS NULL OR locked_at < ?2)", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, now - window);
  sqlite3_bind_int64 (stmt, 2, now - lock_seconds);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    goto failed;
  stmt = ow_platform_sqlite_prepare (db,
    "UPDATE login_failures SET locked_at = NULL, failures = 0 "
    "WHERE username = ?1 AND address = ?2 AND locked_at < ?3", error);
  if (stmt == NULL)
    goto failed;
  ow_platform_sqlite_bind_text (stmt, 1, username);
  ow_platform_sqlite_bind_text (stmt, 2, address);
  sqlite3_bind_int64 (stmt, 3, now - lock_seconds);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    goto failed;

  stmt = ow_platform_sqlite_prepare (db,
    "INSERT INTO login_failures (username, address, failures, last_failed_at) "
    "VALUES (?1, ?2, 1, ?3) "
    "ON CONFLICT (username, address) DO UPDATE SET failures = failures + 1, "
    "  last_failed_at = excluded.last_failed_at", error);
  if (stmt == NULL)
    goto failed;
  ow_platform_sqlite_bind_text (stmt, 1, username);
  ow_platform_sqlite_bind_text (stmt, 2, address);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    goto failed;

  if ((failures = ow_platform_sqlite_get_login_failures (base, username, address, error)) == NULL)
    goto failed;
  if (failures->locked_at == 0 && failures->failures >= lock_after)
    {
      stmt = ow_platform_sqlite_prepare (db,
        "UPDATE login_failures SET locked_at = ?3 WHERE username = ?1 AND address = ?2", error);
      if (stmt == NULL)
        goto failed;
      ow_platform_sqlite_bind_text (stmt, 1, username);
      ow_platform_sqlite_bind_text (stmt, 2, address);
      sqlite3_bind_int64 (stmt, 3, now);
      if (!ow_platform_sqlite_step_done (db, stmt, error))
        goto failed;
      failures->locked_at = now;
      detail = g_strdup_printf ("%u failed log-ins in a row", failures->failures);
      if (!ow_platform_sqlite_add_audit (base, now, "platform", "login-locked", username, address,
                                     detail, error))
        goto failed;
    }

  if (!ow_platform_sqlite_commit_write (db, error))
    goto failed;
  return g_steal_pointer (&failures);

failed:
  ow_platform_sqlite_rollback_write (db);
  return NULL;
}

gboolean
ow_platform_sqlite_clear_login_failures (OwPlatformDb  *base,
                                     const char    *username,
                                     const char    *address,
                                     GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db,
    "DELETE FROM login_failures WHERE username = ?1 AND address = ?2", error);

  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, username);
  ow_platform_sqlite_bind_text (stmt, 2, address);
  return ow_platform_sqlite_step_done (db, stmt, error);
}

gboolean
ow_platform_sqlite_unlock_logins (OwPlatformDb  *base,
                              const char    *username,
                              const char    *address,
                              const char    *actor,
                              gint64         now,
                              guint         *unlocked,
                              GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  *unlocked = 0;
  if (!ow_platform_sqlite_begin_write (db, error))
    return FALSE;
  stmt = ow_platform_sqlite_prepare (db,
    "DELETE FROM login_failures WHERE username = ?1 AND (?2 IS NULL OR address = ?2) "
    "AND locked_at IS NOT NULL", error);
  if (stmt == NULL)
    goto failed;
  ow_platform_sqlite_bind_text (stmt, 1, username);
  ow_platform_sqlite_bind_text (stmt, 2, address);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    goto failed;
  *unlocked = (guint) sqlite3_changes (db->handle);
  if (*unlocked > 0)
    {
      detail = g_strdup_printf ("%u lock(s) lifted", *unlocked);
      if (!ow_platform_sqlite_add_audit (base, now, actor, "login-unlocked", username, address, detail,
                                     error))
        goto failed;
    }
  if (!ow_platform_sqlite_commit_write (db, error))
    goto failed;
  return TRUE;

failed:
  ow_platform_sqlite_rollback_write (db);
  *unlocked = 0;
  return FALSE;
}

GPtrArray *
ow_platform_sqlite_list_login_locks (OwPlatformDb  *base,
                                 GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db,
    "SELECT username, address, failures, last_failed_at, locked_at FROM login_failures "
    "WHERE locked_at IS NOT NULL ORDER BY locked_at DESC, username, address", error);
  g_autoptr(GPtrArray) locks = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  locks = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_login_failures_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (locks, failures_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read of log-in locks");
      return NULL;
    }
  return g_steal_pointer (&locks);
}

gboolean
ow_platform_sqlite_add_audit (OwPlatformDb  *base,
                          gint64         at,
                          const char    *actor,
                          const char    *event,
                          const char    *subject,
                          const char    *address,
                          const char    *detail,
                          GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db,
    "INSERT INTO audit_log (at, actor, event, subject, address, detail) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  ow_platform_sqlite_bind_text (stmt, 2, actor);
  ow_platform_sqlite_bind_text (stmt, 3, event);
  ow_platform_sqlite_bind_text (stmt, 4, subject);
  ow_platform_sqlite_bind_text (stmt, 5, address);
  ow_platform_sqlite_bind_text (stmt, 6, detail);
  return ow_platform_sqlite_step_done (db, stmt, error);
}

GPtrArray *
ow_platform_sqlite_list_audit (OwPlatformDb  *base,
                           guint          limit,
                           GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db,
    "SELECT seq, at, actor, event, subject, address, detail FROM "
    "(SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?1) ORDER BY seq", error);
  g_autoptr(GPtrArray) records = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_audit_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformAuditRecord *record = g_new0 (OwPlatformAuditRecord, 1);

      record->seq = sqlite3_column_int64 (stmt, 0);
      record->at = sqlite3_column_int64 (stmt, 1);
      record->actor = ow_platform_sqlite_column_dup (stmt, 2);
      record->event = ow_platform_sqlite_column_dup (stmt, 3);
      record->subject = ow_platform_sqlite_column_dup (stmt, 4);
      record->address = ow_platform_sqlite_column_dup (stmt, 5);
      record->detail = ow_platform_sqlite_column_dup (stmt, 6);
      g_ptr_array_add (records, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read of the audit log");
      return NULL;
    }
  return g_steal_pointer (&records);
}
