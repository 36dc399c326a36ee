/* ow-scanner.h — scanning through SANE on one worker thread
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All SANE calls happen on the scanner's own thread; requests go to it through a queue and results
 * come back to the main context of the caller. A request carries a job id, so the results of a
 * cancelled job are dropped.
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-types.h"

G_BEGIN_DECLS

#define OW_SCANNER_ERROR (ow_scanner_error_quark ())

typedef enum
{
  OW_SCANNER_ERROR_NO_DEVICE,    /* no scanner found, or the named one does not exist */
  OW_SCANNER_ERROR_GONE,         /* the device went away (unplugged, network lost) */
  OW_SCANNER_ERROR_BUSY,
  OW_SCANNER_ERROR_JAMMED,
  OW_SCANNER_ERROR_COVER_OPEN,
  OW_SCANNER_ERROR_NO_DOCUMENTS, /* the feeder is empty before the first page */
  OW_SCANNER_ERROR_IO,
  OW_SCANNER_ERROR_UNSUPPORTED,  /* an option or a format the app cannot handle */
  OW_SCANNER_ERROR_FAILED,
  OW_SCANNER_ERROR_NOT_A_DOCUMENT, /* an imported file is not a PDF, JPEG or PNG */
  OW_SCANNER_ERROR_TOO_LARGE,      /* a file over the platform's 20 MiB limit */
} OwScannerError;

GQuark ow_scanner_error_quark (void);

typedef struct
{
  char *name;     /* SANE device name, "test:0" */
  char *vendor;
  char *model;
  char *type;     /* "flatbed scanner" … */
} OwScanDevice;

void          ow_scan_device_free (OwScanDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwScanDevice, ow_scan_device_free)

typedef enum
{
  OW_SCAN_SOURCE_FLATBED = 1,
  OW_SCAN_SOURCE_FEEDER,      /* scans until the feeder is empty */
  OW_SCAN_SOURCE_DUPLEX,
} OwScanSource;

typedef enum
{
  OW_SCAN_MODE_COLOR = 1,
  OW_SCAN_MODE_GRAY,
  OW_SCAN_MODE_LINEART,
} OwScanMode;

typedef struct
{
  OwScanSource source;
  OwScanMode   mode;
  guint        dpi;        /* snapped to what the device offers */
  double       width_mm;   /* 0: the device's whole area */
  double       height_mm;
  int          brightness; /* -100 … 100 % of the device's range either side of its middle; */
  int          contrast;   /* 0 leaves the device's own setting. Skipped where not offered. */
  gboolean     keep_blank; /* FALSE: blank sheets of a feeder batch are dropped (see
                            * ow_scan_page_is_blank) and announced by "blank-dropped" */
  gboolean     keep_pixels; /* TRUE: pages come as scanned, with their pixels and not encoded,
                             * for callers that work on the pixels (a batch then holds every
                             * raw page); FALSE: encoded as they arrive (OwScanPage.encoded) */
} OwScanOptions;

/* Flatbed, colour, 150 dpi, A4, brightness and contrast untouched, blank sheets dropped.
 * Presets per kind of material and paper sizes: ow-scan-presets.h. */
void ow_scan_options_init_default (OwScanOptions *options);

/* A scanned page as 8-bit pixels (1- and 16-bit input is converted), rows packed, or as the
 * file it is stored as, or both. Pages from the scanner come encoded only: each is encoded as it
 * arrives and its pixels let go, so that a batch does not hold every raw page (26 MB each at
 * 300 dpi colour). ow-scan-page.h decodes what it needs (ow_scan_page_dup_pixels). */
typedef struct
{
  guint   width;
  guint   height;
  guint   channels;    /* 1 grey, 3 RGB */
  guint   dpi;
  GBytes *pixels;      /* width × channels bytes per row; NULL when only @encoded holds it */
  gboolean bilevel;    /* black-and-white: every sample is 0 or 255 (stored as 1-bit PNG) */
  GBytes *encoded;     /* what ow_scan_page_encode() gives for the page, or NULL */
} OwScanPage;

void        ow_scan_page_free   (OwScanPage       *page);
/* A copy sharing the (immutable) pixels and encoded bytes. */
OwScanPage *ow_scan_page_copy   (const OwScanPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwScanPage, ow_scan_page_free)
/* Encodes the page as PNG. */
GBytes *ow_scan_page_to_png (const OwScanPage *page,
                             GError          **error);

#define OW_TYPE_SCANNER (ow_scanner_get_type ())
G_DECLARE_FINAL_TYPE (OwScanner, ow_scanner, OW, SCANNER, GObject)

/* Signals:
 *   "page-done" (OwScanPage *page, guint index): a page finished; the page belongs to the scanner.
 *     @index counts the pages kept, from 0.
 *   "progress" (double fraction): of the current page, rising from 0 to 1 on every page.
 *   "blank-dropped" (guint sheet): a blank sheet of a feeder batch was left out; @sheet counts
 *     every sheet fed, from 0.
 */
OwScanner *ow_scanner_new                  (void);

/* Local devices only (no network probes). Finishes with a GPtrArray of OwScanDevice. */
void       ow_scanner_list_devices_async   (OwScanner     *self,
                                            GCancellable  *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer       user_data);
GPtrArray *ow_scanner_list_devices_finish  (OwScanner     *self,
                                            GAsyncResult  *result,
                                            GError       **error);

/* Like ow_scanner_list_devices_async, but first restarts SANE so that every backend looks for its
 * devices again: scanners plugged in or switched on since appear, and those gone disappear. A
 * scan of a device that was listed once and has gone since fails with OW_SCANNER_ERROR_GONE.
 * Finishes with ow_scanner_list_devices_finish. */
void       ow_scanner_refresh_devices_async (OwScanner          *self,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);

/* Scans one page (flatbed) or every page in the feeder. Finishes with a GPtrArray of OwScanPage
 * (empty when every sheet of a batch was blank and dropped); cancelling stops at once and
 * finishes with G_IO_ERROR_CANCELLED. A device listed earlier that cannot be opened any more
 * fails with OW_SCANNER_ERROR_GONE. */
void       ow_scanner_scan_async           (OwScanner           *self,
                                            const char          *device,
                                            const OwScanOptions *options,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *ow_scanner_scan_finish          (OwScanner     *self,
                                            GAsyncResult  *result,
                                            GError       **error);

/* Sets a backend-specific option by its SANE name ("depth", "read-return-value" …) for the scans
 * that start from now on; applied after source, mode, resolution and area, so it wins. The value
 * is parsed as the option's type (yes/no for booleans, numbers in the option's unit). NULL
 * @value removes it. Options the device lacks or has inactive are skipped. */
void       ow_scanner_set_extra_option     (OwScanner     *self,
                                            const char    *name,
                                            const char    *value);

G_END_DECLS
