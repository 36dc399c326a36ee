/* test-platform-catalog.c — catalogs of any size on the real platform: streamed import, whole
 * answers in chunks, pages, deltas, compression; disabled accounts; the health probe
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "ow-test-catalog.h"
#include "ow-test-platform.h"

typedef struct
{
  OwTestPlatform *platform;
  char           *token;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  fixture->token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->platform, ow_test_platform_free);
  g_free (fixture->token);
}

static int
run_admin (Fixture     *fixture,
           char       **err,
           const char  *command,
           const char  *argument)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *errors = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("OW_PLATFORM_BINARY"), "admin", "--db",
                              ow_test_platform_get_db_path (fixture->platform), command,
                              argument, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &errors, &error);
  g_assert_no_error (error);
  g_test_message ("admin %s: %s%s", command, out, errors);
  if (err != NULL)
    *err = g_steal_pointer (&errors);
  return g_subprocess_get_exit_status (process);
}

static char *
write_catalog (Fixture                 *fixture,
               const char              *name,
               const OwTestCatalogSpec *spec)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (ow_test_platform_get_tmp_dir (fixture->platform), name, NULL);

  g_assert_true (ow_test_catalog_write (path, spec, &error));
  g_assert_no_error (error);
  return path;
}

static void
import (Fixture    *fixture,
        const char *path)
{
  g_assert_cmpint (run_admin (fixture, NULL, "import-catalog", path), ==, 0);
}

static OwTestResponse *
get (Fixture    *fixture,
     const char *path)
{
  g_autoptr(GError) error = NULL;
  OwTestResponse *r = ow_test_platform_request (fixture->platform, "GET", path, fixture->token,
                                                NULL, &error);

  g_assert_no_error (error);
  return r;
}

static JsonArray *
get_items (OwTestResponse *r)
{
  g_assert_nonnull (r->json);
  return json_object_get_array_member (json_node_get_object (r->json), "items");
}

static gint64
get_revision (OwTestResponse *r)
{
  return json_object_get_int_member (json_node_get_object (r->json), "revision");
}

static const char *
item_id (JsonArray *items,
         guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (items, i), "id");
}

/* Every page of @query (limit @limit), in order, as one list of ids. */
static GPtrArray *
collect_pages (Fixture    *fixture,
               const char *query,
               guint       limit,
               gint64     *revision,
               guint      *n_pages)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = NULL;

  *n_pages = 0;
  do
    {
      g_autofree char *path = NULL;
      g_autoptr(OwTestResponse) r = NULL;
      JsonObject *object;
      JsonArray *items;

      if (next == NULL)
        path = g_strdup_printf ("/api/v1/catalog?%slimit=%u", query, limit);
      else
        path = g_strdup_printf ("/api/v1/catalog?%slimit=%u&after=%s", query, limit, next);
      r = get (fixture, path);
      g_assert_cmpuint (r->status, ==, 200);
      object = json_node_get_object (r->json);
      items = get_items (r);
      g_assert_cmpuint (json_array_get_length (items), <=, limit);
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (ids, g_strdup (item_id (items, i)));
      *revision = get_revision (r);
      g_clear_pointer (&next, g_free);
      if (!json_object_get_null_member (object, "next"))
        next = g_strdup (json_object_get_string_member (object, "next"));
      (*n_pages)++;
    }
  while (next != NULL);
  return ids;
}

/* Larger than the 16 MiB the import refused before, read item by item; the whole answer comes
 * in chunks, compressed when asked, and pages of it add up to the same. */
