/* ow-window.c — the counter window: log-in, the workspaces of the user's roles, the status area
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-clock.h"
#include "gui/cases/ow-cases-page.h"
#include "gui/intake/ow-intake-page.h"
#include "gui/pickup/ow-pickup-page.h"
#include "gui/shell/ow-outbox-window.h"
#include "gui/shell/ow-password-dialog.h"
#include "gui/shell/ow-preferences-window.h"
#include "gui/printing/ow-print-jobs.h"
#include "gui/intake/ow-supplement-dialog.h"
#include "gui/tickets/ow-ticket-dialog.h"
#include "gui/tickets/ow-tickets-page.h"
#include "gui/shell/ow-window.h"
#include "gui/shell/ow-workspace.h"
#include "gui/supervisor/ow-overview-page.h"

struct _OwWindow
{
  AdwApplicationWindow parent_instance;

  /* template */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  GtkEntry *username_entry;
  GtkPasswordEntry *password_entry;
  GtkLabel *login_error_label;
  GtkButton *login_button;
  GtkSpinner *login_spinner;
  AdwViewStack *view_stack;
  GtkWidget *view_switcher;
  AdwBin *intake_slot;
  AdwBin *pickup_slot;
  AdwBin *overview_slot;
  AdwBin *cases_slot;
  AdwBin *tickets_slot;
  GtkLabel *online_label;
  GtkLabel *pending_label;
  GtkLabel *last_sync_label;
  GtkLabel *scanner_label;
  GtkLabel *printer_label;

  /* The workspaces, each in its slot: made after the first frame (or at the log-in that comes
   * first), so that the log-in page shows without waiting for pages no one sees yet. */
  OwIntakePage *intake_page;
  OwPickupPage *pickup_page;
  OwOverviewPage *overview_page;
  OwCasesPage *cases_page;
  OwTicketsPage *tickets_page;
  guint pages_source;

  /* Not the template's: loaded by the window so it can follow the workspace shown. */
  GtkShortcutsWindow *help_overlay;
  GtkWidget *register_group;

  OwContext *context;
  GCancellable *cancellable;
  OwWorkspaces workspaces;  /* those of the user logged in; none on the log-in page */
  gboolean logging_in;
  gint64 last_input;      /* monotonic µs of the last key, click or pointer motion */
  guint idle_source;
};

G_DEFINE_FINAL_TYPE (OwWindow, ow_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_login_error (OwWindow   *self,
                  const char *message)
{
  gtk_label_set_text (self->login_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->login_error_label), message != NULL);
}

static void
update_login_sensitivity (OwWindow *self)
{
  gboolean ready = self->context != NULL && ow_context_is_ready (self->context);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.login", ready && !self->logging_in);
  /* The entries stay sensitive: making the focused entry insensitive strands its cursor blink
   * (GTK 4.8 then warns), and a second Enter only finds the action disabled. */
  gtk_widget_set_visible (GTK_WIDGET (self->login_spinner), self->logging_in);
  gtk_spinner_set_spinning (self->login_spinner, self->logging_in);
}

