/* ow-reform.c — the "zero-trip" reform's terms: how a case came in, which items count, the targets
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-reform.h"

static const struct
{
  const char *name;
  const char *label;
  const char *chinese;
} channels[] = {
  [OW_CASE_CHANNEL_WINDOW]       = { "window",       N_("At a counter"),          "窗口" },
  [OW_CASE_CHANNEL_ONLINE]       = { "online",       N_("Online"),                "网上" },
  [OW_CASE_CHANNEL_MOBILE]       = { "mobile",       N_("On a phone"),            "移动端" },
  [OW_CASE_CHANNEL_SELF_SERVICE] = { "self-service", N_("Self-service terminal"), "自助终端" },
  [OW_CASE_CHANNEL_POST]         = { "post",         N_("Applied by post"),       "邮寄" },
};

/* The plan's targets (海南省"零跑动"改革实施方案). */
static const struct
{
  int      year;
  double   availability;
  double   usage;
  gboolean at_least;
} targets[] = {
  { 2021, 0.50, 0.50, FALSE },
  { 2022, 0.65, 0.60, FALSE },
  { 2023, 0.80, 0.70, FALSE },
  { 2024, 0.95, 0.80, TRUE },
};

static gboolean
is_channel (OwCaseChannel channel)
{
  return channel > OW_CASE_CHANNEL_NONE && channel <= OW_CASE_CHANNEL_LAST;
}

const char *
ow_case_channel_to_string (OwCaseChannel channel)
{
  return is_channel (channel) ? channels[channel].name : NULL;
}

gboolean
ow_case_channel_from_string (const char    *text,
                             OwCaseChannel *channel)
{
  for (int i = OW_CASE_CHANNEL_WINDOW; text != NULL && i <= OW_CASE_CHANNEL_LAST; i++)
    if (g_str_equal (text, channels[i].name))
      {
        if (channel != NULL)
          *channel = (OwCaseChannel) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ow_case_channel_to_label (OwCaseChannel channel)
{
  return is_channel (channel) ? _(channels[channel].label) : NULL;
}

const char *
ow_case_channel_to_chinese (OwCaseChannel channel)
{
  return is_channel (channel) ? channels[channel].chinese : NULL;
}

gboolean
ow_case_channel_is_zero_trip (OwCaseChannel channel)
{
  return channel == OW_CASE_CHANNEL_ONLINE || channel == OW_CASE_CHANNEL_MOBILE
         || channel == OW_CASE_CHANNEL_POST;
}

gboolean
ow_reform_get_targets (int       year,
                       double   *availability,
                       double   *usage,
                       gboolean *at_least)
{
  guint found = G_N_ELEMENTS (targets);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (targets[i].year <= year)
      found = i;
  if (found == G_N_ELEMENTS (targets))
    return FALSE;
  /* The last year's floor holds for the years after it. */
  if (availability != NULL)
    *availability = targets[found].availability;
  if (usage != NULL)
    *usage = targets[found].usage;
  if (at_least != NULL)
    *at_least = targets[found].at_least;
  return TRUE;
}
