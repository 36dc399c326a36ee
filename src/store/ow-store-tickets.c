/* ow-store-tickets.c — tickets of unfinished business and their timelines in the local store
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kept like cases: the record as a GVariant of core (ow_ticket_serialize) beside the columns the
 * lists filter on, written together with its outbox entries and an audit record.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "store/ow-store-private.h"

static char *
format_due_date (const GDate *date)
{
  if (!g_date_valid (date))
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* Writes the ticket row. Call inside the transaction, with the lock held. */
static gboolean
upsert_ticket (OwStore         *self,
               const OwTicket  *ticket,
               const char      *doing,
               GError         **error)
{
  g_autoptr(GVariant) data = g_variant_ref_sink (ow_ticket_serialize (ticket));
  g_autofree char *due = format_due_date (&ticket->due_date);
  sqlite3_stmt *stmt;

  stmt = ow_store_prepare (self,
                           "INSERT INTO tickets (id, state, assignee, due_date,"
                           "                     registered_at, updated_at, data_type, data)"
                           "  VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (id) DO UPDATE SET state = excluded.state,"
                           "  assignee = excluded.assignee, due_date = excluded.due_date,"
                           "  registered_at = excluded.registered_at,"
                           "  updated_at = excluded.updated_at,"
                           "  data_type = excluded.data_type, data = excluded.data",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, ticket->id);
  ow_store_bind_text (stmt, 2, ow_ticket_state_to_string (ticket->state));
  ow_store_bind_text (stmt, 3, ticket->assignee);
  ow_store_bind_text (stmt, 4, due);
  sqlite3_bind_int64 (stmt, 5, g_date_time_to_unix (ticket->registered_at));
  sqlite3_bind_int64 (stmt, 6, ow_store_next_stamp (self));
  ow_store_bind_text (stmt, 7, g_variant_get_type_string (data));
  sqlite3_bind_blob64 (stmt, 8, g_variant_get_data (data), g_variant_get_size (data),
                       SQLITE_TRANSIENT);
  return ow_store_run_stmt (self, stmt, doing, error);
}

gboolean
ow_store_upsert_ticket_locked (OwStore         *self,
                               const OwTicket  *ticket,
                               const char      *doing,
                               GError         **error)
{
  return upsert_ticket (self, ticket, doing, error);
}

/* Appends @event to its ticket's timeline; an event already kept (the platform's copy of the
 * counter's own) is replaced in place. Call inside the transaction, with the lock held. */
