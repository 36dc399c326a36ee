/* ow-store-pickup.c — the pick-up window's part of the store: timelines, the hall's results,
 * ratings
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pick-up counter keeps every case of its hall that waits for pick-up or to be mailed, found
 * by case number (the key), by applicant (an index) or by state and hall (an index on the state
 * and the case number's first 8 characters), each with what its timeline says: when the result
 * was ready, whether it is a decision not to approve, the waybill it was mailed with.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "store/ow-store-private.h"

/* ---- timelines -------------------------------------------------------------------------- */

static gint64
usec_of (GDateTime *when)
{
  if (when == NULL)
    return 0;
  return g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when);
}

OwStoreCaseEvent *
ow_store_case_event_new (const char      *id,
                         const char      *case_no,
                         OwCaseEventKind  kind,
                         GDateTime       *at,
                         const char      *body)
{
  OwStoreCaseEvent *event = g_new0 (OwStoreCaseEvent, 1);

  event->id = g_strdup (id);
  event->case_no = g_strdup (case_no);
  event->kind = kind;
  event->at = usec_of (at);
  event->body = g_strdup (body);
  return event;
}

void
ow_store_case_event_free (OwStoreCaseEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_free (event->case_no);
  g_free (event->carrier);
  g_free (event->waybill);
  g_free (event->body);
  g_free (event);
}

/* Adds @event to its case's timeline unless it is there (by id). With the lock held, inside the
 * caller's transaction. */
static gboolean
insert_case_event (OwStore                *self,
                   const OwStoreCaseEvent *event,
                   const char             *doing,
                   GError                **error)
{
  sqlite3_stmt *stmt;

  stmt = ow_store_prepare (self,
                           "INSERT INTO case_events (id, case_no, kind, at, carrier, waybill,"
                           "                         body)"
                           "  VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, event->id);
  ow_store_bind_text (stmt, 2, event->case_no);
  ow_store_bind_text (stmt, 3, ow_case_event_kind_to_string (event->kind));
  sqlite3_bind_int64 (stmt, 4, event->at);
  ow_store_bind_text (stmt, 5, event->carrier);
  ow_store_bind_text (stmt, 6, event->waybill);
  ow_store_bind_text (stmt, 7, event->body != NULL ? event->body : "{}");
  return ow_store_run_stmt (self, stmt, doing, error);
}

/* Fills in the ids of @entries once their transaction committed. */
static void
set_entry_ids (GPtrArray *entries,
               gint64    *entry_ids,
               gint64     stamp)
{
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      OwOutboxEntry *entry = g_ptr_array_index (entries, i);

      entry->id = entry_ids[i];
      entry->created_at = stamp;
      entry->attempts = 0;
      entry->dead = FALSE;
    }
}

