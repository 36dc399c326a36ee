/* ow-material-row.h — one line of the materials checklist: status, licence number, scanning
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-case.h"
#include "core/ow-item.h"
#include "gui/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_MATERIAL_ROW (ow_material_row_get_type ())
G_DECLARE_FINAL_TYPE (OwMaterialRow, ow_material_row, OW, MATERIAL_ROW, AdwActionRow)

/* Property "provided" (gboolean, read-only, notified on change): whether the line counts as
 * provided for acceptance. Property "busy" (gboolean): a scan is running. */
OwMaterialRow   *ow_material_row_new          (OwMaterial    *material,
                                               OwContext     *context);
OwMaterial      *ow_material_row_get_material (OwMaterialRow *self);
OwMaterialStatus ow_material_row_get_status   (OwMaterialRow *self);
/* Selects @status when the material allows it; FALSE otherwise. */
gboolean         ow_material_row_set_status   (OwMaterialRow *self,
                                               OwMaterialStatus status);
gboolean         ow_material_row_get_provided (OwMaterialRow *self);
gboolean         ow_material_row_get_busy     (OwMaterialRow *self);
/* The line as the case records it. */
OwCaseMaterial  *ow_material_row_to_case_material (OwMaterialRow *self);

G_END_DECLS
