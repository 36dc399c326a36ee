/* test-sync.c — the sync engine between a real local store and the real platform process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"


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
  OwItem         *item;
  guint           pending_notifications;
  guint           state_notifications;
} Fixture;

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;

  /* @data: extra arguments of the platform, or NULL. */
  fixture->platform = ow_test_platform_start_with_args (data, &error);
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("ow-sync-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  fixture->store = ow_store_open (db_path, &error);
  g_assert_no_error (error);

  fixture->client = ow_client_new (ow_test_platform_get_base_uri (fixture->platform), NULL,
                                   &error);
  g_assert_no_error (error);
  net_test_login (fixture->client);
  fixture->item = net_test_first_item (fixture->client);

  fixture->sync = ow_sync_new (fixture->store, fixture->client);
  g_signal_connect (fixture->sync, "notify::pending", G_CALLBACK (count_notify_cb),
                    &fixture->pending_notifications);
  g_signal_connect (fixture->sync, "notify::state", G_CALLBACK (count_notify_cb),
                    &fixture->state_notifications);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ow_sync_stop (fixture->sync);
  g_clear_object (&fixture->sync);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->item);
  /* Let tasks that were finishing drop their last references. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  net_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  ow_test_platform_free (fixture->platform);
}

/* A new case with the store's next sequence number, as the counter makes them. */
static OwCase *
next_case (Fixture    *fixture,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  GDate today;
  guint sequence;

  ow_test_today (&today);
  sequence = ow_store_next_sequence (fixture->store, NET_TEST_HALL, NET_TEST_COUNTER, &today,
                                     &error);
  g_assert_no_error (error);
  return net_test_make_case (fixture->item, sequence, name);
}

static void
submit (Fixture *fixture,
        OwCase  *kase)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ow_sync_submit_case_async (fixture->sync, kase, "clerk", NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_sync_submit_case_finish (fixture->sync, net_test_wait (&result), &error));
  g_assert_no_error (error);
}

static gboolean
flush (Fixture  *fixture,
       GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_sync_flush_async (fixture->sync, NULL, net_test_got_result_cb, &result);
  return ow_sync_flush_finish (fixture->sync, net_test_wait (&result), error);
}

/* What the platform holds for @case_no: its status and, with 200, the case's canonical JSON. */
static guint
platform_get (Fixture     *fixture,
              const char  *case_no,
              char       **canonical)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  g_autoptr(OwTestResponse) response = NULL;

  g_assert_no_error (error);
  response = ow_test_platform_request (fixture->platform, "GET", path, token, NULL, &error);
  g_assert_no_error (error);
  if (canonical != NULL)
    *canonical = response->json != NULL ? ow_json_to_canonical (response->json) : NULL;
  return response->status;
}

/* The number of rows the platform's own database holds for @case_no. */
static int
platform_rows (Fixture    *fixture,
               const char *case_no)
{
  return (int) ow_test_platform_count (fixture->platform,
                                       "SELECT count(*) FROM cases WHERE case_no = ?", case_no);
}

static char *
canonical_case (OwCase *kase)
{
  g_autoptr(JsonNode) node = ow_json_from_case (kase);

  return ow_json_to_canonical (node);
}

static void
test_submit (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autoptr(OwCase) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *local = NULL;
  gint64 before = g_get_real_time ();

  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 0);
  g_assert_cmpint (ow_sync_get_last_sync (fixture->sync), ==, 0);

  /* Saved locally at once, whatever the network does. */
  submit (fixture, kase);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 1);
  g_assert_cmpuint (fixture->pending_notifications, >=, 1);
  stored = ow_store_load_case (fixture->store, ow_case_get_case_no (kase), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 1);

  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 0);
  g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_IDLE);
  g_assert_cmpint (ow_sync_get_last_sync (fixture->sync), >=, before);
  g_assert_null (ow_sync_get_last_error (fixture->sync));
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
  /* SENDING, then IDLE again. */
  g_assert_cmpuint (fixture->state_notifications, >=, 2);

  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (kase), &remote), ==, 200);
  local = canonical_case (kase);
  g_assert_cmpstr (remote, ==, local);
  g_assert_cmpint (platform_rows (fixture, ow_case_get_case_no (kase)), ==, 1);
}

