/* bench-province.c — a province's counters against the platform: SQLite, and 1, 2, 4 PostgreSQL
 * processes behind nginx
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each configuration, on a database of its own: starts the platform process(es) with the
 * demo data and a clerk for each hall of data/province-halls.tsv, nginx in front of them (as
 * tools/province does), and runs province-load.h's simulated counters through nginx: each holds
 * a long poll on the changes feed and submits cases with one scanned page at an accelerated
 * rate, and checks the catalog now and then. It prints cases per second, the p50 and p99 of
 * case PUTs, page PUTs and feed wake-ups, the errors, and checks in the database that every case
 * acknowledged is stored, once, and nothing else; then the ratios between the configurations.
 * Not a test: it asserts nothing about speed (see bench/README.md).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pwd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "core/ow-case-number.h"
#include "core/ow-item.h"
#include "net/ow-json.h"
#include "ow-test-platform.h"
#include "province-load.h"

#define DEMO_HALL "46010001"
#define ID        "11010519491231002X"

static int n_counters = 3000;
static int seconds = 60;
static int ramp_seconds = 20;
static double speedup = 15;
static double cases_per_hour = 4;   /* a clerk's pace: one applicant in 15 minutes */
static int page_kb = 300;
static char *configs_option = NULL;

static GOptionEntry entries[] = {
  { "counters", 'n', 0, G_OPTION_ARG_INT, &n_counters, "Simulated counters (3000)", "N" },
  { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Seconds measured per configuration (60)",
    "S" },
  { "ramp", 0, 0, G_OPTION_ARG_INT, &ramp_seconds, "Seconds over which the counters start (20)",
    "S" },
  { "speedup", 0, 0, G_OPTION_ARG_DOUBLE, &speedup,
    "How much faster than a real hall the clock runs (15)", "X" },
  { "cases-per-hour", 0, 0, G_OPTION_ARG_DOUBLE, &cases_per_hour,
    "A counter's cases per real hour (4)", "N" },
  { "page-kb", 0, 0, G_OPTION_ARG_INT, &page_kb, "Size of each scanned page in KB (300)", "KB" },
  { "configs", 0, 0, G_OPTION_ARG_STRING, &configs_option,
    "Configurations, of sqlite, pg1, pg2, pg4 … (sqlite,pg1,pg2,pg4)", "LIST" },
  { NULL }
};

typedef struct
{
  char  *name;        /* "sqlite", "pg2" */
  guint  processes;   /* 0: SQLite */
  double cases_per_s;
  double case_p50, case_p99, wake_p50, wake_p99;
  guint  errors;
  gboolean exact;
} Figures;

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-province: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

/* Runs @argv (with @input on its standard input, or none), returns its standard output; dies
 * when it cannot run or fails. */
static char *
run (const char * const *argv,
     const char         *input)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GError *error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                      G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error))
    die (argv[0], error);
  if (!g_subprocess_get_successful (process))
    {
      g_printerr ("%s", err != NULL ? err : "");
      die (argv[0], g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "exited with %d",
                                 g_subprocess_get_exit_status (process)));
    }
  return g_steal_pointer (&out);
}

/* ---- the processes of one configuration ------------------------------------------------- */

typedef struct
{
  char      *dir;
  char      *db;          /* the SQLite file or the PostgreSQL URI */
  char      *pg_bin;      /* NULL for SQLite */
  gboolean   as_postgres; /* root: the server and nginx run as postgres */
  GPtrArray *platforms;   /* GSubprocess */
  GPtrArray *addresses;   /* "127.0.0.1:PORT" */
  int        nginx_port;
  char      *nginx_pid;
} Fleet;

static const char *
platform_binary (void)
{
  const char *binary = g_getenv ("OW_PLATFORM_BINARY");

  return binary != NULL ? binary : OW_BENCH_PLATFORM;
}

