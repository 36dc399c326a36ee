/* test-roles.c — each role of the hall logs in and finds exactly its workspaces and actions
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real platform: the demo's clerk, pick-up, supervisor and department users, and
 * users the platform's admin command makes for the occasion (two roles at once; only "admin",
 * which this app does not serve; a clerk without a counter). For each: the pages the window
 * shows, whether the view switcher is there, which actions the menu and the shortcuts offer on
 * each workspace, and which groups the shortcuts window shows. A screenshot per role goes to
 * the build folder.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "core/ow-case-number.h"
#include "core/ow-catalog.h"
#include "core/ow-item.h"
#include "gui/cases/ow-cases-page.h"
#include "gui/shell/ow-window.h"
#include "gui/shell/ow-workspace.h"
#include "net/ow-json.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

static const char * const all_workspaces[] = { "intake", "pickup", "overview", "cases",
                                               "tickets", NULL };
static const char * const intake_actions[] = { "win.accept", "win.new-applicant", "win.park",
                                               "win.show-parked", "win.consult",
                                               "win.returning-case", "win.reprint",
                                               "win.preview", NULL };

static void
create_user (OwTestCounter      *counter,
             const char         *name,
             const char * const *roles,
             const char         *counter_number)
{
  const char *binary = g_getenv ("OW_PLATFORM_BINARY");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  g_ptr_array_add (argv, (char *) "admin");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) ow_test_platform_get_db_path (counter->platform));
  g_ptr_array_add (argv, (char *) "create-user");
  g_ptr_array_add (argv, (char *) name);
  for (guint i = 0; roles[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) "--role");
      g_ptr_array_add (argv, (char *) roles[i]);
    }
  g_ptr_array_add (argv, (char *) "--display-name");
  g_ptr_array_add (argv, (char *) "林晓");
  if (counter_number != NULL)
    {
      g_ptr_array_add (argv, (char *) "--counter");
      g_ptr_array_add (argv, (char *) counter_number);
    }
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "demo\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("create-user %s: %s%s", name, out, err);
}

static AdwViewStack *
view_stack (OwTestCounter *counter)
{
  return ow_test_gui_find_first (counter->window, ADW_TYPE_VIEW_STACK);
}

/* The workspaces the window offers, in its order, as one string ("intake tickets"). */
static char *
visible_workspaces (OwTestCounter *counter)
{
  AdwViewStack *stack = view_stack (counter);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; all_workspaces[i] != NULL; i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (stack, all_workspaces[i]);

      g_assert_nonnull (child);
      if (adw_view_stack_page_get_visible (adw_view_stack_get_page (stack, child)))
        g_string_append_printf (names, "%s%s", names->len > 0 ? " " : "", all_workspaces[i]);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
check_shortcuts (OwTestCounter *counter,
                 const char    *workspace,
                 gboolean       registers)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (
                                  GTK_APPLICATION_WINDOW (counter->window));
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *view = NULL;
  gboolean saw_register = FALSE, saw_intake = FALSE;

  g_assert_nonnull (overlay);
  g_object_get (overlay, "view-name", &view, NULL);
  g_assert_cmpstr (view, ==, workspace);
  groups = ow_test_gui_find_all (overlay, GTK_TYPE_SHORTCUTS_GROUP);
  for (guint i = 0; i < groups->len; i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *group_view = NULL;

      g_object_get (g_ptr_array_index (groups, i), "title", &title, "view", &group_view, NULL);
      if (g_strcmp0 (title, "Unfinished Business") == 0)
        {
          saw_register = TRUE;
          g_assert_cmpint (gtk_widget_get_visible (g_ptr_array_index (groups, i)), ==,
                           registers);
        }
      if (g_strcmp0 (group_view, "intake") == 0)
        {
          /* The intake counter's shortcuts only where it is shown. */
          saw_intake = TRUE;
          g_assert_cmpint (gtk_widget_get_visible (g_ptr_array_index (groups, i)), ==,
                           g_str_equal (workspace, "intake"));
        }
    }
  g_assert_true (saw_register);
  g_assert_true (saw_intake);
}

