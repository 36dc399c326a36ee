/* ow-print-jobs.h — the counter's print queue, and the window of print jobs that failed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "devices/ow-print-queue.h"
#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

/* The print queue of @context's counter (borrowed), made on first use once the store is open:
 * its jobs are kept beside the local database (print-jobs/), a previous run's unfinished jobs
 * come back failed for retry, and every completed reprint goes into the store's audit log with
 * its reason. NULL before the store is open. */
OwPrintQueue *ow_print_jobs_get_queue (OwContext *context);

#define OW_TYPE_PRINT_JOBS_WINDOW (ow_print_jobs_window_get_type ())
G_DECLARE_FINAL_TYPE (OwPrintJobsWindow, ow_print_jobs_window, OW, PRINT_JOBS_WINDOW, AdwWindow)

/* The jobs not yet printed, each with Retry and Discard (Discard asks first). */
GtkWidget *ow_print_jobs_window_new        (GtkWindow         *parent,
                                            OwContext         *context);
guint      ow_print_jobs_window_get_n_rows (OwPrintJobsWindow *self);

G_END_DECLS
