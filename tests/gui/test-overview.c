/* test-overview.c — the hall supervisor's overview in the counter window, against the real
 * platform with a seeded past on a set clock
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The platform runs with --demo-history and --now, so that the demo hall has weeks of cases,
 * some of them late, ratings and follow-ups. The supervisor logs in; each test then checks what
 * the overview shows against what the platform answers over HTTP to the same questions: the
 * deadlines' counts and each late case's working days, the queues' groups and the lists they
 * open, ratings and their follow-up (registered through the sync engine), the reform's
 * indicators; exports; the figures kept when the platform goes away. Screenshots of each section
 * go to the build folder.
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include <glib/gi18n-lib.h>

#include "gui/cases/ow-case-view.h"
#include "gui/supervisor/ow-overview-case-list.h"
#include "gui/supervisor/ow-overview-page.h"
#include "gui/supervisor/ow-overview-private.h"
#include "gui/widgets/ow-chart.h"
#include "net/ow-json.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

#define NOW "2026-12-10T09:00:00+08:00"

static const char * const platform_args[] = { "--demo-history", "--demo-delay", "3600", "--now",
                                              NOW, NULL };

/* Helpers ---------------------------------------------------------------------------------- */

static OwOverviewPage *
overview_page (OwTestCounter *counter)
{
  return ow_test_gui_find_first (counter->window, OW_TYPE_OVERVIEW_PAGE);
}

static gboolean
statistics_arrived (gpointer data)
{
  OwOverviewPage *page = data;
  OwOverviewData *overview = ow_overview_page_get_data (page);

  return overview != NULL && !ow_overview_data_get_loading (overview) &&
         ow_overview_data_get_statistics (overview, NULL) != NULL;
}

static gboolean
list_loaded (gpointer data)
{
  return ow_overview_case_list_is_loaded (data);
}

static void
start (OwTestCounter *counter)
{
  OwOverviewPage *page;

  ow_test_counter_start_with_args (counter, OW_TEST_COUNTER_DEFAULT, NULL, platform_args);
  ow_test_counter_log_in (counter, "supervisor");
  g_assert_cmpstr (ow_window_get_workspace (counter->window), ==, "overview");
  page = overview_page (counter);
  g_assert_nonnull (page);
  ow_test_gui_wait_until (statistics_arrived, page, "the platform's statistics");
}

/* The platform's own answer to @path, as the supervisor. */
static JsonObject *
platform_get (OwTestCounter   *counter,
              const char      *path,
              OwTestResponse **keep)
{
  *keep = ow_test_counter_get (counter, "supervisor", path);
  return json_node_get_object ((*keep)->json);
}

static GType
section_type (const char *section)
{
  if (g_str_equal (section, "queues"))
    return OW_TYPE_OVERVIEW_QUEUES;
  if (g_str_equal (section, "deadlines"))
    return OW_TYPE_OVERVIEW_DEADLINES;
  if (g_str_equal (section, "ratings"))
    return OW_TYPE_OVERVIEW_RATINGS;
  return OW_TYPE_OVERVIEW_INDICATORS;
}

/* Shows @section and gives its widget. */
static GtkWidget *
show_section (OwOverviewPage *page,
              const char     *section)
{
  GtkWidget *widget;

  ow_overview_page_set_section (page, section);
  g_assert_cmpstr (ow_overview_page_get_section (page), ==, section);
  widget = ow_test_gui_find_first (page, section_type (section));
  g_assert_true (gtk_widget_get_mapped (widget));
  return widget;
}

static OwOverviewCaseList *
section_list (OwOverviewPage *page,
              const char     *section)
{
  return ow_test_gui_find_first (show_section (page, section), OW_TYPE_OVERVIEW_CASE_LIST);
}

/* After the window's transitions, which the log-in's fade is the longest of. */
static void
screenshot (OwTestCounter *counter,
            const char    *name)
{
  ow_test_gui_settle (1000);
  ow_test_gui_screenshot (GTK_WIDGET (counter->window), name);
}

/* Deadlines -------------------------------------------------------------------------------- */

/* The deadlines say what the platform's statistics say, and each overdue case listed is as many
 * working days late as the platform counted. */
