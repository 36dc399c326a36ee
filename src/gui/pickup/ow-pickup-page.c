/* ow-pickup-page.c — the unified pick-up window (统一出件): find, hand over, mail, rate
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hall's results live in the local store (OwPickupMirror keeps them there, also those of
 * other counters), so the window finds and hands over with the platform away. A case is found
 * in one action: its receipt's QR code read by a barcode scanner anywhere in the workspace (a
 * burst of keys, ow-key-burst.h, taken from whatever has the focus), a typed case number whose
 * check character catches a typo, or the applicant's ID number or credit code. What is found is
 * handed over (OwHandoverPanel), mailed or confirmed delivered (OwMailPanel), or, not being
 * ready, said where it is. After a hand-over the applicant may rate the service
 * (OwRatingWindow), on a screen of their own.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "core/ow-lookup.h"
#include "core/ow-mask.h"
#include "core/ow-waybill.h"
#include "gui/pickup/ow-handover-panel.h"
#include "gui/pickup/ow-mail-panel.h"
#include "gui/pickup/ow-pickup-page.h"
#include "gui/pickup/ow-pickup-text.h"
#include "gui/pickup/ow-rating-window.h"
#include "gui/printing/ow-counter-document.h"
#include "net/ow-pickup-mirror.h"
#include "search/ow-key-burst.h"

/* The lists show the longest waits; the others are found by number or ID as quickly. */
#define LIST_LIMIT 300

struct _OwPickupPage
{
  AdwBin parent_instance;

  /* template */
  GtkSearchEntry *find_entry;
  GtkLabel *find_problem_label;
  GtkStack *lists_stack;
  GtkListBox *pickup_list;
  GtkListBox *post_list;
  GtkListBox *mailed_list;
  GtkStack *detail_stack;
  GtkSpinner *spinner;
  AdwStatusPage *where_page;
  OwHandoverPanel *handover_panel;
  OwMailPanel *mail_panel;
  AdwStatusPage *done_page;
  GtkWidget *next_button;

  OwContext *context;
  OwPickupMirror *mirror;
  GCancellable *cancellable;   /* look-ups and lists; cancelled on log-out and in dispose */
  char *hall;
  guint lookup_serial;         /* a look-up answered after a newer one began is dropped */
  guint lists_serial;
  gboolean looking_up;
  guint listing;
  guint refresh_id;            /* a reading of the lists after the feed's batches pause */

  /* The last hand-over, for its rating. */
  GStrv handed;
  OwRatingWindow *rating_window;  /* weak */

  /* The barcode scanner: its keys, and what the focused entry held before they came. */
  OwKeyBurst *burst;
  GString *burst_text;
  gint64 burst_last_ms;
  GtkWidget *burst_target;        /* weak */
  char *burst_snapshot;
};

G_DEFINE_FINAL_TYPE (OwPickupPage, ow_pickup_page, ADW_TYPE_BIN)

static void refresh_lists (OwPickupPage *self);

/* ---------------------------------------------------------------------------------------- */
/* Small helpers */

static void
add_toast (OwPickupPage *self,
           const char   *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static void
show_find_problem (OwPickupPage *self,
                   const char   *message)
{
  gtk_label_set_text (self->find_problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->find_problem_label), message != NULL);
}

static void
show_detail (OwPickupPage *self,
             const char   *name)
{
  gboolean busy = g_str_equal (name, "busy");

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_stack_set_visible_child_name (self->detail_stack, name);
}

static void
show_where (OwPickupPage *self,
            const char   *icon,
            const char   *title,
            const char   *description)
{
  adw_status_page_set_icon_name (self->where_page, icon);
  adw_status_page_set_title (self->where_page, title);
  adw_status_page_set_description (self->where_page, description);
  show_detail (self, "where");
}

static const char *
user_hall (OwPickupPage *self)
{
  const OwUser *user = self->context != NULL ? ow_context_get_user (self->context) : NULL;

  return user != NULL ? user->hall : NULL;
}

static const char *
user_name (OwPickupPage *self)
{
  const OwUser *user = self->context != NULL ? ow_context_get_user (self->context) : NULL;

  return user != NULL ? user->username : NULL;
}

static gboolean
is_own_hall (OwPickupPage *self,
             OwCase       *kase)
{
  return g_str_has_prefix (ow_case_get_case_no (kase), user_hall (self) != NULL
                                                         ? user_hall (self) : "-");
}

static char *
escape (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

/* Row by row: the placeholder is a child of the list too, and removing it would unset it. */
static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static GtkWidget *
make_row (const char *title,
          const char *subtitle,
          const char *case_no,
          const char *id_number)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = escape (title);
  g_autofree char *escaped_subtitle = escape (subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "case-no", g_strdup (case_no), g_free);
  g_object_set_data_full (G_OBJECT (row), "id-number", g_strdup (id_number), g_free);
  return row;
}

static void
set_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 24);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_set_placeholder (list, label);
}

/* ---------------------------------------------------------------------------------------- */
/* The lists: what waits in the hall */

