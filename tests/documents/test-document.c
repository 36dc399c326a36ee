/* test-document.c — the acceptance notice as a real PDF: its text, its QR code, its gaps
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "core/ow-case-number.h"
#include "documents/ow-document.h"

#define ID_NUMBER "11010519491231002X"
#define PHONE     "13800138000"
#define ITEM_NAME "食品经营许可证核发"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("ow-document-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

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
  case_no = ow_case_number_make ("46010001", 7, &date, 17, &error);
  g_assert_no_error (error);

  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, "K7Q2MX");
  ow_case_set_origin (kase, "46010001", 7, "clerk");
  ow_case_set_received_at (kase, received);
  g_date_set_dmy (&date, 9, 12, 2026);
  ow_case_set_promised_date (kase, &date);
  ow_case_set_document_no (kase, "海口政服受〔2026〕1号");

  applicant->name = g_strdup ("张三");
  applicant->id_number = g_strdup (ID_NUMBER);
  applicant->phone = g_strdup (PHONE);
  applicant->address = g_strdup ("海南省海口市龙华区");
  ow_case_set_applicant (kase, applicant);

  ow_case_add_item (kase, ow_case_item_new ("114601000083123456700001", "000123", ITEM_NAME,
                                            "海口市市场监督管理局"));

  material = ow_case_material_new ("m1", "食品经营许可申请书");
  material->status = OW_MATERIAL_STATUS_PAPER;
  material->originals = 1;
  ow_case_add_material (kase, material);
  material = ow_case_material_new ("m2", "营业执照");
  material->status = OW_MATERIAL_STATUS_SHARED;
  ow_case_add_material (kase, material);
  material = ow_case_material_new ("m3", "经营场所平面图");
  material->status = OW_MATERIAL_STATUS_SCANNED;
  g_ptr_array_add (material->files,
                   g_strdup ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  ow_case_add_material (kase, material);
  material = ow_case_material_new ("m4", "健康证明未带来");
  material->status = OW_MATERIAL_STATUS_MISSING;
  ow_case_add_material (kase, material);

  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  return kase;
}

static void
init_info (OwDocumentInfo *info,
           GDateTime      *issued)
{
  ow_document_info_init (info);
  info->hall_name = "海口市政务服务中心";
  info->organ_name = "海口市政务服务中心";
  info->organ_short = "海口政服";
  info->clerk_name = "王小明";
  info->query_url = "https://zwfw.example.gov.cn/q";
  info->issued = issued;
  info->copy_label = "第一联（申请人留存）";
}

static char *
save (Fixture    *fixture,
      GBytes     *pdf,
      const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
  return path;
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

/* The page's text with line breaks removed, so that wrapped sentences read whole. */
static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *text = run (argv);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("", lines);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in the document's text:\n%s", needle, text);
}

static void
assert_lacks (const char *text,
              const char *needle)
{
  if (strstr (text, needle) != NULL)
    g_error ("“%s” must not be in the document's text:\n%s", needle, text);
}

static void
test_acceptance_text (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(GDateTime) issued = g_date_time_new_utc (2026, 11, 25, 17, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (kase));
  g_autofree char *masked_id = ow_mask_id (NULL, ID_NUMBER);
  g_autofree char *masked_phone = ow_mask_phone (NULL, PHONE);
  g_autofree char *masked_name = ow_mask_name (NULL, "张三");
  g_autofree char *masked_name_colon = g_strconcat (masked_name, "：", NULL);
  OwDocumentInfo info;

  init_info (&info, issued);
  pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), 5, "%PDF-", 5);

  path = save (fixture, pdf, "notice.pdf");
  text = pdf_text (path);

  assert_contains (text, "受理通知书");
  assert_contains (text, "海口政服受〔2026〕1号");
  assert_contains (text, masked_name_colon);
  assert_contains (text, "于2026年11月25日提交的《" ITEM_NAME "》申请材料齐全");
  assert_contains (text, "第三十二条第一款");
  g_assert_nonnull (strchr (formatted, '-'));
  assert_contains (text, formatted);
  assert_contains (text, ow_case_get_case_no (kase));       /* the canonical form, under the QR */
  assert_contains (text, "K7Q2MX");
  assert_contains (text, ITEM_NAME);
  assert_contains (text, "2026年12月9日");                  /* promised */

  /* The applicant's copy hides the middle of the ID and the phone number. */
  g_assert_cmpstr (masked_id, !=, ID_NUMBER);
  assert_contains (text, masked_id);
  assert_lacks (text, ID_NUMBER);
  assert_contains (text, masked_phone);
  assert_lacks (text, PHONE);

  /* Materials received, and only those. */
  assert_contains (text, "食品经营许可申请书");
  assert_contains (text, "营业执照");
  assert_contains (text, "经营场所平面图");
  assert_lacks (text, "健康证明未带来");

  assert_contains (text, "窗口领取");
  assert_contains (text, "王小明");
  assert_contains (text, "第一联（申请人留存）");
  /* Issued at 17:00 UTC, which is already the next day in China. */
  assert_contains (text, "2026年11月26日");
}

