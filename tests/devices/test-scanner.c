/* test-scanner.c — the scanner against SANE's test backend
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>

#include "devices/ow-scan-page.h"
#include "devices/ow-scanner.h"

typedef struct
{
  GAsyncResult *result;
  guint         pages_done;
  guint         last_index;
  guint         progress_count;
  double        last_fraction;
  guint         progress_rises;   /* fractions higher than the one before on the same page */
  guint         progress_falls;
} Waiter;

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static void
page_done_cb (OwScanner  *scanner,
              OwScanPage *page,
              guint       index,
              Waiter     *waiter)
{
  g_assert_nonnull (page);
  g_assert_cmpuint (page->width, >, 0);
  g_assert_cmpuint (index, ==, waiter->pages_done);
  waiter->last_index = index;
  waiter->pages_done++;
  /* The next page's progress starts again from 0. */
  waiter->last_fraction = -1.0;
}

static void
progress_cb (OwScanner *scanner,
             double     fraction,
             Waiter    *waiter)
{
  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  waiter->progress_count++;
  /* A page is announced once it is encoded, which may be after the next page started: a fall
   * to the first few per cent is that next page starting, anything else going back is wrong. */
  if (waiter->progress_count > 1 && waiter->last_fraction >= 0.0
      && !(fraction < waiter->last_fraction && fraction <= 0.1))
    {
      if (fraction > waiter->last_fraction)
        waiter->progress_rises++;
      else
        waiter->progress_falls++;
    }
  waiter->last_fraction = fraction;
}

static void
wait_for (Waiter *waiter)
{
  while (waiter->result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* Scans and returns the pages, or NULL with @error set; the scanner's signals are counted. */
static GPtrArray *
scan (OwScanner           *scanner,
      const char          *device,
      const OwScanOptions *options,
      GCancellable        *cancellable,
      Waiter              *waiter,
      GError             **error)
{
  gulong page_id, progress_id;
  GPtrArray *pages;

  *waiter = (Waiter) { 0 };
  page_id = g_signal_connect (scanner, "page-done", G_CALLBACK (page_done_cb), waiter);
  progress_id = g_signal_connect (scanner, "progress", G_CALLBACK (progress_cb), waiter);
  ow_scanner_scan_async (scanner, device, options, cancellable, ready_cb, waiter);
  wait_for (waiter);
  pages = ow_scanner_scan_finish (scanner, waiter->result, error);
  g_clear_object (&waiter->result);
  g_signal_handler_disconnect (scanner, page_id);
  g_signal_handler_disconnect (scanner, progress_id);
  return pages;
}

/* Lets pending notifications run so that the scanner can go away cleanly. */
static void
drain_and_finalize (OwScanner *scanner)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (scanner);
}

static void
test_list_devices (void)
{
  OwScanner *scanner = ow_scanner_new ();
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  gboolean found = FALSE;

  ow_scanner_list_devices_async (scanner, NULL, ready_cb, &waiter);
  wait_for (&waiter);
  devices = ow_scanner_list_devices_finish (scanner, waiter.result, &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);
  g_assert_nonnull (devices);
  g_assert_cmpuint (devices->len, ==, 2);   /* tests/sane/test.conf: number_of_devices 2 */

  for (guint i = 0; i < devices->len; i++)
    {
      OwScanDevice *device = g_ptr_array_index (devices, i);

      g_assert_nonnull (device->vendor);
      g_assert_nonnull (device->model);
      if (g_strcmp0 (device->name, "test:0") == 0)
        found = TRUE;
    }
  g_assert_true (found);

  drain_and_finalize (scanner);
}

static void
assert_png_matches (const OwScanPage *page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = ow_scan_page_to_png (page, &error);
  g_autoptr(GBytes) pixel_bytes = ow_scan_page_dup_pixels (page, NULL);
  g_autofree char *path = NULL;
  cairo_surface_t *surface;
  const guint8 *pixels = g_bytes_get_data (pixel_bytes, NULL);
  const guint8 *data;
  int fd;

  g_assert_no_error (error);
  g_assert_nonnull (png);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);

  fd = g_file_open_tmp ("ow-scan-XXXXXX.png", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);

  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, page->width);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, page->height);

  /* The pixel in the middle survives the round trip. */
  data = cairo_image_surface_get_data (surface);
  {
    guint x = page->width / 2, y = page->height / 2;
    const guint8 *src = pixels + ((gsize) y * page->width + x) * page->channels;
    int stride = cairo_image_surface_get_stride (surface);

    if (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_RGB24
        || cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32)
      {
        guint32 argb = *(const guint32 *) (data + (gsize) y * stride + 4 * x);

        g_assert_cmpuint ((argb >> 16) & 0xff, ==, src[0]);
        g_assert_cmpuint ((argb >> 8) & 0xff, ==, src[page->channels == 3 ? 1 : 0]);
        g_assert_cmpuint (argb & 0xff, ==, src[page->channels == 3 ? 2 : 0]);
      }
    else
      {
        g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_A8);
        g_assert_cmpuint (data[(gsize) y * stride + x], ==, src[0]);
      }
  }

  cairo_surface_destroy (surface);
  g_unlink (path);
}