static void
fill_ready (OwPickupPage *self,
            GPtrArray    *cases)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  gint64 now = g_get_real_time ();

  clear_list (self->pickup_list);
  clear_list (self->post_list);
  for (guint i = 0; i < cases->len; i++)
    {
      OwStorePickupCase *pickup = g_ptr_array_index (cases, i);
      const OwApplicant *applicant = ow_case_get_applicant (pickup->kase);
      g_autofree char *id = g_ascii_strup (applicant != NULL && applicant->id_number != NULL
                                             ? applicant->id_number : "", -1);
      GPtrArray *group;

      if (ow_case_get_delivery (pickup->kase) == OW_DELIVERY_POST)
        {
          g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (pickup->kase));
          g_autofree char *wait = ow_pickup_describe_wait (pickup->ready_at != 0
                                                             ? pickup->ready_at
                                                             : pickup->updated_at, now);
          g_autofree char *subtitle = g_strdup_printf ("%s · %s\n%s", formatted,
                                                       wait != NULL ? wait : "",
                                                       ow_case_get_post_address (pickup->kase));

          gtk_list_box_append (self->post_list,
                               make_row (ow_case_get_post_recipient (pickup->kase), subtitle,
                                         ow_case_get_case_no (pickup->kase), NULL));
          continue;
        }
      group = g_hash_table_lookup (groups, id);
      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, g_strdup (id), group);
          g_ptr_array_add (order, pickup);
        }
      g_ptr_array_add (group, pickup);
    }

  /* One row per applicant, the longest wait first: whoever comes takes all theirs at once. */
  for (guint i = 0; i < order->len; i++)
    {
      OwStorePickupCase *first = g_ptr_array_index (order, i);
      const OwApplicant *applicant = ow_case_get_applicant (first->kase);
      g_autofree char *id = g_ascii_strup (applicant != NULL && applicant->id_number != NULL
                                             ? applicant->id_number : "", -1);
      GPtrArray *group = g_hash_table_lookup (groups, id);
      g_autofree char *masked = ow_mask_id (NULL, id);
      g_autofree char *wait = ow_pickup_describe_wait (first->ready_at != 0 ? first->ready_at
                                                                            : first->updated_at,
                                                       now);
      g_autoptr(GString) subtitle = g_string_new (NULL);
      guint refused = 0;

      for (guint j = 0; j < group->len; j++)
        if (((OwStorePickupCase *) g_ptr_array_index (group, j))->decision
            == OW_CASE_EVENT_NOT_APPROVED)
          refused++;
      g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u result", "%u results",
                                                     group->len), group->len);
      if (wait != NULL)
        g_string_append_printf (subtitle, " · %s", wait);
      if (refused > 0)
        {
          g_string_append (subtitle, " · ");
          g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE,
                                                         "%u decision not to approve",
                                                         "%u decisions not to approve",
                                                         refused), refused);
        }
      g_string_append_printf (subtitle, "\n%s", masked != NULL ? masked : "");
      gtk_list_box_append (self->pickup_list,
                           make_row (applicant != NULL ? applicant->name : "", subtitle->str,
                                     ow_case_get_case_no (first->kase), id));
    }
  if (cases->len >= LIST_LIMIT)
    {
      /* Translators: %u is how many of the longest waits are listed */
      g_autofree char *text = g_strdup_printf (_("The %u longest waits are listed; find the "
                                                 "others by case number or ID number."),
                                               LIST_LIMIT);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      g_object_set_data (G_OBJECT (row), "ow-hint", GINT_TO_POINTER (TRUE));
      gtk_list_box_append (self->pickup_list, row);
    }
}

static void
fill_mailed (OwPickupPage *self,
             GPtrArray    *cases)
{
  g_auto(GStrv) lines = g_settings_get_strv (ow_context_get_settings (self->context), "carriers");
  g_autoptr(GPtrArray) carriers = ow_carriers_parse ((const char * const *) lines, NULL);
  gint64 now = g_get_real_time ();

  clear_list (self->mailed_list);
  for (guint i = 0; i < cases->len; i++)
    {
      OwStorePickupCase *pickup = g_ptr_array_index (cases, i);
      const OwCarrier *carrier = ow_carriers_find (carriers, pickup->carrier);
      g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (pickup->kase));
      gint64 days = pickup->mailed_at > 0 ? (now - pickup->mailed_at) / ((gint64) G_USEC_PER_SEC * 86400)
                                          : -1;
      g_autofree char *when = days < 0 ? g_strdup ("")
                                       : days == 0 ? g_strdup (_("mailed today"))
                                                   : g_strdup_printf (g_dngettext (
                                                       GETTEXT_PACKAGE, "mailed %u day ago",
                                                       "mailed %u days ago", (gulong) days),
                                                                      (guint) days);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s %s · %s", formatted,
                                                   carrier != NULL ? carrier->name
                                                                   : pickup->carrier != NULL
                                                                       ? pickup->carrier : "",
                                                   pickup->waybill != NULL ? pickup->waybill
                                                                           : "",
                                                   when);

      gtk_list_box_append (self->mailed_list,
                           make_row (ow_case_get_post_recipient (pickup->kase), subtitle,
                                     ow_case_get_case_no (pickup->kase), NULL));
    }
}

typedef struct
{
  OwPickupPage *self;
  guint         serial;
  OwCaseState   state;
} ListQuery;

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ListQuery *query = user_data;
  OwPickupPage *self = query->self;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  cases = ow_store_query_pickup_finish (OW_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (query);
      return;
    }
  self->listing--;
  if (query->serial == self->lists_serial && self->context != NULL)
    {
      if (cases == NULL)
        add_toast (self, error->message);
      else if (query->state == OW_CASE_STATE_MAILED)
        fill_mailed (self, cases);
      else
        fill_ready (self, cases);
    }
  g_free (query);
}

static void
refresh_lists (OwPickupPage *self)
{
  static const OwCaseState states[] = { OW_CASE_STATE_RESULT_READY, OW_CASE_STATE_MAILED };

  if (self->context == NULL || self->hall == NULL)
    return;
  self->lists_serial++;
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      ListQuery *query = g_new0 (ListQuery, 1);

      query->self = self;
      query->serial = self->lists_serial;
      query->state = states[i];
      self->listing++;
      ow_store_query_pickup_async (ow_context_get_store (self->context), NULL, NULL, self->hall,
                                   states[i], LIST_LIMIT, self->cancellable, listed_cb, query);
    }
}

static gboolean
refresh_soon_cb (gpointer user_data)
{
  OwPickupPage *self = user_data;

  self->refresh_id = 0;
  refresh_lists (self);
  return G_SOURCE_REMOVE;
}

/* A store catching up with the feed applies batch after batch: read the lists once they pause. */
static void
cases_changed_cb (OwPickupPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (250, refresh_soon_cb, self);
}

/* ---------------------------------------------------------------------------------------- */
/* Showing what was found */

