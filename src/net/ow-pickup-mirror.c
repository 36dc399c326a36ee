/* ow-pickup-mirror.c — the hall's results kept in the local store for the pick-up window
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One request at a time on the main context, every store access in a worker thread: list a page
 * → save it → next page … → find the timelines missing → fetch one → save it → … → idle until
 * the feed applies a batch.
 */
#include "config.h"

#include "net/ow-json.h"
#include "net/ow-pickup-mirror.h"

#define PAGE_SIZE      "200"
#define TIMELINE_BATCH 50

struct _OwPickupMirror
{
  GObject       parent_instance;

  OwStore      *store;
  OwClient     *client;
  OwSync       *sync;
  char         *hall;
  gulong        applied_handler;

  GCancellable *cancellable;
  gboolean      running;
  gboolean      busy;
  gboolean      again;       /* a batch of the feed came while busy: look once more */
  gboolean      seeded;
  guint         seed_state;  /* index into seed_states */
  char         *cursor;      /* of the listing under way */
  GPtrArray    *queue;       /* case numbers whose timeline to fetch */
  GHashTable   *skipped;     /* case numbers whose timeline cannot be had: not asked again */
  GPtrArray    *changed;     /* case numbers saved since the last "cases-changed" */
};

G_DEFINE_FINAL_TYPE (OwPickupMirror, ow_pickup_mirror, G_TYPE_OBJECT)

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { CASES_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The states the window works from: results to hand over or to mail, and mailed ones waiting
 * to be confirmed delivered. */
static const OwCaseState seed_states[] = { OW_CASE_STATE_RESULT_READY, OW_CASE_STATE_MAILED };

static void look_for_timelines (OwPickupMirror *self);
static void list_page          (OwPickupMirror *self);

static void
set_busy (OwPickupMirror *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
emit_changed (OwPickupMirror *self)
{
  g_auto(GStrv) numbers = NULL;

  if (self->changed->len == 0)
    return;
  g_ptr_array_add (self->changed, NULL);
  numbers = (GStrv) g_ptr_array_steal (self->changed, NULL);
  g_signal_emit (self, signals[CASES_CHANGED], 0, numbers);
}

/* Done for now: idle until the next batch of the feed, unless one came meanwhile. */
static void
settle (OwPickupMirror *self)
{
  emit_changed (self);
  if (self->again && self->running)
    {
      self->again = FALSE;
      if (!self->seeded)
        {
          self->seed_state = 0;
          list_page (self);
        }
      else
        look_for_timelines (self);
      return;
    }
  set_busy (self, FALSE);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- the hall's list -------------------------------------------------------------------- */

static void
page_saved_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  OwPickupMirror *self = OW_PICKUP_MIRROR (source);
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GError) error = NULL;

  saved = g_task_propagate_pointer (G_TASK (result), &error);
  if (saved == NULL)
    {
      if (!is_cancelled (error))
        g_warning ("Could not keep the hall's results: %s", error->message);
      settle (self);
      return;
    }
  for (guint i = 0; i < saved->len; i++)
    g_ptr_array_add (self->changed, g_strdup (g_ptr_array_index (saved, i)));
  if (!self->running)
    {
      settle (self);
      return;
    }
  list_page (self);
}

static void
save_page_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  OwPickupMirror *self = source_object;
  GPtrArray *cases = task_data;
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < cases->len; i++)
    {
      OwCase *kase = g_ptr_array_index (cases, i);
      GError *error = NULL;
      gboolean applied = FALSE;

      if (!ow_store_save_remote_case_if_absent (self->store, kase, &applied, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      if (applied)
        g_ptr_array_add (saved, g_strdup (ow_case_get_case_no (kase)));
    }
  g_task_return_pointer (task, g_steal_pointer (&saved), (GDestroyNotify) g_ptr_array_unref);
}

static void
page_listed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OwPickupMirror *self = user_data;
  g_autoptr(OwCasePage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  page = ow_client_list_cases_finish (OW_CLIENT (source), result, &error);
  if (page == NULL)
    {
      /* Offline, or a platform that lists nothing: the feed's next batch tries again. */
      if (!is_cancelled (error))
        g_debug ("pick-up mirror: the hall's results could not be listed: %s", error->message);
      g_clear_pointer (&self->cursor, g_free);
      self->seed_state = 0;
      settle (self);
      g_object_unref (self);
      return;
    }

  g_free (self->cursor);
  self->cursor = g_strdup (page->next);
  if (self->cursor == NULL)
    self->seed_state++;

  task = g_task_new (self, self->cancellable, page_saved_cb, NULL);
  g_task_set_source_tag (task, page_listed_cb);
  g_task_set_task_data (task, g_ptr_array_ref (page->cases), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, save_page_thread);
  g_object_unref (self);
}

static void
list_page (OwPickupMirror *self)
{
  const char *params[] = { "hall", self->hall, "state", NULL, "limit", PAGE_SIZE,
                           "after", self->cursor, NULL };

  if (self->seed_state >= G_N_ELEMENTS (seed_states))
    {
      self->seeded = TRUE;
      look_for_timelines (self);
      return;
    }
  params[3] = ow_case_state_to_string (seed_states[self->seed_state]);
  ow_client_list_cases_async (self->client, params, self->cancellable, page_listed_cb,
                              g_object_ref (self));
}

/* ---- timelines -------------------------------------------------------------------------- */

static void fetch_next_timeline (OwPickupMirror *self);

static void
timeline_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OwPickupMirror *self = OW_PICKUP_MIRROR (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!is_cancelled (error))
        g_warning ("Could not keep a case's timeline: %s", error->message);
      g_ptr_array_set_size (self->queue, 0);
      settle (self);
      return;
    }
  {
    GPtrArray *records = g_task_get_task_data (G_TASK (result));
    const OwStoreCaseEvent *first = g_ptr_array_index (records, 0);

    g_ptr_array_add (self->changed, g_strdup (first->case_no));
  }
  fetch_next_timeline (self);
}

