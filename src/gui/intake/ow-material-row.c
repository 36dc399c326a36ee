/* ow-material-row.c — one line of the materials checklist: status, licence number, scanning
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "gui/intake/ow-material-row.h"
#include "gui/scanning/ow-scan-dialog.h"

struct _OwMaterialRow
{
  AdwActionRow parent_instance;

  /* template */
  GtkEntry *licence_entry;
  GtkEntry *note_entry;
  GtkEntry *due_entry;
  GtkDropDown *status_dropdown;
  GtkStack *scan_stack;
  GtkButton *scan_button;
  GtkProgressBar *scan_progress;

  OwMaterial *material;
  OwContext *context;
  GArray *choices;        /* OwMaterialStatus per entry of the drop-down */
  GPtrArray *files;       /* SHA-256 hex: the PDF of the scanned pages, then imported files */
  GPtrArray *pages;       /* OwScanPage as Done left them, to open the pages dialog again */
  GPtrArray *imports;     /* OwScanImport */
  OwScanDialog *dialog;   /* while the pages dialog is open (weak) */
  char *description;      /* what the catalog says: required, counts … */
  gboolean provided;
  gboolean busy;
  gboolean show_note;
  gboolean restoring;     /* finding the kinds of restored files: no pages dialog yet */
  guint restore_serial;   /* drops the answer of a restore that a newer one replaced */
  GDate latest_due;       /* the promised completion: 容缺 due dates default to it */
  gulong progress_handler;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OwMaterialRow, ow_material_row, ADW_TYPE_ACTION_ROW)

enum
{
  PROP_0,
  PROP_PROVIDED,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  DETAILS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_provided (OwMaterialRow *self)
{
  OwMaterialStatus status = ow_material_row_get_status (self);
  gboolean provided;

  switch (status)
    {
    case OW_MATERIAL_STATUS_SCANNED:
      /* "Scanned" without a page would be a claim the file store cannot back. */
      provided = self->files->len > 0;
      break;
    case OW_MATERIAL_STATUS_LICENCE:
      provided = *gtk_editable_get_text (GTK_EDITABLE (self->licence_entry)) != '\0';
      break;
    default:
      provided = ow_material_status_is_provided (status);
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->licence_entry), status == OW_MATERIAL_STATUS_LICENCE);
  gtk_widget_set_visible (GTK_WIDGET (self->due_entry), status == OW_MATERIAL_STATUS_TOLERATED);
  /* A wrong material is one to hand in again: the clerk marks it missing and says why. */
  gtk_widget_set_visible (GTK_WIDGET (self->note_entry),
                          self->show_note && status == OW_MATERIAL_STATUS_MISSING);

  if (self->provided == provided)
    return;
  self->provided = provided;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDED]);
}

static void
set_busy (OwMaterialRow *self,
          gboolean       busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_stack_set_visible_child_name (self->scan_stack, busy ? "progress" : "button");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.scan", !busy && !self->restoring);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The subtitle: the catalog's description, the pages scanned so far, and what went wrong. */
static void
show_problem (OwMaterialRow *self,
              const char    *message)
{
  GString *text = g_string_new (self->description);
  g_autofree char *pages = ow_material_row_describe_pages (self->pages->len, self->imports->len);

  if (pages != NULL)
    g_string_append_printf (text, " · %s", pages);
  if (message != NULL)
    g_string_append_printf (text, "\n%s", message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text->str);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "ow-problem");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "ow-problem");
  g_string_free (text, TRUE);
}

/* ---------------------------------------------------------------------------------------- */
/* Scanning happens in the pages dialog (ow-scan-dialog.c); Done there stores the pages as one
 * PDF named by its SHA-256 and hands the files to the row. */

