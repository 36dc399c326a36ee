/* ow-material-row.c — one line of the materials checklist: status, licence number, scanning
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/ow-material-row.h"

struct _OwMaterialRow
{
  AdwActionRow parent_instance;

  /* template */
  GtkEntry *licence_entry;
  GtkDropDown *status_dropdown;
  GtkStack *scan_stack;
  GtkButton *scan_button;
  GtkProgressBar *scan_progress;

  OwMaterial *material;
  OwContext *context;
  GArray *choices;        /* OwMaterialStatus per entry of the drop-down */
  GPtrArray *files;       /* SHA-256 hex of the scanned pages */
  char *description;      /* what the catalog says: required, counts … */
  gboolean provided;
  gboolean busy;
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

static const char *
status_label (OwMaterialStatus status)
{
  switch (status)
    {
    case OW_MATERIAL_STATUS_MISSING:
      return _("Missing");
    case OW_MATERIAL_STATUS_PAPER:
      return _("On paper");
    case OW_MATERIAL_STATUS_SCANNED:
      return _("Scanned");
    case OW_MATERIAL_STATUS_SHARED:
      return _("Exempt – shared data");
    case OW_MATERIAL_STATUS_LICENCE:
      return _("Exempt – electronic licence");
    case OW_MATERIAL_STATUS_TOLERATED:
      return _("Tolerated – due later");
    default:
      g_assert_not_reached ();
    }
}

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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.scan", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The subtitle: the catalog's description, the pages scanned so far, and what went wrong. */
static void
show_problem (OwMaterialRow *self,
              const char    *message)
{
  GString *text = g_string_new (self->description);

  if (self->files->len > 0)
    {
      g_string_append (text, " · ");
      /* Translators: %u is a number of scanned pages */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u page scanned",
                                                 "%u pages scanned", self->files->len),
                              self->files->len);
    }
  if (message != NULL)
    g_string_append_printf (text, "\n%s", message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text->str);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "ow-problem");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "ow-problem");
  g_string_free (text, TRUE);
}

static char *
describe_scan_error (const GError *error)
{
  if (error->domain == OW_SCANNER_ERROR)
    switch ((OwScannerError) error->code)
      {
      case OW_SCANNER_ERROR_NO_DEVICE:
        return g_strdup (_("No scanner found. Check that it is plugged in and switched on, "
                           "then press Scan again."));
      case OW_SCANNER_ERROR_GONE:
        return g_strdup (_("The scanner stopped answering. Check its cable and power, then "
                           "press Scan again."));
      case OW_SCANNER_ERROR_BUSY:
        return g_strdup (_("The scanner is busy. Wait a moment, then press Scan again."));
      case OW_SCANNER_ERROR_JAMMED:
        return g_strdup (_("Paper jam. Clear the paper path, then press Scan again."));
      case OW_SCANNER_ERROR_COVER_OPEN:
        return g_strdup (_("The scanner's cover is open. Close it, then press Scan again."));
      case OW_SCANNER_ERROR_NO_DOCUMENTS:
        return g_strdup (_("There is no paper in the feeder. Put the document in, then press "
                           "Scan again."));
      default:
        break;
      }
  /* Translators: %s says what went wrong */
  return g_strdup_printf (_("Scanning failed: %s. Press Scan again; if it keeps failing, switch "
                            "the scanner off and on."), error->message);
}

/* ---------------------------------------------------------------------------------------- */
/* Storing pages: PNG encoding and hashing are CPU work, writing is disk work: a worker thread. */

typedef struct
{
  GPtrArray *pages;
  OwStore *store;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_ptr_array_unref (data->pages);
  g_object_unref (data->store);
  g_free (data);
}

static void
store_pages_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  StoreData *data = task_data;
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < data->pages->len; i++)
    {
      const OwScanPage *page = g_ptr_array_index (data->pages, i);
      g_autoptr(GBytes) png = ow_scan_page_to_png (page, &error);
      char *hash;

      /* The store names the file by the SHA-256 of its bytes and writes it crash-safely. */
      if (png == NULL || (hash = ow_store_add_file (data->store, png, &error)) == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (hashes, hash);
    }

  g_task_return_pointer (task, g_steal_pointer (&hashes), (GDestroyNotify) g_ptr_array_unref);
}

