/* ow-user.c — a person who works with the platform
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ow-user.h"

OwUser *
ow_user_copy (const OwUser *user)
{
  OwUser *copy;

  if (user == NULL)
    return NULL;
  copy = g_new0 (OwUser, 1);
  copy->username = g_strdup (user->username);
  copy->display_name = g_strdup (user->display_name);
  copy->roles = g_strdupv (user->roles);
  copy->hall = g_strdup (user->hall);
  copy->hall_name = g_strdup (user->hall_name);
  copy->counter = user->counter;
  copy->department = g_strdup (user->department);
  return copy;
}

void
ow_user_free (OwUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->display_name);
  g_strfreev (user->roles);
  g_free (user->hall);
  g_free (user->hall_name);
  g_free (user->department);
  g_free (user);
}

gboolean
ow_user_has_role (const OwUser *user,
                  const char   *role)
{
  g_return_val_if_fail (role != NULL, FALSE);

  return user != NULL && user->roles != NULL
         && g_strv_contains ((const char * const *) user->roles, role);
}

gboolean
ow_user_sees_department_only (const OwUser *user)
{
  static const char * const hall_roles[] = { "clerk", "pickup", "supervisor", NULL };

  if (!ow_user_has_role (user, "department"))
    return FALSE;
  for (guint i = 0; hall_roles[i] != NULL; i++)
    if (ow_user_has_role (user, hall_roles[i]))
      return FALSE;
  return TRUE;
}

char *
ow_user_describe (const OwUser *user)
{
  g_return_val_if_fail (user != NULL, NULL);

  /* The codec fills the display name in from the log-in name only when a platform sent none. */
  if (user->department != NULL && *user->department != '\0')
    /* Translators: a person's name, then the department they work for */
    return g_strdup_printf (_("%s · %s"), user->display_name, user->department);
  return g_strdup (user->display_name);
}