static gboolean
insert_ticket_event (OwStore             *self,
                     const char          *ticket_id,
                     const OwTicketEvent *event,
                     const char          *doing,
                     GError             **error)
{
  g_autoptr(GVariant) data = g_variant_ref_sink (ow_ticket_event_serialize (event));
  sqlite3_stmt *stmt;

  stmt = ow_store_prepare (self,
                           "INSERT INTO ticket_events (id, ticket_id, data_type, data)"
                           "  VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (id) DO UPDATE SET data_type = excluded.data_type,"
                           "  data = excluded.data",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  ow_store_bind_text (stmt, 1, event->id);
  ow_store_bind_text (stmt, 2, ticket_id);
  ow_store_bind_text (stmt, 3, g_variant_get_type_string (data));
  sqlite3_bind_blob64 (stmt, 4, g_variant_get_data (data), g_variant_get_size (data),
                       SQLITE_TRANSIENT);
  return ow_store_run_stmt (self, stmt, doing, error);
}

static gboolean
save_ticket_full (OwStore              *self,
                  const OwTicket       *ticket,
                  const OwTicketEvent  *event,
                  GPtrArray            *entries,
                  const char           *user,
                  GError              **error)
{
  const char *doing = _("save the ticket");
  guint n_entries = entries != NULL ? entries->len : 0;
  g_autofree gint64 *entry_ids = g_new0 (gint64, MAX (n_entries, 1));
  gint64 stamp;

  g_mutex_lock (&self->lock);
  if (!ow_store_begin (self, doing, error))
    goto fail;
  stamp = ow_store_next_stamp (self);
  if (!upsert_ticket (self, ticket, doing, error))
    goto fail;
  if (event != NULL && !insert_ticket_event (self, ticket->id, event, doing, error))
    goto fail;
  for (guint i = 0; i < n_entries; i++)
    if (!ow_store_insert_outbox_entry (self, g_ptr_array_index (entries, i), stamp,
                                       &entry_ids[i], doing, error))
      goto fail;
  if (!ow_store_insert_audit (self, user, event != NULL ? "ticket-event-saved" : "ticket-saved",
                              ticket->id,
                              event != NULL ? ow_ticket_event_kind_to_string (event->kind)
                                            : ow_ticket_state_to_string (ticket->state),
                              error))
    goto fail;
  if (!ow_store_commit (self, doing, error))
    goto fail;
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < n_entries; i++)
    {
      OwOutboxEntry *entry = g_ptr_array_index (entries, i);

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
ow_store_save_ticket (OwStore         *self,
                      const OwTicket  *ticket,
                      GPtrArray       *entries,
                      const char      *user,
                      GError         **error)
{
  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->id != NULL, FALSE);
  g_return_val_if_fail (ticket->registered_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save_ticket_full (self, ticket, NULL, entries, user, error);
}

gboolean
ow_store_save_ticket_event (OwStore              *self,
                            const OwTicket       *ticket,
                            const OwTicketEvent  *event,
                            GPtrArray            *entries,
                            const char           *user,
                            GError              **error)
{
  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->id != NULL, FALSE);
  g_return_val_if_fail (ticket->registered_at != NULL, FALSE);
  g_return_val_if_fail (event != NULL && event->id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save_ticket_full (self, ticket, event, entries, user, error);
}

gboolean
ow_store_save_remote_ticket (OwStore         *self,
                             const OwTicket  *ticket,
                             GPtrArray       *events,
                             gboolean        *applied,
                             GError         **error)
{
  const char *doing = _("save a ticket from the platform");
  sqlite3_stmt *stmt;
  gboolean waiting = FALSE;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->id != NULL, FALSE);
  g_return_val_if_fail (ticket->registered_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (applied != NULL)
    *applied = FALSE;

  g_mutex_lock (&self->lock);
  if (!ow_store_begin (self, doing, error))
    goto fail;
  stmt = ow_store_prepare (self,
                           "SELECT EXISTS (SELECT 1 FROM outbox WHERE key = ? AND dead = 0)",
                           doing, error);
  if (stmt == NULL)
    goto fail;
  ow_store_bind_text (stmt, 1, ticket->id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
      goto fail;
    }
  waiting = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);

  if (!waiting)
    {
      if (!upsert_ticket (self, ticket, doing, error))
        goto fail;
      if (events != NULL)
        {
          /* The platform's timeline is the whole truth once nothing of ours waits. */
          stmt = ow_store_prepare (self, "DELETE FROM ticket_events WHERE ticket_id = ?", doing,
                                   error);
          if (stmt == NULL)
            goto fail;
          ow_store_bind_text (stmt, 1, ticket->id);
          if (!ow_store_run_stmt (self, stmt, doing, error))
            goto fail;
          for (guint i = 0; i < events->len; i++)
            if (!insert_ticket_event (self, ticket->id, g_ptr_array_index (events, i), doing,
                                      error))
              goto fail;
        }
      if (!ow_store_insert_audit (self, NULL, "ticket-received", ticket->id,
                                  ow_ticket_state_to_string (ticket->state), error))
        goto fail;
    }
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

/* Reads the GVariant of columns @type_column and @data_column: untrusted, a damaged blob
 * becomes NULL, not a crash. */
static GVariant *
variant_from_row (sqlite3_stmt *stmt,
                  int           type_column,
                  int           data_column)
{
  const char *type_string = (const char *) sqlite3_column_text (stmt, type_column);
  g_autoptr(GBytes) bytes = ow_store_column_dup_bytes (stmt, data_column);

  if (type_string == NULL || bytes == NULL || !g_variant_type_string_is_valid (type_string))
    return NULL;
  return g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (type_string), bytes,
                                                       FALSE));
}

static OwTicket *
ticket_from_row (OwStore       *self,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(GVariant) variant = variant_from_row (stmt, 0, 1);
  g_autoptr(GError) local_error = NULL;
  OwTicket *ticket = variant != NULL ? ow_ticket_deserialize (variant, &local_error) : NULL;

  if (ticket == NULL)
    g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                 _("A ticket in the local database %s cannot be read: %s"), self->path,
                 local_error != NULL ? local_error->message : _("its record is incomplete"));
  return ticket;
}

OwTicket *
ow_store_load_ticket (OwStore     *self,
                      const char  *id,
                      GError     **error)
{
  const char *doing = _("load the ticket");
  sqlite3_stmt *stmt;
  OwTicket *ticket = NULL;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self, "SELECT data_type, data FROM tickets WHERE id = ?", doing, error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        ticket = ticket_from_row (self, stmt, error);
      else if (rc == SQLITE_DONE)
        g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                     _("Ticket %s is not stored on this workstation"), id);
      else
        ow_store_set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);
  return ticket;
}

