/* ow-tickets-page.c — the hall's unfinished business (未办成事): list, filters, one ticket
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/tickets/ow-tickets-page.h"

struct _OwTicketsPage
{
  AdwBin parent_instance;

  /* template */
  GtkDropDown *filter_dropdown;
  GtkDropDown *department_dropdown;
  GtkStack *list_stack;
  GtkListBox *tickets_list;
  OwTicketView *ticket_view;

  OwContext *context;
  GCancellable *cancellable;      /* cancelled in dispose */
  GCancellable *list_cancellable; /* the listing under way */
  char **departments;             /* parallel to the department list after "All" */
  guint n_rows;
  gboolean loaded;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (OwTicketsPage, ow_tickets_page, ADW_TYPE_BIN)

static void
get_today (GDate *today)
{
  ow_ticket_hall_date (NULL, today);
}

static gboolean
ticket_is_overdue (const OwTicket *ticket,
                   const GDate    *today)
{
  /* The platform's word, or the counter's own count while the platform has not answered. */
  return ticket->overdue
         || (g_date_valid (&ticket->due_date)
             && ow_ticket_is_overdue (ticket->state, &ticket->due_date, today));
}

static gboolean
matches_filter (OwTicketsPage  *self,
                const OwTicket *ticket,
                const GDate    *today)
{
  const OwUser *user = ow_context_get_user (self->context);
  guint filter = gtk_drop_down_get_selected (self->filter_dropdown);
  guint department = gtk_drop_down_get_selected (self->department_dropdown);

  /* The counter keeps whatever tickets its users saw; a department's user is shown their
   * department's only, as the platform shows them (ow-platform-access.h). */
  if (ow_user_sees_department_only (user)
      && g_strcmp0 (ticket->assignee, user->username) != 0
      && !ow_directory_same_department (ow_context_get_directory (self->context), user,
                                        ticket->assignee))
    return FALSE;

  switch (filter)
    {
    case OW_TICKETS_FILTER_OPEN:
      if (!ow_ticket_state_is_open (ticket->state))
        return FALSE;
      break;
    case OW_TICKETS_FILTER_OVERDUE:
      if (!ticket_is_overdue (ticket, today))
        return FALSE;
      break;
    case OW_TICKETS_FILTER_MINE:
      if (user == NULL || g_strcmp0 (ticket->assignee, user->username) != 0)
        return FALSE;
      break;
    case OW_TICKETS_FILTER_MY_HALL:
      /* A ticket the platform has not answered for yet was registered here. */
      if (user == NULL || (ticket->hall != NULL && *ticket->hall != '\0'
                           && g_strcmp0 (ticket->hall, user->hall) != 0))
        return FALSE;
      break;
    default:
      break;
    }

  if (department != GTK_INVALID_LIST_POSITION && department > 0 && self->departments != NULL
      && department - 1 < g_strv_length (self->departments))
    {
      OwCatalog *catalog = ow_context_get_catalog (self->context);
      const char *item_department = ticket->item_id != NULL && catalog != NULL
                                    ? ow_catalog_get_item_department (catalog, ticket->item_id)
                                    : NULL;

      if (item_department == NULL
          || g_strcmp0 (item_department, self->departments[department - 1]) != 0)
        return FALSE;
    }
  return TRUE;
}

static GtkWidget *
create_row (OwTicketsPage  *self,
            const OwTicket *ticket,
            const GDate    *today)
{
  GtkWidget *row = adw_action_row_new ();
  GString *subtitle = g_string_new (NULL);
  g_autofree char *title = g_markup_escape_text (ticket->summary, -1);
  g_autofree char *escaped = NULL;
  char due[32];

  g_string_append_printf (subtitle, "%s · %s", ticket->id,
                          ow_ticket_state_describe (ticket->state));
  if (g_date_valid (&ticket->due_date))
    {
      g_date_strftime (due, sizeof due, "%Y-%m-%d", &ticket->due_date);
      /* Translators: %s is a date */
      g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, _("due %s"), due);
    }
  if (ticket->assignee != NULL)
    {
      g_autofree char *assignee = ow_context_describe_user (self->context, ticket->assignee);

      g_string_append_printf (subtitle, " · %s", assignee);
    }
  if (ticket_is_overdue (ticket, today))
    {
      g_string_append_printf (subtitle, " · %s", _("overdue"));
      gtk_widget_add_css_class (row, "ow-problem");
    }
  escaped = g_markup_escape_text (subtitle->str, -1);
  g_string_free (subtitle, TRUE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  g_object_set_data_full (G_OBJECT (row), "ow-ticket-id", g_strdup (ticket->id), g_free);
  return row;
}

