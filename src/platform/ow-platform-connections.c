/* ow-platform-connections.c — the platform's own accept loop and the guards on each connection
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SoupServer's own listener (libsoup 3.2, Debian 12's) cannot be trusted with a platform that
 * thousands of counters reach, so the platform accepts connections here and hands each to
 * SoupServer with soup_server_accept_iostream():
 *
 * - Its listener stops accepting for good after the first failed accept (EMFILE), and listens
 *   with GLib's backlog of 10, so that a burst of connects waits for SYNs resent after a second.
 *   Here the backlog is OW_PLATFORM_LISTEN_BACKLOG, at most max_open connections are open at
 *   once (the others wait in the kernel's queue until one closes), and a failed accept pauses
 *   accepting for a moment instead of ending it.
 * - A paused message (a long poll) never reads its socket, so it cannot notice that its client
 *   went away; ow_platform_connection_watch_peer() does. Nor does anything bound how long a
 *   client may take to send its request or to read the answer: a sweep once a second answers
 *   408 and closes a connection whose request has not arrived within the request timeout, or
 *   that made no progress for that long while its body was read (or closes it without a word
 *   while its answer was written).
 * - It waits for more on a request that cannot be HTTP/1.x at all (HTTP/0.9's "GET /path", TLS
 *   bytes on the plain port), until the client gives up. Here a connection is handed over only
 *   once its request line has arrived and has the form of one (peeked, so SoupServer still reads
 *   it); anything else is answered 400 and closed at once. A later request on a kept-alive
 *   connection is checked likewise as its first bytes are read (below).
 *
 * Keep-alive. A connection carries as many requests as its client sends, with two things
 * mended around SoupServer 3.2:
 *
 * - SoupServer keeps a connection alive after an answer only while it has a listener of its own
 *   (request_finished() in soup-server.c: "... && priv->listeners"); otherwise it closes every
 *   connection it was handed after one answer. So it is given one that can never receive a
 *   connection: one end of a socket pair whose other end we hold and never write to
 *   (hidden_listener). soup_server_get_uris() would choke on that listener; the platform names
 *   its address from our own listener instead.
 * - It never closes a kept-alive connection that its client closed while idle (fixed upstream
 *   in 3.3.0, commit d20c6601 "server: do not leak idle connections closed by the client"):
 *   the read of the next request meets the end of the stream, the message that was never
 *   started is dropped without a word, and the connection stays in CLOSE_WAIT for as long as the
 *   process runs. So SoupServer reads each connection through OwConnectionInput: between two
 *   requests (STAGE_IDLE, from "request-finished" to the next "request-started") the end of
 *   the stream or an error is hidden from it (it is told "would block", so its reader stays
 *   intact) and the connection is closed at once from a high-priority idle callback, by
 *   stealing it through the request before (soup_server_message_steal_connection() acts on the
 *   connection's current reader, so SoupServer forgets it cleanly, "disconnected" and all).
 *   What SoupServer reads there is also the start of the next request (whatever it holds
 *   buffered of a pipelined one it reads first, without us): its request line is checked as the
 *   first one was. SoupServer 3.3 and later need none of this but are not harmed by it.
 *
 * An idle connection is closed by the sweep once it has been idle for the idle timeout (at most
 * the request timeout), and at once while more than CLOSE_ABOVE_PERCENT of max_open are open or
 * the platform is stopping; answers begun then say "Connection: close", so that waiting clients
 * get the room.
 *
 * Each connection is an OwPlatformConnection, a GTcpConnection that tells us when it closes,
 * whoever closes it: the set of open ones is exactly the descriptors held for clients.
 */

#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gnetworking.h>
#include <glib/gi18n-lib.h>

#include "platform/ow-platform-connections.h"
#include "platform/ow-platform-private.h"

/* A refused request's connection is read (and what comes dropped) this long or this much after
 * the answer went out, so that a client still sending reads the answer before the connection
 * closes: closed with unread data, it would be reset and the answer lost. Clients that only read
 * once they have sent everything (libsoup's, without Expect: 100-continue) need all of it: up to
 * a file's limit and some is taken, more is reset. */
#define LINGER_SECONDS 5
#define LINGER_BYTES (24 * 1024 * 1024)
/* The longest request line taken (method, target and version). */
#define MAX_REQUEST_LINE 8192
/* How soon a request line that came in part is looked at again. */
#define SNIFF_RETRY_MS 20
/* Accepts per wake-up of the listener, so that a burst does not starve the requests. */
#define ACCEPT_BATCH 64
/* How long accepting pauses after the process ran out of descriptors or memory. */
#define ACCEPT_RETRY_MS 100
/* An answer up to this long is handed to the kernel at once, as a rule: its writing is followed
 * from its headers only. A longer one counts each piece written. */
#define SMALL_ANSWER (64 * 1024)
/* Above this share of max_open, answers close their connections and idle ones are closed. */
#define CLOSE_ABOVE_PERCENT 90

typedef enum
{
  STAGE_SNIFFING,  /* ours: waiting for the request line */
  STAGE_HEADERS,   /* SoupServer reads the request's headers */
  STAGE_BODY,      /* ... and its body */
  STAGE_HANDLING,  /* the request is read: a handler has it (a long poll may wait long) */
  STAGE_WRITING,   /* SoupServer writes the answer */
  STAGE_IDLE,      /* answered and kept alive: SoupServer waits for the next request */
  STAGE_LINGERING, /* answered early: the rest of the request is read and dropped */
  STAGE_CLOSED,
} Stage;

