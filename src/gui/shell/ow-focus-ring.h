/* ow-focus-ring.h — Tab moves between the steps of a page, not through every row
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _OwFocusRing OwFocusRing;

/* Takes over Tab and Shift+Tab inside @page, which owns the ring: Tab moves through the
 * controls of a step in GTK's order, then to the next step in the order the steps were added,
 * whatever their place on the screen; a list added with ow_focus_ring_add_list() is one stop
 * (the arrow keys move within it, as in GTK 4.8 Tab would go row by row). After the last
 * step, or before the first, Tab goes on as GTK would. */
OwFocusRing *ow_focus_ring_attach     (GtkWidget   *page);
/* Adds @step, a widget of the page holding one step's controls. */
void         ow_focus_ring_add_step   (OwFocusRing *ring,
                                       GtkWidget   *step);
/* @list, inside a step or a step of its own, is a single stop for Tab. */
void         ow_focus_ring_add_list   (OwFocusRing *ring,
                                       GtkListBox  *list);
/* The index of the step that holds @widget, or -1. */
int          ow_focus_ring_find_step  (OwFocusRing *ring,
                                       GtkWidget   *widget);

G_END_DECLS
