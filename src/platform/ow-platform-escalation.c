/* ow-platform-escalation.c — the platform's clock, and overdue tickets escalated to supervisors
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ticket still open after its due date (in working days on the hall's calendar, computed when
 * it was registered) is escalated once: it gets escalated_at and a "ticket" change addressed to
 * the role supervisor (and its assignee). The check runs when the platform starts, once a
 * minute, and before every answer about tickets, so that nobody reads an overdue ticket that is
 * not yet escalated. With several processes on one database the minutely look is one process's
 * at a time (ow_platform_db_try_job()), and the storage marks each ticket once whoever looks.
 *
 * The clock is the real one unless the platform was started with --now: then it runs on from
 * that instant. Only tests and demonstrations set it; nothing else can.
 */

#include "config.h"

#include "platform/ow-platform-private.h"

#define ESCALATION_INTERVAL_SECONDS 60

/* Seconds added to the real time; 0 unless --now was given. */
static gint64 clock_offset = 0;

void
ow_platform_set_now (gint64 unix_seconds)
{
  clock_offset = unix_seconds - g_get_real_time () / G_USEC_PER_SEC;
}

gint64
ow_platform_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC + clock_offset;
}

gboolean
ow_platform_escalate (OwPlatformServer  *self,
                      GError           **error)
{
  char today_text[16];
  guint escalated = 0;
  GDate today;

  ow_platform_get_today (&today);
  g_snprintf (today_text, sizeof today_text, "%04u-%02u-%02u", g_date_get_year (&today),
              g_date_get_month (&today), g_date_get_day (&today));
  if (!ow_platform_db_escalate_tickets (ow_platform_server_db (self), today_text,
                                        ow_platform_now (), &escalated,
                                        error))
    return FALSE;
  if (escalated > 0)
    {
      g_message ("Escalated %u overdue ticket(s) to the supervisors", escalated);
      ow_platform_server_changed (self);
    }
  return TRUE;
}

/* In a worker: the job is claimed, done and freed on the worker's handle. */
static void
escalation_job (OwPlatformDb *db,
                gpointer      data)
{
  OwPlatformServer *self = data;
  g_autoptr(GError) error = NULL;
  gboolean claimed;

  if (!ow_platform_db_try_job (db, OW_PLATFORM_JOB_ESCALATION, &claimed, &error))
    {
      g_warning ("Could not escalate overdue tickets: %s", error->message);
      return;
    }
  if (!claimed)
    return;
  if (!ow_platform_escalate (self, &error))
    g_warning ("Could not escalate overdue tickets: %s", error->message);
  ow_platform_db_end_job (db, OW_PLATFORM_JOB_ESCALATION);
}

static void
escalation_done (gpointer data,
                 gboolean ran)
{
  OwPlatformServer *self = data;

  self->escalation_running = FALSE;
  g_object_unref (self);
}

static gboolean
escalation_tick_cb (gpointer user_data)
{
  OwPlatformServer *self = user_data;

  /* The last look is still under way (a slow database): one at a time. */
  if (self->escalation_running)
    return G_SOURCE_CONTINUE;
  self->escalation_running = TRUE;
  if (!ow_platform_server_run_job (self, escalation_job, escalation_done, g_object_ref (self)))
    {
      escalation_job (ow_platform_server_db (self), self);
      escalation_done (self, TRUE);
    }
  return G_SOURCE_CONTINUE;
}

void
ow_platform_server_start_escalation (OwPlatformServer *self)
{
  g_return_if_fail (OW_IS_PLATFORM_SERVER (self));

  g_clear_handle_id (&self->escalation_id, g_source_remove);
  escalation_tick_cb (self);
  self->escalation_id = g_timeout_add_seconds (ESCALATION_INTERVAL_SECONDS, escalation_tick_cb,
                                               self);
}
