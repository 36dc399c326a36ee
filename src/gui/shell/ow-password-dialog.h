/* ow-password-dialog.h — the clerk's password again, when the platform asks for it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

/* Asks the logged-in clerk for their password (@message says why) and passes it to
 * ow_context_reauthenticate_async(); stays open with the platform's answer when it refuses,
 * closes when it takes it. "Later" keeps working offline. One at a time per window. */
void ow_password_dialog_present (GtkWindow  *parent,
                                 OwContext  *context,
                                 const char *message);

G_END_DECLS
