/* bench-sync.c — how fast the sync engine drains an outbox, beside curl, and how fast the
 * platform serves case reads
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In one run, against two real onewindow-platform processes on loopback (one for the engine,
 * one for curl, so that every request is new to the one it reaches), in rounds:
 *  1. saves the round's cases (1,000 in all by default) through OwSync, each with one scanned
 *     page of 300 KB (a PNG signature followed by random bytes: the platform stores bytes, it
 *     does not decode them), so the outbox holds 2 PUTs per case: the file before its case;
 *  2. times draining that outbox with OwSync into its platform;
 *  3. replays the very same requests (same paths, bodies, content types) into the other
 *     platform with one curl process over keep-alive (a config file with "next" between
 *     requests), and times that; 2 and 3 take turns going first;
 * then runs wrk, 64 connections for 10 s, against GET /api/v1/cases/{no} over all the cases,
 * with the bearer token added by a Lua script, and reads requests/s and the p99 latency; and
 * the same wrk run against nginx (Debian's) serving a static copy of those very answers, byte
 * for byte, from files on the same machine: the ceiling, once with keep-alive as nginx does by
 * default (as the platform does too) and once with keep-alive off (every answer "Connection:
 * close"), and prints the platform's ratio to both; and the same wrk run against
 * bench-soup-server, libsoup's SoupServer alone answering those bytes from memory (one process,
 * then one per core on one port): the floor of the server the platform is built on, so that the
 * part of the gap to nginx that is SoupServer's own is printed in the same run.
 * Not a test: it asserts nothing about speed, it prints figures (see bench/README.md).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/ow-case-number.h"
#include "core/ow-item.h"
#include "net/ow-sync.h"
#include "ow-test-platform.h"

#define HALL     "46010001"
#define COUNTER  7
#define ID       "11010519491231002X"

static int n_cases = 1000;
static int page_kb = 300;
static int wrk_seconds = 10;
static int wrk_connections = 64;
static int n_rounds = 4;

static GOptionEntry entries[] = {
  { "cases", 'n', 0, G_OPTION_ARG_INT, &n_cases, "Cases in the outbox (1000)", "N" },
  { "page-kb", 0, 0, G_OPTION_ARG_INT, &page_kb, "Size of each scanned page in KB (300)", "KB" },
  { "wrk-seconds", 0, 0, G_OPTION_ARG_INT, &wrk_seconds, "Duration of the wrk run (10)", "S" },
  { "wrk-connections", 0, 0, G_OPTION_ARG_INT, &wrk_connections, "wrk connections (64)", "C" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &n_rounds, "Rounds of filling and draining (4)", "R" },
  { NULL }
};

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-sync: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static char *
add_page (OwStore *store)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize size = (gsize) page_kb * 1024;
  guint8 *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  char *sha256;

  memcpy (data, signature, sizeof signature);
  for (gsize i = sizeof signature; i + 4 <= size; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (data + i, &r, 4);
    }
  bytes = g_bytes_new_take (data, size);
  sha256 = ow_store_add_file (store, bytes, &error);
  if (sha256 == NULL)
    die ("saving a page", error);
  return sha256;
}

static OwCase *
make_case (OwStore    *store,
           OwItem     *item,
           const char *page)
{
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(OwMaterial) material = g_list_model_get_item (ow_item_get_materials (item), 0);
  g_autofree char *case_no = NULL;
  g_autofree char *query_code = ow_query_code_new ();
  OwCaseMaterial *scanned;
  GError *error = NULL;
  GDate today;
  guint sequence;
  OwCase *kase;

  ow_test_today (&today);
  sequence = ow_store_next_sequence (store, HALL, COUNTER, &today, &error);
  if (sequence == 0)
    die ("numbering a case", error);
  case_no = ow_case_number_make (HALL, COUNTER, &today, sequence, &error);
  if (case_no == NULL)
    die ("numbering a case", error);

  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, query_code);
  applicant->name = g_strdup ("张三");
  applicant->id_number = g_strdup (ID);
  applicant->phone = g_strdup ("13800138000");
  applicant->address = g_strdup ("海口市龙华区滨海大道1号");
  ow_case_set_applicant (kase, applicant);
  ow_case_set_origin (kase, HALL, COUNTER, "clerk");
  ow_case_set_received_at (kase, now);
  ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (item), ow_item_get_basic_code (item),
                                            ow_item_get_name (item),
                                            ow_item_get_department (item)));
  scanned = ow_case_material_new (material != NULL ? ow_material_get_id (material) : "m1",
                                  material != NULL ? ow_material_get_name (material) : "申请书");
  scanned->status = OW_MATERIAL_STATUS_SCANNED;
  scanned->originals = 1;
  g_ptr_array_add (scanned->files, g_strdup (page));
  ow_case_add_material (kase, scanned);
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  return kase;
}

/* A curl config that PUTs every outbox entry, in order, over one connection. */
static char *
write_curl_config (GPtrArray  *outbox,
                   OwStore    *store,
                   const char *base_uri,
                   const char *token,
                   const char *dir)
{
  g_autoptr(GString) config = g_string_new (NULL);
  g_autofree char *bodies = g_build_filename (dir, "bodies", NULL);
  g_autofree char *path = g_build_filename (dir, "curl.config", NULL);
  GError *error = NULL;

  g_mkdir_with_parents (bodies, 0700);
  for (guint i = 0; i < outbox->len; i++)
    {
      OwOutboxEntry *entry = g_ptr_array_index (outbox, i);
      g_autofree char *body_path = NULL;

      if (entry->body_file != NULL)
        body_path = g_build_filename (ow_store_get_files_dir (store), entry->body_file, NULL);
      else
        {
          g_autofree char *name = g_strdup_printf ("%u.json", i);
          gsize size = 0;
          gconstpointer data = g_bytes_get_data (entry->body, &size);

          body_path = g_build_filename (bodies, name, NULL);
          if (!g_file_set_contents (body_path, data, size, &error))
            die ("writing a body for curl", error);
        }
      if (i > 0)
        g_string_append (config, "next\n");
      /* Base URI ends with '/', paths start with one. */
      g_string_append_printf (config,
                              "url = \"%s%s\"\n"
                              "request = \"%s\"\n"
                              "upload-file = \"%s\"\n"
                              "header = \"Content-Type: %s\"\n"
                              "header = \"Authorization: Bearer %s\"\n"
                              "header = \"Expect:\"\n"
                              "silent\n"
                              "output = \"/dev/null\"\n"
                              "write-out = \"%%{http_code} %%{num_connects}\\n\"\n",
                              base_uri, entry->path + 1, entry->method, body_path,
                              entry->content_type, token);
    }
  if (!g_file_set_contents (path, config->str, config->len, &error))
    die ("writing the curl config", error);
  return g_steal_pointer (&path);
}

