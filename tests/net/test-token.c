/* test-token.c — the session token is kept by a Secret Service or in memory, never in a file
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test runs its own D-Bus session bus with no service at all on it, a $HOME of its own, and
 * SECRET_BACKEND=file with libsecret's test variables set: a keeper that went through
 * secret_password_store() would write the token into a file there. Remembering must fail
 * softly (G_IO_ERROR_NOT_SUPPORTED, quickly), the session must go on working from memory, and
 * no file under $HOME or the store's folder may hold the token afterwards.
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/ow-sync.h"
#include "net-test-util.h"

static char *home;
static GPid bus_pid;

/* The bus dies with the test, even when an assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A session bus without any service files: nothing can be activated on it. */
static void
start_private_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = g_build_filename (home, "bus.conf", NULL);
  g_autofree char *config = NULL;
  g_autofree char *config_arg = NULL;
  g_autoptr(GString) address = g_string_new (NULL);
  const char *argv[] = { "dbus-daemon", "--nofork", "--print-address=1", NULL, NULL };
  int out_fd = -1;
  char c;

  config = g_strdup_printf (
      "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
      " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
      "<busconfig>\n"
      "  <type>session</type>\n"
      "  <listen>unix:dir=%s</listen>\n"
      "  <auth>EXTERNAL</auth>\n"
      "  <policy context=\"default\">\n"
      "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
      "    <allow eavesdrop=\"true\"/>\n"
      "    <allow own=\"*\"/>\n"
      "  </policy>\n"
      "</busconfig>\n", home);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  config_arg = g_strconcat ("--config-file=", config_path, NULL);
  argv[3] = config_arg;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                            G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent,
                            NULL,
                            &bus_pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  while (read (out_fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (address, c);
  close (out_fd);
  g_assert_cmpuint (address->len, >, 0);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address->str, TRUE);
}

static void
stop_private_bus (void)
{
  int status;

  if (bus_pid <= 0)
    return;
  kill (bus_pid, SIGTERM);
  waitpid (bus_pid, &status, 0);
  g_spawn_close_pid (bus_pid);
  bus_pid = 0;
}

static gboolean
contains_bytes (const char *data,
                gsize       size,
                const char *needle)
{
  gsize length = strlen (needle);

  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (data + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

/* Whether any file below @path holds @needle. */
static gboolean
tree_contains (const char *path,
               const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize size = 0;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (tree_contains (child, needle))
            return TRUE;
          continue;
        }
      if (g_file_get_contents (child, &contents, &size, NULL)
          && contains_bytes (contents, size, needle))
        {
          g_test_message ("the token is in %s", child);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_no_secret_service (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start (&error);
  g_autoptr(OwClient) client = NULL;
  g_autoptr(OwClient) later = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(OwSync) sync = NULL;
  g_autoptr(OwItem) item = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *store_dir = g_build_filename (home, ".local", "share", "onewindow", NULL);
  g_autofree char *db_path = g_build_filename (store_dir, "onewindow.db", NULL);
  g_autofree char *token = NULL;
  GDate today;
  gint64 start;

  g_assert_no_error (error);
  client = ow_client_new (ow_test_platform_get_base_uri (platform), NULL, &error);
  g_assert_no_error (error);
  net_test_login (client);
  token = g_strdup (ow_client_get_token (client));

  /* No Secret Service: a soft failure, at once, that is not a cancellation. */
  start = g_get_monotonic_time ();
  ow_client_remember_token_async (client, NULL, net_test_got_result_cb, &result);
  g_assert_false (ow_client_remember_token_finish (client, net_test_wait (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_test_message ("remember: %s", error->message);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  /* The session goes on from memory. */
  g_assert_cmpstr (ow_client_get_token (client), ==, token);
  item = net_test_first_item (client);

  /* A new start finds nothing to restore, softly; the new client stays logged out. */
  later = ow_client_new (ow_test_platform_get_base_uri (platform), NULL, &error);
  ow_client_restore_token_async (later, "clerk", NULL, net_test_got_result_cb, &result);
  g_assert_false (ow_client_restore_token_finish (later, net_test_wait (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_null (ow_client_get_token (later));

  ow_client_forget_token_async (later, "clerk", NULL, net_test_got_result_cb, &result);
  g_assert_false (ow_client_forget_token_finish (later, net_test_wait (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A cancellation stays one. */
  g_cancellable_cancel (cancelled);
  ow_client_remember_token_async (client, cancelled, net_test_got_result_cb, &result);
  g_assert_false (ow_client_remember_token_finish (client, net_test_wait (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Work through the store and the engine, so there are files where a token could hide. */
  store = ow_store_open (db_path, &error);
  g_assert_no_error (error);
  sync = ow_sync_new (store, client);
  ow_test_today (&today);
  kase = net_test_make_case (item, ow_store_next_sequence (store, NET_TEST_HALL,
                                                           NET_TEST_COUNTER, &today, &error),
                             "张三");
  ow_sync_submit_case_async (sync, kase, "clerk", NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_sync_submit_case_finish (sync, net_test_wait (&result), &error));
  g_clear_object (&result);
  ow_sync_flush_async (sync, NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_sync_flush_finish (sync, net_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_object (&sync);
  g_clear_object (&store);

  g_assert_false (tree_contains (store_dir, token));
  g_assert_false (tree_contains (home, token));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before anything opens a bus or looks at $HOME. */
  home = g_dir_make_tmp ("ow-token-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", home, TRUE);
  /* What would make secret_password_store() write a file: the keeper must not go there. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  {
    g_autofree char *keyring = g_build_filename (home, "keyring.file", NULL);

    g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
    g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  }
  start_private_bus ();

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/token/no-secret-service", test_no_secret_service);
  status = g_test_run ();

  stop_private_bus ();
  net_test_remove_tree (home);
  g_free (home);
  return status;
}
