/* ow-platform-private.h — what the platform server's route files share
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ow-platform-server.c holds routing, authentication, errors, sessions, catalog and calendar;
 * each other resource has a file of its own (ow-platform-cases.c, -files.c, -changes.c,
 * -tickets.c, -statistics.c) whose handler gets the rest of the path after its name.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "core/ow-calendar.h"
#include "platform/ow-platform-connections.h"
#include "platform/ow-platform-server.h"

G_BEGIN_DECLS

typedef struct _OwPlatformLoginLimit OwPlatformLoginLimit;

struct _OwPlatformServer
{
  GObject       parent_instance;

  SoupServer   *server;
  /* Accepts the connections and guards them (ow-platform-connections.c); NULL until listening. */
  OwPlatformConnections *connections;
  guint         max_connections;
  guint         request_timeout;
  OwPlatformDb *db;
  /* The counts behind the delays on failed log-ins (ow-platform-login-limit.c). */
  OwPlatformLoginLimit *login_limit;
  gint64        session_seconds;

  /* Long polls of the changes feed waiting for a change, and the storage's watch for changes
   * made through other processes (ow-platform-changes.c). */
  GPtrArray    *waiters;
  GSource      *feed_watch;

  /* The demo back office (ow-platform-backoffice.c); 0 when off. */
  guint         backoffice_id;
  guint         backoffice_delay;

  /* The periodic look for overdue tickets (ow-platform-escalation.c); 0 when off. */
  guint         escalation_id;
};

/* Answers. */
void            ow_platform_respond_json      (SoupServerMessage    *msg,
                                               guint                 status,
                                               JsonNode             *node);
/* The error object of HACKING.md; the code follows from @status. */
void            ow_platform_respond_error     (SoupServerMessage    *msg,
                                               guint                 status,
                                               const char           *field,
                                               const char           *message);
/* The error object alone, as canonical JSON text. */
char           *ow_platform_error_body        (guint                 status,
                                               const char           *field,
                                               const char           *message);
void            ow_platform_respond_internal  (SoupServerMessage    *msg,
                                               const GError         *error);
void            ow_platform_respond_method_not_allowed (SoupServerMessage *msg,
                                                        const char        *allowed);
char           *ow_platform_format_utc        (gint64                unix_seconds);

/* Requests. */
GBytes         *ow_platform_dup_request_body  (SoupServerMessage    *msg);
gboolean        ow_platform_request_too_large (SoupServerMessage    *msg);
/* The body as a JSON object; answers 400 (or 413) itself and returns NULL otherwise. */
JsonNode       *ow_platform_parse_request_json (SoupServerMessage   *msg);
/* The user of the request's session; answers 401 (or 500) itself and returns NULL otherwise. */
OwPlatformUser *ow_platform_authenticate      (OwPlatformServer     *self,
                                               SoupServerMessage    *msg);
/* Answer 403 themselves and return FALSE unless @user has @role, or one of @roles (a
 * NULL-terminated list). */
gboolean        ow_platform_require_role      (SoupServerMessage    *msg,
                                               const OwPlatformUser *user,
                                               const char           *role);
gboolean        ow_platform_require_any_role  (SoupServerMessage    *msg,
                                               const OwPlatformUser *user,
                                               const char * const   *roles);

/* Reads a client-chosen id (of an event, ticket, rating): 1 to 64 letters, digits, '-' or '_'.
 * Answers 422 naming @field itself and returns FALSE otherwise. */
gboolean        ow_platform_check_id          (SoupServerMessage    *msg,
                                               const char           *id,
                                               const char           *field);
/* How far a client's stamp (an event's "at", a ticket's "registered_at" …) may lie after the
 * platform's clock: counters' clocks drift a little, but not by days. */
#define OW_PLATFORM_CLOCK_SKEW (5 * 60)
/* Answers 422 naming @field itself and returns FALSE when @unix_seconds is later than the
 * platform's clock (ow_platform_now) plus OW_PLATFORM_CLOCK_SKEW. */
gboolean        ow_platform_check_not_future  (SoupServerMessage    *msg,
                                               gint64                unix_seconds,
                                               const char           *field);
/* An RFC 3339 time as Unix seconds; FALSE when it is not one. */
gboolean        ow_platform_parse_time        (const char           *text,
                                               gint64               *unix_seconds);
/* A decimal query parameter in [@min, @max]; @value untouched when absent. Answers 422 naming
 * @name itself and returns FALSE when present but not such a number. */
gboolean        ow_platform_query_int         (SoupServerMessage    *msg,
                                               GHashTable           *query,
                                               const char           *name,
                                               gint64                min,
                                               gint64                max,
                                               gint64               *value);
/* A string query parameter that must be valid UTF-8 of at most 256 bytes; NULL when absent.
 * Answers 422 itself and sets @bad otherwise. */
const char     *ow_platform_query_string      (SoupServerMessage    *msg,
                                               GHashTable           *query,
                                               const char           *name,
                                               gboolean             *bad);

