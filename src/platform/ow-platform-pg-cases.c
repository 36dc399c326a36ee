/* ow-platform-pg-cases.c — cases, their events, files and the changes feed on PostgreSQL
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The changes feed is one sequence for every process, read by cursor: a reader that has seen
 * seq N asks for what is after N. A sequence alone does not make that safe, since its values are
 * drawn when a row is inserted but become visible when the transaction commits: a transaction
 * holding seq 10 can commit after one holding seq 11, and a reader in between would move its
 * cursor to 11 and never see 10. So each append takes a transaction-level advisory lock (the
 * feed's) before it draws its seq, held until commit: seqs are drawn in the order of the commits
 * that make them visible, and PostgreSQL releases the lock only after the commit is visible, so
 * whoever draws the next seq finds the previous one committed. The lock is taken last in every
 * writing transaction (after its other rows are locked), so the writers serialise only over the
 * append and the commit, and no two can wait for each other in a cycle.
 *
 * The same transaction NOTIFYs the feed's channel, which PostgreSQL delivers at commit: the
 * processes listening (ow-platform-pg-watch.c) wake their long polls at once.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case.h"
#include "core/ow-error.h"
#include "platform/ow-platform-pg-private.h"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* The changes feed ------------------------------------------------------------------------- */

gboolean
ow_platform_pg_append_change_for (OwPlatformDb  *base,
                                  const char    *kind,
                                  const char    *key,
                                  const char    *user,
                                  const char    *role,
                                  gint64        *seq,
                                  GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) result = NULL;
  OwPgParams lock = { 0, }, params = { 0, };
  gboolean own = PQtransactionStatus (db->conn) == PQTRANS_IDLE;

  /* Outside a transaction, the lock would end with the statement: make one. */
  if (own && !ow_platform_pg_begin_write (db, error))
    return FALSE;

  ow_pg_param_int (&lock, OW_PG_LOCK_CLASS);
  ow_pg_param_int (&lock, OW_PG_LOCK_FEED);
  if (!ow_platform_pg_run (db,
                           "SELECT pg_advisory_xact_lock($1::integer, $2::integer), "
                           "pg_notify('" OW_PG_CHANGES_CHANNEL "', '')", &lock, error))
    goto fail;

  ow_pg_param_text (&params, kind);
  ow_pg_param_text (&params, key);
  ow_pg_param_int (&params, now_seconds ());
  ow_pg_param_text (&params, user);
  ow_pg_param_text (&params, role);
  result = ow_platform_pg_exec (db,
                                "INSERT INTO changes (kind, key, at, \"user\", role) "
                                "VALUES ($1, $2, $3::bigint, $4, $5) RETURNING seq",
                                &params, FALSE, error);
  if (result == NULL)
    goto fail;
  if (seq != NULL)
    *seq = ow_pg_int (result, 0, 0);
  if (own && !ow_platform_pg_commit_write (db, error))
    goto fail;
  return TRUE;

fail:
  if (own)
    ow_platform_pg_rollback_write (db);
  return FALSE;
}

GPtrArray *
ow_platform_pg_list_changes (OwPlatformDb  *base,
                             gint64         since,
                             guint          limit,
                             GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *changes;
  OwPgParams params = { 0, };

  ow_pg_param_int (&params, since);
  ow_pg_param_int (&params, limit);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT seq, kind, key, at, \"user\", role FROM changes "
                                "WHERE seq > $1::bigint ORDER BY seq LIMIT $2::bigint",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_change_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      OwPlatformChange *change = g_new0 (OwPlatformChange, 1);

      change->seq = ow_pg_int (result, i, 0);
      change->kind = ow_pg_dup (result, i, 1);
      change->key = ow_pg_dup (result, i, 2);
      change->at = ow_pg_int (result, i, 3);
      change->user = ow_pg_dup (result, i, 4);
      change->role = ow_pg_dup (result, i, 5);
      g_ptr_array_add (changes, change);
    }
  return changes;
}

