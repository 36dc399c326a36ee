/* ow-catalog.c — the catalog of service items and "one thing" bundles at a given revision
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ow-catalog.h"

#define OW_TYPE_CATALOG_ITEMS (ow_catalog_items_get_type ())
G_DECLARE_FINAL_TYPE (OwCatalogItems, ow_catalog_items, OW, CATALOG_ITEMS, GObject)

/* An item the catalog lists: offsets into strings, the rest packed. 32 bytes. */
typedef struct
{
  const char *id;         /* in ids */
  guint32 name;
  guint32 basic_code;
  guint32 aliases;        /* the aliases, each followed by a NUL; an empty one ends them */
  guint32 department;     /* index in departments */
  guint16 legal_limit;
  guint16 promised_limit;
  guint16 visits;
  guint8  item_type;
  guint8  level;
} Entry;

struct _OwCatalog
{
  GObject     parent_instance;

  gint64      revision;
  GArray     *entries;      /* Entry, in catalog order */
  GString    *strings;      /* the other texts of the entries, NUL-terminated */
  GStringChunk *ids;        /* the ids: they do not move, so they key positions */
  GHashTable *positions;    /* id (in ids) → position + 1 */
  GPtrArray  *departments;  /* char * */
  GHashTable *department_ids; /* name → index + 1 */
  GPtrArray  *bundles;
  OwCatalogItems *model;

  /* Complete items, by id. Items are added on the thread that fills the catalog or finishes a
   * load and read from any: the lock guards the table, not the items. */
  GMutex      held_lock;
  GHashTable *held;         /* id → OwItem */

  OwCatalogLoadFunc loader;
  gpointer    loader_data;
  GDestroyNotify loader_destroy;
};

G_DEFINE_FINAL_TYPE (OwCatalog, ow_catalog, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (OwBundle, ow_bundle, ow_bundle_copy, ow_bundle_free)

static const char * const empty_strv[] = { NULL };

/* ---------------------------------------------------------------------------------------- */
/* The list model of ow_catalog_get_items(): complete items where held, summaries otherwise. */

struct _OwCatalogItems
{
  GObject    parent_instance;
  OwCatalog *catalog;       /* borrowed: the catalog owns the model */
};

static GType
ow_catalog_items_get_item_type (GListModel *list)
{
  return OW_TYPE_ITEM;
}

static guint
ow_catalog_items_get_n_items (GListModel *list)
{
  OwCatalogItems *self = (OwCatalogItems *) list;

  return self->catalog != NULL ? self->catalog->entries->len : 0;
}

static gpointer
ow_catalog_items_get_item (GListModel *list,
                           guint       position)
{
  OwCatalogItems *self = (OwCatalogItems *) list;

  return self->catalog != NULL ? ow_catalog_dup_item_at (self->catalog, position) : NULL;
}

static void
ow_catalog_items_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ow_catalog_items_get_item_type;
  iface->get_n_items = ow_catalog_items_get_n_items;
  iface->get_item = ow_catalog_items_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (OwCatalogItems, ow_catalog_items, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ow_catalog_items_list_model_init))

static void
ow_catalog_items_class_init (OwCatalogItemsClass *klass)
{
}

static void
ow_catalog_items_init (OwCatalogItems *self)
{
}

/* ---------------------------------------------------------------------------------------- */
/* Packing */

static guint32
add_string (OwCatalog  *self,
            const char *text)
{
  guint32 offset = self->strings->len;

  g_string_append (self->strings, text != NULL ? text : "");
  g_string_append_c (self->strings, '\0');
  return offset;
}

static const char *
entry_string (OwCatalog *self,
              guint32    offset)
{
  return self->strings->str + offset;
}

static guint32
intern_department (OwCatalog  *self,
                   const char *department)
{
  gpointer known;

  if (department == NULL)
    department = "";
  known = g_hash_table_lookup (self->department_ids, department);
  if (known != NULL)
    return GPOINTER_TO_UINT (known) - 1;
  g_ptr_array_add (self->departments, g_strdup (department));
  g_hash_table_insert (self->department_ids,
                       g_ptr_array_index (self->departments, self->departments->len - 1),
                       GUINT_TO_POINTER (self->departments->len));
  return self->departments->len - 1;
}

