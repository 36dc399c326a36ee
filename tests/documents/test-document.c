/* test-document.c — every official document as a real PDF: its text, its QR code, its gaps
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
#include "documents/ow-document-settings.h"

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
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* OW_TEST_KEEP_OUTPUT=1 leaves the PDFs behind, to look at them. */
  if (g_getenv ("OW_TEST_KEEP_OUTPUT") != NULL)
    {
      g_test_message ("Documents kept in %s", fixture->dir);
      g_free (fixture->dir);
      return;
    }

  dir = g_dir_open (fixture->dir, 0, NULL);
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
  /* The notice is addressed to the person: the name stays whole on the masked copy. */
  assert_contains (text, "张三：");
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

  /* 容缺 without a tolerated material, 补正 with nothing to correct, a refusal without a reason:
   * each says what is missing instead of printing something wrong. */
  {
    g_autoptr(OwCase) kase = make_case ();

    ow_case_find_material (kase, "m4")->status = OW_MATERIAL_STATUS_PAPER;
    pdf = ow_document_render (OW_DOCUMENT_TOLERATED, kase, &info, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_assert_nonnull (strstr (error->message, "容缺受理通知书"));
    g_clear_error (&error);
    pdf = ow_document_render (OW_DOCUMENT_SUPPLEMENT, kase, &info, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_clear_error (&error);
    pdf = ow_document_render (OW_DOCUMENT_REFUSAL, kase, &info, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_assert_nonnull (strstr (error->message, "reason"));
    g_clear_error (&error);
    /* Tickets and guides are not drawn from a case. */
    pdf = ow_document_render (OW_DOCUMENT_GUIDE, kase, &info, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_clear_error (&error);
    pdf = ow_document_render (OW_DOCUMENT_TICKET_RECEIPT, kase, &info, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_clear_error (&error);
    g_assert_null (pdf);
  }

  /* A tolerated material without its due date. */
  {
    g_autoptr(OwCase) kase = make_case ();

    ow_case_find_material (kase, "m4")->status = OW_MATERIAL_STATUS_TOLERATED;
    pdf = ow_document_render (OW_DOCUMENT_TOLERATED, kase, &info, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_clear_error (&error);
  }

  /* A ticket without what was reported. */
  {
    OwDocumentTicket ticket;
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    ow_document_ticket_init (&ticket);
    ticket.ticket_no = "WB-46010001-20261125-0003";
    ticket.applicant_name = "李四";
    ticket.registered_at = now;
    pdf = ow_document_render_ticket (&ticket, &info, 1, &error);
    g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
    g_clear_error (&error);
    g_assert_null (pdf);
  }
}


/* ------------------------------------------------------------------------------------------ */
/* The other documents */

static char *
render_to_text (Fixture        *fixture,
                OwDocumentKind  kind,
                OwCase         *kase,
                OwDocumentInfo *info,
                const char     *name,
                char          **path_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ow_document_render (kind, kase, info, &error);
  g_autofree char *path = NULL;
  char *text;

  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  path = save (fixture, pdf, name);
  text = pdf_text (path);
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return text;
}

static char *
page_text (const char *path,
           guint       page)
{
  g_autofree char *number = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", "-f", number, "-l", number, path, "-",
                         NULL };
  g_autofree char *text = run (argv);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("", lines);
}

static char *
pdf_info (const char *path,
          const char *key)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *out = run (argv);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], key))
      return g_strstrip (g_strdup (lines[i] + strlen (key)));
  g_error ("pdfinfo has no “%s” for %s:\n%s", key, path, out);
  return NULL;
}

static guint
pdf_pages (const char *path)
{
  g_autofree char *pages = pdf_info (path, "Pages:");

  return (guint) g_ascii_strtoull (pages, NULL, 10);
}

