/* ow-store-outbox.c — the outbox: changes the platform has not acknowledged yet, in order, per key
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

  stmt = ow_store_prepare (self,
                           "SELECT EXISTS (SELECT 1 FROM uploaded_files WHERE sha256 = ?1)"
                           "    OR EXISTS (SELECT 1 FROM outbox WHERE body_file = ?1 AND dead = 0)",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *sent = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  return TRUE;
}


/* Appends @entry; its id stays 0 when it is a file already sent. Call inside the transaction. */
gboolean
ow_store_insert_outbox_entry (OwStore        *self,
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

  stmt = ow_store_prepare (self,
                           "INSERT INTO outbox (kind, key, method, path, content_type, body, attempts,"
                           "                    last_error, next_attempt, dead, created_at, body_file)"
                           "  VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?, 0, ?, ?)",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, entry->kind);
  ow_store_bind_text (stmt, 2, entry->key);
  ow_store_bind_text (stmt, 3, entry->method);
  ow_store_bind_text (stmt, 4, entry->path);
  ow_store_bind_text (stmt, 5, entry->content_type);
  /* A file's bytes stay in the files folder. */
  ow_store_bind_bytes (stmt, 6, entry->body_file != NULL ? NULL : entry->body);
  sqlite3_bind_int64 (stmt, 7, entry->next_attempt);
  sqlite3_bind_int64 (stmt, 8, stamp);
  ow_store_bind_text (stmt, 9, entry->body_file);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    return FALSE;
  *entry_id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
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
  entry->kind = ow_store_column_dup_text (stmt, 1);
  entry->key = ow_store_column_dup_text (stmt, 2);
  entry->method = ow_store_column_dup_text (stmt, 3);
  entry->path = ow_store_column_dup_text (stmt, 4);
  entry->content_type = ow_store_column_dup_text (stmt, 5);
  entry->body = ow_store_column_dup_bytes (stmt, 6);
  entry->attempts = (guint) sqlite3_column_int64 (stmt, 7);
  entry->last_error = ow_store_column_dup_text (stmt, 8);
  entry->next_attempt = sqlite3_column_int64 (stmt, 9);
  entry->dead = sqlite3_column_int (stmt, 10) != 0;
  entry->created_at = sqlite3_column_int64 (stmt, 11);
  entry->body_file = ow_store_column_dup_text (stmt, 12);
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
  stmt = ow_store_prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox ORDER BY id", doing, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, outbox_entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      g_clear_pointer (&entries, g_ptr_array_unref);
    }
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);

  return g_steal_pointer (&entries);
}

/* Of each key its oldest entry, live: nothing of the key was refused before it, and nothing
 * of the key waits to go before it. */
#define FIRST_OF_KEY \
  "dead = 0 AND NOT EXISTS (SELECT 1 FROM outbox AS o WHERE o.key = outbox.key" \
  "                         AND o.id < outbox.id)"

/* An older entry of another key that the entry names in its body (a case names the pages it
 * needs, a ticket the case it is about), still on its way: the platform would refuse the entry
 * before that one is stored. One held back by a refusal of its own key does not count: it
 * would hold this one for as long as nobody revives it, and this one is then refused in turn,
 * as it would have been. */
#define NAMES_ONE_ON_ITS_WAY \
  "EXISTS (SELECT 1 FROM outbox AS n WHERE n.id < outbox.id AND n.dead = 0" \
  "        AND n.key <> outbox.key AND outbox.body IS NOT NULL" \
  "        AND (instr (outbox.body, n.key) > 0" \
  "             OR (n.body_file IS NOT NULL AND instr (outbox.body, n.body_file) > 0))" \
  "        AND NOT EXISTS (SELECT 1 FROM outbox AS d WHERE d.dead = 1 AND d.key = n.key" \
  "                        AND d.id < n.id))"

