/* test-mask.c — masking of ID numbers, phone numbers and names
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-mask.h"

#define assert_masked(call, expected) G_STMT_START { \
  g_autofree char *masked_ = (call); \
  g_assert_cmpstr (masked_, ==, (expected)); \
} G_STMT_END

static void
test_default_policy (void)
{
  OwMaskPolicy policy;

  memset (&policy, 0xff, sizeof policy);
  ow_mask_policy_init_default (&policy);
  g_assert_cmpuint (policy.id_head, ==, 6);
  g_assert_cmpuint (policy.id_tail, ==, 4);
  g_assert_cmpuint (policy.phone_head, ==, 3);
  g_assert_cmpuint (policy.phone_tail, ==, 4);
  g_assert_true (policy.surname_only);
}

static void
test_id (void)
{
  OwMaskPolicy policy;

  assert_masked (ow_mask_id (NULL, "11010519491231002X"), "110105********002X");
  assert_masked (ow_mask_id (NULL, "91350100M000100Y43"), "913501********0Y43");
  /* Exactly head + tail characters: nothing would be hidden, so everything is. */
  assert_masked (ow_mask_id (NULL, "1234567890"), "**********");
  assert_masked (ow_mask_id (NULL, "12345678901"), "123456*8901");
  assert_masked (ow_mask_id (NULL, "123"), "***");
  assert_masked (ow_mask_id (NULL, ""), "");
  g_assert_null (ow_mask_id (NULL, NULL));

  ow_mask_policy_init_default (&policy);
  policy.id_head = 3;
  policy.id_tail = 1;
  assert_masked (ow_mask_id (&policy, "11010519491231002X"), "110**************X");
  policy.id_head = 0;
  policy.id_tail = 0;
  assert_masked (ow_mask_id (&policy, "11010519491231002X"), "******************");
}

static void
test_phone (void)
{
  OwMaskPolicy policy;

  assert_masked (ow_mask_phone (NULL, "13800138000"), "138****8000");
  assert_masked (ow_mask_phone (NULL, "1380013"), "*******");
  assert_masked (ow_mask_phone (NULL, "13800"), "*****");
  g_assert_null (ow_mask_phone (NULL, NULL));

  ow_mask_policy_init_default (&policy);
  policy.phone_head = 0;
  policy.phone_tail = 4;
  assert_masked (ow_mask_phone (&policy, "13800138000"), "*******8000");
}

static void
test_name (void)
{
  OwMaskPolicy policy;

  /* Characters, not bytes: each Chinese character is three bytes of UTF-8. */
  assert_masked (ow_mask_name (NULL, "张三"), "张*");
  assert_masked (ow_mask_name (NULL, "王小明"), "王**");
  assert_masked (ow_mask_name (NULL, "欧阳修"), "欧阳*");
  assert_masked (ow_mask_name (NULL, "司马相如"), "司马**");
  assert_masked (ow_mask_name (NULL, "买买提·艾力"), "买*****");
  assert_masked (ow_mask_name (NULL, "张"), "*");
  assert_masked (ow_mask_name (NULL, "欧阳"), "**");
  assert_masked (ow_mask_name (NULL, "Li Lei"), "L*****");
  g_assert_null (ow_mask_name (NULL, NULL));

  ow_mask_policy_init_default (&policy);
  policy.surname_only = FALSE;
  assert_masked (ow_mask_name (&policy, "王小明"), "王小明");

  /* Invalid UTF-8 comes out as valid UTF-8, never as a torn character. */
  {
    g_autofree char *masked = ow_mask_id (NULL, "110105\xff\xfe" "1949123100");

    g_assert_true (g_utf8_validate (masked, -1, NULL));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mask/default-policy", test_default_policy);
  g_test_add_func ("/mask/id", test_id);
  g_test_add_func ("/mask/phone", test_phone);
  g_test_add_func ("/mask/name", test_name);

  return g_test_run ();
}
