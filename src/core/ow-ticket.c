/* ow-ticket.c — a ticket of unfinished business: its state machine, tiers and due date
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ow-error.h"
#include "ow-ticket.h"

/* The one ticket state machine; anything not listed is an illegal step. */
static const struct
{
  OwTicketState     from;
  OwTicketEventKind event;
  OwTicketState     to;
} transitions[] = {
  { OW_TICKET_STATE_REGISTERED, OW_TICKET_EVENT_ASSIGNED, OW_TICKET_STATE_ASSIGNED },
  /* Handed to someone else: the clock keeps running. */
  { OW_TICKET_STATE_ASSIGNED, OW_TICKET_EVENT_ASSIGNED, OW_TICKET_STATE_ASSIGNED },
  { OW_TICKET_STATE_IN_PROGRESS, OW_TICKET_EVENT_ASSIGNED, OW_TICKET_STATE_ASSIGNED },
  { OW_TICKET_STATE_ASSIGNED, OW_TICKET_EVENT_STARTED, OW_TICKET_STATE_IN_PROGRESS },
  { OW_TICKET_STATE_IN_PROGRESS, OW_TICKET_EVENT_RESOLVED, OW_TICKET_STATE_RESOLVED },
  { OW_TICKET_STATE_IN_PROGRESS, OW_TICKET_EVENT_EXPLAINED, OW_TICKET_STATE_EXPLAINED },
  { OW_TICKET_STATE_RESOLVED, OW_TICKET_EVENT_CALLED_BACK, OW_TICKET_STATE_CALLED_BACK },
  { OW_TICKET_STATE_EXPLAINED, OW_TICKET_EVENT_CALLED_BACK, OW_TICKET_STATE_CALLED_BACK },
  { OW_TICKET_STATE_CALLED_BACK, OW_TICKET_EVENT_ARCHIVED, OW_TICKET_STATE_ARCHIVED },
};

/* Indexed by the enums' values. */
static const char * const state_names[] = {
  [OW_TICKET_STATE_REGISTERED] = "registered",
  [OW_TICKET_STATE_ASSIGNED] = "assigned",
  [OW_TICKET_STATE_IN_PROGRESS] = "in-progress",
  [OW_TICKET_STATE_RESOLVED] = "resolved",
  [OW_TICKET_STATE_EXPLAINED] = "explained",
  [OW_TICKET_STATE_CALLED_BACK] = "called-back",
  [OW_TICKET_STATE_ARCHIVED] = "archived",
};

static const char * const event_names[] = {
  [OW_TICKET_EVENT_ASSIGNED] = "assigned",
  [OW_TICKET_EVENT_STARTED] = "started",
  [OW_TICKET_EVENT_RESOLVED] = "resolved",
  [OW_TICKET_EVENT_EXPLAINED] = "explained",
  [OW_TICKET_EVENT_CALLED_BACK] = "called-back",
  [OW_TICKET_EVENT_ARCHIVED] = "archived",
};

static const char * const tier_names[] = {
  [OW_TICKET_TIER_ON_THE_SPOT] = "on-the-spot",
  [OW_TICKET_TIER_5_DAYS] = "5-working-days",
  [OW_TICKET_TIER_10_DAYS] = "10-working-days",
};

static const char *
name_of (const char * const *names,
         guint               n_names,
         int                 value)
{
  if (value < 1 || (guint) value >= n_names)
    return NULL;
  return names[value];
}

static gboolean
value_of (const char * const *names,
          guint               n_names,
          const char         *text,
          int                *value)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 1; i < n_names; i++)
    if (g_str_equal (names[i], text))
      {
        *value = (int) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ow_ticket_state_to_string (OwTicketState state)
{
  return name_of (state_names, G_N_ELEMENTS (state_names), (int) state);
}

gboolean
ow_ticket_state_from_string (const char    *text,
                             OwTicketState *state)
{
  int value;

  if (!value_of (state_names, G_N_ELEMENTS (state_names), text, &value))
    return FALSE;
  *state = (OwTicketState) value;
  return TRUE;
}

const char *
ow_ticket_event_kind_to_string (OwTicketEventKind kind)
{
  return name_of (event_names, G_N_ELEMENTS (event_names), (int) kind);
}

gboolean
ow_ticket_event_kind_from_string (const char        *text,
                                  OwTicketEventKind *kind)
{
  int value;

  if (!value_of (event_names, G_N_ELEMENTS (event_names), text, &value))
    return FALSE;
  *kind = (OwTicketEventKind) value;
  return TRUE;
}

const char *
ow_ticket_tier_to_string (OwTicketTier tier)
{
  return name_of (tier_names, G_N_ELEMENTS (tier_names), (int) tier);
}

gboolean
ow_ticket_tier_from_string (const char   *text,
                            OwTicketTier *tier)
{
  int value;

  if (!value_of (tier_names, G_N_ELEMENTS (tier_names), text, &value))
    return FALSE;
  *tier = (OwTicketTier) value;
  return TRUE;
}

gboolean
ow_ticket_state_is_open (OwTicketState state)
{
  return state == OW_TICKET_STATE_REGISTERED || state == OW_TICKET_STATE_ASSIGNED ||
         state == OW_TICKET_STATE_IN_PROGRESS;
}

gboolean
ow_ticket_state_apply (OwTicketState      state,
                       OwTicketEventKind  kind,
                       OwTicketState     *next,
                       GError           **error)
{
  const char *state_name = ow_ticket_state_to_string (state);
  const char *event_name = ow_ticket_event_kind_to_string (kind);

  g_return_val_if_fail (next != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (transitions); i++)
    if (transitions[i].from == state && transitions[i].event == kind)
      {
        *next = transitions[i].to;
        return TRUE;
      }

  g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION,
               _("A ticket that is “%s” cannot be “%s”"),
               state_name != NULL ? state_name : "?", event_name != NULL ? event_name : "?");
  return FALSE;
}

guint
ow_ticket_tier_working_days (OwTicketTier tier)
{
  switch (tier)
    {
    case OW_TICKET_TIER_5_DAYS:
      return 5;
    case OW_TICKET_TIER_10_DAYS:
      return 10;
    case OW_TICKET_TIER_ON_THE_SPOT:
    default:
      return 0;
    }
}

void
ow_ticket_compute_due_date (OwCalendar  *calendar,
                            const GDate *registered,
                            OwTicketTier tier,
                            GDate       *due,
                            gboolean    *provisional)
{
  g_return_if_fail (OW_IS_CALENDAR (calendar));
  g_return_if_fail (registered != NULL && g_date_valid (registered));
  g_return_if_fail (due != NULL);

  /* The day of registration is not counted, as for a case's time limit. */
  ow_calendar_add_working_days (calendar, registered, ow_ticket_tier_working_days (tier), due,
                                provisional);
}

gboolean
ow_ticket_is_overdue (OwTicketState  state,
                      const GDate   *due,
                      const GDate   *today)
{
  g_return_val_if_fail (due != NULL && today != NULL, FALSE);

  return ow_ticket_state_is_open (state) && g_date_valid (due) && g_date_valid (today) &&
         g_date_compare (today, due) > 0;
}
