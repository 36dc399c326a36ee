/* test-tickets.c — unfinished business in the counter window, against the real platform
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A clerk registers a ticket through the dialog (an invalid phone first: Register refuses and
 * says why), it is kept locally, reaches the platform after a flush, and its receipt reaches a
 * real IPP printer; the tickets page lists it. Then the supervisor logs in on the same counter
 * and assigns it to the department's user: the platform shows it assigned.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "gui/shell/ow-application.h"
#include "gui/tickets/ow-ticket-dialog.h"
#include "gui/tickets/ow-tickets-page.h"
#include "gui/shell/ow-window.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

static gboolean
no_dialog (gpointer data)
{
  return ow_test_gui_find_toplevel (OW_TYPE_TICKET_DIALOG) == NULL;
}

static gboolean
page_loaded_with_one (gpointer data)
{
  return ow_tickets_page_get_loaded (data) && ow_tickets_page_get_n_rows (data) == 1;
}

static gboolean
view_loaded (gpointer data)
{
  return ow_ticket_view_get_loaded (data);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return ow_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  ow_sync_flush_finish (OW_SYNC (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
flush (OwTestCounter *counter)
{
  gboolean done = FALSE;

  ow_sync_flush_async (ow_context_get_sync (counter->context), NULL, flushed_cb, &done);
  ow_test_gui_wait_until (is_true, &done, "the outbox to be flushed");
}

typedef struct
{
  OwTicketView *view;
  guint n;
} EventCount;

static gboolean
view_has_events (gpointer data)
{
  EventCount *ec = data;
  return ow_ticket_view_get_loaded (ec->view) && ow_ticket_view_get_n_events (ec->view) == ec->n;
}

/* Clicks @button of the shown ticket, lets @fill fill the step's dialog, applies it and waits for
 * the timeline to have @n_events steps. */
static void
take_step (OwTicketView *view,
           const char   *button,
           void        (*fill) (GtkWidget *dialog),
           guint         n_events)
{
  GtkWidget *dialog;
  EventCount ec = { view, n_events };

  g_assert_true (gtk_widget_is_sensitive (ow_test_gui_find_button (view, button)));
  g_signal_emit_by_name (ow_test_gui_find_button (view, button), "clicked");
  ow_test_gui_wait_until (message_dialog_shown, NULL, "the step's dialog");
  dialog = ow_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  if (fill != NULL)
    fill (dialog);
  ow_test_gui_settle (50);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "apply"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  ow_test_gui_wait_until (view_has_events, &ec, "the step in the timeline");
}

static void
fill_resolution (GtkWidget *dialog)
{
  GtkTextView *done = GTK_TEXT_VIEW (ow_test_gui_find_labelled (dialog, "What was done"));

  /* Nothing said: the step cannot be applied. */
  ow_test_gui_settle (50);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "apply"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (done),
                            "与市监局核实退回理由，已指导申请人一次性补齐材料并办结", -1);
}

static void
fill_call_back (GtkWidget *dialog)
{
  GtkCheckButton *reached = ow_test_gui_find_first (dialog, GTK_TYPE_CHECK_BUTTON);

  g_assert_true (gtk_check_button_get_active (reached));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ow_test_gui_find_labelled (dialog, "Satisfaction")),
                              0);
}

/* People, as the interface must name them. */
#define ZHAO_QIANG "赵强 · 海口市市场监督管理局"
#define LIN_FANG   "林芳 · 海口市医疗保障局"

/* The titles and subtitles of the rows under @root, one a line: what a person reads there. */
static char *
rows_text (gpointer root)
{
  g_autoptr(GPtrArray) rows = ow_test_gui_find_all (root, ADW_TYPE_ACTION_ROW);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *subtitle = adw_action_row_get_subtitle (rows->pdata[i]);

      g_string_append_printf (text, "%s\n%s\n",
                              adw_preferences_row_get_title (rows->pdata[i]),
                              subtitle != NULL ? subtitle : "");
    }
  return g_string_free (text, FALSE);
}

