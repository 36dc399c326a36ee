/* ow-overview-page.c — the hall supervisor's overview: queues, deadlines, ratings, indicators
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A period, the figures' age (and, offline, that they are the last ones kept), four sections in
 * a sidebar, and exports of the section shown: its tables as a workbook or CSV, and the reform's
 * one-page report as PDF or on the printer. Its actions ("overview.…") and their shortcuts are
 * the page's own: the window shows them only with the overview.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-clock.h"
#include "documents/ow-document.h"
#include "documents/ow-spreadsheet.h"
#include "gui/supervisor/ow-overview-page.h"
#include "gui/supervisor/ow-overview-private.h"

struct _OwOverviewPage
{
  AdwBin parent_instance;

  /* template */
  GtkDropDown *period_dropdown;
  GtkSpinner *spinner;
  GtkLabel *age_label;
  GtkMenuButton *export_button;
  GtkRevealer *stale_revealer;
  GtkLabel *stale_label;
  GtkStack *section_stack;
  OwOverviewQueues *queues;
  OwOverviewDeadlines *deadlines;
  OwOverviewRatings *ratings;
  OwOverviewIndicators *indicators;

  OwContext *context;
  OwOverviewData *data;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (OwOverviewPage, ow_overview_page, ADW_TYPE_BIN)

static const OwOverviewPeriod periods[] = {
  OW_OVERVIEW_PERIOD_TODAY, OW_OVERVIEW_PERIOD_THIS_WEEK, OW_OVERVIEW_PERIOD_THIS_MONTH,
  OW_OVERVIEW_PERIOD_LAST_MONTH, OW_OVERVIEW_PERIOD_LAST_30_DAYS, OW_OVERVIEW_PERIOD_THIS_YEAR,
  OW_OVERVIEW_PERIOD_ALL,
};

static const struct
{
  const char *name;
  const char *chinese;
} sections[] = {
  { "queues", "办件队列" },
  { "deadlines", "办理时限" },
  { "ratings", "好差评" },
  { "indicators", "改革指标" },
};

/* Helpers the sections share (ow-overview-private.h) --------------------------------------- */

char *
ow_overview_format_share (double share)
{
  if (share < 0)
    return g_strdup ("—");
  return g_strdup_printf ("%.1f%%", share * 100.0);
}

