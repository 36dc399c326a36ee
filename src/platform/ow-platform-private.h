/* ow-platform-private.h — what the platform server's route files share
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ow-platform-server.c holds routing, authentication, errors, sessions and calendar; each
 * other resource has a file of its own (ow-platform-catalog.c, -cases.c, -files.c, -changes.c,
 * -tickets.c, -statistics.c) whose handler gets the rest of the path after its name.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "core/ow-calendar.h"
#include "net/ow-json.h"
#include "platform/ow-platform-connections.h"
#include "platform/ow-platform-server.h"

G_BEGIN_DECLS

typedef struct _OwPlatformLoginLimit OwPlatformLoginLimit;
typedef struct _OwPlatformPool OwPlatformPool;

struct _OwPlatformServer
{
  GObject       parent_instance;

  SoupServer   *server;
  GMainContext *context;     /* the main loop's: SoupServer, the long polls, every answer */
  /* Accepts the connections and guards them (ow-platform-connections.c); NULL until listening. */
  OwPlatformConnections *connections;
  guint         max_connections;
  guint         request_timeout;
  gint          idle_timeout;
  /* The handle the server was made with: startup (seeding) and the feed's watch, on the main
   * loop. Handlers use ow_platform_server_db(), their worker's. */
  OwPlatformDb *main_db;
  /* Handles in worker threads (ow-platform-pool.h), opened on db_target when listening; NULL
   * when none were asked for: then everything runs on the main loop. */
  OwPlatformPool *pool;
  char         *db_target;
  guint         db_handles;
  guint         db_wait_ms;
  guint         db_max_queued;
  /* The counts behind the delays on failed log-ins (ow-platform-login-limit.c). */
  OwPlatformLoginLimit *login_limit;
  gint64        session_seconds;

  /* Long polls of the changes feed waiting for a change (id → Waiter), the storage's watch for
   * changes made through other processes, and the look at the feed for them that runs in a
   * worker (ow-platform-changes.c). change_serial counts the wake-ups (main loop only, read by
   * workers). */
  GHashTable   *waiters;
  guint         next_waiter_id;
  GSource      *feed_watch;
  gint          change_serial;
  gint          wake_pending;
  gboolean      checking;
  gboolean      check_again;

  /* The demo back office (ow-platform-backoffice.c); 0 when off. */
  guint         backoffice_id;
  guint         backoffice_delay;
  gboolean      backoffice_running;
  gint64        backoffice_since;  /* the feed's last change when it started */

  /* The periodic look for overdue tickets (ow-platform-escalation.c); 0 when off. */
  guint         escalation_id;
  gboolean      escalation_running;

  /* The hall's carriers for mailed results (ow-platform-pickup.c): OwCarrier, the built-in list
   * until --carriers names a file. */
  GPtrArray    *carriers;
};

/* A request as its handler sees it (ow-platform-request.c): what came, read-only, and the answer
 * it makes. A handler runs in a worker thread of the pool with the thread's database handle
 * (ow_platform_server_db) and never touches the SoupServerMessage: its answer goes onto the
 * message on the main loop afterwards. tools/platform-handlers-to-requests turns a handler of
 * the SoupServerMessage kind into one of these. */
typedef struct _OwPlatformRequest OwPlatformRequest;

/* A handler of a whole request, in a worker. */
typedef void (*OwPlatformRoute)     (OwPlatformServer  *self,
                                     OwPlatformRequest *msg);
/* Takes over a paused @msg on the main loop, with @data (which it frees). */
typedef void (*OwPlatformDeferFunc) (OwPlatformServer  *self,
                                     SoupServerMessage *msg,
                                     gpointer           data);

OwPlatformRequest  *ow_platform_request_new      (OwPlatformServer  *server,
                                                  SoupServerMessage *msg,
                                                  const char        *path,
                                                  GHashTable        *query,
                                                  GBytes            *body,
                                                  gboolean           too_large);
/* Pauses the message, runs @route in a worker, answers the message with what it made; or 503
 * with Retry-After when no handle came free in time. Takes @req. */
void                ow_platform_request_run      (OwPlatformRequest *req,
                                                  OwPlatformRoute    route);