/* Appends or replaces the entry of @summary; returns its position. */
static guint
put_entry (OwCatalog           *self,
           const OwItemSummary *summary)
{
  Entry entry = { 0 };
  gpointer known = g_hash_table_lookup (self->positions, summary->id);
  guint position;

  entry.id = known != NULL ? g_array_index (self->entries, Entry, GPOINTER_TO_UINT (known) - 1).id
                           : g_string_chunk_insert (self->ids, summary->id);
  entry.name = add_string (self, summary->name);
  entry.basic_code = add_string (self, summary->basic_code);
  entry.aliases = self->strings->len;
  for (guint i = 0; summary->aliases != NULL && summary->aliases[i] != NULL; i++)
    if (*summary->aliases[i] != '\0')
      add_string (self, summary->aliases[i]);
  add_string (self, "");
  entry.department = intern_department (self, summary->department);
  entry.legal_limit = MIN (summary->legal_limit, G_MAXUINT16);
  entry.promised_limit = MIN (summary->promised_limit, G_MAXUINT16);
  entry.visits = MIN (summary->visits, G_MAXUINT16);
  entry.item_type = summary->item_type;
  entry.level = summary->level;

  if (known != NULL)
    {
      position = GPOINTER_TO_UINT (known) - 1;
      g_array_index (self->entries, Entry, position) = entry;
      return position;
    }
  position = self->entries->len;
  g_array_append_val (self->entries, entry);
  g_hash_table_insert (self->positions, (gpointer) entry.id, GUINT_TO_POINTER (position + 1));
  return position;
}

static OwItem *
summary_item (OwCatalog   *self,
              const Entry *entry)
{
  g_autoptr(GStrvBuilder) aliases = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  OwItem *item = ow_item_new_summary (entry->id, entry_string (self, entry->name));

  for (const char *alias = entry_string (self, entry->aliases); *alias != '\0';
       alias += strlen (alias) + 1)
    g_strv_builder_add (aliases, alias);
  strv = g_strv_builder_end (aliases);
  ow_item_set_basic_code (item, entry_string (self, entry->basic_code));
  ow_item_set_aliases (item, (const char * const *) strv);
  ow_item_set_department (item, g_ptr_array_index (self->departments, entry->department), NULL);
  if (ow_item_type_to_code (entry->item_type) != NULL)
    ow_item_set_item_type (item, entry->item_type);
  if (entry->level >= OW_ITEM_LEVEL_PROVINCE && entry->level <= OW_ITEM_LEVEL_TOWNSHIP)
    ow_item_set_level (item, entry->level);
  ow_item_set_limits (item, entry->legal_limit, entry->promised_limit);
  ow_item_set_visits (item, entry->visits);
  return item;
}

static OwItem *
dup_held (OwCatalog  *self,
          const char *id)
{
  OwItem *item;

  g_mutex_lock (&self->held_lock);
  item = g_hash_table_lookup (self->held, id);
  if (item != NULL)
    g_object_ref (item);
  g_mutex_unlock (&self->held_lock);
  return item;
}

/* Holds @item unless an item of its id is held already, which stays (callers may compare
 * pointers); returns the one held, a new reference. */
static OwItem *
hold (OwCatalog *self,
      OwItem    *item)
{
  OwItem *held;

  g_mutex_lock (&self->held_lock);
  held = g_hash_table_lookup (self->held, ow_item_get_id (item));
  if (held == NULL)
    {
      held = item;
      g_hash_table_insert (self->held, g_strdup (ow_item_get_id (item)), g_object_ref (item));
    }
  g_object_ref (held);
  g_mutex_unlock (&self->held_lock);
  return held;
}

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

  if (self->model != NULL)
    self->model->catalog = NULL;
  g_clear_object (&self->model);
  g_clear_pointer (&self->held, g_hash_table_unref);
  g_clear_pointer (&self->bundles, g_ptr_array_unref);
  if (self->loader_destroy != NULL)
    self->loader_destroy (self->loader_data);
  self->loader_destroy = NULL;
  self->loader_data = NULL;
  self->loader = NULL;

  G_OBJECT_CLASS (ow_catalog_parent_class)->dispose (object);
}

static void
ow_catalog_finalize (GObject *object)
{
  OwCatalog *self = OW_CATALOG (object);

  g_array_unref (self->entries);
  g_string_free (self->strings, TRUE);
  g_hash_table_unref (self->positions);
  g_string_chunk_free (self->ids);
  g_hash_table_unref (self->department_ids);
  g_ptr_array_unref (self->departments);
  g_mutex_clear (&self->held_lock);

  G_OBJECT_CLASS (ow_catalog_parent_class)->finalize (object);
}

static void
ow_catalog_class_init (OwCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_catalog_dispose;
  object_class->finalize = ow_catalog_finalize;
}