struct _OwPlatformConnections
{
  SoupServer *server;
  gulong      request_started_id;
  gulong      request_finished_id;
  gulong      request_aborted_id;
  GSocket    *listener;
  /* The far end of SoupServer's listener that never receives a connection; -1 without one. */
  int         hidden_peer;
  gboolean    stopping;
  GSource    *accept_source;
  guint       accept_retry_id;
  gint64      last_accept_warning;
  /* OwPlatformConnection → itself, holding a reference: the open connections. */
  GHashTable *open;
  guint       max_open;
  gint64      request_timeout;  /* µs */
  gint64      idle_timeout;     /* µs; 0: one request per connection */
  guint       sweep_id;
};

#define OW_TYPE_CONNECTION_INPUT (ow_connection_input_get_type ())
G_DECLARE_FINAL_TYPE (OwConnectionInput, ow_connection_input, OW, CONNECTION_INPUT, GInputStream)

#define OW_TYPE_PLATFORM_CONNECTION (ow_platform_connection_get_type ())
G_DECLARE_FINAL_TYPE (OwPlatformConnection, ow_platform_connection, OW, PLATFORM_CONNECTION,
                      GTcpConnection)

struct _OwPlatformConnection
{
  GTcpConnection          parent_instance;

  OwPlatformConnections  *owner;     /* NULL once closed or once the owner is gone */
  Stage                   stage;
  gint64                  opened;    /* monotonic µs: accepted, or the request's first bytes */
  gint64                  progress;  /* monotonic µs of the last piece read or written */
  gint64                  idle_since; /* monotonic µs */
  SoupServerMessage      *msg;       /* weak: the request SoupServer reads on it */
  /* Idle: the request answered last, through which SoupServer's connection is stolen. */
  SoupServerMessage      *last;
  gboolean                closing;   /* this request's answer says "Connection: close" */
  OwConnectionInput      *input;     /* what SoupServer reads */
  guint                   idle_end_id;  /* idle: closing (or refusing) is under way */
  gboolean                idle_refuse;  /* ... with a 400: not an HTTP/1.x request */
  GSource                *watch;     /* sniffing, lingering: the socket's input */
  guint                   retry_id;  /* sniffing: the next look at a request line in part */
  gsize                   drained;   /* lingering: bytes dropped */
};

struct _OwConnectionInput
{
  GInputStream          parent_instance;
  GInputStream         *base;        /* the socket's */
  OwPlatformConnection *connection;  /* which owns this; NULL once it is gone */
};

static void ow_connection_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE (OwPlatformConnection, ow_platform_connection, G_TYPE_TCP_CONNECTION)
G_DEFINE_FINAL_TYPE_WITH_CODE (OwConnectionInput, ow_connection_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      ow_connection_input_pollable_init))

typedef enum
{
  LINE_PARTIAL,  /* well-formed so far, not complete yet */
  LINE_VALID,
  LINE_INVALID,
} LineCheck;

static void      update_accepting   (OwPlatformConnections *self);
static LineCheck check_request_line (const guchar          *data,
                                     gsize                  length);
static void      connection_refuse  (OwPlatformConnection  *self,
                                     guint                  status,
                                     const char            *message);

/* Connections ------------------------------------------------------------------------------ */

static GQuark
connection_quark (void)
{
  return g_quark_from_static_string ("ow-platform-connection");
}

/* The connection @msg came on. SoupServer hands out the remote address we gave it with the
 * connection, so the address carries the connection. */
static OwPlatformConnection *
connection_of (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_object_get_qdata (G_OBJECT (remote), connection_quark ()) : NULL;
}

static void
connection_unwatch (OwPlatformConnection *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
}

static void
connection_watch (OwPlatformConnection *self,
                  GSourceFunc           ready)
{
  GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (self));

  connection_unwatch (self);
  self->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (self->watch, ready, self, NULL);
  g_source_attach (self->watch, NULL);
}

/* Whoever closes it (SoupServer after the answer, or we), the owner forgets it then. */
static void
connection_forget (OwPlatformConnection *self)
{
  OwPlatformConnections *owner = self->owner;

  self->stage = STAGE_CLOSED;
  g_clear_weak_pointer (&self->msg);
  g_clear_object (&self->last);
  connection_unwatch (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->idle_end_id, g_source_remove);
  self->owner = NULL;
  if (owner != NULL)
    {
      /* Drops the owner's reference: whoever closes holds one of their own meanwhile. */
      g_hash_table_remove (owner->open, self);
      update_accepting (owner);
    }
}

static void
connection_close (OwPlatformConnection *self)
{
  g_autoptr(OwPlatformConnection) hold = g_object_ref (self);

  g_io_stream_close (G_IO_STREAM (self), NULL, NULL);
}

/* Takes @self back from SoupServer, which forgets the connection and its request without a word
 * ("finished" is not emitted), whatever it was reading or writing. Only once: a second steal
 * would have SoupServer drop its reference to the connection twice. While idle, the request
 * before holds the connection: stealing through it takes the reader that waits for the next. */
static void
connection_steal (OwPlatformConnection *self)
{
  SoupServerMessage *msg = self->msg != NULL ? self->msg : self->last;

  if (msg != NULL)
    {
      /* The stream it gives back wraps ours. */
      g_autoptr(SoupServerMessage) hold = g_object_ref (msg);
      g_autoptr(GIOStream) stolen = soup_server_message_steal_connection (msg);

      g_clear_weak_pointer (&self->msg);
      g_clear_object (&self->last);
    }
}

