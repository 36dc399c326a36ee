/* ow-document-settings.h — which printer, how many copies and how much masking, per document
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ow-document.h"

G_BEGIN_DECLS

/* The printer for @kind: the "document-printers" entry for it, else "receipt-printer" for the
 * 80 mm receipt and "notice-printer" for the rest. NULL when none is set: print to the system's
 * default printer. */
char  *ow_document_settings_dup_printer (GSettings      *settings,
                                         OwDocumentKind  kind);
/* How many copies (1–3) of @kind the counter prints: the "document-copies" entry, else the
 * usual practice (三联 for decisions, two for slips, one for receipts and guides). */
guint  ow_document_settings_get_copies  (GSettings      *settings,
                                         OwDocumentKind  kind);
/* Sets @info's masking from "mask-applicant-copy" and the "mask-*" lengths. */
void   ow_document_settings_apply_mask  (GSettings      *settings,
                                         OwDocumentInfo *info);

G_END_DECLS
