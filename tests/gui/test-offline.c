/* test-offline.c — a counter PC restarted while the platform is away, in a real window
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clerk logged in once while the platform answered; the PC restarts with the platform
 * stopped. The catalog is there at once, from the store; the clerk logs in, accepts a case and
 * prints its notice; the platform comes back, the counter logs in again by itself and the case
 * arrives there once. Someone who never logged in here is refused and told why; wrong
 * passwords are limited. A catalog changed on the platform meanwhile comes as a delta.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <sqlite3.h>

#include "core/ow-case.h"
#include "gui/intake/ow-material-row.h"
#include "gui/shell/ow-window.h"
#include "ow-test-catalog.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

#define ITEM_ID "01010090046010001001"

/* ---------------------------------------------------------------------------------------- */
/* What the window shows */

static GtkLabel *
find_link_label (OwWindow *window)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (window, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_text (labels->pdata[i]), "● "))
      return labels->pdata[i];
  g_error ("No status of the platform's link");
  return NULL;
}

typedef struct
{
  OwWindow   *window;
  const char *prefix;
} LabelWait;

static gboolean
link_label_says (gpointer data)
{
  LabelWait *wait = data;

  return g_str_has_prefix (gtk_label_get_text (find_link_label (wait->window)), wait->prefix);
}

static void
wait_for_link_label (OwWindow   *window,
                     const char *prefix)
{
  LabelWait wait = { window, prefix };

  ow_test_gui_wait_until (link_label_says, &wait, prefix);
}

static GtkWidget *
find_visible_error (OwWindow *window)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (window, GTK_TYPE_LABEL);

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

/* Types @password for @username on the log-in page and presses Log In; the error it shows, or
 * NULL once the workspaces show. */
static char *
try_log_in (OwTestCounter *counter,
            const char    *username,
            const char    *password)
{
  GtkWidget *shown = find_visible_error (counter->window);

  if (shown != NULL)
    gtk_widget_set_visible (shown, FALSE);
  ow_test_gui_type_text (ow_test_gui_find_labelled (counter->window, "User name"), username);
  ow_test_gui_type_text (ow_test_gui_find_labelled (counter->window, "Password"), password);
  g_signal_emit_by_name (ow_test_gui_find_button (counter->window, "Log In"), "clicked");
  ow_test_gui_wait_until (login_error_shown, counter->window, "the log-in's answer");
  return g_strdup (gtk_label_get_text (GTK_LABEL (find_visible_error (counter->window))));
}

/* ---------------------------------------------------------------------------------------- */
/* The counter PC: logged in once online, then restarted with the platform stopped */

