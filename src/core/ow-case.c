/* ow-case.c — a case (办件): its items, materials, decision, delivery and lifecycle
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ow-case.h"
#include "ow-case-number.h"
#include "ow-error.h"
#include "ow-validate.h"

struct _OwCase
{
  GObject         parent_instance;

  char           *case_no;
  char           *query_code;
  OwCaseState     state;
  OwApplicant    *applicant;
  OwApplicant    *agent;
  GPtrArray      *items;
  GPtrArray      *materials;
  char           *hall;
  guint           counter;
  char           *clerk;
  GDateTime      *received_at;
  GDate           promised_date;
  char           *document_no;
  char           *refusal_reason;
  char           *competent_organ;
  OwDeliveryKind  delivery;
  char           *post_recipient;
  char           *post_phone;
  char           *post_address;
};

G_DEFINE_FINAL_TYPE (OwCase, ow_case, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (OwCaseItem, ow_case_item, ow_case_item_copy, ow_case_item_free)
G_DEFINE_BOXED_TYPE (OwCaseMaterial, ow_case_material, ow_case_material_copy,
                     ow_case_material_free)

enum {
  PROP_0,
  PROP_CASE_NO,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The one state machine (design.md §1, domain.md "Case lifecycle"); anything not listed here
 * is an illegal step. */
static const struct
{
  OwCaseState     from;
  OwCaseEventKind event;
  OwCaseState     to;
} transitions[] = {
  { OW_CASE_STATE_RECEIVED, OW_CASE_EVENT_ACCEPTED, OW_CASE_STATE_ACCEPTED },
  { OW_CASE_STATE_RECEIVED, OW_CASE_EVENT_REFUSED, OW_CASE_STATE_REFUSED },
  { OW_CASE_STATE_RECEIVED, OW_CASE_EVENT_SUPPLEMENT_REQUESTED,
    OW_CASE_STATE_SUPPLEMENT_REQUESTED },
  { OW_CASE_STATE_RECEIVED, OW_CASE_EVENT_WITHDRAWN, OW_CASE_STATE_WITHDRAWN },
  { OW_CASE_STATE_SUPPLEMENT_REQUESTED, OW_CASE_EVENT_SUPPLEMENT_RECEIVED,
    OW_CASE_STATE_RECEIVED },
  { OW_CASE_STATE_SUPPLEMENT_REQUESTED, OW_CASE_EVENT_WITHDRAWN, OW_CASE_STATE_WITHDRAWN },
  { OW_CASE_STATE_ACCEPTED, OW_CASE_EVENT_SUSPENDED, OW_CASE_STATE_SUSPENDED },
  { OW_CASE_STATE_ACCEPTED, OW_CASE_EVENT_APPROVED, OW_CASE_STATE_APPROVED },
  { OW_CASE_STATE_ACCEPTED, OW_CASE_EVENT_NOT_APPROVED, OW_CASE_STATE_NOT_APPROVED },
  { OW_CASE_STATE_ACCEPTED, OW_CASE_EVENT_WITHDRAWN, OW_CASE_STATE_WITHDRAWN },
  { OW_CASE_STATE_SUSPENDED, OW_CASE_EVENT_RESUMED, OW_CASE_STATE_ACCEPTED },
  { OW_CASE_STATE_SUSPENDED, OW_CASE_EVENT_WITHDRAWN, OW_CASE_STATE_WITHDRAWN },
  /* A refusal to approve is a written decision too, handed over or mailed like a licence. */
  { OW_CASE_STATE_APPROVED, OW_CASE_EVENT_RESULT_READY, OW_CASE_STATE_RESULT_READY },
  { OW_CASE_STATE_NOT_APPROVED, OW_CASE_EVENT_RESULT_READY, OW_CASE_STATE_RESULT_READY },
  { OW_CASE_STATE_RESULT_READY, OW_CASE_EVENT_HANDED_OVER, OW_CASE_STATE_HANDED_OVER },
  { OW_CASE_STATE_RESULT_READY, OW_CASE_EVENT_MAILED, OW_CASE_STATE_MAILED },
  { OW_CASE_STATE_MAILED, OW_CASE_EVENT_DELIVERED, OW_CASE_STATE_DELIVERED },
};

/* Indexed by the enums' values. */
static const char * const state_names[] = {
  [OW_CASE_STATE_RECEIVED] = "received",
  [OW_CASE_STATE_SUPPLEMENT_REQUESTED] = "supplement-requested",
  [OW_CASE_STATE_ACCEPTED] = "accepted",
  [OW_CASE_STATE_REFUSED] = "refused",
  [OW_CASE_STATE_SUSPENDED] = "suspended",
  [OW_CASE_STATE_APPROVED] = "approved",
  [OW_CASE_STATE_NOT_APPROVED] = "not-approved",
  [OW_CASE_STATE_RESULT_READY] = "result-ready",
  [OW_CASE_STATE_HANDED_OVER] = "handed-over",
  [OW_CASE_STATE_MAILED] = "mailed",
  [OW_CASE_STATE_DELIVERED] = "delivered",
  [OW_CASE_STATE_WITHDRAWN] = "withdrawn",
};

