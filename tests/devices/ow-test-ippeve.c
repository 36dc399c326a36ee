/* ow-test-ippeve.c — a real IPP Everywhere printer (ippeveprinter) for tests and benchmarks
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <cups/cups.h>

#include "ow-test-ippeve.h"

static guint16
pick_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Children die with the test, even when an assertion aborts it before the tear-down. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

static gboolean
printer_answers (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "localhost", port, NULL, NULL);
  return connection != NULL;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
stop_process (GSubprocess **process)
{
  const char *pid;

  if (*process == NULL)
    return;
  /* A stopped process must be woken for SIGKILL to be reaped cleanly. */
  pid = g_subprocess_get_identifier (*process);
  if (pid != NULL)
    kill (atoi (pid), SIGCONT);
  g_subprocess_force_exit (*process);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

/* The test environment names the program meson found (it lives in /usr/sbin on Debian, off an
 * ordinary user's PATH); the benchmarks run it from the same place. */
static const char *
ippeveprinter_program (void)
{
  const char *program = g_getenv ("OW_IPPEVEPRINTER");

  if (program != NULL && *program != '\0')
    return program;
  return g_file_test ("/usr/sbin/ippeveprinter", G_FILE_TEST_IS_EXECUTABLE)
         ? "/usr/sbin/ippeveprinter" : "ippeveprinter";
}

static void
spawn_printer (OwTestIppeve *ippeve,
               const char   *command)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *port = g_strdup_printf ("%u", ippeve->port);
  gint64 deadline;

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS", ippeve->bus_address, TRUE);
  g_ptr_array_add (argv, (char *) ippeveprinter_program ());
  g_ptr_array_add (argv, (char *) "-p");
  g_ptr_array_add (argv, port);
  g_ptr_array_add (argv, (char *) "-n");
  g_ptr_array_add (argv, (char *) "localhost");
  g_ptr_array_add (argv, (char *) "-d");
  g_ptr_array_add (argv, ippeve->spool);
  g_ptr_array_add (argv, (char *) "-k");
  if (g_strcmp0 (command, "") != 0)
    {
      g_ptr_array_add (argv, (char *) "-c");
      g_ptr_array_add (argv, (char *) (command != NULL ? command : "/bin/true"));
    }
  g_ptr_array_add (argv, (char *) "-f");
  g_ptr_array_add (argv, (char *) "application/pdf,image/pwg-raster");
  g_ptr_array_add (argv, (char *) "-r");
  g_ptr_array_add (argv, (char *) "off");
  g_ptr_array_add (argv, (char *) "OneWindowTest");
  g_ptr_array_add (argv, NULL);
  ippeve->printer = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!printer_answers (ippeve->port))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
}

OwTestIppeve *
ow_test_ippeve_start (const char *command)
{
  OwTestIppeve *ippeve = g_new0 (OwTestIppeve, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) bus_launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;

  ippeve->tmpdir = g_dir_make_tmp ("ow-ippeve-XXXXXX", &error);
  g_assert_no_error (error);
  ippeve->spool = g_build_filename (ippeve->tmpdir, "spool", NULL);
  g_assert_cmpint (g_mkdir (ippeve->spool, 0700), ==, 0);

  /* ippeveprinter needs a bus for DNS-SD even with -r off; a private one is enough. */
  bus_launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  ippeve->bus = g_subprocess_launcher_spawn (bus_launcher, &error, "dbus-daemon", "--session",
                                             "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (ippeve->bus));
  ippeve->bus_address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ippeve->bus_address);

  ippeve->port = pick_free_port ();
  ippeve->uri = g_strdup_printf ("ipp://localhost:%u/ipp/print", ippeve->port);
  spawn_printer (ippeve, command);
  return ippeve;
}

void
ow_test_ippeve_kill (OwTestIppeve *ippeve)
{
  stop_process (&ippeve->printer);
}

void
ow_test_ippeve_restart (OwTestIppeve *ippeve,
                        const char   *command)
{
  stop_process (&ippeve->printer);
  remove_tree (ippeve->spool);
  g_assert_cmpint (g_mkdir (ippeve->spool, 0700), ==, 0);
  spawn_printer (ippeve, command);
}

/* Returns the path of the file under @dir holding exactly @pdf, or NULL. */
static char *
dir_find (const char *dir,
          GBytes     *pdf,
          guint      *n_files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          char *inner = dir_find (path, pdf, n_files);

          if (found == NULL)
            found = inner;
          else
            g_free (inner);
          continue;
        }
      (*n_files)++;
      if (found == NULL && g_file_get_contents (path, &contents, &length, NULL)
          && length == g_bytes_get_size (pdf)
          && memcmp (contents, g_bytes_get_data (pdf, NULL), length) == 0)
        found = g_steal_pointer (&path);
    }
  return found;
}

gboolean
ow_test_ippeve_spool_holds (OwTestIppeve *ippeve,
                            GBytes       *pdf,
                            guint        *n_files)
{
  guint ignored = 0;
  g_autofree char *path = dir_find (ippeve->spool, pdf, n_files != NULL ? n_files : &ignored);

  return path != NULL;
}

char *
ow_test_ippeve_spool_find (OwTestIppeve *ippeve,
                           GBytes       *pdf)
{
  guint ignored = 0;

  return dir_find (ippeve->spool, pdf, &ignored);
}

int
ow_test_ippeve_job_state (OwTestIppeve *ippeve,
                          int           job_id,
                          gboolean     *stopping)
{
  http_t *http = httpConnect2 ("localhost", ippeve->port, NULL, AF_UNSPEC,
                               HTTP_ENCRYPTION_NEVER, 1, 5000, NULL);
  ipp_t *request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  ipp_t *response;
  ipp_attribute_t *attr;
  int state = 0;

  if (http == NULL)
    {
      ippDelete (request);
      return 0;
    }
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, ippeve->uri);
  ippAddInteger (request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
                cupsUser ());
  response = cupsDoRequest (http, request, "/ipp/print");
  attr = response != NULL ? ippFindAttribute (response, "job-state", IPP_TAG_ENUM) : NULL;
  if (attr != NULL)
    state = ippGetInteger (attr, 0);
  attr = response != NULL ? ippFindAttribute (response, "job-state-reasons", IPP_TAG_KEYWORD)
                          : NULL;
  if (stopping != NULL)
    *stopping = attr != NULL && ippContainsString (attr, "processing-to-stop-point");
  ippDelete (response);
  httpClose (http);
  return state;
}

char *
ow_test_ippeve_path (OwTestIppeve *ippeve,
                     const char   *name)
{
  return g_build_filename (ippeve->tmpdir, name, NULL);
}

void
ow_test_ippeve_stop (OwTestIppeve *ippeve)
{
  if (ippeve == NULL)
    return;
  stop_process (&ippeve->printer);
  stop_process (&ippeve->bus);
  remove_tree (ippeve->tmpdir);
  g_free (ippeve->tmpdir);
  g_free (ippeve->spool);
  g_free (ippeve->bus_address);
  g_free (ippeve->uri);
  g_free (ippeve);
}
