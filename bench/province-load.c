/* province-load.c — a province's counters as load: long polls, scanned pages, cases, catalogs
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See province-load.h. Each counter has two keep-alive connections, as the client's session
 * would: one holds the long poll of the changes feed, the other carries its uploads (the page,
 * then the case) and its catalog checks. A request that fails is sent again after a back-off on
 * a new connection; one that fails on a connection reused from before, with no answer begun, is
 * sent again at once (the peer closed an idle connection), as HTTP clients do.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "province-load.h"

#define FEED_TIMEOUT     25      /* seconds the platform may hold a long poll */
#define ANSWER_TIMEOUT   60.0    /* seconds without an answer before giving up on a request */
#define RETRY_FIRST      1.0     /* seconds; doubling to RETRY_MAX, ±20 %, as the sync engine */
#define RETRY_MAX        300.0
#define WAKE_SAMPLE      10      /* wake-ups are measured on one counter in this many */
#define GRACE_SECONDS    60.0    /* after the run, time for the cases on their way to land */

typedef enum
{
  REQ_NONE,
  REQ_FEED,
  REQ_PAGE,
  REQ_CASE,
  REQ_CATALOG,
} ReqKind;

typedef struct _Counter Counter;

typedef struct
{
  Counter      *counter;
  int           fd;          /* -1: not connected */
  gboolean      connecting;
  guint         served;      /* answers received on this connection */
  gboolean      reused;      /* the request in flight went on a connection that served before */
  ReqKind       kind;        /* of the request in flight; REQ_NONE when idle */
  GString      *head;
  const guint8 *body[2];
  gsize         body_len[2];
  gsize         sent;
  GByteArray   *in;
  double        started;
  double        deadline;
  guint         events;      /* the epoll events registered */
} Conn;

struct _Counter
{
  guint           id;
  const LoadHall *hall;
  guint           number;    /* the counter's number in its hall, 1 … 99 */
  guint           seq;       /* the day's last sequence number used */
  Conn            feed;
  Conn            up;
  char           *cursor;
  /* The case on its way, NULL between cases. */
  char           *case_no;
  char           *case_body;
  char            sha256[65];
  guint8          tail[32];  /* the page's own last bytes, after the shared ones */
  gboolean        page_stored;
  gboolean        catalog_due;
  char           *catalog_etag;
  guint           feed_failures;  /* in a row: the back-off doubles */
  guint           up_failures;
  double          retry_after;    /* the platform's Retry-After on the last failure, or 0 */
};

typedef enum
{
  T_START,
  T_CASE,
  T_CATALOG,
  T_FEED,
  T_UP,
} TimerKind;

typedef struct
{
  double    at;
  Counter  *counter;
  TimerKind kind;
} Timer;

typedef struct
{
  const LoadConfig *config;
  LoadResult       *result;
  int               epoll;
  struct sockaddr_in address;
  GArray           *timers;     /* a binary heap of Timer by at */
  Counter          *counters;
  guint8           *page;       /* the shared bytes of every page */
  GChecksum        *page_sum;   /* the SHA-256 state after them */
  GHashTable       *ack_times;  /* case_no → double *: when its PUT was answered, -1 before */
  char             *catalog_etag; /* the first one learnt, for the counters that have one */
  GRand            *rand;
  double            t0;
  double            window_start;
  double            window_end;
  gboolean          stopping;   /* no new cases */
} Load;

