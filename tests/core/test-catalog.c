/* test-catalog.c — the catalog, bundles, departments and merged material lists
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-catalog.h"

static OwMaterial *
make_material (const char *id,
               const char *name,
               guint       originals,
               guint       copies,
               gboolean    required)
{
  OwMaterial *material = ow_material_new (id, name);

  ow_material_set_counts (material, originals, copies);
  ow_material_set_required (material, required);
  return material;
}

static OwItem *
make_item (const char *id,
           const char *name,
           const char *department)
{
  OwItem *item = ow_item_new (id, name);

  ow_item_set_department (item, department, NULL);
  return item;
}

/* Opening a restaurant: a business licence and a food licence, asking for some of the same
 * documents. */
static OwCatalog *
make_catalog (void)
{
  OwCatalog *catalog = ow_catalog_new ();
  g_autoptr(OwItem) business = make_item ("A", "企业设立登记", "海口市市场监督管理局");
  g_autoptr(OwItem) food = make_item ("B", "食品经营许可", "海口市市场监督管理局");
  g_autoptr(OwItem) fire = make_item ("C", "公众聚集场所投入使用前消防安全检查",
                                      "海口市消防救援支队");
  g_autoptr(OwMaterial) a1 = make_material ("a1", "身份证", 1, 1, TRUE);
  g_autoptr(OwMaterial) a2 = make_material ("a2", "设立登记申请书", 1, 0, TRUE);
  g_autoptr(OwMaterial) a3 = make_material ("a3", "场地使用证明", 0, 1, FALSE);
  g_autoptr(OwMaterial) b1 = make_material ("b1", "身份证", 1, 2, TRUE);
  g_autoptr(OwMaterial) b2 = make_material ("b2", "食品经营许可申请书", 1, 0, TRUE);
  g_autoptr(OwMaterial) b3 = make_material ("b3", " 场地使用证明 ", 1, 0, TRUE);
  g_autoptr(OwMaterial) c1 = make_material ("c1", "身份证", 2, 0, FALSE);
  const char *bundle_items[] = { "A", "B", "C", NULL };
  g_autoptr(OwBundle) bundle = ow_bundle_new ("b1", "开办餐饮店", "一件事一次办", bundle_items);

  ow_material_set_tolerable (a3, TRUE);
  ow_material_set_tolerable (b3, FALSE);
  ow_material_set_shared_exempt (a1, TRUE);
  ow_material_set_shared_exempt (b1, TRUE);
  ow_material_set_shared_exempt (c1, TRUE);
  ow_material_set_form (a1, OW_MATERIAL_FORM_EITHER);
  ow_material_set_form (b1, OW_MATERIAL_FORM_ELECTRONIC);

  ow_item_add_material (business, a1);
  ow_item_add_material (business, a2);
  ow_item_add_material (business, a3);
  ow_item_add_material (food, b1);
  ow_item_add_material (food, b2);
  ow_item_add_material (food, b3);
  ow_item_add_material (fire, c1);

  ow_catalog_set_revision (catalog, 7);
  ow_catalog_add_item (catalog, business);
  ow_catalog_add_item (catalog, food);
  ow_catalog_add_item (catalog, fire);
  ow_catalog_add_bundle (catalog, bundle);
  return catalog;
}

static void
test_items (void)
{
  g_autoptr(OwCatalog) catalog = make_catalog ();
  GListModel *items = ow_catalog_get_items (catalog);
  g_autoptr(OwItem) replacement = make_item ("B", "食品经营许可（告知承诺）",
                                             "海口市市场监督管理局");
  g_autoptr(OwItem) second = NULL;
  g_autoptr(OwCatalog) empty = ow_catalog_new ();

  g_assert_cmpint (ow_catalog_get_revision (catalog), ==, 7);
  g_assert_cmpint (ow_catalog_get_revision (empty), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (ow_catalog_get_items (empty)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 3);
  g_assert_cmpstr (ow_item_get_name (ow_catalog_lookup (catalog, "A")), ==, "企业设立登记");
  g_assert_null (ow_catalog_lookup (catalog, "Z"));
  g_assert_null (ow_catalog_lookup (catalog, NULL));

  /* The same id replaces the item in its place. */
  ow_catalog_add_item (catalog, replacement);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 3);
  second = g_list_model_get_item (items, 1);
  g_assert_true (second == replacement);
  g_assert_true (ow_catalog_lookup (catalog, "B") == replacement);
}

