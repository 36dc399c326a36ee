/* test-store.c — the local store on real SQLite files: schema, cases, outbox, sequences, audit
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "store/ow-store.h"
#include "store-test-util.h"

#define HALL "46010001"
#define ID_A "11010519491231002X"
#define ID_B "110105194912310021"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("ow-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet: the store creates it. */
  fixture->path = g_build_filename (fixture->dir, "profile", "onewindow.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  store_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
get_today (GDate *date)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, 25, G_DATE_NOVEMBER, 2026);
}

/* Runs @sql on the file directly, as another program (or an attacker) could; returns SQLite's
 * result code. */
static int
exec_raw (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_close (db);
  return rc;
}

static OwOutboxEntry *
make_entry (const char *case_no)
{
  OwOutboxEntry *entry = g_new0 (OwOutboxEntry, 1);

  entry->kind = g_strdup ("case");
  entry->key = g_strdup (case_no);
  entry->method = g_strdup ("PUT");
  entry->path = g_strdup_printf ("/api/v1/cases/%s", case_no);
  entry->content_type = g_strdup ("application/json");
  entry->body = g_bytes_new_take (g_strdup_printf ("{\"case_no\":\"%s\"}", case_no),
                                  strlen ("{\"case_no\":\"\"}") + strlen (case_no));
  return entry;
}

static void
test_migrations (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(OwStore) again = NULL;
  g_autoptr(OwStore) newer = NULL;
  g_autofree char *files_dir = NULL;
  g_autofree char *bogus = NULL;
  g_autoptr(OwStore) not_db = NULL;
  int version;

  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  version = ow_store_get_schema_version (store);
  g_assert_cmpint (version, >=, 1);
  g_assert_cmpstr (ow_store_get_path (store), ==, fixture->path);

  files_dir = g_build_filename (fixture->dir, "profile", "files", NULL);
  g_assert_cmpstr (ow_store_get_files_dir (store), ==, files_dir);
  g_assert_true (g_file_test (files_dir, G_FILE_TEST_IS_DIR));

  /* Every table of the schema is there and usable. */
  g_assert_true (ow_store_set_meta (store, "cursor", "17", &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* WAL is a property of the file: a plain connection sees it. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, version);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  /* Reopening keeps the data and does not migrate again. */
  again = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_store_get_schema_version (again), ==, version);
  {
    g_autofree char *cursor = ow_store_get_meta (again, "cursor", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cursor, ==, "17");
  }
  g_clear_object (&again);

  /* A schema from the future is refused, not half-used. */
  g_assert_cmpint (exec_raw (fixture->path, "PRAGMA user_version = 999"), ==, SQLITE_OK);
  newer = ow_store_open (fixture->path, &error);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_MIGRATE);
  g_assert_null (newer);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_clear_error (&error);

  /* A file that is not a database at all. */
  bogus = g_build_filename (fixture->dir, "bogus.db", NULL);
  g_assert_true (g_file_set_contents (bogus, "this is not SQLite, just some text that is long "
                                      "enough to have a header of a hundred bytes or more ....."
                                      "...........................................", -1, NULL));
  not_db = ow_store_open (bogus, &error);
  g_assert_null (not_db);
  g_assert_nonnull (error);
  g_assert_true (error->domain == OW_STORE_ERROR);
  g_assert_true (error->code == OW_STORE_ERROR_OPEN || error->code == OW_STORE_ERROR_CORRUPT
                 || error->code == OW_STORE_ERROR_MIGRATE);
}

static void
test_case_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCase) other = NULL;
  g_autoptr(OwCase) loaded = NULL;
  g_autoptr(OwCase) missing = NULL;
  g_autoptr(GVariant) before = NULL;
  g_autoptr(GVariant) after = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  GDate today;
  guint audits;

  get_today (&today);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);

  kase = store_test_make_case (HALL, 7, &today, 1, ID_A);
  ow_case_set_document_no (kase, "海口政服受〔2026〕1号");
  other = store_test_make_case (HALL, 7, &today, 2, ID_B);
  ow_case_set_state (other, OW_CASE_STATE_ACCEPTED);

  audits = ow_store_audit_count (store, &error);
  g_assert_no_error (error);

  g_assert_true (ow_store_save_case (store, kase, NULL, "clerk", &error));
  g_assert_no_error (error);
  g_assert_true (ow_store_save_case (store, other, NULL, "clerk", &error));
  g_assert_no_error (error);
  /* Each save leaves an audit record; no outbox entry was asked for. */
  g_assert_cmpuint (ow_store_audit_count (store, NULL), ==, audits + 2);
  g_assert_cmpuint (ow_store_outbox_count (store, NULL), ==, 0);

  g_clear_object (&store);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);

  loaded = ow_store_load_case (store, ow_case_get_case_no (kase), &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  before = g_variant_take_ref (ow_case_serialize (kase));
  after = g_variant_take_ref (ow_case_serialize (loaded));
  g_assert_true (g_variant_equal (before, after));
  g_assert_cmpstr (ow_case_get_document_no (loaded), ==, "海口政服受〔2026〕1号");
  g_assert_cmpstr (ow_case_get_applicant (loaded)->id_number, ==, ID_A);

  missing = ow_store_load_case (store, "46010001072026112599990", &error);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_clear_error (&error);

  found = ow_store_find_cases_by_applicant (store, ID_B, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (ow_case_get_case_no (g_ptr_array_index (found, 0)), ==,
                   ow_case_get_case_no (other));

  /* Newest first; a state filter; a limit. */
  all = ow_store_list_cases (store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (ow_case_get_case_no (g_ptr_array_index (all, 0)), ==,
                   ow_case_get_case_no (other));
  accepted = ow_store_list_cases (store, OW_CASE_STATE_ACCEPTED, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accepted->len, ==, 1);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = ow_store_list_cases (store, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);

  /* Saving again replaces the record and moves it to the front. */
  ow_case_set_state (kase, OW_CASE_STATE_ACCEPTED);
  g_assert_true (ow_store_save_case (store, kase, NULL, "clerk", &error));
  g_clear_pointer (&all, g_ptr_array_unref);
  all = ow_store_list_cases (store, 0, 0, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (ow_case_get_case_no (g_ptr_array_index (all, 0)), ==,
                   ow_case_get_case_no (kase));
  g_assert_cmpint (ow_case_get_state (g_ptr_array_index (all, 0)), ==, OW_CASE_STATE_ACCEPTED);
}

/* A record whose stored type is not the serializer's must be reported, not misread. */
static void
test_case_corrupt (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCase) loaded = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *sql = NULL;
  GDate today;

  get_today (&today);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  kase = store_test_make_case (HALL, 7, &today, 3, ID_A);
  g_assert_true (ow_store_save_case (store, kase, NULL, "clerk", &error));
  g_assert_no_error (error);

  sql = g_strdup_printf ("UPDATE cases SET data_type = '(si)', data = x'00ff' "
                         "WHERE case_no = '%s'", ow_case_get_case_no (kase));
  g_assert_cmpint (exec_raw (fixture->path, sql), ==, SQLITE_OK);

  loaded = ow_store_load_case (store, ow_case_get_case_no (kase), &error);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT);
  g_assert_null (loaded);
  g_clear_error (&error);

  all = ow_store_list_cases (store, 0, 0, &error);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT);
  g_assert_null (all);
}