static void
test_flatbed_colour (void)
{
  OwScanner *scanner = ow_scanner_new ();
  OwScanOptions options;
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  OwScanPage *page;

  ow_scan_options_init_default (&options);
  g_assert_cmpint (options.source, ==, OW_SCAN_SOURCE_FLATBED);
  options.dpi = 150;
  pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);
  g_assert_cmpuint (waiter.pages_done, ==, 1);
  g_assert_cmpuint (waiter.progress_count, >, 10);
  g_assert_cmpuint (waiter.progress_falls, ==, 0);

  page = g_ptr_array_index (pages, 0);
  /* A4 at 150 dpi: 210 mm → 1240 pixels, 297 mm → 1753 lines (what scanimage gives too). */
  g_assert_cmpuint (page->width, ==, 1240);
  g_assert_cmpuint (page->height, ==, 1753);
  g_assert_cmpuint (page->channels, ==, 3);
  g_assert_cmpuint (page->dpi, ==, 150);
  /* Encoded as it arrived, its pixels let go. */
  g_assert_null (page->pixels);
  g_assert_nonnull (page->encoded);
  g_assert_cmpmem (g_bytes_get_data (page->encoded, NULL), 3, "\xff\xd8\xff", 3);
  {
    g_autoptr(GBytes) pixels = ow_scan_page_dup_pixels (page, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (pixels), ==, 1240 * 1753 * 3);
  }
  assert_png_matches (page);

  /* Half the resolution and a smaller area. */
  options.dpi = 75;
  options.width_mm = 100;
  options.height_mm = 50;
  g_clear_pointer (&pages, g_ptr_array_unref);
  pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  page = g_ptr_array_index (pages, 0);
  g_assert_cmpuint (page->dpi, ==, 75);
  g_assert_cmpuint (page->width, >=, 294);
  g_assert_cmpuint (page->width, <=, 296);
  g_assert_cmpuint (page->height, >=, 146);
  g_assert_cmpuint (page->height, <=, 148);

  drain_and_finalize (scanner);
}

static void
test_snap_resolution (void)
{
  OwScanner *scanner = ow_scanner_new ();
  OwScanOptions options;
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;

  /* The test backend offers 1 … 1200 dpi: a wish beyond is clamped to the range. */
  ow_scan_options_init_default (&options);
  options.dpi = 5000;
  options.width_mm = 10;
  options.height_mm = 10;
  pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((OwScanPage *) g_ptr_array_index (pages, 0))->dpi, ==, 1200);
  g_assert_cmpuint (((OwScanPage *) g_ptr_array_index (pages, 0))->width, >=, 472);
  g_assert_cmpuint (((OwScanPage *) g_ptr_array_index (pages, 0))->width, <=, 473);

  drain_and_finalize (scanner);
}