/* Started, the engine sends on its own as soon as a case is submitted, in order. */
static void
test_started (Fixture       *fixture,
              gconstpointer  data)
{
  OwCase *cases[3];
  gint64 deadline;

  ow_sync_start (fixture->sync);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      cases[i] = next_case (fixture, "张三");
      submit (fixture, cases[i]);
    }

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((ow_sync_get_pending (fixture->sync) > 0
          || ow_sync_get_state (fixture->sync) != OW_SYNC_IDLE)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 0);
  g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_IDLE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (cases[i]), NULL), ==, 200);
      g_object_unref (cases[i]);
    }
}

/* The platform holds the number with another body: the entry is dead, the next one still goes. */
static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autoptr(OwCase) squatter = NULL;
  g_autoptr(OwCase) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *expected = NULL;
  OwOutboxEntry *dead;

  /* Someone else got there first with the same number and another applicant name. */
  {
    g_autoptr(OwApplicant) other = ow_applicant_copy (ow_case_get_applicant (kase));
    g_autoptr(JsonNode) node = NULL;

    squatter = ow_case_new (ow_case_get_case_no (kase));
    g_free (other->name);
    other->name = g_strdup ("李四");
    ow_case_set_applicant (squatter, other);
    ow_case_set_origin (squatter, NET_TEST_HALL, NET_TEST_COUNTER, "clerk");
    ow_case_set_received_at (squatter, ow_case_get_received_at (kase));
    ow_case_add_item (squatter, ow_case_item_copy (g_ptr_array_index (ow_case_get_items (kase),
                                                                      0)));
    ow_case_set_delivery (squatter, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
    node = ow_json_from_case (squatter);
    body = json_to_string (node, FALSE);
  }
  token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  path = g_strconcat ("/api/v1/cases/", ow_case_get_case_no (kase), NULL);
  response = ow_test_platform_request (fixture->platform, "PUT", path, token, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 201);

  after = next_case (fixture, "王五");
  submit (fixture, kase);
  submit (fixture, after);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 2);

  g_assert_false (flush (fixture, &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_BLOCKED);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 1);
  g_assert_nonnull (ow_sync_get_last_error (fixture->sync));

  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  dead = g_ptr_array_index (outbox, 0);
  g_assert_true (dead->dead);
  g_assert_cmpstr (dead->key, ==, ow_case_get_case_no (kase));
  g_assert_cmpuint (dead->attempts, ==, 1);
  g_assert_nonnull (dead->last_error);

  /* The platform kept the first body; the next case went through. */
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (kase), &remote), ==, 200);
  expected = canonical_case (squatter);
  g_assert_cmpstr (remote, ==, expected);
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (after), NULL), ==, 200);

  /* Flushing again does not resend the dead entry. */
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_BLOCKED);
  g_clear_pointer (&outbox, g_ptr_array_unref);
  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_cmpuint (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->attempts, ==, 1);
}

/* The platform is down: the case waits, the engine says offline; when the platform is back (on
 * the same database) the case arrives, once. */
static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *base_uri = g_strdup (ow_test_platform_get_base_uri (fixture->platform));
  g_autofree char *remote = NULL;
  g_autofree char *local = NULL;
  OwOutboxEntry *entry;

  ow_test_platform_stop (fixture->platform);
  ow_sync_start (fixture->sync);

  submit (fixture, kase);
  g_assert_false (flush (fixture, &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNREACHABLE);
  g_assert_true (ow_platform_error_is_transient (error));
  g_clear_error (&error);

  g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_OFFLINE);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 1);
  g_assert_nonnull (ow_sync_get_last_error (fixture->sync));
  g_assert_cmpint (ow_sync_get_last_sync (fixture->sync), ==, 0);

  /* The attempt and its back-off are recorded: 1 s ± 20 %. */
  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_false (entry->dead);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_nonnull (entry->last_error);
  g_assert_cmpint (entry->next_attempt, >, g_get_real_time () - 2 * G_USEC_PER_SEC);
  g_assert_cmpint (entry->next_attempt, <, g_get_real_time () + 2 * G_USEC_PER_SEC);

  /* Trying again at once (a flush ignores the back-off) fails again and doubles it: 2 s ± 20 %. */
  {
    gint64 before = g_get_real_time ();
    gint64 delay;

    g_assert_false (flush (fixture, &error));
    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNREACHABLE);
    g_clear_error (&error);
    g_clear_pointer (&outbox, g_ptr_array_unref);
    outbox = ow_store_list_outbox (fixture->store, &error);
    entry = g_ptr_array_index (outbox, 0);
    g_assert_cmpuint (entry->attempts, ==, 2);
    delay = entry->next_attempt - before;
    g_assert_cmpint (delay, >=, 1.6 * G_USEC_PER_SEC);
    g_assert_cmpint (delay, <=, 2.4 * G_USEC_PER_SEC + (g_get_real_time () - before));
  }

  /* Back, on the same database; the client keeps its address. */
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ow_test_platform_get_base_uri (fixture->platform), ==, base_uri);

  /* The engine retries on its own after the back-off, without a kick. */
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (ow_sync_get_pending (fixture->sync) > 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  if (ow_sync_get_pending (fixture->sync) > 0)
    {
      /* The platform may not keep sessions across a restart: a new log-in resumes the engine. */
      g_test_message ("pending after restart: %s", ow_sync_get_last_error (fixture->sync));
      net_test_login (fixture->client);
      g_assert_true (flush (fixture, &error));
      g_assert_no_error (error);
    }

  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 0);
  g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_IDLE);
  g_assert_cmpint (ow_sync_get_last_sync (fixture->sync), >, 0);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);

  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (kase), &remote), ==, 200);
  local = canonical_case (kase);
  g_assert_cmpstr (remote, ==, local);
  g_assert_cmpint (platform_rows (fixture, ow_case_get_case_no (kase)), ==, 1);
}