static void
test_outbox (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(OwOutboxEntry) next = NULL;
  OwOutboxEntry *entries[3];
  gint64 now = g_get_real_time ();
  GDate today;

  get_today (&today);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr(OwCase) kase = store_test_make_case (HALL, 7, &today, i + 1, ID_A);

      entries[i] = make_entry (ow_case_get_case_no (kase));
      g_assert_true (ow_store_save_case (store, kase, entries[i], "clerk", &error));
      g_assert_no_error (error);
      g_assert_cmpint (entries[i]->id, >, 0);
      g_assert_cmpint (entries[i]->created_at, >, 0);
      if (i > 0)
        {
          g_assert_cmpint (entries[i]->id, >, entries[i - 1]->id);
          g_assert_cmpint (entries[i]->created_at, >, entries[i - 1]->created_at);
        }
    }
  g_assert_cmpuint (ow_store_outbox_count (store, &error), ==, 3);

  list = ow_store_list_outbox (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      OwOutboxEntry *stored = g_ptr_array_index (list, i);

      g_assert_cmpint (stored->id, ==, entries[i]->id);
      g_assert_cmpstr (stored->kind, ==, "case");
      g_assert_cmpstr (stored->key, ==, entries[i]->key);
      g_assert_cmpstr (stored->method, ==, "PUT");
      g_assert_cmpstr (stored->path, ==, entries[i]->path);
      g_assert_cmpstr (stored->content_type, ==, "application/json");
      g_assert_true (g_bytes_equal (stored->body, entries[i]->body));
      g_assert_cmpuint (stored->attempts, ==, 0);
      g_assert_null (stored->last_error);
      g_assert_false (stored->dead);
    }

  /* The oldest first. */
  next = ow_store_outbox_next (store, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (next);
  g_assert_cmpint (next->id, ==, entries[0]->id);
  g_clear_pointer (&next, ow_outbox_entry_free);

  /* A failed attempt backs off; nothing newer overtakes it meanwhile. */
  g_assert_true (ow_store_outbox_fail (store, entries[0]->id, "platform unreachable",
                                       now + 2 * G_USEC_PER_SEC, FALSE, &error));
  g_assert_no_error (error);
  next = ow_store_outbox_next (store, now, &error);
  g_assert_no_error (error);
  g_assert_null (next);
  next = ow_store_outbox_next (store, now + 3 * G_USEC_PER_SEC, &error);
  g_assert_nonnull (next);
  g_assert_cmpint (next->id, ==, entries[0]->id);
  g_assert_cmpuint (next->attempts, ==, 1);
  g_assert_cmpstr (next->last_error, ==, "platform unreachable");
  g_assert_cmpint (next->next_attempt, ==, now + 2 * G_USEC_PER_SEC);
  g_clear_pointer (&next, ow_outbox_entry_free);

  /* Acknowledged: gone; the next one comes. */
  g_assert_true (ow_store_outbox_ack (store, entries[0]->id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_outbox_count (store, NULL), ==, 2);
  next = ow_store_outbox_next (store, now, &error);
  g_assert_cmpint (next->id, ==, entries[1]->id);
  g_clear_pointer (&next, ow_outbox_entry_free);

  /* Refused: dead, skipped, but still counted and listed for a person to see. */
  g_assert_true (ow_store_outbox_fail (store, entries[1]->id, "Conflict", 0, TRUE, &error));
  g_assert_no_error (error);
  next = ow_store_outbox_next (store, now, &error);
  g_assert_cmpint (next->id, ==, entries[2]->id);
  g_clear_pointer (&next, ow_outbox_entry_free);
  g_assert_cmpuint (ow_store_outbox_count (store, NULL), ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ow_store_list_outbox (store, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_true (((OwOutboxEntry *) g_ptr_array_index (list, 0))->dead);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (list, 0))->last_error, ==, "Conflict");

  /* Unknown ids are errors, and acknowledging twice is one. */
  g_assert_false (ow_store_outbox_ack (store, entries[0]->id, &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ow_store_outbox_fail (store, 424242, "x", 0, FALSE, &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (ow_store_outbox_ack (store, entries[2]->id, &error));
  next = ow_store_outbox_next (store, now, &error);
  g_assert_no_error (error);
  g_assert_null (next);

  /* The order survives reopening; ids are never reused (AUTOINCREMENT). */
  g_clear_object (&store);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(OwCase) kase = store_test_make_case (HALL, 7, &today, 9, ID_A);
    g_autoptr(OwOutboxEntry) later = make_entry (ow_case_get_case_no (kase));

    g_assert_true (ow_store_save_case (store, kase, later, "clerk", &error));
    g_assert_cmpint (later->id, >, entries[2]->id);
  }

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    ow_outbox_entry_free (entries[i]);
}

/* The case and its outbox entry are one transaction: when the entry cannot be written (here a
 * NULL kind, which the schema refuses — the only way to make SQLite fail at that exact point),
 * the case must not be there either. */
static void
test_outbox_atomic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCase) loaded = NULL;
  g_autoptr(OwOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) all = NULL;
  guint audits;
  GDate today;

  get_today (&today);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  audits = ow_store_audit_count (store, NULL);

  kase = store_test_make_case (HALL, 7, &today, 5, ID_A);
  entry = make_entry (ow_case_get_case_no (kase));
  g_clear_pointer (&entry->kind, g_free);

  g_assert_false (ow_store_save_case (store, kase, entry, "clerk", &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpint (entry->id, ==, 0);

  loaded = ow_store_load_case (store, ow_case_get_case_no (kase), &error);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  all = ow_store_list_cases (store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 0);
  g_assert_cmpuint (ow_store_outbox_count (store, NULL), ==, 0);
  g_assert_cmpuint (ow_store_audit_count (store, NULL), ==, audits);

  /* The store is usable afterwards: no transaction was left open. */
  entry->kind = g_strdup ("case");
  g_assert_true (ow_store_save_case (store, kase, entry, "clerk", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_outbox_count (store, NULL), ==, 1);
}

/* A case saved from a form takes the form's draft with it, in its transaction: when the save
 * fails after the draft was deleted (a NULL outbox kind, refused by the schema, as above), the
 * draft is back with the rollback; when it succeeds, the draft is gone and the others stay. */
static void
test_case_from_draft (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCase) loaded = NULL;
  g_autoptr(OwCase) other = NULL;
  g_autoptr(GBytes) form = g_bytes_new_static ("form", 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) keys = NULL;
  OwOutboxEntry *entry;
  guint audits;
  GDate today;

  get_today (&today);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (ow_store_save_draft (store, "current", "张三", form, &error));
  g_assert_true (ow_store_save_draft (store, "parked-a", "李四", form, &error));
  g_assert_no_error (error);
  audits = ow_store_audit_count (store, NULL);

  kase = store_test_make_case (HALL, 7, &today, 5, ID_A);
  entry = make_entry (ow_case_get_case_no (kase));
  g_clear_pointer (&entry->kind, g_free);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_outbox_entry_free);
  g_ptr_array_add (entries, entry);
  g_assert_false (ow_store_save_case_from_draft (store, kase, entries, "current", "clerk",
                                                 &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_IO);
  g_clear_error (&error);
  bytes = ow_store_load_draft (store, "current", &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, form));
  g_clear_pointer (&bytes, g_bytes_unref);
  loaded = ow_store_load_case (store, ow_case_get_case_no (kase), &error);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (ow_store_outbox_count (store, NULL), ==, 0);
  g_assert_cmpuint (ow_store_audit_count (store, NULL), ==, audits);

  entry->kind = g_strdup ("case");
  g_assert_true (ow_store_save_case_from_draft (store, kase, entries, "current", "clerk",
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (entry->id, >, 0);
  loaded = ow_store_load_case (store, ow_case_get_case_no (kase), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_outbox_count (store, NULL), ==, 1);
  bytes = ow_store_load_draft (store, "current", &error);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A key with no draft is no error; NULL deletes nothing. */
  other = store_test_make_case (HALL, 7, &today, 6, ID_B);
  g_assert_true (ow_store_save_case_from_draft (store, other, NULL, "current", "clerk", &error));
  g_assert_no_error (error);
  g_assert_true (ow_store_save_case_from_draft (store, other, NULL, NULL, "clerk", &error));
  g_assert_no_error (error);

  /* Committed: reopened, as after a crash, only the parked draft is left. */
  g_clear_object (&store);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  keys = ow_store_list_drafts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (keys), ==, 1);
  g_assert_cmpstr (keys[0], ==, "parked-a");
  g_clear_object (&loaded);
  loaded = ow_store_load_case (store, ow_case_get_case_no (kase), &error);
  g_assert_no_error (error);
}

static void
test_sequences (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  GDate today, tomorrow;
  guint last = 0;

  get_today (&today);
  tomorrow = today;
  g_date_add_days (&tomorrow, 1);

  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      guint n = ow_store_next_sequence (store, HALL, 7, &today, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, last + 1);
      last = n;
    }

  /* Other counters and other days have their own sequences. */
  g_assert_cmpuint (ow_store_next_sequence (store, HALL, 8, &today, &error), ==, 1);
  g_assert_cmpuint (ow_store_next_sequence (store, HALL, 7, &tomorrow, &error), ==, 1);
  g_assert_cmpuint (ow_store_next_sequence (store, "46010002", 7, &today, &error), ==, 1);

  for (guint round = 0; round < 3; round++)
    {
      guint n;

      g_clear_object (&store);
      store = ow_store_open (fixture->path, &error);
      g_assert_no_error (error);
      n = ow_store_next_sequence (store, HALL, 7, &today, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n, >, last);
      last = n;
    }
  g_assert_cmpuint (last, ==, 8);

  /* The four-digit sequence runs out at 9999: an error, never a reused or overlong number. */
  g_assert_cmpint (exec_raw (fixture->path,
                             "UPDATE sequences SET next = 10000 WHERE counter = 8"), ==, SQLITE_OK);
  g_assert_cmpuint (ow_store_next_sequence (store, HALL, 8, &today, &error), ==, 0);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_IO);
}

typedef struct
{
  OwStore *store;
  guint numbers[200];
} DocumentTaker;

static gpointer
take_document_numbers_thread (gpointer data)
{
  DocumentTaker *taker = data;

  for (guint i = 0; i < G_N_ELEMENTS (taker->numbers); i++)
    {
      g_autoptr(GError) error = NULL;

      taker->numbers[i] = ow_store_next_document_sequence (taker->store, 2027, &error);
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_document_sequence (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(OwStore) other = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autofree char *value = NULL;
  DocumentTaker takers[2];
  GThread *threads[G_N_ELEMENTS (takers)];

  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= 3; i++)
    {
      g_assert_cmpuint (ow_store_next_document_sequence (store, 2026, &error), ==, i);
      g_assert_no_error (error);
    }
  /* Each year starts again at 1. */
  g_assert_cmpuint (ow_store_next_document_sequence (store, 2025, &error), ==, 1);

  /* Kept as the text the intake page used to write, so that the count goes on from a number
   * taken before, and across a restart. */
  value = ow_store_get_meta (store, "document-sequence-2026", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "3");
  g_assert_true (ow_store_set_meta (store, "document-sequence-2026", "41", &error));
  g_clear_object (&store);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_next_document_sequence (store, 2026, &error), ==, 42);
  g_assert_no_error (error);

  /* Two threads taking numbers at once never get the same one, and none is skipped: one
   * through the store, the other through a connection of its own, as a second program. */
  other = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  takers[0].store = store;
  takers[1].store = other;
  for (guint i = 0; i < G_N_ELEMENTS (takers); i++)
    {
      threads[i] = g_thread_new ("document-numbers", take_document_numbers_thread, &takers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < G_N_ELEMENTS (takers); i++)
    for (guint j = 0; j < G_N_ELEMENTS (takers[i].numbers); j++)
      {
        guint n = takers[i].numbers[j];

        g_assert_cmpuint (n, >=, 1);
        g_assert_cmpuint (n, <=, G_N_ELEMENTS (takers) * G_N_ELEMENTS (takers[i].numbers));
        g_assert_false (g_hash_table_contains (seen, GUINT_TO_POINTER (n)));
        g_hash_table_add (seen, GUINT_TO_POINTER (n));
        /* Each thread sees its own numbers rise. */
        if (j > 0)
          g_assert_cmpuint (n, >, takers[i].numbers[j - 1]);
      }
  g_assert_cmpuint (g_hash_table_size (seen), ==,
                    G_N_ELEMENTS (takers) * G_N_ELEMENTS (takers[0].numbers));
}

static void
test_audit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  guint before;

  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  before = ow_store_audit_count (store, &error);

  g_assert_true (ow_store_audit (store, "clerk", "login", NULL, "ok", &error));
  g_assert_true (ow_store_audit (store, "clerk", "print", "46010001072026112500017", "ok",
                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ow_store_audit_count (store, &error), ==, before + 2);

  /* Not even a program holding the file can rewrite history. */
  g_assert_cmpint (exec_raw (fixture->path, "UPDATE audit SET result = 'forged'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_raw (fixture->path, "DELETE FROM audit"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_raw (fixture->path,
                             "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpuint (ow_store_audit_count (store, &error), ==, before + 2);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM audit WHERE result = 'forged'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
}

static void
test_drafts (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(GBytes) one = g_bytes_new_static ("first form", 10);
  g_autoptr(GBytes) two = g_bytes_new_static ("second form", 11);
  g_autoptr(GBytes) one_more = g_bytes_new_static ("first form, edited", 18);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) loaded = NULL;
  g_auto(GStrv) keys = NULL;

  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);

  keys = ow_store_list_drafts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (keys), ==, 0);
  g_clear_pointer (&keys, g_strfreev);

  g_assert_true (ow_store_save_draft (store, "accept-1", "张三 食品经营许可", one, &error));
  g_assert_true (ow_store_save_draft (store, "accept-2", NULL, two, &error));
  g_assert_no_error (error);

  keys = ow_store_list_drafts (store, &error);
  g_assert_cmpuint (g_strv_length (keys), ==, 2);
  g_assert_cmpstr (keys[0], ==, "accept-2");
  g_assert_cmpstr (keys[1], ==, "accept-1");
  g_clear_pointer (&keys, g_strfreev);

  /* Editing replaces and makes it the most recent. */
  g_assert_true (ow_store_save_draft (store, "accept-1", "张三", one_more, &error));
  keys = ow_store_list_drafts (store, &error);
  g_assert_cmpstr (keys[0], ==, "accept-1");
  g_clear_pointer (&keys, g_strfreev);

  g_clear_object (&store);
  store = ow_store_open (fixture->path, &error);
  loaded = ow_store_load_draft (store, "accept-1", &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, one_more));
  g_clear_pointer (&loaded, g_bytes_unref);

  /* An empty form is a draft too, not a missing one. */
  g_assert_true (ow_store_save_draft (store, "accept-3", NULL, empty, &error));
  loaded = ow_store_load_draft (store, "accept-3", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (g_bytes_get_size (loaded), ==, 0);
  g_clear_pointer (&loaded, g_bytes_unref);

  g_assert_true (ow_store_delete_draft (store, "accept-1", &error));
  loaded = ow_store_load_draft (store, "accept-1", &error);
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_assert_null (loaded);
  g_clear_error (&error);
  keys = ow_store_list_drafts (store, &error);
  g_assert_cmpuint (g_strv_length (keys), ==, 2);
}

static void
test_draft_infos (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(GBytes) form = g_bytes_new_static ("form", 4);
  g_autoptr(GPtrArray) infos = NULL;
  gint64 before = g_get_real_time ();
  OwDraftInfo *info;

  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);

  infos = ow_store_list_draft_infos (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 0);
  g_clear_pointer (&infos, g_ptr_array_unref);

  g_assert_true (ow_store_save_draft (store, "parked-1", "张三 · 设立登记", form, &error));
  g_assert_true (ow_store_save_draft (store, "current", "李四", form, &error));
  g_assert_true (ow_store_save_draft (store, "parked-2", NULL, form, &error));
  /* A key that a LIKE pattern would take for a wildcard. */
  g_assert_true (ow_store_save_draft (store, "parked_3", "x", form, &error));
  g_assert_no_error (error);

  infos = ow_store_list_draft_infos (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 4);
  g_clear_pointer (&infos, g_ptr_array_unref);

  infos = ow_store_list_draft_infos (store, "parked-", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 2);
  info = g_ptr_array_index (infos, 0);
  g_assert_cmpstr (info->key, ==, "parked-2");
  g_assert_null (info->title);
  g_assert_cmpint (info->updated_at, >=, before);
  g_assert_cmpint (info->updated_at, <=, g_get_real_time ());
  info = g_ptr_array_index (infos, 1);
  g_assert_cmpstr (info->key, ==, "parked-1");
  g_assert_cmpstr (info->title, ==, "张三 · 设立登记");
  g_assert_cmpint (info->updated_at, <, ((OwDraftInfo *) g_ptr_array_index (infos, 0))->updated_at);
}

