/* ow-platform-server.c — routing, authentication and errors of the reference platform
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main loop only accepts, reads requests and writes answers: every route runs in a worker
 * of the database pool (ow-platform-pool.h) through an OwPlatformRequest
 * (ow-platform-request.c), database work, password hashing and JSON alike, so that one slow
 * query or log-in does not hold up every counter.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <sodium.h>

#include "core/ow-error.h"
#include "net/ow-json.h"
#include "platform/ow-platform-pool.h"
#include "platform/ow-platform-private.h"

#define API_PREFIX "/api/v1/"
#define MAX_USERNAME 64
#define MAX_PASSWORD 1024

G_DEFINE_FINAL_TYPE (OwPlatformServer, ow_platform_server, G_TYPE_OBJECT)

/* The request body, gathered chunk by chunk so that no more than the limit is ever held. */
typedef struct
{
  GByteArray *data;
  gsize       limit;
  gboolean    too_large;
} RequestBody;

static void
request_body_free (RequestBody *body)
{
  g_clear_pointer (&body->data, g_byte_array_unref);
  g_free (body);
}

/* Responses -------------------------------------------------------------------------------- */

void
ow_platform_respond_json (OwPlatformRequest *msg,
                          guint              status,
              JsonNode          *node)
{
  char *text = ow_json_to_canonical (node);

  ow_platform_request_set_status (msg, status);
  ow_platform_request_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
}

gboolean
ow_platform_etag_matches (const char *header,
                          const char *etag)
{
  g_auto(GStrv) tags = NULL;

  if (header == NULL)
    return FALSE;
  tags = g_strsplit (header, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }
  return FALSE;
}

void
ow_platform_respond_json_tagged (OwPlatformRequest *msg,
                                 JsonNode          *node)
{
  SoupMessageHeaders *headers = ow_platform_request_get_response_headers (msg);
  g_autofree char *text = ow_json_to_canonical (node);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  g_autofree char *etag = NULL;
  gsize length = strlen (text);

  /* The answer's own hash: whatever made it change, the tag does. */
  sum[32] = '\0';
  etag = g_strdup_printf ("\"%s\"", sum);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  if (ow_platform_etag_matches (soup_message_headers_get_one (
                                  ow_platform_request_get_request_headers (msg), "If-None-Match"),
                                etag))
    {
      ow_platform_request_set_status (msg, SOUP_STATUS_NOT_MODIFIED);
      return;
    }
  ow_platform_request_set_status (msg, SOUP_STATUS_OK);
  ow_platform_request_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

char *
ow_platform_error_body (guint       status,
                        const char *field,
                        const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *code;

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
      code = "malformed";
      break;
    case SOUP_STATUS_UNAUTHORIZED:
      code = "unauthorized";
      break;
    case SOUP_STATUS_FORBIDDEN:
      code = "forbidden";
      break;
    case SOUP_STATUS_NOT_FOUND:
      code = "not-found";
      break;
    case SOUP_STATUS_REQUEST_TIMEOUT:
      code = "timeout";
      break;
    case SOUP_STATUS_CONFLICT:
      code = "conflict";
      break;
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      code = "too-large";
      break;
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      code = "invalid";
      break;
    case 429: /* Too Many Requests: libsoup 3.2 has no name for it */
      code = "too-many";
      break;
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      code = "unavailable";
      break;
    default:
      code = "internal";
      break;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (field != NULL)
    {
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return ow_json_to_canonical (root);
}

void
ow_platform_respond_error (OwPlatformRequest *msg,
                           guint              status,
                           const char        *field,
                           const char        *message)
{
  char *text = ow_platform_error_body (status, field, message);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (ow_platform_request_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"onewindow\"");
  ow_platform_request_set_status (msg, status);
  ow_platform_request_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
}

void
ow_platform_respond_internal (OwPlatformRequest *msg,
                              const GError      *error)
{
  /* The details stay in the log; the peer learns only that it was not its fault. */
  g_warning ("%s %s: %s", ow_platform_request_get_method (msg),
             g_uri_get_path (ow_platform_request_get_uri (msg)), error->message);
  ow_platform_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL,
                             _("The platform failed to handle the request; try again later"));
}

char *
ow_platform_format_utc (gint64 unix_seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
}

/* Request helpers -------------------------------------------------------------------------- */

/* Parses the request body as a JSON object; answers 400 itself and returns NULL when it is not. */
JsonNode *
ow_platform_parse_request_json (OwPlatformRequest *msg)
{
  g_autoptr(GBytes) bytes = ow_platform_dup_request_body (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *field = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (ow_platform_request_too_large (msg))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL,
                                 _("The request body is larger than 1 MiB"));
      return NULL;
    }
  root = ow_json_parse_full (data != NULL ? data : "", (gssize) size, &field, &error);
  if (root == NULL)
    {
      /* JSON, but with a value that cannot be kept exactly (a NUL): the member is named. */
      ow_platform_respond_error (msg, g_error_matches (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID)
                                        ? SOUP_STATUS_UNPROCESSABLE_ENTITY
                                        : SOUP_STATUS_BAD_REQUEST,
                                 field, error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_BAD_REQUEST, NULL,
                                 _("The body must be a JSON object"));
      return NULL;
    }
  return g_steal_pointer (&root);
}

