/* ow-user.h — a person who works with the platform: a clerk, the pick-up window, a supervisor,
 * a department's staff
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain record, as the platform describes a user (the session's user, the hall's directory of
 * GET /api/v1/users); never a password or its hash. Its wire form is the codec's
 * (ow_json_from_user, ow_json_to_user in net/ow-json.h).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char  *username;      /* the log-in name: an identifier, never shown to people */
  char  *display_name;  /* the person's name, as shown */
  char **roles;         /* "clerk", "pickup", "supervisor", "department", "admin" */
  char  *hall;          /* 8-digit hall code */
  char  *hall_name;
  guint  counter;       /* 0 for users without a counter */
  /* For department users: the department they work for, spelt as the catalog's items name it
   * in `department` ("海口市市场监督管理局"); NULL for everyone else. */
  char  *department;
} OwUser;

OwUser  *ow_user_copy     (const OwUser *user);
void     ow_user_free     (OwUser *user);
gboolean ow_user_has_role (const OwUser *user,
                           const char   *role);
/* Whether @user sees only their department's cases and tickets: the role department and none of
 * the roles that serve the whole hall (clerk, pickup, supervisor). The platform's rule
 * (platform/ow-platform-access.h), which a counter mirrors on what it keeps locally. */
gboolean ow_user_sees_department_only (const OwUser *user);
/* How the interface names @user: the display name, followed by the department for a user who
 * works for one ("赵强 · 海口市市场监督管理局"). Never the log-in name. */
char    *ow_user_describe (const OwUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwUser, ow_user_free)

G_END_DECLS
