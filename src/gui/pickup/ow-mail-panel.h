/* ow-mail-panel.h — a result by post (邮寄送达): the address, the carrier and waybill, the delivery
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

#define OW_TYPE_MAIL_PANEL (ow_mail_panel_get_type ())
G_DECLARE_FINAL_TYPE (OwMailPanel, ow_mail_panel, OW, MAIL_PANEL, AdwBin)

/* Signal "recorded" (const char *case_no): the mailing, or the delivery, is kept and on its
 * way to the platform. */
GtkWidget  *ow_mail_panel_new         (void);
void        ow_mail_panel_set_context (OwMailPanel       *self,
                                       OwContext         *context);
/* A ready case to mail: the carrier (from the "carriers" setting) and its waybill to enter; a
 * mailed one: its waybill, and the delivery to confirm. */
void        ow_mail_panel_show        (OwMailPanel       *self,
                                       OwStorePickupCase *pickup);
/* Records the mailing once the waybill is its carrier's (the check digit of an S10 number, the
 * configured pattern of others), or the delivery; refuses with the reason otherwise. */
void        ow_mail_panel_confirm     (OwMailPanel       *self);
gboolean    ow_mail_panel_is_busy     (OwMailPanel       *self);
const char *ow_mail_panel_get_problem (OwMailPanel       *self);
void        ow_mail_panel_focus       (OwMailPanel       *self);

G_END_DECLS
