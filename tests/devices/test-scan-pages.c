/* test-scan-pages.c — scanned pages: blank detection, rotation, encoding, the PDF, storing, import
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>

#include "devices/ow-scan-page.h"
#include "devices/ow-scan-pipeline.h"
#include "devices/ow-scan-presets.h"
#include "devices/ow-scan-store.h"
#include "devices/ow-scanner.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers */

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* One page from test:0 with @picture ("Solid white" …), or NULL and @error. */
static OwScanPage *
scan_picture (const char          *picture,
              const OwScanOptions *options,
              const char          *depth)
{
  OwScanner *scanner = ow_scanner_new ();
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  OwScanPage *page;

  ow_scanner_set_extra_option (scanner, "test-picture", picture);
  if (depth != NULL)
    ow_scanner_set_extra_option (scanner, "depth", depth);
  ow_scanner_scan_async (scanner, "test:0", options, NULL, ready_cb, &result);
  pages = ow_scanner_scan_finish (scanner, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);
  g_object_unref (result);
  page = g_ptr_array_steal_index (pages, 0);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (scanner);
  return page;
}

static OwScanPage *
scan_simple (const char *picture,
             OwScanMode  mode,
             guint       dpi)
{
  OwScanOptions options;

  ow_scan_options_init_default (&options);
  options.mode = mode;
  options.dpi = dpi;
  /* The pixels as scanned, which the processing below works on (encoded pages: see
   * test_encoded_as_scanned). */
  options.keep_pixels = TRUE;
  return scan_picture (picture, &options, NULL);
}

/* A page made from a cairo RGB24 surface. */
static OwScanPage *
page_from_surface (cairo_surface_t *surface,
                   guint            dpi)
{
  OwScanPage *page = g_new0 (OwScanPage, 1);
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;
  guint8 *pixels = g_malloc ((gsize) w * h * 3);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 argb = *(const guint32 *) (data + (gsize) y * stride + 4 * x);
        guint8 *p = pixels + ((gsize) y * w + x) * 3;

        p[0] = (argb >> 16) & 0xff;
        p[1] = (argb >> 8) & 0xff;
        p[2] = argb & 0xff;
      }

  page->width = w;
  page->height = h;
  page->channels = 3;
  page->dpi = dpi;
  page->pixels = g_bytes_new_take (pixels, (gsize) w * h * 3);
  return page;
}

/* An A4 sheet at 150 dpi of off-white recycled paper (grey 235) with some dust, and @lines lines
 * of 12 pt text. */
static OwScanPage *
draw_sheet (guint lines)
{
  const double dpi = 150;
  int w = (int) (210 / 25.4 * dpi), h = (int) (297 / 25.4 * dpi);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (surface);
  OwScanPage *page;
  GRand *rand = g_rand_new_with_seed (42);

  cairo_set_source_rgb (cr, 235 / 255.0, 235 / 255.0, 230 / 255.0);
  cairo_paint (cr);

  /* Dust: 60 specks of 1–2 pixels (0.2–0.3 mm). */
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  for (int i = 0; i < 60; i++)
    cairo_rectangle (cr, g_rand_int_range (rand, 0, w), g_rand_int_range (rand, 0, h),
                     g_rand_int_range (rand, 1, 3), g_rand_int_range (rand, 1, 3));
  cairo_fill (cr);

  /* A dark shadow along the left edge, as the lid leaves: inside the ignored margin. */
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_rectangle (cr, 0, 0, w * 0.02, h);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 12.0 / 72.0 * dpi);
  for (guint i = 0; i < lines; i++)
    {
      cairo_move_to (cr, 25 / 25.4 * dpi, (40 + 8 * i) / 25.4 * dpi);
      cairo_show_text (cr, "The applicant declares that the above is true, 2026-11-25.");
    }

  if (lines > 3)
    {
      /* A red seal, 42 mm across. */
      cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
      cairo_set_line_width (cr, 1.2 / 25.4 * dpi);
      cairo_arc (cr, 150 / 25.4 * dpi, 220 / 25.4 * dpi, 21 / 25.4 * dpi, 0, 2 * G_PI);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
  page = page_from_surface (surface, (guint) dpi);
  cairo_surface_destroy (surface);
  g_rand_free (rand);
  return page;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ow-scan-pages-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

static guint
count_files (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);
  return n;
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Decoding, to check the encoders from outside */

typedef struct
{
  struct jpeg_error_mgr pub;
  jmp_buf               jump;
} TestJpegError;

static void
test_jpeg_error_exit (j_common_ptr cinfo)
{
  longjmp (((TestJpegError *) cinfo->err)->jump, 1);
}

/* Decodes @jpeg; returns its pixels and fills in the size, components and density. */
static guint8 *
decode_jpeg (GBytes *jpeg,
             guint  *width,
             guint  *height,
             guint  *components,
             guint  *density)
{
  struct jpeg_decompress_struct cinfo;
  TestJpegError jerr;
  guint8 *pixels;
  gsize size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);

  cinfo.err = jpeg_std_error (&jerr.pub);
  jerr.pub.error_exit = test_jpeg_error_exit;
  if (setjmp (jerr.jump))
    g_error ("The JPEG does not decode");
  jpeg_create_decompress (&cinfo);
  jpeg_mem_src (&cinfo, data, size);
  g_assert_cmpint (jpeg_read_header (&cinfo, TRUE), ==, JPEG_HEADER_OK);
  jpeg_start_decompress (&cinfo);
  *width = cinfo.output_width;
  *height = cinfo.output_height;
  *components = cinfo.output_components;
  *density = cinfo.density_unit == 1 ? cinfo.X_density : 0;
  pixels = g_malloc ((gsize) *width * *height * *components);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW row = pixels + (gsize) cinfo.output_scanline * *width * *components;

      jpeg_read_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_decompress (&cinfo);
  jpeg_destroy_decompress (&cinfo);
  return pixels;
}

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         offset;
} PngReader;

static void
png_read_cb (png_structp png,
             png_bytep   out,
             png_size_t  length)
{
  PngReader *reader = png_get_io_ptr (png);

  g_assert_cmpuint (reader->offset + length, <=, reader->size);
  memcpy (out, reader->data + reader->offset, length);
  reader->offset += length;
}

