/* ow-rating-window.h — the applicant-facing rating window (好差评), on a screen of its own
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "core/ow-rating.h"

G_BEGIN_DECLS

#define OW_TYPE_RATING_WINDOW (ow_rating_window_get_type ())
G_DECLARE_FINAL_TYPE (OwRatingWindow, ow_rating_window, OW, RATING_WINDOW, AdwWindow)

/* Signals:
 *   "rated" (OwRatingWindow *, guint level, const char *text): the applicant chose a level
 *     (OwRatingLevel) and submitted, with what they wrote or NULL; the window thanks them and
 *     closes itself a few seconds later.
 *   "declined" (OwRatingWindow *): the applicant did not want to rate; the window closes. */
OwRatingWindow *ow_rating_window_new       (GtkWindow      *parent,
                                            const char     *subject);
/* Shows the window full screen on the monitor whose connector @connector names (the
 * "rating-monitor" setting), or over @parent when @connector is empty or that monitor is not
 * connected. Returns the monitor used, NULL for a window over the counter's. */
GdkMonitor     *ow_rating_window_present_on (OwRatingWindow *self,
                                             const char     *connector);
/* For tests and the keyboard: choose @level (1–5), submit. */
void            ow_rating_window_choose    (OwRatingWindow *self,
                                            OwRatingLevel   level);
void            ow_rating_window_submit    (OwRatingWindow *self);

/* Fills @row with the choice of the rating window's screen: over the counter's window, or one
 * of the monitors GTK lists (connector, maker and model), as "rating-monitor" in @settings
 * names it; choosing writes the setting. A monitor named but not connected stays listed, said
 * so. The list follows monitors plugged in or out. */
void            ow_rating_screen_row_bind  (AdwComboRow    *row,
                                            GSettings      *settings);

/* The monitor @connector names among @display's, or NULL. */
GdkMonitor     *ow_rating_window_find_monitor (GdkDisplay  *display,
                                               const char  *connector);

G_END_DECLS
