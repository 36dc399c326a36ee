/* test-intake-items.c — the intake page with several items, a "one thing" bundle and an agent;
 * against the real platform, in a real window under Xvfb
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the page as a clerk would — controls found by their labels — and checks what the
 * accepted case holds in the local store and on the platform.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <sqlite3.h>

#include "core/ow-case.h"
#include "gui/shell/ow-application.h"
#include "core/ow-intake-draft.h"
#include "gui/intake/ow-applicant-form.h"
#include "gui/intake/ow-draft-keeper.h"
#include "gui/intake/ow-drafts-dialog.h"
#include "gui/intake/ow-material-row.h"
#include "gui/shell/ow-window.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

typedef struct
{
  OwTestCounter counter;
  GtkWidget *accept;
} Fixture;

/* Logs in as the clerk; no printer: the notices' failure to print is not what is tested here. */
static void
fixture_start (Fixture *f)
{
  ow_test_counter_start (&f->counter, OW_TEST_COUNTER_SCANNER, NULL);
  ow_test_counter_log_in (&f->counter, "clerk");
  f->accept = ow_test_gui_find_button (f->counter.window, "Accept and Print Notice");
}

static void
fixture_stop (Fixture *f)
{
  ow_test_counter_stop (&f->counter);
}

static GtkListBoxRow *
find_result (Fixture    *f,
             const char *item_id)
{
  g_autoptr(OwItem) item = ow_catalog_dup_item (ow_context_get_catalog (f->counter.context),
                                                item_id);
  GtkListBox *results = ow_test_gui_find_list_with_class (f->counter.window, "navigation-sidebar");
  GtkWidget *search = ow_test_gui_find_first (f->counter.window, GTK_TYPE_SEARCH_ENTRY);

  g_assert_nonnull (item);
  ow_test_gui_type_text (search, ow_item_get_id (item));
  ow_test_gui_settle (150);
  for (guint i = 0; gtk_list_box_get_row_at_index (results, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (results, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                     ow_item_get_name (item)) == 0)
        return row;
    }
  g_error ("No result row for %s", item_id);
  return NULL;
}

/* Enter on a result, or a click: the application is for that item alone. */
static void
choose_result (Fixture    *f,
               const char *item_id)
{
  GtkListBoxRow *row = find_result (f, item_id);

  /* Enter on the row, or a click: moving through the results chooses nothing. */
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (row)), "row-activated", row);
  ow_test_gui_settle (100);
}

static GPtrArray *
material_rows (Fixture *f)
{
  return ow_test_gui_find_all (ow_test_gui_find_list_with_class (f->counter.window, "ow-materials"),
                               OW_TYPE_MATERIAL_ROW);
}

static OwMaterialRow *
find_material_row (Fixture    *f,
                   const char *name)
{
  g_autoptr(GPtrArray) rows = material_rows (f);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (ow_material_get_name (ow_material_row_get_material (rows->pdata[i])),
                   name) == 0)
      return rows->pdata[i];
  return NULL;
}

static gboolean
row_provided (gpointer data)
{
  return ow_material_row_get_provided (data);
}

/* Every line on paper. */
static void
provide_all (Fixture *f)
{
  g_autoptr(GPtrArray) rows = material_rows (f);

  for (guint i = 0; i < rows->len; i++)
    {
      OwMaterialRow *row = rows->pdata[i];

      if (ow_material_row_get_provided (row))
        continue;
      g_assert_true (ow_material_row_set_status (row, OW_MATERIAL_STATUS_PAPER));
      ow_test_gui_wait_until (row_provided, row, "a material to count as provided");
    }
}

static void
fill_applicant (Fixture *f)
{
  ow_test_gui_type_text (ow_test_gui_find_labelled (f->counter.window, "ID number"),
                         "11010519491231002X");
  ow_test_gui_type_text (ow_test_gui_find_labelled (f->counter.window, "Name"), "张三");
  ow_test_gui_type_text (ow_test_gui_find_labelled (f->counter.window, "Mobile"), "13800138000");
}