/* A PUT of a case from a thread of its own, as another counter's. */
typedef struct
{
  OwTestPlatform *platform;
  char           *token;
  char           *path;
  char           *body;
  guint           status;
} OtherCounter;

static gpointer
other_counter_thread (gpointer data)
{
  OtherCounter *other = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestResponse) response = NULL;

  response = ow_test_platform_request (other->platform, "PUT", other->path, other->token,
                                       other->body, &error);
  g_assert_no_error (error);
  other->status = response->status;
  return NULL;
}

/* The platform is busy (its one database worker stuck on a lock another program holds, a
 * request waiting longer than --db-wait): 503 with Retry-After, which the engine takes as "try
 * later", like a platform out of reach, and not before Retry-After (3 s, longer than the first
 * back-off of 1 s). The case waits, alive, and goes once the platform is free again, stored
 * once. */
static void
test_busy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autoptr(OwCase) other_case = next_case (fixture, "李四");
  g_autoptr(JsonNode) other_json = ow_json_from_case (other_case);
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  OtherCounter other = { fixture->platform, NULL, NULL, NULL, 0 };
  OwTestWriteLock *lock;
  OwOutboxEntry *entry;
  GThread *thread;
  gint64 before;

  other.token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  other.path = g_strconcat ("/api/v1/cases/", ow_case_get_case_no (other_case), NULL);
  other.body = ow_json_to_canonical (other_json);
  submit (fixture, kase);

  lock = ow_test_platform_hold_writes (fixture->platform);
  thread = g_thread_new ("other counter", other_counter_thread, &other);
  ow_test_write_lock_wait_for_writer (lock);

  before = g_get_real_time ();
  g_assert_false (flush (fixture, &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_SERVER);
  g_assert_cmpuint (ow_platform_error_get_status (error), ==, 503);
  g_assert_true (ow_platform_error_is_transient (error));
  /* --db-wait 2500, in whole seconds. */
  g_assert_cmpuint (ow_platform_error_get_retry_after (error), ==, 3);
  g_clear_error (&error);

  /* Waiting to be sent again, not refused. */
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 1);
  g_assert_cmpuint (ow_sync_get_state (fixture->sync), !=, OW_SYNC_BLOCKED);
  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_false (entry->dead);
  g_assert_cmpuint (entry->attempts, ==, 1);
  /* The answer came after 2.5 s in the queue; the next attempt 3 s after it, not the back-off's
   * 1 s ± 20 %. */
  g_assert_cmpint (entry->next_attempt - before, >=, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (platform_rows (fixture, ow_case_get_case_no (kase)), ==, 0);

  ow_test_write_lock_release (lock);
  g_thread_join (thread);
  g_assert_cmpuint (other.status, ==, 201);

  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 0);
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (kase), NULL), ==, 200);
  g_assert_cmpint (platform_rows (fixture, ow_case_get_case_no (kase)), ==, 1);
  g_assert_cmpint (platform_rows (fixture, ow_case_get_case_no (other_case)), ==, 1);

  g_free (other.token);
  g_free (other.path);
  g_free (other.body);
}