static void
update_status (OwWindow *self)
{
  OwSync *sync = self->context != NULL ? ow_context_get_sync (self->context) : NULL;
  const char *scanner = self->context != NULL ? ow_context_get_scanner_name (self->context) : NULL;
  const char *printer = self->context != NULL ? ow_context_get_printer_name (self->context) : NULL;
  g_autofree char *pending = NULL;
  g_autofree char *last_sync = NULL;
  g_autofree char *scanner_text = NULL;
  g_autofree char *printer_text = NULL;
  guint n = sync != NULL ? ow_sync_get_pending (sync) : 0;
  /* Either way counts: a pick-up counter mostly receives, an intake counter mostly sends. */
  gint64 last = sync != NULL ? MAX (ow_sync_get_last_sync (sync),
                                    ow_sync_get_last_received (sync)) : 0;
  OwLinkState link = self->context != NULL ? ow_context_get_link_state (self->context)
                                           : OW_LINK_NOT_CONNECTED;
  gboolean online = link == OW_LINK_ONLINE;
  g_autofree char *link_text = NULL;

  /* A coloured word, not colour alone, so it reads the same to everyone. */
  if (link == OW_LINK_OFFLINE)
    {
      g_autoptr(GDateTime) since = g_date_time_new_from_unix_local (
          ow_context_get_offline_since (self->context) / G_USEC_PER_SEC);
      g_autofree char *time = g_date_time_format (since, "%H:%M");

      /* Translators: %s is the time the platform stopped answering */
      link_text = g_strdup_printf (_("● Offline since %s"), time);
    }
  else
    link_text = g_strdup (online ? _("● Online") : _("● Not yet connected"));
  gtk_label_set_text (self->online_label, link_text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->online_label), online ? "warning" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->online_label), online ? "success" : "warning");

  if (sync != NULL && ow_sync_get_state (sync) == OW_SYNC_BLOCKED)
    pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u change waits (one needs attention)",
                                            "%u changes wait (one needs attention)", n), n);
  else if (n == 0)
    pending = g_strdup (_("All changes sent"));
  else
    pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change waits to be sent",
                                            "%u changes wait to be sent", n), n);
  gtk_label_set_text (self->pending_label, pending);
  if (sync != NULL && ow_sync_get_last_error (sync) != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->pending_label), ow_sync_get_last_error (sync));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->pending_label), NULL);

  if (last == 0)
    last_sync = g_strdup (_("Never synchronized"));
  else
    {
      /* The hall's time, as on the notices, whatever zone the PC keeps. */
      g_autofree char *time = ow_hall_format_unix_usec (last, "%Y-%m-%d %H:%M");
      /* Translators: %s is a date and time */
      last_sync = g_strdup_printf (_("Last synchronized %s"), time);
    }
  gtk_label_set_text (self->last_sync_label, last_sync);

  /* Translators: %s is the scanner's device name */
  scanner_text = scanner != NULL ? g_strdup_printf (_("Scanner: %s"), scanner)
                                 : g_strdup (_("No scanner"));
  gtk_label_set_text (self->scanner_label, scanner_text);
  /* Translators: %s is the printer's name */
  printer_text = printer != NULL ? g_strdup_printf (_("Printer: %s"), printer)
                                 : g_strdup (_("No printer"));
  gtk_label_set_text (self->printer_label, printer_text);
}

static void
status_changed_cb (OwWindow   *self,
                   GParamSpec *pspec,
                   GObject    *object)
{
  update_status (self);
}

static void
context_ready_cb (OwWindow   *self,
                  GParamSpec *pspec,
                  OwContext  *context)
{
  const GError *error = ow_context_get_open_error (context);
  OwSync *sync = ow_context_get_sync (context);

  if (error != NULL)
    show_login_error (self, error->message);

  if (sync != NULL)
    {
      g_signal_connect_object (sync, "notify::pending", G_CALLBACK (status_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "notify::last-sync", G_CALLBACK (status_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "notify::last-received", G_CALLBACK (status_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "notify::state", G_CALLBACK (status_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "notify::last-error", G_CALLBACK (status_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  update_login_sensitivity (self);
  update_status (self);
}

static char *
describe_login_error (OwWindow     *self,
                      const GError *error)
{
  if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED))
    return g_strdup (_("Wrong user name or password. Check both and try again."));
  if (error->domain == OW_SESSION_ERROR)
    return g_strdup (error->message);
  if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNREACHABLE))
    /* Translators: %s is the platform's address */
    return g_strdup_printf (_("The platform at %s cannot be reached. Check the network cable, "
                              "then try again; if it persists, call the hall's IT desk."),
                            ow_context_get_platform_uri (self->context));
  if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INSECURE))
    return g_strdup_printf (_("The connection to the platform is not secure: %s"),
                            error->message);
  return g_strdup (error->message);
}

static void logout_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter);

