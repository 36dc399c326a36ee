/* ow-catalog-keeper.c — the catalog kept in the local store, and brought up to date from it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests run on the main context; each page is parsed, checked and written in a worker
 * thread, so that neither a page of a thousand items nor the store blocks the window.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "net/ow-catalog-keeper.h"
#include "net/ow-json.h"

#define DEFAULT_PAGE_SIZE 1000

struct _OwCatalogKeeper
{
  GObject   parent_instance;

  OwStore  *store;
  OwClient *client;
  guint     page_size;
};

G_DEFINE_FINAL_TYPE (OwCatalogKeeper, ow_catalog_keeper, G_TYPE_OBJECT)

/* ---- loading items on demand ------------------------------------------------------------ */

static GPtrArray *
load_items_cb (const char * const  *ids,
               gpointer             user_data,
               GCancellable        *cancellable,
               GError             **error)
{
  OwStore *store = user_data;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if ((bodies = ow_store_load_catalog_bodies (store, ids, error)) == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < bodies->len; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) local_error = NULL;
      OwItem *item = NULL;

      node = ow_json_parse (g_ptr_array_index (bodies, i), -1, &local_error);
      if (node != NULL)
        item = ow_json_to_item (node, NULL, &local_error);
      if (item == NULL)
        {
          g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                       _("A service item kept on this workstation cannot be read back (%s). "
                         "Log in while the platform answers to fetch the catalog again."),
                       local_error->message);
          return NULL;
        }
      g_ptr_array_add (items, item);
    }
  return g_steal_pointer (&items);
}

/* The kept catalog, its items loading from @store. Blocking. */
static OwCatalog *
load_catalog (OwStore  *store,
              char    **stamp,
              GError  **error)
{
  OwCatalog *catalog = ow_store_load_catalog (store, NULL, stamp, error);

  if (catalog != NULL)
    ow_catalog_set_loader (catalog, load_items_cb, g_object_ref (store), g_object_unref);
  return catalog;
}

typedef struct
{
  OwCatalog *catalog;
  char      *stamp;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_object (&loaded->catalog);
  g_free (loaded->stamp);
  g_free (loaded);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OwCatalogKeeper *self = source_object;
  Loaded *loaded = g_new0 (Loaded, 1);
  GError *error = NULL;

  loaded->catalog = load_catalog (self->store, &loaded->stamp, &error);
  if (error != NULL)
    {
      loaded_free (loaded);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

static OwCatalog *
finish_loaded (GAsyncResult  *result,
               char         **stamp,
               GError       **error)
{
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), error);
  OwCatalog *catalog;

  if (stamp != NULL)
    *stamp = NULL;
  if (loaded == NULL)
    return NULL;
  if (stamp != NULL)
    *stamp = g_steal_pointer (&loaded->stamp);
  catalog = g_steal_pointer (&loaded->catalog);
  loaded_free (loaded);
  return catalog;
}

/* ---- a page ----------------------------------------------------------------------------- */

typedef enum
{
  MODE_DELTA,
  MODE_WHOLE,
} Mode;

typedef struct
{
  Mode       mode;
  gint64     kept;        /* the revision kept when the update began, 0 for none */
  gint64     revision;    /* of the first page: every page must be of it */
  char      *next;        /* the cursor of the page to ask for, NULL for the first */
  char      *etag;
  gboolean   changed;
  gboolean   done;
  GBytes    *body;        /* the page being handled */
  Loaded    *loaded;      /* out, after the last page */
} Update;

static void
update_free (Update *update)
{
  g_free (update->next);
  g_free (update->etag);
  g_clear_pointer (&update->body, g_bytes_unref);
  g_clear_pointer (&update->loaded, loaded_free);
  g_free (update);
}

static gboolean
malformed (GError     **error,
           const char  *problem)
{
  g_set_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_MALFORMED,
               _("The platform sent a catalog page this program cannot read: %s"), problem);
  return FALSE;
}