static void
test_unmasked_archive_copy (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  OwDocumentInfo info;

  init_info (&info, NULL);
  info.mask_applicant = FALSE;
  info.copy_label = "第二联（存档）";
  info.document_no = "海口政服受〔2026〕99号";
  pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
  g_assert_no_error (error);
  path = save (fixture, pdf, "archive.pdf");
  text = pdf_text (path);
  assert_contains (text, ID_NUMBER);
  assert_contains (text, PHONE);
  assert_contains (text, "张三：");
  assert_contains (text, "第二联（存档）");
  /* The info's document number wins over the case's. */
  assert_contains (text, "海口政服受〔2026〕99号");
  assert_lacks (text, "海口政服受〔2026〕1号");
}

static void
test_post_delivery (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  OwDocumentInfo info;

  ow_case_set_delivery (kase, OW_DELIVERY_POST, "李四", "13912345678", "海口市美兰区海甸岛1号");
  init_info (&info, NULL);
  pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
  g_assert_no_error (error);
  path = save (fixture, pdf, "post.pdf");
  text = pdf_text (path);
  assert_contains (text, "邮寄送达");
  assert_contains (text, "李四");
  assert_contains (text, "海甸岛1号");
  assert_lacks (text, "13912345678");
}

static void
test_organisation_with_agent (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(OwApplicant) company = ow_applicant_new (OW_APPLICANT_ORGANISATION);
  g_autoptr(OwApplicant) agent = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *masked_code = ow_mask_id (NULL, "91350100M000100Y43");
  OwDocumentInfo info;

  company->name = g_strdup ("海口椰风餐饮有限公司");
  company->id_number = g_strdup ("91350100M000100Y43");
  company->phone = g_strdup ("13700137000");
  company->contact_name = g_strdup ("王五");
  ow_case_set_applicant (kase, company);
  agent->name = g_strdup ("赵六");
  agent->id_number = g_strdup (ID_NUMBER);
  agent->phone = g_strdup (PHONE);
  ow_case_set_agent (kase, agent);

  init_info (&info, NULL);
  pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
  g_assert_no_error (error);
  path = save (fixture, pdf, "organisation.pdf");
  text = pdf_text (path);
  assert_contains (text, "信用代码");
  assert_contains (text, masked_code);
  assert_lacks (text, "91350100M000100Y43");
  assert_contains (text, "代 理 人");
  assert_lacks (text, ID_NUMBER);
  assert_lacks (text, "13700137000");
}

static void
test_qr_decodes (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *png = NULL;
  g_autofree char *ignored = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *payload = ow_case_qr_payload (ow_case_get_case_no (kase),
                                                 ow_case_get_query_code (kase));
  OwDocumentInfo info;

  init_info (&info, NULL);
  pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
  g_assert_no_error (error);
  path = save (fixture, pdf, "qr.pdf");
  prefix = g_build_filename (fixture->dir, "page", NULL);
  png = g_strconcat (prefix, ".png", NULL);

  {
    const char *argv[] = { "pdftoppm", "-r", "300", "-png", "-singlefile", path, prefix, NULL };

    ignored = run (argv);
  }
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  {
    const char *argv[] = { "zbarimg", "--raw", "-q", png, NULL };

    decoded = run (argv);
  }
  g_strchomp (decoded);
  g_assert_cmpstr (decoded, ==, payload);
  g_assert_true (g_str_has_prefix (decoded, "OW1:"));
}

