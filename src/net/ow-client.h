/* ow-client.h — the REST client of the platform contract v1 (libsoup 3 + json-glib)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "core/ow-case.h"
#include "core/ow-catalog.h"
#include "core/ow-statistics.h"
#include "core/ow-ticket.h"
#include "core/ow-types.h"
#include "core/ow-user.h"

G_BEGIN_DECLS

#define OW_PLATFORM_ERROR (ow_platform_error_quark ())

typedef enum
{
  OW_PLATFORM_ERROR_UNREACHABLE,   /* no answer: network down, refused, timed out */
  OW_PLATFORM_ERROR_INSECURE,      /* plain HTTP to a host that is not loopback, bad certificate */
  OW_PLATFORM_ERROR_MALFORMED,     /* the answer is not what the contract says */
  OW_PLATFORM_ERROR_BAD_REQUEST,   /* 400 */
  OW_PLATFORM_ERROR_UNAUTHORIZED,  /* 401: log in again */
  OW_PLATFORM_ERROR_FORBIDDEN,     /* 403 */
  OW_PLATFORM_ERROR_NOT_FOUND,     /* 404 */
  OW_PLATFORM_ERROR_CONFLICT,      /* 409: the id exists with other content */
  OW_PLATFORM_ERROR_TOO_LARGE,     /* 413 */
  OW_PLATFORM_ERROR_INVALID,       /* 422: the platform names the field */
  OW_PLATFORM_ERROR_SERVER,        /* 5xx */
} OwPlatformError;

GQuark   ow_platform_error_quark     (void);
/* Whether sending the same request again later may succeed (unreachable, 5xx, 408, 429). */
gboolean ow_platform_error_is_transient (const GError *error);
/* The dotted name of the member the platform refused ("applicant.id_number"), from its error
 * object; NULL when it named none or @error is not in OW_PLATFORM_ERROR. Survives g_error_copy. */
const char *ow_platform_error_get_field  (const GError *error);
/* The HTTP status behind @error, 0 when there was no answer (or not OW_PLATFORM_ERROR). */
guint    ow_platform_error_get_status   (const GError *error);
/* The seconds the platform asked to wait before the same request again (Retry-After of a 429 or
 * 503, in whole seconds, at most an hour); 0 when it said nothing. Survives g_error_copy. */
guint    ow_platform_error_get_retry_after (const GError *error);

#define OW_TYPE_CLIENT (ow_client_get_type ())
G_DECLARE_FINAL_TYPE (OwClient, ow_client, OW, CLIENT, GObject)

/* @base_uri like "http://127.0.0.1:8470/"; refuses plain http to a host that is not loopback.
 * @ca_file, when not NULL, is trusted in addition to the system CAs. */
OwClient   *ow_client_new              (const char    *base_uri,
                                        const char    *ca_file,
                                        GError       **error);
const char *ow_client_get_base_uri     (OwClient      *self);
/* The bearer token in use; NULL when logged out. */
const char *ow_client_get_token        (OwClient      *self);
void        ow_client_set_token        (OwClient      *self,
                                        const char    *token);
/* The user of the current session, or NULL. */
const OwUser *ow_client_get_user       (OwClient      *self);

void        ow_client_login_async      (OwClient      *self,
                                        const char    *username,
                                        const char    *password,
                                        GCancellable  *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer       user_data);
