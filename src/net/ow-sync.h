/* ow-sync.h — the sync engine: drains the outbox to the platform, in order, exactly once
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-case.h"
#include "net/ow-client.h"
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

/* Properties, all read-only and notified on change:
 *   "state"      OwSyncState (as guint)
 *   "pending"    guint, entries waiting (dead ones included)
 *   "last-sync"  gint64, µs since the epoch of the last acknowledged send, 0 for never
 *   "last-error" char*, the last failure's message or NULL
 */
OwSync      *ow_sync_new              (OwStore      *store,
                                       OwClient     *client);
OwSyncState  ow_sync_get_state        (OwSync       *self);
guint        ow_sync_get_pending      (OwSync       *self);
gint64       ow_sync_get_last_sync    (OwSync       *self);
const char  *ow_sync_get_last_error   (OwSync       *self);

/* Starts draining, and keeps draining whenever something is enqueued, until stopped. */
void         ow_sync_start            (OwSync       *self);
void         ow_sync_stop             (OwSync       *self);
/* Tries again now, without waiting for the back-off (the clerk pressed "Sync now"). */
void         ow_sync_kick             (OwSync       *self);

/* Saves @kase locally together with its PUT in the outbox (one transaction), then wakes the
 * engine. Runs the blocking part in a worker thread. */
void         ow_sync_submit_case_async  (OwSync       *self,
                                         OwCase       *kase,
                                         const char   *user,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer      user_data);
gboolean     ow_sync_submit_case_finish (OwSync       *self,
                                         GAsyncResult *result,
                                         GError      **error);

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