/* Rasterises @page and decodes the QR code on it. */
static char *
decode_qr (Fixture    *fixture,
           const char *path,
           guint       page)
{
  g_autofree char *prefix = g_strdup_printf ("%s-qr%u", path, page);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  g_autofree char *number = g_strdup_printf ("%u", page);
  g_autofree char *ignored = NULL;
  char *decoded;

  {
    const char *argv[] = { "pdftoppm", "-r", "300", "-png", "-singlefile", "-f", number, "-l",
                           number, path, prefix, NULL };

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
test_tolerated (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(OwCatalog) catalog = ow_catalog_new ();
  g_autoptr(OwItem) item = ow_item_new ("114601000083123456700001", ITEM_NAME);
  g_autoptr(OwMaterial) wanted = ow_material_new ("m4", "健康证明未带来");
  g_autofree char *text = NULL;
  OwCaseMaterial *gap = ow_case_find_material (kase, "m4");
  OwDocumentInfo info;

  ow_material_set_form (wanted, OW_MATERIAL_FORM_PAPER);
  ow_material_set_counts (wanted, 1, 2);
  ow_item_add_material (item, wanted);
  ow_catalog_add_item (catalog, item);

  gap->status = OW_MATERIAL_STATUS_TOLERATED;
  g_date_set_dmy (&gap->due_date, 4, 12, 2026);
  gap->note = g_strdup ("须加盖体检机构公章");

  init_info (&info, NULL);
  info.catalog = catalog;
  info.document_no = "海口政服容受〔2026〕3号";
  text = render_to_text (fixture, OW_DOCUMENT_TOLERATED, kase, &info, "tolerated.pdf", NULL);

  assert_contains (text, "容缺受理通知书");
  assert_contains (text, "海口政服容受〔2026〕3号");
  assert_contains (text, "张三：");
  assert_contains (text, "决定予以容缺受理");
  /* What, in what form, by when, and what happens if late. */
  assert_contains (text, "健康证明未带来：纸质材料，原件1份，复印件2份，于2026年12月4日前补交");
  assert_contains (text, "须加盖体检机构公章");
  assert_contains (text, "逾期未补交的，视为撤回申请");
  /* The commitment, with a line to sign. */
  assert_contains (text, "申请人承诺书");
  assert_contains (text, "将于2026年12月4日前按要求补交");
  assert_contains (text, "承诺人（签字或盖章）：____");
  assert_contains (text, "2026年12月9日");
  assert_contains (text, "第一联（申请人留存）");
  assert_lacks (text, ID_NUMBER);

  /* Without the catalog the form is stated generally, not invented. */
  info.catalog = NULL;
  g_free (text);
  text = render_to_text (fixture, OW_DOCUMENT_TOLERATED, kase, &info, "tolerated2.pdf", NULL);
  assert_contains (text, "健康证明未带来：按申请材料目录要求提交");
}

static void
test_supplement (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autofree char *text = NULL;
  OwCaseMaterial *material;
  OwDocumentInfo info;

  ow_case_find_material (kase, "m4")->note = g_strdup ("缺少从业人员健康证明原件");
  ow_case_find_material (kase, "m3")->note = g_strdup ("平面图未标注比例，请重新绘制");
  material = ow_case_material_new ("m5", "法定代表人身份证明");
  ow_case_add_material (kase, material);

  init_info (&info, NULL);
  info.document_no = "海口政服补〔2026〕5号";
  text = render_to_text (fixture, OW_DOCUMENT_SUPPLEMENT, kase, &info, "supplement.pdf", NULL);

  assert_contains (text, "补正材料通知书");
  assert_contains (text, "海口政服补〔2026〕5号");
  assert_contains (text, "张三：");
  assert_contains (text, "一次性告知");
  assert_contains (text, "第三十二条第一款第（四）项");
  /* Everything, each with its reason. */
  assert_contains (text, "健康证明未带来：缺少从业人员健康证明原件");
  assert_contains (text, "经营场所平面图：平面图未标注比例，请重新绘制");
  assert_contains (text, "法定代表人身份证明：未提交，请补充提交");
  assert_lacks (text, "食品经营许可申请书：");
  /* The five-day rule. */
  assert_contains (text, "五日内一次性告知");
  assert_contains (text, "逾期不告知的，自收到申请材料之日起即为受理");
  assert_contains (text, "2026年11月25日");
  assert_lacks (text, ID_NUMBER);
}

static void
test_refusal (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autofree char *text = NULL;
  OwDocumentInfo info;

  ow_case_set_refusal (kase, "该事项依法由省级部门实施", "海南省市场监督管理局");
  init_info (&info, NULL);
  info.document_no = "海口政服不受〔2026〕2号";
  text = render_to_text (fixture, OW_DOCUMENT_REFUSAL, kase, &info, "refusal.pdf", NULL);

  assert_contains (text, "不予受理通知书");
  assert_contains (text, "海口政服不受〔2026〕2号");
  assert_contains (text, "张三：");
  assert_contains (text, "该事项依法由省级部门实施");
  assert_contains (text, "决定不予受理");
  assert_contains (text, "请向海南省市场监督管理局申请");
  assert_contains (text, "六十日内向海口市人民政府申请行政复议");
  assert_contains (text, "六个月内向有管辖权的人民法院提起行政诉讼");
  assert_contains (text, "行政许可法》第三十二条");
  assert_lacks (text, ID_NUMBER);

  /* Another hall names its own review organ; no competent organ, no such sentence. */
  ow_case_set_refusal (kase, "申请人不具备申请资格", NULL);
  info.review_organ = "三亚市人民政府";
  g_free (text);
  text = render_to_text (fixture, OW_DOCUMENT_REFUSAL, kase, &info, "refusal2.pdf", NULL);
  assert_contains (text, "六十日内向三亚市人民政府申请行政复议");
  assert_lacks (text, "请向");
}

static void
test_pickup_slip (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autofree char *text = NULL;
  g_autofree char *masked_id = ow_mask_id (NULL, "460100199001010011");
  OwDocumentInfo info;

  init_info (&info, NULL);
  info.document_no = "海口政服出〔2026〕8号";
  info.result_name = "食品经营许可证（正本、副本）";
  info.recipient_name = "李四";
  info.recipient_id = "460100199001010011";
  text = render_to_text (fixture, OW_DOCUMENT_PICKUP_SLIP, kase, &info, "pickup.pdf", NULL);

  assert_contains (text, "出件签收单");
  assert_contains (text, "海口政服出〔2026〕8号");
  assert_contains (text, "食品经营许可证（正本、副本）");
  assert_contains (text, "李四");
  assert_contains (text, masked_id);
  assert_lacks (text, "460100199001010011");
  assert_contains (text, "领取人签名：____");
  assert_contains (text, ITEM_NAME);
}

static void
test_receipt_80mm (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *size = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *payload = ow_case_qr_payload (ow_case_get_case_no (kase),
                                                 ow_case_get_query_code (kase));
  double width, height;
  char *end;
  OwDocumentInfo info;

  init_info (&info, NULL);
  info.hall_phone = "0898-12345";
  text = render_to_text (fixture, OW_DOCUMENT_RECEIPT_80MM, kase, &info, "receipt.pdf", &path);
  assert_contains (text, "受理回执");
  assert_contains (text, "K7Q2MX");
  assert_contains (text, "张三");
  assert_contains (text, ITEM_NAME);
  assert_contains (text, "2026年12月9日");
  assert_contains (text, "0898-12345");
  assert_lacks (text, ID_NUMBER);

  /* 80 mm wide, as long as the content and no longer: one page, far shorter than A4. */
  g_assert_cmpuint (pdf_pages (path), ==, 1);
  size = pdf_info (path, "Page size:");
  width = g_ascii_strtod (size, &end);
  g_assert_true (g_str_has_prefix (end, " x "));
  height = g_ascii_strtod (end + 3, NULL);
  g_assert_cmpfloat_with_epsilon (width, 80 * 72 / 25.4, 0.5);
  g_assert_cmpfloat (height, >, 100 * 72 / 25.4);
  g_assert_cmpfloat (height, <, 200 * 72 / 25.4);

  decoded = decode_qr (fixture, path, 1);
  g_assert_cmpstr (decoded, ==, payload);
}

static void
test_ticket_receipt (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GDateTime) registered = g_date_time_new_utc (2026, 11, 25, 2, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *masked_phone = ow_mask_phone (NULL, PHONE);
  OwDocumentTicket ticket;
  OwDocumentInfo info;

  ow_document_ticket_init (&ticket);
  ticket.ticket_no = "WB-46010001-20261125-0003";
  ticket.applicant_name = "李四";
  ticket.phone = PHONE;
  ticket.matter = "多次到窗口办理个体工商户变更登记未果";
  ticket.channel = "大厅";
  ticket.tier = OW_TICKET_TIER_5_DAYS;
  g_date_set_dmy (&ticket.due_date, 2, 12, 2026);
  ticket.owner = "海口市市场监督管理局";
  ticket.registered_at = registered;
  ticket.query_code = "P3W8ZQ";

  init_info (&info, NULL);
  info.copy_label = NULL;
  pdf = ow_document_render_ticket (&ticket, &info, 2, &error);
  g_assert_no_error (error);
  path = save (fixture, pdf, "ticket.pdf");
  g_assert_cmpuint (pdf_pages (path), ==, 2);
  text = page_text (path, 1);
  assert_contains (text, "未办成事登记回执");
  assert_contains (text, "WB-46010001-20261125-0003");
  assert_contains (text, "李四：");
  assert_contains (text, "多次到窗口办理个体工商户变更登记未果");
  assert_contains (text, "5个工作日内答复（2026年12月2日前）");
  assert_contains (text, "海口市市场监督管理局");
  assert_contains (text, "P3W8ZQ");
  assert_contains (text, "2026年11月25日");
  assert_contains (text, "第一联（申请人留存）");
  assert_contains (text, masked_phone);
  assert_lacks (text, PHONE);
  g_free (text);
  text = page_text (path, 2);
  assert_contains (text, "第二联（存档）");
  assert_contains (text, PHONE);
}

static OwItem *
make_guide_item (void)
{
  OwItem *item = ow_item_new ("114601000083123456700001", ITEM_NAME);
  g_autoptr(OwMaterial) form = ow_material_new ("m1", "食品经营许可申请书");
  g_autoptr(OwMaterial) licence = ow_material_new ("m2", "营业执照");
  g_autoptr(OwMaterial) plan = ow_material_new ("m3", "经营场所平面图");
  const char * const faq[] = { "可以委托他人办理吗？", "可以，需提交授权委托书。", NULL };

  ow_item_set_department (item, "海口市市场监督管理局", "11460100MB0000000X");
  ow_item_set_limits (item, 20, 3);
  ow_item_set_conditions (item, "有与经营的食品品种、数量相适应的经营场所。");
  ow_item_set_result (item, "食品经营许可证", NULL);
  ow_item_set_fee (item, FALSE, NULL);
  ow_item_set_contact (item, "海口市政务服务中心二楼B区", "周一至周五 9:00-17:00",
                       "0898-66668888", "0898-12345");
  ow_item_set_faq (item, faq);
  ow_material_set_form (form, OW_MATERIAL_FORM_PAPER);
  ow_material_set_counts (form, 1, 0);
  ow_material_set_required (form, TRUE);
  ow_material_set_source (form, OW_MATERIAL_SOURCE_APPLICANT, "申请人自备");
  ow_item_add_material (item, form);
  ow_material_set_form (licence, OW_MATERIAL_FORM_ELECTRONIC);
  ow_material_set_source (licence, OW_MATERIAL_SOURCE_GOVERNMENT, "政府部门核发");
  ow_material_set_shared_exempt (licence, TRUE);
  ow_item_add_material (item, licence);
  ow_material_set_form (plan, OW_MATERIAL_FORM_EITHER);
  ow_material_set_counts (plan, 0, 1);
  ow_material_set_tolerable (plan, TRUE);
  ow_item_add_material (item, plan);
  return item;
}

static void
test_guide (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(OwItem) item = make_guide_item ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  OwDocumentInfo info;

  init_info (&info, NULL);
  pdf = ow_document_render_guide (item, &info, &error);
  g_assert_no_error (error);
  path = save (fixture, pdf, "guide.pdf");
  text = pdf_text (path);
  g_assert_cmpuint (pdf_pages (path), ==, 1);
  assert_contains (text, "一次性告知书");
  assert_contains (text, ITEM_NAME);
  assert_contains (text, "有与经营的食品品种、数量相适应的经营场所");
  assert_contains (text, "食品经营许可申请书（纸质，原件1份；来源：申请人自备；必要）");
  assert_contains (text, "营业执照（电子，原件1份；来源：政府部门核发");
  assert_contains (text, "免提交");
  assert_contains (text, "经营场所平面图（纸质或电子，复印件1份");
  assert_contains (text, "可容缺");
  assert_contains (text, "法定办结时限20个工作日，承诺办结时限3个工作日");
  assert_contains (text, "不收费");
  assert_contains (text, "海口市政务服务中心二楼B区");
  assert_contains (text, "周一至周五 9:00-17:00");
  assert_contains (text, "0898-66668888");
  assert_contains (text, "0898-12345");
  assert_contains (text, "可以委托他人办理吗？");
  assert_contains (text, "食品经营许可证");
  /* Not a copy of anything, and about no one. */
  assert_lacks (text, "第一联");
}

static guint32
png_width (GBytes *png)
{
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  return GUINT32_FROM_BE (*(guint32 *) ((guint8 *) g_bytes_get_data (png, NULL) + 16));
}

static guint32
png_height (GBytes *png)
{
  return GUINT32_FROM_BE (*(guint32 *) ((guint8 *) g_bytes_get_data (png, NULL) + 20));
}

/* The guide's preview shows the pages that print: as many, A4, and no copy label. */
static void
test_guide_preview (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(OwItem) item = make_guide_item ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GPtrArray) unlabelled = NULL;
  g_autoptr(GPtrArray) faq = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  OwDocumentInfo info;

  init_info (&info, NULL);
  pages = ow_document_render_guide_preview (item, &info, 96, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);
  g_assert_cmpuint (png_width (g_ptr_array_index (pages, 0)), ==, 794);
  g_assert_cmpuint (png_height (g_ptr_array_index (pages, 0)), ==, 1123);

  /* A guide concerns no one: the copy label of @info is not drawn, as on the PDF. */
  info.copy_label = NULL;
  unlabelled = ow_document_render_guide_preview (item, &info, 96, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (g_ptr_array_index (pages, 0),
                                g_ptr_array_index (unlabelled, 0)));
  g_clear_pointer (&pages, g_ptr_array_unref);

  /* A long guide breaks onto more pages where the PDF does. */
  for (guint i = 0; i < 30; i++)
    {
      g_ptr_array_add (faq, g_strdup_printf ("第%u个常见问题：材料不齐全时可以先受理吗？", i + 1));
      g_ptr_array_add (faq, g_strdup ("符合容缺受理条件的，可以先行受理，申请人应在承诺期限内"
                                      "补齐材料；不符合的，窗口一次性告知需要补正的全部内容。"));
    }
  g_ptr_array_add (faq, NULL);
  ow_item_set_faq (item, (const char * const *) faq->pdata);
  pdf = ow_document_render_guide (item, &info, &error);
  g_assert_no_error (error);
  path = save (fixture, pdf, "long-guide.pdf");
  pages = ow_document_render_guide_preview (item, &info, 72, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_pages (path), >, 1);
  g_assert_cmpuint (pages->len, ==, pdf_pages (path));
  for (guint i = 0; i < pages->len; i++)
    g_assert_cmpuint (png_width (g_ptr_array_index (pages, i)), ==, 596);
}

/* The words of @path with their boxes, as pdftotext places them. */
static char *
pdf_word_boxes (const char *path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", "-bbox", path, "-", NULL };
  g_autofree char *html = run (argv);
  const char *body = strstr (html, "<page");

  g_assert_nonnull (body);
  return g_strdup (body);
}

/* Layouts are kept from one document to the next (ow_writer_text): a document drawn after
 * others, and after a preview at another scale, has its own texts and every word exactly where
 * it was the first time; and one case's name, number or dates never show on the next. */
static void
test_kept_layouts (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(OwCase) first = make_case ();
  g_autoptr(OwCase) second = make_case ();
  g_autoptr(OwApplicant) other = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) preview = NULL;
  g_autofree char *first_path = NULL;
  g_autofree char *again_path = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autofree char *again_text = NULL;
  g_autofree char *first_boxes = NULL;
  g_autofree char *again_boxes = NULL;
  OwDocumentInfo info;
  GDate date;

  init_info (&info, NULL);
  first_text = render_to_text (fixture, OW_DOCUMENT_ACCEPTANCE, first, &info, "first.pdf",
                               &first_path);
  first_boxes = pdf_word_boxes (first_path);

  other->name = g_strdup ("李四");
  other->id_number = g_strdup ("11010519491231002X");
  other->phone = g_strdup ("13912345678");
  ow_case_set_applicant (second, other);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 18, 12, 2026);
  ow_case_set_promised_date (second, &date);
  ow_case_set_document_no (second, "海口政服受〔2026〕2号");
  second_text = render_to_text (fixture, OW_DOCUMENT_ACCEPTANCE, second, &info, "second.pdf",
                                NULL);
  assert_contains (second_text, "李四：");
  assert_contains (second_text, "海口政服受〔2026〕2号");
  assert_contains (second_text, "2026年12月18日");
  assert_lacks (second_text, "张三");
  assert_lacks (second_text, "海口政服受〔2026〕1号");
  assert_lacks (second_text, "2026年12月9日");

  /* The preview draws at 96 dpi, on image surfaces. */
  preview = ow_document_render_preview (OW_DOCUMENT_ACCEPTANCE, second, &info, 1, 96, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->len, ==, 1);

  again_text = render_to_text (fixture, OW_DOCUMENT_ACCEPTANCE, first, &info, "again.pdf",
                               &again_path);
  g_assert_cmpstr (again_text, ==, first_text);
  again_boxes = pdf_word_boxes (again_path);
  g_assert_cmpstr (again_boxes, ==, first_boxes);
}

