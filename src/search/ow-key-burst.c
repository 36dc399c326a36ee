/* ow-key-burst.c — tell a barcode scanner's typing from a person's, and case numbers from queries
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "core/ow-case-number.h"
#include "search/ow-key-burst.h"

struct _OwKeyBurst
{
  gint64 last_ms;   /* the last key's time; G_MININT64 before any */
  guint run;        /* keys in the current fast run */
};

OwKeyBurst *
ow_key_burst_new (void)
{
  OwKeyBurst *self = g_new0 (OwKeyBurst, 1);

  ow_key_burst_reset (self);
  return self;
}

void
ow_key_burst_free (OwKeyBurst *self)
{
  g_free (self);
}

void
ow_key_burst_reset (OwKeyBurst *self)
{
  g_return_if_fail (self != NULL);

  self->last_ms = G_MININT64;
  self->run = 0;
}

static gboolean
follows_fast (OwKeyBurst *self,
              gint64      time_ms)
{
  /* A clock that went back (another device's timestamps) is not a burst. */
  return self->run > 0 && time_ms >= self->last_ms
         && time_ms - self->last_ms < OW_KEY_BURST_MAX_GAP_MS;
}

void
ow_key_burst_key (OwKeyBurst *self,
                  gint64      time_ms)
{
  g_return_if_fail (self != NULL);

  if (follows_fast (self, time_ms))
    self->run++;
  else
    self->run = 1;
  self->last_ms = time_ms;
}

guint
ow_key_burst_enter (OwKeyBurst *self,
                    gint64      time_ms)
{
  guint burst = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (follows_fast (self, time_ms) && self->run >= OW_KEY_BURST_MIN_KEYS)
    burst = self->run;
  ow_key_burst_reset (self);
  return burst;
}

char *
ow_key_burst_parse_case (const char *text)
{
  g_autofree char *stripped = NULL;
  char *case_no = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL) || strlen (text) > 256)
    return NULL;
  stripped = g_strstrip (g_strdup (text));
  if (!ow_case_qr_parse (stripped, &case_no, NULL))
    return NULL;
  return case_no;
}
