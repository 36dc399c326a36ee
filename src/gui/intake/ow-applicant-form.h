/* ow-applicant-form.h — the applicant at the counter: person or organisation, an agent, recall
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-applicant.h"
#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_APPLICANT_FORM (ow_applicant_form_get_type ())
G_DECLARE_FINAL_TYPE (OwApplicantForm, ow_applicant_form, OW, APPLICANT_FORM, AdwBin)

/* The applicant's kind, name, ID number (resident ID or credit code), mobile and, for an
 * organisation, the person who came; optionally an agent (代办人) with their own name, resident
 * ID and mobile. Every number is checked as it is typed and the reason shown under the field.
 *
 * When a complete, valid ID number is typed, the local store is asked (in a worker thread) for
 * earlier cases of that applicant; a returning applicant's name and mobile are offered from the
 * newest one, filling empty fields and never overwriting what the clerk typed without asking.
 *
 * Signal "changed": any field changed, the agent was switched on or off, or details were
 * recalled. Property "has-agent" (gboolean, read-write). */
GtkWidget   *ow_applicant_form_new              (void);
void         ow_applicant_form_set_context      (OwApplicantForm   *self,
                                                 OwContext         *context);
/* Whether the fields are complete and valid; when not, @problem (may be NULL) receives a
 * translated sentence for the hint under the decision button. */
gboolean     ow_applicant_form_check            (OwApplicantForm   *self,
                                                 char             **problem);
/* The fields as typed, normalized (upper case, no blanks; the mobile as 11 digits when valid);
 * not necessarily valid. */
OwApplicant *ow_applicant_form_build_applicant  (OwApplicantForm   *self);
/* NULL when the applicant came in person. */
OwApplicant *ow_applicant_form_build_agent      (OwApplicantForm   *self);
gboolean     ow_applicant_form_get_has_agent    (OwApplicantForm   *self);
void         ow_applicant_form_set_has_agent    (OwApplicantForm   *self,
                                                 gboolean           has_agent);
/* Fills the form (a draft coming back, a returning case); @applicant and @agent may be NULL. */
void         ow_applicant_form_set              (OwApplicantForm   *self,
                                                 const OwApplicant *applicant,
                                                 const OwApplicant *agent);
/* Empties every field, switches the agent off, forgets a pending recall. */
void         ow_applicant_form_reset            (OwApplicantForm   *self);
/* Focuses the first field. */
void         ow_applicant_form_focus            (OwApplicantForm   *self);

G_END_DECLS