static void
tickets_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OwTicketsPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = ow_store_list_tickets_finish (OW_STORE (source), result, &error);
  const char *shown;
  GtkWidget *child;
  GDate today;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OW_TICKETS_PAGE (user_data);
  g_clear_object (&self->list_cancellable);
  if (tickets == NULL)
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
      g_autofree char *message = g_strdup_printf (_("The tickets could not be listed: %s"),
                                                  error->message);

      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
      self->loaded = TRUE;
      return;
    }

  get_today (&today);
  shown = ow_ticket_view_get_id (self->ticket_view);
  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tickets_list))) != NULL)
    gtk_list_box_remove (self->tickets_list, child);
  self->n_rows = 0;
  for (guint i = 0; i < tickets->len; i++)
    {
      const OwTicket *ticket = g_ptr_array_index (tickets, i);
      GtkWidget *row;

      if (!matches_filter (self, ticket, &today))
        continue;
      row = create_row (self, ticket, &today);
      gtk_list_box_append (self->tickets_list, row);
      if (g_strcmp0 (ticket->id, shown) == 0)
        gtk_list_box_select_row (self->tickets_list, GTK_LIST_BOX_ROW (row));
      self->n_rows++;
    }
  self->filling = FALSE;
  gtk_stack_set_visible_child_name (self->list_stack, self->n_rows > 0 ? "list" : "empty");
  self->loaded = TRUE;
}

static void
filter_changed_cb (OwTicketsPage *self)
{
  ow_tickets_page_refresh (self);
}

static void
row_selected_cb (OwTicketsPage *self,
                 GtkListBoxRow *row)
{
  const char *id;

  if (self->filling || row == NULL)
    return;
  id = g_object_get_data (G_OBJECT (row), "ow-ticket-id");
  if (g_strcmp0 (id, ow_ticket_view_get_id (self->ticket_view)) != 0)
    ow_ticket_view_show (self->ticket_view, id);
}

static void
ticket_changed_cb (OwTicketsPage *self,
                   const char    *id)
{
  ow_tickets_page_refresh (self);
}

static void
tickets_applied_cb (OwTicketsPage *self,
                    GStrv          ids,
                    OwSync        *sync)
{
  const char *shown = ow_ticket_view_get_id (self->ticket_view);

  ow_tickets_page_refresh (self);
  if (shown != NULL && ids != NULL && g_strv_contains ((const char * const *) ids, shown))
    ow_ticket_view_reload (self->ticket_view);
}

static void
outbox_changed_cb (OwTicketsPage *self,
                   OwSync        *sync)
{
  ow_tickets_page_refresh (self);
}

static void
fill_departments (OwTicketsPage *self)
{
  OwCatalog *catalog = self->context != NULL ? ow_context_get_catalog (self->context) : NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->departments, g_strfreev);
  gtk_string_list_append (names, _("All departments"));
  if (catalog != NULL)
    {
      self->departments = ow_catalog_dup_departments (catalog);
      for (guint i = 0; self->departments[i] != NULL; i++)
        gtk_string_list_append (names, self->departments[i]);
    }
  gtk_drop_down_set_model (self->department_dropdown, G_LIST_MODEL (names));
}

static void
ow_tickets_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ow_tickets_page_parent_class)->map (widget);
  /* Coming back to the page shows what was registered meanwhile. */
  ow_tickets_page_refresh (OW_TICKETS_PAGE (widget));
}

static void
ow_tickets_page_dispose (GObject *object)
{
  OwTicketsPage *self = OW_TICKETS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_TICKETS_PAGE);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->list_cancellable);

  G_OBJECT_CLASS (ow_tickets_page_parent_class)->dispose (object);
}

