/* ow-ticket.h — a ticket of unfinished business (办不成事): its states, tiers and due date
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When something could not be done at a counter, the hall's "unfinished business" window
 * registers it, assigns it to someone, and must either resolve it or explain why it cannot be,
 * within a tier's time limit; then the applicant is called back and the ticket archived.
 */
#pragma once

#include <glib.h>

#include "ow-calendar.h"

G_BEGIN_DECLS

/* Registered → assigned → in progress → resolved or explained → called back → archived. An
 * assigned or in-progress ticket may be assigned again (to someone else). */
typedef enum
{
  OW_TICKET_STATE_REGISTERED = 1,
  OW_TICKET_STATE_ASSIGNED,
  OW_TICKET_STATE_IN_PROGRESS,
  OW_TICKET_STATE_RESOLVED,     /* done after all */
  OW_TICKET_STATE_EXPLAINED,    /* cannot be done, and the applicant was told why */
  OW_TICKET_STATE_CALLED_BACK,  /* the applicant was asked whether they are satisfied */
  OW_TICKET_STATE_ARCHIVED,     /* final */
} OwTicketState;

typedef enum
{
  OW_TICKET_EVENT_ASSIGNED = 1,
  OW_TICKET_EVENT_STARTED,
  OW_TICKET_EVENT_RESOLVED,
  OW_TICKET_EVENT_EXPLAINED,
  OW_TICKET_EVENT_CALLED_BACK,
  OW_TICKET_EVENT_ARCHIVED,
} OwTicketEventKind;

/* How soon it must be resolved or explained. */
typedef enum
{
  OW_TICKET_TIER_ON_THE_SPOT = 1,  /* the same day */
  OW_TICKET_TIER_5_DAYS,           /* within 5 working days */
  OW_TICKET_TIER_10_DAYS,          /* within 10 working days */
} OwTicketTier;

/* Wire names: "registered", "in-progress" …; "assigned", "started" …; "on-the-spot",
 * "5-working-days", "10-working-days". NULL / FALSE outside the enums. */
const char *ow_ticket_state_to_string        (OwTicketState      state);
gboolean    ow_ticket_state_from_string      (const char        *text,
                                              OwTicketState     *state);
const char *ow_ticket_event_kind_to_string   (OwTicketEventKind  kind);
gboolean    ow_ticket_event_kind_from_string (const char        *text,
                                              OwTicketEventKind *kind);
const char *ow_ticket_tier_to_string         (OwTicketTier       tier);
gboolean    ow_ticket_tier_from_string       (const char        *text,
                                              OwTicketTier      *tier);

/* Whether the ticket still waits to be resolved or explained (so that it can be overdue). */
gboolean    ow_ticket_state_is_open          (OwTicketState      state);
/* The state after @kind in @state; FALSE and OW_CORE_ERROR_ILLEGAL_TRANSITION, naming both, when
 * it cannot happen there. */
gboolean    ow_ticket_state_apply            (OwTicketState      state,
                                              OwTicketEventKind  kind,
                                              OwTicketState     *next,
                                              GError           **error);

/* Working days the tier allows: 0, 5 or 10. */
guint       ow_ticket_tier_working_days      (OwTicketTier       tier);
/* The due date of a ticket of @tier registered on @registered, counted on @calendar; sets
 * @provisional, when not NULL, if the count ran over a year with no published schedule. */
void        ow_ticket_compute_due_date       (OwCalendar        *calendar,
                                              const GDate       *registered,
                                              OwTicketTier       tier,
                                              GDate             *due,
                                              gboolean          *provisional);
/* Whether a ticket in @state due on @due is overdue on @today (open and past its due date). */
gboolean    ow_ticket_is_overdue             (OwTicketState      state,
                                              const GDate       *due,
                                              const GDate       *today);

G_END_DECLS