static char *
hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* The token of "Authorization: Bearer …" when it has the shape we issue (64 hex digits). */
static const char *
find_bearer_token (OwPlatformRequest *msg)
{
  const char *value;

  value = soup_message_headers_get_one (ow_platform_request_get_request_headers (msg),
                                        "Authorization");
  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;
  if (strlen (value) != 64)
    return NULL;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return NULL;
  return value;
}

/* The user of the request's session; answers 401 (or 500) itself and returns NULL otherwise. */
OwPlatformUser *
ow_platform_authenticate (OwPlatformServer  *self,
                          OwPlatformRequest *msg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  OwPlatformUser *user;
  const char *token = find_bearer_token (msg);

  if (token == NULL)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL,
                                 _("Log in first: the request has no valid bearer token"));
      return NULL;
    }

  hash = hash_token (token);
  user = ow_platform_db_lookup_session (ow_platform_server_db (self), hash,
                                        g_get_real_time () / G_USEC_PER_SEC,
                                        &error);
  if (error != NULL)
    {
      ow_platform_respond_internal (msg, error);
      return NULL;
    }
  if (user == NULL)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL,
                                 _("The session has expired or was ended: log in again"));
      return NULL;
    }
  return user;
}

gboolean
ow_platform_require_role (OwPlatformRequest    *msg,
                          const OwPlatformUser *user,
              const char           *role)
{
  g_autofree char *message = NULL;

  if (ow_platform_user_has_role (user, role))
    return TRUE;

  message = g_strdup_printf (_("Only users with the role “%s” may do this"), role);
  ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, NULL, message);
  return FALSE;
}

gboolean
ow_platform_require_any_role (OwPlatformRequest    *msg,
                              const OwPlatformUser *user,
                              const char * const   *roles)
{
  g_autofree char *list = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; roles[i] != NULL; i++)
    if (ow_platform_user_has_role (user, roles[i]))
      return TRUE;

  list = g_strjoinv (", ", (char **) roles);
  message = g_strdup_printf (_("Only users with one of the roles %s may do this"), list);
  ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, NULL, message);
  return FALSE;
}

gboolean
ow_platform_check_id (OwPlatformRequest *msg,
                      const char        *id,
                      const char        *field)
{
  gsize length = id != NULL ? strlen (id) : 0;

  /* Ids end up in paths, logs and the feed: a narrow alphabet keeps them harmless there. */
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      length = 0;
  if (length >= 1 && length <= 64)
    return TRUE;

  ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field,
                             _("An id is 1 to 64 letters, digits, hyphens or underscores, "
                               "such as a UUID"));
  return FALSE;
}

gboolean
ow_platform_parse_time (const char *text,
                        gint64     *unix_seconds)
{
  g_autoptr(GDateTime) when = NULL;

  /* Without a zone GLib would read local time: RFC 3339 requires one. */
  if (text == NULL || strlen (text) < 20 || strlen (text) > 40 ||
      (!g_str_has_suffix (text, "Z") && text[strlen (text) - 6] != '+' &&
       text[strlen (text) - 6] != '-'))
    return FALSE;
  if ((when = g_date_time_new_from_iso8601 (text, NULL)) == NULL)
    return FALSE;
  *unix_seconds = g_date_time_to_unix (when);
  return TRUE;
}