/* Closes @self at once, whatever SoupServer was doing with it. */
static void
connection_abandon (OwPlatformConnection *self)
{
  g_autoptr(OwPlatformConnection) hold = g_object_ref (self);

  connection_steal (self);
  connection_close (self);
}

static gboolean
ow_platform_connection_close_fn (GIOStream     *stream,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  OwPlatformConnection *self = OW_PLATFORM_CONNECTION (stream);
  gboolean closed;

  closed = G_IO_STREAM_CLASS (ow_platform_connection_parent_class)->close_fn (stream, cancellable,
                                                                               error);
  connection_forget (self);
  return closed;
}

static GInputStream *
ow_platform_connection_get_input_stream (GIOStream *stream)
{
  OwPlatformConnection *self = OW_PLATFORM_CONNECTION (stream);

  if (self->input == NULL)
    {
      GIOStreamClass *parent = G_IO_STREAM_CLASS (ow_platform_connection_parent_class);

      self->input = g_object_new (OW_TYPE_CONNECTION_INPUT, NULL);
      self->input->base = g_object_ref (parent->get_input_stream (stream));
      self->input->connection = self;
    }
  return G_INPUT_STREAM (self->input);
}

static void
ow_platform_connection_dispose (GObject *object)
{
  OwPlatformConnection *self = OW_PLATFORM_CONNECTION (object);

  g_clear_weak_pointer (&self->msg);
  g_clear_object (&self->last);
  g_clear_handle_id (&self->idle_end_id, g_source_remove);
  if (self->input != NULL)
    self->input->connection = NULL;
  g_clear_object (&self->input);
  G_OBJECT_CLASS (ow_platform_connection_parent_class)->dispose (object);
}

static void
ow_platform_connection_class_init (OwPlatformConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = ow_platform_connection_dispose;
  stream_class->get_input_stream = ow_platform_connection_get_input_stream;
  stream_class->close_fn = ow_platform_connection_close_fn;
}

static void
ow_platform_connection_init (OwPlatformConnection *self)
{
  self->opened = self->progress = g_get_monotonic_time ();
}

/* What SoupServer reads: the socket's stream, watched between two requests ------------------- */

static gboolean
idle_end_cb (gpointer user_data)
{
  OwPlatformConnection *self = user_data;

  self->idle_end_id = 0;
  if (self->stage != STAGE_IDLE)
    return G_SOURCE_REMOVE;
  if (self->idle_refuse)
    connection_refuse (self, SOUP_STATUS_BAD_REQUEST,
                       _("This is not an HTTP/1.x request (the platform speaks plain HTTP/1.1 "
                         "here)"));
  else
    connection_abandon (self);
  return G_SOURCE_REMOVE;
}

/* What SoupServer read from @self while it was idle: the start of the next request, or the end
 * of the stream (@got 0) or an error (@got -1). Returns whether SoupServer may have it. */
static gboolean
connection_idle_read (OwPlatformConnection *self,
                      const guchar         *data,
                      gssize                got)
{
  if (got > 0 && check_request_line (data, (gsize) got) != LINE_INVALID)
    {
      /* A line still in part is SoupServer's to wait for, as long as the request timeout. */
      self->stage = STAGE_HEADERS;
      self->opened = self->progress = g_get_monotonic_time ();
      return TRUE;
    }
  /* Not from within SoupServer's reading: it goes on at once, before anything else runs. */
  self->idle_refuse = got > 0;
  if (self->idle_end_id == 0)
    self->idle_end_id = g_idle_add_full (G_PRIORITY_HIGH, idle_end_cb, self, NULL);
  return FALSE;
}

static gssize
ow_connection_input_read_nonblocking (GPollableInputStream  *stream,
                                      void                  *buffer,
                                      gsize                  count,
                                      GError               **error)
{
  OwConnectionInput *self = OW_CONNECTION_INPUT (stream);
  OwPlatformConnection *connection = self->connection;
  g_autoptr(GError) local_error = NULL;
  gssize got;

  if (connection == NULL || connection->stage != STAGE_IDLE)
    return g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer,
                                                     count, NULL, error);
  if (connection->idle_end_id == 0)
    {
      got = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base),
                                                      buffer, count, NULL, &local_error);
      if (got < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      if (connection_idle_read (connection, buffer, got))
        return got;
    }
  /* Its reader must stay as it is until the connection is taken from it. */
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "Closing");
  return -1;
}

static gssize
ow_connection_input_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  OwConnectionInput *self = OW_CONNECTION_INPUT (stream);

  /* SoupServer reads without blocking; a blocking read is passed on as it is. */
  return g_input_stream_read (self->base, buffer, count, cancellable, error);
}

static gboolean
ow_connection_input_close (GInputStream  *stream,
                           GCancellable  *cancellable,
                           GError       **error)
{
  /* The socket's stream is closed with the connection. */
  return TRUE;
}

