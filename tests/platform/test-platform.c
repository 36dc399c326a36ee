/* test-platform.c — integration tests of onewindow-platform, run as a real process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "core/ow-case-number.h"
#include "ow-test-platform.h"

#define GOOD_ID "11010519491231002X"
#define BAD_ID  "110105194912310021"  /* the check character should be X */

typedef struct
{
  char           *data_dir;
  OwTestPlatform *platform;
  char           *clerk;
  char           *pickup;
} Fixture;

/* Helpers ---------------------------------------------------------------------------------- */

/* A data directory of the tests' own: a small catalog, so these tests do not depend on what the
 * shipped catalog holds, and the real national calendar. */
static char *
make_data_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ow-platform-data-XXXXXX", &error);
  g_autofree char *catalog = NULL, *tsv = NULL;
  g_autofree char *catalog_src = g_build_filename (g_getenv ("OW_TESTS_DIR"), "platform",
                                                   "catalog-small.json", NULL);
  g_autofree char *tsv_src = g_build_filename (g_getenv ("OW_DATA_DIR"), "cn-holidays.tsv", NULL);
  g_autofree char *catalog_dst = NULL, *tsv_dst = NULL;
  gsize length;

  g_assert_no_error (error);
  catalog_dst = g_build_filename (dir, "catalog.json", NULL);
  tsv_dst = g_build_filename (dir, "cn-holidays.tsv", NULL);

  g_file_get_contents (catalog_src, &catalog, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (catalog_dst, catalog, (gssize) length, &error);
  g_assert_no_error (error);
  g_file_get_contents (tsv_src, &tsv, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (tsv_dst, tsv, (gssize) length, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&dir);
}

static void
remove_data_dir (const char *dir)
{
  g_autofree char *catalog = g_build_filename (dir, "catalog.json", NULL);
  g_autofree char *tsv = g_build_filename (dir, "cn-holidays.tsv", NULL);

  g_unlink (catalog);
  g_unlink (tsv);
  g_rmdir (dir);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->data_dir = make_data_dir ();
  fixture->platform = ow_test_platform_start_full (fixture->data_dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->platform);

  fixture->clerk = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  fixture->pickup = ow_test_platform_login (fixture->platform, "pickup", "demo", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* SIGTERM ends it cleanly (exit status 0), whatever the test did to it. */
  g_assert_true (ow_test_platform_stop (fixture->platform));
  g_clear_pointer (&fixture->platform, ow_test_platform_free);
  remove_data_dir (fixture->data_dir);
  g_free (fixture->data_dir);
  g_free (fixture->clerk);
  g_free (fixture->pickup);
}

static char *
make_case_no (guint sequence)
{
  g_autoptr(GError) error = NULL;
  GDate today;
  char *case_no;

  ow_test_today (&today);
  case_no = ow_case_number_make ("46010001", 7, &today, sequence, &error);
  g_assert_no_error (error);
  return case_no;
}

static char *
make_case_json (const char *case_no,
                const char *id_number,
                const char *applicant_name)
{
  GDate promised;
  char promised_text[16];

  ow_test_today (&promised);
  g_date_add_days (&promised, 14);
  g_snprintf (promised_text, sizeof promised_text, "%04u-%02u-%02u", g_date_get_year (&promised),
              g_date_get_month (&promised), g_date_get_day (&promised));

  return g_strdup_printf (
    "{\"case_no\": \"%s\", \"query_code\": \"K7Q2MX\", \"state\": \"accepted\","
    " \"hall\": \"46010001\", \"counter\": 7, \"clerk\": \"clerk\","
    " \"received_at\": \"2026-01-05T06:30:00Z\", \"promised_date\": \"%s\","
    " \"document_no\": \"海口政服受〔2026〕1号\","
    " \"applicant\": {\"kind\": \"person\", \"name\": \"%s\", \"id_number\": \"%s\","
    "   \"phone\": \"13800138000\", \"address\": \"海口市龙华区\", \"contact_name\": null},"
    " \"agent\": null,"
    " \"items\": [{\"item_id\": \"11460100MB1234567X400011\", \"basic_code\": \"000117001\","
    "   \"name\": \"食品经营许可（新办）\", \"department\": \"海口市市场监督管理局\"}],"
    " \"materials\": [{\"material_id\": \"m1\", \"name\": \"食品经营许可申请书\","
    "   \"status\": \"paper\", \"originals\": 1, \"copies\": 0, \"licence_no\": null,"
    "   \"due_date\": null, \"note\": null, \"files\": []}],"
    " \"delivery\": {\"kind\": \"pickup\", \"recipient\": null, \"phone\": null,"
    "   \"address\": null},"
    " \"refusal\": null}",
    case_no, promised_text, applicant_name, id_number);
}

static OwTestResponse *
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *token,
         const char *body)
{
  g_autoptr(GError) error = NULL;
  OwTestResponse *response;

  response = ow_test_platform_request (fixture->platform, method, path, token, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

static OwTestResponse *
put_case (Fixture    *fixture,
          const char *case_no,
          const char *body)
{
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);

  return request (fixture, "PUT", path, fixture->clerk, body);
}

static void
assert_error (OwTestResponse *response,
              guint           status,
              const char     *code,
              const char     *field)
{
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (ow_test_response_error_code (response), ==, code);
  if (field != NULL)
    g_assert_cmpstr (ow_test_response_error_field (response), ==, field);
}

static guint
count_tsv_days (const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, "cn-holidays.tsv", NULL);
  g_autofree char *tsv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_file_get_contents (path, &tsv, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (tsv, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_isdigit (lines[i][0]))
      n++;
  return n;
}

/* Looks into the platform's database itself, with the platform stopped. */
static void
assert_database_seeded_once (Fixture *fixture)
{
  OwTestPlatform *db = fixture->platform;

  if (ow_test_platform_is_postgresql (db))
    {
      g_assert_cmpint (ow_test_platform_count (db, "SELECT version FROM ow_schema", NULL), ==, 4);
      g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM "
                                                   "information_schema.columns WHERE "
                                                   "table_name = 'cases' AND "
                                                   "column_name = 'amended'", NULL), ==, 1);
    }
  else
    {
      g_assert_cmpint (ow_test_platform_count (db, "PRAGMA user_version", NULL), ==, 7);
      /* Version 4: the case as amended by its events, beside the body as first PUT. */
      g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM "
                                                   "pragma_table_info('cases') "
                                                   "WHERE name = 'amended'", NULL), ==, 1);
    }
  /* SQLite 7, PostgreSQL 4: the catalog item by item, each revision keeping what it changed. */
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM catalog_versions", NULL), ==,
                   ow_test_platform_count (db, "SELECT count(*) FROM catalog_entries", NULL));
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM catalog_entries", NULL), >,
                   0);
  /* Department users work for a department of the catalog: two of them in the demo. */
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM users", NULL), ==, 5);
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(DISTINCT department) FROM users "
                                               "WHERE department IS NOT NULL", NULL), ==, 2);
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM catalog_revisions", NULL), ==,
                   1);
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM calendar_days", NULL), ==,
                   count_tsv_days (fixture->data_dir));
  /* Seeding again changed nothing, so the changes feed got nothing new either. */
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM changes "
                                               "WHERE kind = 'catalog'", NULL), ==, 1);
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM changes "
                                               "WHERE kind = 'calendar'", NULL), ==,
                   ow_test_platform_count (db, "SELECT count(*) FROM calendar_years", NULL));
  /* Passwords are Argon2 hashes, never the password. */
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM users WHERE password_hash "
                                               "LIKE '$argon2id$%' AND password_hash <> 'demo'",
                                           NULL), ==, 5);
  /* Tokens are kept hashed: the clerk's token is not in the database, its SHA-256 is. */
  {
    g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, fixture->clerk, -1);
    const char *sql = "SELECT count(*) FROM sessions WHERE token_hash = ?";

    g_assert_cmpint (ow_test_platform_count (db, sql, fixture->clerk), ==, 0);
    g_assert_cmpint (ow_test_platform_count (db, sql, hash), ==, 1);
  }
}

