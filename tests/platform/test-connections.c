/* test-connections.c — the platform's descriptors, whatever its clients do
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real platform process and real clients (connection-clients, plain sockets) killed with
 * SIGKILL mid-request and mid-poll: the platform closes each connection as soon as its client has
 * gone, so that its open descriptors (/proc/PID/fd) come back to where they were within seconds;
 * it never holds more connections than it was told, and it keeps accepting after it ran out of
 * descriptors. Kept-alive connections carry many requests, and are closed as soon as their
 * clients close them while idle, after the idle timeout, or at once when the platform is
 * crowded (whose answers then say "Connection: close").
 */
/* prlimit() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ow-test-platform.h"

#define N_HELPERS         5
#define CLIENTS_PER_HELPER 100
/* Of connection-clients' five states, four keep a request open on the platform; the fifth, its
 * request answered, is kept alive until the idle timeout. */
#define HELD_PER_HELPER   (CLIENTS_PER_HELPER * 4 / 5)
/* Back to the baseline this soon after the kill: far less than the request timeout and the
 * poll's own timeout, so only noticing the clients' going can explain it. */
#define RECOVERY_SECONDS  3

static const char *helper_path;

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Waits until the platform holds at most (or, with @at_least, at least) @fds descriptors;
 * returns the seconds it took, or a negative number when @seconds passed first. */
static double
wait_for_fds (GPid     pid,
              guint    fds,
              gboolean at_least,
              double   seconds)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) (seconds * G_USEC_PER_SEC);

  for (;;)
    {
      guint n = count_fds (pid);

      if (at_least ? n >= fds : n <= fds)
        return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("the platform holds %u descriptors, waited for %s %u", n,
                          at_least ? "at least" : "at most", fds);
          return -1;
        }
      g_usleep (20 * 1000);
    }
}

/* Waits until the platform's descriptors stop changing (a client the test helpers used a moment
 * ago may still be closing), and returns their number. */
static guint
settled_fds (GPid pid)
{
  guint n = count_fds (pid);

  for (guint i = 0; i < 50; i++)
    {
      guint again;

      g_usleep (100 * 1000);
      again = count_fds (pid);
      if (again == n)
        return n;
      n = again;
    }
  return n;
}

static guint
platform_port (OwTestPlatform *platform)
{
  g_autoptr(GUri) uri = g_uri_parse (ow_test_platform_get_base_uri (platform), G_URI_FLAGS_NONE,
                                     NULL);

  return (guint) g_uri_get_port (uri);
}

static OwTestResponse *
request (OwTestPlatform *platform,
         const char     *path,
         const char     *token)
{
  g_autoptr(GError) error = NULL;
  OwTestResponse *response = ow_test_platform_request (platform, "GET", path, token, NULL, &error);

  g_assert_no_error (error);
  return response;
}

/* Where the changes feed stands now: a long poll after it waits. */
static char *
current_cursor (OwTestPlatform *platform,
                const char     *token)
{
  g_autoptr(OwTestResponse) r = request (platform, "/api/v1/changes", token);

  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (ow_test_response_get_string (r, "cursor"));
}