static void
start_known_counter (OwTestCounter      *counter,
                     OwTestCounterFlags  flags)
{
  ow_test_counter_start_on (counter, flags, ow_test_counter_prepare_known ("clerk"), NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Serving an applicant */

static GPtrArray *
material_rows (OwTestCounter *counter)
{
  return ow_test_gui_find_all (ow_test_gui_find_list_with_class (counter->window,
                                                                 "ow-materials"),
                               OW_TYPE_MATERIAL_ROW);
}

static gboolean
has_material_rows (gpointer data)
{
  g_autoptr(GPtrArray) rows = material_rows (data);

  return rows->len > 0;
}

static gboolean
row_provided (gpointer data)
{
  return ow_material_row_get_provided (data);
}

typedef struct
{
  OwWindow      *window;
  const char    *title;
  GtkListBoxRow *row;   /* out */
} ResultWait;

static gboolean
result_listed (gpointer data)
{
  ResultWait *wait = data;
  GtkListBox *results = ow_test_gui_find_list_with_class (wait->window, "navigation-sidebar");

  for (guint i = 0; gtk_list_box_get_row_at_index (results, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (results, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                     wait->title) == 0)
        {
          wait->row = row;
          return TRUE;
        }
    }
  return FALSE;
}

/* Picks the item through the search (the index comes from the store), fills the applicant,
 * marks every material on paper. */
static void
fill_form (OwTestCounter *counter)
{
  GtkWidget *search = ow_test_gui_find_first (counter->window, GTK_TYPE_SEARCH_ENTRY);
  GtkListBox *results = ow_test_gui_find_list_with_class (counter->window, "navigation-sidebar");
  g_autoptr(GPtrArray) rows = NULL;
  ResultWait wait = { counter->window, NULL, NULL };

  wait.title = ow_catalog_get_item_name (ow_context_get_catalog (counter->context), ITEM_ID);
  ow_test_gui_type_text (search, ITEM_ID);
  ow_test_gui_wait_until (result_listed, &wait, "the search's result");
  g_signal_emit_by_name (results, "row-activated", wait.row);
  /* The item is listed by its summary; its materials come from the store. */
  ow_test_gui_wait_until (has_material_rows, counter, "the item's materials");

  ow_test_gui_type_text (ow_test_gui_find_labelled (counter->window, "ID number"),
                         "11010519491231002X");
  ow_test_gui_type_text (ow_test_gui_find_labelled (counter->window, "Name"), "张三");
  ow_test_gui_type_text (ow_test_gui_find_labelled (counter->window, "Mobile"), "13800138000");
  rows = material_rows (counter);
  for (guint i = 0; i < rows->len; i++)
    {
      OwMaterialRow *material = rows->pdata[i];

      if (ow_material_row_get_provided (material))
        continue;
      g_assert_true (ow_material_row_set_status (material, OW_MATERIAL_STATUS_PAPER));
      ow_test_gui_wait_until (row_provided, material, "a material to count as provided");
    }
}

static gboolean
one_case_kept (gpointer data)
{
  OwTestCounter *counter = data;
  g_autoptr(GPtrArray) cases = ow_store_list_cases (ow_context_get_store (counter->context), 0,
                                                    10, NULL);

  return cases != NULL && cases->len == 1;
}

static gboolean
session_online (gpointer data)
{
  return ow_context_get_session_mode (data) == OW_SESSION_ONLINE;
}

static gboolean
outbox_empty (gpointer data)
{
  return ow_sync_get_pending (data) == 0;
}

/* The platform's cases with @case_no: GET /api/v1/cases lists each once. */
static guint
count_platform_cases (OwTestCounter *counter,
                      const char    *case_no)
{
  g_autoptr(OwTestResponse) list = ow_test_counter_get (counter, "supervisor",
                                                        "/api/v1/cases?limit=100");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (list->json), "cases");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (cases); i++)
    n += g_strcmp0 (json_object_get_string_member (json_array_get_object_element (cases, i),
                                                   "case_no"), case_no) == 0;
  return n;
}

