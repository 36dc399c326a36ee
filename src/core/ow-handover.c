/* ow-handover.c — who collects a result at the pick-up window, and what is handed over
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ow-case-number.h"
#include "ow-error.h"
#include "ow-handover.h"
#include "ow-mask.h"
#include "ow-validate.h"

#define MAX_NAME        100
#define MAX_RESULT_NAME 200
#define MAX_RESULT_NO   100
#define MAX_RESULTS     20
#define MAX_LETTER      20

static const char * const kind_names[] = {
  [OW_COLLECTOR_APPLICANT] = "applicant",
  [OW_COLLECTOR_AGENT] = "agent",
};

const char *
ow_collector_kind_to_string (OwCollectorKind kind)
{
  return kind == OW_COLLECTOR_APPLICANT || kind == OW_COLLECTOR_AGENT ? kind_names[kind] : NULL;
}

gboolean
ow_collector_kind_from_string (const char      *text,
                               OwCollectorKind *kind)
{
  for (OwCollectorKind k = OW_COLLECTOR_APPLICANT; text != NULL && k <= OW_COLLECTOR_AGENT; k++)
    if (g_str_equal (kind_names[k], text))
      {
        if (kind != NULL)
          *kind = k;
        return TRUE;
      }
  return FALSE;
}

OwCollector *
ow_collector_new (OwCollectorKind kind)
{
  OwCollector *collector = g_new0 (OwCollector, 1);

  collector->kind = kind;
  collector->letter_files = g_ptr_array_new_with_free_func (g_free);
  return collector;
}

OwCollector *
ow_collector_copy (const OwCollector *collector)
{
  OwCollector *copy;

  g_return_val_if_fail (collector != NULL, NULL);

  copy = ow_collector_new (collector->kind);
  copy->name = g_strdup (collector->name);
  copy->id_number = g_strdup (collector->id_number);
  copy->phone = g_strdup (collector->phone);
  for (guint i = 0; collector->letter_files != NULL && i < collector->letter_files->len; i++)
    g_ptr_array_add (copy->letter_files, g_strdup (g_ptr_array_index (collector->letter_files,
                                                                      i)));
  return copy;
}

void
ow_collector_free (OwCollector *collector)
{
  if (collector == NULL)
    return;
  g_free (collector->name);
  g_free (collector->id_number);
  g_free (collector->phone);
  g_clear_pointer (&collector->letter_files, g_ptr_array_unref);
  g_free (collector);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
fail (char       **field,
      GError     **error,
      const char  *name,
      const char  *message)
{
  if (field != NULL)
    {
      g_free (*field);
      *field = g_strdup (name);
    }
  g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID, message);
  return FALSE;
}

/* The message of @local prefixed: the validator's own says what is wrong with the number. */
static gboolean
fail_with (char       **field,
           GError     **error,
           const char  *name,
           const char  *prefix,
           GError      *local)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", prefix, local->message);

  return fail (field, error, name, message);
}

gboolean
ow_collector_validate (const OwCollector  *collector,
                       const GDate        *today,
                       char              **field,
                       GError            **error)
{
  g_autoptr(GError) local = NULL;
  guint n_letter;

  g_return_val_if_fail (collector != NULL, FALSE);

  if (field != NULL)
    *field = NULL;

  if (ow_collector_kind_to_string (collector->kind) == NULL)
    return fail (field, error, "collector.kind",
                 _("Say who collects the result: the applicant or an agent"));
  if (is_blank (collector->name) || g_utf8_strlen (collector->name, -1) > MAX_NAME)
    return fail (field, error, "collector.name",
                 collector->kind == OW_COLLECTOR_AGENT
                   ? _("Enter the agent’s name as on their ID card")
                   : _("Enter the name of the person who collects the result"));
  if (is_blank (collector->id_number))
    return fail (field, error, "collector.id_number",
                 collector->kind == OW_COLLECTOR_AGENT
                   ? _("Enter the agent’s ID number")
                   : _("Enter the applicant’s ID number from the ID card they show"));

  n_letter = collector->letter_files != NULL ? collector->letter_files->len : 0;
  if (collector->kind == OW_COLLECTOR_APPLICANT)
    {
      /* An organisation collects through its representative with the business licence: its
       * credit code is what is compared. */
      if (!ow_validate_resident_id (collector->id_number, today, &local))
        {
          g_autoptr(GError) code_error = NULL;

          if (strlen (collector->id_number) != 18
              || !ow_validate_credit_code (collector->id_number, &code_error))
            return fail_with (field, error, "collector.id_number",
                              _("The ID number is not valid"), local);
        }
      if (collector->phone != NULL)
        return fail (field, error, "collector.phone",
                     _("Only an agent leaves a phone number at the pick-up window"));
      if (n_letter > 0)
        return fail (field, error, "collector.letter_files",
                     _("Only an agent brings an authorisation letter"));
      return TRUE;
    }

  if (!ow_validate_resident_id (collector->id_number, today, &local))
    return fail_with (field, error, "collector.id_number",
                      _("The agent’s ID number is not valid"), local);
  g_clear_error (&local);
  if (!ow_validate_mobile (collector->phone, NULL, &local))
    return fail_with (field, error, "collector.phone",
                      _("The agent’s phone number is not valid"), local);
  if (n_letter == 0)
    return fail (field, error, "collector.letter_files",
                 _("Scan the authorisation letter the agent brings before handing over"));
  if (n_letter > MAX_LETTER)
    return fail (field, error, "collector.letter_files",
                 _("The authorisation letter has too many pages"));
  for (guint i = 0; i < n_letter; i++)
    if (!is_sha256_hex (g_ptr_array_index (collector->letter_files, i)))
      {
        g_autofree char *name = g_strdup_printf ("collector.letter_files[%u]", i);

        return fail (field, error, name, _("A page of the letter is not named by its SHA-256"));
      }
  return TRUE;
}

