/* ow-catalog.h — the catalog of service items and "one thing" bundles at a given revision
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
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

#define OW_TYPE_CATALOG (ow_catalog_get_type ())
G_DECLARE_FINAL_TYPE (OwCatalog, ow_catalog, OW, CATALOG, GObject)

OwCatalog   *ow_catalog_new          (void);
gint64       ow_catalog_get_revision (OwCatalog  *self);
void         ow_catalog_set_revision (OwCatalog  *self, gint64 revision);
/* Adds or replaces (same id) an item. */
void         ow_catalog_add_item     (OwCatalog  *self, OwItem *item);
void         ow_catalog_add_bundle   (OwCatalog  *self, OwBundle *bundle);
/* All items, in the order added: a GListModel of OwItem. */
GListModel  *ow_catalog_get_items    (OwCatalog  *self);
OwItem      *ow_catalog_lookup       (OwCatalog  *self, const char *item_id);
/* Bundles, as a GPtrArray of OwBundle owned by the catalog. */
GPtrArray   *ow_catalog_get_bundles  (OwCatalog  *self);
/* Departments, sorted and without repeats. */
char       **ow_catalog_dup_departments (OwCatalog *self);

/* The materials of several items merged so that a document asked for by more than one item is
 * asked for once: materials with the same name are one line, with the larger copy counts and
 * required if any item requires it. With more than one item, a line's id is
 * "<item id>/<material id>" of the item that asked for it first, since material ids are unique
 * within an item only. Returns a GPtrArray of OwMaterial, copies the caller may change. */
GPtrArray   *ow_catalog_merge_materials (OwCatalog *self, const char * const *item_ids);

G_END_DECLS
