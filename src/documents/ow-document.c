/* ow-document.c — official documents rendered to PDF: kinds, numbers, copies, the PDF itself
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <math.h>

#include <cairo-pdf.h>

#include "ow-document-private.h"

G_DEFINE_QUARK (ow-document-error-quark, ow_document_error)

static const struct
{
  const char *name;
  const char *title;
  const char *abbreviation;   /* in the document number */
} kinds[] = {
  [OW_DOCUMENT_ACCEPTANCE] = { "acceptance", "受理通知书", "受" },
  [OW_DOCUMENT_TOLERATED] = { "tolerated", "容缺受理通知书", "容受" },
  [OW_DOCUMENT_SUPPLEMENT] = { "supplement", "补正材料通知书", "补" },
  [OW_DOCUMENT_REFUSAL] = { "refusal", "不予受理通知书", "不受" },
  [OW_DOCUMENT_PICKUP_SLIP] = { "pickup-slip", "出件签收单", "出" },
  [OW_DOCUMENT_TICKET_RECEIPT] = { "ticket-receipt", "未办成事登记回执", "未办" },
  /* The receipt repeats the acceptance notice's number: it is the same decision. */
  [OW_DOCUMENT_RECEIPT_80MM] = { "receipt-80mm", "受理回执", "受" },
  [OW_DOCUMENT_GUIDE] = { "guide", "一次性告知书", "告" },
  [OW_DOCUMENT_MAIL_LIST] = { "mail-list", "邮件交接清单", "寄" },
};

static gboolean
is_kind (OwDocumentKind kind)
{
  return kind >= OW_DOCUMENT_ACCEPTANCE && kind <= OW_DOCUMENT_N_KINDS;
}

const char *
ow_document_kind_to_string (OwDocumentKind kind)
{
  return is_kind (kind) ? kinds[kind].name : NULL;
}

gboolean
ow_document_kind_from_string (const char     *text,
                              OwDocumentKind *kind)
{
  for (OwDocumentKind k = OW_DOCUMENT_ACCEPTANCE; text != NULL && k <= OW_DOCUMENT_N_KINDS; k++)
    if (g_str_equal (kinds[k].name, text))
      {
        if (kind != NULL)
          *kind = k;
        return TRUE;
      }
  return FALSE;
}

const char *
ow_document_kind_get_title (OwDocumentKind kind)
{
  return is_kind (kind) ? kinds[kind].title : NULL;
}

void
ow_document_info_init (OwDocumentInfo *info)
{
  g_return_if_fail (info != NULL);

  memset (info, 0, sizeof *info);
  ow_mask_policy_init_default (&info->mask);
  /* Masked unless a caller deliberately prints the archive copy. */
  info->mask_applicant = TRUE;
  /* Under the Administrative Review Law (2023) review of a city department's act lies with the
   * city's people's government; a hall elsewhere sets its own. */
  info->review_organ = "海口市人民政府";
  info->court = "有管辖权的人民法院";
}

void
ow_document_ticket_init (OwDocumentTicket *ticket)
{
  g_return_if_fail (ticket != NULL);

  memset (ticket, 0, sizeof *ticket);
  ticket->tier = OW_TICKET_TIER_ON_THE_SPOT;
  g_date_clear (&ticket->due_date, 1);
}

char *
ow_document_number (const char     *organ_short,
                    OwDocumentKind  kind,
                    int             year,
                    guint           sequence)
{
  g_return_val_if_fail (organ_short != NULL && *organ_short != '\0', NULL);
  g_return_val_if_fail (is_kind (kind), NULL);
  g_return_val_if_fail (year >= 1949 && year <= 9999, NULL);
  g_return_val_if_fail (sequence > 0, NULL);

  return g_strdup_printf ("%s%s〔%d〕%u号", organ_short, kinds[kind].abbreviation, year,
                          sequence);
}

