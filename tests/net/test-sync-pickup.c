/* test-sync-pickup.c — the pick-up window's changes through the outbox, and the hall's results
 * mirrored, between a real local store and the real platform process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pick-up counter's store starts empty: the mirror lists the hall's results from the platform
 * and fetches their timelines (the decision not to approve among them). A hand-over to the right
 * person reaches the platform with its collector, once, also when the platform was down when it
 * was made; to the wrong person it is refused with nothing kept. Ratings: a good one is stored,
 * a poor one registers its follow-up ticket, and one the platform already had for the case is
 * settled as "already rated".
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "core/ow-error.h"
#include "net/ow-json.h"
#include "net/ow-pickup-mirror.h"
#include "net/ow-sync.h"
#include "net-test-util.h"

#define OTHER_ID "460100200002291233"

typedef struct
{
  OwTestPlatform *platform;
  char           *dir;
  OwStore        *store;
  OwClient       *client;
  OwSync         *sync;
  OwPickupMirror *mirror;
  char           *clerk;     /* a token of the demo clerk, to put cases */
  GPtrArray      *duplicates; /* case numbers "rating-duplicate" named */
  OwItem         *item;
} Fixture;

static void
run_admin (Fixture    *fixture,
           ...)
{
  const char *binary = g_getenv ("OW_PLATFORM_BINARY");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) binary);
  g_ptr_array_add (argv, (char *) "admin");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) ow_test_platform_get_db_path (fixture->platform));
  va_start (args, fixture);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("admin: %s%s", out, err);
}

