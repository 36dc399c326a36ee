/* ow-overview-case-list.c — a list of the platform's cases, page by page, sortable
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The platform sorts (the `sort` of GET /api/v1/cases, with a cursor of that order), so the
 * order holds across pages; the list offers the orders the platform has. GTK 4.8's column view
 * cannot tell which header was clicked, so the order is a drop-down of the page that holds the
 * list, not the headers.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "gui/cases/ow-case-view.h"
#include "gui/supervisor/ow-overview-case-list.h"

#define PAGE_SIZE "50"

struct _OwOverviewCaseList
{
  AdwBin parent_instance;

  /* template */
  GtkLabel *count_label;
  GtkStack *list_stack;
  GtkColumnView *column_view;
  GtkSpinner *spinner;
  AdwStatusPage *error_page;
  GtkButton *more_button;

  OwOverviewData *data;
  GListStore *cases;
  GtkSingleSelection *selection;
  char **filters;
  char *sort;
  char *next;
  gint64 total;
  gboolean loaded;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OwOverviewCaseList, ow_overview_case_list, ADW_TYPE_BIN)

typedef enum
{
  COLUMN_CASE_NO,
  COLUMN_ITEM,
  COLUMN_APPLICANT,
  COLUMN_CLERK,
  COLUMN_RECEIVED,
  COLUMN_PROMISED,
  COLUMN_DAYS,
  COLUMN_STATE,
  COLUMN_CHANNEL,
} Column;

static const struct
{
  const char *title;
  const char *chinese;
  gboolean    expand;
} columns[] = {
  [COLUMN_CASE_NO]   = { N_("Case Number"), "办件编号", FALSE },
  [COLUMN_ITEM]      = { N_("Item"), "事项", TRUE },
  [COLUMN_APPLICANT] = { N_("Applicant"), "申请人", FALSE },
  [COLUMN_CLERK]     = { N_("Clerk"), "受理人", FALSE },
  [COLUMN_RECEIVED]  = { N_("Received on"), "收件日期", FALSE },
  [COLUMN_PROMISED]  = { N_("Promised"), "承诺办结日期", FALSE },
  [COLUMN_DAYS]      = { N_("Working Days"), "剩余工作日（负数为超期）", FALSE },
  [COLUMN_STATE]     = { N_("State"), "状态", FALSE },
  [COLUMN_CHANNEL]   = { N_("Channel"), "申请渠道", FALSE },
};

static void list_page (OwOverviewCaseList *self,
                       gboolean            more);

/* What a cell says ------------------------------------------------------------------------ */

static void
received_day (OwCase *kase,
              GDate  *day)
{
  GDateTime *received = ow_case_get_received_at (kase);

  g_date_clear (day, 1);
  if (received != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (received, ow_hall_time_zone ());

      g_date_set_dmy (day, (GDateDay) g_date_time_get_day_of_month (local),
                      (GDateMonth) g_date_time_get_month (local),
                      (GDateYear) g_date_time_get_year (local));
    }
}

static char *
format_day (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return g_strdup ("—");
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static char *
item_text (OwCase *kase)
{
  GPtrArray *items = ow_case_get_items (kase);
  const OwCaseItem *first = items->len > 0 ? g_ptr_array_index (items, 0) : NULL;

  if (first == NULL)
    return g_strdup (_("A case without items"));
  if (items->len == 1)
    return g_strdup (first->name);
  /* Translators: an item's name, then how many more the case has */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u more", "%s and %u more",
                                       items->len - 1), first->name, items->len - 1);
}

