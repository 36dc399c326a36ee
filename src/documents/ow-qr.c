/* ow-qr.c — QR codes drawn as vector rectangles, for the documents
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

gboolean
ow_qr_draw (cairo_t     *cr,
            const char  *payload,
            double       x,
            double       y,
            double       size,
            GError     **error)
{
  QRcode *code = encode (payload, error);
  double module;

  if (code == NULL)
    return FALSE;

  module = size / (code->width + 2 * QUIET_ZONE);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);

  /* One path of all dark modules, filled at once: no hairline seams between neighbours. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (int row = 0; row < code->width; row++)
    for (int col = 0; col < code->width; col++)
      if (code->data[row * code->width + col] & 1)
        cairo_rectangle (cr, x + (col + QUIET_ZONE) * module, y + (row + QUIET_ZONE) * module,
                         module, module);
  cairo_fill (cr);
  cairo_restore (cr);

  QRcode_free (code);
  return TRUE;
}
