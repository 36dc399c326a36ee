/* ow-platform-catalog-import.c — a catalog file read as a stream, item by item, and imported
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A province's catalog runs to hundreds of MB of JSON: json-glib would hold the whole tree. The
 * reader below only splits the top-level object: it hands each element of "items" on as text
 * the moment its closing brace is read, and parses the other members (small) one by one. Each
 * item is then parsed, checked and stored on its own.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-error.h"
#include "net/ow-json.h"
#include "platform/ow-platform-catalog.h"

#define CHUNK_SIZE       (64 * 1024)
/* The largest real items are a few tens of KB; an item of MBs is not one. */
#define MAX_ITEM_BYTES   (4 * 1024 * 1024)
/* Hall, departments and bundles together. */
#define MAX_HEADER_BYTES (16 * 1024 * 1024)

typedef enum
{
  S_START,
  S_MEMBER,        /* expecting a member name, or the end when none is required */
  S_NAME,
  S_COLON,
  S_VALUE,
  S_AFTER_MEMBER,
  S_ITEMS_OPEN,
  S_ITEM,          /* expecting an item, or the end of the array when none is required */
  S_ITEM_VALUE,
  S_AFTER_ITEM,
  S_END,
} State;

typedef enum
{
  VALUE_MORE,        /* the byte was taken; the value goes on */
  VALUE_DONE,        /* the byte was taken and ended the value */
  VALUE_DONE_BEFORE, /* the value ended before this byte, which is not taken */
} ValueStep;

typedef struct
{
  State        state;
  gboolean     required;    /* after a comma: another member or item must follow */
  GByteArray  *buffer;      /* the name or value being read */
  gsize        limit;
  guint        depth;
  gboolean     in_string;
  gboolean     escape;
  gboolean     scalar;
  char        *name;
  gboolean     seen_items;
  guint        n_items;
  gsize        header_bytes;
  JsonObject  *header;

  OwPlatformCatalogItemFunc func;
  gpointer     user_data;
} Reader;

static gboolean
is_blank (guchar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE, _("The catalog is not valid JSON: %s"),
               message);
  return FALSE;
}

static void
reset_value (Reader *reader,
             gsize   limit)
{
  g_byte_array_set_size (reader->buffer, 0);
  reader->limit = limit;
  reader->depth = 0;
  reader->in_string = FALSE;
  reader->escape = FALSE;
  reader->scalar = FALSE;
}

/* Reads one JSON value, whatever its kind, byte by byte. */
static ValueStep
value_step (Reader  *reader,
            guchar   c,
            GError **error)
{
  if (reader->buffer->len == 0)
    {
      if (is_blank (c))
        return VALUE_MORE;
      if (c == '{' || c == '[')
        reader->depth = 1;
      else if (c == '"')
        reader->in_string = TRUE;
      else
        reader->scalar = TRUE;
      g_byte_array_append (reader->buffer, &c, 1);
      return VALUE_MORE;
    }
  if (reader->buffer->len >= reader->limit)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           reader->state == S_ITEM_VALUE
                           ? _("An item of the catalog is larger than 4 MiB")
                           : _("The catalog's members other than its items are larger than 16 MiB"));
      return VALUE_MORE;
    }
  if (reader->scalar)
    {
      if (is_blank (c) || c == ',' || c == '}' || c == ']')
        return VALUE_DONE_BEFORE;
      g_byte_array_append (reader->buffer, &c, 1);
      return VALUE_MORE;
    }
  g_byte_array_append (reader->buffer, &c, 1);
  if (reader->in_string)
    {
      if (reader->escape)
        reader->escape = FALSE;
      else if (c == '\\')
        reader->escape = TRUE;
      else if (c == '"')
        {
          reader->in_string = FALSE;
          if (reader->depth == 0)
            return VALUE_DONE;
        }
      return VALUE_MORE;
    }
  if (c == '"')
    reader->in_string = TRUE;
  else if (c == '{' || c == '[')
    reader->depth++;
  else if ((c == '}' || c == ']') && --reader->depth == 0)
    return VALUE_DONE;
  return VALUE_MORE;
}