static const char * const state_labels[] = {
  [OW_CASE_STATE_RECEIVED] = N_("Received"),
  [OW_CASE_STATE_SUPPLEMENT_REQUESTED] = N_("Waiting for supplements"),
  [OW_CASE_STATE_ACCEPTED] = N_("Accepted, under review"),
  [OW_CASE_STATE_REFUSED] = N_("Refused"),
  [OW_CASE_STATE_SUSPENDED] = N_("Suspended"),
  [OW_CASE_STATE_APPROVED] = N_("Approved"),
  [OW_CASE_STATE_NOT_APPROVED] = N_("Not approved"),
  [OW_CASE_STATE_RESULT_READY] = N_("Result ready"),
  [OW_CASE_STATE_HANDED_OVER] = N_("Handed over"),
  [OW_CASE_STATE_MAILED] = N_("Mailed"),
  [OW_CASE_STATE_DELIVERED] = N_("Delivered"),
  [OW_CASE_STATE_WITHDRAWN] = N_("Withdrawn"),
};

static const char * const event_names[] = {
  [OW_CASE_EVENT_ACCEPTED] = "accepted",
  [OW_CASE_EVENT_REFUSED] = "refused",
  [OW_CASE_EVENT_SUPPLEMENT_REQUESTED] = "supplement-requested",
  [OW_CASE_EVENT_SUPPLEMENT_RECEIVED] = "supplement-received",
  [OW_CASE_EVENT_SUSPENDED] = "suspended",
  [OW_CASE_EVENT_RESUMED] = "resumed",
  [OW_CASE_EVENT_APPROVED] = "approved",
  [OW_CASE_EVENT_NOT_APPROVED] = "not-approved",
  [OW_CASE_EVENT_RESULT_READY] = "result-ready",
  [OW_CASE_EVENT_HANDED_OVER] = "handed-over",
  [OW_CASE_EVENT_MAILED] = "mailed",
  [OW_CASE_EVENT_DELIVERED] = "delivered",
  [OW_CASE_EVENT_WITHDRAWN] = "withdrawn",
};

static const char * const event_labels[] = {
  [OW_CASE_EVENT_ACCEPTED] = N_("Acceptance"),
  [OW_CASE_EVENT_REFUSED] = N_("Refusal"),
  [OW_CASE_EVENT_SUPPLEMENT_REQUESTED] = N_("Request for supplements"),
  [OW_CASE_EVENT_SUPPLEMENT_RECEIVED] = N_("Receipt of supplements"),
  [OW_CASE_EVENT_SUSPENDED] = N_("Suspension"),
  [OW_CASE_EVENT_RESUMED] = N_("Resumption"),
  [OW_CASE_EVENT_APPROVED] = N_("Approval"),
  [OW_CASE_EVENT_NOT_APPROVED] = N_("Decision not to approve"),
  [OW_CASE_EVENT_RESULT_READY] = N_("Result ready"),
  [OW_CASE_EVENT_HANDED_OVER] = N_("Hand-over"),
  [OW_CASE_EVENT_MAILED] = N_("Mailing"),
  [OW_CASE_EVENT_DELIVERED] = N_("Delivery"),
  [OW_CASE_EVENT_WITHDRAWN] = N_("Withdrawal"),
};

static const char * const material_status_names[] = {
  [OW_MATERIAL_STATUS_MISSING] = "missing",
  [OW_MATERIAL_STATUS_PAPER] = "paper",
  [OW_MATERIAL_STATUS_SCANNED] = "scanned",
  [OW_MATERIAL_STATUS_SHARED] = "shared",
  [OW_MATERIAL_STATUS_LICENCE] = "licence",
  [OW_MATERIAL_STATUS_TOLERATED] = "tolerated",
};

static const char * const delivery_names[] = {
  [OW_DELIVERY_PICKUP] = "pickup",
  [OW_DELIVERY_POST] = "post",
};

#define FIRST_STATE OW_CASE_STATE_RECEIVED
#define LAST_STATE OW_CASE_STATE_WITHDRAWN
#define FIRST_EVENT OW_CASE_EVENT_ACCEPTED
#define LAST_EVENT OW_CASE_EVENT_WITHDRAWN
#define LAST_MATERIAL_STATUS OW_MATERIAL_STATUS_TOLERATED

static gboolean
is_state (OwCaseState state)
{
  return state >= FIRST_STATE && state <= LAST_STATE;
}

static gboolean
is_event (OwCaseEventKind kind)
{
  return kind >= FIRST_EVENT && kind <= LAST_EVENT;
}

static gboolean
is_material_status (OwMaterialStatus status)
{
  return status <= LAST_MATERIAL_STATUS;
}

static gboolean
is_delivery_kind (OwDeliveryKind kind)
{
  return kind == OW_DELIVERY_PICKUP || kind == OW_DELIVERY_POST;
}

