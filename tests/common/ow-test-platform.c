/* ow-test-platform.c — test helpers: run the real onewindow-platform, talk HTTP to it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "ow-test-platform.h"
#include "ow-test-postgres.h"

#define LISTENING_PREFIX "listening on "
/* Seeding hashes four passwords with Argon2 (64 MiB each): slow under a loaded parallel run. */
#define START_TIMEOUT_MS 60000
#define STOP_TIMEOUT_MS 5000

struct _OwTestPlatform
{
  char     *binary;
  char     *data_dir;
  gboolean  demo;
  char    **args;      /* extra arguments, NULL for none */
  char     *tmp_dir;
  char     *db_path;   /* the SQLite file, or the PostgreSQL URI */
  gboolean  postgresql;
  gboolean  owns_db;   /* a PostgreSQL database to drop when done */
  char     *base_uri;
  GString  *banner;
  guint     port;
  GPid      pid;
  int       stdout_fd;
};

static const char *
find_binary (void)
{
  static char *binary = NULL;

  if (binary == NULL)
    {
      const char *env = g_getenv ("OW_PLATFORM_BINARY");

      if (env != NULL && *env != '\0')
        binary = g_strdup (env);
      else
        binary = g_build_filename (g_getenv ("OW_BUILD_DIR") != NULL ? g_getenv ("OW_BUILD_DIR")
                                                                     : ".",
                                   "src", "platform", "onewindow-platform", NULL);
    }
  return binary;
}

static void
child_setup (gpointer user_data)
{
  /* Should the test abort before it stops the platform, the platform goes with it. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Reads stdout until the "listening on" line, within the deadline. */
static gboolean
read_listening_line (OwTestPlatform  *self,
                     GError         **error)
{
  GString *line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_MS * 1000;

  for (;;)
    {
      struct pollfd pfd = { self->stdout_fd, POLLIN, 0 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      char c;
      ssize_t n;
      int rc;

      if (left <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "onewindow-platform did not print “listening on” within %d s",
                       START_TIMEOUT_MS / 1000);
          break;
        }
      rc = poll (&pfd, 1, (int) left);
      if (rc < 0 && errno == EINTR)
        continue;
      if (rc <= 0)
        continue;

      n = read (self->stdout_fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "onewindow-platform exited before listening (see its messages above)");
          break;
        }
      if (c != '\n')
        {
          g_string_append_c (line, c);
          continue;
        }

      if (g_str_has_prefix (line->str, LISTENING_PREFIX))
        {
          g_autoptr(GUri) uri = NULL;

          g_free (self->base_uri);
          self->base_uri = g_strdup (line->str + strlen (LISTENING_PREFIX));
          uri = g_uri_parse (self->base_uri, G_URI_FLAGS_NONE, error);
          if (uri == NULL)
            break;
          self->port = (guint) g_uri_get_port (uri);
          g_string_free (line, TRUE);
          return TRUE;
        }
      g_string_append (self->banner, line->str);
      g_string_append_c (self->banner, '\n');
      g_string_truncate (line, 0);
    }

  g_string_free (line, TRUE);
  return FALSE;
}

static gboolean
wait_until_answering (OwTestPlatform  *self,
                      GError         **error)
{
  g_autofree char *uri = g_strconcat (self->base_uri, "api/v1/catalog", NULL);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(OwTestResponse) response = NULL;

      response = ow_test_http ("GET", uri, NULL, NULL, NULL, &local_error);
      if (response != NULL)
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "onewindow-platform does not answer at %s: ", uri);
          return FALSE;
        }
      g_usleep (50 * 1000);
    }
}

static gboolean
spawn (OwTestPlatform  *self,
       guint            port,
       GError         **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (self->binary));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (self->db_path));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (self->data_dir));
  if (self->demo)
    g_ptr_array_add (argv, g_strdup ("--demo"));
  for (guint i = 0; self->args != NULL && self->args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (self->args[i]));
  g_ptr_array_add (argv, NULL);

  g_string_truncate (self->banner, 0);
  if (!g_spawn_async_with_pipes (self->tmp_dir, (char **) argv->pdata, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL, &self->pid, NULL,
                                 &self->stdout_fd, NULL, error))
    {
      self->pid = 0;
      return FALSE;
    }

  if (!read_listening_line (self, error))
    {
      ow_test_platform_stop (self);
      return FALSE;
    }
  return wait_until_answering (self, error);
}

