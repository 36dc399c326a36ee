/* ow-document-notices.c — the four decisions of art. 32: accept, accept with a tolerated gap,
 * ask for supplements, refuse
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "ow-document-private.h"

#define LICENSING_LAW "《中华人民共和国行政许可法》"

/* 办件编号, 查询密码, the applicant and agent, the items: what every notice states the same way. */
static void
write_case_fields (OwWriter *w,
                   OwCase   *kase)
{
  g_autofree char *formatted_no = ow_case_number_format (ow_case_get_case_no (kase));
  g_autofree char *item_list = ow_document_item_list (kase);
  const OwApplicant *agent = ow_case_get_agent (kase);

  ow_writer_field (w, "办件编号：", formatted_no != NULL ? formatted_no
                                                       : ow_case_get_case_no (kase));
  ow_writer_field (w, "查询密码：", ow_case_get_query_code (kase));
  ow_writer_person (w, "申 请 人：", ow_case_get_applicant (kase));
  if (agent != NULL)
    ow_writer_person (w, "代 理 人：", agent);
  ow_writer_field (w, "申请事项：", item_list);
}

/* Who took the application in, for the last row of a notice; NULL leaves the row out. The
 * clerk's name, never the case's log-in name of them: a notice names people. */
static const char *
clerk_of (OwWriter *w,
          OwCase   *kase)
{
  const char *clerk = w->info->clerk_name;

  return clerk != NULL && *clerk != '\0' ? clerk : NULL;
}

static char *
addressee (OwCase *kase)
{
  /* A notice is addressed to the person: the name stays whole even on the masked copy. */
  return g_strdup_printf ("%s：", ow_case_get_applicant (kase)->name);
}

