/* ow-intake-page.c — the comprehensive window's intake: item, materials, applicant, acceptance
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "core/ow-validate.h"
#include "documents/ow-document.h"
#include "gui/ow-decision-panel.h"
#include "gui/ow-intake-page.h"
#include "gui/ow-intake-search.h"
#include "gui/ow-material-row.h"
#include "gui/ow-preview-dialog.h"
#include "gui/ow-print-jobs.h"

#include <gtk/gtkunixprint.h>

struct _OwIntakePage
{
  AdwBin parent_instance;

  /* template */
  GtkSearchEntry *search_entry;
  GtkMenuButton *filter_button;
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
  GtkButton *accept_button;
  OwDecisionPanel *decision_panel;

  OwContext *context;
  OwIntakeSearch *search; /* the item index and its ranked results */
  OwItem *item;           /* the chosen item */
  GPtrArray *rows;        /* OwMaterialRow of the chosen item */
  gboolean accepting;

  /* The last notice, kept so that a failed print can be retried. */
  GBytes *last_notice;
  char *last_case_no;
  OwDecision last_decision;
  OwPrintJob *last_job;   /* kept by the print queue while it fails */
  char *printer_override; /* chosen in the print dialog for the next notice */

  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OwIntakePage, ow_intake_page, ADW_TYPE_BIN)

enum
{
  CASE_SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_accept (OwIntakePage *self);
static gboolean compute_promised (OwIntakePage *self,
                                  GDate        *promised,
                                  gboolean     *provisional);

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
  guint n = ow_intake_search_get_n_matches (self->search);
  guint shown = g_list_model_get_n_items (ow_intake_search_get_model (self->search));
  g_autofree char *text = NULL;

  if (shown < n)
    /* Translators: the best matches shown, of how many service items match the search */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The best %u of %u item",
                                         "The best %u of %u items", n), shown, n);
  else
    /* Translators: how many service items match the search */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n), n);
  gtk_label_set_text (self->result_count_label, text);
  gtk_stack_set_visible_child_name (self->results_stack, shown > 0 ? "list" : "empty");
}

