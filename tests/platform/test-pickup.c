/* test-pickup.c — the platform's side of the pick-up window, on the real process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An applicant's cases by ID number (roles, the caller's hall only, the number checked); a
 * hand-over's collector checked against the case (GB 11643, the applicant's own ID, the agent's
 * letter uploaded first) and kept in the event; a mailing's carrier and waybill checked against
 * the hall's carriers, the built-in ones and a list given with --carriers; old-style events
 * without these members still accepted, and a resend of a recorded one answered 200.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "core/ow-case-number.h"
#include "net/ow-json.h"
#include "ow-test-platform.h"

#define APPLICANT_ID "11010519491231002X"
#define OTHER_ID     "460100200002291233"
#define OTHER_HALL   "46020001"

typedef struct
{
  OwTestPlatform *platform;
  char           *clerk;
  char           *pickup;
  char           *supervisor;
  char           *department;
} Fixture;

static void
run_admin (Fixture    *fixture,
           const char *stdin_text,
           ...)
{
  const char *binary = g_getenv ("OW_PLATFORM_BINARY");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *arg;
  va_list args;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  g_ptr_array_add (argv, (char *) "admin");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) ow_test_platform_get_db_path (fixture->platform));
  va_start (args, stdin_text);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("admin %s: %s%s", (char *) argv->pdata[4], out, err);
}

static void
log_in_all (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&fixture->clerk, g_free);
  g_clear_pointer (&fixture->pickup, g_free);
  g_clear_pointer (&fixture->supervisor, g_free);
  g_clear_pointer (&fixture->department, g_free);
  fixture->clerk = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  fixture->pickup = ow_test_platform_login (fixture->platform, "pickup", "demo", &error);
  g_assert_no_error (error);
  fixture->supervisor = ow_test_platform_login (fixture->platform, "supervisor", "demo", &error);
  g_assert_no_error (error);
  fixture->department = ow_test_platform_login (fixture->platform, "department", "demo", &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  log_in_all (fixture);
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
  g_free (fixture->department);
}

static OwTestResponse *
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *token,
         const char *body)
{
  g_autoptr(GError) error = NULL;
  OwTestResponse *response = ow_test_platform_request (fixture->platform, method, path, token,
                                                       body, &error);

  g_assert_no_error (error);
  return response;
}

static void
assert_refused (OwTestResponse *response,
                guint           status,
                const char     *field)
{
  if (response->status != status
      || g_strcmp0 (ow_test_response_error_field (response), field) != 0)
    g_error ("expected %u naming %s, got %u: %.*s", status, field, response->status,
             (int) g_bytes_get_size (response->body),
             (const char *) g_bytes_get_data (response->body, NULL));
}

static void
assert_status (OwTestResponse *response,
               guint           status)
{
  if (response->status != status)
    g_error ("expected %u, got %u: %.*s", status, response->status,
             (int) g_bytes_get_size (response->body),
             (const char *) g_bytes_get_data (response->body, NULL));
}

/* A case of @hall at @counter for the applicant @id_number, put by @token. */
static char *
put_case (Fixture    *fixture,
          const char *token,
          const char *hall,
          guint       counter,
          guint       sequence,
          const char *id_number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(OwTestResponse) answer = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  char *case_no;
  GDate today;

  ow_test_today (&today);
  case_no = ow_case_number_make (hall, counter, &today, sequence, &error);
  g_assert_no_error (error);
  kase = ow_case_new (case_no);
  ow_case_set_state (kase, OW_CASE_STATE_ACCEPTED);
  ow_case_set_query_code (kase, "K7Q2MX");
  applicant->name = g_strdup (g_str_equal (id_number, APPLICANT_ID) ? "张三" : "李四");
  applicant->id_number = g_strdup (id_number);
  applicant->phone = g_strdup ("13800138000");
  ow_case_set_applicant (kase, applicant);
  ow_case_set_origin (kase, hall, counter, "clerk");
  ow_case_set_received_at (kase, now);
  ow_case_add_item (kase, ow_case_item_new ("11460100MB1234567X400011", "000117001",
                                            "食品经营许可（新办）", "海口市市场监督管理局"));
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  node = ow_json_from_case (kase);
  body = ow_json_to_canonical (node);
  path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  answer = request (fixture, "PUT", path, token, body);
  assert_status (answer, 201);
  return case_no;
}

static void
make_ready (Fixture    *fixture,
            const char *case_no)
{
  run_admin (fixture, "", "move-case", case_no, "approved", NULL);
  run_admin (fixture, "", "move-case", case_no, "result-ready", NULL);
}

