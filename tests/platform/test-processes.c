/* test-processes.c — two platform processes on one database, as a province runs them
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Either process may answer any request: a session opened on one works on the other, a case
 * written through one is read through the other, the same case number sent with two bodies to
 * both at once is stored once (one 201, one 409), a long poll on one wakes within a second for
 * a write through the other, a feed reader following both sees every change once, and the
 * background work (escalation, the demo back office) happens once. Run on SQLite (two processes
 * on one file) and, as processes-pg, on PostgreSQL, the province's database.
 */

#include "config.h"

#include <string.h>

#include "core/ow-case-number.h"
#include "ow-test-platform.h"

#define GOOD_ID "11010519491231002X"

typedef struct
{
  OwTestPlatform *one;
  OwTestPlatform *two;
  char           *clerk;       /* logged in on one, used on both */
  char           *supervisor;
  char           *department;
} Fixture;

/* Extra arguments of both processes (a NULL-terminated list), or NULL. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const *args = data;
  g_autoptr(GError) error = NULL;

  fixture->one = ow_test_platform_start_with_args (args, &error);
  g_assert_no_error (error);
  fixture->two = ow_test_platform_start_beside (fixture->one, args, &error);
  g_assert_no_error (error);
  fixture->clerk = ow_test_platform_login (fixture->one, "clerk", "demo", &error);
  g_assert_no_error (error);
  fixture->supervisor = ow_test_platform_login (fixture->two, "supervisor", "demo", &error);
  g_assert_no_error (error);
  fixture->department = ow_test_platform_login (fixture->one, "department", "demo", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_true (ow_test_platform_stop (fixture->two));
  g_assert_true (ow_test_platform_stop (fixture->one));
  g_clear_pointer (&fixture->two, ow_test_platform_free);
  g_clear_pointer (&fixture->one, ow_test_platform_free);
  g_free (fixture->clerk);
  g_free (fixture->supervisor);
  g_free (fixture->department);
}

static OwTestResponse *
request (OwTestPlatform *platform,
         const char     *method,
         const char     *path,
         const char     *token,
         const char     *body)
{
  g_autoptr(GError) error = NULL;
  OwTestResponse *response = ow_test_platform_request (platform, method, path, token, body,
                                                       &error);

  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
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

/* A valid accepted case; @address tells two bodies apart. */
static char *
make_case_json (const char *case_no,
                const char *address)
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
    " \"applicant\": {\"kind\": \"person\", \"name\": \"张三\", \"id_number\": \"%s\","
    "   \"phone\": \"13800138000\", \"address\": \"%s\", \"contact_name\": null},"
    " \"agent\": null,"
    " \"items\": [{\"item_id\": \"11460100MB1234567X400011\", \"basic_code\": \"000117001\","
    "   \"name\": \"食品经营许可（新办）\", \"department\": \"海口市市场监督管理局\"}],"
    " \"materials\": [], \"delivery\": {\"kind\": \"pickup\", \"recipient\": null,"
    "   \"phone\": null, \"address\": null}, \"refusal\": null}",
    case_no, promised_text, GOOD_ID, address);
}

