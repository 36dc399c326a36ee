/* ow-platform-connections.h — the platform's own accept loop and the guards on each connection
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The platform accepts its connections itself and hands each to SoupServer
 * (soup_server_accept_iostream), so that it knows every descriptor it holds and closes each one
 * as soon as its client has gone, or has taken too long. ow-platform-connections.c says why.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The kernel's queue of connections not yet accepted (capped by net.core.somaxconn). A hall's
 * counters reconnect together after a network blip: none of them may wait for a SYN resent. */
#define OW_PLATFORM_LISTEN_BACKLOG 4096
/* Seconds a client has to send its request's headers, and at most between two pieces of its
 * body or of reading our answer, unless set otherwise. */
#define OW_PLATFORM_REQUEST_TIMEOUT 10
/* Seconds a kept-alive connection may wait for its next request before it is closed, unless set
 * otherwise; never more than the request timeout. Long enough for a counter's bursts (a drain of
 * its outbox, the pages of a log-in), short enough that idle counters do not hold the room. */
#define OW_PLATFORM_IDLE_TIMEOUT 5
/* Descriptors kept back from the connections for the database and the rest of the process. */
#define OW_PLATFORM_RESERVED_FDS 64

typedef struct _OwPlatformConnections OwPlatformConnections;

/* Connections accepted for @server. @max_open 0: as many as the process's descriptor limit
 * leaves after OW_PLATFORM_RESERVED_FDS. @request_timeout 0: OW_PLATFORM_REQUEST_TIMEOUT.
 * @idle_timeout: seconds between two requests of a kept-alive connection (below 0:
 * OW_PLATFORM_IDLE_TIMEOUT; 0: every answer closes its connection); at most @request_timeout. */
OwPlatformConnections *ow_platform_connections_new      (SoupServer             *server,
                                                         guint                   max_open,
                                                         guint                   request_timeout,
                                                         gint                    idle_timeout);
/* Stops accepting and closes the connections still open. */
void                   ow_platform_connections_free     (OwPlatformConnections  *self);
/* The process is stopping: idle connections are closed now, and answers not yet begun close
 * theirs. */
void                   ow_platform_connections_stop     (OwPlatformConnections  *self);
/* Binds @address (port 0 picks a free one) and accepts from now on. @share_port: other
 * processes that say so too may listen on the same port (SO_REUSEPORT), and the kernel spreads
 * new connections over them: a process per processor core, as nginx runs its workers. */
gboolean               ow_platform_connections_listen   (OwPlatformConnections  *self,
                                                         GInetSocketAddress     *address,
                                                         gboolean                share_port,
                                                         GError                **error);
/* The address listened on, once listening; else NULL. */
GInetSocketAddress    *ow_platform_connections_get_address (OwPlatformConnections *self);
guint                  ow_platform_connections_get_max_open (OwPlatformConnections *self);

/* Calls @gone (once, from the main loop) when the client of @msg has closed its connection or
 * reset it: for a request that waits, such as a long poll. Returns the id of the GSource to
 * g_source_remove(), or 0 when @msg did not come through OwPlatformConnections. */
guint                  ow_platform_connection_watch_peer (SoupServerMessage     *msg,
                                                          GSourceFunc            gone,
                                                          gpointer               user_data);
/* Sends the answer @msg holds now (its status, headers and body) instead of letting SoupServer
 * read the rest of the request first, and closes the connection: for a request refused on its
 * headers (413 on the announced length) or on part of its body. The rest of what the client
 * sends is read and dropped for a moment, so that it can read the answer. @msg is finished with;
 * it emits no "finished". FALSE (and nothing done) when @msg is not ours. */
gboolean               ow_platform_connection_answer_now (SoupServerMessage     *msg);
/* Closes the connection of @msg at once, without an answer: its client has gone. @msg is
 * finished with; it emits no "finished". FALSE (and nothing done) when @msg is not ours. */
gboolean               ow_platform_connection_drop       (SoupServerMessage     *msg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPlatformConnections, ow_platform_connections_free)

G_END_DECLS