static double
now_s (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

static gboolean
in_window (Load  *load,
           double t)
{
  return t >= load->window_start && t <= load->window_end;
}

static void
add_sample (LoadLatencies *latencies,
            double         ms)
{
  float value = (float) MAX (ms, 0.0);

  g_array_append_val (latencies->samples, value);
}

/* ---- timers ------------------------------------------------------------------------------ */

static void
timer_add (Load      *load,
           double     at,
           Counter   *counter,
           TimerKind  kind)
{
  Timer timer = { at, counter, kind };
  Timer *heap;
  guint i;

  g_array_append_val (load->timers, timer);
  heap = (Timer *) load->timers->data;
  for (i = load->timers->len - 1; i > 0 && heap[(i - 1) / 2].at > heap[i].at; i = (i - 1) / 2)
    {
      Timer swap = heap[i];

      heap[i] = heap[(i - 1) / 2];
      heap[(i - 1) / 2] = swap;
    }
}

static gboolean
timer_pop (Load   *load,
           double  now,
           Timer  *out)
{
  Timer *heap = (Timer *) load->timers->data;
  guint n = load->timers->len, i = 0;

  if (n == 0 || heap[0].at > now)
    return FALSE;
  *out = heap[0];
  heap[0] = heap[n - 1];
  g_array_set_size (load->timers, n - 1);
  n--;
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;

      if (l < n && heap[l].at < heap[m].at)
        m = l;
      if (r < n && heap[r].at < heap[m].at)
        m = r;
      if (m == i)
        break;
      Timer swap = heap[i];
      heap[i] = heap[m];
      heap[m] = swap;
      i = m;
    }
  return TRUE;
}

/* ---- connections ------------------------------------------------------------------------- */

static void
conn_watch (Load *load,
            Conn *conn,
            guint events)
{
  struct epoll_event event = { .events = events, .data.ptr = conn };

  if (conn->events == events)
    return;
  epoll_ctl (load->epoll, conn->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, conn->fd, &event);
  conn->events = events;
}

static void
conn_close (Load *load,
            Conn *conn)
{
  if (conn->fd >= 0)
    {
      epoll_ctl (load->epoll, EPOLL_CTL_DEL, conn->fd, NULL);
      close (conn->fd);
    }
  conn->fd = -1;
  conn->events = 0;
  conn->connecting = FALSE;
  conn->served = 0;
}

static gboolean
conn_connect (Load *load,
              Conn *conn)
{
  int one = 1;

  conn->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (conn->fd < 0)
    return FALSE;
  setsockopt (conn->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect (conn->fd, (struct sockaddr *) &load->address, sizeof load->address) < 0
      && errno != EINPROGRESS)
    {
      close (conn->fd);
      conn->fd = -1;
      return FALSE;
    }
  conn->connecting = TRUE;
  conn->served = 0;
  conn->events = 0;
  conn_watch (load, conn, EPOLLOUT);
  return TRUE;
}

static void request_failed (Load *load, Conn *conn, gboolean timeout);

/* Sends the request @conn holds (head and body set), connecting first when needed. */
static void
conn_send (Load *load,
           Conn *conn)
{
  conn->sent = 0;
  g_byte_array_set_size (conn->in, 0);
  conn->started = now_s ();
  conn->deadline = conn->started + ANSWER_TIMEOUT
                   + (conn->kind == REQ_FEED ? FEED_TIMEOUT : 0);
  conn->reused = conn->fd >= 0 && conn->served > 0;
  if (conn->fd < 0 && !conn_connect (load, conn))
    {
      request_failed (load, conn, FALSE);
      return;
    }
  if (!conn->connecting)
    conn_watch (load, conn, EPOLLOUT | EPOLLIN);
}

static void
conn_request (Load       *load,
              Conn       *conn,
              ReqKind     kind,
              const char *method,
              const char *path,
              const char *content_type,
              const char *extra_header)
{
  const LoadConfig *config = load->config;
  gsize length = conn->body_len[0] + conn->body_len[1];

  conn->kind = kind;
  g_string_printf (conn->head, "%s %s HTTP/1.1\r\nHost: %s:%d\r\n"
                   "Authorization: Bearer %s\r\n", method, path, config->host, config->port,
                   conn->counter->hall->token);
  if (content_type != NULL)
    g_string_append_printf (conn->head, "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT
                            "\r\n", content_type, length);
  if (extra_header != NULL)
    g_string_append_printf (conn->head, "%s\r\n", extra_header);
  g_string_append (conn->head, "\r\n");
  conn_send (load, conn);
}

/* ---- what each answer means -------------------------------------------------------------- */

static void send_page (Load *load, Counter *counter);
static void send_case (Load *load, Counter *counter);
static void send_feed (Load *load, Counter *counter);

static void
count_status (Load *load,
              guint status)
{
  gpointer key = GUINT_TO_POINTER (status);

  load->result->errors_status++;
  g_hash_table_insert (load->result->statuses, key,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (
                         load->result->statuses, key)) + 1));
}