char *
ow_overview_format_day (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return g_strdup ("");
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

gboolean
ow_overview_parse_day (const char *text,
                       GDate      *date)
{
  guint y, m, d;

  g_date_clear (date, 1);
  if (text == NULL || strlen (text) != 10 || sscanf (text, "%4u-%2u-%2u", &y, &m, &d) != 3 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

void
ow_overview_fill_days_chart (OwChart     *chart,
                             GPtrArray   *groups,
                             const GDate *from,
                             const GDate *to)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GDate day;

  ow_chart_clear (chart);
  for (guint i = 0; groups != NULL && i < groups->len; i++)
    {
      OwStatGroup *group = g_ptr_array_index (groups, i);

      g_hash_table_insert (counts, group->key, group);
    }
  if (from == NULL || to == NULL || !g_date_valid (from) || !g_date_valid (to))
    {
      ow_chart_done (chart);
      return;
    }
  day = *from;
  /* At most the last two months of days: a year is a chart of nothing but thin lines. */
  if (g_date_days_between (&day, to) > 61)
    {
      day = *to;
      g_date_subtract_days (&day, 61);
    }
  for (; g_date_compare (&day, to) <= 0; g_date_add_days (&day, 1))
    {
      g_autofree char *key = ow_overview_format_day (&day);
      g_autofree char *label = g_strdup_printf ("%02u-%02u", g_date_get_month (&day),
                                                g_date_get_day (&day));
      OwStatGroup *group = g_hash_table_lookup (counts, key);

      ow_chart_add (chart, label, group != NULL ? (double) group->count : 0, -1);
    }
  ow_chart_done (chart);
}

static const struct
{
  const char *label;
  const char *value;
} sorts[] = {
  { N_("Newest first"), "-received" },
  { N_("Oldest first"), "received" },
  { N_("Promised soonest"), "promised" },
  { N_("Promised latest"), "-promised" },
};

GListModel *
ow_overview_sort_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    gtk_string_list_append (list, _(sorts[i].label));
  return G_LIST_MODEL (list);
}

const char *
ow_overview_sort_value (guint position)
{
  return position < G_N_ELEMENTS (sorts) ? sorts[position].value : sorts[0].value;
}

void
ow_overview_toast (GtkWidget  *widget,
                   const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

/* The figures' age ------------------------------------------------------------------------- */

static void
update_age (OwOverviewPage *self)
{
  OwAnswerAge age = { 0, };
  OwStatistics *statistics = self->data != NULL ? ow_overview_data_get_statistics (self->data, &age)
                                                : NULL;
  const GError *error = self->data != NULL ? ow_overview_data_get_error (self->data) : NULL;
  g_autofree char *text = NULL;

  if (statistics != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (age.fetched_at / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (when, ow_hall_time_zone ());
      g_autofree char *time = g_date_time_format (local, "%Y-%m-%d %H:%M");
      g_autofree char *today = ow_overview_format_day (&statistics->today);

      /* Translators: when the figures were fetched, and the platform's day they count from */
      text = g_strdup_printf (_("Figures of %s, counted for %s"), time, today);
      if (age.stale)
        {
          g_autofree char *stale = NULL;

          /* Translators: %s is when the figures kept were fetched */
          stale = g_strdup_printf (_("The platform cannot be reached. These are the figures kept "
                                     "from %s; they may have changed since."), time);
          gtk_label_set_text (self->stale_label, stale);
        }
    }
  else if (error != NULL)
    {
      /* Translators: %s says why the platform did not answer */
      text = g_strdup_printf (_("No figures: %s"), error->message);
      gtk_label_set_text (self->stale_label, text);
    }
  gtk_label_set_text (self->age_label, text != NULL ? text : "");
  gtk_revealer_set_reveal_child (self->stale_revealer,
                                 (statistics != NULL && age.stale) ||
                                 (statistics == NULL && error != NULL));
}

static void
statistics_changed_cb (OwOverviewPage *self)
{
  update_age (self);
}

static void
loading_changed_cb (OwOverviewPage *self)
{
  gboolean loading = ow_overview_data_get_loading (self->data);

  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
}

/* Refreshing ------------------------------------------------------------------------------- */

static void
reload_sections (OwOverviewPage *self)
{
  ow_overview_queues_reload (self->queues);
  ow_overview_deadlines_reload (self->deadlines);
  ow_overview_ratings_reload (self->ratings);
}

void
ow_overview_page_refresh (OwOverviewPage *self)
{
  g_return_if_fail (OW_IS_OVERVIEW_PAGE (self));
  if (self->data == NULL)
    return;
  ow_overview_data_refresh (self->data);
  reload_sections (self);
}

static void
period_changed_cb (OwOverviewPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->period_dropdown);

  if (self->filling || self->data == NULL || selected >= G_N_ELEMENTS (periods))
    return;
  ow_overview_data_set_period (self->data, periods[selected]);
  ow_overview_page_refresh (self);
}

/* Exports ---------------------------------------------------------------------------------- */

typedef struct
{
  OwOverviewExport  format;
  GFile            *file;
  GPtrArray        *tables;       /* XLSX, CSV */
  OwStatistics     *statistics;   /* REPORT: a copy through its serialized form */
  char             *title;
  char             *hall_name;
} Export;

static void
export_free (Export *export)
{
  g_clear_object (&export->file);
  g_clear_pointer (&export->tables, g_ptr_array_unref);
  g_clear_pointer (&export->statistics, ow_statistics_free);
  g_free (export->title);
  g_free (export->hall_name);
  g_free (export);
}

static GBytes *
render_report (Export  *export,
               GError **error)
{
  g_autoptr(GDateTime) now = ow_hall_now ();
  OwDocumentInfo info;

  ow_document_info_init (&info);
  info.hall_name = export->hall_name;
  info.organ_name = export->hall_name;
  info.issued = now;
  return ow_document_render_indicator_report (export->statistics, &info, error);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *export = task_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = g_file_get_path (export->file);
  GError *error = NULL;

  switch (export->format)
    {
    case OW_OVERVIEW_EXPORT_XLSX:
      if (path == NULL)
        {
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("A spreadsheet can only be saved in a local folder"));
          break;
        }
      ow_spreadsheet_write_xlsx (export->tables, export->title, path, &error);
      break;
    case OW_OVERVIEW_EXPORT_CSV:
      bytes = ow_spreadsheet_to_csv (export->tables);
      break;
    case OW_OVERVIEW_EXPORT_REPORT:
    default:
      bytes = render_report (export, &error);
      break;
    }
  if (error == NULL && bytes != NULL)
    g_file_replace_contents (export->file, g_bytes_get_data (bytes, NULL),
                             g_bytes_get_size (bytes), NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                             cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static OwStatistics *
copy_statistics (OwStatistics *statistics)
{
  g_autoptr(GVariant) variant = ow_statistics_serialize (statistics);

  /* Through its stored form: the worker owns a copy the page may replace meanwhile. */
  return ow_statistics_deserialize (variant, NULL);
}

void
ow_overview_page_export_async (OwOverviewPage      *self,
                               OwOverviewExport     format,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *section = gtk_stack_get_visible_child_name (self->section_stack);
  const OwUser *user = self->context != NULL ? ow_context_get_user (self->context) : NULL;
  OwStatistics *statistics = self->data != NULL ? ow_overview_data_get_statistics (self->data,
                                                                                   NULL)
                                                : NULL;
  Export *export;

  g_return_if_fail (OW_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_overview_page_export_async);
  export = g_new0 (Export, 1);
  export->format = format;
  export->file = g_object_ref (file);
  export->hall_name = g_strdup (user != NULL ? user->hall_name : NULL);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);

  if (format == OW_OVERVIEW_EXPORT_REPORT)
    {
      if (statistics == NULL)
        {
          g_task_return_new_error (task, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE,
                                   _("The indicator report needs the platform’s figures: "
                                     "refresh the overview, then try again."));
          return;
        }
      export->statistics = copy_statistics (statistics);
    }
  else
    {
      export->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_table_unref);
      if (g_strcmp0 (section, "queues") == 0)
        ow_overview_queues_add_tables (self->queues, export->tables);
      else if (g_strcmp0 (section, "deadlines") == 0)
        ow_overview_deadlines_add_tables (self->deadlines, export->tables);
      else if (g_strcmp0 (section, "ratings") == 0)
        ow_overview_ratings_add_tables (self->ratings, export->tables);
      else
        ow_overview_indicators_add_tables (self->indicators, export->tables);
      for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
        if (g_strcmp0 (section, sections[i].name) == 0)
          export->title = g_strdup_printf ("%s — %s", user != NULL ? user->hall_name : "",
                                           sections[i].chinese);
    }
  g_task_run_in_thread (task, export_thread);
}

gboolean
ow_overview_page_export_finish (OwOverviewPage  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_overview_page_export_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  OwOverviewPage *self = OW_OVERVIEW_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (!ow_overview_page_export_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: a file's name, and why it could not be saved */
      message = g_strdup_printf (_("%s could not be saved: %s"), name, error->message);
    }
  else
    /* Translators: %s is the name of the file saved */
    message = g_strdup_printf (_("Saved %s"), name);
  ow_overview_toast (GTK_WIDGET (self), message);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     OwOverviewPage  *self)
{
  OwOverviewExport format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog),
                                                                 "ow-format"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (file);
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL && self->context != NULL)
        g_settings_set_string (ow_context_get_settings (self->context), "export-folder", path);
      ow_overview_page_export_async (self, format, file, self->cancellable, exported_cb,
                                     g_object_ref (file));
    }
  g_clear_object (&self->chooser);
}