static void
test_serve_and_drain (void)
{
  OwTestCounter counter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *case_path = NULL;
  g_autoptr(OwTestResponse) platform_case = NULL;
  OwCatalog *catalog;
  const char *case_no;
  GtkWidget *accept;

  start_known_counter (&counter, OW_TEST_COUNTER_PRINTER);
  if (counter.printer == NULL)
    {
      ow_test_counter_stop (&counter);
      g_test_skip ("ippeveprinter is not installed");
      return;
    }

  /* The catalog is there before anything answered: from the store. */
  catalog = ow_context_get_catalog (counter.context);
  g_assert_nonnull (catalog);
  g_assert_cmpuint (ow_catalog_get_n_items (catalog), >, 100);
  g_assert_cmpint (ow_context_get_link_state (counter.context), !=, OW_LINK_ONLINE);
  /* Before log-in the link is "not yet connected"; the probe then tells the outage. */
  wait_for_link_label (counter.window, "● Offline since");

  ow_test_counter_log_in (&counter, "clerk");
  g_assert_cmpint (ow_context_get_session_mode (counter.context), ==, OW_SESSION_OFFLINE);
  g_assert_cmpstr (ow_context_get_user (counter.context)->display_name, ==, "王小明");
  wait_for_link_label (counter.window, "● Offline since");

  fill_form (&counter);
  accept = ow_test_gui_find_button (counter.window, "Accept and Print Notice");
  ow_test_gui_settle (100);
  g_assert_true (gtk_widget_is_sensitive (accept));
  gtk_widget_activate_action (GTK_WIDGET (counter.window), "win.accept", NULL);
  ow_test_gui_wait_until (one_case_kept, &counter, "the case to be kept");
  ow_test_gui_wait_until (ow_test_gui_spool_has_pdf, counter.spool, "the notice to print");

  cases = ow_store_list_cases (ow_context_get_store (counter.context), 0, 10, &error);
  g_assert_no_error (error);
  case_no = ow_case_get_case_no (g_ptr_array_index (cases, 0));
  pdf = ow_test_gui_find_spooled_pdf (counter.spool);
  text = ow_test_gui_pdf_text (pdf);
  {
    g_autofree char *squeezed = ow_test_gui_squeeze_spaces (text);

    g_assert_nonnull (strstr (squeezed, "受理通知书"));
    g_assert_nonnull (strstr (squeezed, "张三"));
  }
  g_assert_cmpuint (ow_sync_get_pending (ow_context_get_sync (counter.context)), >=, 1);

  /* The platform comes back: the counter notices, logs in again with the password it held,
   * the outbox drains, and the case is there once. */
  g_assert_true (ow_test_platform_restart (counter.platform, &error));
  g_assert_no_error (error);
  ow_test_gui_wait_until (session_online, counter.context, "the counter to log in again");
  wait_for_link_label (counter.window, "● Online");
  ow_test_gui_wait_until (outbox_empty, ow_context_get_sync (counter.context),
                          "the outbox to drain");
  case_path = g_strdup_printf ("/api/v1/cases/%s", case_no);
  platform_case = ow_test_counter_get (&counter, "clerk", case_path);
  g_assert_cmpstr (ow_test_response_get_string (platform_case, "state"), ==, "accepted");
  g_assert_cmpuint (count_platform_cases (&counter, case_no), ==, 1);

  ow_test_counter_stop (&counter);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_refused (void)
{
  OwTestCounter counter = { 0 };
  g_autofree char *never = NULL;
  g_autofree char *locked = NULL;

  start_known_counter (&counter, OW_TEST_COUNTER_DEFAULT);

  never = try_log_in (&counter, "pickup", "demo");
  g_assert_nonnull (strstr (never, "“pickup” has never logged in at this PC"));
  g_assert_cmpstr (ow_window_get_page (counter.window), ==, "login");

  for (guint i = 1; i < 5; i++)
    {
      g_autofree char *wrong = try_log_in (&counter, "clerk", "not-the-password");
      g_autofree char *left = g_strdup_printf ("%u more wrong tr", 5 - i);

      g_assert_true (g_str_has_prefix (wrong, "Wrong password."));
      g_assert_nonnull (strstr (wrong, left));
    }
  locked = try_log_in (&counter, "clerk", "not-the-password");
  g_assert_nonnull (strstr (locked, "locked on this PC until"));
  g_clear_pointer (&locked, g_free);
  /* Locked means locked: the right password too, until the time is up or the platform
   * answers. */
  locked = try_log_in (&counter, "clerk", "demo");
  g_assert_nonnull (strstr (locked, "locked on this PC until"));
  g_assert_null (ow_context_get_user (counter.context));

  ow_test_counter_stop (&counter);
}

/* ---------------------------------------------------------------------------------------- */

static guint
kept_generation (OwTestCounter *counter)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint generation;

  g_assert_cmpint (sqlite3_open_v2 (counter->store_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = "
                                           "'catalog-generation'", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  generation = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return generation;
}

/* Both years of the calendar kept with the ETag they came with, for the next log-in to ask
 * with. */
static gboolean
calendar_kept_with_etags (gpointer data)
{
  OwTestCounter *counter = data;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_open_v2 (counter->store_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM calendar_years WHERE "
                                           "etag LIKE '\"%\"'", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n >= 2;
}

typedef struct
{
  OwContext *context;
  gint64     revision;
} RevisionWait;

static gboolean
catalog_at (gpointer data)
{
  RevisionWait *wait = data;
  OwCatalog *catalog = ow_context_get_catalog (wait->context);

  return catalog != NULL && ow_catalog_get_revision (catalog) == wait->revision;
}

static gboolean
index_follows (gpointer data)
{
  OwContext *context = data;
  OwItemIndex *index = ow_context_get_item_index (context);

  return index != NULL
         && ow_item_index_get_n_items (index) == ow_catalog_get_n_items (
              ow_context_get_catalog (context));
}

/* The platform's administrator imports the catalog @spec describes. */
static void
publish_catalog (OwTestCounter           *counter,
                 const OwTestCatalogSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) admin = NULL;
  g_autofree char *name = g_strdup_printf ("catalog-%" G_GINT64_FORMAT ".json", spec->revision);
  g_autofree char *path = g_build_filename (ow_test_platform_get_tmp_dir (counter->platform),
                                            name, NULL);

  g_assert_true (ow_test_catalog_write (path, spec, &error));
  g_assert_no_error (error);
  admin = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                            g_getenv ("OW_PLATFORM_BINARY"), "admin", "--db",
                            ow_test_platform_get_db_path (counter->platform),
                            "import-catalog", path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (admin, NULL, &error));
  g_assert_no_error (error);
}

/* The intake page's list of items (the search's results). */
static GtkListBox *
intake_results (OwTestCounter *counter)
{
  return ow_test_gui_find_list_with_class (counter->window, "navigation-sidebar");
}

static guint
row_item_number (GtkListBoxRow *row)
{
  OwItem *item = g_object_get_data (G_OBJECT (row), "ow-item");

  g_assert_nonnull (item);
  g_assert_true (g_str_has_prefix (ow_item_get_id (item), "G"));
  return (guint) g_ascii_strtoull (ow_item_get_id (item) + 1, NULL, 10);
}

/* The catalog kept is shown at start before anything answered; a revision published meanwhile
 * comes as a delta once the platform answers, and the search follows; a revision published
 * while logged in renames items under their ids, and the rows shown follow. */
static void
test_catalog (void)
{
  OwTestCounter counter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *name = NULL;
  g_autofree char *renamed = NULL;
  g_autofree char *old_name = NULL;
  OwTestCatalogSpec spec = { .first = 0, .n_items = 200, .revision = 2, .seed = 5 };
  OwTestCatalogSpec renaming = { .first = 0, .n_items = 200, .revision = 3, .seed = 5,
                                 .renamed_every = 10 };
  RevisionWait at_two, at_three;
  ResultWait wait = { NULL, NULL, NULL };
  GtkListBoxRow *last;
  guint n_rows;
  guint generation;
  OwCatalog *kept;

  start_known_counter (&counter, OW_TEST_COUNTER_DEFAULT);
  kept = ow_context_get_catalog (counter.context);
  g_assert_nonnull (kept);
  g_assert_cmpint (ow_catalog_get_revision (kept), ==, 1);
  g_assert_cmpint (ow_context_get_link_state (counter.context), !=, OW_LINK_ONLINE);
  ow_test_gui_wait_until (index_follows, counter.context, "the search index from the store");
  generation = kept_generation (&counter);

  /* The platform comes back and publishes revision 2: 200 other items. */
  g_assert_true (ow_test_platform_restart (counter.platform, &error));
  g_assert_no_error (error);
  publish_catalog (&counter, &spec);

  ow_test_counter_log_in (&counter, "clerk");
  g_assert_cmpint (ow_context_get_session_mode (counter.context), ==, OW_SESSION_ONLINE);
  at_two.context = counter.context;
  at_two.revision = 2;
  ow_test_gui_wait_until (catalog_at, &at_two, "the catalog's delta");
  g_assert_cmpuint (ow_catalog_get_n_items (ow_context_get_catalog (counter.context)), ==, 200);
  /* A delta: applied to the catalog kept, not downloaded whole into a new one. */
  g_assert_cmpuint (kept_generation (&counter), ==, generation);
  ow_test_gui_wait_until (index_follows, counter.context, "the index of the new catalog");
  name = ow_test_catalog_item_name (&spec, 30);
  results = ow_item_index_search (ow_context_get_item_index (counter.context), name, NULL, 5,
                                  NULL);
  g_assert_cmpuint (results->len, >=, 1);
  g_assert_cmpstr (ow_item_get_id (g_ptr_array_index (results, 0)), ==, "G00000030");
  ow_test_gui_wait_until (calendar_kept_with_etags, &counter, "the calendar kept with its tags");

  /* The intake page lists the new catalog, in its order, the search being empty. */
  old_name = ow_test_catalog_item_name (&spec, 0);
  wait.window = counter.window;
  wait.title = old_name;
  ow_test_gui_wait_until (result_listed, &wait, "the first item of the new catalog listed");
  for (n_rows = 0; gtk_list_box_get_row_at_index (intake_results (&counter), n_rows) != NULL;
       n_rows++)
    ;
  last = gtk_list_box_get_row_at_index (intake_results (&counter), n_rows - 1);
  g_assert_cmpuint (row_item_number (last) % renaming.renamed_every, !=, 0);

  /* Revision 3, published while the clerk works: every tenth item renamed. */
  publish_catalog (&counter, &renaming);
  at_three.context = counter.context;
  at_three.revision = 3;
  ow_test_gui_wait_until (catalog_at, &at_three, "the delta of the renamed items");
  ow_test_gui_wait_until (index_follows, counter.context, "the index of the renamed items");
  renamed = ow_test_catalog_item_name (&renaming, 0);
  g_assert_cmpstr (renamed, !=, old_name);
  wait.title = renamed;
  wait.row = NULL;
  ow_test_gui_wait_until (result_listed, &wait, "the renamed item's row");
  wait.title = old_name;
  g_assert_false (result_listed (&wait));
  /* The rows of items that did not change are not built again. */
  g_assert_true (gtk_list_box_get_row_at_index (intake_results (&counter), n_rows - 1) == last);

  ow_test_counter_stop (&counter);
}

/* The search index kept beside the catalog, as a start finds it: its bytes, or NULL. */
static GBytes *
kept_index (const char *store_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GBytes *data = NULL;

  g_assert_cmpint (sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT data FROM catalog_index WHERE stamp = "
                                           "(SELECT value FROM meta WHERE key = 'catalog-stamp')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    data = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return data;
}

static gboolean
index_kept (gpointer data)
{
  g_autoptr(GBytes) kept = kept_index (data);

  return kept != NULL && g_bytes_get_size (kept) > 16;
}

/* A start reads the index kept with the catalog's stamp; one damaged (a disk's bad sector, a
 * build that lays it out otherwise) is refused, built again from the catalog and kept again:
 * the search answers all the same, and the next start reads the new one. */
static void
test_damaged_index (void)
{
  OwTestCounter counter = { 0 };
  OwTestPlatform *platform = ow_test_counter_prepare_known ("clerk");
  g_autofree char *store_path = g_build_filename (ow_test_platform_get_tmp_dir (platform),
                                                  "counter", "onewindow.db", NULL);
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GBytes) rebuilt = NULL;
  g_autoptr(GPtrArray) results = NULL;
  sqlite3 *db = NULL;

  ow_test_gui_wait_until (index_kept, store_path, "the index kept by the first log-in");
  good = kept_index (store_path);
  /* Its header's magic overwritten, the stamp left as it is. */
  g_assert_cmpint (sqlite3_open (store_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE catalog_index SET data = "
                                     "X'00000000' || substr (data, 5)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);

  ow_test_counter_start_on (&counter, OW_TEST_COUNTER_DEFAULT, platform, NULL);
  g_assert_nonnull (ow_context_get_catalog (counter.context));
  ow_test_gui_wait_until (index_follows, counter.context, "the index built again");
  results = ow_item_index_search (ow_context_get_item_index (counter.context), "yyzz", NULL, 5,
                                  NULL);
  g_assert_cmpuint (results->len, >=, 1);
  /* Kept again, as it was before the damage (usage is never part of it). */
  ow_test_gui_wait_until (index_kept, store_path, "the index kept again");
  rebuilt = kept_index (store_path);
  g_assert_true (g_bytes_equal (rebuilt, good));
  ow_test_counter_stop (&counter);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/offline/serve-and-drain", test_serve_and_drain);
  g_test_add_func ("/offline/refused", test_refused);
  g_test_add_func ("/offline/catalog", test_catalog);
  g_test_add_func ("/offline/damaged-index", test_damaged_index);
  return g_test_run ();
}
