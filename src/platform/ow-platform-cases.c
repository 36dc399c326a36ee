/* ow-platform-cases.c — the platform's case routes: PUT, GET, the list and case events
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-case.h"
#include "core/ow-case-number.h"
#include "core/ow-error.h"
#include "core/ow-region.h"
#include "net/ow-json.h"
#include "platform/ow-platform-access.h"
#include "platform/ow-platform-case-query.h"
#include "platform/ow-platform-private.h"

/* Cases ------------------------------------------------------------------------------------ */

/* Today in China (UTC+8 all year): case numbers carry the counter's local date, and a server
 * on UTC would otherwise call a case made after midnight in Haikou "from the future". */
void
ow_platform_get_today (GDate *today)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (8 * 60 * 60);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ow_platform_now ());
  g_autoptr(GDateTime) now = g_date_time_to_timezone (utc, zone);

  g_date_clear (today, 1);
  g_date_set_dmy (today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}

/* Every page a material names must have been uploaded first (the sync engine orders them so):
 * a case never points at bytes the platform does not hold. @materials (OwCaseMaterial) are a
 * case's or an event's lines, both named "materials[i].files[j]". Answers 422 itself. */
static gboolean
check_files_exist (OwPlatformServer  *self,
                   OwPlatformRequest *msg,
                   GPtrArray         *materials)
{
  for (guint i = 0; materials != NULL && i < materials->len; i++)
    {
      OwCaseMaterial *material = g_ptr_array_index (materials, i);

      for (guint j = 0; material->files != NULL && j < material->files->len; j++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *field = NULL;
          gboolean exists = FALSE;

          if (!ow_platform_db_has_file (ow_platform_server_db (self),
                                        g_ptr_array_index (material->files, j), &exists,
                                        &error))
            {
              ow_platform_respond_internal (msg, error);
              return FALSE;
            }
          if (exists)
            continue;

          field = g_strdup_printf ("materials[%u].files[%u]", i, j);
          ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field,
                                     _("A scanned page of this case has not been uploaded: "
                                       "upload its file first"));
          return FALSE;
        }
    }
  return TRUE;
}

/* A resident ID whose region GB/T 2260 does not know is kept (people carry codes of counties
 * since merged, and the table is not complete) but said: in the log, and in the answer's
 * "warnings" (not stored, so that a resend still compares equal). */
static void
add_region_warnings (JsonNode *answer,
                     OwCase   *kase)
{
  const OwApplicant *people[] = { ow_case_get_applicant (kase), ow_case_get_agent (kase) };
  const char *fields[] = { "applicant.id_number", "agent.id_number" };
  g_autoptr(JsonArray) warnings = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autofree char *message = NULL;
      JsonObject *warning;

      if (people[i] == NULL || people[i]->kind != OW_APPLICANT_PERSON ||
          people[i]->id_number == NULL ||
          (message = ow_resident_id_region_warning (people[i]->id_number)) == NULL)
        continue;
      g_warning ("Case %s, %s: %s", ow_case_get_case_no (kase), fields[i], message);
      warning = json_object_new ();
      json_object_set_string_member (warning, "field", fields[i]);
      json_object_set_string_member (warning, "message", message);
      json_array_add_object_element (warnings, warning);
    }
  if (json_array_get_length (warnings) > 0)
    json_object_set_array_member (json_node_get_object (answer), "warnings",
                                  g_steal_pointer (&warnings));
}