static void
test_deadlines (void)
{
  OwTestCounter counter = { 0 };
  g_autoptr(OwTestResponse) r = NULL;
  g_autoptr(GHashTable) late = g_hash_table_new (g_str_hash, g_str_equal);
  OwOverviewPage *page;
  OwOverviewCaseList *list;
  OwStatistics *statistics;
  JsonObject *platform;
  JsonArray *overdue_cases;
  guint checked = 0;

  start (&counter);
  page = overview_page (&counter);
  statistics = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);
  platform = platform_get (&counter, "/api/v1/statistics?due_within=2", &r);
  g_assert_cmpint (statistics->overdue, ==,
                   json_object_get_int_member (json_object_get_object_member (platform,
                                                                              "deadlines"),
                                               "overdue"));
  g_assert_cmpint (statistics->overdue, >, 0);
  g_assert_cmpint (statistics->due_soon, ==,
                   json_object_get_int_member (json_object_get_object_member (platform,
                                                                              "deadlines"),
                                               "due_soon"));
  overdue_cases = json_object_get_array_member (json_object_get_object_member (platform, "cases"),
                                                "overdue_cases");
  for (guint i = 0; i < json_array_get_length (overdue_cases); i++)
    {
      JsonObject *item = json_array_get_object_element (overdue_cases, i);

      g_hash_table_insert (late, (gpointer) json_object_get_string_member (item, "case_no"),
                           GINT_TO_POINTER (json_object_get_int_member (item,
                                                                        "working_days_late")));
    }

  /* The summary button says the platform's count, above what it counts. */
  {
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT "\nOverdue",
                                                 statistics->overdue);
    GtkWidget *deadlines = ow_test_gui_find_first (page, OW_TYPE_OVERVIEW_DEADLINES);
    g_autoptr(GPtrArray) buttons = ow_test_gui_find_all (deadlines, GTK_TYPE_TOGGLE_BUTTON);
    GtkWidget *label;

    g_assert_cmpuint (buttons->len, ==, 4);
    label = gtk_button_get_child (GTK_BUTTON (g_ptr_array_index (buttons, 0)));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, expected);
  }

  /* The overdue list: every case the statistics count, each as late as the platform says. */
  list = section_list (page, "deadlines");
  g_assert_nonnull (list);
  ow_test_gui_wait_until (list_loaded, list, "the overdue cases");
  g_assert_cmpint (ow_overview_case_list_get_total (list), ==, statistics->overdue);
  g_assert_cmpuint (ow_overview_case_list_get_n_cases (list), ==, MIN (statistics->overdue, 50));
  for (guint i = 0; i < ow_overview_case_list_get_n_cases (list); i++)
    {
      OwCase *kase = ow_overview_case_list_get_case (list, i);
      gpointer expected;
      int left;

      g_assert_true (ow_case_state_clock_runs (ow_case_get_state (kase)));
      g_assert_true (ow_overview_data_days_left (ow_overview_page_get_data (page),
                                                 ow_case_get_promised_date (kase), &left));
      g_assert_cmpint (left, <, 0);
      if (g_hash_table_lookup_extended (late, ow_case_get_case_no (kase), NULL, &expected))
        {
          g_assert_cmpint (-left, ==, GPOINTER_TO_INT (expected));
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, MIN (ow_overview_case_list_get_n_cases (list),
                                      json_array_get_length (overdue_cases)));
  screenshot (&counter, "overview-deadlines.png");

  ow_test_counter_stop (&counter);
}


/* How many cases the platform lists for @query (a query string without count and limit). */
static gint64
platform_total (OwTestCounter *counter,
                const char    *query)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases?%s%scount=true&limit=1", query,
                                           *query != '\0' ? "&" : "");
  g_autoptr(OwTestResponse) r = ow_test_counter_get (counter, "supervisor", path);

  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_int_member (json_node_get_object (r->json), "total");
}

static char *
period_query (OwOverviewPage *page)
{
  OwOverviewData *data = ow_overview_page_get_data (page);

  return g_strdup_printf ("received_from=%s&received_to=%s",
                          ow_overview_data_get_from_text (data),
                          ow_overview_data_get_to_text (data));
}

static gboolean
counts_shown (gpointer data)
{
  return ow_overview_queues_get_counts (data) != NULL;
}

typedef struct
{
  OwOverviewQueues   *queues;
  OwOverviewCaseList *list;
} Queues;

static gboolean
queues_settled (gpointer data)
{
  Queues *q = data;

  return counts_shown (q->queues) && list_loaded (q->list);
}

/* The name and count a group's row shows. */
static void
read_group_row (GtkWidget  *row,
                char      **name,
                gint64     *count)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  GtkWidget *first = gtk_widget_get_first_child (box);
  GtkWidget *last = gtk_widget_get_last_child (box);

  *name = g_strdup (gtk_label_get_text (GTK_LABEL (first)));
  *count = g_ascii_strtoll (gtk_label_get_text (GTK_LABEL (last)), NULL, 10);
}

static GPtrArray *
list_rows (GtkListBox *list)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      g_ptr_array_add (rows, child);
  return rows;
}

static GtkDropDown *
nth_dropdown (gpointer root,
              guint    n)
{
  g_autoptr(GPtrArray) dropdowns = ow_test_gui_find_all (root, GTK_TYPE_DROP_DOWN);

  g_assert_cmpuint (dropdowns->len, >, n);
  return g_ptr_array_index (dropdowns, n);
}

/* The section's search, not a drop-down's in its popover. */
static GtkWidget *
search_entry (gpointer root)
{
  g_autoptr(GPtrArray) entries = ow_test_gui_find_all (root, GTK_TYPE_SEARCH_ENTRY);

  for (guint i = 0; i < entries->len; i++)
    if (gtk_widget_get_ancestor (g_ptr_array_index (entries, i), GTK_TYPE_POPOVER) == NULL)
      return g_ptr_array_index (entries, i);
  g_error ("No search entry");
  return NULL;
}

/* Queues ----------------------------------------------------------------------------------- */

/* Each way of grouping counts what the platform lists: the groups add up to the period's cases
 * (or more, where a case of several items or departments is in several), and choosing one lists
 * as many cases as it says. Search, sort and paging are the platform's. */
