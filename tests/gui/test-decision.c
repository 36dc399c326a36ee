/* test-decision.c — the clerk's decision at the counter: refuse, supplements, 容缺, delivery,
 * preview; against the real platform and a real IPP printer, in a real window under Xvfb
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the intake page as a clerk would — controls found by their labels and titles — and
 * checks what a wrong decision is refused with, then what a right one leaves behind: the case
 * in the local store and on the platform, and the notice's text in the printer's spool.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gtk/gtkunixprint.h>

#include "core/ow-clock.h"
#include "core/ow-case.h"
#include "core/ow-case-number.h"
#include "gui/ow-application.h"
#include "gui/ow-decision-panel.h"
#include "gui/ow-material-row.h"
#include "gui/ow-preview-dialog.h"
#include "gui/ow-print-jobs.h"
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
  GtkWidget *accept;
  GPtrArray *rows;
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


/* ---------------------------------------------------------------------------------------- */
/* The decision's own controls */

/* An AdwPreferencesRow (combo or entry row) by its title, as a screen reader names it. */
static GtkWidget *
find_row (gpointer    root,
          GType       type,
          const char *title)
{
  g_autoptr(GPtrArray) rows = find_all (root, type);

  for (guint i = 0; i < rows->len; i++)
    {
      AdwPreferencesRow *row = g_ptr_array_index (rows, i);
      g_autofree char *plain = strip_mnemonic (adw_preferences_row_get_title (row));

      if (g_strcmp0 (plain, title) == 0)
        return GTK_WIDGET (row);
    }
  g_error ("No row “%s”", title);
  return NULL;
}

/* An entry of a material row by its placeholder ("Due YYYY-MM-DD" …). */
static GtkWidget *
find_entry_with_placeholder (gpointer    root,
                             const char *placeholder)
{
  g_autoptr(GPtrArray) entries = find_all (root, GTK_TYPE_ENTRY);

  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (gtk_entry_get_placeholder_text (g_ptr_array_index (entries, i)),
                   placeholder) == 0)
      return g_ptr_array_index (entries, i);
  g_error ("No entry “%s”", placeholder);
  return NULL;
}

static const char *
hint_text (Fixture *f)
{
  GtkWidget *accept = f->accept;
  GtkWidget *box = gtk_widget_get_parent (accept);
  GtkWidget *hint = gtk_widget_get_prev_sibling (box);

  g_assert_true (GTK_IS_LABEL (hint));
  return gtk_label_get_text (GTK_LABEL (hint));
}

static void
choose_decision (Fixture   *f,
                 OwDecision decision)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (f->window, ADW_TYPE_COMBO_ROW,
                                                       "Decision")), decision);
  settle (50);
}

static char *
pdf_text (const char *pdf)
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

/* Logs in, picks the item named @item_name, fills a valid applicant. */
static void
fixture_start_with_printer (Fixture    *f,
                            const char *item_name,
                            const char *printer_uri);

static void
fixture_start (Fixture    *f,
               const char *item_name)
{
  fixture_start_with_printer (f, item_name, NULL);
}

/* @printer_uri NULL: a real ippeveprinter. */
static void
fixture_start_with_printer (Fixture    *f,
                            const char *item_name,
                            const char *printer_uri)
{
  g_autoptr(GError) error = NULL;
  GtkListBox *items_list;
  GtkWidget *search;
  gboolean picked = FALSE;

  f->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  f->store_path = g_build_filename (ow_test_platform_get_tmp_dir (f->platform), "counter",
                                    "onewindow.db", NULL);
  f->spool = g_build_filename (ow_test_platform_get_tmp_dir (f->platform), "spool", NULL);
  g_assert_cmpint (g_mkdir (f->spool, 0700), ==, 0);
  if (printer_uri == NULL)
    f->printer = start_printer (f->spool, &f->printer_uri);
  else
    f->printer_uri = g_strdup (printer_uri);

  f->app = ow_application_new ();
  g_application_set_flags (G_APPLICATION (f->app), G_APPLICATION_NON_UNIQUE);
  ow_application_configure (f->app, ow_test_platform_get_base_uri (f->platform), f->store_path,
                            "test:0", f->printer_uri);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  f->context = ow_application_get_context (f->app);
  f->window = ow_window_new (f->app);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (context_settled, f->context, "the local store to open");
  g_assert_null (ow_context_get_open_error (f->context));

  type_text (find_labelled (f->window, "User name"), "clerk");
  type_text (find_labelled (f->window, "Password"), "demo");
  gtk_widget_activate (find_button (f->window, "Log In"));
  wait_until (left_login_page, f, "the intake page after logging in");
  f->accept = find_button (f->window, "Accept and Print Notice");

  search = find_first (f->window, GTK_TYPE_SEARCH_ENTRY);
  type_text (search, item_name);
  settle (100);
  items_list = find_list_with_class (f->window, "navigation-sidebar");
  for (guint i = 0; !picked && gtk_list_box_get_row_at_index (items_list, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (items_list, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), item_name) == 0)
        {
          gtk_list_box_select_row (items_list, row);
          picked = TRUE;
        }
    }
  g_assert_true (picked);
  settle (100);
  f->rows = find_all (find_list_with_class (f->window, "boxed-list"), OW_TYPE_MATERIAL_ROW);
  g_assert_cmpuint (f->rows->len, >, 0);

  type_text (find_labelled (f->window, "Name"), "张三");
  type_text (find_labelled (f->window, "ID number"), "11010519491231002X");
  type_text (find_labelled (f->window, "Mobile"), "13800138000");
}

