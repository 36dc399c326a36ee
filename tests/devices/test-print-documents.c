/* test-print-documents.c — every official document printed on a real ippeveprinter, read back
 * from its spool with pdftotext and zbarimg
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "core/ow-case-number.h"
#include "devices/ow-print-queue.h"
#include "documents/ow-document.h"
#include "ow-test-ippeve.h"

#define ID_NUMBER "11010519491231002X"
#define ITEM_NAME "食品经营许可证核发"

static OwTestIppeve *ippeve;
static OwPrintQueue *queue;

static OwCase *
make_case (void)
{
  OwCase *kase;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) received = g_date_time_new_utc (2026, 11, 25, 6, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *case_no = NULL;
  OwCaseMaterial *material;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 25, 11, 2026);
  case_no = ow_case_number_make ("46010001", 7, &date, 21, &error);
  g_assert_no_error (error);
  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, "Q4M7ZP");
  ow_case_set_origin (kase, "46010001", 7, "clerk");
  ow_case_set_received_at (kase, received);
  g_date_set_dmy (&date, 9, 12, 2026);
  ow_case_set_promised_date (kase, &date);
  ow_case_set_document_no (kase, "海口政服受〔2026〕21号");
  applicant->name = g_strdup ("王芳");
  applicant->id_number = g_strdup (ID_NUMBER);
  applicant->phone = g_strdup ("13800138000");
  ow_case_set_applicant (kase, applicant);
  ow_case_add_item (kase, ow_case_item_new ("114601000083123456700001", "000123", ITEM_NAME,
                                            "海口市市场监督管理局"));
  material = ow_case_material_new ("m1", "食品经营许可申请书");
  material->status = OW_MATERIAL_STATUS_PAPER;
  material->originals = 1;
  ow_case_add_material (kase, material);
  material = ow_case_material_new ("m2", "从业人员健康证明");
  material->status = OW_MATERIAL_STATUS_TOLERATED;
  g_date_set_dmy (&material->due_date, 4, 12, 2026);
  material->note = g_strdup ("缺少健康证明原件");
  ow_case_add_material (kase, material);
  ow_case_set_refusal (kase, "该事项依法由省级部门实施", "海南省市场监督管理局");
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  return kase;
}

static void
init_info (OwDocumentInfo *info)
{
  ow_document_info_init (info);
  info->hall_name = "海口市政务服务中心";
  info->organ_name = "海口市政务服务中心";
  info->organ_short = "海口政服";
  info->clerk_name = "王小明";
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return out;
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *text = run (argv);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("", lines);
}

static char *
decode_qr (const char *path)
{
  g_autofree char *prefix = g_strconcat (path, "-page", NULL);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  g_autofree char *ignored = NULL;
  char *decoded;

  {
    const char *argv[] = { "pdftoppm", "-r", "300", "-png", "-singlefile", "-f", "1", "-l", "1",
                           path, prefix, NULL };

    ignored = run (argv);
  }
  {
    const char *argv[] = { "zbarimg", "--raw", "-q", png, NULL };

    decoded = run (argv);
  }
  g_unlink (png);
  return g_strchomp (decoded);
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Prints @pdf through the queue and returns the text of what the printer received. */
static char *
print_and_read_back (OwDocumentKind  kind,
                     GBytes         *pdf,
                     char          **spooled)
{
  g_autoptr(OwPrintJob) job = ow_print_job_new (ow_document_kind_to_string (kind), NULL,
                                                ow_document_kind_get_title (kind), pdf, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  ow_print_queue_submit_async (queue, job, ippeve->uri, NULL, ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ow_print_queue_submit_finish (queue, result, &error));
  g_assert_no_error (error);

  path = ow_test_ippeve_spool_find (ippeve, pdf);
  g_assert_nonnull (path);
  if (spooled != NULL)
    *spooled = g_strdup (path);
  return pdf_text (path);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in the printed text:\n%s", needle, text);
}

static void
assert_lacks (const char *text,
              const char *needle)
{
  if (strstr (text, needle) != NULL)
    g_error ("“%s” must not be in the printed text:\n%s", needle, text);
}

typedef struct
{
  OwDocumentKind      kind;
  guint               copies;
  const char * const  needles[8];
} CaseDocument;

static const CaseDocument case_documents[] = {
  { OW_DOCUMENT_ACCEPTANCE, 3,
    { "受理通知书", "王芳：", "决定予以受理", "第一联（申请人留存）", "第二联（部门留存）",
      "第三联（存档）", "2026年12月9日", NULL } },
  { OW_DOCUMENT_TOLERATED, 1,
    { "容缺受理通知书", "从业人员健康证明", "于2026年12月4日前补交", "逾期未补交的",
      "申请人承诺书", "承诺人（签字或盖章）", NULL } },
  { OW_DOCUMENT_SUPPLEMENT, 2,
    { "补正材料通知书", "从业人员健康证明：缺少健康证明原件", "一次性告知",
      "逾期不告知的，自收到申请材料之日起即为受理", "第二联（存档）", NULL } },
  { OW_DOCUMENT_REFUSAL, 1,
    { "不予受理通知书", "该事项依法由省级部门实施", "请向海南省市场监督管理局申请",
      "六十日内向海口市人民政府申请行政复议", "六个月内", "提起行政诉讼", NULL } },
  { OW_DOCUMENT_PICKUP_SLIP, 1,
    { "出件签收单", "领取人签名：", ITEM_NAME, NULL } },
  { OW_DOCUMENT_RECEIPT_80MM, 1,
    { "受理回执", "Q4M7ZP", "王芳", "2026年12月9日", NULL } },
};

static void
test_case_document (gconstpointer user_data)
{
  const CaseDocument *document = user_data;
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *spooled = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *payload = ow_case_qr_payload (ow_case_get_case_no (kase),
                                                 ow_case_get_query_code (kase));
  g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (kase));
  g_autofree char *masked_id = ow_mask_id (NULL, ID_NUMBER);
  OwDocumentInfo info;

  init_info (&info);
  pdf = ow_document_render_copies (document->kind, kase, &info, document->copies, &error);
  g_assert_no_error (error);
  text = print_and_read_back (document->kind, pdf, &spooled);

  for (guint i = 0; document->needles[i] != NULL; i++)
    assert_contains (text, document->needles[i]);
  assert_contains (text, formatted);
  assert_contains (text, masked_id);
  if (document->copies == 1)
    assert_lacks (text, ID_NUMBER);

  decoded = decode_qr (spooled);
  g_assert_cmpstr (decoded, ==, payload);
}

