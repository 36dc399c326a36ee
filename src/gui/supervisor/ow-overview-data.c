/* ow-overview-data.c — what the supervisor's overview asks the platform, and keeps for offline
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-clock.h"
#include "core/ow-deadline.h"
#include "gui/supervisor/ow-overview-data.h"

struct _OwOverviewData
{
  GObject          parent_instance;

  OwContext       *context;
  GCancellable    *cancellable;
  OwOverviewPeriod period;
  guint            due_within;
  GDate            from;
  GDate            to;
  char             from_text[16];
  char             to_text[16];

  OwStatistics    *statistics;
  OwAnswerAge      age;
  GError          *error;
  gboolean         loading;
  guint            generation;    /* of the refresh under way: older answers are dropped */

  OwCalendar      *calendar;      /* the platform's, for the years around its today */
  int              calendar_year; /* the middle one; 0 before any */
  GHashTable      *names;         /* user name → display name */
};

G_DEFINE_FINAL_TYPE (OwOverviewData, ow_overview_data, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PERIOD,
  PROP_DUE_WITHIN,
  PROP_STALE,
  PROP_LOADING,
  N_PROPS
};

enum {
  STATISTICS_CHANGED,
  RANGE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Periods ---------------------------------------------------------------------------------- */

const char *
ow_overview_period_to_label (OwOverviewPeriod period)
{
  switch (period)
    {
    case OW_OVERVIEW_PERIOD_TODAY:
      return _("Today");
    case OW_OVERVIEW_PERIOD_THIS_WEEK:
      return _("This week");
    case OW_OVERVIEW_PERIOD_THIS_MONTH:
      return _("This month");
    case OW_OVERVIEW_PERIOD_LAST_MONTH:
      return _("Last month");
    case OW_OVERVIEW_PERIOD_LAST_30_DAYS:
      return _("Last 30 days");
    case OW_OVERVIEW_PERIOD_THIS_YEAR:
      return _("This year");
    case OW_OVERVIEW_PERIOD_ALL:
    default:
      return _("All time");
    }
}

void
ow_overview_period_get_range (OwOverviewPeriod  period,
                              const GDate      *today,
                              GDate            *from,
                              GDate            *to)
{
  g_date_clear (from, 1);
  g_date_clear (to, 1);
  if (period == OW_OVERVIEW_PERIOD_ALL || today == NULL || !g_date_valid (today))
    return;
  *from = *today;
  *to = *today;
  switch (period)
    {
    case OW_OVERVIEW_PERIOD_THIS_WEEK:
      ow_deadline_week_of (today, from);
      break;
    case OW_OVERVIEW_PERIOD_THIS_MONTH:
      g_date_set_day (from, 1);
      break;
    case OW_OVERVIEW_PERIOD_LAST_MONTH:
      g_date_set_day (from, 1);
      g_date_subtract_months (from, 1);
      *to = *from;
      g_date_set_day (to, g_date_get_days_in_month (g_date_get_month (from),
                                                    g_date_get_year (from)));
      break;
    case OW_OVERVIEW_PERIOD_LAST_30_DAYS:
      g_date_subtract_days (from, 29);
      break;
    case OW_OVERVIEW_PERIOD_THIS_YEAR:
      g_date_set_dmy (from, 1, G_DATE_JANUARY, g_date_get_year (today));
      break;
    case OW_OVERVIEW_PERIOD_TODAY:
    case OW_OVERVIEW_PERIOD_ALL:
    default:
      break;
    }
}

static void
format_date (const GDate *date,
             char         text[16])
{
  if (g_date_valid (date))
    g_snprintf (text, 16, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                g_date_get_day (date));
  else
    text[0] = '\0';
}

static void
update_range (OwOverviewData *self)
{
  GDate today;

  ow_overview_data_get_today (self, &today);
  ow_overview_period_get_range (self->period, &today, &self->from, &self->to);
  format_date (&self->from, self->from_text);
  format_date (&self->to, self->to_text);
}

/* Keeping answers -------------------------------------------------------------------------- */

static const char *
user_key (OwOverviewData *self)
{
  const OwUser *user = ow_context_get_user (self->context);

  return user != NULL ? user->username : "";
}

/* Whether @error means the platform could not answer at all, so that the last answer kept is
 * worth showing (not a refusal, which would be the same next time). */
static gboolean
is_unreachable (const GError *error)
{
  return g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNREACHABLE) ||
         g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_SERVER);
}