/* A connection from this process, connected but silent. */
static int
connect_silent (guint port)
{
  struct sockaddr_in address = { 0, };
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_port = htons ((guint16) port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  /* The kernel completes it from the listen queue, whether the platform accepts it or not. */
  g_assert_cmpint (connect (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  return fd;
}

static void
assert_serves (OwTestPlatform *platform,
               const char     *token)
{
  g_autoptr(OwTestResponse) r = request (platform, "/api/v1/catalog", token);

  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_killed_clients (void)
{
  /* The request timeout far off, so that only the clients' going can close their requests. */
  const char *args[] = { "--request-timeout", "60", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start_with_args (args, &error);
  g_autofree char *token = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *port = NULL;
  g_autofree char *per_helper = g_strdup_printf ("%d", CLIENTS_PER_HELPER);
  GPid helpers[N_HELPERS];
  GPid pid;
  guint baseline, peak;
  double held, recovered;

  g_assert_no_error (error);
  pid = ow_test_platform_get_pid (platform);
  token = ow_test_platform_login (platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  cursor = current_cursor (platform, token);
  port = g_strdup_printf ("%u", platform_port (platform));
  assert_serves (platform, token);
  /* What the platform holds with no client: its database, its listener and the like. */
  baseline = settled_fds (pid);

  for (guint i = 0; i < N_HELPERS; i++)
    {
      const char *argv[] = { helper_path, port, token, cursor, per_helper, NULL };
      g_autoptr(GString) line = g_string_new (NULL);
      int out_fd = -1;
      char c;

      g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                NULL, &helpers[i], NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);
      while (read (out_fd, &c, 1) == 1 && c != '\n')
        g_string_append_c (line, c);
      close (out_fd);
      g_assert_cmpstr (line->str, ==, "ready");
    }

  /* Every request still open is a descriptor on the platform: the long polls are waiting. */
  held = wait_for_fds (pid, baseline + N_HELPERS * HELD_PER_HELPER, TRUE, 20);
  g_assert_cmpfloat (held, >=, 0);
  peak = count_fds (pid);

  for (guint i = 0; i < N_HELPERS; i++)
    {
      int status = 0;

      g_assert_cmpint (kill (helpers[i], SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (helpers[i], &status, 0), ==, helpers[i]);
      g_spawn_close_pid (helpers[i]);
      g_assert_true (WIFSIGNALED (status));
    }

  recovered = wait_for_fds (pid, baseline, FALSE, RECOVERY_SECONDS);
  g_test_message ("%u clients killed: the platform held %u descriptors (baseline %u), "
                  "%u again %.2f s after the kill", N_HELPERS * CLIENTS_PER_HELPER, peak,
                  baseline, count_fds (pid), recovered);
  g_assert_cmpfloat (recovered, >=, 0);

  /* And it serves, long polls included, as before. */
  assert_serves (platform, token);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%s&timeout=1", cursor);
    g_autoptr(OwTestResponse) r = request (platform, path, token);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (ow_test_response_get_string (r, "cursor"), ==, cursor);
  }
  /* The test's own client has just closed its connection: gone in a moment. */
  g_assert_cmpfloat (wait_for_fds (pid, baseline, FALSE, 1), >=, 0);
}

static void
test_bounded (void)
{
  const char *args[] = { "--max-connections", "50", "--request-timeout", "2", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start_with_args (args, &error);
  g_autofree char *token = NULL;
  int silent[200];
  GPid pid;
  guint baseline, port;
  gint64 start;
  char byte;

  g_assert_no_error (error);
  pid = ow_test_platform_get_pid (platform);
  port = platform_port (platform);
  token = ow_test_platform_login (platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  assert_serves (platform, token);
  baseline = settled_fds (pid);

  /* Four times as many clients as it may serve at once, none of them saying anything. */
  for (guint i = 0; i < G_N_ELEMENTS (silent); i++)
    silent[i] = connect_silent (port);
  g_assert_cmpfloat (wait_for_fds (pid, baseline + 50, TRUE, 10), >=, 0);
  g_usleep (300 * 1000);
  g_assert_cmpuint (count_fds (pid), <=, baseline + 50);

  /* A silent connection is answered 408 and closed once the request timeout has passed. */
  start = g_get_monotonic_time ();
  {
    struct pollfd pfd = { silent[0], POLLIN, 0 };
    g_autoptr(GString) answer = g_string_new (NULL);

    g_assert_cmpint (poll (&pfd, 1, 10 * 1000), ==, 1);
    while (recv (silent[0], &byte, 1, 0) > 0)
      g_string_append_c (answer, byte);
    g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 408 "));
    g_assert_nonnull (strstr (answer->str, "\"code\":\"timeout\""));
  }
  g_test_message ("a silent client was answered 408 and let go after %.1f s",
                  (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);

  for (guint i = 0; i < G_N_ELEMENTS (silent); i++)
    close (silent[i]);
  /* The ones still waiting in the queue are accepted and let go in turn; then it serves. */
  assert_serves (platform, token);
  g_assert_cmpfloat (wait_for_fds (pid, baseline, FALSE, RECOVERY_SECONDS), >=, 0);
}

static void
test_out_of_descriptors (void)
{
  const char *args[] = { "--max-connections", "1000", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start_with_args (args, &error);
  g_autofree char *token = NULL;
  struct rlimit limit;
  int clients[60];
  GPid pid;
  guint baseline, port;

  g_assert_no_error (error);
  pid = ow_test_platform_get_pid (platform);
  port = platform_port (platform);
  token = ow_test_platform_login (platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  assert_serves (platform, token);
  baseline = settled_fds (pid);

  /* Fewer descriptors than it was told it may use: accepting fails with EMFILE. */
  limit.rlim_cur = limit.rlim_max = baseline + 20;
  g_assert_cmpint (prlimit (pid, RLIMIT_NOFILE, &limit, NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = connect_silent (port);
  g_assert_cmpfloat (wait_for_fds (pid, baseline + 20, TRUE, 10), >=, 0);
  g_usleep (500 * 1000);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    close (clients[i]);

  /* It did not stop accepting: the next client is served. */
  assert_serves (platform, token);
  g_assert_cmpfloat (wait_for_fds (pid, baseline, FALSE, RECOVERY_SECONDS), >=, 0);
}

/* Keep-alive ---------------------------------------------------------------------------------- */

static void
send_text (int         fd,
           const char *text)
{
  g_assert_cmpint (send (fd, text, strlen (text), MSG_NOSIGNAL), ==, (gssize) strlen (text));
}

static void
send_get (int         fd,
          const char *path,
          const char *token)
{
  g_autofree char *text = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\n\r\n", path, token);

  send_text (fd, text);
}

static gboolean
skip_bytes (int   fd,
            gsize size)
{
  while (size > 0)
    {
      char buffer[4096];
      gssize got = recv (fd, buffer, MIN (size, sizeof buffer), 0);

      if (got <= 0)
        return FALSE;
      size -= (gsize) got;
    }
  return TRUE;
}

/* Reads one answer on @fd: returns its status line and headers (its body, Content-Length long
 * or chunked, is read and dropped), or NULL when the connection ended before it did. */
static char *
read_answer (int fd)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree char *lower = NULL;
  const char *length;
  gsize body;
  char c;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (recv (fd, &c, 1, 0) != 1)
        return NULL;
      g_string_append_c (head, c);
    }
  lower = g_ascii_strdown (head->str, -1);
  if (strstr (lower, "\r\ntransfer-encoding: chunked\r\n") != NULL)
    {
      /* Chunks: each size line, its bytes and CRLF, up to the empty last one and its CRLF. */
      for (;;)
        {
          g_autoptr(GString) line = g_string_new (NULL);

          while (!g_str_has_suffix (line->str, "\r\n"))
            {
              if (recv (fd, &c, 1, 0) != 1)
                return NULL;
              g_string_append_c (line, c);
            }
          body = (gsize) g_ascii_strtoull (line->str, NULL, 16);
          if (!skip_bytes (fd, body + 2))
            return NULL;
          if (body == 0)
            break;
        }
      return g_string_free (g_steal_pointer (&head), FALSE);
    }
  length = strstr (lower, "\r\ncontent-length: ");
  g_assert_nonnull (length);
  body = (gsize) g_ascii_strtoull (length + strlen ("\r\ncontent-length: "), NULL, 10);
  if (!skip_bytes (fd, body))
    return NULL;
  return g_string_free (g_steal_pointer (&head), FALSE);
}

static gboolean
says_close (const char *head)
{
  g_autofree char *lower = g_ascii_strdown (head, -1);

  return strstr (lower, "\r\nconnection: close\r\n") != NULL;
}

/* Seconds until the platform closed @fd (end of file, nothing else sent before it), or a
 * negative number when it was still open after @seconds. */
static double
wait_for_close (int    fd,
                double seconds)
{
  gint64 start = g_get_monotonic_time ();
  struct pollfd pfd = { fd, POLLIN, 0 };
  char byte;

  if (poll (&pfd, 1, (int) (seconds * 1000)) != 1)
    return -1;
  g_assert_cmpint (recv (fd, &byte, 1, 0), <=, 0);
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* Fifty clients each send three requests on one connection, then close it while it is idle:
 * the platform closes its ends at once (libsoup 3.2 alone would keep them in CLOSE_WAIT). */
static void
test_keep_alive_closed_by_clients (void)
{
  /* The timeouts far off, so that only the clients' closing can close the connections. */
  const char *args[] = { "--request-timeout", "60", "--idle-timeout", "60", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start_with_args (args, &error);
  g_autofree char *token = NULL;
  int clients[50];
  GPid pid;
  guint baseline, port;
  double recovered;

  g_assert_no_error (error);
  pid = ow_test_platform_get_pid (platform);
  port = platform_port (platform);
  token = ow_test_platform_login (platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  assert_serves (platform, token);
  baseline = settled_fds (pid);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = connect_silent (port);
  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
      {
        g_autofree char *head = NULL;

        send_get (clients[i], "/api/v1/catalog", token);
        head = read_answer (clients[i]);
        g_assert_nonnull (head);
        g_assert_true (g_str_has_prefix (head, "HTTP/1.1 200 "));
        g_assert_false (says_close (head));
      }
  /* All fifty are idle on the platform, each a descriptor. */
  g_assert_cmpuint (count_fds (pid), ==, baseline + G_N_ELEMENTS (clients));

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    close (clients[i]);
  recovered = wait_for_fds (pid, baseline, FALSE, 2);
  g_test_message ("50 idle keep-alive connections closed by their clients: the platform held "
                  "%u descriptors again %.2f s later (baseline %u)", count_fds (pid), recovered,
                  baseline);
  g_assert_cmpfloat (recovered, >=, 0);
  assert_serves (platform, token);
}

/* An idle connection is closed by the platform, without a word, once the idle timeout passed; a
 * later request on a kept-alive connection is checked as the first was; pipelined requests are
 * answered in turn; and the platform stops cleanly with idle connections open. */
static void
test_keep_alive_idle_timeout (void)
{
  const char *args[] = { "--idle-timeout", "1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start_with_args (args, &error);
  g_autofree char *token = NULL;
  g_autofree char *head = NULL;
  g_autofree char *pipelined = NULL;
  GPid pid;
  guint baseline, port;
  gint64 answered;
  double closed;
  int fd;

  g_assert_no_error (error);
  pid = ow_test_platform_get_pid (platform);
  port = platform_port (platform);
  token = ow_test_platform_login (platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  assert_serves (platform, token);
  baseline = settled_fds (pid);

  fd = connect_silent (port);
  send_get (fd, "/api/v1/catalog", token);
  head = read_answer (fd);
  answered = g_get_monotonic_time ();
  g_assert_nonnull (head);
  g_assert_false (says_close (head));
  g_assert_cmpfloat (wait_for_close (fd, 5), >=, 0);
  closed = (double) (g_get_monotonic_time () - answered) / G_USEC_PER_SEC;
  g_test_message ("an idle connection was closed %.2f s after its answer (idle timeout 1 s)",
                  closed);
  /* The sweep looks once a second. */
  g_assert_cmpfloat (closed, >=, 0.9);
  g_assert_cmpfloat (closed, <, 3);
  close (fd);
  g_assert_cmpfloat (wait_for_fds (pid, baseline, FALSE, 2), >=, 0);

  /* HTTP/0.9 after a first request that was HTTP/1.1: 400 at once, and closed. */
  fd = connect_silent (port);
  send_get (fd, "/api/v1/catalog", token);
  g_clear_pointer (&head, g_free);
  head = read_answer (fd);
  g_assert_nonnull (head);
  send_text (fd, "GET /api/v1/catalog\r\n");
  g_clear_pointer (&head, g_free);
  head = read_answer (fd);
  g_assert_nonnull (head);
  g_assert_true (g_str_has_prefix (head, "HTTP/1.1 400 "));
  g_assert_true (says_close (head));
  g_assert_cmpfloat (wait_for_close (fd, 0.5), >=, 0);
  close (fd);

  /* Two requests in one piece: two answers, in turn. */
  fd = connect_silent (port);
  pipelined = g_strdup_printf ("GET /api/v1/catalog HTTP/1.1\r\nHost: x\r\n"
                               "Authorization: Bearer %s\r\n\r\n"
                               "GET /api/v1/nothing-here HTTP/1.1\r\nHost: x\r\n"
                               "Authorization: Bearer %s\r\n\r\n", token, token);
  send_text (fd, pipelined);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&head, g_free);
      head = read_answer (fd);
      g_assert_nonnull (head);
      g_assert_true (g_str_has_prefix (head, i == 0 ? "HTTP/1.1 200 " : "HTTP/1.1 404 "));
    }

  /* Stopped while that connection is idle: it exits cleanly, at once. */
  g_assert_true (ow_test_platform_stop (platform));
  close (fd);
}

/* Near --max-connections the platform makes room: idle connections are closed at once and
 * answers say "Connection: close"; with room again, connections are kept alive again. */
static void
test_keep_alive_crowded (void)
{
  /* 90 % of 20 is 18: more than that open is crowded. */
  const char *args[] = { "--max-connections", "20", "--request-timeout", "30",
                         "--idle-timeout", "30", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(OwTestPlatform) platform = ow_test_platform_start_with_args (args, &error);
  g_autofree char *token = NULL;
  g_autofree char *head = NULL;
  int silent[18];
  GPid pid;
  guint baseline, port;
  double closed;
  int idle, fd;

  g_assert_no_error (error);
  pid = ow_test_platform_get_pid (platform);
  port = platform_port (platform);
  token = ow_test_platform_login (platform, "clerk", "demo", &error);
  g_assert_no_error (error);
  assert_serves (platform, token);
  baseline = settled_fds (pid);

  idle = connect_silent (port);
  send_get (idle, "/api/v1/catalog", token);
  head = read_answer (idle);
  g_assert_nonnull (head);
  g_assert_false (says_close (head));

  for (guint i = 0; i < G_N_ELEMENTS (silent); i++)
    silent[i] = connect_silent (port);
  g_assert_cmpfloat (wait_for_fds (pid, baseline + 1 + G_N_ELEMENTS (silent), TRUE, 5), >=, 0);
  /* 19 open: the idle one goes at the sweep's next look. */
  closed = wait_for_close (idle, 3);
  g_test_message ("crowded: an idle connection was closed after %.2f s", closed);
  g_assert_cmpfloat (closed, >=, 0);
  close (idle);

  /* 19 open again with this one: its answer closes it. */
  fd = connect_silent (port);
  send_get (fd, "/api/v1/catalog", token);
  g_clear_pointer (&head, g_free);
  head = read_answer (fd);
  g_assert_nonnull (head);
  g_assert_true (g_str_has_prefix (head, "HTTP/1.1 200 "));
  g_assert_true (says_close (head));
  g_assert_cmpfloat (wait_for_close (fd, 1), >=, 0);
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (silent); i++)
    close (silent[i]);
  g_assert_cmpfloat (wait_for_fds (pid, baseline, FALSE, RECOVERY_SECONDS), >=, 0);
  fd = connect_silent (port);
  send_get (fd, "/api/v1/catalog", token);
  g_clear_pointer (&head, g_free);
  head = read_answer (fd);
  g_assert_nonnull (head);
  g_assert_false (says_close (head));
  close (fd);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    {
      g_printerr ("usage: %s CONNECTION-CLIENTS\n", argv[0]);
      return 2;
    }
  helper_path = argv[1];

  g_test_add_func ("/connections/killed-clients", test_killed_clients);
  g_test_add_func ("/connections/bounded", test_bounded);
  g_test_add_func ("/connections/out-of-descriptors", test_out_of_descriptors);
  g_test_add_func ("/connections/keep-alive/closed-by-clients", test_keep_alive_closed_by_clients);
  g_test_add_func ("/connections/keep-alive/idle-timeout", test_keep_alive_idle_timeout);
  g_test_add_func ("/connections/keep-alive/crowded", test_keep_alive_crowded);

  return g_test_run ();
}
