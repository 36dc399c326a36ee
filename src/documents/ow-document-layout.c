/* ow-document-layout.c — the layout shared by every document: pages, text, fields, seal, QR
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "core/ow-case-number.h"
#include "ow-document-private.h"
#include "ow-qr.h"

/* A4 margins after GB/T 9704-2012 (37 mm top, 28 mm left, 26 mm right, 35 mm bottom), slightly
 * narrowed so that a notice with a few items fits one page. */
#define A4_MARGIN_TOP    (25 * OW_MM)
#define A4_MARGIN_LEFT   (25 * OW_MM)
#define A4_MARGIN_RIGHT  (22 * OW_MM)
#define A4_MARGIN_BOTTOM (22 * OW_MM)
/* 80 mm paper, of which receipt printers print about 72 mm. */
#define ROLL_MARGIN      (4 * OW_MM)
#define QR_SIZE          (32 * OW_MM)
#define ROLL_QR_SIZE     (38 * OW_MM)
#define SEAL_DIAMETER    (42 * OW_MM)
#define FOOT_HEIGHT      (SEAL_DIAMETER + 8 * OW_MM)
#define FOOT_OVERHANG    (10 * OW_MM)

void
ow_writer_set_cr (OwWriter *w,
                  cairo_t  *cr)
{
  w->cr = cr;
  w->context = ow_document_fonts_get_context ();
  ow_document_fonts_update_context (cr);
}

void
ow_writer_init_a4 (OwWriter             *w,
                   cairo_t              *cr,
                   const OwDocumentInfo *info)
{
  memset (w, 0, sizeof *w);
  ow_writer_set_cr (w, cr);
  w->info = info;
  w->page_width = OW_A4_WIDTH;
  w->page_height = OW_A4_HEIGHT;
  w->margin_left = A4_MARGIN_LEFT;
  w->margin_top = A4_MARGIN_TOP;
  w->margin_bottom = A4_MARGIN_BOTTOM;
  w->text_width = OW_A4_WIDTH - A4_MARGIN_LEFT - A4_MARGIN_RIGHT;
  w->font_scale = 1.0;
}

void
ow_writer_init_roll (OwWriter             *w,
                     cairo_t              *cr,
                     const OwDocumentInfo *info)
{
  memset (w, 0, sizeof *w);
  ow_writer_set_cr (w, cr);
  w->info = info;
  w->page_width = OW_ROLL_WIDTH;
  w->page_height = 0;
  w->margin_left = ROLL_MARGIN;
  w->margin_top = ROLL_MARGIN;
  w->margin_bottom = ROLL_MARGIN;
  w->text_width = OW_ROLL_WIDTH - 2 * ROLL_MARGIN;
  w->font_scale = 0.8;
}

void
ow_writer_clear (OwWriter *w)
{
  w->context = NULL;
}

PangoLayout *
ow_writer_layout (OwWriter   *w,
                  const char *family,
                  double      size,
                  gboolean    bold,
                  double      width)
{
  PangoLayout *layout;
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();

  layout = pango_layout_new (w->context);

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

/* The layouts of ow_writer_text(), kept from one document to the next under the fonts' lock
 * (ow_document_fonts_acquire): the headings, labels and legal paragraphs of a kind of document
 * are the same in each, and laying them out again was a quarter of drawing a notice. Each
 * remembers the last document that used it, and a document's end drops those that the last
 * KEEP_DOCUMENTS documents did not use (the names, numbers and dates of earlier ones), so that
 * memory stays flat; a counter printing a notice and a receipt in turn keeps both. A layout
 * laid out for another kind of target (the preview's scale) lays itself out again when used:
 * Pango compares its context's serial. */
#define KEEP_DOCUMENTS 4

typedef struct
{
  PangoLayout *layout;
  guint        document;
} KeptLayout;

static GHashTable *kept_layouts;   /* key → KeptLayout */
static guint document_serial;

static void
kept_layout_free (gpointer data)
{
  KeptLayout *kept = data;

  g_object_unref (kept->layout);
  g_free (kept);
}

void
ow_writer_layouts_begin (void)
{
  if (kept_layouts == NULL)
    kept_layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, kept_layout_free);
  document_serial++;
}

static gboolean
unused_lately (gpointer key,
            gpointer value,
            gpointer user_data)
{
  return document_serial - ((KeptLayout *) value)->document >= KEEP_DOCUMENTS;
}

void
ow_writer_layouts_end (void)
{
  g_hash_table_foreach_remove (kept_layouts, unused_lately, NULL);
}