static char *
make_key (const char         *route,
          const char * const *params)
{
  GString *key = g_string_new (route);

  for (guint i = 0; params != NULL && params[i] != NULL; i += 2)
    if (params[i + 1] != NULL)
      g_string_append_printf (key, "&%s=%s", params[i], params[i + 1]);
  return g_string_free (key, FALSE);
}

static void
kept_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ow_store_save_answer_finish (OW_STORE (source), result, &error))
    g_debug ("An answer of the platform could not be kept: %s", error->message);
}

static void
keep_answer (OwOverviewData *self,
             const char     *key,
             GVariant       *value)
{
  OwStore *store = ow_context_get_store (self->context);

  if (store != NULL && value != NULL)
    ow_store_save_answer_async (store, user_key (self), key, value, g_get_real_time (), NULL,
                                kept_cb, NULL);
}

/* Pages of cases and ratings travel as "(avmsx)" / "(avms)" of core's records. */
static GVariant *
case_page_to_variant (const OwCasePage *page)
{
  GVariantBuilder cases;

  g_variant_builder_init (&cases, G_VARIANT_TYPE ("av"));
  for (guint i = 0; i < page->cases->len; i++)
    {
      g_autoptr(GVariant) kase = ow_case_serialize (g_ptr_array_index (page->cases, i));

      g_variant_builder_add (&cases, "v", kase);
    }
  return g_variant_ref_sink (g_variant_new ("(avmsx)", &cases, page->next, page->total));
}

static OwCasePage *
case_page_from_variant (GVariant  *value,
                        GError   **error)
{
  g_autoptr(OwCasePage) page = g_new0 (OwCasePage, 1);
  g_autoptr(GVariantIter) iter = NULL;
  const char *next;
  GVariant *child;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("(avmsx)")))
    {
      g_set_error_literal (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                           _("A kept page of cases cannot be read back"));
      return NULL;
    }
  g_variant_get (value, "(avm&sx)", &iter, &next, &page->total);
  page->next = g_strdup (next);
  page->cases = g_ptr_array_new_with_free_func (g_object_unref);
  while (g_variant_iter_next (iter, "v", &child))
    {
      g_autoptr(GVariant) owned = child;
      OwCase *kase = ow_case_deserialize (owned, error);

      if (kase == NULL)
        return NULL;
      g_ptr_array_add (page->cases, kase);
    }
  return g_steal_pointer (&page);
}

static GVariant *
rating_page_to_variant (const OwRatingPage *page)
{
  GVariantBuilder ratings;

  g_variant_builder_init (&ratings, G_VARIANT_TYPE ("av"));
  for (guint i = 0; i < page->ratings->len; i++)
    {
      g_autoptr(GVariant) record = ow_rating_record_serialize (g_ptr_array_index (page->ratings,
                                                                                  i));

      g_variant_builder_add (&ratings, "v", record);
    }
  return g_variant_ref_sink (g_variant_new ("(avms)", &ratings, page->next));
}

static OwRatingPage *
rating_page_from_variant (GVariant  *value,
                          GError   **error)
{
  g_autoptr(OwRatingPage) page = g_new0 (OwRatingPage, 1);
  g_autoptr(GVariantIter) iter = NULL;
  const char *next;
  GVariant *child;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("(avms)")))
    {
      g_set_error_literal (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                           _("A kept page of ratings cannot be read back"));
      return NULL;
    }
  g_variant_get (value, "(avm&s)", &iter, &next);
  page->next = g_strdup (next);
  page->ratings = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_rating_record_free);
  while (g_variant_iter_next (iter, "v", &child))
    {
      g_autoptr(GVariant) owned = child;
      OwRatingRecord *record = ow_rating_record_deserialize (owned, error);

      if (record == NULL)
        return NULL;
      g_ptr_array_add (page->ratings, record);
    }
  return g_steal_pointer (&page);
}

/* One question: asked of the platform, its answer kept; offline, the kept one. ------------- */

typedef enum
{
  ASK_CASES,
  ASK_COUNTS,
  ASK_RATINGS,
} AskKind;

typedef struct
{
  AskKind        kind;
  char          *key;
  OwCaseCountBy  by;
  char         **params;
  OwAnswerAge    age;
  gpointer       value;
} Ask;

