/* ow-platform-tickets.c — the platform's routes for tickets (unfinished business) and ratings
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-ticket.h"
#include "net/ow-json.h"
#include "platform/ow-platform-access.h"

#define MAX_TEXT  2000
#define MAX_NAME  100
#define MAX_PHONE 32
/* Cases a resolution may name. */
#define MAX_LINKED_CASES 20

/* Helpers ---------------------------------------------------------------------------------- */

OwCalendar *
ow_platform_load_calendar (OwPlatformDb  *db,
                           const char    *hall,
                           int            year,
                           GError       **error)
{
  g_autoptr(OwCalendar) calendar = ow_calendar_new ();

  /* A time limit can run into the next year, and a late case come from the last one. */
  for (int y = year - 1; y <= year + 1; y++)
    {
      g_autoptr(GPtrArray) days = ow_platform_db_list_days (db, hall, y, error);
      gboolean published;

      if (days == NULL || !ow_platform_db_is_published (db, y, &published, error))
        return NULL;
      for (guint i = 0; i < days->len; i++)
        {
          const OwPlatformDay *day = g_ptr_array_index (days, i);
          GDate date;

          g_date_clear (&date, 1);
          g_date_set_parse (&date, day->date);
          if (!g_date_valid (&date))
            continue;
          ow_calendar_set_day (calendar, &date,
                               g_str_equal (day->kind, "off") ? OW_DAY_OFF : OW_DAY_WORK,
                               day->name, day->local);
        }
      if (published)
        ow_calendar_mark_published (calendar, y);
    }
  return g_steal_pointer (&calendar);
}

static void
format_date (const GDate *date,
             char         text[16])
{
  g_snprintf (text, 16, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

/* The local date in China of an RFC 3339 time. */
static gboolean
china_date_of (gint64  unix_seconds,
               GDate  *date)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (8 * 60 * 60);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL || (local = g_date_time_to_timezone (utc, zone)) == NULL)
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  return TRUE;
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_string_if_set (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value != NULL)
    add_string_or_null (builder, name, value);
}

/* Answers 422 naming @field with a message saying it is missing or wrong. */
static void
respond_invalid_member (OwPlatformRequest *msg,
                        const char        *field)
{
  g_autofree char *message = g_strdup_printf (_("“%s” is missing or not valid"), field);

  ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, message);
}

static void
respond_stored (OwPlatformRequest   *msg,
                OwPlatformPutResult  result,
                JsonNode            *node,
                const char          *what)
{
  g_autofree char *message = NULL;

  switch (result)
    {
    case OW_PLATFORM_PUT_CREATED:
      ow_platform_respond_json (msg, SOUP_STATUS_CREATED, node);
      break;
    case OW_PLATFORM_PUT_SAME:
      ow_platform_respond_json (msg, SOUP_STATUS_OK, node);
      break;
    case OW_PLATFORM_PUT_CONFLICT:
    default:
      message = g_strdup_printf (_("A different %s with this id was already stored"), what);
      ow_platform_respond_error (msg, SOUP_STATUS_CONFLICT, "id", message);
      break;
    }
}

static JsonNode *
parse_stored (const char *body)
{
  JsonNode *node = ow_json_parse (body, -1, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_pointer (&node, json_node_unref);
      node = json_node_init_object (json_node_alloc (), json_object_new ());
    }
  return node;
}

/* Tickets ---------------------------------------------------------------------------------- */

/* Members a ticket may leave out, added since contract v1's first tickets. */
static const char * const optional_members[] = { "channel", "item_id", "category" };

/* Where the applicant tried before: what the hall counts (online, at a counter, by phone). */
static const char * const channels[] = { "online", "hall", "phone", NULL };

/* Before any answer about tickets: nobody reads an overdue ticket that is not escalated yet. A
 * failure here is logged, not answered: the reading itself can still be served. */
static void
escalate_before_reading (OwPlatformServer *self)
{
  g_autoptr(GError) error = NULL;

  if (!ow_platform_escalate (self, &error))
    g_warning ("Could not escalate overdue tickets: %s", error->message);
}

