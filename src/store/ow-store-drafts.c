/* ow-store-drafts.c — drafts of the intake form: the current one and the parked ones
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/ow-store-private.h"

/* Deletes draft @key, if there is one. Call with the lock held. */
gboolean
ow_store_delete_draft_locked (OwStore     *self,
                              const char  *key,
                              const char  *doing,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = ow_store_prepare (self, "DELETE FROM drafts WHERE key = ?", doing, error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, key);
  return ow_store_run_stmt (self, stmt, doing, error);
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
  stmt = ow_store_prepare (self,
                           "INSERT INTO drafts (key, title, data, updated_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET title = excluded.title,"
                           "  data = excluded.data, updated_at = excluded.updated_at",
                           _("save the draft"), error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, key);
      ow_store_bind_text (stmt, 2, title);
      ow_store_bind_bytes (stmt, 3, data);
      sqlite3_bind_int64 (stmt, 4, ow_store_next_stamp (self));
      ok = ow_store_run_stmt (self, stmt, _("save the draft"), error);
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
  stmt = ow_store_prepare (self, "SELECT data FROM drafts WHERE key = ?", _("load the draft"), error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, key);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        data = ow_store_column_dup_bytes (stmt, 0);
      else if (rc == SQLITE_DONE)
        g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                     _("There is no saved draft “%s”"), key);
      else
        ow_store_set_sqlite_error (self, rc, _("load the draft"), error);
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
  ok = ow_store_delete_draft_locked (self, key, _("delete the draft"), error);
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
  stmt = ow_store_prepare (self, "SELECT key FROM drafts ORDER BY updated_at DESC",
                           _("list drafts"), error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_strv_builder_add (keys, (const char *) sqlite3_column_text (stmt, 0));
      if (rc == SQLITE_DONE)
        ok = TRUE;
      else
        ow_store_set_sqlite_error (self, rc, _("list drafts"), error);
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
  stmt = ow_store_prepare (self,
                           "SELECT key, title, updated_at FROM drafts"
                           " WHERE ?1 IS NULL OR substr(key, 1, length(?1)) = ?1"
                           " ORDER BY updated_at DESC",
                           _("list drafts"), error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, prefix);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          OwDraftInfo *info = g_new0 (OwDraftInfo, 1);

          info->key = ow_store_column_dup_text (stmt, 0);
          info->title = ow_store_column_dup_text (stmt, 1);
          info->updated_at = sqlite3_column_int64 (stmt, 2);
          g_ptr_array_add (infos, info);
        }
      if (rc == SQLITE_DONE)
        ok = TRUE;
      else
        ow_store_set_sqlite_error (self, rc, _("list drafts"), error);
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
  gint64 stamp = ow_store_next_stamp (self);

  if (data == NULL)
    {
      /* Renaming: the row keeps its title and data. A key equal to @from_key is a no-op. */
      if (g_strcmp0 (from_key, to_key) != 0)
        {
          stmt = ow_store_prepare (self, "DELETE FROM drafts WHERE key = ?", doing, error);
          if (stmt == NULL)
            return FALSE;
          ow_store_bind_text (stmt, 1, to_key);
          if (!ow_store_run_stmt (self, stmt, doing, error))
            return FALSE;
        }
      stmt = ow_store_prepare (self, "UPDATE drafts SET key = ?, updated_at = ? WHERE key = ?", doing,
                               error);
      if (stmt == NULL)
        return FALSE;
      ow_store_bind_text (stmt, 1, to_key);
      sqlite3_bind_int64 (stmt, 2, stamp);
      ow_store_bind_text (stmt, 3, from_key);
      if (!ow_store_run_stmt (self, stmt, doing, error))
        return FALSE;
      if (sqlite3_changes (self->db) == 0)
        {
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                       _("There is no saved draft “%s”"), from_key);
          return FALSE;
        }
      return TRUE;
    }

  stmt = ow_store_prepare (self, "DELETE FROM drafts WHERE key = ?", doing, error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, from_key);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    return FALSE;
  stmt = ow_store_prepare (self,
                           "INSERT INTO drafts (key, title, data, updated_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET title = excluded.title,"
                           "  data = excluded.data, updated_at = excluded.updated_at",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, to_key);
  ow_store_bind_text (stmt, 2, title);
  ow_store_bind_bytes (stmt, 3, data);
  sqlite3_bind_int64 (stmt, 4, stamp);
  return ow_store_run_stmt (self, stmt, doing, error);
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
  if (ow_store_begin (self, _("move the draft"), error))
    {
      if (move_draft_locked (self, from_key, to_key, title, data, error))
        ok = ow_store_commit (self, _("move the draft"), error);
      else
        ow_store_rollback (self);
    }
  g_mutex_unlock (&self->lock);

  return ok;
}

