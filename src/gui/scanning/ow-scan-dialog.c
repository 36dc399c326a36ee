/* ow-scan-dialog.c — the pages of one material: scan, import, arrange, store as one PDF
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog keeps the pages in memory (OwScanPage, as the scanner delivered them) until Done:
 * only then are they encoded, combined into one PDF and stored under its SHA-256, so that the
 * file store never holds a page the clerk deleted or a version before a rotation. Thumbnails,
 * rotation and storing run in worker threads; page actions wait until they are finished, so
 * that no result lands on a page that changed meanwhile.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "devices/ow-scan-page.h"
#include "devices/ow-scan-presets.h"
#include "devices/ow-scan-store.h"
#include "gui/scanning/ow-page-thumbnail.h"
#include "gui/scanning/ow-scan-dialog.h"

#define THUMBNAIL_SIDE 160

typedef struct
{
  OwScanPage *page;
  GdkTexture *texture;   /* NULL until its worker made it */
} PageEntry;

struct _OwScanDialog
{
  AdwWindow parent_instance;

  /* template */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkSpinner *store_spinner;
  GtkDropDown *device_dropdown;
  GtkDropDown *preset_dropdown;
  GtkDropDown *source_dropdown;
  GtkWidget *progress_box;
  GtkLabel *progress_label;
  GtkProgressBar *progress_bar;
  GtkLabel *problem_label;
  AdwStatusPage *empty_page;
  GtkFlowBox *pages_box;
  GtkWidget *imports_heading;
  GtkListBox *imports_list;

  OwContext *context;
  char *material_name;
  GPtrArray *entries;        /* PageEntry (rc boxes), in order */
  GPtrArray *imports;        /* OwScanImport, in order */
  GPtrArray *files;          /* SHA-256 hex, set by Done */
  GPtrArray *device_names;   /* char *, parallel to the device drop-down's model */
  char *problem;

  GCancellable *cancellable; /* the window's: cancelled in dispose */
  GCancellable *scan_cancellable;
  GtkFileChooserNative *chooser;
  gulong page_done_handler;
  gulong progress_handler;
  gulong blank_handler;
  PageEntry *rescan_target;  /* the page a rescan replaces, or NULL */
  guint scan_pages;          /* pages of the current scan */
  guint scan_blanks;         /* blank sheets it dropped */
  guint scan_insert_at;
  guint pending;             /* thumbnails, rotations, imports under way */
  gboolean scanning;
  gboolean storing;
  gboolean filling_devices;
  gboolean dirty;            /* changed since it opened */
  gboolean finished;         /* stored, or discarded on purpose: close without asking */
};

G_DEFINE_FINAL_TYPE (OwScanDialog, ow_scan_dialog, ADW_TYPE_WINDOW)

enum
{
  STORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The order of the preset drop-down. */
static const OwScanPreset presets[] = {
  OW_SCAN_PRESET_ID_CARD, OW_SCAN_PRESET_A4_FORM, OW_SCAN_PRESET_CERTIFICATE,
};

/* The order of the source drop-down. */
static const OwScanSource sources[] = {
  OW_SCAN_SOURCE_FLATBED, OW_SCAN_SOURCE_FEEDER, OW_SCAN_SOURCE_DUPLEX,
};

static void update_state (OwScanDialog *self);

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

void
ow_scan_import_free (OwScanImport *import)
{
  if (import == NULL)
    return;
  g_free (import->sha256);
  g_free (import->content_type);
  g_free (import->name);
  g_free (import);
}

OwScanImport *
ow_scan_import_copy (const OwScanImport *import)
{
  OwScanImport *copy;

  g_return_val_if_fail (import != NULL, NULL);

  copy = g_new0 (OwScanImport, 1);
  copy->sha256 = g_strdup (import->sha256);
  copy->content_type = g_strdup (import->content_type);
  copy->name = g_strdup (import->name);
  return copy;
}

static void
page_entry_clear (PageEntry *entry)
{
  g_clear_pointer (&entry->page, ow_scan_page_free);
  g_clear_object (&entry->texture);
}

static PageEntry *
page_entry_new (const OwScanPage *page)
{
  PageEntry *entry = g_rc_box_new0 (PageEntry);

  entry->page = ow_scan_page_copy (page);
  return entry;
}

static void
page_entry_release (PageEntry *entry)
{
  g_rc_box_release_full (entry, (GDestroyNotify) page_entry_clear);
}

static gboolean
find_entry (OwScanDialog *self,
            PageEntry    *entry,
            guint        *position)
{
  return g_ptr_array_find (self->entries, entry, position);
}

static gboolean
is_closing (OwScanDialog *self)
{
  return self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable);
}

