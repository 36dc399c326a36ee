/* ow-preferences-window.c — the Preferences window: printers and copies per document, connection
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Settings apply as they change, as in GNOME's own preferences: no Apply button.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "documents/ow-document-settings.h"
#include "gui/pickup/ow-rating-window.h"
#include "gui/shell/ow-preferences-window.h"

/* The schema's range for "document-copies": one copy each for applicant, department, archive. */
#define MAX_COPIES 3

typedef struct
{
  OwPreferencesWindow *window;   /* unowned */
  OwDocumentKind       kind;
  AdwComboRow         *printer_row;
  GtkSpinner          *spinner;
} KindRows;

struct _OwPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* template */
  AdwPreferencesPage *printing_page;
  GtkSwitch *mask_switch;
  AdwEntryRow *platform_row;
  GtkSpinButton *idle_spin;
  AdwComboRow *rating_screen_row;

  GSettings *settings;
  OwPrinter *printer;
  GCancellable *cancellable;
  GtkStringList *printer_labels;  /* "Default Printer", then what people call each printer */
  GPtrArray *printer_names;       /* NULL for the default, then destination names */
  KindRows kinds[OW_DOCUMENT_N_KINDS];
  gboolean updating;              /* filling the rows: not the clerk's choice */
};

G_DEFINE_FINAL_TYPE (OwPreferencesWindow, ow_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_PRINTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
get_kind_title (OwDocumentKind kind)
{
  switch (kind)
    {
    case OW_DOCUMENT_ACCEPTANCE: return _("Acceptance Notice");
    case OW_DOCUMENT_TOLERATED: return _("Tolerated Acceptance Notice");
    case OW_DOCUMENT_SUPPLEMENT: return _("Supplement Notice");
    case OW_DOCUMENT_REFUSAL: return _("Refusal Notice");
    case OW_DOCUMENT_PICKUP_SLIP: return _("Pickup Slip");
    case OW_DOCUMENT_TICKET_RECEIPT: return _("Unfinished Business Receipt");
    case OW_DOCUMENT_RECEIPT_80MM: return _("80 mm Receipt");
    case OW_DOCUMENT_GUIDE: return _("One-Time Notification Guide");
    case OW_DOCUMENT_MAIL_LIST: return _("Courier Hand-over List");
    default: g_assert_not_reached ();
    }
}

/* ---------------------------------------------------------------------------------------- */

static guint
find_printer (OwPreferencesWindow *self,
              const char          *name)
{
  for (guint i = 1; i < self->printer_names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->printer_names, i), name) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
add_printer (OwPreferencesWindow *self,
             const char          *name,
             const char          *label)
{
  if (name == NULL || *name == '\0' || find_printer (self, name) != GTK_INVALID_LIST_POSITION)
    return;
  g_ptr_array_add (self->printer_names, g_strdup (name));
  gtk_string_list_append (self->printer_labels, label != NULL && *label != '\0' ? label : name);
}

/* Printers the settings already name stay choosable while CUPS is slow or one is switched off. */
static void
add_configured_printers (OwPreferencesWindow *self)
{
  g_autoptr(GVariant) printers = g_settings_get_value (self->settings, "document-printers");
  g_autofree char *notice = g_settings_get_string (self->settings, "notice-printer");
  g_autofree char *receipt = g_settings_get_string (self->settings, "receipt-printer");
  GVariantIter iter;
  const char *name;

  add_printer (self, notice, NULL);
  add_printer (self, receipt, NULL);
  g_variant_iter_init (&iter, printers);
  while (g_variant_iter_next (&iter, "{&s&s}", NULL, &name))
    add_printer (self, name, NULL);
}

static void
select_current_printers (OwPreferencesWindow *self)
{
  g_autoptr(GVariant) printers = g_settings_get_value (self->settings, "document-printers");

  self->updating = TRUE;
  for (guint i = 0; i < OW_DOCUMENT_N_KINDS; i++)
    {
      KindRows *rows = &self->kinds[i];
      const char *name = NULL;
      guint position = 0;

      if (g_variant_lookup (printers, ow_document_kind_to_string (rows->kind), "&s", &name))
        position = find_printer (self, name);
      adw_combo_row_set_selected (rows->printer_row,
                                  position != GTK_INVALID_LIST_POSITION ? position : 0);
    }
  self->updating = FALSE;
}

static void
set_listing (OwPreferencesWindow *self,
             gboolean             listing,
             gboolean             none_found)
{
  for (guint i = 0; i < OW_DOCUMENT_N_KINDS; i++)
    {
      KindRows *rows = &self->kinds[i];
      const char *subtitle = NULL;

      gtk_widget_set_visible (GTK_WIDGET (rows->spinner), listing);
      gtk_spinner_set_spinning (rows->spinner, listing);
      if (listing)
        subtitle = _("Looking for printers…");
      else if (none_found)
        subtitle = _("No printers found");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (rows->printer_row),
                                   subtitle != NULL ? subtitle : "");
    }
}

