/* ow-preferences-window.h — the Preferences window: printers and copies per document, connection
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "devices/ow-printer.h"

G_BEGIN_DECLS

#define OW_TYPE_PREFERENCES_WINDOW (ow_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (OwPreferencesWindow, ow_preferences_window, OW, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Changes to @settings apply at once. The printers are listed through @printer when the window
 * is created. */
GtkWidget *ow_preferences_window_new (GSettings *settings,
                                      OwPrinter *printer);

G_END_DECLS
