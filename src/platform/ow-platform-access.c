/* ow-platform-access.c — who may see what: cases, files, tickets, ratings, the changes feed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules are the header's; this file is the only one that knows them.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-user.h"
#include "net/ow-json.h"
#include "platform/ow-platform-access.h"

/* A file named by this many of a department's cases is surely one of theirs: the search stops. */
#define FILE_CASES_LOOKED_AT 20

/* Helpers ---------------------------------------------------------------------------------- */

static JsonNode *
parse_object (const char *body)
{
  JsonNode *root = body != NULL ? ow_json_parse (body, -1, NULL) : NULL;

  if (root != NULL && !JSON_NODE_HOLDS_OBJECT (root))
    g_clear_pointer (&root, json_node_unref);
  return root;
}

static gboolean
works_for_department (const OwPlatformUser *user)
{
  return ow_platform_user_has_role (user, "department") && user->department != NULL &&
         *user->department != '\0';
}

static void
respond_department (OwPlatformRequest    *msg,
                    const OwPlatformUser *user,
                    const char           *message)
{
  /* Without a department nothing is theirs: say what to do rather than what is refused. */
  if (!works_for_department (user))
    message = _("Your account names no department: ask the platform’s administrator to set it "
                "(onewindow-platform admin set-department)");
  ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, "department", message);
}

/* The department of @username, or NULL (no error) for a user of none or no such user. */
static gboolean
lookup_department (OwPlatformDb  *db,
                   const char    *username,
                   char         **department,
                   GError       **error)
{
  g_autoptr(OwPlatformUser) user = NULL;
  g_autoptr(GError) local_error = NULL;

  *department = NULL;
  if (username == NULL)
    return TRUE;
  user = ow_platform_db_lookup_user (db, username, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (user != NULL && works_for_department (user))
    *department = g_strdup (user->department);
  return TRUE;
}

/* Cases ------------------------------------------------------------------------------------ */

gboolean
ow_platform_user_sees_department_only (const OwPlatformUser *user)
{
  /* Who is held to a department is core's rule, which the counters mirror. */
  OwUser view = { .username = user->username, .roles = user->roles };

  return ow_user_sees_department_only (&view);
}

gboolean
ow_platform_case_names_department (JsonObject *kase,
                                   const char *department)
{
  JsonArray *items;

  if (kase == NULL || department == NULL || *department == '\0' ||
      !json_object_has_member (kase, "items") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (kase, "items")))
    return FALSE;
  items = json_object_get_array_member (kase, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (item) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (item),
                                                                 "department", NULL),
                     department) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
ow_platform_may_see_case (const OwPlatformUser *user,
                          JsonObject           *kase)
{
  if (!ow_platform_user_sees_department_only (user))
    return TRUE;
  return works_for_department (user) && ow_platform_case_names_department (kase, user->department);
}

/* The stored case @case_no parsed, or NULL: *@found tells an unknown case from an error. */
static JsonNode *
load_case (OwPlatformDb  *db,
           const char    *case_no,
           gboolean      *found,
           GError       **error)
{
  g_autofree char *body = ow_platform_db_get_case (db, case_no, NULL, error);

  *found = body != NULL;
  return parse_object (body);
}

gboolean
ow_platform_require_case_visible (OwPlatformServer     *self,
                                  OwPlatformRequest    *msg,
                                  const OwPlatformUser *user,
                                  const char           *case_no)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gboolean found;

  if (!ow_platform_user_sees_department_only (user))
    return TRUE;
  root = load_case (ow_platform_server_db (self), case_no, &found, &error);
  if (error != NULL)
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if (!found || (root != NULL && ow_platform_may_see_case (user, json_node_get_object (root))))
    return TRUE;
  respond_department (msg, user, _("This case is another department’s: a department sees only "
                                   "the cases of its own service items"));
  return FALSE;
}

gboolean
ow_platform_require_case_decidable (OwPlatformServer     *self,
                                    OwPlatformRequest    *msg,
                                    const OwPlatformUser *user,
                                    const char           *case_no)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gboolean found;

  root = load_case (ow_platform_server_db (self), case_no, &found, &error);
  if (error != NULL)
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if (!found || (root != NULL && works_for_department (user) &&
                 ow_platform_case_names_department (json_node_get_object (root),
                                                    user->department)))
    return TRUE;
  respond_department (msg, user, _("Only the department of the case’s service items may record "
                                   "its decision"));
  return FALSE;
}