static char *
feed_cursor (OwTestPlatform *platform,
             const char     *token)
{
  g_autoptr(OwTestResponse) r = request (platform, "GET", "/api/v1/changes", token, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (ow_test_response_get_string (r, "cursor"));
}

static JsonArray *
changes_of (OwTestResponse *response)
{
  return json_object_get_array_member (json_node_get_object (response->json), "changes");
}

/* Requests sent at once ---------------------------------------------------------------------- */

typedef struct
{
  OwTestPlatform *platform;
  const char     *method;
  char           *path;
  char           *body;
  const char     *token;
  gint           *start;   /* all go when it turns 1 */
  guint           status;
  gint64          done;    /* monotonic time of the answer */
  OwTestResponse *response;
} Call;

static gpointer
call_thread (gpointer user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;

  while (call->start != NULL && !g_atomic_int_get (call->start))
    g_thread_yield ();
  call->response = ow_test_platform_request (call->platform, call->method, call->path,
                                             call->token, call->body, &error);
  g_assert_no_error (error);
  call->status = call->response->status;
  call->done = g_get_monotonic_time ();
  return NULL;
}

static void
call_clear (Call *call)
{
  g_free (call->path);
  g_free (call->body);
  g_clear_pointer (&call->response, ow_test_response_free);
}

/* Runs @calls together, each in a thread that waits for the others before it sends. */
static void
run_together (Call  *calls,
              guint  n)
{
  g_autofree GThread **threads = g_new0 (GThread *, n);
  gint start = 0;

  for (guint i = 0; i < n; i++)
    {
      calls[i].start = &start;
      threads[i] = g_thread_new ("call", call_thread, &calls[i]);
    }
  g_usleep (G_USEC_PER_SEC / 20);
  g_atomic_int_set (&start, 1);
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
}

/* Tests ------------------------------------------------------------------------------------ */

/* A session and a case made through one process are good on the other; ending the session on
 * one ends it on both. Nothing of either lives in a process's memory. */
static void
test_stateless (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (1);
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autofree char *body = make_case_json (case_no, "海口");
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  OwTestResponse *r;

  r = request (fixture->one, "PUT", path, fixture->clerk, body);
  g_assert_cmpuint (r->status, ==, 201);
  ow_test_response_free (r);
  r = request (fixture->two, "GET", path, fixture->clerk, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (ow_test_response_get_string (r, "case_no"), ==, case_no);
  g_assert_cmpstr (ow_test_response_get_string (r, "state"), ==, "accepted");
  ow_test_response_free (r);
  /* A resend through the other process is the same case again. */
  r = request (fixture->two, "PUT", path, fixture->clerk, body);
  g_assert_cmpuint (r->status, ==, 200);
  ow_test_response_free (r);

  token = ow_test_platform_login (fixture->two, "pickup", "demo", &error);
  g_assert_no_error (error);
  r = request (fixture->one, "GET", path, token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  ow_test_response_free (r);
  r = request (fixture->one, "DELETE", "/api/v1/sessions/current", token, NULL);
  g_assert_cmpuint (r->status, ==, 204);
  ow_test_response_free (r);
  r = request (fixture->two, "GET", path, token, NULL);
  g_assert_cmpuint (r->status, ==, 401);
  ow_test_response_free (r);
}

/* The same case number with two bodies sent to both processes at once: exactly one is stored
 * (201), the other is refused (409), and the stored one is what both answer afterwards. The
 * same body to both at once: one 201, one 200. Repeated, so that the race is really run. */
static void
test_race (Fixture       *fixture,
           gconstpointer  data)
{
  for (guint round = 0; round < 10; round++)
    {
      g_autofree char *case_no = make_case_no (100 + round);
      g_autofree char *same_no = make_case_no (200 + round);
      Call calls[4] = {
        { fixture->one, "PUT", g_strconcat ("/api/v1/cases/", case_no, NULL),
          make_case_json (case_no, "海口市一号"), fixture->clerk },
        { fixture->two, "PUT", g_strconcat ("/api/v1/cases/", case_no, NULL),
          make_case_json (case_no, "海口市二号"), fixture->clerk },
        { fixture->one, "PUT", g_strconcat ("/api/v1/cases/", same_no, NULL),
          make_case_json (same_no, "海口"), fixture->clerk },
        { fixture->two, "PUT", g_strconcat ("/api/v1/cases/", same_no, NULL),
          make_case_json (same_no, "海口"), fixture->clerk },
      };
      g_autoptr(OwTestResponse) stored = NULL;
      const char *winner;

      run_together (calls, G_N_ELEMENTS (calls));
      g_assert_true ((calls[0].status == 201 && calls[1].status == 409) ||
                     (calls[0].status == 409 && calls[1].status == 201));
      g_assert_true ((calls[2].status == 201 && calls[3].status == 200) ||
                     (calls[2].status == 200 && calls[3].status == 201));
      g_assert_cmpstr (ow_test_response_error_field (calls[calls[0].status == 409 ? 0 : 1]
                                                       .response), ==, "case_no");

      winner = calls[0].status == 201 ? "海口市一号" : "海口市二号";
      stored = request (calls[0].status == 201 ? fixture->two : fixture->one, "GET",
                        calls[0].path, fixture->clerk, NULL);
      g_assert_cmpuint (stored->status, ==, 200);
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (json_node_get_object (stored->json),
                                                        "applicant"), "address"), ==, winner);
      g_assert_cmpint (ow_test_platform_count (fixture->one, "SELECT count(*) FROM changes "
                                                             "WHERE key = ?", case_no), ==, 1);
      for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
        call_clear (&calls[i]);
    }
}

/* A long poll on one process wakes within a second for a case written through the other. */
static void
test_long_poll (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (300);
  g_autofree char *cursor = feed_cursor (fixture->one, fixture->supervisor);
  Call poll = { fixture->one, "GET",
                g_strdup_printf ("/api/v1/changes?since=%s&timeout=30", cursor), NULL,
                fixture->supervisor };
  g_autoptr(OwTestResponse) put = NULL;
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autofree char *body = make_case_json (case_no, "海口");
  JsonArray *changes;
  GThread *thread;
  gint64 written;

  thread = g_thread_new ("poll", call_thread, &poll);
  /* Long enough for the poll to be waiting: an answer before the write would fail below. */
  g_usleep (3 * G_USEC_PER_SEC / 2);
  g_assert_cmpint (poll.done, ==, 0);

  put = request (fixture->two, "PUT", path, fixture->clerk, body);
  written = g_get_monotonic_time ();
  g_assert_cmpuint (put->status, ==, 201);
  g_thread_join (thread);

  g_test_message ("the poll answered %.3f s after the write", (poll.done - written) / 1e6);
  g_assert_cmpint (poll.done - written, <, G_USEC_PER_SEC);
  g_assert_cmpuint (poll.status, ==, 200);
  changes = changes_of (poll.response);
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0),
                                                  "key"), ==, case_no);
  call_clear (&poll);
}