/* Decodes a 1-bit grey PNG into 0/255 samples, checking its header. */
static guint8 *
decode_png1 (GBytes *bytes,
             guint  *width,
             guint  *height,
             guint  *dpi)
{
  PngReader reader = { 0 };
  png_structp png = png_create_read_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct (png);
  png_uint_32 res_x = 0, res_y = 0;
  int unit = 0;
  guint8 *pixels, *row;

  reader.data = g_bytes_get_data (bytes, &reader.size);
  if (setjmp (png_jmpbuf (png)))
    g_error ("The PNG does not decode");
  png_set_read_fn (png, &reader, png_read_cb);
  png_read_info (png, info);
  g_assert_cmpint (png_get_bit_depth (png, info), ==, 1);
  g_assert_cmpint (png_get_color_type (png, info), ==, PNG_COLOR_TYPE_GRAY);
  *width = png_get_image_width (png, info);
  *height = png_get_image_height (png, info);
  png_get_pHYs (png, info, &res_x, &res_y, &unit);
  g_assert_cmpint (unit, ==, PNG_RESOLUTION_METER);
  *dpi = (guint) (res_x * 0.0254 + 0.5);

  pixels = g_malloc ((gsize) *width * *height);
  row = g_malloc (png_get_rowbytes (png, info));
  for (guint y = 0; y < *height; y++)
    {
      png_read_row (png, row, NULL);
      for (guint x = 0; x < *width; x++)
        pixels[(gsize) y * *width + x] = (row[x / 8] & (0x80 >> (x % 8))) ? 255 : 0;
    }
  png_read_end (png, NULL);
  png_destroy_read_struct (&png, &info, NULL);
  g_free (row);
  return pixels;
}

/* ------------------------------------------------------------------------------------------ */
/* Blank pages */

static void
test_blank_test_pictures (void)
{
  g_autoptr(OwScanPage) white = scan_simple ("Solid white", OW_SCAN_MODE_COLOR, 75);
  g_autoptr(OwScanPage) white_grey = scan_simple ("Solid white", OW_SCAN_MODE_GRAY, 75);
  g_autoptr(OwScanPage) black = scan_simple ("Solid black", OW_SCAN_MODE_COLOR, 75);
  g_autoptr(OwScanPage) pattern = scan_simple ("Color pattern", OW_SCAN_MODE_COLOR, 75);
  g_autoptr(OwScanPage) pattern_grey = scan_simple ("Color pattern", OW_SCAN_MODE_GRAY, 75);
  g_autoptr(OwScanPage) grid = scan_simple ("Grid", OW_SCAN_MODE_GRAY, 75);

  g_assert_cmpfloat (ow_scan_page_ink_fraction (white), ==, 0.0);
  g_assert_true (ow_scan_page_is_blank (white));
  g_assert_true (ow_scan_page_is_blank (white_grey));

  g_assert_cmpfloat (ow_scan_page_ink_fraction (black), ==, 1.0);
  g_assert_false (ow_scan_page_is_blank (black));

  g_test_message ("ink: colour pattern %.3f (grey %.3f), grid %.3f",
                  ow_scan_page_ink_fraction (pattern), ow_scan_page_ink_fraction (pattern_grey),
                  ow_scan_page_ink_fraction (grid));
  g_assert_false (ow_scan_page_is_blank (pattern));
  g_assert_false (ow_scan_page_is_blank (pattern_grey));
  g_assert_false (ow_scan_page_is_blank (grid));
}

static void
test_blank_drawn_sheets (void)
{
  g_autoptr(OwScanPage) empty = draw_sheet (0);
  g_autoptr(OwScanPage) one_line = draw_sheet (1);
  g_autoptr(OwScanPage) three_lines = draw_sheet (3);

  g_test_message ("ink: dusty sheet %.5f, one line %.5f, three lines %.5f",
                  ow_scan_page_ink_fraction (empty), ow_scan_page_ink_fraction (one_line),
                  ow_scan_page_ink_fraction (three_lines));

  /* Dust and the lid's shadow do not make a page. */
  g_assert_cmpfloat (ow_scan_page_ink_fraction (empty), <, OW_SCAN_BLANK_MAX_INK / 5);
  g_assert_true (ow_scan_page_is_blank (empty));

  /* One line of text does, with room to spare. */
  g_assert_cmpfloat (ow_scan_page_ink_fraction (one_line), >, 2 * OW_SCAN_BLANK_MAX_INK);
  g_assert_false (ow_scan_page_is_blank (one_line));
  g_assert_false (ow_scan_page_is_blank (three_lines));
  g_assert_cmpfloat (ow_scan_page_ink_fraction (three_lines), >,
                     2.5 * ow_scan_page_ink_fraction (one_line));
}

static void
blank_dropped_cb (OwScanner *scanner,
                  guint      sheet,
                  guint     *dropped)
{
  g_assert_cmpuint (sheet, ==, *dropped);
  (*dropped)++;
}

static void
page_done_cb (OwScanner  *scanner,
              OwScanPage *page,
              guint       index,
              guint      *done)
{
  g_assert_cmpuint (index, ==, *done);
  (*done)++;
}

/* A feeder batch of white sheets: every sheet dropped and announced; all kept when asked. */
static void
test_blank_feeder_batch (void)
{
  OwScanner *scanner = ow_scanner_new ();
  OwScanOptions options;
  guint dropped = 0, done = 0;

  ow_scan_options_init_default (&options);
  options.source = OW_SCAN_SOURCE_FEEDER;
  options.dpi = 30;
  ow_scanner_set_extra_option (scanner, "test-picture", "Solid white");
  g_signal_connect (scanner, "blank-dropped", G_CALLBACK (blank_dropped_cb), &dropped);
  g_signal_connect (scanner, "page-done", G_CALLBACK (page_done_cb), &done);

  for (guint keep = 0; keep < 2; keep++)
    {
      GAsyncResult *result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) pages = NULL;

      dropped = done = 0;
      options.keep_blank = keep;
      ow_scanner_scan_async (scanner, "test:0", &options, NULL, ready_cb, &result);
      pages = ow_scanner_scan_finish (scanner, wait_result (&result), &error);
      g_object_unref (result);
      g_assert_no_error (error);
      g_assert_cmpuint (pages->len, ==, keep ? 10 : 0);
      g_assert_cmpuint (dropped, ==, keep ? 0 : 10);
      g_assert_cmpuint (done, ==, keep ? 10 : 0);
    }

  /* A white page on the glass was put there on purpose: kept. */
  {
    GAsyncResult *result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) pages = NULL;

    dropped = done = 0;
    options.source = OW_SCAN_SOURCE_FLATBED;
    options.keep_blank = FALSE;
    ow_scanner_scan_async (scanner, "test:0", &options, NULL, ready_cb, &result);
    pages = ow_scanner_scan_finish (scanner, wait_result (&result), &error);
    g_object_unref (result);
    g_assert_no_error (error);
    g_assert_cmpuint (pages->len, ==, 1);
    g_assert_cmpuint (dropped, ==, 0);
  }

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (scanner);
}

