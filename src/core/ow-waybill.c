/* ow-waybill.c — carriers and the waybill numbers of results sent by post (邮寄送达)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ow-error.h"
#include "ow-waybill.h"

#define S10 "s10"
#define MAX_WAYBILL 64

static const char * const default_lines[] = {
  "ems|EMS|" S10,
  "china-post|中国邮政|" S10,
  /* 顺丰: "SF" and 12 or 13 digits on current labels. */
  "sf|顺丰速运|^SF[0-9]{12,13}$",
  /* 京东物流: "JD", then 11 to 18 digits or capitals. */
  "jd|京东物流|^JD[0-9A-Z]{11,18}$",
  NULL
};

void
ow_carrier_free (OwCarrier *carrier)
{
  if (carrier == NULL)
    return;
  g_free (carrier->id);
  g_free (carrier->name);
  g_free (carrier->pattern);
  g_free (carrier);
}

OwCarrier *
ow_carrier_copy (const OwCarrier *carrier)
{
  OwCarrier *copy;

  g_return_val_if_fail (carrier != NULL, NULL);

  copy = g_new0 (OwCarrier, 1);
  copy->id = g_strdup (carrier->id);
  copy->name = g_strdup (carrier->name);
  copy->pattern = g_strdup (carrier->pattern);
  return copy;
}

static gboolean
is_carrier_id (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > 32)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-')
      return FALSE;
  return TRUE;
}

OwCarrier *
ow_carrier_parse (const char  *line,
                  GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(OwCarrier) carrier = NULL;

  g_return_val_if_fail (line != NULL, NULL);

  parts = g_strsplit (line, "|", 3);
  if (g_strv_length (parts) != 3)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("The carrier “%s” is not written as id|name|pattern"), line);
      return NULL;
    }
  carrier = g_new0 (OwCarrier, 1);
  carrier->id = g_strstrip (g_strdup (parts[0]));
  carrier->name = g_strstrip (g_strdup (parts[1]));
  carrier->pattern = g_strstrip (g_strdup (parts[2]));
  if (!is_carrier_id (carrier->id))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("The carrier id “%s” must be 1 to 32 letters, digits or hyphens"),
                   carrier->id);
      return NULL;
    }
  if (*carrier->name == '\0' || !g_utf8_validate (carrier->name, -1, NULL))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("The carrier “%s” has no name"), carrier->id);
      return NULL;
    }
  if (!g_str_equal (carrier->pattern, S10))
    {
      g_autoptr(GRegex) regex = NULL;
      g_autoptr(GError) regex_error = NULL;

      regex = g_regex_new (carrier->pattern, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT,
                           &regex_error);
      if (regex == NULL)
        {
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                       _("The waybill pattern of the carrier “%s” is not a regular expression: "
                         "%s"), carrier->id, regex_error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&carrier);
}

GPtrArray *
ow_carriers_parse (const char * const  *lines,
                   GError             **error)
{
  g_autoptr(GPtrArray) carriers = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_carrier_free);

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      OwCarrier *carrier = ow_carrier_parse (lines[i], error);

      if (carrier == NULL)
        return NULL;
      if (ow_carriers_find (carriers, carrier->id) != NULL)
        {
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                       _("The carrier id “%s” is listed twice"), carrier->id);
          ow_carrier_free (carrier);
          return NULL;
        }
      g_ptr_array_add (carriers, carrier);
    }
  return g_steal_pointer (&carriers);
}

const char * const *
ow_carriers_default_lines (void)
{
  return default_lines;
}

const OwCarrier *
ow_carriers_find (GPtrArray  *carriers,
                  const char *id)
{
  for (guint i = 0; carriers != NULL && id != NULL && i < carriers->len; i++)
    {
      const OwCarrier *carrier = g_ptr_array_index (carriers, i);

      if (g_str_equal (carrier->id, id))
        return carrier;
    }
  return NULL;
}