static GPtrArray *
as_service (Fleet      *fleet,
            const char *first,
            ...)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  if (fleet->as_postgres)
    {
      g_ptr_array_add (argv, g_strdup ("runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
give_to_postgres (Fleet      *fleet,
                  const char *path)
{
  struct passwd *postgres = getpwnam ("postgres");

  if (fleet->as_postgres && (postgres == NULL || chown (path, postgres->pw_uid,
                                                        postgres->pw_gid) != 0))
    die (path, g_error_new (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                            "cannot give it to the user postgres"));
}

static void
start_postgresql (Fleet *fleet)
{
  g_autofree char *data = g_build_filename (fleet->dir, "pg", NULL);
  g_autofree char *log = g_build_filename (fleet->dir, "pg.log", NULL);
  g_autofree char *initdb = g_build_filename (fleet->pg_bin, "initdb", NULL);
  g_autofree char *pg_ctl = g_build_filename (fleet->pg_bin, "pg_ctl", NULL);
  g_autofree char *createdb = g_build_filename (fleet->pg_bin, "createdb", NULL);
  g_autofree char *options = NULL;
  g_autoptr(GPtrArray) argv = NULL;

  /* As a province would run it, but without waiting for the disk at each commit: SQLite's
   * WAL with synchronous=NORMAL, which the platform uses, does not either. */
  options = g_strdup_printf ("-k %s -c listen_addresses='' -c max_connections=300 "
                             "-c synchronous_commit=off", fleet->dir);
  argv = as_service (fleet, initdb, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                     "--locale=C.UTF-8", NULL);
  g_free (run ((const char * const *) argv->pdata, NULL));
  g_clear_pointer (&argv, g_ptr_array_unref);
  argv = as_service (fleet, pg_ctl, "-D", data, "-l", log, "-w", "-o", options, "start", NULL);
  g_free (run ((const char * const *) argv->pdata, NULL));
  g_clear_pointer (&argv, g_ptr_array_unref);
  argv = as_service (fleet, createdb, "-h", fleet->dir, "-U", "postgres", "onewindow", NULL);
  g_free (run ((const char * const *) argv->pdata, NULL));
  fleet->db = g_strdup_printf ("postgresql:///onewindow?host=%s&user=postgres", fleet->dir);
}

static void
stop_postgresql (Fleet *fleet)
{
  g_autofree char *data = g_build_filename (fleet->dir, "pg", NULL);
  g_autofree char *pg_ctl = g_build_filename (fleet->pg_bin, "pg_ctl", NULL);
  g_autoptr(GPtrArray) argv = as_service (fleet, pg_ctl, "-D", data, "-m", "fast", "-w", "stop",
                                          NULL);

  g_free (run ((const char * const *) argv->pdata, NULL));
}

/* Starts a platform process and waits for its "listening on" line. */
static void
start_platform (Fleet *fleet)
{
  g_autofree char *data_dir = g_strdup (g_getenv ("OW_DATA_DIR") != NULL
                                          ? g_getenv ("OW_DATA_DIR") : OW_BENCH_DATA_DIR);
  const char *argv[] = { platform_binary (), "--demo", "--demo-delay", "86400", "--db",
                         fleet->db, "--data-dir", data_dir, "--listen", "127.0.0.1:0", NULL };
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *process;
  GError *error = NULL;
  char *line;

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *log = g_strdup_printf ("%s/platform-%u.log", fleet->dir,
                                          fleet->platforms->len + 1);

  /* Its complaints, for what_went_wrong(). */
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    die ("starting the platform", error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      if (g_str_has_prefix (line, "listening on http://"))
        {
          char *address = g_strdup (line + strlen ("listening on http://"));

          if (strchr (address, '/') != NULL)
            *strchr (address, '/') = '\0';
          g_ptr_array_add (fleet->addresses, address);
          g_free (line);
          break;
        }
      g_free (line);
    }
  if (line == NULL)
    die ("starting the platform", error != NULL ? error
         : g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "it exited before listening"));
  g_ptr_array_add (fleet->platforms, process);
}

static void
create_clerks (Fleet *fleet)
{
  g_autofree char *tsv = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("OW_DATA_DIR") != NULL
                                              ? g_getenv ("OW_DATA_DIR") : OW_BENCH_DATA_DIR,
                                            "province-halls.tsv", NULL);
  g_auto(GStrv) lines = NULL;
  GError *error = NULL;

  if (!g_file_get_contents (path, &tsv, NULL, &error))
    die ("reading the halls", error);
  lines = g_strsplit (tsv, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      g_autofree char *name = NULL;

      if (lines[i][0] == '#' || g_strv_length (fields) < 3 || fields[2][0] == '\0')
        continue;
      name = g_strconcat (fields[2], ".clerk", NULL);
      {
        const char *argv[] = { platform_binary (), "admin", "--db", fleet->db, "create-user",
                               name, "--role", "clerk", "--counter", "1", "--hall", fields[0],
                               "--hall-name", fields[1], "--display-name", name, NULL };

        g_free (run (argv, "demo\n"));
      }
    }
}

/* What nginx may raise its limit on open files to: runuser gives the user 1024, and nginx,
 * not root, cannot go past the hard limit. */
static int
hard_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_max == RLIM_INFINITY)
    return 65536;
  return (int) MIN (limit.rlim_max, 1 << 20);
}

