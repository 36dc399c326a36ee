/* ow-ticket-view.c — one ticket of unfinished business: details, timeline, next steps
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "core/ow-error.h"
#include "gui/tickets/ow-ticket-view.h"

struct _OwTicketView
{
  AdwBin parent_instance;

  /* template; the stack is the bin's child, not bound: AdwBin unparents it itself */
  GtkStack *stack;
  GtkLabel *title_label;
  GtkLabel *state_label;
  GtkListBox *details_list;
  GtkListBox *timeline_list;

  OwContext *context;
  OwDirectory *directory;        /* the context's, watched for names */
  gulong directory_changed_id;
  GCancellable *cancellable;     /* cancelled in dispose */
  GCancellable *load_cancellable;
  char *id;
  OwTicket *ticket;
  GPtrArray *events;             /* OwTicketEvent */
  gboolean loaded;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (OwTicketView, ow_ticket_view, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct
{
  const char *action;
  OwTicketEventKind kind;
} step_actions[] = {
  { "ticket.assign", OW_TICKET_EVENT_ASSIGNED },
  { "ticket.start", OW_TICKET_EVENT_STARTED },
  { "ticket.note", OW_TICKET_EVENT_NOTED },
  { "ticket.resolve", OW_TICKET_EVENT_RESOLVED },
  { "ticket.explain", OW_TICKET_EVENT_EXPLAINED },
  { "ticket.call-back", OW_TICKET_EVENT_CALLED_BACK },
  { "ticket.archive", OW_TICKET_EVENT_ARCHIVED },
};

/* The five levels of the hall's ratings, best first (OwTicketSatisfaction - 1). */
static const char *satisfaction_names[] = {
  /* Translators: 非常满意 */
  N_("Very satisfied"),
  /* Translators: 满意 */
  N_("Satisfied"),
  /* Translators: 基本满意 */
  N_("Basically satisfied"),
  /* Translators: 不满意 */
  N_("Dissatisfied"),
  /* Translators: 非常不满意 */
  N_("Very dissatisfied"),
};

static void load_ticket (OwTicketView *self);

/* ---------------------------------------------------------------------------------------- */
/* Words */

const char *
ow_ticket_state_describe (guint state)
{
  switch ((OwTicketState) state)
    {
    case OW_TICKET_STATE_REGISTERED: return _("Registered");
    case OW_TICKET_STATE_ASSIGNED: return _("Assigned");
    case OW_TICKET_STATE_IN_PROGRESS: return _("In progress");
    case OW_TICKET_STATE_RESOLVED: return _("Resolved");
    case OW_TICKET_STATE_EXPLAINED: return _("Explained");
    case OW_TICKET_STATE_CALLED_BACK: return _("Called back");
    case OW_TICKET_STATE_ARCHIVED: return _("Archived");
    default: return _("Unknown");
    }
}

const char *
ow_ticket_tier_describe (guint tier)
{
  switch ((OwTicketTier) tier)
    {
    case OW_TICKET_TIER_ON_THE_SPOT: return _("On the spot");
    case OW_TICKET_TIER_5_DAYS: return _("Within 5 working days");
    case OW_TICKET_TIER_10_DAYS: return _("Within 10 working days");
    default: return _("Unknown");
    }
}

void
ow_ticket_hall_date (GDateTime *time,
                     GDate     *date)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (8 * 60 * 60);
  g_autoptr(GDateTime) now = time == NULL ? g_date_time_new_now_utc () : NULL;
  g_autoptr(GDateTime) there = g_date_time_to_timezone (time != NULL ? time : now, zone);

  g_return_if_fail (date != NULL);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (there), g_date_time_get_month (there),
                  g_date_time_get_year (there));
}

static const char *
describe_channel (const char *channel)
{
  if (g_strcmp0 (channel, "online") == 0)
    return _("Online");
  if (g_strcmp0 (channel, "hall") == 0)
    return _("In the hall");
  if (g_strcmp0 (channel, "phone") == 0)
    return _("By phone");
  return NULL;
}

/* How the interface names @username: the person and their department, never the log-in name. */
static char *
describe_user (OwTicketView *self,
               const char   *username)
{
  return ow_context_describe_user (self->context, username);
}

