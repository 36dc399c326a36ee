/* ow-decision-panel.h — the clerk's decision (art. 32) and how the result is delivered
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-case.h"
#include "documents/ow-document.h"

G_BEGIN_DECLS

/* What the clerk decides at the counter (design.md §1, step 5). */
typedef enum
{
  OW_DECISION_ACCEPT = 0,    /* 受理 */
  OW_DECISION_TOLERATED,     /* 容缺受理 */
  OW_DECISION_SUPPLEMENT,    /* 补正: everything missing in one notice */
  OW_DECISION_REFUSE,        /* 不予受理 */
} OwDecision;

OwCaseEventKind ow_decision_get_event         (OwDecision decision);
OwDocumentKind  ow_decision_get_document_kind (OwDecision decision);

#define OW_TYPE_DECISION_PANEL (ow_decision_panel_get_type ())
G_DECLARE_FINAL_TYPE (OwDecisionPanel, ow_decision_panel, OW, DECISION_PANEL, AdwBin)

/* Signal "changed": the decision, the refusal or the delivery changed. */
GtkWidget  *ow_decision_panel_new                 (void);
OwDecision  ow_decision_panel_get_decision        (OwDecisionPanel *self);
void        ow_decision_panel_set_decision        (OwDecisionPanel *self,
                                                   OwDecision       decision);
/* Checks the panel's own fields, marks the wrong ones; returns FALSE with @problem (translated,
 * for the hint under the button) when the decision cannot be taken yet. */
gboolean    ow_decision_panel_check               (OwDecisionPanel *self,
                                                   char           **problem);
/* The reason and competent organ as typed (stripped; the organ NULL when empty). */
char       *ow_decision_panel_dup_refusal_reason  (OwDecisionPanel *self);
char       *ow_decision_panel_dup_competent_organ (OwDecisionPanel *self);
/* Writes the delivery into @kase (pick-up, or post with a normalized mobile). */
void        ow_decision_panel_apply_delivery      (OwDecisionPanel *self,
                                                   OwCase          *kase);
void        ow_decision_panel_reset               (OwDecisionPanel *self);

G_END_DECLS