PangoLayout *
ow_writer_text (OwWriter       *w,
                const char     *family,
                double          size,
                gboolean        bold,
                double          width,
                PangoAlignment  alignment,
                double          indent,
                double          spacing,
                const char     *text)
{
  g_autofree char *key = g_strdup_printf ("%s|%.3f|%d|%.3f|%d|%.3f|%.3f|%s", family, size, bold,
                                          width, alignment, indent, spacing, text);
  KeptLayout *kept;

  g_assert (kept_layouts != NULL);
  kept = g_hash_table_lookup (kept_layouts, key);
  if (kept == NULL)
    {
      kept = g_new0 (KeptLayout, 1);
      kept->layout = ow_writer_layout (w, family, size, bold, width);
      pango_layout_set_alignment (kept->layout, alignment);
      pango_layout_set_indent (kept->layout, (int) (indent * size * PANGO_SCALE));
      pango_layout_set_spacing (kept->layout, (int) (spacing * size * PANGO_SCALE));
      pango_layout_set_text (kept->layout, text, -1);
      g_hash_table_insert (kept_layouts, g_steal_pointer (&key), kept);
    }
  kept->document = document_serial;
  return kept->layout;
}

double
ow_layout_height (PangoLayout *layout)
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

void
ow_writer_begin_page (OwWriter *w)
{
  const char *label = w->info->copy_label;

  w->page++;
  w->y = w->margin_top;

  if (label == NULL || *label == '\0')
    return;

  if (w->page_height > 0)
    {
      /* Above the text block, right-aligned, where a copy designation sits on a form. */
      PangoLayout *layout = ow_writer_text (w, OW_SANS, 9, FALSE, w->text_width,
                                            PANGO_ALIGN_RIGHT, 0, 0, label);

      show_layout (w->cr, layout, w->margin_left, w->margin_top - 12 * OW_MM);
    }
  else
    {
      ow_writer_paragraph (w, label, OW_SANS, 8, FALSE, PANGO_ALIGN_RIGHT, 0, 1 * OW_MM);
    }
}

void
ow_writer_ensure_space (OwWriter *w,
                        double    height)
{
  if (w->page_height <= 0 || w->y + height <= w->page_height - w->margin_bottom)
    return;
  ow_writer_end_page (w);
  ow_writer_begin_page (w);
}

void
ow_writer_end_page (OwWriter *w)
{
  if (w->break_page != NULL)
    w->break_page (w);
  else
    cairo_show_page (w->cr);
}

void
ow_writer_paragraph (OwWriter       *w,
                     const char     *text,
                     const char     *family,
                     double          size,
                     gboolean        bold,
                     PangoAlignment  alignment,
                     double          indent,
                     double          space_after)
{
  PangoLayout *layout = ow_writer_text (w, family, size, bold, w->text_width, alignment, indent,
                                        0.4, text);
  double height;

  height = ow_layout_height (layout);
  ow_writer_ensure_space (w, height);
  show_layout (w->cr, layout, w->margin_left, w->y);
  w->y += height + space_after;
}

void
ow_writer_body (OwWriter   *w,
                const char *text)
{
  ow_writer_paragraph (w, text, OW_SERIF, 14 * w->font_scale, FALSE, PANGO_ALIGN_LEFT, 2,
                       2 * OW_MM);
}

/* The layouts of a "label：value" row's line @line (the writer's: the same ones again when the
 * row is drawn after being measured), and the height it takes. */
static double
field_line (OwWriter     *w,
            const char   *label,
            const char   *line,
            PangoLayout **left_out,
            PangoLayout **right_out)
{
  const double size = 10.5 * w->font_scale;
  const double label_width = 6 * size;
  PangoLayout *left = ow_writer_text (w, OW_SANS, size, TRUE, label_width, PANGO_ALIGN_LEFT, 0, 0,
                                      label);
  PangoLayout *right = ow_writer_text (w, OW_SERIF, size, FALSE, w->text_width - label_width,
                                       PANGO_ALIGN_LEFT, 0, 0.3, line);

  if (left_out != NULL)
    *left_out = left;
  if (right_out != NULL)
    *right_out = right;
  return MAX (ow_layout_height (left), ow_layout_height (right));
}

/* A "label：value" row; the value wraps beside the label. Each line of @value is laid out on its
 * own, so that a long list flows onto the next page instead of running off this one. */
void
ow_writer_field (OwWriter   *w,
                 const char *label,
                 const char *value)
{
  const double label_width = 6 * 10.5 * w->font_scale;
  g_auto(GStrv) lines = g_strsplit (value != NULL && *value != '\0' ? value : "—", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      PangoLayout *left = NULL;
      PangoLayout *right = NULL;
      double height = field_line (w, i == 0 ? label : "", lines[i], &left, &right);

      ow_writer_ensure_space (w, height);
      show_layout (w->cr, left, w->margin_left, w->y);
      show_layout (w->cr, right, w->margin_left + label_width, w->y);
      w->y += height + (lines[i + 1] != NULL ? 2 : 4);
    }
}

