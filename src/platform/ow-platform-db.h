/* ow-platform-db.h — the reference platform's storage: users, sessions, catalog, calendar, cases
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SQLite file in WAL mode. Every statement is prepared once and bound, never assembled from
 * text. Only the platform uses this; the client has its own store.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OW_SERVER_ERROR (ow_server_error_quark ())

typedef enum
{
  OW_SERVER_ERROR_DATABASE,  /* SQLite failed: the message carries its own */
  OW_SERVER_ERROR_SCHEMA,    /* the database was made by a newer platform */
  OW_SERVER_ERROR_DATA,      /* a seed file (catalog, calendar) is missing or malformed */
  OW_SERVER_ERROR_LISTEN,    /* the address cannot be listened on */
} OwServerError;

GQuark ow_server_error_quark (void);

/* The schema this code writes; PRAGMA user_version holds the database's. */
#define OW_PLATFORM_DB_SCHEMA_VERSION 1

typedef struct
{
  char  *username;
  char  *display_name;
  char  *password_hash;  /* crypto_pwhash_str output, never the password */
  char **roles;
  char  *hall;
  char  *hall_name;
  guint  counter;
} OwPlatformUser;

OwPlatformUser *ow_platform_user_copy (const OwPlatformUser *user);
void            ow_platform_user_free (OwPlatformUser *user);
gboolean        ow_platform_user_has_role (const OwPlatformUser *user, const char *role);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPlatformUser, ow_platform_user_free)

typedef struct
{
  char     *date;   /* YYYY-MM-DD */
  char     *kind;   /* "off" or "work" */
  char     *name;
  gboolean  local;  /* a day of the hall's own, not the national schedule */
} OwPlatformDay;

void ow_platform_day_free (OwPlatformDay *day);

typedef enum
{
  OW_PLATFORM_PUT_CREATED,   /* stored for the first time */
  OW_PLATFORM_PUT_SAME,      /* already stored with the same body: nothing changed */
  OW_PLATFORM_PUT_CONFLICT,  /* already stored with another body: nothing changed */
} OwPlatformPutResult;

typedef struct _OwPlatformDb OwPlatformDb;

OwPlatformDb   *ow_platform_db_open             (const char           *path,
                                                 GError              **error);
void            ow_platform_db_free             (OwPlatformDb         *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPlatformDb, ow_platform_db_free)

gboolean        ow_platform_db_begin            (OwPlatformDb         *db,
                                                 GError              **error);
gboolean        ow_platform_db_commit           (OwPlatformDb         *db,
                                                 GError              **error);
void            ow_platform_db_rollback         (OwPlatformDb         *db);

/* Users. Lookups return NULL without an error when there is no such user. */
gboolean        ow_platform_db_add_user         (OwPlatformDb         *db,
                                                 const OwPlatformUser *user,
                                                 gboolean             *added,
                                                 GError              **error);
OwPlatformUser *ow_platform_db_lookup_user      (OwPlatformDb         *db,
                                                 const char           *username,
                                                 GError              **error);

/* Sessions are kept by the SHA-256 of their token, so a copy of the database logs no one in. */
gboolean        ow_platform_db_add_session      (OwPlatformDb         *db,
                                                 const char           *token_hash,
                                                 const char           *username,
                                                 gint64                expires_at,
                                                 GError              **error);
OwPlatformUser *ow_platform_db_lookup_session   (OwPlatformDb         *db,
                                                 const char           *token_hash,
                                                 gint64                now,
                                                 GError              **error);
gboolean        ow_platform_db_delete_session   (OwPlatformDb         *db,
                                                 const char           *token_hash,
                                                 GError              **error);

/* The newest catalog revision; @revision 0 and NULL strings when none was stored. @source is
 * the canonical form of the file it was seeded from. */
gboolean        ow_platform_db_get_catalog      (OwPlatformDb         *db,
                                                 gint64               *revision,
                                                 char                **body,
                                                 char                **source,
                                                 GError              **error);
gboolean        ow_platform_db_add_catalog      (OwPlatformDb         *db,
                                                 gint64                revision,
                                                 const char           *body,
                                                 const char           *source,
                                                 GError              **error);

/* Calendar days; @hall "" for the national schedule. */
gboolean        ow_platform_db_set_day          (OwPlatformDb         *db,
                                                 const char           *hall,
                                                 const char           *date,
                                                 const char           *kind,
                                                 const char           *name,
                                                 GError              **error);
gboolean        ow_platform_db_mark_published   (OwPlatformDb         *db,
                                                 int                   year,
                                                 GError              **error);
gboolean        ow_platform_db_is_published     (OwPlatformDb         *db,
                                                 int                   year,
                                                 gboolean             *published,
                                                 GError              **error);
/* National days and @hall's own in @year, by date: a GPtrArray of OwPlatformDay. */
GPtrArray      *ow_platform_db_list_days        (OwPlatformDb         *db,
                                                 const char           *hall,
                                                 int                   year,
                                                 GError              **error);
gint64          ow_platform_db_count_days       (OwPlatformDb         *db,
                                                 GError              **error);

/* Stores @body (canonical JSON) under @case_no unless it is there already, comparing bodies. */
gboolean        ow_platform_db_put_case         (OwPlatformDb         *db,
                                                 const char           *case_no,
                                                 const char           *body,
                                                 const char           *state,
                                                 const char           *username,
                                                 OwPlatformPutResult  *result,
                                                 GError              **error);
/* The body as PUT and the current state, or NULL (no error) when unknown. */
char           *ow_platform_db_get_case         (OwPlatformDb         *db,
                                                 const char           *case_no,
                                                 char                **state,
                                                 GError              **error);

G_END_DECLS
