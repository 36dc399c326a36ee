/* test-scan-dialog.c — the pages dialog of a material against SANE's test backend, under Xvfb
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens the dialog from a material row's Scan button, as the clerk would; scans from test:0
 * (tests/sane, through SANE_CONFIG_DIR), turns, deletes (and undoes), reorders and stores the
 * pages, then reads the PDF back with pdfinfo. Imports, a feeder batch, Stop, blank sheets and
 * an injected paper jam each have a case of their own, one process per case.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "devices/ow-scan-page.h"
#include "gui/shell/ow-context.h"
#include "gui/intake/ow-material-row.h"
#include "gui/scanning/ow-page-thumbnail.h"
#include "gui/scanning/ow-scan-dialog.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

#define WAIT_SECONDS 60

/* ---------------------------------------------------------------------------------------- */
/* Finding widgets and screenshots, beyond ow-test-gui.h */

/* A visible label (a toast, a message) that contains @text, or NULL. */
static GtkWidget *
find_visible_text (gpointer    root,
                   const char *text)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_is_drawable (label)
          && strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL)
        return label;
    }
  return NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  /* A click, as with the mouse: keyboard activation clicks only after a visible delay. */
  g_signal_emit_by_name (button, "clicked");
}

/* The widget as drawn. A GtkWidgetPaintable shows nothing while the widget waits for a new
 * size allocation (a toast sliding in, a label appearing): try again after a frame. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = ow_test_gui_screenshot_path (name);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  int width = 0, height = 0;

  for (guint attempt = 0; node == NULL && attempt < 40; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      gtk_test_widget_wait_for_draw (widget);
      ow_test_gui_settle (50);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* ---------------------------------------------------------------------------------------- */
/* A counter without a platform: the store, the scanner test:0, one material row */

typedef struct
{
  OwTestCounter counter;
  GtkWindow *window;
  OwMaterialRow *row;
} Fixture;

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(OwMaterial) material = ow_material_new ("m1", "营业执照");
  GtkWidget *list;

  ow_test_counter_start (&f->counter, OW_TEST_COUNTER_OFFLINE | OW_TEST_COUNTER_CONTEXT_ONLY
                                      | OW_TEST_COUNTER_SCANNER, NULL);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 300);
  list = gtk_list_box_new ();
  gtk_widget_add_css_class (list, "boxed-list");
  f->row = ow_material_row_new (material, f->counter.context);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (f->row));
  gtk_window_set_child (f->window, list);
  gtk_window_present (f->window);
  ow_test_gui_settle (100);
}

static void
fixture_tear_down (Fixture *f)
{
  gtk_window_destroy (f->window);
  ow_test_gui_settle (50);
  ow_test_counter_stop (&f->counter);
}

static OwScanDialog *
open_dialog (Fixture *f)
{
  OwScanDialog *dialog;

  click (ow_test_gui_find_button (f->row, "Scan"));
  dialog = OW_SCAN_DIALOG (ow_test_gui_find_toplevel (OW_TYPE_SCAN_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (ow_material_row_get_busy (f->row));
  ow_test_gui_settle (100);
  return dialog;
}

static gboolean
dialog_idle (gpointer data)
{
  return !ow_scan_dialog_get_busy (data);
}

static gboolean
row_idle (gpointer data)
{
  return !ow_material_row_get_busy (data);
}

/* The kind of material and the source, by their labels. */
static void
choose (OwScanDialog *dialog,
        guint         preset,
        guint         source)
{
  GtkDropDown *presets = GTK_DROP_DOWN (ow_test_gui_find_labelled (dialog, "Kind of material"));
  GtkDropDown *sources = GTK_DROP_DOWN (ow_test_gui_find_labelled (dialog, "Source"));

  gtk_drop_down_set_selected (presets, preset);
  gtk_drop_down_set_selected (sources, source);
  ow_test_gui_settle (20);
}

static void
scan_once (OwScanDialog *dialog)
{
  click (ow_test_gui_find_button (dialog, "Scan"));
  g_assert_true (ow_scan_dialog_get_busy (dialog));
  ow_test_gui_wait_until (dialog_idle, dialog, "the scan and its thumbnails");
}

static OwPageThumbnail *
thumbnail (OwScanDialog *dialog,
           guint         position)
{
  g_autoptr(GPtrArray) all = ow_test_gui_find_all (dialog, OW_TYPE_PAGE_THUMBNAIL);

  g_assert_cmpuint (position, <, all->len);
  g_assert_cmpuint (ow_page_thumbnail_get_position (g_ptr_array_index (all, position)), ==,
                    position);
  return g_ptr_array_index (all, position);
}

static void
page_size (OwScanDialog *dialog,
           guint         position,
           guint        *width,
           guint        *height)
{
  g_autoptr(GPtrArray) pages = ow_scan_dialog_dup_pages (dialog);
  OwScanPage *page = g_ptr_array_index (pages, position);

  *width = page->width;
  *height = page->height;
}

static guint
n_devices (gpointer data)
{
  GtkWidget *scanner = ow_test_gui_find_labelled (data, "Scanner");
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (scanner));
  return model != NULL ? g_list_model_get_n_items (model) : 0;
}

static gboolean
devices_listed (gpointer data)
{
  return n_devices (data) >= 2;
}

static char *
pdfinfo_pages (const char *path)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdfinfo", path, NULL };
  int status = 0;
  char *line;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error))
    return NULL;
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  line = strstr (out, "Pages:");
  g_assert_nonnull (line);
  line += strlen ("Pages:");
  return g_strstrip (g_strndup (line, strcspn (line, "\n")));
}