gboolean
ow_store_save_case_event (OwStore                *self,
                          OwCase                 *kase,
                          const OwStoreCaseEvent *event,
                          GPtrArray              *entries,
                          const char             *user,
                          const char             *audit_note,
                          GError                **error)
{
  const char *doing = _("save the case");
  guint n_entries = entries != NULL ? entries->len : 0;
  g_autofree gint64 *entry_ids = g_new0 (gint64, MAX (n_entries, 1));
  gint64 stamp;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (OW_IS_CASE (kase), FALSE);
  g_return_val_if_fail (event != NULL && event->id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (!ow_store_begin (self, doing, error))
    goto fail;
  stamp = ow_store_next_stamp (self);
  if (!ow_store_upsert_case_locked (self, kase, stamp, doing, error)
      || !insert_case_event (self, event, doing, error))
    goto fail;
  for (guint i = 0; i < n_entries; i++)
    if (!ow_store_insert_outbox_entry (self, g_ptr_array_index (entries, i), stamp,
                                       &entry_ids[i], doing, error))
      goto fail;
  /* Who did it and when is the audit row's own; what it was and to whom is the note. */
  if (!ow_store_insert_audit (self, user, ow_case_event_kind_to_string (event->kind),
                              ow_case_get_case_no (kase), audit_note, error)
      || !ow_store_commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);
  set_entry_ids (entries, entry_ids, stamp);
  return TRUE;

fail:
  ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

gboolean
ow_store_save_remote_case_events (OwStore    *self,
                                  GPtrArray  *events,
                                  GError    **error)
{
  const char *doing = _("save a case’s timeline from the platform");

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (events != NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (!ow_store_begin (self, doing, error))
    goto fail;
  for (guint i = 0; i < events->len; i++)
    if (!insert_case_event (self, g_ptr_array_index (events, i), doing, error))
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

GPtrArray *
ow_store_list_case_events (OwStore     *self,
                           const char  *case_no,
                           GError     **error)
{
  const char *doing = _("read a case’s timeline");
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (case_no != NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self, "SELECT id, kind, at, carrier, waybill, body FROM case_events "
                           "WHERE case_no = ? ORDER BY position", doing, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  ow_store_bind_text (stmt, 1, case_no);
  events = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_store_case_event_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwStoreCaseEvent *event = g_new0 (OwStoreCaseEvent, 1);

      event->id = ow_store_column_dup_text (stmt, 0);
      event->case_no = g_strdup (case_no);
      if (!ow_case_event_kind_from_string ((const char *) sqlite3_column_text (stmt, 1),
                                           &event->kind))
        event->kind = 0;
      event->at = sqlite3_column_int64 (stmt, 2);
      event->carrier = ow_store_column_dup_text (stmt, 3);
      event->waybill = ow_store_column_dup_text (stmt, 4);
      event->body = ow_store_column_dup_text (stmt, 5);
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      g_clear_pointer (&events, g_ptr_array_unref);
    }
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);
  return g_steal_pointer (&events);
}

gboolean
ow_store_save_remote_case_if_absent (OwStore   *self,
                                     OwCase    *kase,
                                     gboolean  *saved,
                                     GError   **error)
{
  const char *doing = _("save a case from the platform");
  sqlite3_stmt *stmt;
  gboolean known;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (OW_IS_CASE (kase), FALSE);

  if (saved != NULL)
    *saved = FALSE;
  g_mutex_lock (&self->lock);
  if (!ow_store_begin (self, doing, error))
    goto fail;
  if ((stmt = ow_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM cases WHERE case_no = ?)",
                                doing, error)) == NULL)
    goto fail;
  ow_store_bind_text (stmt, 1, ow_case_get_case_no (kase));
  rc = sqlite3_step (stmt);
  known = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      goto fail;
    }
  /* A case kept already is the changes feed's to bring up to date: a copy listed before a
   * change of this counter was acknowledged must not undo it. */
  if (!known
      && (!ow_store_upsert_case_locked (self, kase, ow_store_next_stamp (self), doing, error)
          || !ow_store_insert_audit (self, NULL, "case-received", ow_case_get_case_no (kase),
                                     ow_case_state_to_string (ow_case_get_state (kase)), error)))
    goto fail;
  if (!ow_store_commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);
  if (saved != NULL)
    *saved = !known;
  return TRUE;

fail:
  ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

/* The step that puts a case in @state, whose event the timeline must hold. */
static const char *
entering_event (OwCaseState state)
{
  switch (state)
    {
    case OW_CASE_STATE_RESULT_READY:
      return "result-ready";
    case OW_CASE_STATE_MAILED:
      return "mailed";
    case OW_CASE_STATE_HANDED_OVER:
      return "handed-over";
    case OW_CASE_STATE_DELIVERED:
      return "delivered";
    default:
      return NULL;
    }
}

char **
ow_store_list_cases_without_timeline (OwStore      *self,
                                      const char   *hall,
                                      OwCaseState   state,
                                      guint         limit,
                                      GError      **error)
{
  const char *doing = _("list cases");
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (hall != NULL, NULL);
  g_return_val_if_fail (entering_event (state) != NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self,
                           "SELECT case_no FROM cases AS c WHERE state = ?1 "
                           "AND substr (case_no, 1, 8) = ?2 AND NOT EXISTS "
                           "(SELECT 1 FROM case_events AS e WHERE e.case_no = c.case_no "
                           " AND e.kind = ?3) ORDER BY updated_at LIMIT ?4", doing, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  ow_store_bind_text (stmt, 1, ow_case_state_to_string (state));
  ow_store_bind_text (stmt, 2, hall);
  ow_store_bind_text (stmt, 3, entering_event (state));
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (numbers, ow_store_column_dup_text (stmt, 0));
  if (rc != SQLITE_DONE)
    ow_store_set_sqlite_error (self, rc, doing, error);
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);
  if (rc != SQLITE_DONE)
    return NULL;
  g_ptr_array_add (numbers, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&numbers), FALSE);
}

