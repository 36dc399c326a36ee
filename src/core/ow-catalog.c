/* ow-catalog.c — the catalog of service items and "one thing" bundles at a given revision
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ow-catalog.h"

struct _OwCatalog
{
  GObject     parent_instance;

  gint64      revision;
  GListStore *items;
  GHashTable *items_by_id; /* id → OwItem, borrowed from @items */
  GPtrArray  *bundles;
};

G_DEFINE_FINAL_TYPE (OwCatalog, ow_catalog, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (OwBundle, ow_bundle, ow_bundle_copy, ow_bundle_free)

static const char * const empty_strv[] = { NULL };

/* One line for a document that several items ask for. It is asked for as strictly as the
 * strictest item asks: the most originals and copies, required if any requires it; and it is
 * excused (shared, electronic licence, tolerated) only if every item excuses it. */
static void
merge_material_into (OwMaterial *merged,
                     OwMaterial *other)
{
  ow_material_set_counts (merged,
                          MAX (ow_material_get_originals (merged),
                               ow_material_get_originals (other)),
                          MAX (ow_material_get_copies (merged), ow_material_get_copies (other)));
  ow_material_set_required (merged, ow_material_get_required (merged)
                                    || ow_material_get_required (other));
  ow_material_set_shared_exempt (merged, ow_material_get_shared_exempt (merged)
                                         && ow_material_get_shared_exempt (other));
  ow_material_set_licence_exempt (merged, ow_material_get_licence_exempt (merged)
                                          && ow_material_get_licence_exempt (other));
  ow_material_set_tolerable (merged, ow_material_get_tolerable (merged)
                                     && ow_material_get_tolerable (other));
  if (ow_material_get_form (merged) != ow_material_get_form (other))
    {
      /* A named form satisfies an item that takes either; between paper and electronic the
       * first item's form stands, and the clerk reads the notes of both. */
      if (ow_material_get_form (merged) == OW_MATERIAL_FORM_EITHER)
        ow_material_set_form (merged, ow_material_get_form (other));
    }
}

static char *
dup_material_key (OwMaterial *material)
{
  return g_strstrip (g_strdup (ow_material_get_name (material)));
}

static int
compare_departments (gconstpointer a,
                     gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
find_item_position (OwCatalog  *self,
                    const char *id,
                    guint      *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_str_equal (ow_item_get_id (item), id))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

OwBundle *
ow_bundle_new (const char         *id,
               const char         *name,
               const char         *description,
               const char * const *item_ids)
{
  OwBundle *bundle = g_new0 (OwBundle, 1);

  bundle->id = g_strdup (id);
  bundle->name = g_strdup (name);
  bundle->description = g_strdup (description);
  bundle->item_ids = g_strdupv ((char **) (item_ids != NULL ? item_ids : empty_strv));
  return bundle;
}

OwBundle *
ow_bundle_copy (const OwBundle *bundle)
{
  g_return_val_if_fail (bundle != NULL, NULL);

  return ow_bundle_new (bundle->id, bundle->name, bundle->description,
                        (const char * const *) bundle->item_ids);
}

void
ow_bundle_free (OwBundle *bundle)
{
  if (bundle == NULL)
    return;

  g_free (bundle->id);
  g_free (bundle->name);
  g_free (bundle->description);
  g_strfreev (bundle->item_ids);
  g_free (bundle);
}

static void
ow_catalog_dispose (GObject *object)
{
  OwCatalog *self = OW_CATALOG (object);

  g_clear_pointer (&self->items_by_id, g_hash_table_unref);
  g_clear_object (&self->items);
  g_clear_pointer (&self->bundles, g_ptr_array_unref);

  G_OBJECT_CLASS (ow_catalog_parent_class)->dispose (object);
}

static void
ow_catalog_class_init (OwCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_catalog_dispose;
}

static void
ow_catalog_init (OwCatalog *self)
{
  self->items = g_list_store_new (OW_TYPE_ITEM);
  self->items_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bundles = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_bundle_free);
}

OwCatalog *
ow_catalog_new (void)
{
  return g_object_new (OW_TYPE_CATALOG, NULL);
}

gint64
ow_catalog_get_revision (OwCatalog *self)
{
  g_return_val_if_fail (OW_IS_CATALOG (self), 0);
  return self->revision;
}

void
ow_catalog_set_revision (OwCatalog *self,
                         gint64     revision)
{
  g_return_if_fail (OW_IS_CATALOG (self));
  self->revision = revision;
}

void
ow_catalog_add_item (OwCatalog *self,
                     OwItem    *item)
{
  const char *id;
  guint position;

  g_return_if_fail (OW_IS_CATALOG (self));
  g_return_if_fail (OW_IS_ITEM (item));

  id = ow_item_get_id (item);
  /* Only a replacement needs the list walked; the table answers for the common case, so
   * loading N items stays linear. */
  if (g_hash_table_contains (self->items_by_id, id) && find_item_position (self, id, &position))
    {
      gpointer replacement[] = { item };

      g_list_store_splice (self->items, position, 1, replacement, 1);
    }
  else
    g_list_store_append (self->items, item);

  g_hash_table_replace (self->items_by_id, g_strdup (id), item);
}

void
ow_catalog_add_bundle (OwCatalog *self,
                       OwBundle  *bundle)
{
  g_return_if_fail (OW_IS_CATALOG (self));
  g_return_if_fail (bundle != NULL);

  /* The catalog keeps a copy: the caller still owns @bundle. */
  for (guint i = 0; i < self->bundles->len; i++)
    {
      OwBundle *existing = g_ptr_array_index (self->bundles, i);

      if (g_strcmp0 (existing->id, bundle->id) == 0)
        {
          ow_bundle_free (existing);
          g_ptr_array_index (self->bundles, i) = ow_bundle_copy (bundle);
          return;
        }
    }

  g_ptr_array_add (self->bundles, ow_bundle_copy (bundle));
}

GListModel *
ow_catalog_get_items (OwCatalog *self)
{
  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);
  return G_LIST_MODEL (self->items);
}

