/* ow-platform-statistics.c — the figures a hall's supervisor watches: statistics, counts, ratings
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/statistics (the overview's summary), GET /api/v1/statistics/cases (the case list's
 * matches, grouped) and GET /api/v1/ratings (the ratings with their follow-up). Role supervisor,
 * and always the caller's own hall. The database groups and counts (ow-platform-db-overview.c);
 * this file turns the promised dates it groups by into working days on the hall's calendar
 * (core/ow-deadline.h), the one definition the list's filters and the client use too.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-case.h"
#include "core/ow-deadline.h"
#include "net/ow-json.h"
#include "platform/ow-platform-case-query.h"
#include "platform/ow-platform-private.h"

/* Late cases listed by number; the count covers them all. */
#define MAX_LISTED_LATE 100
/* The intake chart of an open period shows the last 30 days. */
#define OPEN_PERIOD_DAYS 30
#define DEFAULT_DUE_WITHIN 2
#define MAX_DUE_WITHIN 250
#define DEFAULT_LIMIT 50
#define MAX_LIMIT 200

static void
format_date (const GDate *date,
             char         text[16])
{
  g_snprintf (text, 16, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

static gboolean
parse_day (const char *text,
           GDate      *date)
{
  guint y, m, d;

  g_date_clear (date, 1);
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-' ||
      sscanf (text, "%4u-%2u-%2u", &y, &m, &d) != 3 || y < 1 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

/* The period `from`–`to` (each optional); answers 422 itself when it does not read. */
static gboolean
read_period (OwPlatformRequest *msg,
             GHashTable        *query,
             GDate             *from,
             GDate             *to)
{
  static const char * const names[] = { "from", "to" };
  GDate *dates[] = { from, to };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *text = query != NULL ? g_hash_table_lookup (query, names[i]) : NULL;

      g_date_clear (dates[i], 1);
      if (text != NULL && !parse_day (text, dates[i]))
        {
          ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, names[i],
                                     _("Give a day of the calendar as YYYY-MM-DD, as in "
                                       "2026-12-10"));
          return FALSE;
        }
    }
  if (g_date_valid (from) && g_date_valid (to) && g_date_compare (from, to) > 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "to",
                                 _("The period ends before it begins"));
      return FALSE;
    }
  return TRUE;
}

