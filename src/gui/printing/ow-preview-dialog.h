/* ow-preview-dialog.h — the pages of a notice before it is printed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OW_TYPE_PREVIEW_DIALOG (ow_preview_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OwPreviewDialog, ow_preview_dialog, OW, PREVIEW_DIALOG, AdwWindow)

/* Shows a spinner until the pages arrive. Signal "print": the clerk pressed Print; the dialog
 * closes itself afterwards. Signal "print-with-dialog": the same after choosing a printer. */
OwPreviewDialog *ow_preview_dialog_new         (GtkWindow       *parent,
                                                const char      *title);
/* @pages: GBytes of PNG images, one per page. */
void             ow_preview_dialog_set_pages   (OwPreviewDialog *self,
                                                GPtrArray       *pages);
void             ow_preview_dialog_set_error   (OwPreviewDialog *self,
                                                const char      *message);
guint            ow_preview_dialog_get_n_pages (OwPreviewDialog *self);
/* FALSE: the decision cannot be taken yet, Print stays insensitive (call before the pages). */
void             ow_preview_dialog_set_can_print (OwPreviewDialog *self,
                                                  gboolean         can_print);

G_END_DECLS
