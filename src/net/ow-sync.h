/* ow-sync.h — the sync engine: drains the outbox to the platform, in order per key, exactly once
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-case.h"
#include "core/ow-rating.h"
#include "core/ow-ticket.h"
#include "net/ow-client.h"
#include "net/ow-json.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

typedef enum
{
  OW_SYNC_IDLE = 1,    /* nothing waits */
  OW_SYNC_SENDING,
  OW_SYNC_OFFLINE,     /* the last attempt could not reach the platform; retrying with back-off */
  OW_SYNC_BLOCKED,     /* an entry was refused and needs a person (dead); others still go */
} OwSyncState;

#define OW_TYPE_SYNC (ow_sync_get_type ())
G_DECLARE_FINAL_TYPE (OwSync, ow_sync, OW, SYNC, GObject)

/* Started, the engine runs two loops: it drains the outbox (files before the case that names
 * them, in order within a case or ticket, several of them side by side, with back-off) and it long-polls the platform's changes feed, saving
 * the cases and tickets it names locally and the cursor after them (store meta "changes-cursor").
 *
 * Signals (documented in ow-sync.c):
 *   "changes-applied" (OwSync *, GStrv case_nos): a batch of the feed is applied
 *   "tickets-applied" (OwSync *, GStrv ids): tickets of that batch were saved locally
 *   "published"       (OwSync *, GStrv kinds): the batch named a new catalog or calendar
 *   "outbox-changed"  (OwSync *): an entry was added, sent, refused or revived
 *   "rating-duplicate" (OwSync *, const char *case_no): the case had its on-site rating
 *
 * Properties, all read-only and notified on change:
 *   "state"      OwSyncState (as guint)
 *   "pending"    guint, entries waiting (dead ones included)
 *   "last-sync"  gint64, µs since the epoch of the last acknowledged send, 0 for never
 *   "last-received" gint64, µs since the epoch of the last answer of the changes feed that left
 *                the counter up to date (a batch applied, or a poll that ran out), 0 for never
 *   "last-error" char*, the last failure's message or NULL
 */
OwSync      *ow_sync_new              (OwStore      *store,
                                       OwClient     *client);
OwSyncState  ow_sync_get_state        (OwSync       *self);
guint        ow_sync_get_pending      (OwSync       *self);
gint64       ow_sync_get_last_sync    (OwSync       *self);
gint64       ow_sync_get_last_received (OwSync      *self);
const char  *ow_sync_get_last_error   (OwSync       *self);

/* Starts draining, and keeps draining whenever something is enqueued, until stopped; and
 * starts the long poll of the changes feed. Stop the engine before dropping the last reference:
 * its requests in flight keep it alive. */
void         ow_sync_start            (OwSync       *self);
void         ow_sync_stop             (OwSync       *self);
/* Tries again now, without waiting for the back-off (the clerk pressed "Sync now"). */
void         ow_sync_kick             (OwSync       *self);
/* Revives the dead (refused) outbox entry @id after a person fixed the cause, and tries it at
 * once. A failure shows in "last-error"; an entry that is gone meanwhile is no failure. */
void         ow_sync_retry_entry      (OwSync       *self,
                                       gint64        id);

/* Saves @kase locally together with its PUT in the outbox (one transaction), then wakes the
 * engine. Each scanned page its materials name (a file of the store's files folder) gets an
 * entry of its own before the case's, unless the platform has it or it is on its way already.
 * Fails, saving nothing, when a page is missing. Runs the blocking part in a worker thread. */
void         ow_sync_submit_case_async  (OwSync       *self,
                                         OwCase       *kase,
                                         const char   *user,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer      user_data);
gboolean     ow_sync_submit_case_finish (OwSync       *self,
                                         GAsyncResult *result,
                                         GError      **error);
/* The same for a case made from a form: the draft @draft_key (NULL for none) is deleted in the
 * transaction that saves the case (ow_store_save_case_from_draft()), so that a crash never
 * leaves both the case and the draft it came from, which restored would be accepted a second
 * time. A failed save keeps the draft. The caller makes sure no write of that draft is still on
 * its way, nor starts until the answer. Finish with ow_sync_submit_case_finish(). */
void         ow_sync_submit_case_from_draft_async (OwSync       *self,
                                                   OwCase       *kase,
                                                   const char   *draft_key,
                                                   const char   *user,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer      user_data);

/* Registers @ticket (as the counter filled it in: ow_ticket_new() and the optional members):
 * kept locally with its PUT in the outbox, in one transaction, then sent like a case. */
void         ow_sync_submit_ticket_async  (OwSync         *self,
                                           const OwTicket *ticket,
                                           const char     *user,
                                           GCancellable   *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer        user_data);
gboolean     ow_sync_submit_ticket_finish (OwSync         *self,
                                           GAsyncResult   *result,
                                           GError        **error);
/* Moves the stored ticket @ticket_id on by @event (with a fresh client-chosen id) and keeps the
 * event and its POST in the outbox, in one transaction. Fails, keeping nothing, with
 * OW_CORE_ERROR_INVALID (naming no field; see ow_ticket_event_validate()) for an event that
 * is not well formed, OW_CORE_ERROR_ILLEGAL_TRANSITION when the ticket as kept here cannot take
 * the step, OW_STORE_ERROR_NOT_FOUND when it is not kept here. Whether the user may take the
 * step is the platform's to say: a refusal (403) leaves the entry dead in the outbox. */
void         ow_sync_submit_ticket_event_async  (OwSync              *self,
                                                 const char          *ticket_id,
                                                 const OwTicketEvent *event,
                                                 const char          *user,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean     ow_sync_submit_ticket_event_finish (OwSync              *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* The same for a case event (handed over, mailed, supplement received …) on the stored case
 * @case_no: the case is saved in its new state with the POST in the outbox. */
void         ow_sync_submit_case_event_async    (OwSync                *self,
                                                 const char            *case_no,
                                                 const OwJsonCaseEvent *event,
                                                 const char            *user,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
gboolean     ow_sync_submit_case_event_finish   (OwSync                *self,
                                                 GAsyncResult          *result,
                                                 GError               **error);

/* Keeps @rating with its PUT in the outbox and, when it is poor (4 不满意 or 5 非常不满意),
 * registers its follow-up ticket (ow_rating_follow_up(), to call back the applicant of the
 * stored case) in the same transaction, keyed by the rating so that the ticket goes after it and
 * never without it. Fails, keeping nothing, with OW_CORE_ERROR_INVALID for a rating that does
 * not validate and OW_STORE_ERROR_DUPLICATE when the case was rated here already. Should the
 * platform answer that the case was rated elsewhere (409, field case_no), the engine settles
 * it and emits "rating-duplicate". */
void         ow_sync_submit_rating_async        (OwSync                *self,
                                                 const OwRating        *rating,
                                                 const char            *user,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
/* @follow_up, when not NULL, receives the id of the ticket registered (NULL for none). */
gboolean     ow_sync_submit_rating_finish       (OwSync                *self,
                                                 GAsyncResult          *result,
                                                 char                 **follow_up,
                                                 GError               **error);

/* Drains until nothing is due, then finishes: for tests and for a final flush on quit. FALSE with
 * the last error when an entry could not be sent. */
void         ow_sync_flush_async      (OwSync       *self,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer      user_data);
gboolean     ow_sync_flush_finish     (OwSync       *self,
                                       GAsyncResult *result,
                                       GError      **error);

G_END_DECLS