static void
test_draft_move (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(GBytes) typed = g_bytes_new_static ("typed", 5);
  g_autoptr(GBytes) parked = g_bytes_new_static ("parked form", 11);
  g_autoptr(GBytes) other = g_bytes_new_static ("other", 5);
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_auto(GStrv) keys = NULL;

  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);

  /* Parking: the form as it is now goes to the new key, "current" goes, in one step. */
  g_assert_true (ow_store_save_draft (store, "current", "张三", typed, &error));
  g_assert_true (ow_store_move_draft (store, "current", "parked-a", "张三 · 设立登记", parked,
                                      &error));
  g_assert_no_error (error);
  keys = ow_store_list_drafts (store, &error);
  g_assert_cmpuint (g_strv_length (keys), ==, 1);
  g_assert_cmpstr (keys[0], ==, "parked-a");
  g_clear_pointer (&keys, g_strfreev);
  loaded = ow_store_load_draft (store, "parked-a", &error);
  g_assert_true (g_bytes_equal (loaded, parked));
  g_clear_pointer (&loaded, g_bytes_unref);

  /* Parking when nothing was saved as "current" yet is not an error. */
  g_assert_true (ow_store_move_draft (store, "current", "parked-b", NULL, other, &error));
  g_assert_no_error (error);

  /* Resuming: a rename, title and data kept, replacing what the target held, newest now. */
  g_assert_true (ow_store_save_draft (store, "current", "王五", typed, &error));
  g_assert_true (ow_store_move_draft (store, "parked-a", "current", NULL, NULL, &error));
  g_assert_no_error (error);
  infos = ow_store_list_draft_infos (store, NULL, &error);
  g_assert_cmpuint (infos->len, ==, 2);
  g_assert_cmpstr (((OwDraftInfo *) g_ptr_array_index (infos, 0))->key, ==, "current");
  g_assert_cmpstr (((OwDraftInfo *) g_ptr_array_index (infos, 0))->title, ==, "张三 · 设立登记");
  g_assert_cmpstr (((OwDraftInfo *) g_ptr_array_index (infos, 1))->key, ==, "parked-b");
  loaded = ow_store_load_draft (store, "current", &error);
  g_assert_true (g_bytes_equal (loaded, parked));
  g_clear_pointer (&loaded, g_bytes_unref);

  /* Renaming what is not there fails and changes nothing. */
  g_assert_false (ow_store_move_draft (store, "parked-a", "current", NULL, NULL, &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  loaded = ow_store_load_draft (store, "current", &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, parked));
  g_clear_pointer (&loaded, g_bytes_unref);

  /* What was committed is in the file: reopened, as after a crash, it holds each draft once. */
  g_clear_object (&store);
  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  keys = ow_store_list_drafts (store, &error);
  g_assert_cmpuint (g_strv_length (keys), ==, 2);
}

