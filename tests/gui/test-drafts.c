/* test-drafts.c — the intake form saved as typed, restored after a crash, parked and resumed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real store file in a temporary folder, a real context (store, scanner test:0, no platform)
 * and real widgets under Xvfb: material rows of a catalog item and a decision panel, filled in
 * as a clerk would, saved through the draft keeper and put back into fresh widgets from a
 * second connection to the file, as after a power cut.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "core/ow-intake-draft.h"
#include "gui/shell/ow-context.h"
#include "gui/intake/ow-decision-panel.h"
#include "gui/intake/ow-draft-keeper.h"
#include "gui/intake/ow-drafts-dialog.h"
#include "gui/intake/ow-material-row.h"
#include "net/ow-json.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

#define ITEM_ID "01010120046010001001"   /* 药品零售企业许可: licence, tolerable, plain lines */
#define TITLE_A "张三 · 药品零售企业许可"
#define TITLE_B "李四 · 药品零售企业许可"

/* Marked in the form: m1 scanned, m2 electronic licence, m4 missing with a note, m6 tolerated,
 * m7 on paper; the rest left missing. */
static const char *const material_ids[] = { "m1", "m2", "m3", "m4", "m5", "m6", "m7" };

typedef struct
{
  OwTestCounter counter;
  OwCatalog *catalog;
  OwItem *item;
  OwDraftKeeper *keeper;
  GtkWindow *window;
  GPtrArray *rows;           /* OwMaterialRow, in material_ids' order */
  OwDecisionPanel *panel;
  guint current_writes;      /* "saved" with key "current" */
  char *resumed_key;
} Fixture;

/* ---------------------------------------------------------------------------------------- */
/* Set-up */

static void
keeper_saved_cb (OwDraftKeeper *keeper,
                 const char    *key,
                 Fixture       *f)
{
  if (g_strcmp0 (key, OW_DRAFT_KEEPER_CURRENT) == 0)
    f->current_writes++;
}

static void
keeper_failed_cb (OwDraftKeeper *keeper,
                  const GError  *error,
                  Fixture       *f)
{
  g_error ("The draft keeper failed: %s", error->message);
}

static OwCatalog *
load_catalog (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("OW_DATA_DIR"), "catalog.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  OwCatalog *catalog;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  catalog = ow_json_to_catalog (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  return catalog;
}

/* A window with a row per material of the item and a decision panel, as the intake page has. */
static void
build_form (Fixture *f)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 700);
  gtk_widget_add_css_class (list, "boxed-list");
  f->rows = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (material_ids); i++)
    {
      OwMaterial *material = ow_item_find_material (f->item, material_ids[i]);
      OwMaterialRow *row;

      g_assert_nonnull (material);
      row = ow_material_row_new (material, f->counter.context);
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
      g_ptr_array_add (f->rows, row);
    }
  f->panel = OW_DECISION_PANEL (ow_decision_panel_new ());
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->panel));
  gtk_window_set_child (f->window, box);
  gtk_window_present (f->window);
  ow_test_gui_settle (100);
}

static void
destroy_form (Fixture *f)
{
  g_clear_pointer (&f->rows, g_ptr_array_unref);
  f->panel = NULL;
  g_clear_pointer (&f->window, gtk_window_destroy);
  ow_test_gui_settle (50);
}

static void
fixture_set_up (Fixture *f)
{
  ow_test_counter_start (&f->counter, OW_TEST_COUNTER_OFFLINE | OW_TEST_COUNTER_CONTEXT_ONLY
                                      | OW_TEST_COUNTER_SCANNER, NULL);
  f->catalog = load_catalog ();
  f->item = ow_catalog_lookup (f->catalog, ITEM_ID);
  g_assert_nonnull (f->item);

  f->keeper = ow_draft_keeper_new (ow_context_get_store (f->counter.context));
  g_signal_connect (f->keeper, "saved", G_CALLBACK (keeper_saved_cb), f);
  g_signal_connect (f->keeper, "failed", G_CALLBACK (keeper_failed_cb), f);
}

