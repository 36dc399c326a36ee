/* test-mnemonics.c — no two controls answer to the same Alt+letter, in the session's language
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs once per language (meson sets LANGUAGE). The counter against the real platform, under
 * Xvfb: the log-in page; then for each role that has a workspace (clerk, supervisor,
 * department) every page of the window's view stack, the main menu opened, and every window
 * that a main-menu item ending in "…" opens. The clerk's intake page is also seen in the
 * states that show more controls: an item chosen (its checklist, and a line's pages dialog
 * with SANE's test scanner), an agent, an organisation, a refusal, delivery by post, a
 * request for supplements; and a ticket chosen on the unfinished-business page. In each place, the mnemonics of what
 * is on screen are collected per scope (a window, or an open popover, which handles its own)
 * and two different controls with the same letter fail the test: GTK would make the clerk
 * press it twice, and a Chinese label shows both "(S)".
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-locale.h"
#include "gui/intake/ow-applicant-form.h"
#include "gui/intake/ow-decision-panel.h"
#include "gui/intake/ow-intake-page.h"
#include "gui/intake/ow-material-row.h"
#include "gui/scanning/ow-scan-dialog.h"
#include "gui/tickets/ow-ticket-dialog.h"
#include "gui/tickets/ow-tickets-page.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

typedef struct
{
  OwTestCounter counter;
  GString *problems;
  guint checked;            /* mnemonics seen, to show the walk went somewhere */
} Fixture;

typedef struct
{
  guint keyval;
  GtkWidget *label;
  GtkWidget *target;
} Mnemonic;

/* Where GTK looks a mnemonic up: the open popover, else the window. */
static GtkWidget *
scope_of (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_POPOVER (w) || GTK_IS_ROOT (w))
      return w;
  return NULL;
}

/* What the mnemonic of @label activates: its mnemonic widget, or the control holding it. */
static GtkWidget *
target_of (GtkLabel *label)
{
  GtkWidget *target = gtk_label_get_mnemonic_widget (label);

  if (target != NULL)
    return target;
  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (label)); w != NULL;
       w = gtk_widget_get_parent (w))
    if (GTK_IS_BUTTON (w) || GTK_IS_CHECK_BUTTON (w) || GTK_IS_LIST_BOX_ROW (w)
        || GTK_IS_EXPANDER (w) || GTK_IS_POPOVER (w) || GTK_IS_ROOT (w))
      return w;
  return GTK_WIDGET (label);
}

static gboolean
no_transition (gpointer data)
{
  g_autoptr(GPtrArray) stacks = ow_test_gui_find_all (data, GTK_TYPE_STACK);

  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_transition_running (stacks->pdata[i]))
      return FALSE;
  return TRUE;
}

static void
collect (GtkWidget *widget,
         GPtrArray *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget))
      && gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol
      && gtk_widget_is_sensitive (widget))
    {
      Mnemonic *m = g_new0 (Mnemonic, 1);

      m->keyval = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      m->label = widget;
      m->target = target_of (GTK_LABEL (widget));
      g_ptr_array_add (found, m);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, found);
}

/* Adds to the fixture's problems every letter that two controls of one scope answer to. */
static void
check (Fixture    *f,
       GtkWidget  *root,
       const char *where)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  /* While a stack crossfades, both its pages are on screen: the log-in page's mnemonics are
   * not the intake page's neighbours. */
  ow_test_gui_wait_until (no_transition, root, "the pages to finish changing");
  ow_test_gui_settle (100);
  collect (root, found);
  f->checked += found->len;
  for (guint i = 0; i < found->len; i++)
    for (guint j = i + 1; j < found->len; j++)
      {
        Mnemonic *a = found->pdata[i], *b = found->pdata[j];

        if (a->keyval != b->keyval || a->target == b->target
            || scope_of (a->label) != scope_of (b->label))
          continue;
        g_string_append_printf (f->problems, "%s: Alt+%s is both “%s” and “%s”\n", where,
                                gdk_keyval_name (gdk_keyval_to_upper (a->keyval)),
                                gtk_label_get_label (GTK_LABEL (a->label)),
                                gtk_label_get_label (GTK_LABEL (b->label)));
      }
}

static GtkWidget *
find_primary_menu_button (GtkWidget *window)
{
  g_autoptr(GPtrArray) buttons = ow_test_gui_find_all (window, GTK_TYPE_MENU_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (gtk_menu_button_get_primary (buttons->pdata[i]))
      return buttons->pdata[i];
  g_error ("The window has no main menu");
  return NULL;
}

/* The actions of the menu's items whose labels end in "…": each opens a window. */
static void
collect_dialog_actions (GMenuModel *menu,
                        GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        collect_dialog_actions (section, actions);
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label)
          && g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action)
          && g_str_has_suffix (label, "…"))
        g_ptr_array_add (actions, g_steal_pointer (&action));
    }
}

