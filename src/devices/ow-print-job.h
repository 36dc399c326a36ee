/* ow-print-job.h — one document to print: what it is, for which case, how it went
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  OW_PRINT_JOB_QUEUED = 1,   /* waiting to be sent */
  OW_PRINT_JOB_PRINTING,     /* sent, followed at the printer */
  OW_PRINT_JOB_FAILED,       /* kept for retry: the error says why and what to do */
  OW_PRINT_JOB_DONE,         /* the printer reported it completed */
} OwPrintJobState;

#define OW_TYPE_PRINT_JOB (ow_print_job_get_type ())
G_DECLARE_FINAL_TYPE (OwPrintJob, ow_print_job, OW, PRINT_JOB, GObject)

/* @kind is the document kind's stable name ("acceptance", "pickup-slip" …; devices know no
 * documents), @case_no the case it belongs to or NULL, @pdf the finished document with all its
 * copies, @copies how many times the printer prints it (1 when the copies are pages of @pdf). */
OwPrintJob      *ow_print_job_new                (const char      *kind,
                                                  const char      *case_no,
                                                  const char      *title,
                                                  GBytes          *pdf,
                                                  guint            copies);
/* A reprint of a document printed before, and why (a torn page, a lost notice …): recorded in
 * the audit log when the job completes. */
void             ow_print_job_set_reprint_reason (OwPrintJob      *self,
                                                  const char      *reason);

const char      *ow_print_job_get_id             (OwPrintJob      *self);
const char      *ow_print_job_get_kind           (OwPrintJob      *self);
const char      *ow_print_job_get_case_no        (OwPrintJob      *self);
const char      *ow_print_job_get_title          (OwPrintJob      *self);
GBytes          *ow_print_job_get_pdf            (OwPrintJob      *self);
guint            ow_print_job_get_copies         (OwPrintJob      *self);
const char      *ow_print_job_get_reprint_reason (OwPrintJob      *self);
/* The printer it was last sent to (a CUPS destination or an ipp:// URI). */
const char      *ow_print_job_get_printer        (OwPrintJob      *self);
OwPrintJobState  ow_print_job_get_state          (OwPrintJob      *self);
/* Why it failed, for OW_PRINT_JOB_FAILED; an OW_PRINTER_ERROR whose message says what to do. */
const GError    *ow_print_job_get_error          (OwPrintJob      *self);
guint            ow_print_job_get_attempts       (OwPrintJob      *self);
/* The job's id at the printer after it completed; 0 before. */
int              ow_print_job_get_printer_job_id (OwPrintJob      *self);
GDateTime       *ow_print_job_get_created        (OwPrintJob      *self);

G_END_DECLS