typedef struct
{
  const char *user;
  const char *workspaces;   /* what the window offers, in order */
  const char *first;        /* the workspace shown after log-in */
  gboolean    registers;    /* may register unfinished business */
} RoleCase;

static GtkWidget *
status_bar (OwTestCounter *counter)
{
  g_autoptr(GPtrArray) boxes = ow_test_gui_find_all (counter->window, GTK_TYPE_BOX);

  for (guint i = 0; i < boxes->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (boxes, i), "ow-status-bar"))
      return g_ptr_array_index (boxes, i);
  g_assert_not_reached ();
}

/* Whether the window's action @detailed is enabled. Class actions have no public getter, so
 * ask as a menu item does: a button bound to the action is sensitive exactly when it is
 * enabled. The probe sits in the status bar for the moment of the question. */
static gboolean
action_is_enabled (OwTestCounter *counter,
                   const char    *detailed)
{
  GtkWidget *bar = status_bar (counter);
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), detailed);
  gtk_box_append (GTK_BOX (bar), probe);
  enabled = gtk_widget_is_sensitive (probe);
  gtk_box_remove (GTK_BOX (bar), probe);
  return enabled;
}

static gboolean
no_transition_running (gpointer data)
{
  g_autoptr(GPtrArray) stacks = ow_test_gui_find_all (data, GTK_TYPE_STACK);

  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_transition_running (g_ptr_array_index (stacks, i)))
      return FALSE;
  return TRUE;
}

/* A screenshot of the window once the log-in page has faded out. */
static void
screenshot (OwTestCounter *counter,
            const char    *name)
{
  ow_test_gui_wait_until (no_transition_running, counter->window, "the pages to settle");
  ow_test_gui_settle (100);
  ow_test_gui_screenshot (GTK_WIDGET (counter->window), name);
}

static void
check_role (OwTestCounter  *counter,
            const RoleCase *role)
{
  g_autofree char *shown = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *name = NULL;

  g_test_message ("as %s", role->user);
  ow_test_counter_log_in (counter, role->user);
  shown = visible_workspaces (counter);
  g_assert_cmpstr (shown, ==, role->workspaces);
  g_assert_cmpstr (ow_window_get_workspace (counter->window), ==, role->first);
  names = g_strsplit (role->workspaces, " ", -1);
  /* A switcher only when there is more than one workspace. */
  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (ow_test_gui_find_first (
                     counter->window, ADW_TYPE_VIEW_SWITCHER))), ==, g_strv_length (names) > 1);

  name = g_strdup_printf ("roles-%s.png", role->user);
  screenshot (counter, name);

  /* Every workspace of the role in turn: intake actions only on the intake page. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      adw_view_stack_set_visible_child_name (view_stack (counter), names[i]);
      g_assert_cmpstr (ow_window_get_workspace (counter->window), ==, names[i]);
      for (guint j = 0; intake_actions[j] != NULL; j++)
        g_assert_cmpint (action_is_enabled (counter, intake_actions[j]), ==,
                         g_str_equal (names[i], "intake"));
      g_assert_cmpint (action_is_enabled (counter, "win.register-ticket"), ==, role->registers);
      g_assert_true (action_is_enabled (counter, "win.logout"));
      check_shortcuts (counter, names[i], role->registers);
    }

  gtk_widget_activate_action (GTK_WIDGET (counter->window), "win.logout", NULL);
  ow_test_gui_settle (50);
  g_assert_cmpstr (ow_window_get_page (counter->window), ==, "login");
  g_assert_null (ow_window_get_workspace (counter->window));
  for (guint j = 0; intake_actions[j] != NULL; j++)
    g_assert_false (action_is_enabled (counter, intake_actions[j]));
  g_assert_false (action_is_enabled (counter, "win.register-ticket"));
  g_assert_false (action_is_enabled (counter, "win.logout"));
}

static void
test_demo_roles (void)
{
  OwTestCounter counter = { 0 };
  const RoleCase roles[] = {
    { "clerk",      "intake tickets",   "intake",   TRUE },
    { "pickup",     "pickup tickets",   "pickup",   TRUE },
    { "supervisor", "overview tickets", "overview", TRUE },
    { "department", "cases tickets",    "cases",    FALSE },
  };

  ow_test_counter_start (&counter, OW_TEST_COUNTER_DEFAULT, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    check_role (&counter, &roles[i]);
  ow_test_counter_stop (&counter);
}

static void
test_several_roles (void)
{
  OwTestCounter counter = { 0 };
  const char * const duty[] = { "pickup", "supervisor", NULL };
  const char * const desk[] = { "clerk", NULL };
  const RoleCase union_of_two = { "duty", "pickup overview tickets", "pickup", TRUE };
  const RoleCase no_counter = { "desk", "tickets", "tickets", TRUE };

  ow_test_counter_start (&counter, OW_TEST_COUNTER_DEFAULT, NULL);
  /* Two roles: the union of their workspaces, in the window's order. */
  create_user (&counter, "duty", duty, NULL);
  check_role (&counter, &union_of_two);
  /* A clerk without a counter cannot number cases: no intake, and the toast says why. */
  create_user (&counter, "desk", desk, NULL);
  check_role (&counter, &no_counter);
  ow_test_counter_stop (&counter);
}

