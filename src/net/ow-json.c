/* ow-json.c — JSON codecs of the core types: the wire format of the platform contract
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-error.h"
#include "net/ow-json.h"

/* Deeper nesting than any document of the contract needs; refusing it before json-glib's
 * recursive parser (and our recursive writer) sees it keeps hostile input off the stack. */
#define MAX_DEPTH 32

typedef enum
{
  FIELD_OPTIONAL = 0,      /* may be absent or null */
  FIELD_REQUIRED = 1 << 0, /* must be present and not null */
} FieldFlags;

/* Helpers ---------------------------------------------------------------------------------- */

static char *
join_name (const char *prefix,
           const char *name)
{
  if (prefix == NULL || *prefix == '\0')
    return g_strdup (name);
  if (name == NULL || *name == '\0')
    return g_strdup (prefix);
  if (name[0] == '[')
    return g_strconcat (prefix, name, NULL);
  return g_strconcat (prefix, ".", name, NULL);
}

static char *
index_name (const char *prefix,
            const char *name,
            guint       index)
{
  g_autofree char *member = join_name (prefix, name);

  return g_strdup_printf ("%s[%u]", member, index);
}

static void
set_field (char       **field,
           const char  *name)
{
  if (field == NULL)
    return;
  g_free (*field);
  *field = g_strdup (name);
}

/* Fails with OW_CORE_ERROR_INVALID naming prefix.name both in @field and in the message. */
G_GNUC_PRINTF (5, 6)
static gboolean
fail (char       **field,
      GError     **error,
      const char  *prefix,
      const char  *name,
      const char  *format,
      ...)
{
  g_autofree char *full = join_name (prefix, name);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  set_field (field, full);
  g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID, "%s: %s", full, what);
  return FALSE;
}

/* Members whose values are text a person wrote (an address, a note, a condition): any character
 * but NUL. Every other string member is a name, an identifier, a code or a word of the contract,
 * and carries no control character: a tab or a line break there is a mistake or an attack, and
 * a bidirectional override would reorder a name printed on an official document. Sorted. */
static const char * const free_text_members[] = {
  "a", "address", "blank_form", "conditions", "description", "fee_basis", "hours", "note",
  "notes", "place", "process", "q", "quantity_limit", "reason", "result_sample", "sample",
  "standard", "summary", "text",
};

static int
compare_member (const void *key,
                const void *element)
{
  return strcmp (key, *(const char * const *) element);
}

gboolean
ow_json_is_free_text_member (const char *member)
{
  g_return_val_if_fail (member != NULL, FALSE);

  return bsearch (member, free_text_members, G_N_ELEMENTS (free_text_members),
                  sizeof free_text_members[0], compare_member) != NULL;
}

/* C0 and C1 controls, DEL, the line and paragraph separators and the bidirectional
 * formatting characters (marks, embeddings, overrides, isolates). */