/* ------------------------------------------------------------------------------------------ */
/* Pages as the scanner delivers them: encoded, without pixels */

static void
test_encoded_as_scanned (void)
{
  OwScanOptions options;
  g_autoptr(OwScanPage) raw = scan_simple ("Color pattern", OW_SCAN_MODE_COLOR, 100);
  g_autoptr(OwScanPage) page = NULL;
  g_autoptr(OwScanPage) line_art = NULL;
  g_autoptr(OwScanPage) raw_line_art = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GError) error = NULL;
  const char *type = NULL;

  ow_scan_options_init_default (&options);
  options.dpi = 100;
  page = scan_picture ("Color pattern", &options, NULL);
  g_assert_null (page->pixels);
  g_assert_nonnull (page->encoded);
  g_assert_cmpuint (page->width, ==, raw->width);
  g_assert_cmpuint (page->height, ==, raw->height);

  /* What it was encoded to is what storing it takes, byte for byte, without encoding again. */
  jpeg = ow_scan_page_encode (page, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "image/jpeg");
  g_assert_true (jpeg == page->encoded);
  {
    g_autoptr(GBytes) from_raw = ow_scan_page_encode (raw, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (from_raw, page->encoded));
  }

  /* Everything that needs pixels decodes them. */
  pixels = ow_scan_page_dup_pixels (page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (pixels), ==, (gsize) page->width * page->height * 3);
  g_assert_false (ow_scan_page_is_blank (page));
  g_assert_cmpfloat (ABS (ow_scan_page_ink_fraction (page) - ow_scan_page_ink_fraction (raw)),
                     <, 0.02);
  {
    g_autoptr(OwScanPage) turned = ow_scan_page_rotate (page, 90);
    g_autoptr(OwScanPage) thumb = ow_scan_page_thumbnail (page, 64);
    g_autoptr(OwScanPage) raw_thumb = ow_scan_page_thumbnail (raw, 64);

    g_assert_nonnull (turned->pixels);
    g_assert_null (turned->encoded);
    g_assert_cmpuint (turned->width, ==, page->height);
    g_assert_cmpuint (turned->height, ==, page->width);
    g_assert_cmpuint (MAX (thumb->width, thumb->height), <=, 64);
    g_assert_cmpuint (thumb->channels, ==, 3);
    g_assert_cmpuint (g_bytes_get_size (thumb->pixels),
                      ==, (gsize) thumb->width * thumb->height * 3);
    /* The size the pixels would give, and close to what they would give. */
    g_assert_cmpuint (thumb->width, ==, raw_thumb->width);
    g_assert_cmpuint (thumb->height, ==, raw_thumb->height);
    {
      const guint8 *a = g_bytes_get_data (thumb->pixels, NULL);
      const guint8 *b = g_bytes_get_data (raw_thumb->pixels, NULL);
      gsize n = g_bytes_get_size (thumb->pixels);
      guint64 diff = 0;

      for (gsize i = 0; i < n; i++)
        diff += ABS ((int) a[i] - (int) b[i]);
      g_assert_cmpfloat ((double) diff / n, <, 16.0);
    }
  }

  /* Black and white: a 1-bit PNG, which decodes to exactly what was scanned. */
  options.mode = OW_SCAN_MODE_LINEART;
  line_art = scan_picture ("Grid", &options, NULL);
  options.keep_pixels = TRUE;
  raw_line_art = scan_picture ("Grid", &options, NULL);
  g_assert_null (line_art->pixels);
  g_assert_true (line_art->bilevel);
  g_clear_pointer (&pixels, g_bytes_unref);
  pixels = ow_scan_page_dup_pixels (line_art, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (pixels, raw_line_art->pixels));

  /* A page whose encoded bytes are not a picture is refused, not read past its end. */
  {
    OwScanPage broken = *page;
    g_autoptr(GBytes) none = NULL;

    broken.encoded = g_bytes_new_static ("\xff\xd8\xff not a JPEG", 16);
    none = ow_scan_page_dup_pixels (&broken, &error);
    g_assert_null (none);
    g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED);
    g_clear_error (&error);
    g_bytes_unref (broken.encoded);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Rotation */

static OwScanPage *
small_page (guint width,
            guint height,
            guint channels)
{
  OwScanPage *page = g_new0 (OwScanPage, 1);
  guint8 *pixels = g_malloc ((gsize) width * height * channels);

  for (gsize i = 0; i < (gsize) width * height * channels; i++)
    pixels[i] = (guint8) (i * 7 + 3);
  page->width = width;
  page->height = height;
  page->channels = channels;
  page->dpi = 100;
  page->pixels = g_bytes_new_take (pixels, (gsize) width * height * channels);
  return page;
}

static const guint8 *
pixel_at (const OwScanPage *page,
          guint             x,
          guint             y)
{
  return (const guint8 *) g_bytes_get_data (page->pixels, NULL)
         + ((gsize) y * page->width + x) * page->channels;
}

