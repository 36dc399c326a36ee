/* ow-platform-db.c — the storage interface: records, the choice of backend, dispatch
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "platform/ow-platform-db-private.h"

G_DEFINE_QUARK (ow-server-error-quark, ow_server_error)

/* Records ---------------------------------------------------------------------------------- */

OwPlatformUser *
ow_platform_user_copy (const OwPlatformUser *user)
{
  OwPlatformUser *copy = g_new0 (OwPlatformUser, 1);

  copy->username = g_strdup (user->username);
  copy->display_name = g_strdup (user->display_name);
  copy->password_hash = g_strdup (user->password_hash);
  copy->roles = g_strdupv (user->roles);
  copy->hall = g_strdup (user->hall);
  copy->hall_name = g_strdup (user->hall_name);
  copy->counter = user->counter;
  copy->department = g_strdup (user->department);
  copy->disabled = user->disabled;
  return copy;
}

void
ow_platform_user_free (OwPlatformUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->display_name);
  g_free (user->password_hash);
  g_strfreev (user->roles);
  g_free (user->hall);
  g_free (user->hall_name);
  g_free (user->department);
  g_free (user);
}

gboolean
ow_platform_user_has_role (const OwPlatformUser *user,
                           const char           *role)
{
  return user != NULL && user->roles != NULL &&
         g_strv_contains ((const char * const *) user->roles, role);
}

void
ow_platform_day_free (OwPlatformDay *day)
{
  if (day == NULL)
    return;
  g_free (day->date);
  g_free (day->kind);
  g_free (day->name);
  g_free (day);
}

void
ow_platform_change_free (OwPlatformChange *change)
{
  if (change == NULL)
    return;
  g_free (change->kind);
  g_free (change->key);
  g_free (change->user);
  g_free (change->role);
  g_free (change);
}

void
ow_platform_case_row_free (OwPlatformCaseRow *row)
{
  if (row == NULL)
    return;
  g_free (row->body);
  g_free (row->state);
  g_free (row->case_no);
  g_free (row->sort_key);
  g_free (row);
}

void
ow_platform_rating_row_free (OwPlatformRatingRow *row)
{
  if (row == NULL)
    return;
  g_free (row->body);
  g_free (row->clerk);
  g_free (row->clerk_name);
  g_free (row->item_id);
  g_free (row->item_name);
  g_free (row->ticket_id);
  g_free (row->ticket_state);
  g_free (row);
}

void
ow_platform_ticket_row_free (OwPlatformTicketRow *row)
{
  if (row == NULL)
    return;
  g_free (row->body);
  g_free (row->state);
  g_free (row->assignee);
  g_free (row->due_date);
  g_free (row->hall);
  g_free (row);
}

void
ow_platform_open_case_free (OwPlatformOpenCase *open_case)
{
  if (open_case == NULL)
    return;
  g_free (open_case->case_no);
  g_free (open_case->state);
  g_free (open_case->promised_date);
  g_free (open_case);
}

/* Lifecycle -------------------------------------------------------------------------------- */

gboolean
ow_platform_db_target_is_postgresql (const char *target)
{
  return target != NULL &&
         (g_str_has_prefix (target, "postgresql://") || g_str_has_prefix (target, "postgres://"));
}

OwPlatformDb *
ow_platform_db_open (const char             *target,
                     OwPlatformDbOpenFlags   flags,
                     GError                **error)
{
  g_return_val_if_fail (target != NULL, NULL);

  if (ow_platform_db_target_is_postgresql (target))
    return ow_platform_pg_open (target, flags, error);
  return ow_platform_sqlite_open (target, flags, error);
}

void
ow_platform_db_free (OwPlatformDb *db)
{
  if (db != NULL)
    db->klass->free (db);
}

/* Dispatch: each function is its backend's ------------------------------------------------- */

