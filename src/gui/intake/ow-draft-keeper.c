/* ow-draft-keeper.c — saves the intake form as it is typed, and parks and resumes drafts
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every store call is an operation in one queue, run in a GTask worker thread one at a time, in
 * the order the calls came: a load sees the writes asked for before it, and a slow disk never
 * lets an older form overwrite a newer one. Results come back on the main context the keeper
 * was created in, which then starts the next operation. The store has its own lock, so the
 * sync engine's threads may use it at the same time.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/intake/ow-draft-keeper.h"

#define PARKED_PREFIX "parked-"

/* ---- one parked draft ------------------------------------------------------------------ */

struct _OwParkedDraft
{
  GObject    parent_instance;

  char      *key;
  char      *title;
  GDateTime *saved_at;
};

G_DEFINE_FINAL_TYPE (OwParkedDraft, ow_parked_draft, G_TYPE_OBJECT)

static void
ow_parked_draft_finalize (GObject *object)
{
  OwParkedDraft *self = OW_PARKED_DRAFT (object);

  g_free (self->key);
  g_free (self->title);
  g_clear_pointer (&self->saved_at, g_date_time_unref);

  G_OBJECT_CLASS (ow_parked_draft_parent_class)->finalize (object);
}

static void
ow_parked_draft_class_init (OwParkedDraftClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ow_parked_draft_finalize;
}

static void
ow_parked_draft_init (OwParkedDraft *self)
{
}

static OwParkedDraft *
ow_parked_draft_new (const OwDraftInfo *info)
{
  OwParkedDraft *self = g_object_new (OW_TYPE_PARKED_DRAFT, NULL);
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);

  self->key = g_strdup (info->key);
  self->title = g_strdup (info->title);
  self->saved_at = g_date_time_add (epoch, info->updated_at);
  if (self->saved_at == NULL)
    self->saved_at = g_date_time_ref (epoch);
  return self;
}

const char *
ow_parked_draft_get_key (OwParkedDraft *self)
{
  g_return_val_if_fail (OW_IS_PARKED_DRAFT (self), NULL);
  return self->key;
}

const char *
ow_parked_draft_get_title (OwParkedDraft *self)
{
  g_return_val_if_fail (OW_IS_PARKED_DRAFT (self), NULL);
  return self->title;
}

GDateTime *
ow_parked_draft_get_saved_at (OwParkedDraft *self)
{
  g_return_val_if_fail (OW_IS_PARKED_DRAFT (self), NULL);
  return self->saved_at;
}

/* ---- the keeper ------------------------------------------------------------------------ */

typedef enum
{
  OP_SAVE,      /* @draft under @key */
  OP_DELETE,    /* @key */
  OP_LOAD,      /* @key into @draft */
  OP_PARK,      /* @draft under the new @key, "current" deleted */
  OP_RESUME,    /* @key into @draft, then renamed "current" */
  OP_LIST,      /* the parked drafts into @infos */
  OP_BARRIER,   /* nothing: answers @caller once everything before it is done */
} OpKind;

typedef struct
{
  OpKind         kind;
  OwStore       *store;
  char          *key;
  char          *title;
  OwIntakeDraft *draft;   /* handed to the worker, or filled in by it */
  GBytes        *bytes;   /* OP_PARK: the draft, serialized by the caller's thread */
  GPtrArray     *infos;   /* OwDraftInfo */
  GTask         *caller;  /* the public call waiting for it, or NULL */
} Op;

struct _OwDraftKeeper
{
  GObject        parent_instance;

  OwStore       *store;
  GMainContext  *context;
  GListStore    *parked;
  GQueue         ops;        /* Op, not started yet */
  Op            *running;    /* in a worker thread */
  OwIntakeDraft *pending;    /* scheduled, waiting for the debounce */
  char          *pending_title;
  GSource       *timeout;
  GError        *last_write_error;  /* of the latest write of "current" */
};

G_DEFINE_FINAL_TYPE (OwDraftKeeper, ow_draft_keeper, G_TYPE_OBJECT)

