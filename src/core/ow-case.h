/* ow-case.h — a case (办件): its items, materials, decision, delivery and lifecycle
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ow-applicant.h"
#include "ow-types.h"

G_BEGIN_DECLS

/* The lifecycle. Received → accepted (or refused, or waiting for supplements → received again →
 * accepted) → under review in the department (ACCEPTED) → decided (approved / not approved) →
 * result ready → handed over, or mailed → delivered. Review can be suspended and resumed.
 * Withdrawn is possible until a decision. */
typedef enum
{
  OW_CASE_STATE_RECEIVED = 1,
  OW_CASE_STATE_SUPPLEMENT_REQUESTED, /* 补正: the clock stops */
  OW_CASE_STATE_ACCEPTED,             /* under review in the department */
  OW_CASE_STATE_REFUSED,              /* 不予受理, final */
  OW_CASE_STATE_SUSPENDED,            /* 特别程序: the clock stops */
  OW_CASE_STATE_APPROVED,
  OW_CASE_STATE_NOT_APPROVED,
  OW_CASE_STATE_RESULT_READY,
  OW_CASE_STATE_HANDED_OVER,          /* final */
  OW_CASE_STATE_MAILED,
  OW_CASE_STATE_DELIVERED,            /* final */
  OW_CASE_STATE_WITHDRAWN,            /* final */
} OwCaseState;

typedef enum
{
  OW_CASE_EVENT_ACCEPTED = 1,
  OW_CASE_EVENT_REFUSED,
  OW_CASE_EVENT_SUPPLEMENT_REQUESTED,
  OW_CASE_EVENT_SUPPLEMENT_RECEIVED,
  OW_CASE_EVENT_SUSPENDED,
  OW_CASE_EVENT_RESUMED,
  OW_CASE_EVENT_APPROVED,
  OW_CASE_EVENT_NOT_APPROVED,
  OW_CASE_EVENT_RESULT_READY,
  OW_CASE_EVENT_HANDED_OVER,
  OW_CASE_EVENT_MAILED,
  OW_CASE_EVENT_DELIVERED,
  OW_CASE_EVENT_WITHDRAWN,
} OwCaseEventKind;

/* Wire names: "received", "supplement-requested" … and "accepted", "refused" … Each returns NULL
 * / FALSE for values outside the enum. */
const char *ow_case_state_to_string      (OwCaseState      state);
gboolean    ow_case_state_from_string    (const char      *text, OwCaseState *state);
const char *ow_case_state_to_label       (OwCaseState      state); /* translated, for people */
const char *ow_case_event_kind_to_string (OwCaseEventKind  kind);
const char *ow_case_event_kind_to_label  (OwCaseEventKind  kind); /* translated, for people */
gboolean    ow_case_event_kind_from_string (const char    *text, OwCaseEventKind *kind);
gboolean    ow_case_state_is_final       (OwCaseState      state);
/* Whether the working-day clock runs in @state. */
gboolean    ow_case_state_clock_runs     (OwCaseState      state);
/* The state after @kind happens in @state; FALSE and OW_CORE_ERROR_ILLEGAL_TRANSITION, naming both,
 * when it cannot happen there. The one state machine, enforced by client and platform alike. */
gboolean    ow_case_state_apply          (OwCaseState      state,
                                          OwCaseEventKind  kind,
                                          OwCaseState     *next,
                                          GError         **error);

/* How each required material stands at the counter (design.md §1, step 4). */
typedef enum
{
  OW_MATERIAL_STATUS_MISSING = 0,
  OW_MATERIAL_STATUS_PAPER,          /* received on paper */
  OW_MATERIAL_STATUS_SCANNED,        /* scanned; files hold the pages */
  OW_MATERIAL_STATUS_SHARED,         /* exempt: government data is shared (免提交) */
  OW_MATERIAL_STATUS_LICENCE,        /* exempt: an electronic licence, licence_no */
  OW_MATERIAL_STATUS_TOLERATED,      /* 容缺, due_date */
} OwMaterialStatus;

const char *ow_material_status_to_string   (OwMaterialStatus status);
gboolean    ow_material_status_from_string (const char *text, OwMaterialStatus *status);
const char *ow_material_status_to_label    (OwMaterialStatus status); /* translated, for people */
/* Whether the material counts as provided for acceptance. */
gboolean    ow_material_status_is_provided (OwMaterialStatus status);

struct _OwCaseItem
{
  char *item_id;     /* 实施编码 */
  char *basic_code;
  char *name;
  char *department;
};

struct _OwCaseMaterial
{
  char             *material_id;
  char             *name;
  OwMaterialStatus  status;
  guint             originals;     /* counted at the counter */
  guint             copies;
  char             *licence_no;    /* OW_MATERIAL_STATUS_LICENCE */
  GDate             due_date;      /* OW_MATERIAL_STATUS_TOLERATED; invalid otherwise */
  char             *note;          /* what is wrong or missing, for the supplement notice */
  GPtrArray        *files;         /* SHA-256 hex strings of scanned pages */
};

#define OW_TYPE_CASE_ITEM (ow_case_item_get_type ())
GType           ow_case_item_get_type     (void) G_GNUC_CONST;
OwCaseItem     *ow_case_item_new          (const char *item_id, const char *basic_code,
                                           const char *name, const char *department);
OwCaseItem     *ow_case_item_copy         (const OwCaseItem *item);
void            ow_case_item_free         (OwCaseItem *item);