static void
choose_file (OwOverviewPage   *self,
             OwOverviewExport  format)
{
  static const char * const extensions[] = { "xlsx", "csv", "pdf" };
  const char *section = gtk_stack_get_visible_child_name (self->section_stack);
  const char *chinese = "总览";
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *today = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GDate day;

  if (self->data == NULL || self->chooser != NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    if (g_strcmp0 (section, sections[i].name) == 0)
      chinese = sections[i].chinese;
  ow_overview_data_get_today (self->data, &day);
  today = ow_overview_format_day (&day);
  name = format == OW_OVERVIEW_EXPORT_REPORT
           ? g_strdup_printf ("零跑动改革指标报告-%s.pdf", today)
           : g_strdup_printf ("%s-%s.%s", chinese, today, extensions[format]);
  self->chooser = gtk_file_chooser_native_new (format == OW_OVERVIEW_EXPORT_REPORT
                                                 ? _("Save the Indicator Report")
                                                 : _("Export What Is Shown"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  folder = g_settings_get_string (ow_context_get_settings (self->context), "export-folder");
  if (*folder == '\0')
    {
      g_free (folder);
      folder = g_strdup (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS));
    }
  if (folder != NULL && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) directory = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), directory, NULL);
    }
  g_object_set_data (G_OBJECT (self->chooser), "ow-format", GUINT_TO_POINTER (format));
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
report_printed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OwOverviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (ow_printer_print_finish (OW_PRINTER (source), result, &error) > 0)
    message = g_strdup (_("The indicator report was printed"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    message = g_strdup_printf (_("The indicator report could not be printed: %s"),
                               error->message);
  if (message != NULL)
    ow_overview_toast (GTK_WIDGET (self), message);
}

static void
report_rendered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  OwOverviewPage *self = OW_OVERVIEW_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);

  if (pdf == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The indicator report could not be made: %s"),
                                 error->message);
      ow_overview_toast (GTK_WIDGET (self), message);
      return;
    }
  ow_printer_print_async (ow_context_get_printer (self->context),
                          ow_context_get_printer_name (self->context), "“零跑动”改革指标报告",
                          pdf, 1, self->cancellable, report_printed_cb, g_object_ref (self));
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *pdf = render_report (task_data, &error);

  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

