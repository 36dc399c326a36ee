/* test-hardening.c — the platform against hostile input and concurrent writers, as a real process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whatever comes in is either stored exactly as sent or refused with 400 / 422, and the platform
 * answers the next request as before. Concurrent writers each get the answer the contract
 * promises, and the database holds each case, event and change exactly once.
 */

#include "config.h"

#include <string.h>

#include "core/ow-case-number.h"
#include "ow-test-platform.h"

#define GOOD_ID    "11010519491231002X"
#define N_THREADS  8

typedef struct
{
  OwTestPlatform *platform;
  char           *clerk;
  char           *department;
} Fixture;

/* Helpers ---------------------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  fixture->clerk = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  fixture->department = ow_test_platform_login (fixture->platform, "department", "demo", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* It must still stop cleanly on SIGTERM: nothing it was sent broke it. */
  g_assert_true (ow_test_platform_stop (fixture->platform));
  g_clear_pointer (&fixture->platform, ow_test_platform_free);
  g_free (fixture->clerk);
  g_free (fixture->department);
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

/* A valid case whose applicant's name and address are JSON string literals given as they are. */
static char *
make_case_json (const char *case_no,
                const char *name_literal,
                const char *address_literal)
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
    " \"applicant\": {\"kind\": \"person\", \"name\": %s, \"id_number\": \"%s\","
    "   \"phone\": \"13800138000\", \"address\": %s, \"contact_name\": null},"
    " \"agent\": null,"
    " \"items\": [{\"item_id\": \"11460100MB1234567X400011\", \"basic_code\": \"000117001\","
    "   \"name\": \"食品经营许可（新办）\", \"department\": \"海口市市场监督管理局\"}],"
    " \"materials\": [], \"delivery\": {\"kind\": \"pickup\", \"recipient\": null,"
    "   \"phone\": null, \"address\": null}, \"refusal\": null}",
    case_no, promised_text, name_literal, GOOD_ID, address_literal);
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

static void
assert_alive (Fixture *fixture)
{
  g_autoptr(OwTestResponse) r = request (fixture, "GET", "/api/v1/catalog", fixture->clerk, NULL);

  g_assert_cmpuint (r->status, ==, 200);
}

/* Stored exactly as sent, or refused with 400 / 422 as the contract says. */
static void
assert_stored_or_refused (Fixture        *fixture,
                          OwTestResponse *response,
                          const char     *get_path,
                          const char     *object,
                          const char     *member,
                          const char     *expected)
{
  g_autoptr(OwTestResponse) stored = NULL;
  JsonObject *root;

  if (response->status == 400 || response->status == 422)
    {
      g_assert_cmpstr (ow_test_response_error_code (response), ==,
                       response->status == 400 ? "malformed" : "invalid");
      return;
    }
  g_assert_cmpuint (response->status, ==, 201);

  stored = request (fixture, "GET", get_path, fixture->clerk, NULL);
  g_assert_cmpuint (stored->status, ==, 200);
  root = json_node_get_object (stored->json);
  if (object != NULL)
    root = json_object_get_object_member (root, object);
  g_assert_cmpstr (json_object_get_string_member (root, member), ==, expected);
}

/* Hostile strings -------------------------------------------------------------------------- */

