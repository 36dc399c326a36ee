/* test-departments.c — a department sees its own cases and tickets, never another's
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real onewindow-platform with its demo users: `department` (赵强) works for
 * 海口市市场监督管理局, `department2` (林芳) for 海口市医疗保障局. Each route that shows a case, its
 * events, its pages, a ticket, a rating or the changes feed is asked by both and by the hall's
 * staff: 403 with field `department` for what is another department's, left out of lists and of
 * the feed, visible when it is their own.
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "core/ow-case-number.h"
#include "ow-test-platform.h"
#include "ow-test-postgres.h"

#define GOOD_ID  "11010519491231002X"
#define MARKET   "海口市市场监督管理局"
#define MEDICAL  "海口市医疗保障局"

typedef struct
{
  OwTestPlatform *platform;
  char           *clerk;
  char           *pickup;
  char           *supervisor;
  char           *market;   /* department: 赵强, market regulation */
  char           *medical;  /* department2: 林芳, medical insurance */
  char           *market_case;
  char           *medical_case;
  char           *market_page;   /* SHA-256 of the market case's scanned page */
  char           *medical_page;
} Fixture;

/* Helpers ---------------------------------------------------------------------------------- */

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
assert_status (OwTestResponse *response,
               guint           status,
               const char     *field)
{
  if (response->status != status && response->body != NULL)
    g_test_message ("body: %.*s", (int) g_bytes_get_size (response->body),
                    (const char *) g_bytes_get_data (response->body, NULL));
  g_assert_cmpuint (response->status, ==, status);
  if (field != NULL)
    g_assert_cmpstr (ow_test_response_error_field (response), ==, field);
}

static void
expect (Fixture    *fixture,
        const char *method,
        const char *path,
        const char *token,
        const char *body,
        guint       status,
        const char *field)
{
  g_autoptr(OwTestResponse) r = request (fixture, method, path, token, body);

  assert_status (r, status, field);
}

