/* test-gui.c — the counter window against the real platform, in a real window under Xvfb
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finds controls the way a screen reader user would: entries by the label that names them,
 * buttons by their text. Fills the log-in page, searches the catalog, picks an item, fills the
 * applicant and materials, checks what Accept allows, screenshots the window, then accepts and
 * checks the case reached the local store and the platform.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "core/ow-case.h"
#include "core/ow-case-number.h"
#include "core/ow-validate.h"
#include "gui/ow-application.h"
#include "gui/ow-material-row.h"
#include "gui/ow-outbox-window.h"
#include "gui/ow-scan-dialog.h"
#include "gui/ow-window.h"
#include "ow-test-platform.h"

#define WAIT_SECONDS 30

typedef gboolean (*Condition) (gpointer data);

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds; fails the test with @what after WAIT_SECONDS. */
static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

static gboolean
idle_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets pending events, layout and drawing happen. */
static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, idle_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---------------------------------------------------------------------------------------- */
/* Finding widgets */

static char *
strip_mnemonic (const char *text)
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

static GPtrArray *
find_all (gpointer root,
          GType    type)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (GTK_WIDGET (root), type, out);
  return out;
}

static gpointer
find_first (gpointer root,
            GType    type)
{
  g_autoptr(GPtrArray) all = find_all (root, type);

  g_assert_cmpuint (all->len, >, 0);
  return g_ptr_array_index (all, 0);
}

/* The control a visible label names ("_User name" → the user-name entry). */
static GtkWidget *
find_labelled (gpointer    root,
               const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      g_autofree char *plain = strip_mnemonic (gtk_label_get_label (label));

      if (g_strcmp0 (plain, text) == 0 && gtk_label_get_mnemonic_widget (label) != NULL)
        return gtk_label_get_mnemonic_widget (label);
    }
  g_error ("No control labelled “%s”", text);
  return NULL;
}

static GtkWidget *
find_button (gpointer    root,
             const char *text)
{
  g_autoptr(GPtrArray) buttons = find_all (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);
      g_autofree char *plain = strip_mnemonic (gtk_button_get_label (button));

      if (g_strcmp0 (plain, text) == 0)
        return GTK_WIDGET (button);
    }
  g_error ("No button “%s”", text);
  return NULL;
}

static GtkListBox *
find_list_with_class (gpointer    root,
                      const char *css_class)
{
  g_autoptr(GPtrArray) lists = find_all (root, GTK_TYPE_LIST_BOX);

  for (guint i = 0; i < lists->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (lists, i), css_class))
      return g_ptr_array_index (lists, i);
  g_error ("No list with style class %s", css_class);
  return NULL;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static void
type_text (GtkWidget  *entry,
           const char *text)
{
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  settle (50);
}

/* ---------------------------------------------------------------------------------------- */

static void
save_screenshot (GtkWidget  *widget,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* ---------------------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------------------- */
/* A real IPP Everywhere printer that keeps what it receives (testing.md) */

static guint16
pick_free_port (void)
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

/* Starts ippeveprinter spooling into @spool; NULL when it is not installed. It wants a D-Bus for
 * DNS-SD even with -r off: the private session bus of dbus-run-session serves. */
static GSubprocess *
start_printer (const char  *spool,
               char       **uri)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path ("ippeveprinter");
  g_autofree char *port_text = NULL;
  GSubprocess *printer;
  guint16 port;
  gint64 deadline;

  if (program == NULL)
    return NULL;

  port = pick_free_port ();
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
                                         "OneWindowTest", NULL);
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

/* The first file in @dir that is a PDF, or NULL. */
static char *
find_spooled_pdf (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL) && length > 4
          && memcmp (contents, "%PDF", 4) == 0)
        return g_steal_pointer (&path);
    }
  return NULL;
}

static gboolean
spool_has_pdf (gpointer data)
{
  g_autofree char *pdf = find_spooled_pdf (data);
  return pdf != NULL;
}

