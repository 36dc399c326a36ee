/* ow-token-keeper.c — keeps the session token in the Secret Service, never in a file
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The functions are declared in ow-client.h: they belong to the client's API, but libsecret is a
 * concern of its own. They talk to the Secret Service over D-Bus through SecretService rather
 * than secret_password_store(): since libsecret 0.20 the latter may pick the "file" backend
 * (SECRET_BACKEND=file, or inside a sandbox), which writes the secret into a file under $HOME,
 * and a bearer token for personal data must not end up there.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "net/ow-client.h"

#define SCHEMA_NAME "io.github.onewindow.OneWindow.Token"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "platform", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static GHashTable *
token_attributes (OwClient   *client,
                  const char *username)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "platform",
                       g_strdup (ow_client_get_base_uri (client)));
  g_hash_table_insert (attributes, (gpointer) "user", g_strdup (username));
  return attributes;
}

/* Any failure to reach a keyring is the same for the clerk: the session lives in memory only.
 * A cancellation stays a cancellation. */
static GError *
soften_error (GError *error)
{
  GError *soft;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  soft = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                      _("No keyring is available (%s): the session is kept in memory only, and "
                        "you will log in again the next time OneWindow starts."),
                      error->message);
  g_error_free (error);
  return soft;
}

/* ---- remember --------------------------------------------------------------------------- */

typedef struct
{
  char *username;
  char *token;
} Remember;

static void
remember_free (Remember *remember)
{
  g_free (remember->username);
  /* The token is a secret: do not leave it lying in freed memory. */
  if (remember->token != NULL)
    memset (remember->token, 0, strlen (remember->token));
  g_free (remember->token);
  g_free (remember);
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_service_store_finish (SECRET_SERVICE (source), result, &error))
    g_task_return_error (task, soften_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_service_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwClient *client = g_task_get_source_object (task);
  Remember *remember = g_task_get_task_data (task);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_task_return_error (task, soften_error (error));
      return;
    }

  attributes = token_attributes (client, remember->username);
  /* Translators: the label of the keyring entry; %s is the user name and the platform. */
  label = g_strdup_printf (_("OneWindow session of %s at %s"), remember->username,
                           ow_client_get_base_uri (client));
  value = secret_value_new (remember->token, -1, "text/plain");
  cancellable = g_task_get_cancellable (task);
  secret_service_store (service, token_schema (), attributes, SECRET_COLLECTION_DEFAULT, label,
                        value, cancellable, token_stored_cb, g_steal_pointer (&task));
}

void
ow_client_remember_token_async (OwClient            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const OwUser *user;
  Remember *remember;

  g_return_if_fail (OW_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_remember_token_async);

  user = ow_client_get_user (self);
  if (ow_client_get_token (self) == NULL || user == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("There is no session to keep: log in first"));
      return;
    }

  remember = g_new0 (Remember, 1);
  remember->username = g_strdup (user->username);
  remember->token = g_strdup (ow_client_get_token (self));
  g_task_set_task_data (task, remember, (GDestroyNotify) remember_free);

  /* Only the D-Bus service, whatever SECRET_BACKEND says: see the top of this file. */
  secret_service_get (SECRET_SERVICE_NONE, cancellable, store_service_cb, g_steal_pointer (&task));
}

gboolean
ow_client_remember_token_finish (OwClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_remember_token_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- restore ---------------------------------------------------------------------------- */

static void
token_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwClient *client = g_task_get_source_object (task);
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;
  const char *token;

  value = secret_service_lookup_finish (SECRET_SERVICE (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, soften_error (error));
      return;
    }
  token = value != NULL ? secret_value_get_text (value) : NULL;
  if (token == NULL || *token == '\0')
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  ow_client_set_token (client, token);
  g_task_return_boolean (task, TRUE);
}

static void
lookup_service_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwClient *client = g_task_get_source_object (task);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_task_return_error (task, soften_error (error));
      return;
    }
  attributes = token_attributes (client, g_task_get_task_data (task));
  /* Read before the task is handed on: argument order is unspecified. */
  cancellable = g_task_get_cancellable (task);
  secret_service_lookup (service, token_schema (), attributes, cancellable, token_found_cb,
                         g_steal_pointer (&task));
}

void
ow_client_restore_token_async (OwClient            *self,
                               const char          *username,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (username != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_restore_token_async);
  g_task_set_task_data (task, g_strdup (username), g_free);
  secret_service_get (SECRET_SERVICE_NONE, cancellable, lookup_service_cb,
                      g_steal_pointer (&task));
}

gboolean
ow_client_restore_token_finish (OwClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_restore_token_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- forget ----------------------------------------------------------------------------- */

static void
token_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to forget, which is what was asked. */
  secret_service_clear_finish (SECRET_SERVICE (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, soften_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_service_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwClient *client = g_task_get_source_object (task);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_task_return_error (task, soften_error (error));
      return;
    }
  attributes = token_attributes (client, g_task_get_task_data (task));
  cancellable = g_task_get_cancellable (task);
  secret_service_clear (service, token_schema (), attributes, cancellable, token_cleared_cb,
                        g_steal_pointer (&task));
}

void
ow_client_forget_token_async (OwClient            *self,
                              const char          *username,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_CLIENT (self));
  g_return_if_fail (username != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_client_forget_token_async);
  g_task_set_task_data (task, g_strdup (username), g_free);
  secret_service_get (SECRET_SERVICE_NONE, cancellable, clear_service_cb,
                      g_steal_pointer (&task));
}

gboolean
ow_client_forget_token_finish (OwClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_forget_token_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
