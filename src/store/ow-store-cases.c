/* ow-store-cases.c — cases in the local store: saved with their outbox entries, loaded, listed
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

/* Writes the case row (and nothing else). Call inside the transaction. */
static gboolean
upsert_case (OwStore     *self,
             CaseRecord  *record,
             gint64       stamp,
             const char  *doing,
             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = ow_store_prepare (self,
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
  ow_store_bind_text (stmt, 1, record->case_no);
  ow_store_bind_text (stmt, 2, record->state);
  ow_store_bind_text (stmt, 3, record->applicant_id);
  ow_store_bind_text (stmt, 4, record->applicant_name);
  sqlite3_bind_int64 (stmt, 5, stamp);
  ow_store_bind_text (stmt, 6, g_variant_get_type_string (record->data));
  sqlite3_bind_blob64 (stmt, 7, g_variant_get_data (record->data),
                       g_variant_get_size (record->data), SQLITE_TRANSIENT);
  return ow_store_run_stmt (self, stmt, doing, error);
}

gboolean
ow_store_upsert_case_locked (OwStore     *self,
                             OwCase      *kase,
                             gint64       stamp,
                             const char  *doing,
                             GError     **error)
{
  g_autoptr(CaseRecord) record = case_record_new (kase, NULL, NULL);

  return upsert_case (self, record, stamp, doing, error);
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

  if (!ow_store_begin (self, doing, error))
    goto fail;

  stamp = ow_store_next_stamp (self);

  /* First, so that whatever fails after it puts the draft back with the rollback: the form
   * and the case it became never both survive, nor neither. */
  if (record->draft_key != NULL && !ow_store_delete_draft_locked (self, record->draft_key, doing, error))
    goto fail;

  if (!upsert_case (self, record, stamp, doing, error))
    goto fail;

  for (guint i = 0; i < n_entries; i++)
    if (!ow_store_insert_outbox_entry (self, g_ptr_array_index (record->entries, i), stamp,
                                       &entry_ids[i], doing, error))
      goto fail;

  if (!ow_store_insert_audit (self, record->user, "case-saved", record->case_no, record->state, error))
    goto fail;

  if (!ow_store_commit (self, doing, error))
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
  ow_store_rollback (self);
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
  if (!ow_store_begin (self, doing, error))
    goto fail;
  stmt = ow_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM outbox WHERE key = ? AND dead = 0)",
                           doing, error);
  if (stmt == NULL)
    goto fail;
  ow_store_bind_text (stmt, 1, record->case_no);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      goto fail;
    }
  waiting = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);

  if (!waiting
      && (!upsert_case (self, record, ow_store_next_stamp (self), doing, error)
          || !ow_store_insert_audit (self, NULL, "case-received", record->case_no, record->state,
                                     error)))
    goto fail;
  if (!ow_store_commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);

  if (applied != NULL)
    *applied = !waiting;
  return TRUE;

fail:
  ow_store_rollback (self);
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

OwCase *
ow_store_case_from_row (OwStore     *self,
               sqlite3_stmt *stmt,
               int          type_column,
               int          data_column,
               GError     **error)
{
  const char *type_string = (const char *) sqlite3_column_text (stmt, type_column);
  g_autoptr(GBytes) bytes = ow_store_column_dup_bytes (stmt, data_column);
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
  stmt = ow_store_prepare (self, "SELECT data_type, data FROM cases WHERE case_no = ?", doing, error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, case_no);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        kase = ow_store_case_from_row (self, stmt, 0, 1, error);
      else if (rc == SQLITE_DONE)
        g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                     _("Case %s is not stored on this workstation"), case_no);
      else
        ow_store_set_sqlite_error (self, rc, doing, error);
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
      OwCase *kase = ow_store_case_from_row (self, stmt, 0, 1, error);

      if (kase == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (cases, kase);
    }
  if (rc != SQLITE_DONE)
    {
      ow_store_set_sqlite_error (self, rc, _("list cases"), error);
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
  stmt = ow_store_prepare (self,
                           "SELECT data_type, data FROM cases WHERE ?1 IS NULL OR state = ?1 "
                           "ORDER BY updated_at DESC LIMIT ?2",
                           _("list cases"), error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, state != 0 ? ow_case_state_to_string (state) : NULL);
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
  stmt = ow_store_prepare (self,
                           "SELECT data_type, data FROM cases WHERE applicant_id = ? "
                           "ORDER BY updated_at DESC",
                           _("find cases"), error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, id_number);
      cases = query_cases (self, stmt, error);
    }
  g_mutex_unlock (&self->lock);

  return cases;
}