static void
fixture_tear_down (Fixture *f)
{
  destroy_form (f);
  g_clear_object (&f->keeper);
  g_clear_object (&f->catalog);
  ow_test_counter_stop (&f->counter);
  g_free (f->resumed_key);
}

/* ---------------------------------------------------------------------------------------- */
/* The form, as a clerk fills it in */

static OwMaterialRow *
row_of (Fixture    *f,
        const char *material_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (material_ids); i++)
    if (g_strcmp0 (material_ids[i], material_id) == 0)
      return g_ptr_array_index (f->rows, i);
  g_assert_not_reached ();
}

static char *
store_page (Fixture    *f,
            const char *bytes)
{
  g_autoptr(GBytes) data = g_bytes_new (bytes, strlen (bytes));
  g_autoptr(GError) error = NULL;
  char *sha256 = ow_store_add_file (ow_context_get_store (f->counter.context), data, &error);

  g_assert_no_error (error);
  return sha256;
}

/* Everything but the keystrokes of the burst. */
static void
fill_form (Fixture *f)
{
  g_autofree char *pdf = store_page (f, "%PDF-1.4\n% the scanned pages of m1\n%%EOF\n");
  g_autofree char *png = store_page (f, "\x89PNG\r\n\x1a\n an imported photo of m1");
  g_autoptr(OwCaseMaterial) scanned = ow_case_material_new ("m1", NULL);
  GDate due;

  /* Scanning itself is test-scan-dialog's: here the pages as its Done hands them over. */
  scanned->status = OW_MATERIAL_STATUS_SCANNED;
  g_ptr_array_add (scanned->files, g_strdup (pdf));
  g_ptr_array_add (scanned->files, g_strdup (png));
  ow_material_row_restore (row_of (f, "m1"), scanned);

  g_assert_true (ow_material_row_set_status (row_of (f, "m2"), OW_MATERIAL_STATUS_LICENCE));
  gtk_editable_set_text (GTK_EDITABLE (ow_test_gui_find_entry_with_placeholder (
                                         row_of (f, "m2"), "Licence number")),
                         "DZZZ-4601-2026-000123");

  ow_material_row_set_show_note (row_of (f, "m4"), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (ow_test_gui_find_entry_with_placeholder (
                                         row_of (f, "m4"), "What is missing or wrong")),
                         "学历证明缺公章");

  g_assert_true (ow_material_row_set_status (row_of (f, "m6"), OW_MATERIAL_STATUS_TOLERATED));
  g_date_clear (&due, 1);
  g_date_set_dmy (&due, 9, G_DATE_DECEMBER, 2026);
  ow_material_row_set_due_date (row_of (f, "m6"), &due);

  g_assert_true (ow_material_row_set_status (row_of (f, "m7"), OW_MATERIAL_STATUS_PAPER));

  ow_test_gui_choose_in_combo_row (ow_test_gui_find_row (f->panel, ADW_TYPE_COMBO_ROW,
                                                         "Decision"), "Refuse");
  gtk_editable_set_text (GTK_EDITABLE (ow_test_gui_find_row (f->panel, ADW_TYPE_ENTRY_ROW,
                                                             "Reason for refusal")),
                         "不属于本机关职权范围 ");
  adw_combo_row_set_selected (ADW_COMBO_ROW (ow_test_gui_find_row (f->panel, ADW_TYPE_COMBO_ROW,
                                                                   "Delivery")), 1);
  gtk_editable_set_text (GTK_EDITABLE (ow_test_gui_find_row (f->panel, ADW_TYPE_ENTRY_ROW,
                                                             "Recipient")),
                         "张三");
  gtk_editable_set_text (GTK_EDITABLE (ow_test_gui_find_row (f->panel, ADW_TYPE_ENTRY_ROW,
                                                             "Recipient's mobile")),
                         "138 0013 8000");
  ow_test_gui_settle (20);
}