static OwTestResponse *
post_event (Fixture    *fixture,
            const char *case_no,
            const char *json)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);

  return request (fixture, "POST", path, fixture->pickup, json);
}

static guint
count_listed (Fixture    *fixture,
              const char *query,
              const char *token)
{
  g_autofree char *path = g_strconcat ("/api/v1/cases?", query, NULL);
  g_autoptr(OwTestResponse) answer = request (fixture, "GET", path, token, NULL);
  JsonArray *cases;
  guint n;

  assert_status (answer, 200);
  cases = json_object_get_array_member (json_node_get_object (answer->json), "cases");
  n = json_array_get_length (cases);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *kase = json_array_get_object_element (cases, i);

      /* Only the caller's hall, whatever the number. */
      g_assert_cmpstr (json_object_get_string_member (kase, "hall"), ==, "46010001");
    }
  return n;
}

/* ---------------------------------------------------------------------------------------- */

static void
test_list_by_id_number (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *first = NULL, *second = NULL, *someone_else = NULL, *elsewhere = NULL;
  g_autofree char *clerk_elsewhere = NULL;
  g_autoptr(GError) error = NULL;
  OwTestResponse *r;

  /* A clerk of another hall, and one of its cases for the same applicant. */
  run_admin (fixture, "demo\n", "create-user", "sanya", "--role", "clerk", "--display-name",
             "吴敏", "--hall", OTHER_HALL, "--hall-name", "三亚市政务服务中心", "--counter", "3",
             NULL);
  clerk_elsewhere = ow_test_platform_login (fixture->platform, "sanya", "demo", &error);
  g_assert_no_error (error);

  first = put_case (fixture, fixture->clerk, "46010001", 7, 1, APPLICANT_ID);
  second = put_case (fixture, fixture->clerk, "46010001", 7, 2, APPLICANT_ID);
  someone_else = put_case (fixture, fixture->clerk, "46010001", 7, 3, OTHER_ID);
  elsewhere = put_case (fixture, clerk_elsewhere, OTHER_HALL, 3, 1, APPLICANT_ID);
  make_ready (fixture, first);
  make_ready (fixture, elsewhere);

  /* The applicant's cases of this hall, in any state, and with the state filter the ready. */
  g_assert_cmpuint (count_listed (fixture, "id_number=" APPLICANT_ID, fixture->pickup), ==, 2);
  g_assert_cmpuint (count_listed (fixture, "id_number=11010519491231002x", fixture->pickup), ==,
                    2);
  g_assert_cmpuint (count_listed (fixture, "id_number=" APPLICANT_ID "&state=result-ready",
                                  fixture->pickup), ==, 1);
  g_assert_cmpuint (count_listed (fixture, "id_number=" APPLICANT_ID, fixture->supervisor), ==,
                    2);
  g_assert_cmpuint (count_listed (fixture, "id_number=" OTHER_ID, fixture->pickup), ==, 1);
  g_assert_cmpuint (count_listed (fixture, "id_number=91350100M000100Y43", fixture->pickup), ==,
                    0);

  /* Not for a clerk or a department, never another hall, and only a real number. */
  r = request (fixture, "GET", "/api/v1/cases?id_number=" APPLICANT_ID, fixture->clerk, NULL);
  g_assert_cmpuint (r->status, ==, 403);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/cases?id_number=" APPLICANT_ID, fixture->department, NULL);
  g_assert_cmpuint (r->status, ==, 403);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/cases?id_number=" APPLICANT_ID "&hall=" OTHER_HALL,
               fixture->pickup, NULL);
  assert_refused (r, 403, "hall");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/cases?id_number=110105194912310021", fixture->pickup,
               NULL);
  assert_refused (r, 422, "id_number");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/cases?id_number=%E5%BC%A0%E4%B8%89", fixture->pickup,
               NULL);
  assert_refused (r, 422, "id_number");
  ow_test_response_free (r);

  /* Without the filter the list is as before: every hall's cases for the hall's staff. */
  r = request (fixture, "GET", "/api/v1/cases?limit=50", fixture->pickup, NULL);
  assert_status (r, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (r->json), "cases")), ==, 4);
  ow_test_response_free (r);
}

