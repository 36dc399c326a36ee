/* ow-intake-search.h — the intake page's item search: the index, its results, scanner input
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gui/shell/ow-context.h"
#include "search/ow-item-index.h"

G_BEGIN_DECLS

/* The most rows the list shows; the count says how many matched in all. */
#define OW_INTAKE_SEARCH_MAX_ROWS 200

#define OW_TYPE_INTAKE_SEARCH (ow_intake_search_get_type ())
G_DECLARE_FINAL_TYPE (OwIntakeSearch, ow_intake_search, OW, INTAKE_SEARCH, GObject)

/* Signals:
 *   "results-changed" ()  the model was refilled; n-matches may have changed */

OwIntakeSearch *ow_intake_search_new            (void);
/* The ranked results: a GListModel of OwItem, at most OW_INTAKE_SEARCH_MAX_ROWS. */
GListModel     *ow_intake_search_get_model      (OwIntakeSearch     *self);
guint           ow_intake_search_get_n_matches  (OwIntakeSearch     *self);
/* Whether the index of the current catalog is built (until then the list shows the catalog in
 * its order, unfiltered). */
gboolean        ow_intake_search_is_ready       (OwIntakeSearch     *self);
/* Indexes the catalog of @context in a worker thread, with this counter's usage counted from
 * the cases in its local store; searches again when done. */
void            ow_intake_search_set_context    (OwIntakeSearch     *self,
                                                 OwContext          *context);
void            ow_intake_search_set_query      (OwIntakeSearch     *self,
                                                 const char         *text);
/* @filter NULL: everything. Copied. */
void            ow_intake_search_set_filter     (OwIntakeSearch     *self,
                                                 const OwItemFilter *filter);
/* A case was accepted for @item_id: it ranks higher from now on. */
void            ow_intake_search_note_used      (OwIntakeSearch     *self,
                                                 const char         *item_id);
/* Watches the key presses of @entry (capture phase) to tell a barcode scanner from a person. */
void            ow_intake_search_attach_entry   (OwIntakeSearch     *self,
                                                 GtkWidget          *entry);
/* Gives @button a popover of filters (department, item type, zero trips) kept in step with the
 * catalog's departments. */
void            ow_intake_search_attach_filter_button (OwIntakeSearch *self,
                                                 GtkMenuButton      *button);
/* Enter was pressed in the entry holding @text: the case number when it was a scan (or a typed
 * case number or receipt payload), else NULL and the text is a query. */
char           *ow_intake_search_take_case      (OwIntakeSearch     *self,
                                                 const char         *text);

G_END_DECLS
