/* test-intake-draft.c — the intake draft's codec: round trips, emptiness, damaged bytes
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/ow-error.h"
#include "core/ow-intake-draft.h"

#define SHA_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA_B "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"

static gboolean
materials_equal (const OwCaseMaterial *a,
                 const OwCaseMaterial *b)
{
  if (g_strcmp0 (a->material_id, b->material_id) != 0 || g_strcmp0 (a->name, b->name) != 0
      || a->status != b->status || a->originals != b->originals || a->copies != b->copies
      || g_strcmp0 (a->licence_no, b->licence_no) != 0 || g_strcmp0 (a->note, b->note) != 0
      || g_date_valid (&a->due_date) != g_date_valid (&b->due_date)
      || (g_date_valid (&a->due_date) && g_date_compare (&a->due_date, &b->due_date) != 0)
      || a->files->len != b->files->len)
    return FALSE;
  for (guint i = 0; i < a->files->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a->files, i), g_ptr_array_index (b->files, i)) != 0)
      return FALSE;
  return TRUE;
}

static void
assert_drafts_equal (const OwIntakeDraft *a,
                     const OwIntakeDraft *b)
{
  g_assert_true ((a->item_ids == NULL) == (b->item_ids == NULL));
  if (a->item_ids != NULL)
    g_assert_true (g_strv_equal ((const char * const *) a->item_ids,
                                 (const char * const *) b->item_ids));
  g_assert_cmpstr (a->bundle_id, ==, b->bundle_id);
  g_assert_true (ow_applicant_equal (a->applicant, b->applicant));
  g_assert_true (ow_applicant_equal (a->agent, b->agent));
  g_assert_cmpuint (a->materials->len, ==, b->materials->len);
  for (guint i = 0; i < a->materials->len; i++)
    g_assert_true (materials_equal (g_ptr_array_index (a->materials, i),
                                    g_ptr_array_index (b->materials, i)));
  g_assert_cmpuint (a->decision, ==, b->decision);
  g_assert_cmpstr (a->refusal_reason, ==, b->refusal_reason);
  g_assert_cmpstr (a->competent_organ, ==, b->competent_organ);
  g_assert_cmpint (a->delivery, ==, b->delivery);
  g_assert_cmpstr (a->post_recipient, ==, b->post_recipient);
  g_assert_cmpstr (a->post_phone, ==, b->post_phone);
  g_assert_cmpstr (a->post_address, ==, b->post_address);
  g_assert_nonnull (a->saved_at);
  g_assert_nonnull (b->saved_at);
  g_assert_true (g_date_time_equal (a->saved_at, b->saved_at));
}

/* A form filled in everywhere: an organisation with an agent, three items of a bundle, every
 * kind of material line, a refusal and delivery by post. */
static OwIntakeDraft *
make_full_draft (void)
{
  OwIntakeDraft *draft = ow_intake_draft_new ();
  const char *items[] = { "11460100MB0000000X4000111000001", "item-2", "item-3", NULL };
  OwCaseMaterial *material;

  draft->item_ids = g_strdupv ((char **) items);
  draft->bundle_id = g_strdup ("b1");
  draft->applicant = ow_applicant_new (OW_APPLICANT_ORGANISATION);
  draft->applicant->name = g_strdup ("海口市某某餐饮有限公司");
  draft->applicant->id_number = g_strdup ("91460100MA5T0000");   /* half typed */
  draft->applicant->phone = g_strdup ("");
  draft->applicant->address = g_strdup ("海口市龙华区滨海大道 1 号");
  draft->applicant->contact_name = g_strdup ("李四");
  draft->agent = ow_applicant_new (OW_APPLICANT_PERSON);
  draft->agent->name = g_strdup ("王五");
  draft->agent->id_number = g_strdup ("11010519491231002X");
  draft->agent->phone = g_strdup ("13800138000");

  material = ow_case_material_new ("m1", "营业执照");
  material->status = OW_MATERIAL_STATUS_SCANNED;
  material->originals = 1;
  material->copies = 2;
  g_ptr_array_add (material->files, g_strdup (SHA_A));
  g_ptr_array_add (material->files, g_strdup (SHA_B));
  g_ptr_array_add (draft->materials, material);

  material = ow_case_material_new ("m2", "食品安全管理制度");
  material->status = OW_MATERIAL_STATUS_TOLERATED;
  g_date_set_dmy (&material->due_date, 9, G_DATE_DECEMBER, 2026);
  g_ptr_array_add (draft->materials, material);

  material = ow_case_material_new ("m3", "身份证明");
  material->status = OW_MATERIAL_STATUS_LICENCE;
  material->licence_no = g_strdup ("DZZZ-4601-0001");
  g_ptr_array_add (draft->materials, material);

  material = ow_case_material_new ("m4", "场所平面图");
  material->note = g_strdup ("缺少比例尺");
  g_ptr_array_add (draft->materials, material);

  g_ptr_array_add (draft->materials, ow_case_material_new ("m5", "承诺书"));

  draft->decision = 3;
  draft->refusal_reason = g_strdup ("不属于本机关职权范围");
  draft->competent_organ = g_strdup ("海南省市场监督管理局");
  draft->delivery = OW_DELIVERY_POST;
  draft->post_recipient = g_strdup ("李四");
  draft->post_phone = g_strdup ("138 0013 8000");
  draft->post_address = g_strdup ("海口市美兰区 ");
  draft->saved_at = g_date_time_new_utc (2026, 11, 25, 6, 30, 12.345678);
  return draft;
}

