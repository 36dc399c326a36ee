/* ow-platform-pool.h — database handles in worker threads, for work that must not block the loop
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pool opens @size handles on the platform's database (ow_platform_db_open on the same
 * path or URI: one PGconn, or one SQLite connection in WAL, each) and gives each to a thread of
 * its own. Jobs wait in one queue, oldest first; a worker takes the next and runs it with its
 * handle, which ow_platform_pool_thread_db() returns for the job's duration, so a job (an
 * advisory lock claimed and freed, a transaction) stays on one handle from start to end. A
 * request's job that waited longer than the pool's limit, or that finds the limit of requests
 * already waiting, is not run: its done callback runs instead with @ran FALSE, so that the
 * request can be answered 503. The platform's own background jobs (the feed's look for long
 * polls, escalation, the demo back office: one of each at a time) wait their turn in the same
 * queue but are neither counted against that limit nor dropped for waiting. Done callbacks run
 * on the main context the pool was made on.
 */
#pragma once

#include "platform/ow-platform-db.h"

G_BEGIN_DECLS

typedef struct _OwPlatformPool OwPlatformPool;

/* Runs in a worker with the thread's handle. */
typedef void (*OwPlatformPoolFunc) (OwPlatformDb *db,
                                    gpointer      data);
/* Runs on the main context: after the job ran (@ran TRUE), or instead of it (FALSE: it waited
 * too long, the queue was full, or the pool was stopped). */
typedef void (*OwPlatformPoolDone) (gpointer      data,
                                    gboolean      ran);

OwPlatformPool *ow_platform_pool_new        (const char          *target,
                                             guint                size,
                                             guint                max_wait_ms,
                                             guint                max_queued,
                                             GError             **error);
/* Stops taking jobs, runs the done callbacks of those waiting with @ran FALSE, waits for the
 * workers to finish theirs, closes the handles. */
void            ow_platform_pool_free       (OwPlatformPool      *pool);
typedef enum
{
  OW_PLATFORM_POOL_REQUEST,     /* refused when the queue is full, dropped when it waited long */
  OW_PLATFORM_POOL_BACKGROUND,  /* always run, in its turn */
} OwPlatformPoolKind;

void            ow_platform_pool_push       (OwPlatformPool      *pool,
                                             OwPlatformPoolKind   kind,
                                             OwPlatformPoolFunc   func,
                                             OwPlatformPoolDone   done,
                                             gpointer             data);
/* Runs on the main context after the done callback of a job that called
 * ow_platform_pool_mark_changed(). */
void            ow_platform_pool_set_changed_func (OwPlatformPool *pool,
                                                   void          (*func) (gpointer),
                                                   gpointer        data);
/* On a worker: the job under way changed the database (committed a change); the pool's
 * changed func runs once its done callback has run, so that a request's own answer goes out
 * before anything its change wakes. FALSE, doing nothing, on any other thread. */
gboolean        ow_platform_pool_mark_changed (void);
/* The handle of the pool's worker running on this thread; NULL on any other thread. */
OwPlatformDb   *ow_platform_pool_thread_db  (void);
guint           ow_platform_pool_get_size   (OwPlatformPool      *pool);
/* Seconds a client should wait before it sends a refused request again. */
guint           ow_platform_pool_retry_after (OwPlatformPool     *pool);

G_END_DECLS
