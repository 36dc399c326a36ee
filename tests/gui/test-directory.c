/* test-directory.c — how the interface names the hall's people: never by their log-in name
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The directory without a platform (no client): what it is told, and what it says of someone it
 * does not know. The platform's answer itself is tested in tests/gui/test-tickets.c.
 */

#include "config.h"

#include "gui/shell/ow-directory.h"

static void
count_cb (OwDirectory *directory,
          guint       *changes)
{
  (*changes)++;
}

static void
test_names (void)
{
  char *department_role[] = { "department", NULL };
  char *supervisor_role[] = { "supervisor", NULL };
  OwUser zhao = { .username = "department", .display_name = "赵强", .roles = department_role,
                  .department = "海口市市场监督管理局" };
  OwUser qian = { .username = "market.colleague", .display_name = "钱伟",
                  .roles = department_role, .department = "海口市市场监督管理局" };
  OwUser lin = { .username = "department2", .display_name = "林芳", .roles = department_role,
                 .department = "海口市医疗保障局" };
  OwUser chen = { .username = "supervisor", .display_name = "陈静", .roles = supervisor_role };
  g_autoptr(OwDirectory) directory = ow_directory_new (NULL);
  g_autoptr(GPtrArray) hall = g_ptr_array_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *named = NULL;
  guint changes = 0;

  g_signal_connect (directory, "changed", G_CALLBACK (count_cb), &changes);

  /* Logged in: the session's user is known at once, before the platform answers. */
  ow_directory_reset (directory, &zhao);
  g_assert_cmpuint (changes, ==, 1);
  named = ow_directory_describe (directory, "department");
  g_assert_cmpstr (named, ==, "赵强 · 海口市市场监督管理局");
  g_clear_pointer (&named, g_free);
  /* Someone it does not know is not named by their log-in name. */
  named = ow_directory_describe (directory, "department2");
  g_assert_cmpstr (named, ==, "Unknown user");
  g_clear_pointer (&named, g_free);
  g_assert_null (ow_directory_lookup (directory, "department2"));

  /* The hall's answer, without the session's user: it stays known. */
  g_ptr_array_add (hall, &lin);
  g_ptr_array_add (hall, &chen);
  g_ptr_array_add (hall, &qian);
  ow_directory_set_users (directory, hall);
  g_assert_cmpuint (changes, ==, 2);
  named = ow_directory_describe (directory, "department2");
  g_assert_cmpstr (named, ==, "林芳 · 海口市医疗保障局");
  g_clear_pointer (&named, g_free);
  /* A person of no department is named alone. */
  named = ow_directory_describe (directory, "supervisor");
  g_assert_cmpstr (named, ==, "陈静");
  g_clear_pointer (&named, g_free);
  g_assert_nonnull (ow_directory_lookup (directory, "department"));
  listed = ow_directory_list (directory);
  g_assert_cmpuint (listed->len, ==, 4);
  g_assert_cmpstr (((OwUser *) listed->pdata[0])->username, ==, "department");
  g_assert_cmpstr (((OwUser *) listed->pdata[3])->username, ==, "supervisor");

  /* Colleagues: the same department, and only a department's user has one. */
  g_assert_true (ow_directory_same_department (directory, &zhao, "market.colleague"));
  g_assert_false (ow_directory_same_department (directory, &zhao, "department2"));
  g_assert_false (ow_directory_same_department (directory, &zhao, "nobody"));
  g_assert_false (ow_directory_same_department (directory, &chen, "supervisor"));

  /* Logged out: only what the next session is told. */
  ow_directory_reset (directory, NULL);
  g_assert_null (ow_directory_lookup (directory, "department2"));
  g_assert_null (ow_directory_lookup (directory, "department"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/directory/names", test_names);
  return g_test_run ();
}
