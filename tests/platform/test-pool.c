/* test-pool.c — nothing blocks the platform's loop: a slow write waits alone, a full pool says 503
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The slowness is real: the test holds a lock on the platform's database from a connection of
 * its own, as another program would (ow_test_platform_hold_writes: SQLite's write lock, or
 * PostgreSQL's LOCK TABLE cases), so that the platform's write of a case waits in its worker.
 * Meanwhile reads through the other workers are answered; with one worker and it stuck, a
 * request that waits too long for it, or that finds the queue full, is answered 503 with
 * Retry-After at once, and everything goes on once the lock is gone. Run on SQLite and, as
 * platform-pool-pg, on PostgreSQL.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/ow-case-number.h"
#include "ow-test-platform.h"

#define GOOD_ID "11010519491231002X"

typedef struct
{
  OwTestPlatform *platform;
  char           *clerk;
} Fixture;

/* Extra arguments of the platform (a NULL-terminated list), or NULL. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->platform = ow_test_platform_start_with_args (data, &error);
  g_assert_no_error (error);
  /* Before any lock: a log-in writes its session. */
  fixture->clerk = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_true (ow_test_platform_stop (fixture->platform));
  g_clear_pointer (&fixture->platform, ow_test_platform_free);
  g_free (fixture->clerk);
}

static OwTestResponse *
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *body)
{
  g_autoptr(GError) error = NULL;
  OwTestResponse *response = ow_test_platform_request (fixture->platform, method, path,
                                                       fixture->clerk, body, &error);

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

/* A valid accepted case. */
static char *
make_case_json (const char *case_no)
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
    "   \"phone\": \"13800138000\", \"address\": \"海口市龙华路1号\", \"contact_name\": null},"
    " \"agent\": null,"
    " \"items\": [{\"item_id\": \"11460100MB1234567X400011\", \"basic_code\": \"000117001\","
    "   \"name\": \"食品经营许可（新办）\", \"department\": \"海口市市场监督管理局\"}],"
    " \"materials\": [], \"delivery\": {\"kind\": \"pickup\", \"recipient\": null,"
    "   \"phone\": null, \"address\": null}, \"refusal\": null}",
    case_no, promised_text, GOOD_ID);
}

/* A request sent from a thread of its own, so that the test goes on while it waits. */
typedef struct
{
  Fixture        *fixture;
  char           *method;
  char           *path;
  char           *body;
  OwTestResponse *response;
  GError         *error;      /* no answer: the connection closed */
  gint            done;
  GThread        *thread;
} Sent;

static gpointer
send_thread (gpointer data)
{
  Sent *sent = data;

  sent->response = ow_test_platform_request (sent->fixture->platform, sent->method, sent->path,
                                             sent->fixture->clerk, sent->body, &sent->error);
  g_atomic_int_set (&sent->done, 1);
  return NULL;
}

static Sent *
send_async (Fixture    *fixture,
            const char *method,
            const char *path,
            const char *body)
{
  Sent *sent = g_new0 (Sent, 1);

  sent->fixture = fixture;
  sent->method = g_strdup (method);
  sent->path = g_strdup (path);
  sent->body = g_strdup (body);
  sent->thread = g_thread_new ("request", send_thread, sent);
  return sent;
}

static gboolean
sent_done (Sent *sent)
{
  return g_atomic_int_get (&sent->done) != 0;
}

/* Waits for the answer; takes @sent. */
static OwTestResponse *
sent_finish (Sent *sent)
{
  OwTestResponse *response;

  g_thread_join (sent->thread);
  g_assert_no_error (sent->error);
  response = g_steal_pointer (&sent->response);
  g_free (sent->method);
  g_free (sent->path);
  g_free (sent->body);
  g_free (sent);
  g_assert_nonnull (response);
  return response;
}

/* PUTs a case from a thread; returns once the platform's write of it waits for @lock. */
static Sent *
put_stuck_case (Fixture         *fixture,
                OwTestWriteLock *lock,
                guint            sequence,
                char           **case_no_out)
{
  g_autofree char *case_no = make_case_no (sequence);
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autofree char *body = make_case_json (case_no);
  Sent *sent = send_async (fixture, "PUT", path, body);

  ow_test_write_lock_wait_for_writer (lock);
  g_assert_false (sent_done (sent));
  *case_no_out = g_steal_pointer (&case_no);
  return sent;
}

