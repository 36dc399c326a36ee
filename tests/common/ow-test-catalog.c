/* ow-test-catalog.c — catalogs of any size, made from the shipped one, for tests and benchmarks
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ow-test-catalog.h"

typedef struct
{
  JsonNode  *root;
  JsonArray *items;
  GPtrArray *pieces;  /* two-character pieces of the real names */
} Template;

static Template *
load_template (GError **error)
{
  static Template *template = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GHashTable) seen = NULL;

  if (template != NULL)
    return template;

  path = g_build_filename (g_getenv ("OW_DATA_DIR") != NULL ? g_getenv ("OW_DATA_DIR")
                                                             : OW_TEST_DATA_DIR,
                           "catalog.json", NULL);
  parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, path, error))
    return NULL;

  template = g_new0 (Template, 1);
  template->root = json_node_copy (json_parser_get_root (parser));
  template->items = json_object_get_array_member (json_node_get_object (template->root), "items");
  template->pieces = g_ptr_array_new_with_free_func (g_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (template->items); i++)
    {
      const char *name = json_object_get_string_member (
          json_array_get_object_element (template->items, i), "name");

      for (const char *p = name; *p != '\0';)
        {
          const char *q = g_utf8_next_char (p);
          g_autofree char *piece = NULL;

          if (*q == '\0')
            break;
          q = g_utf8_next_char (q);
          piece = g_strndup (p, q - p);
          if (g_unichar_isalpha (g_utf8_get_char (p)) && g_utf8_get_char (p) >= 0x4e00
              && !g_hash_table_contains (seen, piece))
            {
              g_hash_table_add (seen, piece);
              g_ptr_array_add (template->pieces, g_steal_pointer (&piece));
            }
          p = q;
        }
    }
  return template;
}

char *
ow_test_catalog_item_id (guint index)
{
  return g_strdup_printf ("G%08u", index);
}

char *
ow_test_catalog_item_name (const OwTestCatalogSpec *spec,
                           guint                    index)
{
  Template *template = load_template (NULL);
  GString *name = g_string_new (NULL);
  guint32 h = (index + 1) * 2654435761u ^ (spec->seed * 40503u);
  guint n;

  g_assert_nonnull (template);
  n = 2 + h % 3;
  for (guint k = 0; k < n; k++)
    {
      h = h * 1103515245u + 12345u;
      g_string_append (name, g_ptr_array_index (template->pieces,
                                                (h >> 8) % template->pieces->len));
    }
  if (spec->renamed_every > 0 && index % spec->renamed_every == 0)
    g_string_append (name, "（修订）");
  return g_string_free (name, FALSE);
}

static gboolean
write_text (GOutputStream  *out,
            const char     *text,
            GError        **error)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, error);
}

static char *
node_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

gboolean
ow_test_catalog_write (const char               *path,
                       const OwTestCatalogSpec  *spec,
                       GError                  **error)
{
  Template *template = load_template (error);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) file_out = NULL;
  g_autoptr(GOutputStream) out = NULL;
  JsonObject *root;
  guint n_template;

  if (template == NULL)
    return FALSE;
  file_out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (file_out == NULL)
    return FALSE;
  out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (file_out), 256 * 1024);
  root = json_node_get_object (template->root);
  n_template = json_array_get_length (template->items);

  {
    g_autofree char *head = g_strdup_printf ("{\"revision\": %" G_GINT64_FORMAT ", \"hall\": ",
                                             spec->revision);
    g_autofree char *hall = node_text (json_object_get_member (root, "hall"));
    g_autofree char *departments = node_text (json_object_get_member (root, "departments"));

    if (!write_text (out, head, error) || !write_text (out, hall, error)
        || !write_text (out, ",\n \"departments\": ", error)
        || !write_text (out, departments, error) || !write_text (out, ",\n \"items\": [\n", error))
      return FALSE;
  }

  for (guint i = spec->first; i < spec->first + spec->n_items; i++)
    {
      g_autoptr(JsonNode) item = json_node_copy (json_array_get_element (template->items,
                                                                         i % n_template));
      g_autofree char *id = ow_test_catalog_item_id (i);
      g_autofree char *name = ow_test_catalog_item_name (spec, i);
      g_autofree char *text = NULL;

      json_object_set_string_member (json_node_get_object (item), "id", id);
      json_object_set_string_member (json_node_get_object (item), "name", name);
      text = node_text (item);
      if ((i > spec->first && !write_text (out, ",\n", error)) || !write_text (out, text, error))
        return FALSE;
    }

  /* A bundle of the first items, so that bundles name items of this catalog. */
  {
    g_autoptr(GString) bundles = g_string_new ("\n],\n \"bundles\": [");

    if (spec->n_items >= 3)
      {
        g_autofree char *a = ow_test_catalog_item_id (spec->first);
        g_autofree char *b = ow_test_catalog_item_id (spec->first + 1);
        g_autofree char *c = ow_test_catalog_item_id (spec->first + 2);

        g_string_append_printf (bundles, "{\"id\": \"g1\", \"name\": \"开办餐饮店\", "
                                "\"description\": \"一件事一次办\", \"items\": [\"%s\", \"%s\", "
                                "\"%s\"]}", a, b, c);
      }
    g_string_append (bundles, "]}\n");
    if (!write_text (out, bundles->str, error))
      return FALSE;
  }
  return g_output_stream_close (out, NULL, error);
}