gboolean
ow_platform_restrict_case_filter (OwPlatformRequest    *msg,
                                  const OwPlatformUser *user,
                                  OwPlatformCaseFilter *filter)
{
  if (!ow_platform_user_sees_department_only (user))
    return TRUE;
  /* Asking for another department's cases is a mistake worth saying, not an empty page. */
  if (!works_for_department (user) ||
      (filter->department != NULL && g_strcmp0 (filter->department, user->department) != 0))
    {
      respond_department (msg, user, _("A department lists only its own cases: leave out "
                                       "“department” or give your own"));
      return FALSE;
    }
  filter->department = user->department;
  return TRUE;
}

/* Files ------------------------------------------------------------------------------------ */

gboolean
ow_platform_require_file_visible (OwPlatformServer     *self,
                                  OwPlatformRequest    *msg,
                                  const OwPlatformUser *user,
                                  const char           *sha256)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bodies = NULL;

  if (!ow_platform_user_sees_department_only (user))
    return TRUE;
  if (works_for_department (user))
    {
      bodies = ow_platform_db_list_cases_naming_file (ow_platform_server_db (self), sha256,
                                                      user->department,
                                                      FILE_CASES_LOOKED_AT, &error);
      if (bodies == NULL)
        {
          ow_platform_respond_internal (msg, error);
          return FALSE;
        }
      for (guint i = 0; i < bodies->len; i++)
        {
          g_autoptr(JsonNode) root = parse_object (g_ptr_array_index (bodies, i));

          if (root != NULL && ow_platform_may_see_case (user, json_node_get_object (root)))
            return TRUE;
        }
    }
  respond_department (msg, user, _("No case of your department names this file"));
  return FALSE;
}

/* Tickets ---------------------------------------------------------------------------------- */

gboolean
ow_platform_may_see_ticket (OwPlatformDb               *db,
                            const OwPlatformUser       *user,
                            const OwPlatformTicketRow  *row,
                            gboolean                   *visible,
                            const char                **field,
                            GError                    **error)
{
  g_autofree char *department = NULL;

  *visible = FALSE;
  if (g_strcmp0 (row->assignee, user->username) == 0)
    {
      *visible = TRUE;
      return TRUE;
    }
  if (!ow_platform_user_sees_department_only (user))
    {
      /* A hall's tickets are its own business (PIPL: only what the duty needs); a department
       * serving several halls sees those assigned to it. */
      *visible = g_strcmp0 (row->hall, user->hall) == 0;
      if (field != NULL)
        *field = "hall";
      return TRUE;
    }

  if (field != NULL)
    *field = "department";
  if (!works_for_department (user) || row->assignee == NULL)
    return TRUE;
  if (!lookup_department (db, row->assignee, &department, error))
    return FALSE;
  *visible = g_strcmp0 (department, user->department) == 0;
  return TRUE;
}

gboolean
ow_platform_require_ticket_visible (OwPlatformServer          *self,
                                    OwPlatformRequest         *msg,
                                    const OwPlatformUser      *user,
                                    const OwPlatformTicketRow *row)
{
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  gboolean visible;

  if (!ow_platform_may_see_ticket (ow_platform_server_db (self), user, row, &visible, &field,
                                   &error))
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if (visible)
    return TRUE;
  if (g_strcmp0 (field, "department") == 0)
    respond_department (msg, user, _("This ticket is not assigned to your department"));
  else
    ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, "hall",
                               _("This ticket belongs to another hall and is not assigned to "
                                 "you"));
  return FALSE;
}

gboolean
ow_platform_require_ticket_worker (OwPlatformServer          *self,
                                   OwPlatformRequest         *msg,
                                   const OwPlatformUser      *user,
                                   const OwPlatformTicketRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *department = NULL;

  /* The supervisor runs the window; whoever it is assigned to works on it, and so may the
   * colleagues of a department it is assigned to. */
  if (g_strcmp0 (row->assignee, user->username) == 0 ||
      ow_platform_user_has_role (user, "supervisor"))
    return TRUE;
  if (works_for_department (user))
    {
      if (!lookup_department (ow_platform_server_db (self), row->assignee, &department, &error))
        {
          ow_platform_respond_internal (msg, error);
          return FALSE;
        }
      if (g_strcmp0 (department, user->department) == 0)
        return TRUE;
    }
  ow_platform_respond_error (msg, SOUP_STATUS_FORBIDDEN, NULL,
                             _("Only the ticket’s assignee, a colleague of the assignee’s "
                               "department or a supervisor may do this"));
  return FALSE;
}