static void
test_bundles (void)
{
  g_autoptr(OwCatalog) catalog = make_catalog ();
  GPtrArray *bundles = ow_catalog_get_bundles (catalog);
  const char *items[] = { "A", "B", NULL };
  g_autoptr(OwBundle) changed = ow_bundle_new ("b1", "开办餐饮店", "改", items);
  g_autoptr(OwBundle) other = ow_bundle_new ("b2", "新生儿出生", NULL, NULL);
  g_autoptr(OwBundle) copy = NULL;
  OwBundle *first;

  g_assert_cmpuint (bundles->len, ==, 1);
  first = g_ptr_array_index (bundles, 0);
  g_assert_cmpstr (first->id, ==, "b1");
  g_assert_cmpstr (first->name, ==, "开办餐饮店");
  g_assert_cmpuint (g_strv_length (first->item_ids), ==, 3);

  ow_catalog_add_bundle (catalog, changed);
  ow_catalog_add_bundle (catalog, other);
  g_assert_cmpuint (bundles->len, ==, 2);
  first = g_ptr_array_index (bundles, 0);
  g_assert_cmpstr (first->description, ==, "改");
  g_assert_cmpuint (g_strv_length (first->item_ids), ==, 2);
  /* The catalog copied what it was given. */
  g_assert_true (first != changed);
  g_assert_cmpuint (g_strv_length (((OwBundle *) g_ptr_array_index (bundles, 1))->item_ids), ==, 0);

  copy = g_boxed_copy (OW_TYPE_BUNDLE, changed);
  g_assert_cmpstr (copy->name, ==, changed->name);
  g_assert_cmpstrv (copy->item_ids, changed->item_ids);
  g_assert_true (copy->item_ids != changed->item_ids);
}

