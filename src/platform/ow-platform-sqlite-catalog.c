/* ow-platform-sqlite-catalog.c — the reference platform's catalog on SQLite, item by item
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * catalog_entries: every item ever listed, with the place it first had (first revision × 2^24 +
 * its position in that file) and the last revision that listed it. catalog_versions: an item's
 * body in each revision that changed it, NULL in the revision that dropped it. The item as
 * revision R has it is its newest version at or before R.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "platform/ow-platform-sqlite-private.h"

#define PLACE_FACTOR OW_PLATFORM_CATALOG_PLACES

gboolean
ow_platform_sqlite_get_catalog (OwPlatformDb  *base,
                            gint64        *revision,
                            char         **header,
                            char         **source,
                            GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  int rc;

  *revision = 0;
  if (header != NULL)
    *header = NULL;
  if (source != NULL)
    *source = NULL;

  stmt = ow_platform_sqlite_prepare (db,
                                 "SELECT revision, body, source FROM catalog_revisions ORDER BY "
                                 "revision DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *revision = sqlite3_column_int64 (stmt, 0);
      if (header != NULL)
        *header = ow_platform_sqlite_column_dup (stmt, 1);
      if (source != NULL)
        *source = ow_platform_sqlite_column_dup (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}

gboolean
ow_platform_sqlite_get_catalog_header (OwPlatformDb  *base,
                                   gint64         revision,
                                   char         **header,
                                   GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  int rc;

  *header = NULL;
  stmt = ow_platform_sqlite_prepare (db, "SELECT body FROM catalog_revisions WHERE revision = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *header = ow_platform_sqlite_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}

/* ---- importing -------------------------------------------------------------------------- */

