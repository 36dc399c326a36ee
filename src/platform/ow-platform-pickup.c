/* ow-platform-pickup.c — what the platform checks for the unified pick-up window (统一出件)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kept apart from the case routes they serve: a mailing's carrier and waybill against the
 * hall's carriers, a hand-over's collector against the case, and the list of an applicant's
 * cases by ID number for the pick-up window and the supervisor, within their hall.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-lookup.h"
#include "core/ow-validate.h"
#include "core/ow-waybill.h"
#include "platform/ow-platform-private.h"

gboolean
ow_platform_server_set_carriers (OwPlatformServer   *self,
                                 const char * const *lines,
                                 GError            **error)
{
  GPtrArray *carriers;

  g_return_val_if_fail (OW_IS_PLATFORM_SERVER (self), FALSE);

  carriers = ow_carriers_parse (lines != NULL ? lines : ow_carriers_default_lines (), error);
  if (carriers == NULL)
    return FALSE;
  g_clear_pointer (&self->carriers, g_ptr_array_unref);
  self->carriers = carriers;
  return TRUE;
}

static GPtrArray *
get_carriers (OwPlatformServer *self)
{
  if (self->carriers == NULL)
    ow_platform_server_set_carriers (self, NULL, NULL);
  return self->carriers;
}

/* The case as stored, decoded; NULL after answering (500) itself, or with *@unknown set when
 * there is no such case (the database answers 404 for it later). */
static OwCase *
load_case (OwPlatformServer  *self,
           OwPlatformRequest *msg,
           const char        *case_no,
           gboolean          *unknown)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  OwCase *kase;

  *unknown = FALSE;
  if ((body = ow_platform_db_get_case (ow_platform_server_db (self), case_no, NULL,
                                       &error)) == NULL)
    {
      if (error == NULL)
        *unknown = TRUE;
      else
        ow_platform_respond_internal (msg, error);
      return NULL;
    }
  if ((root = ow_json_parse (body, -1, &error)) == NULL
      || (kase = ow_json_to_case (root, NULL, &error)) == NULL)
    {
      ow_platform_respond_internal (msg, error);
      return NULL;
    }
  return kase;
}

static gboolean
check_collector (OwPlatformServer      *self,
                 OwPlatformRequest     *msg,
                 const char            *case_no,
                 const OwJsonCaseEvent *event)
{
  const OwCollector *collector = event->collector;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  gboolean unknown;

  if ((kase = load_case (self, msg, case_no, &unknown)) == NULL)
    return unknown;
  if (!ow_collector_check_case (collector, kase, &field, &error))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, error->message);
      return FALSE;
    }
  /* The letter's pages, like a case's, are uploaded before the event that names them. */
  for (guint i = 0; collector->letter_files != NULL && i < collector->letter_files->len; i++)
    {
      gboolean exists = FALSE;

      if (!ow_platform_db_has_file (ow_platform_server_db (self),
                                    g_ptr_array_index (collector->letter_files, i),
                                    &exists, &error))
        {
          ow_platform_respond_internal (msg, error);
          return FALSE;
        }
      if (!exists)
        {
          g_autofree char *member = g_strdup_printf ("collector.letter_files[%u]", i);

          ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, member,
                                     _("A page of the authorisation letter has not been "
                                       "uploaded: upload its file first"));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
ow_platform_check_pickup_event (OwPlatformServer      *self,
                                OwPlatformRequest     *msg,
                                const char            *case_no,
                                const OwJsonCaseEvent *event)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  gboolean known = FALSE;

  if (event->kind != OW_CASE_EVENT_MAILED && event->kind != OW_CASE_EVENT_HANDED_OVER)
    return TRUE;
  /* A resend of a recorded event is the database's to answer (200 or 409): rules added since
   * it was first recorded must not turn it into a refusal. */
  if (!ow_platform_db_has_case_event (ow_platform_server_db (self), event->id, &known, &error))
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if (known)
    return TRUE;

  if (event->kind == OW_CASE_EVENT_MAILED
      && !ow_waybill_validate (get_carriers (self), event->carrier, event->waybill, &field,
                               &error))
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, error->message);
      return FALSE;
    }
  if (event->kind == OW_CASE_EVENT_HANDED_OVER && event->collector != NULL
      && !check_collector (self, msg, case_no, event))
    return FALSE;
  return TRUE;
}

gboolean
ow_platform_filter_by_id_number (OwPlatformRequest    *msg,
                                 const OwPlatformUser *user,
                                 GHashTable           *query,
                                 OwPlatformCaseFilter *filter,
                                 char                **id_number)
{
  static const char *roles[] = { "pickup", "supervisor", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *text;
  OwLookupKind kind;
  gboolean bad = FALSE;

  *id_number = NULL;
  text = ow_platform_query_string (msg, query, "id_number", &bad);
  if (bad)
    return FALSE;
  if (text == NULL)
    return TRUE;

  /* Someone's cases across the hall are for the window that hands them their results, and
   * for the supervisor; a clerk serves the applicant in front of them from the case number. */
  if (!ow_platform_require_any_role (msg, user, roles))
    return FALSE;
  if (!ow_lookup_parse (text, &kind, &key, &error) || kind == OW_LOOKUP_CASE)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "id_number",
                                 error != NULL ? error->message
                                               : _("Give a resident ID number or a unified "
                                                   "social credit code"));
      return FALSE;
    }
  if (filter->hall != NULL && g_strcmp0 (filter->hall, user->hall) != 0)
    {
      ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, "hall",
                                 _("An applicant’s cases are listed within your own hall only"));
      return FALSE;
    }
  filter->hall = user->hall;
  *id_number = g_steal_pointer (&key);
  filter->id_number = *id_number;
  return TRUE;
}
