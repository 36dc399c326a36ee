/* test-item.c — service items, their materials and the standard's codes
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-item.h"

static void
test_item_types (void)
{
  const struct
  {
    OwItemType type;
    const char *code;
    const char *label;
    gboolean reform;
  } expected[] = {
    { OW_ITEM_TYPE_LICENSING, "01", "行政许可", TRUE },
    { OW_ITEM_TYPE_PENALTY, "02", "行政处罚", FALSE },
    { OW_ITEM_TYPE_COERCION, "03", "行政强制", FALSE },
    { OW_ITEM_TYPE_LEVY, "04", "行政征收", FALSE },
    { OW_ITEM_TYPE_PAYMENT, "05", "行政给付", TRUE },
    { OW_ITEM_TYPE_INSPECTION, "06", "行政检查", FALSE },
    { OW_ITEM_TYPE_CONFIRMATION, "07", "行政确认", TRUE },
    { OW_ITEM_TYPE_REWARD, "08", "行政奖励", TRUE },
    { OW_ITEM_TYPE_ADJUDICATION, "09", "行政裁决", TRUE },
    { OW_ITEM_TYPE_OTHER, "10", "其他类别", TRUE },
    { OW_ITEM_TYPE_PUBLIC_SERVICE, "20", "公共服务", TRUE },
  };
  const char *bad_codes[] = { "00", "1", "11", "19", "21", "001", "", "０１", "ab" };
  guint n_reform = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      OwItemType type = 0;

      g_assert_cmpstr (ow_item_type_to_code (expected[i].type), ==, expected[i].code);
      g_assert_cmpstr (ow_item_type_to_label (expected[i].type), ==, expected[i].label);
      g_assert_cmpint (ow_item_type_is_reform (expected[i].type), ==, expected[i].reform);
      g_assert_true (ow_item_type_from_code (expected[i].code, &type));
      g_assert_cmpint (type, ==, expected[i].type);
      n_reform += expected[i].reform;
    }
  /* "6+1": six kinds of administrative power and public service. */
  g_assert_cmpuint (n_reform, ==, 7);

  for (gsize i = 0; i < G_N_ELEMENTS (bad_codes); i++)
    {
      OwItemType type = OW_ITEM_TYPE_PENALTY;

      g_assert_false (ow_item_type_from_code (bad_codes[i], &type));
      g_assert_cmpint (type, ==, OW_ITEM_TYPE_PENALTY);
    }
  g_assert_false (ow_item_type_from_code (NULL, NULL));
  g_assert_null (ow_item_type_to_code (0));
  g_assert_null (ow_item_type_to_code (11));
  g_assert_null (ow_item_type_to_label (21));
  g_assert_false (ow_item_type_is_reform (0));
}

