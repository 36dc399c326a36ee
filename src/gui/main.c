/* main.c — starts the OneWindow counter application
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "core/ow-locale.h"
#include "gui/shell/ow-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OwApplication) app = NULL;

  /* The session's language, also from the build tree (tools/demo, the tests). */
  ow_locale_init ();
  /* GTK would call setlocale() again and warn where ow_locale_init() fell back to C.UTF-8. */
  gtk_disable_setlocale ();

  app = ow_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
