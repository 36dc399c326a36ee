/* ow-store-answers.c — the platform's last answers, kept for when it cannot be reached
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The supervisor's overview asks the platform; whatever it answered last for a question (its
 * key: the route and query) is kept here as a GVariant of core's, with when it was fetched, so
 * that offline the overview still shows it, marked stale. A cache, not a record: only the
 * newest OW_STORE_MAX_ANSWERS are kept, and nothing here ever goes to the platform.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "store/ow-store-private.h"

/* Enough for every question the overview asks in a day or two of searching and filtering. */
#define OW_STORE_MAX_ANSWERS 500

gboolean
ow_store_save_answer (OwStore     *self,
                      const char  *user,
                      const char  *key,
                      GVariant    *value,
                      gint64       fetched_at,
                      GError     **error)
{
  const char *doing = _("keep the platform’s answer");
  g_autoptr(GBytes) bytes = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (user != NULL && key != NULL && value != NULL, FALSE);

  bytes = g_variant_get_data_as_bytes (value);
  g_mutex_lock (&self->lock);
  if (!ow_store_begin (self, doing, error))
    goto out;
  stmt = ow_store_prepare (self,
                           "INSERT INTO answers (user, key, data_type, data, fetched_at) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user, key) DO UPDATE SET "
                           "data_type = excluded.data_type, data = excluded.data, "
                           "fetched_at = excluded.fetched_at", doing, error);
  if (stmt == NULL)
    goto rollback;
  ow_store_bind_text (stmt, 1, user);
  ow_store_bind_text (stmt, 2, key);
  ow_store_bind_text (stmt, 3, g_variant_get_type_string (value));
  ow_store_bind_bytes (stmt, 4, bytes);
  sqlite3_bind_int64 (stmt, 5, fetched_at);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    goto rollback;
  stmt = ow_store_prepare (self,
                           "DELETE FROM answers WHERE rowid IN (SELECT rowid FROM answers "
                           "ORDER BY fetched_at DESC LIMIT -1 OFFSET ?)", doing, error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int (stmt, 1, OW_STORE_MAX_ANSWERS);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    goto rollback;
  ok = ow_store_commit (self, doing, error);
  goto out;

rollback:
  ow_store_rollback (self);
out:
  g_mutex_unlock (&self->lock);
  return ok;
}

GVariant *
ow_store_load_answer (OwStore     *self,
                      const char  *user,
                      const char  *key,
                      gint64      *fetched_at,
                      GError     **error)
{
  const char *doing = _("read the platform’s last answer");
  GVariant *value = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (user != NULL && key != NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self, "SELECT data_type, data, fetched_at FROM answers "
                           "WHERE user = ? AND key = ?", doing, error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, user);
      ow_store_bind_text (stmt, 2, key);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_autofree char *type = ow_store_column_dup_text (stmt, 0);
          g_autoptr(GBytes) data = ow_store_column_dup_bytes (stmt, 1);

          if (type == NULL || !g_variant_type_string_is_valid (type) || data == NULL)
            g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                         _("A kept answer of the platform cannot be read back"));
          else
            {
              /* Bytes from disk are not trusted: GVariant checks them as it reads. */
              value = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (type), data,
                                                                    FALSE));
              if (fetched_at != NULL)
                *fetched_at = sqlite3_column_int64 (stmt, 2);
            }
        }
      else if (rc == SQLITE_DONE)
        g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                     _("No answer of the platform to this is kept on this workstation"));
      else
        ow_store_set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);
  return value;
}

/* In a worker thread ------------------------------------------------------------------------ */

typedef struct
{
  char     *user;
  char     *key;
  GVariant *value;
  gint64    fetched_at;
} AnswerData;

static void
answer_data_free (AnswerData *data)
{
  g_free (data->user);
  g_free (data->key);
  g_clear_pointer (&data->value, g_variant_unref);
  g_free (data);
}

static void
save_answer_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  AnswerData *data = task_data;
  GError *error = NULL;

  if (ow_store_save_answer (source_object, data->user, data->key, data->value, data->fetched_at,
                            &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ow_store_save_answer_async (OwStore             *self,
                            const char          *user,
                            const char          *key,
                            GVariant            *value,
                            gint64               fetched_at,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AnswerData *data;

  g_return_if_fail (OW_IS_STORE (self));
  g_return_if_fail (user != NULL && key != NULL && value != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_store_save_answer_async);
  data = g_new0 (AnswerData, 1);
  data->user = g_strdup (user);
  data->key = g_strdup (key);
  data->value = g_variant_ref_sink (value);
  data->fetched_at = fetched_at;
  g_task_set_task_data (task, data, (GDestroyNotify) answer_data_free);
  g_task_run_in_thread (task, save_answer_thread);
}

gboolean
ow_store_save_answer_finish (OwStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_store_save_answer_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
load_answer_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  AnswerData *data = task_data;
  GError *error = NULL;
  GVariant *value = ow_store_load_answer (source_object, data->user, data->key,
                                          &data->fetched_at, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, (GDestroyNotify) g_variant_unref);
}

void
ow_store_load_answer_async (OwStore             *self,
                            const char          *user,
                            const char          *key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AnswerData *data;

  g_return_if_fail (OW_IS_STORE (self));
  g_return_if_fail (user != NULL && key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_store_load_answer_async);
  data = g_new0 (AnswerData, 1);
  data->user = g_strdup (user);
  data->key = g_strdup (key);
  g_task_set_task_data (task, data, (GDestroyNotify) answer_data_free);
  g_task_run_in_thread (task, load_answer_thread);
}

GVariant *
ow_store_load_answer_finish (OwStore       *self,
                             GAsyncResult  *result,
                             gint64        *fetched_at,
                             GError       **error)
{
  GVariant *value;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_store_load_answer_async,
                        NULL);
  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value != NULL && fetched_at != NULL)
    *fetched_at = ((AnswerData *) g_task_get_task_data (G_TASK (result)))->fetched_at;
  return value;
}
