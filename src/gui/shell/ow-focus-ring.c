/* ow-focus-ring.c — Tab moves between the steps of a page, not through every row
 *
 * GTK 4.8 tabs through a GtkListBox row by row and orders a page's controls by their place on
 * the screen. A counter works in steps (find the item, identify the applicant, check the
 * materials, decide), which the screen does not lay out in that order, and its lists hold
 * dozens of rows. The ring keeps Tab to the steps: a list is one stop, whose rows the arrow
 * keys walk.
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gui/shell/ow-focus-ring.h"

struct _OwFocusRing
{
  GtkWidget *page;      /* weak: the ring lives as long as the page */
  GPtrArray *steps;     /* GtkWidget, not owned: children of the page */
  GPtrArray *lists;     /* GtkListBox, not owned */
};

static void
ow_focus_ring_free (OwFocusRing *ring)
{
  g_ptr_array_unref (ring->steps);
  g_ptr_array_unref (ring->lists);
  g_free (ring);
}

static gboolean
holds (GtkWidget *container,
       GtkWidget *widget)
{
  return widget != NULL && (widget == container || gtk_widget_is_ancestor (widget, container));
}

int
ow_focus_ring_find_step (OwFocusRing *ring,
                         GtkWidget   *widget)
{
  g_return_val_if_fail (ring != NULL, -1);

  for (guint i = 0; i < ring->steps->len; i++)
    if (holds (g_ptr_array_index (ring->steps, i), widget))
      return (int) i;
  return -1;
}

static GtkWidget *
find_list (OwFocusRing *ring,
           GtkWidget   *widget)
{
  for (guint i = 0; i < ring->lists->len; i++)
    if (holds (g_ptr_array_index (ring->lists, i), widget))
      return g_ptr_array_index (ring->lists, i);
  return NULL;
}

/* Moves the focus on within step @index, from where it is; FALSE when it would leave the
 * step. A list that holds the focus is passed over as a whole. */
static gboolean
move_within (OwFocusRing      *ring,
             guint             index,
             GtkWidget        *focus,
             GtkDirectionType  direction)
{
  GtkWidget *step = g_ptr_array_index (ring->steps, index);
  GtkWidget *list = find_list (ring, focus);
  gboolean moved;

  if (list == step)
    return FALSE;
  /* can-focus FALSE keeps the focus where it is but makes GTK go past the whole list. */
  if (list != NULL)
    gtk_widget_set_can_focus (list, FALSE);
  moved = gtk_widget_child_focus (step, direction);
  if (list != NULL)
    gtk_widget_set_can_focus (list, TRUE);
  return moved;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                OwFocusRing           *ring)
{
  GtkDirectionType direction;
  GtkWidget *focus;
  int index;

  if ((keyval != GDK_KEY_Tab && keyval != GDK_KEY_ISO_Left_Tab && keyval != GDK_KEY_KP_Tab)
      || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  direction = (state & GDK_SHIFT_MASK) != 0 || keyval == GDK_KEY_ISO_Left_Tab
              ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;
  focus = gtk_root_get_focus (gtk_widget_get_root (ring->page));
  index = ow_focus_ring_find_step (ring, focus);
  if (index < 0)
    return GDK_EVENT_PROPAGATE;

  if (move_within (ring, index, focus, direction))
    return GDK_EVENT_STOP;
  for (index += direction == GTK_DIR_TAB_FORWARD ? 1 : -1;
       index >= 0 && (guint) index < ring->steps->len;
       index += direction == GTK_DIR_TAB_FORWARD ? 1 : -1)
    {
      GtkWidget *step = g_ptr_array_index (ring->steps, index);

      /* Entering a step from outside: its first control, or its last going back. */
      if (gtk_widget_get_mapped (step) && gtk_widget_child_focus (step, direction))
        return GDK_EVENT_STOP;
    }
  /* Past the last step: on to the rest of the window, as GTK goes. */
  return GDK_EVENT_PROPAGATE;
}

OwFocusRing *
ow_focus_ring_attach (GtkWidget *page)
{
  OwFocusRing *ring;
  GtkEventController *keys;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  ring = g_new0 (OwFocusRing, 1);
  ring->page = page;
  ring->steps = g_ptr_array_new ();
  ring->lists = g_ptr_array_new ();
  keys = gtk_event_controller_key_new ();
  /* Before the focused widget: a list row would take Tab to the next row. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), ring);
  gtk_widget_add_controller (page, keys);
  g_object_set_data_full (G_OBJECT (page), "ow-focus-ring", ring,
                          (GDestroyNotify) ow_focus_ring_free);
  return ring;
}

void
ow_focus_ring_add_step (OwFocusRing *ring,
                        GtkWidget   *step)
{
  g_return_if_fail (ring != NULL);
  g_return_if_fail (gtk_widget_is_ancestor (step, ring->page));

  g_ptr_array_add (ring->steps, step);
}

void
ow_focus_ring_add_list (OwFocusRing *ring,
                        GtkListBox  *list)
{
  g_return_if_fail (ring != NULL);
  g_return_if_fail (GTK_IS_LIST_BOX (list));

  g_ptr_array_add (ring->lists, list);
}
