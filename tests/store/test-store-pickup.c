/* test-store-pickup.c — the pick-up window's part of the store, on a real SQLite file
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Timelines kept with the counter's own events and the platform's; the hall's results listed by
 * state and hall with how long each waited and whether it is a decision not to approve; an
 * applicant's cases by ID; a case listed by the platform kept only when unknown here; ratings
 * kept once per case, with a poor one's follow-up, and a duplicate settled in one step.
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "store/ow-store.h"
#include "store/ow-store-schema.h"
#include "store-test-util.h"

#define HALL     "46010001"
#define OTHER    "46020001"
#define ID       "11010519491231002X"
#define OTHER_ID "460100200002291233"

typedef struct
{
  char    *dir;
  OwStore *store;
  GDate    day;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("ow-store-pickup-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  fixture->store = ow_store_open (path, &error);
  g_assert_no_error (error);
  g_date_clear (&fixture->day, 1);
  g_date_set_dmy (&fixture->day, 25, G_DATE_NOVEMBER, 2026);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  store_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A case of @hall for @id in @state, saved as the platform sent it. */
static char *
put_case (Fixture     *fixture,
          const char  *hall,
          guint        sequence,
          const char  *id,
          OwCaseState  state)
{
  g_autoptr(OwCase) kase = store_test_make_case (hall, 7, &fixture->day, sequence, id);
  g_autoptr(GError) error = NULL;
  gboolean applied = FALSE;

  ow_case_set_state (kase, state);
  g_assert_true (ow_store_save_remote_case (fixture->store, kase, &applied, &error));
  g_assert_no_error (error);
  g_assert_true (applied);
  return g_strdup (ow_case_get_case_no (kase));
}

static OwStoreCaseEvent *
event_at (const char      *id,
          const char      *case_no,
          OwCaseEventKind  kind,
          int              hour)
{
  /* Hours of a day that ended an hour ago: before whatever this store stamps now. */
  static gint64 midnight;
  g_autoptr(GDateTime) at = NULL;

  if (midnight == 0)
    midnight = g_get_real_time () / G_USEC_PER_SEC - 25 * 3600;
  at = g_date_time_new_from_unix_utc (midnight + hour * 3600);
  g_autofree char *body = g_strdup_printf ("{\"id\":\"%s\"}", id);

  return ow_store_case_event_new (id, case_no, kind, at, body);
}

static void
add_remote_events (Fixture    *fixture,
                   const char *case_no,
                   gboolean    approved,
                   int         ready_hour)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (
                                  (GDestroyNotify) ow_store_case_event_free);
  g_autofree char *decided = g_strconcat (case_no, "-d", NULL);
  g_autofree char *ready = g_strconcat (case_no, "-r", NULL);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (events, event_at (decided, case_no,
                                     approved ? OW_CASE_EVENT_APPROVED
                                              : OW_CASE_EVENT_NOT_APPROVED, ready_hour - 1));
  g_ptr_array_add (events, event_at (ready, case_no, OW_CASE_EVENT_RESULT_READY, ready_hour));
  g_assert_true (ow_store_save_remote_case_events (fixture->store, events, &error));
  g_assert_no_error (error);
  /* The same again: nothing doubles. */
  g_assert_true (ow_store_save_remote_case_events (fixture->store, events, &error));
  g_assert_no_error (error);
}

