/* ow-overview-ratings.c — ratings by level, counter, clerk and item; poor ones followed up
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every real-name poor rating is followed up (domain.md, "Ratings"): each poor rating of the
 * period shows with the ticket that follows it up and that ticket's state, and one without gets
 * a button that registers its follow-up through the sync engine (saved with its outbox entry
 * first, sent when the platform answers), so that it is never lost and never made twice: a
 * rating the counter has a follow-up for already, sent or not, shows it.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-clock.h"
#include "gui/supervisor/ow-overview-private.h"
#include "gui/tickets/ow-ticket-view.h"

#define PAGE_SIZE "50"

struct _OwOverviewRatings
{
  AdwBin parent_instance;

  /* template */
  OwChart *level_chart;
  GtkListBox *counter_list;
  GtkListBox *clerk_list;
  GtkListBox *item_list;
  GtkDropDown *follow_dropdown;
  GtkLabel *waiting_label;
  GtkStack *poor_stack;
  GtkListBox *poor_list;
  AdwStatusPage *poor_status;
  GtkButton *more_button;

  OwOverviewData *data;
  GCancellable *cancellable;
  GCancellable *listing;     /* the page of poor ratings asked for, NULL when none is */
  GPtrArray *ratings;        /* OwRatingRecord shown */
  GHashTable *followed;      /* rating id → ticket id, the counter's own follow-ups */
  char *next;
};

G_DEFINE_FINAL_TYPE (OwOverviewRatings, ow_overview_ratings, ADW_TYPE_BIN)

static void list_poor (OwOverviewRatings *self,
                       gboolean           more);

static const char *
ticket_state_chinese (OwTicketState state)
{
  static const char * const names[] = { "", "已登记", "已分派", "办理中", "已解决", "已说明",
                                        "已回访", "已归档" };

  return state >= OW_TICKET_STATE_REGISTERED && state <= OW_TICKET_STATE_ARCHIVED ? names[state]
                                                                                 : "";
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_group_row (GtkListBox *list,
               const char *name,
               gint64      count,
               gint64      poor)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  /* Translators: ratings of a counter, clerk or item, and the poor ones among them */
  g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%lld rating, %lld poor",
                                                            "%lld ratings, %lld poor",
                                                            (gulong) count),
                                               (long long) count, (long long) poor);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (poor > 0)
    gtk_widget_add_css_class (row, "ow-problem");
  gtk_list_box_append (list, row);
}

static void
statistics_changed_cb (OwOverviewRatings *self)
{
  OwStatistics *s = ow_overview_data_get_statistics (self->data, NULL);
  gint64 by_level[6] = { 0 };

  clear_list (self->counter_list);
  clear_list (self->clerk_list);
  clear_list (self->item_list);
  ow_chart_clear (self->level_chart);
  if (s == NULL)
    {
      gtk_label_set_text (self->waiting_label, "");
      ow_chart_done (self->level_chart);
      return;
    }
  /* Of any day: a poor rating waits for its follow-up whatever the period. */
  if (s->ratings_unfollowed > 0)
    {
      g_autofree char *waiting = NULL;

      /* Translators: poor ratings of the hall, of any day, with no follow-up yet */
      waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%lld poor rating, of any day, has no follow-up yet",
                                              "%lld poor ratings, of any day, have no follow-up "
                                              "yet", (gulong) s->ratings_unfollowed),
                                 (long long) s->ratings_unfollowed);
      gtk_label_set_text (self->waiting_label, waiting);
      gtk_widget_add_css_class (GTK_WIDGET (self->waiting_label), "error");
    }
  else
    {
      gtk_label_set_text (self->waiting_label, _("Every poor rating has its follow-up"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->waiting_label), "error");
    }
  for (guint i = 0; i < s->ratings_by_level->len; i++)
    {
      OwStatGroup *group = g_ptr_array_index (s->ratings_by_level, i);
      gint64 level = g_ascii_strtoll (group->key, NULL, 10);

      if (level >= 1 && level <= 5)
        by_level[level] = group->count;
    }
  for (guint level = 1; level <= 5; level++)
    ow_chart_add (self->level_chart, ow_rating_level_to_label (level), (double) by_level[level],
                  -1);
  ow_chart_done (self->level_chart);

  for (guint i = 0; i < s->ratings_by_counter->len; i++)
    {
      OwStatGroup *group = g_ptr_array_index (s->ratings_by_counter, i);
      g_autofree char *name = g_strdup_printf (_("Counter %s"), group->key);

      add_group_row (self->counter_list, name, group->count, group->part);
    }
  for (guint i = 0; i < s->ratings_by_clerk->len; i++)
    {
      OwStatGroup *group = g_ptr_array_index (s->ratings_by_clerk, i);

      add_group_row (self->clerk_list, group->name != NULL
                                         ? group->name
                                         : ow_overview_data_lookup_name (self->data, group->key),
                     group->count, group->part);
    }
  for (guint i = 0; i < s->ratings_by_item->len; i++)
    {
      OwStatGroup *group = g_ptr_array_index (s->ratings_by_item, i);

      add_group_row (self->item_list, group->name != NULL ? group->name : group->key,
                     group->count, group->part);
    }
}

