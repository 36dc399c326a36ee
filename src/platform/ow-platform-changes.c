/* ow-platform-changes.c — the changes feed, GET /api/v1/changes, with long polling
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The request is first looked at like any other, in a worker: authenticated, and answered at
 * once when the feed holds something for it. Otherwise it is handed back to the main loop
 * paused (ow_platform_request_defer) and kept there: no thread waits. The waiting requests are
 * looked at again, together, when this process commits a change (ow_platform_server_changed,
 * from any thread), when another process on the same database did (the storage's watch,
 * ow_platform_db_watch_changes(): PostgreSQL's notifications, or on SQLite a look twice a
 * second, for the admin CLI): one job in a worker reads the feed once for all of them (once per
 * cursor they hold) and says what each may hear of; the main loop answers those with news and
 * moves the others' cursors past what they may not see. On its timeout a request is answered,
 * on the main loop, that nothing came. A request whose client goes away meanwhile is dropped at
 * once, connection and all: a paused message reads nothing, so only the watch on its socket can
 * tell.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "net/ow-json.h"
#include "platform/ow-platform-access.h"
#include "platform/ow-platform-pool.h"

#define MAX_TIMEOUT  60
#define MAX_CHANGES  500

/* A long poll waiting on the main loop. */
typedef struct
{
  OwPlatformServer  *self;
  guint              id;
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

/* The answer to a poll from @since, as JSON text, from @changes (the feed after @since, at most
 * MAX_CHANGES), or NULL when there is nothing to say and not @force. Only the changes @user may
 * see (ow_platform_may_see_change) count, and with @for_me only those addressed to them; the
 * others are passed over, and *@since moves past them, so that a waiting request does not look
 * at them again. NULL with @error when a look-up failed. */
static char *
answer_changes (OwPlatformDb          *db,
                GPtrArray             *changes,
                gint64                *since,
                const OwPlatformUser  *user,
                gboolean               for_me,
                gboolean               force,
                GError               **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) shown = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *cursor = NULL;
  gint64 last = *since;
  guint matching = 0;

  shown = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), changes->len);
  for (guint i = 0; i < changes->len; i++)
    {
      const OwPlatformChange *change = g_ptr_array_index (changes, i);
      gboolean visible = FALSE;

      if (change->seq <= *since)
        {
          /* Read for a poll further behind. */
          g_array_append_val (shown, visible);
          continue;
        }
      if ((!for_me || is_for (change, user)) &&
          !ow_platform_may_see_change (db, user, change, seen, &visible, error))
        return NULL;
      g_array_append_val (shown, visible);
      if (visible)
        matching++;
    }
  if (matching == 0 && !force)
    {
      if (changes->len > 0)
        *since = MAX (*since,
                      ((OwPlatformChange *) g_ptr_array_index (changes, changes->len - 1))->seq);
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < changes->len; i++)
    {
      OwPlatformChange *change = g_ptr_array_index (changes, i);
      g_autofree char *at = NULL;

      last = MAX (last, change->seq);
      if (!g_array_index (shown, gboolean, i))
        continue;
      at = ow_platform_format_utc (change->at);
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
  *since = last;
  return ow_json_to_canonical (response);
}

/* Nothing came for a poll from @since: an empty list and the same cursor. */
static char *
answer_nothing (gint64 since)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  return answer_changes (NULL, none, &since, NULL, FALSE, TRUE, NULL);
}

/* ---- waiting on the main loop ------------------------------------------------------------ */

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

static void
waiter_forget (Waiter *waiter)
{
  g_hash_table_remove (waiter->self->waiters, GUINT_TO_POINTER (waiter->id));
  waiter_free (waiter);
}

