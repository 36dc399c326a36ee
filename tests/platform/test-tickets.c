/* test-tickets.c — unfinished business through the real platform: the whole loop, roles,
 * illegal steps, the changes feed for assignees and supervisors, escalation on a set clock
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "ow-test-platform.h"

typedef struct
{
  OwTestPlatform *platform;
  char           *clerk;
  char           *department;
  char           *supervisor;
} Fixture;

static void
log_in_all (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&fixture->clerk, g_free);
  g_clear_pointer (&fixture->department, g_free);
  g_clear_pointer (&fixture->supervisor, g_free);
  fixture->clerk = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  fixture->department = ow_test_platform_login (fixture->platform, "department", "demo", &error);
  g_assert_no_error (error);
  fixture->supervisor = ow_test_platform_login (fixture->platform, "supervisor", "demo", &error);
  g_assert_no_error (error);
}

/* @data: the --now of the platform, or NULL for the real clock. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--now", data, NULL };

  fixture->platform = ow_test_platform_start_with_args (data != NULL ? args : NULL, &error);
  g_assert_no_error (error);
  log_in_all (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->clerk);
  g_free (fixture->department);
  g_free (fixture->supervisor);
  ow_test_platform_free (fixture->platform);
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
  g_assert_nonnull (response);
  return response;
}

static void
assert_status (OwTestResponse *response,
               guint           status,
               const char     *field)
{
  if (response->status != status)
    g_error ("expected %u, got %u: %.*s", status, response->status,
             (int) g_bytes_get_size (response->body),
             (const char *) g_bytes_get_data (response->body, NULL));
  if (field != NULL)
    g_assert_cmpstr (ow_test_response_error_field (response), ==, field);
}

/* PUT of ticket @id; @extra: more members ("\"channel\": \"hall\", ") or "". */
static OwTestResponse *
put_ticket (Fixture    *fixture,
            const char *token,
            const char *id,
            const char *registered_at,
            const char *tier,
            const char *extra)
{
  g_autofree char *path = g_strconcat ("/api/v1/tickets/", id, NULL);
  g_autofree char *body = g_strdup_printf ("{%s\"id\": \"%s\", \"registered_at\": \"%s\", "
                                           "\"tier\": \"%s\", \"summary\": \"营业执照网上申报三次"
                                           "被退回，不知原因\", \"contact_name\": \"张三\", "
                                           "\"contact_phone\": \"13800138000\"}",
                                           extra, id, registered_at, tier);

  return request (fixture, "PUT", path, token, body);
}

/* POST of event @event_id of @kind on @ticket; @extra: more members or "". */
static OwTestResponse *
post_event (Fixture    *fixture,
            const char *token,
            const char *ticket,
            const char *event_id,
            const char *kind,
            const char *extra)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/events", ticket);
  g_autofree char *body = g_strdup_printf ("{%s\"id\": \"%s\", \"kind\": \"%s\", "
                                           "\"at\": \"2026-11-25T03:00:00Z\", \"note\": \"记录\"}",
                                           extra, event_id, kind);

  return request (fixture, "POST", path, token, body);
}

static void
expect_event (Fixture    *fixture,
              const char *token,
              const char *ticket,
              const char *event_id,
              const char *kind,
              const char *extra,
              guint       status,
              const char *field)
{
  g_autoptr(OwTestResponse) r = post_event (fixture, token, ticket, event_id, kind, extra);

  assert_status (r, status, field);
}

static JsonObject *
object_of (OwTestResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

/* Whether the changes of @response name ticket @key, addressed to @user or @role when given. */
static gboolean
changes_name (OwTestResponse *response,
              const char     *key,
              const char     *user,
              const char     *role)
{
  JsonArray *changes = json_object_get_array_member (object_of (response), "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (change, "kind"), "ticket") != 0 ||
          g_strcmp0 (json_object_get_string_member (change, "key"), key) != 0)
        continue;
      if (user != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (change, "user", NULL), user) != 0)
        continue;
      if (role != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (change, "role", NULL), role) != 0)
        continue;
      return TRUE;
    }
  return FALSE;
}

