/* ow-intake-page.c — the comprehensive window's intake: item, materials, applicant, acceptance
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-validate.h"
#include "documents/ow-document.h"
#include "gui/ow-intake-page.h"
#include "gui/ow-material-row.h"

struct _OwIntakePage
{
  AdwBin parent_instance;

  /* template */
  GtkSearchEntry *search_entry;
  GtkLabel *result_count_label;
  GtkStack *results_stack;
  GtkListBox *items_list;
  GtkStack *item_stack;
  GtkLabel *item_title_label;
  GtkLabel *item_details_label;
  GtkLabel *item_conditions_label;
  GtkListBox *materials_list;
  GtkDropDown *kind_dropdown;
  GtkLabel *name_label;
  GtkEntry *name_entry;
  GtkLabel *id_label;
  GtkEntry *id_entry;
  GtkLabel *id_error_label;
  GtkEntry *mobile_entry;
  GtkLabel *mobile_error_label;
  GtkLabel *accept_hint_label;
  GtkSpinner *accept_spinner;

  OwContext *context;
  GtkCustomFilter *filter;
  GtkFilterListModel *filtered;
  char *query;            /* case-folded search text */
  OwItem *item;           /* the chosen item */
  GPtrArray *rows;        /* OwMaterialRow of the chosen item */
  gboolean accepting;

  /* The last notice, kept so that a failed print can be retried. */
  GBytes *last_notice;
  char *last_case_no;

  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OwIntakePage, ow_intake_page, ADW_TYPE_BIN)

static void update_accept (OwIntakePage *self);

/* ---------------------------------------------------------------------------------------- */
/* Toasts */

static void
add_toast (OwIntakePage *self,
           AdwToast     *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
add_message_toast (OwIntakePage *self,
                   const char   *message,
                   guint         timeout)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, timeout);
  add_toast (self, toast);
}

/* ---------------------------------------------------------------------------------------- */
/* Search */

static gboolean
contains_folded (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, folded_needle) != NULL;
}

static gboolean
item_matches (gpointer object,
              gpointer user_data)
{
  OwIntakePage *self = user_data;
  OwItem *item = OW_ITEM (object);
  const char * const *aliases;

  if (self->query == NULL || *self->query == '\0')
    return TRUE;
  if (contains_folded (ow_item_get_name (item), self->query)
      || contains_folded (ow_item_get_id (item), self->query)
      || contains_folded (ow_item_get_basic_code (item), self->query))
    return TRUE;
  aliases = ow_item_get_aliases (item);
  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    if (contains_folded (aliases[i], self->query))
      return TRUE;
  return FALSE;
}

static char *
describe_limit (OwItem *item)
{
  guint days = ow_item_get_promised_limit (item);

  if (days == 0)
    return g_strdup (_("done on the spot"));
  /* Translators: the promised time limit of an item */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u working day", "%u working days", days),
                          days);
}

static GtkWidget *
create_item_row (gpointer item,
                 gpointer user_data)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *limit = describe_limit (OW_ITEM (item));
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", ow_item_get_department (item), limit);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ow_item_get_name (item));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  g_object_set_data_full (G_OBJECT (row), "ow-item", g_object_ref (item), g_object_unref);
  return row;
}

static void
update_result_count (OwIntakePage *self)
{
  guint n = self->filtered != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) : 0;
  g_autofree char *text = NULL;

  /* Translators: how many service items match the search */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n), n);
  gtk_label_set_text (self->result_count_label, text);
  gtk_stack_set_visible_child_name (self->results_stack, n > 0 ? "list" : "empty");
}

static void
search_changed_cb (OwIntakePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_free (self->query);
  self->query = g_utf8_casefold (stripped, -1);
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_result_count (self);
}

static void
search_activated_cb (OwIntakePage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->items_list, 0);

  /* Enter takes the best match, the way a clerk expects a search box to behave. */
  if (row != NULL)
    {
      gtk_list_box_select_row (self->items_list, row);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static void
search_stopped_cb (OwIntakePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* ---------------------------------------------------------------------------------------- */
/* The chosen item and its materials */

static void
material_row_changed_cb (OwIntakePage *self)
{
  update_accept (self);
}

static void
clear_materials (OwIntakePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->materials_list))) != NULL)
    gtk_list_box_remove (self->materials_list, child);
  g_ptr_array_set_size (self->rows, 0);
}

