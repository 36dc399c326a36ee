/* test-validate.c — resident IDs, credit codes, mobile numbers and identifier normalization
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/ow-error.h"
#include "core/ow-region.h"
#include "core/ow-validate.h"

/* Fixtures were computed independently of the code under test (a few lines of Python following
 * GB 11643 and GB 32100), so a wrong weight or table in the C code cannot hide itself. */

static GDate *
make_date (int year, int month, int day)
{
  return g_date_new_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static void
assert_id_invalid (const char *id,
                   const GDate *today,
                   const char *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ow_validate_resident_id (id, today, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s”: message “%s” does not mention “%s”", id, error->message, fragment);
}

static void
test_resident_id_check_char (void)
{
  g_assert_cmpint (ow_resident_id_check_char ("11010519491231002"), ==, 'X');
  g_assert_cmpint (ow_resident_id_check_char ("46010020000229123"), ==, '3');
  g_assert_cmpint (ow_resident_id_check_char ("46010019990228123"), ==, '8');
  g_assert_cmpint (ow_resident_id_check_char ("44030620120101001"), ==, '9');
  g_assert_cmpint (ow_resident_id_check_char ("82000019700101001"), ==, '1');
  /* A whole ID may be passed: only the first 17 characters count. */
  g_assert_cmpint (ow_resident_id_check_char ("11010519491231002X"), ==, 'X');

  g_assert_cmpint (ow_resident_id_check_char ("1101051949123100"), ==, '\0');
  g_assert_cmpint (ow_resident_id_check_char (""), ==, '\0');
  g_assert_cmpint (ow_resident_id_check_char ("1101051949123100A"), ==, '\0');
  g_assert_cmpint (ow_resident_id_check_char ("11010519491231 02"), ==, '\0');
}

static void
test_resident_id_valid (void)
{
  g_autoptr(GDate) today = make_date (2026, 11, 25);
  const char *valid[] = {
    "11010519491231002X",
    "11010519491231002x", /* typed in lower case */
    "460100200002291233", /* 29 February of a leap year */
    "110105202402290011", /* 29 February 2024 */
    "460100199902281238",
    "440306201201010019",
    "650102198001018882",
    "820000197001010011", /* Macao */
    "710000197001010024", /* Taiwan */
    "11010519000101001X", /* 1 January 1900 */
    "360100198710101011",
    "460000202611240013", /* born yesterday */
    "460100202611250014", /* born today */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!ow_validate_resident_id (valid[i], today, &error))
        g_error ("%s should be valid: %s", valid[i], error->message);
    }
}

static void
test_resident_id_invalid (void)
{
  g_autoptr(GDate) today = make_date (2026, 11, 25);

  assert_id_invalid ("110105194912310023", today, "should be X, not 3");
  assert_id_invalid ("110105194912310021", today, "probably mistyped");
  assert_id_invalid ("11010519491231002Y", today, "digit or X");
  /* A swap of two neighbours changes the check character. */
  assert_id_invalid ("11010519491231020X", today, "check character");

  assert_id_invalid ("11010519491231002", today, "18 characters; this one has 17");
  assert_id_invalid ("11010519491231002XX", today, "18 characters; this one has 19");
  assert_id_invalid ("", today, "empty");
  assert_id_invalid (NULL, today, "empty");
  assert_id_invalid ("1101051949123100AX", today, "Character 17");
  assert_id_invalid ("11010 19491231002X", today, "Character 6");
  assert_id_invalid ("１１０１０５１９４９１２３１００２Ｘ", today, "half-width");
  assert_id_invalid ("1101051949123１002X", today, "Character 14");

  assert_id_invalid ("460100199902291233", today, "1999-02-29, does not exist");
  assert_id_invalid ("110105190002290017", today, "1900-02-29, does not exist");
  assert_id_invalid ("110105202302290014", today, "2023-02-29, does not exist");
  assert_id_invalid ("460100198713010012", today, "does not exist");
  assert_id_invalid ("460100198704310013", today, "1987-04-31, does not exist");
  assert_id_invalid ("460100198700000018", today, "does not exist");

  assert_id_invalid ("110105202701010016", today, "2027-01-01, is in the future");
  assert_id_invalid ("46010020261126001X", today, "2026-11-26, is in the future");

  assert_id_invalid ("19010019870101001X", today, "starts with 19");
  assert_id_invalid ("720100198701010019", today, "no province");
  assert_id_invalid ("990100198701010019", today, "no province");
  assert_id_invalid ("00010019870101001X", today, "no province");
}

static void
test_resident_id_today_matters (void)
{
  g_autoptr(GDate) before = make_date (2026, 11, 23);
  g_autoptr(GDate) after = make_date (2026, 11, 24);
  g_autoptr(GDate) leap_day = make_date (2000, 2, 29);
  g_autoptr(GDate) day_before = make_date (2000, 2, 28);

  assert_id_invalid ("460000202611240013", before, "in the future");
  g_assert_true (ow_validate_resident_id ("460000202611240013", after, NULL));

  g_assert_true (ow_validate_resident_id ("460100200002291233", leap_day, NULL));
  assert_id_invalid ("460100200002291233", day_before, "in the future");

  /* Without a date the local clock decides: someone born in 1949 is never in the future. */
  g_assert_true (ow_validate_resident_id ("11010519491231002X", NULL, NULL));
  assert_id_invalid ("110105194912310023", NULL, "should be X");
}

static void
test_resident_id_every_province (void)
{
  g_autoptr(GDate) today = make_date (2026, 11, 25);
  const int provinces[] = { 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                            43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82 };

  for (int code = 0; code < 100; code++)
    {
      char id[19];
      gboolean expected = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (provinces); i++)
        expected |= provinces[i] == code;

      g_snprintf (id, sizeof id, "%02d010019800101123", code);
      id[17] = ow_resident_id_check_char (id);
      id[18] = '\0';
      g_assert_cmpint (ow_validate_resident_id (id, today, NULL), ==, expected);
    }
}

