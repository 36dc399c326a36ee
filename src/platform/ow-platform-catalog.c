/* ow-platform-catalog.c — GET /api/v1/catalog: whole, in pages, or what changed, compressed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalog is stored item by item (ow-platform-db-catalog.c) and never assembled as one
 * string: a whole answer is written in chunks, a few hundred items at a time, as the previous
 * chunk leaves; a page (?limit=) is built in memory, bounded by its limit. Either is gzip-
 * compressed when the client accepts it: a catalog's JSON shrinks several times.
 *
 * Query: since=N (only what changed after revision N: items new or changed, "removed" ids),
 * limit=L (a page of at most L items, 1 to 1000, with "next": the cursor of the following page,
 * or null), after=CURSOR (the page after the one that gave the cursor). A cursor holds the
 * revision its first page answered, so that every page of one download is of one revision,
 * even when a new one is imported meanwhile.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "net/ow-json.h"
#include "platform/ow-platform-private.h"

#define MAX_PAGE        1000
#define STREAM_ITEMS    256
/* Compressing pays from a few KB on; an error object is not worth it. */
#define COMPRESS_FROM   1024

/* ---- compression ------------------------------------------------------------------------ */

static gboolean
accepts_gzip (OwPlatformRequest *msg)
{
  const char *accepted = soup_message_headers_get_list (ow_platform_request_get_request_headers (msg),
                                                        "Accept-Encoding");
  g_auto(GStrv) codings = NULL;

  if (accepted == NULL)
    return FALSE;
  codings = g_strsplit (accepted, ",", -1);
  for (guint i = 0; codings[i] != NULL; i++)
    {
      g_autofree char *coding = g_strstrip (g_strdup (codings[i]));

      /* "gzip;q=0" refuses it; any other weight accepts. */
      if (g_ascii_strncasecmp (coding, "gzip", 4) == 0
          && (coding[4] == '\0' || coding[4] == ';') && strstr (coding, "q=0") == NULL)
        return TRUE;
    }
  return FALSE;
}

/* Runs @data through @converter into @out, flushing it (so that each chunk of a streamed answer
 * has bytes to send) or, with @last, ending it. */
static gboolean
convert_into (GConverter   *converter,
              const char   *data,
              gsize         length,
              gboolean      last,
              GByteArray   *out,
              GError      **error)
{
  GConverterFlags flags = last ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_FLUSH;
  guint8 buffer[16 * 1024];

  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (converter, data, length, buffer, sizeof buffer, flags,
                                    &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return FALSE;
      g_byte_array_append (out, buffer, written);
      data += read;
      length -= read;
      if (result == G_CONVERTER_FINISHED || (result == G_CONVERTER_FLUSHED && length == 0))
        return TRUE;
    }
}

static void
respond_bytes (OwPlatformRequest *msg,
               GString           *text)
{
  SoupMessageHeaders *headers = ow_platform_request_get_response_headers (msg);

  soup_message_headers_append (headers, "Vary", "Accept-Encoding");
  if (text->len >= COMPRESS_FROM && accepts_gzip (msg))
    {
      g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                                     6);
      g_autoptr(GByteArray) out = g_byte_array_new ();

      if (convert_into (G_CONVERTER (compressor), text->str, text->len, TRUE, out, NULL))
        {
          gsize size = out->len;

          soup_message_headers_replace (headers, "Content-Encoding", "gzip");
          ow_platform_request_set_status (msg, SOUP_STATUS_OK);
          ow_platform_request_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                            (char *) g_byte_array_free (g_steal_pointer (&out),
                                                                        FALSE), size);
          return;
        }
    }
  ow_platform_request_set_status (msg, SOUP_STATUS_OK);
  ow_platform_request_set_response (msg, "application/json", SOUP_MEMORY_COPY, text->str,
                                    text->len);
}

/* ---- the answer's text ------------------------------------------------------------------ */

static void
append_string (GString    *out,
               const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;

  json_node_set_string (node, text);
  quoted = json_to_string (node, FALSE);
  g_string_append (out, quoted);
}

/* "{" and the members of @header but its revision, then the revision (and since). */
static void
append_opening (GString    *out,
                JsonObject *header,
                gint64      revision,
                gint64      since)
{
  g_autoptr(GList) members = json_object_get_members (header);

  g_string_append_c (out, '{');
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *value = NULL;

      if (g_str_equal (name, "revision") || g_str_equal (name, "items")
          || g_str_equal (name, "since") || g_str_equal (name, "removed")
          || g_str_equal (name, "next"))
        continue;
      append_string (out, name);
      g_string_append_c (out, ':');
      value = json_to_string (json_object_get_member (header, name), FALSE);
      g_string_append (out, value);
      g_string_append_c (out, ',');
    }
  g_string_append_printf (out, "\"revision\":%" G_GINT64_FORMAT ",", revision);
  if (since > 0)
    g_string_append_printf (out, "\"since\":%" G_GINT64_FORMAT ",", since);
  g_string_append (out, "\"items\":[");
}