static JsonObject *
object_of (OwTestResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

/* A scanned page, uploaded by the clerk: its SHA-256. */
static char *
upload_page (Fixture    *fixture,
             const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *uri = g_strconcat (ow_test_platform_get_base_uri (fixture->platform),
                                      "api/v1/files/", sha, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", fixture->clerk, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  soup_message_set_request_body_from_bytes (msg, "image/png", bytes);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
  return g_steal_pointer (&sha);
}

/* An accepted case of one item of @department, whose one material is the page @sha256. */
static char *
put_case (Fixture    *fixture,
          guint       sequence,
          const char *department,
          const char *sha256)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *case_no = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  char promised[16];
  GDate today, due;

  ow_test_today (&today);
  case_no = ow_case_number_make ("46010001", 7, &today, sequence, &error);
  g_assert_no_error (error);
  due = today;
  g_date_add_days (&due, 14);
  g_date_strftime (promised, sizeof promised, "%Y-%m-%d", &due);
  body = g_strdup_printf (
    "{\"case_no\": \"%s\", \"query_code\": \"K7Q2MX\", \"state\": \"accepted\","
    " \"hall\": \"46010001\", \"counter\": 7, \"clerk\": \"clerk\","
    " \"received_at\": \"2026-01-05T06:30:00Z\", \"promised_date\": \"%s\","
    " \"document_no\": \"海口政服受〔2026〕1号\","
    " \"applicant\": {\"kind\": \"person\", \"name\": \"张三\", \"id_number\": \"%s\","
    "   \"phone\": \"13800138000\", \"address\": \"海口市龙华区\", \"contact_name\": null},"
    " \"agent\": null,"
    " \"items\": [{\"item_id\": \"11460100MB1234567X400011\", \"basic_code\": \"000117001\","
    "   \"name\": \"某事项\", \"department\": \"%s\"}],"
    " \"materials\": [{\"material_id\": \"m1\", \"name\": \"申请书\", \"status\": \"scanned\","
    "   \"originals\": 1, \"copies\": 0, \"licence_no\": null, \"due_date\": null,"
    "   \"note\": null, \"files\": [\"%s\"]}],"
    " \"delivery\": {\"kind\": \"pickup\", \"recipient\": null, \"phone\": null,"
    "   \"address\": null},"
    " \"refusal\": null}",
    case_no, promised, GOOD_ID, department, sha256);
  path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  expect (fixture, "PUT", path, fixture->clerk, body, 201, NULL);
  return g_steal_pointer (&case_no);
}

static char *
login (Fixture    *fixture,
       const char *username)
{
  g_autoptr(GError) error = NULL;
  char *token = ow_test_platform_login (fixture->platform, username, "demo", &error);

  g_assert_no_error (error);
  return token;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  fixture->clerk = login (fixture, "clerk");
  fixture->pickup = login (fixture, "pickup");
  fixture->supervisor = login (fixture, "supervisor");
  fixture->market = login (fixture, "department");
  fixture->medical = login (fixture, "department2");

  fixture->market_page = upload_page (fixture, "\x89PNG the market case's page");
  fixture->medical_page = upload_page (fixture, "\x89PNG the medical case's page");
  fixture->market_case = put_case (fixture, 1, MARKET, fixture->market_page);
  fixture->medical_case = put_case (fixture, 2, MEDICAL, fixture->medical_page);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_true (ow_test_platform_stop (fixture->platform));
  g_clear_pointer (&fixture->platform, ow_test_platform_free);
  g_free (fixture->clerk);
  g_free (fixture->pickup);
  g_free (fixture->supervisor);
  g_free (fixture->market);
  g_free (fixture->medical);
  g_free (fixture->market_case);
  g_free (fixture->medical_case);
  g_free (fixture->market_page);
  g_free (fixture->medical_page);
}

/* The case numbers of a list of cases. */
static GPtrArray *
list_case_numbers (Fixture    *fixture,
                   const char *path,
                   const char *token)
{
  g_autoptr(OwTestResponse) r = request (fixture, "GET", path, token, NULL);
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  JsonArray *cases;

  assert_status (r, 200, NULL);
  cases = json_object_get_array_member (object_of (r), "cases");
  for (guint i = 0; i < json_array_get_length (cases); i++)
    g_ptr_array_add (numbers, g_strdup (json_object_get_string_member (
                                          json_array_get_object_element (cases, i), "case_no")));
  return numbers;
}

static gboolean
contains (GPtrArray  *strings,
          const char *wanted)
{
  return g_ptr_array_find_with_equal_func (strings, wanted, g_str_equal, NULL);
}

/* Cases ------------------------------------------------------------------------------------ */

static void
test_cases (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *market = g_strconcat ("/api/v1/cases/", fixture->market_case, NULL);
  g_autofree char *medical = g_strconcat ("/api/v1/cases/", fixture->medical_case, NULL);
  g_autofree char *market_events = g_strconcat (market, "/events", NULL);
  g_autofree char *medical_events = g_strconcat (medical, "/events", NULL);
  g_autofree char *hyphenated = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
#define APPROVE(id) "{\"id\": \"" id "\", \"kind\": \"approved\", " \
                    "\"at\": \"2026-11-25T06:30:00Z\", \"note\": null}"
  const char *approve_1 = APPROVE ("approve-1");
  const char *approve_2 = APPROVE ("approve-2");
#undef APPROVE

  /* Its own, and the hall's staff see both. */
  expect (fixture, "GET", market, fixture->market, NULL, 200, NULL);
  expect (fixture, "GET", medical, fixture->medical, NULL, 200, NULL);
  expect (fixture, "GET", medical, fixture->clerk, NULL, 200, NULL);
  expect (fixture, "GET", market, fixture->pickup, NULL, 200, NULL);
  expect (fixture, "GET", medical, fixture->supervisor, NULL, 200, NULL);
  /* Another department's: 403, whatever way its number is written. */
  expect (fixture, "GET", medical, fixture->market, NULL, 403, "department");
  expect (fixture, "GET", market, fixture->medical, NULL, 403, "department");
  hyphenated = ow_case_number_format (fixture->medical_case);
  {
    g_autofree char *escaped = g_uri_escape_string (hyphenated, NULL, FALSE);
    g_autofree char *path = g_strconcat ("/api/v1/cases/", escaped, NULL);

    expect (fixture, "GET", path, fixture->market, NULL, 403, "department");
  }
  /* An unknown case is unknown to everybody. */
  expect (fixture, "GET", "/api/v1/cases/4601000107202611259999X", fixture->market, NULL, 404,
          NULL);

  /* Its events: read, and decided, on its own cases only. */
  expect (fixture, "GET", market_events, fixture->market, NULL, 200, NULL);
  expect (fixture, "GET", medical_events, fixture->market, NULL, 403, "department");
  expect (fixture, "POST", medical_events, fixture->market, approve_1, 403, "department");
  expect (fixture, "POST", market_events, fixture->medical, approve_1, 403, "department");
  expect (fixture, "POST", market_events, fixture->market, approve_1, 201, NULL);
  expect (fixture, "POST", market_events, fixture->market, approve_1, 200, NULL);
  expect (fixture, "POST", medical_events, fixture->medical, approve_2, 201, NULL);
  {
    g_autoptr(OwTestResponse) r = request (fixture, "GET", medical, fixture->clerk, NULL);

    g_assert_cmpstr (ow_test_response_get_string (r, "state"), ==, "approved");
  }
  /* A counter's steps stay the counter's. */
  expect (fixture, "POST", market_events, fixture->market,
          "{\"id\": \"w-1\", \"kind\": \"withdrawn\", \"at\": \"2026-11-25T06:30:00Z\"}", 403,
          NULL);

  /* The list leaves the other department's out; asking for it by name is refused. */
  numbers = list_case_numbers (fixture, "/api/v1/cases", fixture->market);
  g_assert_true (contains (numbers, fixture->market_case));
  g_assert_false (contains (numbers, fixture->medical_case));
  g_clear_pointer (&numbers, g_ptr_array_unref);
  numbers = list_case_numbers (fixture, "/api/v1/cases?state=approved&limit=1", fixture->medical);
  g_assert_cmpuint (numbers->len, ==, 1);
  g_assert_cmpstr (numbers->pdata[0], ==, fixture->medical_case);
  g_clear_pointer (&numbers, g_ptr_array_unref);
  {
    g_autofree char *escaped = g_uri_escape_string (MARKET, NULL, FALSE);
    g_autofree char *own = g_strconcat ("/api/v1/cases?department=", escaped, NULL);
    g_autofree char *theirs = NULL;

    numbers = list_case_numbers (fixture, own, fixture->market);
    g_assert_cmpuint (numbers->len, ==, 1);
    g_clear_pointer (&numbers, g_ptr_array_unref);
    expect (fixture, "GET", own, fixture->medical, NULL, 403, "department");
    g_free (escaped);
    escaped = g_uri_escape_string (MEDICAL, NULL, FALSE);
    theirs = g_strconcat ("/api/v1/cases?department=", escaped, NULL);
    expect (fixture, "GET", theirs, fixture->market, NULL, 403, "department");
    /* The hall's staff filter as they like. */
    numbers = list_case_numbers (fixture, theirs, fixture->clerk);
    g_assert_cmpuint (numbers->len, ==, 1);
    g_assert_cmpstr (numbers->pdata[0], ==, fixture->medical_case);
    g_clear_pointer (&numbers, g_ptr_array_unref);
  }
  numbers = list_case_numbers (fixture, "/api/v1/cases", fixture->clerk);
  g_assert_true (contains (numbers, fixture->market_case));
  g_assert_true (contains (numbers, fixture->medical_case));
}

/* The pages of a case are the department's to read only when the case is. */
static void
test_files (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *market = g_strconcat ("/api/v1/files/", fixture->market_page, NULL);
  g_autofree char *medical = g_strconcat ("/api/v1/files/", fixture->medical_page, NULL);
  g_autofree char *loose_sha = NULL;
  g_autofree char *loose = NULL;

  expect (fixture, "GET", market, fixture->market, NULL, 200, NULL);
  expect (fixture, "GET", medical, fixture->medical, NULL, 200, NULL);
  expect (fixture, "GET", medical, fixture->market, NULL, 403, "department");
  expect (fixture, "GET", market, fixture->medical, NULL, 403, "department");
  expect (fixture, "GET", medical, fixture->clerk, NULL, 200, NULL);
  /* Uploaded but named by no case yet: nobody's department's. */
  loose_sha = upload_page (fixture, "\x89PNG a page before its case");
  loose = g_strconcat ("/api/v1/files/", loose_sha, NULL);
  expect (fixture, "GET", loose, fixture->market, NULL, 403, "department");
  expect (fixture, "GET", loose, fixture->clerk, NULL, 200, NULL);
  expect (fixture, "GET", "/api/v1/files/"
          "0000000000000000000000000000000000000000000000000000000000000000", fixture->market,
          NULL, 404, NULL);
}

/* Tickets ---------------------------------------------------------------------------------- */

static void
put_ticket (Fixture    *fixture,
            const char *id,
            const char *case_no)
{
  g_autofree char *path = g_strconcat ("/api/v1/tickets/", id, NULL);
  g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"registered_at\": "
                                           "\"2026-11-25T02:00:00Z\", \"tier\": "
                                           "\"5-working-days\", \"summary\": \"跑了三次没办成\", "
                                           "\"case_no\": \"%s\"}", id, case_no);

  expect (fixture, "PUT", path, fixture->clerk, body, 201, NULL);
}

