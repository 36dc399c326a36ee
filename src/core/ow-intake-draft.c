/* ow-intake-draft.c — what the intake form holds, saved as a draft while the clerk types
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stored form is a GVariant "(ua{sv})": a version and a dictionary. A dictionary rather than
 * a fixed tuple so that a later version can add a field without making older drafts unreadable
 * (a missing key reads as "not typed"), while a key that is present with another type, an enum
 * out of range or a page name that is not a SHA-256 make the whole draft unreadable: a draft is
 * restored into the form as it was, or not at all. The applicant, the agent and each material
 * are dictionaries of their own for the same reason.
 *
 * The bytes are the host's byte order: a draft never leaves the workstation's store.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ow-error.h"
#include "ow-intake-draft.h"

#define DRAFT_VERSION 1
#define DRAFT_TYPE "(ua{sv})"

/* GDate takes day numbers up to year 65535; the case's own codec stops at 9999 as well. */
#define LAST_YEAR 9999

OwIntakeDraft *
ow_intake_draft_new (void)
{
  OwIntakeDraft *draft = g_new0 (OwIntakeDraft, 1);

  draft->materials = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);
  return draft;
}

void
ow_intake_draft_free (OwIntakeDraft *draft)
{
  if (draft == NULL)
    return;

  g_strfreev (draft->item_ids);
  g_free (draft->bundle_id);
  g_clear_pointer (&draft->applicant, ow_applicant_free);
  g_clear_pointer (&draft->agent, ow_applicant_free);
  g_clear_pointer (&draft->materials, g_ptr_array_unref);
  g_free (draft->refusal_reason);
  g_free (draft->competent_organ);
  g_free (draft->post_recipient);
  g_free (draft->post_phone);
  g_free (draft->post_address);
  g_clear_pointer (&draft->saved_at, g_date_time_unref);
  g_free (draft);
}

/* ---- emptiness ------------------------------------------------------------------------- */

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

static gboolean
applicant_is_empty (const OwApplicant *applicant)
{
  /* The kind alone is the form's default, not something typed. */
  return applicant == NULL
         || (!has_text (applicant->name) && !has_text (applicant->id_number)
             && !has_text (applicant->phone) && !has_text (applicant->address)
             && !has_text (applicant->contact_name));
}

static gboolean
material_is_marked (const OwCaseMaterial *material)
{
  return material->status != OW_MATERIAL_STATUS_MISSING
         || has_text (material->licence_no)
         || has_text (material->note)
         || g_date_valid (&material->due_date)
         || (material->files != NULL && material->files->len > 0);
}

gboolean
ow_intake_draft_is_empty (const OwIntakeDraft *draft)
{
  g_return_val_if_fail (draft != NULL, TRUE);

  if ((draft->item_ids != NULL && draft->item_ids[0] != NULL) || has_text (draft->bundle_id))
    return FALSE;
  if (!applicant_is_empty (draft->applicant) || !applicant_is_empty (draft->agent))
    return FALSE;
  for (guint i = 0; draft->materials != NULL && i < draft->materials->len; i++)
    if (material_is_marked (g_ptr_array_index (draft->materials, i)))
      return FALSE;
  /* The decision and the kind of delivery alone are choices of a combo box left at its default
   * or made before anything else: without a word typed they are not worth a draft. */
  return !has_text (draft->refusal_reason) && !has_text (draft->competent_organ)
         && !has_text (draft->post_recipient) && !has_text (draft->post_phone)
         && !has_text (draft->post_address);
}

/* ---- writing --------------------------------------------------------------------------- */

static void
add_string (GVariantBuilder *dict,
            const char      *key,
            const char      *value)
{
  /* NULL (never typed) is the missing key; "" is kept as typed. */
  if (value != NULL)
    g_variant_builder_add (dict, "{sv}", key, g_variant_new_string (value));
}

static void
add_uint (GVariantBuilder *dict,
          const char      *key,
          guint32          value)
{
  g_variant_builder_add (dict, "{sv}", key, g_variant_new_uint32 (value));
}

static GVariant *
serialize_applicant (const OwApplicant *applicant)
{
  GVariantBuilder dict;

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  add_uint (&dict, "kind", applicant->kind);
  add_string (&dict, "name", applicant->name);
  add_string (&dict, "id-number", applicant->id_number);
  add_string (&dict, "phone", applicant->phone);
  add_string (&dict, "address", applicant->address);
  add_string (&dict, "contact-name", applicant->contact_name);
  return g_variant_builder_end (&dict);
}

