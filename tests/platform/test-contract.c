/* test-contract.c — the platform's contract v1 beyond sessions and catalog, on the real process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files, case events, the case list, the changes feed, the demo back office, the admin CLI and
 * session expiry. The platform is started through a small wrapper script (see main()) so that
 * each test can pass its own --demo-delay and --session-ttl while tests/common starts, stops and
 * cleans up the real binary as for every other suite.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "core/ow-case-number.h"
#include "ow-test-platform.h"
#include "ow-test-postgres.h"

#define GOOD_ID "11010519491231002X"

typedef struct
{
  OwTestPlatform *platform;
  char           *clerk;
  char           *pickup;
  char           *department;
  char           *supervisor;
} Fixture;

static char *real_binary;
static char *wrapper_dir;

/* Helpers ---------------------------------------------------------------------------------- */

/* @data: the demo back office's delay in seconds, as text, or NULL for one that never comes
 * during a test (so that no test but its own races it). */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (data != NULL)
    g_setenv ("OW_TEST_DEMO_DELAY", data, TRUE);
  fixture->platform = ow_test_platform_start (&error);
  g_unsetenv ("OW_TEST_DEMO_DELAY");
  g_assert_no_error (error);

  fixture->clerk = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  fixture->pickup = ow_test_platform_login (fixture->platform, "pickup", "demo", &error);
  g_assert_no_error (error);
  fixture->department = ow_test_platform_login (fixture->platform, "department", "demo", &error);
  g_assert_no_error (error);
  fixture->supervisor = ow_test_platform_login (fixture->platform, "supervisor", "demo", &error);
  g_assert_no_error (error);
}

/* For tests whose cases must stay where the test puts them, across restarts that take longer
 * than the demo back office's one second: it is kept out of the way for the whole test. */
static void
fixture_set_up_without_backoffice (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_setenv ("OW_TEST_DEMO_DELAY", "3600", TRUE);
  fixture_set_up (fixture, data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_true (ow_test_platform_stop (fixture->platform));
  g_clear_pointer (&fixture->platform, ow_test_platform_free);
  g_unsetenv ("OW_TEST_DEMO_DELAY");
  g_free (fixture->clerk);
  g_free (fixture->pickup);
  g_free (fixture->department);
  g_free (fixture->supervisor);
}

static char *
make_case_no (guint sequence,
              guint counter)
{
  g_autoptr(GError) error = NULL;
  GDate today;
  char *case_no;

  ow_test_today (&today);
  case_no = ow_case_number_make ("46010001", counter, &today, sequence, &error);
  g_assert_no_error (error);
  return case_no;
}

/* A valid case at @counter whose one material has the pages @files (a JSON list). */
static char *
make_case_json_full (const char *case_no,
                     guint       counter,
                     const char *department,
                     const char *files)
{
  GDate promised;
  char promised_text[16];

  ow_test_today (&promised);
  g_date_add_days (&promised, 14);
  g_snprintf (promised_text, sizeof promised_text, "%04u-%02u-%02u", g_date_get_year (&promised),
              g_date_get_month (&promised), g_date_get_day (&promised));

  return g_strdup_printf (
    "{\"case_no\": \"%s\", \"query_code\": \"K7Q2MX\", \"state\": \"accepted\","
    " \"hall\": \"46010001\", \"counter\": %u, \"clerk\": \"clerk\","
    " \"received_at\": \"2026-01-05T06:30:00Z\", \"promised_date\": \"%s\","
    " \"document_no\": \"海口政服受〔2026〕1号\","
    " \"applicant\": {\"kind\": \"person\", \"name\": \"张三\", \"id_number\": \"%s\","
    "   \"phone\": \"13800138000\", \"address\": \"海口市龙华区\", \"contact_name\": null},"
    " \"agent\": null,"
    " \"items\": [{\"item_id\": \"11460100MB1234567X400011\", \"basic_code\": \"000117001\","
    "   \"name\": \"食品经营许可（新办）\", \"department\": \"%s\"}],"
    " \"materials\": [{\"material_id\": \"m1\", \"name\": \"食品经营许可申请书\","
    "   \"status\": \"%s\", \"originals\": 1, \"copies\": 0, \"licence_no\": null,"
    "   \"due_date\": null, \"note\": null, \"files\": %s}],"
    " \"delivery\": {\"kind\": \"pickup\", \"recipient\": null, \"phone\": null,"
    "   \"address\": null},"
    " \"refusal\": null}",
    case_no, counter, promised_text, GOOD_ID, department,
    g_str_equal (files, "[]") ? "paper" : "scanned", files);
}

static char *
make_case_json (const char *case_no)
{
  return make_case_json_full (case_no, 7, "海口市市场监督管理局", "[]");
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

/* Sends raw bytes with a content type of our choosing (ow_test_http sends JSON only). */
static OwTestResponse *
request_bytes (Fixture    *fixture,
               const char *method,
               const char *path,
               const char *token,
               const char *content_type,
               GBytes     *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *authorization = NULL;
  OwTestResponse *response;

  uri = g_strconcat (ow_test_platform_get_base_uri (fixture->platform), path + 1, NULL);
  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);
  if (token != NULL)
    {
      authorization = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
    }
  soup_message_set_request_body_from_bytes (msg, content_type, body);
  session = soup_session_new_with_options ("timeout", 60, "proxy-resolver", NULL, NULL);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  response = g_new0 (OwTestResponse, 1);
  response->status = soup_message_get_status (msg);
  response->body = g_bytes_ref (bytes);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_strcmp0 (soup_message_headers_get_content_type (response->headers, NULL),
                 "application/json") == 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      response->json = json_from_string (text, NULL);
    }
  return response;
}

static void
assert_status (OwTestResponse *response,
               guint           status)
{
  if (response->status != status && response->body != NULL)
    g_test_message ("body: %.*s", (int) g_bytes_get_size (response->body),
                    (const char *) g_bytes_get_data (response->body, NULL));
  g_assert_cmpuint (response->status, ==, status);
}

static void
assert_error (OwTestResponse *response,
              guint           status,
              const char     *code,
              const char     *field)
{
  assert_status (response, status);
  g_assert_cmpstr (ow_test_response_error_code (response), ==, code);
  if (field != NULL)
    g_assert_cmpstr (ow_test_response_error_field (response), ==, field);
}

static void
put_case_ok (Fixture    *fixture,
             const char *case_no,
             const char *body)
{
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autoptr(OwTestResponse) r = request (fixture, "PUT", path, fixture->clerk, body);

  assert_status (r, 201);
}

static OwTestResponse *
post_event (Fixture    *fixture,
            const char *case_no,
            const char *token,
            const char *id,
            const char *kind,
            const char *extra)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);
  g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"kind\": \"%s\", "
                                           "\"at\": \"2026-11-25T06:30:00Z\"%s}",
                                           id, kind, extra != NULL ? extra : "");

  return request (fixture, "POST", path, token, body);
}

static char *
get_case_state (Fixture    *fixture,
                const char *case_no)
{
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autoptr(OwTestResponse) r = request (fixture, "GET", path, fixture->pickup, NULL);

  assert_status (r, 200);
  return g_strdup (ow_test_response_get_string (r, "state"));
}

static JsonArray *
get_array (OwTestResponse *response,
           const char     *member)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_object_get_array_member (json_node_get_object (response->json), member);
}

/* Files ------------------------------------------------------------------------------------ */

static void
test_files (Fixture       *fixture,
            gconstpointer  data)
{
  static const char page[] = "\x89PNG\r\n\x1a\n a scanned page";
  g_autoptr(GBytes) bytes = g_bytes_new_static (page, sizeof page - 1);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *path = g_strconcat ("/api/v1/files/", sha, NULL);
  g_autofree char *other = g_strconcat ("/api/v1/files/", "00", sha + 2, NULL);
  g_autofree char *case_no = make_case_no (1, 7);
  g_autofree char *files = g_strdup_printf ("[\"%s\"]", sha);
  g_autofree char *case_body = make_case_json_full (case_no, 7, "海口市市场监督管理局", files);
  g_autofree char *case_path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  OwTestResponse *r;

  /* A case naming a page not uploaded yet is refused, naming the page. */
  r = request (fixture, "PUT", case_path, fixture->clerk, case_body);
  assert_error (r, 422, "invalid", "materials[0].files[0]");
  ow_test_response_free (r);

  /* Counters upload (the clerk's scans, the pick-up window's authorisation letters); the
   * supervisor's desk does not. */
  r = request_bytes (fixture, "PUT", path, fixture->supervisor, "image/png", bytes);
  assert_error (r, 403, "forbidden", NULL);
  ow_test_response_free (r);
  r = request_bytes (fixture, "PUT", path, NULL, "image/png", bytes);
  assert_error (r, 401, "unauthorized", NULL);
  ow_test_response_free (r);

  r = request_bytes (fixture, "PUT", path, fixture->clerk, "image/png", bytes);
  assert_status (r, 201);
  ow_test_response_free (r);
  r = request_bytes (fixture, "PUT", path, fixture->clerk, "image/png", bytes);
  assert_status (r, 200);
  ow_test_response_free (r);

  r = request (fixture, "GET", path, fixture->pickup, NULL);
  assert_status (r, 200);
  g_assert_true (g_bytes_equal (r->body, bytes));
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "image/png");
  ow_test_response_free (r);

  /* The bytes must hash to the name. */
  r = request_bytes (fixture, "PUT", other, fixture->clerk, "image/png", bytes);
  assert_error (r, 422, "invalid", "sha256");
  ow_test_response_free (r);
  r = request (fixture, "GET", other, fixture->clerk, NULL);
  assert_error (r, 404, "not-found", NULL);
  ow_test_response_free (r);
  r = request_bytes (fixture, "PUT", "/api/v1/files/not-a-hash", fixture->clerk, "image/png",
                     bytes);
  assert_error (r, 422, "invalid", "sha256");
  ow_test_response_free (r);
  r = request_bytes (fixture, "PUT", path, fixture->clerk, "text/html", bytes);
  assert_error (r, 422, "invalid", "content_type");
  ow_test_response_free (r);

  /* Now the case may name it. */
  r = request (fixture, "PUT", case_path, fixture->clerk, case_body);
  assert_status (r, 201);
  ow_test_response_free (r);
}