/* Stopping abandons the request in flight; the entry stays and goes after the next start. */
static void
test_stop (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autoptr(GError) error = NULL;

  submit (fixture, kase);
  ow_sync_start (fixture->sync);
  /* Let the engine take the entry and put its request on the way. */
  while (ow_sync_get_state (fixture->sync) != OW_SYNC_SENDING)
    g_main_context_iteration (NULL, TRUE);
  ow_sync_stop (fixture->sync);
  while (ow_sync_get_state (fixture->sync) == OW_SYNC_SENDING)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), <=, 1);
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (kase), NULL), ==, 200);
}

/* Without a valid session the entry waits (never dead) until someone logs in. */
static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;

  ow_client_set_token (fixture->client, "not-a-token");
  submit (fixture, kase);
  g_assert_false (flush (fixture, &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 1);
  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_false (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->dead);

  net_test_login (fixture->client);
  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 0);
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (kase), NULL), ==, 200);
}

/* A scanned page of @size bytes in the store's files folder: a PNG signature, then noise. */
static char *
add_page (Fixture *fixture,
          gsize    size)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *sha256;

  memcpy (data, signature, sizeof signature);
  for (gsize i = sizeof signature; i < size; i++)
    data[i] = (guint8) g_random_int_range (0, 256);
  bytes = g_bytes_new_take (g_steal_pointer (&data), size);
  sha256 = ow_store_add_file (fixture->store, bytes, &error);
  g_assert_no_error (error);
  return sha256;
}

static OwCaseMaterial *
scanned_material (const char *id,
                  const char *first_page,
                  const char *second_page)
{
  OwCaseMaterial *material = ow_case_material_new (id, "申请书");

  material->status = OW_MATERIAL_STATUS_SCANNED;
  material->originals = 1;
  g_ptr_array_add (material->files, g_strdup (first_page));
  if (second_page != NULL)
    g_ptr_array_add (material->files, g_strdup (second_page));
  return material;
}

static gboolean
platform_takes_files (Fixture *fixture)
{
  return net_test_platform_takes_files (fixture->client);
}

/* Whether the platform has the changes feed yet. */
static gboolean
platform_has_changes (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  g_autoptr(OwTestResponse) response = NULL;

  response = ow_test_platform_request (fixture->platform, "GET", "/api/v1/changes?timeout=0",
                                       token, NULL, &error);
  g_assert_no_error (error);
  return response->status == 200;
}

/* Each page gets its own entry before the case's, in the same transaction; a page named twice,
 * or already on its way for another case, goes once; the platform gets files first. */
static void
test_files (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(OwCase) first = next_case (fixture, "张三");
  g_autoptr(OwCase) second = next_case (fixture, "李四");
  g_autoptr(OwCase) third = next_case (fixture, "王五");
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *p1 = add_page (fixture, 300 * 1024);
  g_autofree char *p2 = add_page (fixture, 1000);
  g_autofree char *p3 = add_page (fixture, 2000);
  const char *kinds[] = { "file", "file", "case", "file", "case" };
  gboolean files_route;

  ow_case_add_material (first, scanned_material ("m1", p1, p2));
  ow_case_add_material (first, scanned_material ("m2", p1, NULL));
  ow_case_add_material (second, scanned_material ("m1", p2, p3));
  submit (fixture, first);
  submit (fixture, second);

  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < outbox->len; i++)
    g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, i))->kind, ==, kinds[i]);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->body_file, ==, p1);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->content_type, ==,
                   "image/png");
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 1))->body_file, ==, p2);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 3))->body_file, ==, p3);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 3))->key, ==,
                   ow_case_get_case_no (second));
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 5);

  files_route = platform_takes_files (fixture);
  if (!files_route)
    {
      /* Until the platform has the route: the page is refused and its case waits behind it. */
      g_assert_false (flush (fixture, &error));
      g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND);
      g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_BLOCKED);
      g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (first), NULL), ==, 404);
      g_test_skip ("the platform has no files route yet");
      return;
    }

  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 0);
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (first), NULL), ==, 200);
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (second), NULL), ==, 200);
  {
    g_autofree char *path = g_strconcat ("/api/v1/files/", p1, NULL);
    g_autofree char *token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
    g_autoptr(OwTestResponse) response = ow_test_platform_request (fixture->platform, "GET", path,
                                                                   token, NULL, &error);
    g_autofree char *sha = NULL;

    g_assert_cmpuint (response->status, ==, 200);
    sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, response->body);
    g_assert_cmpstr (sha, ==, p1);
  }

  /* Uploaded once, never again: a later case with the same page sends only itself. */
  ow_case_add_material (third, scanned_material ("m1", p1, NULL));
  submit (fixture, third);
  g_clear_pointer (&outbox, g_ptr_array_unref);
  outbox = ow_store_list_outbox (fixture->store, &error);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->kind, ==, "case");
  g_assert_true (flush (fixture, &error));
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (third), NULL), ==, 200);
}