/* Poor ratings ----------------------------------------------------------------------------- */

static char *
format_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup ("—");
  local = g_date_time_to_timezone (when, ow_hall_time_zone ());
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static const char *
follow_up_text (OwOverviewRatings    *self,
                const OwRatingRecord *record)
{
  if (record->ticket_id != NULL)
    return ow_ticket_state_describe (record->ticket_state);
  if (g_hash_table_contains (self->followed, record->id))
    return _("Follow-up registered at this counter");
  return NULL;
}

static void open_follow_up (OwOverviewRatings    *self,
                            const OwRatingRecord *record);

static void
follow_up_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OwOverviewRatings *self = OW_OVERVIEW_RATINGS (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < self->ratings->len; i++)
    {
      const OwRatingRecord *record = g_ptr_array_index (self->ratings, i);

      if (g_strcmp0 (record->id, id) == 0)
        {
          open_follow_up (self, record);
          return;
        }
    }
}

static GtkWidget *
poor_row (OwOverviewRatings    *self,
          OwRatingRecord       *record)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = format_time (record->at);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const char *follow_up = follow_up_text (self, record);
  const char *clerk = record->clerk_name != NULL
                        ? record->clerk_name
                        : ow_overview_data_lookup_name (self->data, record->clerk);

  /* Translators: a rating's level and the case it rates */
  title = g_markup_printf_escaped (_("%s · case %s"), ow_rating_level_to_label (record->level),
                                   record->case_no);
  /* Translators: when, the counter and clerk, the item, and what the applicant wrote */
  subtitle = g_markup_printf_escaped (_("%s · counter %u, %s · %s%s%s"), when, record->counter,
                                      clerk, record->item_name != NULL ? record->item_name : "—",
                                      record->text != NULL ? " · " : "",
                                      record->text != NULL ? record->text : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  if (follow_up != NULL)
    {
      /* Translators: the state of the ticket that follows a poor rating up */
      g_autofree char *text = g_strdup_printf (_("Follow-up: %s"), follow_up);
      GtkWidget *label = gtk_label_new (text);

      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  else
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Open _Follow-up"));
      g_autofree char *accessible = g_strdup_printf (_("Open a follow-up of the rating of case %s"),
                                                     record->case_no);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "suggested-action");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "ratings.follow-up");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", record->id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_widget_add_css_class (row, "ow-problem");
    }
  return row;
}

