/* ow-ticket.h — a ticket of unfinished business (办不成事): its states, tiers and due date
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When something could not be done at a counter, the hall's "unfinished business" window
 * registers it, assigns it to someone, and must either resolve it or explain why it cannot be,
 * within a tier's time limit; then the applicant is called back and the ticket archived.
 */
#pragma once

#include <glib.h>

#include "ow-calendar.h"

G_BEGIN_DECLS

/* Registered → assigned → in progress → resolved or explained → called back → archived. An
 * assigned or in-progress ticket may be assigned again (to someone else). A progress note
 * ("noted") may be added in any state but archived, and changes none. */
typedef enum
{
  OW_TICKET_STATE_REGISTERED = 1,
  OW_TICKET_STATE_ASSIGNED,
  OW_TICKET_STATE_IN_PROGRESS,
  OW_TICKET_STATE_RESOLVED,     /* done after all */
  OW_TICKET_STATE_EXPLAINED,    /* cannot be done, and the applicant was told why */
  OW_TICKET_STATE_CALLED_BACK,  /* the applicant was asked whether they are satisfied */
  OW_TICKET_STATE_ARCHIVED,     /* final */
} OwTicketState;

typedef enum
{
  OW_TICKET_EVENT_ASSIGNED = 1,
  OW_TICKET_EVENT_STARTED,
  OW_TICKET_EVENT_RESOLVED,
  OW_TICKET_EVENT_EXPLAINED,
  OW_TICKET_EVENT_CALLED_BACK,
  OW_TICKET_EVENT_ARCHIVED,
  OW_TICKET_EVENT_NOTED,        /* a progress note: the state stays; not once archived */
} OwTicketEventKind;

/* How soon it must be resolved or explained. */
typedef enum
{
  OW_TICKET_TIER_ON_THE_SPOT = 1,  /* the same day */
  OW_TICKET_TIER_5_DAYS,           /* within 5 working days */
  OW_TICKET_TIER_10_DAYS,          /* within 10 working days */
} OwTicketTier;

/* What kind of thing could not be done: the registration's classification. */
typedef enum
{
  OW_TICKET_CATEGORY_MATERIALS_UNCLEAR = 1,  /* 材料或条件不明确 */
  OW_TICKET_CATEGORY_SYSTEM_FAULT,           /* 系统或网络故障 */
  OW_TICKET_CATEGORY_POLICY_GAP,             /* 政策或规定存在空白 */
  OW_TICKET_CATEGORY_SEVERAL_DEPARTMENTS,    /* 涉及多个部门 */
  OW_TICKET_CATEGORY_REPEATED_VISITS,        /* 多次跑动仍未办成 */
  OW_TICKET_CATEGORY_OTHER,                  /* 其他 */
} OwTicketCategory;

#define OW_TICKET_N_CATEGORIES OW_TICKET_CATEGORY_OTHER

/* Wire names: "registered", "in-progress" …; "assigned", "started" …; "on-the-spot",
 * "5-working-days", "10-working-days"; "materials-unclear", "system-fault", "policy-gap",
 * "several-departments", "repeated-visits", "other". NULL / FALSE outside the enums. */
const char *ow_ticket_state_to_string        (OwTicketState      state);
gboolean    ow_ticket_state_from_string      (const char        *text,
                                              OwTicketState     *state);
const char *ow_ticket_event_kind_to_string   (OwTicketEventKind  kind);
gboolean    ow_ticket_event_kind_from_string (const char        *text,
                                              OwTicketEventKind *kind);
const char *ow_ticket_tier_to_string         (OwTicketTier       tier);
gboolean    ow_ticket_tier_from_string       (const char        *text,
                                              OwTicketTier      *tier);
const char *ow_ticket_category_to_string     (OwTicketCategory   category);
/* Also reads what counters stored before categories were codes: the label in the clerk's
 * language, English or Chinese. */
gboolean    ow_ticket_category_from_string   (const char        *text,
                                              OwTicketCategory  *category);
/* The category as the reader's language names it. */
const char *ow_ticket_category_get_label     (OwTicketCategory   category);
/* @stored as it is kept and sent: the code of the category it names, or a copy of the text
 * when it names none (a hall's own classification); NULL for NULL. */
char       *ow_ticket_category_normalize     (const char        *stored);

/* Whether the ticket still waits to be resolved or explained (so that it can be overdue). */
gboolean    ow_ticket_state_is_open          (OwTicketState      state);
/* The state after @kind in @state; FALSE and OW_CORE_ERROR_ILLEGAL_TRANSITION, naming both, when
 * it cannot happen there. */
gboolean    ow_ticket_state_apply            (OwTicketState      state,
                                              OwTicketEventKind  kind,
                                              OwTicketState     *next,
                                              GError           **error);

/* Working days the tier allows: 0, 5 or 10. */
guint       ow_ticket_tier_working_days      (OwTicketTier       tier);
/* The due date of a ticket of @tier registered on @registered, counted on @calendar; sets
 * @provisional, when not NULL, if the count ran over a year with no published schedule. */
void        ow_ticket_compute_due_date       (OwCalendar        *calendar,
                                              const GDate       *registered,
                                              OwTicketTier       tier,
                                              GDate             *due,
                                              gboolean          *provisional);