/* Looks @text up among the non-NULL entries of @names; returns the index or -1. */
static int
lookup_name (const char * const *names,
             gsize               n_names,
             const char         *text)
{
  if (text == NULL)
    return -1;
  for (gsize i = 0; i < n_names; i++)
    if (names[i] != NULL && g_str_equal (names[i], text))
      return (int) i;
  return -1;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static void
replace_string (char       **field,
                const char  *value)
{
  if (*field == value)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
fail_field (char       **field,
            GError     **error,
            const char  *field_name,
            const char  *message)
{
  if (field != NULL)
    *field = g_strdup (field_name);
  g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
fail_material (char       **field,
               GError     **error,
               guint        index,
               const char  *member,
               const char  *message)
{
  g_autofree char *name = g_strdup_printf ("materials[%u].%s", index, member);

  return fail_field (field, error, name, message);
}

static gboolean
validate_materials (OwCase  *self,
                    char   **field,
                    GError **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->materials->len; i++)
    {
      OwCaseMaterial *material = g_ptr_array_index (self->materials, i);

      if (is_blank (material->material_id))
        return fail_material (field, error, i, "material_id",
                              _("A material of the case has no id; reload the catalog"));
      if (!g_hash_table_add (ids, material->material_id))
        return fail_material (field, error, i, "material_id",
                              _("A material is listed twice in the case"));
      if (is_blank (material->name))
        return fail_material (field, error, i, "name",
                              _("A material of the case has no name; reload the catalog"));
      if (!is_material_status (material->status))
        return fail_material (field, error, i, "status",
                              _("A material of the case has an unknown status"));

      if (material->files != NULL)
        for (guint j = 0; j < material->files->len; j++)
          if (!is_sha256_hex (g_ptr_array_index (material->files, j)))
            return fail_material (field, error, i, "files",
                                  _("A scanned page is not named by its SHA-256; scan it again"));

      switch (material->status)
        {
        case OW_MATERIAL_STATUS_SCANNED:
          if (material->files == NULL || material->files->len == 0)
            {
              g_autofree char *message =
                g_strdup_printf (_("“%s” is marked as scanned but has no scanned pages"),
                                 material->name);

              return fail_material (field, error, i, "files", message);
            }
          break;

        case OW_MATERIAL_STATUS_LICENCE:
          if (is_blank (material->licence_no))
            {
              g_autofree char *message =
                g_strdup_printf (_("Enter the number of the electronic licence that stands in "
                                   "for “%s”"), material->name);

              return fail_material (field, error, i, "licence_no", message);
            }
          break;

        case OW_MATERIAL_STATUS_TOLERATED:
          if (!g_date_valid (&material->due_date))
            {
              g_autofree char *message =
                g_strdup_printf (_("Enter by when “%s” must be supplied"), material->name);

              return fail_material (field, error, i, "due_date", message);
            }
          /* domain.md: a tolerated gap cannot outlast the promised completion date. */
          if (g_date_valid (&self->promised_date)
              && g_date_compare (&material->due_date, &self->promised_date) > 0)
            {
              g_autofree char *message =
                g_strdup_printf (_("“%s” is due after the promised completion date; "
                                   "choose an earlier due date"), material->name);

              return fail_material (field, error, i, "due_date", message);
            }
          break;

        case OW_MATERIAL_STATUS_MISSING:
        case OW_MATERIAL_STATUS_PAPER:
        case OW_MATERIAL_STATUS_SHARED:
        default:
          break;
        }
    }

  return TRUE;
}

/* The stored form. Changing it needs a migration in the store: append new members at the end
 * and bump the store's schema version. */
#define APPLICANT_TYPE "(umsmsmsmsms)"
#define ITEM_TYPE "(msmsmsms)"
#define MATERIAL_TYPE "(msmsuuumsumsas)"
#define CASE_TYPE "(smsumsumsmxums" "m" APPLICANT_TYPE "m" APPLICANT_TYPE \
                  "a" ITEM_TYPE "a" MATERIAL_TYPE "msmsumsmsms)"

static GVariant *
serialize_applicant (const OwApplicant *applicant)
{
  GVariant *child = NULL;

  if (applicant != NULL)
    child = g_variant_new (APPLICANT_TYPE, (guint32) applicant->kind, applicant->name,
                           applicant->id_number, applicant->phone, applicant->address,
                           applicant->contact_name);
  return g_variant_new_maybe (G_VARIANT_TYPE (APPLICANT_TYPE), child);
}

static gboolean
deserialize_applicant (GVariant     *maybe,
                       OwApplicant **applicant,
                       GError      **error)
{
  g_autoptr(GVariant) child = g_variant_get_maybe (maybe);
  const char *name, *id_number, *phone, *address, *contact_name;
  guint32 kind;

  *applicant = NULL;
  if (child == NULL)
    return TRUE;

  g_variant_get (child, "(um&sm&sm&sm&sm&s)", &kind, &name, &id_number, &phone, &address,
                 &contact_name);
  if (kind != OW_APPLICANT_PERSON && kind != OW_APPLICANT_ORGANISATION)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("The stored case names an unknown kind of applicant (%u)"), kind);
      return FALSE;
    }

  *applicant = ow_applicant_new (kind);
  (*applicant)->name = g_strdup (name);
  (*applicant)->id_number = g_strdup (id_number);
  (*applicant)->phone = g_strdup (phone);
  (*applicant)->address = g_strdup (address);
  (*applicant)->contact_name = g_strdup (contact_name);
  return TRUE;
}

static guint32
julian_or_zero (const GDate *date)
{
  return g_date_valid (date) ? g_date_get_julian (date) : 0;
}