static void
test_queues (void)
{
  static const char * const params[] = { "state", "counter", "clerk", "department", "item",
                                         "channel" };
  OwTestCounter counter = { 0 };
  OwOverviewPage *page;
  Queues q;
  g_autofree char *period = NULL;
  GtkListBox *groups;
  gint64 all;

  start (&counter);
  page = overview_page (&counter);
  q.queues = OW_OVERVIEW_QUEUES (show_section (page, "queues"));
  q.list = ow_test_gui_find_first (q.queues, OW_TYPE_OVERVIEW_CASE_LIST);
  groups = ow_test_gui_find_first (q.queues, GTK_TYPE_LIST_BOX);
  ow_test_gui_wait_until (queues_settled, &q, "the queues");
  period = period_query (page);
  all = platform_total (&counter, period);
  g_assert_cmpint (all, >, 0);
  g_assert_cmpint (ow_overview_queues_get_counts (q.queues)->total, ==, all);
  g_assert_cmpint (ow_overview_case_list_get_total (q.list), ==, all);
  screenshot (&counter, "overview-queues.png");

  for (guint by = 0; by < G_N_ELEMENTS (params); by++)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autofree char *name = NULL;
      g_autofree char *query = NULL;
      g_autofree char *escaped = NULL;
      gint64 count, sum = 0, first_count = 0;
      const char *key;

      gtk_drop_down_set_selected (nth_dropdown (q.queues, 0), by);
      ow_test_gui_wait_until (queues_settled, &q, "the groups");
      rows = list_rows (groups);
      g_assert_cmpuint (rows->len, >=, 2);
      read_group_row (g_ptr_array_index (rows, 0), &name, &count);
      g_assert_cmpstr (name, ==, "All cases");
      g_assert_cmpint (count, ==, all);
      for (guint i = 1; i < rows->len; i++)
        {
          g_autofree char *group = NULL;

          read_group_row (g_ptr_array_index (rows, i), &group, &count);
          g_assert_cmpint (count, >, 0);
          g_assert_cmpstr (group, !=, "");
          sum += count;
          if (i == 1)
            first_count = count;
        }
      if (g_str_equal (params[by], "department") || g_str_equal (params[by], "item"))
        g_assert_cmpint (sum, >=, all);
      else
        g_assert_cmpint (sum, ==, all);

      /* The first group lists as many cases as it says, as the platform does. */
      key = g_object_get_data (g_ptr_array_index (rows, 1), "ow-key");
      g_assert_nonnull (key);
      gtk_list_box_select_row (groups, g_ptr_array_index (rows, 1));
      ow_test_gui_wait_until (list_loaded, q.list, "the group's cases");
      g_assert_cmpint (ow_overview_case_list_get_total (q.list), ==, first_count);
      escaped = g_uri_escape_string (key, NULL, FALSE);
      query = g_strdup_printf ("%s&%s=%s", period, params[by], escaped);
      g_assert_cmpint (platform_total (&counter, query), ==, first_count);
    }

  /* Back to every state; a search by an applicant's name lists only theirs. */
  gtk_drop_down_set_selected (nth_dropdown (q.queues, 0), 0);
  ow_test_gui_wait_until (queues_settled, &q, "the states");
  {
    g_autofree char *applicant = g_strdup (
      ow_case_get_applicant (ow_overview_case_list_get_case (q.list, 0))->name);
    g_autofree char *escaped = g_uri_escape_string (applicant, NULL, FALSE);
    g_autofree char *query = g_strdup_printf ("%s&q=%s", period, escaped);
    GtkWidget *entry = search_entry (q.queues);
    gint64 expected = platform_total (&counter, query);

    ow_test_gui_type_text (entry, applicant);
    ow_test_gui_settle (400);
    ow_test_gui_wait_until (queues_settled, &q, "the search");
    g_test_message ("searching for %s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                    " (%" G_GINT64_FORMAT " counted, %" G_GINT64_FORMAT " listed)", applicant,
                    expected, all, ow_overview_queues_get_counts (q.queues)->total,
                    ow_overview_case_list_get_total (q.list));
    g_assert_cmpint (expected, >, 0);
    g_assert_cmpint (expected, <, all);
    g_assert_cmpint (ow_overview_case_list_get_total (q.list), ==, expected);
    g_assert_cmpint (ow_overview_queues_get_counts (q.queues)->total, ==, expected);
    for (guint i = 0; i < ow_overview_case_list_get_n_cases (q.list); i++)
      g_assert_cmpstr (ow_case_get_applicant (ow_overview_case_list_get_case (q.list, i))->name,
                       ==, applicant);
    gtk_editable_set_text (GTK_EDITABLE (entry), "");
    ow_test_gui_settle (400);
    ow_test_gui_wait_until (queues_settled, &q, "every case again");
    g_assert_cmpint (ow_overview_case_list_get_total (q.list), ==, all);
  }

  /* Sorted by the promised date, soonest first, by the platform. */
  gtk_drop_down_set_selected (nth_dropdown (q.queues, 3), 2);
  g_assert_cmpstr (ow_overview_case_list_get_sort (q.list), ==, "promised");
  ow_test_gui_wait_until (list_loaded, q.list, "the cases by promise");
  for (guint i = 1; i < ow_overview_case_list_get_n_cases (q.list); i++)
    g_assert_cmpint (g_date_compare (
                       ow_case_get_promised_date (ow_overview_case_list_get_case (q.list, i - 1)),
                       ow_case_get_promised_date (ow_overview_case_list_get_case (q.list, i))),
                     <=, 0);

  /* Every period: more cases than a page; the next page adds to the list, none twice. */
  gtk_drop_down_set_selected (nth_dropdown (page, 0), 6);
  ow_test_gui_wait_until (statistics_arrived, page, "the statistics of every period");
  ow_test_gui_wait_until (queues_settled, &q, "every case");
  all = platform_total (&counter, "");
  g_assert_cmpint (ow_overview_case_list_get_total (q.list), ==, all);
  g_assert_cmpint (all, >, 50);
  g_assert_cmpuint (ow_overview_case_list_get_n_cases (q.list), ==, 50);
  ow_overview_case_list_more (q.list);
  ow_test_gui_wait_until (list_loaded, q.list, "the second page");
  g_assert_cmpuint (ow_overview_case_list_get_n_cases (q.list), ==, MIN (all, 100));
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < ow_overview_case_list_get_n_cases (q.list); i++)
      g_assert_true (g_hash_table_add (seen, (gpointer) ow_case_get_case_no (
                                                ow_overview_case_list_get_case (q.list, i))));
  }

  ow_test_counter_stop (&counter);
}