gboolean
ow_platform_db_append_change (OwPlatformDb  *db,
                              const char    *kind,
                              const char    *key,
                              gint64        *seq,
                              GError       **error)
{
  return db->klass->append_change_for (db, kind, key, NULL, NULL, seq, error);
}

GSource *
ow_platform_db_watch_changes (OwPlatformDb  *db,
                              GError       **error)
{
  return db->klass->watch_changes (db, error);
}

gboolean
ow_platform_db_try_job (OwPlatformDb   *db,
                        OwPlatformJob   job,
                        gboolean       *acquired,
                        GError        **error)
{
  return db->klass->try_job (db, job, acquired, error);
}

void
ow_platform_db_end_job (OwPlatformDb   *db,
                        OwPlatformJob   job)
{
  db->klass->end_job (db, job);
}

void
ow_platform_db_idle (OwPlatformDb *db)
{
  db->klass->idle (db);
}

gboolean
ow_platform_db_begin (OwPlatformDb  *db,
                      GError       **error)
{
  return db->klass->begin (db, error);
}

gboolean
ow_platform_db_commit (OwPlatformDb  *db,
                       GError       **error)
{
  return db->klass->commit (db, error);
}

void
ow_platform_db_rollback (OwPlatformDb  *db)
{
  db->klass->rollback (db);
}

gboolean
ow_platform_db_add_user (OwPlatformDb          *db,
                         const OwPlatformUser  *user,
                         gboolean              *added,
                         GError               **error)
{
  return db->klass->add_user (db, user, added, error);
}

OwPlatformUser *
ow_platform_db_lookup_user (OwPlatformDb  *db,
                            const char    *username,
                            GError       **error)
{
  return db->klass->lookup_user (db, username, error);
}

gboolean
ow_platform_db_set_user_disabled (OwPlatformDb  *db,
                                  const char    *username,
                                  gboolean       disabled,
                                  gboolean      *found,
                                  GError       **error)
{
  return db->klass->set_user_disabled (db, username, disabled, found, error);
}

GPtrArray *
ow_platform_db_list_users (OwPlatformDb  *db,
                           const char    *hall,
                           const char    *role,
                           GError       **error)
{
  return db->klass->list_users (db, hall, role, error);
}

gboolean
ow_platform_db_set_user_department (OwPlatformDb  *db,
                                    const char    *username,
                                    const char    *department,
                                    gboolean      *found,
                                    GError       **error)
{
  return db->klass->set_user_department (db, username, department, found, error);
}

gboolean
ow_platform_db_add_session (OwPlatformDb  *db,
                            const char    *token_hash,
                            const char    *username,
                            gint64         expires_at,
                            GError       **error)
{
  return db->klass->add_session (db, token_hash, username, expires_at, error);
}

OwPlatformUser *
ow_platform_db_lookup_session (OwPlatformDb  *db,
                               const char    *token_hash,
                               gint64         now,
                               GError       **error)
{
  return db->klass->lookup_session (db, token_hash, now, error);
}

gboolean
ow_platform_db_delete_session (OwPlatformDb  *db,
                               const char    *token_hash,
                               GError       **error)
{
  return db->klass->delete_session (db, token_hash, error);
}

void
ow_platform_catalog_item_free (OwPlatformCatalogItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->body);
  g_free (item);
}

gboolean
ow_platform_db_get_catalog (OwPlatformDb  *db,
                            gint64        *revision,
                            char         **header,
                            char         **source,
                            GError       **error)
{
  return db->klass->get_catalog (db, revision, header, source, error);
}

gboolean
ow_platform_db_get_catalog_header (OwPlatformDb  *db,
                                   gint64         revision,
                                   char         **header,
                                   GError       **error)
{
  return db->klass->get_catalog_header (db, revision, header, error);
}