static gboolean
form_cleared (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) rows = material_rows (f);

  return rows->len == 0;
}

static gboolean
draft_saved (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GBytes) bytes = ow_store_load_draft (ow_context_get_store (f->counter.context),
                                                 OW_DRAFT_KEEPER_CURRENT, NULL);
  g_autoptr(OwIntakeDraft) draft = bytes != NULL ? ow_intake_draft_deserialize (bytes, NULL)
                                                 : NULL;

  return draft != NULL && draft->applicant != NULL
         && g_strcmp0 (draft->applicant->phone, "13800138000") == 0;
}

/* The local store as another reader sees it, read in one statement (one snapshot): how many
 * cases, and whether the draft "current" is there with them. */
typedef struct
{
  sqlite3 *db;
  int cases;
  int drafts;
} StoreSnapshot;

static gboolean
case_row_exists (gpointer data)
{
  StoreSnapshot *snapshot = data;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (snapshot->db,
                                       "SELECT (SELECT count(*) FROM cases),"
                                       "       (SELECT count(*) FROM drafts WHERE key = 'current')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  snapshot->cases = sqlite3_column_int (stmt, 0);
  snapshot->drafts = sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);
  return snapshot->cases > 0;
}

/* Accepts and returns the case as the local store has it, once it reached the platform. The
 * form's draft, saved as typed, is gone the moment the case is there: a crash in between would
 * bring the decided case back as a draft, to be accepted twice. */
static OwCase *
accept_and_load (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  StoreSnapshot snapshot = { NULL, 0, 0 };

  ow_test_gui_wait_until (draft_saved, f, "the form to be saved as a draft");
  g_assert_cmpint (sqlite3_open_v2 (ow_store_get_path (ow_context_get_store (f->counter.context)),
                                    &snapshot.db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (snapshot.db, 5000);
  g_assert_false (case_row_exists (&snapshot));
  g_assert_cmpint (snapshot.drafts, ==, 1);

  ow_test_gui_settle (100);
  g_assert_true (gtk_widget_is_sensitive (f->accept));
  gtk_widget_activate_action (GTK_WIDGET (f->counter.window), "win.accept", NULL);
  ow_test_gui_wait_until (case_row_exists, &snapshot, "the case to be saved");
  g_assert_cmpint (snapshot.cases, ==, 1);
  g_assert_cmpint (snapshot.drafts, ==, 0);
  sqlite3_close (snapshot.db);
  ow_test_gui_wait_until (form_cleared, f, "the form to clear after accepting");
  ow_test_gui_wait_until (ow_test_gui_sync_drained, ow_context_get_sync (f->counter.context),
                          "the case to reach the platform");
  cases = ow_store_list_cases (ow_context_get_store (f->counter.context), 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  return g_object_ref (g_ptr_array_index (cases, 0));
}

/* The platform's copy of @kase, as JSON text. */
static char *
platform_case_json (Fixture *f,
                    OwCase  *kase)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s", ow_case_get_case_no (kase));
  g_autoptr(OwTestResponse) response = ow_test_counter_get (&f->counter, "clerk", path);

  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "accepted");
  return g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
}

/* ---------------------------------------------------------------------------------------- */

/* Two items in one application: one checklist, the shared document asked for once, the
 * longest limit promised, both items in the case. */
static void
test_several_items (void)
{
  Fixture f = { 0 };
  OwCatalog *catalog;
  /* 食品经营许可证核发 (5 working days) and 登记信息确认 (on the spot) both ask for 营业执照. */
  const char *ids[] = { "01010090046010001001", "20100010046010010001", NULL };
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *json = NULL;
  GtkListBox *chosen;
  GtkWidget *add;
  GDate today, promised;
  guint licences = 0;

  fixture_start (&f);
  catalog = ow_context_get_catalog (f.counter.context);

  choose_result (&f, ids[0]);
  ow_test_gui_settle (100);
  rows = material_rows (&f);
  g_assert_cmpuint (rows->len, ==,
                    g_list_model_get_n_items (ow_item_get_materials (
                      ow_test_counter_load_item (&f.counter, ids[0]))));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The second through its row's + button, as the mouse would. */
  add = ow_test_gui_find_first (find_result (&f, ids[1]), GTK_TYPE_BUTTON);
  g_assert_nonnull (add);
  g_signal_emit_by_name (add, "clicked");
  ow_test_gui_settle (100);

  chosen = ow_test_gui_find_list_with_class (f.counter.window, "ow-chosen-items");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (chosen)));
  g_assert_nonnull (gtk_list_box_get_row_at_index (chosen, 1));
  g_assert_null (gtk_list_box_get_row_at_index (chosen, 2));

  merged = ow_catalog_merge_materials (catalog, ids);
  rows = material_rows (&f);
  g_assert_cmpuint (rows->len, ==, merged->len);
  g_assert_cmpuint (rows->len, <,
                    g_list_model_get_n_items (ow_item_get_materials (
                      ow_test_counter_load_item (&f.counter, ids[0])))
                    + g_list_model_get_n_items (ow_item_get_materials (
                      ow_test_counter_load_item (&f.counter, ids[1]))));
  for (guint i = 0; i < rows->len; i++)
    licences += g_strcmp0 (ow_material_get_name (ow_material_row_get_material (rows->pdata[i])),
                           "营业执照") == 0;
  g_assert_cmpuint (licences, ==, 1);

  fill_applicant (&f);
  provide_all (&f);
  kase = accept_and_load (&f);
  g_assert_cmpuint (ow_case_get_items (kase)->len, ==, 2);
  g_assert_cmpuint (ow_case_get_materials (kase)->len, ==, merged->len);
  /* The longest limit of the two: 5 working days. */
  ow_test_today (&today);
  ow_calendar_add_working_days (ow_context_get_calendar (f.counter.context), &today, 5, &promised,
                                NULL);
  g_assert_cmpint (g_date_compare (ow_case_get_promised_date (kase), &promised), ==, 0);
  json = platform_case_json (&f, kase);
  g_assert_nonnull (strstr (json, ids[0]));
  g_assert_nonnull (strstr (json, ids[1]));

  fixture_stop (&f);
}