static gboolean
input_seen_cb (GtkEventControllerLegacy *controller,
               GdkEvent                 *event,
               OwWindow                 *self)
{
  self->last_input = g_get_monotonic_time ();
  return GDK_EVENT_PROPAGATE;
}

/* Classified protection asks for an automatic log-out: a counter left unattended must not
 * accept cases in the clerk's name. */
static gboolean
idle_check_cb (gpointer user_data)
{
  OwWindow *self = OW_WINDOW (user_data);
  guint minutes = g_settings_get_uint (ow_context_get_settings (self->context),
                                       "idle-logout-minutes");
  g_autofree char *message = NULL;

  if (minutes == 0
      || g_get_monotonic_time () - self->last_input < (gint64) minutes * 60 * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  self->idle_source = 0;
  logout_activated (GTK_WIDGET (self), "win.logout", NULL);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Logged out after %u minute without input.",
                                          "Logged out after %u minutes without input.",
                                          minutes), minutes);
  show_login_error (self, message);
  return G_SOURCE_REMOVE;
}

/* The actions of the intake counter, which only its workspace offers. */
static const char * const intake_actions[] = {
  "win.accept", "win.focus-search", "win.retry-print", "win.preview", "win.reprint",
  "win.consult", "win.new-applicant", "win.park", "win.show-parked", "win.returning-case",
};

static OwWorkspaces
shown_workspace (OwWindow *self)
{
  if (self->workspaces == OW_WORKSPACE_NONE)
    return OW_WORKSPACE_NONE;
  return ow_workspace_from_name (adw_view_stack_get_visible_child_name (self->view_stack));
}

/* Menu entries, shortcuts and the shortcuts window follow the workspace shown: the menu hides
 * what is disabled, and the shortcuts window shows the groups of this workspace's view. */
static void
update_actions (OwWindow *self)
{
  const OwUser *user = self->context != NULL ? ow_context_get_user (self->context) : NULL;
  OwWorkspaces shown = shown_workspace (self);
  gboolean intake = shown == OW_WORKSPACE_INTAKE;
  gboolean registers = self->workspaces != OW_WORKSPACE_NONE
                       && ow_workspaces_may_register_tickets (user);

  for (guint i = 0; i < G_N_ELEMENTS (intake_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), intake_actions[i], intake);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.register-ticket", registers);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout",
                                 self->workspaces != OW_WORKSPACE_NONE);

  /* The shortcuts window filters its groups by view, resetting their visibility as it does: a
   * group for no one takes a view that never shows. Unset the view name first, so that the
   * filter runs again even when the workspace's name stays the same for another user. */
  g_object_set (self->register_group, "view", registers ? NULL : "-", NULL);
  g_object_set (self->help_overlay, "view-name", NULL, NULL);
  g_object_set (self->help_overlay, "view-name",
                shown != OW_WORKSPACE_NONE ? ow_workspace_get_name (shown) : NULL, NULL);
}

static void
workspace_shown_cb (OwWindow *self)
{
  update_actions (self);
}

static void case_scanned_cb (OwWindow   *self,
                             const char *case_no);

/* Makes the next workspace page not made yet; FALSE once all are. */
static gboolean
make_next_page (OwWindow *self)
{
  if (self->intake_page == NULL)
    {
      self->intake_page = g_object_new (OW_TYPE_INTAKE_PAGE, NULL);
      adw_bin_set_child (self->intake_slot, GTK_WIDGET (self->intake_page));
      g_signal_connect_object (self->intake_page, "case-scanned", G_CALLBACK (case_scanned_cb),
                               self, G_CONNECT_SWAPPED);
    }
  else if (self->tickets_page == NULL)
    {
      self->tickets_page = g_object_new (OW_TYPE_TICKETS_PAGE, NULL);
      adw_bin_set_child (self->tickets_slot, GTK_WIDGET (self->tickets_page));
    }
  else if (self->pickup_page == NULL)
    {
      self->pickup_page = g_object_new (OW_TYPE_PICKUP_PAGE, NULL);
      adw_bin_set_child (self->pickup_slot, GTK_WIDGET (self->pickup_page));
    }
  else if (self->overview_page == NULL)
    {
      self->overview_page = g_object_new (OW_TYPE_OVERVIEW_PAGE, NULL);
      adw_bin_set_child (self->overview_slot, GTK_WIDGET (self->overview_page));
    }
  else if (self->cases_page == NULL)
    {
      self->cases_page = g_object_new (OW_TYPE_CASES_PAGE, NULL);
      adw_bin_set_child (self->cases_slot, GTK_WIDGET (self->cases_page));
    }
  else
    return FALSE;
  return TRUE;
}