gboolean
ow_platform_check_not_future (OwPlatformRequest *msg,
                              gint64             unix_seconds,
                              const char        *field)
{
  g_autofree char *message = NULL;
  gint64 ahead = unix_seconds - ow_platform_now ();

  if (ahead <= OW_PLATFORM_CLOCK_SKEW)
    return TRUE;
  /* A stamp from the future is a counter's clock gone wrong (or a way to push a due date
   * out): the clerk is told to look at it, and nothing is kept. */
  if (ahead < 2 * 60 * 60)
    message = g_strdup_printf (_("“%s” is %u minutes after the platform’s clock: check the date "
                                 "and time of this computer"), field, (guint) (ahead / 60));
  else
    message = g_strdup_printf (_("“%s” is %u hours after the platform’s clock: check the date "
                                 "and time of this computer"), field, (guint) (ahead / 3600));
  ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, message);
  return FALSE;
}

gboolean
ow_platform_query_int (OwPlatformRequest *msg,
                       GHashTable        *query,
                       const char        *name,
                       gint64             min,
                       gint64             max,
                       gint64            *value)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  g_autofree char *message = NULL;
  gint64 number;

  if (text == NULL)
    return TRUE;
  if (g_ascii_string_to_signed (text, 10, min, max, &number, NULL))
    {
      *value = number;
      return TRUE;
    }
  message = g_strdup_printf (_("“%s” must be a whole number from %lld to %lld"), name,
                             (long long) min, (long long) max);
  ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, name, message);
  return FALSE;
}

const char *
ow_platform_query_string (OwPlatformRequest *msg,
                          GHashTable        *query,
                          const char        *name,
                          gboolean          *bad)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  g_autofree char *message = NULL;

  if (text == NULL || (g_utf8_validate (text, -1, NULL) && strlen (text) <= 256))
    return text;
  message = g_strdup_printf (_("“%s” must be UTF-8 text of at most 256 bytes"), name);
  ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, name, message);
  *bad = TRUE;
  return NULL;
}

void
ow_platform_respond_method_not_allowed (OwPlatformRequest *msg,
                                        const char        *allowed)
{
  g_autofree char *message = g_strdup_printf (_("This resource accepts only %s"), allowed);

  soup_message_headers_replace (ow_platform_request_get_response_headers (msg), "Allow", allowed);
  ow_platform_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, message);
}

gboolean
ow_platform_read_string (JsonObject  *object,
                         const char  *name,
                         glong        max,
                         const char **value)
{
  JsonNode *node;

  *value = NULL;
  if (!json_object_has_member (object, name))
    return TRUE;
  node = json_object_get_member (object, name);
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *value = json_node_get_string (node);
  return g_utf8_validate (*value, -1, NULL) && g_utf8_strlen (*value, -1) <= max &&
         ow_json_text_is_allowed (name, *value);
}

char *
ow_platform_client_address (OwPlatformRequest *msg)
{
  GSocketAddress *remote = ow_platform_request_get_remote_address (msg);
  GInetAddress *peer = remote != NULL && G_IS_INET_SOCKET_ADDRESS (remote)
                         ? g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote))
                         : NULL;
  const char *forwarded = soup_message_headers_get_list (
                            ow_platform_request_get_request_headers (msg), "X-Forwarded-For");

  /* Plain HTTP is only offered on loopback, so a counter elsewhere comes through a proxy. The
   * last entry is the one the proxy appended (nginx: $proxy_add_x_forwarded_for); the ones
   * before it are what the client claimed. */
  if (peer != NULL && g_inet_address_get_is_loopback (peer) && forwarded != NULL)
    {
      const char *comma = strrchr (forwarded, ',');
      g_autofree char *last = g_strstrip (g_strdup (comma != NULL ? comma + 1 : forwarded));
      g_autoptr(GInetAddress) parsed = g_inet_address_new_from_string (last);

      if (parsed != NULL)
        return g_inet_address_to_string (parsed);
    }
  return peer != NULL ? g_inet_address_to_string (peer) : g_strdup ("unknown");
}

/* Sessions --------------------------------------------------------------------------------- */

/* The user as the contract describes them, through the codec the client reads it with; the
 * password hash is not part of that view, so it can never leave. */
static JsonNode *
node_from_user (const OwPlatformUser *user)
{
  OwUser view = {
    .username = user->username,
    .display_name = user->display_name,
    .roles = user->roles,
    .hall = user->hall,
    .hall_name = user->hall_name,
    .counter = user->counter,
    .department = user->department,
  };

  return ow_json_from_user (&view);
}

