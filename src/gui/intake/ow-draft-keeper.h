/* ow-draft-keeper.h — saves the intake form as it is typed, and parks and resumes drafts
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-intake-draft.h"
#include "store/ow-store.h"

G_BEGIN_DECLS

/* The form being typed is kept under the key "current"; a parked draft under "parked-<uuid>".
 * Every store call runs in a worker thread: the main loop never waits for SQLite.
 *
 * Saving is debounced: ow_draft_keeper_schedule() may be called on every keystroke; the latest
 * draft is written OW_DRAFT_KEEPER_DELAY_MS after the last call, and at once by
 * ow_draft_keeper_flush_async() (before quitting, parking or logging out). Writes happen in
 * order; a draft scheduled while one is being written is written after it. */
#define OW_DRAFT_KEEPER_DELAY_MS 400
#define OW_DRAFT_KEEPER_CURRENT "current"

#define OW_TYPE_DRAFT_KEEPER (ow_draft_keeper_get_type ())
G_DECLARE_FINAL_TYPE (OwDraftKeeper, ow_draft_keeper, OW, DRAFT_KEEPER, GObject)

/* Signal "saved" (const char *key): a draft was written ("current", or a parked draft's new
 * key). Signal "failed" (const GError *): a write of the form failed, and the keeper tries
 * again on the next schedule; or the parked list could not be read. Signal "parked-changed":
 * the list of parked drafts changed. */
OwDraftKeeper *ow_draft_keeper_new              (OwStore        *store);
/* Takes @draft (the form as it is now) and writes it as "current" soon; @title is what the
 * parked list shows ("张三 · 设立登记"). An empty draft deletes "current" instead. */
void           ow_draft_keeper_schedule         (OwDraftKeeper  *self,
                                                 OwIntakeDraft  *draft,
                                                 const char     *title);
/* Writes what is scheduled now, and answers once every operation asked for before is done (with
 * the error of the latest write of "current", if it failed): a store transaction started from
 * the callback, such as saving the case the form became with the draft deleted
 * (ow_sync_submit_case_from_draft_async()), comes after all of them. */
void           ow_draft_keeper_flush_async      (OwDraftKeeper  *self,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean       ow_draft_keeper_flush_finish     (OwDraftKeeper  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* Forgets the scheduled draft and the queued writes of "current", and deletes it after a write
 * already running: the case was decided or the clerk discarded the form. Nothing scheduled
 * before the call is written afterwards. */
void           ow_draft_keeper_discard_current  (OwDraftKeeper  *self);
/* Loads a draft (NULL draft, no error, when there is none under @key), after writing what
 * was scheduled. OW_CORE_ERROR_PARSE when the stored draft cannot be read: discard it. */
void           ow_draft_keeper_load_async       (OwDraftKeeper  *self,
                                                 const char     *key,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
OwIntakeDraft *ow_draft_keeper_load_finish      (OwDraftKeeper  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* Moves @draft to a new parked key (the "current" draft is deleted in the same step);
 * returns the key through the result. @draft stays the caller's (it is serialized at once);
 * a draft scheduled before is dropped, @draft being the form as it is now. */
void           ow_draft_keeper_park_async       (OwDraftKeeper  *self,
                                                 OwIntakeDraft  *draft,
                                                 const char     *title,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
char          *ow_draft_keeper_park_finish      (OwDraftKeeper  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* The parked drafts, most recent first: a GListModel of OwParkedDraft, refreshed in a worker
 * thread whenever a draft is parked, resumed or deleted. */
GListModel    *ow_draft_keeper_get_parked       (OwDraftKeeper  *self);
/* Loads the parked draft @key and takes it off the parked list: it is renamed "current" in
 * the same step, so that a crash before the next keystroke brings it back rather than losing
 * it. A draft scheduled before is dropped (the resumed one replaces the form: park or discard
 * the form first). A draft that cannot be read (OW_CORE_ERROR_PARSE) stays parked. */
void           ow_draft_keeper_resume_async     (OwDraftKeeper  *self,
                                                 const char     *key,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
OwIntakeDraft *ow_draft_keeper_resume_finish    (OwDraftKeeper  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
void           ow_draft_keeper_delete_async     (OwDraftKeeper  *self,
                                                 const char     *key,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean       ow_draft_keeper_delete_finish    (OwDraftKeeper  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

/* One parked draft in the list. */
#define OW_TYPE_PARKED_DRAFT (ow_parked_draft_get_type ())
G_DECLARE_FINAL_TYPE (OwParkedDraft, ow_parked_draft, OW, PARKED_DRAFT, GObject)

const char *ow_parked_draft_get_key      (OwParkedDraft *self);
const char *ow_parked_draft_get_title    (OwParkedDraft *self);
GDateTime  *ow_parked_draft_get_saved_at (OwParkedDraft *self);

G_END_DECLS
