/* ow-ticket.c — a ticket of unfinished business: its state machine, tiers and due date
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ow-error.h"
#include "ow-ticket.h"

/* The one ticket state machine; anything not listed is an illegal step. */
static const struct
{
  OwTicketState     from;
  OwTicketEventKind event;
  OwTicketState     to;
} transitions[] = {
  { OW_TICKET_STATE_REGISTERED, OW_TICKET_EVENT_ASSIGNED, OW_TICKET_STATE_ASSIGNED },
  /* Handed to someone else: the clock keeps running. */
  { OW_TICKET_STATE_ASSIGNED, OW_TICKET_EVENT_ASSIGNED, OW_TICKET_STATE_ASSIGNED },
  { OW_TICKET_STATE_IN_PROGRESS, OW_TICKET_EVENT_ASSIGNED, OW_TICKET_STATE_ASSIGNED },
  { OW_TICKET_STATE_ASSIGNED, OW_TICKET_EVENT_STARTED, OW_TICKET_STATE_IN_PROGRESS },
  { OW_TICKET_STATE_IN_PROGRESS, OW_TICKET_EVENT_RESOLVED, OW_TICKET_STATE_RESOLVED },
  { OW_TICKET_STATE_IN_PROGRESS, OW_TICKET_EVENT_EXPLAINED, OW_TICKET_STATE_EXPLAINED },
  { OW_TICKET_STATE_RESOLVED, OW_TICKET_EVENT_CALLED_BACK, OW_TICKET_STATE_CALLED_BACK },
  { OW_TICKET_STATE_EXPLAINED, OW_TICKET_EVENT_CALLED_BACK, OW_TICKET_STATE_CALLED_BACK },
  { OW_TICKET_STATE_CALLED_BACK, OW_TICKET_EVENT_ARCHIVED, OW_TICKET_STATE_ARCHIVED },
  /* Progress notes keep the state; an archived ticket is closed to them too. */
  { OW_TICKET_STATE_REGISTERED, OW_TICKET_EVENT_NOTED, OW_TICKET_STATE_REGISTERED },
  { OW_TICKET_STATE_ASSIGNED, OW_TICKET_EVENT_NOTED, OW_TICKET_STATE_ASSIGNED },
  { OW_TICKET_STATE_IN_PROGRESS, OW_TICKET_EVENT_NOTED, OW_TICKET_STATE_IN_PROGRESS },
  { OW_TICKET_STATE_RESOLVED, OW_TICKET_EVENT_NOTED, OW_TICKET_STATE_RESOLVED },
  { OW_TICKET_STATE_EXPLAINED, OW_TICKET_EVENT_NOTED, OW_TICKET_STATE_EXPLAINED },
  { OW_TICKET_STATE_CALLED_BACK, OW_TICKET_EVENT_NOTED, OW_TICKET_STATE_CALLED_BACK },
};

/* Indexed by the enums' values. */
static const char * const state_names[] = {
  [OW_TICKET_STATE_REGISTERED] = "registered",
  [OW_TICKET_STATE_ASSIGNED] = "assigned",
  [OW_TICKET_STATE_IN_PROGRESS] = "in-progress",
  [OW_TICKET_STATE_RESOLVED] = "resolved",
  [OW_TICKET_STATE_EXPLAINED] = "explained",
  [OW_TICKET_STATE_CALLED_BACK] = "called-back",
  [OW_TICKET_STATE_ARCHIVED] = "archived",
};

static const char * const event_names[] = {
  [OW_TICKET_EVENT_ASSIGNED] = "assigned",
  [OW_TICKET_EVENT_STARTED] = "started",
  [OW_TICKET_EVENT_RESOLVED] = "resolved",
  [OW_TICKET_EVENT_EXPLAINED] = "explained",
  [OW_TICKET_EVENT_CALLED_BACK] = "called-back",
  [OW_TICKET_EVENT_ARCHIVED] = "archived",
  [OW_TICKET_EVENT_NOTED] = "noted",
};

static const char * const tier_names[] = {
  [OW_TICKET_TIER_ON_THE_SPOT] = "on-the-spot",
  [OW_TICKET_TIER_5_DAYS] = "5-working-days",
  [OW_TICKET_TIER_10_DAYS] = "10-working-days",
};

