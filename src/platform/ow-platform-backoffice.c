/* ow-platform-backoffice.c — the demo back office: the platform plays the departments
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With --demo the pick-up window should have work without a department on the other end: a case
 * accepted at the counter is approved once it has not moved for the delay, and made ready for
 * pick-up after the delay again. Each step is an ordinary case event with its own id, recorded
 * through the same state machine and changes feed as a department's would be, so a clerk's
 * withdrawal in between simply wins. Only cases that change after it started are its business:
 * a seeded history (--demo-history), with its late cases, stays as it was. With several
 * processes on one database, one at a time plays the departments (ow_platform_db_try_job()):
 * the others find nothing left to move.
 */

#include "config.h"

#include "core/ow-case.h"
#include "platform/ow-platform-private.h"

#define BACKOFFICE_USER "department"

static const struct
{
  const char *state;
  const char *event;
} steps[] = {
  { "accepted", "approved" },
  { "approved", "result-ready" },
};

/* In a worker: the job is claimed, done and freed on the worker's handle. */
static void
backoffice_job (OwPlatformDb *db,
                gpointer      user_data)
{
  OwPlatformServer *self = user_data;
  g_autoptr(GError) claim_error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC - self->backoffice_delay;
  gboolean changed = FALSE;
  gboolean claimed;

  if (!ow_platform_db_try_job (db, OW_PLATFORM_JOB_BACKOFFICE, &claimed, &claim_error))
    {
      g_warning ("Demo back office: %s", claim_error->message);
      return;
    }
  if (!claimed)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) numbers = ow_platform_db_list_stale_cases (db, steps[i].state, before,
                                                               self->backoffice_since,
                                                               &error);

      if (numbers == NULL)
        {
          g_warning ("Demo back office: %s", error->message);
          continue;
        }
      for (guint j = 0; numbers[j] != NULL; j++)
        {
          g_autofree char *reason = NULL;
          OwPlatformPutResult result;

          if (!ow_platform_record_case_event (db, numbers[j], steps[i].event,
                                              "演示：由平台模拟部门办理", NULL, BACKOFFICE_USER,
                                              &result, &reason, &error))
            {
              g_warning ("Demo back office, case %s: %s", numbers[j], error->message);
              g_clear_error (&error);
              continue;
            }
          if (result == OW_PLATFORM_PUT_CREATED)
            {
              g_debug ("Demo back office: case %s %s", numbers[j], steps[i].event);
              changed = TRUE;
            }
        }
    }

  ow_platform_db_end_job (db, OW_PLATFORM_JOB_BACKOFFICE);
  if (changed)
    ow_platform_server_changed (self);
}

static void
backoffice_done (gpointer data,
                 gboolean ran)
{
  OwPlatformServer *self = data;

  self->backoffice_running = FALSE;
  g_object_unref (self);
}

static gboolean
backoffice_tick_cb (gpointer user_data)
{
  OwPlatformServer *self = user_data;

  if (self->backoffice_running)
    return G_SOURCE_CONTINUE;
  self->backoffice_running = TRUE;
  if (!ow_platform_server_run_job (self, backoffice_job, backoffice_done, g_object_ref (self)))
    {
      backoffice_job (ow_platform_server_db (self), self);
      backoffice_done (self, TRUE);
    }
  return G_SOURCE_CONTINUE;
}

void
ow_platform_server_start_backoffice (OwPlatformServer *self,
                                     guint             delay)
{
  g_return_if_fail (OW_IS_PLATFORM_SERVER (self));

  self->backoffice_delay = delay;
  /* What was there before it started (a seeded history) stays as it is. */
  self->backoffice_since = ow_platform_db_last_change (ow_platform_server_db (self), NULL);
  if (self->backoffice_since < 0)
    self->backoffice_since = 0;
  g_clear_handle_id (&self->backoffice_id, g_source_remove);
  /* Updates are stamped to the second: looking once a second keeps each step within a second
   * of its delay. */
  self->backoffice_id = g_timeout_add_seconds (1, backoffice_tick_cb, self);
}
