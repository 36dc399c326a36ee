/* ow-region.h — the region codes of GB/T 2260 that resident IDs carry
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table (data/gb2260-counties.tsv, compiled in) holds the county-level codes current in 2021
 * and 2023 and those of about 1999 since merged or renamed. It is not complete: people carry
 * codes of counties that changed before 1999 or between 1999 and 2020, so an unknown code is a
 * warning for the clerk to check the card, never a reason to refuse.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  OW_REGION_UNKNOWN,
  OW_REGION_CURRENT,     /* a county of today */
  OW_REGION_HISTORICAL,  /* a county since merged, renamed or abolished */
} OwRegionStatus;

/* @code: six digits. */
OwRegionStatus ow_region_lookup                (const char *code);
/* How many codes the table knows, of both kinds. */
guint          ow_region_count                 (void);
/* For an 18-character resident ID: a translated warning when its region (the first six digits)
 * is not a county the table knows ("the region code 999999 is not a known county: check the
 * card"), else NULL. */
char          *ow_resident_id_region_warning   (const char *id);

G_END_DECLS