static GPtrArray *
filter_ready (OwPickupPage *self,
              GPtrArray    *cases,
              gboolean      by_post)
{
  GPtrArray *ready = g_ptr_array_new ();

  for (guint i = 0; i < cases->len; i++)
    {
      OwStorePickupCase *pickup = g_ptr_array_index (cases, i);

      if (ow_case_state_is_ready (ow_case_get_state (pickup->kase))
          && is_own_hall (self, pickup->kase)
          && (ow_case_get_delivery (pickup->kase) == OW_DELIVERY_POST) == by_post)
        g_ptr_array_add (ready, pickup);
    }
  return ready;
}

/* A case of another hall: the applicant collects it there. */
static void
show_elsewhere (OwPickupPage *self,
                OwCase       *kase)
{
  g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (kase));
  g_autofree char *description = NULL;
  const char *hall = ow_case_get_hall (kase);
  const OwUser *user = ow_context_get_user (self->context);

  /* Translators: a case number, the hall code it belongs to, then this hall's name */
  description = g_strdup_printf (_("Case %s was taken in at the hall with the code %s, not at "
                                   "%s. Its result is handed over there; the applicant can ask "
                                   "that hall, or have it mailed."),
                                 formatted, hall != NULL ? hall : ow_case_get_case_no (kase),
                                 user != NULL ? user->hall_name : "");
  show_where (self, "mark-location-symbolic", _("Another Hall's Case"), description);
}

/* A case that is not waiting here: where it is, for the clerk to tell the applicant. */
static void
show_not_ready (OwPickupPage      *self,
                OwStorePickupCase *pickup)
{
  OwCase *kase = pickup->kase;
  OwCaseState state = ow_case_get_state (kase);
  g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (kase));
  g_autofree char *items = ow_pickup_describe_items (kase);
  g_autofree char *where = NULL;
  g_autofree char *description = NULL;
  const char *title;
  GDate today;

  ow_hall_today (&today);
  where = ow_pickup_describe_whereabouts (kase, ow_context_get_calendar (self->context), &today);
  switch (state)
    {
    case OW_CASE_STATE_HANDED_OVER:
      title = _("Already Handed Over");
      break;
    case OW_CASE_STATE_DELIVERED:
      title = _("Already Delivered");
      break;
    case OW_CASE_STATE_REFUSED:
    case OW_CASE_STATE_WITHDRAWN:
      title = _("Closed Without a Result");
      break;
    default:
      title = _("Not Ready Yet");
      break;
    }
  description = g_strdup_printf ("%s\n%s\n\n%s", formatted, items, where);
  show_where (self, state == OW_CASE_STATE_HANDED_OVER || state == OW_CASE_STATE_DELIVERED
                      ? "emblem-ok-symbolic" : "document-open-recent-symbolic",
              title, description);
}

static void
show_found_case (OwPickupPage      *self,
                 OwStorePickupCase *pickup,
                 GPtrArray         *applicant_cases)
{
  OwCaseState state = ow_case_get_state (pickup->kase);

  if (!is_own_hall (self, pickup->kase))
    {
      show_elsewhere (self, pickup->kase);
      return;
    }
  if (state == OW_CASE_STATE_MAILED
      || (state == OW_CASE_STATE_RESULT_READY
          && ow_case_get_delivery (pickup->kase) == OW_DELIVERY_POST))
    {
      ow_mail_panel_show (self->mail_panel, pickup);
      show_detail (self, "mail");
      ow_mail_panel_focus (self->mail_panel);
      return;
    }
  if (state == OW_CASE_STATE_RESULT_READY)
    {
      g_autoptr(GPtrArray) ready = filter_ready (self, applicant_cases, FALSE);

      if (ready->len == 0)
        g_ptr_array_add (ready, pickup);
      ow_handover_panel_show (self->handover_panel, ready, ow_case_get_case_no (pickup->kase));
      show_detail (self, "handover");
      ow_handover_panel_focus (self->handover_panel);
      return;
    }
  show_not_ready (self, pickup);
}

/* Someone's cases: all their ready ones to hand over, else where each of them is. */
static void
show_person (OwPickupPage *self,
             const char   *id_number,
             GPtrArray    *cases)
{
  g_autoptr(GPtrArray) ready = filter_ready (self, cases, FALSE);
  g_autoptr(GPtrArray) by_post = filter_ready (self, cases, TRUE);
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *masked = ow_mask_id (NULL, id_number);
  guint own = 0, collected = 0, delivered = 0;
  GDate today;

  if (ready->len > 0)
    {
      ow_handover_panel_show (self->handover_panel, ready, NULL);
      show_detail (self, "handover");
      ow_handover_panel_focus (self->handover_panel);
      return;
    }
  if (by_post->len == 1)
    {
      ow_mail_panel_show (self->mail_panel, g_ptr_array_index (by_post, 0));
      show_detail (self, "mail");
      ow_mail_panel_focus (self->mail_panel);
      return;
    }

  ow_hall_today (&today);
  for (guint i = 0; i < cases->len; i++)
    {
      OwStorePickupCase *pickup = g_ptr_array_index (cases, i);
      g_autofree char *formatted = NULL;
      g_autofree char *items = NULL;
      g_autofree char *where = NULL;

      if (!is_own_hall (self, pickup->kase))
        continue;
      own++;
      if (ow_case_get_state (pickup->kase) == OW_CASE_STATE_HANDED_OVER)
        collected++;
      else if (ow_case_get_state (pickup->kase) == OW_CASE_STATE_DELIVERED)
        delivered++;
      formatted = ow_case_number_format (ow_case_get_case_no (pickup->kase));
      items = ow_pickup_describe_items (pickup->kase);
      where = ow_pickup_describe_whereabouts (pickup->kase,
                                              ow_context_get_calendar (self->context), &today);
      g_string_append_printf (description, "%s%s · %s\n%s", description->len > 0 ? "\n\n" : "",
                              formatted, items, where);
    }
  if (own == 0)
    {
      /* Translators: %s is a masked ID number */
      g_autofree char *text = g_strdup_printf (_("No case of %s is known at this hall, on this "
                                                 "counter or on the platform. Check the number "
                                                 "on the ID card, or find the case by its "
                                                 "receipt."), masked);

      show_where (self, "edit-find-symbolic", _("No Case Found"), text);
      return;
    }
  /* Everything of theirs already went out: not a "yet", which would have them wait. */
  if (collected + delivered == own)
    show_where (self, "emblem-ok-symbolic",
                delivered == own ? _("Already Delivered") : _("Already Handed Over"),
                description->str);
  else
    show_where (self, "document-open-recent-symbolic", _("No Result Ready Yet"),
                description->str);
}