static char *
describe_event (OwTicketView        *self,
                const OwTicketEvent *event)
{
  switch (event->kind)
    {
    case OW_TICKET_EVENT_ASSIGNED:
      if (event->assignee != NULL)
        {
          g_autofree char *assignee = describe_user (self, event->assignee);

          /* Translators: %s is a person, with their department when they work for one */
          return g_strdup_printf (_("Assigned to %s"), assignee);
        }
      return g_strdup (_("Assigned"));
    case OW_TICKET_EVENT_STARTED:
      return g_strdup (_("Work started"));
    case OW_TICKET_EVENT_RESOLVED:
      return g_strdup (_("Resolved"));
    case OW_TICKET_EVENT_EXPLAINED:
      return g_strdup (_("Closed with an explanation"));
    case OW_TICKET_EVENT_CALLED_BACK:
      if (!event->reached)
        return g_strdup (_("Called back: not reached"));
      if (event->satisfaction >= 1 && event->satisfaction <= G_N_ELEMENTS (satisfaction_names))
        /* Translators: %s is how satisfied the applicant said they were */
        return g_strdup_printf (_("Called back: %s"),
                                _(satisfaction_names[event->satisfaction - 1]));
      return g_strdup (_("Called back"));
    case OW_TICKET_EVENT_ARCHIVED:
      return g_strdup (_("Archived"));
    case OW_TICKET_EVENT_NOTED:
      return g_strdup (_("Progress note"));
    default:
      return g_strdup (_("Unknown step"));
    }
}

static char *
format_date (const GDate *date)
{
  char text[32];

  if (date == NULL || !g_date_valid (date))
    return NULL;
  g_date_strftime (text, sizeof text, "%Y-%m-%d", date);
  return g_strdup (text);
}

/* In the hall's time, as the notices and the due dates count, not the PC's. */
static char *
format_time (GDateTime *time)
{
  return time != NULL ? ow_hall_format (time, "%Y-%m-%d %H:%M") : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Who may do what */

static gboolean
user_may (OwTicketView      *self,
          OwTicketEventKind  kind)
{
  const OwUser *user = self->context != NULL ? ow_context_get_user (self->context) : NULL;

  if (user == NULL || self->ticket == NULL)
    return FALSE;
  if (ow_user_has_role (user, "supervisor"))
    return TRUE;
  switch (kind)
    {
    case OW_TICKET_EVENT_STARTED:
    case OW_TICKET_EVENT_RESOLVED:
    case OW_TICKET_EVENT_EXPLAINED:
    case OW_TICKET_EVENT_NOTED:
      /* Its assignee works on it, and so may a colleague of the assignee's department: the
       * platform's rule (ow-platform-access.h). */
      return g_strcmp0 (self->ticket->assignee, user->username) == 0
             || ow_directory_same_department (ow_context_get_directory (self->context), user,
                                              self->ticket->assignee);
    default:
      return FALSE;
    }
}

static void
update_actions (OwTicketView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (step_actions); i++)
    {
      OwTicketState next;
      gboolean allowed = self->ticket != NULL && !self->busy
                         && ow_ticket_state_apply (self->ticket->state, step_actions[i].kind,
                                                   &next, NULL)
                         && user_may (self, step_actions[i].kind);

      gtk_widget_action_set_enabled (GTK_WIDGET (self), step_actions[i].action, allowed);
    }
}

static void
add_toast (OwTicketView *self,
           const char   *message,
           guint         timeout)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, timeout);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* ---------------------------------------------------------------------------------------- */
