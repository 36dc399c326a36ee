/* ow-intake-search.c — the intake page's item search: the index, its results, scanner input
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The index is the context's (built from the store, or read back from it, in a worker). Usage
 * counts come from the local store: how many of the cases this workstation keeps name each
 * item (the newest USAGE_CASES of them), counted in a worker when the index arrives. The
 * store already holds exactly that history, per counter, so nothing new is stored and nothing
 * can drift; an accepted case adds one at once through ow_intake_search_note_used().
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case.h"
#include "gui/intake/ow-intake-search.h"
#include "search/ow-key-burst.h"

#define USAGE_CASES 2000

struct _OwIntakeSearch
{
  GObject parent_instance;

  OwContext *context;
  OwCatalog *catalog;       /* the one indexed (or being indexed) */
  OwItemIndex *index;
  GListStore *results;
  guint n_matches;
  char *query;
  OwItemFilter filter;
  char *filter_department;
  OwKeyBurst *burst;
  guint last_burst;         /* characters of the burst Enter just ended */
  GtkMenuButton *filter_button;  /* weak */
  GtkDropDown *department_dropdown;
  GtkDropDown *type_dropdown;
  GtkCheckButton *zero_trip_check;
  char **departments;       /* of the dropdown, after "All departments" */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OwIntakeSearch, ow_intake_search, G_TYPE_OBJECT)

enum
{
  RESULTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  OwStore *store;
  OwItemIndex *index;
  GHashTable *usage;        /* out */
} UsageData;

static void
usage_data_free (UsageData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->index);
  g_clear_pointer (&data->usage, g_hash_table_unref);
  g_free (data);
}

/* ---------------------------------------------------------------------------------------- */

static gboolean
same_item (GListModel *model,
           guint       position,
           OwItem     *item)
{
  g_autoptr(OwItem) shown = g_list_model_get_item (model, position);

  /* What a row shows of it (ow-intake-page.c's create_item_row): a new revision of the catalog
   * may rename an item or change its limit under the same id. */
  return shown == item
         || (g_strcmp0 (ow_item_get_id (shown), ow_item_get_id (item)) == 0
             && g_strcmp0 (ow_item_get_name (shown), ow_item_get_name (item)) == 0
             && g_strcmp0 (ow_item_get_department (shown), ow_item_get_department (item)) == 0
             && ow_item_get_promised_limit (shown) == ow_item_get_promised_limit (item));
}

/* Only the rows that differ are replaced: the list box builds and lays out a row for each item
 * added, two hundred rows of wrapped names take a good half second, and the same results come
 * again when the index replaces the catalog or a filter is set to what it was. */
static void
replace_results (OwIntakeSearch *self,
                 GPtrArray      *items)
{
  GListModel *model = G_LIST_MODEL (self->results);
  guint old_n = g_list_model_get_n_items (model);
  guint new_n = items != NULL ? items->len : 0;
  guint prefix = 0, suffix = 0;

  while (prefix < old_n && prefix < new_n
         && same_item (model, prefix, g_ptr_array_index (items, prefix)))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix
         && same_item (model, old_n - 1 - suffix, g_ptr_array_index (items, new_n - 1 - suffix)))
    suffix++;
  if (prefix + suffix == old_n && old_n == new_n)
    return;
  g_list_store_splice (self->results, prefix, old_n - prefix - suffix,
                       items != NULL ? items->pdata + prefix : NULL, new_n - prefix - suffix);
}

static void
refresh (OwIntakeSearch *self)
{
  g_autoptr(GPtrArray) items = NULL;

  if (self->index != NULL)
    items = ow_item_index_search (self->index, self->query, &self->filter,
                                  OW_INTAKE_SEARCH_MAX_ROWS, &self->n_matches);
  else if (self->catalog != NULL)
    {
      /* Until the index is built: the catalog as it is. */
      GListModel *model = ow_catalog_get_items (self->catalog);
      guint n = g_list_model_get_n_items (model);

      items = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < MIN (n, OW_INTAKE_SEARCH_MAX_ROWS); i++)
        g_ptr_array_add (items, g_list_model_get_item (model, i));
      self->n_matches = n;
    }
  else
    self->n_matches = 0;

  replace_results (self, items);
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}

