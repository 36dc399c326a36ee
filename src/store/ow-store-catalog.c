/* ow-store-catalog.c — what the platform publishes, kept: the catalog, its index, the calendar
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The counter starts from what is kept here and brings it up to date when the platform answers
 * (net/ow-catalog-keeper.c). Item bodies are the platform's JSON, kept as text: the store does
 * not read JSON; the columns beside each body are what a list and the search need.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "store/ow-store-private.h"

#define GENERATION_KEY "catalog-generation"
#define REVISION_KEY   "catalog-revision"
#define ETAG_KEY       "catalog-etag"
#define STAMP_KEY      "catalog-stamp"
#define STAGING_KEY    "catalog-staging"

#define SEPARATOR '\x1f'

/* ---- helpers ---------------------------------------------------------------------------- */

static gint64
meta_int (OwStore     *self,
          const char  *key,
          gboolean    *ok,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = ow_store_get_meta_locked (self, key, &local_error);

  *ok = local_error == NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static gboolean
set_meta_int (OwStore     *self,
              const char  *key,
              gint64       value,
              GError     **error)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  return ow_store_set_meta_locked (self, key, text, error);
}

/* Every change of the kept catalog gets a new stamp: an index kept for another stamp is stale. */
static gboolean
bump_stamp (OwStore  *self,
            GError  **error)
{
  gboolean ok;
  gint64 stamp = meta_int (self, STAMP_KEY, &ok, error);

  if (!ok || !set_meta_int (self, STAMP_KEY, stamp + 1, error))
    return FALSE;
  return ow_store_exec_sql (self, "DELETE FROM catalog_index", _("update the catalog"), error);
}

static char *
join_strv (const char * const *strv)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (*strv[i] != '\0')
      {
        g_string_append (out, strv[i]);
        g_string_append_c (out, SEPARATOR);
      }
  return g_string_free (out, FALSE);
}

/* Splits a U+001F-terminated list in place into @out (at most @max - 1 entries, NULL-ended). */
static void
split_in_place (char        *text,
                const char **out,
                guint        max)
{
  guint n = 0;
  char *p = text;

  while (p != NULL && *p != '\0' && n + 1 < max)
    {
      char *end = strchr (p, SEPARATOR);

      out[n++] = p;
      if (end == NULL)
        break;
      *end = '\0';
      p = end + 1;
    }
  out[n] = NULL;
}

/* Inserts or replaces @items (with @bodies) in @generation; new items go after the others. */
static gboolean
put_items (OwStore    *self,
           gint64      generation,
           GPtrArray  *items,
           GPtrArray  *bodies,
           GError    **error)
{
  const char *doing = _("save the catalog");
  sqlite3_stmt *last = NULL, *put = NULL;
  gint64 position = 0;
  gboolean ok = TRUE;
  int rc;

  last = ow_store_prepare (self, "SELECT coalesce(max(position), 0) FROM catalog_items "
                                 "WHERE generation = ?", doing, error);
  if (last == NULL)
    return FALSE;
  sqlite3_bind_int64 (last, 1, generation);
  rc = sqlite3_step (last);
  if (rc != SQLITE_ROW)
    {
      ow_store_set_sqlite_error (self, rc, doing, error);
      sqlite3_finalize (last);
      return FALSE;
    }
  position = sqlite3_column_int64 (last, 0);
  sqlite3_finalize (last);

  put = ow_store_prepare (self,
                          "INSERT INTO catalog_items (generation, id, position, name, basic_code,"
                          "  aliases, department, item_type, level, legal_limit, promised_limit,"
                          "  visits, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                          "ON CONFLICT (generation, id) DO UPDATE SET name = excluded.name,"
                          "  basic_code = excluded.basic_code, aliases = excluded.aliases,"
                          "  department = excluded.department, item_type = excluded.item_type,"
                          "  level = excluded.level, legal_limit = excluded.legal_limit,"
                          "  promised_limit = excluded.promised_limit, visits = excluded.visits,"
                          "  body = excluded.body",
                          doing, error);
  if (put == NULL)
    return FALSE;
  for (guint i = 0; ok && i < items->len; i++)
    {
      OwItem *item = g_ptr_array_index (items, i);
      g_autofree char *aliases = join_strv (ow_item_get_aliases (item));

      sqlite3_bind_int64 (put, 1, generation);
      ow_store_bind_text (put, 2, ow_item_get_id (item));
      sqlite3_bind_int64 (put, 3, ++position);
      ow_store_bind_text (put, 4, ow_item_get_name (item));
      ow_store_bind_text (put, 5, ow_item_get_basic_code (item));
      ow_store_bind_text (put, 6, aliases);
      ow_store_bind_text (put, 7, ow_item_get_department (item));
      sqlite3_bind_int (put, 8, ow_item_get_item_type (item));
      sqlite3_bind_int (put, 9, ow_item_get_level (item));
      sqlite3_bind_int64 (put, 10, ow_item_get_legal_limit (item));
      sqlite3_bind_int64 (put, 11, ow_item_get_promised_limit (item));
      sqlite3_bind_int64 (put, 12, ow_item_get_visits (item));
      ow_store_bind_text (put, 13, g_ptr_array_index (bodies, i));
      rc = sqlite3_step (put);
      if (rc != SQLITE_DONE)
        {
          ow_store_set_sqlite_error (self, rc, doing, error);
          ok = FALSE;
        }
      sqlite3_reset (put);
      sqlite3_clear_bindings (put);
    }
  sqlite3_finalize (put);
  return ok;
}

