/* test-client.c — the REST client against the real onewindow-platform process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-calendar.h"
#include "core/ow-item.h"
#include "net/ow-client.h"
#include "net/ow-json.h"
#include "net-test-util.h"

static OwTestPlatform *platform;

static OwClient *
new_client (void)
{
  g_autoptr(GError) error = NULL;
  OwClient *client = ow_client_new (ow_test_platform_get_base_uri (platform), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static GBytes *
case_body (OwCase *kase)
{
  g_autoptr(JsonNode) node = ow_json_from_case (kase);
  char *text = json_to_string (node, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

/* Sends one request through the client and waits for it. */
static GBytes *
send_sync (OwClient    *client,
           const char  *method,
           const char  *path,
           GBytes      *body,
           guint       *status,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_client_send_async (client, method, path, "application/json", body, NULL,
                        net_test_got_result_cb, &result);
  return ow_client_send_finish (client, net_test_wait (&result), status, error);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_login (void)
{
  g_autoptr(OwClient) client = new_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const OwUser *user;
  guint notified = 0;

  /* A wrong password: 401, the platform's message, no token. */
  ow_client_login_async (client, "clerk", "wrong", NULL, net_test_got_result_cb, &result);
  g_assert_false (ow_client_login_finish (client, net_test_wait (&result), &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (ow_platform_error_get_status (error), ==, 401);
  g_assert_false (ow_platform_error_is_transient (error));
  g_assert_null (ow_client_get_token (client));
  g_assert_null (ow_client_get_user (client));
  g_clear_error (&error);
  g_clear_object (&result);

  g_signal_connect (client, "notify::token", G_CALLBACK (count_notify_cb), &notified);
  ow_client_login_async (client, "clerk", "demo", NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_client_login_finish (client, net_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_nonnull (ow_client_get_token (client));

  user = ow_client_get_user (client);
  g_assert_nonnull (user);
  g_assert_cmpstr (user->username, ==, "clerk");
  g_assert_nonnull (user->display_name);
  g_assert_true (ow_user_has_role (user, "clerk"));
  g_assert_false (ow_user_has_role (user, "admin"));
  g_assert_cmpstr (user->hall, ==, NET_TEST_HALL);
  g_assert_cmpuint (user->counter, ==, NET_TEST_COUNTER);
  /* A clerk works for the hall, not a department. */
  g_assert_null (user->department);

  {
    g_autoptr(OwUser) copy = ow_user_copy (user);

    g_assert_cmpstr (copy->username, ==, user->username);
    g_assert_true (ow_user_has_role (copy, "clerk"));
  }

  /* A department's user is named with their department. */
  g_clear_object (&result);
  ow_client_login_async (client, "department", "demo", NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_client_login_finish (client, net_test_wait (&result), &error));
  g_assert_no_error (error);
  user = ow_client_get_user (client);
  g_assert_cmpstr (user->department, ==, "海口市市场监督管理局");
  {
    g_autofree char *named = ow_user_describe (user);

    g_assert_cmpstr (named, ==, "赵强 · 海口市市场监督管理局");
  }
  g_assert_cmpuint (notified, ==, 2);

  /* Logging out locally forgets the user. */
  ow_client_set_token (client, NULL);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_null (ow_client_get_user (client));
}

static void
test_catalog (void)
{
  g_autoptr(OwClient) client = new_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCatalog) catalog = NULL;
  g_autoptr(OwCatalog) unchanged = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *etag_again = NULL;

  /* Without a token: 401, not a crash nor "malformed". */
  ow_client_get_catalog_async (client, NULL, NULL, net_test_got_result_cb, &result);
  catalog = ow_client_get_catalog_finish (client, net_test_wait (&result), &etag, &error);
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED);
  g_assert_null (catalog);
  g_assert_null (etag);
  g_clear_error (&error);
  g_clear_object (&result);

  net_test_login (client);
  ow_client_get_catalog_async (client, NULL, NULL, net_test_got_result_cb, &result);
  catalog = ow_client_get_catalog_finish (client, net_test_wait (&result), &etag, &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  g_assert_nonnull (etag);
  g_assert_cmpint (ow_catalog_get_revision (catalog), >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (ow_catalog_get_items (catalog)), >, 0);
  g_clear_object (&result);

  /* The same ETag: 304, NULL without an error, the tag still known. */
  ow_client_get_catalog_async (client, etag, NULL, net_test_got_result_cb, &result);
  unchanged = ow_client_get_catalog_finish (client, net_test_wait (&result), &etag_again, &error);
  g_assert_no_error (error);
  g_assert_null (unchanged);
  g_assert_cmpstr (etag_again, ==, etag);
}

static void
test_calendar (void)
{
  g_autoptr(OwClient) client = new_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCalendar) calendar = ow_calendar_new ();
  g_autofree char *national = NULL;
  g_autofree char *local = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *same_etag = NULL;
  g_autofree char *other_etag = NULL;
  char *unchanged_national = (char *) "untouched";
  char *unchanged_local = (char *) "untouched";
  char *next_national = NULL;
  gboolean published = FALSE;
  gboolean still_published = TRUE;

  net_test_login (client);
  ow_client_get_calendar_async (client, 2026, NULL, NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_client_get_calendar_finish (client, net_test_wait (&result), &national,
                                                &local, &published, &etag, &error));
  g_assert_no_error (error);
  g_assert_nonnull (etag);
  g_assert_true (etag[0] == '"');
  g_assert_nonnull (national);
  g_assert_nonnull (local);
  /* data/cn-holidays.tsv publishes 2026, with 国庆节 among its days. */
  g_assert_true (published);
  g_assert_nonnull (strstr (national, "2026-10-01\toff\t"));

  /* What the client hands on is what the calendar takes. */
  g_assert_true (ow_calendar_load_national (calendar, national, -1, &error));
  g_assert_no_error (error);
  g_assert_true (ow_calendar_load_local (calendar, local, -1, &error));
  g_assert_no_error (error);
  g_assert_false (ow_calendar_is_provisional (calendar, 2026));

  /* Asked again with its tag: 304, nothing to read or keep again. */
  g_clear_object (&result);
  ow_client_get_calendar_async (client, 2026, etag, NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_client_get_calendar_finish (client, net_test_wait (&result),
                                                &unchanged_national, &unchanged_local,
                                                &still_published, &same_etag, &error));
  g_assert_no_error (error);
  g_assert_null (unchanged_national);
  g_assert_null (unchanged_local);
  g_assert_true (still_published);
  g_assert_cmpstr (same_etag, ==, etag);

  /* Another year is another answer, with another tag: the old tag does not stop it. */
  g_clear_object (&result);
  ow_client_get_calendar_async (client, 2027, etag, NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_client_get_calendar_finish (client, net_test_wait (&result), &next_national,
                                                NULL, NULL, &other_etag, &error));
  g_assert_no_error (error);
  g_assert_nonnull (next_national);
  g_assert_cmpstr (other_etag, !=, etag);
  g_free (next_national);
}

static void
test_cases (void)
{
  g_autoptr(OwClient) client = new_client ();
  g_autoptr(OwItem) item = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCase) invalid = NULL;
  g_autoptr(OwCase) fetched = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = NULL;
  guint status = 0;

  net_test_login (client);
  item = net_test_first_item (client);

  kase = net_test_make_case (item, 101, "张三");
  body = case_body (kase);
  path = g_strconcat ("/api/v1/cases/", ow_case_get_case_no (kase), NULL);

  answer = send_sync (client, "PUT", path, body, &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpuint (status, ==, 201);
  g_clear_pointer (&answer, g_bytes_unref);

  /* Idempotent: the same body again is 200, not a second case. */
  answer = send_sync (client, "PUT", path, body, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, g_bytes_unref);

  ow_client_get_case_async (client, ow_case_get_case_no (kase), NULL, net_test_got_result_cb,
                            &result);
  fetched = ow_client_get_case_finish (client, net_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (fetched);
  g_assert_cmpstr (ow_case_get_case_no (fetched), ==, ow_case_get_case_no (kase));
  g_assert_cmpstr (ow_case_get_applicant (fetched)->id_number, ==, NET_TEST_ID);
  g_clear_object (&result);

  /* Another body under the same number: 409 with the platform's message. */
  {
    g_autoptr(OwCase) other = net_test_make_case (item, 101, "李四");
    g_autoptr(GBytes) other_body = case_body (other);

    answer = send_sync (client, "PUT", path, other_body, &status, &error);
    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_CONFLICT);
    g_assert_null (answer);
    g_assert_cmpuint (status, ==, 0);
    g_assert_cmpuint (ow_platform_error_get_status (error), ==, 409);
    g_assert_false (ow_platform_error_is_transient (error));
    g_clear_error (&error);
  }

  /* A resident ID with a wrong check digit: 422 naming the field, kept on the error. */
  invalid = net_test_make_case (item, 102, "王五");
  {
    g_autoptr(OwApplicant) wrong = ow_applicant_copy (ow_case_get_applicant (invalid));

    g_free (wrong->id_number);
    wrong->id_number = g_strdup ("110105194912310021");
    ow_case_set_applicant (invalid, wrong);
  }
  {
    g_autoptr(GBytes) invalid_body = case_body (invalid);
    g_autofree char *invalid_path = g_strconcat ("/api/v1/cases/",
                                                 ow_case_get_case_no (invalid), NULL);

    answer = send_sync (client, "PUT", invalid_path, invalid_body, &status, &error);
    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INVALID);
    g_assert_cmpstr (ow_platform_error_get_field (error), ==, "applicant.id_number");
    g_assert_nonnull (strstr (error->message, "applicant.id_number"));
    {
      /* The field survives a copy, as the sync engine keeps errors. */
      g_autoptr(GError) copy = g_error_copy (error);

      g_assert_cmpstr (ow_platform_error_get_field (copy), ==, "applicant.id_number");
    }
    g_clear_error (&error);
  }

  /* Not JSON at all: 400. */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("not json", 8);

    answer = send_sync (client, "PUT", path, junk, &status, &error);
    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_BAD_REQUEST);
    g_clear_error (&error);
  }

  /* Unknown: 404. */
  ow_client_get_case_async (client, "46010001072026010199990", NULL, net_test_got_result_cb,
                            &result);
  g_clear_object (&fetched);
  fetched = ow_client_get_case_finish (client, net_test_wait (&result), &error);
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND);
  g_assert_null (fetched);
}

