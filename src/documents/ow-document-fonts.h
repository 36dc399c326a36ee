/* ow-document-fonts.h — the fonts every document is set in, prepared once (internal)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

G_BEGIN_DECLS

/* The family lists of the documents: the prepared subset first, the system's face for any
 * character outside it. */
#define OW_DOCUMENT_SERIF_FAMILY  "OneWindow Serif"
#define OW_DOCUMENT_SANS_FAMILY   "OneWindow Sans"
/* Official documents are Chinese whatever the interface language: shaped as such. */
#define OW_DOCUMENT_LANGUAGE      "zh-cn"

/* Takes the documents' lock and returns the font map that every document is laid out with:
 * one for the process, kept for its life, so that fonts, fontsets and glyph metrics are loaded
 * once and not again for each document (and in each worker thread, whose default Pango font
 * map is a new one). Pango's font maps are not thread-safe: hold the lock while drawing, then
 * call ow_document_fonts_release(). The first call prepares the subset fonts (a second or so
 * the first time on a machine; then read from the user's cache). */
PangoFontMap *ow_document_fonts_acquire (void);
void          ow_document_fonts_release (void);

/* The map while the lock is held. */
PangoFontMap *ow_document_fonts_get_map (void);

/* The one Pango context of the documents, while the lock is held: Chinese, unhinted metrics (so
 * that the preview on an image surface breaks lines and pages exactly where the PDF does). Kept,
 * like the layouts laid out with it, across documents; bring it up to date for each cairo
 * context drawn on with ow_document_fonts_update_context(). */
PangoContext *ow_document_fonts_get_context (void);
/* pango_cairo_update_context() of the context for @cr, only when @cr's kind of target or scale
 * differs from the last: so that the layouts kept across pages and documents stay laid out. */
void          ow_document_fonts_update_context (cairo_t *cr);

G_END_DECLS