/* ---------------------------------------------------------------------------------------- */
/* Finding: the local store first, then the platform for what it does not hold */

typedef struct
{
  OwPickupPage *self;
  guint         serial;
  OwLookupKind  kind;
  char         *key;
  gboolean      asked_platform;
  char         *platform_problem;  /* why the platform could not be asked, if it was not */
  OwStorePickupCase *found;        /* a case found by number, while its applicant's are read */
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->key);
  g_free (lookup->platform_problem);
  g_clear_pointer (&lookup->found, ow_store_pickup_case_free);
  g_free (lookup);
}

static void query_store (Lookup *lookup);

static gboolean
lookup_is_current (Lookup *lookup)
{
  return lookup->serial == lookup->self->lookup_serial && lookup->self->context != NULL;
}

static void
end_lookup (OwPickupPage *self)
{
  self->looking_up = FALSE;
}

static void
platform_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Lookup *lookup = user_data;
  OwPickupPage *self = lookup->self;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  cases = ow_pickup_mirror_fetch_finish (OW_PICKUP_MIRROR (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !lookup_is_current (lookup))
    {
      lookup_free (lookup);
      return;
    }
  lookup->asked_platform = TRUE;
  if (cases == NULL)
    {
      if (lookup->kind == OW_LOOKUP_CASE
          && g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND))
        {
          g_autofree char *formatted = ow_case_number_format (lookup->key);
          /* Translators: %s is a case number */
          g_autofree char *text = g_strdup_printf (_("Neither this counter nor the platform "
                                                     "knows case %s. Check the number on the "
                                                     "receipt."), formatted);

          end_lookup (self);
          show_where (self, "edit-find-symbolic", _("No Such Case"), text);
          lookup_free (lookup);
          return;
        }
      lookup->platform_problem = g_strdup (error->message);
    }
  else if (lookup->kind == OW_LOOKUP_CASE && cases->len > 0
           && !is_own_hall (self, g_ptr_array_index (cases, 0)))
    {
      end_lookup (self);
      show_elsewhere (self, g_ptr_array_index (cases, 0));
      lookup_free (lookup);
      return;
    }
  /* What the platform had is in the store now: read it again from there. */
  query_store (lookup);
}

static void
ask_platform (Lookup *lookup)
{
  OwPickupPage *self = lookup->self;

  ow_pickup_mirror_fetch_async (self->mirror,
                                lookup->kind == OW_LOOKUP_CASE ? lookup->key : NULL,
                                lookup->kind == OW_LOOKUP_CASE ? NULL : lookup->key,
                                self->cancellable, platform_fetched_cb, lookup);
}

static void
not_found_offline (Lookup *lookup)
{
  OwPickupPage *self = lookup->self;
  g_autofree char *text = NULL;

  /* Translators: %s says why the platform could not be asked */
  text = g_strdup_printf (_("This counter does not hold it, and the platform could not be "
                            "asked: %s. Try again once the platform is back, or find the case by "
                            "another number."), lookup->platform_problem);
  show_where (self, "network-offline-symbolic", _("Not on This Counter"), text);
}

static void
applicant_cases_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Lookup *lookup = user_data;
  OwPickupPage *self = lookup->self;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  cases = ow_store_query_pickup_finish (OW_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !lookup_is_current (lookup))
    {
      lookup_free (lookup);
      return;
    }
  end_lookup (self);
  if (cases == NULL)
    cases = g_ptr_array_new ();
  show_found_case (self, lookup->found, cases);
  lookup_free (lookup);
}

static void
store_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Lookup *lookup = user_data;
  OwPickupPage *self = lookup->self;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  cases = ow_store_query_pickup_finish (OW_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !lookup_is_current (lookup))
    {
      lookup_free (lookup);
      return;
    }
  if (cases == NULL && !g_error_matches (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND))
    {
      end_lookup (self);
      show_where (self, "dialog-error-symbolic", _("The Local Store Cannot Be Read"),
                  error->message);
      lookup_free (lookup);
      return;
    }

  if (lookup->kind == OW_LOOKUP_CASE)
    {
      if (cases == NULL)
        {
          if (!lookup->asked_platform)
            {
              ask_platform (lookup);
              return;
            }
          end_lookup (self);
          not_found_offline (lookup);
          lookup_free (lookup);
          return;
        }
      /* The applicant's other ready cases go over with it. */
      lookup->found = g_steal_pointer (&g_ptr_array_index (cases, 0));
      {
        const OwApplicant *applicant = ow_case_get_applicant (lookup->found->kase);

        if (applicant == NULL || applicant->id_number == NULL)
          {
            g_autoptr(GPtrArray) none = g_ptr_array_new ();

            end_lookup (self);
            show_found_case (self, lookup->found, none);
            lookup_free (lookup);
            return;
          }
        ow_store_query_pickup_async (ow_context_get_store (self->context), NULL,
                                     applicant->id_number, NULL, 0, 0, self->cancellable,
                                     applicant_cases_cb, lookup);
      }
      return;
    }

  /* By person: ready cases here are enough; otherwise the platform may know more. */
  {
    g_autoptr(GPtrArray) ready = filter_ready (self, cases, FALSE);
    g_autoptr(GPtrArray) by_post = filter_ready (self, cases, TRUE);

    if (ready->len == 0 && by_post->len == 0 && !lookup->asked_platform)
      {
        ask_platform (lookup);
        return;
      }
  }
  end_lookup (self);
  if (cases->len == 0 && lookup->platform_problem != NULL)
    not_found_offline (lookup);
  else
    show_person (self, lookup->key, cases);
  lookup_free (lookup);
}

