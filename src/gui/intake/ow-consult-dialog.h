/* ow-consult-dialog.h — consultation without a case: an item's details and its printed guide
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-item.h"
#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_CONSULT_DIALOG (ow_consult_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OwConsultDialog, ow_consult_dialog, OW, CONSULT_DIALOG, AdwWindow)

/* A modal window over @parent showing everything the catalog says about @item — conditions,
 * materials, time limits with the date they give if accepted today, fees, result, where, when,
 * whom to call, visits, FAQ — for an applicant who only asks. Nothing is saved.
 *
 * Actions (group "consult"): consult.print prints the requirements guide (一次性告知书) through
 * the counter's print queue (Ctrl+P), disabled while a guide is on its way; consult.preview
 * shows its pages first; consult.retry sends a guide that failed again. Escape closes. */
OwConsultDialog *ow_consult_dialog_new (GtkWindow *parent,
                                        OwContext *context,
                                        OwItem    *item);

G_END_DECLS