static void
test_file_too_large (Fixture       *fixture,
                     gconstpointer  data)
{
  gsize size = 20 * 1024 * 1024 + 1;
  g_autofree char *big = g_malloc0 (size);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&big), size);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *path = g_strconcat ("/api/v1/files/", sha, NULL);
  g_autoptr(GBytes) fits = g_bytes_new_from_bytes (bytes, 0, size - 1);
  g_autofree char *fits_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, fits);
  g_autofree char *fits_path = g_strconcat ("/api/v1/files/", fits_sha, NULL);
  OwTestResponse *r;

  r = request_bytes (fixture, "PUT", path, fixture->clerk, "application/pdf", bytes);
  assert_error (r, 413, "too-large", NULL);
  ow_test_response_free (r);

  /* Exactly 20 MiB is allowed. */
  r = request_bytes (fixture, "PUT", fits_path, fixture->clerk, "application/pdf", fits);
  assert_status (r, 201);
  ow_test_response_free (r);
  r = request (fixture, "GET", fits_path, fixture->clerk, NULL);
  assert_status (r, 200);
  g_assert_true (g_bytes_equal (r->body, fits));
  ow_test_response_free (r);
}

/* Case events ------------------------------------------------------------------------------ */

static void
test_events (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (2, 7);
  g_autofree char *body = make_case_json (case_no);
  g_autofree char *state = NULL;
  g_autofree char *events_path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);
  OwTestResponse *r;
  JsonArray *events;

  put_case_ok (fixture, case_no, body);

  /* Roles: only a department decides. */
  r = post_event (fixture, case_no, fixture->pickup, "ev-1", "approved", NULL);
  assert_error (r, 403, "forbidden", NULL);
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->clerk, "ev-1", "approved", NULL);
  assert_error (r, 403, "forbidden", NULL);
  ow_test_response_free (r);

  /* The state machine: nothing is handed over before it is ready. */
  r = post_event (fixture, case_no, fixture->pickup, "ev-0", "handed-over", NULL);
  assert_error (r, 422, "invalid", "kind");
  ow_test_response_free (r);

  r = post_event (fixture, case_no, fixture->department, "ev-1", "approved", NULL);
  assert_status (r, 201);
  g_assert_cmpstr (ow_test_response_get_string (r, "id"), ==, "ev-1");
  ow_test_response_free (r);
  state = get_case_state (fixture, case_no);
  g_assert_cmpstr (state, ==, "approved");

  /* Idempotent on its id; another body under it conflicts. */
  r = post_event (fixture, case_no, fixture->department, "ev-1", "approved", NULL);
  assert_status (r, 200);
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->department, "ev-1", "approved",
                  ", \"note\": \"另一个\"");
  assert_error (r, 409, "conflict", "id");
  ow_test_response_free (r);
  /* A second approval under a new id is not a resend: the state machine forbids it. */
  r = post_event (fixture, case_no, fixture->department, "ev-1b", "approved", NULL);
  assert_error (r, 422, "invalid", "kind");
  ow_test_response_free (r);

  r = post_event (fixture, case_no, fixture->department, "ev-2", "result-ready", NULL);
  assert_status (r, 201);
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->pickup, "ev-3", "mailed", NULL);
  assert_error (r, 422, "invalid", "waybill");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->pickup, "ev-3", "mailed",
                  ", \"waybill\": \"SF1234567890\"");
  assert_status (r, 201);
  ow_test_response_free (r);
  g_clear_pointer (&state, g_free);
  state = get_case_state (fixture, case_no);
  g_assert_cmpstr (state, ==, "mailed");

  r = request (fixture, "GET", events_path, fixture->supervisor, NULL);
  assert_status (r, 200);
  events = get_array (r, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                  "kind"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 2),
                                                  "waybill"), ==, "SF1234567890");
  ow_test_response_free (r);

  /* Wrong shapes. */
  r = post_event (fixture, case_no, fixture->pickup, "ev-4", "teleported", NULL);
  assert_error (r, 422, "invalid", "kind");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->pickup, "ev 4; DROP TABLE cases", "delivered", NULL);
  assert_error (r, 422, "invalid", "id");
  ow_test_response_free (r);
  r = request (fixture, "POST", events_path, fixture->pickup,
               "{\"id\": \"ev-5\", \"kind\": \"delivered\", \"at\": \"yesterday\"}");
  assert_error (r, 422, "invalid", "at");
  ow_test_response_free (r);
  r = request (fixture, "POST", events_path, fixture->pickup,
               "{\"id\": 5, \"kind\": \"delivered\", \"at\": \"2026-11-25T06:30:00Z\"}");
  assert_error (r, 422, "invalid", "id");
  ow_test_response_free (r);
  r = request (fixture, "POST", events_path, fixture->pickup, "{\"id\": ");
  assert_error (r, 400, "malformed", NULL);
  ow_test_response_free (r);
  r = post_event (fixture, "4601000107202611259999X", fixture->pickup, "ev-6", "delivered", NULL);
  assert_error (r, 404, "not-found", NULL);
  ow_test_response_free (r);
  r = request (fixture, "DELETE", events_path, fixture->pickup, NULL);
  assert_error (r, 405, "malformed", NULL);
  ow_test_response_free (r);

  r = post_event (fixture, case_no, fixture->pickup, "ev-7", "delivered", NULL);
  assert_status (r, 201);
  ow_test_response_free (r);
}

/* Listing cases ---------------------------------------------------------------------------- */

static guint
count_listed (Fixture    *fixture,
              const char *query)
{
  g_autofree char *path = g_strconcat ("/api/v1/cases?", query, NULL);
  g_autoptr(OwTestResponse) r = request (fixture, "GET", path, fixture->supervisor, NULL);

  assert_status (r, 200);
  return json_array_get_length (get_array (r, "cases"));
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  guint pages = 0;
  OwTestResponse *r;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *case_no = make_case_no (10 + i, i < 3 ? 7 : 8);
      g_autofree char *body = make_case_json_full (case_no, i < 3 ? 7 : 8,
                                                   i == 4 ? "海口市卫生健康委员会"
                                                          : "海口市市场监督管理局", "[]");

      put_case_ok (fixture, case_no, body);
    }

  /* Paged two at a time: every case exactly once, in the order they changed. */
  do
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/cases?limit=2%s%s",
                                               cursor != NULL ? "&after=" : "",
                                               cursor != NULL ? cursor : "");
      JsonArray *cases;
      JsonNode *next;

      r = request (fixture, "GET", path, fixture->supervisor, NULL);
      assert_status (r, 200);
      cases = get_array (r, "cases");
      g_assert_cmpuint (json_array_get_length (cases), <=, 2);
      for (guint i = 0; i < json_array_get_length (cases); i++)
        {
          JsonObject *kase = json_array_get_object_element (cases, i);

          g_assert_cmpstr (json_object_get_string_member (kase, "state"), ==, "accepted");
          g_assert_true (g_hash_table_add (seen,
                                           g_strdup (json_object_get_string_member (kase,
                                                                                    "case_no"))));
        }
      next = json_object_get_member (json_node_get_object (r->json), "next");
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (next))
        cursor = g_strdup (json_node_get_string (next));
      ow_test_response_free (r);
      pages++;
    }
  while (cursor != NULL);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 5);
  g_assert_cmpuint (pages, ==, 3);

  g_assert_cmpuint (count_listed (fixture, "state=accepted"), ==, 5);
  g_assert_cmpuint (count_listed (fixture, "state=approved"), ==, 0);
  g_assert_cmpuint (count_listed (fixture, "counter=8"), ==, 2);
  g_assert_cmpuint (count_listed (fixture, "hall=46010001&counter=7"), ==, 3);
  g_assert_cmpuint (count_listed (fixture, "hall=46010002"), ==, 0);
  g_assert_cmpuint (count_listed (fixture, "department=%E6%B5%B7%E5%8F%A3%E5%B8%82%E5%8D%AB"
                                           "%E7%94%9F%E5%81%A5%E5%BA%B7%E5%A7%94%E5%91%98"
                                           "%E4%BC%9A"), ==, 1);
  g_assert_cmpuint (count_listed (fixture, "updated_since=2000-01-01T00:00:00Z"), ==, 5);
  g_assert_cmpuint (count_listed (fixture, "updated_since=2099-01-01T00:00:00Z"), ==, 0);
  g_assert_cmpuint (count_listed (fixture, "department=%27%20OR%201%3D1%20--"), ==, 0);

  r = request (fixture, "GET", "/api/v1/cases?state=teleported", fixture->clerk, NULL);
  assert_error (r, 422, "invalid", "state");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/cases?updated_since=today", fixture->clerk, NULL);
  assert_error (r, 422, "invalid", "updated_since");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/cases?limit=100000", fixture->clerk, NULL);
  assert_error (r, 422, "invalid", "limit");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/cases?after=x", fixture->clerk, NULL);
  assert_error (r, 422, "invalid", "after");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/cases", NULL, NULL);
  assert_error (r, 401, "unauthorized", NULL);
  ow_test_response_free (r);
}