/* 一式三份: one PDF, each copy labelled, only the applicant's masked. */
static void
test_three_copies (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *masked_id = ow_mask_id (NULL, ID_NUMBER);
  static const char * const labels[] = { "第一联（申请人留存）", "第二联（部门留存）",
                                         "第三联（存档）" };
  OwDocumentInfo info;

  init_info (&info, NULL);
  pdf = ow_document_render_copies (OW_DOCUMENT_ACCEPTANCE, kase, &info, 3, &error);
  g_assert_no_error (error);
  path = save (fixture, pdf, "three.pdf");
  g_assert_cmpuint (pdf_pages (path), ==, 3);
  for (guint page = 1; page <= 3; page++)
    {
      g_autofree char *text = page_text (path, page);

      assert_contains (text, "受理通知书");
      assert_contains (text, labels[page - 1]);
      for (guint other = 0; other < 3; other++)
        if (other != page - 1)
          assert_lacks (text, labels[other]);
      if (page == 1)
        {
          assert_contains (text, masked_id);
          assert_lacks (text, ID_NUMBER);
        }
      else
        {
          assert_contains (text, ID_NUMBER);
        }
    }

  g_assert_cmpstr (ow_document_copy_label (0, 2), ==, "第一联（申请人留存）");
  g_assert_cmpstr (ow_document_copy_label (1, 2), ==, "第二联（存档）");
  g_assert_null (ow_document_copy_label (0, 1));
}

