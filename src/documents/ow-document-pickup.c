/* ow-document-pickup.c — the pick-up window's documents: the slip of one hand-over, however
 * many cases it covers, and the courier's hand-over list of the day's mailings
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "ow-document-private.h"

void
ow_document_pickup_init (OwDocumentPickup *pickup)
{
  g_return_if_fail (pickup != NULL);
  memset (pickup, 0, sizeof *pickup);
}

/* ------------------------------------------------------------------------------------------ */
/* 出件签收单 */

static gboolean
check_pickup (const OwDocumentPickup  *pickup,
              GError                 **error)
{
  const char *missing = NULL;

  if (pickup->cases == NULL || pickup->cases->len == 0)
    missing = _("a case");
  else if (pickup->collector_name == NULL || *pickup->collector_name == '\0')
    missing = _("the name of who collects the result");
  else if (pickup->collector_id == NULL || *pickup->collector_id == '\0')
    missing = _("the ID number of who collects the result");
  if (missing == NULL)
    return TRUE;
  return ow_document_fail_incomplete (OW_DOCUMENT_PICKUP_SLIP, missing, error);
}

static gboolean
draw_pickup (OwWriter                *w,
             const OwDocumentPickup  *pickup,
             GError                 **error)
{
  const OwDocumentInfo *info = w->info;
  OwCase *first = g_ptr_array_index (pickup->cases, 0);
  const OwApplicant *applicant = ow_case_get_applicant (first);
  g_autofree char *applicant_id = NULL;
  g_autofree char *collector_id = NULL;
  g_autofree char *collector = NULL;
  g_autofree char *issued_day = NULL;
  g_autofree char *body = NULL;

  for (guint i = 0; i < pickup->cases->len; i++)
    if (!ow_document_check_case (OW_DOCUMENT_PICKUP_SLIP, g_ptr_array_index (pickup->cases, i),
                                 info, FALSE, error))
      return FALSE;

  applicant_id = ow_document_mask_id (info, applicant->id_number);
  collector_id = ow_document_mask_id (info, pickup->collector_id);
  issued_day = ow_document_issued_day (info);
  collector = pickup->agent
                ? g_strdup_printf ("%s（代领，凭授权委托书）", pickup->collector_name)
                : g_strdup_printf ("%s（本人）", pickup->collector_name);
  body = g_strdup_printf ("今领取%s的下列%u件办件的办理结果，经核对领取人身份无误，"
                          "结果文书完整。", applicant->name, pickup->cases->len);

  ow_writer_heading (w, "出件签收单", ow_document_number_of (first, info));
  ow_writer_body (w, body);
  w->y += 2 * OW_MM;
  ow_writer_field (w, "申 请 人：", applicant->name);
  ow_writer_field (w, applicant->kind == OW_APPLICANT_ORGANISATION ? "信用代码：" : "证件号码：",
                   applicant_id);
  ow_writer_field (w, "领 取 人：", collector);
  ow_writer_field (w, "证件号码：", collector_id);
  if (pickup->agent && pickup->collector_phone != NULL)
    {
      g_autofree char *phone = ow_document_mask_phone (info, pickup->collector_phone);

      ow_writer_field (w, "联系电话：", phone);
    }
  w->y += 2 * OW_MM;

  for (guint i = 0; i < pickup->cases->len; i++)
    {
      OwCase *kase = g_ptr_array_index (pickup->cases, i);
      const char *result = pickup->results != NULL && i < pickup->results->len
                             ? g_ptr_array_index (pickup->results, i) : NULL;
      g_autofree char *formatted_no = ow_case_number_format (ow_case_get_case_no (kase));
      g_autofree char *items = ow_document_item_names (kase);
      g_autofree char *label = g_strdup_printf ("办件%u：", i + 1);
      g_autofree char *line = g_strdup_printf ("%s\n%s\n领取：%s",
                                               formatted_no != NULL ? formatted_no
                                                                    : ow_case_get_case_no (kase),
                                               items,
                                               result != NULL && *result != '\0'
                                                 ? result : "办理结果文书");

      ow_writer_field (w, label, line);
    }

  w->y += 2 * OW_MM;
  ow_writer_field (w, "出件日期：", issued_day);
  if (info->clerk_name != NULL)
    ow_writer_field (w, "出件人员：", info->clerk_name);
  w->y += 8 * OW_MM;
  ow_writer_signature (w, "领取人签名：");

  return ow_writer_foot (w, first, error);
}