static gboolean
toast_with_text (gpointer data)
{
  const char **wanted = data;
  GList *toplevels = gtk_window_list_toplevels ();
  gboolean found = FALSE;

  for (GList *l = toplevels; l != NULL && !found; l = l->next)
    {
      g_autoptr(GPtrArray) labels = find_all (l->data, GTK_TYPE_LABEL);

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

static GtkWidget *
find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

typedef struct
{
  OwTestPlatform *platform;
  OwApplication *app;
  OwContext *context;
  OwWindow *window;
  char *store_path;
  GSubprocess *printer;
  char *printer_uri;
  char *spool;
} Fixture;

static gboolean
context_settled (gpointer data)
{
  OwContext *context = data;
  return ow_context_is_ready (context) || ow_context_get_open_error (context) != NULL;
}

static gboolean
left_login_page (gpointer data)
{
  Fixture *f = data;
  GtkWidget *error_label = NULL;
  g_autoptr(GPtrArray) labels = NULL;

  if (g_strcmp0 (ow_window_get_page (f->window), "intake") == 0)
    return TRUE;
  /* A log-in error ends the wait too, so that the test says why. */
  labels = find_all (f->window, GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      if (gtk_widget_has_css_class (label, "error") && gtk_widget_get_visible (label)
          && gtk_widget_is_drawable (label))
        error_label = label;
    }
  if (error_label != NULL)
    g_error ("Log-in failed: %s", gtk_label_get_text (GTK_LABEL (error_label)));
  return FALSE;
}

typedef struct
{
  GtkListBox *list;
  guint expected;
} ListCount;

static gboolean
list_has_count (gpointer data)
{
  ListCount *lc = data;
  return count_rows (lc->list) == lc->expected;
}

static gboolean
row_provided (gpointer data)
{
  return ow_material_row_get_provided (data) && !ow_material_row_get_busy (data);
}

static gboolean
scan_dialog_idle (gpointer data)
{
  return !ow_scan_dialog_get_busy (data);
}

static gboolean
row_not_busy (gpointer data)
{
  return !ow_material_row_get_busy (data);
}

static gboolean
entry_empty (gpointer data)
{
  return *gtk_editable_get_text (GTK_EDITABLE (data)) == '\0';
}

static gboolean
sync_drained (gpointer data)
{
  OwSync *sync = data;
  return ow_sync_get_pending (sync) == 0 && ow_sync_get_last_sync (sync) != 0;
}

static guint
count_matching_items (OwCatalog  *catalog,
                      const char *needle)
{
  GListModel *items = ow_catalog_get_items (catalog);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OwItem) item = g_list_model_get_item (items, i);
      const char * const *aliases = ow_item_get_aliases (item);
      gboolean match = strstr (ow_item_get_name (item), needle) != NULL;

      for (guint j = 0; !match && aliases != NULL && aliases[j] != NULL; j++)
        match = strstr (aliases[j], needle) != NULL;
      n += match;
    }
  return n;
}

