/* ow-overview-page.h — the hall supervisor's overview: queues, deadlines, ratings, indicators
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"
#include "gui/supervisor/ow-overview-data.h"

G_BEGIN_DECLS

#define OW_TYPE_OVERVIEW_PAGE (ow_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (OwOverviewPage, ow_overview_page, OW, OVERVIEW_PAGE, AdwBin)

/* What an export writes. */
typedef enum
{
  OW_OVERVIEW_EXPORT_XLSX,
  OW_OVERVIEW_EXPORT_CSV,
  OW_OVERVIEW_EXPORT_REPORT,  /* the one-page indicator report, PDF */
} OwOverviewExport;

/* Logs the overview in (@context's user) and asks for the figures; NULL on log-out. */
void            ow_overview_page_set_context (OwOverviewPage   *self,
                                              OwContext        *context);
OwOverviewData *ow_overview_page_get_data    (OwOverviewPage   *self);
void            ow_overview_page_refresh     (OwOverviewPage   *self);
/* "queues", "deadlines", "ratings", "indicators". */
const char     *ow_overview_page_get_section (OwOverviewPage   *self);
void            ow_overview_page_set_section (OwOverviewPage   *self,
                                              const char       *name);
/* Writes what the section shown holds to @file as @format: what the export actions do once
 * their file is chosen. */
void            ow_overview_page_export_async  (OwOverviewPage   *self,
                                                OwOverviewExport  format,
                                                GFile            *file,
                                                GCancellable     *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer          user_data);
gboolean        ow_overview_page_export_finish (OwOverviewPage   *self,
                                                GAsyncResult     *result,
                                                GError          **error);

G_END_DECLS