static gboolean
ow_connection_input_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
ow_connection_input_is_readable (GPollableInputStream *stream)
{
  OwConnectionInput *self = OW_CONNECTION_INPUT (stream);

  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
ow_connection_input_create_source (GPollableInputStream *stream,
                                   GCancellable         *cancellable)
{
  OwConnectionInput *self = OW_CONNECTION_INPUT (stream);
  g_autoptr(GSource) base = NULL;

  base = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  return g_pollable_source_new_full (stream, base, cancellable);
}

static void
ow_connection_input_finalize (GObject *object)
{
  OwConnectionInput *self = OW_CONNECTION_INPUT (object);

  g_clear_object (&self->base);
  G_OBJECT_CLASS (ow_connection_input_parent_class)->finalize (object);
}

static void
ow_connection_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = ow_connection_input_can_poll;
  iface->is_readable = ow_connection_input_is_readable;
  iface->create_source = ow_connection_input_create_source;
  iface->read_nonblocking = ow_connection_input_read_nonblocking;
}

static void
ow_connection_input_class_init (OwConnectionInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = ow_connection_input_finalize;
  stream_class->read_fn = ow_connection_input_read;
  stream_class->close_fn = ow_connection_input_close;
}

static void
ow_connection_input_init (OwConnectionInput *self)
{
}

/* The request's progress, as SoupServer reads it and writes the answer. */

static void
set_connection_close (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

/* This request's answer closes its connection (once it is written). */
static void
connection_close_after (OwPlatformConnection *self,
                        SoupServerMessage    *msg)
{
  if (self->closing)
    return;
  self->closing = TRUE;
  set_connection_close (msg);
  /* A 100 Continue clears the headers, so they are set again after one. */
  g_signal_connect (msg, "wrote-informational", G_CALLBACK (set_connection_close), NULL);
}

static void msg_got_chunk_cb (SoupServerMessage    *msg,
                              GBytes               *chunk,
                              OwPlatformConnection *self);
static void msg_got_body_cb  (SoupServerMessage    *msg,
                              OwPlatformConnection *self);

static void
msg_got_headers_cb (SoupServerMessage    *msg,
                    OwPlatformConnection *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (self->stage != STAGE_HEADERS)
    return;
  self->stage = STAGE_BODY;
  self->progress = g_get_monotonic_time ();
  /* Refused on its headers while the client waits for a 100 Continue: SoupServer reads no body,
   * so what the client sends next may be that body, not a request. */
  if (soup_server_message_get_status (msg) != 0 &&
      (soup_message_headers_get_expectations (soup_server_message_get_request_headers (msg)) &
       SOUP_EXPECTATION_CONTINUE) != 0)
    connection_close_after (self, msg);
  /* Most requests have no body: their handlers are spared (connected for each request). */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED ||
      soup_message_headers_get_content_length (headers) > 0)
    {
      g_signal_connect (msg, "got-chunk", G_CALLBACK (msg_got_chunk_cb), self);
      g_signal_connect (msg, "got-body", G_CALLBACK (msg_got_body_cb), self);
    }
  else
    self->stage = STAGE_HANDLING;
}

static void
msg_got_chunk_cb (SoupServerMessage    *msg,
                  GBytes               *chunk,
                  OwPlatformConnection *self)
{
  self->progress = g_get_monotonic_time ();
}

static void
msg_got_body_cb (SoupServerMessage    *msg,
                 OwPlatformConnection *self)
{
  if (self->stage < STAGE_HANDLING)
    self->stage = STAGE_HANDLING;
}

static void
msg_wrote_cb (SoupServerMessage    *msg,
              OwPlatformConnection *self)
{
  if (self->stage >= STAGE_IDLE)
    return;
  self->stage = STAGE_WRITING;
  self->progress = g_get_monotonic_time ();
}

static void
msg_wrote_body_data_cb (SoupServerMessage    *msg,
                        guint                 size,
                        OwPlatformConnection *self)
{
  msg_wrote_cb (msg, self);
}

static void
msg_wrote_headers_cb (SoupServerMessage    *msg,
                      OwPlatformConnection *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  msg_wrote_cb (msg, self);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED ||
      soup_message_headers_get_content_length (headers) > SMALL_ANSWER)
    g_signal_connect (msg, "wrote-body-data", G_CALLBACK (msg_wrote_body_data_cb), self);
}

/* Whether answers begun now should close their connections, to make room. */
static gboolean
connections_crowded (OwPlatformConnections *self)
{
  return self->stopping || self->idle_timeout == 0 ||
         (guint64) g_hash_table_size (self->open) * 100 >
           (guint64) self->max_open * CLOSE_ABOVE_PERCENT;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  OwPlatformConnections *owner = user_data;
  OwPlatformConnection *self = connection_of (msg);

  if (self == NULL || self->stage == STAGE_CLOSED)
    return;
  if (self->stage == STAGE_IDLE)
    {
      /* Pipelined: SoupServer had it buffered already. */
      self->stage = STAGE_HEADERS;
      self->opened = self->progress = g_get_monotonic_time ();
    }
  g_clear_object (&self->last);
  g_set_weak_pointer (&self->msg, msg);
  self->closing = FALSE;
  if (connections_crowded (owner))
    connection_close_after (self, msg);
  /* @msg holds its SoupServer connection, which holds the address that holds @self: @self
   * outlives it, and the handlers need no watch on it (g_signal_connect_object()'s cost is felt
   * at every request of a kept-alive connection). */
  g_signal_connect (msg, "got-headers", G_CALLBACK (msg_got_headers_cb), self);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (msg_wrote_headers_cb), self);
}