static void
test_material (void)
{
  g_autoptr(OwMaterial) material = ow_material_new ("m1", "营业执照");
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;

  /* Defaults: one original, required, on paper, brought by the applicant, nothing excused. */
  g_assert_cmpstr (ow_material_get_id (material), ==, "m1");
  g_assert_cmpstr (ow_material_get_name (material), ==, "营业执照");
  g_assert_cmpstr (ow_material_get_issuer (material), ==, "");
  g_assert_cmpuint (ow_material_get_originals (material), ==, 1);
  g_assert_cmpuint (ow_material_get_copies (material), ==, 0);
  g_assert_true (ow_material_get_required (material));
  g_assert_cmpint (ow_material_get_form (material), ==, OW_MATERIAL_FORM_PAPER);
  g_assert_cmpint (ow_material_get_source (material), ==, OW_MATERIAL_SOURCE_APPLICANT);
  g_assert_cmpstr (ow_material_get_source_label (material), ==, "申请人自备");
  g_assert_false (ow_material_get_shared_exempt (material));
  g_assert_false (ow_material_get_licence_exempt (material));
  g_assert_false (ow_material_get_tolerable (material));
  g_assert_cmpstr (ow_material_get_standard (material), ==, "");
  g_assert_cmpstr (ow_material_get_notes (material), ==, "");
  g_assert_cmpstr (ow_material_get_blank_form (material), ==, "");
  g_assert_cmpstr (ow_material_get_sample (material), ==, "");

  g_object_get (material, "id", &id, "name", &name, NULL);
  g_assert_cmpstr (id, ==, "m1");
  g_assert_cmpstr (name, ==, "营业执照");

  ow_material_set_issuer (material, "市场监督管理部门");
  ow_material_set_counts (material, 2, 3);
  ow_material_set_required (material, FALSE);
  ow_material_set_form (material, OW_MATERIAL_FORM_EITHER);
  ow_material_set_source (material, OW_MATERIAL_SOURCE_GOVERNMENT, NULL);
  ow_material_set_shared_exempt (material, TRUE);
  ow_material_set_licence_exempt (material, TRUE);
  ow_material_set_tolerable (material, TRUE);
  ow_material_set_standard (material, "在有效期内");
  ow_material_set_notes (material, "加盖公章");
  ow_material_set_blank_form (material, "forms/m1.pdf");
  ow_material_set_sample (material, "samples/m1.pdf");

  g_assert_cmpstr (ow_material_get_issuer (material), ==, "市场监督管理部门");
  g_assert_cmpuint (ow_material_get_originals (material), ==, 2);
  g_assert_cmpuint (ow_material_get_copies (material), ==, 3);
  g_assert_false (ow_material_get_required (material));
  g_assert_cmpint (ow_material_get_form (material), ==, OW_MATERIAL_FORM_EITHER);
  g_assert_cmpint (ow_material_get_source (material), ==, OW_MATERIAL_SOURCE_GOVERNMENT);
  g_assert_cmpstr (ow_material_get_source_label (material), ==, "政府部门核发");
  g_assert_true (ow_material_get_shared_exempt (material));
  g_assert_true (ow_material_get_licence_exempt (material));
  g_assert_true (ow_material_get_tolerable (material));
  g_assert_cmpstr (ow_material_get_standard (material), ==, "在有效期内");
  g_assert_cmpstr (ow_material_get_notes (material), ==, "加盖公章");
  g_assert_cmpstr (ow_material_get_blank_form (material), ==, "forms/m1.pdf");
  g_assert_cmpstr (ow_material_get_sample (material), ==, "samples/m1.pdf");

  /* A vendor's own label is kept as given. */
  ow_material_set_source (material, OW_MATERIAL_SOURCE_OTHER, "中介机构出具");
  g_assert_cmpint (ow_material_get_source (material), ==, OW_MATERIAL_SOURCE_OTHER);
  g_assert_cmpstr (ow_material_get_source_label (material), ==, "中介机构出具");
  ow_material_set_source (material, OW_MATERIAL_SOURCE_OTHER, "");
  g_assert_cmpstr (ow_material_get_source_label (material), ==, "其他");

  /* Clearing a text reads back as empty, never NULL. */
  ow_material_set_notes (material, NULL);
  g_assert_cmpstr (ow_material_get_notes (material), ==, "");
}

