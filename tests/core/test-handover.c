/* test-handover.c — who collects a result: the applicant's own ID, or an agent with a letter
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/ow-error.h"
#include "core/ow-handover.h"

#define APPLICANT_ID "11010519491231002X"
#define AGENT_ID     "460100200002291233"
#define PAGE         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static OwCase *
make_case (OwApplicantKind kind,
           const char     *id_number)
{
  OwCase *kase = ow_case_new ("4601000107202611250001X");
  g_autoptr(OwApplicant) applicant = ow_applicant_new (kind);

  applicant->name = g_strdup (kind == OW_APPLICANT_PERSON ? "张三" : "海口某某有限公司");
  applicant->id_number = g_strdup (id_number);
  ow_case_set_applicant (kase, applicant);
  return kase;
}

static void
assert_invalid (const OwCollector *collector,
                const char        *field_expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autoptr(GDate) today = g_date_new_dmy (25, G_DATE_NOVEMBER, 2026);

  g_assert_false (ow_collector_validate (collector, today, &field, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_cmpstr (field, ==, field_expected);
}

static void
test_validate (void)
{
  g_autoptr(GDate) today = g_date_new_dmy (25, G_DATE_NOVEMBER, 2026);
  g_autoptr(OwCollector) applicant = ow_collector_new (OW_COLLECTOR_APPLICANT);
  g_autoptr(OwCollector) agent = ow_collector_new (OW_COLLECTOR_AGENT);
  g_autoptr(OwCollector) organisation = ow_collector_new (OW_COLLECTOR_APPLICANT);
  g_autoptr(GError) error = NULL;

  applicant->name = g_strdup ("张三");
  assert_invalid (applicant, "collector.id_number");
  /* One character off fails GB 11643. */
  applicant->id_number = g_strdup ("110105194912310021");
  assert_invalid (applicant, "collector.id_number");
  g_free (applicant->id_number);
  applicant->id_number = g_strdup (APPLICANT_ID);
  g_assert_true (ow_collector_validate (applicant, today, NULL, &error));
  g_assert_no_error (error);
  /* The applicant leaves no phone and brings no letter. */
  g_ptr_array_add (applicant->letter_files, g_strdup (PAGE));
  assert_invalid (applicant, "collector.letter_files");

  organisation->name = g_strdup ("海口某某有限公司");
  organisation->id_number = g_strdup ("91350100M000100Y43");
  g_assert_true (ow_collector_validate (organisation, today, NULL, &error));
  g_assert_no_error (error);

  agent->name = g_strdup ("李四");
  agent->id_number = g_strdup (AGENT_ID);
  assert_invalid (agent, "collector.phone");
  agent->phone = g_strdup ("1380013800");
  assert_invalid (agent, "collector.phone");
  g_free (agent->phone);
  agent->phone = g_strdup ("13800138000");
  assert_invalid (agent, "collector.letter_files");
  g_ptr_array_add (agent->letter_files, g_strdup ("not a hash"));
  assert_invalid (agent, "collector.letter_files[0]");
  g_ptr_array_set_size (agent->letter_files, 0);
  g_ptr_array_add (agent->letter_files, g_strdup (PAGE));
  g_assert_true (ow_collector_validate (agent, today, NULL, &error));
  g_assert_no_error (error);
  /* An agent shows a resident ID, not a company's code. */
  g_free (agent->id_number);
  agent->id_number = g_strdup ("91350100M000100Y43");
  assert_invalid (agent, "collector.id_number");
  g_free (agent->name);
  agent->name = g_strdup ("  ");
  assert_invalid (agent, "collector.name");
}

static void
test_check_case (void)
{
  g_autoptr(OwCase) kase = make_case (OW_APPLICANT_PERSON, APPLICANT_ID);
  g_autoptr(OwCollector) collector = ow_collector_new (OW_COLLECTOR_APPLICANT);
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  collector->name = g_strdup ("张三");
  collector->id_number = g_strdup ("11010519491231002x");
  /* Typed in lower case is the same ID. */
  g_assert_true (ow_collector_check_case (collector, kase, &field, &error));
  g_assert_no_error (error);

  g_free (collector->id_number);
  collector->id_number = g_strdup (AGENT_ID);
  g_assert_false (ow_collector_check_case (collector, kase, &field, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_cmpstr (field, ==, "collector.id_number");
  /* It says whose it should be, masked, and that nothing happened. */
  g_assert_nonnull (strstr (error->message, "张三"));
  g_assert_nonnull (strstr (error->message, "110105********002X"));
  g_assert_null (strstr (error->message, APPLICANT_ID));
  g_assert_nonnull (strstr (error->message, "Nothing was handed over"));
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);

  /* An agent with the applicant's own ID is the applicant. */
  collector->kind = OW_COLLECTOR_AGENT;
  g_free (collector->id_number);
  collector->id_number = g_strdup (APPLICANT_ID);
  g_assert_false (ow_collector_check_case (collector, kase, &field, &error));
  g_assert_cmpstr (field, ==, "collector.kind");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);

  g_free (collector->id_number);
  collector->id_number = g_strdup (AGENT_ID);
  g_assert_true (ow_collector_check_case (collector, kase, &field, &error));
  g_assert_no_error (error);
}

static void
test_results (void)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (
                                   (GDestroyNotify) ow_handover_result_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *long_number = g_strnfill (101, '9');

  g_assert_true (ow_handover_results_validate (NULL, &field, &error));
  g_ptr_array_add (results, ow_handover_result_new ("营业执照", "91460100MA5T00000X"));
  g_ptr_array_add (results, ow_handover_result_new ("不予许可决定书", NULL));
  g_assert_true (ow_handover_results_validate (results, &field, &error));
  g_assert_no_error (error);

  g_ptr_array_add (results, ow_handover_result_new ("", NULL));
  g_assert_false (ow_handover_results_validate (results, &field, &error));
  g_assert_cmpstr (field, ==, "results[2].name");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);
  g_ptr_array_remove_index (results, 2);
  g_ptr_array_add (results, ow_handover_result_new ("卫生许可证", long_number));
  g_assert_false (ow_handover_results_validate (results, &field, &error));
  g_assert_cmpstr (field, ==, "results[2].number");
}

static void
test_kinds (void)
{
  OwCollectorKind kind;

  g_assert_cmpstr (ow_collector_kind_to_string (OW_COLLECTOR_AGENT), ==, "agent");
  g_assert_true (ow_collector_kind_from_string ("applicant", &kind));
  g_assert_cmpint (kind, ==, OW_COLLECTOR_APPLICANT);
  g_assert_false (ow_collector_kind_from_string ("courier", &kind));
  g_assert_null (ow_collector_kind_to_string (0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/handover/validate", test_validate);
  g_test_add_func ("/handover/check-case", test_check_case);
  g_test_add_func ("/handover/results", test_results);
  g_test_add_func ("/handover/kinds", test_kinds);
  return g_test_run ();
}