gint64
ow_platform_pg_last_change (OwPlatformDb  *base,
                            GError       **error)
{
  g_autoptr(PGresult) result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                                    "SELECT coalesce(max(seq), 0) FROM changes",
                                                    NULL, FALSE, error);

  return result != NULL ? ow_pg_int (result, 0, 0) : -1;
}

/* Cases ------------------------------------------------------------------------------------ */

/* Records a change to @case_no in the feed and remembers its place for the case list; the case's
 * row is this transaction's already (inserted, or locked FOR UPDATE). */
static gboolean
touch_case (OwPlatformPg  *db,
            const char    *case_no,
            const char    *kind,
            const char    *state,
            GError       **error)
{
  OwPgParams params = { 0, };
  gint64 seq;

  if (!ow_platform_pg_append_change_for (&db->parent, kind, case_no, NULL, NULL, &seq, error))
    return FALSE;
  ow_pg_param_int (&params, seq);
  ow_pg_param_int (&params, now_seconds ());
  ow_pg_param_text (&params, state);
  ow_pg_param_text (&params, case_no);
  return ow_platform_pg_run (db,
                             "UPDATE cases SET change_seq = $1::bigint, updated_at = $2::bigint, "
                             "state = coalesce($3, state) WHERE case_no = $4", &params, error);
}

/* The body stored under @case_no, compared with @body. */
static gboolean
compare_case (OwPlatformPg         *db,
              const char           *case_no,
              const char           *body,
              OwPlatformPutResult  *result,
              GError              **error)
{
  g_autoptr(PGresult) stored = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, case_no);
  stored = ow_platform_pg_exec (db, "SELECT body FROM cases WHERE case_no = $1", &params, FALSE,
                                error);
  if (stored == NULL)
    return FALSE;
  if (PQntuples (stored) == 0)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                   "case %s conflicted on insert but is not there", case_no);
      return FALSE;
    }
  *result = g_str_equal (PQgetvalue (stored, 0, 0), body) ? OW_PLATFORM_PUT_SAME
                                                           : OW_PLATFORM_PUT_CONFLICT;
  return TRUE;
}

gboolean
ow_platform_pg_put_case (OwPlatformDb         *base,
                         const char           *case_no,
                         const char           *body,
                         const char           *state,
                         const char           *hall,
                         guint                 counter,
                         const char           *username,
                         OwPlatformPutResult  *result,
                         GError              **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) inserted = NULL;
  OwPgParams params = { 0, };
  gint64 now = now_seconds ();

  if (!ow_platform_pg_begin_write (db, error))
    return FALSE;

  /* Of two requests racing with one number, the unique key lets one insert; the other waits for
   * it to commit, inserts nothing, and compares its body with the one that won. */
  ow_pg_param_text (&params, case_no);
  ow_pg_param_text (&params, body);
  ow_pg_param_text (&params, state);
  ow_pg_param_text (&params, username);
  ow_pg_param_int (&params, now);
  ow_pg_param_text (&params, hall);
  ow_pg_param_int (&params, counter);
  inserted = ow_platform_pg_exec (db,
                                  "INSERT INTO cases (case_no, body, state, created_by, "
                                  "created_at, updated_at, hall, counter) VALUES ($1, $2, $3, $4, "
                                  "$5::bigint, $5::bigint, $6, $7::integer) "
                                  "ON CONFLICT (case_no) DO NOTHING", &params, FALSE, error);
  if (inserted == NULL)
    goto fail;
  if (ow_pg_affected (inserted) == 0)
    {
      gboolean ok = compare_case (db, case_no, body, result, error);

      ow_platform_pg_rollback_write (db);
      return ok;
    }
  if (!touch_case (db, case_no, "case", NULL, error) ||
      !ow_platform_pg_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  return TRUE;

fail:
  ow_platform_pg_rollback_write (db);
  return FALSE;
}