static void
test_rotate (void)
{
  for (guint channels = 1; channels <= 3; channels += 2)
    {
      g_autoptr(OwScanPage) page = small_page (5, 3, channels);
      g_autoptr(OwScanPage) r90 = ow_scan_page_rotate (page, 90);
      g_autoptr(OwScanPage) r180 = ow_scan_page_rotate (page, 180);
      g_autoptr(OwScanPage) r270 = ow_scan_page_rotate (page, 270);
      g_autoptr(OwScanPage) r360 = ow_scan_page_rotate (page, 360);
      g_autoptr(OwScanPage) back = ow_scan_page_rotate (r90, 270);

      g_assert_cmpuint (r90->width, ==, 3);
      g_assert_cmpuint (r90->height, ==, 5);
      g_assert_cmpuint (r180->width, ==, 5);
      g_assert_cmpuint (r270->height, ==, 5);
      g_assert_cmpuint (r90->dpi, ==, 100);

      for (guint y = 0; y < 3; y++)
        for (guint x = 0; x < 5; x++)
          {
            /* Clockwise: the top-left corner goes to the top right. */
            g_assert_cmpmem (pixel_at (r90, 2 - y, x), channels, pixel_at (page, x, y), channels);
            g_assert_cmpmem (pixel_at (r180, 4 - x, 2 - y), channels, pixel_at (page, x, y),
                             channels);
            g_assert_cmpmem (pixel_at (r270, y, 4 - x), channels, pixel_at (page, x, y),
                             channels);
          }
      g_assert_true (g_bytes_equal (r360->pixels, page->pixels));
      g_assert_true (g_bytes_equal (back->pixels, page->pixels));
    }

  /* A real scan, turned all the way round. */
  {
    g_autoptr(OwScanPage) scan = scan_simple ("Color pattern", OW_SCAN_MODE_COLOR, 50);
    g_autoptr(OwScanPage) a = ow_scan_page_rotate (scan, 90);
    g_autoptr(OwScanPage) b = ow_scan_page_rotate (a, 90);
    g_autoptr(OwScanPage) c = ow_scan_page_rotate (b, 90);
    g_autoptr(OwScanPage) d = ow_scan_page_rotate (c, 90);
    g_autoptr(OwScanPage) half = ow_scan_page_rotate (scan, 180);

    g_assert_cmpuint (a->width, ==, scan->height);
    g_assert_true (g_bytes_equal (b->pixels, half->pixels));
    g_assert_true (g_bytes_equal (d->pixels, scan->pixels));
    g_assert_false (g_bytes_equal (b->pixels, scan->pixels));
  }
}

static void
test_thumbnail (void)
{
  g_autoptr(OwScanPage) page = scan_simple ("Grid", OW_SCAN_MODE_COLOR, 150);
  g_autoptr(OwScanPage) thumb = ow_scan_page_thumbnail (page, 200);
  g_autoptr(OwScanPage) same = ow_scan_page_thumbnail (thumb, 200);
  g_autoptr(OwScanPage) white = scan_simple ("Solid white", OW_SCAN_MODE_GRAY, 50);
  g_autoptr(OwScanPage) white_thumb = ow_scan_page_thumbnail (white, 64);
  const guint8 *p;

  /* 1240 × 1753 by blocks of 9: 137 × 194. */
  g_assert_cmpuint (thumb->width, ==, 1240 / 9);
  g_assert_cmpuint (thumb->height, ==, 1753 / 9);
  g_assert_cmpuint (MAX (thumb->width, thumb->height), <=, 200);
  g_assert_cmpuint (thumb->channels, ==, 3);
  g_assert_cmpuint (g_bytes_get_size (thumb->pixels), ==,
                    (gsize) thumb->width * thumb->height * 3);
  g_assert_true (same->pixels == thumb->pixels);

  /* Averages stay in range: white stays white. */
  g_assert_cmpuint (white_thumb->channels, ==, 1);
  p = g_bytes_get_data (white_thumb->pixels, NULL);
  for (gsize i = 0; i < g_bytes_get_size (white_thumb->pixels); i++)
    g_assert_cmpuint (p[i], ==, 255);
}

/* ------------------------------------------------------------------------------------------ */
/* Encoding */

static void
test_jpeg_round_trip (void)
{
  for (guint channels = 1; channels <= 3; channels += 2)
    {
      g_autoptr(OwScanPage) page = scan_simple ("Color pattern", channels == 3
                                                ? OW_SCAN_MODE_COLOR : OW_SCAN_MODE_GRAY, 150);
      g_autoptr(GError) error = NULL;
      const char *type = NULL;
      g_autoptr(GBytes) jpeg = ow_scan_page_encode (page, &type, &error);
      g_autofree guint8 *decoded = NULL;
      const guint8 *original = g_bytes_get_data (page->pixels, NULL);
      guint w, h, c, density;
      guint64 difference = 0;
      gsize n;

      g_assert_no_error (error);
      g_assert_cmpstr (type, ==, "image/jpeg");
      g_assert_cmpmem (g_bytes_get_data (jpeg, NULL), 3, "\xff\xd8\xff", 3);
      decoded = decode_jpeg (jpeg, &w, &h, &c, &density);
      g_assert_cmpuint (w, ==, page->width);
      g_assert_cmpuint (h, ==, page->height);
      g_assert_cmpuint (c, ==, channels);
      g_assert_cmpuint (density, ==, 150);

      /* Lossy, but close: the mean error of a sample stays small at quality 85. */
      n = (gsize) w * h * c;
      for (gsize i = 0; i < n; i++)
        difference += ABS ((int) decoded[i] - (int) original[i]);
      g_test_message ("JPEG %u channels: %zu bytes of %zu, mean error %.2f", channels,
                      g_bytes_get_size (jpeg), n, (double) difference / n);
      g_assert_cmpuint (g_bytes_get_size (jpeg), <, n / 2);
      /* The colour pattern is one-pixel stripes of saturated colours, the worst case of JPEG's
       * halved colour resolution; grey keeps full resolution. */
      if (channels == 1)
        g_assert_cmpfloat ((double) difference / n, <, 6.0);
    }

  /* A page like a real one: text and a red seal on paper. */
  {
    g_autoptr(OwScanPage) sheet = draw_sheet (20);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) jpeg = NULL;
    g_autofree guint8 *decoded = NULL;
    const guint8 *original = g_bytes_get_data (sheet->pixels, NULL);
    guint w, h, c, density;
    guint64 difference = 0;
    gsize n;

    jpeg = ow_scan_page_to_jpeg (sheet, OW_SCAN_JPEG_QUALITY, &error);
    g_assert_no_error (error);
    decoded = decode_jpeg (jpeg, &w, &h, &c, &density);
    g_assert_cmpuint (c, ==, 3);
    n = (gsize) w * h * c;
    for (gsize i = 0; i < n; i++)
      difference += ABS ((int) decoded[i] - (int) original[i]);
    g_test_message ("JPEG of a text page: %zu bytes of %zu, mean error %.2f",
                    g_bytes_get_size (jpeg), n, (double) difference / n);
    g_assert_cmpfloat ((double) difference / n, <, 3.0);
    g_assert_cmpuint (g_bytes_get_size (jpeg), <, n / 10);
  }
}

