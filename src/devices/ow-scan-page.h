/* ow-scan-page.h — processing scanned pages: rotation, blank detection, JPEG and 1-bit PNG
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions on OwScanPage (ow-scanner.h), safe on any thread. A page at 300 dpi takes tens of
 * milliseconds to encode: call them from a worker thread, or through ow-scan-store.h.
 */
#pragma once

#include "devices/ow-scanner.h"

G_BEGIN_DECLS

/* Blank detection. A pixel is dark when its luma (0 … 255) is below OW_SCAN_BLANK_DARK_LEVEL; a
 * band of OW_SCAN_BLANK_MARGIN of the width and height on every side is ignored (the shadow of
 * the lid, the feeder's edge, punched holes); a page is blank when at most OW_SCAN_BLANK_MAX_INK
 * of the remaining pixels are dark.
 *
 * Why these numbers: 160 is 63 % of white, darker than recycled paper (~220) and the faint show-
 * through of a printed back side (~200), lighter than pencil (~130), red seal ink (luma ~80) and
 * toner (< 60). 4 % is 8 mm on the short side of A4. One line of 12 pt text across 150 mm is about
 * 90 mm² of ink, 0.18 % of the 189 × 267 mm left of A4; a short signature about 40 mm², 0.08 %;
 * dust and paper fibres a few hundred pixels at 300 dpi, under 0.01 %. 0.05 % lies between. */
#define OW_SCAN_BLANK_DARK_LEVEL 160
#define OW_SCAN_BLANK_MARGIN     0.04
#define OW_SCAN_BLANK_MAX_INK    0.0005

/* The fraction (0 … 1) of dark pixels inside the margins, as the blank test counts them. */
double      ow_scan_page_ink_fraction (const OwScanPage *page);
gboolean    ow_scan_page_is_blank     (const OwScanPage *page);

/* A new page turned clockwise by @degrees (0, 90, 180 or 270). */
OwScanPage *ow_scan_page_rotate       (const OwScanPage *page,
                                       guint             degrees);

/* A new page scaled down (by averaging whole blocks of pixels) so that neither side exceeds
 * @max_side pixels, for thumbnails; grey and colour as @page, never bilevel (the averages are
 * greys). A page that already fits is returned as a copy sharing the pixels. */
OwScanPage *ow_scan_page_thumbnail    (const OwScanPage *page,
                                       guint             max_side);

/* A new page holding @page in black and white (bilevel), thresholded at the middle grey. */
OwScanPage *ow_scan_page_to_bilevel   (const OwScanPage *page);

/* The JPEG of a colour or grey page (1 or 3 components, JFIF density = the page's dpi). */
#define OW_SCAN_JPEG_QUALITY 85
GBytes     *ow_scan_page_to_jpeg      (const OwScanPage *page,
                                       int               quality,
                                       GError          **error);

/* The 1-bit grey PNG of a black-and-white page (samples below 128 are black), with its dpi in a
 * pHYs chunk. */
GBytes     *ow_scan_page_to_png1      (const OwScanPage *page,
                                       GError          **error);

/* How a page is stored: a 1-bit PNG for bilevel pages, a JPEG for the rest. Sets @content_type
 * ("image/jpeg" or "image/png") when not NULL. */
GBytes     *ow_scan_page_encode       (const OwScanPage *page,
                                       const char      **content_type,
                                       GError          **error);

/* The page's pixels: its own, or decoded from its encoded form (a JPEG decodes to close to what
 * was scanned, a 1-bit PNG to exactly it). NULL with @error set when they cannot be had. */
GBytes     *ow_scan_page_dup_pixels   (const OwScanPage *page,
                                       GError          **error);

/* Checks that @page's pixels match its size (or that it has an encoded form); sets
 * OW_SCANNER_ERROR_UNSUPPORTED when not. */
gboolean    ow_scan_page_check        (const OwScanPage *page,
                                       GError          **error);

G_END_DECLS
