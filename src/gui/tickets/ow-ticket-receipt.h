/* ow-ticket-receipt.h — prints the 未办成事登记回执 of a ticket through the print queue
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-ticket.h"
#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

/* Renders the receipt of @ticket in a worker thread and prints it through the counter's print
 * queue; tells the clerk how it went with a toast on @toast_target's nearest AdwToastOverlay
 * (a print failure's toast offers Retry). @item_name is the item tried, or NULL. */
void ow_ticket_receipt_print (OwContext      *context,
                              const OwTicket *ticket,
                              const char     *item_name,
                              GtkWidget      *toast_target);

G_END_DECLS
