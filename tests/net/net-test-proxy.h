/* net-test-proxy.h — an HTTP relay in the test's own process, between the client and the real
 * platform, that can hold an answer back: how a test forces one request to be answered after
 * another that was sent later
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   NetTestProxy *proxy = net_test_proxy_new (ow_test_platform_get_base_uri (platform));
 *   client = ow_client_new (net_test_proxy_get_uri (proxy), NULL, &error);
 *   net_test_proxy_hold (proxy, "GET", "/api/v1/tickets/t-1", 1);
 *   … wait until net_test_proxy_get_held (proxy) == 1: the platform has answered, the client
 *     has not heard it yet …
 *   net_test_proxy_release (proxy);
 *
 * Every request is passed on at once, on the main context the test iterates; only the answers
 * to the held method and path wait, the next @count of them, until released. The platform's
 * answer is read (and its state fixed) before it is held.
 */
#pragma once

#include <string.h>

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  SoupServer   *server;
  SoupSession  *session;
  GCancellable *cancellable;
  char         *upstream;   /* "http://127.0.0.1:PORT/" */
  char         *uri;
  char         *hold_method;
  char         *hold_path;
  guint         hold_count; /* answers still to hold */
  GPtrArray    *held;       /* SoupServerMessage, answered but paused */
  GHashTable   *counts;     /* "METHOD PATH" → requests seen */
} NetTestProxy;

typedef struct
{
  NetTestProxy      *proxy;
  SoupServerMessage *msg;
  SoupMessage       *upstream;
  gboolean           hold;
} NetTestProxyForward;

static inline void
net_test_proxy_forward_free (NetTestProxyForward *forward)
{
  g_clear_object (&forward->msg);
  g_clear_object (&forward->upstream);
  g_free (forward);
}

static inline void
net_test_proxy_copy_header (SoupMessageHeaders *from,
                            SoupMessageHeaders *to,
                            const char         *name)
{
  const char *value = soup_message_headers_get_one (from, name);

  if (value != NULL)
    soup_message_headers_replace (to, name, value);
}

static inline void
net_test_proxy_answered_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  NetTestProxyForward *forward = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *from, *to;
  gsize size = 0;
  const char *data;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The proxy is gone: so is its server, and the message with it. */
      net_test_proxy_forward_free (forward);
      return;
    }
  if (body == NULL)
    soup_server_message_set_status (forward->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
  else
    {
      from = soup_message_get_response_headers (forward->upstream);
      to = soup_server_message_get_response_headers (forward->msg);
      net_test_proxy_copy_header (from, to, "ETag");
      net_test_proxy_copy_header (from, to, "WWW-Authenticate");
      data = g_bytes_get_data (body, &size);
      soup_server_message_set_status (forward->msg, soup_message_get_status (forward->upstream),
                                      NULL);
      if (size > 0)
        soup_server_message_set_response (forward->msg,
                                          soup_message_headers_get_content_type (from, NULL),
                                          SOUP_MEMORY_COPY, data, size);
    }

  if (forward->hold)
    g_ptr_array_add (forward->proxy->held, g_object_ref (forward->msg));
  else
    soup_server_message_unpause (forward->msg);
  net_test_proxy_forward_free (forward);
}