static void
test_png1_round_trip (void)
{
  OwScanOptions options;
  g_autoptr(OwScanPage) page = NULL;
  g_autoptr(OwScanPage) converted = NULL;
  g_autoptr(GError) error = NULL;
  const char *type = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree guint8 *decoded = NULL;
  guint w, h, dpi;

  /* Black and white: the test backend's grey at one bit stands in for line art. */
  ow_scan_options_init_default (&options);
  options.mode = OW_SCAN_MODE_LINEART;
  options.dpi = 150;
  options.keep_pixels = TRUE;
  page = scan_picture ("Color pattern", &options, NULL);
  g_assert_true (page->bilevel);

  png = ow_scan_page_encode (page, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "image/png");
  decoded = decode_png1 (png, &w, &h, &dpi);
  g_assert_cmpuint (w, ==, page->width);
  g_assert_cmpuint (h, ==, page->height);
  g_assert_cmpuint (dpi, ==, 150);
  g_assert_cmpmem (decoded, (gsize) w * h, g_bytes_get_data (page->pixels, NULL),
                   (gsize) w * h);
  /* One bit a pixel, then deflate: well under an eighth of a byte per pixel. */
  g_test_message ("1-bit PNG: %zu bytes for %u × %u", g_bytes_get_size (png), w, h);
  g_assert_cmpuint (g_bytes_get_size (png), <, (gsize) w * h / 8);

  /* A colour page made black and white. */
  {
    g_autoptr(OwScanPage) colour = scan_simple ("Grid", OW_SCAN_MODE_COLOR, 100);
    g_autoptr(GBytes) png2 = NULL;
    g_autofree guint8 *decoded2 = NULL;

    converted = ow_scan_page_to_bilevel (colour);
    g_assert_true (converted->bilevel);
    g_assert_cmpuint (converted->channels, ==, 1);
    png2 = ow_scan_page_encode (converted, &type, &error);
    g_assert_no_error (error);
    decoded2 = decode_png1 (png2, &w, &h, &dpi);
    g_assert_cmpuint (w, ==, colour->width);
    g_assert_cmpuint (dpi, ==, 100);
    g_assert_cmpmem (decoded2, (gsize) w * h, g_bytes_get_data (converted->pixels, NULL),
                     (gsize) w * h);
  }
}

static void
test_encode_rejects_malformed (void)
{
  OwScanPage page = { .width = 10, .height = 10, .channels = 3, .dpi = 100 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GBytes) png = NULL;

  page.pixels = g_bytes_new_static ("short", 5);
  jpeg = ow_scan_page_to_jpeg (&page, 85, &error);
  g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED);
  g_assert_null (jpeg);
  g_clear_error (&error);
  page.bilevel = TRUE;
  png = ow_scan_page_encode (&page, NULL, &error);
  g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED);
  g_assert_null (png);
  g_bytes_unref (page.pixels);
}

/* ------------------------------------------------------------------------------------------ */
/* The material's PDF, and storing */

static char *
store_material (const char    *dir,
                GPtrArray     *pages,
                GCancellable  *cancellable,
                GError       **error)
{
  GAsyncResult *result = NULL;
  char *sha256;

  ow_scan_store_material_async (dir, pages, cancellable, ready_cb, &result);
  sha256 = ow_scan_store_material_finish (wait_result (&result), error);
  g_object_unref (result);
  return sha256;
}

/* A batch from test:0's feeder (ten pages) at @dpi. */
static GPtrArray *
scan_feeder (guint    dpi,
             gboolean keep_pixels)
{
  OwScanner *scanner = ow_scanner_new ();
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  OwScanOptions options;
  GPtrArray *pages;

  ow_scan_options_init_default (&options);
  options.source = OW_SCAN_SOURCE_FEEDER;
  options.dpi = dpi;
  options.keep_pixels = keep_pixels;
  ow_scanner_set_extra_option (scanner, "test-picture", "Color pattern");
  ow_scanner_scan_async (scanner, "test:0", &options, NULL, ready_cb, &result);
  pages = ow_scanner_scan_finish (scanner, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 10);
  g_object_unref (result);
  g_assert_finalize_object (scanner);
  return pages;
}