static JsonNode *
ticket_node (const OwPlatformTicketRow *row)
{
  JsonNode *node = parse_stored (row->body);
  JsonObject *object = json_node_get_object (node);
  OwTicketState state = OW_TICKET_STATE_REGISTERED;
  GDate today, due;

  ow_platform_get_today (&today);
  g_date_clear (&due, 1);
  g_date_set_parse (&due, row->due_date);
  ow_ticket_state_from_string (row->state, &state);

  json_object_set_string_member (object, "state", row->state);
  if (row->assignee != NULL)
    json_object_set_string_member (object, "assignee", row->assignee);
  else
    json_object_set_null_member (object, "assignee");
  json_object_set_string_member (object, "due_date", row->due_date);
  json_object_set_boolean_member (object, "overdue", ow_ticket_is_overdue (state, &due, &today));
  if (row->escalated_at > 0)
    {
      g_autofree char *escalated_at = ow_platform_format_utc (row->escalated_at);

      json_object_set_string_member (object, "escalated_at", escalated_at);
    }
  else
    json_object_set_null_member (object, "escalated_at");
  /* Stored as sent, so that a body sent again compares equal; answered as its code, which an
   * older counter sent as its label in the clerk's language. */
  if (json_object_has_member (object, "category")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "category")))
    {
      g_autofree char *category = ow_ticket_category_normalize (
                                    json_object_get_string_member (object, "category"));

      json_object_set_string_member (object, "category", category);
    }
  /* Registered by an older client: the members it did not know are null, as for a new one. */
  for (guint i = 0; i < G_N_ELEMENTS (optional_members); i++)
    if (!json_object_has_member (object, optional_members[i]))
      json_object_set_null_member (object, optional_members[i]);
  return node;
}

