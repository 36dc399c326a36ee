/* ow-rating-window.c — the applicant-facing rating window (好差评), on a screen of its own
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turned to the applicant, often elderly: five large buttons in the order of the official
 * levels, each with its words and a colour, big type, an optional comment, and a thank-you that
 * closes by itself. A counter with a second screen facing the applicant shows it there full
 * screen (the monitor is chosen in Preferences from GTK's list and kept in "rating-monitor");
 * without one it comes up over the counter's window, for the clerk to turn the screen.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/pickup/ow-rating-window.h"

#define THANKS_SECONDS 3

struct _OwRatingWindow
{
  AdwWindow parent_instance;

  /* template */
  GtkStack *stack;
  GtkLabel *subject_label;
  GtkToggleButton *level_1;
  GtkToggleButton *level_2;
  GtkToggleButton *level_3;
  GtkToggleButton *level_4;
  GtkToggleButton *level_5;
  GtkTextView *text_view;

  guint close_id;
  gboolean done;
};

G_DEFINE_FINAL_TYPE (OwRatingWindow, ow_rating_window, ADW_TYPE_WINDOW)

enum { RATED, DECLINED, N_SIGNALS };
static guint signals[N_SIGNALS];

static GtkToggleButton *
level_button (OwRatingWindow *self,
              OwRatingLevel   level)
{
  GtkToggleButton *buttons[] = { self->level_1, self->level_2, self->level_3, self->level_4,
                                 self->level_5 };

  return ow_rating_level_is_valid (level) ? buttons[level - 1] : NULL;
}

static OwRatingLevel
chosen_level (OwRatingWindow *self)
{
  for (OwRatingLevel level = OW_RATING_VERY_SATISFIED; level <= OW_RATING_VERY_DISSATISFIED;
       level++)
    if (gtk_toggle_button_get_active (level_button (self, level)))
      return level;
  return 0;
}

static void
level_toggled_cb (OwRatingWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rating.submit", chosen_level (self) != 0);
}

static gboolean
close_cb (gpointer user_data)
{
  OwRatingWindow *self = user_data;

  self->close_id = 0;
  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
submit_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ow_rating_window_submit (OW_RATING_WINDOW (widget));
}