GBytes *
ow_document_render_pickup (const OwDocumentPickup  *pickup,
                           const OwDocumentInfo    *info,
                           guint                    n_copies,
                           GError                 **error)
{
  OwDocumentInfo defaults;

  g_return_val_if_fail (pickup != NULL, NULL);
  g_return_val_if_fail (n_copies >= 1 && n_copies <= 3, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info == NULL)
    {
      ow_document_info_init (&defaults);
      info = &defaults;
    }
  if (!check_pickup (pickup, error))
    return NULL;
  return ow_document_render_pages (ow_document_kind_get_title (OW_DOCUMENT_PICKUP_SLIP), FALSE,
                                   info, n_copies, (OwDocumentDrawFunc) draw_pickup,
                                   (gpointer) pickup, error);
}

/* ------------------------------------------------------------------------------------------ */
/* 邮件交接清单 */

typedef struct
{
  GPtrArray   *mailings;
  const GDate *day;
} MailList;

static gboolean
draw_mail_list (OwWriter  *w,
                MailList  *list,
                GError   **error)
{
  const OwDocumentInfo *info = w->info;
  g_autofree char *day = ow_document_format_date (list->day);
  g_autofree char *body = NULL;
  g_autofree char *count = NULL;

  body = g_strdup_printf ("%s寄出的办理结果共%u件，清单如下。揽收人核对运单号与邮件无误后签收。",
                          day, list->mailings->len);
  ow_writer_heading (w, "邮件交接清单", NULL);
  ow_writer_body (w, body);
  w->y += 2 * OW_MM;

  for (guint i = 0; i < list->mailings->len; i++)
    {
      const OwDocumentMailing *mailing = g_ptr_array_index (list->mailings, i);
      g_autofree char *phone = ow_document_mask_phone (info, mailing->phone);
      g_autofree char *formatted_no = ow_case_number_format (mailing->case_no);
      g_autofree char *label = g_strdup_printf ("%u．", i + 1);
      g_autofree char *line = NULL;

      line = g_strdup_printf ("运单号：%s（%s）\n办件编号：%s\n收件人：%s　电话：%s\n地址：%s\n"
                              "内件：%s",
                              mailing->waybill, mailing->carrier != NULL ? mailing->carrier : "",
                              formatted_no, mailing->recipient, phone != NULL ? phone : "—",
                              mailing->address,
                              mailing->result != NULL ? mailing->result : "办理结果文书");
      ow_writer_field (w, label, line);
      ow_writer_rule (w);
    }

  count = g_strdup_printf ("%u件", list->mailings->len);
  w->y += 2 * OW_MM;
  ow_writer_field (w, "交寄件数：", count);
  if (info->clerk_name != NULL)
    ow_writer_field (w, "交 件 人：", info->clerk_name);
  w->y += 6 * OW_MM;
  ow_writer_signature (w, "交件人签名：");
  ow_writer_signature (w, "揽收人签名：");

  return ow_writer_foot (w, NULL, error);
}

GBytes *
ow_document_render_mail_list (GPtrArray             *mailings,
                              const GDate           *day,
                              const OwDocumentInfo  *info,
                              GError               **error)
{
  OwDocumentInfo defaults;
  MailList list = { mailings, day };

  g_return_val_if_fail (mailings != NULL, NULL);
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info == NULL)
    {
      ow_document_info_init (&defaults);
      info = &defaults;
    }
  if (mailings->len == 0)
    {
      g_set_error_literal (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
                           _("No result was mailed that day: there is no hand-over list to "
                             "print."));
      return NULL;
    }
  for (guint i = 0; i < mailings->len; i++)
    {
      const OwDocumentMailing *mailing = g_ptr_array_index (mailings, i);

      if (mailing->waybill == NULL || mailing->case_no == NULL || mailing->recipient == NULL
          || mailing->address == NULL)
        {
          ow_document_fail_incomplete (OW_DOCUMENT_MAIL_LIST,
                                       _("the waybill, recipient and address of every mailing"),
                                       error);
          return NULL;
        }
    }
  return ow_document_render_pages (ow_document_kind_get_title (OW_DOCUMENT_MAIL_LIST), FALSE,
                                   info, 1, (OwDocumentDrawFunc) draw_mail_list, &list, error);
}
