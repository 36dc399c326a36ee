/* ow-platform-demo-history.c — a hall's last weeks of work, for the demo's supervisor
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With --demo-history the demo hall has a past: two more clerks, a few hundred cases received
 * over the last working weeks at three counters through every channel, moved on by the
 * departments as a hall's cases are (most decided and handed over, some waiting for
 * supplements or suspended, some late), ratings of the handed-over ones and follow-up tickets
 * for some of the poor ones. Everything goes through the same storage, state machine and codec
 * as the routes, with the platform's clock as today, so that `--now` moves the past along. The
 * same seed gives the same hall; a hall that has cases already is left alone.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "core/ow-case-number.h"
#include "core/ow-catalog.h"
#include "core/ow-item.h"
#include "core/ow-validate.h"
#include "net/ow-json.h"
#include "platform/ow-platform-demo.h"
#include "platform/ow-platform-private.h"

#define HISTORY_WORKING_DAYS 45
#define SEED 20261210

static const struct
{
  const char *username;
  const char *display_name;
  guint       counter;
} clerks[] = {
  { "clerk",  "王小明", 7 },
  { "clerk2", "刘洋",   3 },
  { "clerk3", "黄敏",   5 },
};

static const char * const surnames[] = { "张", "李", "王", "陈", "林", "吴", "符", "黄", "周", "郑" };
static const char * const given_names[] = { "伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳",
                                             "海燕", "建华", "晓东", "丽萍", "志明", "少峰" };
static const char * const poor_texts[] = { "排队时间太长", "材料要求说明不清", "窗口人员态度一般",
                                           "来了两次才办成" };

typedef struct
{
  OwPlatformDb *db;
  OwCalendar   *calendar;
  GRand        *rand;
  GPtrArray    *items;       /* OwItem of the catalog (borrowed from its model) */
  GPtrArray    *zero_trip;   /* those taking no trip */
  GDate         today;
  guint         sequence[100];
  guint         events;
  guint         rated;
  guint         tickets;
} History;

static gboolean
chance (History *h,
        double   p)
{
  return g_rand_double (h->rand) < p;
}

static gpointer
pick (History   *h,
      GPtrArray *array)
{
  return g_ptr_array_index (array, g_rand_int_range (h->rand, 0, (gint32) array->len));
}

static char *
make_id_number (History *h)
{
  char id[19];
  GDate born;

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, (GDateDay) g_rand_int_range (h->rand, 1, 29),
                  (GDateMonth) g_rand_int_range (h->rand, 1, 13),
                  (GDateYear) g_rand_int_range (h->rand, 1950, 2004));
  g_snprintf (id, sizeof id, "460100%04u%02u%02u%03d", g_date_get_year (&born),
              g_date_get_month (&born), g_date_get_day (&born),
              g_rand_int_range (h->rand, 100, 999));
  id[17] = ow_resident_id_check_char (id);
  id[18] = '\0';
  return g_strdup (id);
}

static GDateTime *
time_on (const GDate *day,
         int          minutes_after_eight)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (8 * 60 * 60);
  g_autoptr(GDateTime) local = g_date_time_new (zone, (int) g_date_get_year (day),
                                                (int) g_date_get_month (day),
                                                (int) g_date_get_day (day), 8, 30, 0);

  return g_date_time_add_minutes (local, minutes_after_eight);
}

/* What a case became after @age working days. */
static OwCaseState
choose_state (History *h,
              guint    age,
              guint    limit)
{
  double p = g_rand_double (h->rand);

  if (p < 0.03)
    return OW_CASE_STATE_REFUSED;
  if (p < 0.05)
    return OW_CASE_STATE_WITHDRAWN;
  if (p < 0.11)
    return OW_CASE_STATE_SUPPLEMENT_REQUESTED;
  if (p < 0.15)
    return OW_CASE_STATE_SUSPENDED;
  /* Within its limit a case is mostly still under review; past it mostly done, some late. */
  if (age <= limit)
    return chance (h, 0.7) ? OW_CASE_STATE_ACCEPTED : OW_CASE_STATE_RESULT_READY;
  if (p < 0.22)
    return OW_CASE_STATE_ACCEPTED;
  if (p < 0.30)
    return OW_CASE_STATE_RESULT_READY;
  if (p < 0.36)
    return OW_CASE_STATE_MAILED;
  return OW_CASE_STATE_HANDED_OVER;
}

