/* ow-rating.c — the applicant's rating of the service (好差评) and its follow-up
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ow-clock.h"
#include "ow-error.h"
#include "ow-rating.h"

static const char * const labels[] = {
  [OW_RATING_VERY_SATISFIED] = N_("Very satisfied"),
  [OW_RATING_SATISFIED] = N_("Satisfied"),
  [OW_RATING_BASICALLY_SATISFIED] = N_("Basically satisfied"),
  [OW_RATING_DISSATISFIED] = N_("Dissatisfied"),
  [OW_RATING_VERY_DISSATISFIED] = N_("Very dissatisfied"),
};

static const char * const chinese[] = {
  [OW_RATING_VERY_SATISFIED] = "非常满意",
  [OW_RATING_SATISFIED] = "满意",
  [OW_RATING_BASICALLY_SATISFIED] = "基本满意",
  [OW_RATING_DISSATISFIED] = "不满意",
  [OW_RATING_VERY_DISSATISFIED] = "非常不满意",
};

gboolean
ow_rating_level_is_valid (int level)
{
  return level >= OW_RATING_VERY_SATISFIED && level <= OW_RATING_VERY_DISSATISFIED;
}

const char *
ow_rating_level_to_label (OwRatingLevel level)
{
  return ow_rating_level_is_valid (level) ? _(labels[level]) : NULL;
}

const char *
ow_rating_level_to_chinese (OwRatingLevel level)
{
  return ow_rating_level_is_valid (level) ? chinese[level] : NULL;
}

gboolean
ow_rating_level_is_poor (OwRatingLevel level)
{
  return level == OW_RATING_DISSATISFIED || level == OW_RATING_VERY_DISSATISFIED;
}

OwRating *
ow_rating_new (const char    *case_no,
               OwRatingLevel  level,
               const char    *text)
{
  OwRating *rating = g_new0 (OwRating, 1);

  rating->id = g_uuid_string_random ();
  rating->case_no = g_strdup (case_no);
  rating->channel = g_strdup ("on-site");
  rating->level = level;
  rating->text = g_strdup (text);
  rating->at = g_date_time_new_now_utc ();
  return rating;
}

OwRating *
ow_rating_copy (const OwRating *rating)
{
  OwRating *copy;

  g_return_val_if_fail (rating != NULL, NULL);

  copy = g_new0 (OwRating, 1);
  copy->id = g_strdup (rating->id);
  copy->case_no = g_strdup (rating->case_no);
  copy->channel = g_strdup (rating->channel);
  copy->level = rating->level;
  copy->text = g_strdup (rating->text);
  copy->at = rating->at != NULL ? g_date_time_ref (rating->at) : NULL;
  return copy;
}

void
ow_rating_free (OwRating *rating)
{
  if (rating == NULL)
    return;
  g_free (rating->id);
  g_free (rating->case_no);
  g_free (rating->channel);
  g_free (rating->text);
  g_clear_pointer (&rating->at, g_date_time_unref);
  g_free (rating);
}

static gboolean
fail (char       **field,
      GError     **error,
      const char  *name,
      const char  *message)
{
  if (field != NULL)
    *field = g_strdup (name);
  g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
is_id (const char *id)
{
  gsize length = id != NULL ? strlen (id) : 0;

  if (length == 0 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

gboolean
ow_rating_validate (const OwRating  *rating,
                    char           **field,
                    GError         **error)
{
  g_return_val_if_fail (rating != NULL, FALSE);

  if (field != NULL)
    *field = NULL;
  if (!is_id (rating->id))
    return fail (field, error, "id", _("A rating’s id must be 1 to 64 letters, digits, hyphens "
                                       "or underscores"));
  if (rating->case_no == NULL || *rating->case_no == '\0' || strlen (rating->case_no) > 64)
    return fail (field, error, "case_no", _("A rating names the case it rates"));
  if (g_strcmp0 (rating->channel, "on-site") != 0 && g_strcmp0 (rating->channel, "online") != 0)
    return fail (field, error, "channel", _("A rating is given on site or online"));
  if (!ow_rating_level_is_valid (rating->level))
    return fail (field, error, "level", _("A rating is one of five levels, 1 to 5"));
  if (rating->text != NULL
      && (!g_utf8_validate (rating->text, -1, NULL)
          || g_utf8_strlen (rating->text, -1) > OW_RATING_MAX_TEXT))
    return fail (field, error, "text", _("What the applicant wrote is longer than 2,000 "
                                         "characters"));
  if (rating->at == NULL)
    return fail (field, error, "at", _("A rating says when it was given"));
  return TRUE;
}

OwTicket *
ow_rating_follow_up (const OwRating *rating,
                     const char     *contact_name,
                     const char     *contact_phone)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, ow_hall_time_zone ());
  g_autofree char *day = g_date_time_format (local, "%Y%m%d");
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = NULL;
  g_autofree char *summary = NULL;
  OwTicket *ticket;

  g_return_val_if_fail (rating != NULL, NULL);
  g_return_val_if_fail (ow_rating_level_is_poor (rating->level), NULL);

  uuid[8] = '\0';
  id = g_strdup_printf ("WB%s-%s", day, g_ascii_strup (uuid, -1));
  /* The ledger is kept in Chinese, as the hall's records are. */
  if (rating->text != NULL && *rating->text != '\0')
    summary = g_strdup_printf ("差评回访：办件%s现场评价“%s”，申请人留言：%s", rating->case_no,
                               ow_rating_level_to_chinese (rating->level), rating->text);
  else
    summary = g_strdup_printf ("差评回访：办件%s现场评价“%s”，申请人未留言", rating->case_no,
                               ow_rating_level_to_chinese (rating->level));
  /* Summaries are capped at 2,000 characters on the platform, like other texts. */
  if (g_utf8_strlen (summary, -1) > OW_RATING_MAX_TEXT)
    *g_utf8_offset_to_pointer (summary, OW_RATING_MAX_TEXT) = '\0';

  /* Domain practice: a poor rating is called back within 5 working days. */
  ticket = ow_ticket_new (id, now, OW_TICKET_TIER_5_DAYS, summary);
  ticket->case_no = g_strdup (rating->case_no);
  ticket->rating_id = g_strdup (rating->id);
  ticket->channel = g_strdup ("hall");
  ticket->contact_name = g_strdup (contact_name);
  ticket->contact_phone = g_strdup (contact_phone);
  ticket->category = g_strdup ("好差评回访");
  return ticket;
}