static void
pages_stored_cb (OwMaterialRow *self,
                 OwScanDialog  *dialog)
{
  GPtrArray *files = ow_scan_dialog_get_files (dialog);

  g_ptr_array_set_size (self->files, 0);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (self->files, g_strdup (g_ptr_array_index (files, i)));
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->imports, g_ptr_array_unref);
  self->pages = ow_scan_dialog_dup_pages (dialog);
  self->imports = ow_scan_dialog_dup_imports (dialog);

  show_problem (self, NULL);
  if (self->files->len > 0)
    ow_material_row_set_status (self, OW_MATERIAL_STATUS_SCANNED);
  update_provided (self);
}

static void
dialog_destroyed_cb (OwMaterialRow *self,
                     OwScanDialog  *dialog)
{
  if (self->context != NULL)
    g_clear_signal_handler (&self->progress_handler, ow_context_get_scanner (self->context));
  set_busy (self, FALSE);
}

static void
scan_progress_cb (OwMaterialRow *self,
                  double         fraction,
                  OwScanner     *scanner)
{
  gtk_progress_bar_set_fraction (self->scan_progress, CLAMP (fraction, 0.0, 1.0));
}

static void
scan_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwMaterialRow *self = OW_MATERIAL_ROW (widget);
  OwScanner *scanner = ow_context_get_scanner (self->context);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->busy || self->restoring || self->dialog != NULL)
    return;

  self->dialog = ow_scan_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     self->context, ow_material_get_name (self->material),
                                     self->pages, self->imports);
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  g_signal_connect_object (self->dialog, "stored", G_CALLBACK (pages_stored_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  /* The row says a scan is under way (and how far the page is) while its dialog is open. */
  set_busy (self, TRUE);
  gtk_progress_bar_set_fraction (self->scan_progress, 0.0);
  self->progress_handler = g_signal_connect_object (scanner, "progress",
                                                    G_CALLBACK (scan_progress_cb), self,
                                                    G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
status_selected_cb (OwMaterialRow *self)
{
  update_provided (self);
  if (ow_material_row_get_status (self) == OW_MATERIAL_STATUS_TOLERATED
      && *gtk_editable_get_text (GTK_EDITABLE (self->due_entry)) == '\0'
      && g_date_valid (&self->latest_due))
    ow_material_row_set_due_date (self, &self->latest_due);
  /* Missing ↔ tolerated changes no "provided", but the decision it allows. */
  g_signal_emit (self, signals[DETAILS_CHANGED], 0);
}

/* Enter on the line: the choice of its status, where the arrows and Enter pick one. */
static void
row_activated_cb (OwMaterialRow *self)
{
  gtk_widget_activate (GTK_WIDGET (self->status_dropdown));
}

static void
licence_changed_cb (OwMaterialRow *self)
{
  update_provided (self);
}

static void
details_changed_cb (OwMaterialRow *self)
{
  g_signal_emit (self, signals[DETAILS_CHANGED], 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Restoring a line: its files come back by name, and the pages dialog shows them as stored
 * files, which needs their kinds (PDF, JPEG, PNG) from the file store. */

typedef struct
{
  OwStore   *store;
  GPtrArray *files;     /* SHA-256 hex, as restored */
  GPtrArray *imports;   /* OwScanImport of the files found */
  guint      missing;
  guint      serial;
} RestoreData;

static void
restore_data_free (RestoreData *data)
{
  g_clear_object (&data->store);
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_clear_pointer (&data->imports, g_ptr_array_unref);
  g_free (data);
}

static void
find_file_types_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  RestoreData *data = task_data;

  for (guint i = 0; i < data->files->len; i++)
    {
      const char *sha256 = g_ptr_array_index (data->files, i);
      g_autoptr(GError) error = NULL;
      char *content_type = ow_store_get_file_type (data->store, sha256, &error);
      OwScanImport *import;

      if (g_task_return_error_if_cancelled (task))
        {
          g_free (content_type);
          return;
        }
      if (content_type == NULL
          && (g_error_matches (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND)
              || g_error_matches (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT)))
        {
          data->missing++;
          continue;
        }
      import = g_new0 (OwScanImport, 1);
      import->sha256 = g_strdup (sha256);
      /* Unreadable just now (a busy disk): kept, since the sync engine reads it again later. */
      import->content_type = content_type != NULL ? content_type
                                                  : g_strdup ("application/octet-stream");
      /* Translators: the name of a file of a material restored from a saved form */
      import->name = g_strdup_printf (_("Stored file %u"), data->imports->len + 1);
      g_ptr_array_add (data->imports, import);
    }
  g_task_return_boolean (task, TRUE);
}

static void
file_types_found_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OwMaterialRow *self = OW_MATERIAL_ROW (source);
  RestoreData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) || data->serial != self->restore_serial)
    return;

  self->restoring = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.scan", !self->busy);
  g_ptr_array_set_size (self->files, 0);
  for (guint i = 0; i < data->imports->len; i++)
    g_ptr_array_add (self->files,
                     g_strdup (((OwScanImport *) g_ptr_array_index (data->imports, i))->sha256));
  g_clear_pointer (&self->imports, g_ptr_array_unref);
  self->imports = g_steal_pointer (&data->imports);

  show_problem (self, data->missing > 0
                        ? _("Some pages saved with the form are no longer on this workstation. "
                            "Scan the material again.")
                        : NULL);
  update_provided (self);
  if (data->missing > 0)
    g_signal_emit (self, signals[DETAILS_CHANGED], 0);
}

static void
find_file_types (OwMaterialRow *self)
{
  OwStore *store = ow_context_get_store (self->context);
  g_autoptr(GTask) task = NULL;
  RestoreData *data;

  self->restore_serial++;
  self->restoring = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.scan", !self->busy);
  if (self->files->len == 0)
    return;
  if (store == NULL)
    {
      /* Without a store nothing can be scanned or looked up; the names stay as they are. */
      for (guint i = 0; i < self->files->len; i++)
        {
          OwScanImport *import = g_new0 (OwScanImport, 1);

          import->sha256 = g_strdup (g_ptr_array_index (self->files, i));
          import->content_type = g_strdup ("application/octet-stream");
          import->name = g_strdup_printf (_("Stored file %u"), i + 1);
          g_ptr_array_add (self->imports, import);
        }
      return;
    }

  data = g_new0 (RestoreData, 1);
  data->store = g_object_ref (store);
  data->files = g_ptr_array_copy (self->files, (GCopyFunc) g_strdup, NULL);
  g_ptr_array_set_free_func (data->files, g_free);
  data->imports = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_import_free);
  data->serial = self->restore_serial;

  self->restoring = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.scan", FALSE);
  task = g_task_new (self, self->cancellable, file_types_found_cb, NULL);
  g_task_set_source_tag (task, find_file_types);
  g_task_set_task_data (task, data, (GDestroyNotify) restore_data_free);
  g_task_run_in_thread (task, find_file_types_thread);
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_material_row_dispose (GObject *object)
{
  OwMaterialRow *self = OW_MATERIAL_ROW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_clear_signal_handler (&self->progress_handler, ow_context_get_scanner (self->context));
  if (self->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->dialog, self);
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (GTK_WINDOW (self->dialog));
      self->dialog = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_MATERIAL_ROW);
  g_clear_object (&self->material);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_material_row_parent_class)->dispose (object);
}

