/* ow-case-number.c — case numbers made at the counter, unique without the network
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "ow-case-number.h"
#include "ow-error.h"

#define BODY_LENGTH (OW_CASE_NUMBER_LENGTH - 1)
#define MOD_M 36
#define QUERY_CODE_LENGTH 6
#define QR_PREFIX "OW1:"

/* No 0/O, 1/I/L: the code is read aloud over the phone and typed from paper. */
static const char query_code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

static int
mod37_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return -1;
}

static char
mod37_char (guint value)
{
  g_assert (value < MOD_M);
  return value < 10 ? (char) ('0' + value) : (char) ('A' + value - 10);
}

/* Drops hyphens and blanks and upper-cases, so that what a person typed can be compared. */
static char *
strip_separators (const char *text)
{
  GString *result = g_string_sized_new (OW_CASE_NUMBER_LENGTH);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != '-' && !g_ascii_isspace (*p))
      g_string_append_c (result, g_ascii_toupper (*p));

  return g_string_free (result, FALSE);
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

static gboolean
is_query_code (const char *code)
{
  if (strlen (code) != QUERY_CODE_LENGTH)
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static void
fill_random (guint8 *buffer,
             gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          /* Only on kernels before 3.17; the code then is merely hard to guess. */
          for (; done < length; done++)
            buffer[done] = (guint8) g_random_int_range (0, 256);
          return;
        }
      done += (gsize) n;
    }
}

char
ow_case_number_check_char (const char *first22)
{
  guint p = MOD_M;

  g_return_val_if_fail (first22 != NULL, '\0');

  /* ISO/IEC 7064, hybrid system MOD 37,36. */
  for (guint i = 0; i < BODY_LENGTH; i++)
    {
      int value = mod37_value (first22[i]);

      if (value < 0)
        return '\0';
      p = (p + (guint) value) % MOD_M;
      if (p == 0)
        p = MOD_M;
      p = (p * 2) % (MOD_M + 1);
    }

  return mod37_char ((MOD_M + 1 - p) % MOD_M);
}

char *
ow_case_number_make (const char   *hall,
                     guint         counter,
                     const GDate  *date,
                     guint         sequence,
                     GError      **error)
{
  char body[BODY_LENGTH + 1];

  g_return_val_if_fail (date != NULL, NULL);

  if (hall == NULL || strlen (hall) != 8 || strspn (hall, "0123456789") != 8)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The hall code “%s” is not 8 digits; check the hall in the settings"),
                   hall != NULL ? hall : "");
      return NULL;
    }
  if (counter < 1 || counter > 99)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The counter number %u is not between 1 and 99; check the settings"),
                   counter);
      return NULL;
    }
  if (!g_date_valid (date) || g_date_get_year (date) > 9999)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("The date of the case number is not valid"));
      return NULL;
    }
  if (sequence < 1)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("Sequence number 0 is never given out; sequences start at 1"));
      return NULL;
    }
  if (sequence > 9999)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("This counter has made 9999 case numbers today, the most a day "
                             "allows; sign in at another counter number"));
      return NULL;
    }

  g_snprintf (body, sizeof body, "%s%02u%04u%02u%02u%04u", hall, counter,
              (guint) g_date_get_year (date), (guint) g_date_get_month (date),
              (guint) g_date_get_day (date), sequence);
  g_assert (strlen (body) == BODY_LENGTH);

  return g_strdup_printf ("%s%c", body, ow_case_number_check_char (body));
}