static void
handle_put_ticket (OwPlatformServer  *self,
                   OwPlatformRequest *msg,
                   const char        *id)
{
  static const char *roles[] = { "clerk", "pickup", "supervisor", NULL };
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(OwPlatformTicketRow) row = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) normalized = NULL;
  g_autoptr(OwCalendar) calendar = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *case_body = NULL;
  g_autofree char *rating_body = NULL;
  const char *body_id, *registered_at, *tier_text, *summary, *contact_name, *contact_phone;
  const char *case_no, *rating_id, *channel, *item_id, *category;
  OwPlatformPutResult result;
  OwTicketTier tier;
  JsonObject *object;
  GDate registered, due;
  gint64 registered_seconds;
  char due_text[16];

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_any_role (msg, user, roles) ||
      (root = ow_platform_parse_request_json (msg)) == NULL)
    return;
  if (!ow_platform_check_id (msg, id, "id"))
    return;
  object = json_node_get_object (root);

  if (!ow_platform_read_string (object, "id", 64, &body_id) || g_strcmp0 (body_id, id) != 0)
    {
      respond_invalid_member (msg, "id");
      return;
    }
  if (!ow_platform_read_string (object, "registered_at", 40, &registered_at) ||
      !ow_platform_parse_time (registered_at, &registered_seconds) ||
      !china_date_of (registered_seconds, &registered))
    {
      respond_invalid_member (msg, "registered_at");
      return;
    }
  if (!ow_platform_check_not_future (msg, registered_seconds, "registered_at"))
    return;
  if (!ow_platform_read_string (object, "tier", 32, &tier_text) ||
      !ow_ticket_tier_from_string (tier_text, &tier))
    {
      respond_invalid_member (msg, "tier");
      return;
    }
  if (!ow_platform_read_string (object, "summary", MAX_TEXT, &summary) || summary == NULL ||
      *summary == '\0')
    {
      respond_invalid_member (msg, "summary");
      return;
    }
  if (!ow_platform_read_string (object, "contact_name", MAX_NAME, &contact_name))
    {
      respond_invalid_member (msg, "contact_name");
      return;
    }
  if (!ow_platform_read_string (object, "contact_phone", MAX_PHONE, &contact_phone))
    {
      respond_invalid_member (msg, "contact_phone");
      return;
    }
  if (!ow_platform_read_string (object, "case_no", 64, &case_no))
    {
      respond_invalid_member (msg, "case_no");
      return;
    }
  if (!ow_platform_read_string (object, "rating_id", 64, &rating_id))
    {
      respond_invalid_member (msg, "rating_id");
      return;
    }
  if (!ow_platform_read_string (object, "channel", 16, &channel) ||
      (channel != NULL && !g_strv_contains (channels, channel)))
    {
      respond_invalid_member (msg, "channel");
      return;
    }
  if (!ow_platform_read_string (object, "item_id", 24, &item_id))
    {
      respond_invalid_member (msg, "item_id");
      return;
    }
  if (!ow_platform_read_string (object, "category", MAX_NAME, &category))
    {
      respond_invalid_member (msg, "category");
      return;
    }

  /* What a ticket points at must be there. */
  if (case_no != NULL &&
      (case_body = ow_platform_db_get_case (ow_platform_server_db (self), case_no, NULL,
                                            &error)) == NULL)
    {
      if (error != NULL)
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      respond_invalid_member (msg, "case_no");
      return;
    }
  if (rating_id != NULL &&
      (rating_body = ow_platform_db_get_rating (ow_platform_server_db (self), rating_id,
                                                &error)) == NULL)
    {
      if (error != NULL)
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      respond_invalid_member (msg, "rating_id");
      return;
    }

  calendar = ow_platform_load_calendar (ow_platform_server_db (self), user->hall,
                                        g_date_get_year (&registered),
                                        &error);
  if (calendar == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  ow_ticket_compute_due_date (calendar, &registered, tier, &due, NULL);
  format_date (&due, due_text);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", id);
  add_string_or_null (builder, "registered_at", registered_at);
  add_string_or_null (builder, "hall", user->hall);
  add_string_or_null (builder, "tier", tier_text);
  add_string_or_null (builder, "summary", summary);
  add_string_or_null (builder, "contact_name", contact_name);
  add_string_or_null (builder, "contact_phone", contact_phone);
  add_string_or_null (builder, "case_no", case_no);
  add_string_or_null (builder, "rating_id", rating_id);
  /* Stored only when given, so that a ticket registered before these members existed, sent
   * again by an outbox after the upgrade, still compares equal (200, not 409). The answer shows
   * them as null (ticket_node). */
  add_string_if_set (builder, "channel", channel);
  add_string_if_set (builder, "item_id", item_id);
  add_string_if_set (builder, "category", category);
  json_builder_end_object (builder);
  normalized = json_builder_get_root (builder);
  body = ow_json_to_canonical (normalized);

  if (!ow_platform_db_put_ticket (ow_platform_server_db (self), id, body, due_text, user->username,
                                  &result, &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  if (result == OW_PLATFORM_PUT_CREATED)
    ow_platform_server_changed (self);
  if (result == OW_PLATFORM_PUT_CONFLICT)
    {
      respond_stored (msg, result, NULL, _("ticket"));
      return;
    }

  if ((row = ow_platform_db_get_ticket (ow_platform_server_db (self), id, &error)) == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  {
    g_autoptr(JsonNode) node = ticket_node (row);

    respond_stored (msg, result, node, _("ticket"));
  }
}

static void
handle_get_ticket (OwPlatformServer  *self,
                   OwPlatformRequest *msg,
                   const char        *id)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(OwPlatformTicketRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;
  if (!ow_platform_check_id (msg, id, "id"))
    return;
  escalate_before_reading (self);
  if ((row = ow_platform_db_get_ticket (ow_platform_server_db (self), id, &error)) == NULL)
    {
      if (error != NULL)
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                 _("There is no ticket with this id"));
      return;
    }
  if (!ow_platform_require_ticket_visible (self, msg, user, row))
    return;
  node = ticket_node (row);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_list_tickets (OwPlatformServer  *self,
                     OwPlatformRequest *msg,
                     GHashTable        *query)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  const char *state, *assignee, *overdue;
  gboolean bad = FALSE;
  OwTicketState ticket_state;
  char today_text[16];
  GDate today;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;
  state = ow_platform_query_string (msg, query, "state", &bad);
  if (!bad)
    assignee = ow_platform_query_string (msg, query, "assignee", &bad);
  if (!bad)
    overdue = ow_platform_query_string (msg, query, "overdue", &bad);
  if (bad)
    return;
  if (state != NULL && !ow_ticket_state_from_string (state, &ticket_state))
    {
      respond_invalid_member (msg, "state");
      return;
    }
  if (overdue != NULL && !g_str_equal (overdue, "true") && !g_str_equal (overdue, "false"))
    {
      respond_invalid_member (msg, "overdue");
      return;
    }

  escalate_before_reading (self);
  ow_platform_get_today (&today);
  format_date (&today, today_text);
  rows = ow_platform_db_list_tickets (ow_platform_server_db (self), state, assignee,
                                      g_strcmp0 (overdue, "true") == 0 ? today_text : NULL,
                                      &error);
  if (rows == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tickets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const OwPlatformTicketRow *row = g_ptr_array_index (rows, i);
      JsonNode *node;
      gboolean visible;

      if (!ow_platform_may_see_ticket (ow_platform_server_db (self), user, row, &visible, NULL,
                                       &error))
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      if (!visible)
        continue;
      node = ticket_node (row);

      /* overdue=false: the ones that are not, computed as the answer says. */
      if (g_strcmp0 (overdue, "false") == 0 &&
          json_object_get_boolean_member (json_node_get_object (node), "overdue"))
        {
          json_node_unref (node);
          continue;
        }
      json_builder_add_value (builder, node);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  response = json_builder_get_root (builder);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
}

static void
handle_post_ticket_event (OwPlatformServer  *self,
                          OwPlatformRequest *msg,
                          const char        *ticket_id)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(OwPlatformUser) assignee_user = NULL;
  g_autoptr(OwPlatformTicketRow) row = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) normalized = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *reason = NULL;
  const char *id, *kind_text, *at, *note, *assignee, *satisfaction;
  g_autoptr(GPtrArray) case_nos = NULL;
  g_autofree char *field = NULL;
  OwTicketEvent checked = { 0, };
  OwPlatformPutResult result;
  OwTicketEventKind kind;
  JsonObject *object;
  gint64 at_seconds;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      (root = ow_platform_parse_request_json (msg)) == NULL)
    return;
  if (!ow_platform_check_id (msg, ticket_id, "id"))
    return;
  object = json_node_get_object (root);

  if (!ow_platform_read_string (object, "id", 64, &id) || id == NULL)
    {
      respond_invalid_member (msg, "id");
      return;
    }
  if (!ow_platform_check_id (msg, id, "id"))
    return;
  if (!ow_platform_read_string (object, "kind", 32, &kind_text) ||
      !ow_ticket_event_kind_from_string (kind_text, &kind))
    {
      respond_invalid_member (msg, "kind");
      return;
    }
  if (!ow_platform_read_string (object, "at", 40, &at) || !ow_platform_parse_time (at, &at_seconds))
    {
      respond_invalid_member (msg, "at");
      return;
    }
  if (!ow_platform_check_not_future (msg, at_seconds, "at"))
    return;
  if (!ow_platform_read_string (object, "note", MAX_TEXT, &note))
    {
      respond_invalid_member (msg, "note");
      return;
    }
  if (!ow_platform_read_string (object, "assignee", 64, &assignee) ||
      (kind == OW_TICKET_EVENT_ASSIGNED) != (assignee != NULL))
    {
      respond_invalid_member (msg, "assignee");
      return;
    }
  if (json_object_has_member (object, "reached") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "reached")))
    {
      JsonNode *node = json_object_get_member (object, "reached");

      if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          respond_invalid_member (msg, "reached");
          return;
        }
      checked.reached = json_node_get_boolean (node);
    }
  if (!ow_platform_read_string (object, "satisfaction", 32, &satisfaction) ||
      (satisfaction != NULL &&
       !ow_ticket_satisfaction_from_string (satisfaction, &checked.satisfaction)))
    {
      respond_invalid_member (msg, "satisfaction");
      return;
    }
  if (json_object_has_member (object, "case_nos") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "case_nos")))
    {
      JsonNode *node = json_object_get_member (object, "case_nos");
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      if (array == NULL || json_array_get_length (array) > MAX_LINKED_CASES)
        {
          respond_invalid_member (msg, "case_nos");
          return;
        }
      case_nos = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *element_field = g_strdup_printf ("case_nos[%u]", i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING ||
              !g_utf8_validate (json_node_get_string (element), -1, NULL) ||
              strlen (json_node_get_string (element)) > 64)
            {
              respond_invalid_member (msg, element_field);
              return;
            }
          g_ptr_array_add (case_nos, g_strdup (json_node_get_string (element)));
        }
      g_ptr_array_add (case_nos, NULL);
    }
  /* The rules of reached, satisfaction, notes and linked cases are core's, as the counter
   * checks them. */
  checked.kind = kind;
  checked.assignee = (char *) assignee;
  checked.note = (char *) note;
  checked.case_nos = case_nos != NULL ? (char **) case_nos->pdata : NULL;
  if (!ow_ticket_event_validate (&checked, &field, &error))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, error->message);
      return;
    }
  /* A resolution points only at cases the platform holds. */
  for (guint i = 0; case_nos != NULL && case_nos->pdata[i] != NULL; i++)
    {
      g_autofree char *case_body = ow_platform_db_get_case (ow_platform_server_db (self),
                                                            case_nos->pdata[i], NULL,
                                                            &error);

      if (case_body == NULL && error != NULL)
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      if (case_body == NULL)
        {
          g_autofree char *element_field = g_strdup_printf ("case_nos[%u]", i);

          ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, element_field,
                                     _("There is no case with this number"));
          return;
        }
    }

  if ((row = ow_platform_db_get_ticket (ow_platform_server_db (self), ticket_id, &error)) == NULL)
    {
      if (error != NULL)
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                 _("There is no ticket with this id"));
      return;
    }

  if (!ow_platform_require_ticket_visible (self, msg, user, row))
    return;

  /* The supervisor runs the window; whoever it is assigned to works on it. */
  if (kind == OW_TICKET_EVENT_STARTED || kind == OW_TICKET_EVENT_RESOLVED ||
      kind == OW_TICKET_EVENT_EXPLAINED || kind == OW_TICKET_EVENT_NOTED)
    {
      if (!ow_platform_require_ticket_worker (self, msg, user, row))
        return;
    }
  else if (!ow_platform_require_role (msg, user, "supervisor"))
    return;

  if (assignee != NULL)
    {
      if ((assignee_user = ow_platform_db_lookup_user (ow_platform_server_db (self), assignee,
                                                       &error)) == NULL)
        {
          if (error != NULL)
            {
              ow_platform_respond_internal (msg, error);
              return;
            }
          respond_invalid_member (msg, "assignee");
          return;
        }
    }

  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", id);
  add_string_or_null (builder, "kind", kind_text);
  add_string_or_null (builder, "at", at);
  add_string_or_null (builder, "note", note);
  add_string_or_null (builder, "assignee", assignee);
  /* The members added since the first tickets are stored only when they say something, so that
   * an event recorded before they existed, sent again after the upgrade, still compares equal:
   * no linked cases, not reached and no satisfaction read as absent. */
  if (case_nos != NULL && case_nos->pdata[0] != NULL)
    {
      json_builder_set_member_name (builder, "case_nos");
      json_builder_begin_array (builder);
      for (guint i = 0; case_nos->pdata[i] != NULL; i++)
        json_builder_add_string_value (builder, case_nos->pdata[i]);
      json_builder_end_array (builder);
    }
  if (checked.reached)
    {
      json_builder_set_member_name (builder, "reached");
      json_builder_add_boolean_value (builder, TRUE);
    }
  add_string_if_set (builder, "satisfaction", satisfaction);
  json_builder_end_object (builder);
  normalized = json_builder_get_root (builder);
  body = ow_json_to_canonical (normalized);

  if (!ow_platform_db_add_ticket_event (ow_platform_server_db (self), ticket_id, id, kind_text,
                                        body, assignee,
                                        user->username, &result, &reason, &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }
  if (result == OW_PLATFORM_PUT_CREATED)
    ow_platform_server_changed (self);
  if (result == OW_PLATFORM_PUT_ILLEGAL)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "kind", reason);
      return;
    }
  if (result == OW_PLATFORM_PUT_NOT_FOUND)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                 _("There is no ticket with this id"));
      return;
    }
  respond_stored (msg, result, normalized, _("ticket event"));
}

