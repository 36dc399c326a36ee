/* ow-json-statistics.c — the codec of the overview's figures: statistics, counts, ratings
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of owcodec, like ow-json.c: the platform encodes with these functions and the client
 * decodes with them, so the two read one format. The decoders are lenient where the contract
 * lets a platform add to an answer (members they do not know are ignored, members added later
 * may be absent) and strict about what is there: a member of the wrong type is
 * OW_CORE_ERROR_INVALID naming it ("deadlines.overdue").
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-error.h"
#include "net/ow-json.h"

/* How one kind of group travels: the member holding its key (a number where @key_is_int),
 * those holding its count and part (NULL: none), the share part / count written beside them
 * (NULL: none) and whether it has a name. */
typedef struct
{
  const char *key;
  gboolean    key_is_int;
  const char *count;
  const char *part;
  const char *share;
  gboolean    named;
} GroupShape;

static const GroupShape by_day = { "date", FALSE, "count", NULL, NULL, FALSE };
static const GroupShape by_week = { "week", FALSE, "count", NULL, NULL, FALSE };
static const GroupShape by_days = { "working_days", TRUE, "count", NULL, NULL, FALSE };
static const GroupShape by_month = { "month", FALSE, "cases", "zero_trip_cases", "usage", FALSE };
static const GroupShape by_level = { "level", TRUE, "count", "poor", NULL, FALSE };
static const GroupShape by_counter = { "counter", TRUE, "count", "poor", NULL, FALSE };
static const GroupShape by_clerk = { "clerk", FALSE, "count", "poor", NULL, TRUE };
static const GroupShape by_item = { "item_id", FALSE, "count", "poor", NULL, TRUE };
static const GroupShape counted = { "key", FALSE, "count", NULL, NULL, TRUE };

/* Failing ---------------------------------------------------------------------------------- */

static gboolean
fail (char       **field,
      GError     **error,
      const char  *prefix,
      const char  *name,
      const char  *message)
{
  g_autofree char *dotted = prefix != NULL ? g_strconcat (prefix, ".", name, NULL)
                                           : g_strdup (name);

  g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID, "%s %s", dotted, message);
  if (field != NULL)
    {
      g_free (*field);
      *field = g_steal_pointer (&dotted);
    }
  return FALSE;
}

/* Writing ---------------------------------------------------------------------------------- */

