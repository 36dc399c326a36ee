/* main.c — onewindow-platform: the reference central platform of OneWindow
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <sodium.h>

#include "core/ow-locale.h"
#include "platform/ow-platform-admin.h"
#include "platform/ow-platform-demo.h"
#include "platform/ow-platform-private.h"
#include "platform/ow-platform-server.h"

static char *listen_option = NULL;
static char *db_option = NULL;
static char *data_dir_option = NULL;
static gboolean demo_option = FALSE;
static gboolean demo_history_option = FALSE;
static int demo_delay_option = 60;
static int session_ttl_option = OW_PLATFORM_SESSION_SECONDS;
static char *now_option = NULL;
static char *carriers_option = NULL;
static int max_connections_option = 0;
static int request_timeout_option = 0;
static int idle_timeout_option = OW_PLATFORM_IDLE_TIMEOUT;
static int db_handles_option = OW_PLATFORM_DB_HANDLES;
static int db_wait_option = OW_PLATFORM_DB_WAIT_MS;
static int db_queue_option = 0;
static gboolean share_port_option = FALSE;

static const GOptionEntry entries[] = {
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen_option,
    N_("Address and port to listen on (default 127.0.0.1:8470; port 0 picks a free one)"),
    N_("ADDR:PORT") },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_option,
    N_("The database: a SQLite file (created if missing), or a PostgreSQL URI "
       "postgresql://… shared by any number of platform processes"), N_("PATH|URI") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &demo_option,
    N_("Seed the demo catalog, calendar and users"), NULL },
  { "demo-history", 0, 0, G_OPTION_ARG_NONE, &demo_history_option,
    N_("With --demo: give the demo hall its last weeks of cases, ratings and follow-ups, up to "
       "the platform’s today"), NULL },
  { "demo-delay", 0, 0, G_OPTION_ARG_INT, &demo_delay_option,
    N_("With --demo: seconds before the demo back office moves an accepted case on (default 60)"),
    N_("SECONDS") },
  { "session-ttl", 0, 0, G_OPTION_ARG_INT, &session_ttl_option,
    N_("How long a log-in lasts (default 28800, eight hours)"), N_("SECONDS") },
  { "now", 0, 0, G_OPTION_ARG_STRING, &now_option,
    N_("For tests and demonstrations: start the platform’s clock (today, due dates, escalation) "
       "at this RFC 3339 time instead of the real one"), N_("TIME") },
  { "carriers", 0, 0, G_OPTION_ARG_FILENAME, &carriers_option,
    N_("The hall’s carriers for mailed results, one “id|name|pattern” line each (default: EMS, "
       "中国邮政, 顺丰速运, 京东物流)"), N_("FILE") },
  { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections_option,
    N_("Connections open at once at most; more wait to be accepted (default: what the limit on "
       "open files allows)"), N_("N") },
  { "request-timeout", 0, 0, G_OPTION_ARG_INT, &request_timeout_option,
    N_("Seconds a client has to send a request, and at most between two pieces of it or of the "
       "answer (default 10)"), N_("SECONDS") },
  { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout_option,
    N_("Seconds a kept-alive connection may wait for its next request before it is closed "
       "(default 5, at most the request timeout; 0: one request per connection)"),
    N_("SECONDS") },
  { "share-port", 0, 0, G_OPTION_ARG_NONE, &share_port_option,
    N_("Let other platform processes started with this option listen on the same port; new "
       "connections are spread over them (a process per processor core)"), NULL },
  { "db-handles", 0, 0, G_OPTION_ARG_INT, &db_handles_option,
    N_("Database connections, each in a thread of its own, that serve the requests (default 4; "
       "0: all on the main loop)"), N_("N") },
  { "db-wait", 0, 0, G_OPTION_ARG_INT, &db_wait_option,
    N_("Milliseconds a request may wait for a database connection before it is answered 503 "
       "(default 2000)"), N_("MS") },
  { "db-queue", 0, 0, G_OPTION_ARG_INT, &db_queue_option,
    N_("Requests that may wait for a database connection at once; more are answered 503 "
       "(default: as many as the connections serve in --db-wait)"), N_("N") },
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir_option,
    N_("Folder with catalog.json and cn-holidays.tsv"), N_("DIR") },
  { NULL }
};

static GInetSocketAddress *
parse_listen_address (const char  *text,
                      GError     **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *colon = strrchr (text, ':');
  guint64 port;
  char *end = NULL;

  if (colon == NULL || colon == text || colon[1] == '\0')
    goto invalid;

  host = g_strndup (text, (gsize) (colon - text));
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      memmove (host, host + 1, strlen (host));
      host[strlen (host) - 1] = '\0';
    }
  if (g_str_equal (host, "localhost"))
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }

  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (end == NULL || *end != '\0' || port > 65535)
    goto invalid;
  if ((address = g_inet_address_new_from_string (host)) == NULL)
    goto invalid;

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16) port));

invalid:
  g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_LISTEN,
               _("“%s” is not an address and port such as 127.0.0.1:8470"), text);
  return NULL;
}

static char *
find_data_dir (void)
{
  g_autofree char *installed = g_build_filename (PKGDATADIR, "catalog.json", NULL);

  if (data_dir_option != NULL)
    return g_strdup (data_dir_option);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_strdup (PKGDATADIR);
  return g_strdup (SOURCE_DATADIR);
}

/* Each connection is a descriptor: take all that the hard limit allows (an ordinary session
 * starts with 1,024 of usually 524,288), so that the soft limit does not decide how many
 * counters can wait on the changes feed. */