static void
assert_credit_invalid (const char *code,
                       const char *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ow_validate_credit_code (code, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s”: message “%s” does not mention “%s”", code, error->message, fragment);
}

static void
test_credit_code (void)
{
  const char *valid[] = {
    "91350100M000100Y43",
    "91460100MA5T0000XB",
    "12100000400000000W",
    "51460000MJ00000012",
    "Y1460100MA5RC12348",
    "91110108551385082Q",
    "93460100MA5TAAAA04",
    "91460100MA5T0000F0", /* the sum is a multiple of 31: 31 − 0 → 0 */
    "91350100m000100y43", /* typed in lower case */
  };

  g_assert_cmpint (ow_credit_code_check_char ("91350100M000100Y4"), ==, '3');
  g_assert_cmpint (ow_credit_code_check_char ("93460100MA5TAAAA0"), ==, '4');
  g_assert_cmpint (ow_credit_code_check_char ("12100000400000000"), ==, 'W');
  g_assert_cmpint (ow_credit_code_check_char ("91460100MA5T0000F"), ==, '0');
  g_assert_cmpint (ow_credit_code_check_char ("91350100I000100Y4"), ==, '\0');
  g_assert_cmpint (ow_credit_code_check_char ("9135010"), ==, '\0');

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!ow_validate_credit_code (valid[i], &error))
        g_error ("%s should be valid: %s", valid[i], error->message);
    }

  assert_credit_invalid ("91350100M000100Y44", "should be 3, not 4");
  assert_credit_invalid ("91350100M000100Y4", "18 characters; this one has 17");
  assert_credit_invalid ("91350100M000100Y433", "this one has 19");
  assert_credit_invalid ("", "empty");
  assert_credit_invalid (NULL, "empty");
  assert_credit_invalid ("91350100O000100Y43", "Character 9");
  assert_credit_invalid ("91350100O000100Y43", "never use");
  assert_credit_invalid ("9135010IM000100Y43", "never use");
  assert_credit_invalid ("91350100M000100Y4-", "neither a digit nor a capital letter");
  assert_credit_invalid ("91A50100M000100Y43", "region");
  /* Neighbours swapped. */
  assert_credit_invalid ("19350100M000100Y43", "probably mistyped");
}

static void
assert_mobile (const char *phone,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  if (!ow_validate_mobile (phone, &normalized, &error))
    g_error ("“%s” should be valid: %s", phone, error->message);
  g_assert_cmpstr (normalized, ==, expected);
}

static void
assert_mobile_invalid (const char *phone,
                       const char *fragment)
{
  g_autoptr(GError) error = NULL;
  char *normalized = (char *) "untouched";

  g_assert_false (ow_validate_mobile (phone, &normalized, &error));
  g_assert_cmpstr (normalized, ==, "untouched");
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s”: message “%s” does not mention “%s”", phone, error->message, fragment);
}

static void
test_mobile (void)
{
  assert_mobile ("13800138000", "13800138000");
  assert_mobile ("19912345678", "19912345678");
  assert_mobile ("+8613800138000", "13800138000");
  assert_mobile ("8613800138000", "13800138000");
  assert_mobile ("+86 138 0013 8000", "13800138000");
  assert_mobile ("138-0013-8000", "13800138000");
  assert_mobile (" 138 0013 8000 ", "13800138000");
  assert_mobile ("+86-138-0013-8000", "13800138000");
  g_assert_true (ow_validate_mobile ("15012345678", NULL, NULL));

  assert_mobile_invalid ("12800138000", "starts with 13 to 19");
  assert_mobile_invalid ("10800138000", "starts with 13 to 19");
  assert_mobile_invalid ("23800138000", "starts with 13 to 19");
  assert_mobile_invalid ("1380013800", "11 digits; this one has 10");
  assert_mobile_invalid ("138001380001", "this one has 12");
  assert_mobile_invalid ("+85213800138000", "mainland");
  assert_mobile_invalid ("+1 650 253 0000", "mainland");
  assert_mobile_invalid ("0898-66668888", "this one has 12");
  assert_mobile_invalid ("0898-6666888", "starts with 13 to 19");
  assert_mobile_invalid ("138.0013.8000", "only digits");
  assert_mobile_invalid ("1380013800O", "only digits");
  assert_mobile_invalid ("", "empty");
  assert_mobile_invalid (NULL, "empty");
  assert_mobile_invalid ("86", "11 digits");
}