static void
search_changed_cb (OwIntakePage *self)
{
  ow_intake_search_set_query (self->search,
                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_activated_cb (OwIntakePage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->items_list, 0);
  g_autofree char *case_no = NULL;

  /* A receipt's QR code or a case number, from the barcode scanner or typed: not a query. */
  case_no = ow_intake_search_take_case (self->search,
                                        gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (case_no != NULL)
    {
      g_autofree char *formatted = ow_case_number_format (case_no);
      g_autofree char *message = NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      /* Translators: %s is a case number */
      message = g_strdup_printf (_("Case %s scanned"), formatted);
      add_message_toast (self, message, 5);
      g_signal_emit (self, signals[CASE_SCANNED], 0, case_no);
      return;
    }

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
    GDate today, promised;
    char due[16];
    gboolean provisional = FALSE;

    ow_hall_today (&today);
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
      g_signal_connect_object (row, "details-changed", G_CALLBACK (material_row_changed_cb),
                               self, G_CONNECT_SWAPPED);
      ow_material_row_set_show_note (row, ow_decision_panel_get_decision (self->decision_panel)
                                          == OW_DECISION_SUPPLEMENT);
      {
        GDate promised;
        gboolean provisional = FALSE;

        if (compute_promised (self, &promised, &provisional))
          ow_material_row_set_latest_due_date (row, &promised);
      }
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

/* The promised completion date if the case is decided today. */
static gboolean
compute_promised (OwIntakePage *self,
                  GDate        *promised,
                  gboolean     *provisional)
{
  GDate today;

  g_date_clear (promised, 1);
  if (self->item == NULL || self->context == NULL)
    return FALSE;
  ow_hall_today (&today);
  ow_calendar_add_working_days (ow_context_get_calendar (self->context), &today,
                                ow_item_get_promised_limit (self->item), promised, provisional);
  return g_date_valid (promised);
}

static const char *
decision_button_label (OwDecision decision)
{
  switch (decision)
    {
    case OW_DECISION_TOLERATED:
      return _("_Accept with Gap and Print Notice");
    case OW_DECISION_SUPPLEMENT:
      return _("_Request Supplements and Print Notice");
    case OW_DECISION_REFUSE:
      return _("_Refuse and Print Notice");
    case OW_DECISION_ACCEPT:
    default:
      return _("_Accept and Print Notice");
    }
}

static void
update_accept (OwIntakePage *self)
{
  gboolean applicant_ok = check_applicant (self);
  OwDecision decision = ow_decision_panel_get_decision (self->decision_panel);
  g_autofree char *panel_problem = NULL;
  gboolean panel_ok = ow_decision_panel_check (self->decision_panel, &panel_problem);
  guint missing = 0, tolerated = 0, late = 0, undated = 0, unexplained = 0, noted = 0;
  gboolean scanning = FALSE;
  gboolean materials_ok;
  gboolean can_decide;
  const char *hint;
  g_autofree char *owned_hint = NULL;
  GDate promised;
  gboolean provisional = FALSE;
  gboolean have_promised = compute_promised (self, &promised, &provisional);

  for (guint i = 0; i < self->rows->len; i++)
    {
      OwMaterialRow *row = g_ptr_array_index (self->rows, i);
      gboolean required = ow_material_get_required (ow_material_row_get_material (row));
      gboolean wrong_date = FALSE;

      ow_material_row_set_show_note (row, decision == OW_DECISION_SUPPLEMENT);
      scanning |= ow_material_row_get_busy (row);
      noted += ow_material_row_has_note (row);
      if (ow_material_row_get_status (row) == OW_MATERIAL_STATUS_TOLERATED)
        {
          GDate due;

          tolerated++;
          if (!ow_material_row_get_due_date (row, &due))
            undated++;
          /* 容缺: the due date cannot pass the promised completion date (domain.md). */
          else if (have_promised && g_date_compare (&due, &promised) > 0)
            {
              late++;
              wrong_date = TRUE;
            }
        }
      ow_material_row_set_due_problem (row, wrong_date);
      if (required && !ow_material_row_get_provided (row)
          && ow_material_row_get_status (row) != OW_MATERIAL_STATUS_TOLERATED)
        {
          missing++;
          unexplained += !ow_material_row_has_note (row);
        }
    }

  switch (decision)
    {
    case OW_DECISION_TOLERATED:
      materials_ok = missing == 0 && tolerated > 0 && late == 0 && undated == 0;
      break;
    case OW_DECISION_SUPPLEMENT:
      materials_ok = (missing > 0 || noted > 0) && unexplained == 0 && tolerated == 0;
      break;
    case OW_DECISION_REFUSE:
      materials_ok = TRUE;
      break;
    case OW_DECISION_ACCEPT:
    default:
      materials_ok = missing == 0 && tolerated == 0;
      break;
    }

  if (self->accepting)
    hint = _("Saving the case and printing the notice…");
  else if (self->context == NULL || ow_context_get_user (self->context) == NULL)
    hint = _("Log in to accept cases.");
  else if (self->item == NULL)
    hint = _("Choose a service item.");
  else if (decision == OW_DECISION_TOLERATED && late > 0)
    hint = _("A tolerated material is due after the promised completion date; choose an "
             "earlier due date.");
  else if (decision == OW_DECISION_TOLERATED && undated > 0)
    hint = _("Type the due date (YYYY-MM-DD) of each tolerated material.");
  else if (decision == OW_DECISION_TOLERATED && tolerated == 0)
    hint = _("Mark the materials the applicant will bring later as “Tolerated – due later”.");
  else if (decision == OW_DECISION_ACCEPT && tolerated > 0)
    hint = _("Some materials are tolerated: choose “Accept with tolerated gap”.");
  else if (decision == OW_DECISION_SUPPLEMENT && tolerated > 0)
    hint = _("A supplement notice cannot tolerate materials: mark them missing.");
  else if (decision == OW_DECISION_SUPPLEMENT && missing == 0 && noted == 0)
    hint = _("Nothing is missing: mark what is missing or note what is wrong.");
  else if (decision == OW_DECISION_SUPPLEMENT && unexplained > 0)
    {
      /* Translators: lines of the supplement notice without a reason */
      owned_hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Say what is missing or wrong for %u material.",
                                                 "Say what is missing or wrong for %u materials.",
                                                 unexplained), unexplained);
      hint = owned_hint;
    }
  else if (!materials_ok && missing > 0)
    {
      /* Translators: materials still to be provided before accepting */
      owned_hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u required material is not provided yet.",
                                                 "%u required materials are not provided yet.",
                                                 missing), missing);
      hint = owned_hint;
    }
  else if (scanning)
    hint = _("Wait for the scan to finish.");
  else if (!applicant_ok)
    hint = _("Fill in the applicant's name, ID number and mobile.");
  else if (!panel_ok)
    hint = panel_problem;
  else if (have_promised && (decision == OW_DECISION_ACCEPT || decision == OW_DECISION_TOLERATED))
    {
      char due[16];

      g_date_strftime (due, sizeof due, "%Y-%m-%d", &promised);
      /* Translators: %s is the promised completion date; the second %s may say it is provisional */
      owned_hint = g_strdup_printf (_("Ready. Promised completion: %s%s."), due,
                                    provisional ? _(" (provisional)") : "");
      hint = owned_hint;
    }
  else
    hint = _("Ready.");

  gtk_label_set_text (self->accept_hint_label, hint);
  gtk_button_set_label (self->accept_button, decision_button_label (decision));
  can_decide = !self->accepting && self->item != NULL && materials_ok && !scanning
               && applicant_ok && panel_ok && self->context != NULL
               && ow_context_get_user (self->context) != NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.accept", can_decide);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.print-with-dialog", can_decide);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.preview",
                                 self->item != NULL && applicant_ok && panel_ok
                                 && self->context != NULL
                                 && ow_context_get_user (self->context) != NULL);
}

