/* ow-key-burst.h — tell a barcode scanner's typing from a person's, and case numbers from queries
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A USB barcode or QR scanner is a keyboard that types a whole code in a burst, a few
 * milliseconds a key, and presses Enter. People do not type 8 keys under 30 ms apart. */
#define OW_KEY_BURST_MIN_KEYS 8
#define OW_KEY_BURST_MAX_GAP_MS 30

typedef struct _OwKeyBurst OwKeyBurst;

OwKeyBurst *ow_key_burst_new    (void);
void        ow_key_burst_free   (OwKeyBurst *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwKeyBurst, ow_key_burst_free)

/* Forgets the keys seen so far (the entry was cleared, focus left). */
void        ow_key_burst_reset  (OwKeyBurst *self);
/* A key that typed a character, pressed at @time_ms (any monotonic clock in milliseconds, such
 * as GDK's event time). Keys that arrive slowly start a new run. */
void        ow_key_burst_key    (OwKeyBurst *self,
                                 gint64      time_ms);
/* Enter, pressed at @time_ms: returns how many of the last characters typed came in a scanner's
 * burst that Enter ended at once (0 when it was a person typing), and starts afresh. */
guint       ow_key_burst_enter  (OwKeyBurst *self,
                                 gint64      time_ms);

/* The case number @text names, canonical, or NULL: a receipt's QR payload ("OW1:…:…") or a case
 * number with or without hyphens and blanks, with a valid check character. */
char       *ow_key_burst_parse_case (const char *text);

G_END_DECLS