static OwCaseChannel
choose_channel (History *h,
                OwItem  *item)
{
  double p = g_rand_double (h->rand);

  if (!ow_item_is_zero_trip (item))
    return p < 0.85 ? OW_CASE_CHANNEL_WINDOW : OW_CASE_CHANNEL_SELF_SERVICE;
  if (p < 0.38)
    return OW_CASE_CHANNEL_WINDOW;
  if (p < 0.68)
    return OW_CASE_CHANNEL_ONLINE;
  if (p < 0.86)
    return OW_CASE_CHANNEL_MOBILE;
  if (p < 0.94)
    return OW_CASE_CHANNEL_POST;
  return OW_CASE_CHANNEL_SELF_SERVICE;
}

static gboolean
record_event (History         *h,
              const char      *case_no,
              OwCaseEventKind  kind,
              GDateTime       *at,
              const char      *username,
              const char      *note,
              GError         **error)
{
  g_autoptr(OwJsonCaseEvent) event = g_new0 (OwJsonCaseEvent, 1);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *reason = NULL;
  OwPlatformPutResult result;

  event->id = g_strdup_printf ("demo-%s-%u", case_no, h->events++);
  event->kind = kind;
  event->at = g_date_time_ref (at);
  event->note = g_strdup (note);
  if (kind == OW_CASE_EVENT_MAILED)
    event->waybill = g_strdup_printf ("SF%010u", g_rand_int (h->rand) % 1000000000u);
  g_date_clear (&event->promised_date, 1);
  node = ow_json_from_case_event (event);
  body = ow_json_to_canonical (node);
  if (!ow_platform_db_add_case_event (h->db, case_no, event->id,
                                      ow_case_event_kind_to_string (kind), body, NULL, username,
                                      &result, NULL, &reason, error))
    return FALSE;
  if (result != OW_PLATFORM_PUT_CREATED)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                   "demo history: case %s refused %s: %s", case_no,
                   ow_case_event_kind_to_string (kind), reason != NULL ? reason : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_rating (History     *h,
            const char  *case_no,
            GDateTime   *at,
            GError     **error)
{
  static const double levels[] = { 0.55, 0.80, 0.91, 0.97, 1.0 };  /* cumulative */
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = g_strdup_printf ("demo-rating-%u", h->rated++);
  g_autofree char *body = NULL;
  g_autofree char *when = NULL;
  OwPlatformPutResult result;
  double p = g_rand_double (h->rand);
  int level = 1;

  while (level < 5 && p >= levels[level - 1])
    level++;
  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (at);

    when = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "case_no");
  json_builder_add_string_value (builder, case_no);
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder, "on-site");
  json_builder_set_member_name (builder, "level");
  json_builder_add_int_value (builder, level);
  json_builder_set_member_name (builder, "text");
  if (level >= 4)
    json_builder_add_string_value (builder, poor_texts[g_rand_int_range (h->rand, 0,
                                                                         G_N_ELEMENTS (poor_texts))]);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, when);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  body = ow_json_to_canonical (node);
  if (!ow_platform_db_put_rating (h->db, id, case_no, "on-site", level, body, "pickup", &result,
                                  error))
    return FALSE;

  /* Every other poor rating is already followed up by a ticket. */
  if (level >= 4 && chance (h, 0.5))
    {
      g_autoptr(JsonBuilder) ticket = json_builder_new ();
      g_autoptr(JsonNode) ticket_node = NULL;
      g_autofree char *ticket_id = g_strdup_printf ("demo-follow-up-%u", h->tickets++);
      g_autofree char *ticket_body = NULL;
      g_autofree char *summary = g_strdup_printf ("差评回访：办件 %s", case_no);
      GDate registered, due;
      char due_text[16];

      g_date_clear (&registered, 1);
      g_date_set_dmy (&registered, (GDateDay) g_date_time_get_day_of_month (at),
                      (GDateMonth) g_date_time_get_month (at),
                      (GDateYear) g_date_time_get_year (at));
      ow_ticket_compute_due_date (h->calendar, &registered, OW_TICKET_TIER_5_DAYS, &due, NULL);
      g_snprintf (due_text, sizeof due_text, "%04u-%02u-%02u", g_date_get_year (&due),
                  g_date_get_month (&due), g_date_get_day (&due));
      json_builder_begin_object (ticket);
      json_builder_set_member_name (ticket, "id");
      json_builder_add_string_value (ticket, ticket_id);
      json_builder_set_member_name (ticket, "registered_at");
      json_builder_add_string_value (ticket, when);
      json_builder_set_member_name (ticket, "hall");
      json_builder_add_string_value (ticket, OW_DEMO_HALL);
      json_builder_set_member_name (ticket, "tier");
      json_builder_add_string_value (ticket, "5-working-days");
      json_builder_set_member_name (ticket, "summary");
      json_builder_add_string_value (ticket, summary);
      json_builder_set_member_name (ticket, "contact_name");
      json_builder_add_null_value (ticket);
      json_builder_set_member_name (ticket, "contact_phone");
      json_builder_add_null_value (ticket);
      json_builder_set_member_name (ticket, "case_no");
      json_builder_add_string_value (ticket, case_no);
      json_builder_set_member_name (ticket, "rating_id");
      json_builder_add_string_value (ticket, id);
      json_builder_end_object (ticket);
      ticket_node = json_builder_get_root (ticket);
      ticket_body = ow_json_to_canonical (ticket_node);
      if (!ow_platform_db_put_ticket (h->db, ticket_id, ticket_body, due_text, "supervisor",
                                      &result, error))
        return FALSE;
    }
  return TRUE;
}