/* "3 late", "2 left", "Due today"; the clock stopped or the case decided says so. */
static char *
days_text (OwOverviewCaseList *self,
           OwCase             *kase,
           gboolean           *late)
{
  int left;

  *late = FALSE;
  if (!ow_case_state_clock_runs (ow_case_get_state (kase)))
    {
      OwCaseState state = ow_case_get_state (kase);

      if (state == OW_CASE_STATE_SUPPLEMENT_REQUESTED || state == OW_CASE_STATE_SUSPENDED)
        return g_strdup (_("Clock stopped"));
      return g_strdup ("—");
    }
  if (self->data == NULL ||
      !ow_overview_data_days_left (self->data, ow_case_get_promised_date (kase), &left))
    return g_strdup ("—");
  if (left < 0)
    {
      *late = TRUE;
      /* Translators: in the column "Working Days": working days past the promised date. Short,
       * so that the column is read whole beside eight others. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d late", "%d late", -left), -left);
    }
  if (left == 0)
    return g_strdup (_("Due today"));
  /* Translators: in the column "Working Days": working days until the promised date */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d left", "%d left", left), left);
}

static char *
cell_text (OwOverviewCaseList *self,
           OwCase             *kase,
           Column              column,
           gboolean           *late)
{
  const OwApplicant *applicant = ow_case_get_applicant (kase);
  GDate day;

  *late = FALSE;
  switch (column)
    {
    case COLUMN_CASE_NO:
      return g_strdup (ow_case_get_case_no (kase));
    case COLUMN_ITEM:
      return item_text (kase);
    case COLUMN_APPLICANT:
      return g_strdup (applicant != NULL && applicant->name != NULL ? applicant->name : "—");
    case COLUMN_CLERK:
      return g_strdup (self->data != NULL
                       ? ow_overview_data_lookup_name (self->data, ow_case_get_clerk (kase))
                       : ow_case_get_clerk (kase));
    case COLUMN_RECEIVED:
      received_day (kase, &day);
      return format_day (&day);
    case COLUMN_PROMISED:
      return format_day (ow_case_get_promised_date (kase));
    case COLUMN_DAYS:
      return days_text (self, kase, late);
    case COLUMN_STATE:
      return g_strdup (ow_case_state_to_label (ow_case_get_state (kase)));
    case COLUMN_CHANNEL:
    default:
      return g_strdup (ow_case_channel_to_label (ow_case_get_channel (kase) != OW_CASE_CHANNEL_NONE
                                                   ? ow_case_get_channel (kase)
                                                   : OW_CASE_CHANNEL_WINDOW));
    }
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "ow-column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* The case number whole, always: it is what the supervisor reads out and looks up. */
  gtk_label_set_ellipsize (GTK_LABEL (label), column == COLUMN_CASE_NO ? PANGO_ELLIPSIZE_NONE
                                                                       : PANGO_ELLIPSIZE_END);
  if (column == COLUMN_CASE_NO)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              OwOverviewCaseList       *self)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "ow-column"));
  OwCase *kase = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  gboolean late;

  text = cell_text (self, kase, column, &late);
  gtk_label_set_text (GTK_LABEL (label), text);
  /* What an ellipsis cut off, on hovering. */
  gtk_widget_set_tooltip_text (label, column == COLUMN_CASE_NO ? NULL : text);
  if (late)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
  if (column == COLUMN_CASE_NO)
    gtk_widget_add_css_class (label, "monospace");
}

/* Loading ---------------------------------------------------------------------------------- */

static void
update_count (OwOverviewCaseList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->cases));
  g_autofree char *text = NULL;

  if (!self->loaded && n == 0)
    text = g_strdup ("");
  else if (self->total >= 0)
    /* Translators: cases listed so far, of how many the list holds */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %lld case shown",
                                         "%u of %lld cases shown", (gulong) self->total),
                            n, (long long) self->total);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case shown", "%u cases shown", n),
                            n);
  gtk_label_set_text (self->count_label, text);
}

static void
cases_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OwOverviewCaseList *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCasePage) page = NULL;
  OwAnswerAge age;

  page = ow_overview_data_list_cases_finish (OW_OVERVIEW_DATA (source), result, &age, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OW_OVERVIEW_CASE_LIST (user_data);
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->more_button), TRUE);
  self->loaded = TRUE;

  if (page == NULL)
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->cases)) == 0)
        {
          adw_status_page_set_description (self->error_page, error->message);
          gtk_stack_set_visible_child_name (self->list_stack, "error");
        }
      else
        {
          GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
          g_autofree char *message = g_strdup_printf (_("No more cases could be listed: %s"),
                                                      error->message);

          if (overlay != NULL)
            adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
        }
      update_count (self);
      return;
    }

  for (guint i = 0; i < page->cases->len; i++)
    g_list_store_append (self->cases, g_ptr_array_index (page->cases, i));
  if (page->total >= 0)
    self->total = page->total;
  g_free (self->next);
  self->next = g_strdup (page->next);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->next != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case-list.more", self->next != NULL);
  gtk_stack_set_visible_child_name (self->list_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->cases)) > 0
                                      ? "list" : "empty");
  update_count (self);
}