/* Opening a case ----------------------------------------------------------------------------- */

static GtkWidget *
find_case_view (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (!OW_IS_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      {
        g_autoptr(GPtrArray) views = ow_test_gui_find_all (l->data, OW_TYPE_CASE_VIEW);

        if (views->len > 0)
          found = g_ptr_array_index (views, 0);
      }
  g_list_free (toplevels);
  return found;
}

static gboolean
case_view_loaded (gpointer data)
{
  GtkWidget *view = find_case_view ();

  (void) data;
  return view != NULL && ow_case_view_is_loaded (OW_CASE_VIEW (view));
}

/* Enter on a suspended case opens it, read-only, with its timeline as the platform records it
 * (the department's suspension among its events). */
static void
test_open_case (void)
{
  OwTestCounter counter = { 0 };
  g_autoptr(OwTestResponse) r = NULL;
  g_autofree char *path = NULL;
  g_autofree char *case_no = NULL;
  OwOverviewPage *page;
  OwOverviewCaseList *list;
  GtkWidget *view, *events = NULL;
  JsonArray *expected;
  guint n = 0;

  start (&counter);
  page = overview_page (&counter);
  list = section_list (page, "deadlines");
  {
    g_autoptr(GPtrArray) buttons = ow_test_gui_find_all (show_section (page, "deadlines"),
                                                         GTK_TYPE_TOGGLE_BUTTON);

    gtk_toggle_button_set_active (g_ptr_array_index (buttons, 3), TRUE);
  }
  ow_test_gui_wait_until (list_loaded, list, "the suspended cases");
  g_assert_cmpuint (ow_overview_case_list_get_n_cases (list), >, 0);
  g_assert_cmpint (ow_case_get_state (ow_overview_case_list_get_case (list, 0)), ==,
                   OW_CASE_STATE_SUSPENDED);
  case_no = g_strdup (ow_case_get_case_no (ow_overview_case_list_get_case (list, 0)));

  /* The row's activation, as Enter on it gives. */
  gtk_widget_activate_action (ow_test_gui_find_first (list, GTK_TYPE_LIST_VIEW),
                              "list.activate-item", "u", 0);
  ow_test_gui_wait_until (case_view_loaded, NULL, "the case and its timeline");
  view = find_case_view ();
  g_assert_cmpstr (ow_case_view_get_case_no (OW_CASE_VIEW (view)), ==, case_no);

  path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);
  r = ow_test_counter_get (&counter, "supervisor", path);
  g_assert_cmpuint (r->status, ==, 200);
  expected = json_object_get_array_member (json_node_get_object (r->json), "events");
  g_assert_cmpuint (json_array_get_length (expected), >, 0);
  {
    g_autoptr(GPtrArray) stacks = ow_test_gui_find_all (view, GTK_TYPE_STACK);

    for (guint i = 0; i < stacks->len && events == NULL; i++)
      if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "events") != NULL)
        {
          g_assert_cmpstr (gtk_stack_get_visible_child_name (g_ptr_array_index (stacks, i)), ==,
                           "events");
          events = ow_test_gui_find_first (gtk_stack_get_child_by_name (
                                             g_ptr_array_index (stacks, i), "events"),
                                           GTK_TYPE_LIST_BOX);
        }
  }
  g_assert_nonnull (events);
  for (GtkWidget *row = gtk_widget_get_first_child (events); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *kind = json_object_get_string_member (json_array_get_object_element (expected,
                                                                                       n),
                                                        "kind");
      OwCaseEventKind event_kind;

      g_assert_true (ow_case_event_kind_from_string (kind, &event_kind));
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       ow_case_event_kind_to_label (event_kind));
      n++;
    }
  g_assert_cmpuint (n, ==, json_array_get_length (expected));
  ow_test_gui_settle (500);
  ow_test_gui_screenshot (gtk_widget_get_ancestor (view, GTK_TYPE_WINDOW), "overview-case.png");

  /* Escape closes it. */
  gtk_widget_activate_action (view, "window.close", NULL);
  ow_test_gui_settle (200);
  g_assert_null (find_case_view ());

  ow_test_counter_stop (&counter);
}

/* Due within ------------------------------------------------------------------------------- */

static gboolean
due_within_is (gpointer data)
{
  OwOverviewPage *page = data;
  OwStatistics *s = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);

  return statistics_arrived (page) && s->due_within == 5;
}

/* "Due soon" is a setting (2 working days unless set): changed, the platform counts again and
 * the list follows. */