static void
decision_changed_cb (OwIntakePage *self)
{
  update_accept (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Printing */

/* What a callback needs after the page may have gone: the page, kept alive, and the case. */
typedef struct
{
  OwIntakePage *self;
  char *case_no;
  OwCase *kase;
  gboolean retry;         /* a print retried through the queue */
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

  if (data->retry)
    ow_print_queue_retry_finish (OW_PRINT_QUEUE (source), result, &error);
  else
    ow_print_queue_submit_finish (OW_PRINT_QUEUE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  display = ow_case_number_format (data->case_no);
  if (error == NULL)
    {
      g_autofree char *message = NULL;

      switch (self->last_decision)
        {
        case OW_DECISION_TOLERATED:
          /* Translators: %s is the case number */
          message = g_strdup_printf (_("Case %s accepted with a tolerated gap; notice printed"),
                                     display);
          break;
        case OW_DECISION_SUPPLEMENT:
          /* Translators: %s is the case number */
          message = g_strdup_printf (_("Case %s waits for supplements; notice printed"), display);
          break;
        case OW_DECISION_REFUSE:
          /* Translators: %s is the case number */
          message = g_strdup_printf (_("Case %s refused; notice printed"), display);
          break;
        case OW_DECISION_ACCEPT:
        default:
          /* Translators: %s is the case number */
          message = g_strdup_printf (_("Case %s accepted; notice printed"), display);
          break;
        }
      add_message_toast (self, message, 5);
    }
  else
    {
      g_autofree char *message = NULL;
      AdwToast *toast;

      /* Translators: the case number, then the printer's error */
      message = g_strdup_printf (_("Case %s saved, but the notice was not printed: %s"),
                                 display, error->message);
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
  OwDocumentKind kind = ow_decision_get_document_kind (self->last_decision);
  OwPrintQueue *queue;

  g_return_if_fail (self->last_notice != NULL);

  /* The printer chosen in the print dialog, then the one set for this kind of document, then
   * the notice printer. */
  if (self->printer_override != NULL)
    printer = self->printer_override;
  else if (!g_variant_lookup (printers, ow_document_kind_to_string (kind), "&s",
                              &printer) || *printer == '\0')
    printer = ow_context_get_printer_name (self->context);

  if (printer == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (OW_PRINTER_ERROR,
                                                     OW_PRINTER_ERROR_NOT_FOUND,
                                                     _("no printer is set up for notices"));
      g_autofree char *display = ow_case_number_format (self->last_case_no);
      g_autofree char *message = g_strdup_printf (_("Case %s saved, but the notice was not "
                                                    "printed: %s"), display, error->message);
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, "win.retry-print");
      add_toast (self, toast);
      return;
    }

  title = g_strdup_printf ("%s %s", ow_document_kind_get_title (kind),
                           self->last_case_no);
  queue = ow_print_jobs_get_queue (self->context);
  g_return_if_fail (queue != NULL);
  /* Through the counter's queue: a job that fails is kept there for retry, even after a
   * restart, and listed in the print jobs window. */
  g_clear_object (&self->last_job);
  self->last_job = ow_print_job_new (ow_document_kind_to_string (kind), self->last_case_no, title,
                                     self->last_notice, 1);
  ow_print_queue_submit_async (queue, self->last_job, printer, self->cancellable,
                               notice_printed_cb,
                               callback_data_new (self, self->last_case_no, NULL));
  g_clear_pointer (&self->printer_override, g_free);
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
  OwDecision decision;
  char *refusal_reason;
  char *competent_organ;
  OwCase *delivery;       /* carries the delivery only */
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
  g_clear_object (&data->delivery);
  g_free (data->refusal_reason);
  g_free (data->competent_organ);
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
  OwDocumentKind kind;
  OwCatalog *catalog;
  double dpi;             /* > 0: PNG pages for the preview instead of a PDF */
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
  g_clear_object (&data->catalog);
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
  GBytes *pdf;

  if (data->dpi > 0)
    {
      GPtrArray *pages = ow_document_render_preview (data->kind, data->kase, &data->info,
                                                     data->copies, data->dpi, &error);
      if (pages == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, pages, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  pdf = ow_document_render_copies (data->kind, data->kase, &data->info, data->copies, &error);
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
      g_autofree char *message = g_strdup_printf (_("Case %s saved, but the notice could not "
                                                    "be made: %s"), display, error->message);
      add_message_toast (self, message, 0);
      return;
    }

  /* Retry prints the notice of the case accepted last. */
  g_clear_pointer (&self->last_notice, g_bytes_unref);
  self->last_notice = g_steal_pointer (&pdf);
  g_free (self->last_case_no);
  self->last_case_no = g_strdup (case_no);
  self->last_decision = data->kind == OW_DOCUMENT_TOLERATED ? OW_DECISION_TOLERATED
                        : data->kind == OW_DOCUMENT_SUPPLEMENT ? OW_DECISION_SUPPLEMENT
                        : data->kind == OW_DOCUMENT_REFUSAL ? OW_DECISION_REFUSE
                        : OW_DECISION_ACCEPT;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.retry-print", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.reprint", TRUE);
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

/* The notice that goes with the case's decision. */
static OwDocumentKind
document_kind_for_case (OwCase *kase)
{
  switch (ow_case_get_state (kase))
    {
    case OW_CASE_STATE_REFUSED:
      return OW_DOCUMENT_REFUSAL;
    case OW_CASE_STATE_SUPPLEMENT_REQUESTED:
      return OW_DOCUMENT_SUPPLEMENT;
    default:
      return ow_case_has_tolerated (kase) ? OW_DOCUMENT_TOLERATED : OW_DOCUMENT_ACCEPTANCE;
    }
}

/* What rendering @kind for @kase needs, copied so that a worker thread can use it. */
static RenderData *
render_data_new (OwIntakePage   *self,
                 OwCase         *kase,
                 OwDocumentKind  kind)
{
  const OwUser *user = ow_context_get_user (self->context);
  GSettings *settings = ow_context_get_settings (self->context);
  g_autoptr(GVariant) copies = NULL;
  RenderData *data = g_new0 (RenderData, 1);

  data->kase = g_object_ref (kase);
  data->kind = kind;
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
  /* The tolerated notice states the form and counts of each material from the catalog. */
  if (ow_context_get_catalog (self->context) != NULL)
    data->catalog = g_object_ref (ow_context_get_catalog (self->context));
  data->info.catalog = data->catalog;
  data->info.mask_applicant = g_settings_get_boolean (settings, "mask-applicant-copy");
  ow_mask_policy_init_default (&data->info.mask);
  data->info.mask.id_head = g_settings_get_uint (settings, "mask-id-head");
  data->info.mask.id_tail = g_settings_get_uint (settings, "mask-id-tail");
  data->info.mask.phone_head = g_settings_get_uint (settings, "mask-phone-head");
  data->info.mask.phone_tail = g_settings_get_uint (settings, "mask-phone-tail");
  /* Applicant's, department's and archive's copies, as the hall set it up. */
  copies = g_settings_get_value (settings, "document-copies");
  data->copies = 1;
  g_variant_lookup (copies, ow_document_kind_to_string (kind), "u", &data->copies);
  data->copies = CLAMP (data->copies, 1, 3);
  return data;
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
  RenderData *data;

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

  data = render_data_new (self, kase, document_kind_for_case (kase));
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
  g_clear_pointer (&self->printer_override, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->accept_spinner), FALSE);
  gtk_spinner_set_spinning (self->accept_spinner, FALSE);
  add_message_toast (self, message, 0);
  update_accept (self);
}

/* The case as the form describes it, decided, numbered @case_no / @document_sequence; NULL with
 * a message for the clerk when it does not validate. */
static OwCase *
build_case (OwIntakePage *self,
            NumberData   *data,
            const char   *case_no,
            guint         document_sequence,
            gboolean     *provisional,
            GError      **error)
{
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *query_code = NULL;
  g_autofree char *document_no = NULL;
  g_autofree char *organ_short = NULL;
  g_autofree char *field = NULL;
  const OwUser *user = ow_context_get_user (self->context);
  OwDocumentKind kind = ow_decision_get_document_kind (data->decision);
  GDate promised;

  kase = ow_case_new (case_no);
  query_code = ow_query_code_new ();
  ow_case_set_query_code (kase, query_code);
  ow_case_set_origin (kase, user->hall, user->counter, user->username);
  now = g_date_time_new_now_utc ();
  ow_case_set_received_at (kase, now);

  g_date_clear (&promised, 1);
  ow_calendar_add_working_days (ow_context_get_calendar (self->context), &data->date,
                                ow_item_get_promised_limit (data->item), &promised,
                                provisional);
  ow_case_set_promised_date (kase, &promised);

  organ_short = dup_organ_short (user->hall_name);
  document_no = ow_document_number (organ_short, kind, g_date_get_year (&data->date),
                                    user->counter * 10000 + document_sequence);
  ow_case_set_document_no (kase, document_no);

  ow_case_set_applicant (kase, data->applicant);
  ow_case_set_delivery (kase, ow_case_get_delivery (data->delivery),
                        ow_case_get_post_recipient (data->delivery),
                        ow_case_get_post_phone (data->delivery),
                        ow_case_get_post_address (data->delivery));
  ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (data->item),
                                            ow_item_get_basic_code (data->item),
                                            ow_item_get_name (data->item),
                                            ow_item_get_department (data->item)));
  for (guint i = 0; i < data->materials->len; i++)
    ow_case_add_material (kase, ow_case_material_copy (g_ptr_array_index (data->materials, i)));
  if (data->decision == OW_DECISION_REFUSE)
    ow_case_set_refusal (kase, data->refusal_reason, data->competent_organ);

  if (!ow_case_apply_event (kase, ow_decision_get_event (data->decision), error)
      || !ow_case_validate (kase, &data->date, &field, error))
    return NULL;
  return g_steal_pointer (&kase);
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
  g_autofree char *case_no = NULL;
  const OwUser *user;
  gboolean provisional = FALSE;

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

  kase = build_case (self, data, case_no, data->document_sequence, &provisional, &error);
  if (kase == NULL)
    {
      /* Translators: %s says what is wrong with the case */
      g_autofree char *message = g_strdup_printf (_("The case cannot be saved: %s"),
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
  /* The items this counter accepts most come first in the search from now on. */
  {
    GPtrArray *items = ow_case_get_items (kase);

    for (guint i = 0; items != NULL && i < items->len; i++)
      ow_intake_search_note_used (self->search,
                                  ((OwCaseItem *) g_ptr_array_index (items, i))->item_id);
  }
}

/* The form as it is now: the clerk may move on while numbers are taken. */
static NumberData *
capture_form (OwIntakePage *self)
{
  const OwUser *user = ow_context_get_user (self->context);
  NumberData *data;

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
  data->decision = ow_decision_panel_get_decision (self->decision_panel);
  if (data->decision == OW_DECISION_REFUSE)
    {
      data->refusal_reason = ow_decision_panel_dup_refusal_reason (self->decision_panel);
      data->competent_organ = ow_decision_panel_dup_competent_organ (self->decision_panel);
    }
  data->delivery = ow_case_new ("");
  ow_decision_panel_apply_delivery (self->decision_panel, data->delivery);
  /* The case number carries the hall's date, as the notice and the platform do. */
  ow_hall_today (&data->date);
  return data;
}

static void
accept_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  const OwUser *user = ow_context_get_user (self->context);
  g_autoptr(GTask) task = NULL;

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

  task = g_task_new (self, self->cancellable, numbers_taken_cb, NULL);
  g_task_set_source_tag (task, accept_activated);
  g_task_set_task_data (task, capture_form (self), (GDestroyNotify) number_data_free);
  g_task_run_in_thread (task, take_numbers_thread);
}

/* ---------------------------------------------------------------------------------------- */
/* Preview: the document of the chosen decision, drawn before anything is saved */

typedef struct
{
  OwIntakePage *self;
  OwPreviewDialog *dialog;    /* weak */
} PreviewData;

static void
preview_data_free (PreviewData *data)
{
  g_clear_weak_pointer (&data->dialog);
  g_object_unref (data->self);
  g_free (data);
}

static void
preview_rendered_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PreviewData *preview = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || preview->dialog == NULL)
    {
      preview_data_free (preview);
      return;
    }
  if (pages == NULL)
    ow_preview_dialog_set_error (preview->dialog, error->message);
  else
    ow_preview_dialog_set_pages (preview->dialog, pages);
  preview_data_free (preview);
}