/* Runs @argv, returns its standard output; dies when it cannot run or fails. */
static char *
run (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GError *error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s", err != NULL ? err : "");
      die (argv[0], error);
    }
  return g_steal_pointer (&out);
}

/* "1.23ms" → milliseconds. */
static double
parse_duration_ms (const char *text)
{
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  if (end == NULL)
    return -1;
  if (g_str_has_prefix (end, "us"))
    return value / 1000;
  if (g_str_has_prefix (end, "ms"))
    return value;
  if (g_str_has_prefix (end, "s"))
    return value * 1000;
  if (g_str_has_prefix (end, "m"))
    return value * 60000;
  return -1;
}

static double
cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* wrk's figures for @url with the script at @script_path. */
typedef struct
{
  double rps;
  double p99_ms;
  guint  non_2xx;
  guint  errors;   /* connect, read, write and timeout errors */
} WrkFigures;

static WrkFigures
run_wrk (const char *url,
         const char *script_path)
{
  g_autofree char *duration = g_strdup_printf ("%ds", wrk_seconds);
  g_autofree char *conns = g_strdup_printf ("%d", wrk_connections);
  const char *argv[] = { "wrk", "-t", "2", "-c", conns, "-d", duration, "--latency",
                         "-s", script_path, url, NULL };
  g_autofree char *out = run (argv);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  WrkFigures figures = { -1, -1, 0, 0 };

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (g_str_has_prefix (line, "Requests/sec:"))
        figures.rps = g_ascii_strtod (line + strlen ("Requests/sec:"), NULL);
      else if (g_str_has_prefix (line, "99%"))
        figures.p99_ms = parse_duration_ms (g_strchug (line + 3));
      else if (g_str_has_prefix (line, "Non-2xx or 3xx responses:"))
        figures.non_2xx = (guint) g_ascii_strtoull (line + strlen ("Non-2xx or 3xx responses:"),
                                                   NULL, 10);
      else if (g_str_has_prefix (line, "Socket errors:"))
        {
          /* "Socket errors: connect 0, read 0, write 0, timeout 0" */
          const char *p = line;

          while ((p = strpbrk (p, "0123456789")) != NULL)
            {
              char *end = NULL;

              figures.errors += (guint) g_ascii_strtoull (p, &end, 10);
              p = end;
            }
        }
    }
  return figures;
}

