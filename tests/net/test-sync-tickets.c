/* test-sync-tickets.c — tickets, ticket events and case events through the outbox and the
 * changes feed, between a real local store and the real platform process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>


#include "core/ow-error.h"
#include "net/ow-json.h"
#include "net/ow-sync.h"
#include "net-test-proxy.h"
#include "net-test-util.h"

typedef struct
{
  OwTestPlatform *platform;
  char           *dir;
  OwStore        *store;
  OwClient       *client;
  OwSync         *sync;
  GHashTable     *applied;   /* ticket ids "tickets-applied" named */
  GHashTable     *cases_applied; /* case numbers "changes-applied" named */
  NetTestProxy   *proxy;     /* between the client and the platform, for the race tests */
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

static void
changes_applied_cb (OwSync             *sync,
                    const char * const *case_nos,
                    gpointer            user_data)
{
  Fixture *fixture = user_data;

  for (guint i = 0; case_nos[i] != NULL; i++)
    g_hash_table_add (fixture->cases_applied, g_strdup (case_nos[i]));
}

/* @data: the user the counter logs in as; @proxied: the client talks to the platform through
 * a proxy of the test's (net-test-proxy.h). */
static void
fixture_set_up_full (Fixture       *fixture,
                     gconstpointer  data,
                     gboolean       proxied)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *db_path = NULL;
  const char *uri;

  fixture->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  fixture->dir = g_dir_make_tmp ("ow-sync-tickets-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  fixture->store = ow_store_open (db_path, &error);
  g_assert_no_error (error);
  uri = ow_test_platform_get_base_uri (fixture->platform);
  if (proxied)
    {
      fixture->proxy = net_test_proxy_new (uri);
      uri = net_test_proxy_get_uri (fixture->proxy);
    }
  fixture->client = ow_client_new (uri, NULL, &error);
  g_assert_no_error (error);
  ow_client_login_async (fixture->client, data, "demo", NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_client_login_finish (fixture->client, net_test_wait (&result), &error));
  g_assert_no_error (error);

  fixture->sync = ow_sync_new (fixture->store, fixture->client);
  fixture->applied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->cases_applied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (fixture->sync, "tickets-applied", G_CALLBACK (tickets_applied_cb), fixture);
  g_signal_connect (fixture->sync, "changes-applied", G_CALLBACK (changes_applied_cb), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture_set_up_full (fixture, data, FALSE);
}

static void
fixture_set_up_proxied (Fixture       *fixture,
                        gconstpointer  data)
{
  fixture_set_up_full (fixture, data, TRUE);
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
  g_clear_pointer (&fixture->proxy, net_test_proxy_free);
  g_clear_pointer (&fixture->applied, g_hash_table_unref);
  g_clear_pointer (&fixture->cases_applied, g_hash_table_unref);
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
  return (int) ow_test_platform_count (fixture->platform, sql, value);
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
  /* The two departments of the demo, each user with theirs, as the codec reads them. */
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((OwUser *) g_ptr_array_index (users, 0))->username, ==, "department");
  g_assert_cmpstr (((OwUser *) g_ptr_array_index (users, 0))->department, ==,
                   "海口市市场监督管理局");
  g_assert_cmpstr (((OwUser *) g_ptr_array_index (users, 1))->department, ==,
                   "海口市医疗保障局");
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

/* ---- the feed's copy against the outbox: a copy asked for before the platform acknowledged
 * a later change of the counter's must not overwrite that change ---------------------------- */

static gboolean
answer_held (Fixture       *fixture,
             gconstpointer  data)
{
  return net_test_proxy_get_held (fixture->proxy) > 0;
}

static gboolean
case_applied (Fixture       *fixture,
              gconstpointer  data)
{
  return g_hash_table_contains (fixture->cases_applied, data);
}

/* The interleaving that lost the clerk's step one run in eight, forced: the feed asks for the
 * ticket after the assignment; the platform answers (assigned) but the answer is held back; the
 * counter starts the work and the platform acknowledges it; only then does the old copy
 * arrive. It must not be saved: the engine asks again and saves what the platform holds now. */
static void
test_stale_ticket (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *path = g_strconcat ("/api/v1/tickets/", id, NULL);
  g_autoptr(OwTicket) ticket = make_ticket (id);
  g_autoptr(OwTicketEvent) assigned = make_event (OW_TICKET_EVENT_ASSIGNED, "department");
  g_autoptr(OwTicketEvent) started = make_event (OW_TICKET_EVENT_STARTED, NULL);
  g_autoptr(OwTicket) local = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (submit_ticket (fixture, ticket, &error));
  g_assert_true (submit_event (fixture, id, assigned, &error));
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);

  net_test_proxy_hold (fixture->proxy, "GET", path, 1);
  ow_sync_start (fixture->sync);
  wait_for (fixture, answer_held, NULL);
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "GET", path), ==, 1);

  g_assert_true (submit_event (fixture, id, started, &error));
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM tickets WHERE id = ? "
                                   "AND state = 'in-progress'", id), ==, 1);
  g_assert_false (g_hash_table_contains (fixture->applied, id));

  net_test_proxy_release (fixture->proxy);
  wait_for (fixture, ticket_applied, id);
  local = ow_store_load_ticket (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (local->state, ==, OW_TICKET_STATE_IN_PROGRESS);
  g_assert_cmpstr (local->hall, ==, NET_TEST_HALL);
  events = ow_store_list_ticket_events (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  /* Asked for again, not saved from the first answer. */
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "GET", path), >=, 2);
}