static void
preview_print_cb (OwIntakePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "intake.accept", NULL);
}

static void
print_dialog_response_cb (GtkDialog    *dialog,
                          int           response,
                          OwIntakePage *self)
{
  GtkPrinter *printer = gtk_print_unix_dialog_get_selected_printer (GTK_PRINT_UNIX_DIALOG (dialog));

  if (response == GTK_RESPONSE_OK && printer != NULL)
    {
      if (gtk_printer_is_virtual (printer))
        add_message_toast (self, _("A notice is a paper document: choose a printer, not a "
                                   "file."), 5);
      else
        {
          /* The queue follows the job at the chosen CUPS destination like any other. */
          g_free (self->printer_override);
          self->printer_override = g_strdup (gtk_printer_get_name (printer));
          gtk_widget_activate_action (GTK_WIDGET (self), "intake.accept", NULL);
          if (!self->accepting)
            g_clear_pointer (&self->printer_override, g_free);
        }
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
print_with_dialog_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  GtkWidget *dialog;

  dialog = gtk_print_unix_dialog_new (_("Print Notice"),
                                      GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  /* Copies and layout come from the hall's settings; only the printer is chosen here. */
  gtk_print_unix_dialog_set_embed_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), FALSE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (print_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preview_print_with_dialog_cb (OwIntakePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "intake.print-with-dialog", NULL);
}

static void
preview_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *case_no = NULL;
  g_autofree char *title = NULL;
  NumberData *data;
  OwDocumentKind kind;
  OwPreviewDialog *dialog;
  PreviewData *preview;
  RenderData *render;
  const OwUser *user = ow_context_get_user (self->context);
  gboolean provisional = FALSE;

  if (user == NULL || self->item == NULL)
    return;

  data = capture_form (self);
  kind = ow_decision_get_document_kind (data->decision);
  /* Translators: %s is the document's Chinese title, e.g. 不予受理通知书; the numbers on a
   * preview are stand-ins until the decision is taken */
  title = g_strdup_printf (_("%s — Preview (numbers are given on printing)"),
                           ow_document_kind_get_title (kind));
  dialog = ow_preview_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), title);
  g_signal_connect_object (dialog, "print", G_CALLBACK (preview_print_cb), self,
                           G_CONNECT_SWAPPED);
  ow_preview_dialog_set_can_print (dialog, gtk_widget_is_sensitive (
                                             GTK_WIDGET (self->accept_button)));
  g_signal_connect_object (dialog, "print-with-dialog",
                           G_CALLBACK (preview_print_with_dialog_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  /* The real numbers are taken only when the decision is made: the preview shows the last
   * sequence of the day as a stand-in. */
  case_no = ow_case_number_make (user->hall, user->counter, &data->date, 9999, &error);
  if (case_no != NULL)
    kase = build_case (self, data, case_no, 0, &provisional, &error);
  number_data_free (data);
  if (kase == NULL)
    {
      ow_preview_dialog_set_error (dialog, error->message);
      return;
    }

  preview = g_new0 (PreviewData, 1);
  preview->self = g_object_ref (self);
  g_set_weak_pointer (&preview->dialog, dialog);
  render = render_data_new (self, kase, kind);
  render->dpi = 96;
  task = g_task_new (NULL, self->cancellable, preview_rendered_cb, preview);
  g_task_set_source_tag (task, preview_activated);
  g_task_set_task_data (task, render, (GDestroyNotify) render_data_free);
  g_task_run_in_thread (task, render_notice_thread);
}

static void
retry_print_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  OwPrintQueue *queue = self->context != NULL ? ow_print_jobs_get_queue (self->context) : NULL;

  /* The failed job is still in the queue: send it again rather than a second copy. */
  if (queue != NULL && self->last_job != NULL
      && ow_print_job_get_state (self->last_job) == OW_PRINT_JOB_FAILED)
    {
      CallbackData *data = callback_data_new (self, self->last_case_no, NULL);

      data->retry = TRUE;
      ow_print_queue_retry_async (queue, self->last_job, NULL, self->cancellable,
                                  notice_printed_cb, data);
    }
  else if (self->last_notice != NULL)
    print_notice (self);
}

