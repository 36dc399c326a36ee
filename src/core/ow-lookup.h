/* ow-lookup.h — what the pick-up window was given to find a case by, and where a case stands
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ow-calendar.h"
#include "ow-case.h"

G_BEGIN_DECLS

typedef enum
{
  OW_LOOKUP_CASE = 1,      /* a case number, typed or read off the receipt's QR code */
  OW_LOOKUP_PERSON,        /* a resident ID (GB 11643): the applicant's cases */
  OW_LOOKUP_ORGANISATION,  /* a unified social credit code (GB 32100): the organisation's */
} OwLookupKind;

/* Reads @text as a receipt's QR payload, a case number (with or without hyphens and blanks), a
 * resident ID or a credit code, and gives its canonical form in @key. Fails with
 * OW_CORE_ERROR_INVALID and a message the clerk can act on: a case number whose check
 * character does not match was probably mistyped (the message says so); an 18-character number
 * that is neither a valid ID nor a valid code says why; anything else says what can be typed. */
gboolean ow_lookup_parse (const char    *text,
                          OwLookupKind  *kind,
                          char         **key,
                          GError       **error);

/* Where a case stands in time, counted on the hall's @calendar: the working days from @today to
 * its promised date (positive: left; 0: due today) or past it (negative: late). FALSE when the
 * case has no promised date. */
gboolean ow_case_working_days_left (OwCase      *kase,
                                    OwCalendar  *calendar,
                                    const GDate *today,
                                    int         *days);

/* Whether the pick-up window has something to hand over or mail for @state. */
gboolean ow_case_state_is_ready    (OwCaseState  state);

G_END_DECLS