static void
show_poor (OwOverviewRatings *self)
{
  clear_list (self->poor_list);
  for (guint i = 0; i < self->ratings->len; i++)
    gtk_list_box_append (self->poor_list, poor_row (self, g_ptr_array_index (self->ratings, i)));
  gtk_stack_set_visible_child_name (self->poor_stack, self->ratings->len > 0 ? "list" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->next != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ratings.more", self->next != NULL);
}

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  OwOverviewRatings *self = user_data;

  if (!ow_sync_submit_ticket_finish (OW_SYNC (source), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The follow-up could not be registered: %s"), error->message);
      ow_overview_toast (GTK_WIDGET (self), message);
      return;
    }
  ow_overview_toast (GTK_WIDGET (self),
                     _("Follow-up registered; it goes to the platform with the other changes"));
}

static void
open_follow_up (OwOverviewRatings    *self,
                const OwRatingRecord *record)
{
  OwContext *context = ow_overview_data_get_context (self->data);
  const OwUser *user = ow_context_get_user (context);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *summary = NULL;
  g_autoptr(OwTicket) ticket = NULL;

  if (user == NULL || g_hash_table_contains (self->followed, record->id) ||
      record->ticket_id != NULL)
    return;
  /* In Chinese, as the ticket's receipt and the departments read it. */
  summary = g_strdup_printf ("差评回访：办件%s评价为“%s”%s%s", record->case_no,
                             ow_rating_level_to_chinese (record->level),
                             record->text != NULL ? "，意见：" : "",
                             record->text != NULL ? record->text : "");
  ticket = ow_ticket_new (id, now, OW_TICKET_TIER_5_DAYS, summary);
  ticket->case_no = g_strdup (record->case_no);
  ticket->rating_id = g_strdup (record->id);
  ticket->channel = g_strdup ("hall");
  ticket->item_id = g_strdup (record->item_id);
  ticket->category = g_strdup ("差评回访");
  g_hash_table_insert (self->followed, g_strdup (record->id), g_strdup (id));
  ow_sync_submit_ticket_async (ow_context_get_sync (context), ticket, user->username,
                               self->cancellable, submitted_cb, self);
  show_poor (self);
}

static void
ratings_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OwOverviewRatings *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwRatingPage) page = NULL;
  OwAnswerAge age;

  page = ow_overview_data_list_ratings_finish (OW_OVERVIEW_DATA (source), result, &age, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OW_OVERVIEW_RATINGS (user_data);
  g_clear_object (&self->listing);
  if (page == NULL)
    {
      adw_status_page_set_title (self->poor_status, _("The Ratings Cannot Be Listed"));
      adw_status_page_set_description (self->poor_status, error->message);
      if (self->ratings->len == 0)
        gtk_stack_set_visible_child_name (self->poor_stack, "empty");
      return;
    }
  adw_status_page_set_title (self->poor_status, _("No Poor Ratings"));
  adw_status_page_set_description (self->poor_status,
                                   _("No applicant rated the hall’s service poorly in this "
                                     "period."));
  for (guint i = 0; i < page->ratings->len; i++)
    g_ptr_array_add (self->ratings, ow_rating_record_copy (g_ptr_array_index (page->ratings, i)));
  g_free (self->next);
  self->next = g_strdup (page->next);
  show_poor (self);
}

static void
tickets_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GError) error = NULL;
  OwOverviewRatings *self;

  tickets = ow_store_list_tickets_finish (OW_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OW_OVERVIEW_RATINGS (user_data);
  for (guint i = 0; tickets != NULL && i < tickets->len; i++)
    {
      const OwTicket *ticket = g_ptr_array_index (tickets, i);

      if (ticket->rating_id != NULL)
        g_hash_table_replace (self->followed, g_strdup (ticket->rating_id),
                              g_strdup (ticket->id));
    }
  list_poor (self, FALSE);
}

static void
list_poor (OwOverviewRatings *self,
           gboolean           more)
{
  gboolean unfollowed = gtk_drop_down_get_selected (self->follow_dropdown) == 1;
  const char *params[] = { "poor", "true", "from", NULL, "to", NULL, "follow_up", NULL,
                           "limit", PAGE_SIZE, "after", NULL, NULL };

  if (self->data == NULL ||
      ow_context_get_user (ow_overview_data_get_context (self->data)) == NULL)
    return;
  params[3] = ow_overview_data_get_from_text (self->data);
  params[5] = ow_overview_data_get_to_text (self->data);
  params[7] = unfollowed ? "none" : NULL;
  if (more)
    params[11] = self->next;
  else
    g_ptr_array_set_size (self->ratings, 0);
  /* One page at a time: a new list drops the one under way. */
  if (self->listing != NULL)
    g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  self->listing = g_cancellable_new ();
  ow_overview_data_list_ratings_async (self->data, params, self->listing, ratings_listed_cb,
                                       self);
}

