/* test-offline.c — log-in without the platform, the link's state, the kept catalog, against the
 * real platform process (stopped and started again) and real SQLite stores
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include <sodium.h>

#include "net/ow-catalog-keeper.h"
#include "net/ow-link.h"
#include "net/ow-session.h"
#include "net-test-util.h"
#include "ow-test-catalog.h"
#include "store/ow-store.h"

typedef struct
{
  OwTestPlatform *platform;
  char           *dir;
  OwStore        *store;
  OwClient       *client;
  OwSession      *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  fixture->dir = g_dir_make_tmp ("ow-offline-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  fixture->store = ow_store_open (path, &error);
  g_assert_no_error (error);
  fixture->client = ow_client_new (ow_test_platform_get_base_uri (fixture->platform), NULL,
                                   &error);
  g_assert_no_error (error);
  fixture->session = ow_session_new (fixture->store, fixture->client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->platform, ow_test_platform_free);
  net_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
log_in (Fixture     *fixture,
        const char  *username,
        const char  *password,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_session_login_async (fixture->session, username, password, NULL, net_test_got_result_cb,
                          &result);
  return ow_session_login_finish (fixture->session, net_test_wait (&result), error);
}

static gboolean
reconnect (Fixture  *fixture,
           GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_session_reconnect_async (fixture->session, NULL, net_test_got_result_cb, &result);
  return ow_session_reconnect_finish (fixture->session, net_test_wait (&result), error);
}

static guint
count (OwStore    *store,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_open_v2 (ow_store_get_path (store), &db, SQLITE_OPEN_READWRITE, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
exec (OwStore    *store,
      const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (ow_store_get_path (store), &db, SQLITE_OPEN_READWRITE, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static int
run_admin (Fixture    *fixture,
           const char *command,
           const char *argument)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              g_getenv ("OW_PLATFORM_BINARY"), "admin", "--db",
                              ow_test_platform_get_db_path (fixture->platform), command, argument,
                              NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  return g_subprocess_get_exit_status (process);
}

/* ---------------------------------------------------------------------------------------- */

/* Logged in online once, the clerk logs in offline: as the same user, without a token, and
 * what is kept is a slow hash, never the password. */