/* The ordinary acceptance: a company's registration, a person applying through an
 * agent, seven materials, one of them scanned. */
static OwCase *
make_ordinary_case (void)
{
  static const char * const names[] = {
    "公司登记（备案）申请书", "公司章程", "股东的主体资格文件或自然人身份证明",
    "法定代表人、董事、监事和经理的任职文件及身份证明", "住所（经营场所）申报承诺书",
    "前置审批文件或许可证件", "授权委托书",
  };
  OwCase *kase = make_case ();
  g_autoptr(OwApplicant) agent = ow_applicant_new (OW_APPLICANT_PERSON);
  GPtrArray *materials = ow_case_get_materials (kase);

  g_ptr_array_set_size (materials, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *id = g_strdup_printf ("m%u", i + 1);
      OwCaseMaterial *material = ow_case_material_new (id, names[i]);

      material->status = i == 5 ? OW_MATERIAL_STATUS_SHARED
                         : i == 2 ? OW_MATERIAL_STATUS_SCANNED : OW_MATERIAL_STATUS_PAPER;
      material->originals = material->status == OW_MATERIAL_STATUS_PAPER ? 1 : 0;
      if (material->status == OW_MATERIAL_STATUS_SCANNED)
        g_ptr_array_add (material->files, g_strdup ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b"
                                                    "822cd15d6c15b0f00a08"));
      ow_case_add_material (kase, material);
    }
  agent->name = g_strdup ("李四");
  agent->id_number = g_strdup ("11010519491231002X");
  agent->phone = g_strdup ("13900139000");
  ow_case_set_agent (kase, agent);
  return kase;
}

