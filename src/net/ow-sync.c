/* ow-sync.c — the sync engine: drains the outbox to the platform, in order per key, exactly once
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Entries of different keys (cases, tickets) are in flight side by side, a few at a time, on
 * the main context; those of one key go one after the other, in order; every store access
 * runs in a worker thread. The engine never forgets anything on its own: an entry leaves the outbox only when
 * the platform acknowledged it (2xx), so a crash at any point means at most a resend, which the
 * platform's idempotent PUTs absorb.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-clock.h"
#include "core/ow-mask.h"
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
  gint64        last_received;
  char         *last_error;

  gboolean      running;     /* started: drains on its own */
  gboolean      fetching;    /* a look into the outbox for what to send is under way */
  gboolean      again;       /* something was enqueued, kicked or answered while fetching */
  gboolean      force;       /* send what waits now, whatever its back-off */
  gboolean      paused;      /* the platform wants a log-in (or a person): wait for a kick */
  guint         retry_id;    /* the back-off timer */
  GCancellable *cancellable; /* the requests in flight; cancelled by stop */
  /* key → OwOutboxEntry sent and not yet recorded, at most MAX_IN_FLIGHT, one per key: order
   * matters only within a key, so different keys go side by side. */
  GHashTable   *in_flight;

  /* Counts read by fetches and submits may arrive out of order: each carries a serial taken on
   * the main context, and only a count newer than the one shown replaces it. */
  guint64       serial;
  guint64       pending_serial;

  GPtrArray    *flushes;     /* GTask of ow_sync_flush_async waiting for the drain to end */
  GError       *flush_error; /* the last failure since the first waiting flush began */

  /* The changes feed, a loop of its own beside the drain. */
  gboolean      pulling;          /* a poll, its fetches or its saving is under way */
  gboolean      pull_paused;      /* 401: waits for a new log-in */
  guint         pull_retry_id;
  guint         pull_failures;
  GCancellable *pull_cancellable; /* cancelled by stop */

  GMutex        submit_lock;      /* see submit_thread() */
  gboolean      cursor_loaded;
  char         *cursor;           /* as stored in the store's meta */

  /* A copy the feed fetched is stale if the platform acknowledged a change of the same key
   * after the copy was asked for (see "The outbox and the sync engine" in HACKING.md): each
   * acknowledgement of a record's change (not of a page) takes the next serial, and the key
   * remembers its last one. Guarded by ack_lock, which is also held while an entry leaves the
   * store and while a fetched copy is saved, so that nothing falls between the check and the
   * save. */
  GMutex        ack_lock;
  guint64       ack_serial;
  GHashTable   *acked;            /* key → guint64 *, the serial of its last acknowledgement */
};

G_DEFINE_TYPE (OwSync, ow_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  PROP_LAST_SYNC,
  PROP_LAST_RECEIVED,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGES_APPLIED,
  TICKETS_APPLIED,
  PUBLISHED,
  OUTBOX_CHANGED,
  RATING_DUPLICATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void drain (OwSync *self);
static void pull (OwSync *self);

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
set_last_received (OwSync *self,
                   gint64  when)
{
  if (self->last_received == when)
    return;
  self->last_received = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_RECEIVED]);
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

/* ---- the drain: fetch → send side by side → ack or fail → fetch … ----------------------- */

/* Requests in flight at once, each of another key: enough that the platform never waits for
 * this counter between two of them, few enough that a counter does not crowd a platform that
 * serves thousands. The client allows 6 connections to the platform; the changes feed holds
 * one and the window's own requests need one. */
#define MAX_IN_FLIGHT 4

/* An entry to send, or to mark dead at once when its page cannot be read. */
typedef struct
{
  OwOutboxEntry *entry;
  GError        *file_error;
} Pick;

static void
pick_free (Pick *pick)
{
  g_clear_pointer (&pick->entry, ow_outbox_entry_free);
  g_clear_error (&pick->file_error);
  g_free (pick);
}

typedef struct
{
  guint64    serial;
  gint64     now;
  char     **busy;       /* keys with an entry in flight: their next entries wait for it */
  guint      limit;
  GPtrArray *picks;      /* of Pick: what may go now, oldest first */
  guint      pending;
  guint      dead;
  gint64     wait_until; /* a failed attempt's back-off holds the outbox until then; 0: none */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_strfreev (fetch->busy);
  g_clear_pointer (&fetch->picks, g_ptr_array_unref);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

/* A look for what may go beside the entries in flight, except @leaving's (NULL for none), whose
 * outcome is recorded before the look. */
static Fetch *
fetch_new (OwSync     *self,
           const char *leaving)
{
  Fetch *fetch = g_new0 (Fetch, 1);
  g_autoptr(GStrvBuilder) busy = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;
  guint n_busy = 0;

  fetch->serial = ++self->serial;
  fetch->now = self->force ? G_MAXINT64 : g_get_real_time ();
  /* Copies: an entry in flight may be freed while the worker reads. */
  g_hash_table_iter_init (&iter, self->in_flight);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_strcmp0 (key, leaving) != 0)
      {
        g_strv_builder_add (busy, key);
        n_busy++;
      }
  fetch->busy = g_strv_builder_end (busy);
  fetch->limit = MAX_IN_FLIGHT - MIN (n_busy, MAX_IN_FLIGHT);
  return fetch;
}