static void
check_menu_and_dialogs (Fixture    *f,
                        const char *role)
{
  GtkWidget *window = GTK_WIDGET (f->counter.window);
  GtkMenuButton *menu = GTK_MENU_BUTTON (find_primary_menu_button (window));
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *where = g_strdup_printf ("%s, main menu", role);

  gtk_menu_button_popup (menu);
  ow_test_gui_settle (300);
  check (f, GTK_WIDGET (gtk_menu_button_get_popover (menu)), where);
  gtk_menu_button_popdown (menu);
  ow_test_gui_settle (100);

  collect_dialog_actions (gtk_menu_button_get_menu_model (menu), actions);
  for (guint i = 0; i < actions->len; i++)
    {
      const char *action = actions->pdata[i];
      GList *before = gtk_window_list_toplevels ();

      gtk_widget_activate_action (window, action, NULL);
      ow_test_gui_settle (400);
      {
        GList *after = gtk_window_list_toplevels ();

        for (GList *l = after; l != NULL; l = l->next)
          if (g_list_find (before, l->data) == NULL && gtk_widget_get_visible (l->data))
            {
              g_autofree char *dialog_where = g_strdup_printf ("%s, %s (%s)", role, action,
                                                               gtk_window_get_title (l->data));

              check (f, l->data, dialog_where);
              gtk_window_destroy (l->data);
            }
        g_list_free (after);
      }
      g_list_free (before);
      ow_test_gui_settle (100);
    }
}

static void
check_pages (Fixture    *f,
             const char *role)
{
  GtkWidget *window = GTK_WIDGET (f->counter.window);
  AdwViewStack *stack = ow_test_gui_find_first (window, ADW_TYPE_VIEW_STACK);
  GtkSelectionModel *pages = adw_view_stack_get_pages (stack);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      g_autofree char *where = NULL;

      if (!adw_view_stack_page_get_visible (page))
        continue;
      adw_view_stack_set_visible_child (stack, adw_view_stack_page_get_child (page));
      where = g_strdup_printf ("%s, page %s", role, adw_view_stack_page_get_title (page));
      check (f, window, where);
    }
  g_object_unref (pages);
}

/* The pages dialog's Scan is there once a scanner answered. */
static gboolean
scanner_found (gpointer data)
{
  g_autoptr(GPtrArray) buttons = ow_test_gui_find_all (data, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), "scan.scan") == 0)
      return gtk_widget_is_sensitive (buttons->pdata[i]);
  return FALSE;
}

/* The clerk's intake page in the states that show more controls. */
static void
check_intake_states (Fixture *f)
{
  GtkWidget *window = GTK_WIDGET (f->counter.window);
  AdwViewStack *stack = ow_test_gui_find_first (window, ADW_TYPE_VIEW_STACK);
  OwIntakePage *page = ow_test_gui_find_first (window, OW_TYPE_INTAKE_PAGE);
  OwApplicantForm *form = ow_test_gui_find_first (window, OW_TYPE_APPLICANT_FORM);
  OwDecisionPanel *panel = ow_test_gui_find_first (window, OW_TYPE_DECISION_PANEL);
  GtkListBox *results = ow_test_gui_find_list_with_class (window, "navigation-sidebar");
  GtkDropDown *kind = NULL;
  g_autoptr(GPtrArray) drop_downs = ow_test_gui_find_all (form, GTK_TYPE_DROP_DOWN);
  g_autoptr(GPtrArray) combo_rows = ow_test_gui_find_all (panel, ADW_TYPE_COMBO_ROW);

  adw_view_stack_set_visible_child_name (stack, "intake");
  /* An item with its checklist: the first result, as Enter takes it. */
  g_signal_emit_by_name (results, "row-activated", gtk_list_box_get_row_at_index (results, 0));
  check (f, window, "clerk, intake with an item");

  /* A line's pages dialog, with the scanner found. */
  {
    g_autoptr(GPtrArray) rows = ow_test_gui_find_all (page, OW_TYPE_MATERIAL_ROW);
    GtkWidget *dialog;

    g_assert_cmpuint (rows->len, >, 0);
    g_assert_true (gtk_widget_activate_action (rows->pdata[0], "row.scan", NULL));
    ow_test_gui_settle (300);
    dialog = ow_test_gui_find_toplevel (OW_TYPE_SCAN_DIALOG);
    g_assert_nonnull (dialog);
    ow_test_gui_wait_until (scanner_found, dialog, "the scanner in the pages dialog");
    check (f, dialog, "clerk, a line's pages");
    gtk_window_destroy (GTK_WINDOW (dialog));
    ow_test_gui_settle (200);
  }

  ow_applicant_form_set_has_agent (form, TRUE);
  check (f, window, "clerk, intake with an agent");
  g_assert_cmpuint (drop_downs->len, >, 0);
  kind = drop_downs->pdata[0];
  gtk_drop_down_set_selected (kind, 1);
  check (f, window, "clerk, intake for an organisation with an agent");
  gtk_drop_down_set_selected (kind, 0);
  ow_applicant_form_set_has_agent (form, FALSE);

  g_assert_cmpuint (combo_rows->len, ==, 2);
  ow_decision_panel_set_decision (panel, OW_DECISION_REFUSE);
  adw_combo_row_set_selected (combo_rows->pdata[1], 1);
  check (f, window, "clerk, intake refusing, delivery by post");
  ow_decision_panel_set_decision (panel, OW_DECISION_SUPPLEMENT);
  check (f, window, "clerk, intake requesting supplements");
  ow_intake_page_reset (page);
}