/* Parses @update's page and writes it to the store. Blocking. */
static gboolean
apply_page (OwCatalogKeeper  *self,
            Update           *update,
            GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bundles = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_bundle_free);
  g_autoptr(GStrvBuilder) removed_builder = g_strv_builder_new ();
  g_auto(GStrv) removed = NULL;
  JsonObject *object;
  JsonNode *member;
  JsonArray *array;
  gsize size = 0;
  const char *data = g_bytes_get_data (update->body, &size);
  gint64 revision;

  root = ow_json_parse (data, size, &local_error);
  if (root == NULL)
    return malformed (error, local_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return malformed (error, _("it is not an object"));
  object = json_node_get_object (root);

  member = json_object_get_member (object, "revision");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) <= 0)
    return malformed (error, _("it has no revision"));
  revision = json_node_get_int (member);
  if (update->revision == 0)
    update->revision = revision;
  else if (revision != update->revision)
    return malformed (error, _("its pages are of different revisions"));

  member = json_object_get_member (object, "items");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return malformed (error, _("it has no list of items"));
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *field = NULL;
      OwItem *item = JSON_NODE_HOLDS_OBJECT (node) ? ow_json_to_item (node, &field, &local_error)
                                                   : NULL;

      if (item == NULL)
        {
          g_autofree char *problem = g_strdup_printf ("items[%u]: %s", i,
                                                      local_error != NULL
                                                      ? local_error->message
                                                      : _("not an object"));

          return malformed (error, problem);
        }
      g_ptr_array_add (items, item);
      g_ptr_array_add (bodies, json_to_string (node, FALSE));
    }

  member = json_object_get_member (object, "removed");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            g_strv_builder_add (removed_builder, json_node_get_string (node));
        }
    }
  removed = g_strv_builder_end (removed_builder);

  member = json_object_get_member (object, "bundles");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *at = g_strdup_printf ("bundles[%u]", i);
          OwBundle *bundle = ow_json_to_bundle (json_array_get_element (array, i), at,
                                                &local_error);

          if (bundle == NULL)
            return malformed (error, local_error->message);
          g_ptr_array_add (bundles, bundle);
        }
    }

  g_clear_pointer (&update->next, g_free);
  member = json_object_get_member (object, "next");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member)
      && json_node_get_value_type (member) == G_TYPE_STRING)
    update->next = g_strdup (json_node_get_string (member));
  update->done = update->next == NULL;

  if (update->mode == MODE_DELTA)
    {
      /* Nothing new: nothing written, no new stamp, no index built again. */
      if (update->revision == update->kept && items->len == 0 && removed[0] == NULL
          && !update->changed && update->done)
        return TRUE;
      update->changed = TRUE;
      return ow_store_apply_catalog_delta (self->store, items, bodies,
                                           (const char * const *) removed,
                                           update->done ? bundles : NULL, revision,
                                           update->etag, error);
    }
  update->changed = TRUE;
  if (!ow_store_stage_catalog_items (self->store, items, bodies, error))
    return FALSE;
  return !update->done
         || ow_store_finish_catalog (self->store, revision, update->etag, bundles, error);
}

