/* ow-platform-demo.c — seeds the demo catalog, the national calendar and the demo users
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "core/ow-catalog.h"
#include "net/ow-json.h"
#include "platform/ow-platform-catalog.h"
#include "platform/ow-platform-demo.h"

/* Seed files are small; anything larger is not the file we ship. */
#define MAX_SEED_FILE (16 * 1024 * 1024)

typedef struct
{
  const char *username;
  const char *display_name;
  const char *role;
  guint       counter;
  const char *department;  /* as data/catalog.json's items name it, for department users */
} DemoUser;

/* Two departments, so that each sees its own cases and tickets and not the other's: market
 * regulation has the items a demo of the counter uses most (a company, a restaurant's food
 * licence), medical insurance those of a resident. */
static const DemoUser demo_users[] = {
  { "clerk",       "王小明", "clerk",      7, NULL },
  { "pickup",      "李娜",   "pickup",     0, NULL },
  { "supervisor",  "陈静",   "supervisor", 0, NULL },
  { "department",  "赵强",   "department", 0, "海口市市场监督管理局" },
  { "department2", "林芳",   "department", 0, "海口市医疗保障局" },
};

static char *
read_seed_file (const char  *data_dir,
                const char  *name,
                gsize       *length,
                GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, name, NULL);
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &local_error))
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                   _("Cannot read %s: %s (pass --data-dir with the folder that holds it)"), path,
                   local_error->message);
      return NULL;
    }
  if (*length > MAX_SEED_FILE)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA, _("%s is larger than %d MiB"),
                   path, MAX_SEED_FILE / (1024 * 1024));
      g_free (contents);
      return NULL;
    }
  return contents;
}

/* Stores the catalog in @data_dir/@name as a new revision unless it is the newest already;
 * @revision, when not NULL, is set to the newest revision afterwards. */
static gboolean
import_catalog (OwPlatformDb  *db,
                const char    *data_dir,
                const char    *name,
                gint64        *revision_out,
                GError       **error)
{
  g_autofree char *path = g_build_filename (data_dir, name, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                   _("Cannot read %s: there is no such file (pass --data-dir with the folder "
                     "that holds it)"), path);
      return FALSE;
    }
  return ow_platform_catalog_import (db, path, revision_out, error);
}

gboolean
ow_platform_demo_import_catalog (OwPlatformDb  *db,
                                 const char    *path,
                                 gint64        *revision,
                                 GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);

  return import_catalog (db, dir, name, revision, error);
}

gboolean
ow_platform_demo_seed_catalog (OwPlatformDb  *db,
                               const char    *data_dir,
                               GError       **error)
{
  return import_catalog (db, data_dir, "catalog.json", NULL, error);
}

static gboolean
parse_tsv_date (const char *text,
                int        *year)
{
  guint y, m, d;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  y = (guint) g_ascii_strtoull (text, NULL, 10);
  m = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (y < 1 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  *year = (int) y;
  return TRUE;
}

gboolean
ow_platform_demo_seed_calendar (OwPlatformDb  *db,
                                const char    *data_dir,
                                GError       **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) changed_years = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer year_key;
  gsize length;

  if ((contents = read_seed_file (data_dir, "cn-holidays.tsv", &length, error)) == NULL)
    return FALSE;
  if (!g_utf8_validate (contents, (gssize) length, NULL))
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                   _("cn-holidays.tsv in %s is not UTF-8 text"), data_dir);
      return FALSE;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = NULL;
      char *line = g_strchomp (lines[i]);
      gboolean changed;
      int year;

      if (*line == '\0' || *line == '#')
        continue;

      columns = g_strsplit (line, "\t", 3);
      if (g_strv_length (columns) != 3 || !parse_tsv_date (columns[0], &year) ||
          (!g_str_equal (columns[1], "off") && !g_str_equal (columns[1], "work")))
        {
          g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                       _("cn-holidays.tsv line %u is not “YYYY-MM-DD<TAB>off|work<TAB>name”"),
                       i + 1);
          return FALSE;
        }

      if (!ow_platform_db_set_day (db, "", columns[0], columns[1], columns[2], &changed, error) ||
          !ow_platform_db_mark_published (db, year, error))
        return FALSE;
      if (changed)
        g_hash_table_add (changed_years, GINT_TO_POINTER (year));
    }

  /* Clients learn from the feed which years to fetch again. */
  g_hash_table_iter_init (&iter, changed_years);
  while (g_hash_table_iter_next (&iter, &year_key, NULL))
    {
      g_autofree char *key = g_strdup_printf ("%d", GPOINTER_TO_INT (year_key));

      if (!ow_platform_db_append_change (db, "calendar", key, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
seed_users (OwPlatformDb  *db,
            GError       **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      g_autoptr(OwPlatformUser) existing = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *roles[] = { demo_users[i].role, NULL };
      char hash[crypto_pwhash_STRBYTES];
      OwPlatformUser user = { 0, };

      existing = ow_platform_db_lookup_user (db, demo_users[i].username, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Hashing is deliberately slow: only do it for users not there yet. A department user
       * seeded before users had departments gets theirs. */
      if (existing != NULL)
        {
          if (existing->department == NULL && demo_users[i].department != NULL &&
              !ow_platform_db_set_user_department (db, demo_users[i].username,
                                                   demo_users[i].department, NULL, error))
            return FALSE;
          continue;
        }

      if (crypto_pwhash_str (hash, OW_DEMO_PASSWORD, strlen (OW_DEMO_PASSWORD),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        {
          g_set_error_literal (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                               _("Out of memory while hashing the demo passwords"));
          return FALSE;
        }

      user.username = (char *) demo_users[i].username;
      user.display_name = (char *) demo_users[i].display_name;
      user.password_hash = hash;
      user.roles = (char **) roles;
      user.hall = (char *) OW_DEMO_HALL;
      user.hall_name = (char *) OW_DEMO_HALL_NAME;
      user.counter = demo_users[i].counter;
      user.department = (char *) demo_users[i].department;
      if (!ow_platform_db_add_user (db, &user, NULL, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
ow_platform_demo_seed (OwPlatformDb  *db,
                       const char    *data_dir,
                       GError       **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (data_dir != NULL, FALSE);

  /* One transaction: a half-seeded database is never left behind, and processes starting at once
   * on one database seed it once. The users (slow to hash) come first: appending to the changes
   * feed (the catalog, then the calendar's years) holds the feed for others until the commit. */
  if (!ow_platform_db_begin (db, error))
    return FALSE;
  if (!seed_users (db, error) ||
      !ow_platform_demo_seed_catalog (db, data_dir, error) ||
      !ow_platform_demo_seed_calendar (db, data_dir, error) ||
      !ow_platform_db_commit (db, error))
    {
      ow_platform_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

char *
ow_platform_demo_describe_users (void)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      g_autofree char *counter = NULL;
      g_autofree char *department = NULL;

      if (demo_users[i].counter != 0)
        counter = g_strdup_printf (", counter %u", demo_users[i].counter);
      if (demo_users[i].department != NULL)
        department = g_strdup_printf (", department %s", demo_users[i].department);
      g_string_append_printf (text, "demo user %s (%s), role %s, hall %s %s%s%s, password “%s”\n",
                              demo_users[i].username, demo_users[i].display_name,
                              demo_users[i].role, OW_DEMO_HALL, OW_DEMO_HALL_NAME,
                              counter != NULL ? counter : "", department != NULL ? department : "",
                              OW_DEMO_PASSWORD);
    }
  return g_string_free (text, FALSE);
}
