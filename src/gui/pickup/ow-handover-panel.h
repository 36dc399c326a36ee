/* ow-handover-panel.h — hand over an applicant's ready results: which, to whom, the slip
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

#define OW_TYPE_HANDOVER_PANEL (ow_handover_panel_get_type ())
G_DECLARE_FINAL_TYPE (OwHandoverPanel, ow_handover_panel, OW, HANDOVER_PANEL, AdwBin)

/* Signal "handed-over" (GStrv case_nos): the hand-over of those cases is kept (and on its way
 * to the platform), and its slip went to the printer. */
GtkWidget  *ow_handover_panel_new         (void);
void        ow_handover_panel_set_context (OwHandoverPanel *self,
                                           OwContext       *context);
/* Shows @cases (OwStorePickupCase, ready, of one applicant), all chosen, with the one numbered
 * @first (NULL: none) at the top; the collector form starts afresh. */
void        ow_handover_panel_show        (OwHandoverPanel *self,
                                           GPtrArray       *cases,
                                           const char      *first);
/* Checks who collects against every chosen case and, when all match, records the hand-overs
 * one by one and prints one slip for them. A mismatch shows its reason and records nothing. */
void        ow_handover_panel_hand_over   (OwHandoverPanel *self);
gboolean    ow_handover_panel_is_busy     (OwHandoverPanel *self);
/* The reason the last hand-over was refused or failed, NULL for none. */
const char *ow_handover_panel_get_problem (OwHandoverPanel *self);
void        ow_handover_panel_focus       (OwHandoverPanel *self);

G_END_DECLS