static void
handle_put_case (OwPlatformServer  *self,
                 OwPlatformRequest *msg,
                 const char        *case_no)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) normalized = NULL;
  g_autofree char *field = NULL;
  g_autofree char *body = NULL;
  OwPlatformPutResult result;
  GDate today;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_role (msg, user, "clerk"))
    return;
  if (ow_platform_request_too_large (msg))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL,
                                 _("The case is larger than 1 MiB"));
      return;
    }
  if ((root = ow_platform_parse_request_json (msg)) == NULL)
    return;

  kase = ow_json_to_case (root, &field, &error);
  if (kase == NULL)
    {
      guint status = g_error_matches (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE)
                       ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_UNPROCESSABLE_ENTITY;

      ow_platform_respond_error (msg, status, field, error->message);
      return;
    }

  if (g_strcmp0 (ow_case_get_case_no (kase), case_no) != 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "case_no",
                                 _("The case number in the body differs from the one in the "
                                   "address"));
      return;
    }

  /* The client validated too, but the platform never relies on that. */
  ow_platform_get_today (&today);
  if (!ow_case_validate (kase, &today, &field, &error))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, error->message);
      return;
    }
  if (ow_case_get_received_at (kase) != NULL &&
      !ow_platform_check_not_future (msg, g_date_time_to_unix (ow_case_get_received_at (kase)),
                                     "received_at"))
    return;

  if (g_strcmp0 (ow_case_get_hall (kase), user->hall) != 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, "hall",
                                 _("A clerk can only submit cases of their own hall"));
      return;
    }

  if (!check_files_exist (self, msg, ow_case_get_materials (kase)))
    return;

  /* Stored as re-encoded, so that member order, unknown members and spelling variants of the
   * same case compare equal. */
  normalized = ow_json_from_case (kase);
  body = ow_json_to_canonical (normalized);
  if (!ow_platform_db_put_case (ow_platform_server_db (self), case_no, body,
                                ow_case_state_to_string (ow_case_get_state (kase)),
                                ow_case_get_hall (kase), ow_case_get_counter (kase),
                                user->username, &result, &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  if (result == OW_PLATFORM_PUT_CREATED)
    ow_platform_server_changed (self);
  if (result != OW_PLATFORM_PUT_CONFLICT)
    add_region_warnings (normalized, kase);

  switch (result)
    {
    case OW_PLATFORM_PUT_CREATED:
      ow_platform_respond_json (msg, SOUP_STATUS_CREATED, normalized);
      break;
    case OW_PLATFORM_PUT_SAME:
      ow_platform_respond_json (msg, SOUP_STATUS_OK, normalized);
      break;
    case OW_PLATFORM_PUT_CONFLICT:
    default:
      ow_platform_respond_error (msg, SOUP_STATUS_CONFLICT, "case_no",
                                 _("A different case with this number was already submitted"));
      break;
    }
}

/* The stored body with its current state, as GET and the list answer it. */
static JsonNode *
case_node_from_row (const char  *body,
                    const char  *state,
                    GError     **error)
{
  g_autoptr(JsonNode) root = ow_json_parse (body, -1, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                           "stored case is not an object");
      return NULL;
    }
  json_object_set_string_member (json_node_get_object (root), "state", state);
  return g_steal_pointer (&root);
}

static void
handle_get_case (OwPlatformServer  *self,
                 OwPlatformRequest *msg,
                 const char        *case_no)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *state = NULL;
  g_autofree char *answer = NULL;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_case_visible (self, msg, user, case_no))
    return;

  body = ow_platform_db_get_case (ow_platform_server_db (self), case_no, &state, &error);
  if (error != NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  if (body == NULL)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                 _("There is no case with this number"));
      return;
    }

  /* The stored body is in the canonical form: its state is set in the text, as parsing it and
   * writing it again would (the hottest read there is: a counter's copies, the pick-up window). */
  if (state != NULL && (answer = ow_json_canonical_set_string (body, "state", state)) != NULL)
    {
      gsize length = strlen (answer);

      ow_platform_request_set_status (msg, SOUP_STATUS_OK);
      ow_platform_request_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&answer), length);
      return;
    }
  if ((root = case_node_from_row (body, state, &error)) == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  ow_platform_respond_json (msg, SOUP_STATUS_OK, root);
}


