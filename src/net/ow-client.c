/* ow-client.c — the REST client of the platform contract v1 (libsoup 3 + json-glib)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "net/ow-client.h"
#include "net/ow-client-private.h"
#include "net/ow-json.h"
#include "net/ow-tls-database.h"

#define USER_AGENT      "OneWindow/0.1"
#define TIMEOUT_SECONDS 30

struct _OwClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_uri;   /* without a trailing slash: paths start with one */
  char        *token;
  OwUser      *user;
};

G_DEFINE_TYPE (OwClient, ow_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URI,
  PROP_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ANSWERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the error domain, which carries the platform's field and the HTTP status ----------- */

typedef struct
{
  char  *field;
  guint  status;
  guint  retry_after;
} OwPlatformErrorPrivate;

static void
ow_platform_error_private_init (OwPlatformErrorPrivate *priv)
{
}

static void
ow_platform_error_private_copy (const OwPlatformErrorPrivate *src,
                                OwPlatformErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
  dest->status = src->status;
  dest->retry_after = src->retry_after;
}

static void
ow_platform_error_private_clear (OwPlatformErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (OwPlatformError, ow_platform_error)

const char *
ow_platform_error_get_field (const GError *error)
{
  if (error == NULL || error->domain != OW_PLATFORM_ERROR)
    return NULL;
  return ow_platform_error_get_private (error)->field;
}

guint
ow_platform_error_get_status (const GError *error)
{
  if (error == NULL || error->domain != OW_PLATFORM_ERROR)
    return 0;
  return ow_platform_error_get_private (error)->status;
}

guint
ow_platform_error_get_retry_after (const GError *error)
{
  if (error == NULL || error->domain != OW_PLATFORM_ERROR)
    return 0;
  return ow_platform_error_get_private (error)->retry_after;
}

gboolean
ow_platform_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != OW_PLATFORM_ERROR)
    return FALSE;
  return error->code == OW_PLATFORM_ERROR_UNREACHABLE || error->code == OW_PLATFORM_ERROR_SERVER;
}

/* ---- helpers ---------------------------------------------------------------------------- */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static void
set_platform_error (GError     **error,
                    OwPlatformError code,
                    guint        status,
                    const char  *field,
                    const char  *format,
                    ...) G_GNUC_PRINTF (5, 6);

static void
set_platform_error (GError     **error,
                    OwPlatformError code,
                    guint        status,
                    const char  *field,
                    const char  *format,
                    ...)
{
  GError *new_error;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  new_error = g_error_new_valist (OW_PLATFORM_ERROR, code, format, args);
  va_end (args);

  ow_platform_error_get_private (new_error)->field = g_strdup (field);
  ow_platform_error_get_private (new_error)->status = status;
  g_propagate_error (error, new_error);
}

/* Turns a transport failure into what the clerk needs to know; a cancellation stays one. */
static GError *
map_transport_error (OwClient *self,
                     GError   *error)
{
  GError *mapped = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (error->domain == G_TLS_ERROR)
    set_platform_error (&mapped, OW_PLATFORM_ERROR_INSECURE, 0, NULL,
                        _("The connection to the platform %s is not secure: %s. Ask technical "
                          "support to check the platform's certificate."),
                        self->base_uri, error->message);
  else
    set_platform_error (&mapped, OW_PLATFORM_ERROR_UNREACHABLE, 0, NULL,
                        _("The platform %s cannot be reached: %s. Work goes on offline and is "
                          "sent later."),
                        self->base_uri, error->message);
  g_error_free (error);
  return mapped;
}

/* Whether @msg's answer declares JSON (any charset parameter aside). */
static gboolean
message_has_json (SoupMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                            NULL);

  return type != NULL && g_ascii_strcasecmp (type, "application/json") == 0;
}

/* Parses the answer of @msg as a JSON object, after checking that it says it is JSON. */
static JsonNode *
parse_json_object (OwClient     *self,
                   SoupMessage  *msg,
                   GBytes       *body,
                   GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize size = 0;
  JsonNode *root;

  if (!message_has_json (msg))
    {
      const char *type = soup_message_headers_get_content_type (
          soup_message_get_response_headers (msg), NULL);

      set_platform_error (error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg), NULL,
                          _("The platform %s answered with “%s” instead of JSON. Check the "
                            "platform address in Preferences."),
                          self->base_uri, type != NULL ? type : _("no content type"));
      return NULL;
    }

  data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data != NULL ? data : "", size, &local_error))
    {
      set_platform_error (error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg), NULL,
                          _("The platform %s sent an answer that is not valid JSON: %s"),
                          self->base_uri, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_platform_error (error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg), NULL,
                          _("The platform %s sent an answer that is not a JSON object"),
                          self->base_uri);
      return NULL;
    }
  return json_node_copy (root);
}