static void
test_due_within (void)
{
  OwTestCounter counter = { 0 };
  g_autoptr(OwTestResponse) r = NULL;
  OwOverviewPage *page;
  OwOverviewCaseList *list;
  OwStatistics *s;
  JsonObject *deadlines;
  GtkWidget *deadlines_section;
  g_autoptr(GPtrArray) buttons = NULL;
  gint64 two;

  start (&counter);
  page = overview_page (&counter);
  s = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);
  g_assert_cmpuint (s->due_within, ==, 2);
  two = s->due_soon;

  deadlines_section = show_section (page, "deadlines");
  buttons = ow_test_gui_find_all (deadlines_section, GTK_TYPE_TOGGLE_BUTTON);
  gtk_toggle_button_set_active (g_ptr_array_index (buttons, 1), TRUE);
  list = ow_test_gui_find_first (deadlines_section, OW_TYPE_OVERVIEW_CASE_LIST);
  ow_test_gui_wait_until (list_loaded, list, "the cases due soon");
  g_assert_cmpint (ow_overview_case_list_get_total (list), ==, two);

  gtk_spin_button_set_value (ow_test_gui_find_first (deadlines_section, GTK_TYPE_SPIN_BUTTON), 5);
  g_assert_cmpuint (g_settings_get_uint (ow_context_get_settings (counter.context),
                                         "due-within-working-days"), ==, 5);
  ow_test_gui_wait_until (due_within_is, page, "the statistics within 5 working days");
  s = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);
  r = ow_test_counter_get (&counter, "supervisor", "/api/v1/statistics?due_within=5");
  deadlines = json_object_get_object_member (json_node_get_object (r->json), "deadlines");
  g_assert_cmpint (s->due_soon, ==, json_object_get_int_member (deadlines, "due_soon"));
  g_assert_cmpint (s->due_soon, >, two);
  ow_test_gui_wait_until (list_loaded, list, "the cases due within 5 working days");
  g_assert_cmpint (ow_overview_case_list_get_total (list), ==, s->due_soon);
  for (guint i = 0; i < ow_overview_case_list_get_n_cases (list); i++)
    {
      int left;

      g_assert_true (ow_overview_data_days_left (ow_overview_page_get_data (page),
                                                 ow_case_get_promised_date (
                                                   ow_overview_case_list_get_case (list, i)),
                                                 &left));
      g_assert_cmpint (left, >=, 0);
      g_assert_cmpint (left, <=, 5);
    }

  /* Out of range: the setting refuses it, the count stays. */
  gtk_spin_button_set_value (ow_test_gui_find_first (deadlines_section, GTK_TYPE_SPIN_BUTTON), 99);
  g_assert_cmpuint (g_settings_get_uint (ow_context_get_settings (counter.context),
                                         "due-within-working-days"), ==, 30);

  ow_test_counter_stop (&counter);
}

/* Ratings ---------------------------------------------------------------------------------- */

static gboolean
ratings_loaded (gpointer data)
{
  return ow_overview_ratings_is_loaded (data);
}

/* The platform's ratings of the period, poor ones, those no ticket follows up. */
static guint
platform_ratings (OwTestCounter  *counter,
                  OwOverviewPage *page,
                  const char     *filter,
                  const char     *with_rating_id)
{
  OwOverviewData *data = page != NULL ? ow_overview_page_get_data (page) : NULL;
  g_autofree char *period = data != NULL
                              ? g_strdup_printf ("&from=%s&to=%s",
                                                 ow_overview_data_get_from_text (data),
                                                 ow_overview_data_get_to_text (data))
                              : g_strdup ("");
  g_autofree char *after = NULL;
  guint n = 0;

  do
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/ratings?poor=true%s&limit=200%s%s%s",
                                               period, filter, after != NULL ? "&after=" : "",
                                               after != NULL ? after : "");
      g_autoptr(OwTestResponse) r = ow_test_counter_get (counter, "supervisor", path);
      JsonObject *root;
      JsonArray *ratings;

      g_assert_cmpuint (r->status, ==, 200);
      root = json_node_get_object (r->json);
      ratings = json_object_get_array_member (root, "ratings");
      for (guint i = 0; i < json_array_get_length (ratings); i++)
        {
          JsonObject *rating = json_array_get_object_element (ratings, i);

          if (with_rating_id == NULL ||
              g_strcmp0 (json_object_get_string_member (rating, "id"), with_rating_id) == 0)
            n++;
        }
      g_free (after);
      after = json_object_get_null_member (root, "next")
                ? NULL : g_strdup (json_object_get_string_member (root, "next"));
    }
  while (after != NULL);
  return n;
}

static gboolean
unfollowed_is (gpointer data)
{
  gpointer *pair = data;
  OwOverviewPage *page = pair[0];
  OwStatistics *s = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);

  return statistics_arrived (page) && s->ratings_unfollowed == GPOINTER_TO_INT (pair[1]);
}

/* The levels of the period add up to its poor ratings, every one of which shows, with its
 * follow-up or an action that opens one through the sync engine, once; the hall's count of those
 * to follow up (of any day) drops by one. */