/* ---- the ceiling: nginx serving the same answers from files -------------------------------- */

typedef struct
{
  char *conf_dir;
  char *pid_path;
  int   port;
} Nginx;

static int
free_port (void)
{
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  GError *error = NULL;
  int port;

  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                        &error);
  if (probe == NULL || !g_socket_bind (probe, any, TRUE, &error) ||
      (bound = g_socket_get_local_address (probe, &error)) == NULL)
    die ("finding a free port", error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);
  return port;
}

/* Copies the platform's answer to GET /api/v1/cases/{no}, for each of @case_nos, into
 * @root/api/v1/cases/{no}: what nginx serves. */
static void
copy_cases (OwTestPlatform *platform,
            const char     *token,
            GPtrArray      *case_nos,
            const char     *root)
{
  g_autofree char *folder = g_build_filename (root, "api", "v1", "cases", NULL);
  GError *error = NULL;

  if (g_mkdir_with_parents (folder, 0755) != 0)
    die ("making nginx's folder", g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s", folder));
  for (guint i = 0; i < case_nos->len; i++)
    {
      const char *case_no = g_ptr_array_index (case_nos, i);
      g_autofree char *path = g_strconcat ("/api/v1/cases/", case_no, NULL);
      g_autofree char *file = g_build_filename (folder, case_no, NULL);
      g_autoptr(OwTestResponse) response = ow_test_platform_request (platform, "GET", path, token,
                                                                     NULL, &error);
      gsize size;
      gconstpointer data;

      if (response == NULL || response->status != 200)
        die ("reading a case to copy", error);
      data = g_bytes_get_data (response->body, &size);
      if (!g_file_set_contents (file, data, (gssize) size, &error))
        die ("copying a case for nginx", error);
    }
}

/* nginx on a free loopback port serving @root, as a static site is served: sendfile, its worker
 * processes for the machine's cores, keep-alive as by default, or none (@keepalive FALSE). */
static Nginx *
start_nginx (const char *program,
             const char *dir,
             const char *root,
             gboolean    keepalive)
{
  Nginx *nginx = g_new0 (Nginx, 1);
  g_autofree char *conf = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *uri = NULL;
  g_autofree char *probe = NULL;
  GError *error = NULL;

  nginx->conf_dir = g_build_filename (dir, keepalive ? "nginx-keepalive" : "nginx-close", NULL);
  g_mkdir_with_parents (nginx->conf_dir, 0755);
  nginx->pid_path = g_build_filename (nginx->conf_dir, "nginx.pid", NULL);
  nginx->port = free_port ();
  conf = g_build_filename (nginx->conf_dir, "nginx.conf", NULL);
  g_string_append_printf (text,
                          "daemon on;\nworker_processes auto;\npid %s;\n"
                          "error_log %s/error.log;\n"
                          "events { worker_connections 4096; }\n"
                          "http {\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n"
                          "  default_type application/json;\n"
                          "  open_file_cache max=20000;\n"
                          "  keepalive_timeout %s;\n  keepalive_requests 1000000;\n",
                          nginx->pid_path, nginx->conf_dir, keepalive ? "65s" : "0");
  for (const char * const *temp = (const char * const[]) { "client_body", "proxy", "fastcgi",
                                                           "uwsgi", "scgi", NULL };
       *temp != NULL; temp++)
    g_string_append_printf (text, "  %s_temp_path %s/%s;\n", *temp, nginx->conf_dir, *temp);
  g_string_append_printf (text,
                          "  server {\n    listen 127.0.0.1:%d backlog=4096;\n    root %s;\n"
                          "    location / { try_files $uri =404; }\n  }\n}\n",
                          nginx->port, root);
  if (!g_file_set_contents (conf, text->str, (gssize) text->len, &error))
    die ("writing nginx.conf", error);
  {
    const char *argv[] = { program, "-p", nginx->conf_dir, "-c", conf, "-e", "stderr", NULL };

    g_free (run (argv));
  }
  /* Forked: answering once it listens. */
  uri = g_strdup_printf ("http://127.0.0.1:%d/", nginx->port);
  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_autoptr(OwTestResponse) response = ow_test_http ("GET", uri, NULL, NULL, NULL, NULL);

      if (response != NULL)
        break;
      g_usleep (50000);
    }
  return nginx;
}