/* A page missing when the case is submitted: nothing is saved and the clerk hears why. */
static void
test_missing_page (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ow_case_add_material (kase, scanned_material ("m1", "00000000000000000000000000000000000000"
                                                "00000000000000000000000000", NULL));
  ow_sync_submit_case_async (fixture->sync, kase, "clerk", NULL, net_test_got_result_cb, &result);
  g_assert_false (ow_sync_submit_case_finish (fixture->sync, net_test_wait (&result), &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
  g_assert_null (ow_store_load_case (fixture->store, ow_case_get_case_no (kase), &error));
}

/* A case made from a form takes the form's draft with it, in the transaction that saves it;
 * a case that cannot be saved (a page missing) leaves the draft for the clerk. */
static void
test_submit_from_draft (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(OwCase) missing = next_case (fixture, "张三");
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autoptr(OwCase) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) form = g_bytes_new_static ("form", 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ow_store_save_draft (fixture->store, "current", "张三", form, &error));
  g_assert_true (ow_store_save_draft (fixture->store, "parked-a", "李四", form, &error));
  g_assert_no_error (error);

  ow_case_add_material (missing, scanned_material ("m1", "00000000000000000000000000000000000000"
                                                   "00000000000000000000000000", NULL));
  ow_sync_submit_case_from_draft_async (fixture->sync, missing, "current", "clerk", NULL,
                                        net_test_got_result_cb, &result);
  g_assert_false (ow_sync_submit_case_finish (fixture->sync, net_test_wait (&result), &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);
  bytes = ow_store_load_draft (fixture->store, "current", &error);
  g_assert_no_error (error);
  g_clear_pointer (&bytes, g_bytes_unref);

  ow_sync_submit_case_from_draft_async (fixture->sync, kase, "current", "clerk", NULL,
                                        net_test_got_result_cb, &result);
  g_assert_true (ow_sync_submit_case_finish (fixture->sync, net_test_wait (&result), &error));
  g_assert_no_error (error);
  stored = ow_store_load_case (fixture->store, ow_case_get_case_no (kase), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 1);
  bytes = ow_store_load_draft (fixture->store, "current", &error);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  bytes = ow_store_load_draft (fixture->store, "parked-a", &error);
  g_assert_no_error (error);

  g_assert_true (flush (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (kase), NULL), ==, 200);
}

/* A page damaged on disk cannot be sent: the platform refuses it (its hash), the entry is dead
 * with a message the clerk can act on and the case waits behind it; once the page is put back,
 * retrying the entry sends it and the case. */
static void
test_retry_entry (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autofree char *page = add_page (fixture, 4096);
  g_autofree char *path = g_build_filename (ow_store_get_files_dir (fixture->store), page, NULL);
  g_autofree char *good = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  guint changed = 0;
  OwOutboxEntry *entry;

  g_signal_connect (fixture->sync, "outbox-changed", G_CALLBACK (count_notify_cb), &changed);
  /* Damaged before the engine first reads it (a disk fault): still a PNG at its head. */
  g_assert_true (g_file_get_contents (path, &good, &size, NULL));
  g_assert_true (g_file_set_contents (path, "\x89PNG\r\n\x1a\n damaged", -1, NULL));
  ow_case_add_material (kase, scanned_material ("m1", page, NULL));
  submit (fixture, kase);
  g_assert_cmpuint (changed, ==, 1);

  /* The platform checks the hash and refuses the page, naming the field. */
  g_assert_false (flush (fixture, &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INVALID);
  g_assert_cmpstr (ow_platform_error_get_field (error), ==, "sha256");
  g_clear_error (&error);
  g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_BLOCKED);
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 2);
  g_assert_cmpuint (changed, >=, 2);
  outbox = ow_store_list_outbox (fixture->store, &error);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_true (entry->dead);
  g_assert_nonnull (strstr (entry->last_error, "Scan the material again"));
  /* The case waits behind its page: never sent, never refused. */
  g_assert_false (((OwOutboxEntry *) g_ptr_array_index (outbox, 1))->dead);
  g_assert_cmpuint (((OwOutboxEntry *) g_ptr_array_index (outbox, 1))->attempts, ==, 0);
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (kase), NULL), ==, 404);

  /* A person puts the page back and retries. */
  g_assert_true (g_file_set_contents (path, good, size, NULL));
  ow_sync_start (fixture->sync);
  ow_sync_retry_entry (fixture->sync, entry->id);
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while ((ow_sync_get_pending (fixture->sync) > 0
            || ow_sync_get_state (fixture->sync) != OW_SYNC_IDLE)
           && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (ow_sync_get_pending (fixture->sync), ==, 0);
  g_assert_cmpuint (ow_sync_get_state (fixture->sync), ==, OW_SYNC_IDLE);
  g_assert_cmpuint (platform_get (fixture, ow_case_get_case_no (kase), NULL), ==, 200);
}

