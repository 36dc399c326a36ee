/* ow-test-counter.c — one counter for the GUI tests: platform, printer, store, window, log-in
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ow-test-counter.h"
#include "ow-test-gui.h"

#define PRINTER_NAME "OneWindowTest"

/* Port 9 (discard) on loopback: nobody answers there. */
#define OFFLINE_URI "http://127.0.0.1:9/"

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} LoginWait;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The window shows the intake page for a user; a log-in error shown ends the test at once,
 * so that it says why rather than time out. */
static gboolean
window_logged_in (gpointer data)
{
  OwTestCounter *counter = data;
  g_autoptr(GPtrArray) labels = NULL;

  if (g_strcmp0 (ow_window_get_page (counter->window), "workspaces") == 0
      && ow_context_get_user (counter->context) != NULL)
    return TRUE;
  labels = ow_test_gui_find_all (counter->window, GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, "error") && gtk_widget_get_visible (label)
          && gtk_widget_is_drawable (label)
          && *gtk_label_get_text (GTK_LABEL (label)) != '\0')
        g_error ("Log-in failed: %s", gtk_label_get_text (GTK_LABEL (label)));
    }
  return FALSE;
}

static void
context_logged_in_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  LoginWait *wait = user_data;

  wait->ok = ow_context_login_finish (OW_CONTEXT (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
context_login_done (gpointer data)
{
  return ((LoginWait *) data)->done;
}

/* ---------------------------------------------------------------------------------------- */

static void start_on (OwTestCounter *counter, OwTestCounterFlags flags, const char *printer_uri);

void
ow_test_counter_start (OwTestCounter      *counter,
                       OwTestCounterFlags  flags,
                       const char         *printer_uri)
{
  g_autoptr(GError) error = NULL;

  memset (counter, 0, sizeof *counter);
  if (flags & OW_TEST_COUNTER_OFFLINE)
    {
      counter->tmp_dir = g_dir_make_tmp ("ow-counter-XXXXXX", &error);
      g_assert_no_error (error);
    }
  else
    {
      counter->platform = ow_test_platform_start (&error);
      g_assert_no_error (error);
    }
  start_on (counter, flags, printer_uri);
}

static char *
dup_store_path (OwTestPlatform *platform)
{
  return g_build_filename (ow_test_platform_get_tmp_dir (platform), "counter", "onewindow.db",
                           NULL);
}

OwTestPlatform *
ow_test_counter_prepare_known (const char *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start (&error);
  g_autofree char *store_path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(OwContext) context = NULL;
  LoginWait wait = { FALSE, FALSE, NULL };

  g_assert_no_error (error);
  store_path = dup_store_path (platform);
  dir = g_path_get_dirname (store_path);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  context = ow_context_new (NULL, ow_test_platform_get_base_uri (platform), store_path, NULL,
                            NULL);
  ow_context_open_async (context, NULL, NULL, NULL);
  ow_test_gui_wait_until (ow_test_gui_context_settled, context, "the local store to open");
  ow_context_login_async (context, username, "demo", NULL, context_logged_in_cb, &wait);
  ow_test_gui_wait_until (context_login_done, &wait, "the log-in");
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  ow_context_logout (context);
  g_clear_object (&context);
  /* Let the context's worker threads' answers arrive before its store goes. */
  ow_test_gui_settle (300);
  g_assert_true (ow_test_platform_stop (platform));
  return g_steal_pointer (&platform);
}

void
ow_test_counter_start_on (OwTestCounter      *counter,
                          OwTestCounterFlags  flags,
                          OwTestPlatform     *platform,
                          const char         *printer_uri)
{
  g_assert_false (flags & OW_TEST_COUNTER_OFFLINE);
  memset (counter, 0, sizeof *counter);
  counter->platform = platform;
  start_on (counter, flags, printer_uri);
}

static void
start_on (OwTestCounter      *counter,
          OwTestCounterFlags  flags,
          const char         *printer_uri)
{
  g_autoptr(GError) error = NULL;
  const char *platform_uri;
  const char *dir;
  const char *scanner = (flags & OW_TEST_COUNTER_SCANNER) ? "test:0" : NULL;

  g_assert_true (printer_uri == NULL || !(flags & OW_TEST_COUNTER_PRINTER));
  counter->scanner = g_strdup (scanner);
  if (counter->platform == NULL)
    {
      dir = counter->tmp_dir;
      platform_uri = OFFLINE_URI;
      counter->store_path = g_build_filename (dir, "counter", "onewindow.db", NULL);
    }
  else
    {
      dir = ow_test_platform_get_tmp_dir (counter->platform);
      platform_uri = ow_test_platform_get_base_uri (counter->platform);
      counter->store_path = dup_store_path (counter->platform);
    }

  if (flags & OW_TEST_COUNTER_PRINTER)
    {
      counter->spool = g_build_filename (dir, "spool", NULL);
      g_assert_cmpint (g_mkdir (counter->spool, 0700), ==, 0);
      counter->printer = ow_test_gui_start_printer (counter->spool, 0, PRINTER_NAME,
                                                    &counter->printer_uri);
      if (counter->printer == NULL)
        g_test_message ("ippeveprinter is not installed: nothing is printed");
    }
  else
    counter->printer_uri = g_strdup (printer_uri);

  if (flags & OW_TEST_COUNTER_CONTEXT_ONLY)
    {
      counter->context = ow_context_new (NULL, platform_uri, counter->store_path, scanner,
                                         counter->printer_uri);
      ow_context_open_async (counter->context, NULL, NULL, NULL);
    }
  else
    {
      counter->app = ow_application_new ();
      g_application_set_flags (G_APPLICATION (counter->app), G_APPLICATION_NON_UNIQUE);
      ow_application_configure (counter->app, platform_uri, counter->store_path, scanner,
                                counter->printer_uri);
      g_assert_true (g_application_register (G_APPLICATION (counter->app), NULL, &error));
      g_assert_no_error (error);
      counter->context = ow_application_get_context (counter->app);
      g_assert_nonnull (counter->context);
      counter->window = ow_window_new (counter->app);
      gtk_window_present (GTK_WINDOW (counter->window));
    }
  ow_test_gui_wait_until (ow_test_gui_context_settled, counter->context,
                          "the local store to open");
  g_assert_null (ow_context_get_open_error (counter->context));
}

void
ow_test_counter_log_in (OwTestCounter *counter,
                        const char    *username)
{
  if (counter->window != NULL)
    {
      /* Found by what they are, not by their labels: the tests run in Chinese too. */
      GtkWidget *password = ow_test_gui_find_first (counter->window, GTK_TYPE_PASSWORD_ENTRY);
      GtkWidget *user = ow_test_gui_find_first (gtk_widget_get_parent (password), GTK_TYPE_ENTRY);

      ow_test_gui_type_text (user, username);
      ow_test_gui_type_text (password, "demo");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (counter->window), "win.login",
                                                 NULL));
      ow_test_gui_wait_until (window_logged_in, counter, "the workspaces after logging in");
    }
  else
    {
      LoginWait wait = { FALSE, FALSE, NULL };

      ow_context_login_async (counter->context, username, "demo", NULL, context_logged_in_cb,
                              &wait);
      ow_test_gui_wait_until (context_login_done, &wait, "the log-in");
      g_assert_no_error (wait.error);
      g_assert_true (wait.ok);
    }
  g_assert_cmpstr (ow_context_get_user (counter->context)->username, ==, username);
}

