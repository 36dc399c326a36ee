/* test-layout.c — at 1366×768 the intake page's columns keep their widths and no text is cut,
 * in the session's language
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs once per language (meson sets LANGUAGE). The counter's window at the size of a hall's
 * screen, the clerk's intake page in the states that change most what it shows: nothing
 * chosen, one item, a "one thing" bundle of four items asking for supplements (a note field on
 * every line), an organisation with an agent refused and delivered by post, an item whose
 * lines may be tolerated accepted with a gap. In each, the search column and the applicant's
 * column must be as wide as in the first (a column that jumps as the clerk works loses their
 * eye), and no label on screen may be cut: one that neither wraps nor ellipsizes must get the
 * width it asks for, one that may ellipsize must not have had to.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-locale.h"
#include "gui/intake/ow-applicant-form.h"
#include "gui/intake/ow-decision-panel.h"
#include "gui/intake/ow-intake-page.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

typedef struct
{
  OwTestCounter counter;
  OwIntakePage *page;
  GtkWidget *columns[2];      /* the search column and the applicant's */
  int widths[2];              /* as the first state had them */
  GString *problems;
} Fixture;

static gboolean
no_transition (gpointer data)
{
  g_autoptr(GPtrArray) stacks = ow_test_gui_find_all (data, GTK_TYPE_STACK);

  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_transition_running (stacks->pdata[i]))
      return FALSE;
  return TRUE;
}

/* Where @label is, for the message: the nearest row title or control label above it. */
static const char *
describe (GtkLabel *label)
{
  const char *text = gtk_label_get_text (label);

  return text != NULL && *text != '\0' ? text : "(empty)";
}

static void
check_labels (Fixture    *f,
              const char *where)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (f->counter.window, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = labels->pdata[i];
      GtkWidget *widget = GTK_WIDGET (label);
      int natural = 0;

      if (!gtk_widget_get_mapped (widget) || *gtk_label_get_text (label) == '\0'
          || gtk_widget_get_width (widget) <= 0)
        continue;
      if (gtk_label_get_ellipsize (label) != PANGO_ELLIPSIZE_NONE)
        {
          if (pango_layout_is_ellipsized (gtk_label_get_layout (label)))
            g_string_append_printf (f->problems, "%s: “%s” is cut short (…)\n", where,
                                    describe (label));
          continue;
        }
      if (gtk_label_get_wrap (label))
        continue;
      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      if (natural > gtk_widget_get_width (widget) + 1)
        g_string_append_printf (f->problems, "%s: “%s” is clipped (%d of %d px)\n", where,
                                describe (label), gtk_widget_get_width (widget), natural);
    }
}

static void
check (Fixture    *f,
       const char *where)
{
  ow_test_gui_wait_until (no_transition, f->counter.window, "the pages to finish changing");
  ow_test_gui_settle (300);
  for (guint c = 0; c < G_N_ELEMENTS (f->columns); c++)
    {
      int width = gtk_widget_get_width (f->columns[c]);

      if (f->widths[c] == 0)
        f->widths[c] = width;
      else if (width != f->widths[c])
        g_string_append_printf (f->problems, "%s: the %s column is %d px wide, not %d\n", where,
                                c == 0 ? "search" : "applicant's", width, f->widths[c]);
    }
  check_labels (f, where);
  ow_test_gui_screenshot (GTK_WIDGET (f->counter.window), where);
}

/* Takes the first result for @query, as Enter in the search does. */
static void
take (Fixture    *f,
      const char *query)
{
  GtkWidget *search = ow_test_gui_find_first (f->page, GTK_TYPE_SEARCH_ENTRY);
  GtkListBox *results = ow_test_gui_find_list_with_class (f->page, "navigation-sidebar");

  ow_test_gui_type_text (search, query);
  ow_test_gui_settle (300);
  g_signal_emit_by_name (results, "row-activated", gtk_list_box_get_row_at_index (results, 0));
  ow_test_gui_settle (200);
}