GPtrArray *
ow_store_list_tickets (OwStore        *self,
                       OwTicketState   state,
                       const char     *assignee,
                       guint           limit,
                       GError        **error)
{
  const char *doing = _("list tickets");
  g_autoptr(GPtrArray) tickets = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_ticket_free);
  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self,
                           "SELECT data_type, data FROM tickets"
                           "  WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR assignee = ?2)"
                           "  ORDER BY registered_at DESC, id LIMIT ?3",
                           doing, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  ow_store_bind_text (stmt, 1, state != 0 ? ow_ticket_state_to_string (state) : NULL);
  ow_store_bind_text (stmt, 2, assignee);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwTicket *ticket = ticket_from_row (self, stmt, error);

      if (ticket == NULL)
        {
          rc = SQLITE_ERROR;
          break;
        }
      g_ptr_array_add (tickets, ticket);
    }
  if (rc != SQLITE_DONE)
    {
      if (rc != SQLITE_ERROR)
        ow_store_set_sqlite_error (self, rc, doing, error);
      g_clear_pointer (&tickets, g_ptr_array_unref);
    }
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);
  return g_steal_pointer (&tickets);
}

GPtrArray *
ow_store_list_ticket_events (OwStore     *self,
                             const char  *id,
                             GError     **error)
{
  const char *doing = _("read the ticket’s timeline");
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_ticket_event_free);
  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self,
                           "SELECT data_type, data FROM ticket_events WHERE ticket_id = ?"
                           "  ORDER BY position",
                           doing, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  ow_store_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GVariant) variant = variant_from_row (stmt, 0, 1);
      g_autoptr(GError) local_error = NULL;
      OwTicketEvent *event = variant != NULL ? ow_ticket_event_deserialize (variant, &local_error)
                                             : NULL;

      if (event == NULL)
        {
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                       _("An event of ticket %s in the local database %s cannot be read: %s"),
                       id, self->path,
                       local_error != NULL ? local_error->message : _("its record is incomplete"));
          rc = SQLITE_ERROR;
          break;
        }
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      if (rc != SQLITE_ERROR)
        ow_store_set_sqlite_error (self, rc, doing, error);
      g_clear_pointer (&events, g_ptr_array_unref);
    }
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);
  return g_steal_pointer (&events);
}

/* Reading tickets from the main thread's point of view: the blocking calls above, run in a
 * worker by GTask, for the tickets page. */
typedef struct
{
  OwTicketState  state;
  char          *assignee;
  char          *id;
  guint          limit;
} TicketQuery;

static void
ticket_query_free (TicketQuery *query)
{
  g_free (query->assignee);
  g_free (query->id);
  g_free (query);
}

static void
list_tickets_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  TicketQuery *query = task_data;
  GError *error = NULL;
  GPtrArray *tickets;

  tickets = ow_store_list_tickets (source_object, query->state, query->assignee, query->limit,
                                   &error);
  if (tickets == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tickets, (GDestroyNotify) g_ptr_array_unref);
}

void
ow_store_list_tickets_async (OwStore             *self,
                             OwTicketState        state,
                             const char          *assignee,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TicketQuery *query;

  g_return_if_fail (OW_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_store_list_tickets_async);
  query = g_new0 (TicketQuery, 1);
  query->state = state;
  query->assignee = g_strdup (assignee);
  query->limit = limit;
  g_task_set_task_data (task, query, (GDestroyNotify) ticket_query_free);
  g_task_run_in_thread (task, list_tickets_thread);
}

GPtrArray *
ow_store_list_tickets_finish (OwStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_store_list_tickets_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A ticket with its timeline, for the detail view. */
static void
load_ticket_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  TicketQuery *query = task_data;
  g_autoptr(OwTicket) ticket = NULL;
  GPtrArray *events;
  GError *error = NULL;

  ticket = ow_store_load_ticket (source_object, query->id, &error);
  if (ticket == NULL ||
      (events = ow_store_list_ticket_events (source_object, query->id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "ow-ticket", g_steal_pointer (&ticket),
                          (GDestroyNotify) ow_ticket_free);
  g_task_return_pointer (task, events, (GDestroyNotify) g_ptr_array_unref);
}

void
ow_store_load_ticket_async (OwStore             *self,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TicketQuery *query;

  g_return_if_fail (OW_IS_STORE (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_store_load_ticket_async);
  query = g_new0 (TicketQuery, 1);
  query->id = g_strdup (id);
  g_task_set_task_data (task, query, (GDestroyNotify) ticket_query_free);
  g_task_run_in_thread (task, load_ticket_thread);
}

OwTicket *
ow_store_load_ticket_finish (OwStore       *self,
                             GAsyncResult  *result,
                             GPtrArray    **events,
                             GError       **error)
{
  g_autoptr(GPtrArray) timeline = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_store_load_ticket_async,
                        NULL);

  if (events != NULL)
    *events = NULL;
  timeline = g_task_propagate_pointer (G_TASK (result), error);
  if (timeline == NULL)
    return NULL;
  if (events != NULL)
    *events = g_steal_pointer (&timeline);
  return ow_ticket_copy (g_object_get_data (G_OBJECT (result), "ow-ticket"));
}
