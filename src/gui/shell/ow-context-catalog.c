/* ow-context-catalog.c — the catalog, its search index and the calendar: kept, then caught up
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * At start the counter shows the catalog kept in its store before anything answers, and reads
 * back the search index kept beside it (or builds it, in a worker, and keeps it): a second
 * start transliterates nothing. When the platform answers, the changes since the kept revision
 * are applied (OwCatalogKeeper) and the new catalog replaces the old one; its index follows.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-clock.h"
#include "gui/shell/ow-context-private.h"

/* ---- the search index ------------------------------------------------------------------- */

typedef struct
{
  OwStore     *store;
  OwCatalog   *catalog;
  char        *stamp;
  OwItemIndex *index;  /* out */
} IndexJob;

static void
index_job_free (IndexJob *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->catalog);
  g_free (job->stamp);
  g_clear_object (&job->index);
  g_free (job);
}

static void
index_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  IndexJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) kept = NULL;

  if (job->stamp != NULL)
    kept = ow_store_load_catalog_index (job->store, job->stamp, &error);
  if (kept != NULL)
    {
      job->index = ow_item_index_new_from_bytes (job->catalog, kept, &error);
      if (job->index != NULL)
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      g_message ("Building the search index again: %s", error->message);
    }
  else if (error != NULL)
    g_message ("Building the search index again: %s", error->message);
  g_clear_error (&error);

  job->index = ow_item_index_new (job->catalog, &error);
  if (job->index == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  {
    g_autoptr(GBytes) bytes = ow_item_index_serialize (job->index);
    OwItemIndex *compact;

    /* Only a faster next start is lost when it cannot be kept. */
    if (job->stamp != NULL
        && !ow_store_save_catalog_index (job->store, job->stamp, bytes, &error))
      g_message ("Cannot keep the search index: %s", error->message);
    g_clear_error (&error);
    /* Read back, it is sized exactly: built, its arrays kept the room they grew into. */
    compact = ow_item_index_new_from_bytes (job->catalog, bytes, NULL);
    if (compact != NULL)
      {
        g_object_unref (job->index);
        job->index = compact;
      }
  }
  g_task_return_boolean (task, TRUE);
}

static void
index_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OwContext *self = OW_CONTEXT (source);
  IndexJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot build the search index: %s", error->message);
      return;
    }
  /* A newer catalog came meanwhile: its own index follows. */
  if (job->catalog != self->catalog)
    return;
  g_set_object (&self->index, job->index);
  g_object_notify_by_pspec (G_OBJECT (self), ow_context_properties[OW_CONTEXT_PROP_ITEM_INDEX]);
}

/* @index, when not NULL, is @catalog's, read back already: else one is read or built in a
 * worker and follows. */
static void
set_catalog (OwContext   *self,
             OwCatalog   *catalog,
             const char  *stamp,
             OwItemIndex *index)
{
  g_autoptr(GTask) task = NULL;
  IndexJob *job;

  if (catalog == self->catalog)
    return;
  g_set_object (&self->catalog, catalog);
  g_free (self->catalog_stamp);
  self->catalog_stamp = g_strdup (stamp);
  g_object_notify_by_pspec (G_OBJECT (self), ow_context_properties[OW_CONTEXT_PROP_CATALOG]);
  if (catalog == NULL)
    return;
  if (index != NULL)
    {
      g_set_object (&self->index, index);
      g_object_notify_by_pspec (G_OBJECT (self),
                                ow_context_properties[OW_CONTEXT_PROP_ITEM_INDEX]);
      return;
    }

  job = g_new0 (IndexJob, 1);
  job->store = g_object_ref (self->store);
  job->catalog = g_object_ref (catalog);
  job->stamp = g_strdup (stamp);
  task = g_task_new (self, self->cancellable, index_ready_cb, NULL);
  g_task_set_source_tag (task, set_catalog);
  g_task_set_task_data (task, job, (GDestroyNotify) index_job_free);
  g_task_run_in_thread (task, index_thread);
}