static const char *
get_dummy_hash (void)
{
  static char hash[crypto_pwhash_STRBYTES];
  static gsize made = 0;

  if (g_once_init_enter (&made))
    {
      unsigned char noise[16];

      randombytes_buf (noise, sizeof noise);
      if (crypto_pwhash_str (hash, (const char *) noise, sizeof noise,
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        hash[0] = '\0';
      g_once_init_leave (&made, 1);
    }
  return hash;
}

static void
handle_login (OwPlatformServer  *self,
              OwPlatformRequest *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *address = NULL;
  const char *username, *password;
  unsigned char secret[32];
  char token[65];
  JsonObject *object;
  JsonNode *node;
  gint64 expires_at;

  if ((root = ow_platform_parse_request_json (msg)) == NULL)
    return;
  object = json_node_get_object (root);

  node = json_object_has_member (object, "username") ? json_object_get_member (object, "username")
                                                     : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      strlen (json_node_get_string (node)) > MAX_USERNAME ||
      !ow_json_text_is_allowed ("username", json_node_get_string (node)))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "username",
                                 _("The user name is missing or too long"));
      return;
    }
  username = json_node_get_string (node);

  node = json_object_has_member (object, "password") ? json_object_get_member (object, "password")
                                                     : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      strlen (json_node_get_string (node)) > MAX_PASSWORD)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "password",
                                 _("The password is missing or too long"));
      return;
    }
  password = json_node_get_string (node);

  /* Before any hashing: an attempt too soon costs the one guessing, not us. */
  address = ow_platform_client_address (msg);
  if (!ow_platform_login_limit_check (self, msg, username, address))
    return;

  user = ow_platform_db_lookup_user (ow_platform_server_db (self), username, &error);
  if (error != NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  /* An unknown name costs a verification too, so that timing does not tell names apart. */
  if (crypto_pwhash_str_verify (user != NULL ? user->password_hash : get_dummy_hash (),
                                password, strlen (password)) != 0 || user == NULL)
    {
      /* One answer for both cases, so that user names cannot be probed. */
      ow_platform_login_limit_failed (self, msg, username, address);
      return;
    }
  if (!ow_platform_login_limit_succeeded (self, user->username, address, &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  /* Said only to whoever knows the password: the counters then revoke its offline log-in. */
  if (user->disabled)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, "username",
                                 _("This account is disabled. Ask the hall's administrator"));
      return;
    }

  randombytes_buf (secret, sizeof secret);
  sodium_bin2hex (token, sizeof token, secret, sizeof secret);
  sodium_memzero (secret, sizeof secret);
  hash = hash_token (token);
  expires_at = g_get_real_time () / G_USEC_PER_SEC + self->session_seconds;
  if (!ow_platform_db_add_session (ow_platform_server_db (self), hash, user->username, expires_at,
                                   &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  expires_text = ow_platform_format_utc (expires_at);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires_text);
  json_builder_set_member_name (builder, "user");
  json_builder_add_value (builder, node_from_user (user));
  json_builder_end_object (builder);
  response = json_builder_get_root (builder);

  ow_platform_respond_json (msg, SOUP_STATUS_CREATED, response);
}

static void
handle_logout (OwPlatformServer  *self,
               OwPlatformRequest *msg)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;

  hash = hash_token (find_bearer_token (msg));
  if (!ow_platform_db_delete_session (ow_platform_server_db (self), hash, &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  ow_platform_request_set_status (msg, SOUP_STATUS_NO_CONTENT);
}

/* GET /api/v1/users?role=: the directory of the caller's hall, for everyone who works there:
 * the supervisor assigns tickets from it, and every counter names people by it (their name and
 * department, never their user name). Staff names are what the duty needs; password hashes
 * never leave node_from_user(). */
static void
handle_users (OwPlatformServer  *self,
              OwPlatformRequest *msg,
              GHashTable        *query)
{
  static const char *roles[] = { "clerk", "pickup", "supervisor", "department", "admin", NULL };
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  gboolean bad = FALSE;
  const char *role;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;
  role = ow_platform_query_string (msg, query, "role", &bad);
  if (bad)
    return;
  if (role != NULL && !g_strv_contains (roles, role))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "role",
                                 _("“role” is one of clerk, pickup, supervisor, department or "
                                   "admin"));
      return;
    }
  if ((users = ow_platform_db_list_users (ow_platform_server_db (self), user->hall, role,
                                          &error)) == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len; i++)
    json_builder_add_value (builder, node_from_user (g_ptr_array_index (users, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  response = json_builder_get_root (builder);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
}

/* Catalog and calendar --------------------------------------------------------------------- */

static void
handle_calendar (OwPlatformServer  *self,
                 OwPlatformRequest *msg,
                 GHashTable        *query)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  const char *year_text = query != NULL ? g_hash_table_lookup (query, "year") : NULL;
  gboolean published;
  int year;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;

  if (year_text == NULL || strlen (year_text) != 4 || !g_ascii_isdigit (year_text[0]) ||
      !g_ascii_isdigit (year_text[1]) || !g_ascii_isdigit (year_text[2]) ||
      !g_ascii_isdigit (year_text[3]) || year_text[0] == '0')
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "year",
                                 _("Give the year as four digits, as in ?year=2026"));
      return;
    }
  year = atoi (year_text);

  if (!ow_platform_db_is_published (ow_platform_server_db (self), year, &published, &error) ||
      (days = ow_platform_db_list_days (ow_platform_server_db (self), user->hall, year,
                                        &error)) == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "year");
  json_builder_add_int_value (builder, year);
  json_builder_set_member_name (builder, "published");
  json_builder_add_boolean_value (builder, published);
  json_builder_set_member_name (builder, "hall");
  json_builder_add_string_value (builder, user->hall);
  json_builder_set_member_name (builder, "days");
  json_builder_begin_array (builder);
  for (guint i = 0; i < days->len; i++)
    {
      const OwPlatformDay *day = g_ptr_array_index (days, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, day->date);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, day->kind);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, day->name);
      json_builder_set_member_name (builder, "local");
      json_builder_add_boolean_value (builder, day->local);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  response = json_builder_get_root (builder);

  /* Asked for again at every log-in: unchanged, it is not sent again. */
  ow_platform_respond_json_tagged (msg, response);
}

