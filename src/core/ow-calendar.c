/* ow-calendar.c — the working-day calendar: weekends, national holidays and make-up days, a
 * hall's own days, and time limits counted in working days
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ow-calendar.h"
#include "ow-error.h"

struct _OwCalendar
{
  GObject     parent_instance;

  /* Julian day → DayEntry. A hall's own days are kept apart so that reloading the national
   * schedule never erases them, and so that they win. */
  GHashTable *national;
  GHashTable *local;
  GHashTable *published; /* year → year */
};

G_DEFINE_FINAL_TYPE (OwCalendar, ow_calendar, G_TYPE_OBJECT)

typedef struct
{
  OwDayKind  kind;
  char      *name;
} DayEntry;

typedef struct
{
  guint32    julian;
  OwDayKind  kind;
  char      *name;
} ParsedDay;

static void
day_entry_free (gpointer data)
{
  DayEntry *entry = data;

  g_free (entry->name);
  g_free (entry);
}

static void
parsed_day_clear (gpointer data)
{
  ParsedDay *day = data;

  g_free (day->name);
}

static gboolean
parse_iso_date (const char *text,
                GDate      *date)
{
  guint year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (year == 0 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

/* Parses the whole text before anything changes, so that a bad file leaves the calendar as it
 * was instead of half loaded. */
static GArray *
parse_schedule (const char  *tsv,
                gssize       length,
                GError     **error)
{
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (ParsedDay));
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_array_set_clear_func (days, parsed_day_clear);

  text = length < 0 ? g_strdup (tsv) : g_strndup (tsv, (gsize) length);
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           _("The holiday schedule is not UTF-8 text"));
      return NULL;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      char *line = g_strstrip (lines[i]);
      ParsedDay day = { 0 };
      GDate date;

      if (*line == '\0' || *line == '#')
        continue;

      fields = g_strsplit (line, "\t", 3);
      if (g_strv_length (fields) < 2 || !parse_iso_date (g_strstrip (fields[0]), &date))
        {
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                       _("Line %u of the holiday schedule does not start with a date "
                         "(YYYY-MM-DD) and a tab"),
                       i + 1);
          return NULL;
        }

      g_strstrip (fields[1]);
      if (g_str_equal (fields[1], "off"))
        day.kind = OW_DAY_OFF;
      else if (g_str_equal (fields[1], "work"))
        day.kind = OW_DAY_WORK;
      else
        {
          g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                       _("Line %u of the holiday schedule has the kind “%s”; "
                         "it should be “off” or “work”"),
                       i + 1, fields[1]);
          return NULL;
        }

      day.julian = g_date_get_julian (&date);
      day.name = fields[2] != NULL && *g_strstrip (fields[2]) != '\0' ? g_strdup (fields[2]) : NULL;
      g_array_append_val (days, day);
    }

  return g_steal_pointer (&days);
}

static void
store_day (GHashTable *table,
           guint32     julian,
           OwDayKind   kind,
           const char *name)
{
  DayEntry *entry;

  /* DEFAULT means "the weekday rule": no entry at all. */
  if (kind == OW_DAY_DEFAULT)
    {
      g_hash_table_remove (table, GUINT_TO_POINTER (julian));
      return;
    }

  entry = g_new0 (DayEntry, 1);
  entry->kind = kind;
  entry->name = g_strdup (name);
  g_hash_table_insert (table, GUINT_TO_POINTER (julian), entry);
}

static int
year_of_julian (guint32 julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  return g_date_get_year (&date);
}

static gboolean
load_schedule (OwCalendar  *self,
               const char  *tsv,
               gssize       length,
               gboolean     local,
               GError     **error)
{
  g_autoptr(GArray) days = NULL;

  g_return_val_if_fail (OW_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (tsv != NULL || length == 0, FALSE);

  days = parse_schedule (tsv != NULL ? tsv : "", length, error);
  if (days == NULL)
    return FALSE;

  for (guint i = 0; i < days->len; i++)
    {
      ParsedDay *day = &g_array_index (days, ParsedDay, i);

      store_day (local ? self->local : self->national, day->julian, day->kind, day->name);
      if (!local)
        ow_calendar_mark_published (self, year_of_julian (day->julian));
    }

  return TRUE;
}

static const DayEntry *
lookup_day (OwCalendar  *self,
            const GDate *date)
{
  gpointer key = GUINT_TO_POINTER (g_date_get_julian (date));
  const DayEntry *entry;

  entry = g_hash_table_lookup (self->local, key);
  if (entry == NULL)
    entry = g_hash_table_lookup (self->national, key);
  return entry;
}

static gboolean
is_working_day (OwCalendar  *self,
                const GDate *date)
{
  const DayEntry *entry = lookup_day (self, date);
  GDateWeekday weekday;

  if (entry != NULL)
    return entry->kind == OW_DAY_WORK;

  weekday = g_date_get_weekday (date);
  return weekday != G_DATE_SATURDAY && weekday != G_DATE_SUNDAY;
}

static gboolean
is_paused (const GDate       *date,
           const OwDateRange *pauses,
           guint              n_pauses)
{
  for (guint i = 0; i < n_pauses; i++)
    if (g_date_valid (&pauses[i].start) && g_date_valid (&pauses[i].end)
        && g_date_compare (date, &pauses[i].start) >= 0
        && g_date_compare (date, &pauses[i].end) <= 0)
      return TRUE;
  return FALSE;
}

static void
collect_years (GHashTable *table,
               GHashTable *years)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      int year = year_of_julian (GPOINTER_TO_UINT (key));

      g_hash_table_add (years, GINT_TO_POINTER (year));
    }
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  int x = *(const int *) a;
  int y = *(const int *) b;

  return (x > y) - (x < y);
}

