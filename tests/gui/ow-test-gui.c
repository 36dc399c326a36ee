/* ow-test-gui.c — what the GUI tests share: waiting, finding widgets, screenshots, a printer
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "gui/shell/ow-context.h"
#include "gui/shell/ow-window.h"

#include "ow-test-gui.h"

static guint wait_seconds = OW_TEST_GUI_WAIT_SECONDS;

void
ow_test_gui_init (int    *argc,
                  char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  g_test_log_set_fatal_handler (ow_test_gui_fatal_log_cb, NULL);
  adw_init ();
}

/* ---------------------------------------------------------------------------------------- */
/* Waiting */

void
ow_test_gui_set_wait_seconds (guint seconds)
{
  wait_seconds = seconds;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds; fails the test with @what after the wait seconds. */
void
ow_test_gui_wait_until (OwTestGuiCondition  condition,
                        gpointer            data,
                        const char         *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (wait_seconds, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      /* What the person at the counter would have read: usually says why. */
      GList *toplevels = gtk_window_list_toplevels ();

      for (GList *l = toplevels; l != NULL; l = l->next)
        {
          g_autoptr(GPtrArray) labels = ow_test_gui_find_all (l->data, GTK_TYPE_LABEL);

          for (guint i = 0; i < labels->len; i++)
            if (gtk_widget_get_ancestor (labels->pdata[i], ADW_TYPE_TOAST_OVERLAY) != NULL
                && gtk_widget_get_ancestor (labels->pdata[i], GTK_TYPE_STACK) == NULL
                && gtk_widget_get_ancestor (labels->pdata[i], ADW_TYPE_PREFERENCES_PAGE) == NULL
                && gtk_widget_get_mapped (labels->pdata[i]))
              g_printerr ("Shown: %s\n", gtk_label_get_text (labels->pdata[i]));
        }
      g_list_free (toplevels);
      g_error ("Timed out waiting for %s", what);
    }
  g_source_remove (id);
}

static gboolean
idle_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets pending events, layout and drawing happen. */
void
ow_test_gui_settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, idle_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---------------------------------------------------------------------------------------- */
/* Finding widgets */

char *
ow_test_gui_strip_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

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

GPtrArray *
ow_test_gui_find_all (gpointer root,
                      GType    type)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (GTK_WIDGET (root), type, out);
  return out;
}

gpointer
ow_test_gui_find_first (gpointer root,
                        GType    type)
{
  g_autoptr(GPtrArray) all = ow_test_gui_find_all (root, type);

  g_assert_cmpuint (all->len, >, 0);
  return g_ptr_array_index (all, 0);
}

/* The control a visible label names ("_User name" → the user-name entry). */
GtkWidget *
ow_test_gui_find_labelled (gpointer    root,
                           const char *text)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      g_autofree char *plain = ow_test_gui_strip_mnemonic (gtk_label_get_label (label));

      if (g_strcmp0 (plain, text) == 0 && gtk_label_get_mnemonic_widget (label) != NULL)
        return gtk_label_get_mnemonic_widget (label);
    }
  g_error ("No control labelled “%s”", text);
  return NULL;
}

GtkWidget *
ow_test_gui_find_button (gpointer    root,
                         const char *text)
{
  g_autoptr(GPtrArray) buttons = ow_test_gui_find_all (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);
      g_autofree char *plain = ow_test_gui_strip_mnemonic (gtk_button_get_label (button));

      if (g_strcmp0 (plain, text) == 0)
        return GTK_WIDGET (button);
    }
  g_error ("No button “%s”", text);
  return NULL;
}

GtkListBox *
ow_test_gui_find_list_with_class (gpointer    root,
                                  const char *css_class)
{
  g_autoptr(GPtrArray) lists = ow_test_gui_find_all (root, GTK_TYPE_LIST_BOX);

  for (guint i = 0; i < lists->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (lists, i), css_class))
      return g_ptr_array_index (lists, i);
  g_error ("No list with style class %s", css_class);
  return NULL;
}