static char *
pixels_checksum (GPtrArray *pages)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < pages->len; i++)
    {
      OwScanPage *page = g_ptr_array_index (pages, i);
      gsize size;
      const guint8 *data = g_bytes_get_data (page->pixels, &size);

      g_checksum_update (checksum, data, size);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* The buffers of a batch that ended are kept for the next one (a long application through the
 * feeder in several loads): a smaller page read into one that held a larger page is that page
 * and nothing of the old one; storing the material frees them, and so does half a minute (here
 * one second) without a batch. */
static void
test_buffers_kept (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *files = g_build_filename (dir, "files", NULL);
  g_autoptr(GPtrArray) encoded = NULL;
  g_autoptr(GPtrArray) reused = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reused_sum = NULL;
  g_autofree char *fresh_sum = NULL;
  g_autofree char *sha256 = NULL;
  gint64 start;

  ow_scan_pipeline_release_kept ();
  g_assert_cmpuint (ow_scan_pipeline_get_n_kept (), ==, 0);
  encoded = scan_feeder (100, FALSE);
  g_assert_cmpuint (ow_scan_pipeline_get_n_kept (), >, 0);
  g_assert_cmpuint (ow_scan_pipeline_get_n_kept (), <=, 3);

  /* Pixels kept this time: the pages hold the buffers, so the kept ones are all taken. */
  reused = scan_feeder (50, TRUE);
  g_assert_cmpuint (ow_scan_pipeline_get_n_kept (), ==, 0);
  reused_sum = pixels_checksum (reused);
  g_clear_pointer (&reused, g_ptr_array_unref);
  g_assert_cmpuint (ow_scan_pipeline_get_n_kept (), >, 0);

  ow_scan_pipeline_release_kept ();
  fresh = scan_feeder (50, TRUE);
  fresh_sum = pixels_checksum (fresh);
  g_assert_cmpstr (reused_sum, ==, fresh_sum);
  g_clear_pointer (&fresh, g_ptr_array_unref);

  /* Storing the material: no batch follows. */
  g_assert_cmpuint (ow_scan_pipeline_get_n_kept (), >, 0);
  sha256 = store_material (files, encoded, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sha256);
  g_assert_cmpuint (ow_scan_pipeline_get_n_kept (), ==, 0);

  /* Nobody scans for a while. */
  ow_scan_pipeline_set_keep_seconds (1);
  g_clear_pointer (&encoded, g_ptr_array_unref);
  encoded = scan_feeder (100, FALSE);
  g_assert_cmpuint (ow_scan_pipeline_get_n_kept (), >, 0);
  start = g_get_monotonic_time ();
  while (ow_scan_pipeline_get_n_kept () > 0 && g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ow_scan_pipeline_get_n_kept (), ==, 0);
  ow_scan_pipeline_set_keep_seconds (30);
}

static void
test_material_pdf (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *files = g_build_filename (dir, "files", NULL);
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_page_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *info = NULL;
  g_autofree char *list = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *extracted = NULL;
  g_autofree char *extracted_path = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  OwScanOptions options;
  gsize size;

  /* Colour at 150 dpi, grey at 100 dpi, black and white at 150 dpi. */
  g_ptr_array_add (pages, scan_simple ("Color pattern", OW_SCAN_MODE_COLOR, 150));
  g_ptr_array_add (pages, scan_simple ("Color pattern", OW_SCAN_MODE_GRAY, 100));
  ow_scan_options_init_default (&options);
  options.mode = OW_SCAN_MODE_LINEART;
  options.dpi = 150;
  g_ptr_array_add (pages, scan_picture ("Grid", &options, NULL));

  sha256 = store_material (files, pages, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (sha256), ==, 64);

  /* Named by the SHA-256 of its bytes. */
  path = g_build_filename (files, sha256, NULL);
  g_assert_true (g_file_get_contents (path, &contents, &size, &error));
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);
  g_assert_cmpstr (actual, ==, sha256);
  g_assert_cmpmem (contents, 5, "%PDF-", 5);
  g_test_message ("PDF of 3 pages: %zu bytes", size);

  /* Stored once: the same pages give the same file, whenever they are stored. */
  g_usleep (1100 * 1000);
  again = store_material (files, pages, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, sha256);
  g_assert_cmpuint (count_files (files), ==, 1);

  info = run ((const char * const[]) { "pdfinfo", path, NULL });
  g_test_message ("%s", info);
  g_assert_true (g_regex_match_simple ("^Pages: +3$", info, G_REGEX_MULTILINE, 0));
  /* A4 at its scan resolution: 1240 × 1753 pixels at 150 dpi is 595.2 × 841.44 pt. */
  g_assert_true (g_regex_match_simple ("^Page size: +595.2 x 841.44 pts", info,
                                       G_REGEX_MULTILINE, 0));

  list = run ((const char * const[]) { "pdfimages", "-list", path, NULL });
  g_test_message ("%s", list);
  {
    g_auto(GStrv) lines = g_strsplit (list, "\n", -1);
    guint n = 0;

    /* page num type width height color comp bpc enc … x-ppi y-ppi */
    for (guint i = 2; lines[i] != NULL && lines[i][0] != '\0'; i++)
      {
        g_auto(GStrv) f = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
        g_autoptr(GPtrArray) cols = g_ptr_array_new ();

        for (guint j = 0; f[j] != NULL; j++)
          if (f[j][0] != '\0')
            g_ptr_array_add (cols, f[j]);
        g_assert_cmpuint (cols->len, >=, 14);
        n++;
        if (n == 1)
          {
            g_assert_cmpstr (g_ptr_array_index (cols, 5), ==, "rgb");
            g_assert_cmpstr (g_ptr_array_index (cols, 8), ==, "jpeg");
            g_assert_cmpstr (g_ptr_array_index (cols, 12), ==, "150");
          }
        else if (n == 2)
          {
            g_assert_cmpstr (g_ptr_array_index (cols, 5), ==, "gray");
            g_assert_cmpstr (g_ptr_array_index (cols, 8), ==, "jpeg");
            g_assert_cmpstr (g_ptr_array_index (cols, 12), ==, "100");
          }
        else
          {
            /* One bit a pixel (cairo writes it as a stencil mask). */
            g_assert_cmpstr (g_ptr_array_index (cols, 7), ==, "1");
            g_assert_cmpstr (g_ptr_array_index (cols, 12), ==, "150");
          }
      }
    g_assert_cmpuint (n, ==, 3);
  }

  /* The JPEG in the PDF is byte for byte the one the encoder made: not re-encoded. */
  prefix = g_build_filename (dir, "img", NULL);
  g_free (run ((const char * const[]) { "pdfimages", "-j", "-f", "1", "-l", "1", path, prefix,
                                        NULL }));
  extracted_path = g_build_filename (dir, "img-000.jpg", NULL);
  g_assert_true (g_file_get_contents (extracted_path, &extracted, &size, &error));
  jpeg = ow_scan_page_to_jpeg (g_ptr_array_index (pages, 0), OW_SCAN_JPEG_QUALITY, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (extracted, size, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));

  remove_dir (dir);
}

static void
test_material_errors (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_page_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *blocked = NULL;

  /* No pages. */
  sha256 = store_material (dir, pages, NULL, &error);
  g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED);
  g_assert_null (sha256);
  g_clear_error (&error);

  /* Cancelled stays cancelled. */
  g_ptr_array_add (pages, small_page (40, 30, 3));
  g_cancellable_cancel (cancellable);
  sha256 = store_material (dir, pages, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* A folder that cannot be made: a file stands in its way. */
  blocked = g_build_filename (dir, "blocked", NULL);
  g_assert_true (g_file_set_contents (blocked, "x", 1, NULL));
  {
    g_autofree char *inside = g_build_filename (blocked, "files", NULL);

    sha256 = store_material (inside, pages, NULL, &error);
    g_assert_nonnull (error);
    g_assert_null (sha256);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
  }

  remove_dir (dir);
}