/* The address of the client of @msg: the peer's, or, when the peer is on loopback (nginx in
 * front of the platform), the last of X-Forwarded-For, which the proxy appended. */
char           *ow_platform_client_address    (SoupServerMessage    *msg);

/* Failed log-ins (ow-platform-login-limit.c). _check() answers 429 itself and returns FALSE
 * when @username may not try from @address now (locked, or too soon after failures);
 * _failed() counts a wrong password and answers 401 itself; _succeeded() forgets the pair's
 * failures. */
OwPlatformLoginLimit *ow_platform_login_limit_new       (void);
void            ow_platform_login_limit_free  (OwPlatformLoginLimit *self);
gboolean        ow_platform_login_limit_check (OwPlatformServer     *server,
                                               SoupServerMessage    *msg,
                                               const char           *username,
                                               const char           *address);
void            ow_platform_login_limit_failed (OwPlatformServer    *server,
                                                SoupServerMessage   *msg,
                                                const char          *username,
                                                const char          *address);
gboolean        ow_platform_login_limit_succeeded (OwPlatformServer *server,
                                                   const char       *username,
                                                   const char       *address,
                                                   GError          **error);
/* After an unlock: the delays on @username, and on @address when not NULL, start again. */
void            ow_platform_login_limit_forget (OwPlatformServer *server,
                                                const char       *username,
                                                const char       *address);
/* /api/v1/users/{username}/lock; @rest is what follows "users/". */
void ow_platform_route_user       (OwPlatformServer *self, SoupServerMessage *msg,
                                   const char *method, const char *rest, GHashTable *query);

/* Wakes the long polls of the changes feed: call after every committed change. */
void            ow_platform_server_changed    (OwPlatformServer     *self);

/* Routes: @rest is the path after the resource's name ("", "/ID", "/ID/events" …). */
void ow_platform_route_cases      (OwPlatformServer *self, SoupServerMessage *msg,
                                   const char *method, const char *rest, GHashTable *query);
void ow_platform_route_files      (OwPlatformServer *self, SoupServerMessage *msg,
                                   const char *method, const char *rest, GHashTable *query);
void ow_platform_route_changes    (OwPlatformServer *self, SoupServerMessage *msg,
                                   const char *method, const char *rest, GHashTable *query);
void ow_platform_route_tickets    (OwPlatformServer *self, SoupServerMessage *msg,
                                   const char *method, const char *rest, GHashTable *query);
void ow_platform_route_ratings    (OwPlatformServer *self, SoupServerMessage *msg,
                                   const char *method, const char *rest, GHashTable *query);
/* The catalog's changes since revision @since (ow-platform-catalog.c): the items new or changed
 * after it, the ids removed, and the small members whole. */
JsonNode *ow_platform_catalog_delta (const char  *old_body,
                                     const char  *new_body,
                                     gint64       since,
                                     GError     **error);

void ow_platform_route_statistics (OwPlatformServer *self, SoupServerMessage *msg,
                                   const char *method, const char *rest, GHashTable *query);

/* The working-day calendar of @hall for @year and the years beside it, from the database. */
OwCalendar *ow_platform_load_calendar (OwPlatformDb  *db,
                                       const char    *hall,
                                       int            year,
                                       GError       **error);
/* The platform's clock (ow-platform-escalation.c): Unix seconds, the real time unless --now
 * set it for a test. Today and escalations follow it. */
gint64      ow_platform_now           (void);
/* Escalates the open tickets past their due date that are not yet (ow-platform-escalation.c). */
gboolean    ow_platform_escalate      (OwPlatformServer  *self,
                                       GError           **error);
/* Today in China (UTC+8 all year), where every hall is, on the platform's clock. */
void        ow_platform_get_today     (GDate         *today);
/* An optional string member of at most @max characters, valid UTF-8; FALSE when it is present
 * (and not null) but something else. */
gboolean    ow_platform_read_string   (JsonObject    *object,
                                       const char    *name,
                                       glong          max,
                                       const char   **value);

/* The changes feed's waiting requests (ow-platform-changes.c): answers them all now; starts and
 * stops watching for changes made through other processes. */
void     ow_platform_changes_answer_all  (OwPlatformServer  *self);
gboolean ow_platform_changes_start_watch (OwPlatformServer  *self,
                                          GError           **error);
void     ow_platform_changes_stop_watch  (OwPlatformServer  *self);

/* Records a new event of @kind (with @note and, for "mailed", @waybill; both may be NULL) on
 * @case_no as @username under a fresh id: what the demo back office and the admin CLI use. @result
 * and @reason as in ow_platform_db_add_case_event(). */
gboolean ow_platform_record_case_event (OwPlatformDb         *db,
                                        const char           *case_no,
                                        const char           *kind,
                                        const char           *note,
                                        const char           *waybill,
                                        const char           *username,
                                        OwPlatformPutResult  *result,
                                        char                **reason,
                                        GError              **error);

G_END_DECLS