static OwCase *
submit_new_case (Fixture     *fixture,
                 OwCaseState  state,
                 GPtrArray   *materials)
{
  g_autoptr(OwItem) item = net_test_first_item (fixture->client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OwCase *kase;
  GDate today;

  ow_test_today (&today);
  kase = net_test_make_case (item, ow_store_next_sequence (fixture->store, NET_TEST_HALL,
                                                           NET_TEST_COUNTER, &today, NULL),
                             "张三");
  for (guint i = 0; materials != NULL && i < materials->len; i++)
    ow_case_add_material (kase, ow_case_material_copy (g_ptr_array_index (materials, i)));
  if (state == OW_CASE_STATE_SUPPLEMENT_REQUESTED)
    g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_SUPPLEMENT_REQUESTED, NULL));
  ow_sync_submit_case_async (fixture->sync, kase, "clerk", NULL, net_test_got_result_cb,
                             &result);
  g_assert_true (ow_sync_submit_case_finish (fixture->sync, net_test_wait (&result), &error));
  g_assert_no_error (error);
  return kase;
}

static gboolean
submit_case_event (Fixture                *fixture,
                   const char             *case_no,
                   const OwJsonCaseEvent  *event,
                   GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_sync_submit_case_event_async (fixture->sync, case_no, event, "clerk", NULL,
                                   net_test_got_result_cb, &result);
  return ow_sync_submit_case_event_finish (fixture->sync, net_test_wait (&result), error);
}

/* The same race for a case: received when asked for, accepted by the time the copy arrives. */
static void
test_stale_case (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OwCase) kase = submit_new_case (fixture, OW_CASE_STATE_RECEIVED, NULL);
  g_autoptr(OwCase) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *event_id = g_uuid_string_random ();
  g_autofree char *path = NULL;
  OwJsonCaseEvent accepted = { event_id, OW_CASE_EVENT_ACCEPTED, now, (char *) "材料齐全", NULL };
  const char *case_no = ow_case_get_case_no (kase);

  path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);

  net_test_proxy_hold (fixture->proxy, "GET", path, 1);
  ow_sync_start (fixture->sync);
  wait_for (fixture, answer_held, NULL);

  g_assert_true (submit_case_event (fixture, case_no, &accepted, &error));
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM cases WHERE case_no = ? "
                                   "AND state = 'accepted'", case_no), ==, 1);
  g_assert_false (g_hash_table_contains (fixture->cases_applied, case_no));

  net_test_proxy_release (fixture->proxy);
  wait_for (fixture, case_applied, case_no);
  local = ow_store_load_case (fixture->store, case_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_case_get_state (local), ==, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "GET", path), >=, 2);
}

/* ---- case events that amend the case -------------------------------------------------- */

static OwCaseMaterial *
make_line (const char       *id,
           OwMaterialStatus  status,
           const char       *note)
{
  OwCaseMaterial *line = ow_case_material_new (id, "材料");

  line->status = status;
  line->originals = status == OW_MATERIAL_STATUS_PAPER ? 1 : 0;
  line->note = g_strdup (note);
  return line;
}