static void
post_ticket_event (Fixture    *fixture,
                   const char *token,
                   const char *ticket,
                   const char *id,
                   const char *kind,
                   const char *extra,
                   guint       status,
                   const char *field)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/events", ticket);
  g_autofree char *body = g_strdup_printf ("{%s\"id\": \"%s\", \"kind\": \"%s\", "
                                           "\"at\": \"2026-11-25T03:00:00Z\"}",
                                           extra, id, kind);

  expect (fixture, "POST", path, token, body, status, field);
}

static GPtrArray *
list_ticket_ids (Fixture    *fixture,
                 const char *token)
{
  g_autoptr(OwTestResponse) r = request (fixture, "GET", "/api/v1/tickets", token, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *tickets;

  assert_status (r, 200, NULL);
  tickets = json_object_get_array_member (object_of (r), "tickets");
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                                      json_array_get_object_element (tickets, i), "id")));
  return ids;
}

/* A second user of the market regulation department, through the admin CLI. */
static char *
add_market_colleague (Fixture *fixture)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("OW_PLATFORM_BINARY"), "admin", "--db",
                              ow_test_platform_get_db_path (fixture->platform), "create-user",
                              "market.colleague", "--role", "department", "--display-name",
                              "钱伟", "--department", "海口市监", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "demo\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("create-user: %s%s", out, err);
  return login (fixture, "market.colleague");
}

