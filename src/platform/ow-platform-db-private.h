/* ow-platform-db-private.h — the storage interface's two sides: the handle and its class
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ow-platform-db.h is what the handlers call; each function there goes through the handle's
 * class, one per backend: SQLite (ow-platform-sqlite*.c) and PostgreSQL (ow-platform-pg*.c).
 * A backend's handle begins with an OwPlatformDb whose klass points at its table. A function
 * added to ow-platform-db.h gets a member here, a dispatcher in ow-platform-db.c and an
 * implementation on both sides.
 */
#pragma once

#include "platform/ow-platform-db.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;  /* "sqlite", "postgresql" */

  /* Lifecycle */
  void (*free) (OwPlatformDb  *db);

  /* Across processes */
  GSource *(*watch_changes) (OwPlatformDb  *db,
                             GError       **error);
  gboolean (*try_job) (OwPlatformDb   *db,
                       OwPlatformJob   job,
                       gboolean       *acquired,
                       GError        **error);
  void (*end_job) (OwPlatformDb   *db,
                   OwPlatformJob   job);
  void (*idle) (OwPlatformDb   *db);

  /* Transactions */
  gboolean (*begin) (OwPlatformDb  *db,
                     GError       **error);
  gboolean (*commit) (OwPlatformDb  *db,
                      GError       **error);
  void (*rollback) (OwPlatformDb  *db);

  /* Users and sessions */
  gboolean (*add_user) (OwPlatformDb          *db,
                        const OwPlatformUser  *user,
                        gboolean              *added,
                        GError               **error);
  OwPlatformUser *(*lookup_user) (OwPlatformDb  *db,
                                  const char    *username,
                                  GError       **error);
  gboolean (*set_user_disabled) (OwPlatformDb  *db,
                                 const char    *username,
                                 gboolean       disabled,
                                 gboolean      *found,
                                 GError       **error);
  GPtrArray *(*list_users) (OwPlatformDb  *db,
                            const char    *hall,
                            const char    *role,
                            GError       **error);
  gboolean (*set_user_department) (OwPlatformDb  *db,
                                   const char    *username,
                                   const char    *department,
                                   gboolean      *found,
                                   GError       **error);
  gboolean (*add_session) (OwPlatformDb  *db,
                           const char    *token_hash,
                           const char    *username,
                           gint64         expires_at,
                           GError       **error);
  OwPlatformUser *(*lookup_session) (OwPlatformDb  *db,
                                     const char    *token_hash,
                                     gint64         now,
                                     GError       **error);
  gboolean (*delete_session) (OwPlatformDb  *db,
                              const char    *token_hash,
                              GError       **error);

  /* Catalog and calendar */
  gboolean (*get_catalog) (OwPlatformDb  *db,
                           gint64        *revision,
                           char         **header,
                           char         **source,
                           GError       **error);
  gboolean (*get_catalog_header) (OwPlatformDb  *db,
                                  gint64         revision,
                                  char         **header,
                                  GError       **error);
  /* Called with the revision checked (ow-platform-db.c). */
  gboolean (*put_catalog_item) (OwPlatformDb  *db,
                                gint64         revision,
                                guint          position,
                                const char    *id,
                                const char    *body,
                                gint64         legal_limit,
                                gint64         visits,
                                gboolean      *duplicate,
                                GError       **error);
  gboolean (*finish_catalog) (OwPlatformDb  *db,
                              gint64         revision,
                              gint64         final_revision,
                              const char    *header,
                              const char    *source,
                              guint         *changed,
                              GError       **error);
  gboolean (*catalog_has_item) (OwPlatformDb  *db,
                                gint64         revision,
                                const char    *item_id,
                                gboolean      *found,
                                GError       **error);
  GPtrArray *(*list_catalog_items) (OwPlatformDb  *db,
                                    gint64         revision,
                                    gint64         since,
                                    gint64         after,
                                    guint          limit,
                                    GError       **error);
  gboolean (*get_item_legal_limit) (OwPlatformDb  *db,
                                    const char    *item_id,
                                    gint64        *limit,
                                    gboolean      *found,
                                    GError       **error);
  gboolean (*count_catalog_items) (OwPlatformDb  *db,
                                   gint64         revision,
                                   gint64        *items,
                                   gint64        *zero_trip,
                                   GError       **error);
  gboolean (*set_day) (OwPlatformDb  *db,
                       const char    *hall,
                       const char    *date,
                       const char    *kind,
                       const char    *name,
                       gboolean      *changed,
                       GError       **error);
  gboolean (*mark_published) (OwPlatformDb  *db,
                              int            year,
                              GError       **error);
  gboolean (*is_published) (OwPlatformDb  *db,
                            int            year,
                            gboolean      *published,
                            GError       **error);
  GPtrArray *(*list_days) (OwPlatformDb  *db,
                           const char    *hall,
                           int            year,
                           GError       **error);
  gint64 (*count_days) (OwPlatformDb  *db,
                        GError       **error);

  /* Cases, their events and files */
  gboolean (*put_case) (OwPlatformDb         *db,
                        const char           *case_no,
                        const char           *body,
                        const char           *state,
                        const char           *hall,
                        guint                 counter,
                        const char           *username,
                        OwPlatformPutResult  *result,
                        GError              **error);
  char *(*get_case) (OwPlatformDb  *db,
                     const char    *case_no,
                     char         **state,
                     GError       **error);
  GPtrArray *(*list_cases) (OwPlatformDb                *db,
                            const OwPlatformCaseFilter  *filter,
                            GError                     **error);
  char **(*list_stale_cases) (OwPlatformDb  *db,
                              const char    *state,
                              gint64         before,
                              gint64         after_seq,
                              GError       **error);
  GPtrArray *(*list_cases_naming_file) (OwPlatformDb  *db,
                                        const char    *sha256,
                                        const char    *department,
                                        guint          limit,
                                        GError       **error);
  gboolean (*add_case_event) (OwPlatformDb         *db,
                              const char           *case_no,
                              const char           *id,
                              const char           *kind,
                              const char           *body,
                              const char           *amended,
                              const char           *username,
                              OwPlatformPutResult  *result,
                              char                **state,
                              char                **reason,
                              GError              **error);
  gboolean (*has_case_event) (OwPlatformDb  *db,
                              const char    *id,
                              gboolean      *exists,
                              GError       **error);
  GPtrArray *(*list_case_events) (OwPlatformDb  *db,
                                  const char    *case_no,
                                  GError       **error);
  gboolean (*put_file) (OwPlatformDb         *db,
                        const char           *sha256,
                        const char           *content_type,
                        GBytes               *data,
                        const char           *username,
                        OwPlatformPutResult  *result,
                        GError              **error);
  GBytes *(*get_file) (OwPlatformDb  *db,
                       const char    *sha256,
                       char         **content_type,
                       GError       **error);
  gboolean (*has_file) (OwPlatformDb  *db,
                        const char    *sha256,
                        gboolean      *exists,
                        GError       **error);

  /* The changes feed */
  gboolean (*append_change_for) (OwPlatformDb  *db,
                                 const char    *kind,
                                 const char    *key,
                                 const char    *user,
                                 const char    *role,
                                 gint64        *seq,
                                 GError       **error);
  GPtrArray *(*list_changes) (OwPlatformDb  *db,
                              gint64         since,
                              guint          limit,
                              GError       **error);
  gint64 (*last_change) (OwPlatformDb  *db,
                         GError       **error);

  /* Tickets and ratings */
  gboolean (*put_ticket) (OwPlatformDb         *db,
                          const char           *id,
                          const char           *body,
                          const char           *due_date,
                          const char           *username,
                          OwPlatformPutResult  *result,
                          GError              **error);
  OwPlatformTicketRow *(*get_ticket) (OwPlatformDb  *db,
                                      const char    *id,
                                      GError       **error);
  GPtrArray *(*list_tickets) (OwPlatformDb  *db,
                              const char    *state,
                              const char    *assignee,
                              const char    *overdue_on,
                              GError       **error);
  gboolean (*add_ticket_event) (OwPlatformDb         *db,
                                const char           *ticket_id,
                                const char           *id,
                                const char           *kind,
                                const char           *body,
                                const char           *assignee,
                                const char           *username,
                                OwPlatformPutResult  *result,
                                char                **reason,
                                GError              **error);
  GPtrArray *(*list_ticket_events) (OwPlatformDb  *db,
                                    const char    *ticket_id,
                                    GError       **error);
  gboolean (*escalate_tickets) (OwPlatformDb  *db,
                                const char    *today,
                                gint64         now,
                                guint         *escalated,
                                GError       **error);
  gboolean (*put_rating) (OwPlatformDb         *db,
                          const char           *id,
                          const char           *case_no,
                          const char           *channel,
                          int                   level,
                          const char           *body,
                          const char           *username,
                          OwPlatformPutResult  *result,
                          GError              **error);
  char *(*get_rating) (OwPlatformDb  *db,
                       const char    *id,
                       GError       **error);

  /* Statistics and the supervisor's overview */
  GHashTable *(*count_cases_by_state) (OwPlatformDb  *db,
                                       const char    *hall,
                                       GError       **error);
  GPtrArray *(*list_late_cases) (OwPlatformDb  *db,
                                 const char    *hall,
                                 const char    *states,
                                 const char    *before,
                                 guint          limit,
                                 GError       **error);
  gboolean (*count_tickets) (OwPlatformDb  *db,
                             const char    *hall,
                             const char    *today,
                             gint64        *open,
                             gint64        *overdue,
                             GError       **error);
  gboolean (*count_ratings) (OwPlatformDb  *db,
                             const char    *hall,
                             gint64        *total,
                             gint64        *poor,
                             gint64        *unfollowed,
                             GError       **error);
  GPtrArray *(*count_cases) (OwPlatformDb               *db,
                             const OwPlatformCaseFilter *filter,
                             OwCaseCountBy               by,
                             gint64                     *total,
                             GError                    **error);
  GPtrArray *(*count_by_promised) (OwPlatformDb  *db,
                                   const char    *hall,
                                   const char    *states,
                                   GError       **error);
  GPtrArray *(*count_received) (OwPlatformDb  *db,
                                const char    *hall,
                                const char    *from,
                                const char    *to,
                                GError       **error);
  GPtrArray *(*count_reform_items) (OwPlatformDb  *db,
                                    gint64         revision,
                                    GError       **error);
  GPtrArray *(*count_reform_usage) (OwPlatformDb  *db,
                                    const char    *hall,
                                    const char    *from,
                                    const char    *to,
                                    gboolean       by_department,
                                    GError       **error);
  GPtrArray *(*count_ratings_by) (OwPlatformDb         *db,
                                  const char           *hall,
                                  const char           *from,
                                  const char           *to,
                                  OwPlatformRatingsBy   by,
                                  GError              **error);
  GPtrArray *(*list_ratings) (OwPlatformDb  *db,
                              const char    *hall,
                              const char    *from,
                              const char    *to,
                              gboolean       poor_only,
                              const char    *follow_up,
                              gint64         after,
                              guint          limit,
                              GError       **error);

  /* Failed log-ins and the audit log */
  OwPlatformLoginFailures *(*get_login_failures) (OwPlatformDb  *db,
                                                  const char    *username,
                                                  const char    *address,
                                                  GError       **error);
  OwPlatformLoginFailures *(*add_login_failure) (OwPlatformDb  *db,
                                                 const char    *username,
                                                 const char    *address,
                                                 gint64         now,
                                                 gint64         window,
                                                 guint          lock_after,
                                                 gint64         lock_seconds,
                                                 GError       **error);
  gboolean (*clear_login_failures) (OwPlatformDb  *db,
                                    const char    *username,
                                    const char    *address,
                                    GError       **error);
  gboolean (*unlock_logins) (OwPlatformDb  *db,
                             const char    *username,
                             const char    *address,
                             const char    *actor,
                             gint64         now,
                             guint         *unlocked,
                             GError       **error);
  GPtrArray *(*list_login_locks) (OwPlatformDb  *db,
                                  GError       **error);
  gboolean (*add_audit) (OwPlatformDb  *db,
                         gint64         at,
                         const char    *actor,
                         const char    *event,
                         const char    *subject,
                         const char    *address,
                         const char    *detail,
                         GError       **error);
  GPtrArray *(*list_audit) (OwPlatformDb  *db,
                            guint          limit,
                            GError       **error);
} OwPlatformDbClass;

struct _OwPlatformDb
{
  const OwPlatformDbClass *klass;
};

/* The backends' constructors (ow_platform_db_open() picks one by the target). */
OwPlatformDb *ow_platform_sqlite_open (const char            *path,
                                       OwPlatformDbOpenFlags  flags,
                                       GError               **error);
OwPlatformDb *ow_platform_pg_open     (const char            *uri,
                                       OwPlatformDbOpenFlags  flags,
                                       GError               **error);

G_END_DECLS
