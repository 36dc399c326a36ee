/* ow-platform-pg-tickets.c — tickets, ratings and the statistics on PostgreSQL
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-ticket.h"
#include "platform/ow-platform-pg-private.h"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* The first text column of the first row of @sql with one parameter @value: TRUE with *@text
 * NULL when there is no row. */
static gboolean
select_text (OwPlatformPg  *db,
             const char    *sql,
             const char    *value,
             char         **text,
             GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  *text = NULL;
  ow_pg_param_text (&params, value);
  if ((result = ow_platform_pg_exec (db, sql, &params, FALSE, error)) == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *text = ow_pg_dup (result, 0, 0);
  return TRUE;
}

static GPtrArray *
collect_bodies (PGresult *result)
{
  GPtrArray *bodies = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (bodies, ow_pg_dup (result, i, 0));
  return bodies;
}

/* Tickets ---------------------------------------------------------------------------------- */

gboolean
ow_platform_pg_put_ticket (OwPlatformDb         *base,
                           const char           *id,
                           const char           *body,
                           const char           *due_date,
                           const char           *username,
                           OwPlatformPutResult  *result,
                           GError              **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) inserted = NULL;
  g_autofree char *stored = NULL;
  OwPgParams params = { 0, };

  if (!ow_platform_pg_begin_write (db, error))
    return FALSE;

  ow_pg_param_text (&params, id);
  ow_pg_param_text (&params, body);
  ow_pg_param_text (&params, due_date);
  ow_pg_param_text (&params, username);
  ow_pg_param_int (&params, now_seconds ());
  inserted = ow_platform_pg_exec (db,
                                  "INSERT INTO tickets (id, body, state, assignee, due_date, "
                                  "created_by, created_at, updated_at) VALUES ($1, $2, "
                                  "'registered', NULL, $3, $4, $5::bigint, $5::bigint) "
                                  "ON CONFLICT (id) DO NOTHING", &params, FALSE, error);
  if (inserted == NULL)
    goto fail;
  if (ow_pg_affected (inserted) == 0)
    {
      if (!select_text (db, "SELECT body FROM tickets WHERE id = $1", id, &stored, error))
        goto fail;
      *result = g_strcmp0 (stored, body) == 0 ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
      ow_platform_pg_rollback_write (db);
      return TRUE;
    }
  if (!ow_platform_pg_append_change_for (base, "ticket", id, NULL, NULL, NULL, error) ||
      !ow_platform_pg_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  return TRUE;

fail:
  ow_platform_pg_rollback_write (db);
  return FALSE;
}

static OwPlatformTicketRow *
ticket_from_row (PGresult *result,
                 int       row)
{
  OwPlatformTicketRow *ticket = g_new0 (OwPlatformTicketRow, 1);

  ticket->body = ow_pg_dup (result, row, 0);
  ticket->state = ow_pg_dup (result, row, 1);
  ticket->assignee = ow_pg_dup (result, row, 2);
  ticket->due_date = ow_pg_dup (result, row, 3);
  ticket->escalated_at = ow_pg_int (result, row, 4);
  ticket->hall = ow_pg_dup (result, row, 5);
  return ticket;
}

OwPlatformTicketRow *
ow_platform_pg_get_ticket (OwPlatformDb  *base,
                           const char    *id,
                           GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, id);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT body, state, assignee, due_date, "
                                "coalesce(escalated_at, 0), body::jsonb ->> 'hall' "
                                "FROM tickets WHERE id = $1", &params, FALSE, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return ticket_from_row (result, 0);
}

GPtrArray *
ow_platform_pg_list_tickets (OwPlatformDb  *base,
                             const char    *state,
                             const char    *assignee,
                             const char    *overdue_on,
                             GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *rows;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, state);
  ow_pg_param_text (&params, assignee);
  ow_pg_param_text (&params, overdue_on);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT body, state, assignee, due_date, "
                                "coalesce(escalated_at, 0), body::jsonb ->> 'hall' "
                                "FROM tickets "
                                "WHERE ($1::text IS NULL OR state = $1) "
                                "AND ($2::text IS NULL OR assignee = $2) "
                                "AND ($3::text IS NULL OR (due_date < $3 AND state IN "
                                "('registered', 'assigned', 'in-progress'))) "
                                "ORDER BY created_at, ord LIMIT 1000", &params, FALSE, error);
  if (result == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_ticket_row_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (rows, ticket_from_row (result, i));
  return rows;
}