gboolean    ow_client_login_finish     (OwClient      *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* The catalog; @etag is the one held (NULL for none). Finishes with NULL and no error when the
 * platform answered 304; @new_etag receives the catalog's ETag. */
void        ow_client_get_catalog_async  (OwClient    *self,
                                          const char  *etag,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer     user_data);
OwCatalog  *ow_client_get_catalog_finish (OwClient    *self,
                                          GAsyncResult *result,
                                          char       **new_etag,
                                          GError     **error);

/* The calendar of @year as the TSV text ow_calendar_load_national() takes, plus whether the year
 * is published and the hall's local days as a second TSV, and its ETag. With the @etag of the
 * calendar kept (or NULL), a calendar still the same comes back as *national_tsv and
 * *local_tsv NULL (304), *published untouched. */
void        ow_client_get_calendar_async  (OwClient   *self,
                                           int         year,
                                           const char *etag,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer    user_data);
gboolean    ow_client_get_calendar_finish (OwClient   *self,
                                           GAsyncResult *result,
                                           char      **national_tsv,
                                           char      **local_tsv,
                                           gboolean   *published,
                                           char      **new_etag,
                                           GError    **error);

void        ow_client_get_case_async   (OwClient      *self,
                                        const char    *case_no,
                                        GCancellable  *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer       user_data);
OwCase     *ow_client_get_case_finish  (OwClient      *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* A page of GET /api/v1/cases: the cases (OwCase, with their current state), oldest update
 * first, and the cursor of the next page (NULL on the last). */
typedef struct
{
  GPtrArray *cases;
  char      *next;
  gint64     total;  /* how many the whole list holds, when asked with count=true; else -1 */
} OwCasePage;

void        ow_case_page_free          (OwCasePage    *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwCasePage, ow_case_page_free)

/* Lists cases. @params are the query's name/value pairs, NULL-terminated ("state", "accepted",
 * "after", cursor, …); a pair whose value is NULL is left out, so callers can pass optional
 * filters as they are. The platform limits what each role sees (a department its own cases). */
void        ow_client_list_cases_async (OwClient      *self,
                                        const char * const *params,
                                        GCancellable  *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer       user_data);
OwCasePage *ow_client_list_cases_finish (OwClient     *self,
                                         GAsyncResult *result,
                                         GError      **error);
/* The events of @case_no as recorded, oldest first: a GPtrArray of OwJsonCaseEvent. */
void        ow_client_get_case_events_async  (OwClient    *self,
                                              const char  *case_no,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer     user_data);
GPtrArray  *ow_client_get_case_events_finish (OwClient    *self,
                                              GAsyncResult *result,
                                              GError     **error);

/* The supervisor's figures (ow-client-overview.c), each decoded by the codec the platform
 * encodes with. @params are query name/value pairs as for ow_client_list_cases_async(). The
 * statistics take "from", "to" and "due_within"; the counts every filter of the case list. */
void          ow_client_get_statistics_async  (OwClient            *self,
                                               const char * const  *params,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
OwStatistics *ow_client_get_statistics_finish (OwClient            *self,
                                               GAsyncResult        *result,
                                               GError             **error);
void          ow_client_count_cases_async     (OwClient            *self,
                                               OwCaseCountBy        by,
                                               const char * const  *params,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
OwCaseCounts *ow_client_count_cases_finish    (OwClient            *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* A page of GET /api/v1/ratings: OwRatingRecord, newest first, and the next page's cursor. */
typedef struct
{
  GPtrArray *ratings;
  char      *next;
} OwRatingPage;

void          ow_rating_page_free            (OwRatingPage        *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwRatingPage, ow_rating_page_free)

/* The hall's ratings ("from", "to", "poor", "follow_up", "limit", "after"). */
void          ow_client_list_ratings_async   (OwClient            *self,
                                              const char * const  *params,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
OwRatingPage *ow_client_list_ratings_finish  (OwClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Tickets: one as the platform holds it now (OwTicket), its timeline (GPtrArray of
 * OwTicketEvent, oldest first), and the platform's list (GPtrArray of OwTicket, by registration;
 * @state 0 for any, @assignee NULL for anyone, @overdue_only for the open ones past their due
 * date). Registering and moving tickets goes through the sync engine's outbox, not here. */
void        ow_client_get_ticket_async   (OwClient    *self,
                                          const char  *id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer     user_data);
OwTicket   *ow_client_get_ticket_finish  (OwClient    *self,
                                          GAsyncResult *result,
                                          GError     **error);
void        ow_client_get_ticket_events_async  (OwClient    *self,
                                                const char  *id,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer     user_data);
GPtrArray  *ow_client_get_ticket_events_finish (OwClient    *self,
                                                GAsyncResult *result,
                                                GError     **error);
void        ow_client_list_tickets_async  (OwClient     *self,
                                           OwTicketState state,
                                           const char   *assignee,
                                           gboolean      overdue_only,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer      user_data);
GPtrArray  *ow_client_list_tickets_finish (OwClient     *self,
                                           GAsyncResult *result,
                                           GError      **error);

/* The users of the caller's hall, with @role when not NULL ("department" …): the hall's
 * directory, whom a ticket can be assigned to and how people are named. Any role. Finishes
 * with a GPtrArray of OwUser. */
void        ow_client_list_users_async    (OwClient     *self,
                                           const char   *role,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer      user_data);
GPtrArray  *ow_client_list_users_finish   (OwClient     *self,
                                           GAsyncResult *result,
                                           GError      **error);

/* One entry of the platform's changes feed. */
typedef struct
{
  gint64  seq;
  char   *kind;   /* "case", "case-event", "ticket", "catalog", "calendar", "rating" … */
  char   *key;    /* the case number, ticket id …; may be NULL (catalog, calendar) */
  char   *at;     /* RFC 3339, as sent */
  /* Whom the change is for, when the platform says: a user (the assignee of a ticket) or
   * everyone with a role ("supervisor" for an escalated ticket). NULL when for everyone. */
  char   *user;
  char   *role;
} OwChange;

void        ow_change_free             (OwChange      *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwChange, ow_change_free)

/* GET /api/v1/changes: what changed after @since (NULL: from the beginning), waiting up to
 * @timeout_seconds (capped below the session's own timeout) when nothing has yet. Finishes with
 * a GPtrArray of OwChange, possibly empty, and the cursor to pass next time. */
void        ow_client_get_changes_async  (OwClient    *self,
                                          const char  *since,
                                          guint        timeout_seconds,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer     user_data);
GPtrArray  *ow_client_get_changes_finish (OwClient    *self,
                                          GAsyncResult *result,
                                          char       **cursor,
                                          GError     **error);

/* Keeping the session across restarts (ow-token-keeper.c). The token goes to the Secret Service
 * (GNOME Keyring, KWallet …) under the schema "io.github.onewindow.OneWindow.Token" with the
 * platform URI and user as attributes; where none answers it stays in memory only, never in a
 * file. Both fail softly: FALSE with G_IO_ERROR_NOT_SUPPORTED when no Secret Service runs, which
 * the caller may ignore (the clerk logs in again next time). */
void        ow_client_remember_token_async  (OwClient   *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer    user_data);
gboolean    ow_client_remember_token_finish (OwClient   *self,
                                             GAsyncResult *result,
                                             GError    **error);
/* Looks up the token kept for @username at this platform and, when there is one, sets it:
 * TRUE. FALSE with no error when none is kept. The token may have expired meanwhile: the next
 * request tells (401). */
void        ow_client_restore_token_async   (OwClient   *self,
                                             const char *username,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer    user_data);
gboolean    ow_client_restore_token_finish  (OwClient   *self,
                                             GAsyncResult *result,
                                             GError    **error);
/* Forgets the kept token of @username (on log-out). */
void        ow_client_forget_token_async    (OwClient   *self,
                                             const char *username,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer    user_data);
gboolean    ow_client_forget_token_finish   (OwClient   *self,
                                             GAsyncResult *result,
                                             GError    **error);

/* GET @path (which may carry a query) and finish with its JSON body as it came, for the caller
 * to parse in a worker (catalog pages). With @etag, a 304 finishes with NULL and no error.
 * @new_etag receives the answer's ETag. */
void        ow_client_get_json_async   (OwClient      *self,
                                        const char    *path,
                                        const char    *etag,
                                        GCancellable  *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer       user_data);
GBytes     *ow_client_get_json_finish  (OwClient      *self,
                                        GAsyncResult  *result,
                                        char         **new_etag,
                                        GError       **error);

/* GET /api/v1/health, given up after @timeout_ms: TRUE when
 * anything answered at the platform's address, OW_PLATFORM_ERROR_UNREACHABLE otherwise. Cheap:
 * no session, no body. Every request, this one too, emits "answered" (see ow-client.c). */
void        ow_client_probe_async      (OwClient      *self,
                                        guint          timeout_ms,
                                        GCancellable  *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer       user_data);
gboolean    ow_client_probe_finish     (OwClient      *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* Sends one request with the session's token; what the outbox replays. Finishes with the status
 * (2xx) and the body; any other status is a GError in OW_PLATFORM_ERROR carrying the platform's
 * message and, for 422, its field. */
void        ow_client_send_async       (OwClient      *self,
                                        const char    *method,
                                        const char    *path,
                                        const char    *content_type,
                                        GBytes        *body,
                                        GCancellable  *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer       user_data);
GBytes     *ow_client_send_finish      (OwClient      *self,
                                        GAsyncResult  *result,
                                        guint         *status,
                                        GError       **error);

G_END_DECLS