static const OwItemType item_types[] = {
  OW_ITEM_TYPE_LICENSING, OW_ITEM_TYPE_PENALTY, OW_ITEM_TYPE_COERCION, OW_ITEM_TYPE_LEVY,
  OW_ITEM_TYPE_PAYMENT, OW_ITEM_TYPE_INSPECTION, OW_ITEM_TYPE_CONFIRMATION, OW_ITEM_TYPE_REWARD,
  OW_ITEM_TYPE_ADJUDICATION, OW_ITEM_TYPE_OTHER, OW_ITEM_TYPE_PUBLIC_SERVICE,
};

static void
filter_changed_cb (OwIntakeSearch *self)
{
  OwItemFilter filter = { 0 };
  guint department = gtk_drop_down_get_selected (self->department_dropdown);
  guint type = gtk_drop_down_get_selected (self->type_dropdown);
  gboolean any;

  if (department != GTK_INVALID_LIST_POSITION && department > 0 && self->departments != NULL
      && department - 1 < g_strv_length (self->departments))
    filter.department = self->departments[department - 1];
  if (type != GTK_INVALID_LIST_POSITION && type > 0 && type - 1 < G_N_ELEMENTS (item_types))
    filter.item_type = item_types[type - 1];
  filter.zero_trip_only = gtk_check_button_get_active (self->zero_trip_check);
  any = filter.department != NULL || filter.item_type != 0 || filter.zero_trip_only;
  if (self->filter_button != NULL)
    {
      /* The button says when a filter hides items, so that a short list is not a surprise. */
      gtk_menu_button_set_label (self->filter_button, any ? _("Filtered") : _("Filter"));
      if (any)
        gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
    }
  ow_intake_search_set_filter (self, &filter);
}

/* The departments of the catalog in the dropdown; the choice is kept when it still exists. */
static void
fill_departments (OwIntakeSearch *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const char *chosen = self->filter.department;
  guint selected = 0;

  if (self->department_dropdown == NULL)
    return;
  g_strfreev (self->departments);
  self->departments = self->catalog != NULL ? ow_catalog_dup_departments (self->catalog) : NULL;
  gtk_string_list_append (names, _("All departments"));
  for (guint i = 0; self->departments != NULL && self->departments[i] != NULL; i++)
    {
      gtk_string_list_append (names, self->departments[i]);
      if (chosen != NULL && g_str_equal (chosen, self->departments[i]))
        selected = i + 1;
    }
  g_signal_handlers_block_by_func (self->department_dropdown, filter_changed_cb, self);
  gtk_drop_down_set_model (self->department_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->department_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->department_dropdown, filter_changed_cb, self);
  filter_changed_cb (self);
}

