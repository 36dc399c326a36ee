/* test-sync-tickets.c — tickets, ticket events and case events through the outbox and the
 * changes feed, between a real local store and the real platform process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "core/ow-error.h"
#include "net/ow-json.h"
#include "net/ow-sync.h"
#include "net-test-util.h"

typedef struct
{
  OwTestPlatform *platform;
  char           *dir;
  OwStore        *store;
  OwClient       *client;
  OwSync         *sync;
  GHashTable     *applied;   /* ticket ids "tickets-applied" named */
} Fixture;

static void
tickets_applied_cb (OwSync             *sync,
                    const char * const *ids,
                    gpointer            user_data)
{
  Fixture *fixture = user_data;

  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (fixture->applied, g_strdup (ids[i]));
}

/* @data: the user the counter logs in as. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *db_path = NULL;

  fixture->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  fixture->dir = g_dir_make_tmp ("ow-sync-tickets-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  fixture->store = ow_store_open (db_path, &error);
  g_assert_no_error (error);
  fixture->client = ow_client_new (ow_test_platform_get_base_uri (fixture->platform), NULL,
                                   &error);
  g_assert_no_error (error);
  ow_client_login_async (fixture->client, data, "demo", NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_client_login_finish (fixture->client, net_test_wait (&result), &error));
  g_assert_no_error (error);

  fixture->sync = ow_sync_new (fixture->store, fixture->client);
  fixture->applied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (fixture->sync, "tickets-applied", G_CALLBACK (tickets_applied_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ow_sync_stop (fixture->sync);
  g_clear_object (&fixture->sync);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&fixture->applied, g_hash_table_unref);
  net_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  ow_test_platform_free (fixture->platform);
}

static gboolean
flush (Fixture  *fixture,
       GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_sync_flush_async (fixture->sync, NULL, net_test_got_result_cb, &result);
  return ow_sync_flush_finish (fixture->sync, net_test_wait (&result), error);
}

static OwTicket *
make_ticket (const char *id)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OwTicket *ticket = ow_ticket_new (id, now, OW_TICKET_TIER_5_DAYS,
                                    "社保卡补办在自助机上失败三次");

  ticket->contact_name = g_strdup ("张三");
  ticket->contact_phone = g_strdup (NET_TEST_MOBILE);
  ticket->channel = g_strdup ("hall");
  ticket->category = g_strdup ("自助设备");
  return ticket;
}

static OwTicketEvent *
make_event (OwTicketEventKind  kind,
            const char        *assignee)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = g_uuid_string_random ();
  OwTicketEvent *event = ow_ticket_event_new (id, kind, now);

  event->assignee = g_strdup (assignee);
  event->note = g_strdup ("已联系人社窗口");
  return event;
}

static gboolean
submit_ticket (Fixture         *fixture,
               const OwTicket  *ticket,
               GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_sync_submit_ticket_async (fixture->sync, ticket, "supervisor", NULL,
                               net_test_got_result_cb, &result);
  return ow_sync_submit_ticket_finish (fixture->sync, net_test_wait (&result), error);
}

static gboolean
submit_event (Fixture              *fixture,
              const char           *ticket_id,
              const OwTicketEvent  *event,
              GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_sync_submit_ticket_event_async (fixture->sync, ticket_id, event, "supervisor", NULL,
                                     net_test_got_result_cb, &result);
  return ow_sync_submit_ticket_event_finish (fixture->sync, net_test_wait (&result), error);
}

/* Rows of the platform's own database matching @sql with one text parameter. */
static int
platform_count (Fixture    *fixture,
                const char *sql,
                const char *value)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rows;

  g_assert_cmpint (sqlite3_open_v2 (ow_test_platform_get_db_path (fixture->platform), &db,
                                    SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  rows = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

static void
wait_for (Fixture     *fixture,
          gboolean   (*done) (Fixture *, gconstpointer),
          gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (fixture, data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done (fixture, data));
}

static gboolean
nothing_pending (Fixture       *fixture,
                 gconstpointer  data)
{
  return ow_sync_get_pending (fixture->sync) == 0;
}

static gboolean
ticket_applied (Fixture       *fixture,
                gconstpointer  data)
{
  return g_hash_table_contains (fixture->applied, data);
}

/* Registered and moved on with the platform down: kept locally at once, in order in the outbox;
 * once the platform is back everything arrives, each exactly once, and the platform's view of
 * the ticket (hall, due date, its timeline) comes back through the feed. */
static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(OwTicket) ticket = make_ticket (id);
  g_autoptr(OwTicketEvent) assigned = make_event (OW_TICKET_EVENT_ASSIGNED, "department");
  g_autoptr(OwTicketEvent) started = make_event (OW_TICKET_EVENT_STARTED, NULL);
  g_autoptr(OwTicket) local = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(OwTestResponse) r = NULL;

  ow_test_platform_stop (fixture->platform);
  ow_sync_start (fixture->sync);

  g_assert_true (submit_ticket (fixture, ticket, &error));
  g_assert_no_error (error);
  g_assert_true (submit_event (fixture, id, assigned, &error));
  g_assert_no_error (error);
  g_assert_true (submit_event (fixture, id, started, &error));
  g_assert_no_error (error);

  /* Shown as done: the counter sees the ticket moved on, with its timeline. */
  local = ow_store_load_ticket (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (local->state, ==, OW_TICKET_STATE_IN_PROGRESS);
  g_assert_cmpstr (local->assignee, ==, "department");
  events = ow_store_list_ticket_events (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* One key, in the order made: the ticket before its events. */
  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 3);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->method, ==, "PUT");
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 1))->kind, ==, "ticket-event");
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 2))->kind, ==, "ticket-event");
  for (guint i = 0; i < outbox->len; i++)
    g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, i))->key, ==, id);

  g_assert_false (flush (fixture, &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 3);

  /* Back on the same database: the engine sends on its own after the back-off. */
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  wait_for (fixture, nothing_pending, NULL);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);

  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM tickets WHERE id = ?", id),
                   ==, 1);
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM ticket_events "
                                   "WHERE ticket_id = ?", id), ==, 2);
  token = ow_test_platform_login (fixture->platform, "department", "demo", &error);
  g_assert_no_error (error);
  path = g_strconcat ("/api/v1/tickets/", id, NULL);
  r = ow_test_platform_request (fixture->platform, "GET", path, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (ow_test_response_get_string (r, "state"), ==, "in-progress");
  g_assert_cmpstr (ow_test_response_get_string (r, "category"), ==, "自助设备");

  /* The platform's own view comes back: hall and due date, which only it computes. */
  wait_for (fixture, ticket_applied, id);
  g_clear_pointer (&local, ow_ticket_free);
  local = ow_store_load_ticket (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (local->hall, ==, NET_TEST_HALL);
  g_assert_true (g_date_valid (&local->due_date));
  g_assert_cmpint (local->state, ==, OW_TICKET_STATE_IN_PROGRESS);

  /* The department resolves it elsewhere: the counter learns it through the feed. */
  g_hash_table_remove_all (fixture->applied);
  {
    g_autofree char *events_path = g_strconcat (path, "/events", NULL);
    g_autofree char *body = g_strdup_printf ("{\"id\": \"%s-r\", \"kind\": \"resolved\", "
                                             "\"at\": \"2026-11-25T08:00:00Z\", "
                                             "\"note\": \"已补办\"}", id);
    g_autoptr(OwTestResponse) posted = NULL;

    posted = ow_test_platform_request (fixture->platform, "POST", events_path, token, body,
                                       &error);
    g_assert_no_error (error);
    g_assert_cmpuint (posted->status, ==, 201);
  }
  wait_for (fixture, ticket_applied, id);
  g_clear_pointer (&local, ow_ticket_free);
  local = ow_store_load_ticket (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (local->state, ==, OW_TICKET_STATE_RESOLVED);
  events = ow_store_list_ticket_events (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_cmpint (((OwTicketEvent *) g_ptr_array_index (events, 2))->kind, ==,
                   OW_TICKET_EVENT_RESOLVED);
  g_assert_cmpuint (platform_count (fixture, "SELECT count(*) FROM tickets WHERE id = ?", id),
                    ==, 1);
}

/* What cannot be kept is refused at once and keeps nothing; what the platform refuses stays,
 * dead, and holds back the events behind it instead of letting them overtake. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(OwTicket) ticket = make_ticket (id);
  g_autoptr(OwTicket) orphan = make_ticket ("t-orphan");
  g_autoptr(OwTicketEvent) started = make_event (OW_TICKET_EVENT_STARTED, NULL);
  g_autoptr(OwTicketEvent) unnamed = make_event (OW_TICKET_EVENT_ASSIGNED, NULL);
  g_autoptr(OwTicketEvent) assigned = make_event (OW_TICKET_EVENT_ASSIGNED, "department");
  g_autoptr(OwTicketEvent) orphan_assigned = make_event (OW_TICKET_EVENT_ASSIGNED, "department");
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (submit_event (fixture, "t-unknown", assigned, &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (submit_ticket (fixture, ticket, &error));
  g_assert_no_error (error);
  g_assert_false (submit_event (fixture, id, started, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_false (submit_event (fixture, id, unnamed, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 1);
  {
    g_autoptr(GPtrArray) events = ow_store_list_ticket_events (fixture->store, id, &error);

    g_assert_cmpuint (events->len, ==, 0);
  }

  /* A ticket about a case the platform does not hold is refused (422); its assignment waits
   * behind it, untried, while the other ticket goes through. */
  orphan->case_no = g_strdup ("4601000107202611259999X");
  g_assert_true (submit_ticket (fixture, orphan, &error));
  g_assert_true (submit_event (fixture, "t-orphan", orphan_assigned, &error));
  g_assert_true (submit_event (fixture, id, assigned, &error));
  g_assert_no_error (error);

  g_assert_false (flush (fixture, &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INVALID);
  g_assert_cmpstr (ow_platform_error_get_field (error), ==, "case_no");
  g_clear_error (&error);
  g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_BLOCKED);

  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 2);
  g_assert_true (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->dead);
  g_assert_cmpuint (((OwOutboxEntry *) g_ptr_array_index (outbox, 1))->attempts, ==, 0);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 1))->key, ==, "t-orphan");
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM ticket_events "
                                   "WHERE ticket_id = ?", id), ==, 1);
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM tickets WHERE id = ?",
                                   "t-orphan"), ==, 0);
}

