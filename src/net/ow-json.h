/* ow-json.h — JSON codecs of the core types: the wire format of the platform contract
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built into its own small library (owcodec) that both the client's net/ layer and the reference
 * platform link, so that both sides read and write exactly one format. Decoders never trust their
 * input: every member is checked for presence and type, and a failure is OW_CORE_ERROR_INVALID
 * (wrong type, unknown enum value, a value that does not validate) or OW_CORE_ERROR_PARSE (not JSON,
 * not an object) with the dotted name of the offending member in @field when not NULL.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "core/ow-applicant.h"
#include "core/ow-case.h"
#include "core/ow-catalog.h"
#include "core/ow-item.h"
#include "core/ow-ticket.h"

G_BEGIN_DECLS

JsonNode    *ow_json_from_applicant (const OwApplicant *applicant);
OwApplicant *ow_json_to_applicant   (JsonNode    *node,
                                     const char  *prefix,
                                     char       **field,
                                     GError     **error);

JsonNode    *ow_json_from_material  (OwMaterial  *material);
OwMaterial  *ow_json_to_material    (JsonNode    *node,
                                     const char  *prefix,
                                     char       **field,
                                     GError     **error);
JsonNode    *ow_json_from_item      (OwItem      *item);
OwItem      *ow_json_to_item        (JsonNode    *node,
                                     char       **field,
                                     GError     **error);
/* { "revision": N, "items": [...], "bundles": [...] } (other members are ignored). */
OwCatalog   *ow_json_to_catalog     (JsonNode    *node,
                                     GError     **error);

JsonNode    *ow_json_from_case      (OwCase      *kase);
/* Decodes the shape only; call ow_case_validate() for the rules. */
OwCase      *ow_json_to_case        (JsonNode    *node,
                                     char       **field,
                                     GError     **error);

/* A case event on the wire (POST /api/v1/cases/{case_no}/events). */
typedef struct
{
  char            *id;       /* client-chosen: 1–64 letters, digits, '-' or '_' */
  OwCaseEventKind  kind;
  GDateTime       *at;       /* UTC */
  char            *note;     /* NULL when none; at most 2,000 characters */
  char            *waybill;  /* required for OW_CASE_EVENT_MAILED; at most 64 characters */
} OwJsonCaseEvent;

void             ow_json_case_event_free (OwJsonCaseEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwJsonCaseEvent, ow_json_case_event_free)
/* Every member present, absent ones as null, `at` in UTC to the second: its canonical form is
 * what the platform compares when an id comes again. */
JsonNode        *ow_json_from_case_event (const OwJsonCaseEvent *event);
OwJsonCaseEvent *ow_json_to_case_event   (JsonNode    *node,
                                          char       **field,
                                          GError     **error);

/* Tickets. The request body of PUT /api/v1/tickets/{id} (what the counter registers), and the
 * ticket as the platform answers it (with hall, state, assignee, due_date, overdue and
 * escalated_at). ow_json_to_ticket() reads either: a request body gives a registered ticket. */
JsonNode        *ow_json_from_ticket_request (const OwTicket *ticket);
JsonNode        *ow_json_from_ticket         (const OwTicket *ticket);
OwTicket        *ow_json_to_ticket           (JsonNode       *node,
                                              char          **field,
                                              GError        **error);
/* A ticket event; "assignee" only on assignments, "reached" and "satisfaction" only on
 * call-backs. Decodes the shape only: ow_ticket_event_validate() checks the rules. */
JsonNode        *ow_json_from_ticket_event   (const OwTicketEvent *event);
OwTicketEvent   *ow_json_to_ticket_event     (JsonNode       *node,
                                              char          **field,
                                              GError        **error);

/* Parses @data as JSON; NULL with OW_CORE_ERROR_PARSE on malformed input. */
JsonNode    *ow_json_parse          (const char  *data,
                                     gssize       length,
                                     GError     **error);
/* Compact text with object members in sorted order, so that equal values give equal bytes
 * whatever order a peer wrote them in: what idempotent PUTs compare. */
char        *ow_json_to_canonical   (JsonNode    *node);

G_END_DECLS
