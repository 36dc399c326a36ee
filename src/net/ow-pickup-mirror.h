/* ow-pickup-mirror.h — the hall's results kept in the local store for the pick-up window
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pick-up counter hands over the results of every counter of its hall, also with the platform
 * away, so its store must hold them all, with their timelines (when each was ready, whether it
 * is a decision not to approve). The sync engine already saves every case the changes feed names;
 * the mirror adds what the feed cannot give:
 *
 * - once per start, the hall's cases waiting for pick-up or mailed, as the platform lists them
 *   (GET /api/v1/cases?hall=&state=), for a store that began after they were ready: each is
 *   saved unless the store has it (the feed keeps those current, with its rules against stale
 *   copies);
 * - the timeline of each of the hall's cases in those states whose timeline lacks the step that
 *   put it there (GET /api/v1/cases/{case_no}/events), after the start and after every batch
 *   of the feed. Events never change, so a copy of a timeline is never stale.
 */
#pragma once

#include <gio/gio.h>

#include "net/ow-client.h"
#include "net/ow-sync.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

#define OW_TYPE_PICKUP_MIRROR (ow_pickup_mirror_get_type ())
G_DECLARE_FINAL_TYPE (OwPickupMirror, ow_pickup_mirror, OW, PICKUP_MIRROR, GObject)

/* Signal "cases-changed" (OwPickupMirror *, GStrv case_nos): cases were saved, or timelines
 * added, by the mirror; the lists should be read again.
 * Property "busy" (gboolean, read-only, notified): listing or fetching is under way. */
OwPickupMirror *ow_pickup_mirror_new   (OwStore        *store,
                                        OwClient       *client,
                                        OwSync         *sync,
                                        const char     *hall);
/* Lists the hall's results once (again, after a failure, at the next batch of the feed), then
 * fetches missing timelines whenever the feed applied a batch. */
void            ow_pickup_mirror_start (OwPickupMirror *self);
/* Cancels what is under way; a start later begins again. */
void            ow_pickup_mirror_stop  (OwPickupMirror *self);
gboolean        ow_pickup_mirror_is_busy (OwPickupMirror *self);

/* Asks the platform for a case this store does not hold yet: the case @case_no, or else every
 * case of the applicant @id_number in the caller's hall (GET /api/v1/cases?id_number=); saves
 * each unless the store has it, with the timelines of those ready or mailed, then finishes with
 * the cases as the platform sent them (GPtrArray of OwCase, of any hall). */
void            ow_pickup_mirror_fetch_async  (OwPickupMirror      *self,
                                               const char          *case_no,
                                               const char          *id_number,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray      *ow_pickup_mirror_fetch_finish (OwPickupMirror      *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Whether the platform's list of the hall's results was read since the start. */
gboolean        ow_pickup_mirror_is_seeded (OwPickupMirror *self);

G_END_DECLS
