/* ow-platform-request.c — a request as the handlers see it, run in a worker, answered on the loop
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SoupServer is not thread-safe, and a handler may take a while (a query, a password to hash),
 * so no handler touches the SoupServerMessage. The main loop copies what came (method, path,
 * query, body) into an OwPlatformRequest, pauses the message and hands the request to the
 * database pool (ow-platform-pool.h); the handler runs in a worker with the thread's handle and
 * writes its answer (status, headers, body) into the request; back on the main loop the answer
 * is put on the message and the message unpaused. A handler may instead defer the request to
 * the main loop (a long poll that waits for changes), which then owns the message. A request
 * that waited too long for a handle is answered 503 with Retry-After.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "platform/ow-platform-pool.h"
#include "platform/ow-platform-private.h"

struct _OwPlatformRequest
{
  OwPlatformServer   *server;
  SoupServerMessage  *msg;
  gulong              finished_id;
  gboolean            finished;    /* SoupServer is done with the message: nobody to answer */
  gboolean            paused;

  /* What came: read-only once made. */
  char               *method;
  char               *path;
  GHashTable         *query;
  GUri               *uri;
  SoupMessageHeaders *request_headers;
  GSocketAddress     *remote;
  GBytes             *body;
  gboolean            too_large;

  OwPlatformRoute     route;

  /* The answer. */
  guint               status;
  SoupMessageHeaders *response_headers;
  char               *content_type;
  GByteArray         *response_body;

  OwPlatformDeferFunc defer;
  gpointer            defer_data;
  GDestroyNotify      defer_free;
};

static void
request_free (OwPlatformRequest *req)
{
  if (req->finished_id != 0)
    g_signal_handler_disconnect (req->msg, req->finished_id);
  g_clear_object (&req->msg);
  g_clear_object (&req->server);
  g_free (req->method);
  g_free (req->path);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_clear_pointer (&req->request_headers, soup_message_headers_unref);
  g_clear_object (&req->remote);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->response_headers, soup_message_headers_unref);
  g_free (req->content_type);
  g_clear_pointer (&req->response_body, g_byte_array_unref);
  if (req->defer_free != NULL && req->defer_data != NULL)
    req->defer_free (req->defer_data);
  g_free (req);
}

static void
finished_cb (SoupServerMessage *msg,
             gpointer           user_data)
{
  OwPlatformRequest *req = user_data;

  req->finished = TRUE;
}

OwPlatformRequest *
ow_platform_request_new (OwPlatformServer  *server,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         GBytes            *body,
                         gboolean           too_large)
{
  OwPlatformRequest *req = g_new0 (OwPlatformRequest, 1);

  req->server = g_object_ref (server);
  req->msg = g_object_ref (msg);
  req->method = g_strdup (soup_server_message_get_method (msg));
  req->path = g_strdup (path);
  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      req->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (req->query, g_strdup (key), g_strdup (value));
    }
  req->uri = g_uri_ref (soup_server_message_get_uri (msg));
  /* SoupServer does not touch a message's request headers once they are read. */
  req->request_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  if (soup_server_message_get_remote_address (msg) != NULL)
    req->remote = g_object_ref (soup_server_message_get_remote_address (msg));
  req->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  req->too_large = too_large;
  req->response_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  req->response_body = g_byte_array_new ();
  return req;
}

/* ---- what came ----------------------------------------------------------------------------- */

const char *
ow_platform_request_get_method (OwPlatformRequest *req)
{
  return req->method;
}

const char *
ow_platform_request_get_path (OwPlatformRequest *req)
{
  return req->path;
}

GHashTable *
ow_platform_request_get_query (OwPlatformRequest *req)
{
  return req->query;
}

GUri *
ow_platform_request_get_uri (OwPlatformRequest *req)
{
  return req->uri;
}

SoupMessageHeaders *
ow_platform_request_get_request_headers (OwPlatformRequest *req)
{
  return req->request_headers;
}

GSocketAddress *
ow_platform_request_get_remote_address (OwPlatformRequest *req)
{
  return req->remote;
}

GBytes *
ow_platform_dup_request_body (OwPlatformRequest *req)
{
  return g_bytes_ref (req->body);
}

gboolean
ow_platform_request_too_large (OwPlatformRequest *req)
{
  return req->too_large;
}

/* ---- the answer ---------------------------------------------------------------------------- */

SoupMessageHeaders *
ow_platform_request_get_response_headers (OwPlatformRequest *req)
{
  return req->response_headers;
}