/* A "one thing" bundle: all its items at once, under its name; one taken off. */
static void
test_bundle (void)
{
  Fixture f = { 0 };
  OwCatalog *catalog;
  OwBundle *bundle;
  GtkListBox *bundles, *chosen;
  GtkLabel *title = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint n;

  fixture_start (&f);
  catalog = ow_context_get_catalog (f.counter.context);
  g_assert_cmpuint (ow_catalog_get_bundles (catalog)->len, >, 0);
  bundle = g_ptr_array_index (ow_catalog_get_bundles (catalog), 0);
  n = g_strv_length (bundle->item_ids);
  g_assert_cmpuint (n, >, 2);

  bundles = ow_test_gui_find_list_with_class (f.counter.window, "ow-bundles");
  g_assert_nonnull (gtk_list_box_get_row_at_index (bundles, 0));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     gtk_list_box_get_row_at_index (bundles, 0))), ==, bundle->name);
  g_signal_emit_by_name (bundles, "row-activated", gtk_list_box_get_row_at_index (bundles, 0));
  ow_test_gui_settle (100);

  chosen = ow_test_gui_find_list_with_class (f.counter.window, "ow-chosen-items");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (chosen)));
  g_assert_nonnull (gtk_list_box_get_row_at_index (chosen, n - 1));
  g_assert_null (gtk_list_box_get_row_at_index (chosen, n));
  labels = ow_test_gui_find_all (f.counter.window, GTK_TYPE_LABEL);
  for (guint i = 0; title == NULL && i < labels->len; i++)
    if (gtk_widget_has_css_class (labels->pdata[i], "title-2"))
      title = labels->pdata[i];
  g_assert_nonnull (title);
  g_assert_cmpstr (gtk_label_get_text (title), ==, bundle->name);
  merged = ow_catalog_merge_materials (catalog, (const char * const *) bundle->item_ids);
  rows = material_rows (&f);
  g_assert_cmpuint (rows->len, ==, merged->len);
  ow_test_gui_settle (300);
  ow_test_gui_screenshot (GTK_WIDGET (f.counter.window), "intake-bundle.png");

  /* What was marked stays marked when the set of items changes. */
  g_assert_true (ow_material_row_set_status (rows->pdata[0], OW_MATERIAL_STATUS_PAPER));
  {
    g_autofree char *kept = g_strdup (ow_material_get_name (ow_material_row_get_material (rows->pdata[0])));
    GtkListBoxRow *last = gtk_list_box_get_row_at_index (chosen, n - 1);
    OwMaterialRow *row;

    g_signal_emit_by_name (ow_test_gui_find_first (last, GTK_TYPE_BUTTON), "clicked");
    ow_test_gui_settle (100);
    g_assert_null (gtk_list_box_get_row_at_index (chosen, n - 1));
    /* No longer the bundle as published: the heading counts the items. */
    g_assert_cmpstr (gtk_label_get_text (title), !=, bundle->name);
    /* The first line comes from the first item, which stays. */
    row = find_material_row (&f, kept);
    g_assert_nonnull (row);
    g_assert_cmpint (ow_material_row_get_status (row), ==, OW_MATERIAL_STATUS_PAPER);
  }

  fixture_stop (&f);
}

