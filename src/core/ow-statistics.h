/* ow-statistics.h — the hall's figures as the platform computes them for the supervisor
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain records, as tickets are (core owns no state of the platform's): what GET
 * /api/v1/statistics answers (OwStatistics), what GET /api/v1/statistics/cases counts
 * (OwCaseCounts) and what GET /api/v1/ratings lists (OwRatingRecord). The codec (net/ow-json.h)
 * reads and writes them on both sides; the local store keeps the last answers as GVariants
 * (ow_statistics_serialize() …) for when the platform cannot be reached.
 */
#pragma once

#include <glib.h>

#include "core/ow-case.h"
#include "core/ow-rating.h"
#include "core/ow-ticket.h"

G_BEGIN_DECLS

/* One group of a count: its key (a state, a counter's number, a user name, a department, an
 * item id, a channel, a rating level, a day "YYYY-MM-DD", a month "YYYY-MM", a number of
 * working days), the name people read where the key is not one (a clerk's display name, an
 * item's name; NULL otherwise), how many, and how many of them are the part the count is about
 * (poor ratings, cases that took no trip; 0 where there is none). */
typedef struct
{
  char   *key;
  char   *name;
  gint64  count;
  gint64  part;
} OwStatGroup;

OwStatGroup *ow_stat_group_new  (const char *key, const char *name, gint64 count, gint64 part);
void         ow_stat_group_free (OwStatGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwStatGroup, ow_stat_group_free)
/* An empty array that frees its OwStatGroups. */
GPtrArray   *ow_stat_groups_new (void);

/* A case past its promised date, in working days on the hall's calendar (ow-deadline.h). */
typedef struct
{
  char        *case_no;
  OwCaseState  state;
  GDate        promised_date;
  guint        working_days_late;
} OwStatLateCase;

void ow_stat_late_case_free (OwStatLateCase *late);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwStatLateCase, ow_stat_late_case_free)

/* The reform's indicators of one department (or the hall: department NULL). */
typedef struct
{
  char   *department;
  gint64  reform_items;            /* "6+1" items of the newest catalog */
  gint64  zero_trip_items;         /* … of them doable with no trip */
  gint64  cases;                   /* cases of those zero-trip items in the period */
  gint64  zero_trip_cases;         /* … of them through a channel that took no trip */
} OwStatIndicator;

void ow_stat_indicator_free (OwStatIndicator *indicator);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwStatIndicator, ow_stat_indicator_free)

typedef struct
{
  GDateTime *generated_at;
  GDate      today;        /* the platform's, in the hall (UTC+8): what deadlines count from */
  char      *hall;
  GDate      from;         /* the period asked for; invalid when open at that end */
  GDate      to;
  guint      due_within;   /* "due soon" means within this many working days */

  /* Cases of the hall, whenever received. */
  gint64     total;
  gint64     by_state[OW_CASE_STATE_WITHDRAWN + 1];
  GPtrArray *received_by_day;    /* OwStatGroup by day, over the period */

  /* Deadlines, now. Stopped clocks are by_state[SUPPLEMENT_REQUESTED] and [SUSPENDED]. */
  gint64     overdue;
  gint64     due_soon;
  GPtrArray *overdue_cases;      /* OwStatLateCase, the oldest promise first (at most 100) */
  GPtrArray *overdue_by_days;    /* OwStatGroup, key the working days late */
  GPtrArray *overdue_by_week;    /* OwStatGroup, key the Monday of the week they became late */
  GPtrArray *due_by_days;        /* OwStatGroup, key the working days left (0 … due_within) */

  /* The catalog and the reform's indicators: availability from the catalog, usage over the
   * cases received in the period; by_month the twelve months up to the period's end. */
  gint64     catalog_revision;
  gint64     catalog_items;
  gint64     catalog_zero_trip_items;
  OwStatIndicator hall_indicator;  /* department NULL */
  GPtrArray *indicators;           /* OwStatIndicator by department */
  GPtrArray *usage_by_month;       /* OwStatGroup, key "YYYY-MM", count cases, part zero-trip */

  /* Unfinished business. */
  gint64     tickets_open;
  gint64     tickets_overdue;

  /* Ratings: whenever made, and over the period by level, counter, clerk and item (count the
   * ratings, part the poor ones). */
  gint64     ratings_total;
  gint64     ratings_poor;
  gint64     ratings_unfollowed;
  GPtrArray *ratings_by_level;
  GPtrArray *ratings_by_counter;
  GPtrArray *ratings_by_clerk;
  GPtrArray *ratings_by_item;
} OwStatistics;

