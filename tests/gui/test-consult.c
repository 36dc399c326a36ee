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

#include "core/ow-clock.h"
#include "gui/intake/ow-consult-dialog.h"
#include "gui/shell/ow-context.h"
#include "gui/printing/ow-preview-dialog.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

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

/* The first item with materials, FAQ, a phone and a promised limit: one that fills every part
 * of the dialog. */
static OwItem *
pick_item (OwTestCounter *counter)
{
  OwCatalog *catalog = ow_context_get_catalog (counter->context);

  for (guint i = 0; i < ow_catalog_get_n_items (catalog); i++)
    {
      g_autoptr(OwItem) listed = ow_catalog_dup_item_at (catalog, i);
      g_autoptr(OwItem) item = g_object_ref (ow_test_counter_load_item (counter,
                                                                        ow_item_get_id (listed)));
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
  OwTestCounter counter = { 0 };
  g_autoptr(OwItem) item = NULL;
  g_autofree char *dead_uri = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  OwContext *context;
  GtkWidget *parent, *dialog, *print_button, *label;
  GListModel *materials;
  GSettings *settings;

  /* The smallest real counter: a context on its own store, logged in to the platform. */
  ow_test_counter_start (&counter, OW_TEST_COUNTER_CONTEXT_ONLY | OW_TEST_COUNTER_SCANNER
                                   | OW_TEST_COUNTER_PRINTER, NULL);
  if (counter.printer == NULL)
    {
      ow_test_counter_stop (&counter);
      g_test_skip ("ippeveprinter is not installed");
      return;
    }
  context = counter.context;
  ow_test_counter_log_in (&counter, "clerk");
  g_assert_nonnull (ow_context_get_catalog (context));
  g_assert_nonnull (ow_context_get_calendar (context));
  settings = ow_context_get_settings (context);

  item = pick_item (&counter);
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

  ow_test_gui_screenshot (dialog, "consult-guide.png");

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
  ow_test_gui_wait_until (ow_test_gui_spool_has_pdf, counter.spool, "the guide at the printer");
  ow_test_gui_settle (500);
  g_assert_cmpuint (ow_test_gui_count_spooled_pdfs (counter.spool), ==, 1);

  /* What the printer received is the item's guide. */
  pdf = ow_test_gui_find_spooled_pdf (counter.spool);
  text = ow_test_gui_pdf_text (pdf);
  {
    g_autofree char *plain = ow_test_gui_squeeze_spaces (text);
    g_autoptr(OwMaterial) material = g_list_model_get_item (materials, 0);
    g_autofree char *material_name = ow_test_gui_squeeze_spaces (ow_material_get_name (material));

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
  ow_test_gui_settle (300);
  ow_test_gui_screenshot (dialog, "consult-print-failed.png");

  /* The printer is back (the hall removed the broken one): Retry sends the same guide there. */
  g_settings_reset (settings, "document-printers");
  g_signal_emit_by_name (ow_test_gui_find_button (dialog, "Retry"), "clicked");
  ow_test_gui_wait_until (ow_test_gui_spool_has_two_pdfs, counter.spool,
                          "the retried guide at the printer");
  {
    ToastWait wait = { dialog, "Requirements guide printed" };
    ow_test_gui_wait_until (toast_shows, &wait, "the toast saying the retried guide printed");
  }

  /* Close, as Escape does through its binding. */
  gtk_widget_activate_action (dialog, "window.close", NULL);
  ow_test_gui_settle (100);
  g_assert_null (ow_test_gui_find_toplevel (OW_TYPE_CONSULT_DIALOG));

  gtk_window_destroy (GTK_WINDOW (parent));
  ow_test_counter_stop (&counter);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/consult/guide", test_guide);
  return g_test_run ();
}
