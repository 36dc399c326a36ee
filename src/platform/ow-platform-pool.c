/* ow-platform-pool.c — database handles in worker threads, for work that must not block the loop
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See ow-platform-pool.h. One queue under one mutex; each worker thread owns one handle for its
 * whole life. Finished jobs go to a list that a GSource of the main context drains, woken only
 * when the list was empty, so that thousands of answers a second cost one wake-up each at most.
 * A timer on the main context takes the jobs that waited past the limit out of the queue and
 * hands them back unrun: a request waits for a handle at most that long, even when every
 * handle is busy with something slow (a query, a reconnection after the database went away).
 */

#include "config.h"

#include "platform/ow-platform-pool.h"

/* How often the queue is looked through for jobs that waited too long. */
#define REAP_INTERVAL_MS 50
/* A job running for less than this is expected to end soon: its worker takes the next one then,
 * instead of another worker being woken for it. Past it, the job may be a slow one (a lock, a
 * long query): whatever waits behind it goes to another worker. */
#define FRESH_JOB_US 2000

typedef struct
{
  OwPlatformPoolFunc func;
  OwPlatformPoolDone done;
  gpointer           data;
  gint64             queued_at;  /* monotonic µs */
  OwPlatformPoolKind kind;
  gboolean           ran;
  gboolean           changed;    /* ow_platform_pool_mark_changed() */
} Job;

typedef struct
{
  GSource         source;
  OwPlatformPool *pool;
} DoneSource;

struct _OwPlatformPool
{
  GMutex        lock;
  GCond         work;         /* signalled when a job is queued or the pool stops */
  GQueue        queue;        /* Job *, oldest first */
  guint         requests;     /* of them, OW_PLATFORM_POOL_REQUEST */
  GQueue        finished;     /* Job *, to hand back on the main context */
  gint          n_finished;   /* its length, read without the lock by the main loop */
  guint         waiting;      /* workers waiting for a job */
  guint         woken;        /* of them, signalled and not yet running */
  gboolean      stopping;
  GPtrArray    *threads;
  GPtrArray    *workers;      /* Worker *, owned by their threads */
  GPtrArray    *handles;
  GMainContext *context;
  GSource      *done_source;
  GSource      *reaper;
  void        (*changed_func) (gpointer);
  gpointer      changed_data;
  gint64        max_wait;     /* µs */
  guint         max_queued;
};

static GPrivate thread_db;
static GPrivate thread_job;

typedef struct
{
  OwPlatformPool *pool;
  OwPlatformDb   *db;
  gint64          started;   /* monotonic µs its job started; 0 between jobs (under the lock) */
} Worker;

/* Called with the lock held: whether to wake a waiting worker (g_cond_signal() once the lock is
 * released, so that it does not wake into a held lock): not while those that will soon be free
 * (woken ones, and those whose job started a moment ago) are enough for the queue. Waking a
 * thread costs the main loop a system call and the machine a switch; most jobs take
 * microseconds. */
static gboolean
wake_worker_locked (OwPlatformPool *pool,
                    gint64          now)
{
  guint soon = pool->woken;

  if (pool->waiting <= pool->woken)
    return FALSE;
  for (guint i = 0; i < pool->workers->len && soon < pool->queue.length; i++)
    {
      Worker *worker = g_ptr_array_index (pool->workers, i);

      if (worker->started != 0 && now - worker->started < FRESH_JOB_US)
        soon++;
    }
  if (pool->queue.length <= soon)
    return FALSE;
  pool->woken++;
  return TRUE;
}

/* Called with the lock held: whether the main loop must be woken (g_main_context_wakeup(), once
 * the lock is released) to hand it back. */
static gboolean
finish_locked (OwPlatformPool *pool,
               Job            *job)
{
  gboolean was_empty = g_queue_is_empty (&pool->finished);

  g_queue_push_tail (&pool->finished, job);
  g_atomic_int_inc (&pool->n_finished);
  return was_empty;
}

static gpointer
worker_main (gpointer user_data)
{
  Worker *worker = user_data;
  OwPlatformPool *pool = worker->pool;
  gboolean wake_main = FALSE;

  g_private_set (&thread_db, worker->db);
  g_mutex_lock (&pool->lock);
  for (;;)
    {
      Job *job;

      worker->started = 0;
      if (wake_main && (g_queue_is_empty (&pool->queue) || pool->stopping))
        {
          g_mutex_unlock (&pool->lock);
          g_main_context_wakeup (pool->context);
          wake_main = FALSE;
          g_mutex_lock (&pool->lock);
        }
      while (g_queue_is_empty (&pool->queue) && !pool->stopping)
        {
          pool->waiting++;
          g_cond_wait (&pool->work, &pool->lock);
          pool->waiting--;
          if (pool->woken > 0)
            pool->woken--;
        }
      if (pool->stopping)
        break;
      job = g_queue_pop_head (&pool->queue);
      if (job->kind == OW_PLATFORM_POOL_REQUEST)
        pool->requests--;
      worker->started = g_get_monotonic_time ();
      g_mutex_unlock (&pool->lock);
      if (wake_main)
        {
          g_main_context_wakeup (pool->context);
          wake_main = FALSE;
        }

      g_private_set (&thread_job, job);
      job->func (worker->db, job->data);
      g_private_set (&thread_job, NULL);
      ow_platform_db_idle (worker->db);
      job->ran = TRUE;

      g_mutex_lock (&pool->lock);
      wake_main = finish_locked (pool, job);
    }
  g_mutex_unlock (&pool->lock);
  if (wake_main)
    g_main_context_wakeup (pool->context);
  g_private_set (&thread_db, NULL);
  return NULL;
}

