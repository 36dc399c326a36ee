/* ow-platform-db.h — the reference platform's storage: users, sessions, catalog, calendar, cases
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One interface, two implementations: an embedded SQLite file in WAL mode (one hall, the default;
 * ow-platform-sqlite*.c) or a PostgreSQL database shared by any number of platform processes (a
 * province; ow-platform-pg*.c). The handlers see only this header, never which one serves them.
 * Every statement is prepared once and bound, never assembled from text. Every rule that must
 * hold across processes — idempotency, exactly-once, the order of the changes feed, background
 * jobs run once — is the database's to enforce, not a process's memory.
 *
 * A handle (OwPlatformDb) is one connection: use it from one thread at a time. Open more
 * handles on the same target for more threads; the schema is created or upgraded by the first.
 * Only the platform uses this; the client has its own store.
 */
#pragma once

#include <glib.h>

#include "core/ow-statistics.h"

G_BEGIN_DECLS

#define OW_SERVER_ERROR (ow_server_error_quark ())

typedef enum
{
  OW_SERVER_ERROR_DATABASE,  /* the database failed: the message carries its own */
  OW_SERVER_ERROR_SCHEMA,    /* the database was made by a newer platform */
  OW_SERVER_ERROR_DATA,      /* a seed file (catalog, calendar) is missing or malformed */
  OW_SERVER_ERROR_LISTEN,    /* the address cannot be listened on */
} OwServerError;

GQuark ow_server_error_quark (void);

/* The schema this code writes on SQLite; PRAGMA user_version holds the database's. */
#define OW_PLATFORM_DB_SCHEMA_VERSION 8
/* The same on PostgreSQL, whose table ow_schema holds the database's (its own numbering: its
 * version 1 is SQLite's 4, its 2 SQLite's 5, its 3 SQLite's 6, its 4 SQLite's 7). */
#define OW_PLATFORM_PG_SCHEMA_VERSION 5

typedef struct
{
  char  *username;
  char  *display_name;
  char  *password_hash;  /* crypto_pwhash_str output, never the password */
  char **roles;
  char  *hall;
  char  *hall_name;
  guint  counter;
  /* A department user's department, spelt as the catalog's items name it in `department`; NULL
   * for users of no department (schema 5). What they may see follows from it
   * (ow-platform-access.h). */
  char  *department;
  gboolean disabled; /* may no longer log in (ow_platform_db_set_user_disabled) */
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
  OW_PLATFORM_PUT_NOT_FOUND, /* what it belongs to (the case, the ticket) is not there */
  OW_PLATFORM_PUT_ILLEGAL,   /* the state machine forbids it in the current state */
  OW_PLATFORM_PUT_DUPLICATE, /* another record under another id holds its place (a case's one
                              * on-site rating) */
} OwPlatformPutResult;

/* A row of the changes feed. */
typedef struct
{
  gint64  seq;
  char   *kind;  /* "case", "case-event", "ticket", "catalog", "calendar", "rating" */
  char   *key;
  gint64  at;    /* Unix seconds */
  char   *user;  /* whom it is for: a user name (a ticket's assignee), or NULL */
  char   *role;  /* … or everyone with a role ("supervisor" for an escalation), or NULL */
} OwPlatformChange;

void ow_platform_change_free (OwPlatformChange *change);

/* The orders GET /api/v1/cases lists in (`sort`). */
typedef enum
{
  OW_PLATFORM_CASE_SORT_UPDATED = 0,  /* oldest change first: what a client's sync pages by */
  OW_PLATFORM_CASE_SORT_RECEIVED,     /* by received_at, then case number */
  OW_PLATFORM_CASE_SORT_PROMISED,     /* by the promised date (none last), then case number */
} OwPlatformCaseSort;