/* A 补正 case back with its supplements, through the engine: the arrived lines on
 * supplement-received, the new promised date and notice number on accepted. The counter shows
 * them at once, the platform gets them, and the feed's copy brings back the same. */
static void
test_case_event_amend (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) materials = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    ow_case_material_free);
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCase) local = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autofree char *received_id = g_uuid_string_random ();
  g_autofree char *accepted_id = g_uuid_string_random ();
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *page = NULL;
  OwJsonCaseEvent received = { received_id, OW_CASE_EVENT_SUPPLEMENT_RECEIVED, now, NULL, NULL };
  OwJsonCaseEvent accepted = { accepted_id, OW_CASE_EVENT_ACCEPTED, now, NULL, NULL };
  OwJsonCaseEvent wrong = { (char *) "e-wrong", OW_CASE_EVENT_SUPPLEMENT_RECEIVED, now, NULL,
                            NULL };
  const char *case_no;
  char today_text[16];
  GDate today;

  if (!net_test_platform_takes_files (fixture->client))
    {
      g_test_skip ("the platform has no files route");
      return;
    }
  ow_test_today (&today);
  g_snprintf (today_text, sizeof today_text, "%04u-%02u-%02u", g_date_get_year (&today),
              g_date_get_month (&today), g_date_get_day (&today));

  g_ptr_array_add (materials, make_line ("m1", OW_MATERIAL_STATUS_PAPER, NULL));
  g_ptr_array_add (materials, make_line ("m2", OW_MATERIAL_STATUS_MISSING, "缺少全体股东签字"));
  g_ptr_array_add (materials, make_line ("m3", OW_MATERIAL_STATUS_MISSING, "未加盖公章"));
  kase = submit_new_case (fixture, OW_CASE_STATE_SUPPLEMENT_REQUESTED, materials);
  case_no = ow_case_get_case_no (kase);
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);

  /* A line the case does not have: refused here, nothing kept. */
  wrong.materials = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);
  g_ptr_array_add (wrong.materials, make_line ("m9", OW_MATERIAL_STATUS_PAPER, NULL));
  g_assert_false (submit_case_event (fixture, case_no, &wrong, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_clear_error (&error);
  /* A member its kind does not take: refused before anything is read. */
  g_clear_pointer (&wrong.materials, g_ptr_array_unref);
  wrong.promised_date = today;
  g_assert_false (submit_case_event (fixture, case_no, &wrong, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);

  /* m2 came on paper, m3 was scanned: its page goes up before the event. */
  {
    static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 'm', '3' };
    g_autoptr(GBytes) bytes = g_bytes_new_static (png, sizeof png);
    OwCaseMaterial *scanned = make_line ("m3", OW_MATERIAL_STATUS_SCANNED, NULL);
    OwCaseMaterial *paper = make_line ("m2", OW_MATERIAL_STATUS_PAPER, NULL);

    page = ow_store_add_file (fixture->store, bytes, &error);
    g_assert_no_error (error);
    g_ptr_array_add (scanned->files, g_strdup (page));
    paper->copies = 2;
    received.materials = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);
    g_ptr_array_add (received.materials, paper);
    g_ptr_array_add (received.materials, scanned);
  }
  g_assert_true (submit_case_event (fixture, case_no, &received, &error));
  g_assert_no_error (error);
  accepted.promised_date = today;
  accepted.document_no = (char *) "海口政服受〔2026〕70099号";
  g_assert_true (submit_case_event (fixture, case_no, &accepted, &error));
  g_assert_no_error (error);

  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 3);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->kind, ==, "file");
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->body_file, ==, page);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 1))->kind, ==, "event");
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 2))->kind, ==, "event");

  /* Shown at once. */
  local = ow_store_load_case (fixture->store, case_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_case_get_state (local), ==, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpint (g_date_compare (ow_case_get_promised_date (local), &today), ==, 0);
  g_assert_cmpstr (ow_case_get_document_no (local), ==, "海口政服受〔2026〕70099号");
  g_assert_cmpint (ow_case_find_material (local, "m2")->status, ==, OW_MATERIAL_STATUS_PAPER);
  g_assert_cmpuint (ow_case_find_material (local, "m2")->copies, ==, 2);
  g_assert_null (ow_case_find_material (local, "m2")->note);
  g_assert_cmpint (ow_case_find_material (local, "m3")->status, ==, OW_MATERIAL_STATUS_SCANNED);
  g_assert_cmpstr (g_ptr_array_index (ow_case_find_material (local, "m3")->files, 0), ==, page);
  g_assert_cmpstr (ow_case_find_material (local, "m2")->name, ==, "材料");

  /* Sent, and the feed's copy (asked for after both) brings back the same. */
  g_hash_table_remove_all (fixture->cases_applied);
  ow_sync_start (fixture->sync);
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  wait_for (fixture, case_applied, case_no);
  g_clear_object (&local);
  local = ow_store_load_case (fixture->store, case_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_case_get_state (local), ==, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpint (g_date_compare (ow_case_get_promised_date (local), &today), ==, 0);
  g_assert_cmpstr (ow_case_get_document_no (local), ==, "海口政服受〔2026〕70099号");
  g_assert_cmpint (ow_case_find_material (local, "m2")->status, ==, OW_MATERIAL_STATUS_PAPER);
  g_assert_cmpint (ow_case_find_material (local, "m3")->status, ==, OW_MATERIAL_STATUS_SCANNED);
  g_assert_cmpint (ow_case_find_material (local, "m1")->status, ==, OW_MATERIAL_STATUS_PAPER);

  token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  response = ow_test_platform_request (fixture->platform, "GET", path, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "accepted");
  g_assert_cmpstr (ow_test_response_get_string (response, "promised_date"), ==, today_text);
  g_assert_cmpstr (ow_test_response_get_string (response, "document_no"), ==,
                   "海口政服受〔2026〕70099号");

  g_clear_pointer (&received.materials, g_ptr_array_unref);
}

/* ---- several keys side by side ------------------------------------------------------- */

static char *
add_page (Fixture    *fixture,
          const char *seed)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  char *sha256;

  g_byte_array_append (png, signature, sizeof signature);
  g_byte_array_append (png, (const guint8 *) seed, strlen (seed));
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&png));
  sha256 = ow_store_add_file (fixture->store, bytes, &error);
  g_assert_no_error (error);
  return sha256;
}