static void
test_large (Fixture       *fixture,
            gconstpointer  data)
{
  OwTestCatalogSpec spec = { .first = 0, .n_items = 6000, .revision = 2, .seed = 1 };
  g_autofree char *path = write_catalog (fixture, "large.json", &spec);
  g_autoptr(OwTestResponse) plain = NULL;
  g_autoptr(OwTestResponse) compressed = NULL;
  g_autoptr(GPtrArray) paged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  gint64 revision = 0;
  guint n_pages = 0;
  goffset size;
  JsonArray *items;

  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                   G_FILE_QUERY_INFO_NONE, NULL, &error);

    g_assert_no_error (error);
    size = g_file_info_get_size (info);
    g_assert_cmpint (size, >, 16 * 1024 * 1024);
  }
  import (fixture, path);

  plain = get (fixture, "/api/v1/catalog");
  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (plain->headers, "ETag"), ==, "\"rev-2\"");
  items = get_items (plain);
  g_assert_cmpuint (json_array_get_length (items), ==, 6000);
  g_assert_cmpstr (item_id (items, 0), ==, "G00000000");
  g_assert_cmpstr (item_id (items, 5999), ==, "G00005999");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (plain->json), "bundles")), ==, 1);

  /* The same, compressed, read by a session that does not decode it: the gzip stream itself,
   * several times smaller, which decodes to the same bytes. */
  uri = g_strconcat (ow_test_platform_get_base_uri (fixture->platform), "api/v1/catalog", NULL);
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autofree char *bearer = g_strconcat ("Bearer ", fixture->token, NULL);

    soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  bearer);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding",
                                  "gzip");
    compressed = g_new0 (OwTestResponse, 1);
    compressed->body = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Content-Encoding"), ==, "gzip");
  }
  g_test_message ("whole catalog: %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " compressed",
                  g_bytes_get_size (plain->body), g_bytes_get_size (compressed->body));
  g_assert_cmpuint (g_bytes_get_size (compressed->body) * 4, <, g_bytes_get_size (plain->body));
  {
    g_autoptr(GConverter) decompressor = G_CONVERTER (g_zlib_decompressor_new (
                                           G_ZLIB_COMPRESSOR_FORMAT_GZIP));
    g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_bytes (compressed->body);
    g_autoptr(GInputStream) stream = g_converter_input_stream_new (raw, decompressor);
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
    g_autoptr(GBytes) decoded = NULL;

    g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
    g_assert_no_error (error);
    decoded = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
    g_assert_true (g_bytes_equal (decoded, plain->body));
  }

  paged = collect_pages (fixture, "", 1000, &revision, &n_pages);
  g_assert_cmpint (revision, ==, 2);
  g_assert_cmpuint (n_pages, ==, 6);
  g_assert_cmpuint (paged->len, ==, 6000);
  for (guint i = 0; i < paged->len; i++)
    g_assert_cmpstr (g_ptr_array_index (paged, i), ==, item_id (items, i));

  /* Importing the same file again is no new revision. */
  import (fixture, path);
  {
    g_autoptr(OwTestResponse) again = get (fixture, "/api/v1/catalog?limit=1");

    g_assert_cmpint (get_revision (again), ==, 2);
  }
}

/* A delta lists what changed and what went; a download in pages stays on its revision when
 * another is imported meanwhile. */
