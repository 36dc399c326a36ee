/* ow-qr.h — QR codes drawn as a one-pixel-per-module image, for the documents (internal)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* The modules per side of the QR symbol for @payload (without the quiet zone), or 0 with
 * OW_DOCUMENT_ERROR_RENDER set. */
guint    ow_qr_get_modules (const char  *payload,
                            GError     **error);

/* The symbol for @payload, quiet zone of four modules included, one pixel per module: white
 * background, black modules. NULL with OW_DOCUMENT_ERROR_RENDER set. */
cairo_surface_t *ow_qr_image (const char  *payload,
                              GError     **error);
/* Paints @image (from ow_qr_image) into the square of @size points at @x, @y. Painting the same
 * image on every copy of a document puts it into the PDF once. */
void             ow_qr_paint (cairo_t         *cr,
                              cairo_surface_t *image,
                              double           x,
                              double           y,
                              double           size);
/* Both at once. */
gboolean ow_qr_draw        (cairo_t     *cr,
                            const char  *payload,
                            double       x,
                            double       y,
                            double       size,
                            GError     **error);

G_END_DECLS