static void
pages_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OwMaterialRow *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hashes = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OW_MATERIAL_ROW (user_data);
  set_busy (self, FALSE);
  if (hashes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The scan could not be saved: %s"),
                                                  error->message);
      show_problem (self, message);
      return;
    }

  for (guint i = 0; i < hashes->len; i++)
    g_ptr_array_add (self->files, g_strdup (g_ptr_array_index (hashes, i)));
  show_problem (self, NULL);
  ow_material_row_set_status (self, OW_MATERIAL_STATUS_SCANNED);
  update_provided (self);
}

static void
scanned_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OwMaterialRow *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GTask) task = NULL;
  StoreData *data;
  OwStore *store;

  pages = ow_scanner_scan_finish (OW_SCANNER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = OW_MATERIAL_ROW (user_data);
  g_clear_signal_handler (&self->progress_handler, source);

  if (pages == NULL || pages->len == 0)
    {
      g_autofree char *message = NULL;

      set_busy (self, FALSE);
      message = pages == NULL ? describe_scan_error (error)
                              : g_strdup (_("The scanner returned no page. Place the document "
                                            "and press Scan again."));
      show_problem (self, message);
      return;
    }

  store = ow_context_get_store (self->context);
  data = g_new0 (StoreData, 1);
  data->pages = g_ptr_array_ref (pages);
  data->store = g_object_ref (store);

  task = g_task_new (NULL, self->cancellable, pages_stored_cb, self);
  g_task_set_source_tag (task, scanned_cb);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);
  g_task_run_in_thread (task, store_pages_thread);
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
  const char *device = ow_context_get_scanner_name (self->context);
  OwScanOptions options;

  if (self->busy)
    return;
  if (device == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (OW_SCANNER_ERROR,
                                                     OW_SCANNER_ERROR_NO_DEVICE, "");
      g_autofree char *message = describe_scan_error (error);
      show_problem (self, message);
      return;
    }

  show_problem (self, NULL);
  set_busy (self, TRUE);
  gtk_progress_bar_set_fraction (self->scan_progress, 0.0);
  ow_scan_options_init_default (&options);
  self->progress_handler = g_signal_connect_object (scanner, "progress",
                                                    G_CALLBACK (scan_progress_cb), self,
                                                    G_CONNECT_SWAPPED);
  ow_scanner_scan_async (scanner, device, &options, self->cancellable, scanned_cb, self);
}

static void
status_selected_cb (OwMaterialRow *self)
{
  update_provided (self);
}

static void
licence_changed_cb (OwMaterialRow *self)
{
  update_provided (self);
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_material_row_dispose (GObject *object)
{
  OwMaterialRow *self = OW_MATERIAL_ROW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_clear_signal_handler (&self->progress_handler, ow_context_get_scanner (self->context));
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/ow-material-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, licence_entry);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, scan_stack);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, scan_button);
  gtk_widget_class_bind_template_child (widget_class, OwMaterialRow, scan_progress);
  gtk_widget_class_bind_template_callback (widget_class, status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, licence_changed_cb);

  gtk_widget_class_install_action (widget_class, "row.scan", NULL, scan_activated);
}

static void
ow_material_row_init (OwMaterialRow *self)
{
  self->cancellable = g_cancellable_new ();
  self->choices = g_array_new (FALSE, FALSE, sizeof (OwMaterialStatus));
  self->files = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
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
  for (guint i = 0; i < self->choices->len; i++)
    gtk_string_list_append (labels, status_label (g_array_index (self->choices,
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
    g_autofree char *progress_name = g_strdup_printf (_("Scanning %s"), name);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_dropdown),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, status_name, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->scan_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, scan_name, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->licence_entry),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, licence_name, -1);
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
  if (status == OW_MATERIAL_STATUS_SCANNED && line->files == NULL)
    line->files = g_ptr_array_new_with_free_func (g_free);
  if (status == OW_MATERIAL_STATUS_SCANNED)
    for (guint i = 0; i < self->files->len; i++)
      g_ptr_array_add (line->files, g_strdup (g_ptr_array_index (self->files, i)));
  return line;
}