/* Every state whose clock runs, as the JSON array the database filters with. */
static char *
running_states (void)
{
  GString *json = g_string_new ("[");

  for (int state = OW_CASE_STATE_RECEIVED; state <= OW_CASE_STATE_WITHDRAWN; state++)
    if (ow_case_state_clock_runs ((OwCaseState) state))
      g_string_append_printf (json, "%s\"%s\"", json->len > 1 ? "," : "",
                              ow_case_state_to_string ((OwCaseState) state));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/* Adds @count to the group @key of @groups, kept in the order the keys first come. */
static void
add_to_group (GHashTable *index,
              GPtrArray  *groups,
              const char *key,
              gint64      count)
{
  OwStatGroup *group = g_hash_table_lookup (index, key);

  if (group == NULL)
    {
      group = ow_stat_group_new (key, NULL, 0, 0);
      g_ptr_array_add (groups, group);
      g_hash_table_insert (index, group->key, group);
    }
  group->count += count;
}

static int
compare_int_keys (gconstpointer a,
                  gconstpointer b)
{
  const OwStatGroup *x = *(OwStatGroup * const *) a, *y = *(OwStatGroup * const *) b;
  gint64 i = g_ascii_strtoll (x->key, NULL, 10), j = g_ascii_strtoll (y->key, NULL, 10);

  return i < j ? -1 : i > j;
}

static int
compare_text_keys (gconstpointer a,
                   gconstpointer b)
{
  const OwStatGroup *x = *(OwStatGroup * const *) a, *y = *(OwStatGroup * const *) b;

  return strcmp (x->key, y->key);
}

/* Deadlines: the running cases grouped by their promised date, each date as many working days
 * late or left as ow_deadline_days_left() says. */
static gboolean
add_deadlines (OwPlatformServer  *self,
               const char        *hall,
               OwCalendar        *calendar,
               OwStatistics      *statistics,
               GError           **error)
{
  g_autofree char *states = running_states ();
  g_autoptr(GPtrArray) promised = NULL;
  g_autoptr(GPtrArray) late = NULL;
  g_autoptr(GHashTable) by_days = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_week = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) due_by = g_hash_table_new (g_str_hash, g_str_equal);
  GDate overdue_before;
  char before_text[16];

  if ((promised = ow_platform_db_count_by_promised (ow_platform_server_db (self), hall, states,
                                                    error)) == NULL)
    return FALSE;
  for (guint i = 0; i < promised->len; i++)
    {
      const OwStatGroup *group = g_ptr_array_index (promised, i);
      char key[32];
      GDate date;
      int left;

      if (!parse_day (group->key, &date))
        continue;
      left = ow_deadline_days_left (calendar, &date, &statistics->today);
      if (left < 0)
        {
          GDate late_from, week;

          statistics->overdue += group->count;
          g_snprintf (key, sizeof key, "%d", -left);
          add_to_group (by_days, statistics->overdue_by_days, key, group->count);
          ow_deadline_late_from (calendar, &date, &late_from);
          ow_deadline_week_of (&late_from, &week);
          format_date (&week, key);
          add_to_group (by_week, statistics->overdue_by_week, key, group->count);
        }
      else if ((guint) left <= statistics->due_within)
        {
          statistics->due_soon += group->count;
          g_snprintf (key, sizeof key, "%d", left);
          add_to_group (due_by, statistics->due_by_days, key, group->count);
        }
    }
  g_ptr_array_sort (statistics->overdue_by_days, compare_int_keys);
  g_ptr_array_sort (statistics->overdue_by_week, compare_text_keys);
  g_ptr_array_sort (statistics->due_by_days, compare_int_keys);

  /* The oldest promises by number: the range the list's overdue=true filters on. */
  ow_deadline_overdue_before (calendar, &statistics->today, &overdue_before);
  format_date (&overdue_before, before_text);
  late = ow_platform_db_list_late_cases (ow_platform_server_db (self), hall, states, before_text,
                                         MAX_LISTED_LATE,
                                         error);
  if (late == NULL)
    return FALSE;
  for (guint i = 0; i < late->len; i++)
    {
      const OwPlatformOpenCase *open_case = g_ptr_array_index (late, i);
      OwStatLateCase *item = g_new0 (OwStatLateCase, 1);

      item->case_no = g_strdup (open_case->case_no);
      if (!ow_case_state_from_string (open_case->state, &item->state))
        item->state = OW_CASE_STATE_ACCEPTED;
      parse_day (open_case->promised_date, &item->promised_date);
      item->working_days_late = g_date_valid (&item->promised_date)
                                  ? ow_deadline_days_late (calendar, &item->promised_date,
                                                           &statistics->today)
                                  : 0;
      g_ptr_array_add (statistics->overdue_cases, item);
    }
  return TRUE;
}

static OwStatIndicator *
find_indicator (GPtrArray  *indicators,
                const char *department)
{
  for (guint i = 0; i < indicators->len; i++)
    {
      OwStatIndicator *indicator = g_ptr_array_index (indicators, i);

      if (g_strcmp0 (indicator->department, department) == 0)
        return indicator;
    }
  {
    OwStatIndicator *indicator = g_new0 (OwStatIndicator, 1);

    indicator->department = g_strdup (department);
    g_ptr_array_add (indicators, indicator);
    return indicator;
  }
}

static int
compare_departments (gconstpointer a,
                     gconstpointer b)
{
  const OwStatIndicator *x = *(OwStatIndicator * const *) a;
  const OwStatIndicator *y = *(OwStatIndicator * const *) b;

  return g_strcmp0 (x->department, y->department);
}

/* The reform's indicators: availability from the catalog; usage over the period, and for the
 * trend over the twelve months up to its end, from one count by day over both (a case has one
 * day of receipt, so days add up to the hall and to months), and by department over the
 * period. The reform items' first row is the hall's. */