/* The form as the intake page would save it. */
static OwIntakeDraft *
draft_from_form (Fixture    *f,
                 const char *name)
{
  OwIntakeDraft *draft = ow_intake_draft_new ();
  const char *items[] = { ITEM_ID, NULL };

  draft->item_ids = g_strdupv ((char **) items);
  draft->applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  draft->applicant->name = g_strdup (name);
  draft->applicant->id_number = g_strdup ("11010519491231002X");
  for (guint i = 0; i < f->rows->len; i++)
    g_ptr_array_add (draft->materials,
                     ow_material_row_to_case_material (g_ptr_array_index (f->rows, i)));
  ow_decision_panel_fill_draft (f->panel, draft);
  return draft;
}

static void
assert_materials_equal (const OwCaseMaterial *a,
                        const OwCaseMaterial *b)
{
  g_assert_cmpstr (a->material_id, ==, b->material_id);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpint (a->status, ==, b->status);
  g_assert_cmpuint (a->originals, ==, b->originals);
  g_assert_cmpuint (a->copies, ==, b->copies);
  g_assert_cmpstr (a->licence_no, ==, b->licence_no);
  g_assert_cmpstr (a->note, ==, b->note);
  g_assert_cmpint (g_date_valid (&a->due_date), ==, g_date_valid (&b->due_date));
  if (g_date_valid (&a->due_date))
    g_assert_cmpint (g_date_compare (&a->due_date, &b->due_date), ==, 0);
  g_assert_cmpuint (a->files->len, ==, b->files->len);
  for (guint i = 0; i < a->files->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a->files, i), ==, g_ptr_array_index (b->files, i));
}

static void
assert_drafts_equal (const OwIntakeDraft *a,
                     const OwIntakeDraft *b)
{
  g_assert_true (g_strv_equal ((const char * const *) a->item_ids,
                               (const char * const *) b->item_ids));
  g_assert_cmpstr (a->bundle_id, ==, b->bundle_id);
  g_assert_true (ow_applicant_equal (a->applicant, b->applicant));
  g_assert_true (ow_applicant_equal (a->agent, b->agent));
  g_assert_cmpuint (a->materials->len, ==, b->materials->len);
  for (guint i = 0; i < a->materials->len; i++)
    assert_materials_equal (g_ptr_array_index (a->materials, i),
                            g_ptr_array_index (b->materials, i));
  g_assert_cmpuint (a->decision, ==, b->decision);
  g_assert_cmpstr (a->refusal_reason, ==, b->refusal_reason);
  g_assert_cmpstr (a->competent_organ, ==, b->competent_organ);
  g_assert_cmpint (a->delivery, ==, b->delivery);
  g_assert_cmpstr (a->post_recipient, ==, b->post_recipient);
  g_assert_cmpstr (a->post_phone, ==, b->post_phone);
  g_assert_cmpstr (a->post_address, ==, b->post_address);
}

/* ---------------------------------------------------------------------------------------- */
/* Waiting on the keeper */

typedef struct
{
  GAsyncResult *result;
} Waiter;

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Waiter *) data)->result != NULL;
}

static GAsyncResult *
wait_for (Waiter     *waiter,
          const char *what)
{
  ow_test_gui_wait_until (has_result, waiter, what);
  return waiter->result;
}

static gboolean
writes_are (gpointer data)
{
  Fixture *f = data;

  return f->current_writes == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->keeper),
                                                                   "ow-test-writes"));
}

static void
wait_for_writes (Fixture *f,
                 guint    writes)
{
  g_object_set_data (G_OBJECT (f->keeper), "ow-test-writes", GUINT_TO_POINTER (writes));
  ow_test_gui_wait_until (writes_are, f, "the draft to be written");
}