/* Showing */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_detail (OwTicketView *self,
            const char   *title,
            const char   *value)
{
  GtkWidget *row;
  g_autofree char *escaped = NULL;

  if (value == NULL || *value == '\0')
    return;
  row = adw_action_row_new ();
  escaped = g_markup_escape_text (value, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  gtk_widget_add_css_class (row, "property");
  gtk_list_box_append (self->details_list, row);
}

static void
show_ticket (OwTicketView *self)
{
  const OwTicket *t = self->ticket;
  g_autofree char *registered = format_time (t->registered_at);
  g_autofree char *due = format_date (&t->due_date);
  g_autofree char *escalated = format_time (t->escalated_at);
  g_autofree char *state = NULL;
  g_autofree char *case_no = t->case_no != NULL ? ow_case_number_format (t->case_no) : NULL;
  g_autofree char *assignee = t->assignee != NULL ? describe_user (self, t->assignee) : NULL;
  OwCatalog *catalog = ow_context_get_catalog (self->context);
  const char *item_name = t->item_id != NULL && catalog != NULL
                          ? ow_catalog_get_item_name (catalog, t->item_id) : NULL;

  gtk_label_set_text (self->title_label, t->summary);
  if (t->overdue)
    /* Translators: the ticket's number, then its state */
    state = g_strdup_printf (_("%s · %s · overdue"), t->id, ow_ticket_state_describe (t->state));
  else
    state = g_strdup_printf (_("%s · %s"), t->id, ow_ticket_state_describe (t->state));
  gtk_label_set_text (self->state_label, state);
  if (t->overdue)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");

  clear_list (self->details_list);
  add_detail (self, _("Applicant"), t->contact_name);
  add_detail (self, _("Phone"), t->contact_phone);
  add_detail (self, _("Tried"), describe_channel (t->channel));
  add_detail (self, _("Service item"), item_name != NULL ? item_name : t->item_id);
  add_detail (self, _("Case number"), case_no != NULL ? case_no : t->case_no);
  {
    OwTicketCategory category;

    /* A code in the reader's language; a hall's own classification as it was written. */
    add_detail (self, _("Category"), ow_ticket_category_from_string (t->category, &category)
                                     ? ow_ticket_category_get_label (category) : t->category);
  }
  add_detail (self, _("Time limit"), ow_ticket_tier_describe (t->tier));
  add_detail (self, _("Registered"), registered);
  add_detail (self, _("Reply due"), due);
  add_detail (self, _("Assigned to"), assignee != NULL ? assignee : _("Nobody yet"));
  add_detail (self, _("Escalated to the supervisors"), escalated);

  clear_list (self->timeline_list);
  {
    /* Registration is the first line of every timeline, though it is not an event. */
    GtkWidget *row = adw_action_row_new ();
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Registered"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), registered != NULL ? registered : "");
    gtk_list_box_append (self->timeline_list, row);
  }
  for (guint i = 0; self->events != NULL && i < self->events->len; i++)
    {
      const OwTicketEvent *event = g_ptr_array_index (self->events, i);
      g_autofree char *title = describe_event (self, event);
      g_autofree char *when = format_time (event->at);
      g_autofree char *cases = event->case_nos != NULL ? g_strjoinv (", ", event->case_nos)
                                                       : NULL;
      GString *subtitle = g_string_new (when);
      g_autofree char *escaped_title = g_markup_escape_text (title, -1);
      g_autofree char *escaped = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (event->note != NULL && *event->note != '\0')
        g_string_append_printf (subtitle, "\n%s", event->note);
      if (cases != NULL)
        /* Translators: %s is a list of case numbers */
        g_string_append_printf (subtitle, "\n%s", cases);
      escaped = g_markup_escape_text (subtitle->str, -1);
      g_string_free (subtitle, TRUE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_list_box_append (self->timeline_list, row);
    }

  gtk_stack_set_visible_child_name (self->stack, "ticket");
  update_actions (self);
}

static void
ticket_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OwTicketView *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(OwTicket) ticket = ow_store_load_ticket_finish (OW_STORE (source), result, &events,
                                                             &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OW_TICKET_VIEW (user_data);
  if (ticket == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The ticket could not be read: %s"),
                                                  error->message);
      add_toast (self, message, 0);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  g_clear_pointer (&self->ticket, ow_ticket_free);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  self->ticket = g_steal_pointer (&ticket);
  self->events = g_steal_pointer (&events);
  self->loaded = TRUE;
  show_ticket (self);
}

static void
load_ticket (OwTicketView *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->loaded = FALSE;
  if (self->id == NULL || self->context == NULL)
    {
      g_clear_pointer (&self->ticket, ow_ticket_free);
      g_clear_pointer (&self->events, g_ptr_array_unref);
      gtk_stack_set_visible_child_name (self->stack, "none");
      update_actions (self);
      return;
    }
  self->load_cancellable = g_cancellable_new ();
  ow_store_load_ticket_async (ow_context_get_store (self->context), self->id,
                              self->load_cancellable, ticket_loaded_cb, self);
}

/* ---------------------------------------------------------------------------------------- */
/* Taking a step */

static void
step_submitted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OwTicketView *self;
  g_autoptr(GError) error = NULL;

  if (!ow_sync_submit_ticket_event_finish (OW_SYNC (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OW_TICKET_VIEW (user_data);
  self->busy = FALSE;
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION))
        /* Translators: %s says which step cannot follow which state */
        message = g_strdup_printf (_("This step is not possible now: %s"), error->message);
      else
        message = g_strdup_printf (_("The step was not saved: %s"), error->message);
      add_toast (self, message, 0);
      update_actions (self);
      return;
    }

  add_toast (self, ow_context_get_online (self->context)
                   ? _("Step saved; it is on its way to the platform")
                   : _("Step saved; it will be sent when the platform can be reached"), 4);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, self->id);
  load_ticket (self);
}

