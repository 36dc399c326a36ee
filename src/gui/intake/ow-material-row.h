/* ow-material-row.h — one line of the materials checklist: status, licence number, scanning
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-case.h"
#include "core/ow-item.h"
#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_MATERIAL_ROW (ow_material_row_get_type ())
G_DECLARE_FINAL_TYPE (OwMaterialRow, ow_material_row, OW, MATERIAL_ROW, AdwActionRow)

/* Property "provided" (gboolean, read-only, notified on change): whether the line counts as
 * provided for acceptance. Property "busy" (gboolean): the material's pages dialog
 * (ow-scan-dialog.h) is open: scanning, or storing the pages. */
OwMaterialRow   *ow_material_row_new          (OwMaterial    *material,
                                               OwContext     *context);
OwMaterial      *ow_material_row_get_material (OwMaterialRow *self);
OwMaterialStatus ow_material_row_get_status   (OwMaterialRow *self);
/* Selects @status when the material allows it; FALSE otherwise. */
gboolean         ow_material_row_set_status   (OwMaterialRow *self,
                                               OwMaterialStatus status);
gboolean         ow_material_row_get_provided (OwMaterialRow *self);
gboolean         ow_material_row_get_busy     (OwMaterialRow *self);
/* 容缺: the due date typed for a tolerated line; FALSE (and @date cleared) when it is not a
 * date. */
gboolean         ow_material_row_get_due_date (OwMaterialRow *self,
                                               GDate         *date);
void             ow_material_row_set_due_date (OwMaterialRow *self,
                                               const GDate   *date);
/* The promised completion date: a line marked tolerated starts with it as its due date. */
void             ow_material_row_set_latest_due_date (OwMaterialRow *self,
                                                      const GDate   *date);
/* Marks the due date as wrong (later than the promised completion). */
void             ow_material_row_set_due_problem (OwMaterialRow *self,
                                                  gboolean       wrong);
/* 补正: shows, on a missing line, the field for what is missing or wrong (OwCaseMaterial.note). */
void             ow_material_row_set_show_note (OwMaterialRow *self,
                                                gboolean       show);
gboolean         ow_material_row_has_note     (OwMaterialRow *self);
/* Signal "details-changed": the due date or the note changed. */
/* The line as the case records it. */
OwCaseMaterial  *ow_material_row_to_case_material (OwMaterialRow *self);
/* Puts back a line as ow_material_row_to_case_material() reported it (a draft, or the same
 * material of another item): the status (when this material still allows it; else missing),
 * licence number, due date, note (shown even outside a supplement decision, since one was
 * typed) and scanned files; then notifies "provided" when it changed and emits
 * "details-changed". The counts are the catalog's, as when marked by hand. The material's id
 * and name are this row's, not @saved's.
 *
 * Files keep their SHA-256 names, so to_case_material() reports them at once. The pages dialog
 * shows them as stored files (a PDF of scanned pages is one file): the pixels of scanned pages
 * are not part of a case line. Finding their kinds reads the store in a worker thread; until it
 * is done, the pages dialog cannot be opened. A file the store no longer holds is dropped and
 * the row says so. */
void             ow_material_row_restore       (OwMaterialRow        *self,
                                                const OwCaseMaterial *saved);

/* What the pages dialog left of a material, for a line's subtitle: “2 pages scanned · 1 file
 * imported”; NULL when nothing. Shared by the checklist and the supplement dialog's lines. */
char            *ow_material_row_describe_pages (guint n_pages,
                                                 guint n_imports);

G_END_DECLS
