/* bench-soup-server.c — libsoup's SoupServer alone, answering the same bytes as the platform
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not the platform and not part of it: the part of bench-sync that asks how fast a case read can
 * be with the HTTP server the platform is built on (design.md: libsoup's SoupServer) and nothing
 * else. It reads every file under ROOT into memory and answers GET /PATH with the bytes of
 * ROOT/PATH (404 otherwise), one thread, keep-alive as SoupServer does it, no token, no
 * database, no worker threads. What the platform adds on top (the token and the case looked up
 * in its database on a worker) is the difference between the two figures; what nginx does
 * better than any SoupServer is the difference between this one and nginx's.
 *
 *   bench-soup-server ROOT PORT [--share-port]
 *
 * With --share-port, several of these listen on one port (SO_REUSEPORT), as the platform's
 * processes do with theirs. It prints "listening" once it does, and runs until killed.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libsoup/soup.h>

static GHashTable *answers;   /* "/api/v1/cases/…" → GBytes */

static void
load (const char *root,
      const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        load (root, path);
      else if (g_file_get_contents (path, &contents, &length, NULL))
        g_hash_table_insert (answers, g_strdup (path + strlen (root)),
                             g_bytes_new_take (contents, length));
    }
}

static void
answer_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  GBytes *bytes = g_hash_table_lookup (answers, path);

  if (bytes == NULL)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (message),
                                         "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (message), bytes);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  struct sockaddr_in address = { .sin_family = AF_INET };
  gboolean share = argc > 3 && strcmp (argv[3], "--share-port") == 0;
  int fd, one = 1;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s ROOT PORT [--share-port]\n", argv[0]);
      return 2;
    }
  answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_bytes_unref);
  load (argv[1], argv[1]);

  /* Bound by hand, as the platform binds with --share-port: g_socket_bind() turns
   * SO_REUSEPORT off for stream sockets. */
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  address.sin_port = htons ((guint16) atoi (argv[2]));
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
      || (share && setsockopt (fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
      || bind (fd, (struct sockaddr *) &address, sizeof address) != 0 || listen (fd, 4096) != 0)
    {
      perror ("listening");
      return 1;
    }
  listener = g_socket_new_from_fd (fd, &error);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, answer_cb, NULL, NULL);
  if (listener == NULL || !soup_server_listen_socket (server, listener, 0, &error))
    {
      fprintf (stderr, "listening: %s\n", error->message);
      return 1;
    }
  printf ("listening\n");
  fflush (stdout);
  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);
  return 0;
}
