/* ow-platform-case-query.c — the filters of the case list and its counts, read from a request
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deadlines become ranges of promised dates here (core/ow-deadline.h), on the hall's calendar
 * and the platform's today, so that the database filters on an index and the statistics, which
 * count the same way, agree with the list to the case.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-case.h"
#include "core/ow-deadline.h"
#include "core/ow-reform.h"
#include "platform/ow-platform-access.h"
#include "platform/ow-platform-case-query.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT     200
/* Due within more than a year of working days is no deadline a supervisor watches. */
#define MAX_DUE_WITHIN 250

static const char *
keep (OwPlatformCaseQuery *query,
      char                *text)
{
  g_ptr_array_add (query->strings, text);
  return text;
}

static void
format_date (const GDate *date,
             char         text[16])
{
  g_snprintf (text, 16, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

/* A YYYY-MM-DD that is a real day; answers 422 naming @name itself otherwise. */
static gboolean
read_date (OwPlatformRequest *msg,
           GHashTable        *query,
           const char        *name,
           const char       **value)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint y, m, d;

  *value = NULL;
  if (text == NULL)
    return TRUE;
  if (strlen (text) == 10 && text[4] == '-' && text[7] == '-' &&
      sscanf (text, "%4u-%2u-%2u", &y, &m, &d) == 3 && y >= 1 &&
      g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y) &&
      g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[5]) && g_ascii_isdigit (text[8]) &&
      g_ascii_isdigit (text[9]))
    {
      *value = text;
      return TRUE;
    }
  ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, name,
                             _("Give a day of the calendar as YYYY-MM-DD, as in 2026-12-10"));
  return FALSE;
}

/* "a,b" → the states as a JSON array, each checked; with @running only those whose clock runs
 * (which may leave none: the list is then empty, not everything). */
static gboolean
read_states (OwPlatformRequest   *msg,
             const char          *text,
             gboolean             running,
             OwPlatformCaseQuery *query)
{
  g_autoptr(GString) json = g_string_new ("[");
  g_auto(GStrv) names = NULL;

  if (text == NULL && !running)
    return TRUE;

  if (text != NULL)
    {
      names = g_strsplit (text, ",", -1);
      for (guint i = 0; names[i] != NULL; i++)
        {
          OwCaseState state;

          if (!ow_case_state_from_string (g_strstrip (names[i]), &state))
            {
              ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "state",
                                         _("There is no such case state"));
              return FALSE;
            }
          if (running && !ow_case_state_clock_runs (state))
            continue;
          g_string_append_printf (json, "%s\"%s\"", json->len > 1 ? "," : "",
                                  ow_case_state_to_string (state));
        }
    }
  else
    for (int state = OW_CASE_STATE_RECEIVED; state <= OW_CASE_STATE_WITHDRAWN; state++)
      if (ow_case_state_clock_runs ((OwCaseState) state))
        g_string_append_printf (json, "%s\"%s\"", json->len > 1 ? "," : "",
                                ow_case_state_to_string ((OwCaseState) state));
  g_string_append_c (json, ']');
  query->filter.states = keep (query, g_string_free (g_steal_pointer (&json), FALSE));
  return TRUE;
}

/* A LIKE pattern matching @text literally, with @prefix and @suffix ("%" or ""). */
static char *
like_pattern (const char *prefix,
              const char *text,
              const char *suffix)
{
  GString *pattern = g_string_new (prefix);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append (pattern, suffix);
  return g_string_free (pattern, FALSE);
}

