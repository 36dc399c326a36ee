/* ow-platform-sqlite-tickets.c — tickets, ratings and the statistics on SQLite
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-ticket.h"
#include "platform/ow-platform-sqlite-private.h"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Reads one text column of the first row of @stmt (bound by the caller); NULL when no row. */
static gboolean
step_one_text (OwPlatformSqlite  *db,
               sqlite3_stmt      *stmt,
               char             **text,
               GError           **error)
{
  int rc = sqlite3_step (stmt);

  *text = rc == SQLITE_ROW ? ow_platform_sqlite_column_dup (stmt, 0) : NULL;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}

static gboolean
step_count (OwPlatformSqlite  *db,
            sqlite3_stmt      *stmt,
            gint64            *count,
            GError           **error)
{
  int rc = sqlite3_step (stmt);

  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}

static GPtrArray *
collect_bodies (OwPlatformSqlite  *db,
                sqlite3_stmt      *stmt,
                GError           **error)
{
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  int rc;

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

/* Tickets ---------------------------------------------------------------------------------- */

gboolean
ow_platform_sqlite_put_ticket (OwPlatformDb         *base,
                               const char           *id,
                               const char           *body,
                               const char           *due_date,
                               const char           *username,
                               OwPlatformPutResult  *result,
                               GError              **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autofree char *stored = NULL;
  sqlite3_stmt *stmt;
  gint64 now = now_seconds ();

  if (!ow_platform_sqlite_begin_write (db, error))
    return FALSE;

  if ((stmt = ow_platform_sqlite_prepare (db, "SELECT body FROM tickets WHERE id = ?",
                                          error)) == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  if (!step_one_text (db, stmt, &stored, error))
    goto fail;
  if (stored != NULL)
    {
      *result = g_str_equal (stored, body) ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT INTO tickets (id, body, state, assignee, due_date, "
                                     "created_by, created_at, updated_at) "
                                     "VALUES (?, ?, 'registered', NULL, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  ow_platform_sqlite_bind_text (stmt, 2, body);
  ow_platform_sqlite_bind_text (stmt, 3, due_date);
  ow_platform_sqlite_bind_text (stmt, 4, username);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!ow_platform_sqlite_step_done (db, stmt, error) ||
      !ow_platform_sqlite_append_change_for (&db->parent, "ticket", id, NULL, NULL, NULL, error) ||
      !ow_platform_sqlite_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  return TRUE;

fail:
  ow_platform_sqlite_rollback_write (db);
  return FALSE;
}

static OwPlatformTicketRow *
ticket_from_row (sqlite3_stmt *stmt)
{
  OwPlatformTicketRow *row = g_new0 (OwPlatformTicketRow, 1);

  row->body = ow_platform_sqlite_column_dup (stmt, 0);
  row->state = ow_platform_sqlite_column_dup (stmt, 1);
  row->assignee = ow_platform_sqlite_column_dup (stmt, 2);
  row->due_date = ow_platform_sqlite_column_dup (stmt, 3);
  row->escalated_at = sqlite3_column_int64 (stmt, 4);
  row->hall = ow_platform_sqlite_column_dup (stmt, 5);
  return row;
}

OwPlatformTicketRow *
ow_platform_sqlite_get_ticket (OwPlatformDb  *base,
                               const char    *id,
                               GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  OwPlatformTicketRow *row = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT body, state, assignee, due_date, "
                                     "coalesce(escalated_at, 0), json_extract(body, '$.hall') "
                                     "FROM tickets WHERE id = ?",
                                     error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row = ticket_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return row;
}

GPtrArray *
ow_platform_sqlite_list_tickets (OwPlatformDb  *base,
                                 const char    *state,
                                 const char    *assignee,
                                 const char    *overdue_on,
                                 GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT body, state, assignee, due_date, "
                                     "coalesce(escalated_at, 0), json_extract(body, '$.hall') "
                                     "FROM tickets "
                                     "WHERE (?1 IS NULL OR state = ?1) "
                                     "AND (?2 IS NULL OR assignee = ?2) "
                                     "AND (?3 IS NULL OR (due_date < ?3 AND state IN "
                                     "('registered', 'assigned', 'in-progress'))) "
                                     "ORDER BY created_at, rowid LIMIT 1000", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, state);
  ow_platform_sqlite_bind_text (stmt, 2, assignee);
  ow_platform_sqlite_bind_text (stmt, 3, overdue_on);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_ticket_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, ticket_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
ow_platform_sqlite_add_ticket_event (OwPlatformDb         *base,
                                     const char           *ticket_id,
                                     const char           *id,
                                     const char           *kind,
                                     const char           *body,
                                     const char           *assignee,
                                     const char           *username,
                                     OwPlatformPutResult  *result,
                                     char                **reason,
                                     GError              **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autofree char *stored = NULL;
  g_autofree char *current = NULL;
  g_autofree char *owner = NULL;
  g_autoptr(GError) illegal = NULL;
  OwTicketState state, next;
  OwTicketEventKind event_kind;
  sqlite3_stmt *stmt;

  if (!ow_platform_sqlite_begin_write (db, error))
    return FALSE;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT body FROM ticket_events WHERE id = ?1 AND ticket_id = "
                                     "?2 UNION ALL SELECT '' FROM ticket_events WHERE id = ?1 AND "
                                     "ticket_id <> ?2", error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  ow_platform_sqlite_bind_text (stmt, 2, ticket_id);
  if (!step_one_text (db, stmt, &stored, error))
    goto fail;
  if (stored != NULL)
    {
      *result = g_str_equal (stored, body) ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  if ((stmt = ow_platform_sqlite_prepare (db, "SELECT state FROM tickets WHERE id = ?",
                                          error)) == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, ticket_id);
  if (!step_one_text (db, stmt, &current, error))
    goto fail;
  if (current == NULL)
    {
      *result = OW_PLATFORM_PUT_NOT_FOUND;
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }
  if (!ow_ticket_state_from_string (current, &state) ||
      !ow_ticket_event_kind_from_string (kind, &event_kind))
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                   "ticket %s has the unknown state “%s” or event “%s”", ticket_id, current, kind);
      goto fail;
    }
  if (!ow_ticket_state_apply (state, event_kind, &next, &illegal))
    {
      *result = OW_PLATFORM_PUT_ILLEGAL;
      if (reason != NULL)
        *reason = g_strdup (illegal->message);
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT INTO ticket_events (id, ticket_id, kind, body, "
                                     "created_by, "
                                     "created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  ow_platform_sqlite_bind_text (stmt, 2, ticket_id);
  ow_platform_sqlite_bind_text (stmt, 3, kind);
  ow_platform_sqlite_bind_text (stmt, 4, body);
  ow_platform_sqlite_bind_text (stmt, 5, username);
  sqlite3_bind_int64 (stmt, 6, now_seconds ());
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    goto fail;

  stmt = ow_platform_sqlite_prepare (db,
                                     "UPDATE tickets SET state = ?, assignee = coalesce(?, "
                                     "assignee), updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, ow_ticket_state_to_string (next));
  ow_platform_sqlite_bind_text (stmt, 2, assignee);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  ow_platform_sqlite_bind_text (stmt, 4, ticket_id);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    goto fail;
  /* Each step is news for whoever the ticket is assigned to (after it): the feed names them. */
  if ((stmt = ow_platform_sqlite_prepare (db, "SELECT assignee FROM tickets WHERE id = ?", error))
      == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, ticket_id);
  if (!step_one_text (db, stmt, &owner, error) ||
      !ow_platform_sqlite_append_change_for (&db->parent, "ticket", ticket_id, owner, NULL, NULL,
                                                 error) ||
      !ow_platform_sqlite_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  return TRUE;

fail:
  ow_platform_sqlite_rollback_write (db);
  return FALSE;
}

GPtrArray *
ow_platform_sqlite_list_ticket_events (OwPlatformDb  *base,
                                       const char    *ticket_id,
                                       GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT body FROM ticket_events WHERE ticket_id = ? ORDER BY "
                                     "rowid",
                                     error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, ticket_id);
  return collect_bodies (db, stmt, error);
}

gboolean
ow_platform_sqlite_escalate_tickets (OwPlatformDb  *base,
                                     const char    *today,
                                     gint64         now,
                                     guint         *escalated,
                                     GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) owners = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  *escalated = 0;

  /* Looked for outside a transaction: this runs before every reading of tickets, and almost
   * always finds nothing, which must not cost a write lock. The UPDATE below checks again. */
  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT id, assignee FROM tickets WHERE escalated_at IS NULL "
                                     "AND state IN ('registered', 'assigned', 'in-progress') "
                                     "AND due_date < ? ORDER BY due_date, created_at", error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, today);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (due, ow_platform_sqlite_column_dup (stmt, 0));
      g_ptr_array_add (owners, ow_platform_sqlite_column_dup (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  if (due->len == 0)
    return TRUE;

  if (!ow_platform_sqlite_begin_write (db, error))
    return FALSE;
  for (guint i = 0; i < due->len; i++)
    {
      const char *id = g_ptr_array_index (due, i);

      /* Once: a ticket escalated stays so (another process may have been first), and its
       * assignee's later steps are ordinary news. */
      stmt = ow_platform_sqlite_prepare (db,
                                         "UPDATE tickets SET escalated_at = ?, updated_at = ? "
                                         "WHERE id = ? AND escalated_at IS NULL", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, now_seconds ());
      ow_platform_sqlite_bind_text (stmt, 3, id);
      if (!ow_platform_sqlite_step_done (db, stmt, error))
        goto fail;
      if (sqlite3_changes (db->handle) == 0)
        continue;
      if (!ow_platform_sqlite_append_change_for (&db->parent, "ticket", id,
                                                 g_ptr_array_index (owners, i),
                                                 "supervisor", NULL, error))
        goto fail;
      (*escalated)++;
    }
  if (!ow_platform_sqlite_commit_write (db, error))
    {
      *escalated = 0;
      goto fail;
    }
  return TRUE;

fail:
  ow_platform_sqlite_rollback_write (db);
  return FALSE;
}

/* Ratings ---------------------------------------------------------------------------------- */

gboolean
ow_platform_sqlite_put_rating (OwPlatformDb         *base,
                               const char           *id,
                               const char           *case_no,
                               const char           *channel,
                               int                   level,
                               const char           *body,
                               const char           *username,
                               OwPlatformPutResult  *result,
                               GError              **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autofree char *stored = NULL;
  g_autofree char *exists = NULL;
  g_autofree char *other = NULL;
  sqlite3_stmt *stmt;

  if (!ow_platform_sqlite_begin_write (db, error))
    return FALSE;

  if ((stmt = ow_platform_sqlite_prepare (db, "SELECT body FROM ratings WHERE id = ?",
                                          error)) == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  if (!step_one_text (db, stmt, &stored, error))
    goto fail;
  if (stored != NULL)
    {
      *result = g_str_equal (stored, body) ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  if ((stmt = ow_platform_sqlite_prepare (db, "SELECT case_no FROM cases WHERE case_no = ?", error))
      == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, case_no);
  if (!step_one_text (db, stmt, &exists, error))
    goto fail;
  if (exists == NULL)
    {
      *result = OW_PLATFORM_PUT_NOT_FOUND;
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT id FROM ratings WHERE case_no = ? AND channel = "
                                     "'on-site' AND ? = 'on-site'", error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, case_no);
  ow_platform_sqlite_bind_text (stmt, 2, channel);
  if (!step_one_text (db, stmt, &other, error))
    goto fail;
  if (other != NULL)
    {
      *result = OW_PLATFORM_PUT_DUPLICATE;
      ow_platform_sqlite_rollback_write (db);
      return TRUE;
    }

  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT INTO ratings (id, case_no, channel, level, body, "
                                     "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  ow_platform_sqlite_bind_text (stmt, 2, case_no);
  ow_platform_sqlite_bind_text (stmt, 3, channel);
  sqlite3_bind_int (stmt, 4, level);
  ow_platform_sqlite_bind_text (stmt, 5, body);
  ow_platform_sqlite_bind_text (stmt, 6, username);
  sqlite3_bind_int64 (stmt, 7, now_seconds ());
  if (!ow_platform_sqlite_step_done (db, stmt, error) ||
      !ow_platform_sqlite_append_change_for (&db->parent, "rating", id, NULL, NULL, NULL, error) ||
      !ow_platform_sqlite_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  return TRUE;

fail:
  ow_platform_sqlite_rollback_write (db);
  return FALSE;
}

char *
ow_platform_sqlite_get_rating (OwPlatformDb  *base,
                               const char    *id,
                               GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autofree char *body = NULL;
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db, "SELECT body FROM ratings WHERE id = ?",
                                                   error);

  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  if (!step_one_text (db, stmt, &body, error))
    return NULL;
  return g_steal_pointer (&body);
}

/* Statistics ------------------------------------------------------------------------------- */

GHashTable *
ow_platform_sqlite_count_cases_by_state (OwPlatformDb  *base,
                                         GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db, "SELECT state, count(*) FROM cases GROUP BY state", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, ow_platform_sqlite_column_dup (stmt, 0),
                         GINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&counts);
}

GPtrArray *
ow_platform_sqlite_list_late_cases (OwPlatformDb  *base,
                                    const char    *before,
                                    GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) cases = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* Only where the clock runs (ow_case_state_clock_runs): a supplement or a special procedure
   * stops it, and a decided case is late no more. */
  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT case_no, state, promised FROM (SELECT case_no, state, "
                                     "json_extract(coalesce(amended, body), '$.promised_date') "
                                     "AS promised FROM cases "
                                     "WHERE state IN ('received', 'accepted')) "
                                     "WHERE promised < ? ORDER BY promised, case_no", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, before);
  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_open_case_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformOpenCase *open_case = g_new0 (OwPlatformOpenCase, 1);

      open_case->case_no = ow_platform_sqlite_column_dup (stmt, 0);
      open_case->state = ow_platform_sqlite_column_dup (stmt, 1);
      open_case->promised_date = ow_platform_sqlite_column_dup (stmt, 2);
      g_ptr_array_add (cases, open_case);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&cases);
}

gboolean
ow_platform_sqlite_count_tickets (OwPlatformDb  *base,
                                  const char    *today,
                                  gint64        *open,
                                  gint64        *overdue,
                                  GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT count(*) FROM tickets WHERE state IN ('registered', "
                                     "'assigned', 'in-progress')", error);
  if (stmt == NULL || !step_count (db, stmt, open, error))
    return FALSE;
  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT count(*) FROM tickets "
                                     "WHERE state IN ('registered', 'assigned', 'in-progress') "
                                     "AND due_date < ?", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, today);
  return step_count (db, stmt, overdue, error);
}

gboolean
ow_platform_sqlite_count_ratings (OwPlatformDb  *base,
                                  gint64        *total,
                                  gint64        *poor,
                                  gint64        *unfollowed,
                                  GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  if ((stmt = ow_platform_sqlite_prepare (db, "SELECT count(*) FROM ratings", error)) == NULL ||
      !step_count (db, stmt, total, error))
    return FALSE;
  if ((stmt = ow_platform_sqlite_prepare (db, "SELECT count(*) FROM ratings WHERE level >= 4",
                                          error)) == NULL ||
          !step_count (db, stmt, poor, error))
    return FALSE;
  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT count(*) FROM ratings r WHERE r.level >= 4 AND NOT "
                                     "EXISTS (SELECT 1 FROM tickets t WHERE json_extract(t.body, "
                                     "'$.rating_id') = r.id)", error);
  return stmt != NULL && step_count (db, stmt, unfollowed, error);
}