static void
submit_step (OwTicketView  *self,
             OwTicketEvent *event)
{
  const OwUser *user = ow_context_get_user (self->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  if (!ow_ticket_event_validate (event, &field, &error))
    {
      add_toast (self, error->message, 0);
      return;
    }
  self->busy = TRUE;
  update_actions (self);
  ow_sync_submit_ticket_event_async (ow_context_get_sync (self->context), self->id, event,
                                     user != NULL ? user->username : NULL, self->cancellable,
                                     step_submitted_cb, self);
}

static OwTicketEvent *
new_event (OwTicketEventKind kind)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = g_uuid_string_random ();

  return ow_ticket_event_new (id, kind, now);
}

static char *
dup_text_view (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static GtkWidget *
add_labelled (GtkBox     *box,
              const char *label_text,
              GtkWidget  *control)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_box_append (box, label);
  gtk_box_append (box, control);
  return control;
}

static GtkTextView *
add_text_view (GtkBox     *box,
               const char *label_text)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_widget_set_size_request (view, 360, 90);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);
  gtk_box_append (box, label);
  gtk_box_append (box, frame);
  return GTK_TEXT_VIEW (view);
}

typedef struct
{
  OwTicketView *self;
  OwTicketEventKind kind;
  GtkTextView *note;
  GtkEntry *cases;
  GtkCheckButton *reached;
  GtkDropDown *satisfaction;
  GtkDropDown *assignee_dropdown;
  GtkEntry *assignee_entry;
  GPtrArray *usernames;
} StepDialog;

static void
step_dialog_free (StepDialog *data)
{
  g_clear_pointer (&data->usernames, g_ptr_array_unref);
  g_free (data);
}

/* Apply only once the step has what it needs: a text where one is required, a satisfaction
 * when the applicant was reached, someone to assign to. */
static void
update_step_dialog (AdwMessageDialog *dialog)
{
  StepDialog *data = g_object_get_data (G_OBJECT (dialog), "ow-step");
  gboolean ok = TRUE;

  if (data->note != NULL
      && (data->kind == OW_TICKET_EVENT_NOTED || data->kind == OW_TICKET_EVENT_RESOLVED
          || data->kind == OW_TICKET_EVENT_EXPLAINED))
    {
      g_autofree char *text = dup_text_view (data->note);
      ok = *text != '\0';
    }
  if (data->reached != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (data->satisfaction),
                              gtk_check_button_get_active (data->reached));
  if (data->assignee_entry != NULL)
    ok = ok && *gtk_editable_get_text (GTK_EDITABLE (data->assignee_entry)) != '\0';
  if (data->assignee_dropdown != NULL)
    ok = ok && gtk_drop_down_get_selected (data->assignee_dropdown) != GTK_INVALID_LIST_POSITION;
  adw_message_dialog_set_response_enabled (dialog, "apply", ok);
}