/* The pages of @path whose text holds @needle, in order. */
static GArray *
pages_with (const char *path,
            const char *needle)
{
  GArray *pages = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint page = 1; page <= pdf_pages (path); page++)
    {
      g_autofree char *text = page_text (path, page);

      if (strstr (text, needle) != NULL)
        g_array_append_val (pages, page);
    }
  return pages;
}

/* Each copy on as few pages as its text needs, the seal and QR code on the page of the text: a
 * seal standing apart from what it seals is worth nothing, and an acceptance printed on six
 * sheets wastes three. */
static void
test_notice_pages (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const OwDocumentKind kinds[] = {
    OW_DOCUMENT_ACCEPTANCE, OW_DOCUMENT_SUPPLEMENT, OW_DOCUMENT_REFUSAL,
  };
  OwDocumentInfo info;

  init_info (&info, NULL);
  info.copy_label = NULL;
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(OwCase) kase = make_ordinary_case ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) pdf = NULL;
      g_autofree char *name = g_strdup_printf ("ordinary-%u.pdf", k);
      g_autofree char *path = NULL;
      g_autoptr(GArray) seals = NULL;
      g_autoptr(GArray) titles = NULL;
      const char *title = ow_document_kind_get_title (kinds[k]);

      if (kinds[k] == OW_DOCUMENT_SUPPLEMENT)
        {
          OwCaseMaterial *missing = ow_case_find_material (kase, "m2");

          missing->status = OW_MATERIAL_STATUS_MISSING;
          missing->note = g_strdup ("章程未经全体股东签署，请补签");
        }
      if (kinds[k] == OW_DOCUMENT_REFUSAL)
        ow_case_set_refusal (kase, "申请事项依法不需要取得行政许可", "海口市行政审批服务局");
      pdf = ow_document_render_copies (kinds[k], kase, &info, 3, &error);
      g_assert_no_error (error);
      path = save (fixture, pdf, name);

      /* One sheet per copy, each with its seal. */
      g_assert_cmpuint (pdf_pages (path), ==, 3);
      seals = pages_with (path, "（印章）");
      titles = pages_with (path, title);
      g_assert_cmpuint (seals->len, ==, 3);
      g_assert_cmpuint (titles->len, ==, 3);
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *text = page_text (path, g_array_index (seals, guint, i));

          g_assert_cmpuint (g_array_index (seals, guint, i), ==, g_array_index (titles, guint, i));
          /* The seal's own text stands with the notice's: the organ and the day, the QR. */
          assert_contains (text, "海口市政务服务中心");
          assert_contains (text, "扫码查询办理进度");
          assert_contains (text, ow_case_get_case_no (kase));
        }
    }
}

