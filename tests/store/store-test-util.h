/* store-test-util.h — small helpers shared by the store's test programs
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "core/ow-case.h"
#include "core/ow-case-number.h"

G_BEGIN_DECLS

/* Deletes @path and everything below it; symbolic links are removed, not followed. */
static inline void
store_test_remove_tree (const char *path)
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
            store_test_remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

/* A plausible case: a person applying for one item with one scanned material. */
static inline OwCase *
store_test_make_case (const char *hall,
                      guint       counter,
                      const GDate *date,
                      guint       sequence,
                      const char *id_number)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *case_no = ow_case_number_make (hall, counter, date, sequence, &error);
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) received = g_date_time_new_utc (g_date_get_year (date),
                                                       g_date_get_month (date),
                                                       g_date_get_day (date), 6, 30, 0);
  OwCaseMaterial *material;
  OwCase *kase;

  g_assert_no_error (error);
  g_assert_nonnull (case_no);

  kase = ow_case_new (case_no);
  applicant->name = g_strdup ("张三");
  applicant->id_number = g_strdup (id_number);
  applicant->phone = g_strdup ("13800138000");
  applicant->address = g_strdup ("海口市龙华区滨海大道1号");
  ow_case_set_applicant (kase, applicant);
  ow_case_set_origin (kase, hall, counter, "clerk");
  ow_case_set_received_at (kase, received);
  ow_case_add_item (kase, ow_case_item_new ("11460100MB1234567X000101", "000101001",
                                            "食品经营许可", "海口市市场监督管理局"));
  material = ow_case_material_new ("m1", "食品经营许可申请书");
  material->status = OW_MATERIAL_STATUS_SCANNED;
  material->originals = 1;
  g_ptr_array_add (material->files,
                   g_strdup ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  ow_case_add_material (kase, material);
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  return kase;
}

G_END_DECLS
