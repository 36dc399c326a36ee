/* ow-document.c — official documents rendered to PDF, always in Simplified Chinese
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "core/ow-case-number.h"
#include "ow-document.h"
#include "ow-qr.h"

/* A4 in points, margins after GB/T 9704-2012 (37 mm top, 28 mm left, 26 mm right, 35 mm bottom)
 * slightly narrowed so that a notice with a few items fits one page. */
#define PAGE_WIDTH    595.276
#define PAGE_HEIGHT   841.890
#define MM            (72.0 / 25.4)
#define MARGIN_TOP    (25 * MM)
#define MARGIN_LEFT   (25 * MM)
#define MARGIN_RIGHT  (22 * MM)
#define MARGIN_BOTTOM (22 * MM)
#define TEXT_WIDTH    (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#define QR_SIZE       (32 * MM)
#define SEAL_DIAMETER (42 * MM)
#define FOOT_HEIGHT   (SEAL_DIAMETER + 12 * MM)

#define SERIF "Noto Serif CJK SC"
#define SANS  "Noto Sans CJK SC"

G_DEFINE_QUARK (ow-document-error-quark, ow_document_error)

typedef struct
{
  cairo_t              *cr;
  const OwDocumentInfo *info;
  double                y;
  guint                 page;
} Writer;

/* ------------------------------------------------------------------------------------------ */

void
ow_document_info_init (OwDocumentInfo *info)
{
  g_return_if_fail (info != NULL);

  memset (info, 0, sizeof *info);
  ow_mask_policy_init_default (&info->mask);
  /* Masked unless a caller deliberately prints the archive copy. */
  info->mask_applicant = TRUE;
}

static const char *
kind_abbreviation (OwDocumentKind kind)
{
  switch (kind)
    {
    case OW_DOCUMENT_ACCEPTANCE:
    case OW_DOCUMENT_RECEIPT_80MM:
      return "受";
    case OW_DOCUMENT_TOLERATED:
      return "容受";
    case OW_DOCUMENT_SUPPLEMENT:
      return "补";
    case OW_DOCUMENT_REFUSAL:
      return "不受";
    case OW_DOCUMENT_PICKUP_SLIP:
      return "出";
    case OW_DOCUMENT_TICKET_RECEIPT:
      return "未办";
    default:
      return NULL;
    }
}

char *
ow_document_number (const char     *organ_short,
                    OwDocumentKind  kind,
                    int             year,
                    guint           sequence)
{
  const char *abbreviation = kind_abbreviation (kind);

  g_return_val_if_fail (organ_short != NULL && *organ_short != '\0', NULL);
  g_return_val_if_fail (abbreviation != NULL, NULL);
  g_return_val_if_fail (year >= 1949 && year <= 9999, NULL);
  g_return_val_if_fail (sequence > 0, NULL);

  return g_strdup_printf ("%s%s〔%d〕%u号", organ_short, abbreviation, year, sequence);
}

/* ------------------------------------------------------------------------------------------ */
/* Text */

/* Dates on official documents: Arabic numerals with 年月日, as GB/T 9704-2012 §7.3.5.3 asks. */
static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%u年%u月%u日", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* The day in China for a UTC time; China keeps UTC+8 all year. */
static char *
format_china_day (GDateTime *when)
{
  g_autoptr(GTimeZone) china = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, china);

  return g_strdup_printf ("%d年%d月%d日", g_date_time_get_year (local),
                          g_date_time_get_month (local), g_date_time_get_day_of_month (local));
}

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *family,
             double      size,
             gboolean    bold,
             double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, family);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static void
