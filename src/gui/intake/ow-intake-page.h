/* ow-intake-page.h — the comprehensive window's intake: item, materials, applicant, acceptance
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_INTAKE_PAGE (ow_intake_page_get_type ())
G_DECLARE_FINAL_TYPE (OwIntakePage, ow_intake_page, OW, INTAKE_PAGE, AdwBin)

/* Shows the catalog of @context and accepts cases for its logged-in user. */
void ow_intake_page_set_context  (OwIntakePage *self,
                                  OwContext    *context);
void ow_intake_page_focus_search (OwIntakePage *self);
/* Clears the form for the next applicant. */
void ow_intake_page_reset        (OwIntakePage *self);
/* Keeps the form in the parked list (ow-draft-keeper.h) and empties it; FALSE, doing nothing,
 * when there is nothing worth keeping. */
gboolean ow_intake_page_park     (OwIntakePage *self);
/* Writes the form's draft now instead of after the typing pause: the window is closing. */
void ow_intake_page_save_draft_now (OwIntakePage *self);
/* Puts the focus on step @step of the intake, 1 to 5: the search, the results, the applicant's
 * ID number, the first material not yet marked, the decision; FALSE when that step is not
 * there yet (no item chosen). Ctrl+1 … Ctrl+5 while the page shows. */
gboolean ow_intake_page_go_to_step (OwIntakePage *self,
                                    guint         step);

/* Signals:
 *   "case-scanned" (const char *case_no)  a receipt's QR code or a case number was scanned (a
 *                  barcode scanner's burst of keys ending in Enter) or typed into the search
 *                  field; the page showed a toast and cleared the field.
 *
 * Actions (group "intake"):
 *   intake.accept        accepts the case and prints the notice; enabled when everything is there
 *   intake.retry-print   prints the last notice again
 *   intake.focus-search
 *   intake.go-to-step (u)        ow_intake_page_go_to_step(); Ctrl+1 … Ctrl+5
 *   intake.remaining-on-paper    marks every required material not yet marked as received on
 *                                paper, with Undo; Ctrl+M
 * The page's own shortcuts work wherever the focus is in the window while the page shows
 * (GTK_SHORTCUT_SCOPE_MANAGED). Tab moves between the steps (ow-focus-ring.h): the search
 * row, the results, the chosen item's details, the applicant, the materials, the decision and
 * its buttons; each list is one stop, walked with the arrow keys.
 * The page adds its toasts to the nearest AdwToastOverlay above it; a print failure's toast
 * offers "Retry" through the window action win.retry-print, which forwards to the page. */

G_END_DECLS