static OwIntakeDraft *
load_from_store (OwStore    *store,
                 const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ow_store_load_draft (store, key, &error);
  OwIntakeDraft *draft;

  g_assert_no_error (error);
  draft = ow_intake_draft_deserialize (bytes, &error);
  g_assert_no_error (error);
  return draft;
}

static gboolean
row_restored (gpointer data)
{
  /* The pages dialog opens again once the row knows its files' kinds. */
  return gtk_widget_is_sensitive (ow_test_gui_find_button (data, "Scan"));
}

/* ---------------------------------------------------------------------------------------- */

static void
test_save_restore (void)
{
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwIntakeDraft) last = NULL;
  g_autoptr(OwIntakeDraft) reloaded = NULL;
  g_autoptr(OwIntakeDraft) restored = NULL;
  g_autoptr(OwStore) after_crash = NULL;
  g_autoptr(OwDraftKeeper) new_keeper = NULL;
  g_auto(GStrv) keys = NULL;
  GString *address = g_string_new ("海口市");
  const char *typed = "龙华区滨海大道一号";
  GtkEditable *address_row;
  Waiter flushed = { 0 };
  Waiter loaded = { 0 };

  fixture_set_up (f);
  build_form (f);
  fill_form (f);

  /* Keystrokes 30 ms apart, well inside the debounce: one write, of the last form. */
  address_row = GTK_EDITABLE (ow_test_gui_find_row (f->panel, ADW_TYPE_ENTRY_ROW,
                                                    "Postal address"));
  for (const char *p = typed; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_string_append_unichar (address, g_utf8_get_char (p));
      gtk_editable_set_text (address_row, address->str);
      ow_draft_keeper_schedule (f->keeper, draft_from_form (f, "张三"), TITLE_A);
      ow_test_gui_settle (30);
    }
  g_assert_cmpuint (f->current_writes, ==, 0);
  last = draft_from_form (f, "张三");
  wait_for_writes (f, 1);
  /* Nothing else comes after the debounce. */
  ow_test_gui_settle (2 * OW_DRAFT_KEEPER_DELAY_MS);
  g_assert_cmpuint (f->current_writes, ==, 1);
  keys = ow_store_list_drafts (ow_context_get_store (f->counter.context), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (keys), ==, 1);
  g_assert_cmpstr (keys[0], ==, OW_DRAFT_KEEPER_CURRENT);
  {
    g_autoptr(OwIntakeDraft) stored = load_from_store (ow_context_get_store (f->counter.context),
                                                       OW_DRAFT_KEEPER_CURRENT);
    assert_drafts_equal (stored, last);
  }

  /* One more keystroke, then quitting: the flush writes it without waiting. */
  g_string_append (address, " 1 号");
  gtk_editable_set_text (address_row, address->str);
  ow_draft_keeper_schedule (f->keeper, draft_from_form (f, "张三"), TITLE_A);
  g_clear_pointer (&last, ow_intake_draft_free);
  last = draft_from_form (f, "张三");
  ow_draft_keeper_flush_async (f->keeper, NULL, got_result_cb, &flushed);
  g_assert_true (ow_draft_keeper_flush_finish (f->keeper, wait_for (&flushed, "the flush"),
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->current_writes, ==, 2);

  /* The power goes: a new connection to the file, as the next start would open. */
  after_crash = ow_store_open (f->counter.store_path, &error);
  g_assert_no_error (error);
  reloaded = load_from_store (after_crash, OW_DRAFT_KEEPER_CURRENT);
  assert_drafts_equal (reloaded, last);

  /* And through a keeper of the new connection, as the intake page will restore it. */
  new_keeper = ow_draft_keeper_new (after_crash);
  ow_draft_keeper_load_async (new_keeper, OW_DRAFT_KEEPER_CURRENT, NULL, got_result_cb, &loaded);
  restored = ow_draft_keeper_load_finish (new_keeper, wait_for (&loaded, "the draft to load"),
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  assert_drafts_equal (restored, last);
  g_assert_nonnull (restored->saved_at);

  /* Fresh widgets, restored from it, report the same. */
  destroy_form (f);
  build_form (f);
  for (guint i = 0; i < restored->materials->len; i++)
    {
      const OwCaseMaterial *line = g_ptr_array_index (restored->materials, i);

      ow_material_row_restore (row_of (f, line->material_id), line);
    }
  ow_decision_panel_restore (f->panel, restored->decision, restored->refusal_reason,
                             restored->competent_organ, restored->delivery,
                             restored->post_recipient, restored->post_phone,
                             restored->post_address);
  g_assert_true (ow_material_row_get_provided (row_of (f, "m1")));
  g_assert_true (ow_material_row_get_provided (row_of (f, "m2")));
  g_assert_cmpint (ow_decision_panel_get_delivery (f->panel), ==, OW_DELIVERY_POST);
  g_assert_cmpint (ow_decision_panel_get_decision (f->panel), ==, OW_DECISION_REFUSE);
  ow_test_gui_wait_until (row_restored, row_of (f, "m1"), "the restored pages to be looked up");
  {
    g_autoptr(OwIntakeDraft) again = draft_from_form (f, "张三");

    assert_drafts_equal (again, restored);
  }

  /* A page gone from the store since (a disk restored from backup) is dropped, visibly. */
  {
    g_autoptr(OwCaseMaterial) gone = ow_case_material_copy (g_ptr_array_index (
                                                              restored->materials, 0));
    g_autoptr(OwCaseMaterial) line = NULL;

    g_ptr_array_add (gone->files, g_strdup ("0000000000000000000000000000000000000000000000000000"
                                            "000000000000"));
    ow_material_row_restore (row_of (f, "m1"), gone);
    line = ow_material_row_to_case_material (row_of (f, "m1"));
    g_assert_cmpuint (line->files->len, ==, 3);
    g_clear_pointer (&line, ow_case_material_free);
    ow_test_gui_wait_until (row_restored, row_of (f, "m1"), "the pages to be looked up again");
    line = ow_material_row_to_case_material (row_of (f, "m1"));
    g_assert_cmpuint (line->files->len, ==, 2);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row_of (f, "m1"))),
                              "no longer on this workstation"));
  }

  /* The case was decided: the draft goes. */
  ow_draft_keeper_discard_current (f->keeper);
  g_clear_object (&new_keeper);
  {
    Waiter again = { 0 };
    g_autoptr(OwIntakeDraft) none = NULL;

    ow_draft_keeper_load_async (f->keeper, OW_DRAFT_KEEPER_CURRENT, NULL, got_result_cb, &again);
    none = ow_draft_keeper_load_finish (f->keeper, wait_for (&again, "the draft to load"),
                                        &error);
    g_assert_no_error (error);
    g_assert_null (none);
    g_clear_object (&again.result);
  }

  g_clear_object (&flushed.result);
  g_clear_object (&loaded.result);
  g_string_free (address, TRUE);
  fixture_tear_down (f);
}

