/* ow-link.c — whether the platform can be reached now, told within seconds, both ways
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox and the changes feed only learn of an outage when they next ask, which on a quiet
 * counter may be a minute away (the long poll) and never for a cable pulled out of a switch:
 * the connection just hangs. A probe while idle, with its own short timeout, tells both.
 */
#include "config.h"

#include "net/ow-link.h"

#define IDLE_MS         5000
#define FIRST_RETRY_MS  1000
#define MAX_RETRY_MS    8000
#define PROBE_TIMEOUT_MS 3000
#define JITTER          0.2

struct _OwLink
{
  GObject       parent_instance;

  OwClient     *client;
  gulong        answered_handler;
  OwLinkState   state;
  gint64        since;
  gboolean      running;
  gboolean      probing;
  guint         failures;     /* probes failed in a row */
  guint         timer_id;
  GCancellable *cancellable;

  guint         idle_ms;
  guint         first_retry_ms;
  guint         max_retry_ms;
  guint         timeout_ms;
};

G_DEFINE_FINAL_TYPE (OwLink, ow_link, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_SINCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void probe (OwLink *self);

static void
set_state (OwLink      *self,
           OwLinkState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  self->since = g_get_real_time ();
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINCE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
timer_cb (gpointer user_data)
{
  OwLink *self = user_data;

  self->timer_id = 0;
  probe (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (OwLink *self,
          guint   delay_ms)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (!self->running)
    return;
  self->timer_id = g_timeout_add (delay_ms, timer_cb, self);
}

/* 1 s doubling to the cap, ±20 %: counters that lost the network together must not come back
 * in the same second. */
static guint
retry_delay (OwLink *self)
{
  guint64 delay = self->first_retry_ms;

  for (guint i = 1; i < self->failures && delay < self->max_retry_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->max_retry_ms);
  return (guint) (delay * g_random_double_range (1.0 - JITTER, 1.0 + JITTER));
}

/* Every answer of every request counts, the probe's too: the next probe comes once nothing was
 * heard for a while, or soon after a failure. */
static void
answered_cb (OwClient *client,
             gboolean  reached,
             OwLink   *self)
{
  if (reached)
    {
      self->failures = 0;
      set_state (self, OW_LINK_ONLINE);
      if (!self->probing)
        schedule (self, self->idle_ms);
    }
  else
    {
      self->failures++;
      set_state (self, OW_LINK_OFFLINE);
      if (!self->probing)
        schedule (self, retry_delay (self));
    }
}

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OwLink) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean reached;

  reached = ow_client_probe_finish (OW_CLIENT (source), result, &error);
  self->probing = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* "answered" set the state already; what is left is when to look again. */
  schedule (self, reached ? self->idle_ms : retry_delay (self));
}

static void
probe (OwLink *self)
{
  if (!self->running || self->probing)
    return;
  self->probing = TRUE;
  ow_client_probe_async (self->client, self->timeout_ms, self->cancellable, probed_cb,
                         g_object_ref (self));
}

static void
ow_link_dispose (GObject *object)
{
  OwLink *self = OW_LINK (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->client != NULL)
    g_clear_signal_handler (&self->answered_handler, self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_link_parent_class)->dispose (object);
}

static void
ow_link_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  OwLink *self = OW_LINK (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_SINCE:
      g_value_set_int64 (value, self->since);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_link_class_init (OwLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_link_dispose;
  object_class->get_property = ow_link_get_property;

  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, OW_LINK_NOT_CONNECTED, OW_LINK_OFFLINE,
                       OW_LINK_NOT_CONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SINCE] =
    g_param_spec_int64 ("since", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ow_link_init (OwLink *self)
{
  self->state = OW_LINK_NOT_CONNECTED;
  self->since = g_get_real_time ();
  self->cancellable = g_cancellable_new ();
  self->idle_ms = IDLE_MS;
  self->first_retry_ms = FIRST_RETRY_MS;
  self->max_retry_ms = MAX_RETRY_MS;
  self->timeout_ms = PROBE_TIMEOUT_MS;
}

OwLink *
ow_link_new (OwClient *client)
{
  OwLink *self;

  g_return_val_if_fail (OW_IS_CLIENT (client), NULL);

  self = g_object_new (OW_TYPE_LINK, NULL);
  self->client = g_object_ref (client);
  self->answered_handler = g_signal_connect (client, "answered", G_CALLBACK (answered_cb), self);
  return self;
}

void
ow_link_start (OwLink *self)
{
  g_return_if_fail (OW_IS_LINK (self));

  if (self->running)
    return;
  self->running = TRUE;
  probe (self);
}

void
ow_link_stop (OwLink *self)
{
  g_return_if_fail (OW_IS_LINK (self));

  self->running = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->probing = FALSE;
}

void
ow_link_check_now (OwLink *self)
{
  g_return_if_fail (OW_IS_LINK (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  probe (self);
}

OwLinkState
ow_link_get_state (OwLink *self)
{
  g_return_val_if_fail (OW_IS_LINK (self), OW_LINK_NOT_CONNECTED);
  return self->state;
}

gint64
ow_link_get_since (OwLink *self)
{
  g_return_val_if_fail (OW_IS_LINK (self), 0);
  return self->since;
}

void
ow_link_set_timing (OwLink *self,
                    guint   idle_ms,
                    guint   first_retry_ms,
                    guint   max_retry_ms,
                    guint   timeout_ms)
{
  g_return_if_fail (OW_IS_LINK (self));

  if (idle_ms > 0)
    self->idle_ms = idle_ms;
  if (first_retry_ms > 0)
    self->first_retry_ms = first_retry_ms;
  if (max_retry_ms > 0)
    self->max_retry_ms = max_retry_ms;
  if (timeout_ms > 0)
    self->timeout_ms = timeout_ms;
}