/* The changes feed ------------------------------------------------------------------------- */

typedef struct
{
  char   *uri;
  char   *token;
  gint64  elapsed;
  OwTestResponse *response;
} Poll;

static gpointer
poll_thread (gpointer user_data)
{
  Poll *poll = user_data;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  poll->response = ow_test_http ("GET", poll->uri, poll->token, NULL, NULL, &error);
  g_assert_no_error (error);
  poll->elapsed = g_get_monotonic_time () - start;
  return NULL;
}

/* As poll_thread, but an answer and a closed connection are both fine: the platform is stopped
 * under it. */
static gpointer
poll_thread_tolerant (gpointer user_data)
{
  Poll *poll = user_data;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  poll->response = ow_test_http ("GET", poll->uri, poll->token, NULL, NULL, &error);
  poll->elapsed = g_get_monotonic_time () - start;
  return NULL;
}

static void
test_changes (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (20, 7);
  g_autofree char *body = make_case_json (case_no);
  g_autofree char *cursor = NULL;
  g_autofree char *path = NULL;
  Poll poll = { 0, };
  GThread *thread;
  OwTestResponse *r;
  JsonArray *changes;
  gint64 start;

  /* From the beginning: the catalog the platform was seeded with. */
  r = request (fixture, "GET", "/api/v1/changes", fixture->clerk, NULL);
  assert_status (r, 200);
  changes = get_array (r, "changes");
  g_assert_cmpuint (json_array_get_length (changes), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0),
                                                  "kind"), ==, "catalog");
  /* … and the calendar, one change per year of the national schedule. */
  {
    gboolean calendar_2026 = FALSE;

    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *change = json_array_get_object_element (changes, i);

        if (g_str_equal (json_object_get_string_member (change, "kind"), "calendar") &&
            g_str_equal (json_object_get_string_member (change, "key"), "2026"))
          {
            g_assert_false (calendar_2026);
            calendar_2026 = TRUE;
          }
      }
    g_assert_true (calendar_2026);
  }
  cursor = g_strdup (ow_test_response_get_string (r, "cursor"));
  ow_test_response_free (r);

  /* Nothing new: waits for the timeout, then the same cursor and no changes. */
  path = g_strdup_printf ("/api/v1/changes?since=%s&timeout=1", cursor);
  start = g_get_monotonic_time ();
  r = request (fixture, "GET", path, fixture->clerk, NULL);
  assert_status (r, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_assert_cmpuint (json_array_get_length (get_array (r, "changes")), ==, 0);
  g_assert_cmpstr (ow_test_response_get_string (r, "cursor"), ==, cursor);
  ow_test_response_free (r);

  /* A long poll is answered as soon as a case arrives, well before its timeout. */
  poll.uri = g_strdup_printf ("%sapi/v1/changes?since=%s&timeout=30",
                              ow_test_platform_get_base_uri (fixture->platform), cursor);
  poll.token = fixture->pickup;
  thread = g_thread_new ("poll", poll_thread, &poll);
  g_usleep (300 * 1000);
  put_case_ok (fixture, case_no, body);
  g_thread_join (thread);
  assert_status (poll.response, 200);
  g_assert_cmpint (poll.elapsed, <, 10 * G_USEC_PER_SEC);
  changes = get_array (poll.response, "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0),
                                                  "kind"), ==, "case");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0),
                                                  "key"), ==, case_no);
  g_assert_cmpstr (ow_test_response_get_string (poll.response, "cursor"), !=, cursor);
  g_clear_pointer (&poll.response, ow_test_response_free);
  g_free (poll.uri);

  /* A poll whose client gives up leaves the platform well. */
  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GSocketConnection) connection = NULL;
    g_autoptr(GUri) base = g_uri_parse (ow_test_platform_get_base_uri (fixture->platform),
                                        G_URI_FLAGS_NONE, NULL);
    g_autofree char *text = g_strdup_printf ("GET /api/v1/changes?since=999999&timeout=30 "
                                             "HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s"
                                             "\r\n\r\n", fixture->clerk);
    g_autoptr(GError) error = NULL;

    connection = g_socket_client_connect_to_host (client, g_uri_get_host (base),
                                                  (guint16) g_uri_get_port (base), NULL, &error);
    g_assert_no_error (error);
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), text,
                               strlen (text), NULL, NULL, &error);
    g_assert_no_error (error);
    g_usleep (200 * 1000);
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  }
  r = request (fixture, "GET", "/api/v1/changes?timeout=0", fixture->clerk, NULL);
  assert_status (r, 200);
  ow_test_response_free (r);

  /* Stopping the platform while a poll waits: it still exits cleanly, and at once. */
  {
    g_autoptr(GError) error = NULL;
    Poll waiting = { 0, };

    waiting.uri = g_strdup_printf ("%sapi/v1/changes?since=999999&timeout=30",
                                   ow_test_platform_get_base_uri (fixture->platform));
    waiting.token = fixture->clerk;
    thread = g_thread_new ("poll", poll_thread_tolerant, &waiting);
    g_usleep (300 * 1000);
    g_assert_true (ow_test_platform_stop (fixture->platform));
    g_thread_join (thread);
    g_assert_cmpint (waiting.elapsed, <, 10 * G_USEC_PER_SEC);
    g_clear_pointer (&waiting.response, ow_test_response_free);
    g_free (waiting.uri);

    ow_test_platform_restart (fixture->platform, &error);
    g_assert_no_error (error);
  }

  r = request (fixture, "GET", "/api/v1/changes?timeout=61", fixture->clerk, NULL);
  assert_error (r, 422, "invalid", "timeout");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/changes?since=-1", fixture->clerk, NULL);
  assert_error (r, 422, "invalid", "since");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/changes", NULL, NULL);
  assert_error (r, 401, "unauthorized", NULL);
  ow_test_response_free (r);
}

/* The demo back office --------------------------------------------------------------------- */

static void
test_backoffice (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (30, 7);
  g_autofree char *body = make_case_json (case_no);
  g_autofree char *events_path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);
  g_autofree char *state = NULL;
  OwTestResponse *r;
  JsonArray *events;
  const char *first_id, *second_id;

  put_case_ok (fixture, case_no, body);
  /* --demo-delay 1 (main's ADD): approved after a second, ready a second later. */
  for (guint i = 0; i < 100; i++)
    {
      g_clear_pointer (&state, g_free);
      state = get_case_state (fixture, case_no);
      if (g_str_equal (state, "result-ready"))
        break;
      g_usleep (100 * 1000);
    }
  g_assert_cmpstr (state, ==, "result-ready");

  r = request (fixture, "GET", events_path, fixture->pickup, NULL);
  assert_status (r, 200);
  events = get_array (r, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                  "kind"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1),
                                                  "kind"), ==, "result-ready");
  first_id = json_object_get_string_member (json_array_get_object_element (events, 0), "id");
  second_id = json_object_get_string_member (json_array_get_object_element (events, 1), "id");
  g_assert_cmpstr (first_id, !=, second_id);
  ow_test_response_free (r);

  /* Each step is in the feed. */
  r = request (fixture, "GET", "/api/v1/changes", fixture->pickup, NULL);
  assert_status (r, 200);
  {
    JsonArray *changes = get_array (r, "changes");
    guint moved = 0;

    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *change = json_array_get_object_element (changes, i);

        if (g_str_equal (json_object_get_string_member (change, "kind"), "case-event") &&
            g_str_equal (json_object_get_string_member (change, "key"), case_no))
          moved++;
      }
    g_assert_cmpuint (moved, ==, 2);
  }
  ow_test_response_free (r);

  /* The pick-up window can now hand it over. */
  r = post_event (fixture, case_no, fixture->pickup, "handover-1", "handed-over", NULL);
  assert_status (r, 201);
  ow_test_response_free (r);
}