/* ---------------------------------------------------------------------------------------- */

static OwIntakeDraft *
simple_draft (const char *name)
{
  OwIntakeDraft *draft = ow_intake_draft_new ();
  const char *items[] = { ITEM_ID, NULL };

  draft->item_ids = g_strdupv ((char **) items);
  draft->applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  draft->applicant->name = g_strdup (name);
  return draft;
}

static char *
park (Fixture    *f,
      const char *name,
      const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwIntakeDraft) draft = simple_draft (name);
  Waiter parked = { 0 };
  char *key;

  /* The form stays the caller's: the intake page empties it itself. */
  ow_draft_keeper_park_async (f->keeper, draft, title, NULL, got_result_cb, &parked);
  key = ow_draft_keeper_park_finish (f->keeper, wait_for (&parked, "the draft to be parked"),
                                     &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (key, "parked-"));
  g_clear_object (&parked.result);
  return key;
}

static gboolean
parked_count_is (gpointer data)
{
  Fixture *f = data;
  guint wanted = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->keeper), "ow-test-parked"));

  return g_list_model_get_n_items (ow_draft_keeper_get_parked (f->keeper)) == wanted;
}

static void
wait_for_parked (Fixture *f,
                 guint    count)
{
  g_object_set_data (G_OBJECT (f->keeper), "ow-test-parked", GUINT_TO_POINTER (count));
  ow_test_gui_wait_until (parked_count_is, f, "the parked list");
}

