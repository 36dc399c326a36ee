/* ow-catalog.h — the catalog of service items and "one thing" bundles at a given revision
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A catalog lists every item by its summary (id, name, codes, aliases, department, type, level,
 * limits, visits: what lists and the search show), packed in a few arrays, and holds complete
 * items only once they are loaded. A province lists tens of thousands of items of several KB
 * each; a counter uses a few hundred of them. A catalog made in memory (the codec, tests, the
 * platform) holds every item complete; one read from the local store has a loader that fetches
 * complete items on demand, in a worker thread (ow_catalog_load_items_async()).
 *
 * A catalog is filled once, then shared: a newer revision is a new catalog object. Reading it
 * from several threads is safe; filling it is not.
 */
#pragma once

#include <gio/gio.h>

#include "ow-item.h"

G_BEGIN_DECLS

/* A "one thing" bundle (一件事一次办): several items for one life event, applied for together. */
typedef struct
{
  char  *id;
  char  *name;
  char  *description;
  char **item_ids;
} OwBundle;

#define OW_TYPE_BUNDLE (ow_bundle_get_type ())
GType     ow_bundle_get_type (void) G_GNUC_CONST;
OwBundle *ow_bundle_new      (const char *id, const char *name, const char *description,
                              const char * const *item_ids);
OwBundle *ow_bundle_copy     (const OwBundle *bundle);
void      ow_bundle_free     (OwBundle *bundle);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwBundle, ow_bundle_free)

/* What a catalog knows of an item it has not loaded: the fields of ow_item_new_summary(). */
typedef struct
{
  const char         *id;
  const char         *name;
  const char         *basic_code;
  const char * const *aliases;      /* may be NULL */
  const char         *department;
  OwItemType          item_type;
  OwItemLevel         level;
  guint               legal_limit;
  guint               promised_limit;
  guint               visits;
} OwItemSummary;

#define OW_TYPE_CATALOG (ow_catalog_get_type ())
G_DECLARE_FINAL_TYPE (OwCatalog, ow_catalog, OW, CATALOG, GObject)

/* Loads the complete items @ids (each one the catalog lists) from wherever the catalog came
 * from: blocking, called in a worker thread. Returns a GPtrArray of OwItem (complete), in any
 * order; an id it cannot find is left out. */
typedef GPtrArray *(*OwCatalogLoadFunc) (const char * const *ids,
                                         gpointer            user_data,
                                         GCancellable       *cancellable,
                                         GError            **error);

OwCatalog   *ow_catalog_new          (void);
gint64       ow_catalog_get_revision (OwCatalog  *self);
void         ow_catalog_set_revision (OwCatalog  *self, gint64 revision);
/* Adds or replaces (same id) an item, complete: it is held from now on. */
void         ow_catalog_add_item     (OwCatalog  *self, OwItem *item);
/* Makes room for @n_items listed with @string_bytes of texts in all (ids, names, codes,
 * aliases): a catalog filled from a store of 100,000 items otherwise rounds its arrays up to the
 * next power of two. Only before the first item. */
void         ow_catalog_reserve      (OwCatalog  *self, guint n_items, gsize string_bytes);
/* Lists an item without holding it: @loader fetches it when it is asked for. */
void         ow_catalog_add_summary  (OwCatalog  *self, const OwItemSummary *summary);
/* Where the items only listed come from (see OwCatalogLoadFunc); @destroy frees @user_data with
 * the catalog. */
void         ow_catalog_set_loader   (OwCatalog  *self,
                                      OwCatalogLoadFunc loader,
                                      gpointer    user_data,
                                      GDestroyNotify destroy);
void         ow_catalog_add_bundle   (OwCatalog  *self, OwBundle *bundle);

guint        ow_catalog_get_n_items  (OwCatalog  *self);
/* Whether the catalog lists @item_id, loaded or not. */
gboolean     ow_catalog_contains     (OwCatalog  *self, const char *item_id);
/* Where @item_id stands in the catalog's order; FALSE when it is not listed. */
gboolean     ow_catalog_get_position (OwCatalog  *self, const char *item_id, guint *position);
/* All items, in the order added: a GListModel of OwItem, each complete when it is held and a
 * summary (ow_item_is_complete() FALSE) otherwise. */
GListModel  *ow_catalog_get_items    (OwCatalog  *self);
/* The item at @position or with @item_id as ow_catalog_get_items() has it (complete when held,
 * else a summary), a new reference; NULL when there is none. */
OwItem      *ow_catalog_dup_item_at  (OwCatalog  *self, guint position);
OwItem      *ow_catalog_dup_item     (OwCatalog  *self, const char *item_id);
/* The complete item @item_id when the catalog holds it; NULL when the catalog does not list it
 * or has not loaded it yet (ow_catalog_load_items_async() does). A held item stays held, and
 * the same object, as long as the catalog lives. */
OwItem      *ow_catalog_lookup       (OwCatalog  *self, const char *item_id);
/* The name of @item_id and the name of its department, NULL when the catalog does not list it:
 * loaded or not. Valid as long as the catalog lives. */
const char  *ow_catalog_get_item_name       (OwCatalog *self, const char *item_id);
const char  *ow_catalog_get_item_department (OwCatalog *self, const char *item_id);

/* Makes the items @ids complete and held, loading those not held yet in a worker thread.
 * Finishes with a GPtrArray of OwItem (complete, the catalog's own objects) in the order of
 * @ids; ids the catalog does not list are left out. Fails only when loading fails. */
void         ow_catalog_load_items_async  (OwCatalog          *self,
                                           const char * const *ids,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
GPtrArray   *ow_catalog_load_items_finish (OwCatalog          *self,
                                           GAsyncResult       *result,
                                           GError            **error);
/* The same, blocking: for a worker thread. */
GPtrArray   *ow_catalog_load_items        (OwCatalog          *self,
                                           const char * const *ids,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* Bundles, as a GPtrArray of OwBundle owned by the catalog. */
GPtrArray   *ow_catalog_get_bundles  (OwCatalog  *self);
/* Departments, sorted and without repeats. */
char       **ow_catalog_dup_departments (OwCatalog *self);

/* The materials of several items merged so that a document asked for by more than one item is
 * asked for once: materials with the same name are one line, with the larger copy counts and
 * required if any item requires it. With more than one item, a line's id is
 * "<item id>/<material id>" of the item that asked for it first, since material ids are unique
 * within an item only. Only held items count (load them first); an id not held is skipped.
 * Returns a GPtrArray of OwMaterial, copies the caller may change. */
GPtrArray   *ow_catalog_merge_materials (OwCatalog *self, const char * const *item_ids);

G_END_DECLS