static const char *
object_get_string (JsonObject *object,
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

static JsonObject *
object_get_object (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
object_get_array (JsonObject *object,
                  const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
object_get_int (JsonObject *object,
                const char *member,
                gint64     *value)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
object_get_bool (JsonObject *object,
                 const char *member,
                 gboolean   *value)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* The error for a status outside 2xx, with the platform's own message and field when it sent
 * the contract's error object. */
static void
set_status_error (OwClient     *self,
                  SoupMessage  *msg,
                  GBytes       *body,
                  GError      **error)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonNode) root = NULL;
  const char *message = NULL;
  const char *field = NULL;
  OwPlatformError code;
  const char *fallback;

  if (message_has_json (msg))
    root = parse_json_object (self, msg, body, NULL);
  if (root != NULL)
    {
      JsonObject *detail = object_get_object (json_node_get_object (root), "error");

      message = object_get_string (detail, "message");
      field = object_get_string (detail, "field");
    }

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
      code = OW_PLATFORM_ERROR_BAD_REQUEST;
      fallback = _("The platform could not read the request");
      break;
    case SOUP_STATUS_UNAUTHORIZED:
      code = OW_PLATFORM_ERROR_UNAUTHORIZED;
      fallback = _("The session has ended. Log in again");
      break;
    case SOUP_STATUS_FORBIDDEN:
      code = OW_PLATFORM_ERROR_FORBIDDEN;
      fallback = _("Your account may not do this. Ask the hall supervisor for the role");
      break;
    case SOUP_STATUS_NOT_FOUND:
      code = OW_PLATFORM_ERROR_NOT_FOUND;
      fallback = _("The platform does not know this record");
      break;
    case SOUP_STATUS_CONFLICT:
      code = OW_PLATFORM_ERROR_CONFLICT;
      fallback = _("The platform already holds this record with other content");
      break;
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      code = OW_PLATFORM_ERROR_TOO_LARGE;
      fallback = _("The platform refused the data as too large");
      break;
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      code = OW_PLATFORM_ERROR_INVALID;
      fallback = _("The platform refused a value as invalid");
      break;
    case SOUP_STATUS_REQUEST_TIMEOUT:
      /* The platform gave up waiting for us: like no answer, worth retrying. */
      code = OW_PLATFORM_ERROR_UNREACHABLE;
      fallback = _("The platform timed out waiting for the request");
      break;
    case 429: /* Too Many Requests: libsoup 3.2 has no name for it */
      code = OW_PLATFORM_ERROR_SERVER;
      fallback = _("The platform is busy; the request is sent again later");
      break;
    default:
      if (status >= 500 && status < 600)
        {
          code = OW_PLATFORM_ERROR_SERVER;
          fallback = _("The platform had an internal problem; the request is sent again later");
        }
      else if (status >= 400 && status < 500)
        {
          code = OW_PLATFORM_ERROR_BAD_REQUEST;
          fallback = _("The platform refused the request");
        }
      else
        {
          code = OW_PLATFORM_ERROR_MALFORMED;
          fallback = _("The platform gave an answer the contract does not allow");
        }
      break;
    }

  if (message != NULL && field != NULL)
    set_platform_error (error, code, status, field, "%s (%s, HTTP %u)", message, field, status);
  else if (message != NULL)
    set_platform_error (error, code, status, field, "%s (HTTP %u)", message, status);
  else
    set_platform_error (error, code, status, field, "%s (HTTP %u %s)", fallback, status,
                        soup_status_get_phrase (status));
  if (error != NULL && *error != NULL &&
      (status == 429 || status == SOUP_STATUS_SERVICE_UNAVAILABLE))
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
      /* Delay-seconds only: a date (the other form) is not what the platform sends. */
      const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");
      char *end = NULL;
      guint64 seconds = retry_after != NULL ? g_ascii_strtoull (retry_after, &end, 10) : 0;

      if (retry_after != NULL && end != retry_after && *end == '\0')
        ow_platform_error_get_private (*error)->retry_after = (guint) MIN (seconds, 3600);
    }
}

/* ---- requests --------------------------------------------------------------------------- */

/* Called on the answer of a request with a 2xx status (or 304 when the request allowed it);
 * returns the result on @task. */
typedef void (*ResponseHandler) (OwClient    *self,
                                 GTask       *task,
                                 SoupMessage *msg,
                                 GBytes      *body);

typedef struct
{
  SoupMessage     *msg;
  ResponseHandler  handler;
  gboolean         allow_304;
  gpointer         data;           /* for the handler */
  GDestroyNotify   data_free;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->msg);
  if (request->data_free != NULL)
    request->data_free (request->data);
  g_free (request);
}

static void
request_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwClient *self = g_task_get_source_object (task);
  Request *request = g_object_get_data (G_OBJECT (task), "ow-request");
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[ANSWERED], 0, FALSE);
      g_task_return_error (task, map_transport_error (self, error));
      return;
    }

  status = soup_message_get_status (request->msg);
  g_signal_emit (self, signals[ANSWERED], 0, TRUE);
  if (SOUP_STATUS_IS_SUCCESSFUL (status)
      || (request->allow_304 && status == SOUP_STATUS_NOT_MODIFIED))
    {
      request->handler (self, task, request->msg, body);
      return;
    }

  set_status_error (self, request->msg, body, &error);
  g_task_return_error (task, error);
}

/* Starts @method @path on @task, whose result @handler will return. Fails @task at once when
 * the URI cannot be made. */
static Request *
start_request (OwClient        *self,
               GTask           *task,
               const char      *method,
               const char      *path,
               const char      *content_type,
               GBytes          *body,
               ResponseHandler  handler)
{
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) parsed = NULL;
  Request *request;

  g_assert (path != NULL && path[0] == '/');

  uri = g_strconcat (self->base_uri, path, NULL);
  parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, &error);
  if (parsed == NULL)
    {
      GError *mapped = NULL;

      set_platform_error (&mapped, OW_PLATFORM_ERROR_MALFORMED, 0, NULL,
                          _("Cannot make a request to “%s”: %s"), uri, error->message);
      g_task_return_error (task, mapped);
      return NULL;
    }

  request = g_new0 (Request, 1);
  request->msg = soup_message_new_from_uri (method, parsed);
  request->handler = handler;
  g_object_set_data_full (G_OBJECT (task), "ow-request", request, (GDestroyNotify) request_free);

  if (self->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (request->msg),
                                    "Authorization", bearer);
    }
  soup_message_headers_replace (soup_message_get_request_headers (request->msg),
                                "Accept", "application/json");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (request->msg,
                                              content_type != NULL ? content_type
                                                                   : "application/octet-stream",
                                              body);
  return request;
}

/* A conditional GET: with the @etag of the copy kept, "304 Not Modified" is an answer. */
static void
request_if_none_match (Request    *request,
                       const char *etag)
{
  request->allow_304 = etag != NULL;
  if (etag != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (request->msg),
                                  "If-None-Match", etag);
}

