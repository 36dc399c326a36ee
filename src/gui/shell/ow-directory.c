/* ow-directory.c — the people of the hall, by log-in name
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/shell/ow-directory.h"

/* An unknown name asks the platform again, but not more often than this. */
#define ASK_AGAIN_USEC (60 * G_USEC_PER_SEC)

struct _OwDirectory
{
  GObject parent_instance;

  OwClient *client;
  GHashTable *users;           /* log-in name → OwUser */
  OwUser *session;             /* the user of the session, always known; NULL when logged out */
  GCancellable *cancellable;   /* the question under way; replaced by each reset */
  gboolean asking;
  gint64 asked_at;             /* monotonic µs of the last question */
};

G_DEFINE_FINAL_TYPE (OwDirectory, ow_directory, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_copy (OwDirectory  *self,
          const OwUser *user)
{
  if (user == NULL || user->username == NULL)
    return;
  g_hash_table_replace (self->users, g_strdup (user->username), ow_user_copy (user));
}

static void
users_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OwDirectory) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = ow_client_list_users_finish (OW_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->asking = FALSE;
  if (users == NULL)
    {
      /* Not fatal: people are "unknown" until the next question is answered. */
      g_message ("The hall's directory could not be fetched: %s", error->message);
      return;
    }
  ow_directory_set_users (self, users);
}

static void
ow_directory_dispose (GObject *object)
{
  OwDirectory *self = OW_DIRECTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ow_directory_parent_class)->dispose (object);
}

static void
ow_directory_finalize (GObject *object)
{
  OwDirectory *self = OW_DIRECTORY (object);

  g_clear_pointer (&self->users, g_hash_table_unref);
  g_clear_pointer (&self->session, ow_user_free);

  G_OBJECT_CLASS (ow_directory_parent_class)->finalize (object);
}

static void
ow_directory_class_init (OwDirectoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_directory_dispose;
  object_class->finalize = ow_directory_finalize;

  /**
   * OwDirectory::changed:
   *
   * The directory learnt the hall's people anew (or forgot them at a log-in): names shown
   * from it may read differently now.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
ow_directory_init (OwDirectory *self)
{
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) ow_user_free);
  self->cancellable = g_cancellable_new ();
}

OwDirectory *
ow_directory_new (OwClient *client)
{
  OwDirectory *self;

  g_return_val_if_fail (client == NULL || OW_IS_CLIENT (client), NULL);

  self = g_object_new (OW_TYPE_DIRECTORY, NULL);
  self->client = client != NULL ? g_object_ref (client) : NULL;
  return self;
}

void
ow_directory_reset (OwDirectory  *self,
                    const OwUser *user)
{
  g_return_if_fail (OW_IS_DIRECTORY (self));

  /* An answer still on its way is of the last session's hall. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->asking = FALSE;

  g_hash_table_remove_all (self->users);
  g_clear_pointer (&self->session, ow_user_free);
  self->session = ow_user_copy (user);
  add_copy (self, self->session);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (self->session != NULL)
    ow_directory_refresh (self);
}

void
ow_directory_set_users (OwDirectory *self,
                        GPtrArray   *users)
{
  g_return_if_fail (OW_IS_DIRECTORY (self));
  g_return_if_fail (users != NULL);

  g_hash_table_remove_all (self->users);
  for (guint i = 0; i < users->len; i++)
    add_copy (self, g_ptr_array_index (users, i));
  if (self->session != NULL && !g_hash_table_contains (self->users, self->session->username))
    add_copy (self, self->session);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
ow_directory_refresh (OwDirectory *self)
{
  g_return_if_fail (OW_IS_DIRECTORY (self));

  /* Logged in offline there is no token yet: the question waits for the platform's return. */
  if (self->asking || self->client == NULL || self->session == NULL
      || ow_client_get_token (self->client) == NULL)
    return;
  self->asking = TRUE;
  self->asked_at = g_get_monotonic_time ();
  ow_client_list_users_async (self->client, NULL, self->cancellable, users_listed_cb,
                              g_object_ref (self));
}

const OwUser *
ow_directory_lookup (OwDirectory *self,
                     const char  *username)
{
  g_return_val_if_fail (OW_IS_DIRECTORY (self), NULL);

  if (username == NULL)
    return NULL;
  return g_hash_table_lookup (self->users, username);
}

char *
ow_directory_describe (OwDirectory *self,
                       const char  *username)
{
  const OwUser *user;

  g_return_val_if_fail (OW_IS_DIRECTORY (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  if ((user = ow_directory_lookup (self, username)) != NULL)
    return ow_user_describe (user);
  /* Someone made since the log-in, or of another hall: perhaps the platform knows them now. */
  if (g_get_monotonic_time () - self->asked_at >= ASK_AGAIN_USEC)
    ow_directory_refresh (self);
  return g_strdup (_("Unknown user"));
}

gboolean
ow_directory_same_department (OwDirectory  *self,
                              const OwUser *user,
                              const char   *username)
{
  const OwUser *other;

  g_return_val_if_fail (OW_IS_DIRECTORY (self), FALSE);

  if (user == NULL || user->department == NULL || !ow_user_has_role (user, "department"))
    return FALSE;
  other = ow_directory_lookup (self, username);
  return other != NULL && g_strcmp0 (other->department, user->department) == 0;
}

static int
compare_usernames (gconstpointer a,
                   gconstpointer b)
{
  const OwUser *x = *(const OwUser * const *) a;
  const OwUser *y = *(const OwUser * const *) b;

  return g_strcmp0 (x->username, y->username);
}

GPtrArray *
ow_directory_list (OwDirectory *self)
{
  GPtrArray *users;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (OW_IS_DIRECTORY (self), NULL);

  users = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (users, value);
  g_ptr_array_sort (users, compare_usernames);
  return users;
}
