/* ow-overview-deadlines.c — cases late, due soon, and with their clock stopped
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The counts are the platform's statistics; each list is GET /api/v1/cases with the filter that
 * counts them (overdue=true, due_within=N, the stopped states), so that a count and its list
 * agree, and every row says its working days from the platform's today (ow-deadline.h).
 * Deadlines are about now, not the period.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-deadline.h"
#include "gui/supervisor/ow-overview-case-list.h"
#include "gui/supervisor/ow-overview-private.h"

/* Weeks the weekly chart goes back. */
#define WEEKS 12

typedef enum
{
  QUEUE_OVERDUE,
  QUEUE_DUE_SOON,
  QUEUE_SUPPLEMENT,
  QUEUE_SUSPENDED,
} Queue;

struct _OwOverviewDeadlines
{
  AdwBin parent_instance;

  /* template */
  GtkToggleButton *overdue_button;
  GtkToggleButton *due_button;
  GtkToggleButton *supplement_button;
  GtkToggleButton *suspended_button;
  GtkLabel *overdue_label;
  GtkLabel *due_label;
  GtkLabel *supplement_label;
  GtkLabel *suspended_label;
  GtkSpinButton *due_spin;
  OwChart *week_chart;
  OwChart *days_chart;
  OwOverviewCaseList *case_list;

  OwOverviewData *data;
  Queue queue;
};

G_DEFINE_FINAL_TYPE (OwOverviewDeadlines, ow_overview_deadlines, ADW_TYPE_BIN)

static const char *
queue_chinese (Queue queue)
{
  static const char * const names[] = { "超期办件", "即将到期办件", "待补正办件", "特别程序中办件" };

  return names[queue];
}

static void
set_summary (GtkToggleButton *button,
             GtkLabel        *label,
             const char      *what,
             gint64           count)
{
  g_autofree char *markup = NULL;
  g_autofree char *escaped = g_markup_escape_text (what, -1);
  g_autofree char *accessible = NULL;

  g_autofree char *number = count >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, count)
                                        : g_strdup ("—");

  markup = g_strdup_printf ("<span size=\"x-large\" weight=\"bold\">%s</span>\n%s", number,
                            escaped);
  gtk_label_set_markup (label, markup);
  /* Translators: a count of cases and what they are, as a screen reader says the button */
  accessible = g_strdup_printf (_("%s: %s"), what, number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

static void
list_queue (OwOverviewDeadlines *self)
{
  g_autofree char *due = NULL;

  if (self->data == NULL)
    return;
  due = g_strdup_printf ("%u", ow_overview_data_get_due_within (self->data));
  switch (self->queue)
    {
    case QUEUE_OVERDUE:
      ow_overview_case_list_set_sort (self->case_list, "promised");
      ow_overview_case_list_set_filters (self->case_list,
                                         (const char * const[]) { "overdue", "true", NULL });
      break;
    case QUEUE_DUE_SOON:
      ow_overview_case_list_set_sort (self->case_list, "promised");
      ow_overview_case_list_set_filters (self->case_list,
                                         (const char * const[]) { "due_within", due, NULL });
      break;
    case QUEUE_SUPPLEMENT:
      ow_overview_case_list_set_sort (self->case_list, "received");
      ow_overview_case_list_set_filters (self->case_list,
                                         (const char * const[]) { "state",
                                                                  "supplement-requested",
                                                                  NULL });
      break;
    case QUEUE_SUSPENDED:
    default:
      ow_overview_case_list_set_sort (self->case_list, "received");
      ow_overview_case_list_set_filters (self->case_list,
                                         (const char * const[]) { "state", "suspended", NULL });
      break;
    }
}

static void
statistics_changed_cb (OwOverviewDeadlines *self)
{
  OwStatistics *s = ow_overview_data_get_statistics (self->data, NULL);
  g_autofree char *due = NULL;
  g_autoptr(GHashTable) weeks = g_hash_table_new (g_str_hash, g_str_equal);
  GDate week;

  if (s == NULL)
    {
      /* No figures: none shown rather than old ones. */
      set_summary (self->overdue_button, self->overdue_label, _("Overdue"), -1);
      set_summary (self->due_button, self->due_label, _("Due soon"), -1);
      set_summary (self->supplement_button, self->supplement_label,
                   _("Waiting for supplements"), -1);
      set_summary (self->suspended_button, self->suspended_label, _("Suspended"), -1);
      ow_chart_clear (self->week_chart);
      ow_chart_done (self->week_chart);
      ow_chart_clear (self->days_chart);
      ow_chart_done (self->days_chart);
      return;
    }
  due = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Due within %u working day",
                                      "Due within %u working days", s->due_within),
                         s->due_within);
  set_summary (self->overdue_button, self->overdue_label, _("Overdue"), s->overdue);
  set_summary (self->due_button, self->due_label, due, s->due_soon);
  set_summary (self->supplement_button, self->supplement_label, _("Waiting for supplements"),
               s->by_state[OW_CASE_STATE_SUPPLEMENT_REQUESTED]);
  set_summary (self->suspended_button, self->suspended_label, _("Suspended"),
               s->by_state[OW_CASE_STATE_SUSPENDED]);

  /* The last weeks, those without a late case at 0, older ones in the first. */
  for (guint i = 0; i < s->overdue_by_week->len; i++)
    {
      OwStatGroup *group = g_ptr_array_index (s->overdue_by_week, i);

      g_hash_table_insert (weeks, group->key, group);
    }
  ow_chart_clear (self->week_chart);
  ow_deadline_week_of (&s->today, &week);
  g_date_subtract_days (&week, 7 * (WEEKS - 1));
  for (guint i = 0; i < WEEKS; i++)
    {
      g_autofree char *key = ow_overview_format_day (&week);
      g_autofree char *label = g_strdup_printf ("%02u-%02u", g_date_get_month (&week),
                                                g_date_get_day (&week));
      OwStatGroup *group = g_hash_table_lookup (weeks, key);
      gint64 count = group != NULL ? group->count : 0;

      if (i == 0)
        for (guint j = 0; j < s->overdue_by_week->len; j++)
          {
            OwStatGroup *older = g_ptr_array_index (s->overdue_by_week, j);

            if (strcmp (older->key, key) < 0)
              count += older->count;
          }
      ow_chart_add (self->week_chart, label, (double) count, -1);
      g_date_add_days (&week, 7);
    }
  ow_chart_done (self->week_chart);

  ow_chart_clear (self->days_chart);
  for (guint i = 0; i < s->overdue_by_days->len; i++)
    {
      OwStatGroup *group = g_ptr_array_index (s->overdue_by_days, i);

      ow_chart_add (self->days_chart, group->key, (double) group->count, -1);
    }
  ow_chart_done (self->days_chart);
}

