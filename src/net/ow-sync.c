/* ow-sync.c — the sync engine: drains the outbox to the platform, in order, exactly once
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One entry is in flight at a time, on the main context; every store access runs in a worker
 * thread. The engine never forgets anything on its own: an entry leaves the outbox only when
 * the platform acknowledged it (2xx), so a crash at any point means at most a resend, which the
 * platform's idempotent PUTs absorb.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "net/ow-json.h"
#include "net/ow-sync.h"

#define BACKOFF_FIRST_USEC (1 * G_USEC_PER_SEC)
#define BACKOFF_MAX_USEC   (5 * 60 * G_USEC_PER_SEC)
#define BACKOFF_JITTER     0.2

struct _OwSync
{
  GObject       parent_instance;

  OwStore      *store;
  OwClient     *client;
  gulong        token_handler;

  OwSyncState   state;
  guint         pending;
  gint64        last_sync;
  char         *last_error;

  gboolean      running;     /* started: drains on its own */
  gboolean      busy;        /* a step of the drain is under way */
  gboolean      again;       /* something was enqueued or kicked while busy */
  gboolean      force;       /* send the oldest entry now, whatever its back-off */
  gboolean      paused;      /* the platform wants a log-in (or a person): wait for a kick */
  guint         retry_id;    /* the back-off timer */
  GCancellable *cancellable; /* the request in flight; cancelled by stop */
  OwOutboxEntry *in_flight;

  /* Counts read by fetches and submits may arrive out of order: each carries a serial taken on
   * the main context, and only a count newer than the one shown replaces it. */
  guint64       serial;
  guint64       pending_serial;

  GPtrArray    *flushes;     /* GTask of ow_sync_flush_async waiting for the drain to end */
  GError       *flush_error; /* the last failure since the first waiting flush began */
};

