/* ow-decision-panel.c — the clerk's decision (art. 32) and how the result is delivered
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-validate.h"
#include "gui/intake/ow-decision-panel.h"

struct _OwDecisionPanel
{
  AdwBin parent_instance;

  /* template */
  AdwComboRow *decision_row;
  AdwEntryRow *reason_row;
  AdwEntryRow *organ_row;
  AdwComboRow *delivery_row;
  AdwEntryRow *recipient_row;
  AdwEntryRow *phone_row;
  AdwEntryRow *address_row;
  GtkLabel *problem_label;

  gboolean restoring;   /* one "changed" for a whole restore */
  gboolean tolerable;   /* a line of the application may be tolerated (容缺) */
  GArray *choices;      /* OwDecision of each row of decision_row's model */
};

G_DEFINE_FINAL_TYPE (OwDecisionPanel, ow_decision_panel, ADW_TYPE_BIN)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

OwCaseEventKind
ow_decision_get_event (OwDecision decision)
{
  switch (decision)
    {
    case OW_DECISION_SUPPLEMENT:
      return OW_CASE_EVENT_SUPPLEMENT_REQUESTED;
    case OW_DECISION_REFUSE:
      return OW_CASE_EVENT_REFUSED;
    case OW_DECISION_ACCEPT:
    case OW_DECISION_TOLERATED:
    default:
      return OW_CASE_EVENT_ACCEPTED;
    }
}

OwDocumentKind
ow_decision_get_document_kind (OwDecision decision)
{
  switch (decision)
    {
    case OW_DECISION_TOLERATED:
      return OW_DOCUMENT_TOLERATED;
    case OW_DECISION_SUPPLEMENT:
      return OW_DOCUMENT_SUPPLEMENT;
    case OW_DECISION_REFUSE:
      return OW_DOCUMENT_REFUSAL;
    case OW_DECISION_ACCEPT:
    default:
      return OW_DOCUMENT_ACCEPTANCE;
    }
}

static const char *
decision_label (OwDecision decision)
{
  switch (decision)
    {
    case OW_DECISION_TOLERATED:
      return _("Accept with a gap");
    case OW_DECISION_SUPPLEMENT:
      return _("Request supplements");
    case OW_DECISION_REFUSE:
      return _("Refuse");
    case OW_DECISION_ACCEPT:
    default:
      return _("Accept");
    }
}

/* The choices the application allows, the current one kept where it still is one. */
static void
fill_choices (OwDecisionPanel *self,
              OwDecision       keep)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = 0;

  g_array_set_size (self->choices, 0);
  for (OwDecision d = OW_DECISION_ACCEPT; d <= OW_DECISION_REFUSE; d++)
    {
      if (d == OW_DECISION_TOLERATED && !self->tolerable)
        continue;
      if (d == keep)
        selected = self->choices->len;
      g_array_append_val (self->choices, d);
      gtk_string_list_append (labels, decision_label (d));
    }
  adw_combo_row_set_model (self->decision_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->decision_row, selected);
}

static char *
dup_stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static gboolean
is_post (OwDecisionPanel *self)
{
  return adw_combo_row_get_selected (self->delivery_row) == 1;
}

