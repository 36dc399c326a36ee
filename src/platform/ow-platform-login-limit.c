/* ow-platform-login-limit.c — limits on failed log-ins that cost the one guessing, not the clerk
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GB/T 22239 asks for a limit on failed log-ins. A lock on the user name alone is a switch that
 * anyone can flip: five wrong passwords from anywhere kept a counter from working. So:
 *
 * - Locks are per user name *and* client address (ow-platform-db-logins.c): five failures in a
 *   row from one address lock that name there for 15 minutes, and only there; the clerk at their
 *   own counter logs in as ever. The hall's supervisor (DELETE /api/v1/users/{name}/lock) or an
 *   administrator (onewindow-platform admin unlock) lifts a lock sooner. Every lock and every
 *   unlock goes to the audit log.
 * - Growing delays slow guessing down: after 3 failures from an address (whatever the names),
 *   the next attempt from there must wait 1 s, then 2, 4 … up to a minute; after 5 failures for
 *   a name (from wherever), the same for that name, except from addresses it logged in from
 *   successfully before. An attempt too early is answered 429 with Retry-After, before its
 *   password is hashed, so that waiting costs the attacker their time and us nothing.
 *
 * The counts behind the delays live in memory (a restart forgets them; they only slow down), the
 * locks in the database (a restart or another process sees them).
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "platform/ow-platform-private.h"

#define LOCK_AFTER        5
#define LOCK_SECONDS      (15 * 60)
/* Failures further apart than this do not add up. */
#define WINDOW_SECONDS    (15 * 60)
#define ADDRESS_FREE      3
#define NAME_FREE         5
#define MAX_DELAY_SECONDS 60
/* Bounds the memory a client trying random names and addresses can make us spend. */
#define MAX_TRACKED       10000
/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

typedef struct
{
  guint  failures;
  gint64 last;  /* monotonic µs of the latest failure */
} Throttle;

struct _OwPlatformLoginLimit
{
  GMutex      lock;        /* log-ins are handled in several worker threads at once */
  GHashTable *by_address;  /* address → Throttle */
  GHashTable *by_name;     /* user name → Throttle */
  GHashTable *known;       /* set of "name\naddress" that logged in successfully */
};

/* Seconds to wait after @throttle's failures: none before @free of them, then 1, 2, 4 … */
static gint64
delay_for (const Throttle *throttle,
           guint           free)
{
  guint over;

  if (throttle == NULL || throttle->failures < free)
    return 0;
  over = throttle->failures - free;
  return over >= 6 ? MAX_DELAY_SECONDS : MIN ((gint64) 1 << over, MAX_DELAY_SECONDS);
}

/* Seconds (rounded up) before @key may try again in @table, 0 when it may now. */
static gint64
seconds_to_wait (GHashTable *table,
                 const char *key,
                 guint       free)
{
  Throttle *throttle = g_hash_table_lookup (table, key);
  gint64 now = g_get_monotonic_time ();
  gint64 wait;

  if (throttle == NULL)
    return 0;
  if (now - throttle->last >= WINDOW_SECONDS * G_USEC_PER_SEC)
    {
      g_hash_table_remove (table, key);
      return 0;
    }
  wait = throttle->last + delay_for (throttle, free) * G_USEC_PER_SEC - now;
  return wait > 0 ? (wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : 0;
}

static void
prune (GHashTable *table)
{
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now - ((Throttle *) value)->last >= WINDOW_SECONDS * G_USEC_PER_SEC)
      g_hash_table_iter_remove (&iter);
}

static void
count_failure (GHashTable *table,
               const char *key)
{
  Throttle *throttle = g_hash_table_lookup (table, key);
  gint64 now = g_get_monotonic_time ();

  if (throttle != NULL && now - throttle->last >= WINDOW_SECONDS * G_USEC_PER_SEC)
    throttle->failures = 0;
  if (throttle == NULL)
    {
      if (g_hash_table_size (table) >= MAX_TRACKED)
        prune (table);
      /* Still full of recent ones: the delays of those go on; this one is not slowed. */
      if (g_hash_table_size (table) >= MAX_TRACKED)
        return;
      throttle = g_new0 (Throttle, 1);
      g_hash_table_insert (table, g_strdup (key), throttle);
    }
  throttle->failures++;
  throttle->last = now;
}

