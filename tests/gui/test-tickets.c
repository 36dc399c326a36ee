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

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "gui/ow-application.h"
#include "gui/ow-ticket-dialog.h"
#include "gui/ow-tickets-page.h"
#include "gui/ow-window.h"
#include "ow-test-platform.h"

#define WAIT_SECONDS 30

typedef gboolean (*Condition) (gpointer data);

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

static gboolean
idle_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, idle_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---------------------------------------------------------------------------------------- */
/* Finding widgets the way a screen reader names them */

static char *
strip_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
collect (GtkWidget *root,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static GPtrArray *
find_all (gpointer root,
          GType    type)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (GTK_WIDGET (root), type, out);
  return out;
}

static gpointer
find_first (gpointer root,
            GType    type)
{
  g_autoptr(GPtrArray) all = find_all (root, type);

  g_assert_cmpuint (all->len, >, 0);
  return g_ptr_array_index (all, 0);
}

static GtkWidget *
find_labelled (gpointer    root,
               const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      g_autofree char *plain = strip_mnemonic (gtk_label_get_label (label));

      if (g_strcmp0 (plain, text) == 0 && gtk_label_get_mnemonic_widget (label) != NULL)
        return gtk_label_get_mnemonic_widget (label);
    }
  g_error ("No control labelled “%s”", text);
  return NULL;
}

static GtkWidget *
find_button (gpointer    root,
             const char *text)
{
  g_autoptr(GPtrArray) buttons = find_all (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);
      g_autofree char *plain = strip_mnemonic (gtk_button_get_label (button));

      if (g_strcmp0 (plain, text) == 0)
        return GTK_WIDGET (button);
    }
  g_error ("No button “%s”", text);
  return NULL;
}

static GtkWidget *
find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static void
type_text (GtkWidget  *entry,
           const char *text)
{
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  settle (50);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("OW_BUILD_DIR") != NULL
                                            ? g_getenv ("OW_BUILD_DIR") : ".",
                                            "tests", "gui", name, NULL);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* ---------------------------------------------------------------------------------------- */
/* A real IPP Everywhere printer that keeps what it receives (testing.md) */

static guint16
pick_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
printer_answers (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "localhost", port, NULL, NULL);
  return connection != NULL;
}

static GSubprocess *
start_printer_on (const char  *spool,
                  guint16      port,
                  char       **uri)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path ("ippeveprinter");
  g_autofree char *port_text = NULL;
  GSubprocess *printer;
  gint64 deadline;

  if (program == NULL)
    return NULL;

  port_text = g_strdup_printf ("%u", port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS",
                                  g_getenv ("DBUS_SESSION_BUS_ADDRESS"), TRUE);
  printer = g_subprocess_launcher_spawn (launcher, &error, program, "-p", port_text,
                                         "-n", "localhost", "-d", spool, "-k", "-c", "/bin/true",
                                         "-f", "application/pdf,image/pwg-raster", "-r", "off",
                                         "OneWindowTickets", NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!printer_answers (port))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
  *uri = g_strdup_printf ("ipp://localhost:%u/ipp/print", port);
  return printer;
}

static GSubprocess *
start_printer (const char  *spool,
               char       **uri)
{
  return start_printer_on (spool, pick_free_port (), uri);
}

static void
stop_printer (GSubprocess **printer)
{
  if (*printer == NULL)
    return;
  g_subprocess_force_exit (*printer);
  g_subprocess_wait (*printer, NULL, NULL);
  g_clear_object (printer);
}

static char *
find_spooled_pdf (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL) && length > 4
          && memcmp (contents, "%PDF", 4) == 0)
        return g_steal_pointer (&path);
    }
  return NULL;
}

static gboolean
spool_has_pdf (gpointer data)
{
  g_autofree char *pdf = find_spooled_pdf (data);
  return pdf != NULL;
}

/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  OwTestPlatform *platform;
  OwApplication *app;
  OwContext *context;
  OwWindow *window;
  char *store_path;
  GSubprocess *printer;
  char *printer_uri;
  char *spool;
} Fixture;

static gboolean
context_settled (gpointer data)
{
  OwContext *context = data;
  return ow_context_is_ready (context) || ow_context_get_open_error (context) != NULL;
}

static gboolean
logged_in (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) labels = NULL;

  if (g_strcmp0 (ow_window_get_page (f->window), "intake") == 0
      && ow_context_get_user (f->context) != NULL)
    return TRUE;
  labels = find_all (f->window, GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      if (gtk_widget_has_css_class (label, "error") && gtk_widget_get_visible (label)
          && gtk_widget_is_drawable (label)
          && *gtk_label_get_text (GTK_LABEL (label)) != '\0')
        g_error ("Log-in failed: %s", gtk_label_get_text (GTK_LABEL (label)));
    }
  return FALSE;
}

