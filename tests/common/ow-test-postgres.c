/* ow-test-postgres.c — test helpers: a PostgreSQL server of the test program's own
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "ow-test-postgres.h"

/* The keeper: starts the cluster, says "ready", waits for its standard input to close (the test
 * program exited), then stops the server and removes the folder. Durability is worth nothing
 * to a test: fsync and full-page writes are off. $1 the folder, $2 the server's programs, then
 * the command that runs them as the server's user (runuser …), if any. */
static const char keeper_script[] =
  "set -u\n"
  "dir=$1; bin=$2; shift 2\n"
  "trap 'rm -rf \"$dir\"' EXIT\n"
  "if ! \"$@\" \"$bin/initdb\" -D \"$dir/data\" -A trust -U postgres -E UTF8 --locale=C.UTF-8 "
  "    -N >\"$dir/initdb.log\" 2>&1; then\n"
  "  cat \"$dir/initdb.log\" >&2; exit 1\n"
  "fi\n"
  "if ! \"$@\" \"$bin/pg_ctl\" -D \"$dir/data\" -l \"$dir/server.log\" -w -t 60 -o \"-k $dir "
  "    -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
  "    -c max_connections=300\" start >/dev/null; then\n"
  "  cat \"$dir/server.log\" >&2; exit 1\n"
  "fi\n"
  "echo ready\n"
  "read -r _ || true\n"
  "\"$@\" \"$bin/pg_ctl\" -D \"$dir/data\" -m immediate -w stop >/dev/null 2>&1\n";

static GMutex lock;
static GSubprocess *keeper = NULL;
static char *socket_dir = NULL;
static guint databases = 0;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

gboolean
ow_test_postgres_wanted (void)
{
  return g_strcmp0 (g_getenv ("OW_TEST_DB"), "postgresql") == 0;
}

static void
keeper_setup (gpointer user_data)
{
  /* A session of its own: a signal to the test's process group (a timeout) leaves the keeper
   * alive to clean up after it. */
  setsid ();
}

static gboolean
start_cluster (GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *dir = NULL;
  const char *bindir = g_getenv ("OW_TEST_PG_BINDIR");

  if (bindir == NULL || !g_file_test (bindir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "OW_TEST_PG_BINDIR names no folder with PostgreSQL's programs "
                   "(tools/install-deps installs the package postgresql)");
      return FALSE;
    }
  if ((dir = g_dir_make_tmp ("ow-pg-XXXXXX", error)) == NULL)
    return FALSE;

  g_ptr_array_add (argv, (char *) "/bin/sh");
  g_ptr_array_add (argv, (char *) "-c");
  g_ptr_array_add (argv, (char *) keeper_script);
  g_ptr_array_add (argv, (char *) "ow-test-postgres");
  g_ptr_array_add (argv, dir);
  g_ptr_array_add (argv, (char *) bindir);
  if (getuid () == 0)
    {
      struct passwd *postgres = getpwnam ("postgres");

      /* initdb and the server refuse to run as root; the package makes this user. */
      if (postgres == NULL || chown (dir, postgres->pw_uid, postgres->pw_gid) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       "Running as root, the test server needs the user postgres, and %s "
                       "given to it", dir);
          g_rmdir (dir);
          return FALSE;
        }
      g_ptr_array_add (argv, (char *) "runuser");
      g_ptr_array_add (argv, (char *) "-u");
      g_ptr_array_add (argv, (char *) "postgres");
      g_ptr_array_add (argv, (char *) "--");
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, keeper_setup, NULL, NULL);
  keeper = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (keeper == NULL)
    {
      g_rmdir (dir);
      return FALSE;
    }

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (keeper));
  line = g_data_input_stream_read_line (out, NULL, NULL, error);
  if (g_strcmp0 (line, "ready") != 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "The test's PostgreSQL server did not start (its log is above)");
      g_clear_object (&keeper);
      return FALSE;
    }
  /* The keeper's standard input stays open until this process ends: never written, never
   * closed by us. */
  socket_dir = g_steal_pointer (&dir);
  return TRUE;
}

static PGconn *
connect_to (const char  *dbname,
            GError     **error)
{
  const char *keywords[] = { "host", "dbname", "user", NULL };
  const char *values[] = { socket_dir, dbname, "postgres", NULL };
  g_autoptr(PGconn) conn = PQconnectdbParams (keywords, values, 0);

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot connect to the test server: %s",
                   PQerrorMessage (conn));
      return NULL;
    }
  return g_steal_pointer (&conn);
}

char *
ow_test_postgres_create_database (GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;

  if (keeper == NULL && !start_cluster (error))
    return NULL;
  if ((conn = connect_to ("postgres", error)) == NULL)
    return NULL;

  /* A name of digits and letters only: safe to spell into the statement, which takes no
   * parameters. */
  name = g_strdup_printf ("ow_%u", ++databases);
  sql = g_strdup_printf ("CREATE DATABASE %s", name);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create a test database: %s",
                   PQresultErrorMessage (result));
      return NULL;
    }
  return g_strdup_printf ("postgresql:///%s?host=%s&user=postgres", name, socket_dir);
}

static char *
database_of (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  char *name = NULL;

  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "dbname") && o->val != NULL)
      name = g_strdup (o->val);
  PQconninfoFree (options);
  return name;
}

void
ow_test_postgres_drop_database (const char *uri)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *name = database_of (uri);
  g_autofree char *sql = NULL;

  /* Only the names made above. */
  g_return_if_fail (name != NULL && g_str_has_prefix (name, "ow_") &&
                    strspn (name + 3, "0123456789") == strlen (name + 3));
  if ((conn = connect_to ("postgres", &error)) == NULL)
    {
      g_test_message ("%s", error->message);
      return;
    }
  sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_test_message ("Cannot drop the test database %s: %s", name, PQresultErrorMessage (result));
}

GPtrArray *
ow_test_postgres_query (const char *uri,
                        const char *sql,
                        const char *parameter)
{
  g_autoptr(PGconn) conn = PQconnectdb (uri);
  g_autoptr(PGresult) result = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *values[] = { parameter };

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Cannot connect to %s: %s", uri, PQerrorMessage (conn));
  result = PQexecParams (conn, sql, parameter != NULL ? 1 : 0, NULL, values, NULL, NULL, 0);
  /* A statement that returns no rows (a test changing the database behind the platform's
   * back) answers none. */
  if (PQresultStatus (result) != PGRES_TUPLES_OK && PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  for (int i = 0; i < PQntuples (result); i++)
    {
      char **row = g_new0 (char *, PQnfields (result) + 1);

      for (int j = 0; j < PQnfields (result); j++)
        row[j] = g_strdup (PQgetvalue (result, i, j));
      g_ptr_array_add (rows, row);
    }
  return rows;
}
