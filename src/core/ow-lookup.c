/* ow-lookup.c — what the pick-up window was given to find a case by, and where a case stands
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ow-case-number.h"
#include "ow-error.h"
#include "ow-lookup.h"
#include "ow-validate.h"

/* What is left once blanks and hyphens are out, upper-cased: 18 characters for an ID or a
 * credit code, 23 for a case number. */
static char *
squeeze (const char *text)
{
  g_autofree char *normalized = ow_normalize_identifier (text);
  GString *out = g_string_new (NULL);

  for (const char *p = normalized; p != NULL && *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static gboolean
all_digits (const char *text,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
ow_lookup_parse (const char    *text,
                 OwLookupKind  *kind,
                 char         **key,
                 GError       **error)
{
  g_autofree char *plain = NULL;
  g_autofree char *case_no = NULL;
  g_autoptr(GError) id_error = NULL;
  g_autoptr(GError) code_error = NULL;
  g_autofree char *stripped = NULL;
  gsize length;

  g_return_val_if_fail (kind != NULL && key != NULL, FALSE);

  *key = NULL;
  if (text == NULL || !g_utf8_validate (text, -1, NULL) || strlen (text) > 256)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("Scan the receipt’s QR code, or type a case number, an ID number "
                             "or a credit code"));
      return FALSE;
    }

  /* The QR code of a receipt, as a barcode scanner types it. */
  stripped = g_strstrip (g_strdup (text));
  if (g_ascii_strncasecmp (stripped, "OW1:", 4) == 0)
    {
      if (!ow_case_qr_parse (stripped, &case_no, NULL))
        {
          g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                               _("The QR code was not read whole; scan the receipt again"));
          return FALSE;
        }
      *kind = OW_LOOKUP_CASE;
      *key = g_steal_pointer (&case_no);
      return TRUE;
    }

  plain = squeeze (text);
  length = strlen (plain);
  if (length == 0)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("Scan the receipt’s QR code, or type a case number, an ID number "
                             "or a credit code"));
      return FALSE;
    }

  if (length == OW_CASE_NUMBER_LENGTH)
    {
      g_autoptr(GError) local = NULL;

      if (!ow_case_number_parse (plain, NULL, &local))
        {
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                       _("%s: check the number on the receipt and type it again"),
                       local->message);
          return FALSE;
        }
      *kind = OW_LOOKUP_CASE;
      *key = g_steal_pointer (&plain);
      return TRUE;
    }

  if (length == 18)
    {
      if (ow_validate_resident_id (plain, NULL, &id_error))
        {
          *kind = OW_LOOKUP_PERSON;
          *key = g_steal_pointer (&plain);
          return TRUE;
        }
      if (ow_validate_credit_code (plain, &code_error))
        {
          *kind = OW_LOOKUP_ORGANISATION;
          *key = g_steal_pointer (&plain);
          return TRUE;
        }
      /* Seventeen digits first: a person's ID, whose error says more. */
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   all_digits (plain, 17) ? _("Not a valid ID number: %s")
                                          : _("Not a valid credit code: %s"),
                   all_digits (plain, 17) ? id_error->message : code_error->message);
      return FALSE;
    }

  if (length > 18 && all_digits (plain, MIN (length, 22)))
    g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                 _("A case number has 23 characters; this one has %u. Check the number on the "
                   "receipt."), (guint) length);
  else
    g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                 _("“%s” is neither a case number (23 characters) nor an ID number or credit "
                   "code (18): scan the receipt’s QR code or type the number again"), plain);
  return FALSE;
}

gboolean
ow_case_working_days_left (OwCase      *kase,
                           OwCalendar  *calendar,
                           const GDate *today,
                           int         *days)
{
  const GDate *promised;
  int compare;

  g_return_val_if_fail (OW_IS_CASE (kase), FALSE);
  g_return_val_if_fail (OW_IS_CALENDAR (calendar), FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);
  g_return_val_if_fail (days != NULL, FALSE);

  promised = ow_case_get_promised_date (kase);
  if (promised == NULL || !g_date_valid (promised))
    return FALSE;
  compare = g_date_compare (today, promised);
  if (compare <= 0)
    *days = (int) ow_calendar_count_working_days (calendar, today, promised, NULL, 0);
  else
    *days = -(int) ow_calendar_count_working_days (calendar, promised, today, NULL, 0);
  return TRUE;
}

gboolean
ow_case_state_is_ready (OwCaseState state)
{
  return state == OW_CASE_STATE_RESULT_READY;
}
