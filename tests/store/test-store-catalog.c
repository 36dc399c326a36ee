/* test-store-catalog.c — the kept catalog, its index, the calendar and offline log-ins, on real
 * SQLite files
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "store/ow-store.h"
#include "store-test-util.h"

#define PLATFORM "https://platform.example.gov.cn"

typedef struct
{
  char    *dir;
  char    *path;
  OwStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("ow-store-catalog-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "onewindow.db", NULL);
  fixture->store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  store_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static OwItem *
make_item (const char *id,
           const char *name,
           const char *department)
{
  OwItem *item = ow_item_new (id, name);
  const char *aliases[] = { "别名一", "别名二", NULL };

  ow_item_set_department (item, department, "11460100MB0000000X");
  ow_item_set_basic_code (item, "000101");
  ow_item_set_aliases (item, aliases);
  ow_item_set_limits (item, 20, 5);
  ow_item_set_visits (item, 0);
  ow_item_set_level (item, OW_ITEM_LEVEL_COUNTY);
  return item;
}

/* A page of @n items from @first, bodies "{"id": …}" standing in for the platform's JSON. */
static void
make_page (guint        first,
           guint        n,
           const char  *name,
           GPtrArray  **items,
           GPtrArray  **bodies)
{
  *items = g_ptr_array_new_with_free_func (g_object_unref);
  *bodies = g_ptr_array_new_with_free_func (g_free);
  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *id = g_strdup_printf ("ITEM%04u", i);
      g_autofree char *item_name = g_strdup_printf ("%s%u", name, i);

      g_ptr_array_add (*items, make_item (id, item_name, i % 2 ? "海口市民政局" : "海口市公安局"));
      g_ptr_array_add (*bodies, g_strdup_printf ("{\"id\": \"%s\", \"name\": \"%s\"}", id,
                                                 item_name));
    }
}

static GPtrArray *
make_bundles (const char *name)
{
  GPtrArray *bundles = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_bundle_free);
  const char *ids[] = { "ITEM0001", "ITEM0002", NULL };

  g_ptr_array_add (bundles, ow_bundle_new ("b1", name, "一件事一次办", ids));
  return bundles;
}

static void
save_catalog (OwStore    *store,
              guint       n,
              gint64      revision,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bundles = make_bundles ("开办餐饮店");

  g_assert_true (ow_store_begin_catalog (store, &error));
  g_assert_no_error (error);
  for (guint first = 0; first < n; first += 10)
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GPtrArray) bodies = NULL;

      make_page (first, MIN (10, n - first), name, &items, &bodies);
      g_assert_true (ow_store_stage_catalog_items (store, items, bodies, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ow_store_finish_catalog (store, revision, "\"rev-1\"", bundles, &error));
  g_assert_no_error (error);
}

static void
test_catalog_pages (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCatalog) none = NULL;
  g_autoptr(OwCatalog) catalog = NULL;
  g_autoptr(OwItem) first = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *stamp = NULL;
  const char *ids[] = { "ITEM0007", "NOPE", "ITEM0000", NULL };

  none = ow_store_load_catalog (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  save_catalog (fixture->store, 25, 3, "事项");
  catalog = ow_store_load_catalog (fixture->store, &etag, &stamp, &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  g_assert_cmpint (ow_catalog_get_revision (catalog), ==, 3);
  g_assert_cmpint (ow_store_get_catalog_revision (fixture->store, NULL), ==, 3);
  g_assert_cmpstr (etag, ==, "\"rev-1\"");
  g_assert_nonnull (stamp);
  /* Every item, in the order the pages came, each a summary with the columns kept. */
  g_assert_cmpuint (ow_catalog_get_n_items (catalog), ==, 25);
  first = ow_catalog_dup_item_at (catalog, 0);
  g_assert_cmpstr (ow_item_get_id (first), ==, "ITEM0000");
  g_assert_false (ow_item_is_complete (first));
  g_assert_cmpstr (ow_item_get_aliases (first)[1], ==, "别名二");
  g_assert_cmpstr (ow_item_get_department (first), ==, "海口市公安局");
  g_assert_cmpuint (ow_item_get_promised_limit (first), ==, 5);
  g_assert_cmpint (ow_item_get_level (first), ==, OW_ITEM_LEVEL_COUNTY);
  g_assert_true (ow_item_is_zero_trip (first));
  g_assert_cmpuint (ow_catalog_get_bundles (catalog)->len, ==, 1);
  g_assert_cmpstr (((OwBundle *) g_ptr_array_index (ow_catalog_get_bundles (catalog), 0))
                     ->item_ids[1], ==, "ITEM0002");

  bodies = ow_store_load_catalog_bodies (fixture->store, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bodies->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (bodies, 0), "ITEM0007"));
}