static void
test_feeder_batch (void)
{
  OwScanner *scanner = ow_scanner_new ();
  OwScanOptions options;
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;

  ow_scan_options_init_default (&options);
  options.source = OW_SCAN_SOURCE_FEEDER;
  options.dpi = 50;
  pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  /* The test backend's feeder holds 10 sheets. */
  g_assert_cmpuint (pages->len, ==, 10);
  g_assert_cmpuint (waiter.pages_done, ==, 10);
  g_assert_cmpuint (waiter.last_index, ==, 9);
  /* Progress rises on every page and starts again on the next. */
  g_assert_cmpuint (waiter.progress_count, >=, 10 * 2);
  g_assert_cmpuint (waiter.progress_rises, >=, 10);
  g_assert_cmpuint (waiter.progress_falls, ==, 0);
  for (guint i = 0; i < pages->len; i++)
    {
      OwScanPage *page = g_ptr_array_index (pages, i);

      g_assert_cmpuint (page->channels, ==, 3);
      g_assert_cmpuint (page->width, ==, ((OwScanPage *) g_ptr_array_index (pages, 0))->width);
      g_assert_cmpuint (page->height, >, 500);
      /* Every page encoded as it arrived: the batch holds no raw page. */
      g_assert_null (page->pixels);
      g_assert_nonnull (page->encoded);
    }

  /* The same batch with the pixels kept: the same pages, and each encoded page is exactly what
   * encoding its raw page gives. */
  {
    g_autoptr(GPtrArray) raw = NULL;

    options.keep_pixels = TRUE;
    raw = scan (scanner, "test:0", &options, NULL, &waiter, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (raw->len, ==, 10);
    for (guint i = 0; i < raw->len; i++)
      {
        OwScanPage *kept = g_ptr_array_index (raw, i);
        OwScanPage *encoded = g_ptr_array_index (pages, i);
        g_autoptr(GBytes) again = ow_scan_page_encode (kept, NULL, &error);

        g_assert_no_error (error);
        g_assert_null (kept->encoded);
        g_assert_nonnull (kept->pixels);
        g_assert_cmpuint (kept->width, ==, encoded->width);
        g_assert_cmpuint (kept->height, ==, encoded->height);
        g_assert_true (g_bytes_equal (again, encoded->encoded));
      }
    options.keep_pixels = FALSE;
  }

  /* The device has no duplex source. */
  options.source = OW_SCAN_SOURCE_DUPLEX;
  g_clear_pointer (&pages, g_ptr_array_unref);
  pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED);
  g_assert_null (pages);

  drain_and_finalize (scanner);
}

static gsize
count_distinct (const OwScanPage *page)
{
  gboolean seen[256] = { FALSE };
  g_autoptr(GBytes) bytes = ow_scan_page_dup_pixels (page, NULL);
  const guint8 *pixels = g_bytes_get_data (bytes, NULL);
  gsize n = 0;

  for (gsize i = 0; i < g_bytes_get_size (bytes); i++)
    if (!seen[pixels[i]])
      {
        seen[pixels[i]] = TRUE;
        n++;
      }
  return n;
}

static OwScanPage *
scan_gray (OwScanner  *scanner,
           OwScanMode  mode,
           const char *depth,
           GPtrArray **pages)
{
  OwScanOptions options;
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  OwScanPage *page;

  ow_scan_options_init_default (&options);
  options.mode = mode;
  options.dpi = 100;
  ow_scanner_set_extra_option (scanner, "depth", depth);
  *pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((*pages)->len, ==, 1);
  page = g_ptr_array_index (*pages, 0);
  g_assert_cmpuint (page->channels, ==, 1);
  {
    g_autoptr(GBytes) pixels = ow_scan_page_dup_pixels (page, NULL);

    g_assert_cmpuint (g_bytes_get_size (pixels), ==, (gsize) page->width * page->height);
  }
  return page;
}