static void
start_nginx (Fleet *fleet)
{
  g_autofree char *conf_dir = g_build_filename (fleet->dir, "nginx", NULL);
  g_autofree char *conf = g_build_filename (conf_dir, "nginx.conf", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  GError *error = NULL;

  /* A free port: bind to 0, read it back, let it go. */
  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                        &error);
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);

    if (probe == NULL || !g_socket_bind (probe, any, TRUE, &error))
      die ("finding a port for nginx", error);
  }
  bound = g_socket_get_local_address (probe, &error);
  fleet->nginx_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);

  g_mkdir_with_parents (conf_dir, 0755);
  give_to_postgres (fleet, conf_dir);
  fleet->nginx_pid = g_build_filename (conf_dir, "nginx.pid", NULL);
  /* tools/province's configuration, for thousands of counters: each holds a long poll, which is
   * a connection to the client and one to a platform. */
  g_string_append_printf (text,
                          "daemon on;\nworker_processes 1;\nworker_rlimit_nofile %d;\n"
                          "pid %s;\nerror_log %s/error.log;\n"
                          "events { worker_connections %d; }\n"
                          "http {\n  access_log off;\n", hard_fd_limit (),
                          fleet->nginx_pid, conf_dir, hard_fd_limit () / 2);
  for (const char * const *temp = (const char * const[]) { "client_body", "proxy", "fastcgi",
                                                           "uwsgi", "scgi", NULL };
       *temp != NULL; temp++)
    g_string_append_printf (text, "  %s_temp_path %s/%s;\n", *temp, conf_dir, *temp);
  g_string_append (text, "  upstream onewindow {\n    least_conn;\n");
  for (guint i = 0; i < fleet->addresses->len; i++)
    g_string_append_printf (text, "    server %s;\n",
                            (const char *) g_ptr_array_index (fleet->addresses, i));
  g_string_append_printf (text,
                          "    keepalive 64;\n    keepalive_timeout 4s;\n  }\n"
                          "  server {\n    listen 127.0.0.1:%d backlog=4096;\n"
                          "    client_max_body_size 21m;\n"
                          "    client_body_buffer_size 1m;\n"
                          "    location /api/ {\n"
                          "      proxy_pass http://onewindow;\n"
                          "      proxy_http_version 1.1;\n"
                          "      proxy_set_header Connection \"\";\n"
                          "      proxy_set_header Host $host;\n"
                          "      proxy_read_timeout 90s;\n"
                          "    }\n  }\n}\n", fleet->nginx_port);
  if (!g_file_set_contents (conf, text->str, (gssize) text->len, &error))
    die ("writing nginx.conf", error);
  argv = as_service (fleet, "nginx", "-p", conf_dir, "-c", conf, "-e",
                     fleet->as_postgres ? "stderr" : "stderr", NULL);
  g_free (run ((const char * const *) argv->pdata, NULL));
}

static void
stop_nginx (Fleet *fleet)
{
  g_autofree char *pid = NULL;

  if (fleet->nginx_pid != NULL && g_file_get_contents (fleet->nginx_pid, &pid, NULL, NULL))
    {
      pid_t number = (pid_t) g_ascii_strtoll (pid, NULL, 10);

      if (number > 0)
        {
          kill (number, SIGQUIT);
          for (int i = 0; i < 100 && kill (number, 0) == 0; i++)
            g_usleep (50000);
        }
    }
}