static void
test_item_fields (void)
{
  g_autoptr(OwItem) item = ow_item_new ("11460100MB1234567X4000117009000", "食品经营许可");
  const char *aliases[] = { "食品经营许可证", "开餐馆办证", NULL };
  const char *faq[] = { "要多久？", "3个工作日。", "收费吗？", "不收费。", NULL };
  g_autofree char *name = NULL;

  g_assert_cmpstr (ow_item_get_id (item), ==, "11460100MB1234567X4000117009000");
  g_assert_cmpstr (ow_item_get_name (item), ==, "食品经营许可");
  g_object_get (item, "name", &name, NULL);
  g_assert_cmpstr (name, ==, "食品经营许可");

  /* Defaults that never claim more than is known. */
  g_assert_cmpstr (ow_item_get_basic_code (item), ==, "");
  g_assert_cmpuint (g_strv_length ((char **) ow_item_get_aliases (item)), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) ow_item_get_faq (item)), ==, 0);
  g_assert_cmpuint (ow_item_get_visits (item), ==, 1);
  g_assert_false (ow_item_is_zero_trip (item));
  g_assert_true (ow_item_is_immediate (item));
  g_assert_cmpuint (g_list_model_get_n_items (ow_item_get_materials (item)), ==, 0);
  g_assert_cmpint (g_list_model_get_item_type (ow_item_get_materials (item)), ==,
                   OW_TYPE_MATERIAL);

  ow_item_set_basic_code (item, "000117009");
  ow_item_set_aliases (item, aliases);
  ow_item_set_item_type (item, OW_ITEM_TYPE_PUBLIC_SERVICE);
  ow_item_set_level (item, OW_ITEM_LEVEL_COUNTY);
  ow_item_set_department (item, "海口市市场监督管理局", "11460100MB1234567X");
  ow_item_set_limits (item, 20, 3);
  ow_item_set_conditions (item, "有固定经营场所");
  ow_item_set_process (item, "受理—审查—决定");
  ow_item_set_quantity_limit (item, "无数量限制");
  ow_item_set_result (item, "食品经营许可证", "sample.pdf");
  ow_item_set_fee (item, TRUE, "工本费 10 元");
  ow_item_set_contact (item, "一楼 7 号窗口", "工作日 9:00–17:00", "0898-66668888", "0898-12345");
  ow_item_set_visits (item, 0);
  ow_item_set_targets (item, OW_TARGET_PERSON | OW_TARGET_ENTERPRISE);
  ow_item_set_forms (item, OW_FORM_WINDOW | OW_FORM_WEB | OW_FORM_OTHER);
  ow_item_set_faq (item, faq);

  g_assert_cmpstr (ow_item_get_basic_code (item), ==, "000117009");
  g_assert_cmpstrv (ow_item_get_aliases (item), aliases);
  g_assert_cmpint (ow_item_get_item_type (item), ==, OW_ITEM_TYPE_PUBLIC_SERVICE);
  g_assert_cmpint (ow_item_get_level (item), ==, OW_ITEM_LEVEL_COUNTY);
  g_assert_cmpstr (ow_item_get_department (item), ==, "海口市市场监督管理局");
  g_assert_cmpstr (ow_item_get_department_code (item), ==, "11460100MB1234567X");
  g_assert_cmpuint (ow_item_get_legal_limit (item), ==, 20);
  g_assert_cmpuint (ow_item_get_promised_limit (item), ==, 3);
  g_assert_false (ow_item_is_immediate (item));
  g_assert_cmpstr (ow_item_get_conditions (item), ==, "有固定经营场所");
  g_assert_cmpstr (ow_item_get_process (item), ==, "受理—审查—决定");
  g_assert_cmpstr (ow_item_get_quantity_limit (item), ==, "无数量限制");
  g_assert_cmpstr (ow_item_get_result_name (item), ==, "食品经营许可证");
  g_assert_cmpstr (ow_item_get_result_sample (item), ==, "sample.pdf");
  g_assert_true (ow_item_get_charged (item));
  g_assert_cmpstr (ow_item_get_fee_basis (item), ==, "工本费 10 元");
  g_assert_cmpstr (ow_item_get_place (item), ==, "一楼 7 号窗口");
  g_assert_cmpstr (ow_item_get_hours (item), ==, "工作日 9:00–17:00");
  g_assert_cmpstr (ow_item_get_phone (item), ==, "0898-66668888");
  g_assert_cmpstr (ow_item_get_supervision_phone (item), ==, "0898-12345");
  g_assert_cmpuint (ow_item_get_visits (item), ==, 0);
  g_assert_true (ow_item_is_zero_trip (item));
  g_assert_cmpint (ow_item_get_targets (item), ==, OW_TARGET_PERSON | OW_TARGET_ENTERPRISE);
  g_assert_cmpint (ow_item_get_forms (item), ==, OW_FORM_WINDOW | OW_FORM_WEB | OW_FORM_OTHER);
  g_assert_cmpstrv (ow_item_get_faq (item), faq);

  /* The item keeps its own copies. */
  g_assert_true (ow_item_get_aliases (item) != aliases);
  ow_item_set_aliases (item, NULL);
  g_assert_cmpuint (g_strv_length ((char **) ow_item_get_aliases (item)), ==, 0);
  ow_item_set_limits (item, 0, 0);
  g_assert_true (ow_item_is_immediate (item));
  ow_item_set_fee (item, FALSE, NULL);
  g_assert_false (ow_item_get_charged (item));
  g_assert_cmpstr (ow_item_get_fee_basis (item), ==, "");
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

