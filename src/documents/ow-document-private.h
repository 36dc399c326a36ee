/* ow-document-private.h — the layout shared by every document (internal)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "ow-document.h"
#include "ow-document-fonts.h"

G_BEGIN_DECLS

#define OW_MM          (72.0 / 25.4)
#define OW_A4_WIDTH    595.276
#define OW_A4_HEIGHT   841.890
#define OW_ROLL_WIDTH  (80 * OW_MM)

/* The prepared cuts first, the full system faces for what they lack (ow-document-fonts.c). */
#define OW_SERIF OW_DOCUMENT_SERIF_FAMILY ",Noto Serif CJK SC"
#define OW_SANS  OW_DOCUMENT_SANS_FAMILY ",Noto Sans CJK SC"

/* Where the next line goes on which page. A4 pages break when full; a receipt roll never does,
 * and its height is whatever y ends at. */
typedef struct _OwWriter
{
  cairo_t              *cr;
  const OwDocumentInfo *info;
  double                page_width;
  double                page_height;   /* 0 on a roll */
  double                margin_left;
  double                margin_top;
  double                margin_bottom;
  double                text_width;
  double                font_scale;    /* 1 on A4; smaller on the roll */
  double                y;
  guint                 page;
  PangoContext         *context;       /* the documents' one (ow_document_fonts_get_context) */
  GHashTable           *qr_images;     /* the document's QR codes: payload → cairo_surface_t */
  /* Ends the page and gives w->cr for the next; NULL: cairo_show_page() on the same cr. */
  void                (*break_page) (struct _OwWriter *w);
  gpointer              target;
} OwWriter;

void         ow_writer_init_a4        (OwWriter             *w,
                                       cairo_t              *cr,
                                       const OwDocumentInfo *info);
void         ow_writer_init_roll      (OwWriter             *w,
                                       cairo_t              *cr,
                                       const OwDocumentInfo *info);
/* Frees what the writer made; the cairo context stays the caller's. */
void         ow_writer_clear          (OwWriter             *w);
/* Points the writer at another cairo context (a new page). */
void         ow_writer_set_cr         (OwWriter             *w,
                                       cairo_t              *cr);
PangoLayout *ow_writer_layout         (OwWriter             *w,
                                       const char           *family,
                                       double                size,
                                       gboolean              bold,
                                       double                width);
/* @text laid out as ow_writer_layout() would, with @alignment, a first-line indent of @indent
 * times @size and line spacing of @spacing times @size; the same layout again for the same
 * arguments, within a document (its second and third copies, a roll's real pass after the
 * measuring one) and in the documents after it. Kept by the writer: do not change it. Only
 * between ow_writer_layouts_begin() and ow_writer_layouts_end(), under the fonts' lock. */
void         ow_writer_layouts_begin  (void);
void         ow_writer_layouts_end    (void);
PangoLayout *ow_writer_text           (OwWriter             *w,
                                       const char           *family,
                                       double                size,
                                       gboolean              bold,
                                       double                width,
                                       PangoAlignment        alignment,
                                       double                indent,
                                       double                spacing,
                                       const char           *text);
double       ow_layout_height         (PangoLayout          *layout);
void         ow_writer_begin_page     (OwWriter             *w);
/* A page break inside a document: the next page starts with ow_writer_begin_page(). */
void         ow_writer_end_page       (OwWriter             *w);
void         ow_writer_ensure_space   (OwWriter             *w,
                                       double                height);
void         ow_writer_paragraph      (OwWriter             *w,
                                       const char           *text,
                                       const char           *family,
                                       double                size,
                                       gboolean              bold,
                                       PangoAlignment        alignment,
                                       double                indent,
                                       double                space_after);
/* Body text of a notice: 14 pt serif, first line indented two characters. */
void         ow_writer_body           (OwWriter             *w,
                                       const char           *text);
void         ow_writer_field          (OwWriter             *w,
                                       const char           *label,
                                       const char           *value);
/* The height ow_writer_field() would take, drawing nothing. */
double       ow_writer_field_height   (OwWriter             *w,
                                       const char           *label,
                                       const char           *value);
void         ow_writer_rule           (OwWriter             *w);
/* Hall name, title, document number (when not NULL) and the red rule under them. */
void         ow_writer_heading        (OwWriter             *w,
                                       const char           *title,
                                       const char           *document_no);