/* A category is answered as its code; a counter of before the codes sent its label in the
 * clerk's language, which the platform keeps as sent (so that the outbox's resend still
 * compares equal) and answers as the code it names. A hall's own text stays text. */
static void
test_categories (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const sent[][2] = {
    { "t-cat-code", "several-departments" },
    { "t-cat-en", "Several departments involved" },
    { "t-cat-zh", "涉及多个部门" },
  };
  OwTestResponse *r;

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_autofree char *members = g_strdup_printf ("\"category\": \"%s\", ", sent[i][1]);
      g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s", sent[i][0]);

      for (guint again = 0; again < 2; again++)
        {
          r = put_ticket (fixture, fixture->clerk, sent[i][0], "2026-11-25T02:00:00Z",
                          "5-working-days", members);
          assert_status (r, again == 0 ? 201 : 200, NULL);
          g_assert_cmpstr (json_object_get_string_member (object_of (r), "category"), ==,
                           "several-departments");
          ow_test_response_free (r);
        }
      r = request (fixture, "GET", path, fixture->supervisor, NULL);
      assert_status (r, 200, NULL);
      g_assert_cmpstr (json_object_get_string_member (object_of (r), "category"), ==,
                       "several-departments");
      ow_test_response_free (r);
    }
  r = put_ticket (fixture, fixture->clerk, "t-cat-own", "2026-11-25T02:00:00Z", "5-working-days",
                  "\"category\": \"网办退件\", ");
  assert_status (r, 201, NULL);
  g_assert_cmpstr (json_object_get_string_member (object_of (r), "category"), ==, "网办退件");
  ow_test_response_free (r);
}

/* Register (clerk) → assign (supervisor) → start, resolve (department) → call back with the
 * applicant's satisfaction (supervisor) → archive, with every wrong role and step refused. */