static void
send_request (OwClient *self,
              GTask    *task,
              Request  *request)
{
  soup_session_send_and_read_async (self->session, request->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), request_sent_cb,
                                    g_object_ref (task));
}

static GBytes *
json_body (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
ow_client_dispose (GObject *object)
{
  OwClient *self = OW_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ow_client_parent_class)->dispose (object);
}

static void
ow_client_finalize (GObject *object)
{
  OwClient *self = OW_CLIENT (object);

  g_free (self->base_uri);
  g_free (self->token);
  g_clear_pointer (&self->user, ow_user_free);

  G_OBJECT_CLASS (ow_client_parent_class)->finalize (object);
}

static void
ow_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  OwClient *self = OW_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URI:
      g_value_set_string (value, self->base_uri);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  OwClient *self = OW_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      ow_client_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_client_class_init (OwClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_client_dispose;
  object_class->finalize = ow_client_finalize;
  object_class->get_property = ow_client_get_property;
  object_class->set_property = ow_client_set_property;

  properties[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The bearer token: the sync engine watches it to resume after a new log-in. */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OwClient::answered:
   * @client: the client
   * @reached: TRUE when the platform answered (any HTTP status), FALSE when a request got no
   *   answer at all (refused, unreachable, timed out; not when cancelled)
   *
   * Emitted after each request, on the main context: what tells an outage from the network
   * being fine without asking anything more (OwLink).
   */
  signals[ANSWERED] =
    g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
ow_client_init (OwClient *self)
{
  /* The changes feed holds one connection in a long poll; the outbox and the window's own
   * requests must not queue behind it (libsoup allows 2 per host by default). */
  self->session = soup_session_new_with_options ("timeout", TIMEOUT_SECONDS,
                                                 "user-agent", USER_AGENT,
                                                 "max-conns-per-host", 6,
                                                 NULL);
}

/* ---- public API ------------------------------------------------------------------------- */

OwClient *
ow_client_new (const char  *base_uri,
               const char  *ca_file,
               GError     **error)
{
  g_autoptr(OwClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  gsize length;

  g_return_val_if_fail (base_uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = g_uri_parse (base_uri, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      set_platform_error (error, OW_PLATFORM_ERROR_MALFORMED, 0, NULL,
                          _("“%s” is not a platform address: %s"), base_uri, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      set_platform_error (error, OW_PLATFORM_ERROR_MALFORMED, 0, NULL,
                          _("“%s” is not a platform address: it must start with https://"),
                          base_uri);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      set_platform_error (error, OW_PLATFORM_ERROR_MALFORMED, 0, NULL,
                          _("“%s” is not a platform address: it names no host"), base_uri);
      return NULL;
    }
  /* Tokens and personal data must not cross a network in clear; loopback never leaves the
   * machine, which is what the demo and the tests use. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (g_uri_get_host (uri)))
    {
      set_platform_error (error, OW_PLATFORM_ERROR_INSECURE, 0, NULL,
                          _("The platform address %s uses plain HTTP to another machine. Use an "
                            "https:// address."), base_uri);
      return NULL;
    }

  self = g_object_new (OW_TYPE_CLIENT, NULL);

  if (ca_file != NULL)
    {
      /* The file's anchors in addition to the system's, not instead of them. */
      g_autoptr(GTlsDatabase) database = ow_tls_database_new (ca_file, &local_error);

      if (database == NULL)
        {
          set_platform_error (error, OW_PLATFORM_ERROR_INSECURE, 0, NULL,
                              _("Cannot use the certificate file %s: %s"),
                              ca_file, local_error->message);
          return NULL;
        }
      soup_session_set_tls_database (self->session, database);
    }

  self->base_uri = g_strdup (base_uri);
  length = strlen (self->base_uri);
  while (length > 0 && self->base_uri[length - 1] == '/')
    self->base_uri[--length] = '\0';

  return g_steal_pointer (&self);
}

const char *
ow_client_get_base_uri (OwClient *self)
{
  g_return_val_if_fail (OW_IS_CLIENT (self), NULL);
  return self->base_uri;
}

const char *
ow_client_get_token (OwClient *self)
{
  g_return_val_if_fail (OW_IS_CLIENT (self), NULL);
  return self->token;
}

void
ow_client_set_token (OwClient   *self,
                     const char *token)
{
  g_return_if_fail (OW_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  if (token == NULL)
    g_clear_pointer (&self->user, ow_user_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

const OwUser *
ow_client_get_user (OwClient *self)
{
  g_return_val_if_fail (OW_IS_CLIENT (self), NULL);
  return self->user;
}

/* ---- log-in ----------------------------------------------------------------------------- */

/* The codec reads the user (ow_json_to_user, shared with the platform); NULL when it cannot. */
static OwUser *
user_from_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(GError) error = NULL;
  OwUser *user = ow_json_to_user (node, NULL, &error);

  if (user == NULL)
    {
      g_message ("The platform sent a user this program cannot read: %s", error->message);
      return NULL;
    }
  /* A case number has two digits for its counter: a larger number cannot make one, so such a
   * user has no counter here. */
  if (user->counter > 99)
    user->counter = 0;
  return user;
}

static void
login_response (OwClient    *self,
                GTask       *task,
                SoupMessage *msg,
                GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  JsonObject *object;
  JsonObject *user_object;
  const char *token;
  OwUser *user;

  root = parse_json_object (self, msg, body, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  object = json_node_get_object (root);
  token = object_get_string (object, "token");
  user_object = object_get_object (object, "user");
  user = user_object != NULL ? user_from_json (user_object) : NULL;
  if (token == NULL || *token == '\0' || user == NULL)
    {
      set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                          token == NULL ? "token" : "user",
                          _("The platform's answer to the log-in lacks the token or the user"));
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&self->user, ow_user_free);
  self->user = user;
  /* Set after the user, so that whoever watches the token sees the new user too. */
  ow_client_set_token (self, token);
  g_task_return_boolean (task, TRUE);
}

void
ow_client_login_async (OwClient            *self,
                       const char          *username,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) body = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_login_async);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  body = json_body (node);

  request = start_request (self, task, "POST", "/api/v1/sessions", "application/json", body,
                           login_response);
  if (request != NULL)
    send_request (self, task, request);
}

gboolean
ow_client_login_finish (OwClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_login_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- catalog ---------------------------------------------------------------------------- */

typedef struct
{
  OwCatalog *catalog;
  char      *etag;
} CatalogResult;

static void
catalog_result_free (CatalogResult *result)
{
  g_clear_object (&result->catalog);
  g_free (result->etag);
  g_free (result);
}

static void
catalog_response (OwClient    *self,
                  GTask       *task,
                  SoupMessage *msg,
                  GBytes      *body)
{
  CatalogResult *result = g_new0 (CatalogResult, 1);
  const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "ETag");
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  result->etag = g_strdup (etag);
  if (soup_message_get_status (msg) == SOUP_STATUS_NOT_MODIFIED)
    {
      if (result->etag == NULL)
        result->etag = g_strdup (g_object_get_data (G_OBJECT (task), "ow-etag"));
      g_task_return_pointer (task, result, (GDestroyNotify) catalog_result_free);
      return;
    }

  root = parse_json_object (self, msg, body, &error);
  if (root != NULL)
    {
      g_autoptr(GError) codec_error = NULL;

      result->catalog = ow_json_to_catalog (root, &codec_error);
      if (result->catalog == NULL)
        set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                            NULL, _("The platform sent a catalog this program cannot read: %s"),
                            codec_error->message);
    }
  if (error != NULL)
    {
      catalog_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) catalog_result_free);
}

void
ow_client_get_catalog_async (OwClient            *self,
                             const char          *etag,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_get_catalog_async);
  g_object_set_data_full (G_OBJECT (task), "ow-etag", g_strdup (etag), g_free);

  request = start_request (self, task, "GET", "/api/v1/catalog", NULL, NULL, catalog_response);
  if (request == NULL)
    return;
  request_if_none_match (request, etag);
  send_request (self, task, request);
}

OwCatalog *
ow_client_get_catalog_finish (OwClient      *self,
                              GAsyncResult  *result,
                              char         **new_etag,
                              GError       **error)
{
  CatalogResult *catalog_result;
  OwCatalog *catalog;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_get_catalog_async,
                        NULL);

  if (new_etag != NULL)
    *new_etag = NULL;
  catalog_result = g_task_propagate_pointer (G_TASK (result), error);
  if (catalog_result == NULL)
    return NULL;
  if (new_etag != NULL)
    *new_etag = g_steal_pointer (&catalog_result->etag);
  catalog = g_steal_pointer (&catalog_result->catalog);
  catalog_result_free (catalog_result);
  return catalog;
}

