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
#define N_EVENTS 7

/* expected[state - 1][event - 1]; events: assigned, started, resolved, explained, called-back,
 * archived, noted. */
static const int expected[N_STATES][N_EVENTS] = {
  /*            asg  sta  res  exp  cbk  arc  not */
  /* REG */   { ASG, ___, ___, ___, ___, ___, REG },
  /* ASG */   { ASG, INP, ___, ___, ___, ___, ASG },
  /* INP */   { ASG, ___, RES, EXP, ___, ___, INP },
  /* RES */   { ___, ___, ___, ___, CBK, ___, RES },
  /* EXP */   { ___, ___, ___, ___, CBK, ___, EXP },
  /* CBK */   { ___, ___, ___, ___, ___, ARC, CBK },
  /* ARC */   { ___, ___, ___, ___, ___, ___, ___ },
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

static void
test_satisfaction (void)
{
  static const char *names[] = { "very-satisfied", "satisfied", "basically-satisfied",
                                 "dissatisfied", "very-dissatisfied" };
  OwTicketSatisfaction level = OW_TICKET_SATISFACTION_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (ow_ticket_satisfaction_from_string (names[i], &level));
      g_assert_cmpint (level, ==, i + 1);
      g_assert_cmpstr (ow_ticket_satisfaction_to_string (level), ==, names[i]);
    }
  g_assert_null (ow_ticket_satisfaction_to_string (OW_TICKET_SATISFACTION_NONE));
  g_assert_null (ow_ticket_satisfaction_to_string (6));
  g_assert_false (ow_ticket_satisfaction_from_string ("3", &level));
  g_assert_false (ow_ticket_satisfaction_from_string (NULL, &level));
}

static OwTicketEvent *
event_of (OwTicketEventKind kind)
{
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 11, 25, 3, 0, 0);

  return ow_ticket_event_new ("e-1", kind, at);
}