show_layout (cairo_t     *cr,
             PangoLayout *layout,
             double       x,
             double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void begin_page (Writer *w);

static void
ensure_space (Writer *w,
              double  height)
{
  if (w->y + height <= PAGE_HEIGHT - MARGIN_BOTTOM)
    return;
  cairo_show_page (w->cr);
  begin_page (w);
}

static void
begin_page (Writer *w)
{
  w->page++;
  w->y = MARGIN_TOP;

  if (w->info->copy_label != NULL && *w->info->copy_label != '\0')
    {
      g_autoptr(PangoLayout) layout = make_layout (w->cr, SANS, 9, FALSE, TEXT_WIDTH);

      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      pango_layout_set_text (layout, w->info->copy_label, -1);
      show_layout (w->cr, layout, MARGIN_LEFT, MARGIN_TOP - 12 * MM);
    }
}

/* A paragraph over the full text width; @indent in characters for the first line. */
static void
write_paragraph (Writer         *w,
                 const char     *text,
                 const char     *family,
                 double          size,
                 gboolean        bold,
                 PangoAlignment  alignment,
                 double          indent,
                 double          space_after)
{
  g_autoptr(PangoLayout) layout = make_layout (w->cr, family, size, bold, TEXT_WIDTH);
  double height;

  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_indent (layout, (int) (indent * size * PANGO_SCALE));
  pango_layout_set_spacing (layout, (int) (size * 0.45 * PANGO_SCALE));
  pango_layout_set_text (layout, text, -1);
  height = layout_height (layout);
  ensure_space (w, height);
  show_layout (w->cr, layout, MARGIN_LEFT, w->y);
  w->y += height + space_after;
}

/* A "label：value" row; the value wraps beside the label. Each line of @value is laid out on its
 * own, so that a long list flows onto the next page instead of running off this one. */
static void
write_field (Writer     *w,
             const char *label,
             const char *value)
{
  const double size = 11;
  const double label_width = 6 * size;
  g_auto(GStrv) lines = g_strsplit (value != NULL && *value != '\0' ? value : "—", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(PangoLayout) left = make_layout (w->cr, SANS, size, TRUE, label_width);
      g_autoptr(PangoLayout) right = make_layout (w->cr, SERIF, size, FALSE,
                                                  TEXT_WIDTH - label_width);
      double height;

      pango_layout_set_text (left, i == 0 ? label : "", -1);
      pango_layout_set_spacing (right, (int) (size * 0.3 * PANGO_SCALE));
      pango_layout_set_text (right, lines[i], -1);
      height = MAX (layout_height (left), layout_height (right));
      ensure_space (w, height);
      show_layout (w->cr, left, MARGIN_LEFT, w->y);
      show_layout (w->cr, right, MARGIN_LEFT + label_width, w->y);
      w->y += height + (lines[i + 1] != NULL ? 2 : 4);
    }
}

static void
draw_rule (Writer *w)
{
  cairo_save (w->cr);
  cairo_set_line_width (w->cr, 0.8);
  cairo_set_source_rgb (w->cr, 0.75, 0.1, 0.1);
  cairo_move_to (w->cr, MARGIN_LEFT, w->y);
  cairo_line_to (w->cr, PAGE_WIDTH - MARGIN_RIGHT, w->y);
  cairo_stroke (w->cr);
  cairo_restore (w->cr);
  w->y += 6 * MM;
}

/* ------------------------------------------------------------------------------------------ */
/* The parts of the acceptance notice */

static char *
describe_material (const OwCaseMaterial *material)
{
  g_autoptr(GString) text = g_string_new (material->name);

  switch (material->status)
    {
    case OW_MATERIAL_STATUS_PAPER:
      g_string_append (text, "（纸质");
      if (material->originals > 0)
        g_string_append_printf (text, "，原件%u份", material->originals);
      if (material->copies > 0)
        g_string_append_printf (text, "，复印件%u份", material->copies);
      g_string_append (text, "）");
      break;
    case OW_MATERIAL_STATUS_SCANNED:
      if (material->files != NULL && material->files->len > 0)
        g_string_append_printf (text, "（扫描件%u页）", material->files->len);
      else
        g_string_append (text, "（扫描件）");
      break;
    case OW_MATERIAL_STATUS_SHARED:
      g_string_append (text, "（免提交，部门共享获取）");
      break;
    case OW_MATERIAL_STATUS_LICENCE:
      g_string_append_printf (text, "（电子证照%s%s）",
                              material->licence_no != NULL ? "，编号" : "",
                              material->licence_no != NULL ? material->licence_no : "");
      break;
    case OW_MATERIAL_STATUS_MISSING:
    case OW_MATERIAL_STATUS_TOLERATED:
    default:
      break;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
describe_delivery (OwCase               *kase,
                   const OwDocumentInfo *info)
{
  g_autofree char *phone = NULL;

  if (ow_case_get_delivery (kase) != OW_DELIVERY_POST)
    return g_strdup_printf ("窗口领取（%s统一出件窗口）",
                            info->hall_name != NULL ? info->hall_name : "");

  phone = info->mask_applicant ? ow_mask_phone (&info->mask, ow_case_get_post_phone (kase))
                               : g_strdup (ow_case_get_post_phone (kase));
  return g_strdup_printf ("邮寄送达（收件人：%s，电话：%s，地址：%s）",
                          ow_case_get_post_recipient (kase) ?: "", phone ?: "",
                          ow_case_get_post_address (kase) ?: "");
}

static void
write_person (Writer            *w,
              const char        *role,
              const OwApplicant *person)
{
  const OwDocumentInfo *info = w->info;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *id_label = NULL;
  g_autofree char *phone_label = NULL;

  if (info->mask_applicant)
    {
      name = ow_mask_name (&info->mask, person->name);
      id = ow_mask_id (&info->mask, person->id_number);
      phone = ow_mask_phone (&info->mask, person->phone);
    }
  else
    {
      name = g_strdup (person->name);
      id = g_strdup (person->id_number);
      phone = g_strdup (person->phone);
    }

  write_field (w, role, name);
  id_label = g_strdup (person->kind == OW_APPLICANT_ORGANISATION ? "信用代码：" : "证件号码：");
  write_field (w, id_label, id);
  if (person->kind == OW_APPLICANT_ORGANISATION && person->contact_name != NULL)
    {
      g_autofree char *contact = info->mask_applicant
                                 ? ow_mask_name (&info->mask, person->contact_name)
                                 : g_strdup (person->contact_name);

      write_field (w, "经 办 人：", contact);
    }
  phone_label = g_strdup ("联系电话：");
  write_field (w, phone_label, phone);
}

/* The QR code with its captions at the left, the seal area with organ and date at the right. */
static gboolean
write_foot (Writer     *w,
            OwCase     *kase,
            const char *issued_day,
            GError    **error)
{
  const OwDocumentInfo *info = w->info;
  const char *organ = info->organ_name != NULL ? info->organ_name : info->hall_name;
  g_autofree char *payload = ow_case_qr_payload (ow_case_get_case_no (kase),
                                                 ow_case_get_query_code (kase));
  g_autofree char *canonical = ow_case_number_normalize (ow_case_get_case_no (kase));
  g_autoptr(GString) caption = g_string_new (NULL);
  g_autoptr(PangoLayout) qr_text = NULL;
  g_autoptr(PangoLayout) seal_text = NULL;
  double top, seal_x, seal_cx, seal_cy;

  ensure_space (w, FOOT_HEIGHT);
  top = PAGE_HEIGHT - MARGIN_BOTTOM - FOOT_HEIGHT;
  w->y = MAX (w->y, top);

  if (!ow_qr_draw (w->cr, payload, MARGIN_LEFT - 4, w->y, QR_SIZE, error))
    return FALSE;

  g_string_append_printf (caption, "%s\n扫码查询办理进度、评价服务",
                          canonical != NULL ? canonical : ow_case_get_case_no (kase));
  if (info->query_url != NULL && *info->query_url != '\0')
    g_string_append_printf (caption, "\n%s", info->query_url);
  qr_text = make_layout (w->cr, SANS, 8, FALSE, 60 * MM);
  pango_layout_set_text (qr_text, caption->str, -1);
  show_layout (w->cr, qr_text, MARGIN_LEFT, w->y + QR_SIZE + 1 * MM);

  /* The seal area: a faint dashed circle where the organ's seal goes, over its name and the
   * date, as the notice must be sealed and dated (Administrative Licensing Law art. 32). */
  seal_x = PAGE_WIDTH - MARGIN_RIGHT - SEAL_DIAMETER - 6 * MM;
  seal_cx = seal_x + SEAL_DIAMETER / 2;
  seal_cy = w->y + SEAL_DIAMETER / 2;
  cairo_save (w->cr);
  cairo_set_source_rgb (w->cr, 0.8, 0.5, 0.5);
  cairo_set_line_width (w->cr, 0.6);
  cairo_set_dash (w->cr, (double[]) { 3, 3 }, 2, 0);
  cairo_arc (w->cr, seal_cx, seal_cy, SEAL_DIAMETER / 2, 0, 2 * G_PI);
  cairo_stroke (w->cr);
  cairo_restore (w->cr);

  seal_text = make_layout (w->cr, SERIF, 12, FALSE, SEAL_DIAMETER + 30 * MM);
  pango_layout_set_alignment (seal_text, PANGO_ALIGN_CENTER);
  {
    g_autofree char *text = g_strdup_printf ("（印章）\n\n%s\n%s", organ, issued_day);

    pango_layout_set_text (seal_text, text, -1);
  }
  show_layout (w->cr, seal_text, seal_cx - (SEAL_DIAMETER + 30 * MM) / 2,
               seal_cy - layout_height (seal_text) / 2 + 6 * MM);

  w->y += FOOT_HEIGHT;
  return TRUE;
}

static gboolean
check_acceptance (OwCase                *kase,
                  const OwDocumentInfo  *info,
                  const char            *document_no,
                  GError               **error)
{
  const OwApplicant *applicant = ow_case_get_applicant (kase);
  const char *missing = NULL;

  if (applicant == NULL || applicant->name == NULL || *applicant->name == '\0')
    missing = _("the applicant");
  else if (ow_case_get_items (kase)->len == 0)
    missing = _("the service item");
  else if (!g_date_valid (ow_case_get_promised_date (kase)))
    missing = _("the promised completion date");
  else if (document_no == NULL || *document_no == '\0')
    missing = _("the document number");
  else if (ow_case_get_query_code (kase) == NULL || *ow_case_get_query_code (kase) == '\0')
    missing = _("the query code");
  else if (ow_case_get_received_at (kase) == NULL)
    missing = _("the date the materials were received");
  else if (info->organ_name == NULL && info->hall_name == NULL)
    missing = _("the accepting organ");

  if (missing != NULL)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
                   _("The acceptance notice cannot be printed: the case lacks %s. Complete the "
                     "case first."), missing);
      return FALSE;
    }
  return TRUE;
}

static gboolean
render_acceptance (cairo_t               *cr,
                   OwCase                *kase,
                   const OwDocumentInfo  *info,
                   GError               **error)
{
  const char *document_no = info->document_no != NULL ? info->document_no
                                                      : ow_case_get_document_no (kase);
  const OwApplicant *applicant = ow_case_get_applicant (kase);
  const OwApplicant *agent = ow_case_get_agent (kase);
  GPtrArray *items = ow_case_get_items (kase);
  GPtrArray *materials = ow_case_get_materials (kase);
  g_autoptr(GString) item_names = g_string_new (NULL);
  g_autoptr(GString) item_list = g_string_new (NULL);
  g_autoptr(GString) material_list = g_string_new (NULL);
  g_autofree char *received_day = NULL;
  g_autofree char *promised = NULL;
  g_autofree char *issued_day = NULL;
  g_autofree char *addressee = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body2 = NULL;
  g_autofree char *formatted_no = NULL;
  g_autofree char *delivery = NULL;
  g_autoptr(GDateTime) now = NULL;
  Writer w = { .cr = cr, .info = info };
  guint n_materials = 0;

  if (!check_acceptance (kase, info, document_no, error))
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);

      if (i > 0)
        g_string_append (item_names, "、");
      g_string_append_printf (item_names, "《%s》", item->name);
      if (item_list->len > 0)
        g_string_append_c (item_list, '\n');
      if (items->len > 1)
        g_string_append_printf (item_list, "%u. ", i + 1);
      g_string_append (item_list, item->name);
      if (item->department != NULL && *item->department != '\0')
        g_string_append_printf (item_list, "（%s）", item->department);
    }

  for (guint i = 0; i < materials->len; i++)
    {
      const OwCaseMaterial *material = g_ptr_array_index (materials, i);
      g_autofree char *line = NULL;

      if (!ow_material_status_is_provided (material->status))
        continue;
      line = describe_material (material);
      if (material_list->len > 0)
        g_string_append_c (material_list, '\n');
      g_string_append_printf (material_list, "%u. %s", ++n_materials, line);
    }
  if (n_materials == 0)
    g_string_append (material_list, "无");

  received_day = format_china_day (ow_case_get_received_at (kase));
  promised = format_date (ow_case_get_promised_date (kase));
  now = info->issued != NULL ? g_date_time_ref (info->issued) : g_date_time_new_now_utc ();
  issued_day = format_china_day (now);
  formatted_no = ow_case_number_format (ow_case_get_case_no (kase));
  delivery = describe_delivery (kase, info);

  {
    g_autofree char *name = info->mask_applicant ? ow_mask_name (&info->mask, applicant->name)
                                                 : g_strdup (applicant->name);

    addressee = g_strdup_printf ("%s：", name);
  }

  body = g_strdup_printf ("你（单位）于%s提交的%s申请材料齐全、符合法定形式，根据《中华人民共和国"
                          "行政许可法》第三十二条第一款的规定，决定予以受理。",
                          received_day, item_names->str);
  body2 = g_strdup_printf ("本事项承诺于%s前办结，办理结果%s。可凭办件编号和查询密码或扫描下方"
                           "二维码查询办理进度。", promised,
                           ow_case_get_delivery (kase) == OW_DELIVERY_POST
                           ? "将邮寄送达" : "请到统一出件窗口领取");

  begin_page (&w);

  if (info->hall_name != NULL)
    write_paragraph (&w, info->hall_name, SANS, 12, FALSE, PANGO_ALIGN_CENTER, 0, 3 * MM);
  write_paragraph (&w, "受理通知书", SERIF, 24, TRUE, PANGO_ALIGN_CENTER, 0, 4 * MM);
  write_paragraph (&w, document_no, SERIF, 12, FALSE, PANGO_ALIGN_CENTER, 0, 3 * MM);
  draw_rule (&w);

  write_paragraph (&w, addressee, SERIF, 14, FALSE, PANGO_ALIGN_LEFT, 0, 2 * MM);
  write_paragraph (&w, body, SERIF, 14, FALSE, PANGO_ALIGN_LEFT, 2, 2 * MM);
  write_paragraph (&w, body2, SERIF, 14, FALSE, PANGO_ALIGN_LEFT, 2, 6 * MM);

  write_field (&w, "办件编号：", formatted_no);
  write_field (&w, "查询密码：", ow_case_get_query_code (kase));
  write_person (&w, "申 请 人：", applicant);
  if (agent != NULL)
    write_person (&w, "代 理 人：", agent);
  write_field (&w, "申请事项：", item_list->str);
  write_field (&w, "已收材料：", material_list->str);
  write_field (&w, "承诺办结：", promised);
  write_field (&w, "送达方式：", delivery);
  if (info->clerk_name != NULL || ow_case_get_clerk (kase) != NULL)
    write_field (&w, "受理人员：", info->clerk_name != NULL ? info->clerk_name
                                                          : ow_case_get_clerk (kase));
  w.y += 4 * MM;

  if (!write_foot (&w, kase, issued_day, error))
    return FALSE;

  cairo_show_page (cr);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static const char *