static gboolean
set_julian (GDate   *date,
            guint32  julian)
{
  GDate last;

  g_date_clear (date, 1);
  if (julian == 0)
    return TRUE;
  /* GDate accepts any non-zero day number but cannot show a year past 65535. */
  g_date_clear (&last, 1);
  g_date_set_dmy (&last, 31, G_DATE_DECEMBER, 9999);
  if (!g_date_valid_julian (julian) || julian > g_date_get_julian (&last))
    return FALSE;
  g_date_set_julian (date, julian);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */

const char *
ow_case_state_to_string (OwCaseState state)
{
  return is_state (state) ? state_names[state] : NULL;
}

gboolean
ow_case_state_from_string (const char  *text,
                           OwCaseState *state)
{
  int value = lookup_name (state_names, G_N_ELEMENTS (state_names), text);

  if (value < 0)
    return FALSE;
  if (state != NULL)
    *state = (OwCaseState) value;
  return TRUE;
}

const char *
ow_case_state_to_label (OwCaseState state)
{
  return is_state (state) ? _(state_labels[state]) : NULL;
}

const char *
ow_case_event_kind_to_string (OwCaseEventKind kind)
{
  return is_event (kind) ? event_names[kind] : NULL;
}

const char *
ow_case_event_kind_to_label (OwCaseEventKind kind)
{
  return is_event (kind) ? _(event_labels[kind]) : NULL;
}

gboolean
ow_case_event_kind_from_string (const char      *text,
                                OwCaseEventKind *kind)
{
  int value = lookup_name (event_names, G_N_ELEMENTS (event_names), text);

  if (value < 0)
    return FALSE;
  if (kind != NULL)
    *kind = (OwCaseEventKind) value;
  return TRUE;
}

gboolean
ow_case_state_is_final (OwCaseState state)
{
  switch (state)
    {
    case OW_CASE_STATE_REFUSED:
    case OW_CASE_STATE_HANDED_OVER:
    case OW_CASE_STATE_DELIVERED:
    case OW_CASE_STATE_WITHDRAWN:
      return TRUE;
    case OW_CASE_STATE_RECEIVED:
    case OW_CASE_STATE_SUPPLEMENT_REQUESTED:
    case OW_CASE_STATE_ACCEPTED:
    case OW_CASE_STATE_SUSPENDED:
    case OW_CASE_STATE_APPROVED:
    case OW_CASE_STATE_NOT_APPROVED:
    case OW_CASE_STATE_RESULT_READY:
    case OW_CASE_STATE_MAILED:
    default:
      return FALSE;
    }
}

gboolean
ow_case_state_clock_runs (OwCaseState state)
{
  /* The time limit runs while the organ owes the applicant a decision: from receipt (art. 32
   * counts an application as accepted when no correction notice is given) until decided. It
   * stands still while the applicant owes supplements and during a special procedure. */
  return state == OW_CASE_STATE_RECEIVED || state == OW_CASE_STATE_ACCEPTED;
}

gboolean
ow_case_state_apply (OwCaseState      state,
                     OwCaseEventKind  kind,
                     OwCaseState     *next,
                     GError         **error)
{
  if (!is_state (state) || !is_event (kind))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION,
                   _("Unknown case state %d or step %d"), (int) state, (int) kind);
      return FALSE;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (transitions); i++)
    if (transitions[i].from == state && transitions[i].event == kind)
      {
        if (next != NULL)
          *next = transitions[i].to;
        return TRUE;
      }

  g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION,
               /* Translators: a step ("Withdrawal") and a state ("Handed over") */
               _("%s is not possible for a case that is “%s”"),
               _(event_labels[kind]), ow_case_state_to_label (state));
  return FALSE;
}

const char *
ow_material_status_to_label (OwMaterialStatus status)
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
      return NULL;
    }
}

const char *
ow_material_status_to_string (OwMaterialStatus status)
{
  return is_material_status (status) ? material_status_names[status] : NULL;
}

gboolean
ow_material_status_from_string (const char       *text,
                                OwMaterialStatus *status)
{
  int value = lookup_name (material_status_names, G_N_ELEMENTS (material_status_names), text);

  if (value < 0)
    return FALSE;
  if (status != NULL)
    *status = (OwMaterialStatus) value;
  return TRUE;
}

gboolean
ow_material_status_is_provided (OwMaterialStatus status)
{
  switch (status)
    {
    case OW_MATERIAL_STATUS_PAPER:
    case OW_MATERIAL_STATUS_SCANNED:
    case OW_MATERIAL_STATUS_SHARED:
    case OW_MATERIAL_STATUS_LICENCE:
      return TRUE;
    case OW_MATERIAL_STATUS_MISSING:
    case OW_MATERIAL_STATUS_TOLERATED:
    default:
      return FALSE;
    }
}

const char *
ow_delivery_kind_to_string (OwDeliveryKind kind)
{
  return is_delivery_kind (kind) ? delivery_names[kind] : NULL;
}

gboolean
ow_delivery_kind_from_string (const char     *text,
                              OwDeliveryKind *kind)
{
  int value = lookup_name (delivery_names, G_N_ELEMENTS (delivery_names), text);

  if (value < 0)
    return FALSE;
  if (kind != NULL)
    *kind = (OwDeliveryKind) value;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */

OwCaseItem *
ow_case_item_new (const char *item_id,
                  const char *basic_code,
                  const char *name,
                  const char *department)
{
  OwCaseItem *item = g_new0 (OwCaseItem, 1);

  item->item_id = g_strdup (item_id);
  item->basic_code = g_strdup (basic_code);
  item->name = g_strdup (name);
  item->department = g_strdup (department);
  return item;
}

OwCaseItem *
ow_case_item_copy (const OwCaseItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);

  return ow_case_item_new (item->item_id, item->basic_code, item->name, item->department);
}