/* A ticket is a department's when it is assigned to one of its users: they, and their
 * colleagues, see it and work on it; the other department does not even see it. */
static void
test_tickets (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *colleague = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  put_ticket (fixture, "t-market", fixture->market_case);
  put_ticket (fixture, "t-medical", fixture->medical_case);
  put_ticket (fixture, "t-open", fixture->market_case);
  post_ticket_event (fixture, fixture->supervisor, "t-market", "a-1", "assigned",
                     "\"assignee\": \"department\", ", 201, NULL);
  post_ticket_event (fixture, fixture->supervisor, "t-medical", "a-2", "assigned",
                     "\"assignee\": \"department2\", ", 201, NULL);

  expect (fixture, "GET", "/api/v1/tickets/t-market", fixture->market, NULL, 200, NULL);
  expect (fixture, "GET", "/api/v1/tickets/t-market/events", fixture->market, NULL, 200, NULL);
  expect (fixture, "GET", "/api/v1/tickets/t-medical", fixture->market, NULL, 403, "department");
  expect (fixture, "GET", "/api/v1/tickets/t-medical/events", fixture->market, NULL, 403,
          "department");
  /* Not assigned yet: the hall's business, no department's. */
  expect (fixture, "GET", "/api/v1/tickets/t-open", fixture->market, NULL, 403, "department");
  expect (fixture, "GET", "/api/v1/tickets/t-open", fixture->clerk, NULL, 200, NULL);
  post_ticket_event (fixture, fixture->market, "t-medical", "s-0", "started", "", 403,
                     "department");

  ids = list_ticket_ids (fixture, fixture->market);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, "t-market");
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = list_ticket_ids (fixture, fixture->medical);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, "t-medical");
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = list_ticket_ids (fixture, fixture->clerk);
  g_assert_cmpuint (ids->len, ==, 3);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* A colleague of the department takes over; the other department cannot. */
  colleague = add_market_colleague (fixture);
  expect (fixture, "GET", "/api/v1/tickets/t-market", colleague, NULL, 200, NULL);
  expect (fixture, "GET", "/api/v1/tickets/t-medical", colleague, NULL, 403, "department");
  post_ticket_event (fixture, colleague, "t-market", "s-1", "started", "", 201, NULL);
  post_ticket_event (fixture, colleague, "t-market", "n-1", "noted",
                     "\"note\": \"已联系申请人\", ", 201, NULL);
  post_ticket_event (fixture, fixture->medical, "t-market", "n-2", "noted",
                     "\"note\": \"不是我们的\", ", 403, "department");
  /* Assigning stays the supervisor's. */
  post_ticket_event (fixture, colleague, "t-market", "a-3", "assigned",
                     "\"assignee\": \"market.colleague\", ", 403, NULL);
  post_ticket_event (fixture, fixture->market, "t-market", "r-1", "resolved",
                     "\"note\": \"已办结\", ", 201, NULL);

  /* Assigned on to the other department, it goes with the assignment. */
  put_ticket (fixture, "t-moved", fixture->market_case);
  post_ticket_event (fixture, fixture->supervisor, "t-moved", "m-1", "assigned",
                     "\"assignee\": \"department\", ", 201, NULL);
  expect (fixture, "GET", "/api/v1/tickets/t-moved", colleague, NULL, 200, NULL);
  post_ticket_event (fixture, fixture->supervisor, "t-moved", "m-2", "assigned",
                     "\"assignee\": \"department2\", ", 201, NULL);
  expect (fixture, "GET", "/api/v1/tickets/t-moved", fixture->market, NULL, 403, "department");
  expect (fixture, "GET", "/api/v1/tickets/t-moved", fixture->medical, NULL, 200, NULL);
}