/* A 503 as HACKING.md has it: code "unavailable", a message, and Retry-After in whole seconds,
 * at least 1 and at most @max_seconds. */
static void
assert_busy (OwTestResponse *response,
             guint           max_seconds)
{
  const char *retry_after;
  char *end = NULL;
  gint64 seconds;

  g_assert_cmpuint (response->status, ==, 503);
  g_assert_cmpstr (ow_test_response_error_code (response), ==, "unavailable");
  retry_after = soup_message_headers_get_one (response->headers, "Retry-After");
  g_assert_nonnull (retry_after);
  seconds = g_ascii_strtoll (retry_after, &end, 10);
  g_assert_true (end != retry_after && *end == '\0');
  g_assert_cmpint (seconds, >=, 1);
  g_assert_cmpint (seconds, <=, max_seconds);
}

static gint64
case_rows (Fixture    *fixture,
           const char *case_no)
{
  return ow_test_platform_count (fixture->platform,
                                 "SELECT count(*) FROM cases WHERE case_no = ?", case_no);
}

/* A write stuck on the database holds up its own worker only: reads of cases, the catalog and
 * the feed are answered meanwhile, and the write completes, once, when the lock goes. */
static void
test_slow_write (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *first_no = make_case_no (1);
  g_autofree char *first_path = g_strconcat ("/api/v1/cases/", first_no, NULL);
  g_autofree char *first_body = make_case_json (first_no);
  g_autofree char *stuck_no = NULL;
  g_autofree char *stuck_path = NULL;
  OwTestWriteLock *lock;
  Sent *stuck;

  {
    g_autoptr(OwTestResponse) r = request (fixture, "PUT", first_path, first_body);

    g_assert_cmpuint (r->status, ==, 201);
  }

  lock = ow_test_platform_hold_writes (fixture->platform);
  stuck = put_stuck_case (fixture, lock, 2, &stuck_no);

  {
    g_autoptr(OwTestResponse) kase = request (fixture, "GET", first_path, NULL);
    g_autoptr(OwTestResponse) catalog = request (fixture, "GET", "/api/v1/catalog", NULL);
    g_autoptr(OwTestResponse) feed = request (fixture, "GET", "/api/v1/changes", NULL);

    g_assert_cmpuint (kase->status, ==, 200);
    g_assert_cmpstr (ow_test_response_get_string (kase, "case_no"), ==, first_no);
    g_assert_cmpuint (catalog->status, ==, 200);
    g_assert_cmpuint (feed->status, ==, 200);
  }
  /* All of that while the write still waited. */
  g_assert_false (sent_done (stuck));

  ow_test_write_lock_release (lock);
  {
    g_autoptr(OwTestResponse) r = sent_finish (stuck);

    g_assert_cmpuint (r->status, ==, 201);
  }
  stuck_path = g_strconcat ("/api/v1/cases/", stuck_no, NULL);
  {
    g_autoptr(OwTestResponse) r = request (fixture, "GET", stuck_path, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_assert_cmpint (case_rows (fixture, stuck_no), ==, 1);
}

/* One worker, stuck: a request that waits longer than --db-wait for it is answered 503 with
 * Retry-After, the stuck write still completes, and the next request is answered as ever. */
static void
test_waited_too_long (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *stuck_no = NULL;
  OwTestWriteLock *lock = ow_test_platform_hold_writes (fixture->platform);
  Sent *stuck = put_stuck_case (fixture, lock, 3, &stuck_no);

  {
    g_autoptr(OwTestResponse) r = request (fixture, "GET", "/api/v1/catalog", NULL);

    /* --db-wait 300: Retry-After is the wait rounded up to whole seconds. */
    assert_busy (r, 1);
  }
  g_assert_false (sent_done (stuck));

  ow_test_write_lock_release (lock);
  {
    g_autoptr(OwTestResponse) r = sent_finish (stuck);

    g_assert_cmpuint (r->status, ==, 201);
  }
  {
    g_autoptr(OwTestResponse) r = request (fixture, "GET", "/api/v1/catalog", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_assert_cmpint (case_rows (fixture, stuck_no), ==, 1);
}

/* One worker, stuck, and one request waiting for it (--db-queue 1, a long --db-wait): the next
 * request is refused at once with 503, nothing of it done (a write refused so is not stored);
 * the waiting one is answered once the worker is free. */
static void
test_queue_full (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *stuck_no = NULL;
  g_autofree char *refused_no = make_case_no (5);
  g_autofree char *refused_path = g_strconcat ("/api/v1/cases/", refused_no, NULL);
  g_autofree char *refused_body = make_case_json (refused_no);
  OwTestWriteLock *lock = ow_test_platform_hold_writes (fixture->platform);
  Sent *stuck = put_stuck_case (fixture, lock, 4, &stuck_no);
  /* Two at once for the queue's one place: whichever comes second is refused. */
  Sent *first = send_async (fixture, "GET", "/api/v1/catalog", NULL);
  Sent *second = send_async (fixture, "GET", "/api/v1/catalog", NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  Sent *waiting;

  while (!sent_done (first) && !sent_done (second) && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_true (sent_done (first) || sent_done (second));
  waiting = sent_done (first) ? second : first;
  {
    g_autoptr(OwTestResponse) r = sent_finish (waiting == first ? second : first);

    /* --db-wait 60000: Retry-After is at most the wait. */
    assert_busy (r, 60);
  }
  g_assert_false (sent_done (waiting));

  /* The queue is still full: a write is refused before anything of it is done. */
  {
    g_autoptr(OwTestResponse) r = request (fixture, "PUT", refused_path, refused_body);

    assert_busy (r, 60);
  }
  g_assert_false (sent_done (waiting));
  g_assert_false (sent_done (stuck));

  ow_test_write_lock_release (lock);
  {
    g_autoptr(OwTestResponse) r = sent_finish (stuck);

    g_assert_cmpuint (r->status, ==, 201);
  }
  {
    g_autoptr(OwTestResponse) r = sent_finish (waiting);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_assert_cmpint (case_rows (fixture, stuck_no), ==, 1);
  g_assert_cmpint (case_rows (fixture, refused_no), ==, 0);
}

/* A process told to stop (SIGTERM) while a write waits for a lock that another program holds
 * stops at once instead of waiting for the lock (PostgreSQL would wait without limit): the
 * write is rolled back with the process's connection, its client gets no answer, and sent
 * again it is stored once. */
static void
test_stop_while_stuck (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *stuck_no = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  OwTestWriteLock *lock;
  Sent *stuck;

  if (!ow_test_platform_is_postgresql (fixture->platform))
    {
      /* SQLite's wait for its write lock ends by itself after the 5 s busy timeout. */
      g_test_skip ("PostgreSQL only: SQLite's lock waits end within its busy timeout");
      return;
    }

  lock = ow_test_platform_hold_writes (fixture->platform);
  stuck = put_stuck_case (fixture, lock, 5, &stuck_no);

  /* Still waiting when the test's patience (5 s) ends would mean SIGKILL: not clean. */
  g_assert_true (ow_test_platform_stop (fixture->platform));
  g_thread_join (stuck->thread);
  g_assert_null (stuck->response);
  g_assert_nonnull (stuck->error);
  g_test_message ("The stuck write's client was told: %s", stuck->error->message);
  path = g_strdup (stuck->path);
  body = g_strdup (stuck->body);
  g_clear_error (&stuck->error);
  g_free (stuck->method);
  g_free (stuck->path);
  g_free (stuck->body);
  g_free (stuck);

  /* Nothing of it was kept; the lock's holder was not disturbed. */
  ow_test_write_lock_release (lock);
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_assert_cmpint (case_rows (fixture, stuck_no), ==, 0);
  g_free (fixture->clerk);
  fixture->clerk = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  {
    g_autoptr(OwTestResponse) r = request (fixture, "PUT", path, body);

    g_assert_cmpuint (r->status, ==, 201);
  }
  g_assert_cmpint (case_rows (fixture, stuck_no), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  static const char *one_worker[] = { "--db-handles", "1", "--db-wait", "300", NULL };
  static const char *one_queued[] = { "--db-handles", "1", "--db-queue", "1", "--db-wait",
                                      "60000", NULL };

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pool/slow-write", Fixture, NULL, fixture_set_up, test_slow_write,
              fixture_tear_down);
  g_test_add ("/pool/waited-too-long", Fixture, one_worker, fixture_set_up,
              test_waited_too_long, fixture_tear_down);
  g_test_add ("/pool/queue-full", Fixture, one_queued, fixture_set_up, test_queue_full,
              fixture_tear_down);
  g_test_add ("/pool/stop-while-stuck", Fixture, NULL, fixture_set_up, test_stop_while_stuck,
              fixture_tear_down);

  return g_test_run ();
}