/* The filters of GET /api/v1/cases; NULL / 0 / -1 for "any". */
typedef struct
{
  const char *state;
  const char *hall;
  gint64      counter;        /* -1: any */
  const char *department;
  gint64      updated_since;  /* Unix seconds; 0: any */
  gint64      after;          /* the cursor: change_seq of the last case seen; 0: from the start */
  guint       limit;

  /* The supervisor's overview (ow-platform-case-query.c fills these from the request). */
  const char *states;          /* a JSON array of states, any of which matches */
  const char *promised_from;   /* YYYY-MM-DD: promised on or after */
  const char *promised_before; /* YYYY-MM-DD: promised before */
  const char *channel;         /* "window" matches the cases that say none too */
  const char *clerk;
  const char *item;            /* an item id any of the case's items has */
  const char *received_from;   /* YYYY-MM-DD in the hall, inclusive */
  const char *received_to;
  const char *case_no_prefix;  /* a LIKE pattern, escaped with '\\' */
  const char *name_pattern;    /* a LIKE pattern on the applicant's name, escaped with '\\' */
  OwPlatformCaseSort sort;
  gboolean    descending;
  const char *after_key;       /* other sorts: the last case's sort key, NULL from the start */
  const char *after_case_no;
  /* The pick-up window: the applicant's ID number or credit code, normalized (upper case). */
  const char *id_number;
} OwPlatformCaseFilter;

/* A case as listed: its body as PUT, its current state and its place in the list. */
typedef struct
{
  char   *body;
  char   *state;
  gint64  change_seq;
  gint64  updated_at;
  char   *case_no;
  char   *sort_key;    /* received_at or the promised date, as the list was sorted; else NULL */
} OwPlatformCaseRow;

void ow_platform_case_row_free (OwPlatformCaseRow *row);

typedef struct _OwPlatformDb OwPlatformDb;

typedef enum
{
  OW_PLATFORM_DB_OPEN_CREATE   = 0,       /* create the schema when missing, upgrade an older one */
  OW_PLATFORM_DB_OPEN_EXISTING = 1 << 0,  /* fail unless a platform made the database before (the
                                           * admin CLI: a typo must not go unnoticed) */
} OwPlatformDbOpenFlags;

/* Background work that must run in one process at a time across all those on a database. */
typedef enum
{
  OW_PLATFORM_JOB_ESCALATION,  /* the periodic look for overdue tickets */
  OW_PLATFORM_JOB_BACKOFFICE,  /* the demo back office */
} OwPlatformJob;

/* Whether @target names a PostgreSQL database (a libpq URI, postgresql://… or postgres://…)
 * rather than a SQLite file. */
gboolean        ow_platform_db_target_is_postgresql (const char *target);

/* Opens @target: a PostgreSQL URI, or else the path of a SQLite file (created if missing unless
 * @flags say OW_PLATFORM_DB_OPEN_EXISTING). */
OwPlatformDb   *ow_platform_db_open             (const char           *target,
                                                 OwPlatformDbOpenFlags flags,
                                                 GError              **error);
void            ow_platform_db_free             (OwPlatformDb         *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPlatformDb, ow_platform_db_free)

/* A GSource whose callback (a GSourceFunc) runs whenever the changes feed may have grown through
 * another process (or handle): PostgreSQL's LISTEN on a connection of the source's own, SQLite a
 * look twice a second. It holds nothing of @db, so it can stay on the main loop while handles
 * serve elsewhere. The callback must then read the feed itself. */
GSource        *ow_platform_db_watch_changes    (OwPlatformDb         *db,
                                                 GError              **error);

/* Claims @job for this handle: @acquired TRUE when no other process holds it (PostgreSQL's
 * session advisory lock, freed should the process die); always TRUE on SQLite, which serves one
 * process. Release a claim with ow_platform_db_end_job(). */
gboolean        ow_platform_db_try_job          (OwPlatformDb         *db,
                                                 OwPlatformJob         job,
                                                 gboolean             *acquired,
                                                 GError              **error);
void            ow_platform_db_end_job          (OwPlatformDb         *db,
                                                 OwPlatformJob         job);