static void
ask_free (Ask *ask)
{
  g_free (ask->key);
  g_strfreev (ask->params);
  if (ask->value != NULL)
    {
      if (ask->kind == ASK_CASES)
        ow_case_page_free (ask->value);
      else if (ask->kind == ASK_COUNTS)
        ow_case_counts_free (ask->value);
      else
        ow_rating_page_free (ask->value);
    }
  g_free (ask);
}

static GVariant *
ask_to_variant (Ask      *ask,
                gpointer  value)
{
  switch (ask->kind)
    {
    case ASK_CASES:
      return case_page_to_variant (value);
    case ASK_COUNTS:
      return ow_case_counts_serialize (value);
    case ASK_RATINGS:
    default:
      return rating_page_to_variant (value);
    }
}

static gpointer
ask_from_variant (Ask       *ask,
                  GVariant  *value,
                  GError   **error)
{
  switch (ask->kind)
    {
    case ASK_CASES:
      return case_page_from_variant (value, error);
    case ASK_COUNTS:
      return ow_case_counts_deserialize (value, error);
    case ASK_RATINGS:
    default:
      return rating_page_from_variant (value, error);
    }
}

static void
kept_answer_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Ask *ask = g_task_get_task_data (task);
  GError *offline = g_object_get_data (G_OBJECT (task), "ow-offline");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = NULL;
  gint64 fetched_at = 0;

  value = ow_store_load_answer_finish (OW_STORE (source), result, &fetched_at, &error);
  if (value == NULL || (ask->value = ask_from_variant (ask, value, &error)) == NULL)
    {
      /* Nothing kept: say why the platform did not answer. */
      g_task_return_error (task, g_error_copy (offline));
      return;
    }
  ask->age.fetched_at = fetched_at;
  ask->age.stale = TRUE;
  g_task_return_boolean (task, TRUE);
}

static void
answered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwOverviewData *self = g_task_get_source_object (task);
  Ask *ask = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  OwStore *store;

  switch (ask->kind)
    {
    case ASK_CASES:
      ask->value = ow_client_list_cases_finish (OW_CLIENT (source), result, &error);
      break;
    case ASK_COUNTS:
      ask->value = ow_client_count_cases_finish (OW_CLIENT (source), result, &error);
      break;
    case ASK_RATINGS:
    default:
      ask->value = ow_client_list_ratings_finish (OW_CLIENT (source), result, &error);
      break;
    }

  if (ask->value != NULL)
    {
      g_autoptr(GVariant) kept = ask_to_variant (ask, ask->value);

      ask->age.fetched_at = g_get_real_time ();
      ask->age.stale = FALSE;
      keep_answer (self, ask->key, kept);
      if (ask->kind == ASK_COUNTS && ((OwCaseCounts *) ask->value)->by == OW_CASE_COUNT_CLERK)
        for (guint i = 0; i < ((OwCaseCounts *) ask->value)->groups->len; i++)
          {
            OwStatGroup *group = g_ptr_array_index (((OwCaseCounts *) ask->value)->groups, i);

            ow_overview_data_remember_name (self, group->key, group->name);
          }
      g_task_return_boolean (task, TRUE);
      return;
    }
  store = ow_context_get_store (self->context);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !is_unreachable (error) ||
      store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "ow-offline", g_steal_pointer (&error),
                          (GDestroyNotify) g_error_free);
  ow_store_load_answer_async (store, user_key (self), ask->key, g_task_get_cancellable (task),
                              kept_answer_loaded_cb, g_object_ref (task));
}

static void
ask_async (OwOverviewData      *self,
           AskKind              kind,
           OwCaseCountBy        by,
           const char * const  *params,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OwClient *client = ow_context_get_client (self->context);
  Ask *ask = g_new0 (Ask, 1);
  static const char * const routes[] = { "cases?", "counts?", "ratings?" };
  g_autofree char *route = NULL;

  ask->kind = kind;
  ask->by = by;
  ask->params = g_strdupv ((char **) params);
  route = kind == ASK_COUNTS ? g_strdup_printf ("counts?by=%s", ow_case_count_by_to_string (by))
                             : g_strdup (routes[kind]);
  ask->key = make_key (route, params);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, ask, (GDestroyNotify) ask_free);

  switch (kind)
    {
    case ASK_CASES:
      ow_client_list_cases_async (client, params, cancellable, answered_cb, g_object_ref (task));
      break;
    case ASK_COUNTS:
      ow_client_count_cases_async (client, by, params, cancellable, answered_cb,
                                   g_object_ref (task));
      break;
    case ASK_RATINGS:
    default:
      ow_client_list_ratings_async (client, params, cancellable, answered_cb,
                                    g_object_ref (task));
      break;
    }
}