/* Reads the entries to send next and the outbox's counts. Runs in a worker thread. */
static gboolean
do_fetch (OwSync  *self,
          Fetch   *fetch,
          GError **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  OwOutboxSummary summary;
  GError *local_error = NULL;

  /* Counted, not listed: this runs after every send, and an outbox of a thousand cases must
   * not be read a thousand times. */
  entries = ow_store_outbox_next_batch (self->store, fetch->now,
                                        (const char * const *) fetch->busy, fetch->limit,
                                        &fetch->wait_until, &local_error);
  if (entries != NULL)
    ow_store_outbox_summary (self->store, &summary, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  fetch->pending = summary.pending;
  fetch->dead = summary.dead;

  fetch->picks = g_ptr_array_new_with_free_func ((GDestroyNotify) pick_free);
  while (entries->len > 0)
    {
      Pick *pick = g_new0 (Pick, 1);

      pick->entry = g_ptr_array_steal_index (entries, 0);
      /* A scanned page is read from the files folder now, not copied into the outbox when the
       * case was saved. Its name is its hash, which the platform checks (sent_cb explains a
       * mismatch), so it is not hashed here once more. */
      if (pick->entry->body_file != NULL)
        {
          g_clear_pointer (&pick->entry->body, g_bytes_unref);
          pick->entry->body = ow_store_read_file_unverified (self->store,
                                                             pick->entry->body_file,
                                                             &pick->file_error);
        }
      g_ptr_array_add (fetch->picks, pick);
    }
  return TRUE;
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (do_fetch (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

typedef struct
{
  gint64    id;
  char     *entry_key;  /* the entry's key, in flight until the outcome is recorded */
  char     *key;        /* after an ack of a record's change: its key, for ack_serial */
  gboolean  ack;
  char     *message;
  gint64    next_attempt;
  gboolean  dead;
  GError   *error;      /* what happened, for the callback */
  Fetch    *next;       /* after an ack: what to send next, read in the same trip */
  gboolean  next_started;
  gboolean  duplicate_rating; /* 409 naming case_no on a rating: settled, not dead */
  char     *rated_case;  /* … the case it rated, for "rating-duplicate" */
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_clear_pointer (&outcome->next, fetch_free);
  g_free (outcome->entry_key);
  g_free (outcome->key);
  g_free (outcome->rated_case);
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
    {
      g_mutex_lock (&self->ack_lock);
      ok = ow_store_outbox_ack (self->store, outcome->id, &error);
      if (ok && outcome->key != NULL)
        {
          guint64 *serial = g_new (guint64, 1);

          *serial = ++self->ack_serial;
          g_hash_table_replace (self->acked, g_strdup (outcome->key), serial);
        }
      g_mutex_unlock (&self->ack_lock);
    }
  else if (outcome->duplicate_rating)
    ok = ow_store_settle_duplicate_rating (self->store, outcome->id, &outcome->rated_case,
                                           &error);
  else
    ok = ow_store_outbox_fail (self->store, outcome->id, outcome->message,
                               outcome->next_attempt, outcome->dead, &error);
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  /* One trip to a worker thread per answer instead of two: on a busy machine each trip waits
   * for the scheduler. A failed read here is only a missed shortcut: drain() reads again and
   * reports it. */
  if (outcome->next != NULL && !do_fetch (self, outcome->next, NULL))
    g_clear_pointer (&outcome->next, fetch_free);
  g_task_return_boolean (task, TRUE);
}

static void handle_fetch (OwSync *self,
                          Fetch  *fetch);

/* Nothing of the drain under way: no look into the outbox, no entry in flight. */
static gboolean
drain_idle (OwSync *self)
{
  return !self->fetching && g_hash_table_size (self->in_flight) == 0;
}

static void
outcome_recorded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OwSync *self = OW_SYNC (source);
  Outcome *outcome = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* The store has the outcome: the key's next entry may go. */
  g_hash_table_remove (self->in_flight, outcome->entry_key);
  if (outcome->next_started)
    self->fetching = FALSE;

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
      if (drain_idle (self))
        finish_flushes (self);
      return;
    }

  g_signal_emit (self, signals[OUTBOX_CHANGED], 0);
  if (outcome->duplicate_rating)
    {
      /* Nothing for a person to fix: the case had its rating. Say so, and go on. */
      g_signal_emit (self, signals[RATING_DUPLICATE], 0, outcome->rated_case);
      drain (self);
      return;
    }
  if (outcome->ack && outcome->next != NULL)
    {
      g_autoptr(Fetch) next = g_steal_pointer (&outcome->next);

      set_last_sync (self, g_get_real_time ());
      handle_fetch (self, next);
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

  if (outcome->ack && !self->paused && !self->fetching)
    {
      /* What drain() would do once the entry is gone, started now; a submit, a kick or another
       * answer from here on sets "again", which handle_fetch() honours. */
      outcome->next = fetch_new (self, outcome->entry_key);
      outcome->next_started = TRUE;
      self->fetching = TRUE;
      self->again = FALSE;
    }
  g_task_set_source_tag (task, record_outcome);
  g_task_set_task_data (task, outcome, (GDestroyNotify) outcome_free);
  g_task_run_in_thread (task, outcome_thread);
}

/* A request in flight: the engine, and the entry (owned by in_flight until its outcome is
 * recorded). */
typedef struct
{
  OwSync        *self;
  OwOutboxEntry *entry;
} Sending;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sending *sending = user_data;
  g_autoptr(OwSync) self = sending->self;
  OwOutboxEntry *entry = sending->entry;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Outcome *outcome;
  guint status = 0;

  g_free (sending);
  body = ow_client_send_finish (OW_CLIENT (source), result, &status, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped: the entry stays as it was, to be sent after the next start. A cancellation
       * is not a failure to show the clerk, but a waiting flush did not complete. */
      g_hash_table_remove (self->in_flight, entry->key);
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
  outcome->entry_key = g_strdup (entry->key);

  if (error == NULL)
    {
      g_debug ("outbox entry %" G_GINT64_FORMAT " (%s %s) acknowledged with %u",
               entry->id, entry->method, entry->path, status);
      outcome->ack = TRUE;
      /* A page changes no record the feed names; a case, a ticket or an event does. */
      if (entry->body_file == NULL)
        outcome->key = g_strdup (entry->key);
    }
  else if (ow_platform_error_is_transient (error))
    {
      /* Not before the platform's Retry-After (a busy platform, 503; too many log-ins, 429). */
      gint64 retry_after = (gint64) ow_platform_error_get_retry_after (error) * G_USEC_PER_SEC;

      outcome->message = g_strdup (error->message);
      outcome->next_attempt = g_get_real_time () + MAX (backoff_delay (entry->attempts),
                                                        retry_after);
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
  else if (g_strcmp0 (entry->kind, "rating") == 0
           && g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_CONFLICT)
           && g_strcmp0 (ow_platform_error_get_field (error), "case_no") == 0)
    {
      /* A case is rated once on site, and it was, at another counter: this rating does not
       * count, and neither does its follow-up. Settled, not a refusal to fix. */
      g_message ("outbox entry %" G_GINT64_FORMAT " (%s %s): the case was rated already",
                 entry->id, entry->method, entry->path);
      outcome->duplicate_rating = TRUE;
    }
  else
    {
      /* The platform read the entry and refused it (400, 403, 404, 409, 413, 422): sending it
       * again cannot help. It stays in the outbox, dead, for a person to see; only the later
       * entries of its key wait for it. */
      g_message ("outbox entry %" G_GINT64_FORMAT " (%s %s) refused: %s",
                 entry->id, entry->method, entry->path, error->message);
      if (entry->body_file != NULL
          && g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INVALID)
          && g_strcmp0 (ow_platform_error_get_field (error), "sha256") == 0)
        /* The bytes on disk no longer match their name: the page was damaged here. */
        outcome->message = g_strdup_printf (_("The scanned page %.12s… is damaged on this "
                                              "workstation. Scan the material again (%s)."),
                                            entry->body_file, error->message);
      else
        outcome->message = g_strdup (error->message);
      outcome->dead = TRUE;
    }
  outcome->error = g_steal_pointer (&error);

  record_outcome (self, outcome);
}

/* Puts @pick's entry in flight: sends it, or marks it dead when its page cannot be read. */
static void
send_pick (OwSync *self,
           Pick   *pick)
{
  OwOutboxEntry *entry = g_steal_pointer (&pick->entry);
  Sending *sending;

  g_assert (!g_hash_table_contains (self->in_flight, entry->key));
  g_hash_table_insert (self->in_flight, entry->key, entry);

  if (pick->file_error != NULL)
    {
      /* Sending again cannot bring the page back: a person must scan it again. */
      Outcome *outcome = g_new0 (Outcome, 1);

      g_message ("outbox entry %" G_GINT64_FORMAT " (%s %s) cannot be sent: %s",
                 entry->id, entry->method, entry->path, pick->file_error->message);
      outcome->id = entry->id;
      outcome->entry_key = g_strdup (entry->key);
      outcome->message = g_strdup (pick->file_error->message);
      outcome->dead = TRUE;
      outcome->error = g_steal_pointer (&pick->file_error);
      record_outcome (self, outcome);
      return;
    }

  g_debug ("sending outbox entry %" G_GINT64_FORMAT " (%s %s), attempt %u",
           entry->id, entry->method, entry->path, entry->attempts + 1);
  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->entry = entry;
  ow_client_send_async (self->client, entry->method, entry->path, entry->content_type,
                        entry->body, self->cancellable, sent_cb, sending);
}

/* Nothing is in flight and nothing more may go: says why, and ends the waiting flushes. */
static void
settle (OwSync *self,
        Fetch  *fetch)
{
  self->force = FALSE;
  if (self->paused)
    set_state (self, OW_SYNC_OFFLINE);
  else if (fetch->wait_until > 0)
    {
      /* An entry waits for its back-off after a failed attempt, and the rest with it. */
      set_state (self, OW_SYNC_OFFLINE);
      schedule_retry (self, fetch->wait_until - g_get_real_time ());
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
}

/* Sends what @fetch found, or settles the state when there is nothing left to do. */
static void
handle_fetch (OwSync *self,
              Fetch  *fetch)
{
  gboolean send = (self->running || self->flushes->len > 0) && !self->paused;

  if (fetch->serial > self->pending_serial)
    {
      self->pending_serial = fetch->serial;
      set_pending (self, fetch->pending);
    }

  if (send && fetch->picks->len > 0)
    {
      set_state (self, OW_SYNC_SENDING);
      for (guint i = 0; i < fetch->picks->len; i++)
        send_pick (self, g_ptr_array_index (fetch->picks, i));
    }

  /* A kick, a submit or an answer came while this fetch ran: it may have seen the outbox too
   * early or without the kick's force, so look again before reporting anything. */
  if (self->again && !self->paused)
    {
      drain (self);
      return;
    }
  /* The answers of those in flight look again. */
  if (!drain_idle (self))
    return;
  settle (self, fetch);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OwSync *self = OW_SYNC (source);
  Fetch *fetch = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->fetching = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("Could not read the outbox: %s", error->message);
      remember_failure (self, error);
      schedule_retry (self, backoff_delay (2));
      if (drain_idle (self))
        finish_flushes (self);
      return;
    }
  handle_fetch (self, fetch);
}

static void
drain (OwSync *self)
{
  g_autoptr(GTask) task = NULL;
  guint in_flight = g_hash_table_size (self->in_flight);
  Fetch *fetch;

  if (self->fetching)
    {
      self->again = TRUE;
      return;
    }
  /* Not running, this only refreshes "pending" and "state": handle_fetch sends nothing. */
  if (self->paused)
    {
      if (in_flight == 0)
        {
          set_state (self, OW_SYNC_OFFLINE);
          finish_flushes (self);
        }
      return;
    }
  /* As many as may be in flight are: the next answer looks again. */
  if (in_flight >= MAX_IN_FLIGHT)
    return;

  self->fetching = TRUE;
  self->again = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);

  fetch = fetch_new (self, NULL);
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

  if (ow_client_get_token (client) == NULL)
    return;
  if (self->paused)
    ow_sync_kick (self);
  if (self->pull_paused)
    {
      self->pull_paused = FALSE;
      pull (self);
    }
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
ow_sync_dispose (GObject *object)
{
  OwSync *self = OW_SYNC (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->pull_cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->pull_retry_id, g_source_remove);
  if (self->client != NULL && self->token_handler != 0)
    g_clear_signal_handler (&self->token_handler, self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pull_cancellable);

  G_OBJECT_CLASS (ow_sync_parent_class)->dispose (object);
}

static void
ow_sync_finalize (GObject *object)
{
  OwSync *self = OW_SYNC (object);

  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->flushes, g_ptr_array_unref);
  g_clear_error (&self->flush_error);
  g_free (self->last_error);
  g_free (self->cursor);
  g_mutex_clear (&self->submit_lock);
  g_mutex_clear (&self->ack_lock);
  g_clear_pointer (&self->acked, g_hash_table_unref);

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
    case PROP_LAST_RECEIVED:
      g_value_set_int64 (value, self->last_received);
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
  properties[PROP_LAST_RECEIVED] =
    g_param_spec_int64 ("last-received", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OwSync::changes-applied:
   * @sync: the engine
   * @case_nos: (array zero-terminated=1): the numbers of the cases saved in the local store
   *   by this batch, possibly none
   *
   * A batch of the platform's changes feed has been applied: the cases it named were fetched
   * and saved locally (without an outbox entry), and the cursor stored after them. Emitted on
   * the main context, only for batches with at least one change of any kind; kinds the engine
   * does not apply itself (catalog, calendar, rating) are for the listener to fetch;
   * tickets are applied, and named by "tickets-applied".
   */
  signals[CHANGES_APPLIED] =
    g_signal_new ("changes-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);

  /**
   * OwSync::tickets-applied:
   * @sync: the engine
   * @ids: (array zero-terminated=1): the tickets saved in the local store by this batch, at
   *   least one
   *
   * Tickets the changes feed named were fetched with their timelines and saved locally (those
   * with a change of this counter still waiting were left as they are). Emitted on the main
   * context after "changes-applied". A ticket newly assigned to the logged-in user, or newly
   * escalated (escalated_at set) for a supervisor, is the news to show.
   */
  signals[TICKETS_APPLIED] =
    g_signal_new ("tickets-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);

  /**
   * OwSync::published:
   * @sync: the engine
   * @kinds: (array zero-terminated=1): "catalog" and/or "calendar"
   *
   * A batch of the feed said the platform published a new catalog revision or calendar, which
   * the engine does not fetch itself: whoever keeps them brings them up to date. Emitted on
   * the main context after "changes-applied".
   */
  signals[PUBLISHED] =
    g_signal_new ("published", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);

  /**
   * OwSync::outbox-changed:
   * @sync: the engine
   *
   * An entry was added, sent, refused, retried or revived: a view of the outbox should list
   * it again (ow_store_list_outbox()) even when "pending" did not change.
   */
  signals[OUTBOX_CHANGED] =
    g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * OwSync::rating-duplicate:
   * @sync: the engine
   * @case_no: the case the rating was about
   *
   * The platform answered that @case_no had its one on-site rating already (given at another
   * counter): the rating kept here is marked a duplicate, and it and its follow-up left the
   * outbox (ow_store_settle_duplicate_rating()). The window says "already rated".
   */
  signals[RATING_DUPLICATE] =
    g_signal_new ("rating-duplicate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ow_sync_init (OwSync *self)
{
  self->state = OW_SYNC_IDLE;
  self->cancellable = g_cancellable_new ();
  self->pull_cancellable = g_cancellable_new ();
  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) ow_outbox_entry_free);
  g_mutex_init (&self->submit_lock);
  g_mutex_init (&self->ack_lock);
  self->acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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

gint64
ow_sync_get_last_received (OwSync *self)
{
  g_return_val_if_fail (OW_IS_SYNC (self), 0);
  return self->last_received;
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
  pull (self);
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
  /* And the long poll: its batch is fetched again after the next start. */
  g_clear_handle_id (&self->pull_retry_id, g_source_remove);
  g_cancellable_cancel (self->pull_cancellable);
  g_clear_object (&self->pull_cancellable);
  self->pull_cancellable = g_cancellable_new ();
  self->pull_paused = FALSE;
}


void
ow_sync_kick (OwSync *self)
{
  g_return_if_fail (OW_IS_SYNC (self));

  self->force = TRUE;
  self->paused = FALSE;
  drain (self);
  /* "Sync now" means the feed too, should it wait out a back-off after the platform was away. */
  if (self->running && !self->pulling && !self->pull_paused && self->pull_retry_id != 0)
    pull (self);
}

/* ---- submitting a case ------------------------------------------------------------------ */

typedef struct _Submit Submit;

/* Writes the local record and its outbox entries in one transaction, in a worker thread. */
typedef gboolean (*SubmitWrite) (OwSync   *self,
                                 Submit   *submit,
                                 GError  **error);

/* One change the counter made, on its way into the store and the outbox. Every kind of change
 * (a case, a case event, a ticket, a ticket event) goes the same way: encoded on the caller's
 * thread, written with its entry by @write in a worker, then the drain is woken. */
struct _Submit
{
  SubmitWrite      write;
  OwCase          *kase;
  OwTicket        *ticket;
  OwTicketEvent   *ticket_event;
  OwJsonCaseEvent *case_event;
  OwRating        *rating;
  char            *follow_up; /* a poor rating: the ticket registered with it */
  char            *key;       /* the case number or ticket id the change is about */
  char            *draft_key; /* a new case: the draft it was typed into, deleted with it */
  GPtrArray       *entries;   /* of OwOutboxEntry: a case's files first, then the case */
  char            *user;
  guint            pending;   /* the outbox count right after the save */
};

static void
submit_free (Submit *submit)
{
  g_clear_object (&submit->kase);
  g_clear_pointer (&submit->ticket, ow_ticket_free);
  g_clear_pointer (&submit->ticket_event, ow_ticket_event_free);
  g_clear_pointer (&submit->case_event, ow_json_case_event_free);
  g_clear_pointer (&submit->rating, ow_rating_free);
  g_free (submit->follow_up);
  g_free (submit->key);
  g_free (submit->draft_key);
  g_clear_pointer (&submit->entries, g_ptr_array_unref);
  g_free (submit->user);
  g_free (submit);
}

static OwOutboxEntry *
file_entry_new (const char *case_no,
                const char *sha256)
{
  OwOutboxEntry *entry = g_new0 (OwOutboxEntry, 1);

  entry->kind = g_strdup ("file");
  /* Keyed by the case: a page the platform refused holds back the case that needs it. */
  entry->key = g_strdup (case_no);
  entry->method = g_strdup ("PUT");
  entry->path = g_strconcat ("/api/v1/files/", sha256, NULL);
  entry->body_file = g_strdup (sha256);
  return entry;
}

/* The content type of each page, from its first bytes; a page that is missing now would never
 * reach the platform, so the clerk hears it before the change counts as saved. */
static gboolean
type_file_entries (OwSync     *self,
                   GPtrArray  *entries,
                   GError    **error)
{
  for (guint i = 0; i < entries->len; i++)
    {
      OwOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->body_file == NULL)
        continue;
      g_free (entry->content_type);
      entry->content_type = ow_store_get_file_type (self->store, entry->body_file, error);
      if (entry->content_type == NULL)
        return FALSE;
    }
  return TRUE;
}

/* One entry per page @materials (OwCaseMaterial) name, each once, keyed by the case. */
static void
add_file_entries (GPtrArray  *entries,
                  const char *case_no,
                  GPtrArray  *materials)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; materials != NULL && i < materials->len; i++)
    {
      OwCaseMaterial *material = g_ptr_array_index (materials, i);

      for (guint j = 0; material->files != NULL && j < material->files->len; j++)
        {
          const char *sha256 = g_ptr_array_index (material->files, j);

          if (g_hash_table_add (seen, (gpointer) sha256))
            g_ptr_array_add (entries, file_entry_new (case_no, sha256));
        }
    }
}

static gboolean
write_case (OwSync  *self,
            Submit  *submit,
            GError **error)
{
  if (!type_file_entries (self, submit->entries, error))
    return FALSE;
  return ow_store_save_case_from_draft (self->store, submit->kase, submit->entries,
                                        submit->draft_key, submit->user, error);
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
  gboolean ok;

  /* Changes that read the stored record before writing it back (an event moves the state it
   * finds) must not interleave: two quick steps on one ticket would both start from the old
   * state. */
  g_mutex_lock (&self->submit_lock);
  ok = submit->write (self, submit, &error);
  g_mutex_unlock (&self->submit_lock);
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The count is read here, after the commit, so that "pending" includes this change as soon as
   * the caller hears it is saved. A failure to count is not a failure to save. */
  submit->pending = ow_store_outbox_count (self->store, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
change_saved_cb (GObject      *source,
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
  g_signal_emit (self, signals[OUTBOX_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
  drain (self);
}

/* Runs @task's Submit in a worker; change_saved_cb completes @task. Once the save has started it
 * runs to its end, so that a cancelled caller is never unsure whether the change was kept. */
static void
start_submit (OwSync *self,
              GTask  *task)
{
  g_autoptr(GTask) worker = NULL;

  worker = g_task_new (self, NULL, change_saved_cb, task);
  g_task_set_source_tag (worker, submit_thread);
  g_task_set_task_data (worker, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (worker, submit_thread);
}

static OwOutboxEntry *
json_entry_new (const char *kind,
                const char *key,
                const char *method,
                const char *path,
                JsonNode   *node)
{
  OwOutboxEntry *entry = g_new0 (OwOutboxEntry, 1);
  char *text = json_to_string (node, FALSE);

  entry->kind = g_strdup (kind);
  entry->key = g_strdup (key);
  entry->method = g_strdup (method);
  entry->path = g_strdup (path);
  entry->content_type = g_strdup ("application/json");
  entry->body = g_bytes_new_take (text, strlen (text));
  return entry;
}

void
ow_sync_submit_case_async (OwSync              *self,
                           OwCase              *kase,
                           const char          *user,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (OW_IS_SYNC (self));
  g_return_if_fail (OW_IS_CASE (kase));

  ow_sync_submit_case_from_draft_async (self, kase, NULL, user, cancellable, callback,
                                        user_data);
}

void
ow_sync_submit_case_from_draft_async (OwSync              *self,
                                      OwCase              *kase,
                                      const char          *draft_key,
                                      const char          *user,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  const char *case_no;
  Submit *submit;

  g_return_if_fail (OW_IS_SYNC (self));
  g_return_if_fail (OW_IS_CASE (kase));

  task = g_task_new (self, cancellable, callback, user_data);
  /* Both ways in end in ow_sync_submit_case_finish(). */
  g_task_set_source_tag (task, ow_sync_submit_case_async);
  g_task_set_check_cancellable (task, FALSE);

  case_no = ow_case_get_case_no (kase);
  submit = g_new0 (Submit, 1);
  submit->write = write_case;
  submit->kase = g_object_ref (kase);
  submit->draft_key = g_strdup (draft_key);
  submit->user = g_strdup (user);
  submit->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_outbox_entry_free);

  /* Files before the case, in the same transaction: the platform refuses a case naming a file
   * it does not hold, and the outbox is sent in order. A page named twice goes once. */
  add_file_entries (submit->entries, case_no, ow_case_get_materials (kase));

  /* Encoded here, on the caller's thread; compact, as it goes on the wire. */
  node = ow_json_from_case (kase);
  escaped = g_uri_escape_string (case_no, NULL, FALSE);
  path = g_strconcat ("/api/v1/cases/", escaped, NULL);
  g_ptr_array_add (submit->entries, json_entry_new ("case", case_no, "PUT", path, node));
  g_task_set_task_data (task, submit, (GDestroyNotify) submit_free);

  start_submit (self, g_steal_pointer (&task));
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

/* ---- submitting tickets and events ------------------------------------------------------ */

static gboolean
write_ticket (OwSync  *self,
              Submit  *submit,
              GError **error)
{
  return ow_store_save_ticket (self->store, submit->ticket, submit->entries, submit->user, error);
}

/* Moves the stored ticket on by the event, as the platform will, and keeps both with the POST. */
static gboolean
write_ticket_event (OwSync  *self,
                    Submit  *submit,
                    GError **error)
{
  g_autoptr(OwTicket) ticket = ow_store_load_ticket (self->store, submit->key, error);

  if (ticket == NULL || !ow_ticket_apply_event (ticket, submit->ticket_event, error))
    return FALSE;
  return ow_store_save_ticket_event (self->store, ticket, submit->ticket_event, submit->entries,
                                     submit->user, error);
}

/* What the audit log says of a step besides who and when: to whom a result went, and how. */
static char *
describe_for_audit (const OwJsonCaseEvent *event)
{
  if (event->kind == OW_CASE_EVENT_HANDED_OVER && event->collector != NULL)
    {
      /* The log is kept on the counter PC: an ID is as masked as on the applicant's copy. */
      g_autofree char *masked = ow_mask_id (NULL, event->collector->id_number);

      return g_strdup_printf ("%s %s %s", ow_collector_kind_to_string (event->collector->kind),
                              event->collector->name, masked != NULL ? masked : "");
    }
  if (event->kind == OW_CASE_EVENT_MAILED)
    return g_strdup_printf ("%s %s", event->carrier != NULL ? event->carrier : "-",
                            event->waybill != NULL ? event->waybill : "");
  return NULL;
}

/* Moves the stored case on by the event and amends it as the platform will (the promised date,
 * the document number, the arrived lines: ow_json_case_event_amend()), so that the feed's copy
 * later brings back what the counter already shows; the event goes into the case's timeline.
 * A collector must be the case's (ow_collector_check_case()), as the platform checks too. */
static gboolean
write_case_event (OwSync  *self,
                  Submit  *submit,
                  GError **error)
{
  g_autoptr(OwCase) kase = ow_store_load_case (self->store, submit->key, error);
  const OwJsonCaseEvent *event = submit->case_event;
  g_autoptr(OwStoreCaseEvent) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *note = NULL;

  if (kase == NULL
      || (event->collector != NULL
          && !ow_collector_check_case (event->collector, kase, NULL, error))
      || !ow_case_apply_event (kase, event->kind, error)
      || !ow_json_case_event_amend (event, kase, NULL, error)
      || !type_file_entries (self, submit->entries, error))
    return FALSE;
  /* An amended case must still hold together, as the platform checks too. */
  if (g_date_valid (&event->promised_date) || event->document_no != NULL
      || (event->materials != NULL && event->materials->len > 0))
    {
      GDate today;

      ow_hall_today (&today);
      if (!ow_case_validate (kase, &today, NULL, error))
        return FALSE;
    }
  node = ow_json_from_case_event (event);
  body = ow_json_to_canonical (node);
  record = ow_store_case_event_new (event->id, submit->key, event->kind, event->at, body);
  record->carrier = g_strdup (event->carrier);
  record->waybill = g_strdup (event->waybill);
  note = describe_for_audit (event);
  return ow_store_save_case_event (self->store, kase, record, submit->entries, submit->user,
                                   note, error);
}

static GTask *
submit_task_new (OwSync              *self,
                 gpointer             source_tag,
                 SubmitWrite          write,
                 const char          *key,
                 const char          *user,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Submit *submit = g_new0 (Submit, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  submit->write = write;
  submit->key = g_strdup (key);
  submit->user = g_strdup (user);
  submit->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_outbox_entry_free);
  g_task_set_task_data (task, submit, (GDestroyNotify) submit_free);
  return task;
}

static char *
ticket_path (const char *id,
             const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat ("/api/v1/tickets/", escaped, suffix, NULL);
}

void
ow_sync_submit_ticket_async (OwSync              *self,
                             const OwTicket      *ticket,
                             const char          *user,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  Submit *submit;

  g_return_if_fail (OW_IS_SYNC (self));
  g_return_if_fail (ticket != NULL && ticket->id != NULL && ticket->registered_at != NULL);

  task = submit_task_new (self, ow_sync_submit_ticket_async, write_ticket, ticket->id, user,
                          cancellable, callback, user_data);
  submit = g_task_get_task_data (task);
  submit->ticket = ow_ticket_copy (ticket);
  node = ow_json_from_ticket_request (ticket);
  path = ticket_path (ticket->id, NULL);
  g_ptr_array_add (submit->entries, json_entry_new ("ticket", ticket->id, "PUT", path, node));
  start_submit (self, g_steal_pointer (&task));
}

gboolean
ow_sync_submit_ticket_finish (OwSync        *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_sync_submit_ticket_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ow_sync_submit_ticket_event_async (OwSync              *self,
                                   const char          *ticket_id,
                                   const OwTicketEvent *event,
                                   const char          *user,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Submit *submit;

  g_return_if_fail (OW_IS_SYNC (self));
  g_return_if_fail (ticket_id != NULL);
  g_return_if_fail (event != NULL && event->id != NULL && event->at != NULL);

  task = submit_task_new (self, ow_sync_submit_ticket_event_async, write_ticket_event, ticket_id,
                          user, cancellable, callback, user_data);
  /* What the platform would refuse anyway is refused before it is kept. */
  if (!ow_ticket_event_validate (event, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  submit = g_task_get_task_data (task);
  submit->ticket_event = ow_ticket_event_copy (event);
  node = ow_json_from_ticket_event (event);
  path = ticket_path (ticket_id, "/events");
  /* Keyed by the ticket: an event waits behind its ticket, and a refused ticket holds back its
   * events instead of letting them fail one by one. */
  g_ptr_array_add (submit->entries,
                   json_entry_new ("ticket-event", ticket_id, "POST", path, node));
  start_submit (self, g_steal_pointer (&task));
}

gboolean
ow_sync_submit_ticket_event_finish (OwSync        *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ow_sync_submit_ticket_event_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ow_sync_submit_case_event_async (OwSync                *self,
                                 const char            *case_no,
                                 const OwJsonCaseEvent *event,
                                 const char            *user,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Submit *submit;

  g_return_if_fail (OW_IS_SYNC (self));
  g_return_if_fail (case_no != NULL);
  g_return_if_fail (event != NULL && event->id != NULL && event->at != NULL);

  task = submit_task_new (self, ow_sync_submit_case_event_async, write_case_event, case_no, user,
                          cancellable, callback, user_data);
  /* What the platform would refuse whatever the case is refused before it is kept. */
  if (!ow_json_case_event_validate (event, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  submit = g_task_get_task_data (task);
  submit->case_event = ow_json_case_event_copy (event);
  /* The pages of arrived lines go first, as for a case: the platform refuses an event naming a
   * page it does not hold. */
  add_file_entries (submit->entries, case_no, event->materials);
  /* And the authorisation letter an agent brought, before the hand-over that names it. */
  for (guint i = 0; event->collector != NULL && event->collector->letter_files != NULL
                    && i < event->collector->letter_files->len; i++)
    g_ptr_array_add (submit->entries,
                     file_entry_new (case_no, g_ptr_array_index (event->collector->letter_files,
                                                                 i)));
  node = ow_json_from_case_event (event);
  escaped = g_uri_escape_string (case_no, NULL, FALSE);
  path = g_strconcat ("/api/v1/cases/", escaped, "/events", NULL);
  g_ptr_array_add (submit->entries, json_entry_new ("event", case_no, "POST", path, node));
  start_submit (self, g_steal_pointer (&task));
}

gboolean
ow_sync_submit_case_event_finish (OwSync        *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ow_sync_submit_case_event_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- submitting a rating ---------------------------------------------------------------- */

/* The rating and, for a poor one, its follow-up, to call back the applicant of the stored case;
 * both entries are keyed by the rating, so that the ticket, which names the rating, never goes
 * first or alone. */
static gboolean
write_rating (OwSync  *self,
              Submit  *submit,
              GError **error)
{
  g_autoptr(OwTicket) ticket = NULL;

  if (ow_rating_level_is_poor (submit->rating->level))
    {
      g_autoptr(OwCase) kase = ow_store_load_case (self->store, submit->rating->case_no, NULL);
      const OwApplicant *applicant = kase != NULL ? ow_case_get_applicant (kase) : NULL;
      const char *name = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *path = NULL;

      if (applicant != NULL)
        name = applicant->contact_name != NULL && *applicant->contact_name != '\0'
                 ? applicant->contact_name : applicant->name;
      ticket = ow_rating_follow_up (submit->rating, name,
                                    applicant != NULL ? applicant->phone : NULL);
      node = ow_json_from_ticket_request (ticket);
      path = ticket_path (ticket->id, NULL);
      g_ptr_array_add (submit->entries,
                       json_entry_new ("ticket", submit->rating->id, "PUT", path, node));
      g_free (submit->follow_up);
      submit->follow_up = g_strdup (ticket->id);
    }
  return ow_store_save_rating (self->store, submit->rating, ticket, submit->entries,
                               submit->user, error);
}

void
ow_sync_submit_rating_async (OwSync              *self,
                             const OwRating      *rating,
                             const char          *user,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Submit *submit;

  g_return_if_fail (OW_IS_SYNC (self));
  g_return_if_fail (rating != NULL);

  task = submit_task_new (self, ow_sync_submit_rating_async, write_rating, rating->id, user,
                          cancellable, callback, user_data);
  if (!ow_rating_validate (rating, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  submit = g_task_get_task_data (task);
  submit->rating = ow_rating_copy (rating);
  node = ow_json_from_rating (rating);
  escaped = g_uri_escape_string (rating->id, NULL, FALSE);
  path = g_strconcat ("/api/v1/ratings/", escaped, NULL);
  g_ptr_array_add (submit->entries, json_entry_new ("rating", rating->id, "PUT", path, node));
  start_submit (self, g_steal_pointer (&task));
}

gboolean
ow_sync_submit_rating_finish (OwSync        *self,
                              GAsyncResult  *result,
                              char         **follow_up,
                              GError       **error)
{
  Submit *submit;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_sync_submit_rating_async,
                        FALSE);

  if (follow_up != NULL)
    *follow_up = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  submit = g_task_get_task_data (G_TASK (result));
  if (follow_up != NULL)
    *follow_up = g_strdup (submit->follow_up);
  return TRUE;
}

/* ---- reviving a refused entry ----------------------------------------------------------- */

static void
revive_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OwSync *self = source_object;
  gint64 *id = task_data;
  GError *error = NULL;

  if (ow_store_outbox_revive (self->store, *id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
revived_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OwSync *self = OW_SYNC (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Already sent or gone: nothing to revive, and nothing the clerk must do. */
      if (!g_error_matches (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND))
        set_last_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[OUTBOX_CHANGED], 0);
  ow_sync_kick (self);
}

void
ow_sync_retry_entry (OwSync *self,
                     gint64  id)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_SYNC (self));

  task = g_task_new (self, NULL, revived_cb, NULL);
  g_task_set_source_tag (task, ow_sync_retry_entry);
  g_task_set_task_data (task, g_memdup2 (&id, sizeof id), g_free);
  g_task_run_in_thread (task, revive_thread);
}

/* ---- the changes feed: poll → fetch the cases → save them and the cursor → poll … ------- */

#define PULL_TIMEOUT_SECONDS 25
#define CURSOR_KEY           "changes-cursor"

/* The serial of the last acknowledgement so far: read just before a copy is asked for, and
 * compared when it is saved. */
static guint64
current_ack_serial (OwSync *self)
{
  guint64 serial;

  g_mutex_lock (&self->ack_lock);
  serial = self->ack_serial;
  g_mutex_unlock (&self->ack_lock);
  return serial;
}

/* Whether the platform acknowledged a change of @key after a copy of it was asked for at
 * @asked_at: the copy may then predate that change. Called with ack_lock held. */
static gboolean
acked_since (OwSync     *self,
             const char *key,
             guint64     asked_at)
{
  const guint64 *serial = g_hash_table_lookup (self->acked, key);

  return serial != NULL && *serial > asked_at;
}

/* A fetched case, and when it was asked for. */
typedef struct
{
  OwCase  *kase;
  guint64  asked_at;
} PulledCase;

static void
pulled_case_free (PulledCase *pulled)
{
  g_clear_object (&pulled->kase);
  g_free (pulled);
}

/* A fetched ticket with its timeline (NULL when the timeline could not be read). */
typedef struct
{
  OwTicket  *ticket;
  GPtrArray *events;
  guint64    asked_at;
} PulledTicket;

static void
pulled_ticket_free (PulledTicket *pulled)
{
  g_clear_pointer (&pulled->ticket, ow_ticket_free);
  g_clear_pointer (&pulled->events, g_ptr_array_unref);
  g_free (pulled);
}

/* One batch of the feed, fetched and saved in rounds: a copy found stale when it is saved is
 * fetched again in the next round, and the cursor is stored only after the last. */
typedef struct
{
  GPtrArray *case_nos;   /* to fetch in this round, in the feed's order, each once */
  guint      next;
  GPtrArray *cases;      /* fetched PulledCase */
  GPtrArray *ticket_ids; /* the same for tickets, fetched after the cases */
  guint      next_ticket;
  GPtrArray *tickets;    /* fetched PulledTicket */
  guint64    asking_at;  /* the serial read before the request in flight */
  char      *cursor;     /* to store once every copy is saved */
  guint      n_changes;
  gboolean   catalog;    /* the batch names a new catalog revision … */
  gboolean   calendar;   /* … or calendar */
  GPtrArray *applied;          /* case numbers saved, over all rounds */
  GPtrArray *applied_tickets;  /* ticket ids saved, over all rounds */
  GPtrArray *stale_cases;      /* filled by the worker: to fetch again */
  GPtrArray *stale_tickets;
} Pull;

static Pull *
pull_new (void)
{
  Pull *data = g_new0 (Pull, 1);

  data->case_nos = g_ptr_array_new_with_free_func (g_free);
  data->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) pulled_case_free);
  data->ticket_ids = g_ptr_array_new_with_free_func (g_free);
  data->tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) pulled_ticket_free);
  data->applied = g_ptr_array_new_with_free_func (g_free);
  data->applied_tickets = g_ptr_array_new_with_free_func (g_free);
  data->stale_cases = g_ptr_array_new_with_free_func (g_free);
  data->stale_tickets = g_ptr_array_new_with_free_func (g_free);
  return data;
}

static void
pull_free (Pull *data)
{
  g_clear_pointer (&data->case_nos, g_ptr_array_unref);
  g_clear_pointer (&data->cases, g_ptr_array_unref);
  g_clear_pointer (&data->ticket_ids, g_ptr_array_unref);
  g_clear_pointer (&data->tickets, g_ptr_array_unref);
  g_free (data->cursor);
  g_clear_pointer (&data->applied, g_ptr_array_unref);
  g_clear_pointer (&data->applied_tickets, g_ptr_array_unref);
  g_clear_pointer (&data->stale_cases, g_ptr_array_unref);
  g_clear_pointer (&data->stale_tickets, g_ptr_array_unref);
  g_free (data);
}

/* The next round of @data's batch: only the stale copies, to fetch again; the rest carries
 * over. Empties @data. */
static Pull *
pull_next_round (Pull *data)
{
  Pull *next = pull_new ();

  g_ptr_array_unref (next->case_nos);
  next->case_nos = g_steal_pointer (&data->stale_cases);
  g_ptr_array_unref (next->ticket_ids);
  next->ticket_ids = g_steal_pointer (&data->stale_tickets);
  g_ptr_array_unref (next->applied);
  next->applied = g_steal_pointer (&data->applied);
  g_ptr_array_unref (next->applied_tickets);
  next->applied_tickets = g_steal_pointer (&data->applied_tickets);
  next->cursor = g_steal_pointer (&data->cursor);
  next->n_changes = data->n_changes;
  next->catalog = data->catalog;
  next->calendar = data->calendar;
  data->stale_cases = g_ptr_array_new_with_free_func (g_free);
  data->stale_tickets = g_ptr_array_new_with_free_func (g_free);
  return next;
}

static GStrv
strv_from_array (GPtrArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (array, i));
  return g_strv_builder_end (builder);
}

static gboolean
pull_retry_cb (gpointer user_data)
{
  OwSync *self = user_data;

  self->pull_retry_id = 0;
  pull (self);
  return G_SOURCE_REMOVE;
}

/* The poll failed: try again after a back-off, or after a new log-in. */
static void
pull_failed (OwSync       *self,
             const GError *error)
{
  gint64 delay;

  self->pulling = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped and started again before the cancelled poll came back: poll anew. */
      if (self->running)
        pull (self);
      return;
    }
  if (!self->running)
    return;
  g_debug ("changes feed: %s", error->message);
  if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED))
    {
      self->pull_paused = TRUE;   /* token_changed_cb resumes */
      return;
    }
  /* A platform without the feed (404) is asked again rarely, not every second. */
  if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND))
    delay = BACKOFF_MAX_USEC;
  else
    delay = MAX (backoff_delay (self->pull_failures++),
                 (gint64) ow_platform_error_get_retry_after (error) * G_USEC_PER_SEC);
  g_clear_handle_id (&self->pull_retry_id, g_source_remove);
  self->pull_retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (delay / 1000),
                                            pull_retry_cb, self, NULL);
}

/* Saves the copies of this round, each under ack_lock: one asked for before the platform
 * acknowledged a change of the same key is not saved but fetched again (the store itself
 * leaves alone what has a change still waiting). The cursor follows once nothing is stale. */
static void
pull_apply_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  OwSync *self = source_object;
  Pull *data = task_data;
  GError *error = NULL;

  for (guint i = 0; i < data->cases->len; i++)
    {
      PulledCase *pulled = g_ptr_array_index (data->cases, i);
      const char *case_no = ow_case_get_case_no (pulled->kase);
      gboolean saved = FALSE;
      gboolean ok = TRUE;
      gboolean stale;

      g_mutex_lock (&self->ack_lock);
      stale = acked_since (self, case_no, pulled->asked_at);
      if (!stale)
        ok = ow_store_save_remote_case (self->store, pulled->kase, &saved, &error);
      g_mutex_unlock (&self->ack_lock);
      if (!ok)
        {
          g_task_return_error (task, error);
          return;
        }
      if (stale)
        g_ptr_array_add (data->stale_cases, g_strdup (case_no));
      else if (saved)
        g_ptr_array_add (data->applied, g_strdup (case_no));
    }
  for (guint i = 0; i < data->tickets->len; i++)
    {
      PulledTicket *pulled = g_ptr_array_index (data->tickets, i);
      gboolean saved = FALSE;
      gboolean ok = TRUE;
      gboolean stale;

      g_mutex_lock (&self->ack_lock);
      stale = acked_since (self, pulled->ticket->id, pulled->asked_at);
      if (!stale)
        ok = ow_store_save_remote_ticket (self->store, pulled->ticket, pulled->events, &saved,
                                          &error);
      g_mutex_unlock (&self->ack_lock);
      if (!ok)
        {
          g_task_return_error (task, error);
          return;
        }
      if (stale)
        g_ptr_array_add (data->stale_tickets, g_strdup (pulled->ticket->id));
      else if (saved && !g_ptr_array_find_with_equal_func (data->applied_tickets,
                                                           pulled->ticket->id, g_str_equal, NULL))
        g_ptr_array_add (data->applied_tickets, g_strdup (pulled->ticket->id));
    }
  if (data->stale_cases->len > 0 || data->stale_tickets->len > 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Only now: a crash before this line means the same changes are applied again, which
   * changes nothing; after it, nothing is skipped. */
  if (!ow_store_set_meta (self->store, CURSOR_KEY, data->cursor, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void fetch_next_case (OwSync *self,
                             GTask  *task);

static void
pull_applied_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OwSync *self = OW_SYNC (source);
  Pull *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) applied = NULL;
  g_auto(GStrv) applied_tickets = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("Could not save the platform's changes: %s", error->message);
      pull_failed (self, error);
      return;
    }
  if (data->stale_cases->len > 0 || data->stale_tickets->len > 0)
    {
      GTask *task = g_task_new (self, NULL, pull_applied_cb, NULL);

      g_debug ("changes feed: %u case(s) and %u ticket(s) were fetched before a change of "
               "theirs was acknowledged; fetching them again", data->stale_cases->len,
               data->stale_tickets->len);
      g_task_set_source_tag (task, pull);
      g_task_set_task_data (task, pull_next_round (data), (GDestroyNotify) pull_free);
      fetch_next_case (self, task);
      return;
    }
  g_free (self->cursor);
  self->cursor = g_strdup (data->cursor);
  self->pull_failures = 0;
  self->pulling = FALSE;
  set_last_received (self, g_get_real_time ());
  applied = strv_from_array (data->applied);
  applied_tickets = strv_from_array (data->applied_tickets);
  if (data->n_changes > 0)
    g_signal_emit (self, signals[CHANGES_APPLIED], 0, applied);
  if (data->catalog || data->calendar)
    {
      const char *kinds[3] = { NULL };
      guint n = 0;

      if (data->catalog)
        kinds[n++] = "catalog";
      if (data->calendar)
        kinds[n++] = "calendar";
      g_signal_emit (self, signals[PUBLISHED], 0, kinds);
    }
  if (applied_tickets[0] != NULL)
    g_signal_emit (self, signals[TICKETS_APPLIED], 0, applied_tickets);
  pull (self);
}

/* Gone, not ours to see, or unreadable: asking again would not change the answer, and one such
 * record must not hold back every later change. */
static gboolean
is_skippable (const GError *error)
{
  return g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND)
         || g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_FORBIDDEN)
         || g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_MALFORMED);
}