static void
save_timeline_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  OwPickupMirror *self = source_object;
  GError *error = NULL;

  if (ow_store_save_remote_case_events (self->store, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
timeline_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OwPickupMirror *self = user_data;
  g_autofree char *case_no = g_ptr_array_steal_index (self->queue, 0);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  events = ow_client_get_case_events_finish (OW_CLIENT (source), result, &error);
  if (events == NULL)
    {
      if (is_cancelled (error) || ow_platform_error_is_transient (error))
        {
          /* Asked again at the next batch of the feed. */
          g_ptr_array_set_size (self->queue, 0);
          settle (self);
        }
      else
        {
          /* Gone or not ours to see: asking again would not change the answer. */
          g_debug ("pick-up mirror: no timeline for %s: %s", case_no, error->message);
          g_hash_table_add (self->skipped, g_steal_pointer (&case_no));
          fetch_next_timeline (self);
        }
      g_object_unref (self);
      return;
    }

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_store_case_event_free);
  for (guint i = 0; i < events->len; i++)
    {
      const OwJsonCaseEvent *event = g_ptr_array_index (events, i);
      g_autoptr(JsonNode) node = ow_json_from_case_event (event);
      g_autofree char *body = ow_json_to_canonical (node);
      OwStoreCaseEvent *record = ow_store_case_event_new (event->id, case_no, event->kind,
                                                          event->at, body);

      record->carrier = g_strdup (event->carrier);
      record->waybill = g_strdup (event->waybill);
      g_ptr_array_add (records, record);
    }
  if (records->len == 0)
    {
      /* A timeline without the step that made the case ready: nothing to learn from it. */
      g_hash_table_add (self->skipped, g_steal_pointer (&case_no));
      fetch_next_timeline (self);
      g_object_unref (self);
      return;
    }
  task = g_task_new (self, self->cancellable, timeline_saved_cb, NULL);
  g_task_set_source_tag (task, timeline_fetched_cb);
  g_task_set_task_data (task, g_steal_pointer (&records), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, save_timeline_thread);
  g_object_unref (self);
}

static void
fetch_next_timeline (OwPickupMirror *self)
{
  if (!self->running || self->queue->len == 0)
    {
      g_ptr_array_set_size (self->queue, 0);
      settle (self);
      return;
    }
  ow_client_get_case_events_async (self->client, g_ptr_array_index (self->queue, 0),
                                   self->cancellable, timeline_fetched_cb, g_object_ref (self));
}

static void
missing_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OwPickupMirror *self = OW_PICKUP_MIRROR (source);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) numbers = g_task_propagate_pointer (G_TASK (result), &error);

  if (numbers == NULL)
    {
      if (!is_cancelled (error))
        g_warning ("Could not read the hall's results: %s", error->message);
      settle (self);
      return;
    }
  for (guint i = 0; numbers[i] != NULL; i++)
    if (!g_hash_table_contains (self->skipped, numbers[i]))
      g_ptr_array_add (self->queue, g_strdup (numbers[i]));
  fetch_next_timeline (self);
}