static void
take_bundle (Fixture *f)
{
  GtkListBox *bundles = ow_test_gui_find_list_with_class (f->page, "ow-bundles");

  g_signal_emit_by_name (bundles, "row-activated", gtk_list_box_get_row_at_index (bundles, 0));
  ow_test_gui_settle (200);
}

static void
test_layout (void)
{
  Fixture f = { 0 };
  OwApplicantForm *form;
  OwDecisionPanel *panel;
  g_autoptr(GPtrArray) clamps = NULL;
  g_autoptr(GPtrArray) combo_rows = NULL;
  g_autoptr(GPtrArray) drop_downs = NULL;
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *prefix = g_strdup_printf ("layout-%s",
                                             language != NULL && *language != '\0' ? language
                                                                                   : "en");
  g_autofree char *where = NULL;

  f.problems = g_string_new (NULL);
  ow_test_counter_start (&f.counter, OW_TEST_COUNTER_DEFAULT, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f.counter.window), 1366, 768);
  ow_test_counter_log_in (&f.counter, "clerk");
  f.page = ow_test_gui_find_first (f.counter.window, OW_TYPE_INTAKE_PAGE);
  form = ow_test_gui_find_first (f.page, OW_TYPE_APPLICANT_FORM);
  panel = ow_test_gui_find_first (f.page, OW_TYPE_DECISION_PANEL);
  clamps = ow_test_gui_find_all (f.page, ADW_TYPE_CLAMP);
  combo_rows = ow_test_gui_find_all (panel, ADW_TYPE_COMBO_ROW);
  drop_downs = ow_test_gui_find_all (form, GTK_TYPE_DROP_DOWN);
  /* The page's own columns: the first clamp and the last (the middle column has one too). */
  g_assert_cmpuint (clamps->len, >=, 2);
  f.columns[0] = clamps->pdata[0];
  f.columns[1] = clamps->pdata[clamps->len - 1];
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (form), f.columns[1]));

  where = g_strconcat (prefix, "-empty.png", NULL);
  check (&f, where);

  take (&f, "yyzz");
  g_free (where);
  where = g_strconcat (prefix, "-item.png", NULL);
  check (&f, where);

  take_bundle (&f);
  ow_decision_panel_set_decision (panel, OW_DECISION_SUPPLEMENT);
  g_free (where);
  where = g_strconcat (prefix, "-bundle-supplements.png", NULL);
  check (&f, where);

  ow_intake_page_reset (f.page);
  take (&f, "yyzz");
  gtk_drop_down_set_selected (drop_downs->pdata[0], 1);
  ow_applicant_form_set_has_agent (form, TRUE);
  ow_decision_panel_set_decision (panel, OW_DECISION_REFUSE);
  adw_combo_row_set_selected (combo_rows->pdata[1], 1);
  g_free (where);
  where = g_strconcat (prefix, "-organisation-refused-post.png", NULL);
  check (&f, where);

  ow_intake_page_reset (f.page);
  /* An item with a line that may be tolerated: 容缺 among the decisions. */
  take (&f, "有限责任公司注销登记");
  g_assert_true (ow_decision_panel_get_tolerable (panel));
  ow_decision_panel_set_decision (panel, OW_DECISION_TOLERATED);
  g_free (where);
  where = g_strconcat (prefix, "-tolerated.png", NULL);
  check (&f, where);

  if (f.problems->len > 0)
    g_error ("The intake page at 1366×768 (%s):\n%s", language != NULL ? language : "English",
             f.problems->str);
  g_string_free (f.problems, TRUE);
  ow_test_counter_stop (&f.counter);
}

int
main (int   argc,
      char *argv[])
{
  /* The catalogue of the build tree, in the language meson sets. */
  ow_locale_init ();
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/layout/intake", test_layout);

  return g_test_run ();
}