/* ---- calendar --------------------------------------------------------------------------- */

typedef struct
{
  char     *national;
  char     *local;
  gboolean  published;
  gboolean  changed;
  char     *etag;
} CalendarResult;

static void
calendar_result_free (CalendarResult *result)
{
  g_free (result->national);
  g_free (result->local);
  g_free (result->etag);
  g_free (result);
}

static void
calendar_response (OwClient    *self,
                   GTask       *task,
                   SoupMessage *msg,
                   GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) national = g_string_new (NULL);
  g_autoptr(GString) local = g_string_new (NULL);
  CalendarResult *result;
  GError *error = NULL;
  JsonObject *object;
  JsonArray *days;
  gboolean published = FALSE;
  const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "ETag");

  if (soup_message_get_status (msg) == SOUP_STATUS_NOT_MODIFIED)
    {
      result = g_new0 (CalendarResult, 1);
      result->etag = g_strdup (etag != NULL ? etag
                                            : g_object_get_data (G_OBJECT (task), "ow-etag"));
      g_task_return_pointer (task, result, (GDestroyNotify) calendar_result_free);
      return;
    }

  root = parse_json_object (self, msg, body, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  object = json_node_get_object (root);
  days = object_get_array (object, "days");
  if (days == NULL || !object_get_bool (object, "published", &published))
    {
      set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                          days == NULL ? "days" : "published",
                          _("The platform sent a calendar without its days"));
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      JsonNode *node = json_array_get_element (days, i);
      JsonObject *day = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *date = object_get_string (day, "date");
      const char *kind = object_get_string (day, "kind");
      const char *name = object_get_string (day, "name");
      gboolean is_local = FALSE;

      /* Text that would break the TSV lines is refused, not passed on. */
      if (date == NULL || kind == NULL || strpbrk (date, "\t\n") != NULL
          || (g_strcmp0 (kind, "off") != 0 && g_strcmp0 (kind, "work") != 0)
          || (name != NULL && strpbrk (name, "\t\n") != NULL))
        {
          g_autofree char *field = g_strdup_printf ("days[%u]", i);

          set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                              field, _("The platform sent a calendar day this program cannot "
                                       "read"));
          g_task_return_error (task, error);
          return;
        }
      object_get_bool (day, "local", &is_local);
      g_string_append_printf (is_local ? local : national, "%s\t%s\t%s\n",
                              date, kind, name != NULL ? name : "");
    }

  result = g_new0 (CalendarResult, 1);
  result->national = g_string_free (g_steal_pointer (&national), FALSE);
  result->local = g_string_free (g_steal_pointer (&local), FALSE);
  result->published = published;
  result->changed = TRUE;
  result->etag = g_strdup (etag);
  g_task_return_pointer (task, result, (GDestroyNotify) calendar_result_free);
}

