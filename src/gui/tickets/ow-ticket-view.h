/* ow-ticket-view.h — one ticket of unfinished business: details, timeline, next steps
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_TICKET_VIEW (ow_ticket_view_get_type ())
G_DECLARE_FINAL_TYPE (OwTicketView, ow_ticket_view, OW, TICKET_VIEW, AdwBin)

/* Signals:
 *   "changed" (OwTicketView *, const char *id): a step of the ticket was saved here
 *
 * Actions (group "ticket"), enabled as the state machine and the user's roles allow:
 *   ticket.assign, ticket.start, ticket.note, ticket.resolve, ticket.explain,
 *   ticket.call-back, ticket.archive — each asks for what the step needs, then saves it
 *   through the sync engine (queued when offline). */
void        ow_ticket_view_set_context (OwTicketView *self,
                                        OwContext    *context);
/* Loads and shows ticket @id from the local store; NULL shows nothing. */
void        ow_ticket_view_show        (OwTicketView *self,
                                        const char   *id);
/* Loads the shown ticket again (after the platform's news of it). */
void        ow_ticket_view_reload      (OwTicketView *self);
const char *ow_ticket_view_get_id      (OwTicketView *self);
/* Whether the shown ticket is loaded (and its timeline listed). */
gboolean    ow_ticket_view_get_loaded  (OwTicketView *self);
/* The number of steps in the shown timeline. */
guint       ow_ticket_view_get_n_events (OwTicketView *self);

/* The date in the hall (China, UTC+8) at @time, NULL for now: the day the platform counts due
 * dates and overdue tickets from, whatever the workstation's time zone. */
void        ow_ticket_hall_date        (GDateTime    *time,
                                        GDate        *date);

/* Human-readable names, shared with the list. */
const char *ow_ticket_state_describe   (guint         state);
const char *ow_ticket_tier_describe    (guint         tier);

G_END_DECLS
