/* ow-statistics.c — the hall's figures as the platform computes them for the supervisor
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-error.h"
#include "core/ow-statistics.h"

#define GROUPS_TYPE "a(smsxx)"
#define LATE_TYPE "a(suuu)"
#define INDICATOR_TYPE "(msxxxx)"

/* Records ---------------------------------------------------------------------------------- */

OwStatGroup *
ow_stat_group_new (const char *key,
                   const char *name,
                   gint64      count,
                   gint64      part)
{
  OwStatGroup *group = g_new0 (OwStatGroup, 1);

  group->key = g_strdup (key != NULL ? key : "");
  group->name = g_strdup (name);
  group->count = count;
  group->part = part;
  return group;
}

void
ow_stat_group_free (OwStatGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->key);
  g_free (group->name);
  g_free (group);
}

GPtrArray *
ow_stat_groups_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ow_stat_group_free);
}

void
ow_stat_late_case_free (OwStatLateCase *late)
{
  if (late == NULL)
    return;
  g_free (late->case_no);
  g_free (late);
}

void
ow_stat_indicator_free (OwStatIndicator *indicator)
{
  if (indicator == NULL)
    return;
  g_free (indicator->department);
  g_free (indicator);
}

OwStatistics *
ow_statistics_new (void)
{
  OwStatistics *statistics = g_new0 (OwStatistics, 1);

  g_date_clear (&statistics->today, 1);
  g_date_clear (&statistics->from, 1);
  g_date_clear (&statistics->to, 1);
  statistics->received_by_day = ow_stat_groups_new ();
  statistics->overdue_cases = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              ow_stat_late_case_free);
  statistics->overdue_by_days = ow_stat_groups_new ();
  statistics->overdue_by_week = ow_stat_groups_new ();
  statistics->due_by_days = ow_stat_groups_new ();
  statistics->indicators = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                           ow_stat_indicator_free);
  statistics->usage_by_month = ow_stat_groups_new ();
  statistics->ratings_by_level = ow_stat_groups_new ();
  statistics->ratings_by_counter = ow_stat_groups_new ();
  statistics->ratings_by_clerk = ow_stat_groups_new ();
  statistics->ratings_by_item = ow_stat_groups_new ();
  return statistics;
}

void
ow_statistics_free (OwStatistics *statistics)
{
  if (statistics == NULL)
    return;
  g_clear_pointer (&statistics->generated_at, g_date_time_unref);
  g_free (statistics->hall);
  g_ptr_array_unref (statistics->received_by_day);
  g_ptr_array_unref (statistics->overdue_cases);
  g_ptr_array_unref (statistics->overdue_by_days);
  g_ptr_array_unref (statistics->overdue_by_week);
  g_ptr_array_unref (statistics->due_by_days);
  g_free (statistics->hall_indicator.department);
  g_ptr_array_unref (statistics->indicators);
  g_ptr_array_unref (statistics->usage_by_month);
  g_ptr_array_unref (statistics->ratings_by_level);
  g_ptr_array_unref (statistics->ratings_by_counter);
  g_ptr_array_unref (statistics->ratings_by_clerk);
  g_ptr_array_unref (statistics->ratings_by_item);
  g_free (statistics);
}

double
ow_statistics_share (gint64 part,
                     gint64 whole)
{
  return whole > 0 ? (double) part / (double) whole : -1.0;
}

double
ow_statistics_availability (const OwStatIndicator *indicator)
{
  g_return_val_if_fail (indicator != NULL, -1.0);
  return ow_statistics_share (indicator->zero_trip_items, indicator->reform_items);
}

double
ow_statistics_usage (const OwStatIndicator *indicator)
{
  g_return_val_if_fail (indicator != NULL, -1.0);
  return ow_statistics_share (indicator->zero_trip_cases, indicator->cases);
}

static const char * const count_by_names[] = {
  [OW_CASE_COUNT_STATE] = "state",
  [OW_CASE_COUNT_COUNTER] = "counter",
  [OW_CASE_COUNT_CLERK] = "clerk",
  [OW_CASE_COUNT_DEPARTMENT] = "department",
  [OW_CASE_COUNT_ITEM] = "item",
  [OW_CASE_COUNT_CHANNEL] = "channel",
};

const char *
ow_case_count_by_to_string (OwCaseCountBy by)
{
  return by <= OW_CASE_COUNT_LAST ? count_by_names[by] : NULL;
}

gboolean
ow_case_count_by_from_string (const char    *text,
                              OwCaseCountBy *by)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (count_by_names); i++)
    if (g_str_equal (text, count_by_names[i]))
      {
        if (by != NULL)
          *by = (OwCaseCountBy) i;
        return TRUE;
      }
  return FALSE;
}

