/* ow-drafts-dialog.c — the parked applicants: resume one, or discard it with undo
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A discarded draft disappears from the list at once but stays in the store while its toast
 * offers Undo; it is deleted when the toast goes (its time is up, or another replaced it) or
 * when the dialog closes, whichever comes first.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-clock.h"
#include "gui/intake/ow-drafts-dialog.h"

#define UNDO_SECONDS 5

typedef enum
{
  DISCARD_PENDING = 1,  /* hidden, Undo still possible */
  DISCARD_DELETING,     /* handed to the keeper */
} DiscardState;

struct _OwDraftsDialog
{
  AdwWindow parent_instance;

  /* template */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  GtkListBox *drafts_list;

  OwDraftKeeper *keeper;
  GtkFilterListModel *visible;
  GtkCustomFilter *filter;
  GHashTable *discarded;   /* key → DiscardState */
  gboolean closing;
};

G_DEFINE_FINAL_TYPE (OwDraftsDialog, ow_drafts_dialog, ADW_TYPE_WINDOW)

enum
{
  RESUME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A discarded draft's key, and the dialog without keeping it alive: what its toast and its
 * deletion need, after the dialog may have gone. */
typedef struct
{
  GWeakRef dialog;
  char *key;
} DraftRef;

static void
draft_ref_free (gpointer  data,
                GClosure *closure)
{
  DraftRef *ref = data;

  g_weak_ref_clear (&ref->dialog);
  g_free (ref->key);
  g_free (ref);
}

static const char *
describe_title (OwParkedDraft *draft)
{
  const char *title = ow_parked_draft_get_title (draft);

  return title != NULL && *title != '\0' ? title : _("Applicant without a name");
}

static char *
describe_time (GDateTime *saved_at)
{
  g_autoptr(GTimeZone) zone = ow_hall_time_zone ();
  g_autoptr(GDateTime) when = g_date_time_to_timezone (saved_at, zone);
  g_autoptr(GDateTime) now = ow_hall_now ();
  g_autofree char *time = g_date_time_format (when, "%H:%M");
  g_autofree char *date = NULL;

  if (g_date_time_get_year (when) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    /* Translators: %s is a time of day, 14:05 */
    return g_strdup_printf (_("Parked at %s"), time);
  date = g_date_time_format (when, "%Y-%m-%d");
  /* Translators: a date, then a time of day: "Parked on 2026-11-25 at 14:05" */
  return g_strdup_printf (_("Parked on %s at %s"), date, time);
}

static void
update_empty (OwDraftsDialog *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->visible)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static gboolean
filter_visible (gpointer item,
                gpointer user_data)
{
  OwDraftsDialog *self = user_data;

  return !g_hash_table_contains (self->discarded, ow_parked_draft_get_key (item));
}

/* Hidden until the dialog closes, the toast goes, or Undo. */
static void
hide_key (OwDraftsDialog *self,
          const char     *key,
          DiscardState    state)
{
  g_hash_table_replace (self->discarded, g_strdup (key), GUINT_TO_POINTER (state));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_MORE_STRICT);
}

static void
show_key (OwDraftsDialog *self,
          const char     *key)
{
  if (g_hash_table_remove (self->discarded, key))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
}

static void
draft_deleted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DraftRef *data = user_data;
  g_autoptr(OwDraftsDialog) self = g_weak_ref_get (&data->dialog);
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;

  if (ow_draft_keeper_delete_finish (OW_DRAFT_KEEPER (source), result, &error))
    {
      /* The keeper reads the parked list again, without it. */
      if (self != NULL)
        g_hash_table_remove (self->discarded, data->key);
    }
  else if (self != NULL && !self->closing)
    {
      show_key (self, data->key);
      escaped = g_markup_escape_text (error->message, -1);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
    }
  draft_ref_free (data, NULL);
}

static void
delete_now (OwDraftsDialog *self,
            const char     *key)
{
  DraftRef *data;

  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->discarded, key)) != DISCARD_PENDING)
    return;
  hide_key (self, key, DISCARD_DELETING);
  data = g_new0 (DraftRef, 1);
  g_weak_ref_init (&data->dialog, self);
  data->key = g_strdup (key);
  ow_draft_keeper_delete_async (self->keeper, key, NULL, draft_deleted_cb, data);
}

static void
toast_undone_cb (AdwToast  *toast,
                 DraftRef *data)
{
  g_autoptr(OwDraftsDialog) self = g_weak_ref_get (&data->dialog);

  if (self == NULL || self->closing)
    return;
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->discarded, data->key)) == DISCARD_PENDING)
    show_key (self, data->key);
}

static void
toast_dismissed_cb (AdwToast  *toast,
                    DraftRef *data)
{
  g_autoptr(OwDraftsDialog) self = g_weak_ref_get (&data->dialog);

  /* After Undo the key is no longer pending, and closing deleted it already. */
  if (self != NULL && !self->closing)
    delete_now (self, data->key);
}