void
ow_client_get_calendar_async (OwClient            *self,
                              int                  year,
                              const char          *etag,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_get_calendar_async);
  g_object_set_data_full (G_OBJECT (task), "ow-etag", g_strdup (etag), g_free);

  path = g_strdup_printf ("/api/v1/calendar?year=%d", year);
  request = start_request (self, task, "GET", path, NULL, NULL, calendar_response);
  if (request == NULL)
    return;
  request_if_none_match (request, etag);
  send_request (self, task, request);
}

gboolean
ow_client_get_calendar_finish (OwClient      *self,
                               GAsyncResult  *result,
                               char         **national_tsv,
                               char         **local_tsv,
                               gboolean      *published,
                               char         **new_etag,
                               GError       **error)
{
  CalendarResult *calendar;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_get_calendar_async,
                        FALSE);

  calendar = g_task_propagate_pointer (G_TASK (result), error);
  if (calendar == NULL)
    return FALSE;
  if (national_tsv != NULL)
    *national_tsv = g_steal_pointer (&calendar->national);
  if (local_tsv != NULL)
    *local_tsv = g_steal_pointer (&calendar->local);
  if (published != NULL && calendar->changed)
    *published = calendar->published;
  if (new_etag != NULL)
    *new_etag = g_steal_pointer (&calendar->etag);
  calendar_result_free (calendar);
  return TRUE;
}

/* ---- cases ------------------------------------------------------------------------------ */

static void
case_response (OwClient    *self,
               GTask       *task,
               SoupMessage *msg,
               GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) codec_error = NULL;
  g_autofree char *field = NULL;
  GError *error = NULL;
  OwCase *kase;

  root = parse_json_object (self, msg, body, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  kase = ow_json_to_case (root, &field, &codec_error);
  if (kase == NULL)
    {
      set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                          field, _("The platform sent a case this program cannot read: %s"),
                          codec_error->message);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, kase, g_object_unref);
}

void
ow_client_get_case_async (OwClient            *self,
                          const char          *case_no,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (case_no != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_get_case_async);

  escaped = g_uri_escape_string (case_no, NULL, FALSE);
  path = g_strconcat ("/api/v1/cases/", escaped, NULL);
  request = start_request (self, task, "GET", path, NULL, NULL, case_response);
  if (request != NULL)
    send_request (self, task, request);
}

OwCase *
ow_client_get_case_finish (OwClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_get_case_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_case_page_free (OwCasePage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->cases, g_ptr_array_unref);
  g_free (page->next);
  g_free (page);
}

static GPtrArray *read_list (SoupMessage  *msg,
                             JsonNode     *root,
                             const char   *member,
                             gpointer    (*decode) (JsonNode *, char **, GError **),
                             GDestroyNotify free_func,
                             GError      **error);
static void       list_response (GTask       *task,
                                 SoupMessage *msg,
                                 JsonNode    *root,
                                 const char  *member,
                                 gpointer   (*decode) (JsonNode *, char **, GError **),
                                 GDestroyNotify free_func);

static gpointer
decode_case (JsonNode  *node,
             char     **field,
             GError   **error)
{
  return ow_json_to_case (node, field, error);
}

static void
cases_response (OwClient    *self,
                GTask       *task,
                SoupMessage *msg,
                GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(OwCasePage) page = g_new0 (OwCasePage, 1);
  JsonObject *object;
  GError *error = NULL;

  if ((root = parse_json_object (self, msg, body, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  object = json_node_get_object (root);
  if (json_object_has_member (object, "next") && !json_object_get_null_member (object, "next"))
    {
      JsonNode *next = json_object_get_member (object, "next");

      if (!JSON_NODE_HOLDS_VALUE (next) || json_node_get_value_type (next) != G_TYPE_STRING)
        {
          set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                              "next", _("The platform’s answer has a page cursor this program "
                                        "cannot read"));
          g_task_return_error (task, error);
          return;
        }
      page->next = g_strdup (json_node_get_string (next));
    }

  page->total = -1;
  if (json_object_has_member (object, "total") &&
      json_node_get_value_type (json_object_get_member (object, "total")) == G_TYPE_INT64)
    page->total = json_object_get_int_member (object, "total");

  page->cases = read_list (msg, root, "cases", decode_case, g_object_unref, &error);
  if (page->cases == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) ow_case_page_free);
}

void
ow_client_list_cases_async (OwClient            *self,
                            const char * const  *params,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) path = g_string_new ("/api/v1/cases");
  char separator = '?';
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_list_cases_async);
  for (guint i = 0; params != NULL && params[i] != NULL; i += 2)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (params[i + 1] == NULL)
        continue;
      name = g_uri_escape_string (params[i], NULL, FALSE);
      value = g_uri_escape_string (params[i + 1], NULL, FALSE);
      g_string_append_printf (path, "%c%s=%s", separator, name, value);
      separator = '&';
    }
  request = start_request (self, task, "GET", path->str, NULL, NULL, cases_response);
  if (request != NULL)
    send_request (self, task, request);
}