gboolean
ow_platform_db_begin_catalog (OwPlatformDb  *db,
                              gint64         revision,
                              GError       **error)
{
  gint64 newest;

  /* The same rule on both sides: one place says it. */
  if (revision <= 0 || revision >= G_MAXINT64 / OW_PLATFORM_CATALOG_PLACES)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, revision);

      /* Translators: %s is a number */
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                   _("%s cannot be a catalog revision"), text);
      return FALSE;
    }
  if (!ow_platform_db_get_catalog (db, &newest, NULL, NULL, error))
    return FALSE;
  if (revision <= newest)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, revision);
      g_autofree char *stored = g_strdup_printf ("%" G_GINT64_FORMAT, newest);

      /* Translators: both %s are catalog revisions (numbers) */
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                   _("Catalog revision %s is not newer than the stored %s"), text, stored);
      return FALSE;
    }
  return TRUE;
}

gboolean
ow_platform_db_put_catalog_item (OwPlatformDb  *db,
                                 gint64         revision,
                                 guint          position,
                                 const char    *id,
                                 const char    *body,
                                 gint64         legal_limit,
                                 gint64         visits,
                                 gboolean      *duplicate,
                                 GError       **error)
{
  if (position >= OW_PLATFORM_CATALOG_PLACES)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                   _("A catalog may list at most %u items"), (guint) OW_PLATFORM_CATALOG_PLACES);
      return FALSE;
    }
  return db->klass->put_catalog_item (db, revision, position, id, body, legal_limit, visits,
                                      duplicate, error);
}

gboolean
ow_platform_db_finish_catalog (OwPlatformDb  *db,
                               gint64         revision,
                               gint64         final_revision,
                               const char    *header,
                               const char    *source,
                               guint         *changed,
                               GError       **error)
{
  if (final_revision < revision || final_revision >= G_MAXINT64 / OW_PLATFORM_CATALOG_PLACES)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, final_revision);

      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                   _("%s cannot be a catalog revision"), text);
      return FALSE;
    }
  return db->klass->finish_catalog (db, revision, final_revision, header, source, changed,
                                    error);
}

gboolean
ow_platform_db_catalog_has_item (OwPlatformDb  *db,
                                 gint64         revision,
                                 const char    *item_id,
                                 gboolean      *found,
                                 GError       **error)
{
  return db->klass->catalog_has_item (db, revision, item_id, found, error);
}

GPtrArray *
ow_platform_db_list_catalog_items (OwPlatformDb  *db,
                                   gint64         revision,
                                   gint64         since,
                                   gint64         after,
                                   guint          limit,
                                   GError       **error)
{
  return db->klass->list_catalog_items (db, revision, since, after, limit, error);
}

gboolean
ow_platform_db_get_item_legal_limit (OwPlatformDb  *db,
                                     const char    *item_id,
                                     gint64        *limit,
                                     gboolean      *found,
                                     GError       **error)
{
  return db->klass->get_item_legal_limit (db, item_id, limit, found, error);
}

gboolean
ow_platform_db_count_catalog_items (OwPlatformDb  *db,
                                    gint64         revision,
                                    gint64        *items,
                                    gint64        *zero_trip,
                                    GError       **error)
{
  return db->klass->count_catalog_items (db, revision, items, zero_trip, error);
}

gboolean
ow_platform_db_set_day (OwPlatformDb  *db,
                        const char    *hall,
                        const char    *date,
                        const char    *kind,
                        const char    *name,
                        gboolean      *changed,
                        GError       **error)
{
  return db->klass->set_day (db, hall, date, kind, name, changed, error);
}

gboolean
ow_platform_db_mark_published (OwPlatformDb  *db,
                               int            year,
                               GError       **error)
{
  return db->klass->mark_published (db, year, error);
}

gboolean
ow_platform_db_is_published (OwPlatformDb  *db,
                             int            year,
                             gboolean      *published,
                             GError       **error)
{
  return db->klass->is_published (db, year, published, error);
}

GPtrArray *
ow_platform_db_list_days (OwPlatformDb  *db,
                          const char    *hall,
                          int            year,
                          GError       **error)
{
  return db->klass->list_days (db, hall, year, error);
}