static void
make_pages (OwWindow *self)
{
  g_clear_handle_id (&self->pages_source, g_source_remove);
  while (make_next_page (self))
    ;
}

/* One page at a time, while nothing else waits: the clerk's typing in the log-in page goes
 * first. */
static gboolean
make_page_cb (gpointer user_data)
{
  OwWindow *self = OW_WINDOW (user_data);

  /* The first frame is drawn: the fonts of documents may take the other core now. */
  if (self->context != NULL)
    ow_context_prepare_documents (self->context);
  if (make_next_page (self))
    return G_SOURCE_CONTINUE;
  self->pages_source = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
first_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  OwWindow *self = OW_WINDOW (widget);

  /* Runs before this frame is drawn; the idle, once it is. */
  if (self->pages_source == 0 && self->cases_page == NULL)
    self->pages_source = g_idle_add_full (G_PRIORITY_LOW, make_page_cb, self, NULL);
  return G_SOURCE_REMOVE;
}

static void
show_workspaces (OwWindow     *self,
                 OwWorkspaces  workspaces)
{
  static const OwWorkspaces all[] = {
    OW_WORKSPACE_INTAKE, OW_WORKSPACE_PICKUP, OW_WORKSPACE_OVERVIEW, OW_WORKSPACE_CASES,
    OW_WORKSPACE_TICKETS,
  };
  OwWorkspaces first = ow_workspaces_first (workspaces);

  self->workspaces = workspaces;
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (self->view_stack,
                                                           ow_workspace_get_name (all[i]));

      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->view_stack, child),
                                       (workspaces & all[i]) != 0);
    }
  /* A switcher of one would only take room. */
  gtk_widget_set_visible (self->view_switcher, ow_workspaces_count (workspaces) > 1);
  if (first != OW_WORKSPACE_NONE)
    adw_view_stack_set_visible_child_name (self->view_stack, ow_workspace_get_name (first));
  update_actions (self);
}

