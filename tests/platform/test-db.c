/* test-db.c — the platform's storage interface itself, on SQLite and on PostgreSQL
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the HTTP tests cannot force: several handles on one database (as several processes hold
 * them) with a transaction held open in between. The changes feed shows no seq before every
 * smaller one is committed; schemas are made once when handles open at once; a newer schema is
 * refused; background jobs are claimed by one handle at a time; a write through one handle
 * wakes the watch of another. Run with OW_TEST_DB=postgresql (platform-db-pg) on PostgreSQL.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ow-test-postgres.h"
#include "platform/ow-platform-db.h"

typedef struct
{
  char *dir;
  char *target;   /* the SQLite path or the PostgreSQL URI */
  gboolean postgresql;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("ow-test-db-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->postgresql = ow_test_postgres_wanted ();
  if (fixture->postgresql)
    {
      fixture->target = ow_test_postgres_create_database (&error);
      g_assert_no_error (error);
    }
  else
    fixture->target = g_build_filename (fixture->dir, "platform.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->postgresql)
    ow_test_postgres_drop_database (fixture->target);
  else
    {
      g_autofree char *wal = g_strconcat (fixture->target, "-wal", NULL);
      g_autofree char *shm = g_strconcat (fixture->target, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (fixture->target);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->target);
}

static OwPlatformDb *
open_db (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  OwPlatformDb *db = ow_platform_db_open (fixture->target, OW_PLATFORM_DB_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

/* The feed ---------------------------------------------------------------------------------- */

typedef struct
{
  OwPlatformDb *db;
  gint64        seq;
  gint          done;
} Appender;

static gpointer
append_thread (gpointer user_data)
{
  Appender *appender = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ow_platform_db_append_change (appender->db, "case", "B", &appender->seq,
                                               &error));
  g_assert_no_error (error);
  g_atomic_int_set (&appender->done, 1);
  return NULL;
}

static GPtrArray *
list_changes (OwPlatformDb *db,
              gint64        since)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *changes = ow_platform_db_list_changes (db, since, 100, &error);

  g_assert_no_error (error);
  g_assert_nonnull (changes);
  return changes;
}

/* A writer holds its transaction open after drawing seq A; a second writer comes: the second
 * may not become visible before the first, or a reader would move its cursor past A and never
 * see it. The second waits for the first's commit and draws a later seq. */
static void
test_feed_order (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OwPlatformDb) first = open_db (fixture);
  g_autoptr(OwPlatformDb) second = open_db (fixture);
  g_autoptr(OwPlatformDb) reader = open_db (fixture);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  Appender appender = { second, 0, 0 };
  GThread *thread;
  gint64 seq_a = 0;

  g_assert_true (ow_platform_db_begin (first, &error));
  g_assert_no_error (error);
  g_assert_true (ow_platform_db_append_change (first, "case", "A", &seq_a, &error));
  g_assert_no_error (error);

  thread = g_thread_new ("appender", append_thread, &appender);
  g_usleep (G_USEC_PER_SEC / 2);
  /* Neither is visible yet, and the second has not got past the first. */
  before = list_changes (reader, 0);
  g_assert_cmpuint (before->len, ==, 0);
  g_assert_cmpint (g_atomic_int_get (&appender.done), ==, 0);

  g_assert_true (ow_platform_db_commit (first, &error));
  g_assert_no_error (error);
  g_thread_join (thread);
  g_assert_cmpint (appender.seq, >, seq_a);

  after = list_changes (reader, 0);
  g_assert_cmpuint (after->len, ==, 2);
  g_assert_cmpstr (((OwPlatformChange *) after->pdata[0])->key, ==, "A");
  g_assert_cmpint (((OwPlatformChange *) after->pdata[0])->seq, ==, seq_a);
  g_assert_cmpstr (((OwPlatformChange *) after->pdata[1])->key, ==, "B");
  g_assert_cmpint (ow_platform_db_last_change (reader, NULL), ==, appender.seq);
}

/* A rolled-back append leaves no change behind, and the next one is still after the last. */
static void
test_feed_rollback (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OwPlatformDb) db = open_db (fixture);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 kept = 0, dropped = 0, next = 0;

  g_assert_true (ow_platform_db_append_change (db, "case", "kept", &kept, &error));
  g_assert_true (ow_platform_db_begin (db, &error));
  g_assert_true (ow_platform_db_append_change (db, "case", "dropped", &dropped, &error));
  ow_platform_db_rollback (db);
  g_assert_true (ow_platform_db_append_change (db, "case", "next", &next, &error));
  g_assert_no_error (error);
  g_assert_cmpint (next, >, kept);

  changes = list_changes (db, 0);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpstr (((OwPlatformChange *) changes->pdata[0])->key, ==, "kept");
  g_assert_cmpstr (((OwPlatformChange *) changes->pdata[1])->key, ==, "next");
}