/* ---------------------------------------------------------------------------------------- */

static void
test_pages (void)
{
  Fixture f = { 0 };
  OwScanDialog *dialog;
  guint w0, h0, w, h;
  GtkWidget *device;

  fixture_set_up (&f);
  dialog = open_dialog (&f);

  /* Both test scanners are listed; choosing one is remembered for the next start. */
  ow_test_gui_wait_until (devices_listed, dialog, "the list of scanners");
  device = ow_test_gui_find_labelled (dialog, "Scanner");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (device), 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (device), 0);
  {
    g_autofree char *saved = g_settings_get_string (ow_context_get_settings (f.counter.context),
                                                    "scanner-device");
    g_assert_cmpstr (saved, ==, "test:0");
    g_assert_cmpstr (ow_context_get_scanner_name (f.counter.context), ==, "test:0");
  }
  /* Looking again (SANE restarted off the main thread) finds them again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "scan.refresh-devices", NULL));
  ow_test_gui_settle (20);
  ow_test_gui_wait_until (devices_listed, dialog, "the list of scanners after a refresh");
  ow_test_gui_wait_until ((OwTestGuiCondition) gtk_widget_is_sensitive,
                          ow_test_gui_find_button (dialog, "Scan"), "Scan to be possible");

  /* Three ID-card scans on the glass. */
  choose (dialog, 0, 0);
  for (guint i = 0; i < 3; i++)
    {
      scan_once (dialog);
      g_assert_null (ow_scan_dialog_get_problem (dialog));
      g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, i + 1);
    }
  {
    g_autoptr(GPtrArray) thumbnails = ow_test_gui_find_all (dialog, OW_TYPE_PAGE_THUMBNAIL);
    g_assert_cmpuint (thumbnails->len, ==, 3);
  }
  page_size (dialog, 1, &w0, &h0);
  g_assert_cmpuint (w0, >, h0);   /* an ID card lies landscape */

  /* Turn page 2: it stands upright. */
  click (ow_page_thumbnail_get_button (thumbnail (dialog, 1), "pages.rotate"));
  ow_test_gui_wait_until (dialog_idle, dialog, "the page to turn");
  page_size (dialog, 1, &w, &h);
  g_assert_cmpuint (w, ==, h0);
  g_assert_cmpuint (h, ==, w0);

  /* Move it to the front; the focus follows it. */
  click (ow_page_thumbnail_get_button (thumbnail (dialog, 1), "pages.move-left"));
  ow_test_gui_settle (20);
  page_size (dialog, 0, &w, &h);
  g_assert_cmpuint (w, ==, h0);
  page_size (dialog, 1, &w, &h);
  g_assert_cmpuint (w, ==, w0);
  g_assert_false (gtk_widget_get_sensitive (ow_page_thumbnail_get_button (thumbnail (dialog, 0),
                                                                          "pages.move-left")));

  /* Delete it, then undo from the toast: it is back in front. */
  click (ow_page_thumbnail_get_button (thumbnail (dialog, 0), "pages.delete"));
  ow_test_gui_settle (50);
  g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, 2);
  page_size (dialog, 0, &w, &h);
  g_assert_cmpuint (w, ==, w0);
  g_assert_nonnull (find_visible_text (dialog, "Page 1 deleted"));
  /* What the clerk sees with the undo toast. Screenshots are taken only while no toast slides:
   * a GtkWidgetPaintable snapshot during a toast's hide animation crashed libadwaita 1.2 when
   * the animation ended (a use after free, seen with MALLOC_PERTURB_). */
  ow_test_gui_settle (500);
  save_screenshot (GTK_WIDGET (dialog), "scan-dialog-pages.png");
  click (ow_test_gui_find_button (dialog, "Undo"));
  ow_test_gui_settle (500);
  g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, 3);
  page_size (dialog, 0, &w, &h);
  g_assert_cmpuint (w, ==, h0);

  /* Dragging page 1 onto page 3 (what a drop on the thumbnail activates) moves it last; and
   * back to the front. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (thumbnail (dialog, 2)), "pages.move",
                                             "(uu)", 0, 2));
  ow_test_gui_settle (20);
  page_size (dialog, 2, &w, &h);
  g_assert_cmpuint (w, ==, h0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (thumbnail (dialog, 0)), "pages.move",
                                             "(uu)", 2, 0));
  ow_test_gui_settle (20);
  page_size (dialog, 0, &w, &h);
  g_assert_cmpuint (w, ==, h0);

  /* Done: one PDF of three pages, named by its SHA-256, and the row says Scanned. */
  click (ow_test_gui_find_button (dialog, "Done"));
  ow_test_gui_wait_until (row_idle, f.row, "the pages to be stored");
  g_assert_null (ow_test_gui_find_toplevel (OW_TYPE_SCAN_DIALOG));
  g_assert_true (ow_material_row_get_provided (f.row));
  {
    g_autoptr(OwCaseMaterial) line = ow_material_row_to_case_material (f.row);
    g_autofree char *path = NULL;
    g_autofree char *contents = NULL;
    g_autofree char *digest = NULL;
    g_autofree char *pages = NULL;
    gsize length = 0;

    g_assert_cmpint (line->status, ==, OW_MATERIAL_STATUS_SCANNED);
    g_assert_cmpuint (line->files->len, ==, 1);
    path = g_build_filename (ow_store_get_files_dir (ow_context_get_store (f.counter.context)),
                             g_ptr_array_index (line->files, 0), NULL);
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    g_assert_true (length > 4 && memcmp (contents, "%PDF", 4) == 0);
    digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
    g_assert_cmpstr (digest, ==, g_ptr_array_index (line->files, 0));
    pages = pdfinfo_pages (path);
    if (pages == NULL)
      g_test_message ("pdfinfo is not installed: the page count is not checked");
    else
      g_assert_cmpstr (pages, ==, "3");
  }

  /* Opened again, the dialog shows the same pages in the same order. */
  dialog = open_dialog (&f);
  ow_test_gui_wait_until (dialog_idle, dialog, "the thumbnails");
  g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, 3);
  page_size (dialog, 0, &w, &h);
  g_assert_cmpuint (w, ==, h0);
  /* Nothing changed: Cancel closes without asking. */
  click (ow_test_gui_find_button (dialog, "Cancel"));
  ow_test_gui_wait_until (row_idle, f.row, "the dialog to close");
  g_assert_null (ow_test_gui_find_toplevel (OW_TYPE_SCAN_DIALOG));

  fixture_tear_down (&f);
}