/* The pick-up window's and the clerk's case events go through the outbox too: the case is kept
 * in its new state, and the event reaches the platform after the case, once. */
static void
test_case_event (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OwItem) item = net_test_first_item (fixture->client);
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCase) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *event_id = g_uuid_string_random ();
  OwJsonCaseEvent accepted = { event_id, OW_CASE_EVENT_ACCEPTED, now, "材料齐全", NULL };
  OwJsonCaseEvent handed = { (char *) "e-handed", OW_CASE_EVENT_HANDED_OVER, now, NULL, NULL };
  const char *case_no;
  GDate today;

  ow_test_today (&today);
  kase = net_test_make_case (item, ow_store_next_sequence (fixture->store, NET_TEST_HALL,
                                                           NET_TEST_COUNTER, &today, NULL),
                             "张三");
  case_no = ow_case_get_case_no (kase);
  ow_sync_submit_case_async (fixture->sync, kase, "clerk", NULL, net_test_got_result_cb,
                             &result);
  g_assert_true (ow_sync_submit_case_finish (fixture->sync, net_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  ow_sync_submit_case_event_async (fixture->sync, case_no, &accepted, "clerk", NULL,
                                   net_test_got_result_cb, &result);
  g_assert_true (ow_sync_submit_case_event_finish (fixture->sync, net_test_wait (&result),
                                                   &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  local = ow_store_load_case (fixture->store, case_no, &error);
  g_assert_cmpint (ow_case_get_state (local), ==, OW_CASE_STATE_ACCEPTED);

  /* Handed over before a result exists: refused here, nothing kept. */
  ow_sync_submit_case_event_async (fixture->sync, case_no, &handed, "clerk", NULL,
                                   net_test_got_result_cb, &result);
  g_assert_false (ow_sync_submit_case_event_finish (fixture->sync, net_test_wait (&result),
                                                    &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 2);

  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM case_events WHERE case_no = ?",
                                   case_no), ==, 1);
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM cases WHERE case_no = ? "
                                   "AND state = 'accepted'", case_no), ==, 1);
}