/* Sessions --------------------------------------------------------------------------------- */

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(OwTestResponse) good = NULL;
  g_autoptr(OwTestResponse) bad = NULL;
  g_autoptr(OwTestResponse) unknown = NULL;
  g_autoptr(OwTestResponse) garbage = NULL;
  JsonObject *user;
  JsonArray *roles;

  good = request (fixture, "POST", "/api/v1/sessions", NULL,
                  "{\"username\": \"clerk\", \"password\": \"demo\"}");
  g_assert_cmpuint (good->status, ==, 201);
  g_assert_cmpuint (strlen (ow_test_response_get_string (good, "token")), ==, 64);
  g_assert_nonnull (ow_test_response_get_string (good, "expires_at"));
  user = json_object_get_object_member (json_node_get_object (good->json), "user");
  g_assert_cmpstr (json_object_get_string_member (user, "username"), ==, "clerk");
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, "王小明");
  g_assert_cmpstr (json_object_get_string_member (user, "hall"), ==, "46010001");
  g_assert_cmpstr (json_object_get_string_member (user, "hall_name"), ==, "海口市政务服务中心");
  g_assert_cmpint (json_object_get_int_member (user, "counter"), ==, 7);
  roles = json_object_get_array_member (user, "roles");
  g_assert_cmpuint (json_array_get_length (roles), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (roles, 0), ==, "clerk");

  bad = request (fixture, "POST", "/api/v1/sessions", NULL,
                 "{\"username\": \"clerk\", \"password\": \"wrong\"}");
  assert_error (bad, 401, "unauthorized", NULL);

  unknown = request (fixture, "POST", "/api/v1/sessions", NULL,
                     "{\"username\": \"nobody\", \"password\": \"demo\"}");
  assert_error (unknown, 401, "unauthorized", NULL);

  garbage = request (fixture, "POST", "/api/v1/sessions", NULL, "{\"username\": ");
  assert_error (garbage, 400, "malformed", NULL);
}

