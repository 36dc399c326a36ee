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
  char    *name;       /* the CUPS destination name, or the URI for IPP Everywhere printers */
  char    *uri;
  char    *info;       /* what people call it */
  gboolean is_default;
} OwPrinterInfo;

void ow_printer_info_free (OwPrinterInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPrinterInfo, ow_printer_info_free)

#define OW_TYPE_PRINTER (ow_printer_get_type ())
G_DECLARE_FINAL_TYPE (OwPrinter, ow_printer, OW, PRINTER, GObject)

OwPrinter *ow_printer_new                   (void);

void       ow_printer_list_async            (OwPrinter     *self,
                                             GCancellable  *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer       user_data);
GPtrArray *ow_printer_list_finish           (OwPrinter     *self,
                                             GAsyncResult  *result,
                                             GError       **error);

/* Prints @pdf on @printer (a destination name or an ipp:// URI) and follows the job until the
 * printer reports it completed. Finishes with the job id. */
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

G_END_DECLS