static void
fixture_stop (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  settle (50);
  g_clear_pointer (&f->rows, g_ptr_array_unref);
  g_clear_object (&f->app);
  if (f->printer != NULL)
    {
      g_subprocess_force_exit (f->printer);
      g_subprocess_wait (f->printer, NULL, NULL);
      g_clear_object (&f->printer);
    }
  ow_test_platform_free (f->platform);
  g_free (f->store_path);
  g_free (f->printer_uri);
  g_free (f->spool);
}

static void
set_status (OwMaterialRow   *row,
            OwMaterialStatus status)
{
  g_assert_true (ow_material_row_set_status (row, status));
  settle (20);
}

/* Decides, waits for the form to clear, and checks the one case in the store, on the platform
 * (state @wire_state) and in the spool; returns the notice's text. */
static char *
decide_and_collect (Fixture     *f,
                    OwCaseState  state,
                    const char  *wire_state,
                    OwCase     **out_case)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  GtkWidget *name = find_labelled (f->window, "Name");
  OwCase *kase;

  g_assert_true (gtk_widget_is_sensitive (f->accept));
  g_signal_emit_by_name (f->accept, "clicked");
  wait_until (entry_empty, name, "the form to clear after deciding");

  cases = ow_store_list_cases (ow_context_get_store (f->context), 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  kase = g_ptr_array_index (cases, 0);
  g_assert_cmpint (ow_case_get_state (kase), ==, state);

  wait_until (sync_drained, ow_context_get_sync (f->context), "the case to reach the platform");
  token = ow_test_platform_login (f->platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  path = g_strdup_printf ("/api/v1/cases/%s", ow_case_get_case_no (kase));
  response = ow_test_platform_request (f->platform, "GET", path, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, wire_state);

  g_assert_nonnull (f->printer);
  wait_until (spool_has_pdf, f->spool, "the notice at the printer");
  pdf = find_spooled_pdf (f->spool);
  if (out_case != NULL)
    *out_case = g_object_ref (kase);
  return pdf_text (pdf);
}

static guint
count_spooled_pdfs (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL) && length > 4
          && memcmp (contents, "%PDF", 4) == 0)
        n++;
    }
  return n;
}

static gboolean
spool_has_two_pdfs (gpointer data)
{
  return count_spooled_pdfs (data) >= 2;
}

typedef struct
{
  OwStore *store;
  guint before;
} AuditWait;

static gboolean
audit_grew (gpointer data)
{
  AuditWait *wait = data;
  return ow_store_audit_count (wait->store, NULL) > wait->before;
}

static char *
screenshot_path (const char *name)
{
  return g_build_filename (g_getenv ("OW_BUILD_DIR") != NULL ? g_getenv ("OW_BUILD_DIR") : ".",
                           "tests", "gui", name, NULL);
}

/* ---------------------------------------------------------------------------------------- */

/* 不予受理: impossible without a reason; with one, the case is refused everywhere and the notice
 * states the reason. Delivery by post with a wrong mobile blocks the decision. The preview
 * shows the refusal's pages. */