/* The work of one job on this handle is over (ow-platform-pool.c calls it after each): nothing
 * of it may stay open to weigh on the next. SQLite: every statement that still holds a read is
 * reset, or the handle would keep reading an old snapshot of the file and fail to write
 * (SQLITE_BUSY_SNAPSHOT) once another handle wrote; a transaction left open is rolled back,
 * with a warning. PostgreSQL: a transaction left open is rolled back, with a warning. */
void            ow_platform_db_idle             (OwPlatformDb         *db);

/* A transaction for maintenance (seeding, imports): one at a time across every process on the
 * database, so that two platforms starting at once seed it once. Inside it, call only functions
 * that make no transaction of their own (users, catalog, calendar, append_change). */
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

/* Disables an account (its sessions end: the next request is 401, a log-in 403) or enables it
 * again. @found FALSE when there is no such user. */
gboolean        ow_platform_db_set_user_disabled (OwPlatformDb        *db,
                                                 const char           *username,
                                                 gboolean              disabled,
                                                 gboolean             *found,
                                                 GError              **error);

/* Sets @username's department (NULL: none); @found tells whether there is such a user. */
gboolean        ow_platform_db_set_user_department (OwPlatformDb      *db,
                                                 const char           *username,
                                                 const char           *department,
                                                 gboolean             *found,
                                                 GError              **error);

/* The users of @hall (enabled ones), by name, with @role when not NULL: a GPtrArray of
 * OwPlatformUser. */
GPtrArray      *ow_platform_db_list_users       (OwPlatformDb         *db,
                                                 const char           *hall,
                                                 const char           *role,
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

/* Log-ins (ow-platform-sqlite-logins.c, ow-platform-pg-logins.c). Failed log-ins are counted per user name and client
 * address; at @lock_after in a row (none older than @window seconds before the latest) the pair
 * is locked, until ow_platform_db_unlock_logins() or until the caller lets the lock expire.
 * Times are Unix seconds on the platform's clock. */
typedef struct
{
  char   *username;
  char   *address;
  guint   failures;
  gint64  last_failed_at;
  gint64  locked_at;       /* 0: not locked */
} OwPlatformLoginFailures;

void            ow_platform_login_failures_free (OwPlatformLoginFailures *failures);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPlatformLoginFailures, ow_platform_login_failures_free)

/* The failures of @username from @address; NULL without an error when there are none. */
OwPlatformLoginFailures *ow_platform_db_get_login_failures (OwPlatformDb  *db,
                                                            const char    *username,
                                                            const char    *address,
                                                            GError       **error);
/* Counts one more failure at @now and returns the count as it stands. The failure that locks
 * the pair writes a "login-locked" record to the audit log in the same transaction. Failures
 * older than @window (and locks older than @lock_seconds) are forgotten on the way. */
OwPlatformLoginFailures *ow_platform_db_add_login_failure  (OwPlatformDb  *db,
                                                            const char    *username,
                                                            const char    *address,
                                                            gint64         now,
                                                            gint64         window,
                                                            guint          lock_after,
                                                            gint64         lock_seconds,
                                                            GError       **error);
/* A successful log-in forgets the pair's failures. */
gboolean        ow_platform_db_clear_login_failures (OwPlatformDb     *db,
                                                     const char       *username,
                                                     const char       *address,
                                                     GError          **error);
/* Lifts the locks of @username from @address (NULL: from everywhere) and records who did it
 * (@actor) in the audit log; @unlocked says how many there were. */
gboolean        ow_platform_db_unlock_logins    (OwPlatformDb         *db,
                                                 const char           *username,
                                                 const char           *address,
                                                 const char           *actor,
                                                 gint64                now,
                                                 guint                *unlocked,
                                                 GError              **error);
/* The locked pairs, newest first: a GPtrArray of OwPlatformLoginFailures. */
GPtrArray      *ow_platform_db_list_login_locks (OwPlatformDb         *db,
                                                 GError              **error);