/* Whether event @id is stored: on @ticket_id as @body (SAME) or otherwise (CONFLICT). */
static gboolean
find_ticket_event (OwPlatformPg         *db,
                   const char           *ticket_id,
                   const char           *id,
                   const char           *body,
                   gboolean             *found,
                   OwPlatformPutResult  *result,
                   GError              **error)
{
  g_autoptr(PGresult) stored = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, id);
  stored = ow_platform_pg_exec (db, "SELECT body, ticket_id FROM ticket_events WHERE id = $1",
                                &params, FALSE, error);
  if (stored == NULL)
    return FALSE;
  *found = PQntuples (stored) > 0;
  if (*found)
    *result = g_str_equal (PQgetvalue (stored, 0, 0), body) &&
              g_str_equal (PQgetvalue (stored, 0, 1), ticket_id)
                ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
  return TRUE;
}

gboolean
ow_platform_pg_add_ticket_event (OwPlatformDb         *base,
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
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(PGresult) updated = NULL;
  g_autoptr(GError) illegal = NULL;
  g_autofree char *current = NULL;
  g_autofree char *owner = NULL;
  OwTicketState state, next;
  OwTicketEventKind event_kind;
  OwPgParams params = { 0, }, move = { 0, };
  gboolean found;

  if (!ow_platform_pg_begin_write (db, error))
    return FALSE;

  if (!find_ticket_event (db, ticket_id, id, body, &found, result, error))
    goto fail;
  if (found)
    goto done;
  /* As for cases: the ticket's row lock orders its events across processes. */
  if (!select_text (db, "SELECT state FROM tickets WHERE id = $1 FOR UPDATE", ticket_id,
                    &current, error))
    goto fail;
  if (current == NULL)
    {
      *result = OW_PLATFORM_PUT_NOT_FOUND;
      goto done;
    }
  if (!find_ticket_event (db, ticket_id, id, body, &found, result, error))
    goto fail;
  if (found)
    goto done;

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
      goto done;
    }

  ow_pg_param_text (&params, id);
  ow_pg_param_text (&params, ticket_id);
  ow_pg_param_text (&params, kind);
  ow_pg_param_text (&params, body);
  ow_pg_param_text (&params, username);
  ow_pg_param_int (&params, now_seconds ());
  inserted = ow_platform_pg_exec (db,
                                  "INSERT INTO ticket_events (id, ticket_id, kind, body, "
                                  "created_by, created_at) VALUES ($1, $2, $3, $4, $5, "
                                  "$6::bigint) ON CONFLICT (id) DO NOTHING",
                                  &params, FALSE, error);
  if (inserted == NULL)
    goto fail;
  if (ow_pg_affected (inserted) == 0)
    {
      /* Taken meanwhile by an event of another ticket. */
      if (!find_ticket_event (db, ticket_id, id, body, &found, result, error))
        goto fail;
      goto done;
    }

  ow_pg_param_text (&move, ow_ticket_state_to_string (next));
  ow_pg_param_text (&move, assignee);
  ow_pg_param_int (&move, now_seconds ());
  ow_pg_param_text (&move, ticket_id);
  updated = ow_platform_pg_exec (db,
                                 "UPDATE tickets SET state = $1, assignee = coalesce($2, "
                                 "assignee), updated_at = $3::bigint WHERE id = $4 "
                                 "RETURNING assignee", &move, FALSE, error);
  if (updated == NULL)
    goto fail;
  /* Each step is news for whoever the ticket is assigned to (after it): the feed names them. */
  owner = PQntuples (updated) > 0 ? ow_pg_dup (updated, 0, 0) : NULL;
  if (!ow_platform_pg_append_change_for (base, "ticket", ticket_id, owner, NULL, NULL, error) ||
      !ow_platform_pg_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  return TRUE;

done:
  ow_platform_pg_rollback_write (db);
  return TRUE;

fail:
  ow_platform_pg_rollback_write (db);
  return FALSE;
}

GPtrArray *
ow_platform_pg_list_ticket_events (OwPlatformDb  *base,
                                   const char    *ticket_id,
                                   GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, ticket_id);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT body FROM ticket_events WHERE ticket_id = $1 "
                                "ORDER BY ord", &params, FALSE, error);
  return result != NULL ? collect_bodies (result) : NULL;
}