/* ---- the hall's results ----------------------------------------------------------------- */

/* Columns 0–1 the case, then what its timeline and ratings say (read by pickup_from_row). */
/* Columns 0–1 the case, then what its timeline and ratings say (read by pickup_from_row). Each
 * looks one case's events up by the index on (case_no, kind, at). */
#define PICKUP_COLUMNS \
  "c.data_type, c.data, c.updated_at," \
  " (SELECT max (at) FROM case_events AS e WHERE e.case_no = c.case_no" \
  "  AND e.kind = 'result-ready')," \
  " (SELECT max (at) FROM case_events AS e WHERE e.case_no = c.case_no AND e.kind = 'mailed')," \
  " (SELECT kind FROM case_events AS e WHERE e.case_no = c.case_no" \
  "  AND e.kind IN ('approved', 'not-approved') ORDER BY e.at DESC LIMIT 1)," \
  " (SELECT waybill FROM case_events AS e WHERE e.case_no = c.case_no AND e.kind = 'mailed'" \
  "  ORDER BY e.at DESC LIMIT 1)," \
  " (SELECT carrier FROM case_events AS e WHERE e.case_no = c.case_no AND e.kind = 'mailed'" \
  "  ORDER BY e.at DESC LIMIT 1)," \
  " EXISTS (SELECT 1 FROM ratings AS r WHERE r.case_no = c.case_no AND r.channel = 'on-site'" \
  "  AND r.state = 'given')"

void
ow_store_pickup_case_free (OwStorePickupCase *pickup)
{
  if (pickup == NULL)
    return;
  g_clear_object (&pickup->kase);
  g_free (pickup->carrier);
  g_free (pickup->waybill);
  g_free (pickup);
}

static OwStorePickupCase *
pickup_from_row (OwStore       *self,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(OwStorePickupCase) pickup = g_new0 (OwStorePickupCase, 1);
  const char *decision = (const char *) sqlite3_column_text (stmt, 5);

  pickup->kase = ow_store_case_from_row (self, stmt, 0, 1, error);
  if (pickup->kase == NULL)
    return NULL;
  pickup->updated_at = sqlite3_column_int64 (stmt, 2);
  pickup->ready_at = sqlite3_column_int64 (stmt, 3);
  pickup->mailed_at = sqlite3_column_int64 (stmt, 4);
  if (decision == NULL || !ow_case_event_kind_from_string (decision, &pickup->decision))
    pickup->decision = 0;
  pickup->waybill = ow_store_column_dup_text (stmt, 6);
  pickup->carrier = ow_store_column_dup_text (stmt, 7);
  pickup->rated = sqlite3_column_int (stmt, 8) != 0;
  return g_steal_pointer (&pickup);
}

/* Runs @stmt (prepared with the lock held) and reads its rows; finalizes it. */
static GPtrArray *
query_pickup (OwStore       *self,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  g_autoptr(GPtrArray) cases = NULL;
  int rc;

  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_store_pickup_case_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwStorePickupCase *pickup = pickup_from_row (self, stmt, error);

      if (pickup == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (cases, pickup);
    }
  if (rc != SQLITE_DONE)
    {
      ow_store_set_sqlite_error (self, rc, _("list cases"), error);
      g_clear_pointer (&cases, g_ptr_array_unref);
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&cases);
}