/* Ratings ---------------------------------------------------------------------------------- */

static gboolean may_see_case_number (OwPlatformDb          *db,
                                     const OwPlatformUser  *user,
                                     const char            *case_no,
                                     gboolean              *visible,
                                     GError               **error);

gboolean
ow_platform_require_rating_visible (OwPlatformServer     *self,
                                    OwPlatformRequest    *msg,
                                    const OwPlatformUser *user,
                                    const char           *rating_body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rating = NULL;
  const char *case_no = NULL;
  gboolean visible = FALSE;

  if (!ow_platform_user_sees_department_only (user))
    return TRUE;
  if ((rating = parse_object (rating_body)) != NULL)
    case_no = json_object_get_string_member_with_default (json_node_get_object (rating),
                                                          "case_no", NULL);
  if (case_no != NULL && !may_see_case_number (ow_platform_server_db (self), user, case_no,
                                               &visible, &error))
    {
      ow_platform_respond_internal (msg, error);
      return FALSE;
    }
  if (visible)
    return TRUE;
  respond_department (msg, user, _("This rating is of no case of your department"));
  return FALSE;
}

/* The changes feed ------------------------------------------------------------------------- */

static gboolean
may_see_case_number (OwPlatformDb          *db,
                     const OwPlatformUser  *user,
                     const char            *case_no,
                     gboolean              *visible,
                     GError               **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean found;

  *visible = TRUE;
  if (!ow_platform_user_sees_department_only (user))
    return TRUE;
  root = load_case (db, case_no, &found, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *visible = root != NULL && ow_platform_may_see_case (user, json_node_get_object (root));
  return TRUE;
}

static gboolean
may_see_change_uncached (OwPlatformDb            *db,
                         const OwPlatformUser    *user,
                         const OwPlatformChange  *change,
                         gboolean                *visible,
                         GError                 **error)
{
  *visible = FALSE;
  if (g_str_equal (change->kind, "catalog") || g_str_equal (change->kind, "calendar"))
    {
      *visible = TRUE;
      return TRUE;
    }
  if (g_str_equal (change->kind, "case") || g_str_equal (change->kind, "case-event"))
    return may_see_case_number (db, user, change->key, visible, error);
  if (g_str_equal (change->kind, "ticket"))
    {
      g_autoptr(OwPlatformTicketRow) row = NULL;
      g_autoptr(GError) local_error = NULL;

      if ((row = ow_platform_db_get_ticket (db, change->key, &local_error)) == NULL)
        {
          if (local_error == NULL)
            return TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return ow_platform_may_see_ticket (db, user, row, visible, NULL, error);
    }
  if (g_str_equal (change->kind, "rating"))
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *body = NULL;
      g_autoptr(JsonNode) rating = NULL;
      const char *case_no = NULL;

      if (!ow_platform_user_sees_department_only (user))
        {
          *visible = TRUE;
          return TRUE;
        }
      body = ow_platform_db_get_rating (db, change->key, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if ((rating = parse_object (body)) != NULL)
        case_no = json_object_get_string_member_with_default (json_node_get_object (rating),
                                                              "case_no", NULL);
      if (case_no == NULL)
        return TRUE;
      return may_see_case_number (db, user, case_no, visible, error);
    }
  /* A kind this code does not know names something it cannot judge: only the hall's staff, who
   * see every case, hear of it. */
  *visible = !ow_platform_user_sees_department_only (user);
  return TRUE;
}

gboolean
ow_platform_may_see_change (OwPlatformDb            *db,
                            const OwPlatformUser    *user,
                            const OwPlatformChange  *change,
                            GHashTable              *cache,
                            gboolean                *visible,
                            GError                 **error)
{
  g_autofree char *key = NULL;
  gpointer cached;

  /* Case events and cases share the answer: both name the case. */
  key = g_strconcat (g_str_has_prefix (change->kind, "case") ? "case" : change->kind, "\n",
                     change->key != NULL ? change->key : "", NULL);
  if (cache != NULL && g_hash_table_lookup_extended (cache, key, NULL, &cached))
    {
      *visible = GPOINTER_TO_INT (cached);
      return TRUE;
    }
  if (change->key == NULL)
    *visible = g_str_equal (change->kind, "catalog") || g_str_equal (change->kind, "calendar");
  else if (!may_see_change_uncached (db, user, change, visible, error))
    return FALSE;
  if (cache != NULL)
    g_hash_table_insert (cache, g_steal_pointer (&key), GINT_TO_POINTER (*visible));
  return TRUE;
}
