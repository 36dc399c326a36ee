/* ow-context-session.c — logging in, with the platform or without it, and what the link says
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/shell/ow-context-private.h"

/* ---- the link --------------------------------------------------------------------------- */

static void
set_online (OwContext *self,
            gboolean   online)
{
  online = !!online;
  if (self->online == online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), ow_context_properties[OW_CONTEXT_PROP_ONLINE]);
}

static void
reconnected_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OwContext) self = user_data;
  g_autoptr(GError) error = NULL;

  self->reconnecting = FALSE;
  if (!ow_session_reconnect_finish (OW_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, OW_SESSION_ERROR, OW_SESSION_ERROR_PASSWORD_NEEDED))
        g_signal_emit (self, ow_context_signals[OW_CONTEXT_PASSWORD_NEEDED], 0, error->message);
      else if (g_error_matches (error, OW_SESSION_ERROR, OW_SESSION_ERROR_REVOKED))
        g_signal_emit (self, ow_context_signals[OW_CONTEXT_LOGGED_OUT], 0, error->message);
      else
        g_message ("Not reconnected yet: %s", error->message);
      return;
    }
  /* A token again: the outbox drains (the engine resumes on the new token), the catalog and
   * calendar catch up on what was published meanwhile. */
  if (self->sync != NULL)
    ow_sync_kick (self->sync);
  ow_context_update_catalog (self, NULL);
  ow_context_update_calendar (self);
  ow_directory_refresh (self->directory);
}

static void
reconnect (OwContext *self)
{
  if (self->reconnecting || ow_session_get_mode (self->session) != OW_SESSION_OFFLINE)
    return;
  self->reconnecting = TRUE;
  ow_session_reconnect_async (self->session, self->cancellable, reconnected_cb,
                              g_object_ref (self));
}

static void
link_state_changed_cb (OwContext  *self,
                       GParamSpec *pspec,
                       OwLink     *link)
{
  OwLinkState state = ow_link_get_state (link);

  set_online (self, state == OW_LINK_ONLINE);
  g_object_notify_by_pspec (G_OBJECT (self), ow_context_properties[OW_CONTEXT_PROP_LINK_STATE]);
  if (state != OW_LINK_ONLINE)
    return;
  /* Back: end the engine's back-off at once rather than after its next wait. */
  if (self->sync != NULL && ow_session_get_mode (self->session) == OW_SESSION_ONLINE)
    ow_sync_kick (self->sync);
  reconnect (self);
}

static void
session_mode_changed_cb (OwContext  *self,
                         GParamSpec *pspec,
                         OwSession  *session)
{
  g_object_notify_by_pspec (G_OBJECT (self),
                            ow_context_properties[OW_CONTEXT_PROP_SESSION_MODE]);
}

static void
session_user_changed_cb (OwContext  *self,
                         GParamSpec *pspec,
                         OwSession  *session)
{
  /* The hall's people, for names; not needed to start work, so a failure does not fail the
   * log-in. */
  ow_directory_reset (self->directory, ow_session_get_user (session));
  g_object_notify_by_pspec (G_OBJECT (self), ow_context_properties[OW_CONTEXT_PROP_USER]);
}

static void
offline_days_changed_cb (OwContext  *self,
                         const char *key,
                         GSettings  *settings)
{
  ow_session_set_policy (self->session, g_settings_get_uint (settings, "offline-login-days"), 5,
                         15);
}

