/* ow-platform-pg-watch.c — LISTEN for the changes feed, watched from the main loop
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GSource with a libpq connection of its own that LISTENs on the feed's channel. Its socket is
 * one of the main loop's file descriptors, so nothing waits: when any process commits a change,
 * PostgreSQL sends a notification, the socket becomes readable, and the source's callback runs
 * (which reads the feed and answers the long polls). Connecting is non-blocking too
 * (PQconnectStart / PQconnectPoll). Should the connection break, the source connects again every
 * second and meanwhile runs its callback every second, so long polls still wake within about a
 * second; once it listens again it runs the callback once for what it may have missed.
 */

#include "config.h"

#include "platform/ow-platform-pg-private.h"

#define RETRY_INTERVAL_US G_USEC_PER_SEC

typedef enum
{
  WATCH_WAITING,     /* no connection: the next attempt is at retry_at */
  WATCH_CONNECTING,  /* PQconnectPoll in progress */
  WATCH_LISTENING,   /* LISTEN sent, its answer awaited */
  WATCH_READY,       /* notifications arrive on the socket */
} WatchState;

typedef struct
{
  GSource     source;
  char       *uri;
  char       *label;
  PGconn     *conn;
  gpointer    tag;
  int         fd;
  WatchState  state;
  gint64      retry_at;   /* monotonic microseconds */
  gboolean    pending;    /* the callback is due */
  gboolean    warned;     /* the current outage was logged */
} WatchSource;

static void
watch_fd (WatchSource  *watch,
          GIOCondition  condition)
{
  int fd = watch->conn != NULL ? PQsocket (watch->conn) : -1;

  if (watch->tag != NULL && fd != watch->fd)
    {
      g_source_remove_unix_fd (&watch->source, watch->tag);
      watch->tag = NULL;
    }
  watch->fd = fd;
  if (fd < 0)
    return;
  if (watch->tag == NULL)
    watch->tag = g_source_add_unix_fd (&watch->source, fd, condition);
  else
    g_source_modify_unix_fd (&watch->source, watch->tag, condition);
}

/* Drops the connection and tries again in a second; meanwhile the callback runs each second. */
static void
watch_fail (WatchSource *watch,
            const char  *what)
{
  if (!watch->warned)
    {
      g_autofree char *message = g_strstrip (g_strdup (watch->conn != NULL
                                                         ? PQerrorMessage (watch->conn)
                                                         : "out of memory"));

      g_warning ("Cannot listen for changes on the PostgreSQL database %s (%s: %s); looking "
                 "once a second until it answers", watch->label, what, message);
      watch->warned = TRUE;
    }
  if (watch->tag != NULL)
    {
      g_source_remove_unix_fd (&watch->source, watch->tag);
      watch->tag = NULL;
    }
  g_clear_pointer (&watch->conn, PQfinish);
  watch->fd = -1;
  watch->state = WATCH_WAITING;
  watch->retry_at = g_get_monotonic_time () + RETRY_INTERVAL_US;
  watch->pending = TRUE;
}

static void
watch_start_connecting (WatchSource *watch)
{
  const char *keywords[] = { "fallback_application_name", "dbname", NULL };
  const char *values[] = { "onewindow-platform-listen", watch->uri, NULL };

  watch->conn = PQconnectStartParams (keywords, values, 1);
  if (watch->conn == NULL || PQstatus (watch->conn) == CONNECTION_BAD)
    {
      watch_fail (watch, "connect");
      return;
    }
  watch->state = WATCH_CONNECTING;
  watch_fd (watch, G_IO_OUT);
}

static void
watch_send_listen (WatchSource *watch)
{
  int flushed;

  if (PQsetnonblocking (watch->conn, 1) != 0 ||
      !PQsendQueryParams (watch->conn, "LISTEN " OW_PG_CHANGES_CHANNEL, 0, NULL, NULL, NULL,
                          NULL, 0) ||
      (flushed = PQflush (watch->conn)) < 0)
    {
      watch_fail (watch, "LISTEN");
      return;
    }
  watch->state = WATCH_LISTENING;
  watch_fd (watch, flushed == 1 ? G_IO_IN | G_IO_OUT : G_IO_IN);
}

/* Reads what arrived; TRUE when the connection still stands. */
static gboolean
watch_read (WatchSource *watch)
{
  PGnotify *notify;

  if (!PQconsumeInput (watch->conn))
    {
      watch_fail (watch, "read");
      return FALSE;
    }
  while ((notify = PQnotifies (watch->conn)) != NULL)
    {
      watch->pending = TRUE;
      PQfreemem (notify);
    }
  return TRUE;
}