/* The admin CLI ---------------------------------------------------------------------------- */

static int
run_admin (const char  *stdin_text,
           char       **out,
           char       **err,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, real_binary);
  g_ptr_array_add (argv, (gpointer) "admin");
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text != NULL ? stdin_text : "", NULL,
                                 &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("admin: %s%s", stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

static void
test_admin (Fixture       *fixture,
            gconstpointer  data)
{
  const char *db = ow_test_platform_get_db_path (fixture->platform);
  g_autofree char *case_no = make_case_no (40, 7);
  g_autofree char *body = make_case_json (case_no);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;
  g_autofree char *state = NULL;
  g_autofree char *catalog_path = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *missing_db = NULL;
  g_autoptr(GError) error = NULL;
  OwTestResponse *r;

  /* Users: the password comes on stdin, and the new user can log in at once. */
  g_assert_cmpint (run_admin ("s3cret-pass\n", NULL, NULL, "--db", db, "create-user", "wang.li",
                              "--role", "clerk", "--display-name", "王丽", "--counter", "3",
                              NULL), ==, 0);
  token = ow_test_platform_login (fixture->platform, "wang.li", "s3cret-pass", &error);
  g_assert_no_error (error);
  r = request (fixture, "GET", "/api/v1/catalog", token, NULL);
  assert_status (r, 200);
  etag = g_strdup (soup_message_headers_get_one (r->headers, "ETag"));
  ow_test_response_free (r);
  g_assert_cmpint (run_admin ("other\n", NULL, &err, "--db", db, "create-user", "wang.li",
                              "--role", "clerk", "--display-name", "王丽", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_admin ("x\n", NULL, NULL, "--db", db, "create-user", "zhao",
                              "--role", "emperor", "--display-name", "赵", NULL), ==, 2);
  g_assert_cmpint (run_admin ("", NULL, NULL, "--db", db, "create-user", "zhao",
                              "--role", "clerk", "--display-name", "赵", NULL), ==, 2);
  g_assert_cmpint (run_admin ("x\n", NULL, NULL, "--db", db, "create-user", "bad name;--",
                              "--role", "clerk", "--display-name", "赵", NULL), ==, 2);
  /* People are shown by their name, never their user name: it is required. */
  g_assert_cmpint (run_admin ("x\n", NULL, &err, "--db", db, "create-user", "zhao",
                              "--role", "clerk", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--display-name"));
  g_clear_pointer (&err, g_free);

  /* A department user works for a department of the catalog, named by its name or credit code;
   * nobody else does. */
  g_assert_cmpint (run_admin ("x\n", NULL, &err, "--db", db, "create-user", "he.yi",
                              "--role", "department", "--display-name", "何毅", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--department"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_admin ("x\n", NULL, &err, "--db", db, "create-user", "he.yi",
                              "--role", "department", "--display-name", "何毅", "--department",
                              "海口市不存在局", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "海口市不存在局"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_admin ("x\n", NULL, NULL, "--db", db, "create-user", "he.yi",
                              "--role", "clerk", "--display-name", "何毅", "--department",
                              "海口市公安局", NULL), ==, 2);
  g_assert_cmpint (run_admin ("he-pass\n", NULL, NULL, "--db", db, "create-user", "he.yi",
                              "--role", "department", "--display-name", "何毅", "--department",
                              "1146010000828102XC", NULL), ==, 0);
  {
    r = ow_test_platform_request (fixture->platform, "POST", "/api/v1/sessions", NULL,
                                  "{\"username\": \"he.yi\", \"password\": \"he-pass\"}",
                                  &error);
    g_assert_no_error (error);
    assert_status (r, 201);
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (json_node_get_object (r->json), "user"),
                       "department"), ==, "海口市公安局");
    ow_test_response_free (r);
  }
  /* … and moves to another one by its short name. */
  g_assert_cmpint (run_admin (NULL, &out, NULL, "--db", db, "set-department", "he.yi",
                              "--department", "海口民政", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "海口市民政局"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_admin (NULL, NULL, NULL, "--db", db, "set-department", "wang.li",
                              "--department", "海口民政", NULL), ==, 2);
  g_assert_cmpint (run_admin (NULL, NULL, NULL, "--db", db, "set-department", "nobody",
                              "--department", "海口民政", NULL), ==, 1);
  {
    g_autofree char *he = ow_test_platform_login (fixture->platform, "he.yi", "he-pass", &error);

    g_assert_no_error (error);
    g_assert_nonnull (he);
    r = request (fixture, "GET", "/api/v1/users?role=department", fixture->supervisor, NULL);
    assert_status (r, 200);
    {
      JsonArray *users = json_object_get_array_member (json_node_get_object (r->json), "users");
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (users); i++)
        {
          JsonObject *user = json_array_get_object_element (users, i);

          g_assert_false (json_object_has_member (user, "password_hash"));
          if (g_str_equal (json_object_get_string_member (user, "username"), "he.yi"))
            {
              g_assert_cmpstr (json_object_get_string_member (user, "department"), ==,
                               "海口市民政局");
              g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==,
                               "何毅");
              found = TRUE;
            }
        }
      g_assert_true (found);
    }
    ow_test_response_free (r);
  }

  /* A clerk of another hall may log in, but not move this hall's cases. */
  g_assert_cmpint (run_admin ("elsewhere\n", NULL, NULL, "--db", db, "create-user", "other.clerk",
                              "--role", "clerk", "--display-name", "周敏", "--hall", "46010002",
                              "--counter", "1", NULL), ==, 2);
  g_assert_cmpint (run_admin ("elsewhere\n", NULL, NULL, "--db", db, "create-user", "other.clerk",
                              "--role", "clerk", "--display-name", "周敏", "--hall", "46010002",
                              "--hall-name", "某区政务中心", "--counter", "1", NULL), ==, 0);
  {
    g_autofree char *other = ow_test_platform_login (fixture->platform, "other.clerk",
                                                     "elsewhere", &error);
    g_autofree char *other_no = make_case_no (41, 7);
    g_autofree char *other_body = make_case_json (other_no);

    g_assert_no_error (error);
    put_case_ok (fixture, other_no, other_body);
    r = post_event (fixture, other_no, other, "elsewhere-1", "withdrawn", NULL);
    assert_error (r, 403, "forbidden", "hall");
    ow_test_response_free (r);
    r = post_event (fixture, other_no, fixture->clerk, "here-1", "withdrawn", NULL);
    assert_status (r, 201);
    ow_test_response_free (r);
  }

  /* A catalog import is a new revision, seen through the ETag. */
  catalog_path = g_build_filename (ow_test_platform_get_tmp_dir (fixture->platform),
                                   "catalog-new.json", NULL);
  {
    g_autofree char *shipped = g_build_filename (g_getenv ("OW_DATA_DIR"), "catalog.json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    JsonObject *root;

    json_parser_load_from_file (parser, shipped, &error);
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    json_object_set_string_member (root, "comment", "a changed catalog");
    json_generator_set_root (generator, json_parser_get_root (parser));
    json_generator_to_file (generator, catalog_path, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (run_admin (NULL, &out, NULL, "--db", db, "import-catalog", catalog_path, NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "revision 2"));
  g_clear_pointer (&out, g_free);
  r = request (fixture, "GET", "/api/v1/catalog", token, NULL);
  assert_status (r, 200);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "ETag"), !=, etag);
  ow_test_response_free (r);
  catalog = g_build_filename (ow_test_platform_get_tmp_dir (fixture->platform), "nothing.json",
                              NULL);
  g_assert_cmpint (run_admin (NULL, NULL, NULL, "--db", db, "import-catalog", catalog, NULL),
                   ==, 1);

  /* Cases: listed, and moved on through the state machine. */
  put_case_ok (fixture, case_no, body);
  g_assert_cmpint (run_admin (NULL, &out, NULL, "--db", db, "list-cases", "--state", "accepted",
                              NULL), ==, 0);
  g_assert_nonnull (strstr (out, case_no));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_admin (NULL, &out, NULL, "--db", db, "list-cases", "--state", "approved",
                              NULL), ==, 0);
  g_assert_null (strstr (out, case_no));
  g_assert_cmpint (run_admin (NULL, NULL, NULL, "--db", db, "list-cases", "--state", "nirvana",
                              NULL), ==, 2);

  g_assert_cmpint (run_admin (NULL, NULL, NULL, "--db", db, "move-case", case_no, "approved",
                              NULL), ==, 0);
  state = get_case_state (fixture, case_no);
  g_assert_cmpstr (state, ==, "approved");
  g_assert_cmpint (run_admin (NULL, NULL, &err, "--db", db, "move-case", case_no, "approved",
                              NULL), ==, 1);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_admin (NULL, NULL, NULL, "--db", db, "move-case", case_no, "flying",
                              NULL), ==, 2);
  g_assert_cmpint (run_admin (NULL, NULL, &err, "--db", db, "move-case",
                              "4601000107202611259999X", "approved", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no case"));

  /* The command line itself. */
  g_assert_cmpint (run_admin (NULL, NULL, NULL, "list-cases", NULL), ==, 2);
  g_assert_cmpint (run_admin (NULL, NULL, NULL, "--db", db, NULL), ==, 2);
  g_assert_cmpint (run_admin (NULL, NULL, NULL, "--db", db, "reboot", NULL), ==, 2);
  missing_db = g_build_filename (ow_test_platform_get_tmp_dir (fixture->platform), "none.db",
                                 NULL);
  g_assert_cmpint (run_admin (NULL, NULL, NULL, "--db", missing_db, "list-cases", NULL), ==, 1);
  g_assert_false (g_file_test (missing_db, G_FILE_TEST_EXISTS));
}

/* Tickets and ratings ---------------------------------------------------------------------- */

static OwTestResponse *
put_ticket (Fixture    *fixture,
            const char *token,
            const char *id,
            const char *registered_at,
            const char *tier,
            const char *extra)
{
  g_autofree char *path = g_strconcat ("/api/v1/tickets/", id, NULL);
  g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"registered_at\": \"%s\", "
                                           "\"tier\": \"%s\", \"summary\": \"营业执照变更办不成\", "
                                           "\"contact_name\": \"张三\", "
                                           "\"contact_phone\": \"13800138000\"%s}",
                                           id, registered_at, tier, extra != NULL ? extra : "");

  return request (fixture, "PUT", path, token, body);
}

static OwTestResponse *
post_ticket_event (Fixture    *fixture,
                   const char *token,
                   const char *ticket,
                   const char *id,
                   const char *kind,
                   const char *extra)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/events", ticket);
  g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"kind\": \"%s\", "
                                           "\"at\": \"2026-11-25T06:30:00Z\"%s}",
                                           id, kind, extra != NULL ? extra : "");

  return request (fixture, "POST", path, token, body);
}