static void
set_problem (OwScanDialog *self,
             const char   *message)
{
  g_free (self->problem);
  self->problem = g_strdup (message);
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

static void
add_toast (OwScanDialog *self,
           const char   *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static const char *
selected_device (OwScanDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->device_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->device_names->len)
    return NULL;
  return g_ptr_array_index (self->device_names, selected);
}

static OwScanPreset
selected_preset (OwScanDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->preset_dropdown);

  return selected < G_N_ELEMENTS (presets) ? presets[selected] : OW_SCAN_PRESET_A4_FORM;
}

static void
select_source (OwScanDialog *self,
               OwScanSource  source)
{
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i] == source)
      gtk_drop_down_set_selected (self->source_dropdown, i);
}

/* The chosen preset with what this counter changed in it (GSettings scan-presets). */
static void
get_preset_options (OwScanDialog  *self,
                    OwScanOptions *options)
{
  GSettings *settings = ow_context_get_settings (self->context);
  OwScanPreset preset = selected_preset (self);
  g_autoptr(GVariant) all = g_settings_get_value (settings, "scan-presets");
  g_autoptr(GVariant) overrides = g_variant_lookup_value (all, ow_scan_preset_to_string (preset),
                                                          G_VARIANT_TYPE_VARDICT);

  ow_scan_options_init_preset_with (options, preset, overrides);
}

/* The preset, and the source chosen in the dialog. */
static void
get_scan_options (OwScanDialog  *self,
                  OwScanOptions *options)
{
  GSettings *settings = ow_context_get_settings (self->context);
  guint source = gtk_drop_down_get_selected (self->source_dropdown);

  get_preset_options (self, options);
  if (source < G_N_ELEMENTS (sources))
    options->source = sources[source];
  options->keep_blank = g_settings_get_boolean (settings, "scan-keep-blank");
}

/* ---------------------------------------------------------------------------------------- */
/* The pages and the imported files as widgets */

static GtkWidget *
thumbnail_at (OwScanDialog *self,
              guint         position)
{
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->pages_box, position);

  return child != NULL ? gtk_flow_box_child_get_child (child) : NULL;
}

static void
show_texture (OwScanDialog *self,
              PageEntry    *entry)
{
  guint position;
  GtkWidget *thumbnail;

  if (find_entry (self, entry, &position) && (thumbnail = thumbnail_at (self, position)) != NULL)
    ow_page_thumbnail_set_texture (OW_PAGE_THUMBNAIL (thumbnail), entry->texture);
}

/* Rebuilt whole after every change: a material has a few pages, and the numbers in every
 * button's name change with the order anyway. @focus_action, when not NULL, gets the focus back
 * to that button of the page at @focus_position, so that the keyboard stays where it was. */
static void
rebuild_pages (OwScanDialog *self,
               guint         focus_position,
               const char   *focus_action)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box))) != NULL)
    gtk_flow_box_remove (self->pages_box, child);

  for (guint i = 0; i < self->entries->len; i++)
    {
      PageEntry *entry = g_ptr_array_index (self->entries, i);

      gtk_flow_box_append (self->pages_box,
                           ow_page_thumbnail_new (entry->texture, i, self->entries->len));
    }

  if (focus_action != NULL && self->entries->len > 0)
    {
      GtkWidget *thumbnail = thumbnail_at (self, MIN (focus_position, self->entries->len - 1));
      GtkWidget *button = ow_page_thumbnail_get_button (OW_PAGE_THUMBNAIL (thumbnail),
                                                        focus_action);

      if (button != NULL && gtk_widget_get_sensitive (button))
        gtk_widget_grab_focus (button);
      else
        gtk_widget_grab_focus (ow_page_thumbnail_get_button (OW_PAGE_THUMBNAIL (thumbnail),
                                                             "pages.rotate"));
    }
  update_state (self);
}

static const char *
describe_content_type (const char *content_type)
{
  if (g_strcmp0 (content_type, "application/pdf") == 0)
    return _("PDF document");
  if (g_strcmp0 (content_type, "image/jpeg") == 0)
    return _("JPEG image");
  if (g_strcmp0 (content_type, "image/png") == 0)
    return _("PNG image");
  return content_type;
}

static void
rebuild_imports (OwScanDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->imports_list))) != NULL)
    gtk_list_box_remove (self->imports_list, child);

  for (guint i = 0; i < self->imports->len; i++)
    {
      OwScanImport *import = g_ptr_array_index (self->imports, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      /* Translators: %s is the name of an imported file */
      g_autofree char *remove = g_strdup_printf (_("Remove %s"), import->name);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), import->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   describe_content_type (import->content_type));
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row),
                                    g_str_has_prefix (import->content_type, "image/")
                                      ? "image-x-generic-symbolic"
                                      : "x-office-document-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, remove);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "imports.remove");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_uint32 (i));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->imports_list, row);
    }
  update_state (self);
}