static void
handle_list_ticket_events (OwPlatformServer  *self,
                           OwPlatformRequest *msg,
                           const char        *ticket_id)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(OwPlatformTicketRow) row = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;
  if (!ow_platform_check_id (msg, ticket_id, "id"))
    return;
  escalate_before_reading (self);
  if ((row = ow_platform_db_get_ticket (ow_platform_server_db (self), ticket_id, &error)) == NULL)
    {
      if (error != NULL)
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                 _("There is no ticket with this id"));
      return;
    }
  if (!ow_platform_require_ticket_visible (self, msg, user, row))
    return;
  if ((bodies = ow_platform_db_list_ticket_events (ow_platform_server_db (self), ticket_id,
                                                   &error)) == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < bodies->len; i++)
    json_builder_add_value (builder, parse_stored (g_ptr_array_index (bodies, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  response = json_builder_get_root (builder);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, response);
}

/* Splits "/ID" or "/ID/events"; answers 404 itself and returns FALSE otherwise. The handlers
 * check the id once they know who asks. */
static gboolean
split_id_path (OwPlatformRequest  *msg,
               const char         *rest,
               char              **id,
               gboolean           *events)
{
  g_auto(GStrv) parts = g_strsplit (rest + 1, "/", 3);

  if (parts[0] == NULL || *parts[0] == '\0' ||
      (parts[1] != NULL && (!g_str_equal (parts[1], "events") || parts[2] != NULL)))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
      return FALSE;
    }
  *id = g_uri_unescape_string (parts[0], NULL);
  if (*id == NULL)
    *id = g_strdup ("");
  *events = parts[1] != NULL;
  return TRUE;
}