static void
test_ticket_receipt (void)
{
  g_autoptr(GDateTime) registered = g_date_time_new_utc (2026, 11, 25, 2, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  OwDocumentTicket ticket;
  OwDocumentInfo info;

  ow_document_ticket_init (&ticket);
  ticket.ticket_no = "WB-46010001-20261125-0007";
  ticket.applicant_name = "李四";
  ticket.matter = "营业执照变更多次未办成";
  ticket.tier = OW_TICKET_TIER_10_DAYS;
  ticket.registered_at = registered;
  init_info (&info);
  pdf = ow_document_render_ticket (&ticket, &info, 1, &error);
  g_assert_no_error (error);
  text = print_and_read_back (OW_DOCUMENT_TICKET_RECEIPT, pdf, NULL);
  assert_contains (text, "未办成事登记回执");
  assert_contains (text, "WB-46010001-20261125-0007");
  assert_contains (text, "营业执照变更多次未办成");
  assert_contains (text, "10个工作日内答复");
}

static void
test_guide (void)
{
  g_autoptr(OwItem) item = ow_item_new ("114601000083123456700001", ITEM_NAME);
  g_autoptr(OwMaterial) form = ow_material_new ("m1", "食品经营许可申请书");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  OwDocumentInfo info;

  ow_item_set_department (item, "海口市市场监督管理局", NULL);
  ow_item_set_limits (item, 20, 3);
  ow_item_set_conditions (item, "有与经营的食品品种、数量相适应的经营场所。");
  ow_item_set_contact (item, "海口市政务服务中心二楼B区", "周一至周五", "0898-66668888",
                       "0898-12345");
  ow_item_add_material (item, form);
  init_info (&info);
  pdf = ow_document_render_guide (item, &info, &error);
  g_assert_no_error (error);
  text = print_and_read_back (OW_DOCUMENT_GUIDE, pdf, NULL);
  assert_contains (text, "一次性告知书");
  assert_contains (text, "食品经营许可申请书");
  assert_contains (text, "承诺办结时限3个工作日");
  assert_contains (text, "0898-12345");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OwPrinter) printer = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_setenv ("CUPS_SERVER", "/nonexistent/ow-test-cups.sock", TRUE);

  /* One printer for the whole program: the documents differ, the printer does not. */
  ippeve = ow_test_ippeve_start (NULL);
  printer = ow_printer_new ();
  queue = ow_print_queue_new (printer, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (case_documents); i++)
    {
      g_autofree char *path = g_strdup_printf ("/print-documents/%s",
                                               ow_document_kind_to_string (case_documents[i].kind));

      g_test_add_data_func (path, &case_documents[i], test_case_document);
    }
  g_test_add_func ("/print-documents/ticket-receipt", test_ticket_receipt);
  g_test_add_func ("/print-documents/guide", test_guide);

  status = g_test_run ();

  g_clear_object (&queue);
  ow_test_ippeve_stop (ippeve);
  return status;
}