static void
ticket_events_fetched_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwSync *self = g_task_get_source_object (task);
  Pull *data = g_task_get_task_data (task);
  PulledTicket *pulled = g_ptr_array_index (data->tickets, data->tickets->len - 1);
  g_autoptr(GError) error = NULL;

  pulled->events = ow_client_get_ticket_events_finish (OW_CLIENT (source), result, &error);
  if (pulled->events == NULL && !is_skippable (error))
    {
      pull_failed (self, error);
      return;
    }
  /* Without a readable timeline the ticket itself is still worth keeping. */
  fetch_next_case (self, g_steal_pointer (&task));
}

static void
ticket_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwSync *self = g_task_get_source_object (task);
  Pull *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  OwTicket *ticket;

  ticket = ow_client_get_ticket_finish (OW_CLIENT (source), result, &error);
  if (ticket != NULL)
    {
      PulledTicket *pulled = g_new0 (PulledTicket, 1);

      pulled->ticket = ticket;
      pulled->asked_at = data->asking_at;
      g_ptr_array_add (data->tickets, pulled);
      if (!self->running)
        {
          fetch_next_case (self, g_steal_pointer (&task));
          return;
        }
      ow_client_get_ticket_events_async (self->client, ticket->id, self->pull_cancellable,
                                         ticket_events_fetched_cb, g_steal_pointer (&task));
      return;
    }
  if (!is_skippable (error))
    {
      pull_failed (self, error);
      return;
    }
  g_debug ("changes feed: skipping ticket %s: %s",
           (const char *) g_ptr_array_index (data->ticket_ids, data->next_ticket - 1),
           error->message);
  fetch_next_case (self, g_steal_pointer (&task));
}

