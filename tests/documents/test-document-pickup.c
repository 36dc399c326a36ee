/* test-document-pickup.c — the pick-up window's documents as real PDFs, read back
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The slip of one hand-over covering two cases of one applicant, collected by an agent: every
 * case and result on it, the agent's ID masked on the applicant's copy only, the signature line;
 * the courier's hand-over list: each waybill, the count, both signature lines. Gaps refused.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "core/ow-case-number.h"
#include "core/ow-mask.h"
#include "documents/ow-document.h"

#define ID_NUMBER "11010519491231002X"
#define AGENT_ID  "460100199001010011"

static OwCase *
make_case (guint       sequence,
           const char *item)
{
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) received = g_date_time_new_utc (2026, 11, 25, 6, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *case_no = NULL;
  OwCase *kase;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 25, 11, 2026);
  case_no = ow_case_number_make ("46010001", 7, &date, sequence, &error);
  g_assert_no_error (error);
  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, "K7Q2MX");
  ow_case_set_origin (kase, "46010001", 7, "clerk");
  ow_case_set_received_at (kase, received);
  ow_case_set_document_no (kase, "海口政服受〔2026〕1号");
  applicant->name = g_strdup ("张三");
  applicant->id_number = g_strdup (ID_NUMBER);
  applicant->phone = g_strdup ("13800138000");
  ow_case_set_applicant (kase, applicant);
  ow_case_add_item (kase, ow_case_item_new ("114601000083123456700001", "000123", item,
                                            "海口市市场监督管理局"));
  ow_case_set_delivery (kase, OW_DELIVERY_POST, "张三", "13800138000", "海口市龙华区滨海大道1号");
  return kase;
}

static char *
pdf_text (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ow-document-pickup-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "out.pdf", NULL);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 0;

  g_assert_no_error (error);
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_unlink (path);
  g_rmdir (dir);
  lines = g_strsplit (out, "\n", -1);
  return g_strjoinv ("", lines);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in the document's text:\n%s", needle, text);
}

static guint
count (const char *text,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
init_info (OwDocumentInfo *info)
{
  ow_document_info_init (info);
  info->hall_name = "海口市政务服务中心";
  info->organ_name = "海口市政务服务中心";
  info->organ_short = "海口政服";
  info->clerk_name = "李娜";
  info->document_no = "海口政服出〔2026〕3号";
}

static void
test_pickup_slip (void)
{
  g_autoptr(OwCase) first = make_case (17, "食品经营许可证核发");
  g_autoptr(OwCase) second = make_case (18, "公共场所卫生许可");
  g_autoptr(GPtrArray) cases = g_ptr_array_new ();
  g_autoptr(GPtrArray) results = g_ptr_array_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *masked = ow_mask_id (NULL, AGENT_ID);
  g_autofree char *first_no = ow_case_number_format (ow_case_get_case_no (first));
  g_autofree char *second_no = ow_case_number_format (ow_case_get_case_no (second));
  OwDocumentPickup pickup;
  OwDocumentInfo info;

  init_info (&info);
  g_ptr_array_add (cases, first);
  g_ptr_array_add (cases, second);
  g_ptr_array_add (results, (gpointer) "食品经营许可证（JY14601000001）");
  g_ptr_array_add (results, (gpointer) "不予许可决定书");
  ow_document_pickup_init (&pickup);
  pickup.cases = cases;
  pickup.results = results;
  pickup.agent = TRUE;
  pickup.collector_name = "李四";
  pickup.collector_id = AGENT_ID;
  pickup.collector_phone = "13900139000";

  /* Two copies: the applicant's masked, the archive's whole. */
  pdf = ow_document_render_pickup (&pickup, &info, 2, &error);
  g_assert_no_error (error);
  text = pdf_text (pdf);
  assert_contains (text, "出件签收单");
  assert_contains (text, "海口政服出〔2026〕3号");
  assert_contains (text, first_no);
  assert_contains (text, second_no);
  assert_contains (text, "JY14601000001");
  assert_contains (text, "不予许可决定书");
  assert_contains (text, "李四（代领，凭授权委托书）");
  assert_contains (text, "领取人签名：____");
  assert_contains (text, "第一联（申请人留存）");
  assert_contains (text, "第二联（存档）");
  g_assert_cmpuint (count (text, masked), ==, 1);
  g_assert_cmpuint (count (text, AGENT_ID), ==, 1);
  g_assert_cmpuint (count (text, "139****9000"), ==, 1);

  /* Who collected must be on it. */
  pickup.collector_id = NULL;
  g_clear_pointer (&pdf, g_bytes_unref);
  pdf = ow_document_render_pickup (&pickup, &info, 1, &error);
  g_assert_null (pdf);
  g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
}

static void
test_mail_list (void)
{
  g_autoptr(GPtrArray) mailings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GDate) day = g_date_new_dmy (25, G_DATE_NOVEMBER, 2026);
  OwDocumentMailing *mailing;
  OwDocumentInfo info;

  init_info (&info);
  info.document_no = NULL;
  pdf = ow_document_render_mail_list (mailings, day, &info, &error);
  g_assert_null (pdf);
  g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
  g_clear_error (&error);

  for (guint i = 0; i < 2; i++)
    {
      mailing = g_new0 (OwDocumentMailing, 1);
      mailing->case_no = i == 0 ? "4601000107202611250017K" : "4601000107202611250018T";
      mailing->recipient = i == 0 ? "张三" : "王五";
      mailing->phone = "13800138000";
      mailing->address = "海口市龙华区滨海大道1号";
      mailing->carrier = i == 0 ? "EMS" : "顺丰速运";
      mailing->waybill = i == 0 ? "EA123456785CN" : "SF1234567890123";
      mailing->result = "食品经营许可证";
      g_ptr_array_add (mailings, mailing);
    }
  pdf = ow_document_render_mail_list (mailings, day, &info, &error);
  g_assert_no_error (error);
  text = pdf_text (pdf);
  assert_contains (text, "邮件交接清单");
  assert_contains (text, "EA123456785CN");
  assert_contains (text, "SF1234567890123");
  assert_contains (text, "顺丰速运");
  assert_contains (text, "2件");
  assert_contains (text, "揽收人签名：____");
  assert_contains (text, "交件人签名：____");
  /* The phone is on the waybill: the list masks it as the hall set up. */
  assert_contains (text, "138****8000");
  g_assert_null (strstr (text, "13800138000"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/document-pickup/slip", test_pickup_slip);
  g_test_add_func ("/document-pickup/mail-list", test_mail_list);
  return g_test_run ();
}
