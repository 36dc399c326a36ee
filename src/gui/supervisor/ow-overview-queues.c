/* ow-overview-queues.c — the hall's cases, grouped and counted, filtered, searched, listed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The groups on the left are GET /api/v1/statistics/cases with the same filters as the list on
 * the right (period, state, channel, search), so that each group says how many cases choosing it
 * lists. Choosing a group adds it to the list's filters.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/supervisor/ow-overview-case-list.h"
#include "gui/supervisor/ow-overview-private.h"

struct _OwOverviewQueues
{
  AdwBin parent_instance;

  /* template */
  OwChart *intake_chart;
  GtkDropDown *group_dropdown;
  GtkListBox *groups_list;
  GtkSearchEntry *search_entry;
  GtkDropDown *state_dropdown;
  GtkDropDown *channel_dropdown;
  GtkDropDown *sort_dropdown;
  OwOverviewCaseList *case_list;

  OwOverviewData *data;
  GCancellable *cancellable;   /* the counts under way */
  OwCaseCounts *counts;
  char *group_key;             /* the group chosen, NULL for all */
  char *extra_name;            /* a filter from elsewhere (the deadlines' "show in queues") */
  char *extra_value;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (OwOverviewQueues, ow_overview_queues, ADW_TYPE_BIN)

static const OwCaseCountBy group_bys[] = {
  OW_CASE_COUNT_STATE, OW_CASE_COUNT_COUNTER, OW_CASE_COUNT_CLERK, OW_CASE_COUNT_DEPARTMENT,
  OW_CASE_COUNT_ITEM, OW_CASE_COUNT_CHANNEL,
};

static const char *
group_by_label (OwCaseCountBy by)
{
  switch (by)
    {
    case OW_CASE_COUNT_STATE:
      return _("State");
    case OW_CASE_COUNT_COUNTER:
      return _("Counter");
    case OW_CASE_COUNT_CLERK:
      return _("Clerk");
    case OW_CASE_COUNT_DEPARTMENT:
      return _("Department");
    case OW_CASE_COUNT_ITEM:
      return _("Service item");
    case OW_CASE_COUNT_CHANNEL:
    default:
      return _("Channel");
    }
}

static const char *
group_by_chinese (OwCaseCountBy by)
{
  static const char * const names[] = { "状态", "窗口", "受理人", "部门", "事项", "申请渠道" };

  return by <= OW_CASE_COUNT_LAST ? names[by] : "";
}

/* The query parameter a group of @by filters on. */
static const char *
group_param (OwCaseCountBy by)
{
  return by == OW_CASE_COUNT_ITEM ? "item" : ow_case_count_by_to_string (by);
}

static OwCaseCountBy
selected_by (OwOverviewQueues *self)
{
  guint selected = gtk_drop_down_get_selected (self->group_dropdown);

  return selected < G_N_ELEMENTS (group_bys) ? group_bys[selected] : OW_CASE_COUNT_STATE;
}

static const OwCaseState filter_states[] = {
  OW_CASE_STATE_RECEIVED, OW_CASE_STATE_ACCEPTED, OW_CASE_STATE_SUPPLEMENT_REQUESTED,
  OW_CASE_STATE_SUSPENDED, OW_CASE_STATE_APPROVED, OW_CASE_STATE_NOT_APPROVED,
  OW_CASE_STATE_RESULT_READY, OW_CASE_STATE_HANDED_OVER, OW_CASE_STATE_MAILED,
  OW_CASE_STATE_DELIVERED, OW_CASE_STATE_REFUSED, OW_CASE_STATE_WITHDRAWN,
};

/* A group's name for people. */
static char *
group_name (OwOverviewQueues  *self,
            OwCaseCountBy      by,
            const OwStatGroup *group)
{
  OwCaseState state;
  OwCaseChannel channel;

  switch (by)
    {
    case OW_CASE_COUNT_STATE:
      return g_strdup (ow_case_state_from_string (group->key, &state)
                       ? ow_case_state_to_label (state) : group->key);
    case OW_CASE_COUNT_COUNTER:
      /* Translators: %s is a counter's number */
      return g_strdup_printf (_("Counter %s"), group->key);
    case OW_CASE_COUNT_CLERK:
      return g_strdup (group->name != NULL ? group->name
                                           : ow_overview_data_lookup_name (self->data, group->key));
    case OW_CASE_COUNT_CHANNEL:
      return g_strdup (ow_case_channel_from_string (group->key, &channel)
                       ? ow_case_channel_to_label (channel) : group->key);
    case OW_CASE_COUNT_ITEM:
      return g_strdup (group->name != NULL ? group->name : group->key);
    case OW_CASE_COUNT_DEPARTMENT:
    default:
      return g_strdup (*group->key != '\0' ? group->key : _("No department"));
    }
}

