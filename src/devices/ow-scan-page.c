/* ow-scan-page.c — processing scanned pages: rotation, blank detection, JPEG and 1-bit PNG
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JPEG through libjpeg-turbo directly rather than gdk-pixbuf: it writes grey pages as one-component
 * JPEGs (gdk-pixbuf only saves RGB, three times the data), records the dpi in the JFIF header,
 * needs no loader modules at run time and keeps GdkPixbuf (a GTK-stack library) out of the devices
 * layer. Black and white through libpng as a 1-bit PNG rather than TIFF G4: the platform accepts
 * PNG, JPEG and PDF only, and every viewer opens a PNG.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "ow-scan-page.h"

static GBytes *decode_jpeg (const OwScanPage *page, guint scale, guint *width, guint *height,
                             GError **error);
static GBytes *decode_png1 (const OwScanPage *page, GError **error);

gboolean
ow_scan_page_check (const OwScanPage  *page,
                    GError           **error)
{
  if (page == NULL || (page->pixels == NULL && page->encoded == NULL)
      || (page->channels != 1 && page->channels != 3)
      || page->width == 0 || page->height == 0 || page->width > 65500 || page->height > 65500
      || (page->pixels != NULL
          && g_bytes_get_size (page->pixels) < (gsize) page->width * page->height * page->channels)
      || (page->pixels == NULL && g_bytes_get_size (page->encoded) == 0))
    {
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED,
                           _("The scanned page cannot be saved: its picture is malformed. Scan "
                             "it again."));
      return FALSE;
    }
  return TRUE;
}

GBytes *
ow_scan_page_dup_pixels (const OwScanPage  *page,
                         GError           **error)
{
  guint width = 0, height = 0;
  GBytes *pixels;

  if (!ow_scan_page_check (page, error))
    return NULL;
  if (page->pixels != NULL)
    return g_bytes_ref (page->pixels);

  pixels = page->bilevel ? decode_png1 (page, error)
                         : decode_jpeg (page, 1, &width, &height, error);
  if (pixels != NULL && !page->bilevel && (width != page->width || height != page->height))
    {
      g_clear_pointer (&pixels, g_bytes_unref);
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED,
                           _("The scanned page cannot be read back: its picture is malformed. "
                             "Scan it again."));
    }
  return pixels;
}

/* ------------------------------------------------------------------------------------------ */
/* Blank pages */