static void
test_refuse (void)
{
  Fixture f = { 0 };
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;
  const char *reason = "申请事项依法不需要取得行政许可";
  GtkWidget *reason_row, *organ_row, *phone_row;

  fixture_start (&f, "有限责任公司设立登记");

  choose_decision (&f, OW_DECISION_REFUSE);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (f.accept)), ==, "_Refuse and Print Notice");
  reason_row = find_row (f.window, ADW_TYPE_ENTRY_ROW, "Reason for refusal");
  organ_row = find_row (f.window, ADW_TYPE_ENTRY_ROW, "Competent organ (optional)");
  g_assert_true (gtk_widget_get_visible (reason_row));
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_nonnull (strstr (hint_text (&f), "reason"));
  /* Blanks are no reason. */
  type_text (reason_row, "   ");
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  type_text (reason_row, reason);
  type_text (organ_row, "海口市民政局");
  g_assert_true (gtk_widget_is_sensitive (f.accept));

  /* By post: the recipient's mobile is checked as typed, and a wrong one blocks. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (f.window, ADW_TYPE_COMBO_ROW,
                                                       "Delivery")), 1);
  settle (50);
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  type_text (find_row (f.window, ADW_TYPE_ENTRY_ROW, "Recipient"), "李四");
  phone_row = find_row (f.window, ADW_TYPE_ENTRY_ROW, "Recipient's mobile");
  type_text (phone_row, "1380013800");
  type_text (find_row (f.window, ADW_TYPE_ENTRY_ROW, "Postal address"), "海口市龙华区滨海大道1号");
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_true (gtk_widget_has_css_class (phone_row, "error"));
  g_assert_nonnull (strstr (hint_text (&f), "mobile"));
  type_text (phone_row, "13900139000");
  g_assert_false (gtk_widget_has_css_class (phone_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (f.accept));

  shot = screenshot_path ("decision-refuse.png");
  save_screenshot (GTK_WIDGET (f.window), shot);

  /* The preview draws the refusal's pages before anything is saved. */
  {
    OwPreviewDialog *dialog;
    g_autofree char *preview_shot = screenshot_path ("decision-preview.png");

    gtk_widget_activate_action (GTK_WIDGET (f.window), "win.preview", NULL);
    settle (50);
    dialog = OW_PREVIEW_DIALOG (find_toplevel (OW_TYPE_PREVIEW_DIALOG));
    g_assert_nonnull (dialog);
    wait_until ((Condition) ow_preview_dialog_get_n_pages, dialog, "the preview's pages");
    g_assert_cmpuint (ow_preview_dialog_get_n_pages (dialog), >=, 1);
    g_assert_true (gtk_widget_is_sensitive (find_button (dialog, "Print")));
    settle (200);
    save_screenshot (GTK_WIDGET (dialog), preview_shot);
    gtk_window_close (GTK_WINDOW (dialog));
    settle (50);
  }

  /* "Print with Dialog…" lets the clerk pick a printer first; cancelling decides nothing. */
  {
    GtkWidget *print_dialog;

    gtk_widget_activate_action (find_first (f.window, OW_TYPE_DECISION_PANEL),
                                "intake.print-with-dialog", NULL);
    settle (200);
    print_dialog = find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG);
    g_assert_nonnull (print_dialog);
    gtk_dialog_response (GTK_DIALOG (print_dialog), GTK_RESPONSE_CANCEL);
    settle (100);
    g_assert_null (find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_labelled (f.window, "Name"))),
                     ==, "张三");
  }
  g_assert_null (find_spooled_pdf (f.spool));

  text = decide_and_collect (&f, OW_CASE_STATE_REFUSED, "refused", &kase);
  g_assert_nonnull (strstr (text, "不予受理通知书"));
  g_assert_nonnull (strstr (text, reason));
  g_assert_cmpstr (ow_case_get_refusal_reason (kase), ==, reason);
  g_assert_cmpstr (ow_case_get_competent_organ (kase), ==, "海口市民政局");
  g_assert_cmpint (ow_case_get_delivery (kase), ==, OW_DELIVERY_POST);
  g_assert_cmpstr (ow_case_get_post_phone (kase), ==, "13900139000");
  {
    g_autofree char *display = ow_case_number_format (ow_case_get_case_no (kase));
    const char *wanted[] = { display, "refused" };
    wait_until (toast_with_text, wanted, "the toast saying the refusal was printed");
  }

  /* Nothing failed: the print jobs window says so. */
  {
    GtkWidget *jobs;

    gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-print-jobs", NULL);
    jobs = find_toplevel (OW_TYPE_PRINT_JOBS_WINDOW);
    g_assert_nonnull (jobs);
    g_assert_cmpuint (ow_print_jobs_window_get_n_rows (OW_PRINT_JOBS_WINDOW (jobs)), ==, 0);
    gtk_window_destroy (GTK_WINDOW (jobs));
    settle (50);
  }

  /* A reprint asks why, and the reason goes into the audit log once it printed. */
  {
    g_autoptr(GError) error = NULL;
    OwStore *store = ow_context_get_store (f.context);
    AuditWait wait = { store, 0 };
    GtkWidget *dialog, *entry;

    wait.before = ow_store_audit_count (store, &error);
    g_assert_no_error (error);
    gtk_widget_activate_action (GTK_WIDGET (f.window), "win.reprint", NULL);
    settle (50);
    dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (dialog);
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                             "reprint"));
    entry = find_entry_with_placeholder (dialog, "Reason for reprinting");
    type_text (entry, "申请人遗失通知书");
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                            "reprint"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "reprint");
    wait_until (spool_has_two_pdfs, f.spool, "the reprint at the printer");
    wait_until (audit_grew, &wait, "the reprint in the audit log");
  }

  fixture_stop (&f);
}