static gboolean
login_error_shown (gpointer data)
{
  OwTestCounter *counter = data;
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (counter->window, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, "error") && gtk_widget_get_visible (label)
          && strstr (gtk_label_get_text (GTK_LABEL (label)), "none of the roles") != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Only a user with no role this app serves is refused, and told what to do. */
static void
test_no_role (void)
{
  OwTestCounter counter = { 0 };
  const char * const admin[] = { "admin", NULL };

  ow_test_counter_start (&counter, OW_TEST_COUNTER_DEFAULT, NULL);
  create_user (&counter, "keeper", admin, NULL);
  ow_test_gui_type_text (ow_test_gui_find_labelled (counter.window, "User name"), "keeper");
  ow_test_gui_type_text (ow_test_gui_find_labelled (counter.window, "Password"), "demo");
  g_signal_emit_by_name (ow_test_gui_find_button (counter.window, "Log In"), "clicked");
  ow_test_gui_wait_until (login_error_shown, &counter, "the refusal of a user with no role");
  g_assert_cmpstr (ow_window_get_page (counter.window), ==, "login");
  g_assert_null (ow_window_get_workspace (counter.window));
  g_assert_false (action_is_enabled (&counter, "win.logout"));
  ow_test_counter_stop (&counter);
}

static gboolean
cases_page_loaded (gpointer data)
{
  return ow_cases_page_is_loaded (data);
}

/* Whether a label under @root that is drawn reads @text. */
static gboolean
shows_text (gpointer    root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0
        && gtk_widget_is_drawable (g_ptr_array_index (labels, i)))
      return TRUE;
  return FALSE;
}

static gboolean
case_view_loaded (gpointer data)
{
  return ow_case_view_is_loaded (data);
}

/* A clerk's case of the first item of each department of the catalog, accepted: whatever
 * department the department user belongs to, some of its cases are on the platform, and some
 * of others. Returns how many were put. */