static OwIntakeDraft *
round_trip (OwIntakeDraft *draft)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ow_intake_draft_serialize (draft);
  OwIntakeDraft *back;

  g_assert_nonnull (bytes);
  back = ow_intake_draft_deserialize (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  return back;
}

static void
test_round_trip_full (void)
{
  g_autoptr(OwIntakeDraft) draft = make_full_draft ();
  g_autoptr(OwIntakeDraft) back = round_trip (draft);

  assert_drafts_equal (draft, back);
  g_assert_cmpint (g_date_time_get_microsecond (back->saved_at), ==,
                   g_date_time_get_microsecond (draft->saved_at));
  g_assert_false (ow_intake_draft_is_empty (back));
}

static void
test_round_trip_empty (void)
{
  g_autoptr(OwIntakeDraft) draft = ow_intake_draft_new ();
  g_autoptr(OwIntakeDraft) back = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();

  g_assert_true (ow_intake_draft_is_empty (draft));
  back = round_trip (draft);
  /* Serializing stamps the draft. */
  g_assert_nonnull (draft->saved_at);
  g_assert_cmpint (g_date_time_compare (draft->saved_at, before), >=, 0);
  assert_drafts_equal (draft, back);
  g_assert_null (back->item_ids);
  g_assert_null (back->applicant);
  g_assert_null (back->agent);
  g_assert_cmpuint (back->materials->len, ==, 0);
  g_assert_true (ow_intake_draft_is_empty (back));
}

static void
test_is_empty (void)
{
  g_autoptr(OwIntakeDraft) draft = ow_intake_draft_new ();
  OwCaseMaterial *material;
  const char *none[] = { NULL };
  const char *one[] = { "item-1", NULL };

  /* What the form holds before anything is typed: defaults only. */
  draft->item_ids = g_strdupv ((char **) none);
  draft->applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  draft->applicant->name = g_strdup ("");
  draft->delivery = OW_DELIVERY_PICKUP;
  draft->decision = 2;
  g_ptr_array_add (draft->materials, ow_case_material_new ("m1", "营业执照"));
  g_assert_true (ow_intake_draft_is_empty (draft));

  g_free (draft->applicant->phone);
  draft->applicant->phone = g_strdup ("1");
  g_assert_false (ow_intake_draft_is_empty (draft));
  g_clear_pointer (&draft->applicant->phone, g_free);

  material = g_ptr_array_index (draft->materials, 0);
  material->status = OW_MATERIAL_STATUS_PAPER;
  g_assert_false (ow_intake_draft_is_empty (draft));
  material->status = OW_MATERIAL_STATUS_MISSING;
  material->note = g_strdup ("x");
  g_assert_false (ow_intake_draft_is_empty (draft));
  g_clear_pointer (&material->note, g_free);
  g_assert_true (ow_intake_draft_is_empty (draft));

  draft->agent = ow_applicant_new (OW_APPLICANT_PERSON);
  draft->agent->address = g_strdup ("海口");
  g_assert_false (ow_intake_draft_is_empty (draft));
  g_clear_pointer (&draft->agent, ow_applicant_free);

  draft->post_address = g_strdup ("海口");
  g_assert_false (ow_intake_draft_is_empty (draft));
  g_clear_pointer (&draft->post_address, g_free);

  g_strfreev (draft->item_ids);
  draft->item_ids = g_strdupv ((char **) one);
  g_assert_false (ow_intake_draft_is_empty (draft));
}