/* Five wrong passwords lock the name from that client address (here loopback, no proxy); the
 * attempts after the third wait a little longer each. The details, with addresses, are
 * /hardening/login-limit's. */
static void
test_login_lockout (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = NULL;
  g_autofree char *locked = NULL;
  guint failures = 0, waits = 0;

  while (failures < 5)
    {
      g_autoptr(OwTestResponse) wrong = NULL;

      wrong = request (fixture, "POST", "/api/v1/sessions", NULL,
                       "{\"username\": \"department\", \"password\": \"guess\"}");
      if (wrong->status == 429)
        {
          const char *retry_after = soup_message_headers_get_one (wrong->headers, "Retry-After");

          assert_error (wrong, 429, "too-many", NULL);
          g_assert_nonnull (retry_after);
          g_usleep (g_ascii_strtoull (retry_after, NULL, 10) * G_USEC_PER_SEC);
          waits++;
          continue;
        }
      assert_error (wrong, 401, "unauthorized", NULL);
      failures++;
    }
  g_assert_cmpuint (waits, >=, 2);

  /* Now even the right password is refused for a while … */
  locked = ow_test_platform_login (fixture->platform, "department", "demo", &error);
  g_assert_null (locked);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
}

static void
test_logout (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(OwTestResponse) before = NULL;
  g_autoptr(OwTestResponse) logout = NULL;
  g_autoptr(OwTestResponse) after = NULL;

  before = request (fixture, "GET", "/api/v1/catalog", fixture->clerk, NULL);
  g_assert_cmpuint (before->status, ==, 200);

  logout = request (fixture, "DELETE", "/api/v1/sessions/current", fixture->clerk, NULL);
  g_assert_cmpuint (logout->status, ==, 204);

  after = request (fixture, "GET", "/api/v1/catalog", fixture->clerk, NULL);
  assert_error (after, 401, "unauthorized", NULL);
}