static gboolean
add_indicators (OwPlatformServer  *self,
                const char        *hall,
                const GDate       *from,
                const GDate       *to,
                OwStatistics      *statistics,
                GError           **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GHashTable) months = g_hash_table_new (g_str_hash, g_str_equal);
  GDate trend_end, trend_start, first;
  char from_text[16], to_text[16], start_text[16];

  trend_end = g_date_valid (to) ? *to : statistics->today;
  g_date_clear (&trend_start, 1);
  g_date_set_dmy (&trend_start, 1, g_date_get_month (&trend_end), g_date_get_year (&trend_end));
  g_date_subtract_months (&trend_start, 11);
  first = trend_start;
  if (g_date_valid (from) && g_date_compare (from, &first) < 0)
    first = *from;
  format_date (&first, start_text);
  format_date (&trend_end, to_text);
  if (g_date_valid (from))
    format_date (from, from_text);

  /* The catalog's counts of one revision, the newest when asked (零跑动: the item can be done
   * without coming to the hall at all, visits 0). */
  if (!ow_platform_db_get_catalog (ow_platform_server_db (self), &statistics->catalog_revision,
                                   NULL, NULL, error) ||
      !ow_platform_db_count_catalog_items (ow_platform_server_db (self),
                                           statistics->catalog_revision,
                                           &statistics->catalog_items,
                                           &statistics->catalog_zero_trip_items, error) ||
      (items = ow_platform_db_count_reform_items (ow_platform_server_db (self),
                                                  statistics->catalog_revision,
                                                  error)) == NULL ||
      /* An open start counts from the first case; the trend still needs its year. */
      (days = ow_platform_db_count_reform_usage (ow_platform_server_db (self), hall,
                                                 g_date_valid (from) ? start_text : NULL,
                                                 to_text, FALSE, error)) == NULL ||
      (departments = ow_platform_db_count_reform_usage (ow_platform_server_db (self), hall,
                                                        g_date_valid (from) ? from_text : NULL,
                                                        g_date_valid (to) ? to_text : NULL,
                                                        TRUE, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      const OwStatGroup *group = g_ptr_array_index (items, i);
      OwStatIndicator *indicator = i == 0 ? &statistics->hall_indicator
                                          : find_indicator (statistics->indicators, group->key);

      indicator->reform_items = group->count;
      indicator->zero_trip_items = group->part;
    }
  for (guint i = 0; i < departments->len; i++)
    {
      const OwStatGroup *group = g_ptr_array_index (departments, i);
      OwStatIndicator *indicator = find_indicator (statistics->indicators, group->key);

      indicator->cases = group->count;
      indicator->zero_trip_cases = group->part;
    }
  g_ptr_array_sort (statistics->indicators, compare_departments);

  /* Each of the twelve months, those without a case at 0 (their usage null). */
  for (GDate month = trend_start; g_date_compare (&month, &trend_end) <= 0;
       g_date_add_months (&month, 1))
    {
      char key[8];
      OwStatGroup *entry;

      g_snprintf (key, sizeof key, "%04u-%02u", g_date_get_year (&month),
                  g_date_get_month (&month));
      entry = ow_stat_group_new (key, NULL, 0, 0);
      g_ptr_array_add (statistics->usage_by_month, entry);
      g_hash_table_insert (months, entry->key, entry);
    }
  for (guint i = 0; i < days->len; i++)
    {
      const OwStatGroup *group = g_ptr_array_index (days, i);
      GDate day;

      if (!parse_day (group->key, &day))
        continue;
      if ((!g_date_valid (from) || g_date_compare (&day, from) >= 0) &&
          (!g_date_valid (to) || g_date_compare (&day, to) <= 0))
        {
          statistics->hall_indicator.cases += group->count;
          statistics->hall_indicator.zero_trip_cases += group->part;
        }
      if (g_date_compare (&day, &trend_start) >= 0)
        {
          char month[8];
          OwStatGroup *entry;

          g_snprintf (month, sizeof month, "%04u-%02u", g_date_get_year (&day),
                      g_date_get_month (&day));
          if ((entry = g_hash_table_lookup (months, month)) == NULL)
            continue;
          entry->count += group->count;
          entry->part += group->part;
        }
    }
  return TRUE;
}

static gboolean
add_ratings (OwPlatformServer  *self,
             const char        *hall,
             const char        *from,
             const char        *to,
             OwStatistics      *statistics,
             GError           **error)
{
  static const OwPlatformRatingsBy dimensions[] = {
    OW_PLATFORM_RATINGS_BY_LEVEL, OW_PLATFORM_RATINGS_BY_COUNTER, OW_PLATFORM_RATINGS_BY_CLERK,
    OW_PLATFORM_RATINGS_BY_ITEM,
  };
  GPtrArray *targets[] = {
    statistics->ratings_by_level, statistics->ratings_by_counter, statistics->ratings_by_clerk,
    statistics->ratings_by_item,
  };

  if (!ow_platform_db_count_ratings (ow_platform_server_db (self), hall, &statistics->ratings_total,
                                     &statistics->ratings_poor, &statistics->ratings_unfollowed,
                                     error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (dimensions); i++)
    {
      g_autoptr(GPtrArray) groups = ow_platform_db_count_ratings_by (ow_platform_server_db (self),
                                                                     hall, from, to,
                                                                     dimensions[i], error);

      if (groups == NULL)
        return FALSE;
      g_ptr_array_extend_and_steal (targets[i], g_steal_pointer (&groups));
    }
  return TRUE;
}

static void
handle_statistics (OwPlatformServer  *self,
                   OwPlatformRequest *msg,
                   GHashTable        *query)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwStatistics) statistics = ow_statistics_new ();
  g_autoptr(OwCalendar) calendar = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(JsonNode) response = NULL;
  gint64 due_within = DEFAULT_DUE_WITHIN;
  char from_text[16], to_text[16], today_text[16];
  GDate chart_from, chart_to;
  const char *from = NULL, *to = NULL;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_role (msg, user, "supervisor"))
    return;
  if (!read_period (msg, query, &statistics->from, &statistics->to) ||
      !ow_platform_query_int (msg, query, "due_within", 0, MAX_DUE_WITHIN, &due_within))
    return;

  statistics->generated_at = g_date_time_new_from_unix_utc (ow_platform_now ());
  ow_platform_get_today (&statistics->today);
  format_date (&statistics->today, today_text);
  statistics->hall = g_strdup (user->hall);
  statistics->due_within = (guint) due_within;
  if (g_date_valid (&statistics->from))
    {
      format_date (&statistics->from, from_text);
      from = from_text;
    }
  if (g_date_valid (&statistics->to))
    {
      format_date (&statistics->to, to_text);
      to = to_text;
    }

  /* The intake chart: the period, or the last days up to today when it is open. */
  chart_to = g_date_valid (&statistics->to) ? statistics->to : statistics->today;
  chart_from = chart_to;
  g_date_subtract_days (&chart_from, OPEN_PERIOD_DAYS - 1);
  if (g_date_valid (&statistics->from))
    chart_from = statistics->from;

  if ((calendar = ow_platform_load_calendar (ow_platform_server_db (self), user->hall,
                                             g_date_get_year (&statistics->today),
                                             &error)) == NULL ||
      (counts = ow_platform_db_count_cases_by_state (ow_platform_server_db (self), user->hall,
                                                     &error)) == NULL)
    goto fail;
  for (int state = OW_CASE_STATE_RECEIVED; state <= OW_CASE_STATE_WITHDRAWN; state++)
    {
      const char *name = ow_case_state_to_string ((OwCaseState) state);

      statistics->by_state[state] = GPOINTER_TO_INT (g_hash_table_lookup (counts, name));
      statistics->total += statistics->by_state[state];
    }
  {
    char a[16], b[16];

    format_date (&chart_from, a);
    format_date (&chart_to, b);
    if ((received = ow_platform_db_count_received (ow_platform_server_db (self), user->hall, a, b,
                                                   &error)) == NULL)
      goto fail;
    g_ptr_array_extend_and_steal (statistics->received_by_day, g_steal_pointer (&received));
  }

  if (!add_deadlines (self, user->hall, calendar, statistics, &error) ||
      !add_indicators (self, user->hall, &statistics->from, &statistics->to, statistics,
                       &error) ||
      !ow_platform_db_count_tickets (ow_platform_server_db (self), user->hall, today_text,
                                     &statistics->tickets_open,
                                     &statistics->tickets_overdue, &error) ||
      !add_ratings (self, user->hall, from, to, statistics, &error))
    goto fail;

  response = ow_json_from_statistics (statistics);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
  return;

