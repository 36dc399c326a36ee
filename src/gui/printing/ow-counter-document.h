/* ow-counter-document.h — a document issued at the counter: drawn in a worker thread, printed
 * through the counter's print queue
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No GTK here: what a document states comes from the context (the logged-in user, the hall's
 * settings, the catalog), where it prints from the "document-printers" setting.
 */
#pragma once

#include <gio/gio.h>

#include "documents/ow-document.h"
#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_COUNTER_DOCUMENT (ow_counter_document_get_type ())
G_DECLARE_FINAL_TYPE (OwCounterDocument, ow_counter_document, OW, COUNTER_DOCUMENT, GObject)

/* A document of @kind about @kase (a notice, the pickup slip, the 80 mm receipt). What it
 * states besides the case is @context's now: hall and organ (and its abbreviation,
 * 海口市政务服务中心 → 海口政服), clerk, query URL, catalog, the masking settings, and as many
 * copies as "document-copies" asks for this kind, in one PDF. */
OwCounterDocument *ow_counter_document_new        (OwContext              *context,
                                                   OwDocumentKind          kind,
                                                   OwCase                 *kase);
/* The requirements guide (一次性告知书) of @item; printed "document-copies" times. */
OwCounterDocument *ow_counter_document_new_guide  (OwContext              *context,
                                                   OwItem                 *item);
/* The receipt of an unfinished-business ticket; @ticket is copied. @case_no, the case it is
 * about or NULL, is the print job's. One copy, masked the built-in way. */
OwCounterDocument *ow_counter_document_new_ticket (OwContext              *context,
                                                   const OwDocumentTicket *ticket,
                                                   const char             *case_no);

/* The pick-up slip of one hand-over (@pickup copied, its cases referenced), numbered from the
 * counter's own sequence when it is drawn; printed "document-copies" times for pickup-slip. */
OwCounterDocument *ow_counter_document_new_pickup (OwContext              *context,
                                                   const OwDocumentPickup *pickup);
/* The courier's hand-over list of @day's @mailings (OwDocumentMailing, copied). */
OwCounterDocument *ow_counter_document_new_mail_list (OwContext           *context,
                                                      GPtrArray           *mailings,
                                                      const GDate         *day);

/* Before rendering: a number other than the case's (NULL: the case's), and the day it is
 * issued (NULL: the day it is drawn). */
void            ow_counter_document_set_document_no (OwCounterDocument *self,
                                                     const char        *document_no);
void            ow_counter_document_set_issued      (OwCounterDocument *self,
                                                     GDateTime         *issued);

OwDocumentKind  ow_counter_document_get_kind        (OwCounterDocument *self);
/* The case it is about, NULL for a guide or a receipt. */
OwCase         *ow_counter_document_get_case        (OwCounterDocument *self);

/* Draws the PDF in a worker thread; finishes with it, and keeps it for printing. */
void            ow_counter_document_render_async    (OwCounterDocument   *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GBytes         *ow_counter_document_render_finish   (OwCounterDocument   *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Draws the pages the PDF would have as PNG images at @dpi, in a worker thread, for the
 * preview dialog: a GPtrArray of GBytes. Not for a receipt. */
void            ow_counter_document_preview_async   (OwCounterDocument   *self,
                                                     double               dpi,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray      *ow_counter_document_preview_finish  (OwCounterDocument   *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Prints the rendered document through the counter's print queue, so that a job that fails is
 * kept for retry, even after a restart, and listed in the print jobs window.
 *
 * When the document's last job failed and the queue still holds it, that job goes again
 * (to @printer, or where it went last): a retry never prints a second copy. Otherwise a new
 * job goes to @printer, or the printer set for this kind of document ("document-printers"),
 * or the notice printer. Finishes TRUE once the printer completed it; with the printer's error
 * otherwise, or OW_PRINTER_ERROR_NOT_FOUND when there is no printer or no queue. */
void            ow_counter_document_print_async     (OwCounterDocument   *self,
                                                     const char          *printer,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* Prints it once more as a new job, on the printer set for its kind; the reprint and @reason
 * go into the audit log once the printer completed it. */
void            ow_counter_document_reprint_async   (OwCounterDocument   *self,
                                                     const char          *reason,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* For both. */
gboolean        ow_counter_document_print_finish    (OwCounterDocument   *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* The printer documents of @kind go to: the one set for the kind, else the notice printer;
 * NULL when there is none. */
char           *ow_counter_document_dup_printer     (OwContext           *context,
                                                     OwDocumentKind       kind);

/* The number of a document of @kind issued at @counter of the hall @hall_name in @year, the
 * @sequence-th of the counter's that year (ow_store_next_document_sequence()):
 * 海口政服受〔2026〕70012号. Numbers run per counter, so counters never share one; @sequence 0
 * gives a preview's stand-in. */
char           *ow_counter_document_number          (const char          *hall_name,
                                                     guint                counter,
                                                     OwDocumentKind       kind,
                                                     int                  year,
                                                     guint                sequence);

G_END_DECLS