static OwTestPlatform *
start (const char         *data_dir,
       gboolean            demo,
       const char * const *args,
       GError            **error)
{
  g_autoptr(OwTestPlatform) self = g_new0 (OwTestPlatform, 1);

  self->args = g_strdupv ((char **) args);

  self->binary = g_strdup (find_binary ());
  if (data_dir != NULL)
    self->data_dir = g_strdup (data_dir);
  else if (g_getenv ("OW_DATA_DIR") != NULL)
    self->data_dir = g_strdup (g_getenv ("OW_DATA_DIR"));
  else
    self->data_dir = g_strdup (SOURCE_DATADIR);
  self->demo = demo;
  self->banner = g_string_new (NULL);
  self->stdout_fd = -1;

  if (!g_file_test (self->binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "The platform binary %s is missing: build onewindow-platform, or set "
                   "OW_PLATFORM_BINARY", self->binary);
      return NULL;
    }

  self->tmp_dir = g_dir_make_tmp ("ow-platform-XXXXXX", error);
  if (self->tmp_dir == NULL)
    return NULL;
  if (ow_test_postgres_wanted ())
    {
      if ((self->db_path = ow_test_postgres_create_database (error)) == NULL)
        return NULL;
      self->postgresql = TRUE;
      self->owns_db = TRUE;
    }
  else
    self->db_path = g_build_filename (self->tmp_dir, "platform.db", NULL);

  if (!spawn (self, 0, error))
    return NULL;
  return g_steal_pointer (&self);
}

OwTestPlatform *
ow_test_platform_start_full (const char  *data_dir,
                             gboolean     demo,
                             GError     **error)
{
  return start (data_dir, demo, NULL, error);
}

OwTestPlatform *
ow_test_platform_start (GError **error)
{
  return start (NULL, TRUE, NULL, error);
}

OwTestPlatform *
ow_test_platform_start_with_args (const char * const  *args,
                                  GError             **error)
{
  return start (NULL, TRUE, args, error);
}