void         ow_writer_person         (OwWriter             *w,
                                       const char           *role,
                                       const OwApplicant    *person);
/* "label：____________    年  月  日", a line to sign on. */
void         ow_writer_signature      (OwWriter             *w,
                                       const char           *label);
/* A "label：value" row for ow_writer_tail_and_foot(); a NULL value is left out. */
typedef struct
{
  const char *label;
  const char *value;
} OwWriterField;

/* The QR code of @kase at the left and the seal area with organ and date at the right, at the
 * foot of the page. @kase NULL: the seal area only. */
gboolean     ow_writer_foot           (OwWriter             *w,
                                       OwCase               *kase,
                                       GError              **error);
/* The last rows of a notice, then its foot, kept together on one page: where the text runs
 * over, the seal and QR code follow it onto the next page with these rows, never alone. */
gboolean     ow_writer_tail_and_foot  (OwWriter             *w,
                                       OwCase               *kase,
                                       const OwWriterField  *fields,
                                       guint                 n_fields,
                                       GError              **error);
/* On a roll: the QR code centred, big enough for a phone. */
gboolean     ow_writer_roll_qr        (OwWriter             *w,
                                       OwCase               *kase,
                                       GError              **error);

/* Text helpers */
char        *ow_document_format_date      (const GDate          *date);
char        *ow_document_format_china_day (GDateTime            *when);
char        *ow_document_issued_day       (const OwDocumentInfo *info);
const char  *ow_document_organ            (const OwDocumentInfo *info);
char        *ow_document_mask_id          (const OwDocumentInfo *info,
                                           const char           *id);
char        *ow_document_mask_phone       (const OwDocumentInfo *info,
                                           const char           *phone);
char        *ow_document_describe_material (const OwCaseMaterial *material);
char        *ow_document_describe_delivery (OwCase               *kase,
                                            const OwDocumentInfo *info);
/* "《甲》、《乙》" and the numbered list of items with their departments. */
char        *ow_document_item_names       (OwCase               *kase);
char        *ow_document_item_list        (OwCase               *kase);
const char  *ow_document_number_of        (OwCase               *kase,
                                           const OwDocumentInfo *info);
/* Checks what every case document states; @what_for names the document in the message. */
gboolean     ow_document_check_case       (OwDocumentKind        kind,
                                           OwCase               *kase,
                                           const OwDocumentInfo *info,
                                           gboolean              needs_promised,
                                           GError              **error);
gboolean     ow_document_fail_incomplete  (OwDocumentKind        kind,
                                           const char           *missing,
                                           GError              **error);

/* The documents, each drawing its body between ow_writer_begin_page() and the page's end. */
gboolean     ow_document_draw_acceptance  (OwWriter *w, OwCase *kase, GError **error);
gboolean     ow_document_draw_tolerated   (OwWriter *w, OwCase *kase, GError **error);
gboolean     ow_document_draw_supplement  (OwWriter *w, OwCase *kase, GError **error);
gboolean     ow_document_draw_refusal     (OwWriter *w, OwCase *kase, GError **error);
gboolean     ow_document_draw_pickup_slip (OwWriter *w, OwCase *kase, GError **error);
gboolean     ow_document_draw_receipt     (OwWriter *w, OwCase *kase, GError **error);
gboolean     ow_document_draw_ticket      (OwWriter *w, const OwDocumentTicket *ticket,
                                           GError **error);
gboolean     ow_document_draw_guide       (OwWriter *w, OwItem *item, GError **error);

typedef gboolean (*OwDocumentDrawFunc) (OwWriter *w,
                                        gpointer  data,
                                        GError  **error);

/* Runs @draw once per copy into one PDF; the roll when @roll. */
GBytes      *ow_document_render_pages     (const char           *title,
                                           gboolean              roll,
                                           const OwDocumentInfo *info,
                                           guint                 n_copies,
                                           OwDocumentDrawFunc    draw,
                                           gpointer              data,
                                           GError              **error);
/* The same pages as PNG images at @dpi, for the preview: a GPtrArray of GBytes. */
GPtrArray   *ow_document_render_images    (gboolean              roll,
                                           const OwDocumentInfo *info,
                                           guint                 n_copies,
                                           double                dpi,
                                           OwDocumentDrawFunc    draw,
                                           gpointer              data,
                                           GError              **error);

G_END_DECLS