static void
ow_material_row_finalize (GObject *object)
{
  OwMaterialRow *self = OW_MATERIAL_ROW (object);

  g_clear_pointer (&self->choices, g_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->imports, g_ptr_array_unref);
  g_free (self->description);

  G_OBJECT_CLASS (ow_material_row_parent_class)->finalize (object);
}

static void
ow_material_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OwMaterialRow *self = OW_MATERIAL_ROW (object);

  switch (prop_id)
    {
    case PROP_PROVIDED:
      g_value_set_boolean (value, self->provided);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_material_row_class_init (OwMaterialRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_material_row_dispose;
  object_class->finalize = ow_material_row_finalize;
  object_class->get_property = ow_material_row_get_property;

  properties[PROP_PROVIDED] =
    g_param_spec_boolean ("provided", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The due date of a tolerated line or the note for the supplement notice changed. */
  signals[DETAILS_CHANGED] = g_signal_new ("details-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/intake/ow-material-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, licence_entry);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, note_entry);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, due_entry);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, scan_stack);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, scan_button);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, scan_progress);
  gtk_widget_class_bind_template_callback (widget_class, status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, licence_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_changed_cb);

  gtk_widget_class_install_action (widget_class, "row.scan", NULL, scan_activated);
}

static void
ow_material_row_init (OwMaterialRow *self)
{
  self->cancellable = g_cancellable_new ();
  self->choices = g_array_new (FALSE, FALSE, sizeof (OwMaterialStatus));
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_page_free);
  self->imports = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_import_free);
  g_date_clear (&self->latest_due, 1);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "activated", G_CALLBACK (row_activated_cb), NULL);
}

