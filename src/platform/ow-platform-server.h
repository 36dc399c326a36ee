/* ow-platform-server.h — the reference platform's HTTP side: routes, authentication, errors
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "platform/ow-platform-db.h"

G_BEGIN_DECLS

/* The largest request body accepted; larger ones get 413. */
#define OW_PLATFORM_MAX_BODY (1024 * 1024)
/* The largest file (a scanned page, a PDF) accepted by PUT /api/v1/files/{sha256}. */
#define OW_PLATFORM_MAX_FILE (20 * 1024 * 1024)
/* How long a session token lives unless set otherwise. */
#define OW_PLATFORM_SESSION_SECONDS (8 * 60 * 60)

#define OW_TYPE_PLATFORM_SERVER (ow_platform_server_get_type ())
G_DECLARE_FINAL_TYPE (OwPlatformServer, ow_platform_server, OW, PLATFORM_SERVER, GObject)

/* Takes @db. */
OwPlatformServer *ow_platform_server_new     (OwPlatformDb        *db);
/* Listens on @address (port 0 picks a free one). Plain HTTP, so only loopback is accepted.
 * @share_port: as ow_platform_connections_listen(). */
gboolean          ow_platform_server_listen  (OwPlatformServer    *self,
                                              GInetSocketAddress  *address,
                                              gboolean             share_port,
                                              GError             **error);
/* "http://127.0.0.1:PORT/" once listening, else NULL. */
char             *ow_platform_server_dup_uri (OwPlatformServer    *self);
/* How long sessions opened from now on live. */
void              ow_platform_server_set_session_seconds (OwPlatformServer *self,
                                                          guint             seconds);
/* Before listening: at most @max_connections open at once (0: as many as the descriptor limit
 * allows), @request_timeout seconds for a client to send a request or to take the next piece of
 * it or of the answer (0: OW_PLATFORM_REQUEST_TIMEOUT), and @idle_timeout seconds a kept-alive
 * connection may wait for its next request (below 0: OW_PLATFORM_IDLE_TIMEOUT; 0: one request
 * per connection), at most @request_timeout. */
void              ow_platform_server_set_connection_limits (OwPlatformServer *self,
                                                            guint             max_connections,
                                                            guint             request_timeout,
                                                            gint              idle_timeout);
/* Before listening: the routes run in @handles worker threads, each with a handle of its own
 * opened on @target (the path or URI the server's own handle was opened on). A request that
 * waits more than @wait_ms for one, or that finds @max_queued requests waiting already (0: as
 * many as the handles serve in @wait_ms, at least 64), is answered 503 with Retry-After.
 * Without this, everything runs on the main loop with the server's own handle. */
#define OW_PLATFORM_DB_HANDLES 4
#define OW_PLATFORM_DB_WAIT_MS 2000
void              ow_platform_server_set_database_pool     (OwPlatformServer *self,
                                                            const char       *target,
                                                            guint             handles,
                                                            guint             wait_ms,
                                                            guint             max_queued);
/* Plays the departments (--demo): accepted cases are approved, and approved ones made ready for
 * pick-up, once they have not moved for @delay seconds. */
/* The hall's carriers for mailed results, one "id|name|pattern" line each (ow-waybill.h); NULL
 * for the built-in list. FALSE, keeping the list in use, when a line does not parse. */
gboolean          ow_platform_server_set_carriers        (OwPlatformServer   *self,
                                                          const char * const *lines,
                                                          GError            **error);
void              ow_platform_server_start_backoffice    (OwPlatformServer *self,
                                                          guint             delay);

/* Escalates overdue tickets now and once a minute from now on. */
void              ow_platform_server_start_escalation    (OwPlatformServer *self);
/* Sets the platform's clock to @unix_seconds, from where it runs on: for tests and
 * demonstrations of time limits (--now). */
void              ow_platform_set_now                    (gint64            unix_seconds);

G_END_DECLS