OwItem *
ow_catalog_lookup (OwCatalog  *self,
                   const char *item_id)
{
  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  if (item_id == NULL)
    return NULL;
  return g_hash_table_lookup (self->items_by_id, item_id);
}

GPtrArray *
ow_catalog_get_bundles (OwCatalog *self)
{
  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);
  return self->bundles;
}

char **
ow_catalog_dup_departments (OwCatalog *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint n;

  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      const char *department = ow_item_get_department (item);

      if (*department == '\0' || g_hash_table_contains (seen, department))
        continue;
      g_hash_table_add (seen, (gpointer) department);
      g_ptr_array_add (names, g_strdup (department));
    }

  g_ptr_array_sort (names, compare_departments);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

GPtrArray *
ow_catalog_merge_materials (OwCatalog          *self,
                            const char * const *item_ids)
{
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) items_seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *merged;
  gboolean qualify;

  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  merged = g_ptr_array_new_with_free_func (g_object_unref);
  if (item_ids == NULL)
    return merged;

  /* Material ids are unique within an item ("m1", "m2" …), not across items: with more than
   * one item, a line's id names the item that asked for it first ("<item id>/m1"). */
  {
    g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; item_ids[i] != NULL; i++)
      if (ow_catalog_lookup (self, item_ids[i]) != NULL)
        g_hash_table_add (distinct, (gpointer) item_ids[i]);
    qualify = g_hash_table_size (distinct) > 1;
  }

  for (guint i = 0; item_ids[i] != NULL; i++)
    {
      OwItem *item = ow_catalog_lookup (self, item_ids[i]);
      GListModel *materials;
      guint n;

      /* An item named twice must not count its materials twice. */
      if (item == NULL || !g_hash_table_add (items_seen, (gpointer) item_ids[i]))
        {
          if (item == NULL)
            g_debug ("Merging materials: no item %s in the catalog", item_ids[i]);
          continue;
        }

      materials = ow_item_get_materials (item);
      n = g_list_model_get_n_items (materials);
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(OwMaterial) material = g_list_model_get_item (materials, j);
          g_autofree char *key = dup_material_key (material);
          OwMaterial *existing = g_hash_table_lookup (by_name, key);

          if (existing != NULL)
            merge_material_into (existing, material);
          else
            {
              g_autofree char *id = qualify ? g_strdup_printf ("%s/%s", item_ids[i],
                                                               ow_material_get_id (material))
                                            : NULL;
              OwMaterial *copy = ow_material_copy (material, id);

              g_ptr_array_add (merged, copy);
              g_hash_table_insert (by_name, g_steal_pointer (&key), copy);
            }
        }
    }

  return merged;
}