static void
append_removed (GString   *out,
                GPtrArray *removed)
{
  g_string_append (out, "],\"removed\":[");
  for (guint i = 0; i < removed->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_string (out, g_ptr_array_index (removed, i));
    }
}

/* Appends the bodies of @items (the removed ones' ids to @removed); @first says whether none
 * was written before. */
static void
append_items (GString   *out,
              GPtrArray *items,
              GPtrArray *removed,
              gboolean  *first)
{
  for (guint i = 0; i < items->len; i++)
    {
      OwPlatformCatalogItem *item = g_ptr_array_index (items, i);

      if (item->body == NULL)
        {
          g_ptr_array_add (removed, g_strdup (item->id));
          continue;
        }
      if (!*first)
        g_string_append_c (out, ',');
      g_string_append (out, item->body);
      *first = FALSE;
    }
}

/* ---- a whole answer, in chunks ---------------------------------------------------------- */

typedef struct
{
  gint64           revision;
  gint64           since;
  gint64           after;
  gboolean         first;
  GPtrArray       *removed;  /* ids, for the end of a delta */
  GZlibCompressor *compressor;
} Stream;

static void
stream_free (Stream *stream)
{
  g_ptr_array_unref (stream->removed);
  g_clear_object (&stream->compressor);
  g_free (stream);
}

/* The next piece of the body, in a worker (ow_platform_request_stream), or the end of it. A
 * database failure now cannot change the status any more: the body ends short and the client,
 * which checks what it parses, fails. */
static GBytes *
stream_next (OwPlatformDb *db,
             gpointer      data,
             gboolean     *last_out)
{
  Stream *stream = data;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean last = FALSE;

  /* Something must go out each time: the next piece is asked for when this one was written. */
  while (text->len == 0 && !last)
    {
      g_autoptr(GPtrArray) items = NULL;

      items = ow_platform_db_list_catalog_items (db, stream->revision, stream->since,
                                                 stream->after, STREAM_ITEMS, &error);
      if (items == NULL)
        {
          g_warning ("Cannot read the catalog: %s", error->message);
          *last_out = TRUE;
          return NULL;
        }
      append_items (text, items, stream->removed, &stream->first);
      if (items->len > 0)
        stream->after = ((OwPlatformCatalogItem *) g_ptr_array_index (items,
                                                                      items->len - 1))->place;
      if (items->len < STREAM_ITEMS)
        {
          if (stream->since > 0)
            append_removed (text, stream->removed);
          g_string_append (text, "]}");
          last = TRUE;
        }
    }

  *last_out = last;
  if (stream->compressor != NULL)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();

      if (!convert_into (G_CONVERTER (stream->compressor), text->str, text->len, last, out,
                         &error))
        {
          g_warning ("Cannot compress the catalog: %s", error->message);
          *last_out = TRUE;
          return NULL;
        }
      return g_byte_array_free_to_bytes (g_steal_pointer (&out));
    }
  return g_bytes_new (text->str, text->len);
}

static void
respond_whole (OwPlatformServer  *self,
               OwPlatformRequest *msg,
               JsonObject        *header,
               gint64             revision,
               gint64             since)
{
  SoupMessageHeaders *headers = ow_platform_request_get_response_headers (msg);
  g_autoptr(GString) opening = g_string_new (NULL);
  Stream *stream = g_new0 (Stream, 1);

  stream->revision = revision;
  stream->since = since;
  stream->first = TRUE;
  stream->removed = g_ptr_array_new_with_free_func (g_free);
  if (accepts_gzip (msg))
    {
      stream->compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
      soup_message_headers_replace (headers, "Content-Encoding", "gzip");
    }
  soup_message_headers_append (headers, "Vary", "Accept-Encoding");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  ow_platform_request_set_status (msg, SOUP_STATUS_OK);
  ow_platform_request_stream (msg, stream_next, stream, (GDestroyNotify) stream_free);

  append_opening (opening, header, revision, since);
  if (stream->compressor != NULL)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();

      /* A flush always gives bytes, so the first chunk is never empty. */
      if (!convert_into (G_CONVERTER (stream->compressor), opening->str, opening->len, FALSE, out,
                         NULL))
        g_byte_array_set_size (out, 0);
      ow_platform_request_append_data (msg, SOUP_MEMORY_COPY, out->data, out->len);
    }
  else
    ow_platform_request_append_data (msg, SOUP_MEMORY_COPY, opening->str, opening->len);
}