/* ---------------------------------------------------------------------------------------- */

static char *
describe_material (OwMaterial *material)
{
  guint originals = ow_material_get_originals (material);
  guint copies = ow_material_get_copies (material);
  GString *text = g_string_new (NULL);

  g_string_append (text, ow_material_get_required (material) ? _("Required") : _("Optional"));
  if (originals > 0)
    {
      g_string_append (text, " · ");
      /* Translators: the number of originals the applicant shows */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u original", "%u originals",
                                                 originals), originals);
    }
  if (copies > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u copy", "%u copies",
                                                 copies), copies);
    }
  if (ow_material_get_shared_exempt (material))
    g_string_append_printf (text, " · %s", _("the government shares this data"));
  else if (ow_material_get_licence_exempt (material))
    g_string_append_printf (text, " · %s", _("an electronic licence can replace it"));
  return g_string_free (text, FALSE);
}

OwMaterialRow *
ow_material_row_new (OwMaterial *material,
                     OwContext  *context)
{
  OwMaterialRow *self;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *name = NULL;
  OwMaterialStatus status;

  g_return_val_if_fail (OW_IS_MATERIAL (material), NULL);
  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);

  self = g_object_new (OW_TYPE_MATERIAL_ROW, NULL);
  self->material = g_object_ref (material);
  self->context = g_object_ref (context);

  /* Only the choices the item allows: an exemption the catalog does not grant is not offered. */
  status = OW_MATERIAL_STATUS_MISSING;
  g_array_append_val (self->choices, status);
  status = OW_MATERIAL_STATUS_PAPER;
  g_array_append_val (self->choices, status);
  status = OW_MATERIAL_STATUS_SCANNED;
  g_array_append_val (self->choices, status);
  if (ow_material_get_shared_exempt (material))
    {
      status = OW_MATERIAL_STATUS_SHARED;
      g_array_append_val (self->choices, status);
    }
  if (ow_material_get_licence_exempt (material))
    {
      status = OW_MATERIAL_STATUS_LICENCE;
      g_array_append_val (self->choices, status);
    }
  /* 容缺 only where the catalog allows it for this material. */
  if (ow_material_get_tolerable (material))
    {
      status = OW_MATERIAL_STATUS_TOLERATED;
      g_array_append_val (self->choices, status);
    }
  for (guint i = 0; i < self->choices->len; i++)
    gtk_string_list_append (labels, ow_material_status_to_label (g_array_index (self->choices,
                                                                 OwMaterialStatus, i)));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (labels));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), ow_material_get_name (material));
  self->description = describe_material (material);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->description);

  name = g_strdup (ow_material_get_name (material));
  {
    /* Translators: %s is the name of a material, e.g. 营业执照 */
    g_autofree char *status_name = g_strdup_printf (_("Status of %s"), name);
    g_autofree char *scan_name = g_strdup_printf (_("Scan %s"), name);
    g_autofree char *licence_name = g_strdup_printf (_("Electronic licence number of %s"), name);
    /* Translators: %s is the name of a material */
    g_autofree char *due_name = g_strdup_printf (_("Due date of %s"), name);
    /* Translators: %s is the name of a material */
    g_autofree char *note_name = g_strdup_printf (_("What is missing or wrong in %s"), name);
    /* Translators: %s is the name of a material */
    g_autofree char *progress_name = g_strdup_printf (_("Scanning %s"), name);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_dropdown),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, status_name, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->scan_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, scan_name, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->licence_entry),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, licence_name, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->due_entry),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, due_name, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->note_entry),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, note_name, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->scan_progress),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, progress_name, -1);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->scan_button), scan_name);
  }

  if (ow_material_get_shared_exempt (material))
    ow_material_row_set_status (self, OW_MATERIAL_STATUS_SHARED);
  update_provided (self);

  return self;
}