/* The text read, NUL-terminated (json-glib's scanner wants it so even when told the length). */
static const char *
buffer_text (Reader *reader)
{
  guint8 nul = 0;

  g_byte_array_append (reader->buffer, &nul, 1);
  g_byte_array_set_size (reader->buffer, reader->buffer->len - 1);
  return (const char *) reader->buffer->data;
}

static JsonNode *
parse_buffer (Reader  *reader,
              GError **error)
{
  return ow_json_parse (buffer_text (reader), reader->buffer->len, error);
}

static gboolean
end_name (Reader  *reader,
          GError **error)
{
  g_autoptr(JsonNode) node = parse_buffer (reader, error);

  if (node == NULL)
    return FALSE;
  g_clear_pointer (&reader->name, g_free);
  reader->name = g_strdup (json_node_get_string (node));
  if (reader->name == NULL)
    return fail (error, _("a member name is not a string"));
  if (g_str_equal (reader->name, "items") ? reader->seen_items
                                          : json_object_has_member (reader->header, reader->name))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("The catalog names its member “%s” twice"), reader->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
end_member (Reader  *reader,
            GError **error)
{
  JsonNode *node;

  reader->header_bytes += reader->buffer->len;
  if (reader->header_bytes > MAX_HEADER_BYTES)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           _("The catalog's members other than its items are larger than 16 MiB"));
      return FALSE;
    }
  if ((node = parse_buffer (reader, error)) == NULL)
    return FALSE;
  json_object_set_member (reader->header, reader->name, node);
  return TRUE;
}

static gboolean
end_item (Reader  *reader,
          GError **error)
{
  return reader->func (buffer_text (reader), reader->buffer->len,
                       reader->n_items++, reader->user_data, error);
}

/* One byte; FALSE with @error on malformed input. */
static gboolean
step (Reader  *reader,
      guchar   c,
      GError **error)
{
  GError *local_error = NULL;
  ValueStep value;

again:
  switch (reader->state)
    {
    case S_START:
      if (is_blank (c))
        return TRUE;
      if (c != '{')
        return fail (error, _("it does not begin with an object"));
      reader->state = S_MEMBER;
      reader->required = FALSE;
      return TRUE;

    case S_MEMBER:
      if (is_blank (c))
        return TRUE;
      if (c == '}' && !reader->required)
        {
          reader->state = S_END;
          return TRUE;
        }
      if (c != '"')
        return fail (error, _("a member name was expected"));
      reset_value (reader, 64 * 1024);
      reader->state = S_NAME;
      goto again;

    case S_NAME:
    case S_VALUE:
    case S_ITEM_VALUE:
      value = value_step (reader, c, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (value == VALUE_MORE)
        return TRUE;
      if (reader->state == S_NAME)
        {
          if (!end_name (reader, error))
            return FALSE;
          reader->state = S_COLON;
        }
      else if (reader->state == S_VALUE)
        {
          if (!end_member (reader, error))
            return FALSE;
          reader->state = S_AFTER_MEMBER;
        }
      else
        {
          if (!end_item (reader, error))
            return FALSE;
          reader->state = S_AFTER_ITEM;
        }
      if (value == VALUE_DONE_BEFORE)
        goto again;
      return TRUE;

    case S_COLON:
      if (is_blank (c))
        return TRUE;
      if (c != ':')
        return fail (error, _("a colon was expected after a member name"));
      if (g_str_equal (reader->name, "items"))
        {
          reader->seen_items = TRUE;
          reader->state = S_ITEMS_OPEN;
        }
      else
        {
          reset_value (reader, MAX_HEADER_BYTES);
          reader->state = S_VALUE;
        }
      return TRUE;

    case S_AFTER_MEMBER:
      if (is_blank (c))
        return TRUE;
      if (c == ',')
        {
          reader->state = S_MEMBER;
          reader->required = TRUE;
          return TRUE;
        }
      if (c == '}')
        {
          reader->state = S_END;
          return TRUE;
        }
      return fail (error, _("a comma or the end of the object was expected"));

    case S_ITEMS_OPEN:
      if (is_blank (c))
        return TRUE;
      if (c != '[')
        {
          g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                               _("The catalog's “items” is not an array"));
          return FALSE;
        }
      reader->state = S_ITEM;
      reader->required = FALSE;
      return TRUE;

    case S_ITEM:
      if (is_blank (c))
        return TRUE;
      if (c == ']' && !reader->required)
        {
          reader->state = S_AFTER_MEMBER;
          return TRUE;
        }
      reset_value (reader, MAX_ITEM_BYTES);
      reader->state = S_ITEM_VALUE;
      goto again;

    case S_AFTER_ITEM:
      if (is_blank (c))
        return TRUE;
      if (c == ',')
        {
          reader->state = S_ITEM;
          reader->required = TRUE;
          return TRUE;
        }
      if (c == ']')
        {
          reader->state = S_AFTER_MEMBER;
          return TRUE;
        }
      return fail (error, _("a comma or the end of the items was expected"));

    case S_END:
      if (is_blank (c))
        return TRUE;
      return fail (error, _("there is more after the end of the object"));
    }
  g_assert_not_reached ();
}