/* Routing ---------------------------------------------------------------------------------- */

/* Answers 413 before the body is read (SoupServer 3.2 would read all of it first, however large)
 * and closes the connection: the client learns at once and nothing is buffered. */
static void
refuse_too_large (SoupServerMessage *msg,
                  gsize              limit)
{
  g_autofree char *message = g_strdup_printf (_("The request body is larger than %u MiB"),
                                              (guint) (limit / (1024 * 1024)));

  ow_platform_message_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL, message);
  if (!ow_platform_connection_answer_now (msg))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                  "close");
}

/* Query parameters are names, ids, codes, times and numbers. SoupServer hands them over decoded
 * as C strings, so "state=received%00x" would arrive as "received": a control character, NUL
 * above all, is refused here from the query as sent, naming the parameter. */
static gboolean
has_control_byte (GBytes *bytes)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 0; i < size; i++)
    if (data[i] < 0x20 || data[i] == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
check_query (SoupServerMessage *msg)
{
  const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));
  g_auto(GStrv) pairs = NULL;

  if (raw == NULL)
    return TRUE;
  pairs = g_strsplit (raw, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *equals = strchr (pairs[i], '=');
      g_autofree char *name_text = g_strndup (pairs[i], equals != NULL
                                                          ? (gsize) (equals - pairs[i])
                                                          : strlen (pairs[i]));
      g_autoptr(GBytes) name = g_uri_unescape_bytes (name_text, -1, NULL, NULL);
      g_autoptr(GBytes) value = g_uri_unescape_bytes (equals != NULL ? equals + 1 : "", -1, NULL,
                                                      NULL);
      g_autofree char *field = NULL;
      g_autofree char *message = NULL;

      /* Malformed escapes are SoupServer's to judge, as before. */
      if (name == NULL || value == NULL || (!has_control_byte (name) && !has_control_byte (value)))
        continue;

      /* A name that is itself bad is not repeated back. */
      if (!has_control_byte (name))
        field = g_strndup (g_bytes_get_data (name, NULL), g_bytes_get_size (name));
      if (field != NULL && !g_utf8_validate (field, -1, NULL))
        g_clear_pointer (&field, g_free);
      if (field != NULL)
        message = g_strdup_printf (_("The query parameter “%s” holds a control character or a "
                                     "NUL"), field);
      else
        message = g_strdup (_("A query parameter’s name holds a control character or a NUL"));
      ow_platform_message_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, message);
      return FALSE;
    }
  return TRUE;
}