/* When to try again after the @failures-th failure in a row: as the sync engine backs off, and
 * not before the platform's Retry-After. */
static double
retry_at (Load    *load,
          Counter *counter,
          guint   *failures,
          double   now)
{
  double delay = RETRY_FIRST;

  for (guint i = 0; i < *failures && delay < RETRY_MAX; i++)
    delay *= 2;
  delay = MIN (delay, RETRY_MAX) * g_rand_double_range (load->rand, 0.8, 1.2);
  (*failures)++;
  delay = MAX (delay, counter->retry_after);
  counter->retry_after = 0;
  return now + delay;
}

static double
think_seconds (Load *load)
{
  /* Applicants arrive at random: exponential gaps around the mean. */
  double mean = 3600.0 / load->config->cases_per_hour;

  return -mean * log (1.0 - g_rand_double (load->rand));
}

static void
next_case_later (Load    *load,
                 Counter *counter,
                 double   now)
{
  timer_add (load, now + think_seconds (load), counter, T_CASE);
}

static void
feed_answered (Load          *load,
               Counter       *counter,
               guint          status,
               const char    *body,
               gsize          length,
               double         now)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonArray *changes;
  const char *cursor;
  gboolean same;

  if (status != 200 || !json_parser_load_from_data (parser, body, (gssize) length, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      count_status (load, status);
      timer_add (load, retry_at (load, counter, &counter->feed_failures, now), counter, T_FEED);
      return;
    }
  counter->feed_failures = 0;
  object = json_node_get_object (json_parser_get_root (parser));
  changes = json_object_get_array_member (object, "changes");
  cursor = json_object_get_string_member_with_default (object, "cursor", NULL);
  if (in_window (load, now))
    {
      load->result->polls++;
      if (changes != NULL && json_array_get_length (changes) > 0)
        load->result->wakeups++;
    }
  for (guint i = 0; changes != NULL && i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *kind = json_object_get_string_member_with_default (change, "kind", "");
      const char *key = json_object_get_string_member_with_default (change, "key", "");
      double *acked;

      if (counter->id % WAKE_SAMPLE != 0 || !g_str_equal (kind, "case"))
        continue;
      acked = g_hash_table_lookup (load->ack_times, key);
      /* Before the PUT's own answer reached its counter: no wait at all. */
      if (acked != NULL && in_window (load, now))
        add_sample (&load->result->wake, *acked < 0 ? 0 : (now - *acked) * 1000);
    }
  same = changes == NULL || json_array_get_length (changes) == 0;
  same = same && g_strcmp0 (cursor, counter->cursor) == 0;
  g_free (counter->cursor);
  counter->cursor = g_strdup (cursor);
  /* As the engine does: at once after news, a second after a poll that ran out. */
  if (same)
    timer_add (load, now + 1.0, counter, T_FEED);
  else
    send_feed (load, counter);
}

static void
up_answered (Load          *load,
             Counter       *counter,
             ReqKind        kind,
             guint          status,
             double         started,
             double         now,
             const char    *etag)
{
  LoadResult *result = load->result;

  if (status >= 200 && status < 400)
    counter->up_failures = 0;
  switch (kind)
    {
    case REQ_PAGE:
      if (status == 200 || status == 201)
        {
          if (in_window (load, now))
            add_sample (&result->page_put, (now - started) * 1000);
          result->pages_total++;
          counter->page_stored = TRUE;
          send_case (load, counter);
          return;
        }
      break;
    case REQ_CASE:
      if (status == 200 || status == 201)
        {
          double *at = g_new (double, 1);

          *at = now;
          if (in_window (load, now))
            {
              add_sample (&result->case_put, (now - started) * 1000);
              result->cases++;
            }
          result->cases_total++;
          g_hash_table_add (result->acked, g_strdup (counter->case_no));
          g_hash_table_insert (load->ack_times, g_steal_pointer (&counter->case_no), at);
          g_clear_pointer (&counter->case_body, g_free);
          if (counter->catalog_due)
            timer_add (load, now, counter, T_CATALOG);
          next_case_later (load, counter, now);
          return;
        }
      break;
    case REQ_CATALOG:
      if (status == 200 || status == 304)
        {
          if (status == 200)
            result->catalog_full++;
          else
            result->catalog_same++;
          if (etag != NULL)
            {
              g_free (counter->catalog_etag);
              counter->catalog_etag = g_strdup (etag);
            }
          timer_add (load, now + load->config->catalog_every, counter, T_CATALOG);
          return;
        }
      break;
    default:
      g_assert_not_reached ();
    }

  count_status (load, status);
  if (status >= 400 && status < 500 && status != 408 && status != 429)
    {
      /* Refused: the engine would keep it dead for a person; the counter goes on. */
      g_clear_pointer (&counter->case_no, g_free);
      g_clear_pointer (&counter->case_body, g_free);
      if (kind != REQ_CATALOG)
        next_case_later (load, counter, now);
      return;
    }
  timer_add (load, retry_at (load, counter, &counter->up_failures, now), counter,
             kind == REQ_CATALOG ? T_CATALOG : T_UP);
}

