/* ow-platform-admin.h — onewindow-platform admin: users, catalog and cases from the shell
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes of the admin commands. */
enum
{
  OW_ADMIN_EXIT_OK = 0,
  OW_ADMIN_EXIT_FAILED = 1,  /* the command could not be done (no such case, database error …) */
  OW_ADMIN_EXIT_USAGE = 2,   /* the command line is wrong */
};

/* Runs "admin …" (@argv[0] is the program, @argv[1] "admin"); returns the exit code. */
int ow_platform_admin_run (int    argc,
                           char **argv);

G_END_DECLS