static void
ow_tickets_page_finalize (GObject *object)
{
  OwTicketsPage *self = OW_TICKETS_PAGE (object);

  g_strfreev (self->departments);

  G_OBJECT_CLASS (ow_tickets_page_parent_class)->finalize (object);
}

static void
ow_tickets_page_class_init (OwTicketsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_tickets_page_dispose;
  object_class->finalize = ow_tickets_page_finalize;
  widget_class->map = ow_tickets_page_map;

  g_type_ensure (OW_TYPE_TICKET_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/tickets/"
                                               "ow-tickets-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwTicketsPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwTicketsPage, department_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwTicketsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, OwTicketsPage, tickets_list);
  gtk_widget_class_bind_template_child (widget_class, OwTicketsPage, ticket_view);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, ticket_changed_cb);
}

static void
ow_tickets_page_init (OwTicketsPage *self)
{
  g_autoptr(GtkExpression) expression = NULL;

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->department_dropdown, expression);
  fill_departments (self);
}

void
ow_tickets_page_set_context (OwTicketsPage *self,
                             OwContext     *context)
{
  g_return_if_fail (OW_IS_TICKETS_PAGE (self));
  g_return_if_fail (context == NULL || OW_IS_CONTEXT (context));

  if (self->context != context)
    {
      OwSync *old = self->context != NULL ? ow_context_get_sync (self->context) : NULL;

      if (old != NULL)
        g_signal_handlers_disconnect_by_data (old, self);
      if (self->context != NULL)
        g_signal_handlers_disconnect_by_data (ow_context_get_directory (self->context), self);
      g_set_object (&self->context, context);
      /* The assignees' names may arrive after the list. */
      if (context != NULL)
        g_signal_connect_object (ow_context_get_directory (context), "changed",
                                 G_CALLBACK (ow_tickets_page_refresh), self, G_CONNECT_SWAPPED);
      if (context != NULL && ow_context_get_sync (context) != NULL)
        {
          g_signal_connect_object (ow_context_get_sync (context), "tickets-applied",
                                   G_CALLBACK (tickets_applied_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (ow_context_get_sync (context), "outbox-changed",
                                   G_CALLBACK (outbox_changed_cb), self, G_CONNECT_SWAPPED);
        }
    }
  fill_departments (self);
  ow_ticket_view_set_context (self->ticket_view, context);
  ow_tickets_page_refresh (self);
}

void
ow_tickets_page_refresh (OwTicketsPage *self)
{
  const OwUser *user;
  GtkWidget *child;

  g_return_if_fail (OW_IS_TICKETS_PAGE (self));

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->loaded = FALSE;
  user = self->context != NULL ? ow_context_get_user (self->context) : NULL;
  if (user == NULL || ow_context_get_store (self->context) == NULL)
    {
      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tickets_list))) != NULL)
        gtk_list_box_remove (self->tickets_list, child);
      self->n_rows = 0;
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      self->loaded = TRUE;
      return;
    }

  self->list_cancellable = g_cancellable_new ();
  ow_store_list_tickets_async (ow_context_get_store (self->context), 0,
                               gtk_drop_down_get_selected (self->filter_dropdown)
                               == OW_TICKETS_FILTER_MINE ? user->username : NULL,
                               0, self->list_cancellable, tickets_listed_cb, self);
}

gboolean
ow_tickets_page_get_loaded (OwTicketsPage *self)
{
  g_return_val_if_fail (OW_IS_TICKETS_PAGE (self), FALSE);
  return self->loaded;
}

guint
ow_tickets_page_get_n_rows (OwTicketsPage *self)
{
  g_return_val_if_fail (OW_IS_TICKETS_PAGE (self), 0);
  return self->n_rows;
}

gboolean
ow_tickets_page_select (OwTicketsPage *self,
                        const char    *id)
{
  g_return_val_if_fail (OW_IS_TICKETS_PAGE (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->tickets_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "ow-ticket-id"), id) == 0)
      {
        gtk_list_box_select_row (self->tickets_list, GTK_LIST_BOX_ROW (row));
        return TRUE;
      }
  return FALSE;
}

OwTicketView *
ow_tickets_page_get_view (OwTicketsPage *self)
{
  g_return_val_if_fail (OW_IS_TICKETS_PAGE (self), NULL);
  return self->ticket_view;
}
