/* test-preferences.c — the Preferences window changes the settings at once, under Xvfb
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs on the memory GSettings backend (test_env). No CUPS runs here, so the printer list is
 * empty after listing; a printer the settings already name must still be choosable.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "gui/shell/ow-preferences-window.h"

#define WAIT_SECONDS 60

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---------------------------------------------------------------------------------------- */
/* Finding controls by the titles a screen reader reads out */

static void
collect (GtkWidget *root,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static char *
strip_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The row titled @row_title in the group titled @group_title (NULL: any group). */
static GtkWidget *
find_row (gpointer    root,
          const char *group_title,
          const char *row_title)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  collect (GTK_WIDGET (root), ADW_TYPE_PREFERENCES_GROUP, groups);
  for (guint i = 0; i < groups->len; i++)
    {
      AdwPreferencesGroup *group = g_ptr_array_index (groups, i);
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      if (group_title != NULL
          && g_strcmp0 (adw_preferences_group_get_title (group), group_title) != 0)
        continue;
      collect (GTK_WIDGET (group), ADW_TYPE_PREFERENCES_ROW, rows);
      for (guint j = 0; j < rows->len; j++)
        {
          AdwPreferencesRow *row = g_ptr_array_index (rows, j);
          g_autofree char *title = strip_mnemonic (adw_preferences_row_get_title (row));

          if (g_strcmp0 (title, row_title) == 0)
            return GTK_WIDGET (row);
        }
    }
  g_error ("No row “%s” in “%s”", row_title,
           group_title != NULL ? group_title : "any group");
  return NULL;
}

static GtkWidget *
find_suffix (GtkWidget *row,
             GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (row, type, found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

static guint
find_item (AdwComboRow *row,
           const char  *text)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return i;
  g_error ("No item “%s”", text);
  return 0;
}

static gboolean
any_spinning (gpointer root)
{
  g_autoptr(GPtrArray) spinners = g_ptr_array_new ();

  collect (GTK_WIDGET (root), GTK_TYPE_SPINNER, spinners);
  for (guint i = 0; i < spinners->len; i++)
    if (gtk_widget_get_visible (g_ptr_array_index (spinners, i)))
      return TRUE;
  return FALSE;
}

static void
save_screenshot (GtkWidget  *window,
                 const char *suffix)
{
  const char *base = g_getenv ("OW_PREFS_SCREENSHOT");
  g_autofree char *path = base != NULL ? g_strconcat (base, suffix, ".png", NULL) : NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  if (path == NULL)
    return;
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_printing (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(OwPrinter) printer = ow_printer_new ();
  g_autoptr(GVariant) printers = NULL;
  g_autoptr(GVariant) copies = NULL;
  GtkWidget *window;
  GtkWidget *row;
  GtkWidget *mask_switch;
  const char *name = NULL;
  guint32 n = 0;
  gboolean timed_out = FALSE;
  guint timeout;

  /* A printer the acceptance notice already uses. */
  g_settings_set_value (settings, "document-printers",
                        g_variant_new_parsed ("{'acceptance': 'Counter-Laser'}"));

  window = ow_preferences_window_new (settings, printer);
  gtk_window_present (GTK_WINDOW (window));

  /* Listing the printers: a spinner, then none found (no CUPS here). */
  timeout = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, &timed_out);
  while (any_spinning (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);

  row = find_row (window, "Refusal Notice", "Printer");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "No printers found");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_row (window,
                                                                         "Acceptance Notice",
                                                                         "Printer"))),
                    ==, find_item (ADW_COMBO_ROW (row), "Counter-Laser"));

  /* Copies of the acceptance notice: 3 by default, now 2. */
  {
    GtkWidget *spin = find_suffix (find_row (window, "Acceptance Notice", "Copies"),
                                   GTK_TYPE_SPIN_BUTTON);

    g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 3);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 2);
  }
  copies = g_settings_get_value (settings, "document-copies");
  g_assert_true (g_variant_lookup (copies, "acceptance", "u", &n));
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (g_variant_lookup (copies, "refusal", "u", &n));
  g_assert_cmpuint (n, ==, 3);

  /* The refusal notice on the acceptance notice's printer … */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), find_item (ADW_COMBO_ROW (row),
                                                              "Counter-Laser"));
  printers = g_settings_get_value (settings, "document-printers");
  g_assert_true (g_variant_lookup (printers, "refusal", "&s", &name));
  g_assert_cmpstr (name, ==, "Counter-Laser");
  g_assert_true (g_variant_lookup (printers, "acceptance", "&s", &name));
  g_assert_cmpstr (name, ==, "Counter-Laser");
  g_clear_pointer (&printers, g_variant_unref);

  /* … and back on the default one: no entry. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
  printers = g_settings_get_value (settings, "document-printers");
  g_assert_false (g_variant_lookup (printers, "refusal", "&s", &name));
  g_clear_pointer (&printers, g_variant_unref);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), find_item (ADW_COMBO_ROW (row),
                                                              "Counter-Laser"));

  /* The applicant's copy, masked by default. */
  mask_switch = find_suffix (find_row (window, "Applicant’s Copy", "Mask ID and Phone Numbers"),
                             GTK_TYPE_SWITCH);
  g_assert_true (g_settings_get_boolean (settings, "mask-applicant-copy"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (mask_switch)));
  gtk_switch_set_active (GTK_SWITCH (mask_switch), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "mask-applicant-copy"));
  gtk_switch_set_active (GTK_SWITCH (mask_switch), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "mask-applicant-copy"));

  /* Connection: the address and the idle log-out. */
  gtk_editable_set_text (GTK_EDITABLE (find_row (window, "Platform", "Platform Address")),
                         "https://platform.example:8443");
  {
    g_autofree char *uri = g_settings_get_string (settings, "platform-uri");

    g_assert_cmpstr (uri, ==, "https://platform.example:8443");
  }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_suffix (find_row (window, "Security",
                                                                     "Log Out After Idle Minutes"),
                                                           GTK_TYPE_SPIN_BUTTON)), 30);
  g_assert_cmpuint (g_settings_get_uint (settings, "idle-logout-minutes"), ==, 30);

  settle (300);
  save_screenshot (window, "-printing");
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "connection");
  settle (300);
  save_screenshot (window, "-connection");

  gtk_window_destroy (GTK_WINDOW (window));
  settle (50);
}