/* ---- requests ---------------------------------------------------------------------------- */

static void
send_feed (Load    *load,
           Counter *counter)
{
  g_autofree char *path = NULL;

  if (counter->cursor != NULL)
    path = g_strdup_printf ("/api/v1/changes?timeout=%d&since=%s", FEED_TIMEOUT,
                            counter->cursor);
  else
    path = g_strdup_printf ("/api/v1/changes?timeout=%d", FEED_TIMEOUT);
  counter->feed.body_len[0] = counter->feed.body_len[1] = 0;
  conn_request (load, &counter->feed, REQ_FEED, "GET", path, NULL, NULL);
}

static void
send_page (Load    *load,
           Counter *counter)
{
  g_autofree char *path = g_strconcat ("/api/v1/files/", counter->sha256, NULL);
  const LoadConfig *config = load->config;

  counter->up.body[0] = load->page;
  counter->up.body_len[0] = config->page_size - sizeof counter->tail;
  counter->up.body[1] = counter->tail;
  counter->up.body_len[1] = sizeof counter->tail;
  conn_request (load, &counter->up, REQ_PAGE, "PUT", path, "image/png", NULL);
}

static void
send_case (Load    *load,
           Counter *counter)
{
  g_autofree char *path = g_strconcat ("/api/v1/cases/", counter->case_no, NULL);

  counter->up.body[0] = (const guint8 *) counter->case_body;
  counter->up.body_len[0] = strlen (counter->case_body);
  counter->up.body[1] = NULL;
  counter->up.body_len[1] = 0;
  if (g_hash_table_add (load->result->submitted, g_strdup (counter->case_no)))
    {
      double *pending = g_new (double, 1);

      *pending = -1;
      g_hash_table_insert (load->ack_times, g_strdup (counter->case_no), pending);
    }
  conn_request (load, &counter->up, REQ_CASE, "PUT", path, "application/json", NULL);
}

static void
send_catalog (Load    *load,
              Counter *counter)
{
  g_autofree char *header = NULL;

  counter->catalog_due = FALSE;
  if (counter->catalog_etag != NULL)
    header = g_strdup_printf ("If-None-Match: %s", counter->catalog_etag);
  counter->up.body_len[0] = counter->up.body_len[1] = 0;
  conn_request (load, &counter->up, REQ_CATALOG, "GET", "/api/v1/catalog", NULL, header);
}

/* A new applicant at the counter: a page scanned, the case decided, both to the platform. */
static void
start_case (Load    *load,
            Counter *counter)
{
  GChecksum *sum = g_checksum_copy (load->page_sum);
  guint64 word = ((guint64) counter->id << 32) | ++counter->seq;

  memset (counter->tail, 0, sizeof counter->tail);
  memcpy (counter->tail, &word, sizeof word);
  for (gsize i = sizeof word; i < sizeof counter->tail; i++)
    counter->tail[i] = (guint8) g_rand_int (load->rand);
  g_checksum_update (sum, counter->tail, sizeof counter->tail);
  g_strlcpy (counter->sha256, g_checksum_get_string (sum), sizeof counter->sha256);
  g_checksum_free (sum);

  g_clear_pointer (&counter->case_no, g_free);
  g_free (counter->case_body);
  counter->case_body = load->config->make_case (counter->hall->code, counter->number,
                                                counter->seq, counter->sha256,
                                                &counter->case_no, load->config->user_data);
  counter->page_stored = FALSE;
  send_page (load, counter);
}