static void
show_item (OwIntakePage *self,
           OwItem       *item)
{
  GListModel *materials;
  g_autofree char *limit = NULL;
  g_autofree char *details = NULL;
  const char *conditions;

  if (item == self->item)
    return;
  g_set_object (&self->item, item);
  clear_materials (self);

  if (item == NULL)
    {
      gtk_stack_set_visible_child_name (self->item_stack, "none");
      update_accept (self);
      return;
    }

  gtk_label_set_text (self->item_title_label, ow_item_get_name (item));
  limit = describe_limit (item);
  {
    /* The date the applicant asks for first: when will it be done, if accepted today. */
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    GDate today, promised;
    char due[16];
    gboolean provisional = FALSE;

    g_date_clear (&today, 1);
    g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                    g_date_time_get_year (now));
    ow_calendar_add_working_days (ow_context_get_calendar (self->context), &today,
                                  ow_item_get_promised_limit (item), &promised, &provisional);
    g_date_strftime (due, sizeof due, "%Y-%m-%d", &promised);
    /* Translators: department · promised limit · the date it gives · legal limit (in working
     * days) · item code */
    details = g_strdup_printf (_("%s · promised %s, by %s%s (legal limit %u) · code %s"),
                               ow_item_get_department (item), limit, due,
                               provisional ? _(" (provisional)") : "",
                               ow_item_get_legal_limit (item), ow_item_get_id (item));
  }
  gtk_label_set_text (self->item_details_label, details);
  conditions = ow_item_get_conditions (item);
  gtk_label_set_text (self->item_conditions_label, conditions != NULL ? conditions : "");
  gtk_widget_set_visible (GTK_WIDGET (self->item_conditions_label),
                          conditions != NULL && *conditions != '\0');

  materials = ow_item_get_materials (item);
  for (guint i = 0; i < g_list_model_get_n_items (materials); i++)
    {
      g_autoptr(OwMaterial) material = g_list_model_get_item (materials, i);
      OwMaterialRow *row = ow_material_row_new (material, self->context);

      g_signal_connect_object (row, "notify::provided", G_CALLBACK (material_row_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "notify::busy", G_CALLBACK (material_row_changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_list_box_append (self->materials_list, GTK_WIDGET (row));
      g_ptr_array_add (self->rows, row);
    }

  gtk_stack_set_visible_child_name (self->item_stack, "item");
  update_accept (self);
}

static void
item_row_selected_cb (OwIntakePage  *self,
                      GtkListBoxRow *row)
{
  if (row == NULL)
    return;
  show_item (self, g_object_get_data (G_OBJECT (row), "ow-item"));
}

/* ---------------------------------------------------------------------------------------- */
/* The applicant */

static OwApplicantKind
get_kind (OwIntakePage *self)
{
  return gtk_drop_down_get_selected (self->kind_dropdown) == 1 ? OW_APPLICANT_ORGANISATION
                                                               : OW_APPLICANT_PERSON;
}

/* Shows @error under @entry; returns whether the value is valid. An empty field is invalid
 * but not wrong: nothing is shown until the clerk types. */
static gboolean
show_field_check (GtkEntry     *entry,
                  GtkLabel     *label,
                  gboolean      empty,
                  const GError *error)
{
  gboolean wrong = !empty && error != NULL;

  if (wrong)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_label_set_text (label, error->message);
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
  gtk_widget_set_visible (GTK_WIDGET (label), wrong);
  return !empty && error == NULL;
}

static gboolean
check_applicant (OwIntakePage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  const char *id = gtk_editable_get_text (GTK_EDITABLE (self->id_entry));
  const char *mobile = gtk_editable_get_text (GTK_EDITABLE (self->mobile_entry));
  g_autoptr(GError) id_error = NULL;
  g_autoptr(GError) mobile_error = NULL;
  g_autofree char *normalized = ow_normalize_identifier (id);
  g_autofree char *stripped_name = g_strstrip (g_strdup (name));
  gboolean valid = TRUE;

  if (get_kind (self) == OW_APPLICANT_PERSON)
    ow_validate_resident_id (normalized, NULL, &id_error);
  else
    ow_validate_credit_code (normalized, &id_error);
  valid &= show_field_check (self->id_entry, self->id_error_label, *normalized == '\0', id_error);

  ow_validate_mobile (mobile, NULL, &mobile_error);
  valid &= show_field_check (self->mobile_entry, self->mobile_error_label, *mobile == '\0',
                             mobile_error);

  valid &= *stripped_name != '\0';
  return valid;
}

static void
applicant_changed_cb (OwIntakePage *self)
{
  update_accept (self);
}

static void
kind_changed_cb (OwIntakePage *self)
{
  gboolean person = get_kind (self) == OW_APPLICANT_PERSON;

  gtk_label_set_text_with_mnemonic (self->name_label, person ? _("_Name")
                                                             : _("Registered _name"));
  gtk_label_set_text_with_mnemonic (self->id_label, person ? _("_ID number")
                                                           : _("_Credit code"));
  update_accept (self);
}

static OwApplicant *
build_applicant (OwIntakePage *self)
{
  OwApplicant *applicant = ow_applicant_new (get_kind (self));
  g_autofree char *phone = NULL;

  applicant->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  applicant->id_number = ow_normalize_identifier (gtk_editable_get_text (GTK_EDITABLE (self->id_entry)));
  ow_validate_mobile (gtk_editable_get_text (GTK_EDITABLE (self->mobile_entry)), &phone, NULL);
  applicant->phone = g_steal_pointer (&phone);
  return applicant;
}

/* ---------------------------------------------------------------------------------------- */
/* Whether the case can be accepted, and why not */

static void
update_accept (OwIntakePage *self)
{
  gboolean applicant_ok = check_applicant (self);
  guint missing = 0;
  gboolean scanning = FALSE;
  const char *hint;
  g_autofree char *missing_hint = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    {
      OwMaterialRow *row = g_ptr_array_index (self->rows, i);

      scanning |= ow_material_row_get_busy (row);
      if (ow_material_get_required (ow_material_row_get_material (row)) && !ow_material_row_get_provided (row))
        missing++;
    }

  if (self->accepting)
    hint = _("Saving the case and printing the notice…");
  else if (self->context == NULL || ow_context_get_user (self->context) == NULL)
    hint = _("Log in to accept cases.");
  else if (self->item == NULL)
    hint = _("Choose a service item.");
  else if (missing > 0)
    {
      /* Translators: materials still to be provided before accepting */
      missing_hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u required material is not provided yet.",
                                                   "%u required materials are not provided yet.",
                                                   missing), missing);
      hint = missing_hint;
    }
  else if (scanning)
    hint = _("Wait for the scan to finish.");
  else if (!applicant_ok)
    hint = _("Fill in the applicant's name, ID number and mobile.");
  else
    hint = _("Ready to accept.");

  gtk_label_set_text (self->accept_hint_label, hint);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.accept",
                                 !self->accepting && self->item != NULL && missing == 0
                                 && !scanning && applicant_ok && self->context != NULL
                                 && ow_context_get_user (self->context) != NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Printing */

/* What a callback needs after the page may have gone: the page, kept alive, and the case. */
typedef struct
{
  OwIntakePage *self;
  char *case_no;
  OwCase *kase;
} CallbackData;

static CallbackData *
callback_data_new (OwIntakePage *self,
                   const char   *case_no,
                   OwCase       *kase)
{
  CallbackData *data = g_new0 (CallbackData, 1);

  data->self = g_object_ref (self);
  data->case_no = g_strdup (case_no);
  data->kase = kase != NULL ? g_object_ref (kase) : NULL;
  return data;
}

static void
callback_data_free (CallbackData *data)
{
  g_object_unref (data->self);
  g_free (data->case_no);
  g_clear_object (&data->kase);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallbackData, callback_data_free)

static void
notice_printed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CallbackData) data = user_data;
  OwIntakePage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;

  ow_printer_print_finish (OW_PRINTER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  display = ow_case_number_format (data->case_no);
  if (error == NULL)
    {
      /* Translators: %s is the case number */
      g_autofree char *message = g_strdup_printf (_("Case %s accepted; notice printed"), display);
      add_message_toast (self, message, 5);
    }
  else
    {
      g_autofree char *message = NULL;
      AdwToast *toast;

      /* Translators: the case number, then the printer's error */
      message = g_strdup_printf (_("Case %s accepted and saved, but the notice was not printed: "
                                   "%s"), display, error->message);
      toast = adw_toast_new (message);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, "win.retry-print");
      add_toast (self, toast);
    }
}