GPtrArray *
ow_store_list_pickup_cases (OwStore      *self,
                            const char   *hall,
                            OwCaseState   state,
                            guint         limit,
                            GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *cases = NULL;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (hall != NULL, NULL);

  g_mutex_lock (&self->lock);
  /* The longest wait first; the window groups them by applicant in this order. */
  stmt = ow_store_prepare (self,
                           "SELECT " PICKUP_COLUMNS " FROM cases AS c "
                           "WHERE c.state = ?1 AND substr (c.case_no, 1, 8) = ?2 "
                           "ORDER BY coalesce ((SELECT max (at) FROM case_events AS e "
                           "  WHERE e.case_no = c.case_no AND e.kind = ?3), c.updated_at) LIMIT ?4",
                           _("list cases"), error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, ow_case_state_to_string (state));
      ow_store_bind_text (stmt, 2, hall);
      ow_store_bind_text (stmt, 3, entering_event (state));
      sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
      cases = query_pickup (self, stmt, error);
    }
  g_mutex_unlock (&self->lock);
  return cases;
}

GPtrArray *
ow_store_find_pickup_cases (OwStore     *self,
                            const char  *id_number,
                            GError     **error)
{
  g_autofree char *upper = NULL;
  g_autofree char *lower = NULL;
  sqlite3_stmt *stmt;
  GPtrArray *cases = NULL;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (id_number != NULL, NULL);

  /* IDs are kept as typed at intake, normally upper case: both spellings use the index. */
  upper = g_ascii_strup (id_number, -1);
  lower = g_ascii_strdown (id_number, -1);
  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self,
                           "SELECT " PICKUP_COLUMNS " FROM cases AS c "
                           "WHERE c.applicant_id IN (?1, ?2) ORDER BY c.updated_at DESC",
                           _("find cases"), error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, upper);
      ow_store_bind_text (stmt, 2, lower);
      cases = query_pickup (self, stmt, error);
    }
  g_mutex_unlock (&self->lock);
  return cases;
}

GPtrArray *
ow_store_list_mailings (OwStore     *self,
                        const char  *hall,
                        gint64       from,
                        gint64       to,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *cases = NULL;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (hall != NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self,
                           "SELECT " PICKUP_COLUMNS " FROM case_events AS m "
                           "JOIN cases AS c ON c.case_no = m.case_no "
                           "WHERE m.kind = 'mailed' AND m.at >= ?1 AND m.at < ?2 "
                           "AND substr (c.case_no, 1, 8) = ?3 ORDER BY m.at",
                           _("list the day’s mailings"), error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, from);
      sqlite3_bind_int64 (stmt, 2, to);
      ow_store_bind_text (stmt, 3, hall);
      cases = query_pickup (self, stmt, error);
    }
  g_mutex_unlock (&self->lock);
  return cases;
}

OwStorePickupCase *
ow_store_load_pickup_case (OwStore     *self,
                           const char  *case_no,
                           GError     **error)
{
  g_autoptr(GPtrArray) cases = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (case_no != NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self, "SELECT " PICKUP_COLUMNS " FROM cases AS c "
                           "WHERE c.case_no = ?1", _("load the case"), error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, case_no);
      cases = query_pickup (self, stmt, error);
    }
  g_mutex_unlock (&self->lock);
  if (cases == NULL)
    return NULL;
  if (cases->len == 0)
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                   _("Case %s is not stored on this workstation"), case_no);
      return NULL;
    }
  return g_steal_pointer (&g_ptr_array_index (cases, 0));
}

typedef struct
{
  char        *case_no;
  char        *id_number;
  char        *hall;
  OwCaseState  state;
  guint        limit;
} PickupQuery;