static GPtrArray *
scanned_line (const char *page)
{
  GPtrArray *materials = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);
  OwCaseMaterial *line = make_line ("m1", OW_MATERIAL_STATUS_SCANNED, NULL);

  g_ptr_array_add (line->files, g_strdup (page));
  g_ptr_array_add (materials, line);
  return materials;
}

typedef struct
{
  Fixture    *fixture;
  const char *case_no;
  const char *ticket_id;
} Landed;

/* The case and the ticket are on the platform, and an answer is held. */
static gboolean
landed (Fixture       *fixture,
        gconstpointer  data)
{
  const Landed *landed = data;

  return net_test_proxy_get_held (fixture->proxy) > 0
         && platform_count (fixture, "SELECT count(*) FROM cases WHERE case_no = ?",
                            landed->case_no) == 1
         && platform_count (fixture, "SELECT count(*) FROM tickets WHERE id = ?",
                            landed->ticket_id) == 1;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Order matters only within a key, and where one change names another: a case waits for its
 * pages and a ticket for the case it is about, whoever's key they travel under. While the
 * platform's answer to case A's page is held back, case B, its page and a ticket about it go
 * side by side past it; A's case and its event (A's key), case C (which names A's page) and a
 * ticket about A wait. Released, everything arrives once. */
static void
test_side_by_side (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *page_a = add_page (fixture, "page of A");
  g_autofree char *page_b = add_page (fixture, "page of B");
  g_autoptr(GPtrArray) lines_a = scanned_line (page_a);
  g_autoptr(GPtrArray) lines_b = scanned_line (page_b);
  g_autoptr(OwCase) a = NULL;
  g_autoptr(OwCase) c = NULL;
  g_autoptr(OwCase) b = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *event_id = g_uuid_string_random ();
  g_autofree char *about_a = g_uuid_string_random ();
  g_autofree char *about_b = g_uuid_string_random ();
  g_autoptr(OwTicket) ticket_a = make_ticket (about_a);
  g_autoptr(OwTicket) ticket_b = make_ticket (about_b);
  g_autofree char *file_a = g_strconcat ("/api/v1/files/", page_a, NULL);
  g_autofree char *case_a = NULL;
  g_autofree char *event_a = NULL;
  g_autofree char *case_c = NULL;
  g_autofree char *put_ticket_a = g_strconcat ("/api/v1/tickets/", about_a, NULL);
  OwJsonCaseEvent accepted = { event_id, OW_CASE_EVENT_ACCEPTED, now, (char *) "材料齐全", NULL };
  Landed landed_b = { fixture, NULL, about_b };
  guint tick;

  if (!net_test_platform_takes_files (fixture->client))
    {
      g_test_skip ("the platform has no files route");
      return;
    }
  a = submit_new_case (fixture, OW_CASE_STATE_RECEIVED, lines_a);
  c = submit_new_case (fixture, OW_CASE_STATE_RECEIVED, lines_a);
  b = submit_new_case (fixture, OW_CASE_STATE_RECEIVED, lines_b);
  g_assert_true (submit_case_event (fixture, ow_case_get_case_no (a), &accepted, &error));
  g_assert_no_error (error);
  ticket_a->case_no = g_strdup (ow_case_get_case_no (a));
  ticket_b->case_no = g_strdup (ow_case_get_case_no (b));
  g_assert_true (submit_ticket (fixture, ticket_a, &error));
  g_assert_true (submit_ticket (fixture, ticket_b, &error));
  g_assert_no_error (error);
  /* A's page once (C needs it too, and it is on its way), A, C, B's page, B, A's event, the
   * tickets. */
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 8);

  case_a = g_strconcat ("/api/v1/cases/", ow_case_get_case_no (a), NULL);
  event_a = g_strconcat (case_a, "/events", NULL);
  case_c = g_strconcat ("/api/v1/cases/", ow_case_get_case_no (c), NULL);
  landed_b.case_no = ow_case_get_case_no (b);

  net_test_proxy_hold (fixture->proxy, "PUT", file_a, 1);
  /* The platform's database is looked at between main-loop turns. */
  tick = g_timeout_add (20, tick_cb, NULL);
  ow_sync_start (fixture->sync);
  wait_for (fixture, landed, &landed_b);

  /* Some time for anything that should wait to go wrong. */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "PUT", file_a), ==, 1);
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "PUT", case_a), ==, 0);
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "POST", event_a), ==, 0);
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "PUT", case_c), ==, 0);
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "PUT", put_ticket_a), ==, 0);
  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 5);
  for (guint i = 0; i < outbox->len; i++)
    g_assert_false (((OwOutboxEntry *) g_ptr_array_index (outbox, i))->dead);

  net_test_proxy_release (fixture->proxy);
  wait_for (fixture, nothing_pending, NULL);
  g_source_remove (tick);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM cases WHERE case_no = ? "
                                   "AND state = 'accepted'", ow_case_get_case_no (a)), ==, 1);
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM cases WHERE case_no = ?",
                                   ow_case_get_case_no (c)), ==, 1);
  g_assert_cmpint (platform_count (fixture, "SELECT count(*) FROM tickets WHERE id = ?",
                                   about_a), ==, 1);
  /* Each went once: nothing was refused and sent again. */
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "PUT", case_a), ==, 1);
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "POST", event_a), ==, 1);
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "PUT", case_c), ==, 1);
  g_assert_cmpuint (net_test_proxy_count (fixture->proxy, "PUT", put_ticket_a), ==, 1);
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
  g_test_add ("/net/sync-tickets/case-event-amend", Fixture, "clerk", fixture_set_up,
              test_case_event_amend, fixture_tear_down);
  g_test_add ("/net/sync-tickets/stale-fetch-ticket", Fixture, "supervisor",
              fixture_set_up_proxied, test_stale_ticket, fixture_tear_down);
  g_test_add ("/net/sync-tickets/stale-fetch-case", Fixture, "clerk", fixture_set_up_proxied,
              test_stale_case, fixture_tear_down);
  g_test_add ("/net/sync-tickets/side-by-side", Fixture, "clerk", fixture_set_up_proxied,
              test_side_by_side, fixture_tear_down);

  return g_test_run ();
}