static void
test_tickets (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  OwTestResponse *r;
  JsonArray *list;

  r = put_ticket (fixture, fixture->clerk, "t-1", now_text, "5-working-days", NULL);
  assert_status (r, 201);
  g_assert_cmpstr (ow_test_response_get_string (r, "state"), ==, "registered");
  g_assert_nonnull (ow_test_response_get_string (r, "due_date"));
  g_assert_false (json_object_get_boolean_member (json_node_get_object (r->json), "overdue"));
  ow_test_response_free (r);
  r = put_ticket (fixture, fixture->clerk, "t-1", now_text, "5-working-days", NULL);
  assert_status (r, 200);
  ow_test_response_free (r);
  r = put_ticket (fixture, fixture->clerk, "t-1", now_text, "10-working-days", NULL);
  assert_error (r, 409, "conflict", "id");
  ow_test_response_free (r);

  /* Monday 5 January 2026 plus five working days; long past, so overdue. */
  r = put_ticket (fixture, fixture->pickup, "t-old", "2026-01-05T02:00:00Z", "5-working-days",
                  NULL);
  assert_status (r, 201);
  g_assert_cmpstr (ow_test_response_get_string (r, "due_date"), ==, "2026-01-12");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (r->json), "overdue"));
  ow_test_response_free (r);

  r = put_ticket (fixture, fixture->department, "t-2", now_text, "on-the-spot", NULL);
  assert_error (r, 403, "forbidden", NULL);
  ow_test_response_free (r);
  r = put_ticket (fixture, fixture->clerk, "t-2", now_text, "someday", NULL);
  assert_error (r, 422, "invalid", "tier");
  ow_test_response_free (r);
  r = put_ticket (fixture, fixture->clerk, "t-2", "now", "on-the-spot", NULL);
  assert_error (r, 422, "invalid", "registered_at");
  ow_test_response_free (r);
  r = put_ticket (fixture, fixture->clerk, "t-2", now_text, "on-the-spot",
                  ", \"case_no\": \"4601000107202611259999X\"");
  assert_error (r, 422, "invalid", "case_no");
  ow_test_response_free (r);
  r = request (fixture, "PUT", "/api/v1/tickets/t-2", fixture->clerk,
               "{\"id\": \"t-3\", \"registered_at\": \"2026-11-25T06:30:00Z\", "
               "\"tier\": \"on-the-spot\", \"summary\": \"x\"}");
  assert_error (r, 422, "invalid", "id");
  ow_test_response_free (r);
  r = request (fixture, "PUT", "/api/v1/tickets/t-2", fixture->clerk,
               "{\"id\": \"t-2\", \"registered_at\": \"2026-11-25T06:30:00Z\", "
               "\"tier\": \"on-the-spot\", \"summary\": 42}");
  assert_error (r, 422, "invalid", "summary");
  ow_test_response_free (r);

  /* The state machine, with its roles. */
  r = post_ticket_event (fixture, fixture->clerk, "t-1", "e-1", "assigned",
                         ", \"assignee\": \"clerk\"");
  assert_error (r, 403, "forbidden", NULL);
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->supervisor, "t-1", "e-1", "assigned", NULL);
  assert_error (r, 422, "invalid", "assignee");
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->supervisor, "t-1", "e-1", "assigned",
                         ", \"assignee\": \"nobody\"");
  assert_error (r, 422, "invalid", "assignee");
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->supervisor, "t-1", "e-1", "resolved", NULL);
  assert_error (r, 422, "invalid", "kind");
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->supervisor, "t-1", "e-1", "assigned",
                         ", \"assignee\": \"clerk\"");
  assert_status (r, 201);
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->supervisor, "t-1", "e-1", "assigned",
                         ", \"assignee\": \"clerk\"");
  assert_status (r, 200);
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->supervisor, "t-1", "e-1", "assigned",
                         ", \"assignee\": \"pickup\"");
  assert_error (r, 409, "conflict", "id");
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->pickup, "t-1", "e-2", "started", NULL);
  assert_error (r, 403, "forbidden", NULL);
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->clerk, "t-1", "e-2", "started", NULL);
  assert_status (r, 201);
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->clerk, "t-1", "e-3", "explained",
                         ", \"note\": \"该事项需本人到场\"");
  assert_status (r, 201);
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->supervisor, "t-1", "e-4", "called-back", NULL);
  assert_status (r, 201);
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->supervisor, "t-1", "e-5", "archived", NULL);
  assert_status (r, 201);
  ow_test_response_free (r);
  r = post_ticket_event (fixture, fixture->supervisor, "t-nope", "e-6", "archived", NULL);
  assert_error (r, 404, "not-found", NULL);
  ow_test_response_free (r);

  r = request (fixture, "GET", "/api/v1/tickets/t-1", fixture->pickup, NULL);
  assert_status (r, 200);
  g_assert_cmpstr (ow_test_response_get_string (r, "state"), ==, "archived");
  g_assert_cmpstr (ow_test_response_get_string (r, "assignee"), ==, "clerk");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets/t-1/events", fixture->pickup, NULL);
  assert_status (r, 200);
  g_assert_cmpuint (json_array_get_length (get_array (r, "events")), ==, 5);
  ow_test_response_free (r);

  r = request (fixture, "GET", "/api/v1/tickets?overdue=true", fixture->supervisor, NULL);
  assert_status (r, 200);
  list = get_array (r, "tickets");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "id"),
                   ==, "t-old");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets?assignee=clerk&state=archived",
               fixture->supervisor, NULL);
  assert_status (r, 200);
  g_assert_cmpuint (json_array_get_length (get_array (r, "tickets")), ==, 1);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets?state=registered", fixture->supervisor, NULL);
  assert_status (r, 200);
  g_assert_cmpuint (json_array_get_length (get_array (r, "tickets")), ==, 1);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets?overdue=maybe", fixture->supervisor, NULL);
  assert_error (r, 422, "invalid", "overdue");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets?state=lost", fixture->supervisor, NULL);
  assert_error (r, 422, "invalid", "state");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets/t-404", fixture->supervisor, NULL);
  assert_error (r, 404, "not-found", NULL);
  ow_test_response_free (r);
}

static OwTestResponse *
put_rating (Fixture    *fixture,
            const char *id,
            const char *case_no,
            const char *channel,
            const char *level)
{
  g_autofree char *path = g_strconcat ("/api/v1/ratings/", id, NULL);
  g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"case_no\": \"%s\", "
                                           "\"channel\": \"%s\", \"level\": %s, "
                                           "\"text\": \"等太久了\", "
                                           "\"at\": \"2026-11-25T06:30:00Z\"}",
                                           id, case_no, channel, level);

  return request (fixture, "PUT", path, fixture->clerk, body);
}