void
ow_context_session_init (OwContext *self)
{
  self->session = ow_session_new (self->store, self->client);
  offline_days_changed_cb (self, NULL, self->settings);
  g_signal_connect_object (self->settings, "changed::offline-login-days",
                           G_CALLBACK (offline_days_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::mode", G_CALLBACK (session_mode_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::user", G_CALLBACK (session_user_changed_cb),
                           self, G_CONNECT_SWAPPED);

  self->link = ow_link_new (self->client);
  g_signal_connect_object (self->link, "notify::state", G_CALLBACK (link_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
ow_context_sync_published_cb (OwSync    *sync,
                              GStrv      kinds,
                              OwContext *self)
{
  if (ow_session_get_mode (self->session) != OW_SESSION_ONLINE)
    return;
  if (g_strv_contains ((const char * const *) kinds, "catalog"))
    ow_context_update_catalog (self, NULL);
  if (g_strv_contains ((const char * const *) kinds, "calendar"))
    ow_context_update_calendar (self);
}

/* ---- logging in ------------------------------------------------------------------------- */

static void
first_catalog_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Cannot fetch the catalog of service items: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
logged_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwContext *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  const OwUser *user;

  if (!ow_session_login_finish (OW_SESSION (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  user = ow_session_get_user (self->session);
  g_settings_set_string (self->settings, "last-username", user != NULL ? user->username : "");

  if (ow_session_get_mode (self->session) == OW_SESSION_OFFLINE)
    {
      /* Without the platform, only a catalog kept here lets the clerk accept anything. */
      if (self->catalog == NULL)
        {
          ow_session_logout (self->session);
          g_task_return_new_error (task, OW_SESSION_ERROR, OW_SESSION_ERROR_NEVER_HERE,
                                   _("The platform cannot be reached, and no catalog of service "
                                     "items is kept on this PC yet. Wait until the platform "
                                     "answers."));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->sync != NULL)
    ow_sync_kick (self->sync);
  ow_context_update_calendar (self);
  ow_directory_refresh (self->directory);
  if (self->catalog == NULL)
    {
      GTask *waiter = g_task_new (self, cancellable, first_catalog_cb,
                                  g_steal_pointer (&task));

      ow_context_update_catalog (self, waiter);
      g_object_unref (waiter);
      return;
    }
  /* What was published since the last start comes in the background. */
  ow_context_update_catalog (self, NULL);
  g_task_return_boolean (task, TRUE);
}

void
ow_context_login_async (OwContext          *self,
                        const char         *username,
                        const char         *password,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_CONTEXT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_context_login_async);

  if (self->client == NULL)
    {
      g_task_return_error (task, g_error_copy (self->client_error));
      return;
    }
  if (self->session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The local database is not open yet"));
      return;
    }
  ow_session_login_async (self->session, username, password, cancellable, logged_in_cb,
                          g_steal_pointer (&task));
}

gboolean
ow_context_login_finish (OwContext    *self,
                         GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
reauthenticated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ow_session_reauthenticate_finish (OW_SESSION (source), result, &error))
    {
      if (g_error_matches (error, OW_SESSION_ERROR, OW_SESSION_ERROR_REVOKED))
        g_signal_emit (self, ow_context_signals[OW_CONTEXT_LOGGED_OUT], 0, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->sync != NULL)
    ow_sync_kick (self->sync);
  ow_context_update_catalog (self, NULL);
  ow_context_update_calendar (self);
  ow_directory_refresh (self->directory);
  g_task_return_boolean (task, TRUE);
}

void
ow_context_reauthenticate_async (OwContext          *self,
                                 const char         *password,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_CONTEXT (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_context_reauthenticate_async);
  if (self->session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The local database is not open yet"));
      return;
    }
  ow_session_reauthenticate_async (self->session, password, cancellable, reauthenticated_cb,
                                   g_steal_pointer (&task));
}

gboolean
ow_context_reauthenticate_finish (OwContext    *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ow_context_logout (OwContext *self)
{
  g_return_if_fail (OW_IS_CONTEXT (self));

  if (self->session != NULL)
    ow_session_logout (self->session);
}

/* ---- getters ---------------------------------------------------------------------------- */

const OwUser *
ow_context_get_user (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->session != NULL ? ow_session_get_user (self->session) : NULL;
}

gboolean
ow_context_get_online (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), FALSE);
  return self->online;
}

OwSession *
ow_context_get_session (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->session;
}

OwLink *
ow_context_get_link (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->link;
}

OwLinkState
ow_context_get_link_state (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), OW_LINK_NOT_CONNECTED);
  return self->link != NULL ? ow_link_get_state (self->link) : OW_LINK_NOT_CONNECTED;
}

gint64
ow_context_get_offline_since (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), 0);
  if (self->link == NULL || ow_link_get_state (self->link) != OW_LINK_OFFLINE)
    return 0;
  return ow_link_get_since (self->link);
}

OwSessionMode
ow_context_get_session_mode (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), OW_SESSION_LOGGED_OUT);
  return self->session != NULL ? ow_session_get_mode (self->session) : OW_SESSION_LOGGED_OUT;
}