/* "document-printers" and "document-copies" are dictionaries: read, change one entry, write. */
static void
store_printer (OwPreferencesWindow *self,
               OwDocumentKind       kind,
               const char          *printer)
{
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "document-printers");
  const char *name = ow_document_kind_to_string (kind);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  const char *value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (g_strcmp0 (key, name) != 0)
      g_variant_builder_add (&builder, "{ss}", key, value);
  /* No entry: the notice (or receipt) printer, else the system's default. */
  if (printer != NULL)
    g_variant_builder_add (&builder, "{ss}", name, printer);
  g_settings_set_value (self->settings, "document-printers", g_variant_builder_end (&builder));
}

static void
store_copies (OwPreferencesWindow *self,
              OwDocumentKind       kind,
              guint                copies)
{
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "document-copies");
  const char *name = ow_document_kind_to_string (kind);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  guint32 n;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{su}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&su}", &key, &n))
    if (g_strcmp0 (key, name) != 0)
      g_variant_builder_add (&builder, "{su}", key, n);
  g_variant_builder_add (&builder, "{su}", name, (guint32) copies);
  g_settings_set_value (self->settings, "document-copies", g_variant_builder_end (&builder));
}

/* ---------------------------------------------------------------------------------------- */

static void
printers_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OwPreferencesWindow) self = user_data;
  g_autoptr(GPtrArray) printers = NULL;
  g_autoptr(GError) error = NULL;

  printers = ow_printer_list_finish (OW_PRINTER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Listing printers failed: %s", error->message);

  for (guint i = 0; printers != NULL && i < printers->len; i++)
    {
      OwPrinterInfo *info = g_ptr_array_index (printers, i);

      add_printer (self, info->name, info->info);
    }
  select_current_printers (self);
  set_listing (self, FALSE, printers == NULL || printers->len == 0);
}

static void
printer_selected_cb (AdwComboRow *row,
                     GParamSpec  *pspec,
                     KindRows    *rows)
{
  OwPreferencesWindow *self = rows->window;
  guint position = adw_combo_row_get_selected (row);

  if (self->updating || position == GTK_INVALID_LIST_POSITION
      || position >= self->printer_names->len)
    return;
  store_printer (self, rows->kind, g_ptr_array_index (self->printer_names, position));
}

static void
copies_changed_cb (GtkSpinButton *spin,
                   KindRows      *rows)
{
  if (rows->window->updating)
    return;
  store_copies (rows->window, rows->kind, (guint) gtk_spin_button_get_value_as_int (spin));
}

/* ---------------------------------------------------------------------------------------- */