/* A body's length as RFC 9112 §6 allows it: one decimal number, or chunks, never both. Two
 * lengths, a negative one or both framings are how requests are smuggled past a proxy that reads
 * them differently; SoupServer 3.2 takes some of them and then waits for a body that never
 * comes. Answers 400 and closes the connection itself otherwise. */
static gboolean
check_framing (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *length = soup_message_headers_get_list (headers, "Content-Length");
  const char *coding = soup_message_headers_get_list (headers, "Transfer-Encoding");
  const char *message = NULL;

  if (length != NULL && coding != NULL)
    message = _("A request cannot have both Content-Length and Transfer-Encoding");
  else if (length != NULL)
    {
      gsize digits = strspn (length, "0123456789");

      if (digits == 0 || digits > 18 || length[digits] != '\0')
        message = _("Content-Length must be one decimal number");
    }
  if (message == NULL)
    return TRUE;

  ow_platform_message_respond_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, message);
  if (!ow_platform_connection_answer_now (msg))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                  "close");
  return FALSE;
}

static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  RequestBody *body;
  /* Scanned pages are the one kind of body allowed to be large. */
  gsize limit = g_str_has_prefix (path, API_PREFIX "files/") ? OW_PLATFORM_MAX_FILE
                                                             : OW_PLATFORM_MAX_BODY;

  if (!check_framing (msg))
    return;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) limit)
    {
      refuse_too_large (msg, limit);
      return;
    }

  /* Chunked bodies have no length up front: gather them ourselves and stop at the limit. */
  body = g_new0 (RequestBody, 1);
  body->data = g_byte_array_new ();
  body->limit = limit;
  g_object_set_data_full (G_OBJECT (msg), "ow-request-body", body,
                          (GDestroyNotify) request_body_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
}

static void
request_got_chunk_cb (SoupServerMessage *msg,
                      GBytes            *chunk,
                      gpointer           user_data)
{
  RequestBody *body = g_object_get_data (G_OBJECT (msg), "ow-request-body");
  gsize size;
  gconstpointer data = g_bytes_get_data (chunk, &size);

  if (body == NULL || body->too_large)
    return;
  if (body->data->len + size > body->limit)
    {
      /* A chunked body has no length up front: refused on the running count. Should the
       * connection not be ours, the handler answers 413 after the rest was read. */
      body->too_large = TRUE;
      g_byte_array_set_size (body->data, 0);
      refuse_too_large (msg, body->limit);
      return;
    }
  g_byte_array_append (body->data, data, (guint) size);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "got-chunk", G_CALLBACK (request_got_chunk_cb), NULL);
}

/* The request's route, in a worker of the pool (or here, without one). */
static void
route_request (OwPlatformServer  *self,
               OwPlatformRequest *msg)
{
  const char *method = ow_platform_request_get_method (msg);
  const char *route = ow_platform_request_get_path (msg) + strlen (API_PREFIX);
  GHashTable *query = ow_platform_request_get_query (msg);

  if (g_str_equal (route, "sessions"))
    {
      if (g_str_equal (method, SOUP_METHOD_POST))
        {
          if (ow_platform_request_too_large (msg))
            ow_platform_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL,
                                       _("The request body is larger than 1 MiB"));
          else
            handle_login (self, msg);
        }
      else
        ow_platform_respond_method_not_allowed (msg, "POST");
    }
  else if (g_str_equal (route, "sessions/current"))
    {
      if (g_str_equal (method, SOUP_METHOD_DELETE))
        handle_logout (self, msg);
      else
        ow_platform_respond_method_not_allowed (msg, "DELETE");
    }
  else if (g_str_has_prefix (route, "users/"))
    ow_platform_route_user (self, msg, method, route + strlen ("users/"), query);
  else if (g_str_equal (route, "users"))
    {
      if (g_str_equal (method, SOUP_METHOD_GET))
        handle_users (self, msg, query);
      else
        ow_platform_respond_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (route, "health"))
    {
      /* What a counter probes while idle to tell an outage: no session, no database. */
      if (g_str_equal (method, SOUP_METHOD_GET))
        ow_platform_request_set_status (msg, SOUP_STATUS_NO_CONTENT);
      else
        ow_platform_respond_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (route, "calendar"))
    {
      if (g_str_equal (method, SOUP_METHOD_GET))
        handle_calendar (self, msg, query);
      else
        ow_platform_respond_method_not_allowed (msg, "GET");
    }
  else
    {
      static const struct
      {
        const char *name;
        void      (*route) (OwPlatformServer *, OwPlatformRequest *, const char *, const char *,
                            GHashTable *);
      } resources[] = {
        { "catalog", ow_platform_route_catalog },
        { "cases", ow_platform_route_cases },
        { "files", ow_platform_route_files },
        { "changes", ow_platform_route_changes },
        { "tickets", ow_platform_route_tickets },
        { "ratings", ow_platform_route_ratings },
        { "statistics", ow_platform_route_statistics },
      };

      for (guint i = 0; i < G_N_ELEMENTS (resources); i++)
        {
          gsize length = strlen (resources[i].name);

          if (strncmp (route, resources[i].name, length) == 0 &&
              (route[length] == '\0' || route[length] == '/'))
            {
              resources[i].route (self, msg, method, route + length, query);
              return;
            }
        }
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
    }
}