/* Counts the dark pixels inside the margins, stopping once more than @limit are found. */
static guint64
count_dark (const OwScanPage *page,
            guint64           limit,
            guint64          *total_out)
{
  g_autoptr(GBytes) bytes = ow_scan_page_dup_pixels (page, NULL);
  const guint8 *pixels;
  guint x0, x1, y0, y1;
  guint64 dark = 0, total;

  *total_out = 0;
  if (bytes == NULL)
    return 0;
  pixels = g_bytes_get_data (bytes, NULL);
  x0 = (guint) (page->width * OW_SCAN_BLANK_MARGIN);
  y0 = (guint) (page->height * OW_SCAN_BLANK_MARGIN);
  x1 = page->width - x0;
  y1 = page->height - y0;
  total = (guint64) (x1 - x0) * (y1 - y0);
  *total_out = total;

  for (guint y = y0; y < y1 && dark <= limit; y++)
    {
      const guint8 *row = pixels + (gsize) y * page->width * page->channels;

      if (page->channels == 1)
        {
          for (guint x = x0; x < x1; x++)
            dark += row[x] < OW_SCAN_BLANK_DARK_LEVEL;
        }
      else
        {
          /* ITU-R BT.601 luma in fixed point: red seal ink counts as dark, yellow highlighter
           * does not. */
          for (guint x = x0; x < x1; x++)
            {
              const guint8 *p = row + 3 * x;
              guint luma = (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;

              dark += luma < OW_SCAN_BLANK_DARK_LEVEL;
            }
        }
    }

  return dark;
}

double
ow_scan_page_ink_fraction (const OwScanPage *page)
{
  guint64 total = 0;
  guint64 dark;

  g_return_val_if_fail (ow_scan_page_check (page, NULL), 0.0);

  dark = count_dark (page, G_MAXUINT64, &total);
  return total > 0 ? (double) dark / (double) total : 0.0;
}

gboolean
ow_scan_page_is_blank (const OwScanPage *page)
{
  guint64 total = 0, limit, dark;

  g_return_val_if_fail (ow_scan_page_check (page, NULL), FALSE);

  /* A page with anything on it is known after its first lines of ink: the scan thread runs this
   * on every sheet of a batch, so it stops counting as soon as the answer is clear. */
  {
    guint x0 = (guint) (page->width * OW_SCAN_BLANK_MARGIN);
    guint y0 = (guint) (page->height * OW_SCAN_BLANK_MARGIN);

    limit = (guint64) ((double) (page->width - 2 * x0) * (page->height - 2 * y0)
                       * OW_SCAN_BLANK_MAX_INK);
  }
  dark = count_dark (page, limit, &total);
  return dark <= limit;
}

/* ------------------------------------------------------------------------------------------ */
/* Rotation and conversion */

OwScanPage *
ow_scan_page_rotate (const OwScanPage *page,
                     guint             degrees)
{
  g_autoptr(GBytes) pixels = NULL;
  const guint8 *src;
  guint8 *dest;
  guint w, h, c;
  gsize size;
  OwScanPage *rotated;

  g_return_val_if_fail (ow_scan_page_check (page, NULL), NULL);
  g_return_val_if_fail (degrees % 90 == 0, NULL);

  degrees %= 360;
  if (degrees == 0)
    return ow_scan_page_copy (page);

  /* An encoded page is decoded, turned, and encoded again when stored. */
  pixels = ow_scan_page_dup_pixels (page, NULL);
  if (pixels == NULL)
    return NULL;
  w = page->width;
  h = page->height;
  c = page->channels;
  size = (gsize) w * h * c;
  src = g_bytes_get_data (pixels, NULL);

  rotated = g_new0 (OwScanPage, 1);
  *rotated = *page;
  rotated->encoded = NULL;

  dest = g_malloc (size);
  if (degrees == 180)
    {
      for (guint y = 0; y < h; y++)
        {
          const guint8 *s = src + (gsize) y * w * c;
          guint8 *d = dest + (gsize) (h - 1 - y) * w * c;

          for (guint x = 0; x < w; x++)
            memcpy (d + (gsize) (w - 1 - x) * c, s + (gsize) x * c, c);
        }
    }
  else
    {
      /* The new page is h wide and w high. Clockwise: source (x, y) goes to (h - 1 - y, x);
       * anticlockwise (270): to (y, w - 1 - x). Walking the source in rows keeps reads linear. */
      rotated->width = h;
      rotated->height = w;
      for (guint y = 0; y < h; y++)
        {
          const guint8 *s = src + (gsize) y * w * c;

          for (guint x = 0; x < w; x++)
            {
              gsize nx = degrees == 90 ? h - 1 - y : y;
              gsize ny = degrees == 90 ? x : w - 1 - x;

              memcpy (dest + (ny * h + nx) * c, s + (gsize) x * c, c);
            }
        }
    }

  rotated->pixels = g_bytes_new_take (dest, size);
  return rotated;
}

/* The thumbnail of an encoded colour or grey page, of the size the pixels would give. libjpeg
 * decodes at 1/2, 1/4 or 1/8 for little more than the cost of reading the file: it starts from
 * the smallest of those that is not smaller than the thumbnail, then averages blocks of the
 * (no longer whole) factor that remains. */
static OwScanPage *
thumbnail_of_jpeg (const OwScanPage *page,
                   guint             max_side)
{
  guint factor = (MAX (page->width, page->height) + max_side - 1) / max_side;
  guint scale = 8, sw = 0, sh = 0, w, h, c = page->channels;
  g_autoptr(GBytes) decoded = NULL;
  const guint8 *src;
  guint8 *dest;
  double step;
  OwScanPage *thumb;

  factor = MAX (factor, 1u);
  while (scale > factor)
    scale /= 2;
  decoded = decode_jpeg (page, scale, &sw, &sh, NULL);
  if (decoded == NULL)
    return NULL;
  src = g_bytes_get_data (decoded, NULL);
  w = MAX (page->width / factor, 1u);
  h = MAX (page->height / factor, 1u);
  step = (double) factor / scale;
  dest = g_malloc ((gsize) w * h * c);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint y0 = MIN ((guint) (y * step), sh - 1), y1 = MIN ((guint) ((y + 1) * step), sh);
        guint x0 = MIN ((guint) (x * step), sw - 1), x1 = MIN ((guint) ((x + 1) * step), sw);

        y1 = MAX (y1, y0 + 1);
        x1 = MAX (x1, x0 + 1);
        for (guint k = 0; k < c; k++)
          {
            guint sum = 0;

            for (guint sy = y0; sy < y1; sy++)
              for (guint sx = x0; sx < x1; sx++)
                sum += src[((gsize) sy * sw + sx) * c + k];
            dest[((gsize) y * w + x) * c + k] = (guint8) (sum / ((y1 - y0) * (x1 - x0)));
          }
      }

  thumb = g_new0 (OwScanPage, 1);
  *thumb = *page;
  thumb->encoded = NULL;
  thumb->width = w;
  thumb->height = h;
  thumb->dpi = MAX (page->dpi / factor, 1u);
  thumb->bilevel = FALSE;
  thumb->pixels = g_bytes_new_take (dest, (gsize) w * h * c);
  return thumb;
}