static gint64
get_member_int (OwTestResponse *response,
                const char     *object,
                const char     *member)
{
  JsonObject *root = json_node_get_object (response->json);

  return json_object_get_int_member (json_object_get_object_member (root, object), member);
}

static void
test_ratings_and_statistics (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (50, 7);
  g_autofree char *body = make_case_json (case_no);
  OwTestResponse *r;
  JsonObject *catalog;

  put_case_ok (fixture, case_no, body);

  r = put_rating (fixture, "r-1", case_no, "on-site", "5");
  assert_status (r, 201);
  ow_test_response_free (r);
  r = put_rating (fixture, "r-1", case_no, "on-site", "5");
  assert_status (r, 200);
  ow_test_response_free (r);
  r = put_rating (fixture, "r-1", case_no, "on-site", "4");
  assert_error (r, 409, "conflict", "id");
  ow_test_response_free (r);
  /* One on-site rating per case. */
  r = put_rating (fixture, "r-2", case_no, "on-site", "1");
  assert_error (r, 409, "conflict", "case_no");
  ow_test_response_free (r);
  r = put_rating (fixture, "r-2", case_no, "online", "2");
  assert_status (r, 201);
  ow_test_response_free (r);

  r = put_rating (fixture, "r-3", case_no, "online", "6");
  assert_error (r, 422, "invalid", "level");
  ow_test_response_free (r);
  r = put_rating (fixture, "r-3", case_no, "online", "\"5\"");
  assert_error (r, 422, "invalid", "level");
  ow_test_response_free (r);
  r = put_rating (fixture, "r-3", case_no, "online", "4.5");
  assert_error (r, 422, "invalid", "level");
  ow_test_response_free (r);
  r = put_rating (fixture, "r-3", case_no, "fax", "3");
  assert_error (r, 422, "invalid", "channel");
  ow_test_response_free (r);
  r = put_rating (fixture, "r-3", "4601000107202611259999X", "online", "3");
  assert_error (r, 422, "invalid", "case_no");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/ratings/r-1", fixture->supervisor, NULL);
  assert_status (r, 200);
  g_assert_cmpstr (ow_test_response_get_string (r, "channel"), ==, "on-site");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/ratings/r-9", fixture->supervisor, NULL);
  assert_error (r, 404, "not-found", NULL);
  ow_test_response_free (r);

  r = request (fixture, "GET", "/api/v1/statistics", fixture->clerk, NULL);
  assert_error (r, 403, "forbidden", NULL);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/statistics", fixture->supervisor, NULL);
  assert_status (r, 200);
  g_assert_cmpint (get_member_int (r, "cases", "total"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (
                       json_object_get_object_member (json_node_get_object (r->json), "cases"),
                       "by_state"), "accepted"), ==, 1);
  g_assert_cmpint (get_member_int (r, "cases", "overdue"), ==, 0);
  g_assert_cmpint (get_member_int (r, "ratings", "total"), ==, 2);
  g_assert_cmpint (get_member_int (r, "ratings", "poor"), ==, 1);
  g_assert_cmpint (get_member_int (r, "ratings", "needing_follow_up"), ==, 1);
  g_assert_cmpint (get_member_int (r, "tickets", "open"), ==, 0);
  catalog = json_object_get_object_member (json_node_get_object (r->json), "catalog");
  g_assert_cmpint (json_object_get_int_member (catalog, "items"), >, 0);
  g_assert_cmpint (json_object_get_int_member (catalog, "zero_trip_items"), <=,
                   json_object_get_int_member (catalog, "items"));
  ow_test_response_free (r);

  /* A ticket following the poor rating up takes it off the list. */
  r = put_ticket (fixture, fixture->supervisor, "t-r1", "2026-11-25T06:30:00Z", "5-working-days",
                  ", \"rating_id\": \"r-1\"");
  assert_status (r, 201);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/statistics", fixture->supervisor, NULL);
  assert_status (r, 200);
  g_assert_cmpint (get_member_int (r, "ratings", "needing_follow_up"), ==, 0);
  g_assert_cmpint (get_member_int (r, "tickets", "open"), ==, 1);
  ow_test_response_free (r);
}

/* Events that amend the case ---------------------------------------------------------------- */

/* A case waiting for supplements (补正) of 食品经营许可证核发（新办） (legal limit 20 working days),
 * as the counter PUTs it: m1 on paper, m2 and m3 to be supplied, m4 tolerated (容缺) until the
 * promised date @promised. */
static char *
make_supplement_case_json (const char *case_no,
                           const char *promised)
{
  return g_strdup_printf (
    "{\"case_no\": \"%s\", \"query_code\": \"K7Q2MX\", \"state\": \"supplement-requested\","
    " \"hall\": \"46010001\", \"counter\": 7, \"clerk\": \"clerk\","
    " \"received_at\": \"2026-01-05T06:30:00Z\", \"promised_date\": \"%s\","
    " \"document_no\": \"海口政服补〔2026〕1号\","
    " \"applicant\": {\"kind\": \"person\", \"name\": \"张三\", \"id_number\": \"%s\","
    "   \"phone\": \"13800138000\", \"address\": \"海口市龙华区\", \"contact_name\": null},"
    " \"agent\": null,"
    " \"items\": [{\"item_id\": \"01010090046010001001\", \"basic_code\": \"000117001\","
    "   \"name\": \"食品经营许可证核发（新办）\", \"department\": \"海口市市场监督管理局\"}],"
    " \"materials\": ["
    "  {\"material_id\": \"m1\", \"name\": \"食品经营许可申请书\", \"status\": \"paper\","
    "   \"originals\": 1, \"copies\": 0, \"licence_no\": null, \"due_date\": null,"
    "   \"note\": null, \"files\": []},"
    "  {\"material_id\": \"m2\", \"name\": \"营业执照\", \"status\": \"missing\","
    "   \"originals\": 0, \"copies\": 0, \"licence_no\": null, \"due_date\": null,"
    "   \"note\": \"未加盖公章\", \"files\": []},"
    "  {\"material_id\": \"m3\", \"name\": \"经营场所平面图\", \"status\": \"missing\","
    "   \"originals\": 0, \"copies\": 0, \"licence_no\": null, \"due_date\": null,"
    "   \"note\": \"比例不符\", \"files\": []},"
    "  {\"material_id\": \"m4\", \"name\": \"从业人员健康证明\", \"status\": \"tolerated\","
    "   \"originals\": 0, \"copies\": 0, \"licence_no\": null, \"due_date\": \"%s\","
    "   \"note\": null, \"files\": []}],"
    " \"delivery\": {\"kind\": \"pickup\", \"recipient\": null, \"phone\": null,"
    "   \"address\": null},"
    " \"refusal\": null}",
    case_no, promised, GOOD_ID, promised);
}

/* Restarts the platform on its clock set to @now and logs everybody in again. */
static void
restart_at (Fixture    *fixture,
            const char *now)
{
  const char *args[] = { "--now", now, NULL };
  g_autoptr(GError) error = NULL;

  ow_test_platform_set_args (fixture->platform, args);
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_free (fixture->clerk);
  fixture->clerk = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  g_free (fixture->pickup);
  fixture->pickup = ow_test_platform_login (fixture->platform, "pickup", "demo", &error);
  g_assert_no_error (error);
  g_free (fixture->department);
  fixture->department = ow_test_platform_login (fixture->platform, "department", "demo", &error);
  g_assert_no_error (error);
  g_free (fixture->supervisor);
  fixture->supervisor = ow_test_platform_login (fixture->platform, "supervisor", "demo", &error);
  g_assert_no_error (error);
}

static JsonObject *
find_material (OwTestResponse *response,
               const char     *material_id)
{
  JsonArray *materials = get_array (response, "materials");

  for (guint i = 0; i < json_array_get_length (materials); i++)
    {
      JsonObject *line = json_array_get_object_element (materials, i);

      if (g_strcmp0 (json_object_get_string_member (line, "material_id"), material_id) == 0)
        return line;
    }
  g_error ("no material %s", material_id);
  return NULL;
}

/* supplement-received with the lines that arrived, accepted with the new promised date and the
 * acceptance notice's number: each checked (422 naming the member), stored as the case's, an
 * id that comes again still compared with the body it first came with, and the case's first
 * PUT still answered 200. On a set clock: the events happen on Wednesday 2026-11-25 in Haikou,
 * the day the case was made. */