/* ---- a page ----------------------------------------------------------------------------- */

static void
respond_page (OwPlatformServer  *self,
              OwPlatformRequest *msg,
              JsonObject        *header,
              gint64             revision,
              gint64             since,
              gint64             after,
              guint              limit)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gboolean first = TRUE;
  gboolean more;

  items = ow_platform_db_list_catalog_items (ow_platform_server_db (self), revision, since, after,
                                             limit + 1, &error);
  if (items == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  more = items->len > limit;
  if (more)
    g_ptr_array_set_size (items, limit);

  append_opening (text, header, revision, since);
  append_items (text, items, removed, &first);
  if (since > 0)
    append_removed (text, removed);
  g_string_append (text, "],\"next\":");
  if (more)
    g_string_append_printf (text, "\"%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT "\"", revision,
                            ((OwPlatformCatalogItem *) g_ptr_array_index (items,
                                                                          items->len - 1))->place);
  else
    g_string_append (text, "null");
  g_string_append_c (text, '}');
  respond_bytes (msg, text);
}

/* ---- the route -------------------------------------------------------------------------- */

/* "R.P" of a page's "next": the revision of the download and the place it got to. */
static gboolean
parse_cursor (const char *text,
              gint64     *revision,
              gint64     *place)
{
  g_auto(GStrv) parts = NULL;
  guint64 r = 0, p = 0;

  if (text == NULL || strlen (text) > 48)
    return FALSE;
  parts = g_strsplit (text, ".", -1);
  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXINT32, &r, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXINT64, &p, NULL))
    return FALSE;
  *revision = (gint64) r;
  *place = (gint64) p;
  return TRUE;
}

void
ow_platform_route_catalog (OwPlatformServer  *self,
                           OwPlatformRequest *msg,
                           const char        *method,
                           const char        *rest,
                           GHashTable        *query)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *header_text = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(JsonNode) header = NULL;
  SoupMessageHeaders *response_headers = ow_platform_request_get_response_headers (msg);
  const char *cursor = query != NULL ? g_hash_table_lookup (query, "after") : NULL;
  gint64 revision, since = 0, limit = 0, after = 0;

  if (*rest != '\0')
    {
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
      return;
    }
  if (!g_str_equal (method, SOUP_METHOD_GET))
    {
      ow_platform_respond_method_not_allowed (msg, "GET");
      return;
    }
  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;
  if (!ow_platform_query_int (msg, query, "since", 1, G_MAXINT32, &since) ||
      !ow_platform_query_int (msg, query, "limit", 1, MAX_PAGE, &limit))
    return;
  if (cursor != NULL && limit == 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "limit",
                                 _("A page after another needs its size (limit)"));
      return;
    }

  if (!ow_platform_db_get_catalog (ow_platform_server_db (self), &revision, NULL, NULL, &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  if (revision == 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                 _("No catalog has been loaded on the platform yet"));
      return;
    }
  if (cursor != NULL && !parse_cursor (cursor, &revision, &after))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "after",
                                 _("This is not a cursor the platform gave"));
      return;
    }
  if (!ow_platform_db_get_catalog_header (ow_platform_server_db (self), revision, &header_text,
                                          &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  if (header_text == NULL)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "after",
                                 _("The platform no longer holds the revision this download "
                                   "began with; begin it again"));
      return;
    }
  if (since > 0)
    {
      g_autofree char *old = NULL;

      if (since <= revision && !ow_platform_db_get_catalog_header (ow_platform_server_db (self),
                                                                   since, &old, &error))
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      if (old == NULL)
        {
          ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "since",
                                     _("The platform has no such catalog revision; fetch the "
                                       "whole catalog instead"));
          return;
        }
    }
  if ((header = ow_json_parse (header_text, -1, &error)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (header))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  etag = g_strdup_printf ("\"rev-%" G_GINT64_FORMAT "\"", revision);
  soup_message_headers_replace (response_headers, "ETag", etag);
  soup_message_headers_replace (response_headers, "Cache-Control", "no-cache");
  if (since == 0 && cursor == NULL
      && ow_platform_etag_matches (soup_message_headers_get_one (
                                     ow_platform_request_get_request_headers (msg),
                                     "If-None-Match"), etag))
    {
      ow_platform_request_set_status (msg, SOUP_STATUS_NOT_MODIFIED);
      return;
    }

  if (limit > 0)
    respond_page (self, msg, json_node_get_object (header), revision, since, after, (guint) limit);
  else
    respond_whole (self, msg, json_node_get_object (header), revision, since);
}
