/* ow-collector-form.c — who collects the result at the pick-up window: the applicant, or an
 * agent with an authorisation letter
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The applicant shows their ID card and the clerk types (or a reader fills in) its number,
 * which must be the case's. An agent shows their own ID card, leaves a mobile number and the
 * applicant's authorisation letter (授权委托书), which is scanned in the pages dialog the
 * intake counter uses for materials.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-validate.h"
#include "gui/pickup/ow-collector-form.h"
#include "gui/scanning/ow-scan-dialog.h"

struct _OwCollectorForm
{
  AdwBin parent_instance;

  /* template */
  GtkToggleButton *applicant_toggle;
  GtkToggleButton *agent_toggle;
  AdwEntryRow *applicant_id_row;
  AdwEntryRow *agent_name_row;
  AdwEntryRow *agent_id_row;
  AdwEntryRow *agent_phone_row;
  AdwActionRow *letter_row;
  GtkButton *letter_button;
  GtkLabel *problem_label;

  OwContext *context;
  OwApplicant *applicant;     /* whose result it is */
  GPtrArray *letter_files;    /* SHA-256 of the scanned letter */
  GPtrArray *letter_pages;    /* OwScanPage, to open the dialog again on them */
  GPtrArray *letter_imports;
  OwScanDialog *dialog;       /* weak */
  gboolean resetting;
};

G_DEFINE_FINAL_TYPE (OwCollectorForm, ow_collector_form, ADW_TYPE_BIN)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
is_agent (OwCollectorForm *self)
{
  return gtk_toggle_button_get_active (self->agent_toggle);
}

static void
update_letter_row (OwCollectorForm *self)
{
  guint n = self->letter_files->len;
  g_autofree char *subtitle = NULL;

  if (n == 0)
    subtitle = g_strdup (_("Not scanned yet: scan the letter the agent brings"));
  else
    subtitle = g_strdup (_("Scanned; the pages go to the platform with the hand-over"));
  adw_action_row_set_subtitle (self->letter_row, subtitle);
}