/* GET /api/v1/cases page by page, and a case's events, through the client's own calls. */
static void
test_list_cases (void)
{
  g_autoptr(OwClient) client = new_client ();
  g_autoptr(OwItem) item = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  guint pages = 0;

  net_test_login (client);
  item = net_test_first_item (client);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(OwCase) kase = net_test_make_case (item, 201 + i, "张三");
      g_autoptr(GBytes) body = case_body (kase);
      g_autofree char *path = g_strconcat ("/api/v1/cases/", ow_case_get_case_no (kase), NULL);
      g_autoptr(GBytes) answer = NULL;
      guint status = 0;

      answer = send_sync (client, "PUT", path, body, &status, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, 201);
      g_ptr_array_add (numbers, g_strdup (ow_case_get_case_no (kase)));
    }

  /* Two at a time, following the cursor, with a filter that every one of them passes and a
   * NULL-valued pair that must be left out of the query. */
  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(OwCasePage) page = NULL;
      const char *params[] = { "limit", "2", "state", "received", "department", NULL,
                               "after", cursor, NULL };

      ow_client_list_cases_async (client, params, NULL, net_test_got_result_cb, &result);
      page = ow_client_list_cases_finish (client, net_test_wait (&result), &error);
      g_assert_no_error (error);
      g_assert_nonnull (page);
      g_assert_cmpuint (page->cases->len, <=, 2);
      for (guint i = 0; i < page->cases->len; i++)
        {
          OwCase *kase = g_ptr_array_index (page->cases, i);

          g_assert_cmpint (ow_case_get_state (kase), ==, OW_CASE_STATE_RECEIVED);
          g_assert_true (g_hash_table_add (seen, g_strdup (ow_case_get_case_no (kase))));
        }
      g_free (cursor);
      cursor = g_strdup (page->next);
      pages++;
      g_assert_cmpuint (pages, <=, 10);
    }
  while (cursor != NULL);
  g_assert_cmpuint (pages, >=, 3);
  for (guint i = 0; i < numbers->len; i++)
    g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (numbers, i)));

  /* A filter the platform refuses comes back as its error. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(OwCasePage) page = NULL;
    const char *params[] = { "state", "no-such-state", NULL };

    ow_client_list_cases_async (client, params, NULL, net_test_got_result_cb, &result);
    page = ow_client_list_cases_finish (client, net_test_wait (&result), &error);
    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INVALID);
    g_assert_cmpstr (ow_platform_error_get_field (error), ==, "state");
    g_assert_null (page);
    g_clear_error (&error);
  }

  /* The events of the first case: an acceptance recorded over HTTP reads back as one. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) events = NULL;
    g_autoptr(GBytes) answer = NULL;
    g_autofree char *path = g_strconcat ("/api/v1/cases/", g_ptr_array_index (numbers, 0),
                                         "/events", NULL);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
    g_autofree char *json = g_strdup_printf ("{\"id\": \"ev-list-1\", \"kind\": \"accepted\", "
                                             "\"at\": \"%s\", \"note\": \"ok\"}", at);
    g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
    guint status = 0;

    answer = send_sync (client, "POST", path, body, &status, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (status, ==, 201);

    ow_client_get_case_events_async (client, g_ptr_array_index (numbers, 0), NULL,
                                     net_test_got_result_cb, &result);
    events = ow_client_get_case_events_finish (client, net_test_wait (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 1);
    g_assert_cmpstr (((OwJsonCaseEvent *) g_ptr_array_index (events, 0))->id, ==, "ev-list-1");
    g_assert_cmpint (((OwJsonCaseEvent *) g_ptr_array_index (events, 0))->kind, ==,
                     OW_CASE_EVENT_ACCEPTED);
    g_clear_object (&result);

    ow_client_get_case_events_async (client, "46010001072026010199990", NULL,
                                     net_test_got_result_cb, &result);
    g_clear_pointer (&events, g_ptr_array_unref);
    events = ow_client_get_case_events_finish (client, net_test_wait (&result), &error);
    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND);
    g_assert_null (events);
  }
}

static void
test_insecure (void)
{
  const char *refused[] = {
    "http://example.com/",
    "http://10.0.0.1:8470/",
    "http://192.168.1.10/",
    "http://[fe80::1]:8470/",
    "http://127.0.0.1.example.com/",
  };
  const char *allowed[] = {
    "http://127.0.0.1:8470/",
    "http://127.1.2.3/",
    "http://localhost:8470",
    "http://[::1]:8470/",
    "https://platform.example.com/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OwClient) client = ow_client_new (refused[i], NULL, &error);

      g_test_message ("refused? %s", refused[i]);
      g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INSECURE);
      g_assert_null (client);
    }
  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OwClient) client = ow_client_new (allowed[i], NULL, &error);

      g_test_message ("allowed? %s", allowed[i]);
      g_assert_no_error (error);
      g_assert_nonnull (client);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OwClient) client = ow_client_new ("ftp://127.0.0.1/", NULL, &error);

    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_MALFORMED);
    g_assert_null (client);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OwClient) client = ow_client_new ("https://platform.example.com/",
                                                "/nonexistent/ca.pem", &error);

    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INSECURE);
    g_assert_null (client);
  }
}

static void
tls_request_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  static const char body[] =
    "{\"error\": {\"code\": \"unauthorized\", \"message\": \"The TLS test server says no\"}}";

  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

/* HTTPS to a server whose certificate comes from the hall's own CA: refused as insecure without
 * the CA file, accepted with it. The server is a SoupServer in this process, because the
 * platform speaks plain HTTP on loopback only. */