static void
follow_changed_cb (OwOverviewRatings *self)
{
  list_poor (self, FALSE);
}

static void
more_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwOverviewRatings *self = OW_OVERVIEW_RATINGS (widget);

  if (self->next != NULL)
    list_poor (self, TRUE);
}

/* GObject ---------------------------------------------------------------------------------- */

static void
ow_overview_ratings_dispose (GObject *object)
{
  OwOverviewRatings *self = OW_OVERVIEW_RATINGS (object);

  g_cancellable_cancel (self->cancellable);
  if (self->listing != NULL)
    g_cancellable_cancel (self->listing);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_OVERVIEW_RATINGS);
  g_clear_object (&self->listing);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->data);
  g_clear_pointer (&self->ratings, g_ptr_array_unref);
  g_clear_pointer (&self->followed, g_hash_table_unref);
  g_clear_pointer (&self->next, g_free);
  G_OBJECT_CLASS (ow_overview_ratings_parent_class)->dispose (object);
}

static void
ow_overview_ratings_class_init (OwOverviewRatingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_overview_ratings_dispose;

  g_type_ensure (OW_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/supervisor/"
                                               "ow-overview-ratings.ui");
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, level_chart);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, counter_list);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, clerk_list);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, item_list);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, follow_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, poor_stack);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, poor_list);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, poor_status);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewRatings, more_button);
  gtk_widget_class_bind_template_callback (widget_class, follow_changed_cb);
  gtk_widget_class_install_action (widget_class, "ratings.more", NULL, more_activated);
  gtk_widget_class_install_action (widget_class, "ratings.follow-up", "s", follow_up_activated);
}

static void
ow_overview_ratings_init (OwOverviewRatings *self)
{
  g_autoptr(GtkStringList) follow = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();
  self->ratings = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_rating_record_free);
  self->followed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_string_list_append (follow, _("Every poor rating"));
  gtk_string_list_append (follow, _("Those without a follow-up"));
  gtk_drop_down_set_model (self->follow_dropdown, G_LIST_MODEL (follow));
  ow_chart_set_title (self->level_chart, _("Ratings by level"));
  ow_chart_set_headers (self->level_chart, _("Level"), _("Ratings"), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ratings.more", FALSE);
  gtk_stack_set_visible_child_name (self->poor_stack, "empty");
}

/* Public ----------------------------------------------------------------------------------- */

