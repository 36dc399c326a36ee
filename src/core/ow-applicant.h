/* ow-applicant.h — who applies: a natural person or an organisation, and an agent
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ow-types.h"

G_BEGIN_DECLS

typedef enum
{
  OW_APPLICANT_PERSON = 1,       /* identified by a resident ID (GB 11643) */
  OW_APPLICANT_ORGANISATION,     /* identified by a unified social credit code (GB 32100) */
} OwApplicantKind;

/* Plain data: fields are public; strings are owned. */
struct _OwApplicant
{
  OwApplicantKind kind;
  char *name;          /* person's name, or the organisation's registered name */
  char *id_number;     /* resident ID or credit code, normalized (upper case, no blanks) */
  char *phone;         /* 11-digit mainland mobile */
  char *address;
  char *contact_name;  /* for an organisation: the person who came (法定代表人 or staff) */
};

#define OW_TYPE_APPLICANT (ow_applicant_get_type ())
GType        ow_applicant_get_type (void) G_GNUC_CONST;
OwApplicant *ow_applicant_new      (OwApplicantKind    kind);
OwApplicant *ow_applicant_copy     (const OwApplicant *applicant);
void         ow_applicant_free     (OwApplicant       *applicant);
gboolean     ow_applicant_equal    (const OwApplicant *a,
                                    const OwApplicant *b);
/* Checks every field as the platform would: a name; the ID number matching the kind (resident
 * ID or credit code, see ow-validate.h); a valid mobile. @field_prefix names the object in the
 * error ("applicant", "agent"); on failure @field, when not NULL, receives the offending field's
 * dotted name ("applicant.id_number") so that a server can answer 422 naming it. */
gboolean     ow_applicant_validate (const OwApplicant *applicant,
                                    const char        *field_prefix,
                                    const GDate       *today,
                                    char             **field,
                                    GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwApplicant, ow_applicant_free)

G_END_DECLS
