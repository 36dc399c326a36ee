/* ow-document-slips.c — the short documents: pick-up slip, 80 mm receipt, ticket receipt
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "ow-document-private.h"

/* ------------------------------------------------------------------------------------------ */
/* 出件签收单 */

gboolean
ow_document_draw_pickup_slip (OwWriter  *w,
                              OwCase    *kase,
                              GError   **error)
{
  const OwDocumentInfo *info = w->info;
  const OwApplicant *applicant = ow_case_get_applicant (kase);
  const OwApplicant *agent = ow_case_get_agent (kase);
  const char *recipient = info->recipient_name;
  const char *recipient_id = info->recipient_id;
  g_autofree char *formatted_no = ow_case_number_format (ow_case_get_case_no (kase));
  g_autofree char *item_list = NULL;
  g_autofree char *id = NULL;
  g_autofree char *applicant_id = NULL;
  g_autofree char *issued_day = NULL;
  g_autofree char *result = NULL;
  g_autofree char *body = NULL;

  if (!ow_document_check_case (OW_DOCUMENT_PICKUP_SLIP, kase, info, FALSE, error))
    return FALSE;

  /* Whoever came for it: named by the caller after the identity check, else the agent who
   * applied, else the applicant. */
  if (recipient == NULL)
    {
      const OwApplicant *person = agent != NULL ? agent : applicant;

      recipient = person->name;
      recipient_id = person->id_number;
    }
  id = ow_document_mask_id (info, recipient_id);
  applicant_id = ow_document_mask_id (info, applicant->id_number);
  item_list = ow_document_item_list (kase);
  issued_day = ow_document_issued_day (info);
  result = g_strdup (info->result_name != NULL && *info->result_name != '\0'
                     ? info->result_name : "办理结果文书");
  body = g_strdup_printf ("今领取%s办理结果，经核对身份无误，结果文书完整。", applicant->name);

  ow_writer_heading (w, "出件签收单", ow_document_number_of (kase, info));
  ow_writer_body (w, body);
  w->y += 2 * OW_MM;
  ow_writer_field (w, "办件编号：", formatted_no != NULL ? formatted_no
                                                       : ow_case_get_case_no (kase));
  ow_writer_field (w, "申 请 人：", applicant->name);
  ow_writer_field (w, applicant->kind == OW_APPLICANT_ORGANISATION ? "信用代码：" : "证件号码：",
                   applicant_id);
  ow_writer_field (w, "申请事项：", item_list);
  ow_writer_field (w, "领取结果：", result);
  ow_writer_field (w, "领 取 人：", recipient);
  ow_writer_field (w, "证件号码：", id);
  ow_writer_field (w, "出件日期：", issued_day);
  if (info->clerk_name != NULL)
    ow_writer_field (w, "出件人员：", info->clerk_name);
  w->y += 8 * OW_MM;
  ow_writer_signature (w, "领取人签名：");

  return ow_writer_foot (w, kase, error);
}

/* ------------------------------------------------------------------------------------------ */
/* The 80 mm acceptance receipt: what the applicant needs to come back or look it up */

