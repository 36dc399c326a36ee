/* ow-intake-draft.h — what the intake form holds, saved as a draft while the clerk types
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ow-applicant.h"
#include "ow-case.h"

G_BEGIN_DECLS

/* Plain data: fields are public and owned. Everything may be empty: a draft is a form half
 * filled in, never validated. */
typedef struct
{
  char          **item_ids;        /* NULL-terminated; the chosen items in order; may be NULL */
  char           *bundle_id;       /* the "one thing" bundle they came from, or NULL */
  OwApplicant    *applicant;       /* NULL when nothing was typed */
  OwApplicant    *agent;           /* NULL when the applicant came in person */
  GPtrArray      *materials;       /* OwCaseMaterial: status, counts, due date, note, licence,
                                    * scanned pages (SHA-256 of files in the store) */
  guint           decision;        /* the GUI's OwDecision, opaque here */
  char           *refusal_reason;
  char           *competent_organ;
  OwDeliveryKind  delivery;        /* 0 when not chosen */
  char           *post_recipient;
  char           *post_phone;
  char           *post_address;
  GDateTime      *saved_at;        /* UTC; set by ow_intake_draft_serialize() when NULL */
} OwIntakeDraft;

OwIntakeDraft *ow_intake_draft_new         (void);
void           ow_intake_draft_free        (OwIntakeDraft *draft);
/* Whether the draft holds nothing a clerk typed or chose (no item, no applicant field, no
 * material marked): such a draft is not worth keeping. */
gboolean       ow_intake_draft_is_empty    (const OwIntakeDraft *draft);
/* A versioned, self-describing serialization (GVariant of a fixed type, with a version field),
 * for ow_store_save_draft(). */
GBytes        *ow_intake_draft_serialize   (OwIntakeDraft *draft);
/* NULL with OW_CORE_ERROR_PARSE for bytes that are not a draft of a known version: truncated,
 * corrupt or from a newer OneWindow. Never crashes on arbitrary bytes. */
OwIntakeDraft *ow_intake_draft_deserialize (GBytes        *bytes,
                                            GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwIntakeDraft, ow_intake_draft_free)

G_END_DECLS