static void
test_results (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *late = put_case (fixture, HALL, 1, ID, OW_CASE_STATE_RESULT_READY);
  g_autofree char *early = put_case (fixture, HALL, 2, OTHER_ID, OW_CASE_STATE_RESULT_READY);
  g_autofree char *refused = put_case (fixture, HALL, 3, ID, OW_CASE_STATE_RESULT_READY);
  g_autofree char *elsewhere = put_case (fixture, OTHER, 1, ID, OW_CASE_STATE_RESULT_READY);
  g_autofree char *pending = put_case (fixture, HALL, 4, ID, OW_CASE_STATE_ACCEPTED);
  g_autofree char *unknown = put_case (fixture, HALL, 5, ID, OW_CASE_STATE_RESULT_READY);
  g_auto(GStrv) without = NULL;
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(OwStorePickupCase) one = NULL;
  g_autoptr(GError) error = NULL;

  add_remote_events (fixture, late, TRUE, 10);
  add_remote_events (fixture, early, TRUE, 3);
  add_remote_events (fixture, refused, FALSE, 5);

  /* The mirror knows which still need their timeline: only this hall's, only the ready. */
  without = ow_store_list_cases_without_timeline (fixture->store, HALL,
                                                  OW_CASE_STATE_RESULT_READY, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (without), ==, 1);
  g_assert_cmpstr (without[0], ==, unknown);

  /* The hall's results, the longest wait first, with what their timelines say. */
  ready = ow_store_list_pickup_cases (fixture->store, HALL, OW_CASE_STATE_RESULT_READY, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ready->len, ==, 4);
  {
    OwStorePickupCase *first = g_ptr_array_index (ready, 0);
    OwStorePickupCase *second = g_ptr_array_index (ready, 1);
    OwStorePickupCase *third = g_ptr_array_index (ready, 2);

    g_assert_cmpstr (ow_case_get_case_no (first->kase), ==, early);
    g_assert_cmpstr (ow_case_get_case_no (second->kase), ==, refused);
    g_assert_cmpint (second->decision, ==, OW_CASE_EVENT_NOT_APPROVED);
    g_assert_cmpstr (ow_case_get_case_no (third->kase), ==, late);
    g_assert_cmpint (third->decision, ==, OW_CASE_EVENT_APPROVED);
    g_assert_cmpint (third->ready_at, >, first->ready_at);
    g_assert_cmpint (third->ready_at - first->ready_at, ==, (gint64) 7 * G_USEC_PER_SEC * 3600);
  }
  /* A case without its timeline yet: known to be ready, since when not. */
  g_assert_cmpstr (ow_case_get_case_no (((OwStorePickupCase *) g_ptr_array_index (ready, 3))->kase),
                   ==, unknown);
  g_assert_cmpint (((OwStorePickupCase *) g_ptr_array_index (ready, 3))->ready_at, ==, 0);

  /* By applicant: every state and hall, in either spelling of the ID. */
  found = ow_store_find_pickup_cases (fixture->store, "11010519491231002x", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 5);

  one = ow_store_load_pickup_case (fixture->store, pending, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_case_get_state (one->kase), ==, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpint (one->decision, ==, 0);
  g_assert_null (ow_store_load_pickup_case (fixture->store, "4601000107202611259999X", &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  (void) elsewhere;
}

static void
test_handover (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *case_no = put_case (fixture, HALL, 1, ID, OW_CASE_STATE_RESULT_READY);
  g_autoptr(OwCase) kase = ow_store_load_case (fixture->store, case_no, NULL);
  g_autoptr(OwStoreCaseEvent) event = event_at ("h-1", case_no, OW_CASE_EVENT_HANDED_OVER, 11);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (
                                   (GDestroyNotify) ow_outbox_entry_free);
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) platform = g_ptr_array_new_with_free_func (
                                    (GDestroyNotify) ow_store_case_event_free);
  g_autoptr(OwCase) listed = store_test_make_case (HALL, 7, &fixture->day, 1, ID);
  g_autoptr(GError) error = NULL;
  OwOutboxEntry *entry = g_new0 (OwOutboxEntry, 1);
  guint audit_before = ow_store_audit_count (fixture->store, NULL);
  gboolean saved = TRUE;

  entry->kind = g_strdup ("event");
  entry->key = g_strdup (case_no);
  entry->method = g_strdup ("POST");
  entry->path = g_strdup ("/api/v1/cases/x/events");
  entry->content_type = g_strdup ("application/json");
  entry->body = g_bytes_new_static ("{}", 2);
  g_ptr_array_add (entries, entry);

  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_HANDED_OVER, NULL));
  g_assert_true (ow_store_save_case_event (fixture->store, kase, event, entries, "pickup",
                                           "applicant 张三", &error));
  g_assert_no_error (error);
  g_assert_cmpint (entry->id, >, 0);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 1);
  /* The hand-over is in the audit log with who did it and to whom. */
  g_assert_cmpuint (ow_store_audit_count (fixture->store, NULL), ==, audit_before + 1);

  ready = ow_store_list_pickup_cases (fixture->store, HALL, OW_CASE_STATE_RESULT_READY, 0, &error);
  g_assert_cmpuint (ready->len, ==, 0);

  /* The platform's timeline later brings the same event again: kept once. */
  g_ptr_array_add (platform, event_at ("h-1", case_no, OW_CASE_EVENT_HANDED_OVER, 11));
  g_assert_true (ow_store_save_remote_case_events (fixture->store, platform, &error));
  timeline = ow_store_list_case_events (fixture->store, case_no, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (timeline->len, ==, 1);
  g_assert_cmpint (((OwStoreCaseEvent *) g_ptr_array_index (timeline, 0))->kind, ==,
                   OW_CASE_EVENT_HANDED_OVER);

  /* A listing of the platform taken before the hand-over leaves the case alone. */
  ow_case_set_state (listed, OW_CASE_STATE_RESULT_READY);
  g_assert_true (ow_store_save_remote_case_if_absent (fixture->store, listed, &saved, &error));
  g_assert_no_error (error);
  g_assert_false (saved);
  g_clear_object (&kase);
  kase = ow_store_load_case (fixture->store, case_no, &error);
  g_assert_cmpint (ow_case_get_state (kase), ==, OW_CASE_STATE_HANDED_OVER);
  {
    g_autoptr(OwCase) fresh = store_test_make_case (HALL, 7, &fixture->day, 9, ID);

    g_assert_true (ow_store_save_remote_case_if_absent (fixture->store, fresh, &saved, &error));
    g_assert_true (saved);
  }
}