static void
list_page (OwOverviewCaseList *self,
           gboolean            more)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new ();

  if (self->data == NULL ||
      ow_context_get_user (ow_overview_data_get_context (self->data)) == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; self->filters != NULL && self->filters[i] != NULL; i += 2)
    if (self->filters[i + 1] != NULL && *self->filters[i + 1] != '\0')
      {
        g_ptr_array_add (params, self->filters[i]);
        g_ptr_array_add (params, self->filters[i + 1]);
      }
  g_ptr_array_add (params, (char *) "limit");
  g_ptr_array_add (params, (char *) PAGE_SIZE);
  g_ptr_array_add (params, (char *) "sort");
  g_ptr_array_add (params, self->sort);
  if (more)
    {
      g_ptr_array_add (params, (char *) "after");
      g_ptr_array_add (params, self->next);
      self->loaded = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self->more_button), FALSE);
    }
  else
    {
      g_ptr_array_add (params, (char *) "count");
      g_ptr_array_add (params, (char *) "true");
      self->loaded = FALSE;
      self->total = -1;
      g_list_store_remove_all (self->cases);
      g_clear_pointer (&self->next, g_free);
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
      update_count (self);
    }
  g_ptr_array_add (params, NULL);
  ow_overview_data_list_cases_async (self->data, (const char * const *) params->pdata,
                                     self->cancellable, cases_listed_cb, self);
}

/* Opening a case --------------------------------------------------------------------------- */

void
ow_overview_case_list_open (OwOverviewCaseList *self,
                            guint               position)
{
  g_autoptr(OwCase) kase = NULL;
  GtkWidget *window, *toolbar, *header, *view;
  GtkRoot *root;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (OW_IS_OVERVIEW_CASE_LIST (self));
  if ((kase = g_list_model_get_item (G_LIST_MODEL (self->cases), position)) == NULL ||
      self->data == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  /* Translators: %s is a case number */
  number = ow_case_number_format (ow_case_get_case_no (kase));
  title = g_strdup_printf (_("Case %s"), number);
  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 640);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (toolbar), header);
  view = g_object_new (OW_TYPE_CASE_VIEW, "vexpand", TRUE, NULL);
  ow_case_view_set_context (OW_CASE_VIEW (view), ow_overview_data_get_context (self->data));
  ow_case_view_show_case (OW_CASE_VIEW (view), kase);
  gtk_box_append (GTK_BOX (toolbar), view);
  adw_window_set_content (ADW_WINDOW (window), toolbar);
  {
    /* Escape closes it, as every dialog. */
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (window, keys);
  }
  gtk_window_present (GTK_WINDOW (window));
}

static void
row_activated_cb (OwOverviewCaseList *self,
                  guint               position)
{
  ow_overview_case_list_open (self, position);
}

static void
reload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  list_page (OW_OVERVIEW_CASE_LIST (widget), FALSE);
}

static void
more_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ow_overview_case_list_more (OW_OVERVIEW_CASE_LIST (widget));
}

/* GObject ---------------------------------------------------------------------------------- */

static void
ow_overview_case_list_dispose (GObject *object)
{
  OwOverviewCaseList *self = OW_OVERVIEW_CASE_LIST (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_OVERVIEW_CASE_LIST);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->data);
  g_clear_object (&self->cases);
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (ow_overview_case_list_parent_class)->dispose (object);
}

static void
ow_overview_case_list_finalize (GObject *object)
{
  OwOverviewCaseList *self = OW_OVERVIEW_CASE_LIST (object);

  g_strfreev (self->filters);
  g_free (self->sort);
  g_free (self->next);
  G_OBJECT_CLASS (ow_overview_case_list_parent_class)->finalize (object);
}

static void
ow_overview_case_list_class_init (OwOverviewCaseListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_overview_case_list_dispose;
  object_class->finalize = ow_overview_case_list_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/supervisor/"
                                               "ow-overview-case-list.ui");
  gtk_widget_class_bind_template_child (widget_class, OwOverviewCaseList, count_label);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewCaseList, list_stack);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewCaseList, column_view);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewCaseList, spinner);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewCaseList, error_page);
  gtk_widget_class_bind_template_child (widget_class, OwOverviewCaseList, more_button);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "case-list.reload", NULL, reload_activated);
  gtk_widget_class_install_action (widget_class, "case-list.more", NULL, more_activated);
}

static void
ow_overview_case_list_init (OwOverviewCaseList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cases = g_list_store_new (OW_TYPE_CASE);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->cases)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  self->sort = g_strdup ("-received");
  self->total = -1;
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "ow-column", GUINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case-list.more", FALSE);
}

/* Public ----------------------------------------------------------------------------------- */

void
ow_overview_case_list_set_data (OwOverviewCaseList *self,
                                OwOverviewData     *data)
{
  g_return_if_fail (OW_IS_OVERVIEW_CASE_LIST (self));
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->data, data);
  g_list_store_remove_all (self->cases);
  self->loaded = FALSE;
}