static void
assert_invalid (OwTicketEvent *event,
                const char    *member)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  g_assert_false (ow_ticket_event_validate (event, &field, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_cmpstr (field, ==, member);
}

static void
test_event_rules (void)
{
  g_autoptr(OwTicketEvent) assigned = event_of (OW_TICKET_EVENT_ASSIGNED);
  g_autoptr(OwTicketEvent) started = event_of (OW_TICKET_EVENT_STARTED);
  g_autoptr(OwTicketEvent) call = event_of (OW_TICKET_EVENT_CALLED_BACK);
  g_autoptr(GError) error = NULL;

  assert_invalid (assigned, "assignee");
  assigned->assignee = g_strdup ("department");
  g_assert_true (ow_ticket_event_validate (assigned, NULL, &error));
  g_assert_no_error (error);

  started->assignee = g_strdup ("department");
  assert_invalid (started, "assignee");
  g_clear_pointer (&started->assignee, g_free);
  started->reached = TRUE;
  assert_invalid (started, "reached");
  started->reached = FALSE;
  started->satisfaction = OW_TICKET_SATISFACTION_SATISFIED;
  assert_invalid (started, "reached");

  {
    g_autoptr(OwTicketEvent) noted = event_of (OW_TICKET_EVENT_NOTED);

    assert_invalid (noted, "note");
    noted->note = g_strdup ("已电话联系部门，答复两日内办结");
    g_assert_true (ow_ticket_event_validate (noted, NULL, NULL));
  }

  /* Not reached: no answer; reached: one of the five. */
  g_assert_true (ow_ticket_event_validate (call, NULL, NULL));
  call->satisfaction = OW_TICKET_SATISFACTION_SATISFIED;
  assert_invalid (call, "satisfaction");
  call->reached = TRUE;
  g_assert_true (ow_ticket_event_validate (call, NULL, NULL));
  call->satisfaction = OW_TICKET_SATISFACTION_NONE;
  assert_invalid (call, "satisfaction");
}

/* Categories are kept and sent as codes and shown in the reader's language; what counters kept
 * before — the label in the language of the clerk who registered — reads as its code, and a
 * hall's own classification stays as it was written. */
static void
test_categories (void)
{
  static const char * const legacy[][3] = {
    { "Materials or conditions unclear", "材料或条件不明确", "materials-unclear" },
    { "System or network fault", "系统或网络故障", "system-fault" },
    { "Policy or regulation gap", "政策或规定存在空白", "policy-gap" },
    { "Several departments involved", "涉及多个部门", "several-departments" },
    { "Came repeatedly without a result", "多次跑动仍未办成", "repeated-visits" },
    { "Other", "其他", "other" },
  };
  g_autoptr(GDateTime) registered = g_date_time_new_utc (2026, 11, 25, 2, 0, 0);
  OwTicketCategory category;

  g_assert_cmpuint (G_N_ELEMENTS (legacy), ==, OW_TICKET_N_CATEGORIES);
  for (guint i = 0; i < G_N_ELEMENTS (legacy); i++)
    {
      for (guint form = 0; form < 3; form++)
        {
          g_autofree char *code = ow_ticket_category_normalize (legacy[i][form]);

          g_assert_true (ow_ticket_category_from_string (legacy[i][form], &category));
          g_assert_cmpint (category, ==, (int) i + 1);
          g_assert_cmpstr (code, ==, legacy[i][2]);
        }
      g_assert_cmpstr (ow_ticket_category_to_string (i + 1), ==, legacy[i][2]);
      /* The test runs in the C locale: the labels are the English ones. */
      g_assert_cmpstr (ow_ticket_category_get_label (i + 1), ==, legacy[i][0]);
    }
  g_assert_false (ow_ticket_category_from_string ("自助设备", &category));
  g_assert_false (ow_ticket_category_from_string (NULL, &category));
  g_assert_null (ow_ticket_category_to_string (0));
  g_assert_null (ow_ticket_category_to_string (OW_TICKET_N_CATEGORIES + 1));
  {
    g_autofree char *own = ow_ticket_category_normalize ("自助设备");

    g_assert_cmpstr (own, ==, "自助设备");
    g_assert_null (ow_ticket_category_normalize (NULL));
  }

  /* A ticket a counter kept with the Chinese label reads back with the code. */
  {
    g_autoptr(OwTicket) ticket = ow_ticket_new ("t-2", registered, OW_TICKET_TIER_5_DAYS, "退件");
    g_autoptr(GVariant) variant = NULL;
    g_autoptr(OwTicket) back = NULL;
    g_autoptr(GError) error = NULL;

    ticket->category = g_strdup ("材料或条件不明确");
    variant = g_variant_ref_sink (ow_ticket_serialize (ticket));
    back = ow_ticket_deserialize (variant, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (back->category, ==, "materials-unclear");
  }
}

static void
test_apply_and_serialize (void)
{
  g_autoptr(GDateTime) registered = g_date_time_new_utc (2026, 11, 25, 2, 0, 0);
  g_autoptr(OwTicket) ticket = ow_ticket_new ("t-1", registered, OW_TICKET_TIER_10_DAYS,
                                              "营业执照变更网上办不了");
  g_autoptr(OwTicketEvent) assigned = event_of (OW_TICKET_EVENT_ASSIGNED);
  g_autoptr(OwTicketEvent) archived = event_of (OW_TICKET_EVENT_ARCHIVED);
  g_autoptr(OwTicket) copy = NULL;
  g_autoptr(OwTicket) back = NULL;
  g_autoptr(OwTicketEvent) event_back = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) damaged = NULL;
  g_autoptr(GError) error = NULL;

  assigned->assignee = g_strdup ("department");
  g_assert_true (ow_ticket_apply_event (ticket, assigned, &error));
  g_assert_cmpint (ticket->state, ==, OW_TICKET_STATE_ASSIGNED);
  g_assert_cmpstr (ticket->assignee, ==, "department");
  /* Refused, and left as it was. */
  g_assert_false (ow_ticket_apply_event (ticket, archived, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpint (ticket->state, ==, OW_TICKET_STATE_ASSIGNED);

  ticket->contact_phone = g_strdup ("13800138000");
  ticket->channel = g_strdup ("online");
  ticket->hall = g_strdup ("46010001");
  g_date_set_dmy (&ticket->due_date, 9, G_DATE_DECEMBER, 2026);
  ticket->overdue = TRUE;
  ticket->escalated_at = g_date_time_new_utc (2026, 12, 10, 1, 0, 0);
  copy = ow_ticket_copy (ticket);

  variant = g_variant_ref_sink (ow_ticket_serialize (copy));
  back = ow_ticket_deserialize (variant, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->id, ==, "t-1");
  g_assert_true (g_date_time_equal (back->registered_at, registered));
  g_assert_cmpint (back->tier, ==, OW_TICKET_TIER_10_DAYS);
  g_assert_cmpstr (back->summary, ==, "营业执照变更网上办不了");
  g_assert_null (back->contact_name);
  g_assert_cmpstr (back->contact_phone, ==, "13800138000");
  g_assert_cmpstr (back->channel, ==, "online");
  g_assert_cmpstr (back->hall, ==, "46010001");
  g_assert_cmpint (back->state, ==, OW_TICKET_STATE_ASSIGNED);
  g_assert_cmpstr (back->assignee, ==, "department");
  g_assert_cmpint (g_date_compare (&back->due_date, &ticket->due_date), ==, 0);
  g_assert_true (back->overdue);
  g_assert_true (g_date_time_equal (back->escalated_at, ticket->escalated_at));

  assigned->note = g_strdup ("交市场监管局");
  g_clear_pointer (&variant, g_variant_unref);
  variant = g_variant_ref_sink (ow_ticket_event_serialize (assigned));
  event_back = ow_ticket_event_deserialize (variant, &error);
  g_assert_no_error (error);
  g_assert_cmpint (event_back->kind, ==, OW_TICKET_EVENT_ASSIGNED);
  g_assert_cmpstr (event_back->assignee, ==, "department");
  g_assert_cmpstr (event_back->note, ==, "交市场监管局");

  /* Damaged records are errors, not crashes. */
  damaged = g_variant_ref_sink (g_variant_new ("(ss)", "t-1", "registered"));
  g_assert_null (ow_ticket_deserialize (damaged, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_clear_error (&error);
  g_clear_pointer (&damaged, g_variant_unref);
  {
    GVariantDict dict;

    g_variant_dict_init (&dict, NULL);
    g_variant_dict_insert (&dict, "id", "s", "t-1");
    g_variant_dict_insert (&dict, "state", "s", "lost");
    g_variant_dict_insert (&dict, "tier", "u", 5);
    damaged = g_variant_ref_sink (g_variant_dict_end (&dict));
  }
  g_assert_null (ow_ticket_deserialize (damaged, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (ow_ticket_event_deserialize (damaged, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ticket/state-machine", test_state_machine);
  g_test_add_func ("/ticket/names", test_names);
  g_test_add_func ("/ticket/due-date", test_due_date);
  g_test_add_func ("/ticket/satisfaction", test_satisfaction);
  g_test_add_func ("/ticket/event-rules", test_event_rules);
  g_test_add_func ("/ticket/apply-and-serialize", test_apply_and_serialize);
  g_test_add_func ("/ticket/categories", test_categories);

  return g_test_run ();
}