static void
print_notice (OwIntakePage *self)
{
  g_autoptr(GVariant) printers = g_settings_get_value (ow_context_get_settings (self->context),
                                                       "document-printers");
  const char *printer = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (self->last_notice != NULL);

  /* A printer set for this kind of document wins over the notice printer. */
  if (!g_variant_lookup (printers, ow_document_kind_to_string (OW_DOCUMENT_ACCEPTANCE), "&s",
                         &printer) || *printer == '\0')
    printer = ow_context_get_printer_name (self->context);

  if (printer == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (OW_PRINTER_ERROR,
                                                     OW_PRINTER_ERROR_NOT_FOUND,
                                                     _("no printer is set up for notices"));
      g_autofree char *display = ow_case_number_format (self->last_case_no);
      g_autofree char *message = g_strdup_printf (_("Case %s accepted and saved, but the notice "
                                                    "was not printed: %s"), display,
                                                  error->message);
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, "win.retry-print");
      add_toast (self, toast);
      return;
    }

  title = g_strdup_printf ("%s %s", ow_document_kind_get_title (OW_DOCUMENT_ACCEPTANCE),
                           self->last_case_no);
  ow_printer_print_async (ow_context_get_printer (self->context), printer, title,
                          self->last_notice, 1, self->cancellable, notice_printed_cb,
                          callback_data_new (self, self->last_case_no, NULL));
}