static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  OwPlatformServer *self = OW_PLATFORM_SERVER (user_data);
  RequestBody *body = g_object_get_data (G_OBJECT (msg), "ow-request-body");
  g_autoptr(GBytes) bytes = NULL;

  g_debug ("%s %s", soup_server_message_get_method (msg), path);

  if (!g_utf8_validate (path, -1, NULL) || !g_str_has_prefix (path, API_PREFIX))
    {
      ow_platform_message_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                         _("There is no such resource"));
      return;
    }
  if (!check_query (msg))
    return;

  if (body != NULL && !body->too_large)
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&body->data));
  /* Nothing below reads the database or blocks: the route runs in a worker. */
  ow_platform_request_run (ow_platform_request_new (self, msg, path, query, bytes,
                                                    body != NULL && body->too_large),
                           route_request);
}

/* Object ----------------------------------------------------------------------------------- */

static void
ow_platform_server_dispose (GObject *object)
{
  OwPlatformServer *self = OW_PLATFORM_SERVER (object);

  g_clear_handle_id (&self->backoffice_id, g_source_remove);
  g_clear_handle_id (&self->escalation_id, g_source_remove);
  /* Whatever is still answered from here on closes its connection. */
  if (self->connections != NULL)
    ow_platform_connections_stop (self->connections);
  ow_platform_changes_stop_watch (self);
  /* The requests under way are answered (those still waiting for a handle 503), then the long
   * polls. */
  g_clear_pointer (&self->pool, ow_platform_pool_free);
  if (self->waiters != NULL)
    ow_platform_changes_answer_all (self);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_pointer (&self->connections, ow_platform_connections_free);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (ow_platform_server_parent_class)->dispose (object);
}

static void
ow_platform_server_finalize (GObject *object)
{
  OwPlatformServer *self = OW_PLATFORM_SERVER (object);

  g_clear_pointer (&self->main_db, ow_platform_db_free);
  g_clear_pointer (&self->login_limit, ow_platform_login_limit_free);
  g_clear_pointer (&self->waiters, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->db_target);
  g_clear_pointer (&self->carriers, g_ptr_array_unref);

  G_OBJECT_CLASS (ow_platform_server_parent_class)->finalize (object);
}

static void
ow_platform_server_class_init (OwPlatformServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_platform_server_dispose;
  object_class->finalize = ow_platform_server_finalize;
}