static void
query_store (Lookup *lookup)
{
  OwPickupPage *self = lookup->self;

  ow_store_query_pickup_async (ow_context_get_store (self->context),
                               lookup->kind == OW_LOOKUP_CASE ? lookup->key : NULL,
                               lookup->kind == OW_LOOKUP_CASE ? NULL : lookup->key,
                               NULL, 0, 0, self->cancellable, store_answered_cb, lookup);
}

/* ---------------------------------------------------------------------------------------- */
/* The barcode scanner, anywhere in the workspace */

static void
remember_target (OwPickupPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  g_clear_weak_pointer (&self->burst_target);
  g_clear_pointer (&self->burst_snapshot, g_free);
  if (focus != NULL && GTK_IS_EDITABLE (focus))
    {
      g_set_weak_pointer (&self->burst_target, focus);
      self->burst_snapshot = g_strdup (gtk_editable_get_text (GTK_EDITABLE (focus)));
    }
}

static gboolean
key_pressed_cb (OwPickupPage          *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  gint64 time = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller));
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      guint burst = ow_key_burst_enter (self->burst, time);
      g_autofree char *case_no = NULL;

      if (burst > 0 && self->burst_text->len > 0)
        case_no = ow_key_burst_parse_case (self->burst_text->str);
      g_string_truncate (self->burst_text, 0);
      if (case_no == NULL)
        return GDK_EVENT_PROPAGATE;
      /* A receipt was scanned: whatever had the focus gets its text back, and the case
       * opens. */
      if (self->burst_target != NULL && self->burst_snapshot != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->burst_target), self->burst_snapshot);
      g_clear_weak_pointer (&self->burst_target);
      ow_pickup_page_find (self, case_no);
      return GDK_EVENT_STOP;
    }
  if (c == 0 || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  /* A key after a pause starts what may be a scan: note what the focused entry holds now. */
  if (self->burst_text->len == 0 || time < self->burst_last_ms
      || time - self->burst_last_ms >= OW_KEY_BURST_MAX_GAP_MS)
    {
      g_string_truncate (self->burst_text, 0);
      remember_target (self);
    }
  ow_key_burst_key (self->burst, time);
  g_string_append_unichar (self->burst_text, c);
  self->burst_last_ms = time;
  if (self->burst_text->len > 256)
    g_string_truncate (self->burst_text, 0);
  return GDK_EVENT_PROPAGATE;
}

/* ---------------------------------------------------------------------------------------- */
/* After a step */

static void
handed_over_cb (OwPickupPage *self,
                GStrv         case_nos)
{
  g_autofree char *description = NULL;
  g_autofree char *connector = NULL;
  guint n = g_strv_length (case_nos);

  g_clear_pointer (&self->handed, g_strfreev);
  self->handed = g_strdupv (case_nos);
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u result handed over; the pick-up slip is "
                                              "printing for the collector to sign. Ask the "
                                              "applicant to rate the service.",
                                              "%u results handed over; the pick-up slip is "
                                              "printing for the collector to sign. Ask the "
                                              "applicant to rate the service.", n), n);
  adw_status_page_set_description (self->done_page, description);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pickup.rate", TRUE);
  show_detail (self, "done");
  gtk_widget_grab_focus (gtk_widget_get_first_child (
                           GTK_WIDGET (adw_status_page_get_child (self->done_page))));
  refresh_lists (self);
  /* With a screen of the applicant's own, the rating is asked there at once: it does not cover
   * the counter's window. On the counter's one screen the clerk turns it round first, then asks
   * (Ask for a Rating, focused). */
  connector = g_settings_get_string (ow_context_get_settings (self->context), "rating-monitor");
  if (*connector != '\0'
      && ow_rating_window_find_monitor (gtk_widget_get_display (GTK_WIDGET (self)),
                                        connector) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "pickup.rate", NULL);
}

static void
mail_recorded_cb (OwPickupPage *self,
                  const char   *case_no)
{
  show_detail (self, "empty");
  refresh_lists (self);
  ow_pickup_page_focus_find (self);
}

/* ---------------------------------------------------------------------------------------- */
/* The rating */

typedef struct
{
  OwPickupPage *self;
  char         *case_no;
} RatingCheck;

static void
rating_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OwPickupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *follow_up = NULL;

  if (!ow_sync_submit_rating_finish (OW_SYNC (source), result, &follow_up, &error))
    {
      if (g_error_matches (error, OW_STORE_ERROR, OW_STORE_ERROR_DUPLICATE))
        add_toast (self, _("This case was already rated: a case is rated once."));
      else
        {
          /* Translators: %s says why */
          g_autofree char *message = g_strdup_printf (_("The rating was not saved: %s"),
                                                      error->message);
          add_toast (self, message);
        }
      return;
    }
  if (follow_up != NULL)
    /* Translators: %s is a ticket's number */
    {
      g_autofree char *message = g_strdup_printf (_("Rating saved. A follow-up (%s) was "
                                                    "registered for the supervisor to call the "
                                                    "applicant back."), follow_up);
      add_toast (self, message);
    }
  else
    add_toast (self, _("Rating saved. Thank you."));
}

