/* ow-platform-sqlite-cases.c — cases, their events, files and the feed on SQLite
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scanned pages are kept in SQLite, not as files beside the database: a page and the case that
 * names it then live in one file that one backup copies whole, a crash never leaves a half-written
 * page behind (SQLite's transaction does what a temporary file and rename would), and a 300 KB page
 * reads as fast from a BLOB as from the file system. Pages are capped at 20 MiB, far below SQLite's
 * 1 GB limit on a BLOB.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case.h"
#include "core/ow-error.h"
#include "platform/ow-platform-sqlite-private.h"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* The changes feed ---------------------------------------------------------------------- */

gboolean
ow_platform_sqlite_append_change_for (OwPlatformDb  *base,
                                      const char    *kind,
                                      const char    *key,
                                      const char    *user,
                                      const char    *role,
                                      gint64        *seq,
                                      GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT INTO changes (kind, key, at, user, role) "
                                     "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, kind);
  ow_platform_sqlite_bind_text (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  ow_platform_sqlite_bind_text (stmt, 4, user);
  ow_platform_sqlite_bind_text (stmt, 5, role);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;
  if (seq != NULL)
    *seq = sqlite3_last_insert_rowid (db->handle);
  return TRUE;
}

GPtrArray *
ow_platform_sqlite_list_changes (OwPlatformDb  *base,
                                 gint64         since,
                                 guint          limit,
                                 GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) changes = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT seq, kind, key, at, user, role FROM changes WHERE seq "
                                     "> ? ORDER BY seq LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit);

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_change_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformChange *change = g_new0 (OwPlatformChange, 1);

      change->seq = sqlite3_column_int64 (stmt, 0);
      change->kind = ow_platform_sqlite_column_dup (stmt, 1);
      change->key = ow_platform_sqlite_column_dup (stmt, 2);
      change->at = sqlite3_column_int64 (stmt, 3);
      change->user = ow_platform_sqlite_column_dup (stmt, 4);
      change->role = ow_platform_sqlite_column_dup (stmt, 5);
      g_ptr_array_add (changes, change);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&changes);
}

gint64
ow_platform_sqlite_last_change (OwPlatformDb  *base,
                                GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db, "SELECT coalesce(max(seq), 0) FROM changes",
                                                   error);
  gint64 seq = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  else
    ow_platform_sqlite_set_sqlite_error (db, error, "read");
  sqlite3_reset (stmt);
  return seq;
}

/* Cases ------------------------------------------------------------------------------------ */