char *
ow_platform_pg_get_case (OwPlatformDb  *base,
                         const char    *case_no,
                         char         **state,
                         GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, case_no);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT coalesce(amended, body), state FROM cases "
                                "WHERE case_no = $1", &params, FALSE, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  if (state != NULL)
    *state = ow_pg_dup (result, 0, 1);
  return ow_pg_dup (result, 0, 0);
}

GPtrArray *
ow_platform_pg_list_cases (OwPlatformDb                *base,
                           const OwPlatformCaseFilter  *filter,
                           GError                     **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *rows;
  OwPgParams params = { 0, };

  ow_pg_param_int (&params, filter->after);
  ow_pg_param_text (&params, filter->state);
  ow_pg_param_text (&params, filter->hall);
  if (filter->counter >= 0)
    ow_pg_param_int (&params, filter->counter);
  else
    ow_pg_param_text (&params, NULL);
  ow_pg_param_text (&params, filter->department);
  if (filter->updated_since > 0)
    ow_pg_param_int (&params, filter->updated_since);
  else
    ow_pg_param_text (&params, NULL);
  ow_pg_param_int (&params, (gint64) filter->limit + 1);
  ow_pg_param_text (&params, filter->id_number);

  /* One statement for every combination of filters: an absent filter binds NULL and matches
   * everything, so no SQL is ever assembled from the request. */
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT coalesce(amended, body), state, change_seq, updated_at "
                                "FROM cases "
                                "WHERE change_seq > $1::bigint "
                                "AND ($2::text IS NULL OR state = $2) "
                                "AND ($3::text IS NULL OR hall = $3) "
                                "AND ($4::integer IS NULL OR counter = $4) "
                                "AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM "
                                "jsonb_array_elements(cases.body::jsonb -> 'items') AS item "
                                "WHERE item ->> 'department' = $5)) "
                                "AND ($6::bigint IS NULL OR updated_at >= $6) "
                                /* The pick-up window's look-up of an applicant. */
                                "AND ($8::text IS NULL OR upper(coalesce(amended, body)::jsonb "
                                "-> 'applicant' ->> 'id_number') = $8) "
                                "ORDER BY change_seq LIMIT $7::bigint",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_case_row_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      OwPlatformCaseRow *row = g_new0 (OwPlatformCaseRow, 1);

      row->body = ow_pg_dup (result, i, 0);
      row->state = ow_pg_dup (result, i, 1);
      row->change_seq = ow_pg_int (result, i, 2);
      row->updated_at = ow_pg_int (result, i, 3);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

GPtrArray *
ow_platform_pg_list_cases_naming_file (OwPlatformDb  *base,
                                       const char    *sha256,
                                       const char    *department,
                                       guint          limit,
                                       GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *bodies;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, sha256);
  ow_pg_param_text (&params, department);
  ow_pg_param_int (&params, limit);
  /* As SQLite's: the case as it stands names the page, the department narrows the search. */
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT coalesce(amended, body) FROM cases "
                                "WHERE ($2::text IS NULL OR EXISTS (SELECT 1 FROM "
                                "jsonb_array_elements(cases.body::jsonb -> 'items') AS item "
                                "WHERE item ->> 'department' = $2)) "
                                "AND EXISTS (SELECT 1 FROM jsonb_array_elements("
                                "coalesce(cases.amended, cases.body)::jsonb -> 'materials') AS m, "
                                "jsonb_array_elements_text(CASE jsonb_typeof(m -> 'files') "
                                "WHEN 'array' THEN m -> 'files' ELSE '[]'::jsonb END) AS f "
                                "WHERE f = $1) "
                                "ORDER BY change_seq LIMIT $3::bigint",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  bodies = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (bodies, ow_pg_dup (result, i, 0));
  return bodies;
}