static void
test_ratings (void)
{
  OwTestCounter counter = { 0 };
  OwOverviewPage *page;
  GtkWidget *ratings;
  OwStatistics *s;
  GtkWidget *button = NULL;
  g_autofree char *rating_id = NULL;
  gint64 by_level = 0, poor = 0, unfollowed, hall_unfollowed;
  g_autoptr(GPtrArray) buttons = NULL;

  start (&counter);
  page = overview_page (&counter);
  s = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);
  for (guint i = 0; i < s->ratings_by_level->len; i++)
    {
      OwStatGroup *group = g_ptr_array_index (s->ratings_by_level, i);

      by_level += group->count;
      if (ow_rating_level_is_poor ((guint) g_ascii_strtoull (group->key, NULL, 10)))
        poor += group->count;
    }
  g_assert_cmpint (by_level, >, 0);
  g_assert_cmpint (by_level, <=, s->ratings_total);
  g_assert_cmpint (poor, >, 0);
  g_assert_cmpint (poor, ==, platform_ratings (&counter, page, "", NULL));
  g_assert_cmpint (s->ratings_poor, ==, platform_ratings (&counter, NULL, "", NULL));

  ratings = show_section (page, "ratings");
  ow_test_gui_wait_until (ratings_loaded, ratings, "the poor ratings");
  g_assert_cmpuint (ow_overview_ratings_get_n_poor (OW_OVERVIEW_RATINGS (ratings)), ==,
                    MIN (50, poor));
  screenshot (&counter, "overview-ratings.png");

  /* Only those no ticket follows up. */
  gtk_drop_down_set_selected (nth_dropdown (ratings, 0), 1);
  ow_test_gui_wait_until (ratings_loaded, ratings, "the poor ratings without a follow-up");
  unfollowed = platform_ratings (&counter, page, "&follow_up=none", NULL);
  hall_unfollowed = platform_ratings (&counter, NULL, "&follow_up=none", NULL);
  g_assert_cmpint (unfollowed, >, 0);
  g_assert_cmpint (s->ratings_unfollowed, ==, hall_unfollowed);
  g_assert_cmpuint (ow_overview_ratings_get_n_poor (OW_OVERVIEW_RATINGS (ratings)), ==,
                    MIN (50, unfollowed));

  buttons = ow_test_gui_find_all (ratings, GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len && button == NULL; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)),
                   "ratings.follow-up") == 0)
      button = g_ptr_array_index (buttons, i);
  g_assert_nonnull (button);
  rating_id = g_variant_dup_string (gtk_actionable_get_action_target_value (
                                      GTK_ACTIONABLE (button)), NULL);
  gtk_widget_activate (button);
  /* A second time, as an impatient supervisor: still one follow-up. */
  gtk_widget_activate_action (ratings, "ratings.follow-up", "s", rating_id);
  ow_test_gui_wait_until (ow_test_gui_sync_drained, ow_context_get_sync (counter.context),
                          "the follow-up sent");
  g_assert_cmpuint (platform_ratings (&counter, page, "&follow_up=none", rating_id), ==, 0);
  g_assert_cmpuint (platform_ratings (&counter, page, "&follow_up=some", rating_id), ==, 1);
  g_assert_cmpint (platform_ratings (&counter, page, "&follow_up=none", NULL), ==,
                   unfollowed - 1);
  {
    g_autoptr(OwTestResponse) r = ow_test_counter_get (&counter, "supervisor",
                                                       "/api/v1/tickets?limit=200");
    JsonArray *tickets = json_object_get_array_member (json_node_get_object (r->json), "tickets");
    guint following = 0;

    for (guint i = 0; i < json_array_get_length (tickets); i++)
      {
        JsonObject *ticket = json_array_get_object_element (tickets, i);

        if (json_object_has_member (ticket, "rating_id") &&
            !json_object_get_null_member (ticket, "rating_id") &&
            g_str_equal (json_object_get_string_member (ticket, "rating_id"), rating_id))
          following++;
      }
    g_assert_cmpuint (following, ==, 1);
  }

  /* Refreshed, the statistics count one fewer to follow up, and the list too. */
  ow_overview_page_refresh (page);
  {
    gpointer pair[] = { page, GINT_TO_POINTER ((int) hall_unfollowed - 1) };

    ow_test_gui_wait_until (unfollowed_is, pair, "one fewer rating to follow up");
  }
  ow_test_gui_wait_until (ratings_loaded, ratings, "the poor ratings without a follow-up");
  g_assert_cmpuint (ow_overview_ratings_get_n_poor (OW_OVERVIEW_RATINGS (ratings)), ==,
                    MIN (50, unfollowed - 1));
  {
    g_autofree char *waiting = g_strdup_printf ("%" G_GINT64_FORMAT " poor rating%s, of any day, ",
                                                hall_unfollowed - 1,
                                                hall_unfollowed - 1 == 1 ? "" : "s");

    g_autoptr(GPtrArray) labels = ow_test_gui_find_all (ratings, GTK_TYPE_LABEL);
    gboolean said = FALSE;

    for (guint i = 0; i < labels->len; i++)
      said |= g_str_has_prefix (gtk_label_get_text (g_ptr_array_index (labels, i)), waiting);
    g_assert_true (said);
  }

  ow_test_counter_stop (&counter);
}

/* Indicators ------------------------------------------------------------------------------- */

/* The cards say the platform's indicators; the charts hold the months and the targets, each
 * with its numbers as a table. */
static void
test_indicators (void)
{
  OwTestCounter counter = { 0 };
  g_autoptr(OwTestResponse) r = NULL;
  OwOverviewPage *page;
  GtkWidget *indicators;
  OwOverviewData *data;
  JsonObject *hall;
  g_autofree char *path = NULL;
  g_autofree char *availability = NULL;
  g_autofree char *usage = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) charts = NULL;
  gboolean found_availability = FALSE, found_usage = FALSE;

  start (&counter);
  page = overview_page (&counter);
  data = ow_overview_page_get_data (page);
  indicators = show_section (page, "indicators");
  path = g_strdup_printf ("/api/v1/statistics?from=%s&to=%s",
                          ow_overview_data_get_from_text (data),
                          ow_overview_data_get_to_text (data));
  r = ow_test_counter_get (&counter, "supervisor", path);
  hall = json_object_get_object_member (json_node_get_object (r->json), "indicators");
  g_assert_cmpint (json_object_get_int_member (hall, "reform_items"), >, 0);
  g_assert_cmpint (json_object_get_int_member (hall, "cases"), >, 0);
  availability = ow_overview_format_share (json_object_get_double_member (hall, "availability"));
  usage = ow_overview_format_share (json_object_get_double_member (hall, "usage"));
  labels = ow_test_gui_find_all (indicators, GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

      found_availability |= g_str_equal (text, availability);
      found_usage |= g_str_equal (text, usage);
    }
  g_assert_true (found_availability);
  g_assert_true (found_usage);

  charts = ow_test_gui_find_all (indicators, OW_TYPE_CHART);
  g_assert_cmpuint (charts->len, ==, 2);
  g_assert_cmpuint (ow_chart_get_n_bars (g_ptr_array_index (charts, 0)), ==, 2);
  g_assert_cmpuint (ow_chart_get_n_bars (g_ptr_array_index (charts, 1)), ==,
                    json_array_get_length (json_object_get_array_member (hall, "by_month")));
  g_assert_cmpuint (ow_chart_get_n_bars (g_ptr_array_index (charts, 1)), ==, 12);
  screenshot (&counter, "overview-indicators.png");

  ow_test_counter_stop (&counter);
}