static void
test_store_bytes (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("abc", 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = ow_scan_store_bytes (dir, bytes, &error);
  g_autofree char *b = ow_scan_store_bytes (dir, bytes, &error);

  g_assert_no_error (error);
  /* SHA-256 ("abc"), FIPS 180-2's example. */
  g_assert_cmpstr (a, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (b, ==, a);
  g_assert_cmpuint (count_files (dir), ==, 1);
  remove_dir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* Import */

static char *
import (const char  *dir,
        const char  *path,
        char       **content_type,
        GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GAsyncResult *result = NULL;
  char *sha256;

  ow_scan_import_file_async (dir, file, NULL, ready_cb, &result);
  sha256 = ow_scan_import_file_finish (wait_result (&result), content_type, error);
  g_object_unref (result);
  return sha256;
}

static void
test_import (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *files = g_build_filename (dir, "files", NULL);
  g_autoptr(OwScanPage) page = small_page (64, 48, 3);
  g_autoptr(OwScanPage) bw = ow_scan_page_to_bilevel (page);
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  struct { const char *name; GBytes *bytes; const char *type; } cases[3];

  g_ptr_array_add (pages, page);
  cases[0].name = "id-card.jpg";
  cases[0].bytes = ow_scan_page_to_jpeg (page, 85, &error);
  cases[0].type = "image/jpeg";
  /* A misleading extension: the content decides. */
  cases[1].name = "licence.jpg";
  cases[1].bytes = ow_scan_page_to_png1 (bw, &error);
  cases[1].type = "image/png";
  cases[2].name = "form.pdf";
  cases[2].bytes = ow_scan_pages_to_pdf (pages, NULL, &error);
  cases[2].type = "application/pdf";
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      g_autofree char *type = NULL;
      g_autofree char *sha256 = NULL;
      g_autofree char *stored = NULL;
      g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256,
                                                                cases[i].bytes);
      g_autoptr(GBytes) contents = NULL;

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (cases[i].bytes, NULL),
                                          g_bytes_get_size (cases[i].bytes), NULL));
      sha256 = import (files, path, &type, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sha256, ==, expected);
      g_assert_cmpstr (type, ==, cases[i].type);

      /* Stored unchanged under its digest. */
      stored = g_build_filename (files, sha256, NULL);
      {
        g_autofree char *data = NULL;
        gsize size;

        g_assert_true (g_file_get_contents (stored, &data, &size, NULL));
        contents = g_bytes_new_take (g_steal_pointer (&data), size);
      }
      g_assert_true (g_bytes_equal (contents, cases[i].bytes));
      g_bytes_unref (cases[i].bytes);
    }
  g_assert_cmpuint (count_files (files), ==, 3);

  /* Refused: a text file named .pdf, an empty file, a folder, a missing file, a huge file. */
  {
    g_autofree char *text = g_build_filename (dir, "notes.pdf", NULL);
    g_autofree char *empty = g_build_filename (dir, "empty.png", NULL);
    g_autofree char *missing = g_build_filename (dir, "missing.pdf", NULL);
    g_autofree char *huge = g_build_filename (dir, "huge.pdf", NULL);
    g_autofree char *sha256 = NULL;
    FILE *f;

    g_assert_true (g_file_set_contents (text, "Dear clerk, PDF attached.\n", -1, NULL));
    sha256 = import (files, text, NULL, &error);
    g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NOT_A_DOCUMENT);
    g_assert_nonnull (strstr (error->message, "notes.pdf"));
    g_assert_null (sha256);
    g_clear_error (&error);

    g_assert_true (g_file_set_contents (empty, "", 0, NULL));
    sha256 = import (files, empty, NULL, &error);
    g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NOT_A_DOCUMENT);
    g_clear_error (&error);

    sha256 = import (files, dir, NULL, &error);
    g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NOT_A_DOCUMENT);
    g_clear_error (&error);

    sha256 = import (files, missing, NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_error (&error);

    /* A sparse file of 21 MiB starting like a PDF: refused by its size, never read. */
    f = fopen (huge, "wb");
    g_assert_nonnull (f);
    fputs ("%PDF-1.5\n", f);
    g_assert_cmpint (ftruncate (fileno (f), 21 * 1024 * 1024), ==, 0);
    fclose (f);
    sha256 = import (files, huge, NULL, &error);
    g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_TOO_LARGE);
    g_clear_error (&error);

    g_assert_cmpuint (count_files (files), ==, 3);
  }

  g_assert_cmpstr (ow_scan_sniff_content_type ((const guint8 *) "%PDF-1.7", 8), ==,
                   "application/pdf");
  g_assert_null (ow_scan_sniff_content_type ((const guint8 *) "%PD", 3));
  g_assert_null (ow_scan_sniff_content_type ((const guint8 *) "GIF89a", 6));

  remove_dir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* Presets and paper sizes */