static void
test_intake (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *screenshot = NULL;
  GtkWidget *username, *password, *search, *name, *id, *mobile, *accept;
  GtkWidget *id_error;
  GtkListBox *items_list;
  GtkListBox *materials_list;
  g_autoptr(GPtrArray) rows = NULL;
  OwCatalog *catalog;
  ListCount lc;
  guint expected;
  gboolean scanned = FALSE;

  f.platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  f.store_path = g_build_filename (ow_test_platform_get_tmp_dir (f.platform), "counter",
                                   "onewindow.db", NULL);
  f.spool = g_build_filename (ow_test_platform_get_tmp_dir (f.platform), "spool", NULL);
  g_assert_cmpint (g_mkdir (f.spool, 0700), ==, 0);
  f.printer = start_printer (f.spool, &f.printer_uri);
  if (f.printer == NULL)
    g_test_message ("ippeveprinter is not installed: the notice is not printed");

  f.app = ow_application_new ();
  /* Several suites may run in one session bus; this instance must not be taken for another. */
  g_application_set_flags (G_APPLICATION (f.app), G_APPLICATION_NON_UNIQUE);
  ow_application_configure (f.app, ow_test_platform_get_base_uri (f.platform), f.store_path,
                            "test:0", f.printer_uri);
  g_assert_true (g_application_register (G_APPLICATION (f.app), NULL, &error));
  g_assert_no_error (error);
  f.context = ow_application_get_context (f.app);
  g_assert_nonnull (f.context);

  f.window = ow_window_new (f.app);
  gtk_window_present (GTK_WINDOW (f.window));
  wait_until (context_settled, f.context, "the local store to open");
  g_assert_null (ow_context_get_open_error (f.context));
  g_assert_true (g_file_test (f.store_path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (ow_window_get_page (f.window), ==, "login");

  /* Log in. */
  username = find_labelled (f.window, "User name");
  password = find_labelled (f.window, "Password");
  g_assert_true (GTK_IS_EDITABLE (username));
  g_assert_true (GTK_IS_EDITABLE (password));
  type_text (username, "clerk");
  type_text (password, "demo");
  gtk_widget_activate (find_button (f.window, "Log In"));
  wait_until (left_login_page, &f, "the intake page after logging in");
  catalog = ow_context_get_catalog (f.context);
  g_assert_nonnull (catalog);
  g_assert_nonnull (ow_context_get_user (f.context));
  g_assert_cmpuint (ow_context_get_user (f.context)->counter, >, 0);

  /* Accept is not possible with nothing filled in. */
  accept = find_button (f.window, "Accept and Print Notice");
  settle (100);
  g_assert_false (gtk_widget_is_sensitive (accept));

  /* Search as you type. */
  items_list = find_list_with_class (f.window, "navigation-sidebar");
  g_assert_cmpuint (count_rows (items_list), ==,
                    g_list_model_get_n_items (ow_catalog_get_items (catalog)));
  expected = count_matching_items (catalog, "营业执照");
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (expected, <, g_list_model_get_n_items (ow_catalog_get_items (catalog)));
  search = find_first (f.window, GTK_TYPE_SEARCH_ENTRY);
  /* Ctrl+F's action brings the focus back to the search from anywhere. */
  gtk_widget_grab_focus (find_labelled (f.window, "Mobile"));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.focus-search", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f.window)), search));
  type_text (search, "营业执照");
  lc.list = items_list;
  lc.expected = expected;
  wait_until (list_has_count, &lc, "the search results for 营业执照");
  for (guint i = 0; i < expected; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (items_list, i);
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      g_assert_true (title != NULL && *title != '\0');
    }

  /* Choose the first match: its materials appear. */
  gtk_list_box_select_row (items_list, gtk_list_box_get_row_at_index (items_list, 0));
  settle (100);
  materials_list = find_list_with_class (f.window, "boxed-list");
  rows = find_all (materials_list, OW_TYPE_MATERIAL_ROW);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_false (gtk_widget_is_sensitive (accept));

  /* The applicant: an ID with a wrong check character is refused under the field. */
  name = find_labelled (f.window, "Name");
  id = find_labelled (f.window, "ID number");
  mobile = find_labelled (f.window, "Mobile");
  type_text (name, "张三");
  type_text (id, "110105194912310021");
  g_assert_true (gtk_widget_has_css_class (id, "error"));
  id_error = gtk_widget_get_next_sibling (id);
  g_assert_true (GTK_IS_LABEL (id_error));
  g_assert_true (gtk_widget_get_visible (id_error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (id_error)), !=, "");
  {
    g_autoptr(GError) expected_error = NULL;
    ow_validate_resident_id ("110105194912310021", NULL, &expected_error);
    g_assert_nonnull (expected_error);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (id_error)), ==, expected_error->message);
  }
  type_text (id, "11010519491231002X");
  g_assert_false (gtk_widget_has_css_class (id, "error"));
  g_assert_false (gtk_widget_get_visible (id_error));
  type_text (mobile, "1380013800");
  g_assert_true (gtk_widget_has_css_class (mobile, "error"));
  type_text (mobile, "13800138000");
  g_assert_false (gtk_widget_has_css_class (mobile, "error"));
  /* Materials still missing. */
  g_assert_false (gtk_widget_is_sensitive (accept));

  /* The first material is scanned on SANE's test scanner; the rest arrive on paper. (Errors
   * injected through the test backend's read-return-value are left to the devices suite: the
   * backend then cancels its reader thread with pthread_cancel, which can deadlock the process
   * in glibc's allocator — seen here about one run in four.) */
  {
    OwMaterialRow *first = g_ptr_array_index (rows, 0);
    GtkWidget *scan = find_button (first, "Scan");

    OwScanDialog *dialog;

    /* A click, as with the mouse: keyboard activation clicks only after a visible delay. The
     * row's Scan opens the material's pages dialog; one ID-card page on the glass, then Done
     * stores it as one PDF (tests/gui/test-scan-dialog.c tries the rest of the dialog). */
    g_signal_emit_by_name (scan, "clicked");
    dialog = OW_SCAN_DIALOG (find_toplevel (OW_TYPE_SCAN_DIALOG));
    g_assert_nonnull (dialog);
    g_assert_true (ow_material_row_get_busy (first));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (dialog, "Kind of material")), 0);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (dialog, "Source")), 0);
    g_signal_emit_by_name (find_button (dialog, "Scan"), "clicked");
    wait_until (scan_dialog_idle, dialog, "the scan to finish");
    if (ow_scan_dialog_get_n_pages (dialog) > 0)
      g_signal_emit_by_name (find_button (dialog, "Done"), "clicked");
    else
      {
        g_test_message ("Scanning failed: %s", ow_scan_dialog_get_problem (dialog));
        gtk_window_destroy (GTK_WINDOW (dialog));
      }
    wait_until (row_not_busy, first, "the pages to be stored");
    scanned = ow_material_row_get_provided (first);
    if (scanned)
      {
        g_autoptr(OwCaseMaterial) line = ow_material_row_to_case_material (first);
        g_autofree char *file = NULL;

        g_assert_cmpint (line->status, ==, OW_MATERIAL_STATUS_SCANNED);
        g_assert_cmpuint (line->files->len, ==, 1);
        file = g_build_filename (ow_store_get_files_dir (ow_context_get_store (f.context)),
                                 g_ptr_array_index (line->files, 0), NULL);
        g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
      }
    else
      g_test_message ("Scanning failed: %s",
                      adw_action_row_get_subtitle (ADW_ACTION_ROW (first)));
  }
  for (guint i = scanned ? 1 : 0; i < rows->len; i++)
    {
      OwMaterialRow *row = g_ptr_array_index (rows, i);
      GtkDropDown *status = find_first (row, GTK_TYPE_DROP_DOWN);

      if (ow_material_row_get_provided (row))
        continue;
      gtk_drop_down_set_selected (status, 1);   /* On paper */
      wait_until (row_provided, row, "a material to count as provided");
    }
  settle (100);
  g_assert_true (gtk_widget_is_sensitive (accept));

  /* What the clerk sees at this moment. */
  screenshot = g_build_filename (g_getenv ("OW_BUILD_DIR") != NULL ? g_getenv ("OW_BUILD_DIR")
                                                                  : ".",
                                 "tests", "gui", "gui-intake.png", NULL);
  save_screenshot (GTK_WIDGET (f.window), screenshot);

  /* Changing the kind makes the resident ID wrong for an organisation. */
  {
    GtkDropDown *kind = GTK_DROP_DOWN (find_labelled (f.window, "Kind"));
    gtk_drop_down_set_selected (kind, 1);
    settle (50);
    g_assert_true (gtk_widget_has_css_class (id, "error"));
    g_assert_false (gtk_widget_is_sensitive (accept));
    gtk_drop_down_set_selected (kind, 0);
    settle (50);
    g_assert_true (gtk_widget_is_sensitive (accept));
  }

  /* Accept: the case is saved, the form clears, the case reaches the platform. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.accept", NULL);
  wait_until (entry_empty, name, "the form to clear after accepting");
  {
    g_autoptr(GPtrArray) cases = ow_store_list_cases (ow_context_get_store (f.context), 0, 10,
                                                      &error);
    OwCase *kase;
    g_autofree char *path = NULL;
    g_autofree char *token = NULL;
    g_autoptr(OwTestResponse) response = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (cases->len, ==, 1);
    kase = g_ptr_array_index (cases, 0);
    g_assert_cmpint (ow_case_get_state (kase), ==, OW_CASE_STATE_ACCEPTED);
    g_assert_cmpstr (ow_case_get_applicant (kase)->id_number, ==, "11010519491231002X");
    g_assert_true (g_date_valid (ow_case_get_promised_date (kase)));

    wait_until (sync_drained, ow_context_get_sync (f.context), "the case to reach the platform");
    token = ow_test_platform_login (f.platform, "clerk", "demo", &error);
    g_assert_no_error (error);
    path = g_strdup_printf ("/api/v1/cases/%s", ow_case_get_case_no (kase));
    response = ow_test_platform_request (f.platform, "GET", path, token, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (response->status, ==, 200);
    g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "accepted");

    /* The notice reached the printer, and the clerk was told. */
    if (f.printer != NULL)
      {
        g_autofree char *display = ow_case_number_format (ow_case_get_case_no (kase));
        const char *wanted[] = { display, "notice printed" };

        g_autofree char *pdf = NULL;
        g_autofree char *contents = NULL;
        gsize length = 0;
        guint pages = 0;

        wait_until (spool_has_pdf, f.spool, "the notice at the printer");
        wait_until (toast_with_text, wanted, "the toast saying the notice was printed");
        /* The schema's default: applicant's, department's and archive's copies in one job. */
        pdf = find_spooled_pdf (f.spool);
        g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
        /* Byte by byte, not strstr: the PDF's streams hold NUL bytes. */
        for (gsize i = 0; i + 12 <= length; i++)
          if (memcmp (contents + i, "/Type /Page", 11) == 0 && contents[i + 11] != 's')
            pages++;
        g_test_message ("The notice has %u pages", pages);
        g_assert_cmpuint (pages, >=, 3);
      }
  }
  settle (200);

  /* The status line opens the waiting changes: none are left. */
  {
    GtkWidget *outbox;

    gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-outbox", NULL);
    outbox = find_toplevel (OW_TYPE_OUTBOX_WINDOW);
    g_assert_nonnull (outbox);
    wait_until ((Condition) ow_outbox_window_get_loaded, outbox, "the outbox to be listed");
    g_assert_cmpuint (ow_outbox_window_get_n_rows (OW_OUTBOX_WINDOW (outbox)), ==, 0);
    gtk_window_destroy (GTK_WINDOW (outbox));
  }

  /* The menu's windows open: About, and the shortcuts from help-overlay.ui. */
  {
    GtkWidget *about, *shortcuts;

    g_action_group_activate_action (G_ACTION_GROUP (f.app), "about", NULL);
    settle (100);
    about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
    g_assert_nonnull (about);
    g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                     "OneWindow");
    gtk_window_destroy (GTK_WINDOW (about));

    gtk_window_present (GTK_WINDOW (f.window));
    g_action_group_activate_action (G_ACTION_GROUP (f.app), "shortcuts", NULL);
    settle (100);
    shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
    g_assert_nonnull (shortcuts);
    gtk_window_close (GTK_WINDOW (shortcuts));
    settle (50);
  }

  gtk_window_destroy (GTK_WINDOW (f.window));
  settle (50);
  g_clear_object (&f.app);
  if (f.printer != NULL)
    {
      g_subprocess_force_exit (f.printer);
      g_subprocess_wait (f.printer, NULL, NULL);
      g_clear_object (&f.printer);
    }
  ow_test_platform_free (f.platform);
  g_free (f.store_path);
  g_free (f.printer_uri);
  g_free (f.spool);
}