/* Under Xvfb there is no window manager to give the window focus, and GTK 4.8 then warns when
 * focus moves between widgets of the unfocused window. */
static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "Gtk") == 0 && message != NULL
      && strstr (message, "did not receive a focus-out event") != NULL)
    return FALSE;
  return TRUE;
}

/* The rating window's screen: over the counter's window, or a monitor GTK lists, kept in
 * "rating-monitor"; a monitor named but not plugged in stays listed, said so. */
static void
test_rating_screen (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GdkMonitor) monitor = NULL;
  g_autofree char *chosen = NULL;
  GListModel *monitors;
  GtkWidget *window;
  AdwComboRow *row;

  window = ow_preferences_window_new (settings, NULL);
  gtk_window_present (GTK_WINDOW (window));
  monitors = gdk_display_get_monitors (gtk_widget_get_display (window));
  monitor = g_list_model_get_item (monitors, 0);
  g_assert_nonnull (gdk_monitor_get_connector (monitor));

  row = ADW_COMBO_ROW (find_row (window, "Rating", "Rating screen"));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==,
                    1 + g_list_model_get_n_items (monitors));
  adw_combo_row_set_selected (row, 1);
  chosen = g_settings_get_string (settings, "rating-monitor");
  g_assert_cmpstr (chosen, ==, gdk_monitor_get_connector (monitor));
  adw_combo_row_set_selected (row, 0);
  g_clear_pointer (&chosen, g_free);
  chosen = g_settings_get_string (settings, "rating-monitor");
  g_assert_cmpstr (chosen, ==, "");
  gtk_window_destroy (GTK_WINDOW (window));

  /* Chosen once, unplugged since. */
  g_settings_set_string (settings, "rating-monitor", "HDMI-9");
  window = ow_preferences_window_new (settings, NULL);
  gtk_window_present (GTK_WINDOW (window));
  row = ADW_COMBO_ROW (find_row (window, "Rating", "Rating screen"));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, find_item (row, "HDMI-9 (not connected)"));
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "rating-monitor");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
  adw_init ();

  g_test_add_func ("/preferences/printing", test_printing);
  g_test_add_func ("/preferences/rating-screen", test_rating_screen);
  return g_test_run ();
}