OwMaterial *
ow_material_row_get_material (OwMaterialRow *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL_ROW (self), NULL);
  return self->material;
}

OwMaterialStatus
ow_material_row_get_status (OwMaterialRow *self)
{
  guint selected;

  g_return_val_if_fail (OW_IS_MATERIAL_ROW (self), OW_MATERIAL_STATUS_MISSING);

  selected = gtk_drop_down_get_selected (self->status_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->choices->len)
    return OW_MATERIAL_STATUS_MISSING;
  return g_array_index (self->choices, OwMaterialStatus, selected);
}

gboolean
ow_material_row_set_status (OwMaterialRow   *self,
                            OwMaterialStatus status)
{
  g_return_val_if_fail (OW_IS_MATERIAL_ROW (self), FALSE);

  for (guint i = 0; i < self->choices->len; i++)
    if (g_array_index (self->choices, OwMaterialStatus, i) == status)
      {
        gtk_drop_down_set_selected (self->status_dropdown, i);
        update_provided (self);
        return TRUE;
      }
  return FALSE;
}

gboolean
ow_material_row_get_provided (OwMaterialRow *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL_ROW (self), FALSE);
  return self->provided;
}

gboolean
ow_material_row_get_busy (OwMaterialRow *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL_ROW (self), FALSE);
  return self->busy;
}

OwCaseMaterial *
ow_material_row_to_case_material (OwMaterialRow *self)
{
  OwCaseMaterial *line;
  OwMaterialStatus status;

  g_return_val_if_fail (OW_IS_MATERIAL_ROW (self), NULL);

  status = ow_material_row_get_status (self);
  line = ow_case_material_new (ow_material_get_id (self->material),
                               ow_material_get_name (self->material));
  line->status = status;
  if (status == OW_MATERIAL_STATUS_PAPER || status == OW_MATERIAL_STATUS_SCANNED)
    {
      /* The counts the catalog asks for are what the clerk checked off. */
      line->originals = ow_material_get_originals (self->material);
      line->copies = ow_material_get_copies (self->material);
    }
  if (status == OW_MATERIAL_STATUS_LICENCE)
    line->licence_no = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->licence_entry)));
  if (status == OW_MATERIAL_STATUS_TOLERATED)
    ow_material_row_get_due_date (self, &line->due_date);
  if (self->show_note && status == OW_MATERIAL_STATUS_MISSING)
    {
      g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (
                                            GTK_EDITABLE (self->note_entry))));
      if (*note != '\0')
        line->note = g_steal_pointer (&note);
    }
  if (status == OW_MATERIAL_STATUS_SCANNED && line->files == NULL)
    line->files = g_ptr_array_new_with_free_func (g_free);
  if (status == OW_MATERIAL_STATUS_SCANNED)
    for (guint i = 0; i < self->files->len; i++)
      g_ptr_array_add (line->files, g_strdup (g_ptr_array_index (self->files, i)));
  return line;
}

gboolean
ow_material_row_get_due_date (OwMaterialRow *self,
                              GDate         *date)
{
  const char *text;
  int year, month, day;
  char end;

  g_return_val_if_fail (OW_IS_MATERIAL_ROW (self), FALSE);
  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);
  text = gtk_editable_get_text (GTK_EDITABLE (self->due_entry));
  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3
      || !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