OwScanPage *
ow_scan_page_thumbnail (const OwScanPage *page,
                        guint             max_side)
{
  g_autoptr(GBytes) pixels = NULL;
  const guint8 *src;
  guint8 *dest;
  guint factor, w, h, c;
  OwScanPage *thumb;

  g_return_val_if_fail (ow_scan_page_check (page, NULL), NULL);
  g_return_val_if_fail (max_side > 0, NULL);

  if (page->pixels == NULL && !page->bilevel)
    return thumbnail_of_jpeg (page, max_side);

  pixels = ow_scan_page_dup_pixels (page, NULL);
  if (pixels == NULL)
    return NULL;
  thumb = g_new0 (OwScanPage, 1);
  *thumb = *page;
  thumb->encoded = NULL;
  factor = (MAX (page->width, page->height) + max_side - 1) / max_side;
  if (factor <= 1)
    {
      thumb->pixels = g_steal_pointer (&pixels);
      return thumb;
    }

  c = page->channels;
  w = MAX (page->width / factor, 1u);
  h = MAX (page->height / factor, 1u);
  src = g_bytes_get_data (pixels, NULL);
  dest = g_malloc ((gsize) w * h * c);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      for (guint k = 0; k < c; k++)
        {
          guint sum = 0;

          for (guint dy = 0; dy < factor; dy++)
            {
              const guint8 *row = src + ((gsize) (y * factor + dy) * page->width
                                         + (gsize) x * factor) * c + k;

              for (guint dx = 0; dx < factor; dx++)
                sum += row[(gsize) dx * c];
            }
          dest[((gsize) y * w + x) * c + k] = (guint8) (sum / (factor * factor));
        }

  thumb->width = w;
  thumb->height = h;
  thumb->dpi = MAX (page->dpi / factor, 1u);
  thumb->bilevel = FALSE;
  thumb->pixels = g_bytes_new_take (dest, (gsize) w * h * c);
  return thumb;
}

