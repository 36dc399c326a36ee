/* ow-platform-connections.c — the platform's own accept loop and the guards on each connection
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SoupServer's own listener (libsoup 3.2, Debian 12's) cannot be trusted with a platform that
 * thousands of counters reach, so the platform accepts connections here and hands each to
 * SoupServer with soup_server_accept_iostream():
 *
 * - libsoup 3.2 never closes a keep-alive connection that its client closed while it was idle
 *   (fixed upstream in 3.3.0, commit d20c6601 "server: do not leak idle connections closed by
 *   the client"): each one stays in CLOSE_WAIT for as long as the process runs. Here every
 *   connection carries one request: SoupServer closes a connection it was handed after its
 *   answer (it keeps connections alive only for its own listeners), and every answer says
 *   "Connection: close" so that clients do not try to reuse it.
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
 *   it); anything else is answered 400 and closed at once.
 *
 * Each connection is an OwPlatformConnection, a GTcpConnection that tells us when it closes,
 * whoever closes it: the set of open ones is exactly the descriptors held for clients.
 */

#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/socket.h>

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

typedef enum
{
  STAGE_SNIFFING,  /* ours: waiting for the request line */
  STAGE_HEADERS,   /* SoupServer reads the request's headers */
  STAGE_BODY,      /* ... and its body */
  STAGE_HANDLING,  /* the request is read: a handler has it (a long poll may wait long) */
  STAGE_WRITING,   /* SoupServer writes the answer */
  STAGE_LINGERING, /* answered early: the rest of the request is read and dropped */
  STAGE_CLOSED,
} Stage;

struct _OwPlatformConnections
{
  SoupServer *server;
  gulong      request_started_id;
  GSocket    *listener;
  GSource    *accept_source;
  guint       accept_retry_id;
  gint64      last_accept_warning;
  /* OwPlatformConnection → itself, holding a reference: the open connections. */
  GHashTable *open;
  guint       max_open;
  gint64      request_timeout;  /* µs */
  guint       sweep_id;
};

#define OW_TYPE_PLATFORM_CONNECTION (ow_platform_connection_get_type ())
G_DECLARE_FINAL_TYPE (OwPlatformConnection, ow_platform_connection, OW, PLATFORM_CONNECTION,
                      GTcpConnection)

struct _OwPlatformConnection
{
  GTcpConnection          parent_instance;

  OwPlatformConnections  *owner;     /* NULL once closed or once the owner is gone */
  Stage                   stage;
  gint64                  opened;    /* monotonic µs */
  gint64                  progress;  /* monotonic µs of the last piece read or written */
  SoupServerMessage      *msg;       /* weak: the request SoupServer reads on it */
  GSource                *watch;     /* sniffing, lingering: the socket's input */
  guint                   retry_id;  /* sniffing: the next look at a request line in part */
  gsize                   drained;   /* lingering: bytes dropped */
};

G_DEFINE_FINAL_TYPE (OwPlatformConnection, ow_platform_connection, G_TYPE_TCP_CONNECTION)

static void update_accepting (OwPlatformConnections *self);

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
  connection_unwatch (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
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
 * would have SoupServer drop its reference to the connection twice. */
static void
connection_steal (OwPlatformConnection *self)
{
  if (self->msg != NULL)
    {
      /* The stream it gives back wraps ours. */
      g_autoptr(GIOStream) stolen = soup_server_message_steal_connection (self->msg);

      g_clear_weak_pointer (&self->msg);
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

static void
ow_platform_connection_dispose (GObject *object)
{
  OwPlatformConnection *self = OW_PLATFORM_CONNECTION (object);

  g_clear_weak_pointer (&self->msg);
  G_OBJECT_CLASS (ow_platform_connection_parent_class)->dispose (object);
}

static void
ow_platform_connection_class_init (OwPlatformConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = ow_platform_connection_dispose;
  stream_class->close_fn = ow_platform_connection_close_fn;
}

static void
ow_platform_connection_init (OwPlatformConnection *self)
{
  self->opened = self->progress = g_get_monotonic_time ();
}

/* The request's progress, as SoupServer reads it and writes the answer. */

static void
msg_got_headers_cb (SoupServerMessage    *msg,
                    OwPlatformConnection *self)
{
  if (self->stage != STAGE_HEADERS)
    return;
  self->stage = STAGE_BODY;
  self->progress = g_get_monotonic_time ();
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
  if (self->stage == STAGE_CLOSED)
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
set_connection_close (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  OwPlatformConnection *self = connection_of (msg);

  if (self == NULL)
    return;
  g_set_weak_pointer (&self->msg, msg);
  /* SoupServer closes the connection after this answer: the client must not reuse it. A 100
   * Continue clears the headers, so they are set again after one. */
  set_connection_close (msg);
  g_signal_connect (msg, "wrote-informational", G_CALLBACK (set_connection_close), NULL);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (msg_got_headers_cb), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (msg_got_chunk_cb), self, 0);
  g_signal_connect_object (msg, "got-body", G_CALLBACK (msg_got_body_cb), self, 0);
  g_signal_connect_object (msg, "wrote-headers", G_CALLBACK (msg_wrote_cb), self, 0);
  g_signal_connect_object (msg, "wrote-body-data", G_CALLBACK (msg_wrote_body_data_cb), self, 0);
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

  /* Nothing was written on the connection yet, so the little there is fits its buffer. */
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

typedef enum
{
  LINE_PARTIAL,  /* well-formed so far, not complete yet */
  LINE_VALID,
  LINE_INVALID,
} LineCheck;

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
                             guint       request_timeout)
{
  OwPlatformConnections *self;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);

  self = g_new0 (OwPlatformConnections, 1);
  self->server = g_object_ref (server);
  self->open = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->max_open = max_open > 0 ? max_open : default_max_open ();
  self->request_timeout = (gint64) (request_timeout > 0 ? request_timeout
                                                        : OW_PLATFORM_REQUEST_TIMEOUT)
                          * G_USEC_PER_SEC;
  self->request_started_id = g_signal_connect (server, "request-started",
                                               G_CALLBACK (request_started_cb), self);
  return self;
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

  g_object_unref (self->server);
  g_free (self);
}

gboolean
ow_platform_connections_listen (OwPlatformConnections  *self,
                                GInetSocketAddress     *address,
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
  if (listener == NULL || !g_socket_bind (listener, G_SOCKET_ADDRESS (address), TRUE,
                                          &local_error) ||
      !g_socket_listen (listener, &local_error))
    {
      g_set_error_literal (error, OW_SERVER_ERROR, OW_SERVER_ERROR_LISTEN, local_error->message);
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
