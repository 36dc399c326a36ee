/* ow-session.c — the person logged in at the counter, with the platform or without it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hashing (Argon2id, about 0.1 s and 64 MiB) and the store run in worker threads. The password
 * is copied once, into memory from sodium_malloc() (locked, guarded, wiped when freed), and
 * only kept while the session is offline.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "net/ow-session.h"

#define DEFAULT_VALID_DAYS   7
/* As the platform limits online log-ins (ow-platform-server.c). */
#define DEFAULT_MAX_FAILURES 5
#define DEFAULT_LOCK_MINUTES 15

struct _OwSession
{
  GObject        parent_instance;

  OwStore       *store;
  OwClient      *client;
  OwSessionMode  mode;
  OwUser        *user;
  char          *held;        /* sodium_malloc'd, NUL-terminated; NULL when none */
  guint          generation;  /* bumped by every log-in and log-out: late answers are dropped */

  guint          valid_days;
  guint          max_failures;
  guint          lock_minutes;
};

G_DEFINE_FINAL_TYPE (OwSession, ow_session, G_TYPE_OBJECT)
G_DEFINE_QUARK (ow-session-error-quark, ow_session_error)

enum
{
  PROP_0,
  PROP_MODE,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- secrets ---------------------------------------------------------------------------- */

static char *
secret_dup (const char *text)
{
  gsize length = strlen (text);
  char *copy = sodium_malloc (length + 1);

  if (copy == NULL)
    g_error ("Out of locked memory for a password");
  memcpy (copy, text, length + 1);
  return copy;
}

static void
secret_free (char *secret)
{
  if (secret != NULL)
    sodium_free (secret);
}

static void
hold_password (OwSession  *self,
               const char *password)
{
  g_clear_pointer (&self->held, secret_free);
  if (password != NULL)
    self->held = secret_dup (password);
}

/* ---- state ------------------------------------------------------------------------------ */

static void
set_mode (OwSession     *self,
          OwSessionMode  mode,
          const OwUser  *user)
{
  gboolean user_changed = self->user != user;

  if (user != self->user)
    {
      OwUser *copy = ow_user_copy (user);

      g_clear_pointer (&self->user, ow_user_free);
      self->user = copy;
    }
  if (self->mode != mode)
    {
      self->mode = mode;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
    }
  if (user_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

static const char *
platform_key (OwSession *self)
{
  return ow_client_get_base_uri (self->client);
}

static OwUser *
user_from_credential (const OwStoreCredential *credential)
{
  OwUser *user = g_new0 (OwUser, 1);

  user->username = g_strdup (credential->username);
  user->display_name = g_strdup (credential->display_name);
  user->roles = g_strdupv (credential->roles);
  user->hall = g_strdup (credential->hall);
  user->hall_name = g_strdup (credential->hall_name);
  user->counter = credential->counter;
  return user;
}

static gboolean
is_disabled_error (const GError *error)
{
  return g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_FORBIDDEN)
         && g_strcmp0 (ow_platform_error_get_field (error), "username") == 0;
}

/* No answer, or an answer that says the platform cannot serve now: what lets a clerk work
 * without it. A refused password or certificate does not. */
static gboolean
is_outage (const GError *error)
{
  /* A 429 is an answer, not an outage: the platform holds this user's log-ins back after
   * wrong passwords, and checking the password here instead would go around that. */
  return g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNREACHABLE)
         || (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_SERVER)
             && ow_platform_error_get_status (error) != 429);
}

/* ---- work in threads -------------------------------------------------------------------- */

typedef enum
{
  JOB_KEEP,      /* online: keep the verifier and what the platform said of the user */
  JOB_OFFLINE,   /* check the password against what is kept */
  JOB_REVOKE,    /* the platform said the account is disabled */
  JOB_AUDIT,     /* only a line in the audit log */
} JobKind;