static void
skip_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwRatingWindow *self = OW_RATING_WINDOW (widget);

  if (self->done)
    return;
  self->done = TRUE;
  g_signal_emit (self, signals[DECLINED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
choose_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ow_rating_window_choose (OW_RATING_WINDOW (widget), g_variant_get_int32 (parameter));
}

static void
ow_rating_window_dispose (GObject *object)
{
  OwRatingWindow *self = OW_RATING_WINDOW (object);

  g_clear_handle_id (&self->close_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_RATING_WINDOW);

  G_OBJECT_CLASS (ow_rating_window_parent_class)->dispose (object);
}

static void
ow_rating_window_class_init (OwRatingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_rating_window_dispose;

  /**
   * OwRatingWindow::rated:
   * @level: the OwRatingLevel chosen, 1 非常满意 … 5 非常不满意
   * @text: (nullable): what the applicant wrote
   *
   * The applicant submitted their rating.
   */
  signals[RATED] = g_signal_new ("rated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * OwRatingWindow::declined:
   *
   * The applicant did not want to rate.
   */
  signals[DECLINED] = g_signal_new ("declined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/pickup/"
                                               "ow-rating-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OwRatingWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OwRatingWindow, subject_label);
  gtk_widget_class_bind_template_child (widget_class, OwRatingWindow, level_1);
  gtk_widget_class_bind_template_child (widget_class, OwRatingWindow, level_2);
  gtk_widget_class_bind_template_child (widget_class, OwRatingWindow, level_3);
  gtk_widget_class_bind_template_child (widget_class, OwRatingWindow, level_4);
  gtk_widget_class_bind_template_child (widget_class, OwRatingWindow, level_5);
  gtk_widget_class_bind_template_child (widget_class, OwRatingWindow, text_view);
  gtk_widget_class_bind_template_callback (widget_class, level_toggled_cb);

  gtk_widget_class_install_action (widget_class, "rating.submit", NULL, submit_activated);
  gtk_widget_class_install_action (widget_class, "rating.skip", NULL, skip_activated);
  gtk_widget_class_install_action (widget_class, "rating.choose", "i", choose_activated);
  /* The number keys, for an applicant who prefers them, and a keypad on the counter. */
  for (int level = 1; level <= 5; level++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + level, GDK_ALT_MASK,
                                           "rating.choose", "i", level);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + level, 0,
                                           "rating.choose", "i", level);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "rating.submit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "rating.skip", NULL);
}

static void
ow_rating_window_init (OwRatingWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rating.submit", FALSE);
  /* None chosen until the applicant chooses: a toggle group starts with its first active. */
  gtk_toggle_button_set_active (self->level_1, FALSE);
}

/* ---------------------------------------------------------------------------------------- */

OwRatingWindow *
ow_rating_window_new (GtkWindow  *parent,
                      const char *subject)
{
  OwRatingWindow *self = g_object_new (OW_TYPE_RATING_WINDOW, NULL);

  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_label_set_text (self->subject_label, subject != NULL ? subject : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subject_label), subject != NULL);
  return self;
}

GdkMonitor *
ow_rating_window_find_monitor (GdkDisplay *display,
                               const char *connector)
{
  GListModel *monitors;

  if (display == NULL || connector == NULL || *connector == '\0')
    return NULL;
  monitors = gdk_display_get_monitors (display);
  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);

      if (g_strcmp0 (gdk_monitor_get_connector (monitor), connector) == 0)
        return monitor;
    }
  return NULL;
}

GdkMonitor *
ow_rating_window_present_on (OwRatingWindow *self,
                             const char     *connector)
{
  GdkMonitor *monitor;

  g_return_val_if_fail (OW_IS_RATING_WINDOW (self), NULL);

  monitor = ow_rating_window_find_monitor (gtk_widget_get_display (GTK_WIDGET (self)),
                                           connector);
  if (monitor != NULL)
    {
      /* The applicant's own screen: nothing of the counter's window between them and it. */
      gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
      gtk_window_set_modal (GTK_WINDOW (self), FALSE);
      gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), monitor);
    }
  else
    gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_present (GTK_WINDOW (self));
  return monitor;
}

void
ow_rating_window_choose (OwRatingWindow *self,
                         OwRatingLevel   level)
{
  g_return_if_fail (OW_IS_RATING_WINDOW (self));

  if (!ow_rating_level_is_valid (level) || self->done)
    return;
  gtk_toggle_button_set_active (level_button (self, level), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (level_button (self, level)));
}

void
ow_rating_window_submit (OwRatingWindow *self)
{
  OwRatingLevel level;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  g_return_if_fail (OW_IS_RATING_WINDOW (self));

  level = chosen_level (self);
  if (level == 0 || self->done)
    return;
  self->done = TRUE;
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (g_utf8_strlen (text, -1) > OW_RATING_MAX_TEXT)
    *g_utf8_offset_to_pointer (text, OW_RATING_MAX_TEXT) = '\0';
  g_signal_emit (self, signals[RATED], 0, (guint) level, *text != '\0' ? text : NULL);
  gtk_stack_set_visible_child_name (self->stack, "thanks");
  self->close_id = g_timeout_add_seconds (THANKS_SECONDS, close_cb, self);
}

/* ---------------------------------------------------------------------------------------- */
/* Choosing the screen in Preferences */

typedef struct
{
  AdwComboRow *row;        /* weak */
  GSettings   *settings;
  GPtrArray   *connectors; /* parallel to the row's model; "" for over the counter's window */
  gboolean     filling;
} ScreenChoice;