static void
ow_platform_server_init (OwPlatformServer *self)
{
  self->login_limit = ow_platform_login_limit_new ();
  self->session_seconds = OW_PLATFORM_SESSION_SECONDS;
  self->idle_timeout = -1;
  /* Values are freed by ow-platform-changes.c, which knows them. */
  self->waiters = g_hash_table_new (NULL, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "onewindow-platform/" PACKAGE_VERSION " ",
                                  NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_early_handler (self->server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
}

/* Public API ------------------------------------------------------------------------------- */

OwPlatformServer *
ow_platform_server_new (OwPlatformDb *db)
{
  OwPlatformServer *self;

  g_return_val_if_fail (db != NULL, NULL);

  self = g_object_new (OW_TYPE_PLATFORM_SERVER, NULL);
  self->main_db = db;
  return self;
}

void
ow_platform_server_set_database_pool (OwPlatformServer *self,
                                      const char       *target,
                                      guint             handles,
                                      guint             wait_ms,
                                      guint             max_queued)
{
  g_return_if_fail (OW_IS_PLATFORM_SERVER (self));
  g_return_if_fail (self->pool == NULL && self->connections == NULL);

  g_free (self->db_target);
  self->db_target = g_strdup (target);
  self->db_handles = handles;
  self->db_wait_ms = wait_ms;
  self->db_max_queued = max_queued;
}

OwPlatformDb *
ow_platform_server_db (OwPlatformServer *self)
{
  OwPlatformDb *db = ow_platform_pool_thread_db ();

  return db != NULL ? db : self->main_db;
}

gboolean
ow_platform_server_has_pool (OwPlatformServer *self)
{
  return self->pool != NULL;
}

gboolean
ow_platform_server_run_job (OwPlatformServer  *self,
                            void             (*func) (OwPlatformDb *, gpointer),
                            void             (*done) (gpointer, gboolean),
                            gpointer           data)
{
  if (self->pool == NULL)
    return FALSE;
  ow_platform_pool_push (self->pool, OW_PLATFORM_POOL_BACKGROUND, func, done, data);
  return TRUE;
}

gboolean
ow_platform_server_run_request (OwPlatformServer  *self,
                                void             (*func) (OwPlatformDb *, gpointer),
                                void             (*done) (gpointer, gboolean),
                                gpointer           data)
{
  if (self->pool == NULL)
    return FALSE;
  ow_platform_pool_push (self->pool, OW_PLATFORM_POOL_REQUEST, func, done, data);
  return TRUE;
}

guint
ow_platform_server_retry_after (OwPlatformServer *self)
{
  return self->pool != NULL ? ow_platform_pool_retry_after (self->pool) : 1;
}

gboolean
ow_platform_server_listen (OwPlatformServer    *self,
                           GInetSocketAddress  *address,
                           gboolean             share_port,
                           GError             **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (OW_IS_PLATFORM_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), FALSE);

  text = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  if (!g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)))
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_LISTEN,
                   _("%s is not a loopback address: this platform speaks plain HTTP, which may "
                     "only be offered on loopback (use 127.0.0.1)"), text);
      return FALSE;
    }

  g_return_val_if_fail (self->connections == NULL, FALSE);
  if (self->db_target != NULL && self->db_handles > 0 && self->pool == NULL)
    {
      /* By default the queue for a handle holds what the handles serve in the wait allowed, a
       * thousand a second each at most; more would only wait to be told to come back. */
      guint max_queued = self->db_max_queued > 0 ? self->db_max_queued
                                                 : MAX (self->db_handles * self->db_wait_ms, 64);

      self->pool = ow_platform_pool_new (self->db_target, self->db_handles, self->db_wait_ms,
                                         max_queued, error);
      if (self->pool == NULL)
        return FALSE;
      ow_platform_pool_set_changed_func (self->pool, ow_platform_changes_wake, self);
    }
  if (!ow_platform_changes_start_watch (self, error))
    return FALSE;
  self->connections = ow_platform_connections_new (self->server, self->max_connections,
                                                   self->request_timeout, self->idle_timeout);
  if (!ow_platform_connections_listen (self->connections, address, share_port, error))
    {
      g_clear_pointer (&self->connections, ow_platform_connections_free);
      return FALSE;
    }
  return TRUE;
}

char *
ow_platform_server_dup_uri (OwPlatformServer *self)
{
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (OW_IS_PLATFORM_SERVER (self), NULL);

  if (self->connections == NULL ||
      (address = ow_platform_connections_get_address (self->connections)) == NULL)
    return NULL;
  host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("http://[%s]:%u/", host, g_inet_socket_address_get_port (address));
  return g_strdup_printf ("http://%s:%u/", host, g_inet_socket_address_get_port (address));
}

void
ow_platform_server_set_session_seconds (OwPlatformServer *self,
                                        guint             seconds)
{
  g_return_if_fail (OW_IS_PLATFORM_SERVER (self));
  g_return_if_fail (seconds > 0);

  self->session_seconds = seconds;
}

void
ow_platform_server_set_connection_limits (OwPlatformServer *self,
                                          guint             max_connections,
                                          guint             request_timeout,
                                          gint              idle_timeout)
{
  g_return_if_fail (OW_IS_PLATFORM_SERVER (self));
  g_return_if_fail (self->connections == NULL);

  self->max_connections = max_connections;
  self->request_timeout = request_timeout;
  self->idle_timeout = idle_timeout;
}