/* Takes the finished jobs (all of them) out of the list. */
static GQueue *
take_finished (OwPlatformPool *pool)
{
  GQueue *finished = g_queue_new ();

  g_mutex_lock (&pool->lock);
  while (!g_queue_is_empty (&pool->finished))
    g_queue_push_tail (finished, g_queue_pop_head (&pool->finished));
  g_atomic_int_set (&pool->n_finished, 0);
  g_mutex_unlock (&pool->lock);
  return finished;
}

static void
hand_back (OwPlatformPool *pool,
           GQueue         *finished)
{
  Job *job;

  while ((job = g_queue_pop_head (finished)) != NULL)
    {
      job->done (job->data, job->ran);
      if (job->changed && pool->changed_func != NULL)
        pool->changed_func (pool->changed_data);
      g_free (job);
    }
  g_queue_free (finished);
}

static gboolean
done_prepare (GSource *source,
              gint    *timeout)
{
  OwPlatformPool *pool = ((DoneSource *) source)->pool;

  *timeout = -1;
  /* At every turn of the main loop: not worth the workers' lock. A job finished just after this
   * look wakes the loop (finish_locked), which looks again. */
  return g_atomic_int_get (&pool->n_finished) > 0;
}

static gboolean
done_check (GSource *source)
{
  gint timeout;

  return done_prepare (source, &timeout);
}

static gboolean
done_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  OwPlatformPool *pool = ((DoneSource *) source)->pool;

  hand_back (pool, take_finished (pool));
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs done_funcs = {
  .prepare = done_prepare,
  .check = done_check,
  .dispatch = done_dispatch,
};

/* The requests that waited too long leave the queue unrun. The queue is in the order of
 * arrival: the look stops at the first job that has not waited too long. */
static gboolean
reap_cb (gpointer user_data)
{
  OwPlatformPool *pool = user_data;
  gint64 now = g_get_monotonic_time ();
  gboolean wake = FALSE;
  GList *link;

  g_mutex_lock (&pool->lock);
  /* A job that turned out slow holds up nothing queued behind it for long. */
  if (!g_queue_is_empty (&pool->queue))
    wake = wake_worker_locked (pool, now);
  link = pool->queue.head;
  while (link != NULL && now - ((Job *) link->data)->queued_at > pool->max_wait)
    {
      GList *next = link->next;
      Job *job = link->data;

      if (job->kind == OW_PLATFORM_POOL_REQUEST)
        {
          g_queue_delete_link (&pool->queue, link);
          pool->requests--;
          /* Handed back at this turn of the loop: no need to wake it. */
          finish_locked (pool, job);
        }
      link = next;
    }
  g_mutex_unlock (&pool->lock);
  if (wake)
    g_cond_signal (&pool->work);
  return G_SOURCE_CONTINUE;
}

OwPlatformPool *
ow_platform_pool_new (const char  *target,
                      guint        size,
                      guint        max_wait_ms,
                      guint        max_queued,
                      GError     **error)
{
  OwPlatformPool *pool;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  pool = g_new0 (OwPlatformPool, 1);
  g_mutex_init (&pool->lock);
  g_cond_init (&pool->work);
  g_queue_init (&pool->queue);
  g_queue_init (&pool->finished);
  pool->threads = g_ptr_array_new ();
  pool->workers = g_ptr_array_new_with_free_func (g_free);
  pool->handles = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_db_free);
  pool->context = g_main_context_ref_thread_default ();
  pool->max_wait = (gint64) max_wait_ms * 1000;
  pool->max_queued = max_queued;

  /* All opened before any thread starts: a database that cannot be reached fails the start. */
  for (guint i = 0; i < size; i++)
    {
      OwPlatformDb *db = ow_platform_db_open (target, OW_PLATFORM_DB_OPEN_EXISTING, error);

      if (db == NULL)
        {
          ow_platform_pool_free (pool);
          return NULL;
        }
      g_ptr_array_add (pool->handles, db);
    }
  for (guint i = 0; i < size; i++)
    {
      Worker *worker = g_new0 (Worker, 1);
      g_autofree char *name = g_strdup_printf ("ow-db-%u", i + 1);

      worker->pool = pool;
      worker->db = g_ptr_array_index (pool->handles, i);
      g_ptr_array_add (pool->workers, worker);
      g_ptr_array_add (pool->threads, g_thread_new (name, worker_main, worker));
    }

  pool->done_source = g_source_new (&done_funcs, sizeof (DoneSource));
  ((DoneSource *) pool->done_source)->pool = pool;
  g_source_set_name (pool->done_source, "ow-platform-pool answers");
  /* Before the long polls' timers and new requests: answers free memory and connections. */
  g_source_set_priority (pool->done_source, G_PRIORITY_HIGH);
  g_source_attach (pool->done_source, pool->context);
  pool->reaper = g_timeout_source_new (REAP_INTERVAL_MS);
  g_source_set_callback (pool->reaper, reap_cb, pool, NULL);
  g_source_attach (pool->reaper, pool->context);
  return pool;
}