void
ow_platform_request_set_status (OwPlatformRequest *req,
                                guint              status)
{
  req->status = status;
}

void
ow_platform_request_set_response (OwPlatformRequest *req,
                                  const char        *content_type,
                                  SoupMemoryUse      use,
                                  const char        *body,
                                  gsize              length)
{
  g_free (req->content_type);
  req->content_type = g_strdup (content_type);
  g_byte_array_set_size (req->response_body, 0);
  if (length > 0)
    g_byte_array_append (req->response_body, (const guint8 *) body, (guint) length);
  if (use == SOUP_MEMORY_TAKE)
    g_free ((char *) body);
}

void
ow_platform_request_append_body (OwPlatformRequest *req,
                                 GBytes            *bytes)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  if (size > 0)
    g_byte_array_append (req->response_body, data, (guint) size);
}

void
ow_platform_request_defer (OwPlatformRequest   *req,
                           OwPlatformDeferFunc  func,
                           gpointer             data,
                           GDestroyNotify       data_free)
{
  g_return_if_fail (req->defer == NULL);

  req->defer = func;
  req->defer_data = data;
  req->defer_free = data_free;
}

/* ---- answering the message, on the main loop ------------------------------------------- */

void
ow_platform_message_respond (SoupServerMessage *msg,
                             guint              status,
                             const char        *content_type,
                             char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

void
ow_platform_message_respond_error (SoupServerMessage *msg,
                                   guint              status,
                                   const char        *field,
                                   const char        *message)
{
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"onewindow\"");
  ow_platform_message_respond (msg, status, "application/json",
                               ow_platform_error_body (status, field, message));
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

/* The pool had no handle for it in time, or is stopping. */
static void
respond_busy (OwPlatformRequest *req)
{
  guint seconds = ow_platform_server_retry_after (req->server);
  g_autofree char *retry_after = g_strdup_printf ("%u", seconds);
  g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "The platform is busy: send the "
                                                           "request again in %u second",
                                                           "The platform is busy: send the "
                                                           "request again in %u seconds",
                                                           seconds), seconds);

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Retry-After", retry_after);
  ow_platform_message_respond_error (req->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL, message);
}

static void
apply (OwPlatformRequest *req,
       gboolean           ran)
{
  SoupServerMessage *msg = req->msg;

  if (req->finished)
    return;
  if (!ran)
    respond_busy (req);
  else if (req->defer != NULL)
    {
      gpointer data = g_steal_pointer (&req->defer_data);

      /* The message is the deferred function's from here on, paused as it is. */
      req->defer (req->server, msg, data);
      return;
    }
  else
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      soup_message_headers_foreach (req->response_headers, copy_header, headers);
      soup_server_message_set_status (msg, req->status != 0 ? req->status
                                                           : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                      NULL);
      if (req->content_type != NULL)
        {
          gsize length = req->response_body->len;

          soup_server_message_set_response (msg, req->content_type, SOUP_MEMORY_TAKE,
                                            (char *) g_byte_array_free (
                                              g_steal_pointer (&req->response_body), FALSE),
                                            length);
          req->response_body = g_byte_array_new ();
        }
      else if (req->response_body->len > 0)
        {
          /* Its type is among the headers (a file's). */
          g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (
                                      g_steal_pointer (&req->response_body));

          soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
          req->response_body = g_byte_array_new ();
        }
    }
  if (req->paused)
    soup_server_message_unpause (msg);
}

static void
run_in_worker (OwPlatformDb *db,
               gpointer      data)
{
  OwPlatformRequest *req = data;

  req->route (req->server, req);
}

static void
worker_done (gpointer data,
             gboolean ran)
{
  OwPlatformRequest *req = data;

  apply (req, ran);
  request_free (req);
}

void
ow_platform_request_run (OwPlatformRequest *req,
                         OwPlatformRoute    route)
{
  req->route = route;
  if (!ow_platform_server_has_pool (req->server))
    {
      /* No pool (the platform in a test's own process): here and now. */
      route (req->server, req);
      apply (req, TRUE);
      request_free (req);
      return;
    }
  /* From now to the answer nothing reads or writes the message but this file. */
  soup_server_message_pause (req->msg);
  req->paused = TRUE;
  req->finished_id = g_signal_connect (req->msg, "finished", G_CALLBACK (finished_cb), req);
  ow_platform_server_run_request (req->server, run_in_worker, worker_done, req);
}