static void
log_in (Fixture    *f,
        const char *username)
{
  type_text (find_labelled (f->window, "User name"), username);
  type_text (find_labelled (f->window, "Password"), "demo");
  g_signal_emit_by_name (find_button (f->window, "Log In"), "clicked");
  wait_until (logged_in, f, "the window after logging in");
  g_assert_cmpstr (ow_context_get_user (f->context)->username, ==, username);
}

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->platform = ow_test_platform_start (&error);
  g_assert_no_error (error);
  f->store_path = g_build_filename (ow_test_platform_get_tmp_dir (f->platform), "counter",
                                    "onewindow.db", NULL);
  f->spool = g_build_filename (ow_test_platform_get_tmp_dir (f->platform), "spool", NULL);
  g_assert_cmpint (g_mkdir (f->spool, 0700), ==, 0);
  f->printer = start_printer (f->spool, &f->printer_uri);
  if (f->printer == NULL)
    g_test_message ("ippeveprinter is not installed: the receipt is not printed");

  f->app = ow_application_new ();
  /* Several suites may share the session bus; this instance must not be taken for another. */
  g_application_set_flags (G_APPLICATION (f->app), G_APPLICATION_NON_UNIQUE);
  ow_application_configure (f->app, ow_test_platform_get_base_uri (f->platform), f->store_path,
                            NULL, f->printer_uri);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  f->context = ow_application_get_context (f->app);
  f->window = ow_window_new (f->app);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (context_settled, f->context, "the local store to open");
  g_assert_null (ow_context_get_open_error (f->context));
}

static void
fixture_tear_down (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  settle (50);
  g_clear_object (&f->app);
  stop_printer (&f->printer);
  ow_test_platform_free (f->platform);
  g_free (f->store_path);
  g_free (f->printer_uri);
  g_free (f->spool);
}

static gboolean
no_dialog (gpointer data)
{
  return find_toplevel (OW_TYPE_TICKET_DIALOG) == NULL;
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
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
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
flush (Fixture *f)
{
  gboolean done = FALSE;

  ow_sync_flush_async (ow_context_get_sync (f->context), NULL, flushed_cb, &done);
  wait_until (is_true, &done, "the outbox to be flushed");
}

static gboolean
toast_with_text (gpointer data)
{
  const char *wanted = data;
  g_autoptr(GPtrArray) labels = NULL;
  GtkWidget *window = find_toplevel (OW_TYPE_WINDOW);

  if (window == NULL)
    return FALSE;
  labels = find_all (window, GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_ancestor (label, ADW_TYPE_TOAST_OVERLAY) != NULL
          && gtk_widget_get_ancestor (label, GTK_TYPE_STACK) == NULL
          && gtk_widget_get_ancestor (label, ADW_TYPE_VIEW_STACK) == NULL
          && strstr (gtk_label_get_text (GTK_LABEL (label)), wanted) != NULL)
        return TRUE;
    }
  return FALSE;
}

static char *
pdf_to_text (const char *pdf)
{
  g_autofree char *program = g_find_program_in_path ("pdftotext");
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  int status = 0;
  const char *argv[] = { NULL, pdf, "-", NULL };

  if (program == NULL)
    return NULL;
  argv[0] = program;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &text, NULL,
                &status, &error);
  g_assert_no_error (error);
  return text;
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

  g_assert_true (gtk_widget_is_sensitive (find_button (view, button)));
  g_signal_emit_by_name (find_button (view, button), "clicked");
  wait_until (message_dialog_shown, NULL, "the step's dialog");
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  if (fill != NULL)
    fill (dialog);
  settle (50);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "apply"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  wait_until (view_has_events, &ec, "the step in the timeline");
}

static void
fill_resolution (GtkWidget *dialog)
{
  GtkTextView *done = GTK_TEXT_VIEW (find_labelled (dialog, "What was done"));

  /* Nothing said: the step cannot be applied. */
  settle (50);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "apply"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (done),
                            "与市监局核实退回理由，已指导申请人一次性补齐材料并办结", -1);
}

static void
fill_call_back (GtkWidget *dialog)
{
  GtkCheckButton *reached = find_first (dialog, GTK_TYPE_CHECK_BUTTON);

  g_assert_true (gtk_check_button_get_active (reached));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (dialog, "Satisfaction")), 0);
}

