/* ow-supplement-dialog.h — a case back with its supplements (补正): tick what arrived, accept it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_SUPPLEMENT_DIALOG (ow_supplement_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OwSupplementDialog, ow_supplement_dialog, OW, SUPPLEMENT_DIALOG, AdwWindow)

/* A modal window over @parent for the logged-in clerk of @context. It looks up @case_no (a case
 * number with or without hyphens, or a receipt's QR payload) at once; with NULL the clerk types
 * or scans it. The case comes from the local store, or from the platform when another counter
 * took it in. A case waiting for supplements lists the lines its notice asked for, each with
 * Arrived (on paper) and Scan (the intake page's pages dialog, ow-scan-dialog.h: stored pages
 * tick the line, which then goes out as scanned with its files); once every required line is
 * ticked, and no pages dialog is open, Accept moves it on (supplement received, then accepted, each event
 * saved with its POST in the outbox), sets the promised date counted from today, prints the
 * 受理通知书 through the counter's print queue, closes and leaves a toast on @parent.
 *
 * Actions (group "supplement"): supplement.find (Enter in the number field),
 * supplement.accept (Ctrl+Return; enabled when every required line is ticked, or to retry a
 * print that failed after the case was saved). Escape closes, except while the case is being
 * saved. */
OwSupplementDialog *ow_supplement_dialog_new (GtkWindow  *parent,
                                              OwContext  *context,
                                              const char *case_no);

G_END_DECLS