/* Records a change to @case_no in the feed and remembers its place for the case list. */
static gboolean
touch_case (OwPlatformSqlite  *db,
            const char        *case_no,
            const char        *kind,
            const char        *state,
            GError           **error)
{
  sqlite3_stmt *stmt;
  gint64 seq;

  if (!ow_platform_sqlite_append_change_for (&db->parent, kind, case_no, NULL, NULL, &seq, error))
    return FALSE;

  stmt = ow_platform_sqlite_prepare (db,
                                     "UPDATE cases SET change_seq = ?, updated_at = ?, "
                                     "state = coalesce(?, state) WHERE case_no = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  ow_platform_sqlite_bind_text (stmt, 3, state);
  ow_platform_sqlite_bind_text (stmt, 4, case_no);
  return ow_platform_sqlite_step_done (db, stmt, error);
}

gboolean
ow_platform_sqlite_put_case (OwPlatformDb         *base,
                             const char           *case_no,
                             const char           *body,
                             const char           *state,
                             const char           *hall,
                             guint                 counter,
                             const char           *username,
                             OwPlatformPutResult  *result,
                             GError              **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autofree char *stored = NULL;
  sqlite3_stmt *stmt;
  gint64 now = now_seconds ();
  int rc;

  if (!ow_platform_sqlite_begin_write (db, error))
    return FALSE;

  if ((stmt = ow_platform_sqlite_prepare (db, "SELECT body FROM cases WHERE case_no = ?", error))
      == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, case_no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    stored = ow_platform_sqlite_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      goto fail;
    }

  if (stored != NULL)
    {
      *result = g_str_equal (stored, body) ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT INTO cases (case_no, body, state, created_by, "
                                     "created_at, updated_at, hall, counter) VALUES (?, ?, ?, ?, "
                                     "?, ?, ?, ?)",
                                     error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, case_no);
  ow_platform_sqlite_bind_text (stmt, 2, body);
  ow_platform_sqlite_bind_text (stmt, 3, state);
  ow_platform_sqlite_bind_text (stmt, 4, username);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  ow_platform_sqlite_bind_text (stmt, 7, hall);
  sqlite3_bind_int64 (stmt, 8, counter);
  if (!ow_platform_sqlite_step_done (db, stmt, error) ||
      !touch_case (db, case_no, "case", NULL, error) ||
      !ow_platform_sqlite_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  return TRUE;

fail:
  ow_platform_sqlite_rollback_write (db);
  return FALSE;
}

char *
ow_platform_sqlite_get_case (OwPlatformDb  *base,
                             const char    *case_no,
                             char         **state,
                             GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  char *body = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = ow_platform_sqlite_prepare (db, "SELECT coalesce(amended, body), state FROM cases "
                                          "WHERE case_no = ?", error)) == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, case_no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      body = ow_platform_sqlite_column_dup (stmt, 0);
      if (state != NULL)
        *state = ow_platform_sqlite_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return body;
}

GPtrArray *
ow_platform_sqlite_list_cases (OwPlatformDb                *base,
                               const OwPlatformCaseFilter  *filter,
                               GError                     **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* One statement for every combination of filters: an absent filter binds NULL and matches
   * everything, so no SQL is ever assembled from the request. */
  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT coalesce(amended, body), state, change_seq, "
                                     "updated_at FROM cases WHERE change_seq > ?1 AND (?2 IS NULL "
                                     "OR state = ?2) AND (?3 IS NULL OR hall = ?3) AND (?4 IS NULL "
                                     "OR counter = ?4) AND (?5 IS NULL OR EXISTS (SELECT 1 FROM "
                                     "json_each(cases.body, '$.items') WHERE json_extract(value, "
                                     "'$.department') = ?5)) AND (?6 IS NULL OR updated_at >= ?6) "
                                     /* The pick-up window's look-up of an applicant. */
                                     "AND (?8 IS NULL OR upper(json_extract(coalesce(amended, "
                                     "body), '$.applicant.id_number')) = ?8) "
                                     "ORDER BY change_seq LIMIT ?7", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter->after);
  ow_platform_sqlite_bind_text (stmt, 2, filter->state);
  ow_platform_sqlite_bind_text (stmt, 3, filter->hall);
  if (filter->counter >= 0)
    sqlite3_bind_int64 (stmt, 4, filter->counter);
  ow_platform_sqlite_bind_text (stmt, 5, filter->department);
  if (filter->updated_since > 0)
    sqlite3_bind_int64 (stmt, 6, filter->updated_since);
  sqlite3_bind_int64 (stmt, 7, (gint64) filter->limit + 1);
  ow_platform_sqlite_bind_text (stmt, 8, filter->id_number);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_case_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformCaseRow *row = g_new0 (OwPlatformCaseRow, 1);

      row->body = ow_platform_sqlite_column_dup (stmt, 0);
      row->state = ow_platform_sqlite_column_dup (stmt, 1);
      row->change_seq = sqlite3_column_int64 (stmt, 2);
      row->updated_at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
ow_platform_sqlite_list_cases_naming_file (OwPlatformDb  *base,
                                           const char    *sha256,
                                           const char    *department,
                                           guint          limit,
                                           GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  /* Pages arrive with the case's PUT and with supplement events, both in the case as it stands;
   * the department narrows the search as the list's filter does. */
  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT coalesce(amended, body) FROM cases "
                                     "WHERE (?2 IS NULL OR EXISTS (SELECT 1 FROM "
                                     "json_each(cases.body, '$.items') "
                                     "WHERE json_extract(value, '$.department') = ?2)) "
                                     "AND EXISTS (SELECT 1 FROM "
                                     "json_each(coalesce(cases.amended, cases.body), "
                                     "'$.materials') m, json_each(m.value, '$.files') f "
                                     "WHERE f.value = ?1) "
                                     "ORDER BY change_seq LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, sha256);
  ow_platform_sqlite_bind_text (stmt, 2, department);
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (bodies, ow_platform_sqlite_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&bodies);
}

char **
ow_platform_sqlite_list_stale_cases (OwPlatformDb  *base,
                                     const char    *state,
                                     gint64         before,
                                     GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT case_no FROM cases WHERE state = ? AND updated_at <= "
                                     "? ORDER BY change_seq LIMIT 100", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, state);
  sqlite3_bind_int64 (stmt, 2, before);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (numbers, ow_platform_sqlite_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  g_ptr_array_add (numbers, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&numbers), FALSE);
}

/* Case events ------------------------------------------------------------------------------ */

gboolean
ow_platform_sqlite_add_case_event (OwPlatformDb         *base,
                                   const char           *case_no,
                                   const char           *id,
                                   const char           *kind,
                                   const char           *body,
                                   const char           *amended,
                                   const char           *username,
                                   OwPlatformPutResult  *result,
                                   char                **state,
                                   char                **reason,
                                   GError              **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autofree char *stored_body = NULL;
  g_autofree char *stored_case = NULL;
  g_autofree char *current = NULL;
  g_autoptr(GError) illegal = NULL;
  OwCaseState current_state, next_state;
  OwCaseEventKind event_kind;
  sqlite3_stmt *stmt;
  int rc;

  if (!ow_platform_sqlite_begin_write (db, error))
    return FALSE;

  stmt = ow_platform_sqlite_prepare (db, "SELECT body, case_no FROM case_events WHERE id = ?",
                                     error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      stored_body = ow_platform_sqlite_column_dup (stmt, 0);
      stored_case = ow_platform_sqlite_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      goto fail;
    }
  if (stored_body != NULL)
    {
      /* An id names one event for good: a resend is answered, anything else conflicts. */
      *result = g_str_equal (stored_body, body) && g_str_equal (stored_case, case_no)
                  ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  stmt = ow_platform_sqlite_prepare (db, "SELECT state FROM cases WHERE case_no = ?", error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, case_no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    current = ow_platform_sqlite_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      goto fail;
    }
  if (current == NULL)
    {
      *result = OW_PLATFORM_PUT_NOT_FOUND;
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  if (!ow_case_state_from_string (current, &current_state) ||
      !ow_case_event_kind_from_string (kind, &event_kind))
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                   "case %s has the unknown state “%s” or event “%s”", case_no, current, kind);
      goto fail;
    }
  if (!ow_case_state_apply (current_state, event_kind, &next_state, &illegal))
    {
      *result = OW_PLATFORM_PUT_ILLEGAL;
      if (reason != NULL)
        *reason = g_strdup (illegal->message);
      if (state != NULL)
        *state = g_steal_pointer (&current);
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT INTO case_events (id, case_no, kind, body, "
                                     "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  ow_platform_sqlite_bind_text (stmt, 2, case_no);
  ow_platform_sqlite_bind_text (stmt, 3, kind);
  ow_platform_sqlite_bind_text (stmt, 4, body);
  ow_platform_sqlite_bind_text (stmt, 5, username);
  sqlite3_bind_int64 (stmt, 6, now_seconds ());
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    goto fail;
  if (amended != NULL)
    {
      stmt = ow_platform_sqlite_prepare (db, "UPDATE cases SET amended = ? WHERE case_no = ?",
                                         error);
      if (stmt == NULL)
        goto fail;
      ow_platform_sqlite_bind_text (stmt, 1, amended);
      ow_platform_sqlite_bind_text (stmt, 2, case_no);
      if (!ow_platform_sqlite_step_done (db, stmt, error))
        goto fail;
    }
  if (!touch_case (db, case_no, "case-event", ow_case_state_to_string (next_state), error) ||
      !ow_platform_sqlite_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  if (state != NULL)
    *state = g_strdup (ow_case_state_to_string (next_state));
  return TRUE;

fail:
  ow_platform_sqlite_rollback_write (db);
  return FALSE;
}

gboolean
ow_platform_sqlite_has_case_event (OwPlatformDb  *base,
                                   const char    *id,
                                   gboolean      *exists,
                                   GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db, "SELECT 1 FROM case_events WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

GPtrArray *
ow_platform_sqlite_list_case_events (OwPlatformDb  *base,
                                     const char    *case_no,
                                     GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) bodies = NULL;
  g_autofree char *exists = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if ((exists = ow_platform_sqlite_get_case (&db->parent, case_no, NULL, error)) == NULL)
    return NULL;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT body FROM case_events WHERE case_no = ? ORDER BY "
                                     "rowid",
                                     error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, case_no);
  bodies = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (bodies, ow_platform_sqlite_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&bodies);
}

/* Files ------------------------------------------------------------------------------------ */

gboolean
ow_platform_sqlite_put_file (OwPlatformDb         *base,
                             const char           *sha256,
                             const char           *content_type,
                             GBytes               *data,
                             const char           *username,
                             OwPlatformPutResult  *result,
                             GError              **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  gsize size;
  gconstpointer bytes = g_bytes_get_data (data, &size);

  /* The name is the content's hash, so a second upload under it is the same bytes. */
  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT OR IGNORE INTO files (sha256, content_type, size, "
                                     "data, created_by, created_at) VALUES (?, ?, ?, ?, ?, "
                                     "?)", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, sha256);
  ow_platform_sqlite_bind_text (stmt, 2, content_type);
  sqlite3_bind_int64 (stmt, 3, (gint64) size);
  sqlite3_bind_blob64 (stmt, 4, bytes != NULL ? bytes : "", size, SQLITE_STATIC);
  ow_platform_sqlite_bind_text (stmt, 5, username);
  sqlite3_bind_int64 (stmt, 6, now_seconds ());
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;
  *result = sqlite3_changes (db->handle) > 0 ? OW_PLATFORM_PUT_CREATED : OW_PLATFORM_PUT_SAME;
  return TRUE;
}

GBytes *
ow_platform_sqlite_get_file (OwPlatformDb  *base,
                             const char    *sha256,
                             char         **content_type,
                             GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  GBytes *bytes = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db, "SELECT content_type, data FROM files WHERE sha256 = ?",
                                     error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *content_type = ow_platform_sqlite_column_dup (stmt, 0);
      bytes = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize) sqlite3_column_bytes (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return bytes;
}

gboolean
ow_platform_sqlite_has_file (OwPlatformDb  *base,
                             const char    *sha256,
                             gboolean      *exists,
                             GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db, "SELECT 1 FROM files WHERE sha256 = ?",
                                                   error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  *exists = rc == SQLITE_ROW;
  return TRUE;
}