static void
update_rows (OwCollectorForm *self)
{
  gboolean agent = is_agent (self);
  gboolean organisation = self->applicant != NULL
                          && self->applicant->kind == OW_APPLICANT_ORGANISATION;

  gtk_widget_set_visible (GTK_WIDGET (self->applicant_id_row), !agent);
  gtk_widget_set_visible (GTK_WIDGET (self->agent_name_row), agent);
  gtk_widget_set_visible (GTK_WIDGET (self->agent_id_row), agent);
  gtk_widget_set_visible (GTK_WIDGET (self->agent_phone_row), agent);
  gtk_widget_set_visible (GTK_WIDGET (self->letter_row), agent);
  /* An organisation's representative shows the business licence: its credit code is compared. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->applicant_id_row),
                                 organisation
                                   ? _("Credit code, from the business licence shown")
                                   : _("Applicant's ID number, from the ID card shown"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->applicant_id_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  organisation ? _("Applicant's credit code")
                                               : _("Applicant's ID number"), -1);
  update_letter_row (self);
}

static void
kind_toggled_cb (OwCollectorForm *self)
{
  update_rows (self);
  ow_collector_form_show_problem (self, NULL);
  /* The clerk chose who collects (Alt+A, Alt+G or a click): on to that person's first field;
   * the field that had the focus may just have been hidden. */
  if (!self->resetting && gtk_widget_get_mapped (GTK_WIDGET (self)))
    ow_collector_form_focus (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
field_changed_cb (OwCollectorForm *self)
{
  ow_collector_form_show_problem (self, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---------------------------------------------------------------------------------------- */
/* The letter */

static void
letter_stored_cb (OwCollectorForm *self,
                  OwScanDialog    *dialog)
{
  GPtrArray *files = ow_scan_dialog_get_files (dialog);

  g_ptr_array_set_size (self->letter_files, 0);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (self->letter_files, g_strdup (g_ptr_array_index (files, i)));
  g_clear_pointer (&self->letter_pages, g_ptr_array_unref);
  g_clear_pointer (&self->letter_imports, g_ptr_array_unref);
  self->letter_pages = ow_scan_dialog_dup_pages (dialog);
  self->letter_imports = ow_scan_dialog_dup_imports (dialog);
  update_letter_row (self);
  ow_collector_form_show_problem (self, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
scan_letter_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OwCollectorForm *self = OW_COLLECTOR_FORM (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->context == NULL || self->dialog != NULL)
    return;
  /* The letter's name is the document's, in Chinese, as the catalog names materials. */
  self->dialog = ow_scan_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     self->context, "授权委托书", self->letter_pages,
                                     self->letter_imports);
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  g_signal_connect_object (self->dialog, "stored", G_CALLBACK (letter_stored_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

/* ---------------------------------------------------------------------------------------- */

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The row a collector's member is typed into, to focus on a refusal. */
static GtkWidget *
row_of_field (OwCollectorForm *self,
              const char      *field)
{
  if (field == NULL)
    return NULL;
  if (g_str_equal (field, "collector.id_number"))
    return GTK_WIDGET (is_agent (self) ? self->agent_id_row : self->applicant_id_row);
  if (g_str_equal (field, "collector.name"))
    return GTK_WIDGET (self->agent_name_row);
  if (g_str_equal (field, "collector.phone"))
    return GTK_WIDGET (self->agent_phone_row);
  if (g_str_has_prefix (field, "collector.letter_files"))
    return GTK_WIDGET (self->letter_button);
  return NULL;
}

static void
ow_collector_form_dispose (GObject *object)
{
  OwCollectorForm *self = OW_COLLECTOR_FORM (object);

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_weak_pointer (&self->dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_COLLECTOR_FORM);
  g_clear_object (&self->context);
  g_clear_pointer (&self->applicant, ow_applicant_free);
  g_clear_pointer (&self->letter_pages, g_ptr_array_unref);
  g_clear_pointer (&self->letter_imports, g_ptr_array_unref);

  G_OBJECT_CLASS (ow_collector_form_parent_class)->dispose (object);
}

static void
ow_collector_form_finalize (GObject *object)
{
  OwCollectorForm *self = OW_COLLECTOR_FORM (object);

  g_ptr_array_unref (self->letter_files);

  G_OBJECT_CLASS (ow_collector_form_parent_class)->finalize (object);
}

static void
ow_collector_form_class_init (OwCollectorFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_collector_form_dispose;
  object_class->finalize = ow_collector_form_finalize;

  /**
   * OwCollectorForm::changed:
   *
   * The clerk typed, chose or scanned something.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/pickup/"
                                               "ow-collector-form.ui");
  gtk_widget_class_bind_template_child (widget_class, OwCollectorForm, applicant_toggle);
  gtk_widget_class_bind_template_child (widget_class, OwCollectorForm, agent_toggle);
  gtk_widget_class_bind_template_child (widget_class, OwCollectorForm, applicant_id_row);
  gtk_widget_class_bind_template_child (widget_class, OwCollectorForm, agent_name_row);
  gtk_widget_class_bind_template_child (widget_class, OwCollectorForm, agent_id_row);
  gtk_widget_class_bind_template_child (widget_class, OwCollectorForm, agent_phone_row);
  gtk_widget_class_bind_template_child (widget_class, OwCollectorForm, letter_row);
  gtk_widget_class_bind_template_child (widget_class, OwCollectorForm, letter_button);
  gtk_widget_class_bind_template_child (widget_class, OwCollectorForm, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, kind_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);

  gtk_widget_class_install_action (widget_class, "collector.scan-letter", NULL,
                                   scan_letter_activated);
}

static void
ow_collector_form_init (OwCollectorForm *self)
{
  self->letter_files = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_rows (self);
}

/* ---------------------------------------------------------------------------------------- */

GtkWidget *
ow_collector_form_new (void)
{
  return g_object_new (OW_TYPE_COLLECTOR_FORM, NULL);
}

void
ow_collector_form_set_context (OwCollectorForm *self,
                               OwContext       *context)
{
  g_return_if_fail (OW_IS_COLLECTOR_FORM (self));
  g_set_object (&self->context, context);
}

void
ow_collector_form_reset (OwCollectorForm   *self,
                         const OwApplicant *applicant)
{
  g_return_if_fail (OW_IS_COLLECTOR_FORM (self));

  g_clear_pointer (&self->applicant, ow_applicant_free);
  if (applicant != NULL)
    self->applicant = ow_applicant_copy (applicant);
  self->resetting = TRUE;
  gtk_toggle_button_set_active (self->applicant_toggle, TRUE);
  self->resetting = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->applicant_id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->agent_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->agent_id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->agent_phone_row), "");
  g_ptr_array_set_size (self->letter_files, 0);
  g_clear_pointer (&self->letter_pages, g_ptr_array_unref);
  g_clear_pointer (&self->letter_imports, g_ptr_array_unref);
  ow_collector_form_show_problem (self, NULL);
  update_rows (self);
}

OwCollector *
ow_collector_form_dup_collector (OwCollectorForm  *self,
                                 GError          **error)
{
  g_autoptr(OwCollector) collector = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *field = NULL;

  g_return_val_if_fail (OW_IS_COLLECTOR_FORM (self), NULL);

  if (is_agent (self))
    {
      g_autofree char *id = row_text (self->agent_id_row);
      g_autofree char *phone = row_text (self->agent_phone_row);
      g_autofree char *mobile = NULL;

      collector = ow_collector_new (OW_COLLECTOR_AGENT);
      collector->name = row_text (self->agent_name_row);
      collector->id_number = ow_normalize_identifier (id);
      /* Kept as the bare 11 digits when it is a mobile; otherwise as typed, to be refused. */
      collector->phone = ow_validate_mobile (phone, &mobile, NULL) ? g_steal_pointer (&mobile)
                                                                   : g_steal_pointer (&phone);
      for (guint i = 0; i < self->letter_files->len; i++)
        g_ptr_array_add (collector->letter_files,
                         g_strdup (g_ptr_array_index (self->letter_files, i)));
    }
  else
    {
      g_autofree char *id = row_text (self->applicant_id_row);
      const OwApplicant *applicant = self->applicant;

      collector = ow_collector_new (OW_COLLECTOR_APPLICANT);
      /* The applicant is who the case names; an organisation's, who came for it. */
      if (applicant != NULL)
        collector->name = g_strdup (applicant->kind == OW_APPLICANT_ORGANISATION
                                    && applicant->contact_name != NULL
                                    && *applicant->contact_name != '\0'
                                      ? applicant->contact_name : applicant->name);
      collector->id_number = ow_normalize_identifier (id);
    }

  if (!ow_collector_validate (collector, NULL, &field, &local))
    {
      GtkWidget *row = row_of_field (self, field);

      ow_collector_form_show_problem (self, local->message);
      if (row != NULL)
        gtk_widget_grab_focus (row);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&collector);
}

void
ow_collector_form_show_problem (OwCollectorForm *self,
                                const char      *message)
{
  g_return_if_fail (OW_IS_COLLECTOR_FORM (self));

  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

void
ow_collector_form_focus (OwCollectorForm *self)
{
  g_return_if_fail (OW_IS_COLLECTOR_FORM (self));

  gtk_widget_grab_focus (GTK_WIDGET (is_agent (self) ? self->agent_name_row
                                                     : self->applicant_id_row));
}