void
ow_platform_route_tickets (OwPlatformServer  *self,
                           OwPlatformRequest *msg,
                           const char        *method,
                           const char        *rest,
                           GHashTable        *query)
{
  g_autofree char *id = NULL;
  gboolean events;

  if (*rest == '\0')
    {
      if (g_str_equal (method, SOUP_METHOD_GET))
        handle_list_tickets (self, msg, query);
      else
        ow_platform_respond_method_not_allowed (msg, "GET");
      return;
    }
  if (!split_id_path (msg, rest, &id, &events))
    return;

  if (events && g_str_equal (method, SOUP_METHOD_POST))
    handle_post_ticket_event (self, msg, id);
  else if (events && g_str_equal (method, SOUP_METHOD_GET))
    handle_list_ticket_events (self, msg, id);
  else if (events)
    ow_platform_respond_method_not_allowed (msg, "GET, POST");
  else if (g_str_equal (method, SOUP_METHOD_PUT))
    handle_put_ticket (self, msg, id);
  else if (g_str_equal (method, SOUP_METHOD_GET))
    handle_get_ticket (self, msg, id);
  else
    ow_platform_respond_method_not_allowed (msg, "GET, PUT");
}

/* Ratings ---------------------------------------------------------------------------------- */

static void
handle_put_rating (OwPlatformServer  *self,
                   OwPlatformRequest *msg,
                   const char        *id)
{
  static const char *roles[] = { "clerk", "pickup", "supervisor", NULL };
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) normalized = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *body_id, *case_no, *channel, *text, *at;
  OwPlatformPutResult result;
  JsonObject *object;
  JsonNode *level_node;
  gint64 level = 0, at_seconds;

  if ((user = ow_platform_authenticate (self, msg)) == NULL ||
      !ow_platform_require_any_role (msg, user, roles) ||
      (root = ow_platform_parse_request_json (msg)) == NULL)
    return;
  if (!ow_platform_check_id (msg, id, "id"))
    return;
  object = json_node_get_object (root);

  if (!ow_platform_read_string (object, "id", 64, &body_id) || g_strcmp0 (body_id, id) != 0)
    {
      respond_invalid_member (msg, "id");
      return;
    }
  if (!ow_platform_read_string (object, "case_no", 64, &case_no) || case_no == NULL)
    {
      respond_invalid_member (msg, "case_no");
      return;
    }
  if (!ow_platform_read_string (object, "channel", 16, &channel) || channel == NULL ||
      (!g_str_equal (channel, "on-site") && !g_str_equal (channel, "online")))
    {
      respond_invalid_member (msg, "channel");
      return;
    }
  level_node = json_object_has_member (object, "level") ? json_object_get_member (object, "level")
                                                        : NULL;
  if (level_node == NULL || json_node_get_value_type (level_node) != G_TYPE_INT64 ||
      (level = json_node_get_int (level_node)) < 1 || level > 5)
    {
      respond_invalid_member (msg, "level");
      return;
    }
  if (!ow_platform_read_string (object, "text", MAX_TEXT, &text))
    {
      respond_invalid_member (msg, "text");
      return;
    }
  if (!ow_platform_read_string (object, "at", 40, &at) || !ow_platform_parse_time (at, &at_seconds))
    {
      respond_invalid_member (msg, "at");
      return;
    }
  if (!ow_platform_check_not_future (msg, at_seconds, "at"))
    return;

  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", id);
  add_string_or_null (builder, "case_no", case_no);
  add_string_or_null (builder, "channel", channel);
  json_builder_set_member_name (builder, "level");
  json_builder_add_int_value (builder, level);
  add_string_or_null (builder, "text", text);
  add_string_or_null (builder, "at", at);
  json_builder_end_object (builder);
  normalized = json_builder_get_root (builder);
  body = ow_json_to_canonical (normalized);

  if (!ow_platform_db_put_rating (ow_platform_server_db (self), id, case_no, channel, (int) level,
                                  body,
                                  user->username, &result, &error))
    {
      ow_platform_respond_internal (msg, error);
      return;
    }

  switch (result)
    {
    case OW_PLATFORM_PUT_NOT_FOUND:
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "case_no",
                                 _("There is no case with this number"));
      break;
    case OW_PLATFORM_PUT_DUPLICATE:
      ow_platform_respond_error (msg, SOUP_STATUS_CONFLICT, "case_no",
                                 _("This case was already rated at the counter"));
      break;
    case OW_PLATFORM_PUT_CREATED:
      ow_platform_server_changed (self);
      respond_stored (msg, result, normalized, _("rating"));
      break;
    default:
      respond_stored (msg, result, normalized, _("rating"));
      break;
    }
}