/* ---------------------------------------------------------------------------------------- */
/* Accepting: number → case → saved with its outbox entry → notice rendered → printed */

typedef struct
{
  /* in */
  OwStore *store;
  char *hall;
  guint counter;
  GDate date;
  /* The form as it was when Accept was pressed: the clerk may move on while numbers are taken. */
  OwItem *item;
  OwApplicant *applicant;
  GPtrArray *materials;   /* OwCaseMaterial */
  /* out */
  guint sequence;
  guint document_sequence;
} NumberData;

static void
number_data_free (NumberData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->item);
  g_clear_pointer (&data->applicant, ow_applicant_free);
  g_clear_pointer (&data->materials, g_ptr_array_unref);
  g_free (data->hall);
  g_free (data);
}

static void
take_numbers_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  NumberData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  g_autofree char *next = NULL;
  guint64 last = 0;

  data->sequence = ow_store_next_sequence (data->store, data->hall, data->counter, &data->date,
                                           &error);
  if (data->sequence == 0 && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Document numbers run per counter and year. The platform is not asked: a notice must be
   * printable while it is down. */
  key = g_strdup_printf ("document-sequence-%d", g_date_get_year (&data->date));
  value = ow_store_get_meta (data->store, key, &error);
  if (value == NULL && error != NULL && !g_error_matches (error, OW_STORE_ERROR,
                                                          OW_STORE_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);
  if (value != NULL)
    last = g_ascii_strtoull (value, NULL, 10);
  next = g_strdup_printf ("%" G_GUINT64_FORMAT, last + 1);
  if (!ow_store_set_meta (data->store, key, next, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->document_sequence = (guint) (last + 1);
  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  OwCase *kase;
  OwDocumentInfo info;
  char *hall_name;
  char *organ_short;
  char *clerk_name;
  char *query_url;
  guint copies;
} RenderData;

static void
render_data_free (RenderData *data)
{
  g_clear_object (&data->kase);
  g_free (data->hall_name);
  g_free (data->organ_short);
  g_free (data->clerk_name);
  g_free (data->query_url);
  g_free (data);
}

static void
render_notice_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  RenderData *data = task_data;
  GError *error = NULL;
  GBytes *pdf = ow_document_render_copies (OW_DOCUMENT_ACCEPTANCE, data->kase, &data->info,
                                           data->copies, &error);

  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

static void
notice_rendered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  OwIntakePage *self = OW_INTAKE_PAGE (source);
  RenderData *data = g_task_get_task_data (G_TASK (result));
  const char *case_no = ow_case_get_case_no (data->kase);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (pdf == NULL)
    {
      g_autofree char *display = ow_case_number_format (case_no);
      g_autofree char *message = g_strdup_printf (_("Case %s accepted and saved, but the notice "
                                                    "could not be made: %s"), display,
                                                  error->message);
      add_message_toast (self, message, 0);
      return;
    }

  /* Retry prints the notice of the case accepted last. */
  g_clear_pointer (&self->last_notice, g_bytes_unref);
  self->last_notice = g_steal_pointer (&pdf);
  g_free (self->last_case_no);
  self->last_case_no = g_strdup (case_no);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.retry-print", TRUE);
  print_notice (self);
}

/* The organ's abbreviation for document numbers: 海口市政务服务中心 → 海口政服. */
static char *
dup_organ_short (const char *hall_name)
{
  static const char *suffix = "政务服务中心";
  g_autofree char *place = NULL;

  if (hall_name == NULL || !g_str_has_suffix (hall_name, suffix))
    return g_strdup (hall_name != NULL ? hall_name : "");
  place = g_strndup (hall_name, strlen (hall_name) - strlen (suffix));
  if (g_str_has_suffix (place, "市") || g_str_has_suffix (place, "县")
      || g_str_has_suffix (place, "区") || g_str_has_suffix (place, "省"))
    place[strlen (place) - strlen ("市")] = '\0';
  return g_strconcat (place, "政服", NULL);
}

static void
case_submitted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CallbackData) submit = user_data;
  OwIntakePage *self = submit->self;
  OwCase *kase = submit->kase;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) render = NULL;
  g_autoptr(GVariant) copies = NULL;
  RenderData *data;
  const OwUser *user;
  GSettings *settings;

  if (!ow_sync_submit_case_finish (OW_SYNC (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->accepting = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->accept_spinner), FALSE);
  gtk_spinner_set_spinning (self->accept_spinner, FALSE);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The case was not saved: %s. Nothing was "
                                                    "lost from the form; try again."),
                                                  error->message);
      add_message_toast (self, message, 0);
      update_accept (self);
      return;
    }


  /* The case is safe in the store: the counter is free for the next applicant while the
   * notice renders and prints. */
  ow_intake_page_reset (self);

  user = ow_context_get_user (self->context);
  data = g_new0 (RenderData, 1);
  data->kase = g_object_ref (kase);
  ow_document_info_init (&data->info);
  data->hall_name = g_strdup (user->hall_name);
  data->organ_short = dup_organ_short (user->hall_name);
  data->clerk_name = g_strdup (user->display_name);
  data->query_url = g_strdup (ow_context_get_platform_uri (self->context));
  data->info.hall_name = data->hall_name;
  data->info.organ_name = data->hall_name;
  data->info.organ_short = data->organ_short;
  data->info.clerk_name = data->clerk_name;
  data->info.query_url = data->query_url;
  settings = ow_context_get_settings (self->context);
  data->info.mask_applicant = g_settings_get_boolean (settings, "mask-applicant-copy");
  ow_mask_policy_init_default (&data->info.mask);
  data->info.mask.id_head = g_settings_get_uint (settings, "mask-id-head");
  data->info.mask.id_tail = g_settings_get_uint (settings, "mask-id-tail");
  data->info.mask.phone_head = g_settings_get_uint (settings, "mask-phone-head");
  data->info.mask.phone_tail = g_settings_get_uint (settings, "mask-phone-tail");
  /* Applicant's, department's and archive's copies, as the hall set it up. */
  copies = g_settings_get_value (settings, "document-copies");
  data->copies = 1;
  g_variant_lookup (copies, ow_document_kind_to_string (OW_DOCUMENT_ACCEPTANCE), "u",
                    &data->copies);
  data->copies = CLAMP (data->copies, 1, 3);

  render = g_task_new (self, self->cancellable, notice_rendered_cb, NULL);
  g_task_set_source_tag (render, case_submitted_cb);
  g_task_set_task_data (render, data, (GDestroyNotify) render_data_free);
  g_task_run_in_thread (render, render_notice_thread);
}