gboolean
ow_collector_check_case (const OwCollector  *collector,
                         OwCase             *kase,
                         char              **field,
                         GError            **error)
{
  const OwApplicant *applicant;
  g_autofree char *given = NULL;
  g_autofree char *expected = NULL;

  g_return_val_if_fail (collector != NULL, FALSE);
  g_return_val_if_fail (OW_IS_CASE (kase), FALSE);

  if (field != NULL)
    *field = NULL;
  applicant = ow_case_get_applicant (kase);
  given = ow_normalize_identifier (collector->id_number);
  expected = applicant != NULL ? ow_normalize_identifier (applicant->id_number) : NULL;

  if (collector->kind == OW_COLLECTOR_APPLICANT && g_strcmp0 (given, expected) != 0)
    {
      g_autofree char *masked = ow_mask_id (NULL, expected);
      g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (kase));
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("This ID number is not the applicant’s: case %s can only be "
                                   "handed to %s (ID %s) in person, or to an agent with their "
                                   "authorisation letter. Nothing was handed over."),
                                 formatted != NULL ? formatted : ow_case_get_case_no (kase),
                                 applicant != NULL ? applicant->name : "?",
                                 masked != NULL ? masked : "?");
      return fail (field, error, "collector.id_number", message);
    }
  if (collector->kind == OW_COLLECTOR_AGENT && g_strcmp0 (given, expected) == 0)
    return fail (field, error, "collector.kind",
                 _("The agent’s ID number is the applicant’s own: hand the result over to the "
                   "applicant in person instead"));
  return TRUE;
}

OwHandoverResult *
ow_handover_result_new (const char *name,
                        const char *number)
{
  OwHandoverResult *result = g_new0 (OwHandoverResult, 1);

  result->name = g_strdup (name);
  result->number = g_strdup (number);
  return result;
}

OwHandoverResult *
ow_handover_result_copy (const OwHandoverResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return ow_handover_result_new (result->name, result->number);
}

void
ow_handover_result_free (OwHandoverResult *result)
{
  if (result == NULL)
    return;
  g_free (result->name);
  g_free (result->number);
  g_free (result);
}

gboolean
ow_handover_results_validate (GPtrArray  *results,
                              char      **field,
                              GError    **error)
{
  if (field != NULL)
    *field = NULL;
  if (results == NULL)
    return TRUE;
  if (results->len > MAX_RESULTS)
    return fail (field, error, "results", _("A case hands over at most 20 results"));
  for (guint i = 0; i < results->len; i++)
    {
      const OwHandoverResult *result = g_ptr_array_index (results, i);

      if (is_blank (result->name) || g_utf8_strlen (result->name, -1) > MAX_RESULT_NAME)
        {
          g_autofree char *name = g_strdup_printf ("results[%u].name", i);

          return fail (field, error, name, _("Name each result handed over, as the catalog "
                                             "does (营业执照 …)"));
        }
      if (result->number != NULL
          && (is_blank (result->number) || g_utf8_strlen (result->number, -1) > MAX_RESULT_NO))
        {
          g_autofree char *name = g_strdup_printf ("results[%u].number", i);

          return fail (field, error, name,
                       _("A result’s number is at most 100 characters; leave it empty when "
                         "the result has none"));
        }
    }
  return TRUE;
}
