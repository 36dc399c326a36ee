/* ow-test-catalog.h — catalogs of any size, made from the shipped one, for tests and benchmarks
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Item i of a generated catalog is item (i mod n) of data/catalog.json, whole (its materials,
 * conditions, FAQ: real-sized, about 3.3 KB), under the id "G%08u" of i and a name recombined
 * from two-character pieces of the real names (Han text with real pinyin), so that the search
 * has something to do. The same @seed gives the same catalog. The file is written item by item.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint        first;       /* the first item's index */
  guint        n_items;
  gint64       revision;
  guint        seed;
  /* Items whose index is a multiple of this (0: none) get "（修订）" after their name: a
   * revision that changed them. */
  guint        renamed_every;
} OwTestCatalogSpec;

/* Writes the catalog @spec describes to @path, with the shipped catalog's hall, departments
 * and (for bundles naming items it keeps) bundles. The ids of item i: ow_test_catalog_item_id. */
gboolean  ow_test_catalog_write    (const char               *path,
                                    const OwTestCatalogSpec  *spec,
                                    GError                  **error);
char     *ow_test_catalog_item_id  (guint                     index);
/* The name item @index gets under @spec. */
char     *ow_test_catalog_item_name (const OwTestCatalogSpec *spec,
                                     guint                    index);

G_END_DECLS
