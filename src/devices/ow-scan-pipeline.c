/* ow-scan-pipeline.c — scanned pages encoded as they arrive, in reused buffers
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/mman.h>

#include "ow-scan-page.h"
#include "ow-scan-pipeline.h"

/* Encoders: one per processor, two at most (a third would wait for the scanner anyway). */
#define MAX_ENCODERS 2

struct _OwScanPipeline
{
  gint                ref_count;    /* the caller's, and one per buffer wrapped as pixels */
  GMutex              lock;
  GCond               freed;
  GPtrArray          *free_buffers; /* GByteArray, empty, kept for the next pages */
  guint               n_buffers;    /* every buffer made, in use or free */
  guint               n_wrapped;    /* of them, those holding a page's pixels */
  guint               max_buffers;
  GThreadPool        *encoders;
  guint               pushed;
  guint               next_out;     /* the index of the page to hand on next */
  GHashTable         *ready;        /* index → encoded page waiting for its turn */
  GError             *error;
  gboolean            abandoned;
  gboolean            encode;
  OwScanPipelineFunc  func;
  gpointer            user_data;
};

typedef struct
{
  OwScanPipeline *pipeline;
  GByteArray     *buffer;
} Wrapped;

typedef struct
{
  OwScanPage *page;
  guint       index;
} Job;

/* ---- buffers kept from one batch to the next ----------------------------------------------- */

/* A long application goes through the feeder in several loads, one batch each, before its
 * material is stored: the free buffers of a batch that ended are kept for the next one, so that
 * it too reads into memory already mapped, until the pages are stored or KEEP_IDLE_S seconds
 * pass without a batch. As many as one batch uses at most. */
#define KEEP_IDLE_S 30

static GMutex kept_lock;
static guint keep_idle_s = KEEP_IDLE_S;
static GPtrArray *kept_buffers;    /* GByteArray, empty */
static gint64 kept_since;
static guint kept_timeout;

static gboolean
kept_idle_cb (gpointer user_data)
{
  g_mutex_lock (&kept_lock);
  kept_timeout = 0;
  if (kept_buffers != NULL && kept_buffers->len > 0
      && g_get_monotonic_time () - kept_since < (gint64) keep_idle_s * G_USEC_PER_SEC)
    kept_timeout = g_timeout_add_seconds (keep_idle_s, kept_idle_cb, NULL);
  else if (kept_buffers != NULL)
    g_ptr_array_set_size (kept_buffers, 0);
  g_mutex_unlock (&kept_lock);
  return G_SOURCE_REMOVE;
}

/* Moves what @buffers holds (up to the limit) to the kept ones, and frees the rest. */
static void
keep_buffers (GPtrArray *buffers,
              guint      limit)
{
  g_mutex_lock (&kept_lock);
  if (kept_buffers == NULL)
    kept_buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  while (buffers->len > 0 && kept_buffers->len < limit)
    g_ptr_array_add (kept_buffers, g_ptr_array_steal_index_fast (buffers, buffers->len - 1));
  if (kept_buffers->len > 0)
    {
      kept_since = g_get_monotonic_time ();
      if (kept_timeout == 0)
        kept_timeout = g_timeout_add_seconds (keep_idle_s, kept_idle_cb, NULL);
    }
  g_mutex_unlock (&kept_lock);
}

static GByteArray *
take_kept_buffer (void)
{
  GByteArray *buffer = NULL;

  g_mutex_lock (&kept_lock);
  if (kept_buffers != NULL && kept_buffers->len > 0)
    buffer = g_ptr_array_steal_index_fast (kept_buffers, kept_buffers->len - 1);
  g_mutex_unlock (&kept_lock);
  return buffer;
}

void
ow_scan_pipeline_release_kept (void)
{
  g_mutex_lock (&kept_lock);
  if (kept_buffers != NULL)
    g_ptr_array_set_size (kept_buffers, 0);
  g_mutex_unlock (&kept_lock);
}

void
ow_scan_pipeline_set_keep_seconds (guint seconds)
{
  g_mutex_lock (&kept_lock);
  keep_idle_s = seconds;
  g_mutex_unlock (&kept_lock);
}

guint
ow_scan_pipeline_get_n_kept (void)
{
  guint n;

  g_mutex_lock (&kept_lock);
  n = kept_buffers != NULL ? kept_buffers->len : 0;
  g_mutex_unlock (&kept_lock);
  return n;
}

