/* sync-crash-helper.c — a counter that submits cases with a scanned page through OwSync, until
 * it is killed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-sync-crash runs this against the real platform and kills it with SIGKILL at random
 * moments, as a crash or a power cut would. It prints "ready" once the engine runs, then
 * "saved CASE_NO" for each case only after ow_sync_submit_case_finish() said it is saved: what
 * the clerk would have been told. Each case is followed by a ticket about it. Modes:
 *   submit  submit cases one after another while the engine sends
 *   send    only send what the outbox holds
 *   drain   send everything, print "drained" and exit 0 (1 if the outbox keeps a dead entry)
 * With --no-pages the cases carry no scanned page (a platform without the files route).
 */
#include "config.h"

#include <stdio.h>

#include "net/ow-sync.h"
#include "net-test-util.h"

#define PAGE_SIZE (16 * 1024)

static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  /* One line, one write: the parent must never see half a report. */
  fflush (stdout);
}

static void
set_true_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* A scanned page: a PNG signature before random bytes, which the store types as image/png. */
static char *
add_page (OwStore *store)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree guint8 *data = g_malloc (PAGE_SIZE);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *sha256;

  memcpy (data, signature, sizeof signature);
  for (gsize i = sizeof signature; i + 4 <= PAGE_SIZE; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (data + i, &r, 4);
    }
  bytes = g_bytes_new_take (g_steal_pointer (&data), PAGE_SIZE);
  sha256 = ow_store_add_file (store, bytes, &error);
  g_assert_no_error (error);
  return sha256;
}

static void
submit_forever (OwStore    *store,
                OwSync     *sync,
                OwItem     *item,
                gboolean    pages)
{
  g_autoptr(OwMaterial) material = g_list_model_get_item (ow_item_get_materials (item), 0);

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(OwCase) kase = NULL;
      GDate today;
      guint sequence;

      ow_test_today (&today);
      sequence = ow_store_next_sequence (store, NET_TEST_HALL, NET_TEST_COUNTER, &today, &error);
      g_assert_no_error (error);
      kase = net_test_make_case (item, sequence, "张三");
      if (pages && material != NULL)
        {
          OwCaseMaterial *scanned = ow_case_material_new (ow_material_get_id (material),
                                                          ow_material_get_name (material));

          scanned->status = OW_MATERIAL_STATUS_SCANNED;
          scanned->originals = 1;
          g_ptr_array_add (scanned->files, add_page (store));
          ow_case_add_material (kase, scanned);
        }

      ow_sync_submit_case_async (sync, kase, "clerk", NULL, net_test_got_result_cb, &result);
      if (!ow_sync_submit_case_finish (sync, net_test_wait (&result), &error))
        g_error ("submit: %s", error->message);
      say ("saved %s\n", ow_case_get_case_no (kase));

      /* And what the applicant could not get done besides, about that case: a ticket goes
       * through the same outbox, after its case. */
      {
        g_autoptr(GAsyncResult) ticket_result = NULL;
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autofree char *id = g_uuid_string_random ();
        g_autoptr(OwTicket) ticket = ow_ticket_new (id, now, OW_TICKET_TIER_5_DAYS,
                                                    "窗口无法当场出证");

        ticket->case_no = g_strdup (ow_case_get_case_no (kase));
        ow_sync_submit_ticket_async (sync, ticket, "clerk", NULL, net_test_got_result_cb,
                                     &ticket_result);
        if (!ow_sync_submit_ticket_finish (sync, net_test_wait (&ticket_result), &error))
          g_error ("submit ticket: %s", error->message);
      }

      /* A clerk takes a moment between applicants: the engine sends meanwhile, so kills land
       * in sending as often as in saving (and a day's 9999 numbers last the test). */
      {
        gboolean done = FALSE;

        g_timeout_add_once (5, set_true_cb, &done);
        while (!done)
          g_main_context_iteration (NULL, TRUE);
      }
    }
}

static int
drain (OwStore *store,
       OwSync  *sync)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) flush_error = NULL;

      ow_sync_flush_async (sync, NULL, net_test_got_result_cb, &result);
      if (ow_sync_flush_finish (sync, net_test_wait (&result), &flush_error)
          && ow_store_outbox_count (store, NULL) == 0)
        {
          say ("drained\n");
          return 0;
        }
      if (flush_error != NULL)
        g_printerr ("flush: %s\n", flush_error->message);
      if (ow_sync_get_state (sync) == OW_SYNC_BLOCKED)
        break;
      g_usleep (200 * 1000);
    }

  outbox = ow_store_list_outbox (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < outbox->len; i++)
    {
      OwOutboxEntry *entry = g_ptr_array_index (outbox, i);

      g_printerr ("left: %s %s dead=%d %s\n", entry->method, entry->path, entry->dead,
                  entry->last_error);
    }
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  g_autoptr(OwClient) client = NULL;
  g_autoptr(OwSync) sync = NULL;
  g_autoptr(OwItem) item = NULL;
  const char *mode;
  gboolean pages;

  if (argc < 5)
    {
      g_printerr ("usage: %s BASE_URI TOKEN DATABASE submit|send|drain [--no-pages]\n", argv[0]);
      return 2;
    }
  mode = argv[4];
  pages = !(argc > 5 && g_str_equal (argv[5], "--no-pages"));

  store = ow_store_open (argv[3], &error);
  g_assert_no_error (error);
  client = ow_client_new (argv[1], NULL, &error);
  g_assert_no_error (error);
  /* The parent logged in once: a slow password hash per round would eat the test's time. */
  ow_client_set_token (client, argv[2]);
  sync = ow_sync_new (store, client);

  if (g_str_equal (mode, "drain"))
    return drain (store, sync);

  item = net_test_first_item (client);
  ow_sync_start (sync);
  say ("ready\n");

  if (g_str_equal (mode, "submit"))
    submit_forever (store, sync, item, pages);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
}