static void
rated_cb (OwRatingWindow *window,
          guint           level,
          const char     *text,
          OwPickupPage   *self)
{
  const char *case_no = g_object_get_data (G_OBJECT (window), "case-no");
  g_autoptr(OwRating) rating = NULL;

  if (self->context == NULL || case_no == NULL)
    return;
  rating = ow_rating_new (case_no, level, text);
  ow_sync_submit_rating_async (ow_context_get_sync (self->context), rating, user_name (self),
                               NULL, rating_saved_cb, g_object_ref (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pickup.rate", FALSE);
}

/* The applicant's window is gone: the counter's window gets the keys again, on the next step
 * (Ask for a Rating, which had the focus, may be insensitive now, and a window without a focus
 * would take neither the shortcuts nor the scanner's keys). */
static void
rating_window_destroyed_cb (OwPickupPage *self)
{
  if (self->context != NULL && g_str_equal (ow_pickup_page_get_detail (self), "done"))
    gtk_widget_grab_focus (self->next_button);
}

static void
open_rating_window (OwPickupPage *self,
                    const char   *case_no)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *connector = g_settings_get_string (ow_context_get_settings (self->context),
                                                      "rating-monitor");
  g_autoptr(OwStorePickupCase) pickup = ow_store_load_pickup_case (
                                          ow_context_get_store (self->context), case_no, NULL);
  g_autofree char *subject = pickup != NULL ? ow_pickup_describe_items (pickup->kase) : NULL;
  OwRatingWindow *window;

  window = ow_rating_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, subject);
  g_object_set_data_full (G_OBJECT (window), "case-no", g_strdup (case_no), g_free);
  g_signal_connect_object (window, "rated", G_CALLBACK (rated_cb), self, 0);
  g_signal_connect_object (window, "destroy", G_CALLBACK (rating_window_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  g_clear_weak_pointer (&self->rating_window);
  g_set_weak_pointer (&self->rating_window, window);
  if (ow_rating_window_present_on (window, connector) == NULL && *connector != '\0')
    {
      /* Translators: %s is a monitor's connector, such as HDMI-1 */
      g_autofree char *message = g_strdup_printf (_("The rating screen %s is not connected: "
                                                    "the rating window is on this screen."),
                                                  connector);
      add_toast (self, message);
    }
}

static void
rated_already_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RatingCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  gboolean rated = g_task_propagate_boolean (G_TASK (result), &error);

  if (check->self->context != NULL && !g_error_matches (error, G_IO_ERROR,
                                                        G_IO_ERROR_CANCELLED))
    {
      if (rated)
        add_toast (check->self, _("This case was already rated: a case is rated once."));
      else
        open_rating_window (check->self, check->case_no);
    }
  g_object_unref (check->self);
  g_free (check->case_no);
  g_free (check);
}

static void
rated_already_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  RatingCheck *check = task_data;
  GError *error = NULL;
  gboolean rated = FALSE;

  if (!ow_store_case_is_rated (ow_context_get_store (check->self->context), check->case_no,
                               &rated, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, rated);
}

static void
rate_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwPickupPage *self = OW_PICKUP_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  RatingCheck *check;

  if (self->context == NULL || self->handed == NULL || self->handed[0] == NULL
      || self->rating_window != NULL)
    return;
  /* One service, one rating (domain.md: on site, one rating per service): the hand-over's first
   * case carries it. */
  check = g_new0 (RatingCheck, 1);
  check->self = g_object_ref (self);
  check->case_no = g_strdup (self->handed[0]);
  task = g_task_new (NULL, self->cancellable, rated_already_cb, check);
  g_task_set_source_tag (task, rate_activated);
  g_task_set_task_data (task, check, NULL);
  g_task_run_in_thread (task, rated_already_thread);
}

static void
rating_duplicate_cb (OwPickupPage *self,
                     const char   *case_no)
{
  g_autofree char *formatted = ow_case_number_format (case_no);
  /* Translators: %s is a case number */
  g_autofree char *message = g_strdup_printf (_("Case %s had already been rated at another "
                                                "counter: this rating does not count, and "
                                                "neither does its follow-up."), formatted);

  add_toast (self, message);
}

/* ---------------------------------------------------------------------------------------- */
/* The courier's hand-over list */

static void
mail_list_printed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(OwPickupPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (ow_counter_document_print_finish (OW_COUNTER_DOCUMENT (source), result, &error))
    add_toast (self, _("The courier's hand-over list is printed."));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s says what went wrong with the printer */
      g_autofree char *message = g_strdup_printf (_("The hand-over list did not print: %s"),
                                                  error->message);
      add_toast (self, message);
    }
}

static void
mail_list_rendered_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(OwPickupPage) self = user_data;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;

  pdf = ow_counter_document_render_finish (OW_COUNTER_DOCUMENT (source), result, &error);
  if (pdf == NULL)
    {
      add_toast (self, error->message);
      return;
    }
  ow_counter_document_print_async (OW_COUNTER_DOCUMENT (source), NULL, NULL,
                                   mail_list_printed_cb, g_object_ref (self));
}

typedef struct
{
  char   *hall;
  gint64  from;
  gint64  to;
} DaySpan;

static void
day_span_free (DaySpan *span)
{
  g_free (span->hall);
  g_free (span);
}

static void
mailings_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  DaySpan *span = task_data;
  GError *error = NULL;
  GPtrArray *mailings = ow_store_list_mailings (source_object, span->hall, span->from, span->to,
                                                &error);

  if (mailings == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, mailings, (GDestroyNotify) g_ptr_array_unref);
}

static void
mailings_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OwPickupPage) self = user_data;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) mailings = NULL;
  g_autoptr(GPtrArray) carriers = NULL;
  g_autoptr(OwCounterDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GDate today;

  cases = g_task_propagate_pointer (G_TASK (result), &error);
  if (cases == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_toast (self, error->message);
      return;
    }
  if (self->context == NULL)
    return;
  if (cases->len == 0)
    {
      add_toast (self, _("Nothing was mailed today: there is no hand-over list to print."));
      return;
    }
  lines = g_settings_get_strv (ow_context_get_settings (self->context), "carriers");
  carriers = ow_carriers_parse ((const char * const *) lines, NULL);
  mailings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < cases->len; i++)
    {
      OwStorePickupCase *pickup = g_ptr_array_index (cases, i);
      const OwCarrier *carrier = ow_carriers_find (carriers, pickup->carrier);
      OwDocumentMailing *mailing = g_new0 (OwDocumentMailing, 1);

      mailing->case_no = ow_case_get_case_no (pickup->kase);
      mailing->recipient = ow_case_get_post_recipient (pickup->kase);
      mailing->phone = ow_case_get_post_phone (pickup->kase);
      mailing->address = ow_case_get_post_address (pickup->kase);
      mailing->carrier = carrier != NULL ? carrier->name : pickup->carrier;
      mailing->waybill = pickup->waybill;
      g_ptr_array_add (mailings, mailing);
    }
  ow_hall_today (&today);
  /* The document copies the strings: the cases may go now. */
  document = ow_counter_document_new_mail_list (self->context, mailings, &today);
  ow_counter_document_render_async (document, NULL, mail_list_rendered_cb, g_object_ref (self));
}