/* ------------------------------------------------------------------------------------------ */

static void
pipeline_unref (OwScanPipeline *pipeline)
{
  if (!g_atomic_int_dec_and_test (&pipeline->ref_count))
    return;
  keep_buffers (pipeline->free_buffers, MAX_ENCODERS + 1);
  g_ptr_array_unref (pipeline->free_buffers);
  g_hash_table_unref (pipeline->ready);
  g_clear_error (&pipeline->error);
  g_mutex_clear (&pipeline->lock);
  g_cond_clear (&pipeline->freed);
  g_free (pipeline);
}

/* A 300 dpi colour page is 26 MB: in 4 KiB pages that is 6,400 page faults the first time it is
 * written. Transparent huge pages cut them to 13; reusing the buffer, to none. */
static void
advise_huge_pages (guint8 *data,
                   gsize   size)
{
#ifdef MADV_HUGEPAGE
  const guintptr huge = 2u << 20;
  guintptr start = ((guintptr) data + huge - 1) & ~(huge - 1);
  guintptr end = ((guintptr) data + size) & ~(huge - 1);

  if (end > start)
    madvise ((void *) start, end - start, MADV_HUGEPAGE);
#endif
}

GByteArray *
ow_scan_pipeline_take_buffer (OwScanPipeline *pipeline,
                              gsize           size)
{
  GByteArray *buffer = NULL;

  g_mutex_lock (&pipeline->lock);
  /* Waits only for a buffer a page holds, which its encoder will free: the frames of the page
   * being read (three for a three-pass scanner) are the caller's own. */
  while (pipeline->free_buffers->len == 0 && pipeline->n_buffers >= pipeline->max_buffers
         && pipeline->n_wrapped > 0)
    g_cond_wait (&pipeline->freed, &pipeline->lock);
  if (pipeline->free_buffers->len > 0)
    buffer = g_ptr_array_steal_index_fast (pipeline->free_buffers,
                                           pipeline->free_buffers->len - 1);
  else
    pipeline->n_buffers++;
  g_mutex_unlock (&pipeline->lock);

  if (buffer == NULL)
    buffer = take_kept_buffer ();
  if (buffer == NULL)
    {
      buffer = g_byte_array_sized_new (size);
      advise_huge_pages (buffer->data, size);
    }
  else if (size > 0)
    {
      /* Room for @size without the copy of a doubling, should a page be larger this time. */
      guint length = buffer->len;

      g_byte_array_set_size (buffer, size);
      g_byte_array_set_size (buffer, length);
    }
  g_byte_array_set_size (buffer, 0);
  return buffer;
}

void
ow_scan_pipeline_give_back (OwScanPipeline *pipeline,
                            GByteArray     *buffer)
{
  g_byte_array_set_size (buffer, 0);
  g_mutex_lock (&pipeline->lock);
  g_ptr_array_add (pipeline->free_buffers, buffer);
  g_cond_signal (&pipeline->freed);
  g_mutex_unlock (&pipeline->lock);
}

static void
wrapped_free (gpointer data)
{
  Wrapped *wrapped = data;

  g_mutex_lock (&wrapped->pipeline->lock);
  wrapped->pipeline->n_wrapped--;
  g_mutex_unlock (&wrapped->pipeline->lock);
  ow_scan_pipeline_give_back (wrapped->pipeline, wrapped->buffer);
  pipeline_unref (wrapped->pipeline);
  g_free (wrapped);
}

GBytes *
ow_scan_pipeline_wrap (OwScanPipeline *pipeline,
                       GByteArray     *buffer,
                       gsize           length)
{
  Wrapped *wrapped = g_new0 (Wrapped, 1);

  g_return_val_if_fail (length <= buffer->len, NULL);

  g_atomic_int_inc (&pipeline->ref_count);
  g_mutex_lock (&pipeline->lock);
  pipeline->n_wrapped++;
  g_mutex_unlock (&pipeline->lock);
  wrapped->pipeline = pipeline;
  wrapped->buffer = buffer;
  return g_bytes_new_with_free_func (buffer->data, length, wrapped_free, wrapped);
}