void
ow_test_counter_stop_printer (OwTestCounter *counter)
{
  if (counter->printer == NULL)
    return;
  g_subprocess_force_exit (counter->printer);
  g_subprocess_wait (counter->printer, NULL, NULL);
  g_clear_object (&counter->printer);
}

void
ow_test_counter_restart_printer (OwTestCounter *counter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  g_assert_nonnull (counter->spool);
  ow_test_counter_stop_printer (counter);
  uri = g_uri_parse (counter->printer_uri, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&counter->printer_uri, g_free);
  counter->printer = ow_test_gui_start_printer (counter->spool, g_uri_get_port (uri),
                                                PRINTER_NAME, &counter->printer_uri);
  g_assert_nonnull (counter->printer);
}

void
ow_test_counter_stop (OwTestCounter *counter)
{
  if (counter->window != NULL)
    gtk_window_destroy (GTK_WINDOW (counter->window));
  ow_test_gui_settle (50);
  if (counter->app != NULL)
    g_clear_object (&counter->app);
  else
    {
      /* The counter's own: let its worker threads' answers arrive before the folder goes. */
      g_clear_object (&counter->context);
      ow_test_gui_settle (50);
    }
  ow_test_counter_stop_printer (counter);
  g_clear_pointer (&counter->platform, ow_test_platform_free);
  if (counter->tmp_dir != NULL)
    remove_tree (counter->tmp_dir);
  g_free (counter->tmp_dir);
  g_free (counter->store_path);
  g_free (counter->scanner);
  g_free (counter->printer_uri);
  g_free (counter->spool);
  memset (counter, 0, sizeof *counter);
}

OwTestResponse *
ow_test_counter_get (OwTestCounter *counter,
                     const char    *username,
                     const char    *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ow_test_platform_login (counter->platform, username, "demo", &error);
  OwTestResponse *response;

  g_assert_no_error (error);
  response = ow_test_platform_request (counter->platform, "GET", path, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  return response;
}

/* ---------------------------------------------------------------------------------------- */
/* Items of the catalog, complete */

static void
items_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

OwItem *
ow_test_counter_load_item (OwTestCounter *counter,
                           const char    *item_id)
{
  OwCatalog *catalog = ow_context_get_catalog (counter->context);
  const char *ids[] = { item_id, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (catalog);
  ow_catalog_load_items_async (catalog, ids, NULL, items_loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  items = ow_catalog_load_items_finish (catalog, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_true (ow_item_is_complete (g_ptr_array_index (items, 0)));
  return ow_catalog_lookup (catalog, item_id);
}

OwItem *
ow_test_counter_load_item_named (OwTestCounter *counter,
                                 const char    *name)
{
  OwCatalog *catalog = ow_context_get_catalog (counter->context);

  g_assert_nonnull (catalog);
  for (guint i = 0; i < ow_catalog_get_n_items (catalog); i++)
    {
      g_autoptr(OwItem) item = ow_catalog_dup_item_at (catalog, i);

      if (g_strcmp0 (ow_item_get_name (item), name) == 0)
        return ow_test_counter_load_item (counter, ow_item_get_id (item));
    }
  g_error ("No item “%s” in the catalog", name);
  return NULL;
}