/* One case received on @day, moved on to where a case of its age would be. */
static gboolean
add_case (History     *h,
          const GDate *day,
          guint        age,
          GError     **error)
{
  gboolean zero_trip = h->zero_trip->len > 0 && chance (h, 0.7);
  OwItem *item = pick (h, zero_trip ? h->zero_trip : h->items);
  guint clerk = (guint) g_rand_int_range (h->rand, 0, G_N_ELEMENTS (clerks));
  guint limit = MAX (ow_item_get_promised_limit (item), 1);
  g_autofree char *case_no = NULL;
  g_autofree char *body = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id_number = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwApplicant) applicant = NULL;
  g_autoptr(GDateTime) received = NULL;
  g_autoptr(JsonNode) node = NULL;
  GListModel *materials = ow_item_get_materials (item);
  OwCaseState state = choose_state (h, age, limit);
  OwPlatformPutResult result;
  GDate promised, decided;
  const char *department_user = "department";

  case_no = ow_case_number_make (OW_DEMO_HALL, clerks[clerk].counter, day,
                                 ++h->sequence[clerks[clerk].counter], error);
  if (case_no == NULL)
    return FALSE;
  received = time_on (day, g_rand_int_range (h->rand, 0, 7 * 60));
  ow_calendar_add_working_days (h->calendar, day, limit, &promised, NULL);

  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, "DEMO00");
  ow_case_set_origin (kase, OW_DEMO_HALL, clerks[clerk].counter, clerks[clerk].username);
  ow_case_set_received_at (kase, received);
  ow_case_set_channel (kase, choose_channel (h, item));
  applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  name = g_strconcat (surnames[g_rand_int_range (h->rand, 0, G_N_ELEMENTS (surnames))],
                      given_names[g_rand_int_range (h->rand, 0, G_N_ELEMENTS (given_names))],
                      NULL);
  applicant->name = g_strdup (name);
  applicant->id_number = make_id_number (h);
  applicant->phone = g_strdup_printf ("139%08u", g_rand_int (h->rand) % 100000000u);
  ow_case_set_applicant (kase, applicant);
  ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (item), ow_item_get_basic_code (item),
                                            ow_item_get_name (item),
                                            ow_item_get_department (item)));
  for (guint i = 0; i < g_list_model_get_n_items (materials); i++)
    {
      g_autoptr(OwMaterial) material = g_list_model_get_item (materials, i);
      OwCaseMaterial *line = ow_case_material_new (ow_material_get_id (material),
                                                   ow_material_get_name (material));

      line->status = OW_MATERIAL_STATUS_PAPER;
      line->originals = ow_material_get_originals (material);
      line->copies = ow_material_get_copies (material);
      if (state == OW_CASE_STATE_SUPPLEMENT_REQUESTED && i == 0)
        {
          line->status = OW_MATERIAL_STATUS_MISSING;
          line->note = g_strdup ("需补正：未签字");
        }
      ow_case_add_material (kase, line);
    }
  ow_case_set_delivery (kase, state == OW_CASE_STATE_MAILED ? OW_DELIVERY_POST : OW_DELIVERY_PICKUP,
                        state == OW_CASE_STATE_MAILED ? name : NULL,
                        state == OW_CASE_STATE_MAILED ? applicant->phone : NULL,
                        state == OW_CASE_STATE_MAILED ? "海口市龙华区滨海大道1号" : NULL);
  switch (state)
    {
    case OW_CASE_STATE_REFUSED:
      ow_case_set_state (kase, OW_CASE_STATE_REFUSED);
      ow_case_set_refusal (kase, "不属于本机关职权范围", "海南省人民政府政务服务中心");
      break;
    case OW_CASE_STATE_SUPPLEMENT_REQUESTED:
      ow_case_set_state (kase, OW_CASE_STATE_SUPPLEMENT_REQUESTED);
      ow_case_set_promised_date (kase, &promised);
      break;
    default:
      ow_case_set_state (kase, OW_CASE_STATE_ACCEPTED);
      ow_case_set_promised_date (kase, &promised);
      break;
    }

  node = ow_json_from_case (kase);
  body = ow_json_to_canonical (node);
  if (!ow_platform_db_put_case (h->db, case_no, body,
                                ow_case_state_to_string (ow_case_get_state (kase)), OW_DEMO_HALL,
                                clerks[clerk].counter, clerks[clerk].username, &result, error))
    return FALSE;
  if (result != OW_PLATFORM_PUT_CREATED)
    return TRUE;

  /* The departments decide within the limit, mostly; late cases are decided late. */
  decided = *day;
  ow_calendar_add_working_days (h->calendar, day, MIN (limit, MAX (age, 1u)), &decided, NULL);
  {
    g_autoptr(GDateTime) at = time_on (&decided, 60 + g_rand_int_range (h->rand, 0, 5 * 60));
    g_autoptr(GDateTime) later = g_date_time_add_hours (at, 2);

    switch (state)
      {
      case OW_CASE_STATE_WITHDRAWN:
        return record_event (h, case_no, OW_CASE_EVENT_WITHDRAWN, received, clerks[clerk].username,
                             "申请人撤回", error);
      case OW_CASE_STATE_SUSPENDED:
        return record_event (h, case_no, OW_CASE_EVENT_SUSPENDED, at, department_user,
                             "现场核查", error);
      case OW_CASE_STATE_RESULT_READY:
      case OW_CASE_STATE_HANDED_OVER:
      case OW_CASE_STATE_MAILED:
        if (!record_event (h, case_no, OW_CASE_EVENT_APPROVED, at, department_user, NULL, error) ||
            !record_event (h, case_no, OW_CASE_EVENT_RESULT_READY, later, department_user, NULL,
                           error))
          return FALSE;
        if (state == OW_CASE_STATE_RESULT_READY)
          return TRUE;
        {
          g_autoptr(GDateTime) handed = g_date_time_add_days (later, 1);

          if (!record_event (h, case_no, state == OW_CASE_STATE_MAILED ? OW_CASE_EVENT_MAILED
                                                                      : OW_CASE_EVENT_HANDED_OVER,
                             handed, "pickup", NULL, error))
            return FALSE;
          return state != OW_CASE_STATE_HANDED_OVER || add_rating (h, case_no, handed, error);
        }
      default:
        return TRUE;
      }
  }
}

