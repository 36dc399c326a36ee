/* ow-chart.h — a bar chart drawn with cairo, with its numbers as a table beside it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a supervisor would rather look at than read: one bar per value, with a dashed line for
 * a target across all bars, or a mark on each bar for its own target. The drawing is an image to
 * a screen reader, named by the title and described by a summary; the same numbers are a table
 * under an expander, so that they can be read cell by cell.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OW_TYPE_CHART (ow_chart_get_type ())
G_DECLARE_FINAL_TYPE (OwChart, ow_chart, OW, CHART, GtkWidget)

GtkWidget  *ow_chart_new            (void);
/* Heading and accessible name ("Intake per day"). */
void        ow_chart_set_title      (OwChart    *self,
                                     const char *title);
const char *ow_chart_get_title      (OwChart    *self);
/* The table's headers: what each bar is ("Day") and what its value is ("Cases"), and, for
 * charts of shares against targets, the target's ("Target"; NULL for none). */
void        ow_chart_set_headers    (OwChart    *self,
                                     const char *label_header,
                                     const char *value_header,
                                     const char *target_header);
/* Values are shares (0–1), shown as percentages on an axis up to 100 %. */
void        ow_chart_set_percent    (OwChart    *self,
                                     gboolean    percent);
/* A line across the chart at @target (negative for none), described by @text. */
void        ow_chart_set_target     (OwChart    *self,
                                     double      target,
                                     const char *text);

void        ow_chart_clear          (OwChart    *self);
/* A bar: its label under it, its value (negative: no value, an empty bar and "—") and, when
 * @target is not negative, a mark of its own target. Call ow_chart_done() after the last. */
void        ow_chart_add            (OwChart    *self,
                                     const char *label,
                                     double      value,
                                     double      target);
/* Draws again and rebuilds the table and the summary. */
void        ow_chart_done           (OwChart    *self);

guint       ow_chart_get_n_bars     (OwChart    *self);
/* The summary a screen reader hears with the image ("12 bars, from 3 to 9 cases …"). */
const char *ow_chart_get_summary    (OwChart    *self);

G_END_DECLS