/* What may be done now, and what the window says about it. */
static void
update_state (OwScanDialog *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean idle = !self->scanning && !self->storing;
  gboolean has_pages = self->entries->len > 0;
  gboolean has_imports = self->imports->len > 0;
  g_autofree char *subtitle = NULL;

  gtk_widget_action_set_enabled (widget, "scan.scan", idle && selected_device (self) != NULL);
  gtk_widget_action_set_enabled (widget, "scan.cancel", self->scanning);
  gtk_widget_action_set_enabled (widget, "scan.refresh-devices", idle);
  gtk_widget_action_set_enabled (widget, "scan.import", !self->storing);
  gtk_widget_action_set_enabled (widget, "scan.done", idle && self->pending == 0
                                                      && (has_pages || has_imports));
  /* Page actions wait for every worker: none may land on a page that moved or changed. */
  for (guint i = 0; i < 6; i++)
    {
      static const char *const names[] = {
        "pages.move-left", "pages.move-right", "pages.move", "pages.rotate", "pages.rescan",
        "pages.delete",
      };
      gtk_widget_action_set_enabled (widget, names[i], idle && self->pending == 0);
    }
  gtk_widget_action_set_enabled (widget, "imports.remove", !self->storing);

  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), !has_pages && !has_imports);
  gtk_widget_set_visible (GTK_WIDGET (self->pages_box), has_pages);
  gtk_widget_set_visible (self->imports_heading, has_imports);
  gtk_widget_set_visible (GTK_WIDGET (self->imports_list), has_imports);
  gtk_widget_set_visible (self->progress_box, self->scanning);
  gtk_widget_set_visible (GTK_WIDGET (self->store_spinner), self->storing);
  gtk_spinner_set_spinning (self->store_spinner, self->storing);

  if (has_pages || has_imports)
    {
      g_autofree char *pages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page",
                                                             "%u pages", self->entries->len),
                                                self->entries->len);
      g_autofree char *files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u imported file",
                                                             "%u imported files",
                                                             self->imports->len),
                                                self->imports->len);

      if (has_pages && has_imports)
        /* Translators: the window's subtitle, e.g. "3 pages · 1 imported file" */
        subtitle = g_strdup_printf (_("%s · %s"), pages, files);
      else
        subtitle = g_strdup (has_pages ? pages : files);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
}

/* ---------------------------------------------------------------------------------------- */
/* Workers: thumbnails and rotation */

typedef struct
{
  OwScanPage *page;     /* in: a copy; out: the rotated page, or NULL */
  GdkTexture *texture;  /* out */
  guint degrees;
} PageWork;

static void
page_work_free (PageWork *work)
{
  g_clear_pointer (&work->page, ow_scan_page_free);
  g_clear_object (&work->texture);
  g_free (work);
}

static void
page_work_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PageWork *work = task_data;

  if (work->degrees != 0)
    {
      OwScanPage *rotated = ow_scan_page_rotate (work->page, work->degrees);

      ow_scan_page_free (work->page);
      work->page = rotated;
    }
  if (!g_task_return_error_if_cancelled (task))
    {
      work->texture = ow_page_thumbnail_make_texture (work->page, THUMBNAIL_SIDE);
      g_task_return_boolean (task, TRUE);
    }
}

static void
page_worked_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PageEntry *entry = user_data;
  GTask *task = G_TASK (result);
  OwScanDialog *self = OW_SCAN_DIALOG (source);
  PageWork *work = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (task, &error))
    {
      page_entry_release (entry);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot process a page: %s", error->message);
      self->pending--;
      update_state (self);
      return;
    }

  self->pending--;
  if (work->degrees != 0)
    {
      g_clear_pointer (&entry->page, ow_scan_page_free);
      entry->page = g_steal_pointer (&work->page);
      self->dirty = TRUE;
    }
  g_set_object (&entry->texture, work->texture);
  show_texture (self, entry);
  page_entry_release (entry);
  update_state (self);
}

/* Makes the entry's texture, turning its page by @degrees first. */
static void
work_on_page (OwScanDialog *self,
              PageEntry    *entry,
              guint         degrees)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, page_worked_cb,
                                      g_rc_box_acquire (entry));
  PageWork *work = g_new0 (PageWork, 1);

  work->page = ow_scan_page_copy (entry->page);
  work->degrees = degrees;
  g_task_set_source_tag (task, work_on_page);
  g_task_set_task_data (task, work, (GDestroyNotify) page_work_free);
  self->pending++;
  update_state (self);
  g_task_run_in_thread (task, page_work_thread);
}

/* ---------------------------------------------------------------------------------------- */
/* Scanning */

static void
disconnect_scanner (OwScanDialog *self)
{
  OwScanner *scanner = self->context != NULL ? ow_context_get_scanner (self->context) : NULL;

  if (scanner == NULL)
    return;
  g_clear_signal_handler (&self->page_done_handler, scanner);
  g_clear_signal_handler (&self->progress_handler, scanner);
  g_clear_signal_handler (&self->blank_handler, scanner);
}

static void
update_progress_label (OwScanDialog *self)
{
  /* Translators: %u counts the sheets of this scan, from 1 */
  g_autofree char *text = g_strdup_printf (_("Scanning page %u…"),
                                           self->scan_pages + self->scan_blanks + 1);
  gtk_label_set_text (self->progress_label, text);
}