/* A notice too long for one sheet flows on; its seal and QR code come after the last line of
 * text, on the last page, with text on it: never a page of their own. */
static void
test_long_notice_seal (Fixture       *fixture,
                       gconstpointer  user_data)
{
  OwDocumentInfo info;

  init_info (&info, NULL);
  for (guint extra = 0; extra <= 40; extra += 2)
    {
      g_autoptr(OwCase) kase = make_ordinary_case ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) pdf = NULL;
      g_autofree char *name = g_strdup_printf ("long-%u.pdf", extra);
      g_autofree char *path = NULL;
      g_autofree char *last_text = NULL;
      g_autoptr(GArray) seals = NULL;
      guint pages;

      for (guint i = 0; i < extra; i++)
        {
          g_autofree char *id = g_strdup_printf ("x%u", i);
          g_autofree char *material_name = g_strdup_printf ("附加材料第%u号（经办人签字确认的复印件）",
                                                            i + 1);
          OwCaseMaterial *material = ow_case_material_new (id, material_name);

          material->status = OW_MATERIAL_STATUS_PAPER;
          material->copies = 1;
          ow_case_add_material (kase, material);
        }
      pdf = ow_document_render (OW_DOCUMENT_ACCEPTANCE, kase, &info, &error);
      g_assert_no_error (error);
      path = save (fixture, pdf, name);
      pages = pdf_pages (path);
      seals = pages_with (path, "（印章）");
      g_assert_cmpuint (seals->len, ==, 1);
      g_assert_cmpuint (g_array_index (seals, guint, 0), ==, pages);
      last_text = page_text (path, pages);
      /* Text of the notice on the seal's page, not the seal alone. */
      assert_contains (last_text, "受理人员");
      if (extra > 0)
        {
          g_autofree char *last_material = g_strdup_printf ("附加材料第%u号", extra);
          g_autofree char *text = pdf_text (path);

          assert_contains (text, last_material);
        }
    }
}