static void
test_loop (Fixture       *fixture,
           gconstpointer  data)
{
  OwTestResponse *r;
  JsonObject *ticket;
  JsonArray *events;

  r = put_ticket (fixture, fixture->clerk, "t-loop", "2026-11-25T02:00:00Z", "5-working-days",
                  "\"channel\": \"online\", \"item_id\": \"11460100MB0000000X\", "
                  "\"category\": \"网办退件\", ");
  assert_status (r, 201, NULL);
  ticket = object_of (r);
  g_assert_cmpstr (json_object_get_string_member (ticket, "state"), ==, "registered");
  g_assert_cmpstr (json_object_get_string_member (ticket, "channel"), ==, "online");
  g_assert_cmpstr (json_object_get_string_member (ticket, "category"), ==, "网办退件");
  g_assert_true (json_object_get_null_member (ticket, "escalated_at"));
  g_assert_cmpstr (json_object_get_string_member (ticket, "due_date"), ==, "2026-12-02");
  ow_test_response_free (r);

  /* Registration: only the front roles, and only the channels the hall counts. */
  r = put_ticket (fixture, fixture->department, "t-dept", "2026-11-25T02:00:00Z",
                  "on-the-spot", "");
  assert_status (r, 403, NULL);
  ow_test_response_free (r);
  r = put_ticket (fixture, fixture->clerk, "t-mail", "2026-11-25T02:00:00Z", "on-the-spot",
                  "\"channel\": \"mail\", ");
  assert_status (r, 422, "channel");
  ow_test_response_free (r);

  /* Assigning is the supervisor's; nothing can start before it. */
  expect_event (fixture, fixture->clerk, "t-loop", "e-1", "assigned",
                "\"assignee\": \"department\", ", 403, NULL);
  expect_event (fixture, fixture->department, "t-loop", "e-1", "assigned",
                "\"assignee\": \"department\", ", 403, NULL);
  expect_event (fixture, fixture->supervisor, "t-loop", "e-1", "started", "", 422, "kind");
  expect_event (fixture, fixture->supervisor, "t-loop", "e-1", "assigned",
                "\"assignee\": \"nobody\", ", 422, "assignee");
  expect_event (fixture, fixture->supervisor, "t-loop", "e-1", "assigned",
                "\"assignee\": \"department\", ", 201, NULL);

  /* The department hears of it through the feed addressed to it; the clerk does not. */
  r = request (fixture, "GET", "/api/v1/changes?for=me", fixture->department, NULL);
  assert_status (r, 200, NULL);
  g_assert_true (changes_name (r, "t-loop", "department", NULL));
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/changes?for=me", fixture->clerk, NULL);
  assert_status (r, 200, NULL);
  g_assert_false (changes_name (r, "t-loop", NULL, NULL));
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/changes?for=everyone", fixture->clerk, NULL);
  assert_status (r, 422, "for");
  ow_test_response_free (r);

  /* The assignee works on it; a clerk who is not the assignee may not. */
  expect_event (fixture, fixture->clerk, "t-loop", "e-2", "started", "", 403, NULL);
  expect_event (fixture, fixture->department, "t-loop", "e-2", "started", "", 201, NULL);
  expect_event (fixture, fixture->department, "t-loop", "e-3", "archived", "", 403, NULL);
  expect_event (fixture, fixture->supervisor, "t-loop", "e-3", "archived", "", 422, "kind");
  /* Progress notes: the assignee's or the supervisor's, with something written, state kept. */
  expect_event (fixture, fixture->clerk, "t-loop", "n-1", "noted", "", 403, NULL);
  {
    g_autoptr(OwTestResponse) empty = request (fixture, "POST", "/api/v1/tickets/t-loop/events",
                                               fixture->department,
                                               "{\"id\": \"n-1\", \"kind\": \"noted\", "
                                               "\"at\": \"2026-11-25T03:00:00Z\"}");

    assert_status (empty, 422, "note");
  }
  expect_event (fixture, fixture->department, "t-loop", "n-1", "noted", "", 201, NULL);
  r = request (fixture, "GET", "/api/v1/tickets/t-loop", fixture->clerk, NULL);
  g_assert_cmpstr (json_object_get_string_member (object_of (r), "state"), ==, "in-progress");
  ow_test_response_free (r);
  /* A resolution names only cases the platform holds, and only a resolution names any. */
  expect_event (fixture, fixture->department, "t-loop", "e-3", "resolved",
                "\"case_nos\": [\"4601000107202611259999X\"], ", 422, "case_nos[0]");
  expect_event (fixture, fixture->department, "t-loop", "e-3", "resolved",
                "\"case_nos\": [7], ", 422, "case_nos[0]");
  expect_event (fixture, fixture->department, "t-loop", "e-3", "noted",
                "\"case_nos\": [\"4601000107202611259999X\"], ", 422, "case_nos");
  expect_event (fixture, fixture->department, "t-loop", "e-3", "resolved", "", 201, NULL);

  /* The call-back: the supervisor's, with reached and the answer on the five levels. */
  expect_event (fixture, fixture->department, "t-loop", "e-4", "called-back",
                "\"reached\": true, \"satisfaction\": \"satisfied\", ", 403, NULL);
  expect_event (fixture, fixture->clerk, "t-loop", "e-4", "called-back",
                "\"reached\": true, \"satisfaction\": \"satisfied\", ", 403, NULL);
  expect_event (fixture, fixture->supervisor, "t-loop", "e-4", "called-back",
                "\"reached\": true, ", 422, "satisfaction");
  expect_event (fixture, fixture->supervisor, "t-loop", "e-4", "called-back",
                "\"reached\": false, \"satisfaction\": \"satisfied\", ", 422, "satisfaction");
  expect_event (fixture, fixture->supervisor, "t-loop", "e-4", "called-back",
                "\"reached\": true, \"satisfaction\": \"great\", ", 422, "satisfaction");
  expect_event (fixture, fixture->supervisor, "t-loop", "e-4", "called-back",
                "\"reached\": \"yes\", \"satisfaction\": \"satisfied\", ", 422, "reached");
  expect_event (fixture, fixture->supervisor, "t-loop", "e-4", "resolved",
                "\"reached\": true, ", 422, "reached");
  expect_event (fixture, fixture->supervisor, "t-loop", "e-4", "called-back",
                "\"reached\": true, \"satisfaction\": \"basically-satisfied\", ", 201, NULL);
  /* Sent again after a lost answer: the same; reused for something else: a conflict. */
  expect_event (fixture, fixture->supervisor, "t-loop", "e-4", "called-back",
                "\"reached\": true, \"satisfaction\": \"basically-satisfied\", ", 200, NULL);
  expect_event (fixture, fixture->supervisor, "t-loop", "e-4", "called-back",
                "\"reached\": true, \"satisfaction\": \"satisfied\", ", 409, "id");

  expect_event (fixture, fixture->supervisor, "t-loop", "e-5", "archived", "", 201, NULL);
  expect_event (fixture, fixture->supervisor, "t-loop", "e-6", "archived", "", 422, "kind");
  expect_event (fixture, fixture->supervisor, "t-loop", "e-6", "noted", "", 422, "kind");
  expect_event (fixture, fixture->supervisor, "t-loop", "e-6", "assigned",
                "\"assignee\": \"department\", ", 422, "kind");

  r = request (fixture, "GET", "/api/v1/tickets/t-loop", fixture->clerk, NULL);
  assert_status (r, 200, NULL);
  g_assert_cmpstr (json_object_get_string_member (object_of (r), "state"), ==, "archived");
  g_assert_cmpstr (json_object_get_string_member (object_of (r), "assignee"), ==, "department");
  g_assert_false (json_object_get_boolean_member (object_of (r), "overdue"));
  ow_test_response_free (r);

  r = request (fixture, "GET", "/api/v1/tickets/t-loop/events", fixture->clerk, NULL);
  assert_status (r, 200, NULL);
  events = json_object_get_array_member (object_of (r), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 2),
                                                  "kind"), ==, "noted");
  g_assert_false (json_object_has_member (json_array_get_object_element (events, 3),
                                          "case_nos"));
  {
    JsonObject *call = json_array_get_object_element (events, 4);

    g_assert_cmpstr (json_object_get_string_member (call, "kind"), ==, "called-back");
    g_assert_true (json_object_get_boolean_member (call, "reached"));
    g_assert_cmpstr (json_object_get_string_member (call, "satisfaction"), ==,
                     "basically-satisfied");
    g_assert_false (json_object_has_member (json_array_get_object_element (events, 1),
                                            "satisfaction"));
  }
  ow_test_response_free (r);
}