gboolean
ow_document_draw_receipt (OwWriter  *w,
                          OwCase    *kase,
                          GError   **error)
{
  const OwDocumentInfo *info = w->info;
  const OwApplicant *applicant = ow_case_get_applicant (kase);
  g_autofree char *formatted_no = ow_case_number_format (ow_case_get_case_no (kase));
  g_autofree char *item_list = NULL;
  g_autofree char *received = NULL;
  g_autofree char *promised = NULL;
  g_autofree char *delivery = NULL;
  g_autofree char *id = NULL;
  const char *organ;

  if (!ow_document_check_case (OW_DOCUMENT_RECEIPT_80MM, kase, info, TRUE, error))
    return FALSE;

  organ = ow_document_organ (info);
  item_list = ow_document_item_list (kase);
  received = ow_document_format_china_day (ow_case_get_received_at (kase));
  promised = ow_document_format_date (ow_case_get_promised_date (kase));
  delivery = ow_document_describe_delivery (kase, info);
  id = ow_document_mask_id (info, applicant->id_number);

  ow_writer_heading (w, "受理回执", ow_document_number_of (kase, info));
  ow_writer_field (w, "办件编号：", formatted_no != NULL ? formatted_no
                                                       : ow_case_get_case_no (kase));
  ow_writer_field (w, "查询密码：", ow_case_get_query_code (kase));
  ow_writer_field (w, "申 请 人：", applicant->name);
  ow_writer_field (w, "证件号码：", id);
  ow_writer_field (w, "申请事项：", item_list);
  ow_writer_field (w, "受理日期：", received);
  ow_writer_field (w, "承诺办结：", promised);
  ow_writer_field (w, "送达方式：", delivery);
  if (info->clerk_name != NULL)
    ow_writer_field (w, "受理人员：", info->clerk_name);
  if (info->hall_phone != NULL)
    ow_writer_field (w, "咨询电话：", info->hall_phone);

  if (!ow_writer_roll_qr (w, kase, error))
    return FALSE;

  if (organ != NULL)
    ow_writer_paragraph (w, organ, OW_SANS, 8, FALSE, PANGO_ALIGN_CENTER, 0, 0);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* 未办成事登记回执 */

static gboolean
check_ticket (const OwDocumentTicket  *ticket,
              const OwDocumentInfo    *info,
              GError                 **error)
{
  const char *missing = NULL;

  if (ticket->ticket_no == NULL || *ticket->ticket_no == '\0')
    missing = _("the ticket number");
  else if (ticket->applicant_name == NULL || *ticket->applicant_name == '\0')
    missing = _("the name of the person who reported it");
  else if (ticket->matter == NULL || *ticket->matter == '\0')
    missing = _("what could not be done");
  else if (ticket->registered_at == NULL)
    missing = _("when it was registered");
  else if (ow_document_organ (info) == NULL)
    missing = _("the hall's name");

  if (missing == NULL)
    return TRUE;
  g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
               _("The receipt for the unfinished-business ticket cannot be printed because the "
                 "ticket lacks %s. Complete the ticket, then print again."), missing);
  return FALSE;
}

gboolean
ow_document_draw_ticket (OwWriter                *w,
                         const OwDocumentTicket  *ticket,
                         GError                 **error)
{
  const OwDocumentInfo *info = w->info;
  g_autofree char *registered = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *body = NULL;
  g_autofree char *to = NULL;
  guint days;

  if (!check_ticket (ticket, info, error))
    return FALSE;

  registered = ow_document_format_china_day (ticket->registered_at);
  phone = ow_document_mask_phone (info, ticket->phone);
  days = ow_ticket_tier_working_days (ticket->tier);
  if (days == 0)
    limit = g_strdup ("当场办结");
  else if (g_date_valid (&ticket->due_date))
    {
      g_autofree char *due = ow_document_format_date (&ticket->due_date);

      limit = g_strdup_printf ("%u个工作日内答复（%s前）", days, due);
    }
  else
    limit = g_strdup_printf ("%u个工作日内答复", days);

  to = g_strdup_printf ("%s：", ticket->applicant_name);
  body = g_strdup_printf ("你于%s反映的“办不成事”诉求已登记。本中心将按规定协调办理，并在下列时限"
                          "内答复你办理结果或者书面说明情况，办结后将回访听取你的意见。",
                          registered);

  ow_writer_heading (w, "未办成事登记回执", ticket->ticket_no);
  ow_writer_paragraph (w, to, OW_SERIF, 14, FALSE, PANGO_ALIGN_LEFT, 0, 2 * OW_MM);
  ow_writer_body (w, body);
  w->y += 2 * OW_MM;
  ow_writer_field (w, "登记编号：", ticket->ticket_no);
  if (ticket->query_code != NULL)
    ow_writer_field (w, "查询密码：", ticket->query_code);
  ow_writer_field (w, "反 映 人：", ticket->applicant_name);
  if (ticket->phone != NULL)
    ow_writer_field (w, "联系电话：", phone);
  ow_writer_field (w, "反映事项：", ticket->matter);
  if (ticket->channel != NULL)
    ow_writer_field (w, "反映渠道：", ticket->channel);
  ow_writer_field (w, "登记日期：", registered);
  ow_writer_field (w, "办理时限：", limit);
  if (ticket->owner != NULL)
    ow_writer_field (w, "承办单位：", ticket->owner);
  if (info->clerk_name != NULL)
    ow_writer_field (w, "登 记 人：", info->clerk_name);
  if (info->hall_phone != NULL)
    ow_writer_field (w, "咨询电话：", info->hall_phone);
  w->y += 4 * OW_MM;

  return ow_writer_foot (w, NULL, error);
}