static void
handle_list_cases (OwPlatformServer  *self,
                   OwPlatformRequest *msg,
                   GHashTable        *query)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  OwPlatformCaseQuery case_query;
  gint64 total = -1;
  g_autofree char *id_number = NULL;
  gboolean parsed;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;

  /* Every filter, the order and the cursor (ow-platform-case-query.c). */
  parsed = ow_platform_case_query_parse (self, msg, query, user, TRUE, &case_query)
           /* The pick-up window's look-up of an applicant's cases (ow-platform-pickup.c). */
           && ow_platform_filter_by_id_number (msg, user, query, &case_query.filter,
                                               &id_number);
  if (parsed)
    rows = ow_platform_db_list_cases (ow_platform_server_db (self), &case_query.filter, &error);
  /* count=true: how many cases the whole list holds, on its first page only. */
  if (rows != NULL && query != NULL && g_strcmp0 (g_hash_table_lookup (query, "count"), "true") == 0
      && case_query.filter.after == 0 && case_query.filter.after_key == NULL)
    {
      g_autoptr(GPtrArray) groups = ow_platform_db_count_cases (ow_platform_server_db (self),
                                                                &case_query.filter,
                                                                OW_CASE_COUNT_STATE, &total,
                                                                &error);
      if (groups == NULL)
        g_clear_pointer (&rows, g_ptr_array_unref);
    }
  if (!parsed || rows == NULL)
    {
      if (parsed)
        ow_platform_respond_internal (msg, error);
      ow_platform_case_query_clear (&case_query);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cases");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len && i < case_query.filter.limit; i++)
    {
      OwPlatformCaseRow *row = g_ptr_array_index (rows, i);
      JsonNode *node = case_node_from_row (row->body, row->state, &error);

      if (node == NULL)
        {
          ow_platform_respond_internal (msg, error);
          ow_platform_case_query_clear (&case_query);
          return;
        }
      /* The filter asked the database for the department's cases; the rule has the last word.
       * The cursor still moves past what is left out. */
      if (!ow_platform_may_see_case (user, json_node_get_object (node)))
        {
          json_node_unref (node);
          continue;
        }
      json_builder_add_value (builder, node);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  if (rows->len > case_query.filter.limit)
    {
      OwPlatformCaseRow *last = g_ptr_array_index (rows, case_query.filter.limit - 1);
      g_autofree char *cursor = ow_platform_case_query_cursor (&case_query, last);

      json_builder_add_string_value (builder, cursor);
    }
  else
    json_builder_add_null_value (builder);
  if (total >= 0)
    {
      json_builder_set_member_name (builder, "total");
      json_builder_add_int_value (builder, total);
    }
  json_builder_end_object (builder);
  ow_platform_case_query_clear (&case_query);

  response = json_builder_get_root (builder);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
}

/* Case events ------------------------------------------------------------------------------ */

/* Who may record each kind of event (HACKING.md, "Case events"). */
static const char *
role_for_event (OwCaseEventKind kind)
{
  switch (kind)
    {
    case OW_CASE_EVENT_ACCEPTED:
    case OW_CASE_EVENT_REFUSED:
    case OW_CASE_EVENT_SUPPLEMENT_REQUESTED:
    case OW_CASE_EVENT_SUPPLEMENT_RECEIVED:
    case OW_CASE_EVENT_WITHDRAWN:
      return "clerk";
    case OW_CASE_EVENT_SUSPENDED:
    case OW_CASE_EVENT_RESUMED:
    case OW_CASE_EVENT_APPROVED:
    case OW_CASE_EVENT_NOT_APPROVED:
    case OW_CASE_EVENT_RESULT_READY:
      return "department";
    case OW_CASE_EVENT_HANDED_OVER:
    case OW_CASE_EVENT_MAILED:
    case OW_CASE_EVENT_DELIVERED:
    default:
      return "pickup";
    }
}

/* The counter and the pick-up window act on their own hall's cases only, as a clerk submits only
 * those; a department decides for every hall, on the cases of its own items
 * (ow-platform-access.h). Answers 403 (or 500) itself. An unknown case passes: the database
 * answers 404 for it. */
static gboolean
check_own_hall (OwPlatformServer     *self,
                OwPlatformRequest    *msg,
                const OwPlatformUser *user,
                OwCaseEventKind       kind,
                const char           *case_no)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  const char *hall = NULL;

  if (g_str_equal (role_for_event (kind), "department"))
    return ow_platform_require_case_decidable (self, msg, user, case_no);
  if ((body = ow_platform_db_get_case (ow_platform_server_db (self), case_no, NULL,
                                       &error)) == NULL)
    {
      if (error == NULL)
        return TRUE;
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if ((root = ow_json_parse (body, -1, NULL)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    hall = json_object_get_string_member_with_default (json_node_get_object (root), "hall", NULL);
  if (g_strcmp0 (hall, user->hall) == 0)
    return TRUE;

  ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, "hall",
                             _("This case belongs to another hall: only its own hall may "
                               "record this"));
  return FALSE;
}

/* The event decoded and, in @canonical, its canonical form (through the shared codec, so
 * client and platform agree on it), or NULL with the offending member in @field and why in
 * @message. */
static OwJsonCaseEvent *
decode_event (JsonNode  *node,
              char     **canonical,
              char     **field,
              char     **message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, field, &error);
  g_autoptr(JsonNode) normalized = NULL;

  if (event == NULL)
    {
      *message = g_strdup (error->message);
      return NULL;
    }
  normalized = ow_json_from_case_event (event);
  *canonical = ow_json_to_canonical (normalized);
  return g_steal_pointer (&event);
}

static char *
encode_event (JsonNode         *node,
              char            **id,
              OwCaseEventKind  *kind,
              char            **field,
              char            **message)
{
  g_autoptr(OwJsonCaseEvent) event = NULL;
  char *canonical = NULL;

  if ((event = decode_event (node, &canonical, field, message)) == NULL)
    return NULL;
  *id = g_strdup (event->id);
  *kind = event->kind;
  return canonical;
}

/* Amending events ---------------------------------------------------------------------- */

static gboolean
event_amends (const OwJsonCaseEvent *event)
{
  return g_date_valid (&event->promised_date) || event->document_no != NULL
         || (event->materials != NULL && event->materials->len > 0);
}

/* The largest legal time limit (法定办结时限) of @kase's items, in working days: each item's as
 * the newest catalog revision that lists it says (an item dropped from the catalog since the
 * case was made keeps the limit it had). @found FALSE when no revision lists any of them. */
static gboolean
largest_legal_limit (OwPlatformServer  *self,
                     OwCase            *kase,
                     guint             *limit,
                     gboolean          *found,
                     GError           **error)
{
  GPtrArray *items = ow_case_get_items (kase);

  *limit = 0;
  *found = FALSE;
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);
      gboolean listed = FALSE;
      gint64 legal = 0;

      if (item->item_id == NULL)
        continue;
      if (!ow_platform_db_get_item_legal_limit (ow_platform_server_db (self), item->item_id,
                                                &legal, &listed, error))
        return FALSE;
      if (listed && legal >= 0)
        {
          *found = TRUE;
          *limit = MAX (*limit, (guint) MIN (legal, 10000));
        }
    }
  return TRUE;
}

