/* ow-applicant-form.c — the applicant at the counter: person or organisation, an agent, recall
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "core/ow-error.h"
#include "core/ow-region.h"
#include "core/ow-validate.h"
#include "gui/intake/ow-applicant-form.h"

struct _OwApplicantForm
{
  AdwBin parent_instance;

  /* template */
  GtkDropDown *kind_dropdown;
  GtkLabel *id_label;
  GtkEntry *id_entry;
  GtkLabel *id_error_label;
  GtkWidget *recall_box;
  GtkLabel *recall_label;
  GtkWidget *recall_button;
  GtkLabel *name_label;
  GtkEntry *name_entry;
  GtkEntry *mobile_entry;
  GtkLabel *mobile_error_label;
  GtkWidget *contact_label;
  GtkEntry *contact_entry;
  GtkSwitch *agent_switch;
  GtkWidget *agent_name_label;
  GtkEntry *agent_name_entry;
  GtkWidget *agent_id_label;
  GtkEntry *agent_id_entry;
  GtkLabel *agent_id_error_label;
  GtkWidget *agent_mobile_label;
  GtkEntry *agent_mobile_entry;
  GtkLabel *agent_mobile_error_label;

  OwContext *context;

  /* The look-up of earlier cases in flight; NULL when none is. */
  GCancellable *recall_cancellable;
  /* The newest earlier case's applicant while the info line offers it, and that case. */
  OwApplicant *recalled;
  char *recalled_case_no;   /* formatted, with hyphens */
  char *recalled_date;      /* YYYY-MM-DD, the hall's date */

  /* While the form fills itself (set, reset, recall): no look-up, and one "changed" at the
   * end instead of one per field. */
  guint frozen;
  gboolean change_pending;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (OwApplicantForm, ow_applicant_form, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_HAS_AGENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the fields amount to; the marks on them are updated on the way. */
typedef struct
{
  gboolean applicant_valid;
  gboolean agent_valid;        /* TRUE when there is no agent */
  gboolean agent_is_applicant;
} FormCheck;

typedef struct
{
  OwStore *store;
  char *id_number;
} RecallData;

static void
recall_data_free (gpointer data)
{
  RecallData *recall = data;

  g_clear_object (&recall->store);
  g_free (recall->id_number);
  g_free (recall);
}

/* ---------------------------------------------------------------------------------------- */
/* Reading and checking the fields */

static OwApplicantKind
get_kind (OwApplicantForm *self)
{
  return gtk_drop_down_get_selected (self->kind_dropdown) == 1 ? OW_APPLICANT_ORGANISATION
                                                               : OW_APPLICANT_PERSON;
}

static char *
dup_stripped (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

/* The stripped text, or NULL when there is none. */
static char *
dup_text_or_null (GtkEntry *entry)
{
  char *text = dup_stripped (entry);

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static char *
dup_identifier (GtkEntry *entry)
{
  return ow_normalize_identifier (gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* The bare 11 digits of a valid mobile; what was typed otherwise; NULL when nothing was. */
static char *
dup_mobile (GtkEntry *entry)
{
  char *normalized = NULL;

  if (ow_validate_mobile (gtk_editable_get_text (GTK_EDITABLE (entry)), &normalized, NULL))
    return normalized;
  return dup_text_or_null (entry);
}

static gboolean
validate_identifier (const char       *normalized,
                     OwApplicantKind   kind,
                     GError          **error)
{
  if (kind == OW_APPLICANT_PERSON)
    return ow_validate_resident_id (normalized, NULL, error);
  return ow_validate_credit_code (normalized, error);
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
      gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
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

/* Shows under a valid resident ID that its region is no county GB/T 2260 knows: the clerk
 * checks the card, and the value stays valid (old IDs carry codes of counties since merged). */
static void
show_region_warning (GtkLabel   *label,
                     const char *id)
{
  g_autofree char *warning = ow_resident_id_region_warning (id);

  if (warning == NULL)
    return;
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (label), "warning");
  gtk_label_set_text (label, warning);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

static gboolean
check_mobile_field (GtkEntry *entry,
                    GtkLabel *label)
{
  const char *mobile = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GError) error = NULL;

  ow_validate_mobile (mobile, NULL, &error);
  return show_field_check (entry, label, *mobile == '\0', error);
}

static void
check_fields (OwApplicantForm *self,
              FormCheck       *check)
{
  OwApplicantKind kind = get_kind (self);
  g_autofree char *name = dup_stripped (self->name_entry);
  g_autofree char *id = dup_identifier (self->id_entry);
  g_autoptr(GError) id_error = NULL;
  gboolean valid;

  validate_identifier (id, kind, &id_error);
  valid = show_field_check (self->id_entry, self->id_error_label, *id == '\0', id_error);
  if (valid && kind == OW_APPLICANT_PERSON)
    show_region_warning (self->id_error_label, id);
  valid &= check_mobile_field (self->mobile_entry, self->mobile_error_label);
  check->applicant_valid = valid && *name != '\0';

  check->agent_valid = TRUE;
  check->agent_is_applicant = FALSE;
  if (gtk_switch_get_active (self->agent_switch))
    {
      g_autofree char *agent_name = dup_stripped (self->agent_name_entry);
      g_autofree char *agent_id = dup_identifier (self->agent_id_entry);
      g_autoptr(GError) agent_error = NULL;

      /* An agent is someone who came in person: a resident ID, whatever the applicant is. */
      if (ow_validate_resident_id (agent_id, NULL, &agent_error)
          && kind == OW_APPLICANT_PERSON && g_str_equal (agent_id, id))
        {
          check->agent_is_applicant = TRUE;
          g_set_error_literal (&agent_error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                               _("The agent cannot be the applicant."));
        }
      valid = show_field_check (self->agent_id_entry, self->agent_id_error_label,
                                *agent_id == '\0', agent_error);
      if (valid)
        show_region_warning (self->agent_id_error_label, agent_id);
      valid &= check_mobile_field (self->agent_mobile_entry, self->agent_mobile_error_label);
      check->agent_valid = valid && *agent_name != '\0';
    }
  else
    {
      /* Hidden fields keep what was typed, in case the switch goes back on, but no marks. */
      show_field_check (self->agent_id_entry, self->agent_id_error_label, TRUE, NULL);
      show_field_check (self->agent_mobile_entry, self->agent_mobile_error_label, TRUE, NULL);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* "changed", once per batch */

static void
emit_changed (OwApplicantForm *self)
{
  if (self->frozen > 0)
    {
      self->change_pending = TRUE;
      return;
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
freeze (OwApplicantForm *self)
{
  self->frozen++;
}

static void
thaw (OwApplicantForm *self)
{
  g_assert (self->frozen > 0);

  if (--self->frozen == 0 && self->change_pending)
    {
      self->change_pending = FALSE;
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Recall of a returning applicant */

static void
forget_recall (OwApplicantForm *self)
{
  g_cancellable_cancel (self->recall_cancellable);
  g_clear_object (&self->recall_cancellable);
  g_clear_pointer (&self->recalled, ow_applicant_free);
  g_clear_pointer (&self->recalled_case_no, g_free);
  g_clear_pointer (&self->recalled_date, g_free);
  gtk_widget_set_visible (self->recall_box, FALSE);
}

/* The hall's date the case was received on, or made on when it has no reception time. */
static char *
dup_case_date (OwCase *kase)
{
  GDateTime *received = ow_case_get_received_at (kase);
  OwCaseNumberParts parts;
  char text[16];

  if (received != NULL)
    {
      g_autoptr(GTimeZone) zone = ow_hall_time_zone ();
      g_autoptr(GDateTime) local = g_date_time_to_timezone (received, zone);

      return g_date_time_format (local, "%Y-%m-%d");
    }
  if (!ow_case_number_parse (ow_case_get_case_no (kase), &parts, NULL))
    return g_strdup ("");
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &parts.date);
  return g_strdup (text);
}

static void
show_recall (OwApplicantForm *self,
             gboolean         differs)
{
  g_autofree char *text = NULL;

  if (differs)
    /* Translators: a returning applicant whose earlier case named another name or mobile than
     * the fields hold; the first %s is a case number, the second its date (2026-11-25) */
    text = g_strdup_printf (_("Returning applicant: case %s of %s has other details"),
                            self->recalled_case_no, self->recalled_date);
  else
    /* Translators: the name and mobile were filled in from an earlier case; the first %s is
     * its case number, the second its date (2026-11-25) */
    text = g_strdup_printf (_("Returning applicant: details from case %s of %s"),
                            self->recalled_case_no, self->recalled_date);
  gtk_label_set_text (self->recall_label, text);
  gtk_widget_set_visible (self->recall_button, differs);
  gtk_widget_set_visible (self->recall_box, TRUE);
}

/* Fills @entry with @earlier when it is empty; returns whether it holds something else. */
static gboolean
fill_if_empty (GtkEntry   *entry,
               const char *earlier,
               gboolean    mobile)
{
  g_autofree char *current = dup_stripped (entry);
  g_autofree char *normalized = NULL;

  if (earlier == NULL || *earlier == '\0')
    return FALSE;
  if (*current == '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), earlier);
      return FALSE;
    }
  if (mobile && ow_validate_mobile (current, &normalized, NULL))
    return !g_str_equal (normalized, earlier);
  return !g_str_equal (current, earlier);
}

static void
fill_from_earlier (OwApplicantForm *self,
                   gboolean         overwrite)
{
  const OwApplicant *earlier = self->recalled;
  gboolean differs = FALSE;

  g_assert (earlier != NULL);

  freeze (self);
  if (overwrite)
    {
      if (earlier->name != NULL && *earlier->name != '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->name_entry), earlier->name);
      if (earlier->phone != NULL && *earlier->phone != '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->mobile_entry), earlier->phone);
      if (earlier->kind == OW_APPLICANT_ORGANISATION && earlier->contact_name != NULL
          && *earlier->contact_name != '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->contact_entry), earlier->contact_name);
    }
  else
    {
      differs |= fill_if_empty (self->name_entry, earlier->name, FALSE);
      differs |= fill_if_empty (self->mobile_entry, earlier->phone, TRUE);
      if (earlier->kind == OW_APPLICANT_ORGANISATION)
        differs |= fill_if_empty (self->contact_entry, earlier->contact_name, FALSE);
    }
  show_recall (self, differs);
  thaw (self);
}

static void
find_cases_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  RecallData *data = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *cases;

  if (g_task_return_error_if_cancelled (task))
    return;
  cases = ow_store_find_cases_by_applicant (data->store, data->id_number, &error);
  if (cases == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, cases, (GDestroyNotify) g_ptr_array_unref);
}

static void
cases_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OwApplicantForm *self = OW_APPLICANT_FORM (source);
  GTask *task = G_TASK (result);
  RecallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = g_task_propagate_pointer (task, &error);
  g_autofree char *id = NULL;
  OwCase *newest;
  const OwApplicant *earlier;

  /* Cancelled: the ID changed again, or the form is gone. Leave it alone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_task_get_cancellable (task) != self->recall_cancellable)
    return;
  g_clear_object (&self->recall_cancellable);

  if (cases == NULL)
    {
      /* The form works without recall; the clerk types the details. */
      g_warning ("Cannot look up earlier cases of the applicant: %s", error->message);
      return;
    }

  id = dup_identifier (self->id_entry);
  if (!g_str_equal (id, data->id_number) || cases->len == 0)
    return;

  newest = g_ptr_array_index (cases, 0);
  earlier = ow_case_get_applicant (newest);
  if (earlier == NULL || earlier->kind != get_kind (self))
    return;

  self->recalled = ow_applicant_copy (earlier);
  self->recalled_case_no = ow_case_number_format (ow_case_get_case_no (newest));
  self->recalled_date = dup_case_date (newest);
  fill_from_earlier (self, FALSE);
}

/* Asks the store, in a worker thread, for earlier cases of the ID typed, when it is complete
 * and valid; forgets any earlier question and answer. */
static void
look_up_applicant (OwApplicantForm *self)
{
  g_autofree char *id = NULL;
  g_autoptr(GTask) task = NULL;
  OwStore *store;
  RecallData *data;

  forget_recall (self);
  if (self->filling || self->context == NULL)
    return;
  store = ow_context_get_store (self->context);
  id = dup_identifier (self->id_entry);
  if (store == NULL || !validate_identifier (id, get_kind (self), NULL))
    return;

  self->recall_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->recall_cancellable, cases_found_cb, NULL);
  g_task_set_source_tag (task, look_up_applicant);
  data = g_new0 (RecallData, 1);
  data->store = g_object_ref (store);
  data->id_number = g_steal_pointer (&id);
  g_task_set_task_data (task, data, recall_data_free);
  g_task_run_in_thread (task, find_cases_thread);
}

/* ---------------------------------------------------------------------------------------- */
/* Callbacks */

static void
update_kind_labels (OwApplicantForm *self)
{
  gboolean person = get_kind (self) == OW_APPLICANT_PERSON;

  gtk_label_set_text_with_mnemonic (self->name_label, person ? _("_Name")
                                                             : _("Registered _name"));
  gtk_label_set_text_with_mnemonic (self->id_label, person ? _("_ID number")
                                                           : _("_Credit code"));
  gtk_widget_set_visible (self->contact_label, !person);
  gtk_widget_set_visible (GTK_WIDGET (self->contact_entry), !person);
}

static void
update_agent_visibility (OwApplicantForm *self)
{
  gboolean agent = gtk_switch_get_active (self->agent_switch);

  gtk_widget_set_visible (self->agent_name_label, agent);
  gtk_widget_set_visible (GTK_WIDGET (self->agent_name_entry), agent);
  gtk_widget_set_visible (self->agent_id_label, agent);
  gtk_widget_set_visible (GTK_WIDGET (self->agent_id_entry), agent);
  gtk_widget_set_visible (self->agent_mobile_label, agent);
  gtk_widget_set_visible (GTK_WIDGET (self->agent_mobile_entry), agent);
}

static void
field_changed_cb (OwApplicantForm *self)
{
  FormCheck check;

  check_fields (self, &check);
  emit_changed (self);
}

static void
id_changed_cb (OwApplicantForm *self)
{
  look_up_applicant (self);
  field_changed_cb (self);
}

static void
kind_changed_cb (OwApplicantForm *self)
{
  update_kind_labels (self);
  /* The same characters may be valid as the other kind of number, or no longer. */
  look_up_applicant (self);
  field_changed_cb (self);
}

/* Space on the switch, or the row's mnemonic: a GtkSwitch flips only at the end of its
 * animation, a frame or more later, and the Tab a clerk types straight after would pass the
 * agent's fields before they show. Flip it now (which ends the animation); with animations off
 * GTK has flipped it already. */
static void
agent_switch_activated_cb (OwApplicantForm *self)
{
  gboolean animates = FALSE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self->agent_switch)),
                "gtk-enable-animations", &animates, NULL);
  if (animates)
    gtk_switch_set_active (self->agent_switch, !gtk_switch_get_active (self->agent_switch));
}

static void
agent_switched_cb (OwApplicantForm *self)
{
  update_agent_visibility (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AGENT]);
  field_changed_cb (self);
}

static void
recall_button_clicked_cb (OwApplicantForm *self)
{
  if (self->recalled == NULL)
    return;
  fill_from_earlier (self, TRUE);
  /* The button had the focus and is gone: keep the clerk in the form. */
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_applicant_form_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OwApplicantForm *self = OW_APPLICANT_FORM (object);

  switch (prop_id)
    {
    case PROP_HAS_AGENT:
      g_value_set_boolean (value, ow_applicant_form_get_has_agent (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_applicant_form_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  OwApplicantForm *self = OW_APPLICANT_FORM (object);

  switch (prop_id)
    {
    case PROP_HAS_AGENT:
      ow_applicant_form_set_has_agent (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_applicant_form_dispose (GObject *object)
{
  OwApplicantForm *self = OW_APPLICANT_FORM (object);

  g_cancellable_cancel (self->recall_cancellable);
  g_clear_object (&self->recall_cancellable);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_APPLICANT_FORM);

  G_OBJECT_CLASS (ow_applicant_form_parent_class)->dispose (object);
}

static void
ow_applicant_form_finalize (GObject *object)
{
  OwApplicantForm *self = OW_APPLICANT_FORM (object);

  g_clear_pointer (&self->recalled, ow_applicant_free);
  g_free (self->recalled_case_no);
  g_free (self->recalled_date);

  G_OBJECT_CLASS (ow_applicant_form_parent_class)->finalize (object);
}

static void
ow_applicant_form_class_init (OwApplicantFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ow_applicant_form_get_property;
  object_class->set_property = ow_applicant_form_set_property;
  object_class->dispose = ow_applicant_form_dispose;
  object_class->finalize = ow_applicant_form_finalize;

  /**
   * OwApplicantForm:has-agent:
   *
   * Whether someone else (代办人) applies on the applicant's behalf: the agent's fields show
   * and are required.
   */
  properties[PROP_HAS_AGENT] =
    g_param_spec_boolean ("has-agent", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OwApplicantForm::changed:
   *
   * A field was typed in, the kind changed, the agent was switched on or off, or the details
   * of a returning applicant were filled in. Filling the whole form (set, reset) emits it once.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/intake/ow-applicant-form.ui");
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, id_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, id_entry);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, id_error_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, recall_box);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, recall_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, recall_button);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, name_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, name_entry);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, mobile_entry);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, mobile_error_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, contact_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, contact_entry);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, agent_switch);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, agent_name_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, agent_name_entry);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, agent_id_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, agent_id_entry);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, agent_id_error_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, agent_mobile_label);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, agent_mobile_entry);
  gtk_widget_class_bind_template_child (widget_class, OwApplicantForm, agent_mobile_error_label);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, id_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, agent_switched_cb);
  gtk_widget_class_bind_template_callback (widget_class, agent_switch_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, recall_button_clicked_cb);
}