gint64
ow_platform_db_count_days (OwPlatformDb  *db,
                           GError       **error)
{
  return db->klass->count_days (db, error);
}

gboolean
ow_platform_db_put_case (OwPlatformDb         *db,
                         const char           *case_no,
                         const char           *body,
                         const char           *state,
                         const char           *hall,
                         guint                 counter,
                         const char           *username,
                         OwPlatformPutResult  *result,
                         GError              **error)
{
  return db->klass->put_case (db, case_no, body, state, hall, counter, username, result, error);
}

char *
ow_platform_db_get_case (OwPlatformDb  *db,
                         const char    *case_no,
                         char         **state,
                         GError       **error)
{
  return db->klass->get_case (db, case_no, state, error);
}

GPtrArray *
ow_platform_db_list_cases (OwPlatformDb                *db,
                           const OwPlatformCaseFilter  *filter,
                           GError                     **error)
{
  return db->klass->list_cases (db, filter, error);
}

char **
ow_platform_db_list_stale_cases (OwPlatformDb  *db,
                                 const char    *state,
                                 gint64         before,
                                 gint64         after_seq,
                                 GError       **error)
{
  return db->klass->list_stale_cases (db, state, before, after_seq, error);
}

GPtrArray *
ow_platform_db_list_cases_naming_file (OwPlatformDb  *db,
                                       const char    *sha256,
                                       const char    *department,
                                       guint          limit,
                                       GError       **error)
{
  return db->klass->list_cases_naming_file (db, sha256, department, limit, error);
}

gboolean
ow_platform_db_add_case_event (OwPlatformDb         *db,
                               const char           *case_no,
                               const char           *id,
                               const char           *kind,
                               const char           *body,
                               const char           *amended,
                               const char           *username,
                               OwPlatformPutResult  *result,
                               char                **state,
                               char                **reason,
                               GError              **error)
{
  return db->klass->add_case_event (db, case_no, id, kind, body, amended, username, result, state,
                                    reason, error);
}

gboolean
ow_platform_db_has_case_event (OwPlatformDb  *db,
                               const char    *id,
                               gboolean      *exists,
                               GError       **error)
{
  return db->klass->has_case_event (db, id, exists, error);
}

GPtrArray *
ow_platform_db_list_case_events (OwPlatformDb  *db,
                                 const char    *case_no,
                                 GError       **error)
{
  return db->klass->list_case_events (db, case_no, error);
}

gboolean
ow_platform_db_put_file (OwPlatformDb         *db,
                         const char           *sha256,
                         const char           *content_type,
                         GBytes               *data,
                         const char           *username,
                         OwPlatformPutResult  *result,
                         GError              **error)
{
  return db->klass->put_file (db, sha256, content_type, data, username, result, error);
}

GBytes *
ow_platform_db_get_file (OwPlatformDb  *db,
                         const char    *sha256,
                         char         **content_type,
                         GError       **error)
{
  return db->klass->get_file (db, sha256, content_type, error);
}

gboolean
ow_platform_db_has_file (OwPlatformDb  *db,
                         const char    *sha256,
                         gboolean      *exists,
                         GError       **error)
{
  return db->klass->has_file (db, sha256, exists, error);
}

gboolean
ow_platform_db_append_change_for (OwPlatformDb  *db,
                                  const char    *kind,
                                  const char    *key,
                                  const char    *user,
                                  const char    *role,
                                  gint64        *seq,
                                  GError       **error)
{
  return db->klass->append_change_for (db, kind, key, user, role, seq, error);
}

GPtrArray *
ow_platform_db_list_changes (OwPlatformDb  *db,
                             gint64         since,
                             guint          limit,
                             GError       **error)
{
  return db->klass->list_changes (db, since, limit, error);
}

gint64
ow_platform_db_last_change (OwPlatformDb  *db,
                            GError       **error)
{
  return db->klass->last_change (db, error);
}

