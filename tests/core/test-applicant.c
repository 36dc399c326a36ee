/* test-applicant.c — applicants and agents: copying, comparing, validating
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-applicant.h"
#include "core/ow-error.h"

static OwApplicant *
make_person (void)
{
  OwApplicant *person = ow_applicant_new (OW_APPLICANT_PERSON);

  person->name = g_strdup ("张三");
  person->id_number = g_strdup ("11010519491231002X");
  person->phone = g_strdup ("13800138000");
  person->address = g_strdup ("海南省海口市美兰区");
  return person;
}

static OwApplicant *
make_organisation (void)
{
  OwApplicant *organisation = ow_applicant_new (OW_APPLICANT_ORGANISATION);

  organisation->name = g_strdup ("海口某某餐饮有限公司");
  organisation->id_number = g_strdup ("91350100M000100Y43");
  organisation->phone = g_strdup ("+86 139 0898 0000");
  organisation->contact_name = g_strdup ("李四");
  return organisation;
}

static void
assert_invalid (const OwApplicant *applicant,
                const char        *prefix,
                const GDate       *today,
                const char        *expected_field,
                const char        *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  g_assert_false (ow_applicant_validate (applicant, prefix, today, &field, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_cmpstr (field, ==, expected_field);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message “%s” does not mention “%s”", error->message, fragment);
}

static void
test_copy_equal (void)
{
  g_autoptr(OwApplicant) person = make_person ();
  g_autoptr(OwApplicant) copy = ow_applicant_copy (person);
  g_autoptr(OwApplicant) boxed = g_boxed_copy (OW_TYPE_APPLICANT, person);
  g_autoptr(OwApplicant) empty = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(OwApplicant) empty_too = ow_applicant_new (OW_APPLICANT_PERSON);

  g_assert_true (copy != person);
  g_assert_true (copy->name != person->name);
  g_assert_true (ow_applicant_equal (person, copy));
  g_assert_true (ow_applicant_equal (person, boxed));
  g_assert_true (ow_applicant_equal (empty, empty_too));
  g_assert_true (ow_applicant_equal (NULL, NULL));
  g_assert_false (ow_applicant_equal (person, NULL));
  g_assert_false (ow_applicant_equal (NULL, person));
  g_assert_false (ow_applicant_equal (person, empty));
  g_assert_true (G_TYPE_IS_BOXED (OW_TYPE_APPLICANT));

  /* Each field takes part in the comparison. */
  g_free (copy->address);
  copy->address = NULL;
  g_assert_false (ow_applicant_equal (person, copy));
  g_free (boxed->contact_name);
  boxed->contact_name = g_strdup ("x");
  g_assert_false (ow_applicant_equal (person, boxed));
  empty_too->kind = OW_APPLICANT_ORGANISATION;
  g_assert_false (ow_applicant_equal (empty, empty_too));
}

static void
test_valid (void)
{
  g_autoptr(OwApplicant) person = make_person ();
  g_autoptr(OwApplicant) organisation = make_organisation ();
  g_autoptr(GError) error = NULL;
  char *field = (char *) "untouched";

  g_assert_true (ow_applicant_validate (person, "applicant", NULL, &field, &error));
  g_assert_no_error (error);
  g_assert_null (field);
  g_assert_true (ow_applicant_validate (organisation, "applicant", NULL, NULL, &error));
  g_assert_no_error (error);
  /* No address and no contact are fine. */
  g_clear_pointer (&person->address, g_free);
  g_assert_true (ow_applicant_validate (person, "agent", NULL, NULL, NULL));
}

static void
test_invalid (void)
{
  g_autoptr(OwApplicant) person = make_person ();
  g_autoptr(OwApplicant) organisation = make_organisation ();
  g_autoptr(GDate) in_1949 = g_date_new_dmy (30, 12, 1949);

  assert_invalid (NULL, "applicant", NULL, "applicant", "applicant");

  g_free (person->name);
  person->name = g_strdup ("  ");
  assert_invalid (person, "applicant", NULL, "applicant.name", "name");
  assert_invalid (person, "agent", NULL, "agent.name", "name");
  g_clear_pointer (&person->name, g_free);
  assert_invalid (person, "applicant", NULL, "applicant.name", "resident ID card");
  person->name = g_strdup ("张三");

  /* The birth date is in the future on the day given. */
  assert_invalid (person, "applicant", in_1949, "applicant.id_number", "in the future");

  g_free (person->id_number);
  person->id_number = g_strdup ("110105194912310023");
  assert_invalid (person, "agent", NULL, "agent.id_number", "should be X, not 3");
  /* A person identified by a credit code … */
  g_free (person->id_number);
  person->id_number = g_strdup ("91350100M000100Y43");
  assert_invalid (person, "applicant", NULL, "applicant.id_number", "Character 9");
  /* … and an organisation by a resident ID. */
  g_free (organisation->id_number);
  organisation->id_number = g_strdup ("11010519491231002X");
  assert_invalid (organisation, "applicant", NULL, "applicant.id_number", "check character");
  g_clear_pointer (&organisation->id_number, g_free);
  assert_invalid (organisation, "applicant", NULL, "applicant.id_number", "empty");
  organisation->id_number = g_strdup ("91350100M000100Y43");
  g_free (organisation->name);
  organisation->name = g_strdup ("");
  assert_invalid (organisation, "applicant", NULL, "applicant.name", "registered name");
  g_free (organisation->name);
  organisation->name = g_strdup ("海口某某餐饮有限公司");

  g_free (organisation->phone);
  organisation->phone = g_strdup ("0898-6666888");
  assert_invalid (organisation, "applicant", NULL, "applicant.phone", "13 to 19");
  g_clear_pointer (&organisation->phone, g_free);
  assert_invalid (organisation, "applicant", NULL, "applicant.phone", "empty");

  organisation->phone = g_strdup ("13800138000");
  organisation->kind = 0;
  assert_invalid (organisation, "applicant", NULL, "applicant.kind", "person or an organisation");
  organisation->kind = OW_APPLICANT_ORGANISATION;
  g_assert_true (ow_applicant_validate (organisation, NULL, NULL, NULL, NULL));

  /* Without a prefix the object is called "applicant". */
  organisation->kind = 7;
  assert_invalid (organisation, NULL, NULL, "applicant.kind", "organisation");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/applicant/copy-equal", test_copy_equal);
  g_test_add_func ("/applicant/valid", test_valid);
  g_test_add_func ("/applicant/invalid", test_invalid);

  return g_test_run ();
}
