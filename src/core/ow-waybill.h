/* ow-waybill.h — carriers and the waybill numbers of results sent by post (邮寄送达)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A result goes by post with a carrier the hall works with (EMS, 中国邮政, 顺丰 …) under the
 * waybill number the clerk scans or types from the label. Halls choose their carriers, so the
 * list is configuration: one line per carrier, "id|name|pattern". The pattern "s10" means a UPU
 * S10 item number (two letters, eight digits, a check digit, two letters: EA123456785CN), checked
 * by its check digit, which catches any one mistyped digit; any other pattern is a regular
 * expression the whole number must match. The counter (GSettings "carriers") and the platform
 * (--carriers) read the same lines through these functions, so that both refuse the same
 * numbers.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char   *id;       /* on the wire ("ems", "china-post", "sf"): letters, digits, '-' */
  char   *name;     /* what the clerk picks and the hand-over list prints: "EMS", "中国邮政" */
  char   *pattern;  /* "s10", or a regular expression */
} OwCarrier;

void        ow_carrier_free            (OwCarrier          *carrier);
OwCarrier  *ow_carrier_copy            (const OwCarrier    *carrier);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwCarrier, ow_carrier_free)

/* One line "id|name|pattern"; OW_CORE_ERROR_PARSE saying what is wrong with it (no three parts,
 * an id of other characters, a pattern that is not a regular expression). */
OwCarrier  *ow_carrier_parse           (const char         *line,
                                        GError            **error);
/* Every line of @lines (NULL-terminated); the first bad one fails the whole list, and an id
 * given twice is an error too. A GPtrArray of OwCarrier. */
GPtrArray  *ow_carriers_parse          (const char * const *lines,
                                        GError            **error);
/* The lines the hall starts with: EMS and 中国邮政 by S10, 顺丰速运 and 京东物流 by pattern. */
const char * const *ow_carriers_default_lines (void);
/* The carrier @id of @carriers, or NULL. */
const OwCarrier *ow_carriers_find      (GPtrArray          *carriers,
                                        const char         *id);

/* The UPU S10 check digit of the 8-digit serial @serial: weights 8 6 4 2 3 5 9 7, then
 * 11 − (sum mod 11), with 10 giving 0 and 11 giving 5. '\0' when @serial is not 8 digits. */
char        ow_waybill_s10_check_digit (const char         *serial);
/* Whether @text has the shape of an S10 number (two letters, nine digits, two letters), its
 * check digit aside. */
gboolean    ow_waybill_looks_s10       (const char         *text);

/* Checks @waybill (blanks and hyphens left out, letters upper-cased: the result in @normalized
 * when not NULL) against @carrier. OW_CORE_ERROR_INVALID with a message the clerk can act on:
 * the check digit that was expected, or what the carrier's numbers look like. */
gboolean    ow_carrier_check_waybill   (const OwCarrier    *carrier,
                                        const char         *waybill,
                                        char              **normalized,
                                        GError            **error);
/* What the platform checks of a mailing: @carrier_id one of @carriers (field "carrier"), and the
 * waybill as that carrier's (field "waybill"). An event of an older counter names no carrier:
 * then only a number shaped like S10 is checked, by its check digit. @field as elsewhere. */
gboolean    ow_waybill_validate        (GPtrArray          *carriers,
                                        const char         *carrier_id,
                                        const char         *waybill,
                                        char              **field,
                                        GError            **error);

G_END_DECLS