static void
stop_nginx (Nginx *nginx)
{
  g_autofree char *pid = NULL;

  if (g_file_get_contents (nginx->pid_path, &pid, NULL, NULL))
    {
      pid_t number = (pid_t) g_ascii_strtoll (pid, NULL, 10);

      if (number > 0)
        {
          kill (number, SIGQUIT);
          for (int i = 0; i < 100 && kill (number, 0) == 0; i++)
            g_usleep (50000);
        }
    }
  g_free (nginx->conf_dir);
  g_free (nginx->pid_path);
  g_free (nginx);
}

/* ---- the floor of the server the platform is built on: SoupServer alone --------------------- */

/* @n bench-soup-server processes on one free port (sharing it when more than one) answering
 * the same files as nginx: their pids in @pids, the URL to give wrk. */
static char *
start_soup_servers (const char *root,
                    guint       n,
                    GArray     *pids)
{
  int port = free_port ();
  g_autofree char *port_text = g_strdup_printf ("%d", port);

  for (guint i = 0; i < n; i++)
    {
      const char *argv[] = { OW_BENCH_SOUP_SERVER, root, port_text,
                             n > 1 ? "--share-port" : NULL, NULL };
      GError *error = NULL;
      GPid pid;
      int out_fd = -1;
      char line[64] = "";
      FILE *out;

      if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                     &pid, NULL, &out_fd, NULL, &error))
        die ("starting bench-soup-server", error);
      g_array_append_val (pids, pid);
      out = fdopen (out_fd, "r");
      if (out == NULL || fgets (line, sizeof line, out) == NULL
          || !g_str_has_prefix (line, "listening"))
        die ("starting bench-soup-server", g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                        "it did not listen"));
      fclose (out);
    }
  return g_strdup_printf ("http://127.0.0.1:%d/", port);
}

static void
stop_soup_servers (GArray *pids)
{
  for (guint i = 0; i < pids->len; i++)
    {
      GPid pid = g_array_index (pids, GPid, i);
      int status = 0;

      kill (pid, SIGTERM);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
    }
  g_array_set_size (pids, 0);
}

/* Drains the outbox with the engine: wall and CPU seconds (this process: the engine, its
 * worker threads, SQLite and libsoup). */
static void
drain_with_owsync (OwSync  *sync,
                   OwStore *store,
                   double  *wall_s,
                   double  *cpu_s)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  double cpu = cpu_seconds (RUSAGE_SELF);
  gint64 start = g_get_monotonic_time ();

  ow_sync_flush_async (sync, NULL, got_result_cb, &result);
  if (!ow_sync_flush_finish (sync, wait_for (&result), &error))
    die ("draining the outbox", error);
  *wall_s += seconds_since (start);
  *cpu_s += cpu_seconds (RUSAGE_SELF) - cpu;
  if (ow_store_outbox_count (store, NULL) != 0)
    die ("draining the outbox", g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%u entries left",
                                             ow_store_outbox_count (store, NULL)));
}

