/* net-test-util.h — helpers shared by the net layer's test programs
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "core/ow-case.h"
#include "core/ow-case-number.h"
#include "core/ow-catalog.h"
#include "core/ow-item.h"
#include "net/ow-client.h"
#include "ow-test-platform.h"

G_BEGIN_DECLS

#define NET_TEST_HALL    "46010001"
#define NET_TEST_COUNTER 7
#define NET_TEST_ID      "11010519491231002X"
#define NET_TEST_MOBILE  "13800138000"

static inline void
net_test_got_result_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

/* Runs the default main context until the callback above filled @slot. */
static inline GAsyncResult *
net_test_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static inline void
net_test_login (OwClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ow_client_login_async (client, "clerk", "demo", NULL, net_test_got_result_cb, &result);
  g_assert_true (ow_client_login_finish (client, net_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_nonnull (ow_client_get_token (client));
}

/* The first item of the platform's catalog, as a real clerk would pick it. */
static inline OwItem *
net_test_first_item (OwClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCatalog) catalog = NULL;
  g_autofree char *etag = NULL;
  GListModel *items;

  ow_client_get_catalog_async (client, NULL, NULL, net_test_got_result_cb, &result);
  catalog = ow_client_get_catalog_finish (client, net_test_wait (&result), &etag, &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  items = ow_catalog_get_items (catalog);
  g_assert_cmpuint (g_list_model_get_n_items (items), >, 0);
  return g_list_model_get_item (items, 0);
}

/* A case the platform accepts: made today at counter 7 of the demo hall with @sequence. */
static inline OwCase *
net_test_make_case (OwItem     *item,
                    guint       sequence,
                    const char *applicant_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *case_no = NULL;
  g_autofree char *query_code = ow_query_code_new ();
  GDate today;
  OwCase *kase;

  ow_test_today (&today);
  case_no = ow_case_number_make (NET_TEST_HALL, NET_TEST_COUNTER, &today, sequence, &error);
  g_assert_no_error (error);

  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, query_code);
  applicant->name = g_strdup (applicant_name);
  applicant->id_number = g_strdup (NET_TEST_ID);
  applicant->phone = g_strdup (NET_TEST_MOBILE);
  applicant->address = g_strdup ("海口市龙华区滨海大道1号");
  ow_case_set_applicant (kase, applicant);
  ow_case_set_origin (kase, NET_TEST_HALL, NET_TEST_COUNTER, "clerk");
  ow_case_set_received_at (kase, now);
  ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (item), ow_item_get_basic_code (item),
                                            ow_item_get_name (item),
                                            ow_item_get_department (item)));
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  return kase;
}

/* Whether the platform has the files route: PUT of a probe page, hash and all, through @client
 * (logged in), which sends the content type as the outbox does. */
static inline gboolean
net_test_platform_takes_files (OwClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("%PDF-1.4\n%probe\n", 16);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  g_autofree char *path = g_strconcat ("/api/v1/files/", sha256, NULL);
  g_autoptr(GBytes) answer = NULL;

  ow_client_send_async (client, "PUT", path, "application/pdf", body, NULL,
                        net_test_got_result_cb, &result);
  answer = ow_client_send_finish (client, net_test_wait (&result), NULL, &error);
  if (answer == NULL)
    g_test_message ("files probe: %s", error->message);
  return answer != NULL;
}

static inline void
net_test_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR)
              && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            net_test_remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

G_END_DECLS
