/* ow-validate.c — checks of the identifiers a clerk types: resident ID, credit code, mobile
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ow-clock.h"
#include "ow-error.h"
#include "ow-validate.h"

#define RESIDENT_ID_LENGTH 18
#define CREDIT_CODE_LENGTH 18

static const guint resident_id_weights[17] =
  { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char resident_id_checks[] = "10X98765432";

/* GB 32100 leaves out I, O, S, V and Z so that they are not confused with 1, 0, 5, U and 2. */
static const char credit_code_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const guint credit_code_weights[17] =
  { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

/* GB/T 2260: the provinces, autonomous regions, municipalities and SARs. */
static const guint8 province_codes[] = {
  11, 12, 13, 14, 15,
  21, 22, 23,
  31, 32, 33, 34, 35, 36, 37,
  41, 42, 43, 44, 45, 46,
  50, 51, 52, 53, 54,
  61, 62, 63, 64, 65,
  71, 81, 82,
};

static gboolean
is_province_code (guint code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (province_codes); i++)
    if (province_codes[i] == code)
      return TRUE;
  return FALSE;
}

static guint
digits_value (const char *text,
              guint       n)
{
  guint value = 0;

  for (guint i = 0; i < n; i++)
    value = value * 10 + (guint) (text[i] - '0');
  return value;
}

static glong
count_characters (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  return g_utf8_strlen (valid, -1);
}

/* Names the first character that is not ASCII: a full-width digit typed by an input method
 * looks right on the screen. */
static gboolean
check_ascii (const char  *text,
             GError     **error)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  guint position = 1;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), position++)
    if ((guchar) *p >= 0x80)
      {
        g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                     _("Character %u, “%.*s”, is not a plain digit or letter; switch the input "
                       "method to half-width"),
                     position, (int) (g_utf8_next_char (p) - p), p);
        return FALSE;
      }

  return TRUE;
}

static int
credit_code_value (char c)
{
  const char *p;

  if (c == '\0')
    return -1;
  p = strchr (credit_code_alphabet, c);
  return p != NULL ? (int) (p - credit_code_alphabet) : -1;
}

char
ow_resident_id_check_char (const char *first17)
{
  guint sum = 0;

  g_return_val_if_fail (first17 != NULL, '\0');

  for (guint i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (first17[i]))
        return '\0';
      sum += (guint) (first17[i] - '0') * resident_id_weights[i];
    }

  return resident_id_checks[sum % 11];
}

gboolean
ow_validate_resident_id (const char   *id,
                         const GDate  *today,
                         GError      **error)
{
  GDate birth;
  GDate local_today;
  guint year, month, day;
  char expected, given;
  glong length;

  if (id == NULL || *id == '\0')
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("The resident ID number is empty"));
      return FALSE;
    }

  length = count_characters (id);
  if (length != RESIDENT_ID_LENGTH)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("A resident ID number has 18 characters; this one has %ld"), length);
      return FALSE;
    }
  if (!check_ascii (id, error))
    return FALSE;

  for (guint i = 0; i < 17; i++)
    if (!g_ascii_isdigit (id[i]))
      {
        g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                     _("Character %u of the resident ID number, “%c”, should be a digit"),
                     i + 1, id[i]);
        return FALSE;
      }

  given = g_ascii_toupper (id[17]);
  if (!g_ascii_isdigit (given) && given != 'X')
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The last character of a resident ID number is a digit or X, not “%c”"),
                   id[17]);
      return FALSE;
    }

  if (!is_province_code (digits_value (id, 2)))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The resident ID number starts with %.2s, which is no province’s code"), id);
      return FALSE;
    }

  year = digits_value (id + 6, 4);
  month = digits_value (id + 10, 2);
  day = digits_value (id + 12, 2);
  if (year == 0 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The birth date in the resident ID number, %.4s-%.2s-%.2s, does not exist"),
                   id + 6, id + 10, id + 12);
      return FALSE;
    }

  if (today == NULL || !g_date_valid (today))
    {
      ow_hall_today (&local_today);
      today = &local_today;
    }
  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  if (g_date_compare (&birth, today) > 0)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The birth date in the resident ID number, %.4s-%.2s-%.2s, is in the future"),
                   id + 6, id + 10, id + 12);
      return FALSE;
    }

  expected = ow_resident_id_check_char (id);
  if (expected != given)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The check character should be %c, not %c; the number was probably mistyped"),
                   expected, given);
      return FALSE;
    }

  return TRUE;
}

