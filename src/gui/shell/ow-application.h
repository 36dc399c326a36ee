/* ow-application.h — the OneWindow application: options, actions, the shared context
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_APPLICATION (ow_application_get_type ())
G_DECLARE_FINAL_TYPE (OwApplication, ow_application, OW, APPLICATION, AdwApplication)

OwApplication *ow_application_new         (void);
/* What the command line sets; call before the application is registered. NULL keeps the
 * setting. */
void           ow_application_configure   (OwApplication *self,
                                           const char    *platform_uri,
                                           const char    *store_path,
                                           const char    *scanner_device,
                                           const char    *notice_printer);
/* Exists from start-up on; opens asynchronously ("ready"). */
OwContext     *ow_application_get_context (OwApplication *self);

G_END_DECLS