/* Emitted as "request-finished" or "request-aborted", just before SoupServer either closes the
 * connection (which then forgets it at once: see ow_platform_connection_close_fn) or keeps it
 * for the next request. */
static void
request_done_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  OwPlatformConnection *self = connection_of (msg);

  if (self == NULL || self->msg != msg || self->stage >= STAGE_IDLE)
    return;
  g_clear_weak_pointer (&self->msg);
  g_set_object (&self->last, msg);
  /* Nothing reads them any more; an idle connection should not hold a file's bytes. */
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  self->stage = STAGE_IDLE;
  self->idle_since = g_get_monotonic_time ();
}

/* Hands @self to SoupServer, which reads its request from now on. */
static void
connection_hand_over (OwPlatformConnections *owner,
                      OwPlatformConnection  *self)
{
  GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (self));
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GError) error = NULL;

  /* No address: the client has already gone again. */
  if (local == NULL || remote == NULL)
    {
      connection_close (self);
      return;
    }
  g_object_set_qdata_full (G_OBJECT (remote), connection_quark (), g_object_ref (self),
                           g_object_unref);
  self->stage = STAGE_HEADERS;
  if (!soup_server_accept_iostream (owner->server, G_IO_STREAM (self), local, remote, &error))
    {
      g_debug ("SoupServer refused a connection: %s", error->message);
      connection_close (self);
    }
}

/* Answering early ----------------------------------------------------------------------------- */

static gboolean
linger_ready_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  OwPlatformConnection *self = user_data;
  char scrap[16 * 1024];

  for (;;)
    {
      gssize got = recv (g_socket_get_fd (socket), scrap, sizeof scrap, MSG_DONTWAIT);

      if (got > 0)
        {
          self->drained += (gsize) got;
          if (self->drained < LINGER_BYTES)
            continue;
        }
      else if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return G_SOURCE_CONTINUE;
      /* The client is done (or has sent more than anyone will wait for). */
      connection_close (self);
      return G_SOURCE_REMOVE;
    }
}

/* Sends @answer (a whole HTTP response) as the last thing on @self, then lingers. SoupServer no
 * longer has the connection. */
static void
connection_linger (OwPlatformConnection *self,
                   GBytes               *answer)
{
  GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (self));
  gsize size;
  gconstpointer data = g_bytes_get_data (answer, &size);

  /* The little there is fits the socket's buffer (when an answer before it still fills it, the
   * client has stopped reading: it is closed without this one). */
  if (send (g_socket_get_fd (socket), data, size, MSG_NOSIGNAL | MSG_DONTWAIT) != (gssize) size ||
      !g_socket_shutdown (socket, FALSE, TRUE, NULL))
    {
      connection_close (self);
      return;
    }
  self->stage = STAGE_LINGERING;
  self->progress = g_get_monotonic_time ();
  g_clear_handle_id (&self->retry_id, g_source_remove);
  connection_watch (self, G_SOURCE_FUNC (linger_ready_cb));
}

static void
append_header (GString    *text,
               const char *name,
               const char *value)
{
  g_string_append_printf (text, "%s: %s\r\n", name, value);
}

/* An HTTP/1.1 response that closes the connection. */
static GBytes *
format_answer (guint               status,
               SoupMessageHeaders *headers,
               GBytes             *body)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  GString *text = g_string_new (NULL);
  gsize size = body != NULL ? g_bytes_get_size (body) : 0;
  g_autofree char *length = g_strdup_printf ("%" G_GSIZE_FORMAT, size);
  gboolean has_server = FALSE;

  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  if (headers != NULL)
    {
      SoupMessageHeadersIter iter;
      const char *name, *value;

      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          if (g_ascii_strcasecmp (name, "Content-Length") == 0 ||
              g_ascii_strcasecmp (name, "Connection") == 0 ||
              g_ascii_strcasecmp (name, "Date") == 0 ||
              g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
            continue;
          has_server = has_server || g_ascii_strcasecmp (name, "Server") == 0;
          append_header (text, name, value);
        }
    }
  if (!has_server)
    append_header (text, "Server", "onewindow-platform/" PACKAGE_VERSION);
  if (headers == NULL && size > 0)
    append_header (text, "Content-Type", "application/json");
  append_header (text, "Date", date);
  append_header (text, "Content-Length", length);
  append_header (text, "Connection", "close");
  g_string_append (text, "\r\n");
  if (size > 0)
    g_string_append_len (text, g_bytes_get_data (body, NULL), (gssize) size);
  return g_string_free_to_bytes (text);
}

/* Answers @status with the error object and closes @self, whatever stage it is in. */
static void
connection_refuse (OwPlatformConnection *self,
                   guint                 status,
                   const char           *message)
{
  g_autoptr(OwPlatformConnection) hold = g_object_ref (self);
  g_autofree char *text = ow_platform_error_body (status, NULL, message);
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(GBytes) answer = format_answer (status, NULL, body);

  connection_steal (self);
  connection_linger (self, answer);
}

gboolean
ow_platform_connection_answer_now (SoupServerMessage *msg)
{
  OwPlatformConnection *connection = connection_of (msg);
  g_autoptr(OwPlatformConnection) hold = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;

  g_return_val_if_fail (soup_server_message_get_status (msg) != 0, FALSE);

  if (connection == NULL || connection->msg != msg || connection->stage > STAGE_HANDLING)
    return FALSE;
  hold = g_object_ref (connection);
  body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  answer = format_answer (soup_server_message_get_status (msg),
                          soup_server_message_get_response_headers (msg), body);
  connection_steal (connection);
  connection_linger (connection, answer);
  return TRUE;
}