static void
fail_accept (OwIntakePage *self,
             const char   *message)
{
  self->accepting = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->accept_spinner), FALSE);
  gtk_spinner_set_spinning (self->accept_spinner, FALSE);
  add_message_toast (self, message, 0);
  update_accept (self);
}

static void
numbers_taken_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OwIntakePage *self = OW_INTAKE_PAGE (source);
  NumberData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *case_no = NULL;
  g_autofree char *query_code = NULL;
  g_autofree char *document_no = NULL;
  g_autofree char *organ_short = NULL;
  g_autofree char *field = NULL;
  const OwUser *user;
  GDate promised;
  gboolean provisional = FALSE;

  g_date_clear (&promised, 1);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("No case number could be taken from the local database: %s"),
                                 error->message);
      fail_accept (self, message);
      return;
    }

  user = ow_context_get_user (self->context);
  case_no = ow_case_number_make (user->hall, user->counter, &data->date, data->sequence, &error);
  if (case_no == NULL)
    {
      fail_accept (self, error->message);
      return;
    }

  kase = ow_case_new (case_no);
  query_code = ow_query_code_new ();
  ow_case_set_query_code (kase, query_code);
  ow_case_set_origin (kase, user->hall, user->counter, user->username);
  now = g_date_time_new_now_utc ();
  ow_case_set_received_at (kase, now);

  ow_calendar_add_working_days (ow_context_get_calendar (self->context), &data->date,
                                ow_item_get_promised_limit (data->item), &promised,
                                &provisional);
  ow_case_set_promised_date (kase, &promised);

  organ_short = dup_organ_short (user->hall_name);
  document_no = ow_document_number (organ_short, OW_DOCUMENT_ACCEPTANCE,
                                    g_date_get_year (&data->date),
                                    user->counter * 10000 + data->document_sequence);
  ow_case_set_document_no (kase, document_no);

  ow_case_set_applicant (kase, data->applicant);
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (data->item),
                                            ow_item_get_basic_code (data->item),
                                            ow_item_get_name (data->item),
                                            ow_item_get_department (data->item)));
  for (guint i = 0; i < data->materials->len; i++)
    ow_case_add_material (kase, ow_case_material_copy (g_ptr_array_index (data->materials, i)));

  if (!ow_case_apply_event (kase, OW_CASE_EVENT_ACCEPTED, &error)
      || !ow_case_validate (kase, &data->date, &field, &error))
    {
      /* Translators: %s says what is wrong with the case */
      g_autofree char *message = g_strdup_printf (_("The case cannot be accepted: %s"),
                                                  error->message);
      fail_accept (self, message);
      return;
    }

  if (provisional)
    add_message_toast (self, _("The promised date falls in a year whose holidays are not "
                               "published yet; it may change."), 8);

  ow_sync_submit_case_async (ow_context_get_sync (self->context), kase, user->username,
                             self->cancellable, case_submitted_cb,
                             callback_data_new (self, case_no, kase));
}