const char         *ow_platform_request_get_method           (OwPlatformRequest *msg);
const char         *ow_platform_request_get_path             (OwPlatformRequest *msg);
GHashTable         *ow_platform_request_get_query            (OwPlatformRequest *msg);
GUri               *ow_platform_request_get_uri              (OwPlatformRequest *msg);
SoupMessageHeaders *ow_platform_request_get_request_headers  (OwPlatformRequest *msg);
GSocketAddress     *ow_platform_request_get_remote_address   (OwPlatformRequest *msg);
/* The answer's headers, copied onto the message's. */
SoupMessageHeaders *ow_platform_request_get_response_headers (OwPlatformRequest *msg);
void                ow_platform_request_set_status           (OwPlatformRequest *msg,
                                                              guint              status);
void                ow_platform_request_set_response         (OwPlatformRequest *msg,
                                                              const char        *content_type,
                                                              SoupMemoryUse      use,
                                                              const char        *body,
                                                              gsize              length);
void                ow_platform_request_append_body          (OwPlatformRequest *msg,
                                                              GBytes            *bytes);
void                ow_platform_request_append_data          (OwPlatformRequest *msg,
                                                              SoupMemoryUse      use,
                                                              gconstpointer      data,
                                                              gsize              length);
/* Makes the next piece of a body sent in pieces, in a worker with the thread's handle: bytes to
 * send (NULL or empty: none this time, and it is asked again unless *@last), *@last TRUE with
 * the last piece, or to end the body there (on a failure too: the body then ends short, and a
 * client that checks what it parses fails). */
typedef GBytes     *(*OwPlatformPieceFunc) (OwPlatformDb *db,
                                            gpointer      data,
                                            gboolean     *last);
/* The answer's body (chunked) goes out in pieces: what the handler put in the body first, then
 * what @next makes, in a worker each time the piece before was written, so that a long answer
 * (the whole catalog) is never held whole. @data is freed with @data_free on the main loop once
 * the body ended or its client left. */
void                ow_platform_request_stream               (OwPlatformRequest   *msg,
                                                              OwPlatformPieceFunc  next,
                                                              gpointer             data,
                                                              GDestroyNotify       data_free);
/* Instead of an answer: @func gets the message, still paused, on the main loop (when its client
 * is still there; @data is freed with @data_free otherwise). */
void                ow_platform_request_defer                (OwPlatformRequest   *msg,
                                                              OwPlatformDeferFunc  func,
                                                              gpointer             data,
                                                              GDestroyNotify       data_free);
/* For the main loop's own answers (a refusal before the body is read, a long poll's): @body is
 * taken. */
void                ow_platform_message_respond              (SoupServerMessage *msg,
                                                              guint              status,
                                                              const char        *content_type,
                                                              char              *body);
void                ow_platform_message_respond_error        (SoupServerMessage *msg,
                                                              guint              status,
                                                              const char        *field,
                                                              const char        *message);

/* The database handle of the calling thread: a pool worker's own; the server's main handle on
 * the main loop (startup) or without a pool. Every handler's database work goes through it. */
OwPlatformDb       *ow_platform_server_db        (OwPlatformServer   *self);
gboolean            ow_platform_server_has_pool  (OwPlatformServer   *self);
/* Runs @func in a worker of the pool, then @done on the main loop (@ran FALSE: it did not run,
 * the pool stopping). FALSE, running nothing, without a pool. For the platform's own work
 * (escalation, the back office, the feed's look for long polls), which waits its turn however
 * long. */
gboolean            ow_platform_server_run_job   (OwPlatformServer   *self,
                                                  void              (*func) (OwPlatformDb *,
                                                                             gpointer),
                                                  void              (*done) (gpointer,
                                                                             gboolean),
                                                  gpointer            data);
/* The same for a request's route: not run (@ran FALSE) when it waited too long for a handle
 * or found the queue full. */
gboolean            ow_platform_server_run_request (OwPlatformServer *self,
                                                    void            (*func) (OwPlatformDb *,
                                                                             gpointer),
                                                    void            (*done) (gpointer,
                                                                             gboolean),
                                                    gpointer          data);