/* Sniffing: the request line before SoupServer sees it -------------------------------------- */

/* RFC 9110's token characters, which a method is made of. */
static gboolean
is_tchar (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Whether @data starts with "METHOD SP target SP HTTP/d.d CRLF" (empty lines before it are
 * allowed, RFC 9112 §2.2; a bare LF too). Raw bytes beyond ASCII are no part of a target. */
static LineCheck
check_request_line (const guchar *data,
                    gsize         length)
{
  static const char version[] = "HTTP/d.d";
  gsize i = 0, start;

  while (i < length && (data[i] == '\r' || data[i] == '\n') && i < 4)
    i++;

  for (start = i; i < length && is_tchar (data[i]); i++)
    ;
  if (i == length)
    return LINE_PARTIAL;
  if (i == start || data[i] != ' ')
    return LINE_INVALID;

  for (start = ++i; i < length && data[i] > 0x20 && data[i] < 0x7f; i++)
    ;
  if (i == length)
    return LINE_PARTIAL;
  if (i == start || data[i] != ' ')
    return LINE_INVALID;

  i++;
  for (guint k = 0; k < sizeof version - 1; k++, i++)
    {
      if (i == length)
        return LINE_PARTIAL;
      if (version[k] == 'd' ? !g_ascii_isdigit (data[i]) : data[i] != (guchar) version[k])
        return LINE_INVALID;
    }
  if (i < length && data[i] == '\r')
    i++;
  if (i == length)
    return LINE_PARTIAL;
  return data[i] == '\n' ? LINE_VALID : LINE_INVALID;
}

static gboolean sniff_ready_cb (GSocket      *socket,
                                GIOCondition  condition,
                                gpointer      user_data);

static gboolean
sniff_retry_cb (gpointer user_data)
{
  OwPlatformConnection *self = user_data;

  self->retry_id = 0;
  connection_watch (self, G_SOURCE_FUNC (sniff_ready_cb));
  return G_SOURCE_REMOVE;
}

static gboolean
sniff_ready_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  OwPlatformConnection *self = user_data;
  g_autoptr(OwPlatformConnection) hold = g_object_ref (self);
  guchar line[MAX_REQUEST_LINE];
  gssize got;

  /* Peeked: SoupServer reads it again, from the start. */
  got = recv (g_socket_get_fd (socket), line, sizeof line, MSG_PEEK | MSG_DONTWAIT);
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;

  /* Every way out ends this watch. */
  g_clear_pointer (&self->watch, g_source_unref);
  if (got <= 0)
    {
      /* Gone before saying anything. */
      connection_close (self);
      return G_SOURCE_REMOVE;
    }

  switch (check_request_line (line, (gsize) got))
    {
    case LINE_VALID:
      connection_hand_over (self->owner, self);
      break;
    case LINE_PARTIAL:
      if ((gsize) got < sizeof line)
        {
          /* The data stays unread, so the socket stays readable: look again in a moment. */
          self->retry_id = g_timeout_add (SNIFF_RETRY_MS, sniff_retry_cb, self);
          break;
        }
      connection_refuse (self, SOUP_STATUS_BAD_REQUEST,
                         _("The request line is longer than 8 KiB"));
      break;
    case LINE_INVALID:
    default:
      connection_refuse (self, SOUP_STATUS_BAD_REQUEST,
                         _("This is not an HTTP/1.x request (the platform speaks plain HTTP/1.1 "
                           "here)"));
      break;
    }
  return G_SOURCE_REMOVE;
}

/* The sweep: requests that take too long ------------------------------------------------- */

static gboolean
connection_timed_out (OwPlatformConnections *owner,
                      OwPlatformConnection  *self,
                      gint64                 now)
{
  switch (self->stage)
    {
    case STAGE_SNIFFING:
    case STAGE_HEADERS:
      return now - self->opened >= owner->request_timeout;
    case STAGE_BODY:
    case STAGE_WRITING:
      return now - self->progress >= owner->request_timeout;
    case STAGE_LINGERING:
      return now - self->progress >= LINGER_SECONDS * G_USEC_PER_SEC;
    case STAGE_IDLE:
      return connections_crowded (owner) || now - self->idle_since >= owner->idle_timeout;
    case STAGE_HANDLING:
    case STAGE_CLOSED:
    default:
      return FALSE;
    }
}

static gboolean
sweep_cb (gpointer user_data)
{
  OwPlatformConnections *self = user_data;
  g_autoptr(GPtrArray) late = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->open);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (connection_timed_out (self, key, now))
      g_ptr_array_add (late, g_object_ref (key));

  for (guint i = 0; i < late->len; i++)
    {
      OwPlatformConnection *connection = g_ptr_array_index (late, i);

      if (connection->stage == STAGE_IDLE)
        g_debug ("Closing an idle connection");
      else
        g_debug ("Closing a connection whose client took longer than %" G_GINT64_FORMAT " s",
                 self->request_timeout / G_USEC_PER_SEC);
      if (connection->stage <= STAGE_BODY)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("The request did not arrive within %u seconds"),
                                     (guint) (self->request_timeout / G_USEC_PER_SEC));
          connection_refuse (connection, SOUP_STATUS_REQUEST_TIMEOUT, message);
        }
      else
        connection_abandon (connection);
    }

  if (g_hash_table_size (self->open) > 0)
    return G_SOURCE_CONTINUE;
  self->sweep_id = 0;
  return G_SOURCE_REMOVE;
}