gboolean
ow_platform_pg_escalate_tickets (OwPlatformDb  *base,
                                 const char    *today,
                                 gint64         now,
                                 guint         *escalated,
                                 GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) due = NULL;
  g_autoptr(PGresult) marked = NULL;
  OwPgParams look = { 0, }, params = { 0, };

  *escalated = 0;

  /* Looked for outside a transaction: this runs before every reading of tickets, and almost
   * always finds nothing, which must not cost a lock. */
  ow_pg_param_text (&look, today);
  due = ow_platform_pg_exec (db,
                             "SELECT 1 FROM tickets WHERE escalated_at IS NULL "
                             "AND state IN ('registered', 'assigned', 'in-progress') "
                             "AND due_date < $1 LIMIT 1", &look, FALSE, error);
  if (due == NULL)
    return FALSE;
  if (PQntuples (due) == 0)
    return TRUE;

  /* Escalations take turns across processes; whoever comes second finds them marked. Once: a
   * ticket escalated stays so, and its assignee's later steps are ordinary news. */
  if (!ow_platform_pg_begin_write (db, error) ||
      !ow_platform_pg_lock (db, OW_PG_LOCK_ESCALATING, error))
    goto fail;
  ow_pg_param_int (&params, now);
  ow_pg_param_int (&params, now_seconds ());
  ow_pg_param_text (&params, today);
  marked = ow_platform_pg_exec (db,
                                "WITH due AS (SELECT id FROM tickets WHERE escalated_at IS NULL "
                                "AND state IN ('registered', 'assigned', 'in-progress') "
                                "AND due_date < $3 FOR UPDATE), "
                                "marked AS (UPDATE tickets t SET escalated_at = $1::bigint, "
                                "updated_at = $2::bigint FROM due WHERE t.id = due.id "
                                "RETURNING t.id, t.assignee, t.due_date, t.created_at, t.ord) "
                                "SELECT id, assignee FROM marked "
                                "ORDER BY due_date COLLATE \"C\", created_at, ord",
                                &params, FALSE, error);
  if (marked == NULL)
    goto fail;
  /* The feed's lock last, after the tickets' rows (see ow-platform-pg-cases.c). */
  for (int i = 0; i < PQntuples (marked); i++)
    {
      g_autofree char *id = ow_pg_dup (marked, i, 0);
      g_autofree char *owner = ow_pg_dup (marked, i, 1);

      if (!ow_platform_pg_append_change_for (base, "ticket", id, owner, "supervisor", NULL,
                                             error))
        goto fail;
    }
  if (!ow_platform_pg_commit_write (db, error))
    goto fail;
  *escalated = (guint) PQntuples (marked);
  return TRUE;

fail:
  ow_platform_pg_rollback_write (db);
  return FALSE;
}

/* Ratings ---------------------------------------------------------------------------------- */

gboolean
ow_platform_pg_put_rating (OwPlatformDb         *base,
                           const char           *id,
                           const char           *case_no,
                           const char           *channel,
                           int                   level,
                           const char           *body,
                           const char           *username,
                           OwPlatformPutResult  *result,
                           GError              **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) inserted = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *exists = NULL;
  OwPgParams params = { 0, };

  if (!ow_platform_pg_begin_write (db, error))
    return FALSE;

  if (!select_text (db, "SELECT body FROM ratings WHERE id = $1", id, &stored, error))
    goto fail;
  if (stored != NULL)
    goto compare;
  if (!select_text (db, "SELECT case_no FROM cases WHERE case_no = $1", case_no, &exists,
                    error))
    goto fail;
  if (exists == NULL)
    {
      *result = OW_PLATFORM_PUT_NOT_FOUND;
      ow_platform_pg_rollback_write (db);
      return TRUE;
    }

  /* Either unique key may stop it: the id (a resend, or another rating under it) or the case's
   * one on-site rating (ratings_on_site), also against a request racing through another
   * process. */
  ow_pg_param_text (&params, id);
  ow_pg_param_text (&params, case_no);
  ow_pg_param_text (&params, channel);
  ow_pg_param_int (&params, level);
  ow_pg_param_text (&params, body);
  ow_pg_param_text (&params, username);
  ow_pg_param_int (&params, now_seconds ());
  inserted = ow_platform_pg_exec (db,
                                  "INSERT INTO ratings (id, case_no, channel, level, body, "
                                  "created_by, created_at) VALUES ($1, $2, $3, $4::integer, $5, "
                                  "$6, $7::bigint) ON CONFLICT DO NOTHING",
                                  &params, FALSE, error);
  if (inserted == NULL)
    goto fail;
  if (ow_pg_affected (inserted) == 0)
    {
      if (!select_text (db, "SELECT body FROM ratings WHERE id = $1", id, &stored, error))
        goto fail;
      if (stored != NULL)
        goto compare;
      *result = OW_PLATFORM_PUT_DUPLICATE;
      ow_platform_pg_rollback_write (db);
      return TRUE;
    }
  if (!ow_platform_pg_append_change_for (base, "rating", id, NULL, NULL, NULL, error) ||
      !ow_platform_pg_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  return TRUE;

compare:
  *result = g_str_equal (stored, body) ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
  ow_platform_pg_rollback_write (db);
  return TRUE;

fail:
  ow_platform_pg_rollback_write (db);
  return FALSE;
}