void
ow_case_item_free (OwCaseItem *item)
{
  if (item == NULL)
    return;

  g_free (item->item_id);
  g_free (item->basic_code);
  g_free (item->name);
  g_free (item->department);
  g_free (item);
}

OwCaseMaterial *
ow_case_material_new (const char *material_id,
                      const char *name)
{
  OwCaseMaterial *material = g_new0 (OwCaseMaterial, 1);

  material->material_id = g_strdup (material_id);
  material->name = g_strdup (name);
  material->status = OW_MATERIAL_STATUS_MISSING;
  g_date_clear (&material->due_date, 1);
  material->files = g_ptr_array_new_with_free_func (g_free);
  return material;
}

OwCaseMaterial *
ow_case_material_copy (const OwCaseMaterial *material)
{
  OwCaseMaterial *copy;

  g_return_val_if_fail (material != NULL, NULL);

  copy = ow_case_material_new (material->material_id, material->name);
  copy->status = material->status;
  copy->originals = material->originals;
  copy->copies = material->copies;
  copy->licence_no = g_strdup (material->licence_no);
  copy->due_date = material->due_date;
  copy->note = g_strdup (material->note);
  if (material->files != NULL)
    for (guint i = 0; i < material->files->len; i++)
      g_ptr_array_add (copy->files, g_strdup (g_ptr_array_index (material->files, i)));
  return copy;
}

void
ow_case_material_free (OwCaseMaterial *material)
{
  if (material == NULL)
    return;

  g_free (material->material_id);
  g_free (material->name);
  g_free (material->licence_no);
  g_free (material->note);
  g_clear_pointer (&material->files, g_ptr_array_unref);
  g_free (material);
}

/* ------------------------------------------------------------------------------------------ */

static void
ow_case_finalize (GObject *object)
{
  OwCase *self = OW_CASE (object);

  g_free (self->case_no);
  g_free (self->query_code);
  g_clear_pointer (&self->applicant, ow_applicant_free);
  g_clear_pointer (&self->agent, ow_applicant_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->materials, g_ptr_array_unref);
  g_free (self->hall);
  g_free (self->clerk);
  g_clear_pointer (&self->received_at, g_date_time_unref);
  g_free (self->document_no);
  g_free (self->refusal_reason);
  g_free (self->competent_organ);
  g_free (self->post_recipient);
  g_free (self->post_phone);
  g_free (self->post_address);

  G_OBJECT_CLASS (ow_case_parent_class)->finalize (object);
}

static void
ow_case_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  OwCase *self = OW_CASE (object);

  switch (prop_id)
    {
    case PROP_CASE_NO:
      g_value_set_string (value, self->case_no);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_case_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  OwCase *self = OW_CASE (object);

  switch (prop_id)
    {
    case PROP_CASE_NO:
      {
        const char *text = g_value_get_string (value);
        char *canonical = ow_case_number_normalize (text);

        /* A number that does not parse is kept as given, so that ow_case_validate() can say
         * what is wrong with it. */
        self->case_no = canonical != NULL ? canonical : g_strdup (text != NULL ? text : "");
      }
      break;
    case PROP_STATE:
      ow_case_set_state (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_case_class_init (OwCaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ow_case_finalize;
  object_class->get_property = ow_case_get_property;
  object_class->set_property = ow_case_set_property;

  properties[PROP_CASE_NO] =
    g_param_spec_string ("case-no", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* An OwCaseState; an int so that GTK expressions can bind it without a registered enum. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, FIRST_STATE, LAST_STATE, FIRST_STATE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ow_case_init (OwCase *self)
{
  self->state = OW_CASE_STATE_RECEIVED;
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_item_free);
  self->materials = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);
  g_date_clear (&self->promised_date, 1);
  self->delivery = OW_DELIVERY_PICKUP;
}

OwCase *
ow_case_new (const char *case_no)
{
  return g_object_new (OW_TYPE_CASE, "case-no", case_no, NULL);
}

const char *
ow_case_get_case_no (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->case_no;
}

const char *
ow_case_get_query_code (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->query_code;
}

void
ow_case_set_query_code (OwCase     *self,
                        const char *code)
{
  g_return_if_fail (OW_IS_CASE (self));
  replace_string (&self->query_code, code);
}

OwCaseState
ow_case_get_state (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), OW_CASE_STATE_RECEIVED);
  return self->state;
}

void
ow_case_set_state (OwCase      *self,
                   OwCaseState  state)
{
  g_return_if_fail (OW_IS_CASE (self));
  g_return_if_fail (is_state (state));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
ow_case_apply_event (OwCase           *self,
                     OwCaseEventKind   kind,
                     GError          **error)
{
  OwCaseState next;

  g_return_val_if_fail (OW_IS_CASE (self), FALSE);

  if (!ow_case_state_apply (self->state, kind, &next, error))
    return FALSE;
  ow_case_set_state (self, next);
  return TRUE;
}

const OwApplicant *
ow_case_get_applicant (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->applicant;
}

void
ow_case_set_applicant (OwCase            *self,
                       const OwApplicant *applicant)
{
  g_return_if_fail (OW_IS_CASE (self));
  if (applicant == self->applicant)
    return;
  g_clear_pointer (&self->applicant, ow_applicant_free);
  if (applicant != NULL)
    self->applicant = ow_applicant_copy (applicant);
}

const OwApplicant *
ow_case_get_agent (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->agent;
}

void
ow_case_set_agent (OwCase            *self,
                   const OwApplicant *agent)
{
  g_return_if_fail (OW_IS_CASE (self));
  if (agent == self->agent)
    return;
  g_clear_pointer (&self->agent, ow_applicant_free);
  if (agent != NULL)
    self->agent = ow_applicant_copy (agent);
}

GPtrArray *
ow_case_get_items (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->items;
}

void
ow_case_add_item (OwCase     *self,
                  OwCaseItem *item)
{
  g_return_if_fail (OW_IS_CASE (self));
  g_return_if_fail (item != NULL);
  g_ptr_array_add (self->items, item);
}

GPtrArray *
ow_case_get_materials (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->materials;
}

void
ow_case_add_material (OwCase         *self,
                      OwCaseMaterial *material)
{
  g_return_if_fail (OW_IS_CASE (self));
  g_return_if_fail (material != NULL);
  if (material->files == NULL)
    material->files = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->materials, material);
}

OwCaseMaterial *
ow_case_find_material (OwCase     *self,
                       const char *material_id)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);

  for (guint i = 0; i < self->materials->len; i++)
    {
      OwCaseMaterial *material = g_ptr_array_index (self->materials, i);

      if (g_strcmp0 (material->material_id, material_id) == 0)
        return material;
    }
  return NULL;
}