static void
format_day (const GDate *date,
            char         text[16])
{
  g_snprintf (text, 16, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

/* A promised date the event sets: not before the event's day in the hall (UTC+8), not after
 * that day plus the largest legal limit of the case's items in working days on the hall's
 * calendar. Answers 422 (or 500) itself. */
static gboolean
check_promised_date (OwPlatformServer      *self,
                     OwPlatformRequest     *msg,
                     OwCase                *kase,
                     const OwJsonCaseEvent *event)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (8 * 60 * 60);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (event->at, zone);
  g_autoptr(OwCalendar) calendar = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean found = FALSE;
  char latest_text[16];
  guint limit = 0;
  GDate day, latest;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  if (g_date_compare (&event->promised_date, &day) < 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "promised_date",
                                 _("The promised date is before the day of the event"));
      return FALSE;
    }

  if (!largest_legal_limit (self, kase, &limit, &found, &error))
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if (!found)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "promised_date",
                                 _("No catalog revision lists the case’s service items, so the "
                                   "promised date cannot be checked against their legal time "
                                   "limit"));
      return FALSE;
    }
  calendar = ow_platform_load_calendar (ow_platform_server_db (self),
                                        ow_case_get_hall (kase) != NULL
                                          ? ow_case_get_hall (kase) : "",
                                        g_date_get_year (&day), &error);
  if (calendar == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  ow_calendar_add_working_days (calendar, &day, limit, &latest, NULL);
  if (g_date_compare (&event->promised_date, &latest) <= 0)
    return TRUE;

  format_day (&latest, latest_text);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The promised date is later than the legal time limit "
                                          "of %u working day allows (%s)",
                                          "The promised date is later than the legal time limit "
                                          "of %u working days allows (%s)", limit),
                             limit, latest_text);
  ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "promised_date", message);
  return FALSE;
}