static void
usage_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  UsageData *data = task_data;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  data->usage = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (data->store != NULL)
    cases = ow_store_list_cases (data->store, 0, USAGE_CASES, &error);
  if (error != NULL)
    g_warning ("Item usage could not be counted: %s", error->message);
  for (guint i = 0; cases != NULL && i < cases->len; i++)
    {
      GPtrArray *items = ow_case_get_items (g_ptr_array_index (cases, i));

      for (guint j = 0; items != NULL && j < items->len; j++)
        {
          const OwCaseItem *item = g_ptr_array_index (items, j);
          gpointer count = g_hash_table_lookup (data->usage, item->item_id);

          g_hash_table_replace (data->usage, g_strdup (item->item_id),
                                GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
usage_counted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OwIntakeSearch *self = OW_INTAKE_SEARCH (source);
  UsageData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return;
  /* A newer index may have come in the meantime; its own count follows. */
  if (self->context == NULL || data->index != ow_context_get_item_index (self->context))
    return;
  /* Here, not in the worker: the index is searched on this thread. */
  ow_item_index_set_usage (data->index, data->usage);
  g_set_object (&self->index, data->index);
  refresh (self);
}

static void
index_changed_cb (OwIntakeSearch *self)
{
  OwItemIndex *index = self->context != NULL ? ow_context_get_item_index (self->context) : NULL;
  g_autoptr(GTask) task = NULL;
  UsageData *data;

  if (index == NULL || index == self->index)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  data = g_new0 (UsageData, 1);
  data->index = g_object_ref (index);
  if (ow_context_get_store (self->context) != NULL)
    data->store = g_object_ref (ow_context_get_store (self->context));
  task = g_task_new (self, self->cancellable, usage_counted_cb, NULL);
  g_task_set_source_tag (task, index_changed_cb);
  g_task_set_task_data (task, data, (GDestroyNotify) usage_data_free);
  g_task_run_in_thread (task, usage_thread);
}

static void
catalog_changed_cb (OwIntakeSearch *self)
{
  OwCatalog *catalog = self->context != NULL ? ow_context_get_catalog (self->context) : NULL;

  if (catalog != self->catalog)
    {
      g_set_object (&self->catalog, catalog);
      /* The index of another catalog would answer with its items: not shown any more. */
      g_clear_object (&self->index);
      fill_departments (self);
      refresh (self);
    }
  index_changed_cb (self);
}

static gboolean
key_pressed_cb (OwIntakeSearch        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  gint64 time = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller));

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    self->last_burst = ow_key_burst_enter (self->burst, time);
  else if (gdk_keyval_to_unicode (keyval) != 0
           && (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    ow_key_burst_key (self->burst, time);
  return GDK_EVENT_PROPAGATE;
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_intake_search_dispose (GObject *object)
{
  OwIntakeSearch *self = OW_INTAKE_SEARCH (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->context);
  g_clear_object (&self->catalog);
  g_clear_object (&self->index);
  g_clear_object (&self->results);
  g_clear_weak_pointer (&self->filter_button);
  g_clear_object (&self->department_dropdown);
  g_clear_object (&self->type_dropdown);
  g_clear_object (&self->zero_trip_check);

  G_OBJECT_CLASS (ow_intake_search_parent_class)->dispose (object);
}

static void
ow_intake_search_finalize (GObject *object)
{
  OwIntakeSearch *self = OW_INTAKE_SEARCH (object);

  g_free (self->query);
  g_free (self->filter_department);
  g_strfreev (self->departments);
  g_clear_pointer (&self->burst, ow_key_burst_free);

  G_OBJECT_CLASS (ow_intake_search_parent_class)->finalize (object);
}

static void
ow_intake_search_class_init (OwIntakeSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_intake_search_dispose;
  object_class->finalize = ow_intake_search_finalize;

  /**
   * OwIntakeSearch::results-changed:
   *
   * The results model was refilled for a new query, filter, catalog or index.
   */
  signals[RESULTS_CHANGED] = g_signal_new ("results-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
ow_intake_search_init (OwIntakeSearch *self)
{
  self->results = g_list_store_new (OW_TYPE_ITEM);
  self->query = g_strdup ("");
  self->burst = ow_key_burst_new ();
}

/* ---------------------------------------------------------------------------------------- */

OwIntakeSearch *
ow_intake_search_new (void)
{
  return g_object_new (OW_TYPE_INTAKE_SEARCH, NULL);
}

GListModel *
ow_intake_search_get_model (OwIntakeSearch *self)
{
  g_return_val_if_fail (OW_IS_INTAKE_SEARCH (self), NULL);

  return G_LIST_MODEL (self->results);
}

guint
ow_intake_search_get_n_matches (OwIntakeSearch *self)
{
  g_return_val_if_fail (OW_IS_INTAKE_SEARCH (self), 0);

  return self->n_matches;
}

gboolean
ow_intake_search_is_ready (OwIntakeSearch *self)
{
  g_return_val_if_fail (OW_IS_INTAKE_SEARCH (self), FALSE);

  return self->index != NULL;
}

void
ow_intake_search_set_context (OwIntakeSearch *self,
                              OwContext      *context)
{
  g_return_if_fail (OW_IS_INTAKE_SEARCH (self));
  g_return_if_fail (context == NULL || OW_IS_CONTEXT (context));

  if (self->context != context)
    {
      if (self->context != NULL)
        g_signal_handlers_disconnect_by_data (self->context, self);
      g_set_object (&self->context, context);
      if (context != NULL)
        {
          g_signal_connect_object (context, "notify::catalog", G_CALLBACK (catalog_changed_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (context, "notify::item-index",
                                   G_CALLBACK (index_changed_cb), self, G_CONNECT_SWAPPED);
        }
    }
  catalog_changed_cb (self);
}

void
ow_intake_search_set_query (OwIntakeSearch *self,
                            const char     *text)
{
  g_return_if_fail (OW_IS_INTAKE_SEARCH (self));

  g_free (self->query);
  self->query = g_strdup (text != NULL ? text : "");
  refresh (self);
}

void
ow_intake_search_set_filter (OwIntakeSearch     *self,
                             const OwItemFilter *filter)
{
  g_return_if_fail (OW_IS_INTAKE_SEARCH (self));

  g_free (self->filter_department);
  self->filter_department = filter != NULL ? g_strdup (filter->department) : NULL;
  self->filter = filter != NULL ? *filter : (OwItemFilter) { 0 };
  self->filter.department = self->filter_department;
  refresh (self);
}

void
ow_intake_search_note_used (OwIntakeSearch *self,
                            const char     *item_id)
{
  g_return_if_fail (OW_IS_INTAKE_SEARCH (self));
  g_return_if_fail (item_id != NULL);

  if (self->index != NULL)
    ow_item_index_add_use (self->index, item_id);
}

void
ow_intake_search_attach_entry (OwIntakeSearch *self,
                               GtkWidget      *entry)
{
  GtkEventController *controller;

  g_return_if_fail (OW_IS_INTAKE_SEARCH (self));
  g_return_if_fail (GTK_IS_WIDGET (entry));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (entry, controller);
}

char *
ow_intake_search_take_case (OwIntakeSearch *self,
                            const char     *text)
{
  guint burst;
  char *case_no;

  g_return_val_if_fail (OW_IS_INTAKE_SEARCH (self), NULL);

  burst = self->last_burst;
  self->last_burst = 0;
  if (text == NULL)
    return NULL;
  case_no = ow_key_burst_parse_case (text);
  if (case_no == NULL && burst > 0 && (glong) burst < g_utf8_strlen (text, -1))
    {
      /* Typed words, then a scan: the scanner's characters are the last ones. */
      const char *scanned = g_utf8_offset_to_pointer (text, g_utf8_strlen (text, -1) - burst);

      case_no = ow_key_burst_parse_case (scanned);
    }
  return case_no;
}

void
ow_intake_search_attach_filter_button (OwIntakeSearch *self,
                                       GtkMenuButton  *button)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  GtkWidget *popover, *box, *label;

  g_return_if_fail (OW_IS_INTAKE_SEARCH (self));
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (self->filter_button == NULL);

  g_set_weak_pointer (&self->filter_button, button);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  label = gtk_label_new_with_mnemonic (_("_Department"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  self->department_dropdown = g_object_ref_sink (GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL)));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->department_dropdown));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->department_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Department"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->department_dropdown));

  label = gtk_label_new_with_mnemonic (_("Item _type"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  gtk_string_list_append (types, _("All types"));
  /* The standard's names of the types (GB/T 39046): data, as the catalog shows them. */
  for (guint i = 0; i < G_N_ELEMENTS (item_types); i++)
    gtk_string_list_append (types, ow_item_type_to_label (item_types[i]));
  self->type_dropdown = g_object_ref_sink (GTK_DROP_DOWN (gtk_drop_down_new (
    G_LIST_MODEL (g_steal_pointer (&types)), NULL)));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->type_dropdown));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->type_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Item type"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->type_dropdown));

  self->zero_trip_check = g_object_ref_sink (GTK_CHECK_BUTTON (
    gtk_check_button_new_with_mnemonic (_("Only _zero-trip items"))));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->zero_trip_check));

  g_signal_connect_object (self->department_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->type_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->zero_trip_check, "toggled",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);

  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (button, popover);
  fill_departments (self);
}
