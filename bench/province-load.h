/* province-load.h — a province's counters as load: long polls, scanned pages, cases, catalogs
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One thread, one epoll set, plain HTTP/1.1 over keep-alive connections: thousands of simulated
 * counters cost the machine little beside the platform they load. Each counter holds a long poll
 * on the changes feed (connection one) and, at random intervals, uploads one scanned page and
 * then the case that names it (connection two), waiting for each answer as the sync engine does;
 * now and then it asks for the catalog with If-None-Match. Failed requests are sent again after
 * a back-off, as the engine's (1 s doubling, ±20 %, not before a Retry-After).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A case to submit: its number and its JSON body, for counter @counter of @hall, the @seq-th of
 * the day, naming the page @sha256. */
typedef char *(*LoadMakeCase) (const char *hall,
                               guint       counter,
                               guint       seq,
                               const char *sha256,
                               char      **case_no,
                               gpointer    user_data);

typedef struct
{
  const char *code;   /* hall code */
  const char *token;  /* a clerk's bearer token of that hall */
} LoadHall;

typedef struct
{
  const char   *host;            /* "127.0.0.1" */
  int           port;
  guint         counters;
  double        ramp_seconds;    /* counters start spread over this */
  double        seconds;         /* then figures are taken for this long */
  double        cases_per_hour;  /* per counter, on the accelerated clock */
  double        catalog_every;   /* seconds between a counter's catalog checks */
  double        full_catalog_share; /* of counters whose first fetch is without If-None-Match */
  const char   *catalog_etag;    /* what the others send */
  gsize         page_size;
  const LoadHall *halls;
  guint         n_halls;
  LoadMakeCase  make_case;
  gpointer      user_data;
} LoadConfig;

/* Latencies in milliseconds. */
typedef struct
{
  GArray *samples;   /* float */
} LoadLatencies;

typedef struct
{
  double         window;          /* seconds the figures cover */
  guint          cases;           /* acknowledged in the window */
  guint          cases_total;     /* acknowledged over the whole run */
  guint          pages_total;
  guint          unfinished;      /* cases still on their way when the run ended */
  LoadLatencies  case_put;        /* PUT /cases/{no}, sent to answered */
  LoadLatencies  page_put;        /* PUT /files/{sha256} */
  LoadLatencies  wake;            /* a case PUT answered → a counter's long poll names it */
  guint          wakeups;         /* long polls answered with changes, in the window */
  guint          polls;           /* long polls answered, in the window */
  guint          catalog_full;    /* 200 */
  guint          catalog_same;    /* 304 */
  guint          errors_status;   /* answered, but not as expected (5xx, 4xx) */
  guint          errors_conn;     /* no answer: refused, reset, closed */
  guint          errors_timeout;  /* no answer in time */
  GHashTable    *statuses;        /* status → count, of the unexpected answers */
  GHashTable    *acked;           /* case_no → NULL: every case acknowledged (201 or 200) */
  GHashTable    *submitted;       /* case_no → NULL: every case sent at least once */
  int            fd_limit;        /* RLIMIT_NOFILE as raised */
} LoadResult;

void   load_result_clear (LoadResult       *result);
/* Runs the load; FALSE with @error when it could not start. */
gboolean load_run        (const LoadConfig *config,
                          LoadResult       *result,
                          GError          **error);
/* The @percentile (0–100) of @latencies, in ms; -1 with no samples. */
double load_percentile   (const LoadLatencies *latencies,
                          double               percentile);
/* Raises the soft limit on open files to the hard one; returns the limit now in force. */
int    load_raise_fd_limit (void);

G_END_DECLS