enum
{
  SAVED,
  FAILED,
  PARKED_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_next (OwDraftKeeper *self);

static Op *
op_new (OwDraftKeeper *self,
        OpKind         kind,
        const char    *key)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->store = g_object_ref (self->store);
  op->key = g_strdup (key);
  return op;
}

static void
op_free (Op *op)
{
  g_clear_object (&op->store);
  g_free (op->key);
  g_free (op->title);
  g_clear_pointer (&op->draft, ow_intake_draft_free);
  g_clear_pointer (&op->bytes, g_bytes_unref);
  g_clear_pointer (&op->infos, g_ptr_array_unref);
  g_clear_object (&op->caller);
  g_free (op);
}

/* A write of "current" nobody waits for: a later one may take its place. */
static gboolean
op_is_current_write (const Op *op)
{
  return op != NULL && op->caller == NULL && (op->kind == OP_SAVE || op->kind == OP_DELETE)
         && g_strcmp0 (op->key, OW_DRAFT_KEEPER_CURRENT) == 0;
}

/* ---- in the worker thread -------------------------------------------------------------- */

static gboolean
run_op (Op      *op,
        GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  switch (op->kind)
    {
    case OP_SAVE:
      bytes = ow_intake_draft_serialize (op->draft);
      return ow_store_save_draft (op->store, op->key, op->title, bytes, error);

    case OP_DELETE:
      return ow_store_delete_draft (op->store, op->key, error);

    case OP_LOAD:
      bytes = ow_store_load_draft (op->store, op->key, &local_error);
      if (g_error_matches (local_error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND))
        return TRUE;
      if (bytes == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      op->draft = ow_intake_draft_deserialize (bytes, error);
      return op->draft != NULL;

    case OP_PARK:
      return ow_store_move_draft (op->store, OW_DRAFT_KEEPER_CURRENT, op->key, op->title,
                                  op->bytes, error);

    case OP_RESUME:
      /* Read first: a draft that cannot be restored stays parked, where it can be discarded. */
      bytes = ow_store_load_draft (op->store, op->key, error);
      if (bytes == NULL)
        return FALSE;
      op->draft = ow_intake_draft_deserialize (bytes, error);
      if (op->draft == NULL)
        return FALSE;
      /* From now on it is the form being typed: a crash before the next keystroke brings it
       * back as "current" rather than losing it. */
      return ow_store_move_draft (op->store, op->key, OW_DRAFT_KEEPER_CURRENT, NULL, NULL, error);

    case OP_LIST:
      op->infos = ow_store_list_draft_infos (op->store, PARKED_PREFIX, error);
      return op->infos != NULL;

    case OP_BARRIER:
    default:
      break;
    }
  g_assert_not_reached ();
  return FALSE;
}

static void
op_thread (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  GError *error = NULL;

  if (run_op (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ---- back on the main context ---------------------------------------------------------- */

static void
queue_op (OwDraftKeeper *self,
          Op            *op)
{
  g_queue_push_tail (&self->ops, op);
  run_next (self);
}

static void
queue_list (OwDraftKeeper *self)
{
  queue_op (self, op_new (self, OP_LIST, NULL));
}

static void
note_current_write (OwDraftKeeper *self,
                    const Op      *op,
                    const GError  *error)
{
  g_clear_error (&self->last_write_error);
  if (error != NULL)
    {
      self->last_write_error = g_error_copy (error);
      g_signal_emit (self, signals[FAILED], 0, error);
    }
  else if (op->kind == OP_SAVE)
    g_signal_emit (self, signals[SAVED], 0, op->key);
}

static void
show_parked (OwDraftKeeper *self,
             GPtrArray     *infos)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < infos->len; i++)
    g_ptr_array_add (items, ow_parked_draft_new (g_ptr_array_index (infos, i)));
  g_list_store_splice (self->parked, 0, g_list_model_get_n_items (G_LIST_MODEL (self->parked)),
                       items->pdata, items->len);
  g_signal_emit (self, signals[PARKED_CHANGED], 0);
}

static void
op_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OwDraftKeeper *self = OW_DRAFT_KEEPER (source);
  Op *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  g_assert (op == self->running);
  self->running = NULL;

  switch (op->kind)
    {
    case OP_SAVE:
      note_current_write (self, op, error);
      break;

    case OP_DELETE:
      if (g_strcmp0 (op->key, OW_DRAFT_KEEPER_CURRENT) == 0)
        note_current_write (self, op, error);
      if (op->caller != NULL)
        {
          if (ok)
            g_task_return_boolean (op->caller, TRUE);
          else
            g_task_return_error (op->caller, g_steal_pointer (&error));
        }
      if (ok && g_str_has_prefix (op->key, PARKED_PREFIX))
        queue_list (self);
      break;

    case OP_LOAD:
    case OP_RESUME:
      if (ok)
        g_task_return_pointer (op->caller, g_steal_pointer (&op->draft),
                               (GDestroyNotify) ow_intake_draft_free);
      else
        g_task_return_error (op->caller, g_steal_pointer (&error));
      if (ok && op->kind == OP_RESUME)
        queue_list (self);
      break;

    case OP_PARK:
      if (ok)
        {
          g_clear_error (&self->last_write_error);
          g_signal_emit (self, signals[SAVED], 0, op->key);
          g_task_return_pointer (op->caller, g_strdup (op->key), g_free);
          queue_list (self);
        }
      else
        g_task_return_error (op->caller, g_steal_pointer (&error));
      break;

    case OP_LIST:
      if (ok)
        show_parked (self, op->infos);
      else
        g_signal_emit (self, signals[FAILED], 0, error);
      break;

    case OP_BARRIER:
    default:
      g_assert_not_reached ();
    }

  op_free (op);
  run_next (self);
}

static void
run_next (OwDraftKeeper *self)
{
  while (self->running == NULL && !g_queue_is_empty (&self->ops))
    {
      Op *op = g_queue_pop_head (&self->ops);
      g_autoptr(GTask) task = NULL;

      if (op->kind == OP_BARRIER)
        {
          /* Everything queued before it is done: a flush answers with the latest write. */
          if (self->last_write_error != NULL)
            g_task_return_error (op->caller, g_error_copy (self->last_write_error));
          else
            g_task_return_boolean (op->caller, TRUE);
          op_free (op);
          continue;
        }

      self->running = op;
      task = g_task_new (self, NULL, op_done_cb, NULL);
      g_task_set_source_tag (task, run_next);
      g_task_set_name (task, "[onewindow] draft keeper");
      g_task_set_task_data (task, op, NULL);
      g_task_run_in_thread (task, op_thread);
    }
}

/* ---- the debounce ---------------------------------------------------------------------- */

static void
stop_timeout (OwDraftKeeper *self)
{
  if (self->timeout != NULL)
    {
      g_source_destroy (self->timeout);
      g_clear_pointer (&self->timeout, g_source_unref);
    }
}

static void
drop_pending (OwDraftKeeper *self)
{
  stop_timeout (self);
  g_clear_pointer (&self->pending, ow_intake_draft_free);
  g_clear_pointer (&self->pending_title, g_free);
}

/* Hands the scheduled form to the queue: a write of "current" not started yet is replaced
 * rather than followed, so a burst of keystrokes during a slow write costs one more write. */
static void
queue_pending (OwDraftKeeper *self)
{
  Op *tail = g_queue_peek_tail (&self->ops);
  Op *op;

  stop_timeout (self);
  if (self->pending == NULL)
    return;

  if (op_is_current_write (tail))
    {
      op = tail;
      g_clear_pointer (&op->draft, ow_intake_draft_free);
      g_clear_pointer (&op->title, g_free);
    }
  else
    {
      op = op_new (self, OP_SAVE, OW_DRAFT_KEEPER_CURRENT);
      g_queue_push_tail (&self->ops, op);
    }

  if (ow_intake_draft_is_empty (self->pending))
    {
      op->kind = OP_DELETE;
      g_clear_pointer (&self->pending, ow_intake_draft_free);
      g_clear_pointer (&self->pending_title, g_free);
    }
  else
    {
      op->kind = OP_SAVE;
      op->draft = g_steal_pointer (&self->pending);
      op->title = g_steal_pointer (&self->pending_title);
    }
  run_next (self);
}

static gboolean
timeout_cb (gpointer user_data)
{
  OwDraftKeeper *self = user_data;

  g_clear_pointer (&self->timeout, g_source_unref);
  queue_pending (self);
  return G_SOURCE_REMOVE;
}

/* ---- GObject --------------------------------------------------------------------------- */

static void
ow_draft_keeper_dispose (GObject *object)
{
  OwDraftKeeper *self = OW_DRAFT_KEEPER (object);

  stop_timeout (self);
  /* Nothing runs or waits here (every operation holds the keeper), but the form typed in the
   * last moments may not have been handed over yet: write it without anyone to tell. */
  if (self->pending != NULL && !ow_intake_draft_is_empty (self->pending))
    {
      Op *op = op_new (self, OP_SAVE, OW_DRAFT_KEEPER_CURRENT);
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      op->draft = g_steal_pointer (&self->pending);
      op->title = g_steal_pointer (&self->pending_title);
      g_task_set_source_tag (task, ow_draft_keeper_dispose);
      g_task_set_task_data (task, op, (GDestroyNotify) op_free);
      g_task_run_in_thread (task, op_thread);
    }
  drop_pending (self);
  g_clear_object (&self->parked);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ow_draft_keeper_parent_class)->dispose (object);
}