static GFile *
write_file (Fixture    *f,
            const char *name,
            GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (f->counter.tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* A PNG is accepted as it is; a text file is refused with a message. */
static void
test_import (void)
{
  Fixture f = { 0 };
  OwScanDialog *dialog;
  g_autoptr(GFile) png = NULL;
  g_autoptr(GFile) text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png_bytes = NULL;
  g_autoptr(GBytes) text_bytes = g_bytes_new_static ("申请书\n", strlen ("申请书\n"));
  guint8 grey[64 * 32];
  OwScanPage page = { 64, 32, 1, 150, NULL, FALSE };

  fixture_set_up (&f);
  for (guint i = 0; i < sizeof grey; i++)
    grey[i] = (guint8) (i * 7);
  page.pixels = g_bytes_new (grey, sizeof grey);
  png_bytes = ow_scan_page_to_png (&page, &error);
  g_assert_no_error (error);
  g_bytes_unref (page.pixels);
  png = write_file (&f, "licence.png", png_bytes);
  text = write_file (&f, "notes.txt", text_bytes);

  dialog = open_dialog (&f);
  ow_scan_dialog_import_file (dialog, png);
  ow_test_gui_wait_until (dialog_idle, dialog, "the PNG to be imported");
  g_assert_null (ow_scan_dialog_get_problem (dialog));
  g_assert_cmpuint (ow_scan_dialog_get_n_imports (dialog), ==, 1);
  g_assert_nonnull (find_visible_text (dialog, "licence.png"));

  ow_scan_dialog_import_file (dialog, text);
  ow_test_gui_wait_until (dialog_idle, dialog, "the text file to be refused");
  g_assert_cmpuint (ow_scan_dialog_get_n_imports (dialog), ==, 1);
  g_assert_nonnull (ow_scan_dialog_get_problem (dialog));
  g_assert_nonnull (strstr (ow_scan_dialog_get_problem (dialog), "notes.txt"));
  g_assert_nonnull (strstr (ow_scan_dialog_get_problem (dialog), "PDF, JPEG or PNG"));
  g_assert_nonnull (find_visible_text (dialog, "is not a PDF, JPEG or PNG file"));
  save_screenshot (GTK_WIDGET (dialog), "scan-dialog-import.png");

  click (ow_test_gui_find_button (dialog, "Done"));
  ow_test_gui_wait_until (row_idle, f.row, "the dialog to close");
  {
    g_autoptr(OwCaseMaterial) line = ow_material_row_to_case_material (f.row);
    g_autofree char *path = NULL;
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_cmpint (line->status, ==, OW_MATERIAL_STATUS_SCANNED);
    g_assert_cmpuint (line->files->len, ==, 1);
    path = g_build_filename (ow_store_get_files_dir (ow_context_get_store (f.counter.context)),
                             g_ptr_array_index (line->files, 0), NULL);
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    g_assert_cmpmem (contents, length, g_bytes_get_data (png_bytes, NULL),
                     g_bytes_get_size (png_bytes));
  }

  fixture_tear_down (&f);
}

/* A paper jam: its message says what to do; the pages scanned before stay. */
static void
test_jam (void)
{
  Fixture f = { 0 };
  OwScanDialog *dialog;
  OwScanner *scanner;

  fixture_set_up (&f);
  scanner = ow_context_get_scanner (f.counter.context);
  dialog = open_dialog (&f);
  choose (dialog, 0, 0);
  scan_once (dialog);
  g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, 1);

  ow_scanner_set_extra_option (scanner, "read-return-value", "SANE_STATUS_JAMMED");
  scan_once (dialog);
  /* The test backend keeps the value from one opening to the next: set it back. */
  ow_scanner_set_extra_option (scanner, "read-return-value", "Default");
  g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, 1);
  g_assert_nonnull (ow_scan_dialog_get_problem (dialog));
  g_assert_nonnull (strstr (ow_scan_dialog_get_problem (dialog), "The paper is jammed"));
  g_assert_nonnull (find_visible_text (dialog, "remove the sheet and scan again"));
  save_screenshot (GTK_WIDGET (dialog), "scan-dialog-jam.png");

  /* Cleared: the next scan works and the message goes. */
  scan_once (dialog);
  g_assert_null (ow_scan_dialog_get_problem (dialog));
  g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, 2);

  /* Page 1 scanned again, upright this time: it replaces the page in its place. */
  click (ow_page_thumbnail_get_button (thumbnail (dialog, 1), "pages.rotate"));
  ow_test_gui_wait_until (dialog_idle, dialog, "the page to turn");
  {
    guint w0, h0, w, h;

    page_size (dialog, 1, &w0, &h0);
    g_assert_cmpuint (w0, <, h0);
    click (ow_page_thumbnail_get_button (thumbnail (dialog, 1), "pages.rescan"));
    ow_test_gui_wait_until (dialog_idle, dialog, "the page to be scanned again");
    g_assert_null (ow_scan_dialog_get_problem (dialog));
    g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, 2);
    page_size (dialog, 1, &w, &h);
    g_assert_cmpuint (w, ==, h0);
    g_assert_cmpuint (h, ==, w0);
  }

  /* Closing with unstored pages asks first. */
  click (ow_test_gui_find_button (dialog, "Cancel"));
  ow_test_gui_settle (100);
  g_assert_nonnull (ow_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (ow_test_gui_find_toplevel (OW_TYPE_SCAN_DIALOG));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (ow_test_gui_find_toplevel (
                                                    ADW_TYPE_MESSAGE_DIALOG)),
                               "discard");
  ow_test_gui_wait_until (row_idle, f.row, "the dialog to close");
  g_assert_false (ow_material_row_get_provided (f.row));

  fixture_tear_down (&f);
}

