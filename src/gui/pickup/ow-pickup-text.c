/* ow-pickup-text.c — what the pick-up window says of a case: its wait, its results, where it is
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-lookup.h"
#include "gui/pickup/ow-pickup-text.h"

char *
ow_pickup_describe_wait (gint64 since,
                         gint64 now)
{
  gint64 hours, days;

  if (since <= 0)
    return NULL;
  hours = MAX (now - since, 0) / ((gint64) 3600 * G_USEC_PER_SEC);
  days = hours / 24;
  if (days > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "waiting %u day", "waiting %u days",
                                         (gulong) days), (guint) days);
  if (hours > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "waiting %u hour", "waiting %u hours",
                                         (gulong) hours), (guint) hours);
  return g_strdup (_("ready just now"));
}

char *
ow_pickup_describe_items (OwCase *kase)
{
  GPtrArray *items = ow_case_get_items (kase);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);

      if (names->len > 0)
        g_string_append (names, "、");
      g_string_append (names, item->name != NULL ? item->name : item->item_id);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

char *
ow_pickup_describe_result (OwStorePickupCase *pickup,
                           OwCatalog         *catalog)
{
  GPtrArray *items = ow_case_get_items (pickup->kase);
  g_autoptr(GString) results = g_string_new (NULL);

  /* The decision itself is what a refused applicant takes home. */
  if (pickup->decision == OW_CASE_EVENT_NOT_APPROVED)
    return g_strdup ("不予许可决定书");
  for (guint i = 0; i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);
      OwItem *known = catalog != NULL ? ow_catalog_lookup (catalog, item->item_id) : NULL;
      const char *name = known != NULL ? ow_item_get_result_name (known) : NULL;

      if (name == NULL || *name == '\0')
        continue;
      if (results->len > 0)
        g_string_append (results, "、");
      g_string_append (results, name);
    }
  if (results->len == 0)
    g_string_append (results, "办理结果文书");
  return g_string_free (g_steal_pointer (&results), FALSE);
}

char *
ow_pickup_describe_whereabouts (OwCase      *kase,
                                OwCalendar  *calendar,
                                const GDate *today)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) departments = g_string_new (NULL);
  GPtrArray *items = ow_case_get_items (kase);
  const GDate *promised = ow_case_get_promised_date (kase);
  int days;

  /* Translators: %s is a case's state, such as "Accepted, under review" */
  g_string_append_printf (text, _("State: %s"), ow_case_state_to_label (ow_case_get_state (kase)));
  for (guint i = 0; i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);

      if (item->department == NULL || !g_hash_table_add (seen, item->department))
        continue;
      if (departments->len > 0)
        g_string_append (departments, "、");
      g_string_append (departments, item->department);
    }
  if (departments->len > 0)
    {
      g_string_append_c (text, '\n');
      /* Translators: %s names the departments that decide the case */
      g_string_append_printf (text, _("Decided by: %s"), departments->str);
    }
  if (promised != NULL && g_date_valid (promised))
    {
      char date[16];

      g_date_strftime (date, sizeof date, "%Y-%m-%d", promised);
      g_string_append_c (text, '\n');
      /* Translators: %s is the promised completion date */
      g_string_append_printf (text, _("Promised by: %s"), date);
      if (calendar != NULL && today != NULL && ow_case_state_clock_runs (ow_case_get_state (kase))
          && ow_case_working_days_left (kase, calendar, today, &days))
        {
          g_string_append (text, " · ");
          if (days > 0)
            g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                       "%d working day left",
                                                       "%d working days left", days), days);
          else if (days == 0 && g_date_compare (today, promised) <= 0)
            g_string_append (text, _("due today"));
          else if (days == 0)
            g_string_append (text, _("past the promised date, no working day late yet"));
          else
            g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                       "%d working day late",
                                                       "%d working days late", -days), -days);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