static void
logged_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OwWindow *self;
  g_autoptr(GError) error = NULL;
  const OwUser *user;
  g_autofree char *subtitle = NULL;
  g_autofree char *welcome = NULL;
  OwWorkspaces workspaces;

  if (!ow_context_login_finish (OW_CONTEXT (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OW_WINDOW (user_data);
  self->logging_in = FALSE;
  update_login_sensitivity (self);
  update_status (self);

  if (error != NULL)
    {
      g_autofree char *message = describe_login_error (self, error);
      show_login_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
      return;
    }

  user = ow_context_get_user (self->context);
  workspaces = ow_workspaces_for_user (user);
  if (workspaces == OW_WORKSPACE_NONE)
    {
      show_login_error (self, _("This account has none of the roles OneWindow serves: clerk, "
                                "pick-up, supervisor or department. Ask the hall's "
                                "administrator to give it the role of your post."));
      return;
    }

  show_login_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  /* Translators: hall name, then counter number, then the clerk's name */
  if (user->counter > 0)
    subtitle = g_strdup_printf (_("%s · Counter %u · %s"), user->hall_name, user->counter,
                                user->display_name);
  else
    {
      /* The department too, for a department's user: whose cases these are. */
      g_autofree char *who = ow_user_describe (user);

      /* Translators: hall name, then the user's name */
      subtitle = g_strdup_printf (_("%s · %s"), user->hall_name, who);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);

  make_pages (self);
  if (workspaces & OW_WORKSPACE_INTAKE)
    ow_intake_page_set_context (self->intake_page, self->context);
  if (workspaces & OW_WORKSPACE_CASES)
    ow_cases_page_set_context (self->cases_page, self->context);
  if (workspaces & OW_WORKSPACE_OVERVIEW)
    ow_overview_page_set_context (self->overview_page, self->context);
  if (workspaces & OW_WORKSPACE_PICKUP)
    ow_pickup_page_set_context (self->pickup_page, self->context);
  ow_tickets_page_set_context (self->tickets_page, self->context);
  gtk_stack_set_visible_child_name (self->stack, "workspaces");
  show_workspaces (self, workspaces);
  if ((workspaces & OW_WORKSPACE_PICKUP) && ow_workspaces_first (workspaces) == OW_WORKSPACE_PICKUP)
    ow_pickup_page_focus_find (self->pickup_page);
  if (workspaces & OW_WORKSPACE_INTAKE)
    {
      ow_intake_page_focus_search (self->intake_page);
      /* Brings back the print jobs a previous run left unprinted, for retry (Print Jobs). */
      ow_print_jobs_get_queue (self->context);
    }

  self->last_input = g_get_monotonic_time ();
  g_clear_handle_id (&self->idle_source, g_source_remove);
  self->idle_source = g_timeout_add_seconds (15, idle_check_cb, self);

  if (ow_user_has_role (user, "clerk") && user->counter == 0)
    /* Translators: %s is the clerk's name */
    welcome = g_strdup_printf (_("Logged in as %s. This account has no counter number, so it "
                                 "cannot take in applications: ask the hall's administrator "
                                 "to set one."), user->display_name);
  else if (ow_context_get_session_mode (self->context) == OW_SESSION_OFFLINE)
    /* Translators: %s is the clerk's name */
    welcome = g_strdup_printf (_("Logged in as %s without the platform: what you do is sent "
                                 "when it answers again"), user->display_name);
  else
    /* Translators: %s is the clerk's name */
    welcome = g_strdup_printf (_("Logged in as %s"), user->display_name);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (welcome));
}

static void
login_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OwWindow *self = OW_WINDOW (widget);
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_entry));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  if (*username == '\0')
    {
      show_login_error (self, _("Enter your user name."));
      gtk_widget_grab_focus (GTK_WIDGET (self->username_entry));
      return;
    }
  if (*password == '\0')
    {
      show_login_error (self, _("Enter your password."));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
      return;
    }

  show_login_error (self, NULL);
  self->logging_in = TRUE;
  update_login_sensitivity (self);
  ow_context_login_async (self->context, username, password, self->cancellable, logged_in_cb,
                          self);
}

static void
logout_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwWindow *self = OW_WINDOW (widget);

  /* The session token expires on the platform; what matters here is that the next person at
   * the counter cannot act under this clerk's name. */
  g_clear_handle_id (&self->idle_source, g_source_remove);
  ow_context_logout (self->context);
  /* Whoever was being served stays in the parked list for the next log-in: nothing typed is
   * lost to a log-out, even the automatic one of an idle counter. */
  if (self->workspaces & OW_WORKSPACE_INTAKE)
    {
      ow_intake_page_park (self->intake_page);
      ow_intake_page_reset (self->intake_page);
    }
  gtk_stack_set_visible_child_name (self->stack, "login");
  adw_window_title_set_subtitle (self->window_title, NULL);
  show_workspaces (self, OW_WORKSPACE_NONE);
  if (self->tickets_page != NULL)
    ow_tickets_page_set_context (self->tickets_page, NULL);
  if (self->cases_page != NULL)
    ow_cases_page_set_context (self->cases_page, NULL);
  if (self->overview_page != NULL)
    ow_overview_page_set_context (self->overview_page, NULL);
  if (self->pickup_page != NULL)
    ow_pickup_page_set_context (self->pickup_page, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}