/* The case as it will stand after @event, canonical, in @amended (NULL when the event amends
 * nothing, when its id is known already: the database answers the resend, and when the case
 * is unknown: the database answers 404). FALSE after answering 422 (or 500) itself. */
static gboolean
amend_case (OwPlatformServer      *self,
            OwPlatformRequest     *msg,
            const char            *case_no,
            const OwJsonCaseEvent *event,
            char                 **amended)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *body = NULL;
  g_autofree char *field = NULL;
  gboolean known = FALSE;
  GDate today;

  *amended = NULL;
  if (!event_amends (event))
    return TRUE;
  if (!ow_platform_db_has_case_event (ow_platform_server_db (self), event->id, &known, &error))
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if (known)
    return TRUE;
  if ((body = ow_platform_db_get_case (ow_platform_server_db (self), case_no, NULL,
                                       &error)) == NULL)
    {
      if (error == NULL)
        return TRUE;
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if ((root = ow_json_parse (body, -1, &error)) == NULL
      || (kase = ow_json_to_case (root, NULL, &error)) == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }

  if (g_date_valid (&event->promised_date) && !check_promised_date (self, msg, kase, event))
    return FALSE;
  if (!ow_json_case_event_amend (event, kase, &field, &error))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, error->message);
      return FALSE;
    }
  /* As for a case PUT: the pages of the arrived lines must be here already, and the case as
   * amended must still hold together (a tolerated gap not due after the promised date …). */
  if (!check_files_exist (self, msg, event->materials))
    return FALSE;
  ow_platform_get_today (&today);
  if (!ow_case_validate (kase, &today, &field, &error))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, error->message);
      return FALSE;
    }

  node = ow_json_from_case (kase);
  *amended = ow_json_to_canonical (node);
  return TRUE;
}

static void
respond_event_result (OwPlatformRequest   *msg,
                      OwPlatformPutResult  result,
                      const char          *body,
                      const char          *reason)
{
  g_autoptr(JsonNode) node = NULL;

  switch (result)
    {
    case OW_PLATFORM_PUT_CREATED:
    case OW_PLATFORM_PUT_SAME:
      node = ow_json_parse (body, -1, NULL);
      ow_platform_respond_json (msg,
                                result == OW_PLATFORM_PUT_CREATED ? SOUP_STATUS_CREATED
                                                                  : SOUP_STATUS_OK,
                                node);
      break;
    case OW_PLATFORM_PUT_CONFLICT:
      ow_platform_respond_error (msg, SOUP_STATUS_CONFLICT, "id",
                                 _("A different event with this id was already recorded"));
      break;
    case OW_PLATFORM_PUT_NOT_FOUND:
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                 _("There is no case with this number"));
      break;
    case OW_PLATFORM_PUT_ILLEGAL:
    default:
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "kind", reason);
      break;
    }
}