static void
page_done_cb (OwScanDialog *self,
              gpointer      page,
              guint         index,
              OwScanner    *scanner)
{
  PageEntry *entry = page_entry_new (page);
  guint position;

  if (self->rescan_target != NULL && self->scan_pages == 0
      && find_entry (self, self->rescan_target, &position))
    {
      /* The new scan replaces the page (the old one is freed with its slot); more sheets from a
       * feeder follow it. */
      page_entry_release (g_ptr_array_steal_index (self->entries, position));
      g_ptr_array_insert (self->entries, position, entry);
      self->scan_insert_at = position + 1;
    }
  else if (self->rescan_target != NULL && self->scan_pages > 0)
    g_ptr_array_insert (self->entries, self->scan_insert_at++, entry);
  else
    g_ptr_array_add (self->entries, entry);

  self->scan_pages++;
  self->dirty = TRUE;
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  update_progress_label (self);
  rebuild_pages (self, 0, NULL);
  work_on_page (self, entry, 0);
}

static void
progress_cb (OwScanDialog *self,
             double        fraction,
             OwScanner    *scanner)
{
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

static void
blank_dropped_cb (OwScanDialog *self,
                  guint         sheet,
                  OwScanner    *scanner)
{
  self->scan_blanks++;
  update_progress_label (self);
}

static void
scanned_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OwScanDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  gboolean stopped;

  pages = ow_scanner_scan_finish (OW_SCANNER (source), result, &error);
  stopped = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (is_closing (self))
    return;

  /* Every page arrived through page-done already: what the scanner delivered before a jam or
   * a Stop stays in the dialog. */
  disconnect_scanner (self);
  self->scanning = FALSE;
  g_clear_object (&self->scan_cancellable);
  g_clear_pointer (&self->rescan_target, page_entry_release);

  if (stopped)
    {
      /* Translators: %u is the number of pages kept after the clerk stopped a scan */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Scanning stopped; %u page kept",
                                                            "Scanning stopped; %u pages kept",
                                                            self->scan_pages),
                                               self->scan_pages);
      add_toast (self, text);
    }
  else if (error != NULL)
    {
      g_autofree char *text = NULL;

      if (self->scan_pages > 0)
        /* Translators: %s says what went wrong and what to do; %u counts the pages kept */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s The page scanned before is kept.",
                                             "%s The %u pages scanned before are kept.",
                                             self->scan_pages),
                                error->message, self->scan_pages);
      set_problem (self, text != NULL ? text : error->message);
    }
  else if (self->scan_pages == 0 && self->scan_blanks == 0)
    set_problem (self, _("The scanner returned no page. Place the document and scan again."));

  if (self->scan_blanks > 0)
    {
      /* Translators: %u is a number of blank sheets left out of a feeder batch */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u blank page dropped",
                                                            "%u blank pages dropped",
                                                            self->scan_blanks),
                                               self->scan_blanks);
      add_toast (self, text);
    }
  update_state (self);
}

static void
start_scan (OwScanDialog *self,
            PageEntry    *rescan_target)
{
  OwScanner *scanner = ow_context_get_scanner (self->context);
  const char *device = selected_device (self);
  OwScanOptions options;

  if (self->scanning || self->storing)
    return;
  if (device == NULL)
    {
      set_problem (self, _("No scanner was found. Connect the scanner, switch it on, then look "
                           "for scanners again."));
      return;
    }

  get_scan_options (self, &options);
  set_problem (self, NULL);
  self->scanning = TRUE;
  self->scan_pages = 0;
  self->scan_blanks = 0;
  self->rescan_target = rescan_target != NULL ? g_rc_box_acquire (rescan_target) : NULL;
  self->scan_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  update_progress_label (self);

  self->page_done_handler = g_signal_connect_object (scanner, "page-done",
                                                     G_CALLBACK (page_done_cb), self,
                                                     G_CONNECT_SWAPPED);
  self->progress_handler = g_signal_connect_object (scanner, "progress",
                                                    G_CALLBACK (progress_cb), self,
                                                    G_CONNECT_SWAPPED);
  self->blank_handler = g_signal_connect_object (scanner, "blank-dropped",
                                                 G_CALLBACK (blank_dropped_cb), self,
                                                 G_CONNECT_SWAPPED);
  update_state (self);
  ow_scanner_scan_async (scanner, device, &options, self->scan_cancellable, scanned_cb,
                         g_object_ref (self));
}

/* ---------------------------------------------------------------------------------------- */
/* Devices */