static void
test_no_token (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(OwTestResponse) none = NULL;
  g_autoptr(OwTestResponse) forged = NULL;
  g_autoptr(OwTestResponse) calendar = NULL;
  g_autofree char *case_no = make_case_no (1);
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autoptr(OwTestResponse) get_case = NULL;

  none = request (fixture, "GET", "/api/v1/catalog", NULL, NULL);
  assert_error (none, 401, "unauthorized", NULL);
  forged = request (fixture, "GET", "/api/v1/catalog",
                    "0000000000000000000000000000000000000000000000000000000000000000", NULL);
  assert_error (forged, 401, "unauthorized", NULL);
  calendar = request (fixture, "GET", "/api/v1/calendar?year=2026", NULL, NULL);
  assert_error (calendar, 401, "unauthorized", NULL);
  get_case = request (fixture, "GET", path, NULL, NULL);
  assert_error (get_case, 401, "unauthorized", NULL);
}

static void
test_wrong_role (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (2);
  g_autofree char *body = make_case_json (case_no, GOOD_ID, "张三");
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autoptr(OwTestResponse) put = NULL;
  g_autoptr(OwTestResponse) get = NULL;

  put = request (fixture, "PUT", path, fixture->pickup, body);
  assert_error (put, 403, "forbidden", NULL);

  /* Nothing was stored. */
  get = request (fixture, "GET", path, fixture->clerk, NULL);
  assert_error (get, 404, "not-found", NULL);
}

/* Catalog and calendar --------------------------------------------------------------------- */

static void
test_catalog_etag (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestResponse) first = NULL;
  g_autoptr(OwTestResponse) again = NULL;
  g_autoptr(OwTestResponse) stale = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *uri = NULL;
  const char *etag;
  JsonObject *root;

  first = request (fixture, "GET", "/api/v1/catalog", fixture->pickup, NULL);
  g_assert_cmpuint (first->status, ==, 200);
  etag = soup_message_headers_get_one (first->headers, "ETag");
  g_assert_cmpstr (etag, ==, "\"rev-3\"");
  root = json_node_get_object (first->json);
  g_assert_cmpint (json_object_get_int_member (root, "revision"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "items")), ==, 2);

  uri = g_strconcat (ow_test_platform_get_base_uri (fixture->platform), "api/v1/catalog", NULL);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (headers, "If-None-Match", etag);
  again = ow_test_http ("GET", uri, fixture->pickup, NULL, headers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->status, ==, 304);
  g_assert_cmpuint (g_bytes_get_size (again->body), ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (again->headers, "ETag"), ==, etag);

  soup_message_headers_replace (headers, "If-None-Match", "\"rev-2\"");
  stale = ow_test_http ("GET", uri, fixture->pickup, NULL, headers, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stale->status, ==, 200);
}

static void
test_calendar (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(OwTestResponse) response = NULL;
  g_autoptr(OwTestResponse) unpublished = NULL;
  g_autoptr(OwTestResponse) bad_year = NULL;
  g_autoptr(OwTestResponse) no_year = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tsv_path = g_build_filename (fixture->data_dir, "cn-holidays.tsv", NULL);
  g_autofree char *tsv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean found_spring_festival = FALSE;
  JsonObject *root;
  JsonArray *days;

  response = request (fixture, "GET", "/api/v1/calendar?year=2026", fixture->clerk, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  root = json_node_get_object (response->json);
  g_assert_cmpint (json_object_get_int_member (root, "year"), ==, 2026);
  g_assert_true (json_object_get_boolean_member (root, "published"));
  g_assert_cmpstr (json_object_get_string_member (root, "hall"), ==, "46010001");

  /* Every 2026 line of the TSV, and nothing else, comes back. */
  g_file_get_contents (tsv_path, &tsv, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (tsv, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = g_strsplit (lines[i], "\t", 3);

      if (g_str_has_prefix (lines[i], "2026-") && g_strv_length (columns) == 3)
        g_hash_table_insert (expected, g_strdup (columns[0]), g_strdup (columns[1]));
    }
  g_assert_cmpuint (g_hash_table_size (expected), >, 0);

  days = json_object_get_array_member (root, "days");
  g_assert_cmpuint (json_array_get_length (days), ==, g_hash_table_size (expected));
  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      JsonObject *day = json_array_get_object_element (days, i);
      const char *date = json_object_get_string_member (day, "date");

      g_assert_cmpstr (json_object_get_string_member (day, "kind"), ==,
                       g_hash_table_lookup (expected, date));
      g_assert_false (json_object_get_boolean_member (day, "local"));
      if (g_str_equal (date, "2026-02-17"))
        {
          found_spring_festival = TRUE;
          g_assert_cmpstr (json_object_get_string_member (day, "kind"), ==, "off");
          g_assert_cmpstr (json_object_get_string_member (day, "name"), ==, "春节");
        }
    }
  g_assert_true (found_spring_festival);

  unpublished = request (fixture, "GET", "/api/v1/calendar?year=2031", fixture->clerk, NULL);
  g_assert_cmpuint (unpublished->status, ==, 200);
  root = json_node_get_object (unpublished->json);
  g_assert_false (json_object_get_boolean_member (root, "published"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "days")), ==, 0);

  bad_year = request (fixture, "GET", "/api/v1/calendar?year=20x6", fixture->clerk, NULL);
  assert_error (bad_year, 422, "invalid", "year");
  no_year = request (fixture, "GET", "/api/v1/calendar", fixture->clerk, NULL);
  assert_error (no_year, 422, "invalid", "year");
}