static void
test_delta (Fixture       *fixture,
            gconstpointer  data)
{
  OwTestCatalogSpec a = { .first = 0, .n_items = 1000, .revision = 10, .seed = 3 };
  OwTestCatalogSpec b = { .first = 10, .n_items = 1000, .revision = 11, .seed = 3,
                          .renamed_every = 100 };
  OwTestCatalogSpec c = { .first = 0, .n_items = 50, .revision = 12, .seed = 4 };
  g_autofree char *path_a = write_catalog (fixture, "a.json", &a);
  g_autofree char *path_b = write_catalog (fixture, "b.json", &b);
  g_autofree char *path_c = write_catalog (fixture, "c.json", &c);
  g_autoptr(OwTestResponse) delta = NULL;
  g_autoptr(OwTestResponse) first = NULL;
  g_autoptr(OwTestResponse) second = NULL;
  g_autoptr(GHashTable) changed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) paged = NULL;
  JsonArray *items, *removed;
  gint64 revision = 0;
  guint n_pages = 0;
  const char *next;

  import (fixture, path_a);
  import (fixture, path_b);

  delta = get (fixture, "/api/v1/catalog?since=10");
  g_assert_cmpuint (delta->status, ==, 200);
  g_assert_cmpint (get_revision (delta), ==, 11);
  items = get_items (delta);
  removed = json_object_get_array_member (json_node_get_object (delta->json), "removed");
  /* Renamed: 100 … 900 (0 is gone); new: 1000 … 1009; gone: 0 … 9. */
  g_assert_cmpuint (json_array_get_length (items), ==, 9 + 10);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_hash_table_add (changed, (gpointer) item_id (items, i));
  g_assert_true (g_hash_table_contains (changed, "G00000500"));
  g_assert_true (g_hash_table_contains (changed, "G00001009"));
  g_assert_false (g_hash_table_contains (changed, "G00000501"));
  g_assert_cmpuint (json_array_get_length (removed), ==, 10);
  g_assert_cmpstr (json_array_get_string_element (removed, 0), ==, "G00000000");
  /* Changed items keep their place, new ones come last. */
  g_assert_cmpstr (item_id (items, 0), ==, "G00000100");
  g_assert_cmpstr (item_id (items, 18), ==, "G00001009");

  /* The same delta in pages of 4 entries, items and removals alike: 29 in 8 pages. */
  paged = collect_pages (fixture, "since=10&", 4, &revision, &n_pages);
  g_assert_cmpuint (paged->len, ==, 19);
  g_assert_cmpuint (n_pages, ==, 8);

  /* A download begun at 11 goes on at 11 after 12 is imported. */
  first = get (fixture, "/api/v1/catalog?limit=600");
  next = json_object_get_string_member (json_node_get_object (first->json), "next");
  g_assert_nonnull (next);
  import (fixture, path_c);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/catalog?limit=600&after=%s", next);

    second = get (fixture, path);
  }
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpint (get_revision (second), ==, 11);
  g_assert_cmpuint (json_array_get_length (get_items (second)), ==, 400);
  g_assert_true (json_object_get_null_member (json_node_get_object (second->json), "next"));
  {
    g_autoptr(OwTestResponse) now = get (fixture, "/api/v1/catalog");

    g_assert_cmpint (get_revision (now), ==, 12);
    g_assert_cmpuint (json_array_get_length (get_items (now)), ==, 50);
  }
}

static void
assert_refused (Fixture    *fixture,
                const char *path,
                const char *field)
{
  g_autoptr(OwTestResponse) r = get (fixture, path);

  g_assert_cmpuint (r->status, ==, 422);
  g_assert_cmpstr (ow_test_response_error_field (r), ==, field);
}

static void
test_bad_requests (Fixture       *fixture,
                   gconstpointer  data)
{
  assert_refused (fixture, "/api/v1/catalog?limit=0", "limit");
  assert_refused (fixture, "/api/v1/catalog?limit=1001", "limit");
  assert_refused (fixture, "/api/v1/catalog?after=1.5", "limit");
  assert_refused (fixture, "/api/v1/catalog?limit=5&after=garbage", "after");
  assert_refused (fixture, "/api/v1/catalog?limit=5&after=99.5", "after");
  assert_refused (fixture, "/api/v1/catalog?since=99", "since");
}