/* Every case document carries the QR code of the case and its query code. */
static void
test_qr_on_every_case_document (Fixture       *fixture,
                                gconstpointer  user_data)
{
  static const OwDocumentKind case_kinds[] = {
    OW_DOCUMENT_ACCEPTANCE, OW_DOCUMENT_TOLERATED, OW_DOCUMENT_SUPPLEMENT, OW_DOCUMENT_REFUSAL,
    OW_DOCUMENT_PICKUP_SLIP,
  };
  g_autoptr(OwCase) kase = make_case ();
  g_autofree char *payload = ow_case_qr_payload (ow_case_get_case_no (kase),
                                                 ow_case_get_query_code (kase));
  OwCaseMaterial *gap = ow_case_find_material (kase, "m4");
  OwDocumentInfo info;

  gap->status = OW_MATERIAL_STATUS_TOLERATED;
  g_date_set_dmy (&gap->due_date, 4, 12, 2026);
  ow_case_set_refusal (kase, "不属于本机关职权范围", NULL);
  init_info (&info, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (case_kinds); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) pdf = ow_document_render (case_kinds[i], kase, &info, &error);
      g_autofree char *name = g_strdup_printf ("%s.pdf",
                                               ow_document_kind_to_string (case_kinds[i]));
      g_autofree char *path = NULL;
      g_autofree char *decoded = NULL;

      g_assert_no_error (error);
      path = save (fixture, pdf, name);
      decoded = decode_qr (fixture, path, 1);
      g_assert_cmpstr (decoded, ==, payload);
    }
}

/* The preview shows the pages that print: as many, as big, with the same QR code. */
static void
test_preview (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(OwCase) kase = make_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autofree char *payload = ow_case_qr_payload (ow_case_get_case_no (kase),
                                                 ow_case_get_query_code (kase));
  OwCaseMaterial *gap = ow_case_find_material (kase, "m4");
  OwDocumentInfo info;

  init_info (&info, NULL);
  pages = ow_document_render_preview (OW_DOCUMENT_ACCEPTANCE, kase, &info, 3, 96, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 3);
  for (guint i = 0; i < pages->len; i++)
    {
      GBytes *png = g_ptr_array_index (pages, i);

      /* A PNG of an A4 page at 96 dpi: 794 × 1123 pixels, in the IHDR chunk. */
      g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
      g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) ((guint8 *) g_bytes_get_data (png, NULL)
                                                       + 16)), ==, 794);
      g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) ((guint8 *) g_bytes_get_data (png, NULL)
                                                       + 20)), ==, 1123);
    }
  g_clear_pointer (&pages, g_ptr_array_unref);

  /* The commitment is a page of its own; the receipt one narrow page. */
  gap->status = OW_MATERIAL_STATUS_TOLERATED;
  g_date_set_dmy (&gap->due_date, 4, 12, 2026);
  pages = ow_document_render_preview (OW_DOCUMENT_TOLERATED, kase, &info, 1, 96, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 2);
  g_clear_pointer (&pages, g_ptr_array_unref);

  pages = ow_document_render_preview (OW_DOCUMENT_RECEIPT_80MM, kase, &info, 1, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);
  {
    GBytes *png = g_ptr_array_index (pages, 0);
    g_autofree char *path = save (fixture, png, "preview.png");
    const char *argv[] = { "zbarimg", "--raw", "-q", path, NULL };
    g_autofree char *decoded = run (argv);

    g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) ((guint8 *) g_bytes_get_data (png, NULL)
                                                     + 16)), ==, 630);
    g_assert_cmpstr (g_strchomp (decoded), ==, payload);
  }
}