static void
test_many_materials_flow_onto_more_pages (Fixture       *fixture,
                                          gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *info_text = NULL;
  char *pages;
  OwDocumentInfo info;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *id = g_strdup_printf ("x%u", i);
      g_autofree char *name = g_strdup_printf ("附加材料第%u号", i + 1);
      OwCaseMaterial *material = ow_case_material_new (id, name);

      material->status = OW_MATERIAL_STATUS_PAPER;
      material->copies = 1;
      ow_case_add_material (kase, material);
    }

  init_info (&info, NULL);
  pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
  g_assert_no_error (error);
  path = save (fixture, pdf, "long.pdf");
  text = pdf_text (path);
  assert_contains (text, "附加材料第1号");
  assert_contains (text, "附加材料第60号");
  {
    const char *argv[] = { "pdfinfo", path, NULL };

    info_text = run (argv);
  }
  pages = strstr (info_text, "Pages:");
  g_assert_nonnull (pages);
  g_assert_cmpuint (g_ascii_strtoull (g_strchug (pages + strlen ("Pages:")), NULL, 10), >=, 2);
}

static void
test_incomplete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  OwDocumentInfo info;

  init_info (&info, NULL);

  /* Without a promised date the notice would state nothing to hold the hall to. */
  {
    g_autoptr(OwCase) kase = make_case ();
    GDate invalid;

    g_date_clear (&invalid, 1);
    ow_case_set_promised_date (kase, &invalid);
    pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_assert_null (pdf);
    g_clear_error (&error);
  }

  /* A case with no item. */
  {
    g_autoptr(OwCase) kase = ow_case_new ("46010001072026112500017");
    g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);

    applicant->name = g_strdup ("张三");
    ow_case_set_applicant (kase, applicant);
    pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_assert_null (pdf);
    g_clear_error (&error);
  }

  /* No document number, neither in the case nor given. */
  {
    g_autoptr(OwCase) kase = make_case ();

    ow_case_set_document_no (kase, NULL);
    pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_clear_error (&error);
  }

  /* The other kinds are not rendered yet, and say so instead of printing something wrong. */
  for (OwDocumentKind kind = OW_DOCUMENT_TOLERATED; kind <= OW_DOCUMENT_RECEIPT_80MM; kind++)
    {
      g_autoptr(OwCase) kase = make_case ();

      pdf = ow_document_render (kind, kase, &info, &error);
      g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
      g_assert_nonnull (strstr (error->message, "not yet supported"));
      g_assert_null (pdf);
      g_clear_error (&error);
    }
}

static void
test_document_number (void)
{
  g_autofree char *a = ow_document_number ("海口政服", OW_DOCUMENT_ACCEPTANCE, 2026, 12);
  g_autofree char *r = ow_document_number ("海口政服", OW_DOCUMENT_REFUSAL, 2027, 1);

  g_assert_cmpstr (a, ==, "海口政服受〔2026〕12号");
  g_assert_cmpstr (r, ==, "海口政服不受〔2027〕1号");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/document/acceptance-text", Fixture, NULL, fixture_set_up, test_acceptance_text,
              fixture_tear_down);
  g_test_add ("/document/unmasked-archive-copy", Fixture, NULL, fixture_set_up,
              test_unmasked_archive_copy, fixture_tear_down);
  g_test_add ("/document/post-delivery", Fixture, NULL, fixture_set_up, test_post_delivery,
              fixture_tear_down);
  g_test_add ("/document/organisation-with-agent", Fixture, NULL, fixture_set_up,
              test_organisation_with_agent, fixture_tear_down);
  g_test_add ("/document/qr-decodes", Fixture, NULL, fixture_set_up, test_qr_decodes,
              fixture_tear_down);
  g_test_add ("/document/many-materials", Fixture, NULL, fixture_set_up,
              test_many_materials_flow_onto_more_pages, fixture_tear_down);
  g_test_add_func ("/document/incomplete", test_incomplete);
  g_test_add_func ("/document/number", test_document_number);

  return g_test_run ();
}