const char *
ow_case_get_hall (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->hall;
}

guint
ow_case_get_counter (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), 0);
  return self->counter;
}

const char *
ow_case_get_clerk (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->clerk;
}

void
ow_case_set_origin (OwCase     *self,
                    const char *hall,
                    guint       counter,
                    const char *clerk)
{
  g_return_if_fail (OW_IS_CASE (self));
  replace_string (&self->hall, hall);
  self->counter = counter;
  replace_string (&self->clerk, clerk);
}

GDateTime *
ow_case_get_received_at (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->received_at;
}

void
ow_case_set_received_at (OwCase    *self,
                         GDateTime *when)
{
  g_return_if_fail (OW_IS_CASE (self));
  if (when == self->received_at)
    return;
  g_clear_pointer (&self->received_at, g_date_time_unref);
  if (when != NULL)
    self->received_at = g_date_time_to_utc (when);
}

const GDate *
ow_case_get_promised_date (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return &self->promised_date;
}

void
ow_case_set_promised_date (OwCase      *self,
                           const GDate *date)
{
  g_return_if_fail (OW_IS_CASE (self));
  if (date != NULL && g_date_valid (date))
    self->promised_date = *date;
  else
    g_date_clear (&self->promised_date, 1);
}

const char *
ow_case_get_document_no (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->document_no;
}

void
ow_case_set_document_no (OwCase     *self,
                         const char *number)
{
  g_return_if_fail (OW_IS_CASE (self));
  replace_string (&self->document_no, number);
}

const char *
ow_case_get_refusal_reason (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->refusal_reason;
}

const char *
ow_case_get_competent_organ (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->competent_organ;
}

void
ow_case_set_refusal (OwCase     *self,
                     const char *reason,
                     const char *competent_organ)
{
  g_return_if_fail (OW_IS_CASE (self));
  replace_string (&self->refusal_reason, reason);
  replace_string (&self->competent_organ, competent_organ);
}

OwDeliveryKind
ow_case_get_delivery (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), OW_DELIVERY_PICKUP);
  return self->delivery;
}

const char *
ow_case_get_post_recipient (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->post_recipient;
}

const char *
ow_case_get_post_phone (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->post_phone;
}

const char *
ow_case_get_post_address (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), NULL);
  return self->post_address;
}

void
ow_case_set_delivery (OwCase         *self,
                      OwDeliveryKind  kind,
                      const char     *recipient,
                      const char     *phone,
                      const char     *address)
{
  g_return_if_fail (OW_IS_CASE (self));
  g_return_if_fail (is_delivery_kind (kind));

  self->delivery = kind;
  replace_string (&self->post_recipient, recipient);
  replace_string (&self->post_phone, phone);
  replace_string (&self->post_address, address);
}

GPtrArray *
ow_case_dup_missing_materials (OwCase *self)
{
  GPtrArray *missing;

  g_return_val_if_fail (OW_IS_CASE (self), NULL);

  missing = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);
  for (guint i = 0; i < self->materials->len; i++)
    {
      OwCaseMaterial *material = g_ptr_array_index (self->materials, i);

      if (material->status == OW_MATERIAL_STATUS_MISSING)
        g_ptr_array_add (missing, ow_case_material_copy (material));
    }
  return missing;
}

gboolean
ow_case_has_tolerated (OwCase *self)
{
  g_return_val_if_fail (OW_IS_CASE (self), FALSE);

  for (guint i = 0; i < self->materials->len; i++)
    {
      OwCaseMaterial *material = g_ptr_array_index (self->materials, i);

      if (material->status == OW_MATERIAL_STATUS_TOLERATED)
        return TRUE;
    }
  return FALSE;
}

