/* ow-pickup-text.h — what the pick-up window says of a case: its wait, its results, where it is
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No GTK: sentences for the lists, the panels and the page that says where a case stands.
 */
#pragma once

#include <glib.h>

#include "core/ow-calendar.h"
#include "core/ow-catalog.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

/* "waiting 3 days", "waiting 5 hours", "ready just now": since @since (µs since the epoch) until
 * @now; NULL when @since is 0 (not known). */
char *ow_pickup_describe_wait        (gint64              since,
                                      gint64              now);
/* The items' names, "、" between them. */
char *ow_pickup_describe_items       (OwCase             *kase);
/* What is handed over, in Chinese as the documents name it: each item's result (营业执照 …,
 * from @catalog, which may be NULL), or 不予许可决定书 for a decision not to approve. */
char *ow_pickup_describe_result      (OwStorePickupCase  *pickup,
                                      OwCatalog          *catalog);
/* Where a case stands, for the clerk to tell the applicant, one fact a line: its state; the
 * departments deciding it; the promised date and the working days left or late on @calendar
 * (may be NULL) counted from @today. */
char *ow_pickup_describe_whereabouts (OwCase             *kase,
                                      OwCalendar         *calendar,
                                      const GDate        *today);

G_END_DECLS
