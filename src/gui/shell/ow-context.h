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
#include "net/ow-sync.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

#define OW_TYPE_CONTEXT (ow_context_get_type ())
G_DECLARE_FINAL_TYPE (OwContext, ow_context, OW, CONTEXT, GObject)

/* Properties, read-only and notified on change:
 *   "ready"         gboolean, the store is open and the services exist
 *   "online"        gboolean, the platform answered last time it was asked
 *   "user"          OwUser* (boxed-less pointer, see ow_context_get_user), NULL when logged out
 *   "catalog"       OwCatalog*, NULL until fetched after log-in
 *   "scanner-name"  char*, the scanner in use, NULL when none was found
 *   "printer-name"  char*, the notice printer in use, NULL when none is configured or found
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
/* Why opening failed, or NULL; "ready" is notified (staying FALSE) when it does. */
const GError *ow_context_get_open_error     (OwContext    *self);

/* Logs in, then fetches the catalog and the calendar. Fails with the log-in's error
 * (OW_PLATFORM_ERROR_UNAUTHORIZED, _UNREACHABLE …); a catalog that cannot be fetched fails too,
 * since nothing can be accepted without it. A calendar that cannot be fetched falls back to the
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

GSettings    *ow_context_get_settings       (OwContext    *self);
const char   *ow_context_get_platform_uri   (OwContext    *self);
OwStore      *ow_context_get_store          (OwContext    *self);
OwClient     *ow_context_get_client         (OwContext    *self);
OwSync       *ow_context_get_sync           (OwContext    *self);
OwScanner    *ow_context_get_scanner        (OwContext    *self);
OwPrinter    *ow_context_get_printer        (OwContext    *self);
OwCatalog    *ow_context_get_catalog        (OwContext    *self);
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