static void
test_departments (void)
{
  g_autoptr(OwCatalog) catalog = make_catalog ();
  g_autoptr(OwItem) nameless = make_item ("D", "无主体事项", NULL);
  g_auto(GStrv) departments = NULL;
  g_autoptr(OwCatalog) empty = ow_catalog_new ();
  g_auto(GStrv) none = ow_catalog_dup_departments (empty);

  ow_catalog_add_item (catalog, nameless);
  departments = ow_catalog_dup_departments (catalog);
  /* Sorted, once each, and an item without a department adds none. */
  g_assert_cmpuint (g_strv_length (departments), ==, 2);
  g_assert_cmpint (g_utf8_collate (departments[0], departments[1]), <, 0);
  g_assert_true (g_strv_contains ((const char * const *) departments, "海口市市场监督管理局"));
  g_assert_true (g_strv_contains ((const char * const *) departments, "海口市消防救援支队"));
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static OwMaterial *
find_by_name (GPtrArray  *materials,
              const char *name)
{
  for (guint i = 0; i < materials->len; i++)
    if (g_str_equal (ow_material_get_name (g_ptr_array_index (materials, i)), name))
      return g_ptr_array_index (materials, i);
  return NULL;
}

static void
test_merge (void)
{
  g_autoptr(OwCatalog) catalog = make_catalog ();
  const char *all[] = { "A", "B", "C", NULL };
  g_autoptr(GPtrArray) merged = ow_catalog_merge_materials (catalog, all);
  OwMaterial *id_card, *venue;

  /* 身份证 ×3 and 场地使用证明 ×2 become one line each: 7 materials, 4 lines, in the order
   * first asked for. */
  g_assert_cmpuint (merged->len, ==, 4);
  g_assert_cmpstr (ow_material_get_name (g_ptr_array_index (merged, 0)), ==, "身份证");
  g_assert_cmpstr (ow_material_get_name (g_ptr_array_index (merged, 1)), ==, "设立登记申请书");
  g_assert_cmpstr (ow_material_get_name (g_ptr_array_index (merged, 2)), ==, "场地使用证明");
  g_assert_cmpstr (ow_material_get_name (g_ptr_array_index (merged, 3)), ==, "食品经营许可申请书");

  id_card = find_by_name (merged, "身份证");
  g_assert_nonnull (id_card);
  /* Ids are unique within an item only: merged lines name the item that asked first. */
  g_assert_cmpstr (ow_material_get_id (id_card), ==, "A/a1");
  for (guint i = 0; i < merged->len; i++)
    for (guint j = i + 1; j < merged->len; j++)
      g_assert_cmpstr (ow_material_get_id (g_ptr_array_index (merged, i)), !=,
                       ow_material_get_id (g_ptr_array_index (merged, j)));
  /* One item alone keeps the catalog's ids. */
  {
    const char *one[] = { "A", "A", NULL };
    g_autoptr(GPtrArray) alone = ow_catalog_merge_materials (catalog, one);

    g_assert_cmpstr (ow_material_get_id (find_by_name (alone, "身份证")), ==, "a1");
  }
  g_assert_cmpuint (ow_material_get_originals (id_card), ==, 2);
  g_assert_cmpuint (ow_material_get_copies (id_card), ==, 2);
  g_assert_true (ow_material_get_required (id_card));
  g_assert_true (ow_material_get_shared_exempt (id_card));
  /* "Either" and "electronic": electronic satisfies both. */
  g_assert_cmpint (ow_material_get_form (id_card), ==, OW_MATERIAL_FORM_ELECTRONIC);

  venue = find_by_name (merged, "场地使用证明");
  g_assert_nonnull (venue);
  g_assert_cmpuint (ow_material_get_originals (venue), ==, 1);
  g_assert_cmpuint (ow_material_get_copies (venue), ==, 1);
  /* Required by one item, so required; tolerable only by one, so not tolerable. */
  g_assert_true (ow_material_get_required (venue));
  g_assert_false (ow_material_get_tolerable (venue));

  /* The catalog's own materials are untouched. */
  {
    OwMaterial *a1 = ow_item_find_material (ow_catalog_lookup (catalog, "A"), "a1");
    OwMaterial *a3 = ow_item_find_material (ow_catalog_lookup (catalog, "A"), "a3");

    g_assert_true (a1 != id_card);
    g_assert_cmpuint (ow_material_get_originals (a1), ==, 1);
    g_assert_cmpint (ow_material_get_form (a1), ==, OW_MATERIAL_FORM_EITHER);
    g_assert_false (ow_material_get_required (a3));
    g_assert_true (ow_material_get_tolerable (a3));
  }
}

static void
test_merge_edges (void)
{
  g_autoptr(OwCatalog) catalog = make_catalog ();
  const char *one[] = { "C", NULL };
  const char *twice[] = { "A", "A", NULL };
  const char *unknown[] = { "Z", "C", NULL };
  const char *none[] = { NULL };
  g_autoptr(GPtrArray) single = ow_catalog_merge_materials (catalog, one);
  g_autoptr(GPtrArray) repeated = ow_catalog_merge_materials (catalog, twice);
  g_autoptr(GPtrArray) skipped = ow_catalog_merge_materials (catalog, unknown);
  g_autoptr(GPtrArray) empty = ow_catalog_merge_materials (catalog, none);
  g_autoptr(GPtrArray) null = ow_catalog_merge_materials (catalog, NULL);

  g_assert_cmpuint (single->len, ==, 1);
  g_assert_false (ow_material_get_required (g_ptr_array_index (single, 0)));
  g_assert_cmpuint (ow_material_get_originals (g_ptr_array_index (single, 0)), ==, 2);
  g_assert_cmpuint (repeated->len, ==, 3);
  g_assert_cmpuint (ow_material_get_copies (g_ptr_array_index (repeated, 0)), ==, 1);
  g_assert_cmpuint (skipped->len, ==, 1);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (null->len, ==, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* A catalog that lists items without holding them, and a loader that counts its calls */

typedef struct
{
  guint calls;
  guint asked;
  gboolean fail;
} Loader;

static GPtrArray *
load_cb (const char * const *ids,
         gpointer            user_data,
         GCancellable       *cancellable,
         GError            **error)
{
  Loader *loader = user_data;
  GPtrArray *items;

  loader->calls++;
  if (loader->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the store is gone");
      return NULL;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      OwItem *item = make_item (ids[i], "企业设立登记", "海口市市场监督管理局");
      g_autoptr(OwMaterial) material = make_material ("m1", "身份证", 1, 1, TRUE);

      loader->asked++;
      ow_item_add_material (item, material);
      g_ptr_array_add (items, item);
    }
  /* Something it was not asked for is not taken in. */
  g_ptr_array_add (items, make_item ("Z", "不在目录", ""));
  return items;
}

static OwCatalog *
make_listed_catalog (Loader *loader)
{
  OwCatalog *catalog = ow_catalog_new ();
  const char *aliases[] = { "开公司", "办执照", NULL };
  OwItemSummary a = { .id = "A", .name = "企业设立登记", .basic_code = "0101",
                      .aliases = aliases, .department = "海口市市场监督管理局",
                      .item_type = OW_ITEM_TYPE_LICENSING, .level = OW_ITEM_LEVEL_CITY,
                      .legal_limit = 15, .promised_limit = 3, .visits = 0 };
  OwItemSummary b = { .id = "B", .name = "食品经营许可", .basic_code = "0102",
                      .department = "海口市市场监督管理局",
                      .item_type = OW_ITEM_TYPE_LICENSING, .level = OW_ITEM_LEVEL_COUNTY,
                      .legal_limit = 20, .promised_limit = 10, .visits = 1 };
  OwItemSummary c = { .id = "C", .name = "消防检查", .department = "海口市消防救援支队",
                      .item_type = OW_ITEM_TYPE_INSPECTION, .level = OW_ITEM_LEVEL_CITY,
                      .visits = 2 };

  ow_catalog_add_summary (catalog, &a);
  ow_catalog_add_summary (catalog, &b);
  ow_catalog_add_summary (catalog, &c);
  /* C is listed again with another department: the listing is replaced in place. */
  c.department = "海口市应急管理局";
  ow_catalog_add_summary (catalog, &c);
  ow_catalog_set_loader (catalog, load_cb, loader, NULL);
  return catalog;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GPtrArray *
load_items (OwCatalog           *catalog,
            const char * const  *ids,
            GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_catalog_load_items_async (catalog, ids, NULL, loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return ow_catalog_load_items_finish (catalog, result, error);
}

static void
test_summaries (void)
{
  Loader loader = { 0 };
  g_autoptr(OwCatalog) catalog = make_listed_catalog (&loader);
  g_autoptr(OwItem) a = ow_catalog_dup_item (catalog, "A");
  g_autoptr(OwItem) third = NULL;
  g_auto(GStrv) departments = NULL;

  g_assert_cmpuint (ow_catalog_get_n_items (catalog), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (ow_catalog_get_items (catalog)), ==, 3);
  g_assert_true (ow_catalog_contains (catalog, "B"));
  g_assert_false (ow_catalog_contains (catalog, "Z"));
  /* Listed, not held. */
  g_assert_null (ow_catalog_lookup (catalog, "A"));
  g_assert_nonnull (a);
  g_assert_false (ow_item_is_complete (a));
  g_assert_cmpstr (ow_item_get_name (a), ==, "企业设立登记");
  g_assert_cmpstr (ow_item_get_basic_code (a), ==, "0101");
  g_assert_cmpstr (ow_item_get_aliases (a)[1], ==, "办执照");
  g_assert_null (ow_item_get_aliases (a)[2]);
  g_assert_cmpuint (ow_item_get_promised_limit (a), ==, 3);
  g_assert_cmpuint (ow_item_get_legal_limit (a), ==, 15);
  g_assert_true (ow_item_is_zero_trip (a));
  g_assert_cmpstr (ow_catalog_get_item_department (catalog, "C"), ==, "海口市应急管理局");
  g_assert_cmpstr (ow_catalog_get_item_name (catalog, "B"), ==, "食品经营许可");
  g_assert_null (ow_catalog_get_item_name (catalog, "Z"));
  third = g_list_model_get_item (ow_catalog_get_items (catalog), 2);
  g_assert_cmpstr (ow_item_get_id (third), ==, "C");
  g_assert_cmpint (ow_item_get_level (third), ==, OW_ITEM_LEVEL_CITY);
  g_assert_cmpint (ow_item_get_item_type (third), ==, OW_ITEM_TYPE_INSPECTION);
  /* The department C no longer names is not offered. */
  departments = ow_catalog_dup_departments (catalog);
  g_assert_cmpuint (g_strv_length (departments), ==, 2);
  g_assert_cmpuint (loader.calls, ==, 0);
}

static void
test_load_items (void)
{
  Loader loader = { 0 };
  g_autoptr(OwCatalog) catalog = make_listed_catalog (&loader);
  const char *ids[] = { "B", "Z", "A", "B", NULL };
  const char *again[] = { "A", NULL };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwItem) listed = NULL;

  items = load_items (catalog, ids, &error);
  g_assert_no_error (error);
  /* In the order asked, what the catalog does not list left out, each loaded once. */
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (ow_item_get_id (g_ptr_array_index (items, 0)), ==, "B");
  g_assert_cmpstr (ow_item_get_id (g_ptr_array_index (items, 1)), ==, "A");
  g_assert_true (g_ptr_array_index (items, 0) == g_ptr_array_index (items, 2));
  g_assert_cmpuint (loader.calls, ==, 1);
  g_assert_cmpuint (loader.asked, ==, 2);
  g_assert_true (ow_item_is_complete (g_ptr_array_index (items, 1)));
  g_assert_true (ow_catalog_lookup (catalog, "A") == g_ptr_array_index (items, 1));
  g_assert_false (ow_catalog_contains (catalog, "Z"));
  g_assert_null (ow_catalog_lookup (catalog, "Z"));

  /* Held now: not loaded again, and the same object. */
  second = load_items (catalog, again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loader.calls, ==, 1);
  g_assert_true (g_ptr_array_index (second, 0) == g_ptr_array_index (items, 1));
  listed = ow_catalog_dup_item_at (catalog, 0);
  g_assert_true (listed == g_ptr_array_index (items, 1));
  /* The blocking variant, for workers, holds the same way. */
  {
    const char *c[] = { "C", NULL };
    g_autoptr(GPtrArray) blocking = ow_catalog_load_items (catalog, c, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (blocking->len, ==, 1);
    g_assert_true (ow_catalog_lookup (catalog, "C") == g_ptr_array_index (blocking, 0));
  }
  /* Held items merge; the checklist is theirs. */
  merged = ow_catalog_merge_materials (catalog, again);
  g_assert_cmpuint (merged->len, ==, 1);
}

static void
test_load_failure (void)
{
  Loader loader = { .fail = TRUE };
  g_autoptr(OwCatalog) catalog = make_listed_catalog (&loader);
  const char *ids[] = { "A", NULL };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = load_items (catalog, ids, &error);
  g_assert_null (items);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (ow_catalog_lookup (catalog, "A"));
}

/* A summary has no materials: asking for them is a mistake that must show, not an empty list
 * that would make an empty checklist. */
static void
test_summary_has_no_details (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(OwItem) summary = ow_item_new_summary ("A", "企业设立登记");

      g_assert_null (ow_item_get_materials (summary));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*summary*");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalog/items", test_items);
  g_test_add_func ("/catalog/bundles", test_bundles);
  g_test_add_func ("/catalog/departments", test_departments);
  g_test_add_func ("/catalog/merge", test_merge);
  g_test_add_func ("/catalog/merge-edges", test_merge_edges);
  g_test_add_func ("/catalog/summaries", test_summaries);
  g_test_add_func ("/catalog/load-items", test_load_items);
  g_test_add_func ("/catalog/load-failure", test_load_failure);
  g_test_add_func ("/catalog/summary-has-no-details", test_summary_has_no_details);

  return g_test_run ();
}