static void
screen_choice_free (ScreenChoice *choice)
{
  g_clear_weak_pointer (&choice->row);
  g_clear_object (&choice->settings);
  g_ptr_array_unref (choice->connectors);
  g_free (choice);
}

static char *
describe_monitor (GdkMonitor *monitor)
{
  const char *connector = gdk_monitor_get_connector (monitor);
  const char *maker = gdk_monitor_get_manufacturer (monitor);
  const char *model = gdk_monitor_get_model (monitor);
  GdkRectangle geometry;
  g_autoptr(GString) text = g_string_new (connector != NULL ? connector : _("Unnamed screen"));

  gdk_monitor_get_geometry (monitor, &geometry);
  if (maker != NULL || model != NULL)
    g_string_append_printf (text, " · %s%s%s", maker != NULL ? maker : "",
                            maker != NULL && model != NULL ? " " : "",
                            model != NULL ? model : "");
  g_string_append_printf (text, " · %d × %d", geometry.width, geometry.height);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fill_screens (ScreenChoice *choice)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *current = g_settings_get_string (choice->settings, "rating-monitor");
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (
                                                     GTK_WIDGET (choice->row)));
  guint selected = 0;

  choice->filling = TRUE;
  g_ptr_array_set_size (choice->connectors, 0);
  gtk_string_list_append (labels, _("Over the counter's window"));
  g_ptr_array_add (choice->connectors, g_strdup (""));
  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      const char *connector = gdk_monitor_get_connector (monitor);
      g_autofree char *label = NULL;

      /* Only a named monitor can be found again next time. */
      if (connector == NULL)
        continue;
      label = describe_monitor (monitor);
      if (g_str_equal (connector, current))
        selected = choice->connectors->len;
      gtk_string_list_append (labels, label);
      g_ptr_array_add (choice->connectors, g_strdup (connector));
    }
  if (*current != '\0' && selected == 0)
    {
      /* Translators: %s is a monitor's connector, such as HDMI-1 */
      g_autofree char *label = g_strdup_printf (_("%s (not connected)"), current);

      selected = choice->connectors->len;
      gtk_string_list_append (labels, label);
      g_ptr_array_add (choice->connectors, g_strdup (current));
    }
  adw_combo_row_set_model (choice->row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (choice->row, selected);
  choice->filling = FALSE;
}

static void
screen_selected_cb (AdwComboRow  *row,
                    GParamSpec   *pspec,
                    ScreenChoice *choice)
{
  guint selected = adw_combo_row_get_selected (row);

  if (choice->filling || selected >= choice->connectors->len)
    return;
  g_settings_set_string (choice->settings, "rating-monitor",
                         g_ptr_array_index (choice->connectors, selected));
}

static void
monitors_changed_cb (GListModel  *monitors,
                     guint        position,
                     guint        removed,
                     guint        added,
                     AdwComboRow *row)
{
  ScreenChoice *choice = g_object_get_data (G_OBJECT (row), "ow-screen-choice");

  if (choice != NULL && choice->row != NULL)
    fill_screens (choice);
}

void
ow_rating_screen_row_bind (AdwComboRow *row,
                           GSettings   *settings)
{
  ScreenChoice *choice;

  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  g_return_if_fail (G_IS_SETTINGS (settings));

  choice = g_new0 (ScreenChoice, 1);
  g_set_weak_pointer (&choice->row, row);
  choice->settings = g_object_ref (settings);
  choice->connectors = g_ptr_array_new_with_free_func (g_free);
  g_object_set_data_full (G_OBJECT (row), "ow-screen-choice", choice,
                          (GDestroyNotify) screen_choice_free);
  fill_screens (choice);
  g_signal_connect (row, "notify::selected", G_CALLBACK (screen_selected_cb), choice);
  g_signal_connect_object (gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (row))),
                           "items-changed", G_CALLBACK (monitors_changed_cb), row, 0);
}