static void
mark_row (AdwEntryRow *row,
          gboolean     wrong)
{
  if (wrong)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
update_visibility (OwDecisionPanel *self)
{
  gboolean refuse = ow_decision_panel_get_decision (self) == OW_DECISION_REFUSE;
  gboolean post = is_post (self);

  gtk_widget_set_visible (GTK_WIDGET (self->reason_row), refuse);
  gtk_widget_set_visible (GTK_WIDGET (self->organ_row), refuse);
  gtk_widget_set_visible (GTK_WIDGET (self->recipient_row), post);
  gtk_widget_set_visible (GTK_WIDGET (self->phone_row), post);
  gtk_widget_set_visible (GTK_WIDGET (self->address_row), post);
}

static void
emit_changed (OwDecisionPanel *self)
{
  if (!self->restoring)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
decision_changed_cb (OwDecisionPanel *self)
{
  update_visibility (self);
  emit_changed (self);
}

static void
delivery_changed_cb (OwDecisionPanel *self)
{
  update_visibility (self);
  emit_changed (self);
}

static void
field_changed_cb (OwDecisionPanel *self)
{
  emit_changed (self);
}

static void
ow_decision_panel_dispose (GObject *object)
{
  OwDecisionPanel *self = OW_DECISION_PANEL (object);

  g_clear_pointer (&self->choices, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), OW_TYPE_DECISION_PANEL);

  G_OBJECT_CLASS (ow_decision_panel_parent_class)->dispose (object);
}

static void
ow_decision_panel_class_init (OwDecisionPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_decision_panel_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/intake/ow-decision-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, OwDecisionPanel, decision_row);
  gtk_widget_class_bind_template_child (widget_class, OwDecisionPanel, reason_row);
  gtk_widget_class_bind_template_child (widget_class, OwDecisionPanel, organ_row);
  gtk_widget_class_bind_template_child (widget_class, OwDecisionPanel, delivery_row);
  gtk_widget_class_bind_template_child (widget_class, OwDecisionPanel, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, OwDecisionPanel, phone_row);
  gtk_widget_class_bind_template_child (widget_class, OwDecisionPanel, address_row);
  gtk_widget_class_bind_template_child (widget_class, OwDecisionPanel, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, decision_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, delivery_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
}

static void
ow_decision_panel_init (OwDecisionPanel *self)
{
  self->choices = g_array_new (FALSE, FALSE, sizeof (OwDecision));
  gtk_widget_init_template (GTK_WIDGET (self));
  self->restoring = TRUE;
  fill_choices (self, OW_DECISION_ACCEPT);
  self->restoring = FALSE;
  update_visibility (self);
}

/* ---------------------------------------------------------------------------------------- */

GtkWidget *
ow_decision_panel_new (void)
{
  return g_object_new (OW_TYPE_DECISION_PANEL, NULL);
}

OwDecision
ow_decision_panel_get_decision (OwDecisionPanel *self)
{
  guint selected;

  g_return_val_if_fail (OW_IS_DECISION_PANEL (self), OW_DECISION_ACCEPT);

  selected = adw_combo_row_get_selected (self->decision_row);
  return selected < self->choices->len ? g_array_index (self->choices, OwDecision, selected)
                                       : OW_DECISION_ACCEPT;
}

void
ow_decision_panel_set_decision (OwDecisionPanel *self,
                                OwDecision       decision)
{
  g_return_if_fail (OW_IS_DECISION_PANEL (self));

  for (guint i = 0; i < self->choices->len; i++)
    if (g_array_index (self->choices, OwDecision, i) == decision)
      {
        adw_combo_row_set_selected (self->decision_row, i);
        return;
      }
  adw_combo_row_set_selected (self->decision_row, 0);
}

void
ow_decision_panel_set_tolerable (OwDecisionPanel *self,
                                 gboolean         tolerable)
{
  OwDecision decision;

  g_return_if_fail (OW_IS_DECISION_PANEL (self));

  tolerable = !!tolerable;
  if (self->tolerable == tolerable)
    return;
  decision = ow_decision_panel_get_decision (self);
  self->tolerable = tolerable;
  /* A 容缺 decision the application no longer allows falls back to a plain acceptance. */
  fill_choices (self, decision);
}

gboolean
ow_decision_panel_get_tolerable (OwDecisionPanel *self)
{
  g_return_val_if_fail (OW_IS_DECISION_PANEL (self), FALSE);
  return self->tolerable;
}

gboolean
ow_decision_panel_check (OwDecisionPanel  *self,
                         char            **problem)
{
  g_autofree char *reason = dup_stripped (self->reason_row);
  g_autofree char *recipient = dup_stripped (self->recipient_row);
  g_autofree char *address = dup_stripped (self->address_row);
  const char *phone = gtk_editable_get_text (GTK_EDITABLE (self->phone_row));
  g_autoptr(GError) phone_error = NULL;
  const char *message = NULL;
  gboolean phone_wrong = FALSE;

  g_return_val_if_fail (OW_IS_DECISION_PANEL (self), FALSE);

  if (is_post (self))
    {
      phone_wrong = *phone != '\0' && !ow_validate_mobile (phone, NULL, &phone_error);
      if (*recipient == '\0')
        message = _("Fill in the recipient for delivery by post.");
      else if (*phone == '\0')
        message = _("Fill in the recipient's mobile for delivery by post.");
      else if (phone_wrong)
        message = _("The recipient's mobile is not valid.");
      else if (*address == '\0')
        message = _("Fill in the postal address.");
    }
  mark_row (self->phone_row, phone_wrong);
  /* The validator's reason under the list, as for the applicant's fields. */
  gtk_label_set_text (self->problem_label, phone_wrong ? phone_error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), phone_wrong);

  /* A refusal is a decision against the applicant: it must say why (art. 32, domain.md). */
  if (ow_decision_panel_get_decision (self) == OW_DECISION_REFUSE && *reason == '\0')
    message = _("A refusal needs a reason: type it in “Reason for refusal”.");

  if (problem != NULL)
    *problem = g_strdup (message);
  return message == NULL;
}