static gboolean
put_bundles (OwStore    *self,
             gint64      generation,
             GPtrArray  *bundles,
             GError    **error)
{
  const char *doing = _("save the catalog");
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  stmt = ow_store_prepare (self, "DELETE FROM catalog_bundles WHERE generation = ?", doing, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, generation);
  if (!ow_store_run_stmt (self, stmt, doing, error))
    return FALSE;

  stmt = ow_store_prepare (self, "INSERT INTO catalog_bundles (generation, position, id, name,"
                                 "  description, item_ids) VALUES (?, ?, ?, ?, ?, ?)",
                           doing, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; ok && bundles != NULL && i < bundles->len; i++)
    {
      OwBundle *bundle = g_ptr_array_index (bundles, i);
      g_autofree char *ids = join_strv ((const char * const *) bundle->item_ids);
      int rc;

      sqlite3_bind_int64 (stmt, 1, generation);
      sqlite3_bind_int64 (stmt, 2, i);
      ow_store_bind_text (stmt, 3, bundle->id);
      ow_store_bind_text (stmt, 4, bundle->name != NULL ? bundle->name : "");
      ow_store_bind_text (stmt, 5, bundle->description != NULL ? bundle->description : "");
      ow_store_bind_text (stmt, 6, ids);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          ow_store_set_sqlite_error (self, rc, doing, error);
          ok = FALSE;
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
drop_generation (OwStore     *self,
                 const char  *sql,
                 gint64       generation,
                 GError     **error)
{
  sqlite3_stmt *stmt = ow_store_prepare (self, sql, _("update the catalog"), error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, generation);
  return ow_store_run_stmt (self, stmt, _("update the catalog"), error);
}

/* ---- loading ---------------------------------------------------------------------------- */

static gboolean
load_summaries (OwStore    *self,
                OwCatalog  *catalog,
                gint64      generation,
                GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* Room for all of them at once: every string ends in a NUL, the aliases list in another. */
  stmt = ow_store_prepare (self, "SELECT count(*), coalesce (sum (length (CAST (name AS BLOB))"
                                 "  + length (CAST (basic_code AS BLOB))"
                                 "  + length (CAST (aliases AS BLOB)) + 3), 0) "
                                 "FROM catalog_items WHERE generation = ?",
                           _("read the catalog"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, generation);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ow_catalog_reserve (catalog, (guint) sqlite3_column_int64 (stmt, 0),
                        (gsize) sqlite3_column_int64 (stmt, 1));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      ow_store_set_sqlite_error (self, rc, _("read the catalog"), error);
      return FALSE;
    }

  stmt = ow_store_prepare (self, "SELECT id, name, basic_code, aliases, department, item_type,"
                                 "  level, legal_limit, promised_limit, visits "
                                 "FROM catalog_items WHERE generation = ? ORDER BY position",
                           _("read the catalog"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, generation);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *aliases = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      const char *alias_list[64];
      OwItemSummary summary = { 0 };

      split_in_place (aliases, alias_list, G_N_ELEMENTS (alias_list));
      summary.id = (const char *) sqlite3_column_text (stmt, 0);
      summary.name = (const char *) sqlite3_column_text (stmt, 1);
      summary.basic_code = (const char *) sqlite3_column_text (stmt, 2);
      summary.aliases = alias_list;
      summary.department = (const char *) sqlite3_column_text (stmt, 4);
      summary.item_type = sqlite3_column_int (stmt, 5);
      summary.level = sqlite3_column_int (stmt, 6);
      summary.legal_limit = (guint) sqlite3_column_int64 (stmt, 7);
      summary.promised_limit = (guint) sqlite3_column_int64 (stmt, 8);
      summary.visits = (guint) sqlite3_column_int64 (stmt, 9);
      ow_catalog_add_summary (catalog, &summary);
    }
  if (rc != SQLITE_DONE)
    ow_store_set_sqlite_error (self, rc, _("read the catalog"), error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
load_bundles (OwStore    *self,
              OwCatalog  *catalog,
              gint64      generation,
              GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_store_prepare (self, "SELECT id, name, description, item_ids FROM catalog_bundles "
                                 "WHERE generation = ? ORDER BY position",
                           _("read the catalog"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, generation);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *ids = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      const char *id_list[256];
      g_autoptr(OwBundle) bundle = NULL;

      split_in_place (ids, id_list, G_N_ELEMENTS (id_list));
      bundle = ow_bundle_new ((const char *) sqlite3_column_text (stmt, 0),
                              (const char *) sqlite3_column_text (stmt, 1),
                              (const char *) sqlite3_column_text (stmt, 2), id_list);
      ow_catalog_add_bundle (catalog, bundle);
    }
  if (rc != SQLITE_DONE)
    ow_store_set_sqlite_error (self, rc, _("read the catalog"), error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

OwCatalog *
ow_store_load_catalog (OwStore  *self,
                       char    **etag,
                       char    **stamp,
                       GError  **error)
{
  g_autoptr(OwCatalog) catalog = NULL;
  gint64 generation, revision;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (etag != NULL)
    *etag = NULL;
  if (stamp != NULL)
    *stamp = NULL;

  g_mutex_lock (&self->lock);
  revision = meta_int (self, REVISION_KEY, &ok, error);
  generation = ok ? meta_int (self, GENERATION_KEY, &ok, error) : 0;
  if (ok && revision > 0)
    {
      catalog = ow_catalog_new ();
      ow_catalog_set_revision (catalog, revision);
      ok = load_summaries (self, catalog, generation, error)
           && load_bundles (self, catalog, generation, error);
      if (ok && etag != NULL)
        *etag = ow_store_get_meta_locked (self, ETAG_KEY, NULL);
      if (ok && stamp != NULL)
        *stamp = ow_store_get_meta_locked (self, STAMP_KEY, NULL);
    }
  g_mutex_unlock (&self->lock);

  if (!ok)
    {
      if (etag != NULL)
        g_clear_pointer (etag, g_free);
      return NULL;
    }
  return g_steal_pointer (&catalog);
}

gint64
ow_store_get_catalog_revision (OwStore  *self,
                               GError  **error)
{
  gint64 revision;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), 0);

  g_mutex_lock (&self->lock);
  revision = meta_int (self, REVISION_KEY, &ok, error);
  g_mutex_unlock (&self->lock);
  return revision;
}

GPtrArray *
ow_store_load_catalog_bodies (OwStore             *self,
                              const char * const  *ids,
                              GError             **error)
{
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  gint64 generation;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  generation = meta_int (self, GENERATION_KEY, &ok, error);
  if (ok)
    stmt = ow_store_prepare (self, "SELECT body FROM catalog_items WHERE generation = ? AND id = ?",
                             _("read the catalog"), error);
  ok = stmt != NULL;
  for (guint i = 0; ok && ids != NULL && ids[i] != NULL; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, generation);
      ow_store_bind_text (stmt, 2, ids[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (bodies, ow_store_column_dup_text (stmt, 0));
      else if (rc != SQLITE_DONE)
        {
          ow_store_set_sqlite_error (self, rc, _("read the catalog"), error);
          ok = FALSE;
        }
      sqlite3_reset (stmt);
    }
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);

  return ok ? g_steal_pointer (&bodies) : NULL;
}

/* ---- a whole catalog, in pages ---------------------------------------------------------- */

gboolean
ow_store_begin_catalog (OwStore  *self,
                        GError  **error)
{
  const char *doing = _("save the catalog");
  gint64 generation, staging;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_begin (self, doing, error);
  generation = ok ? meta_int (self, GENERATION_KEY, &ok, error) : 0;
  /* Whatever an earlier download cut short left behind goes first. */
  ok = ok && drop_generation (self, "DELETE FROM catalog_items WHERE generation > ?", generation,
                              error)
       && drop_generation (self, "DELETE FROM catalog_bundles WHERE generation > ?", generation,
                           error);
  staging = generation + 1;
  ok = ok && set_meta_int (self, STAGING_KEY, staging, error)
       && ow_store_commit (self, doing, error);
  if (!ok)
    ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
ow_store_stage_catalog_items (OwStore    *self,
                              GPtrArray  *items,
                              GPtrArray  *bodies,
                              GError    **error)
{
  const char *doing = _("save the catalog");
  gint64 staging;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (items != NULL && bodies != NULL && items->len == bodies->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_begin (self, doing, error);
  staging = ok ? meta_int (self, STAGING_KEY, &ok, error) : 0;
  if (ok && staging == 0)
    {
      g_set_error_literal (error, OW_STORE_ERROR, OW_STORE_ERROR_IO,
                           "No catalog download was begun");
      ok = FALSE;
    }
  ok = ok && put_items (self, staging, items, bodies, error)
       && ow_store_commit (self, doing, error);
  if (!ok)
    ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
ow_store_finish_catalog (OwStore     *self,
                         gint64       revision,
                         const char  *etag,
                         GPtrArray   *bundles,
                         GError     **error)
{
  const char *doing = _("save the catalog");
  gint64 generation, staging;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (revision > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_begin (self, doing, error);
  generation = ok ? meta_int (self, GENERATION_KEY, &ok, error) : 0;
  staging = ok ? meta_int (self, STAGING_KEY, &ok, error) : 0;
  if (ok && staging != generation + 1)
    {
      g_set_error_literal (error, OW_STORE_ERROR, OW_STORE_ERROR_IO,
                           "No catalog download was begun");
      ok = FALSE;
    }
  ok = ok && put_bundles (self, staging, bundles, error)
       && drop_generation (self, "DELETE FROM catalog_items WHERE generation < ?", staging,
                           error)
       && drop_generation (self, "DELETE FROM catalog_bundles WHERE generation < ?", staging,
                           error)
       && set_meta_int (self, GENERATION_KEY, staging, error)
       && set_meta_int (self, REVISION_KEY, revision, error)
       && ow_store_set_meta_locked (self, ETAG_KEY, etag, error)
       && ow_store_set_meta_locked (self, STAGING_KEY, NULL, error)
       && bump_stamp (self, error)
       && ow_store_commit (self, doing, error);
  if (!ok)
    ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
ow_store_apply_catalog_delta (OwStore             *self,
                              GPtrArray           *items,
                              GPtrArray           *bodies,
                              const char * const  *removed,
                              GPtrArray           *bundles,
                              gint64               revision,
                              const char          *etag,
                              GError             **error)
{
  const char *doing = _("update the catalog");
  sqlite3_stmt *drop = NULL;
  gint64 generation;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail ((items == NULL) == (bodies == NULL), FALSE);
  g_return_val_if_fail (items == NULL || items->len == bodies->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_begin (self, doing, error);
  generation = ok ? meta_int (self, GENERATION_KEY, &ok, error) : 0;
  if (ok && items != NULL)
    ok = put_items (self, generation, items, bodies, error);
  if (ok && removed != NULL && removed[0] != NULL)
    {
      drop = ow_store_prepare (self, "DELETE FROM catalog_items WHERE generation = ? AND id = ?",
                               doing, error);
      ok = drop != NULL;
      for (guint i = 0; ok && removed[i] != NULL; i++)
        {
          int rc;

          sqlite3_bind_int64 (drop, 1, generation);
          ow_store_bind_text (drop, 2, removed[i]);
          rc = sqlite3_step (drop);
          if (rc != SQLITE_DONE)
            {
              ow_store_set_sqlite_error (self, rc, doing, error);
              ok = FALSE;
            }
          sqlite3_reset (drop);
        }
      if (drop != NULL)
        sqlite3_finalize (drop);
    }
  if (ok && bundles != NULL)
    ok = put_bundles (self, generation, bundles, error)
         && set_meta_int (self, REVISION_KEY, revision, error)
         && ow_store_set_meta_locked (self, ETAG_KEY, etag, error);
  ok = ok && bump_stamp (self, error) && ow_store_commit (self, doing, error);
  if (!ok)
    ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return ok;
}

/* ---- the search index ------------------------------------------------------------------- */

gboolean
ow_store_save_catalog_index (OwStore     *self,
                             const char  *stamp,
                             GBytes      *data,
                             GError     **error)
{
  const char *doing = _("save the search index");
  g_autofree char *current = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (stamp != NULL && data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = ow_store_begin (self, doing, error);
  if (ok)
    {
      g_autoptr(GError) local_error = NULL;

      current = ow_store_get_meta_locked (self, STAMP_KEY, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
    }
  if (ok && g_strcmp0 (current, stamp) == 0)
    {
      stmt = ow_store_prepare (self, "INSERT OR REPLACE INTO catalog_index (stamp, data) "
                                     "VALUES (?, ?)", doing, error);
      ok = stmt != NULL;
      if (ok)
        {
          ow_store_bind_text (stmt, 1, stamp);
          ow_store_bind_bytes (stmt, 2, data);
          ok = ow_store_run_stmt (self, stmt, doing, error);
        }
    }
  ok = ok && ow_store_commit (self, doing, error);
  if (!ok)
    ow_store_rollback (self);
  g_mutex_unlock (&self->lock);
  return ok;
}

GBytes *
ow_store_load_catalog_index (OwStore     *self,
                             const char  *stamp,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  GBytes *data = NULL;
  int rc;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (stamp != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self, "SELECT data FROM catalog_index WHERE stamp = ?",
                           _("read the search index"), error);
  if (stmt != NULL)
    {
      ow_store_bind_text (stmt, 1, stamp);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        data = ow_store_column_dup_bytes (stmt, 0);
      else if (rc != SQLITE_DONE)
        ow_store_set_sqlite_error (self, rc, _("read the search index"), error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);
  return data;
}

/* ---- the calendar ----------------------------------------------------------------------- */

void
ow_store_calendar_year_free (OwStoreCalendarYear *year)
{
  if (year == NULL)
    return;
  g_free (year->national);
  g_free (year->local);
  g_free (year->etag);
  g_free (year);
}

gboolean
ow_store_save_calendar_year (OwStore                    *self,
                             const OwStoreCalendarYear  *year,
                             GError                    **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (OW_IS_STORE (self), FALSE);
  g_return_val_if_fail (year != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self, "INSERT OR REPLACE INTO calendar_years (year, national, local,"
                                 "  published, etag, fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
                           _("save the calendar"), error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, year->year);
      ow_store_bind_text (stmt, 2, year->national);
      ow_store_bind_text (stmt, 3, year->local);
      sqlite3_bind_int (stmt, 4, year->published ? 1 : 0);
      ow_store_bind_text (stmt, 5, year->etag);
      sqlite3_bind_int64 (stmt, 6, year->fetched_at != 0 ? year->fetched_at
                                                         : g_get_real_time ());
      ok = ow_store_run_stmt (self, stmt, _("save the calendar"), error);
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

GPtrArray *
ow_store_load_calendar (OwStore  *self,
                        GError  **error)
{
  g_autoptr(GPtrArray) years = NULL;
  sqlite3_stmt *stmt;
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  years = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_store_calendar_year_free);
  g_mutex_lock (&self->lock);
  stmt = ow_store_prepare (self, "SELECT year, national, local, published, etag, fetched_at "
                                 "FROM calendar_years ORDER BY year",
                           _("read the calendar"), error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          OwStoreCalendarYear *year = g_new0 (OwStoreCalendarYear, 1);

          year->year = sqlite3_column_int (stmt, 0);
          year->national = ow_store_column_dup_text (stmt, 1);
          year->local = ow_store_column_dup_text (stmt, 2);
          year->published = sqlite3_column_int (stmt, 3) != 0;
          year->etag = ow_store_column_dup_text (stmt, 4);
          year->fetched_at = sqlite3_column_int64 (stmt, 5);
          g_ptr_array_add (years, year);
        }
      if (rc != SQLITE_DONE)
        ow_store_set_sqlite_error (self, rc, _("read the calendar"), error);
      sqlite3_finalize (stmt);
    }
  g_mutex_unlock (&self->lock);
  return rc == SQLITE_DONE ? g_steal_pointer (&years) : NULL;
}
