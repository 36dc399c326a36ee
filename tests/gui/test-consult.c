/* test-consult.c — consultation without a case: the item's details on screen and its printed
 * requirements guide, against the real platform and a real IPP printer, under Xvfb
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A logged-in context (catalog and calendar from the platform, the printer an ippeveprinter
 * spooling into a folder) opens the dialog for a catalog item; the test reads what it shows the
 * way a clerk would — by the text of its labels — prints the guide and reads the guide's text
 * back from the printer's spool, then prints to a printer that went away and retries.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "core/ow-clock.h"
#include "gui/ow-consult-dialog.h"
#include "gui/ow-context.h"
#include "gui/ow-preview-dialog.h"
#include "ow-test-gui.h"
#include "ow-test-platform.h"

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} LoginWait;

static void
logged_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoginWait *wait = user_data;

  wait->ok = ow_context_login_finish (OW_CONTEXT (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
login_done (gpointer data)
{
  return ((LoginWait *) data)->done;
}

/* A label shown on the dialog's page (not in a toast) whose text is @text exactly. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_ancestor (label, ADW_TYPE_PREFERENCES_PAGE) != NULL
          && gtk_widget_is_visible (label)
          && g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) == 0)
        return label;
    }
  return NULL;
}

/* A label shown on the page whose text holds @text. */
static GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_ancestor (label, ADW_TYPE_PREFERENCES_PAGE) != NULL
          && gtk_widget_is_visible (label)
          && strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL)
        return label;
    }
  return NULL;
}

typedef struct
{
  GtkWidget *dialog;
  const char *text;
} ToastWait;

/* A toast of the dialog showing a text that holds @wait->text. */
static gboolean
toast_shows (gpointer data)
{
  ToastWait *wait = data;
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (wait->dialog, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_ancestor (label, ADW_TYPE_TOAST_OVERLAY) != NULL
          && gtk_widget_get_ancestor (label, ADW_TYPE_PREFERENCES_PAGE) == NULL
          && strstr (gtk_label_get_text (GTK_LABEL (label)), wait->text) != NULL)
        return TRUE;
    }
  return FALSE;
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

/* pdftotext breaks long lines where the page does: compare without line breaks and spaces. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The first item with materials, FAQ, a phone and a promised limit: one that fills every part
 * of the dialog. */
static OwItem *
pick_item (OwCatalog *catalog)
{
  GListModel *items = ow_catalog_get_items (catalog);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OwItem) item = g_list_model_get_item (items, i);
      const char * const *faq = ow_item_get_faq (item);

      if (g_list_model_get_n_items (ow_item_get_materials (item)) > 1 && faq != NULL
          && faq[0] != NULL && ow_item_get_phone (item) != NULL
          && ow_item_get_promised_limit (item) > 0 && ow_item_get_conditions (item) != NULL)
        return g_steal_pointer (&item);
    }
  g_error ("No catalog item with materials and FAQ");
  return NULL;
}