static void
test_offline_log_in (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStoreCredential) kept = NULL;
  const OwUser *user;

  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_ONLINE);
  kept = ow_store_load_credential (fixture->store, ow_client_get_base_uri (fixture->client),
                                   "clerk", &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_true (g_str_has_prefix (kept->verifier, "$argon2id$"));
  g_assert_null (strstr (kept->verifier, "demo"));
  g_assert_cmpuint (kept->counter, ==, 7);
  g_assert_cmpuint (count (fixture->store, "SELECT count(*) FROM credentials WHERE "
                                           "verifier LIKE '%demo%'"), ==, 0);
  ow_session_logout (fixture->session);
  g_assert_null (ow_client_get_token (fixture->client));

  ow_test_platform_stop (fixture->platform);
  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_OFFLINE);
  user = ow_session_get_user (fixture->session);
  g_assert_cmpstr (user->username, ==, "clerk");
  g_assert_cmpstr (user->display_name, ==, "王小明");
  g_assert_cmpuint (user->counter, ==, 7);
  g_assert_true (ow_user_has_role (user, "clerk"));
  g_assert_cmpstr (user->hall, ==, "46010001");
  g_assert_null (ow_client_get_token (fixture->client));
  g_assert_cmpuint (count (fixture->store, "SELECT count(*) FROM audit WHERE "
                                           "event = 'login-offline' AND result = 'ok'"), ==, 1);

  /* Still away: reconnecting says so and changes nothing. */
  g_assert_false (reconnect (fixture, &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_OFFLINE);

  /* Back: a token again, without the password being typed. */
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_true (reconnect (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_ONLINE);
  g_assert_nonnull (ow_client_get_token (fixture->client));
}

/* Someone who never logged in here while the platform answered is refused, and told why. */
static void
test_never_here (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  ow_session_logout (fixture->session);
  ow_test_platform_stop (fixture->platform);

  g_assert_false (log_in (fixture, "pickup", "demo", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_NEVER_HERE);
  g_assert_nonnull (strstr (error->message, "“pickup” has never logged in at this PC"));
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_LOGGED_OUT);
  g_assert_cmpuint (count (fixture->store, "SELECT count(*) FROM audit WHERE user = 'pickup' "
                                           "AND result LIKE 'refused%'"), ==, 1);
}

/* Wrong passwords offline are counted, lock the account here, and are audited; the right one
 * does not open a lock. */
static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  ow_session_logout (fixture->session);
  ow_test_platform_stop (fixture->platform);
  ow_session_set_policy (fixture->session, 7, 3, 15);

  g_assert_false (log_in (fixture, "clerk", "wrong", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_WRONG_PASSWORD);
  g_assert_nonnull (strstr (error->message, "2 more wrong tries"));
  g_clear_error (&error);
  g_assert_false (log_in (fixture, "clerk", "wrong", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  g_assert_false (log_in (fixture, "clerk", "wrong", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (log_in (fixture, "clerk", "demo", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_LOGGED_OUT);
  g_assert_cmpuint (count (fixture->store, "SELECT count(*) FROM audit WHERE "
                                           "event = 'login-offline' AND result LIKE 'wrong%'"),
                    ==, 3);
  g_assert_cmpuint (count (fixture->store, "SELECT count(*) FROM audit WHERE "
                                           "event = 'login-offline' AND result LIKE "
                                           "'refused: locked'"), ==, 1);

  /* The lock over, the right password is taken again. */
  exec (fixture->store, "UPDATE credentials SET locked_until = 1");
  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  g_assert_no_error (error);
}

static gboolean
reauthenticate (Fixture     *fixture,
                const char  *password,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_session_reauthenticate_async (fixture->session, password, NULL, net_test_got_result_cb,
                                   &result);
  return ow_session_reauthenticate_finish (fixture->session, net_test_wait (&result), error);
}

/* The password changed on the platform while the counter worked offline: when it answers
 * again the counter asks for the password rather than guessing, stays logged in offline
 * meanwhile, and the new password gets a token and becomes the one checked offline. */
static void
test_password_changed (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *update = NULL;
  char hash[crypto_pwhash_STRBYTES];
  sqlite3 *db = NULL;

  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  ow_session_logout (fixture->session);
  ow_test_platform_stop (fixture->platform);
  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_OFFLINE);

  g_assert_cmpint (crypto_pwhash_str (hash, "changed", 7, crypto_pwhash_OPSLIMIT_MIN,
                                      crypto_pwhash_MEMLIMIT_MIN), ==, 0);
  update = g_strdup_printf ("UPDATE users SET password_hash = '%s' WHERE username = 'clerk'",
                            hash);
  g_assert_cmpint (sqlite3_open (ow_test_platform_get_db_path (fixture->platform), &db), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, update, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));

  g_assert_false (reconnect (fixture, &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_PASSWORD_NEEDED);
  g_clear_error (&error);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_OFFLINE);
  g_assert_cmpstr (ow_session_get_user (fixture->session)->username, ==, "clerk");
  g_assert_null (ow_client_get_token (fixture->client));

  /* A wrong one typed again is refused by the platform, and the session stays as it was. */
  g_assert_false (reauthenticate (fixture, "demo", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_OFFLINE);

  g_assert_true (reauthenticate (fixture, "changed", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_ONLINE);
  g_assert_nonnull (ow_client_get_token (fixture->client));

  /* Offline again, the new password is the one kept. */
  ow_session_logout (fixture->session);
  ow_test_platform_stop (fixture->platform);
  g_assert_false (log_in (fixture, "clerk", "demo", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  g_assert_true (log_in (fixture, "clerk", "changed", &error));
  g_assert_no_error (error);
}

/* The platform answering 429 (it holds log-ins back after wrong passwords) is not an outage:
 * the counter does not check the password here instead, which would go around the platform's
 * limit. */
static void
test_held_back (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  ow_session_logout (fixture->session);

  /* Three wrong passwords from this address: the next attempt must wait (1 s). */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_false (log_in (fixture, "clerk", "wrong", &error));
      g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED);
      g_clear_error (&error);
    }
  g_assert_false (log_in (fixture, "clerk", "demo", &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_SERVER);
  g_assert_cmpuint (ow_platform_error_get_status (error), ==, 429);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_LOGGED_OUT);
  g_assert_null (ow_session_get_user (fixture->session));
  g_assert_cmpuint (count (fixture->store, "SELECT count(*) FROM audit WHERE "
                                           "event = 'login-offline'"), ==, 0);
}

/* An online log-in lets the user in offline for the days the policy says, not after. */
static void
test_expired (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *eight_days_ago = NULL;

  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  ow_session_logout (fixture->session);
  ow_test_platform_stop (fixture->platform);

  eight_days_ago = g_strdup_printf ("UPDATE credentials SET verified_at = %" G_GINT64_FORMAT,
                                    g_get_real_time () - (gint64) 8 * 24 * 3600 * G_USEC_PER_SEC);
  exec (fixture->store, eight_days_ago);
  g_assert_false (log_in (fixture, "clerk", "demo", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_EXPIRED);
  g_assert_nonnull (strstr (error->message, "7 days"));
  g_clear_error (&error);

  ow_session_set_policy (fixture->session, 10, 5, 15);
  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  g_assert_no_error (error);
  ow_session_logout (fixture->session);

  ow_session_set_policy (fixture->session, 0, 5, 15);
  g_assert_false (log_in (fixture, "clerk", "demo", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_NOT_ALLOWED);
}

/* The platform disabled the account while the counter worked offline: when it answers again,
 * the session ends and nothing kept here lets the user in any more. */
static void
test_revoked (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStoreCredential) kept = NULL;

  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  ow_session_logout (fixture->session);
  ow_test_platform_stop (fixture->platform);
  g_assert_true (log_in (fixture, "clerk", "demo", &error));
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_OFFLINE);

  g_assert_cmpint (run_admin (fixture, "disable-user", "clerk"), ==, 0);
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_false (reconnect (fixture, &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_REVOKED);
  g_clear_error (&error);
  g_assert_cmpint (ow_session_get_mode (fixture->session), ==, OW_SESSION_LOGGED_OUT);
  kept = ow_store_load_credential (fixture->store, ow_client_get_base_uri (fixture->client),
                                   "clerk", NULL);
  g_assert_cmpint (kept->revoked_at, >, 0);
  g_assert_cmpstr (kept->verifier, ==, "");

  ow_test_platform_stop (fixture->platform);
  g_assert_false (log_in (fixture, "clerk", "demo", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_REVOKED);
  g_clear_error (&error);

  /* Online, the platform says it too. */
  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  g_assert_false (log_in (fixture, "clerk", "demo", &error));
  g_assert_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_REVOKED);
}

/* ---------------------------------------------------------------------------------------- */
/* The link */

typedef struct
{
  OwLink      *link;
  OwLinkState  state;
} StateWait;

static gboolean
link_is (gpointer data)
{
  StateWait *wait = data;

  return ow_link_get_state (wait->link) == wait->state;
}

static gint64
wait_for_state (OwLink      *link,
                OwLinkState  state,
                guint        seconds)
{
  StateWait wait = { link, state };
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) seconds * G_USEC_PER_SEC;

  while (!link_is (&wait))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return (g_get_monotonic_time () - start) / 1000;
}

/* Not yet connected until something answers; an outage told within seconds without a request
 * of anyone's, and the return too. */
static void
test_link (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(OwLink) link = ow_link_new (fixture->client);
  g_autoptr(GError) error = NULL;
  gint64 since;
  gint64 ms;

  g_assert_cmpint (ow_link_get_state (link), ==, OW_LINK_NOT_CONNECTED);
  ow_link_set_timing (link, 300, 200, 800, 1000);
  ow_link_start (link);
  ms = wait_for_state (link, OW_LINK_ONLINE, 5);
  g_test_message ("online after %" G_GINT64_FORMAT " ms", ms);

  ow_test_platform_stop (fixture->platform);
  ms = wait_for_state (link, OW_LINK_OFFLINE, 5);
  g_test_message ("outage told after %" G_GINT64_FORMAT " ms", ms);
  since = ow_link_get_since (link);
  g_assert_cmpint (since, <=, g_get_real_time ());
  g_assert_cmpint (since, >, g_get_real_time () - 5 * G_USEC_PER_SEC);

  g_assert_true (ow_test_platform_restart (fixture->platform, &error));
  ms = wait_for_state (link, OW_LINK_ONLINE, 5);
  g_test_message ("return told after %" G_GINT64_FORMAT " ms", ms);
  ow_link_stop (link);
}

/* ---------------------------------------------------------------------------------------- */
/* The kept catalog */

static OwCatalog *
update (OwCatalogKeeper  *keeper,
        char            **stamp,
        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_catalog_keeper_update_async (keeper, NULL, net_test_got_result_cb, &result);
  return ow_catalog_keeper_update_finish (keeper, net_test_wait (&result), stamp, error);
}

static OwCatalog *
load (OwCatalogKeeper *keeper)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OwCatalog *catalog;

  ow_catalog_keeper_load_async (keeper, NULL, net_test_got_result_cb, &result);
  catalog = ow_catalog_keeper_load_finish (keeper, net_test_wait (&result), NULL, &error);
  g_assert_no_error (error);
  return catalog;
}

static void
import (Fixture                 *fixture,
        const char              *name,
        const OwTestCatalogSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (ow_test_platform_get_tmp_dir (fixture->platform),
                                            name, NULL);

  g_assert_true (ow_test_catalog_write (path, spec, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_admin (fixture, "import-catalog", path), ==, 0);
}

/* Whole in pages the first time, then the changes only; the items load from the store. */
static void
test_keeper (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(OwCatalogKeeper) keeper = ow_catalog_keeper_new (fixture->store, fixture->client);
  g_autoptr(OwCatalog) none = NULL;
  g_autoptr(OwCatalog) first = NULL;
  g_autoptr(OwCatalog) same = NULL;
  g_autoptr(OwCatalog) second = NULL;
  g_autoptr(OwCatalog) again = NULL;
  g_autoptr(OwCatalog) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stamp = NULL;
  OwTestCatalogSpec a = { .first = 0, .n_items = 300, .revision = 5, .seed = 9 };
  OwTestCatalogSpec b = { .first = 20, .n_items = 300, .revision = 6, .seed = 9,
                          .renamed_every = 50 };
  const char *ids[] = { "G00000100", NULL };
  g_autoptr(GPtrArray) items = NULL;
  guint generation;

  net_test_login (fixture->client);
  ow_catalog_keeper_set_page_size (keeper, 40);
  none = load (keeper);
  g_assert_null (none);

  import (fixture, "a.json", &a);
  first = update (keeper, &stamp, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_cmpint (ow_catalog_get_revision (first), ==, 5);
  g_assert_cmpuint (ow_catalog_get_n_items (first), ==, 300);
  g_assert_nonnull (stamp);
  generation = count (fixture->store, "SELECT value FROM meta WHERE key = 'catalog-generation'");

  /* Listed, loaded when asked, complete. */
  g_assert_null (ow_catalog_lookup (first, "G00000100"));
  items = ow_catalog_load_items (first, ids, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_true (ow_item_is_complete (g_ptr_array_index (items, 0)));
  g_assert_cmpuint (g_list_model_get_n_items (ow_item_get_materials (g_ptr_array_index (items,
                                                                                        0))),
                    >, 0);

  /* Nothing new: nothing written. */
  same = update (keeper, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (same);

  /* 20 gone, 20 new, 6 renamed: a delta, in the generation kept, not a new download. */
  import (fixture, "b.json", &b);
  second = update (keeper, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_catalog_get_revision (second), ==, 6);
  g_assert_cmpuint (ow_catalog_get_n_items (second), ==, 300);
  g_assert_false (ow_catalog_contains (second, "G00000000"));
  g_assert_true (ow_catalog_contains (second, "G00000319"));
  g_assert_nonnull (strstr (ow_catalog_get_item_name (second, "G00000100"), "（修订）"));
  g_assert_cmpuint (count (fixture->store,
                           "SELECT value FROM meta WHERE key = 'catalog-generation'"), ==,
                    generation);
  kept = load (keeper);
  g_assert_cmpint (ow_catalog_get_revision (kept), ==, 6);
  g_assert_cmpuint (ow_catalog_get_n_items (kept), ==, 300);

  /* A revision the platform does not hold: the whole catalog again, in a new generation. */
  exec (fixture->store, "UPDATE meta SET value = '99' WHERE key = 'catalog-revision'");
  again = update (keeper, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_catalog_get_revision (again), ==, 6);
  g_assert_cmpuint (ow_catalog_get_n_items (again), ==, 300);
  g_assert_cmpuint (count (fixture->store,
                           "SELECT value FROM meta WHERE key = 'catalog-generation'"), ==,
                    generation + 1);
  g_assert_cmpuint (count (fixture->store, "SELECT count(DISTINCT generation) FROM "
                                           "catalog_items"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/offline/log-in", Fixture, NULL, fixture_set_up, test_offline_log_in,
              fixture_tear_down);
  g_test_add ("/offline/never-here", Fixture, NULL, fixture_set_up, test_never_here,
              fixture_tear_down);
  g_test_add ("/offline/wrong-password", Fixture, NULL, fixture_set_up, test_wrong_password,
              fixture_tear_down);
  g_test_add ("/offline/password-changed", Fixture, NULL, fixture_set_up,
              test_password_changed, fixture_tear_down);
  g_test_add ("/offline/held-back", Fixture, NULL, fixture_set_up, test_held_back,
              fixture_tear_down);
  g_test_add ("/offline/expired", Fixture, NULL, fixture_set_up, test_expired,
              fixture_tear_down);
  g_test_add ("/offline/revoked", Fixture, NULL, fixture_set_up, test_revoked,
              fixture_tear_down);
  g_test_add ("/offline/link", Fixture, NULL, fixture_set_up, test_link, fixture_tear_down);
  g_test_add ("/offline/keeper", Fixture, NULL, fixture_set_up, test_keeper, fixture_tear_down);
  return g_test_run ();
}
