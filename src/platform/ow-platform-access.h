/* ow-platform-access.h — who may see what: the one place the platform decides it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hall's staff (clerk, pickup, supervisor) see every case, and the tickets of their hall and
 * those assigned to them. A department user — one with the role department and none of the
 * hall's — sees its department's own (design.md §1: "never another department's"):
 *
 * - a case is a department's when one of its items names the department in `department`, as
 *   the catalog spells it; the files such a case names (its materials' pages) are the
 *   department's to read too, and so are the ratings of such a case;
 * - a ticket is a department's when it is assigned to a user of that department (the design
 *   makes "a department or the on-duty leader" a ticket's owner), so colleagues can take over a
 *   ticket from someone who is away; they may also work on it (started, resolved, explained,
 *   noted), as its assignee may.
 *
 * A department's decisions on a case (suspended … result-ready) are recorded only by a user of
 * a department the case names, whatever other roles they have. Everything else is refused with
 * 403 naming the field `department`, or left out of lists and of the changes feed. The route
 * handlers ask these functions and repeat none of the rules.
 */
#pragma once

#include "platform/ow-platform-private.h"

G_BEGIN_DECLS

/* Whether @user sees only their department's cases and tickets. */
gboolean ow_platform_user_sees_department_only (const OwPlatformUser *user);

/* Whether the case @kase (its JSON object, as stored) has an item of @department. */
gboolean ow_platform_case_names_department     (JsonObject           *kase,
                                                const char           *department);
/* Whether @user may see the case @kase (its JSON object, as stored). */
gboolean ow_platform_may_see_case              (const OwPlatformUser *user,
                                                JsonObject           *kase);

/* Look the case up and answer 403 (field `department`) or 500 themselves, returning FALSE, when
 * @user may not see it (_visible) or may not record a department's decision on it
 * (_decidable). An unknown case passes: the handler answers 404 for it. */
gboolean ow_platform_require_case_visible      (OwPlatformServer     *self,
                                                OwPlatformRequest    *msg,
                                                const OwPlatformUser *user,
                                                const char           *case_no);
gboolean ow_platform_require_case_decidable    (OwPlatformServer     *self,
                                                OwPlatformRequest    *msg,
                                                const OwPlatformUser *user,
                                                const char           *case_no);

/* GET /api/v1/cases: a department user lists their department's cases only; asking for
 * another department's (the `department` filter) is 403 field `department`, answered here. */
gboolean ow_platform_restrict_case_filter      (OwPlatformRequest    *msg,
                                                const OwPlatformUser *user,
                                                OwPlatformCaseFilter *filter);

/* A file @user may read: any for the hall's staff, the pages of their cases for a department
 * user. Answers 403 (field `department`) or 500 itself. */
gboolean ow_platform_require_file_visible      (OwPlatformServer     *self,
                                                OwPlatformRequest    *msg,
                                                const OwPlatformUser *user,
                                                const char           *sha256);

/* Whether @user may see the ticket @row; @field (when not NULL) says which rule refused it,
 * "hall" or "department". FALSE with @error when a lookup failed. */
gboolean ow_platform_may_see_ticket            (OwPlatformDb         *db,
                                                const OwPlatformUser *user,
                                                const OwPlatformTicketRow *row,
                                                gboolean             *visible,
                                                const char          **field,
                                                GError              **error);
/* Answers 403 (naming the field) or 500 itself and returns FALSE unless @user may see @row. */
gboolean ow_platform_require_ticket_visible    (OwPlatformServer     *self,
                                                OwPlatformRequest    *msg,
                                                const OwPlatformUser *user,
                                                const OwPlatformTicketRow *row);
/* Whether @user may work on @row (start, resolve, explain, note): its assignee, a user of the
 * assignee's department, or a supervisor. Answers 403 or 500 itself otherwise. */
gboolean ow_platform_require_ticket_worker     (OwPlatformServer     *self,
                                                OwPlatformRequest    *msg,
                                                const OwPlatformUser *user,
                                                const OwPlatformTicketRow *row);

/* A rating (its stored JSON) @user may read: one of a case they may see. Answers 403 or 500
 * itself. */
gboolean ow_platform_require_rating_visible    (OwPlatformServer     *self,
                                                OwPlatformRequest    *msg,
                                                const OwPlatformUser *user,
                                                const char           *rating_body);

/* Whether the changes feed tells @user about @change: what it names must be theirs to see
 * (catalog and calendar revisions are everyone's). @cache (kind and key → answer, made by the
 * caller for one answer of the feed) saves looking the same case up for each of its events. */
gboolean ow_platform_may_see_change            (OwPlatformDb         *db,
                                                const OwPlatformUser *user,
                                                const OwPlatformChange *change,
                                                GHashTable           *cache,
                                                gboolean             *visible,
                                                GError              **error);

G_END_DECLS