/* Cases ------------------------------------------------------------------------------------ */

static void
test_case_put (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (17);
  g_autofree char *body = make_case_json (case_no, GOOD_ID, "张三");
  g_autofree char *other = make_case_json (case_no, GOOD_ID, "李四");
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autoptr(OwTestResponse) created = NULL;
  g_autoptr(OwTestResponse) same = NULL;
  g_autoptr(OwTestResponse) conflict = NULL;
  g_autoptr(OwTestResponse) get = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *sent, *stored;
  JsonObject *applicant;

  created = put_case (fixture, case_no, body);
  g_assert_cmpuint (created->status, ==, 201);
  same = put_case (fixture, case_no, body);
  g_assert_cmpuint (same->status, ==, 200);
  conflict = put_case (fixture, case_no, other);
  assert_error (conflict, 409, "conflict", NULL);

  /* What comes back is what was sent (and not the conflicting second body), also when the
   * number is written the way receipts print it. */
  {
    g_autofree char *formatted = ow_case_number_format (case_no);
    g_autofree char *formatted_path = g_strconcat ("/api/v1/cases/", formatted, NULL);
    g_autoptr(OwTestResponse) by_formatted = NULL;

    g_assert_nonnull (strchr (formatted, '-'));
    by_formatted = request (fixture, "GET", formatted_path, fixture->pickup, NULL);
    g_assert_cmpuint (by_formatted->status, ==, 200);
    g_assert_cmpstr (ow_test_response_get_string (by_formatted, "case_no"), ==, case_no);
  }
  get = request (fixture, "GET", path, fixture->pickup, NULL);
  g_assert_cmpuint (get->status, ==, 200);
  json_parser_load_from_data (parser, body, -1, &error);
  g_assert_no_error (error);
  sent = json_node_get_object (json_parser_get_root (parser));
  stored = json_node_get_object (get->json);
  g_assert_cmpstr (json_object_get_string_member (stored, "case_no"), ==, case_no);
  g_assert_cmpstr (json_object_get_string_member (stored, "state"), ==, "accepted");
  g_assert_cmpstr (json_object_get_string_member (stored, "promised_date"), ==,
                   json_object_get_string_member (sent, "promised_date"));
  g_assert_cmpstr (json_object_get_string_member (stored, "document_no"), ==,
                   "海口政服受〔2026〕1号");
  g_assert_cmpstr (json_object_get_string_member (stored, "received_at"), ==,
                   "2026-01-05T06:30:00Z");
  applicant = json_object_get_object_member (stored, "applicant");
  g_assert_cmpstr (json_object_get_string_member (applicant, "name"), ==, "张三");
  g_assert_cmpstr (json_object_get_string_member (applicant, "id_number"), ==, GOOD_ID);
  g_assert_true (json_node_equal (json_object_get_member (stored, "items"),
                                  json_object_get_member (sent, "items")));
  g_assert_true (json_node_equal (json_object_get_member (stored, "materials"),
                                  json_object_get_member (sent, "materials")));
  g_assert_true (json_node_equal (json_object_get_member (stored, "delivery"),
                                  json_object_get_member (sent, "delivery")));
}