char
ow_credit_code_check_char (const char *first17)
{
  guint sum = 0;
  guint check;

  g_return_val_if_fail (first17 != NULL, '\0');

  for (guint i = 0; i < 17; i++)
    {
      int value = credit_code_value (first17[i]);

      if (value < 0)
        return '\0';
      sum += (guint) value * credit_code_weights[i];
    }

  check = 31 - sum % 31;
  return credit_code_alphabet[check == 31 ? 0 : check];
}

gboolean
ow_validate_credit_code (const char  *code,
                         GError     **error)
{
  char upper[CREDIT_CODE_LENGTH + 1];
  char expected;
  glong length;

  if (code == NULL || *code == '\0')
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("The unified social credit code is empty"));
      return FALSE;
    }

  length = count_characters (code);
  if (length != CREDIT_CODE_LENGTH)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("A unified social credit code has 18 characters; this one has %ld"), length);
      return FALSE;
    }
  if (!check_ascii (code, error))
    return FALSE;

  /* What was typed in lower case is meant in upper case. */
  for (guint i = 0; i < CREDIT_CODE_LENGTH; i++)
    upper[i] = g_ascii_toupper (code[i]);
  upper[CREDIT_CODE_LENGTH] = '\0';

  for (guint i = 0; i < CREDIT_CODE_LENGTH; i++)
    if (credit_code_value (upper[i]) < 0)
      {
        if (strchr ("IOSVZ", upper[i]) != NULL)
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                       _("Character %u of the credit code is “%c”, a letter credit codes never "
                         "use (I, O, S, V, Z); it was probably mistyped"),
                       i + 1, code[i]);
        else
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                       _("Character %u of the credit code, “%c”, is neither a digit nor a "
                         "capital letter"),
                       i + 1, code[i]);
        return FALSE;
      }

  /* Characters 3–8 are the registering authority's administrative division. */
  for (guint i = 2; i < 8; i++)
    if (!g_ascii_isdigit (upper[i]))
      {
        g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                     _("Characters 3 to 8 of a credit code are the region’s digits; "
                       "character %u is “%c”"),
                     i + 1, code[i]);
        return FALSE;
      }

  expected = ow_credit_code_check_char (upper);
  if (expected != upper[17])
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The check character should be %c, not %c; the number was probably mistyped"),
                   expected, upper[17]);
      return FALSE;
    }

  return TRUE;
}

gboolean
ow_validate_mobile (const char  *phone,
                    char       **normalized,
                    GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p;
  const char *bare;

  if (phone == NULL || *phone == '\0')
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("The mobile number is empty"));
      return FALSE;
    }

  p = phone;
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '+')
    {
      if (!g_str_has_prefix (p, "+86"))
        {
          g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                               _("Only mainland China mobile numbers (+86) are accepted"));
          return FALSE;
        }
      g_string_append_c (digits, '+');
      p++;
    }

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ' ' && *p != '\t' && *p != '-')
        {
          g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                               _("A mobile number may contain only digits, blanks and hyphens"));
          return FALSE;
        }
    }

  bare = digits->str;
  if (g_str_has_prefix (bare, "+86"))
    bare += 3;
  else if (digits->len == 13 && g_str_has_prefix (bare, "86"))
    bare += 2;

  if (strlen (bare) != 11)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("A mobile number has 11 digits; this one has %u"), (guint) strlen (bare));
      return FALSE;
    }

  if (bare[0] != '1' || bare[1] < '3' || bare[1] > '9')
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("A mobile number starts with 13 to 19, not %.2s"), bare);
      return FALSE;
    }

  if (normalized != NULL)
    *normalized = g_strdup (bare);
  return TRUE;
}

char *
ow_normalize_identifier (const char *text)
{
  g_autofree char *valid = NULL;
  GString *result;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  result = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR)
        continue;
      /* A Chinese input method in full-width mode types Ａ１ for A1. */
      if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFEE0;
      g_string_append_unichar (result, g_unichar_toupper (c));
    }

  return g_string_free (result, FALSE);
}
