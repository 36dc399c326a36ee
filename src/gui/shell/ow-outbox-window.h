/* ow-outbox-window.h — the changes that wait for the platform, and why
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_OUTBOX_WINDOW (ow_outbox_window_get_type ())
G_DECLARE_FINAL_TYPE (OwOutboxWindow, ow_outbox_window, OW, OUTBOX_WINDOW, AdwWindow)

/* Lists the outbox of @context's store and follows it while open. */
OwOutboxWindow *ow_outbox_window_new        (GtkWindow *parent,
                                             OwContext *context);
/* For tests: how many entries the window lists (after the first load, see "loaded"). */
guint           ow_outbox_window_get_n_rows (OwOutboxWindow *self);
gboolean        ow_outbox_window_get_loaded (OwOutboxWindow *self);

G_END_DECLS