/* Writers on both processes at once, and a reader following the feed by its cursor through
 * either: it sees every change exactly once, in seq order, however the commits interleave. */
#define N_WRITERS 6
#define CASES_PER_WRITER 8

typedef struct
{
  Fixture *fixture;
  guint    writer;
} Writer;

static gpointer
writer_thread (gpointer user_data)
{
  Writer *writer = user_data;
  Fixture *fixture = writer->fixture;

  for (guint i = 0; i < CASES_PER_WRITER; i++)
    {
      g_autofree char *case_no = make_case_no (1000 + writer->writer * 100 + i);
      g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
      g_autofree char *body = make_case_json (case_no, "海口");
      g_autoptr(OwTestResponse) r = request (writer->writer % 2 ? fixture->two : fixture->one,
                                             "PUT", path, fixture->clerk, body);

      g_assert_cmpuint (r->status, ==, 201);
    }
  return NULL;
}

static void
test_feed_follows_all (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = feed_cursor (fixture->one, fixture->supervisor);
  Writer writers[N_WRITERS];
  GThread *threads[N_WRITERS];
  gint64 last_seq = 0;
  guint reads = 0;

  for (guint i = 0; i < N_WRITERS; i++)
    {
      writers[i] = (Writer) { fixture, i };
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }
  while (g_hash_table_size (seen) < N_WRITERS * CASES_PER_WRITER)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%s&timeout=10", cursor);
      g_autoptr(OwTestResponse) r = request (reads++ % 2 ? fixture->two : fixture->one, "GET",
                                             path, fixture->supervisor, NULL);
      JsonArray *changes;

      g_assert_cmpuint (r->status, ==, 200);
      changes = changes_of (r);
      g_assert_cmpuint (json_array_get_length (changes), >, 0);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          const char *key = json_object_get_string_member (change, "key");

          g_assert_cmpint (json_object_get_int_member (change, "seq"), >, last_seq);
          last_seq = json_object_get_int_member (change, "seq");
          g_assert_false (g_hash_table_contains (seen, key));
          g_hash_table_add (seen, g_strdup (key));
        }
      g_free (cursor);
      cursor = g_strdup (ow_test_response_get_string (r, "cursor"));
    }
  for (guint i = 0; i < N_WRITERS; i++)
    g_thread_join (threads[i]);
  /* Nothing was passed over: the full feed holds no case this reader did not see. */
  g_assert_cmpint (ow_test_platform_count (fixture->one, "SELECT count(*) FROM changes "
                                                         "WHERE kind = 'case'", NULL), ==,
                   N_WRITERS * CASES_PER_WRITER);
}