static void
register_ticket_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  OwWindow *self = OW_WINDOW (widget);

  if (ow_context_get_user (self->context) == NULL)
    return;
  gtk_window_present (GTK_WINDOW (ow_ticket_dialog_new (GTK_WINDOW (self), self->context)));
}

static void
open_returning_case (OwWindow   *self,
                     const char *case_no)
{
  const OwUser *user = self->context != NULL ? ow_context_get_user (self->context) : NULL;

  /* Only a clerk at a counter accepts cases, in the intake workspace. */
  if (user == NULL || shown_workspace (self) != OW_WORKSPACE_INTAKE)
    return;
  gtk_window_present (GTK_WINDOW (ow_supplement_dialog_new (GTK_WINDOW (self), self->context,
                                                            case_no)));
}

static void
returning_case_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  open_returning_case (OW_WINDOW (widget), NULL);
}

/* The applicant is back with the notice: its QR code went into the intake page's search. */
static void
case_scanned_cb (OwWindow   *self,
                 const char *case_no)
{
  open_returning_case (self, case_no);
}

static void
show_outbox_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OwWindow *self = OW_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (ow_outbox_window_new (GTK_WINDOW (self), self->context)));
}

static void
show_print_jobs_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  OwWindow *self = OW_WINDOW (widget);

  if (self->context != NULL)
    gtk_window_present (GTK_WINDOW (ow_print_jobs_window_new (GTK_WINDOW (self),
                                                              self->context)));
}

static void
preferences_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OwWindow *self = OW_WINDOW (widget);
  GtkWidget *preferences;

  if (self->context == NULL)
    return;
  preferences = ow_preferences_window_new (ow_context_get_settings (self->context),
                                           ow_context_get_printer (self->context));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
forward_to_intake (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OwWindow *self = OW_WINDOW (widget);
  const char *name = strchr (action_name, '.') + 1;
  g_autofree char *intake_action = g_strconcat ("intake.", name, NULL);

  if (shown_workspace (self) != OW_WORKSPACE_INTAKE || self->intake_page == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self->intake_page), intake_action, NULL);
}

static void
password_needed_cb (OwWindow   *self,
                    const char *message,
                    OwContext  *context)
{
  if (ow_context_get_user (context) != NULL)
    ow_password_dialog_present (GTK_WINDOW (self), context, message);
}

static void
context_logged_out_cb (OwWindow   *self,
                       const char *reason,
                       OwContext  *context)
{
  logout_activated (GTK_WIDGET (self), "win.logout", NULL);
  show_login_error (self, reason);
}

/* GtkWindow:application is not a construct property, so this runs once it is set. */
static void
attach_context (OwWindow      *self,
                OwApplication *app)
{
  g_autofree char *last_username = NULL;

  self->context = g_object_ref (ow_application_get_context (app));

  g_signal_connect_object (self->context, "notify::ready", G_CALLBACK (context_ready_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::link-state", G_CALLBACK (status_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "password-needed", G_CALLBACK (password_needed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "logged-out", G_CALLBACK (context_logged_out_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::scanner-name",
                           G_CALLBACK (status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::printer-name",
                           G_CALLBACK (status_changed_cb), self, G_CONNECT_SWAPPED);
  if (ow_context_is_ready (self->context) || ow_context_get_open_error (self->context) != NULL)
    context_ready_cb (self, NULL, self->context);

  last_username = g_settings_get_string (ow_context_get_settings (self->context),
                                         "last-username");
  gtk_editable_set_text (GTK_EDITABLE (self->username_entry), last_username);
  gtk_widget_grab_focus (*last_username != '\0' ? GTK_WIDGET (self->password_entry)
                                                : GTK_WIDGET (self->username_entry));
  update_login_sensitivity (self);
  update_status (self);
}

static void
ow_window_dispose (GObject *object)
{
  OwWindow *self = OW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->pages_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_WINDOW);
  /* Their slots held them. */
  self->intake_page = NULL;
  self->pickup_page = NULL;
  self->overview_page = NULL;
  self->cases_page = NULL;
  self->tickets_page = NULL;
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_window_parent_class)->dispose (object);
}