static void
ow_applicant_form_init (OwApplicantForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* A screen reader reads the reason a number is wrong, and where recalled details came from,
   * with the ID field. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->id_entry),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->id_error_label, self->recall_label, NULL, -1);
  update_kind_labels (self);
  update_agent_visibility (self);
}

/* ---------------------------------------------------------------------------------------- */

GtkWidget *
ow_applicant_form_new (void)
{
  return g_object_new (OW_TYPE_APPLICANT_FORM, NULL);
}

void
ow_applicant_form_set_context (OwApplicantForm *self,
                               OwContext       *context)
{
  g_return_if_fail (OW_IS_APPLICANT_FORM (self));
  g_return_if_fail (context == NULL || OW_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;
  /* An answer from the other context's store is not this one's. */
  g_cancellable_cancel (self->recall_cancellable);
  g_clear_object (&self->recall_cancellable);
}

gboolean
ow_applicant_form_check (OwApplicantForm  *self,
                         char            **problem)
{
  FormCheck check;
  const char *message = NULL;

  g_return_val_if_fail (OW_IS_APPLICANT_FORM (self), FALSE);

  check_fields (self, &check);
  if (!check.applicant_valid)
    message = get_kind (self) == OW_APPLICANT_PERSON
              ? _("Fill in the applicant's name, ID number and mobile.")
              : _("Fill in the organisation's registered name, credit code and mobile.");
  else if (check.agent_is_applicant)
    message = _("The agent cannot be the applicant.");
  else if (!check.agent_valid)
    message = _("Fill in the agent's name, ID number and mobile.");

  if (problem != NULL)
    *problem = g_strdup (message);
  return message == NULL;
}

OwApplicant *
ow_applicant_form_build_applicant (OwApplicantForm *self)
{
  OwApplicant *applicant;
  OwApplicantKind kind;

  g_return_val_if_fail (OW_IS_APPLICANT_FORM (self), NULL);

  kind = get_kind (self);
  applicant = ow_applicant_new (kind);
  applicant->name = dup_text_or_null (self->name_entry);
  applicant->id_number = dup_identifier (self->id_entry);
  if (*applicant->id_number == '\0')
    g_clear_pointer (&applicant->id_number, g_free);
  applicant->phone = dup_mobile (self->mobile_entry);
  if (kind == OW_APPLICANT_ORGANISATION)
    applicant->contact_name = dup_text_or_null (self->contact_entry);
  return applicant;
}

OwApplicant *
ow_applicant_form_build_agent (OwApplicantForm *self)
{
  OwApplicant *agent;

  g_return_val_if_fail (OW_IS_APPLICANT_FORM (self), NULL);

  if (!gtk_switch_get_active (self->agent_switch))
    return NULL;

  agent = ow_applicant_new (OW_APPLICANT_PERSON);
  agent->name = dup_text_or_null (self->agent_name_entry);
  agent->id_number = dup_identifier (self->agent_id_entry);
  if (*agent->id_number == '\0')
    g_clear_pointer (&agent->id_number, g_free);
  agent->phone = dup_mobile (self->agent_mobile_entry);
  return agent;
}

gboolean
ow_applicant_form_get_has_agent (OwApplicantForm *self)
{
  g_return_val_if_fail (OW_IS_APPLICANT_FORM (self), FALSE);
  return gtk_switch_get_active (self->agent_switch);
}

void
ow_applicant_form_set_has_agent (OwApplicantForm *self,
                                 gboolean         has_agent)
{
  g_return_if_fail (OW_IS_APPLICANT_FORM (self));

  /* The switch notifies only on a real change, and agent_switched_cb passes it on. */
  gtk_switch_set_active (self->agent_switch, has_agent);
}

static void
set_entry_text (GtkEntry   *entry,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
}

void
ow_applicant_form_set (OwApplicantForm   *self,
                       const OwApplicant *applicant,
                       const OwApplicant *agent)
{
  g_return_if_fail (OW_IS_APPLICANT_FORM (self));

  freeze (self);
  /* What comes back is the clerk's own earlier work: no look-up may second-guess it. */
  self->filling = TRUE;
  gtk_drop_down_set_selected (self->kind_dropdown,
                              applicant != NULL && applicant->kind == OW_APPLICANT_ORGANISATION
                              ? 1 : 0);
  set_entry_text (self->id_entry, applicant != NULL ? applicant->id_number : NULL);
  set_entry_text (self->name_entry, applicant != NULL ? applicant->name : NULL);
  set_entry_text (self->mobile_entry, applicant != NULL ? applicant->phone : NULL);
  set_entry_text (self->contact_entry, applicant != NULL ? applicant->contact_name : NULL);
  set_entry_text (self->agent_name_entry, agent != NULL ? agent->name : NULL);
  set_entry_text (self->agent_id_entry, agent != NULL ? agent->id_number : NULL);
  set_entry_text (self->agent_mobile_entry, agent != NULL ? agent->phone : NULL);
  gtk_switch_set_active (self->agent_switch, agent != NULL);
  self->filling = FALSE;
  forget_recall (self);
  /* The marks follow the new values even when no field changed. */
  field_changed_cb (self);
  thaw (self);
}

void
ow_applicant_form_reset (OwApplicantForm *self)
{
  g_return_if_fail (OW_IS_APPLICANT_FORM (self));

  ow_applicant_form_set (self, NULL, NULL);
}

void
ow_applicant_form_focus (OwApplicantForm *self)
{
  g_return_if_fail (OW_IS_APPLICANT_FORM (self));

  /* The first field to type in: the ID number, from which a returning applicant's details
   * come. The kind above it is a choice made less often. */
  gtk_widget_grab_focus (GTK_WIDGET (self->id_entry));
}