static void
test_collector (Fixture       *fixture,
                gconstpointer  data)
{
  static const char letter[] = "%PDF-1.4\n% 授权委托书\n%%EOF\n";
  g_autoptr(GBytes) letter_bytes = g_bytes_new_static (letter, sizeof letter - 1);
  g_autofree char *page = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, letter_bytes);
  g_autofree char *case_no = put_case (fixture, fixture->clerk, "46010001", 7, 11, APPLICANT_ID);
  g_autofree char *agent_case = put_case (fixture, fixture->clerk, "46010001", 7, 12,
                                          APPLICANT_ID);
  g_autofree char *old_style = put_case (fixture, fixture->clerk, "46010001", 7, 13,
                                         APPLICANT_ID);
  g_autofree char *events_path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);
  g_autofree char *agent = NULL;
  g_autofree char *wrong = NULL, *bad_id = NULL, *right = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *events;
  JsonObject *collector;
  OwTestResponse *r;

  make_ready (fixture, case_no);
  make_ready (fixture, agent_case);
  make_ready (fixture, old_style);

  /* Someone else's ID: refused, naming the member, and the case stays ready. */
  wrong = g_strdup ("{\"id\": \"h-1\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\","
                    " \"collector\": {\"kind\": \"applicant\", \"name\": \"张三\","
                    " \"id_number\": \"" OTHER_ID "\"},"
                    " \"results\": [{\"name\": \"食品经营许可证\", \"number\": \"JY14601000001\"}]}");
  r = post_event (fixture, case_no, wrong);
  assert_refused (r, 422, "collector.id_number");
  /* The reason names whose ID it should have been. */
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                                  "张三"));
  ow_test_response_free (r);
  bad_id = g_strdup ("{\"id\": \"h-1\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\","
                     " \"collector\": {\"kind\": \"applicant\", \"name\": \"张三\","
                     " \"id_number\": \"110105194912310021\"}}");
  r = post_event (fixture, case_no, bad_id);
  assert_refused (r, 422, "collector.id_number");
  ow_test_response_free (r);
  r = request (fixture, "GET", events_path, fixture->pickup, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (r->json), "events")), ==, 2);
  ow_test_response_free (r);

  /* The applicant's own ID: recorded, with who and what, and a resend is the same. */
  right = g_strdup ("{\"id\": \"h-1\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\","
                    " \"collector\": {\"kind\": \"applicant\", \"name\": \"张三\","
                    " \"id_number\": \"11010519491231002x\"},"
                    " \"results\": [{\"name\": \"食品经营许可证\", \"number\": \"JY14601000001\"}]}");
  r = post_event (fixture, case_no, right);
  assert_status (r, 201);
  ow_test_response_free (r);
  r = post_event (fixture, case_no, right);
  assert_status (r, 200);
  ow_test_response_free (r);
  r = request (fixture, "GET", events_path, fixture->supervisor, NULL);
  events = json_object_get_array_member (json_node_get_object (r->json), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 3);
  collector = json_object_get_object_member (json_array_get_object_element (events, 2),
                                             "collector");
  g_assert_cmpstr (json_object_get_string_member (collector, "kind"), ==, "applicant");
  g_assert_cmpstr (json_object_get_string_member (collector, "name"), ==, "张三");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (
                       json_array_get_object_element (events, 2), "results"), 0), "number"),
                   ==, "JY14601000001");
  ow_test_response_free (r);

  /* An agent: the letter's page must be uploaded before the event names it. */
  agent = g_strdup_printf ("{\"id\": \"h-2\", \"kind\": \"handed-over\","
                           " \"at\": \"2026-11-25T06:30:00Z\", \"collector\": {\"kind\": \"agent\","
                           " \"name\": \"李四\", \"id_number\": \"" OTHER_ID "\","
                           " \"phone\": \"13900139000\", \"letter_files\": [\"%s\"]}}", page);
  r = post_event (fixture, agent_case, agent);
  assert_refused (r, 422, "collector.letter_files[0]");
  ow_test_response_free (r);
  {
    g_autofree char *uri = g_strconcat (ow_test_platform_get_base_uri (fixture->platform),
                                        "api/v1/files/", page, NULL);
    g_autofree char *bearer = g_strconcat ("Bearer ", fixture->clerk, NULL);
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) message = soup_message_new ("PUT", uri);
    g_autoptr(GBytes) answer = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                  bearer);
    soup_message_set_request_body_from_bytes (message, "application/pdf", letter_bytes);
    answer = soup_session_send_and_read (session, message, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (message), ==, 201);
  }
  r = post_event (fixture, agent_case, agent);
  assert_status (r, 201);
  ow_test_response_free (r);

  /* An older counter's hand-over names nobody: still taken. */
  r = post_event (fixture, old_style, "{\"id\": \"h-3\", \"kind\": \"handed-over\","
                                      " \"at\": \"2026-11-25T06:30:00Z\"}");
  assert_status (r, 201);
  ow_test_response_free (r);
}

