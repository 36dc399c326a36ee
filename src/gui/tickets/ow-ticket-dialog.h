/* ow-ticket-dialog.h — registering unfinished business (未办成事) and printing its receipt
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_TICKET_DIALOG (ow_ticket_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OwTicketDialog, ow_ticket_dialog, OW, TICKET_DIALOG, AdwWindow)

/* A dialog over @parent registering a ticket for the logged-in user of @context. Register
 * saves it (it waits in the outbox when offline), closes the dialog and prints the receipt;
 * the toasts go to @parent.
 *
 * Actions (group "ticket"): ticket.register, enabled when the form is complete; Ctrl+Return. */
OwTicketDialog *ow_ticket_dialog_new        (GtkWindow      *parent,
                                             OwContext      *context);
/* Why Register is not possible now, or NULL when it is. */
const char     *ow_ticket_dialog_get_reason (OwTicketDialog *self);

G_END_DECLS