static OwOutboxEntry *
entry_new (const char *kind,
           const char *key,
           const char *path)
{
  OwOutboxEntry *entry = g_new0 (OwOutboxEntry, 1);

  entry->kind = g_strdup (kind);
  entry->key = g_strdup (key);
  entry->method = g_strdup ("PUT");
  entry->path = g_strdup (path);
  entry->content_type = g_strdup ("application/json");
  entry->body = g_bytes_new_static ("{}", 2);
  return entry;
}

static void
test_ratings (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *case_no = put_case (fixture, HALL, 1, ID, OW_CASE_STATE_HANDED_OVER);
  g_autofree char *other = put_case (fixture, HALL, 2, ID, OW_CASE_STATE_HANDED_OVER);
  g_autoptr(OwRating) rating = ow_rating_new (case_no, OW_RATING_VERY_DISSATISFIED, "太慢");
  g_autoptr(OwRating) again = ow_rating_new (case_no, OW_RATING_VERY_SATISFIED, NULL);
  g_autoptr(OwRating) good = ow_rating_new (other, OW_RATING_SATISFIED, NULL);
  g_autoptr(OwTicket) ticket = ow_rating_follow_up (rating, "张三", "13800138000");
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (
                                   (GDestroyNotify) ow_outbox_entry_free);
  g_autoptr(GPtrArray) good_entries = g_ptr_array_new_with_free_func (
                                        (GDestroyNotify) ow_outbox_entry_free);
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *settled = NULL;
  gboolean rated = TRUE;
  gint64 rating_entry;

  g_assert_true (ow_store_case_is_rated (fixture->store, case_no, &rated, &error));
  g_assert_false (rated);

  g_ptr_array_add (entries, entry_new ("rating", rating->id, "/api/v1/ratings/r"));
  g_ptr_array_add (entries, entry_new ("ticket", rating->id, "/api/v1/tickets/t"));
  g_assert_true (ow_store_save_rating (fixture->store, rating, ticket, entries, "pickup",
                                       &error));
  g_assert_no_error (error);
  rating_entry = ((OwOutboxEntry *) g_ptr_array_index (entries, 0))->id;
  g_assert_true (ow_store_case_is_rated (fixture->store, case_no, &rated, &error));
  g_assert_true (rated);
  tickets = ow_store_list_tickets (fixture->store, 0, NULL, 0, &error);
  g_assert_cmpuint (tickets->len, ==, 1);
  g_assert_cmpstr (((OwTicket *) g_ptr_array_index (tickets, 0))->rating_id, ==, rating->id);
  g_clear_pointer (&tickets, g_ptr_array_unref);

  /* A case is rated once here: nothing of a second rating is kept. */
  g_assert_false (ow_store_save_rating (fixture->store, again, NULL, NULL, "pickup", &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 2);

  g_ptr_array_add (good_entries, entry_new ("rating", good->id, "/api/v1/ratings/g"));
  g_assert_true (ow_store_save_rating (fixture->store, good, NULL, good_entries, "pickup",
                                       &error));
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 3);

  /* The platform had the case rated at another counter: the rating and its follow-up go,
   * the other rating's entry stays. */
  g_assert_true (ow_store_settle_duplicate_rating (fixture->store, rating_entry, &settled,
                                                   &error));
  g_assert_no_error (error);
  g_assert_cmpstr (settled, ==, case_no);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 1);
  g_assert_true (ow_store_case_is_rated (fixture->store, case_no, &rated, &error));
  g_assert_false (rated);
  tickets = ow_store_list_tickets (fixture->store, 0, NULL, 0, &error);
  g_assert_cmpuint (tickets->len, ==, 0);
  g_assert_false (ow_store_settle_duplicate_rating (fixture->store, rating_entry, NULL, &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
}

/* The courier's list: what was mailed in a span of time, whatever became of it since. */
static void
test_mailings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *mailed = put_case (fixture, HALL, 1, ID, OW_CASE_STATE_RESULT_READY);
  g_autofree char *elsewhere = put_case (fixture, OTHER, 1, ID, OW_CASE_STATE_RESULT_READY);
  g_autoptr(OwCase) kase = ow_store_load_case (fixture->store, mailed, NULL);
  g_autoptr(OwStoreCaseEvent) event = event_at ("m-1", mailed, OW_CASE_EVENT_MAILED, 9);
  g_autoptr(OwStoreCaseEvent) other = event_at ("m-2", elsewhere, OW_CASE_EVENT_MAILED, 9);
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 at = event->at;

  event->carrier = g_strdup ("ems");
  event->waybill = g_strdup ("EA123456785CN");
  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_MAILED, NULL));
  g_assert_true (ow_store_save_case_event (fixture->store, kase, event, NULL, "pickup",
                                           "ems EA123456785CN", &error));
  g_assert_no_error (error);
  g_ptr_array_add (events, other);
  g_assert_true (ow_store_save_remote_case_events (fixture->store, events, &error));

  list = ow_store_list_mailings (fixture->store, HALL, at - G_USEC_PER_SEC, at + G_USEC_PER_SEC,
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((OwStorePickupCase *) g_ptr_array_index (list, 0))->waybill, ==,
                   "EA123456785CN");
  g_assert_cmpstr (((OwStorePickupCase *) g_ptr_array_index (list, 0))->carrier, ==, "ems");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ow_store_list_mailings (fixture->store, HALL, at + G_USEC_PER_SEC, at + 2 * G_USEC_PER_SEC,
                                 &error);
  g_assert_cmpuint (list->len, ==, 0);
}