static void
changes_applied_cb (OwSync      *sync,
                    const char * const *case_nos,
                    gpointer     user_data)
{
  GHashTable *seen = user_data;

  for (guint i = 0; case_nos[i] != NULL; i++)
    g_hash_table_add (seen, g_strdup (case_nos[i]));
}

/* The engine long-polls the changes feed, fetches the cases it names into the store (without
 * an outbox entry) and keeps the cursor; what departments do arrives by itself. */
static void
test_changes (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(OwCase) kase = next_case (fixture, "张三");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) local = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autofree char *event_id = g_uuid_string_random ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  const char *case_no = ow_case_get_case_no (kase);
  gint64 deadline;
  gint64 sent_at;
  gint64 asked_at;

  if (!platform_has_changes (fixture))
    {
      g_test_skip ("the platform has no changes feed yet");
      return;
    }

  g_signal_connect (fixture->sync, "changes-applied", G_CALLBACK (changes_applied_cb), seen);
  g_assert_cmpint (ow_sync_get_last_received (fixture->sync), ==, 0);
  ow_sync_start (fixture->sync);
  submit (fixture, kase);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!g_hash_table_contains (seen, case_no) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_hash_table_contains (seen, case_no));
  cursor = ow_store_get_meta (fixture->store, "changes-cursor", &error);
  g_assert_no_error (error);
  g_assert_nonnull (cursor);

  /* The clerk's own acceptance, recorded on the platform by another program: it comes back. */
  g_hash_table_remove_all (seen);
  sent_at = ow_sync_get_last_sync (fixture->sync);
  asked_at = g_get_real_time ();
  token = ow_test_platform_login (fixture->platform, "clerk", "demo", &error);
  path = g_strconcat ("/api/v1/cases/", case_no, "/events", NULL);
  body = g_strdup_printf ("{\"id\": \"%s\", \"kind\": \"accepted\", \"at\": \"%s\", "
                          "\"note\": \"\"}", event_id, at);
  response = ow_test_platform_request (fixture->platform, "POST", path, token, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 201);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!g_hash_table_contains (seen, case_no) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_hash_table_contains (seen, case_no));
  local = ow_store_load_case (fixture->store, case_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_case_get_state (local), ==, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpuint (ow_store_outbox_count (fixture->store, NULL), ==, 0);
  /* Receiving is a synchronization of its own (what a pick-up counter mostly does), and not a
   * send: the status bar's "Last synchronized" reads both. */
  g_assert_cmpint (ow_sync_get_last_received (fixture->sync), >=, asked_at);
  g_assert_cmpint (ow_sync_get_last_sync (fixture->sync), ==, sent_at);
  {
    g_autofree char *later = ow_store_get_meta (fixture->store, "changes-cursor", NULL);

    g_assert_cmpstr (later, !=, cursor);
  }

  /* Stopping cancels the long poll at once. */
  ow_sync_stop (fixture->sync);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/net/sync/submit", test_submit);
  ADD ("/net/sync/started", test_started);
  ADD ("/net/sync/conflict", test_conflict);
  ADD ("/net/sync/offline", test_offline);
  ADD ("/net/sync/stop", test_stop);
  ADD ("/net/sync/unauthorized", test_unauthorized);
  ADD ("/net/sync/files", test_files);
  ADD ("/net/sync/missing-page", test_missing_page);
  ADD ("/net/sync/submit-from-draft", test_submit_from_draft);
  ADD ("/net/sync/retry-entry", test_retry_entry);
  ADD ("/net/sync/changes", test_changes);
  {
    static const char *one_worker[] = { "--db-handles", "1", "--db-wait", "2500", NULL };

    g_test_add ("/net/sync/busy", Fixture, one_worker, fixture_set_up, test_busy,
                fixture_tear_down);
  }

#undef ADD

  return g_test_run ();
}
