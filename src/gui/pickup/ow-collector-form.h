/* ow-collector-form.h — who collects the result at the pick-up window: the applicant, or an
 * agent with an authorisation letter
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-handover.h"
#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_COLLECTOR_FORM (ow_collector_form_get_type ())
G_DECLARE_FINAL_TYPE (OwCollectorForm, ow_collector_form, OW, COLLECTOR_FORM, AdwBin)

/* Signal "changed": something typed, chosen or scanned. */
GtkWidget   *ow_collector_form_new          (void);
void         ow_collector_form_set_context  (OwCollectorForm   *self,
                                             OwContext         *context);
/* Starts afresh for the applicant @applicant (their name shown, their kind of number asked). */
void         ow_collector_form_reset        (OwCollectorForm   *self,
                                             const OwApplicant *applicant);
/* The collector as entered, checked on its own (ow_collector_validate()); NULL with the
 * reason, the field concerned focused and its message shown, otherwise. */
OwCollector *ow_collector_form_dup_collector (OwCollectorForm  *self,
                                              GError          **error);
/* Shows @message under the form (NULL hides it): a refusal's reason. */
void         ow_collector_form_show_problem (OwCollectorForm   *self,
                                             const char        *message);
/* Puts the focus where the clerk types first: the applicant's ID, or the agent's name. */
void         ow_collector_form_focus        (OwCollectorForm   *self);

G_END_DECLS