/* Decodes @data: either a draft or OW_CORE_ERROR_PARSE, nothing else (a warning or critical
 * would abort the test program). Returns whether it decoded. */
static gboolean
decode_or_parse_error (gconstpointer data,
                       gsize         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(OwIntakeDraft) draft = ow_intake_draft_deserialize (bytes, &error);

  if (draft == NULL)
    {
      g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
      g_assert_nonnull (error->message);
      return FALSE;
    }
  g_assert_no_error (error);
  /* Whatever came out is a draft like any other. */
  g_assert_nonnull (draft->materials);
  ow_intake_draft_is_empty (draft);
  g_bytes_unref (ow_intake_draft_serialize (draft));
  return TRUE;
}

static void
test_truncated (void)
{
  g_autoptr(OwIntakeDraft) draft = make_full_draft ();
  g_autoptr(GBytes) bytes = ow_intake_draft_serialize (draft);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint decoded = 0;

  g_assert_cmpuint (size, >, 100);
  for (gsize length = 0; length < size; length++)
    {
      /* A copy of just @length bytes: valgrind and ASan see any read past the end. */
      g_autofree guint8 *prefix = g_memdup2 (data, length);

      decoded += decode_or_parse_error (prefix, length);
    }
  /* Almost every proper prefix is refused by GVariant's framing; the few that are in normal form
   * (the version and the padding before the dictionary: an empty draft) decode harmlessly. */
  g_test_message ("%u of %" G_GSIZE_FORMAT " prefixes decoded", decoded, size);
  g_assert_cmpuint (decoded, <, 4);
  g_assert_true (decode_or_parse_error (data, size));
}

static void
test_corrupt (void)
{
  g_autoptr(OwIntakeDraft) draft = make_full_draft ();
  g_autoptr(GBytes) bytes = ow_intake_draft_serialize (draft);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint decoded = 0;
  guint refused = 0;

  for (guint round = 0; round < 600; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, size);
      guint flips = 1 + round % 4;

      for (guint i = 0; i < flips; i++)
        copy[g_test_rand_int_range (0, size)] ^= 1 << g_test_rand_int_range (0, 8);
      if (decode_or_parse_error (copy, size))
        decoded++;
      else
        refused++;
    }
  g_test_message ("%u damaged drafts decoded to something, %u refused", decoded, refused);
  /* Both happen: a flipped letter of a name is still a draft, a flipped offset is not. */
  g_assert_cmpuint (refused, >, 0);

  /* Random bytes, not derived from a draft at all. */
  for (guint round = 0; round < 200; round++)
    {
      gsize length = g_test_rand_int_range (0, 512);
      g_autofree guint8 *noise = g_malloc (length + 1);

      for (gsize i = 0; i < length; i++)
        noise[i] = g_test_rand_int_range (0, 256);
      decode_or_parse_error (noise, length);
    }
}

static GBytes *
make_bytes (guint32   version,
            GVariant *dict)
{
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new ("(u@a{sv})", version, dict));

  return g_variant_get_data_as_bytes (variant);
}

/* Takes @bytes. */
static void
assert_refused (GBytes *bytes)
{
  g_autoptr(GBytes) owned = bytes;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwIntakeDraft) draft = ow_intake_draft_deserialize (bytes, &error);

  g_assert_null (draft);
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
}

