/* test-workspace.c — the table of which workspaces each role of the hall has
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gui/shell/ow-workspace.h"

static void
test_roles (void)
{
  const char * const clerk[] = { "clerk", NULL };
  const char * const pickup[] = { "pickup", NULL };
  const char * const supervisor[] = { "supervisor", NULL };
  const char * const department[] = { "department", NULL };
  const char * const two[] = { "department", "clerk", NULL };
  const char * const admin[] = { "admin", NULL };
  const char * const unknown[] = { "cashier", NULL };

  g_assert_cmpint (ow_workspaces_for_roles (clerk), ==,
                   OW_WORKSPACE_INTAKE | OW_WORKSPACE_TICKETS);
  g_assert_cmpint (ow_workspaces_for_roles (pickup), ==,
                   OW_WORKSPACE_PICKUP | OW_WORKSPACE_TICKETS);
  g_assert_cmpint (ow_workspaces_for_roles (supervisor), ==,
                   OW_WORKSPACE_OVERVIEW | OW_WORKSPACE_TICKETS);
  g_assert_cmpint (ow_workspaces_for_roles (department), ==,
                   OW_WORKSPACE_CASES | OW_WORKSPACE_TICKETS);
  /* Several roles: the union. */
  g_assert_cmpint (ow_workspaces_for_roles (two), ==,
                   OW_WORKSPACE_INTAKE | OW_WORKSPACE_CASES | OW_WORKSPACE_TICKETS);
  /* Roles this app does not serve give nothing, so the log-in is refused. */
  g_assert_cmpint (ow_workspaces_for_roles (admin), ==, OW_WORKSPACE_NONE);
  g_assert_cmpint (ow_workspaces_for_roles (unknown), ==, OW_WORKSPACE_NONE);
  g_assert_cmpint (ow_workspaces_for_roles (NULL), ==, OW_WORKSPACE_NONE);
}

static void
test_user (void)
{
  char *clerk_roles[] = { (char *) "clerk", NULL };
  char *department_roles[] = { (char *) "department", NULL };
  OwUser at_counter = { .username = (char *) "clerk", .roles = clerk_roles, .counter = 7 };
  OwUser no_counter = { .username = (char *) "desk", .roles = clerk_roles, .counter = 0 };
  OwUser department = { .username = (char *) "department", .roles = department_roles };

  g_assert_cmpint (ow_workspaces_for_user (&at_counter), ==,
                   OW_WORKSPACE_INTAKE | OW_WORKSPACE_TICKETS);
  /* No counter, no case numbers: intake is left out. */
  g_assert_cmpint (ow_workspaces_for_user (&no_counter), ==, OW_WORKSPACE_TICKETS);
  g_assert_cmpint (ow_workspaces_for_user (NULL), ==, OW_WORKSPACE_NONE);
  g_assert_true (ow_workspaces_may_register_tickets (&at_counter));
  g_assert_false (ow_workspaces_may_register_tickets (&department));
  g_assert_false (ow_workspaces_may_register_tickets (NULL));
}

static void
test_names (void)
{
  OwWorkspaces order[] = { OW_WORKSPACE_INTAKE, OW_WORKSPACE_PICKUP, OW_WORKSPACE_OVERVIEW,
                           OW_WORKSPACE_CASES, OW_WORKSPACE_TICKETS };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *name = ow_workspace_get_name (order[i]);

      g_assert_nonnull (name);
      g_assert_cmpint (ow_workspace_from_name (name), ==, order[i]);
    }
  g_assert_null (ow_workspace_get_name (OW_WORKSPACE_NONE));
  g_assert_cmpint (ow_workspace_from_name ("login"), ==, OW_WORKSPACE_NONE);
  g_assert_cmpint (ow_workspace_from_name (NULL), ==, OW_WORKSPACE_NONE);
  g_assert_cmpint (ow_workspaces_first (OW_WORKSPACE_TICKETS | OW_WORKSPACE_PICKUP), ==,
                   OW_WORKSPACE_PICKUP);
  g_assert_cmpint (ow_workspaces_first (OW_WORKSPACE_NONE), ==, OW_WORKSPACE_NONE);
  g_assert_cmpuint (ow_workspaces_count (OW_WORKSPACE_ALL), ==, 5);
  g_assert_cmpuint (ow_workspaces_count (OW_WORKSPACE_TICKETS), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workspace/roles", test_roles);
  g_test_add_func ("/workspace/user", test_user);
  g_test_add_func ("/workspace/names", test_names);
  return g_test_run ();
}