/* The filters of both the counts and the list, without the group chosen; into @params. */
static void
add_filters (OwOverviewQueues *self,
             GPtrArray        *params)
{
  guint state = gtk_drop_down_get_selected (self->state_dropdown);
  guint channel = gtk_drop_down_get_selected (self->channel_dropdown);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_ptr_array_add (params, g_strdup ("received_from"));
  g_ptr_array_add (params, g_strdup (ow_overview_data_get_from_text (self->data)));
  g_ptr_array_add (params, g_strdup ("received_to"));
  g_ptr_array_add (params, g_strdup (ow_overview_data_get_to_text (self->data)));
  if (state > 0 && state <= G_N_ELEMENTS (filter_states))
    {
      g_ptr_array_add (params, g_strdup ("state"));
      g_ptr_array_add (params, g_strdup (ow_case_state_to_string (filter_states[state - 1])));
    }
  if (channel > 0 && channel <= OW_CASE_CHANNEL_LAST)
    {
      g_ptr_array_add (params, g_strdup ("channel"));
      g_ptr_array_add (params, g_strdup (ow_case_channel_to_string ((OwCaseChannel) channel)));
    }
  if (search != NULL && *search != '\0')
    {
      g_ptr_array_add (params, g_strdup ("q"));
      g_ptr_array_add (params, g_strdup (search));
    }
  if (self->extra_name != NULL)
    {
      g_ptr_array_add (params, g_strdup (self->extra_name));
      g_ptr_array_add (params, g_strdup (self->extra_value));
    }
}

static GtkWidget *
group_row (const char *name,
           gint64      count,
           const char *key)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (name);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  GtkWidget *count_label = gtk_label_new (number);
  g_autofree char *accessible = NULL;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (count_label, "numeric");
  gtk_widget_add_css_class (count_label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* Translators: a group of cases and how many it holds, as a screen reader says it */
  accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %lld case", "%s: %lld cases",
                                             (gulong) count),
                                name, (long long) count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  gtk_widget_set_tooltip_text (row, name);
  g_object_set_data_full (G_OBJECT (row), "ow-key", g_strdup (key), g_free);
  return row;
}

static void
list_cases (OwOverviewQueues *self)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);

  if (self->data == NULL)
    return;
  add_filters (self, params);
  if (self->group_key != NULL)
    {
      g_ptr_array_add (params, g_strdup (group_param (selected_by (self))));
      g_ptr_array_add (params, g_strdup (self->group_key));
    }
  g_ptr_array_add (params, NULL);
  ow_overview_case_list_set_filters (self->case_list, (const char * const *) params->pdata);
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OwOverviewQueues *self;
  g_autoptr(GError) error = NULL;
  OwCaseCounts *counts;
  GtkWidget *child, *select = NULL;
  OwAnswerAge age;

  counts = ow_overview_data_count_cases_finish (OW_OVERVIEW_DATA (source), result, &age, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OW_OVERVIEW_QUEUES (user_data);
  g_clear_pointer (&self->counts, ow_case_counts_free);
  self->counts = counts;

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_list))) != NULL)
    gtk_list_box_remove (self->groups_list, child);
  if (counts == NULL)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (error->message);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->groups_list, row);
      self->filling = FALSE;
      return;
    }
  gtk_list_box_append (self->groups_list, group_row (_("All cases"), counts->total, NULL));
  for (guint i = 0; i < counts->groups->len; i++)
    {
      const OwStatGroup *group = g_ptr_array_index (counts->groups, i);
      g_autofree char *name = group_name (self, counts->by, group);
      GtkWidget *row = group_row (name, group->count, group->key);

      gtk_list_box_append (self->groups_list, row);
      if (g_strcmp0 (group->key, self->group_key) == 0)
        select = row;
    }
  gtk_list_box_select_row (self->groups_list,
                           GTK_LIST_BOX_ROW (select != NULL
                                               ? select
                                               : gtk_widget_get_first_child (
                                                   GTK_WIDGET (self->groups_list))));
  self->filling = FALSE;
}