static void
request_failed (Load     *load,
                Conn     *conn,
                gboolean  timeout)
{
  Counter *counter = conn->counter;
  ReqKind kind = conn->kind;
  double now = now_s ();

  conn_close (load, conn);
  if (timeout)
    load->result->errors_timeout++;
  else
    load->result->errors_conn++;
  conn->kind = REQ_NONE;
  if (kind == REQ_FEED)
    timer_add (load, retry_at (load, counter, &counter->feed_failures, now), counter, T_FEED);
  else
    timer_add (load, retry_at (load, counter, &counter->up_failures, now), counter,
               kind == REQ_CATALOG ? T_CATALOG : T_UP);
}

/* ---- reading answers --------------------------------------------------------------------- */

/* Whether @conn holds a whole answer; if so its status, body and whether the connection stays. */
static gboolean
parse_answer (Conn        *conn,
              guint       *status,
              GByteArray **body,
              gboolean    *keep,
              char       **etag,
              double      *retry_after,
              gboolean     at_eof)
{
  const char *data = (const char *) conn->in->data;
  gsize length = conn->in->len;
  const char *end = g_strstr_len (data, (gssize) length, "\r\n\r\n");
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  gssize content_length = -1;
  gboolean chunked = FALSE;
  gsize start;

  if (end == NULL)
    return FALSE;
  start = (gsize) (end - data) + 4;
  head = g_strndup (data, start - 4);
  lines = g_strsplit (head, "\r\n", -1);
  if (lines[0] == NULL || !g_str_has_prefix (lines[0], "HTTP/1.") || strlen (lines[0]) < 12)
    {
      *status = 0;
      *keep = FALSE;
      *body = g_byte_array_new ();
      return TRUE;
    }
  *status = (guint) g_ascii_strtoull (lines[0] + 9, NULL, 10);
  *keep = TRUE;
  *etag = NULL;
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      char *value;

      if (colon == NULL)
        continue;
      *colon = '\0';
      value = g_strstrip (colon + 1);
      if (g_ascii_strcasecmp (lines[i], "Content-Length") == 0)
        content_length = (gssize) g_ascii_strtoull (value, NULL, 10);
      else if (g_ascii_strcasecmp (lines[i], "Transfer-Encoding") == 0
               && g_ascii_strcasecmp (value, "chunked") == 0)
        chunked = TRUE;
      else if (g_ascii_strcasecmp (lines[i], "Connection") == 0
               && g_ascii_strcasecmp (value, "close") == 0)
        *keep = FALSE;
      else if (g_ascii_strcasecmp (lines[i], "Retry-After") == 0)
        *retry_after = g_ascii_strtod (value, NULL);
      else if (g_ascii_strcasecmp (lines[i], "ETag") == 0)
        {
          g_free (*etag);
          *etag = g_strdup (value);
        }
    }

  if (*status == 204 || *status == 304 || (*status >= 100 && *status < 200))
    content_length = 0;
  if (chunked)
    {
      GByteArray *out = g_byte_array_new ();
      gsize at = start;

      for (;;)
        {
          const char *line_end = g_strstr_len (data + at, (gssize) (length - at), "\r\n");
          guint64 size;

          if (line_end == NULL)
            break;
          size = g_ascii_strtoull (data + at, NULL, 16);
          at = (gsize) (line_end - data) + 2;
          if (size == 0)
            {
              if (length - at >= 2)
                {
                  *body = out;
                  return TRUE;
                }
              break;
            }
          if (length - at < size + 2)
            break;
          g_byte_array_append (out, (const guint8 *) data + at, (guint) size);
          at += size + 2;
        }
      g_byte_array_unref (out);
      g_clear_pointer (etag, g_free);
      return FALSE;
    }
  if (content_length < 0)
    {
      /* To the end of the connection. */
      if (!at_eof)
        {
          g_clear_pointer (etag, g_free);
          return FALSE;
        }
      *keep = FALSE;
      content_length = (gssize) (length - start);
    }
  if (length - start < (gsize) content_length)
    {
      g_clear_pointer (etag, g_free);
      return FALSE;
    }
  *body = g_byte_array_new ();
  g_byte_array_append (*body, (const guint8 *) data + start, (guint) content_length);
  return TRUE;
}