static void
test_gray_depths (void)
{
  OwScanner *scanner = ow_scanner_new ();
  g_autoptr(GPtrArray) pages1 = NULL;
  g_autoptr(GPtrArray) pages8 = NULL;
  g_autoptr(GPtrArray) pages16 = NULL;
  g_autoptr(GPtrArray) lineart = NULL;
  OwScanPage *p1, *p8, *p16, *pl;

  p1 = scan_gray (scanner, OW_SCAN_MODE_GRAY, "1", &pages1);
  g_assert_cmpuint (count_distinct (p1), ==, 2);   /* black and white only */
  assert_png_matches (p1);

  p8 = scan_gray (scanner, OW_SCAN_MODE_GRAY, "8", &pages8);
  g_assert_cmpuint (count_distinct (p8), >, 2);
  g_assert_cmpuint (p8->width, ==, p1->width);
  g_assert_cmpuint (p8->height, ==, p1->height);
  assert_png_matches (p8);

  p16 = scan_gray (scanner, OW_SCAN_MODE_GRAY, "16", &pages16);
  g_assert_cmpuint (count_distinct (p16), >, 2);
  g_assert_cmpuint (p16->width, ==, p8->width);
  g_assert_cmpuint (p16->height, ==, p8->height);

  /* The test backend has no line-art mode: grey at one bit stands in. */
  ow_scanner_set_extra_option (scanner, "depth", NULL);
  {
    OwScanOptions options;
    Waiter waiter = { 0 };
    g_autoptr(GError) error = NULL;

    ow_scan_options_init_default (&options);
    options.mode = OW_SCAN_MODE_LINEART;
    options.dpi = 100;
    lineart = scan (scanner, "test:0", &options, NULL, &waiter, &error);
    g_assert_no_error (error);
    pl = g_ptr_array_index (lineart, 0);
    g_assert_cmpuint (pl->channels, ==, 1);
    g_assert_cmpuint (count_distinct (pl), ==, 2);
  }

  drain_and_finalize (scanner);
}

static void
test_three_pass_and_hand_scanner (void)
{
  OwScanner *scanner = ow_scanner_new ();
  OwScanOptions options;
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) single = NULL;
  g_autoptr(GPtrArray) three = NULL;
  g_autoptr(GPtrArray) hand = NULL;
  OwScanPage *a, *b, *h;

  ow_scan_options_init_default (&options);
  options.dpi = 60;
  /* The frames as they came, to compare them exactly. */
  options.keep_pixels = TRUE;
  single = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);

  /* Three frames (red, green, blue) merge into the same picture as one RGB frame. */
  ow_scanner_set_extra_option (scanner, "three-pass", "yes");
  three = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  a = g_ptr_array_index (single, 0);
  b = g_ptr_array_index (three, 0);
  g_assert_cmpuint (b->channels, ==, 3);
  g_assert_cmpuint (b->width, ==, a->width);
  g_assert_cmpuint (b->height, ==, a->height);
  g_assert_true (g_bytes_equal (a->pixels, b->pixels));

  /* Encoded as they arrive, a feeder's three-pass pages: each page's three frames are read
   * while earlier pages are being encoded, and none waits for a buffer another holds. */
  {
    g_autoptr(GPtrArray) batch = NULL;

    options.keep_pixels = FALSE;
    options.source = OW_SCAN_SOURCE_FEEDER;
    batch = scan (scanner, "test:0", &options, NULL, &waiter, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (batch->len, ==, 10);
    for (guint i = 0; i < batch->len; i++)
      {
        OwScanPage *page = g_ptr_array_index (batch, i);
        g_autoptr(GBytes) again = ow_scan_page_encode (a, NULL, &error);

        g_assert_no_error (error);
        g_assert_null (page->pixels);
        g_assert_cmpuint (page->width, ==, a->width);
        g_assert_true (g_bytes_equal (page->encoded, again));
      }
    options.source = OW_SCAN_SOURCE_FLATBED;
    options.keep_pixels = TRUE;
  }
  ow_scanner_set_extra_option (scanner, "three-pass", NULL);

  /* A hand scanner does not know the height in advance (lines == -1). */
  ow_scanner_set_extra_option (scanner, "hand-scanner", "yes");
  hand = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  h = g_ptr_array_index (hand, 0);
  g_assert_cmpuint (h->height, >, 100);
  g_assert_cmpuint (g_bytes_get_size (h->pixels), ==, (gsize) h->width * h->height * 3);

  drain_and_finalize (scanner);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_mid_page (void)
{
  OwScanner *scanner = ow_scanner_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  OwScanOptions options;
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  gint64 start, elapsed;

  /* 1 KiB every 50 ms: a colour page at 150 dpi would take minutes. */
  ow_scanner_set_extra_option (scanner, "read-limit", "yes");
  ow_scanner_set_extra_option (scanner, "read-limit-size", "1024");
  ow_scanner_set_extra_option (scanner, "read-delay", "yes");
  ow_scanner_set_extra_option (scanner, "read-delay-duration", "50000");
  ow_scan_options_init_default (&options);

  g_timeout_add (400, cancel_cb, cancellable);
  start = g_get_monotonic_time ();
  pages = scan (scanner, "test:0", &options, cancellable, &waiter, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (pages);
  g_assert_cmpuint (waiter.pages_done, ==, 0);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);

  /* The scanner works again after a cancelled job. */
  g_clear_error (&error);
  ow_scanner_set_extra_option (scanner, "read-delay", "no");
  ow_scanner_set_extra_option (scanner, "read-limit", "no");
  options.dpi = 50;
  pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);

  drain_and_finalize (scanner);
}