/* ---- what is kept ----------------------------------------------------------------------- */

void
ow_context_read_kept (OwContextKept   *kept,
                      OwStore         *store,
                      OwCatalogKeeper *keeper)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  kept->catalog = ow_catalog_keeper_load (keeper, &kept->stamp, &kept->catalog_error);
  if (kept->catalog != NULL && kept->stamp != NULL)
    {
      bytes = ow_store_load_catalog_index (store, kept->stamp, &error);
      if (bytes != NULL)
        kept->index = ow_item_index_new_from_bytes (kept->catalog, bytes, &error);
      /* None that matches: set_catalog() reads or builds it in a worker (and says why), which
       * nothing waits for. */
    }
  kept->years = ow_store_load_calendar (store, &kept->years_error);
}

void
ow_context_kept_clear (OwContextKept *kept)
{
  g_clear_object (&kept->catalog);
  g_clear_pointer (&kept->stamp, g_free);
  g_clear_object (&kept->index);
  g_clear_pointer (&kept->years, g_ptr_array_unref);
  g_clear_error (&kept->catalog_error);
  g_clear_error (&kept->years_error);
}

void
ow_context_take_kept (OwContext     *self,
                      OwContextKept *kept)
{
  /* The counter starts without it; the next online log-in fetches the catalog again. */
  if (kept->catalog_error != NULL)
    g_warning ("Cannot read the catalog kept on this workstation: %s",
               kept->catalog_error->message);
  else if (kept->catalog != NULL)
    set_catalog (self, kept->catalog, kept->stamp, kept->index);
  if (kept->years_error != NULL)
    g_warning ("Cannot read the calendar kept on this workstation: %s",
               kept->years_error->message);
  g_clear_pointer (&self->kept_years, g_ptr_array_unref);
  self->kept_years = g_steal_pointer (&kept->years);
}

/* The platform's days are laid over the shipped schedule: a hall's own days and any correction
 * published after this build win. */
static void
apply_year (OwContext                 *self,
            const OwStoreCalendarYear *year)
{
  g_autoptr(GError) error = NULL;

  if (year->published && year->national != NULL
      && !ow_calendar_load_national (self->calendar, year->national, -1, &error))
    g_warning ("The platform's calendar of %d is malformed: %s", year->year, error->message);
  g_clear_error (&error);
  if (year->local != NULL && *year->local != '\0'
      && !ow_calendar_load_local (self->calendar, year->local, -1, &error))
    g_warning ("The hall's local calendar of %d is malformed: %s", year->year, error->message);
}

/* The ETag the platform sent with the calendar of @year as kept: asked for again with it, the
 * year is not sent again while unchanged. */
static void
remember_etag (OwContext  *self,
               int         year,
               const char *etag)
{
  if (self->calendar_etags == NULL)
    self->calendar_etags = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (etag != NULL)
    g_hash_table_replace (self->calendar_etags, GINT_TO_POINTER (year), g_strdup (etag));
  else
    g_hash_table_remove (self->calendar_etags, GINT_TO_POINTER (year));
}

void
ow_context_apply_kept_calendar (OwContext *self)
{
  for (guint i = 0; self->kept_years != NULL && i < self->kept_years->len; i++)
    {
      const OwStoreCalendarYear *year = g_ptr_array_index (self->kept_years, i);

      apply_year (self, year);
      remember_etag (self, year->year, year->etag);
    }
  g_clear_pointer (&self->kept_years, g_ptr_array_unref);
}

/* ---- catching up ------------------------------------------------------------------------ */

static void
finish_waiters (OwContext    *self,
                const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->catalog_waiters);

  self->catalog_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (self->catalog != NULL)
        g_task_return_boolean (waiter, TRUE);
      else if (error != NULL)
        g_task_return_error (waiter, g_error_copy (error));
      else
        g_task_return_new_error (waiter, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND,
                                 _("The platform has no catalog of service items yet"));
    }
}