static void
test_hostile_strings (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct
  {
    const char *literal;   /* as written in JSON */
    const char *expected;  /* as it must come back */
  } names[] = {
    { "\"Robert'); DROP TABLE cases;--\"", "Robert'); DROP TABLE cases;--" },
    { "\"张三\\\" OR \\\"1\\\"=\\\"1\"", "张三\" OR \"1\"=\"1" },
    { "\"%s%n%x\"", "%s%n%x" },
    { "\"张\\u0001三\\t\\r\\n\"", "张\001三\t\r\n" },
    { "\"\\u202e王五\"", "\342\200\256王五" },
  };
  g_autoptr(GString) long_value = g_string_new ("\"");
  g_autofree char *long_expected = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *case_no = make_case_no (100 + i);
      g_autofree char *body = make_case_json (case_no, names[i].literal, "\"海口市'; --\"");
      g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
      g_autoptr(OwTestResponse) r = request (fixture, "PUT", path, fixture->clerk, body);

      g_test_message ("name %s → %u", names[i].literal, r->status);
      assert_stored_or_refused (fixture, r, path, "applicant", "name", names[i].expected);
    }

  /* 100 KB of text in one member. */
  for (guint i = 0; i < 100 * 1024 / 3; i++)
    g_string_append (long_value, "海");
  g_string_append_c (long_value, '"');
  long_expected = g_strndup (long_value->str + 1, long_value->len - 2);
  {
    g_autofree char *case_no = make_case_no (120);
    g_autofree char *body = make_case_json (case_no, "\"张三\"", long_value->str);
    g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
    g_autoptr(OwTestResponse) r = request (fixture, "PUT", path, fixture->clerk, body);
    g_autofree char *event_body = NULL;
    g_autofree char *events_path = g_strconcat (path, "/events", NULL);
    g_autoptr(OwTestResponse) e1 = NULL, e2 = NULL;

    g_test_message ("100 KB address → %u", r->status);
    assert_stored_or_refused (fixture, r, path, "applicant", "address", long_expected);

    /* A note of 100 KB is refused; one with SQL and control characters is kept as it is. */
    if (r->status == 201)
      {
        event_body = g_strdup_printf ("{\"id\": \"n-1\", \"kind\": \"approved\", "
                                      "\"at\": \"2026-11-25T06:30:00Z\", \"note\": %s}",
                                      long_value->str);
        e1 = request (fixture, "POST", events_path, fixture->department, event_body);
        g_assert_cmpuint (e1->status, ==, 422);
        g_assert_cmpstr (ow_test_response_error_field (e1), ==, "note");
        e2 = request (fixture, "POST", events_path, fixture->department,
                      "{\"id\": \"n-1\", \"kind\": \"approved\", "
                      "\"at\": \"2026-11-25T06:30:00Z\", "
                      "\"note\": \"'; DELETE FROM case_events; --\\u0007\"}");
        g_assert_cmpuint (e2->status, ==, 201);
        g_assert_cmpstr (ow_test_response_get_string (e2, "note"), ==,
                         "'; DELETE FROM case_events; --\007");
      }
  }

  /* A ticket and a query parameter made of SQL. */
  {
    g_autoptr(OwTestResponse) t = NULL, list = NULL, cases = NULL;

    t = request (fixture, "PUT", "/api/v1/tickets/t-sql", fixture->clerk,
                 "{\"id\": \"t-sql\", \"registered_at\": \"2026-11-25T06:30:00Z\", "
                 "\"tier\": \"on-the-spot\", \"summary\": \"x' OR '1'='1\"}");
    g_assert_cmpuint (t->status, ==, 201);
    g_assert_cmpstr (ow_test_response_get_string (t, "summary"), ==, "x' OR '1'='1");
    list = request (fixture, "GET", "/api/v1/tickets?assignee=%27%20OR%20%271%27%3D%271",
                    fixture->clerk, NULL);
    g_assert_cmpuint (list->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (list->json),
                                                      "tickets")), ==, 0);
    cases = request (fixture, "GET", "/api/v1/cases?hall=%27%3B%20DROP%20TABLE%20cases%3B--",
                     fixture->clerk, NULL);
    g_assert_cmpuint (cases->status, ==, 200);
  }

  /* Every table is still there. */
  {
    g_autoptr(OwTestResponse) all = request (fixture, "GET", "/api/v1/cases?limit=200",
                                             fixture->clerk, NULL);

    g_assert_cmpuint (all->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (all->json),
                                                      "cases")), >=, 1);
  }
  assert_alive (fixture);
}

/* Invalid UTF-8 and raw bytes -------------------------------------------------------------- */

static OwTestResponse *
request_raw_body (Fixture    *fixture,
                  const char *method,
                  const char *path,
                  const char *token,
                  const char *bytes,
                  gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_bytes_new (bytes, length);
  g_autofree char *uri = g_strconcat (ow_test_platform_get_base_uri (fixture->platform),
                                      path + 1, NULL);
  OwTestResponse *response = ow_test_http (method, uri, token, body, NULL, &error);

  g_assert_no_error (error);
  return response;
}