double
ow_writer_field_height (OwWriter   *w,
                        const char *label,
                        const char *value)
{
  g_auto(GStrv) lines = g_strsplit (value != NULL && *value != '\0' ? value : "—", "\n", -1);
  double height = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    height += field_line (w, i == 0 ? label : "", lines[i], NULL, NULL)
              + (lines[i + 1] != NULL ? 2 : 4);
  return height;
}

void
ow_writer_rule (OwWriter *w)
{
  cairo_save (w->cr);
  cairo_set_line_width (w->cr, 0.8);
  cairo_set_source_rgb (w->cr, 0.75, 0.1, 0.1);
  cairo_move_to (w->cr, w->margin_left, w->y);
  cairo_line_to (w->cr, w->margin_left + w->text_width, w->y);
  cairo_stroke (w->cr);
  cairo_restore (w->cr);
  w->y += (w->page_height > 0 ? 6 : 3) * OW_MM;
}

void
ow_writer_heading (OwWriter   *w,
                   const char *title,
                   const char *document_no)
{
  const double scale = w->page_height > 0 ? 1.0 : 0.6;
  const char *hall = w->info->hall_name;

  if (hall != NULL && *hall != '\0')
    ow_writer_paragraph (w, hall, OW_SANS, 12 * scale, FALSE, PANGO_ALIGN_CENTER, 0,
                         3 * OW_MM * scale);
  ow_writer_paragraph (w, title, OW_SERIF, 24 * scale, TRUE, PANGO_ALIGN_CENTER, 0,
                       4 * OW_MM * scale);
  if (document_no != NULL && *document_no != '\0')
    ow_writer_paragraph (w, document_no, OW_SERIF, 12 * scale, FALSE, PANGO_ALIGN_CENTER, 0,
                         3 * OW_MM * scale);
  ow_writer_rule (w);
}

/* A person on one row — name, identifier, contact — rather than a row each: a notice for an
 * applicant and an agent then keeps its seal on its one sheet. */
void
ow_writer_person (OwWriter          *w,
                  const char        *role,
                  const OwApplicant *person)
{
  g_autofree char *id = ow_document_mask_id (w->info, person->id_number);
  g_autofree char *phone = ow_document_mask_phone (w->info, person->phone);
  g_autoptr(GString) value = g_string_new (person->name != NULL ? person->name : "—");

  g_string_append_printf (value, "　　%s%s",
                          person->kind == OW_APPLICANT_ORGANISATION ? "信用代码：" : "证件号码：",
                          id != NULL ? id : "—");
  if (person->kind == OW_APPLICANT_ORGANISATION && person->contact_name != NULL)
    g_string_append_printf (value, "　　经办人：%s", person->contact_name);
  g_string_append_printf (value, "　　联系电话：%s", phone != NULL ? phone : "—");
  ow_writer_field (w, role, value->str);
}

void
ow_writer_signature (OwWriter   *w,
                     const char *label)
{
  g_autofree char *line = g_strdup_printf ("%s________________________    ______年____月____日",
                                           label);

  ow_writer_paragraph (w, line, OW_SERIF, 12 * w->font_scale, FALSE, PANGO_ALIGN_LEFT, 0,
                       6 * OW_MM * w->font_scale);
}

static void
draw_qr_caption (OwWriter *w,
                 OwCase   *kase,
                 double    x,
                 double    y,
                 double    width,
                 PangoAlignment alignment)
{
  g_autofree char *canonical = ow_case_number_normalize (ow_case_get_case_no (kase));
  g_autoptr(GString) caption = g_string_new (NULL);
  PangoLayout *layout;

  g_string_append_printf (caption, "%s\n扫码查询办理进度、评价服务",
                          canonical != NULL ? canonical : ow_case_get_case_no (kase));
  if (w->info->query_url != NULL && *w->info->query_url != '\0')
    g_string_append_printf (caption, "\n%s", w->info->query_url);
  layout = ow_writer_text (w, OW_SANS, 8, FALSE, width, alignment, 0, 0, caption->str);
  show_layout (w->cr, layout, x, y);
  w->y = MAX (w->y, y + ow_layout_height (layout));
}