static void
ow_catalog_init (OwCatalog *self)
{
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->strings = g_string_new (NULL);
  self->ids = g_string_chunk_new (16 * 1024);
  self->positions = g_hash_table_new (g_str_hash, g_str_equal);
  self->departments = g_ptr_array_new_with_free_func (g_free);
  self->department_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_mutex_init (&self->held_lock);
  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->bundles = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_bundle_free);
  self->model = g_object_new (OW_TYPE_CATALOG_ITEMS, NULL);
  self->model->catalog = self;
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
ow_catalog_reserve (OwCatalog *self,
                    guint      n_items,
                    gsize      string_bytes)
{
  g_return_if_fail (OW_IS_CATALOG (self));
  g_return_if_fail (self->entries->len == 0);

  g_array_unref (self->entries);
  self->entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry), n_items);
  g_string_free (self->strings, TRUE);
  self->strings = g_string_sized_new (string_bytes + 1);
}

void
ow_catalog_add_summary (OwCatalog           *self,
                        const OwItemSummary *summary)
{
  guint n;

  g_return_if_fail (OW_IS_CATALOG (self));
  g_return_if_fail (summary != NULL && summary->id != NULL);

  n = self->entries->len;
  put_entry (self, summary);
  if (self->entries->len > n)
    g_list_model_items_changed (G_LIST_MODEL (self->model), n, 0, 1);
}

void
ow_catalog_add_item (OwCatalog *self,
                     OwItem    *item)
{
  OwItemSummary summary = { 0 };
  guint n, position;

  g_return_if_fail (OW_IS_CATALOG (self));
  g_return_if_fail (OW_IS_ITEM (item));
  g_return_if_fail (ow_item_is_complete (item));

  summary.id = ow_item_get_id (item);
  summary.name = ow_item_get_name (item);
  summary.basic_code = ow_item_get_basic_code (item);
  summary.aliases = ow_item_get_aliases (item);
  summary.department = ow_item_get_department (item);
  summary.item_type = ow_item_get_item_type (item);
  summary.level = ow_item_get_level (item);
  summary.legal_limit = ow_item_get_legal_limit (item);
  summary.promised_limit = ow_item_get_promised_limit (item);
  summary.visits = ow_item_get_visits (item);

  n = self->entries->len;
  position = put_entry (self, &summary);
  g_mutex_lock (&self->held_lock);
  g_hash_table_replace (self->held, g_strdup (summary.id), g_object_ref (item));
  g_mutex_unlock (&self->held_lock);
  g_list_model_items_changed (G_LIST_MODEL (self->model), position,
                              self->entries->len > n ? 0 : 1, 1);
}

void
ow_catalog_set_loader (OwCatalog         *self,
                       OwCatalogLoadFunc  loader,
                       gpointer           user_data,
                       GDestroyNotify     destroy)
{
  g_return_if_fail (OW_IS_CATALOG (self));

  if (self->loader_destroy != NULL)
    self->loader_destroy (self->loader_data);
  self->loader = loader;
  self->loader_data = user_data;
  self->loader_destroy = destroy;
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

guint
ow_catalog_get_n_items (OwCatalog *self)
{
  g_return_val_if_fail (OW_IS_CATALOG (self), 0);
  return self->entries->len;
}

gboolean
ow_catalog_get_position (OwCatalog  *self,
                         const char *item_id,
                         guint      *position)
{
  gpointer known;

  g_return_val_if_fail (OW_IS_CATALOG (self), FALSE);

  if (item_id == NULL || (known = g_hash_table_lookup (self->positions, item_id)) == NULL)
    return FALSE;
  if (position != NULL)
    *position = GPOINTER_TO_UINT (known) - 1;
  return TRUE;
}

gboolean
ow_catalog_contains (OwCatalog  *self,
                     const char *item_id)
{
  return ow_catalog_get_position (self, item_id, NULL);
}

GListModel *
ow_catalog_get_items (OwCatalog *self)
{
  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);
  return G_LIST_MODEL (self->model);
}

OwItem *
ow_catalog_dup_item_at (OwCatalog *self,
                        guint      position)
{
  const Entry *entry;
  OwItem *item;

  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  if (position >= self->entries->len)
    return NULL;
  entry = &g_array_index (self->entries, Entry, position);
  item = dup_held (self, entry->id);
  return item != NULL ? item : summary_item (self, entry);
}

OwItem *
ow_catalog_dup_item (OwCatalog  *self,
                     const char *item_id)
{
  guint position;

  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  if (!ow_catalog_get_position (self, item_id, &position))
    return NULL;
  return ow_catalog_dup_item_at (self, position);
}

