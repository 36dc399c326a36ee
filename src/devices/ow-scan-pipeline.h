/* ow-scan-pipeline.h — scanned pages encoded as they arrive, in reused buffers (internal)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scan thread reads each page into a buffer from the pipeline and pushes the page; encoder
 * threads turn it into what is stored (ow_scan_page_encode), let go of its pixels, whose buffer
 * goes back for the next page, and hand the encoded pages on in the order they were pushed. A
 * batch then holds a few raw pages at most instead of all of them, and the pages after the first
 * few are read into memory that is already mapped: a fresh 26 MB buffer costs 6,400 page faults
 * whose zeroing by the kernel took as long as reading the page. The free buffers of a batch that
 * ended are kept for the next batch, until the pages are stored or half a minute passes.
 */
#pragma once

#include "devices/ow-scanner.h"

G_BEGIN_DECLS

typedef struct _OwScanPipeline OwScanPipeline;

/* Called on an encoder thread with each encoded page (yours) in push order, one at a time. */
typedef void (*OwScanPipelineFunc) (OwScanPage *page,
                                    gpointer    user_data);

/* @encode FALSE: pages are handed on as pushed, pixels and all (and buffers are not limited,
 * since the pages keep them). */
OwScanPipeline *ow_scan_pipeline_new         (gboolean            encode,
                                              OwScanPipelineFunc  func,
                                              gpointer            user_data);
/* An empty buffer that can hold @size bytes: a reused one when one is free; a new one while
 * fewer than the pipeline's limit exist; else it waits for the encoders to free one. */
GByteArray     *ow_scan_pipeline_take_buffer (OwScanPipeline     *pipeline,
                                              gsize               size);
/* Gives back a buffer taken and not made into pixels. */
void            ow_scan_pipeline_give_back   (OwScanPipeline     *pipeline,
                                              GByteArray         *buffer);
/* The first @length bytes of @buffer as pixels; the buffer comes back to the pipeline when the
 * last reference to them goes. */
GBytes         *ow_scan_pipeline_wrap        (OwScanPipeline     *pipeline,
                                              GByteArray         *buffer,
                                              gsize               length);
/* Encodes @page (taken) and hands it on. After an error nothing more is encoded. */
void            ow_scan_pipeline_push        (OwScanPipeline     *pipeline,
                                              OwScanPage         *page);
/* Pages pushed and not yet being encoded are dropped rather than encoded (a cancelled batch). */
void            ow_scan_pipeline_abandon     (OwScanPipeline     *pipeline);
/* Waits for every pushed page and frees the pipeline; FALSE with the first encoding error. */
gboolean        ow_scan_pipeline_finish      (OwScanPipeline     *pipeline,
                                              GError            **error);

/* Frees the buffers kept for the next batch (the pages are being stored: no batch follows). */
void            ow_scan_pipeline_release_kept (void);
/* How many are kept now, and for how long after a batch (30 s; for tests). The wait ends on the
 * default main context. */
guint           ow_scan_pipeline_get_n_kept  (void);
void            ow_scan_pipeline_set_keep_seconds (guint seconds);

G_END_DECLS