/* Offline ---------------------------------------------------------------------------------- */

static gboolean
stale (gpointer data)
{
  OwOverviewData *overview = ow_overview_page_get_data (data);

  return !ow_overview_data_get_loading (overview) && ow_overview_data_get_stale (overview);
}

static gboolean
no_figures (gpointer data)
{
  OwOverviewData *overview = ow_overview_page_get_data (data);

  return !ow_overview_data_get_loading (overview) && ow_overview_data_get_error (overview) != NULL;
}

static gboolean
fresh (gpointer data)
{
  return statistics_arrived (data) && !ow_overview_data_get_stale (ow_overview_page_get_data (data));
}

/* Without the platform, the last answers stay on screen, said to be old; a question never
 * answered has no figures rather than another's; back online, fresh ones. */
static void
test_offline (void)
{
  OwTestCounter counter = { 0 };
  OwOverviewPage *page;
  OwStatistics *s;
  GtkRevealer *revealer;
  Queues q;
  gint64 overdue, total, listed;
  g_autoptr(GError) error = NULL;

  start (&counter);
  page = overview_page (&counter);
  q.queues = OW_OVERVIEW_QUEUES (show_section (page, "queues"));
  q.list = ow_test_gui_find_first (q.queues, OW_TYPE_OVERVIEW_CASE_LIST);
  ow_test_gui_wait_until (queues_settled, &q, "the queues");
  s = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);
  overdue = s->overdue;
  total = ow_overview_queues_get_counts (q.queues)->total;
  listed = ow_overview_case_list_get_total (q.list);
  revealer = ow_test_gui_find_first (page, GTK_TYPE_REVEALER);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));

  g_assert_true (ow_test_platform_stop (counter.platform));
  ow_overview_page_refresh (page);
  ow_test_gui_wait_until (stale, page, "the figures kept");
  ow_test_gui_wait_until (queues_settled, &q, "the queues kept");
  s = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);
  g_assert_cmpint (s->overdue, ==, overdue);
  g_assert_cmpint (ow_overview_queues_get_counts (q.queues)->total, ==, total);
  g_assert_cmpint (ow_overview_case_list_get_total (q.list), ==, listed);
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (ow_test_gui_find_first (revealer,
                                                                               GTK_TYPE_LABEL)),
                                   "The platform cannot be reached."));
  screenshot (&counter, "overview-offline.png");

  /* A period never asked about: nothing kept, no figures. */
  gtk_drop_down_set_selected (nth_dropdown (page, 0), 0);
  ow_test_gui_wait_until (no_figures, page, "no figures");
  g_assert_null (ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL));
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (ow_test_gui_find_first (revealer,
                                                                               GTK_TYPE_LABEL)),
                                   "No figures: "));

  /* Back: fresh figures, the banner gone. */
  g_assert_true (ow_test_platform_restart (counter.platform, &error));
  g_assert_no_error (error);
  gtk_drop_down_set_selected (nth_dropdown (page, 0), 2);
  ow_test_gui_wait_until (fresh, page, "fresh figures");
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  s = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);
  g_assert_cmpint (s->overdue, ==, overdue);

  ow_test_counter_stop (&counter);
}

/* Exports ---------------------------------------------------------------------------------- */

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  if (!ow_overview_page_export_finish (OW_OVERVIEW_PAGE (source), result, error) &&
      *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "failed without saying why");
  else if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

static gboolean
export_done (gpointer data)
{
  GError **error = data;

  return *error != NULL;
}

static void
export (OwOverviewPage   *page,
        OwOverviewExport  format,
        GFile            *file)
{
  GError *error = NULL;

  ow_overview_page_export_async (page, format, file, NULL, exported_cb, &error);
  ow_test_gui_wait_until (export_done, &error, "the export");
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_error_free (error);
}

/* What is on screen goes to .xlsx and CSV with the platform's numbers, the indicator report to
 * one page of PDF; a folder that cannot be written says so. */