/* Sends @request as raw bytes on a socket of its own and returns the status line's code. */
static guint
send_raw_request (Fixture    *fixture,
                  const char *text)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GUri) base = g_uri_parse (ow_test_platform_get_base_uri (fixture->platform),
                                      G_URI_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;
  char answer[64] = { 0, };
  gsize got = 0;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (base),
                                                (guint16) g_uri_get_port (base), NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), text,
                             strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), answer,
                           sizeof answer - 1, &got, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 "));
  return (guint) g_ascii_strtoull (answer + 9, NULL, 10);
}

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (200);
  g_autofree char *good = make_case_json (case_no, "\"张三\"", "\"海口\"");
  g_autofree char *bad = make_case_json (case_no, "\"\xff\xfe\xc3\x28\"", "\"海口\"");
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autofree char *events = g_strconcat (path, "/events", NULL);
  g_autofree char *raw = NULL;
  OwTestResponse *r;

  r = request_raw_body (fixture, "PUT", path, fixture->clerk, bad, strlen (bad));
  g_assert_true (r->status == 400 || r->status == 422);
  ow_test_response_free (r);

  r = request (fixture, "PUT", path, fixture->clerk, good);
  g_assert_cmpuint (r->status, ==, 201);
  ow_test_response_free (r);

  {
    static const char event[] = "{\"id\": \"u-1\", \"kind\": \"approved\", "
                                "\"at\": \"2026-11-25T06:30:00Z\", \"note\": \"\xed\xa0\x80\"}";

    r = request_raw_body (fixture, "POST", events, fixture->department, event,
                          sizeof event - 1);
    g_assert_true (r->status == 400 || r->status == 422);
    ow_test_response_free (r);
  }
  {
    /* A NUL in the middle of the body. */
    static const char event[] = "{\"id\": \"u-2\", \"kind\": \"appro\0ved\", "
                                "\"at\": \"2026-11-25T06:30:00Z\"}";

    r = request_raw_body (fixture, "POST", events, fixture->department, event,
                          sizeof event - 1);
    g_assert_true (r->status == 400 || r->status == 422);
    ow_test_response_free (r);
  }

  /* Percent-encoded invalid UTF-8 and NULs in paths. */
  r = request (fixture, "GET", "/api/v1/cases/%FF%FE/events", fixture->clerk, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets/%FF%C3%28", fixture->clerk, NULL);
  g_assert_true (r->status == 404 || r->status == 422);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets/a%00b", fixture->clerk, NULL);
  g_test_message ("NUL → %u", r->status);
  g_assert_true (r->status == 400 || r->status == 404 || r->status == 422);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/cases?department=%FF%FE", fixture->clerk, NULL);
  g_assert_cmpuint (r->status, ==, 422);
  ow_test_response_free (r);

  /* Raw bytes in the request line, which no well-behaved client sends. */
  raw = g_strdup_printf ("GET /api/v1/cases/\xff\xfe HTTP/1.1\r\nHost: x\r\n"
                         "Authorization: Bearer %s\r\nConnection: close\r\n\r\n", fixture->clerk);
  g_assert_cmpuint (send_raw_request (fixture, raw) / 100, ==, 4);
  g_clear_pointer (&raw, g_free);
  raw = g_strdup_printf ("GET /api/v1/tickets/\x01\x02 HTTP/1.1\r\nHost: x\r\n"
                         "Authorization: Bearer %s\r\nConnection: close\r\n\r\n", fixture->clerk);
  g_assert_cmpuint (send_raw_request (fixture, raw) / 100, ==, 4);

  assert_alive (fixture);
}

/* Wrong types and unknown enumeration values ----------------------------------------------- */