static void
test_cancel_before_start (void)
{
  OwScanner *scanner = ow_scanner_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;

  g_cancellable_cancel (cancellable);
  pages = scan (scanner, "test:0", NULL, cancellable, &waiter, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (pages);

  drain_and_finalize (scanner);
}

static void
test_superseded_job (void)
{
  OwScanner *scanner = ow_scanner_new ();
  OwScanOptions options;
  Waiter first = { 0 }, second = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  gulong id;

  ow_scan_options_init_default (&options);
  options.dpi = 50;
  ow_scanner_set_extra_option (scanner, "read-delay", "yes");
  ow_scanner_set_extra_option (scanner, "read-delay-duration", "20000");

  /* A second scan started before the first finishes supersedes it. */
  ow_scanner_scan_async (scanner, "test:0", &options, NULL, ready_cb, &first);
  id = g_signal_connect (scanner, "page-done", G_CALLBACK (page_done_cb), &second);
  ow_scanner_scan_async (scanner, "test:0", &options, NULL, ready_cb, &second);
  wait_for (&first);
  pages = ow_scanner_scan_finish (scanner, first.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (pages);
  g_clear_error (&error);

  wait_for (&second);
  pages = ow_scanner_scan_finish (scanner, second.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);
  /* Only the second job's page was announced. */
  g_assert_cmpuint (second.pages_done, ==, 1);
  g_signal_handler_disconnect (scanner, id);
  g_clear_object (&first.result);
  g_clear_object (&second.result);

  drain_and_finalize (scanner);
}

typedef struct
{
  const char *status;
  GQuark      domain;
  int         code;
} InjectedError;

static void
test_injected_errors (void)
{
  OwScanner *scanner = ow_scanner_new ();
  const InjectedError cases[] = {
    { "SANE_STATUS_JAMMED", OW_SCANNER_ERROR, OW_SCANNER_ERROR_JAMMED },
    { "SANE_STATUS_COVER_OPEN", OW_SCANNER_ERROR, OW_SCANNER_ERROR_COVER_OPEN },
    { "SANE_STATUS_NO_DOCS", OW_SCANNER_ERROR, OW_SCANNER_ERROR_NO_DOCUMENTS },
    { "SANE_STATUS_IO_ERROR", OW_SCANNER_ERROR, OW_SCANNER_ERROR_IO },
    { "SANE_STATUS_DEVICE_BUSY", OW_SCANNER_ERROR, OW_SCANNER_ERROR_BUSY },
    { "SANE_STATUS_UNSUPPORTED", OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED },
    { "SANE_STATUS_NO_MEM", OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED },
    { "SANE_STATUS_ACCESS_DENIED", OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED },
    { "SANE_STATUS_INVAL", OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED },
    { "SANE_STATUS_CANCELLED", G_IO_ERROR, G_IO_ERROR_CANCELLED },
  };
  OwScanOptions options;

  ow_scan_options_init_default (&options);
  options.dpi = 50;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Waiter waiter = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) pages = NULL;

      ow_scanner_set_extra_option (scanner, "read-return-value", cases[i].status);
      pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
      g_test_message ("%s → %s", cases[i].status, error ? error->message : "(no error)");
      g_assert_error (error, cases[i].domain, cases[i].code);
      g_assert_null (pages);
      g_assert_cmpuint (waiter.pages_done, ==, 0);
      g_assert_cmpuint (strlen (error->message), >, 20);
    }

  /* A clerk can act on the message. */
  {
    Waiter waiter = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) pages = NULL;

    ow_scanner_set_extra_option (scanner, "read-return-value", "SANE_STATUS_JAMMED");
    pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
    g_assert_nonnull (strstr (error->message, "jammed"));
  }

  /* Back to normal. */
  {
    Waiter waiter = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) pages = NULL;

    ow_scanner_set_extra_option (scanner, "read-return-value", "Default");
    pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (pages->len, ==, 1);
  }

  drain_and_finalize (scanner);
}