/* Actions ---------------------------------------------------------------------------------- */

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ow_overview_page_refresh (OW_OVERVIEW_PAGE (widget));
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwOverviewPage *self = OW_OVERVIEW_PAGE (widget);

  if (g_str_equal (action_name, "overview.export-xlsx"))
    choose_file (self, OW_OVERVIEW_EXPORT_XLSX);
  else if (g_str_equal (action_name, "overview.export-csv"))
    choose_file (self, OW_OVERVIEW_EXPORT_CSV);
  else
    choose_file (self, OW_OVERVIEW_EXPORT_REPORT);
}

static void
print_report_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  OwOverviewPage *self = OW_OVERVIEW_PAGE (widget);
  OwStatistics *statistics = self->data != NULL ? ow_overview_data_get_statistics (self->data,
                                                                                   NULL)
                                                : NULL;
  const OwUser *user = self->context != NULL ? ow_context_get_user (self->context) : NULL;
  g_autoptr(GTask) task = NULL;
  Export *export;

  if (statistics == NULL || user == NULL)
    {
      ow_overview_toast (widget, _("The indicator report needs the platform’s figures: refresh "
                                   "the overview, then try again."));
      return;
    }
  task = g_task_new (self, self->cancellable, report_rendered_cb, NULL);
  export = g_new0 (Export, 1);
  export->format = OW_OVERVIEW_EXPORT_REPORT;
  export->statistics = copy_statistics (statistics);
  export->hall_name = g_strdup (user->hall_name);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, render_thread);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwOverviewPage *self = OW_OVERVIEW_PAGE (widget);

  gtk_stack_set_visible_child_name (self->section_stack, "queues");
  ow_overview_queues_focus_search (self->queues);
}

static void
section_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ow_overview_page_set_section (OW_OVERVIEW_PAGE (widget), g_variant_get_string (parameter, NULL));
}

/* GObject ---------------------------------------------------------------------------------- */

static void
ow_overview_page_dispose (GObject *object)
{
  OwOverviewPage *self = OW_OVERVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_OVERVIEW_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->data);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (ow_overview_page_parent_class)->dispose (object);
}