/* What the tickets page reads directly: the platform's list and whom to assign to. */
static void
test_client_lists (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OwTicket) ticket = make_ticket ("t-listed");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (submit_ticket (fixture, ticket, &error));
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);

  ow_client_list_users_async (fixture->client, "department", NULL, net_test_got_result_cb,
                              &result);
  users = ow_client_list_users_finish (fixture->client, net_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
  g_assert_cmpstr (((OwUser *) g_ptr_array_index (users, 0))->username, ==, "department");
  g_assert_true (ow_user_has_role (g_ptr_array_index (users, 0), "department"));
  g_clear_object (&result);

  ow_client_list_tickets_async (fixture->client, OW_TICKET_STATE_REGISTERED, NULL, FALSE, NULL,
                                net_test_got_result_cb, &result);
  tickets = ow_client_list_tickets_finish (fixture->client, net_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 1);
  g_assert_cmpstr (((OwTicket *) g_ptr_array_index (tickets, 0))->category, ==, "自助设备");
  g_clear_pointer (&tickets, g_ptr_array_unref);
  g_clear_object (&result);

  ow_client_list_tickets_async (fixture->client, 0, "department", TRUE, NULL,
                                net_test_got_result_cb, &result);
  tickets = ow_client_list_tickets_finish (fixture->client, net_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 0);
  g_clear_object (&result);

  ow_client_get_ticket_async (fixture->client, "t-nowhere", NULL, net_test_got_result_cb,
                              &result);
  g_assert_null (ow_client_get_ticket_finish (fixture->client, net_test_wait (&result), &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/net/sync-tickets/offline", Fixture, "supervisor", fixture_set_up, test_offline,
              fixture_tear_down);
  g_test_add ("/net/sync-tickets/refused", Fixture, "supervisor", fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add ("/net/sync-tickets/client-lists", Fixture, "supervisor", fixture_set_up,
              test_client_lists, fixture_tear_down);
  g_test_add ("/net/sync-tickets/case-event", Fixture, "clerk", fixture_set_up,
              test_case_event, fixture_tear_down);

  return g_test_run ();
}
