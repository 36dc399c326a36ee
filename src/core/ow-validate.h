/* ow-validate.h — checks of the identifiers a clerk types: resident ID, credit code, mobile
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* GB 11643 check character ('0'–'9' or 'X') for the first 17 digits, or '\0' when they are not 17
 * digits. */
char     ow_resident_id_check_char  (const char  *first17);

/* Validates an 18-character resident ID: digits, check character (a lower-case x is accepted),
 * a real birth date (digits 7–14) not after @today (NULL: the hall's date, ow-clock.h), and a
 * region whose province part is a real province code. On failure sets OW_CORE_ERROR_INVALID with a translated
 * message that says what is wrong ("the check character should be X", "the birth date … is in the
 * future" …). */
gboolean ow_validate_resident_id    (const char  *id,
                                     const GDate *today,
                                     GError     **error);

/* GB 32100 check character for the first 17 characters, or '\0' when they are not from the code's
 * alphabet. */
char     ow_credit_code_check_char  (const char  *first17);

gboolean ow_validate_credit_code    (const char  *code,
                                     GError     **error);

/* Accepts 11 digits starting 1[3-9], optionally prefixed by +86 or 86 and with spaces or hyphens
 * between groups. On success, when @normalized is not NULL, stores the bare 11 digits. */
gboolean ow_validate_mobile         (const char  *phone,
                                     char       **normalized,
                                     GError     **error);

/* Upper-cases and removes blanks, so that what a clerk typed compares equal to what was stored. */
char    *ow_normalize_identifier    (const char  *text);

G_END_DECLS
