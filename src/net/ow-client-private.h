/* ow-client-private.h — what ow-client.c lends the client's other files
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client is split by concern: ow-client.c (sessions, catalog, calendar, cases, tickets,
 * the feed, raw sends) and ow-client-overview.c (the supervisor's statistics, counts and
 * ratings), which asks for JSON objects through the request machinery of the first.
 */
#pragma once

#include "net/ow-client.h"

G_BEGIN_DECLS

/* GET @path ("/api/v1/…?…") with the session's token; finishes with the answer parsed, a JSON object
 * or an error in OW_PLATFORM_ERROR as every request of the client. */
void      ow_client_get_object_async   (OwClient            *self,
                                        const char          *path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
JsonNode *ow_client_get_object_finish  (OwClient            *self,
                                        GAsyncResult        *result,
                                        GError             **error);
/* OW_PLATFORM_ERROR_MALFORMED for an answer the codec refused (@message), naming @field. */
void      ow_client_set_malformed_error (GError            **error,
                                         const char         *field,
                                         const char         *message);

G_END_DECLS