static void
test_newer_version (void)
{
  g_autoptr(OwIntakeDraft) draft = make_full_draft ();
  g_autoptr(GBytes) bytes = ow_intake_draft_serialize (draft);
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new_from_bytes (
                                  G_VARIANT_TYPE ("(ua{sv})"), bytes, FALSE));
  g_autoptr(GVariant) dict = g_variant_get_child_value (variant, 1);
  g_autoptr(GVariant) version = g_variant_get_child_value (variant, 0);
  g_autoptr(GBytes) newer = make_bytes (2, dict);
  g_autoptr(GError) error = NULL;
  g_autoptr(OwIntakeDraft) back = NULL;

  g_assert_cmpuint (g_variant_get_uint32 (version), ==, 1);
  back = ow_intake_draft_deserialize (newer, &error);
  g_assert_null (back);
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "newer"));
  assert_refused (make_bytes (0, dict));
}

static void
test_tolerant (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwIntakeDraft) draft = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GVariantBuilder dict;

  /* A version-1 draft written with fewer keys, and with one this version does not know. */
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "bundle-id", g_variant_new_string ("b1"));
  g_variant_builder_add (&dict, "{sv}", "queue-ticket", g_variant_new_string ("A017"));
  bytes = make_bytes (1, g_variant_builder_end (&dict));
  draft = ow_intake_draft_deserialize (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->bundle_id, ==, "b1");
  g_assert_null (draft->applicant);
  g_assert_null (draft->saved_at);
  g_assert_cmpuint (draft->materials->len, ==, 0);
  g_assert_cmpint (draft->delivery, ==, 0);
}

static void
test_wrong_values (void)
{
  GVariantBuilder dict;
  GVariantBuilder material;
  GVariantBuilder materials;
  const char *evil[] = { "../../../../etc/passwd", NULL };

  /* A known key with another type. */
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "decision", g_variant_new_string ("refuse"));
  assert_refused (make_bytes (1, g_variant_builder_end (&dict)));

  /* Enumerations out of range. */
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "delivery", g_variant_new_uint32 (7));
  assert_refused (make_bytes (1, g_variant_builder_end (&dict)));

  g_variant_builder_init (&material, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&material, "{sv}", "status", g_variant_new_uint32 (99));
  g_variant_builder_init (&materials, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_builder_add_value (&materials, g_variant_builder_end (&material));
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "materials", g_variant_builder_end (&materials));
  assert_refused (make_bytes (1, g_variant_builder_end (&dict)));

  /* A page that names a file outside the store. */
  g_variant_builder_init (&material, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&material, "{sv}", "files", g_variant_new_strv (evil, -1));
  g_variant_builder_init (&materials, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_builder_add_value (&materials, g_variant_builder_end (&material));
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "materials", g_variant_builder_end (&materials));
  assert_refused (make_bytes (1, g_variant_builder_end (&dict)));

  /* An applicant of no known kind, an impossible date. */
  g_variant_builder_init (&material, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&material, "{sv}", "kind", g_variant_new_uint32 (0));
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "applicant", g_variant_builder_end (&material));
  assert_refused (make_bytes (1, g_variant_builder_end (&dict)));

  g_variant_builder_init (&material, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&material, "{sv}", "due-date", g_variant_new_uint32 (G_MAXUINT32));
  g_variant_builder_init (&materials, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_builder_add_value (&materials, g_variant_builder_end (&material));
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "materials", g_variant_builder_end (&materials));
  assert_refused (make_bytes (1, g_variant_builder_end (&dict)));

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "saved-at", g_variant_new_int64 (G_MAXINT64));
  assert_refused (make_bytes (1, g_variant_builder_end (&dict)));

  /* Another type altogether: a case record, a string, nothing. */
  {
    g_autoptr(GVariant) text = g_variant_ref_sink (g_variant_new_string ("(ua{sv})"));

    assert_refused (g_variant_get_data_as_bytes (text));
    assert_refused (g_bytes_new_static ("", 0));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/intake-draft/round-trip/full", test_round_trip_full);
  g_test_add_func ("/intake-draft/round-trip/empty", test_round_trip_empty);
  g_test_add_func ("/intake-draft/is-empty", test_is_empty);
  g_test_add_func ("/intake-draft/truncated", test_truncated);
  g_test_add_func ("/intake-draft/corrupt", test_corrupt);
  g_test_add_func ("/intake-draft/newer-version", test_newer_version);
  g_test_add_func ("/intake-draft/tolerant", test_tolerant);
  g_test_add_func ("/intake-draft/wrong-values", test_wrong_values);
  return g_test_run ();
}