char **
ow_platform_pg_list_stale_cases (OwPlatformDb  *base,
                                 const char    *state,
                                 gint64         before,
                                 GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *numbers;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, state);
  ow_pg_param_int (&params, before);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT case_no FROM cases WHERE state = $1 "
                                "AND updated_at <= $2::bigint ORDER BY change_seq LIMIT 100",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  numbers = g_ptr_array_new ();
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (numbers, ow_pg_dup (result, i, 0));
  g_ptr_array_add (numbers, NULL);
  return (char **) g_ptr_array_free (numbers, FALSE);
}

/* Case events ------------------------------------------------------------------------------ */

/* Whether event @id is stored, and if so, as @body on @case_no (SAME) or otherwise (CONFLICT). */
static gboolean
find_case_event (OwPlatformPg         *db,
                 const char           *id,
                 const char           *case_no,
                 const char           *body,
                 gboolean             *found,
                 OwPlatformPutResult  *result,
                 GError              **error)
{
  g_autoptr(PGresult) stored = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, id);
  stored = ow_platform_pg_exec (db, "SELECT body, case_no FROM case_events WHERE id = $1",
                                &params, FALSE, error);
  if (stored == NULL)
    return FALSE;
  *found = PQntuples (stored) > 0;
  /* An id names one event for good: a resend is answered, anything else conflicts. */
  if (*found)
    *result = g_str_equal (PQgetvalue (stored, 0, 0), body) &&
              g_str_equal (PQgetvalue (stored, 0, 1), case_no)
                ? OW_PLATFORM_PUT_SAME : OW_PLATFORM_PUT_CONFLICT;
  return TRUE;
}

gboolean
ow_platform_pg_add_case_event (OwPlatformDb         *base,
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
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(GError) illegal = NULL;
  OwCaseState current_state, next_state;
  OwCaseEventKind event_kind;
  OwPgParams lock = { 0, }, params = { 0, };
  const char *current;
  gboolean found;

  if (!ow_platform_pg_begin_write (db, error))
    return FALSE;

  if (!find_case_event (db, id, case_no, body, &found, result, error))
    goto fail;
  if (found)
    goto done;

  /* The case's row lock orders the events of one case, across processes: the state machine
   * below reads the state that the last committed event left. */
  ow_pg_param_text (&lock, case_no);
  locked = ow_platform_pg_exec (db, "SELECT state FROM cases WHERE case_no = $1 FOR UPDATE",
                                &lock, FALSE, error);
  if (locked == NULL)
    goto fail;
  if (PQntuples (locked) == 0)
    {
      *result = OW_PLATFORM_PUT_NOT_FOUND;
      goto done;
    }
  /* The same event may have come through another process while this one waited for the lock. */
  if (!find_case_event (db, id, case_no, body, &found, result, error))
    goto fail;
  if (found)
    goto done;

  current = PQgetvalue (locked, 0, 0);
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
        *state = g_strdup (current);
      goto done;
    }

  ow_pg_param_text (&params, id);
  ow_pg_param_text (&params, case_no);
  ow_pg_param_text (&params, kind);
  ow_pg_param_text (&params, body);
  ow_pg_param_text (&params, username);
  ow_pg_param_int (&params, now_seconds ());
  inserted = ow_platform_pg_exec (db,
                                  "INSERT INTO case_events (id, case_no, kind, body, created_by, "
                                  "created_at) VALUES ($1, $2, $3, $4, $5, $6::bigint) "
                                  "ON CONFLICT (id) DO NOTHING", &params, FALSE, error);
  if (inserted == NULL)
    goto fail;
  if (ow_pg_affected (inserted) == 0)
    {
      /* Taken meanwhile by an event of another case. */
      if (!find_case_event (db, id, case_no, body, &found, result, error))
        goto fail;
      goto done;
    }
  if (amended != NULL)
    {
      OwPgParams amend = { 0, };

      ow_pg_param_text (&amend, amended);
      ow_pg_param_text (&amend, case_no);
      if (!ow_platform_pg_run (db, "UPDATE cases SET amended = $1 WHERE case_no = $2", &amend,
                               error))
        goto fail;
    }
  if (!touch_case (db, case_no, "case-event", ow_case_state_to_string (next_state), error) ||
      !ow_platform_pg_commit_write (db, error))
    goto fail;

  *result = OW_PLATFORM_PUT_CREATED;
  if (state != NULL)
    *state = g_strdup (ow_case_state_to_string (next_state));
  return TRUE;