static void
answered (Load       *load,
          Conn       *conn,
          guint       status,
          GByteArray *body,
          gboolean    keep,
          const char *etag)
{
  Counter *counter = conn->counter;
  ReqKind kind = conn->kind;
  double now = now_s ();

  conn->kind = REQ_NONE;
  conn->served++;
  if (!keep)
    conn_close (load, conn);
  else
    conn_watch (load, conn, EPOLLIN);
  if (kind == REQ_FEED)
    feed_answered (load, counter, status, (const char *) body->data, body->len, now);
  else
    up_answered (load, counter, kind, status, conn->started, now, etag);
}

static void
conn_readable (Load *load,
               Conn *conn)
{
  guint8 buffer[65536];
  gboolean eof = FALSE;

  for (;;)
    {
      ssize_t n = read (conn->fd, buffer, sizeof buffer);

      if (n > 0)
        {
          g_byte_array_append (conn->in, buffer, (guint) n);
          continue;
        }
      if (n == 0)
        eof = TRUE;
      else if (errno == EINTR)
        continue;
      else if (errno != EAGAIN)
        eof = TRUE;
      break;
    }

  if (conn->kind == REQ_NONE)
    {
      /* An idle connection the peer closed (or something unasked for): drop it. */
      if (eof || conn->in->len > 0)
        conn_close (load, conn);
      g_byte_array_set_size (conn->in, 0);
      return;
    }
  if (conn->in->len > 0)
    {
      guint status = 0;
      gboolean keep = FALSE;
      g_autofree char *etag = NULL;
      GByteArray *body = NULL;
      double retry_after = 0;

      if (parse_answer (conn, &status, &body, &keep, &etag, &retry_after, eof))
        {
          conn->counter->retry_after = retry_after;
          answered (load, conn, status, body, keep && !eof, etag);
          g_byte_array_unref (body);
          return;
        }
    }
  if (eof)
    {
      if (conn->reused && conn->in->len == 0)
        {
          /* The peer had closed the idle connection: the same request on a new one. */
          conn_close (load, conn);
          conn_send (load, conn);
          return;
        }
      request_failed (load, conn, FALSE);
    }
}

static void
conn_writable (Load *load,
               Conn *conn)
{
  struct iovec iov[3];
  gsize lengths[3] = { conn->head->len, conn->body_len[0], conn->body_len[1] };
  const guint8 *bases[3] = { (const guint8 *) conn->head->str, conn->body[0], conn->body[1] };
  gsize total = lengths[0] + lengths[1] + lengths[2];

  if (conn->connecting)
    {
      int error = 0;
      socklen_t size = sizeof error;

      getsockopt (conn->fd, SOL_SOCKET, SO_ERROR, &error, &size);
      if (error != 0)
        {
          request_failed (load, conn, FALSE);
          return;
        }
      conn->connecting = FALSE;
    }

  while (conn->sent < total)
    {
      gsize skip = conn->sent;
      int n_iov = 0;
      ssize_t n;

      for (guint i = 0; i < 3; i++)
        {
          if (skip >= lengths[i])
            {
              skip -= lengths[i];
              continue;
            }
          iov[n_iov].iov_base = (void *) (bases[i] + skip);
          iov[n_iov].iov_len = lengths[i] - skip;
          n_iov++;
          skip = 0;
        }
      n = writev (conn->fd, iov, n_iov);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN)
            {
              conn_watch (load, conn, EPOLLOUT | EPOLLIN);
              return;
            }
          if (conn->reused && conn->in->len == 0)
            {
              conn_close (load, conn);
              conn_send (load, conn);
              return;
            }
          request_failed (load, conn, FALSE);
          return;
        }
      conn->sent += (gsize) n;
    }
  conn_watch (load, conn, EPOLLIN);
}

