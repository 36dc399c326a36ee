/* ow-platform-changes.c — the changes feed, GET /api/v1/changes, with long polling
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A request with nothing newer than its cursor is paused (soup_server_message_pause) and kept in
 * a list: no thread waits. It is answered when this process commits a change
 * (ow_platform_server_changed), when another process on the same database did (the storage's
 * watch, ow_platform_db_watch_changes(): PostgreSQL's notifications, or on SQLite a look at the
 * feed twice a second, for the admin CLI), or on its timeout. A request whose client goes away
 * meanwhile is dropped at once, connection and all: a paused message reads nothing, so only the
 * watch on its socket can tell.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "platform/ow-platform-access.h"

#define MAX_TIMEOUT  60
#define MAX_CHANGES  500

typedef struct
{
  OwPlatformServer  *self;
  SoupServerMessage *msg;
  OwPlatformUser    *user;      /* who asks: they hear only of what they may see */
  gboolean           for_me;    /* ?for=me: only the changes addressed to them */
  gint64             since;
  guint              timeout_id;
  guint              peer_id;     /* the watch on its client (ow_platform_connection_watch_peer) */
  gulong             finished_id;
} Waiter;

/* Whether @change is addressed to @user: to them by name, or to one of their roles. */
static gboolean
is_for (const OwPlatformChange *change,
        const OwPlatformUser   *user)
{
  return (change->user != NULL && g_str_equal (change->user, user->username)) ||
         (change->role != NULL && ow_platform_user_has_role (user, change->role));
}

/* Builds the answer from the feed: TRUE when there is something to say (or @force). Only the
 * changes @user may see (ow_platform_may_see_change) count, and with @for_me only those
 * addressed to them; the others are passed over, and *@since moves past them, so that a waiting
 * request does not look at them again. */
static gboolean
respond_changes (OwPlatformServer     *self,
                 SoupServerMessage    *msg,
                 gint64               *since,
                 const OwPlatformUser *user,
                 gboolean              for_me,
                 gboolean              force)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) shown = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *cursor = NULL;
  gint64 last = *since;
  guint matching = 0;

  if ((changes = ow_platform_db_list_changes (self->db, *since, MAX_CHANGES, &error)) == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return TRUE;
    }
  shown = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), changes->len);
  for (guint i = 0; i < changes->len; i++)
    {
      const OwPlatformChange *change = g_ptr_array_index (changes, i);
      gboolean visible = FALSE;

      if ((!for_me || is_for (change, user)) &&
          !ow_platform_may_see_change (self->db, user, change, seen, &visible, &error))
        {
          ow_platform_respond_internal (msg, error);
          return TRUE;
        }
      g_array_append_val (shown, visible);
      if (visible)
        matching++;
    }
  if (matching == 0 && !force)
    {
      if (changes->len > 0)
        *since = ((OwPlatformChange *) g_ptr_array_index (changes, changes->len - 1))->seq;
      return FALSE;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < changes->len; i++)
    {
      OwPlatformChange *change = g_ptr_array_index (changes, i);
      g_autofree char *at = ow_platform_format_utc (change->at);

      last = change->seq;
      if (!g_array_index (shown, gboolean, i))
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, change->seq);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, change->kind);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, change->key);
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, at);
      if (change->user != NULL)
        {
          json_builder_set_member_name (builder, "user");
          json_builder_add_string_value (builder, change->user);
        }
      if (change->role != NULL)
        {
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder, change->role);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* Opaque to clients; today the last seq they have seen. */
  cursor = g_strdup_printf ("%" G_GINT64_FORMAT, last);
  json_builder_set_member_name (builder, "cursor");
  json_builder_add_string_value (builder, cursor);
  json_builder_end_object (builder);

  response = json_builder_get_root (builder);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
  return TRUE;
}

static void
waiter_free (Waiter *waiter)
{
  g_clear_handle_id (&waiter->timeout_id, g_source_remove);
  g_clear_handle_id (&waiter->peer_id, g_source_remove);
  g_clear_signal_handler (&waiter->finished_id, waiter->msg);
  g_object_unref (waiter->msg);
  g_clear_pointer (&waiter->user, ow_platform_user_free);
  g_free (waiter);
}

/* Answers @waiter (with what there is, possibly nothing) and forgets it. */
static void
waiter_answer (Waiter *waiter)
{
  OwPlatformServer *self = waiter->self;

  g_ptr_array_remove (self->waiters, waiter);
  respond_changes (self, waiter->msg, &waiter->since, waiter->user, waiter->for_me, TRUE);
  soup_server_message_unpause (waiter->msg);
  waiter_free (waiter);
}

static gboolean
waiter_timed_out_cb (gpointer user_data)
{
  Waiter *waiter = user_data;

  waiter->timeout_id = 0;
  waiter_answer (waiter);
  return G_SOURCE_REMOVE;
}

