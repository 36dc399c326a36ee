/* ow-case-number.h — case numbers made at the counter, unique without the network
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A case number is 23 characters, all digits but the last:
 *   HHHHHHHH  hall code: the 6-digit administrative division + a 2-digit hall index
 *   CC        counter number, 01–99
 *   YYYYMMDD  date made
 *   SSSS      the counter's own sequence for that day, 0001–9999
 *   K         check character, ISO/IEC 7064 MOD 37,36 over the 22 characters before it
 *             (0–9, A–Z), so any single mistyped character is detected, and all but about
 *             1 in 180 swaps of two neighbouring characters (tests/core measures it).
 * Displayed with hyphens between the groups (46010001-07-20261125-0001-K); parsing accepts either
 * form, and blanks. Two counters never share a (hall, counter) pair, and each counter's
 * sequence is kept in its own store, so numbers never collide. */

#define OW_CASE_NUMBER_LENGTH 23

typedef struct
{
  char   hall[9];
  guint  counter;
  GDate  date;
  guint  sequence;
} OwCaseNumberParts;

char     ow_case_number_check_char (const char              *first22);
/* Returns NULL and sets OW_CORE_ERROR_INVALID on a hall code that is not 8 digits, a counter or
 * sequence out of range, or an invalid date. */
char    *ow_case_number_make       (const char              *hall,
                                    guint                    counter,
                                    const GDate             *date,
                                    guint                    sequence,
                                    GError                 **error);
/* Validates and splits; @parts may be NULL. The message says what is wrong (length, a
 * character that is not a digit, the check character — "probably mistyped"). */
gboolean ow_case_number_parse      (const char              *text,
                                    OwCaseNumberParts       *parts,
                                    GError                 **error);
/* The canonical 23-character form of a valid number typed with hyphens or blanks, or NULL. */
char    *ow_case_number_normalize  (const char              *text);
/* With hyphens, for people. */
char    *ow_case_number_format     (const char              *canonical);

/* A 6-character query password for online progress look-up, from an unpredictable source. */
char    *ow_query_code_new         (void);

/* What the QR code on a receipt carries: "OW1:" case number ":" query code. A pick-up window's
 * barcode scanner types it; parsing also accepts a bare case number (with or without hyphens). */
char    *ow_case_qr_payload        (const char              *case_no,
                                    const char              *query_code);
gboolean ow_case_qr_parse          (const char              *payload,
                                    char                   **case_no,
                                    char                   **query_code);

G_END_DECLS