static void
watch_step (WatchSource  *watch,
            GIOCondition  revents)
{
  switch (watch->state)
    {
    case WATCH_WAITING:
      if (g_get_monotonic_time () >= watch->retry_at)
        {
          /* While there is no connection, each second stands in for a notification. */
          watch->pending = TRUE;
          watch_start_connecting (watch);
        }
      break;

    case WATCH_CONNECTING:
      if (revents == 0)
        break;
      switch (PQconnectPoll (watch->conn))
        {
        case PGRES_POLLING_READING:
          watch_fd (watch, G_IO_IN);
          break;
        case PGRES_POLLING_WRITING:
          watch_fd (watch, G_IO_OUT);
          break;
        case PGRES_POLLING_OK:
          watch_send_listen (watch);
          break;
        case PGRES_POLLING_FAILED:
        default:
          watch_fail (watch, "connect");
          break;
        }
      break;

    case WATCH_LISTENING:
      if (revents & G_IO_OUT)
        {
          int flushed = PQflush (watch->conn);

          if (flushed < 0)
            {
              watch_fail (watch, "LISTEN");
              break;
            }
          watch_fd (watch, flushed == 1 ? G_IO_IN | G_IO_OUT : G_IO_IN);
        }
      if (!(revents & (G_IO_IN | G_IO_HUP | G_IO_ERR)) || !watch_read (watch))
        break;
      while (!PQisBusy (watch->conn))
        {
          g_autoptr(PGresult) result = PQgetResult (watch->conn);

          if (result == NULL)
            {
              if (watch->warned)
                g_message ("Listening for changes on the PostgreSQL database %s again",
                           watch->label);
              watch->state = WATCH_READY;
              watch->warned = FALSE;
              /* Whatever happened before the LISTEN took hold is in the feed: look once. */
              watch->pending = TRUE;
              break;
            }
          if (PQresultStatus (result) != PGRES_COMMAND_OK)
            {
              watch_fail (watch, "LISTEN");
              break;
            }
        }
      break;

    case WATCH_READY:
      if (revents & (G_IO_IN | G_IO_HUP | G_IO_ERR))
        watch_read (watch);
      break;
    }
}

static GIOCondition
watch_revents (WatchSource *watch)
{
  return watch->tag != NULL ? g_source_query_unix_fd (&watch->source, watch->tag) : 0;
}

static gboolean
watch_prepare (GSource *source,
               int     *timeout)
{
  WatchSource *watch = (WatchSource *) source;

  *timeout = -1;
  if (watch->pending)
    return TRUE;
  if (watch->state == WATCH_WAITING)
    {
      gint64 left = watch->retry_at - g_get_monotonic_time ();

      if (left <= 0)
        return TRUE;
      *timeout = (int) ((left + 999) / 1000);
    }
  return FALSE;
}

static gboolean
watch_check (GSource *source)
{
  WatchSource *watch = (WatchSource *) source;

  return watch->pending || watch_revents (watch) != 0 ||
         (watch->state == WATCH_WAITING && g_get_monotonic_time () >= watch->retry_at);
}

static gboolean
watch_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  WatchSource *watch = (WatchSource *) source;

  watch_step (watch, watch_revents (watch));
  if (!watch->pending)
    return G_SOURCE_CONTINUE;
  watch->pending = FALSE;
  if (callback == NULL)
    return G_SOURCE_CONTINUE;
  return callback (user_data);
}

static void
watch_finalize (GSource *source)
{
  WatchSource *watch = (WatchSource *) source;

  g_clear_pointer (&watch->conn, PQfinish);
  g_free (watch->uri);
  g_free (watch->label);
}

static GSourceFuncs watch_funcs = {
  .prepare = watch_prepare,
  .check = watch_check,
  .dispatch = watch_dispatch,
  .finalize = watch_finalize,
};

GSource *
ow_platform_pg_watch_new (const char *uri,
                          const char *label)
{
  GSource *source = g_source_new (&watch_funcs, sizeof (WatchSource));
  WatchSource *watch = (WatchSource *) source;

  g_source_set_static_name (source, "ow-platform-pg-watch");
  watch->uri = g_strdup (uri);
  watch->label = g_strdup (label);
  watch->fd = -1;
  watch->warned = FALSE;
  watch_start_connecting (watch);
  return source;
}