static void
pickup_query_free (PickupQuery *query)
{
  g_free (query->case_no);
  g_free (query->id_number);
  g_free (query->hall);
  g_free (query);
}

static void
query_pickup_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  OwStore *self = source_object;
  PickupQuery *query = task_data;
  GError *error = NULL;
  GPtrArray *cases;

  if (query->case_no != NULL)
    {
      OwStorePickupCase *pickup = ow_store_load_pickup_case (self, query->case_no, &error);

      cases = NULL;
      if (pickup != NULL)
        {
          cases = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_store_pickup_case_free);
          g_ptr_array_add (cases, pickup);
        }
    }
  else if (query->id_number != NULL)
    cases = ow_store_find_pickup_cases (self, query->id_number, &error);
  else
    cases = ow_store_list_pickup_cases (self, query->hall, query->state, query->limit,
                                        &error);

  if (cases == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cases, (GDestroyNotify) g_ptr_array_unref);
}

void
ow_store_query_pickup_async (OwStore             *self,
                             const char          *case_no,
                             const char          *id_number,
                             const char          *hall,
                             OwCaseState          state,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PickupQuery *query;

  g_return_if_fail (OW_IS_STORE (self));
  g_return_if_fail (case_no != NULL || id_number != NULL || hall != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_store_query_pickup_async);
  query = g_new0 (PickupQuery, 1);
  query->case_no = g_strdup (case_no);
  query->id_number = g_strdup (id_number);
  query->hall = g_strdup (hall);
  query->state = state;
  query->limit = limit;
  g_task_set_task_data (task, query, (GDestroyNotify) pickup_query_free);
  g_task_run_in_thread (task, query_pickup_thread);
}