static char *
known_key (const char *username,
           const char *address)
{
  return g_strconcat (username, "\n", address, NULL);
}

static void
respond_too_many (OwPlatformRequest *msg,
                  gint64             seconds,
                  const char        *message)
{
  g_autofree char *retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (seconds, 1));

  ow_platform_respond_error (msg, STATUS_TOO_MANY_REQUESTS, NULL, message);
  soup_message_headers_replace (ow_platform_request_get_response_headers (msg), "Retry-After",
                                retry_after);
}

OwPlatformLoginLimit *
ow_platform_login_limit_new (void)
{
  OwPlatformLoginLimit *self = g_new0 (OwPlatformLoginLimit, 1);

  self->by_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&self->lock);
  return self;
}

void
ow_platform_login_limit_free (OwPlatformLoginLimit *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->by_address);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->known);
  g_mutex_clear (&self->lock);
  g_free (self);
}

gboolean
ow_platform_login_limit_check (OwPlatformServer  *server,
                               OwPlatformRequest *msg,
                               const char        *username,
                               const char        *address)
{
  OwPlatformLoginLimit *self = server->login_limit;
  g_autoptr(OwPlatformLoginFailures) failures = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = known_key (username, address);
  g_autofree char *message = NULL;
  gint64 wait;

  failures = ow_platform_db_get_login_failures (ow_platform_server_db (server), username, address,
                                                &error);
  if (error != NULL)
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if (failures != NULL && failures->locked_at != 0 &&
      (wait = failures->locked_at + LOCK_SECONDS - ow_platform_now ()) > 0)
    {
      message = g_strdup_printf (_("Log-ins as “%s” from this computer are locked after %u "
                                   "failed attempts: try again in %u minutes, or ask the "
                                   "hall’s supervisor to unlock them"),
                                 username, LOCK_AFTER, (guint) ((wait + 59) / 60));
      respond_too_many (msg, wait, message);
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  if ((wait = seconds_to_wait (self->by_address, address, ADDRESS_FREE)) <= 0 &&
      !g_hash_table_contains (self->known, key))
    wait = seconds_to_wait (self->by_name, username, NAME_FREE);
  g_mutex_unlock (&self->lock);
  if (wait > 0)
    {
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Too many failed log-ins: try again in %u second",
                                              "Too many failed log-ins: try again in %u seconds",
                                              (gulong) wait), (guint) wait);
      respond_too_many (msg, wait, message);
      return FALSE;
    }
  return TRUE;
}

void
ow_platform_login_limit_failed (OwPlatformServer  *server,
                                OwPlatformRequest *msg,
                                const char        *username,
                                const char        *address)
{
  OwPlatformLoginLimit *self = server->login_limit;
  g_autoptr(OwPlatformLoginFailures) failures = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->lock);
  count_failure (self->by_address, address);
  count_failure (self->by_name, username);
  g_mutex_unlock (&self->lock);
  failures = ow_platform_db_add_login_failure (ow_platform_server_db (server), username, address,
                                               ow_platform_now (),
                                               WINDOW_SECONDS, LOCK_AFTER, LOCK_SECONDS,
                                               &error);
  if (failures == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  /* One answer whether the name exists or not, so that user names cannot be probed. */
  /* The lock comes with the failure that reaches the limit: later ones are refused unheard. */
  if (failures->locked_at != 0 && failures->failures == LOCK_AFTER)
    {
      g_autofree char *message = NULL;

      g_message ("Log-ins as %s from %s locked after %u failures", username, address,
                 failures->failures);
      message = g_strdup_printf (_("The user name or the password is wrong. Log-ins as “%s” from "
                                   "this computer are now locked for %u minutes; the hall’s "
                                   "supervisor can unlock them"),
                                 username, LOCK_SECONDS / 60);
      ow_platform_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL, message);
      return;
    }
  ow_platform_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL,
                             _("The user name or the password is wrong"));
}