static void
reprint_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     OwIntakePage     *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "ow-reason");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  OwPrintQueue *queue = ow_print_jobs_get_queue (self->context);
  OwDocumentKind kind = ow_decision_get_document_kind (self->last_decision);
  g_autoptr(GVariant) printers = NULL;
  g_autoptr(OwPrintJob) job = NULL;
  g_autofree char *title = NULL;
  const char *printer = NULL;

  if (g_strcmp0 (response, "reprint") != 0 || *reason == '\0' || queue == NULL
      || self->last_notice == NULL)
    return;

  printers = g_settings_get_value (ow_context_get_settings (self->context), "document-printers");
  if (!g_variant_lookup (printers, ow_document_kind_to_string (kind), "&s", &printer)
      || *printer == '\0')
    printer = ow_context_get_printer_name (self->context);
  title = g_strdup_printf ("%s %s", ow_document_kind_get_title (kind), self->last_case_no);
  job = ow_print_job_new (ow_document_kind_to_string (kind), self->last_case_no, title,
                          self->last_notice, 1);
  /* Recorded in the audit log with the reason once the printer completed it. */
  ow_print_job_set_reprint_reason (job, reason);
  g_set_object (&self->last_job, job);
  ow_print_queue_submit_async (queue, job, printer, self->cancellable, notice_printed_cb,
                               callback_data_new (self, self->last_case_no, NULL));
}

