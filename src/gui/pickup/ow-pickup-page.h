/* ow-pickup-page.h — the unified pick-up window (统一出件): find, hand over, mail, rate
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_PICKUP_PAGE (ow_pickup_page_get_type ())
G_DECLARE_FINAL_TYPE (OwPickupPage, ow_pickup_page, OW, PICKUP_PAGE, AdwBin)

/* @context NULL on log-out: the page forgets the user and stops mirroring the hall. */
void        ow_pickup_page_set_context (OwPickupPage *self,
                                        OwContext    *context);
/* Finds what @text names (a receipt's QR payload, a case number, an ID number or credit code)
 * as the find entry does, and shows it. */
void        ow_pickup_page_find        (OwPickupPage *self,
                                        const char   *text);
void        ow_pickup_page_focus_find  (OwPickupPage *self);

/* For tests: the detail shown ("empty", "busy", "where", "handover", "mail", "done"), whether
 * a look-up, list or step is under way, the rows of each list ("pickup", "post", "mailed"),
 * and the rating window open, if any. */
const char *ow_pickup_page_get_detail  (OwPickupPage *self);
gboolean    ow_pickup_page_is_busy     (OwPickupPage *self);
guint       ow_pickup_page_get_n_rows  (OwPickupPage *self,
                                        const char   *list);
GtkWindow  *ow_pickup_page_get_rating_window (OwPickupPage *self);

G_END_DECLS