/* Hands on, in order, every encoded page whose turn has come. Called with the lock held; the
 * lock also keeps the calls of func one at a time. */
static void
hand_on_ready (OwScanPipeline *pipeline)
{
  OwScanPage *page;

  while ((page = g_hash_table_lookup (pipeline->ready, GUINT_TO_POINTER (pipeline->next_out)))
         != NULL || g_hash_table_contains (pipeline->ready, GUINT_TO_POINTER (pipeline->next_out)))
    {
      g_hash_table_steal (pipeline->ready, GUINT_TO_POINTER (pipeline->next_out));
      pipeline->next_out++;
      /* NULL: a page that failed or was skipped after a failure. */
      if (page != NULL)
        pipeline->func (page, pipeline->user_data);
    }
}

static void
encode_job (gpointer data,
            gpointer user_data)
{
  Job *job = data;
  OwScanPipeline *pipeline = user_data;
  OwScanPage *page = job->page;
  GError *error = NULL;
  gboolean failed;

  g_mutex_lock (&pipeline->lock);
  failed = pipeline->error != NULL || pipeline->abandoned;
  g_mutex_unlock (&pipeline->lock);

  if (!failed && pipeline->encode)
    {
      g_autoptr(GBytes) encoded = ow_scan_page_encode (page, NULL, &error);

      if (encoded != NULL)
        {
          page->encoded = g_steal_pointer (&encoded);
          /* The buffer goes back for the next page as soon as the encoded page is all there is. */
          g_clear_pointer (&page->pixels, g_bytes_unref);
        }
    }
  if (failed || error != NULL)
    g_clear_pointer (&page, ow_scan_page_free);

  g_mutex_lock (&pipeline->lock);
  if (error != NULL && pipeline->error == NULL)
    pipeline->error = g_steal_pointer (&error);
  g_clear_error (&error);
  g_hash_table_insert (pipeline->ready, GUINT_TO_POINTER (job->index), page);
  hand_on_ready (pipeline);
  g_mutex_unlock (&pipeline->lock);
  g_free (job);
}

OwScanPipeline *
ow_scan_pipeline_new (gboolean           encode,
                      OwScanPipelineFunc func,
                      gpointer           user_data)
{
  OwScanPipeline *pipeline = g_new0 (OwScanPipeline, 1);
  guint n_encoders = CLAMP (g_get_num_processors (), 1, MAX_ENCODERS);

  pipeline->ref_count = 1;
  g_mutex_init (&pipeline->lock);
  g_cond_init (&pipeline->freed);
  pipeline->free_buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  /* One page being read while each encoder works on one. */
  pipeline->encode = encode;
  pipeline->max_buffers = encode ? n_encoders + 1 : G_MAXUINT;
  pipeline->ready = g_hash_table_new_full (NULL, NULL, NULL,
                                           (GDestroyNotify) ow_scan_page_free);
  pipeline->func = func;
  pipeline->user_data = user_data;
  /* Threads of GLib's shared pool, made only when a page is pushed and kept between batches:
   * a scan that fails before its first page starts none, and none is made for every batch. A
   * thread that is new when a SANE backend has just cancelled its reader thread inside malloc
   * can find that arena locked for good (see handle_scan in ow-scanner.c). */
  pipeline->encoders = g_thread_pool_new (encode_job, pipeline, n_encoders, FALSE, NULL);
  return pipeline;
}

void
ow_scan_pipeline_push (OwScanPipeline *pipeline,
                       OwScanPage     *page)
{
  Job *job = g_new0 (Job, 1);

  job->page = page;
  job->index = pipeline->pushed++;
  g_thread_pool_push (pipeline->encoders, job, NULL);
}

void
ow_scan_pipeline_abandon (OwScanPipeline *pipeline)
{
  g_mutex_lock (&pipeline->lock);
  pipeline->abandoned = TRUE;
  g_mutex_unlock (&pipeline->lock);
}

gboolean
ow_scan_pipeline_finish (OwScanPipeline  *pipeline,
                         GError         **error)
{
  gboolean ok;

  /* Waits for every job: after this no encoder touches the pipeline. */
  g_thread_pool_free (pipeline->encoders, FALSE, TRUE);
  pipeline->encoders = NULL;

  ok = pipeline->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&pipeline->error));
  pipeline_unref (pipeline);
  return ok;
}