fail:
  ow_platform_respond_internal (msg, error);
}

/* GET /api/v1/statistics/cases?by=…&<the list's filters> */
static void
handle_case_counts (OwPlatformServer  *self,
                    OwPlatformRequest *msg,
                    GHashTable        *query)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCaseCounts) counts = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(JsonNode) response = NULL;
  OwPlatformCaseQuery case_query;
  const char *by = query != NULL ? g_hash_table_lookup (query, "by") : NULL;
  OwCaseCountBy by_value;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_role (msg, user, "supervisor"))
    return;
  if (by == NULL || !ow_case_count_by_from_string (by, &by_value))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "by",
                                 _("Count the cases by state, counter, clerk, department, item "
                                   "or channel"));
      return;
    }

  if (ow_platform_case_query_parse (self, msg, query, user, FALSE, &case_query))
    {
      counts = ow_case_counts_new (by_value);
      groups = ow_platform_db_count_cases (ow_platform_server_db (self), &case_query.filter,
                                           by_value,
                                           &counts->total, &error);
      if (groups == NULL)
        ow_platform_respond_internal (msg, error);
      else
        {
          g_ptr_array_extend_and_steal (counts->groups, g_steal_pointer (&groups));
          response = ow_json_from_case_counts (counts);
          ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
        }
    }
  ow_platform_case_query_clear (&case_query);
}