/* An agent: their own ID, the authorisation letter a required line, both in the case. */
static void
test_agent (void)
{
  Fixture f = { 0 };
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *json = NULL;
  OwApplicantForm *form;
  OwMaterialRow *letter;
  GtkSwitch *agent_switch;

  fixture_start (&f);
  /* 食品经营许可证核发 lists the letter as optional. */
  choose_result (&f, "01010090046010001001");
  fill_applicant (&f);
  provide_all (&f);
  letter = find_material_row (&f, "授权委托书");
  g_assert_nonnull (letter);

  form = ow_test_gui_find_first (f.counter.window, OW_TYPE_APPLICANT_FORM);
  agent_switch = ow_test_gui_find_first (form, GTK_TYPE_SWITCH);
  gtk_switch_set_active (agent_switch, TRUE);
  ow_test_gui_settle (300);
  g_assert_true (ow_applicant_form_get_has_agent (form));
  letter = find_material_row (&f, "授权委托书");
  g_assert_nonnull (letter);
  g_assert_true (ow_material_get_required (ow_material_row_get_material (letter)));
  /* The agent's fields are empty: no decision yet. */
  g_assert_false (gtk_widget_is_sensitive (f.accept));

  ow_test_gui_type_text (ow_test_gui_find_labelled (f.counter.window, "Agent's name"), "李四");
  ow_test_gui_type_text (ow_test_gui_find_labelled (f.counter.window, "Agent's ID number"),
                         "110105194912310021");
  ow_test_gui_settle (50);
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  ow_test_gui_type_text (ow_test_gui_find_labelled (f.counter.window, "Agent's ID number"),
                         "440524188001010014");
  ow_test_gui_type_text (ow_test_gui_find_labelled (f.counter.window, "Agent's mobile"),
                         "13900139000");
  provide_all (&f);

  kase = accept_and_load (&f);
  g_assert_nonnull (ow_case_get_agent (kase));
  g_assert_cmpstr (ow_case_get_agent (kase)->name, ==, "李四");
  g_assert_cmpstr (ow_case_get_agent (kase)->id_number, ==, "440524188001010014");
  json = platform_case_json (&f, kase);
  g_assert_nonnull (strstr (json, "440524188001010014"));

  fixture_stop (&f);
}

/* ---------------------------------------------------------------------------------------- */
/* Drafts */