void
ow_platform_pool_free (OwPlatformPool *pool)
{
  Job *job;

  if (pool == NULL)
    return;

  g_mutex_lock (&pool->lock);
  pool->stopping = TRUE;
  while ((job = g_queue_pop_head (&pool->queue)) != NULL)
    g_queue_push_tail (&pool->finished, job);
  pool->requests = 0;
  g_cond_broadcast (&pool->work);
  g_mutex_unlock (&pool->lock);

  /* The jobs under way run to their end. */
  for (guint i = 0; i < pool->threads->len; i++)
    g_thread_join (g_ptr_array_index (pool->threads, i));
  g_ptr_array_unref (pool->threads);
  g_ptr_array_unref (pool->workers);
  /* A callback may push again: refused at once, and handed back here too. */
  while (!g_queue_is_empty (&pool->finished))
    hand_back (pool, take_finished (pool));

  if (pool->done_source != NULL)
    {
      g_source_destroy (pool->done_source);
      g_source_unref (pool->done_source);
    }
  if (pool->reaper != NULL)
    {
      g_source_destroy (pool->reaper);
      g_source_unref (pool->reaper);
    }
  g_ptr_array_unref (pool->handles);
  g_main_context_unref (pool->context);
  g_cond_clear (&pool->work);
  g_mutex_clear (&pool->lock);
  g_free (pool);
}

void
ow_platform_pool_push (OwPlatformPool     *pool,
                       OwPlatformPoolKind  kind,
                       OwPlatformPoolFunc  func,
                       OwPlatformPoolDone  done,
                       gpointer            data)
{
  Job *job;
  gboolean wake = FALSE, wake_main = FALSE;

  g_return_if_fail (pool != NULL);
  g_return_if_fail (func != NULL && done != NULL);

  job = g_new0 (Job, 1);
  job->func = func;
  job->done = done;
  job->data = data;
  job->kind = kind;
  job->queued_at = g_get_monotonic_time ();

  g_mutex_lock (&pool->lock);
  if (pool->stopping ||
      (kind == OW_PLATFORM_POOL_REQUEST && pool->max_queued > 0 &&
       pool->requests >= pool->max_queued))
    {
      /* Unrun: answered as busy, from the main loop (which this may be). */
      wake_main = finish_locked (pool, job);
    }
  else
    {
      g_queue_push_tail (&pool->queue, job);
      if (kind == OW_PLATFORM_POOL_REQUEST)
        pool->requests++;
      wake = wake_worker_locked (pool, job->queued_at);
    }
  g_mutex_unlock (&pool->lock);
  if (wake)
    g_cond_signal (&pool->work);
  if (wake_main)
    g_main_context_wakeup (pool->context);
}

void
ow_platform_pool_set_changed_func (OwPlatformPool *pool,
                                   void          (*func) (gpointer),
                                   gpointer        data)
{
  g_return_if_fail (pool != NULL);
  pool->changed_func = func;
  pool->changed_data = data;
}

gboolean
ow_platform_pool_mark_changed (void)
{
  Job *job = g_private_get (&thread_job);

  if (job == NULL)
    return FALSE;
  job->changed = TRUE;
  return TRUE;
}

OwPlatformDb *
ow_platform_pool_thread_db (void)
{
  return g_private_get (&thread_db);
}

guint
ow_platform_pool_get_size (OwPlatformPool *pool)
{
  g_return_val_if_fail (pool != NULL, 0);
  return pool->handles->len;
}

guint
ow_platform_pool_retry_after (OwPlatformPool *pool)
{
  g_return_val_if_fail (pool != NULL, 1);
  /* Long enough for the queue to have moved on, short enough not to idle a counter. */
  return (guint) MAX (1, (pool->max_wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}