/* An AdwPreferencesRow (action, combo or entry row) by its title, as a screen reader names it. */
GtkWidget *
ow_test_gui_find_row (gpointer    root,
                      GType       type,
                      const char *title)
{
  g_autoptr(GPtrArray) rows = ow_test_gui_find_all (root, type);

  for (guint i = 0; i < rows->len; i++)
    {
      AdwPreferencesRow *row = g_ptr_array_index (rows, i);
      g_autofree char *plain = ow_test_gui_strip_mnemonic (adw_preferences_row_get_title (row));

      if (g_strcmp0 (plain, title) == 0)
        return GTK_WIDGET (row);
    }
  g_error ("No row “%s”", title);
  return NULL;
}

/* An entry by its placeholder ("Due YYYY-MM-DD" …): the entries of a material row have no
 * label of their own. */
GtkWidget *
ow_test_gui_find_entry_with_placeholder (gpointer    root,
                                         const char *placeholder)
{
  g_autoptr(GPtrArray) entries = ow_test_gui_find_all (root, GTK_TYPE_ENTRY);

  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (gtk_entry_get_placeholder_text (g_ptr_array_index (entries, i)),
                   placeholder) == 0)
      return g_ptr_array_index (entries, i);
  g_error ("No entry “%s”", placeholder);
  return NULL;
}

/* The first visible toplevel of @type, or NULL. */
GtkWidget *
ow_test_gui_find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static guint
combo_row_find (GtkWidget  *row,
                const char *label)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (GTK_IS_STRING_OBJECT (item)
          && g_strcmp0 (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), label) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

void
ow_test_gui_choose_in_combo_row (GtkWidget  *row,
                                 const char *label)
{
  guint position = combo_row_find (row, label);

  if (position == GTK_INVALID_LIST_POSITION)
    g_error ("The combo row offers no “%s”", label);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
  ow_test_gui_settle (50);
}

gboolean
ow_test_gui_combo_row_offers (GtkWidget  *row,
                              const char *label)
{
  return combo_row_find (row, label) != GTK_INVALID_LIST_POSITION;
}

void
ow_test_gui_type_text (GtkWidget  *entry,
                       const char *text)
{
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  ow_test_gui_settle (50);
}

/* ---------------------------------------------------------------------------------------- */
/* Screenshots */

/* Where a screenshot called @name goes: tests/gui of the build directory. */
char *
ow_test_gui_screenshot_path (const char *name)
{
  return g_build_filename (g_getenv ("OW_BUILD_DIR") != NULL ? g_getenv ("OW_BUILD_DIR") : ".",
                           "tests", "gui", name, NULL);
}

void
ow_test_gui_save_screenshot (GtkWidget  *widget,
                             const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer;

  /* A window just presented has no size until its first frame: on a loaded machine that
   * comes later than the caller's settling. Wait for it, three seconds at most. */
  for (guint tries = 0; (width <= 0 || height <= 0) && tries < 30; tries++)
    {
      ow_test_gui_settle (100);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
    }
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* The paintable gives the widget as last drawn: nothing while a frame is still to come (on a
   * loaded machine, just after a page changed). Wait for that frame, a few times at most. */
  for (guint tries = 0; node == NULL && tries < 20; tries++)
    {
      g_autoptr(GtkSnapshot) again = gtk_snapshot_new ();

      gtk_test_widget_wait_for_draw (widget);
      ow_test_gui_settle (50);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (again), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&again));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* Saves @widget as drawn to tests/gui/@name in the build directory. */
void
ow_test_gui_screenshot (GtkWidget  *widget,
                        const char *name)
{
  g_autofree char *path = ow_test_gui_screenshot_path (name);

  ow_test_gui_save_screenshot (widget, path);
}

/* ---------------------------------------------------------------------------------------- */
/* A real IPP Everywhere printer that keeps what it receives (testing.md) */

guint16
ow_test_gui_pick_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The printer dies with the test, even when an assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
printer_answers (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "localhost", port, NULL, NULL);
  return connection != NULL;
}

/* Starts ippeveprinter called @name on @port (0: a free one) spooling into @spool; NULL when it
 * is not installed (meson's test environment names it in OW_IPPEVEPRINTER, since Debian puts it
 * in /usr/sbin, off an ordinary user's PATH). It wants a D-Bus for DNS-SD even with -r off: the private session bus of
 * dbus-run-session serves. */
