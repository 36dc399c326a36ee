/* ow-platform-files.c — the platform's file routes: scanned pages by their SHA-256
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "platform/ow-platform-access.h"

static const char *content_types[] = { "image/png", "image/jpeg", "application/pdf", NULL };

/* Answers 422 itself unless @text is a SHA-256 in lower-case hex. */
static gboolean
check_sha256 (OwPlatformRequest *msg,
              const char        *text)
{
  gboolean valid = strlen (text) == 64;

  for (const char *p = text; valid && *p != '\0'; p++)
    valid = g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f');
  if (!valid)
    ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "sha256",
                               _("A file is named by its SHA-256 in 64 lower-case hex digits"));
  return valid;
}

static void
handle_put_file (OwPlatformServer  *self,
                 OwPlatformRequest *msg,
                 const char        *sha256)
{
  /* The clerk's scanned materials, and the authorisation letter an agent brings to the pick-up
   * window. */
  static const char *roles[] = { "clerk", "pickup", NULL };
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *content_type = NULL;
  OwPlatformPutResult result;
  const char *header;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_any_role (msg, user, roles) || !check_sha256 (msg, sha256))
    return;
  if (ow_platform_request_too_large (msg))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL,
                                 _("The file is larger than 20 MiB: scan at a lower resolution"));
      return;
    }

  header = soup_message_headers_get_content_type (ow_platform_request_get_request_headers (msg),
                                                  NULL);
  if (header == NULL || !g_strv_contains (content_types, header))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "content_type",
                                 _("A file must be sent as image/png, image/jpeg or "
                                   "application/pdf"));
      return;
    }
  content_type = g_ascii_strdown (header, -1);

  data = ow_platform_dup_request_body (msg);
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  if (!g_str_equal (actual, sha256))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "sha256",
                                 _("The file’s SHA-256 differs from the one in the address: "
                                   "it was damaged on the way, send it again"));
      return;
    }

  if (!ow_platform_db_put_file (ow_platform_server_db (self), sha256, content_type, data,
                                user->username, &result,
                                &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  ow_platform_request_set_status (msg, result == OW_PLATFORM_PUT_CREATED ? SOUP_STATUS_CREATED
                                                                         : SOUP_STATUS_OK);
}

static void
handle_get_file (OwPlatformServer  *self,
                 OwPlatformRequest *msg,
                 const char        *sha256)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *etag = NULL;
  SoupMessageHeaders *headers = ow_platform_request_get_response_headers (msg);

  if ((user = ow_platform_authenticate (self, msg)) == NULL || !check_sha256 (msg, sha256))
    return;

  data = ow_platform_db_get_file (ow_platform_server_db (self), sha256, &content_type, &error);
  if (data == NULL)
    {
      if (error != NULL)
        ow_platform_respond_internal (msg, error);
      else
        ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                   _("There is no file with this SHA-256"));
      return;
    }
  if (!ow_platform_require_file_visible (self, msg, user, sha256))
    return;

  /* The address names the content: it can never change. */
  etag = g_strdup_printf ("\"%s\"", sha256);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", "private, max-age=31536000, immutable");
  soup_message_headers_set_content_type (headers, content_type, NULL);
  ow_platform_request_set_status (msg, SOUP_STATUS_OK);
  ow_platform_request_append_body (msg, data);
}

void
ow_platform_route_files (OwPlatformServer  *self,
                         OwPlatformRequest *msg,
                         const char        *method,
                         const char        *rest,
                         GHashTable        *query)
{
  const char *sha256 = rest + 1;

  if (*rest == '\0' || strchr (sha256, '/') != NULL || *sha256 == '\0')
    {
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
      return;
    }
  if (!g_str_equal (method, SOUP_METHOD_PUT) && !g_str_equal (method, SOUP_METHOD_GET))
    {
      ow_platform_respond_method_not_allowed (msg, "GET, PUT");
      return;
    }
  if (g_str_equal (method, SOUP_METHOD_PUT))
    handle_put_file (self, msg, sha256);
  else
    handle_get_file (self, msg, sha256);
}
