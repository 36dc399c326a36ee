/* ow-case-view.h — one case as the platform holds it, read-only: details, materials, timeline
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-case.h"
#include "gui/shell/ow-context.h"

G_BEGIN_DECLS

#define OW_TYPE_CASE_VIEW (ow_case_view_get_type ())
G_DECLARE_FINAL_TYPE (OwCaseView, ow_case_view, OW, CASE_VIEW, AdwBin)

GtkWidget  *ow_case_view_new         (void);
void        ow_case_view_set_context (OwCaseView *self,
                                      OwContext  *context);
/* Shows @kase at once (as a list had it) and asks the platform for its timeline; NULL shows
 * the empty page. */
void        ow_case_view_show_case   (OwCaseView *self,
                                      OwCase     *kase);
/* Asks the platform for the case @case_no and its timeline. */
void        ow_case_view_show        (OwCaseView *self,
                                      const char *case_no);
/* The case shown, NULL for none. */
const char *ow_case_view_get_case_no (OwCaseView *self);
/* Whether the timeline of the case shown has arrived (or failed). */
gboolean    ow_case_view_is_loaded   (OwCaseView *self);

G_END_DECLS
