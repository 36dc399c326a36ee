/* ow-handover.h — who collects a result at the pick-up window, and what is handed over
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A result (a licence, a certificate, a decision not to approve) is handed to the applicant in
 * person, whose ID must be the case's, or to an agent (代领人) who shows their own ID, leaves a
 * phone number and an authorisation letter (授权委托书), scanned. The handed-over event carries
 * the collector and the results; client and platform check them with these functions.
 */
#pragma once

#include <glib.h>

#include "ow-case.h"

G_BEGIN_DECLS

typedef enum
{
  OW_COLLECTOR_APPLICANT = 1,  /* the applicant in person (an organisation's representative) */
  OW_COLLECTOR_AGENT,          /* someone with the applicant's authorisation letter */
} OwCollectorKind;

/* "applicant", "agent"; NULL / FALSE outside the enum. */
const char *ow_collector_kind_to_string   (OwCollectorKind  kind);
gboolean    ow_collector_kind_from_string (const char      *text,
                                           OwCollectorKind *kind);

typedef struct
{
  OwCollectorKind  kind;
  char            *name;
  char            *id_number;     /* normalized: upper case, no blanks */
  char            *phone;         /* agents: their mobile; NULL for the applicant */
  GPtrArray       *letter_files;  /* agents: SHA-256 hex of the scanned letter; NULL or empty
                                   * for the applicant */
} OwCollector;

OwCollector *ow_collector_new  (OwCollectorKind     kind);
OwCollector *ow_collector_copy (const OwCollector  *collector);
void         ow_collector_free (OwCollector        *collector);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwCollector, ow_collector_free)

/* The collector on their own: a name; an ID number that is a valid resident ID (GB 11643) or,
 * for an applicant, a valid credit code (GB 32100); for an agent a resident ID, a mainland
 * mobile and at least one page of the letter, each a SHA-256; for the applicant no phone and no
 * letter. OW_CORE_ERROR_INVALID naming the member ("collector.id_number") in @field. @today as
 * in ow_validate_resident_id(). */
gboolean     ow_collector_validate   (const OwCollector  *collector,
                                      const GDate        *today,
                                      char              **field,
                                      GError            **error);
/* The collector of @kase: an applicant collector's ID must be the case's applicant's (field
 * "collector.id_number"); an agent must not be the applicant (then they are the applicant).
 * The message says whose ID it should have been without printing it whole. */
gboolean     ow_collector_check_case (const OwCollector  *collector,
                                      OwCase             *kase,
                                      char              **field,
                                      GError            **error);

/* One result handed over: its name (营业执照) and, when it has one, its number (the licence's). */
typedef struct
{
  char *name;
  char *number;  /* NULL when none */
} OwHandoverResult;

OwHandoverResult *ow_handover_result_new  (const char             *name,
                                           const char             *number);
OwHandoverResult *ow_handover_result_copy (const OwHandoverResult *result);
void              ow_handover_result_free (OwHandoverResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwHandoverResult, ow_handover_result_free)

/* Each result named (at most 200 characters), its number at most 100; @results is a GPtrArray
 * of OwHandoverResult, at most 20. Fields "results[i].name", "results[i].number". */
gboolean          ow_handover_results_validate (GPtrArray    *results,
                                                char        **field,
                                                GError      **error);

G_END_DECLS