static char *feed_cursor (Fixture    *fixture,
                          const char *token);

typedef struct
{
  char           *uri;
  char           *token;
  gint64          elapsed;
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

/* A long poll for=me passes over what is not addressed to the caller and wakes for what is. */
static void
test_feed_for_me (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *cursor = NULL;
  Poll poll = { 0, };
  OwTestResponse *r;
  GThread *thread;
  JsonArray *changes;

  r = put_ticket (fixture, fixture->clerk, "t-feed", "2026-11-25T02:00:00Z", "5-working-days",
                  "");
  assert_status (r, 201, NULL);
  ow_test_response_free (r);
  cursor = feed_cursor (fixture, fixture->department);

  poll.uri = g_strdup_printf ("%sapi/v1/changes?for=me&since=%s&timeout=30",
                              ow_test_platform_get_base_uri (fixture->platform), cursor);
  poll.token = fixture->department;
  thread = g_thread_new ("poll", poll_thread, &poll);
  g_usleep (300 * 1000);
  /* Not the department's: a new ticket, for everyone. */
  r = put_ticket (fixture, fixture->clerk, "t-other", "2026-11-25T02:00:00Z", "on-the-spot", "");
  assert_status (r, 201, NULL);
  ow_test_response_free (r);
  g_usleep (1500 * 1000);
  /* The department's. */
  expect_event (fixture, fixture->supervisor, "t-feed", "f-1", "assigned",
                "\"assignee\": \"department\", ", 201, NULL);
  g_thread_join (thread);

  assert_status (poll.response, 200, NULL);
  g_assert_cmpint (poll.elapsed, >=, 1500 * 1000);
  g_assert_cmpint (poll.elapsed, <, 15 * G_USEC_PER_SEC);
  changes = json_object_get_array_member (object_of (poll.response), "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  g_assert_true (changes_name (poll.response, "t-feed", "department", NULL));
  /* The cursor moved past both, the passed-over one too. */
  g_assert_cmpint (g_ascii_strtoll (ow_test_response_get_string (poll.response, "cursor"), NULL,
                                    10), ==, g_ascii_strtoll (cursor, NULL, 10) + 2);
  ow_test_response_free (poll.response);
  g_free (poll.uri);
}

/* "today" of the platform, as its statistics say. */
static char *
platform_today (Fixture *fixture)
{
  g_autoptr(OwTestResponse) r = request (fixture, "GET", "/api/v1/statistics",
                                         fixture->supervisor, NULL);

  assert_status (r, 200, NULL);
  return g_strdup (ow_test_response_get_string (r, "today"));
}

/* The hall's directory, by role: whom a supervisor can assign to, and how every counter names
 * people (their name and department, never a password hash). */
static void
test_users (Fixture       *fixture,
            gconstpointer  data)
{
  static const struct
  {
    const char *username;
    const char *display_name;
    const char *department;
  } directory[] = {
    { "department", "赵强", "海口市市场监督管理局" },
    { "department2", "林芳", "海口市医疗保障局" },
  };
  OwTestResponse *r;
  JsonArray *users;

  r = request (fixture, "GET", "/api/v1/users?role=department", fixture->supervisor, NULL);
  assert_status (r, 200, NULL);
  users = json_object_get_array_member (object_of (r), "users");
  g_assert_cmpuint (json_array_get_length (users), ==, G_N_ELEMENTS (directory));
  for (guint i = 0; i < G_N_ELEMENTS (directory); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      g_assert_cmpstr (json_object_get_string_member (user, "username"), ==,
                       directory[i].username);
      g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==,
                       directory[i].display_name);
      g_assert_cmpstr (json_object_get_string_member (user, "department"), ==,
                       directory[i].department);
      g_assert_false (json_object_has_member (user, "password_hash"));
    }
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/users", fixture->supervisor, NULL);
  assert_status (r, 200, NULL);
  users = json_object_get_array_member (object_of (r), "users");
  g_assert_cmpuint (json_array_get_length (users), >=, 5);
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      /* Only a department user works for a department. */
      g_assert_true (json_object_has_member (user, "department"));
      g_assert_cmpint (json_object_get_null_member (user, "department"), ==,
                       !g_str_has_prefix (json_object_get_string_member (user, "username"),
                                          "department"));
    }
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/users?role=boss", fixture->supervisor, NULL);
  assert_status (r, 422, "role");
  ow_test_response_free (r);
  /* Every user of the hall reads the directory: the clerk, the department's user. */
  r = request (fixture, "GET", "/api/v1/users?role=supervisor", fixture->clerk, NULL);
  assert_status (r, 200, NULL);
  users = json_object_get_array_member (object_of (r), "users");
  g_assert_cmpuint (json_array_get_length (users), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (users, 0),
                                                  "display_name"), ==, "陈静");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/users", fixture->department, NULL);
  assert_status (r, 200, NULL);
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/users", NULL, NULL);
  assert_status (r, 401, NULL);
  ow_test_response_free (r);
  r = request (fixture, "POST", "/api/v1/users", fixture->supervisor, "{}");
  assert_status (r, 405, NULL);
  ow_test_response_free (r);

  /* Started without --now, the platform keeps the real time. */
  {
    g_autofree char *today = platform_today (fixture);
    char expected[16];
    GDate date;

    ow_test_today (&date);
    g_date_strftime (expected, sizeof expected, "%Y-%m-%d", &date);
    g_assert_cmpstr (today, ==, expected);
  }
}

