/* ow-platform-pg-logins.c — failed log-ins, their locks and the audit log, on PostgreSQL
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same rules as ow-platform-sqlite-logins.c. Several platform processes count one client's
 * failures together: each failure is an upsert, and the row's lock (FOR UPDATE) makes the one
 * that reaches the limit lock the pair once, with one audit record.
 */

#include "config.h"

#include "platform/ow-platform-pg-private.h"

/* username, address, failures, last_failed_at, locked_at (0 for none) */
#define FAILURE_COLUMNS \
  "username, address, failures, last_failed_at, coalesce (locked_at, 0)"

static OwPlatformLoginFailures *
failures_from_row (PGresult *result,
                   int       row)
{
  OwPlatformLoginFailures *failures = g_new0 (OwPlatformLoginFailures, 1);

  failures->username = ow_pg_dup (result, row, 0);
  failures->address = ow_pg_dup (result, row, 1);
  failures->failures = (guint) ow_pg_int (result, row, 2);
  failures->last_failed_at = ow_pg_int (result, row, 3);
  failures->locked_at = ow_pg_int (result, row, 4);
  return failures;
}

OwPlatformLoginFailures *
ow_platform_pg_get_login_failures (OwPlatformDb  *base,
                                   const char    *username,
                                   const char    *address,
                                   GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  OwPgParams params = { 0, };
  g_autoptr(PGresult) result = NULL;

  ow_pg_param_text (&params, username);
  ow_pg_param_text (&params, address);
  result = ow_platform_pg_exec (db, "SELECT " FAILURE_COLUMNS " FROM login_failures "
                                "WHERE username = $1 AND address = $2", &params, FALSE, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return failures_from_row (result, 0);
}

OwPlatformLoginFailures *
ow_platform_pg_add_login_failure (OwPlatformDb  *base,
                                  const char    *username,
                                  const char    *address,
                                  gint64         now,
                                  gint64         window,
                                  guint          lock_after,
                                  gint64         lock_seconds,
                                  GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  OwPgParams sweep = { 0, }, expire = { 0, }, upsert = { 0, };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(OwPlatformLoginFailures) failures = NULL;

  if (!ow_platform_pg_begin_write (db, error))
    return NULL;

  ow_pg_param_int (&sweep, now - window);
  ow_pg_param_int (&sweep, now - lock_seconds);
  ow_pg_param_text (&expire, username);
  ow_pg_param_text (&expire, address);
  ow_pg_param_int (&expire, now - lock_seconds);
  ow_pg_param_text (&upsert, username);
  ow_pg_param_text (&upsert, address);
  ow_pg_param_int (&upsert, now);
  if (!ow_platform_pg_run (db, "DELETE FROM login_failures WHERE last_failed_at < $1::bigint "
                           "AND (locked_at IS NULL OR locked_at < $2::bigint)", &sweep, error) ||
      !ow_platform_pg_run (db, "UPDATE login_failures SET locked_at = NULL, failures = 0 "
                           "WHERE username = $1 AND address = $2 AND locked_at < $3::bigint",
                           &expire, error) ||
      (result = ow_platform_pg_exec (db,
         "INSERT INTO login_failures (username, address, failures, last_failed_at) "
         "VALUES ($1, $2, 1, $3::bigint) "
         "ON CONFLICT (username, address) DO UPDATE SET "
         "  failures = login_failures.failures + 1, last_failed_at = excluded.last_failed_at "
         "RETURNING " FAILURE_COLUMNS, &upsert, FALSE, error)) == NULL)
    goto failed;
  failures = failures_from_row (result, 0);

  if (failures->locked_at == 0 && failures->failures >= lock_after)
    {
      OwPgParams lock = { 0, };
      g_autofree char *detail = g_strdup_printf ("%u failed log-ins in a row",
                                                 failures->failures);

      ow_pg_param_text (&lock, username);
      ow_pg_param_text (&lock, address);
      ow_pg_param_int (&lock, now);
      if (!ow_platform_pg_run (db, "UPDATE login_failures SET locked_at = $3::bigint "
                               "WHERE username = $1 AND address = $2", &lock, error) ||
          !ow_platform_pg_add_audit (base, now, "platform", "login-locked", username, address,
                                     detail, error))
        goto failed;
      failures->locked_at = now;
    }

  if (!ow_platform_pg_commit_write (db, error))
    goto failed;
  return g_steal_pointer (&failures);

failed:
  ow_platform_pg_rollback_write (db);
  return NULL;
}

gboolean
ow_platform_pg_clear_login_failures (OwPlatformDb  *base,
                                     const char    *username,
                                     const char    *address,
                                     GError       **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, username);
  ow_pg_param_text (&params, address);
  return ow_platform_pg_run (OW_PLATFORM_PG (base),
                             "DELETE FROM login_failures WHERE username = $1 AND address = $2",
                             &params, error);
}