static void
handle_get_rating (OwPlatformServer  *self,
                   OwPlatformRequest *msg,
                   const char        *id)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;

  if ((user = ow_platform_authenticate (self, msg)) == NULL)
    return;
  if (!ow_platform_check_id (msg, id, "id"))
    return;
  if ((body = ow_platform_db_get_rating (ow_platform_server_db (self), id, &error)) == NULL)
    {
      if (error != NULL)
        {
          ow_platform_respond_internal (msg, error);
          return;
        }
      ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL,
                                 _("There is no rating with this id"));
      return;
    }
  if (!ow_platform_require_rating_visible (self, msg, user, body))
    return;
  node = parse_stored (body);
  ow_platform_respond_json (msg, SOUP_STATUS_OK, node);
}

void
ow_platform_route_ratings (OwPlatformServer  *self,
                           OwPlatformRequest *msg,
                           const char        *method,
                           const char        *rest,
                           GHashTable        *query)
{
  g_autofree char *id = NULL;
  gboolean events;

  if (*rest == '\0')
    {
      /* The list is the overview's (ow-platform-statistics.c). */
      if (g_str_equal (method, SOUP_METHOD_GET))
        ow_platform_list_ratings (self, msg, query);
      else
        ow_platform_respond_method_not_allowed (msg, "GET");
      return;
    }
  if (!split_id_path (msg, rest, &id, &events))
    return;
  if (events)
    ow_platform_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, _("There is no such resource"));
  else if (g_str_equal (method, SOUP_METHOD_PUT))
    handle_put_rating (self, msg, id);
  else if (g_str_equal (method, SOUP_METHOD_GET))
    handle_get_rating (self, msg, id);
  else
    ow_platform_respond_method_not_allowed (msg, "GET, PUT");
}