/* ---- the run ----------------------------------------------------------------------------- */

static void
fire (Load        *load,
      const Timer *timer,
      double       now)
{
  Counter *counter = timer->counter;

  switch (timer->kind)
    {
    case T_START:
      send_feed (load, counter);
      counter->catalog_due = TRUE;
      if (g_rand_double (load->rand) >= load->config->full_catalog_share)
        counter->catalog_etag = g_strdup (load->catalog_etag);
      timer_add (load, now, counter, T_CATALOG);
      next_case_later (load, counter, now);
      break;
    case T_CASE:
      if (load->stopping || counter->case_no != NULL)
        break;
      if (counter->up.kind != REQ_NONE)
        {
          /* A catalog check is on the connection: the case follows it. */
          timer_add (load, now + 0.1, counter, T_CASE);
          break;
        }
      start_case (load, counter);
      break;
    case T_CATALOG:
      if (load->stopping)
        break;
      if (counter->up.kind != REQ_NONE || counter->case_no != NULL)
        {
          /* After the case on its way. */
          counter->catalog_due = TRUE;
          break;
        }
      send_catalog (load, counter);
      break;
    case T_FEED:
      if (counter->feed.kind == REQ_NONE && !load->stopping)
        send_feed (load, counter);
      break;
    case T_UP:
      if (counter->up.kind != REQ_NONE || counter->case_no == NULL)
        break;
      if (counter->page_stored)
        send_case (load, counter);
      else
        send_page (load, counter);
      break;
    }
}

static void
check_deadlines (Load   *load,
                 double  now)
{
  for (guint i = 0; i < load->config->counters; i++)
    {
      Conn *conns[2] = { &load->counters[i].feed, &load->counters[i].up };

      for (guint j = 0; j < 2; j++)
        if (conns[j]->kind != REQ_NONE && now > conns[j]->deadline)
          request_failed (load, conns[j], TRUE);
    }
}

static guint
cases_on_their_way (Load *load)
{
  guint n = 0;

  for (guint i = 0; i < load->config->counters; i++)
    if (load->counters[i].case_no != NULL)
      n++;
  return n;
}

int
load_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return -1;
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
      getrlimit (RLIMIT_NOFILE, &limit);
    }
  return limit.rlim_cur == RLIM_INFINITY ? G_MAXINT : (int) MIN (limit.rlim_cur, G_MAXINT);
}

static void
latencies_init (LoadLatencies *latencies)
{
  latencies->samples = g_array_new (FALSE, FALSE, sizeof (float));
}

static void
latencies_clear (LoadLatencies *latencies)
{
  g_clear_pointer (&latencies->samples, g_array_unref);
}

void
load_result_clear (LoadResult *result)
{
  latencies_clear (&result->case_put);
  latencies_clear (&result->page_put);
  latencies_clear (&result->wake);
  g_clear_pointer (&result->statuses, g_hash_table_unref);
  g_clear_pointer (&result->acked, g_hash_table_unref);
  g_clear_pointer (&result->submitted, g_hash_table_unref);
}

static int
compare_floats (gconstpointer a,
                gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return x < y ? -1 : x > y;
}

double
load_percentile (const LoadLatencies *latencies,
                 double               percentile)
{
  guint n = latencies->samples != NULL ? latencies->samples->len : 0;
  guint index;

  if (n == 0)
    return -1;
  g_array_sort (latencies->samples, compare_floats);
  index = (guint) MIN ((double) n - 1, floor (percentile / 100.0 * n));
  return g_array_index (latencies->samples, float, index);
}