gboolean
ow_platform_sqlite_put_catalog_item (OwPlatformDb  *base,
                                 gint64         revision,
                                 guint          position,
                                 const char    *id,
                                 const char    *body,
                                 gint64         legal_limit,
                                 gint64         visits,
                                 gboolean      *duplicate,
                                 GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  gboolean known = FALSE, same = FALSE;
  int rc;

  *duplicate = FALSE;

  stmt = ow_platform_sqlite_prepare (db, "SELECT last_seen FROM catalog_entries WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      known = TRUE;
      *duplicate = sqlite3_column_int64 (stmt, 0) == revision;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  if (*duplicate)
    return TRUE;

  if (known)
    stmt = ow_platform_sqlite_prepare (db, "UPDATE catalog_entries SET last_seen = ?2 WHERE id = ?1",
                                   error);
  else
    stmt = ow_platform_sqlite_prepare (db, "INSERT INTO catalog_entries (id, last_seen, place) "
                                       "VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, revision);
  if (!known)
    sqlite3_bind_int64 (stmt, 3, revision * PLACE_FACTOR + position);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;

  /* Only a change is a new version. */
  stmt = ow_platform_sqlite_prepare (db, "SELECT body FROM catalog_versions WHERE id = ? AND "
                                     "revision < ? ORDER BY revision DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    same = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), body) == 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  if (same)
    return TRUE;

  stmt = ow_platform_sqlite_prepare (db, "INSERT INTO catalog_versions (id, revision, body, "
                                     "legal_limit, visits) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, revision);
  ow_platform_sqlite_bind_text (stmt, 3, body);
  sqlite3_bind_int64 (stmt, 4, legal_limit);
  sqlite3_bind_int64 (stmt, 5, visits);
  return ow_platform_sqlite_step_done (db, stmt, error);
}

static gboolean
run_with_two (OwPlatformSqlite *db,
              const char    *sql,
              gint64         a,
              gint64         b,
              GError       **error)
{
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  return ow_platform_sqlite_step_done (db, stmt, error);
}

gboolean
ow_platform_sqlite_finish_catalog (OwPlatformDb  *base,
                               gint64         revision,
                               gint64         final_revision,
                               const char    *header,
                               const char    *source,
                               guint         *changed,
                               GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autofree char *revision_text = NULL;
  sqlite3_stmt *stmt;
  int rc;

  *changed = 0;
  /* What the file no longer lists is removed in this revision. */
  stmt = ow_platform_sqlite_prepare (db, "INSERT INTO catalog_versions (id, revision, body) "
                                     "SELECT e.id, ?1, NULL FROM catalog_entries e "
                                     "WHERE e.last_seen < ?1 AND (SELECT v.body FROM "
                                     "  catalog_versions v WHERE v.id = e.id "
                                     "  ORDER BY v.revision DESC LIMIT 1) IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, revision);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;

  if (final_revision != revision)
    {
      if (!run_with_two (db, "UPDATE catalog_versions SET revision = ?2 WHERE revision = ?1",
                         revision, final_revision, error)
          || !run_with_two (db, "UPDATE catalog_entries SET last_seen = ?2 WHERE last_seen = ?1",
                            revision, final_revision, error)
          || !run_with_two (db, "UPDATE catalog_entries SET place = ?2 * 16777216 + place % "
                                "16777216 WHERE place / 16777216 = ?1",
                            revision, final_revision, error))
        return FALSE;
    }

  stmt = ow_platform_sqlite_prepare (db, "INSERT INTO catalog_revisions (revision, body, source) "
                                     "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, final_revision);
  ow_platform_sqlite_bind_text (stmt, 2, header);
  ow_platform_sqlite_bind_text (stmt, 3, source);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;

  stmt = ow_platform_sqlite_prepare (db, "SELECT count(*) FROM catalog_versions WHERE revision = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, final_revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *changed = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");

  revision_text = g_strdup_printf ("%" G_GINT64_FORMAT, final_revision);
  return ow_platform_sqlite_append_change_for (&db->parent, "catalog", revision_text, NULL, NULL,
                                              NULL, error);
}

gboolean
ow_platform_sqlite_catalog_has_item (OwPlatformDb  *base,
                                 gint64         revision,
                                 const char    *item_id,
                                 gboolean      *found,
                                 GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  stmt = ow_platform_sqlite_prepare (db, "SELECT body IS NOT NULL FROM catalog_versions WHERE id = ? "
                                     "AND revision <= ? ORDER BY revision DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, item_id);
  sqlite3_bind_int64 (stmt, 2, revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *found = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}

/* ---- reading ---------------------------------------------------------------------------- */

GPtrArray *
ow_platform_sqlite_list_catalog_items (OwPlatformDb  *base,
                                   gint64         revision,
                                   gint64         since,
                                   gint64         after,
                                   guint          limit,
                                   GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) items = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (since <= 0)
    stmt = ow_platform_sqlite_prepare (db,
                                   "SELECT e.id, v.body, e.place FROM catalog_entries e "
                                   "JOIN catalog_versions v ON v.id = e.id AND v.revision = "
                                   "  (SELECT max (w.revision) FROM catalog_versions w "
                                   "   WHERE w.id = e.id AND w.revision <= ?1) "
                                   "WHERE e.place > ?2 AND v.body IS NOT NULL "
                                   "ORDER BY e.place LIMIT ?3", error);
  else
    stmt = ow_platform_sqlite_prepare (db,
                                   "SELECT e.id, v.body, e.place FROM catalog_entries e "
                                   "JOIN catalog_versions v ON v.id = e.id AND v.revision = "
                                   "  (SELECT max (w.revision) FROM catalog_versions w "
                                   "   WHERE w.id = e.id AND w.revision <= ?1) "
                                   "WHERE e.place > ?2 AND v.revision > ?4 "
                                   "AND (v.body IS NOT NULL OR (SELECT p.body FROM "
                                   "  catalog_versions p WHERE p.id = e.id AND p.revision <= ?4 "
                                   "  ORDER BY p.revision DESC LIMIT 1) IS NOT NULL) "
                                   "ORDER BY e.place LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, revision);
  sqlite3_bind_int64 (stmt, 2, after);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);
  if (since > 0)
    sqlite3_bind_int64 (stmt, 4, since);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_catalog_item_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformCatalogItem *item = g_new0 (OwPlatformCatalogItem, 1);

      item->id = ow_platform_sqlite_column_dup (stmt, 0);
      item->body = sqlite3_column_type (stmt, 1) != SQLITE_NULL
                   ? ow_platform_sqlite_column_dup (stmt, 1) : NULL;
      item->place = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&items);
}

gboolean
ow_platform_sqlite_get_item_legal_limit (OwPlatformDb  *base,
                                     const char    *item_id,
                                     gint64        *limit,
                                     gboolean      *found,
                                     GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  int rc;

  *limit = 0;
  *found = FALSE;
  stmt = ow_platform_sqlite_prepare (db, "SELECT legal_limit FROM catalog_versions WHERE id = ? AND "
                                     "body IS NOT NULL AND legal_limit IS NOT NULL "
                                     "ORDER BY revision DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, item_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *limit = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}

gboolean
ow_platform_sqlite_count_catalog_items (OwPlatformDb  *base,
                                    gint64         revision,
                                    gint64        *items,
                                    gint64        *zero_trip,
                                    GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;
  int rc;

  *items = 0;
  *zero_trip = 0;
  stmt = ow_platform_sqlite_prepare (db,
                                 "SELECT count (*), coalesce (sum (v.visits = 0), 0) "
                                 "FROM catalog_entries e JOIN catalog_versions v ON v.id = e.id "
                                 "AND v.revision = (SELECT max (w.revision) FROM catalog_versions "
                                 "  w WHERE w.id = e.id AND w.revision <= ?1) "
                                 "WHERE v.body IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *items = sqlite3_column_int64 (stmt, 0);
      *zero_trip = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  return TRUE;
}