static void
reprint_reason_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "reprint", *reason != '\0');
}

static void
reprint_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  g_autofree char *display = NULL;
  GtkWidget *dialog, *entry;

  if (self->last_notice == NULL)
    return;

  display = ow_case_number_format (self->last_case_no);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Reprint the Notice?"), NULL);
  /* Translators: %s is a case number */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The notice of case %s is printed again. Say why: the "
                                    "reprint is recorded with the reason."), display);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason for reprinting"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for reprinting"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "reprint", _("_Reprint"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reprint",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reprint", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reprint");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "ow-reason", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (reprint_reason_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reprint_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
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
  g_clear_object (&self->search);
  g_clear_object (&self->item);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_notice, g_bytes_unref);
  g_clear_object (&self->last_job);

  G_OBJECT_CLASS (ow_intake_page_parent_class)->dispose (object);
}

static void
ow_intake_page_finalize (GObject *object)
{
  OwIntakePage *self = OW_INTAKE_PAGE (object);

  g_free (self->last_case_no);
  g_free (self->printer_override);

  G_OBJECT_CLASS (ow_intake_page_parent_class)->finalize (object);
}

static void
ow_intake_page_class_init (OwIntakePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_intake_page_dispose;
  object_class->finalize = ow_intake_page_finalize;

  g_type_ensure (OW_TYPE_DECISION_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/ow-intake-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, filter_button);
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
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, accept_button);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, decision_panel);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, item_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, applicant_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, decision_changed_cb);

  gtk_widget_class_install_action (widget_class, "intake.accept", NULL, accept_activated);
  gtk_widget_class_install_action (widget_class, "intake.preview", NULL, preview_activated);
  gtk_widget_class_install_action (widget_class, "intake.reprint", NULL, reprint_activated);
  gtk_widget_class_install_action (widget_class, "intake.print-with-dialog", NULL,
                                   print_with_dialog_activated);
  gtk_widget_class_install_action (widget_class, "intake.retry-print", NULL,
                                   retry_print_activated);
  gtk_widget_class_install_action (widget_class, "intake.focus-search", NULL,
                                   focus_search_activated);

  /**
   * OwIntakePage::case-scanned:
   * @case_no: the case number, canonical (23 characters, no hyphens)
   *
   * A receipt's QR code or a case number came into the search field — from a barcode
   * scanner's burst of keys or typed — and Enter was pressed: the applicant is back about a
   * case, not looking for an item. The page has shown a toast and cleared the field.
   */
  signals[CASE_SCANNED] = g_signal_new ("case-scanned", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ow_intake_page_init (OwIntakePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->search = ow_intake_search_new ();
  ow_intake_search_attach_entry (self->search, GTK_WIDGET (self->search_entry));
  ow_intake_search_attach_filter_button (self->search, self->filter_button);
  g_signal_connect_object (self->search, "results-changed", G_CALLBACK (update_result_count),
                           self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->items_list, ow_intake_search_get_model (self->search),
                           create_item_row, NULL, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.retry-print", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.reprint", FALSE);
  update_result_count (self);
  update_accept (self);
}

/* ---------------------------------------------------------------------------------------- */

void
ow_intake_page_set_context (OwIntakePage *self,
                            OwContext    *context)
{
  g_return_if_fail (OW_IS_INTAKE_PAGE (self));
  g_return_if_fail (OW_IS_CONTEXT (context));

  g_set_object (&self->context, context);
  show_item (self, NULL);

  /* The index is built in a worker; until then the list shows the catalog as it is. */
  ow_intake_search_set_context (self->search, context);
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
  ow_decision_panel_reset (self->decision_panel);
  update_accept (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