static void
test_guide (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = NULL;
  g_autoptr(OwContext) context = NULL;
  g_autoptr(GSubprocess) printer = NULL;
  g_autoptr(OwItem) item = NULL;
  g_autofree char *printer_uri = NULL;
  g_autofree char *spool = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *dead_uri = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;
  LoginWait login = { 0 };
  GtkWidget *parent, *dialog, *print_button, *label;
  GListModel *materials;
  GSettings *settings;

  platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  spool = g_build_filename (ow_test_platform_get_tmp_dir (platform), "spool", NULL);
  g_assert_cmpint (g_mkdir (spool, 0700), ==, 0);
  printer = ow_test_gui_start_printer (spool, 0, "OneWindowTest", &printer_uri);
  if (printer == NULL)
    {
      g_test_skip ("ippeveprinter is not installed");
      return;
    }

  /* The smallest real counter: a context on its own store, logged in to the platform. */
  store_path = g_build_filename (ow_test_platform_get_tmp_dir (platform), "counter",
                                 "onewindow.db", NULL);
  context = ow_context_new (NULL, ow_test_platform_get_base_uri (platform), store_path,
                            "test:0", printer_uri);
  ow_context_open_async (context, NULL, NULL, NULL);
  ow_test_gui_wait_until (ow_test_gui_context_settled, context, "the local store to open");
  g_assert_null (ow_context_get_open_error (context));
  ow_context_login_async (context, "clerk", "demo", NULL, logged_in_cb, &login);
  ow_test_gui_wait_until (login_done, &login, "the log-in");
  g_assert_no_error (login.error);
  g_assert_true (login.ok);
  g_assert_nonnull (ow_context_get_catalog (context));
  g_assert_nonnull (ow_context_get_calendar (context));
  settings = ow_context_get_settings (context);

  item = pick_item (ow_context_get_catalog (context));
  materials = ow_item_get_materials (item);

  parent = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (parent));
  dialog = GTK_WIDGET (ow_consult_dialog_new (GTK_WINDOW (parent), context, item));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (parent));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (dialog);
  ow_test_gui_settle (100);
  /* Focus starts on Print Guide: Enter prints. */
  print_button = ow_test_gui_find_button (dialog, "Print Guide");
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (dialog)) == print_button);

  /* What the applicant asks about, as the clerk reads it. */
  g_assert_nonnull (find_label (dialog, ow_item_get_name (item)));
  g_assert_nonnull (find_label (dialog, ow_item_get_conditions (item)));
  for (guint i = 0; i < g_list_model_get_n_items (materials); i++)
    {
      g_autoptr(OwMaterial) material = g_list_model_get_item (materials, i);
      g_assert_nonnull (find_label (dialog, ow_material_get_name (material)));
    }
  label = find_label (dialog, ow_item_get_phone (item));
  g_assert_nonnull (label);
  /* A phone number the clerk can copy. */
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
  g_assert_nonnull (find_label (dialog, ow_item_get_supervision_phone (item)));
  g_assert_nonnull (find_label (dialog, ow_item_get_faq (item)[0]));
  g_assert_nonnull (find_label (dialog, ow_item_get_faq (item)[1]));
  /* The date it would be done by if accepted today, on the hall's calendar. */
  {
    GDate today, promised;
    char due[16];

    ow_hall_today (&today);
    ow_calendar_add_working_days (ow_context_get_calendar (context), &today,
                                  ow_item_get_promised_limit (item), &promised, NULL);
    g_date_strftime (due, sizeof due, "%Y-%m-%d", &promised);
    g_assert_nonnull (find_label_containing (dialog, due));
  }
  /* What the item lacks is left out, not shown empty. */
  g_assert_null (find_label (dialog, ""));

  shot = ow_test_gui_screenshot_path ("consult-guide.png");
  ow_test_gui_save_screenshot (dialog, shot);

  /* The preview draws the guide's pages. */
  {
    OwPreviewDialog *preview;

    gtk_widget_activate_action (dialog, "consult.preview", NULL);
    ow_test_gui_settle (50);
    preview = OW_PREVIEW_DIALOG (ow_test_gui_find_toplevel (OW_TYPE_PREVIEW_DIALOG));
    g_assert_nonnull (preview);
    ow_test_gui_wait_until ((OwTestGuiCondition) ow_preview_dialog_get_n_pages, preview,
                            "the guide's preview pages");
    g_assert_cmpuint (ow_preview_dialog_get_n_pages (preview), >=, 1);
    gtk_window_close (GTK_WINDOW (preview));
    ow_test_gui_settle (50);
  }

  /* Print, twice in a row: one guide only, the button insensitive while it is on its way. */
  g_assert_true (gtk_widget_is_sensitive (print_button));
  g_signal_emit_by_name (print_button, "clicked");
  g_assert_false (gtk_widget_is_sensitive (print_button));
  g_signal_emit_by_name (print_button, "clicked");
  gtk_widget_activate_action (dialog, "consult.print", NULL);
  {
    ToastWait wait = { dialog, "Requirements guide printed" };
    ow_test_gui_wait_until (toast_shows, &wait, "the toast saying the guide was printed");
  }
  g_assert_true (gtk_widget_is_sensitive (print_button));
  ow_test_gui_wait_until (ow_test_gui_spool_has_pdf, spool, "the guide at the printer");
  ow_test_gui_settle (500);
  g_assert_cmpuint (count_spooled_pdfs (spool), ==, 1);

  /* What the printer received is the item's guide. */
  pdf = ow_test_gui_find_spooled_pdf (spool);
  text = pdf_text (pdf);
  {
    g_autofree char *plain = squeeze (text);
    g_autoptr(OwMaterial) material = g_list_model_get_item (materials, 0);
    g_autofree char *material_name = squeeze (ow_material_get_name (material));

    g_assert_nonnull (strstr (plain, "一次性告知书"));
    g_assert_nonnull (strstr (plain, ow_item_get_name (item)));
    g_assert_nonnull (strstr (plain, material_name));
    g_assert_nonnull (strstr (plain, ow_item_get_phone (item)));
  }

  /* A printer that went away: the clerk is told and offered Retry; nothing is lost. */
  dead_uri = g_strdup_printf ("ipp://localhost:%u/ipp/print", ow_test_gui_pick_free_port ());
  {
    GVariantBuilder printers;

    g_variant_builder_init (&printers, G_VARIANT_TYPE ("a{ss}"));
    g_variant_builder_add (&printers, "{ss}", "guide", dead_uri);
    g_assert_true (g_settings_set_value (settings, "document-printers",
                                         g_variant_builder_end (&printers)));
  }
  g_signal_emit_by_name (print_button, "clicked");
  {
    ToastWait wait = { dialog, "not printed" };
    ow_test_gui_wait_until (toast_shows, &wait, "the toast saying the guide was not printed");
  }
  g_assert_true (gtk_widget_is_sensitive (print_button));
  {
    g_autofree char *shot_failed = ow_test_gui_screenshot_path ("consult-print-failed.png");
    ow_test_gui_settle (300);
    ow_test_gui_save_screenshot (dialog, shot_failed);
  }

  /* The printer is back (the hall removed the broken one): Retry sends the same guide there. */
  g_settings_reset (settings, "document-printers");
  g_signal_emit_by_name (ow_test_gui_find_button (dialog, "Retry"), "clicked");
  ow_test_gui_wait_until (spool_has_two_pdfs, spool, "the retried guide at the printer");
  {
    ToastWait wait = { dialog, "Requirements guide printed" };
    ow_test_gui_wait_until (toast_shows, &wait, "the toast saying the retried guide printed");
  }

  /* Close, as Escape does through its binding. */
  gtk_widget_activate_action (dialog, "window.close", NULL);
  ow_test_gui_settle (100);
  g_assert_null (ow_test_gui_find_toplevel (OW_TYPE_CONSULT_DIALOG));

  gtk_window_destroy (GTK_WINDOW (parent));
  ow_test_gui_settle (50);
  g_clear_object (&context);
  g_subprocess_force_exit (printer);
  g_subprocess_wait (printer, NULL, NULL);
  g_clear_error (&login.error);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (ow_test_gui_fatal_log_cb, NULL);
  adw_init ();

  g_test_add_func ("/consult/guide", test_guide);
  return g_test_run ();
}
