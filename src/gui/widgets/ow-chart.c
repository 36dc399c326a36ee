/* ow-chart.c — a bar chart drawn with cairo, with its numbers as a table beside it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "gui/widgets/ow-chart.h"

#define CHART_HEIGHT 120
#define MAX_LABELS 16

typedef struct
{
  char   *label;
  double  value;
  double  target;
} Bar;

struct _OwChart
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkWidget  *title_label;
  GtkWidget  *area;
  GtkWidget  *expander;
  GtkWidget  *table;

  char       *title;
  char       *label_header;
  char       *value_header;
  char       *target_header;
  gboolean    percent;
  double      target;
  char       *target_text;
  GArray     *bars;
  char       *summary;
};

G_DEFINE_FINAL_TYPE (OwChart, ow_chart, GTK_TYPE_WIDGET)

static void
bar_clear (gpointer data)
{
  Bar *bar = data;

  g_clear_pointer (&bar->label, g_free);
}

static char *
format_value (OwChart *self,
              double   value)
{
  if (value < 0)
    return g_strdup ("—");
  if (self->percent)
    return g_strdup_printf ("%.1f%%", value * 100.0);
  if (fabs (value - round (value)) < 1e-9)
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.1f", value);
}

static double
scale_top (OwChart *self)
{
  double top = 0;

  if (self->percent)
    return 1.0;
  for (guint i = 0; i < self->bars->len; i++)
    top = MAX (top, g_array_index (self->bars, Bar, i).value);
  top = MAX (top, self->target);
  if (top <= 0)
    return 1;
  /* Four steps of a round size up to the tallest bar: 1, 2 or 5 times a power of ten, whole
   * numbers at least (counts of cases have no fractions). */
  {
    double quarter = top / 4;
    double magnitude = pow (10, floor (log10 (quarter)));
    double steps[] = { 1, 2, 5, 10 };
    double step = 10 * magnitude;

    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      if (steps[i] * magnitude >= quarter)
        {
          step = steps[i] * magnitude;
          break;
        }
    return 4 * MAX (step, 1);
  }
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       width,
           gboolean     right)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, right ? x + width - w : x + (width - w) / 2, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  OwChart *self = OW_CHART (user_data);
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (area));
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 8");
  GdkRGBA fg, accent = { 0.21, 0.52, 0.89, 1 }, target_colour = { 0.80, 0.14, 0.11, 1 };
  double left = 44, bottom = height - 18, top_y = 14, plot_width, slot;
  double top = scale_top (self);
  guint n = self->bars->len;
  guint every;

  gtk_style_context_get_color (style, &fg);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  plot_width = MAX (width - left - 8, 10);
  slot = n > 0 ? plot_width / n : plot_width;
  every = n > MAX_LABELS ? (n + MAX_LABELS - 1) / MAX_LABELS : 1;
  /* Labels never overlap: every so many bars, as many as the widest needs. */
  {
    int widest = 0;

    for (guint i = 0; i < n; i++)
      {
        int w, h;

        pango_layout_set_text (layout, g_array_index (self->bars, Bar, i).label, -1);
        pango_layout_get_pixel_size (layout, &w, &h);
        widest = MAX (widest, w);
      }
    if (slot > 0)
      every = MAX (every, (guint) ceil ((widest + 8) / slot));
  }

  /* The axis: four steps up to the top. */
  cairo_set_line_width (cr, 1);
  for (int i = 0; i <= 4; i++)
    {
      double y = bottom - (bottom - top_y) * i / 4.0;
      g_autofree char *label = format_value (self, top * i / 4.0);

      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, i == 0 ? 0.5 : 0.15);
      cairo_move_to (cr, left, floor (y) + 0.5);
      cairo_line_to (cr, left + plot_width, floor (y) + 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      draw_text (cr, layout, label, 0, y - 6, left - 4, TRUE);
    }

  for (guint i = 0; i < n; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      double x = left + i * slot + slot * 0.15, w = MAX (slot * 0.7, 1);

      if (bar->value > 0)
        {
          double h = (bottom - top_y) * MIN (bar->value / top, 1.0);

          gdk_cairo_set_source_rgba (cr, &accent);
          cairo_rectangle (cr, x, bottom - h, w, h);
          cairo_fill (cr);
        }
      if (bar->target >= 0)
        {
          double y = bottom - (bottom - top_y) * MIN (bar->target / top, 1.0);

          gdk_cairo_set_source_rgba (cr, &target_colour);
          cairo_set_line_width (cr, 3);
          cairo_move_to (cr, x - 2, y);
          cairo_line_to (cr, x + w + 2, y);
          cairo_stroke (cr);
        }
      if (slot > 24 || n <= MAX_LABELS)
        {
          g_autofree char *value = format_value (self, bar->value);
          double h = bar->value > 0 ? (bottom - top_y) * MIN (bar->value / top, 1.0) : 0;

          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
          draw_text (cr, layout, value, left + i * slot, bottom - h - 13, slot, FALSE);
        }
      if (i % every == 0)
        {
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
          draw_text (cr, layout, bar->label, left + i * slot - slot, bottom + 3, slot * 3, FALSE);
        }
    }

  if (self->target >= 0)
    {
      const double dash[] = { 5, 3 };
      double y = bottom - (bottom - top_y) * MIN (self->target / top, 1.0);

      gdk_cairo_set_source_rgba (cr, &target_colour);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left + plot_width, y);
      cairo_stroke (cr);
    }
}