static void
fill_devices (OwScanDialog *self,
              GPtrArray    *devices)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *current = g_strdup (selected_device (self));
  guint selected = GTK_INVALID_LIST_POSITION;

  if (current == NULL)
    current = g_strdup (ow_context_get_scanner_name (self->context));

  self->filling_devices = TRUE;
  g_ptr_array_set_size (self->device_names, 0);
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      OwScanDevice *device = g_ptr_array_index (devices, i);
      /* Translators: a scanner in the list: vendor, model and SANE name */
      g_autofree char *label = g_strdup_printf (_("%s %s (%s)"),
                                                device->vendor != NULL ? device->vendor : "",
                                                device->model != NULL ? device->model : "",
                                                device->name);

      g_ptr_array_add (self->device_names, g_strdup (device->name));
      gtk_string_list_append (labels, g_strstrip (label));
      if (g_strcmp0 (device->name, current) == 0)
        selected = i;
    }
  /* The chosen scanner stays in the list while it is away, so that the clerk sees which one. */
  if (current != NULL && selected == GTK_INVALID_LIST_POSITION && devices != NULL)
    {
      /* Translators: %s is a scanner's SANE name */
      g_autofree char *label = g_strdup_printf (_("%s (not found)"), current);

      selected = self->device_names->len;
      g_ptr_array_add (self->device_names, g_strdup (current));
      gtk_string_list_append (labels, label);
    }
  else if (current != NULL && devices == NULL)
    {
      selected = 0;
      g_ptr_array_add (self->device_names, g_strdup (current));
      gtk_string_list_append (labels, current);
    }
  if (selected == GTK_INVALID_LIST_POSITION && self->device_names->len > 0)
    selected = 0;

  gtk_drop_down_set_model (self->device_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->device_dropdown, selected);
  self->filling_devices = FALSE;
  update_state (self);
}

static void
devices_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OwScanDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;

  devices = ow_scanner_list_devices_finish (OW_SCANNER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_closing (self))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.refresh-devices", TRUE);
  if (devices == NULL)
    {
      set_problem (self, error->message);
      return;
    }
  fill_devices (self, devices);
  if (devices->len == 0)
    set_problem (self, _("No scanner was found. Connect the scanner, switch it on, then look "
                         "for scanners again."));
}

static void
device_selected_cb (OwScanDialog *self)
{
  const char *device = selected_device (self);

  if (self->filling_devices || device == NULL || self->context == NULL)
    return;
  /* The clerk's choice is the counter's scanner from now on, and after a restart. */
  ow_context_set_scanner_name (self->context, device);
  update_state (self);
}

static void
preset_selected_cb (OwScanDialog *self)
{
  OwScanOptions options;

  if (self->context == NULL)   /* the template is being built */
    return;
  get_preset_options (self, &options);
  select_source (self, options.source);
}

/* ---------------------------------------------------------------------------------------- */
/* Importing files */

typedef struct
{
  OwScanDialog *self;
  char *name;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_object_unref (data->self);
  g_free (data->name);
  g_free (data);
}

static void
file_imported_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ImportData *data = user_data;
  OwScanDialog *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *sha256 = ow_scan_import_file_finish (result, &content_type, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_closing (self))
    {
      import_data_free (data);
      return;
    }

  self->pending--;
  if (sha256 == NULL)
    set_problem (self, error->message);
  else
    {
      OwScanImport *import = g_new0 (OwScanImport, 1);

      import->sha256 = g_steal_pointer (&sha256);
      import->content_type = g_steal_pointer (&content_type);
      import->name = g_strdup (data->name);
      g_ptr_array_add (self->imports, import);
      self->dirty = TRUE;
      set_problem (self, NULL);
      rebuild_imports (self);
    }
  update_state (self);
  import_data_free (data);
}

static void
chooser_responded_cb (OwScanDialog         *self,
                      int                   response,
                      GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          ow_scan_dialog_import_file (self, file);
        }
    }
  g_clear_object (&self->chooser);
}

static gboolean
files_dropped_cb (OwScanDialog  *self,
                  const GValue  *value,
                  double         x,
                  double         y,
                  GtkDropTarget *target)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->storing)
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = files; l != NULL; l = l->next)
    ow_scan_dialog_import_file (self, l->data);
  g_slist_free (files);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Removing with undo */

typedef struct
{
  gpointer item;       /* PageEntry (a reference) or OwScanImport */
  gboolean is_import;
  guint position;
} Removed;

static void
removed_free (Removed *removed)
{
  if (removed->item != NULL)
    {
      if (removed->is_import)
        ow_scan_import_free (removed->item);
      else
        page_entry_release (removed->item);
    }
  g_free (removed);
}

static void
undo_clicked_cb (OwScanDialog *self,
                 AdwToast     *toast)
{
  Removed *removed = g_object_get_data (G_OBJECT (toast), "ow-removed");

  if (removed == NULL || removed->item == NULL || self->storing)
    return;
  if (removed->is_import)
    {
      g_ptr_array_insert (self->imports, MIN (removed->position, self->imports->len),
                          g_steal_pointer (&removed->item));
      rebuild_imports (self);
    }
  else
    {
      guint position = MIN (removed->position, self->entries->len);

      g_ptr_array_insert (self->entries, position, g_steal_pointer (&removed->item));
      rebuild_pages (self, position, "pages.rotate");
    }
}