/* Replays @config with one curl process; counts its answers and connections. */
static void
replay_with_curl (const char *config,
                  double     *wall_s,
                  double     *cpu_s,
                  guint      *ok_statuses,
                  guint      *bad_statuses,
                  guint      *connects)
{
  const char *curl_argv[] = { "curl", "--config", config, NULL };
  g_autofree char *statuses = NULL;
  g_auto(GStrv) lines = NULL;
  double cpu = cpu_seconds (RUSAGE_CHILDREN);
  gint64 start = g_get_monotonic_time ();

  statuses = run (curl_argv);
  *wall_s += seconds_since (start);
  *cpu_s += cpu_seconds (RUSAGE_CHILDREN) - cpu;
  lines = g_strsplit (statuses, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      /* "STATUS NEW_CONNECTIONS": keep-alive means one connection for the lot. */
      if (g_str_has_prefix (lines[i], "200 ") || g_str_has_prefix (lines[i], "201 "))
        (*ok_statuses)++;
      else
        (*bad_statuses)++;
      if (strchr (lines[i], ' ') != NULL)
        *connects += (guint) g_ascii_strtoull (strchr (lines[i], ' ') + 1, NULL, 10);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— benchmark the sync engine");
  g_autoptr(OwTestPlatform) platform = NULL;
  g_autoptr(OwTestPlatform) fresh = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(OwClient) client = NULL;
  g_autoptr(OwSync) sync = NULL;
  g_autoptr(OwItem) item = NULL;
  g_autoptr(OwCatalog) catalog = NULL;
  g_autoptr(GPtrArray) case_nos = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *fresh_token = NULL;
  g_autofree char *script_path = NULL;
  g_autofree char *wrk_url = NULL;
  g_autoptr(GString) script = NULL;
  GError *error = NULL;
  double fill_s = 0, drain_s = 0, curl_s = 0, drain_cpu = 0, curl_cpu = 0;
  WrkFigures platform_wrk = { -1, -1, 0, 0 };
  WrkFigures nginx_wrk = { -1, -1, 0, 0 };
  WrkFigures nginx_close_wrk = { -1, -1, 0, 0 };
  WrkFigures per_core_wrk = { -1, -1, 0, 0 };
  WrkFigures soup_wrk = { -1, -1, 0, 0 };
  WrkFigures soup_per_core_wrk = { -1, -1, 0, 0 };
  guint n_cores = MAX (g_get_num_processors (), 1);
  static const char *share_port_args[] = { "--share-port", NULL };
  guint ok_statuses = 0, bad_statuses = 0;
  guint curl_connects = 0;
  guint n_requests = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (n_cases < 1 || n_cases > 9999)
    die ("options", g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                 "--cases must be 1 … 9999 (one counter's numbers of a day)"));
  n_rounds = CLAMP (n_rounds, 1, n_cases);

  /* Run from anywhere: the build tree told us where the platform and the data are. */
  if (g_getenv ("OW_PLATFORM_BINARY") == NULL)
    g_setenv ("OW_PLATFORM_BINARY", OW_BENCH_PLATFORM, TRUE);
  if (g_getenv ("OW_DATA_DIR") == NULL)
    g_setenv ("OW_DATA_DIR", OW_BENCH_DATA_DIR, TRUE);
  /* The platform's own log would only slow it and clutter the figures. */
  g_log_set_writer_func (g_log_writer_default, NULL, NULL);

  /* One platform for the engine, one for curl: each request is new to the one it reaches. The
   * engine's shares its port, so that a second process can join it for the last wrk run. */
  platform = ow_test_platform_start_with_args (share_port_args, &error);
  if (platform == NULL)
    die ("starting the platform", error);
  fresh = ow_test_platform_start (&error);
  if (fresh == NULL)
    die ("starting a fresh platform", error);
  fresh_token = ow_test_platform_login (fresh, "clerk", "demo", &error);
  if (fresh_token == NULL)
    die ("logging in to the fresh platform", error);
  dir = g_dir_make_tmp ("ow-bench-XXXXXX", &error);
  if (dir == NULL)
    die ("making a folder", error);
  db_path = g_build_filename (dir, "store", "onewindow.db", NULL);
  store = ow_store_open (db_path, &error);
  if (store == NULL)
    die ("opening the store", error);
  client = ow_client_new (ow_test_platform_get_base_uri (platform), NULL, &error);
  if (client == NULL)
    die ("making the client", error);
  ow_client_login_async (client, "clerk", "demo", NULL, got_result_cb, &result);
  if (!ow_client_login_finish (client, wait_for (&result), &error))
    die ("logging in", error);
  g_clear_object (&result);
  token = g_strdup (ow_client_get_token (client));
  ow_client_get_catalog_async (client, NULL, NULL, got_result_cb, &result);
  catalog = ow_client_get_catalog_finish (client, wait_for (&result), NULL, &error);
  if (catalog == NULL)
    die ("reading the catalog", error);
  g_clear_object (&result);
  item = g_list_model_get_item (ow_catalog_get_items (catalog), 0);
  sync = ow_sync_new (store, client);

  g_print ("OneWindow sync benchmark: %d cases, one %d KB scanned page each (a PNG signature and "
           "random bytes), in %d rounds\n", n_cases, page_kb, n_rounds);
  g_print ("platform %s (OwSync), %s (curl), store %s\n\n",
           ow_test_platform_get_base_uri (platform), ow_test_platform_get_base_uri (fresh),
           db_path);

  /* In rounds, the engine first in one and curl first in the next, so that a machine busy with
   * something else for a while weighs on both alike. */
  for (int round = 0; round < n_rounds; round++)
    {
      int n = n_cases / n_rounds + (round < n_cases % n_rounds ? 1 : 0);
      double round_drain = 0, round_curl = 0;
      g_autoptr(GPtrArray) outbox = NULL;
      g_autofree char *round_dir = g_strdup_printf ("%s/round-%d", dir, round);
      g_autofree char *config = NULL;
      gint64 start;

      /* 1. Fill the outbox, as counters do: each case saved with its page, committed, durable. */
      start = g_get_monotonic_time ();
      for (int i = 0; i < n; i++)
        {
          g_autofree char *page = add_page (store);
          g_autoptr(OwCase) kase = make_case (store, item, page);

          ow_sync_submit_case_async (sync, kase, "clerk", NULL, got_result_cb, &result);
          if (!ow_sync_submit_case_finish (sync, wait_for (&result), &error))
            die ("submitting a case", error);
          g_clear_object (&result);
          g_ptr_array_add (case_nos, g_strdup (ow_case_get_case_no (kase)));
        }
      fill_s += seconds_since (start);
      outbox = ow_store_list_outbox (store, &error);
      if (outbox == NULL)
        die ("listing the outbox", error);
      n_requests += outbox->len;
      /* 3. The same requests (same paths, bodies and types) for curl. */
      config = write_curl_config (outbox, store, ow_test_platform_get_base_uri (fresh),
                                  fresh_token, round_dir);

      /* 2. Drain it with the engine, and 3. replay it with curl. */
      for (int side = 0; side < 2; side++)
        {
          if ((side + round) % 2 == 0)
            drain_with_owsync (sync, store, &round_drain, &drain_cpu);
          else
            replay_with_curl (config, &round_curl, &curl_cpu, &ok_statuses, &bad_statuses,
                              &curl_connects);
        }
      drain_s += round_drain;
      curl_s += round_curl;
      g_print ("round %d: %d cases, %u requests: OwSync %.2f s, curl %.2f s (%.2fx)\n",
               round + 1, n, outbox->len, round_drain, round_curl, round_curl / round_drain);
    }

  g_print ("\nsaved locally:  %d cases, %u outbox entries in %.2f s (%.0f cases/s)\n",
           n_cases, n_requests, fill_s, n_cases / fill_s);
  g_print ("OwSync drain:   %u requests in %.2f s = %.1f cases/s, %.2f ms CPU per request\n",
           n_requests, drain_s, n_cases / drain_s, 1000 * drain_cpu / n_requests);
  g_print ("curl replay:    %u requests in %.2f s = %.1f cases/s, %.2f ms CPU per request (one "
           "process per round, keep-alive: %u connection(s) opened; %u answered 2xx, %u not)\n",
           ok_statuses + bad_statuses, curl_s, n_cases / curl_s,
           1000 * curl_cpu / MAX (ok_statuses + bad_statuses, 1), curl_connects, ok_statuses,
           bad_statuses);
  g_print ("ratio:          OwSync reaches %.2fx curl's rate (%.2f = curl / OwSync time)\n\n",
           curl_s / drain_s, drain_s / curl_s);

  /* 4. Case reads under load: wrk over the cases just sent, with the token. */
  script = g_string_new ("wrk.headers[\"Authorization\"] = \"Bearer ");
  g_string_append_printf (script, "%s\"\nlocal cases = {\n", token);
  for (guint i = 0; i < case_nos->len; i++)
    g_string_append_printf (script, "  \"%s\",\n", (const char *) g_ptr_array_index (case_nos, i));
  g_string_append (script,
                   "}\n"
                   "local n = 0\n"
                   "request = function ()\n"
                   "  n = n + 1\n"
                   "  return wrk.format (\"GET\", \"/api/v1/cases/\" .. cases[n % #cases + 1])\n"
                   "end\n");
  script_path = g_build_filename (dir, "cases.lua", NULL);
  if (!g_file_set_contents (script_path, script->str, script->len, &error))
    die ("writing the wrk script", error);
  {
    g_autofree char *root = g_build_filename (dir, "static", NULL);
    g_autofree char *nginx_path = g_find_program_in_path ("nginx");

    if (nginx_path == NULL && g_file_test ("/usr/sbin/nginx", G_FILE_TEST_IS_EXECUTABLE))
      nginx_path = g_strdup ("/usr/sbin/nginx");
    wrk_url = g_strdup (ow_test_platform_get_base_uri (platform));
    platform_wrk = run_wrk (wrk_url, script_path);
    /* nginx runs a worker per core; the platform, any number of identical processes: the same
     * again with a process per core on the same port and database. */
    if (n_cores > 1)
      {
        g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (
            (GDestroyNotify) ow_test_platform_free);
        g_autofree char *port = g_strdup_printf ("127.0.0.1:%s",
                                                 strrchr (wrk_url, ':') + 1);
        const char *args[] = { "--share-port", "--listen", port, NULL };

        /* "http://127.0.0.1:PORT/": the slash goes. */
        port[strlen (port) - 1] = '\0';
        for (guint i = 1; i < n_cores; i++)
          {
            OwTestPlatform *other = ow_test_platform_start_beside (platform, args, &error);

            if (other == NULL)
              die ("starting another platform process on the port", error);
            g_ptr_array_add (others, other);
          }
        per_core_wrk = run_wrk (wrk_url, script_path);
      }
    /* nginx's workers (a user of their own, as root) read the copy, and so does SoupServer. */
    chmod (dir, 0755);
    copy_cases (platform, token, case_nos, root);
    {
      g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (GPid));
      g_autofree char *url = start_soup_servers (root, 1, pids);

      soup_wrk = run_wrk (url, script_path);
      stop_soup_servers (pids);
      if (n_cores > 1)
        {
          g_autofree char *shared_url = start_soup_servers (root, n_cores, pids);

          soup_per_core_wrk = run_wrk (shared_url, script_path);
          stop_soup_servers (pids);
        }
    }
    if (nginx_path != NULL)
      {
        Nginx *nginx;

        for (int keepalive = 1; keepalive >= 0; keepalive--)
          {
            g_autofree char *url = NULL;

            nginx = start_nginx (nginx_path, dir, root, keepalive);
            url = g_strdup_printf ("http://127.0.0.1:%d/", nginx->port);
            if (keepalive)
              nginx_wrk = run_wrk (url, script_path);
            else
              nginx_close_wrk = run_wrk (url, script_path);
            stop_nginx (nginx);
          }
      }
  }
  g_print ("wrk GET /api/v1/cases/{no}: %d connections, 2 threads, %d s over %d cases\n",
           wrk_connections, wrk_seconds, n_cases);
  g_print ("  platform:                 %6.0f requests/s, p99 %7.2f ms, %u answers not 2xx, "
           "%u socket errors\n",
           platform_wrk.rps, platform_wrk.p99_ms, platform_wrk.non_2xx, platform_wrk.errors);
  if (per_core_wrk.rps > 0)
    g_print ("  platform, %u processes:    %6.0f requests/s, p99 %7.2f ms, %u answers not 2xx, "
             "%u socket errors (one per core on one port, as nginx's workers)\n", n_cores,
             per_core_wrk.rps, per_core_wrk.p99_ms, per_core_wrk.non_2xx, per_core_wrk.errors);
  g_print ("  SoupServer alone:         %6.0f requests/s, p99 %7.2f ms, %u answers not 2xx "
           "(the same bytes from memory: no token, no database)\n",
           soup_wrk.rps, soup_wrk.p99_ms, soup_wrk.non_2xx);
  if (soup_per_core_wrk.rps > 0)
    g_print ("  SoupServer alone, %u:      %6.0f requests/s, p99 %7.2f ms, %u answers not 2xx "
             "(one per core on one port)\n", n_cores, soup_per_core_wrk.rps,
             soup_per_core_wrk.p99_ms, soup_per_core_wrk.non_2xx);
  g_print ("ratio:          the platform reaches %.2fx SoupServer alone (%.2fx with %u "
           "processes each)\n", platform_wrk.rps / soup_wrk.rps,
           soup_per_core_wrk.rps > 0 ? per_core_wrk.rps / soup_per_core_wrk.rps : -1, n_cores);
  if (nginx_wrk.rps > 0)
    {
      g_print ("  nginx, the same bytes:    %6.0f requests/s, p99 %7.2f ms, %u answers not 2xx "
               "(static files, keep-alive: the ceiling)\n",
               nginx_wrk.rps, nginx_wrk.p99_ms, nginx_wrk.non_2xx);
      g_print ("  nginx, Connection: close: %6.0f requests/s, p99 %7.2f ms, %u answers not 2xx "
               "(static files, keep-alive off)\n",
               nginx_close_wrk.rps, nginx_close_wrk.p99_ms, nginx_close_wrk.non_2xx);
      g_print ("ratio:          the platform reaches %.2fx nginx's rate (%.2fx with keep-alive "
               "off on both)\n",
               platform_wrk.rps / nginx_wrk.rps, platform_wrk.rps / nginx_close_wrk.rps);
      if (per_core_wrk.rps > 0)
        g_print ("ratio:          %u platform processes reach %.2fx nginx's rate, its %u workers "
                 "(%.2fx with keep-alive off)\n", n_cores, per_core_wrk.rps / nginx_wrk.rps,
                 n_cores, per_core_wrk.rps / nginx_close_wrk.rps);
      g_print ("ratio:          SoupServer alone reaches %.2fx nginx's rate (%.2fx with a "
               "process per core): what a SoupServer can do at best\n",
               soup_wrk.rps / nginx_wrk.rps,
               soup_per_core_wrk.rps > 0 ? soup_per_core_wrk.rps / nginx_wrk.rps : -1);
      g_print ("\n");
    }
  else
    g_print ("  (no nginx on this machine: tools/install-deps installs nginx-light)\n\n");

  g_print ("SUMMARY drain_owsync_cases_per_s=%.1f drain_curl_cases_per_s=%.1f ratio=%.2f "
           "wrk_rps=%.0f wrk_p99_ms=%.2f nginx_rps=%.0f nginx_p99_ms=%.2f "
           "nginx_close_rps=%.0f nginx_close_p99_ms=%.2f ratio_nginx=%.2f "
           "ratio_nginx_close=%.2f per_core_rps=%.0f per_core_p99_ms=%.2f "
           "ratio_nginx_per_core=%.2f soup_rps=%.0f soup_per_core_rps=%.0f "
           "ratio_soup=%.2f ratio_soup_nginx=%.2f\n",
           n_cases / drain_s, n_cases / curl_s, curl_s / drain_s, platform_wrk.rps,
           platform_wrk.p99_ms, nginx_wrk.rps, nginx_wrk.p99_ms, nginx_close_wrk.rps,
           nginx_close_wrk.p99_ms, nginx_wrk.rps > 0 ? platform_wrk.rps / nginx_wrk.rps : -1,
           nginx_close_wrk.rps > 0 ? platform_wrk.rps / nginx_close_wrk.rps : -1,
           per_core_wrk.rps, per_core_wrk.p99_ms,
           nginx_wrk.rps > 0 && per_core_wrk.rps > 0 ? per_core_wrk.rps / nginx_wrk.rps : -1,
           soup_wrk.rps, soup_per_core_wrk.rps, platform_wrk.rps / soup_wrk.rps,
           nginx_wrk.rps > 0 ? soup_wrk.rps / nginx_wrk.rps : -1);

  g_clear_object (&sync);
  g_clear_object (&client);
  g_clear_object (&store);
  {
    const char *rm_argv[] = { "rm", "-rf", dir, NULL };

    g_free (run (rm_argv));
  }
  return bad_statuses == 0 && platform_wrk.non_2xx == 0 && per_core_wrk.non_2xx == 0 &&
         soup_wrk.non_2xx == 0 && soup_per_core_wrk.non_2xx == 0 &&
         nginx_wrk.non_2xx == 0 &&
         nginx_close_wrk.non_2xx == 0 ? 0 : 1;
}