GPtrArray *
ow_store_outbox_next_batch (OwStore             *self,
                            gint64               now,
                            const char * const  *busy_keys,
                            guint                limit,
                            gint64              *wait_until,
                            GError             **error)
{
  const char *doing = _("read the outbox");
  g_autoptr(GPtrArray) entries = NULL;
  guint n_busy = busy_keys != NULL ? g_strv_length ((char **) busy_keys) : 0;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_outbox_entry_free);
  if (wait_until != NULL)
    *wait_until = 0;

  g_mutex_lock (&self->lock);
  /* The keys in @busy_keys have their oldest entry on its way: it comes back here (it stays
   * until acknowledged) and is skipped, so asking for @limit more is enough. Read in order, from
   * the head of the outbox: this runs after every answer. */
  stmt = ow_store_prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE " FIRST_OF_KEY
                           " AND NOT " NAMES_ONE_ON_ITS_WAY " ORDER BY id LIMIT ?",
                           doing, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, (gint64) limit + n_busy);
  while (entries->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 2);
      gint64 next_attempt = sqlite3_column_int64 (stmt, 9);

      if (busy_keys != NULL && g_strv_contains (busy_keys, key))
        continue;
      /* A failed attempt that waits for its back-off means that the platform or the network
       * is away, not that the entry is wrong: nothing newer overtakes it meanwhile. */
      if (next_attempt > now)
        {
          if (wait_until != NULL)
            *wait_until = next_attempt;
          rc = SQLITE_DONE;
          break;
        }
      g_ptr_array_add (entries, outbox_entry_from_row (stmt));
    }
  if (entries->len < limit && rc != SQLITE_DONE)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
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
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The oldest entry that may be sent is always the first of its key and names nothing older
   * that is still on its way. */
  entries = ow_store_outbox_next_batch (self, now, NULL, 1, NULL, error);
  if (entries == NULL || entries->len == 0)
    return NULL;
  return g_ptr_array_steal_index (entries, 0);
}

guint
ow_store_outbox_count (OwStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (OW_IS_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return ow_store_count_rows (self, "SELECT count(*) FROM outbox", error);
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
  stmt = ow_store_prepare (self,
                           "SELECT (SELECT count(*) FROM outbox),"
                           "       (SELECT count(*) FROM outbox WHERE dead = 1),"
                           /* Dead entries are rare: look for those behind one only if one is. */
                           "       (CASE WHEN EXISTS (SELECT 1 FROM outbox WHERE dead = 1)"
                           "             THEN (SELECT count(*) FROM outbox"
                           "                     WHERE dead = 0 AND NOT (" SENDABLE "))"
                           "             ELSE 0 END),"
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
        ow_store_set_sqlite_error (self, rc, doing, error);
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
  if (!ow_store_begin (self, doing, error))
    goto fail;
  key = outbox_key (self, id, doing, error);
  if (key == NULL)
    goto fail;
  stmt = ow_store_prepare (self, "UPDATE outbox SET dead = 0, next_attempt = 0 WHERE id = ?", doing,
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  /* Who revived a refused change, and when, is worth knowing afterwards. */
  if (!ow_store_run_stmt (self, stmt, doing, error)
      || !ow_store_insert_audit (self, NULL, "outbox-revived", key, NULL, error)
      || !ow_store_commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);
  return TRUE;

fail:
  ow_store_rollback (self);
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

  stmt = ow_store_prepare (self, "SELECT key FROM outbox WHERE id = ?", doing, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    key = ow_store_column_dup_text (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                 _("Change %lld is no longer in the outbox"), (long long) id);
  else
    ow_store_set_sqlite_error (self, rc, doing, error);
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
  ow_store_exec_sql (self, "PRAGMA synchronous = NORMAL", doing, NULL);
  if (!ow_store_begin (self, doing, error))
    goto fail;
  key = outbox_key (self, id, doing, error);
  if (key == NULL)
    goto fail;
  /* The platform holds the file from now on: later cases with the same page skip it. */
  stmt = ow_store_prepare (self,
                           "INSERT OR IGNORE INTO uploaded_files (sha256, uploaded_at)"
                           "  SELECT body_file, ? FROM outbox WHERE id = ? AND body_file IS NOT NULL",
                           doing, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 2, id);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    goto fail;
  stmt = ow_store_prepare (self, "DELETE FROM outbox WHERE id = ?", doing, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!ow_store_run_stmt (self, stmt, doing, error)
      || !ow_store_insert_audit (self, NULL, "outbox-sent", key, "ok", error)
      || !ow_store_commit (self, doing, error))
    goto fail;
  ow_store_exec_sql (self, "PRAGMA synchronous = FULL", doing, NULL);
  g_mutex_unlock (&self->lock);
  return TRUE;

fail:
  ow_store_rollback (self);
  ow_store_exec_sql (self, "PRAGMA synchronous = FULL", doing, NULL);
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
  if (!ow_store_begin (self, doing, error))
    goto fail;
  key = outbox_key (self, id, doing, error);
  if (key == NULL)
    goto fail;
  stmt = ow_store_prepare (self,
                           "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?,"
                           "  dead = ? WHERE id = ?",
                           doing, error);
  if (stmt == NULL)
    goto fail;
  ow_store_bind_text (stmt, 1, message);
  sqlite3_bind_int64 (stmt, 2, next_attempt);
  sqlite3_bind_int (stmt, 3, dead ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, id);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    goto fail;
  /* A refusal needs a person, so it belongs in the log; a retry is routine. */
  if (dead && !ow_store_insert_audit (self, NULL, "outbox-refused", key, message, error))
    goto fail;
  if (!ow_store_commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);
  return TRUE;

fail:
  ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

