/* ow-cases-page.h — a department's own cases, read-only: the platform's list and one case
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/cases/ow-case-view.h"
#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_CASES_PAGE (ow_cases_page_get_type ())
G_DECLARE_FINAL_TYPE (OwCasesPage, ow_cases_page, OW, CASES_PAGE, AdwBin)

/* NULL logs out: the list empties. Setting a context lists the first page. */
void        ow_cases_page_set_context (OwCasesPage *self,
                                       OwContext   *context);
/* Lists the first page again with the filter shown. */
void        ow_cases_page_refresh     (OwCasesPage *self);
/* Rows listed so far, and whether the last listing has answered (for tests). */
guint       ow_cases_page_get_n_rows  (OwCasesPage *self);
gboolean    ow_cases_page_is_loaded   (OwCasesPage *self);
OwCaseView *ow_cases_page_get_view    (OwCasesPage *self);

G_END_DECLS