static void
discard_clicked_cb (GtkButton      *button,
                    OwDraftsDialog *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "ow-draft-key");
  const char *title = g_object_get_data (G_OBJECT (button), "ow-draft-title");
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  g_autofree char *text = NULL;
  DraftRef *data;
  AdwToast *toast;

  hide_key (self, key, DISCARD_PENDING);

  /* Translators: %s is the title of a parked draft, usually the applicant's name */
  text = g_strdup_printf (_("Draft of %s discarded"), escaped);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, UNDO_SECONDS);
  data = g_new0 (DraftRef, 1);
  g_weak_ref_init (&data->dialog, self);
  data->key = g_strdup (key);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (toast_undone_cb), data, NULL, 0);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), data,
                         draft_ref_free, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  /* Focus would otherwise fall to the window when the row goes. */
  gtk_widget_grab_focus (GTK_WIDGET (self->drafts_list));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  OwDraftsDialog *self = user_data;
  OwParkedDraft *draft = item;
  const char *title = describe_title (draft);
  g_autofree char *when = describe_time (ow_parked_draft_get_saved_at (draft));
  /* Translators: %s is the title of a parked draft, usually the applicant's name */
  g_autofree char *discard_name = g_strdup_printf (_("Discard draft of %s"), title);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "ow-draft-key",
                          g_strdup (ow_parked_draft_get_key (draft)), g_free);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, discard_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  discard_name, -1);
  g_object_set_data_full (G_OBJECT (button), "ow-draft-key",
                          g_strdup (ow_parked_draft_get_key (draft)), g_free);
  g_object_set_data_full (G_OBJECT (button), "ow-draft-title", g_strdup (title), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (discard_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* Deletes what waits for its toast, then goes, from an idle: not from inside the handler of a
 * row or a key. Not hidden first: GTK 4.8 then sent the destroyed window's surface a
 * compute-size (a crash when the main window resumed the draft at once). */
static gboolean
destroy_window_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
close_now (OwDraftsDialog *self)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, state;

  if (self->closing)
    return;

  g_hash_table_iter_init (&iter, self->discarded);
  while (g_hash_table_iter_next (&iter, &key, &state))
    if (GPOINTER_TO_UINT (state) == DISCARD_PENDING)
      g_ptr_array_add (pending, g_strdup (key));
  for (guint i = 0; i < pending->len; i++)
    delete_now (self, g_ptr_array_index (pending, i));

  self->closing = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_window_cb, g_object_ref (self), g_object_unref);
}

static void
row_activated_cb (OwDraftsDialog *self,
                  GtkListBoxRow  *row)
{
  g_autofree char *key = g_strdup (g_object_get_data (G_OBJECT (row), "ow-draft-key"));

  if (key == NULL || self->closing)
    return;
  g_signal_emit (self, signals[RESUME], 0, key);
  close_now (self);
}

static void
visible_changed_cb (OwDraftsDialog *self)
{
  update_empty (self);
}

/* ---------------------------------------------------------------------------------------- */

static gboolean
ow_drafts_dialog_close_request (GtkWindow *window)
{
  close_now (OW_DRAFTS_DIALOG (window));
  return TRUE;
}

static void
ow_drafts_dialog_dispose (GObject *object)
{
  OwDraftsDialog *self = OW_DRAFTS_DIALOG (object);

  /* Destroyed without closing (the parent went): what waits is deleted all the same. */
  if (!self->closing && self->keeper != NULL)
    {
      GHashTableIter iter;
      gpointer key, state;

      self->closing = TRUE;
      g_hash_table_iter_init (&iter, self->discarded);
      while (g_hash_table_iter_next (&iter, &key, &state))
        if (GPOINTER_TO_UINT (state) == DISCARD_PENDING)
          ow_draft_keeper_delete_async (self->keeper, key, NULL, NULL, NULL);
    }
  if (self->drafts_list != NULL)
    gtk_list_box_bind_model (self->drafts_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_DRAFTS_DIALOG);
  if (self->visible != NULL)
    g_signal_handlers_disconnect_by_data (self->visible, self);
  g_clear_object (&self->visible);
  g_clear_object (&self->filter);
  g_clear_object (&self->keeper);

  G_OBJECT_CLASS (ow_drafts_dialog_parent_class)->dispose (object);
}

static void
ow_drafts_dialog_finalize (GObject *object)
{
  OwDraftsDialog *self = OW_DRAFTS_DIALOG (object);

  g_clear_pointer (&self->discarded, g_hash_table_unref);

  G_OBJECT_CLASS (ow_drafts_dialog_parent_class)->finalize (object);
}

static void
ow_drafts_dialog_class_init (OwDraftsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ow_drafts_dialog_dispose;
  object_class->finalize = ow_drafts_dialog_finalize;
  window_class->close_request = ow_drafts_dialog_close_request;

  /**
   * OwDraftsDialog::resume:
   * @key: the key of the parked draft to resume
   *
   * The clerk chose a parked applicant; the dialog closes.
   */
  signals[RESUME] = g_signal_new ("resume", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/intake/ow-drafts-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OwDraftsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OwDraftsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, OwDraftsDialog, drafts_list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ow_drafts_dialog_init (OwDraftsDialog *self)
{
  self->discarded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

OwDraftsDialog *
ow_drafts_dialog_new (GtkWindow     *parent,
                      OwDraftKeeper *keeper)
{
  OwDraftsDialog *self;
  GListModel *parked;
  GtkListBoxRow *first;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OW_IS_DRAFT_KEEPER (keeper), NULL);

  self = g_object_new (OW_TYPE_DRAFTS_DIALOG, "transient-for", parent, NULL);
  self->keeper = g_object_ref (keeper);

  parked = ow_draft_keeper_get_parked (keeper);
  self->filter = gtk_custom_filter_new (filter_visible, self, NULL);
  self->visible = gtk_filter_list_model_new (g_object_ref (parked),
                                             GTK_FILTER (g_object_ref (self->filter)));
  g_signal_connect_object (self->visible, "items-changed", G_CALLBACK (visible_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->drafts_list, G_LIST_MODEL (self->visible), create_row, self,
                           NULL);
  update_empty (self);
  /* Keyboard first: Enter resumes the most recently parked applicant. */
  first = gtk_list_box_get_row_at_index (self->drafts_list, 0);
  if (first != NULL)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (first));
  return self;
}
