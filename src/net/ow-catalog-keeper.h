/* ow-catalog-keeper.h — the catalog kept in the local store, and brought up to date from it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-catalog.h"
#include "net/ow-client.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

#define OW_TYPE_CATALOG_KEEPER (ow_catalog_keeper_get_type ())
G_DECLARE_FINAL_TYPE (OwCatalogKeeper, ow_catalog_keeper, OW, CATALOG_KEEPER, GObject)

/* The counter starts from the catalog kept in its store, at once, with or without the
 * platform, and brings it up to date when the platform answers: the changes since the
 * revision kept (GET /api/v1/catalog?since=), in pages, or, when none is kept or the platform
 * no longer holds that revision, the whole catalog in pages, swapped in once complete. A
 * catalog made here lists its items and loads each from the store when asked
 * (ow_catalog_load_items_async()): a province's catalog is never all in memory. */
OwCatalogKeeper *ow_catalog_keeper_new          (OwStore          *store,
                                                 OwClient         *client);
/* Items per page asked of the platform (default 1000, its largest). */
void             ow_catalog_keeper_set_page_size (OwCatalogKeeper *self,
                                                 guint             page_size);

/* The catalog kept, NULL with no error when none is; @stamp receives what names this state
 * of it (for the search index kept beside it). */
void             ow_catalog_keeper_load_async   (OwCatalogKeeper  *self,
                                                 GCancellable     *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer          user_data);
OwCatalog       *ow_catalog_keeper_load_finish  (OwCatalogKeeper  *self,
                                                 GAsyncResult     *result,
                                                 char            **stamp,
                                                 GError          **error);
/* The same, blocking: for a worker thread that reads more of the store after it (the start). */
OwCatalog       *ow_catalog_keeper_load         (OwCatalogKeeper  *self,
                                                 char            **stamp,
                                                 GError          **error);

/* Brings the kept catalog up to date with the platform. Finishes with the catalog as kept now
 * when anything changed (and its @stamp), NULL with no error when nothing did. A failure
 * part-way keeps what was kept before (a whole download) or what came so far (a delta, whose
 * pages can be applied again). */
void             ow_catalog_keeper_update_async  (OwCatalogKeeper *self,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
OwCatalog       *ow_catalog_keeper_update_finish (OwCatalogKeeper *self,
                                                  GAsyncResult    *result,
                                                  char           **stamp,
                                                  GError         **error);

G_END_DECLS
