/* ow-test-counter.h — one counter for the GUI tests: platform, printer, store, window, log-in
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Link with owtest_dep (tests/common). A counter as the clerk's PC has it, against the real
 * onewindow-platform:
 *
 *   OwTestCounter counter = { 0 };
 *
 *   ow_test_counter_start (&counter, OW_TEST_COUNTER_PRINTER | OW_TEST_COUNTER_SCANNER, NULL);
 *   ow_test_counter_log_in (&counter, "clerk");
 *   …
 *   ow_test_counter_stop (&counter);
 *
 * The store lives in the platform's temporary folder ("counter/onewindow.db"), so it goes when
 * the platform is freed. The application is G_APPLICATION_NON_UNIQUE: several suites may share
 * one session bus, and this instance must not be taken for another. One application per test
 * process: it is registered on the session bus.
 */

#pragma once

#include <adwaita.h>

#include "gui/shell/ow-application.h"
#include "gui/shell/ow-context.h"
#include "gui/shell/ow-window.h"
#include "ow-test-platform.h"

G_BEGIN_DECLS

typedef enum
{
  OW_TEST_COUNTER_DEFAULT      = 0,
  /* A real ippeveprinter spooling into @spool; none when it is not installed (said with
   * g_test_message), so that the test decides whether to go on. */
  OW_TEST_COUNTER_PRINTER      = 1 << 0,
  /* SANE's test backend, device test:0 (tests/sane through SANE_CONFIG_DIR). */
  OW_TEST_COUNTER_SCANNER      = 1 << 1,
  /* The context alone, opened and owned by the counter; no application and no window: for a
   * widget tested in a window of the test's own. */
  OW_TEST_COUNTER_CONTEXT_ONLY = 1 << 2,
  /* No platform: a temporary folder of the counter's own, and a platform URI nobody answers
   * (port 9 on loopback), so that the sync engine stays offline. */
  OW_TEST_COUNTER_OFFLINE      = 1 << 3,
} OwTestCounterFlags;

typedef struct
{
  OwTestPlatform *platform;     /* NULL when offline */
  OwApplication  *app;          /* NULL with OW_TEST_COUNTER_CONTEXT_ONLY */
  OwContext      *context;      /* the application's, or the counter's own */
  OwWindow       *window;       /* NULL with OW_TEST_COUNTER_CONTEXT_ONLY */
  char           *store_path;
  GSubprocess    *printer;      /* NULL without a running ippeveprinter */
  char           *printer_uri;  /* the printer's, the one forced, or NULL */
  char           *spool;        /* where the printer keeps what it received; with the flag only */
  char           *tmp_dir;      /* the counter's own folder when offline, else NULL */
  char           *scanner;      /* the scanner forced, or NULL */
} OwTestCounter;

/* Starts a counter on @counter (zeroed) with the window presented on the log-in page and the
 * store open. @printer_uri, when not NULL, is the printer the counter is configured with (a
 * dead port, for instance) instead of one it starts: not with OW_TEST_COUNTER_PRINTER. */
void           ow_test_counter_start            (OwTestCounter      *counter,
                                                 OwTestCounterFlags  flags,
                                                 const char         *printer_uri);
/* Logs @username in with the password "demo", as a clerk types it on the log-in page (or
 * through the context when there is no window) and waits for the workspaces and the user;
 * fails at once with the error the page shows. */
void           ow_test_counter_log_in           (OwTestCounter      *counter,
                                                 const char         *username);
/* Destroys the window, drops the application or the context, stops the printer and the
 * platform, removes the folders, frees; @counter is zeroed. */
void           ow_test_counter_stop             (OwTestCounter      *counter);

/* A counter PC as it was before the test: @username logged in at it once (password "demo")
 * while the platform answered, then logged out, and the platform stopped since. Returns the
 * platform (stopped), for ow_test_counter_start_on(), which starts the counter on that PC's
 * store: one application per process, so the earlier session ran in a context of its own. */
OwTestPlatform *ow_test_counter_prepare_known   (const char         *username);
/* ow_test_counter_start() on @platform (taken; it may be stopped) and its counter's store. */
void           ow_test_counter_start_on         (OwTestCounter      *counter,
                                                 OwTestCounterFlags  flags,
                                                 OwTestPlatform     *platform,
                                                 const char         *printer_uri);

/* The printer goes away (its URI stays configured) … */
void           ow_test_counter_stop_printer     (OwTestCounter      *counter);
/* … and comes back on the same port and spool. */
void           ow_test_counter_restart_printer  (OwTestCounter      *counter);

/* The complete item @item_id of the counter's catalog, loaded from its store if it was only
 * listed (borrowed: the catalog holds it from now on); fails when the catalog does not list it. */
OwItem         *ow_test_counter_load_item       (OwTestCounter      *counter,
                                                 const char         *item_id);
/* The same for the first item whose name is @name. */
OwItem         *ow_test_counter_load_item_named (OwTestCounter      *counter,
                                                 const char         *name);

/* GET @path from the platform as @username (password "demo"); fails unless it answers 200. */
OwTestResponse *ow_test_counter_get             (OwTestCounter      *counter,
                                                 const char         *username,
                                                 const char         *path);

G_END_DECLS