static char *
list_provided (OwCase *kase)
{
  GPtrArray *materials = ow_case_get_materials (kase);
  GString *list = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; i < materials->len; i++)
    {
      const OwCaseMaterial *material = g_ptr_array_index (materials, i);
      g_autofree char *line = NULL;

      if (!ow_material_status_is_provided (material->status)
          || material->status == OW_MATERIAL_STATUS_TOLERATED)
        continue;
      line = ow_document_describe_material (material);
      if (list->len > 0)
        g_string_append_c (list, '\n');
      g_string_append_printf (list, "%u. %s", ++n, line);
    }
  if (n == 0)
    g_string_append (list, "无");
  return g_string_free (list, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* 受理通知书 */

gboolean
ow_document_draw_acceptance (OwWriter  *w,
                             OwCase    *kase,
                             GError   **error)
{
  g_autofree char *received_day = NULL;
  g_autofree char *promised = NULL;
  g_autofree char *item_names = NULL;
  g_autofree char *to = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body2 = NULL;
  g_autofree char *materials = NULL;
  g_autofree char *delivery = NULL;

  if (!ow_document_check_case (OW_DOCUMENT_ACCEPTANCE, kase, w->info, TRUE, error))
    return FALSE;

  received_day = ow_document_format_china_day (ow_case_get_received_at (kase));
  promised = ow_document_format_date (ow_case_get_promised_date (kase));
  item_names = ow_document_item_names (kase);
  to = addressee (kase);
  materials = list_provided (kase);
  delivery = ow_document_describe_delivery (kase, w->info);

  body = g_strdup_printf ("你（单位）于%s提交的%s申请材料齐全、符合法定形式，根据" LICENSING_LAW
                          "第三十二条第一款第（五）项的规定，决定予以受理。", received_day,
                          item_names);
  body2 = g_strdup_printf ("本事项承诺于%s前办结，办理结果%s。可凭办件编号和查询密码或扫描下方"
                           "二维码查询办理进度。", promised,
                           ow_case_get_delivery (kase) == OW_DELIVERY_POST
                           ? "将邮寄送达" : "请到统一出件窗口领取");

  ow_writer_heading (w, "受理通知书", ow_document_number_of (kase, w->info));
  ow_writer_paragraph (w, to, OW_SERIF, 14, FALSE, PANGO_ALIGN_LEFT, 0, 2 * OW_MM);
  ow_writer_body (w, body);
  ow_writer_body (w, body2);
  w->y += 4 * OW_MM;

  write_case_fields (w, kase);
  ow_writer_field (w, "已收材料：", materials);
  {
    const OwWriterField tail[] = {
      { "承诺办结：", promised }, { "送达方式：", delivery }, { "受理人员：", clerk_of (w, kase) },
    };

    return ow_writer_tail_and_foot (w, kase, tail, G_N_ELEMENTS (tail), error);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* 容缺受理通知书 and the applicant's commitment (承诺书) */

/* How the catalog asks for the material: "纸质原件1份、复印件1份". */
static char *
describe_required_form (const OwDocumentInfo *info,
                        OwCase               *kase,
                        const OwCaseMaterial *material)
{
  GPtrArray *items = ow_case_get_items (kase);
  OwMaterial *wanted = NULL;
  GString *text;

  for (guint i = 0; info->catalog != NULL && wanted == NULL && i < items->len; i++)
    {
      const OwCaseItem *case_item = g_ptr_array_index (items, i);
      OwItem *item = ow_catalog_lookup (info->catalog, case_item->item_id);

      if (item != NULL)
        wanted = ow_item_find_material (item, material->material_id);
    }
  if (wanted == NULL)
    return g_strdup ("按申请材料目录要求提交");

  text = g_string_new (NULL);
  switch (ow_material_get_form (wanted))
    {
    case OW_MATERIAL_FORM_ELECTRONIC:
      g_string_append (text, "电子材料");
      break;
    case OW_MATERIAL_FORM_EITHER:
      g_string_append (text, "纸质或电子材料");
      break;
    case OW_MATERIAL_FORM_PAPER:
    default:
      g_string_append (text, "纸质材料");
      break;
    }
  if (ow_material_get_originals (wanted) > 0)
    g_string_append_printf (text, "，原件%u份", ow_material_get_originals (wanted));
  if (ow_material_get_copies (wanted) > 0)
    g_string_append_printf (text, "，复印件%u份", ow_material_get_copies (wanted));
  return g_string_free (text, FALSE);
}

gboolean
ow_document_draw_tolerated (OwWriter  *w,
                            OwCase    *kase,
                            GError   **error)
{
  GPtrArray *materials = ow_case_get_materials (kase);
  g_autoptr(GString) gaps = g_string_new (NULL);
  g_autoptr(GDate) last_due = g_date_new ();
  g_autofree char *received_day = NULL;
  g_autofree char *promised = NULL;
  g_autofree char *item_names = NULL;
  g_autofree char *to = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body2 = NULL;
  g_autofree char *provided = NULL;
  g_autofree char *due_day = NULL;
  g_autofree char *pledge = NULL;
  guint n = 0;

  if (!ow_document_check_case (OW_DOCUMENT_TOLERATED, kase, w->info, TRUE, error))
    return FALSE;

  for (guint i = 0; i < materials->len; i++)
    {
      const OwCaseMaterial *material = g_ptr_array_index (materials, i);
      g_autofree char *form = NULL;
      g_autofree char *due = NULL;

      if (material->status != OW_MATERIAL_STATUS_TOLERATED)
        continue;
      if (!g_date_valid (&material->due_date))
        return ow_document_fail_incomplete (OW_DOCUMENT_TOLERATED,
                                            _("the date by which each tolerated material is due"),
                                            error);
      form = describe_required_form (w->info, kase, material);
      due = ow_document_format_date (&material->due_date);
      if (gaps->len > 0)
        g_string_append_c (gaps, '\n');
      g_string_append_printf (gaps, "%u. %s：%s，于%s前补交", ++n, material->name, form, due);
      if (material->note != NULL && *material->note != '\0')
        g_string_append_printf (gaps, "（%s）", material->note);
      if (!g_date_valid (last_due) || g_date_compare (&material->due_date, last_due) > 0)
        *last_due = material->due_date;
    }
  if (n == 0)
    return ow_document_fail_incomplete (OW_DOCUMENT_TOLERATED, _("a tolerated material"), error);

  received_day = ow_document_format_china_day (ow_case_get_received_at (kase));
  promised = ow_document_format_date (ow_case_get_promised_date (kase));
  item_names = ow_document_item_names (kase);
  to = addressee (kase);
  provided = list_provided (kase);
  due_day = ow_document_format_date (last_due);

  body = g_strdup_printf ("你（单位）于%s提交的%s申请，主要申请材料齐全、符合法定形式，次要材料"
                          "尚有欠缺。根据" LICENSING_LAW "第三十二条及容缺受理有关规定，"
                          "经你（单位）书面承诺，决定予以容缺受理。", received_day, item_names);
  body2 = g_strdup_printf ("请按下列要求补交容缺材料。材料补齐后，本事项承诺于%s前办结；逾期未补"
                           "交的，视为撤回申请，本机关终止办理，已受理的申请不予办结，由此产生的"
                           "后果由申请人承担。", promised);
  pledge = g_strdup_printf ("本人（单位）承诺：已知悉上述容缺材料的补交要求，将于%s前按要求补交"
                            "全部容缺材料，并对所提交材料的真实性负责；逾期未补交的，同意视为撤回"
                            "申请，自行承担由此产生的后果。", due_day);

  ow_writer_heading (w, "容缺受理通知书", ow_document_number_of (kase, w->info));
  ow_writer_paragraph (w, to, OW_SERIF, 14, FALSE, PANGO_ALIGN_LEFT, 0, 2 * OW_MM);
  ow_writer_body (w, body);
  ow_writer_body (w, body2);
  w->y += 2 * OW_MM;

  write_case_fields (w, kase);
  ow_writer_field (w, "已收材料：", provided);
  ow_writer_field (w, "容缺材料：", gaps->str);
  {
    const OwWriterField tail[] = {
      { "承诺办结：", promised }, { "受理人员：", clerk_of (w, kase) },
    };

    if (!ow_writer_tail_and_foot (w, kase, tail, G_N_ELEMENTS (tail), error))
      return FALSE;
  }

  /* The commitment on a page of its own: the organ seals the notice, the applicant signs the
   * commitment, and the hall keeps the signed page with the case. */
  ow_writer_end_page (w);
  ow_writer_begin_page (w);
  ow_writer_heading (w, "申请人承诺书", NULL);
  write_case_fields (w, kase);
  ow_writer_field (w, "容缺材料：", gaps->str);
  w->y += 4 * OW_MM;
  ow_writer_body (w, pledge);
  w->y += 10 * OW_MM;
  ow_writer_signature (w, "承诺人（签字或盖章）：");
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* 补正材料通知书: everything to correct, in one notice */

gboolean
ow_document_draw_supplement (OwWriter  *w,
                             OwCase    *kase,
                             GError   **error)
{
  GPtrArray *materials = ow_case_get_materials (kase);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *received_day = NULL;
  g_autofree char *item_names = NULL;
  g_autofree char *to = NULL;
  g_autofree char *body = NULL;
  guint n = 0;

  if (!ow_document_check_case (OW_DOCUMENT_SUPPLEMENT, kase, w->info, FALSE, error))
    return FALSE;

  /* Whatever is missing, and whatever was handed in but needs correcting (it carries a note):
   * art. 32 wants all of it told at once. */
  for (guint i = 0; i < materials->len; i++)
    {
      const OwCaseMaterial *material = g_ptr_array_index (materials, i);
      gboolean has_note = material->note != NULL && *material->note != '\0';
      gboolean missing = material->status == OW_MATERIAL_STATUS_MISSING
                         || material->status == OW_MATERIAL_STATUS_TOLERATED;

      if (!missing && !has_note)
        continue;
      if (list->len > 0)
        g_string_append_c (list, '\n');
      g_string_append_printf (list, "%u. %s：%s", ++n, material->name,
                              has_note ? material->note : "未提交，请补充提交");
    }
  if (n == 0)
    return ow_document_fail_incomplete (OW_DOCUMENT_SUPPLEMENT,
                                        _("a material to supplement or correct"), error);

  received_day = ow_document_format_china_day (ow_case_get_received_at (kase));
  item_names = ow_document_item_names (kase);
  to = addressee (kase);
  body = g_strdup_printf ("你（单位）于%s提交的%s申请，经审查，申请材料不齐全或者不符合法定形式。"
                          "根据" LICENSING_LAW "第三十二条第一款第（四）项的规定，现一次性告知你"
                          "（单位）需要补正的全部内容如下：", received_day, item_names);

  ow_writer_heading (w, "补正材料通知书", ow_document_number_of (kase, w->info));
  ow_writer_paragraph (w, to, OW_SERIF, 14, FALSE, PANGO_ALIGN_LEFT, 0, 2 * OW_MM);
  ow_writer_body (w, body);
  ow_writer_field (w, "补正内容：", list->str);
  w->y += 2 * OW_MM;
  ow_writer_body (w, "请按上述要求补正后，持本通知书一并提交。补正期间不计入办理时限。");
  ow_writer_body (w, "依法应当在收到申请材料之日起五日内一次性告知申请人需要补正的全部内容；"
                     "逾期不告知的，自收到申请材料之日起即为受理。");
  w->y += 2 * OW_MM;
  write_case_fields (w, kase);
  {
    const OwWriterField tail[] = {
      { "收件日期：", received_day }, { "受理人员：", clerk_of (w, kase) },
    };

    return ow_writer_tail_and_foot (w, kase, tail, G_N_ELEMENTS (tail), error);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* 不予受理通知书 */

gboolean
ow_document_draw_refusal (OwWriter  *w,
                          OwCase    *kase,
                          GError   **error)
{
  const char *reason = ow_case_get_refusal_reason (kase);
  const char *competent = ow_case_get_competent_organ (kase);
  const char *review_organ = w->info->review_organ;
  const char *court = w->info->court;
  g_autofree char *received_day = NULL;
  g_autofree char *item_names = NULL;
  g_autofree char *to = NULL;
  g_autofree char *body = NULL;
  g_autofree char *rights = NULL;

  if (!ow_document_check_case (OW_DOCUMENT_REFUSAL, kase, w->info, FALSE, error))
    return FALSE;
  if (reason == NULL || *reason == '\0')
    return ow_document_fail_incomplete (OW_DOCUMENT_REFUSAL, _("the reason for the refusal"),
                                        error);

  received_day = ow_document_format_china_day (ow_case_get_received_at (kase));
  item_names = ow_document_item_names (kase);
  to = addressee (kase);
  body = g_strdup_printf ("你（单位）于%s提交的%s申请，经审查，%s。根据" LICENSING_LAW
                          "第三十二条第一款的规定，决定不予受理。", received_day, item_names,
                          reason);
  rights = g_strdup_printf ("如对本决定不服，可以自收到本通知书之日起六十日内向%s申请行政复议，"
                            "或者自收到本通知书之日起六个月内向%s提起行政诉讼。",
                            review_organ != NULL && *review_organ != '\0'
                            ? review_organ : "本机关的上一级行政机关",
                            court != NULL && *court != '\0' ? court : "有管辖权的人民法院");

  ow_writer_heading (w, "不予受理通知书", ow_document_number_of (kase, w->info));
  ow_writer_paragraph (w, to, OW_SERIF, 14, FALSE, PANGO_ALIGN_LEFT, 0, 2 * OW_MM);
  ow_writer_body (w, body);
  if (competent != NULL && *competent != '\0')
    {
      g_autofree char *elsewhere = g_strdup_printf ("该申请事项不属于本机关职权范围，请向%s申请。",
                                                    competent);

      ow_writer_body (w, elsewhere);
    }
  ow_writer_body (w, rights);
  w->y += 2 * OW_MM;

  write_case_fields (w, kase);
  ow_writer_field (w, "理　　由：", reason);
  if (competent != NULL && *competent != '\0')
    ow_writer_field (w, "有权机关：", competent);
  {
    const OwWriterField tail[] = {
      { "法律依据：", LICENSING_LAW "第三十二条；《中华人民共和国行政复议法》；"
                     "《中华人民共和国行政诉讼法》" },
      { "受理人员：", clerk_of (w, kase) },
    };

    return ow_writer_tail_and_foot (w, kase, tail, G_N_ELEMENTS (tail), error);
  }
}