const char *
ow_document_copy_label (guint index,
                        guint n_copies)
{
  static const char * const two[] = { "第一联（申请人留存）", "第二联（存档）" };
  static const char * const three[] = { "第一联（申请人留存）", "第二联（部门留存）",
                                        "第三联（存档）" };

  g_return_val_if_fail (index < n_copies, NULL);

  switch (n_copies)
    {
    case 2:
      return two[index];
    case 3:
      return three[index];
    default:
      return NULL;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The PDF */

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Where the pages go: one PDF, or one PNG image per page for the preview. */
typedef struct
{
  GHashTable      *qr_images;  /* shared by the copies: payload → image */
  cairo_surface_t *pdf;
  double           scale;      /* image pixels per point */
  GPtrArray       *images;
  cairo_surface_t *image;
  cairo_t         *cr;
  double           width;
  double           height;
} Target;

static cairo_t *
target_begin (Target *target,
              double  width,
              double  height)
{
  target->width = width;
  target->height = height;
  if (target->pdf != NULL)
    {
      cairo_pdf_surface_set_size (target->pdf, width, height);
      target->cr = cairo_create (target->pdf);
      return target->cr;
    }

  target->image = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                              (int) ceil (width * target->scale),
                                              (int) ceil (height * target->scale));
  target->cr = cairo_create (target->image);
  cairo_set_source_rgb (target->cr, 1, 1, 1);
  cairo_paint (target->cr);
  cairo_set_source_rgb (target->cr, 0, 0, 0);
  cairo_scale (target->cr, target->scale, target->scale);
  return target->cr;
}

static void
target_end (Target *target)
{
  if (target->pdf != NULL)
    {
      cairo_show_page (target->cr);
    }
  else
    {
      GByteArray *png = g_byte_array_new ();

      cairo_surface_flush (target->image);
      cairo_surface_write_to_png_stream (target->image, append_cb, png);
      g_ptr_array_add (target->images, g_byte_array_free_to_bytes (png));
      g_clear_pointer (&target->image, cairo_surface_destroy);
    }
  g_clear_pointer (&target->cr, cairo_destroy);
}

/* A page break inside a copy: the same size again. */
static void
break_page_cb (OwWriter *w)
{
  Target *target = w->target;

  target_end (target);
  ow_writer_set_cr (w, target_begin (target, target->width, target->height));
}

/* A roll is drawn twice: once on a recording surface to learn how long it is, then on a page of
 * exactly that height, so that the printer cuts right after the content. (Replaying the
 * recording onto the PDF would turn the text into a pattern that text extraction cannot read.) */
static gboolean
draw_copy (Target               *target,
           gboolean              roll,
           const OwDocumentInfo *info,
           OwDocumentDrawFunc    draw,
           gpointer              data,
           GError              **error)
{
  double height = OW_A4_HEIGHT;
  OwWriter w;
  gboolean ok;

  if (roll)
    {
      cairo_surface_t *recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA,
                                                                   NULL);
      cairo_t *cr = cairo_create (recording);

      ow_writer_init_roll (&w, cr, info);
      ow_writer_begin_page (&w);
      ok = draw (&w, data, error);
      ow_writer_clear (&w);
      cairo_destroy (cr);
      cairo_surface_destroy (recording);
      if (!ok)
        return FALSE;
      height = w.y + w.margin_bottom;
    }

  if (roll)
    ow_writer_init_roll (&w, target_begin (target, OW_ROLL_WIDTH, height), info);
  else
    ow_writer_init_a4 (&w, target_begin (target, OW_A4_WIDTH, height), info);
  w.break_page = break_page_cb;
  w.target = target;
  w.qr_images = target->qr_images;
  ow_writer_begin_page (&w);
  ok = draw (&w, data, error);
  ow_writer_clear (&w);
  target_end (target);
  return ok;
}