static void
accept_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  const OwUser *user = ow_context_get_user (self->context);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = NULL;
  NumberData *data;

  if (self->accepting || user == NULL || self->item == NULL)
    return;
  if (ow_context_get_sync (self->context) == NULL)
    {
      add_message_toast (self, _("The local database is not open; cases cannot be saved."), 0);
      return;
    }

  self->accepting = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->accept_spinner), TRUE);
  gtk_spinner_set_spinning (self->accept_spinner, TRUE);
  update_accept (self);

  data = g_new0 (NumberData, 1);
  data->store = g_object_ref (ow_context_get_store (self->context));
  data->hall = g_strdup (user->hall);
  data->counter = user->counter;
  data->item = g_object_ref (self->item);
  data->applicant = build_applicant (self);
  data->materials = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);
  for (guint i = 0; i < self->rows->len; i++)
    g_ptr_array_add (data->materials,
                     ow_material_row_to_case_material (g_ptr_array_index (self->rows, i)));
  /* The case number carries the counter's local date. */
  now = g_date_time_new_now_local ();
  g_date_set_dmy (&data->date, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));

  task = g_task_new (self, self->cancellable, numbers_taken_cb, NULL);
  g_task_set_source_tag (task, accept_activated);
  g_task_set_task_data (task, data, (GDestroyNotify) number_data_free);
  g_task_run_in_thread (task, take_numbers_thread);
}