static gboolean
ow_window_close_request (GtkWindow *window)
{
  OwWindow *self = OW_WINDOW (window);

  /* Closing (or Ctrl+Q) must not lose the last keystrokes to the drafts' typing pause. */
  if (self->workspaces & OW_WORKSPACE_INTAKE)
    ow_intake_page_save_draft_now (self->intake_page);
  return GTK_WINDOW_CLASS (ow_window_parent_class)->close_request (window);
}

static void
ow_window_class_init (OwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ow_window_dispose;
  window_class->close_request = ow_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/shell/ow-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, username_entry);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, password_entry);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, login_error_label);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, login_button);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, login_spinner);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, intake_slot);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, tickets_slot);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, cases_slot);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, overview_slot);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, pickup_slot);
  gtk_widget_class_bind_template_callback (widget_class, workspace_shown_cb);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, online_label);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, scanner_label);
  gtk_widget_class_bind_template_child (widget_class, OwWindow, printer_label);

  gtk_widget_class_install_action (widget_class, "win.login", NULL, login_activated);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_activated);
  gtk_widget_class_install_action (widget_class, "win.show-outbox", NULL, show_outbox_activated);
  gtk_widget_class_install_action (widget_class, "win.register-ticket", NULL,
                                   register_ticket_activated);
  /* Not Ctrl+Shift+U: in every text field GTK's input method takes it for Unicode input. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "win.register-ticket", NULL);
  gtk_widget_class_install_action (widget_class, "win.returning-case", NULL,
                                   returning_case_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.returning-case", NULL);
  gtk_widget_class_install_action (widget_class, "win.accept", NULL, forward_to_intake);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL, forward_to_intake);
  gtk_widget_class_install_action (widget_class, "win.retry-print", NULL, forward_to_intake);
  gtk_widget_class_install_action (widget_class, "win.preview", NULL, forward_to_intake);
  gtk_widget_class_install_action (widget_class, "win.reprint", NULL, forward_to_intake);
  gtk_widget_class_install_action (widget_class, "win.consult", NULL, forward_to_intake);
  gtk_widget_class_install_action (widget_class, "win.new-applicant", NULL, forward_to_intake);
  gtk_widget_class_install_action (widget_class, "win.park", NULL, forward_to_intake);
  gtk_widget_class_install_action (widget_class, "win.show-parked", NULL, forward_to_intake);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.consult", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-applicant", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "win.park", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_H,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-parked", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-print-jobs", NULL,
                                   show_print_jobs_activated);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "win.preferences", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_P,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.preview", NULL);
}

static void
ow_window_init (OwWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkEventController *input;

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  input = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (input, GTK_PHASE_CAPTURE);
  g_signal_connect (input, "event", G_CALLBACK (input_seen_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), input);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->login_button));

  builder = gtk_builder_new_from_resource ("/io/github/onewindow/OneWindow/shell/"
                                           "help-overlay.ui");
  self->help_overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  self->register_group = GTK_WIDGET (gtk_builder_get_object (builder, "register_group"));
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), self->help_overlay);
  show_workspaces (self, OW_WORKSPACE_NONE);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), first_frame_cb, NULL, NULL);
}

OwWindow *
ow_window_new (OwApplication *application)
{
  OwWindow *self;

  g_return_val_if_fail (OW_IS_APPLICATION (application), NULL);

  self = g_object_new (OW_TYPE_WINDOW, "application", application, NULL);
  attach_context (self, application);
  return self;
}

const char *
ow_window_get_page (OwWindow *self)
{
  g_return_val_if_fail (OW_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
ow_window_get_workspace (OwWindow *self)
{
  g_return_val_if_fail (OW_IS_WINDOW (self), NULL);
  return ow_workspace_get_name (shown_workspace (self));
}

void
ow_window_add_toast (OwWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (OW_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