static inline void
net_test_proxy_request_cb (SoupServer        *server,
                           SoupServerMessage *msg,
                           const char        *path,
                           GHashTable        *query,
                           gpointer           user_data)
{
  NetTestProxy *proxy = user_data;
  NetTestProxyForward *forward = g_new0 (NetTestProxyForward, 1);
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  g_autofree char *target = NULL;
  g_autofree char *counted = g_strdup_printf ("%s %s", method, path);
  g_autoptr(GBytes) body = NULL;

  g_hash_table_insert (proxy->counts, g_strdup (counted),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (proxy->counts,
                                                                                 counted)) + 1));
  target = g_strconcat (proxy->upstream, path + 1,
                        g_uri_get_query (uri) != NULL ? "?" : "",
                        g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "", NULL);
  forward->proxy = proxy;
  forward->msg = g_object_ref (msg);
  forward->upstream = soup_message_new (method, target);
  g_assert_nonnull (forward->upstream);
  net_test_proxy_copy_header (in, soup_message_get_request_headers (forward->upstream),
                              "Authorization");
  net_test_proxy_copy_header (in, soup_message_get_request_headers (forward->upstream),
                              "If-None-Match");
  body = soup_message_body_flatten (request_body);
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (forward->upstream,
                                              soup_message_headers_get_content_type (in, NULL),
                                              body);
  if (proxy->hold_count > 0 && g_strcmp0 (method, proxy->hold_method) == 0
      && g_strcmp0 (path, proxy->hold_path) == 0)
    {
      proxy->hold_count--;
      forward->hold = TRUE;
    }

  soup_server_message_pause (msg);
  soup_session_send_and_read_async (proxy->session, forward->upstream, G_PRIORITY_DEFAULT,
                                    proxy->cancellable, net_test_proxy_answered_cb, forward);
}

static inline NetTestProxy *
net_test_proxy_new (const char *upstream)
{
  NetTestProxy *proxy = g_new0 (NetTestProxy, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  proxy->upstream = g_strdup (upstream);
  proxy->cancellable = g_cancellable_new ();
  proxy->session = soup_session_new_with_options ("timeout", 90, "proxy-resolver", NULL,
                                                  "max-conns-per-host", 8, NULL);
  proxy->held = g_ptr_array_new_with_free_func (g_object_unref);
  proxy->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, NULL, net_test_proxy_request_cb, proxy, NULL);
  g_assert_true (soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy->server);
  g_assert_nonnull (uris);
  proxy->uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return proxy;
}

static inline const char *
net_test_proxy_get_uri (NetTestProxy *proxy)
{
  return proxy->uri;
}

/* Holds the answers to the next @count requests @method @path (no query) until released. */
static inline void
net_test_proxy_hold (NetTestProxy *proxy,
                     const char   *method,
                     const char   *path,
                     guint         count)
{
  g_free (proxy->hold_method);
  proxy->hold_method = g_strdup (method);
  g_free (proxy->hold_path);
  proxy->hold_path = g_strdup (path);
  proxy->hold_count = count;
}

/* How many answers wait, already given by the platform. */
static inline guint
net_test_proxy_get_held (NetTestProxy *proxy)
{
  return proxy->held->len;
}

/* Lets the held answers go, in the order they came. */
static inline void
net_test_proxy_release (NetTestProxy *proxy)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&proxy->held);

  proxy->held = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < held->len; i++)
    soup_server_message_unpause (g_ptr_array_index (held, i));
}

/* How many requests @method @path came through. */
static inline guint
net_test_proxy_count (NetTestProxy *proxy,
                      const char   *method,
                      const char   *path)
{
  g_autofree char *key = g_strdup_printf ("%s %s", method, path);

  return GPOINTER_TO_UINT (g_hash_table_lookup (proxy->counts, key));
}

static inline void
net_test_proxy_free (NetTestProxy *proxy)
{
  if (proxy == NULL)
    return;
  g_cancellable_cancel (proxy->cancellable);
  /* The cancelled relays come back on the main context and free themselves. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (proxy->server);
  g_clear_pointer (&proxy->held, g_ptr_array_unref);
  g_clear_object (&proxy->server);
  g_clear_object (&proxy->session);
  g_clear_object (&proxy->cancellable);
  g_clear_pointer (&proxy->counts, g_hash_table_unref);
  g_free (proxy->upstream);
  g_free (proxy->uri);
  g_free (proxy->hold_method);
  g_free (proxy->hold_path);
  g_free (proxy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NetTestProxy, net_test_proxy_free)

G_END_DECLS