OwScanPage *
ow_scan_page_to_bilevel (const OwScanPage *page)
{
  g_autoptr(GBytes) pixels = NULL;
  const guint8 *src;
  guint8 *dest;
  gsize n;
  OwScanPage *out;

  g_return_val_if_fail (ow_scan_page_check (page, NULL), NULL);

  pixels = ow_scan_page_dup_pixels (page, NULL);
  if (pixels == NULL)
    return NULL;
  n = (gsize) page->width * page->height;
  src = g_bytes_get_data (pixels, NULL);
  dest = g_malloc (n);
  for (gsize i = 0; i < n; i++)
    {
      const guint8 *p = src + i * page->channels;
      guint luma = page->channels == 1 ? p[0] : (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;

      dest[i] = luma < 128 ? 0 : 255;
    }

  out = g_new0 (OwScanPage, 1);
  *out = *page;
  out->encoded = NULL;
  out->channels = 1;
  out->bilevel = TRUE;
  out->pixels = g_bytes_new_take (dest, n);
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* JPEG */

typedef struct
{
  struct jpeg_error_mgr pub;
  jmp_buf               jump;
  char                  message[JMSG_LENGTH_MAX];
} JpegError;

static void
jpeg_error_exit (j_common_ptr cinfo)
{
  JpegError *err = (JpegError *) cinfo->err;

  err->pub.format_message (cinfo, err->message);
  longjmp (err->jump, 1);
}

static GBytes *
encode_jpeg (const OwScanPage  *page,
             const guint8      *pixels,
             int                quality,
             GError           **error)
{
  struct jpeg_compress_struct cinfo;
  JpegError jerr;
  /* volatile: they are read after a longjmp out of libjpeg. */
  unsigned char * volatile buffer = NULL;
  unsigned char * volatile first = NULL;
  unsigned long size = 0;
  GBytes *bytes;

  memset (&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error (&jerr.pub);
  jerr.pub.error_exit = jpeg_error_exit;
  if (setjmp (jerr.jump))
    {
      jpeg_destroy_compress (&cinfo);
      if (buffer != first)
        free (buffer);
      free (first);
      g_set_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                   _("The scanned page cannot be saved as JPEG (%s). Scan it again."),
                   jerr.message);
      return NULL;
    }

  jpeg_create_compress (&cinfo);
  /* Room for what a scan at q85 takes (an eighth of the pixels' bytes for paper, a sixth for
   * fine patterns such as the test backend's: a quarter covers both), so that libjpeg does not
   * grow its buffer from 4 KiB by doubling and copying (each copy into fresh memory the kernel
   * zeroes first). The buffer is malloc'd whole (mmap), and pages it does not write are never
   * mapped: the room costs address space, not memory. */
  size = MAX ((gsize) page->width * page->height * page->channels / 4, 65536);
  first = buffer = malloc (size);
  if (buffer == NULL)
    size = 0;
  jpeg_mem_dest (&cinfo, (unsigned char **) &buffer, &size);
  cinfo.image_width = page->width;
  cinfo.image_height = page->height;
  cinfo.input_components = page->channels;
  cinfo.in_color_space = page->channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, CLAMP (quality, 1, 100), TRUE);
  cinfo.write_JFIF_header = TRUE;
  cinfo.density_unit = 1;   /* dots per inch */
  cinfo.X_density = (UINT16) MIN (page->dpi, 65535u);
  cinfo.Y_density = (UINT16) MIN (page->dpi, 65535u);

  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = (JSAMPROW) (pixels + (gsize) cinfo.next_scanline * page->width
                                          * page->channels);

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  /* A larger page than foreseen: libjpeg moved to a buffer of its own, ours is left over. */
  if (buffer != first)
    free (first);

  /* jpeg_mem_dest allocates with malloc: hand it to GBytes with free. */
  bytes = g_bytes_new_with_free_func (buffer, size, free, buffer);
  return bytes;
}

GBytes *
ow_scan_page_to_jpeg (const OwScanPage  *page,
                      int                quality,
                      GError           **error)
{
  g_autoptr(GBytes) pixels = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ow_scan_page_check (page, error))
    return NULL;
  /* Encoded as it arrived, with these very settings: the same bytes, without the work. */
  if (page->encoded != NULL && !page->bilevel && quality == OW_SCAN_JPEG_QUALITY)
    return g_bytes_ref (page->encoded);
  pixels = ow_scan_page_dup_pixels (page, error);
  if (pixels == NULL)
    return NULL;
  return encode_jpeg (page, g_bytes_get_data (pixels, NULL), quality, error);
}

