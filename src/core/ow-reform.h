/* ow-reform.h — the "zero-trip" reform's terms: how a case came in, which items count, the targets
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hainan's reform plan measures itself by two indicators (domain.md, "Service items"):
 *   零跑动事项可办率 (availability): of the "6+1" items, the share that can be done with no trip
 *     to the hall at all (the catalog's `visits` is 0);
 *   可办事项使用率 (usage): of the cases of those items, the share that came through a channel
 *     that took no trip (online, on a phone, by post).
 * The platform computes both in SQL; ow_item_type_is_reform() (ow-item.h) says which items count,
 * this file which channels count and what the plan's yearly targets are.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How a case came in (a case's `channel` on the wire). NONE: not recorded, which is what every
 * case sent before the member existed says; the counter was then the only way in, so the
 * figures count such a case as WINDOW. */
typedef enum
{
  OW_CASE_CHANNEL_NONE = 0,
  OW_CASE_CHANNEL_WINDOW,        /* 窗口: at a counter of the hall */
  OW_CASE_CHANNEL_ONLINE,        /* 网上: on the province's web portal */
  OW_CASE_CHANNEL_MOBILE,        /* 移动端: on a phone (海易办 …) */
  OW_CASE_CHANNEL_SELF_SERVICE,  /* 自助终端: a self-service terminal */
  OW_CASE_CHANNEL_POST,          /* 邮寄: applied for by post or courier */
} OwCaseChannel;

#define OW_CASE_CHANNEL_LAST OW_CASE_CHANNEL_POST

/* Wire names "window", "online", "mobile", "self-service", "post"; NULL / FALSE for NONE and
 * values outside the enum. */
const char *ow_case_channel_to_string   (OwCaseChannel  channel);
gboolean    ow_case_channel_from_string (const char    *text,
                                         OwCaseChannel *channel);
/* Translated, for people. */
const char *ow_case_channel_to_label    (OwCaseChannel  channel);
/* In Simplified Chinese whatever the interface language, for documents and exports. */
const char *ow_case_channel_to_chinese  (OwCaseChannel  channel);
/* Whether a case that came through @channel took the applicant no trip: online, mobile and
 * post. A self-service terminal is a trip to wherever it stands; NONE counts as the window. */
gboolean    ow_case_channel_is_zero_trip (OwCaseChannel channel);

/* The plan's targets for @year as shares (0.5 for 50 %): 2021 50 % / 50 %, 2022 65 % / 60 %,
 * 2023 80 % / 70 %, from 2024 at least 95 % / 80 %. FALSE before 2021, which the plan does not
 * cover. @at_least, when not NULL, tells a floor ("≥") from a point target. */
gboolean    ow_reform_get_targets       (int            year,
                                         double        *availability,
                                         double        *usage,
                                         gboolean      *at_least);

G_END_DECLS