static void
test_export (void)
{
  OwTestCounter counter = { 0 };
  OwOverviewPage *page;
  OwStatistics *s;
  g_autofree char *dir = g_dir_make_tmp ("ow-overview-XXXXXX", NULL);
  g_autofree char *xlsx_path = g_build_filename (dir, "deadlines.xlsx", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "deadlines.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "report.pdf", NULL);
  g_autoptr(GFile) xlsx = g_file_new_for_path (xlsx_path);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
  g_autoptr(GFile) nowhere = g_file_new_for_path ("/proc/ow-no-such-folder/x.xlsx");
  g_autofree char *csv_text = NULL;
  g_autofree char *pdf_text = NULL;
  g_autofree char *xlsx_bytes = NULL;
  g_autofree char *overdue_row = NULL;
  gsize length;
  OwOverviewCaseList *list;
  GError *error = NULL;

  start (&counter);
  page = overview_page (&counter);
  s = ow_overview_data_get_statistics (ow_overview_page_get_data (page), NULL);
  list = section_list (page, "deadlines");
  ow_test_gui_wait_until (list_loaded, list, "the overdue cases");

  export (page, OW_OVERVIEW_EXPORT_CSV, csv);
  g_assert_true (g_file_get_contents (csv_path, &csv_text, &length, NULL));
  g_assert_true (g_str_has_prefix (csv_text, "\xEF\xBB\xBF"));
  overdue_row = g_strdup_printf ("超期,%" G_GINT64_FORMAT ",", s->overdue);
  g_assert_nonnull (strstr (csv_text, overdue_row));
  for (guint i = 0; i < ow_overview_case_list_get_n_cases (list); i++)
    g_assert_nonnull (strstr (csv_text,
                              ow_case_get_case_no (ow_overview_case_list_get_case (list, i))));

  export (page, OW_OVERVIEW_EXPORT_XLSX, xlsx);
  g_assert_true (g_file_get_contents (xlsx_path, &xlsx_bytes, &length, NULL));
  g_assert_cmpuint (length, >, 4);
  g_assert_cmpmem (xlsx_bytes, 2, "PK", 2);

  export (page, OW_OVERVIEW_EXPORT_REPORT, pdf);
  pdf_text = ow_test_gui_pdf_text (pdf_path);
  g_assert_nonnull (strstr (pdf_text, "零跑动"));

  /* A folder that cannot be written: a message to act on, no file. */
  ow_overview_page_export_async (page, OW_OVERVIEW_EXPORT_XLSX, nowhere, NULL, exported_cb,
                                 &error);
  ow_test_gui_wait_until (export_done, &error, "the export that fails");
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS));
  g_test_message ("The export's error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "ow-no-such-folder"));
  g_clear_error (&error);

  g_unlink (xlsx_path);
  g_unlink (csv_path);
  g_unlink (pdf_path);
  g_rmdir (dir);
  ow_test_counter_stop (&counter);
}

/* Screenshots ------------------------------------------------------------------------------ */

/* Each section as the supervisor sees it, in the language of the environment (LANGUAGE=zh_CN
 * for Chinese ones): each is shown, mapped, with its charts named and their tables. */
static void
test_sections (void)
{
  static const char * const sections[] = { "queues", "deadlines", "ratings", "indicators" };
  const char *language = g_getenv ("LANGUAGE");
  OwTestCounter counter = { 0 };
  OwOverviewPage *page;

  start (&counter);
  page = overview_page (&counter);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      GtkWidget *section = show_section (page, sections[i]);
      g_autoptr(GPtrArray) charts = ow_test_gui_find_all (section, OW_TYPE_CHART);
      g_autofree char *name = g_strdup_printf ("overview-section-%s-%s.png", sections[i],
                                               language != NULL && *language != '\0' ? language
                                                                                     : "C");

      for (guint c = 0; c < charts->len; c++)
        {
          OwChart *chart = g_ptr_array_index (charts, c);

          GtkExpander *expander = ow_test_gui_find_first (chart, GTK_TYPE_EXPANDER);
          GtkWidget *grid;
          guint cells = 0, headers = 0;

          g_assert_cmpstr (ow_chart_get_title (chart), !=, "");
          g_assert_nonnull (ow_chart_get_summary (chart));
          /* The numbers, a table of a header row and a row a bar. */
          gtk_expander_set_expanded (expander, TRUE);
          grid = ow_test_gui_find_first (chart, GTK_TYPE_GRID);
          g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (grid)), ==,
                           GTK_ACCESSIBLE_ROLE_TABLE);
          for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL;
               child = gtk_widget_get_next_sibling (child))
            {
              GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (child));

              headers += role == GTK_ACCESSIBLE_ROLE_COLUMN_HEADER;
              cells += role == GTK_ACCESSIBLE_ROLE_CELL;
            }
          g_assert_cmpuint (headers, >=, 2);
          g_assert_cmpuint (cells, ==, headers * ow_chart_get_n_bars (chart));
          gtk_expander_set_expanded (expander, FALSE);
        }
      if (g_str_equal (sections[i], "queues"))
        {
          Queues q = { OW_OVERVIEW_QUEUES (section),
                       ow_test_gui_find_first (section, OW_TYPE_OVERVIEW_CASE_LIST) };

          ow_test_gui_wait_until (queues_settled, &q, "the queues");
        }
      else if (g_str_equal (sections[i], "ratings"))
        ow_test_gui_wait_until (ratings_loaded, section, "the ratings");
      else if (g_str_equal (sections[i], "deadlines"))
        ow_test_gui_wait_until (list_loaded,
                                ow_test_gui_find_first (section, OW_TYPE_OVERVIEW_CASE_LIST),
                                "the overdue cases");
      screenshot (&counter, name);
    }
  ow_test_counter_stop (&counter);
}

int
main (int   argc,
      char *argv[])
{
  const char *build_dir = g_getenv ("OW_BUILD_DIR");

  ow_test_gui_init (&argc, &argv);
  /* The catalog of messages built beside the tests, for screenshots in Chinese: gtk_test_init
   * sets a locale of its own, the environment's again when a language is asked for. */
  if (build_dir != NULL && g_getenv ("LANGUAGE") != NULL && *g_getenv ("LANGUAGE") != '\0')
    {
      g_autofree char *po = g_build_filename (build_dir, "po", NULL);

      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, po);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      /* GLib translates a library's messages only when the program's domain is translated. */
      textdomain (GETTEXT_PACKAGE);
    }

  g_test_add_func ("/overview/deadlines", test_deadlines);
  g_test_add_func ("/overview/due-within", test_due_within);
  g_test_add_func ("/overview/queues", test_queues);
  g_test_add_func ("/overview/open-case", test_open_case);
  g_test_add_func ("/overview/ratings", test_ratings);
  g_test_add_func ("/overview/indicators", test_indicators);
  g_test_add_func ("/overview/offline", test_offline);
  g_test_add_func ("/overview/export", test_export);
  g_test_add_func ("/overview/sections", test_sections);
  return g_test_run ();
}