GPtrArray *
ow_store_query_pickup_finish (OwStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_store_query_pickup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- ratings ---------------------------------------------------------------------------- */

static gboolean
is_rated_locked (OwStore     *self,
                 const char  *case_no,
                 gboolean    *rated,
                 const char  *doing,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_store_prepare (self,
                           "SELECT EXISTS (SELECT 1 FROM ratings WHERE case_no = ?"
                           " AND channel = 'on-site' AND state = 'given')", doing, error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, case_no);
  rc = sqlite3_step (stmt);
  *rated = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
ow_store_save_rating (OwStore         *self,
                      const OwRating  *rating,
                      const OwTicket  *ticket,
                      GPtrArray       *entries,
                      const char      *user,
                      GError         **error)
{
  const char *doing = _("save the rating");
  guint n_entries = entries != NULL ? entries->len : 0;
  g_autofree gint64 *entry_ids = g_new0 (gint64, MAX (n_entries, 1));
  g_autofree char *level = NULL;
  sqlite3_stmt *stmt;
  gboolean rated = FALSE;
  gint64 stamp;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (rating != NULL && rating->id != NULL && rating->case_no != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (!ow_store_begin (self, doing, error))
    goto fail;
  stamp = ow_store_next_stamp (self);
  if (g_strcmp0 (rating->channel, "on-site") == 0
      && !is_rated_locked (self, rating->case_no, &rated, doing, error))
    goto fail;
  if (rated)
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_DUPLICATE,
                   _("Case %s was rated at this counter already: a case is rated once"),
                   rating->case_no);
      goto fail;
    }

  stmt = ow_store_prepare (self, "INSERT INTO ratings (id, case_no, channel, level, text, at,"
                           " state, follow_up) VALUES (?, ?, ?, ?, ?, ?, 'given', ?)",
                           doing, error);
  if (stmt == NULL)
    goto fail;
  ow_store_bind_text (stmt, 1, rating->id);
  ow_store_bind_text (stmt, 2, rating->case_no);
  ow_store_bind_text (stmt, 3, rating->channel);
  sqlite3_bind_int (stmt, 4, (int) rating->level);
  ow_store_bind_text (stmt, 5, rating->text);
  sqlite3_bind_int64 (stmt, 6, usec_of (rating->at));
  ow_store_bind_text (stmt, 7, ticket != NULL ? ticket->id : NULL);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    goto fail;
  if (ticket != NULL && !ow_store_upsert_ticket_locked (self, ticket, doing, error))
    goto fail;
  for (guint i = 0; i < n_entries; i++)
    if (!ow_store_insert_outbox_entry (self, g_ptr_array_index (entries, i), stamp,
                                       &entry_ids[i], doing, error))
      goto fail;
  level = g_strdup_printf ("%d", (int) rating->level);
  if (!ow_store_insert_audit (self, user, "rating-given", rating->case_no, level, error)
      || (ticket != NULL
          && !ow_store_insert_audit (self, user, "ticket-saved", ticket->id, "registered",
                                     error))
      || !ow_store_commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);
  set_entry_ids (entries, entry_ids, stamp);
  return TRUE;

fail:
  ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

gboolean
ow_store_case_is_rated (OwStore     *self,
                        const char  *case_no,
                        gboolean    *rated,
                        GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (case_no != NULL && rated != NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = is_rated_locked (self, case_no, rated, _("look up a rating"), error);
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
ow_store_settle_duplicate_rating (OwStore     *self,
                                  gint64       entry_id,
                                  char       **case_no,
                                  GError     **error)
{
  const char *doing = _("record that the case was rated already");
  g_autofree char *rating_id = NULL;
  g_autofree char *rated_case = NULL;
  g_autofree char *follow_up = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);

  g_mutex_lock (&self->lock);
  if (!ow_store_begin (self, doing, error))
    goto fail;

  /* The rating's entry is keyed by the rating, and so is its follow-up's registration. */
  if ((stmt = ow_store_prepare (self, "SELECT r.id, r.case_no, r.follow_up FROM outbox AS o "
                                "JOIN ratings AS r ON r.id = o.key WHERE o.id = ?", doing,
                                error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, entry_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      rating_id = ow_store_column_dup_text (stmt, 0);
      rated_case = ow_store_column_dup_text (stmt, 1);
      follow_up = ow_store_column_dup_text (stmt, 2);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      goto fail;
    }
  if (rating_id == NULL)
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                   _("The rating waiting to be sent is gone"));
      goto fail;
    }

  if ((stmt = ow_store_prepare (self, "DELETE FROM outbox WHERE key = ? AND id >= ?", doing,
                                error)) == NULL)
    goto fail;
  ow_store_bind_text (stmt, 1, rating_id);
  sqlite3_bind_int64 (stmt, 2, entry_id);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    goto fail;
  if ((stmt = ow_store_prepare (self, "UPDATE ratings SET state = 'duplicate' WHERE id = ?",
                                doing, error)) == NULL)
    goto fail;
  ow_store_bind_text (stmt, 1, rating_id);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    goto fail;
  if (follow_up != NULL)
    {
      /* The follow-up was never registered on the platform: the other counter's rating has its
       * own, if it was poor. */
      if ((stmt = ow_store_prepare (self, "DELETE FROM tickets WHERE id = ?", doing, error))
          == NULL)
        goto fail;
      ow_store_bind_text (stmt, 1, follow_up);
      if (!ow_store_run_stmt (self, stmt, doing, error))
        goto fail;
      if ((stmt = ow_store_prepare (self, "DELETE FROM ticket_events WHERE ticket_id = ?", doing,
                                    error)) == NULL)
        goto fail;
      ow_store_bind_text (stmt, 1, follow_up);
      if (!ow_store_run_stmt (self, stmt, doing, error))
        goto fail;
    }
  if (!ow_store_insert_audit (self, NULL, "rating-duplicate", rated_case, rating_id, error)
      || !ow_store_commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);
  if (case_no != NULL)
    *case_no = g_steal_pointer (&rated_case);
  return TRUE;

fail:
  ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return FALSE;
}
