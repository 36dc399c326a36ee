/* ow-store.h — the workstation's local SQLite store: cases, drafts, outbox, audit log
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One database per workstation, in WAL mode, with versioned migrations. Every change that must
 * reach the platform is written together with its outbox entry in one transaction, so a crash
 * leaves either both or neither. The synchronous functions block: call them from a worker thread
 * (the _async variants do that with GTask); the store serializes access with its own lock.
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-case.h"
#include "core/ow-catalog.h"
#include "core/ow-rating.h"
#include "core/ow-ticket.h"
#include "core/ow-types.h"

G_BEGIN_DECLS

#define OW_STORE_ERROR (ow_store_error_quark ())

typedef enum
{
  OW_STORE_ERROR_OPEN,       /* cannot open or create the database file */
  OW_STORE_ERROR_MIGRATE,    /* the schema is newer than this program, or a migration failed */
  OW_STORE_ERROR_IO,         /* SQLite failed: disk full, I/O error, locked too long */
  OW_STORE_ERROR_NOT_FOUND,
  OW_STORE_ERROR_CORRUPT,    /* a stored record cannot be read back */
  OW_STORE_ERROR_DUPLICATE,  /* the record is kept already (a case's one on-site rating) */
} OwStoreError;

GQuark ow_store_error_quark (void);

/* One change waiting for the platform. */
typedef struct
{
  gint64  id;             /* increasing: the order of sending */
  char   *kind;           /* "case", "file", "event" … */
  char   *key;            /* what it is about (a case number); order is kept per key */
  char   *method;         /* "PUT", "POST" */
  char   *path;           /* "/api/v1/cases/…" */
  char   *content_type;
  GBytes *body;
  guint   attempts;
  char   *last_error;     /* NULL until an attempt failed */
  gint64  next_attempt;   /* monotonic-free wall clock, µs since the epoch; 0 = now */
  gboolean dead;          /* refused by the platform (4xx other than 408/429): needs a person */
  gint64  created_at;     /* µs since the epoch */
  /* When not NULL, the SHA-256 of a file in the files folder whose bytes are the body, read
   * when the entry is sent (body is then NULL in the database). Scanned pages are named by
   * their content, so the file cannot change under the entry. */
  char   *body_file;
} OwOutboxEntry;

/* What the outbox holds, for the window and the sync engine's state. */
typedef struct
{
  guint  pending;   /* all entries, dead ones included */
  guint  dead;      /* refused: they need a person */
  guint  blocked;   /* live, but behind a dead entry of the same key: they wait for it */
  gint64 next_due;  /* next_attempt of the first entry that may be sent; 0 when there is none */
} OwOutboxSummary;

void           ow_outbox_entry_free (OwOutboxEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwOutboxEntry, ow_outbox_entry_free)

#define OW_TYPE_STORE (ow_store_get_type ())
G_DECLARE_FINAL_TYPE (OwStore, ow_store, OW, STORE, GObject)

/* Opens or creates the database at @path and brings its schema up to date. */
OwStore       *ow_store_open                (const char     *path,
                                             GError        **error);