static void
ow_overview_page_class_init (OwOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = ow_overview_page_dispose;

  g_type_ensure (OW_TYPE_OVERVIEW_QUEUES);
  g_type_ensure (OW_TYPE_OVERVIEW_DEADLINES);
  g_type_ensure (OW_TYPE_OVERVIEW_RATINGS);
  g_type_ensure (OW_TYPE_OVERVIEW_INDICATORS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/supervisor/"
                                               "ow-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, age_label);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, stale_revealer);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, stale_label);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, section_stack);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, queues);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, deadlines);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, ratings);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewPage, indicators);
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);

  gtk_widget_class_install_action (widget_class, "overview.refresh", NULL, refresh_activated);
  gtk_widget_class_install_action (widget_class, "overview.export-xlsx", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "overview.export-csv", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "overview.save-report", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "overview.print-report", NULL,
                                   print_report_activated);
  gtk_widget_class_install_action (widget_class, "overview.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "overview.section", "s", section_activated);
}

/* The page's shortcuts work wherever the focus is in the window while the page is shown (a
 * global controller's shortcuts fire only while its widget is mapped), not only once the focus
 * is inside it: after logging in or choosing the workspace the focus is on the switcher. */
static void
add_shortcut (GtkShortcutController *controller,
              guint                  keyval,
              GdkModifierType        modifiers,
              const char            *action,
              GVariant              *arguments)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                            gtk_named_action_new (action));

  if (arguments != NULL)
    gtk_shortcut_set_arguments (shortcut, arguments);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
add_shortcuts (OwOverviewPage *self)
{
  static const char * const section_keys[] = { "queues", "deadlines", "ratings", "indicators" };
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcut (shortcuts, GDK_KEY_F5, 0, "overview.refresh", NULL);
  add_shortcut (shortcuts, GDK_KEY_e, GDK_CONTROL_MASK, "overview.export-xlsx", NULL);
  add_shortcut (shortcuts, GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "overview.export-csv",
                NULL);
  add_shortcut (shortcuts, GDK_KEY_p, GDK_CONTROL_MASK, "overview.print-report", NULL);
  add_shortcut (shortcuts, GDK_KEY_f, GDK_CONTROL_MASK, "overview.search", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (section_keys); i++)
    add_shortcut (shortcuts, GDK_KEY_1 + i, GDK_ALT_MASK, "overview.section",
                  g_variant_new_string (section_keys[i]));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
ow_overview_page_init (OwOverviewPage *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    gtk_string_list_append (labels, ow_overview_period_to_label (periods[i]));
  gtk_drop_down_set_model (self->period_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->period_dropdown, 2);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  add_shortcuts (self);
  self->filling = FALSE;
}

/* Public ----------------------------------------------------------------------------------- */

void
ow_overview_page_set_context (OwOverviewPage *self,
                              OwContext      *context)
{
  g_return_if_fail (OW_IS_OVERVIEW_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->data != NULL)
    g_signal_handlers_disconnect_by_data (self->data, self);
  g_clear_object (&self->data);
  g_set_object (&self->context, context);
  if (context != NULL && ow_context_get_user (context) != NULL)
    {
      self->data = ow_overview_data_new (context);
      ow_overview_data_set_period (self->data, periods[MIN (gtk_drop_down_get_selected (
                                                              self->period_dropdown),
                                                            G_N_ELEMENTS (periods) - 1)]);
      g_signal_connect_object (self->data, "statistics-changed",
                               G_CALLBACK (statistics_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->data, "notify::loading", G_CALLBACK (loading_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->data, "range-changed", G_CALLBACK (ow_overview_page_refresh),
                               self, G_CONNECT_SWAPPED);
    }
  ow_overview_queues_set_data (self->queues, self->data);
  ow_overview_deadlines_set_data (self->deadlines, self->data);
  ow_overview_ratings_set_data (self->ratings, self->data);
  ow_overview_indicators_set_data (self->indicators, self->data);
  update_age (self);
  if (self->data != NULL)
    ow_overview_page_refresh (self);
}

OwOverviewData *
ow_overview_page_get_data (OwOverviewPage *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_PAGE (self), NULL);
  return self->data;
}

const char *
ow_overview_page_get_section (OwOverviewPage *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->section_stack);
}

void
ow_overview_page_set_section (OwOverviewPage *self,
                              const char     *name)
{
  g_return_if_fail (OW_IS_OVERVIEW_PAGE (self));
  if (gtk_stack_get_child_by_name (self->section_stack, name) != NULL)
    gtk_stack_set_visible_child_name (self->section_stack, name);
}
