/* ow-applicant.c — who applies: a natural person or an organisation, and an agent
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ow-applicant.h"
#include "ow-error.h"
#include "ow-validate.h"

G_DEFINE_BOXED_TYPE (OwApplicant, ow_applicant, ow_applicant_copy, ow_applicant_free)

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

static void
set_field (char       **field,
           const char  *prefix,
           const char  *name)
{
  if (field != NULL)
    *field = g_strdup_printf ("%s.%s", prefix, name);
}

OwApplicant *
ow_applicant_new (OwApplicantKind kind)
{
  OwApplicant *applicant = g_new0 (OwApplicant, 1);

  applicant->kind = kind;
  return applicant;
}

OwApplicant *
ow_applicant_copy (const OwApplicant *applicant)
{
  OwApplicant *copy;

  g_return_val_if_fail (applicant != NULL, NULL);

  copy = ow_applicant_new (applicant->kind);
  copy->name = g_strdup (applicant->name);
  copy->id_number = g_strdup (applicant->id_number);
  copy->phone = g_strdup (applicant->phone);
  copy->address = g_strdup (applicant->address);
  copy->contact_name = g_strdup (applicant->contact_name);
  return copy;
}

void
ow_applicant_free (OwApplicant *applicant)
{
  if (applicant == NULL)
    return;

  g_free (applicant->name);
  g_free (applicant->id_number);
  g_free (applicant->phone);
  g_free (applicant->address);
  g_free (applicant->contact_name);
  g_free (applicant);
}

gboolean
ow_applicant_equal (const OwApplicant *a,
                    const OwApplicant *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return a->kind == b->kind
         && g_strcmp0 (a->name, b->name) == 0
         && g_strcmp0 (a->id_number, b->id_number) == 0
         && g_strcmp0 (a->phone, b->phone) == 0
         && g_strcmp0 (a->address, b->address) == 0
         && g_strcmp0 (a->contact_name, b->contact_name) == 0;
}

gboolean
ow_applicant_validate (const OwApplicant  *applicant,
                       const char         *field_prefix,
                       const GDate        *today,
                       char              **field,
                       GError            **error)
{
  const char *prefix = field_prefix != NULL ? field_prefix : "applicant";

  if (field != NULL)
    *field = NULL;

  if (applicant == NULL)
    {
      if (field != NULL)
        *field = g_strdup (prefix);
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("Nobody is named as the applicant"));
      return FALSE;
    }

  if (applicant->kind != OW_APPLICANT_PERSON && applicant->kind != OW_APPLICANT_ORGANISATION)
    {
      set_field (field, prefix, "kind");
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("Choose whether the applicant is a person or an organisation"));
      return FALSE;
    }

  if (is_blank (applicant->name))
    {
      set_field (field, prefix, "name");
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           applicant->kind == OW_APPLICANT_PERSON
                           ? _("Enter the name as it is on the resident ID card")
                           : _("Enter the organisation’s registered name"));
      return FALSE;
    }

  if (applicant->kind == OW_APPLICANT_PERSON
      ? !ow_validate_resident_id (applicant->id_number, today, error)
      : !ow_validate_credit_code (applicant->id_number, error))
    {
      set_field (field, prefix, "id_number");
      return FALSE;
    }

  if (!ow_validate_mobile (applicant->phone, NULL, error))
    {
      set_field (field, prefix, "phone");
      return FALSE;
    }

  return TRUE;
}