/* The platforms' warnings, each kind once, when something failed. */
static void
what_went_wrong (Fleet *fleet)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* nginx's log last: "[error] PID#TID: *CONN message" reads the same way. */
  for (guint i = 0; i <= fleet->platforms->len; i++)
    {
      g_autofree char *path = i < fleet->platforms->len
                                ? g_strdup_printf ("%s/platform-%u.log", fleet->dir, i + 1)
                                : g_strdup_printf ("%s/nginx/error.log", fleet->dir);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      lines = g_strsplit (text, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          /* "(process:PID): DOMAIN-WARNING **: HH:MM:SS.mmm: message": the message decides. */
          const char *message = strstr (lines[j], ": ");
          g_autofree char *kind = NULL;

          message = message != NULL ? strstr (message + 2, ": ") : NULL;
          message = message != NULL ? strstr (message + 2, ": ") : NULL;
          if (message == NULL)
            continue;
          kind = g_strndup (message + 2, 60);
          if (g_hash_table_size (seen) < 8 && g_hash_table_add (seen, g_steal_pointer (&kind)))
            g_print ("  %s:  %s\n", i < fleet->platforms->len ? "platform" : "nginx   ",
                     lines[j]);
        }
    }
}

static void
stop_platforms (Fleet *fleet)
{
  for (guint i = 0; i < fleet->platforms->len; i++)
    g_subprocess_send_signal (g_ptr_array_index (fleet->platforms, i), SIGTERM);
  for (guint i = 0; i < fleet->platforms->len; i++)
    g_subprocess_wait (g_ptr_array_index (fleet->platforms, i), NULL, NULL);
}

/* ---- asking the platform ------------------------------------------------------------------ */

static char *
base_uri (Fleet *fleet)
{
  return g_strdup_printf ("http://127.0.0.1:%d/", fleet->nginx_port);
}

static char *
log_in (Fleet      *fleet,
        const char *username)
{
  g_autofree char *uri = NULL;
  g_autofree char *base = base_uri (fleet);
  g_autofree char *body = g_strdup_printf ("{\"username\": \"%s\", \"password\": \"demo\"}",
                                           username);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(OwTestResponse) response = NULL;
  GError *error = NULL;
  JsonObject *object;

  uri = g_strconcat (base, "api/v1/sessions", NULL);
  /* nginx may need a moment to find its platforms. */
  for (int attempt = 0; attempt < 50; attempt++)
    {
      g_clear_pointer (&response, ow_test_response_free);
      g_clear_error (&error);
      response = ow_test_http ("POST", uri, NULL, bytes, NULL, &error);
      if (response != NULL && response->status == 201)
        break;
      g_usleep (100000);
    }
  if (response == NULL || response->status != 201 || response->json == NULL)
    die ("logging in", error != NULL ? error
         : g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s: status %u", username,
                        response != NULL ? response->status : 0));
  object = json_node_get_object (response->json);
  return g_strdup (json_object_get_string_member (object, "token"));
}

typedef struct
{
  OwItem *item;
  GDate   today;
} CaseMaker;

static char *
make_case (const char  *hall,
           guint        counter,
           guint        seq,
           const char  *sha256,
           char       **case_no,
           gpointer     user_data)
{
  CaseMaker *maker = user_data;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(OwMaterial) material = g_list_model_get_item (ow_item_get_materials (maker->item),
                                                          0);
  g_autofree char *query_code = ow_query_code_new ();
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(JsonNode) node = NULL;
  OwCaseMaterial *scanned;
  GError *error = NULL;

  *case_no = ow_case_number_make (hall, counter, &maker->today, seq, &error);
  if (*case_no == NULL)
    die ("numbering a case", error);
  kase = ow_case_new (*case_no);
  ow_case_set_query_code (kase, query_code);
  applicant->name = g_strdup ("张三");
  applicant->id_number = g_strdup (ID);
  applicant->phone = g_strdup ("13800138000");
  applicant->address = g_strdup ("海口市龙华区滨海大道1号");
  ow_case_set_applicant (kase, applicant);
  ow_case_set_origin (kase, hall, counter, "clerk");
  ow_case_set_received_at (kase, now);
  ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (maker->item),
                                            ow_item_get_basic_code (maker->item),
                                            ow_item_get_name (maker->item),
                                            ow_item_get_department (maker->item)));
  scanned = ow_case_material_new (material != NULL ? ow_material_get_id (material) : "m1",
                                  material != NULL ? ow_material_get_name (material) : "申请书");
  scanned->status = OW_MATERIAL_STATUS_SCANNED;
  scanned->originals = 1;
  g_ptr_array_add (scanned->files, g_strdup (sha256));
  ow_case_add_material (kase, scanned);
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  node = ow_json_from_case (kase);
  return json_to_string (node, FALSE);
}