static void
step_dialog_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  StepDialog *data = g_object_get_data (G_OBJECT (dialog), "ow-step");
  OwTicketView *self = data->self;
  g_autoptr(OwTicketEvent) event = NULL;

  if (g_strcmp0 (response, "apply") != 0)
    return;

  event = new_event (data->kind);
  if (data->note != NULL)
    {
      g_autofree char *note = dup_text_view (data->note);
      if (*note != '\0')
        event->note = g_steal_pointer (&note);
    }
  if (data->assignee_dropdown != NULL)
    event->assignee = g_strdup (g_ptr_array_index (data->usernames,
                                                   gtk_drop_down_get_selected (
                                                     data->assignee_dropdown)));
  if (data->assignee_entry != NULL)
    event->assignee = g_strstrip (g_strdup (gtk_editable_get_text (
                                              GTK_EDITABLE (data->assignee_entry))));
  if (data->cases != NULL)
    {
      g_auto(GStrv) parts = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (data->cases)),
                                            ",，; \n", -1);
      g_autoptr(GPtrArray) numbers = g_ptr_array_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          {
            char *canonical = ow_case_number_normalize (parts[i]);

            if (canonical == NULL)
              {
                /* Translators: %s is what was typed */
                g_autofree char *message = g_strdup_printf (_("“%s” is not a case number"),
                                                            parts[i]);
                g_ptr_array_set_free_func (numbers, g_free);
                add_toast (self, message, 0);
                return;
              }
            g_ptr_array_add (numbers, canonical);
          }
      if (numbers->len > 0)
        {
          g_ptr_array_add (numbers, NULL);
          event->case_nos = (char **) g_ptr_array_free (g_steal_pointer (&numbers), FALSE);
        }
      else
        g_ptr_array_set_free_func (numbers, g_free);
    }
  if (data->reached != NULL)
    {
      event->reached = gtk_check_button_get_active (data->reached);
      if (event->reached)
        event->satisfaction = gtk_drop_down_get_selected (data->satisfaction) + 1;
    }
  submit_step (self, event);
}

static void
step_text_changed_cb (gpointer          source,
                      AdwMessageDialog *dialog)
{
  update_step_dialog (dialog);
}