G_DEFINE_TYPE (OwSync, ow_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void drain (OwSync *self);

/* ---- properties ------------------------------------------------------------------------- */

static void
set_state (OwSync      *self,
           OwSyncState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_pending (OwSync *self,
             guint   pending)
{
  if (self->pending == pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
set_last_sync (OwSync *self,
               gint64  when)
{
  if (self->last_sync == when)
    return;
  self->last_sync = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
}

static void
set_last_error (OwSync     *self,
                const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

/* ---- helpers ---------------------------------------------------------------------------- */

/* 1 s doubling per failed attempt up to 5 min, ±20 %: counters that lost the network together
 * must not all come back in the same second. */
static gint64
backoff_delay (guint attempts)
{
  gint64 delay = BACKOFF_FIRST_USEC;

  for (guint i = 0; i < attempts && delay < BACKOFF_MAX_USEC; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_MAX_USEC);
  return (gint64) (delay * g_random_double_range (1.0 - BACKOFF_JITTER, 1.0 + BACKOFF_JITTER));
}

static void
remember_failure (OwSync       *self,
                  const GError *error)
{
  set_last_error (self, error->message);
  if (self->flushes->len > 0)
    {
      g_clear_error (&self->flush_error);
      self->flush_error = g_error_copy (error);
    }
}

static void
finish_flushes (OwSync *self)
{
  g_autoptr(GPtrArray) flushes = NULL;
  g_autoptr(GError) error = NULL;

  if (self->flushes->len == 0)
    return;

  /* Callbacks may start new flushes: hand over the finished list first. */
  flushes = g_steal_pointer (&self->flushes);
  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
  error = g_steal_pointer (&self->flush_error);

  for (guint i = 0; i < flushes->len; i++)
    {
      GTask *task = g_ptr_array_index (flushes, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else if (!g_task_return_error_if_cancelled (task))
        g_task_return_boolean (task, TRUE);
    }
}

static gboolean
retry_cb (gpointer user_data)
{
  OwSync *self = user_data;

  self->retry_id = 0;
  drain (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (OwSync *self,
                gint64  delay_usec)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (!self->running)
    return;
  delay_usec = CLAMP (delay_usec, 0, BACKOFF_MAX_USEC * 2);
  self->retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                       (guint) ((delay_usec + 999) / 1000),
                                       retry_cb, self, NULL);
}

/* ---- the drain: fetch → send → ack or fail → fetch … ----------------------------------- */

typedef struct
{
  guint64        serial;
  gint64         now;
  OwOutboxEntry *entry;
  guint          pending;
  guint          dead;
  gint64         next_due;   /* of the oldest live entry when none is due; 0 for none */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_pointer (&fetch->entry, ow_outbox_entry_free);
  g_free (fetch);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  OwSync *self = source_object;
  Fetch *fetch = task_data;
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;

  fetch->entry = ow_store_outbox_next (self->store, fetch->now, &error);
  if (error == NULL)
    entries = ow_store_list_outbox (self->store, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  fetch->pending = entries->len;
  for (guint i = 0; i < entries->len; i++)
    {
      OwOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->dead)
        fetch->dead++;
      else if (fetch->next_due == 0)
        fetch->next_due = MAX (entry->next_attempt, 1);
    }
  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  gint64    id;
  gboolean  ack;
  char     *message;
  gint64    next_attempt;
  gboolean  dead;
  GError   *error;      /* what happened, for the callback */
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->message);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

static void
outcome_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OwSync *self = source_object;
  Outcome *outcome = task_data;
  GError *error = NULL;
  gboolean ok;

  if (outcome->ack)
    ok = ow_store_outbox_ack (self->store, outcome->id, &error);
  else
    ok = ow_store_outbox_fail (self->store, outcome->id, outcome->message,
                               outcome->next_attempt, outcome->dead, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
outcome_recorded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OwSync *self = OW_SYNC (source);
  Outcome *outcome = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The platform has the change but the store could not forget it: it is sent again and
       * the platform answers 200 for the same body. Wait before touching the disk again. */
      g_warning ("Could not record the outcome of outbox entry %" G_GINT64_FORMAT ": %s",
                 outcome->id, error->message);
      remember_failure (self, error);
      set_state (self, OW_SYNC_OFFLINE);
      self->force = FALSE;
      schedule_retry (self, backoff_delay (0));
      finish_flushes (self);
      return;
    }

  if (outcome->ack)
    set_last_sync (self, g_get_real_time ());
  else if (outcome->error != NULL)
    {
      remember_failure (self, outcome->error);
      if (outcome->dead)
        set_state (self, OW_SYNC_BLOCKED);
      else
        {
          set_state (self, OW_SYNC_OFFLINE);
          /* The next fetch must see the back-off, or a flush would spin on a dead network. */
          self->force = FALSE;
          if (!self->paused)
            schedule_retry (self, outcome->next_attempt - g_get_real_time ());
        }
    }

  drain (self);
}

static void
record_outcome (OwSync  *self,
                Outcome *outcome)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, outcome_recorded_cb, NULL);

  g_task_set_source_tag (task, record_outcome);
  g_task_set_task_data (task, outcome, (GDestroyNotify) outcome_free);
  g_task_run_in_thread (task, outcome_thread);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OwSync) self = user_data;
  g_autoptr(OwOutboxEntry) entry = g_steal_pointer (&self->in_flight);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Outcome *outcome;
  guint status = 0;

  body = ow_client_send_finish (OW_CLIENT (source), result, &status, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped: the entry stays as it was, to be sent after the next start. A cancellation
       * is not a failure to show the clerk, but a waiting flush did not complete. */
      self->busy = FALSE;
      if (self->flushes->len > 0)
        {
          g_clear_error (&self->flush_error);
          self->flush_error = g_error_copy (error);
        }
      finish_flushes (self);
      /* Refreshes "state" and "pending" without sending: stopped is not offline. */
      drain (self);
      return;
    }

  outcome = g_new0 (Outcome, 1);
  outcome->id = entry->id;

  if (error == NULL)
    {
      g_debug ("outbox entry %" G_GINT64_FORMAT " (%s %s) acknowledged with %u",
               entry->id, entry->method, entry->path, status);
      outcome->ack = TRUE;
    }
  else if (ow_platform_error_is_transient (error))
    {
      outcome->message = g_strdup (error->message);
      outcome->next_attempt = g_get_real_time () + backoff_delay (entry->attempts);
    }
  else if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED)
           || g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INSECURE)
           || error->domain != OW_PLATFORM_ERROR)
    {
      /* Not the entry's fault: it waits, due at once, for a new log-in or a person to fix the
       * connection, who then kicks the engine. */
      outcome->message = g_strdup (error->message);
      outcome->next_attempt = 0;
      self->paused = TRUE;
    }
  else
    {
      /* The platform read the entry and refused it (400, 403, 404, 409, 413, 422): sending it
       * again cannot help. It stays in the outbox, dead, for a person to see. */
      g_message ("outbox entry %" G_GINT64_FORMAT " (%s %s) refused: %s",
                 entry->id, entry->method, entry->path, error->message);
      outcome->message = g_strdup (error->message);
      outcome->dead = TRUE;
    }
  outcome->error = g_steal_pointer (&error);

  record_outcome (self, outcome);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OwSync *self = OW_SYNC (source);
  Fetch *fetch = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  OwOutboxEntry *entry;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->busy = FALSE;
      g_warning ("Could not read the outbox: %s", error->message);
      remember_failure (self, error);
      schedule_retry (self, backoff_delay (2));
      finish_flushes (self);
      return;
    }

  if (fetch->serial > self->pending_serial)
    {
      self->pending_serial = fetch->serial;
      set_pending (self, fetch->pending);
    }

  if (fetch->entry == NULL || (!self->running && self->flushes->len == 0) || self->paused)
    {
      self->busy = FALSE;
      /* A kick or a submit came while this fetch ran: it may have seen the outbox too early or
       * without the kick's force, so look again before reporting anything. */
      if (self->again && !self->paused)
        {
          drain (self);
          return;
        }
      self->force = FALSE;
      if (self->paused)
        set_state (self, OW_SYNC_OFFLINE);
      else if (fetch->entry == NULL && fetch->next_due > 0)
        {
          /* The oldest live entry waits for its back-off after a failed attempt. */
          set_state (self, OW_SYNC_OFFLINE);
          schedule_retry (self, fetch->next_due - g_get_real_time ());
        }
      else if (fetch->dead > 0)
        set_state (self, OW_SYNC_BLOCKED); /* the refusal's message stays up for the clerk */
      else
        {
          /* Nothing failed; entries may wait for a start, which "pending" shows. */
          set_state (self, OW_SYNC_IDLE);
          if (fetch->pending == 0)
            set_last_error (self, NULL);
        }
      finish_flushes (self);
      return;
    }

  entry = g_steal_pointer (&fetch->entry);
  set_state (self, OW_SYNC_SENDING);
  g_debug ("sending outbox entry %" G_GINT64_FORMAT " (%s %s), attempt %u",
           entry->id, entry->method, entry->path, entry->attempts + 1);

  g_assert (self->in_flight == NULL);
  self->in_flight = entry;
  ow_client_send_async (self->client, entry->method, entry->path, entry->content_type,
                        entry->body, self->cancellable, sent_cb, g_object_ref (self));
}