gboolean
ow_platform_login_limit_succeeded (OwPlatformServer  *server,
                                   const char        *username,
                                   const char        *address,
                                   GError           **error)
{
  OwPlatformLoginLimit *self = server->login_limit;

  /* The clerk's own address is spared the slowing down that others' guesses at the name
   * bring about, and the guesses so far no longer count. */
  g_mutex_lock (&self->lock);
  if (g_hash_table_size (self->known) >= MAX_TRACKED)
    g_hash_table_remove_all (self->known);
  g_hash_table_add (self->known, known_key (username, address));
  g_hash_table_remove (self->by_name, username);
  g_mutex_unlock (&self->lock);
  return ow_platform_db_clear_login_failures (ow_platform_server_db (server), username, address,
                                              error);
}

void
ow_platform_login_limit_forget (OwPlatformServer *server,
                                const char       *username,
                                const char       *address)
{
  g_mutex_lock (&server->login_limit->lock);
  g_hash_table_remove (server->login_limit->by_name, username);
  /* Unlocked for one address: the supervisor vouches for it. */
  if (address != NULL)
    g_hash_table_remove (server->login_limit->by_address, address);
  g_mutex_unlock (&server->login_limit->lock);
}

/* DELETE /api/v1/users/{username}/lock[?address=]: the hall's supervisor lifts the locks of one
 * of the hall's users (from one address, or from all). */
static void
handle_unlock (OwPlatformServer  *self,
               OwPlatformRequest *msg,
               const char        *username,
               GHashTable        *query)
{
  g_autoptr(OwPlatformUser) supervisor = NULL;
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  gboolean bad = FALSE;
  const char *address;
  guint unlocked = 0;

  if ((supervisor = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_role (msg, supervisor, "supervisor"))
    return;
  address = ow_platform_query_string (msg, query, "address", &bad);
  if (bad)
    return;
  if (address != NULL)
    {
      g_autoptr(GInetAddress) parsed = g_inet_address_new_from_string (address);

      if (parsed == NULL)
        {
          ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "address",
                                     _("“address” is an IP address, such as 10.0.0.7"));
          return;
        }
    }
  user = ow_platform_db_lookup_user (ow_platform_server_db (self), username, &error);
  if (error != NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  if (user == NULL)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such user"));
      return;
    }
  if (g_strcmp0 (user->hall, supervisor->hall) != 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, "hall",
                                 _("A supervisor can only unlock the users of their own hall"));
      return;
    }
  if (!ow_platform_db_unlock_logins (ow_platform_server_db (self), username, address,
                                     supervisor->username,
                                     ow_platform_now (), &unlocked, &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  ow_platform_login_limit_forget (self, username, address);
  if (unlocked > 0)
    g_message ("%s lifted %u log-in lock(s) of %s", supervisor->username, unlocked, username);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "unlocked");
  json_builder_add_int_value (builder, unlocked);
  json_builder_end_object (builder);
  response = json_builder_get_root (builder);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
}

void
ow_platform_route_user (OwPlatformServer  *self,
                        OwPlatformRequest *msg,
                        const char        *method,
                        const char        *rest,
                        GHashTable        *query)
{
  const char *slash = strchr (rest, '/');
  g_autofree char *username = slash != NULL ? g_strndup (rest, (gsize) (slash - rest)) : NULL;

  if (username == NULL || *username == '\0' || !g_str_equal (slash, "/lock"))
    ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
  else if (!g_str_equal (method, SOUP_METHOD_DELETE))
    ow_platform_respond_method_not_allowed (msg, "DELETE");
  else
    handle_unlock (self, msg, username, query);
}