/* A workstation's store of any earlier schema, with what it held, takes the pick-up window's
 * tables when it opens: each earlier file is made as that version of OneWindow left it (its
 * migrations, nothing after), with a row of its own. */
static void
test_upgrade (Fixture       *fixture,
              gconstpointer  data)
{
  const int known = G_N_ELEMENTS (ow_store_migrations);

  for (int version = 1; version < known; version++)
    {
      g_autofree char *path = g_strdup_printf ("%s/schema-%d.db", fixture->dir, version);
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version);
      g_autofree char *case_no = NULL;
      g_autoptr(OwStore) store = NULL;
      g_autoptr(OwCase) kase = NULL;
      g_autoptr(GPtrArray) ready = NULL;
      g_autoptr(GError) error = NULL;
      gboolean applied = FALSE;
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      for (int i = 0; i < version; i++)
        g_assert_cmpint (sqlite3_exec (db, ow_store_migrations[i], NULL, NULL, NULL), ==,
                         SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, bump, NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, "INSERT INTO sequences (hall, counter, day, next) "
                                     "VALUES ('" HALL "', 7, '2026-11-25', 42)",
                                     NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);

      store = ow_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ow_store_get_schema_version (store), ==, known);
      kase = store_test_make_case (HALL, 7, &fixture->day, 1, ID);
      ow_case_set_state (kase, OW_CASE_STATE_RESULT_READY);
      g_assert_true (ow_store_save_remote_case (store, kase, &applied, &error));
      g_assert_no_error (error);
      case_no = g_strdup (ow_case_get_case_no (kase));
      add_remote_events (&(Fixture) { .store = store }, case_no, FALSE, 5);
      ready = ow_store_list_pickup_cases (store, HALL, OW_CASE_STATE_RESULT_READY, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ready->len, ==, 1);
      g_assert_cmpint (((OwStorePickupCase *) g_ptr_array_index (ready, 0))->decision, ==,
                       OW_CASE_EVENT_NOT_APPROVED);
      g_clear_object (&store);

      /* What the older version kept is still there. */
      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT next FROM sequences WHERE counter = 7",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 42);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-pickup/upgrade", Fixture, NULL, fixture_set_up, test_upgrade,
              fixture_tear_down);
  g_test_add ("/store-pickup/results", Fixture, NULL, fixture_set_up, test_results,
              fixture_tear_down);
  g_test_add ("/store-pickup/handover", Fixture, NULL, fixture_set_up, test_handover,
              fixture_tear_down);
  g_test_add ("/store-pickup/mailings", Fixture, NULL, fixture_set_up, test_mailings,
              fixture_tear_down);
  g_test_add ("/store-pickup/ratings", Fixture, NULL, fixture_set_up, test_ratings,
              fixture_tear_down);
  return g_test_run ();
}
