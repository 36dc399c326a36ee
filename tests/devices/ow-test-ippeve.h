/* ow-test-ippeve.h — a real IPP Everywhere printer (ippeveprinter) for tests and benchmarks
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char        *tmpdir;
  char        *spool;     /* what -k keeps of each job, byte for byte */
  char        *bus_address;
  GSubprocess *bus;
  GSubprocess *printer;
  guint16      port;
  char        *uri;       /* ipp://localhost:PORT/ipp/print */
} OwTestIppeve;

/* Starts a private D-Bus daemon and ippeveprinter on a free port, and waits until it answers.
 * @command is the print command (-c): NULL for /bin/true (jobs complete at once), "" for none
 * (ippeveprinter then takes seconds per job, as a real printer would). */
OwTestIppeve *ow_test_ippeve_start       (const char   *command);
/* Kills the printer process (SIGKILL), as a printer switched off mid-job. */
void          ow_test_ippeve_kill        (OwTestIppeve *ippeve);
/* Starts the printer again on the same port with an empty spool. */
void          ow_test_ippeve_restart     (OwTestIppeve *ippeve,
                                          const char   *command);
/* Whether a spooled file holds exactly @pdf; @n_files counts the files seen. */
gboolean      ow_test_ippeve_spool_holds (OwTestIppeve *ippeve,
                                          GBytes       *pdf,
                                          guint        *n_files);
/* The path of the spooled file that holds exactly @pdf, or NULL. */
char         *ow_test_ippeve_spool_find  (OwTestIppeve *ippeve,
                                          GBytes       *pdf);
/* The job's "job-state" as the printer tells it (0 when it does not answer); @stopping, when
 * not NULL, whether the job is cancelled but still finishing its page. */
int           ow_test_ippeve_job_state   (OwTestIppeve *ippeve,
                                          int           job_id,
                                          gboolean     *stopping);
/* Stops what was started and removes the temporary files. */
void          ow_test_ippeve_stop        (OwTestIppeve *ippeve);
/* A file in the printer's temporary folder, for scripts and documents. */
char         *ow_test_ippeve_path        (OwTestIppeve *ippeve,
                                          const char   *name);

G_END_DECLS
