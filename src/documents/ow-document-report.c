/* ow-document-report.c — the reform's indicators on one A4 page, in Chinese, to print
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a hall's supervisor hands on to the leadership: the two indicators of the plan against
 * the year's targets, the usage month by month as bars with the target as a line, each
 * department's indicators, and the deadlines and ratings of the period in a sentence each. From
 * the platform's statistics as they are (OwStatistics); always one page: departments beyond what
 * fits are summed up in a last line.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-reform.h"
#include "ow-document-private.h"

#define REPORT_SIZE 10.0
#define ROW_HEIGHT (6.2 * OW_MM)
#define CHART_HEIGHT (48 * OW_MM)
/* Space kept for the last two sections and the foot. */
#define TAIL_HEIGHT (50 * OW_MM)

typedef struct
{
  const OwStatistics *statistics;
  int                 year;
  gboolean            has_targets;
  double              availability_target;
  double              usage_target;
  gboolean            at_least;
} Report;

static char *
format_share (double share)
{
  if (share < 0)
    return g_strdup ("—");
  return g_strdup_printf ("%.1f%%", share * 100.0);
}

static char *
format_day (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return NULL;
  return g_strdup_printf ("%u年%u月%u日", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* Text in a box of @width at (@x, w->y), centred or left; returns its height. */
static double
cell (OwWriter       *w,
      const char     *text,
      double          x,
      double          width,
      gboolean        bold,
      PangoAlignment  alignment)
{
  g_autoptr(PangoLayout) layout = ow_writer_layout (w, bold ? OW_SANS : OW_SERIF, REPORT_SIZE,
                                                    bold, width - 2 * OW_MM);
  double height;

  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  height = ow_layout_height (layout);
  cairo_move_to (w->cr, x + OW_MM, w->y + (ROW_HEIGHT - height) / 2);
  pango_cairo_show_layout (w->cr, layout);
  return height;
}

/* One row of a table with @n columns of the given widths (shares of the text width). */
static void
table_row (OwWriter           *w,
           const char * const *texts,
           const double       *widths,
           guint               n,
           gboolean            header)
{
  double x = w->margin_left;

  cairo_save (w->cr);
  if (header)
    {
      cairo_set_source_rgb (w->cr, 0.88, 0.91, 0.95);
      cairo_rectangle (w->cr, w->margin_left, w->y, w->text_width, ROW_HEIGHT);
      cairo_fill (w->cr);
    }
  cairo_set_source_rgb (w->cr, 0, 0, 0);
  cairo_set_line_width (w->cr, 0.5);
  for (guint i = 0; i < n; i++)
    {
      double width = widths[i] * w->text_width;

      cairo_rectangle (w->cr, x, w->y, width, ROW_HEIGHT);
      cairo_stroke (w->cr);
      cell (w, texts[i], x, width, header, i == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
      x += width;
    }
  cairo_restore (w->cr);
  w->y += ROW_HEIGHT;
}

static void
section (OwWriter   *w,
         const char *title)
{
  w->y += 2 * OW_MM;
  ow_writer_paragraph (w, title, OW_SANS, 12, TRUE, PANGO_ALIGN_LEFT, 0, 2 * OW_MM);
}

static const char *
verdict (const Report *report,
         double        share,
         double        target)
{
  if (!report->has_targets || share < 0)
    return "—";
  return share + 1e-9 >= target ? "达标" : "未达标";
}

static void
draw_indicators (OwWriter     *w,
                 const Report *report)
{
  static const double widths[] = { 0.30, 0.28, 0.22, 0.20 };
  const OwStatIndicator *hall = &report->statistics->hall_indicator;
  double availability = ow_statistics_availability (hall);
  double usage = ow_statistics_usage (hall);
  g_autofree char *a = format_share (availability);
  g_autofree char *u = format_share (usage);
  g_autofree char *a_value = g_strdup_printf ("%s（%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "）", a,
                                              hall->zero_trip_items, hall->reform_items);
  g_autofree char *u_value = g_strdup_printf ("%s（%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "）", u,
                                              hall->zero_trip_cases, hall->cases);
  g_autofree char *a_target = NULL;
  g_autofree char *u_target = NULL;
  g_autofree char *target_header = g_strdup_printf ("%d年目标", report->year);

  if (report->has_targets)
    {
      g_autofree char *at = format_share (report->availability_target);
      g_autofree char *ut = format_share (report->usage_target);

      a_target = g_strconcat (report->at_least ? "≥" : "", at, NULL);
      u_target = g_strconcat (report->at_least ? "≥" : "", ut, NULL);
    }

  section (w, "一、改革指标");
  table_row (w, (const char *[]) { "指标", "本期", target_header, "完成情况" }, widths, 4, TRUE);
  table_row (w, (const char *[]) { "零跑动事项可办率", a_value, a_target != NULL ? a_target : "—",
                                   verdict (report, availability, report->availability_target) },
             widths, 4, FALSE);
  table_row (w, (const char *[]) { "可办事项使用率", u_value, u_target != NULL ? u_target : "—",
                                   verdict (report, usage, report->usage_target) },
             widths, 4, FALSE);
  ow_writer_paragraph (w, "可办率：“6+1”类事项中无需到现场办理的事项所占比例（按当前事项目录）。"
                       "使用率：上述事项的办件中，通过网上、移动端或邮寄申请、未到现场的办件所占"
                       "比例。", OW_SERIF, 8.5, FALSE, PANGO_ALIGN_LEFT, 0, 0);
}

/* The usage of each month as a bar, the target as a dashed line. */
static void
draw_trend (OwWriter     *w,
            const Report *report)
{
  GPtrArray *months = report->statistics->usage_by_month;
  double left = w->margin_left + 10 * OW_MM, top, bottom;
  double width = w->text_width - 10 * OW_MM;
  double slot = months->len > 0 ? width / months->len : width;

  section (w, "二、使用率月度趋势");
  top = w->y;
  bottom = top + CHART_HEIGHT - 8 * OW_MM;
  cairo_save (w->cr);
  cairo_set_line_width (w->cr, 0.5);
  cairo_set_source_rgb (w->cr, 0.4, 0.4, 0.4);
  for (int p = 0; p <= 100; p += 25)
    {
      g_autofree char *label = g_strdup_printf ("%d%%", p);
      g_autoptr(PangoLayout) layout = ow_writer_layout (w, OW_SANS, 7, FALSE, 9 * OW_MM);
      double y = bottom - (bottom - top) * p / 100.0;

      cairo_move_to (w->cr, left, y);
      cairo_line_to (w->cr, left + width, y);
      cairo_stroke (w->cr);
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      pango_layout_set_text (layout, label, -1);
      cairo_move_to (w->cr, w->margin_left - OW_MM, y - ow_layout_height (layout) / 2);
      pango_cairo_show_layout (w->cr, layout);
    }
  for (guint i = 0; i < months->len; i++)
    {
      const OwStatGroup *month = g_ptr_array_index (months, i);
      double share = ow_statistics_share (month->part, month->count);
      double x = left + i * slot + slot * 0.2;
      g_autoptr(PangoLayout) label = ow_writer_layout (w, OW_SANS, 7, FALSE, slot);
      g_autofree char *text = NULL;

      if (share >= 0)
        {
          double height = (bottom - top) * share;
          g_autofree char *value = format_share (share);
          g_autoptr(PangoLayout) value_layout = ow_writer_layout (w, OW_SANS, 7, FALSE, slot);

          cairo_set_source_rgb (w->cr, 0.21, 0.52, 0.89);
          cairo_rectangle (w->cr, x, bottom - height, slot * 0.6, height);
          cairo_fill (w->cr);
          cairo_set_source_rgb (w->cr, 0, 0, 0);
          pango_layout_set_alignment (value_layout, PANGO_ALIGN_CENTER);
          pango_layout_set_text (value_layout, value, -1);
          cairo_move_to (w->cr, left + i * slot, bottom - height - ow_layout_height (value_layout));
          pango_cairo_show_layout (w->cr, value_layout);
        }
      /* "2026-11" as 11月, the year where it changes. */
      text = strlen (month->key) >= 7
               ? (i == 0 || g_str_has_suffix (month->key, "-01")
                    ? g_strdup_printf ("%.4s年%d月", month->key, atoi (month->key + 5))
                    : g_strdup_printf ("%d月", atoi (month->key + 5)))
               : g_strdup (month->key);
      cairo_set_source_rgb (w->cr, 0, 0, 0);
      pango_layout_set_alignment (label, PANGO_ALIGN_CENTER);
      pango_layout_set_text (label, text, -1);
      cairo_move_to (w->cr, left + i * slot, bottom + OW_MM);
      pango_cairo_show_layout (w->cr, label);
    }
  if (report->has_targets)
    {
      double y = bottom - (bottom - top) * report->usage_target;
      const double dash[] = { 3, 2 };

      cairo_set_source_rgb (w->cr, 0.85, 0.2, 0.2);
      cairo_set_line_width (w->cr, 1.2);
      cairo_set_dash (w->cr, dash, 2, 0);
      cairo_move_to (w->cr, left, y);
      cairo_line_to (w->cr, left + width, y);
      cairo_stroke (w->cr);
    }
  cairo_restore (w->cr);
  w->y = bottom + 6 * OW_MM;
  if (months->len == 0)
    ow_writer_paragraph (w, "本期无可统计的办件。", OW_SERIF, REPORT_SIZE, FALSE,
                         PANGO_ALIGN_LEFT, 0, 0);
  else if (report->has_targets)
    {
      g_autofree char *target = format_share (report->usage_target);
      g_autofree char *note = g_strdup_printf ("红色虚线为%d年使用率目标（%s%s）。", report->year,
                                               report->at_least ? "≥" : "", target);

      ow_writer_paragraph (w, note, OW_SERIF, 8.5, FALSE, PANGO_ALIGN_LEFT, 0, 0);
    }
}

static void
draw_departments (OwWriter     *w,
                  const Report *report)
{
  static const double widths[] = { 0.40, 0.15, 0.15, 0.15, 0.15 };
  GPtrArray *departments = report->statistics->indicators;
  double room = w->page_height - w->margin_bottom - TAIL_HEIGHT - w->y - 2 * ROW_HEIGHT;
  guint fit = room > 0 ? (guint) (room / ROW_HEIGHT) : 0;
  guint shown = MIN (departments->len, fit);
  gint64 rest_cases = 0, rest_zero_trip = 0;

  section (w, "三、各部门指标");
  table_row (w, (const char *[]) { "部门", "可办率", "使用率", "办件量", "零跑动办件" }, widths, 5,
             TRUE);
  if (shown < departments->len && shown > 0)
    shown--;
  for (guint i = 0; i < departments->len; i++)
    {
      const OwStatIndicator *indicator = g_ptr_array_index (departments, i);
      g_autofree char *availability = format_share (ow_statistics_availability (indicator));
      g_autofree char *usage = format_share (ow_statistics_usage (indicator));
      g_autofree char *cases = g_strdup_printf ("%" G_GINT64_FORMAT, indicator->cases);
      g_autofree char *zero_trip = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    indicator->zero_trip_cases);

      if (i >= shown)
        {
          rest_cases += indicator->cases;
          rest_zero_trip += indicator->zero_trip_cases;
          continue;
        }
      table_row (w, (const char *[]) { indicator->department, availability, usage, cases,
                                       zero_trip }, widths, 5, FALSE);
    }
  if (shown < departments->len)
    {
      g_autofree char *label = g_strdup_printf ("其余%u个部门（详见导出表格）",
                                                departments->len - shown);
      g_autofree char *usage = format_share (ow_statistics_share (rest_zero_trip, rest_cases));
      g_autofree char *cases = g_strdup_printf ("%" G_GINT64_FORMAT, rest_cases);
      g_autofree char *zero_trip = g_strdup_printf ("%" G_GINT64_FORMAT, rest_zero_trip);

      table_row (w, (const char *[]) { label, "—", usage, cases, zero_trip }, widths, 5, FALSE);
    }
}

static void
draw_deadlines_and_ratings (OwWriter     *w,
                            const Report *report)
{
  const OwStatistics *s = report->statistics;
  g_autofree char *deadlines = NULL;
  g_autofree char *ratings = NULL;
  g_autofree char *today = format_day (&s->today);
  gint64 rated = 0, poor = 0;

  for (guint i = 0; i < s->ratings_by_level->len; i++)
    {
      const OwStatGroup *level = g_ptr_array_index (s->ratings_by_level, i);

      rated += level->count;
      poor += level->part;
    }
  deadlines = g_strdup_printf ("截至%s，办理中超过承诺时限的办件%" G_GINT64_FORMAT "件，%u个工作日内"
                               "到期%" G_GINT64_FORMAT "件；补正中%" G_GINT64_FORMAT "件、特别程序中%"
                               G_GINT64_FORMAT "件（计时暂停）。超期未办结的“未办成事”%"
                               G_GINT64_FORMAT "件。", today != NULL ? today : "今日",
                               s->overdue, s->due_within, s->due_soon,
                               s->by_state[OW_CASE_STATE_SUPPLEMENT_REQUESTED],
                               s->by_state[OW_CASE_STATE_SUSPENDED], s->tickets_overdue);
  ratings = g_strdup_printf ("本期评价%" G_GINT64_FORMAT "次，其中差评（不满意、非常不满意）%"
                             G_GINT64_FORMAT "次；累计差评%" G_GINT64_FORMAT "次，尚无回访工单的%"
                             G_GINT64_FORMAT "次。", rated, poor, s->ratings_poor,
                             s->ratings_unfollowed);
  section (w, "四、办理时限与好差评");
  ow_writer_paragraph (w, deadlines, OW_SERIF, REPORT_SIZE, FALSE, PANGO_ALIGN_LEFT, 2, OW_MM);
  ow_writer_paragraph (w, ratings, OW_SERIF, REPORT_SIZE, FALSE, PANGO_ALIGN_LEFT, 2, 0);
}

static gboolean
draw_report (OwWriter  *w,
             gpointer   data,
             GError   **error)
{
  const Report *report = data;
  const OwStatistics *s = report->statistics;
  g_autofree char *from = format_day (&s->from);
  g_autofree char *to = format_day (&s->to);
  g_autofree char *period = NULL;
  g_autofree char *issued = ow_document_issued_day (w->info);
  g_autofree char *foot = NULL;

  if (from != NULL && to != NULL)
    period = g_strdup_printf ("统计期间：%s至%s", from, to);
  else if (from != NULL)
    period = g_strdup_printf ("统计期间：%s起", from);
  else if (to != NULL)
    period = g_strdup_printf ("统计期间：截至%s", to);
  else
    period = g_strdup ("统计期间：全部");

  ow_writer_heading (w, "“零跑动”改革指标报告", period);
  draw_indicators (w, report);
  draw_trend (w, report);
  draw_departments (w, report);
  draw_deadlines_and_ratings (w, report);

  foot = g_strdup_printf ("%s\n%s", ow_document_organ (w->info) != NULL
                                      ? ow_document_organ (w->info) : "", issued);
  w->y = MAX (w->y + 4 * OW_MM, w->page_height - w->margin_bottom - 14 * OW_MM);
  ow_writer_paragraph (w, foot, OW_SERIF, REPORT_SIZE, FALSE, PANGO_ALIGN_RIGHT, 0, 0);
  return TRUE;
}

GBytes *
ow_document_render_indicator_report (const OwStatistics   *statistics,
                                     const OwDocumentInfo *info,
                                     GError              **error)
{
  Report report = { statistics, };

  g_return_val_if_fail (statistics != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  if (!g_date_valid (&statistics->today))
    {
      g_set_error_literal (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
                           _("The indicator report needs the platform’s figures: refresh the "
                             "overview, then print again."));
      return NULL;
    }
  /* The targets of the year the period ends in. */
  report.year = (int) g_date_get_year (g_date_valid (&statistics->to) ? &statistics->to
                                                                      : &statistics->today);
  report.has_targets = ow_reform_get_targets (report.year, &report.availability_target,
                                              &report.usage_target, &report.at_least);
  return ow_document_render_pages ("“零跑动”改革指标报告", FALSE, info, 1, draw_report, &report,
                                   error);
}