/* No log-in name of the demo appears as a word of @text: the interface names people. */
static void
assert_no_login_names (const char *text)
{
  static const char * const login_names[] = { "clerk", "pickup", "supervisor", "department",
                                              "department2", "market.colleague", NULL };
  g_auto(GStrv) words = g_regex_split_simple ("[^A-Za-z0-9._]+", text, 0, 0);

  for (guint i = 0; words[i] != NULL; i++)
    if (g_strv_contains (login_names, words[i]))
      g_error ("The log-in name “%s” is shown in:\n%s", words[i], text);
}

static void
assert_platform_state (OwTestCounter *counter,
                       const char    *path,
                       const char    *username,
                       const char    *state)
{
  g_autoptr(OwTestResponse) response = ow_test_counter_get (counter, username, path);

  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, state);
}

static void
test_register_and_assign (void)
{
  OwTestCounter f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autofree char *ticket_id = NULL;
  g_autofree char *path = NULL;
  OwTicketDialog *dialog;
  GtkWidget *name, *phone, *register_button, *phone_error;
  GtkTextView *description;
  OwTicketsPage *page;
  OwTicketView *view;
  char due[16];

  ow_test_counter_start (&f, OW_TEST_COUNTER_PRINTER, NULL);

  /* Logged out, nobody can register. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.register-ticket",
                                              NULL)
                  && ow_test_gui_find_toplevel (OW_TYPE_TICKET_DIALOG) != NULL);

  ow_test_counter_log_in (&f, "clerk");
  /* The hall wants the applicant's and the archive's copy of the receipt. */
  {
    GSettings *settings = ow_context_get_settings (f.context);
    g_autoptr(GVariant) copies = g_settings_get_value (settings, "document-copies");
    g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{su}"));
    GVariantIter iter;
    const char *kind;
    guint n;

    g_variant_iter_init (&iter, copies);
    while (g_variant_iter_next (&iter, "{&su}", &kind, &n))
      g_variant_builder_add (builder, "{su}", kind, g_str_equal (kind, "ticket-receipt") ? 2 : n);
    g_settings_set_value (settings, "document-copies", g_variant_builder_end (builder));
  }

  /* The one action, from anywhere in the window (Ctrl+B, the menu, the tickets page). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.register-ticket",
                                             NULL));
  ow_test_gui_settle (100);
  dialog = OW_TICKET_DIALOG (ow_test_gui_find_toplevel (OW_TYPE_TICKET_DIALOG));
  g_assert_nonnull (dialog);
  register_button = ow_test_gui_find_button (dialog, "Register and Print");
  g_assert_false (gtk_widget_is_sensitive (register_button));
  g_assert_nonnull (ow_ticket_dialog_get_reason (dialog));

  name = ow_test_gui_find_labelled (dialog, "Name");
  phone = ow_test_gui_find_labelled (dialog, "Phone");
  description = GTK_TEXT_VIEW (ow_test_gui_find_labelled (dialog, "Description"));
  ow_test_gui_type_text (name, "张三");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (description),
                            "网上申请营业执照变更三次被退回，退回理由前后不一致", -1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ow_test_gui_find_labelled (dialog, "Channel")), 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ow_test_gui_find_labelled (dialog, "Service item")),
                              1);

  /* An invalid mobile: Register refuses and says why, under the field and beside the button. */
  ow_test_gui_type_text (phone, "1380013800");
  ow_test_gui_settle (50);
  g_assert_false (gtk_widget_is_sensitive (register_button));
  g_assert_true (gtk_widget_has_css_class (phone, "error"));
  phone_error = gtk_widget_get_next_sibling (phone);
  g_assert_true (GTK_IS_LABEL (phone_error));
  g_assert_true (gtk_widget_get_visible (phone_error));
  g_assert_cmpstr (ow_ticket_dialog_get_reason (dialog), ==, "The mobile number is not valid.");

  /* A case number that is not one is refused too. */
  ow_test_gui_type_text (ow_test_gui_find_labelled (dialog, "Case number (if any)"), "12345");
  g_assert_nonnull (ow_ticket_dialog_get_reason (dialog));
  ow_test_gui_type_text (ow_test_gui_find_labelled (dialog, "Case number (if any)"), "");

  ow_test_gui_type_text (phone, "13800138000");
  ow_test_gui_settle (50);
  g_assert_false (gtk_widget_has_css_class (phone, "error"));
  g_assert_null (ow_ticket_dialog_get_reason (dialog));
  g_assert_true (gtk_widget_is_sensitive (register_button));
  ow_test_gui_screenshot (GTK_WIDGET (dialog), "gui-ticket-dialog.png");

  g_signal_emit_by_name (register_button, "clicked");
  ow_test_gui_wait_until (no_dialog, NULL, "the dialog to close after registering");

  /* Kept locally at once … */
  tickets = ow_store_list_tickets (ow_context_get_store (f.context), 0, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 1);
  {
    const OwTicket *ticket = g_ptr_array_index (tickets, 0);

    ticket_id = g_strdup (ticket->id);
    g_date_strftime (due, sizeof due, "%Y-%m-%d", &ticket->due_date);
    g_assert_cmpstr (ticket->contact_name, ==, "张三");
    g_assert_cmpstr (ticket->contact_phone, ==, "13800138000");
    g_assert_cmpstr (ticket->channel, ==, "online");
    g_assert_nonnull (ticket->item_id);
    g_assert_cmpint (ticket->tier, ==, OW_TICKET_TIER_5_DAYS);
    /* The category as a code, whatever the clerk's language: the first of the list. */
    g_assert_cmpstr (ticket->category, ==, "materials-unclear");
    g_assert_true (g_date_valid (&ticket->due_date));
  }

  /* … and on the platform after a flush. */
  flush (&f);
  path = g_strdup_printf ("/api/v1/tickets/%s", ticket_id);
  {
    g_autoptr(OwTestResponse) response = ow_test_counter_get (&f, "clerk", path);

    g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "registered");
    g_assert_cmpstr (ow_test_response_get_string (response, "contact_phone"), ==,
                     "13800138000");
    /* The counter counted the due date (printed on the receipt) as the platform does. */
    g_assert_cmpstr (ow_test_response_get_string (response, "due_date"), ==, due);
  }

  /* The receipt reached the printer, and the clerk was told. */
  if (f.printer != NULL)
    {
      g_autofree char *pdf = NULL;
      g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
      const char *printed[] = { "receipt printed", NULL };

      ow_test_gui_wait_until (ow_test_gui_spool_has_pdf, f.spool, "the receipt at the printer");
      ow_test_gui_wait_until (ow_test_gui_toast_with_text, printed, "the toast saying so");
      pdf = ow_test_gui_find_spooled_pdf (f.spool);
      {
        /* Kept to be looked at, like the screenshots. */
        g_autofree char *contents = NULL;
        g_autofree char *copy = ow_test_gui_screenshot_path ("gui-ticket-receipt.pdf");
        gsize length = 0;

        g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
        g_assert_true (g_file_set_contents (copy, contents, length, NULL));
      }
      if (pdftotext != NULL)
        {
          g_autofree char *text = ow_test_gui_pdf_text (pdf);

          g_assert_nonnull (strstr (text, "未办成事登记回执"));
          g_assert_nonnull (strstr (text, ticket_id));
          /* Two copies, each labelled, as set above. */
          g_assert_nonnull (strstr (text, "第一联（申请人留存）"));
          g_assert_nonnull (strstr (text, "第二联（存档）"));
        }
      else
        g_test_message ("pdftotext is not installed: the receipt's text is not checked");
    }

  /* The tickets page lists it; its detail shows the timeline. */
  adw_view_stack_set_visible_child_name (ow_test_gui_find_first (f.window, ADW_TYPE_VIEW_STACK),
                                         "tickets");
  page = ow_test_gui_find_first (f.window, OW_TYPE_TICKETS_PAGE);
  view = ow_tickets_page_get_view (page);
  ow_test_gui_wait_until (page_loaded_with_one, page, "the tickets page to list the ticket");
  g_assert_true (ow_tickets_page_select (page, ticket_id));
  ow_test_gui_wait_until (view_loaded, view, "the ticket's detail");
  /* A clerk may not assign: that is the supervisor's. */
  g_assert_false (gtk_widget_is_sensitive (ow_test_gui_find_button (view, "Assign…")));
  ow_test_gui_settle (200);
  ow_test_gui_screenshot (GTK_WIDGET (f.window), "gui-tickets-clerk.png");

  /* The supervisor takes over the counter and assigns it to the department's user. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.logout", NULL);
  ow_test_gui_settle (50);
  ow_test_counter_log_in (&f, "supervisor");
  /* The supervisor starts on the overview; unfinished business is the next workspace. */
  g_assert_cmpstr (ow_window_get_workspace (f.window), ==, "overview");
  adw_view_stack_set_visible_child_name (ow_test_gui_find_first (f.window, ADW_TYPE_VIEW_STACK),
                                         "tickets");
  g_assert_cmpstr (ow_window_get_workspace (f.window), ==, "tickets");
  ow_test_gui_wait_until (page_loaded_with_one, page, "the tickets page for the supervisor");
  g_assert_true (ow_tickets_page_select (page, ticket_id));
  ow_test_gui_wait_until (view_loaded, view, "the ticket's detail for the supervisor");
  g_assert_true (gtk_widget_is_sensitive (ow_test_gui_find_button (view, "Assign…")));
  g_assert_false (gtk_widget_is_sensitive (ow_test_gui_find_button (view, "Archive…")));
  g_signal_emit_by_name (ow_test_gui_find_button (view, "Assign…"), "clicked");
  ow_test_gui_wait_until (message_dialog_shown, NULL, "the assign dialog");
  {
    GtkWidget *assign = ow_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    GtkDropDown *to = GTK_DROP_DOWN (ow_test_gui_find_labelled (assign, "Assign to"));
    GListModel *names = gtk_drop_down_get_model (to);
    guint department = GTK_INVALID_LIST_POSITION;
    g_autoptr(GString) offered = g_string_new (NULL);

    /* Each person with whom they answer for: their department, or the hall's duty. */
    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      {
        g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);
        const char *text = gtk_string_object_get_string (item);

        g_string_append_printf (offered, "%s\n", text);
        if (g_str_equal (text, ZHAO_QIANG))
          department = i;
      }
    g_assert_cmpuint (department, !=, GTK_INVALID_LIST_POSITION);
    g_assert_nonnull (strstr (offered->str, LIN_FANG "\n"));
    g_assert_nonnull (strstr (offered->str, "陈静 · on-duty leader\n"));
    assert_no_login_names (offered->str);
    gtk_drop_down_set_selected (to, department);
    ow_test_gui_settle (50);
    ow_test_gui_screenshot (assign, "gui-ticket-assign.png");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (assign), "apply");
  }
  ow_test_gui_settle (100);
  ow_test_gui_wait_until (view_loaded, view, "the ticket to show its new step");
  g_assert_cmpuint (ow_ticket_view_get_n_events (view), ==, 1);
  /* The detail and the timeline name the department's person, as does the list. */
  {
    g_autofree char *shown = rows_text (view);

    g_assert_nonnull (strstr (shown, "Assigned to\n" ZHAO_QIANG "\n"));
    g_assert_nonnull (strstr (shown, "Assigned to " ZHAO_QIANG "\n"));
    assert_no_login_names (shown);
  }
  flush (&f);
  {
    g_autoptr(OwTestResponse) response = ow_test_counter_get (&f, "supervisor", path);

    g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "assigned");
    g_assert_cmpstr (ow_test_response_get_string (response, "assignee"), ==, "department");
  }
  ow_test_gui_wait_until (page_loaded_with_one, page, "the list with the assignment");
  {
    g_autofree char *listed = rows_text (ow_test_gui_find_list_with_class (page,
                                                                           "ow-tickets-list"));

    g_assert_nonnull (strstr (listed, " · " ZHAO_QIANG));
    assert_no_login_names (listed);
  }
  ow_test_gui_settle (200);
  ow_test_gui_screenshot (GTK_WIDGET (f.window), "gui-tickets-supervisor.png");

  /* The department's user starts and resolves it … */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.logout", NULL);
  ow_test_gui_settle (50);
  ow_test_counter_log_in (&f, "department");
  ow_test_gui_wait_until (page_loaded_with_one, page, "the tickets page for the department");
  g_assert_true (ow_tickets_page_select (page, ticket_id));
  ow_test_gui_wait_until (view_loaded, view, "the ticket's detail for the department");
  g_assert_false (gtk_widget_is_sensitive (ow_test_gui_find_button (view, "Assign…")));
  take_step (view, "Start Work", NULL, 2);
  take_step (view, "Resolve…", fill_resolution, 3);
  flush (&f);
  assert_platform_state (&f, path, "supervisor", "resolved");

  /* … and the supervisor calls the applicant back and archives it. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.logout", NULL);
  ow_test_gui_settle (50);
  ow_test_counter_log_in (&f, "supervisor");
  ow_test_gui_wait_until (page_loaded_with_one, page, "the tickets page for the call-back");
  g_assert_true (ow_tickets_page_select (page, ticket_id));
  ow_test_gui_wait_until (view_loaded, view, "the ticket's detail for the call-back");
  take_step (view, "Call Back…", fill_call_back, 4);
  take_step (view, "Archive…", NULL, 5);
  g_assert_false (gtk_widget_is_sensitive (ow_test_gui_find_button (view, "Add Note…")));
  flush (&f);
  assert_platform_state (&f, path, "supervisor", "archived");
  ow_test_gui_settle (200);
  ow_test_gui_screenshot (GTK_WIDGET (f.window), "gui-tickets-archived.png");

  ow_test_counter_stop (&f);
}

static gboolean
pending_is_zero (gpointer data)
{
  return ow_sync_get_pending (data) == 0;
}

/* Registered without the platform: kept and listed at once, sent exactly once when the platform
 * is back. The printer is gone too: the toast offers Retry, which prints once it is back. */