static void
test_case_member_order (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (18);
  g_autofree char *body = make_case_json (case_no, GOOD_ID, "张三");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestResponse) created = NULL;
  g_autoptr(OwTestResponse) reordered = NULL;
  g_autoptr(JsonObject) reversed = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GList) members = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  created = put_case (fixture, case_no, body);
  g_assert_cmpuint (created->status, ==, 201);

  /* The same case written with its members in another order is the same case. */
  json_parser_load_from_data (parser, body, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  members = g_list_reverse (json_object_get_members (object));
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (reversed, l->data,
                            json_node_copy (json_object_get_member (object, l->data)));
  json_node_set_object (root, reversed);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_assert_false (g_str_equal (text, body));

  reordered = put_case (fixture, case_no, text);
  g_assert_cmpuint (reordered->status, ==, 200);
}

static void
test_case_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (19);
  g_autofree char *other_no = make_case_no (20);
  g_autofree char *bad_id = make_case_json (case_no, BAD_ID, "张三");
  g_autofree char *good = make_case_json (case_no, GOOD_ID, "张三");
  g_autofree char *mismatch = make_case_json (other_no, GOOD_ID, "张三");
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autoptr(OwTestResponse) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(OwTestResponse) r7 = NULL, get = NULL;
  g_autoptr(GString) wrong_state = g_string_new (good);

  r1 = put_case (fixture, case_no, bad_id);
  assert_error (r1, 422, "invalid", "applicant.id_number");

  r2 = put_case (fixture, case_no, "{\"case_no\": ");
  assert_error (r2, 400, "malformed", NULL);
  r3 = put_case (fixture, case_no, "[1, 2, 3]");
  assert_error (r3, 400, "malformed", NULL);
  r4 = put_case (fixture, case_no, "\xff\xfe{}");
  assert_error (r4, 400, "malformed", NULL);

  r5 = put_case (fixture, case_no, mismatch);
  assert_error (r5, 422, "invalid", "case_no");

  g_string_replace (wrong_state, "\"accepted\"", "\"teleported\"", 1);
  r6 = put_case (fixture, case_no, wrong_state->str);
  assert_error (r6, 422, "invalid", "state");

  r7 = put_case (fixture, case_no, "{\"case_no\": 5}");
  assert_error (r7, 422, "invalid", "case_no");

  /* None of it was stored. */
  get = request (fixture, "GET", path, fixture->clerk, NULL);
  assert_error (get, 404, "not-found", NULL);
}

static void
test_case_too_large (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (21);
  g_autofree char *uri = NULL;
  g_autoptr(GString) huge = g_string_new ("{\"case_no\": \"");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  while (huge->len < 1024 * 1024 + 10)
    g_string_append (huge, "0123456789abcdef");
  g_string_append (huge, "\"}");
  bytes = g_bytes_new (huge->str, huge->len);

  uri = g_strconcat (ow_test_platform_get_base_uri (fixture->platform), "api/v1/cases/", case_no,
                     NULL);
  response = ow_test_http ("PUT", uri, fixture->clerk, bytes, NULL, &error);
  g_assert_no_error (error);
  assert_error (response, 413, "too-large", NULL);
}