/* A ticket of unfinished business, registered through its dialog, so that the roles after the
 * clerk see one in their list and its steps' buttons. Fields are found by their labels in the
 * language of the run. */
static GtkWidget *
labelled (gpointer    root,
          const char *msgid)
{
  g_autofree char *text = ow_test_gui_strip_mnemonic (_(msgid));

  return ow_test_gui_find_labelled (root, text);
}

static gboolean
no_ticket_dialog (gpointer data)
{
  return ow_test_gui_find_toplevel (OW_TYPE_TICKET_DIALOG) == NULL;
}

static void
register_ticket (Fixture *f)
{
  GtkWidget *dialog;
  g_autofree char *register_label = ow_test_gui_strip_mnemonic (_("_Register and Print"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->counter.window),
                                             "win.register-ticket", NULL));
  ow_test_gui_settle (200);
  dialog = ow_test_gui_find_toplevel (OW_TYPE_TICKET_DIALOG);
  g_assert_nonnull (dialog);
  ow_test_gui_type_text (labelled (dialog, "_Name"), "张三");
  ow_test_gui_type_text (labelled (dialog, "_Phone"), "13800138000");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (labelled (dialog,
                                                                               "_Description"))),
                            "网上申请营业执照变更三次被退回", -1);
  ow_test_gui_settle (100);
  g_signal_emit_by_name (ow_test_gui_find_button (dialog, register_label), "clicked");
  ow_test_gui_wait_until (no_ticket_dialog, NULL, "the registration to close");
}

/* The unfinished-business page with a ticket chosen: its steps are buttons with mnemonics. */
static void
check_ticket (Fixture    *f,
              const char *role)
{
  OwTicketsPage *page = ow_test_gui_find_first (f->counter.window, OW_TYPE_TICKETS_PAGE);
  AdwViewStack *stack = ow_test_gui_find_first (f->counter.window, ADW_TYPE_VIEW_STACK);
  GtkListBox *list = page != NULL ? ow_test_gui_find_first (page, GTK_TYPE_LIST_BOX) : NULL;
  g_autofree char *where = g_strdup_printf ("%s, a ticket", role);

  if (list == NULL)
    return;
  adw_view_stack_set_visible_child_name (stack, "tickets");
  ow_test_gui_settle (500);
  if (gtk_list_box_get_row_at_index (list, 0) == NULL)
    {
      g_test_message ("%s: no ticket listed", role);
      return;
    }
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 0));
  check (f, GTK_WIDGET (f->counter.window), where);
}

/* The log-in page in any language: its one entry, its password entry, its action. */
static void
log_in (Fixture    *f,
        const char *username)
{
  GtkWidget *window = GTK_WIDGET (f->counter.window);
  GtkWidget *password = ow_test_gui_find_first (window, GTK_TYPE_PASSWORD_ENTRY);
  GtkWidget *user = ow_test_gui_find_first (gtk_widget_get_parent (password), GTK_TYPE_ENTRY);

  ow_test_gui_type_text (user, username);
  ow_test_gui_type_text (password, "demo");
  g_assert_true (gtk_widget_activate_action (window, "win.login", NULL));
  ow_test_gui_wait_until ((OwTestGuiCondition) gtk_widget_get_visible,
                          ow_test_gui_find_first (window, ADW_TYPE_VIEW_SWITCHER),
                          "the workspaces after logging in");
  g_assert_cmpstr (ow_context_get_user (f->counter.context)->username, ==, username);
}

static void
test_mnemonics (void)
{
  Fixture f = { 0 };
  const char *roles[] = { "clerk", "supervisor", "department" };

  f.problems = g_string_new (NULL);
  ow_test_counter_start (&f.counter, OW_TEST_COUNTER_SCANNER, NULL);
  check (&f, GTK_WIDGET (f.counter.window), "log-in page");

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      log_in (&f, roles[i]);
      check_pages (&f, roles[i]);
      if (g_str_equal (roles[i], "clerk"))
        {
          check_intake_states (&f);
          register_ticket (&f);
          ow_test_gui_wait_until (ow_test_gui_sync_drained,
                                  ow_context_get_sync (f.counter.context),
                                  "the ticket on the platform");
        }
      check_ticket (&f, roles[i]);
      check_menu_and_dialogs (&f, roles[i]);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.counter.window), "win.logout",
                                                 NULL));
      ow_test_gui_settle (300);
    }

  g_test_message ("%u mnemonics checked", f.checked);
  g_assert_cmpuint (f.checked, >, 50);
  if (f.problems->len > 0)
    g_error ("Mnemonics collide (%s):\n%s", g_getenv ("LANGUAGE") ?: "English",
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

  g_test_add_func ("/mnemonics/every-window", test_mnemonics);

  return g_test_run ();
}
