/* ow-link.h — whether the platform can be reached now, told within seconds, both ways
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "net/ow-client.h"

G_BEGIN_DECLS

typedef enum
{
  OW_LINK_NOT_CONNECTED = 1, /* nothing has answered or failed since the start */
  OW_LINK_ONLINE,            /* the platform answered last time anything was asked */
  OW_LINK_OFFLINE,           /* the last request or probe got no answer */
} OwLinkState;

#define OW_TYPE_LINK (ow_link_get_type ())
G_DECLARE_FINAL_TYPE (OwLink, ow_link, OW, LINK, GObject)

/* Follows every request @client makes ("answered"), and between them probes the platform
 * (ow_client_probe_async(), which needs no session): while online, once nothing was heard for
 * a few seconds; while offline, after 1 s, then 2, 4, up to 8 s, with jitter. An outage is so
 * noticed within seconds without waiting for the next change to send, and so is the return.
 *
 * Properties, read-only and notified on change:
 *   "state"  OwLinkState (as guint)
 *   "since"  gint64, µs since the epoch at which the state began ("offline since …")
 */
OwLink      *ow_link_new        (OwClient *client);
/* Starts probing (the first probe at once); stopping cancels what is in flight. */
void         ow_link_start      (OwLink   *self);
void         ow_link_stop       (OwLink   *self);
/* Probes now (a person asked to sync), whatever the back-off. */
void         ow_link_check_now  (OwLink   *self);
OwLinkState  ow_link_get_state  (OwLink   *self);
gint64       ow_link_get_since  (OwLink   *self);

/* Overrides the probing intervals (milliseconds) and the probe's timeout: for tests, which
 * must not wait for the defaults. 0 keeps a value. */
void         ow_link_set_timing (OwLink   *self,
                                 guint     idle_ms,
                                 guint     first_retry_ms,
                                 guint     max_retry_ms,
                                 guint     timeout_ms);

G_END_DECLS
