/* test-sync-crash.c — every saved case reaches the platform exactly once, whatever kills the
 * counter's process, and whenever the platform goes away
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sync-crash-helper submits cases with a scanned page each through OwSync to the real platform
 * and is killed with SIGKILL at random moments, in submission and in sending, for ROUNDS rounds;
 * some rounds also stop and restart the platform under it. A last run drains the outbox. Then:
 * every case the helper reported saved is on the platform once, with its page; every case the
 * local store holds (reported or not: a kill may land between the commit and the report) is on
 * the platform; the outbox is empty, with no entry refused (a reused case number would be a 409).
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/ow-sync.h"
#include "net-test-util.h"

#define ROUNDS 50

static const char *helper_path;

typedef struct
{
  GPid pid;
  int  out_fd;
} Helper;

static gboolean
read_line (int      fd,
           GString *line)
{
  char c;

  g_string_truncate (line, 0);
  while (read (fd, &c, 1) == 1)
    {
      if (c == '\n')
        return TRUE;
      g_string_append_c (line, c);
    }
  return FALSE;
}

static Helper
spawn_helper (OwTestPlatform *platform,
              const char     *token,
              const char     *db_path,
              const char     *mode,
              gboolean        pages)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { helper_path, ow_test_platform_get_base_uri (platform), token, db_path,
                         mode, pages ? NULL : "--no-pages", NULL };
  Helper helper = { 0, -1 };

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &helper.pid, NULL, &helper.out_fd, NULL, &error);
  g_assert_no_error (error);
  return helper;
}

/* Reads what the helper printed until it closed its end; adds the cases it saved. */
static guint
collect (Helper     *helper,
         GHashTable *saved,
         gboolean   *drained)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint n = 0;

  while (read_line (helper->out_fd, line))
    {
      if (g_str_has_prefix (line->str, "saved "))
        {
          g_hash_table_add (saved, g_strdup (line->str + 6));
          n++;
        }
      else if (drained != NULL && g_str_equal (line->str, "drained"))
        *drained = TRUE;
    }
  close (helper->out_fd);
  return n;
}

static void
kill_helper (Helper *helper)
{
  int status = 0;

  g_assert_cmpint (kill (helper->pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (helper->pid, &status, 0), ==, helper->pid);
  g_spawn_close_pid (helper->pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
}

static void
wait_ready (Helper *helper)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_assert_true (read_line (helper->out_fd, line));
  g_assert_cmpstr (line->str, ==, "ready");
}

static gboolean
platform_takes_files (OwTestPlatform *platform,
                      const char     *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwClient) client = ow_client_new (ow_test_platform_get_base_uri (platform), NULL,
                                              &error);

  g_assert_no_error (error);
  ow_client_set_token (client, token);
  return net_test_platform_takes_files (client);
}

static guint
platform_get (OwTestPlatform *platform,
              const char     *token,
              const char     *path,
              GBytes        **body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestResponse) response = NULL;

  response = ow_test_platform_request (platform, "GET", path, token, NULL, &error);
  g_assert_no_error (error);
  if (body != NULL)
    *body = response->body != NULL ? g_bytes_ref (response->body) : NULL;
  return response->status;
}

/* case_no → number of rows, from the platform's own database. */
static GHashTable *
platform_case_rows (OwTestPlatform *platform)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) found = ow_test_platform_query (platform, "SELECT case_no, count(*) "
                                                       "FROM cases GROUP BY case_no", NULL);

  for (guint i = 0; i < found->len; i++)
    {
      char **row = g_ptr_array_index (found, i);

      g_hash_table_insert (rows, g_strdup (row[0]), GINT_TO_POINTER (atoi (row[1])));
    }
  return rows;
}