static gboolean
add_clerks (OwPlatformDb  *db,
            GError       **error)
{
  for (guint i = 1; i < G_N_ELEMENTS (clerks); i++)
    {
      g_autoptr(OwPlatformUser) existing = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *roles[] = { "clerk", NULL };
      char hash[crypto_pwhash_STRBYTES];
      OwPlatformUser user = { 0, };

      existing = ow_platform_db_lookup_user (db, clerks[i].username, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (existing != NULL)
        continue;
      if (crypto_pwhash_str (hash, OW_DEMO_PASSWORD, strlen (OW_DEMO_PASSWORD),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        {
          g_set_error_literal (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                               _("Out of memory while hashing the demo passwords"));
          return FALSE;
        }
      user.username = (char *) clerks[i].username;
      user.display_name = (char *) clerks[i].display_name;
      user.password_hash = hash;
      user.roles = (char **) roles;
      user.hall = (char *) OW_DEMO_HALL;
      user.hall_name = (char *) OW_DEMO_HALL_NAME;
      user.counter = clerks[i].counter;
      if (!ow_platform_db_add_user (db, &user, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
has_cases (OwPlatformDb  *db,
           gboolean      *any,
           GError       **error)
{
  g_autoptr(GHashTable) counts = ow_platform_db_count_cases_by_state (db, OW_DEMO_HALL, error);

  if (counts == NULL)
    return FALSE;
  *any = g_hash_table_size (counts) > 0;
  return TRUE;
}

gboolean
ow_platform_demo_seed_history (OwPlatformDb  *db,
                               GError       **error)
{
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(OwCalendar) calendar = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) zero_trip = g_ptr_array_new ();
  History h = { 0, };
  gint64 revision;
  gboolean any;
  GDate day;

  g_return_val_if_fail (db != NULL, FALSE);

  if (!has_cases (db, &any, error))
    return FALSE;
  if (any)
    return TRUE;
  if (!ow_platform_db_get_catalog (db, &revision, NULL, NULL, error))
    return FALSE;
  if (revision == 0)
    {
      g_set_error_literal (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATA,
                           _("The demo history needs the demo catalog: pass --demo too"));
      return FALSE;
    }
  /* The newest revision's items, as the catalog keeps them (one by one). */
  if ((listed = ow_platform_db_list_catalog_items (db, revision, 0, 0, 0, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < listed->len; i++)
    {
      const OwPlatformCatalogItem *entry = g_ptr_array_index (listed, i);
      g_autoptr(JsonNode) node = NULL;
      OwItem *item;

      if (entry->body == NULL)
        continue;
      if ((node = ow_json_parse (entry->body, -1, error)) == NULL ||
          (item = ow_json_to_item (node, NULL, error)) == NULL)
        return FALSE;
      g_ptr_array_add (items, item);
      if (ow_item_is_zero_trip (item))
        g_ptr_array_add (zero_trip, item);
    }
  if (items->len == 0)
    return TRUE;

  h.db = db;
  h.items = items;
  h.zero_trip = zero_trip;
  h.rand = g_rand_new_with_seed (SEED);
  ow_platform_get_today (&h.today);
  if ((calendar = ow_platform_load_calendar (db, OW_DEMO_HALL, g_date_get_year (&h.today),
                                             error)) == NULL)
    goto fail;
  h.calendar = calendar;

  /* Each case commits on its own, as the routes do (the storage does not nest transactions). */
  if (!add_clerks (db, error))
    goto fail;
  /* Working day by working day back from yesterday. */
  day = h.today;
  for (guint age = 1; age <= HISTORY_WORKING_DAYS; age++)
    {
      guint n;

      do
        g_date_subtract_days (&day, 1);
      while (!ow_calendar_is_working_day (calendar, &day));
      n = (guint) g_rand_int_range (h.rand, 3, 9);
      for (guint i = 0; i < n; i++)
        if (!add_case (&h, &day, age, error))
          goto fail;
    }
  g_rand_free (h.rand);
  return TRUE;

fail:
  g_rand_free (h.rand);
  return FALSE;
}