/* Creates user @name of another hall with @role (and @department, for a department user)
 * through the admin CLI, password "demo". */
static void
create_user (Fixture    *fixture,
             const char *name,
             const char *role,
             const char *hall,
             const char *department)
{
  const char *binary = g_getenv ("OW_PLATFORM_BINARY");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_nonnull (binary);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, binary, "admin", "--db",
                              ow_test_platform_get_db_path (fixture->platform), "create-user",
                              name, "--role", role, "--display-name", "三亚同事", "--hall", hall,
                              "--hall-name", "三亚市政务服务中心",
                              department != NULL ? "--department" : NULL, department, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "demo\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("create-user %s: %s%s", name, out, err);
}

/* Another hall's staff neither see nor move this hall's tickets; an assignee of another hall
 * (a department serving several) sees and works on the ones assigned to them. */
static void
test_other_hall (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outsider = NULL;
  g_autofree char *helper = NULL;
  OwTestResponse *r;

  create_user (fixture, "sanya.supervisor", "supervisor", "46020001", NULL);
  create_user (fixture, "sanya.department", "department", "46020001", "海口市公安局");
  outsider = ow_test_platform_login (fixture->platform, "sanya.supervisor", "demo", &error);
  g_assert_no_error (error);
  helper = ow_test_platform_login (fixture->platform, "sanya.department", "demo", &error);
  g_assert_no_error (error);

  r = put_ticket (fixture, fixture->clerk, "t-hall", "2026-11-25T02:00:00Z", "5-working-days",
                  "");
  assert_status (r, 201, NULL);
  g_assert_cmpstr (json_object_get_string_member (object_of (r), "hall"), ==, "46010001");
  ow_test_response_free (r);

  r = request (fixture, "GET", "/api/v1/tickets/t-hall", outsider, NULL);
  assert_status (r, 403, "hall");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets/t-hall/events", outsider, NULL);
  assert_status (r, 403, "hall");
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets", outsider, NULL);
  assert_status (r, 200, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (r),
                                                                         "tickets")), ==, 0);
  ow_test_response_free (r);
  expect_event (fixture, outsider, "t-hall", "h-1", "assigned",
                "\"assignee\": \"sanya.supervisor\", ", 403, "hall");

  /* Assigned across halls by this hall's supervisor: the assignee sees it and works on it. A
   * department's user sees no ticket before it is assigned to their department. */
  r = request (fixture, "GET", "/api/v1/tickets/t-hall", helper, NULL);
  assert_status (r, 403, "department");
  ow_test_response_free (r);
  expect_event (fixture, fixture->supervisor, "t-hall", "h-1", "assigned",
                "\"assignee\": \"sanya.department\", ", 201, NULL);
  r = request (fixture, "GET", "/api/v1/tickets?assignee=sanya.department", helper, NULL);
  assert_status (r, 200, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (r),
                                                                         "tickets")), ==, 1);
  ow_test_response_free (r);
  expect_event (fixture, helper, "t-hall", "h-2", "started", "", 201, NULL);
}