OwCaseCounts *
ow_case_counts_new (OwCaseCountBy by)
{
  OwCaseCounts *counts = g_new0 (OwCaseCounts, 1);

  counts->by = by;
  counts->groups = ow_stat_groups_new ();
  return counts;
}

void
ow_case_counts_free (OwCaseCounts *counts)
{
  if (counts == NULL)
    return;
  g_ptr_array_unref (counts->groups);
  g_free (counts);
}

void
ow_rating_record_free (OwRatingRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->case_no);
  g_free (record->channel);
  g_free (record->text);
  g_clear_pointer (&record->at, g_date_time_unref);
  g_free (record->clerk);
  g_free (record->clerk_name);
  g_free (record->item_id);
  g_free (record->item_name);
  g_free (record->ticket_id);
  g_free (record);
}

OwRatingRecord *
ow_rating_record_copy (const OwRatingRecord *record)
{
  OwRatingRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_new0 (OwRatingRecord, 1);
  copy->id = g_strdup (record->id);
  copy->case_no = g_strdup (record->case_no);
  copy->channel = g_strdup (record->channel);
  copy->level = record->level;
  copy->text = g_strdup (record->text);
  copy->at = record->at != NULL ? g_date_time_ref (record->at) : NULL;
  copy->counter = record->counter;
  copy->clerk = g_strdup (record->clerk);
  copy->clerk_name = g_strdup (record->clerk_name);
  copy->item_id = g_strdup (record->item_id);
  copy->item_name = g_strdup (record->item_name);
  copy->ticket_id = g_strdup (record->ticket_id);
  copy->ticket_state = record->ticket_state;
  return copy;
}

/* Serialization ---------------------------------------------------------------------------- */

static guint32
julian_or_zero (const GDate *date)
{
  return g_date_valid (date) ? g_date_get_julian (date) : 0;
}

static void
set_julian (GDate   *date,
            guint32  julian)
{
  g_date_clear (date, 1);
  /* Day numbers past 9999-12-31 are not dates a hall keeps. */
  if (julian != 0 && g_date_valid_julian (julian) && julian <= 3652059)
    g_date_set_julian (date, julian);
}

static GVariant *
groups_to_variant (GPtrArray *groups)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE (GROUPS_TYPE));
  for (guint i = 0; groups != NULL && i < groups->len; i++)
    {
      const OwStatGroup *group = g_ptr_array_index (groups, i);

      g_variant_builder_add (&builder, "(smsxx)", group->key, group->name, group->count,
                             group->part);
    }
  return g_variant_builder_end (&builder);
}

static void
groups_from_dict (GVariantDict *dict,
                  const char   *key,
                  GPtrArray    *groups)
{
  g_autoptr(GVariant) value = g_variant_dict_lookup_value (dict, key, G_VARIANT_TYPE (GROUPS_TYPE));
  GVariantIter iter;
  const char *group_key, *name;
  gint64 count, part;

  if (value == NULL)
    return;
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&sm&sxx)", &group_key, &name, &count, &part))
    g_ptr_array_add (groups, ow_stat_group_new (group_key, name, count, part));
}

static GVariant *
indicator_to_variant (const OwStatIndicator *indicator)
{
  return g_variant_new (INDICATOR_TYPE, indicator->department, indicator->reform_items,
                        indicator->zero_trip_items, indicator->cases, indicator->zero_trip_cases);
}

static void
indicator_from_variant (GVariant        *value,
                        OwStatIndicator *indicator)
{
  const char *department;

  g_variant_get (value, "(m&sxxxx)", &department, &indicator->reform_items,
                 &indicator->zero_trip_items, &indicator->cases, &indicator->zero_trip_cases);
  indicator->department = g_strdup (department);
}

static gint64
lookup_int (GVariantDict *dict,
            const char   *key)
{
  gint64 value = 0;

  g_variant_dict_lookup (dict, key, "x", &value);
  return value;
}

static guint32
lookup_uint (GVariantDict *dict,
             const char   *key)
{
  guint32 value = 0;

  g_variant_dict_lookup (dict, key, "u", &value);
  return value;
}

