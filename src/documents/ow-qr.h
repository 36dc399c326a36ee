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

/* Draws the symbol for @payload, quiet zone of four modules included, into the square of @size
 * points at @x, @y: white background, black modules. */
gboolean ow_qr_draw        (cairo_t     *cr,
                            const char  *payload,
                            double       x,
                            double       y,
                            double       size,
                            GError     **error);

G_END_DECLS
