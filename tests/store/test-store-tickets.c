/* test-store-tickets.c — tickets and their timelines in the local store, on real SQLite files
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "store/ow-store.h"
#include "store-test-util.h"

typedef struct
{
  char    *dir;
  char    *path;
  OwStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("ow-store-tickets-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  fixture->store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  store_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static OwTicket *
make_ticket (const char *id,
             int         day)
{
  g_autoptr(GDateTime) registered = g_date_time_new_utc (2026, 11, day, 2, 0, 0);

  return ow_ticket_new (id, registered, OW_TICKET_TIER_5_DAYS, "公积金提取网上办不了");
}

static OwTicketEvent *
make_event (const char        *id,
            OwTicketEventKind  kind)
{
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 11, 25, 3, 0, 0);

  return ow_ticket_event_new (id, kind, at);
}

static OwOutboxEntry *
make_entry (const char *key)
{
  OwOutboxEntry *entry = g_new0 (OwOutboxEntry, 1);

  entry->kind = g_strdup ("ticket");
  entry->key = g_strdup (key);
  entry->method = g_strdup ("PUT");
  entry->path = g_strconcat ("/api/v1/tickets/", key, NULL);
  entry->content_type = g_strdup ("application/json");
  entry->body = g_bytes_new_static ("{}", 2);
  return entry;
}

static void
test_save_and_list (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OwTicket) first = make_ticket ("t-1", 20);
  g_autoptr(OwTicket) second = make_ticket ("t-2", 25);
  g_autoptr(OwTicketEvent) assigned = make_event ("e-1", OW_TICKET_EVENT_ASSIGNED);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 ow_outbox_entry_free);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(OwTicket) loaded = NULL;
  g_autoptr(GError) error = NULL;
  guint audits = ow_store_audit_count (fixture->store, NULL);

  g_ptr_array_add (entries, make_entry ("t-1"));
  g_assert_true (ow_store_save_ticket (fixture->store, first, entries, "clerk", &error));
  g_assert_no_error (error);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (entries, 0))->id, >, 0);
  g_assert_true (ow_store_save_ticket (fixture->store, second, NULL, "clerk", &error));
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 1);
  g_assert_cmpuint (ow_store_audit_count (fixture->store, NULL), ==, audits + 2);

  /* An event moves the kept ticket and joins its timeline, in one transaction. */
  assigned->assignee = g_strdup ("department");
  g_assert_true (ow_ticket_apply_event (first, assigned, &error));
  g_assert_true (ow_store_save_ticket_event (fixture->store, first, assigned, NULL, "supervisor",
                                             &error));
  g_assert_no_error (error);

  loaded = ow_store_load_ticket (fixture->store, "t-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->state, ==, OW_TICKET_STATE_ASSIGNED);
  g_assert_cmpstr (loaded->assignee, ==, "department");
  events = ow_store_list_ticket_events (fixture->store, "t-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((OwTicketEvent *) g_ptr_array_index (events, 0))->assignee, ==, "department");

  /* Newest registration first; filters by state and assignee. */
  list = ow_store_list_tickets (fixture->store, 0, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((OwTicket *) g_ptr_array_index (list, 0))->id, ==, "t-2");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ow_store_list_tickets (fixture->store, OW_TICKET_STATE_REGISTERED, NULL, 0, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ow_store_list_tickets (fixture->store, 0, "department", 0, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((OwTicket *) g_ptr_array_index (list, 0))->id, ==, "t-1");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ow_store_list_tickets (fixture->store, 0, NULL, 1, &error);
  g_assert_cmpuint (list->len, ==, 1);

  g_assert_null (ow_store_load_ticket (fixture->store, "t-404", &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* The page reads through workers: the list, and one ticket with its timeline. */
static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(OwTicket) ticket = make_ticket ("t-1", 25);
  g_autoptr(OwTicketEvent) noted = make_event ("n-1", OW_TICKET_EVENT_NOTED);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(OwTicket) loaded = NULL;
  g_autoptr(GError) error = NULL;

  noted->note = g_strdup ("已转办");
  g_assert_true (ow_store_save_ticket_event (fixture->store, ticket, noted, NULL, "clerk",
                                             &error));

  ow_store_list_tickets_async (fixture->store, OW_TICKET_STATE_REGISTERED, NULL, 0, NULL,
                               got_result_cb, &result);
  list = ow_store_list_tickets_finish (fixture->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_object (&result);

  ow_store_load_ticket_async (fixture->store, "t-1", NULL, got_result_cb, &result);
  loaded = ow_store_load_ticket_finish (fixture->store, wait_result (&result), &events, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->id, ==, "t-1");
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((OwTicketEvent *) g_ptr_array_index (events, 0))->note, ==, "已转办");
  g_clear_object (&result);
  g_clear_pointer (&events, g_ptr_array_unref);

  ow_store_load_ticket_async (fixture->store, "t-404", NULL, got_result_cb, &result);
  g_assert_null (ow_store_load_ticket_finish (fixture->store, wait_result (&result), &events,
                                              &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_assert_null (events);
}

/* The platform's view is kept unless the counter's own change still waits to be sent. */
static void
test_remote (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(OwTicket) mine = make_ticket ("t-1", 25);
  g_autoptr(OwTicket) theirs = make_ticket ("t-1", 25);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 ow_outbox_entry_free);
  g_autoptr(GPtrArray) timeline = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  ow_ticket_event_free);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(OwTicket) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gboolean applied = TRUE;

  g_ptr_array_add (entries, make_entry ("t-1"));
  g_assert_true (ow_store_save_ticket (fixture->store, mine, entries, "clerk", &error));

  theirs->state = OW_TICKET_STATE_ASSIGNED;
  theirs->assignee = g_strdup ("department");
  theirs->hall = g_strdup ("46010001");
  g_ptr_array_add (timeline, make_event ("e-1", OW_TICKET_EVENT_ASSIGNED));
  g_assert_true (ow_store_save_remote_ticket (fixture->store, theirs, timeline, &applied,
                                              &error));
  g_assert_no_error (error);
  g_assert_false (applied);
  loaded = ow_store_load_ticket (fixture->store, "t-1", &error);
  g_assert_cmpint (loaded->state, ==, OW_TICKET_STATE_REGISTERED);
  g_clear_pointer (&loaded, ow_ticket_free);

  /* Sent: now the platform's view wins, timeline and all. */
  g_assert_true (ow_store_outbox_ack (fixture->store,
                                      ((OwOutboxEntry *) g_ptr_array_index (entries, 0))->id,
                                      &error));
  g_assert_true (ow_store_save_remote_ticket (fixture->store, theirs, timeline, &applied,
                                              &error));
  g_assert_no_error (error);
  g_assert_true (applied);
  loaded = ow_store_load_ticket (fixture->store, "t-1", &error);
  g_assert_cmpint (loaded->state, ==, OW_TICKET_STATE_ASSIGNED);
  g_assert_cmpstr (loaded->hall, ==, "46010001");
  events = ow_store_list_ticket_events (fixture->store, "t-1", &error);
  g_assert_cmpuint (events->len, ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Applied twice, the timeline is the same, not doubled. */
  g_assert_true (ow_store_save_remote_ticket (fixture->store, theirs, timeline, &applied,
                                              &error));
  events = ow_store_list_ticket_events (fixture->store, "t-1", &error);
  g_assert_cmpuint (events->len, ==, 1);
}

/* A damaged record is an error naming the database, not a crash; it survives a reopening. */
static void
test_damaged (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(OwTicket) ticket = make_ticket ("t-1", 25);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  sqlite3 *db = NULL;

  g_assert_true (ow_store_save_ticket (fixture->store, ticket, NULL, "clerk", &error));
  g_clear_object (&fixture->store);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE tickets SET data = x'00ff00', data_type = '(ss)'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  fixture->store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_store_get_schema_version (fixture->store), >=, 3);
  g_assert_null (ow_store_load_ticket (fixture->store, "t-1", &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  list = ow_store_list_tickets (fixture->store, 0, NULL, 0, &error);
  g_assert_null (list);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/tickets/save-and-list", Fixture, NULL, fixture_set_up, test_save_and_list,
              fixture_tear_down);
  g_test_add ("/store/tickets/remote", Fixture, NULL, fixture_set_up, test_remote,
              fixture_tear_down);
  g_test_add ("/store/tickets/async", Fixture, NULL, fixture_set_up, test_async,
              fixture_tear_down);
  g_test_add ("/store/tickets/damaged", Fixture, NULL, fixture_set_up, test_damaged,
              fixture_tear_down);

  return g_test_run ();
}