static gboolean
read_deadlines (OwPlatformServer     *self,
                OwPlatformRequest    *msg,
                GHashTable           *query,
                const char           *hall,
                OwPlatformCaseQuery  *out,
                gboolean             *running)
{
  const char *overdue = g_hash_table_lookup (query, "overdue");
  gint64 due_within = -1;
  g_autoptr(OwCalendar) calendar = NULL;
  g_autoptr(GError) error = NULL;
  GDate today, overdue_before;
  char text[16];

  *running = FALSE;
  if (overdue != NULL && !g_str_equal (overdue, "true"))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "overdue",
                                 _("“overdue” takes only “true”; leave it out for any case"));
      return FALSE;
    }
  if (!ow_platform_query_int (msg, query, "due_within", 0, MAX_DUE_WITHIN, &due_within))
    return FALSE;
  if (overdue == NULL && due_within < 0)
    return TRUE;
  if (overdue != NULL && due_within >= 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "due_within",
                                 _("Ask for the overdue cases or for those due soon, not both"));
      return FALSE;
    }

  /* On the hall's calendar and the platform's today, as the statistics count. */
  ow_platform_get_today (&today);
  calendar = ow_platform_load_calendar (ow_platform_server_db (self), hall != NULL ? hall : "",
                                        g_date_get_year (&today), &error);
  if (calendar == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  *running = TRUE;
  ow_deadline_overdue_before (calendar, &today, &overdue_before);
  format_date (&overdue_before, text);
  if (overdue != NULL)
    out->filter.promised_before = keep (out, g_strdup (text));
  else
    {
      GDate due_before;

      out->filter.promised_from = keep (out, g_strdup (text));
      ow_deadline_due_before (calendar, &today, (guint) due_within, &due_before);
      format_date (&due_before, text);
      out->filter.promised_before = keep (out, g_strdup (text));
    }
  return TRUE;
}

static gboolean
read_order (OwPlatformRequest   *msg,
            GHashTable          *query,
            OwPlatformCaseQuery *out)
{
  static const struct
  {
    const char         *name;
    OwPlatformCaseSort  sort;
    gboolean            descending;
  } sorts[] = {
    { "updated",   OW_PLATFORM_CASE_SORT_UPDATED,  FALSE },
    { "received",  OW_PLATFORM_CASE_SORT_RECEIVED, FALSE },
    { "-received", OW_PLATFORM_CASE_SORT_RECEIVED, TRUE },
    { "promised",  OW_PLATFORM_CASE_SORT_PROMISED, FALSE },
    { "-promised", OW_PLATFORM_CASE_SORT_PROMISED, TRUE },
  };
  const char *sort = g_hash_table_lookup (query, "sort");
  const char *after = g_hash_table_lookup (query, "after");
  gint64 limit = DEFAULT_LIMIT;
  guint i;

  if (!ow_platform_query_int (msg, query, "limit", 1, MAX_LIMIT, &limit))
    return FALSE;
  out->filter.limit = (guint) limit;

  for (i = 0; sort != NULL && i < G_N_ELEMENTS (sorts); i++)
    if (g_str_equal (sort, sorts[i].name))
      break;
  if (i == G_N_ELEMENTS (sorts))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "sort",
                                 _("Sort by updated, received, -received, promised or -promised"));
      return FALSE;
    }
  if (sort != NULL)
    {
      out->filter.sort = sorts[i].sort;
      out->filter.descending = sorts[i].descending;
    }

  /* The cursor is what `next` said: opaque to clients, read back here in the same order. */
  if (after == NULL)
    return TRUE;
  if (out->filter.sort == OW_PLATFORM_CASE_SORT_UPDATED)
    return ow_platform_query_int (msg, query, "after", 0, G_MAXINT64, &out->filter.after);
  {
    const char *tilde = strrchr (after, '~');

    if (tilde == NULL || tilde[1] == '\0' || !g_utf8_validate (after, -1, NULL)
        || strlen (after) > 128)
      {
        ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "after",
                                   _("This cursor is not one the list gave for this order: "
                                     "start again from the first page"));
        return FALSE;
      }
    out->filter.after_key = keep (out, g_strndup (after, (gsize) (tilde - after)));
    out->filter.after_case_no = keep (out, g_strdup (tilde + 1));
  }
  return TRUE;
}