/* The table ------------------------------------------------------------------------------- */

static GtkWidget *
table_label (const char        *text,
             GtkAccessibleRole  role,
             gboolean           numeric)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "accessible-role", role, "label", text,
                                   "xalign", numeric ? 1.0 : 0.0, "selectable", FALSE, NULL);

  if (role == GTK_ACCESSIBLE_ROLE_COLUMN_HEADER)
    gtk_widget_add_css_class (label, "heading");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
rebuild_table (OwChart *self)
{
  GtkWidget *child;
  guint columns = self->target_header != NULL ? 3 : 2;

  while ((child = gtk_widget_get_first_child (self->table)) != NULL)
    gtk_grid_remove (GTK_GRID (self->table), child);
  gtk_grid_attach (GTK_GRID (self->table),
                   table_label (self->label_header, GTK_ACCESSIBLE_ROLE_COLUMN_HEADER, FALSE),
                   0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (self->table),
                   table_label (self->value_header, GTK_ACCESSIBLE_ROLE_COLUMN_HEADER, TRUE),
                   1, 0, 1, 1);
  if (columns == 3)
    gtk_grid_attach (GTK_GRID (self->table),
                     table_label (self->target_header, GTK_ACCESSIBLE_ROLE_COLUMN_HEADER, TRUE),
                     2, 0, 1, 1);
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autofree char *value = format_value (self, bar->value);

      gtk_grid_attach (GTK_GRID (self->table),
                       table_label (bar->label, GTK_ACCESSIBLE_ROLE_CELL, FALSE), 0, i + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (self->table),
                       table_label (value, GTK_ACCESSIBLE_ROLE_CELL, TRUE), 1, i + 1, 1, 1);
      if (columns == 3)
        {
          g_autofree char *target = format_value (self, bar->target);

          gtk_grid_attach (GTK_GRID (self->table),
                           table_label (target, GTK_ACCESSIBLE_ROLE_CELL, TRUE), 2, i + 1, 1, 1);
        }
    }
}

static void
rebuild_summary (OwChart *self)
{
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  double min = G_MAXDOUBLE, max = -1;
  const char *max_label = NULL;
  guint values = 0;

  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);

      if (bar->value < 0)
        continue;
      values++;
      min = MIN (min, bar->value);
      if (bar->value > max)
        {
          max = bar->value;
          max_label = bar->label;
        }
    }
  g_free (self->summary);
  if (values == 0)
    self->summary = g_strdup (_("No figures for this period"));
  else
    {
      low = format_value (self, min);
      high = format_value (self, max);
      /* Translators: a chart's summary for screen readers: bars, smallest and largest value, and
       * where the largest is */
      self->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%u bar, from %s to %s, the highest %s",
                                                    "%u bars, from %s to %s, the highest %s",
                                                    self->bars->len),
                                       self->bars->len, low, high,
                                       max_label != NULL ? max_label : "");
    }
  if (self->target >= 0 && self->target_text != NULL)
    {
      char *with_target = g_strconcat (self->summary, "; ", self->target_text, NULL);

      g_free (self->summary);
      self->summary = with_target;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);
}

/* GObject --------------------------------------------------------------------------------- */