static void
test_presets (void)
{
  OwScanOptions options;
  g_autoptr(OwScanPage) card = NULL;
  g_autoptr(GVariant) overrides = NULL;

  ow_scan_options_init_preset (&options, OW_SCAN_PRESET_ID_CARD);
  g_assert_cmpint (options.mode, ==, OW_SCAN_MODE_COLOR);
  g_assert_cmpuint (options.dpi, ==, 300);
  g_assert_cmpfloat (options.width_mm, ==, 85.6);
  g_assert_cmpfloat (options.height_mm, ==, 54.0);

  ow_scan_options_init_preset (&options, OW_SCAN_PRESET_A4_FORM);
  g_assert_cmpint (options.mode, ==, OW_SCAN_MODE_GRAY);
  g_assert_cmpint (options.source, ==, OW_SCAN_SOURCE_FEEDER);
  g_assert_cmpuint (options.dpi, ==, 200);
  g_assert_cmpfloat (options.width_mm, ==, 210.0);

  ow_scan_options_init_preset (&options, OW_SCAN_PRESET_CERTIFICATE);
  g_assert_cmpint (options.mode, ==, OW_SCAN_MODE_COLOR);
  g_assert_cmpint (options.source, ==, OW_SCAN_SOURCE_FLATBED);
  g_assert_cmpuint (options.dpi, ==, 300);
  g_assert_cmpfloat (options.height_mm, ==, 297.0);

  ow_scan_options_set_paper (&options, OW_SCAN_PAPER_A5);
  g_assert_cmpfloat (options.width_mm, ==, 148.0);
  g_assert_cmpfloat (options.height_mm, ==, 210.0);
  ow_scan_options_set_paper (&options, OW_SCAN_PAPER_WHOLE_AREA);
  g_assert_cmpfloat (options.width_mm, ==, 0.0);

  for (OwScanPreset p = OW_SCAN_PRESET_ID_CARD; p <= OW_SCAN_PRESET_CERTIFICATE; p++)
    g_assert_cmpint (ow_scan_preset_from_string (ow_scan_preset_to_string (p)), ==, p);
  g_assert_cmpint (ow_scan_preset_from_string ("passport"), ==, 0);

  /* The counter's changes, as GSettings holds them; wrong types are ignored. */
  overrides = g_variant_ref_sink (g_variant_new_parsed (
      "{'id-card': {'mode': <'gray'>, 'dpi': <uint32 600>, 'brightness': <20>},"
      " 'a4-form': {'dpi': <'many'>, 'source': <'duplex'>, 'width-mm': <-3.0>}}"));
  ow_scan_options_init_preset_with (&options, OW_SCAN_PRESET_ID_CARD, overrides);
  g_assert_cmpint (options.mode, ==, OW_SCAN_MODE_GRAY);
  g_assert_cmpuint (options.dpi, ==, 600);
  g_assert_cmpint (options.brightness, ==, 20);
  g_assert_cmpfloat (options.width_mm, ==, 85.6);
  ow_scan_options_init_preset_with (&options, OW_SCAN_PRESET_A4_FORM, overrides);
  g_assert_cmpuint (options.dpi, ==, 200);
  g_assert_cmpint (options.source, ==, OW_SCAN_SOURCE_DUPLEX);
  g_assert_cmpfloat (options.width_mm, ==, 210.0);
  ow_scan_options_init_preset_with (&options, OW_SCAN_PRESET_CERTIFICATE, NULL);
  g_assert_cmpuint (options.dpi, ==, 300);

  /* The same through the GSettings key the GUI keeps them in. */
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL
      ? g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE) : NULL;

    if (schema == NULL)
      g_test_message ("schema %s not installed: GSettings part skipped", APPLICATION_ID);
    else
      {
        g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
        g_autoptr(GVariant) stored = NULL;

        stored = g_settings_get_value (settings, "scan-presets");
        ow_scan_options_init_preset_with (&options, OW_SCAN_PRESET_ID_CARD, stored);
        g_assert_cmpuint (options.dpi, ==, 300);
        g_assert_true (g_settings_set_value (settings, "scan-presets", overrides));
        g_clear_pointer (&stored, g_variant_unref);
        stored = g_settings_get_value (settings, "scan-presets");
        ow_scan_options_init_preset_with (&options, OW_SCAN_PRESET_ID_CARD, stored);
        g_assert_cmpuint (options.dpi, ==, 600);
        g_assert_false (g_settings_get_boolean (settings, "scan-keep-blank"));
        g_settings_reset (settings, "scan-presets");
      }
  }

  /* The ID-card preset on the device: 85.6 × 54 mm at 300 dpi, fitted to its 1 mm steps. The
   * test backend offers no brightness or contrast: skipped without a fuss. */
  ow_scan_options_init_preset (&options, OW_SCAN_PRESET_ID_CARD);
  options.brightness = 30;
  options.contrast = -30;
  card = scan_picture ("Color pattern", &options, NULL);
  g_test_message ("ID card: %u × %u at %u dpi", card->width, card->height, card->dpi);
  g_assert_cmpuint (card->dpi, ==, 300);
  g_assert_cmpuint (card->channels, ==, 3);
  g_assert_cmpuint (card->width, >=, 1000);   /* 85.6 mm = 1011 px; 85 … 86 mm */
  g_assert_cmpuint (card->width, <=, 1016);
  g_assert_cmpuint (card->height, >=, 625);   /* 54 mm = 638 px */
  g_assert_cmpuint (card->height, <=, 650);
}

int
main (int   argc,
      char *argv[])
{
  /* meson test sets MALLOC_PERTURB_, which makes every malloc and free fill memory and so stay
   * long inside the allocator. SANE's test backend reads in a thread that sane_cancel stops with
   * an asynchronous pthread_cancel (sanei_thread); caught inside free it leaves the allocator
   * locked, and the next sane_cancel hangs for good (seen in /scanner/injected-errors, 16 copies
   * at once on 2 CPUs: a quarter of the runs hung with perturbing, 1 in 32 without). That is the
   * backend's race, not the app's: keep the allocator plain here to make it rare. */
  mallopt (M_PERTURB, 0);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("SANE_CONFIG_DIR") == NULL)
    g_error ("SANE_CONFIG_DIR must point at tests/sane (meson test sets it)");

  g_test_add_func ("/scan-pages/blank/test-pictures", test_blank_test_pictures);
  g_test_add_func ("/scan-pages/blank/drawn-sheets", test_blank_drawn_sheets);
  g_test_add_func ("/scan-pages/blank/feeder-batch", test_blank_feeder_batch);
  g_test_add_func ("/scan-pages/encoded-as-scanned", test_encoded_as_scanned);
  g_test_add_func ("/scan-pages/rotate", test_rotate);
  g_test_add_func ("/scan-pages/thumbnail", test_thumbnail);
  g_test_add_func ("/scan-pages/jpeg-round-trip", test_jpeg_round_trip);
  g_test_add_func ("/scan-pages/png1-round-trip", test_png1_round_trip);
  g_test_add_func ("/scan-pages/encode-rejects-malformed", test_encode_rejects_malformed);
  g_test_add_func ("/scan-pages/material-pdf", test_material_pdf);
  g_test_add_func ("/scan-pages/buffers-kept", test_buffers_kept);
  g_test_add_func ("/scan-pages/material-errors", test_material_errors);
  g_test_add_func ("/scan-pages/store-bytes", test_store_bytes);
  g_test_add_func ("/scan-pages/import", test_import);
  g_test_add_func ("/scan-pages/presets", test_presets);

  return g_test_run ();
}