JsonObject *
ow_platform_catalog_read (GInputStream               *stream,
                          OwPlatformCatalogItemFunc   func,
                          gpointer                    user_data,
                          GCancellable               *cancellable,
                          GError                    **error)
{
  g_autofree guchar *chunk = g_malloc (CHUNK_SIZE);
  Reader reader = { 0 };
  gboolean ok = TRUE;
  gboolean first = TRUE;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  reader.buffer = g_byte_array_new ();
  reader.header = json_object_new ();
  reader.func = func;
  reader.user_data = user_data;

  while (ok)
    {
      gssize n = g_input_stream_read (stream, chunk, CHUNK_SIZE, cancellable, error);
      gssize i = 0;

      if (n < 0)
        {
          ok = FALSE;
          break;
        }
      if (n == 0)
        break;
      /* A byte-order mark some editors write. */
      if (first && n >= 3 && memcmp (chunk, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
      first = FALSE;
      for (; ok && i < n; i++)
        ok = step (&reader, chunk[i], error);
    }
  if (ok && reader.state == S_VALUE && reader.scalar)
    ok = fail (error, _("it ends inside a value"));
  if (ok && reader.state != S_END)
    ok = fail (error, _("it ends before the catalog object does"));
  if (ok && !reader.seen_items)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           _("The catalog has no “items”"));
      ok = FALSE;
    }

  g_byte_array_unref (reader.buffer);
  g_free (reader.name);
  if (!ok)
    {
      json_object_unref (reader.header);
      return NULL;
    }
  return reader.header;
}

/* ---- importing -------------------------------------------------------------------------- */

typedef struct
{
  OwPlatformDb *db;
  gboolean      store;      /* the second pass: store what the first one checked */
  gint64        revision;
  GChecksum    *fingerprint;
  GHashTable   *ids;        /* the first pass: every id, to find repeats and check bundles */
} Import;

static gboolean
import_item_cb (const char  *text,
                gsize        length,
                guint        index,
                gpointer     user_data,
                GError     **error)
{
  Import *import = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(OwItem) item = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *canonical = NULL;
  gboolean duplicate = FALSE;

  node = ow_json_parse (text, length, &local_error);
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    g_set_error_literal (&local_error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                         _("must be an object"));
  else if (node != NULL)
    item = ow_json_to_item (node, &field, &local_error);
  if (item == NULL)
    {
      g_set_error (error, OW_CORE_ERROR, local_error->code, "items[%u]%s%s", index,
                   local_error->domain == OW_CORE_ERROR
                   && local_error->code == OW_CORE_ERROR_INVALID ? "." : ": ",
                   local_error->message);
      return FALSE;
    }
  canonical = ow_json_to_canonical (node);

  if (!import->store)
    {
      if (!g_hash_table_add (import->ids, g_strdup (ow_item_get_id (item))))
        {
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                       _("items[%u].id: “%s” is used by two items"), index, ow_item_get_id (item));
          return FALSE;
        }
      g_checksum_update (import->fingerprint, (const guchar *) canonical, -1);
      g_checksum_update (import->fingerprint, (const guchar *) "\n", 1);
      return TRUE;
    }

  if (!ow_platform_db_put_catalog_item (import->db, import->revision, index,
                                        ow_item_get_id (item), canonical,
                                        ow_item_get_legal_limit (item),
                                        ow_item_get_visits (item), &duplicate, error))
    return FALSE;
  if (duplicate)
    {
      /* The file changed between the passes. */
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                   _("items[%u].id: “%s” is used by two items"), index, ow_item_get_id (item));
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
read_file (const char  *path,
           Import      *import,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *header;

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA, _("Cannot read %s: %s"), path,
                   local_error->message);
      return NULL;
    }
  header = ow_platform_catalog_read (G_INPUT_STREAM (stream), import_item_cb, import, NULL,
                                     &local_error);
  if (header == NULL)
    g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA, _("The catalog %s is not valid: %s"),
                 path, local_error->message);
  return header;
}

