/* ow-platform-pg-catalog.c — the reference platform's catalog on PostgreSQL, item by item
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same tables and queries as on SQLite (ow-platform-sqlite-catalog.c): catalog_entries,
 * every item ever listed with the place it first had and the last revision that listed it;
 * catalog_versions, an item's body in each revision that changed it, NULL in the one that
 * dropped it. Imports run in the maintenance transaction, one process at a time; readers see
 * a revision whole or not at all.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "platform/ow-platform-pg-private.h"

gboolean
ow_platform_pg_get_catalog (OwPlatformDb  *base,
                            gint64        *revision,
                            char         **header,
                            char         **source,
                            GError       **error)
{
  g_autoptr(PGresult) result = NULL;

  *revision = 0;
  if (header != NULL)
    *header = NULL;
  if (source != NULL)
    *source = NULL;

  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT revision, body, source FROM catalog_revisions "
                                "ORDER BY revision DESC LIMIT 1", NULL, FALSE, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *revision = ow_pg_int (result, 0, 0);
      if (header != NULL)
        *header = ow_pg_dup (result, 0, 1);
      if (source != NULL)
        *source = ow_pg_dup (result, 0, 2);
    }
  return TRUE;
}

gboolean
ow_platform_pg_get_catalog_header (OwPlatformDb  *base,
                                   gint64         revision,
                                   char         **header,
                                   GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  *header = NULL;
  ow_pg_param_int (&params, revision);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT body FROM catalog_revisions WHERE revision = $1::bigint",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *header = ow_pg_dup (result, 0, 0);
  return TRUE;
}

gboolean
ow_platform_pg_put_catalog_item (OwPlatformDb  *base,
                                 gint64         revision,
                                 guint          position,
                                 const char    *id,
                                 const char    *body,
                                 gint64         legal_limit,
                                 gint64         visits,
                                 gboolean      *duplicate,
                                 GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) seen = NULL;
  g_autoptr(PGresult) before = NULL;
  OwPgParams by_id = { 0, };
  OwPgParams entry = { 0, };
  OwPgParams previous = { 0, };
  OwPgParams version = { 0, };
  gboolean known;

  *duplicate = FALSE;
  ow_pg_param_text (&by_id, id);
  seen = ow_platform_pg_exec (db, "SELECT last_seen FROM catalog_entries WHERE id = $1", &by_id,
                              FALSE, error);
  if (seen == NULL)
    return FALSE;
  known = PQntuples (seen) > 0;
  if (known && ow_pg_int (seen, 0, 0) == revision)
    {
      *duplicate = TRUE;
      return TRUE;
    }

  ow_pg_param_text (&entry, id);
  ow_pg_param_int (&entry, revision);
  if (known)
    {
      if (!ow_platform_pg_run (db, "UPDATE catalog_entries SET last_seen = $2::bigint "
                                   "WHERE id = $1", &entry, error))
        return FALSE;
    }
  else
    {
      ow_pg_param_int (&entry, revision * OW_PLATFORM_CATALOG_PLACES + position);
      if (!ow_platform_pg_run (db, "INSERT INTO catalog_entries (id, last_seen, place) "
                                   "VALUES ($1, $2::bigint, $3::bigint)", &entry, error))
        return FALSE;
    }

  /* Only a change is a new version. */
  ow_pg_param_text (&previous, id);
  ow_pg_param_int (&previous, revision);
  before = ow_platform_pg_exec (db, "SELECT body FROM catalog_versions WHERE id = $1 AND "
                                    "revision < $2::bigint ORDER BY revision DESC LIMIT 1",
                                &previous, FALSE, error);
  if (before == NULL)
    return FALSE;
  if (PQntuples (before) > 0 && !PQgetisnull (before, 0, 0)
      && g_strcmp0 (PQgetvalue (before, 0, 0), body) == 0)
    return TRUE;

  ow_pg_param_text (&version, id);
  ow_pg_param_int (&version, revision);
  ow_pg_param_text (&version, body);
  ow_pg_param_int (&version, legal_limit);
  ow_pg_param_int (&version, visits);
  return ow_platform_pg_run (db, "INSERT INTO catalog_versions (id, revision, body, legal_limit, "
                                 "visits) VALUES ($1, $2::bigint, $3, $4::bigint, $5::bigint)",
                             &version, error);
}

