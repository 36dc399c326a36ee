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
 * the main loop (a long poll that waits for changes), which then owns the message, or have its
 * body go out in pieces, each made in a worker once the one before was written (the whole
 * catalog, never held whole). A request that waited too long for a handle is answered 503 with
 * Retry-After.
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

  OwPlatformPieceFunc piece;
  gpointer            piece_data;
  GDestroyNotify      piece_free;
};

/* A body going out in pieces (ow_platform_request_stream), on the main loop. */
typedef struct
{
  OwPlatformServer   *server;
  SoupServerMessage  *msg;
  OwPlatformPieceFunc next;
  gpointer            data;
  GDestroyNotify      data_free;
  gulong              wrote_id;
  gulong              finished_id;
  gboolean            in_flight;  /* a worker makes the next piece */
  gboolean            ended;      /* the body is complete */
  gboolean            gone;       /* the message is finished: nobody to send to */
  /* The worker's piece. */
  GBytes             *bytes;
  gboolean            last;
} Stream;

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
  if (req->piece_free != NULL && req->piece_data != NULL)
    req->piece_free (req->piece_data);
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
ow_platform_request_append_data (OwPlatformRequest *req,
                                 SoupMemoryUse      use,
                                 gconstpointer      data,
                                 gsize              length)
{
  if (length > 0)
    g_byte_array_append (req->response_body, data, (guint) length);
  if (use == SOUP_MEMORY_TAKE)
    g_free ((gpointer) data);
}

void
ow_platform_request_stream (OwPlatformRequest   *req,
                            OwPlatformPieceFunc  next,
                            gpointer             data,
                            GDestroyNotify       data_free)
{
  g_return_if_fail (req->piece == NULL && req->defer == NULL);

  req->piece = next;
  req->piece_data = data;
  req->piece_free = data_free;
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

/* ---- a body in pieces ------------------------------------------------------------------- */

static void
stream_free (Stream *stream)
{
  g_clear_signal_handler (&stream->wrote_id, stream->msg);
  g_clear_signal_handler (&stream->finished_id, stream->msg);
  g_clear_object (&stream->msg);
  g_clear_object (&stream->server);
  g_clear_pointer (&stream->bytes, g_bytes_unref);
  if (stream->data_free != NULL)
    stream->data_free (stream->data);
  g_free (stream);
}

static void
piece_in_worker (OwPlatformDb *db,
                 gpointer      data)
{
  Stream *stream = data;

  do
    {
      g_clear_pointer (&stream->bytes, g_bytes_unref);
      stream->last = FALSE;
      stream->bytes = stream->next (db, stream->data, &stream->last);
    }
  while (!stream->last && (stream->bytes == NULL || g_bytes_get_size (stream->bytes) == 0));
}

/* On the main loop: the piece goes out (an empty chunk would end the body). */
static void
piece_send (Stream   *stream,
            gboolean  ran)
{
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);

  if (ran && stream->bytes != NULL && g_bytes_get_size (stream->bytes) > 0)
    soup_message_body_append_bytes (body, stream->bytes);
  g_clear_pointer (&stream->bytes, g_bytes_unref);
  if (!ran || stream->last)
    {
      stream->ended = TRUE;
      soup_message_body_complete (body);
    }
}

static void
piece_done (gpointer data,
            gboolean ran)
{
  Stream *stream = data;

  stream->in_flight = FALSE;
  if (stream->gone)
    {
      stream_free (stream);
      return;
    }
  piece_send (stream, ran);
  soup_server_message_unpause (stream->msg);
}

static void
stream_wrote_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Stream *stream = user_data;

  if (stream->ended || stream->in_flight)
    return;
  if (!ow_platform_server_has_pool (stream->server))
    {
      /* No pool: here and now. */
      piece_in_worker (ow_platform_server_db (stream->server), stream);
      piece_send (stream, TRUE);
      return;
    }
  stream->in_flight = TRUE;
  soup_server_message_pause (msg);
  ow_platform_server_run_job (stream->server, piece_in_worker, piece_done, stream);
}

static void
stream_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  Stream *stream = user_data;

  stream->gone = TRUE;
  if (!stream->in_flight)
    stream_free (stream);
}

/* Takes @req's piece function: the message's body goes out in pieces from now on. */
static void
stream_start (OwPlatformRequest *req)
{
  Stream *stream = g_new0 (Stream, 1);

  stream->server = g_object_ref (req->server);
  stream->msg = g_object_ref (req->msg);
  stream->next = g_steal_pointer (&req->piece);
  stream->data = g_steal_pointer (&req->piece_data);
  stream->data_free = g_steal_pointer (&req->piece_free);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (req->msg),
                                     SOUP_ENCODING_CHUNKED);
  stream->wrote_id = g_signal_connect (req->msg, "wrote-chunk", G_CALLBACK (stream_wrote_cb),
                                       stream);
  stream->finished_id = g_signal_connect (req->msg, "finished",
                                          G_CALLBACK (stream_finished_cb), stream);
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
      if (req->piece != NULL)
        {
          /* What the handler put in the body first is the first piece. */
          g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (
                                      g_steal_pointer (&req->response_body));

          req->response_body = g_byte_array_new ();
          stream_start (req);
          if (g_bytes_get_size (bytes) > 0)
            soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
        }
      else if (req->content_type != NULL)
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
