/* ow-cases-page.c — a department's own cases, read-only: the platform's list and one case
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list comes from the platform page by page (GET /api/v1/cases, which shows a department
 * only its own cases) and is not kept in the local store: a department decides in its own
 * systems and reads here what the counters sent it. Offline, the page says so and offers to
 * try again.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "gui/cases/ow-cases-page.h"

#define PAGE_SIZE "50"

struct _OwCasesPage
{
  AdwBin parent_instance;

  /* template */
  GtkDropDown *state_dropdown;
  GtkSearchEntry *case_entry;
  GtkStack *list_stack;
  GtkListBox *cases_list;
  GtkButton *more_button;
  GtkSpinner *spinner;
  AdwStatusPage *error_page;
  OwCaseView *case_view;

  OwContext *context;
  GCancellable *cancellable;  /* the listing under way; cancelled by the next and in dispose */
  GPtrArray *cases;           /* OwCase, parallel to the rows */
  char *next;                 /* the cursor of the next page, NULL on the last */
  gboolean loaded;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (OwCasesPage, ow_cases_page, ADW_TYPE_BIN)

static void list_page (OwCasesPage *self,
                       gboolean     more);

/* The states a department filters by, in the order a case goes through them; index 0 of the
 * drop-down is "All states". */
static const OwCaseState filter_states[] = {
  OW_CASE_STATE_ACCEPTED,
  OW_CASE_STATE_SUSPENDED,
  OW_CASE_STATE_APPROVED,
  OW_CASE_STATE_NOT_APPROVED,
  OW_CASE_STATE_RESULT_READY,
  OW_CASE_STATE_HANDED_OVER,
  OW_CASE_STATE_MAILED,
  OW_CASE_STATE_DELIVERED,
  OW_CASE_STATE_SUPPLEMENT_REQUESTED,
  OW_CASE_STATE_RECEIVED,
  OW_CASE_STATE_REFUSED,
  OW_CASE_STATE_WITHDRAWN,
};

static const char *
selected_state (OwCasesPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->state_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0
      || selected > G_N_ELEMENTS (filter_states))
    return NULL;
  return ow_case_state_to_string (filter_states[selected - 1]);
}

static GtkWidget *
create_row (OwCase *kase)
{
  GtkWidget *row = adw_action_row_new ();
  GPtrArray *items = ow_case_get_items (kase);
  const OwCaseItem *first = items->len > 0 ? g_ptr_array_index (items, 0) : NULL;
  const GDate *promised = ow_case_get_promised_date (kase);
  g_autofree char *number = ow_case_number_format (ow_case_get_case_no (kase));
  GString *subtitle = g_string_new (number);
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;

  if (first == NULL)
    title = g_strdup (_("A case without items"));
  else if (items->len == 1)
    title = g_markup_escape_text (first->name, -1);
  else
    {
      /* Translators: an item's name, then how many more the case has */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u more",
                                                            "%s and %u more", items->len - 1),
                                               first->name, items->len - 1);
      title = g_markup_escape_text (text, -1);
    }
  g_string_append_printf (subtitle, " · %s", ow_case_state_to_label (ow_case_get_state (kase)));
  if (promised != NULL && g_date_valid (promised))
    {
      char date[16];

      g_date_strftime (date, sizeof date, "%Y-%m-%d", promised);
      g_string_append (subtitle, " · ");
      /* Translators: %s is the promised date of a case */
      g_string_append_printf (subtitle, _("promised by %s"), date);
    }
  escaped = g_markup_escape_text (subtitle->str, -1);
  g_string_free (subtitle, TRUE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
clear_rows (OwCasesPage *self)
{
  GtkWidget *child;

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cases_list))) != NULL)
    gtk_list_box_remove (self->cases_list, child);
  self->filling = FALSE;
  g_ptr_array_set_size (self->cases, 0);
  g_clear_pointer (&self->next, g_free);
}

static void
cases_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OwCasesPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCasePage) page = ow_client_list_cases_finish (OW_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OW_CASES_PAGE (user_data);
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->more_button), TRUE);
  self->loaded = TRUE;

  if (page == NULL)
    {
      if (self->cases->len == 0)
        {
          adw_status_page_set_description (self->error_page, error->message);
          gtk_stack_set_visible_child_name (self->list_stack, "error");
        }
      else
        {
          GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self),
                                                        ADW_TYPE_TOAST_OVERLAY);
          g_autofree char *message = g_strdup_printf (_("No more cases could be listed: %s"),
                                                      error->message);

          if (overlay != NULL)
            adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
        }
      return;
    }

  for (guint i = 0; i < page->cases->len; i++)
    {
      OwCase *kase = g_ptr_array_index (page->cases, i);

      g_ptr_array_add (self->cases, g_object_ref (kase));
      gtk_list_box_append (self->cases_list, create_row (kase));
    }
  g_free (self->next);
  self->next = g_strdup (page->next);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->next != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.more", self->next != NULL);
  gtk_stack_set_visible_child_name (self->list_stack, self->cases->len > 0 ? "list" : "empty");
}