static void
open_step_dialog (OwTicketView      *self,
                  OwTicketEventKind  kind,
                  GPtrArray         *users)
{
  GtkWidget *dialog;
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  StepDialog *data = g_new0 (StepDialog, 1);
  const char *heading = NULL, *body = NULL, *apply = NULL;
  gboolean destructive = FALSE;

  data->self = self;
  data->kind = kind;
  switch (kind)
    {
    case OW_TICKET_EVENT_ASSIGNED:
      heading = _("Assign the Ticket");
      body = _("Who is to resolve it: a department’s user or the hall’s on-duty leader.");
      apply = _("_Assign");
      if (users != NULL && users->len > 0)
        {
          g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

          data->usernames = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < users->len; i++)
            {
              const OwUser *user = g_ptr_array_index (users, i);
              g_autofree char *text = NULL;

              /* The person and whom they answer for: their department, or the hall. */
              if (ow_user_has_role (user, "department") && user->department != NULL)
                text = ow_user_describe (user);
              else if (ow_user_has_role (user, "department"))
                /* Translators: a person's name; their account names no department yet */
                text = g_strdup_printf (_("%s · a department"), user->display_name);
              else
                /* Translators: a person's name, then their duty in the hall */
                text = g_strdup_printf (_("%s · on-duty leader"), user->display_name);
              gtk_string_list_append (names, text);
              g_ptr_array_add (data->usernames, g_strdup (user->username));
            }
          data->assignee_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (
                                      G_LIST_MODEL (g_object_ref (names)), NULL));
          add_labelled (box, _("Assign _to"), GTK_WIDGET (data->assignee_dropdown));
        }
      else
        {
          data->assignee_entry = GTK_ENTRY (gtk_entry_new ());
          add_labelled (box, _("User name to assign _to"), GTK_WIDGET (data->assignee_entry));
        }
      data->note = add_text_view (box, _("_Instructions (optional)"));
      break;
    case OW_TICKET_EVENT_STARTED:
      heading = _("Start Work on the Ticket?");
      body = _("The ticket is marked as in progress.");
      apply = _("_Start");
      break;
    case OW_TICKET_EVENT_NOTED:
      heading = _("Add a Progress Note");
      apply = _("_Add Note");
      data->note = add_text_view (box, _("_Note"));
      break;
    case OW_TICKET_EVENT_RESOLVED:
      heading = _("Resolve the Ticket");
      body = _("Say what was done. Name the cases that resolved it, if any.");
      apply = _("_Resolve");
      data->note = add_text_view (box, _("What was _done"));
      data->cases = GTK_ENTRY (gtk_entry_new ());
      add_labelled (box, _("Linked _case numbers (comma-separated)"), GTK_WIDGET (data->cases));
      break;
    case OW_TICKET_EVENT_EXPLAINED:
      heading = _("Close with an Explanation");
      body = _("Explain in writing why it cannot be done; the applicant is told this.");
      apply = _("_Close Ticket");
      data->note = add_text_view (box, _("_Explanation"));
      break;
    case OW_TICKET_EVENT_CALLED_BACK:
      heading = _("Record the Call-Back");
      apply = _("_Record");
      data->reached = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (
                                          _("The applicant was _reached")));
      gtk_check_button_set_active (data->reached, TRUE);
      gtk_box_append (box, GTK_WIDGET (data->reached));
      {
        g_autoptr(GtkStringList) levels = gtk_string_list_new (NULL);

        for (guint i = 0; i < G_N_ELEMENTS (satisfaction_names); i++)
          gtk_string_list_append (levels, _(satisfaction_names[i]));
        data->satisfaction = GTK_DROP_DOWN (gtk_drop_down_new (
                                              G_LIST_MODEL (g_object_ref (levels)), NULL));
      }
      add_labelled (box, _("_Satisfaction"), GTK_WIDGET (data->satisfaction));
      data->note = add_text_view (box, _("_Notes of the call (optional)"));
      break;
    case OW_TICKET_EVENT_ARCHIVED:
      heading = _("Archive the Ticket?");
      body = _("An archived ticket is final: no step or note can follow.");
      apply = _("_Archive");
      destructive = TRUE;
      break;
    default:
      g_assert_not_reached ();
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", apply,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                          : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           destructive ? "cancel" : "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (gtk_widget_get_first_child (GTK_WIDGET (box)) != NULL)
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (box));
  else
    g_object_unref (g_object_ref_sink (box));
  g_object_set_data_full (G_OBJECT (dialog), "ow-step", data, (GDestroyNotify) step_dialog_free);

  if (data->note != NULL)
    g_signal_connect_object (gtk_text_view_get_buffer (data->note), "changed",
                             G_CALLBACK (step_text_changed_cb), dialog, 0);
  if (data->reached != NULL)
    g_signal_connect_object (data->reached, "toggled", G_CALLBACK (step_text_changed_cb),
                             dialog, 0);
  if (data->assignee_entry != NULL)
    g_signal_connect_object (data->assignee_entry, "changed", G_CALLBACK (step_text_changed_cb),
                             dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (step_dialog_response_cb), self, 0);
  update_step_dialog (ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
users_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OwTicketView *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = ow_client_list_users_finish (OW_CLIENT (source), result, &error);
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  OwDirectory *directory;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OW_TICKET_VIEW (user_data);
  self->busy = FALSE;
  update_actions (self);
  /* The freshest list names people everywhere else too. Without it (offline) the step still
   * queues: the people the counter knew since the log-in are offered, and only when it knew
   * none does the supervisor type whom it goes to. */
  directory = ow_context_get_directory (self->context);
  if (users != NULL)
    ow_directory_set_users (directory, users);
  else
    users = ow_directory_list (directory);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      const OwUser *user = g_ptr_array_index (users, i);

      if (ow_user_has_role (user, "department") || ow_user_has_role (user, "supervisor"))
        g_ptr_array_add (candidates, (gpointer) user);
    }
  open_step_dialog (self, OW_TICKET_EVENT_ASSIGNED, candidates);
}