static void
test_event_amendments (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char page[] = "\x89PNG\r\n\x1a\n a supplemented page";
  g_autoptr(GBytes) bytes = g_bytes_new_static (page, sizeof page - 1);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *file_path = g_strconcat ("/api/v1/files/", sha, NULL);
  g_autofree char *case_no = NULL;
  g_autofree char *body = NULL;
  g_autofree char *case_path = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *scanned = NULL;
  g_autofree char *arrived = NULL;
  g_autoptr(GError) error = NULL;
  OwTestResponse *r;
  JsonObject *line;
  JsonArray *events;
  const struct
  {
    const char *kind;
    const char *extra;
    const char *field;
  } refused[] = {
    /* Members on kinds that do not take them. */
    { "supplement-received", ", \"promised_date\": \"2026-12-01\"", "promised_date" },
    { "supplement-received", ", \"document_no\": \"海口政服受〔2026〕2号\"", "document_no" },
    /* The lines: of the case, provided, complete, each once, their pages uploaded. */
    { "supplement-received", ", \"materials\": [{\"material_id\": \"m9\", \"status\": \"paper\", "
      "\"originals\": 1, \"copies\": 0}]", "materials[0].material_id" },
    { "supplement-received", ", \"materials\": [{\"material_id\": \"m2\", \"status\": \"missing\", "
      "\"originals\": 0, \"copies\": 0}]", "materials[0].status" },
    { "supplement-received", ", \"materials\": [{\"material_id\": \"m2\", "
      "\"status\": \"tolerated\", \"originals\": 0, \"copies\": 0}]", "materials[0].status" },
    { "supplement-received", ", \"materials\": [{\"material_id\": \"m2\", \"status\": \"lost\", "
      "\"originals\": 0, \"copies\": 0}]", "materials[0].status" },
    { "supplement-received", ", \"materials\": [{\"material_id\": \"m2\", \"status\": \"paper\", "
      "\"copies\": 0}]", "materials[0].originals" },
    { "supplement-received", ", \"materials\": [{\"material_id\": \"m2\", "
      "\"status\": \"scanned\", \"originals\": 0, \"copies\": 0}]", "materials[0].files" },
    { "supplement-received", ", \"materials\": [{\"material_id\": \"m2\", "
      "\"status\": \"licence\", \"originals\": 0, \"copies\": 0}]", "materials[0].licence_no" },
    { "supplement-received", ", \"materials\": [{\"material_id\": \"m2\", \"status\": \"paper\", "
      "\"originals\": 1, \"copies\": 0}, {\"material_id\": \"m2\", \"status\": \"paper\", "
      "\"originals\": 1, \"copies\": 0}]", "materials[1].material_id" },
    { "supplement-received", ", \"materials\": {\"m2\": \"paper\"}", "materials" },
  };
  GDate made;

  restart_at (fixture, "2026-11-25T14:30:00+08:00");
  g_date_clear (&made, 1);
  g_date_set_dmy (&made, 25, G_DATE_NOVEMBER, 2026);
  case_no = ow_case_number_make ("46010001", 7, &made, 60, &error);
  g_assert_no_error (error);
  body = make_supplement_case_json (case_no, "2026-12-09");
  case_path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  events_path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);

  put_case_ok (fixture, case_no, body);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      r = post_event (fixture, case_no, fixture->clerk, "ev-no", refused[i].kind,
                      refused[i].extra);
      assert_error (r, 422, "invalid", refused[i].field);
      ow_test_response_free (r);
    }
  /* A page not uploaded yet, named as for a case PUT. */
  scanned = g_strdup_printf (", \"materials\": [{\"material_id\": \"m2\", \"status\": \"paper\", "
                             "\"originals\": 1, \"copies\": 1, \"note\": \"已盖章\"}, "
                             "{\"material_id\": \"m3\", \"status\": \"scanned\", "
                             "\"originals\": 0, \"copies\": 0, \"files\": [\"%s\"]}]", sha);
  r = post_event (fixture, case_no, fixture->clerk, "ev-sr", "supplement-received", scanned);
  assert_error (r, 422, "invalid", "materials[1].files[0]");
  ow_test_response_free (r);
  r = request_bytes (fixture, "PUT", file_path, fixture->clerk, "image/png", bytes);
  assert_status (r, 201);
  ow_test_response_free (r);

  r = post_event (fixture, case_no, fixture->clerk, "ev-sr", "supplement-received", scanned);
  assert_status (r, 201);
  ow_test_response_free (r);
  /* The same again is a resend; other lines under the id conflict. */
  r = post_event (fixture, case_no, fixture->clerk, "ev-sr", "supplement-received", scanned);
  assert_status (r, 200);
  ow_test_response_free (r);
  arrived = g_strdup (", \"materials\": [{\"material_id\": \"m2\", \"status\": \"paper\", "
                      "\"originals\": 1, \"copies\": 0}]");
  r = post_event (fixture, case_no, fixture->clerk, "ev-sr", "supplement-received", arrived);
  assert_error (r, 409, "conflict", "id");
  ow_test_response_free (r);

  r = request (fixture, "GET", case_path, fixture->pickup, NULL);
  assert_status (r, 200);
  g_assert_cmpstr (ow_test_response_get_string (r, "state"), ==, "received");
  line = find_material (r, "m2");
  g_assert_cmpstr (json_object_get_string_member (line, "status"), ==, "paper");
  g_assert_cmpint (json_object_get_int_member (line, "copies"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (line, "note"), ==, "已盖章");
  g_assert_cmpstr (json_object_get_string_member (line, "name"), ==, "营业执照");
  line = find_material (r, "m3");
  g_assert_cmpstr (json_object_get_string_member (line, "status"), ==, "scanned");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (line, "files"),
                                                  0), ==, sha);
  g_assert_cmpstr (json_object_get_string_member (find_material (r, "m1"), "status"), ==,
                   "paper");
  ow_test_response_free (r);

  /* The promised date: a real date, not before the event's day in the hall (2026-11-25 at
   * 14:30 there), not after 20 working days from it (2026-12-23). */
  r = post_event (fixture, case_no, fixture->clerk, "ev-acc", "accepted",
                  ", \"promised_date\": \"2026-11-31\"");
  assert_error (r, 422, "invalid", "promised_date");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->clerk, "ev-acc", "accepted",
                  ", \"promised_date\": \"2026-11-24\"");
  assert_error (r, 422, "invalid", "promised_date");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->clerk, "ev-acc", "accepted",
                  ", \"promised_date\": \"2026-12-24\"");
  assert_error (r, 422, "invalid", "promised_date");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->clerk, "ev-acc", "accepted",
                  ", \"document_no\": \"   \"");
  assert_error (r, 422, "invalid", "document_no");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->clerk, "ev-acc", "accepted",
                  ", \"promised_date\": \"2026-12-23\", "
                  "\"document_no\": \"海口政服受〔2026〕70012号\"");
  assert_status (r, 201);
  g_assert_cmpstr (ow_test_response_get_string (r, "promised_date"), ==, "2026-12-23");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->clerk, "ev-acc", "accepted",
                  ", \"document_no\": \"海口政服受〔2026〕70012号\", "
                  "\"promised_date\": \"2026-12-23\"");
  assert_status (r, 200);
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->clerk, "ev-acc", "accepted",
                  ", \"promised_date\": \"2026-12-22\", "
                  "\"document_no\": \"海口政服受〔2026〕70012号\"");
  assert_error (r, 409, "conflict", "id");
  ow_test_response_free (r);

  r = request (fixture, "GET", case_path, fixture->pickup, NULL);
  assert_status (r, 200);
  g_assert_cmpstr (ow_test_response_get_string (r, "state"), ==, "accepted");
  g_assert_cmpstr (ow_test_response_get_string (r, "promised_date"), ==, "2026-12-23");
  g_assert_cmpstr (ow_test_response_get_string (r, "document_no"), ==, "海口政服受〔2026〕70012号");
  g_assert_cmpstr (json_object_get_string_member (find_material (r, "m2"), "status"), ==,
                   "paper");
  ow_test_response_free (r);

  /* The list answers the case as it stands too; an event without the members keeps its old
   * form; the case's first PUT, sent again, is still the same case. */
  r = request (fixture, "GET", "/api/v1/cases?state=accepted", fixture->supervisor, NULL);
  assert_status (r, 200);
  g_assert_cmpuint (json_array_get_length (get_array (r, "cases")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     get_array (r, "cases"), 0), "promised_date"), ==, "2026-12-23");
  ow_test_response_free (r);
  r = request (fixture, "GET", events_path, fixture->supervisor, NULL);
  assert_status (r, 200);
  events = get_array (r, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  g_assert_false (json_object_has_member (json_array_get_object_element (events, 0),
                                          "promised_date"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1),
                                                  "promised_date"), ==, "2026-12-23");
  ow_test_response_free (r);
  r = request (fixture, "PUT", case_path, fixture->clerk, body);
  assert_status (r, 200);
  ow_test_response_free (r);

  /* A department resuming a suspended case may set the date too, within the limit, and not
   * before the tolerated material m4 is due (2026-12-09): the amended case must hold together. */
  r = post_event (fixture, case_no, fixture->department, "ev-sus", "suspended", NULL);
  assert_status (r, 201);
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->department, "ev-res", "resumed",
                  ", \"promised_date\": \"2026-12-31\"");
  assert_error (r, 422, "invalid", "promised_date");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->department, "ev-res", "resumed",
                  ", \"promised_date\": \"2026-12-08\"");
  assert_error (r, 422, "invalid", "materials[3].due_date");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, fixture->department, "ev-res", "resumed",
                  ", \"promised_date\": \"2026-12-21\"");
  assert_status (r, 201);
  ow_test_response_free (r);

  /* The statistics count lateness from the date as it stands, not the first one: on the 15th
   * the first promise (the 9th) would be broken, the new one (the 21st) is not yet. */
  restart_at (fixture, "2026-12-15T09:00:00+08:00");
  r = request (fixture, "GET", "/api/v1/statistics", fixture->supervisor, NULL);
  assert_status (r, 200);
  g_assert_cmpint (get_member_int (r, "cases", "overdue"), ==, 0);
  ow_test_response_free (r);
  restart_at (fixture, "2027-01-15T09:00:00+08:00");
  r = request (fixture, "GET", "/api/v1/statistics", fixture->supervisor, NULL);
  assert_status (r, 200);
  {
    JsonArray *late = json_object_get_array_member (
                        json_object_get_object_member (json_node_get_object (r->json), "cases"),
                        "overdue_cases");

    g_assert_cmpuint (json_array_get_length (late), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (late, 0),
                                                    "promised_date"), ==, "2026-12-21");
  }
  ow_test_response_free (r);
}

