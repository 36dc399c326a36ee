/* ow-qr.c — QR codes drawn as a one-pixel-per-module image, for the documents
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <qrencode.h>

#include "ow-document.h"
#include "ow-qr.h"

/* ISO/IEC 18004 asks for four modules of light margin around the symbol. */
#define QUIET_ZONE 4

static QRcode *
encode (const char  *payload,
        GError     **error)
{
  QRcode *code;

  g_return_val_if_fail (payload != NULL, NULL);

  /* Level M survives a crease or a smudge on a receipt; 8-bit mode keeps the text exact. */
  code = QRcode_encodeString8bit (payload, 0, QR_ECLEVEL_M);
  if (code == NULL)
    g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                 _("The QR code for “%s” could not be made: %s"), payload, g_strerror (errno));
  return code;
}

guint
ow_qr_get_modules (const char  *payload,
                   GError     **error)
{
  QRcode *code = encode (payload, error);
  guint width;

  if (code == NULL)
    return 0;
  width = code->width;
  QRcode_free (code);
  return width;
}

cairo_surface_t *
ow_qr_image (const char  *payload,
             GError     **error)
{
  QRcode *code = encode (payload, error);
  cairo_surface_t *image;
  unsigned char *pixels;
  int side, stride;

  if (code == NULL)
    return NULL;

  /* One pixel per module, scaled up without smoothing by ow_qr_paint(): a PDF then holds one
   * tiny image instead of a path of hundreds of rectangles, which cairo spent more time writing
   * than all the text of a notice, and the modules still have sharp edges and no seams between
   * neighbours at any resolution. */
  side = code->width + 2 * QUIET_ZONE;
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
  stride = cairo_image_surface_get_stride (image);
  cairo_surface_flush (image);
  pixels = cairo_image_surface_get_data (image);
  for (int row = 0; row < side; row++)
    {
      guint32 *line = (guint32 *) (pixels + row * stride);

      for (int col = 0; col < side; col++)
        {
          int r = row - QUIET_ZONE, c = col - QUIET_ZONE;
          gboolean dark = r >= 0 && r < code->width && c >= 0 && c < code->width
                          && (code->data[r * code->width + c] & 1);

          line[col] = dark ? 0x000000 : 0xffffff;
        }
    }
  cairo_surface_mark_dirty (image);
  QRcode_free (code);
  return image;
}

void
ow_qr_paint (cairo_t         *cr,
             cairo_surface_t *image,
             double           x,
             double           y,
             double           size)
{
  int side = cairo_image_surface_get_width (image);
  cairo_pattern_t *pattern = cairo_pattern_create_for_surface (image);
  cairo_matrix_t matrix;

  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_matrix_init_scale (&matrix, side / size, side / size);
  cairo_matrix_translate (&matrix, -x, -y);
  cairo_pattern_set_matrix (pattern, &matrix);

  cairo_save (cr);
  cairo_set_source (cr, pattern);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_pattern_destroy (pattern);
}

gboolean
ow_qr_draw (cairo_t     *cr,
            const char  *payload,
            double       x,
            double       y,
            double       size,
            GError     **error)
{
  cairo_surface_t *image = ow_qr_image (payload, error);

  if (image == NULL)
    return FALSE;
  ow_qr_paint (cr, image, x, y, size);
  cairo_surface_destroy (image);
  return TRUE;
}