void           ow_store_open_async          (const char     *path,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
OwStore       *ow_store_open_finish         (GAsyncResult   *result,
                                             GError        **error);
const char    *ow_store_get_path            (OwStore        *self);
int            ow_store_get_schema_version  (OwStore        *self);
/* Where scanned pages live: files named by their SHA-256 beside the database. */
const char    *ow_store_get_files_dir       (OwStore        *self);

/* The next sequence number of (@hall, @counter) on @date, committed before it is returned, so a
 * number once handed out is never handed out again, even after a crash. */
guint          ow_store_next_sequence       (OwStore        *self,
                                             const char     *hall,
                                             guint           counter,
                                             const GDate    *date,
                                             GError        **error);
/* The next sequence number of this workstation's documents in @year (a notice's number is
 * the counter's: 海口政服受〔2026〕70012号), from 1, committed before it is returned like
 * ow_store_next_sequence(): taken and counted up in one statement, so that two threads or
 * programs never get the same one. Kept in the meta key document-sequence-YEAR. */
guint          ow_store_next_document_sequence (OwStore     *self,
                                             int             year,
                                             GError        **error);

/* Saves (inserts or replaces) @kase and, when @entry is not NULL, appends @entry (its id and
 * created_at are filled in) to the outbox, and an audit record, all in one transaction. */
gboolean       ow_store_save_case           (OwStore        *self,
                                             OwCase         *kase,
                                             OwOutboxEntry  *entry,
                                             const char     *user,
                                             GError        **error);
void           ow_store_save_case_async     (OwStore        *self,
                                             OwCase         *kase,
                                             OwOutboxEntry  *entry,
                                             const char     *user,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
gboolean       ow_store_save_case_finish    (OwStore        *self,
                                             GAsyncResult   *result,
                                             GError        **error);
/* Like ow_store_save_case() with any number of outbox @entries (OwOutboxEntry), appended in
 * their order in the same transaction. An entry whose body_file the platform already holds
 * (an earlier upload was acknowledged) or that a live entry already carries is left out, so a
 * page shared by several cases goes up once; its id stays 0. */
gboolean       ow_store_save_case_full      (OwStore        *self,
                                             OwCase         *kase,
                                             GPtrArray      *entries,
                                             const char     *user,
                                             GError        **error);
/* Like ow_store_save_case_full(), and deletes the draft @draft_key (NULL for none; a key with
 * no draft is no error) in the same transaction: a case made from a form and the form's draft
 * never both survive a crash, so a decided case cannot come back as a draft. */
gboolean       ow_store_save_case_from_draft (OwStore       *self,
                                             OwCase         *kase,
                                             GPtrArray      *entries,
                                             const char     *draft_key,
                                             const char     *user,
                                             GError        **error);
/* Saves @kase as the platform sent it, without an outbox entry, unless the outbox still holds a
 * live change of the same case: the clerk's change, not yet sent, wins here, and the platform's
 * answer to it comes back through the changes feed. @applied tells which happened. */
gboolean       ow_store_save_remote_case    (OwStore        *self,
                                             OwCase         *kase,
                                             gboolean       *applied,
                                             GError        **error);
OwCase        *ow_store_load_case           (OwStore        *self,
                                             const char     *case_no,
                                             GError        **error);
/* Cases of this workstation, newest first; @state 0 for all. GPtrArray of OwCase. */
GPtrArray     *ow_store_list_cases          (OwStore        *self,
                                             OwCaseState     state,
                                             guint           limit,
                                             GError        **error);
/* Cases whose applicant has @id_number, newest first. */
GPtrArray     *ow_store_find_cases_by_applicant (OwStore    *self,
                                             const char     *id_number,
                                             GError        **error);

/* Tickets (unfinished business). Saves (inserts or replaces) @ticket and appends @entries
 * (OwOutboxEntry, may be NULL), with an audit record, in one transaction. */
gboolean       ow_store_save_ticket         (OwStore        *self,
                                             const OwTicket *ticket,
                                             GPtrArray      *entries,
                                             const char     *user,
                                             GError        **error);
/* Records @event of @ticket (already moved on by it: ow_ticket_apply_event()) and saves the
 * ticket, with @entries and an audit record, in one transaction. */
gboolean       ow_store_save_ticket_event   (OwStore        *self,
                                             const OwTicket *ticket,
                                             const OwTicketEvent *event,
                                             GPtrArray      *entries,
                                             const char     *user,
                                             GError        **error);
/* Saves @ticket and, when @events (OwTicketEvent) is not NULL, replaces its timeline with them,
 * as the platform sent them, unless the outbox still holds a live change of the ticket: as
 * for cases, the counter's unsent change wins and the platform's view comes back later. */
gboolean       ow_store_save_remote_ticket  (OwStore        *self,
                                             const OwTicket *ticket,
                                             GPtrArray      *events,
                                             gboolean       *applied,
                                             GError        **error);
/* OW_STORE_ERROR_NOT_FOUND when the ticket is not kept here. */
OwTicket      *ow_store_load_ticket         (OwStore        *self,
                                             const char     *id,
                                             GError        **error);
/* Tickets, newest registration first; @state 0 for any, @assignee NULL for anyone, @limit 0 for
 * all. GPtrArray of OwTicket. */
GPtrArray     *ow_store_list_tickets        (OwStore        *self,
                                             OwTicketState   state,
                                             const char     *assignee,
                                             guint           limit,
                                             GError        **error);
/* The timeline of ticket @id, oldest first: GPtrArray of OwTicketEvent (empty when none). */
GPtrArray     *ow_store_list_ticket_events  (OwStore        *self,
                                             const char     *id,
                                             GError        **error);

/* The same in a worker thread, for the tickets page: the list (GPtrArray of OwTicket), and one
 * ticket with its timeline (@events: GPtrArray of OwTicketEvent, oldest first). */
void           ow_store_list_tickets_async  (OwStore        *self,
                                             OwTicketState   state,
                                             const char     *assignee,
                                             guint           limit,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
GPtrArray     *ow_store_list_tickets_finish (OwStore        *self,
                                             GAsyncResult   *result,
                                             GError        **error);
void           ow_store_load_ticket_async   (OwStore        *self,
                                             const char     *id,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
OwTicket      *ow_store_load_ticket_finish  (OwStore        *self,
                                             GAsyncResult   *result,
                                             GPtrArray     **events,
                                             GError        **error);

/* The outbox, oldest first: GPtrArray of OwOutboxEntry, dead entries included. */
GPtrArray     *ow_store_list_outbox         (OwStore        *self,
                                             GError        **error);
/* The oldest entry that is not dead and is due at @now; NULL with no error when none is. */
OwOutboxEntry *ow_store_outbox_next         (OwStore        *self,
                                             gint64          now,
                                             GError        **error);
/* What may be sent side by side at @now, oldest first, at most @limit (GPtrArray of
 * OwOutboxEntry, maybe empty): the oldest entry of each key that has one on its way in no
 * @busy_keys (NULL-terminated; NULL for none), none behind a refused (dead) entry of its key,
 * none that names in its body a page or a record (a key) still on its way in an older entry of
 * another key (a case its pages, a ticket its case). An entry that waits for the back-off of a
 * failed attempt holds back every newer one (the platform is away); @wait_until (may be NULL)
 * is then its next_attempt, otherwise 0. */
GPtrArray     *ow_store_outbox_next_batch   (OwStore            *self,
                                             gint64              now,
                                             const char * const *busy_keys,
                                             guint               limit,
                                             gint64             *wait_until,
                                             GError            **error);
guint          ow_store_outbox_count        (OwStore        *self,
                                             GError        **error);
/* Counts without reading the bodies: cheap enough to run after every send. */
gboolean       ow_store_outbox_summary      (OwStore        *self,
                                             OwOutboxSummary *summary,
                                             GError        **error);
/* A person fixed what made the platform refuse entry @id: it is live again, due now. Its
 * attempts and last error stay, as history. */
gboolean       ow_store_outbox_revive       (OwStore        *self,
                                             gint64          id,
                                             GError        **error);
/* The platform has the change: the entry goes, in the same transaction as an audit record. */
gboolean       ow_store_outbox_ack          (OwStore        *self,
                                             gint64          id,
                                             GError        **error);
/* An attempt failed: count it, keep the message, try again at @next_attempt; or mark it dead. */
gboolean       ow_store_outbox_fail         (OwStore        *self,
                                             gint64          id,
                                             const char     *message,
                                             gint64          next_attempt,
                                             gboolean        dead,
                                             GError        **error);

/* Scanned pages: files in the files folder named by the lower-case hex SHA-256 of their bytes.
 * Adds @bytes (written to a temporary file, flushed to disk and renamed, so a crash never
 * leaves half a page under a hash name) and returns its name. */
char          *ow_store_add_file            (OwStore        *self,
                                             GBytes         *bytes,
                                             GError        **error);
/* The bytes of file @sha256, checked against their name: a damaged page is an error
 * (OW_STORE_ERROR_CORRUPT), a missing one OW_STORE_ERROR_NOT_FOUND. */
GBytes        *ow_store_read_file           (OwStore        *self,
                                             const char     *sha256,
                                             GError        **error);
/* The same without the hash check, for uploads: the platform checks the hash of every file it
 * receives (422, field "sha256") and the sync engine turns that refusal into the same advice, so
 * the happy path does not hash each page twice. */
GBytes        *ow_store_read_file_unverified (OwStore       *self,
                                             const char     *sha256,
                                             GError        **error);
/* The content type the platform accepts for file @sha256, from its first bytes: image/png,
 * image/jpeg or application/pdf. NOT_FOUND when the file is missing, CORRUPT for another kind. */
char          *ow_store_get_file_type       (OwStore        *self,
                                             const char     *sha256,
                                             GError        **error);

/* Drafts: whatever a form holds, saved as it is typed. @data is opaque to the store. */
gboolean       ow_store_save_draft          (OwStore        *self,
                                             const char     *key,
                                             const char     *title,
                                             GBytes         *data,
                                             GError        **error);
GBytes        *ow_store_load_draft          (OwStore        *self,
                                             const char     *key,
                                             GError        **error);
gboolean       ow_store_delete_draft        (OwStore        *self,
                                             const char     *key,
                                             GError        **error);
/* Keys of the saved drafts, most recent first. */
char         **ow_store_list_drafts         (OwStore        *self,
                                             GError        **error);

/* One saved draft in a list: its key, the title it was saved with (NULL when none) and when it
 * was last written, in µs since the epoch. */
typedef struct
{
  char   *key;
  char   *title;
  gint64  updated_at;
} OwDraftInfo;

void           ow_draft_info_free           (OwDraftInfo    *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwDraftInfo, ow_draft_info_free)

/* The saved drafts whose key starts with @prefix (NULL for all), most recent first, without
 * their data: GPtrArray of OwDraftInfo. */
GPtrArray     *ow_store_list_draft_infos    (OwStore        *self,
                                             const char     *prefix,
                                             GError        **error);
/* Moves a draft to @to_key in one transaction, replacing what @to_key held; @to_key counts as
 * written now. With @data, @to_key gets @title and @data and @from_key is deleted if it exists
 * (parking the form as it is now: the draft it was typed into goes in the same step). Without,
 * the draft under @from_key is renamed, its title and data kept; OW_STORE_ERROR_NOT_FOUND when
 * there is none. */
gboolean       ow_store_move_draft          (OwStore        *self,
                                             const char     *from_key,
                                             const char     *to_key,
                                             const char     *title,
                                             GBytes         *data,
                                             GError        **error);

/* The platform's last answers (ow-store-answers.c), for the supervisor's overview offline:
 * @value (a GVariant of core's: statistics, a page of cases …) answered to @user for @key
 * (the question: route and query), fetched at @fetched_at (µs since the epoch). Saving replaces
 * what @key held and forgets the oldest answers beyond a few hundred. Loading finishes with
 * OW_STORE_ERROR_NOT_FOUND when nothing is kept for @key. */
gboolean       ow_store_save_answer         (OwStore        *self,
                                             const char     *user,
                                             const char     *key,
                                             GVariant       *value,
                                             gint64          fetched_at,
                                             GError        **error);
GVariant      *ow_store_load_answer         (OwStore        *self,
                                             const char     *user,
                                             const char     *key,
                                             gint64         *fetched_at,
                                             GError        **error);
void           ow_store_save_answer_async   (OwStore        *self,
                                             const char     *user,
                                             const char     *key,
                                             GVariant       *value,
                                             gint64          fetched_at,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
gboolean       ow_store_save_answer_finish  (OwStore        *self,
                                             GAsyncResult   *result,
                                             GError        **error);
void           ow_store_load_answer_async   (OwStore        *self,
                                             const char     *user,
                                             const char     *key,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
GVariant      *ow_store_load_answer_finish  (OwStore        *self,
                                             GAsyncResult   *result,
                                             gint64         *fetched_at,
                                             GError        **error);

/* Appends to the audit log (time, user, event, object, result). The log is append-only:
 * triggers refuse UPDATE and DELETE on it. */
gboolean       ow_store_audit               (OwStore        *self,
                                             const char     *user,
                                             const char     *event,
                                             const char     *object,
                                             const char     *result,
                                             GError        **error);
guint          ow_store_audit_count         (OwStore        *self,
                                             GError        **error);

/* Key–value settings the store keeps (the changes-feed cursor, the catalog ETag …). */
char          *ow_store_get_meta            (OwStore        *self,
                                             const char     *key,
                                             GError        **error);
gboolean       ow_store_set_meta            (OwStore        *self,
                                             const char     *key,
                                             const char     *value,
                                             GError        **error);

/* ---- the pick-up window: timelines, the hall's results, ratings (ow-store-pickup.c) ------ */

/* An event of a case's timeline as the store keeps it: what lists need, and the event itself as
 * the codec's JSON (@body), which the store does not read. */
typedef struct
{
  char            *id;
  char            *case_no;
  OwCaseEventKind  kind;
  gint64           at;      /* µs since the epoch */
  char            *carrier; /* a mailing's carrier id, or NULL */
  char            *waybill; /* a mailing's, or NULL */
  char            *body;
} OwStoreCaseEvent;

OwStoreCaseEvent *ow_store_case_event_new  (const char      *id,
                                            const char      *case_no,
                                            OwCaseEventKind  kind,
                                            GDateTime       *at,
                                            const char      *body);
void           ow_store_case_event_free     (OwStoreCaseEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwStoreCaseEvent, ow_store_case_event_free)

/* Saves @kase, already moved on by @event, with @event in its timeline, @entries in the outbox
 * and an audit record of the step (event: the kind, object: the case number, result:
 * @audit_note, such as who collected), in one transaction. */
gboolean       ow_store_save_case_event     (OwStore        *self,
                                             OwCase         *kase,
                                             const OwStoreCaseEvent *event,
                                             GPtrArray      *entries,
                                             const char     *user,
                                             const char     *audit_note,
                                             GError        **error);
/* Adds the platform's events of a case (OwStoreCaseEvent) to its timeline; an event kept
 * already (the counter's own, by id) stays as it is. */
gboolean       ow_store_save_remote_case_events (OwStore    *self,
                                             GPtrArray      *events,
                                             GError        **error);
/* The timeline of @case_no, in the order it was recorded: GPtrArray of OwStoreCaseEvent. */
GPtrArray     *ow_store_list_case_events    (OwStore        *self,
                                             const char     *case_no,
                                             GError        **error);
/* Saves @kase as the platform listed it unless this store has it already (in whatever state):
 * what a pick-up counter learns of its hall's results, which the changes feed keeps current
 * from then on. @saved tells which happened. */
gboolean       ow_store_save_remote_case_if_absent (OwStore  *self,
                                             OwCase         *kase,
                                             gboolean       *saved,
                                             GError        **error);
/* Cases of @hall in @state (OW_CASE_STATE_RESULT_READY or _MAILED) whose timeline holds no
 * event that put them in it: the mirror fetches their timelines. A GStrv, at most @limit. */
char         **ow_store_list_cases_without_timeline (OwStore *self,
                                             const char     *hall,
                                             OwCaseState     state,
                                             guint           limit,
                                             GError        **error);

/* A case as the pick-up window lists it. */
typedef struct
{
  OwCase          *kase;
  gint64           ready_at;    /* µs: when the result was ready (its timeline), 0 unknown */
  gint64           mailed_at;   /* µs: when it was mailed, 0 for none */
  gint64           updated_at;  /* µs: when this store last saved the case */
  OwCaseEventKind  decision;    /* OW_CASE_EVENT_APPROVED or _NOT_APPROVED; 0 unknown */
  char            *carrier;     /* NULL unless mailed: the carrier's id; from the timeline */
  char            *waybill;     /* NULL unless mailed; from the timeline */
  gboolean         rated;       /* an on-site rating of the case was given here */
} OwStorePickupCase;

void           ow_store_pickup_case_free    (OwStorePickupCase *pickup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwStorePickupCase, ow_store_pickup_case_free)

/* The cases of @hall in @state, the longest wait first, at most @limit (0: all):
 * GPtrArray of OwStorePickupCase. A window shows the first few hundred; the rest are found by
 * number or ID, which is what a limit saves reading. */
GPtrArray     *ow_store_list_pickup_cases   (OwStore        *self,
                                             const char     *hall,
                                             OwCaseState     state,
                                             guint           limit,
                                             GError        **error);
/* Every case of the applicant @id_number (a resident ID or credit code, in any case of
 * letters), any state and hall, newest first: GPtrArray of OwStorePickupCase. */
GPtrArray     *ow_store_find_pickup_cases   (OwStore        *self,
                                             const char     *id_number,
                                             GError        **error);
/* One case, with what the window shows of it; OW_STORE_ERROR_NOT_FOUND when not kept here. */
OwStorePickupCase *ow_store_load_pickup_case (OwStore       *self,
                                             const char     *case_no,
                                             GError        **error);
/* The same in a worker thread: @case_no to load one, else @id_number to find, else @hall and
 * @state to list, at most @limit. Finishes with a GPtrArray of OwStorePickupCase. */
void           ow_store_query_pickup_async  (OwStore        *self,
                                             const char     *case_no,
                                             const char     *id_number,
                                             const char     *hall,
                                             OwCaseState     state,
                                             guint           limit,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
GPtrArray     *ow_store_query_pickup_finish (OwStore        *self,
                                             GAsyncResult   *result,
                                             GError        **error);

/* The cases of @hall mailed between @from and @to (µs since the epoch), whatever became of them
 * since, in the order they were mailed: the courier's hand-over list. GPtrArray of
 * OwStorePickupCase. */
GPtrArray     *ow_store_list_mailings       (OwStore        *self,
                                             const char     *hall,
                                             gint64          from,
                                             gint64          to,
                                             GError        **error);

/* Keeps @rating (state "given") and, for a poor one, its follow-up @ticket (NULL for none),
 * with @entries in the outbox and an audit record, in one transaction. Fails with
 * OW_STORE_ERROR_DUPLICATE, keeping nothing, when an on-site rating of the case was given
 * here already. */
gboolean       ow_store_save_rating         (OwStore        *self,
                                             const OwRating *rating,
                                             const OwTicket *ticket,
                                             GPtrArray      *entries,
                                             const char     *user,
                                             GError        **error);
/* Whether an on-site rating of @case_no was given here (and not found a duplicate). */
gboolean       ow_store_case_is_rated       (OwStore        *self,
                                             const char     *case_no,
                                             gboolean       *rated,
                                             GError        **error);
/* The platform answered that @case_no had its on-site rating already (409, field case_no):
 * outbox entry @entry_id and the entries behind it of the same key (the follow-up ticket's
 * registration) leave the outbox, the rating is marked a duplicate and its follow-up ticket,
 * which never reached the platform, is dropped, with an audit record, in one transaction.
 * @case_no receives the rated case's number. */
gboolean       ow_store_settle_duplicate_rating (OwStore    *self,
                                             gint64          entry_id,
                                             char          **case_no,
                                             GError        **error);

/* ---- what the platform publishes: the catalog and the calendar (ow-store-catalog.c) ----- */

/* The catalog kept here: every item listed by its summary (ow_catalog_add_summary()), with the
 * bundles and the revision; no loader (see ow_store_load_catalog_bodies()). NULL with no error
 * when none is kept. @etag and @stamp (may be NULL) receive the catalog's ETag (NULL if none)
 * and the stamp that changes with every change of the kept catalog. */
OwCatalog     *ow_store_load_catalog        (OwStore        *self,
                                             char          **etag,
                                             char          **stamp,
                                             GError        **error);
/* The revision kept, 0 for none. */
gint64         ow_store_get_catalog_revision (OwStore       *self,
                                             GError        **error);
/* The bodies of the items @ids as the platform sent them (JSON text; the store does not read
 * them): a GPtrArray of char *, in any order, the ids it does not keep left out. */
GPtrArray     *ow_store_load_catalog_bodies (OwStore        *self,
                                             const char * const *ids,
                                             GError        **error);

/* A whole catalog, in pages: begin, then stage each page — @items (OwItem, complete) with
 * their @bodies (char *, the same order) — then finish, which in one transaction makes it the
 * catalog kept (revision @revision, @etag, @bundles: OwBundle) and drops the one before. Until
 * then the catalog kept stays as it was: a download cut short changes nothing. */
gboolean       ow_store_begin_catalog       (OwStore        *self,
                                             GError        **error);
gboolean       ow_store_stage_catalog_items (OwStore        *self,
                                             GPtrArray      *items,
                                             GPtrArray      *bodies,
                                             GError        **error);
gboolean       ow_store_finish_catalog      (OwStore        *self,
                                             gint64          revision,
                                             const char     *etag,
                                             GPtrArray      *bundles,
                                             GError        **error);
/* A delta (GET /api/v1/catalog?since=): replaces or adds @items with @bodies and drops
 * @removed (ids) from the catalog kept, in one transaction. With @bundles not NULL they
 * replace the bundles, and @revision (with @etag) becomes the kept one: the last page of a
 * delta. A page applied twice changes nothing more. */
gboolean       ow_store_apply_catalog_delta (OwStore        *self,
                                             GPtrArray      *items,
                                             GPtrArray      *bodies,
                                             const char * const *removed,
                                             GPtrArray      *bundles,
                                             gint64          revision,
                                             const char     *etag,
                                             GError        **error);
/* The search index built over the catalog of @stamp (opaque bytes), kept unless the catalog
 * changed meanwhile (then FALSE with no error: nothing kept). Loading answers NULL with no
 * error when none is kept for @stamp. */
gboolean       ow_store_save_catalog_index  (OwStore        *self,
                                             const char     *stamp,
                                             GBytes         *data,
                                             GError        **error);
GBytes        *ow_store_load_catalog_index  (OwStore        *self,
                                             const char     *stamp,
                                             GError        **error);

/* One year of the calendar as the platform published it. */
typedef struct
{
  int       year;
  char     *national;   /* TSV for ow_calendar_load_national(), or NULL */
  char     *local;      /* TSV for ow_calendar_load_local(), or NULL */
  gboolean  published;
  char     *etag;       /* the platform's ETag of the year, or NULL */
  gint64    fetched_at; /* µs since the epoch */
} OwStoreCalendarYear;

void           ow_store_calendar_year_free  (OwStoreCalendarYear *year);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwStoreCalendarYear, ow_store_calendar_year_free)

gboolean       ow_store_save_calendar_year  (OwStore        *self,
                                             const OwStoreCalendarYear *year,
                                             GError        **error);
/* Every year kept, oldest first: GPtrArray of OwStoreCalendarYear. */
GPtrArray     *ow_store_load_calendar       (OwStore        *self,
                                             GError        **error);

/* ---- offline log-in (ow-store-credentials.c) -------------------------------------------- */

/* What the counter keeps of a user after an online log-in at platform @platform. */
typedef struct
{
  char   *platform;
  char   *username;
  char   *verifier;      /* crypto_pwhash_str of the password */
  char   *display_name;
  char  **roles;
  char   *hall;
  char   *hall_name;
  guint   counter;
  gint64  verified_at;   /* µs since the epoch: the last online log-in */
  guint   failures;      /* failed offline attempts since the last success or lock */
  gint64  locked_until;  /* µs; 0 when not locked */
  gint64  revoked_at;    /* µs; 0 when not revoked */
  char   *revoked_why;
} OwStoreCredential;

OwStoreCredential *ow_store_credential_copy (const OwStoreCredential *credential);
void           ow_store_credential_free     (OwStoreCredential *credential);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwStoreCredential, ow_store_credential_free)

/* Keeps @credential after an online log-in (replacing what was kept of the user: failures and
 * any revocation cleared), with an audit record, in one transaction. */
gboolean       ow_store_save_credential     (OwStore        *self,
                                             const OwStoreCredential *credential,
                                             GError        **error);
/* NULL with no error when nothing is kept of @username at @platform. */
OwStoreCredential *ow_store_load_credential (OwStore        *self,
                                             const char     *platform,
                                             const char     *username,
                                             GError        **error);
/* An offline attempt with a wrong password: counted, and once @limit are counted the user is
 * locked until @now + @lock_usec (and counting starts again); audited, in one transaction.
 * @failures and @locked_until (may be NULL) receive the state after it. */
gboolean       ow_store_credential_failed   (OwStore        *self,
                                             const char     *platform,
                                             const char     *username,
                                             gint64          now,
                                             guint           limit,
                                             gint64          lock_usec,
                                             guint          *failures,
                                             gint64         *locked_until,
                                             GError        **error);
/* A successful offline log-in: the count cleared, audited. */
gboolean       ow_store_credential_succeeded (OwStore       *self,
                                             const char     *platform,
                                             const char     *username,
                                             GError        **error);
/* The platform said the user may no longer log in: nothing lets them in offline any more
 * (the verifier is wiped), audited. No error when nothing is kept. */
gboolean       ow_store_revoke_credential   (OwStore        *self,
                                             const char     *platform,
                                             const char     *username,
                                             const char     *why,
                                             GError        **error);

G_END_DECLS