static gboolean
stored (Fixture    *f,
        const char *key)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = ow_store_list_drafts (ow_context_get_store (f->counter.context), &error);

  g_assert_no_error (error);
  return g_strv_contains ((const char * const *) keys, key);
}

/* The rows the dialog shows, in order. */
static GPtrArray *
dialog_rows (OwDraftsDialog *dialog)
{
  GPtrArray *rows = ow_test_gui_find_all (dialog, ADW_TYPE_ACTION_ROW);
  GPtrArray *shown = g_ptr_array_new ();

  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (rows, i)))
      g_ptr_array_add (shown, g_ptr_array_index (rows, i));
  g_ptr_array_unref (rows);
  return shown;
}

static GtkWidget *
discard_button (OwDraftsDialog *dialog,
                const char     *title)
{
  g_autoptr(GPtrArray) buttons = ow_test_gui_find_all (dialog, GTK_TYPE_BUTTON);
  g_autofree char *name = g_strdup_printf ("Discard draft of %s", title);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, i)), name) == 0)
      return g_ptr_array_index (buttons, i);
  g_error ("No button “%s”", name);
  return NULL;
}

static gboolean
draft_gone (gpointer data)
{
  Fixture *f = data;

  return !stored (f, g_object_get_data (G_OBJECT (f->keeper), "ow-test-gone"));
}

static void
resume_cb (OwDraftsDialog *dialog,
           const char     *key,
           Fixture        *f)
{
  g_assert_null (f->resumed_key);
  f->resumed_key = g_strdup (key);
}

static gboolean
dialog_gone (gpointer data)
{
  return ow_test_gui_find_toplevel (OW_TYPE_DRAFTS_DIALOG) == NULL;
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  gtk_test_widget_wait_for_draw (widget);
  ow_test_gui_settle (100);
  ow_test_gui_screenshot (widget, name);
}

static OwDraftsDialog *
open_dialog (Fixture *f)
{
  OwDraftsDialog *dialog = ow_drafts_dialog_new (f->window, f->keeper);

  g_signal_connect (dialog, "resume", G_CALLBACK (resume_cb), f);
  gtk_window_present (GTK_WINDOW (dialog));
  ow_test_gui_settle (200);
  return dialog;
}

