/* connection-clients.c — many clients of the platform, caught mid-request, until killed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-connections runs a few of these against the real platform and kills them with SIGKILL,
 * as a crash, a power cut or a pulled cable (seen from the platform, once the cable is back)
 * would. Usage: connection-clients PORT TOKEN SINCE N. It opens N connections to
 * 127.0.0.1:PORT, the i-th in the state i % 5 names:
 *   0 silent    connected, nothing sent
 *   1 headers   half of a request's headers sent
 *   2 body      a ticket PUT whose body stops after 10 of its 1,000 bytes
 *   3 poll      a long poll of the changes feed after cursor SINCE, waiting for its answer
 *   4 answered  a request answered (its headers read), the connection kept alive
 * then prints "ready" and waits to be killed. Plain sockets, so that nothing in between (a
 * client library's pool) decides when a connection closes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define N_STATES 5

static void
die (const char *what)
{
  fprintf (stderr, "connection-clients: %s: %s\n", what, strerror (errno));
  exit (1);
}

static void
send_all (int         fd,
          const char *text)
{
  size_t length = strlen (text);

  while (length > 0)
    {
      ssize_t n = send (fd, text, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("send");
      text += n;
      length -= (size_t) n;
    }
}

/* Reads until the end of the answer's headers. */
static void
read_headers (int fd)
{
  char window[4] = { 0, };
  char c;

  for (;;)
    {
      ssize_t n = recv (fd, &c, 1, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        die ("recv (the answer ended before its headers did)");
      memmove (window, window + 1, 3);
      window[3] = c;
      if (memcmp (window, "\r\n\r\n", 4) == 0)
        return;
    }
}

int
main (int   argc,
      char *argv[])
{
  struct sockaddr_in address = { 0, };
  char request[1024];
  const char *token;
  const char *since;
  long count;

  if (argc != 5)
    {
      fprintf (stderr, "usage: %s PORT TOKEN SINCE N\n", argv[0]);
      return 2;
    }
  address.sin_family = AF_INET;
  address.sin_port = htons ((uint16_t) atoi (argv[1]));
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  token = argv[2];
  since = argv[3];
  count = atol (argv[4]);

  for (long i = 0; i < count; i++)
    {
      int fd = socket (AF_INET, SOCK_STREAM, 0);

      if (fd < 0)
        die ("socket");
      if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
        die ("connect");

      switch (i % N_STATES)
        {
        case 0:
          break;
        case 1:
          snprintf (request, sizeof request,
                    "GET /api/v1/catalog HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bea");
          send_all (fd, request);
          break;
        case 2:
          snprintf (request, sizeof request,
                    "PUT /api/v1/tickets/t-%ld HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                    "Content-Length: 1000\r\n\r\n{\"id\": \"t", i, token);
          send_all (fd, request);
          break;
        case 3:
          snprintf (request, sizeof request,
                    "GET /api/v1/changes?since=%s&timeout=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Authorization: Bearer %s\r\n\r\n", since, token);
          send_all (fd, request);
          break;
        case 4:
          snprintf (request, sizeof request,
                    "GET /api/v1/catalog HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Connection: keep-alive\r\nAuthorization: Bearer %s\r\n\r\n", token);
          send_all (fd, request);
          read_headers (fd);
          break;
        }
      /* Kept open (and leaked on purpose) until the kill. */
    }

  printf ("ready\n");
  fflush (stdout);
  for (;;)
    pause ();
}