static void
offer_undo (OwScanDialog *self,
            Removed      *removed,
            const char   *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_button_label (toast, _("_Undo"));
  /* Not ADW_TOAST_PRIORITY_HIGH: libadwaita 1.2.2 aborts (show_toast: !info->widget) when a
   * high-priority toast is dismissed — Undo pressed — while it still replaces the toast it
   * pushed aside. */
  g_object_set_data_full (G_OBJECT (toast), "ow-removed", removed, (GDestroyNotify) removed_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---------------------------------------------------------------------------------------- */
/* Actions */

static gboolean
get_position (OwScanDialog *self,
              GVariant     *parameter,
              guint        *position)
{
  *position = g_variant_get_uint32 (parameter);
  return *position < self->entries->len;
}

static void
move_left_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);
  guint position;
  gpointer entry;

  if (!get_position (self, parameter, &position) || position == 0)
    return;
  entry = g_ptr_array_steal_index (self->entries, position);
  g_ptr_array_insert (self->entries, position - 1, entry);
  self->dirty = TRUE;
  rebuild_pages (self, position - 1, action_name);
}

static void
move_right_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);
  guint position;
  gpointer entry;

  if (!get_position (self, parameter, &position) || position + 1 >= self->entries->len)
    return;
  entry = g_ptr_array_steal_index (self->entries, position);
  g_ptr_array_insert (self->entries, position + 1, entry);
  self->dirty = TRUE;
  rebuild_pages (self, position + 1, action_name);
}

/* A page dragged onto another takes its place; the pages between shift by one. */
static void
move_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);
  guint from, to;
  gpointer entry;

  g_variant_get (parameter, "(uu)", &from, &to);
  if (from >= self->entries->len || to >= self->entries->len || from == to)
    return;
  entry = g_ptr_array_steal_index (self->entries, from);
  g_ptr_array_insert (self->entries, to, entry);
  self->dirty = TRUE;
  rebuild_pages (self, to, "pages.rotate");
}

static void
rotate_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);
  guint position;

  if (!get_position (self, parameter, &position) || self->pending > 0)
    return;
  work_on_page (self, g_ptr_array_index (self->entries, position), 90);
}

static void
rescan_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);
  guint position;

  if (!get_position (self, parameter, &position))
    return;
  start_scan (self, g_ptr_array_index (self->entries, position));
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);
  Removed *removed;
  guint position;
  g_autofree char *text = NULL;

  if (!get_position (self, parameter, &position))
    return;
  removed = g_new0 (Removed, 1);
  removed->item = g_ptr_array_steal_index (self->entries, position);
  removed->position = position;
  self->dirty = TRUE;
  rebuild_pages (self, position, action_name);
  /* Translators: %u is a page number */
  text = g_strdup_printf (_("Page %u deleted"), position + 1);
  offer_undo (self, removed, text);
}

static void
remove_import_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);
  guint position = g_variant_get_uint32 (parameter);
  Removed *removed;
  g_autofree char *text = NULL;

  if (position >= self->imports->len)
    return;
  removed = g_new0 (Removed, 1);
  removed->item = g_ptr_array_steal_index (self->imports, position);
  removed->is_import = TRUE;
  removed->position = position;
  self->dirty = TRUE;
  /* Translators: %s is the name of an imported file */
  text = g_strdup_printf (_("%s removed"), ((OwScanImport *) removed->item)->name);
  rebuild_imports (self);
  offer_undo (self, removed, text);
}

static void
scan_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  start_scan (OW_SCAN_DIALOG (widget), NULL);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);

  /* The scanner stops within the current read; the pages before stay. */
  if (self->scan_cancellable != NULL)
    g_cancellable_cancel (self->scan_cancellable);
}

static void
refresh_devices_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);

  gtk_widget_action_set_enabled (widget, "scan.refresh-devices", FALSE);
  ow_scanner_refresh_devices_async (ow_context_get_scanner (self->context), self->cancellable,
                                    devices_listed_cb, g_object_ref (self));
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  gtk_file_filter_set_name (filter, _("PDF, JPEG and PNG files"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  self->chooser = gtk_file_chooser_native_new (_("Import Files"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                               _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_responded_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
destroy_window_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* Hidden first, destroyed from an idle: unmapping finishes the toasts' animations while their
 * overlay still exists. libadwaita 1.2 crashes when a toast's hide animation ends after the
 * overlay was destroyed (seen in tests/gui about once in ten runs). This also keeps a message
 * dialog's response handler from destroying the window it runs in. */
static void
close_now (OwScanDialog *self)
{
  self->finished = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_window_cb, g_object_ref (self), g_object_unref);
}

static void
finish_done (OwScanDialog *self,
             char         *pdf_sha256)
{
  g_ptr_array_set_size (self->files, 0);
  if (pdf_sha256 != NULL)
    g_ptr_array_add (self->files, pdf_sha256);
  for (guint i = 0; i < self->imports->len; i++)
    g_ptr_array_add (self->files,
                     g_strdup (((OwScanImport *) g_ptr_array_index (self->imports, i))->sha256));

  self->finished = TRUE;
  g_signal_emit (self, signals[STORED], 0);
  close_now (self);
}

static void
material_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OwScanDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *sha256 = ow_scan_store_material_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_closing (self))
    {
      g_free (sha256);
      return;
    }

  self->storing = FALSE;
  if (sha256 == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The pages could not be stored: %s"),
                                               error->message);
      set_problem (self, text);
      update_state (self);
      return;
    }
  finish_done (self, sha256);
}