/* GET /api/v1/ratings?from=&to=&poor=true&follow_up=none|some&limit=&after= */
void
ow_platform_list_ratings (OwPlatformServer  *self,
                          OwPlatformRequest *msg,
                          GHashTable        *query)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  const char *poor = query != NULL ? g_hash_table_lookup (query, "poor") : NULL;
  const char *follow_up = query != NULL ? g_hash_table_lookup (query, "follow_up") : NULL;
  gint64 limit = DEFAULT_LIMIT, after = 0;
  char from_text[16], to_text[16];
  GDate from, to;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_role (msg, user, "supervisor"))
    return;
  if (!read_period (msg, query, &from, &to) ||
      !ow_platform_query_int (msg, query, "limit", 1, MAX_LIMIT, &limit) ||
      !ow_platform_query_int (msg, query, "after", 0, G_MAXINT64, &after))
    return;
  if (poor != NULL && !g_str_equal (poor, "true") && !g_str_equal (poor, "false"))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "poor",
                                 _("“poor” takes “true” or “false”"));
      return;
    }
  if (follow_up != NULL && !g_str_equal (follow_up, "none") && !g_str_equal (follow_up, "some"))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "follow_up",
                                 _("“follow_up” takes “none” or “some”"));
      return;
    }
  if (g_date_valid (&from))
    format_date (&from, from_text);
  if (g_date_valid (&to))
    format_date (&to, to_text);

  rows = ow_platform_db_list_ratings (ow_platform_server_db (self), user->hall,
                                      g_date_valid (&from) ? from_text : NULL,
                                      g_date_valid (&to) ? to_text : NULL,
                                      g_strcmp0 (poor, "true") == 0, follow_up, after,
                                      (guint) limit, &error);
  if (rows == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ratings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len && i < (guint) limit; i++)
    {
      const OwPlatformRatingRow *row = g_ptr_array_index (rows, i);
      g_autoptr(JsonNode) body = ow_json_parse (row->body, -1, NULL);
      JsonObject *object = body != NULL && JSON_NODE_HOLDS_OBJECT (body)
                             ? json_node_get_object (body) : NULL;
      g_autoptr(OwRatingRecord) record = g_new0 (OwRatingRecord, 1);
      const char *at;

      if (object == NULL)
        continue;
      record->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
      record->case_no = g_strdup (json_object_get_string_member_with_default (object, "case_no",
                                                                              NULL));
      record->channel = g_strdup (json_object_get_string_member_with_default (object, "channel",
                                                                              NULL));
      record->level = (guint) json_object_get_int_member_with_default (object, "level", 0);
      if (json_object_has_member (object, "text") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "text")))
        record->text = g_strdup (json_object_get_string_member (object, "text"));
      at = json_object_get_string_member_with_default (object, "at", NULL);
      record->at = at != NULL ? g_date_time_new_from_iso8601 (at, NULL) : NULL;
      record->counter = row->counter;
      record->clerk = g_strdup (row->clerk);
      record->clerk_name = g_strdup (row->clerk_name);
      record->item_id = g_strdup (row->item_id);
      record->item_name = g_strdup (row->item_name);
      record->ticket_id = g_strdup (row->ticket_id);
      if (row->ticket_state == NULL ||
          !ow_ticket_state_from_string (row->ticket_state, &record->ticket_state))
        record->ticket_state = 0;
      json_builder_add_value (builder, ow_json_from_rating_record (record));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  if (rows->len > (guint) limit)
    {
      const OwPlatformRatingRow *last = g_ptr_array_index (rows, (guint) limit - 1);
      g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, last->position);

      json_builder_add_string_value (builder, cursor);
    }
  else
    json_builder_add_null_value (builder);
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
  if (*rest != '\0' && !g_str_equal (rest, "/cases"))
    ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
  else if (!g_str_equal (method, SOUP_METHOD_GET))
    ow_platform_respond_method_not_allowed (msg, "GET");
  else if (*rest == '\0')
    handle_statistics (self, msg, query);
  else
    handle_case_counts (self, msg, query);
}