static void
ow_draft_keeper_finalize (GObject *object)
{
  OwDraftKeeper *self = OW_DRAFT_KEEPER (object);

  g_assert (self->running == NULL);
  g_queue_clear_full (&self->ops, (GDestroyNotify) op_free);
  g_clear_error (&self->last_write_error);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (ow_draft_keeper_parent_class)->finalize (object);
}

static void
ow_draft_keeper_class_init (OwDraftKeeperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_draft_keeper_dispose;
  object_class->finalize = ow_draft_keeper_finalize;

  /**
   * OwDraftKeeper::saved:
   * @key: the key written ("current", or the new key of a parked draft)
   *
   * A draft was written to the store.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1,
                                 G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * OwDraftKeeper::failed:
   * @error: (type GLib.Error): what the store said
   *
   * Writing the form failed (the next schedule tries again), or the parked list could not be
   * read.
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                                  G_TYPE_POINTER);
  /**
   * OwDraftKeeper::parked-changed:
   *
   * The list of parked drafts (ow_draft_keeper_get_parked()) was read again.
   */
  signals[PARKED_CHANGED] = g_signal_new ("parked-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
ow_draft_keeper_init (OwDraftKeeper *self)
{
  g_queue_init (&self->ops);
  self->context = g_main_context_ref_thread_default ();
  self->parked = g_list_store_new (OW_TYPE_PARKED_DRAFT);
}

/* ---- public API ------------------------------------------------------------------------ */

OwDraftKeeper *
ow_draft_keeper_new (OwStore *store)
{
  OwDraftKeeper *self;

  g_return_val_if_fail (OW_IS_STORE (store), NULL);

  self = g_object_new (OW_TYPE_DRAFT_KEEPER, NULL);
  self->store = g_object_ref (store);
  queue_list (self);
  return self;
}

void
ow_draft_keeper_schedule (OwDraftKeeper *self,
                          OwIntakeDraft *draft,
                          const char    *title)
{
  g_return_if_fail (OW_IS_DRAFT_KEEPER (self));
  g_return_if_fail (draft != NULL);

  g_clear_pointer (&self->pending, ow_intake_draft_free);
  g_free (self->pending_title);
  self->pending = draft;
  self->pending_title = g_strdup (title);

  stop_timeout (self);
  self->timeout = g_timeout_source_new (OW_DRAFT_KEEPER_DELAY_MS);
  g_source_set_name (self->timeout, "[onewindow] draft debounce");
  g_source_set_callback (self->timeout, timeout_cb, self, NULL);
  g_source_attach (self->timeout, self->context);
}

void
ow_draft_keeper_flush_async (OwDraftKeeper       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Op *op;

  g_return_if_fail (OW_IS_DRAFT_KEEPER (self));

  queue_pending (self);
  op = op_new (self, OP_BARRIER, NULL);
  op->caller = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (op->caller, ow_draft_keeper_flush_async);
  queue_op (self, op);
}

gboolean
ow_draft_keeper_flush_finish (OwDraftKeeper  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_draft_keeper_flush_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ow_draft_keeper_discard_current (OwDraftKeeper *self)
{
  GList *link;

  g_return_if_fail (OW_IS_DRAFT_KEEPER (self));

  drop_pending (self);
  /* Writes of the form nobody waits for are pointless now that it goes. */
  link = self->ops.head;
  while (link != NULL)
    {
      GList *next = link->next;

      if (op_is_current_write (link->data))
        {
          op_free (link->data);
          g_queue_delete_link (&self->ops, link);
        }
      link = next;
    }
  queue_op (self, op_new (self, OP_DELETE, OW_DRAFT_KEEPER_CURRENT));
}

void
ow_draft_keeper_load_async (OwDraftKeeper       *self,
                            const char          *key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Op *op;

  g_return_if_fail (OW_IS_DRAFT_KEEPER (self));
  g_return_if_fail (key != NULL);

  queue_pending (self);
  op = op_new (self, OP_LOAD, key);
  op->caller = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (op->caller, ow_draft_keeper_load_async);
  queue_op (self, op);
}

OwIntakeDraft *
ow_draft_keeper_load_finish (OwDraftKeeper  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_draft_keeper_load_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_draft_keeper_park_async (OwDraftKeeper       *self,
                            OwIntakeDraft       *draft,
                            const char          *title,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *uuid = g_uuid_string_random ();
  Op *op;

  g_return_if_fail (OW_IS_DRAFT_KEEPER (self));
  g_return_if_fail (draft != NULL);

  /* @draft is the form as it is now: what was scheduled before it is older. */
  drop_pending (self);
  op = op_new (self, OP_PARK, NULL);
  op->key = g_strconcat (PARKED_PREFIX, uuid, NULL);
  op->title = g_strdup (title);
  /* Serialized here: the caller keeps @draft, and the worker gets bytes nobody changes. */
  op->bytes = ow_intake_draft_serialize (draft);
  op->caller = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (op->caller, ow_draft_keeper_park_async);
  queue_op (self, op);
}

char *
ow_draft_keeper_park_finish (OwDraftKeeper  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_draft_keeper_park_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GListModel *
ow_draft_keeper_get_parked (OwDraftKeeper *self)
{
  g_return_val_if_fail (OW_IS_DRAFT_KEEPER (self), NULL);
  return G_LIST_MODEL (self->parked);
}

void
ow_draft_keeper_resume_async (OwDraftKeeper       *self,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Op *op;

  g_return_if_fail (OW_IS_DRAFT_KEEPER (self));
  g_return_if_fail (key != NULL);

  /* The resumed draft replaces the form: a save of the form scheduled before would overwrite
   * it as "current". */
  drop_pending (self);
  op = op_new (self, OP_RESUME, key);
  op->caller = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (op->caller, ow_draft_keeper_resume_async);
  queue_op (self, op);
}

OwIntakeDraft *
ow_draft_keeper_resume_finish (OwDraftKeeper  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_draft_keeper_resume_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_draft_keeper_delete_async (OwDraftKeeper       *self,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Op *op;

  g_return_if_fail (OW_IS_DRAFT_KEEPER (self));
  g_return_if_fail (key != NULL);

  queue_pending (self);
  op = op_new (self, OP_DELETE, key);
  op->caller = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (op->caller, ow_draft_keeper_delete_async);
  queue_op (self, op);
}

gboolean
ow_draft_keeper_delete_finish (OwDraftKeeper  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_draft_keeper_delete_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
