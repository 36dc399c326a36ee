/* test-key-burst.c — a barcode scanner's burst of keys, and case numbers typed or scanned
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "core/ow-case-number.h"
#include "search/ow-key-burst.h"

/* Types @n keys @gap_ms apart from @start; returns the last key's time. */
static gint64
type_keys (OwKeyBurst *burst,
           gint64      start,
           guint       n,
           gint64      gap_ms)
{
  for (guint i = 0; i < n; i++)
    ow_key_burst_key (burst, start + i * gap_ms);
  return start + (n - 1) * gap_ms;
}

static void
test_scanner (void)
{
  g_autoptr(OwKeyBurst) burst = ow_key_burst_new ();
  gint64 last;

  /* A scanner: 27 characters 4 ms apart, Enter 5 ms later. */
  last = type_keys (burst, 1000, 27, 4);
  g_assert_cmpuint (ow_key_burst_enter (burst, last + 5), ==, 27);
  /* Enter starts afresh: a lone Enter is nothing. */
  g_assert_cmpuint (ow_key_burst_enter (burst, last + 10), ==, 0);
  /* Just at the thresholds: 8 keys 29 ms apart is a burst, 30 ms is not, 7 keys are not. */
  last = type_keys (burst, 5000, 8, 29);
  g_assert_cmpuint (ow_key_burst_enter (burst, last + 29), ==, 8);
  last = type_keys (burst, 9000, 8, 30);
  g_assert_cmpuint (ow_key_burst_enter (burst, last + 1), ==, 0);
  last = type_keys (burst, 12000, 7, 2);
  g_assert_cmpuint (ow_key_burst_enter (burst, last + 1), ==, 0);
}

static void
test_person (void)
{
  g_autoptr(OwKeyBurst) burst = ow_key_burst_new ();
  gint64 last;

  /* A fast typist: 120 ms a key. */
  last = type_keys (burst, 1000, 20, 120);
  g_assert_cmpuint (ow_key_burst_enter (burst, last + 100), ==, 0);
  /* A burst the clerk ended by hand, a second later, is not a scan. */
  last = type_keys (burst, 10000, 23, 3);
  g_assert_cmpuint (ow_key_burst_enter (burst, last + 1000), ==, 0);
  /* A clock that runs backwards is not a burst. */
  last = type_keys (burst, 20000, 12, -3);
  g_assert_cmpuint (ow_key_burst_enter (burst, last - 3), ==, 0);
}

static void
test_typed_then_scanned (void)
{
  g_autoptr(OwKeyBurst) burst = ow_key_burst_new ();
  gint64 last;

  /* The clerk typed three letters, paused, then scanned: only the scanner's keys count. */
  last = type_keys (burst, 1000, 3, 150);
  last = type_keys (burst, last + 800, 27, 5);
  g_assert_cmpuint (ow_key_burst_enter (burst, last + 4), ==, 27);
  /* Reset forgets a half-seen burst. */
  last = type_keys (burst, 50000, 10, 5);
  ow_key_burst_reset (burst);
  g_assert_cmpuint (ow_key_burst_enter (burst, last + 4), ==, 0);
}

static void
test_parse_case (void)
{
  GDate date;
  g_autofree char *number = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *from_payload = NULL;
  g_autofree char *from_number = NULL;
  g_autofree char *from_formatted = NULL;
  g_autofree char *wrong = NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 25, 11, 2026);
  number = ow_case_number_make ("46010001", 7, &date, 1, NULL);
  g_assert_nonnull (number);
  formatted = ow_case_number_format (number);
  payload = ow_case_qr_payload (number, "K7Q2MX");

  from_payload = ow_key_burst_parse_case (payload);
  g_assert_cmpstr (from_payload, ==, number);
  from_number = ow_key_burst_parse_case (number);
  g_assert_cmpstr (from_number, ==, number);
  from_formatted = ow_key_burst_parse_case (formatted);
  g_assert_cmpstr (from_formatted, ==, number);

  /* One character mistyped: not a case number, so the text is searched as a query. */
  wrong = g_strdup (number);
  wrong[5] = wrong[5] == '9' ? '8' : '9';
  g_assert_null (ow_key_burst_parse_case (wrong));
  g_assert_null (ow_key_burst_parse_case ("yyzz"));
  g_assert_null (ow_key_burst_parse_case ("20020010046010002001"));
  g_assert_null (ow_key_burst_parse_case (""));
  g_assert_null (ow_key_burst_parse_case (NULL));
  g_assert_null (ow_key_burst_parse_case ("OW1:\xff\xfe:ABC"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/key-burst/scanner", test_scanner);
  g_test_add_func ("/search/key-burst/person", test_person);
  g_test_add_func ("/search/key-burst/typed-then-scanned", test_typed_then_scanned);
  g_test_add_func ("/search/key-burst/parse-case", test_parse_case);

  return g_test_run ();
}