/* Explained instead of resolved, and each of the five levels of satisfaction; a call-back that
 * did not reach the applicant records no level. */
static void
test_levels (Fixture       *fixture,
             gconstpointer  data)
{
  static const char *levels[] = { "very-satisfied", "satisfied", "basically-satisfied",
                                  "dissatisfied", "very-dissatisfied", NULL };

  for (guint i = 0; i <= G_N_ELEMENTS (levels) - 1; i++)
    {
      g_autofree char *id = g_strdup_printf ("t-level-%u", i);
      g_autofree char *extra = levels[i] != NULL
        ? g_strdup_printf ("\"reached\": true, \"satisfaction\": \"%s\", ", levels[i])
        : g_strdup ("\"reached\": false, \"satisfaction\": null, ");
      g_autofree char *assigned = g_strdup_printf ("%s-a", id);
      g_autofree char *started = g_strdup_printf ("%s-s", id);
      g_autofree char *explained = g_strdup_printf ("%s-x", id);
      g_autofree char *called = g_strdup_printf ("%s-c", id);
      g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/events", id);
      OwTestResponse *r;
      JsonObject *call;

      r = put_ticket (fixture, fixture->clerk, id, "2026-11-25T02:00:00Z", "10-working-days",
                      "");
      assert_status (r, 201, NULL);
      ow_test_response_free (r);
      expect_event (fixture, fixture->supervisor, id, assigned, "assigned",
                    "\"assignee\": \"department\", ", 201, NULL);
      expect_event (fixture, fixture->department, id, started, "started", "", 201, NULL);
      expect_event (fixture, fixture->department, id, explained, "explained", "", 201, NULL);
      expect_event (fixture, fixture->supervisor, id, called, "called-back", extra, 201, NULL);

      r = request (fixture, "GET", path, fixture->clerk, NULL);
      assert_status (r, 200, NULL);
      call = json_array_get_object_element (json_object_get_array_member (object_of (r),
                                                                          "events"), 3);
      g_assert_cmpstr (json_object_get_string_member_with_default (call, "satisfaction", NULL),
                       ==, levels[i]);
      g_assert_cmpint (json_object_get_boolean_member_with_default (call, "reached", FALSE), ==,
                       levels[i] != NULL);
      ow_test_response_free (r);
    }
}

