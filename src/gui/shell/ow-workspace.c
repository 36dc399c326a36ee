/* ow-workspace.c — which workspaces of the window each role of the hall has
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gui/shell/ow-workspace.h"

/* Who works where. Every role also follows up unfinished business: the hall's staff register
 * and watch it, departments answer what is assigned to them. */
static const struct
{
  const char   *role;
  OwWorkspaces  workspaces;
  gboolean      registers_tickets;
} role_workspaces[] = {
  { "clerk",      OW_WORKSPACE_INTAKE | OW_WORKSPACE_TICKETS,   TRUE },
  { "pickup",     OW_WORKSPACE_PICKUP | OW_WORKSPACE_TICKETS,   TRUE },
  { "supervisor", OW_WORKSPACE_OVERVIEW | OW_WORKSPACE_TICKETS, TRUE },
  { "department", OW_WORKSPACE_CASES | OW_WORKSPACE_TICKETS,    FALSE },
};

/* In the window's order. */
static const struct
{
  OwWorkspaces  workspace;
  const char   *name;
} workspace_names[] = {
  { OW_WORKSPACE_INTAKE,   "intake" },
  { OW_WORKSPACE_PICKUP,   "pickup" },
  { OW_WORKSPACE_OVERVIEW, "overview" },
  { OW_WORKSPACE_CASES,    "cases" },
  { OW_WORKSPACE_TICKETS,  "tickets" },
};

OwWorkspaces
ow_workspaces_for_roles (const char * const *roles)
{
  OwWorkspaces set = OW_WORKSPACE_NONE;

  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (role_workspaces); j++)
      if (g_str_equal (roles[i], role_workspaces[j].role))
        set |= role_workspaces[j].workspaces;
  return set;
}

OwWorkspaces
ow_workspaces_for_user (const OwUser *user)
{
  OwWorkspaces set;

  if (user == NULL)
    return OW_WORKSPACE_NONE;
  set = ow_workspaces_for_roles ((const char * const *) user->roles);
  if (user->counter == 0)
    set &= ~OW_WORKSPACE_INTAKE;
  return set;
}

gboolean
ow_workspaces_may_register_tickets (const OwUser *user)
{
  for (guint i = 0; user != NULL && user->roles != NULL && user->roles[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (role_workspaces); j++)
      if (g_str_equal (user->roles[i], role_workspaces[j].role)
          && role_workspaces[j].registers_tickets)
        return TRUE;
  return FALSE;
}

const char *
ow_workspace_get_name (OwWorkspaces workspace)
{
  for (guint i = 0; i < G_N_ELEMENTS (workspace_names); i++)
    if (workspace_names[i].workspace == workspace)
      return workspace_names[i].name;
  return NULL;
}

OwWorkspaces
ow_workspace_from_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (workspace_names); i++)
    if (g_str_equal (workspace_names[i].name, name))
      return workspace_names[i].workspace;
  return OW_WORKSPACE_NONE;
}

OwWorkspaces
ow_workspaces_first (OwWorkspaces set)
{
  for (guint i = 0; i < G_N_ELEMENTS (workspace_names); i++)
    if (set & workspace_names[i].workspace)
      return workspace_names[i].workspace;
  return OW_WORKSPACE_NONE;
}

guint
ow_workspaces_count (OwWorkspaces set)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (workspace_names); i++)
    if (set & workspace_names[i].workspace)
      n++;
  return n;
}