OwCasePage *
ow_client_list_cases_finish (OwClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_list_cases_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
decode_case_event (JsonNode  *node,
                   char     **field,
                   GError   **error)
{
  return ow_json_to_case_event (node, field, error);
}

static void
case_events_response (OwClient    *self,
                      GTask       *task,
                      SoupMessage *msg,
                      GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  if ((root = parse_json_object (self, msg, body, &error)) == NULL)
    g_task_return_error (task, error);
  else
    list_response (task, msg, root, "events", decode_case_event,
                   (GDestroyNotify) ow_json_case_event_free);
}

void
ow_client_get_case_events_async (OwClient            *self,
                                 const char          *case_no,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (case_no != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_get_case_events_async);
  escaped = g_uri_escape_string (case_no, NULL, FALSE);
  path = g_strconcat ("/api/v1/cases/", escaped, "/events", NULL);
  request = start_request (self, task, "GET", path, NULL, NULL, case_events_response);
  if (request != NULL)
    send_request (self, task, request);
}

GPtrArray *
ow_client_get_case_events_finish (OwClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ow_client_get_case_events_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- tickets ---------------------------------------------------------------------------- */

static void
ticket_response (OwClient    *self,
                 GTask       *task,
                 SoupMessage *msg,
                 GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) codec_error = NULL;
  g_autofree char *field = NULL;
  GError *error = NULL;
  OwTicket *ticket;

  root = parse_json_object (self, msg, body, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ticket = ow_json_to_ticket (root, &field, &codec_error);
  if (ticket == NULL)
    {
      set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                          field, _("The platform sent a ticket this program cannot read: %s"),
                          codec_error->message);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, ticket, (GDestroyNotify) ow_ticket_free);
}

/* Reads the array @member of the answer with @decode, each element in turn; NULL with @error
 * naming the element when one cannot be read. */
static GPtrArray *
read_list (SoupMessage  *msg,
           JsonNode     *root,
           const char   *member,
           gpointer    (*decode) (JsonNode *, char **, GError **),
           GDestroyNotify free_func,
           GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  JsonArray *array = object_get_array (json_node_get_object (root), member);

  if (array == NULL)
    {
      set_platform_error (error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                          member, _("The platform’s answer lacks its list “%s”"), member);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) codec_error = NULL;
      g_autofree char *field = NULL;
      gpointer element = decode (json_array_get_element (array, i), &field, &codec_error);

      if (element == NULL)
        {
          g_autofree char *where = g_strdup_printf ("%s[%u]%s%s", member, i,
                                                    field != NULL ? "." : "",
                                                    field != NULL ? field : "");

          set_platform_error (error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                              where, _("The platform sent something this program cannot read: "
                                       "%s"), codec_error->message);
          return NULL;
        }
      g_ptr_array_add (list, element);
    }
  return g_steal_pointer (&list);
}

/* Finishes @task with the list read_list() reads, or its error. */
static void
list_response (GTask       *task,
               SoupMessage *msg,
               JsonNode    *root,
               const char  *member,
               gpointer   (*decode) (JsonNode *, char **, GError **),
               GDestroyNotify free_func)
{
  GError *error = NULL;
  GPtrArray *list = read_list (msg, root, member, decode, free_func, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static void
tickets_response (OwClient    *self,
                  GTask       *task,
                  SoupMessage *msg,
                  GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  if ((root = parse_json_object (self, msg, body, &error)) == NULL)
    g_task_return_error (task, error);
  else
    list_response (task, msg, root, "tickets", (gpointer) ow_json_to_ticket,
                   (GDestroyNotify) ow_ticket_free);
}

static void
ticket_events_response (OwClient    *self,
                        GTask       *task,
                        SoupMessage *msg,
                        GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  if ((root = parse_json_object (self, msg, body, &error)) == NULL)
    g_task_return_error (task, error);
  else
    list_response (task, msg, root, "events", (gpointer) ow_json_to_ticket_event,
                   (GDestroyNotify) ow_ticket_event_free);
}

void
ow_client_get_ticket_async (OwClient            *self,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_get_ticket_async);
  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/api/v1/tickets/", escaped, NULL);
  request = start_request (self, task, "GET", path, NULL, NULL, ticket_response);
  if (request != NULL)
    send_request (self, task, request);
}

OwTicket *
ow_client_get_ticket_finish (OwClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_get_ticket_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_client_get_ticket_events_async (OwClient            *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_get_ticket_events_async);
  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/api/v1/tickets/", escaped, "/events", NULL);
  request = start_request (self, task, "GET", path, NULL, NULL, ticket_events_response);
  if (request != NULL)
    send_request (self, task, request);
}

GPtrArray *
ow_client_get_ticket_events_finish (OwClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ow_client_get_ticket_events_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_client_list_tickets_async (OwClient            *self,
                              OwTicketState        state,
                              const char          *assignee,
                              gboolean             overdue_only,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) path = g_string_new ("/api/v1/tickets?");
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_list_tickets_async);
  if (state != 0)
    g_string_append_printf (path, "state=%s&", ow_ticket_state_to_string (state));
  if (assignee != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (assignee, NULL, FALSE);

      g_string_append_printf (path, "assignee=%s&", escaped);
    }
  if (overdue_only)
    g_string_append (path, "overdue=true&");
  g_string_truncate (path, path->len - 1);
  request = start_request (self, task, "GET", path->str, NULL, NULL, tickets_response);
  if (request != NULL)
    send_request (self, task, request);
}

GPtrArray *
ow_client_list_tickets_finish (OwClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_list_tickets_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
users_response (OwClient    *self,
                GTask       *task,
                SoupMessage *msg,
                GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_user_free);
  GError *error = NULL;
  JsonArray *array;

  if ((root = parse_json_object (self, msg, body, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  array = object_get_array (json_node_get_object (root), "users");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      OwUser *user = JSON_NODE_HOLDS_OBJECT (node) ? user_from_json (json_node_get_object (node))
                                                   : NULL;

      if (user == NULL)
        {
          g_autofree char *field = g_strdup_printf ("users[%u]", i);

          set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                              field, _("The platform sent a user this program cannot read"));
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (users, user);
    }
  if (array == NULL)
    {
      set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                          "users", _("The platform’s answer lacks its list “%s”"), "users");
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&users), (GDestroyNotify) g_ptr_array_unref);
}

void
ow_client_list_users_async (OwClient            *self,
                            const char          *role,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_list_users_async);
  if (role != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (role, NULL, FALSE);

      path = g_strconcat ("/api/v1/users?role=", escaped, NULL);
    }
  else
    path = g_strdup ("/api/v1/users");
  request = start_request (self, task, "GET", path, NULL, NULL, users_response);
  if (request != NULL)
    send_request (self, task, request);
}