static char *
feed_cursor (Fixture    *fixture,
             const char *token)
{
  g_autoptr(OwTestResponse) r = request (fixture, "GET", "/api/v1/changes", token, NULL);

  assert_status (r, 200, NULL);
  return g_strdup (ow_test_response_get_string (r, "cursor"));
}

static guint
count_escalations (Fixture    *fixture,
                   const char *key)
{
  g_autoptr(OwTestResponse) r = request (fixture, "GET", "/api/v1/changes", fixture->supervisor,
                                         NULL);
  JsonArray *changes = json_object_get_array_member (object_of (r), "changes");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (change, "key"), key) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (change, "role", NULL),
                     "supervisor") == 0)
        count++;
    }
  return count;
}

/* The platform runs on a set clock (--now): a 5-working-day ticket registered on Wednesday
 * 25 November is due on 2 December; on the 3rd it is overdue and escalated to the supervisors
 * once, at start-up, through the feed; one that was resolved in time is not. */
static void
test_escalation (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char *later[] = { "--now", "2026-12-03T09:00:00+08:00", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *path = NULL;
  OwTestResponse *r;
  JsonArray *list;

  r = put_ticket (fixture, fixture->clerk, "t-late", "2026-11-25T02:00:00Z", "5-working-days",
                  "");
  assert_status (r, 201, NULL);
  g_assert_cmpstr (json_object_get_string_member (object_of (r), "due_date"), ==, "2026-12-02");
  ow_test_response_free (r);
  r = put_ticket (fixture, fixture->clerk, "t-done", "2026-11-25T02:00:00Z", "5-working-days",
                  "");
  assert_status (r, 201, NULL);
  ow_test_response_free (r);
  expect_event (fixture, fixture->supervisor, "t-done", "d-1", "assigned",
                "\"assignee\": \"department\", ", 201, NULL);
  expect_event (fixture, fixture->department, "t-done", "d-2", "started", "", 201, NULL);
  expect_event (fixture, fixture->department, "t-done", "d-3", "resolved", "", 201, NULL);

  /* On the due date itself: not overdue, not escalated. */
  r = request (fixture, "GET", "/api/v1/tickets/t-late", fixture->supervisor, NULL);
  assert_status (r, 200, NULL);
  g_assert_false (json_object_get_boolean_member (object_of (r), "overdue"));
  g_assert_true (json_object_get_null_member (object_of (r), "escalated_at"));
  ow_test_response_free (r);
  cursor = feed_cursor (fixture, fixture->supervisor);
  g_assert_cmpuint (count_escalations (fixture, "t-late"), ==, 0);

  /* The next morning, same database: escalated as the platform starts, nobody reading. */
  ow_test_platform_set_args (fixture->platform, later);
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);

  {
    g_autofree char *today = platform_today (fixture);

    g_assert_cmpstr (today, ==, "2026-12-03");
  }
  path = g_strdup_printf ("/api/v1/changes?for=me&since=%s&timeout=5", cursor);
  r = request (fixture, "GET", path, fixture->supervisor, NULL);
  assert_status (r, 200, NULL);
  g_assert_true (changes_name (r, "t-late", NULL, "supervisor"));
  g_assert_false (changes_name (r, "t-done", NULL, NULL));
  ow_test_response_free (r);
  /* Not the clerk's business: nothing addressed to them. */
  r = request (fixture, "GET", path, fixture->clerk, NULL);
  assert_status (r, 200, NULL);
  g_assert_false (changes_name (r, "t-late", NULL, NULL));
  ow_test_response_free (r);

  r = request (fixture, "GET", "/api/v1/tickets/t-late", fixture->supervisor, NULL);
  assert_status (r, 200, NULL);
  g_assert_true (json_object_get_boolean_member (object_of (r), "overdue"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object_of (r), "escalated_at"),
                                   "2026-12-03T01:00"));
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets/t-done", fixture->supervisor, NULL);
  assert_status (r, 200, NULL);
  g_assert_false (json_object_get_boolean_member (object_of (r), "overdue"));
  g_assert_true (json_object_get_null_member (object_of (r), "escalated_at"));
  ow_test_response_free (r);

  /* A ticket already late when it arrives is escalated by the first reading, not a minute
   * later; and each only once, however often it is read. */
  r = put_ticket (fixture, fixture->clerk, "t-older", "2026-11-20T02:00:00Z", "on-the-spot", "");
  assert_status (r, 201, NULL);
  g_assert_true (json_object_get_boolean_member (object_of (r), "overdue"));
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets?overdue=true", fixture->supervisor, NULL);
  assert_status (r, 200, NULL);
  list = json_object_get_array_member (object_of (r), "tickets");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_false (json_object_get_null_member (json_array_get_object_element (list, i),
                                                 "escalated_at"));
  ow_test_response_free (r);
  r = request (fixture, "GET", "/api/v1/tickets?overdue=true", fixture->supervisor, NULL);
  ow_test_response_free (r);
  g_assert_cmpuint (count_escalations (fixture, "t-late"), ==, 1);
  g_assert_cmpuint (count_escalations (fixture, "t-older"), ==, 1);

  /* Assigned after its escalation, it goes on like any other ticket. */
  expect_event (fixture, fixture->supervisor, "t-late", "l-1", "assigned",
                "\"assignee\": \"department\", ", 201, NULL);
  expect_event (fixture, fixture->department, "t-late", "l-2", "started", "", 201, NULL);
  r = request (fixture, "GET", "/api/v1/tickets/t-late", fixture->department, NULL);
  g_assert_cmpstr (json_object_get_string_member (object_of (r), "state"), ==, "in-progress");
  ow_test_response_free (r);
  g_assert_cmpuint (count_escalations (fixture, "t-late"), ==, 1);
}