static void
test_offline (void)
{
  OwTestCounter f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autofree char *path = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  OwTicketDialog *dialog;
  OwTicketsPage *page;
  const OwTicket *ticket;

  ow_test_counter_start (&f, OW_TEST_COUNTER_PRINTER, NULL);
  ow_test_counter_log_in (&f, "clerk");

  ow_test_platform_stop (f.platform);
  ow_test_counter_stop_printer (&f);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.register-ticket", NULL);
  ow_test_gui_settle (100);
  dialog = OW_TICKET_DIALOG (ow_test_gui_find_toplevel (OW_TYPE_TICKET_DIALOG));
  g_assert_nonnull (dialog);
  ow_test_gui_type_text (ow_test_gui_find_labelled (dialog, "Name"), "李四");
  ow_test_gui_type_text (ow_test_gui_find_labelled (dialog, "Phone"), "+86 139 0013 9000");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
                              ow_test_gui_find_labelled (dialog, "Description"))),
                            "窗口系统故障，社保卡补办未能办理", -1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ow_test_gui_find_labelled (dialog, "Time limit")), 0);
  ow_test_gui_settle (50);
  g_assert_null (ow_ticket_dialog_get_reason (dialog));
  g_signal_emit_by_name (ow_test_gui_find_button (dialog, "Register and Print"), "clicked");
  ow_test_gui_wait_until (no_dialog, NULL, "the dialog to close after registering offline");

  tickets = ow_store_list_tickets (ow_context_get_store (f.context), 0, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 1);
  ticket = g_ptr_array_index (tickets, 0);
  g_assert_cmpstr (ticket->contact_phone, ==, "13900139000");
  g_assert_cmpint (ticket->tier, ==, OW_TICKET_TIER_ON_THE_SPOT);
  g_assert_cmpuint (ow_sync_get_pending (ow_context_get_sync (f.context)), >, 0);

  /* Listed before the platform has heard of it; the filters apply. */
  adw_view_stack_set_visible_child_name (ow_test_gui_find_first (f.window, ADW_TYPE_VIEW_STACK),
                                         "tickets");
  page = ow_test_gui_find_first (f.window, OW_TYPE_TICKETS_PAGE);
  ow_test_gui_wait_until (page_loaded_with_one, page,
                          "the tickets page to list the offline ticket");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ow_test_gui_find_labelled (page, "Show")),
                              OW_TICKETS_FILTER_MINE);
  ow_test_gui_wait_until ((OwTestGuiCondition) ow_tickets_page_get_loaded, page,
                          "the filtered list");
  g_assert_cmpuint (ow_tickets_page_get_n_rows (page), ==, 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ow_test_gui_find_labelled (page, "Show")),
                              OW_TICKETS_FILTER_MY_HALL);
  ow_test_gui_wait_until (page_loaded_with_one, page, "the hall's tickets");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ow_test_gui_find_labelled (page, "Show")),
                              OW_TICKETS_FILTER_OPEN);
  ow_test_gui_wait_until (page_loaded_with_one, page, "the open tickets");

  /* The receipt could not be printed: Retry, once the printer is back. */
  if (f.printer_uri != NULL)
    {
      const char *not_printed[] = { "receipt was not printed", NULL };
      const char *printed[] = { "receipt printed", NULL };

      ow_test_gui_wait_until (ow_test_gui_toast_with_text, not_printed,
                              "the toast saying the receipt was not printed");
      ow_test_counter_restart_printer (&f);
      /* As a person would: after the toast has come in (dismissing a toast in the middle of
       * its entrance animation upsets libadwaita 1.2). */
      ow_test_gui_settle (500);
      g_signal_emit_by_name (ow_test_gui_find_button (f.window, "Retry"), "clicked");
      ow_test_gui_wait_until (ow_test_gui_spool_has_pdf, f.spool,
                              "the receipt at the printer after Retry");
      ow_test_gui_wait_until (ow_test_gui_toast_with_text, printed, "the toast saying so");
    }
  ow_test_gui_settle (300);
  ow_test_gui_screenshot (GTK_WIDGET (f.window), "gui-tickets-offline.png");

  /* The platform comes back: the ticket arrives, once. */
  g_assert_true (ow_test_platform_restart (f.platform, &error));
  g_assert_no_error (error);
  ow_sync_kick (ow_context_get_sync (f.context));
  ow_test_gui_wait_until (pending_is_zero, ow_context_get_sync (f.context), "the outbox to drain");
  path = g_strdup_printf ("/api/v1/tickets/%s", ticket->id);
  response = ow_test_counter_get (&f, "clerk", path);
  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "registered");
  g_clear_pointer (&response, ow_test_response_free);
  response = ow_test_counter_get (&f, "clerk", "/api/v1/tickets");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (response->json), "tickets")), ==, 1);

  ow_test_counter_stop (&f);
}

