/* test-reform.c — channels, which of them take no trip, and the reform plan's targets
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-item.h"
#include "core/ow-reform.h"

static void
test_channels (void)
{
  static const char * const names[] = { "window", "online", "mobile", "self-service", "post" };
  guint zero_trip = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      OwCaseChannel channel = OW_CASE_CHANNEL_NONE;

      g_assert_true (ow_case_channel_from_string (names[i], &channel));
      g_assert_cmpint (channel, ==, i + 1);
      g_assert_cmpstr (ow_case_channel_to_string (channel), ==, names[i]);
      g_assert_nonnull (ow_case_channel_to_label (channel));
      g_assert_nonnull (ow_case_channel_to_chinese (channel));
      zero_trip += ow_case_channel_is_zero_trip (channel);
    }
  g_assert_cmpuint (zero_trip, ==, 3);
  g_assert_true (ow_case_channel_is_zero_trip (OW_CASE_CHANNEL_ONLINE));
  g_assert_false (ow_case_channel_is_zero_trip (OW_CASE_CHANNEL_SELF_SERVICE));
  /* Not recorded: a case from before channels, made at a counter. */
  g_assert_false (ow_case_channel_is_zero_trip (OW_CASE_CHANNEL_NONE));
  g_assert_null (ow_case_channel_to_string (OW_CASE_CHANNEL_NONE));
  g_assert_null (ow_case_channel_to_string (OW_CASE_CHANNEL_LAST + 1));
  g_assert_false (ow_case_channel_from_string ("Window", NULL));
  g_assert_false (ow_case_channel_from_string ("", NULL));
  g_assert_false (ow_case_channel_from_string (NULL, NULL));
}

static void
test_targets (void)
{
  double availability = -1, usage = -1;
  gboolean at_least = TRUE;

  g_assert_false (ow_reform_get_targets (2020, &availability, &usage, &at_least));
  g_assert_true (ow_reform_get_targets (2021, &availability, &usage, &at_least));
  g_assert_cmpfloat (availability, ==, 0.50);
  g_assert_cmpfloat (usage, ==, 0.50);
  g_assert_false (at_least);
  g_assert_true (ow_reform_get_targets (2022, &availability, &usage, NULL));
  g_assert_cmpfloat (availability, ==, 0.65);
  g_assert_cmpfloat (usage, ==, 0.60);
  g_assert_true (ow_reform_get_targets (2023, &availability, &usage, NULL));
  g_assert_cmpfloat (availability, ==, 0.80);
  g_assert_cmpfloat (usage, ==, 0.70);
  /* 2024's floors hold from then on. */
  for (int year = 2024; year <= 2030; year++)
    {
      g_assert_true (ow_reform_get_targets (year, &availability, &usage, &at_least));
      g_assert_cmpfloat (availability, ==, 0.95);
      g_assert_cmpfloat (usage, ==, 0.80);
      g_assert_true (at_least);
    }
}

static void
test_reform_types (void)
{
  static const char * const reform[] = { "01", "05", "07", "08", "09", "10", "20" };
  static const char * const others[] = { "02", "03", "04", "06" };

  for (guint i = 0; i < G_N_ELEMENTS (reform); i++)
    {
      OwItemType type;

      g_assert_true (ow_item_type_from_code (reform[i], &type));
      g_assert_true (ow_item_type_is_reform (type));
    }
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      OwItemType type;

      g_assert_true (ow_item_type_from_code (others[i], &type));
      g_assert_false (ow_item_type_is_reform (type));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reform/channels", test_channels);
  g_test_add_func ("/reform/targets", test_targets);
  g_test_add_func ("/reform/types", test_reform_types);
  return g_test_run ();
}