static void
list_missing_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  OwPickupMirror *self = source_object;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (seed_states); i++)
    {
      GError *error = NULL;
      g_auto(GStrv) numbers = ow_store_list_cases_without_timeline (
                                self->store, self->hall, seed_states[i],
                                TIMELINE_BATCH + g_hash_table_size (self->skipped), &error);

      if (numbers == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_strv_builder_addv (builder, (const char **) numbers);
    }
  g_task_return_pointer (task, g_strv_builder_end (builder), (GDestroyNotify) g_strfreev);
}

static void
look_for_timelines (OwPickupMirror *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, missing_listed_cb, NULL);

  g_task_set_source_tag (task, look_for_timelines);
  g_task_run_in_thread (task, list_missing_thread);
}

/* ---- following the feed ----------------------------------------------------------------- */

static void
changes_applied_cb (OwSync         *sync,
                    GStrv           case_nos,
                    OwPickupMirror *self)
{
  if (!self->running)
    return;
  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  set_busy (self, TRUE);
  if (!self->seeded)
    {
      self->seed_state = 0;
      list_page (self);
    }
  else
    look_for_timelines (self);
}

/* ---- fetching what the store lacks ------------------------------------------------------- */

typedef struct
{
  char      *case_no;
  char      *id_number;
  GPtrArray *cases;      /* OwCase, as the platform sent them */
  guint      next;       /* the next case whose timeline to fetch */
  GPtrArray *records;    /* OwStoreCaseEvent of the timeline fetched last */
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_free (data->case_no);
  g_free (data->id_number);
  g_clear_pointer (&data->cases, g_ptr_array_unref);
  g_clear_pointer (&data->records, g_ptr_array_unref);
  g_free (data);
}

static void fetch_next_of (GTask *task);

static void
fetch_save_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  OwPickupMirror *self = source_object;
  FetchData *data = task_data;
  GError *error = NULL;

  if (data->records != NULL)
    {
      if (!ow_store_save_remote_case_events (self->store, data->records, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_pointer (&data->records, g_ptr_array_unref);
    }
  else
    for (guint i = 0; i < data->cases->len; i++)
      if (!ow_store_save_remote_case_if_absent (self->store, g_ptr_array_index (data->cases, i),
                                                NULL, &error))
        {
          g_task_return_error (task, error);
          return;
        }
  g_task_return_boolean (task, TRUE);
}

static void
fetch_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  fetch_next_of (g_steal_pointer (&task));
}

static void
save_fetched (GTask *task)
{
  OwPickupMirror *self = g_task_get_source_object (task);
  g_autoptr(GTask) save = g_task_new (self, g_task_get_cancellable (task), fetch_saved_cb, task);

  g_task_set_source_tag (save, save_fetched);
  g_task_set_task_data (save, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (save, fetch_save_thread);
}

static void
fetched_timeline_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  OwCase *kase = g_ptr_array_index (data->cases, data->next - 1);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  events = ow_client_get_case_events_finish (OW_CLIENT (source), result, &error);
  if (events == NULL)
    {
      /* The case is known; its timeline will come with the next batch of the feed. */
      g_debug ("pick-up mirror: no timeline for %s yet: %s", ow_case_get_case_no (kase),
               error->message);
      fetch_next_of (task);
      return;
    }
  data->records = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_store_case_event_free);
  for (guint i = 0; i < events->len; i++)
    {
      const OwJsonCaseEvent *event = g_ptr_array_index (events, i);
      g_autoptr(JsonNode) node = ow_json_from_case_event (event);
      g_autofree char *body = ow_json_to_canonical (node);
      OwStoreCaseEvent *record = ow_store_case_event_new (event->id, ow_case_get_case_no (kase),
                                                          event->kind, event->at, body);

      record->carrier = g_strdup (event->carrier);
      record->waybill = g_strdup (event->waybill);
      g_ptr_array_add (data->records, record);
    }
  save_fetched (task);
}