static void
test_meta (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autofree char *value = NULL;

  store = ow_store_open (fixture->path, &error);
  value = ow_store_get_meta (store, "catalog-etag", &error);
  g_assert_no_error (error);
  g_assert_null (value);

  g_assert_true (ow_store_set_meta (store, "catalog-etag", "\"rev-1\"", &error));
  g_assert_true (ow_store_set_meta (store, "catalog-etag", "\"rev-2\"", &error));
  value = ow_store_get_meta (store, "catalog-etag", &error);
  g_assert_cmpstr (value, ==, "\"rev-2\"");
  g_clear_pointer (&value, g_free);

  g_assert_true (ow_store_set_meta (store, "catalog-etag", NULL, &error));
  value = ow_store_get_meta (store, "catalog-etag", &error);
  g_assert_no_error (error);
  g_assert_null (value);
}

typedef struct
{
  GMainLoop *loop;
  OwStore   *store;
  gboolean   saved;
  GThread   *callback_thread;
  GError    *error;
} AsyncData;

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncData *async = user_data;

  async->store = ow_store_open_finish (result, &async->error);
  async->callback_thread = g_thread_self ();
  g_main_loop_quit (async->loop);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncData *async = user_data;

  async->saved = ow_store_save_case_finish (OW_STORE (source), result, &async->error);
  async->callback_thread = g_thread_self ();
  g_main_loop_quit (async->loop);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  AsyncData async = { 0 };
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCase) loaded = NULL;
  g_autoptr(OwOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir_file = NULL;
  GDate today;

  get_today (&today);
  async.loop = g_main_loop_new (NULL, FALSE);

  ow_store_open_async (fixture->path, NULL, opened_cb, &async);
  g_main_loop_run (async.loop);
  g_assert_no_error (async.error);
  g_assert_true (OW_IS_STORE (async.store));
  g_assert_true (async.callback_thread == g_thread_self ());

  kase = store_test_make_case (HALL, 7, &today, 11, ID_A);
  entry = make_entry (ow_case_get_case_no (kase));
  ow_store_save_case_async (async.store, kase, entry, "clerk", NULL, saved_cb, &async);
  g_main_loop_run (async.loop);
  g_assert_no_error (async.error);
  g_assert_true (async.saved);
  g_assert_cmpint (entry->id, >, 0);
  loaded = ow_store_load_case (async.store, ow_case_get_case_no (kase), &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  /* Opening where no database can be: a regular file stands where the folder should be. */
  g_clear_object (&async.store);
  dir_file = g_build_filename (fixture->dir, "plain-file", NULL);
  g_assert_true (g_file_set_contents (dir_file, "x", 1, NULL));
  {
    g_autofree char *below = g_build_filename (dir_file, "onewindow.db", NULL);

    ow_store_open_async (below, NULL, opened_cb, &async);
    g_main_loop_run (async.loop);
    g_assert_error (async.error, OW_STORE_ERROR, OW_STORE_ERROR_OPEN);
    g_assert_null (async.store);
    g_clear_error (&async.error);
  }

  g_main_loop_unref (async.loop);
}

/* Many threads at once through one store: the lock must keep every write whole. */
static gpointer
writer_thread (gpointer data)
{
  OwStore *store = data;
  GDate today;

  get_today (&today);
  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(GError) error = NULL;
      guint n = ow_store_next_sequence (store, HALL, 7, &today, &error);
      g_autoptr(OwCase) kase = NULL;
      g_autoptr(OwOutboxEntry) entry = NULL;

      g_assert_no_error (error);
      kase = store_test_make_case (HALL, 7, &today, n, ID_A);
      entry = make_entry (ow_case_get_case_no (kase));
      g_assert_true (ow_store_save_case (store, kase, entry, "clerk", &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(GPtrArray) all = NULL;
  GThread *threads[4];

  store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("writer", writer_thread, store);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  /* Distinct sequence numbers, so 100 distinct cases, each with its one entry. */
  all = ow_store_list_cases (store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 100);
  g_assert_cmpuint (ow_store_outbox_count (store, NULL), ==, 100);
}

static OwOutboxEntry *
make_file_entry (const char *case_no,
                 const char *sha256)
{
  OwOutboxEntry *entry = g_new0 (OwOutboxEntry, 1);

  entry->kind = g_strdup ("file");
  entry->key = g_strdup (case_no);
  entry->method = g_strdup ("PUT");
  entry->path = g_strdup_printf ("/api/v1/files/%s", sha256);
  entry->content_type = g_strdup ("image/png");
  entry->body_file = g_strdup (sha256);
  return entry;
}

/* Scanned pages: stored under their hash, read back checked, typed by their first bytes. */
static void
test_files (Fixture       *fixture,
            gconstpointer  data)
{
  static const char png[] = "\x89PNG\r\n\x1a\n a page";
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = ow_store_open (fixture->path, &error);
  g_autoptr(GBytes) page = g_bytes_new_static (png, sizeof png - 1);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7\n", 9);
  g_autoptr(GBytes) text = g_bytes_new_static ("plain text", 10);
  g_autoptr(GBytes) back = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *again = NULL;
  g_autofree char *pdf_sha = NULL;
  g_autofree char *text_sha = NULL;
  g_autofree char *type = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, page);

  g_assert_no_error (error);
  sha = ow_store_add_file (store, page, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha, ==, expected);
  path = g_build_filename (ow_store_get_files_dir (store), sha, NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* Adding the same bytes again is a no-op with the same name. */
  again = ow_store_add_file (store, page, &error);
  g_assert_cmpstr (again, ==, sha);

  back = ow_store_read_file (store, sha, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, page));
  type = ow_store_get_file_type (store, sha, &error);
  g_assert_cmpstr (type, ==, "image/png");
  g_clear_pointer (&type, g_free);
  pdf_sha = ow_store_add_file (store, pdf, &error);
  type = ow_store_get_file_type (store, pdf_sha, &error);
  g_assert_cmpstr (type, ==, "application/pdf");

  /* Neither image nor PDF: the platform would refuse it. */
  text_sha = ow_store_add_file (store, text, &error);
  g_assert_null (ow_store_get_file_type (store, text_sha, &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Missing, damaged, or a name that would leave the folder. */
  g_assert_null (ow_store_read_file (
      store, "0000000000000000000000000000000000000000000000000000000000000000", &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (ow_store_get_file_type (store, "../onewindow.db", &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "tampered", -1, NULL));
  g_assert_null (ow_store_read_file (store, sha, &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT);
}

/* Files before their case in one transaction, each page once; a dead entry holds back later
 * entries of its key only; a revived entry goes again; the summary counts without reading. */
static void
test_outbox_files (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *p1 = "1111111111111111111111111111111111111111111111111111111111111111";
  const char *p2 = "2222222222222222222222222222222222222222222222222222222222222222";
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = ow_store_open (fixture->path, &error);
  g_autoptr(OwCase) first = NULL;
  g_autoptr(OwCase) second = NULL;
  g_autoptr(OwCase) third = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(OwOutboxEntry) next = NULL;
  OwOutboxSummary summary;
  GDate today;
  gint64 case_entry_id;

  g_assert_no_error (error);
  get_today (&today);
  first = store_test_make_case (HALL, 7, &today, 1, ID_A);
  second = store_test_make_case (HALL, 7, &today, 2, ID_A);
  third = store_test_make_case (HALL, 7, &today, 3, ID_A);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_outbox_entry_free);
  g_ptr_array_add (entries, make_file_entry (ow_case_get_case_no (first), p1));
  g_ptr_array_add (entries, make_file_entry (ow_case_get_case_no (first), p2));
  g_ptr_array_add (entries, make_entry (ow_case_get_case_no (first)));
  g_assert_true (ow_store_save_case_full (store, first, entries, "clerk", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (entries, i))->id, >, 0);
  case_entry_id = ((OwOutboxEntry *) g_ptr_array_index (entries, 2))->id;

  /* The second case needs p2 too, which is on its way already. */
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_outbox_entry_free);
  g_ptr_array_add (entries, make_file_entry (ow_case_get_case_no (second), p2));
  g_ptr_array_add (entries, make_entry (ow_case_get_case_no (second)));
  g_assert_true (ow_store_save_case_full (store, second, entries, "clerk", &error));
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (entries, 0))->id, ==, 0);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (entries, 1))->id, >, case_entry_id);

  outbox = ow_store_list_outbox (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 4);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->body_file, ==, p1);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 1))->body_file, ==, p2);
  g_assert_cmpstr (((OwOutboxEntry *) g_ptr_array_index (outbox, 2))->kind, ==, "case");
  /* A page's bytes stay in the files folder, not in the database. */
  g_assert_null (((OwOutboxEntry *) g_ptr_array_index (outbox, 0))->body);
  g_assert_nonnull (((OwOutboxEntry *) g_ptr_array_index (outbox, 2))->body);

  /* p1 goes up; a later case with p1 does not send it again. */
  next = ow_store_outbox_next (store, g_get_real_time (), &error);
  g_assert_cmpstr (next->body_file, ==, p1);
  g_assert_true (ow_store_outbox_ack (store, next->id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_outbox_entry_free);
  g_ptr_array_add (entries, make_file_entry (ow_case_get_case_no (third), p1));
  g_ptr_array_add (entries, make_entry (ow_case_get_case_no (third)));
  g_assert_true (ow_store_save_case_full (store, third, entries, "clerk", &error));
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (entries, 0))->id, ==, 0);

  /* p2 is refused: the first case waits behind it, the second case (another key) goes. */
  g_clear_pointer (&next, ow_outbox_entry_free);
  next = ow_store_outbox_next (store, g_get_real_time (), &error);
  g_assert_cmpstr (next->body_file, ==, p2);
  g_assert_true (ow_store_outbox_fail (store, next->id, "refused", 0, TRUE, &error));
  g_assert_true (ow_store_outbox_summary (store, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pending, ==, 4);
  g_assert_cmpuint (summary.dead, ==, 1);
  g_assert_cmpuint (summary.blocked, ==, 1);
  g_assert_cmpint (summary.next_due, >, 0);
  g_clear_pointer (&next, ow_outbox_entry_free);
  next = ow_store_outbox_next (store, g_get_real_time (), &error);
  g_assert_cmpstr (next->key, ==, ow_case_get_case_no (second));

  /* Revived, p2 is the next to go again, then the first case. */
  g_assert_true (ow_store_outbox_revive (store, ((OwOutboxEntry *) g_ptr_array_index (outbox,
                                                                                       1))->id,
                                         &error));
  g_assert_no_error (error);
  g_clear_pointer (&next, ow_outbox_entry_free);
  next = ow_store_outbox_next (store, g_get_real_time (), &error);
  g_assert_cmpstr (next->body_file, ==, p2);
  g_assert_cmpuint (next->attempts, ==, 1);
  g_assert_true (ow_store_outbox_summary (store, &summary, &error));
  g_assert_cmpuint (summary.dead, ==, 0);
  g_assert_cmpuint (summary.blocked, ==, 0);
  g_assert_false (ow_store_outbox_revive (store, 999999, &error));
  g_assert_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND);
}

