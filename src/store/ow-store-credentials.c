/* ow-store-credentials.c — what lets a clerk log in while the platform cannot be reached
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A verifier (crypto_pwhash_str, made and checked above the store: net/ow-session.c) with what
 * the platform said of the user at their last online log-in here. Every attempt, failure, lock
 * and revocation goes into the audit log in the transaction that records it.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "store/ow-store-private.h"

#define SEPARATOR '\x1f'
#define AUDIT_EVENT "login-offline"

OwStoreCredential *
ow_store_credential_copy (const OwStoreCredential *credential)
{
  OwStoreCredential *copy;

  if (credential == NULL)
    return NULL;
  copy = g_memdup2 (credential, sizeof *credential);
  copy->platform = g_strdup (credential->platform);
  copy->username = g_strdup (credential->username);
  copy->verifier = g_strdup (credential->verifier);
  copy->display_name = g_strdup (credential->display_name);
  copy->roles = g_strdupv (credential->roles);
  copy->hall = g_strdup (credential->hall);
  copy->hall_name = g_strdup (credential->hall_name);
  copy->revoked_why = g_strdup (credential->revoked_why);
  return copy;
}

void
ow_store_credential_free (OwStoreCredential *credential)
{
  if (credential == NULL)
    return;
  g_free (credential->platform);
  g_free (credential->username);
  if (credential->verifier != NULL)
    {
      /* Not a secret, but no reason to leave it lying in freed memory either. */
      memset (credential->verifier, 0, strlen (credential->verifier));
      g_free (credential->verifier);
    }
  g_free (credential->display_name);
  g_strfreev (credential->roles);
  g_free (credential->hall);
  g_free (credential->hall_name);
  g_free (credential->revoked_why);
  g_free (credential);
}

static char *
join_roles (char **roles)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      g_string_append (out, roles[i]);
      g_string_append_c (out, SEPARATOR);
    }
  return g_string_free (out, FALSE);
}

static char **
split_roles (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  while (text != NULL && *text != '\0')
    {
      const char *end = strchr (text, SEPARATOR);

      if (end == NULL)
        {
          g_strv_builder_add (builder, text);
          break;
        }
      if (end > text)
        {
          g_autofree char *role = g_strndup (text, end - text);

          g_strv_builder_add (builder, role);
        }
      text = end + 1;
    }
  return g_strv_builder_end (builder);
}

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return when != NULL ? g_date_time_format_iso8601 (when) : g_strdup ("?");
}

gboolean
ow_store_save_credential (OwStore                  *self,
                          const OwStoreCredential  *credential,
                          GError                  **error)
{
  const char *doing = _("keep the offline log-in");
  g_autofree char *roles = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (credential != NULL && credential->platform != NULL
                        && credential->username != NULL && credential->verifier != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  roles = join_roles (credential->roles);
  g_mutex_lock (&self->lock);
  ok = ow_store_begin (self, doing, error);
  stmt = ok ? ow_store_prepare (self,
                                "INSERT OR REPLACE INTO credentials (platform, username, verifier,"
                                "  display_name, roles, hall, hall_name, counter, verified_at,"
                                "  failures, locked_until, revoked_at, revoked_why) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, NULL, NULL)",
                                doing, error)
            : NULL;
  ok = stmt != NULL;
  if (ok)
    {
      ow_store_bind_text (stmt, 1, credential->platform);
      ow_store_bind_text (stmt, 2, credential->username);
      ow_store_bind_text (stmt, 3, credential->verifier);
      ow_store_bind_text (stmt, 4, credential->display_name != NULL ? credential->display_name
                                                                     : credential->username);
      ow_store_bind_text (stmt, 5, roles);
      ow_store_bind_text (stmt, 6, credential->hall);
      ow_store_bind_text (stmt, 7, credential->hall_name);
      sqlite3_bind_int64 (stmt, 8, credential->counter);
      sqlite3_bind_int64 (stmt, 9, credential->verified_at);
      ok = ow_store_run_stmt (self, stmt, doing, error);
    }
  ok = ok && ow_store_insert_audit (self, credential->username, "offline-login-kept",
                                    credential->platform, "ok", error)
       && ow_store_commit (self, doing, error);
  if (!ok)
    ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return ok;
}

static OwStoreCredential *
load_locked (OwStore     *self,
             const char  *platform,
             const char  *username,
             GError     **error)
{
  OwStoreCredential *credential = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_store_prepare (self, "SELECT verifier, display_name, roles, hall, hall_name, counter,"
                                 "  verified_at, failures, locked_until, revoked_at, revoked_why "
                                 "FROM credentials WHERE platform = ? AND username = ?",
                           _("read the offline log-in"), error);
  if (stmt == NULL)
    return NULL;
  ow_store_bind_text (stmt, 1, platform);
  ow_store_bind_text (stmt, 2, username);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      credential = g_new0 (OwStoreCredential, 1);
      credential->platform = g_strdup (platform);
      credential->username = g_strdup (username);
      credential->verifier = ow_store_column_dup_text (stmt, 0);
      credential->display_name = ow_store_column_dup_text (stmt, 1);
      credential->roles = split_roles ((const char *) sqlite3_column_text (stmt, 2));
      credential->hall = ow_store_column_dup_text (stmt, 3);
      credential->hall_name = ow_store_column_dup_text (stmt, 4);
      credential->counter = (guint) sqlite3_column_int64 (stmt, 5);
      credential->verified_at = sqlite3_column_int64 (stmt, 6);
      credential->failures = (guint) sqlite3_column_int64 (stmt, 7);
      credential->locked_until = sqlite3_column_int64 (stmt, 8);
      credential->revoked_at = sqlite3_column_int64 (stmt, 9);
      credential->revoked_why = ow_store_column_dup_text (stmt, 10);
    }
  else if (rc != SQLITE_DONE)
    ow_store_set_sqlite_error (self, rc, _("read the offline log-in"), error);
  sqlite3_finalize (stmt);
  return credential;
}