static void
print_mail_list_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  OwPickupPage *self = OW_PICKUP_PAGE (widget);
  g_autoptr(GDateTime) now = ow_hall_now ();
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GTask) task = NULL;
  DaySpan *span;

  if (self->context == NULL || self->hall == NULL)
    return;
  /* The hall's day, whatever zone the PC keeps. */
  midnight = g_date_time_new (ow_hall_time_zone (), g_date_time_get_year (now),
                              g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                              0, 0, 0);
  span = g_new0 (DaySpan, 1);
  span->hall = g_strdup (self->hall);
  span->from = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
  span->to = span->from + (gint64) 86400 * G_USEC_PER_SEC;
  task = g_task_new (ow_context_get_store (self->context), self->cancellable, mailings_listed_cb,
                     g_object_ref (self));
  g_task_set_source_tag (task, print_mail_list_activated);
  g_task_set_task_data (task, span, (GDestroyNotify) day_span_free);
  g_task_run_in_thread (task, mailings_thread);
}

/* ---------------------------------------------------------------------------------------- */
/* Actions and signals of the template */

static void
find_activated_cb (OwPickupPage *self)
{
  ow_pickup_page_find (self, gtk_editable_get_text (GTK_EDITABLE (self->find_entry)));
}

static void
stop_search_cb (OwPickupPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "pickup.clear", NULL);
}

static void
open_row (OwPickupPage  *self,
          GtkListBoxRow *row)
{
  const char *id_number = g_object_get_data (G_OBJECT (row), "id-number");
  const char *case_no = g_object_get_data (G_OBJECT (row), "case-no");

  /* An applicant's row opens all their ready results; a case's row, that case. */
  ow_pickup_page_find (self, id_number != NULL && *id_number != '\0' ? id_number : case_no);
}

static void
pickup_row_activated_cb (OwPickupPage  *self,
                         GtkListBoxRow *row)
{
  open_row (self, row);
}

static void
post_row_activated_cb (OwPickupPage  *self,
                       GtkListBoxRow *row)
{
  open_row (self, row);
}

static void
mailed_row_activated_cb (OwPickupPage  *self,
                         GtkListBoxRow *row)
{
  open_row (self, row);
}

static void
find_typed_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  find_activated_cb (OW_PICKUP_PAGE (widget));
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ow_pickup_page_focus_find (OW_PICKUP_PAGE (widget));
}

static void
confirm_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OwPickupPage *self = OW_PICKUP_PAGE (widget);
  const char *shown = ow_pickup_page_get_detail (self);

  if (g_str_equal (shown, "handover"))
    ow_handover_panel_hand_over (self->handover_panel);
  else if (g_str_equal (shown, "mail"))
    ow_mail_panel_confirm (self->mail_panel);
}

static void
clear_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OwPickupPage *self = OW_PICKUP_PAGE (widget);

  if (ow_handover_panel_is_busy (self->handover_panel) || ow_mail_panel_is_busy (self->mail_panel))
    return;
  self->lookup_serial++;
  self->looking_up = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), "");
  show_find_problem (self, NULL);
  show_detail (self, "empty");
  ow_pickup_page_focus_find (self);
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  refresh_lists (OW_PICKUP_PAGE (widget));
}

static void
show_list_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OwPickupPage *self = OW_PICKUP_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkListBox *lists[] = { self->pickup_list, self->post_list, self->mailed_list };
  const char *names[] = { "pickup", "post", "mailed" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      {
        GtkListBoxRow *first = gtk_list_box_get_row_at_index (lists[i], 0);

        gtk_stack_set_visible_child_name (self->lists_stack, name);
        gtk_widget_grab_focus (first != NULL ? GTK_WIDGET (first) : GTK_WIDGET (lists[i]));
      }
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_pickup_page_dispose (GObject *object)
{
  OwPickupPage *self = OW_PICKUP_PAGE (object);

  ow_pickup_page_set_context (self, NULL);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->rating_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->rating_window));
  g_clear_weak_pointer (&self->rating_window);
  g_clear_weak_pointer (&self->burst_target);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_PICKUP_PAGE);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_pickup_page_parent_class)->dispose (object);
}

static void
ow_pickup_page_finalize (GObject *object)
{
  OwPickupPage *self = OW_PICKUP_PAGE (object);

  g_clear_pointer (&self->burst, ow_key_burst_free);
  g_string_free (self->burst_text, TRUE);
  g_free (self->burst_snapshot);
  g_free (self->hall);
  g_strfreev (self->handed);

  G_OBJECT_CLASS (ow_pickup_page_parent_class)->finalize (object);
}

static void
ow_pickup_page_class_init (OwPickupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_pickup_page_dispose;
  object_class->finalize = ow_pickup_page_finalize;

  g_type_ensure (OW_TYPE_HANDOVER_PANEL);
  g_type_ensure (OW_TYPE_MAIL_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/pickup/"
                                               "ow-pickup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, find_entry);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, find_problem_label);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, lists_stack);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, pickup_list);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, post_list);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, mailed_list);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, where_page);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, handover_panel);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, mail_panel);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, done_page);
  gtk_widget_class_bind_template_child (widget_class, OwPickupPage, next_button);
  gtk_widget_class_bind_template_callback (widget_class, find_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, pickup_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, post_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, mailed_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, handed_over_cb);
  gtk_widget_class_bind_template_callback (widget_class, mail_recorded_cb);

  gtk_widget_class_install_action (widget_class, "pickup.find", NULL, find_activated);
  gtk_widget_class_install_action (widget_class, "pickup.find-typed", NULL,
                                   find_typed_activated);
  gtk_widget_class_install_action (widget_class, "pickup.confirm", NULL, confirm_activated);
  gtk_widget_class_install_action (widget_class, "pickup.clear", NULL, clear_activated);
  gtk_widget_class_install_action (widget_class, "pickup.rate", NULL, rate_activated);
  gtk_widget_class_install_action (widget_class, "pickup.print-mail-list", NULL,
                                   print_mail_list_activated);
  gtk_widget_class_install_action (widget_class, "pickup.refresh", NULL, refresh_activated);
  gtk_widget_class_install_action (widget_class, "pickup.show-list", "s", show_list_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "pickup.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "pickup.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "pickup.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "pickup.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_R,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "pickup.rate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_L,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "pickup.print-mail-list", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "pickup.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "pickup.show-list", "s", "pickup");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "pickup.show-list", "s", "post");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "pickup.show-list", "s", "mailed");
}