static gboolean
draw_copies (Target               *target,
             gboolean              roll,
             const OwDocumentInfo *info,
             guint                 n_copies,
             OwDocumentDrawFunc    draw,
             gpointer              data,
             GError              **error)
{
  for (guint i = 0; i < n_copies; i++)
    {
      OwDocumentInfo copy = *info;

      if (n_copies > 1)
        {
          copy.copy_label = ow_document_copy_label (i, n_copies);
          /* The department and the archive keep the full record. */
          copy.mask_applicant = i == 0 && info->mask_applicant;
        }
      if (!draw_copy (target, roll, &copy, draw, data, error))
        return FALSE;
    }
  return TRUE;
}

GBytes *
ow_document_render_pages (const char           *title,
                          gboolean              roll,
                          const OwDocumentInfo *info,
                          guint                 n_copies,
                          OwDocumentDrawFunc    draw,
                          gpointer              data,
                          GError              **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  Target target = { 0 };
  cairo_status_t status;
  gboolean ok;

  target.pdf = cairo_pdf_surface_create_for_stream (append_cb, bytes,
                                                    roll ? OW_ROLL_WIDTH : OW_A4_WIDTH,
                                                    roll ? 100 * OW_MM : OW_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (target.pdf, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (target.pdf, CAIRO_PDF_METADATA_CREATOR, "OneWindow");

  /* Finishing the surface embeds the fonts: still under the lock of the font map. */
  ow_document_fonts_acquire ();
  ow_writer_layouts_begin ();
  target.qr_images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) cairo_surface_destroy);
  ok = draw_copies (&target, roll, info, n_copies, draw, data, error);
  cairo_surface_finish (target.pdf);
  g_hash_table_unref (target.qr_images);
  ow_writer_layouts_end ();
  ow_document_fonts_release ();
  status = cairo_surface_status (target.pdf);
  cairo_surface_destroy (target.pdf);

  if (!ok)
    return NULL;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                   _("The document could not be drawn (%s). Try again; if it keeps failing, "
                     "tell the administrator."), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

GPtrArray *
ow_document_render_images (gboolean              roll,
                           const OwDocumentInfo *info,
                           guint                 n_copies,
                           double                dpi,
                           OwDocumentDrawFunc    draw,
                           gpointer              data,
                           GError              **error)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  Target target = { 0 };

  gboolean ok;

  target.scale = dpi / 72.0;
  target.images = images;
  ow_document_fonts_acquire ();
  ow_writer_layouts_begin ();
  ok = draw_copies (&target, roll, info, n_copies, draw, data, error);
  ow_writer_layouts_end ();
  ow_document_fonts_release ();
  if (!ok)
    return NULL;
  return g_steal_pointer (&images);
}

/* ------------------------------------------------------------------------------------------ */

typedef gboolean (*CaseDrawFunc) (OwWriter *w, OwCase *kase, GError **error);

static CaseDrawFunc
case_draw_func (OwDocumentKind kind)
{
  switch (kind)
    {
    case OW_DOCUMENT_ACCEPTANCE:
      return ow_document_draw_acceptance;
    case OW_DOCUMENT_TOLERATED:
      return ow_document_draw_tolerated;
    case OW_DOCUMENT_SUPPLEMENT:
      return ow_document_draw_supplement;
    case OW_DOCUMENT_REFUSAL:
      return ow_document_draw_refusal;
    case OW_DOCUMENT_PICKUP_SLIP:
      return ow_document_draw_pickup_slip;
    case OW_DOCUMENT_RECEIPT_80MM:
      return ow_document_draw_receipt;
    case OW_DOCUMENT_TICKET_RECEIPT:
    case OW_DOCUMENT_GUIDE:
    case OW_DOCUMENT_MAIL_LIST:
    default:
      return NULL;
    }
}