static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (22);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(OwTestResponse) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, alive = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  r1 = put_case (fixture, case_no, deep->str);
  assert_error (r1, 400, "malformed", NULL);

  r2 = put_case (fixture, case_no, "{\"case_no\": \"x\", \"applicant\": [], \"state\": {}}");
  g_assert_cmpuint (r2->status, ==, 422);
  r3 = request (fixture, "GET", "/api/v1/cases/%FF%FE", fixture->clerk, NULL);
  assert_error (r3, 404, "not-found", NULL);
  r4 = request (fixture, "GET", "/api/v1/nothing-here", fixture->clerk, NULL);
  assert_error (r4, 404, "not-found", NULL);
  r5 = request (fixture, "POST", "/api/v1/catalog", fixture->clerk, "{}");
  g_assert_cmpuint (r5->status, ==, 405);

  alive = request (fixture, "GET", "/api/v1/catalog", fixture->clerk, NULL);
  g_assert_cmpuint (alive->status, ==, 200);
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (23);
  g_autofree char *body = make_case_json (case_no, GOOD_ID, "张三");
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autofree char *old_uri = g_strdup (ow_test_platform_get_base_uri (fixture->platform));
  g_autofree char *clerk = NULL;
  g_autoptr(OwTestResponse) created = NULL;
  g_autoptr(OwTestResponse) catalog = NULL;
  g_autoptr(OwTestResponse) get = NULL;
  g_autoptr(OwTestResponse) again = NULL;
  g_autoptr(OwTestResponse) calendar_before = NULL;
  g_autoptr(OwTestResponse) calendar_after = NULL;
  g_autoptr(GError) error = NULL;

  created = put_case (fixture, case_no, body);
  g_assert_cmpuint (created->status, ==, 201);
  calendar_before = request (fixture, "GET", "/api/v1/calendar?year=2025", fixture->clerk, NULL);
  g_assert_cmpuint (calendar_before->status, ==, 200);

  /* Twice, so that seeding ran three times on the same file. */
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ow_test_platform_get_base_uri (fixture->platform), ==, old_uri);
  g_assert_true (ow_test_platform_stop (fixture->platform));
  assert_database_seeded_once (fixture);
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);

  /* Sessions survive a restart. */
  get = request (fixture, "GET", path, fixture->clerk, NULL);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpstr (ow_test_response_get_string (get, "case_no"), ==, case_no);

  again = put_case (fixture, case_no, body);
  g_assert_cmpuint (again->status, ==, 200);

  /* Seeding again changed nothing: the same revision, the same items, the same days. */
  catalog = request (fixture, "GET", "/api/v1/catalog", fixture->clerk, NULL);
  g_assert_cmpuint (catalog->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (catalog->headers, "ETag"), ==, "\"rev-3\"");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (catalog->json), "items")), ==, 2);
  calendar_after = request (fixture, "GET", "/api/v1/calendar?year=2025", fixture->clerk, NULL);
  g_assert_true (json_node_equal (calendar_before->json, calendar_after->json));

  clerk = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  g_assert_nonnull (clerk);
}