typedef struct
{
  JobKind   kind;
  guint     generation;
  char     *platform;
  char     *username;
  char     *password;      /* secret_dup'd */
  OwUser   *user;          /* JOB_KEEP: the platform's; JOB_OFFLINE: out */
  char     *audit_event;
  char     *audit_result;
  GError   *platform_error; /* what the platform said, returned after the job */
  guint     valid_days;
  guint     max_failures;
  guint     lock_minutes;
  gboolean  reconnecting;
} Job;

static void
job_free (Job *job)
{
  g_free (job->platform);
  g_free (job->username);
  secret_free (job->password);
  g_clear_pointer (&job->user, ow_user_free);
  g_free (job->audit_event);
  g_free (job->audit_result);
  g_clear_error (&job->platform_error);
  g_free (job);
}

static Job *
job_new (OwSession  *self,
         JobKind     kind,
         const char *username,
         const char *password)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->generation = self->generation;
  job->platform = g_strdup (platform_key (self));
  job->username = g_strdup (username);
  job->password = password != NULL ? secret_dup (password) : NULL;
  job->valid_days = self->valid_days;
  job->max_failures = self->max_failures;
  job->lock_minutes = self->lock_minutes;
  return job;
}

static gboolean
keep_verifier (OwStore  *store,
               Job      *job,
               GError  **error)
{
  char verifier[crypto_pwhash_STRBYTES];
  OwStoreCredential credential = { 0 };
  gboolean ok;

  if (crypto_pwhash_str (verifier, job->password, strlen (job->password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("Out of memory while keeping the offline log-in"));
      return FALSE;
    }
  credential.platform = job->platform;
  credential.username = job->username;
  credential.verifier = verifier;
  credential.display_name = job->user->display_name;
  credential.roles = job->user->roles;
  credential.hall = job->user->hall;
  credential.hall_name = job->user->hall_name;
  credential.counter = job->user->counter;
  credential.verified_at = g_get_real_time ();
  ok = ow_store_save_credential (store, &credential, error);
  sodium_memzero (verifier, sizeof verifier);
  return ok;
}

static char *
format_local_time (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return g_date_time_format (when, "%Y-%m-%d %H:%M");
}

/* Checks @job's password against what is kept; @job->user is set on success. */
static gboolean
log_in_offline (OwStore  *store,
                Job      *job,
                GError  **error)
{
  g_autoptr(OwStoreCredential) credential = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = g_get_real_time ();
  guint failures = 0;
  gint64 locked_until = 0;

  if (job->valid_days == 0)
    {
      ow_store_audit (store, job->username, "login-offline", job->platform,
                      "refused: offline log-in is switched off", NULL);
      g_set_error_literal (error, OW_SESSION_ERROR, OW_SESSION_ERROR_NOT_ALLOWED,
                           _("The platform cannot be reached, and this PC does not allow logging "
                             "in without it. Call the hall's IT desk."));
      return FALSE;
    }
  credential = ow_store_load_credential (store, job->platform, job->username, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (credential == NULL)
    {
      /* Audited as a failed attempt; nothing is counted, since nothing is kept. */
      ow_store_credential_failed (store, job->platform, job->username, now, job->max_failures,
                                  (gint64) job->lock_minutes * 60 * G_USEC_PER_SEC, NULL, NULL,
                                  NULL);
      g_set_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_NEVER_HERE,
                   _("The platform cannot be reached, and “%s” has never logged in at this PC "
                     "while it answered, so there is nothing here to check the password against. "
                     "Log in at a counter you used before, or wait until the platform answers."),
                   job->username);
      return FALSE;
    }
  if (credential->revoked_at != 0 || credential->verifier == NULL || *credential->verifier == '\0')
    {
      ow_store_audit (store, job->username, "login-offline", job->platform,
                      "refused: revoked", NULL);
      g_set_error_literal (error, OW_SESSION_ERROR, OW_SESSION_ERROR_REVOKED,
                           _("The platform has disabled this account, so it cannot log in here "
                             "any more. Ask the hall's administrator."));
      return FALSE;
    }
  if (now - credential->verified_at > (gint64) job->valid_days * 24 * 3600 * G_USEC_PER_SEC)
    {
      g_autofree char *when = format_local_time (credential->verified_at);

      ow_store_audit (store, job->username, "login-offline", job->platform,
                      "refused: expired", NULL);
      g_set_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_EXPIRED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The platform cannot be reached, and your last log-in here while "
                                "it answered (%s) is more than %u day ago: logging in without it "
                                "is no longer allowed. Wait until the platform answers.",
                                "The platform cannot be reached, and your last log-in here while "
                                "it answered (%s) is more than %u days ago: logging in without it "
                                "is no longer allowed. Wait until the platform answers.",
                                job->valid_days),
                   when, job->valid_days);
      return FALSE;
    }
  if (credential->locked_until > now)
    {
      g_autofree char *until = format_local_time (credential->locked_until);

      ow_store_audit (store, job->username, "login-offline", job->platform,
                      "refused: locked", NULL);
      g_set_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_LOCKED,
                   _("Too many wrong passwords: this account is locked on this PC until %s."),
                   until);
      return FALSE;
    }

  if (crypto_pwhash_str_verify (credential->verifier, job->password,
                                strlen (job->password)) != 0)
    {
      if (!ow_store_credential_failed (store, job->platform, job->username, now,
                                       job->max_failures,
                                       (gint64) job->lock_minutes * 60 * G_USEC_PER_SEC,
                                       &failures, &locked_until, error))
        return FALSE;
      if (locked_until != 0)
        {
          g_autofree char *until = format_local_time (locked_until);

          g_set_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_LOCKED,
                       _("Wrong password, too many times: this account is locked on this PC "
                         "until %s."), until);
        }
      else
        {
          guint left = job->max_failures - failures;

          g_set_error (error, OW_SESSION_ERROR, OW_SESSION_ERROR_WRONG_PASSWORD,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Wrong password. The platform cannot be reached, so it was "
                                    "checked here: %u more wrong try locks this account on this "
                                    "PC for %u minutes.",
                                    "Wrong password. The platform cannot be reached, so it was "
                                    "checked here: %u more wrong tries lock this account on this "
                                    "PC for %u minutes.", left),
                       left, job->lock_minutes);
        }
      return FALSE;
    }

  if (!ow_store_credential_succeeded (store, job->platform, job->username, error))
    return FALSE;
  job->user = user_from_credential (credential);
  return TRUE;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  OwSession *self = source_object;
  Job *job = task_data;
  GError *error = NULL;
  gboolean ok = TRUE;

  switch (job->kind)
    {
    case JOB_KEEP:
      /* Not being able to keep the verifier does not stop the online log-in. */
      if (!keep_verifier (self->store, job, &error))
        {
          g_warning ("Cannot keep the offline log-in of %s: %s", job->username, error->message);
          g_clear_error (&error);
        }
      break;
    case JOB_OFFLINE:
      ok = log_in_offline (self->store, job, &error);
      break;
    case JOB_REVOKE:
      if (!ow_store_revoke_credential (self->store, job->platform, job->username,
                                       "the platform says the account is disabled", &error))
        {
          g_warning ("Cannot revoke the offline log-in of %s: %s", job->username,
                     error->message);
          g_clear_error (&error);
        }
      break;
    case JOB_AUDIT:
      if (!ow_store_audit (self->store, job->username, job->audit_event, job->platform,
                           job->audit_result, &error))
        {
          g_warning ("Cannot write the audit log: %s", error->message);
          g_clear_error (&error);
        }
      break;
    }
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_job (OwSession           *self,
         Job                 *job,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, run_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

static void
audit (OwSession  *self,
       const char *username,
       const char *event,
       const char *result)
{
  Job *job = job_new (self, JOB_AUDIT, username, NULL);

  job->audit_event = g_strdup (event);
  job->audit_result = g_strdup (result);
  run_job (self, job, NULL, NULL, NULL);
}

/* ---- logging in ------------------------------------------------------------------------- */

/* Ends @task (a log-in, a reconnect or a re-authentication) once @job ran. */
static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwSession *self = OW_SESSION (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->generation != self->generation)
    {
      /* Logged out (or in as someone else) meanwhile. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Logged out meanwhile");
      return;
    }

  switch (job->kind)
    {
    case JOB_KEEP:
      hold_password (self, NULL);
      set_mode (self, OW_SESSION_ONLINE, ow_client_get_user (self->client));
      g_task_return_boolean (task, TRUE);
      break;
    case JOB_OFFLINE:
      hold_password (self, job->password);
      set_mode (self, OW_SESSION_OFFLINE, job->user);
      g_task_return_boolean (task, TRUE);
      break;
    case JOB_REVOKE:
      if (job->reconnecting)
        ow_session_logout (self);
      g_task_return_new_error (task, OW_SESSION_ERROR, OW_SESSION_ERROR_REVOKED,
                               _("The platform has disabled this account: it cannot log in any "
                                 "more, here or elsewhere. Ask the hall's administrator."));
      break;
    case JOB_AUDIT:
      g_task_return_boolean (task, TRUE);
      break;
    }
}

static void
platform_login_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwSession *self = g_task_get_source_object (task);
  Job *pending = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  Job *job;

  if (ow_client_login_finish (OW_CLIENT (source), result, &error))
    {
      job = job_new (self, JOB_KEEP, pending->username, pending->password);
      job->generation = pending->generation;
      job->user = ow_user_copy (ow_client_get_user (self->client));
      run_job (self, job, NULL, job_done_cb, g_steal_pointer (&task));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (is_disabled_error (error))
    {
      job = job_new (self, JOB_REVOKE, pending->username, NULL);
      job->generation = pending->generation;
      job->reconnecting = pending->reconnecting;
      run_job (self, job, NULL, job_done_cb, g_steal_pointer (&task));
      return;
    }
  if (is_outage (error) && !pending->reconnecting)
    {
      job = job_new (self, JOB_OFFLINE, pending->username, pending->password);
      job->generation = pending->generation;
      run_job (self, job, cancellable, job_done_cb, g_steal_pointer (&task));
      return;
    }
  if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED))
    {
      audit (self, pending->username, "login-online", "refused: wrong user name or password");
      if (pending->reconnecting)
        {
          /* Changed on the platform since: the clerk types it again. */
          hold_password (self, NULL);
          g_task_return_new_error (task, OW_SESSION_ERROR, OW_SESSION_ERROR_PASSWORD_NEEDED,
                                   _("The platform answers again but no longer takes the "
                                     "password you logged in with. Type your password to send "
                                     "the waiting changes."));
          return;
        }
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
start_platform_login (OwSession           *self,
                      const char          *username,
                      const char          *password,
                      gboolean             reconnecting,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Job *pending = job_new (self, JOB_AUDIT, username, password);

  g_task_set_source_tag (task, source_tag);
  pending->reconnecting = reconnecting;
  g_task_set_task_data (task, pending, (GDestroyNotify) job_free);
  ow_client_login_async (self->client, username, password, cancellable, platform_login_cb,
                         g_steal_pointer (&task));
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
ow_session_dispose (GObject *object)
{
  OwSession *self = OW_SESSION (object);

  hold_password (self, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ow_session_parent_class)->dispose (object);
}

static void
ow_session_finalize (GObject *object)
{
  OwSession *self = OW_SESSION (object);

  g_clear_pointer (&self->user, ow_user_free);

  G_OBJECT_CLASS (ow_session_parent_class)->finalize (object);
}

static void
ow_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  OwSession *self = OW_SESSION (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_uint (value, self->mode);
      break;
    case PROP_USER:
      g_value_set_pointer (value, self->user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_session_class_init (OwSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_session_dispose;
  object_class->finalize = ow_session_finalize;
  object_class->get_property = ow_session_get_property;

  properties[PROP_MODE] =
    g_param_spec_uint ("mode", NULL, NULL, OW_SESSION_LOGGED_OUT, OW_SESSION_OFFLINE,
                       OW_SESSION_LOGGED_OUT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_pointer ("user", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ow_session_init (OwSession *self)
{
  self->mode = OW_SESSION_LOGGED_OUT;
  self->valid_days = DEFAULT_VALID_DAYS;
  self->max_failures = DEFAULT_MAX_FAILURES;
  self->lock_minutes = DEFAULT_LOCK_MINUTES;
}

/* ---- public API ------------------------------------------------------------------------- */

OwSession *
ow_session_new (OwStore  *store,
                OwClient *client)
{
  OwSession *self;

  g_return_val_if_fail (OW_IS_STORE (store), NULL);
  g_return_val_if_fail (OW_IS_CLIENT (client), NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  self = g_object_new (OW_TYPE_SESSION, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  return self;
}

void
ow_session_set_policy (OwSession *self,
                       guint      valid_days,
                       guint      max_failures,
                       guint      lock_minutes)
{
  g_return_if_fail (OW_IS_SESSION (self));
  g_return_if_fail (max_failures > 0);

  self->valid_days = valid_days;
  self->max_failures = max_failures;
  self->lock_minutes = lock_minutes;
}

OwSessionMode
ow_session_get_mode (OwSession *self)
{
  g_return_val_if_fail (OW_IS_SESSION (self), OW_SESSION_LOGGED_OUT);
  return self->mode;
}

const OwUser *
ow_session_get_user (OwSession *self)
{
  g_return_val_if_fail (OW_IS_SESSION (self), NULL);
  return self->user;
}

void
ow_session_login_async (OwSession           *self,
                        const char          *username,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (OW_IS_SESSION (self));
  g_return_if_fail (username != NULL && password != NULL);

  /* Whoever was logged in is not any more, whatever this attempt brings. */
  if (self->mode != OW_SESSION_LOGGED_OUT)
    ow_session_logout (self);
  self->generation++;
  start_platform_login (self, username, password, FALSE, ow_session_login_async, cancellable,
                        callback, user_data);
}

gboolean
ow_session_login_finish (OwSession     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ow_session_reconnect_async (OwSession           *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_SESSION (self));

  if (self->mode != OW_SESSION_OFFLINE || self->held == NULL)
    {
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, ow_session_reconnect_async);
      if (self->mode == OW_SESSION_OFFLINE)
        g_task_return_new_error (task, OW_SESSION_ERROR, OW_SESSION_ERROR_PASSWORD_NEEDED,
                                 _("The platform answers again. Type your password to send the "
                                   "waiting changes."));
      else if (self->mode == OW_SESSION_LOGGED_OUT)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Logged out");
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  start_platform_login (self, self->user->username, self->held, TRUE, ow_session_reconnect_async,
                        cancellable, callback, user_data);
}

gboolean
ow_session_reconnect_finish (OwSession     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ow_session_reauthenticate_async (OwSession           *self,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (OW_IS_SESSION (self));
  g_return_if_fail (password != NULL);

  if (self->user == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, ow_session_reauthenticate_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Logged out");
      return;
    }
  start_platform_login (self, self->user->username, password, TRUE,
                        ow_session_reauthenticate_async, cancellable, callback, user_data);
}

gboolean
ow_session_reauthenticate_finish (OwSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ow_session_token_refused (OwSession *self)
{
  g_return_if_fail (OW_IS_SESSION (self));

  if (self->mode == OW_SESSION_ONLINE)
    set_mode (self, OW_SESSION_OFFLINE, self->user);
}

void
ow_session_logout (OwSession *self)
{
  g_return_if_fail (OW_IS_SESSION (self));

  self->generation++;
  hold_password (self, NULL);
  ow_client_set_token (self->client, NULL);
  set_mode (self, OW_SESSION_LOGGED_OUT, NULL);
}