static void
add_kind_group (OwPreferencesWindow *self,
                KindRows            *rows)
{
  const char *title = get_kind_title (rows->kind);
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *copies_row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (1, MAX_COPIES, 1);
  g_autofree char *printer_name = NULL;
  g_autofree char *copies_name = NULL;

  adw_preferences_group_set_title (group, title);

  rows->printer_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->printer_row), _("_Printer"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (rows->printer_row), TRUE);
  adw_combo_row_set_model (rows->printer_row, G_LIST_MODEL (self->printer_labels));
  /* Translators: %s is a kind of document, "Acceptance Notice" … */
  printer_name = g_strdup_printf (_("Printer for %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (rows->printer_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, printer_name, -1);
  rows->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (rows->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Looking for printers"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (rows->printer_row), GTK_WIDGET (rows->spinner));
  g_signal_connect (rows->printer_row, "notify::selected", G_CALLBACK (printer_selected_cb),
                    rows);
  adw_preferences_group_add (group, GTK_WIDGET (rows->printer_row));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (copies_row), _("_Copies"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (copies_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (copies_row),
                               _("Each copy is marked for the applicant, the department or the "
                                 "archive"));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                             ow_document_settings_get_copies (self->settings, rows->kind));
  /* Translators: %s is a kind of document, "Acceptance Notice" … */
  copies_name = g_strdup_printf (_("Copies of %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, copies_name, -1);
  g_signal_connect (spin, "value-changed", G_CALLBACK (copies_changed_cb), rows);
  adw_action_row_add_suffix (ADW_ACTION_ROW (copies_row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (copies_row), spin);
  adw_preferences_group_add (group, copies_row);

  adw_preferences_page_add (self->printing_page, group);
}

static void
ow_preferences_window_constructed (GObject *object)
{
  OwPreferencesWindow *self = OW_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (ow_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  self->updating = TRUE;
  add_configured_printers (self);
  for (guint i = 0; i < OW_DOCUMENT_N_KINDS; i++)
    {
      self->kinds[i].window = self;
      self->kinds[i].kind = OW_DOCUMENT_ACCEPTANCE + i;
      add_kind_group (self, &self->kinds[i]);
    }
  self->updating = FALSE;
  select_current_printers (self);

  g_settings_bind (self->settings, "mask-applicant-copy", self->mask_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "platform-uri", self->platform_row, "text",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);
  g_settings_bind (self->settings, "idle-logout-minutes", self->idle_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  ow_rating_screen_row_bind (self->rating_screen_row, self->settings);

  if (self->printer != NULL)
    {
      set_listing (self, TRUE, FALSE);
      ow_printer_list_async (self->printer, self->cancellable, printers_listed_cb,
                             g_object_ref (self));
    }
  else
    set_listing (self, FALSE, self->printer_names->len == 1);
}

static void
ow_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  OwPreferencesWindow *self = OW_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_PRINTER:
      self->printer = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_preferences_window_dispose (GObject *object)
{
  OwPreferencesWindow *self = OW_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->printer);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->printer_labels);

  G_OBJECT_CLASS (ow_preferences_window_parent_class)->dispose (object);
}

static void
ow_preferences_window_finalize (GObject *object)
{
  OwPreferencesWindow *self = OW_PREFERENCES_WINDOW (object);

  g_clear_pointer (&self->printer_names, g_ptr_array_unref);

  G_OBJECT_CLASS (ow_preferences_window_parent_class)->finalize (object);
}

static void
ow_preferences_window_class_init (OwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ow_preferences_window_constructed;
  object_class->set_property = ow_preferences_window_set_property;
  object_class->dispose = ow_preferences_window_dispose;
  object_class->finalize = ow_preferences_window_finalize;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRINTER] =
    g_param_spec_object ("printer", NULL, NULL, OW_TYPE_PRINTER,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/shell/"
                                               "ow-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OwPreferencesWindow, printing_page);
  gtk_widget_class_bind_template_child (widget_class, OwPreferencesWindow, mask_switch);
  gtk_widget_class_bind_template_child (widget_class, OwPreferencesWindow, platform_row);
  gtk_widget_class_bind_template_child (widget_class, OwPreferencesWindow, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, OwPreferencesWindow, rating_screen_row);
}

static void
ow_preferences_window_init (OwPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->printer_labels = gtk_string_list_new (NULL);
  self->printer_names = g_ptr_array_new_with_free_func (g_free);
  /* Position 0: no entry in "document-printers", the notice (or receipt) printer, else the
   * system's default. */
  g_ptr_array_add (self->printer_names, NULL);
  gtk_string_list_append (self->printer_labels, _("Default Printer"));

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ow_preferences_window_new (GSettings *settings,
                           OwPrinter *printer)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (printer == NULL || OW_IS_PRINTER (printer), NULL);

  return g_object_new (OW_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "printer", printer,
                       NULL);
}