void
ow_overview_ratings_set_data (OwOverviewRatings *self,
                              OwOverviewData    *data)
{
  g_return_if_fail (OW_IS_OVERVIEW_RATINGS (self));

  if (self->data != NULL)
    g_signal_handlers_disconnect_by_data (self->data, self);
  if (self->listing != NULL)
    g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  g_set_object (&self->data, data);
  g_ptr_array_set_size (self->ratings, 0);
  g_hash_table_remove_all (self->followed);
  if (data != NULL)
    g_signal_connect_object (data, "statistics-changed", G_CALLBACK (statistics_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

void
ow_overview_ratings_reload (OwOverviewRatings *self)
{
  OwStore *store;

  g_return_if_fail (OW_IS_OVERVIEW_RATINGS (self));
  if (self->data == NULL)
    return;
  /* The follow-ups this counter registered, sent or not, before the platform's list. */
  store = ow_context_get_store (ow_overview_data_get_context (self->data));
  if (self->listing != NULL)
    g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  self->listing = g_cancellable_new ();
  if (store != NULL)
    ow_store_list_tickets_async (store, 0, NULL, 0, self->listing, tickets_listed_cb, self);
  else
    list_poor (self, FALSE);
}

gboolean
ow_overview_ratings_is_loaded (OwOverviewRatings *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_RATINGS (self), FALSE);
  return self->data != NULL && self->listing == NULL;
}

guint
ow_overview_ratings_get_n_poor (OwOverviewRatings *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_RATINGS (self), 0);
  return self->ratings->len;
}

void
ow_overview_ratings_add_tables (OwOverviewRatings *self,
                                GPtrArray         *tables)
{
  OwStatistics *s;
  static const struct
  {
    const char *title;
    const char *key;
  } groups[] = { { "按窗口评价", "窗口" }, { "按人员评价", "受理人" }, { "按事项评价", "事项" } };

  g_return_if_fail (OW_IS_OVERVIEW_RATINGS (self));
  s = self->data != NULL ? ow_overview_data_get_statistics (self->data, NULL) : NULL;
  if (s != NULL)
    {
      OwTable *levels = ow_table_new ("评价分布");
      GPtrArray *by[] = { s->ratings_by_counter, s->ratings_by_clerk, s->ratings_by_item };

      ow_table_add_column (levels, "评价等级");
      ow_table_add_column (levels, "次数");
      for (guint level = 1; level <= 5; level++)
        {
          gint64 count = 0;

          for (guint i = 0; i < s->ratings_by_level->len; i++)
            {
              OwStatGroup *group = g_ptr_array_index (s->ratings_by_level, i);

              if (g_ascii_strtoll (group->key, NULL, 10) == level)
                count = group->count;
            }
          ow_table_begin_row (levels);
          ow_table_add_text (levels, ow_rating_level_to_chinese (level));
          ow_table_add_integer (levels, count);
        }
      g_ptr_array_add (tables, levels);
      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        {
          OwTable *table = ow_table_new (groups[g].title);

          ow_table_add_column (table, groups[g].key);
          ow_table_add_column (table, "评价次数");
          ow_table_add_column (table, "差评次数");
          for (guint i = 0; i < by[g]->len; i++)
            {
              OwStatGroup *group = g_ptr_array_index (by[g], i);
              g_autofree char *counter = g == 0 ? g_strdup_printf ("%s号窗口", group->key) : NULL;

              ow_table_begin_row (table);
              ow_table_add_text (table, counter != NULL ? counter
                                                        : group->name != NULL ? group->name
                                                                              : group->key);
              ow_table_add_integer (table, group->count);
              ow_table_add_integer (table, group->part);
            }
          g_ptr_array_add (tables, table);
        }
    }
  {
    OwTable *poor = ow_table_new ("差评及回访");

    ow_table_add_column (poor, "评价日期");
    ow_table_add_column (poor, "办件编号");
    ow_table_add_column (poor, "评价等级");
    ow_table_add_column (poor, "窗口");
    ow_table_add_column (poor, "受理人");
    ow_table_add_column (poor, "事项");
    ow_table_add_column (poor, "评价内容");
    ow_table_add_column (poor, "回访工单");
    ow_table_add_column (poor, "工单状态");
    for (guint i = 0; i < self->ratings->len; i++)
      {
        const OwRatingRecord *record = g_ptr_array_index (self->ratings, i);
        g_autoptr(GDateTime) local = g_date_time_to_timezone (record->at, ow_hall_time_zone ());
        GDate day;
        const char *ticket = record->ticket_id != NULL
                               ? record->ticket_id
                               : g_hash_table_lookup (self->followed, record->id);

        g_date_clear (&day, 1);
        g_date_set_dmy (&day, (GDateDay) g_date_time_get_day_of_month (local),
                        (GDateMonth) g_date_time_get_month (local),
                        (GDateYear) g_date_time_get_year (local));
        ow_table_begin_row (poor);
        ow_table_add_date (poor, &day);
        ow_table_add_text (poor, record->case_no);
        ow_table_add_text (poor, ow_rating_level_to_chinese (record->level));
        ow_table_add_integer (poor, record->counter);
        ow_table_add_text (poor, record->clerk_name != NULL ? record->clerk_name : record->clerk);
        ow_table_add_text (poor, record->item_name);
        ow_table_add_text (poor, record->text);
        ow_table_add_text (poor, ticket);
        ow_table_add_text (poor, record->ticket_id != NULL
                                   ? ticket_state_chinese (record->ticket_state)
                                   : ticket != NULL ? "待发送" : "未回访");
      }
    g_ptr_array_add (tables, poor);
  }
}
