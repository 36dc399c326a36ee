/* ow-workspace.h — which workspaces of the window each role of the hall has
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that says who works where (design.md §1): a role gives a set of workspaces, a
 * user with several roles gets their union, and the window shows those, in the order of the
 * enumeration. No GTK here: the rule is tested on its own.
 */
#pragma once

#include <glib.h>

#include "net/ow-client.h"

G_BEGIN_DECLS

typedef enum
{
  OW_WORKSPACE_NONE     = 0,
  OW_WORKSPACE_INTAKE   = 1 << 0,  /* 综合受理: the comprehensive window's intake counter */
  OW_WORKSPACE_PICKUP   = 1 << 1,  /* 统一出件: the unified pick-up window */
  OW_WORKSPACE_OVERVIEW = 1 << 2,  /* the hall supervisor's overview */
  OW_WORKSPACE_CASES    = 1 << 3,  /* a department's own cases, read-only */
  OW_WORKSPACE_TICKETS  = 1 << 4,  /* 未办成事: unfinished business */
} OwWorkspaces;

#define OW_WORKSPACE_ALL (OW_WORKSPACE_INTAKE | OW_WORKSPACE_PICKUP | OW_WORKSPACE_OVERVIEW \
                          | OW_WORKSPACE_CASES | OW_WORKSPACE_TICKETS)

/* The workspaces of someone with @roles (NULL-terminated, may be NULL). */
OwWorkspaces ow_workspaces_for_roles (const char * const *roles);
/* The same for @user, without the intake counter when the user has no counter number: a case
 * number needs one. */
OwWorkspaces ow_workspaces_for_user  (const OwUser       *user);
/* Whether @user may register unfinished business (the hall's own staff; departments answer). */
gboolean     ow_workspaces_may_register_tickets (const OwUser *user);

/* One workspace's name: the window's page, the shortcuts window's view ("intake" …). */
const char  *ow_workspace_get_name   (OwWorkspaces        workspace);
OwWorkspaces ow_workspace_from_name  (const char         *name);
/* The first workspace of @set in the window's order, OW_WORKSPACE_NONE for none. */
OwWorkspaces ow_workspaces_first     (OwWorkspaces        set);
guint        ow_workspaces_count     (OwWorkspaces        set);

G_END_DECLS
