/* test-error.c — the domain layer's error domain
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-error.h"

static void
test_quark (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (OW_CORE_ERROR, !=, 0);
  g_assert_cmpuint (OW_CORE_ERROR, ==, ow_core_error_quark ());
  g_assert_cmpstr (g_quark_to_string (OW_CORE_ERROR), ==, "ow-core-error-quark");

  g_set_error_literal (&error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE, "x");
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_assert_false (g_error_matches (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID));
  g_assert_false (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_FAILED));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/quark", test_quark);

  return g_test_run ();
}