static void
handle_post_event (OwPlatformServer  *self,
                   OwPlatformRequest *msg,
                   const char        *case_no)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwJsonCaseEvent) event = NULL;
  g_autofree char *body = NULL;
  g_autofree char *amended = NULL;
  g_autofree char *state = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *message = NULL;
  g_autofree char *field = NULL;
  OwPlatformPutResult result;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;
  if ((root = ow_platform_parse_request_json (msg)) == NULL)
    return;

  if ((event = decode_event (root, &body, &field, &message)) == NULL)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, message);
      return;
    }
  if (!ow_platform_check_not_future (msg, g_date_time_to_unix (event->at), "at"))
    return;
  if (!ow_platform_require_role (msg, user, role_for_event (event->kind)) ||
      !check_own_hall (self, msg, user, event->kind, case_no) ||
      !ow_platform_check_pickup_event (self, msg, case_no, event) ||
      !amend_case (self, msg, case_no, event, &amended))
    return;

  if (!ow_platform_db_add_case_event (ow_platform_server_db (self), case_no, event->id,
                                      ow_case_event_kind_to_string (event->kind), body, amended,
                                      user->username, &result, &state, &reason, &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  if (result == OW_PLATFORM_PUT_CREATED)
    ow_platform_server_changed (self);
  respond_event_result (msg, result, body, reason);
}

static void
handle_list_events (OwPlatformServer  *self,
                    OwPlatformRequest *msg,
                    const char        *case_no)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_case_visible (self, msg, user, case_no))
    return;

  bodies = ow_platform_db_list_case_events (ow_platform_server_db (self), case_no, &error);
  if (bodies == NULL)
    {
      if (error != NULL)
        ow_platform_respond_internal (msg, error);
      else
        ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                   _("There is no case with this number"));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < bodies->len; i++)
    {
      JsonNode *node = ow_json_parse (g_ptr_array_index (bodies, i), -1, &error);

      if (node == NULL)
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      json_builder_add_value (builder, node);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  response = json_builder_get_root (builder);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
}

gboolean
ow_platform_record_case_event (OwPlatformDb         *db,
                               const char           *case_no,
                               const char           *kind,
                               const char           *note,
                               const char           *waybill,
                               const char           *username,
                               OwPlatformPutResult  *result,
                               char                **reason,
                               GError              **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *body = NULL;
  g_autofree char *stored_id = NULL;
  g_autofree char *field = NULL;
  g_autofree char *message = NULL;
  OwCaseEventKind event_kind;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, at);
  if (note != NULL)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  if (waybill != NULL)
    {
      json_builder_set_member_name (builder, "waybill");
      json_builder_add_string_value (builder, waybill);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  if ((body = encode_event (node, &stored_id, &event_kind, &field, &message)) == NULL)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID, message);
      return FALSE;
    }
  return ow_platform_db_add_case_event (db, case_no, id, kind, body, NULL, username, result,
                                        NULL, reason, error);
}

/* Routing ---------------------------------------------------------------------------------- */

void
ow_platform_route_cases (OwPlatformServer  *self,
                         OwPlatformRequest *msg,
                         const char        *method,
                         const char        *rest,
                         GHashTable        *query)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *case_no = NULL;
  g_autofree char *canonical = NULL;

  if (*rest == '\0')
    {
      if (g_str_equal (method, SOUP_METHOD_GET))
        handle_list_cases (self, msg, query);
      else
        ow_platform_respond_method_not_allowed (msg, "GET");
      return;
    }

  parts = g_strsplit (rest + 1, "/", 3);
  if (parts[0] == NULL || *parts[0] == '\0' ||
      (parts[1] != NULL && (!g_str_equal (parts[1], "events") || parts[2] != NULL)))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
      return;
    }

  case_no = g_uri_unescape_string (parts[0], NULL);
  if (case_no == NULL || !g_utf8_validate (case_no, -1, NULL) || strlen (case_no) > 64)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                 _("There is no case with this number"));
      return;
    }
  /* A number read off a receipt may come with hyphens or blanks. */
  canonical = ow_case_number_normalize (case_no);

  if (parts[1] != NULL)
    {
      const char *number = canonical != NULL ? canonical : case_no;

      if (g_str_equal (method, SOUP_METHOD_POST))
        handle_post_event (self, msg, number);
      else if (g_str_equal (method, SOUP_METHOD_GET))
        handle_list_events (self, msg, number);
      else
        ow_platform_respond_method_not_allowed (msg, "GET, POST");
    }
  else if (g_str_equal (method, SOUP_METHOD_PUT))
    handle_put_case (self, msg, case_no);
  else if (g_str_equal (method, SOUP_METHOD_GET))
    handle_get_case (self, msg, canonical != NULL ? canonical : case_no);
  else
    ow_platform_respond_method_not_allowed (msg, "GET, PUT");
}
