/* ow-directory.h — the people of the hall, by log-in name: how the interface names them
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Log-in names ("department", "clerk") are identifiers: timelines, assignees and choosers show
 * the person instead, with their department (ow_user_describe). The directory is the platform's
 * GET /api/v1/users of the hall, fetched after each log-in and kept in memory for the session,
 * like the catalog; the user of the session is always in it. No GTK here.
 */
#pragma once

#include <gio/gio.h>

#include "net/ow-client.h"

G_BEGIN_DECLS

#define OW_TYPE_DIRECTORY (ow_directory_get_type ())
G_DECLARE_FINAL_TYPE (OwDirectory, ow_directory, OW, DIRECTORY, GObject)

OwDirectory  *ow_directory_new          (OwClient       *client);

/* Forgets everyone but @user (the session's, NULL when logged out) and asks the platform for
 * the rest of the hall. */
void          ow_directory_reset        (OwDirectory    *self,
                                         const OwUser   *user);
/* What it knows becomes @users (OwUser; e.g. an answer of ow_client_list_users_async() for
 * every role), together with the session's user; emits "changed". */
void          ow_directory_set_users    (OwDirectory    *self,
                                         GPtrArray      *users);
/* Asks the platform again, unless it is already asking. */
void          ow_directory_refresh      (OwDirectory    *self);

/* The user named @username, or NULL when the directory does not know them. */
const OwUser *ow_directory_lookup       (OwDirectory    *self,
                                         const char     *username);
/* How the interface names @username: ow_user_describe() of them, or "Unknown user" (never the
 * log-in name). An unknown name makes the directory ask the platform again, at most once a
 * minute; "changed" says when the answer came. */
char         *ow_directory_describe     (OwDirectory    *self,
                                         const char     *username);
/* Whether @username works for a department and @user for the same one: a ticket assigned to
 * them is @user's department's too (the platform's rule, ow-platform-access.h). */
gboolean      ow_directory_same_department (OwDirectory  *self,
                                         const OwUser   *user,
                                         const char     *username);
/* Everyone it knows, sorted by log-in name (OwUser, owned by the directory; unref the array). */
GPtrArray    *ow_directory_list         (OwDirectory    *self);

G_END_DECLS