/* A download cut short changes nothing; the next one starts clean. */
static void
test_catalog_cut_short (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(OwCatalog) catalog = NULL;
  g_autoptr(OwItem) first = NULL;

  save_catalog (fixture->store, 12, 1, "旧事项");
  g_assert_true (ow_store_begin_catalog (fixture->store, &error));
  make_page (0, 5, "新事项", &items, &bodies);
  g_assert_true (ow_store_stage_catalog_items (fixture->store, items, bodies, &error));
  g_assert_no_error (error);

  /* Closed and opened again, as after a power cut. */
  g_clear_object (&fixture->store);
  fixture->store = ow_store_open (fixture->path, &error);
  g_assert_no_error (error);
  catalog = ow_store_load_catalog (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ow_catalog_get_n_items (catalog), ==, 12);
  first = ow_catalog_dup_item_at (catalog, 0);
  g_assert_cmpstr (ow_item_get_name (first), ==, "旧事项0");
  /* Finishing without a begin is refused. */
  g_clear_object (&catalog);
  g_clear_object (&first);
  save_catalog (fixture->store, 8, 2, "新事项");
  catalog = ow_store_load_catalog (fixture->store, NULL, NULL, &error);
  g_assert_cmpuint (ow_catalog_get_n_items (catalog), ==, 8);
  g_assert_false (ow_store_finish_catalog (fixture->store, 3, NULL, NULL, &error));
  g_assert_nonnull (error);
}

static void
test_catalog_delta (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) bundles = make_bundles ("开办超市");
  g_autoptr(OwCatalog) catalog = NULL;
  g_autofree char *stamp_before = NULL;
  g_autofree char *stamp_after = NULL;
  g_autoptr(OwCatalog) before = NULL;
  const char *removed[] = { "ITEM0001", "NOT-KEPT", NULL };
  g_autoptr(GBytes) index = g_bytes_new_static ("index", 5);
  g_autoptr(GBytes) kept = NULL;

  save_catalog (fixture->store, 5, 1, "事项");
  before = ow_store_load_catalog (fixture->store, NULL, &stamp_before, &error);
  g_assert_true (ow_store_save_catalog_index (fixture->store, stamp_before, index, &error));
  g_assert_no_error (error);
  kept = ow_store_load_catalog_index (fixture->store, stamp_before, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (kept, index));
  g_clear_pointer (&kept, g_bytes_unref);

  /* ITEM0003 changed, ITEM0009 is new, ITEM0001 went: applied twice, as after a crash before
   * the revision was kept, it changes nothing more. */
  make_page (3, 1, "改名", &items, &bodies);
  {
    g_autoptr(GPtrArray) more_items = NULL, more_bodies = NULL;

    make_page (9, 1, "新增", &more_items, &more_bodies);
    g_ptr_array_add (items, g_object_ref (g_ptr_array_index (more_items, 0)));
    g_ptr_array_add (bodies, g_strdup (g_ptr_array_index (more_bodies, 0)));
  }
  for (guint round = 0; round < 2; round++)
    {
      g_assert_true (ow_store_apply_catalog_delta (fixture->store, items, bodies, removed,
                                                   bundles, 2, "\"rev-2\"", &error));
      g_assert_no_error (error);
    }
  catalog = ow_store_load_catalog (fixture->store, NULL, &stamp_after, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_catalog_get_revision (catalog), ==, 2);
  g_assert_cmpuint (ow_catalog_get_n_items (catalog), ==, 5);
  g_assert_false (ow_catalog_contains (catalog, "ITEM0001"));
  g_assert_cmpstr (ow_catalog_get_item_name (catalog, "ITEM0003"), ==, "改名3");
  /* A changed item keeps its place, a new one comes last. */
  {
    guint position;

    g_assert_true (ow_catalog_get_position (catalog, "ITEM0003", &position));
    g_assert_cmpuint (position, ==, 2);
    g_assert_true (ow_catalog_get_position (catalog, "ITEM0009", &position));
    g_assert_cmpuint (position, ==, 4);
  }
  g_assert_cmpstr (((OwBundle *) g_ptr_array_index (ow_catalog_get_bundles (catalog), 0))->name,
                   ==, "开办超市");

  /* The index of the catalog before is stale now: not read back, nor kept. */
  g_assert_cmpstr (stamp_before, !=, stamp_after);
  kept = ow_store_load_catalog_index (fixture->store, stamp_before, &error);
  g_assert_no_error (error);
  g_assert_null (kept);
  g_assert_true (ow_store_save_catalog_index (fixture->store, stamp_before, index, &error));
  g_assert_no_error (error);
  kept = ow_store_load_catalog_index (fixture->store, stamp_before, &error);
  g_assert_null (kept);
}