static void
test_wrong_types (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct
  {
    const char *path;
    const char *body;
    const char *field;
  } cases[] = {
    { "/events", "{\"id\": \"w\", \"kind\": 5, \"at\": \"2026-11-25T06:30:00Z\"}", "kind" },
    { "/events", "{\"id\": \"w\", \"kind\": \"approve\", \"at\": \"2026-11-25T06:30:00Z\"}",
      "kind" },
    { "/events", "{\"id\": \"w\", \"kind\": \"approved\", \"at\": true}", "at" },
    { "/events", "{\"id\": \"w\", \"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00\"}",
      "at" },
    { "/events", "{\"id\": \"w\", \"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"note\": []}", "note" },
    { "/events", "{\"id\": [\"w\"], \"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00Z\"}",
      "id" },
    { "/events", "{\"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00Z\"}", "id" },
  };
  static const struct
  {
    const char *path;
    const char *body;
    const char *field;
  } others[] = {
    { "/api/v1/ratings/r-1", "{\"id\": \"r-1\", \"case_no\": \"CASE_NO\", "
      "\"channel\": \"on-site\", "
      "\"level\": \"high\", \"at\": \"2026-11-25T06:30:00Z\"}", "level" },
    { "/api/v1/ratings/r-1", "{\"id\": \"r-1\", \"case_no\": \"CASE_NO\", \"channel\": \"carrier-"
      "pigeon\", \"level\": 3, \"at\": \"2026-11-25T06:30:00Z\"}", "channel" },
    { "/api/v1/ratings/r-1", "{\"id\": \"r-1\", \"case_no\": \"CASE_NO\", \"channel\": \"online\", "
      "\"level\": 3, \"text\": 12, \"at\": \"2026-11-25T06:30:00Z\"}", "text" },
    { "/api/v1/ratings/r-1", "{\"id\": \"r-1\", \"case_no\": \"CASE_NO\", \"channel\": \"online\", "
      "\"level\": true, \"at\": \"2026-11-25T06:30:00Z\"}", "level" },
    { "/api/v1/tickets/t-1", "{\"id\": \"t-1\", \"registered_at\": \"2026-11-25T06:30:00Z\", "
      "\"tier\": 5, \"summary\": \"CASE_NO\"}", "tier" },
    { "/api/v1/tickets/t-1", "{\"id\": \"t-1\", \"registered_at\": \"2026-11-25T06:30:00Z\", "
      "\"tier\": \"on-the-spot\", \"summary\": \"CASE_NO\", \"contact_phone\": 13800138000}",
      "contact_phone" },
  };
  g_autofree char *case_no = make_case_no (300);
  g_autofree char *good = make_case_json (case_no, "\"张三\"", "\"海口\"");
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  OwTestResponse *r;

  r = request (fixture, "PUT", path, fixture->clerk, good);
  g_assert_cmpuint (r->status, ==, 201);
  ow_test_response_free (r);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *event_path = g_strconcat (path, cases[i].path, NULL);

      r = request (fixture, "POST", event_path, fixture->department, cases[i].body);
      g_test_message ("%s → %u", cases[i].body, r->status);
      g_assert_cmpuint (r->status, ==, 422);
      g_assert_cmpstr (ow_test_response_error_field (r), ==, cases[i].field);
      ow_test_response_free (r);
    }
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(GString) text = g_string_new (others[i].body);
      const char *body;

      g_string_replace (text, "CASE_NO", case_no, 0);
      body = text->str;

      r = request (fixture, "PUT", others[i].path, fixture->clerk, body);
      g_test_message ("%s → %u", body, r->status);
      g_assert_cmpuint (r->status, ==, 422);
      g_assert_cmpstr (ow_test_response_error_field (r), ==, others[i].field);
      ow_test_response_free (r);
    }

  /* Not an object at all. */
  r = request (fixture, "PUT", "/api/v1/tickets/t-1", fixture->clerk, "[1, 2, 3]");
  g_assert_cmpuint (r->status, ==, 400);
  ow_test_response_free (r);
  r = request (fixture, "PUT", "/api/v1/ratings/r-1", fixture->clerk, "\"just a string\"");
  g_assert_cmpuint (r->status, ==, 400);
  ow_test_response_free (r);

  assert_alive (fixture);
}

/* Concurrent writers ----------------------------------------------------------------------- */

typedef struct
{
  Fixture    *fixture;
  const char *method;
  char       *path;
  char       *body;
  const char *token;
  guint       status;
} Writer;

static gpointer
writer_thread (gpointer user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestResponse) r = NULL;

  r = ow_test_platform_request (writer->fixture->platform, writer->method, writer->path,
                                writer->token, writer->body, &error);
  g_assert_no_error (error);
  writer->status = r->status;
  return NULL;
}

/* Runs the @n writers at once; returns how many got each status (index: status / 100 * 10 …). */
static void
run_writers (Writer *writers,
             guint   n)
{
  GThread *threads[N_THREADS];

  g_assert_cmpuint (n, <=, N_THREADS);
  for (guint i = 0; i < n; i++)
    threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
}

static guint
count_status (Writer *writers,
              guint   n,
              guint   status)
{
  guint count = 0;

  for (guint i = 0; i < n; i++)
    if (writers[i].status == status)
      count++;
  return count;
}