static gboolean
draft_holds_name (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GBytes) bytes = ow_store_load_draft (ow_context_get_store (f->counter.context),
                                                 OW_DRAFT_KEEPER_CURRENT, NULL);
  g_autoptr(OwIntakeDraft) draft = bytes != NULL ? ow_intake_draft_deserialize (bytes, NULL)
                                                 : NULL;

  return draft != NULL && draft->applicant != NULL
         && g_strcmp0 (draft->applicant->phone, "13800138000") == 0
         && draft->materials != NULL && draft->materials->len > 0
         && ((OwCaseMaterial *) draft->materials->pdata[0])->status == OW_MATERIAL_STATUS_PAPER;
}

static gboolean
toast_gone (gpointer data)
{
  return !ow_test_gui_toast_with_text (data);
}

static gboolean
draft_holds_new_mobile (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GBytes) bytes = ow_store_load_draft (ow_context_get_store (f->counter.context),
                                                 OW_DRAFT_KEEPER_CURRENT, NULL);
  g_autoptr(OwIntakeDraft) draft = bytes != NULL ? ow_intake_draft_deserialize (bytes, NULL)
                                                 : NULL;

  return draft != NULL && draft->applicant != NULL
         && g_strcmp0 (draft->applicant->phone, "13900139000") == 0;
}

static gboolean
name_is (gpointer data)
{
  const char **wanted = data;
  GtkWidget *window = ow_test_gui_find_toplevel (OW_TYPE_WINDOW);

  return window != NULL
         && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (ow_test_gui_find_labelled (window,
                                                                                    "Name"))),
                       wanted[0]) == 0;
}

/* Every field saved as typed: a second run of the counter on the same store comes back to the
 * form as it was — item, applicant, the material marked. */
static void
test_draft_restore (void)
{
  Fixture f = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *material = NULL;
  const char *wanted[] = { "张三", NULL };
  OwWindow *window;

  fixture_start (&f);
  choose_result (&f, "01010090046010001001");
  fill_applicant (&f);
  rows = material_rows (&f);
  material = g_strdup (ow_material_get_name (ow_material_row_get_material (rows->pdata[0])));
  g_assert_true (ow_material_row_set_status (rows->pdata[0], OW_MATERIAL_STATUS_PAPER));
  g_clear_pointer (&rows, g_ptr_array_unref);
  ow_test_gui_wait_until (draft_holds_name, &f, "the draft to be saved as typed");

  /* The window goes away without a word (nothing is flushed on the way out); a new one on the
   * same store comes back to the form. (One application per test process: it is registered on
   * the session bus; tests/store has the store's own crash test.) */
  gtk_window_destroy (GTK_WINDOW (f.counter.window));
  ow_test_gui_settle (50);
  window = ow_window_new (f.counter.app);
  f.counter.window = window;
  gtk_window_present (GTK_WINDOW (window));
  if (g_strcmp0 (ow_window_get_page (window), "login") == 0)
    ow_test_counter_log_in (&f.counter, "clerk");
  ow_test_gui_wait_until (name_is, wanted, "the form to come back");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ow_test_gui_find_labelled (window,
                                                                                 "ID number"))),
                   ==, "11010519491231002X");
  g_assert_cmpint (ow_material_row_get_status (find_material_row (&f, material)), ==,
                   OW_MATERIAL_STATUS_PAPER);
  {
    const char *toast[] = { "is back", NULL };
    ow_test_gui_wait_until (ow_test_gui_toast_with_text, toast, "the toast saying so");
  }

  /* Clearing the form asks for nothing but offers Undo. (Once the toast above has gone: with
   * libadwaita 1.2, pressing a toast's button while another is leaving crashed the overlay.) */
  {
    const char *toast[] = { "is back", NULL };
    ow_test_gui_wait_until (toast_gone, toast, "the restore toast to go");
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-applicant", NULL);
  ow_test_gui_settle (50);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ow_test_gui_find_labelled (window,
                                                                                 "Name"))),
                   ==, "");
  {
    const char *toast[] = { "Form cleared", NULL };
    ow_test_gui_wait_until (ow_test_gui_toast_with_text, toast, "the toast offering Undo");
  }
  g_signal_emit_by_name (ow_test_gui_find_button (window, "Undo"), "clicked");
  ow_test_gui_wait_until (name_is, wanted, "Undo to bring the form back");

  /* Quitting (Ctrl+Q) in the middle of typing: the windows close and what was typed last is in
   * the store afterwards. (app.quit used to stop the main loop at once, before pending writes.) */
  ow_test_gui_settle (600);
  ow_test_gui_type_text (ow_test_gui_find_labelled (window, "Mobile"), "13900139000");
  g_action_group_activate_action (G_ACTION_GROUP (f.counter.app), "quit", NULL);
  f.counter.window = NULL;
  ow_test_gui_wait_until (draft_holds_new_mobile, &f, "the last keystrokes to be saved on quitting");
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f.counter.app)));

  fixture_stop (&f);
}

