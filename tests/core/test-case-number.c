/* test-case-number.c — case numbers, their check character, query codes and QR payloads
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-case-number.h"
#include "core/ow-error.h"

/* Check characters computed independently: ISO/IEC 7064 MOD 37,36 in a few lines of Python,
 * which gives the published GRid example A12425GABC1234002M and, with M = 10, ISO 7064's
 * MOD 11,10 example 07945. */
static const struct
{
  const char *number;
  const char *hall;
  guint counter;
  int year, month, day;
  guint sequence;
} samples[] = {
  { "4601000107202611250001X", "46010001", 7, 2026, 11, 25, 1 },
  { "4601000107202611250017H", "46010001", 7, 2026, 11, 25, 17 },
  { "4601000199202512319999K", "46010001", 99, 2025, 12, 31, 9999 },
  { "1101050101202402290001Y", "11010501", 1, 2024, 2, 29, 1 },
};

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static void
assert_parse_fails (const char *text,
                    const char *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ow_case_number_parse (text, NULL, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("“%s”: message “%s” does not mention “%s”", text, error->message, fragment);
}

static void
test_make (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GDate) date = g_date_new_dmy (samples[i].day, samples[i].month, samples[i].year);
      g_autoptr(GError) error = NULL;
      g_autofree char *number = ow_case_number_make (samples[i].hall, samples[i].counter, date,
                                                     samples[i].sequence, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (number, ==, samples[i].number);
      g_assert_cmpuint (strlen (number), ==, OW_CASE_NUMBER_LENGTH);
      g_assert_cmpint (ow_case_number_check_char (number), ==, number[22]);
    }
}

static void
assert_make_fails (const char *hall,
                   guint       counter,
                   const GDate *date,
                   guint       sequence,
                   const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = ow_case_number_make (hall, counter, date, sequence, &error);

  g_assert_null (number);
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message “%s” does not mention “%s”", error->message, fragment);
}

static void
test_make_invalid (void)
{
  g_autoptr(GDate) date = g_date_new_dmy (25, 11, 2026);
  g_autoptr(GDate) invalid = g_date_new ();

  assert_make_fails ("4601000", 7, date, 1, "not 8 digits");
  assert_make_fails ("460100011", 7, date, 1, "not 8 digits");
  assert_make_fails ("4601000A", 7, date, 1, "not 8 digits");
  assert_make_fails (NULL, 7, date, 1, "not 8 digits");
  assert_make_fails ("46010001", 0, date, 1, "between 1 and 99");
  assert_make_fails ("46010001", 100, date, 1, "between 1 and 99");
  assert_make_fails ("46010001", 7, invalid, 1, "date");
  assert_make_fails ("46010001", 7, date, 0, "start at 1");
  assert_make_fails ("46010001", 7, date, 10000, "made 9999 case numbers today");
}