OwTestPlatform *
ow_test_platform_start_beside (OwTestPlatform      *other,
                               const char * const  *args,
                               GError             **error)
{
  g_autoptr(OwTestPlatform) self = g_new0 (OwTestPlatform, 1);

  g_return_val_if_fail (other != NULL, NULL);

  self->args = g_strdupv ((char **) args);
  self->binary = g_strdup (other->binary);
  self->data_dir = g_strdup (other->data_dir);
  self->demo = other->demo;
  self->banner = g_string_new (NULL);
  self->stdout_fd = -1;
  self->db_path = g_strdup (other->db_path);
  self->postgresql = other->postgresql;
  self->owns_db = FALSE;
  if ((self->tmp_dir = g_dir_make_tmp ("ow-platform-XXXXXX", error)) == NULL ||
      !spawn (self, 0, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
ow_test_platform_set_args (OwTestPlatform     *self,
                           const char * const *args)
{
  g_strfreev (self->args);
  self->args = g_strdupv ((char **) args);
}

gboolean
ow_test_platform_restart (OwTestPlatform  *self,
                          GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  ow_test_platform_stop (self);

  /* The old port is normally free again at once; if something took it meanwhile, try a little
   * longer, then take any port. */
  for (guint attempt = 0; attempt < 10; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (spawn (self, self->port, &local_error))
        return TRUE;
      g_usleep (200 * 1000);
    }
  return spawn (self, 0, error);
}

gboolean
ow_test_platform_stop (OwTestPlatform *self)
{
  gboolean clean = FALSE;
  int status = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->pid > 0)
    {
      gint64 deadline = g_get_monotonic_time () + STOP_TIMEOUT_MS * 1000;
      pid_t done = 0;

      kill (self->pid, SIGTERM);
      while ((done = waitpid (self->pid, &status, WNOHANG)) == 0 &&
             g_get_monotonic_time () < deadline)
        g_usleep (10 * 1000);
      if (done == 0)
        {
          kill (self->pid, SIGKILL);
          waitpid (self->pid, &status, 0);
        }
      else if (done == self->pid)
        clean = WIFEXITED (status) && WEXITSTATUS (status) == 0;
      g_spawn_close_pid (self->pid);
      self->pid = 0;
    }
  if (self->stdout_fd >= 0)
    {
      close (self->stdout_fd);
      self->stdout_fd = -1;
    }
  return clean;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

void
ow_test_platform_free (OwTestPlatform *self)
{
  if (self == NULL)
    return;

  ow_test_platform_stop (self);
  if (self->owns_db)
    ow_test_postgres_drop_database (self->db_path);
  if (self->tmp_dir != NULL)
    remove_tree (self->tmp_dir);
  g_free (self->binary);
  g_free (self->data_dir);
  g_strfreev (self->args);
  g_free (self->tmp_dir);
  g_free (self->db_path);
  g_free (self->base_uri);
  if (self->banner != NULL)
    g_string_free (self->banner, TRUE);
  g_free (self);
}

const char *
ow_test_platform_get_base_uri (OwTestPlatform *self)
{
  return self->base_uri;
}

const char *
ow_test_platform_get_db_path (OwTestPlatform *self)
{
  return self->db_path;
}

const char *
ow_test_platform_get_tmp_dir (OwTestPlatform *self)
{
  return self->tmp_dir;
}

gboolean
ow_test_platform_is_postgresql (OwTestPlatform *self)
{
  return self->postgresql;
}

static GPtrArray *
query_sqlite (const char *path,
              const char *sql,
              const char *parameter)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("Cannot open %s: %s", path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (parameter != NULL)
    sqlite3_bind_text (stmt, 1, parameter, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int n = sqlite3_column_count (stmt);
      char **row = g_new0 (char *, n + 1);

      for (int j = 0; j < n; j++)
        row[j] = g_strdup (sqlite3_column_text (stmt, j) != NULL
                             ? (const char *) sqlite3_column_text (stmt, j) : "");
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

struct _OwTestWriteLock
{
  sqlite3 *sqlite;
  PGconn  *pg;
};

OwTestWriteLock *
ow_test_platform_hold_writes (OwTestPlatform *self)
{
  OwTestWriteLock *lock = g_new0 (OwTestWriteLock, 1);

  if (!self->postgresql)
    {
      char *message = NULL;

      if (sqlite3_open_v2 (self->db_path, &lock->sqlite, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        g_error ("Cannot open %s: %s", self->db_path, sqlite3_errmsg (lock->sqlite));
      sqlite3_busy_timeout (lock->sqlite, 5000);
      if (sqlite3_exec (lock->sqlite, "BEGIN IMMEDIATE", NULL, NULL, &message) != SQLITE_OK)
        g_error ("BEGIN IMMEDIATE on %s: %s", self->db_path, message);
    }
  else
    {
      PGresult *result;

      lock->pg = PQconnectdb (self->db_path);
      if (PQstatus (lock->pg) != CONNECTION_OK)
        g_error ("Cannot connect to %s: %s", self->db_path, PQerrorMessage (lock->pg));
      result = PQexec (lock->pg, "BEGIN; LOCK TABLE cases IN EXCLUSIVE MODE");
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        g_error ("LOCK TABLE cases: %s", PQresultErrorMessage (result));
      PQclear (result);
    }
  return lock;
}

void
ow_test_write_lock_wait_for_writer (OwTestWriteLock *lock)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  if (lock->sqlite != NULL)
    {
      g_usleep (G_USEC_PER_SEC / 2);
      return;
    }
  while (g_get_monotonic_time () < deadline)
    {
      PGresult *result = PQexec (lock->pg, "SELECT count(*) FROM pg_locks "
                                           "WHERE NOT granted AND relation = 'cases'::regclass");
      gboolean waiting;

      if (PQresultStatus (result) != PGRES_TUPLES_OK)
        g_error ("pg_locks: %s", PQresultErrorMessage (result));
      waiting = atoi (PQgetvalue (result, 0, 0)) > 0;
      PQclear (result);
      if (waiting)
        return;
      g_usleep (G_USEC_PER_SEC / 50);
    }
  g_error ("No write of the platform waited for the lock on cases within 30 s");
}

void
ow_test_write_lock_release (OwTestWriteLock *lock)
{
  if (lock == NULL)
    return;
  if (lock->sqlite != NULL)
    {
      sqlite3_exec (lock->sqlite, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close (lock->sqlite);
    }
  if (lock->pg != NULL)
    {
      PQclear (PQexec (lock->pg, "ROLLBACK"));
      PQfinish (lock->pg);
    }
  g_free (lock);
}

GPtrArray *
ow_test_platform_query (OwTestPlatform *self,
                        const char     *sql,
                        const char     *parameter)
{
  g_autofree char *numbered = NULL;
  const char *mark;

  if (!self->postgresql)
    return query_sqlite (self->db_path, sql, parameter);
  /* PostgreSQL numbers its parameters. */
  if ((mark = strchr (sql, '?')) != NULL)
    numbered = g_strdup_printf ("%.*s$1%s", (int) (mark - sql), sql, mark + 1);
  return ow_test_postgres_query (self->db_path, numbered != NULL ? numbered : sql, parameter);
}

gint64
ow_test_platform_count (OwTestPlatform *self,
                        const char     *sql,
                        const char     *parameter)
{
  g_autoptr(GPtrArray) rows = ow_test_platform_query (self, sql, parameter);

  g_assert_cmpuint (rows->len, >=, 1);
  return g_ascii_strtoll (((char **) g_ptr_array_index (rows, 0))[0], NULL, 10);
}

GPid
ow_test_platform_get_pid (OwTestPlatform *self)
{
  return self->pid;
}

const char *
ow_test_platform_get_banner (OwTestPlatform *self)
{
  return self->banner->str;
}

/* HTTP ------------------------------------------------------------------------------------- */

void
ow_test_response_free (OwTestResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

OwTestResponse *
ow_test_http (const char          *method,
              const char          *uri,
              const char          *token,
              GBytes              *body,
              SoupMessageHeaders  *extra_headers,
              GError             **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *request_headers;
  const char *content_type;

  msg = soup_message_new (method, uri);
  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a valid URI: %s", uri);
      return NULL;
    }
  request_headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (request_headers, "Authorization", value);
    }
  if (extra_headers != NULL)
    {
      SoupMessageHeadersIter iter;
      const char *name, *value;

      soup_message_headers_iter_init (&iter, extra_headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        soup_message_headers_append (request_headers, name, value);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);

  /* Loopback only: a proxy from the environment must not get in the way. */
  session = soup_session_new_with_options ("timeout", 60, "user-agent", "onewindow-tests",
                                           "proxy-resolver", NULL, NULL);
  bytes = soup_session_send_and_read (session, msg, NULL, error);
  if (bytes == NULL)
    return NULL;

  response = g_new0 (OwTestResponse, 1);
  response->status = soup_message_get_status (msg);
  response->body = g_bytes_ref (bytes);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  content_type = soup_message_headers_get_content_type (response->headers, NULL);
  if (g_strcmp0 (content_type, "application/json") == 0 && g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);

      if (json_parser_load_from_data (parser, data, (gssize) size, NULL) &&
          json_parser_get_root (parser) != NULL)
        response->json = json_node_copy (json_parser_get_root (parser));
    }

  return g_steal_pointer (&response);
}

OwTestResponse *
ow_test_platform_request (OwTestPlatform  *self,
                          const char      *method,
                          const char      *path,
                          const char      *token,
                          const char      *json_body,
                          GError         **error)
{
  g_autofree char *uri = NULL;
  g_autoptr(GBytes) body = NULL;

  while (*path == '/')
    path++;
  uri = g_strconcat (self->base_uri, path, NULL);
  if (json_body != NULL)
    body = g_bytes_new (json_body, strlen (json_body));
  return ow_test_http (method, uri, token, body, NULL, error);
}

char *
ow_test_platform_login (OwTestPlatform  *self,
                        const char      *username,
                        const char      *password,
                        GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autofree char *body = NULL;
  const char *token;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  response = ow_test_platform_request (self, "POST", "/api/v1/sessions", NULL, body, error);
  if (response == NULL)
    return NULL;
  token = ow_test_response_get_string (response, "token");
  if (response->status != SOUP_STATUS_CREATED || token == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "Logging in as %s answered %u", username, response->status);
      return NULL;
    }
  return g_strdup (token);
}

static JsonObject *
error_object (OwTestResponse *response)
{
  JsonObject *root;
  JsonNode *node;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  root = json_node_get_object (response->json);
  if (!json_object_has_member (root, "error"))
    return NULL;
  node = json_object_get_member (root, "error");
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
ow_test_response_error_code (OwTestResponse *response)
{
  return string_member (error_object (response), "code");
}

const char *
ow_test_response_error_field (OwTestResponse *response)
{
  return string_member (error_object (response), "field");
}

const char *
ow_test_response_get_string (OwTestResponse *response,
                             const char     *member)
{
  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  return string_member (json_node_get_object (response->json), member);
}

void
ow_test_today (GDate *date)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (8 * 60 * 60);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}
