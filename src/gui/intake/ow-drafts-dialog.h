/* ow-drafts-dialog.h — the parked applicants: resume one, or discard it with undo
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/intake/ow-draft-keeper.h"

G_BEGIN_DECLS

#define OW_TYPE_DRAFTS_DIALOG (ow_drafts_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OwDraftsDialog, ow_drafts_dialog, OW, DRAFTS_DIALOG, AdwWindow)

/* Lists ow_draft_keeper_get_parked() (title, time parked), with an empty state. Activating a
 * row emits "resume" (const char *key) and closes; each row has a discard button that removes
 * the row at once and offers Undo in a toast for a few seconds before the draft is deleted. */
OwDraftsDialog *ow_drafts_dialog_new (GtkWindow     *parent,
                                      OwDraftKeeper *keeper);

G_END_DECLS