/* Answers @waiter with @answer (taken; NULL: nothing came) and forgets it. */
static void
waiter_answer (Waiter *waiter,
               char   *answer)
{
  SoupServerMessage *msg = g_object_ref (waiter->msg);

  ow_platform_message_respond (msg, SOUP_STATUS_OK, "application/json",
                               answer != NULL ? answer : answer_nothing (waiter->since));
  waiter_forget (waiter);
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

static gboolean
waiter_timed_out_cb (gpointer user_data)
{
  Waiter *waiter = user_data;

  waiter->timeout_id = 0;
  waiter_answer (waiter, NULL);
  return G_SOURCE_REMOVE;
}

/* The client closed its connection while it waited: nobody is left to answer. */
static gboolean
waiter_peer_gone_cb (gpointer user_data)
{
  Waiter *waiter = user_data;
  SoupServerMessage *msg = g_object_ref (waiter->msg);

  waiter->peer_id = 0;
  waiter_forget (waiter);
  ow_platform_connection_drop (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

/* The message ended otherwise while it waited. */
static void
waiter_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  waiter_forget (user_data);
}

/* ---- looking at the feed for the waiting requests, in a worker --------------------------- */

/* One waiting request as the worker sees it. */
typedef struct
{
  guint           id;
  gint64          since;     /* in: the request's cursor; out: past what it may not see */
  OwPlatformUser *user;
  gboolean        for_me;
  char           *answer;    /* out: NULL when nothing came for it */
} Probe;

typedef struct
{
  OwPlatformServer *self;
  GPtrArray        *probes;
} Check;

static void
probe_free (Probe *probe)
{
  ow_platform_user_free (probe->user);
  g_free (probe->answer);
  g_free (probe);
}

static void
check_free (Check *check)
{
  g_ptr_array_unref (check->probes);
  g_object_unref (check->self);
  g_free (check);
}

/* Whether everyone on the hall's staff who asks from @since hears the same of @changes: cases,
 * the catalog and the calendar only (a ticket's visibility depends on the hall and the
 * assignee). */
static gboolean
same_for_all_staff (GPtrArray *changes)
{
  for (guint i = 0; i < changes->len; i++)
    {
      const char *kind = ((OwPlatformChange *) g_ptr_array_index (changes, i))->kind;

      if (!g_str_equal (kind, "case") && !g_str_equal (kind, "case-event") &&
          !g_str_equal (kind, "catalog") && !g_str_equal (kind, "calendar"))
        return FALSE;
    }
  return TRUE;
}

static void
check_run (OwPlatformDb *db,
           gpointer      data)
{
  Check *check = data;
  g_autoptr(GHashTable) feeds = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  /* "since" → the answer all the hall's staff get from there, when it is the same for all. */
  g_autoptr(GHashTable) shared = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        g_free);
  g_autoptr(GError) error = NULL;
  gint64 last;

  if ((last = ow_platform_db_last_change (db, &error)) < 0)
    {
      g_warning ("Cannot read the changes feed: %s", error->message);
      return;
    }
  for (guint i = 0; i < check->probes->len; i++)
    {
      Probe *probe = g_ptr_array_index (check->probes, i);
      GPtrArray *changes;
      gboolean staff;
      gint64 since = probe->since;
      char *answer;

      if (probe->since >= last)
        continue;
      /* Usually every request waits from the same cursor: the feed is read once for all. */
      if ((changes = g_hash_table_lookup (feeds, &probe->since)) == NULL)
        {
          if ((changes = ow_platform_db_list_changes (db, probe->since, MAX_CHANGES,
                                                      &error)) == NULL)
            {
              g_warning ("Cannot read the changes feed: %s", error->message);
              return;
            }
          g_hash_table_insert (feeds, g_memdup2 (&probe->since, sizeof probe->since), changes);
        }
      staff = !probe->for_me && !ow_platform_user_sees_department_only (probe->user) &&
              same_for_all_staff (changes);
      if (staff && (answer = g_hash_table_lookup (shared, &probe->since)) != NULL)
        {
          probe->answer = g_strdup (answer);
          continue;
        }
      probe->answer = answer_changes (db, changes, &since, probe->user, probe->for_me, FALSE,
                                      &error);
      if (error != NULL)
        {
          g_warning ("Cannot read the changes feed: %s", error->message);
          g_clear_error (&error);
          continue;
        }
      if (staff && probe->answer != NULL)
        g_hash_table_insert (shared, g_memdup2 (&probe->since, sizeof probe->since),
                             g_strdup (probe->answer));
      probe->since = since;
    }
}

static void schedule_check (OwPlatformServer *self);

static void
check_done (gpointer data,
            gboolean ran)
{
  Check *check = data;
  OwPlatformServer *self = check->self;

  self->checking = FALSE;
  for (guint i = 0; ran && i < check->probes->len; i++)
    {
      Probe *probe = g_ptr_array_index (check->probes, i);
      Waiter *waiter = g_hash_table_lookup (self->waiters, GUINT_TO_POINTER (probe->id));

      /* Answered by its timeout, or gone, meanwhile. */
      if (waiter == NULL)
        continue;
      if (probe->answer != NULL)
        waiter_answer (waiter, g_steal_pointer (&probe->answer));
      else
        waiter->since = MAX (waiter->since, probe->since);
    }
  if (ran && self->check_again)
    {
      self->check_again = FALSE;
      schedule_check (self);
    }
  /* Not run: the server is going away, and answers every waiting request itself. */
  check_free (check);
}

/* Looks at the feed for every waiting request, in a worker: at once, or after the look under
 * way. */
static void
schedule_check (OwPlatformServer *self)
{
  Check *check;
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->waiters) == 0)
    return;
  if (self->checking)
    {
      self->check_again = TRUE;
      return;
    }
  check = g_new0 (Check, 1);
  check->self = g_object_ref (self);
  check->probes = g_ptr_array_new_full (g_hash_table_size (self->waiters),
                                        (GDestroyNotify) probe_free);
  g_hash_table_iter_init (&iter, self->waiters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Waiter *waiter = value;
      Probe *probe = g_new0 (Probe, 1);

      probe->id = waiter->id;
      probe->since = waiter->since;
      probe->user = ow_platform_user_copy (waiter->user);
      probe->for_me = waiter->for_me;
      g_ptr_array_add (check->probes, probe);
    }
  self->checking = TRUE;
  if (!ow_platform_server_run_job (self, check_run, check_done, check))
    {
      /* No pool: here and now. */
      check_run (ow_platform_server_db (self), check);
      check_done (check, TRUE);
    }
}