/* The audit log: append-only (the database refuses to change or delete a record). */
typedef struct
{
  gint64  seq;
  gint64  at;
  char   *actor;    /* who: a user name, "admin" (the admin CLI) or "platform" */
  char   *event;    /* "login-locked", "login-unlocked" */
  char   *subject;  /* whom it concerns: a user name */
  char   *address;  /* the client address it concerns, or NULL */
  char   *detail;   /* or NULL */
} OwPlatformAuditRecord;

void            ow_platform_audit_record_free   (OwPlatformAuditRecord *record);
gboolean        ow_platform_db_add_audit        (OwPlatformDb         *db,
                                                 gint64                at,
                                                 const char           *actor,
                                                 const char           *event,
                                                 const char           *subject,
                                                 const char           *address,
                                                 const char           *detail,
                                                 GError              **error);
/* The @limit newest records, oldest first: a GPtrArray of OwPlatformAuditRecord. */
GPtrArray      *ow_platform_db_list_audit       (OwPlatformDb         *db,
                                                 guint                 limit,
                                                 GError              **error);

/* The catalog, item by item (ow-platform-sqlite-catalog.c, ow-platform-pg-catalog.c). Each revision keeps only the items it
 * changed (canonical JSON) and marks those it dropped, so that a delta is a query and a
 * province's catalog is never held as one string. An item keeps the place it first had: items
 * new in a revision come after the older ones. */

/* An item's place in the catalog's order is its first revision × this + its position in that
 * revision's file. */
#define OW_PLATFORM_CATALOG_PLACES G_GINT64_CONSTANT (16777216)

/* An item as a page lists it. */
typedef struct
{
  char   *id;
  char   *body;   /* canonical JSON; NULL when the item was removed (in a delta) */
  gint64  place;  /* its place in the catalog's order: what the next page starts after */
} OwPlatformCatalogItem;

void ow_platform_catalog_item_free (OwPlatformCatalogItem *item);

/* The newest catalog revision, its header (the catalog object without its items: revision,
 * hall, departments, bundles; canonical JSON) and the fingerprint of the file it came from;
 * @revision 0 and NULL strings when none was stored. */
gboolean        ow_platform_db_get_catalog      (OwPlatformDb         *db,
                                                 gint64               *revision,
                                                 char                **header,
                                                 char                **source,
                                                 GError              **error);
/* The header of @revision; TRUE with @header NULL when that revision is not stored. */
gboolean        ow_platform_db_get_catalog_header (OwPlatformDb       *db,
                                                 gint64               revision,
                                                 char               **header,
                                                 GError             **error);

/* An import, inside ow_platform_db_begin() … _commit(): begin, put each item of the file in its
 * order, finish. @revision is the one the items are stored under; finish may renumber them
 * (@final_revision, when the file's own revision, read last, is higher), stores the header
 * and @source, marks what was not put as removed, and appends the change to the feed.
 * @duplicate: the id was put already in this import. @changed counts the items new or
 * different from the revision before, and those removed. */
gboolean        ow_platform_db_begin_catalog    (OwPlatformDb         *db,
                                                 gint64                revision,
                                                 GError              **error);
gboolean        ow_platform_db_put_catalog_item (OwPlatformDb         *db,
                                                 gint64                revision,
                                                 guint                 position,
                                                 const char           *id,
                                                 const char           *body,
                                                 gint64                legal_limit,
                                                 gint64                visits,
                                                 gboolean             *duplicate,
                                                 GError              **error);
gboolean        ow_platform_db_finish_catalog   (OwPlatformDb         *db,
                                                 gint64                revision,
                                                 gint64                final_revision,
                                                 const char           *header,
                                                 const char           *source,
                                                 guint                *changed,
                                                 GError              **error);
/* Whether @revision (as being imported or stored) holds @item_id. */
gboolean        ow_platform_db_catalog_has_item (OwPlatformDb         *db,
                                                 gint64                revision,
                                                 const char           *item_id,
                                                 gboolean             *found,
                                                 GError              **error);