/* Seconds a refused request should wait before it is sent again. */
guint               ow_platform_server_retry_after (OwPlatformServer *self);

/* Answers. */
void            ow_platform_respond_json      (OwPlatformRequest    *msg,
                                               guint                 status,
                                               JsonNode             *node);
/* 200 with @node and an ETag of its hash, or 304 when the request's If-None-Match names it. */
void            ow_platform_respond_json_tagged (OwPlatformRequest  *msg,
                                                 JsonNode           *node);
/* Whether an If-None-Match @header (may be NULL) names @etag (quoted) or "*". */
gboolean        ow_platform_etag_matches      (const char           *header,
                                               const char           *etag);
/* The error object of HACKING.md; the code follows from @status. */
void            ow_platform_respond_error     (OwPlatformRequest    *msg,
                                               guint                 status,
                                               const char           *field,
                                               const char           *message);
/* The error object alone, as canonical JSON text. */
char           *ow_platform_error_body        (guint                 status,
                                               const char           *field,
                                               const char           *message);
void            ow_platform_respond_internal  (OwPlatformRequest    *msg,
                                               const GError         *error);
void            ow_platform_respond_method_not_allowed (OwPlatformRequest *msg,
                                                        const char        *allowed);
char           *ow_platform_format_utc        (gint64                unix_seconds);

/* Requests. */
GBytes         *ow_platform_dup_request_body  (OwPlatformRequest    *msg);
gboolean        ow_platform_request_too_large (OwPlatformRequest    *msg);
/* The body as a JSON object; answers 400 (or 413) itself and returns NULL otherwise. */
JsonNode       *ow_platform_parse_request_json (OwPlatformRequest   *msg);
/* The user of the request's session; answers 401 (or 500) itself and returns NULL otherwise. */
OwPlatformUser *ow_platform_authenticate      (OwPlatformServer     *self,
                                               OwPlatformRequest    *msg);
/* Answer 403 themselves and return FALSE unless @user has @role, or one of @roles (a
 * NULL-terminated list). */
gboolean        ow_platform_require_role      (OwPlatformRequest    *msg,
                                               const OwPlatformUser *user,
                                               const char           *role);
gboolean        ow_platform_require_any_role  (OwPlatformRequest    *msg,
                                               const OwPlatformUser *user,
                                               const char * const   *roles);

/* Reads a client-chosen id (of an event, ticket, rating): 1 to 64 letters, digits, '-' or '_'.
 * Answers 422 naming @field itself and returns FALSE otherwise. */
gboolean        ow_platform_check_id          (OwPlatformRequest    *msg,
                                               const char           *id,
                                               const char           *field);
/* How far a client's stamp (an event's "at", a ticket's "registered_at" …) may lie after the
 * platform's clock: counters' clocks drift a little, but not by days. */
#define OW_PLATFORM_CLOCK_SKEW (5 * 60)
/* Answers 422 naming @field itself and returns FALSE when @unix_seconds is later than the
 * platform's clock (ow_platform_now) plus OW_PLATFORM_CLOCK_SKEW. */
gboolean        ow_platform_check_not_future  (OwPlatformRequest    *msg,
                                               gint64                unix_seconds,
                                               const char           *field);
/* An RFC 3339 time as Unix seconds; FALSE when it is not one. */
gboolean        ow_platform_parse_time        (const char           *text,
                                               gint64               *unix_seconds);
/* A decimal query parameter in [@min, @max]; @value untouched when absent. Answers 422 naming
 * @name itself and returns FALSE when present but not such a number. */
gboolean        ow_platform_query_int         (OwPlatformRequest    *msg,
                                               GHashTable           *query,
                                               const char           *name,
                                               gint64                min,
                                               gint64                max,
                                               gint64               *value);
/* A string query parameter that must be valid UTF-8 of at most 256 bytes; NULL when absent.
 * Answers 422 itself and sets @bad otherwise. */
const char     *ow_platform_query_string      (OwPlatformRequest    *msg,
                                               GHashTable           *query,
                                               const char           *name,
                                               gboolean             *bad);

