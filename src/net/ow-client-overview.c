/* ow-client-overview.c — the supervisor's figures: statistics, case counts, ratings
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each answer is decoded by the codec the platform encodes with (ow-json-statistics.c).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "net/ow-client-private.h"
#include "net/ow-json.h"

void
ow_rating_page_free (OwRatingPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->ratings, g_ptr_array_unref);
  g_free (page->next);
  g_free (page);
}

/* @base with the name/value pairs of @params appended as a query; pairs with a NULL value are
 * left out. */
static char *
build_path (const char         *base,
            const char * const *params)
{
  GString *path = g_string_new (base);
  char separator = '?';

  for (guint i = 0; params != NULL && params[i] != NULL; i += 2)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (params[i + 1] == NULL)
        continue;
      name = g_uri_escape_string (params[i], NULL, FALSE);
      value = g_uri_escape_string (params[i + 1], NULL, FALSE);
      g_string_append_printf (path, "%c%s=%s", separator, name, value);
      separator = '&';
    }
  return g_string_free (path, FALSE);
}

/* Decodes the JSON object of a finished GET with @decode, keeping the task's error. */
static gpointer
decode_answer (OwClient      *self,
               GAsyncResult  *result,
               gpointer     (*decode) (JsonNode *, char **, GError **),
               GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) codec_error = NULL;
  g_autofree char *field = NULL;
  gpointer value;

  if ((root = ow_client_get_object_finish (self, result, error)) == NULL)
    return NULL;
  if ((value = decode (root, &field, &codec_error)) == NULL)
    ow_client_set_malformed_error (error, field, codec_error->message);
  return value;
}

/* How to read one kind of answer, and free what was read. */
typedef struct
{
  gpointer     (*decode) (JsonNode *, char **, GError **);
  GDestroyNotify free;
} Decoder;

static void
json_got_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const Decoder *decoder = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value = decode_answer (OW_CLIENT (source), result, decoder->decode, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, decoder->free);
}

static gpointer
decode_statistics (JsonNode  *node,
                   char     **field,
                   GError   **error)
{
  return ow_json_to_statistics (node, field, error);
}

static gpointer
decode_counts (JsonNode  *node,
               char     **field,
               GError   **error)
{
  return ow_json_to_case_counts (node, field, error);
}

static gpointer
decode_rating (JsonNode  *node,
               char     **field,
               GError   **error)
{
  return ow_json_to_rating_record (node, field, error);
}

/* A page of ratings: {"ratings": […], "next"}. */
static gpointer
decode_rating_page (JsonNode  *node,
                    char     **field,
                    GError   **error)
{
  g_autoptr(OwRatingPage) page = g_new0 (OwRatingPage, 1);
  JsonObject *object;
  JsonNode *ratings, *next;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_MALFORMED,
                           _("The list of ratings is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  ratings = json_object_has_member (object, "ratings") ? json_object_get_member (object, "ratings")
                                                       : NULL;
  if (ratings == NULL || !JSON_NODE_HOLDS_ARRAY (ratings))
    {
      *field = g_strdup ("ratings");
      g_set_error_literal (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_MALFORMED,
                           _("The answer lacks its list of ratings"));
      return NULL;
    }
  page->ratings = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_rating_record_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (ratings)); i++)
    {
      g_autofree char *inner = NULL;
      OwRatingRecord *record = decode_rating (json_array_get_element (json_node_get_array (ratings),
                                                                      i), &inner, error);

      if (record == NULL)
        {
          *field = g_strdup_printf ("ratings[%u]%s%s", i, inner != NULL ? "." : "",
                                    inner != NULL ? inner : "");
          return NULL;
        }
      g_ptr_array_add (page->ratings, record);
    }
  next = json_object_has_member (object, "next") ? json_object_get_member (object, "next") : NULL;
  if (next != NULL && JSON_NODE_HOLDS_VALUE (next) &&
      json_node_get_value_type (next) == G_TYPE_STRING)
    page->next = g_strdup (json_node_get_string (next));
  return g_steal_pointer (&page);
}

static const Decoder statistics_decoder = { decode_statistics,
                                             (GDestroyNotify) ow_statistics_free };
static const Decoder counts_decoder = { decode_counts, (GDestroyNotify) ow_case_counts_free };
static const Decoder ratings_decoder = { decode_rating_page, (GDestroyNotify) ow_rating_page_free };

static void
get_decoded (OwClient            *self,
             const char          *path,
             const Decoder       *decoder,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) decoder, NULL);
  ow_client_get_object_async (self, path, cancellable, json_got_cb, task);
}

void
ow_client_get_statistics_async (OwClient            *self,
                                const char * const  *params,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (OW_IS_CLIENT (self));
  path = build_path ("/api/v1/statistics", params);
  get_decoded (self, path, &statistics_decoder, ow_client_get_statistics_async, cancellable,
               callback, user_data);
}

OwStatistics *
ow_client_get_statistics_finish (OwClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ow_client_get_statistics_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_client_count_cases_async (OwClient            *self,
                             OwCaseCountBy        by,
                             const char * const  *params,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *filters = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (OW_IS_CLIENT (self));
  /* The filters follow "by=…". */
  filters = build_path ("", params);
  path = g_strdup_printf ("/api/v1/statistics/cases?by=%s%s%s", ow_case_count_by_to_string (by),
                          *filters == '?' ? "&" : "", *filters == '?' ? filters + 1 : "");
  get_decoded (self, path, &counts_decoder, ow_client_count_cases_async, cancellable, callback,
               user_data);
}

OwCaseCounts *
ow_client_count_cases_finish (OwClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_count_cases_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_client_list_ratings_async (OwClient            *self,
                              const char * const  *params,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (OW_IS_CLIENT (self));
  path = build_path ("/api/v1/ratings", params);
  get_decoded (self, path, &ratings_decoder, ow_client_list_ratings_async, cancellable, callback,
               user_data);
}

OwRatingPage *
ow_client_list_ratings_finish (OwClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_client_list_ratings_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
