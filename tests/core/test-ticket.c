/* test-ticket.c — the ticket of unfinished business: state machine, names, tiers, due date
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/ow-calendar.h"
#include "core/ow-error.h"
#include "core/ow-ticket.h"

/* Short names so that the expected table below reads as a table. */
enum { REG = OW_TICKET_STATE_REGISTERED, ASG = OW_TICKET_STATE_ASSIGNED,
       INP = OW_TICKET_STATE_IN_PROGRESS, RES = OW_TICKET_STATE_RESOLVED,
       EXP = OW_TICKET_STATE_EXPLAINED, CBK = OW_TICKET_STATE_CALLED_BACK,
       ARC = OW_TICKET_STATE_ARCHIVED, ___ = 0 };

#define N_STATES 7
#define N_EVENTS 6

/* expected[state - 1][event - 1]; events: assigned, started, resolved, explained, called-back,
 * archived. */
static const int expected[N_STATES][N_EVENTS] = {
  /*            asg  sta  res  exp  cbk  arc */
  /* REG */   { ASG, ___, ___, ___, ___, ___ },
  /* ASG */   { ASG, INP, ___, ___, ___, ___ },
  /* INP */   { ASG, ___, RES, EXP, ___, ___ },
  /* RES */   { ___, ___, ___, ___, CBK, ___ },
  /* EXP */   { ___, ___, ___, ___, CBK, ___ },
  /* CBK */   { ___, ___, ___, ___, ___, ARC },
  /* ARC */   { ___, ___, ___, ___, ___, ___ },
};

static void
test_state_machine (void)
{
  for (int s = 1; s <= N_STATES; s++)
    for (int e = 1; e <= N_EVENTS; e++)
      {
        g_autoptr(GError) error = NULL;
        OwTicketState next = 0;
        gboolean ok = ow_ticket_state_apply ((OwTicketState) s, (OwTicketEventKind) e, &next,
                                             &error);

        if (expected[s - 1][e - 1] == ___)
          {
            g_assert_false (ok);
            g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION);
            /* The message names both, so a person knows what was refused. */
            g_assert_nonnull (strstr (error->message, ow_ticket_state_to_string (s)));
            g_assert_nonnull (strstr (error->message,
                                      ow_ticket_event_kind_to_string ((OwTicketEventKind) e)));
          }
        else
          {
            g_assert_no_error (error);
            g_assert_true (ok);
            g_assert_cmpint (next, ==, expected[s - 1][e - 1]);
          }
      }
}

static void
test_names (void)
{
  for (int s = 1; s <= N_STATES; s++)
    {
      OwTicketState state;

      g_assert_true (ow_ticket_state_from_string (ow_ticket_state_to_string (s), &state));
      g_assert_cmpint (state, ==, s);
    }
  for (int e = 1; e <= N_EVENTS; e++)
    {
      OwTicketEventKind kind;

      g_assert_true (ow_ticket_event_kind_from_string (ow_ticket_event_kind_to_string (e),
                                                       &kind));
      g_assert_cmpint (kind, ==, e);
    }
  for (int t = 1; t <= 3; t++)
    {
      OwTicketTier tier;

      g_assert_true (ow_ticket_tier_from_string (ow_ticket_tier_to_string (t), &tier));
      g_assert_cmpint (tier, ==, t);
    }

  g_assert_cmpstr (ow_ticket_state_to_string (OW_TICKET_STATE_IN_PROGRESS), ==, "in-progress");
  g_assert_cmpstr (ow_ticket_tier_to_string (OW_TICKET_TIER_5_DAYS), ==, "5-working-days");
  g_assert_null (ow_ticket_state_to_string (0));
  g_assert_null (ow_ticket_state_to_string (N_STATES + 1));
  g_assert_null (ow_ticket_event_kind_to_string (N_EVENTS + 1));
  g_assert_null (ow_ticket_tier_to_string (4));
  {
    OwTicketState state = 0;
    OwTicketTier tier = 0;

    g_assert_false (ow_ticket_state_from_string ("Registered", &state));
    g_assert_false (ow_ticket_state_from_string ("", &state));
    g_assert_false (ow_ticket_state_from_string (NULL, &state));
    g_assert_false (ow_ticket_tier_from_string ("5", &tier));
    g_assert_cmpint (state, ==, 0);
  }
}

static void
test_due_date (void)
{
  static const char tsv[] =
    "# the 2026 National Day holiday, as published\n"
    "2026-10-01\toff\t国庆节\n2026-10-02\toff\t国庆节\n2026-10-05\toff\t国庆节\n"
    "2026-10-06\toff\t国庆节\n2026-10-07\toff\t国庆节\n2026-10-10\twork\t国庆节调休\n";
  g_autoptr(OwCalendar) calendar = ow_calendar_new ();
  g_autoptr(GError) error = NULL;
  GDate registered, due, expected_due, today;
  gboolean provisional = TRUE;

  g_assert_true (ow_calendar_load_national (calendar, tsv, -1, &error));
  g_assert_no_error (error);

  /* Wednesday before the holiday: 8, 9, 10 (a make-up Saturday), 12, 13 October. */
  g_date_set_dmy (&registered, 30, G_DATE_SEPTEMBER, 2026);
  ow_ticket_compute_due_date (calendar, &registered, OW_TICKET_TIER_5_DAYS, &due, &provisional);
  g_date_set_dmy (&expected_due, 13, G_DATE_OCTOBER, 2026);
  g_assert_cmpint (g_date_compare (&due, &expected_due), ==, 0);
  g_assert_false (provisional);

  ow_ticket_compute_due_date (calendar, &registered, OW_TICKET_TIER_ON_THE_SPOT, &due, NULL);
  g_assert_cmpint (g_date_compare (&due, &registered), ==, 0);

  ow_ticket_compute_due_date (calendar, &registered, OW_TICKET_TIER_10_DAYS, &due, NULL);
  g_date_set_dmy (&expected_due, 20, G_DATE_OCTOBER, 2026);
  g_assert_cmpint (g_date_compare (&due, &expected_due), ==, 0);

  /* Overdue only while open and only after the due day itself. */
  g_date_set_dmy (&today, 20, G_DATE_OCTOBER, 2026);
  g_assert_false (ow_ticket_is_overdue (OW_TICKET_STATE_ASSIGNED, &due, &today));
  g_date_set_dmy (&today, 21, G_DATE_OCTOBER, 2026);
  g_assert_true (ow_ticket_is_overdue (OW_TICKET_STATE_ASSIGNED, &due, &today));
  g_assert_true (ow_ticket_is_overdue (OW_TICKET_STATE_REGISTERED, &due, &today));
  g_assert_false (ow_ticket_is_overdue (OW_TICKET_STATE_EXPLAINED, &due, &today));
  g_assert_false (ow_ticket_is_overdue (OW_TICKET_STATE_ARCHIVED, &due, &today));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ticket/state-machine", test_state_machine);
  g_test_add_func ("/ticket/names", test_names);
  g_test_add_func ("/ticket/due-date", test_due_date);

  return g_test_run ();
}