OwStatistics *ow_statistics_new         (void);
void          ow_statistics_free        (OwStatistics *statistics);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwStatistics, ow_statistics_free)

/* @part over @whole, or a negative number when @whole is 0 (no share to speak of). */
double        ow_statistics_share       (gint64        part,
                                         gint64        whole);
/* The hall's 可办率 and 使用率 as shares, negative when there is nothing to divide. */
double        ow_statistics_availability (const OwStatIndicator *indicator);
double        ow_statistics_usage        (const OwStatIndicator *indicator);

/* What GET /api/v1/statistics/cases answers: the cases a list query matches, grouped. */
typedef enum
{
  OW_CASE_COUNT_STATE,
  OW_CASE_COUNT_COUNTER,
  OW_CASE_COUNT_CLERK,
  OW_CASE_COUNT_DEPARTMENT,
  OW_CASE_COUNT_ITEM,
  OW_CASE_COUNT_CHANNEL,
} OwCaseCountBy;

#define OW_CASE_COUNT_LAST OW_CASE_COUNT_CHANNEL

/* Wire names: "state", "counter", "clerk", "department", "item", "channel". */
const char *ow_case_count_by_to_string   (OwCaseCountBy  by);
gboolean    ow_case_count_by_from_string (const char    *text,
                                          OwCaseCountBy *by);

typedef struct
{
  OwCaseCountBy  by;
  gint64         total;
  GPtrArray     *groups;   /* OwStatGroup, the largest first */
} OwCaseCounts;

OwCaseCounts *ow_case_counts_new  (OwCaseCountBy by);
void          ow_case_counts_free (OwCaseCounts *counts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwCaseCounts, ow_case_counts_free)

/* A rating as the supervisor reviews it: the rating, where its case was served, and the ticket
 * that follows it up. */
typedef struct
{
  char          *id;
  char          *case_no;
  char          *channel;        /* "on-site", "online" */
  guint          level;          /* 1 非常满意 … 5 非常不满意 */
  char          *text;           /* NULL when none */
  GDateTime     *at;             /* UTC */
  guint          counter;
  char          *clerk;
  char          *clerk_name;     /* NULL when the clerk is not a user of the platform */
  char          *item_id;        /* the case's first item */
  char          *item_name;
  char          *ticket_id;      /* the follow-up, NULL when none */
  OwTicketState  ticket_state;   /* 0 when none */
} OwRatingRecord;

void            ow_rating_record_free (OwRatingRecord *record);
OwRatingRecord *ow_rating_record_copy (const OwRatingRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwRatingRecord, ow_rating_record_free)

/* A rating's level (1–5) is an OwRatingLevel: ow_rating_level_is_poor(), _to_chinese() and
 * _to_label() of core/ow-rating.h name it; poor ones need a follow-up (domain.md). */

/* For the local store: the records as GVariants of a fixed type (a{sv} dictionaries, so that
 * members can be added later and older records still read), and back; the inverses fail with
 * OW_CORE_ERROR_PARSE on anything else. */
GVariant       *ow_statistics_serialize     (const OwStatistics   *statistics);
OwStatistics   *ow_statistics_deserialize   (GVariant             *variant,
                                             GError              **error);
GVariant       *ow_case_counts_serialize    (const OwCaseCounts   *counts);
OwCaseCounts   *ow_case_counts_deserialize  (GVariant             *variant,
                                             GError              **error);
GVariant       *ow_rating_record_serialize  (const OwRatingRecord *record);
OwRatingRecord *ow_rating_record_deserialize (GVariant            *variant,
                                             GError              **error);

G_END_DECLS
