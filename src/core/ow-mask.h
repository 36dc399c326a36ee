/* ow-mask.h — masking of personal information on printed and displayed copies
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How much of each identifier stays readable. Local rules differ, so it is configuration. */
typedef struct
{
  guint    id_head;        /* characters kept at the start of an ID number (default 6) */
  guint    id_tail;        /* … and at its end (default 4) */
  guint    phone_head;     /* default 3 */
  guint    phone_tail;     /* default 4 */
  gboolean surname_only;   /* names show the surname followed by '*' per other character */
} OwMaskPolicy;

void  ow_mask_policy_init_default (OwMaskPolicy       *policy);

/* Each returns a newly allocated string in which the hidden characters are '*'. They work on
 * Unicode characters, not bytes; a value too short to hide anything is masked entirely; NULL in
 * gives NULL out. @policy may be NULL for the default policy. */
char *ow_mask_id                  (const OwMaskPolicy *policy,
                                   const char         *id);
char *ow_mask_phone               (const OwMaskPolicy *policy,
                                   const char         *phone);
char *ow_mask_name                (const OwMaskPolicy *policy,
                                   const char         *name);

G_END_DECLS