static void
ow_chart_dispose (GObject *object)
{
  OwChart *self = OW_CHART (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (ow_chart_parent_class)->dispose (object);
}

static void
ow_chart_finalize (GObject *object)
{
  OwChart *self = OW_CHART (object);

  g_free (self->title);
  g_free (self->label_header);
  g_free (self->value_header);
  g_free (self->target_header);
  g_free (self->target_text);
  g_free (self->summary);
  g_array_unref (self->bars);
  G_OBJECT_CLASS (ow_chart_parent_class)->finalize (object);
}

static void
ow_chart_class_init (OwChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_chart_dispose;
  object_class->finalize = ow_chart_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "owchart");
}

static void
ow_chart_init (OwChart *self)
{
  GtkWidget *scrolled;

  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, bar_clear);
  self->target = -1;
  self->label_header = g_strdup (_("Label"));
  self->value_header = g_strdup (_("Value"));

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->title_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_widget_add_css_class (self->title_label, "heading");
  gtk_box_append (GTK_BOX (self->box), self->title_label);

  /* To a screen reader an image, named by the title and described by the summary. */
  self->area = g_object_new (GTK_TYPE_DRAWING_AREA, "accessible-role", GTK_ACCESSIBLE_ROLE_IMG,
                             "content-height", CHART_HEIGHT, "hexpand", TRUE, NULL);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->area), draw_cb, self, NULL);
  gtk_box_append (GTK_BOX (self->box), self->area);

  self->table = g_object_new (GTK_TYPE_GRID, "accessible-role", GTK_ACCESSIBLE_ROLE_TABLE,
                              "row-spacing", 2, "column-spacing", 24, "margin-start", 12,
                              "margin-top", 4, NULL);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->table);
  self->expander = gtk_expander_new_with_mnemonic (_("Show the _numbers"));
  gtk_expander_set_child (GTK_EXPANDER (self->expander), scrolled);
  gtk_box_append (GTK_BOX (self->box), self->expander);
  ow_chart_done (self);
}

GtkWidget *
ow_chart_new (void)
{
  return g_object_new (OW_TYPE_CHART, NULL);
}

void
ow_chart_set_title (OwChart    *self,
                    const char *title)
{
  g_autofree char *numbers = NULL;

  g_return_if_fail (OW_IS_CHART (self));
  g_free (self->title);
  self->title = g_strdup (title);
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  /* Translators: %s is a chart's title; the table holds its numbers */
  numbers = g_strdup_printf (_("Numbers of %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->table), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  numbers, -1);
}

const char *
ow_chart_get_title (OwChart *self)
{
  g_return_val_if_fail (OW_IS_CHART (self), NULL);
  return self->title;
}

void
ow_chart_set_headers (OwChart    *self,
                      const char *label_header,
                      const char *value_header,
                      const char *target_header)
{
  g_return_if_fail (OW_IS_CHART (self));
  g_free (self->label_header);
  g_free (self->value_header);
  g_free (self->target_header);
  self->label_header = g_strdup (label_header);
  self->value_header = g_strdup (value_header);
  self->target_header = g_strdup (target_header);
}

void
ow_chart_set_percent (OwChart  *self,
                      gboolean  percent)
{
  g_return_if_fail (OW_IS_CHART (self));
  self->percent = percent;
}

void
ow_chart_set_target (OwChart    *self,
                     double      target,
                     const char *text)
{
  g_return_if_fail (OW_IS_CHART (self));
  self->target = target;
  g_free (self->target_text);
  self->target_text = g_strdup (text);
}

void
ow_chart_clear (OwChart *self)
{
  g_return_if_fail (OW_IS_CHART (self));
  g_array_set_size (self->bars, 0);
}

void
ow_chart_add (OwChart    *self,
              const char *label,
              double      value,
              double      target)
{
  Bar bar = { g_strdup (label != NULL ? label : ""), value, target };

  g_return_if_fail (OW_IS_CHART (self));
  g_array_append_val (self->bars, bar);
}

void
ow_chart_done (OwChart *self)
{
  g_return_if_fail (OW_IS_CHART (self));
  rebuild_table (self);
  rebuild_summary (self);
  gtk_widget_queue_draw (self->area);
}

guint
ow_chart_get_n_bars (OwChart *self)
{
  g_return_val_if_fail (OW_IS_CHART (self), 0);
  return self->bars->len;
}

const char *
ow_chart_get_summary (OwChart *self)
{
  g_return_val_if_fail (OW_IS_CHART (self), NULL);
  return self->summary;
}