/* ---- a request that waits ---------------------------------------------------------------- */

typedef struct
{
  OwPlatformUser *user;
  gboolean        for_me;
  gint64          since;
  gint64          timeout;
  gint            serial;   /* change_serial before the feed was read */
} Wait;

static void
wait_free (Wait *wait)
{
  ow_platform_user_free (wait->user);
  g_free (wait);
}

/* On the main loop: @msg (paused) waits for changes. */
static void
start_waiting (OwPlatformServer  *self,
               SoupServerMessage *msg,
               gpointer           data)
{
  Wait *wait = data;
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->self = self;
  waiter->id = ++self->next_waiter_id;
  waiter->msg = g_object_ref (msg);
  waiter->since = wait->since;
  waiter->user = g_steal_pointer (&wait->user);
  waiter->for_me = wait->for_me;
  /* Not g_timeout_add_seconds(): its coalescing may answer up to a second early. */
  waiter->timeout_id = g_timeout_add ((guint) wait->timeout * 1000, waiter_timed_out_cb, waiter);
  waiter->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (waiter_finished_cb),
                                          waiter);
  waiter->peer_id = ow_platform_connection_watch_peer (msg, waiter_peer_gone_cb, waiter);
  g_hash_table_insert (self->waiters, GUINT_TO_POINTER (waiter->id), waiter);
  /* Something was committed between the worker's look and now: it may be news for this one. */
  if (g_atomic_int_get (&self->change_serial) != wait->serial)
    schedule_check (self);
  wait_free (wait);
}

static void
handle_changes (OwPlatformServer  *self,
                OwPlatformRequest *msg,
                GHashTable        *query)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  gint64 since = 0, timeout = 0;
  const char *for_text = query != NULL ? g_hash_table_lookup (query, "for") : NULL;
  gboolean for_me = FALSE;
  gint serial;
  Wait *wait;

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

  serial = g_atomic_int_get (&self->change_serial);
  if ((changes = ow_platform_db_list_changes (ow_platform_server_db (self), since, MAX_CHANGES,
                                              &error)) == NULL ||
      ((answer = answer_changes (ow_platform_server_db (self), changes, &since, user, for_me,
                                 timeout == 0, &error)) == NULL && error != NULL))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  if (answer != NULL)
    {
      gsize length = strlen (answer);

      ow_platform_request_set_status (msg, SOUP_STATUS_OK);
      ow_platform_request_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&answer), length);
      return;
    }

  wait = g_new0 (Wait, 1);
  wait->user = g_steal_pointer (&user);
  wait->for_me = for_me;
  wait->since = since;
  wait->timeout = timeout;
  wait->serial = serial;
  ow_platform_request_defer (msg, start_waiting, wait, (GDestroyNotify) wait_free);
}

/* ---- waking ------------------------------------------------------------------------------ */

static gboolean
changed_cb (gpointer user_data)
{
  OwPlatformServer *self = user_data;

  g_atomic_int_set (&self->wake_pending, 0);
  schedule_check (self);
  return G_SOURCE_REMOVE;
}

void
ow_platform_server_changed (OwPlatformServer *self)
{
  /* In a worker: once the job is handed back (ow_platform_changes_wake), after the request's
   * own answer is on its message. A client that hears of its change on the feed before it has
   * the answer to the request that made it would take the copy it fetches for one made before
   * its change. */
  if (ow_platform_pool_mark_changed ())
    return;
  ow_platform_changes_wake (self);
}

void
ow_platform_changes_wake (gpointer data)
{
  OwPlatformServer *self = data;

  g_atomic_int_inc (&self->change_serial);
  /* On the main loop (a job handed back, the storage's watch, no pool): one look for however
   * many commits came in this turn of the loop. */
  if (g_atomic_int_compare_and_exchange (&self->wake_pending, 0, 1))
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, changed_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "ow-platform-changes wake");
      g_source_attach (source, self->context);
    }
}

/* The feed may have grown through another process. */
static gboolean
feed_changed_cb (gpointer user_data)
{
  ow_platform_server_changed (user_data);
  return G_SOURCE_CONTINUE;
}

gboolean
ow_platform_changes_start_watch (OwPlatformServer  *self,
                                 GError           **error)
{
  if (self->feed_watch != NULL)
    return TRUE;
  if ((self->feed_watch = ow_platform_db_watch_changes (self->main_db, error)) == NULL)
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
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->waiters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      waiter_answer (value, NULL);
      g_hash_table_iter_init (&iter, self->waiters);
    }
}

void
ow_platform_route_changes (OwPlatformServer  *self,
                           OwPlatformRequest *msg,
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