/* Tickets already overdue when they arrive, read through both processes at once (each reading
 * escalates first): each is escalated once, one change for the supervisors each. */
static guint
count_escalations (Fixture    *fixture,
                   const char *key)
{
  g_autoptr(OwTestResponse) r = request (fixture->two, "GET", "/api/v1/changes",
                                         fixture->supervisor, NULL);
  JsonArray *changes = changes_of (r);
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

#define N_TICKETS 4

static void
test_escalation_once (Fixture       *fixture,
                      gconstpointer  data)
{
  Call calls[2 * N_TICKETS];

  for (guint i = 0; i < N_TICKETS; i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/tickets/late-%u", i);
      g_autofree char *body = g_strdup_printf ("{\"id\": \"late-%u\", \"registered_at\": "
                                               "\"2026-11-25T02:00:00Z\", \"tier\": "
                                               "\"5-working-days\", \"summary\": \"营业执照网上"
                                               "申报三次被退回\", \"contact_name\": \"张三\", "
                                               "\"contact_phone\": \"13800138000\"}", i);
      g_autoptr(OwTestResponse) r = request (i % 2 ? fixture->two : fixture->one, "PUT", path,
                                             fixture->clerk, body);

      g_assert_cmpuint (r->status, ==, 201);
      g_assert_cmpstr (ow_test_response_get_string (r, "due_date"), ==, "2026-12-02");
    }
  for (guint i = 0; i < 2 * N_TICKETS; i++)
    calls[i] = (Call) { i % 2 ? fixture->two : fixture->one, "GET",
                        g_strdup_printf ("/api/v1/tickets/late-%u", i / 2), NULL,
                        fixture->supervisor };
  run_together (calls, G_N_ELEMENTS (calls));
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_assert_cmpuint (calls[i].status, ==, 200);
      g_assert_false (json_object_get_null_member (json_node_get_object (calls[i].response->json),
                                                   "escalated_at"));
      call_clear (&calls[i]);
    }
  for (guint i = 0; i < N_TICKETS; i++)
    {
      g_autofree char *key = g_strdup_printf ("late-%u", i);

      g_assert_cmpuint (count_escalations (fixture, key), ==, 1);
    }
}

/* The demo back office runs in both processes; each accepted case is approved once, and made
 * ready once, not once per process. */
