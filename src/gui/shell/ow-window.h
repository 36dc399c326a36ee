/* ow-window.h — the counter window: log-in, the workspaces of the user's roles, the status area
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-application.h"

G_BEGIN_DECLS

#define OW_TYPE_WINDOW (ow_window_get_type ())
G_DECLARE_FINAL_TYPE (OwWindow, ow_window, OW, WINDOW, AdwApplicationWindow)

OwWindow *ow_window_new        (OwApplication *application);
/* For tests: the page showing, "login", or "workspaces" once someone is logged in. */
const char *ow_window_get_page (OwWindow      *self);
/* The workspace shown ("intake", "pickup", "overview", "cases", "tickets"); NULL when logged
 * out. */
const char *ow_window_get_workspace (OwWindow *self);
void        ow_window_add_toast (OwWindow     *self,
                                 AdwToast     *toast);

G_END_DECLS
