/* ow-platform-catalog.c — what changed in the catalog between two revisions
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Revisions are stored whole, so a delta is worked out on request: an item is in it when its
 * canonical form differs from the one it had at @since, or it did not exist then; ids that are
 * gone are listed as removed. Departments, bundles and the hall are small and always sent whole.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-error.h"
#include "net/ow-json.h"
#include "platform/ow-platform-private.h"

static JsonArray *
get_array (JsonNode   *root,
           const char *name)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *member = object != NULL ? json_object_get_member (object, name) : NULL;

  return member != NULL && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
}

static const char *
get_item_id (JsonNode *item)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;

  return object != NULL ? json_object_get_string_member_with_default (object, "id", NULL) : NULL;
}

static void
copy_member (JsonBuilder *builder,
             JsonNode    *root,
             const char  *name)
{
  JsonObject *object = json_node_get_object (root);

  if (!json_object_has_member (object, name))
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, json_node_copy (json_object_get_member (object, name)));
}

JsonNode *
ow_platform_catalog_delta (const char  *old_body,
                           const char  *new_body,
                           gint64       since,
                           GError     **error)
{
  g_autoptr(JsonNode) old_root = ow_json_parse (old_body, -1, error);
  g_autoptr(JsonNode) new_root = NULL;
  g_autoptr(GHashTable) old_items = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonArray *old_array, *new_array;

  if (old_root == NULL || (new_root = ow_json_parse (new_body, -1, error)) == NULL)
    return NULL;
  old_array = get_array (old_root, "items");
  new_array = get_array (new_root, "items");
  if (old_array == NULL || new_array == NULL)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           _("A stored catalog revision has no list of items"));
      return NULL;
    }

  /* Item id → canonical text at @since. */
  old_items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < json_array_get_length (old_array); i++)
    {
      JsonNode *item = json_array_get_element (old_array, i);
      const char *id = get_item_id (item);

      if (id != NULL)
        g_hash_table_insert (old_items, (gpointer) id, ow_json_to_canonical (item));
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, json_object_get_int_member_with_default (
                                json_node_get_object (new_root), "revision", 0));
  json_builder_set_member_name (builder, "since");
  json_builder_add_int_value (builder, since);
  copy_member (builder, new_root, "hall");
  copy_member (builder, new_root, "departments");
  copy_member (builder, new_root, "bundles");

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (new_array); i++)
    {
      JsonNode *item = json_array_get_element (new_array, i);
      const char *id = get_item_id (item);
      const char *before = id != NULL ? g_hash_table_lookup (old_items, id) : NULL;
      g_autofree char *now = NULL;

      if (before != NULL)
        {
          gboolean same;

          now = ow_json_to_canonical (item);
          same = g_str_equal (before, now);
          /* Whatever is left in the table at the end was removed. */
          g_hash_table_remove (old_items, id);
          if (same)
            continue;
        }
      json_builder_add_value (builder, json_node_copy (item));
    }
  json_builder_end_array (builder);

  /* What is left of the old items is gone now. */
  json_builder_set_member_name (builder, "removed");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (old_array); i++)
    {
      const char *id = get_item_id (json_array_get_element (old_array, i));

      if (id != NULL && g_hash_table_contains (old_items, id))
        json_builder_add_string_value (builder, id);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