/* Schemas ---------------------------------------------------------------------------------- */

static gpointer
open_thread (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;

  OwPlatformDb *db = ow_platform_db_open (fixture->target, OW_PLATFORM_DB_OPEN_CREATE, &error);

  if (db == NULL)
    g_printerr ("Opening the new database failed: %s\n", error->message);
  return db;
}

/* Processes starting at once on a new database make its schema once: none fails. */
static void
test_schema_once (Fixture       *fixture,
                  gconstpointer  data)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_thread, fixture);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      OwPlatformDb *db = g_thread_join (threads[i]);

      g_assert_nonnull (db);
      ow_platform_db_free (db);
    }
}

/* The admin CLI's way of opening: never on a database no platform made. */
static void
test_schema_existing (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwPlatformDb) refused = NULL;
  g_autoptr(OwPlatformDb) made = NULL;
  g_autoptr(OwPlatformDb) opened = NULL;

  refused = ow_platform_db_open (fixture->target, OW_PLATFORM_DB_OPEN_EXISTING, &error);
  g_assert_null (refused);
  g_assert_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  made = open_db (fixture);
  opened = ow_platform_db_open (fixture->target, OW_PLATFORM_DB_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);
}

/* A database that a newer platform upgraded is left alone, with a message that says so. */
static void
test_schema_newer (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwPlatformDb) newer = NULL;

  ow_platform_db_free (open_db (fixture));
  if (fixture->postgresql)
    {
      g_autoptr(GPtrArray) rows = ow_test_postgres_query (fixture->target,
                                                          "UPDATE ow_schema SET version = 99 "
                                                          "RETURNING version", NULL);

      g_assert_cmpuint (rows->len, ==, 1);
    }
  else
    {
      sqlite3 *handle = NULL;

      g_assert_cmpint (sqlite3_open (fixture->target, &handle), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (handle, "PRAGMA user_version = 99", NULL, NULL, NULL), ==,
                       SQLITE_OK);
      sqlite3_close (handle);
    }
  newer = ow_platform_db_open (fixture->target, OW_PLATFORM_DB_OPEN_CREATE, &error);
  g_assert_null (newer);
  g_assert_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "99"));
}

/* Background jobs ---------------------------------------------------------------------------- */

/* On PostgreSQL one handle at a time holds a job, and a handle that goes (a process that dies)
 * frees it; a SQLite file is one process's, whose jobs are always its own. */