static gpointer
ask_finish (OwOverviewData  *self,
            GAsyncResult    *result,
            gpointer         source_tag,
            OwAnswerAge     *age,
            GError         **error)
{
  Ask *ask;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  ask = g_task_get_task_data (G_TASK (result));
  if (age != NULL)
    *age = ask->age;
  return g_steal_pointer (&ask->value);
}

void
ow_overview_data_list_cases_async (OwOverviewData      *self,
                                   const char * const  *params,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (OW_IS_OVERVIEW_DATA (self));
  ask_async (self, ASK_CASES, 0, params, ow_overview_data_list_cases_async, cancellable,
             callback, user_data);
}

OwCasePage *
ow_overview_data_list_cases_finish (OwOverviewData  *self,
                                    GAsyncResult    *result,
                                    OwAnswerAge     *age,
                                    GError         **error)
{
  return ask_finish (self, result, ow_overview_data_list_cases_async, age, error);
}

void
ow_overview_data_count_cases_async (OwOverviewData      *self,
                                    OwCaseCountBy        by,
                                    const char * const  *params,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (OW_IS_OVERVIEW_DATA (self));
  ask_async (self, ASK_COUNTS, by, params, ow_overview_data_count_cases_async, cancellable,
             callback, user_data);
}

OwCaseCounts *
ow_overview_data_count_cases_finish (OwOverviewData  *self,
                                     GAsyncResult    *result,
                                     OwAnswerAge     *age,
                                     GError         **error)
{
  return ask_finish (self, result, ow_overview_data_count_cases_async, age, error);
}

void
ow_overview_data_list_ratings_async (OwOverviewData      *self,
                                     const char * const  *params,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (OW_IS_OVERVIEW_DATA (self));
  ask_async (self, ASK_RATINGS, 0, params, ow_overview_data_list_ratings_async, cancellable,
             callback, user_data);
}

OwRatingPage *
ow_overview_data_list_ratings_finish (OwOverviewData  *self,
                                      GAsyncResult    *result,
                                      OwAnswerAge     *age,
                                      GError         **error)
{
  return ask_finish (self, result, ow_overview_data_list_ratings_async, age, error);
}

/* The statistics and the calendar ---------------------------------------------------------- */

static void
set_loading (OwOverviewData *self,
             gboolean        loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Whether the period's days moved with the platform's today. */
static gboolean
set_statistics (OwOverviewData *self,
                OwStatistics   *statistics,
                OwAnswerAge     age)
{
  gboolean was_stale = self->age.stale;
  gboolean moved = FALSE;
  GDate old_today;

  ow_overview_data_get_today (self, &old_today);
  g_clear_pointer (&self->statistics, ow_statistics_free);
  self->statistics = statistics;
  self->age = age;
  g_clear_error (&self->error);
  for (guint i = 0; i < statistics->ratings_by_clerk->len; i++)
    {
      OwStatGroup *group = g_ptr_array_index (statistics->ratings_by_clerk, i);

      ow_overview_data_remember_name (self, group->key, group->name);
    }
  /* The platform's today may be another day than the PC's (a clock set for a test, midnight):
   * the period follows it. */
  if (g_date_valid (&statistics->today) && g_date_compare (&old_today, &statistics->today) != 0)
    {
      char from[16], to[16];

      memcpy (from, self->from_text, sizeof from);
      memcpy (to, self->to_text, sizeof to);
      update_range (self);
      /* Counted for the PC's today's period: the sections ask again for the platform's. Kept
       * figures stay as they are, the platform being away to ask. */
      moved = !age.stale && (strcmp (from, self->from_text) != 0 ||
                             strcmp (to, self->to_text) != 0);
    }
  if (was_stale != age.stale)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
  return moved;
}

static void
load_calendar_text (OwOverviewData *self,
                    const char     *national,
                    const char     *local,
                    gboolean        published)
{
  g_autoptr(GError) error = NULL;

  if (published && national != NULL && *national != '\0' &&
      !ow_calendar_load_national (self->calendar, national, -1, &error))
    g_warning ("The platform's calendar is malformed: %s", error->message);
  g_clear_error (&error);
  if (local != NULL && *local != '\0' &&
      !ow_calendar_load_local (self->calendar, local, -1, &error))
    g_warning ("The hall's local calendar is malformed: %s", error->message);
}

typedef struct
{
  OwOverviewData *self;
  int             year;
  guint           generation;
} CalendarYear;

static void
calendar_kept_loaded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autofree CalendarYear *year = user_data;
  g_autoptr(OwOverviewData) self = year->self;
  g_autoptr(GVariant) value = ow_store_load_answer_finish (OW_STORE (source), result, NULL, NULL);
  const char *national, *local;
  gboolean published;

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE ("(msmsb)")))
    return;
  g_variant_get (value, "(m&sm&sb)", &national, &local, &published);
  load_calendar_text (self, national, local, published);
  if (year->generation == self->generation)
    g_signal_emit (self, signals[STATISTICS_CHANGED], 0);
}