/* The header's revision, and its bundles naming the file's items. */
static gboolean
check_header (JsonObject  *header,
              GHashTable  *ids,
              gint64      *revision,
              GError     **error)
{
  JsonNode *node = json_object_get_member (header, "revision");
  JsonNode *bundles = json_object_get_member (header, "bundles");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("revision: must be a whole number of at least 0"));
      return FALSE;
    }
  *revision = json_node_get_int (node);
  if (bundles == NULL || JSON_NODE_HOLDS_NULL (bundles))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (bundles))
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                           _("bundles: must be an array"));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (bundles)); i++)
    {
      g_autofree char *at = g_strdup_printf ("bundles[%u]", i);
      g_autoptr(OwBundle) bundle = ow_json_to_bundle (
          json_array_get_element (json_node_get_array (bundles), i), at, error);

      if (bundle == NULL)
        return FALSE;
      for (guint j = 0; bundle->item_ids[j] != NULL; j++)
        if (!g_hash_table_contains (ids, bundle->item_ids[j]))
          {
            g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                         _("%s.items[%u]: “%s” is not an item of the catalog"), at, j,
                         bundle->item_ids[j]);
            return FALSE;
          }
    }
  return TRUE;
}

static char *
canonical_header (JsonObject *header,
                  gint64      revision)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (header, "revision", revision);
  json_node_set_object (node, header);
  return ow_json_to_canonical (node);
}

gboolean
ow_platform_catalog_import (OwPlatformDb  *db,
                            const char    *path,
                            gint64        *revision_out,
                            GError       **error)
{
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GChecksum) fingerprint = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stored_source = NULL;
  g_autofree char *source = NULL;
  g_autofree char *file_header = NULL;
  g_autofree char *body = NULL;
  Import import = { db, FALSE, 0, fingerprint, ids };
  gint64 stored_revision, file_revision = 0, revision;
  guint changed = 0;

  /* First: check everything and take the fingerprint, storing nothing. */
  if ((header = read_file (path, &import, error)) == NULL)
    return FALSE;
  if (!check_header (header, ids, &file_revision, &local_error))
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA, _("The catalog %s is not valid: %s"),
                   path, local_error->message);
      return FALSE;
    }
  file_header = canonical_header (header, file_revision);
  g_checksum_update (fingerprint, (const guchar *) file_header, -1);
  source = g_strconcat ("sha256:", g_checksum_get_string (fingerprint), NULL);

  if (!ow_platform_db_get_catalog (db, &stored_revision, NULL, &stored_source, error))
    return FALSE;
  if (g_strcmp0 (source, stored_source) == 0)
    {
      if (revision_out != NULL)
        *revision_out = stored_revision;
      return TRUE;
    }

  /* A changed file is a new revision, so that clients holding the old ETag fetch it again. */
  revision = MAX (stored_revision + 1, file_revision);
  import.store = TRUE;
  import.revision = revision;
  if (!ow_platform_db_begin_catalog (db, revision, error))
    return FALSE;
  if ((again = read_file (path, &import, error)) == NULL)
    return FALSE;
  body = canonical_header (header, revision);
  if (!ow_platform_db_finish_catalog (db, revision, revision, body, source, &changed, error))
    return FALSE;
  g_debug ("catalog revision %" G_GINT64_FORMAT ": %u items, %u changed or removed",
           revision, g_hash_table_size (ids), changed);
  if (revision_out != NULL)
    *revision_out = revision;
  return TRUE;
}