gboolean
ow_platform_case_query_parse (OwPlatformServer     *self,
                              OwPlatformRequest    *msg,
                              GHashTable           *query,
                              const OwPlatformUser *user,
                              gboolean              paged,
                              OwPlatformCaseQuery  *out)
{
  g_autoptr(GHashTable) empty = NULL;
  const char *updated_since, *state, *search, *channel, *hall;
  gboolean bad = FALSE, running = FALSE;

  memset (out, 0, sizeof *out);
  out->strings = g_ptr_array_new_with_free_func (g_free);
  out->filter.counter = -1;
  out->filter.limit = DEFAULT_LIMIT;
  if (query == NULL)
    query = empty = g_hash_table_new (g_str_hash, g_str_equal);

  state = ow_platform_query_string (msg, query, "state", &bad);
  if (!bad)
    hall = ow_platform_query_string (msg, query, "hall", &bad);
  if (!bad)
    out->filter.department = ow_platform_query_string (msg, query, "department", &bad);
  if (!bad)
    updated_since = ow_platform_query_string (msg, query, "updated_since", &bad);
  if (!bad)
    channel = ow_platform_query_string (msg, query, "channel", &bad);
  if (!bad)
    out->filter.clerk = ow_platform_query_string (msg, query, "clerk", &bad);
  if (!bad)
    out->filter.item = ow_platform_query_string (msg, query, "item", &bad);
  if (!bad)
    search = ow_platform_query_string (msg, query, "q", &bad);
  if (bad)
    return FALSE;

  /* The hall's staff see the hall's cases; a department decides for every hall it serves. */
  if (!ow_platform_user_has_role (user, "department") || ow_platform_user_has_role (user, "clerk")
      || ow_platform_user_has_role (user, "pickup") || ow_platform_user_has_role (user, "supervisor"))
    {
      if (hall != NULL && g_strcmp0 (hall, user->hall) != 0)
        {
          ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, "hall",
                                     _("Only the cases of your own hall can be listed"));
          return FALSE;
        }
      hall = user->hall;
    }
  out->filter.hall = hall;
  /* A department user, their department's cases (ow-platform-access.h). */
  if (!ow_platform_restrict_case_filter (msg, user, &out->filter))
    return FALSE;

  if (updated_since != NULL && !ow_platform_parse_time (updated_since, &out->filter.updated_since))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "updated_since",
                                 _("Give the time in RFC 3339, as in 2026-11-25T06:30:00Z"));
      return FALSE;
    }
  if (!ow_platform_query_int (msg, query, "counter", 0, 9999, &out->filter.counter))
    return FALSE;
  if (channel != NULL && !ow_case_channel_from_string (channel, NULL))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "channel",
                                 _("A case comes through the window, online, mobile, "
                                   "self-service or post"));
      return FALSE;
    }
  out->filter.channel = channel;
  if (!read_date (msg, query, "received_from", &out->filter.received_from) ||
      !read_date (msg, query, "received_to", &out->filter.received_to))
    return FALSE;
  if (out->filter.received_from != NULL && out->filter.received_to != NULL &&
      strcmp (out->filter.received_from, out->filter.received_to) > 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "received_to",
                                 _("The period ends before it begins"));
      return FALSE;
    }
  if (search != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (search));

      if (*trimmed != '\0')
        {
          g_autofree char *upper = g_ascii_strup (trimmed, -1);

          /* Case numbers are upper-case; a name is matched ignoring the case of Latin letters,
           * as SQLite's LIKE does and PostgreSQL's ILIKE (ow-platform-pg-private.h). */
          out->filter.case_no_prefix = keep (out, like_pattern ("", upper, "%"));
          out->filter.name_pattern = keep (out, like_pattern ("%", trimmed, "%"));
        }
    }

  if (!read_deadlines (self, msg, query, hall, out, &running))
    return FALSE;
  /* One state is a list of one; deadlines keep the states whose clock runs. */
  if (state != NULL && strchr (state, ',') == NULL && !running)
    {
      OwCaseState value;

      if (!ow_case_state_from_string (state, &value))
        {
          ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "state",
                                     _("There is no such case state"));
          return FALSE;
        }
      out->filter.state = state;
    }
  else if (!read_states (msg, state, running, out))
    return FALSE;

  return !paged || read_order (msg, query, out);
}

void
ow_platform_case_query_clear (OwPlatformCaseQuery *query)
{
  g_clear_pointer (&query->strings, g_ptr_array_unref);
}

char *
ow_platform_case_query_cursor (const OwPlatformCaseQuery *query,
                               const OwPlatformCaseRow   *last)
{
  if (query->filter.sort == OW_PLATFORM_CASE_SORT_UPDATED)
    return g_strdup_printf ("%" G_GINT64_FORMAT, last->change_seq);
  return g_strdup_printf ("%s~%s", last->sort_key != NULL ? last->sort_key : "", last->case_no);
}