static void
due_within_changed_cb (OwOverviewDeadlines *self)
{
  /* The platform counts anew; the list with it. */
  ow_overview_data_refresh (self->data);
  if (self->queue == QUEUE_DUE_SOON)
    list_queue (self);
}

static void
queue_toggled_cb (OwOverviewDeadlines *self,
                  GtkToggleButton     *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->overdue_button)
    self->queue = QUEUE_OVERDUE;
  else if (button == self->due_button)
    self->queue = QUEUE_DUE_SOON;
  else if (button == self->supplement_button)
    self->queue = QUEUE_SUPPLEMENT;
  else
    self->queue = QUEUE_SUSPENDED;
  list_queue (self);
}

/* GObject ---------------------------------------------------------------------------------- */

static void
ow_overview_deadlines_dispose (GObject *object)
{
  OwOverviewDeadlines *self = OW_OVERVIEW_DEADLINES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_OVERVIEW_DEADLINES);
  g_clear_object (&self->data);
  G_OBJECT_CLASS (ow_overview_deadlines_parent_class)->dispose (object);
}

static void
ow_overview_deadlines_class_init (OwOverviewDeadlinesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_overview_deadlines_dispose;

  g_type_ensure (OW_TYPE_CHART);
  g_type_ensure (OW_TYPE_OVERVIEW_CASE_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/supervisor/"
                                               "ow-overview-deadlines.ui");
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, overdue_button);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, due_button);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, supplement_button);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, suspended_button);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, due_label);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, supplement_label);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, suspended_label);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, due_spin);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, week_chart);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, days_chart);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewDeadlines, case_list);
  gtk_widget_class_bind_template_callback (widget_class, queue_toggled_cb);
}

