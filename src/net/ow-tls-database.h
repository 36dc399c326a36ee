/* ow-tls-database.h — trust a hall's own CA in addition to the system's (private to net/)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OW_TYPE_TLS_DATABASE (ow_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (OwTlsDatabase, ow_tls_database, OW, TLS_DATABASE, GTlsDatabase)

/* A database that accepts a chain when either the anchors in @ca_file or the system's default
 * database accept it. Fails like g_tls_file_database_new() on an unreadable file. */
GTlsDatabase *ow_tls_database_new (const char  *ca_file,
                                   GError     **error);

G_END_DECLS