gboolean
ow_platform_db_put_ticket (OwPlatformDb         *db,
                           const char           *id,
                           const char           *body,
                           const char           *due_date,
                           const char           *username,
                           OwPlatformPutResult  *result,
                           GError              **error)
{
  return db->klass->put_ticket (db, id, body, due_date, username, result, error);
}

OwPlatformTicketRow *
ow_platform_db_get_ticket (OwPlatformDb  *db,
                           const char    *id,
                           GError       **error)
{
  return db->klass->get_ticket (db, id, error);
}

GPtrArray *
ow_platform_db_list_tickets (OwPlatformDb  *db,
                             const char    *state,
                             const char    *assignee,
                             const char    *overdue_on,
                             GError       **error)
{
  return db->klass->list_tickets (db, state, assignee, overdue_on, error);
}

gboolean
ow_platform_db_add_ticket_event (OwPlatformDb         *db,
                                 const char           *ticket_id,
                                 const char           *id,
                                 const char           *kind,
                                 const char           *body,
                                 const char           *assignee,
                                 const char           *username,
                                 OwPlatformPutResult  *result,
                                 char                **reason,
                                 GError              **error)
{
  return db->klass->add_ticket_event (db, ticket_id, id, kind, body, assignee, username, result,
                                      reason, error);
}

GPtrArray *
ow_platform_db_list_ticket_events (OwPlatformDb  *db,
                                   const char    *ticket_id,
                                   GError       **error)
{
  return db->klass->list_ticket_events (db, ticket_id, error);
}

gboolean
ow_platform_db_escalate_tickets (OwPlatformDb  *db,
                                 const char    *today,
                                 gint64         now,
                                 guint         *escalated,
                                 GError       **error)
{
  return db->klass->escalate_tickets (db, today, now, escalated, error);
}

gboolean
ow_platform_db_put_rating (OwPlatformDb         *db,
                           const char           *id,
                           const char           *case_no,
                           const char           *channel,
                           int                   level,
                           const char           *body,
                           const char           *username,
                           OwPlatformPutResult  *result,
                           GError              **error)
{
  return db->klass->put_rating (db, id, case_no, channel, level, body, username, result, error);
}

char *
ow_platform_db_get_rating (OwPlatformDb  *db,
                           const char    *id,
                           GError       **error)
{
  return db->klass->get_rating (db, id, error);
}

GHashTable *
ow_platform_db_count_cases_by_state (OwPlatformDb  *db,
                                     const char    *hall,
                                     GError       **error)
{
  return db->klass->count_cases_by_state (db, hall, error);
}

GPtrArray *
ow_platform_db_list_late_cases (OwPlatformDb  *db,
                                const char    *hall,
                                const char    *states,
                                const char    *before,
                                guint          limit,
                                GError       **error)
{
  return db->klass->list_late_cases (db, hall, states, before, limit, error);
}

gboolean
ow_platform_db_count_tickets (OwPlatformDb  *db,
                              const char    *hall,
                              const char    *today,
                              gint64        *open,
                              gint64        *overdue,
                              GError       **error)
{
  return db->klass->count_tickets (db, hall, today, open, overdue, error);
}

gboolean
ow_platform_db_count_ratings (OwPlatformDb  *db,
                              const char    *hall,
                              gint64        *total,
                              gint64        *poor,
                              gint64        *unfollowed,
                              GError       **error)
{
  return db->klass->count_ratings (db, hall, total, poor, unfollowed, error);
}

/* The supervisor's overview ---------------------------------------------------------------- */

GPtrArray *
ow_platform_db_count_cases (OwPlatformDb               *db,
                            const OwPlatformCaseFilter *filter,
                            OwCaseCountBy               by,
                            gint64                     *total,
                            GError                    **error)
{
  return db->klass->count_cases (db, filter, by, total, error);
}

GPtrArray *
ow_platform_db_count_by_promised (OwPlatformDb  *db,
                                  const char    *hall,
                                  const char    *states,
                                  GError       **error)
{
  return db->klass->count_by_promised (db, hall, states, error);
}