GVariant *
ow_statistics_serialize (const OwStatistics *statistics)
{
  GVariantDict dict;
  GVariantBuilder by_state, late, indicators;

  g_return_val_if_fail (statistics != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  if (statistics->generated_at != NULL)
    g_variant_dict_insert (&dict, "generated-at", "x",
                           g_date_time_to_unix (statistics->generated_at));
  g_variant_dict_insert (&dict, "today", "u", julian_or_zero (&statistics->today));
  if (statistics->hall != NULL)
    g_variant_dict_insert (&dict, "hall", "s", statistics->hall);
  g_variant_dict_insert (&dict, "from", "u", julian_or_zero (&statistics->from));
  g_variant_dict_insert (&dict, "to", "u", julian_or_zero (&statistics->to));
  g_variant_dict_insert (&dict, "due-within", "u", statistics->due_within);

  g_variant_dict_insert (&dict, "total", "x", statistics->total);
  g_variant_builder_init (&by_state, G_VARIANT_TYPE ("ax"));
  for (guint i = 0; i < G_N_ELEMENTS (statistics->by_state); i++)
    g_variant_builder_add (&by_state, "x", statistics->by_state[i]);
  g_variant_dict_insert_value (&dict, "by-state", g_variant_builder_end (&by_state));
  g_variant_dict_insert_value (&dict, "received-by-day",
                               groups_to_variant (statistics->received_by_day));

  g_variant_dict_insert (&dict, "overdue", "x", statistics->overdue);
  g_variant_dict_insert (&dict, "due-soon", "x", statistics->due_soon);
  g_variant_builder_init (&late, G_VARIANT_TYPE (LATE_TYPE));
  for (guint i = 0; i < statistics->overdue_cases->len; i++)
    {
      const OwStatLateCase *item = g_ptr_array_index (statistics->overdue_cases, i);

      g_variant_builder_add (&late, "(suuu)", item->case_no, (guint32) item->state,
                             julian_or_zero (&item->promised_date),
                             (guint32) item->working_days_late);
    }
  g_variant_dict_insert_value (&dict, "overdue-cases", g_variant_builder_end (&late));
  g_variant_dict_insert_value (&dict, "overdue-by-days",
                               groups_to_variant (statistics->overdue_by_days));
  g_variant_dict_insert_value (&dict, "overdue-by-week",
                               groups_to_variant (statistics->overdue_by_week));
  g_variant_dict_insert_value (&dict, "due-by-days", groups_to_variant (statistics->due_by_days));

  g_variant_dict_insert (&dict, "catalog-revision", "x", statistics->catalog_revision);
  g_variant_dict_insert (&dict, "catalog-items", "x", statistics->catalog_items);
  g_variant_dict_insert (&dict, "catalog-zero-trip-items", "x",
                         statistics->catalog_zero_trip_items);
  g_variant_dict_insert_value (&dict, "hall-indicator",
                               indicator_to_variant (&statistics->hall_indicator));
  g_variant_builder_init (&indicators, G_VARIANT_TYPE ("a" INDICATOR_TYPE));
  for (guint i = 0; i < statistics->indicators->len; i++)
    g_variant_builder_add_value (&indicators,
                                 indicator_to_variant (g_ptr_array_index (statistics->indicators,
                                                                          i)));
  g_variant_dict_insert_value (&dict, "indicators", g_variant_builder_end (&indicators));
  g_variant_dict_insert_value (&dict, "usage-by-month",
                               groups_to_variant (statistics->usage_by_month));

  g_variant_dict_insert (&dict, "tickets-open", "x", statistics->tickets_open);
  g_variant_dict_insert (&dict, "tickets-overdue", "x", statistics->tickets_overdue);
  g_variant_dict_insert (&dict, "ratings-total", "x", statistics->ratings_total);
  g_variant_dict_insert (&dict, "ratings-poor", "x", statistics->ratings_poor);
  g_variant_dict_insert (&dict, "ratings-unfollowed", "x", statistics->ratings_unfollowed);
  g_variant_dict_insert_value (&dict, "ratings-by-level",
                               groups_to_variant (statistics->ratings_by_level));
  g_variant_dict_insert_value (&dict, "ratings-by-counter",
                               groups_to_variant (statistics->ratings_by_counter));
  g_variant_dict_insert_value (&dict, "ratings-by-clerk",
                               groups_to_variant (statistics->ratings_by_clerk));
  g_variant_dict_insert_value (&dict, "ratings-by-item",
                               groups_to_variant (statistics->ratings_by_item));
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static gboolean
check_dictionary (GVariant    *variant,
                  const char  *what,
                  GError     **error)
{
  if (variant != NULL && g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    return TRUE;
  g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
               _("The kept %s has the type %s instead of a{sv}"), what,
               variant != NULL ? g_variant_get_type_string (variant) : "(none)");
  return FALSE;
}

OwStatistics *
ow_statistics_deserialize (GVariant  *variant,
                           GError   **error)
{
  g_autoptr(OwStatistics) statistics = NULL;
  g_autoptr(GVariant) by_state = NULL;
  g_autoptr(GVariant) late = NULL;
  g_autoptr(GVariant) hall_indicator = NULL;
  g_autoptr(GVariant) indicators = NULL;
  GVariantDict dict;
  gint64 generated_at;
  const char *hall;

  if (!check_dictionary (variant, _("statistics"), error))
    return NULL;

  statistics = ow_statistics_new ();
  g_variant_dict_init (&dict, variant);
  if (g_variant_dict_lookup (&dict, "generated-at", "x", &generated_at))
    statistics->generated_at = g_date_time_new_from_unix_utc (generated_at);
  set_julian (&statistics->today, lookup_uint (&dict, "today"));
  if (g_variant_dict_lookup (&dict, "hall", "&s", &hall))
    statistics->hall = g_strdup (hall);
  set_julian (&statistics->from, lookup_uint (&dict, "from"));
  set_julian (&statistics->to, lookup_uint (&dict, "to"));
  statistics->due_within = lookup_uint (&dict, "due-within");

  statistics->total = lookup_int (&dict, "total");
  by_state = g_variant_dict_lookup_value (&dict, "by-state", G_VARIANT_TYPE ("ax"));
  for (gsize i = 0; by_state != NULL && i < g_variant_n_children (by_state)
       && i < G_N_ELEMENTS (statistics->by_state); i++)
    g_variant_get_child (by_state, i, "x", &statistics->by_state[i]);
  groups_from_dict (&dict, "received-by-day", statistics->received_by_day);

  statistics->overdue = lookup_int (&dict, "overdue");
  statistics->due_soon = lookup_int (&dict, "due-soon");
  late = g_variant_dict_lookup_value (&dict, "overdue-cases", G_VARIANT_TYPE (LATE_TYPE));
  for (gsize i = 0; late != NULL && i < g_variant_n_children (late); i++)
    {
      OwStatLateCase *item = g_new0 (OwStatLateCase, 1);
      const char *case_no;
      guint32 state, promised, days;

      g_variant_get_child (late, i, "(&suuu)", &case_no, &state, &promised, &days);
      item->case_no = g_strdup (case_no);
      item->state = ow_case_state_to_string ((OwCaseState) state) != NULL ? (OwCaseState) state
                                                                          : OW_CASE_STATE_ACCEPTED;
      set_julian (&item->promised_date, promised);
      item->working_days_late = days;
      g_ptr_array_add (statistics->overdue_cases, item);
    }
  groups_from_dict (&dict, "overdue-by-days", statistics->overdue_by_days);
  groups_from_dict (&dict, "overdue-by-week", statistics->overdue_by_week);
  groups_from_dict (&dict, "due-by-days", statistics->due_by_days);

  statistics->catalog_revision = lookup_int (&dict, "catalog-revision");
  statistics->catalog_items = lookup_int (&dict, "catalog-items");
  statistics->catalog_zero_trip_items = lookup_int (&dict, "catalog-zero-trip-items");
  hall_indicator = g_variant_dict_lookup_value (&dict, "hall-indicator",
                                                G_VARIANT_TYPE (INDICATOR_TYPE));
  if (hall_indicator != NULL)
    indicator_from_variant (hall_indicator, &statistics->hall_indicator);
  indicators = g_variant_dict_lookup_value (&dict, "indicators",
                                            G_VARIANT_TYPE ("a" INDICATOR_TYPE));
  for (gsize i = 0; indicators != NULL && i < g_variant_n_children (indicators); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (indicators, i);
      OwStatIndicator *indicator = g_new0 (OwStatIndicator, 1);

      indicator_from_variant (child, indicator);
      g_ptr_array_add (statistics->indicators, indicator);
    }
  groups_from_dict (&dict, "usage-by-month", statistics->usage_by_month);

  statistics->tickets_open = lookup_int (&dict, "tickets-open");
  statistics->tickets_overdue = lookup_int (&dict, "tickets-overdue");
  statistics->ratings_total = lookup_int (&dict, "ratings-total");
  statistics->ratings_poor = lookup_int (&dict, "ratings-poor");
  statistics->ratings_unfollowed = lookup_int (&dict, "ratings-unfollowed");
  groups_from_dict (&dict, "ratings-by-level", statistics->ratings_by_level);
  groups_from_dict (&dict, "ratings-by-counter", statistics->ratings_by_counter);
  groups_from_dict (&dict, "ratings-by-clerk", statistics->ratings_by_clerk);
  groups_from_dict (&dict, "ratings-by-item", statistics->ratings_by_item);
  g_variant_dict_clear (&dict);
  return g_steal_pointer (&statistics);
}

GVariant *
ow_case_counts_serialize (const OwCaseCounts *counts)
{
  GVariantDict dict;

  g_return_val_if_fail (counts != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "by", "s", ow_case_count_by_to_string (counts->by));
  g_variant_dict_insert (&dict, "total", "x", counts->total);
  g_variant_dict_insert_value (&dict, "groups", groups_to_variant (counts->groups));
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

OwCaseCounts *
ow_case_counts_deserialize (GVariant  *variant,
                            GError   **error)
{
  g_autoptr(OwCaseCounts) counts = NULL;
  GVariantDict dict;
  const char *by_name = NULL;
  OwCaseCountBy by;

  if (!check_dictionary (variant, _("counts"), error))
    return NULL;
  g_variant_dict_init (&dict, variant);
  if (!g_variant_dict_lookup (&dict, "by", "&s", &by_name) ||
      !ow_case_count_by_from_string (by_name, &by))
    {
      g_variant_dict_clear (&dict);
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("The kept counts do not say what they count by"));
      return NULL;
    }
  counts = ow_case_counts_new (by);
  counts->total = lookup_int (&dict, "total");
  groups_from_dict (&dict, "groups", counts->groups);
  g_variant_dict_clear (&dict);
  return g_steal_pointer (&counts);
}

GVariant *
ow_rating_record_serialize (const OwRatingRecord *record)
{
  GVariantDict dict;

  g_return_val_if_fail (record != NULL && record->id != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", record->id);
  if (record->case_no != NULL)
    g_variant_dict_insert (&dict, "case-no", "s", record->case_no);
  if (record->channel != NULL)
    g_variant_dict_insert (&dict, "channel", "s", record->channel);
  g_variant_dict_insert (&dict, "level", "u", record->level);
  if (record->text != NULL)
    g_variant_dict_insert (&dict, "text", "s", record->text);
  if (record->at != NULL)
    g_variant_dict_insert (&dict, "at", "x", g_date_time_to_unix (record->at));
  g_variant_dict_insert (&dict, "counter", "u", record->counter);
  if (record->clerk != NULL)
    g_variant_dict_insert (&dict, "clerk", "s", record->clerk);
  if (record->clerk_name != NULL)
    g_variant_dict_insert (&dict, "clerk-name", "s", record->clerk_name);
  if (record->item_id != NULL)
    g_variant_dict_insert (&dict, "item-id", "s", record->item_id);
  if (record->item_name != NULL)
    g_variant_dict_insert (&dict, "item-name", "s", record->item_name);
  if (record->ticket_id != NULL)
    g_variant_dict_insert (&dict, "ticket-id", "s", record->ticket_id);
  g_variant_dict_insert (&dict, "ticket-state", "u", (guint32) record->ticket_state);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static char *
lookup_string (GVariantDict *dict,
               const char   *key)
{
  const char *value = NULL;

  return g_variant_dict_lookup (dict, key, "&s", &value) ? g_strdup (value) : NULL;
}

OwRatingRecord *
ow_rating_record_deserialize (GVariant  *variant,
                              GError   **error)
{
  g_autoptr(OwRatingRecord) record = NULL;
  GVariantDict dict;
  gint64 at;
  guint32 state = 0;

  if (!check_dictionary (variant, _("rating"), error))
    return NULL;
  record = g_new0 (OwRatingRecord, 1);
  g_variant_dict_init (&dict, variant);
  record->id = lookup_string (&dict, "id");
  record->case_no = lookup_string (&dict, "case-no");
  record->channel = lookup_string (&dict, "channel");
  record->level = lookup_uint (&dict, "level");
  record->text = lookup_string (&dict, "text");
  if (g_variant_dict_lookup (&dict, "at", "x", &at))
    record->at = g_date_time_new_from_unix_utc (at);
  record->counter = lookup_uint (&dict, "counter");
  record->clerk = lookup_string (&dict, "clerk");
  record->clerk_name = lookup_string (&dict, "clerk-name");
  record->item_id = lookup_string (&dict, "item-id");
  record->item_name = lookup_string (&dict, "item-name");
  record->ticket_id = lookup_string (&dict, "ticket-id");
  g_variant_dict_lookup (&dict, "ticket-state", "u", &state);
  record->ticket_state = ow_ticket_state_to_string ((OwTicketState) state) != NULL
                           ? (OwTicketState) state : 0;
  g_variant_dict_clear (&dict);
  if (record->id == NULL || record->level < 1 || record->level > 5)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("A kept rating has no id or a level outside 1 to 5"));
      return NULL;
    }
  return g_steal_pointer (&record);
}
