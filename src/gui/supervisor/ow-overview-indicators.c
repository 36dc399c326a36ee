/* ow-overview-indicators.c — the reform's two indicators against the plan's targets
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 零跑动事项可办率 (of the "6+1" items, those doable with no trip) and 可办事项使用率 (of the cases
 * of those items in the period, those that took no trip), as the platform computes them in SQL,
 * against the year's targets of the plan (core/ow-reform.h), month by month and department by
 * department.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-reform.h"
#include "gui/supervisor/ow-overview-private.h"

struct _OwOverviewIndicators
{
  AdwBin parent_instance;

  /* template */
  GtkWidget *availability_card;
  GtkLabel *availability_value;
  GtkLabel *availability_detail;
  GtkWidget *usage_card;
  GtkLabel *usage_value;
  GtkLabel *usage_detail;
  OwChart *targets_chart;
  OwChart *month_chart;
  GtkGrid *department_table;

  OwOverviewData *data;
};

G_DEFINE_FINAL_TYPE (OwOverviewIndicators, ow_overview_indicators, ADW_TYPE_BIN)

typedef struct
{
  int      year;
  gboolean known;
  double   availability;
  double   usage;
  gboolean at_least;
} Targets;

static void
get_targets (OwStatistics *s,
             Targets      *targets)
{
  targets->year = (int) g_date_get_year (g_date_valid (&s->to) ? &s->to : &s->today);
  targets->known = ow_reform_get_targets (targets->year, &targets->availability, &targets->usage,
                                          &targets->at_least);
}

static char *
describe (double          share,
          gint64          part,
          gint64          whole,
          const Targets  *targets,
          double          target,
          const char     *counted)
{
  g_autofree char *target_text = NULL;
  const char *verdict;

  if (!targets->known)
    /* Translators: how a share was counted (e.g. "113 of 152 items") */
    return g_strdup_printf (_("%lld of %lld %s"), (long long) part, (long long) whole, counted);
  target_text = ow_overview_format_share (target);
  verdict = share < 0 ? _("nothing to count yet")
                      : share + 1e-9 >= target ? _("target met") : _("target not met");
  /* Translators: how it was counted, then the year's target of the plan and whether it is met:
   * "113 of 152 items · 2026 target at least 95.0% · target not met" */
  return g_strdup_printf (targets->at_least
                            ? _("%lld of %lld %s · %d target at least %s · %s")
                            : _("%lld of %lld %s · %d target %s · %s"),
                          (long long) part, (long long) whole, counted, targets->year,
                          target_text, verdict);
}