void
ow_material_row_set_due_date (OwMaterialRow *self,
                              const GDate   *date)
{
  char text[16] = "";

  g_return_if_fail (OW_IS_MATERIAL_ROW (self));

  if (date != NULL && g_date_valid (date))
    g_date_strftime (text, sizeof text, "%Y-%m-%d", date);
  gtk_editable_set_text (GTK_EDITABLE (self->due_entry), text);
}

void
ow_material_row_set_due_problem (OwMaterialRow *self,
                                 gboolean       wrong)
{
  g_return_if_fail (OW_IS_MATERIAL_ROW (self));

  if (wrong)
    gtk_widget_add_css_class (GTK_WIDGET (self->due_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->due_entry), "error");
}

void
ow_material_row_set_show_note (OwMaterialRow *self,
                               gboolean       show)
{
  g_return_if_fail (OW_IS_MATERIAL_ROW (self));

  self->show_note = show;
  gtk_widget_set_visible (GTK_WIDGET (self->note_entry),
                          show && ow_material_row_get_status (self) == OW_MATERIAL_STATUS_MISSING);
}

gboolean
ow_material_row_has_note (OwMaterialRow *self)
{
  g_autofree char *note = NULL;

  g_return_val_if_fail (OW_IS_MATERIAL_ROW (self), FALSE);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->note_entry)))
    return FALSE;
  note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));
  return *note != '\0';
}

void
ow_material_row_set_latest_due_date (OwMaterialRow *self,
                                     const GDate   *date)
{
  g_return_if_fail (OW_IS_MATERIAL_ROW (self));

  g_date_clear (&self->latest_due, 1);
  if (date != NULL && g_date_valid (date))
    self->latest_due = *date;
}

char *
ow_material_row_describe_pages (guint n_pages,
                                guint n_imports)
{
  GString *text = g_string_new (NULL);

  if (n_pages > 0)
    /* Translators: %u is a number of scanned pages */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u page scanned",
                                               "%u pages scanned", n_pages), n_pages);
  if (n_imports > 0)
    {
      if (n_pages > 0)
        g_string_append (text, " · ");
      /* Translators: %u is a number of files imported instead of scanning */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u file imported",
                                                 "%u files imported", n_imports), n_imports);
    }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

void
ow_material_row_restore (OwMaterialRow        *self,
                         const OwCaseMaterial *saved)
{
  g_return_if_fail (OW_IS_MATERIAL_ROW (self));
  g_return_if_fail (saved != NULL);

  /* The files before the status: "scanned" counts as provided only with pages. */
  g_ptr_array_set_size (self->files, 0);
  g_ptr_array_set_size (self->pages, 0);
  g_ptr_array_set_size (self->imports, 0);
  for (guint i = 0; saved->files != NULL && i < saved->files->len; i++)
    g_ptr_array_add (self->files, g_strdup (g_ptr_array_index (saved->files, i)));
  find_file_types (self);

  /* The catalog may have withdrawn an exemption since the form was saved. */
  if (!ow_material_row_set_status (self, saved->status))
    ow_material_row_set_status (self, OW_MATERIAL_STATUS_MISSING);

  gtk_editable_set_text (GTK_EDITABLE (self->licence_entry),
                         saved->licence_no != NULL ? saved->licence_no : "");
  if (g_date_valid (&saved->due_date))
    ow_material_row_set_due_date (self, &saved->due_date);
  else
    ow_material_row_set_due_date (self, ow_material_row_get_status (self)
                                          == OW_MATERIAL_STATUS_TOLERATED
                                        ? &self->latest_due : NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), saved->note != NULL ? saved->note : "");
  if (saved->note != NULL && *saved->note != '\0')
    ow_material_row_set_show_note (self, TRUE);

  show_problem (self, NULL);
  update_provided (self);
  g_signal_emit (self, signals[DETAILS_CHANGED], 0);
}
