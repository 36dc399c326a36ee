/* ow-platform-catalog.h — importing a catalog file of any size into the platform's storage
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "platform/ow-platform-db.h"

G_BEGIN_DECLS

/* Called with each element of a catalog's "items" as it is read: its JSON text (@length bytes,
 * not NUL-terminated) and its index. */
typedef gboolean (*OwPlatformCatalogItemFunc) (const char  *text,
                                               gsize        length,
                                               guint        index,
                                               gpointer     user_data,
                                               GError     **error);

/* Reads a catalog object from @stream without holding it whole: each item goes to @func as it
 * is read (one item at a time is in memory), and the other members are returned as an object
 * (revision, hall, departments, bundles …, each parsed). Fails with OW_CORE_ERROR_PARSE when the
 * text is not a JSON object with an "items" array, or an item or member is too large. */
JsonObject *ow_platform_catalog_read   (GInputStream              *stream,
                                        OwPlatformCatalogItemFunc  func,
                                        gpointer                   user_data,
                                        GCancellable              *cancellable,
                                        GError                   **error);

/* Imports the catalog file at @path as a new revision unless it is the newest already (the
 * same header and items, in canonical form), inside the caller's transaction. Every item is
 * checked (ow_json_to_item), ids must be unique and bundles name items of the file; nothing is
 * stored unless the whole file passes. The file is read twice, never held whole, so that a
 * province's catalog of hundreds of MB imports in little memory. @revision receives the newest
 * revision afterwards. */
gboolean    ow_platform_catalog_import (OwPlatformDb              *db,
                                        const char                *path,
                                        gint64                    *revision,
                                        GError                   **error);

G_END_DECLS