gboolean
ow_platform_pg_unlock_logins (OwPlatformDb  *base,
                              const char    *username,
                              const char    *address,
                              const char    *actor,
                              gint64         now,
                              guint         *unlocked,
                              GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  OwPgParams params = { 0, };
  g_autoptr(PGresult) result = NULL;

  *unlocked = 0;
  if (!ow_platform_pg_begin_write (db, error))
    return FALSE;
  ow_pg_param_text (&params, username);
  ow_pg_param_text (&params, address);
  result = ow_platform_pg_exec (db, "DELETE FROM login_failures WHERE username = $1 "
                                "AND ($2::text IS NULL OR address = $2) "
                                "AND locked_at IS NOT NULL", &params, FALSE, error);
  if (result == NULL)
    goto failed;
  *unlocked = (guint) ow_pg_affected (result);
  if (*unlocked > 0)
    {
      g_autofree char *detail = g_strdup_printf ("%u lock(s) lifted", *unlocked);

      if (!ow_platform_pg_add_audit (base, now, actor, "login-unlocked", username, address,
                                     detail, error))
        goto failed;
    }
  if (!ow_platform_pg_commit_write (db, error))
    goto failed;
  return TRUE;

failed:
  ow_platform_pg_rollback_write (db);
  *unlocked = 0;
  return FALSE;
}

GPtrArray *
ow_platform_pg_list_login_locks (OwPlatformDb  *base,
                                 GError       **error)
{
  g_autoptr(PGresult) result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
    "SELECT " FAILURE_COLUMNS " FROM login_failures WHERE locked_at IS NOT NULL "
    "ORDER BY locked_at DESC, username, address", NULL, FALSE, error);
  GPtrArray *locks;

  if (result == NULL)
    return NULL;
  locks = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_login_failures_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (locks, failures_from_row (result, i));
  return locks;
}

gboolean
ow_platform_pg_add_audit (OwPlatformDb  *base,
                          gint64         at,
                          const char    *actor,
                          const char    *event,
                          const char    *subject,
                          const char    *address,
                          const char    *detail,
                          GError       **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_int (&params, at);
  ow_pg_param_text (&params, actor);
  ow_pg_param_text (&params, event);
  ow_pg_param_text (&params, subject);
  ow_pg_param_text (&params, address);
  ow_pg_param_text (&params, detail);
  return ow_platform_pg_run (OW_PLATFORM_PG (base),
                             "INSERT INTO audit_log (at, actor, event, subject, address, detail) "
                             "VALUES ($1::bigint, $2, $3, $4, $5, $6)", &params, error);
}

GPtrArray *
ow_platform_pg_list_audit (OwPlatformDb  *base,
                           guint          limit,
                           GError       **error)
{
  OwPgParams params = { 0, };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *records;

  ow_pg_param_int (&params, limit);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT seq, at, actor, event, subject, address, detail FROM "
                                "(SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1::bigint) AS "
                                "newest ORDER BY seq", &params, FALSE, error);
  if (result == NULL)
    return NULL;
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_audit_record_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      OwPlatformAuditRecord *record = g_new0 (OwPlatformAuditRecord, 1);

      record->seq = ow_pg_int (result, i, 0);
      record->at = ow_pg_int (result, i, 1);
      record->actor = ow_pg_dup (result, i, 2);
      record->event = ow_pg_dup (result, i, 3);
      record->subject = ow_pg_dup (result, i, 4);
      record->address = ow_pg_dup (result, i, 5);
      record->detail = ow_pg_dup (result, i, 6);
      g_ptr_array_add (records, record);
    }
  return records;
}