static OwItem *
first_item (Fleet      *fleet,
            const char *token,
            char      **etag)
{
  g_autofree char *base = base_uri (fleet);
  g_autofree char *uri = g_strconcat (base, "api/v1/catalog", NULL);
  g_autoptr(OwTestResponse) response = NULL;
  g_autoptr(OwCatalog) catalog = NULL;
  GError *error = NULL;

  response = ow_test_http ("GET", uri, token, NULL, NULL, &error);
  if (response == NULL || response->status != 200 || response->json == NULL)
    die ("reading the catalog", error);
  catalog = ow_json_to_catalog (response->json, &error);
  if (catalog == NULL)
    die ("reading the catalog", error);
  *etag = g_strdup (soup_message_headers_get_one (response->headers, "ETag"));
  return g_list_model_get_item (ow_catalog_get_items (catalog), 0);
}

/* ---- what the database holds ------------------------------------------------------------ */

/* case_no → NULL for every case stored, and the number of pages. */
static GHashTable *
stored_cases (Fleet  *fleet,
              guint  *rows,
              guint  *files)
{
  GHashTable *stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  *rows = *files = 0;
  if (fleet->pg_bin == NULL)
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_open_v2 (fleet->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die ("opening the SQLite database", NULL);
      sqlite3_prepare_v2 (db, "SELECT case_no FROM cases", -1, &stmt, NULL);
      while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_hash_table_add (stored, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          (*rows)++;
        }
      sqlite3_finalize (stmt);
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM files", -1, &stmt, NULL);
      if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        *files = (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
  else
    {
      PGconn *conn = PQconnectdb (fleet->db);
      PGresult *result;

      if (PQstatus (conn) != CONNECTION_OK)
        die ("connecting to PostgreSQL", g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                                                      PQerrorMessage (conn)));
      result = PQexec (conn, "SELECT case_no FROM cases");
      for (int i = 0; i < PQntuples (result); i++)
        {
          g_hash_table_add (stored, g_strdup (PQgetvalue (result, i, 0)));
          (*rows)++;
        }
      PQclear (result);
      result = PQexec (conn, "SELECT count(*) FROM files");
      if (PQntuples (result) == 1)
        *files = (guint) g_ascii_strtoull (PQgetvalue (result, 0, 0), NULL, 10);
      PQclear (result);
      PQfinish (conn);
    }
  return stored;
}

/* ---- one configuration ------------------------------------------------------------------ */

static void
print_errors (const LoadResult *result)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean first = TRUE;

  g_print ("  errors:        %u answers not as expected, %u without answer (refused, reset), "
           "%u timed out", result->errors_status, result->errors_conn, result->errors_timeout);
  g_hash_table_iter_init (&iter, result->statuses);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_print ("%s%u x HTTP %u", first ? " (" : ", ", GPOINTER_TO_UINT (value),
             GPOINTER_TO_UINT (key)), first = FALSE;
  if (!first)
    g_print (")");
  g_print ("\n");
}

