/* ow-rating.h — the applicant's rating of the service (好差评) and its follow-up
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Five levels, 1 非常满意 … 5 非常不满意 (domain.md). A rating given at the counter is "on-site",
 * one per case; 4 and 5 are poor, and every poor rating is followed up: a ticket of unfinished
 * business names it (rating_id), so that the supervisor calls the applicant back.
 */
#pragma once

#include <glib.h>

#include "ow-ticket.h"

G_BEGIN_DECLS

typedef enum
{
  OW_RATING_VERY_SATISFIED = 1,   /* 非常满意 */
  OW_RATING_SATISFIED,            /* 满意 */
  OW_RATING_BASICALLY_SATISFIED,  /* 基本满意 */
  OW_RATING_DISSATISFIED,         /* 不满意 */
  OW_RATING_VERY_DISSATISFIED,    /* 非常不满意 */
} OwRatingLevel;

#define OW_RATING_MAX_TEXT 2000

/* For the applicant, translated: "Very satisfied" … */
const char *ow_rating_level_to_label (OwRatingLevel level);
/* The official wording, always Chinese: 非常满意 … (tickets, printed matter). */
const char *ow_rating_level_to_chinese (OwRatingLevel level);
gboolean    ow_rating_level_is_valid (int           level);
/* 不满意 and 非常不满意. */
gboolean    ow_rating_level_is_poor  (OwRatingLevel level);

typedef struct
{
  char          *id;       /* client-chosen: 1–64 letters, digits, '-' or '_' */
  char          *case_no;
  char          *channel;  /* "on-site" at the counter, "online" from the province's system */
  OwRatingLevel  level;
  char          *text;     /* what the applicant wrote, or NULL */
  GDateTime     *at;
} OwRating;

/* An on-site rating of @case_no, now, under a fresh id. */
OwRating *ow_rating_new       (const char     *case_no,
                               OwRatingLevel   level,
                               const char     *text);
OwRating *ow_rating_copy      (const OwRating *rating);
void      ow_rating_free      (OwRating       *rating);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwRating, ow_rating_free)

/* What the platform checks of a rating on its own: the id's form, a case number, the channel,
 * the level, text of at most OW_RATING_MAX_TEXT characters. OW_CORE_ERROR_INVALID naming the
 * member in @field. */
gboolean  ow_rating_validate  (const OwRating *rating,
                               char          **field,
                               GError        **error);

/* The follow-up of the poor rating @rating: a ticket registered now (tier 5 working days,
 * channel "hall"), naming the rating and the case, with the applicant's @contact_name and
 * @contact_phone (either may be NULL) to call back, and a summary in Chinese for the ledger. */
OwTicket *ow_rating_follow_up (const OwRating *rating,
                               const char     *contact_name,
                               const char     *contact_phone);

G_END_DECLS
