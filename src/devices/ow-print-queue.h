/* ow-print-queue.h — every print job followed to the end, failed ones kept for retry
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ow-print-job.h"
#include "ow-printer.h"

G_BEGIN_DECLS

#define OW_TYPE_PRINT_QUEUE (ow_print_queue_get_type ())
G_DECLARE_FINAL_TYPE (OwPrintQueue, ow_print_queue, OW, PRINT_QUEUE, GObject)

/* Prints through @printer. With @directory (created if need be), each job is written there as
 * ID.pdf and ID.job before it is sent and removed once the printer completed it, so that a job
 * that failed — or was cut short by a crash — survives a restart: call
 * ow_print_queue_load_async() at start-up. NULL keeps jobs in memory only. */
OwPrintQueue *ow_print_queue_new            (OwPrinter           *printer,
                                             const char          *directory);

/* The jobs not yet done, oldest first: a GListModel of OwPrintJob. Failed jobs stay in it
 * until a retry succeeds or they are discarded. */
GListModel   *ow_print_queue_get_jobs       (OwPrintQueue        *self);
guint         ow_print_queue_get_n_failed   (OwPrintQueue        *self);

/* Adds @job and prints it on @printer (NULL: the system's default printer). Finishes TRUE when the printer completed it (and emits
 * ::job-finished); on a printer error finishes with it and keeps the job, failed, for
 * ow_print_queue_retry_async() (and emits ::job-failed). A cancelled job is dropped. */
void          ow_print_queue_submit_async   (OwPrintQueue        *self,
                                             OwPrintJob          *job,
                                             const char          *printer,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      ow_print_queue_submit_finish  (OwPrintQueue        *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Sends a failed @job again, to @printer or, when NULL, to the printer it last went to (the
 * system's default if that was NULL too). */
void          ow_print_queue_retry_async    (OwPrintQueue        *self,
                                             OwPrintJob          *job,
                                             const char          *printer,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      ow_print_queue_retry_finish   (OwPrintQueue        *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Drops a failed @job (the clerk gave up on it): out of the list and off the disk. */
gboolean      ow_print_queue_discard        (OwPrintQueue        *self,
                                             OwPrintJob          *job,
                                             GError             **error);

/* Reads the jobs a previous run left in the directory; they come back failed, to be retried
 * or discarded. Finishes with how many were found. */
void          ow_print_queue_load_async     (OwPrintQueue        *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
guint         ow_print_queue_load_finish    (OwPrintQueue        *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