static void
assert_platform_state (Fixture    *f,
                       const char *path,
                       const char *username,
                       const char *state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ow_test_platform_login (f->platform, username, "demo", &error);
  g_autoptr(OwTestResponse) response = NULL;

  g_assert_no_error (error);
  response = ow_test_platform_request (f->platform, "GET", path, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, state);
}

static void
test_register_and_assign (void)
{
  Fixture f = { 0 };
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

  fixture_set_up (&f);

  /* Logged out, nobody can register. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.register-ticket",
                                              NULL)
                  && find_toplevel (OW_TYPE_TICKET_DIALOG) != NULL);

  log_in (&f, "clerk");

  /* The one action, from anywhere in the window (Ctrl+Shift+U, the menu, the tickets page). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.register-ticket",
                                             NULL));
  settle (100);
  dialog = OW_TICKET_DIALOG (find_toplevel (OW_TYPE_TICKET_DIALOG));
  g_assert_nonnull (dialog);
  register_button = find_button (dialog, "Register and Print");
  g_assert_false (gtk_widget_is_sensitive (register_button));
  g_assert_nonnull (ow_ticket_dialog_get_reason (dialog));

  name = find_labelled (dialog, "Name");
  phone = find_labelled (dialog, "Phone");
  description = GTK_TEXT_VIEW (find_labelled (dialog, "Description"));
  type_text (name, "张三");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (description),
                            "网上申请营业执照变更三次被退回，退回理由前后不一致", -1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (dialog, "Channel")), 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (dialog, "Service item")), 1);

  /* An invalid mobile: Register refuses and says why, under the field and beside the button. */
  type_text (phone, "1380013800");
  settle (50);
  g_assert_false (gtk_widget_is_sensitive (register_button));
  g_assert_true (gtk_widget_has_css_class (phone, "error"));
  phone_error = gtk_widget_get_next_sibling (phone);
  g_assert_true (GTK_IS_LABEL (phone_error));
  g_assert_true (gtk_widget_get_visible (phone_error));
  g_assert_cmpstr (ow_ticket_dialog_get_reason (dialog), ==, "The mobile number is not valid.");

  /* A case number that is not one is refused too. */
  type_text (find_labelled (dialog, "Case number (if any)"), "12345");
  g_assert_nonnull (ow_ticket_dialog_get_reason (dialog));
  type_text (find_labelled (dialog, "Case number (if any)"), "");

  type_text (phone, "13800138000");
  settle (50);
  g_assert_false (gtk_widget_has_css_class (phone, "error"));
  g_assert_null (ow_ticket_dialog_get_reason (dialog));
  g_assert_true (gtk_widget_is_sensitive (register_button));
  save_screenshot (GTK_WIDGET (dialog), "gui-ticket-dialog.png");

  g_signal_emit_by_name (register_button, "clicked");
  wait_until (no_dialog, NULL, "the dialog to close after registering");

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
    g_assert_true (g_date_valid (&ticket->due_date));
  }

  /* … and on the platform after a flush. */
  flush (&f);
  {
    g_autofree char *token = ow_test_platform_login (f.platform, "clerk", "demo", &error);
    g_autoptr(OwTestResponse) response = NULL;

    g_assert_no_error (error);
    path = g_strdup_printf ("/api/v1/tickets/%s", ticket_id);
    response = ow_test_platform_request (f.platform, "GET", path, token, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (response->status, ==, 200);
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
      g_autofree char *text = NULL;

      wait_until (spool_has_pdf, f.spool, "the receipt at the printer");
      wait_until (toast_with_text, (gpointer) "receipt printed", "the toast saying so");
      pdf = find_spooled_pdf (f.spool);
      {
        /* Kept to be looked at, like the screenshots. */
        g_autofree char *contents = NULL;
        g_autofree char *copy = g_build_filename (g_getenv ("OW_BUILD_DIR") != NULL
                                                  ? g_getenv ("OW_BUILD_DIR") : ".",
                                                  "tests", "gui", "gui-ticket-receipt.pdf", NULL);
        gsize length = 0;

        g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
        g_assert_true (g_file_set_contents (copy, contents, length, NULL));
      }
      text = pdf_to_text (pdf);
      if (text != NULL)
        {
          g_assert_nonnull (strstr (text, "未办成事登记回执"));
          g_assert_nonnull (strstr (text, ticket_id));
        }
      else
        g_test_message ("pdftotext is not installed: the receipt's text is not checked");
    }

  /* The tickets page lists it; its detail shows the timeline. */
  adw_view_stack_set_visible_child_name (find_first (f.window, ADW_TYPE_VIEW_STACK), "tickets");
  page = find_first (f.window, OW_TYPE_TICKETS_PAGE);
  view = ow_tickets_page_get_view (page);
  wait_until (page_loaded_with_one, page, "the tickets page to list the ticket");
  g_assert_true (ow_tickets_page_select (page, ticket_id));
  wait_until (view_loaded, view, "the ticket's detail");
  /* A clerk may not assign: that is the supervisor's. */
  g_assert_false (gtk_widget_is_sensitive (find_button (view, "Assign…")));
  settle (200);
  save_screenshot (GTK_WIDGET (f.window), "gui-tickets-clerk.png");

  /* The supervisor takes over the counter and assigns it to the department's user. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.logout", NULL);
  settle (50);
  log_in (&f, "supervisor");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (find_first (f.window,
                                                                      ADW_TYPE_VIEW_STACK)),
                   ==, "tickets");
  wait_until (page_loaded_with_one, page, "the tickets page for the supervisor");
  g_assert_true (ow_tickets_page_select (page, ticket_id));
  wait_until (view_loaded, view, "the ticket's detail for the supervisor");
  g_assert_true (gtk_widget_is_sensitive (find_button (view, "Assign…")));
  g_assert_false (gtk_widget_is_sensitive (find_button (view, "Archive…")));
  g_signal_emit_by_name (find_button (view, "Assign…"), "clicked");
  wait_until (message_dialog_shown, NULL, "the assign dialog");
  {
    GtkWidget *assign = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    GtkDropDown *to = GTK_DROP_DOWN (find_labelled (assign, "Assign to"));
    GListModel *names = gtk_drop_down_get_model (to);
    guint department = GTK_INVALID_LIST_POSITION;

    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      {
        g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);
        if (strstr (gtk_string_object_get_string (item), "(department)") != NULL)
          department = i;
      }
    g_assert_cmpuint (department, !=, GTK_INVALID_LIST_POSITION);
    gtk_drop_down_set_selected (to, department);
    settle (50);
    save_screenshot (assign, "gui-ticket-assign.png");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (assign), "apply");
  }
  settle (100);
  wait_until (view_loaded, view, "the ticket to show its new step");
  g_assert_cmpuint (ow_ticket_view_get_n_events (view), ==, 1);
  flush (&f);
  {
    g_autofree char *token = ow_test_platform_login (f.platform, "supervisor", "demo", &error);
    g_autoptr(OwTestResponse) response = NULL;

    g_assert_no_error (error);
    response = ow_test_platform_request (f.platform, "GET", path, token, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (response->status, ==, 200);
    g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "assigned");
    g_assert_cmpstr (ow_test_response_get_string (response, "assignee"), ==, "department");
  }
  settle (200);
  save_screenshot (GTK_WIDGET (f.window), "gui-tickets-supervisor.png");

  /* The department's user starts and resolves it … */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.logout", NULL);
  settle (50);
  log_in (&f, "department");
  wait_until (page_loaded_with_one, page, "the tickets page for the department");
  g_assert_true (ow_tickets_page_select (page, ticket_id));
  wait_until (view_loaded, view, "the ticket's detail for the department");
  g_assert_false (gtk_widget_is_sensitive (find_button (view, "Assign…")));
  take_step (view, "Start Work", NULL, 2);
  take_step (view, "Resolve…", fill_resolution, 3);
  flush (&f);
  assert_platform_state (&f, path, "supervisor", "resolved");

  /* … and the supervisor calls the applicant back and archives it. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.logout", NULL);
  settle (50);
  log_in (&f, "supervisor");
  wait_until (page_loaded_with_one, page, "the tickets page for the call-back");
  g_assert_true (ow_tickets_page_select (page, ticket_id));
  wait_until (view_loaded, view, "the ticket's detail for the call-back");
  take_step (view, "Call Back…", fill_call_back, 4);
  take_step (view, "Archive…", NULL, 5);
  g_assert_false (gtk_widget_is_sensitive (find_button (view, "Add Note…")));
  flush (&f);
  assert_platform_state (&f, path, "supervisor", "archived");
  settle (200);
  save_screenshot (GTK_WIDGET (f.window), "gui-tickets-archived.png");

  fixture_tear_down (&f);
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
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  OwTicketDialog *dialog;
  OwTicketsPage *page;
  const OwTicket *ticket;
  GUri *printer_uri;
  guint16 printer_port;

  fixture_set_up (&f);
  log_in (&f, "clerk");

  ow_test_platform_stop (f.platform);
  if (f.printer != NULL)
    stop_printer (&f.printer);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.register-ticket", NULL);
  settle (100);
  dialog = OW_TICKET_DIALOG (find_toplevel (OW_TYPE_TICKET_DIALOG));
  g_assert_nonnull (dialog);
  type_text (find_labelled (dialog, "Name"), "李四");
  type_text (find_labelled (dialog, "Phone"), "+86 139 0013 9000");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
                              find_labelled (dialog, "Description"))),
                            "窗口系统故障，社保卡补办未能办理", -1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (dialog, "Time limit")), 0);
  settle (50);
  g_assert_null (ow_ticket_dialog_get_reason (dialog));
  g_signal_emit_by_name (find_button (dialog, "Register and Print"), "clicked");
  wait_until (no_dialog, NULL, "the dialog to close after registering offline");

  tickets = ow_store_list_tickets (ow_context_get_store (f.context), 0, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 1);
  ticket = g_ptr_array_index (tickets, 0);
  g_assert_cmpstr (ticket->contact_phone, ==, "13900139000");
  g_assert_cmpint (ticket->tier, ==, OW_TICKET_TIER_ON_THE_SPOT);
  g_assert_cmpuint (ow_sync_get_pending (ow_context_get_sync (f.context)), >, 0);

  /* Listed before the platform has heard of it; the filters apply. */
  adw_view_stack_set_visible_child_name (find_first (f.window, ADW_TYPE_VIEW_STACK), "tickets");
  page = find_first (f.window, OW_TYPE_TICKETS_PAGE);
  wait_until (page_loaded_with_one, page, "the tickets page to list the offline ticket");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (page, "Show")),
                              OW_TICKETS_FILTER_MINE);
  wait_until ((Condition) ow_tickets_page_get_loaded, page, "the filtered list");
  g_assert_cmpuint (ow_tickets_page_get_n_rows (page), ==, 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (page, "Show")),
                              OW_TICKETS_FILTER_MY_HALL);
  wait_until (page_loaded_with_one, page, "the hall's tickets");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (page, "Show")),
                              OW_TICKETS_FILTER_OPEN);
  wait_until (page_loaded_with_one, page, "the open tickets");

  /* The receipt could not be printed: Retry, once the printer is back. */
  if (f.printer_uri != NULL)
    {
      wait_until (toast_with_text, (gpointer) "receipt was not printed",
                  "the toast saying the receipt was not printed");
      printer_uri = g_uri_parse (f.printer_uri, G_URI_FLAGS_NONE, &error);
      g_assert_no_error (error);
      printer_port = g_uri_get_port (printer_uri);
      g_uri_unref (printer_uri);
      g_clear_pointer (&f.printer_uri, g_free);
      f.printer = start_printer_on (f.spool, printer_port, &f.printer_uri);
      /* As a person would: after the toast has come in (dismissing a toast in the middle of
       * its entrance animation upsets libadwaita 1.2). */
      settle (500);
      g_signal_emit_by_name (find_button (f.window, "Retry"), "clicked");
      wait_until (spool_has_pdf, f.spool, "the receipt at the printer after Retry");
      wait_until (toast_with_text, (gpointer) "receipt printed", "the toast saying so");
    }
  settle (300);
  save_screenshot (GTK_WIDGET (f.window), "gui-tickets-offline.png");

  /* The platform comes back: the ticket arrives, once. */
  g_assert_true (ow_test_platform_restart (f.platform, &error));
  g_assert_no_error (error);
  ow_sync_kick (ow_context_get_sync (f.context));
  wait_until (pending_is_zero, ow_context_get_sync (f.context), "the outbox to drain");
  token = ow_test_platform_login (f.platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  path = g_strdup_printf ("/api/v1/tickets/%s", ticket->id);
  response = ow_test_platform_request (f.platform, "GET", path, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "registered");
  g_clear_pointer (&response, ow_test_response_free);
  response = ow_test_platform_request (f.platform, "GET", "/api/v1/tickets", token, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (response->json), "tickets")), ==, 1);

  fixture_tear_down (&f);
}

/* Under Xvfb there is no window manager to give the window focus; GTK 4.8 then warns when focus
 * moves between entries of an unfocused window. Every other warning stays fatal. */
static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "Gtk") == 0 && message != NULL
      && strstr (message, "did not receive a focus-out event") != NULL)
    return FALSE;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
  adw_init ();

  g_test_add_func ("/tickets/register-and-assign", test_register_and_assign);
  g_test_add_func ("/tickets/offline", test_offline);
  return g_test_run ();
}
