/* ow-session.h — the person logged in at the counter, with the platform or without it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "net/ow-client.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

#define OW_SESSION_ERROR (ow_session_error_quark ())

typedef enum
{
  OW_SESSION_ERROR_NEVER_HERE,      /* never logged in at this PC while the platform answered */
  OW_SESSION_ERROR_EXPIRED,         /* the last online log-in here is older than allowed */
  OW_SESSION_ERROR_LOCKED,          /* too many wrong passwords offline: wait */
  OW_SESSION_ERROR_WRONG_PASSWORD,  /* offline: the password is not the one kept */
  OW_SESSION_ERROR_REVOKED,         /* the platform said the account is disabled */
  OW_SESSION_ERROR_NOT_ALLOWED,     /* offline log-in is switched off on this PC */
  OW_SESSION_ERROR_PASSWORD_NEEDED, /* the platform wants the password again */
} OwSessionError;

GQuark ow_session_error_quark (void);

typedef enum
{
  OW_SESSION_LOGGED_OUT = 1,
  OW_SESSION_ONLINE,        /* with a token of the platform */
  OW_SESSION_OFFLINE,       /* checked against the verifier kept here; no token yet */
} OwSessionMode;

#define OW_TYPE_SESSION (ow_session_get_type ())
G_DECLARE_FINAL_TYPE (OwSession, ow_session, OW, SESSION, GObject)

/* Offline log-in (MOSIP's registration client does the same for its operators): after every
 * online log-in the counter keeps a verifier of the password (crypto_pwhash_str, Argon2id;
 * never the password, never the token in a file) with what the platform said of the user.
 * With the platform unreachable (no answer, or 5xx) the same user logs in against it, for as
 * many days after the last online log-in as the policy allows; wrong passwords are counted and
 * lock the account on this PC for a while, like the platform does online; every attempt is
 * audited in the store. The password stays in locked, guarded memory while offline, so that
 * when the platform answers again (ow_session_reconnect_async()) the counter gets a token
 * without asking; it asks (OW_SESSION_ERROR_PASSWORD_NEEDED) only if the platform refuses it.
 * A platform that says the account is disabled (403 on the log-in) revokes what is kept here.
 *
 * Properties, read-only and notified on change:
 *   "mode"  OwSessionMode (as guint)
 *   "user"  pointer to the OwUser logged in, NULL when logged out
 */
OwSession     *ow_session_new                 (OwStore        *store,
                                               OwClient       *client);
/* How long an online log-in lets the user in offline (0: not at all), how many wrong
 * passwords lock, and for how long. Defaults: 7 days, 5, 15 minutes. */
void           ow_session_set_policy          (OwSession      *self,
                                               guint           valid_days,
                                               guint           max_failures,
                                               guint           lock_minutes);
OwSessionMode  ow_session_get_mode            (OwSession      *self);
const OwUser  *ow_session_get_user            (OwSession      *self);

/* Logs in at the platform, or, when it cannot be reached, against what is kept here. Fails
 * with the platform's error (OW_PLATFORM_ERROR_UNAUTHORIZED for a wrong password online …) or
 * OW_SESSION_ERROR. */
void           ow_session_login_async         (OwSession      *self,
                                               const char     *username,
                                               const char     *password,
                                               GCancellable   *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer        user_data);
gboolean       ow_session_login_finish        (OwSession      *self,
                                               GAsyncResult   *result,
                                               GError        **error);
/* The platform answers again: logs in with the password held since the offline log-in (or
 * does nothing when online already). OW_SESSION_ERROR_PASSWORD_NEEDED when there is none or
 * the platform refuses it (the session stays offline); OW_SESSION_ERROR_REVOKED when the
 * account is disabled (the session is logged out); a transport error when the platform went
 * away again. */
void           ow_session_reconnect_async     (OwSession      *self,
                                               GCancellable   *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer        user_data);
gboolean       ow_session_reconnect_finish    (OwSession      *self,
                                               GAsyncResult   *result,
                                               GError        **error);
/* The same with the password the clerk typed again, for the user logged in. */
void           ow_session_reauthenticate_async  (OwSession    *self,
                                                 const char   *password,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer      user_data);
gboolean       ow_session_reauthenticate_finish (OwSession    *self,
                                                 GAsyncResult *result,
                                                 GError      **error);
/* The platform refused the token (401) while online: the next reconnect needs the password. */
void           ow_session_token_refused       (OwSession      *self);
void           ow_session_logout              (OwSession      *self);

G_END_DECLS