static void
ow_calendar_finalize (GObject *object)
{
  OwCalendar *self = OW_CALENDAR (object);

  g_clear_pointer (&self->national, g_hash_table_unref);
  g_clear_pointer (&self->local, g_hash_table_unref);
  g_clear_pointer (&self->published, g_hash_table_unref);

  G_OBJECT_CLASS (ow_calendar_parent_class)->finalize (object);
}

static void
ow_calendar_class_init (OwCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ow_calendar_finalize;
}

static void
ow_calendar_init (OwCalendar *self)
{
  self->national = g_hash_table_new_full (NULL, NULL, NULL, day_entry_free);
  self->local = g_hash_table_new_full (NULL, NULL, NULL, day_entry_free);
  self->published = g_hash_table_new (NULL, NULL);
}

OwCalendar *
ow_calendar_new (void)
{
  return g_object_new (OW_TYPE_CALENDAR, NULL);
}

gboolean
ow_calendar_load_national (OwCalendar  *self,
                           const char  *tsv,
                           gssize       length,
                           GError     **error)
{
  return load_schedule (self, tsv, length, FALSE, error);
}

gboolean
ow_calendar_load_local (OwCalendar  *self,
                        const char  *tsv,
                        gssize       length,
                        GError     **error)
{
  return load_schedule (self, tsv, length, TRUE, error);
}

void
ow_calendar_set_day (OwCalendar  *self,
                     const GDate *date,
                     OwDayKind    kind,
                     const char  *name,
                     gboolean     local)
{
  g_return_if_fail (OW_IS_CALENDAR (self));
  g_return_if_fail (date != NULL && g_date_valid (date));
  g_return_if_fail (kind == OW_DAY_DEFAULT || kind == OW_DAY_OFF || kind == OW_DAY_WORK);

  store_day (local ? self->local : self->national, g_date_get_julian (date), kind, name);
}

void
ow_calendar_mark_published (OwCalendar *self,
                            int         year)
{
  g_return_if_fail (OW_IS_CALENDAR (self));

  g_hash_table_add (self->published, GINT_TO_POINTER (year));
}

OwDayKind
ow_calendar_get_day (OwCalendar   *self,
                     const GDate  *date,
                     const char  **name)
{
  const DayEntry *entry;

  if (name != NULL)
    *name = NULL;
  g_return_val_if_fail (OW_IS_CALENDAR (self), OW_DAY_DEFAULT);
  g_return_val_if_fail (date != NULL && g_date_valid (date), OW_DAY_DEFAULT);

  entry = lookup_day (self, date);
  if (entry == NULL)
    return OW_DAY_DEFAULT;

  if (name != NULL)
    *name = entry->name;
  return entry->kind;
}

gboolean
ow_calendar_is_working_day (OwCalendar  *self,
                            const GDate *date)
{
  g_return_val_if_fail (OW_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  return is_working_day (self, date);
}

gboolean
ow_calendar_is_provisional (OwCalendar *self,
                            int         year)
{
  g_return_val_if_fail (OW_IS_CALENDAR (self), TRUE);

  return !g_hash_table_contains (self->published, GINT_TO_POINTER (year));
}

void
ow_calendar_add_working_days (OwCalendar  *self,
                              const GDate *start,
                              guint        n,
                              GDate       *result,
                              gboolean    *provisional)
{
  GDate day;
  gboolean estimated = FALSE;
  int checked_year = 0;

  g_return_if_fail (OW_IS_CALENDAR (self));
  g_return_if_fail (start != NULL && g_date_valid (start));
  g_return_if_fail (result != NULL);

  day = *start;
  while (n > 0)
    {
      g_date_add_days (&day, 1);
      if (g_date_get_year (&day) != checked_year)
        {
          checked_year = g_date_get_year (&day);
          estimated |= ow_calendar_is_provisional (self, checked_year);
        }
      if (is_working_day (self, &day))
        n--;
    }

  *result = day;
  if (provisional != NULL)
    *provisional = estimated;
}

guint
ow_calendar_count_working_days (OwCalendar        *self,
                                const GDate       *from,
                                const GDate       *to,
                                const OwDateRange *pauses,
                                guint              n_pauses)
{
  GDate day;
  guint count = 0;

  g_return_val_if_fail (OW_IS_CALENDAR (self), 0);
  g_return_val_if_fail (from != NULL && g_date_valid (from), 0);
  g_return_val_if_fail (to != NULL && g_date_valid (to), 0);
  g_return_val_if_fail (pauses != NULL || n_pauses == 0, 0);

  day = *from;
  while (g_date_compare (&day, to) < 0)
    {
      g_date_add_days (&day, 1);
      if (is_working_day (self, &day) && !is_paused (&day, pauses, n_pauses))
        count++;
    }

  return count;
}

GArray *
ow_calendar_list_years (OwCalendar *self)
{
  g_autoptr(GHashTable) years = g_hash_table_new (NULL, NULL);
  GArray *result;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (OW_IS_CALENDAR (self), NULL);

  collect_years (self->national, years);
  collect_years (self->local, years);

  /* Elements are int, like the year of ow_calendar_mark_published(). */
  result = g_array_sized_new (FALSE, FALSE, sizeof (int), g_hash_table_size (years));
  g_hash_table_iter_init (&iter, years);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      int year = GPOINTER_TO_INT (key);

      g_array_append_val (result, year);
    }
  g_array_sort (result, compare_ints);

  return result;
}