char *
ow_platform_pg_get_rating (OwPlatformDb  *base,
                           const char    *id,
                           GError       **error)
{
  g_autofree char *body = NULL;

  if (!select_text (OW_PLATFORM_PG (base), "SELECT body FROM ratings WHERE id = $1", id, &body,
                    error))
    return NULL;
  return g_steal_pointer (&body);
}

/* Statistics ------------------------------------------------------------------------------- */

GHashTable *
ow_platform_pg_count_cases_by_state (OwPlatformDb  *base,
                                     GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  GHashTable *counts;

  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT state, count(*) FROM cases GROUP BY state", NULL, FALSE,
                                error);
  if (result == NULL)
    return NULL;
  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < PQntuples (result); i++)
    g_hash_table_insert (counts, ow_pg_dup (result, i, 0),
                         GINT_TO_POINTER ((int) ow_pg_int (result, i, 1)));
  return counts;
}

GPtrArray *
ow_platform_pg_list_late_cases (OwPlatformDb  *base,
                                const char    *before,
                                GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *cases;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, before);
  /* Only where the clock runs (ow_case_state_clock_runs): a supplement or a special procedure
   * stops it, and a decided case is late no more. */
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT case_no, state, promised FROM (SELECT case_no, state, "
                                "coalesce(amended, body)::jsonb ->> 'promised_date' AS promised "
                                "FROM cases WHERE state IN ('received', 'accepted')) AS open "
                                "WHERE promised < $1 "
                                "ORDER BY promised COLLATE \"C\", case_no COLLATE \"C\"",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_open_case_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      OwPlatformOpenCase *open_case = g_new0 (OwPlatformOpenCase, 1);

      open_case->case_no = ow_pg_dup (result, i, 0);
      open_case->state = ow_pg_dup (result, i, 1);
      open_case->promised_date = ow_pg_dup (result, i, 2);
      g_ptr_array_add (cases, open_case);
    }
  return cases;
}

static gboolean
count (OwPlatformPg  *db,
       const char    *sql,
       const char    *value,
       gint64        *n,
       GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  if (value != NULL)
    ow_pg_param_text (&params, value);
  if ((result = ow_platform_pg_exec (db, sql, &params, FALSE, error)) == NULL)
    return FALSE;
  *n = ow_pg_int (result, 0, 0);
  return TRUE;
}

gboolean
ow_platform_pg_count_tickets (OwPlatformDb  *base,
                              const char    *today,
                              gint64        *open,
                              gint64        *overdue,
                              GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);

  return count (db, "SELECT count(*) FROM tickets "
                    "WHERE state IN ('registered', 'assigned', 'in-progress')", NULL, open,
                error) &&
         count (db, "SELECT count(*) FROM tickets "
                    "WHERE state IN ('registered', 'assigned', 'in-progress') "
                    "AND due_date < $1", today, overdue, error);
}

gboolean
ow_platform_pg_count_ratings (OwPlatformDb  *base,
                              gint64        *total,
                              gint64        *poor,
                              gint64        *unfollowed,
                              GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);

  return count (db, "SELECT count(*) FROM ratings", NULL, total, error) &&
         count (db, "SELECT count(*) FROM ratings WHERE level >= 4", NULL, poor, error) &&
         count (db, "SELECT count(*) FROM ratings r WHERE r.level >= 4 AND NOT EXISTS "
                    "(SELECT 1 FROM tickets t WHERE t.body::jsonb ->> 'rating_id' = r.id)",
                NULL, unfollowed, error);
}