gboolean
load_run (const LoadConfig  *config,
          LoadResult        *result,
          GError           **error)
{
  Load load = { 0 };
  double grace_end;
  double last_check = 0;

  memset (result, 0, sizeof *result);
  latencies_init (&result->case_put);
  latencies_init (&result->page_put);
  latencies_init (&result->wake);
  result->statuses = g_hash_table_new (NULL, NULL);
  result->acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  result->submitted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  result->fd_limit = load_raise_fd_limit ();
  if (result->fd_limit < (int) config->counters * 2 + 64)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES,
                   "%u counters need %u open files, the limit is %d (ulimit -Hn)",
                   config->counters, config->counters * 2 + 64, result->fd_limit);
      return FALSE;
    }

  load.config = config;
  load.result = result;
  load.epoll = epoll_create1 (EPOLL_CLOEXEC);
  load.address.sin_family = AF_INET;
  load.address.sin_port = htons ((guint16) config->port);
  inet_pton (AF_INET, config->host, &load.address.sin_addr);
  load.timers = g_array_new (FALSE, FALSE, sizeof (Timer));
  load.ack_times = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  load.rand = g_rand_new_with_seed (20261125);
  load.page = g_malloc (config->page_size);
  {
    static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

    memcpy (load.page, signature, sizeof signature);
    for (gsize i = sizeof signature; i < config->page_size; i++)
      load.page[i] = (guint8) g_rand_int (load.rand);
    load.page_sum = g_checksum_new (G_CHECKSUM_SHA256);
    g_checksum_update (load.page_sum, load.page, config->page_size - 32);
  }
  load.catalog_etag = g_strdup (config->catalog_etag);

  load.counters = g_new0 (Counter, config->counters);
  load.t0 = now_s ();
  load.window_start = load.t0 + config->ramp_seconds;
  load.window_end = load.window_start + config->seconds;
  for (guint i = 0; i < config->counters; i++)
    {
      Counter *counter = &load.counters[i];

      counter->id = i;
      counter->hall = &config->halls[i % config->n_halls];
      /* Up to 99 counters a hall; more simulated ones share a number, each with a block of
       * the day's sequence numbers of its own. */
      counter->number = (i / config->n_halls) % 99 + 1;
      counter->seq = (i / config->n_halls / 99) * 1000;
      for (guint j = 0; j < 2; j++)
        {
          Conn *conn = j == 0 ? &counter->feed : &counter->up;

          conn->counter = counter;
          conn->fd = -1;
          conn->head = g_string_new (NULL);
          conn->in = g_byte_array_new ();
        }
      timer_add (&load, load.t0 + config->ramp_seconds * i / config->counters, counter,
                 T_START);
    }

  grace_end = load.window_end + GRACE_SECONDS;
  for (;;)
    {
      struct epoll_event events[256];
      double now = now_s ();
      int timeout_ms = 100;
      Timer timer;
      int n;

      if (!load.stopping && now >= load.window_end)
        load.stopping = TRUE;
      if (load.stopping && (cases_on_their_way (&load) == 0 || now >= grace_end))
        break;
      while (timer_pop (&load, now, &timer))
        fire (&load, &timer, now);
      if (load.timers->len > 0)
        timeout_ms = (int) CLAMP ((g_array_index (load.timers, Timer, 0).at - now) * 1000, 0,
                                  100);
      n = epoll_wait (load.epoll, events, G_N_ELEMENTS (events), timeout_ms);
      for (int i = 0; i < n; i++)
        {
          Conn *conn = events[i].data.ptr;

          if (conn->fd < 0)
            continue;
          if (events[i].events & EPOLLOUT)
            conn_writable (&load, conn);
          if (conn->fd >= 0 && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            conn_readable (&load, conn);
        }
      now = now_s ();
      if (now - last_check > 0.25)
        {
          check_deadlines (&load, now);
          last_check = now;
        }
    }
  result->window = config->seconds;
  result->unfinished = cases_on_their_way (&load);

  for (guint i = 0; i < config->counters; i++)
    {
      Counter *counter = &load.counters[i];

      conn_close (&load, &counter->feed);
      conn_close (&load, &counter->up);
      g_string_free (counter->feed.head, TRUE);
      g_string_free (counter->up.head, TRUE);
      g_byte_array_unref (counter->feed.in);
      g_byte_array_unref (counter->up.in);
      g_free (counter->cursor);
      g_free (counter->case_no);
      g_free (counter->case_body);
      g_free (counter->catalog_etag);
    }
  g_free (load.counters);
  close (load.epoll);
  g_array_unref (load.timers);
  g_hash_table_unref (load.ack_times);
  g_rand_free (load.rand);
  g_checksum_free (load.page_sum);
  g_free (load.page);
  g_free (load.catalog_etag);
  return TRUE;
}