kind_title (OwDocumentKind kind)
{
  switch (kind)
    {
    case OW_DOCUMENT_ACCEPTANCE:
      return "受理通知书";
    case OW_DOCUMENT_TOLERATED:
      return "容缺受理通知书";
    case OW_DOCUMENT_SUPPLEMENT:
      return "补正材料通知书";
    case OW_DOCUMENT_REFUSAL:
      return "不予受理通知书";
    case OW_DOCUMENT_PICKUP_SLIP:
      return "出件签收单";
    case OW_DOCUMENT_TICKET_RECEIPT:
      return "未办成事登记回执";
    case OW_DOCUMENT_RECEIPT_80MM:
      return "受理回执";
    default:
      return NULL;
    }
}

GBytes *
ow_document_render (OwDocumentKind        kind,
                    OwCase               *kase,
                    const OwDocumentInfo *info,
                    GError              **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  OwDocumentInfo defaults;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (OW_IS_CASE (kase), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info == NULL)
    {
      ow_document_info_init (&defaults);
      info = &defaults;
    }

  if (kind != OW_DOCUMENT_ACCEPTANCE)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
                   _("Printing the %s is not yet supported in this version."),
                   kind_title (kind) != NULL ? kind_title (kind) : _("document"));
      return NULL;
    }

  bytes = g_byte_array_new ();
  surface = cairo_pdf_surface_create_for_stream (append_cb, bytes, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, kind_title (kind));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "OneWindow");
  cr = cairo_create (surface);

  ok = render_acceptance (cr, kase, info, error);

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (!ok)
    return NULL;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                   _("The document could not be drawn: %s. Try again; if it keeps failing, "
                     "tell the administrator."), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