/* The client closed its connection while it waited: nobody is left to answer. */
static gboolean
waiter_peer_gone_cb (gpointer user_data)
{
  Waiter *waiter = user_data;
  OwPlatformServer *self = waiter->self;

  waiter->peer_id = 0;
  g_ptr_array_remove (self->waiters, waiter);
  ow_platform_connection_drop (waiter->msg);
  waiter_free (waiter);
  return G_SOURCE_REMOVE;
}

/* The message ended otherwise while it waited. */
static void
waiter_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  Waiter *waiter = user_data;
  OwPlatformServer *self = waiter->self;

  g_ptr_array_remove (self->waiters, waiter);
  waiter_free (waiter);
}

static void
wake_waiters (OwPlatformServer *self,
              gint64            last)
{
  g_autoptr(GPtrArray) ready = g_ptr_array_new ();

  for (guint i = 0; i < self->waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (self->waiters, i);

      if (waiter->since >= last)
        continue;
      /* A request wakes only for changes it may hear of; it passes over the others. */
      if (!respond_changes (self, waiter->msg, &waiter->since, waiter->user, waiter->for_me,
                            FALSE))
        continue;
      g_ptr_array_add (ready, waiter);
    }
  for (guint i = 0; i < ready->len; i++)
    waiter_answer (g_ptr_array_index (ready, i));
}

/* The feed may have grown through another process. */
static gboolean
feed_changed_cb (gpointer user_data)
{
  ow_platform_server_changed (user_data);
  return G_SOURCE_CONTINUE;
}

static void
handle_changes (OwPlatformServer  *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  g_autoptr(OwPlatformUser) user = NULL;
  Waiter *waiter;
  gint64 since = 0, timeout = 0;
  const char *for_text = query != NULL ? g_hash_table_lookup (query, "for") : NULL;
  gboolean for_me = FALSE;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;
  if (!ow_platform_query_int (msg, query, "since", 0, G_MAXINT64, &since) ||
      !ow_platform_query_int (msg, query, "timeout", 0, MAX_TIMEOUT, &timeout))
    return;
  if (for_text != NULL)
    {
      if (!g_str_equal (for_text, "me"))
        {
          ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "for",
                                     _("“for” can only be “me”: the changes addressed to you"));
          return;
        }
      for_me = TRUE;
    }

  if (respond_changes (self, msg, &since, user, for_me, timeout == 0))
    return;

  waiter = g_new0 (Waiter, 1);
  waiter->self = self;
  waiter->msg = g_object_ref (msg);
  waiter->since = since;
  waiter->user = g_steal_pointer (&user);
  waiter->for_me = for_me;
  /* Not g_timeout_add_seconds(): its coalescing may answer up to a second early. */
  waiter->timeout_id = g_timeout_add ((guint) timeout * 1000, waiter_timed_out_cb, waiter);
  waiter->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (waiter_finished_cb),
                                          waiter);
  waiter->peer_id = ow_platform_connection_watch_peer (msg, waiter_peer_gone_cb, waiter);
  g_ptr_array_add (self->waiters, waiter);
  soup_server_message_pause (msg);
}

void
ow_platform_server_changed (OwPlatformServer *self)
{
  g_autoptr(GError) error = NULL;
  gint64 last;

  if (self->waiters->len == 0)
    return;
  if ((last = ow_platform_db_last_change (self->db, &error)) < 0)
    {
      g_warning ("Cannot read the changes feed: %s", error->message);
      return;
    }
  wake_waiters (self, last);
}

gboolean
ow_platform_changes_start_watch (OwPlatformServer  *self,
                                 GError           **error)
{
  if (self->feed_watch != NULL)
    return TRUE;
  if ((self->feed_watch = ow_platform_db_watch_changes (self->db, error)) == NULL)
    return FALSE;
  g_source_set_callback (self->feed_watch, feed_changed_cb, self, NULL);
  g_source_attach (self->feed_watch, NULL);
  return TRUE;
}

void
ow_platform_changes_stop_watch (OwPlatformServer *self)
{
  if (self->feed_watch != NULL)
    g_source_destroy (self->feed_watch);
  g_clear_pointer (&self->feed_watch, g_source_unref);
}

void
ow_platform_changes_answer_all (OwPlatformServer *self)
{
  while (self->waiters->len > 0)
    waiter_answer (g_ptr_array_index (self->waiters, 0));
}

void
ow_platform_route_changes (OwPlatformServer  *self,
                           SoupServerMessage *msg,
                           const char        *method,
                           const char        *rest,
                           GHashTable        *query)
{
  if (*rest != '\0')
    ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
  else if (!g_str_equal (method, SOUP_METHOD_GET))
    ow_platform_respond_method_not_allowed (msg, "GET");
  else
    handle_changes (self, msg, query);
}