static GVariant *
serialize_material (const OwCaseMaterial *material)
{
  GVariantBuilder dict;
  GVariantBuilder files;

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  add_string (&dict, "id", material->material_id);
  add_string (&dict, "name", material->name);
  add_uint (&dict, "status", material->status);
  add_uint (&dict, "originals", material->originals);
  add_uint (&dict, "copies", material->copies);
  add_string (&dict, "licence-no", material->licence_no);
  if (g_date_valid (&material->due_date))
    add_uint (&dict, "due-date", g_date_get_julian (&material->due_date));
  add_string (&dict, "note", material->note);

  g_variant_builder_init (&files, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; material->files != NULL && i < material->files->len; i++)
    g_variant_builder_add (&files, "s", g_ptr_array_index (material->files, i));
  g_variant_builder_add (&dict, "{sv}", "files", g_variant_builder_end (&files));
  return g_variant_builder_end (&dict);
}

GBytes *
ow_intake_draft_serialize (OwIntakeDraft *draft)
{
  g_autoptr(GVariant) variant = NULL;
  GVariantBuilder dict;
  GVariantBuilder materials;

  g_return_val_if_fail (draft != NULL, NULL);

  if (draft->saved_at == NULL)
    draft->saved_at = g_date_time_new_now_utc ();

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  if (draft->item_ids != NULL)
    g_variant_builder_add (&dict, "{sv}", "item-ids",
                           g_variant_new_strv ((const char * const *) draft->item_ids, -1));
  add_string (&dict, "bundle-id", draft->bundle_id);
  if (draft->applicant != NULL)
    g_variant_builder_add (&dict, "{sv}", "applicant", serialize_applicant (draft->applicant));
  if (draft->agent != NULL)
    g_variant_builder_add (&dict, "{sv}", "agent", serialize_applicant (draft->agent));

  g_variant_builder_init (&materials, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; draft->materials != NULL && i < draft->materials->len; i++)
    g_variant_builder_add_value (&materials,
                                 serialize_material (g_ptr_array_index (draft->materials, i)));
  g_variant_builder_add (&dict, "{sv}", "materials", g_variant_builder_end (&materials));

  add_uint (&dict, "decision", draft->decision);
  add_string (&dict, "refusal-reason", draft->refusal_reason);
  add_string (&dict, "competent-organ", draft->competent_organ);
  add_uint (&dict, "delivery", draft->delivery);
  add_string (&dict, "post-recipient", draft->post_recipient);
  add_string (&dict, "post-phone", draft->post_phone);
  add_string (&dict, "post-address", draft->post_address);
  g_variant_builder_add (&dict, "{sv}", "saved-at",
                         g_variant_new_int64 (g_date_time_to_unix (draft->saved_at)
                                              * G_USEC_PER_SEC
                                              + g_date_time_get_microsecond (draft->saved_at)));

  variant = g_variant_ref_sink (g_variant_new ("(u@a{sv})", (guint32) DRAFT_VERSION,
                                               g_variant_builder_end (&dict)));
  return g_variant_get_data_as_bytes (variant);
}

/* ---- reading --------------------------------------------------------------------------- */

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE, message);
  return FALSE;
}

/* The value of @key as @type in @dict: NULL with TRUE when the key is missing; FALSE with
 * OW_CORE_ERROR_PARSE when it holds another type. */
static gboolean
lookup (GVariant            *dict,
        const char          *key,
        const GVariantType  *type,
        GVariant           **value,
        GError             **error)
{
  g_autoptr(GVariant) any = g_variant_lookup_value (dict, key, NULL);

  *value = NULL;
  if (any == NULL)
    return TRUE;
  if (!g_variant_is_of_type (any, type))
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("The saved form is damaged: “%s” has the type %s instead of %s"), key,
                   g_variant_get_type_string (any), g_variant_type_peek_string (type));
      return FALSE;
    }
  *value = g_steal_pointer (&any);
  return TRUE;
}

static gboolean
lookup_string (GVariant   *dict,
               const char *key,
               char      **out,
               GError    **error)
{
  g_autoptr(GVariant) value = NULL;

  if (!lookup (dict, key, G_VARIANT_TYPE_STRING, &value, error))
    return FALSE;
  g_free (*out);
  *out = value != NULL ? g_variant_dup_string (value, NULL) : NULL;
  return TRUE;
}

