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
#include "core/ow-handover.h"
#include "core/ow-item.h"
#include "core/ow-rating.h"
#include "core/ow-statistics.h"
#include "core/ow-ticket.h"
#include "core/ow-user.h"

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
/* One element of a catalog's "bundles"; @prefix names it in errors ("bundles[2]"). The item ids
 * it names are not checked against any catalog. */
OwBundle    *ow_json_to_bundle      (JsonNode    *node,
                                     const char  *prefix,
                                     GError     **error);
/* { "revision": N, "items": [...], "bundles": [...] } (other members are ignored). */
OwCatalog   *ow_json_to_catalog     (JsonNode    *node,
                                     GError     **error);

JsonNode    *ow_json_from_case      (OwCase      *kase);
/* Decodes the shape only; call ow_case_validate() for the rules. */
OwCase      *ow_json_to_case        (JsonNode    *node,
                                     char       **field,
                                     GError     **error);

/* A case event on the wire (POST /api/v1/cases/{case_no}/events). The members after waybill
 * came later and amend the case itself; each is optional, allowed on some kinds only, and left
 * off the wire when absent, so that an event without them reads and compares as before. */
typedef struct
{
  char            *id;       /* client-chosen: 1–64 letters, digits, '-' or '_' */
  OwCaseEventKind  kind;
  GDateTime       *at;       /* UTC */
  char            *note;     /* NULL when none; at most 2,000 characters */
  char            *waybill;  /* required for OW_CASE_EVENT_MAILED; at most 64 characters */
  /* accepted, resumed: the case's new promised date (the clock starts again); invalid when
   * absent. A zeroed struct leaves it invalid. */
  GDate            promised_date;
  /* accepted: the number of the acceptance notice (受理通知书) issued now; NULL when absent. */
  char            *document_no;
  /* supplement-received: the lines that arrived (OwCaseMaterial; name unused), each replacing
   * the case's line of the same material_id; NULL when absent (an empty list reads as absent). */
  GPtrArray       *materials;
  /* mailed: the carrier's id among the hall's carriers (ow-waybill.h); NULL when absent. */
  char            *carrier;
  /* handed-over: who collected the result (ow-handover.h); NULL when absent. */
  OwCollector     *collector;
  /* handed-over, mailed: what was handed over or posted (OwHandoverResult); NULL when absent
   * (an empty list reads as absent). */
  GPtrArray       *results;
} OwJsonCaseEvent;

void             ow_json_case_event_free (OwJsonCaseEvent *event);
OwJsonCaseEvent *ow_json_case_event_copy (const OwJsonCaseEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwJsonCaseEvent, ow_json_case_event_free)
/* id, kind, at, note and waybill always present (absent ones as null), `at` in UTC to the
 * second; promised_date, document_no and materials only when given: its canonical form is what
 * the platform compares when an id comes again. */
JsonNode        *ow_json_from_case_event (const OwJsonCaseEvent *event);
/* Decodes and checks with ow_json_case_event_validate(). */
OwJsonCaseEvent *ow_json_to_case_event   (JsonNode    *node,
                                          char       **field,
                                          GError     **error);
/* The rules an event must follow whatever case it is about: the id's form, the lengths, a
 * waybill for "mailed", each amending member only on the kinds that take it, and each line of
 * materials provided (paper, scanned with files, shared, licence with its number), named once;
 * a carrier (its id's form) only on "mailed", a collector only on "handed-over" and as
 * ow_collector_validate() says, results only on those two and as
 * ow_handover_results_validate() says. Whether the carrier is the hall's and the waybill its
 * carrier's (ow_waybill_validate()), and whether the collector is the case's
 * (ow_collector_check_case()), need the hall's list and the case: the caller checks them.
 * OW_CORE_ERROR_INVALID naming the member ("materials[1].status") otherwise. */
gboolean         ow_json_case_event_validate (const OwJsonCaseEvent *event,
                                              char                 **field,
                                              GError               **error);