GSubprocess *
ow_test_gui_start_printer (const char  *spool,
                           guint16      port,
                           const char  *name,
                           char       **uri)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_strdup (g_getenv ("OW_IPPEVEPRINTER"));
  g_autofree char *port_text = NULL;
  GSubprocess *printer;
  gint64 deadline;

  if (program == NULL)
    program = g_find_program_in_path ("ippeveprinter");
  if (program == NULL)
    return NULL;

  if (port == 0)
    port = ow_test_gui_pick_free_port ();
  port_text = g_strdup_printf ("%u", port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS",
                                  g_getenv ("DBUS_SESSION_BUS_ADDRESS"), TRUE);
  printer = g_subprocess_launcher_spawn (launcher, &error, program, "-p", port_text,
                                         "-n", "localhost", "-d", spool, "-k", "-c", "/bin/true",
                                         "-f", "application/pdf,image/pwg-raster", "-r", "off",
                                         name, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!printer_answers (port))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
  *uri = g_strdup_printf ("ipp://localhost:%u/ipp/print", port);
  return printer;
}

static gboolean
is_pdf (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  return g_file_get_contents (path, &contents, &length, NULL) && length > 4
         && memcmp (contents, "%PDF", 4) == 0;
}

/* The first file in @dir that is a PDF, or NULL. */
char *
ow_test_gui_find_spooled_pdf (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (is_pdf (path))
        return g_steal_pointer (&path);
    }
  return NULL;
}

guint
ow_test_gui_count_spooled_pdfs (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      n += is_pdf (path);
    }
  return n;
}

gboolean
ow_test_gui_spool_has_pdf (gpointer data)
{
  g_autofree char *pdf = ow_test_gui_find_spooled_pdf (data);
  return pdf != NULL;
}

gboolean
ow_test_gui_spool_has_two_pdfs (gpointer data)
{
  return ow_test_gui_count_spooled_pdfs (data) >= 2;
}

/* ---------------------------------------------------------------------------------------- */
/* What was printed, read back */

/* The text of @pdf by pdftotext (poppler-utils); fails the test when it cannot be read. */
char *
ow_test_gui_pdf_text (const char *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH
                               | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
                               &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* pdftotext breaks long lines where the page does: compare without line breaks and spaces. */
char *
ow_test_gui_squeeze_spaces (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Conditions on the application */

/* A toast in the main window whose text holds @data[0] and, unless NULL, @data[1]. */
gboolean
ow_test_gui_toast_with_text (gpointer data)
{
  const char **wanted = data;
  GList *toplevels = gtk_window_list_toplevels ();
  gboolean found = FALSE;

  for (GList *l = toplevels; l != NULL && !found; l = l->next)
    {
      g_autoptr(GPtrArray) labels = ow_test_gui_find_all (l->data, GTK_TYPE_LABEL);

      for (guint i = 0; i < labels->len && !found; i++)
        {
          GtkWidget *label = g_ptr_array_index (labels, i);

          if (gtk_widget_get_ancestor (label, ADW_TYPE_TOAST_OVERLAY) == NULL
              || gtk_widget_get_ancestor (label, OW_TYPE_WINDOW) == NULL
              || gtk_widget_get_ancestor (label, GTK_TYPE_STACK) != NULL)
            continue;
          found = strstr (gtk_label_get_text (GTK_LABEL (label)), wanted[0]) != NULL;
          if (found && wanted[1] != NULL)
            found = strstr (gtk_label_get_text (GTK_LABEL (label)), wanted[1]) != NULL;
        }
    }
  g_list_free (toplevels);
  return found;
}

gboolean
ow_test_gui_context_settled (gpointer data)
{
  OwContext *context = data;
  return ow_context_is_ready (context) || ow_context_get_open_error (context) != NULL;
}

gboolean
ow_test_gui_entry_empty (gpointer data)
{
  return *gtk_editable_get_text (GTK_EDITABLE (data)) == '\0';
}

gboolean
ow_test_gui_sync_drained (gpointer data)
{
  OwSync *sync = data;
  return ow_sync_get_pending (sync) == 0 && ow_sync_get_last_sync (sync) != 0;
}

/* Under Xvfb there is no window manager to give the window focus, and GTK 4.8 then warns when
 * focus moves between entries of the unfocused window. That one warning says nothing about the
 * application; every other warning stays fatal. */
gboolean
ow_test_gui_fatal_log_cb (const char     *log_domain,
                          GLogLevelFlags  log_level,
                          const char     *message,
                          gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "Gtk") == 0 && message != NULL
      && strstr (message, "did not receive a focus-out event") != NULL)
    return FALSE;
  return TRUE;
}