static gboolean
is_control_character (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
         (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

gboolean
ow_json_text_is_allowed (const char *member,
                         const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (member != NULL && ow_json_is_free_text_member (member))
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (is_control_character (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The member @name of @object when present and not null; NULL with @present set accordingly. */
static JsonNode *
lookup_member (JsonObject  *object,
               const char  *name)
{
  JsonNode *node;

  if (!json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
read_string (JsonObject  *object,
             const char  *prefix,
             const char  *name,
             FieldFlags   flags,
             char       **out,
             char       **field,
             GError     **error)
{
  JsonNode *node = lookup_member (object, name);
  const char *text;

  *out = NULL;
  if (node == NULL)
    {
      if (flags & FIELD_REQUIRED)
        return fail (field, error, prefix, name, _("is required"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (field, error, prefix, name, _("must be a string"));

  text = json_node_get_string (node);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return fail (field, error, prefix, name, _("is not valid UTF-8 text"));
  if (!ow_json_text_is_allowed (name, text))
    return fail (field, error, prefix, name,
                 _("must not contain control characters (tabs, line breaks, direction marks)"));

  *out = g_strdup (text);
  return TRUE;
}

static gboolean
read_uint (JsonObject  *object,
           const char  *prefix,
           const char  *name,
           FieldFlags   flags,
           guint        max,
           guint       *out,
           char       **field,
           GError     **error)
{
  JsonNode *node = lookup_member (object, name);
  gint64 value;

  if (node == NULL)
    {
      if (flags & FIELD_REQUIRED)
        return fail (field, error, prefix, name, _("is required"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (field, error, prefix, name, _("must be a whole number"));

  value = json_node_get_int (node);
  if (value < 0 || value > (gint64) max)
    return fail (field, error, prefix, name, _("must be between 0 and %u"), max);

  *out = (guint) value;
  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *prefix,
           const char  *name,
           gboolean    *out,
           char       **field,
           GError     **error)
{
  JsonNode *node = lookup_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (field, error, prefix, name, _("must be true or false"));

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Strictly YYYY-MM-DD and a real date; @out is cleared (invalid) when absent. */
static gboolean
read_date (JsonObject  *object,
           const char  *prefix,
           const char  *name,
           FieldFlags   flags,
           GDate       *out,
           char       **field,
           GError     **error)
{
  g_autofree char *text = NULL;
  guint year, month, day;

  g_date_clear (out, 1);
  if (!read_string (object, prefix, name, flags, &text, field, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return fail (field, error, prefix, name, _("must be a date written YYYY-MM-DD"));
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return fail (field, error, prefix, name, _("must be a date written YYYY-MM-DD"));

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (year < 1 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return fail (field, error, prefix, name, _("“%s” is not a real date"), text);

  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static gboolean
read_datetime (JsonObject  *object,
               const char  *prefix,
               const char  *name,
               GDateTime  **out,
               char       **field,
               GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) when = NULL;

  *out = NULL;
  if (!read_string (object, prefix, name, FIELD_OPTIONAL, &text, field, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  /* No default time zone: a time without an offset is ambiguous and refused. */
  when = g_date_time_new_from_iso8601 (text, NULL);
  if (when == NULL)
    return fail (field, error, prefix, name,
                 _("must be a time in RFC 3339 form, such as 2026-11-25T06:30:00Z"));

  /* Written back with four digits of year, in UTC: a year before 1000 ("0356-…") would come
   * back as "356-…", which does not read again, and 9999-12-31T23:00:00-05:00 has no UTC
   * (found by fuzz-json). */
  *out = g_date_time_to_utc (when);
  if (*out == NULL || g_date_time_get_year (*out) < 1000)
    {
      g_clear_pointer (out, g_date_time_unref);
      return fail (field, error, prefix, name, _("“%s” is not a time of the years 1000 to 9999"),
                   text);
    }
  return TRUE;
}

/* An object member that must hold an object (or, when optional, may be absent or null). */
static gboolean
read_object (JsonObject  *object,
             const char  *prefix,
             const char  *name,
             FieldFlags   flags,
             JsonNode   **out,
             char       **field,
             GError     **error)
{
  JsonNode *node = lookup_member (object, name);

  *out = NULL;
  if (node == NULL)
    {
      if (flags & FIELD_REQUIRED)
        return fail (field, error, prefix, name, _("is required"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (field, error, prefix, name, _("must be an object"));

  *out = node;
  return TRUE;
}

static gboolean
read_array (JsonObject  *object,
            const char  *prefix,
            const char  *name,
            FieldFlags   flags,
            JsonArray  **out,
            char       **field,
            GError     **error)
{
  JsonNode *node = lookup_member (object, name);

  *out = NULL;
  if (node == NULL)
    {
      if (flags & FIELD_REQUIRED)
        return fail (field, error, prefix, name, _("is required"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (field, error, prefix, name, _("must be a list"));

  *out = json_node_get_array (node);
  return TRUE;
}

/* A list of strings, as a NULL-terminated vector (NULL when absent). */
static gboolean
read_strv (JsonObject   *object,
           const char   *prefix,
           const char   *name,
           char       ***out,
           char        **field,
           GError      **error)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = NULL;

  *out = NULL;
  if (!read_array (object, prefix, name, FIELD_OPTIONAL, &array, field, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *text;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *at = index_name (NULL, name, i);
          return fail (field, error, prefix, at, _("must be a string"));
        }
      text = json_node_get_string (element);
      if (!g_utf8_validate (text, -1, NULL))
        {
          g_autofree char *at = index_name (NULL, name, i);
          return fail (field, error, prefix, at, _("is not valid UTF-8 text"));
        }
      if (!ow_json_text_is_allowed (name, text))
        {
          g_autofree char *at = index_name (NULL, name, i);
          return fail (field, error, prefix, at,
                       _("must not contain control characters (tabs, line breaks, direction "
                         "marks)"));
        }
      g_strv_builder_add (builder, text);
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* A list of the standard's numeric codes 1…@max_code, as flags with bit (code - 1). */
static gboolean
read_code_flags (JsonObject  *object,
                 const char  *prefix,
                 const char  *name,
                 const guint *allowed,
                 guint       *out,
                 char       **field,
                 GError     **error)
{
  JsonArray *array;
  guint flags = 0;

  if (!read_array (object, prefix, name, FIELD_OPTIONAL, &array, field, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *at = index_name (NULL, name, i);
      gboolean known = FALSE;
      gint64 code;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_INT64)
        return fail (field, error, prefix, at, _("must be a whole number"));
      code = json_node_get_int (element);
      for (const guint *a = allowed; *a != 0; a++)
        known |= (code == (gint64) *a);
      if (!known)
        return fail (field, error, prefix, at, _("%lld is not a known code"), (long long) code);
      flags |= 1u << (code - 1);
    }

  *out = flags;
  return TRUE;
}

static JsonNode *
node_for_codes (guint flags)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint code = 1; code <= 32; code++)
    if (flags & (1u << (code - 1)))
      json_array_add_int_element (array, code);
  json_node_take_array (node, array);
  return node;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Catalog text is never null on the wire: an empty string means "nothing said". */
static void
add_text (JsonBuilder *builder,
          const char  *name,
          const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_nullable_date (JsonBuilder *builder,
                   const char  *name,
                   const GDate *date)
{
  json_builder_set_member_name (builder, name);
  if (date != NULL && g_date_valid (date))
    {
      char text[16];

      g_snprintf (text, sizeof text, "%04u-%02u-%02u", g_date_get_year (date),
                  g_date_get_month (date), g_date_get_day (date));
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static JsonObject *
require_object (JsonNode    *node,
                const char  *prefix,
                char       **field,
                GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_field (field, prefix);
      if (prefix != NULL && *prefix != '\0')
        g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID, _("%s: must be an object"),
                     prefix);
      else
        g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                             _("The data is not a JSON object"));
      return NULL;
    }
  return json_node_get_object (node);
}

/* Applicants ------------------------------------------------------------------------------- */

static const char *
applicant_kind_to_string (OwApplicantKind kind)
{
  switch (kind)
    {
    case OW_APPLICANT_PERSON:
      return "person";
    case OW_APPLICANT_ORGANISATION:
      return "organisation";
    default:
      return NULL;
    }
}

JsonNode *
ow_json_from_applicant (const OwApplicant *applicant)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (applicant != NULL, NULL);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "kind", applicant_kind_to_string (applicant->kind));
  add_nullable_string (builder, "name", applicant->name);
  add_nullable_string (builder, "id_number", applicant->id_number);
  add_nullable_string (builder, "phone", applicant->phone);
  add_nullable_string (builder, "address", applicant->address);
  add_nullable_string (builder, "contact_name", applicant->contact_name);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

OwApplicant *
ow_json_to_applicant (JsonNode    *node,
                      const char  *prefix,
                      char       **field,
                      GError     **error)
{
  g_autoptr(OwApplicant) applicant = NULL;
  g_autofree char *kind = NULL;
  JsonObject *object;

  if ((object = require_object (node, prefix, field, error)) == NULL)
    return NULL;

  if (!read_string (object, prefix, "kind", FIELD_REQUIRED, &kind, field, error))
    return NULL;
  if (g_strcmp0 (kind, "person") == 0)
    applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  else if (g_strcmp0 (kind, "organisation") == 0)
    applicant = ow_applicant_new (OW_APPLICANT_ORGANISATION);
  else
    {
      fail (field, error, prefix, "kind", _("must be “person” or “organisation”, not “%s”"), kind);
      return NULL;
    }

  g_clear_pointer (&applicant->name, g_free);
  g_clear_pointer (&applicant->id_number, g_free);
  g_clear_pointer (&applicant->phone, g_free);
  g_clear_pointer (&applicant->address, g_free);
  g_clear_pointer (&applicant->contact_name, g_free);

  if (!read_string (object, prefix, "name", FIELD_REQUIRED, &applicant->name, field, error) ||
      !read_string (object, prefix, "id_number", FIELD_REQUIRED, &applicant->id_number, field,
                    error) ||
      !read_string (object, prefix, "phone", FIELD_OPTIONAL, &applicant->phone, field, error) ||
      !read_string (object, prefix, "address", FIELD_OPTIONAL, &applicant->address, field,
                    error) ||
      !read_string (object, prefix, "contact_name", FIELD_OPTIONAL, &applicant->contact_name,
                    field, error))
    return NULL;

  return g_steal_pointer (&applicant);
}

/* Catalog materials ------------------------------------------------------------------------ */

static const char *
material_form_to_string (OwMaterialForm form)
{
  switch (form)
    {
    case OW_MATERIAL_FORM_PAPER:
      return "paper";
    case OW_MATERIAL_FORM_ELECTRONIC:
      return "electronic";
    case OW_MATERIAL_FORM_EITHER:
      return "either";
    default:
      return NULL;
    }
}

static const char *
material_source_to_string (OwMaterialSource source)
{
  switch (source)
    {
    case OW_MATERIAL_SOURCE_APPLICANT:
      return "applicant";
    case OW_MATERIAL_SOURCE_GOVERNMENT:
      return "government";
    case OW_MATERIAL_SOURCE_OTHER:
      return "other";
    default:
      return NULL;
    }
}

JsonNode *
ow_json_from_material (OwMaterial *material)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (OW_IS_MATERIAL (material), NULL);

  json_builder_begin_object (builder);
  add_text (builder, "id", ow_material_get_id (material));
  add_text (builder, "name", ow_material_get_name (material));
  add_text (builder, "issuer", ow_material_get_issuer (material));
  json_builder_set_member_name (builder, "originals");
  json_builder_add_int_value (builder, ow_material_get_originals (material));
  json_builder_set_member_name (builder, "copies");
  json_builder_add_int_value (builder, ow_material_get_copies (material));
  json_builder_set_member_name (builder, "required");
  json_builder_add_boolean_value (builder, ow_material_get_required (material));
  add_nullable_string (builder, "form", material_form_to_string (ow_material_get_form (material)));
  add_nullable_string (builder, "source",
                       material_source_to_string (ow_material_get_source (material)));
  add_text (builder, "source_label", ow_material_get_source_label (material));
  json_builder_set_member_name (builder, "shared_exempt");
  json_builder_add_boolean_value (builder, ow_material_get_shared_exempt (material));
  json_builder_set_member_name (builder, "licence_exempt");
  json_builder_add_boolean_value (builder, ow_material_get_licence_exempt (material));
  json_builder_set_member_name (builder, "tolerable");
  json_builder_add_boolean_value (builder, ow_material_get_tolerable (material));
  add_text (builder, "standard", ow_material_get_standard (material));
  add_text (builder, "notes", ow_material_get_notes (material));
  add_text (builder, "blank_form", ow_material_get_blank_form (material));
  add_text (builder, "sample", ow_material_get_sample (material));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

OwMaterial *
ow_json_to_material (JsonNode    *node,
                     const char  *prefix,
                     char       **field,
                     GError     **error)
{
  g_autoptr(OwMaterial) material = NULL;
  g_autofree char *id = NULL, *name = NULL, *issuer = NULL, *form = NULL, *source = NULL;
  g_autofree char *label = NULL, *standard = NULL, *notes = NULL, *blank = NULL, *sample = NULL;
  guint originals = 1, copies = 0;
  gboolean required = TRUE, shared = FALSE, licence = FALSE, tolerable = FALSE;
  OwMaterialSource source_value = OW_MATERIAL_SOURCE_APPLICANT;
  JsonObject *object;

  if ((object = require_object (node, prefix, field, error)) == NULL)
    return NULL;

  if (!read_string (object, prefix, "id", FIELD_REQUIRED, &id, field, error) ||
      !read_string (object, prefix, "name", FIELD_REQUIRED, &name, field, error) ||
      !read_string (object, prefix, "issuer", FIELD_OPTIONAL, &issuer, field, error) ||
      !read_uint (object, prefix, "originals", FIELD_OPTIONAL, 999, &originals, field, error) ||
      !read_uint (object, prefix, "copies", FIELD_OPTIONAL, 999, &copies, field, error) ||
      !read_bool (object, prefix, "required", &required, field, error) ||
      !read_string (object, prefix, "form", FIELD_OPTIONAL, &form, field, error) ||
      !read_string (object, prefix, "source", FIELD_OPTIONAL, &source, field, error) ||
      !read_string (object, prefix, "source_label", FIELD_OPTIONAL, &label, field, error) ||
      !read_bool (object, prefix, "shared_exempt", &shared, field, error) ||
      !read_bool (object, prefix, "licence_exempt", &licence, field, error) ||
      !read_bool (object, prefix, "tolerable", &tolerable, field, error) ||
      !read_string (object, prefix, "standard", FIELD_OPTIONAL, &standard, field, error) ||
      !read_string (object, prefix, "notes", FIELD_OPTIONAL, &notes, field, error) ||
      !read_string (object, prefix, "blank_form", FIELD_OPTIONAL, &blank, field, error) ||
      !read_string (object, prefix, "sample", FIELD_OPTIONAL, &sample, field, error))
    return NULL;

  if (*id == '\0')
    {
      fail (field, error, prefix, "id", _("must not be empty"));
      return NULL;
    }

  material = ow_material_new (id, name);
  if (issuer != NULL)
    ow_material_set_issuer (material, issuer);
  ow_material_set_counts (material, originals, copies);
  ow_material_set_required (material, required);

  if (form == NULL || g_str_equal (form, "either"))
    ow_material_set_form (material, OW_MATERIAL_FORM_EITHER);
  else if (g_str_equal (form, "paper"))
    ow_material_set_form (material, OW_MATERIAL_FORM_PAPER);
  else if (g_str_equal (form, "electronic"))
    ow_material_set_form (material, OW_MATERIAL_FORM_ELECTRONIC);
  else
    {
      fail (field, error, prefix, "form",
            _("must be “paper”, “electronic” or “either”, not “%s”"), form);
      return NULL;
    }

  if (source == NULL || g_str_equal (source, "applicant"))
    source_value = OW_MATERIAL_SOURCE_APPLICANT;
  else if (g_str_equal (source, "government"))
    source_value = OW_MATERIAL_SOURCE_GOVERNMENT;
  else if (g_str_equal (source, "other"))
    source_value = OW_MATERIAL_SOURCE_OTHER;
  else
    {
      fail (field, error, prefix, "source",
            _("must be “applicant”, “government” or “other”, not “%s”"), source);
      return NULL;
    }
  ow_material_set_source (material, source_value, label);

  ow_material_set_shared_exempt (material, shared);
  ow_material_set_licence_exempt (material, licence);
  ow_material_set_tolerable (material, tolerable);
  if (standard != NULL)
    ow_material_set_standard (material, standard);
  if (notes != NULL)
    ow_material_set_notes (material, notes);
  if (blank != NULL)
    ow_material_set_blank_form (material, blank);
  if (sample != NULL)
    ow_material_set_sample (material, sample);

  return g_steal_pointer (&material);
}

/* Items ------------------------------------------------------------------------------------ */

static const char *
item_level_to_string (OwItemLevel level)
{
  switch (level)
    {
    case OW_ITEM_LEVEL_PROVINCE:
      return "province";
    case OW_ITEM_LEVEL_CITY:
      return "city";
    case OW_ITEM_LEVEL_COUNTY:
      return "county";
    case OW_ITEM_LEVEL_TOWNSHIP:
      return "township";
    default:
      return NULL;
    }
}

static gboolean
item_level_from_string (const char  *text,
                        OwItemLevel *level)
{
  for (OwItemLevel l = OW_ITEM_LEVEL_PROVINCE; l <= OW_ITEM_LEVEL_TOWNSHIP; l++)
    if (g_strcmp0 (text, item_level_to_string (l)) == 0)
      {
        *level = l;
        return TRUE;
      }
  return FALSE;
}

static const guint target_codes[] = { 1, 2, 3, 4, 5, 6, 0 };
static const guint form_codes[] = { 1, 2, 3, 4, 9, 0 };

JsonNode *
ow_json_from_item (OwItem *item)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char * const *aliases;
  const char * const *faq;
  GListModel *materials;

  g_return_val_if_fail (OW_IS_ITEM (item), NULL);

  json_builder_begin_object (builder);
  add_text (builder, "id", ow_item_get_id (item));
  add_text (builder, "basic_code", ow_item_get_basic_code (item));
  add_text (builder, "name", ow_item_get_name (item));

  json_builder_set_member_name (builder, "aliases");
  json_builder_begin_array (builder);
  aliases = ow_item_get_aliases (item);
  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    json_builder_add_string_value (builder, aliases[i]);
  json_builder_end_array (builder);

  add_nullable_string (builder, "type", ow_item_type_to_code (ow_item_get_item_type (item)));
  add_nullable_string (builder, "level", item_level_to_string (ow_item_get_level (item)));
  add_text (builder, "department", ow_item_get_department (item));
  add_text (builder, "department_code", ow_item_get_department_code (item));
  json_builder_set_member_name (builder, "legal_limit");
  json_builder_add_int_value (builder, ow_item_get_legal_limit (item));
  json_builder_set_member_name (builder, "promised_limit");
  json_builder_add_int_value (builder, ow_item_get_promised_limit (item));
  add_text (builder, "conditions", ow_item_get_conditions (item));
  add_text (builder, "process", ow_item_get_process (item));
  add_text (builder, "quantity_limit", ow_item_get_quantity_limit (item));
  add_text (builder, "result_name", ow_item_get_result_name (item));
  add_text (builder, "result_sample", ow_item_get_result_sample (item));
  json_builder_set_member_name (builder, "charged");
  json_builder_add_boolean_value (builder, ow_item_get_charged (item));
  add_text (builder, "fee_basis", ow_item_get_fee_basis (item));
  add_text (builder, "place", ow_item_get_place (item));
  add_text (builder, "hours", ow_item_get_hours (item));
  add_text (builder, "phone", ow_item_get_phone (item));
  add_text (builder, "supervision_phone", ow_item_get_supervision_phone (item));
  json_builder_set_member_name (builder, "visits");
  json_builder_add_int_value (builder, ow_item_get_visits (item));
  json_builder_set_member_name (builder, "targets");
  json_builder_add_value (builder, node_for_codes (ow_item_get_targets (item)));
  json_builder_set_member_name (builder, "forms");
  json_builder_add_value (builder, node_for_codes (ow_item_get_forms (item)));

  json_builder_set_member_name (builder, "materials");
  json_builder_begin_array (builder);
  materials = ow_item_get_materials (item);
  for (guint i = 0; i < g_list_model_get_n_items (materials); i++)
    {
      g_autoptr(OwMaterial) material = g_list_model_get_item (materials, i);
      json_builder_add_value (builder, ow_json_from_material (material));
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "faq");
  json_builder_begin_array (builder);
  faq = ow_item_get_faq (item);
  for (guint i = 0; faq != NULL && faq[i] != NULL && faq[i + 1] != NULL; i += 2)
    {
      json_builder_begin_object (builder);
      add_text (builder, "q", faq[i]);
      add_text (builder, "a", faq[i + 1]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
read_item_faq (JsonObject  *object,
               OwItem      *item,
               char       **field,
               GError     **error)
{
  g_autoptr(GStrvBuilder) pairs = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  JsonArray *array;

  if (!read_array (object, NULL, "faq", FIELD_OPTIONAL, &array, field, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *at = index_name (NULL, "faq", i);
      g_autofree char *q = NULL, *a = NULL;
      JsonObject *entry;

      if ((entry = require_object (json_array_get_element (array, i), at, field, error)) == NULL)
        return FALSE;
      if (!read_string (entry, at, "q", FIELD_REQUIRED, &q, field, error) ||
          !read_string (entry, at, "a", FIELD_REQUIRED, &a, field, error))
        return FALSE;
      g_strv_builder_add (pairs, q);
      g_strv_builder_add (pairs, a);
    }

  strv = g_strv_builder_end (pairs);
  ow_item_set_faq (item, (const char * const *) strv);
  return TRUE;
}

OwItem *
ow_json_to_item (JsonNode    *node,
                 char       **field,
                 GError     **error)
{
  g_autoptr(OwItem) item = NULL;
  g_autofree char *id = NULL, *name = NULL, *basic_code = NULL, *type = NULL, *level = NULL;
  g_autofree char *department = NULL, *department_code = NULL, *conditions = NULL;
  g_autofree char *process = NULL, *quantity = NULL, *result_name = NULL, *result_sample = NULL;
  g_autofree char *fee_basis = NULL, *place = NULL, *hours = NULL, *phone = NULL;
  g_autofree char *supervision = NULL;
  g_auto(GStrv) aliases = NULL;
  guint legal = 0, promised = 0, visits = 0, targets = 0, forms = 0;
  gboolean charged = FALSE;
  JsonArray *materials;
  JsonObject *object;

  if ((object = require_object (node, NULL, field, error)) == NULL)
    return NULL;

  if (!read_string (object, NULL, "id", FIELD_REQUIRED, &id, field, error) ||
      !read_string (object, NULL, "name", FIELD_REQUIRED, &name, field, error) ||
      !read_string (object, NULL, "basic_code", FIELD_OPTIONAL, &basic_code, field, error) ||
      !read_strv (object, NULL, "aliases", &aliases, field, error) ||
      !read_string (object, NULL, "type", FIELD_OPTIONAL, &type, field, error) ||
      !read_string (object, NULL, "level", FIELD_OPTIONAL, &level, field, error) ||
      !read_string (object, NULL, "department", FIELD_OPTIONAL, &department, field, error) ||
      !read_string (object, NULL, "department_code", FIELD_OPTIONAL, &department_code, field,
                    error) ||
      !read_uint (object, NULL, "legal_limit", FIELD_OPTIONAL, 3650, &legal, field, error) ||
      !read_uint (object, NULL, "promised_limit", FIELD_OPTIONAL, 3650, &promised, field,
                  error) ||
      !read_string (object, NULL, "conditions", FIELD_OPTIONAL, &conditions, field, error) ||
      !read_string (object, NULL, "process", FIELD_OPTIONAL, &process, field, error) ||
      !read_string (object, NULL, "quantity_limit", FIELD_OPTIONAL, &quantity, field, error) ||
      !read_string (object, NULL, "result_name", FIELD_OPTIONAL, &result_name, field, error) ||
      !read_string (object, NULL, "result_sample", FIELD_OPTIONAL, &result_sample, field,
                    error) ||
      !read_bool (object, NULL, "charged", &charged, field, error) ||
      !read_string (object, NULL, "fee_basis", FIELD_OPTIONAL, &fee_basis, field, error) ||
      !read_string (object, NULL, "place", FIELD_OPTIONAL, &place, field, error) ||
      !read_string (object, NULL, "hours", FIELD_OPTIONAL, &hours, field, error) ||
      !read_string (object, NULL, "phone", FIELD_OPTIONAL, &phone, field, error) ||
      !read_string (object, NULL, "supervision_phone", FIELD_OPTIONAL, &supervision, field,
                    error) ||
      !read_uint (object, NULL, "visits", FIELD_OPTIONAL, 99, &visits, field, error) ||
      !read_code_flags (object, NULL, "targets", target_codes, &targets, field, error) ||
      !read_code_flags (object, NULL, "forms", form_codes, &forms, field, error) ||
      !read_array (object, NULL, "materials", FIELD_OPTIONAL, &materials, field, error))
    return NULL;

  if (*id == '\0' || g_utf8_strlen (id, -1) > 24)
    {
      fail (field, error, NULL, "id", _("must have 1 to 24 characters"));
      return NULL;
    }
  if (basic_code != NULL && g_utf8_strlen (basic_code, -1) > 10)
    {
      fail (field, error, NULL, "basic_code", _("must have at most 10 characters"));
      return NULL;
    }
  if (promised > legal && legal != 0)
    {
      fail (field, error, NULL, "promised_limit", _("must not exceed the legal limit"));
      return NULL;
    }

  item = ow_item_new (id, name);
  if (basic_code != NULL)
    ow_item_set_basic_code (item, basic_code);
  if (aliases != NULL)
    ow_item_set_aliases (item, (const char * const *) aliases);
  if (type != NULL)
    {
      OwItemType value;

      if (!ow_item_type_from_code (type, &value))
        {
          fail (field, error, NULL, "type", _("“%s” is not an item type code of GB/T 39046"),
                type);
          return NULL;
        }
      ow_item_set_item_type (item, value);
    }
  if (level != NULL)
    {
      OwItemLevel value;

      if (!item_level_from_string (level, &value))
        {
          fail (field, error, NULL, "level",
                _("must be “province”, “city”, “county” or “township”, not “%s”"), level);
          return NULL;
        }
      ow_item_set_level (item, value);
    }
  if (department != NULL || department_code != NULL)
    ow_item_set_department (item, department, department_code);
  ow_item_set_limits (item, legal, promised);
  if (conditions != NULL)
    ow_item_set_conditions (item, conditions);
  if (process != NULL)
    ow_item_set_process (item, process);
  if (quantity != NULL)
    ow_item_set_quantity_limit (item, quantity);
  if (result_name != NULL || result_sample != NULL)
    ow_item_set_result (item, result_name, result_sample);
  ow_item_set_fee (item, charged, fee_basis);
  if (place != NULL || hours != NULL || phone != NULL || supervision != NULL)
    ow_item_set_contact (item, place, hours, phone, supervision);
  ow_item_set_visits (item, visits);
  ow_item_set_targets (item, targets);
  ow_item_set_forms (item, forms);

  for (guint i = 0; materials != NULL && i < json_array_get_length (materials); i++)
    {
      g_autofree char *at = index_name (NULL, "materials", i);
      g_autoptr(OwMaterial) material = NULL;

      material = ow_json_to_material (json_array_get_element (materials, i), at, field, error);
      if (material == NULL)
        return NULL;
      if (ow_item_find_material (item, ow_material_get_id (material)) != NULL)
        {
          fail (field, error, at, "id", _("“%s” is used by two materials of the item"),
                ow_material_get_id (material));
          return NULL;
        }
      ow_item_add_material (item, material);
    }

  if (!read_item_faq (object, item, field, error))
    return NULL;

  return g_steal_pointer (&item);
}

/* Catalog ---------------------------------------------------------------------------------- */

static OwBundle *
bundle_from_json (JsonNode    *node,
                  const char  *prefix,
                  char       **field,
                  GError     **error)
{
  g_autofree char *id = NULL, *name = NULL, *description = NULL;
  g_auto(GStrv) items = NULL;
  JsonObject *object;

  if ((object = require_object (node, prefix, field, error)) == NULL)
    return NULL;
  if (!read_string (object, prefix, "id", FIELD_REQUIRED, &id, field, error) ||
      !read_string (object, prefix, "name", FIELD_REQUIRED, &name, field, error) ||
      !read_string (object, prefix, "description", FIELD_OPTIONAL, &description, field, error) ||
      !read_strv (object, prefix, "items", &items, field, error))
    return NULL;
  if (items == NULL || items[0] == NULL)
    {
      fail (field, error, prefix, "items", _("must name at least one item"));
      return NULL;
    }

  return ow_bundle_new (id, name, description, (const char * const *) items);
}

OwBundle *
ow_json_to_bundle (JsonNode    *node,
                   const char  *prefix,
                   GError     **error)
{
  return bundle_from_json (node, prefix, NULL, error);
}

OwCatalog *
ow_json_to_catalog (JsonNode  *node,
                    GError   **error)
{
  g_autoptr(OwCatalog) catalog = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *field = NULL;
  JsonArray *items, *bundles;
  JsonObject *object;
  JsonNode *revision;

  if ((object = require_object (node, NULL, NULL, error)) == NULL)
    return NULL;

  revision = lookup_member (object, "revision");
  if (revision == NULL || !JSON_NODE_HOLDS_VALUE (revision) ||
      json_node_get_value_type (revision) != G_TYPE_INT64 || json_node_get_int (revision) < 0)
    {
      fail (NULL, error, NULL, "revision", _("must be a whole number of at least 0"));
      return NULL;
    }
  if (!read_array (object, NULL, "items", FIELD_REQUIRED, &items, &field, error) ||
      !read_array (object, NULL, "bundles", FIELD_OPTIONAL, &bundles, &field, error))
    return NULL;

  catalog = ow_catalog_new ();
  ow_catalog_set_revision (catalog, json_node_get_int (revision));
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *at = index_name (NULL, "items", i);
      g_autoptr(OwItem) item = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (items, i)))
        {
          fail (NULL, error, at, NULL, _("must be an object"));
          return NULL;
        }
      item = ow_json_to_item (json_array_get_element (items, i), &field, &local_error);
      if (item == NULL)
        {
          /* The item decoder names fields relative to the item; say which item it was. */
          g_set_error (error, OW_CORE_ERROR, local_error->code, "%s.%s", at,
                       local_error->message);
          return NULL;
        }
      if (!g_hash_table_add (seen, g_strdup (ow_item_get_id (item))))
        {
          fail (NULL, error, at, "id", _("“%s” is used by two items"), ow_item_get_id (item));
          return NULL;
        }
      ow_catalog_add_item (catalog, item);
    }

  for (guint i = 0; bundles != NULL && i < json_array_get_length (bundles); i++)
    {
      g_autofree char *at = index_name (NULL, "bundles", i);
      g_autoptr(OwBundle) bundle = NULL;

      bundle = bundle_from_json (json_array_get_element (bundles, i), at, NULL, error);
      if (bundle == NULL)
        return NULL;
      for (guint j = 0; bundle->item_ids[j] != NULL; j++)
        if (!g_hash_table_contains (seen, bundle->item_ids[j]))
          {
            g_autofree char *item_at = index_name (at, "items", j);
            fail (NULL, error, item_at, NULL, _("“%s” is not an item of the catalog"),
                  bundle->item_ids[j]);
            return NULL;
          }
      ow_catalog_add_bundle (catalog, bundle);
    }

  return g_steal_pointer (&catalog);
}

/* Cases ------------------------------------------------------------------------------------ */

static JsonNode *
node_from_case_material (const OwCaseMaterial *material)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_nullable_string (builder, "material_id", material->material_id);
  add_nullable_string (builder, "name", material->name);
  add_nullable_string (builder, "status", ow_material_status_to_string (material->status));
  json_builder_set_member_name (builder, "originals");
  json_builder_add_int_value (builder, material->originals);
  json_builder_set_member_name (builder, "copies");
  json_builder_add_int_value (builder, material->copies);
  add_nullable_string (builder, "licence_no", material->licence_no);
  add_nullable_date (builder, "due_date", &material->due_date);
  add_nullable_string (builder, "note", material->note);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; material->files != NULL && i < material->files->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (material->files, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
ow_json_from_case (OwCase *kase)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const OwApplicant *agent;
  GDateTime *received_at;
  GPtrArray *items, *materials;
  const char *refusal;

  g_return_val_if_fail (OW_IS_CASE (kase), NULL);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "case_no", ow_case_get_case_no (kase));
  add_nullable_string (builder, "query_code", ow_case_get_query_code (kase));
  add_nullable_string (builder, "state", ow_case_state_to_string (ow_case_get_state (kase)));
  add_nullable_string (builder, "hall", ow_case_get_hall (kase));
  json_builder_set_member_name (builder, "counter");
  json_builder_add_int_value (builder, ow_case_get_counter (kase));
  add_nullable_string (builder, "clerk", ow_case_get_clerk (kase));

  json_builder_set_member_name (builder, "received_at");
  received_at = ow_case_get_received_at (kase);
  if (received_at != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (received_at);
      g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);

  add_nullable_date (builder, "promised_date", ow_case_get_promised_date (kase));
  add_nullable_string (builder, "document_no", ow_case_get_document_no (kase));

  json_builder_set_member_name (builder, "applicant");
  if (ow_case_get_applicant (kase) != NULL)
    json_builder_add_value (builder, ow_json_from_applicant (ow_case_get_applicant (kase)));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "agent");
  agent = ow_case_get_agent (kase);
  if (agent != NULL)
    json_builder_add_value (builder, ow_json_from_applicant (agent));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  items = ow_case_get_items (kase);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "item_id", item->item_id);
      add_nullable_string (builder, "basic_code", item->basic_code);
      add_nullable_string (builder, "name", item->name);
      add_nullable_string (builder, "department", item->department);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "materials");
  json_builder_begin_array (builder);
  materials = ow_case_get_materials (kase);
  for (guint i = 0; materials != NULL && i < materials->len; i++)
    json_builder_add_value (builder, node_from_case_material (g_ptr_array_index (materials, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "delivery");
  json_builder_begin_object (builder);
  add_nullable_string (builder, "kind", ow_delivery_kind_to_string (ow_case_get_delivery (kase)));
  add_nullable_string (builder, "recipient", ow_case_get_post_recipient (kase));
  add_nullable_string (builder, "phone", ow_case_get_post_phone (kase));
  add_nullable_string (builder, "address", ow_case_get_post_address (kase));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "refusal");
  refusal = ow_case_get_refusal_reason (kase);
  if (refusal != NULL)
    {
      json_builder_begin_object (builder);
      add_nullable_string (builder, "reason", refusal);
      add_nullable_string (builder, "competent_organ", ow_case_get_competent_organ (kase));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  /* Added after v1's first cases: left out when unknown, so that a case an outbox filled before
   * the member existed keeps its canonical form and still compares equal. */
  if (ow_case_get_channel (kase) != OW_CASE_CHANNEL_NONE)
    {
      json_builder_set_member_name (builder, "channel");
      json_builder_add_string_value (builder,
                                     ow_case_channel_to_string (ow_case_get_channel (kase)));
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
is_sha256_hex (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static OwCaseMaterial *
case_material_from_json (JsonNode    *node,
                         const char  *prefix,
                         char       **field,
                         GError     **error)
{
  g_autoptr(OwCaseMaterial) material = NULL;
  g_autofree char *id = NULL, *name = NULL, *status = NULL, *licence_no = NULL, *note = NULL;
  g_auto(GStrv) files = NULL;
  guint originals = 0, copies = 0;
  OwMaterialStatus status_value;
  GDate due_date;
  JsonObject *object;

  if ((object = require_object (node, prefix, field, error)) == NULL)
    return NULL;
  if (!read_string (object, prefix, "material_id", FIELD_REQUIRED, &id, field, error) ||
      !read_string (object, prefix, "name", FIELD_REQUIRED, &name, field, error) ||
      !read_string (object, prefix, "status", FIELD_REQUIRED, &status, field, error) ||
      !read_uint (object, prefix, "originals", FIELD_OPTIONAL, 999, &originals, field, error) ||
      !read_uint (object, prefix, "copies", FIELD_OPTIONAL, 999, &copies, field, error) ||
      !read_string (object, prefix, "licence_no", FIELD_OPTIONAL, &licence_no, field, error) ||
      !read_date (object, prefix, "due_date", FIELD_OPTIONAL, &due_date, field, error) ||
      !read_string (object, prefix, "note", FIELD_OPTIONAL, &note, field, error) ||
      !read_strv (object, prefix, "files", &files, field, error))
    return NULL;

  if (!ow_material_status_from_string (status, &status_value))
    {
      fail (field, error, prefix, "status", _("“%s” is not a material status"), status);
      return NULL;
    }

  material = ow_case_material_new (id, name);
  material->status = status_value;
  material->originals = originals;
  material->copies = copies;
  material->licence_no = g_steal_pointer (&licence_no);
  material->due_date = due_date;
  material->note = g_steal_pointer (&note);
  if (material->files == NULL)
    material->files = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      if (!is_sha256_hex (files[i]))
        {
          g_autofree char *at = index_name (prefix, "files", i);
          fail (field, error, at, NULL, _("must be a SHA-256 digest in hexadecimal"));
          return NULL;
        }
      g_ptr_array_add (material->files, g_ascii_strdown (files[i], -1));
    }

  return g_steal_pointer (&material);
}

static gboolean
read_case_items (JsonObject  *object,
                 OwCase      *kase,
                 char       **field,
                 GError     **error)
{
  JsonArray *items;

  if (!read_array (object, NULL, "items", FIELD_REQUIRED, &items, field, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *at = index_name (NULL, "items", i);
      g_autofree char *item_id = NULL, *basic_code = NULL, *name = NULL, *department = NULL;
      JsonObject *entry;

      if ((entry = require_object (json_array_get_element (items, i), at, field, error)) == NULL)
        return FALSE;
      if (!read_string (entry, at, "item_id", FIELD_REQUIRED, &item_id, field, error) ||
          !read_string (entry, at, "basic_code", FIELD_OPTIONAL, &basic_code, field, error) ||
          !read_string (entry, at, "name", FIELD_REQUIRED, &name, field, error) ||
          !read_string (entry, at, "department", FIELD_OPTIONAL, &department, field, error))
        return FALSE;
      ow_case_add_item (kase, ow_case_item_new (item_id, basic_code, name, department));
    }

  return TRUE;
}

static gboolean
read_case_materials (JsonObject  *object,
                     OwCase      *kase,
                     char       **field,
                     GError     **error)
{
  JsonArray *materials;

  if (!read_array (object, NULL, "materials", FIELD_OPTIONAL, &materials, field, error))
    return FALSE;

  for (guint i = 0; materials != NULL && i < json_array_get_length (materials); i++)
    {
      g_autofree char *at = index_name (NULL, "materials", i);
      OwCaseMaterial *material;

      material = case_material_from_json (json_array_get_element (materials, i), at, field, error);
      if (material == NULL)
        return FALSE;
      if (ow_case_find_material (kase, material->material_id) != NULL)
        {
          fail (field, error, at, "material_id", _("“%s” appears twice"), material->material_id);
          ow_case_material_free (material);
          return FALSE;
        }
      ow_case_add_material (kase, material);
    }

  return TRUE;
}

static gboolean
read_case_delivery (JsonObject  *object,
                    OwCase      *kase,
                    char       **field,
                    GError     **error)
{
  g_autofree char *kind = NULL, *recipient = NULL, *phone = NULL, *address = NULL;
  OwDeliveryKind kind_value;
  JsonNode *node;
  JsonObject *delivery;

  if (!read_object (object, NULL, "delivery", FIELD_OPTIONAL, &node, field, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  delivery = json_node_get_object (node);
  if (!read_string (delivery, "delivery", "kind", FIELD_REQUIRED, &kind, field, error) ||
      !read_string (delivery, "delivery", "recipient", FIELD_OPTIONAL, &recipient, field, error) ||
      !read_string (delivery, "delivery", "phone", FIELD_OPTIONAL, &phone, field, error) ||
      !read_string (delivery, "delivery", "address", FIELD_OPTIONAL, &address, field, error))
    return FALSE;
  if (!ow_delivery_kind_from_string (kind, &kind_value))
    return fail (field, error, "delivery", "kind", _("must be “pickup” or “post”, not “%s”"),
                 kind);

  ow_case_set_delivery (kase, kind_value, recipient, phone, address);
  return TRUE;
}

static gboolean
read_case_refusal (JsonObject  *object,
                   OwCase      *kase,
                   char       **field,
                   GError     **error)
{
  g_autofree char *reason = NULL, *organ = NULL;
  JsonNode *node;
  JsonObject *refusal;

  if (!read_object (object, NULL, "refusal", FIELD_OPTIONAL, &node, field, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  refusal = json_node_get_object (node);
  if (!read_string (refusal, "refusal", "reason", FIELD_REQUIRED, &reason, field, error) ||
      !read_string (refusal, "refusal", "competent_organ", FIELD_OPTIONAL, &organ, field, error))
    return FALSE;

  ow_case_set_refusal (kase, reason, organ);
  return TRUE;
}

OwCase *
ow_json_to_case (JsonNode    *node,
                 char       **field,
                 GError     **error)
{
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *case_no = NULL, *query_code = NULL, *state = NULL, *hall = NULL;
  g_autofree char *clerk = NULL, *document_no = NULL, *channel = NULL;
  g_autoptr(GDateTime) received_at = NULL;
  g_autoptr(OwApplicant) applicant = NULL;
  g_autoptr(OwApplicant) agent = NULL;
  JsonNode *applicant_node, *agent_node;
  OwCaseState state_value;
  OwCaseChannel channel_value = OW_CASE_CHANNEL_NONE;
  guint counter = 0;
  GDate promised;
  JsonObject *object;

  if ((object = require_object (node, NULL, field, error)) == NULL)
    return NULL;

  if (!read_string (object, NULL, "case_no", FIELD_REQUIRED, &case_no, field, error) ||
      !read_string (object, NULL, "query_code", FIELD_OPTIONAL, &query_code, field, error) ||
      !read_string (object, NULL, "state", FIELD_REQUIRED, &state, field, error) ||
      !read_string (object, NULL, "hall", FIELD_OPTIONAL, &hall, field, error) ||
      !read_uint (object, NULL, "counter", FIELD_OPTIONAL, 99, &counter, field, error) ||
      !read_string (object, NULL, "clerk", FIELD_OPTIONAL, &clerk, field, error) ||
      !read_datetime (object, NULL, "received_at", &received_at, field, error) ||
      !read_date (object, NULL, "promised_date", FIELD_OPTIONAL, &promised, field, error) ||
      !read_string (object, NULL, "document_no", FIELD_OPTIONAL, &document_no, field, error) ||
      !read_object (object, NULL, "applicant", FIELD_REQUIRED, &applicant_node, field, error) ||
      !read_object (object, NULL, "agent", FIELD_OPTIONAL, &agent_node, field, error) ||
      !read_string (object, NULL, "channel", FIELD_OPTIONAL, &channel, field, error))
    return NULL;

  if (!ow_case_state_from_string (state, &state_value))
    {
      fail (field, error, NULL, "state", _("“%s” is not a case state"), state);
      return NULL;
    }
  if (channel != NULL && !ow_case_channel_from_string (channel, &channel_value))
    {
      fail (field, error, NULL, "channel",
            _("“%s” is not a channel a case comes through (window, online, mobile, "
              "self-service or post)"), channel);
      return NULL;
    }

  applicant = ow_json_to_applicant (applicant_node, "applicant", field, error);
  if (applicant == NULL)
    return NULL;
  if (agent_node != NULL)
    {
      agent = ow_json_to_applicant (agent_node, "agent", field, error);
      if (agent == NULL)
        return NULL;
    }

  kase = ow_case_new (case_no);
  if (query_code != NULL)
    ow_case_set_query_code (kase, query_code);
  ow_case_set_state (kase, state_value);
  if (hall != NULL || counter != 0 || clerk != NULL)
    ow_case_set_origin (kase, hall, counter, clerk);
  if (received_at != NULL)
    ow_case_set_received_at (kase, received_at);
  if (g_date_valid (&promised))
    ow_case_set_promised_date (kase, &promised);
  if (document_no != NULL)
    ow_case_set_document_no (kase, document_no);
  ow_case_set_applicant (kase, applicant);
  if (agent != NULL)
    ow_case_set_agent (kase, agent);
  ow_case_set_channel (kase, channel_value);

  if (!read_case_items (object, kase, field, error) ||
      !read_case_materials (object, kase, field, error) ||
      !read_case_delivery (object, kase, field, error) ||
      !read_case_refusal (object, kase, field, error))
    return NULL;

  return g_steal_pointer (&kase);
}

/* Case events ------------------------------------------------------------------------------ */

#define MAX_EVENT_ID          64
#define MAX_EVENT_NOTE        2000
#define MAX_EVENT_WAYBILL     64
#define MAX_EVENT_DOCUMENT_NO 100

void
ow_json_case_event_free (OwJsonCaseEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_clear_pointer (&event->at, g_date_time_unref);
  g_free (event->note);
  g_free (event->waybill);
  g_free (event->document_no);
  g_clear_pointer (&event->materials, g_ptr_array_unref);
  g_free (event->carrier);
  g_clear_pointer (&event->collector, ow_collector_free);
  g_clear_pointer (&event->results, g_ptr_array_unref);
  g_free (event);
}

OwJsonCaseEvent *
ow_json_case_event_copy (const OwJsonCaseEvent *event)
{
  OwJsonCaseEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = g_new0 (OwJsonCaseEvent, 1);
  copy->id = g_strdup (event->id);
  copy->kind = event->kind;
  copy->at = event->at != NULL ? g_date_time_ref (event->at) : NULL;
  copy->note = g_strdup (event->note);
  copy->waybill = g_strdup (event->waybill);
  g_date_clear (&copy->promised_date, 1);
  if (g_date_valid (&event->promised_date))
    copy->promised_date = event->promised_date;
  copy->document_no = g_strdup (event->document_no);
  if (event->materials != NULL)
    copy->materials = g_ptr_array_copy (event->materials, (GCopyFunc) ow_case_material_copy,
                                        NULL);
  if (copy->materials != NULL)
    g_ptr_array_set_free_func (copy->materials, (GDestroyNotify) ow_case_material_free);
  copy->carrier = g_strdup (event->carrier);
  if (event->collector != NULL)
    copy->collector = ow_collector_copy (event->collector);
  if (event->results != NULL)
    {
      copy->results = g_ptr_array_copy (event->results, (GCopyFunc) ow_handover_result_copy,
                                        NULL);
      g_ptr_array_set_free_func (copy->results, (GDestroyNotify) ow_handover_result_free);
    }
  return copy;
}

/* An arrived line as it travels: what the counter saw of it, not the catalog's name. */
static JsonNode *
node_from_event_material (const OwCaseMaterial *material)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_nullable_string (builder, "material_id", material->material_id);
  add_nullable_string (builder, "status", ow_material_status_to_string (material->status));
  json_builder_set_member_name (builder, "originals");
  json_builder_add_int_value (builder, material->originals);
  json_builder_set_member_name (builder, "copies");
  json_builder_add_int_value (builder, material->copies);
  add_nullable_string (builder, "licence_no", material->licence_no);
  add_nullable_string (builder, "note", material->note);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; material->files != NULL && i < material->files->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (material->files, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
node_from_collector (const OwCollector *collector)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_nullable_string (builder, "kind", ow_collector_kind_to_string (collector->kind));
  add_nullable_string (builder, "name", collector->name);
  add_nullable_string (builder, "id_number", collector->id_number);
  /* An agent's members only for an agent: the applicant's collector is kind, name and ID. */
  if (collector->phone != NULL)
    add_nullable_string (builder, "phone", collector->phone);
  if (collector->letter_files != NULL && collector->letter_files->len > 0)
    {
      json_builder_set_member_name (builder, "letter_files");
      json_builder_begin_array (builder);
      for (guint i = 0; i < collector->letter_files->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (collector->letter_files, i));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
node_from_results (GPtrArray *results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      const OwHandoverResult *result = g_ptr_array_index (results, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "name", result->name);
      add_nullable_string (builder, "number", result->number);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

JsonNode *
ow_json_from_case_event (const OwJsonCaseEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *at = NULL;

  g_return_val_if_fail (event != NULL && event->id != NULL && event->at != NULL, NULL);

  utc = g_date_time_to_utc (event->at);
  at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, event->id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, ow_case_event_kind_to_string (event->kind));
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, at);
  add_nullable_string (builder, "note", event->note);
  add_nullable_string (builder, "waybill", event->waybill);
  /* Later members only when they say something: an event without them keeps the canonical
   * form it always had, so that an outbox's resend still compares equal. */
  if (g_date_valid (&event->promised_date))
    add_nullable_date (builder, "promised_date", &event->promised_date);
  if (event->document_no != NULL)
    add_nullable_string (builder, "document_no", event->document_no);
  if (event->materials != NULL && event->materials->len > 0)
    {
      json_builder_set_member_name (builder, "materials");
      json_builder_begin_array (builder);
      for (guint i = 0; i < event->materials->len; i++)
        json_builder_add_value (builder,
                                node_from_event_material (g_ptr_array_index (event->materials,
                                                                             i)));
      json_builder_end_array (builder);
    }
  if (event->carrier != NULL)
    add_nullable_string (builder, "carrier", event->carrier);
  if (event->collector != NULL)
    {
      json_builder_set_member_name (builder, "collector");
      json_builder_add_value (builder, node_from_collector (event->collector));
    }
  if (event->results != NULL && event->results->len > 0)
    {
      json_builder_set_member_name (builder, "results");
      json_builder_add_value (builder, node_from_results (event->results));
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Ids travel in paths, logs and the feed: a narrow alphabet keeps them harmless there. */
static gboolean
is_event_id (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > MAX_EVENT_ID)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

static gboolean
is_blank_text (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* One arrived line, in the shape only; ow_json_case_event_validate() checks the rules. */
static OwCaseMaterial *
event_material_from_json (JsonNode    *node,
                          const char  *prefix,
                          char       **field,
                          GError     **error)
{
  g_autoptr(OwCaseMaterial) material = NULL;
  g_autofree char *id = NULL, *status = NULL, *licence_no = NULL, *note = NULL;
  g_auto(GStrv) files = NULL;
  guint originals = 0, copies = 0;
  OwMaterialStatus status_value;
  JsonObject *object;

  if ((object = require_object (node, prefix, field, error)) == NULL)
    return NULL;
  if (!read_string (object, prefix, "material_id", FIELD_REQUIRED, &id, field, error) ||
      !read_string (object, prefix, "status", FIELD_REQUIRED, &status, field, error) ||
      !read_uint (object, prefix, "originals", FIELD_REQUIRED, 999, &originals, field, error) ||
      !read_uint (object, prefix, "copies", FIELD_REQUIRED, 999, &copies, field, error) ||
      !read_string (object, prefix, "licence_no", FIELD_OPTIONAL, &licence_no, field, error) ||
      !read_string (object, prefix, "note", FIELD_OPTIONAL, &note, field, error) ||
      !read_strv (object, prefix, "files", &files, field, error))
    return NULL;

  if (!ow_material_status_from_string (status, &status_value))
    {
      fail (field, error, prefix, "status", _("“%s” is not a material status"), status);
      return NULL;
    }

  material = ow_case_material_new (id, NULL);
  material->status = status_value;
  material->originals = originals;
  material->copies = copies;
  material->licence_no = g_steal_pointer (&licence_no);
  material->note = g_steal_pointer (&note);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      if (!is_sha256_hex (files[i]))
        {
          g_autofree char *at = index_name (prefix, "files", i);
          fail (field, error, at, NULL, _("must be a SHA-256 digest in hexadecimal"));
          return NULL;
        }
      g_ptr_array_add (material->files, g_ascii_strdown (files[i], -1));
    }

  return g_steal_pointer (&material);
}

static gboolean
read_event_materials (JsonObject       *object,
                      OwJsonCaseEvent  *event,
                      char            **field,
                      GError          **error)
{
  JsonArray *lines;

  if (!read_array (object, NULL, "materials", FIELD_OPTIONAL, &lines, field, error))
    return FALSE;
  if (lines == NULL || json_array_get_length (lines) == 0)
    return TRUE;

  event->materials = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      g_autofree char *at = index_name (NULL, "materials", i);
      OwCaseMaterial *material;

      material = event_material_from_json (json_array_get_element (lines, i), at, field, error);
      if (material == NULL)
        return FALSE;
      g_ptr_array_add (event->materials, material);
    }
  return TRUE;
}

/* The collector in the shape only; ow_collector_validate() checks the rules. */
static gboolean
read_event_collector (JsonObject       *object,
                      OwJsonCaseEvent  *event,
                      char            **field,
                      GError          **error)
{
  g_autoptr(OwCollector) collector = NULL;
  g_autofree char *kind = NULL, *name = NULL, *id_number = NULL, *phone = NULL;
  g_auto(GStrv) files = NULL;
  OwCollectorKind kind_value;
  JsonNode *node;
  JsonObject *member;

  if (!read_object (object, NULL, "collector", FIELD_OPTIONAL, &node, field, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  member = json_node_get_object (node);
  if (!read_string (member, "collector", "kind", FIELD_REQUIRED, &kind, field, error) ||
      !read_string (member, "collector", "name", FIELD_OPTIONAL, &name, field, error) ||
      !read_string (member, "collector", "id_number", FIELD_OPTIONAL, &id_number, field,
                    error) ||
      !read_string (member, "collector", "phone", FIELD_OPTIONAL, &phone, field, error) ||
      !read_strv (member, "collector", "letter_files", &files, field, error))
    return FALSE;
  if (!ow_collector_kind_from_string (kind, &kind_value))
    return fail (field, error, "collector", "kind",
                 _("“%s” is not who collects a result: applicant or agent"), kind);

  collector = ow_collector_new (kind_value);
  collector->name = g_steal_pointer (&name);
  collector->id_number = g_steal_pointer (&id_number);
  collector->phone = g_steal_pointer (&phone);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    g_ptr_array_add (collector->letter_files, g_strdup (files[i]));
  event->collector = g_steal_pointer (&collector);
  return TRUE;
}

static gboolean
read_event_results (JsonObject       *object,
                    OwJsonCaseEvent  *event,
                    char            **field,
                    GError          **error)
{
  JsonArray *results;

  if (!read_array (object, NULL, "results", FIELD_OPTIONAL, &results, field, error))
    return FALSE;
  if (results == NULL || json_array_get_length (results) == 0)
    return TRUE;

  event->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_handover_result_free);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      g_autofree char *at = index_name (NULL, "results", i);
      g_autofree char *name = NULL, *number = NULL;
      JsonObject *result;

      if ((result = require_object (json_array_get_element (results, i), at, field, error))
          == NULL)
        return FALSE;
      if (!read_string (result, at, "name", FIELD_OPTIONAL, &name, field, error) ||
          !read_string (result, at, "number", FIELD_OPTIONAL, &number, field, error))
        return FALSE;
      g_ptr_array_add (event->results, ow_handover_result_new (name, number));
    }
  return TRUE;
}

static gboolean
is_carrier_id (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > 32)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-')
      return FALSE;
  return TRUE;
}

/* The rules of the members the pick-up window added: carrier, collector, results. */
static gboolean
validate_pickup_members (const OwJsonCaseEvent  *event,
                         char                  **field,
                         GError                **error)
{
  if (event->carrier != NULL)
    {
      if (event->kind != OW_CASE_EVENT_MAILED)
        return fail (field, error, NULL, "carrier", _("is only taken by a “mailed” event"));
      if (!is_carrier_id (event->carrier))
        return fail (field, error, NULL, "carrier",
                     _("must be a carrier’s id: 1 to 32 letters, digits or hyphens"));
    }
  if (event->collector != NULL)
    {
      g_autofree char *member = NULL;
      g_autoptr(GError) local = NULL;

      if (event->kind != OW_CASE_EVENT_HANDED_OVER)
        return fail (field, error, NULL, "collector",
                     _("is only taken by a “handed-over” event"));
      if (!ow_collector_validate (event->collector, NULL, &member, &local))
        return fail (field, error, NULL, member, "%s", local->message);
    }
  if (event->results != NULL && event->results->len > 0)
    {
      g_autofree char *member = NULL;
      g_autoptr(GError) local = NULL;

      if (event->kind != OW_CASE_EVENT_HANDED_OVER && event->kind != OW_CASE_EVENT_MAILED)
        return fail (field, error, NULL, "results",
                     _("is only taken by a “handed-over” or “mailed” event"));
      if (!ow_handover_results_validate (event->results, &member, &local))
        return fail (field, error, NULL, member, "%s", local->message);
    }
  return TRUE;
}

gboolean
ow_json_case_event_validate (const OwJsonCaseEvent  *event,
                             char                  **field,
                             GError                **error)
{
  g_autoptr(GHashTable) seen = NULL;

  g_return_val_if_fail (event != NULL, FALSE);

  if (event->id == NULL || !is_event_id (event->id))
    return fail (field, error, NULL, "id",
                 _("must be 1 to %d letters, digits, hyphens or underscores, such as a UUID"),
                 MAX_EVENT_ID);
  if (ow_case_event_kind_to_string (event->kind) == NULL)
    return fail (field, error, NULL, "kind", _("is not a kind of case event"));
  if (event->at == NULL)
    return fail (field, error, NULL, "at", _("is required"));
  if (event->note != NULL && g_utf8_strlen (event->note, -1) > MAX_EVENT_NOTE)
    return fail (field, error, NULL, "note", _("is longer than %d characters"), MAX_EVENT_NOTE);
  if (event->waybill != NULL && g_utf8_strlen (event->waybill, -1) > MAX_EVENT_WAYBILL)
    return fail (field, error, NULL, "waybill", _("is longer than %d characters"),
                 MAX_EVENT_WAYBILL);
  if (event->kind == OW_CASE_EVENT_MAILED && (event->waybill == NULL || *event->waybill == '\0'))
    return fail (field, error, NULL, "waybill", _("is required for a mailed result"));

  if (g_date_valid (&event->promised_date)
      && event->kind != OW_CASE_EVENT_ACCEPTED && event->kind != OW_CASE_EVENT_RESUMED)
    return fail (field, error, NULL, "promised_date",
                 _("is only taken by an “accepted” or “resumed” event"));

  if (!validate_pickup_members (event, field, error))
    return FALSE;

  if (event->document_no != NULL)
    {
      if (event->kind != OW_CASE_EVENT_ACCEPTED)
        return fail (field, error, NULL, "document_no",
                     _("is only taken by an “accepted” event"));
      if (is_blank_text (event->document_no))
        return fail (field, error, NULL, "document_no", _("is empty"));
      if (g_utf8_strlen (event->document_no, -1) > MAX_EVENT_DOCUMENT_NO)
        return fail (field, error, NULL, "document_no", _("is longer than %d characters"),
                     MAX_EVENT_DOCUMENT_NO);
    }

  if (event->materials == NULL || event->materials->len == 0)
    return TRUE;
  if (event->kind != OW_CASE_EVENT_SUPPLEMENT_RECEIVED)
    return fail (field, error, NULL, "materials",
                 _("is only taken by a “supplement-received” event"));

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < event->materials->len; i++)
    {
      const OwCaseMaterial *line = g_ptr_array_index (event->materials, i);
      g_autofree char *at = index_name (NULL, "materials", i);

      if (is_blank_text (line->material_id))
        return fail (field, error, at, "material_id", _("is required"));
      if (!g_hash_table_add (seen, line->material_id))
        return fail (field, error, at, "material_id", _("“%s” appears twice"),
                     line->material_id);
      /* A line arrives: what did not is left out, and a tolerated gap is no arrival. */
      if (!ow_material_status_is_provided (line->status))
        return fail (field, error, at, "status",
                     _("must say how the material was provided: paper, scanned, shared or "
                       "licence"));
      if (line->status == OW_MATERIAL_STATUS_SCANNED
          && (line->files == NULL || line->files->len == 0))
        return fail (field, error, at, "files", _("a scanned material needs its pages"));
      if (line->status == OW_MATERIAL_STATUS_LICENCE && is_blank_text (line->licence_no))
        return fail (field, error, at, "licence_no",
                     _("is required for a material an electronic licence stands in for"));
      if (line->note != NULL && g_utf8_strlen (line->note, -1) > MAX_EVENT_NOTE)
        return fail (field, error, at, "note", _("is longer than %d characters"),
                     MAX_EVENT_NOTE);
      for (guint j = 0; line->files != NULL && j < line->files->len; j++)
        if (!is_sha256_hex (g_ptr_array_index (line->files, j)))
          {
            g_autofree char *file = index_name (at, "files", j);
            return fail (field, error, file, NULL, _("must be a SHA-256 digest in hexadecimal"));
          }
    }
  return TRUE;
}

OwJsonCaseEvent *
ow_json_to_case_event (JsonNode  *node,
                       char     **field,
                       GError   **error)
{
  g_autoptr(OwJsonCaseEvent) event = g_new0 (OwJsonCaseEvent, 1);
  g_autofree char *kind = NULL;
  JsonObject *object;

  g_date_clear (&event->promised_date, 1);
  if ((object = require_object (node, NULL, field, error)) == NULL)
    return NULL;

  if (!read_string (object, NULL, "id", FIELD_REQUIRED, &event->id, field, error))
    return NULL;
  if (!is_event_id (event->id))
    {
      fail (field, error, NULL, "id",
            _("must be 1 to %d letters, digits, hyphens or underscores, such as a UUID"),
            MAX_EVENT_ID);
      return NULL;
    }
  if (!read_string (object, NULL, "kind", FIELD_REQUIRED, &kind, field, error))
    return NULL;
  if (!ow_case_event_kind_from_string (kind, &event->kind))
    {
      fail (field, error, NULL, "kind", _("“%s” is not a kind of case event"), kind);
      return NULL;
    }
  if (!read_datetime (object, NULL, "at", &event->at, field, error))
    return NULL;
  if (event->at == NULL)
    {
      fail (field, error, NULL, "at", _("is required"));
      return NULL;
    }
  if (!read_string (object, NULL, "note", FIELD_OPTIONAL, &event->note, field, error) ||
      !read_string (object, NULL, "waybill", FIELD_OPTIONAL, &event->waybill, field, error) ||
      !read_date (object, NULL, "promised_date", FIELD_OPTIONAL, &event->promised_date, field,
                  error) ||
      !read_string (object, NULL, "document_no", FIELD_OPTIONAL, &event->document_no, field,
                    error) ||
      !read_event_materials (object, event, field, error) ||
      !read_string (object, NULL, "carrier", FIELD_OPTIONAL, &event->carrier, field, error) ||
      !read_event_collector (object, event, field, error) ||
      !read_event_results (object, event, field, error))
    return NULL;

  if (!ow_json_case_event_validate (event, field, error))
    return NULL;
  return g_steal_pointer (&event);
}

gboolean
ow_json_case_event_amend (const OwJsonCaseEvent  *event,
                          OwCase                 *kase,
                          char                  **field,
                          GError                **error)
{
  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (OW_IS_CASE (kase), FALSE);

  /* Every line first: a line the case does not have changes nothing at all. */
  for (guint i = 0; event->materials != NULL && i < event->materials->len; i++)
    {
      const OwCaseMaterial *line = g_ptr_array_index (event->materials, i);

      if (ow_case_find_material (kase, line->material_id) == NULL)
        {
          g_autofree char *at = index_name (NULL, "materials", i);

          return fail (field, error, at, "material_id",
                       _("“%s” is not a material of this case"), line->material_id);
        }
    }

  for (guint i = 0; event->materials != NULL && i < event->materials->len; i++)
    {
      const OwCaseMaterial *line = g_ptr_array_index (event->materials, i);
      OwCaseMaterial *material = ow_case_find_material (kase, line->material_id);

      material->status = line->status;
      material->originals = line->originals;
      material->copies = line->copies;
      g_free (material->licence_no);
      material->licence_no = g_strdup (line->licence_no);
      g_free (material->note);
      material->note = g_strdup (line->note);
      g_date_clear (&material->due_date, 1);
      if (material->files == NULL)
        material->files = g_ptr_array_new_with_free_func (g_free);
      else
        g_ptr_array_set_size (material->files, 0);
      for (guint j = 0; line->files != NULL && j < line->files->len; j++)
        g_ptr_array_add (material->files, g_strdup (g_ptr_array_index (line->files, j)));
    }
  if (g_date_valid (&event->promised_date))
    ow_case_set_promised_date (kase, &event->promised_date);
  if (event->document_no != NULL)
    ow_case_set_document_no (kase, event->document_no);
  return TRUE;
}

/* Tickets ---------------------------------------------------------------------------------- */

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  json_builder_set_member_name (builder, name);
  if (time != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
      g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_ticket_request_members (JsonBuilder    *builder,
                            const OwTicket *ticket)
{
  add_nullable_string (builder, "id", ticket->id);
  add_time (builder, "registered_at", ticket->registered_at);
  add_nullable_string (builder, "tier", ow_ticket_tier_to_string (ticket->tier));
  add_nullable_string (builder, "summary", ticket->summary);
  add_nullable_string (builder, "contact_name", ticket->contact_name);
  add_nullable_string (builder, "contact_phone", ticket->contact_phone);
  add_nullable_string (builder, "case_no", ticket->case_no);
  add_nullable_string (builder, "rating_id", ticket->rating_id);
  add_nullable_string (builder, "channel", ticket->channel);
  add_nullable_string (builder, "item_id", ticket->item_id);
  add_nullable_string (builder, "category", ticket->category);
}

JsonNode *
ow_json_from_ticket_request (const OwTicket *ticket)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ticket != NULL && ticket->id != NULL, NULL);

  json_builder_begin_object (builder);
  add_ticket_request_members (builder, ticket);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
ow_json_from_ticket (const OwTicket *ticket)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ticket != NULL && ticket->id != NULL, NULL);

  json_builder_begin_object (builder);
  add_ticket_request_members (builder, ticket);
  add_nullable_string (builder, "hall", ticket->hall);
  add_nullable_string (builder, "state", ow_ticket_state_to_string (ticket->state));
  add_nullable_string (builder, "assignee", ticket->assignee);
  add_nullable_date (builder, "due_date", &ticket->due_date);
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_boolean_value (builder, ticket->overdue);
  add_time (builder, "escalated_at", ticket->escalated_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

OwTicket *
ow_json_to_ticket (JsonNode  *node,
                   char     **field,
                   GError   **error)
{
  g_autoptr(OwTicket) ticket = g_new0 (OwTicket, 1);
  g_autofree char *tier = NULL;
  g_autofree char *state = NULL;
  JsonObject *object;

  if ((object = require_object (node, NULL, field, error)) == NULL)
    return NULL;

  g_date_clear (&ticket->due_date, 1);
  if (!read_string (object, NULL, "id", FIELD_REQUIRED, &ticket->id, field, error))
    return NULL;
  if (!is_event_id (ticket->id))
    {
      fail (field, error, NULL, "id",
            _("must be 1 to %d letters, digits, hyphens or underscores, such as a UUID"),
            MAX_EVENT_ID);
      return NULL;
    }
  if (!read_datetime (object, NULL, "registered_at", &ticket->registered_at, field, error))
    return NULL;
  if (ticket->registered_at == NULL)
    {
      fail (field, error, NULL, "registered_at", _("is required"));
      return NULL;
    }
  if (!read_string (object, NULL, "tier", FIELD_REQUIRED, &tier, field, error))
    return NULL;
  if (!ow_ticket_tier_from_string (tier, &ticket->tier))
    {
      fail (field, error, NULL, "tier", _("“%s” is not a tier of ticket"), tier);
      return NULL;
    }
  if (!read_string (object, NULL, "summary", FIELD_REQUIRED, &ticket->summary, field, error) ||
      !read_string (object, NULL, "contact_name", FIELD_OPTIONAL, &ticket->contact_name, field,
                    error) ||
      !read_string (object, NULL, "contact_phone", FIELD_OPTIONAL, &ticket->contact_phone, field,
                    error) ||
      !read_string (object, NULL, "case_no", FIELD_OPTIONAL, &ticket->case_no, field, error) ||
      !read_string (object, NULL, "rating_id", FIELD_OPTIONAL, &ticket->rating_id, field, error) ||
      !read_string (object, NULL, "channel", FIELD_OPTIONAL, &ticket->channel, field, error) ||
      !read_string (object, NULL, "item_id", FIELD_OPTIONAL, &ticket->item_id, field, error) ||
      !read_string (object, NULL, "category", FIELD_OPTIONAL, &ticket->category, field, error) ||
      !read_string (object, NULL, "hall", FIELD_OPTIONAL, &ticket->hall, field, error) ||
      !read_string (object, NULL, "state", FIELD_OPTIONAL, &state, field, error) ||
      !read_string (object, NULL, "assignee", FIELD_OPTIONAL, &ticket->assignee, field, error) ||
      !read_date (object, NULL, "due_date", FIELD_OPTIONAL, &ticket->due_date, field, error) ||
      !read_bool (object, NULL, "overdue", &ticket->overdue, field, error) ||
      !read_datetime (object, NULL, "escalated_at", &ticket->escalated_at, field, error))
    return NULL;
  /* Registered by a counter of before the codes: the label in its clerk's language. */
  if (ticket->category != NULL)
    {
      char *category = ow_ticket_category_normalize (ticket->category);

      g_free (ticket->category);
      ticket->category = category;
    }
  /* A ticket the platform never saw (a request body) is registered. */
  if (state == NULL)
    ticket->state = OW_TICKET_STATE_REGISTERED;
  else if (!ow_ticket_state_from_string (state, &ticket->state))
    {
      fail (field, error, NULL, "state", _("“%s” is not a state of a ticket"), state);
      return NULL;
    }
  return g_steal_pointer (&ticket);
}

JsonNode *
ow_json_from_ticket_event (const OwTicketEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (event != NULL && event->id != NULL && event->at != NULL, NULL);

  /* Members that do not belong to the kind are left out, not null: the platform refuses an
   * assignee on anything but an assignment. */
  json_builder_begin_object (builder);
  add_nullable_string (builder, "id", event->id);
  add_nullable_string (builder, "kind", ow_ticket_event_kind_to_string (event->kind));
  add_time (builder, "at", event->at);
  add_nullable_string (builder, "note", event->note);
  if (event->kind == OW_TICKET_EVENT_ASSIGNED)
    add_nullable_string (builder, "assignee", event->assignee);
  if (event->kind == OW_TICKET_EVENT_RESOLVED)
    {
      json_builder_set_member_name (builder, "case_nos");
      json_builder_begin_array (builder);
      for (guint i = 0; event->case_nos != NULL && event->case_nos[i] != NULL; i++)
        json_builder_add_string_value (builder, event->case_nos[i]);
      json_builder_end_array (builder);
    }
  if (event->kind == OW_TICKET_EVENT_CALLED_BACK)
    {
      json_builder_set_member_name (builder, "reached");
      json_builder_add_boolean_value (builder, event->reached);
      add_nullable_string (builder, "satisfaction",
                           ow_ticket_satisfaction_to_string (event->satisfaction));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

OwTicketEvent *
ow_json_to_ticket_event (JsonNode  *node,
                         char     **field,
                         GError   **error)
{
  g_autoptr(OwTicketEvent) event = g_new0 (OwTicketEvent, 1);
  g_autofree char *kind = NULL;
  g_autofree char *satisfaction = NULL;
  JsonObject *object;

  if ((object = require_object (node, NULL, field, error)) == NULL)
    return NULL;

  if (!read_string (object, NULL, "id", FIELD_REQUIRED, &event->id, field, error))
    return NULL;
  if (!is_event_id (event->id))
    {
      fail (field, error, NULL, "id",
            _("must be 1 to %d letters, digits, hyphens or underscores, such as a UUID"),
            MAX_EVENT_ID);
      return NULL;
    }
  if (!read_string (object, NULL, "kind", FIELD_REQUIRED, &kind, field, error))
    return NULL;
  if (!ow_ticket_event_kind_from_string (kind, &event->kind))
    {
      fail (field, error, NULL, "kind", _("“%s” is not a kind of ticket event"), kind);
      return NULL;
    }
  if (!read_datetime (object, NULL, "at", &event->at, field, error))
    return NULL;
  if (event->at == NULL)
    {
      fail (field, error, NULL, "at", _("is required"));
      return NULL;
    }
  if (!read_string (object, NULL, "note", FIELD_OPTIONAL, &event->note, field, error) ||
      !read_string (object, NULL, "assignee", FIELD_OPTIONAL, &event->assignee, field, error) ||
      !read_bool (object, NULL, "reached", &event->reached, field, error) ||
      !read_string (object, NULL, "satisfaction", FIELD_OPTIONAL, &satisfaction, field, error) ||
      !read_strv (object, NULL, "case_nos", &event->case_nos, field, error))
    return NULL;
  if (satisfaction != NULL &&
      !ow_ticket_satisfaction_from_string (satisfaction, &event->satisfaction))
    {
      fail (field, error, NULL, "satisfaction", _("“%s” is not one of the five levels"),
            satisfaction);
      return NULL;
    }
  if (event->note != NULL && g_utf8_strlen (event->note, -1) > MAX_EVENT_NOTE)
    {
      fail (field, error, NULL, "note", _("is longer than %d characters"), MAX_EVENT_NOTE);
      return NULL;
    }
  return g_steal_pointer (&event);
}

/* Ratings ---------------------------------------------------------------------------------- */

JsonNode *
ow_json_from_rating (const OwRating *rating)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (rating != NULL && rating->id != NULL && rating->at != NULL, NULL);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "id", rating->id);
  add_nullable_string (builder, "case_no", rating->case_no);
  add_nullable_string (builder, "channel", rating->channel);
  json_builder_set_member_name (builder, "level");
  json_builder_add_int_value (builder, rating->level);
  add_nullable_string (builder, "text", rating->text != NULL && *rating->text != '\0'
                                          ? rating->text : NULL);
  add_time (builder, "at", rating->at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Users ------------------------------------------------------------------------------------ */

/* Bounds of the members, as the platform's admin CLI makes them. */
#define MAX_USERNAME 64
#define MAX_COUNTER  9999

JsonNode *
ow_json_from_user (const OwUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (user != NULL && user->username != NULL, NULL);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "username", user->username);
  add_nullable_string (builder, "display_name",
                       user->display_name != NULL ? user->display_name : user->username);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; user->roles != NULL && user->roles[i] != NULL; i++)
    if (*user->roles[i] != '\0')
      json_builder_add_string_value (builder, user->roles[i]);
  json_builder_end_array (builder);
  add_nullable_string (builder, "hall", user->hall);
  add_nullable_string (builder, "hall_name", user->hall_name);
  json_builder_set_member_name (builder, "counter");
  json_builder_add_int_value (builder, user->counter);
  add_nullable_string (builder, "department",
                       user->department != NULL && *user->department != '\0' ? user->department
                                                                             : NULL);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

OwUser *
ow_json_to_user (JsonNode  *node,
                 char     **field,
                 GError   **error)
{
  g_autoptr(OwUser) user = g_new0 (OwUser, 1);
  JsonObject *object;

  if ((object = require_object (node, NULL, field, error)) == NULL)
    return NULL;

  if (!read_string (object, NULL, "username", FIELD_REQUIRED, &user->username, field, error))
    return NULL;
  if (*user->username == '\0' || strlen (user->username) > MAX_USERNAME)
    {
      fail (field, error, NULL, "username", _("must be 1 to %d characters"), MAX_USERNAME);
      return NULL;
    }
  if (!read_string (object, NULL, "display_name", FIELD_OPTIONAL, &user->display_name, field,
                    error) ||
      !read_strv (object, NULL, "roles", &user->roles, field, error) ||
      !read_string (object, NULL, "hall", FIELD_OPTIONAL, &user->hall, field, error) ||
      !read_string (object, NULL, "hall_name", FIELD_OPTIONAL, &user->hall_name, field, error) ||
      !read_uint (object, NULL, "counter", FIELD_OPTIONAL, MAX_COUNTER, &user->counter, field,
                  error) ||
      !read_string (object, NULL, "department", FIELD_OPTIONAL, &user->department, field, error))
    return NULL;
  if (user->display_name == NULL || *user->display_name == '\0')
    {
      g_free (user->display_name);
      user->display_name = g_strdup (user->username);
    }
  if (user->roles == NULL)
    user->roles = g_new0 (char *, 1);
  if (user->department != NULL && *user->department == '\0')
    g_clear_pointer (&user->department, g_free);
  return g_steal_pointer (&user);
}

/* Parsing and canonical form --------------------------------------------------------------- */

static gboolean
read_hex4 (const char *data,
           gsize       length,
           gsize       at,
           guint      *value)
{
  *value = 0;
  if (at + 4 > length)
    return FALSE;
  for (gsize k = at; k < at + 4; k++)
    {
      int digit = g_ascii_xdigit_value (data[k]);

      if (digit < 0)
        return FALSE;
      *value = *value * 16 + (guint) digit;
    }
  return TRUE;
}

/* The escape at data[*i] (a backslash): json-glib takes "\u266 " for U+2660 and turns a lone
 * UTF-16 surrogate into bytes that are not UTF-8, so that a value would not read back as it
 * was sent. Leaves *i on the escape's last character. */
static const char *
check_escape (const char *data,
              gsize       length,
              gsize      *i)
{
  guint value, low;

  if (*i + 1 >= length)
    return N_("a string that does not end");
  if (data[*i + 1] != 'u')
    {
      if (strchr ("\"\\/bfnrt", data[*i + 1]) == NULL || data[*i + 1] == '\0')
        return N_("an escape that JSON does not know");
      *i += 1;
      return NULL;
    }
  if (!read_hex4 (data, length, *i + 2, &value))
    return N_("a \\u escape without four hex digits");
  *i += 5;
  if (value >= 0xdc00 && value <= 0xdfff)
    return N_("a lone UTF-16 surrogate");
  if (value >= 0xd800 && value <= 0xdbff)
    {
      if (*i + 2 >= length || data[*i + 1] != '\\' || data[*i + 2] != 'u' ||
          !read_hex4 (data, length, *i + 3, &low) || low < 0xdc00 || low > 0xdfff)
        return N_("a lone UTF-16 surrogate");
      *i += 6;
    }
  return NULL;
}

/* The number that starts @data, as RFC 8259 writes one: -? (0 | [1-9][0-9]*) (.[0-9]+)?
 * ([eE][+-]?[0-9]+)?, and one json-glib keeps. json-glib takes "-0." or "01" too, wraps a whole
 * number beyond 64 bits around (12345678901234567890 reads as -6101065172474983726, 2^64 + 7 as
 * 7) and turns 1e400 into infinity, which no JSON can hold (found by fuzz-json). */
static gboolean
is_json_number (const char *data,
                gsize       length)
{
  g_autofree char *token = NULL;
  gboolean fraction = FALSE;
  gsize n = 0;

#define DIGIT_AT(k) ((k) < length && g_ascii_isdigit (data[k]))
  if (n < length && data[n] == '-')
    n++;
  if (!DIGIT_AT (n))
    return FALSE;
  if (data[n] == '0')
    n++;
  else
    while (DIGIT_AT (n))
      n++;
  if (n < length && data[n] == '.')
    {
      fraction = TRUE;
      n++;
      if (!DIGIT_AT (n))
        return FALSE;
      while (DIGIT_AT (n))
        n++;
    }
  if (n < length && (data[n] == 'e' || data[n] == 'E'))
    {
      fraction = TRUE;
      n++;
      if (n < length && (data[n] == '+' || data[n] == '-'))
        n++;
      if (!DIGIT_AT (n))
        return FALSE;
      while (DIGIT_AT (n))
        n++;
    }
#undef DIGIT_AT
  /* What follows must end the number ("01" and "1.2.3" do not). */
  if (n < length && (g_ascii_isalnum (data[n]) || data[n] == '.' || data[n] == '+' ||
                     data[n] == '-'))
    return FALSE;
  if (n > 400)
    return FALSE;

  token = g_strndup (data, n);
  if (!fraction)
    return g_ascii_string_to_signed (token, 10, G_MININT64, G_MAXINT64, NULL, NULL);
  {
    double value;

    errno = 0;
    value = g_ascii_strtod (token, NULL);
    return errno != ERANGE && isfinite (value);
  }
}

/* json-glib's scanner is more lenient than JSON (single quotes, comments, raw control characters
 * in strings, malformed escapes …). A peer that sends those does not speak the contract, so they are refused here,
 * together with nesting deeper than @limit, before the recursive parser sees the data. */
static const char *
find_lexical_problem (const char *data,
                      gsize       length,
                      guint       limit)
{
  gboolean in_string = FALSE;
  gboolean in_word = FALSE;  /* a number or literal */
  guint depth = 0;
  guint values = 0;          /* begun at the top level */

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) data[i];
      gboolean word = !in_string && (g_ascii_isalnum (c) || c == '-' || c == '+' || c == '.');

      /* json-glib 1.6 leaks the tree it built when a second value follows the first (found by
       * fuzz-json): a client could grow the platform's memory with "{…}{". */
      if (depth == 0 && !in_string && (c == '{' || c == '[' || c == '"' || (word && !in_word)) &&
          ++values > 1)
        return N_("more than one value");
      if (word && !in_word && (g_ascii_isdigit (c) || c == '-' || c == '+' || c == '.') &&
          !is_json_number (data + i, length - i))
        return N_("a number that JSON does not allow, or out of range");
      in_word = word;

      if (in_string)
        {
          if (c < 0x20)
            return N_("a control character inside a string");
          if (c == '\\')
            {
              const char *problem = check_escape (data, length, &i);

              if (problem != NULL)
                return problem;
            }
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > limit)
            return N_("nesting too deep");
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case ' ': case '\t': case '\n': case '\r': case ',': case ':':
        case '-': case '+': case '.': case 'e': case 'E':
        case 't': case 'r': case 'u': case 'f': case 'a': case 'l': case 's': case 'n':
          break;
        default:
          if (!g_ascii_isdigit (c))
            return N_("a character that JSON does not allow outside strings");
        }
    }

  return NULL;
}

/* json-glib decodes "\u0000" into a NUL that silently ends the C string: "a\u0000b" would read
 * as "a", and two different bodies would compare equal. Such a value cannot be kept exactly, so
 * it is refused. Returns the dotted name of the first member (or element) whose text holds one
 * ("applicant.name", "materials[1].files[0]"), "" for a top-level string, or NULL when there is
 * none. @data must be lexically valid JSON (json-glib parsed it). */
typedef struct
{
  gboolean  object;
  guint     index;  /* arrays: the element being read */
  GString  *name;   /* objects: the member being read, as written */
} Frame;

static char *
build_member_name (Frame *frames,
                   guint  depth)
{
  GString *name = g_string_new (NULL);

  for (guint k = 0; k < depth; k++)
    {
      if (!frames[k].object)
        g_string_append_printf (name, "[%u]", frames[k].index);
      else
        {
          if (name->len > 0)
            g_string_append_c (name, '.');
          g_string_append_len (name, frames[k].name->str, (gssize) frames[k].name->len);
        }
    }
  return g_string_free (name, FALSE);
}

static char *
find_nul_escape (const char *data,
                 gsize       length)
{
  Frame frames[MAX_DEPTH + 1] = { { 0, }, };
  gboolean expect_name = FALSE;
  char *found = NULL;
  guint depth = 0;

  for (gsize i = 0; i < length && found == NULL; i++)
    {
      switch (data[i])
        {
        case '"':
          {
            GString *name = NULL;

            if (depth > 0 && frames[depth - 1].object && expect_name)
              {
                name = frames[depth - 1].name;
                g_string_truncate (name, 0);
              }
            for (i++; i < length && data[i] != '"' && found == NULL; i++)
              {
                if (data[i] == '\\' && i + 1 < length)
                  {
                    if (data[i + 1] == 'u' && i + 5 < length &&
                        memcmp (data + i + 2, "0000", 4) == 0)
                      found = build_member_name (frames, depth);
                    if (name != NULL)
                      g_string_append_len (name, data + i, 2);
                    i++;
                  }
                else if (name != NULL)
                  g_string_append_c (name, data[i]);
              }
            break;
          }
        case '{':
        case '[':
          if (depth == G_N_ELEMENTS (frames))
            break;
          frames[depth].object = data[i] == '{';
          frames[depth].index = 0;
          if (frames[depth].name == NULL)
            frames[depth].name = g_string_new (NULL);
          g_string_truncate (frames[depth].name, 0);
          depth++;
          expect_name = data[i] == '{';
          break;
        case '}':
        case ']':
          if (depth > 0)
            depth--;
          break;
        case ':':
          expect_name = FALSE;
          break;
        case ',':
          if (depth > 0 && frames[depth - 1].object)
            expect_name = TRUE;
          else if (depth > 0)
            frames[depth - 1].index++;
          break;
        default:
          break;
        }
    }

  for (guint k = 0; k < G_N_ELEMENTS (frames); k++)
    if (frames[k].name != NULL)
      g_string_free (frames[k].name, TRUE);
  return found;
}

JsonNode *
ow_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  return ow_json_parse_full (data, length, NULL, error);
}

JsonNode *
ow_json_parse_full (const char  *data,
                    gssize       length,
                    char       **field,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *problem;
  JsonNode *root;
  gsize size;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  size = length < 0 ? strlen (data) : (gsize) length;
  if (size == 0)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE, _("The data is empty"));
      return NULL;
    }
  if (!g_utf8_validate (data, (gssize) size, NULL))
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                           _("The data is not valid UTF-8 text"));
      return NULL;
    }
  if ((problem = find_lexical_problem (data, size, MAX_DEPTH)) != NULL)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE, _("The data is not JSON: %s"),
                   _(problem));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) size, &local_error))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE, _("The data is not JSON: %s"),
                   local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE, _("The data is empty"));
      return NULL;
    }

  /* Only when the text holds the escape at all, which no well-behaved peer sends. */
  if (g_strstr_len (data, (gssize) size, "\\u0000") != NULL)
    {
      g_autofree char *member = find_nul_escape (data, size);

      if (member != NULL)
        {
          if (*member == '\0')
            g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                                 _("The text contains a NUL character (\\u0000)"));
          else
            g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID,
                         _("%s: contains a NUL character (\\u0000), which no text may hold"),
                         member);
          set_field (field, *member != '\0' ? member : NULL);
          return NULL;
        }
    }

  return json_node_copy (root);
}

static void
write_string (GString    *out,
              const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
write_canonical (GString  *out,
                 JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();

        for (GList *l = members; l != NULL; l = l->next)
          g_ptr_array_add (names, l->data);
        g_ptr_array_sort (names, compare_names);

        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);

            if (i > 0)
              g_string_append_c (out, ',');
            write_string (out, name);
            g_string_append_c (out, ':');
            write_canonical (out, json_object_get_member (object, name));
          }
        g_string_append_c (out, '}');
        break;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_canonical (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer,
                                                  json_node_get_double (node)));
            /* Still a fraction when read again ("-0" would come back as the whole number 0):
             * the canonical form of the canonical form is itself. */
            if (strpbrk (buffer, ".eE") == NULL)
              g_string_append (out, ".0");
            break;
          }
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* The end of the string that starts at @p (its opening quote), or NULL. */
static const char *
skip_canonical_string (const char *p)
{
  for (p++; *p != '\0'; p++)
    {
      if (*p == '\\')
        {
          if (*++p == '\0')
            return NULL;
        }
      else if (*p == '"')
        return p + 1;
    }
  return NULL;
}

/* The end of the value that starts at @p, or NULL. */
static const char *
skip_canonical_value (const char *p)
{
  guint depth = 0;

  for (;;)
    {
      switch (*p)
        {
        case '\0':
          return NULL;
        case '"':
          if ((p = skip_canonical_string (p)) == NULL)
            return NULL;
          if (depth == 0)
            return p;
          continue;
        case '{':
        case '[':
          depth++;
          break;
        case '}':
        case ']':
          if (depth == 0)
            return p;
          if (--depth == 0)
            return p + 1;
          break;
        case ',':
          if (depth == 0)
            return p;
          break;
        default:
          break;
        }
      p++;
    }
}

/* As strcmp() orders the names (UTF-8 bytes, unsigned). */
static int
compare_raw_names (const char *a,
                   gsize       a_length,
                   const char *b,
                   gsize       b_length)
{
  int order = memcmp (a, b, MIN (a_length, b_length));

  if (order != 0)
    return order;
  return a_length < b_length ? -1 : a_length > b_length ? 1 : 0;
}

char *
ow_json_canonical_set_string (const char *canonical,
                              const char *name,
                              const char *value)
{
  gsize name_length = strlen (name);
  const char *p = canonical, *previous = NULL;
  gsize previous_length = 0;
  GString *out;

  g_return_val_if_fail (canonical != NULL && name != NULL && value != NULL, NULL);

  if (*p++ != '{')
    return NULL;
  out = g_string_sized_new (strlen (canonical) + strlen (value) + name_length + 8);
  while (*p != '}')
    {
      const char *member = p, *key_end, *value_end;
      gsize key_length;
      int order;

      if (*p != '"' || (key_end = skip_canonical_string (p)) == NULL || *key_end != ':')
        break;
      key_length = (gsize) (key_end - p) - 2;
      /* Names with escapes do not compare as written; the canonical form sorts them strictly. */
      if (memchr (p + 1, '\\', key_length) != NULL ||
          (previous != NULL &&
           compare_raw_names (previous, previous_length, p + 1, key_length) >= 0) ||
          (value_end = skip_canonical_value (key_end + 1)) == NULL)
        break;
      order = compare_raw_names (p + 1, key_length, name, name_length);
      if (order >= 0)
        {
          /* Its place: replaced, or the member goes in before this one. */
          g_string_append_len (out, canonical, member - canonical);
          write_string (out, name);
          g_string_append_c (out, ':');
          write_string (out, value);
          if (order > 0)
            {
              g_string_append_c (out, ',');
              g_string_append (out, member);
            }
          else
            g_string_append (out, value_end);
          return g_string_free (out, FALSE);
        }
      previous = p + 1;
      previous_length = key_length;
      p = value_end;
      if (*p == ',')
        p++;
      else if (*p != '}')
        break;
    }
  if (*p != '}' || p[1] != '\0')
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  /* After every member there is. */
  g_string_append_len (out, canonical, p - canonical);
  if (previous != NULL)
    g_string_append_c (out, ',');
  write_string (out, name);
  g_string_append_c (out, ':');
  write_string (out, value);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

char *
ow_json_to_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  write_canonical (out, node);
  return g_string_free (out, FALSE);
}