static OwOutboxEntry *
make_entry_naming (const char *kind,
                   const char *key,
                   const char *named)
{
  OwOutboxEntry *entry = make_entry (key);
  g_autofree char *body = g_strdup_printf ("{\"key\":\"%s\",\"names\":[\"%s\"]}", key, named);

  g_free (entry->kind);
  entry->kind = g_strdup (kind);
  g_bytes_unref (entry->body);
  entry->body = g_bytes_new (body, strlen (body));
  return entry;
}

static GPtrArray *
batch (OwStore            *store,
       gint64              now,
       const char * const *busy,
       gint64             *wait_until)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = ow_store_outbox_next_batch (store, now, busy, 8, wait_until, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

static const char *
batch_path (GPtrArray *entries,
            guint      i)
{
  g_assert_cmpuint (i, <, entries->len);
  return ((OwOutboxEntry *) g_ptr_array_index (entries, i))->path;
}

/* What may go side by side: the oldest entry of each key; not a case whose page, nor a ticket
 * whose case, is still on its way under another key; nothing newer than an entry waiting for
 * its back-off; a refused entry holds back its own key only. */
static void
test_outbox_batch (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *p1 = "1111111111111111111111111111111111111111111111111111111111111111";
  const char *p3 = "3333333333333333333333333333333333333333333333333333333333333333";
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = ow_store_open (fixture->path, &error);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) picked = NULL;
  OwCase *cases[4];
  gint64 ids[8];
  gint64 now = g_get_real_time ();
  gint64 wait_until = -1;
  const char *busy[] = { NULL, NULL };
  guint n = 0;
  GDate today;

  g_assert_no_error (error);
  get_today (&today);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    cases[i] = store_test_make_case (HALL, 7, &today, i + 1, ID_A);

#define KEY(i) ow_case_get_case_no (cases[i])
  /* 1: its page and itself; 2: names 1's page, on its way already; 3: its page and itself; a
   * ticket about 3, saved with 4. */
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_outbox_entry_free);
  g_ptr_array_add (entries, make_file_entry (KEY (0), p1));
  g_ptr_array_add (entries, make_entry_naming ("case", KEY (0), p1));
  g_assert_true (ow_store_save_case_full (store, cases[0], entries, "clerk", &error));
  for (guint i = 0; i < entries->len; i++)
    ids[n++] = ((OwOutboxEntry *) g_ptr_array_index (entries, i))->id;
  g_ptr_array_set_size (entries, 0);
  g_ptr_array_add (entries, make_entry_naming ("case", KEY (1), p1));
  g_assert_true (ow_store_save_case_full (store, cases[1], entries, "clerk", &error));
  ids[n++] = ((OwOutboxEntry *) g_ptr_array_index (entries, 0))->id;
  g_ptr_array_set_size (entries, 0);
  g_ptr_array_add (entries, make_file_entry (KEY (2), p3));
  g_ptr_array_add (entries, make_entry_naming ("case", KEY (2), p3));
  g_assert_true (ow_store_save_case_full (store, cases[2], entries, "clerk", &error));
  for (guint i = 0; i < entries->len; i++)
    ids[n++] = ((OwOutboxEntry *) g_ptr_array_index (entries, i))->id;
  g_ptr_array_set_size (entries, 0);
  g_ptr_array_add (entries, make_entry_naming ("ticket", "t-1", KEY (2)));
  g_assert_true (ow_store_save_case_full (store, cases[3], entries, "clerk", &error));
  ids[n++] = ((OwOutboxEntry *) g_ptr_array_index (entries, 0))->id;
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 6);

  /* The two pages; nothing else is free to go yet. */
  picked = batch (store, now, NULL, &wait_until);
  g_assert_cmpint (wait_until, ==, 0);
  g_assert_cmpuint (picked->len, ==, 2);
  g_assert_true (g_str_has_suffix (batch_path (picked, 0), p1));
  g_assert_true (g_str_has_suffix (batch_path (picked, 1), p3));
  g_clear_pointer (&picked, g_ptr_array_unref);

  /* 1's page on its way: only 3's. */
  busy[0] = KEY (0);
  picked = batch (store, now, busy, NULL);
  g_assert_cmpuint (picked->len, ==, 1);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (picked, 0))->id, ==, ids[3]);
  g_clear_pointer (&picked, g_ptr_array_unref);

  /* 1's page is there: 1 and 2 may go, beside 3's page. */
  g_assert_true (ow_store_outbox_ack (store, ids[0], &error));
  g_assert_no_error (error);
  picked = batch (store, now, NULL, NULL);
  g_assert_cmpuint (picked->len, ==, 3);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (picked, 0))->id, ==, ids[1]);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (picked, 1))->id, ==, ids[2]);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (picked, 2))->id, ==, ids[3]);
  g_clear_pointer (&picked, g_ptr_array_unref);

  /* 2 could not reach the platform: nothing newer goes until its back-off is over, older does. */
  g_assert_true (ow_store_outbox_fail (store, ids[2], "unreachable", now + 10 * G_USEC_PER_SEC,
                                       FALSE, &error));
  picked = batch (store, now, NULL, &wait_until);
  g_assert_cmpint (wait_until, ==, now + 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (picked->len, ==, 1);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (picked, 0))->id, ==, ids[1]);
  g_clear_pointer (&picked, g_ptr_array_unref);
  picked = batch (store, now + 11 * G_USEC_PER_SEC, NULL, &wait_until);
  g_assert_cmpint (wait_until, ==, 0);
  g_assert_cmpuint (picked->len, ==, 3);
  g_clear_pointer (&picked, g_ptr_array_unref);

  /* 3's page refused: 3 waits for a person, and the ticket about 3 no longer waits for it (the
   * platform will say what it thinks of it). */
  g_assert_true (ow_store_outbox_fail (store, ids[3], "refused", 0, TRUE, &error));
  g_assert_no_error (error);
  picked = batch (store, now + 11 * G_USEC_PER_SEC, NULL, NULL);
  g_assert_cmpuint (picked->len, ==, 3);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (picked, 0))->id, ==, ids[1]);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (picked, 1))->id, ==, ids[2]);
  g_assert_cmpint (((OwOutboxEntry *) g_ptr_array_index (picked, 2))->id, ==, ids[5]);