static void
test_parse (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      OwCaseNumberParts parts;
      g_autoptr(GError) error = NULL;
      g_autofree char *formatted = ow_case_number_format (samples[i].number);
      g_autofree char *normalized = ow_case_number_normalize (formatted);

      memset (&parts, 0xff, sizeof parts);
      g_assert_true (ow_case_number_parse (samples[i].number, &parts, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (parts.hall, ==, samples[i].hall);
      g_assert_cmpuint (parts.counter, ==, samples[i].counter);
      g_assert_true (g_date_valid (&parts.date));
      g_assert_cmpint (g_date_get_year (&parts.date), ==, samples[i].year);
      g_assert_cmpint (g_date_get_month (&parts.date), ==, samples[i].month);
      g_assert_cmpint (g_date_get_day (&parts.date), ==, samples[i].day);
      g_assert_cmpuint (parts.sequence, ==, samples[i].sequence);

      g_assert_true (ow_case_number_parse (formatted, NULL, NULL));
      g_assert_cmpstr (normalized, ==, samples[i].number);
    }
}

static void
test_format (void)
{
  g_autofree char *formatted = ow_case_number_format ("4601000107202611250001X");
  g_autofree char *again = ow_case_number_format (formatted);
  g_autofree char *odd = ow_case_number_format ("not a number");

  g_assert_cmpstr (formatted, ==, "46010001-07-20261125-0001-X");
  g_assert_cmpstr (again, ==, "46010001-07-20261125-0001-X");
  g_assert_cmpstr (odd, ==, "not a number");
}

static void
test_parse_lenient_input (void)
{
  const char *forms[] = {
    "46010001-07-20261125-0001-X",
    "46010001 07 20261125 0001 X",
    " 4601000107202611250001x\n",
    "4601-0001-0720-2611-2500-01X",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *normalized = ow_case_number_normalize (forms[i]);

      g_assert_cmpstr (normalized, ==, "4601000107202611250001X");
    }

  g_assert_null (ow_case_number_normalize ("4601000107202611250001Y"));
  g_assert_null (ow_case_number_normalize (""));
  g_assert_null (ow_case_number_normalize (NULL));
}

static void
test_parse_errors (void)
{
  char body[24];

  assert_parse_fails ("4601000107202611250001Y",
                      "should be X, not Y; the number was probably mistyped");
  assert_parse_fails ("460100010720261125001X", "23 characters; this one has 22");
  assert_parse_fails ("46010001072026112500001X", "this one has 24");
  assert_parse_fails ("", "empty");
  assert_parse_fails (NULL, "empty");
  assert_parse_fails ("460100010720261125000AX", "Character 22");
  assert_parse_fails ("4601000107202611250001*", "digit or a letter");
  assert_parse_fails ("４６０１０００１０７２０２６１１２５０００１Ｘ", "Character 1 of the case number, “４”");
  assert_parse_fails ("46010001-07-20261125-000１-X", "Character 22");
  assert_parse_fails ("4601000107202611250001\xff", "not text");

  /* Right check character, impossible contents: made by a faulty program. */
  g_strlcpy (body, "4601000100202611250001", sizeof body);
  body[22] = ow_case_number_check_char (body);
  body[23] = '\0';
  assert_parse_fails (body, "counter 00");

  g_strlcpy (body, "4601000107202602300001", sizeof body);
  body[22] = ow_case_number_check_char (body);
  body[23] = '\0';
  assert_parse_fails (body, "2026-02-30, does not exist");

  g_strlcpy (body, "4601000107202302290001", sizeof body);
  body[22] = ow_case_number_check_char (body);
  body[23] = '\0';
  assert_parse_fails (body, "2023-02-29, does not exist");

  g_strlcpy (body, "4601000107202611250000", sizeof body);
  body[22] = ow_case_number_check_char (body);
  body[23] = '\0';
  assert_parse_fails (body, "0000");

  g_assert_cmpint (ow_case_number_check_char ("460100010720261125000"), ==, '\0');
  g_assert_cmpint (ow_case_number_check_char ("46010001072026112500-1"), ==, '\0');
}

/* Any single mistyped character is caught, wherever it is and whatever it became. */
static void
test_detects_every_substitution (void)
{
  for (gsize s = 0; s < G_N_ELEMENTS (samples); s++)
    {
      const char *number = samples[s].number;
      guint checked = 0;

      for (guint position = 0; position < OW_CASE_NUMBER_LENGTH; position++)
        for (const char *c = alphabet; *c != '\0'; c++)
          {
            char typo[OW_CASE_NUMBER_LENGTH + 1];

            if (*c == number[position])
              continue;
            memcpy (typo, number, sizeof typo);
            typo[position] = *c;

            if (ow_case_number_parse (typo, NULL, NULL))
              g_error ("%s, a typo of %s, was accepted", typo, number);
            /* The check system itself, not only the digit rule, catches it. */
            if (position < OW_CASE_NUMBER_LENGTH - 1)
              g_assert_cmpint (ow_case_number_check_char (typo), !=, number[22]);
            checked++;
          }

      g_assert_cmpuint (checked, ==, OW_CASE_NUMBER_LENGTH * 35);
    }
}

/* Any two neighbours swapped are caught, the check character included. */
static void
test_detects_every_transposition (void)
{
  for (gsize s = 0; s < G_N_ELEMENTS (samples); s++)
    {
      const char *number = samples[s].number;
      guint checked = 0;

      for (guint position = 0; position + 1 < OW_CASE_NUMBER_LENGTH; position++)
        {
          char swapped[OW_CASE_NUMBER_LENGTH + 1];

          if (number[position] == number[position + 1])
            continue;
          memcpy (swapped, number, sizeof swapped);
          swapped[position] = number[position + 1];
          swapped[position + 1] = number[position];

          if (ow_case_number_parse (swapped, NULL, NULL))
            g_error ("%s, %s with two neighbours swapped, was accepted", swapped, number);
          checked++;
        }
      g_assert_cmpuint (checked, >, 10);
    }

}

/* ISO/IEC 7064 says of its hybrid systems that they catch all single substitutions but only
 * nearly all neighbour swaps. The limit, measured over many made-up numbers so that nobody
 * relies on more than it gives: a swap of two digits that differ by one goes unnoticed when
 * the running sum before them has one particular value, about 1 in 200 swaps. */
static void
test_transposition_limit (void)
{
  GRand *rand = g_rand_new_with_seed (20261125);
  guint swaps = 0;
  guint unnoticed = 0;

  for (guint n = 0; n < 5000; n++)
    {
      char number[OW_CASE_NUMBER_LENGTH + 1];

      for (guint i = 0; i < OW_CASE_NUMBER_LENGTH - 1; i++)
        number[i] = (char) ('0' + g_rand_int_range (rand, 0, 10));
      number[OW_CASE_NUMBER_LENGTH - 1] = ow_case_number_check_char (number);
      number[OW_CASE_NUMBER_LENGTH] = '\0';

      for (guint position = 0; position + 2 < OW_CASE_NUMBER_LENGTH; position++)
        {
          char swapped[OW_CASE_NUMBER_LENGTH + 1];

          if (number[position] == number[position + 1])
            continue;
          memcpy (swapped, number, sizeof swapped);
          swapped[position] = number[position + 1];
          swapped[position + 1] = number[position];
          swaps++;
          if (ow_case_number_check_char (swapped) == number[OW_CASE_NUMBER_LENGTH - 1])
            {
              unnoticed++;
              g_assert_cmpint (ABS (number[position] - number[position + 1]), ==, 1);
            }
        }
    }
  g_rand_free (rand);

  g_test_message ("%u of %u neighbour swaps unnoticed", unnoticed, swaps);
  g_assert_cmpuint (swaps, >, 90000);
  g_assert_cmpuint (unnoticed, >, 0);
  g_assert_cmpuint (unnoticed * 100, <, swaps);
}

static void
test_query_code (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[256] = { 0 };
  const char *allowed = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  const guint n_codes = 2000;

  for (guint i = 0; i < n_codes; i++)
    {
      char *code = ow_query_code_new ();

      g_assert_cmpuint (strlen (code), ==, 6);
      for (const char *p = code; *p != '\0'; p++)
        {
          g_assert_nonnull (strchr (allowed, *p));
          counts[(guchar) *p]++;
        }
      g_hash_table_add (seen, code);
    }

  /* 31^6 codes: 2000 draws repeat one with a chance of about 0.2 %; allow a few. */
  g_assert_cmpuint (g_hash_table_size (seen), >=, n_codes - 5);
  /* 12 000 characters over 31 symbols: each is expected ~387 times; a missing or dominant
   * symbol means a broken source. */
  for (const char *p = allowed; *p != '\0'; p++)
    g_assert_cmpuint (counts[(guchar) *p], >, 250);
  for (const char *p = allowed; *p != '\0'; p++)
    g_assert_cmpuint (counts[(guchar) *p], <, 550);
}

static void
test_qr (void)
{
  g_autofree char *payload = ow_case_qr_payload ("46010001-07-20261125-0001-X", "K7Q2MX");
  const struct
  {
    const char *text;
    const char *case_no;
    const char *query_code;
  } good[] = {
    { "OW1:4601000107202611250001X:K7Q2MX", "4601000107202611250001X", "K7Q2MX" },
    { "ow1:4601000107202611250001x:k7q2mx\r\n", "4601000107202611250001X", "K7Q2MX" },
    { "OW1:46010001-07-20261125-0001-X:K7Q2MX", "4601000107202611250001X", "K7Q2MX" },
    { "4601000107202611250001X", "4601000107202611250001X", NULL },
    { "46010001-07-20261125-0001-X\n", "4601000107202611250001X", NULL },
  };
  const char *bad[] = {
    "OW1:4601000107202611250001Y:K7Q2MX", /* mistyped check character */
    "OW1:4601000107202611250001X",
    "OW1:4601000107202611250001X:",
    "OW1:4601000107202611250001X:K7Q2MXX",
    "OW1:4601000107202611250001X:K7-2MX",
    "OW2:4601000107202611250001X:K7Q2MX",
    "https://example.org/",
    "",
  };

  g_assert_cmpstr (payload, ==, "OW1:4601000107202611250001X:K7Q2MX");

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *case_no = NULL;
      g_autofree char *query_code = NULL;

      if (!ow_case_qr_parse (good[i].text, &case_no, &query_code))
        g_error ("“%s” was not understood", good[i].text);
      g_assert_cmpstr (case_no, ==, good[i].case_no);
      g_assert_cmpstr (query_code, ==, good[i].query_code);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *case_no = NULL;
      char *query_code = NULL;

      if (ow_case_qr_parse (bad[i], &case_no, &query_code))
        g_error ("“%s” was accepted", bad[i]);
      g_assert_null (case_no);
      g_assert_null (query_code);
    }
  g_assert_false (ow_case_qr_parse (NULL, NULL, NULL));
  g_assert_true (ow_case_qr_parse (payload, NULL, NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/case-number/make", test_make);
  g_test_add_func ("/case-number/make-invalid", test_make_invalid);
  g_test_add_func ("/case-number/parse", test_parse);
  g_test_add_func ("/case-number/format", test_format);
  g_test_add_func ("/case-number/lenient-input", test_parse_lenient_input);
  g_test_add_func ("/case-number/parse-errors", test_parse_errors);
  g_test_add_func ("/case-number/every-substitution", test_detects_every_substitution);
  g_test_add_func ("/case-number/every-transposition", test_detects_every_transposition);
  g_test_add_func ("/case-number/transposition-limit", test_transposition_limit);
  g_test_add_func ("/case-number/query-code", test_query_code);
  g_test_add_func ("/case-number/qr", test_qr);

  return g_test_run ();
}
