/* ow-printer.h — printing PDF documents through CUPS / IPP, each job followed to the end
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-types.h"

G_BEGIN_DECLS

#define OW_PRINTER_ERROR (ow_printer_error_quark ())

typedef enum
{
  OW_PRINTER_ERROR_NOT_FOUND,    /* no such destination */
  OW_PRINTER_ERROR_UNREACHABLE,  /* the printer does not answer (off, unplugged, network) */
  OW_PRINTER_ERROR_REFUSED,      /* the printer refused the job (format, size, not accepting) */
  OW_PRINTER_ERROR_STOPPED,      /* the printer stopped: out of paper, jam, cover open … */
  OW_PRINTER_ERROR_JOB_FAILED,   /* the job was aborted or cancelled at the printer */
} OwPrinterError;

GQuark ow_printer_error_quark (void);

typedef struct
{
  char    *name;          /* the CUPS destination name, or the DNS-SD service name of a printer
                           * found on the network; either can be passed to print */
  char    *uri;
  char    *info;          /* what people call it */
  gboolean is_default;
  char    *location;      /* may be NULL */
  char    *make_model;    /* may be NULL */
  gboolean is_discovered; /* an IPP Everywhere printer on the network, not a CUPS queue */
} OwPrinterInfo;

void ow_printer_info_free (OwPrinterInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPrinterInfo, ow_printer_info_free)

#define OW_TYPE_PRINTER (ow_printer_get_type ())
G_DECLARE_FINAL_TYPE (OwPrinter, ow_printer, OW, PRINTER, GObject)

OwPrinter *ow_printer_new                   (void);

/* The CUPS destinations and the IPP Everywhere printers announced on the network (browsing for
 * up to 3 s). Finishes with a GPtrArray of OwPrinterInfo; no CUPS server is an empty list, not
 * an error. */
void       ow_printer_list_async            (OwPrinter     *self,
                                             GCancellable  *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer       user_data);
GPtrArray *ow_printer_list_finish           (OwPrinter     *self,
                                             GAsyncResult  *result,
                                             GError       **error);

/* Prints @pdf on @printer (a destination name or an ipp:// URI; NULL for the system's default
 * destination) and follows the job until the printer reports it completed. Finishes with the
 * job id. */
void       ow_printer_print_async           (OwPrinter     *self,
                                             const char    *printer,
                                             const char    *title,
                                             GBytes        *pdf,
                                             guint          copies,
                                             GCancellable  *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer       user_data);
int        ow_printer_print_finish          (OwPrinter     *self,
                                             GAsyncResult  *result,
                                             GError       **error);

/* The same, blocking: for worker threads only (OwPrintQueue's). Returns the job id, or 0 with
 * @error set. */
int        ow_printer_print                 (OwPrinter     *self,
                                             const char    *printer,
                                             const char    *title,
                                             GBytes        *pdf,
                                             guint          copies,
                                             GCancellable  *cancellable,
                                             GError       **error);

G_END_DECLS