/* ------------------------------------------------------------------------------------------ */
/* 1-bit PNG */

typedef struct
{
  GByteArray *out;
  char        message[256];
} PngState;

static void
png_write_cb (png_structp png,
              png_bytep   data,
              png_size_t  length)
{
  PngState *state = png_get_io_ptr (png);

  g_byte_array_append (state->out, data, length);
}

static void
png_flush_cb (png_structp png)
{
}

static void
png_error_cb (png_structp     png,
              png_const_charp message)
{
  PngState *state = png_get_error_ptr (png);

  g_strlcpy (state->message, message, sizeof state->message);
  png_longjmp (png, 1);
}

static void
png_warning_cb (png_structp     png,
                png_const_charp message)
{
  g_debug ("libpng: %s", message);
}

static GBytes *
encode_png1 (const OwScanPage  *page,
             const guint8      *pixels,
             GError           **error)
{
  PngState state = { 0 };
  png_structp png;
  png_infop info = NULL;
  /* volatile: read after a longjmp out of libpng. */
  guint8 * volatile row = NULL;
  gsize row_bytes;

  row_bytes = (page->width + 7) / 8;

  state.out = g_byte_array_new ();
  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &state, png_error_cb, png_warning_cb);
  if (png != NULL)
    info = png_create_info_struct (png);
  if (png == NULL || info == NULL)
    {
      png_destroy_write_struct (&png, NULL);
      g_byte_array_unref (state.out);
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                           _("The scanned page cannot be saved: out of memory. Close other "
                             "programs and scan again."));
      return NULL;
    }

  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      g_free (row);
      g_byte_array_unref (state.out);
      g_set_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                   _("The scanned page cannot be saved as PNG (%s). Scan it again."),
                   state.message);
      return NULL;
    }

  png_set_write_fn (png, &state, png_write_cb, png_flush_cb);
  /* Text compresses best with filters off and zlib at its default level. */
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_IHDR (png, info, page->width, page->height, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (page->dpi > 0)
    png_set_pHYs (png, info, (png_uint_32) (page->dpi / 0.0254 + 0.5),
                  (png_uint_32) (page->dpi / 0.0254 + 0.5), PNG_RESOLUTION_METER);
  png_write_info (png, info);

  row = g_malloc (row_bytes);
  for (guint y = 0; y < page->height; y++)
    {
      const guint8 *src = pixels + (gsize) y * page->width * page->channels;

      /* In a grey PNG a set bit is white. */
      memset (row, 0, row_bytes);
      for (guint x = 0; x < page->width; x++)
        {
          const guint8 *p = src + (gsize) x * page->channels;
          guint luma = page->channels == 1 ? p[0] : (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;

          if (luma >= 128)
            row[x / 8] |= 0x80 >> (x % 8);
        }
      png_write_row (png, row);
    }
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  g_free (row);

  return g_byte_array_free_to_bytes (state.out);
}

GBytes *
ow_scan_page_to_png1 (const OwScanPage  *page,
                      GError           **error)
{
  g_autoptr(GBytes) pixels = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ow_scan_page_check (page, error))
    return NULL;
  if (page->encoded != NULL && page->bilevel)
    return g_bytes_ref (page->encoded);
  pixels = ow_scan_page_dup_pixels (page, error);
  if (pixels == NULL)
    return NULL;
  return encode_png1 (page, g_bytes_get_data (pixels, NULL), error);
}