/* The address of the client of @msg: the peer's, or, when the peer is on loopback (nginx in
 * front of the platform), the last of X-Forwarded-For, which the proxy appended. */
char           *ow_platform_client_address    (OwPlatformRequest    *msg);

/* Failed log-ins (ow-platform-login-limit.c). _check() answers 429 itself and returns FALSE
 * when @username may not try from @address now (locked, or too soon after failures);
 * _failed() counts a wrong password and answers 401 itself; _succeeded() forgets the pair's
 * failures. */
OwPlatformLoginLimit *ow_platform_login_limit_new       (void);
void            ow_platform_login_limit_free  (OwPlatformLoginLimit *self);
gboolean        ow_platform_login_limit_check (OwPlatformServer     *server,
                                               OwPlatformRequest    *msg,
                                               const char           *username,
                                               const char           *address);
void            ow_platform_login_limit_failed (OwPlatformServer    *server,
                                                OwPlatformRequest   *msg,
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
void ow_platform_route_user       (OwPlatformServer *self, OwPlatformRequest *msg,
                                   const char *method, const char *rest, GHashTable *query);

/* Wakes the long polls of the changes feed: call after every committed change, on the main loop
 * or in a job of the pool (which wakes them once the job is handed back, after its answer). */
void            ow_platform_server_changed    (OwPlatformServer     *self);

/* Routes: @rest is the path after the resource's name ("", "/ID", "/ID/events" …). */
void ow_platform_route_cases      (OwPlatformServer *self, OwPlatformRequest *msg,
                                   const char *method, const char *rest, GHashTable *query);
void ow_platform_route_files      (OwPlatformServer *self, OwPlatformRequest *msg,
                                   const char *method, const char *rest, GHashTable *query);
void ow_platform_route_changes    (OwPlatformServer *self, OwPlatformRequest *msg,
                                   const char *method, const char *rest, GHashTable *query);
void ow_platform_route_tickets    (OwPlatformServer *self, OwPlatformRequest *msg,
                                   const char *method, const char *rest, GHashTable *query);
void ow_platform_route_ratings    (OwPlatformServer *self, OwPlatformRequest *msg,
                                   const char *method, const char *rest, GHashTable *query);
/* GET /api/v1/catalog, whole, in pages or since a revision (ow-platform-catalog.c). */
void ow_platform_route_catalog    (OwPlatformServer *self, OwPlatformRequest *msg,
                                   const char *method, const char *rest, GHashTable *query);

void ow_platform_route_statistics (OwPlatformServer *self, OwPlatformRequest *msg,
                                   const char *method, const char *rest, GHashTable *query);
/* GET /api/v1/ratings, the list (ow-platform-statistics.c). */
void ow_platform_list_ratings     (OwPlatformServer *self, OwPlatformRequest *msg,
                                   GHashTable *query);

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

/* The pick-up window (ow-platform-pickup.c). A mailed event's carrier and waybill against the
 * hall's carriers, a handed-over event's collector against the case and its letter's pages
 * uploaded: answers 422 naming the member (or 500) itself and returns FALSE. Events already
 * recorded under their id pass, for the database to answer. */
gboolean ow_platform_check_pickup_event  (OwPlatformServer      *self,
                                          OwPlatformRequest     *msg,
                                          const char            *case_no,
                                          const OwJsonCaseEvent *event);
/* GET /api/v1/cases?id_number=: for the roles pickup and supervisor, within their hall; sets
 * @filter's id_number (to @id_number, which the caller frees) and hall. Answers 403 or 422
 * itself and returns FALSE otherwise. */
gboolean ow_platform_filter_by_id_number (OwPlatformRequest     *msg,
                                          const OwPlatformUser  *user,
                                          GHashTable            *query,
                                          OwPlatformCaseFilter  *filter,
                                          char                 **id_number);

/* The changes feed's waiting requests (ow-platform-changes.c): answers them all now; starts and
 * stops watching for changes made through other processes. Main loop only. */
void     ow_platform_changes_answer_all  (OwPlatformServer  *self);
/* What ow_platform_server_changed() does, at once: the pool's changed func. */
void     ow_platform_changes_wake        (gpointer           self);
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