/* Ratings and statistics ------------------------------------------------------------------- */

static void
test_ratings_and_statistics (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *body = g_strdup_printf ("{\"id\": \"rate-1\", \"case_no\": \"%s\", "
                                           "\"channel\": \"on-site\", \"level\": 4, "
                                           "\"text\": \"等太久\", \"at\": "
                                           "\"2026-11-25T06:40:00Z\"}", fixture->medical_case);

  expect (fixture, "PUT", "/api/v1/ratings/rate-1", fixture->clerk, body, 201, NULL);
  expect (fixture, "PUT", "/api/v1/ratings/rate-2", fixture->market, body, 403, NULL);
  expect (fixture, "GET", "/api/v1/ratings/rate-1", fixture->medical, NULL, 200, NULL);
  expect (fixture, "GET", "/api/v1/ratings/rate-1", fixture->market, NULL, 403, "department");
  expect (fixture, "GET", "/api/v1/ratings/rate-1", fixture->pickup, NULL, 200, NULL);
  /* The hall's figures are the supervisor's. */
  expect (fixture, "GET", "/api/v1/statistics", fixture->market, NULL, 403, NULL);
  expect (fixture, "GET", "/api/v1/statistics", fixture->supervisor, NULL, 200, NULL);
}

/* The changes feed ------------------------------------------------------------------------- */