static void
test_calendar (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) years = NULL;
  OwStoreCalendarYear y2027 = { 2027, NULL, NULL, FALSE, NULL, 0 };
  OwStoreCalendarYear y2026 = { 2026, (char *) "2026-01-01\toff\t元旦\n", (char *) "", TRUE,
                                (char *) "\"a1\"", 0 };
  OwStoreCalendarYear *read;

  g_assert_true (ow_store_save_calendar_year (fixture->store, &y2027, &error));
  g_assert_true (ow_store_save_calendar_year (fixture->store, &y2026, &error));
  y2026.local = (char *) "2026-04-20\toff\t三月三\n";
  y2026.etag = (char *) "\"b2\"";
  g_assert_true (ow_store_save_calendar_year (fixture->store, &y2026, &error));
  g_assert_no_error (error);
  years = ow_store_load_calendar (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (years->len, ==, 2);
  read = g_ptr_array_index (years, 0);
  g_assert_cmpint (read->year, ==, 2026);
  g_assert_true (read->published);
  g_assert_cmpstr (read->local, ==, "2026-04-20\toff\t三月三\n");
  g_assert_cmpstr (read->etag, ==, "\"b2\"");
  g_assert_cmpint (read->fetched_at, >, 0);
  read = g_ptr_array_index (years, 1);
  g_assert_false (read->published);
  g_assert_null (read->national);
  g_assert_null (read->etag);
}