typedef struct
{
  OwScanDialog *dialog;
  guint stop_after;
} StopData;

static void
stop_after_cb (OwScanner *scanner,
               gpointer   page,
               guint      index,
               StopData  *data)
{
  if (ow_scan_dialog_get_n_pages (data->dialog) == data->stop_after)
    gtk_widget_activate_action (GTK_WIDGET (data->dialog), "scan.cancel", NULL);
}

/* The feeder: blank sheets are dropped and counted; Stop ends a batch at once and keeps what
 * came before. */
static void
test_feeder (void)
{
  Fixture f = { 0 };
  OwScanDialog *dialog;
  OwScanner *scanner;
  StopData data;
  gulong handler;

  fixture_set_up (&f);
  scanner = ow_context_get_scanner (f.counter.context);
  dialog = open_dialog (&f);

  /* Ten white sheets through the feeder (A4 form: grey, 200 dpi). */
  choose (dialog, 1, 1);
  ow_scanner_set_extra_option (scanner, "test-picture", "Solid white");
  scan_once (dialog);
  /* The test backend keeps an option's value from one opening of the device to the next. */
  ow_scanner_set_extra_option (scanner, "test-picture", "Color pattern");
  g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, 0);
  g_assert_nonnull (find_visible_text (dialog, "10 blank pages dropped"));

  /* A batch stopped after its third page. */
  data.dialog = dialog;
  data.stop_after = 3;
  handler = g_signal_connect_after (scanner, "page-done", G_CALLBACK (stop_after_cb), &data);
  click (ow_test_gui_find_button (dialog, "Scan"));
  ow_test_gui_wait_until (dialog_idle, dialog, "the stopped batch");
  g_signal_handler_disconnect (scanner, handler);
  g_assert_cmpuint (ow_scan_dialog_get_n_pages (dialog), ==, 3);
  g_assert_null (ow_scan_dialog_get_problem (dialog));
  g_assert_nonnull (find_visible_text (dialog, "Scanning stopped; 3 pages kept"));
  ow_test_gui_settle (500);
  save_screenshot (GTK_WIDGET (dialog), "scan-dialog-feeder.png");

  click (ow_test_gui_find_button (dialog, "Done"));
  ow_test_gui_wait_until (row_idle, f.row, "the pages to be stored");
  {
    g_autoptr(OwCaseMaterial) line = ow_material_row_to_case_material (f.row);
    g_autofree char *path = NULL;
    g_autofree char *pages = NULL;

    g_assert_cmpuint (line->files->len, ==, 1);
    path = g_build_filename (ow_store_get_files_dir (ow_context_get_store (f.counter.context)),
                             g_ptr_array_index (line->files, 0), NULL);
    pages = pdfinfo_pages (path);
    if (pages != NULL)
      g_assert_cmpstr (pages, ==, "3");
  }

  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);
  ow_test_gui_set_wait_seconds (WAIT_SECONDS);

  g_test_add_func ("/scan-dialog/pages", test_pages);
  g_test_add_func ("/scan-dialog/import", test_import);
  g_test_add_func ("/scan-dialog/jam", test_jam);
  g_test_add_func ("/scan-dialog/feeder", test_feeder);
  return g_test_run ();
}