static void
ow_pickup_page_init (OwPickupPage *self)
{
  GtkEventController *keys;

  self->burst = ow_key_burst_new ();
  self->burst_text = g_string_new (NULL);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  set_placeholder (self->pickup_list, _("No result waits for pick-up."));
  set_placeholder (self->post_list, _("No result waits to be mailed."));
  set_placeholder (self->mailed_list, _("No mailed result waits for its delivery."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pickup.rate", FALSE);

  /* Before any widget of the workspace sees the keys: a scanner types into whatever has the
   * focus. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* ---------------------------------------------------------------------------------------- */

void
ow_pickup_page_set_context (OwPickupPage *self,
                            OwContext    *context)
{
  const OwUser *user;

  g_return_if_fail (OW_IS_PICKUP_PAGE (self));

  if (self->context == context)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->mirror != NULL)
    {
      ow_pickup_mirror_stop (self->mirror);
      g_signal_handlers_disconnect_by_data (self->mirror, self);
      g_clear_object (&self->mirror);
    }
  if (self->context != NULL && ow_context_get_sync (self->context) != NULL)
    g_signal_handlers_disconnect_by_data (ow_context_get_sync (self->context), self);
  g_set_object (&self->context, context);
  g_clear_pointer (&self->hall, g_free);
  g_clear_pointer (&self->handed, g_strfreev);
  self->lookup_serial++;
  self->looking_up = FALSE;
  self->listing = 0;
  ow_handover_panel_set_context (self->handover_panel, context);
  ow_mail_panel_set_context (self->mail_panel, context);
  clear_list (self->pickup_list);
  clear_list (self->post_list);
  clear_list (self->mailed_list);
  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), "");
  show_find_problem (self, NULL);
  show_detail (self, "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pickup.rate", FALSE);

  user = context != NULL ? ow_context_get_user (context) : NULL;
  if (user == NULL || user->hall == NULL)
    return;
  self->hall = g_strdup (user->hall);
  /* The hall's results, every counter's, kept in this store and followed on the feed. */
  self->mirror = ow_pickup_mirror_new (ow_context_get_store (context),
                                       ow_context_get_client (context),
                                       ow_context_get_sync (context), self->hall);
  g_signal_connect_object (self->mirror, "cases-changed", G_CALLBACK (cases_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (ow_context_get_sync (context), "changes-applied",
                           G_CALLBACK (cases_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ow_context_get_sync (context), "rating-duplicate",
                           G_CALLBACK (rating_duplicate_cb), self, G_CONNECT_SWAPPED);
  ow_pickup_mirror_start (self->mirror);
  refresh_lists (self);
}

void
ow_pickup_page_find (OwPickupPage *self,
                     const char   *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  OwLookupKind kind;
  Lookup *lookup;

  g_return_if_fail (OW_IS_PICKUP_PAGE (self));

  if (self->context == NULL || self->hall == NULL)
    return;
  if (ow_handover_panel_is_busy (self->handover_panel) || ow_mail_panel_is_busy (self->mail_panel))
    return;
  if (!ow_lookup_parse (text, &kind, &key, &error))
    {
      show_find_problem (self, error->message);
      ow_pickup_page_focus_find (self);
      return;
    }
  show_find_problem (self, NULL);
  if (kind == OW_LOOKUP_CASE)
    {
      g_autofree char *formatted = ow_case_number_format (key);

      gtk_editable_set_text (GTK_EDITABLE (self->find_entry), formatted);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->find_entry), key);

  lookup = g_new0 (Lookup, 1);
  lookup->self = self;
  lookup->serial = ++self->lookup_serial;
  lookup->kind = kind;
  lookup->key = g_steal_pointer (&key);
  self->looking_up = TRUE;
  show_detail (self, "busy");
  query_store (lookup);
}

void
ow_pickup_page_focus_find (OwPickupPage *self)
{
  g_return_if_fail (OW_IS_PICKUP_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->find_entry), 0, -1);
}

const char *
ow_pickup_page_get_detail (OwPickupPage *self)
{
  g_return_val_if_fail (OW_IS_PICKUP_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->detail_stack);
}

gboolean
ow_pickup_page_is_busy (OwPickupPage *self)
{
  g_return_val_if_fail (OW_IS_PICKUP_PAGE (self), FALSE);
  return self->looking_up || self->listing > 0 || self->refresh_id != 0
         || ow_handover_panel_is_busy (self->handover_panel)
         || ow_mail_panel_is_busy (self->mail_panel)
         || (self->mirror != NULL && ow_pickup_mirror_is_busy (self->mirror));
}

guint
ow_pickup_page_get_n_rows (OwPickupPage *self,
                           const char   *list)
{
  GtkListBox *box;
  guint n = 0;

  g_return_val_if_fail (OW_IS_PICKUP_PAGE (self), 0);

  box = g_str_equal (list, "post") ? self->post_list
        : g_str_equal (list, "mailed") ? self->mailed_list : self->pickup_list;
  for (GtkListBoxRow *row = gtk_list_box_get_row_at_index (box, 0); row != NULL;
       row = gtk_list_box_get_row_at_index (box, gtk_list_box_row_get_index (row) + 1))
    if (g_object_get_data (G_OBJECT (row), "ow-hint") == NULL)
      n++;
  return n;
}

GtkWindow *
ow_pickup_page_get_rating_window (OwPickupPage *self)
{
  g_return_val_if_fail (OW_IS_PICKUP_PAGE (self), NULL);
  return self->rating_window != NULL ? GTK_WINDOW (self->rating_window) : NULL;
}