gboolean
ow_writer_foot (OwWriter  *w,
                OwCase    *kase,
                GError   **error)
{
  const char *organ = ow_document_organ (w->info);
  g_autofree char *issued_day = ow_document_issued_day (w->info);
  g_autofree char *text = g_strdup_printf ("（印章）\n\n%s\n%s", organ != NULL ? organ : "",
                                           issued_day);
  PangoLayout *seal_text;
  double top, seal_cx, seal_cy;

  /* The foot may reach into the bottom margin rather than sit alone on a page of its own:
   * a seal without the text it seals is worth nothing. */
  ow_writer_ensure_space (w, FOOT_HEIGHT - FOOT_OVERHANG);
  top = w->page_height - w->margin_bottom - FOOT_HEIGHT;
  w->y = MAX (w->y, top);
  top = w->y;

  if (kase != NULL)
    {
      g_autofree char *payload = ow_case_qr_payload (ow_case_get_case_no (kase),
                                                     ow_case_get_query_code (kase));
      cairo_surface_t *image = w->qr_images != NULL ? g_hash_table_lookup (w->qr_images, payload)
                                                    : NULL;

      /* Encoded once for all copies, and so embedded once. */
      if (image == NULL)
        {
          image = ow_qr_image (payload, error);
          if (image == NULL)
            return FALSE;
          if (w->qr_images != NULL)
            g_hash_table_insert (w->qr_images, g_strdup (payload), image);
        }
      ow_qr_paint (w->cr, image, w->margin_left - 4, top, QR_SIZE);
      if (w->qr_images == NULL)
        cairo_surface_destroy (image);
      draw_qr_caption (w, kase, w->margin_left, top + QR_SIZE + 1 * OW_MM, 60 * OW_MM,
                       PANGO_ALIGN_LEFT);
    }

  /* The seal area: a faint dashed circle where the organ's seal goes, over its name and the
   * date, as the document must be sealed and dated (Administrative Licensing Law art. 32). */
  seal_cx = w->margin_left + w->text_width - SEAL_DIAMETER / 2 - 6 * OW_MM;
  seal_cy = top + SEAL_DIAMETER / 2;
  cairo_save (w->cr);
  cairo_set_source_rgb (w->cr, 0.8, 0.5, 0.5);
  cairo_set_line_width (w->cr, 0.6);
  cairo_set_dash (w->cr, (double[]) { 3, 3 }, 2, 0);
  cairo_new_path (w->cr);
  cairo_arc (w->cr, seal_cx, seal_cy, SEAL_DIAMETER / 2, 0, 2 * G_PI);
  cairo_stroke (w->cr);
  cairo_restore (w->cr);

  seal_text = ow_writer_text (w, OW_SERIF, 12, FALSE, SEAL_DIAMETER + 30 * OW_MM,
                              PANGO_ALIGN_CENTER, 0, 0, text);
  show_layout (w->cr, seal_text, seal_cx - (SEAL_DIAMETER + 30 * OW_MM) / 2,
               seal_cy - ow_layout_height (seal_text) / 2 + 6 * OW_MM);

  w->y = top + FOOT_HEIGHT;
  return TRUE;
}

gboolean
ow_writer_tail_and_foot (OwWriter            *w,
                         OwCase              *kase,
                         const OwWriterField *fields,
                         guint                n_fields,
                         GError             **error)
{
  double height = 4 * OW_MM + FOOT_HEIGHT - FOOT_OVERHANG;

  for (guint i = 0; i < n_fields; i++)
    if (fields[i].value != NULL)
      height += ow_writer_field_height (w, fields[i].label, fields[i].value);
  /* The lines and the seal go together: onto the next page if they do not fit here. */
  ow_writer_ensure_space (w, height);
  for (guint i = 0; i < n_fields; i++)
    if (fields[i].value != NULL)
      ow_writer_field (w, fields[i].label, fields[i].value);
  w->y += 4 * OW_MM;
  return ow_writer_foot (w, kase, error);
}

