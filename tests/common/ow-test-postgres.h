/* ow-test-postgres.h — test helpers: a PostgreSQL server of the test program's own
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The platform's suites run twice: on SQLite, and on PostgreSQL when OW_TEST_DB=postgresql
 * (meson registers those runs as "NAME-pg", suite "postgresql", with OW_TEST_PG_BINDIR naming
 * the server's programs). On first use, a test program starts a cluster of its own: initdb in a
 * fresh temporary folder, the server on a Unix socket in that folder and on no network address
 * (listen_addresses=''), run as the user `postgres` when the tests run as root (the server
 * refuses root) and as the user running them otherwise. Each platform the program starts gets a
 * new database in it. A keeper process, in a session of its own, holds the cluster: when the
 * test program exits, however it exits (even killed), the keeper stops the server and removes
 * the folder.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether this test program's platforms are to run on PostgreSQL (OW_TEST_DB=postgresql). */
gboolean  ow_test_postgres_wanted          (void);
/* Creates an empty database in the program's cluster (starting the cluster on first use) and
 * returns its libpq URI, postgresql:///NAME?host=FOLDER&user=postgres. */
char     *ow_test_postgres_create_database (GError     **error);
/* Drops the database of @uri (made by ow_test_postgres_create_database()), disconnecting whoever
 * is still on it. */
void      ow_test_postgres_drop_database   (const char  *uri);

/* The rows of @sql, run on the database of @uri with @parameter (NULL for none) as $1: a
 * GPtrArray of GStrv, SQL NULL as "" (none for a statement that returns no rows, such as an
 * UPDATE). Fails the test on an error. */
GPtrArray *ow_test_postgres_query          (const char  *uri,
                                            const char  *sql,
                                            const char  *parameter);

G_END_DECLS