static gboolean
lookup_uint (GVariant   *dict,
             const char *key,
             guint32    *out,
             GError    **error)
{
  g_autoptr(GVariant) value = NULL;

  if (!lookup (dict, key, G_VARIANT_TYPE_UINT32, &value, error))
    return FALSE;
  *out = value != NULL ? g_variant_get_uint32 (value) : 0;
  return TRUE;
}

static gboolean
read_applicant (GVariant     *dict,
                const char   *key,
                OwApplicant **out,
                GError      **error)
{
  g_autoptr(GVariant) value = NULL;
  g_autoptr(OwApplicant) applicant = NULL;
  guint32 kind = 0;

  if (!lookup (dict, key, G_VARIANT_TYPE_VARDICT, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;

  if (!lookup_uint (value, "kind", &kind, error))
    return FALSE;
  if (kind != OW_APPLICANT_PERSON && kind != OW_APPLICANT_ORGANISATION)
    return fail (error, _("The saved form names an unknown kind of applicant"));

  applicant = ow_applicant_new (kind);
  if (!lookup_string (value, "name", &applicant->name, error)
      || !lookup_string (value, "id-number", &applicant->id_number, error)
      || !lookup_string (value, "phone", &applicant->phone, error)
      || !lookup_string (value, "address", &applicant->address, error)
      || !lookup_string (value, "contact-name", &applicant->contact_name, error))
    return FALSE;
  *out = g_steal_pointer (&applicant);
  return TRUE;
}

/* Pages are files of the store named by their lower-case hex SHA-256; anything else would name
 * a file outside it. */
static gboolean
is_sha256 (const char *text)
{
  gsize length = strlen (text);

  if (length != 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
read_date (GVariant   *dict,
           GDate      *date,
           GError    **error)
{
  GDate last;
  guint32 julian = 0;

  g_date_clear (date, 1);
  if (!lookup_uint (dict, "due-date", &julian, error))
    return FALSE;
  if (julian == 0)
    return TRUE;
  g_date_clear (&last, 1);
  g_date_set_dmy (&last, 31, G_DATE_DECEMBER, LAST_YEAR);
  if (!g_date_valid_julian (julian) || julian > g_date_get_julian (&last))
    return fail (error, _("The saved form holds an impossible due date"));
  g_date_set_julian (date, julian);
  return TRUE;
}

static gboolean
read_material (GVariant        *dict,
               OwCaseMaterial **out,
               GError         **error)
{
  g_autoptr(OwCaseMaterial) material = ow_case_material_new (NULL, NULL);
  g_autoptr(GVariant) files = NULL;
  guint32 status = 0;
  guint32 originals = 0;
  guint32 copies = 0;

  if (!lookup_string (dict, "id", &material->material_id, error)
      || !lookup_string (dict, "name", &material->name, error)
      || !lookup_uint (dict, "status", &status, error)
      || !lookup_uint (dict, "originals", &originals, error)
      || !lookup_uint (dict, "copies", &copies, error)
      || !lookup_string (dict, "licence-no", &material->licence_no, error)
      || !read_date (dict, &material->due_date, error)
      || !lookup_string (dict, "note", &material->note, error)
      || !lookup (dict, "files", G_VARIANT_TYPE_STRING_ARRAY, &files, error))
    return FALSE;
  if (ow_material_status_to_string (status) == NULL)
    return fail (error, _("The saved form gives a material an unknown status"));
  material->status = status;
  material->originals = originals;
  material->copies = copies;

  for (gsize i = 0; files != NULL && i < g_variant_n_children (files); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (files, i);
      const char *sha256 = g_variant_get_string (child, NULL);

      if (!is_sha256 (sha256))
        return fail (error, _("The saved form names a scanned page that is not a file name"));
      g_ptr_array_add (material->files, g_strdup (sha256));
    }
  *out = g_steal_pointer (&material);
  return TRUE;
}

static gboolean
read_saved_at (GVariant    *dict,
               GDateTime  **out,
               GError     **error)
{
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GDateTime) epoch = NULL;
  gint64 usec;

  if (!lookup (dict, "saved-at", G_VARIANT_TYPE_INT64, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  usec = g_variant_get_int64 (value);
  epoch = g_date_time_new_from_unix_utc (0);
  /* Outside year 1 … 9999 g_date_time_add() answers NULL. */
  *out = g_date_time_add (epoch, usec);
  if (*out == NULL)
    return fail (error, _("The saved form has an impossible time of saving"));
  return TRUE;
}

static gboolean
read_draft (GVariant       *dict,
            OwIntakeDraft  *draft,
            GError        **error)
{
  g_autoptr(GVariant) item_ids = NULL;
  g_autoptr(GVariant) materials = NULL;
  guint32 decision = 0;
  guint32 delivery = 0;

  if (!lookup (dict, "item-ids", G_VARIANT_TYPE_STRING_ARRAY, &item_ids, error)
      || !lookup_string (dict, "bundle-id", &draft->bundle_id, error)
      || !read_applicant (dict, "applicant", &draft->applicant, error)
      || !read_applicant (dict, "agent", &draft->agent, error)
      || !lookup (dict, "materials", G_VARIANT_TYPE ("aa{sv}"), &materials, error)
      || !lookup_uint (dict, "decision", &decision, error)
      || !lookup_string (dict, "refusal-reason", &draft->refusal_reason, error)
      || !lookup_string (dict, "competent-organ", &draft->competent_organ, error)
      || !lookup_uint (dict, "delivery", &delivery, error)
      || !lookup_string (dict, "post-recipient", &draft->post_recipient, error)
      || !lookup_string (dict, "post-phone", &draft->post_phone, error)
      || !lookup_string (dict, "post-address", &draft->post_address, error)
      || !read_saved_at (dict, &draft->saved_at, error))
    return FALSE;

  if (item_ids != NULL)
    draft->item_ids = g_variant_dup_strv (item_ids, NULL);
  for (gsize i = 0; materials != NULL && i < g_variant_n_children (materials); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (materials, i);
      OwCaseMaterial *material = NULL;

      if (!read_material (child, &material, error))
        return FALSE;
      g_ptr_array_add (draft->materials, material);
    }
  if (delivery != 0 && ow_delivery_kind_to_string (delivery) == NULL)
    return fail (error, _("The saved form names an unknown kind of delivery"));
  /* The decision is the GUI's enum: the decision panel checks its range. */
  draft->decision = decision;
  draft->delivery = delivery;
  return TRUE;
}

/* The same bytes, followed in memory by zeros that are not part of them. GLib 2.74's normal-form
 * check reads the padding before a tuple's next member without checking the end of the data
 * (one to seven bytes past it, when a draft is cut off there; valgrind shows it): the zeros
 * make that read harmless. The slice is aligned as g_malloc() aligns, so GVariant uses it in
 * place. */
static GBytes *
pad_bytes (GBytes *bytes)
{
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);
  guint8 *copy = g_malloc0 (size + 8);
  g_autoptr(GBytes) padded = NULL;

  if (size > 0)
    memcpy (copy, data, size);
  padded = g_bytes_new_take (copy, size + 8);
  return g_bytes_new_from_bytes (padded, 0, size);
}

OwIntakeDraft *
ow_intake_draft_deserialize (GBytes  *bytes,
                             GError **error)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(OwIntakeDraft) draft = NULL;
  g_autoptr(GBytes) padded = NULL;
  guint32 version;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  padded = pad_bytes (bytes);
  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (DRAFT_TYPE), padded,
                                                          FALSE));
  /* Bytes that are not in normal form did not come from ow_intake_draft_serialize(): GVariant
   * would still read them safely, but as something else than was saved (a truncated or
   * damaged record). */
  if (!g_variant_is_normal_form (variant))
    {
      fail (error, _("The saved form is damaged and cannot be restored"));
      return NULL;
    }

  g_variant_get (variant, "(u@a{sv})", &version, &dict);
  if (version == 0)
    {
      fail (error, _("The saved form is damaged and cannot be restored"));
      return NULL;
    }
  if (version > DRAFT_VERSION)
    {
      g_set_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE,
                   _("The saved form comes from a newer version of OneWindow (format %u) and "
                     "cannot be restored here"), version);
      return NULL;
    }

  draft = ow_intake_draft_new ();
  if (!read_draft (dict, draft, error))
    return NULL;
  return g_steal_pointer (&draft);
}
