/* test-lookup.c — what the pick-up window was given, and where a case stands in working days
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/ow-case-number.h"
#include "core/ow-error.h"
#include "core/ow-lookup.h"
#include "core/ow-rating.h"

static void
assert_parsed (const char   *text,
               OwLookupKind  expected_kind,
               const char   *expected_key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  OwLookupKind kind = 0;

  if (!ow_lookup_parse (text, &kind, &key, &error))
    g_error ("“%s”: %s", text, error->message);
  g_assert_cmpint (kind, ==, expected_kind);
  g_assert_cmpstr (key, ==, expected_key);
}

static void
assert_refused (const char *text,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  OwLookupKind kind = 0;

  g_assert_false (ow_lookup_parse (text, &kind, &key, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_null (key);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s”: “%s” does not say “%s”", text, error->message, fragment);
}

static void
test_parse (void)
{
  g_autoptr(GDate) day = g_date_new_dmy (25, G_DATE_NOVEMBER, 2026);
  g_autofree char *case_no = ow_case_number_make ("46010001", 7, day, 1, NULL);
  g_autofree char *formatted = ow_case_number_format (case_no);
  g_autofree char *payload = ow_case_qr_payload (case_no, "K7Q2MX");
  g_autofree char *typo = g_strdup (case_no);

  assert_parsed (case_no, OW_LOOKUP_CASE, case_no);
  assert_parsed (formatted, OW_LOOKUP_CASE, case_no);
  assert_parsed (payload, OW_LOOKUP_CASE, case_no);
  assert_parsed ("11010519491231002x", OW_LOOKUP_PERSON, "11010519491231002X");
  assert_parsed ("110105 19491231 002X", OW_LOOKUP_PERSON, "11010519491231002X");
  assert_parsed ("91350100M000100Y43", OW_LOOKUP_ORGANISATION, "91350100M000100Y43");

  /* One digit mistyped: the check character catches it, and the clerk is told so. */
  typo[12] = typo[12] == '9' ? '8' : typo[12] + 1;
  assert_refused (typo, "probably mistyped");
  assert_refused ("110105194912310021", "Not a valid ID number");
  assert_refused ("91350100M000100Y44", "Not a valid credit code");
  assert_refused ("4601000107202611250001", "23 characters");
  assert_refused ("OW1:garbage", "scan the receipt again");
  assert_refused ("张三", "neither a case number");
  assert_refused ("", "Scan the receipt");
}

static void
test_working_days (void)
{
  g_autoptr(OwCalendar) calendar = ow_calendar_new ();
  g_autoptr(OwCase) kase = ow_case_new ("4601000107202611250001X");
  g_autoptr(GDate) promised = g_date_new_dmy (4, G_DATE_DECEMBER, 2026);   /* a Friday */
  g_autoptr(GDate) monday = g_date_new_dmy (30, G_DATE_NOVEMBER, 2026);
  g_autoptr(GDate) sunday = g_date_new_dmy (6, G_DATE_DECEMBER, 2026);
  g_autoptr(GDate) tuesday = g_date_new_dmy (8, G_DATE_DECEMBER, 2026);
  int days = 99;

  g_assert_false (ow_case_working_days_left (kase, calendar, monday, &days));
  ow_case_set_promised_date (kase, promised);
  g_assert_true (ow_case_working_days_left (kase, calendar, monday, &days));
  g_assert_cmpint (days, ==, 4);
  g_assert_true (ow_case_working_days_left (kase, calendar, promised, &days));
  g_assert_cmpint (days, ==, 0);
  /* A promise due on a Friday is not broken on the Sunday … */
  g_assert_true (ow_case_working_days_left (kase, calendar, sunday, &days));
  g_assert_cmpint (days, ==, 0);
  /* … but two working days late on the Tuesday. */
  g_assert_true (ow_case_working_days_left (kase, calendar, tuesday, &days));
  g_assert_cmpint (days, ==, -2);

  g_assert_true (ow_case_state_is_ready (OW_CASE_STATE_RESULT_READY));
  g_assert_false (ow_case_state_is_ready (OW_CASE_STATE_APPROVED));
}

static void
test_rating (void)
{
  g_autoptr(OwRating) rating = ow_rating_new ("4601000107202611250001X",
                                              OW_RATING_DISSATISFIED, "等了很久");
  g_autoptr(OwRating) copy = NULL;
  g_autoptr(OwTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  g_assert_true (ow_rating_validate (rating, &field, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rating->channel, ==, "on-site");
  g_assert_true (ow_rating_level_is_poor (OW_RATING_DISSATISFIED));
  g_assert_true (ow_rating_level_is_poor (OW_RATING_VERY_DISSATISFIED));
  g_assert_false (ow_rating_level_is_poor (OW_RATING_BASICALLY_SATISFIED));
  g_assert_cmpstr (ow_rating_level_to_chinese (OW_RATING_VERY_SATISFIED), ==, "非常满意");
  g_assert_cmpstr (ow_rating_level_to_label (OW_RATING_VERY_DISSATISFIED), ==,
                   "Very dissatisfied");

  ticket = ow_rating_follow_up (rating, "张三", "13800138000");
  g_assert_cmpstr (ticket->rating_id, ==, rating->id);
  g_assert_cmpstr (ticket->case_no, ==, rating->case_no);
  g_assert_cmpint (ticket->tier, ==, OW_TICKET_TIER_5_DAYS);
  g_assert_nonnull (strstr (ticket->summary, "不满意"));
  g_assert_nonnull (strstr (ticket->summary, "等了很久"));
  g_assert_cmpstr (ticket->contact_phone, ==, "13800138000");

  copy = ow_rating_copy (rating);
  copy->level = 6;
  g_assert_false (ow_rating_validate (copy, &field, &error));
  g_assert_cmpstr (field, ==, "level");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);
  copy->level = OW_RATING_SATISFIED;
  g_free (copy->id);
  copy->id = g_strdup ("a b");
  g_assert_false (ow_rating_validate (copy, &field, &error));
  g_assert_cmpstr (field, ==, "id");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lookup/parse", test_parse);
  g_test_add_func ("/lookup/working-days", test_working_days);
  g_test_add_func ("/lookup/rating", test_rating);
  return g_test_run ();
}