static void
test_jobs (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(OwPlatformDb) one = open_db (fixture);
  g_autoptr(OwPlatformDb) other = open_db (fixture);
  g_autoptr(GError) error = NULL;
  gboolean got_one = FALSE, got_other = FALSE, got_escalation = FALSE;

  g_assert_true (ow_platform_db_try_job (one, OW_PLATFORM_JOB_BACKOFFICE, &got_one, &error));
  g_assert_true (ow_platform_db_try_job (other, OW_PLATFORM_JOB_BACKOFFICE, &got_other, &error));
  g_assert_true (ow_platform_db_try_job (other, OW_PLATFORM_JOB_ESCALATION, &got_escalation,
                                         &error));
  g_assert_no_error (error);
  g_assert_true (got_one);
  g_assert_true (got_escalation);
  if (!fixture->postgresql)
    {
      g_assert_true (got_other);
      return;
    }
  g_assert_false (got_other);

  ow_platform_db_end_job (one, OW_PLATFORM_JOB_BACKOFFICE);
  g_assert_true (ow_platform_db_try_job (other, OW_PLATFORM_JOB_BACKOFFICE, &got_other, &error));
  g_assert_true (got_other);
  g_assert_true (ow_platform_db_try_job (one, OW_PLATFORM_JOB_BACKOFFICE, &got_one, &error));
  g_assert_false (got_one);

  /* The holder goes away without releasing it: the server frees it as that connection's
   * backend ends, a moment after the connection closed. */
  g_clear_pointer (&other, ow_platform_db_free);
  for (guint attempt = 0; attempt < 50 && !got_one; attempt++)
    {
      g_usleep (G_USEC_PER_SEC / 20);
      g_assert_true (ow_platform_db_try_job (one, OW_PLATFORM_JOB_BACKOFFICE, &got_one, &error));
      g_assert_no_error (error);
    }
  g_assert_true (got_one);
}

/* The watch ---------------------------------------------------------------------------------- */

typedef struct
{
  guint  calls;
  gint64 last;   /* monotonic time of the last call */
} Watched;

static gboolean
watched_cb (gpointer user_data)
{
  Watched *watched = user_data;

  watched->calls++;
  watched->last = g_get_monotonic_time ();
  return G_SOURCE_CONTINUE;
}

static void
iterate_for (GMainContext *context,
             gint64        microseconds)
{
  gint64 until = g_get_monotonic_time () + microseconds;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (context, FALSE);
      g_usleep (10 * 1000);
    }
}

/* A write through another handle wakes the watch within a second; on PostgreSQL the watch does
 * not run without one (it is told, it does not look). */
static void
test_watch (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(OwPlatformDb) watching = open_db (fixture);
  g_autoptr(OwPlatformDb) writer = open_db (fixture);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) source = NULL;
  g_autoptr(GError) error = NULL;
  Watched watched = { 0, 0 };
  gint64 written;

  source = ow_platform_db_watch_changes (watching, &error);
  g_assert_no_error (error);
  g_source_set_callback (source, watched_cb, &watched, NULL);
  g_source_attach (source, context);

  /* Until it listens (one call on PostgreSQL, for what it may have missed). */
  iterate_for (context, G_USEC_PER_SEC);
  g_assert_cmpuint (watched.calls, >=, 1);
  if (fixture->postgresql)
    {
      guint calls = watched.calls;

      iterate_for (context, 3 * G_USEC_PER_SEC / 2);
      g_assert_cmpuint (watched.calls, ==, calls);
    }

  watched.calls = 0;
  written = g_get_monotonic_time ();
  g_assert_true (ow_platform_db_append_change (writer, "case", "W", NULL, &error));
  g_assert_no_error (error);
  while (watched.calls == 0 && g_get_monotonic_time () - written < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (context, TRUE);
  g_assert_cmpuint (watched.calls, >=, 1);
  g_test_message ("woken %.3f s after the write", (watched.last - written) / 1e6);
  g_assert_cmpint (watched.last - written, <, G_USEC_PER_SEC);

  g_source_destroy (source);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/db/feed/order", test_feed_order);
  ADD ("/db/feed/rollback", test_feed_rollback);
  ADD ("/db/schema/once", test_schema_once);
  ADD ("/db/schema/existing", test_schema_existing);
  ADD ("/db/schema/newer", test_schema_newer);
  ADD ("/db/jobs", test_jobs);
  ADD ("/db/watch", test_watch);
#undef ADD

  return g_test_run ();
}