/* The items of @revision in the catalog's order after place @after (0: from the start), at
 * most @limit: a GPtrArray of OwPlatformCatalogItem. With @since > 0 only what changed after
 * revision @since: the items new or different, and those removed since (body NULL). */
GPtrArray      *ow_platform_db_list_catalog_items (OwPlatformDb       *db,
                                                 gint64               revision,
                                                 gint64               since,
                                                 gint64               after,
                                                 guint                limit,
                                                 GError             **error);
/* The legal time limit the newest revision that lists @item_id gives it (an item dropped since
 * keeps the one it had); @found FALSE when no revision lists it. */
gboolean        ow_platform_db_get_item_legal_limit (OwPlatformDb     *db,
                                                 const char          *item_id,
                                                 gint64              *limit,
                                                 gboolean            *found,
                                                 GError             **error);
/* The items of @revision, and those among them the applicant never has to come for. */
gboolean        ow_platform_db_count_catalog_items (OwPlatformDb      *db,
                                                 gint64               revision,
                                                 gint64              *items,
                                                 gint64              *zero_trip,
                                                 GError             **error);

/* Calendar days; @hall "" for the national schedule. @changed: whether the day was new or
 * different. */
gboolean        ow_platform_db_set_day          (OwPlatformDb         *db,
                                                 const char           *hall,
                                                 const char           *date,
                                                 const char           *kind,
                                                 const char           *name,
                                                 gboolean             *changed,
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

/* Stores @body (canonical JSON) under @case_no unless it is there already, comparing bodies; a
 * new case is a change in the feed. The comparison is with the body as first PUT, also after
 * events amended the case (see ow_platform_db_add_case_event()), so that a resend still
 * compares equal. */
gboolean        ow_platform_db_put_case         (OwPlatformDb         *db,
                                                 const char           *case_no,
                                                 const char           *body,
                                                 const char           *state,
                                                 const char           *hall,
                                                 guint                 counter,
                                                 const char           *username,
                                                 OwPlatformPutResult  *result,
                                                 GError              **error);
/* The case as it stands (the body as PUT, amended by its events since) and the current state,
 * or NULL (no error) when unknown. */
char           *ow_platform_db_get_case         (OwPlatformDb         *db,
                                                 const char           *case_no,
                                                 char                **state,
                                                 GError              **error);
/* Cases matching @filter, oldest change first, at most @filter->limit + 1 of them (the extra one
 * tells the caller there is a next page): a GPtrArray of OwPlatformCaseRow. */
GPtrArray      *ow_platform_db_list_cases       (OwPlatformDb         *db,
                                                 const OwPlatformCaseFilter *filter,
                                                 GError              **error);
/* The cases (each as it stands, canonical JSON) whose material lines name the file @sha256, at
 * most @limit of them, and when @department is not NULL only those with an item of that
 * department: a GPtrArray of char *. Who may then read the file is the caller's to decide. */
GPtrArray      *ow_platform_db_list_cases_naming_file (OwPlatformDb   *db,
                                                 const char           *sha256,
                                                 const char           *department,
                                                 guint                 limit,
                                                 GError              **error);
/* Cases in @state not updated since @before, for the demo back office: a GStrv. Only those
 * whose last change came after the feed's @after_seq, so that the back office moves on what
 * happens while it runs and leaves a seeded history as it is. */
char          **ow_platform_db_list_stale_cases (OwPlatformDb         *db,
                                                 const char           *state,
                                                 gint64                before,
                                                 gint64                after_seq,
                                                 GError              **error);

/* Records event @id (canonical @body) of @kind on @case_no, moving the case through the state
 * machine: CREATED (the case's new state in @state), SAME / CONFLICT for a known id, NOT_FOUND
 * for an unknown case, ILLEGAL (with @error's message set to why) when the state machine forbids
 * it. When @amended is not NULL and the event is recorded, it becomes the case as it stands
 * (canonical JSON: the stored case with the event's promised date, document number and lines
 * applied); the body as first PUT is kept beside it for the PUT's comparison. One transaction,
 * with its change in the feed. */
gboolean        ow_platform_db_add_case_event   (OwPlatformDb         *db,
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
/* Whether an event with @id is stored (for any case). */
gboolean        ow_platform_db_has_case_event   (OwPlatformDb         *db,
                                                 const char           *id,
                                                 gboolean             *exists,
                                                 GError              **error);
/* The bodies of @case_no's events in the order they were recorded; NULL with no error when the
 * case is unknown. */
GPtrArray      *ow_platform_db_list_case_events (OwPlatformDb         *db,
                                                 const char           *case_no,
                                                 GError              **error);

/* Files by their SHA-256 (lower-case hex). */
gboolean        ow_platform_db_put_file         (OwPlatformDb         *db,
                                                 const char           *sha256,
                                                 const char           *content_type,
                                                 GBytes               *data,
                                                 const char           *username,
                                                 OwPlatformPutResult  *result,
                                                 GError              **error);
/* The bytes, or NULL (no error) when unknown. */
GBytes         *ow_platform_db_get_file         (OwPlatformDb         *db,
                                                 const char           *sha256,
                                                 char                **content_type,
                                                 GError              **error);
gboolean        ow_platform_db_has_file         (OwPlatformDb         *db,
                                                 const char           *sha256,
                                                 gboolean             *exists,
                                                 GError              **error);

/* Appends a row to the changes feed; call inside the transaction of the change itself. Seqs
 * become visible in order: no reader sees a seq before every smaller one is committed (or
 * rolled back), so a cursor never passes over a change that commits later. */
gboolean        ow_platform_db_append_change    (OwPlatformDb         *db,
                                                 const char           *kind,
                                                 const char           *key,
                                                 gint64               *seq,
                                                 GError              **error);
/* The same, addressed to @user and/or everyone with @role (either may be NULL). */
gboolean        ow_platform_db_append_change_for (OwPlatformDb        *db,
                                                  const char          *kind,
                                                  const char          *key,
                                                  const char          *user,
                                                  const char          *role,
                                                  gint64              *seq,
                                                  GError             **error);
/* Changes after @since, at most @limit: a GPtrArray of OwPlatformChange. */
GPtrArray      *ow_platform_db_list_changes     (OwPlatformDb         *db,
                                                 gint64                since,
                                                 guint                 limit,
                                                 GError              **error);
/* The newest change's seq, 0 when there is none. */
gint64          ow_platform_db_last_change      (OwPlatformDb         *db,
                                                 GError              **error);

/* Tickets (ow-platform-db-tickets.c) ---------------------------------------------------------- */

typedef struct
{
  char *body;
  char *state;
  char *assignee;  /* NULL until assigned */
  char *due_date;  /* YYYY-MM-DD */
  gint64 escalated_at;  /* Unix seconds on the platform's clock; 0: not escalated */
  char *hall;      /* of the user who registered it */
} OwPlatformTicketRow;

void ow_platform_ticket_row_free (OwPlatformTicketRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPlatformTicketRow, ow_platform_ticket_row_free)

/* Stores a new ticket (state "registered") unless its id is taken, comparing bodies. */
gboolean             ow_platform_db_put_ticket          (OwPlatformDb         *db,
                                                         const char           *id,
                                                         const char           *body,
                                                         const char           *due_date,
                                                         const char           *username,
                                                         OwPlatformPutResult  *result,
                                                         GError              **error);
/* NULL (no error) when unknown. */
OwPlatformTicketRow *ow_platform_db_get_ticket          (OwPlatformDb         *db,
                                                         const char           *id,
                                                         GError              **error);
/* Tickets by registration, filtered; @overdue_on (YYYY-MM-DD, or NULL for any) keeps the open
 * ones due before it. A GPtrArray of OwPlatformTicketRow. */
GPtrArray           *ow_platform_db_list_tickets        (OwPlatformDb         *db,
                                                         const char           *state,
                                                         const char           *assignee,
                                                         const char           *overdue_on,
                                                         GError              **error);
/* As ow_platform_db_add_case_event(), through the ticket state machine; @assignee (for
 * "assigned") becomes the ticket's. */
gboolean             ow_platform_db_add_ticket_event    (OwPlatformDb         *db,
                                                         const char           *ticket_id,
                                                         const char           *id,
                                                         const char           *kind,
                                                         const char           *body,
                                                         const char           *assignee,
                                                         const char           *username,
                                                         OwPlatformPutResult  *result,
                                                         char                **reason,
                                                         GError              **error);
GPtrArray           *ow_platform_db_list_ticket_events  (OwPlatformDb         *db,
                                                         const char           *ticket_id,
                                                         GError              **error);
/* Marks every open ticket due before @today (YYYY-MM-DD) and not yet escalated as escalated at
 * @now, each with a "ticket" change for the supervisors (and its assignee), in one
 * transaction; @escalated counts them. */
gboolean             ow_platform_db_escalate_tickets    (OwPlatformDb         *db,
                                                         const char           *today,
                                                         gint64                now,
                                                         guint                *escalated,
                                                         GError              **error);

/* Ratings: NOT_FOUND for an unknown case, DUPLICATE for a second on-site rating of a case. */
gboolean             ow_platform_db_put_rating          (OwPlatformDb         *db,
                                                         const char           *id,
                                                         const char           *case_no,
                                                         const char           *channel,
                                                         int                   level,
                                                         const char           *body,
                                                         const char           *username,
                                                         OwPlatformPutResult  *result,
                                                         GError              **error);
/* The body, or NULL (no error) when unknown. */
char                *ow_platform_db_get_rating          (OwPlatformDb         *db,
                                                         const char           *id,
                                                         GError              **error);

/* The overview (ow-platform-db-overview.c) -------------------------------------------------- */

/* Counts come as OwStatGroup (core/ow-statistics.h): key, name, count and part. */

/* The cases matching @filter (its cursor, order and limit unused) grouped @by, the largest
 * group first: a GPtrArray of OwStatGroup; @total, when not NULL, all the cases matched. A
 * case counts once in each department and item it names. */
GPtrArray   *ow_platform_db_count_cases         (OwPlatformDb               *db,
                                                 const OwPlatformCaseFilter *filter,
                                                 OwCaseCountBy           by,
                                                 gint64                     *total,
                                                 GError                    **error);
/* The cases of @hall in @states (a JSON array) with a promised date, grouped by it, oldest
 * first: OwStatGroup with the date as key. How late each is follows from the calendar. */
GPtrArray   *ow_platform_db_count_by_promised   (OwPlatformDb               *db,
                                                 const char                 *hall,
                                                 const char                 *states,
                                                 GError                    **error);
/* Cases of @hall received on each day of [@from, @to]: OwStatGroup by date. */
GPtrArray   *ow_platform_db_count_received      (OwPlatformDb               *db,
                                                 const char                 *hall,
                                                 const char                 *from,
                                                 const char                 *to,
                                                 GError                    **error);

/* The reform's indicators, in SQL. Availability from the newest catalog: the "6+1" items
 * (count) and those taking no trip (part), for the hall (key NULL) and by department. */
GPtrArray   *ow_platform_db_count_reform_items  (OwPlatformDb               *db,
                                                 gint64                      revision,
                                                 GError                    **error);
/* Usage: the cases of @hall received in [@from, @to] (NULL bounds are open) that name a
 * zero-trip "6+1" item (count) and those among them that came through a zero-trip channel
 * (part), by day of receipt (key "YYYY-MM-DD": a case has one, so days add up to the hall and
 * to months) or, @by_department, by department (a case once in each it names). */
GPtrArray   *ow_platform_db_count_reform_usage  (OwPlatformDb               *db,
                                                 const char                 *hall,
                                                 const char                 *from,
                                                 const char                 *to,
                                                 gboolean                    by_department,
                                                 GError                    **error);

/* What GET /api/v1/statistics counts ratings by in a period. */
typedef enum
{
  OW_PLATFORM_RATINGS_BY_LEVEL,
  OW_PLATFORM_RATINGS_BY_COUNTER,
  OW_PLATFORM_RATINGS_BY_CLERK,
  OW_PLATFORM_RATINGS_BY_ITEM,
} OwPlatformRatingsBy;

/* Ratings of @hall's cases made in [@from, @to] (NULL: open) grouped @by, with the poor ones
 * (levels 4 and 5) as part. */
GPtrArray   *ow_platform_db_count_ratings_by    (OwPlatformDb               *db,
                                                 const char                 *hall,
                                                 const char                 *from,
                                                 const char                 *to,
                                                 OwPlatformRatingsBy         by,
                                                 GError                    **error);

/* A rating as GET /api/v1/ratings lists it. */
typedef struct
{
  char   *body;           /* as PUT */
  gint64  position;       /* the cursor */
  guint   counter;        /* of its case */
  char   *clerk;
  char   *clerk_name;     /* the clerk's display name, NULL when not a user */
  char   *item_id;        /* the case's first item */
  char   *item_name;
  char   *ticket_id;      /* the first ticket that follows it up, or NULL */
  char   *ticket_state;
} OwPlatformRatingRow;

void ow_platform_rating_row_free (OwPlatformRatingRow *row);

/* Ratings of @hall's cases, newest first, made in [@from, @to] (NULL: open); only poor ones when
 * @poor_only; @follow_up "none" for those no ticket follows up, "some" for those one does, NULL
 * for either; after the position @after (0: from the newest), at most @limit + 1. */
GPtrArray   *ow_platform_db_list_ratings        (OwPlatformDb               *db,
                                                 const char                 *hall,
                                                 const char                 *from,
                                                 const char                 *to,
                                                 gboolean                    poor_only,
                                                 const char                 *follow_up,
                                                 gint64                      after,
                                                 guint                       limit,
                                                 GError                    **error);
/* Statistics. */
typedef struct
{
  char   *case_no;
  char   *state;
  char   *promised_date;  /* YYYY-MM-DD */
} OwPlatformOpenCase;

void ow_platform_open_case_free (OwPlatformOpenCase *open_case);

/* @hall's cases by state: a GHashTable of char * → GINT_TO_POINTER. */
GHashTable          *ow_platform_db_count_cases_by_state (OwPlatformDb        *db,
                                                          const char          *hall,
                                                          GError             **error);
/* @hall's cases in @states (a JSON array: those whose clock runs) promised before @before
 * (YYYY-MM-DD), the oldest promise first, at most @limit: OwPlatformOpenCase. */
GPtrArray           *ow_platform_db_list_late_cases     (OwPlatformDb         *db,
                                                         const char           *hall,
                                                         const char           *states,
                                                         const char           *before,
                                                         guint                 limit,
                                                         GError              **error);
/* @hall's open tickets, and those among them due before @today. */
gboolean             ow_platform_db_count_tickets       (OwPlatformDb         *db,
                                                         const char           *hall,
                                                         const char           *today,
                                                         gint64               *open,
                                                         gint64               *overdue,
                                                         GError              **error);
/* Ratings of @hall's cases, poor ones (level 4 不满意 or 5 非常不满意), and poor ones no ticket
 * follows up. */
gboolean             ow_platform_db_count_ratings       (OwPlatformDb         *db,
                                                         const char           *hall,
                                                         gint64               *total,
                                                         gint64               *poor,
                                                         gint64               *unfollowed,
                                                         GError              **error);

G_END_DECLS
