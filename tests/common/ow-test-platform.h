/* ow-test-platform.h — test helpers: run the real onewindow-platform, talk HTTP to it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Link with owtest_dep (tests/common/meson.build). The platform binary is found through the
 * OW_PLATFORM_BINARY environment variable (tests/common/meson.build sets it in test_env for every
 * suite), else OW_BUILD_DIR "/src/platform/onewindow-platform". The data directory defaults to
 * OW_DATA_DIR (the source tree's data/).
 *
 *   g_autoptr(OwTestPlatform) platform = ow_test_platform_start (&error);
 *   g_autofree char *token = ow_test_platform_login (platform, "clerk", "demo", &error);
 *   g_autoptr(OwTestResponse) r = ow_test_platform_request (platform, "GET", "/api/v1/catalog",
 *                                                            token, NULL, &error);
 *   g_assert_cmpuint (r->status, ==, 200);
 *
 * Each platform runs on a free loopback port with a fresh temporary directory holding its
 * database; ow_test_platform_free() stops the process (SIGTERM, then SIGKILL after 5 s) by its
 * PID and removes the directory. Safe to use from suites that run in parallel.
 *
 * With OW_TEST_DB=postgresql (the suites' "-pg" runs), the database is instead a fresh one in
 * the test program's own PostgreSQL server (ow-test-postgres.h), dropped by _free(). Tests that
 * look into the database use ow_test_platform_query() and _count(), which speak to either.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _OwTestPlatform OwTestPlatform;

/* Starts the platform with --demo on the default data directory and waits until it answers. */
OwTestPlatform *ow_test_platform_start         (GError        **error);
/* The same with a data directory of your own (NULL: the default) and with or without --demo. */
OwTestPlatform *ow_test_platform_start_full    (const char     *data_dir,
                                                gboolean        demo,
                                                GError        **error);
/* The same with more arguments for the platform (a NULL-terminated list, NULL for none), such as
 * { "--now", "2026-12-10T09:00:00+08:00", NULL }; they are kept for restarts. */
OwTestPlatform *ow_test_platform_start_with_args (const char * const *args,
                                                  GError            **error);
/* Replaces the extra arguments for the next restart (NULL: none), e.g. to move --now on. */
void            ow_test_platform_set_args      (OwTestPlatform      *self,
                                                const char * const  *args);
/* Stops the process and starts it again on the same database and, when it can, the same port
 * (so a client keeps its base URI); waits until it answers. */
gboolean        ow_test_platform_restart       (OwTestPlatform  *self,
                                                GError         **error);
/* Starts another process on @other's database (PostgreSQL, or the same SQLite file), with its
 * data directory and demo setting and @args (NULL: none), on a port of its own: a province's
 * second platform. Its _free() leaves the database to @other, which must outlive it. */
OwTestPlatform *ow_test_platform_start_beside  (OwTestPlatform      *other,
                                                const char * const  *args,
                                                GError             **error);
/* Stops the process (keeps the temporary directory); TRUE if it exited by itself on SIGTERM. */
gboolean        ow_test_platform_stop          (OwTestPlatform  *self);
/* Stops the process if it runs, removes the temporary directory, frees. */
void            ow_test_platform_free          (OwTestPlatform  *self);

/* "http://127.0.0.1:PORT/" */
const char     *ow_test_platform_get_base_uri  (OwTestPlatform  *self);
/* What the platform's --db is: the SQLite file's path, or the PostgreSQL database's URI. */
const char     *ow_test_platform_get_db_path   (OwTestPlatform  *self);
gboolean        ow_test_platform_is_postgresql (OwTestPlatform  *self);
/* The temporary directory, free for the test's own files too; removed by _free(). */
const char     *ow_test_platform_get_tmp_dir   (OwTestPlatform  *self);
GPid            ow_test_platform_get_pid       (OwTestPlatform  *self);
/* Everything the process printed on stdout before it listened (demo users …). */
const char     *ow_test_platform_get_banner    (OwTestPlatform  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwTestPlatform, ow_test_platform_free)

/* The rows of @sql on the platform's database, read directly, with @parameter (NULL for none)
 * bound to its one "?": a GPtrArray of GStrv, SQL NULL as "". Write SQL both SQLite and
 * PostgreSQL understand. Fails the test on an error. */
GPtrArray      *ow_test_platform_query         (OwTestPlatform  *self,
                                                const char      *sql,
                                                const char      *parameter);
/* The first column of the first row of such a query, as a number (a count). */
gint64          ow_test_platform_count         (OwTestPlatform  *self,
                                                const char      *sql,
                                                const char      *parameter);

/* A lock on the platform's database, held from a connection of the test's own as another
 * program's would be, under which every write to the cases waits (SQLite: the database's write
 * lock, BEGIN IMMEDIATE, so every write waits; PostgreSQL: LOCK TABLE cases IN EXCLUSIVE MODE)
 * while reads go on. A real slow database, for the tests of what the platform does meanwhile.
 * SQLite's writers give up after their busy timeout (5 s): release before that. */
typedef struct _OwTestWriteLock OwTestWriteLock;

OwTestWriteLock *ow_test_platform_hold_writes  (OwTestPlatform  *self);
/* Returns once a write of the platform waits for @lock: seen in pg_locks on PostgreSQL (fails
 * the test after 30 s); SQLite shows no one its waiters, so there it waits half a second, for
 * a request sent just before to reach the database. */
void            ow_test_write_lock_wait_for_writer (OwTestWriteLock *lock);
/* Rolls the lock's transaction back and closes its connection. */
void            ow_test_write_lock_release     (OwTestWriteLock *lock);

/* ---- a tiny synchronous HTTP client on libsoup ------------------------------------------ */

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;   /* response headers */
  JsonNode           *json;      /* the body parsed, when it is JSON; else NULL */
} OwTestResponse;

void ow_test_response_free (OwTestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwTestResponse, ow_test_response_free)

/* Sends @method @uri with an optional bearer @token and @body (sent as application/json when not
 * NULL); @extra_headers, when not NULL, are added ("If-None-Match" …). Fails only when there is no
 * HTTP answer at all; any status is a response. */
OwTestResponse *ow_test_http                   (const char          *method,
                                                const char          *uri,
                                                const char          *token,
                                                GBytes              *body,
                                                SoupMessageHeaders  *extra_headers,
                                                GError             **error);
/* @path relative to the base URI ("/api/v1/catalog"); @json_body a string or NULL. */
OwTestResponse *ow_test_platform_request       (OwTestPlatform      *self,
                                                const char          *method,
                                                const char          *path,
                                                const char          *token,
                                                const char          *json_body,
                                                GError             **error);
/* Logs in and returns the token; NULL with an error unless the platform answered 201. */
char           *ow_test_platform_login         (OwTestPlatform      *self,
                                                const char          *username,
                                                const char          *password,
                                                GError             **error);

/* The error object's "code" and "field" of an error response, or NULL. */
const char     *ow_test_response_error_code    (OwTestResponse      *response);
const char     *ow_test_response_error_field   (OwTestResponse      *response);
/* A string member of a JSON object response, or NULL. */
const char     *ow_test_response_get_string    (OwTestResponse      *response,
                                                const char          *member);

/* Today's date in China (UTC+8), the date the platform checks case numbers against. */
void            ow_test_today                  (GDate               *date);

G_END_DECLS