static void
test_park (void)
{
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_a = NULL;
  g_autofree char *key_b = NULL;
  g_autofree char *key_c = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(OwIntakeDraft) resumed = NULL;
  OwDraftsDialog *dialog;
  Waiter flushed = { 0 };
  Waiter resume = { 0 };
  GtkStack *stack;

  fixture_set_up (f);
  build_form (f);

  /* Serving 张三, typed far enough to be saved; then 李四 comes first. */
  ow_draft_keeper_schedule (f->keeper, simple_draft ("张三"), TITLE_A);
  ow_draft_keeper_flush_async (f->keeper, NULL, got_result_cb, &flushed);
  g_assert_true (ow_draft_keeper_flush_finish (f->keeper, wait_for (&flushed, "the flush"),
                                               &error));
  g_assert_true (stored (f, OW_DRAFT_KEEPER_CURRENT));
  key_a = park (f, "张三", TITLE_A);
  /* Parking took "current" away in the same step. */
  g_assert_false (stored (f, OW_DRAFT_KEEPER_CURRENT));
  g_assert_true (stored (f, key_a));
  key_b = park (f, "李四", TITLE_B);
  wait_for_parked (f, 2);

  /* Newest first, with the time they were parked. */
  dialog = open_dialog (f);
  rows = dialog_rows (dialog);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, TITLE_B);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, TITLE_A);
  /* Keyboard first: Enter would resume the newest at once. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (dialog)) == g_ptr_array_index (rows, 0));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (g_ptr_array_index (rows, 0)),
                                   "Parked at "));
  g_clear_pointer (&rows, g_ptr_array_unref);
  save_screenshot (GTK_WIDGET (dialog), "drafts-dialog.png");

  /* Discard 张三, then Undo: the row comes back and the draft never left the store. */
  g_signal_emit_by_name (discard_button (dialog, TITLE_A), "clicked");
  ow_test_gui_settle (100);
  rows = dialog_rows (dialog);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  save_screenshot (GTK_WIDGET (dialog), "drafts-dialog-undo.png");
  g_signal_emit_by_name (ow_test_gui_find_button (dialog, "Undo"), "clicked");
  ow_test_gui_settle (300);
  rows = dialog_rows (dialog);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_true (stored (f, key_a));

  /* Discard it again and let the toast run out: then it goes from the store. */
  g_signal_emit_by_name (discard_button (dialog, TITLE_A), "clicked");
  ow_test_gui_settle (1000);
  g_assert_true (stored (f, key_a));
  g_object_set_data (G_OBJECT (f->keeper), "ow-test-gone", key_a);
  ow_test_gui_wait_until (draft_gone, f, "the discarded draft to be deleted");
  wait_for_parked (f, 1);
  rows = dialog_rows (dialog);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, TITLE_B);

  /* Enter on 李四: "resume" with its key, the dialog closes, the draft comes back. */
  gtk_widget_activate (g_ptr_array_index (rows, 0));
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_cmpstr (f->resumed_key, ==, key_b);
  ow_test_gui_wait_until (dialog_gone, NULL, "the dialog to close");
  ow_draft_keeper_resume_async (f->keeper, f->resumed_key, NULL, got_result_cb, &resume);
  resumed = ow_draft_keeper_resume_finish (f->keeper, wait_for (&resume, "the draft to resume"),
                                           &error);
  g_assert_no_error (error);
  g_assert_nonnull (resumed);
  g_assert_cmpstr (resumed->applicant->name, ==, "李四");
  wait_for_parked (f, 0);
  g_assert_false (stored (f, key_b));
  /* It is the form now: a crash from here on brings it back. */
  g_assert_true (stored (f, OW_DRAFT_KEEPER_CURRENT));

  /* Nothing parked: the empty state. */
  dialog = open_dialog (f);
  stack = ow_test_gui_find_first (dialog, GTK_TYPE_STACK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  save_screenshot (GTK_WIDGET (dialog), "drafts-dialog-empty.png");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  ow_test_gui_wait_until (dialog_gone, NULL, "the dialog to close");

  /* Escape with a discard still undoable: closing deletes it at once. */
  key_c = park (f, "王五", "王五");
  wait_for_parked (f, 1);
  dialog = open_dialog (f);
  g_signal_emit_by_name (discard_button (dialog, "王五"), "clicked");
  ow_test_gui_settle (50);
  g_assert_true (stored (f, key_c));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  ow_test_gui_wait_until (dialog_gone, NULL, "the dialog to close");
  g_object_set_data (G_OBJECT (f->keeper), "ow-test-gone", key_c);
  ow_test_gui_wait_until (draft_gone, f, "the discarded draft to be deleted on closing");
  wait_for_parked (f, 0);

  g_clear_object (&flushed.result);
  g_clear_object (&resume.result);
  fixture_tear_down (f);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/drafts/save-restore", test_save_restore);
  g_test_add_func ("/drafts/park", test_park);
  return g_test_run ();
}