static void
clear_writers (Writer *writers,
               guint   n)
{
  for (guint i = 0; i < n; i++)
    {
      g_free (writers[i].path);
      g_free (writers[i].body);
    }
  memset (writers, 0, sizeof (Writer) * n);
}

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  Writer writers[N_THREADS] = { { 0, }, };
  g_autofree char *same_no = make_case_no (400);
  g_autofree char *other_no = make_case_no (401);
  OwTestPlatform *db = fixture->platform;

  /* Different cases at once: each stored. */
  for (guint i = 0; i < N_THREADS; i++)
    {
      g_autofree char *case_no = make_case_no (410 + i);

      writers[i] = (Writer) { fixture, "PUT", g_strconcat ("/api/v1/cases/", case_no, NULL),
                              make_case_json (case_no, "\"张三\"", "\"海口\""), fixture->clerk,
                              0 };
    }
  run_writers (writers, N_THREADS);
  g_assert_cmpuint (count_status (writers, N_THREADS, 201), ==, N_THREADS);
  clear_writers (writers, N_THREADS);

  /* The same case at once: one 201, the others see it stored (200). */
  for (guint i = 0; i < N_THREADS; i++)
    writers[i] = (Writer) { fixture, "PUT", g_strconcat ("/api/v1/cases/", same_no, NULL),
                            make_case_json (same_no, "\"张三\"", "\"海口\""), fixture->clerk, 0 };
  run_writers (writers, N_THREADS);
  g_assert_cmpuint (count_status (writers, N_THREADS, 201), ==, 1);
  g_assert_cmpuint (count_status (writers, N_THREADS, 200), ==, N_THREADS - 1);
  clear_writers (writers, N_THREADS);

  /* The same number with different bodies at once: one wins, the others conflict. */
  for (guint i = 0; i < N_THREADS; i++)
    {
      g_autofree char *address = g_strdup_printf ("\"海口市%u号\"", i);

      writers[i] = (Writer) { fixture, "PUT", g_strconcat ("/api/v1/cases/", other_no, NULL),
                              make_case_json (other_no, "\"李四\"", address), fixture->clerk, 0 };
    }
  run_writers (writers, N_THREADS);
  g_assert_cmpuint (count_status (writers, N_THREADS, 201), ==, 1);
  g_assert_cmpuint (count_status (writers, N_THREADS, 409), ==, N_THREADS - 1);
  clear_writers (writers, N_THREADS);

  /* One event sent eight times at once, and eight different events racing for one step. */
  for (guint i = 0; i < N_THREADS; i++)
    writers[i] = (Writer) { fixture, "POST", g_strdup_printf ("/api/v1/cases/%s/events", same_no),
                            g_strdup ("{\"id\": \"race-1\", \"kind\": \"approved\", "
                                      "\"at\": \"2026-11-25T06:30:00Z\"}"),
                            fixture->department, 0 };
  run_writers (writers, N_THREADS);
  g_assert_cmpuint (count_status (writers, N_THREADS, 201), ==, 1);
  g_assert_cmpuint (count_status (writers, N_THREADS, 200), ==, N_THREADS - 1);
  clear_writers (writers, N_THREADS);
  for (guint i = 0; i < N_THREADS; i++)
    writers[i] = (Writer) { fixture, "POST", g_strdup_printf ("/api/v1/cases/%s/events", same_no),
                            g_strdup_printf ("{\"id\": \"ready-%u\", \"kind\": \"result-ready\", "
                                             "\"at\": \"2026-11-25T06:30:00Z\"}", i),
                            fixture->department, 0 };
  run_writers (writers, N_THREADS);
  g_assert_cmpuint (count_status (writers, N_THREADS, 201), ==, 1);
  g_assert_cmpuint (count_status (writers, N_THREADS, 422), ==, N_THREADS - 1);
  clear_writers (writers, N_THREADS);

  /* The database itself: each once, with one change each. */
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM cases WHERE case_no = ?", same_no), ==, 1);
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM cases", NULL), ==, N_THREADS + 2);
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM case_events WHERE case_no = ?", same_no),
                   ==, 2);
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM changes WHERE key = ?", same_no), ==, 3);
  g_assert_cmpint (ow_test_platform_count (db, "SELECT count(*) FROM changes WHERE kind = 'case'", NULL), ==,
                   N_THREADS + 2);
  assert_alive (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/hardening/hostile-strings", test_hostile_strings);
  ADD ("/hardening/invalid-utf8", test_invalid_utf8);
  ADD ("/hardening/wrong-types", test_wrong_types);
  ADD ("/hardening/concurrent", test_concurrent);
#undef ADD

  return g_test_run ();
}