static void
count_groups (OwOverviewQueues *self)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);

  if (self->data == NULL ||
      ow_context_get_user (ow_overview_data_get_context (self->data)) == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->counts, ow_case_counts_free);
  add_filters (self, params);
  g_ptr_array_add (params, NULL);
  ow_overview_data_count_cases_async (self->data, selected_by (self),
                                      (const char * const *) params->pdata, self->cancellable,
                                      counted_cb, self);
}

static void
statistics_changed_cb (OwOverviewQueues *self)
{
  OwStatistics *statistics = ow_overview_data_get_statistics (self->data, NULL);
  GDate from, to;

  if (statistics == NULL)
    {
      ow_chart_clear (self->intake_chart);
      ow_chart_done (self->intake_chart);
      return;
    }
  /* The chart shows what the platform counted: the period, or its last 30 days when open. */
  from = statistics->from;
  to = g_date_valid (&statistics->to) ? statistics->to : statistics->today;
  if (!g_date_valid (&from))
    {
      from = to;
      g_date_subtract_days (&from, 29);
    }
  ow_overview_fill_days_chart (self->intake_chart, statistics->received_by_day, &from, &to);
}

/* Callbacks -------------------------------------------------------------------------------- */

static void
filters_changed_cb (OwOverviewQueues *self)
{
  if (self->data == NULL)
    return;
  count_groups (self);
  list_cases (self);
}

static void
group_by_changed_cb (OwOverviewQueues *self)
{
  g_clear_pointer (&self->group_key, g_free);
  count_groups (self);
  list_cases (self);
}

static void
group_selected_cb (OwOverviewQueues *self,
                   GtkListBoxRow    *row)
{
  const char *key = row != NULL ? g_object_get_data (G_OBJECT (row), "ow-key") : NULL;

  if (self->filling || row == NULL || g_strcmp0 (key, self->group_key) == 0)
    return;
  g_free (self->group_key);
  self->group_key = g_strdup (key);
  list_cases (self);
}

static void
sort_changed_cb (OwOverviewQueues *self)
{
  ow_overview_case_list_set_sort (self->case_list,
                                  ow_overview_sort_value (gtk_drop_down_get_selected (
                                                            self->sort_dropdown)));
}

/* GObject ---------------------------------------------------------------------------------- */

static void
ow_overview_queues_dispose (GObject *object)
{
  OwOverviewQueues *self = OW_OVERVIEW_QUEUES (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_OVERVIEW_QUEUES);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->data);
  g_clear_pointer (&self->counts, ow_case_counts_free);
  g_clear_pointer (&self->group_key, g_free);
  g_clear_pointer (&self->extra_name, g_free);
  g_clear_pointer (&self->extra_value, g_free);
  G_OBJECT_CLASS (ow_overview_queues_parent_class)->dispose (object);
}

static void
ow_overview_queues_class_init (OwOverviewQueuesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_overview_queues_dispose;

  g_type_ensure (OW_TYPE_CHART);
  g_type_ensure (OW_TYPE_OVERVIEW_CASE_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/supervisor/"
                                               "ow-overview-queues.ui");
  gtk_widget_class_bind_template_child (widget_class, OwOverviewQueues, intake_chart);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewQueues, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewQueues, groups_list);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewQueues, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewQueues, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewQueues, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewQueues, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewQueues, case_list);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, group_by_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, group_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
}