static void start_update (OwContext *self);

static void
catalog_updated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OwContext) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(OwCatalog) catalog = NULL;

  catalog = ow_catalog_keeper_update_finish (OW_CATALOG_KEEPER (source), result, &stamp, &error);
  self->updating_catalog = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_message ("The catalog kept here stays as it is: %s", error->message);
  else if (catalog != NULL)
    set_catalog (self, catalog, stamp, NULL);
  finish_waiters (self, error);
  if (self->update_again)
    start_update (self);
}

static void
start_update (OwContext *self)
{
  self->update_again = FALSE;
  self->updating_catalog = TRUE;
  ow_catalog_keeper_update_async (self->keeper, self->cancellable, catalog_updated_cb,
                                  g_object_ref (self));
}

void
ow_context_update_catalog (OwContext *self,
                           GTask     *waiter)
{
  if (waiter != NULL)
    g_ptr_array_add (self->catalog_waiters, g_object_ref (waiter));
  if (self->keeper == NULL || self->client == NULL)
    {
      finish_waiters (self, NULL);
      return;
    }
  if (self->updating_catalog)
    {
      self->update_again = TRUE;
      return;
    }
  start_update (self);
}

/* ---- the calendar ----------------------------------------------------------------------- */

static void
keep_year_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  OwContext *self = source_object;
  GError *error = NULL;

  if (!ow_store_save_calendar_year (self->store, task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
year_kept_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Cannot keep the calendar: %s", error->message);
}

typedef struct
{
  OwContext *context;
  int        year;
} YearFetch;

static void
calendar_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autofree YearFetch *fetch = user_data;
  g_autoptr(OwContext) self = fetch->context;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) keep = NULL;
  OwStoreCalendarYear *year = g_new0 (OwStoreCalendarYear, 1);

  year->year = fetch->year;
  if (!ow_client_get_calendar_finish (OW_CLIENT (source), result, &year->national, &year->local,
                                      &year->published, &year->etag, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Using the calendar kept here: %s", error->message);
      ow_store_calendar_year_free (year);
      return;
    }
  if (year->national == NULL && year->local == NULL)
    {
      /* 304: the year kept is the platform's. */
      ow_store_calendar_year_free (year);
      return;
    }
  apply_year (self, year);
  remember_etag (self, year->year, year->etag);
  keep = g_task_new (self, self->cancellable, year_kept_cb, NULL);
  g_task_set_source_tag (keep, keep_year_thread);
  g_task_set_task_data (keep, year, (GDestroyNotify) ow_store_calendar_year_free);
  g_task_run_in_thread (keep, keep_year_thread);
}

void
ow_context_update_calendar (OwContext *self)
{
  g_autoptr(GDateTime) now = NULL;
  int year;

  if (self->client == NULL)
    return;
  /* Time limits run into next year from November on, so both years are needed. */
  now = ow_hall_now ();
  year = g_date_time_get_year (now);
  for (int y = year; y <= year + 1; y++)
    {
      YearFetch *fetch = g_new0 (YearFetch, 1);

      fetch->context = g_object_ref (self);
      fetch->year = y;
      ow_client_get_calendar_async (self->client, y,
                                    self->calendar_etags != NULL
                                      ? g_hash_table_lookup (self->calendar_etags,
                                                             GINT_TO_POINTER (y))
                                      : NULL,
                                    self->cancellable, calendar_fetched_cb, fetch);
    }
}

void
ow_context_catalog_dispose (OwContext *self)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "The context went away");

  if (self->catalog_waiters != NULL)
    {
      finish_waiters (self, error);
      g_clear_pointer (&self->catalog_waiters, g_ptr_array_unref);
    }
  g_clear_object (&self->index);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->catalog_stamp, g_free);
  g_clear_pointer (&self->kept_years, g_ptr_array_unref);
  g_clear_pointer (&self->calendar_etags, g_hash_table_unref);
}