/* Accepting -------------------------------------------------------------------------------- */

static gboolean accept_ready_cb (GSocket      *socket,
                                 GIOCondition  condition,
                                 gpointer      user_data);

static gboolean
accept_retry_cb (gpointer user_data)
{
  OwPlatformConnections *self = user_data;

  self->accept_retry_id = 0;
  update_accepting (self);
  return G_SOURCE_REMOVE;
}

/* Accepts while there is room, and stops watching the listener while there is none: the
 * connections waiting meanwhile stay in the kernel's queue. */
static void
update_accepting (OwPlatformConnections *self)
{
  gboolean want = self->listener != NULL && self->accept_retry_id == 0 &&
                  g_hash_table_size (self->open) < self->max_open;

  if (want && self->accept_source == NULL)
    {
      self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
      g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_ready_cb), self, NULL);
      g_source_attach (self->accept_source, NULL);
    }
  else if (!want && self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
}

static void
accept_one (OwPlatformConnections *self,
            GSocket               *socket)
{
  g_autoptr(OwPlatformConnection) connection = NULL;

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  connection = g_object_new (OW_TYPE_PLATFORM_CONNECTION, "socket", socket, NULL);
  connection->owner = self;
  g_hash_table_add (self->open, g_object_ref (connection));
  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add_seconds (1, sweep_cb, self);
  connection->stage = STAGE_SNIFFING;
  connection_watch (connection, G_SOURCE_FUNC (sniff_ready_cb));
}

static gboolean
accept_ready_cb (GSocket      *listener,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  OwPlatformConnections *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH && g_hash_table_size (self->open) < self->max_open; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);
      gint64 now;

      if (socket != NULL)
        {
          accept_one (self, socket);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          /* A client that gave up before we accepted it, and the like: the next one. */
          g_debug ("accept failed: %s", error->message);
          continue;
        }

      /* Out of descriptors or memory: wait a moment rather than spin or give up. */
      now = g_get_monotonic_time ();
      if (now - self->last_accept_warning >= 60 * G_USEC_PER_SEC)
        {
          g_warning ("Cannot accept connections (%s) with %u open; trying again",
                     error->message, g_hash_table_size (self->open));
          self->last_accept_warning = now;
        }
      self->accept_retry_id = g_timeout_add (ACCEPT_RETRY_MS, accept_retry_cb, self);
      break;
    }

  /* This may destroy this very source (GLib keeps it alive until we return). */
  update_accepting (self);
  return G_SOURCE_CONTINUE;
}

/* Watching a waiting request's client ------------------------------------------------------- */

typedef struct
{
  GSourceFunc gone;
  gpointer    user_data;
} PeerWatch;

static gboolean
peer_ready_cb (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  PeerWatch *watch = user_data;
  char byte;
  gssize got;

  /* Peeked, not read: whatever the client sent is still SoupServer's. */
  got = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (got > 0)
    {
      /* It sent more instead of going away; the request ends at its own time. */
      return G_SOURCE_REMOVE;
    }
  watch->gone (watch->user_data);
  return G_SOURCE_REMOVE;
}

guint
ow_platform_connection_watch_peer (SoupServerMessage *msg,
                                   GSourceFunc        gone,
                                   gpointer           user_data)
{
  OwPlatformConnection *connection = connection_of (msg);
  g_autoptr(GSource) source = NULL;
  PeerWatch *watch;

  g_return_val_if_fail (gone != NULL, 0);

  if (connection == NULL || connection->stage == STAGE_CLOSED)
    return 0;
  watch = g_new0 (PeerWatch, 1);
  watch->gone = gone;
  watch->user_data = user_data;
  source = g_socket_create_source (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                                   G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (peer_ready_cb), watch, g_free);
  return g_source_attach (source, NULL);
}

gboolean
ow_platform_connection_drop (SoupServerMessage *msg)
{
  OwPlatformConnection *connection = connection_of (msg);

  if (connection == NULL || connection->stage == STAGE_CLOSED)
    return FALSE;
  connection_abandon (connection);
  return TRUE;
}

/* Public API ------------------------------------------------------------------------------- */

/* As many connections as the descriptor limit leaves room for. */
static guint
default_max_open (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return 4096;
  if (limit.rlim_cur <= 2 * OW_PLATFORM_RESERVED_FDS)
    return OW_PLATFORM_RESERVED_FDS;
  return (guint) MIN (limit.rlim_cur - OW_PLATFORM_RESERVED_FDS, G_MAXUINT / 2);
}

OwPlatformConnections *
ow_platform_connections_new (SoupServer *server,
                             guint       max_open,
                             guint       request_timeout,
                             gint        idle_timeout)
{
  OwPlatformConnections *self;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);

  self = g_new0 (OwPlatformConnections, 1);
  self->server = g_object_ref (server);
  self->hidden_peer = -1;
  self->open = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->max_open = max_open > 0 ? max_open : default_max_open ();
  if (request_timeout == 0)
    request_timeout = OW_PLATFORM_REQUEST_TIMEOUT;
  self->request_timeout = (gint64) request_timeout * G_USEC_PER_SEC;
  self->idle_timeout = (gint64) MIN ((guint) (idle_timeout < 0 ? OW_PLATFORM_IDLE_TIMEOUT
                                                              : idle_timeout),
                                     request_timeout) * G_USEC_PER_SEC;
  self->request_started_id = g_signal_connect (server, "request-started",
                                               G_CALLBACK (request_started_cb), self);
  self->request_finished_id = g_signal_connect (server, "request-finished",
                                                G_CALLBACK (request_done_cb), self);
  self->request_aborted_id = g_signal_connect (server, "request-aborted",
                                               G_CALLBACK (request_done_cb), self);
  return self;
}

