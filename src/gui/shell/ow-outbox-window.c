/* ow-outbox-window.c — the changes that wait for the platform, and why
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "gui/shell/ow-outbox-window.h"

struct _OwOutboxWindow
{
  AdwWindow parent_instance;

  /* template */
  GtkStack *stack;
  GtkListBox *entries_list;

  OwContext *context;
  GCancellable *cancellable;
  guint n_rows;
  gboolean loaded;
  gboolean reload_pending;
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (OwOutboxWindow, ow_outbox_window, ADW_TYPE_WINDOW)

static void load_entries (OwOutboxWindow *self);

static char *
describe_entry (const OwOutboxEntry *entry)
{
  if (g_strcmp0 (entry->kind, "case") == 0)
    {
      g_autofree char *number = ow_case_number_format (entry->key);
      /* Translators: %s is a case number */
      return g_strdup_printf (_("Case %s"), number != NULL ? number : entry->key);
    }
  if (g_strcmp0 (entry->kind, "file") == 0)
    /* Translators: %.12s is the start of a scanned page's SHA-256 */
    return g_strdup_printf (_("Scanned page %.12s…"), entry->key);
  return g_strdup_printf ("%s %s", entry->kind, entry->key);
}

static char *
describe_state (const OwOutboxEntry *entry)
{
  g_autofree char *when = ow_hall_format_unix_usec (entry->created_at, "%Y-%m-%d %H:%M");
  GString *text = g_string_new (NULL);

  /* Translators: %s is a date and time */
  g_string_append_printf (text, _("Made %s"), when);
  if (entry->attempts > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts",
                                                 entry->attempts), entry->attempts);
    }
  if (entry->dead)
    g_string_append_printf (text, " · %s", _("refused by the platform"));
  if (entry->last_error != NULL)
    g_string_append_printf (text, "\n%s", entry->last_error);
  return g_string_free (text, FALSE);
}

static void
retry_clicked_cb (GtkButton      *button,
                  OwOutboxWindow *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (button), "ow-outbox-id");

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  ow_sync_retry_entry (ow_context_get_sync (self->context), *id);
}

static GtkWidget *
create_row (OwOutboxWindow      *self,
            const OwOutboxEntry *entry)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = describe_entry (entry);
  g_autofree char *subtitle = describe_state (entry);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);

  if (entry->dead)
    {
      /* A refused change is sent again only once a person fixed its cause. */
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Retry"));
      g_autofree char *name = g_strdup_printf (_("Retry %s"), title);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      g_object_set_data_full (G_OBJECT (button), "ow-outbox-id",
                              g_memdup2 (&entry->id, sizeof entry->id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (retry_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_widget_add_css_class (row, "ow-problem");
    }
  return row;
}

static void
list_outbox_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  OwStore *store = task_data;
  GError *error = NULL;
  GPtrArray *entries = ow_store_list_outbox (store, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static void
outbox_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OwOutboxWindow *self = OW_OUTBOX_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *child;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->entries_list))) != NULL)
    gtk_list_box_remove (self->entries_list, child);
  self->n_rows = 0;

  if (entries == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("The waiting changes cannot be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_list_box_append (self->entries_list, row);
      gtk_stack_set_visible_child_name (self->stack, "list");
    }
  else
    {
      for (guint i = 0; i < entries->len; i++)
        gtk_list_box_append (self->entries_list,
                             create_row (self, g_ptr_array_index (entries, i)));
      self->n_rows = entries->len;
      gtk_stack_set_visible_child_name (self->stack, entries->len > 0 ? "list" : "empty");
    }
  self->loaded = TRUE;

  if (self->reload_pending)
    {
      self->reload_pending = FALSE;
      load_entries (self);
    }
}

static void
load_entries (OwOutboxWindow *self)
{
  g_autoptr(GTask) task = NULL;
  OwStore *store = ow_context_get_store (self->context);

  /* Changes come in bursts; one listing at a time, and one more after it if needed. */
  if (self->loading)
    {
      self->reload_pending = TRUE;
      return;
    }
  if (store == NULL)
    return;

  self->loading = TRUE;
  task = g_task_new (self, self->cancellable, outbox_listed_cb, NULL);
  g_task_set_source_tag (task, load_entries);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, list_outbox_thread);
}

static void
outbox_changed_cb (OwOutboxWindow *self)
{
  load_entries (self);
}

static void
send_now_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OwOutboxWindow *self = OW_OUTBOX_WINDOW (widget);

  if (ow_context_get_sync (self->context) != NULL)
    ow_sync_kick (ow_context_get_sync (self->context));
}

static void
ow_outbox_window_dispose (GObject *object)
{
  OwOutboxWindow *self = OW_OUTBOX_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_OUTBOX_WINDOW);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_outbox_window_parent_class)->dispose (object);
}

static void
ow_outbox_window_class_init (OwOutboxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_outbox_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/shell/ow-outbox-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OwOutboxWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OwOutboxWindow, entries_list);

  gtk_widget_class_install_action (widget_class, "outbox.send-now", NULL, send_now_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ow_outbox_window_init (OwOutboxWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

OwOutboxWindow *
ow_outbox_window_new (GtkWindow *parent,
                      OwContext *context)
{
  OwOutboxWindow *self;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);

  self = g_object_new (OW_TYPE_OUTBOX_WINDOW, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  if (ow_context_get_sync (context) != NULL)
    g_signal_connect_object (ow_context_get_sync (context), "outbox-changed",
                             G_CALLBACK (outbox_changed_cb), self, G_CONNECT_SWAPPED);
  load_entries (self);
  return self;
}

guint
ow_outbox_window_get_n_rows (OwOutboxWindow *self)
{
  g_return_val_if_fail (OW_IS_OUTBOX_WINDOW (self), 0);
  return self->n_rows;
}

gboolean
ow_outbox_window_get_loaded (OwOutboxWindow *self)
{
  g_return_val_if_fail (OW_IS_OUTBOX_WINDOW (self), FALSE);
  return self->loaded;
}