/* The timelines of the fetched cases that wait for pick-up or mailing, one by one. */
static void
fetch_next_of (GTask *task)
{
  OwPickupMirror *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);

  while (data->next < data->cases->len)
    {
      OwCase *kase = g_ptr_array_index (data->cases, data->next++);
      OwCaseState state = ow_case_get_state (kase);

      if (state == OW_CASE_STATE_RESULT_READY || state == OW_CASE_STATE_MAILED)
        {
          ow_client_get_case_events_async (self->client, ow_case_get_case_no (kase),
                                           g_task_get_cancellable (task), fetched_timeline_cb,
                                           task);
          return;
        }
    }
  g_task_return_pointer (task, g_ptr_array_ref (data->cases), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
fetched_case_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  OwCase *kase = ow_client_get_case_finish (OW_CLIENT (source), result, &error);

  if (kase == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (data->cases, kase);
  save_fetched (task);
}

static void
fetched_list_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(OwCasePage) page = ow_client_list_cases_finish (OW_CLIENT (source), result, &error);

  if (page == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->cases = g_ptr_array_ref (page->cases);
  save_fetched (task);
}

void
ow_pickup_mirror_fetch_async (OwPickupMirror      *self,
                              const char          *case_no,
                              const char          *id_number,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  FetchData *data;

  g_return_if_fail (OW_IS_PICKUP_MIRROR (self));
  g_return_if_fail (case_no != NULL || id_number != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_pickup_mirror_fetch_async);
  data = g_new0 (FetchData, 1);
  data->case_no = g_strdup (case_no);
  data->id_number = g_strdup (id_number);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  if (case_no != NULL)
    ow_client_get_case_async (self->client, case_no, cancellable, fetched_case_cb, task);
  else
    {
      const char *params[] = { "id_number", id_number, "limit", PAGE_SIZE, NULL };

      ow_client_list_cases_async (self->client, params, cancellable, fetched_list_cb, task);
    }
}

GPtrArray *
ow_pickup_mirror_fetch_finish (OwPickupMirror  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_pickup_mirror_fetch_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_pickup_mirror_dispose (GObject *object)
{
  OwPickupMirror *self = OW_PICKUP_MIRROR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sync != NULL)
    g_clear_signal_handler (&self->applied_handler, self->sync);
  g_clear_object (&self->sync);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_pickup_mirror_parent_class)->dispose (object);
}

static void
ow_pickup_mirror_finalize (GObject *object)
{
  OwPickupMirror *self = OW_PICKUP_MIRROR (object);

  g_free (self->hall);
  g_free (self->cursor);
  g_ptr_array_unref (self->queue);
  g_ptr_array_unref (self->changed);
  g_hash_table_unref (self->skipped);

  G_OBJECT_CLASS (ow_pickup_mirror_parent_class)->finalize (object);
}

static void
ow_pickup_mirror_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OwPickupMirror *self = OW_PICKUP_MIRROR (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_pickup_mirror_class_init (OwPickupMirrorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_pickup_mirror_dispose;
  object_class->finalize = ow_pickup_mirror_finalize;
  object_class->get_property = ow_pickup_mirror_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OwPickupMirror::cases-changed:
   * @mirror: the mirror
   * @case_nos: (array zero-terminated=1): the cases saved or given their timeline
   *
   * What the pick-up window lists changed; emitted on the main context.
   */
  signals[CASES_CHANGED] =
    g_signal_new ("cases-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
ow_pickup_mirror_init (OwPickupMirror *self)
{
  self->queue = g_ptr_array_new_with_free_func (g_free);
  self->changed = g_ptr_array_new_with_free_func (g_free);
  self->skipped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

OwPickupMirror *
ow_pickup_mirror_new (OwStore    *store,
                      OwClient   *client,
                      OwSync     *sync,
                      const char *hall)
{
  OwPickupMirror *self;

  g_return_val_if_fail (OW_IS_STORE (store), NULL);
  g_return_val_if_fail (OW_IS_CLIENT (client), NULL);
  g_return_val_if_fail (OW_IS_SYNC (sync), NULL);
  g_return_val_if_fail (hall != NULL, NULL);

  self = g_object_new (OW_TYPE_PICKUP_MIRROR, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->sync = g_object_ref (sync);
  self->hall = g_strdup (hall);
  self->applied_handler = g_signal_connect (sync, "changes-applied",
                                            G_CALLBACK (changes_applied_cb), self);
  return self;
}

void
ow_pickup_mirror_start (OwPickupMirror *self)
{
  g_return_if_fail (OW_IS_PICKUP_MIRROR (self));

  if (self->running)
    return;
  self->running = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->seeded = FALSE;
  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  set_busy (self, TRUE);
  self->seed_state = 0;
  g_clear_pointer (&self->cursor, g_free);
  list_page (self);
}

void
ow_pickup_mirror_stop (OwPickupMirror *self)
{
  g_return_if_fail (OW_IS_PICKUP_MIRROR (self));

  self->running = FALSE;
  self->again = FALSE;
  g_cancellable_cancel (self->cancellable);
}

gboolean
ow_pickup_mirror_is_busy (OwPickupMirror *self)
{
  g_return_val_if_fail (OW_IS_PICKUP_MIRROR (self), FALSE);
  return self->busy;
}

gboolean
ow_pickup_mirror_is_seeded (OwPickupMirror *self)
{
  g_return_val_if_fail (OW_IS_PICKUP_MIRROR (self), FALSE);
  return self->seeded;
}