static gboolean
parked_count_is (gpointer data)
{
  guint *wanted = data;
  GtkWidget *dialog = ow_test_gui_find_toplevel (OW_TYPE_DRAFTS_DIALOG);
  GtkListBox *list;
  guint n = 0;

  if (dialog == NULL)
    return FALSE;
  list = ow_test_gui_find_list_with_class (dialog, "boxed-list");
  while (gtk_list_box_get_row_at_index (list, n) != NULL
         && gtk_widget_get_visible (GTK_WIDGET (gtk_list_box_get_row_at_index (list, n))))
    n++;
  return n == *wanted;
}

/* Parking: the form is kept aside for the next applicant; resuming it parks whoever is there. */
static void
test_park (void)
{
  Fixture f = { 0 };
  const char *first[] = { "张三", NULL };
  const char *empty[] = { "", NULL };
  GtkWidget *dialog;
  GtkListBox *list;
  guint one = 1;

  fixture_start (&f);
  choose_result (&f, "01010090046010001001");
  fill_applicant (&f);
  gtk_widget_activate_action (GTK_WIDGET (f.counter.window), "win.park", NULL);
  ow_test_gui_wait_until (name_is, empty, "the form to empty when parked");
  g_assert_true (form_cleared (&f));
  {
    const char *toast[] = { "parked", NULL };
    ow_test_gui_wait_until (ow_test_gui_toast_with_text, toast, "the toast saying so");
  }

  /* The next applicant. */
  choose_result (&f, "20100010046010010001");
  ow_test_gui_type_text (ow_test_gui_find_labelled (f.counter.window, "Name"), "李四");

  gtk_widget_activate_action (GTK_WIDGET (f.counter.window), "win.show-parked", NULL);
  ow_test_gui_wait_until (parked_count_is, &one, "the parked applicant to be listed");
  dialog = ow_test_gui_find_toplevel (OW_TYPE_DRAFTS_DIALOG);
  list = ow_test_gui_find_list_with_class (dialog, "boxed-list");
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                              gtk_list_box_get_row_at_index (list, 0))), "张三"));
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  ow_test_gui_wait_until (name_is, first, "the parked applicant to come back");
  g_assert_nonnull (find_material_row (&f, "食品经营许可申请书"));

  /* 李四 was parked in turn: nothing typed is lost. */
  ow_test_gui_settle (300);
  gtk_widget_activate_action (GTK_WIDGET (f.counter.window), "win.show-parked", NULL);
  ow_test_gui_wait_until (parked_count_is, &one, "the other applicant to be parked");
  dialog = ow_test_gui_find_toplevel (OW_TYPE_DRAFTS_DIALOG);
  list = ow_test_gui_find_list_with_class (dialog, "boxed-list");
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                              gtk_list_box_get_row_at_index (list, 0))), "李四"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/intake-items/several-items", test_several_items);
  g_test_add_func ("/intake-items/bundle", test_bundle);
  g_test_add_func ("/intake-items/agent", test_agent);
  g_test_add_func ("/intake-items/draft-restore", test_draft_restore);
  g_test_add_func ("/intake-items/park", test_park);
  return g_test_run ();
}