/* The connections that wait for their next request. */
static GPtrArray *
list_idle (OwPlatformConnections *self)
{
  GPtrArray *idle = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->open);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (((OwPlatformConnection *) key)->stage == STAGE_IDLE)
      g_ptr_array_add (idle, g_object_ref (key));
  return idle;
}

void
ow_platform_connections_stop (OwPlatformConnections *self)
{
  g_autoptr(GPtrArray) idle = NULL;
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (self != NULL);

  self->stopping = TRUE;
  g_hash_table_iter_init (&iter, self->open);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      OwPlatformConnection *connection = key;

      if (connection->msg != NULL && connection->stage < STAGE_WRITING)
        connection_close_after (connection, connection->msg);
    }
  idle = list_idle (self);
  for (guint i = 0; i < idle->len; i++)
    connection_abandon (g_ptr_array_index (idle, i));
}

void
ow_platform_connections_free (OwPlatformConnections *self)
{
  g_autoptr(GPtrArray) open = NULL;
  GHashTableIter iter;
  gpointer key;

  if (self == NULL)
    return;

  g_clear_signal_handler (&self->request_started_id, self->server);
  g_clear_signal_handler (&self->request_finished_id, self->server);
  g_clear_signal_handler (&self->request_aborted_id, self->server);
  g_clear_handle_id (&self->accept_retry_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);

  /* Whatever SoupServer still holds (soup_server_disconnect() closes it) goes on without us. */
  open = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->open);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ((OwPlatformConnection *) key)->owner = NULL;
      g_ptr_array_add (open, g_object_ref (key));
    }
  g_hash_table_unref (self->open);
  for (guint i = 0; i < open->len; i++)
    connection_close (g_ptr_array_index (open, i));

  /* SoupServer's listener, if it still has it, sees its peer gone: its accept fails, once. */
  if (self->hidden_peer >= 0)
    close (self->hidden_peer);
  g_object_unref (self->server);
  g_free (self);
}

/* SoupServer keeps a connection alive only while it has a listener of its own: this one never
 * receives a connection. One end of a socket pair is not listening, so nothing can connect to
 * it, and it never becomes readable while we hold the other end and write nothing to it. */
static gboolean
give_hidden_listener (OwPlatformConnections  *self,
                      GError                **error)
{
  g_autoptr(GSocket) socket = NULL;
  int fds[2];

  if (self->hidden_peer >= 0)
    return TRUE;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }
  socket = g_socket_new_from_fd (fds[0], error);
  if (socket == NULL)
    {
      close (fds[0]);
      close (fds[1]);
      return FALSE;
    }
  self->hidden_peer = fds[1];
  return soup_server_listen_socket (self->server, socket, 0, error);
}

/* g_socket_bind() switches SO_REUSEPORT off on stream sockets: bound here instead. */
static gboolean
bind_shared (GSocket         *socket,
             GSocketAddress  *address,
             GError         **error)
{
  struct sockaddr_storage native;

  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, 1, error) ||
      !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, 1, error) ||
      !g_socket_address_to_native (address, &native, sizeof native, error))
    return FALSE;
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native,
            g_socket_address_get_native_size (address)) != 0)
    {
      int saved = errno;
      g_autofree char *text = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Error binding to address %s: %s"), text, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
ow_platform_connections_listen (OwPlatformConnections  *self,
                                GInetSocketAddress     *address,
                                gboolean                share_port,
                                GError                **error)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->listener == NULL, FALSE);

  listener = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                           G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &local_error);
  if (listener != NULL)
    {
      g_socket_set_blocking (listener, FALSE);
      g_socket_set_listen_backlog (listener, OW_PLATFORM_LISTEN_BACKLOG);
    }
  if (listener == NULL ||
      !(share_port ? bind_shared (listener, G_SOCKET_ADDRESS (address), &local_error)
                   : g_socket_bind (listener, G_SOCKET_ADDRESS (address), TRUE, &local_error)) ||
      !g_socket_listen (listener, &local_error))
    {
      g_set_error_literal (error, OW_SERVER_ERROR, OW_SERVER_ERROR_LISTEN, local_error->message);
      return FALSE;
    }

  if (self->idle_timeout > 0 && !give_hidden_listener (self, &local_error))
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_LISTEN,
                   _("Cannot keep connections alive: %s"), local_error->message);
      return FALSE;
    }

  self->listener = g_steal_pointer (&listener);
  update_accepting (self);
  return TRUE;
}

GInetSocketAddress *
ow_platform_connections_get_address (OwPlatformConnections *self)
{
  g_autoptr(GSocketAddress) address = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->listener == NULL ||
      (address = g_socket_get_local_address (self->listener, NULL)) == NULL)
    return NULL;
  return G_INET_SOCKET_ADDRESS (g_steal_pointer (&address));
}

guint
ow_platform_connections_get_max_open (OwPlatformConnections *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_open;
}
