/* ow-region.c — the region codes of GB/T 2260 that resident IDs carry
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-region.h"
#include "ow-region-codes.h"

static int
compare_codes (const void *key,
               const void *element)
{
  guint32 code = *(const guint32 *) key;
  guint32 entry = *(const guint32 *) element >> 1;

  return code < entry ? -1 : code > entry ? 1 : 0;
}

OwRegionStatus
ow_region_lookup (const char *code)
{
  const guint32 *found;
  guint32 value = 0;

  g_return_val_if_fail (code != NULL, OW_REGION_UNKNOWN);

  for (guint i = 0; i < 6; i++)
    {
      if (!g_ascii_isdigit (code[i]))
        return OW_REGION_UNKNOWN;
      value = value * 10 + (guint32) (code[i] - '0');
    }
  found = bsearch (&value, region_codes, G_N_ELEMENTS (region_codes), sizeof region_codes[0],
                   compare_codes);
  if (found == NULL)
    return OW_REGION_UNKNOWN;
  return (*found & 1) ? OW_REGION_HISTORICAL : OW_REGION_CURRENT;
}

guint
ow_region_count (void)
{
  return G_N_ELEMENTS (region_codes);
}

char *
ow_resident_id_region_warning (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  if (strlen (id) < 6 || ow_region_lookup (id) != OW_REGION_UNKNOWN)
    return NULL;
  return g_strdup_printf (_("The region code %.6s is not a known county: check the card"), id);
}