/* A clock that is not a time keeps the platform from starting, saying why. */
static void
test_bad_clock (void)
{
  static const char *args[] = { "--now", "tomorrow", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start_with_args (args, &error);

  g_assert_null (platform);
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* On a set clock too, so that the due dates asserted hold whatever day the tests run. */
  g_test_add ("/tickets/categories", Fixture, "2026-11-25T12:00:00+08:00", fixture_set_up,
              test_categories, fixture_tear_down);
  g_test_add ("/tickets/loop", Fixture, "2026-11-25T12:00:00+08:00", fixture_set_up, test_loop,
              fixture_tear_down);
  g_test_add ("/tickets/levels", Fixture, "2026-11-25T12:00:00+08:00", fixture_set_up,
              test_levels, fixture_tear_down);
  g_test_add ("/tickets/feed-for-me", Fixture, "2026-11-25T12:00:00+08:00", fixture_set_up,
              test_feed_for_me, fixture_tear_down);
  g_test_add ("/tickets/other-hall", Fixture, "2026-11-25T12:00:00+08:00", fixture_set_up,
              test_other_hall, fixture_tear_down);
  g_test_add ("/tickets/users", Fixture, NULL, fixture_set_up, test_users, fixture_tear_down);
  g_test_add ("/tickets/escalation", Fixture, "2026-12-02T09:00:00+08:00", fixture_set_up,
              test_escalation, fixture_tear_down);
  g_test_add_func ("/tickets/bad-clock", test_bad_clock);

  return g_test_run ();
}