gboolean
ow_platform_pg_finish_catalog (OwPlatformDb  *base,
                               gint64         revision,
                               gint64         final_revision,
                               const char    *header,
                               const char    *source,
                               guint         *changed,
                               GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autofree char *revision_text = NULL;
  g_autoptr(PGresult) count = NULL;
  OwPgParams removed = { 0, };
  OwPgParams renumber = { 0, };
  OwPgParams stored = { 0, };
  OwPgParams counted = { 0, };

  *changed = 0;
  /* What the file no longer lists is removed in this revision. */
  ow_pg_param_int (&removed, revision);
  if (!ow_platform_pg_run (db, "INSERT INTO catalog_versions (id, revision, body) "
                               "SELECT e.id, $1::bigint, NULL FROM catalog_entries e "
                               "WHERE e.last_seen < $1::bigint AND (SELECT v.body FROM "
                               "  catalog_versions v WHERE v.id = e.id "
                               "  ORDER BY v.revision DESC LIMIT 1) IS NOT NULL",
                           &removed, error))
    return FALSE;

  if (final_revision != revision)
    {
      ow_pg_param_int (&renumber, revision);
      ow_pg_param_int (&renumber, final_revision);
      if (!ow_platform_pg_run (db, "UPDATE catalog_versions SET revision = $2::bigint "
                                   "WHERE revision = $1::bigint", &renumber, error)
          || !ow_platform_pg_run (db, "UPDATE catalog_entries SET last_seen = $2::bigint "
                                      "WHERE last_seen = $1::bigint", &renumber, error)
          || !ow_platform_pg_run (db, "UPDATE catalog_entries SET place = $2::bigint * 16777216 "
                                      "+ place % 16777216 WHERE place / 16777216 = $1::bigint",
                                  &renumber, error))
        return FALSE;
    }

  ow_pg_param_int (&stored, final_revision);
  ow_pg_param_text (&stored, header);
  ow_pg_param_text (&stored, source);
  if (!ow_platform_pg_run (db, "INSERT INTO catalog_revisions (revision, body, source) "
                               "VALUES ($1::bigint, $2, $3)", &stored, error))
    return FALSE;

  ow_pg_param_int (&counted, final_revision);
  count = ow_platform_pg_exec (db, "SELECT count(*) FROM catalog_versions "
                                   "WHERE revision = $1::bigint", &counted, FALSE, error);
  if (count == NULL)
    return FALSE;
  *changed = (guint) ow_pg_int (count, 0, 0);

  revision_text = g_strdup_printf ("%" G_GINT64_FORMAT, final_revision);
  return ow_platform_pg_append_change_for (base, "catalog", revision_text, NULL, NULL, NULL,
                                           error);
}

gboolean
ow_platform_pg_catalog_has_item (OwPlatformDb  *base,
                                 gint64         revision,
                                 const char    *item_id,
                                 gboolean      *found,
                                 GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  *found = FALSE;
  ow_pg_param_text (&params, item_id);
  ow_pg_param_int (&params, revision);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT body IS NOT NULL FROM catalog_versions WHERE id = $1 "
                                "AND revision <= $2::bigint ORDER BY revision DESC LIMIT 1",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  *found = PQntuples (result) > 0 && ow_pg_bool (result, 0, 0);
  return TRUE;
}

GPtrArray *
ow_platform_pg_list_catalog_items (OwPlatformDb  *base,
                                   gint64         revision,
                                   gint64         since,
                                   gint64         after,
                                   guint          limit,
                                   GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) items = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_int (&params, revision);
  ow_pg_param_int (&params, after);
  ow_pg_param_int (&params, limit > 0 ? (gint64) limit : G_MAXINT64);
  if (since <= 0)
    result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                  "SELECT e.id, v.body, e.place FROM catalog_entries e "
                                  "JOIN catalog_versions v ON v.id = e.id AND v.revision = "
                                  "  (SELECT max (w.revision) FROM catalog_versions w "
                                  "   WHERE w.id = e.id AND w.revision <= $1::bigint) "
                                  "WHERE e.place > $2::bigint AND v.body IS NOT NULL "
                                  "ORDER BY e.place LIMIT $3::bigint", &params, FALSE, error);
  else
    {
      ow_pg_param_int (&params, since);
      result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                    "SELECT e.id, v.body, e.place FROM catalog_entries e "
                                    "JOIN catalog_versions v ON v.id = e.id AND v.revision = "
                                    "  (SELECT max (w.revision) FROM catalog_versions w "
                                    "   WHERE w.id = e.id AND w.revision <= $1::bigint) "
                                    "WHERE e.place > $2::bigint AND v.revision > $4::bigint "
                                    "AND (v.body IS NOT NULL OR (SELECT p.body FROM "
                                    "  catalog_versions p WHERE p.id = e.id "
                                    "  AND p.revision <= $4::bigint ORDER BY p.revision DESC "
                                    "  LIMIT 1) IS NOT NULL) "
                                    "ORDER BY e.place LIMIT $3::bigint", &params, FALSE, error);
    }
  if (result == NULL)
    return NULL;

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_catalog_item_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      OwPlatformCatalogItem *item = g_new0 (OwPlatformCatalogItem, 1);

      item->id = ow_pg_dup (result, i, 0);
      item->body = ow_pg_dup (result, i, 1);
      item->place = ow_pg_int (result, i, 2);
      g_ptr_array_add (items, item);
    }
  return g_steal_pointer (&items);
}

gboolean
ow_platform_pg_get_item_legal_limit (OwPlatformDb  *base,
                                     const char    *item_id,
                                     gint64        *limit,
                                     gboolean      *found,
                                     GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  *limit = 0;
  *found = FALSE;
  ow_pg_param_text (&params, item_id);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT legal_limit FROM catalog_versions WHERE id = $1 AND "
                                "body IS NOT NULL AND legal_limit IS NOT NULL "
                                "ORDER BY revision DESC LIMIT 1", &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *found = TRUE;
      *limit = ow_pg_int (result, 0, 0);
    }
  return TRUE;
}

gboolean
ow_platform_pg_count_catalog_items (OwPlatformDb  *base,
                                    gint64         revision,
                                    gint64        *items,
                                    gint64        *zero_trip,
                                    GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  *items = 0;
  *zero_trip = 0;
  ow_pg_param_int (&params, revision);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT count (*), coalesce (sum (CASE WHEN v.visits = 0 THEN 1 "
                                "  ELSE 0 END), 0) "
                                "FROM catalog_entries e JOIN catalog_versions v ON v.id = e.id "
                                "AND v.revision = (SELECT max (w.revision) FROM catalog_versions "
                                "  w WHERE w.id = e.id AND w.revision <= $1::bigint) "
                                "WHERE v.body IS NOT NULL", &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  *items = ow_pg_int (result, 0, 0);
  *zero_trip = ow_pg_int (result, 0, 1);
  return TRUE;
}
