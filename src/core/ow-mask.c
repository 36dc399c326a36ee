/* ow-mask.c — masking of personal information on printed and displayed copies
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ow-mask.h"

/* Two-character surnames still in common use: showing only their first character would hide
 * part of the surname and show nothing less of the given name. */
static const char * const compound_surnames[] = {
  "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
  "夏侯", "轩辕", "令狐", "钟离", "闻人", "澹台", "公冶", "太史", "端木", "申屠", "南宫", "西门",
  "独孤", "万俟", "呼延", "单于", "赫连", "濮阳", "淳于", "拓跋", "百里", "东郭", "司空",
};

static const OwMaskPolicy default_policy = {
  .id_head = 6,
  .id_tail = 4,
  .phone_head = 3,
  .phone_tail = 4,
  .surname_only = TRUE,
};

/* Keeps @head characters and @tail characters of @text and stars the rest; a text that would keep
 * everything is starred entirely, so that a short value never passes unmasked. */
static char *
mask_middle (const char *text,
             guint       head,
             guint       tail)
{
  g_autofree char *valid = NULL;
  GString *result;
  glong length;
  const char *tail_start;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  length = g_utf8_strlen (valid, -1);
  result = g_string_new (NULL);

  if ((gulong) length <= (gulong) head + tail)
    {
      for (glong i = 0; i < length; i++)
        g_string_append_c (result, '*');
      return g_string_free (result, FALSE);
    }

  tail_start = g_utf8_offset_to_pointer (valid, length - (glong) tail);
  g_string_append_len (result, valid, g_utf8_offset_to_pointer (valid, head) - valid);
  for (glong i = head; i < length - (glong) tail; i++)
    g_string_append_c (result, '*');
  g_string_append (result, tail_start);

  return g_string_free (result, FALSE);
}

void
ow_mask_policy_init_default (OwMaskPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  *policy = default_policy;
}

char *
ow_mask_id (const OwMaskPolicy *policy,
            const char         *id)
{
  if (policy == NULL)
    policy = &default_policy;

  return mask_middle (id, policy->id_head, policy->id_tail);
}

char *
ow_mask_phone (const OwMaskPolicy *policy,
               const char         *phone)
{
  if (policy == NULL)
    policy = &default_policy;

  return mask_middle (phone, policy->phone_head, policy->phone_tail);
}

char *
ow_mask_name (const OwMaskPolicy *policy,
              const char         *name)
{
  guint surname_length = 1;

  if (policy == NULL)
    policy = &default_policy;

  if (name == NULL)
    return NULL;
  if (!policy->surname_only)
    return g_utf8_make_valid (name, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (compound_surnames); i++)
    if (g_str_has_prefix (name, compound_surnames[i]))
      {
        surname_length = 2;
        break;
      }

  return mask_middle (name, surname_length, 0);
}