static guint
put_case_of_each_department (OwTestCounter *counter)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ow_test_platform_login (counter->platform, "clerk", "demo", &error);
  g_autoptr(OwTestResponse) catalog_answer = NULL;
  g_autoptr(OwCatalog) catalog = NULL;
  g_autoptr(GHashTable) departments = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *items;
  guint n = 0;

  g_assert_no_error (error);
  catalog_answer = ow_test_platform_request (counter->platform, "GET", "/api/v1/catalog", token,
                                             NULL, &error);
  g_assert_no_error (error);
  catalog = ow_json_to_catalog (catalog_answer->json, &error);
  g_assert_no_error (error);
  items = ow_catalog_get_items (catalog);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OwItem) item = g_list_model_get_item (items, i);
      g_autoptr(OwCase) kase = NULL;
      g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(OwTestResponse) answer = NULL;
      g_autofree char *case_no = NULL;
      g_autofree char *body = NULL;
      g_autofree char *path = NULL;
      GDate today;

      if (!g_hash_table_add (departments, (gpointer) ow_item_get_department (item)))
        continue;
      ow_test_today (&today);
      case_no = ow_case_number_make ("46010001", 7, &today, 900 + n, &error);
      g_assert_no_error (error);
      kase = ow_case_new (case_no);
      ow_case_set_query_code (kase, "K7Q2MX");
      applicant->name = g_strdup ("张三");
      applicant->id_number = g_strdup ("11010519491231002X");
      applicant->phone = g_strdup ("13800138000");
      ow_case_set_applicant (kase, applicant);
      ow_case_set_origin (kase, "46010001", 7, "clerk");
      ow_case_set_received_at (kase, now);
      ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (item),
                                                ow_item_get_basic_code (item),
                                                ow_item_get_name (item),
                                                ow_item_get_department (item)));
      ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
      node = ow_json_from_case (kase);
      body = ow_json_to_canonical (node);
      path = g_strconcat ("/api/v1/cases/", case_no, NULL);
      answer = ow_test_platform_request (counter->platform, "PUT", path, token, body, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (answer->status, ==, 201);
      n++;
    }
  return n;
}

/* The department's own cases: the page lists what the platform shows this user, no more, no
 * less (the platform decides what a department may see), and opens one with its timeline. */
static void
test_department_cases (void)
{
  OwTestCounter counter = { 0 };
  g_autoptr(OwTestResponse) answer = NULL;
  OwCasesPage *page;
  JsonArray *cases;

  ow_test_counter_start (&counter, OW_TEST_COUNTER_DEFAULT, NULL);
  g_assert_cmpuint (put_case_of_each_department (&counter), >, 1);
  answer = ow_test_counter_get (&counter, "department", "/api/v1/cases?limit=50");
  cases = json_object_get_array_member (json_node_get_object (answer->json), "cases");
  g_assert_cmpuint (json_array_get_length (cases), >, 0);

  ow_test_counter_log_in (&counter, "department");
  /* The header says whose cases these are. */
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (
                              ow_test_gui_find_first (counter.window, ADW_TYPE_WINDOW_TITLE)),
                            ow_context_get_user (counter.context)->department));
  page = ow_test_gui_find_first (counter.window, OW_TYPE_CASES_PAGE);
  g_assert_nonnull (page);
  ow_test_gui_wait_until (cases_page_loaded, page, "the department's cases to be listed");
  g_assert_cmpuint (ow_cases_page_get_n_rows (page), ==, json_array_get_length (cases));

  /* The first opens with its details and its (empty) timeline. */
  {
    GtkListBox *list = ow_test_gui_find_first (page, GTK_TYPE_LIST_BOX);
    const char *first = json_object_get_string_member (
                          json_array_get_object_element (cases, 0), "case_no");

    gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 0));
    g_assert_cmpstr (ow_case_view_get_case_no (ow_cases_page_get_view (page)), ==, first);
    ow_test_gui_wait_until (case_view_loaded, ow_cases_page_get_view (page),
                            "the case's timeline");
    g_assert_true (shows_text (page, "Nothing has happened to the case since it was received."));
    g_assert_true (shows_text (page, "Received"));
  }
  screenshot (&counter, "roles-department-cases.png");
  ow_test_counter_stop (&counter);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/roles/demo-roles", test_demo_roles);
  g_test_add_func ("/roles/several-roles", test_several_roles);
  g_test_add_func ("/roles/no-role", test_no_role);
  g_test_add_func ("/roles/department-cases", test_department_cases);
  return g_test_run ();
}
