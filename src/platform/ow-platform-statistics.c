/* ow-platform-statistics.c — GET /api/v1/statistics: the figures a hall's supervisor watches
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case.h"
#include "net/ow-json.h"
#include "platform/ow-platform-private.h"

/* Late cases listed by number; the count covers them all. */
#define MAX_LISTED_LATE 100

static void
format_date (const GDate *date,
             char         text[16])
{
  g_snprintf (text, 16, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

static void
add_share (JsonBuilder *builder,
           const char  *name,
           gint64       part,
           gint64       whole)
{
  json_builder_set_member_name (builder, name);
  if (whole > 0)
    json_builder_add_double_value (builder, (double) part / (double) whole);
  else
    json_builder_add_null_value (builder);
}

static gboolean
add_cases (OwPlatformServer      *self,
           const OwPlatformUser  *user,
           const GDate           *today,
           JsonBuilder           *builder,
           GError               **error)
{
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) late = NULL;
  g_autoptr(OwCalendar) calendar = NULL;
  g_autoptr(GPtrArray) overdue = g_ptr_array_new ();
  g_autoptr(GArray) days_late = g_array_new (FALSE, FALSE, sizeof (guint));
  char today_text[16];
  gint64 total = 0;

  format_date (today, today_text);
  if ((counts = ow_platform_db_count_cases_by_state (ow_platform_server_db (self),
                                                     error)) == NULL ||
      (late = ow_platform_db_list_late_cases (ow_platform_server_db (self), today_text,
                                              error)) == NULL ||
      (calendar = ow_platform_load_calendar (ow_platform_server_db (self), user->hall,
                                             g_date_get_year (today),
                                             error)) == NULL)
    return FALSE;

  /* Late in working days on the hall's calendar: a promise due on Friday is not broken on
   * Sunday, nor over a holiday. */
  for (guint i = 0; i < late->len; i++)
    {
      OwPlatformOpenCase *open_case = g_ptr_array_index (late, i);
      GDate promised;
      guint late_by;

      g_date_clear (&promised, 1);
      g_date_set_parse (&promised, open_case->promised_date);
      if (!g_date_valid (&promised))
        continue;
      late_by = ow_calendar_count_working_days (calendar, &promised, today, NULL, 0);
      if (late_by == 0)
        continue;
      g_ptr_array_add (overdue, open_case);
      g_array_append_val (days_late, late_by);
    }

  json_builder_set_member_name (builder, "cases");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "by_state");
  json_builder_begin_object (builder);
  for (int state = OW_CASE_STATE_RECEIVED; state <= OW_CASE_STATE_WITHDRAWN; state++)
    {
      const char *name = ow_case_state_to_string ((OwCaseState) state);
      gint64 count = GPOINTER_TO_INT (g_hash_table_lookup (counts, name));

      json_builder_set_member_name (builder, name);
      json_builder_add_int_value (builder, count);
      total += count;
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_int_value (builder, overdue->len);
  json_builder_set_member_name (builder, "overdue_cases");
  json_builder_begin_array (builder);
  for (guint i = 0; i < overdue->len && i < MAX_LISTED_LATE; i++)
    {
      OwPlatformOpenCase *open_case = g_ptr_array_index (overdue, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "case_no");
      json_builder_add_string_value (builder, open_case->case_no);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, open_case->state);
      json_builder_set_member_name (builder, "promised_date");
      json_builder_add_string_value (builder, open_case->promised_date);
      json_builder_set_member_name (builder, "working_days_late");
      json_builder_add_int_value (builder, g_array_index (days_late, guint, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* The case object does not say how it came in (counter, online, post), so the platform cannot
   * tell which cases took no trip at all. */
  json_builder_set_member_name (builder, "zero_trip_share");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return TRUE;
}

static gboolean
add_catalog (OwPlatformServer  *self,
             JsonBuilder       *builder,
             GError           **error)
{
  gint64 revision, items = 0, zero_trip = 0;

  if (!ow_platform_db_get_catalog (ow_platform_server_db (self), &revision, NULL, NULL, error))
    return FALSE;
  /* 零跑动: the item can be done without coming to the hall at all (visits 0). */
  if (revision > 0
      && !ow_platform_db_count_catalog_items (ow_platform_server_db (self), revision, &items,
                                              &zero_trip, error))
    return FALSE;

  json_builder_set_member_name (builder, "catalog");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, revision);
  json_builder_set_member_name (builder, "items");
  json_builder_add_int_value (builder, items);
  json_builder_set_member_name (builder, "zero_trip_items");
  json_builder_add_int_value (builder, zero_trip);
  add_share (builder, "zero_trip_share", zero_trip, items);
  json_builder_end_object (builder);
  return TRUE;
}

static void
handle_statistics (OwPlatformServer  *self,
                   OwPlatformRequest *msg)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;
  g_autofree char *now = ow_platform_format_utc (ow_platform_now ());
  gint64 open, overdue, total, poor, unfollowed;
  char today_text[16];
  GDate today;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_role (msg, user, "supervisor"))
    return;

  ow_platform_get_today (&today);
  format_date (&today, today_text);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "generated_at");
  json_builder_add_string_value (builder, now);
  json_builder_set_member_name (builder, "today");
  json_builder_add_string_value (builder, today_text);
  json_builder_set_member_name (builder, "hall");
  json_builder_add_string_value (builder, user->hall);
  if (!add_cases (self, user, &today, builder, &error) ||
      !add_catalog (self, builder, &error) ||
      !ow_platform_db_count_tickets (ow_platform_server_db (self), today_text, &open, &overdue,
                                     &error) ||
      !ow_platform_db_count_ratings (ow_platform_server_db (self), &total, &poor, &unfollowed,
                                     &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  json_builder_set_member_name (builder, "tickets");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "open");
  json_builder_add_int_value (builder, open);
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_int_value (builder, overdue);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "ratings");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  json_builder_set_member_name (builder, "poor");
  json_builder_add_int_value (builder, poor);
  json_builder_set_member_name (builder, "needing_follow_up");
  json_builder_add_int_value (builder, unfollowed);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  response = json_builder_get_root (builder);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
}

void
ow_platform_route_statistics (OwPlatformServer  *self,
                              OwPlatformRequest *msg,
                              const char        *method,
                              const char        *rest,
                              GHashTable        *query)
{
  if (*rest != '\0')
    ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
  else if (!g_str_equal (method, SOUP_METHOD_GET))
    ow_platform_respond_method_not_allowed (msg, "GET");
  else
    handle_statistics (self, msg);
}