static void
test_mailed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *case_no = put_case (fixture, fixture->clerk, "46010001", 7, 21, APPLICANT_ID);
  g_autofree char *old_style = put_case (fixture, fixture->clerk, "46010001", 7, 22,
                                         APPLICANT_ID);
  g_autofree char *custom = put_case (fixture, fixture->clerk, "46010001", 7, 23, APPLICANT_ID);
  g_autofree char *carriers = g_build_filename (ow_test_platform_get_tmp_dir (fixture->platform),
                                                "carriers.txt", NULL);
  g_autoptr(GError) error = NULL;
  OwTestResponse *r;

  make_ready (fixture, case_no);
  make_ready (fixture, old_style);
  make_ready (fixture, custom);

  r = post_event (fixture, case_no, "{\"id\": \"m-1\", \"kind\": \"mailed\", \"at\": "
                                    "\"2026-11-25T06:30:00Z\", \"carrier\": \"ems\", "
                                    "\"waybill\": \"EA123456784CN\"}");
  assert_refused (r, 422, "waybill");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                                  "check digit"));
  ow_test_response_free (r);
  r = post_event (fixture, case_no, "{\"id\": \"m-1\", \"kind\": \"mailed\", \"at\": "
                                    "\"2026-11-25T06:30:00Z\", \"carrier\": \"pigeon\", "
                                    "\"waybill\": \"EA123456785CN\"}");
  assert_refused (r, 422, "carrier");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, "{\"id\": \"m-1\", \"kind\": \"mailed\", \"at\": "
                                    "\"2026-11-25T06:30:00Z\", \"carrier\": \"sf\", "
                                    "\"waybill\": \"EA123456785CN\"}");
  assert_refused (r, 422, "waybill");
  ow_test_response_free (r);
  r = post_event (fixture, case_no, "{\"id\": \"m-1\", \"kind\": \"mailed\", \"at\": "
                                    "\"2026-11-25T06:30:00Z\", \"carrier\": \"ems\", "
                                    "\"waybill\": \"EA123456785CN\", \"results\": "
                                    "[{\"name\": \"食品经营许可证\"}]}");
  assert_status (r, 201);
  ow_test_response_free (r);

  /* Without a carrier (an older counter): an S10-shaped number is still checked. */
  r = post_event (fixture, old_style, "{\"id\": \"m-2\", \"kind\": \"mailed\", \"at\": "
                                      "\"2026-11-25T06:30:00Z\", \"waybill\": \"EA123456784CN\"}");
  assert_refused (r, 422, "waybill");
  ow_test_response_free (r);
  r = post_event (fixture, old_style, "{\"id\": \"m-2\", \"kind\": \"mailed\", \"at\": "
                                      "\"2026-11-25T06:30:00Z\", \"waybill\": \"SF1234567890\"}");
  assert_status (r, 201);
  ow_test_response_free (r);

  /* A hall's own list, given with --carriers. */
  g_assert_true (g_file_set_contents (carriers, "# 本厅合作的寄递企业\n"
                                      "zto|中通快递|^7[0-9]{11}$\n\nems|EMS|s10\n", -1, &error));
  g_assert_no_error (error);
  {
    const char *args[] = { "--carriers", carriers, NULL };

    ow_test_platform_set_args (fixture->platform, args);
    g_assert_true (ow_test_platform_restart (fixture->platform, &error));
    g_assert_no_error (error);
    log_in_all (fixture);
  }
  r = post_event (fixture, custom, "{\"id\": \"m-3\", \"kind\": \"mailed\", \"at\": "
                                   "\"2026-11-25T06:30:00Z\", \"carrier\": \"sf\", "
                                   "\"waybill\": \"SF1234567890123\"}");
  assert_refused (r, 422, "carrier");
  ow_test_response_free (r);
  r = post_event (fixture, custom, "{\"id\": \"m-3\", \"kind\": \"mailed\", \"at\": "
                                   "\"2026-11-25T06:30:00Z\", \"carrier\": \"zto\", "
                                   "\"waybill\": \"712345678901\"}");
  assert_status (r, 201);
  ow_test_response_free (r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pickup/list-by-id-number", Fixture, NULL, fixture_set_up,
              test_list_by_id_number, fixture_tear_down);
  g_test_add ("/pickup/collector", Fixture, NULL, fixture_set_up, test_collector,
              fixture_tear_down);
  g_test_add ("/pickup/mailed", Fixture, NULL, fixture_set_up, test_mailed, fixture_tear_down);
  return g_test_run ();
}