static void
calendar_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autofree CalendarYear *year = user_data;
  g_autoptr(OwOverviewData) self = year->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *national = NULL;
  g_autofree char *local = NULL;
  g_autofree char *key = g_strdup_printf ("calendar?year=%d", year->year);
  gboolean published = FALSE;

  if (!ow_client_get_calendar_finish (OW_CLIENT (source), result, &national, &local, &published,
                                      NULL, &error))
    {
      OwStore *store = ow_context_get_store (self->context);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || store == NULL)
        return;
      ow_store_load_answer_async (store, user_key (self), key, NULL, calendar_kept_loaded_cb,
                                  g_memdup2 (year, sizeof *year));
      g_object_ref (self);
      return;
    }
  load_calendar_text (self, national, local, published);
  {
    g_autoptr(GVariant) kept = g_variant_ref_sink (g_variant_new ("(msmsb)", national, local,
                                                                  published));

    keep_answer (self, key, kept);
  }
  if (year->generation == self->generation)
    g_signal_emit (self, signals[STATISTICS_CHANGED], 0);
}

/* The same years as the platform counts with (ow_platform_load_calendar): today's and those
 * beside it. */
static void
ensure_calendar (OwOverviewData *self)
{
  GDate today;
  int middle;

  ow_overview_data_get_today (self, &today);
  middle = (int) g_date_get_year (&today);
  if (self->calendar_year == middle)
    return;
  self->calendar_year = middle;
  g_clear_object (&self->calendar);
  self->calendar = ow_calendar_new ();
  for (int y = middle - 1; y <= middle + 1; y++)
    {
      CalendarYear *year = g_new0 (CalendarYear, 1);

      year->self = g_object_ref (self);
      year->year = y;
      year->generation = self->generation;
      /* Without an ETag: the years around the platform's today need not be those the context
       * keeps (ow_context_update_calendar: the hall's this year and next), so always whole. */
      ow_client_get_calendar_async (ow_context_get_client (self->context), y, NULL,
                                    self->cancellable, calendar_fetched_cb, year);
    }
}

/* One refresh under way; its answers are dropped when another started since. */
typedef struct
{
  OwOverviewData *self;
  guint           generation;
  GError         *offline;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_object_unref (refresh->self);
  g_clear_error (&refresh->offline);
  g_free (refresh);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Refresh, refresh_free)

static void
statistics_kept_loaded_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(Refresh) refresh = user_data;
  OwOverviewData *self = refresh->self;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  OwStatistics *statistics = NULL;
  gint64 fetched_at = 0;

  value = ow_store_load_answer_finish (OW_STORE (source), result, &fetched_at, &error);
  if (refresh->generation != self->generation)
    return;
  set_loading (self, FALSE);
  if (value != NULL)
    statistics = ow_statistics_deserialize (value, &error);
  if (statistics == NULL)
    {
      /* Nothing kept for this question: the figures of another would mislead. */
      g_clear_pointer (&self->statistics, ow_statistics_free);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&refresh->offline);
    }
  else
    {
      set_statistics (self, statistics, (OwAnswerAge) { fetched_at, TRUE });
      ensure_calendar (self);
    }
  g_signal_emit (self, signals[STATISTICS_CHANGED], 0);
}

static char *
statistics_key (OwOverviewData *self)
{
  return g_strdup_printf ("statistics?from=%s&to=%s&due_within=%u", self->from_text,
                          self->to_text, self->due_within);
}