/* @method @path as @username (password "demo"), answered @status. */
static void
platform_expect (OwTestCounter *counter,
                 const char    *method,
                 const char    *path,
                 const char    *username,
                 const char    *body,
                 guint          status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ow_test_platform_login (counter->platform, username, "demo", &error);
  g_autoptr(OwTestResponse) response = NULL;

  g_assert_no_error (error);
  response = ow_test_platform_request (counter->platform, method, path, token, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, status);
}

static void
create_colleague (OwTestCounter *counter)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("OW_PLATFORM_BINARY"), "admin", "--db",
                              ow_test_platform_get_db_path (counter->platform), "create-user",
                              "market.colleague", "--role", "department", "--display-name",
                              "钱伟", "--department", "海口市市场监督管理局", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "demo\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("create-user: %s%s", out, err);
}

/* A ticket assigned to a department's user is that department's: a colleague of theirs sees
 * it, named, and may start work on it; the other department's user does not see it, though
 * this counter keeps it from the colleague's session. */
static void
test_departments (void)
{
  OwTestCounter f = { 0 };
  OwTicketsPage *page;
  OwTicketView *view;

  ow_test_counter_start (&f, OW_TEST_COUNTER_DEFAULT, NULL);
  platform_expect (&f, "PUT", "/api/v1/tickets/t-dept", "clerk",
                   "{\"id\": \"t-dept\", \"registered_at\": \"2026-11-25T02:00:00Z\", "
                   "\"tier\": \"5-working-days\", \"summary\": \"食品经营许可证变更跑了三次\"}",
                   201);
  platform_expect (&f, "POST", "/api/v1/tickets/t-dept/events", "supervisor",
                   "{\"id\": \"a-1\", \"kind\": \"assigned\", "
                   "\"at\": \"2026-11-25T03:00:00Z\", \"assignee\": \"department\"}", 201);
  create_colleague (&f);

  ow_test_counter_log_in (&f, "market.colleague");
  page = ow_test_gui_find_first (f.window, OW_TYPE_TICKETS_PAGE);
  view = ow_tickets_page_get_view (page);
  adw_view_stack_set_visible_child_name (ow_test_gui_find_first (f.window, ADW_TYPE_VIEW_STACK),
                                         "tickets");
  ow_test_gui_wait_until (page_loaded_with_one, page, "the department's ticket for a colleague");
  g_assert_true (ow_tickets_page_select (page, "t-dept"));
  ow_test_gui_wait_until (view_loaded, view, "the ticket's detail for the colleague");
  {
    g_autofree char *shown = rows_text (view);

    g_assert_nonnull (strstr (shown, "Assigned to\n" ZHAO_QIANG "\n"));
    assert_no_login_names (shown);
  }
  /* Theirs to work on, not to assign. */
  g_assert_true (gtk_widget_is_sensitive (ow_test_gui_find_button (view, "Start Work")));
  g_assert_false (gtk_widget_is_sensitive (ow_test_gui_find_button (view, "Assign…")));
  take_step (view, "Start Work", NULL, 2);
  flush (&f);
  assert_platform_state (&f, "/api/v1/tickets/t-dept", "supervisor", "in-progress");

  /* The other department's user: nothing of it, though the counter holds it. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.logout", NULL);
  ow_test_gui_settle (50);
  ow_test_counter_log_in (&f, "department2");
  adw_view_stack_set_visible_child_name (ow_test_gui_find_first (f.window, ADW_TYPE_VIEW_STACK),
                                         "tickets");
  ow_test_gui_wait_until ((OwTestGuiCondition) ow_tickets_page_get_loaded, page,
                          "the tickets page for the other department");
  g_assert_cmpuint (ow_tickets_page_get_n_rows (page), ==, 0);
  g_assert_false (ow_tickets_page_select (page, "t-dept"));

  ow_test_counter_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/tickets/register-and-assign", test_register_and_assign);
  g_test_add_func ("/tickets/offline", test_offline);
  g_test_add_func ("/tickets/departments", test_departments);
  return g_test_run ();
}
