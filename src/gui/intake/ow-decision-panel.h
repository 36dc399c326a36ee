/* ow-decision-panel.h — the clerk's decision (art. 32) and how the result is delivered
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-case.h"
#include "core/ow-intake-draft.h"
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
/* Whether a line of the application may be tolerated (容缺): only then is "accept with a
 * tolerated gap" offered; a panel set to it falls back to accept when it goes. */
void        ow_decision_panel_set_tolerable       (OwDecisionPanel *self,
                                                   gboolean         tolerable);
gboolean    ow_decision_panel_get_tolerable       (OwDecisionPanel *self);
/* Puts the focus on the choice of decision. */
void        ow_decision_panel_focus               (OwDecisionPanel *self);

/* Drafts (ow-intake-draft.h). The kind of delivery chosen: OW_DELIVERY_PICKUP or _POST. */
OwDeliveryKind ow_decision_panel_get_delivery     (OwDecisionPanel *self);
/* Sets @draft's decision, refusal_reason, competent_organ, delivery and post_* from the panel,
 * as typed: not stripped, the mobile not normalized, NULL for an empty field; the refusal and
 * post fields also when another decision or pick-up hides them, as the panel keeps them. */
void        ow_decision_panel_fill_draft          (OwDecisionPanel *self,
                                                   OwIntakeDraft   *draft);
/* Puts back what ow_decision_panel_fill_draft() saved (NULL for an empty field; a @decision
 * out of range is Accept, a @delivery of 0 pick-up); emits "changed" once. */
void        ow_decision_panel_restore             (OwDecisionPanel *self,
                                                   OwDecision       decision,
                                                   const char      *refusal_reason,
                                                   const char      *competent_organ,
                                                   OwDeliveryKind   delivery,
                                                   const char      *post_recipient,
                                                   const char      *post_phone,
                                                   const char      *post_address);

G_END_DECLS