char *
ow_decision_panel_dup_refusal_reason (OwDecisionPanel *self)
{
  g_return_val_if_fail (OW_IS_DECISION_PANEL (self), NULL);
  return dup_stripped (self->reason_row);
}

char *
ow_decision_panel_dup_competent_organ (OwDecisionPanel *self)
{
  char *organ;

  g_return_val_if_fail (OW_IS_DECISION_PANEL (self), NULL);

  organ = dup_stripped (self->organ_row);
  if (*organ == '\0')
    g_clear_pointer (&organ, g_free);
  return organ;
}

void
ow_decision_panel_apply_delivery (OwDecisionPanel *self,
                                  OwCase          *kase)
{
  g_autofree char *recipient = NULL;
  g_autofree char *address = NULL;
  g_autofree char *phone = NULL;

  g_return_if_fail (OW_IS_DECISION_PANEL (self));
  g_return_if_fail (OW_IS_CASE (kase));

  if (!is_post (self))
    {
      ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
      return;
    }
  recipient = dup_stripped (self->recipient_row);
  address = dup_stripped (self->address_row);
  ow_validate_mobile (gtk_editable_get_text (GTK_EDITABLE (self->phone_row)), &phone, NULL);
  ow_case_set_delivery (kase, OW_DELIVERY_POST, recipient, phone, address);
}

void
ow_decision_panel_reset (OwDecisionPanel *self)
{
  g_return_if_fail (OW_IS_DECISION_PANEL (self));

  ow_decision_panel_set_decision (self, OW_DECISION_ACCEPT);
  adw_combo_row_set_selected (self->delivery_row, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->organ_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->recipient_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), "");
}

void
ow_decision_panel_focus (OwDecisionPanel *self)
{
  g_return_if_fail (OW_IS_DECISION_PANEL (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->decision_row));
}

OwDeliveryKind
ow_decision_panel_get_delivery (OwDecisionPanel *self)
{
  g_return_val_if_fail (OW_IS_DECISION_PANEL (self), OW_DELIVERY_PICKUP);
  return is_post (self) ? OW_DELIVERY_POST : OW_DELIVERY_PICKUP;
}

static char *
dup_typed (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return *text != '\0' ? g_strdup (text) : NULL;
}

static void
set_typed (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

void
ow_decision_panel_fill_draft (OwDecisionPanel *self,
                              OwIntakeDraft   *draft)
{
  g_return_if_fail (OW_IS_DECISION_PANEL (self));
  g_return_if_fail (draft != NULL);

  draft->decision = ow_decision_panel_get_decision (self);
  g_free (draft->refusal_reason);
  draft->refusal_reason = dup_typed (self->reason_row);
  g_free (draft->competent_organ);
  draft->competent_organ = dup_typed (self->organ_row);
  draft->delivery = ow_decision_panel_get_delivery (self);
  g_free (draft->post_recipient);
  draft->post_recipient = dup_typed (self->recipient_row);
  g_free (draft->post_phone);
  draft->post_phone = dup_typed (self->phone_row);
  g_free (draft->post_address);
  draft->post_address = dup_typed (self->address_row);
}

void
ow_decision_panel_restore (OwDecisionPanel *self,
                           OwDecision       decision,
                           const char      *refusal_reason,
                           const char      *competent_organ,
                           OwDeliveryKind   delivery,
                           const char      *post_recipient,
                           const char      *post_phone,
                           const char      *post_address)
{
  g_return_if_fail (OW_IS_DECISION_PANEL (self));

  self->restoring = TRUE;
  ow_decision_panel_set_decision (self, decision <= OW_DECISION_REFUSE ? decision
                                                                     : OW_DECISION_ACCEPT);
  adw_combo_row_set_selected (self->delivery_row, delivery == OW_DELIVERY_POST ? 1 : 0);
  set_typed (self->reason_row, refusal_reason);
  set_typed (self->organ_row, competent_organ);
  set_typed (self->recipient_row, post_recipient);
  set_typed (self->phone_row, post_phone);
  set_typed (self->address_row, post_address);
  self->restoring = FALSE;

  update_visibility (self);
  /* Marks from an earlier check belong to the form that was there before. */
  mark_row (self->phone_row, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
  g_signal_emit (self, signals[CHANGED], 0);
}