GPtrArray *
ow_client_list_users_finish (OwClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_list_users_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the changes feed ------------------------------------------------------------------- */

void
ow_change_free (OwChange *change)
{
  if (change == NULL)
    return;
  g_free (change->kind);
  g_free (change->key);
  g_free (change->at);
  g_free (change->user);
  g_free (change->role);
  g_free (change);
}

typedef struct
{
  GPtrArray *changes;
  char      *cursor;
} ChangesResult;

static void
changes_result_free (ChangesResult *result)
{
  g_clear_pointer (&result->changes, g_ptr_array_unref);
  g_free (result->cursor);
  g_free (result);
}

static void
changes_response (OwClient    *self,
                  GTask       *task,
                  SoupMessage *msg,
                  GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  ChangesResult *result;
  GError *error = NULL;
  JsonObject *object;
  JsonArray *array;
  JsonNode *cursor_node = NULL;
  g_autofree char *cursor = NULL;

  root = parse_json_object (self, msg, body, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  object = json_node_get_object (root);
  array = object_get_array (object, "changes");
  if (json_object_has_member (object, "cursor"))
    cursor_node = json_object_get_member (object, "cursor");
  /* The cursor is opaque; a platform that sends the sequence number as a number is read too. */
  if (cursor_node != NULL && JSON_NODE_HOLDS_VALUE (cursor_node)
      && json_node_get_value_type (cursor_node) == G_TYPE_STRING)
    cursor = g_strdup (json_node_get_string (cursor_node));
  else if (cursor_node != NULL && JSON_NODE_HOLDS_VALUE (cursor_node)
           && json_node_get_value_type (cursor_node) == G_TYPE_INT64)
    cursor = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (cursor_node));
  if (array == NULL || cursor == NULL)
    {
      set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                          array == NULL ? "changes" : "cursor",
                          _("The platform sent a changes feed without its changes or cursor"));
      g_task_return_error (task, error);
      return;
    }

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_change_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *kind = object_get_string (entry, "kind");
      g_autoptr(OwChange) change = NULL;

      if (kind == NULL)
        {
          g_autofree char *field = g_strdup_printf ("changes[%u].kind", i);

          set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED,
                              soup_message_get_status (msg), field,
                              _("The platform sent a change this program cannot read"));
          g_task_return_error (task, error);
          return;
        }
      change = g_new0 (OwChange, 1);
      change->kind = g_strdup (kind);
      change->key = g_strdup (object_get_string (entry, "key"));
      change->at = g_strdup (object_get_string (entry, "at"));
      change->user = g_strdup (object_get_string (entry, "user"));
      change->role = g_strdup (object_get_string (entry, "role"));
      object_get_int (entry, "seq", &change->seq);
      g_ptr_array_add (changes, g_steal_pointer (&change));
    }

  result = g_new0 (ChangesResult, 1);
  result->changes = g_steal_pointer (&changes);
  result->cursor = g_steal_pointer (&cursor);
  g_task_return_pointer (task, result, (GDestroyNotify) changes_result_free);
}

void
ow_client_get_changes_async (OwClient            *self,
                             const char          *since,
                             guint                timeout_seconds,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) path = g_string_new ("/api/v1/changes?timeout=");
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_get_changes_async);

  /* The platform must answer before the session gives up on the connection. */
  g_string_append_printf (path, "%u", MIN (timeout_seconds, TIMEOUT_SECONDS - 5));
  if (since != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (since, NULL, FALSE);

      g_string_append_printf (path, "&since=%s", escaped);
    }
  request = start_request (self, task, "GET", path->str, NULL, NULL, changes_response);
  if (request != NULL)
    send_request (self, task, request);
}

GPtrArray *
ow_client_get_changes_finish (OwClient      *self,
                              GAsyncResult  *result,
                              char         **cursor,
                              GError       **error)
{
  ChangesResult *changes_result;
  GPtrArray *changes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_get_changes_async,
                        NULL);

  if (cursor != NULL)
    *cursor = NULL;
  changes_result = g_task_propagate_pointer (G_TASK (result), error);
  if (changes_result == NULL)
    return NULL;
  if (cursor != NULL)
    *cursor = g_steal_pointer (&changes_result->cursor);
  changes = g_steal_pointer (&changes_result->changes);
  changes_result_free (changes_result);
  return changes;
}

/* ---- JSON as it came (catalog pages) ---------------------------------------------------- */

typedef struct
{
  GBytes  *body;
  char    *etag;
  gboolean not_modified;
} JsonResult;

static void
json_result_free (JsonResult *result)
{
  g_clear_pointer (&result->body, g_bytes_unref);
  g_free (result->etag);
  g_free (result);
}

static void
json_response (OwClient    *self,
               GTask       *task,
               SoupMessage *msg,
               GBytes      *body)
{
  JsonResult *result = g_new0 (JsonResult, 1);
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                            NULL);

  result->etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                         "ETag"));
  if (soup_message_get_status (msg) == SOUP_STATUS_NOT_MODIFIED)
    {
      result->not_modified = TRUE;
      g_task_return_pointer (task, result, (GDestroyNotify) json_result_free);
      return;
    }
  if (!message_has_json (msg))
    {
      GError *error = NULL;

      json_result_free (result);
      set_platform_error (&error, OW_PLATFORM_ERROR_MALFORMED, soup_message_get_status (msg),
                          NULL, _("The platform %s answered with “%s” instead of JSON. Check the "
                                  "platform address in Preferences."),
                          self->base_uri, type != NULL ? type : _("no content type"));
      g_task_return_error (task, error);
      return;
    }
  result->body = g_bytes_ref (body);
  g_task_return_pointer (task, result, (GDestroyNotify) json_result_free);
}

