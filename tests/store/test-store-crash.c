/* test-store-crash.c — the store survives being killed at any instant
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A child process saves cases with their outbox entries in a loop and is killed with SIGKILL at
 * random moments. After each kill the database must open, and hold exactly one outbox entry per
 * case: a case without its entry would never reach the platform, an entry without its case (or
 * a reused sequence number, which would overwrite a case) would be a change nobody can see.
 */
#include "config.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/ow-store.h"
#include "store-test-util.h"

#define ROUNDS 6

static const char *helper_path;

/* Starts the helper and waits until it reports the store open. */
static GPid
spawn_helper (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { helper_path, db_path, NULL };
  GPid pid = 0;
  int out_fd = -1;
  char buf[8] = { 0 };
  gssize n;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  n = read (out_fd, buf, 6);
  close (out_fd);
  g_assert_cmpint (n, ==, 6);
  g_assert_cmpstr (buf, ==, "ready\n");
  return pid;
}

static void
test_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ow-store-crash-XXXXXX", &error);
  g_autofree char *db_path = NULL;
  guint previous = 0;

  g_assert_no_error (error);
  db_path = g_build_filename (dir, "onewindow.db", NULL);

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(OwStore) store = NULL;
      g_autoptr(GPtrArray) cases = NULL;
      GPid pid = spawn_helper (db_path);
      int status = 0;
      guint outbox;

      /* Long enough for some writes, random so that the kill lands at a different point of
       * the transaction each time. */
      g_usleep (g_test_rand_int_range (30, 250) * 1000);
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

      store = ow_store_open (db_path, &error);
      g_assert_no_error (error);
      cases = ow_store_list_cases (store, 0, 0, &error);
      g_assert_no_error (error);
      outbox = ow_store_outbox_count (store, &error);
      g_assert_no_error (error);
      g_test_message ("round %u: %u cases, %u outbox entries", round, cases->len, outbox);
      g_assert_cmpuint (outbox, ==, cases->len);
      g_assert_cmpuint (cases->len, >=, previous);
      previous = cases->len;
    }

  /* The helper really wrote: otherwise the equality above proves nothing. */
  g_assert_cmpuint (previous, >, 0);

  store_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    {
      g_printerr ("usage: %s HELPER\n", argv[0]);
      return 2;
    }
  helper_path = argv[1];

  g_test_add_func ("/store/crash", test_crash);

  return g_test_run ();
}