GBytes *
ow_scan_page_encode (const OwScanPage  *page,
                     const char       **content_type,
                     GError           **error)
{
  g_return_val_if_fail (page != NULL, NULL);

  if (page->bilevel)
    {
      if (content_type != NULL)
        *content_type = "image/png";
      return ow_scan_page_to_png1 (page, error);
    }

  if (content_type != NULL)
    *content_type = "image/jpeg";
  return ow_scan_page_to_jpeg (page, OW_SCAN_JPEG_QUALITY, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Decoding what was encoded */

/* The JPEG of @page at 1/@scale (1, 2, 4 or 8) of its size, in its own channels. */
static GBytes *
decode_jpeg (const OwScanPage  *page,
             guint              scale,
             guint             *width,
             guint             *height,
             GError           **error)
{
  struct jpeg_decompress_struct cinfo;
  JpegError jerr;
  /* volatile: read after a longjmp out of libjpeg. */
  guint8 * volatile pixels = NULL;
  gsize size, stride;
  const guint8 *data = g_bytes_get_data (page->encoded, &size);

  memset (&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error (&jerr.pub);
  jerr.pub.error_exit = jpeg_error_exit;
  if (setjmp (jerr.jump))
    {
      jpeg_destroy_decompress (&cinfo);
      g_free (pixels);
      g_set_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                   _("The scanned page cannot be read back (%s). Scan it again."), jerr.message);
      return NULL;
    }

  jpeg_create_decompress (&cinfo);
  jpeg_mem_src (&cinfo, data, size);
  jpeg_read_header (&cinfo, TRUE);
  cinfo.out_color_space = page->channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  cinfo.scale_num = 1;
  cinfo.scale_denom = scale;
  jpeg_start_decompress (&cinfo);
  stride = (gsize) cinfo.output_width * cinfo.output_components;
  pixels = g_malloc (stride * cinfo.output_height);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW row = pixels + stride * cinfo.output_scanline;

      jpeg_read_scanlines (&cinfo, &row, 1);
    }
  *width = cinfo.output_width;
  *height = cinfo.output_height;
  jpeg_finish_decompress (&cinfo);
  jpeg_destroy_decompress (&cinfo);
  return g_bytes_new_take (pixels, stride * *height);
}

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         offset;
  char          message[256];
} PngReader;

static void
png_read_cb (png_structp png,
             png_bytep   out,
             png_size_t  length)
{
  PngReader *reader = png_get_io_ptr (png);

  if (reader->offset + length > reader->size)
    png_error (png, "truncated");
  memcpy (out, reader->data + reader->offset, length);
  reader->offset += length;
}

static void
png_read_error_cb (png_structp     png,
                   png_const_charp message)
{
  PngReader *reader = png_get_error_ptr (png);

  g_strlcpy (reader->message, message, sizeof reader->message);
  png_longjmp (png, 1);
}

/* The 1-bit PNG of a black-and-white @page as one 8-bit channel of 0 and 255. */
static GBytes *
decode_png1 (const OwScanPage  *page,
             GError           **error)
{
  PngReader reader = { 0 };
  png_structp png;
  png_infop info = NULL;
  /* volatile: read after a longjmp out of libpng. */
  guint8 * volatile pixels = NULL;

  reader.data = g_bytes_get_data (page->encoded, &reader.size);
  png = png_create_read_struct (PNG_LIBPNG_VER_STRING, &reader, png_read_error_cb,
                                png_warning_cb);
  if (png != NULL)
    info = png_create_info_struct (png);
  if (png == NULL || info == NULL || setjmp (png_jmpbuf (png)))
    {
      png_destroy_read_struct (&png, &info, NULL);
      g_free (pixels);
      g_set_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                   _("The scanned page cannot be read back (%s). Scan it again."),
                   reader.message[0] != '\0' ? reader.message : "libpng");
      return NULL;
    }

  png_set_read_fn (png, &reader, png_read_cb);
  png_read_info (png, info);
  if (png_get_image_width (png, info) != page->width
      || png_get_image_height (png, info) != page->height
      || png_get_color_type (png, info) != PNG_COLOR_TYPE_GRAY)
    png_error (png, "not the page's picture");
  png_set_expand_gray_1_2_4_to_8 (png);
  png_read_update_info (png, info);
  pixels = g_malloc ((gsize) page->width * page->height);
  for (guint y = 0; y < page->height; y++)
    png_read_row (png, pixels + (gsize) y * page->width, NULL);
  png_read_end (png, NULL);
  png_destroy_read_struct (&png, &info, NULL);
  return g_bytes_new_take (pixels, (gsize) page->width * page->height);
}