/* The keys of the changes in @response of @kind (NULL: any). */
static GPtrArray *
change_keys (OwTestResponse *response,
             const char     *kind)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  JsonArray *changes = json_object_get_array_member (object_of (response), "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (kind == NULL || g_str_equal (json_object_get_string_member (change, "kind"), kind))
        g_ptr_array_add (keys, g_strdup (json_object_get_string_member (change, "key")));
    }
  return keys;
}

static void
test_changes (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *market_events = g_strdup_printf ("/api/v1/cases/%s/events",
                                                    fixture->market_case);
  g_autofree char *medical_events = g_strdup_printf ("/api/v1/cases/%s/events",
                                                     fixture->medical_case);
  g_autofree char *cursor = NULL;
  g_autofree char *path = NULL;
  g_autofree char *rating = g_strdup_printf ("{\"id\": \"rate-m\", \"case_no\": \"%s\", "
                                             "\"channel\": \"online\", \"level\": 1, "
                                             "\"text\": null, \"at\": "
                                             "\"2026-11-25T06:40:00Z\"}", fixture->medical_case);
  OwTestResponse *r;
  GPtrArray *keys;

  put_ticket (fixture, "t-market", fixture->market_case);
  put_ticket (fixture, "t-medical", fixture->medical_case);
  post_ticket_event (fixture, fixture->supervisor, "t-market", "a-1", "assigned",
                     "\"assignee\": \"department\", ", 201, NULL);
  post_ticket_event (fixture, fixture->supervisor, "t-medical", "a-2", "assigned",
                     "\"assignee\": \"department2\", ", 201, NULL);
  expect (fixture, "POST", medical_events, fixture->medical,
          "{\"id\": \"sus-1\", \"kind\": \"suspended\", \"at\": \"2026-11-25T06:30:00Z\"}", 201,
          NULL);
  expect (fixture, "PUT", "/api/v1/ratings/rate-m", fixture->clerk, rating, 201, NULL);

  /* Everything from the start: its own case, its events, its ticket, the catalog. */
  r = request (fixture, "GET", "/api/v1/changes", fixture->market, NULL);
  assert_status (r, 200, NULL);
  keys = change_keys (r, NULL);
  g_assert_true (contains (keys, fixture->market_case));
  g_assert_true (contains (keys, "t-market"));
  g_assert_false (contains (keys, fixture->medical_case));
  g_assert_false (contains (keys, "t-medical"));
  g_assert_false (contains (keys, "rate-m"));
  g_ptr_array_unref (keys);
  keys = change_keys (r, "catalog");
  g_assert_cmpuint (keys->len, ==, 1);
  g_ptr_array_unref (keys);
  cursor = g_strdup (ow_test_response_get_string (r, "cursor"));
  ow_test_response_free (r);

  /* … and the other department's, from its side. */
  r = request (fixture, "GET", "/api/v1/changes", fixture->medical, NULL);
  keys = change_keys (r, NULL);
  g_assert_true (contains (keys, fixture->medical_case));
  g_assert_true (contains (keys, "t-medical"));
  g_assert_true (contains (keys, "rate-m"));
  g_assert_false (contains (keys, fixture->market_case));
  g_assert_false (contains (keys, "t-market"));
  g_ptr_array_unref (keys);
  ow_test_response_free (r);
  /* Addressed to them by name, too, only their own. */
  r = request (fixture, "GET", "/api/v1/changes?for=me", fixture->medical, NULL);
  keys = change_keys (r, NULL);
  g_assert_true (contains (keys, "t-medical"));
  g_assert_false (contains (keys, "t-market"));
  g_ptr_array_unref (keys);
  ow_test_response_free (r);
  /* The hall's staff hear of everything of their hall. */
  r = request (fixture, "GET", "/api/v1/changes", fixture->clerk, NULL);
  keys = change_keys (r, NULL);
  g_assert_true (contains (keys, fixture->market_case));
  g_assert_true (contains (keys, fixture->medical_case));
  g_assert_true (contains (keys, "t-medical"));
  g_ptr_array_unref (keys);
  ow_test_response_free (r);

  /* A long poll is not woken by the other department's step: it waits it out and answers
   * nothing, its cursor past that step. */
  expect (fixture, "POST", medical_events, fixture->medical,
          "{\"id\": \"res-1\", \"kind\": \"resumed\", \"at\": \"2026-11-25T06:31:00Z\"}", 201,
          NULL);
  path = g_strdup_printf ("/api/v1/changes?since=%s&timeout=1", cursor);
  r = request (fixture, "GET", path, fixture->market, NULL);
  assert_status (r, 200, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (r),
                                                                         "changes")), ==, 0);
  g_assert_cmpstr (ow_test_response_get_string (r, "cursor"), !=, cursor);
  g_free (cursor);
  cursor = g_strdup (ow_test_response_get_string (r, "cursor"));
  ow_test_response_free (r);
  /* Its own step comes through. */
  expect (fixture, "POST", market_events, fixture->market,
          "{\"id\": \"sus-2\", \"kind\": \"suspended\", \"at\": \"2026-11-25T06:32:00Z\"}", 201,
          NULL);
  g_free (path);
  path = g_strdup_printf ("/api/v1/changes?since=%s&timeout=5", cursor);
  r = request (fixture, "GET", path, fixture->market, NULL);
  keys = change_keys (r, "case-event");
  g_assert_cmpuint (keys->len, ==, 1);
  g_assert_cmpstr (keys->pdata[0], ==, fixture->market_case);
  g_ptr_array_unref (keys);
  ow_test_response_free (r);
}