gboolean
ow_writer_roll_qr (OwWriter  *w,
                   OwCase    *kase,
                   GError   **error)
{
  g_autofree char *payload = ow_case_qr_payload (ow_case_get_case_no (kase),
                                                 ow_case_get_query_code (kase));
  double x = w->margin_left + (w->text_width - ROLL_QR_SIZE) / 2;

  w->y += 2 * OW_MM;
  if (!ow_qr_draw (w->cr, payload, x, w->y, ROLL_QR_SIZE, error))
    return FALSE;
  w->y += ROLL_QR_SIZE;
  draw_qr_caption (w, kase, w->margin_left, w->y, w->text_width, PANGO_ALIGN_CENTER);
  w->y += 2 * OW_MM;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Text */

/* Dates on official documents: Arabic numerals with 年月日, as GB/T 9704-2012 §7.3.5.3 asks. */
char *
ow_document_format_date (const GDate *date)
{
  return g_strdup_printf ("%u年%u月%u日", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* The day in China for a UTC time; China keeps UTC+8 all year. */
char *
ow_document_format_china_day (GDateTime *when)
{
  g_autoptr(GTimeZone) china = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, china);

  return g_strdup_printf ("%d年%d月%d日", g_date_time_get_year (local),
                          g_date_time_get_month (local), g_date_time_get_day_of_month (local));
}

char *
ow_document_issued_day (const OwDocumentInfo *info)
{
  g_autoptr(GDateTime) now = info->issued != NULL ? g_date_time_ref (info->issued)
                                                  : g_date_time_new_now_utc ();

  return ow_document_format_china_day (now);
}

const char *
ow_document_organ (const OwDocumentInfo *info)
{
  return info->organ_name != NULL ? info->organ_name : info->hall_name;
}

char *
ow_document_mask_id (const OwDocumentInfo *info,
                     const char           *id)
{
  return info->mask_applicant ? ow_mask_id (&info->mask, id) : g_strdup (id);
}

char *
ow_document_mask_phone (const OwDocumentInfo *info,
                        const char           *phone)
{
  return info->mask_applicant ? ow_mask_phone (&info->mask, phone) : g_strdup (phone);
}

char *
ow_document_describe_material (const OwCaseMaterial *material)
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

char *
ow_document_describe_delivery (OwCase               *kase,
                               const OwDocumentInfo *info)
{
  g_autofree char *phone = NULL;

  if (ow_case_get_delivery (kase) != OW_DELIVERY_POST)
    return g_strdup_printf ("窗口领取（%s统一出件窗口）",
                            info->hall_name != NULL ? info->hall_name : "");

  phone = ow_document_mask_phone (info, ow_case_get_post_phone (kase));
  return g_strdup_printf ("邮寄送达（收件人：%s，电话：%s，地址：%s）",
                          ow_case_get_post_recipient (kase) ?: "", phone ?: "",
                          ow_case_get_post_address (kase) ?: "");
}

char *
ow_document_item_names (OwCase *kase)
{
  GPtrArray *items = ow_case_get_items (kase);
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);

      if (i > 0)
        g_string_append (names, "、");
      g_string_append_printf (names, "《%s》", item->name);
    }
  return g_string_free (names, FALSE);
}

char *
ow_document_item_list (OwCase *kase)
{
  GPtrArray *items = ow_case_get_items (kase);
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);

      if (list->len > 0)
        g_string_append_c (list, '\n');
      if (items->len > 1)
        g_string_append_printf (list, "%u. ", i + 1);
      g_string_append (list, item->name);
      if (item->department != NULL && *item->department != '\0')
        g_string_append_printf (list, "（%s）", item->department);
    }
  return g_string_free (list, FALSE);
}

const char *
ow_document_number_of (OwCase               *kase,
                       const OwDocumentInfo *info)
{
  return info->document_no != NULL ? info->document_no : ow_case_get_document_no (kase);
}

gboolean
ow_document_fail_incomplete (OwDocumentKind   kind,
                             const char      *missing,
                             GError         **error)
{
  /* The title stays Chinese in every language: it is the document's name. */
  g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
               _("The %s cannot be printed because the case lacks %s. Complete the case, then "
                 "print again."), ow_document_kind_get_title (kind), missing);
  return FALSE;
}

gboolean
ow_document_check_case (OwDocumentKind         kind,
                        OwCase                *kase,
                        const OwDocumentInfo  *info,
                        gboolean               needs_promised,
                        GError               **error)
{
  const OwApplicant *applicant = ow_case_get_applicant (kase);
  const char *document_no = ow_document_number_of (kase, info);
  const char *missing = NULL;

  if (applicant == NULL || applicant->name == NULL || *applicant->name == '\0')
    missing = _("the applicant");
  else if (ow_case_get_items (kase)->len == 0)
    missing = _("the service item");
  else if (needs_promised && !g_date_valid (ow_case_get_promised_date (kase)))
    missing = _("the promised completion date");
  else if (document_no == NULL || *document_no == '\0')
    missing = _("the document number");
  else if (ow_case_get_query_code (kase) == NULL || *ow_case_get_query_code (kase) == '\0')
    missing = _("the query code");
  else if (ow_case_get_received_at (kase) == NULL)
    missing = _("the date the materials were received");
  else if (ow_document_organ (info) == NULL)
    missing = _("the accepting organ");

  if (missing != NULL)
    return ow_document_fail_incomplete (kind, missing, error);
  return TRUE;
}