char
ow_waybill_s10_check_digit (const char *serial)
{
  static const int weights[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
  int sum = 0, check;

  if (serial == NULL)
    return '\0';
  for (guint i = 0; i < 8; i++)
    {
      if (!g_ascii_isdigit (serial[i]))
        return '\0';
      sum += (serial[i] - '0') * weights[i];
    }
  check = 11 - sum % 11;
  if (check == 10)
    check = 0;
  else if (check == 11)
    check = 5;
  return (char) ('0' + check);
}

gboolean
ow_waybill_looks_s10 (const char *text)
{
  if (text == NULL || strlen (text) != 13)
    return FALSE;
  for (guint i = 0; i < 13; i++)
    {
      gboolean letter = i < 2 || i >= 11;

      if (letter ? !g_ascii_isupper (text[i]) : !g_ascii_isdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

/* Upper-case, without blanks or hyphens: what the label shows, as a scanner or a person types
 * it. NULL when nothing is left or it is too long. */
static char *
normalize_waybill (const char *text)
{
  GString *out;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '-')
        continue;
      g_string_append_unichar (out, g_unichar_toupper (c));
    }
  if (out->len == 0 || g_utf8_strlen (out->str, -1) > MAX_WAYBILL)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gboolean
check_s10 (const char  *waybill,
           const char  *carrier_name,
           GError     **error)
{
  char expected;

  if (!ow_waybill_looks_s10 (waybill))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   /* Translators: %s is a carrier, such as EMS */
                   _("A %s waybill number is 13 characters: two letters, nine digits and two "
                     "letters, such as EA123456785CN"), carrier_name);
      return FALSE;
    }
  expected = ow_waybill_s10_check_digit (waybill + 2);
  if (waybill[10] != expected)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("The waybill number %s fails its check digit (it should be %c, not %c): a "
                     "digit was probably mistyped. Scan or type it again from the label."),
                   waybill, expected, waybill[10]);
      return FALSE;
    }
  return TRUE;
}

gboolean
ow_carrier_check_waybill (const OwCarrier  *carrier,
                          const char       *waybill,
                          char            **normalized,
                          GError          **error)
{
  g_autofree char *number = NULL;

  g_return_val_if_fail (carrier != NULL, FALSE);

  if (normalized != NULL)
    *normalized = NULL;
  number = normalize_waybill (waybill);
  if (number == NULL)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("Enter the waybill number from the label (at most %d characters)"),
                   MAX_WAYBILL);
      return FALSE;
    }

  if (g_str_equal (carrier->pattern, S10))
    {
      if (!check_s10 (number, carrier->name, error))
        return FALSE;
    }
  else
    {
      g_autoptr(GRegex) regex = g_regex_new (carrier->pattern, G_REGEX_DEFAULT,
                                             G_REGEX_MATCH_DEFAULT, NULL);

      if (regex == NULL || !g_regex_match (regex, number, G_REGEX_MATCH_DEFAULT, NULL))
        {
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                       /* Translators: a waybill number, then a carrier */
                       _("%s is not a waybill number of %s: check the carrier chosen and the "
                         "number on the label"), number, carrier->name);
          return FALSE;
        }
    }

  if (normalized != NULL)
    *normalized = g_steal_pointer (&number);
  return TRUE;
}

gboolean
ow_waybill_validate (GPtrArray   *carriers,
                     const char  *carrier_id,
                     const char  *waybill,
                     char       **field,
                     GError     **error)
{
  g_autofree char *number = NULL;
  const OwCarrier *carrier;

  if (field != NULL)
    *field = NULL;

  if (carrier_id == NULL)
    {
      number = normalize_waybill (waybill);
      if (number != NULL && ow_waybill_looks_s10 (number) && !check_s10 (number, "S10", error))
        {
          if (field != NULL)
            *field = g_strdup ("waybill");
          return FALSE;
        }
      return TRUE;
    }

  carrier = ow_carriers_find (carriers, carrier_id);
  if (carrier == NULL)
    {
      if (field != NULL)
        *field = g_strdup ("carrier");
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("“%s” is not one of the hall’s carriers"), carrier_id);
      return FALSE;
    }
  if (!ow_carrier_check_waybill (carrier, waybill, NULL, error))
    {
      if (field != NULL)
        *field = g_strdup ("waybill");
      return FALSE;
    }
  return TRUE;
}
