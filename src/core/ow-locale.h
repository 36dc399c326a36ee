/* ow-locale.h — the session's language for a program, from a build tree or installed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds the message catalogue of GETTEXT_PACKAGE:
 * the build tree's (where meson compiles po/ into <build>/po/<lang>/LC_MESSAGES) when the
 * running program lies in the build tree, as from tools/demo or the tests, and the installed
 * one (LOCALEDIR) otherwise. A locale the machine does not have (LANG=zh_CN.UTF-8 without
 * locale-gen) still gives its language: the messages follow LANGUAGE under C.UTF-8. */
void   ow_locale_init         (void);

/* The folder whose <lang>/LC_MESSAGES holds the catalogue for the program at @executable
 * (an absolute path): @build_root/po when @executable lies under @build_root, else
 * @installed. */
char  *ow_locale_dir_for      (const char *executable,
                               const char *build_root,
                               const char *installed);

/* The language part of a locale name as LANGUAGE wants it: "zh_CN" of "zh_CN.UTF-8@x";
 * NULL for "C", "POSIX" and empty names. */
char  *ow_locale_language_of  (const char *locale);

G_END_DECLS
