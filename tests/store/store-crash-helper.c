/* store-crash-helper.c — saves cases with their outbox entries in a loop until it is killed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-store-crash runs this and kills it with SIGKILL at random moments, as a power cut or a
 * crash would, then checks what the database holds.
 */
#include "config.h"

#include <stdio.h>

#include "store/ow-store.h"
#include "store-test-util.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStore) store = NULL;
  GDate today;

  if (argc != 2)
    {
      g_printerr ("usage: %s DATABASE\n", argv[0]);
      return 2;
    }

  store = ow_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 25, G_DATE_NOVEMBER, 2026);

  /* Tell the parent the store is open, so its kill lands in the writing loop. */
  printf ("ready\n");
  fflush (stdout);

  for (;;)
    {
      guint n = ow_store_next_sequence (store, "46010001", 7, &today, &error);
      g_autoptr(OwCase) kase = NULL;
      OwOutboxEntry *entry;
      gboolean ok;

      if (n == 0)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      kase = store_test_make_case ("46010001", 7, &today, n, "11010519491231002X");
      entry = g_new0 (OwOutboxEntry, 1);
      entry->kind = g_strdup ("case");
      entry->key = g_strdup (ow_case_get_case_no (kase));
      entry->method = g_strdup ("PUT");
      entry->path = g_strconcat ("/api/v1/cases/", entry->key, NULL);
      entry->content_type = g_strdup ("application/json");
      entry->body = g_bytes_new (entry->key, strlen (entry->key));
      ok = ow_store_save_case (store, kase, entry, "clerk", &error);
      ow_outbox_entry_free (entry);
      if (!ok)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
}