/* A department user whose department is not set (made before users had one) sees nothing of
 * any department's, and is told what to do. */
static void
test_no_department (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *medical = g_strconcat ("/api/v1/cases/", fixture->medical_case, NULL);
  const char *forget = "UPDATE users SET department = NULL WHERE username = 'department2'";
  OwTestResponse *r;

  /* As the schema's upgrade leaves the department users made before it. */
  if (ow_test_platform_is_postgresql (fixture->platform))
    g_ptr_array_unref (ow_test_postgres_query (ow_test_platform_get_db_path (fixture->platform),
                                               forget, NULL));
  else
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (ow_test_platform_get_db_path (fixture->platform), &db), ==,
                       SQLITE_OK);
      sqlite3_busy_timeout (db, 5000);
      g_assert_cmpint (sqlite3_exec (db, forget, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
  g_assert_cmpint (ow_test_platform_count (fixture->platform, "SELECT count(*) FROM users "
                                           "WHERE department IS NULL AND username = ?",
                                           "department2"), ==, 1);

  r = request (fixture, "GET", medical, fixture->medical, NULL);
  assert_status (r, 403, "department");
  g_assert_nonnull (strstr (g_bytes_get_data (r->body, NULL), "set-department"));
  ow_test_response_free (r);
  expect (fixture, "GET", "/api/v1/cases", fixture->medical, NULL, 403, "department");
  r = request (fixture, "GET", "/api/v1/changes", fixture->medical, NULL);
  assert_status (r, 200, NULL);
  {
    g_autoptr(GPtrArray) keys = change_keys (r, "case");

    g_assert_cmpuint (keys->len, ==, 0);
  }
  ow_test_response_free (r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/departments/cases", test_cases);
  ADD ("/departments/files", test_files);
  ADD ("/departments/tickets", test_tickets);
  ADD ("/departments/ratings-statistics", test_ratings_and_statistics);
  ADD ("/departments/changes", test_changes);
  ADD ("/departments/no-department", test_no_department);
#undef ADD

  return g_test_run ();
}