/* A file that does not pass changes nothing, and says why. */
static void
test_bad_files (Fixture       *fixture,
                gconstpointer  data)
{
  OwTestCatalogSpec spec = { .first = 0, .n_items = 20, .revision = 5, .seed = 2 };
  g_autofree char *good = write_catalog (fixture, "good.json", &spec);
  g_autofree char *text = NULL;
  gsize length;
  struct
  {
    const char *name;
    const char *from;
    const char *to;
    const char *says;
  } cases[] = {
    { "cut.json", NULL, NULL, "ends before" },
    { "twice.json", "\"G00000003\"", "\"G00000002\"", "used by two items" },
    { "negative.json", "\"promised_limit\":", "\"promised_limit\":-", "items[0].promised_limit" },
    { "bundle.json", "\"items\": [\"G00000000\"", "\"items\": [\"NOPE\"", "not an item" },
    { "notjson.json", "\"revision\": 5", "\"revision\": 5 5", "not valid JSON" },
  };

  g_assert_true (g_file_get_contents (good, &text, &length, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (ow_test_platform_get_tmp_dir (fixture->platform),
                                                cases[i].name, NULL);
      g_autofree char *bad = NULL;
      g_autofree char *err = NULL;

      if (cases[i].from == NULL)
        bad = g_strndup (text, length / 2);
      else
        {
          g_auto(GStrv) parts = g_strsplit (text, cases[i].from, 2);

          g_assert_cmpuint (g_strv_length (parts), ==, 2);
          bad = g_strconcat (parts[0], cases[i].to, parts[1], NULL);
        }
      g_assert_true (g_file_set_contents (path, bad, -1, NULL));
      g_assert_cmpint (run_admin (fixture, &err, "import-catalog", path), ==, 1);
      g_assert_nonnull (strstr (err, cases[i].says));
    }
  {
    g_autoptr(OwTestResponse) r = get (fixture, "/api/v1/catalog?limit=1");

    g_assert_cmpint (get_revision (r), ==, 1);
  }
}

static void
test_disabled_user (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OwTestResponse) before = NULL;
  g_autoptr(OwTestResponse) after = NULL;
  g_autoptr(OwTestResponse) login = NULL;
  g_autoptr(OwTestResponse) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  before = get (fixture, "/api/v1/catalog?limit=1");
  g_assert_cmpuint (before->status, ==, 200);
  g_assert_cmpint (run_admin (fixture, NULL, "disable-user", "clerk"), ==, 0);
  g_assert_cmpint (run_admin (fixture, NULL, "disable-user", "nobody"), ==, 1);

  /* The session ended; the right password is told the account is disabled, a wrong one only
   * that it is wrong. */
  after = get (fixture, "/api/v1/catalog?limit=1");
  g_assert_cmpuint (after->status, ==, 401);
  login = ow_test_platform_request (fixture->platform, "POST", "/api/v1/sessions", NULL,
                                    "{\"username\": \"clerk\", \"password\": \"demo\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (login->status, ==, 403);
  g_assert_cmpstr (ow_test_response_error_field (login), ==, "username");
  wrong = ow_test_platform_request (fixture->platform, "POST", "/api/v1/sessions", NULL,
                                    "{\"username\": \"clerk\", \"password\": \"nope\"}", &error);
  g_assert_cmpuint (wrong->status, ==, 401);

  g_assert_cmpint (run_admin (fixture, NULL, "enable-user", "clerk"), ==, 0);
  token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
}

static void
test_health (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestResponse) r = ow_test_platform_request (fixture->platform, "GET",
                                                          "/api/v1/health", NULL, NULL, &error);
  g_autoptr(OwTestResponse) post = ow_test_platform_request (fixture->platform, "POST",
                                                             "/api/v1/health", NULL, "{}",
                                                             &error);

  g_assert_cmpuint (r->status, ==, 204);
  g_assert_cmpuint (post->status, ==, 405);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/platform-catalog/large", Fixture, NULL, fixture_set_up, test_large,
              fixture_tear_down);
  g_test_add ("/platform-catalog/delta", Fixture, NULL, fixture_set_up, test_delta,
              fixture_tear_down);
  g_test_add ("/platform-catalog/bad-requests", Fixture, NULL, fixture_set_up,
              test_bad_requests, fixture_tear_down);
  g_test_add ("/platform-catalog/bad-files", Fixture, NULL, fixture_set_up, test_bad_files,
              fixture_tear_down);
  g_test_add ("/platform-catalog/disabled-user", Fixture, NULL, fixture_set_up,
              test_disabled_user, fixture_tear_down);
  g_test_add ("/platform-catalog/health", Fixture, NULL, fixture_set_up, test_health,
              fixture_tear_down);
  return g_test_run ();
}