gboolean
ow_case_number_parse (const char         *text,
                      OwCaseNumberParts  *parts,
                      GError            **error)
{
  g_autofree char *number = NULL;
  char expected;
  guint counter, year, month, day, sequence;

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("The case number is empty"));
      return FALSE;
    }

  number = strip_separators (text);
  if (!g_utf8_validate (number, -1, NULL))
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("The case number contains characters that are not text"));
      return FALSE;
    }
  /* A full-width digit from an input method looks right but is not one. */
  for (const char *p = number; *p != '\0'; p = g_utf8_next_char (p))
    if ((guchar) *p >= 0x80)
      {
        g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                     _("Character %ld of the case number, “%.*s”, is not a plain digit or "
                       "letter; switch the input method to half-width"),
                     g_utf8_pointer_to_offset (number, p) + 1,
                     (int) (g_utf8_next_char (p) - p), p);
        return FALSE;
      }
  if (strlen (number) != OW_CASE_NUMBER_LENGTH)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("A case number has 23 characters; this one has %u"),
                   (guint) strlen (number));
      return FALSE;
    }

  for (guint i = 0; i < BODY_LENGTH; i++)
    if (!g_ascii_isdigit (number[i]))
      {
        g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                     _("Character %u of the case number, “%c”, should be a digit"),
                     i + 1, number[i]);
        return FALSE;
      }

  if (mod37_value (number[BODY_LENGTH]) < 0)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The last character of a case number is a digit or a letter, not “%c”"),
                   number[BODY_LENGTH]);
      return FALSE;
    }

  expected = ow_case_number_check_char (number);
  if (expected != number[BODY_LENGTH])
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The check character should be %c, not %c; the number was probably mistyped"),
                   expected, number[BODY_LENGTH]);
      return FALSE;
    }

  /* A number with a right check character but impossible parts was made by a faulty program,
   * not mistyped. */
  counter = digits_value (number + 8, 2);
  year = digits_value (number + 10, 4);
  month = digits_value (number + 14, 2);
  day = digits_value (number + 16, 2);
  sequence = digits_value (number + 18, 4);
  if (counter == 0)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("The case number names counter 00, which does not exist"));
      return FALSE;
    }
  if (year == 0 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The date in the case number, %.4s-%.2s-%.2s, does not exist"),
                   number + 10, number + 14, number + 16);
      return FALSE;
    }
  if (sequence == 0)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("The case number’s sequence is 0000, which is never given out"));
      return FALSE;
    }

  if (parts != NULL)
    {
      memcpy (parts->hall, number, 8);
      parts->hall[8] = '\0';
      parts->counter = counter;
      g_date_clear (&parts->date, 1);
      g_date_set_dmy (&parts->date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
      parts->sequence = sequence;
    }

  return TRUE;
}

char *
ow_case_number_normalize (const char *text)
{
  if (text == NULL || !ow_case_number_parse (text, NULL, NULL))
    return NULL;

  return strip_separators (text);
}

char *
ow_case_number_format (const char *canonical)
{
  g_autofree char *number = NULL;

  g_return_val_if_fail (canonical != NULL, NULL);

  /* Whatever is not shaped like a case number is shown as it is rather than hidden. */
  number = strip_separators (canonical);
  if (strlen (number) != OW_CASE_NUMBER_LENGTH)
    return g_strdup (canonical);

  return g_strdup_printf ("%.8s-%.2s-%.8s-%.4s-%c", number, number + 8, number + 10, number + 18,
                          number[BODY_LENGTH]);
}

char *
ow_query_code_new (void)
{
  char code[QUERY_CODE_LENGTH + 1];
  guint n = 0;
  const guint alphabet_length = sizeof query_code_alphabet - 1;
  /* The largest multiple of the alphabet's length below 256: bytes above it are dropped, so
   * that every character is equally likely. */
  const guint limit = 256 - 256 % alphabet_length;

  while (n < QUERY_CODE_LENGTH)
    {
      guint8 bytes[16];

      fill_random (bytes, sizeof bytes);
      for (gsize i = 0; i < sizeof bytes && n < QUERY_CODE_LENGTH; i++)
        if (bytes[i] < limit)
          code[n++] = query_code_alphabet[bytes[i] % alphabet_length];
    }
  code[QUERY_CODE_LENGTH] = '\0';

  return g_strdup (code);
}

char *
ow_case_qr_payload (const char *case_no,
                    const char *query_code)
{
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (case_no != NULL, NULL);
  g_return_val_if_fail (query_code != NULL, NULL);

  canonical = strip_separators (case_no);
  return g_strdup_printf (QR_PREFIX "%s:%s", canonical, query_code);
}

gboolean
ow_case_qr_parse (const char  *payload,
                  char       **case_no,
                  char       **query_code)
{
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  g_autofree char *code = NULL;

  if (payload == NULL)
    return FALSE;

  /* A barcode scanner types a line: it may end with Enter, and Caps Lock changes case. */
  text = g_strstrip (g_strdup (payload));
  if (g_ascii_strncasecmp (text, QR_PREFIX, strlen (QR_PREFIX)) == 0)
    {
      const char *rest = text + strlen (QR_PREFIX);
      const char *colon = strchr (rest, ':');
      g_autofree char *number_part = NULL;

      if (colon == NULL)
        return FALSE;
      number_part = g_strndup (rest, (gsize) (colon - rest));
      number = ow_case_number_normalize (number_part);
      code = g_ascii_strup (colon + 1, -1);
      if (number == NULL || !is_query_code (code))
        return FALSE;
    }
  else
    {
      number = ow_case_number_normalize (text);
      if (number == NULL)
        return FALSE;
    }

  if (case_no != NULL)
    *case_no = g_steal_pointer (&number);
  if (query_code != NULL)
    *query_code = g_steal_pointer (&code);
  return TRUE;
}