static void
run_configuration (Figures *figures)
{
  Fleet fleet = { 0 };
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) halls = g_array_new (FALSE, FALSE, sizeof (LoadHall));
  g_autoptr(GHashTable) stored = NULL;
  g_autofree char *etag = NULL;
  const char *codes[] = { DEMO_HALL, "46010601", "46020001", "46040001", "46900201",
                          "46903001" };
  const char *clerks[] = { "clerk", "longhua.clerk", "sanya.clerk", "danzhou.clerk",
                           "qionghai.clerk", "qiongzhong.clerk" };
  CaseMaker maker = { 0 };
  LoadConfig config = { 0 };
  LoadResult result;
  GError *error = NULL;
  guint rows = 0, files = 0, missing = 0, unasked = 0;
  GHashTableIter iter;
  gpointer key;

  fleet.dir = g_dir_make_tmp ("ow-province-XXXXXX", &error);
  if (fleet.dir == NULL)
    die ("making a folder", error);
  chmod (fleet.dir, 0755);
  fleet.platforms = g_ptr_array_new_with_free_func (g_object_unref);
  fleet.addresses = g_ptr_array_new_with_free_func (g_free);
  fleet.as_postgres = getuid () == 0;
  give_to_postgres (&fleet, fleet.dir);

  if (figures->processes == 0)
    fleet.db = g_build_filename (fleet.dir, "platform.db", NULL);
  else
    {
      g_autofree char *listing = NULL;
      const char *ls_argv[] = { "sh", "-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | "
                                "tail -n 1", NULL };

      listing = run (ls_argv, NULL);
      fleet.pg_bin = g_strdup (g_strstrip (listing));
      start_postgresql (&fleet);
    }
  start_platform (&fleet);
  create_clerks (&fleet);
  for (guint i = 1; i < MAX (figures->processes, 1); i++)
    start_platform (&fleet);
  start_nginx (&fleet);

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      LoadHall hall = { codes[i], NULL };

      g_ptr_array_add (tokens, log_in (&fleet, clerks[i]));
      hall.token = g_ptr_array_index (tokens, tokens->len - 1);
      g_array_append_val (halls, hall);
    }
  maker.item = first_item (&fleet, g_ptr_array_index (tokens, 0), &etag);
  ow_test_today (&maker.today);

  config.host = "127.0.0.1";
  config.port = fleet.nginx_port;
  config.counters = (guint) n_counters;
  config.ramp_seconds = ramp_seconds;
  config.seconds = seconds;
  config.cases_per_hour = cases_per_hour * speedup;
  config.catalog_every = 300.0 / speedup;
  config.full_catalog_share = 0.05;
  config.catalog_etag = etag;
  config.page_size = (gsize) page_kb * 1024;
  config.halls = (const LoadHall *) halls->data;
  config.n_halls = halls->len;
  config.make_case = make_case;
  config.user_data = &maker;

  g_print ("%s: %s behind nginx, %d counters over %d halls, %.0f cases an hour each "
           "(%.0fx a clerk's pace), %d s ramp, %d s measured\n", figures->name,
           figures->processes == 0 ? "one platform process on SQLite"
           : figures->processes == 1 ? "one platform process on PostgreSQL" : "",
           n_counters, halls->len, config.cases_per_hour, speedup, ramp_seconds, seconds);
  if (figures->processes > 1)
    g_print ("  (%u platform processes on one PostgreSQL database)\n", figures->processes);
  if (!load_run (&config, &result, &error))
    die ("running the load", error);

  stop_nginx (&fleet);
  stop_platforms (&fleet);
  stored = stored_cases (&fleet, &rows, &files);
  g_hash_table_iter_init (&iter, result.acked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (stored, key))
      missing++;
  g_hash_table_iter_init (&iter, stored);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (result.submitted, key))
      unasked++;

  figures->cases_per_s = result.cases / result.window;
  figures->case_p50 = load_percentile (&result.case_put, 50);
  figures->case_p99 = load_percentile (&result.case_put, 99);
  figures->wake_p50 = load_percentile (&result.wake, 50);
  figures->wake_p99 = load_percentile (&result.wake, 99);
  figures->errors = result.errors_status + result.errors_conn + result.errors_timeout;
  figures->exact = missing == 0 && unasked == 0 && rows == g_hash_table_size (stored)
                   && files >= g_hash_table_size (result.acked);

  g_print ("  cases:         %u acknowledged in %.0f s = %.1f cases/s (%u in all, %u still on "
           "their way at the end)\n", result.cases, result.window, figures->cases_per_s,
           result.cases_total, result.unfinished);
  g_print ("  case PUT:      p50 %.1f ms, p99 %.1f ms (%u)\n", figures->case_p50,
           figures->case_p99, result.case_put.samples->len);
  g_print ("  page PUT:      p50 %.1f ms, p99 %.1f ms (%u)\n",
           load_percentile (&result.page_put, 50), load_percentile (&result.page_put, 99),
           result.page_put.samples->len);
  g_print ("  feed wake-up:  p50 %.1f ms, p99 %.1f ms after the case PUT's answer (%u, a tenth "
           "of the counters); %u polls answered, %u with news\n", figures->wake_p50,
           figures->wake_p99, result.wake.samples->len, result.polls, result.wakeups);
  g_print ("  catalog:       %u full, %u not modified\n", result.catalog_full,
           result.catalog_same);
  print_errors (&result);
  if (figures->errors > 0)
    what_went_wrong (&fleet);
  g_print ("  stored:        %u cases (%u rows), %u pages; of the %u acknowledged %u missing, "
           "%u stored that were never sent: %s\n\n", g_hash_table_size (stored), rows, files,
           g_hash_table_size (result.acked), missing, unasked,
           figures->exact ? "every case exactly once" : "NOT EXACT");

  if (fleet.pg_bin != NULL)
    stop_postgresql (&fleet);
  {
    const char *rm_argv[] = { "rm", "-rf", fleet.dir, NULL };

    g_free (run (rm_argv, NULL));
  }
  load_result_clear (&result);
  g_object_unref (maker.item);
  g_ptr_array_unref (fleet.platforms);
  g_ptr_array_unref (fleet.addresses);
  g_free (fleet.dir);
  g_free (fleet.db);
  g_free (fleet.pg_bin);
  g_free (fleet.nginx_pid);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— a province's counters");
  g_autoptr(GPtrArray) figures = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) names = NULL;
  GError *error = NULL;
  Figures *base = NULL;
  int limit;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (n_counters < 1 || seconds < 1 || speedup <= 0 || cases_per_hour <= 0 || page_kb < 1)
    die ("options", g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "out of range"));
  /* The platform's log would only slow it and clutter the figures. */
  g_log_set_writer_func (g_log_writer_default, NULL, NULL);
  limit = load_raise_fd_limit ();
  signal (SIGPIPE, SIG_IGN);

  names = g_strsplit (configs_option != NULL ? configs_option : "sqlite,pg1,pg2,pg4", ",", -1);
  g_print ("OneWindow province benchmark: %d counters, one %d KB page a case; open files "
           "allowed: %d\n\n", n_counters, page_kb, limit);
  for (guint i = 0; names[i] != NULL; i++)
    {
      Figures *f = g_new0 (Figures, 1);

      f->name = names[i];
      if (g_str_equal (names[i], "sqlite"))
        f->processes = 0;
      else if (g_str_has_prefix (names[i], "pg") && atoi (names[i] + 2) > 0)
        f->processes = (guint) atoi (names[i] + 2);
      else
        die ("options", g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                     "unknown configuration %s", names[i]));
      run_configuration (f);
      g_ptr_array_add (figures, f);
    }

  base = g_ptr_array_index (figures, 0);
  g_print ("%-8s %10s %10s %10s %10s %10s %8s %8s  %s\n", "config", "cases/s", "case p50",
           "case p99", "wake p50", "wake p99", "errors", "ratio", "stored");
  for (guint i = 0; i < figures->len; i++)
    {
      Figures *f = g_ptr_array_index (figures, i);

      g_print ("%-8s %10.1f %8.1fms %8.1fms %8.1fms %8.1fms %8u %7.2fx  %s\n", f->name,
               f->cases_per_s, f->case_p50, f->case_p99, f->wake_p50, f->wake_p99, f->errors,
               f->cases_per_s / base->cases_per_s, f->exact ? "exact" : "NOT EXACT");
    }
  g_print ("(ratio: cases/s against %s)\n", base->name);
  g_print ("SUMMARY");
  for (guint i = 0; i < figures->len; i++)
    {
      Figures *f = g_ptr_array_index (figures, i);

      g_print (" %s_cases_per_s=%.1f %s_case_p99_ms=%.1f %s_wake_p99_ms=%.1f %s_errors=%u",
               f->name, f->cases_per_s, f->name, f->case_p99, f->name, f->wake_p99, f->name,
               f->errors);
    }
  g_print ("\n");
  for (guint i = 0; i < figures->len; i++)
    if (!((Figures *) g_ptr_array_index (figures, i))->exact)
      return 1;
  return 0;
}