static const char * const category_names[] = {
  NULL, "materials-unclear", "system-fault", "policy-gap", "several-departments",
  "repeated-visits", "other",
};

/* What counters stored before categories were codes: the labels of their drop-down, in the
 * language of the clerk who registered the ticket. */
static const char * const category_texts[][2] = {
  { NULL, NULL },
  { "Materials or conditions unclear", "材料或条件不明确" },
  { "System or network fault", "系统或网络故障" },
  { "Policy or regulation gap", "政策或规定存在空白" },
  { "Several departments involved", "涉及多个部门" },
  { "Came repeatedly without a result", "多次跑动仍未办成" },
  { "Other", "其他" },
};

static const char *
name_of (const char * const *names,
         guint               n_names,
         int                 value)
{
  if (value < 1 || (guint) value >= n_names)
    return NULL;
  return names[value];
}

static gboolean
value_of (const char * const *names,
          guint               n_names,
          const char         *text,
          int                *value)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 1; i < n_names; i++)
    if (g_str_equal (names[i], text))
      {
        *value = (int) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ow_ticket_state_to_string (OwTicketState state)
{
  return name_of (state_names, G_N_ELEMENTS (state_names), (int) state);
}

gboolean
ow_ticket_state_from_string (const char    *text,
                             OwTicketState *state)
{
  int value;

  if (!value_of (state_names, G_N_ELEMENTS (state_names), text, &value))
    return FALSE;
  *state = (OwTicketState) value;
  return TRUE;
}

const char *
ow_ticket_event_kind_to_string (OwTicketEventKind kind)
{
  return name_of (event_names, G_N_ELEMENTS (event_names), (int) kind);
}

gboolean
ow_ticket_event_kind_from_string (const char        *text,
                                  OwTicketEventKind *kind)
{
  int value;

  if (!value_of (event_names, G_N_ELEMENTS (event_names), text, &value))
    return FALSE;
  *kind = (OwTicketEventKind) value;
  return TRUE;
}

const char *
ow_ticket_tier_to_string (OwTicketTier tier)
{
  return name_of (tier_names, G_N_ELEMENTS (tier_names), (int) tier);
}

gboolean
ow_ticket_tier_from_string (const char   *text,
                            OwTicketTier *tier)
{
  int value;

  if (!value_of (tier_names, G_N_ELEMENTS (tier_names), text, &value))
    return FALSE;
  *tier = (OwTicketTier) value;
  return TRUE;
}

const char *
ow_ticket_category_to_string (OwTicketCategory category)
{
  return name_of (category_names, G_N_ELEMENTS (category_names), (int) category);
}

gboolean
ow_ticket_category_from_string (const char       *text,
                                OwTicketCategory *category)
{
  int value;

  if (text == NULL)
    return FALSE;
  if (value_of (category_names, G_N_ELEMENTS (category_names), text, &value))
    {
      *category = (OwTicketCategory) value;
      return TRUE;
    }
  for (guint i = 1; i < G_N_ELEMENTS (category_texts); i++)
    if (g_str_equal (text, category_texts[i][0]) || g_str_equal (text, category_texts[i][1]))
      {
        *category = (OwTicketCategory) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ow_ticket_category_get_label (OwTicketCategory category)
{
  switch (category)
    {
    case OW_TICKET_CATEGORY_MATERIALS_UNCLEAR:
      return _("Materials or conditions unclear");
    case OW_TICKET_CATEGORY_SYSTEM_FAULT:
      return _("System or network fault");
    case OW_TICKET_CATEGORY_POLICY_GAP:
      return _("Policy or regulation gap");
    case OW_TICKET_CATEGORY_SEVERAL_DEPARTMENTS:
      return _("Several departments involved");
    case OW_TICKET_CATEGORY_REPEATED_VISITS:
      return _("Came repeatedly without a result");
    case OW_TICKET_CATEGORY_OTHER:
      return _("Other");
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
ow_ticket_category_normalize (const char *stored)
{
  OwTicketCategory category;

  if (stored == NULL)
    return NULL;
  if (ow_ticket_category_from_string (stored, &category))
    return g_strdup (ow_ticket_category_to_string (category));
  return g_strdup (stored);
}

gboolean
ow_ticket_state_is_open (OwTicketState state)
{
  return state == OW_TICKET_STATE_REGISTERED || state == OW_TICKET_STATE_ASSIGNED ||
         state == OW_TICKET_STATE_IN_PROGRESS;
}

gboolean
ow_ticket_state_apply (OwTicketState      state,
                       OwTicketEventKind  kind,
                       OwTicketState     *next,
                       GError           **error)
{
  const char *state_name = ow_ticket_state_to_string (state);
  const char *event_name = ow_ticket_event_kind_to_string (kind);

  g_return_val_if_fail (next != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (transitions); i++)
    if (transitions[i].from == state && transitions[i].event == kind)
      {
        *next = transitions[i].to;
        return TRUE;
      }

  g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION,
               _("A ticket that is “%s” cannot be “%s”"),
               state_name != NULL ? state_name : "?", event_name != NULL ? event_name : "?");
  return FALSE;
}

guint
ow_ticket_tier_working_days (OwTicketTier tier)
{
  switch (tier)
    {
    case OW_TICKET_TIER_5_DAYS:
      return 5;
    case OW_TICKET_TIER_10_DAYS:
      return 10;
    case OW_TICKET_TIER_ON_THE_SPOT:
    default:
      return 0;
    }
}

void
ow_ticket_compute_due_date (OwCalendar  *calendar,
                            const GDate *registered,
                            OwTicketTier tier,
                            GDate       *due,
                            gboolean    *provisional)
{
  g_return_if_fail (OW_IS_CALENDAR (calendar));
  g_return_if_fail (registered != NULL && g_date_valid (registered));
  g_return_if_fail (due != NULL);

  /* The day of registration is not counted, as for a case's time limit. */
  ow_calendar_add_working_days (calendar, registered, ow_ticket_tier_working_days (tier), due,
                                provisional);
}

gboolean
ow_ticket_is_overdue (OwTicketState  state,
                      const GDate   *due,
                      const GDate   *today)
{
  g_return_val_if_fail (due != NULL && today != NULL, FALSE);

  return ow_ticket_state_is_open (state) && g_date_valid (due) && g_date_valid (today) &&
         g_date_compare (today, due) > 0;
}

/* Satisfaction ----------------------------------------------------------------------------- */

static const char * const satisfaction_names[] = {
  [OW_TICKET_SATISFACTION_VERY_SATISFIED] = "very-satisfied",
  [OW_TICKET_SATISFACTION_SATISFIED] = "satisfied",
  [OW_TICKET_SATISFACTION_BASICALLY] = "basically-satisfied",
  [OW_TICKET_SATISFACTION_DISSATISFIED] = "dissatisfied",
  [OW_TICKET_SATISFACTION_VERY_DISSATISFIED] = "very-dissatisfied",
};

const char *
ow_ticket_satisfaction_to_string (OwTicketSatisfaction satisfaction)
{
  return name_of (satisfaction_names, G_N_ELEMENTS (satisfaction_names), (int) satisfaction);
}

gboolean
ow_ticket_satisfaction_from_string (const char           *text,
                                    OwTicketSatisfaction *satisfaction)
{
  int value;

  if (!value_of (satisfaction_names, G_N_ELEMENTS (satisfaction_names), text, &value))
    return FALSE;
  *satisfaction = (OwTicketSatisfaction) value;
  return TRUE;
}

/* Records ---------------------------------------------------------------------------------- */

OwTicket *
ow_ticket_new (const char   *id,
               GDateTime    *registered_at,
               OwTicketTier  tier,
               const char   *summary)
{
  OwTicket *ticket;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (registered_at != NULL, NULL);

  ticket = g_new0 (OwTicket, 1);
  ticket->id = g_strdup (id);
  ticket->registered_at = g_date_time_ref (registered_at);
  ticket->tier = tier;
  ticket->summary = g_strdup (summary);
  ticket->state = OW_TICKET_STATE_REGISTERED;
  g_date_clear (&ticket->due_date, 1);
  return ticket;
}

static GDateTime *
ref_or_null (GDateTime *time)
{
  return time != NULL ? g_date_time_ref (time) : NULL;
}

OwTicket *
ow_ticket_copy (const OwTicket *ticket)
{
  OwTicket *copy;

  g_return_val_if_fail (ticket != NULL, NULL);

  copy = g_new0 (OwTicket, 1);
  copy->id = g_strdup (ticket->id);
  copy->registered_at = ref_or_null (ticket->registered_at);
  copy->tier = ticket->tier;
  copy->summary = g_strdup (ticket->summary);
  copy->contact_name = g_strdup (ticket->contact_name);
  copy->contact_phone = g_strdup (ticket->contact_phone);
  copy->case_no = g_strdup (ticket->case_no);
  copy->rating_id = g_strdup (ticket->rating_id);
  copy->channel = g_strdup (ticket->channel);
  copy->item_id = g_strdup (ticket->item_id);
  copy->category = g_strdup (ticket->category);
  copy->hall = g_strdup (ticket->hall);
  copy->state = ticket->state;
  copy->assignee = g_strdup (ticket->assignee);
  copy->due_date = ticket->due_date;
  copy->overdue = ticket->overdue;
  copy->escalated_at = ref_or_null (ticket->escalated_at);
  return copy;
}

void
ow_ticket_free (OwTicket *ticket)
{
  if (ticket == NULL)
    return;
  g_free (ticket->id);
  g_clear_pointer (&ticket->registered_at, g_date_time_unref);
  g_free (ticket->summary);
  g_free (ticket->contact_name);
  g_free (ticket->contact_phone);
  g_free (ticket->case_no);
  g_free (ticket->rating_id);
  g_free (ticket->channel);
  g_free (ticket->item_id);
  g_free (ticket->category);
  g_free (ticket->hall);
  g_free (ticket->assignee);
  g_clear_pointer (&ticket->escalated_at, g_date_time_unref);
  g_free (ticket);
}

OwTicketEvent *
ow_ticket_event_new (const char        *id,
                     OwTicketEventKind  kind,
                     GDateTime         *at)
{
  OwTicketEvent *event;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (at != NULL, NULL);

  event = g_new0 (OwTicketEvent, 1);
  event->id = g_strdup (id);
  event->kind = kind;
  event->at = g_date_time_ref (at);
  return event;
}

OwTicketEvent *
ow_ticket_event_copy (const OwTicketEvent *event)
{
  OwTicketEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = g_new0 (OwTicketEvent, 1);
  copy->id = g_strdup (event->id);
  copy->kind = event->kind;
  copy->at = ref_or_null (event->at);
  copy->note = g_strdup (event->note);
  copy->assignee = g_strdup (event->assignee);
  copy->reached = event->reached;
  copy->satisfaction = event->satisfaction;
  copy->case_nos = g_strdupv (event->case_nos);
  return copy;
}

void
ow_ticket_event_free (OwTicketEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_clear_pointer (&event->at, g_date_time_unref);
  g_free (event->note);
  g_free (event->assignee);
  g_strfreev (event->case_nos);
  g_free (event);
}

static gboolean
invalid (char       **field,
         GError     **error,
         const char  *member,
         const char  *message)
{
  if (field != NULL)
    *field = g_strdup (member);
  g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID, "%s", message);
  return FALSE;
}

gboolean
ow_ticket_event_validate (const OwTicketEvent  *event,
                          char                **field,
                          GError              **error)
{
  gboolean assigned, called_back;

  g_return_val_if_fail (event != NULL, FALSE);

  if (ow_ticket_event_kind_to_string (event->kind) == NULL)
    return invalid (field, error, "kind", _("This is not a step a ticket can take"));
  assigned = event->kind == OW_TICKET_EVENT_ASSIGNED;
  called_back = event->kind == OW_TICKET_EVENT_CALLED_BACK;
  if (assigned != (event->assignee != NULL && *event->assignee != '\0'))
    return invalid (field, error, "assignee",
                    assigned ? _("Say to whom the ticket is assigned")
                             : _("Only an assignment names an assignee"));
  if (!called_back && (event->reached || event->satisfaction != OW_TICKET_SATISFACTION_NONE))
    return invalid (field, error, "reached",
                    _("Only a call-back says whether the applicant was reached"));
  if (called_back && event->reached &&
      ow_ticket_satisfaction_to_string (event->satisfaction) == NULL)
    return invalid (field, error, "satisfaction",
                    _("Record how satisfied the applicant is, on the five levels"));
  if (event->kind != OW_TICKET_EVENT_RESOLVED && event->case_nos != NULL &&
      event->case_nos[0] != NULL)
    return invalid (field, error, "case_nos", _("Only a resolution names the cases it took"));
  if (event->kind == OW_TICKET_EVENT_NOTED && (event->note == NULL || *event->note == '\0'))
    return invalid (field, error, "note", _("Write the progress note"));
  if (called_back && !event->reached && event->satisfaction != OW_TICKET_SATISFACTION_NONE)
    return invalid (field, error, "satisfaction",
                    _("An applicant who was not reached cannot have said how satisfied they "
                      "are"));
  return TRUE;
}

gboolean
ow_ticket_apply_event (OwTicket             *ticket,
                       const OwTicketEvent  *event,
                       GError              **error)
{
  OwTicketState next;

  g_return_val_if_fail (ticket != NULL && event != NULL, FALSE);

  if (!ow_ticket_state_apply (ticket->state, event->kind, &next, error))
    return FALSE;
  ticket->state = next;
  if (event->kind == OW_TICKET_EVENT_ASSIGNED)
    {
      g_free (ticket->assignee);
      ticket->assignee = g_strdup (event->assignee);
    }
  ticket->overdue = ticket->overdue && ow_ticket_state_is_open (next);
  return TRUE;
}

/* Serialization ---------------------------------------------------------------------------- */

static void
dict_insert_string (GVariantDict *dict,
                    const char   *key,
                    const char   *value)
{
  if (value != NULL)
    g_variant_dict_insert (dict, key, "s", value);
}

static void
dict_insert_time (GVariantDict *dict,
                  const char   *key,
                  GDateTime    *time)
{
  if (time != NULL)
    g_variant_dict_insert (dict, key, "x", g_date_time_to_unix (time) * G_USEC_PER_SEC +
                                            g_date_time_get_microsecond (time));
}

static char *
dict_dup_string (GVariantDict *dict,
                 const char   *key)
{
  char *value = NULL;

  g_variant_dict_lookup (dict, key, "s", &value);
  return value;
}

static GDateTime *
dict_dup_time (GVariantDict *dict,
               const char   *key)
{
  gint64 usec;

  if (!g_variant_dict_lookup (dict, key, "x", &usec))
    return NULL;
  return g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
}

static guint32
dict_get_uint (GVariantDict *dict,
               const char   *key)
{
  guint32 value = 0;

  g_variant_dict_lookup (dict, key, "u", &value);
  return value;
}

GVariant *
ow_ticket_serialize (const OwTicket *ticket)
{
  GVariantDict dict;

  g_return_val_if_fail (ticket != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  dict_insert_string (&dict, "id", ticket->id);
  dict_insert_time (&dict, "registered-at", ticket->registered_at);
  /* Enumerations by name: a reordered enum must not change what a stored ticket means. */
  dict_insert_string (&dict, "tier", ow_ticket_tier_to_string (ticket->tier));
  dict_insert_string (&dict, "summary", ticket->summary);
  dict_insert_string (&dict, "contact-name", ticket->contact_name);
  dict_insert_string (&dict, "contact-phone", ticket->contact_phone);
  dict_insert_string (&dict, "case-no", ticket->case_no);
  dict_insert_string (&dict, "rating-id", ticket->rating_id);
  dict_insert_string (&dict, "channel", ticket->channel);
  dict_insert_string (&dict, "item-id", ticket->item_id);
  dict_insert_string (&dict, "category", ticket->category);
  dict_insert_string (&dict, "hall", ticket->hall);
  dict_insert_string (&dict, "state", ow_ticket_state_to_string (ticket->state));
  dict_insert_string (&dict, "assignee", ticket->assignee);
  if (g_date_valid (&ticket->due_date))
    g_variant_dict_insert (&dict, "due-date", "u", g_date_get_julian (&ticket->due_date));
  g_variant_dict_insert (&dict, "overdue", "b", ticket->overdue);
  dict_insert_time (&dict, "escalated-at", ticket->escalated_at);
  return g_variant_dict_end (&dict);
}

OwTicket *
ow_ticket_deserialize (GVariant  *variant,
                       GError   **error)
{
  g_autoptr(OwTicket) ticket = NULL;
  g_autofree char *tier = NULL;
  g_autofree char *state = NULL;
  GVariantDict dict;
  guint32 julian;

  g_return_val_if_fail (variant != NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("A stored ticket has the type %s instead of a{sv}"),
                   g_variant_get_type_string (variant));
      return NULL;
    }
  g_variant_dict_init (&dict, variant);
  ticket = g_new0 (OwTicket, 1);
  g_date_clear (&ticket->due_date, 1);
  ticket->id = dict_dup_string (&dict, "id");
  ticket->registered_at = dict_dup_time (&dict, "registered-at");
  tier = dict_dup_string (&dict, "tier");
  ticket->summary = dict_dup_string (&dict, "summary");
  ticket->contact_name = dict_dup_string (&dict, "contact-name");
  ticket->contact_phone = dict_dup_string (&dict, "contact-phone");
  ticket->case_no = dict_dup_string (&dict, "case-no");
  ticket->rating_id = dict_dup_string (&dict, "rating-id");
  ticket->channel = dict_dup_string (&dict, "channel");
  ticket->item_id = dict_dup_string (&dict, "item-id");
  {
    g_autofree char *category = dict_dup_string (&dict, "category");

    /* Before categories were codes the label was kept, in the clerk's language. */
    ticket->category = ow_ticket_category_normalize (category);
  }
  ticket->hall = dict_dup_string (&dict, "hall");
  state = dict_dup_string (&dict, "state");
  ticket->assignee = dict_dup_string (&dict, "assignee");
  julian = dict_get_uint (&dict, "due-date");
  if (g_date_valid_julian (julian))
    g_date_set_julian (&ticket->due_date, julian);
  g_variant_dict_lookup (&dict, "overdue", "b", &ticket->overdue);
  ticket->escalated_at = dict_dup_time (&dict, "escalated-at");
  g_variant_dict_clear (&dict);

  if (ticket->id == NULL || ticket->registered_at == NULL ||
      !ow_ticket_tier_from_string (tier, &ticket->tier) ||
      !ow_ticket_state_from_string (state, &ticket->state))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("A stored ticket lacks its id, registration time, tier or state"));
      return NULL;
    }
  return g_steal_pointer (&ticket);
}

GVariant *
ow_ticket_event_serialize (const OwTicketEvent *event)
{
  GVariantDict dict;

  g_return_val_if_fail (event != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  dict_insert_string (&dict, "id", event->id);
  dict_insert_string (&dict, "kind", ow_ticket_event_kind_to_string (event->kind));
  dict_insert_time (&dict, "at", event->at);
  dict_insert_string (&dict, "note", event->note);
  dict_insert_string (&dict, "assignee", event->assignee);
  g_variant_dict_insert (&dict, "reached", "b", event->reached);
  dict_insert_string (&dict, "satisfaction",
                      ow_ticket_satisfaction_to_string (event->satisfaction));
  if (event->case_nos != NULL)
    g_variant_dict_insert_value (&dict, "case-nos",
                                 g_variant_new_strv ((const char * const *) event->case_nos, -1));
  return g_variant_dict_end (&dict);
}

OwTicketEvent *
ow_ticket_event_deserialize (GVariant  *variant,
                             GError   **error)
{
  g_autoptr(OwTicketEvent) event = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *satisfaction = NULL;
  GVariantDict dict;

  g_return_val_if_fail (variant != NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("A stored ticket event has the type %s instead of a{sv}"),
                   g_variant_get_type_string (variant));
      return NULL;
    }
  g_variant_dict_init (&dict, variant);
  event = g_new0 (OwTicketEvent, 1);
  event->id = dict_dup_string (&dict, "id");
  kind = dict_dup_string (&dict, "kind");
  event->at = dict_dup_time (&dict, "at");
  event->note = dict_dup_string (&dict, "note");
  event->assignee = dict_dup_string (&dict, "assignee");
  g_variant_dict_lookup (&dict, "reached", "b", &event->reached);
  satisfaction = dict_dup_string (&dict, "satisfaction");
  g_variant_dict_lookup (&dict, "case-nos", "^as", &event->case_nos);
  g_variant_dict_clear (&dict);

  if (event->id == NULL || event->at == NULL ||
      !ow_ticket_event_kind_from_string (kind, &event->kind) ||
      (satisfaction != NULL &&
       !ow_ticket_satisfaction_from_string (satisfaction, &event->satisfaction)))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("A stored ticket event lacks its id, time or kind"));
      return NULL;
    }
  return g_steal_pointer (&event);
}