static void
test_catalog_revision (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *catalog_path = g_build_filename (fixture->data_dir, "catalog.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestResponse) catalog = NULL;
  g_autoptr(OwTestResponse) delta = NULL;
  g_autofree char *removed_id = NULL;
  JsonObject *root;
  JsonArray *items, *removed;

  /* A changed catalog file becomes a new revision on the next start. */
  g_file_get_contents (catalog_path, &contents, NULL, &error);
  g_assert_no_error (error);
  changed = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (changed, "公共场所卫生许可", "公共场所卫生许可（变更）", 1),
                    ==, 1);
  g_file_set_contents (catalog_path, changed->str, -1, &error);
  g_assert_no_error (error);

  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);

  catalog = request (fixture, "GET", "/api/v1/catalog", fixture->clerk, NULL);
  g_assert_cmpuint (catalog->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (catalog->headers, "ETag"), ==, "\"rev-4\"");

  /* Then one item is withdrawn from the catalog, with the bundle that named it: revision 5. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    JsonArray *seeded;
    g_autofree char *text = NULL;

    g_assert_true (json_parser_load_from_data (parser, changed->str, -1, &error));
    seeded = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "items");
    g_assert_cmpuint (json_array_get_length (seeded), >, 1);
    /* The first item, not the renamed one. */
    removed_id = g_strdup (json_object_get_string_member (
                             json_array_get_object_element (seeded, 0), "id"));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (seeded, 0),
                                                    "name"), !=, "公共场所卫生许可（变更）");
    json_array_remove_element (seeded, 0);
    /* The bundle named it: the bundle goes too, or the catalog would not load. */
    json_object_set_array_member (json_node_get_object (json_parser_get_root (parser)), "bundles",
                                  json_array_new ());
    json_generator_set_root (generator, json_parser_get_root (parser));
    text = json_generator_to_data (generator, NULL);
    g_file_set_contents (catalog_path, text, -1, &error);
    g_assert_no_error (error);
  }
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);

  /* Since revision 3: the renamed item and the withdrawn one, nothing else. */
  delta = request (fixture, "GET", "/api/v1/catalog?since=3", fixture->clerk, NULL);
  g_assert_cmpuint (delta->status, ==, 200);
  root = json_node_get_object (delta->json);
  g_assert_cmpint (json_object_get_int_member (root, "revision"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (root, "since"), ==, 3);
  items = json_object_get_array_member (root, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "name"),
                   ==, "公共场所卫生许可（变更）");
  removed = json_object_get_array_member (root, "removed");
  g_assert_cmpuint (json_array_get_length (removed), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (removed, 0), ==, removed_id);
  g_assert_true (json_object_has_member (root, "departments"));
  g_assert_true (json_object_has_member (root, "bundles"));

  /* Since the newest revision: nothing. */
  g_clear_pointer (&delta, ow_test_response_free);
  delta = request (fixture, "GET", "/api/v1/catalog?since=5", fixture->clerk, NULL);
  g_assert_cmpuint (delta->status, ==, 200);
  root = json_node_get_object (delta->json);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "items")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "removed")), ==, 0);

  /* A revision the platform never had, or not a number: 422 naming "since". */
  g_clear_pointer (&delta, ow_test_response_free);
  delta = request (fixture, "GET", "/api/v1/catalog?since=99", fixture->clerk, NULL);
  g_assert_cmpuint (delta->status, ==, 422);
  g_assert_cmpstr (ow_test_response_error_field (delta), ==, "since");
  g_clear_pointer (&delta, ow_test_response_free);
  delta = request (fixture, "GET", "/api/v1/catalog?since=rev-3", fixture->clerk, NULL);
  g_assert_cmpuint (delta->status, ==, 422);
  g_assert_cmpstr (ow_test_response_error_field (delta), ==, "since");
}

static void
test_shipped_catalog (void)
{
  g_autofree char *catalog = g_build_filename (g_getenv ("OW_DATA_DIR"), "catalog.json", NULL);
  g_autoptr(OwTestPlatform) platform = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  if (!g_file_test (catalog, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("data/catalog.json is not there yet");
      return;
    }

  /* The demo the README starts: the shipped data seeds and serves. */
  platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (ow_test_platform_get_banner (platform), "demo user clerk"));
  token = ow_test_platform_login (platform, "supervisor", "demo", &error);
  g_assert_no_error (error);
  response = ow_test_platform_request (platform, "GET", "/api/v1/catalog", token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (response->json), "items")), >, 0);
}

static void
test_bad_data_dir (void)
{
  g_autoptr(OwTestPlatform) platform = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = g_dir_make_tmp ("ow-platform-empty-XXXXXX", NULL);

  /* No catalog to seed from: the platform says so and exits instead of serving nothing. */
  platform = ow_test_platform_start_full (empty, TRUE, &error);
  g_assert_null (platform);
  g_assert_nonnull (error);
  g_rmdir (empty);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/platform/sessions/login", test_login);
  ADD ("/platform/sessions/logout", test_logout);
  ADD ("/platform/sessions/lockout", test_login_lockout);
  ADD ("/platform/sessions/no-token", test_no_token);
  ADD ("/platform/sessions/wrong-role", test_wrong_role);
  ADD ("/platform/catalog/etag", test_catalog_etag);
  ADD ("/platform/catalog/new-revision", test_catalog_revision);
  ADD ("/platform/calendar/2026", test_calendar);
  ADD ("/platform/cases/put", test_case_put);
  ADD ("/platform/cases/member-order", test_case_member_order);
  ADD ("/platform/cases/invalid", test_case_invalid);
  ADD ("/platform/cases/too-large", test_case_too_large);
  ADD ("/platform/hostile", test_hostile);
  ADD ("/platform/restart", test_restart);
  g_test_add_func ("/platform/shipped-catalog", test_shipped_catalog);
  g_test_add_func ("/platform/bad-data-dir", test_bad_data_dir);

  return g_test_run ();
}
