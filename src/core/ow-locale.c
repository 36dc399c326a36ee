/* ow-locale.c — the session's language for a program, from a build tree or installed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ow-locale.h"

/* @path made absolute and free of symbolic links and "..", or a copy when it does not exist. */
static char *
canonical (const char *path)
{
  char *resolved = realpath (path, NULL);
  char *copy;

  if (resolved == NULL)
    return g_canonicalize_filename (path, NULL);
  copy = g_strdup (resolved);
  free (resolved);
  return copy;
}

char *
ow_locale_dir_for (const char *executable,
                   const char *build_root,
                   const char *installed)
{
  g_autofree char *exe = NULL;
  g_autofree char *root = NULL;
  gsize n;

  g_return_val_if_fail (installed != NULL, NULL);

  if (executable == NULL || build_root == NULL || *build_root == '\0')
    return g_strdup (installed);
  exe = canonical (executable);
  root = canonical (build_root);
  n = strlen (root);
  /* Inside the folder, not merely a name that starts alike ("_build-old"). */
  if (strncmp (exe, root, n) == 0 && (exe[n] == G_DIR_SEPARATOR || root[n - 1] == G_DIR_SEPARATOR))
    return g_build_filename (root, "po", NULL);
  return g_strdup (installed);
}

char *
ow_locale_language_of (const char *locale)
{
  gsize n;

  if (locale == NULL || *locale == '\0' || g_str_equal (locale, "C")
      || g_str_equal (locale, "POSIX") || g_str_has_prefix (locale, "C."))
    return NULL;
  n = strcspn (locale, ".@");
  return n > 0 ? g_strndup (locale, n) : NULL;
}

/* The locale the environment asks for messages, as setlocale() reads it. */
static const char *
requested_messages_locale (void)
{
  const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_getenv (names[i]);

      if (value != NULL && *value != '\0')
        return value;
    }
  return NULL;
}

void
ow_locale_init (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = ow_locale_dir_for (exe, OW_BUILD_ROOT, LOCALEDIR);

  if (setlocale (LC_ALL, "") == NULL)
    {
      /* The machine lacks the locale (no locale-gen): gettext ignores LANGUAGE in plain "C",
       * not in C.UTF-8, so the language still shows. */
      g_autofree char *language = ow_locale_language_of (requested_messages_locale ());
      const char *asked = g_getenv ("LANGUAGE");

      setlocale (LC_ALL, "C.UTF-8");
      if (language != NULL && (asked == NULL || *asked == '\0'))
        g_setenv ("LANGUAGE", language, TRUE);
    }
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