static void
add_date (JsonBuilder *builder,
          const char  *name,
          const GDate *date)
{
  json_builder_set_member_name (builder, name);
  if (date != NULL && g_date_valid (date))
    {
      char text[16];

      g_snprintf (text, sizeof text, "%04u-%02u-%02u", g_date_get_year (date),
                  g_date_get_month (date), g_date_get_day (date));
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
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

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *when)
{
  json_builder_set_member_name (builder, name);
  if (when != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (when);
      g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_groups (JsonBuilder      *builder,
            const char       *member,
            GPtrArray        *groups,
            const GroupShape *shape)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; groups != NULL && i < groups->len; i++)
    {
      const OwStatGroup *group = g_ptr_array_index (groups, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, shape->key);
      if (shape->key_is_int)
        json_builder_add_int_value (builder, g_ascii_strtoll (group->key, NULL, 10));
      else
        json_builder_add_string_value (builder, group->key);
      if (shape->named)
        add_string (builder, "name", group->name);
      add_int (builder, shape->count, group->count);
      if (shape->part != NULL)
        add_int (builder, shape->part, group->part);
      if (shape->share != NULL)
        add_share (builder, shape->share, group->part, group->count);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_indicator_members (JsonBuilder           *builder,
                       const OwStatIndicator *indicator)
{
  add_int (builder, "reform_items", indicator->reform_items);
  add_int (builder, "zero_trip_items", indicator->zero_trip_items);
  add_share (builder, "availability", indicator->zero_trip_items, indicator->reform_items);
  add_int (builder, "cases", indicator->cases);
  add_int (builder, "zero_trip_cases", indicator->zero_trip_cases);
  add_share (builder, "usage", indicator->zero_trip_cases, indicator->cases);
}

JsonNode *
ow_json_from_statistics (const OwStatistics *statistics)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 stopped_supplement, stopped_suspended;

  g_return_val_if_fail (statistics != NULL, NULL);

  json_builder_begin_object (builder);
  add_time (builder, "generated_at", statistics->generated_at);
  add_date (builder, "today", &statistics->today);
  add_string (builder, "hall", statistics->hall);
  json_builder_set_member_name (builder, "period");
  json_builder_begin_object (builder);
  add_date (builder, "from", &statistics->from);
  add_date (builder, "to", &statistics->to);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "cases");
  json_builder_begin_object (builder);
  add_int (builder, "total", statistics->total);
  json_builder_set_member_name (builder, "by_state");
  json_builder_begin_object (builder);
  for (int state = OW_CASE_STATE_RECEIVED; state <= OW_CASE_STATE_WITHDRAWN; state++)
    add_int (builder, ow_case_state_to_string ((OwCaseState) state), statistics->by_state[state]);
  json_builder_end_object (builder);
  add_int (builder, "overdue", statistics->overdue);
  json_builder_set_member_name (builder, "overdue_cases");
  json_builder_begin_array (builder);
  for (guint i = 0; i < statistics->overdue_cases->len; i++)
    {
      const OwStatLateCase *late = g_ptr_array_index (statistics->overdue_cases, i);

      json_builder_begin_object (builder);
      add_string (builder, "case_no", late->case_no);
      add_string (builder, "state", ow_case_state_to_string (late->state));
      add_date (builder, "promised_date", &late->promised_date);
      add_int (builder, "working_days_late", late->working_days_late);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* Since cases carry their channel: the usage of the period, as under indicators. */
  add_share (builder, "zero_trip_share", statistics->hall_indicator.zero_trip_cases,
             statistics->hall_indicator.cases);
  add_groups (builder, "received_by_day", statistics->received_by_day, &by_day);
  json_builder_end_object (builder);

  stopped_supplement = statistics->by_state[OW_CASE_STATE_SUPPLEMENT_REQUESTED];
  stopped_suspended = statistics->by_state[OW_CASE_STATE_SUSPENDED];
  json_builder_set_member_name (builder, "deadlines");
  json_builder_begin_object (builder);
  add_int (builder, "due_within", statistics->due_within);
  add_int (builder, "overdue", statistics->overdue);
  add_int (builder, "due_soon", statistics->due_soon);
  json_builder_set_member_name (builder, "stopped");
  json_builder_begin_object (builder);
  add_int (builder, "supplement-requested", stopped_supplement);
  add_int (builder, "suspended", stopped_suspended);
  json_builder_end_object (builder);
  add_groups (builder, "overdue_by_working_days", statistics->overdue_by_days, &by_days);
  add_groups (builder, "overdue_by_week", statistics->overdue_by_week, &by_week);
  add_groups (builder, "due_by_working_days", statistics->due_by_days, &by_days);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "catalog");
  json_builder_begin_object (builder);
  add_int (builder, "revision", statistics->catalog_revision);
  add_int (builder, "items", statistics->catalog_items);
  add_int (builder, "zero_trip_items", statistics->catalog_zero_trip_items);
  add_share (builder, "zero_trip_share", statistics->catalog_zero_trip_items,
             statistics->catalog_items);
  add_int (builder, "reform_items", statistics->hall_indicator.reform_items);
  add_int (builder, "reform_zero_trip_items", statistics->hall_indicator.zero_trip_items);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "indicators");
  json_builder_begin_object (builder);
  add_indicator_members (builder, &statistics->hall_indicator);
  json_builder_set_member_name (builder, "by_department");
  json_builder_begin_array (builder);
  for (guint i = 0; i < statistics->indicators->len; i++)
    {
      const OwStatIndicator *indicator = g_ptr_array_index (statistics->indicators, i);

      json_builder_begin_object (builder);
      add_string (builder, "department", indicator->department);
      add_indicator_members (builder, indicator);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_groups (builder, "by_month", statistics->usage_by_month, &by_month);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "tickets");
  json_builder_begin_object (builder);
  add_int (builder, "open", statistics->tickets_open);
  add_int (builder, "overdue", statistics->tickets_overdue);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "ratings");
  json_builder_begin_object (builder);
  add_int (builder, "total", statistics->ratings_total);
  add_int (builder, "poor", statistics->ratings_poor);
  add_int (builder, "needing_follow_up", statistics->ratings_unfollowed);
  json_builder_set_member_name (builder, "period");
  json_builder_begin_object (builder);
  add_groups (builder, "by_level", statistics->ratings_by_level, &by_level);
  add_groups (builder, "by_counter", statistics->ratings_by_counter, &by_counter);
  add_groups (builder, "by_clerk", statistics->ratings_by_clerk, &by_clerk);
  add_groups (builder, "by_item", statistics->ratings_by_item, &by_item);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