static void
test_backoffice_once (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *case_no = make_case_no (400);
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autofree char *events = g_strdup_printf ("/api/v1/cases/%s/events", case_no);
  g_autofree char *body = make_case_json (case_no, "海口");
  g_autoptr(OwTestResponse) put = request (fixture->one, "PUT", path, fixture->clerk, body);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  OwTestResponse *r = NULL;

  g_assert_cmpuint (put->status, ==, 201);
  for (;;)
    {
      r = request (fixture->two, "GET", path, fixture->clerk, NULL);
      if (g_strcmp0 (ow_test_response_get_string (r, "state"), "result-ready") == 0)
        break;
      ow_test_response_free (r);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 5);
    }
  ow_test_response_free (r);
  /* Two more seconds for a second process that would repeat the steps, had it been let. */
  g_usleep (2 * G_USEC_PER_SEC);
  r = request (fixture->one, "GET", events, fixture->clerk, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (r->json), "events")), ==, 2);
  ow_test_response_free (r);
  g_assert_cmpint (ow_test_platform_count (fixture->one, "SELECT count(*) FROM case_events "
                                                         "WHERE case_no = ?", case_no), ==, 2);
}

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Processes started with --share-port listen on one port and the kernel spreads connections
 * over them (a process per core, as nginx's workers); one going away leaves the port served by
 * the other; a process without the option still finds the port taken. */
static void
test_share_port (void)
{
  static const char *share[] = { "--share-port", NULL };
  g_autoptr(OwTestPlatform) one = NULL;
  g_autoptr(OwTestPlatform) two = NULL;
  g_autoptr(OwTestPlatform) intruder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autofree char *listen = NULL;
  g_autofree char *clerk = NULL;
  const char *uri;
  guint port, one_before, two_before, one_gained = 0, two_gained = 0;

  one = ow_test_platform_start_with_args (share, &error);
  g_assert_no_error (error);
  uri = ow_test_platform_get_base_uri (one);
  port = (guint) g_ascii_strtoull (strrchr (uri, ':') + 1, NULL, 10);
  listen = g_strdup_printf ("127.0.0.1:%u", port);
  {
    const char *args[] = { "--share-port", "--listen", listen, NULL };

    two = ow_test_platform_start_beside (one, args, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (ow_test_platform_get_base_uri (two), ==, uri);
  {
    const char *args[] = { "--listen", listen, NULL };

    intruder = ow_test_platform_start_beside (one, args, &error);
    g_assert_null (intruder);
    g_assert_nonnull (error);
    g_test_message ("Without --share-port: %s", error->message);
    g_clear_error (&error);
  }

  /* Twenty connections held open: each process holds some (all twenty on one process would
   * happen once in half a million runs). */
  one_before = count_fds (ow_test_platform_get_pid (one));
  two_before = count_fds (ow_test_platform_get_pid (two));
  for (guint i = 0; i < 20; i++)
    {
      GSocketConnection *connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                                       port, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (clients, connection);
    }
  for (gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       g_get_monotonic_time () < deadline && one_gained + two_gained < 20;)
    {
      g_usleep (20 * 1000);
      one_gained = count_fds (ow_test_platform_get_pid (one)) - one_before;
      two_gained = count_fds (ow_test_platform_get_pid (two)) - two_before;
    }
  g_test_message ("Connections taken: %u by one process, %u by the other", one_gained,
                  two_gained);
  g_assert_cmpuint (one_gained + two_gained, ==, 20);
  g_assert_cmpuint (one_gained, >, 0);
  g_assert_cmpuint (two_gained, >, 0);
  g_ptr_array_set_size (clients, 0);

  /* One stops: the port is still served, by the other, on the same database. */
  clerk = ow_test_platform_login (one, "clerk", "demo", &error);
  g_assert_no_error (error);
  g_assert_true (ow_test_platform_stop (one));
  for (guint i = 0; i < 5; i++)
    {
      OwTestResponse *r = request (two, "GET", "/api/v1/catalog", clerk, NULL);

      g_assert_cmpuint (r->status, ==, 200);
      ow_test_response_free (r);
    }
  g_assert_true (ow_test_platform_stop (two));
}

int
main (int   argc,
      char *argv[])
{
  static const char *plain[] = { NULL };
  static const char *late[] = { "--now", "2026-12-03T09:00:00+08:00", NULL };
  static const char *busy_office[] = { "--demo-delay", "0", NULL };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, args, func) \
  g_test_add (path, Fixture, args, fixture_set_up, func, fixture_tear_down)
  ADD ("/processes/stateless", plain, test_stateless);
  ADD ("/processes/race", plain, test_race);
  ADD ("/processes/long-poll", plain, test_long_poll);
  ADD ("/processes/feed-follows-all", plain, test_feed_follows_all);
  ADD ("/processes/escalation-once", late, test_escalation_once);
  ADD ("/processes/backoffice-once", busy_office, test_backoffice_once);
#undef ADD
  g_test_add_func ("/processes/share-port", test_share_port);

  return g_test_run ();
}