static void
test_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start (&error);
  g_autoptr(GHashTable) saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) rows = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(GPtrArray) local = NULL;
  g_autofree char *token = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *base_uri = NULL;
  gboolean pages;
  gboolean drained = FALSE;
  guint restarts = 0;
  guint pages_checked = 0;
  Helper helper;
  GHashTableIter iter;
  gpointer key;
  int status = 0;

  g_assert_no_error (error);
  base_uri = g_strdup (ow_test_platform_get_base_uri (platform));
  token = ow_test_platform_login (platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  dir = g_dir_make_tmp ("ow-sync-crash-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "onewindow.db", NULL);

  pages = platform_takes_files (platform, token);
  if (!pages)
    g_test_message ("the platform has no files route yet: cases go without scanned pages");

  for (guint round = 0; round < ROUNDS; round++)
    {
      /* Two rounds in three submit while the engine sends; the third only sends the backlog. */
      const char *mode = round % 3 == 2 ? "send" : "submit";
      guint n;

      helper = spawn_helper (platform, token, db_path, mode, pages);
      wait_ready (&helper);

      if (round % 10 == 4)
        {
          /* The platform goes away mid-sync and comes back on the same database and port. */
          g_usleep (g_test_rand_int_range (10, 150) * 1000);
          g_assert_true (ow_test_platform_restart (platform, &error));
          g_assert_no_error (error);
          g_assert_cmpstr (ow_test_platform_get_base_uri (platform), ==, base_uri);
          restarts++;
        }
      g_usleep (g_test_rand_int_range (5, 400) * 1000);
      kill_helper (&helper);
      n = collect (&helper, saved, NULL);
      g_test_message ("round %u (%s): %u cases reported saved", round, mode, n);
    }

  /* The counter comes back once more and is left to finish. */
  helper = spawn_helper (platform, token, db_path, "drain", pages);
  collect (&helper, saved, &drained);
  g_assert_cmpint (waitpid (helper.pid, &status, 0), ==, helper.pid);
  g_spawn_close_pid (helper.pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_true (drained);

  g_test_message ("%u cases reported saved over %u rounds, %u platform restarts",
                  g_hash_table_size (saved), ROUNDS, restarts);
  /* Otherwise the checks below prove nothing. */
  g_assert_cmpuint (g_hash_table_size (saved), >=, ROUNDS / 2);

  store = ow_store_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_outbox_count (store, &error), ==, 0);
  g_assert_no_error (error);
  local = ow_store_list_cases (store, 0, 0, &error);
  g_assert_no_error (error);

  rows = platform_case_rows (platform);
  /* Each reported case once, and each the store holds (a kill may fall between the commit and
   * the report). */
  g_hash_table_iter_init (&iter, saved);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (rows, key)), ==, 1);
  for (guint i = 0; i < local->len; i++)
    {
      OwCase *kase = g_ptr_array_index (local, i);
      const char *case_no = ow_case_get_case_no (kase);
      g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);

      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (rows, case_no)), ==, 1);
      g_assert_cmpuint (platform_get (platform, token, path, NULL), ==, 200);

      /* Its page is there too, byte for byte. */
      for (guint m = 0; m < ow_case_get_materials (kase)->len; m++)
        {
          OwCaseMaterial *material = g_ptr_array_index (ow_case_get_materials (kase), m);

          for (guint f = 0; f < material->files->len; f++)
            {
              const char *sha256 = g_ptr_array_index (material->files, f);
              g_autofree char *file_path = g_strconcat ("/api/v1/files/", sha256, NULL);
              g_autofree char *actual = NULL;
              g_autoptr(GBytes) body = NULL;

              g_assert_cmpuint (platform_get (platform, token, file_path, &body), ==, 200);
              actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
              g_assert_cmpstr (actual, ==, sha256);
              pages_checked++;
            }
        }
    }
  g_assert_cmpuint (local->len, >=, g_hash_table_size (saved));
  if (pages)
    g_assert_cmpuint (pages_checked, ==, local->len);
  g_test_message ("%u cases in the store, all on the platform once; %u pages checked",
                  local->len, pages_checked);

  /* The tickets too: each one kept here is on the platform (the drain above left no refused
   * entry, so no resend after a kill came back as a conflict). */
  {
    g_autoptr(GPtrArray) tickets = ow_store_list_tickets (store, 0, NULL, 0, &error);

    g_assert_no_error (error);
    /* A kill may fall between a case and its ticket, once per round. */
    g_assert_cmpuint (tickets->len + ROUNDS, >=, local->len);
    g_assert_cmpuint (tickets->len, >, 0);
    for (guint i = 0; i < tickets->len; i++)
      {
        OwTicket *ticket = g_ptr_array_index (tickets, i);
        g_autofree char *path = g_strconcat ("/api/v1/tickets/", ticket->id, NULL);

        g_assert_cmpuint (platform_get (platform, token, path, NULL), ==, 200);
      }
    g_test_message ("%u tickets in the store, all on the platform", tickets->len);
  }

  net_test_remove_tree (dir);
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

  g_test_add_func ("/net/sync/crash", test_crash);

  return g_test_run ();
}