ow_json_from_case_counts (const OwCaseCounts *counts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (counts != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "by", ow_case_count_by_to_string (counts->by));
  add_int (builder, "total", counts->total);
  add_groups (builder, "counts", counts->groups, &counted);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Reading ---------------------------------------------------------------------------------- */

/* The member @name of @object, NULL when absent or null. */
static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_NULL (node) ? NULL : node;
}

static gboolean
read_int (JsonObject  *object,
          const char  *prefix,
          const char  *name,
          gint64      *value,
          char       **field,
          GError     **error)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return fail (field, error, prefix, name, _("must be a whole number, 0 or more"));
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_text (JsonObject  *object,
           const char  *prefix,
           const char  *name,
           char       **value,
           char       **field,
           GError     **error)
{
  JsonNode *node = member (object, name);

  *value = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      !g_utf8_validate (json_node_get_string (node), -1, NULL))
    return fail (field, error, prefix, name, _("must be a string"));
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
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

static gboolean
read_day (JsonObject  *object,
          const char  *prefix,
          const char  *name,
          gboolean     required,
          GDate       *date,
          char       **field,
          GError     **error)
{
  g_autofree char *text = NULL;

  g_date_clear (date, 1);
  if (!read_text (object, prefix, name, &text, field, error))
    return FALSE;
  if (text == NULL)
    return required ? fail (field, error, prefix, name, _("is required")) : TRUE;
  if (!parse_day (text, date))
    return fail (field, error, prefix, name, _("must be a date as YYYY-MM-DD"));
  return TRUE;
}