/* 补正: every missing line needs its reason; the notice lists the material with it. */
static void
test_supplement (void)
{
  Fixture f = { 0 };
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *text = NULL;
  OwMaterialRow *missing_row;
  const char *note = "缺少全体股东签字";
  const char *missing_name;
  const char *missing_id;

  fixture_start (&f, "有限责任公司设立登记");
  for (guint i = 1; i < f.rows->len; i++)
    if (!ow_material_row_get_provided (g_ptr_array_index (f.rows, i)))
      set_status (g_ptr_array_index (f.rows, i), OW_MATERIAL_STATUS_PAPER);
  missing_row = g_ptr_array_index (f.rows, 0);
  /* The material outlives its row, which goes when the form clears: the catalog holds it. */
  missing_name = ow_material_get_name (ow_material_row_get_material (missing_row));
  missing_id = ow_material_get_id (ow_material_row_get_material (missing_row));
  set_status (missing_row, OW_MATERIAL_STATUS_MISSING);

  /* Accept is impossible with a material missing. */
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  choose_decision (&f, OW_DECISION_SUPPLEMENT);
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_nonnull (strstr (hint_text (&f), "missing or wrong"));
  type_text (find_entry_with_placeholder (missing_row, "What is missing or wrong"), note);
  g_assert_true (gtk_widget_is_sensitive (f.accept));
  {
    g_autofree char *shot = screenshot_path ("decision-supplement.png");
    save_screenshot (GTK_WIDGET (f.window), shot);
  }

  text = decide_and_collect (&f, OW_CASE_STATE_SUPPLEMENT_REQUESTED, "supplement-requested",
                             &kase);
  g_assert_nonnull (strstr (text, "补正材料通知书"));
  g_assert_nonnull (strstr (text, note));
  {
    /* pdftotext may break a long name across lines: look for its first characters. */
    g_autofree char *head = g_utf8_substring (missing_name, 0, 4);
    g_assert_nonnull (strstr (text, head));
  }
  g_assert_cmpstr (ow_case_find_material (kase, missing_id)->note, ==, note);

  fixture_stop (&f);
}

