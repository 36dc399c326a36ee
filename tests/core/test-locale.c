/* test-locale.c — the session's language from the build tree as from an installed program
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "core/ow-locale.h"

static void
test_dir_for (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("ow-locale-XXXXXX", NULL);
  g_autofree char *build = g_build_filename (tmp, "_build", NULL);
  g_autofree char *src = g_build_filename (build, "src", NULL);
  g_autofree char *gui = g_build_filename (src, "gui", NULL);
  g_autofree char *exe = g_build_filename (gui, "onewindow", NULL);
  g_autofree char *old = g_build_filename (tmp, "_build-old", NULL);
  g_autofree char *old_exe = g_build_filename (old, "onewindow", NULL);
  g_autofree char *link = g_build_filename (tmp, "link", NULL);
  g_autofree char *linked_exe = g_build_filename (link, "src", "gui", "onewindow", NULL);
  g_autofree char *po = g_build_filename (build, "po", NULL);
  g_autofree char *got = NULL;

  g_assert_cmpint (g_mkdir_with_parents (gui, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (old, 0700), ==, 0);
  g_assert_true (g_file_set_contents (exe, "", 0, NULL));
  g_assert_true (g_file_set_contents (old_exe, "", 0, NULL));
  g_assert_cmpint (symlink (build, link), ==, 0);

  /* Started from the build tree: the catalogues meson compiled there. */
  got = ow_locale_dir_for (exe, build, "/usr/share/locale");
  g_assert_cmpstr (got, ==, po);
  g_clear_pointer (&got, g_free);
  /* The same program reached through a link to the tree. */
  got = ow_locale_dir_for (linked_exe, build, "/usr/share/locale");
  g_assert_cmpstr (got, ==, po);
  g_clear_pointer (&got, g_free);
  /* Installed, or a tree whose name merely starts alike: the installed catalogues. */
  got = ow_locale_dir_for ("/usr/bin/onewindow", build, "/usr/share/locale");
  g_assert_cmpstr (got, ==, "/usr/share/locale");
  g_clear_pointer (&got, g_free);
  got = ow_locale_dir_for (old_exe, build, "/usr/share/locale");
  g_assert_cmpstr (got, ==, "/usr/share/locale");
  g_clear_pointer (&got, g_free);
  got = ow_locale_dir_for (NULL, build, "/usr/share/locale");
  g_assert_cmpstr (got, ==, "/usr/share/locale");

  g_unlink (link);
  g_unlink (exe);
  g_unlink (old_exe);
  g_rmdir (gui);
  g_rmdir (src);
  g_rmdir (build);
  g_rmdir (old);
  g_rmdir (tmp);
}

static void
test_language_of (void)
{
  g_autofree char *zh = ow_locale_language_of ("zh_CN.UTF-8");
  g_autofree char *at = ow_locale_language_of ("sr_RS@latin");
  g_autofree char *plain = ow_locale_language_of ("en_GB");

  g_assert_cmpstr (zh, ==, "zh_CN");
  g_assert_cmpstr (at, ==, "sr_RS");
  g_assert_cmpstr (plain, ==, "en_GB");
  g_assert_null (ow_locale_language_of ("C"));
  g_assert_null (ow_locale_language_of ("C.UTF-8"));
  g_assert_null (ow_locale_language_of ("POSIX"));
  g_assert_null (ow_locale_language_of (""));
  g_assert_null (ow_locale_language_of (NULL));
}

/* This test program lives in the build tree: it must find the Chinese catalogue meson built
 * there, as the app started by tools/demo does, also when the machine lacks the zh_CN locale
 * (this one has only C.UTF-8). */
static void
test_init_chinese (void)
{
  if (g_test_subprocess ())
    {
      g_unsetenv ("LC_ALL");
      g_unsetenv ("LC_MESSAGES");
      g_unsetenv ("LANGUAGE");
      g_setenv ("LANG", "zh_CN.UTF-8", TRUE);
      ow_locale_init ();
      g_print ("%s\n", _("Log In"));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("登录\n");
}

/* LANGUAGE, as the e2e tests set it, wins over an English locale. */
static void
test_init_language (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("LC_ALL", "C.UTF-8", TRUE);
      g_setenv ("LANGUAGE", "zh_CN", TRUE);
      ow_locale_init ();
      g_print ("%s\n", _("Log In"));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("登录\n");
}

static void
test_init_english (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("LC_ALL", "C.UTF-8", TRUE);
      g_unsetenv ("LANGUAGE");
      ow_locale_init ();
      g_print ("%s\n", _("Log In"));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("Log In\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/locale/dir-for", test_dir_for);
  g_test_add_func ("/locale/language-of", test_language_of);
  g_test_add_func ("/locale/init-chinese", test_init_chinese);
  g_test_add_func ("/locale/init-language", test_init_language);
  g_test_add_func ("/locale/init-english", test_init_english);

  return g_test_run ();
}