#undef KEY
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_object_unref (cases[i]);
}

/* A case from the platform is saved without an outbox entry, unless a local change of it still
 * waits to be sent. */
static void
test_remote_case (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = ow_store_open (fixture->path, &error);
  g_autoptr(OwCase) remote = NULL;
  g_autoptr(OwCase) local = NULL;
  g_autoptr(OwCase) loaded = NULL;
  g_autoptr(OwOutboxEntry) entry = NULL;
  gboolean applied = FALSE;
  GDate today;

  g_assert_no_error (error);
  get_today (&today);
  remote = store_test_make_case (HALL, 7, &today, 1, ID_A);
  ow_case_set_state (remote, OW_CASE_STATE_RESULT_READY);
  g_assert_true (ow_store_save_remote_case (store, remote, &applied, &error));
  g_assert_no_error (error);
  g_assert_true (applied);
  g_assert_cmpuint (ow_store_outbox_count (store, NULL), ==, 0);
  loaded = ow_store_load_case (store, ow_case_get_case_no (remote), &error);
  g_assert_cmpint (ow_case_get_state (loaded), ==, OW_CASE_STATE_RESULT_READY);

  local = store_test_make_case (HALL, 7, &today, 2, ID_A);
  entry = make_entry (ow_case_get_case_no (local));
  g_assert_true (ow_store_save_case (store, local, entry, "clerk", &error));
  g_clear_object (&remote);
  remote = store_test_make_case (HALL, 7, &today, 2, ID_B);
  g_assert_true (ow_store_save_remote_case (store, remote, &applied, &error));
  g_assert_false (applied);
  g_clear_object (&loaded);
  loaded = ow_store_load_case (store, ow_case_get_case_no (local), &error);
  g_assert_cmpstr (ow_case_get_applicant (loaded)->id_number, ==, ID_A);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/migrations", test_migrations);
  ADD ("/store/case/round-trip", test_case_round_trip);
  ADD ("/store/case/corrupt", test_case_corrupt);
  ADD ("/store/outbox/order", test_outbox);
  ADD ("/store/outbox/atomic", test_outbox_atomic);
  ADD ("/store/outbox/files", test_outbox_files);
  ADD ("/store/outbox/batch", test_outbox_batch);
  ADD ("/store/files", test_files);
  ADD ("/store/remote-case", test_remote_case);
  ADD ("/store/sequences", test_sequences);
  ADD ("/store/document-sequence", test_document_sequence);
  ADD ("/store/audit", test_audit);
  ADD ("/store/drafts", test_drafts);
  ADD ("/store/drafts/infos", test_draft_infos);
  ADD ("/store/drafts/move", test_draft_move);
  ADD ("/store/drafts/case", test_case_from_draft);
  ADD ("/store/meta", test_meta);
  ADD ("/store/async", test_async);
  ADD ("/store/threads", test_threads);

#undef ADD

  return g_test_run ();
}