static void
done_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwScanDialog *self = OW_SCAN_DIALOG (widget);
  g_autoptr(GPtrArray) pages = NULL;
  OwStore *store = ow_context_get_store (self->context);

  if (self->scanning || self->storing || self->pending > 0)
    return;
  if (self->entries->len == 0)
    {
      finish_done (self, NULL);
      return;
    }
  if (store == NULL)
    {
      set_problem (self, _("The local database is not open, so the pages cannot be stored."));
      return;
    }

  pages = ow_scan_dialog_dup_pages (self);
  set_problem (self, NULL);
  self->storing = TRUE;
  update_state (self);
  ow_scan_store_material_async (ow_store_get_files_dir (store), pages, self->cancellable,
                                material_stored_cb, g_object_ref (self));
}

static void
discard_responded_cb (OwScanDialog   *self,
                      const char     *response,
                      AdwMessageDialog *dialog)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  close_now (self);
}

/* Closing without Done would lose pages: ask first. */
static gboolean
ow_scan_dialog_close_request (GtkWindow *window)
{
  OwScanDialog *self = OW_SCAN_DIALOG (window);
  GtkWidget *dialog;

  if (self->finished || self->storing)
    return TRUE;
  if (!self->dirty && !self->scanning)
    {
      close_now (self);
      return TRUE;
    }

  dialog = adw_message_dialog_new (window, _("Discard the Changes?"),
                                   _("The pages scanned, imported or changed since this window "
                                     "opened are not stored for the material."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_responded_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_scan_dialog_dispose (GObject *object)
{
  OwScanDialog *self = OW_SCAN_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->scan_cancellable != NULL)
    g_cancellable_cancel (self->scan_cancellable);
  disconnect_scanner (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_SCAN_DIALOG);
  g_clear_pointer (&self->rescan_target, page_entry_release);
  g_clear_object (&self->scan_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (ow_scan_dialog_parent_class)->dispose (object);
}

static void
ow_scan_dialog_finalize (GObject *object)
{
  OwScanDialog *self = OW_SCAN_DIALOG (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->imports, g_ptr_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->device_names, g_ptr_array_unref);
  g_free (self->material_name);
  g_free (self->problem);

  G_OBJECT_CLASS (ow_scan_dialog_parent_class)->finalize (object);
}

static void
ow_scan_dialog_class_init (OwScanDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ow_scan_dialog_dispose;
  object_class->finalize = ow_scan_dialog_finalize;
  window_class->close_request = ow_scan_dialog_close_request;

  /**
   * OwScanDialog::stored:
   *
   * Done stored the material's pages; ow_scan_dialog_get_files() names its files.
   */
  signals[STORED] = g_signal_new ("stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/scanning/ow-scan-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, store_spinner);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, device_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, preset_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, pages_box);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, imports_heading);
  gtk_widget_class_bind_template_child (widget_class, OwScanDialog, imports_list);
  gtk_widget_class_bind_template_callback (widget_class, device_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, preset_selected_cb);

  gtk_widget_class_install_action (widget_class, "scan.scan", NULL, scan_activated);
  gtk_widget_class_install_action (widget_class, "scan.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "scan.refresh-devices", NULL,
                                   refresh_devices_activated);
  gtk_widget_class_install_action (widget_class, "scan.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "scan.done", NULL, done_activated);
  gtk_widget_class_install_action (widget_class, "pages.move-left", "u", move_left_activated);
  gtk_widget_class_install_action (widget_class, "pages.move-right", "u", move_right_activated);
  gtk_widget_class_install_action (widget_class, "pages.move", "(uu)", move_activated);
  gtk_widget_class_install_action (widget_class, "pages.rotate", "u", rotate_activated);
  gtk_widget_class_install_action (widget_class, "pages.rescan", "u", rescan_activated);
  gtk_widget_class_install_action (widget_class, "pages.delete", "u", delete_activated);
  gtk_widget_class_install_action (widget_class, "imports.remove", "u", remove_import_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "scan.done", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "scan.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ow_scan_dialog_init (OwScanDialog *self)
{
  g_autoptr(GtkStringList) preset_labels = NULL;
  g_autoptr(GtkStringList) source_labels = NULL;
  GtkDropTarget *target;

  self->cancellable = g_cancellable_new ();
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) page_entry_release);
  self->imports = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_import_free);
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->device_names = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the order of presets[] and sources[]. */
  preset_labels = gtk_string_list_new ((const char *[]) {
    _("ID card"), _("A4 form"), _("Certificate"), NULL });
  source_labels = gtk_string_list_new ((const char *[]) {
    _("Flatbed"), _("Document feeder"), _("Feeder, both sides"), NULL });
  gtk_drop_down_set_model (self->source_dropdown, G_LIST_MODEL (source_labels));
  gtk_drop_down_set_model (self->preset_dropdown, G_LIST_MODEL (preset_labels));

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (files_dropped_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* ---------------------------------------------------------------------------------------- */

OwScanDialog *
ow_scan_dialog_new (GtkWindow  *parent,
                    OwContext  *context,
                    const char *material_name,
                    GPtrArray  *pages,
                    GPtrArray  *imports)
{
  OwScanDialog *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (material_name != NULL, NULL);

  self = g_object_new (OW_TYPE_SCAN_DIALOG, "transient-for", parent,
                       "destroy-with-parent", TRUE, NULL);
  self->context = g_object_ref (context);
  self->material_name = g_strdup (material_name);
  adw_window_title_set_title (self->window_title, material_name);
  /* Translators: the window's title; %s is the name of a material */
  title = g_strdup_printf (_("Pages of %s"), material_name);
  gtk_window_set_title (GTK_WINDOW (self), title);

  for (guint i = 0; pages != NULL && i < pages->len; i++)
    g_ptr_array_add (self->entries, page_entry_new (g_ptr_array_index (pages, i)));
  for (guint i = 0; imports != NULL && i < imports->len; i++)
    g_ptr_array_add (self->imports, ow_scan_import_copy (g_ptr_array_index (imports, i)));

  /* A4 forms through the feeder are what counters scan most. */
  gtk_drop_down_set_selected (self->preset_dropdown, 1);
  preset_selected_cb (self);

  /* The scanner the counter uses until the list arrives; then every one found. */
  fill_devices (self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.refresh-devices", FALSE);
  ow_scanner_list_devices_async (ow_context_get_scanner (context), self->cancellable,
                                 devices_listed_cb, g_object_ref (self));

  rebuild_pages (self, 0, NULL);
  rebuild_imports (self);
  for (guint i = 0; i < self->entries->len; i++)
    work_on_page (self, g_ptr_array_index (self->entries, i), 0);
  return self;
}

GPtrArray *
ow_scan_dialog_get_files (OwScanDialog *self)
{
  g_return_val_if_fail (OW_IS_SCAN_DIALOG (self), NULL);
  return self->files;
}

GPtrArray *
ow_scan_dialog_dup_pages (OwScanDialog *self)
{
  GPtrArray *pages;

  g_return_val_if_fail (OW_IS_SCAN_DIALOG (self), NULL);

  pages = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_page_free);
  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (pages,
                     ow_scan_page_copy (((PageEntry *) g_ptr_array_index (self->entries, i))->page));
  return pages;
}

GPtrArray *
ow_scan_dialog_dup_imports (OwScanDialog *self)
{
  GPtrArray *imports;

  g_return_val_if_fail (OW_IS_SCAN_DIALOG (self), NULL);

  imports = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_import_free);
  for (guint i = 0; i < self->imports->len; i++)
    g_ptr_array_add (imports, ow_scan_import_copy (g_ptr_array_index (self->imports, i)));
  return imports;
}

guint
ow_scan_dialog_get_n_pages (OwScanDialog *self)
{
  g_return_val_if_fail (OW_IS_SCAN_DIALOG (self), 0);
  return self->entries->len;
}

guint
ow_scan_dialog_get_n_imports (OwScanDialog *self)
{
  g_return_val_if_fail (OW_IS_SCAN_DIALOG (self), 0);
  return self->imports->len;
}

gboolean
ow_scan_dialog_get_busy (OwScanDialog *self)
{
  g_return_val_if_fail (OW_IS_SCAN_DIALOG (self), FALSE);
  return self->scanning || self->storing || self->pending > 0;
}

const char *
ow_scan_dialog_get_problem (OwScanDialog *self)
{
  g_return_val_if_fail (OW_IS_SCAN_DIALOG (self), NULL);
  return self->problem;
}

void
ow_scan_dialog_import_file (OwScanDialog *self,
                            GFile        *file)
{
  OwStore *store;
  ImportData *data;

  g_return_if_fail (OW_IS_SCAN_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  store = ow_context_get_store (self->context);
  if (store == NULL)
    {
      set_problem (self, _("The local database is not open, so files cannot be imported."));
      return;
    }
  data = g_new0 (ImportData, 1);
  data->self = g_object_ref (self);
  data->name = g_file_get_basename (file);
  self->pending++;
  update_state (self);
  ow_scan_import_file_async (ow_store_get_files_dir (store), file, self->cancellable,
                             file_imported_cb, data);
}