gboolean
ow_case_validate (OwCase       *self,
                  const GDate  *today,
                  char        **field,
                  GError      **error)
{
  g_autoptr(GHashTable) item_ids = g_hash_table_new (g_str_hash, g_str_equal);
  OwCaseNumberParts parts;

  g_return_val_if_fail (OW_IS_CASE (self), FALSE);

  if (field != NULL)
    *field = NULL;

  if (!ow_case_number_parse (self->case_no, &parts, error))
    {
      if (field != NULL)
        *field = g_strdup ("case_no");
      return FALSE;
    }

  if (self->hall != NULL && !g_str_equal (self->hall, parts.hall))
    return fail_field (field, error, "hall",
                       _("The case number was made in another hall than the one named"));
  if (self->counter != 0 && self->counter != parts.counter)
    return fail_field (field, error, "counter",
                       _("The case number was made at another counter than the one named"));

  if (self->query_code != NULL)
    {
      gboolean valid = strlen (self->query_code) == 6;

      for (const char *p = self->query_code; valid && *p != '\0'; p++)
        valid = g_ascii_isdigit (*p) || g_ascii_isupper (*p);
      if (!valid)
        return fail_field (field, error, "query_code",
                           _("The query code must be 6 digits or capital letters"));
    }

  if (!is_state (self->state))
    return fail_field (field, error, "state", _("The case is in an unknown state"));

  if (self->applicant == NULL)
    return fail_field (field, error, "applicant", _("Nobody is named as the applicant"));
  if (!ow_applicant_validate (self->applicant, "applicant", today, field, error))
    return FALSE;

  if (self->agent != NULL)
    {
      /* An agent (代办人) is someone who comes in person, so a resident ID identifies them. */
      if (self->agent->kind != OW_APPLICANT_PERSON)
        return fail_field (field, error, "agent.kind",
                           _("An agent must be a person with a resident ID"));
      if (!ow_applicant_validate (self->agent, "agent", today, field, error))
        return FALSE;
    }

  if (self->items->len == 0)
    return fail_field (field, error, "items", _("Choose at least one service item"));
  for (guint i = 0; i < self->items->len; i++)
    {
      OwCaseItem *item = g_ptr_array_index (self->items, i);
      g_autofree char *name = g_strdup_printf ("items[%u].item_id", i);

      if (is_blank (item->item_id))
        return fail_field (field, error, name,
                           _("A service item of the case has no code; reload the catalog"));
      if (!g_hash_table_add (item_ids, item->item_id))
        return fail_field (field, error, name,
                           _("A service item is chosen twice in the case"));
    }

  if (g_date_valid (&self->promised_date) && g_date_compare (&self->promised_date, &parts.date) < 0)
    return fail_field (field, error, "promised_date",
                       _("The promised completion date is before the case was made"));

  if (!validate_materials (self, field, error))
    return FALSE;

  if (!is_delivery_kind (self->delivery))
    return fail_field (field, error, "delivery.kind",
                       _("Choose how the result is delivered"));
  if (self->delivery == OW_DELIVERY_POST)
    {
      if (is_blank (self->post_recipient))
        return fail_field (field, error, "delivery.recipient",
                           _("Enter who receives the result by post"));
      if (!ow_validate_mobile (self->post_phone, NULL, error))
        {
          if (field != NULL)
            *field = g_strdup ("delivery.phone");
          return FALSE;
        }
      if (is_blank (self->post_address))
        return fail_field (field, error, "delivery.address",
                           _("Enter the address to post the result to"));
    }

  if (self->state == OW_CASE_STATE_REFUSED && is_blank (self->refusal_reason))
    return fail_field (field, error, "refusal.reason",
                       _("A refusal must state its reason"));

  return TRUE;
}

GVariant *
ow_case_serialize (OwCase *self)
{
  GVariantBuilder items;
  GVariantBuilder materials;
  gint64 received_usec = 0;

  g_return_val_if_fail (OW_IS_CASE (self), NULL);

  g_variant_builder_init (&items, G_VARIANT_TYPE ("a" ITEM_TYPE));
  for (guint i = 0; i < self->items->len; i++)
    {
      OwCaseItem *item = g_ptr_array_index (self->items, i);

      g_variant_builder_add (&items, ITEM_TYPE, item->item_id, item->basic_code, item->name,
                             item->department);
    }

  g_variant_builder_init (&materials, G_VARIANT_TYPE ("a" MATERIAL_TYPE));
  for (guint i = 0; i < self->materials->len; i++)
    {
      OwCaseMaterial *material = g_ptr_array_index (self->materials, i);
      GVariantBuilder files;

      g_variant_builder_init (&files, G_VARIANT_TYPE_STRING_ARRAY);
      if (material->files != NULL)
        for (guint j = 0; j < material->files->len; j++)
          g_variant_builder_add (&files, "s", g_ptr_array_index (material->files, j));

      g_variant_builder_add (&materials, MATERIAL_TYPE, material->material_id, material->name,
                             (guint32) material->status, (guint32) material->originals,
                             (guint32) material->copies, material->licence_no,
                             julian_or_zero (&material->due_date), material->note, &files);
    }

  if (self->received_at != NULL)
    received_usec = g_date_time_to_unix (self->received_at) * G_USEC_PER_SEC
                    + g_date_time_get_microsecond (self->received_at);

  /* A full reference, not a floating one: the store writes it out and drops it. */
  return g_variant_ref_sink (g_variant_new ("(smsumsumsmxums@m" APPLICANT_TYPE "@m" APPLICANT_TYPE
                                            "a" ITEM_TYPE "a" MATERIAL_TYPE "msmsumsmsms)",
                                            self->case_no,
                                            self->query_code,
                                            (guint32) self->state,
                                            self->hall,
                                            (guint32) self->counter,
                                            self->clerk,
                                            self->received_at != NULL, received_usec,
                                            julian_or_zero (&self->promised_date),
                                            self->document_no,
                                            serialize_applicant (self->applicant),
                                            serialize_applicant (self->agent),
                                            &items,
                                            &materials,
                                            self->refusal_reason,
                                            self->competent_organ,
                                            (guint32) self->delivery,
                                            self->post_recipient,
                                            self->post_phone,
                                            self->post_address));
}