static void
test_normalize_identifier (void)
{
  g_autofree char *a = ow_normalize_identifier (" 110105 19491231 002x ");
  g_autofree char *b = ow_normalize_identifier ("91350100m000100y43");
  g_autofree char *c = ow_normalize_identifier ("１１０１０５１９４９１２３１００２ｘ");
  g_autofree char *d = ow_normalize_identifier ("46\t01\u300000");
  g_autofree char *e = ow_normalize_identifier ("");

  g_assert_cmpstr (a, ==, "11010519491231002X");
  g_assert_cmpstr (b, ==, "91350100M000100Y43");
  g_assert_cmpstr (c, ==, "11010519491231002X");
  g_assert_cmpstr (d, ==, "460100");
  g_assert_cmpstr (e, ==, "");
  g_assert_null (ow_normalize_identifier (NULL));

  g_assert_true (ow_validate_resident_id (a, NULL, NULL));
  g_assert_true (ow_validate_resident_id (c, NULL, NULL));
  g_assert_true (ow_validate_credit_code (b, NULL));
}

/* An ID with region @region (six digits) and a valid check character. */
static char *
make_id (const char *region)
{
  g_autofree char *first17 = g_strconcat (region, "19491231002", NULL);
  char check = ow_resident_id_check_char (first17);

  g_assert_cmpint (check, !=, '\0');
  return g_strdup_printf ("%s%c", first17, check);
}

/* Issue 15, 6: only the province of an ID's region was checked; now a county GB/T 2260 never
 * had gets a warning (never a refusal: the table lacks some historical codes). */
static void
test_region (void)
{
  static const struct
  {
    const char     *code;
    OwRegionStatus  status;
  } codes[] = {
    { "110105", OW_REGION_CURRENT },     /* 北京市朝阳区 */
    { "460106", OW_REGION_CURRENT },     /* 海口市龙华区 */
    { "469001", OW_REGION_CURRENT },     /* 五指山市 */
    { "110103", OW_REGION_HISTORICAL },  /* 崇文区, merged into 东城区 in 2010 */
    { "460001", OW_REGION_HISTORICAL },  /* 通什市, 五指山市 since 2001 */
    { "500381", OW_REGION_HISTORICAL },  /* 江津市, a district of 重庆 since 2006 */
    { "110199", OW_REGION_UNKNOWN },
    { "460199", OW_REGION_UNKNOWN },
    { "999999", OW_REGION_UNKNOWN },
    { "11010", OW_REGION_UNKNOWN },
    { "1101x5", OW_REGION_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_test_message ("%s", codes[i].code);
      g_assert_cmpint (ow_region_lookup (codes[i].code), ==, codes[i].status);
    }
  g_assert_cmpuint (ow_region_count (), >, 4000);

  {
    g_autofree char *known = make_id ("110105");
    g_autofree char *historical = make_id ("110103");
    g_autofree char *unknown = make_id ("110199");
    g_autofree char *warning = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_null (ow_resident_id_region_warning (known));
    g_assert_null (ow_resident_id_region_warning (historical));
    /* Valid as far as the standard's check goes, and still a warning. */
    g_assert_true (ow_validate_resident_id (unknown, NULL, &error));
    g_assert_no_error (error);
    warning = ow_resident_id_region_warning (unknown);
    g_assert_nonnull (warning);
    g_assert_nonnull (strstr (warning, "110199"));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/resident-id/check-char", test_resident_id_check_char);
  g_test_add_func ("/validate/resident-id/valid", test_resident_id_valid);
  g_test_add_func ("/validate/resident-id/invalid", test_resident_id_invalid);
  g_test_add_func ("/validate/resident-id/today", test_resident_id_today_matters);
  g_test_add_func ("/validate/resident-id/provinces", test_resident_id_every_province);
  g_test_add_func ("/validate/credit-code", test_credit_code);
  g_test_add_func ("/validate/mobile", test_mobile);
  g_test_add_func ("/validate/normalize", test_normalize_identifier);
  g_test_add_func ("/validate/region", test_region);

  return g_test_run ();
}