static gboolean
read_object_member (JsonObject   *object,
                    const char   *prefix,
                    const char   *name,
                    JsonObject  **value,
                    char        **field,
                    GError      **error)
{
  JsonNode *node = member (object, name);

  *value = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (field, error, prefix, name, _("must be an object"));
  *value = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_array_member (JsonObject   *object,
                   const char   *prefix,
                   const char   *name,
                   JsonArray   **value,
                   char        **field,
                   GError      **error)
{
  JsonNode *node = member (object, name);

  *value = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (field, error, prefix, name, _("must be an array"));
  *value = json_node_get_array (node);
  return TRUE;
}

static gboolean
read_groups (JsonObject       *object,
             const char       *prefix,
             const char       *name,
             const GroupShape *shape,
             GPtrArray        *groups,
             char            **field,
             GError          **error)
{
  g_autofree char *path = prefix != NULL ? g_strconcat (prefix, ".", name, NULL)
                                         : g_strdup (name);
  JsonArray *array;

  if (!read_array_member (object, prefix, name, &array, field, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *element = g_strdup_printf ("%s[%u]", path, i);
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *item;
      JsonNode *key;
      g_autofree char *key_text = NULL;
      g_autofree char *name_text = NULL;
      gint64 count = 0, part = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (field, error, NULL, element, _("must be an object"));
      item = json_node_get_object (node);
      key = member (item, shape->key);
      if (key == NULL || !JSON_NODE_HOLDS_VALUE (key))
        return fail (field, error, element, shape->key, _("is required"));
      if (shape->key_is_int && json_node_get_value_type (key) == G_TYPE_INT64)
        key_text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (key));
      else if (!shape->key_is_int && json_node_get_value_type (key) == G_TYPE_STRING)
        key_text = g_strdup (json_node_get_string (key));
      else
        return fail (field, error, element, shape->key,
                     shape->key_is_int ? _("must be a whole number") : _("must be a string"));
      if ((shape->named && !read_text (item, element, "name", &name_text, field, error)) ||
          !read_int (item, element, shape->count, &count, field, error) ||
          (shape->part != NULL && !read_int (item, element, shape->part, &part, field, error)))
        return FALSE;
      g_ptr_array_add (groups, ow_stat_group_new (key_text, name_text, count, part));
    }
  return TRUE;
}

static gboolean
read_indicator (JsonObject       *object,
                const char       *prefix,
                OwStatIndicator  *indicator,
                char            **field,
                GError          **error)
{
  return read_int (object, prefix, "reform_items", &indicator->reform_items, field, error) &&
         read_int (object, prefix, "zero_trip_items", &indicator->zero_trip_items, field,
                   error) &&
         read_int (object, prefix, "cases", &indicator->cases, field, error) &&
         read_int (object, prefix, "zero_trip_cases", &indicator->zero_trip_cases, field, error);
}

static gboolean
read_cases (JsonObject    *root,
            OwStatistics  *statistics,
            char         **field,
            GError       **error)
{
  JsonObject *cases, *by_state;
  JsonArray *late;

  if (!read_object_member (root, NULL, "cases", &cases, field, error))
    return FALSE;
  if (cases == NULL)
    return fail (field, error, NULL, "cases", _("is required"));
  if (!read_int (cases, "cases", "total", &statistics->total, field, error) ||
      !read_int (cases, "cases", "overdue", &statistics->overdue, field, error) ||
      !read_object_member (cases, "cases", "by_state", &by_state, field, error) ||
      !read_array_member (cases, "cases", "overdue_cases", &late, field, error) ||
      !read_groups (cases, "cases", "received_by_day", &by_day, statistics->received_by_day,
                    field, error))
    return FALSE;
  for (int state = OW_CASE_STATE_RECEIVED; by_state != NULL && state <= OW_CASE_STATE_WITHDRAWN;
       state++)
    if (!read_int (by_state, "cases.by_state", ow_case_state_to_string ((OwCaseState) state),
                   &statistics->by_state[state], field, error))
      return FALSE;
  for (guint i = 0; late != NULL && i < json_array_get_length (late); i++)
    {
      g_autofree char *element = g_strdup_printf ("cases.overdue_cases[%u]", i);
      JsonNode *node = json_array_get_element (late, i);
      g_autoptr(OwStatLateCase) item = g_new0 (OwStatLateCase, 1);
      g_autofree char *state = NULL;
      gint64 days = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (field, error, NULL, element, _("must be an object"));
      if (!read_text (json_node_get_object (node), element, "case_no", &item->case_no, field,
                      error) ||
          !read_text (json_node_get_object (node), element, "state", &state, field, error) ||
          !read_day (json_node_get_object (node), element, "promised_date", TRUE,
                     &item->promised_date, field, error) ||
          !read_int (json_node_get_object (node), element, "working_days_late", &days, field,
                     error))
        return FALSE;
      if (item->case_no == NULL)
        return fail (field, error, element, "case_no", _("is required"));
      if (state == NULL || !ow_case_state_from_string (state, &item->state))
        return fail (field, error, element, "state", _("is not a case state"));
      item->working_days_late = (guint) MIN (days, G_MAXUINT);
      g_ptr_array_add (statistics->overdue_cases, g_steal_pointer (&item));
    }
  return TRUE;
}

static gboolean
read_deadlines (JsonObject    *root,
                OwStatistics  *statistics,
                char         **field,
                GError       **error)
{
  JsonObject *deadlines;
  gint64 due_within = 0;

  if (!read_object_member (root, NULL, "deadlines", &deadlines, field, error))
    return FALSE;
  if (deadlines == NULL)
    return TRUE;
  if (!read_int (deadlines, "deadlines", "due_within", &due_within, field, error) ||
      !read_int (deadlines, "deadlines", "due_soon", &statistics->due_soon, field, error) ||
      !read_groups (deadlines, "deadlines", "overdue_by_working_days", &by_days,
                    statistics->overdue_by_days, field, error) ||
      !read_groups (deadlines, "deadlines", "overdue_by_week", &by_week,
                    statistics->overdue_by_week, field, error) ||
      !read_groups (deadlines, "deadlines", "due_by_working_days", &by_days,
                    statistics->due_by_days, field, error))
    return FALSE;
  statistics->due_within = (guint) MIN (due_within, G_MAXUINT);
  return TRUE;
}

static gboolean
read_indicators (JsonObject    *root,
                 OwStatistics  *statistics,
                 char         **field,
                 GError       **error)
{
  JsonObject *catalog, *indicators;
  JsonArray *departments;

  if (!read_object_member (root, NULL, "catalog", &catalog, field, error) ||
      !read_int (catalog, "catalog", "revision", &statistics->catalog_revision, field, error) ||
      !read_int (catalog, "catalog", "items", &statistics->catalog_items, field, error) ||
      !read_int (catalog, "catalog", "zero_trip_items", &statistics->catalog_zero_trip_items,
                 field, error) ||
      !read_object_member (root, NULL, "indicators", &indicators, field, error))
    return FALSE;
  if (indicators == NULL)
    return TRUE;
  if (!read_indicator (indicators, "indicators", &statistics->hall_indicator, field, error) ||
      !read_array_member (indicators, "indicators", "by_department", &departments, field,
                          error) ||
      !read_groups (indicators, "indicators", "by_month", &by_month, statistics->usage_by_month,
                    field, error))
    return FALSE;
  for (guint i = 0; departments != NULL && i < json_array_get_length (departments); i++)
    {
      g_autofree char *element = g_strdup_printf ("indicators.by_department[%u]", i);
      JsonNode *node = json_array_get_element (departments, i);
      g_autoptr(OwStatIndicator) indicator = g_new0 (OwStatIndicator, 1);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (field, error, NULL, element, _("must be an object"));
      if (!read_text (json_node_get_object (node), element, "department",
                      &indicator->department, field, error) ||
          !read_indicator (json_node_get_object (node), element, indicator, field, error))
        return FALSE;
      g_ptr_array_add (statistics->indicators, g_steal_pointer (&indicator));
    }
  return TRUE;
}

static gboolean
read_ratings (JsonObject    *root,
              OwStatistics  *statistics,
              char         **field,
              GError       **error)
{
  JsonObject *ratings, *period;

  if (!read_object_member (root, NULL, "ratings", &ratings, field, error) ||
      !read_int (ratings, "ratings", "total", &statistics->ratings_total, field, error) ||
      !read_int (ratings, "ratings", "poor", &statistics->ratings_poor, field, error) ||
      !read_int (ratings, "ratings", "needing_follow_up", &statistics->ratings_unfollowed, field,
                 error) ||
      !read_object_member (ratings, "ratings", "period", &period, field, error))
    return FALSE;
  return period == NULL ||
         (read_groups (period, "ratings.period", "by_level", &by_level,
                       statistics->ratings_by_level, field, error) &&
          read_groups (period, "ratings.period", "by_counter", &by_counter,
                       statistics->ratings_by_counter, field, error) &&
          read_groups (period, "ratings.period", "by_clerk", &by_clerk,
                       statistics->ratings_by_clerk, field, error) &&
          read_groups (period, "ratings.period", "by_item", &by_item,
                       statistics->ratings_by_item, field, error));
}

OwStatistics *
ow_json_to_statistics (JsonNode  *node,
                       char     **field,
                       GError   **error)
{
  g_autoptr(OwStatistics) statistics = ow_statistics_new ();
  g_autofree char *generated_at = NULL;
  JsonObject *root, *period, *tickets;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           _("The statistics are not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (node);
  if (!read_text (root, NULL, "generated_at", &generated_at, field, error) ||
      !read_day (root, NULL, "today", TRUE, &statistics->today, field, error) ||
      !read_text (root, NULL, "hall", &statistics->hall, field, error) ||
      !read_object_member (root, NULL, "period", &period, field, error) ||
      !read_day (period, "period", "from", FALSE, &statistics->from, field, error) ||
      !read_day (period, "period", "to", FALSE, &statistics->to, field, error) ||
      !read_cases (root, statistics, field, error) ||
      !read_deadlines (root, statistics, field, error) ||
      !read_indicators (root, statistics, field, error) ||
      !read_object_member (root, NULL, "tickets", &tickets, field, error) ||
      !read_int (tickets, "tickets", "open", &statistics->tickets_open, field, error) ||
      !read_int (tickets, "tickets", "overdue", &statistics->tickets_overdue, field, error) ||
      !read_ratings (root, statistics, field, error))
    return NULL;
  if (generated_at != NULL &&
      (statistics->generated_at = g_date_time_new_from_iso8601 (generated_at, NULL)) == NULL)
    {
      fail (field, error, NULL, "generated_at", _("must be a time in RFC 3339"));
      return NULL;
    }
  return g_steal_pointer (&statistics);
}

OwCaseCounts *
ow_json_to_case_counts (JsonNode  *node,
                        char     **field,
                        GError   **error)
{
  g_autoptr(OwCaseCounts) counts = NULL;
  g_autofree char *by = NULL;
  OwCaseCountBy by_value;
  JsonObject *root;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           _("The counts are not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (node);
  if (!read_text (root, NULL, "by", &by, field, error))
    return NULL;
  if (by == NULL || !ow_case_count_by_from_string (by, &by_value))
    {
      fail (field, error, NULL, "by", _("is not something cases are counted by"));
      return NULL;
    }
  counts = ow_case_counts_new (by_value);
  if (!read_int (root, NULL, "total", &counts->total, field, error) ||
      !read_groups (root, NULL, "counts", &counted, counts->groups, field, error))
    return NULL;
  return g_steal_pointer (&counts);
}

/* Ratings ---------------------------------------------------------------------------------- */

JsonNode *
ow_json_from_rating_record (const OwRatingRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (record != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "id", record->id);
  add_string (builder, "case_no", record->case_no);
  add_string (builder, "channel", record->channel);
  add_int (builder, "level", record->level);
  add_string (builder, "text", record->text);
  add_time (builder, "at", record->at);
  add_int (builder, "counter", record->counter);
  add_string (builder, "clerk", record->clerk);
  add_string (builder, "clerk_name", record->clerk_name);
  add_string (builder, "item_id", record->item_id);
  add_string (builder, "item_name", record->item_name);
  json_builder_set_member_name (builder, "follow_up");
  if (record->ticket_id != NULL)
    {
      json_builder_begin_object (builder);
      add_string (builder, "ticket_id", record->ticket_id);
      add_string (builder, "state", ow_ticket_state_to_string (record->ticket_state));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

OwRatingRecord *
ow_json_to_rating_record (JsonNode  *node,
                          char     **field,
                          GError   **error)
{
  g_autoptr(OwRatingRecord) record = g_new0 (OwRatingRecord, 1);
  g_autofree char *at = NULL;
  JsonObject *object, *follow_up;
  gint64 level = 0, counter = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           _("The rating is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!read_text (object, NULL, "id", &record->id, field, error) ||
      !read_text (object, NULL, "case_no", &record->case_no, field, error) ||
      !read_text (object, NULL, "channel", &record->channel, field, error) ||
      !read_int (object, NULL, "level", &level, field, error) ||
      !read_text (object, NULL, "text", &record->text, field, error) ||
      !read_text (object, NULL, "at", &at, field, error) ||
      !read_int (object, NULL, "counter", &counter, field, error) ||
      !read_text (object, NULL, "clerk", &record->clerk, field, error) ||
      !read_text (object, NULL, "clerk_name", &record->clerk_name, field, error) ||
      !read_text (object, NULL, "item_id", &record->item_id, field, error) ||
      !read_text (object, NULL, "item_name", &record->item_name, field, error) ||
      !read_object_member (object, NULL, "follow_up", &follow_up, field, error))
    return NULL;
  if (record->id == NULL)
    {
      fail (field, error, NULL, "id", _("is required"));
      return NULL;
    }
  if (level < 1 || level > 5)
    {
      fail (field, error, NULL, "level", _("must be a level from 1 to 5"));
      return NULL;
    }
  record->level = (guint) level;
  record->counter = (guint) MIN (counter, G_MAXUINT);
  if (at != NULL && (record->at = g_date_time_new_from_iso8601 (at, NULL)) == NULL)
    {
      fail (field, error, NULL, "at", _("must be a time in RFC 3339"));
      return NULL;
    }
  if (follow_up != NULL)
    {
      g_autofree char *state = NULL;

      if (!read_text (follow_up, "follow_up", "ticket_id", &record->ticket_id, field, error) ||
          !read_text (follow_up, "follow_up", "state", &state, field, error))
        return NULL;
      if (record->ticket_id == NULL)
        {
          fail (field, error, "follow_up", "ticket_id", _("is required"));
          return NULL;
        }
      if (state == NULL || !ow_ticket_state_from_string (state, &record->ticket_state))
        {
          fail (field, error, "follow_up", "state", _("is not a ticket state"));
          return NULL;
        }
    }
  return g_steal_pointer (&record);
}