OwCase *
ow_case_deserialize (GVariant  *variant,
                     GError   **error)
{
  g_autoptr(OwCase) self = NULL;
  g_autoptr(GVariant) applicant = NULL;
  g_autoptr(GVariant) agent = NULL;
  g_autoptr(GVariantIter) items = NULL;
  g_autoptr(GVariantIter) materials = NULL;
  const char *case_no, *query_code, *hall, *clerk, *document_no;
  const char *refusal_reason, *competent_organ, *recipient, *phone, *address;
  guint32 state, counter, promised, delivery;
  gboolean has_received;
  gint64 received_usec;
  const char *item_id, *basic_code, *name, *department;
  const char *material_id, *licence_no, *note;
  guint32 status, originals, copies, due;
  GVariant *files;

  g_return_val_if_fail (variant != NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (CASE_TYPE)))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("A stored case has the type %s instead of %s"),
                   g_variant_get_type_string (variant), CASE_TYPE);
      return NULL;
    }

  g_variant_get (variant,
                 "(&sm&sum&sum&smxum&s@m" APPLICANT_TYPE "@m" APPLICANT_TYPE
                 "a" ITEM_TYPE "a" MATERIAL_TYPE "m&sm&sum&sm&sm&s)",
                 &case_no, &query_code, &state, &hall, &counter, &clerk,
                 &has_received, &received_usec, &promised, &document_no,
                 &applicant, &agent, &items, &materials,
                 &refusal_reason, &competent_organ, &delivery, &recipient, &phone, &address);

  if (!is_state (state))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("A stored case is in an unknown state (%u)"), state);
      return NULL;
    }
  if (!is_delivery_kind (delivery))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("A stored case has an unknown kind of delivery (%u)"), delivery);
      return NULL;
    }

  self = ow_case_new (case_no);
  self->query_code = g_strdup (query_code);
  self->state = state;
  self->hall = g_strdup (hall);
  self->counter = counter;
  self->clerk = g_strdup (clerk);
  if (has_received)
    {
      g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);

      self->received_at = g_date_time_add (epoch, received_usec);
      if (self->received_at == NULL)
        {
          g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                               _("A stored case has an impossible time of receipt"));
          return NULL;
        }
    }
  if (!set_julian (&self->promised_date, promised))
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           _("A stored case has an impossible promised date"));
      return NULL;
    }
  self->document_no = g_strdup (document_no);

  if (!deserialize_applicant (applicant, &self->applicant, error)
      || !deserialize_applicant (agent, &self->agent, error))
    return NULL;

  while (g_variant_iter_next (items, "(m&sm&sm&sm&s)", &item_id, &basic_code, &name, &department))
    g_ptr_array_add (self->items, ow_case_item_new (item_id, basic_code, name, department));

  while (g_variant_iter_next (materials, "(m&sm&suuum&sum&s@as)", &material_id, &name, &status,
                              &originals, &copies, &licence_no, &due, &note, &files))
    {
      g_autoptr(GVariant) owned_files = files;
      g_autoptr(OwCaseMaterial) material = NULL;
      g_autofree const char **strv = NULL;

      if (!is_material_status (status))
        {
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                       _("A stored material has an unknown status (%u)"), status);
          return NULL;
        }

      material = ow_case_material_new (material_id, name);
      material->status = status;
      material->originals = originals;
      material->copies = copies;
      material->licence_no = g_strdup (licence_no);
      if (!set_julian (&material->due_date, due))
        {
          g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                               _("A stored material has an impossible due date"));
          return NULL;
        }
      material->note = g_strdup (note);
      strv = g_variant_get_strv (owned_files, NULL);
      for (guint j = 0; strv[j] != NULL; j++)
        g_ptr_array_add (material->files, g_strdup (strv[j]));

      g_ptr_array_add (self->materials, g_steal_pointer (&material));
    }

  self->refusal_reason = g_strdup (refusal_reason);
  self->competent_organ = g_strdup (competent_organ);
  self->delivery = delivery;
  self->post_recipient = g_strdup (recipient);
  self->post_phone = g_strdup (phone);
  self->post_address = g_strdup (address);

  return g_steal_pointer (&self);
}
