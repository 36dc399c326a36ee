/* ow-print-job-private.h — what the print queue changes on a job (internal)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ow-print-job.h"

G_BEGIN_DECLS

/* A job read back from the queue's directory. */
OwPrintJob *ow_print_job_restore          (const char     *id,
                                           const char     *kind,
                                           const char     *case_no,
                                           const char     *title,
                                           GBytes         *pdf,
                                           guint           copies,
                                           const char     *reprint_reason,
                                           const char     *printer,
                                           GDateTime      *created,
                                           guint           attempts);
/* Each on the main thread, notifying "state". */
void        ow_print_job_start            (OwPrintJob     *self,
                                           const char     *printer);
void        ow_print_job_fail             (OwPrintJob     *self,
                                           const GError   *error);
void        ow_print_job_complete         (OwPrintJob     *self,
                                           int             printer_job_id);

G_END_DECLS