static void
test_no_device (void)
{
  OwScanner *scanner = ow_scanner_new ();
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;

  pages = scan (scanner, "test:9", NULL, NULL, &waiter, &error);
  g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NO_DEVICE);
  g_assert_null (pages);
  g_clear_error (&error);

  pages = scan (scanner, "nosuchbackend:0", NULL, NULL, &waiter, &error);
  g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NO_DEVICE);
  g_assert_null (pages);

  drain_and_finalize (scanner);
}

/* The test backend's configuration, copied so that a test can change it (see main). */
static char *sane_dir;

static void
write_test_conf (guint n_devices)
{
  g_autofree char *path = g_build_filename (sane_dir, "test.conf", NULL);
  g_autofree char *conf = g_strdup_printf ("number_of_devices %u\nmode Color\nresolution 150.0\n"
                                           "test-picture \"Color pattern\"\ngeometry_max 300.0\n"
                                           "br_x 210.0\nbr_y 297.0\n", n_devices);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, conf, -1, &error);
  g_assert_no_error (error);
}

static GPtrArray *
refresh (OwScanner *scanner)
{
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *devices;

  ow_scanner_refresh_devices_async (scanner, NULL, ready_cb, &waiter);
  wait_for (&waiter);
  devices = ow_scanner_list_devices_finish (scanner, waiter.result, &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);
  return devices;
}

/* A scanner unplugged mid-session: the list no longer shows it after a refresh, and scanning
 * with it says it is gone; one never seen is simply not found. Plugged in again, it works. */