static void
step_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwTicketView *self = OW_TICKET_VIEW (widget);

  for (guint i = 0; i < G_N_ELEMENTS (step_actions); i++)
    if (g_str_equal (step_actions[i].action, action_name))
      {
        if (step_actions[i].kind == OW_TICKET_EVENT_ASSIGNED)
          {
            /* Whom to assign to comes from the platform (department users of this hall). */
            self->busy = TRUE;
            update_actions (self);
            ow_client_list_users_async (ow_context_get_client (self->context), NULL,
                                        self->cancellable, users_listed_cb, self);
          }
        else
          open_step_dialog (self, step_actions[i].kind, NULL);
        return;
      }
}

/* ---------------------------------------------------------------------------------------- */

static void
directory_changed_cb (OwTicketView *self)
{
  /* The people of the timeline may have names now. */
  if (self->loaded && self->ticket != NULL)
    show_ticket (self);
}

static void
watch_directory (OwTicketView *self,
                 OwDirectory  *directory)
{
  if (self->directory != NULL)
    g_clear_signal_handler (&self->directory_changed_id, self->directory);
  g_set_object (&self->directory, directory);
  if (directory != NULL)
    self->directory_changed_id = g_signal_connect_swapped (directory, "changed",
                                                           G_CALLBACK (directory_changed_cb),
                                                           self);
}

static void
ow_ticket_view_dispose (GObject *object)
{
  OwTicketView *self = OW_TICKET_VIEW (object);

  watch_directory (self, NULL);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_TICKET_VIEW);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->ticket, ow_ticket_free);
  g_clear_pointer (&self->events, g_ptr_array_unref);

  G_OBJECT_CLASS (ow_ticket_view_parent_class)->dispose (object);
}

static void
ow_ticket_view_finalize (GObject *object)
{
  OwTicketView *self = OW_TICKET_VIEW (object);

  g_free (self->id);

  G_OBJECT_CLASS (ow_ticket_view_parent_class)->finalize (object);
}

static void
ow_ticket_view_class_init (OwTicketViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_ticket_view_dispose;
  object_class->finalize = ow_ticket_view_finalize;

  /**
   * OwTicketView::changed:
   * @id: the ticket's id
   *
   * A step of the ticket was saved locally (and queued for the platform).
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/tickets/"
                                               "ow-ticket-view.ui");
  gtk_widget_class_bind_template_child (widget_class, OwTicketView, title_label);
  gtk_widget_class_bind_template_child (widget_class, OwTicketView, state_label);
  gtk_widget_class_bind_template_child (widget_class, OwTicketView, details_list);
  gtk_widget_class_bind_template_child (widget_class, OwTicketView, timeline_list);

  for (guint i = 0; i < G_N_ELEMENTS (step_actions); i++)
    gtk_widget_class_install_action (widget_class, step_actions[i].action, NULL,
                                     step_activated);
}

static void
ow_ticket_view_init (OwTicketView *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
  update_actions (self);
}

void
ow_ticket_view_set_context (OwTicketView *self,
                            OwContext    *context)
{
  g_return_if_fail (OW_IS_TICKET_VIEW (self));
  g_return_if_fail (context == NULL || OW_IS_CONTEXT (context));

  g_set_object (&self->context, context);
  watch_directory (self, context != NULL ? ow_context_get_directory (context) : NULL);
  ow_ticket_view_show (self, NULL);
}

void
ow_ticket_view_show (OwTicketView *self,
                     const char   *id)
{
  g_return_if_fail (OW_IS_TICKET_VIEW (self));

  if (id != self->id)
    {
      char *copy = g_strdup (id);
      g_free (self->id);
      self->id = copy;
    }
  load_ticket (self);
}

void
ow_ticket_view_reload (OwTicketView *self)
{
  g_return_if_fail (OW_IS_TICKET_VIEW (self));
  if (self->id != NULL)
    load_ticket (self);
}

const char *
ow_ticket_view_get_id (OwTicketView *self)
{
  g_return_val_if_fail (OW_IS_TICKET_VIEW (self), NULL);
  return self->id;
}

gboolean
ow_ticket_view_get_loaded (OwTicketView *self)
{
  g_return_val_if_fail (OW_IS_TICKET_VIEW (self), FALSE);
  return self->loaded;
}

guint
ow_ticket_view_get_n_events (OwTicketView *self)
{
  g_return_val_if_fail (OW_IS_TICKET_VIEW (self), 0);
  return self->events != NULL ? self->events->len : 0;
}