OwItem *
ow_catalog_lookup (OwCatalog  *self,
                   const char *item_id)
{
  OwItem *item;

  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  if (item_id == NULL)
    return NULL;
  g_mutex_lock (&self->held_lock);
  /* Held items are never dropped while the catalog lives: a borrowed pointer stays valid. */
  item = g_hash_table_lookup (self->held, item_id);
  g_mutex_unlock (&self->held_lock);
  return item;
}

const char *
ow_catalog_get_item_name (OwCatalog  *self,
                          const char *item_id)
{
  guint position;

  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  if (!ow_catalog_get_position (self, item_id, &position))
    return NULL;
  return entry_string (self, g_array_index (self->entries, Entry, position).name);
}

const char *
ow_catalog_get_item_department (OwCatalog  *self,
                                const char *item_id)
{
  guint position;

  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  if (!ow_catalog_get_position (self, item_id, &position))
    return NULL;
  return g_ptr_array_index (self->departments,
                            g_array_index (self->entries, Entry, position).department);
}

/* ---------------------------------------------------------------------------------------- */
/* Loading */

typedef struct
{
  GStrv      ids;      /* as asked */
  GStrv      missing;  /* listed, not held: for the loader */
  GPtrArray *loaded;   /* out: OwItem */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_strfreev (data->ids);
  g_strfreev (data->missing);
  g_clear_pointer (&data->loaded, g_ptr_array_unref);
  g_free (data);
}

/* The items @ids in their order, holding what @loaded brought. */
static GPtrArray *
collect_held (OwCatalog          *self,
              const char * const *ids,
              GPtrArray          *loaded)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; loaded != NULL && i < loaded->len; i++)
    {
      OwItem *item = g_ptr_array_index (loaded, i);

      if (OW_IS_ITEM (item) && ow_item_is_complete (item)
          && ow_catalog_contains (self, ow_item_get_id (item)))
        g_object_unref (hold (self, item));
    }
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      OwItem *item = dup_held (self, ids[i]);

      if (item != NULL)
        g_ptr_array_add (items, item);
    }
  return items;
}

/* The ids of @ids the catalog lists but does not hold, once each; NULL when there are none. */
static GStrv
find_missing (OwCatalog          *self,
              const char * const *ids)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean any = FALSE;

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(OwItem) held = NULL;

      if (!ow_catalog_contains (self, ids[i]) || !g_hash_table_add (seen, (gpointer) ids[i]))
        continue;
      held = dup_held (self, ids[i]);
      if (held == NULL)
        {
          g_strv_builder_add (builder, ids[i]);
          any = TRUE;
        }
    }
  return any ? g_strv_builder_end (builder) : NULL;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OwCatalog *self = source_object;
  LoadData *data = task_data;
  GError *error = NULL;

  data->loaded = self->loader ((const char * const *) data->missing, self->loader_data,
                               cancellable, &error);
  if (data->loaded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ow_catalog_load_items_async (OwCatalog          *self,
                             const char * const *ids,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (OW_IS_CATALOG (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_catalog_load_items_async);
  data = g_new0 (LoadData, 1);
  data->ids = g_strdupv ((char **) (ids != NULL ? ids : empty_strv));
  data->missing = find_missing (self, ids);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  if (data->missing == NULL || self->loader == NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_run_in_thread (task, load_thread);
}

GPtrArray *
ow_catalog_load_items_finish (OwCatalog     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  LoadData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_catalog_load_items_async,
                        NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  return collect_held (self, (const char * const *) data->ids, data->loaded);
}

GPtrArray *
ow_catalog_load_items (OwCatalog          *self,
                       const char * const *ids,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_auto(GStrv) missing = NULL;
  g_autoptr(GPtrArray) loaded = NULL;

  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  missing = find_missing (self, ids);
  if (missing != NULL && self->loader != NULL)
    {
      loaded = self->loader ((const char * const *) missing, self->loader_data, cancellable,
                             error);
      if (loaded == NULL)
        return NULL;
    }
  return collect_held (self, ids, loaded);
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
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (OW_IS_CATALOG (self), NULL);

  /* A department whose items were all replaced by others stays interned: count the entries. */
  for (guint i = 0; i < self->entries->len; i++)
    g_hash_table_add (used, GUINT_TO_POINTER (g_array_index (self->entries, Entry,
                                                             i).department + 1));
  for (guint i = 0; i < self->departments->len; i++)
    {
      const char *department = g_ptr_array_index (self->departments, i);

      if (*department != '\0' && g_hash_table_contains (used, GUINT_TO_POINTER (i + 1)))
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