static void
test_item_materials (void)
{
  g_autoptr(OwItem) item = ow_item_new ("item-1", "食品经营许可");
  g_autoptr(OwMaterial) first = ow_material_new ("m1", "申请书");
  g_autoptr(OwMaterial) second = ow_material_new ("m2", "营业执照");
  g_autoptr(OwMaterial) replacement = ow_material_new ("m1", "申请书（新版）");
  GListModel *materials = ow_item_get_materials (item);
  g_autoptr(OwMaterial) at_0 = NULL;
  g_autoptr(OwMaterial) at_1 = NULL;
  g_autoptr(GString) log = g_string_new (NULL);

  g_signal_connect (materials, "items-changed", G_CALLBACK (items_changed_cb), log);
  ow_item_add_material (item, first);
  ow_item_add_material (item, second);
  g_assert_cmpuint (g_list_model_get_n_items (materials), ==, 2);
  g_assert_true (ow_item_find_material (item, "m1") == first);
  g_assert_true (ow_item_find_material (item, "m2") == second);
  g_assert_null (ow_item_find_material (item, "m3"));

  /* The same id again replaces the material in its place. */
  ow_item_add_material (item, replacement);
  g_assert_cmpuint (g_list_model_get_n_items (materials), ==, 2);
  at_0 = g_list_model_get_item (materials, 0);
  at_1 = g_list_model_get_item (materials, 1);
  g_assert_true (at_0 == replacement);
  g_assert_true (at_1 == second);
  g_assert_true (ow_item_find_material (item, "m1") == replacement);
  /* A list bound to the model sees one replacement, not a removal and an insertion. */
  g_assert_cmpstr (log->str, ==, "0-0+1 1-0+1 0-1+1 ");
}

static void
test_odd_faq (void)
{
  g_autoptr(OwItem) item = ow_item_new ("item-1", "x");
  const char *faq[] = { "a question without an answer", NULL };

  /* A question without an answer is a programming error, reported and refused. */
  g_test_expect_message ("ow-core", G_LOG_LEVEL_CRITICAL, "*pairs*");
  ow_item_set_faq (item, faq);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_strv_length ((char **) ow_item_get_faq (item)), ==, 0);
}

/* A copy is the caller's to change: every field alike, the original untouched. */
static void
test_material_copy (void)
{
  g_autoptr(OwMaterial) original = ow_material_new ("m1", "授权委托书");
  g_autoptr(OwMaterial) copy = NULL;
  g_autoptr(OwMaterial) renamed = NULL;

  ow_material_set_counts (original, 2, 3);
  ow_material_set_required (original, FALSE);
  ow_material_set_form (original, OW_MATERIAL_FORM_EITHER);
  ow_material_set_source (original, OW_MATERIAL_SOURCE_OTHER, "公证处");
  ow_material_set_tolerable (original, TRUE);
  ow_material_set_notes (original, "须载明委托事项");

  copy = ow_material_copy (original, NULL);
  g_assert_true (copy != original);
  g_assert_cmpstr (ow_material_get_id (copy), ==, "m1");
  g_assert_cmpstr (ow_material_get_name (copy), ==, "授权委托书");
  g_assert_cmpuint (ow_material_get_originals (copy), ==, 2);
  g_assert_cmpuint (ow_material_get_copies (copy), ==, 3);
  g_assert_false (ow_material_get_required (copy));
  g_assert_cmpint (ow_material_get_form (copy), ==, OW_MATERIAL_FORM_EITHER);
  g_assert_cmpstr (ow_material_get_source_label (copy), ==, "公证处");
  g_assert_true (ow_material_get_tolerable (copy));
  g_assert_cmpstr (ow_material_get_notes (copy), ==, "须载明委托事项");

  ow_material_set_required (copy, TRUE);
  g_assert_false (ow_material_get_required (original));

  renamed = ow_material_copy (original, "A/m1");
  g_assert_cmpstr (ow_material_get_id (renamed), ==, "A/m1");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/item/types", test_item_types);
  g_test_add_func ("/item/material", test_material);
  g_test_add_func ("/item/material-copy", test_material_copy);
  g_test_add_func ("/item/fields", test_item_fields);
  g_test_add_func ("/item/materials", test_item_materials);
  g_test_add_func ("/item/odd-faq", test_odd_faq);

  return g_test_run ();
}