/* Whether a ticket in @state due on @due is overdue on @today (open and past its due date). */
gboolean    ow_ticket_is_overdue             (OwTicketState      state,
                                              const GDate       *due,
                                              const GDate       *today);

/* How satisfied the applicant said they were when called back (回访): the five levels of the
 * hall's ratings, named on the wire so that nobody has to remember which end 1 is. */
typedef enum
{
  OW_TICKET_SATISFACTION_NONE = 0,           /* not asked: the applicant was not reached */
  OW_TICKET_SATISFACTION_VERY_SATISFIED,     /* 非常满意 */
  OW_TICKET_SATISFACTION_SATISFIED,          /* 满意 */
  OW_TICKET_SATISFACTION_BASICALLY,          /* 基本满意 */
  OW_TICKET_SATISFACTION_DISSATISFIED,       /* 不满意 */
  OW_TICKET_SATISFACTION_VERY_DISSATISFIED,  /* 非常不满意 */
} OwTicketSatisfaction;

/* "very-satisfied", "satisfied", "basically-satisfied", "dissatisfied", "very-dissatisfied". */
const char *ow_ticket_satisfaction_to_string   (OwTicketSatisfaction  satisfaction);
gboolean    ow_ticket_satisfaction_from_string (const char           *text,
                                                OwTicketSatisfaction *satisfaction);

/* A ticket as the counter keeps it: what was registered, and what the platform last said of it
 * (hall, state, assignee, due date, escalation). A plain record: the platform owns its state, the
 * client only mirrors it and applies its own events in advance. */
typedef struct
{
  char          *id;             /* client-chosen, 1–64 letters, digits, '-' or '_' */
  GDateTime     *registered_at;
  OwTicketTier   tier;
  char          *summary;        /* what could not be done, in the applicant's words */
  char          *contact_name;   /* NULL: none given */
  char          *contact_phone;
  char          *case_no;        /* the case it concerns, if any */
  char          *rating_id;      /* the poor rating it follows up, if any */
  char          *channel;        /* where it was tried: "online", "hall", "phone"; or NULL */
  char          *item_id;        /* the service item tried, if known */
  char          *category;       /* ow_ticket_category_to_string(), or a hall's own text; NULL */
  /* Set by the platform; empty / 0 / invalid until it answered. */
  char          *hall;
  OwTicketState  state;
  char          *assignee;
  GDate          due_date;
  gboolean       overdue;
  GDateTime     *escalated_at;   /* when it was escalated to the supervisors; NULL: not */
} OwTicket;

/* A step of a ticket's timeline (POST /api/v1/tickets/{id}/events). */
typedef struct
{
  char                 *id;           /* client-chosen */
  OwTicketEventKind     kind;
  GDateTime            *at;
  char                 *note;         /* what was done, why it cannot be, the call's notes */
  char                 *assignee;     /* for "assigned" only */
  gboolean              reached;      /* "called-back": whether the applicant was reached */
  OwTicketSatisfaction  satisfaction; /* "called-back" and reached: their answer; else NONE */
  char                **case_nos;     /* "resolved": the cases that resolved it; NULL for none */
} OwTicketEvent;

/* A new ticket in OW_TICKET_STATE_REGISTERED. */
OwTicket      *ow_ticket_new               (const char           *id,
                                            GDateTime            *registered_at,
                                            OwTicketTier          tier,
                                            const char           *summary);
OwTicket      *ow_ticket_copy              (const OwTicket       *ticket);
void           ow_ticket_free              (OwTicket             *ticket);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwTicket, ow_ticket_free)

OwTicketEvent *ow_ticket_event_new         (const char           *id,
                                            OwTicketEventKind     kind,
                                            GDateTime            *at);
OwTicketEvent *ow_ticket_event_copy        (const OwTicketEvent  *event);
void           ow_ticket_event_free        (OwTicketEvent        *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwTicketEvent, ow_ticket_event_free)

/* Checks what the platform checks of an event on its own (assignee only and always for
 * "assigned"; reached and satisfaction only for "called-back", satisfaction exactly when
 * reached; a note for "noted"; linked cases only for "resolved"): OW_CORE_ERROR_INVALID naming
 * the member in @field otherwise. */
gboolean       ow_ticket_event_validate    (const OwTicketEvent  *event,
                                            char                **field,
                                            GError              **error);
/* Moves @ticket on by @event (state, and assignee for "assigned"); fails, leaving it as it was,
 * when the state machine forbids the step. */
gboolean       ow_ticket_apply_event       (OwTicket             *ticket,
                                            const OwTicketEvent  *event,
                                            GError              **error);

/* For the local store: a{sv} dictionaries, so that a record written by an older version still
 * reads (unknown keys are ignored, missing ones left empty). Deserializing checks every value's
 * type and fails with OW_CORE_ERROR_PARSE on damaged input. */
GVariant      *ow_ticket_serialize         (const OwTicket       *ticket);
OwTicket      *ow_ticket_deserialize       (GVariant             *variant,
                                            GError              **error);
GVariant      *ow_ticket_event_serialize   (const OwTicketEvent  *event);
OwTicketEvent *ow_ticket_event_deserialize (GVariant             *variant,
                                            GError              **error);

G_END_DECLS