done:
  ow_platform_pg_rollback_write (db);
  return TRUE;

fail:
  ow_platform_pg_rollback_write (db);
  return FALSE;
}

gboolean
ow_platform_pg_has_case_event (OwPlatformDb  *base,
                               const char    *id,
                               gboolean      *exists,
                               GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, id);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base), "SELECT 1 FROM case_events WHERE id = $1",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  *exists = PQntuples (result) > 0;
  return TRUE;
}

GPtrArray *
ow_platform_pg_list_case_events (OwPlatformDb  *base,
                                 const char    *case_no,
                                 GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autofree char *exists = NULL;
  GPtrArray *bodies;
  OwPgParams params = { 0, };

  if ((exists = ow_platform_pg_get_case (base, case_no, NULL, error)) == NULL)
    return NULL;

  ow_pg_param_text (&params, case_no);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT body FROM case_events WHERE case_no = $1 ORDER BY ord",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  bodies = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (bodies, ow_pg_dup (result, i, 0));
  return bodies;
}

/* Files ------------------------------------------------------------------------------------ */

gboolean
ow_platform_pg_put_file (OwPlatformDb         *base,
                         const char           *sha256,
                         const char           *content_type,
                         GBytes               *data,
                         const char           *username,
                         OwPlatformPutResult  *result,
                         GError              **error)
{
  g_autoptr(PGresult) inserted = NULL;
  OwPgParams params = { 0, };
  gsize size;
  gconstpointer bytes = g_bytes_get_data (data, &size);

  ow_pg_param_text (&params, sha256);
  ow_pg_param_text (&params, content_type);
  ow_pg_param_int (&params, (gint64) size);
  ow_pg_param_bytes (&params, bytes, size);
  ow_pg_param_text (&params, username);
  ow_pg_param_int (&params, now_seconds ());
  /* The name is the content's hash, so a second upload under it is the same bytes. */
  inserted = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                  "INSERT INTO files (sha256, content_type, size, data, "
                                  "created_by, created_at) VALUES ($1, $2, $3::bigint, $4::bytea, "
                                  "$5, $6::bigint) ON CONFLICT (sha256) DO NOTHING",
                                  &params, FALSE, error);
  if (inserted == NULL)
    return FALSE;
  *result = ow_pg_affected (inserted) > 0 ? OW_PLATFORM_PUT_CREATED : OW_PLATFORM_PUT_SAME;
  return TRUE;
}

GBytes *
ow_platform_pg_get_file (OwPlatformDb  *base,
                         const char    *sha256,
                         char         **content_type,
                         GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };
  const char *data;
  gsize size;

  ow_pg_param_text (&params, sha256);
  /* Binary results: the bytes as they are, not escaped as text. */
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT content_type, data FROM files WHERE sha256 = $1",
                                &params, TRUE, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  *content_type = g_strndup (PQgetvalue (result, 0, 0), (gsize) PQgetlength (result, 0, 0));
  /* The bytes stay where libpq put them until the answer is sent. */
  data = PQgetvalue (result, 0, 1);
  size = (gsize) PQgetlength (result, 0, 1);
  return g_bytes_new_with_free_func (data, size, (GDestroyNotify) PQclear,
                                     g_steal_pointer (&result));
}

gboolean
ow_platform_pg_has_file (OwPlatformDb  *base,
                         const char    *sha256,
                         gboolean      *exists,
                         GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, sha256);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base), "SELECT 1 FROM files WHERE sha256 = $1",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  *exists = PQntuples (result) > 0;
  return TRUE;
}