static void
raise_file_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* The lines of @path, blank ones and "#" comments left out. */
static gboolean
load_carriers (OwPlatformServer  *server,
               const char        *path,
               GError           **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#')
        g_ptr_array_add (kept, line);
    }
  g_ptr_array_add (kept, NULL);
  return ow_platform_server_set_carriers (server, (const char * const *) kept->pdata, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(OwPlatformServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *uri = NULL;
  OwPlatformDb *db;

  ow_locale_init ();

  if (argc > 1 && g_str_equal (argv[1], "admin"))
    return ow_platform_admin_run (argc, argv);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("The reference central platform of OneWindow"));
  g_option_context_set_description (context, _("Run “onewindow-platform admin --help” for the "
                                               "administration commands."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (demo_delay_option < 0 || session_ttl_option <= 0)
    {
      g_printerr ("%s\n", _("--demo-delay must be 0 or more and --session-ttl more than 0"));
      return EXIT_FAILURE;
    }
  if (max_connections_option < 0 || request_timeout_option < 0 || idle_timeout_option < 0)
    {
      g_printerr ("%s\n", _("--max-connections, --request-timeout and --idle-timeout cannot be "
                            "negative"));
      return EXIT_FAILURE;
    }
  if (db_handles_option < 0 || db_handles_option > 256 || db_wait_option < 1 ||
      db_queue_option < 0)
    {
      g_printerr ("%s\n", _("--db-handles takes 0 to 256, --db-wait 1 or more, --db-queue 0 or "
                            "more"));
      return EXIT_FAILURE;
    }

  if (now_option != NULL)
    {
      gint64 now;

      if (!ow_platform_parse_time (now_option, &now))
        {
          g_printerr (_("--now takes an RFC 3339 time such as 2026-12-10T09:00:00+08:00, not "
                        "“%s”\n"), now_option);
          return EXIT_FAILURE;
        }
      /* Never silently: a platform on a made-up clock must not be mistaken for a real one. */
      g_printerr (_("The platform’s clock starts at %s instead of the real time\n"), now_option);
      ow_platform_set_now (now);
    }

  if (sodium_init () < 0)
    {
      g_printerr (_("libsodium could not be initialised\n"));
      return EXIT_FAILURE;
    }

  address = parse_listen_address (listen_option != NULL ? listen_option : "127.0.0.1:8470",
                                  &error);
  if (address == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (db_option != NULL)
    db_path = g_strdup (db_option);
  else
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "onewindow-platform", NULL);

      g_mkdir_with_parents (dir, 0700);
      db_path = g_build_filename (dir, "platform.db", NULL);
    }

  if ((db = ow_platform_db_open (db_path, OW_PLATFORM_DB_OPEN_CREATE, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  /* The server owns the database from here on. */
  server = ow_platform_server_new (db);
  ow_platform_server_set_session_seconds (server, (guint) session_ttl_option);
  if (carriers_option != NULL && !load_carriers (server, carriers_option, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  raise_file_limit ();
  ow_platform_server_set_connection_limits (server, (guint) max_connections_option,
                                            (guint) request_timeout_option, idle_timeout_option);
  ow_platform_server_set_database_pool (server, db_path, (guint) db_handles_option,
                                        (guint) db_wait_option, (guint) db_queue_option);

  data_dir = find_data_dir ();
  if (demo_option)
    {
      g_autofree char *users = NULL;

      if (!ow_platform_demo_seed (db, data_dir, &error) ||
          (demo_history_option && !ow_platform_demo_seed_history (db, &error)))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      users = ow_platform_demo_describe_users ();
      fputs (users, stdout);
      ow_platform_server_start_backoffice (server, (guint) demo_delay_option);
    }

  if (!ow_platform_server_listen (server, address, share_port_option, &error))
    {
      g_printerr (_("Cannot listen on %s: %s\n"),
                  listen_option != NULL ? listen_option : "127.0.0.1:8470", error->message);
      return EXIT_FAILURE;
    }

  ow_platform_server_start_escalation (server);

  /* Exactly one line, flushed at once: scripts and tests wait for it. */
  uri = ow_platform_server_dup_uri (server);
  printf ("listening on %s\n", uri);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}