/* Applies the event's amending members to @kase (not its state: ow_case_apply_event() moves
 * that): the promised date, the document number, and each arrived line, which replaces the
 * status, counts, files, licence number and note of the case's material and clears its due
 * date. Fails with OW_CORE_ERROR_INVALID naming "materials[i].material_id", changing nothing,
 * when a line names no material of the case. What the client's store and the platform both do
 * with a recorded event, so that the two agree. */
gboolean         ow_json_case_event_amend    (const OwJsonCaseEvent *event,
                                              OwCase               *kase,
                                              char                **field,
                                              GError              **error);

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

/* Ratings (PUT /api/v1/ratings/{id}): id, case_no, channel, level, text (null when none) and at
 * in UTC to the second, as the platform stores them. */
JsonNode        *ow_json_from_rating         (const OwRating *rating);

/* The supervisor's overview (ow-json-statistics.c): GET /api/v1/statistics, GET
 * /api/v1/statistics/cases and the records of GET /api/v1/ratings. The decoders ignore members
 * they do not know and take absent ones as empty, so that a platform may add to its answers;
 * a member of the wrong type is OW_CORE_ERROR_INVALID naming it. */
JsonNode        *ow_json_from_statistics     (const OwStatistics   *statistics);
OwStatistics    *ow_json_to_statistics       (JsonNode             *node,
                                              char                **field,
                                              GError              **error);
JsonNode        *ow_json_from_case_counts    (const OwCaseCounts   *counts);
OwCaseCounts    *ow_json_to_case_counts      (JsonNode             *node,
                                              char                **field,
                                              GError              **error);
JsonNode        *ow_json_from_rating_record  (const OwRatingRecord *record);
OwRatingRecord  *ow_json_to_rating_record    (JsonNode             *node,
                                              char                **field,
                                              GError              **error);

/* A user as the platform describes them: the session's user (POST /api/v1/sessions) and each
 * of GET /api/v1/users. username, display_name, roles, hall, hall_name, counter and department
 * (null for users of no department) are always written; on reading, only username is required
 * (a platform from before a member existed leaves it out): display_name then defaults to the
 * user name, roles to none, department to NULL. */
JsonNode        *ow_json_from_user           (const OwUser   *user);
OwUser          *ow_json_to_user             (JsonNode       *node,
                                              char          **field,
                                              GError        **error);

/* Parses @data as JSON; NULL with OW_CORE_ERROR_PARSE on malformed input, and with
 * OW_CORE_ERROR_INVALID naming the member in @field (NULL for a top-level string) when a string
 * holds a NUL (\u0000): C strings would cut it short there, so it could not be kept exactly. */
JsonNode    *ow_json_parse          (const char  *data,
                                     gssize       length,
                                     GError     **error);
JsonNode    *ow_json_parse_full     (const char  *data,
                                     gssize       length,
                                     char       **field,
                                     GError     **error);
/* Whether @member holds text a person wrote (an address, a note …), where any character but NUL
 * is kept; every other string member is a name, identifier or code. */
gboolean     ow_json_is_free_text_member (const char *member);
/* Whether @text may be the value of @member (NULL: a name or identifier): names, identifiers
 * and codes hold no control characters (C0, DEL, C1), line or paragraph separators, or
 * bidirectional formatting characters. What the decoders check of every string they read. */
gboolean     ow_json_text_is_allowed     (const char *member,
                                          const char *text);
/* Compact text with object members in sorted order, so that equal values give equal bytes
 * whatever order a peer wrote them in: what idempotent PUTs compare. */
char        *ow_json_to_canonical   (JsonNode    *node);
/* @canonical (an object in the canonical form) with its member @name (plain ASCII: no quote,
 * backslash or control character) set to the string @value, in the canonical form, without
 * parsing it: what ow_json_to_canonical() gives after setting the member on the parsed object.
 * NULL when @canonical does not have the canonical form at its top level. */
char        *ow_json_canonical_set_string (const char *canonical,
                                           const char *name,
                                           const char *value);

G_END_DECLS