/* Under Xvfb there is no window manager to give the window focus, and GTK 4.8 then warns when
 * focus moves between entries of the unfocused window. That one warning says nothing about the
 * application; every other warning stays fatal. */
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

static GtkWidget *
find_visible_error (OwWindow *window)
{
  g_autoptr(GPtrArray) labels = find_all (window, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      if (gtk_widget_has_css_class (label, "error") && gtk_widget_get_visible (label)
          && gtk_widget_is_drawable (label) && *gtk_label_get_text (GTK_LABEL (label)) != '\0')
        return label;
    }
  return NULL;
}

static gboolean
login_error_shown (gpointer data)
{
  return find_visible_error (data) != NULL;
}

/* Wrong password and unreachable platform: two different messages, inline on the log-in page. */
static void
test_login_errors (void)
{
  g_autoptr(GError) error = NULL;
  OwTestPlatform *platform;
  OwApplication *app;
  OwContext *context;
  OwWindow *window;
  g_autofree char *store_path = NULL;
  GtkWidget *username, *password, *label;
  g_autofree char *unreachable = NULL;

  platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  store_path = g_build_filename (ow_test_platform_get_tmp_dir (platform), "counter",
                                 "onewindow.db", NULL);

  app = ow_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  ow_application_configure (app, ow_test_platform_get_base_uri (platform), store_path, NULL,
                            NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  context = ow_application_get_context (app);
  window = ow_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (context_settled, context, "the local store to open");

  username = find_labelled (window, "User name");
  password = find_labelled (window, "Password");
  type_text (username, "clerk");
  type_text (password, "not-the-password");
  g_assert_null (find_visible_error (window));
  g_signal_emit_by_name (find_button (window, "Log In"), "clicked");
  wait_until (login_error_shown, window, "the wrong-password message");
  label = find_visible_error (window);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   "Wrong user name or password. Check both and try again.");
  g_assert_cmpstr (ow_window_get_page (window), ==, "login");
  g_assert_null (ow_context_get_user (context));

  /* The platform goes away: the same log-in now says it cannot be reached. */
  ow_test_platform_stop (platform);
  gtk_widget_set_visible (label, FALSE);
  type_text (password, "demo");
  g_signal_emit_by_name (find_button (window, "Log In"), "clicked");
  wait_until (login_error_shown, window, "the unreachable-platform message");
  unreachable = g_strdup_printf ("The platform at %s cannot be reached",
                                 ow_test_platform_get_base_uri (platform));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (find_visible_error (window))),
                                   unreachable));
  g_assert_cmpstr (ow_window_get_page (window), ==, "login");
  g_assert_false (ow_context_get_online (context));

  gtk_window_destroy (GTK_WINDOW (window));
  settle (50);
  g_object_unref (app);
  ow_test_platform_free (platform);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
  adw_init ();

  g_test_add_func ("/gui/login-errors", test_login_errors);
  g_test_add_func ("/gui/intake", test_intake);
  return g_test_run ();
}
