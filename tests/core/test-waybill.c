/* test-waybill.c — carriers and waybill numbers: the S10 check digit and configured patterns
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/ow-error.h"
#include "core/ow-waybill.h"

/* Check digits computed apart from the code (a few lines of Python following UPU S10: weights
 * 8 6 4 2 3 5 9 7, 11 − sum mod 11, 10 → 0, 11 → 5), including both special cases. */
static void
test_check_digit (void)
{
  g_assert_cmpint (ow_waybill_s10_check_digit ("12345678"), ==, '5');  /* EA123456785CN */
  g_assert_cmpint (ow_waybill_s10_check_digit ("47312482"), ==, '9');
  g_assert_cmpint (ow_waybill_s10_check_digit ("98765432"), ==, '6');
  g_assert_cmpint (ow_waybill_s10_check_digit ("00000000"), ==, '5');  /* 11 → 5 */
  g_assert_cmpint (ow_waybill_s10_check_digit ("00000008"), ==, '0');  /* 10 → 0 */
  g_assert_cmpint (ow_waybill_s10_check_digit ("1234567"), ==, '\0');
  g_assert_cmpint (ow_waybill_s10_check_digit ("1234567A"), ==, '\0');
  g_assert_cmpint (ow_waybill_s10_check_digit (NULL), ==, '\0');

  g_assert_true (ow_waybill_looks_s10 ("EA123456785CN"));
  g_assert_false (ow_waybill_looks_s10 ("EA12345678CN"));
  g_assert_false (ow_waybill_looks_s10 ("ea123456785cn"));
  g_assert_false (ow_waybill_looks_s10 ("SF1234567890123"));
}

static GPtrArray *
default_carriers (void)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *carriers = ow_carriers_parse (ow_carriers_default_lines (), &error);

  g_assert_no_error (error);
  g_assert_nonnull (carriers);
  return carriers;
}

static void
assert_refused (const OwCarrier *carrier,
                const char      *waybill,
                const char      *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  g_assert_false (ow_carrier_check_waybill (carrier, waybill, &normalized, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_null (normalized);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s”: “%s” does not say “%s”", waybill, error->message, fragment);
}

static void
test_carriers (void)
{
  g_autoptr(GPtrArray) carriers = default_carriers ();
  const OwCarrier *ems = ow_carriers_find (carriers, "ems");
  const OwCarrier *post = ow_carriers_find (carriers, "china-post");
  const OwCarrier *sf = ow_carriers_find (carriers, "sf");
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (ems);
  g_assert_nonnull (post);
  g_assert_nonnull (sf);
  g_assert_nonnull (ow_carriers_find (carriers, "jd"));
  g_assert_null (ow_carriers_find (carriers, "pigeon"));
  g_assert_cmpstr (post->name, ==, "中国邮政");

  /* S10: the check digit, blanks and case forgiven. */
  g_assert_true (ow_carrier_check_waybill (ems, " ea 1234 5678 5cn ", &normalized, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, "EA123456785CN");
  g_assert_true (ow_carrier_check_waybill (post, "RR000000080CN", NULL, &error));
  g_assert_no_error (error);
  /* One digit off, or two swapped: the check digit tells. */
  assert_refused (ems, "EA123456784CN", "should be 5");
  assert_refused (ems, "EA123456875CN", "check digit");
  assert_refused (post, "EA12345678CN", "13 characters");
  assert_refused (ems, "", "Enter the waybill number");

  /* Others by their pattern. */
  g_assert_true (ow_carrier_check_waybill (sf, "SF1234567890123", NULL, &error));
  g_assert_no_error (error);
  assert_refused (sf, "SF12345", "顺丰速运");
  assert_refused (sf, "EA123456785CN", "顺丰速运");
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) carriers = NULL;
  const char *duplicate[] = { "ems|EMS|s10", "ems|EMS again|s10", NULL };
  const char *custom[] = { "zto|中通快递|^7[0-9]{11}$", NULL };
  OwCarrier *carrier;

  carrier = ow_carrier_parse ("ems|EMS", &error);
  g_assert_null (carrier);
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_clear_error (&error);
  carrier = ow_carrier_parse ("e m s|EMS|s10", &error);
  g_assert_null (carrier);
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_clear_error (&error);
  carrier = ow_carrier_parse ("x|X|[unclosed", &error);
  g_assert_null (carrier);
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_clear_error (&error);
  carrier = ow_carrier_parse ("x||s10", &error);
  g_assert_null (carrier);
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (ow_carriers_parse (duplicate, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_clear_error (&error);

  /* A hall's own carrier, with its own pattern. */
  carriers = ow_carriers_parse (custom, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (carriers->len, ==, 1);
  g_assert_true (ow_carrier_check_waybill (g_ptr_array_index (carriers, 0), "712345678901",
                                           NULL, &error));
  g_assert_no_error (error);
  assert_refused (g_ptr_array_index (carriers, 0), "812345678901", "中通快递");
}

/* What the platform checks: the carrier must be the hall's, the number its carrier's; without a
 * carrier (an older counter's event) only S10-shaped numbers are checked. */
static void
test_validate (void)
{
  g_autoptr(GPtrArray) carriers = default_carriers ();
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  g_assert_true (ow_waybill_validate (carriers, "ems", "EA123456785CN", &field, &error));
  g_assert_no_error (error);
  g_assert_null (field);

  g_assert_false (ow_waybill_validate (carriers, "pigeon", "EA123456785CN", &field, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_cmpstr (field, ==, "carrier");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);

  g_assert_false (ow_waybill_validate (carriers, "ems", "EA123456784CN", &field, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_cmpstr (field, ==, "waybill");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);

  g_assert_true (ow_waybill_validate (carriers, NULL, "SF1234567890", &field, &error));
  g_assert_no_error (error);
  g_assert_false (ow_waybill_validate (carriers, NULL, "EA123456784CN", &field, &error));
  g_assert_cmpstr (field, ==, "waybill");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waybill/check-digit", test_check_digit);
  g_test_add_func ("/waybill/carriers", test_carriers);
  g_test_add_func ("/waybill/parse", test_parse);
  g_test_add_func ("/waybill/validate", test_validate);
  return g_test_run ();
}