static void
retry_print_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);

  if (self->last_notice != NULL)
    print_notice (self);
}

static void
focus_search_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ow_intake_page_focus_search (OW_INTAKE_PAGE (widget));
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_intake_page_dispose (GObject *object)
{
  OwIntakePage *self = OW_INTAKE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->items_list != NULL)
    gtk_list_box_bind_model (self->items_list, NULL, NULL, NULL, NULL);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_INTAKE_PAGE);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->item);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_notice, g_bytes_unref);

  G_OBJECT_CLASS (ow_intake_page_parent_class)->dispose (object);
}

static void
ow_intake_page_finalize (GObject *object)
{
  OwIntakePage *self = OW_INTAKE_PAGE (object);

  g_free (self->query);
  g_free (self->last_case_no);

  G_OBJECT_CLASS (ow_intake_page_parent_class)->finalize (object);
}

static void
ow_intake_page_class_init (OwIntakePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_intake_page_dispose;
  object_class->finalize = ow_intake_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/ow-intake-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, result_count_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, items_list);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, item_stack);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, item_title_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, item_details_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, item_conditions_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, materials_list);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, name_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, id_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, id_entry);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, id_error_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, mobile_entry);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, mobile_error_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, accept_hint_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, accept_spinner);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, item_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, applicant_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);

  gtk_widget_class_install_action (widget_class, "intake.accept", NULL, accept_activated);
  gtk_widget_class_install_action (widget_class, "intake.retry-print", NULL,
                                   retry_print_activated);
  gtk_widget_class_install_action (widget_class, "intake.focus-search", NULL,
                                   focus_search_activated);
}

static void
ow_intake_page_init (OwIntakePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.retry-print", FALSE);
  update_result_count (self);
  update_accept (self);
}

/* ---------------------------------------------------------------------------------------- */

void
ow_intake_page_set_context (OwIntakePage *self,
                            OwContext    *context)
{
  OwCatalog *catalog;

  g_return_if_fail (OW_IS_INTAKE_PAGE (self));
  g_return_if_fail (OW_IS_CONTEXT (context));

  g_set_object (&self->context, context);
  show_item (self, NULL);

  catalog = ow_context_get_catalog (context);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  if (catalog != NULL)
    {
      self->filter = gtk_custom_filter_new (item_matches, self, NULL);
      self->filtered = gtk_filter_list_model_new (g_object_ref (ow_catalog_get_items (catalog)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
      gtk_list_box_bind_model (self->items_list, G_LIST_MODEL (self->filtered), create_item_row,
                               NULL, NULL);
    }
  else
    gtk_list_box_bind_model (self->items_list, NULL, NULL, NULL, NULL);

  update_result_count (self);
  update_accept (self);
}

void
ow_intake_page_focus_search (OwIntakePage *self)
{
  g_return_if_fail (OW_IS_INTAKE_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
ow_intake_page_reset (OwIntakePage *self)
{
  g_return_if_fail (OW_IS_INTAKE_PAGE (self));

  gtk_list_box_unselect_all (self->items_list);
  show_item (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->kind_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->id_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->mobile_entry), "");
  update_accept (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