static void
test_tls (void)
{
  const char *tests_dir = g_getenv ("OW_TESTS_DIR");
  g_autofree char *ca_file = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *base_uri = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  int port;

  g_assert_nonnull (tests_dir);
  ca_file = g_build_filename (tests_dir, "net", "tls", "ca.pem", NULL);
  cert_file = g_build_filename (tests_dir, "net", "tls", "server.pem", NULL);
  key_file = g_build_filename (tests_dir, "net", "tls", "server-key.pem", NULL);

  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, tls_request_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  base_uri = g_strdup_printf ("https://127.0.0.1:%d/", port);

  {
    g_autoptr(OwClient) client = ow_client_new (base_uri, NULL, &error);
    g_autoptr(GAsyncResult) result = NULL;

    g_assert_no_error (error);
    ow_client_login_async (client, "clerk", "demo", NULL, net_test_got_result_cb, &result);
    g_assert_false (ow_client_login_finish (client, net_test_wait (&result), &error));
    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_INSECURE);
    g_assert_false (ow_platform_error_is_transient (error));
    g_clear_error (&error);
  }
  {
    g_autoptr(OwClient) client = ow_client_new (base_uri, ca_file, &error);
    g_autoptr(GAsyncResult) result = NULL;

    g_assert_no_error (error);
    ow_client_login_async (client, "clerk", "demo", NULL, net_test_got_result_cb, &result);
    g_assert_false (ow_client_login_finish (client, net_test_wait (&result), &error));
    /* The handshake passed: the answer is the server's own. */
    g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED);
    g_assert_nonnull (strstr (error->message, "The TLS test server says no"));
  }
}