static void
set_card (GtkWidget  *card,
          GtkLabel   *value_label,
          GtkLabel   *detail_label,
          const char *name,
          double      share,
          const char *detail)
{
  g_autofree char *value = ow_overview_format_share (share);
  g_autofree char *accessible = g_strdup_printf ("%s: %s, %s", name, value, detail);

  gtk_label_set_text (value_label, value);
  gtk_label_set_text (detail_label, detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static GtkWidget *
cell (const char        *text,
      GtkAccessibleRole  role,
      gboolean           numeric)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "accessible-role", role, "label", text,
                                   "xalign", numeric ? 1.0 : 0.0, NULL);

  if (role == GTK_ACCESSIBLE_ROLE_COLUMN_HEADER)
    gtk_widget_add_css_class (label, "heading");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
statistics_changed_cb (OwOverviewIndicators *self)
{
  OwStatistics *s = ow_overview_data_get_statistics (self->data, NULL);
  const OwStatIndicator *hall;
  g_autofree char *availability = NULL;
  g_autofree char *usage = NULL;
  g_autofree char *target_text = NULL;
  const char *headers[] = { _("Department"), _("Items doable with zero trips"),
                            _("Cases done with zero trips"), _("Cases of those items") };
  GtkWidget *child;
  Targets targets;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->department_table))) != NULL)
    gtk_grid_remove (self->department_table, child);
  ow_chart_clear (self->targets_chart);
  ow_chart_clear (self->month_chart);
  if (s == NULL)
    {
      gtk_label_set_text (self->availability_value, "—");
      gtk_label_set_text (self->availability_detail, "");
      gtk_label_set_text (self->usage_value, "—");
      gtk_label_set_text (self->usage_detail, "");
      ow_chart_done (self->targets_chart);
      ow_chart_done (self->month_chart);
      return;
    }
  hall = &s->hall_indicator;
  get_targets (s, &targets);
  availability = describe (ow_statistics_availability (hall), hall->zero_trip_items,
                           hall->reform_items, &targets, targets.availability,
                           _("“6+1” items"));
  usage = describe (ow_statistics_usage (hall), hall->zero_trip_cases, hall->cases, &targets,
                    targets.usage, _("cases of those items in the period"));
  set_card (self->availability_card, self->availability_value, self->availability_detail,
            _("Items doable with zero trips"), ow_statistics_availability (hall), availability);
  set_card (self->usage_card, self->usage_value, self->usage_detail,
            _("Cases of those items done with zero trips"), ow_statistics_usage (hall), usage);

  ow_chart_add (self->targets_chart, _("Availability"), ow_statistics_availability (hall),
                targets.known ? targets.availability : -1);
  ow_chart_add (self->targets_chart, _("Usage"), ow_statistics_usage (hall),
                targets.known ? targets.usage : -1);
  ow_chart_done (self->targets_chart);

  if (targets.known)
    {
      g_autofree char *share = ow_overview_format_share (targets.usage);

      /* Translators: the dashed line of the monthly chart: the year and its usage target */
      target_text = g_strdup_printf (_("the line is the %d target of %s"), targets.year, share);
    }
  ow_chart_set_target (self->month_chart, targets.known ? targets.usage : -1, target_text);
  for (guint i = 0; i < s->usage_by_month->len; i++)
    {
      OwStatGroup *month = g_ptr_array_index (s->usage_by_month, i);

      ow_chart_add (self->month_chart, month->key, ow_statistics_share (month->part, month->count),
                    -1);
    }
  ow_chart_done (self->month_chart);

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    gtk_grid_attach (self->department_table,
                     cell (headers[c], GTK_ACCESSIBLE_ROLE_COLUMN_HEADER, c > 0), c, 0, 1, 1);
  for (guint i = 0; i < s->indicators->len; i++)
    {
      const OwStatIndicator *department = g_ptr_array_index (s->indicators, i);
      g_autofree char *a = ow_overview_format_share (ow_statistics_availability (department));
      g_autofree char *u = ow_overview_format_share (ow_statistics_usage (department));
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, department->cases);

      gtk_grid_attach (self->department_table,
                       cell (department->department, GTK_ACCESSIBLE_ROLE_CELL, FALSE), 0, i + 1, 1,
                       1);
      gtk_grid_attach (self->department_table, cell (a, GTK_ACCESSIBLE_ROLE_CELL, TRUE), 1, i + 1,
                       1, 1);
      gtk_grid_attach (self->department_table, cell (u, GTK_ACCESSIBLE_ROLE_CELL, TRUE), 2, i + 1,
                       1, 1);
      gtk_grid_attach (self->department_table, cell (n, GTK_ACCESSIBLE_ROLE_CELL, TRUE), 3, i + 1,
                       1, 1);
    }
}

static void
ow_overview_indicators_dispose (GObject *object)
{
  OwOverviewIndicators *self = OW_OVERVIEW_INDICATORS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_OVERVIEW_INDICATORS);
  g_clear_object (&self->data);
  G_OBJECT_CLASS (ow_overview_indicators_parent_class)->dispose (object);
}

static void
ow_overview_indicators_class_init (OwOverviewIndicatorsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_overview_indicators_dispose;

  g_type_ensure (OW_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/supervisor/"
                                               "ow-overview-indicators.ui");
  gtk_widget_class_bind_template_child (widget_class, OwOverviewIndicators, availability_card);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewIndicators, availability_value);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewIndicators, availability_detail);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewIndicators, usage_card);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewIndicators, usage_value);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewIndicators, usage_detail);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewIndicators, targets_chart);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewIndicators, month_chart);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewIndicators, department_table);
}

static void
ow_overview_indicators_init (OwOverviewIndicators *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ow_chart_set_title (self->targets_chart, _("The indicators against this year’s targets"));
  ow_chart_set_headers (self->targets_chart, _("Indicator"), _("Share"), _("Target"));
  ow_chart_set_percent (self->targets_chart, TRUE);
  ow_chart_set_title (self->month_chart, _("Usage month by month"));
  ow_chart_set_headers (self->month_chart, _("Month"), _("Usage"), NULL);
  ow_chart_set_percent (self->month_chart, TRUE);
  gtk_label_set_text (self->availability_value, "—");
  gtk_label_set_text (self->usage_value, "—");
}