#define OW_TYPE_CASE_MATERIAL (ow_case_material_get_type ())
GType           ow_case_material_get_type (void) G_GNUC_CONST;
OwCaseMaterial *ow_case_material_new      (const char *material_id, const char *name);
OwCaseMaterial *ow_case_material_copy     (const OwCaseMaterial *material);
void            ow_case_material_free     (OwCaseMaterial *material);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwCaseItem, ow_case_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwCaseMaterial, ow_case_material_free)

typedef enum
{
  OW_DELIVERY_PICKUP = 1, /* at the unified pick-up window */
  OW_DELIVERY_POST,       /* by post: recipient, phone, address */
} OwDeliveryKind;

const char *ow_delivery_kind_to_string   (OwDeliveryKind kind);
gboolean    ow_delivery_kind_from_string (const char *text, OwDeliveryKind *kind);

#define OW_TYPE_CASE (ow_case_get_type ())
G_DECLARE_FINAL_TYPE (OwCase, ow_case, OW, CASE, GObject)

/* A new case in OW_CASE_STATE_RECEIVED. */
OwCase            *ow_case_new               (const char       *case_no);
const char        *ow_case_get_case_no       (OwCase           *self);
const char        *ow_case_get_query_code    (OwCase           *self);
void               ow_case_set_query_code    (OwCase           *self, const char *code);
OwCaseState        ow_case_get_state         (OwCase           *self);
/* Restores a state read from storage or the wire, without a transition. */
void               ow_case_set_state         (OwCase           *self, OwCaseState state);
/* Moves the case on; fails, leaving it as it was, when the state machine forbids the step. */
gboolean           ow_case_apply_event       (OwCase           *self,
                                              OwCaseEventKind   kind,
                                              GError          **error);

const OwApplicant *ow_case_get_applicant     (OwCase           *self);
void               ow_case_set_applicant     (OwCase           *self, const OwApplicant *applicant);
/* NULL when the applicant came in person. */
const OwApplicant *ow_case_get_agent         (OwCase           *self);
void               ow_case_set_agent         (OwCase           *self, const OwApplicant *agent);

/* GPtrArray of OwCaseItem / OwCaseMaterial owned by the case; add with the functions below. */
GPtrArray         *ow_case_get_items         (OwCase           *self);
void               ow_case_add_item          (OwCase           *self, OwCaseItem *item);     /* takes */
GPtrArray         *ow_case_get_materials     (OwCase           *self);
void               ow_case_add_material      (OwCase           *self, OwCaseMaterial *material); /* takes */
OwCaseMaterial    *ow_case_find_material     (OwCase           *self, const char *material_id);

const char        *ow_case_get_hall          (OwCase           *self);
guint              ow_case_get_counter       (OwCase           *self);
const char        *ow_case_get_clerk         (OwCase           *self);
void               ow_case_set_origin        (OwCase           *self,
                                              const char       *hall,
                                              guint             counter,
                                              const char       *clerk);
/* When the materials were received / the case decided at the counter (UTC). */
GDateTime         *ow_case_get_received_at   (OwCase           *self);
void               ow_case_set_received_at   (OwCase           *self, GDateTime *when);
/* 承诺办结时间; invalid (g_date_valid FALSE) until set. */
const GDate       *ow_case_get_promised_date (OwCase           *self);
void               ow_case_set_promised_date (OwCase           *self, const GDate *date);
/* 受理文书编号 */
const char        *ow_case_get_document_no   (OwCase           *self);
void               ow_case_set_document_no   (OwCase           *self, const char *number);
/* For a refusal: the reason and, where the item belongs elsewhere, the competent organ. */
const char        *ow_case_get_refusal_reason (OwCase          *self);
const char        *ow_case_get_competent_organ (OwCase         *self);
void               ow_case_set_refusal       (OwCase           *self,
                                              const char       *reason,
                                              const char       *competent_organ);

OwDeliveryKind     ow_case_get_delivery      (OwCase           *self);
const char        *ow_case_get_post_recipient (OwCase          *self);
const char        *ow_case_get_post_phone    (OwCase           *self);
const char        *ow_case_get_post_address  (OwCase           *self);
void               ow_case_set_delivery      (OwCase           *self,
                                              OwDeliveryKind    kind,
                                              const char       *recipient,
                                              const char       *phone,
                                              const char       *address);

/* Materials required by the items but not provided (missing, not tolerated). */
GPtrArray         *ow_case_dup_missing_materials (OwCase       *self);
/* Whether any material is tolerated (容缺受理). */
gboolean           ow_case_has_tolerated     (OwCase           *self);

/* Checks the whole case as the platform would before accepting it: a valid case number, the
 * applicant (and agent), at least one item, materials with consistent status (a licence number
 * for LICENCE, a due date no later than the promised date for TOLERATED), delivery details for
 * POST, a refusal reason for REFUSED. @field as in ow_applicant_validate(). */
gboolean           ow_case_validate          (OwCase           *self,
                                              const GDate      *today,
                                              char            **field,
                                              GError          **error);

/* The whole case as a GVariant of a fixed type, for local storage; the inverse fails with
 * OW_CORE_ERROR_PARSE on a value of another type or with out-of-range enums. */
GVariant          *ow_case_serialize         (OwCase           *self);
OwCase            *ow_case_deserialize       (GVariant         *variant,
                                              GError          **error);

G_END_DECLS