static void
duplicate_cb (OwSync     *sync,
              const char *case_no,
              Fixture    *fixture)
{
  g_ptr_array_add (fixture->duplicates, g_strdup (case_no));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *db_path = NULL;

  fixture->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  fixture->dir = g_dir_make_tmp ("ow-sync-pickup-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  fixture->store = ow_store_open (db_path, &error);
  g_assert_no_error (error);
  fixture->client = ow_client_new (ow_test_platform_get_base_uri (fixture->platform), NULL,
                                   &error);
  g_assert_no_error (error);
  net_test_login (fixture->client);
  fixture->item = net_test_first_item (fixture->client);
  fixture->clerk = g_strdup (ow_client_get_token (fixture->client));
  /* The counter itself is the pick-up window's. */
  ow_client_login_async (fixture->client, "pickup", "demo", NULL, net_test_got_result_cb,
                         &result);
  g_assert_true (ow_client_login_finish (fixture->client, net_test_wait (&result), &error));
  g_assert_no_error (error);
  fixture->sync = ow_sync_new (fixture->store, fixture->client);
  fixture->mirror = ow_pickup_mirror_new (fixture->store, fixture->client, fixture->sync,
                                          NET_TEST_HALL);
  fixture->duplicates = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->sync, "rating-duplicate", G_CALLBACK (duplicate_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ow_pickup_mirror_stop (fixture->mirror);
  ow_sync_stop (fixture->sync);
  while (ow_pickup_mirror_is_busy (fixture->mirror))
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&fixture->mirror);
  g_clear_object (&fixture->sync);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->item);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (fixture->duplicates);
  g_free (fixture->clerk);
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

/* A case accepted at the clerk's counter and put on the platform, with @id_number. */
static char *
put_case (Fixture    *fixture,
          guint       sequence,
          const char *id_number)
{
  g_autoptr(OwCase) kase = net_test_make_case (fixture->item, sequence, "张三");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(OwTestResponse) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autoptr(OwApplicant) applicant = ow_applicant_copy (ow_case_get_applicant (kase));

  g_free (applicant->id_number);
  applicant->id_number = g_strdup (id_number);
  ow_case_set_applicant (kase, applicant);
  ow_case_set_state (kase, OW_CASE_STATE_ACCEPTED);
  node = ow_json_from_case (kase);
  body = ow_json_to_canonical (node);
  path = g_strconcat ("/api/v1/cases/", ow_case_get_case_no (kase), NULL);
  answer = ow_test_platform_request (fixture->platform, "PUT", path, fixture->clerk, body,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answer->status, ==, 201);
  return g_strdup (ow_case_get_case_no (kase));
}

static void
make_ready (Fixture    *fixture,
            const char *case_no,
            gboolean    approved)
{
  run_admin (fixture, "move-case", case_no, approved ? "approved" : "not-approved", NULL);
  run_admin (fixture, "move-case", case_no, "result-ready", NULL);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @case_no is kept here ready, with its timeline. */
static OwStorePickupCase *
wait_for_ready (Fixture    *fixture,
                const char *case_no)
{
  gint64 deadline = g_get_monotonic_time () + 40 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  for (;;)
    {
      OwStorePickupCase *pickup = ow_store_load_pickup_case (fixture->store, case_no, NULL);

      if (pickup != NULL && ow_case_get_state (pickup->kase) == OW_CASE_STATE_RESULT_READY
          && pickup->ready_at > 0 && !ow_pickup_mirror_is_busy (fixture->mirror))
        {
          g_source_remove (wake);
          return pickup;
        }
      g_clear_pointer (&pickup, ow_store_pickup_case_free);
      if (g_get_monotonic_time () > deadline)
        g_error ("case %s never became ready with its timeline in the store", case_no);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The audit records of @event on @object, read from the store's file beside it: the sync
 * engine, running, writes records of its own (outbox-sent …) at any moment. */
static guint
audit_records (Fixture    *fixture,
               const char *event,
               const char *object)
{
  g_autofree char *path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM audit WHERE event = ? AND "
                                       "object = ? AND user IS NOT NULL", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, object, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static OwStorePickupCase *
load (Fixture    *fixture,
      const char *case_no)
{
  g_autoptr(GError) error = NULL;
  OwStorePickupCase *pickup = ow_store_load_pickup_case (fixture->store, case_no, &error);

  g_assert_no_error (error);
  return pickup;
}

static OwJsonCaseEvent *
handover_event (const char *id_number)
{
  OwJsonCaseEvent *event = g_new0 (OwJsonCaseEvent, 1);

  event->id = g_uuid_string_random ();
  event->kind = OW_CASE_EVENT_HANDED_OVER;
  event->at = g_date_time_new_now_utc ();
  g_date_clear (&event->promised_date, 1);
  event->collector = ow_collector_new (OW_COLLECTOR_APPLICANT);
  event->collector->name = g_strdup ("张三");
  event->collector->id_number = g_strdup (id_number);
  event->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_handover_result_free);
  g_ptr_array_add (event->results, ow_handover_result_new ("营业执照", "91460100MA5T00000X"));
  return event;
}

static gboolean
submit_event (Fixture               *fixture,
              const char            *case_no,
              const OwJsonCaseEvent *event,
              GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_sync_submit_case_event_async (fixture->sync, case_no, event, "pickup", NULL,
                                   net_test_got_result_cb, &result);
  return ow_sync_submit_case_event_finish (fixture->sync, net_test_wait (&result), error);
}

static JsonArray *
platform_events (Fixture         *fixture,
                 const char      *case_no,
                 OwTestResponse **response)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);

  *response = ow_test_platform_request (fixture->platform, "GET", path, fixture->clerk, NULL,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((*response)->status, ==, 200);
  return json_object_get_array_member (json_node_get_object ((*response)->json), "events");
}

/* ---------------------------------------------------------------------------------------- */

static void
test_mirror_and_handover (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *approved = put_case (fixture, 1, NET_TEST_ID);
  g_autofree char *refused = put_case (fixture, 2, NET_TEST_ID);
  g_autofree char *waiting = put_case (fixture, 3, NET_TEST_ID);
  g_autoptr(OwStorePickupCase) pickup = NULL;
  g_autoptr(OwJsonCaseEvent) wrong = handover_event (OTHER_ID);
  g_autoptr(OwJsonCaseEvent) right = handover_event ("11010519491231002x");
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *events;

  make_ready (fixture, approved, TRUE);
  make_ready (fixture, refused, FALSE);

  /* An empty store learns the hall's results from the platform, with their timelines. */
  ow_sync_start (fixture->sync);
  ow_pickup_mirror_start (fixture->mirror);
  pickup = wait_for_ready (fixture, approved);
  g_clear_pointer (&pickup, ow_store_pickup_case_free);
  pickup = wait_for_ready (fixture, refused);
  g_clear_pointer (&pickup, ow_store_pickup_case_free);
  ready = ow_store_list_pickup_cases (fixture->store, NET_TEST_HALL, OW_CASE_STATE_RESULT_READY, 0,
                                      &error);
  g_assert_no_error (error);
  /* The feed may bring them too; either way the store holds each once, ready. */
  g_assert_cmpuint (ready->len, ==, 2);
  pickup = load (fixture, refused);
  g_assert_cmpint (pickup->decision, ==, OW_CASE_EVENT_NOT_APPROVED);
  g_assert_cmpint (pickup->ready_at, >, 0);
  g_clear_pointer (&pickup, ow_store_pickup_case_free);

  /* The wrong person: refused with the reason, nothing kept, nothing sent. */
  g_assert_false (submit_event (fixture, approved, wrong, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not the applicant"));
  g_clear_error (&error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
  pickup = load (fixture, approved);
  g_assert_cmpint (ow_case_get_state (pickup->kase), ==, OW_CASE_STATE_RESULT_READY);
  g_clear_pointer (&pickup, ow_store_pickup_case_free);

  /* The applicant: the store moves at once, the audit log says so, the platform has it. */
  g_assert_cmpuint (audit_records (fixture, "handed-over", approved), ==, 0);
  g_assert_true (submit_event (fixture, approved, right, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (audit_records (fixture, "handed-over", approved), ==, 1);
  pickup = load (fixture, approved);
  g_assert_cmpint (ow_case_get_state (pickup->kase), ==, OW_CASE_STATE_HANDED_OVER);
  timeline = ow_store_list_case_events (fixture->store, approved, &error);
  g_assert_cmpint (((OwStoreCaseEvent *) g_ptr_array_index (timeline, timeline->len - 1))->kind,
                   ==, OW_CASE_EVENT_HANDED_OVER);
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  events = platform_events (fixture, approved, &response);
  g_assert_cmpuint (json_array_get_length (events), ==, 3);
  {
    JsonObject *last = json_array_get_object_element (events, 2);
    JsonObject *collector = json_object_get_object_member (last, "collector");

    g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "handed-over");
    g_assert_cmpstr (json_object_get_string_member (collector, "id_number"), ==,
                     "11010519491231002x");
  }

  /* A case not ready cannot be handed over, and nothing is kept of the attempt. */
  {
    g_autoptr(OwJsonCaseEvent) early = handover_event (NET_TEST_ID);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(OwCase) kase = NULL;

    ow_client_get_case_async (fixture->client, waiting, NULL, net_test_got_result_cb, &result);
    kase = ow_client_get_case_finish (fixture->client, net_test_wait (&result), &error);
    g_assert_no_error (error);
    g_assert_true (ow_store_save_remote_case (fixture->store, kase, NULL, &error));
    g_assert_false (submit_event (fixture, waiting, early, &error));
    g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION);
    g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
    g_clear_error (&error);
  }

  /* Made ready while the window runs: the changes feed brings it, with its timeline. */
  make_ready (fixture, waiting, TRUE);
  g_clear_pointer (&pickup, ow_store_pickup_case_free);
  pickup = wait_for_ready (fixture, waiting);
  g_assert_cmpint (pickup->decision, ==, OW_CASE_EVENT_APPROVED);
}

/* The platform stopped, a hand-over made, the platform back: it arrives once. */
static void
test_offline_handover (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *case_no = put_case (fixture, 4, NET_TEST_ID);
  g_autoptr(OwJsonCaseEvent) event = handover_event (NET_TEST_ID);
  g_autoptr(OwTestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *events;
  guint handed = 0;

  make_ready (fixture, case_no, TRUE);
  ow_sync_start (fixture->sync);
  ow_pickup_mirror_start (fixture->mirror);
  ow_store_pickup_case_free (wait_for_ready (fixture, case_no));

  g_assert_true (ow_test_platform_stop (fixture->platform));
  g_assert_true (submit_event (fixture, case_no, event, &error));
  g_assert_no_error (error);
  g_assert_false (flush (fixture, &error));
  g_clear_error (&error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 1);

  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  /* Sent again (a kick after the restart) changes nothing. */
  ow_sync_kick (fixture->sync);
  g_assert_true (flush (fixture, &error));
  events = platform_events (fixture, case_no, &response);
  for (guint i = 0; i < json_array_get_length (events); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (events, i),
                                                    "kind"), "handed-over"))
      handed++;
  g_assert_cmpuint (handed, ==, 1);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
}

static gboolean
submit_rating (Fixture        *fixture,
               const OwRating *rating,
               char          **follow_up,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_sync_submit_rating_async (fixture->sync, rating, "pickup", NULL, net_test_got_result_cb,
                               &result);
  return ow_sync_submit_rating_finish (fixture->sync, net_test_wait (&result), follow_up,
                                       error);
}

static void
test_ratings (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *good = put_case (fixture, 5, NET_TEST_ID);
  g_autofree char *poor = put_case (fixture, 6, NET_TEST_ID);
  g_autofree char *elsewhere = put_case (fixture, 7, NET_TEST_ID);
  g_autoptr(OwRating) best = NULL;
  g_autoptr(OwRating) four = NULL;
  g_autoptr(OwRating) again = NULL;
  g_autoptr(OwRating) late = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *follow_up = NULL;
  g_autofree char *none = NULL;
  g_autofree char *ticket_path = NULL;
  g_autofree char *rating_path = NULL;
  g_autoptr(OwTestResponse) ticket = NULL;
  g_autoptr(OwTestResponse) stored = NULL;
  g_autoptr(GPtrArray) tickets = NULL;

  ow_sync_start (fixture->sync);
  ow_pickup_mirror_start (fixture->mirror);
  for (guint i = 0; i < 3; i++)
    {
      const char *case_no = i == 0 ? good : i == 1 ? poor : elsewhere;
      g_autoptr(OwJsonCaseEvent) event = handover_event (NET_TEST_ID);

      make_ready (fixture, case_no, TRUE);
      ow_store_pickup_case_free (wait_for_ready (fixture, case_no));
      g_assert_true (submit_event (fixture, case_no, event, &error));
      g_assert_no_error (error);
    }

  /* Level 1, 非常满意: stored, nothing to follow up. */
  best = ow_rating_new (good, OW_RATING_VERY_SATISFIED, NULL);
  g_assert_true (submit_rating (fixture, best, &none, &error));
  g_assert_no_error (error);
  g_assert_null (none);
  /* A case is rated once: a second rating at this counter keeps nothing. */
  again = ow_rating_new (good, OW_RATING_SATISFIED, NULL);
  g_assert_false (submit_rating (fixture, again, NULL, &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);

  four = ow_rating_new (poor, OW_RATING_DISSATISFIED, "窗口等候时间太长");
  g_assert_true (submit_rating (fixture, four, &follow_up, &error));
  g_assert_no_error (error);
  g_assert_nonnull (follow_up);
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);

  rating_path = g_strconcat ("/api/v1/ratings/", best->id, NULL);
  stored = ow_test_platform_request (fixture->platform, "GET", rating_path, fixture->clerk, NULL,
                                     &error);
  g_assert_cmpuint (stored->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (stored->json), "level"),
                   ==, 1);
  ticket_path = g_strconcat ("/api/v1/tickets/", follow_up, NULL);
  ticket = ow_test_platform_request (fixture->platform, "GET", ticket_path, fixture->clerk, NULL,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ticket->status, ==, 200);
  g_assert_cmpstr (ow_test_response_get_string (ticket, "rating_id"), ==, four->id);
  g_assert_cmpstr (ow_test_response_get_string (ticket, "case_no"), ==, poor);

  /* Rated at another counter meanwhile: the platform's 409 is "already rated", settled. */
  {
    g_autofree char *body = g_strdup_printf ("{\"id\": \"other-counter\", \"case_no\": \"%s\", "
                                             "\"channel\": \"on-site\", \"level\": 2, "
                                             "\"text\": null, \"at\": \"2026-11-25T06:30:00Z\"}",
                                             elsewhere);
    g_autoptr(OwTestResponse) put = ow_test_platform_request (fixture->platform, "PUT",
                                                              "/api/v1/ratings/other-counter",
                                                              fixture->clerk, body, &error);
    gboolean rated = TRUE;

    g_assert_cmpuint (put->status, ==, 201);
    late = ow_rating_new (elsewhere, OW_RATING_VERY_DISSATISFIED, NULL);
    g_assert_true (submit_rating (fixture, late, NULL, &error));
    g_assert_true (flush (fixture, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (fixture->duplicates->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (fixture->duplicates, 0), ==, elsewhere);
    g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
    g_assert_true (ow_store_case_is_rated (fixture->store, elsewhere, &rated, &error));
    g_assert_false (rated);
    /* Its follow-up never reached the platform, and is not kept either. */
    tickets = ow_store_list_tickets (fixture->store, 0, NULL, 0, &error);
    for (guint i = 0; i < tickets->len; i++)
      g_assert_cmpstr (((OwTicket *) g_ptr_array_index (tickets, i))->rating_id, !=, late->id);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync-pickup/mirror-and-handover", Fixture, NULL, fixture_set_up,
              test_mirror_and_handover, fixture_tear_down);
  g_test_add ("/sync-pickup/offline-handover", Fixture, NULL, fixture_set_up,
              test_offline_handover, fixture_tear_down);
  g_test_add ("/sync-pickup/ratings", Fixture, NULL, fixture_set_up, test_ratings,
              fixture_tear_down);
  return g_test_run ();
}