static void
test_cancel (void)
{
  g_autoptr(OwClient) client = new_client ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCatalog) catalog = NULL;

  net_test_login (client);

  /* Cancelled while the request is on its way. */
  ow_client_get_catalog_async (client, NULL, cancellable, net_test_got_result_cb, &result);
  g_cancellable_cancel (cancellable);
  catalog = ow_client_get_catalog_finish (client, net_test_wait (&result), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ow_platform_error_is_transient (error));
  g_assert_null (catalog);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Cancelled before it started. */
  ow_client_send_async (client, "GET", "/api/v1/catalog", NULL, NULL, cancellable,
                        net_test_got_result_cb, &result);
  g_assert_null (ow_client_send_finish (client, net_test_wait (&result), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The changes feed: a cursor, the changes after it, and a long poll that waits, then answers
 * empty with the same cursor; a wait that is cancelled ends at once as a cancellation. */
static void
get_changes (OwClient     *client,
             const char   *since,
             guint         timeout,
             GCancellable *cancellable,
             GPtrArray   **changes,
             char        **cursor,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ow_client_get_changes_async (client, since, timeout, cancellable, net_test_got_result_cb,
                               &result);
  *changes = ow_client_get_changes_finish (client, net_test_wait (&result), cursor, error);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_changes (void)
{
  g_autoptr(OwClient) client = new_client ();
  g_autoptr(OwItem) item = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *next = NULL;
  g_autofree char *path = NULL;
  gboolean found = FALSE;
  gint64 start;

  net_test_login (client);
  get_changes (client, NULL, 0, NULL, &changes, &cursor, &error);
  if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND))
    {
      g_test_skip ("the platform has no changes feed yet");
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (changes);
  g_assert_nonnull (cursor);
  g_clear_pointer (&changes, g_ptr_array_unref);

  /* A new case is a change after the cursor. */
  item = net_test_first_item (client);
  kase = net_test_make_case (item, 9001, "张三");
  body = case_body (kase);
  path = g_strconcat ("/api/v1/cases/", ow_case_get_case_no (kase), NULL);
  answer = send_sync (client, "PUT", path, body, NULL, &error);
  g_assert_no_error (error);
  get_changes (client, cursor, 5, NULL, &changes, &next, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < changes->len; i++)
    {
      OwChange *change = g_ptr_array_index (changes, i);

      g_assert_nonnull (change->kind);
      if (g_strcmp0 (change->kind, "case") == 0
          && g_strcmp0 (change->key, ow_case_get_case_no (kase)) == 0)
        found = TRUE;
    }
  g_assert_true (found);
  g_assert_cmpstr (next, !=, cursor);
  g_clear_pointer (&changes, g_ptr_array_unref);

  /* Nothing newer: the platform waits about the timeout, then answers empty, same cursor. */
  g_clear_pointer (&cursor, g_free);
  start = g_get_monotonic_time ();
  get_changes (client, next, 1, NULL, &changes, &cursor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpstr (cursor, ==, next);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC / 2);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_clear_pointer (&changes, g_ptr_array_unref);
  g_clear_pointer (&cursor, g_free);

  /* Cancelled in the middle of a long wait: a cancellation, at once. */
  start = g_get_monotonic_time ();
  g_timeout_add (200, cancel_cb, cancellable);
  get_changes (client, next, 20, cancellable, &changes, &cursor, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (changes);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(OwClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *uri = NULL;
  guint16 port;

  /* A port that was free a moment ago and has nobody listening now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  uri = g_strdup_printf ("http://127.0.0.1:%u/", port);
  client = ow_client_new (uri, NULL, &error);
  g_assert_no_error (error);

  ow_client_login_async (client, "clerk", "demo", NULL, net_test_got_result_cb, &result);
  g_assert_false (ow_client_login_finish (client, net_test_wait (&result), &error));
  g_assert_error (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNREACHABLE);
  g_assert_true (ow_platform_error_is_transient (error));
  g_assert_cmpuint (ow_platform_error_get_status (error), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  platform = ow_test_platform_start (&error);
  g_assert_no_error (error);

  g_test_add_func ("/net/client/login", test_login);
  g_test_add_func ("/net/client/catalog", test_catalog);
  g_test_add_func ("/net/client/calendar", test_calendar);
  g_test_add_func ("/net/client/cases", test_cases);
  g_test_add_func ("/net/client/list-cases", test_list_cases);
  g_test_add_func ("/net/client/insecure", test_insecure);
  g_test_add_func ("/net/client/tls", test_tls);
  g_test_add_func ("/net/client/cancel", test_cancel);
  g_test_add_func ("/net/client/unreachable", test_unreachable);
  g_test_add_func ("/net/client/changes", test_changes);

  status = g_test_run ();
  ow_test_platform_free (platform);
  return status;
}