static void
ow_overview_deadlines_init (OwOverviewDeadlines *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ow_chart_set_title (self->week_chart, _("Overdue cases by the week they became late"));
  ow_chart_set_headers (self->week_chart, _("Week from"), _("Cases"), NULL);
  ow_chart_set_title (self->days_chart, _("Overdue cases by working days late"));
  ow_chart_set_headers (self->days_chart, _("Working days late"), _("Cases"), NULL);
  set_summary (self->overdue_button, self->overdue_label, _("Overdue"), -1);
  set_summary (self->due_button, self->due_label, _("Due soon"), -1);
  set_summary (self->supplement_button, self->supplement_label, _("Waiting for supplements"), -1);
  set_summary (self->suspended_button, self->suspended_label, _("Suspended"), -1);
}

/* Public ----------------------------------------------------------------------------------- */

void
ow_overview_deadlines_set_data (OwOverviewDeadlines *self,
                                OwOverviewData      *data)
{
  g_return_if_fail (OW_IS_OVERVIEW_DEADLINES (self));

  if (self->data != NULL)
    g_signal_handlers_disconnect_by_data (self->data, self);
  g_set_object (&self->data, data);
  ow_overview_case_list_set_data (self->case_list, data);
  if (data == NULL)
    return;
  g_settings_bind (ow_context_get_settings (ow_overview_data_get_context (data)),
                   "due-within-working-days", self->due_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (data, "statistics-changed", G_CALLBACK (statistics_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (data, "notify::due-within", G_CALLBACK (due_within_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
ow_overview_deadlines_reload (OwOverviewDeadlines *self)
{
  g_return_if_fail (OW_IS_OVERVIEW_DEADLINES (self));
  list_queue (self);
}

void
ow_overview_deadlines_add_tables (OwOverviewDeadlines *self,
                                  GPtrArray           *tables)
{
  OwStatistics *s;

  g_return_if_fail (OW_IS_OVERVIEW_DEADLINES (self));
  s = self->data != NULL ? ow_overview_data_get_statistics (self->data, NULL) : NULL;

  if (s != NULL)
    {
      OwTable *summary = ow_table_new ("时限概况");
      OwTable *by_days = ow_table_new ("超期工作日分布");
      OwTable *by_week = ow_table_new ("按周超期");
      g_autofree char *due = g_strdup_printf ("%u个工作日内到期", s->due_within);

      ow_table_add_column (summary, "项目");
      ow_table_add_column (summary, "办件数");
      ow_table_add_column (summary, "统计日期");
      ow_table_begin_row (summary);
      ow_table_add_text (summary, "超期");
      ow_table_add_integer (summary, s->overdue);
      ow_table_add_date (summary, &s->today);
      ow_table_begin_row (summary);
      ow_table_add_text (summary, due);
      ow_table_add_integer (summary, s->due_soon);
      ow_table_add_date (summary, &s->today);
      ow_table_begin_row (summary);
      ow_table_add_text (summary, "待补正（计时暂停）");
      ow_table_add_integer (summary, s->by_state[OW_CASE_STATE_SUPPLEMENT_REQUESTED]);
      ow_table_add_date (summary, &s->today);
      ow_table_begin_row (summary);
      ow_table_add_text (summary, "特别程序（计时暂停）");
      ow_table_add_integer (summary, s->by_state[OW_CASE_STATE_SUSPENDED]);
      ow_table_add_date (summary, &s->today);
      g_ptr_array_add (tables, summary);

      ow_table_add_column (by_days, "超期工作日");
      ow_table_add_column (by_days, "办件数");
      for (guint i = 0; i < s->overdue_by_days->len; i++)
        {
          OwStatGroup *group = g_ptr_array_index (s->overdue_by_days, i);

          ow_table_begin_row (by_days);
          ow_table_add_integer (by_days, g_ascii_strtoll (group->key, NULL, 10));
          ow_table_add_integer (by_days, group->count);
        }
      g_ptr_array_add (tables, by_days);

      ow_table_add_column (by_week, "超期开始的周（周一）");
      ow_table_add_column (by_week, "办件数");
      for (guint i = 0; i < s->overdue_by_week->len; i++)
        {
          OwStatGroup *group = g_ptr_array_index (s->overdue_by_week, i);
          GDate monday;

          ow_overview_parse_day (group->key, &monday);
          ow_table_begin_row (by_week);
          ow_table_add_date (by_week, &monday);
          ow_table_add_integer (by_week, group->count);
        }
      g_ptr_array_add (tables, by_week);
    }
  g_ptr_array_add (tables, ow_overview_case_list_to_table (self->case_list,
                                                           queue_chinese (self->queue)));
}