/* 容缺: only where the catalog allows it, and never due after the promised completion. */
static void
test_tolerated (void)
{
  Fixture f = { 0 };
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *text = NULL;
  OwMaterialRow *tolerable = NULL;
  GtkWidget *due;
  const GDate *promised;
  GDate late;
  char late_text[16], promised_text[16];

  fixture_start (&f, "有限责任公司注销登记（含简易注销）");
  for (guint i = 0; i < f.rows->len; i++)
    {
      OwMaterialRow *row = g_ptr_array_index (f.rows, i);

      if (ow_material_get_tolerable (ow_material_row_get_material (row)))
        tolerable = row;
      else
        {
          /* Offered only where the catalog allows it. */
          g_assert_false (ow_material_row_set_status (row, OW_MATERIAL_STATUS_TOLERATED));
          if (!ow_material_row_get_provided (row))
            set_status (row, OW_MATERIAL_STATUS_PAPER);
        }
    }
  g_assert_nonnull (tolerable);
  set_status (tolerable, OW_MATERIAL_STATUS_TOLERATED);
  due = find_entry_with_placeholder (tolerable, "Due YYYY-MM-DD");
  g_assert_true (gtk_widget_get_visible (due));

  /* Plain acceptance with a tolerated line is not offered. */
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  choose_decision (&f, OW_DECISION_TOLERATED);

  /* The promised date of this item as the page computes it: one working day from today. The
   * UI refuses a due date after it. */
  {
    GDate today, p;
    gboolean provisional;

    ow_hall_today (&today);
    ow_calendar_add_working_days (ow_context_get_calendar (f.context), &today, 1, &p,
                                  &provisional);
    g_date_strftime (promised_text, sizeof promised_text, "%Y-%m-%d", &p);
    late = p;
    g_date_add_days (&late, 1);
    g_date_strftime (late_text, sizeof late_text, "%Y-%m-%d", &late);
  }
  /* The due date starts at the promised completion, the latest it may be. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (due)), ==, promised_text);
  g_assert_true (gtk_widget_is_sensitive (f.accept));
  /* Without a date there is no 容缺. */
  type_text (due, "");
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_nonnull (strstr (hint_text (&f), "due date"));
  type_text (due, late_text);
  {
    g_autofree char *shot = screenshot_path ("decision-tolerated-late.png");
    save_screenshot (GTK_WIDGET (f.window), shot);
  }
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_true (gtk_widget_has_css_class (due, "error"));
  g_assert_nonnull (strstr (hint_text (&f), "promised completion"));
  type_text (due, promised_text);
  g_assert_false (gtk_widget_has_css_class (due, "error"));
  g_assert_true (gtk_widget_is_sensitive (f.accept));

  text = decide_and_collect (&f, OW_CASE_STATE_ACCEPTED, "accepted", &kase);
  g_assert_nonnull (strstr (text, "容缺受理通知书"));
  g_assert_true (ow_case_has_tolerated (kase));
  promised = ow_case_get_promised_date (kase);
  {
    char stored[16];
    g_date_strftime (stored, sizeof stored, "%Y-%m-%d", promised);
    g_assert_cmpstr (stored, ==, promised_text);
  }

  fixture_stop (&f);
}

static gboolean
jobs_window_has_rows (gpointer data)
{
  return ow_print_jobs_window_get_n_rows (data) > 0;
}

/* A printer that does not answer: the case is saved all the same, the toast offers Retry, and
 * the job waits in the print jobs window until discarded — after a confirmation. */
static void
test_print_failure (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *uri = g_strdup_printf ("ipp://localhost:%u/ipp/print", pick_free_port ());
  GtkWidget *jobs, *dialog;
  const char *wanted[] = { "not printed", NULL };

  fixture_start_with_printer (&f, "有限责任公司设立登记", uri);
  for (guint i = 0; i < f.rows->len; i++)
    if (!ow_material_row_get_provided (g_ptr_array_index (f.rows, i)))
      set_status (g_ptr_array_index (f.rows, i), OW_MATERIAL_STATUS_PAPER);
  g_assert_true (gtk_widget_is_sensitive (f.accept));
  g_signal_emit_by_name (f.accept, "clicked");
  wait_until (toast_with_text, wanted, "the toast saying the notice was not printed");
  find_button (f.window, "Retry");

  cases = ow_store_list_cases (ow_context_get_store (f.context), 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  g_assert_cmpint (ow_case_get_state (g_ptr_array_index (cases, 0)), ==, OW_CASE_STATE_ACCEPTED);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-print-jobs", NULL);
  jobs = find_toplevel (OW_TYPE_PRINT_JOBS_WINDOW);
  g_assert_nonnull (jobs);
  wait_until (jobs_window_has_rows, jobs, "the failed job in the print jobs window");
  g_assert_cmpuint (ow_print_jobs_window_get_n_rows (OW_PRINT_JOBS_WINDOW (jobs)), ==, 1);
  {
    g_autofree char *shot = screenshot_path ("decision-print-jobs.png");
    settle (100);
    save_screenshot (jobs, shot);
  }

  /* Discard asks first; Cancel keeps the job. */
  g_signal_emit_by_name (find_button (jobs, "Discard"), "clicked");
  settle (50);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  settle (50);
  g_assert_cmpuint (ow_print_jobs_window_get_n_rows (OW_PRINT_JOBS_WINDOW (jobs)), ==, 1);
  g_signal_emit_by_name (find_button (jobs, "Discard"), "clicked");
  settle (50);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  settle (50);
  g_assert_cmpuint (ow_print_jobs_window_get_n_rows (OW_PRINT_JOBS_WINDOW (jobs)), ==, 0);
  g_assert_cmpuint (ow_print_queue_get_n_failed (ow_print_jobs_get_queue (f.context)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (jobs));

  fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
  adw_init ();

  g_test_add_func ("/decision/refuse", test_refuse);
  g_test_add_func ("/decision/supplement", test_supplement);
  g_test_add_func ("/decision/tolerated", test_tolerated);
  g_test_add_func ("/decision/print-failure", test_print_failure);
  return g_test_run ();
}