static void
page_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OwCatalogKeeper *self = source_object;
  Update *update = task_data;
  GError *error = NULL;

  if (!apply_page (self, update, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&update->body, g_bytes_unref);
  if (update->done && update->changed)
    {
      update->loaded = g_new0 (Loaded, 1);
      update->loaded->catalog = load_catalog (self->store, &update->loaded->stamp, &error);
      if (error != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

/* ---- the update ------------------------------------------------------------------------- */

static void ask_page (GTask *task);

static void
page_applied_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Update *update = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!update->done)
    {
      ask_page (g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&update->loaded), (GDestroyNotify) loaded_free);
}

static void begun_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
begin_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  OwCatalogKeeper *self = source_object;
  GError *error = NULL;

  if (!ow_store_begin_catalog (self->store, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The platform no longer holds the revision kept (or none is): the whole catalog instead. */
static void
start_whole (GTask *task)
{
  OwCatalogKeeper *self = g_task_get_source_object (task);
  Update *update = g_task_get_task_data (task);
  GTask *begin = g_task_new (self, g_task_get_cancellable (task), begun_cb, task);

  update->mode = MODE_WHOLE;
  update->revision = 0;
  g_clear_pointer (&update->next, g_free);
  g_task_set_source_tag (begin, start_whole);
  g_task_run_in_thread (begin, begin_thread);
  g_object_unref (begin);
}

static void
begun_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ask_page (g_steal_pointer (&task));
}

static void
page_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwCatalogKeeper *self = g_task_get_source_object (task);
  Update *update = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  GTask *apply;

  update->body = ow_client_get_json_finish (OW_CLIENT (source), result, &etag, &error);
  if (update->body == NULL)
    {
      if (update->mode == MODE_DELTA && update->next == NULL
          && g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INVALID)
          && g_strcmp0 (ow_platform_error_get_field (error), "since") == 0)
        {
          g_debug ("The platform no longer holds catalog revision %" G_GINT64_FORMAT
                   "; fetching it whole", update->kept);
          start_whole (g_steal_pointer (&task));
          return;
        }
      if (error == NULL)
        g_set_error_literal (&error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_MALFORMED,
                             _("The platform sent an empty catalog page"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (etag != NULL)
    {
      g_free (update->etag);
      update->etag = g_steal_pointer (&etag);
    }
  apply = g_task_new (self, cancellable, page_applied_cb,
                      g_steal_pointer (&task));
  g_task_set_source_tag (apply, page_thread);
  g_task_set_task_data (apply, update, NULL);
  g_task_run_in_thread (apply, page_thread);
  g_object_unref (apply);
}

static void
ask_page (GTask *task)
{
  OwCatalogKeeper *self = g_task_get_source_object (task);
  Update *update = g_task_get_task_data (task);
  g_autoptr(GString) path = g_string_new ("/api/v1/catalog?");

  if (update->mode == MODE_DELTA)
    g_string_append_printf (path, "since=%" G_GINT64_FORMAT "&", update->kept);
  g_string_append_printf (path, "limit=%u", self->page_size);
  if (update->next != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (update->next, NULL, FALSE);

      g_string_append_printf (path, "&after=%s", escaped);
    }
  ow_client_get_json_async (self->client, path->str, NULL, g_task_get_cancellable (task),
                            page_fetched_cb, task);
}

static void
kept_revision_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  OwCatalogKeeper *self = source_object;
  Update *update = task_data;
  GError *error = NULL;

  update->kept = ow_store_get_catalog_revision (self->store, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
kept_revision_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Update *update = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (update->kept > 0)
    ask_page (g_steal_pointer (&task));
  else
    start_whole (g_steal_pointer (&task));
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
ow_catalog_keeper_dispose (GObject *object)
{
  OwCatalogKeeper *self = OW_CATALOG_KEEPER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ow_catalog_keeper_parent_class)->dispose (object);
}

static void
ow_catalog_keeper_class_init (OwCatalogKeeperClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ow_catalog_keeper_dispose;
}

static void
ow_catalog_keeper_init (OwCatalogKeeper *self)
{
  self->page_size = DEFAULT_PAGE_SIZE;
}

/* ---- public API ------------------------------------------------------------------------- */

OwCatalogKeeper *
ow_catalog_keeper_new (OwStore  *store,
                       OwClient *client)
{
  OwCatalogKeeper *self;

  g_return_val_if_fail (OW_IS_STORE (store), NULL);
  g_return_val_if_fail (client == NULL || OW_IS_CLIENT (client), NULL);

  self = g_object_new (OW_TYPE_CATALOG_KEEPER, NULL);
  self->store = g_object_ref (store);
  self->client = client != NULL ? g_object_ref (client) : NULL;
  return self;
}

void
ow_catalog_keeper_set_page_size (OwCatalogKeeper *self,
                                 guint            page_size)
{
  g_return_if_fail (OW_IS_CATALOG_KEEPER (self));
  g_return_if_fail (page_size >= 1 && page_size <= 1000);

  self->page_size = page_size;
}

void
ow_catalog_keeper_load_async (OwCatalogKeeper     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_CATALOG_KEEPER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_catalog_keeper_load_async);
  g_task_run_in_thread (task, load_thread);
}

OwCatalog *
ow_catalog_keeper_load (OwCatalogKeeper  *self,
                        char            **stamp,
                        GError          **error)
{
  g_return_val_if_fail (OW_IS_CATALOG_KEEPER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (stamp != NULL)
    *stamp = NULL;
  return load_catalog (self->store, stamp, error);
}

OwCatalog *
ow_catalog_keeper_load_finish (OwCatalogKeeper  *self,
                               GAsyncResult     *result,
                               char            **stamp,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return finish_loaded (result, stamp, error);
}

void
ow_catalog_keeper_update_async (OwCatalogKeeper     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Update *update;
  GTask *kept;

  g_return_if_fail (OW_IS_CATALOG_KEEPER (self));
  g_return_if_fail (self->client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_catalog_keeper_update_async);
  update = g_new0 (Update, 1);
  g_task_set_task_data (task, update, (GDestroyNotify) update_free);

  /* The outer task owns the update; the worker only fills in the revision kept. */
  kept = g_task_new (self, cancellable, kept_revision_cb, g_steal_pointer (&task));
  g_task_set_source_tag (kept, kept_revision_thread);
  g_task_set_task_data (kept, update, NULL);
  g_task_run_in_thread (kept, kept_revision_thread);
  g_object_unref (kept);
}

OwCatalog *
ow_catalog_keeper_update_finish (OwCatalogKeeper  *self,
                                 GAsyncResult     *result,
                                 char            **stamp,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return finish_loaded (result, stamp, error);
}