static void
case_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwSync *self = g_task_get_source_object (task);
  Pull *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  OwCase *kase;

  kase = ow_client_get_case_finish (OW_CLIENT (source), result, &error);
  if (kase != NULL)
    {
      PulledCase *pulled = g_new0 (PulledCase, 1);

      pulled->kase = kase;
      pulled->asked_at = data->asking_at;
      g_ptr_array_add (data->cases, pulled);
    }
  else if (is_skippable (error))
    g_debug ("changes feed: skipping case %s: %s",
             (const char *) g_ptr_array_index (data->case_nos, data->next - 1), error->message);
  else
    {
      /* Without the cursor stored the same changes come again after the back-off. */
      pull_failed (self, error);
      return;
    }
  fetch_next_case (self, g_steal_pointer (&task));
}

static void
fetch_next_case (OwSync *self,
                 GTask  *task)
{
  Pull *data = g_task_get_task_data (task);

  if (!self->running)
    {
      self->pulling = FALSE;
      g_object_unref (task);
      return;
    }
  if (data->next < data->case_nos->len)
    {
      const char *case_no = g_ptr_array_index (data->case_nos, data->next++);

      /* Read before asking: an acknowledgement after this may not be in the answer. */
      data->asking_at = current_ack_serial (self);
      ow_client_get_case_async (self->client, case_no, self->pull_cancellable, case_fetched_cb,
                                task);
      return;
    }
  if (data->next_ticket < data->ticket_ids->len)
    {
      const char *id = g_ptr_array_index (data->ticket_ids, data->next_ticket++);

      data->asking_at = current_ack_serial (self);
      ow_client_get_ticket_async (self->client, id, self->pull_cancellable, ticket_fetched_cb,
                                  task);
      return;
    }
  g_task_run_in_thread (task, pull_apply_thread);
  g_object_unref (task);
}

