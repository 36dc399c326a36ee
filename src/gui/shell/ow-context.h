/* ow-context.h — what the application's windows share: settings, store, client, sync, devices
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No GTK here: the context is plain GObject so that it can be driven without a display.
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-calendar.h"
#include "core/ow-catalog.h"
#include "devices/ow-printer.h"
#include "devices/ow-scanner.h"
#include "gui/shell/ow-directory.h"
#include "net/ow-client.h"
#include "net/ow-link.h"
#include "net/ow-session.h"
#include "net/ow-sync.h"
#include "search/ow-item-index.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

#define OW_TYPE_CONTEXT (ow_context_get_type ())
G_DECLARE_FINAL_TYPE (OwContext, ow_context, OW, CONTEXT, GObject)

/* Properties, read-only and notified on change:
 *   "ready"         gboolean, the store is open and the services exist
 *   "online"        gboolean, the platform answered last time it was asked
 *   "link-state"    OwLinkState (as guint): not yet connected, online, offline (see OwLink)
 *   "user"          OwUser* (boxed-less pointer, see ow_context_get_user), NULL when logged out
 *   "session-mode"  OwSessionMode (as guint): logged out, online, or logged in offline
 *   "catalog"       OwCatalog*, the one kept in the store from the start (NULL when none is
 *                   kept yet), a newer one whenever the platform's changes are applied
 *   "item-index"    OwItemIndex*, the search index of "catalog", NULL until built or read back
 *                   from the store (in a worker); it follows the catalog
 *   "scanner-name"  char*, the scanner in use, NULL when none was found
 *   "printer-name"  char*, the notice printer in use, NULL when none is configured or found
 *
 * Signals:
 *   "password-needed" (OwContext *, const char *message): the platform answers again but
 *       wants the password typed again before the waiting changes go (ow_context_
 *       reauthenticate_async())
 *   "logged-out" (OwContext *, const char *reason): the session ended without the clerk
 *       asking (the platform disabled the account)
 */

/* @settings may be NULL for the application's schema. Overrides (NULL: keep the setting) take
 * precedence over the settings; @store_path NULL means the user's data directory. */
OwContext    *ow_context_new                (GSettings    *settings,
                                             const char   *platform_uri,
                                             const char   *store_path,
                                             const char   *scanner_device,
                                             const char   *notice_printer);

/* Opens the store and starts the services. Safe to call once. */
void          ow_context_open_async         (OwContext    *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
gboolean      ow_context_open_finish        (OwContext    *self,
                                             GAsyncResult *result,
                                             GError      **error);
gboolean      ow_context_is_ready           (OwContext    *self);
/* Makes ready, in a worker, what the first document needs (its fonts): once the window has
 * shown. A document printed before prepares them itself. */
void          ow_context_prepare_documents  (OwContext    *self);
/* Why opening failed, or NULL; "ready" is notified (staying FALSE) when it does. */
const GError *ow_context_get_open_error     (OwContext    *self);

/* Logs in at the platform, or offline when it cannot be reached (OwSession), then brings the
 * kept catalog and calendar up to date in the background. Fails with the log-in's error
 * (OW_PLATFORM_ERROR_UNAUTHORIZED, OW_SESSION_ERROR …). With no catalog kept yet the log-in
 * waits for the platform's and fails when it cannot be fetched, since nothing can be accepted
 * without it. A calendar that cannot be fetched falls back to the one kept, and that to the
 * national schedule shipped with the application. */
void          ow_context_login_async        (OwContext    *self,
                                             const char   *username,
                                             const char   *password,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
gboolean      ow_context_login_finish       (OwContext    *self,
                                             GAsyncResult *result,
                                             GError      **error);

/* The clerk typed the password again after "password-needed". */
void          ow_context_reauthenticate_async  (OwContext    *self,
                                                const char   *password,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer      user_data);
gboolean      ow_context_reauthenticate_finish (OwContext    *self,
                                                GAsyncResult *result,
                                                GError      **error);
/* Ends the session: the next person at the counter cannot act under this clerk's name. */
void          ow_context_logout             (OwContext    *self);

GSettings    *ow_context_get_settings       (OwContext    *self);
const char   *ow_context_get_platform_uri   (OwContext    *self);
OwStore      *ow_context_get_store          (OwContext    *self);
OwClient     *ow_context_get_client         (OwContext    *self);
OwSync       *ow_context_get_sync           (OwContext    *self);
OwScanner    *ow_context_get_scanner        (OwContext    *self);
OwPrinter    *ow_context_get_printer        (OwContext    *self);
OwCatalog    *ow_context_get_catalog        (OwContext    *self);
OwItemIndex  *ow_context_get_item_index     (OwContext    *self);
OwSession    *ow_context_get_session        (OwContext    *self);
OwLink       *ow_context_get_link           (OwContext    *self);
OwLinkState   ow_context_get_link_state     (OwContext    *self);
/* When the platform stopped answering (µs since the epoch), 0 unless offline. */
gint64        ow_context_get_offline_since  (OwContext    *self);
OwSessionMode ow_context_get_session_mode   (OwContext    *self);
OwCalendar   *ow_context_get_calendar       (OwContext    *self);
const OwUser *ow_context_get_user           (OwContext    *self);
/* The hall's people (fetched at each log-in), and how the interface names one of them by their
 * log-in name: the person and their department, never the log-in name itself. */
OwDirectory  *ow_context_get_directory      (OwContext    *self);
char         *ow_context_describe_user      (OwContext    *self,
                                             const char   *username);
gboolean      ow_context_get_online         (OwContext    *self);
const char   *ow_context_get_scanner_name   (OwContext    *self);
const char   *ow_context_get_printer_name   (OwContext    *self);
/* The scanner the clerk chose: used from now on and remembered in GSettings (scanner-device)
 * for the next start, where a --scanner override still wins. */
void          ow_context_set_scanner_name   (OwContext    *self,
                                             const char   *name);

G_END_DECLS