GBytes *
ow_document_render_copies (OwDocumentKind        kind,
                           OwCase               *kase,
                           const OwDocumentInfo *info,
                           guint                 n_copies,
                           GError              **error)
{
  OwDocumentInfo defaults;
  CaseDrawFunc draw = case_draw_func (kind);

  g_return_val_if_fail (OW_IS_CASE (kase), NULL);
  g_return_val_if_fail (n_copies >= 1 && n_copies <= 3, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info == NULL)
    {
      ow_document_info_init (&defaults);
      info = &defaults;
    }

  if (draw == NULL)
    {
      /* Tickets and guides are not drawn from a case: a programming error, but the clerk still
       * deserves a sentence rather than a crash. */
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
                   _("This kind of document is not printed from a case. Print it from the "
                     "ticket or the service item instead."));
      return NULL;
    }

  return ow_document_render_pages (kinds[kind].title, kind == OW_DOCUMENT_RECEIPT_80MM, info,
                                   n_copies, (OwDocumentDrawFunc) draw, kase, error);
}

GPtrArray *
ow_document_render_preview (OwDocumentKind        kind,
                            OwCase               *kase,
                            const OwDocumentInfo *info,
                            guint                 n_copies,
                            double                dpi,
                            GError              **error)
{
  OwDocumentInfo defaults;
  CaseDrawFunc draw = case_draw_func (kind);

  g_return_val_if_fail (OW_IS_CASE (kase), NULL);
  g_return_val_if_fail (n_copies >= 1 && n_copies <= 3, NULL);
  g_return_val_if_fail (dpi >= 10 && dpi <= 600, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info == NULL)
    {
      ow_document_info_init (&defaults);
      info = &defaults;
    }
  if (draw == NULL)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
                   _("This kind of document is not printed from a case. Print it from the "
                     "ticket or the service item instead."));
      return NULL;
    }

  return ow_document_render_images (kind == OW_DOCUMENT_RECEIPT_80MM, info, n_copies, dpi,
                                    (OwDocumentDrawFunc) draw, kase, error);
}

GBytes *
ow_document_render (OwDocumentKind        kind,
                    OwCase               *kase,
                    const OwDocumentInfo *info,
                    GError              **error)
{
  return ow_document_render_copies (kind, kase, info, 1, error);
}

/* A guide concerns no one in particular: nothing to mask, no copy to designate. */
static void
init_guide_info (OwDocumentInfo       *guide,
                 const OwDocumentInfo *info)
{
  if (info != NULL)
    *guide = *info;
  else
    ow_document_info_init (guide);
  guide->copy_label = NULL;
}

GBytes *
ow_document_render_guide (OwItem               *item,
                          const OwDocumentInfo *info,
                          GError              **error)
{
  OwDocumentInfo guide;

  g_return_val_if_fail (OW_IS_ITEM (item), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  init_guide_info (&guide, info);
  return ow_document_render_pages (kinds[OW_DOCUMENT_GUIDE].title, FALSE, &guide, 1,
                                   (OwDocumentDrawFunc) ow_document_draw_guide, item, error);
}

GPtrArray *
ow_document_render_guide_preview (OwItem               *item,
                                  const OwDocumentInfo *info,
                                  double                dpi,
                                  GError              **error)
{
  OwDocumentInfo guide;

  g_return_val_if_fail (OW_IS_ITEM (item), NULL);
  g_return_val_if_fail (dpi >= 10 && dpi <= 600, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  init_guide_info (&guide, info);
  return ow_document_render_images (FALSE, &guide, 1, dpi,
                                    (OwDocumentDrawFunc) ow_document_draw_guide, item, error);
}

GBytes *
ow_document_render_ticket (const OwDocumentTicket *ticket,
                           const OwDocumentInfo   *info,
                           guint                   n_copies,
                           GError                **error)
{
  OwDocumentInfo defaults;

  g_return_val_if_fail (ticket != NULL, NULL);
  g_return_val_if_fail (n_copies >= 1 && n_copies <= 3, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info == NULL)
    {
      ow_document_info_init (&defaults);
      info = &defaults;
    }

  return ow_document_render_pages (kinds[OW_DOCUMENT_TICKET_RECEIPT].title, FALSE, info,
                                   n_copies, (OwDocumentDrawFunc) ow_document_draw_ticket,
                                   (gpointer) ticket, error);
}