static void
changes_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OwSync) self = user_data;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  GTask *task;
  Pull *data;

  changes = ow_client_get_changes_finish (OW_CLIENT (source), result, &cursor, &error);
  if (changes == NULL)
    {
      pull_failed (self, error);
      return;
    }
  if (!self->running)
    {
      self->pulling = FALSE;
      return;
    }
  if (changes->len == 0 && g_strcmp0 (cursor, self->cursor) == 0)
    {
      /* The long poll ran out with nothing new: nothing to store. Ask again, but not in a
       * tight loop should a platform answer at once instead of waiting. */
      self->pulling = FALSE;
      self->pull_failures = 0;
      set_last_received (self, g_get_real_time ());
      g_clear_handle_id (&self->pull_retry_id, g_source_remove);
      self->pull_retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 1000, pull_retry_cb, self,
                                                NULL);
      return;
    }

  /* What was acknowledged before this batch is in every copy it fetches: only later
   * acknowledgements matter from here on (one batch runs at a time). */
  g_mutex_lock (&self->ack_lock);
  g_hash_table_remove_all (self->acked);
  g_mutex_unlock (&self->ack_lock);

  data = pull_new ();
  data->cursor = g_steal_pointer (&cursor);
  data->n_changes = changes->len;
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < changes->len; i++)
    {
      OwChange *change = g_ptr_array_index (changes, i);

      /* Cases and tickets are kept here; catalog and calendar revisions and ratings are for
       * whoever shows them: they hear of the batch through "changes-applied" and fetch what
       * they need. A ticket and its events are one change kind: the ticket is fetched whole,
       * with its timeline, once per batch. */
      if ((g_strcmp0 (change->kind, "case") == 0 || g_strcmp0 (change->kind, "case-event") == 0)
          && change->key != NULL && g_hash_table_add (seen, change->key))
        g_ptr_array_add (data->case_nos, g_strdup (change->key));
      else if (g_strcmp0 (change->kind, "catalog") == 0)
        data->catalog = TRUE;
      else if (g_strcmp0 (change->kind, "calendar") == 0)
        data->calendar = TRUE;
      else if (g_strcmp0 (change->kind, "ticket") == 0 && change->key != NULL
               && !g_ptr_array_find_with_equal_func (data->ticket_ids, change->key, g_str_equal,
                                                     NULL))
        g_ptr_array_add (data->ticket_ids, g_strdup (change->key));
    }

  task = g_task_new (self, NULL, pull_applied_cb, NULL);
  g_task_set_source_tag (task, pull);
  g_task_set_task_data (task, data, (GDestroyNotify) pull_free);
  fetch_next_case (self, task);
}

static void
cursor_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OwSync *self = OW_SYNC (source);
  g_autoptr(GError) error = NULL;
  char *cursor;

  cursor = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      g_warning ("Could not read the changes cursor: %s", error->message);
      pull_failed (self, error);
      return;
    }
  g_free (self->cursor);
  self->cursor = cursor;
  self->cursor_loaded = TRUE;
  self->pulling = FALSE;
  pull (self);
}

static void
load_cursor_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  OwSync *self = source_object;
  GError *error = NULL;
  char *cursor = ow_store_get_meta (self->store, CURSOR_KEY, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cursor, g_free);
}

static void
pull (OwSync *self)
{
  if (!self->running || self->pulling || self->pull_paused)
    return;
  self->pulling = TRUE;
  g_clear_handle_id (&self->pull_retry_id, g_source_remove);

  if (!self->cursor_loaded)
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, cursor_loaded_cb, NULL);

      g_task_set_source_tag (task, load_cursor_thread);
      g_task_run_in_thread (task, load_cursor_thread);
      return;
    }
  ow_client_get_changes_async (self->client, self->cursor, PULL_TIMEOUT_SECONDS,
                               self->pull_cancellable, changes_cb, g_object_ref (self));
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