void
ow_overview_case_list_set_filters (OwOverviewCaseList *self,
                                   const char * const *params)
{
  GStrvBuilder *builder = g_strv_builder_new ();

  g_return_if_fail (OW_IS_OVERVIEW_CASE_LIST (self));
  /* Pairs up to a NULL name; a NULL value leaves its filter out. */
  for (guint i = 0; params != NULL && params[i] != NULL; i += 2)
    if (params[i + 1] != NULL)
      {
        g_strv_builder_add (builder, params[i]);
        g_strv_builder_add (builder, params[i + 1]);
      }
  g_strfreev (self->filters);
  self->filters = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  list_page (self, FALSE);
}

void
ow_overview_case_list_reload (OwOverviewCaseList *self)
{
  g_return_if_fail (OW_IS_OVERVIEW_CASE_LIST (self));
  list_page (self, FALSE);
}

void
ow_overview_case_list_more (OwOverviewCaseList *self)
{
  g_return_if_fail (OW_IS_OVERVIEW_CASE_LIST (self));
  /* One page at a time, after the one before. */
  if (self->next != NULL && self->loaded)
    list_page (self, TRUE);
}

const char *
ow_overview_case_list_get_sort (OwOverviewCaseList *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_CASE_LIST (self), NULL);
  return self->sort;
}

void
ow_overview_case_list_set_sort (OwOverviewCaseList *self,
                                const char         *sort)
{
  g_return_if_fail (OW_IS_OVERVIEW_CASE_LIST (self));
  if (g_strcmp0 (self->sort, sort) == 0)
    return;
  g_free (self->sort);
  self->sort = g_strdup (sort);
  list_page (self, FALSE);
}

gboolean
ow_overview_case_list_is_loaded (OwOverviewCaseList *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_CASE_LIST (self), FALSE);
  return self->loaded;
}

guint
ow_overview_case_list_get_n_cases (OwOverviewCaseList *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_CASE_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->cases));
}

gint64
ow_overview_case_list_get_total (OwOverviewCaseList *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_CASE_LIST (self), -1);
  return self->total;
}

OwCase *
ow_overview_case_list_get_case (OwOverviewCaseList *self,
                                guint               position)
{
  g_autoptr(OwCase) kase = NULL;

  g_return_val_if_fail (OW_IS_OVERVIEW_CASE_LIST (self), NULL);
  kase = g_list_model_get_item (G_LIST_MODEL (self->cases), position);
  return kase;
}

void
ow_overview_case_list_focus (OwOverviewCaseList *self)
{
  g_return_if_fail (OW_IS_OVERVIEW_CASE_LIST (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

OwTable *
ow_overview_case_list_to_table (OwOverviewCaseList *self,
                                const char         *title)
{
  OwTable *table;

  g_return_val_if_fail (OW_IS_OVERVIEW_CASE_LIST (self), NULL);

  table = ow_table_new (title);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    ow_table_add_column (table, columns[c].chinese);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->cases)); i++)
    {
      g_autoptr(OwCase) kase = g_list_model_get_item (G_LIST_MODEL (self->cases), i);
      const OwApplicant *applicant = ow_case_get_applicant (kase);
      GPtrArray *items = ow_case_get_items (kase);
      GString *names = g_string_new (NULL);
      OwCaseChannel channel = ow_case_get_channel (kase);
      int left;
      GDate day;

      for (guint j = 0; j < items->len; j++)
        g_string_append_printf (names, "%s%s", j > 0 ? "、" : "",
                                ((OwCaseItem *) g_ptr_array_index (items, j))->name);
      ow_table_begin_row (table);
      ow_table_add_text (table, ow_case_get_case_no (kase));
      ow_table_add_text (table, names->str);
      ow_table_add_text (table, applicant != NULL ? applicant->name : NULL);
      ow_table_add_text (table, self->data != NULL
                                  ? ow_overview_data_lookup_name (self->data,
                                                                  ow_case_get_clerk (kase))
                                  : ow_case_get_clerk (kase));
      received_day (kase, &day);
      ow_table_add_date (table, &day);
      ow_table_add_date (table, ow_case_get_promised_date (kase));
      if (ow_case_state_clock_runs (ow_case_get_state (kase)) && self->data != NULL &&
          ow_overview_data_days_left (self->data, ow_case_get_promised_date (kase), &left))
        ow_table_add_integer (table, left);
      else
        ow_table_add_text (table, NULL);
      ow_table_add_text (table, ow_case_state_to_chinese (ow_case_get_state (kase)));
      ow_table_add_text (table, ow_case_channel_to_chinese (channel != OW_CASE_CHANNEL_NONE
                                                              ? channel : OW_CASE_CHANNEL_WINDOW));
      g_string_free (names, TRUE);
    }
  return table;
}