static void
drain (OwSync *self)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  /* Not running, this only refreshes "pending" and "state": fetched_cb sends nothing. */
  if (self->paused)
    {
      set_state (self, OW_SYNC_OFFLINE);
      finish_flushes (self);
      return;
    }

  self->busy = TRUE;
  self->again = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);

  fetch = g_new0 (Fetch, 1);
  fetch->serial = ++self->serial;
  fetch->now = self->force ? G_MAXINT64 : g_get_real_time ();

  task = g_task_new (self, NULL, fetched_cb, NULL);
  g_task_set_source_tag (task, drain);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  g_task_run_in_thread (task, fetch_thread);
}

/* Resumes after a new log-in: the entries that waited for it go at once. */
static void
token_changed_cb (OwClient   *client,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  OwSync *self = user_data;

  if (ow_client_get_token (client) != NULL && self->paused)
    ow_sync_kick (self);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
ow_sync_dispose (GObject *object)
{
  OwSync *self = OW_SYNC (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->client != NULL && self->token_handler != 0)
    g_clear_signal_handler (&self->token_handler, self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_sync_parent_class)->dispose (object);
}

static void
ow_sync_finalize (GObject *object)
{
  OwSync *self = OW_SYNC (object);

  g_clear_pointer (&self->in_flight, ow_outbox_entry_free);
  g_clear_pointer (&self->flushes, g_ptr_array_unref);
  g_clear_error (&self->flush_error);
  g_free (self->last_error);

  G_OBJECT_CLASS (ow_sync_parent_class)->finalize (object);
}

static void
ow_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  OwSync *self = OW_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_sync_class_init (OwSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_sync_dispose;
  object_class->finalize = ow_sync_finalize;
  object_class->get_property = ow_sync_get_property;

  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, OW_SYNC_IDLE, OW_SYNC_BLOCKED, OW_SYNC_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ow_sync_init (OwSync *self)
{
  self->state = OW_SYNC_IDLE;
  self->cancellable = g_cancellable_new ();
  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- public API ------------------------------------------------------------------------- */

OwSync *
ow_sync_new (OwStore  *store,
             OwClient *client)
{
  OwSync *self;

  g_return_val_if_fail (OW_IS_STORE (store), NULL);
  g_return_val_if_fail (OW_IS_CLIENT (client), NULL);

  self = g_object_new (OW_TYPE_SYNC, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->token_handler = g_signal_connect (client, "notify::token",
                                          G_CALLBACK (token_changed_cb), self);
  /* Learn what waits from an earlier session before anything is started. */
  drain (self);
  return self;
}

OwSyncState
ow_sync_get_state (OwSync *self)
{
  g_return_val_if_fail (OW_IS_SYNC (self), OW_SYNC_IDLE);
  return self->state;
}

guint
ow_sync_get_pending (OwSync *self)
{
  g_return_val_if_fail (OW_IS_SYNC (self), 0);
  return self->pending;
}

gint64
ow_sync_get_last_sync (OwSync *self)
{
  g_return_val_if_fail (OW_IS_SYNC (self), 0);
  return self->last_sync;
}

const char *
ow_sync_get_last_error (OwSync *self)
{
  g_return_val_if_fail (OW_IS_SYNC (self), NULL);
  return self->last_error;
}

void
ow_sync_start (OwSync *self)
{
  g_return_if_fail (OW_IS_SYNC (self));

  if (self->running)
    return;
  self->running = TRUE;
  drain (self);
}

void
ow_sync_stop (OwSync *self)
{
  g_return_if_fail (OW_IS_SYNC (self));

  if (!self->running)
    return;
  self->running = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  /* Abandon the request in flight; its entry stays in the outbox. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

void
ow_sync_kick (OwSync *self)
{
  g_return_if_fail (OW_IS_SYNC (self));

  self->force = TRUE;
  self->paused = FALSE;
  drain (self);
}

/* ---- submitting a case ------------------------------------------------------------------ */

typedef struct
{
  OwCase        *kase;
  OwOutboxEntry *entry;
  char          *user;
  guint          pending;   /* the outbox count right after the save */
} Submit;

static void
submit_free (Submit *submit)
{
  g_clear_object (&submit->kase);
  g_clear_pointer (&submit->entry, ow_outbox_entry_free);
  g_free (submit->user);
  g_free (submit);
}

static void
submit_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OwSync *self = source_object;
  Submit *submit = task_data;
  GError *error = NULL;

  if (!ow_store_save_case (self->store, submit->kase, submit->entry, submit->user, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The count is read here, after the commit, so that "pending" includes this case as soon as
   * the caller hears it is saved. A failure to count is not a failure to save. */
  submit->pending = ow_store_outbox_count (self->store, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
case_saved_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  OwSync *self = OW_SYNC (source);
  g_autoptr(GTask) task = user_data;
  Submit *submit = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  self->pending_serial = ++self->serial;
  set_pending (self, MAX (submit->pending, 1));
  g_task_return_boolean (task, TRUE);
  drain (self);
}

void
ow_sync_submit_case_async (OwSync              *self,
                           OwCase              *kase,
                           const char          *user,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *escaped = NULL;
  Submit *submit;
  char *text;

  g_return_if_fail (OW_IS_SYNC (self));
  g_return_if_fail (OW_IS_CASE (kase));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_sync_submit_case_async);
  g_task_set_check_cancellable (task, FALSE);

  /* Encoded here, on the caller's thread; compact, as it goes on the wire. */
  node = ow_json_from_case (kase);
  text = json_to_string (node, FALSE);

  escaped = g_uri_escape_string (ow_case_get_case_no (kase), NULL, FALSE);
  submit = g_new0 (Submit, 1);
  submit->kase = g_object_ref (kase);
  submit->user = g_strdup (user);
  submit->entry = g_new0 (OwOutboxEntry, 1);
  submit->entry->kind = g_strdup ("case");
  submit->entry->key = g_strdup (ow_case_get_case_no (kase));
  submit->entry->method = g_strdup ("PUT");
  submit->entry->path = g_strconcat ("/api/v1/cases/", escaped, NULL);
  submit->entry->content_type = g_strdup ("application/json");
  submit->entry->body = g_bytes_new_take (text, strlen (text));
  g_task_set_task_data (task, submit, (GDestroyNotify) submit_free);

  /* The worker reports to case_saved_cb, which completes @task; once the save has started it
   * runs to its end, so that a cancelled caller is never unsure whether the case was kept. */
  worker = g_task_new (self, NULL, case_saved_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, submit_thread);
  g_task_set_task_data (worker, submit, NULL);
  g_task_run_in_thread (worker, submit_thread);
}

gboolean
ow_sync_submit_case_finish (OwSync        *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_sync_submit_case_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- flushing --------------------------------------------------------------------------- */

void
ow_sync_flush_async (OwSync              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OW_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_sync_flush_async);

  if (self->flushes->len == 0)
    g_clear_error (&self->flush_error);
  g_ptr_array_add (self->flushes, task);

  /* A flush is someone asking for it now: back-off and a log-in pause are tried once more. */
  ow_sync_kick (self);
}

gboolean
ow_sync_flush_finish (OwSync        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_sync_flush_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