GPtrArray *
ow_platform_db_count_received (OwPlatformDb  *db,
                               const char    *hall,
                               const char    *from,
                               const char    *to,
                               GError       **error)
{
  return db->klass->count_received (db, hall, from, to, error);
}

GPtrArray *
ow_platform_db_count_reform_items (OwPlatformDb  *db,
                                   gint64         revision,
                                   GError       **error)
{
  return db->klass->count_reform_items (db, revision, error);
}

GPtrArray *
ow_platform_db_count_reform_usage (OwPlatformDb  *db,
                                   const char    *hall,
                                   const char    *from,
                                   const char    *to,
                                   gboolean       by_department,
                                   GError       **error)
{
  return db->klass->count_reform_usage (db, hall, from, to, by_department, error);
}

GPtrArray *
ow_platform_db_count_ratings_by (OwPlatformDb         *db,
                                 const char           *hall,
                                 const char           *from,
                                 const char           *to,
                                 OwPlatformRatingsBy   by,
                                 GError              **error)
{
  return db->klass->count_ratings_by (db, hall, from, to, by, error);
}

GPtrArray *
ow_platform_db_list_ratings (OwPlatformDb  *db,
                             const char    *hall,
                             const char    *from,
                             const char    *to,
                             gboolean       poor_only,
                             const char    *follow_up,
                             gint64         after,
                             guint          limit,
                             GError       **error)
{
  return db->klass->list_ratings (db, hall, from, to, poor_only, follow_up, after, limit, error);
}

/* Failed log-ins and the audit log ---------------------------------------------------------- */

void
ow_platform_login_failures_free (OwPlatformLoginFailures *failures)
{
  if (failures == NULL)
    return;
  g_free (failures->username);
  g_free (failures->address);
  g_free (failures);
}

void
ow_platform_audit_record_free (OwPlatformAuditRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->actor);
  g_free (record->event);
  g_free (record->subject);
  g_free (record->address);
  g_free (record->detail);
  g_free (record);
}

OwPlatformLoginFailures *
ow_platform_db_get_login_failures (OwPlatformDb  *db,
                                   const char    *username,
                                   const char    *address,
                                   GError       **error)
{
  return db->klass->get_login_failures (db, username, address, error);
}

OwPlatformLoginFailures *
ow_platform_db_add_login_failure (OwPlatformDb  *db,
                                  const char    *username,
                                  const char    *address,
                                  gint64         now,
                                  gint64         window,
                                  guint          lock_after,
                                  gint64         lock_seconds,
                                  GError       **error)
{
  return db->klass->add_login_failure (db, username, address, now, window, lock_after,
                                       lock_seconds, error);
}

gboolean
ow_platform_db_clear_login_failures (OwPlatformDb  *db,
                                     const char    *username,
                                     const char    *address,
                                     GError       **error)
{
  return db->klass->clear_login_failures (db, username, address, error);
}

gboolean
ow_platform_db_unlock_logins (OwPlatformDb  *db,
                              const char    *username,
                              const char    *address,
                              const char    *actor,
                              gint64         now,
                              guint         *unlocked,
                              GError       **error)
{
  return db->klass->unlock_logins (db, username, address, actor, now, unlocked, error);
}

GPtrArray *
ow_platform_db_list_login_locks (OwPlatformDb  *db,
                                 GError       **error)
{
  return db->klass->list_login_locks (db, error);
}

gboolean
ow_platform_db_add_audit (OwPlatformDb  *db,
                          gint64         at,
                          const char    *actor,
                          const char    *event,
                          const char    *subject,
                          const char    *address,
                          const char    *detail,
                          GError       **error)
{
  return db->klass->add_audit (db, at, actor, event, subject, address, detail, error);
}

GPtrArray *
ow_platform_db_list_audit (OwPlatformDb  *db,
                           guint          limit,
                           GError       **error)
{
  return db->klass->list_audit (db, limit, error);
}