OwStoreCredential *
ow_store_load_credential (OwStore     *self,
                          const char  *platform,
                          const char  *username,
                          GError     **error)
{
  OwStoreCredential *credential;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (platform != NULL && username != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  credential = load_locked (self, platform, username, error);
  g_mutex_unlock (&self->lock);
  return credential;
}

static gboolean
update_counts (OwStore     *self,
               const char  *platform,
               const char  *username,
               guint        failures,
               gint64       locked_until,
               const char  *doing,
               GError     **error)
{
  sqlite3_stmt *stmt = ow_store_prepare (self, "UPDATE credentials SET failures = ?,"
                                               "  locked_until = ? "
                                               "WHERE platform = ? AND username = ?",
                                         doing, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, failures);
  sqlite3_bind_int64 (stmt, 2, locked_until);
  ow_store_bind_text (stmt, 3, platform);
  ow_store_bind_text (stmt, 4, username);
  return ow_store_run_stmt (self, stmt, doing, error);
}

gboolean
ow_store_credential_failed (OwStore     *self,
                            const char  *platform,
                            const char  *username,
                            gint64       now,
                            guint        limit,
                            gint64       lock_usec,
                            guint       *failures,
                            gint64      *locked_until,
                            GError     **error)
{
  const char *doing = _("record the failed log-in");
  g_autoptr(OwStoreCredential) credential = NULL;
  g_autofree char *result = NULL;
  guint count = 0;
  gint64 until = 0;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (platform != NULL && username != NULL && limit > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_begin (self, doing, error);
  if (ok)
    {
      g_autoptr(GError) local_error = NULL;

      credential = load_locked (self, platform, username, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
    }
  if (ok && credential != NULL)
    {
      count = credential->failures + 1;
      if (count >= limit)
        {
          g_autofree char *time = NULL;

          until = now + lock_usec;
          time = format_time (until);
          result = g_strdup_printf ("wrong password %u of %u; locked until %s", count, limit,
                                    time);
          /* Locked: the next attempts after the lock count afresh. */
          count = 0;
        }
      else
        result = g_strdup_printf ("wrong password %u of %u", count, limit);
      ok = update_counts (self, platform, username, count, until, doing, error);
    }
  else if (ok)
    result = g_strdup ("refused: never logged in online here");
  ok = ok && ow_store_insert_audit (self, username, AUDIT_EVENT, platform, result, error)
       && ow_store_commit (self, doing, error);
  if (!ok)
    ow_store_rollback (self);
  g_mutex_unlock (&self->lock);

  if (failures != NULL)
    *failures = count;
  if (locked_until != NULL)
    *locked_until = until;
  return ok;
}

gboolean
ow_store_credential_succeeded (OwStore     *self,
                               const char  *platform,
                               const char  *username,
                               GError     **error)
{
  const char *doing = _("record the log-in");
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (platform != NULL && username != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_begin (self, doing, error)
       && update_counts (self, platform, username, 0, 0, doing, error)
       && ow_store_insert_audit (self, username, AUDIT_EVENT, platform, "ok", error)
       && ow_store_commit (self, doing, error);
  if (!ok)
    ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
ow_store_revoke_credential (OwStore     *self,
                            const char  *platform,
                            const char  *username,
                            const char  *why,
                            GError     **error)
{
  const char *doing = _("revoke the offline log-in");
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (platform != NULL && username != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_begin (self, doing, error);
  /* The verifier goes: a revoked user has nothing left here to be checked against. */
  stmt = ok ? ow_store_prepare (self, "UPDATE credentials SET verifier = '', revoked_at = ?,"
                                      "  revoked_why = ? WHERE platform = ? AND username = ?",
                                doing, error)
            : NULL;
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
      ow_store_bind_text (stmt, 2, why);
      ow_store_bind_text (stmt, 3, platform);
      ow_store_bind_text (stmt, 4, username);
      ok = ow_store_run_stmt (self, stmt, doing, error);
    }
  ok = ok && (sqlite3_changes (self->db) == 0
              || ow_store_insert_audit (self, username, "offline-login-revoked", platform,
                                        why != NULL ? why : "revoked", error))
       && ow_store_commit (self, doing, error);
  if (!ok)
    ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return ok;
}