static void
test_kinds (void)
{
  for (OwDocumentKind kind = OW_DOCUMENT_ACCEPTANCE; kind <= OW_DOCUMENT_N_KINDS; kind++)
    {
      OwDocumentKind back = 0;

      g_assert_nonnull (ow_document_kind_get_title (kind));
      g_assert_true (ow_document_kind_from_string (ow_document_kind_to_string (kind), &back));
      g_assert_cmpint (back, ==, kind);
    }
  g_assert_false (ow_document_kind_from_string ("nonsense", NULL));
  g_assert_null (ow_document_kind_to_string (0));
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariantBuilder) copies = g_variant_builder_new (G_VARIANT_TYPE ("a{su}"));
  g_autofree char *printer = NULL;
  OwDocumentInfo info;

  /* Nothing set: the system's default printer, the usual copies. */
  g_assert_null (ow_document_settings_dup_printer (settings, OW_DOCUMENT_ACCEPTANCE));
  g_assert_cmpuint (ow_document_settings_get_copies (settings, OW_DOCUMENT_ACCEPTANCE), ==, 3);
  g_assert_cmpuint (ow_document_settings_get_copies (settings, OW_DOCUMENT_SUPPLEMENT), ==, 2);
  g_assert_cmpuint (ow_document_settings_get_copies (settings, OW_DOCUMENT_RECEIPT_80MM), ==, 1);

  /* The old per-use keys still count where no kind is set. */
  g_settings_set_string (settings, "notice-printer", "Counter-A4");
  g_settings_set_string (settings, "receipt-printer", "ipp://localhost:8631/ipp/print");
  printer = ow_document_settings_dup_printer (settings, OW_DOCUMENT_REFUSAL);
  g_assert_cmpstr (printer, ==, "Counter-A4");
  g_free (printer);
  printer = ow_document_settings_dup_printer (settings, OW_DOCUMENT_RECEIPT_80MM);
  g_assert_cmpstr (printer, ==, "ipp://localhost:8631/ipp/print");
  g_free (printer);

  g_variant_builder_add (builder, "{ss}", "pickup-slip", "Pickup-Window");
  g_settings_set_value (settings, "document-printers", g_variant_builder_end (builder));
  printer = ow_document_settings_dup_printer (settings, OW_DOCUMENT_PICKUP_SLIP);
  g_assert_cmpstr (printer, ==, "Pickup-Window");
  g_free (printer);
  printer = ow_document_settings_dup_printer (settings, OW_DOCUMENT_ACCEPTANCE);
  g_assert_cmpstr (printer, ==, "Counter-A4");

  g_variant_builder_add (copies, "{su}", "acceptance", 2);
  g_variant_builder_add (copies, "{su}", "refusal", 9);
  g_settings_set_value (settings, "document-copies", g_variant_builder_end (copies));
  g_assert_cmpuint (ow_document_settings_get_copies (settings, OW_DOCUMENT_ACCEPTANCE), ==, 2);
  g_assert_cmpuint (ow_document_settings_get_copies (settings, OW_DOCUMENT_REFUSAL), ==, 3);
  /* A kind left out of the dictionary keeps the usual practice. */
  g_assert_cmpuint (ow_document_settings_get_copies (settings, OW_DOCUMENT_TOLERATED), ==, 3);

  ow_document_info_init (&info);
  g_settings_set_boolean (settings, "mask-applicant-copy", FALSE);
  g_settings_set_uint (settings, "mask-id-head", 4);
  ow_document_settings_apply_mask (settings, &info);
  g_assert_false (info.mask_applicant);
  g_assert_cmpuint (info.mask.id_head, ==, 4);
  g_assert_cmpuint (info.mask.id_tail, ==, 4);
  g_assert_cmpuint (info.mask.phone_head, ==, 3);
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
  g_test_add ("/document/tolerated", Fixture, NULL, fixture_set_up, test_tolerated,
              fixture_tear_down);
  g_test_add ("/document/supplement", Fixture, NULL, fixture_set_up, test_supplement,
              fixture_tear_down);
  g_test_add ("/document/refusal", Fixture, NULL, fixture_set_up, test_refusal,
              fixture_tear_down);
  g_test_add ("/document/pickup-slip", Fixture, NULL, fixture_set_up, test_pickup_slip,
              fixture_tear_down);
  g_test_add ("/document/receipt-80mm", Fixture, NULL, fixture_set_up, test_receipt_80mm,
              fixture_tear_down);
  g_test_add ("/document/ticket-receipt", Fixture, NULL, fixture_set_up, test_ticket_receipt,
              fixture_tear_down);
  g_test_add ("/document/guide", Fixture, NULL, fixture_set_up, test_guide, fixture_tear_down);
  g_test_add ("/document/guide-preview", Fixture, NULL, fixture_set_up, test_guide_preview,
              fixture_tear_down);
  g_test_add ("/document/notice-pages", Fixture, NULL, fixture_set_up, test_notice_pages,
              fixture_tear_down);
  g_test_add ("/document/long-notice-seal", Fixture, NULL, fixture_set_up,
              test_long_notice_seal, fixture_tear_down);
  g_test_add ("/document/kept-layouts", Fixture, NULL, fixture_set_up, test_kept_layouts,
              fixture_tear_down);
  g_test_add ("/document/three-copies", Fixture, NULL, fixture_set_up, test_three_copies,
              fixture_tear_down);
  g_test_add ("/document/qr-on-every-case-document", Fixture, NULL, fixture_set_up,
              test_qr_on_every_case_document, fixture_tear_down);
  g_test_add_func ("/document/incomplete", test_incomplete);
  g_test_add ("/document/preview", Fixture, NULL, fixture_set_up, test_preview,
              fixture_tear_down);
  g_test_add_func ("/document/kinds", test_kinds);
  g_test_add_func ("/document/settings", test_settings);
  g_test_add_func ("/document/number", test_document_number);

  return g_test_run ();
}