static void
list_page (OwCasesPage *self,
           gboolean     more)
{
  const char *params[] = { "limit", PAGE_SIZE, "state", NULL, "after", NULL, NULL };

  if (self->context == NULL || ow_context_get_user (self->context) == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loaded = FALSE;

  params[3] = selected_state (self);
  if (more)
    {
      params[5] = self->next;
      gtk_widget_set_sensitive (GTK_WIDGET (self->more_button), FALSE);
    }
  else
    {
      clear_rows (self);
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
    }
  ow_client_list_cases_async (ow_context_get_client (self->context), params, self->cancellable,
                              cases_listed_cb, self);
}

static void
filter_changed_cb (OwCasesPage *self)
{
  list_page (self, FALSE);
}

static void
row_selected_cb (OwCasesPage   *self,
                 GtkListBoxRow *row)
{
  int index;

  if (self->filling || row == NULL)
    return;
  index = gtk_list_box_row_get_index (row);
  if (index >= 0 && (guint) index < self->cases->len)
    ow_case_view_show_case (self->case_view, g_ptr_array_index (self->cases, index));
}

static void
case_entry_activated_cb (OwCasesPage *self)
{
  g_autofree char *number = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                    self->case_entry))));

  if (*number == '\0' || self->context == NULL)
    return;
  gtk_list_box_unselect_all (self->cases_list);
  ow_case_view_show (self->case_view, number);
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  list_page (OW_CASES_PAGE (widget), FALSE);
}

static void
more_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwCasesPage *self = OW_CASES_PAGE (widget);

  if (self->next != NULL)
    list_page (self, TRUE);
}

static void
ow_cases_page_dispose (GObject *object)
{
  OwCasesPage *self = OW_CASES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_CASES_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->cases, g_ptr_array_unref);
  g_clear_pointer (&self->next, g_free);

  G_OBJECT_CLASS (ow_cases_page_parent_class)->dispose (object);
}

static void
ow_cases_page_class_init (OwCasesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_cases_page_dispose;

  g_type_ensure (OW_TYPE_CASE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/cases/"
                                               "ow-cases-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwCasesPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwCasesPage, case_entry);
  gtk_widget_class_bind_template_child (widget_class, OwCasesPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, OwCasesPage, cases_list);
  gtk_widget_class_bind_template_child (widget_class, OwCasesPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, OwCasesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, OwCasesPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, OwCasesPage, case_view);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, case_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "cases.refresh", NULL, refresh_activated);
  gtk_widget_class_install_action (widget_class, "cases.more", NULL, more_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "cases.refresh", NULL);
}

static void
ow_cases_page_init (OwCasesPage *self)
{
  g_autoptr(GtkStringList) states = gtk_string_list_new (NULL);

  self->cases = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (states, _("All states"));
  for (guint i = 0; i < G_N_ELEMENTS (filter_states); i++)
    gtk_string_list_append (states, ow_case_state_to_label (filter_states[i]));
  gtk_drop_down_set_model (self->state_dropdown, G_LIST_MODEL (states));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.more", FALSE);
}

void
ow_cases_page_set_context (OwCasesPage *self,
                           OwContext   *context)
{
  g_return_if_fail (OW_IS_CASES_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_rows (self);
  g_set_object (&self->context, context);
  ow_case_view_set_context (self->case_view, context);
  gtk_editable_set_text (GTK_EDITABLE (self->case_entry), "");
  self->loaded = FALSE;
  if (context != NULL)
    list_page (self, FALSE);
}

void
ow_cases_page_refresh (OwCasesPage *self)
{
  g_return_if_fail (OW_IS_CASES_PAGE (self));
  list_page (self, FALSE);
}

guint
ow_cases_page_get_n_rows (OwCasesPage *self)
{
  g_return_val_if_fail (OW_IS_CASES_PAGE (self), 0);
  return self->cases->len;
}

gboolean
ow_cases_page_is_loaded (OwCasesPage *self)
{
  g_return_val_if_fail (OW_IS_CASES_PAGE (self), FALSE);
  return self->loaded;
}

OwCaseView *
ow_cases_page_get_view (OwCasesPage *self)
{
  g_return_val_if_fail (OW_IS_CASES_PAGE (self), NULL);
  return self->case_view;
}
