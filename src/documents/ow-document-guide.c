/* ow-document-guide.c — the requirements guide (一次性告知书) printed from an item's detail
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ow-document-private.h"

/* Smaller than a notice, so that an ordinary item fits on one page. */
#define GUIDE_SCALE 0.8

static void
write_section (OwWriter   *w,
               const char *title,
               const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  ow_writer_paragraph (w, title, OW_SANS, 12 * GUIDE_SCALE, TRUE, PANGO_ALIGN_LEFT, 0, 1 * OW_MM);
  ow_writer_paragraph (w, text, OW_SERIF, 12 * GUIDE_SCALE, FALSE, PANGO_ALIGN_LEFT, 2,
                       2.5 * OW_MM);
}

static const char *
form_label (OwMaterialForm form)
{
  switch (form)
    {
    case OW_MATERIAL_FORM_ELECTRONIC:
      return "电子";
    case OW_MATERIAL_FORM_EITHER:
      return "纸质或电子";
    case OW_MATERIAL_FORM_PAPER:
    default:
      return "纸质";
    }
}

static const char *
source_label (OwMaterial *material)
{
  const char *label = ow_material_get_source_label (material);

  if (label != NULL && *label != '\0')
    return label;
  switch (ow_material_get_source (material))
    {
    case OW_MATERIAL_SOURCE_GOVERNMENT:
      return "政府部门核发";
    case OW_MATERIAL_SOURCE_OTHER:
      return "其他";
    case OW_MATERIAL_SOURCE_APPLICANT:
    default:
      return "申请人自备";
    }
}

static char *
list_materials (OwItem *item)
{
  GListModel *materials = ow_item_get_materials (item);
  guint n = g_list_model_get_n_items (materials);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwMaterial) material = g_list_model_get_item (materials, i);
      const char *standard = ow_material_get_standard (material);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%u. %s（%s", i + 1, ow_material_get_name (material),
                              form_label (ow_material_get_form (material)));
      if (ow_material_get_originals (material) > 0)
        g_string_append_printf (text, "，原件%u份", ow_material_get_originals (material));
      if (ow_material_get_copies (material) > 0)
        g_string_append_printf (text, "，复印件%u份", ow_material_get_copies (material));
      g_string_append_printf (text, "；来源：%s；%s", source_label (material),
                              ow_material_get_required (material) ? "必要" : "非必要");
      if (ow_material_get_shared_exempt (material))
        g_string_append (text, "；部门共享，免提交");
      else if (ow_material_get_licence_exempt (material))
        g_string_append (text, "；有电子证照的免提交");
      if (ow_material_get_tolerable (material))
        g_string_append (text, "；可容缺");
      g_string_append (text, "）");
      if (standard != NULL && *standard != '\0')
        g_string_append_printf (text, "受理标准：%s", standard);
    }
  if (n == 0)
    g_string_append (text, "无");
  return g_string_free (text, FALSE);
}

static char *
describe_limits (OwItem *item)
{
  if (ow_item_is_immediate (item))
    return g_strdup_printf ("即办件，当场办结（法定办结时限%u个工作日）。",
                            ow_item_get_legal_limit (item));
  return g_strdup_printf ("法定办结时限%u个工作日，承诺办结时限%u个工作日（受理当日不计算在内）。",
                          ow_item_get_legal_limit (item), ow_item_get_promised_limit (item));
}

static char *
describe_fees (OwItem *item)
{
  const char *basis = ow_item_get_fee_basis (item);

  if (!ow_item_get_charged (item))
    return g_strdup ("不收费。");
  return g_strdup_printf ("收费。收费依据：%s",
                          basis != NULL && *basis != '\0' ? basis : "详询窗口");
}

static char *
describe_faq (OwItem *item)
{
  const char * const *faq = ow_item_get_faq (item);
  GString *text;

  if (faq == NULL || faq[0] == NULL)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; faq[i] != NULL && faq[i + 1] != NULL; i += 2)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "问：%s\n答：%s", faq[i], faq[i + 1]);
    }
  return g_string_free (text, FALSE);
}

gboolean
ow_document_draw_guide (OwWriter  *w,
                        OwItem    *item,
                        GError   **error)
{
  const char *organ = ow_document_organ (w->info);
  const char *department = ow_item_get_department (item);
  g_autofree char *intro = NULL;
  g_autofree char *materials = list_materials (item);
  g_autofree char *limits = describe_limits (item);
  g_autofree char *fees = describe_fees (item);
  g_autofree char *faq = describe_faq (item);
  g_autofree char *place = NULL;
  g_autofree char *phones = NULL;
  g_autofree char *result = NULL;
  g_autofree char *issued_day = ow_document_issued_day (w->info);
  g_autofree char *signature = NULL;

  if (ow_item_get_name (item) == NULL || *ow_item_get_name (item) == '\0')
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
                   _("The requirements guide cannot be printed because the service item has no "
                     "name. Update the catalog, then print again."));
      return FALSE;
    }

  w->font_scale = GUIDE_SCALE;
  intro = g_strdup_printf ("申请办理“%s”（实施主体：%s），请按以下要求准备材料。本告知书一次性告知"
                           "办理该事项的全部条件、材料和要求。", ow_item_get_name (item),
                           department != NULL ? department : "—");
  place = g_strdup_printf ("办理地点：%s\n办理时间：%s", ow_item_get_place (item) ?: "—",
                           ow_item_get_hours (item) ?: "—");
  phones = g_strdup_printf ("咨询电话：%s　监督电话：%s", ow_item_get_phone (item) ?: "—",
                            ow_item_get_supervision_phone (item) ?: "—");
  if (ow_item_get_result_name (item) != NULL)
    result = g_strdup_printf ("%s。", ow_item_get_result_name (item));
  signature = g_strdup_printf ("%s\n%s", organ != NULL ? organ : "", issued_day);

  ow_writer_heading (w, "一次性告知书", ow_item_get_name (item));
  ow_writer_paragraph (w, intro, OW_SERIF, 12 * GUIDE_SCALE, FALSE, PANGO_ALIGN_LEFT, 2,
                       2.5 * OW_MM);
  write_section (w, "一、受理条件", ow_item_get_conditions (item));
  write_section (w, "二、申请材料", materials);
  write_section (w, "三、办理时限", limits);
  write_section (w, "四、办理结果", result);
  write_section (w, "五、收费标准", fees);
  write_section (w, "六、办理地点和时间", place);
  write_section (w, "七、咨询和监督", phones);
  write_section (w, "八、常见问题", faq);
  w->y += 2 * OW_MM;
  ow_writer_paragraph (w, signature, OW_SERIF, 12 * GUIDE_SCALE, FALSE, PANGO_ALIGN_RIGHT, 0, 0);
  return TRUE;
}