/* An older database is upgraded when the platform starts on it: SQLite's schema 3 (no amended
 * case, no departments of users, the catalog stored a revision at a time, no disabled users),
 * PostgreSQL's 1 (no departments, whole revisions, no disabled users); the revisions are split
 * into items, which the promised date is then checked against, and the demo seed names the
 * department of the department user it made before. */
static void
test_schema_upgrade (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (61, 7);
  g_autofree char *body = NULL;
  g_autofree char *case_path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  OwTestResponse *r;
  char promised_text[16];
  GDate promised;

  ow_test_today (&promised);
  g_date_add_days (&promised, 14);
  g_snprintf (promised_text, sizeof promised_text, "%04u-%02u-%02u", g_date_get_year (&promised),
              g_date_get_month (&promised), g_date_get_day (&promised));
  body = make_supplement_case_json (case_no, promised_text);
  put_case_ok (fixture, case_no, body);
  g_assert_true (ow_test_platform_stop (fixture->platform));
  if (ow_test_platform_is_postgresql (fixture->platform))
    {
      const char *downgrade[] = {
        /* PostgreSQL's version 1, before users had departments (its first is SQLite's 4: the
         * amended case is older than it), log-ins were limited per address, the catalog was
         * kept item by item and accounts could be disabled. */
        "ALTER TABLE users DROP COLUMN department",
        "DROP TABLE login_failures, audit_log",
        "UPDATE catalog_revisions r SET body = jsonb_set (r.body::jsonb, '{items}', "
        "  coalesce ((SELECT jsonb_agg (v.body::jsonb) FROM catalog_versions v "
        "    WHERE v.revision = r.revision AND v.body IS NOT NULL), '[]'::jsonb))::text",
        "DROP TABLE catalog_entries, catalog_versions",
        "ALTER TABLE users DROP COLUMN disabled",
        "UPDATE ow_schema SET version = 1",
      };

      for (guint i = 0; i < G_N_ELEMENTS (downgrade); i++)
        g_ptr_array_unref (ow_test_postgres_query (ow_test_platform_get_db_path (fixture->platform),
                                                   downgrade[i], NULL));
    }
  else
    {
      g_assert_cmpint (sqlite3_open (ow_test_platform_get_db_path (fixture->platform), &db), ==,
                       SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, "ALTER TABLE cases DROP COLUMN amended; "
                                     "ALTER TABLE users DROP COLUMN department; "
                                     "DROP TABLE login_failures; DROP TABLE audit_log; "
                                     "UPDATE catalog_revisions SET body = json_set (body, "
                                     "  '$.items', (SELECT json_group_array (json (v.body)) "
                                     "  FROM catalog_versions v "
                                     "  WHERE v.revision = catalog_revisions.revision "
                                     "  AND v.body IS NOT NULL)); "
                                     "DROP TABLE catalog_entries; DROP TABLE catalog_versions; "
                                     "ALTER TABLE users DROP COLUMN disabled; "
                                     "PRAGMA user_version = 3", NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  /* The catalog as it was, item by item. */
  r = request (fixture, "GET", "/api/v1/catalog", token, NULL);
  assert_status (r, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (r->json), "items")), >, 100);
  ow_test_response_free (r);
  r = ow_test_platform_request (fixture->platform, "POST", "/api/v1/sessions", NULL,
                                "{\"username\": \"department\", \"password\": \"demo\"}",
                                &error);
  g_assert_no_error (error);
  assert_status (r, 201);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (r->json), "user"),
                     "department"), ==, "海口市市场监督管理局");
  ow_test_response_free (r);

  r = post_event (fixture, case_no, token, "ev-up", "supplement-received",
                  ", \"materials\": [{\"material_id\": \"m2\", \"status\": \"paper\", "
                  "\"originals\": 1, \"copies\": 0}, {\"material_id\": \"m3\", "
                  "\"status\": \"shared\", \"originals\": 0, \"copies\": 0}]");
  assert_status (r, 201);
  ow_test_response_free (r);
  r = request (fixture, "GET", case_path, token, NULL);
  assert_status (r, 200);
  g_assert_cmpstr (json_object_get_string_member (find_material (r, "m3"), "status"), ==,
                   "shared");
  ow_test_response_free (r);
}

/* Sessions --------------------------------------------------------------------------------- */

static void
test_session_expiry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = NULL;
  g_autofree char *token = NULL;
  OwTestResponse *r;

  g_setenv ("OW_TEST_SESSION_TTL", "2", TRUE);
  platform = ow_test_platform_start (&error);
  g_unsetenv ("OW_TEST_SESSION_TTL");
  g_assert_no_error (error);

  token = ow_test_platform_login (platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  r = ow_test_platform_request (platform, "GET", "/api/v1/catalog", token, NULL, &error);
  g_assert_no_error (error);
  assert_status (r, 200);
  ow_test_response_free (r);

  g_usleep (3 * G_USEC_PER_SEC);
  r = ow_test_platform_request (platform, "GET", "/api/v1/catalog", token, NULL, &error);
  g_assert_no_error (error);
  assert_error (r, 401, "unauthorized", NULL);
  ow_test_response_free (r);

  g_assert_true (ow_test_platform_stop (platform));
}

/* Runs the real binary with the test's --demo-delay and --session-ttl (read from the environment
 * at each start), so tests/common keeps starting, stopping and cleaning up the process. */
static void
make_wrapper (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *path = NULL;

  real_binary = g_strdup (g_getenv ("OW_PLATFORM_BINARY"));
  g_assert_nonnull (real_binary);
  wrapper_dir = g_dir_make_tmp ("ow-contract-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (wrapper_dir, "onewindow-platform", NULL);
  script = g_strdup_printf ("#!/bin/sh\nexec '%s' --demo-delay \"${OW_TEST_DEMO_DELAY:-3600}\" "
                            "--session-ttl \"${OW_TEST_SESSION_TTL:-28800}\" \"$@\"\n",
                            real_binary);
  g_file_set_contents (path, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0700), ==, 0);
  g_setenv ("OW_PLATFORM_BINARY", path, TRUE);
}

static void
remove_wrapper (void)
{
  g_autofree char *path = g_build_filename (wrapper_dir, "onewindow-platform", NULL);

  g_unlink (path);
  g_rmdir (wrapper_dir);
  g_free (wrapper_dir);
  g_free (real_binary);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  make_wrapper ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/contract/files", test_files);
  ADD ("/contract/file-too-large", test_file_too_large);
  ADD ("/contract/events", test_events);
  g_test_add ("/contract/event-amendments", Fixture, NULL, fixture_set_up_without_backoffice,
              test_event_amendments, fixture_tear_down);
  ADD ("/contract/schema-upgrade", test_schema_upgrade);
  ADD ("/contract/list", test_list);
  ADD ("/contract/changes", test_changes);
  g_test_add ("/contract/backoffice", Fixture, "1", fixture_set_up, test_backoffice,
              fixture_tear_down);
  ADD ("/contract/admin", test_admin);
  ADD ("/contract/tickets", test_tickets);
  ADD ("/contract/ratings-statistics", test_ratings_and_statistics);
#undef ADD
  g_test_add_func ("/contract/session-expiry", test_session_expiry);

  status = g_test_run ();
  remove_wrapper ();
  return status;
}