void
ow_client_get_json_async (OwClient            *self,
                          const char          *path,
                          const char          *etag,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_get_json_async);

  request = start_request (self, task, "GET", path, NULL, NULL, json_response);
  if (request == NULL)
    return;
  request_if_none_match (request, etag);
  send_request (self, task, request);
}

GBytes *
ow_client_get_json_finish (OwClient      *self,
                           GAsyncResult  *result,
                           char         **etag,
                           GError       **error)
{
  JsonResult *json_result;
  GBytes *body;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_get_json_async,
                        NULL);

  if (etag != NULL)
    *etag = NULL;
  json_result = g_task_propagate_pointer (G_TASK (result), error);
  if (json_result == NULL)
    return NULL;
  if (etag != NULL)
    *etag = g_steal_pointer (&json_result->etag);
  body = g_steal_pointer (&json_result->body);
  json_result_free (json_result);
  return body;
}

/* ---- the idle probe --------------------------------------------------------------------- */

typedef struct
{
  GCancellable *cancellable;  /* ours: cancelled when the time is up */
  guint         timeout_id;
  gboolean      timed_out;
  gulong        chained;      /* the caller's cancellable, forwarded */
  GCancellable *outer;
} Probe;

static void
probe_free (Probe *probe)
{
  g_clear_handle_id (&probe->timeout_id, g_source_remove);
  if (probe->outer != NULL && probe->chained != 0)
    g_cancellable_disconnect (probe->outer, probe->chained);
  g_clear_object (&probe->outer);
  g_clear_object (&probe->cancellable);
  g_free (probe);
}

static gboolean
probe_timeout_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->timeout_id = 0;
  probe->timed_out = TRUE;
  g_cancellable_cancel (probe->cancellable);
  return G_SOURCE_REMOVE;
}

static void
probe_outer_cancelled_cb (GCancellable *outer,
                          gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
probe_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwClient *self = g_task_get_source_object (task);
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GError *mapped = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body != NULL)
    {
      /* Whatever it said: something answered at the platform's address. */
      g_signal_emit (self, signals[ANSWERED], 0, TRUE);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !probe->timed_out)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_signal_emit (self, signals[ANSWERED], 0, FALSE);
  set_platform_error (&mapped, OW_PLATFORM_ERROR_UNREACHABLE, 0, NULL,
                      _("The platform %s cannot be reached: %s. Work goes on offline and is "
                        "sent later."), self->base_uri,
                      probe->timed_out ? _("it did not answer in time") : error->message);
  g_task_return_error (task, mapped);
}

void
ow_client_probe_async (OwClient            *self,
                       guint                timeout_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  Probe *probe;

  g_return_if_fail (OW_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_probe_async);
  probe = g_new0 (Probe, 1);
  probe->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      probe->outer = g_object_ref (cancellable);
      probe->chained = g_cancellable_connect (cancellable, G_CALLBACK (probe_outer_cancelled_cb),
                                              g_object_ref (probe->cancellable), g_object_unref);
    }
  probe->timeout_id = g_timeout_add (timeout_ms, probe_timeout_cb, probe);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);

  uri = g_strconcat (self->base_uri, "/api/v1/health", NULL);
  msg = soup_message_new ("GET", uri);
  if (msg == NULL)
    {
      g_task_return_new_error (task, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_MALFORMED,
                               _("Cannot make a request to “%s”"), uri);
      return;
    }
  /* An idle connection that the platform's host took down with it hangs rather than fails:
   * the timeout above gives up on it. */
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, probe->cancellable,
                                    probe_sent_cb, g_steal_pointer (&task));
}

gboolean
ow_client_probe_finish (OwClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_probe_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- raw requests (the outbox) ---------------------------------------------------------- */

typedef struct
{
  GBytes *body;
  guint   status;
} SendResult;

static void
send_result_free (SendResult *result)
{
  g_clear_pointer (&result->body, g_bytes_unref);
  g_free (result);
}

static void
send_response (OwClient    *self,
               GTask       *task,
               SoupMessage *msg,
               GBytes      *body)
{
  SendResult *result = g_new0 (SendResult, 1);

  result->body = g_bytes_ref (body);
  result->status = soup_message_get_status (msg);
  g_task_return_pointer (task, result, (GDestroyNotify) send_result_free);
}

void
ow_client_send_async (OwClient            *self,
                      const char          *method,
                      const char          *path,
                      const char          *content_type,
                      GBytes              *body,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_send_async);

  request = start_request (self, task, method, path, content_type, body, send_response);
  if (request != NULL)
    send_request (self, task, request);
}

GBytes *
ow_client_send_finish (OwClient      *self,
                       GAsyncResult  *result,
                       guint         *status,
                       GError       **error)
{
  SendResult *send_result;
  GBytes *body;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_send_async, NULL);

  if (status != NULL)
    *status = 0;
  send_result = g_task_propagate_pointer (G_TASK (result), error);
  if (send_result == NULL)
    return NULL;
  if (status != NULL)
    *status = send_result->status;
  body = g_steal_pointer (&send_result->body);
  send_result_free (send_result);
  return body;
}

/* ---- a JSON object, for the overview (ow-client-private.h) ------------------------------ */

static void
json_object_response (OwClient    *self,
                      GTask       *task,
                      SoupMessage *msg,
                      GBytes      *body)
{
  GError *error = NULL;
  JsonNode *root = parse_json_object (self, msg, body, &error);

  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

void
ow_client_get_object_async (OwClient            *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_get_object_async);
  request = start_request (self, task, "GET", path, NULL, NULL, json_object_response);
  if (request != NULL)
    send_request (self, task, request);
}

JsonNode *
ow_client_get_object_finish (OwClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_get_object_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_client_set_malformed_error (GError     **error,
                               const char  *field,
                               const char  *message)
{
  set_platform_error (error, OW_PLATFORM_ERROR_MALFORMED, SOUP_STATUS_OK, field,
                      _("The platform sent something this program cannot read: %s"), message);
}