static guint
count_audit (OwStore    *store,
             const char *sql_where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE %s", sql_where);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_open_v2 (ow_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_credentials (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStoreCredential) none = NULL;
  g_autoptr(OwStoreCredential) read = NULL;
  char *roles[] = { (char *) "clerk", (char *) "pickup", NULL };
  OwStoreCredential credential = {
    .platform = (char *) PLATFORM, .username = (char *) "clerk",
    .verifier = (char *) "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
    .display_name = (char *) "王小明", .roles = roles, .hall = (char *) "46010001",
    .hall_name = (char *) "海口市政务服务中心", .counter = 7, .verified_at = 1000,
  };
  gint64 now = (gint64) 5000 * G_USEC_PER_SEC;
  gint64 until = 0;
  guint failures = 0;

  none = ow_store_load_credential (fixture->store, PLATFORM, "clerk", &error);
  g_assert_no_error (error);
  g_assert_null (none);
  /* Never kept: refused, and audited. */
  g_assert_true (ow_store_credential_failed (fixture->store, PLATFORM, "nobody", now, 3,
                                             60 * G_USEC_PER_SEC, &failures, &until, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (fixture->store,
                                 "user = 'nobody' AND result LIKE 'refused%'"), ==, 1);

  g_assert_true (ow_store_save_credential (fixture->store, &credential, &error));
  g_assert_no_error (error);
  read = ow_store_load_credential (fixture->store, PLATFORM, "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->verifier, ==, credential.verifier);
  g_assert_cmpstr (read->roles[1], ==, "pickup");
  g_assert_null (read->roles[2]);
  g_assert_cmpuint (read->counter, ==, 7);
  g_assert_cmpstr (read->hall_name, ==, "海口市政务服务中心");
  /* Another platform is another account. */
  g_clear_pointer (&read, ow_store_credential_free);
  read = ow_store_load_credential (fixture->store, "http://127.0.0.1:8470", "clerk", &error);
  g_assert_null (read);

  /* Two wrong passwords counted, the third locks and counting starts again. */
  g_assert_true (ow_store_credential_failed (fixture->store, PLATFORM, "clerk", now, 3,
                                             60 * G_USEC_PER_SEC, &failures, &until, &error));
  g_assert_cmpuint (failures, ==, 1);
  g_assert_cmpint (until, ==, 0);
  g_assert_true (ow_store_credential_failed (fixture->store, PLATFORM, "clerk", now, 3,
                                             60 * G_USEC_PER_SEC, &failures, &until, &error));
  g_assert_true (ow_store_credential_failed (fixture->store, PLATFORM, "clerk", now, 3,
                                             60 * G_USEC_PER_SEC, &failures, &until, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (failures, ==, 0);
  g_assert_cmpint (until, ==, now + 60 * G_USEC_PER_SEC);
  read = ow_store_load_credential (fixture->store, PLATFORM, "clerk", NULL);
  g_assert_cmpint (read->locked_until, ==, until);
  g_clear_pointer (&read, ow_store_credential_free);
  g_assert_cmpuint (count_audit (fixture->store, "user = 'clerk' AND event = 'login-offline' "
                                                 "AND result LIKE '%locked until%'"), ==, 1);

  g_assert_true (ow_store_credential_succeeded (fixture->store, PLATFORM, "clerk", &error));
  read = ow_store_load_credential (fixture->store, PLATFORM, "clerk", NULL);
  g_assert_cmpint (read->locked_until, ==, 0);
  g_assert_cmpuint (read->failures, ==, 0);
  g_clear_pointer (&read, ow_store_credential_free);

  /* Revoked: the verifier is gone; a new online log-in brings it back. */
  g_assert_true (ow_store_revoke_credential (fixture->store, PLATFORM, "clerk", "disabled",
                                             &error));
  g_assert_no_error (error);
  read = ow_store_load_credential (fixture->store, PLATFORM, "clerk", NULL);
  g_assert_cmpstr (read->verifier, ==, "");
  g_assert_cmpint (read->revoked_at, >, 0);
  g_assert_cmpstr (read->revoked_why, ==, "disabled");
  g_clear_pointer (&read, ow_store_credential_free);
  g_assert_true (ow_store_revoke_credential (fixture->store, PLATFORM, "nobody", "disabled",
                                             &error));
  g_assert_true (ow_store_save_credential (fixture->store, &credential, &error));
  read = ow_store_load_credential (fixture->store, PLATFORM, "clerk", NULL);
  g_assert_cmpint (read->revoked_at, ==, 0);
  g_assert_cmpstr (read->verifier, ==, credential.verifier);
  g_assert_cmpuint (count_audit (fixture->store, "event = 'offline-login-revoked'"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/catalog/pages", Fixture, NULL, fixture_set_up, test_catalog_pages,
              fixture_tear_down);
  g_test_add ("/store/catalog/cut-short", Fixture, NULL, fixture_set_up, test_catalog_cut_short,
              fixture_tear_down);
  g_test_add ("/store/catalog/delta", Fixture, NULL, fixture_set_up, test_catalog_delta,
              fixture_tear_down);
  g_test_add ("/store/calendar", Fixture, NULL, fixture_set_up, test_calendar,
              fixture_tear_down);
  g_test_add ("/store/credentials", Fixture, NULL, fixture_set_up, test_credentials,
              fixture_tear_down);
  return g_test_run ();
}