static void
test_device_gone (void)
{
  OwScanner *scanner = ow_scanner_new ();
  OwScanOptions options;
  Waiter waiter = { 0 };
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GError) error = NULL;

  ow_scan_options_init_default (&options);
  options.dpi = 25;

  write_test_conf (2);
  devices = refresh (scanner);
  g_assert_cmpuint (devices->len, ==, 2);
  pages = scan (scanner, "test:1", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  g_clear_pointer (&pages, g_ptr_array_unref);

  /* Unplugged. */
  write_test_conf (1);
  g_clear_pointer (&devices, g_ptr_array_unref);
  devices = refresh (scanner);
  g_assert_cmpuint (devices->len, ==, 1);
  g_assert_cmpstr (((OwScanDevice *) g_ptr_array_index (devices, 0))->name, ==, "test:0");

  pages = scan (scanner, "test:1", &options, NULL, &waiter, &error);
  g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_GONE);
  g_assert_null (pages);
  g_assert_nonnull (strstr (error->message, "test:1"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  pages = scan (scanner, "test:7", &options, NULL, &waiter, &error);
  g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NO_DEVICE);
  g_clear_error (&error);

  /* The other scanner still works. */
  pages = scan (scanner, "test:0", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);
  g_clear_pointer (&pages, g_ptr_array_unref);

  /* Plugged in again. */
  write_test_conf (2);
  g_clear_pointer (&devices, g_ptr_array_unref);
  devices = refresh (scanner);
  g_assert_cmpuint (devices->len, ==, 2);
  pages = scan (scanner, "test:1", &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);

  drain_and_finalize (scanner);
}

static void
remove_sane_dir (void)
{
  const char *names[] = { "dll.conf", "test.conf" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (sane_dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (sane_dir);
  g_clear_pointer (&sane_dir, g_free);
}

static void
test_default_device (void)
{
  OwScanner *scanner = ow_scanner_new ();
  OwScanOptions options;
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;

  /* No device named: the first one found. */
  ow_scan_options_init_default (&options);
  options.dpi = 50;
  pages = scan (scanner, NULL, &options, NULL, &waiter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);

  drain_and_finalize (scanner);
}

static void
test_png_rejects_malformed (void)
{
  OwScanPage page = { .width = 10, .height = 10, .channels = 3, .dpi = 100 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;

  page.pixels = g_bytes_new_static ("short", 5);
  png = ow_scan_page_to_png (&page, &error);
  g_assert_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED);
  g_assert_null (png);
  g_bytes_unref (page.pixels);
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

  /* A copy of tests/sane, set before any thread starts: /scanner/device-gone rewrites it. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *dll = g_build_filename (g_getenv ("SANE_CONFIG_DIR"), "dll.conf", NULL);
    g_autofree char *contents = NULL;
    g_autofree char *copy = NULL;

    sane_dir = g_dir_make_tmp ("ow-test-sane-XXXXXX", &error);
    g_assert_no_error (error);
    g_file_get_contents (dll, &contents, NULL, &error);
    g_assert_no_error (error);
    copy = g_build_filename (sane_dir, "dll.conf", NULL);
    g_file_set_contents (copy, contents, -1, &error);
    g_assert_no_error (error);
    write_test_conf (2);
    g_setenv ("SANE_CONFIG_DIR", sane_dir, TRUE);
  }

  g_test_add_func ("/scanner/list-devices", test_list_devices);
  g_test_add_func ("/scanner/flatbed-colour", test_flatbed_colour);
  g_test_add_func ("/scanner/snap-resolution", test_snap_resolution);
  g_test_add_func ("/scanner/feeder-batch", test_feeder_batch);
  g_test_add_func ("/scanner/gray-depths", test_gray_depths);
  g_test_add_func ("/scanner/three-pass-and-hand-scanner", test_three_pass_and_hand_scanner);
  g_test_add_func ("/scanner/cancel-mid-page", test_cancel_mid_page);
  g_test_add_func ("/scanner/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/scanner/superseded-job", test_superseded_job);
  g_test_add_func ("/scanner/injected-errors", test_injected_errors);
  g_test_add_func ("/scanner/no-device", test_no_device);
  g_test_add_func ("/scanner/default-device", test_default_device);
  g_test_add_func ("/scanner/device-gone", test_device_gone);
  g_test_add_func ("/scanner/png-rejects-malformed", test_png_rejects_malformed);

  {
    int status = g_test_run ();

    remove_sane_dir ();
    return status;
  }
}