static void
statistics_fetched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Refresh) refresh = user_data;
  OwOverviewData *self = refresh->self;
  g_autoptr(GError) error = NULL;
  OwStatistics *statistics;
  g_autofree char *key = NULL;
  OwStore *store;

  statistics = ow_client_get_statistics_finish (OW_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      refresh->generation != self->generation)
    {
      if (statistics != NULL)
        ow_statistics_free (statistics);
      return;
    }
  key = statistics_key (self);
  if (statistics != NULL)
    {
      g_autoptr(GVariant) kept = ow_statistics_serialize (statistics);
      gboolean moved;

      set_loading (self, FALSE);
      keep_answer (self, key, kept);
      moved = set_statistics (self, statistics, (OwAnswerAge) { g_get_real_time (), FALSE });
      ensure_calendar (self);
      g_signal_emit (self, signals[STATISTICS_CHANGED], 0);
      if (moved)
        g_signal_emit (self, signals[RANGE_CHANGED], 0);
      return;
    }

  store = ow_context_get_store (self->context);
  if (!is_unreachable (error) || store == NULL)
    {
      set_loading (self, FALSE);
      g_clear_pointer (&self->statistics, ow_statistics_free);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      g_signal_emit (self, signals[STATISTICS_CHANGED], 0);
      return;
    }
  refresh->offline = g_steal_pointer (&error);
  ow_store_load_answer_async (store, user_key (self), key, self->cancellable,
                              statistics_kept_loaded_cb, g_steal_pointer (&refresh));
}

void
ow_overview_data_refresh (OwOverviewData *self)
{
  g_autofree char *due = NULL;
  Refresh *refresh;

  g_return_if_fail (OW_IS_OVERVIEW_DATA (self));
  if (ow_context_get_user (self->context) == NULL)
    return;

  self->generation++;
  update_range (self);
  due = g_strdup_printf ("%u", self->due_within);
  refresh = g_new0 (Refresh, 1);
  refresh->self = g_object_ref (self);
  refresh->generation = self->generation;
  set_loading (self, TRUE);
  {
    const char *params[] = { "from", *self->from_text != '\0' ? self->from_text : NULL,
                             "to", *self->to_text != '\0' ? self->to_text : NULL,
                             "due_within", due, NULL };

    ow_client_get_statistics_async (ow_context_get_client (self->context), params,
                                    self->cancellable, statistics_fetched_cb, refresh);
  }
}

/* Public ----------------------------------------------------------------------------------- */

gboolean
ow_overview_data_days_left (OwOverviewData *self,
                            const GDate    *promised,
                            int            *days_left)
{
  GDate today;

  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), FALSE);

  if (promised == NULL || !g_date_valid (promised))
    return FALSE;
  ow_overview_data_get_today (self, &today);
  ensure_calendar (self);
  *days_left = ow_deadline_days_left (self->calendar, promised, &today);
  return TRUE;
}

void
ow_overview_data_get_today (OwOverviewData *self,
                            GDate          *today)
{
  g_return_if_fail (OW_IS_OVERVIEW_DATA (self));

  if (self->statistics != NULL && g_date_valid (&self->statistics->today))
    *today = self->statistics->today;
  else
    ow_hall_today (today);
}

OwContext *
ow_overview_data_get_context (OwOverviewData *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), NULL);
  return self->context;
}

OwOverviewPeriod
ow_overview_data_get_period (OwOverviewData *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), OW_OVERVIEW_PERIOD_THIS_MONTH);
  return self->period;
}

void
ow_overview_data_set_period (OwOverviewData   *self,
                             OwOverviewPeriod  period)
{
  g_return_if_fail (OW_IS_OVERVIEW_DATA (self));
  g_return_if_fail (period <= OW_OVERVIEW_PERIOD_LAST);

  if (self->period == period)
    return;
  self->period = period;
  update_range (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIOD]);
}

guint
ow_overview_data_get_due_within (OwOverviewData *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), 2);
  return self->due_within;
}

gboolean
ow_overview_data_get_stale (OwOverviewData *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), FALSE);
  return self->age.stale;
}

gboolean
ow_overview_data_get_loading (OwOverviewData *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), FALSE);
  return self->loading;
}

OwStatistics *
ow_overview_data_get_statistics (OwOverviewData *self,
                                 OwAnswerAge    *age)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), NULL);
  if (age != NULL)
    *age = self->age;
  return self->statistics;
}

const GError *
ow_overview_data_get_error (OwOverviewData *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), NULL);
  return self->error;
}