void
ow_overview_indicators_set_data (OwOverviewIndicators *self,
                                 OwOverviewData       *data)
{
  g_return_if_fail (OW_IS_OVERVIEW_INDICATORS (self));

  if (self->data != NULL)
    g_signal_handlers_disconnect_by_data (self->data, self);
  g_set_object (&self->data, data);
  if (data != NULL)
    g_signal_connect_object (data, "statistics-changed", G_CALLBACK (statistics_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

void
ow_overview_indicators_add_tables (OwOverviewIndicators *self,
                                   GPtrArray            *tables)
{
  OwStatistics *s;
  OwTable *hall, *departments, *months;
  Targets targets;

  g_return_if_fail (OW_IS_OVERVIEW_INDICATORS (self));
  s = self->data != NULL ? ow_overview_data_get_statistics (self->data, NULL) : NULL;
  if (s == NULL)
    return;
  get_targets (s, &targets);

  hall = ow_table_new ("改革指标");
  ow_table_add_column (hall, "指标");
  ow_table_add_column (hall, "本期");
  ow_table_add_column (hall, "分子");
  ow_table_add_column (hall, "分母");
  ow_table_add_column (hall, "年度目标");
  ow_table_add_column (hall, "统计起");
  ow_table_add_column (hall, "统计止");
  ow_table_begin_row (hall);
  ow_table_add_text (hall, "零跑动事项可办率");
  ow_table_add_percent (hall, ow_statistics_availability (&s->hall_indicator));
  ow_table_add_integer (hall, s->hall_indicator.zero_trip_items);
  ow_table_add_integer (hall, s->hall_indicator.reform_items);
  ow_table_add_percent (hall, targets.known ? targets.availability : -1);
  ow_table_add_date (hall, &s->from);
  ow_table_add_date (hall, g_date_valid (&s->to) ? &s->to : &s->today);
  ow_table_begin_row (hall);
  ow_table_add_text (hall, "可办事项使用率");
  ow_table_add_percent (hall, ow_statistics_usage (&s->hall_indicator));
  ow_table_add_integer (hall, s->hall_indicator.zero_trip_cases);
  ow_table_add_integer (hall, s->hall_indicator.cases);
  ow_table_add_percent (hall, targets.known ? targets.usage : -1);
  ow_table_add_date (hall, &s->from);
  ow_table_add_date (hall, g_date_valid (&s->to) ? &s->to : &s->today);
  g_ptr_array_add (tables, hall);

  departments = ow_table_new ("各部门指标");
  ow_table_add_column (departments, "部门");
  ow_table_add_column (departments, "“6+1”事项数");
  ow_table_add_column (departments, "零跑动事项数");
  ow_table_add_column (departments, "可办率");
  ow_table_add_column (departments, "可办事项办件数");
  ow_table_add_column (departments, "零跑动办件数");
  ow_table_add_column (departments, "使用率");
  for (guint i = 0; i < s->indicators->len; i++)
    {
      const OwStatIndicator *department = g_ptr_array_index (s->indicators, i);

      ow_table_begin_row (departments);
      ow_table_add_text (departments, department->department);
      ow_table_add_integer (departments, department->reform_items);
      ow_table_add_integer (departments, department->zero_trip_items);
      ow_table_add_percent (departments, ow_statistics_availability (department));
      ow_table_add_integer (departments, department->cases);
      ow_table_add_integer (departments, department->zero_trip_cases);
      ow_table_add_percent (departments, ow_statistics_usage (department));
    }
  g_ptr_array_add (tables, departments);

  months = ow_table_new ("月度使用率");
  ow_table_add_column (months, "月份");
  ow_table_add_column (months, "可办事项办件数");
  ow_table_add_column (months, "零跑动办件数");
  ow_table_add_column (months, "使用率");
  for (guint i = 0; i < s->usage_by_month->len; i++)
    {
      OwStatGroup *month = g_ptr_array_index (s->usage_by_month, i);

      ow_table_begin_row (months);
      ow_table_add_text (months, month->key);
      ow_table_add_integer (months, month->count);
      ow_table_add_integer (months, month->part);
      ow_table_add_percent (months, ow_statistics_share (month->part, month->count));
    }
  g_ptr_array_add (tables, months);
}