static void
ow_overview_queues_init (OwOverviewQueues *self)
{
  g_autoptr(GtkStringList) bys = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) states = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) channels = gtk_string_list_new (NULL);
  g_autoptr(GListModel) sorts = ow_overview_sort_model ();

  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (group_bys); i++)
    gtk_string_list_append (bys, group_by_label (group_bys[i]));
  gtk_drop_down_set_model (self->group_dropdown, G_LIST_MODEL (bys));
  gtk_string_list_append (states, _("All states"));
  for (guint i = 0; i < G_N_ELEMENTS (filter_states); i++)
    gtk_string_list_append (states, ow_case_state_to_label (filter_states[i]));
  gtk_drop_down_set_model (self->state_dropdown, G_LIST_MODEL (states));
  gtk_string_list_append (channels, _("All channels"));
  for (int c = OW_CASE_CHANNEL_WINDOW; c <= OW_CASE_CHANNEL_LAST; c++)
    gtk_string_list_append (channels, ow_case_channel_to_label ((OwCaseChannel) c));
  gtk_drop_down_set_model (self->channel_dropdown, G_LIST_MODEL (channels));
  gtk_drop_down_set_model (self->sort_dropdown, sorts);
  ow_chart_set_title (self->intake_chart, _("Cases received per day"));
  ow_chart_set_headers (self->intake_chart, _("Day"), _("Cases"), NULL);
  self->filling = FALSE;
}

/* Public ----------------------------------------------------------------------------------- */

void
ow_overview_queues_set_data (OwOverviewQueues *self,
                             OwOverviewData   *data)
{
  g_return_if_fail (OW_IS_OVERVIEW_QUEUES (self));

  g_cancellable_cancel (self->cancellable);
  if (self->data != NULL)
    g_signal_handlers_disconnect_by_data (self->data, self);
  g_set_object (&self->data, data);
  ow_overview_case_list_set_data (self->case_list, data);
  g_clear_pointer (&self->group_key, g_free);
  g_clear_pointer (&self->extra_name, g_free);
  g_clear_pointer (&self->extra_value, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (data != NULL)
    g_signal_connect_object (data, "statistics-changed", G_CALLBACK (statistics_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

void
ow_overview_queues_reload (OwOverviewQueues *self)
{
  g_return_if_fail (OW_IS_OVERVIEW_QUEUES (self));
  count_groups (self);
  list_cases (self);
}

const OwCaseCounts *
ow_overview_queues_get_counts (OwOverviewQueues *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_QUEUES (self), NULL);
  return self->counts;
}

void
ow_overview_queues_focus_search (OwOverviewQueues *self)
{
  g_return_if_fail (OW_IS_OVERVIEW_QUEUES (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
ow_overview_queues_show_filter (OwOverviewQueues *self,
                                const char       *name,
                                const char       *value)
{
  g_return_if_fail (OW_IS_OVERVIEW_QUEUES (self));
  g_free (self->extra_name);
  g_free (self->extra_value);
  self->extra_name = g_strdup (name);
  self->extra_value = g_strdup (value);
  ow_overview_queues_reload (self);
}

void
ow_overview_queues_add_tables (OwOverviewQueues *self,
                               GPtrArray        *tables)
{
  g_return_if_fail (OW_IS_OVERVIEW_QUEUES (self));

  if (self->counts != NULL)
    {
      g_autofree char *title = g_strdup_printf ("按%s统计", group_by_chinese (self->counts->by));
      OwTable *table = ow_table_new (title);

      ow_table_add_column (table, group_by_chinese (self->counts->by));
      ow_table_add_column (table, "办件数");
      ow_table_begin_row (table);
      ow_table_add_text (table, "全部");
      ow_table_add_integer (table, self->counts->total);
      for (guint i = 0; i < self->counts->groups->len; i++)
        {
          const OwStatGroup *group = g_ptr_array_index (self->counts->groups, i);
          OwCaseState state;
          OwCaseChannel channel;
          const char *name = group->name != NULL ? group->name : group->key;

          if (self->counts->by == OW_CASE_COUNT_STATE && ow_case_state_from_string (group->key,
                                                                                    &state))
            name = ow_case_state_to_chinese (state);
          else if (self->counts->by == OW_CASE_COUNT_CHANNEL &&
                   ow_case_channel_from_string (group->key, &channel))
            name = ow_case_channel_to_chinese (channel);
          ow_table_begin_row (table);
          if (self->counts->by == OW_CASE_COUNT_COUNTER)
            {
              g_autofree char *counter = g_strdup_printf ("%s号窗口", group->key);

              ow_table_add_text (table, counter);
            }
          else
            ow_table_add_text (table, name);
          ow_table_add_integer (table, group->count);
        }
      g_ptr_array_add (tables, table);
    }
  g_ptr_array_add (tables, ow_overview_case_list_to_table (self->case_list, "办件清单"));
}