const char *
ow_overview_data_get_from_text (OwOverviewData *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), NULL);
  return *self->from_text != '\0' ? self->from_text : NULL;
}

const char *
ow_overview_data_get_to_text (OwOverviewData *self)
{
  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), NULL);
  return *self->to_text != '\0' ? self->to_text : NULL;
}

void
ow_overview_data_remember_name (OwOverviewData *self,
                                const char     *username,
                                const char     *display_name)
{
  g_return_if_fail (OW_IS_OVERVIEW_DATA (self));
  if (username != NULL && display_name != NULL && *display_name != '\0')
    g_hash_table_replace (self->names, g_strdup (username), g_strdup (display_name));
}

const char *
ow_overview_data_lookup_name (OwOverviewData *self,
                              const char     *username)
{
  const char *name;

  g_return_val_if_fail (OW_IS_OVERVIEW_DATA (self), NULL);
  if (username == NULL || *username == '\0')
    return _("Unknown clerk");
  name = g_hash_table_lookup (self->names, username);
  return name != NULL ? name : _("A clerk not known to the platform");
}

/* GObject ---------------------------------------------------------------------------------- */

static void
due_within_changed_cb (OwOverviewData *self,
                       const char     *key,
                       GSettings      *settings)
{
  guint due = g_settings_get_uint (settings, "due-within-working-days");

  if (due == self->due_within)
    return;
  self->due_within = due;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DUE_WITHIN]);
}

static void
ow_overview_data_dispose (GObject *object)
{
  OwOverviewData *self = OW_OVERVIEW_DATA (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (ow_overview_data_parent_class)->dispose (object);
}

static void
ow_overview_data_finalize (GObject *object)
{
  OwOverviewData *self = OW_OVERVIEW_DATA (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->statistics, ow_statistics_free);
  g_clear_error (&self->error);
  g_clear_object (&self->calendar);
  g_clear_pointer (&self->names, g_hash_table_unref);
  G_OBJECT_CLASS (ow_overview_data_parent_class)->finalize (object);
}

static void
ow_overview_data_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OwOverviewData *self = OW_OVERVIEW_DATA (object);

  switch (prop_id)
    {
    case PROP_PERIOD:
      g_value_set_uint (value, self->period);
      break;
    case PROP_DUE_WITHIN:
      g_value_set_uint (value, self->due_within);
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->age.stale);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_overview_data_class_init (OwOverviewDataClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_overview_data_dispose;
  object_class->finalize = ow_overview_data_finalize;
  object_class->get_property = ow_overview_data_get_property;

  properties[PROP_PERIOD] =
    g_param_spec_uint ("period", NULL, NULL, 0, OW_OVERVIEW_PERIOD_LAST,
                       OW_OVERVIEW_PERIOD_THIS_MONTH,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DUE_WITHIN] =
    g_param_spec_uint ("due-within", NULL, NULL, 0, G_MAXUINT, 2,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OwOverviewData::statistics-changed:
   *
   * New statistics, the kept ones offline, a calendar year or the failure of a refresh
   * arrived: whatever shows them should look again.
   */
  signals[STATISTICS_CHANGED] = g_signal_new ("statistics-changed", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);

  /**
   * OwOverviewData::range-changed:
   *
   * The period's days moved, the platform's today being another day than the one they were
   * counted from: whatever asked about them should ask again.
   */
  signals[RANGE_CHANGED] = g_signal_new ("range-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
ow_overview_data_init (OwOverviewData *self)
{
  self->cancellable = g_cancellable_new ();
  self->period = OW_OVERVIEW_PERIOD_THIS_MONTH;
  self->due_within = 2;
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->calendar = ow_calendar_new ();
  g_date_clear (&self->from, 1);
  g_date_clear (&self->to, 1);
}

OwOverviewData *
ow_overview_data_new (OwContext *context)
{
  OwOverviewData *self;
  GSettings *settings;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);

  self = g_object_new (OW_TYPE_OVERVIEW_DATA, NULL);
  self->context = g_object_ref (context);
  settings = ow_context_get_settings (context);
  g_signal_connect_object (settings, "changed::due-within-working-days",
                           G_CALLBACK (due_within_changed_cb), self, G_CONNECT_SWAPPED);
  self->due_within = g_settings_get_uint (settings, "due-within-working-days");
  update_range (self);
  return self;
}
