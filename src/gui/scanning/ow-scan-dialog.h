/* ow-scan-dialog.h — the pages of one material: scan, import, arrange, store as one PDF
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

/* A file imported instead of scanning, stored unchanged under its SHA-256. */
typedef struct
{
  char *sha256;
  char *content_type;
  char *name;          /* what the clerk chose, for display */
} OwScanImport;

void ow_scan_import_free (OwScanImport *import);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwScanImport, ow_scan_import_free)

#define OW_TYPE_SCAN_DIALOG (ow_scan_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OwScanDialog, ow_scan_dialog, OW, SCAN_DIALOG, AdwWindow)

/* A modal window over @parent for the material @material_name, starting with @pages (OwScanPage,
 * copied; may be NULL) and @imports (OwScanImport, copied; may be NULL), as an earlier Done left
 * them.
 *
 * Signal "stored": Done stored the pages as one PDF in the store's files folder; the files
 * (ow_scan_dialog_get_files), pages and imports are final. The dialog closes itself after it. */
OwScanDialog *ow_scan_dialog_new           (GtkWindow    *parent,
                                            OwContext    *context,
                                            const char   *material_name,
                                            GPtrArray    *pages,
                                            GPtrArray    *imports);

/* SHA-256 hex of the material's files: the PDF of the scanned pages first (when there are
 * pages), then the imported files in order. */
GPtrArray    *ow_scan_dialog_get_files     (OwScanDialog *self);
/* New arrays: copies of the pages (sharing their pixels) in order, and of the imports. */
GPtrArray    *ow_scan_dialog_dup_pages     (OwScanDialog *self);
GPtrArray    *ow_scan_dialog_dup_imports   (OwScanDialog *self);
guint         ow_scan_dialog_get_n_pages   (OwScanDialog *self);
guint         ow_scan_dialog_get_n_imports (OwScanDialog *self);
/* Whether a scan, a page operation, an import or storing is under way. */
gboolean      ow_scan_dialog_get_busy      (OwScanDialog *self);
/* What went wrong last (scanning, importing, storing), or NULL. */
const char   *ow_scan_dialog_get_problem   (OwScanDialog *self);

/* What the file chooser and drag and drop do: stores @file if it is a PDF, JPEG or PNG, and
 * shows why not otherwise. */
void          ow_scan_dialog_import_file   (OwScanDialog *self,
                                            GFile        *file);
OwScanImport *ow_scan_import_copy          (const OwScanImport *import);

G_END_DECLS
