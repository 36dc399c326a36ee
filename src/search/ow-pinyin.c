/* ow-pinyin.c — pinyin syllables of Chinese text, from ICU's Han-Latin transliteration
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "search/ow-pinyin.h"

/* Han-Latin gives toned pinyin ("lǜ"); the rest of the chain drops the tones, writes ü as "v"
 * the way pinyin keyboards do, and leaves plain ASCII. */
#define PINYIN_RULES \
  ":: Han-Latin ; :: NFD ; u \\u0308 > v ; :: [:Nonspacing Mark:] Remove ; :: Latin-ASCII ;"

struct _OwPinyin
{
  UTransliterator *trans;
  GHashTable *memo;       /* gunichar → char*, "" when ICU knows no reading */
};

OwPinyin *
ow_pinyin_new (GError **error)
{
  g_autoptr(OwPinyin) self = g_new0 (OwPinyin, 1);
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  UChar id[16];
  UChar rules[256];

  u_uastrcpy (id, "ow-pinyin");
  u_unescape (PINYIN_RULES, rules, G_N_ELEMENTS (rules));
  self->trans = utrans_openU (id, -1, UTRANS_FORWARD, rules, -1, &parse_error, &status);
  if (U_FAILURE (status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "ICU cannot transliterate Chinese to pinyin: %s", u_errorName (status));
      return NULL;
    }
  self->memo = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  return g_steal_pointer (&self);
}

void
ow_pinyin_free (OwPinyin *self)
{
  if (self == NULL)
    return;
  if (self->trans != NULL)
    utrans_close (self->trans);
  g_clear_pointer (&self->memo, g_hash_table_unref);
  g_free (self);
}

/* Runs the transliterator over @text; NULL when ICU fails. */
static char *
transliterate (OwPinyin   *self,
               const char *text,
               gssize      length)
{
  UErrorCode status = U_ZERO_ERROR;
  g_autofree UChar *buffer = NULL;
  int32_t n = 0, capacity, limit;
  char *out;
  int32_t out_length = 0;

  u_strFromUTF8 (NULL, 0, &n, text, length, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE (status))
    return NULL;
  /* Each character may become a syllable of up to six letters and a blank. */
  capacity = n * 8 + 16;
  buffer = g_new (UChar, capacity);
  status = U_ZERO_ERROR;
  u_strFromUTF8 (buffer, capacity, &n, text, length, &status);
  if (U_FAILURE (status))
    return NULL;
  limit = n;
  utrans_transUChars (self->trans, buffer, &n, capacity, 0, &limit, &status);
  if (U_FAILURE (status))
    return NULL;
  status = U_ZERO_ERROR;
  u_strToUTF8 (NULL, 0, &out_length, buffer, n, &status);
  out = g_malloc (out_length + 1);
  status = U_ZERO_ERROR;
  u_strToUTF8 (out, out_length + 1, NULL, buffer, n, &status);
  if (U_FAILURE (status))
    {
      g_free (out);
      return NULL;
    }
  return out;
}

/* The syllable of one Han character, lower-case ASCII letters, "" when there is none. */
static const char *
lookup_han (OwPinyin *self,
            gunichar  c)
{
  const char *known = g_hash_table_lookup (self->memo, GUINT_TO_POINTER (c));
  g_autofree char *raw = NULL;
  char utf8[8];
  GString *letters;

  if (known != NULL)
    return known;
  utf8[g_unichar_to_utf8 (c, utf8)] = '\0';
  raw = transliterate (self, utf8, -1);
  letters = g_string_new (NULL);
  for (const char *p = raw; p != NULL && *p != '\0'; p++)
    if (g_ascii_isalpha (*p))
      g_string_append_c (letters, g_ascii_tolower (*p));
  known = letters->str;
  g_hash_table_insert (self->memo, GUINT_TO_POINTER (c), g_string_free (letters, FALSE));
  return known;
}

static void
add_syllable (GString    *pinyin,
              GArray     *starts,
              const char *syllable,
              gsize       length,
              guint      *count)
{
  guint16 start;

  if (length == 0 || pinyin->len + length > G_MAXUINT16)
    return;
  start = pinyin->len;
  g_array_append_val (starts, start);
  g_string_append_len (pinyin, syllable, length);
  (*count)++;
}

guint
ow_pinyin_syllables (OwPinyin   *self,
                     const char *text,
                     GString    *pinyin,
                     GArray     *starts)
{
  g_autoptr(GString) run = g_string_new (NULL);
  guint count = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (pinyin != NULL && starts != NULL, 0);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && g_ascii_isalnum (c))
        {
          g_string_append_c (run, g_ascii_tolower (c));
          continue;
        }
      add_syllable (pinyin, starts, run->str, run->len, &count);
      g_string_truncate (run, 0);
      if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
        {
          const char *syllable = lookup_han (self, c);
          add_syllable (pinyin, starts, syllable, strlen (syllable), &count);
        }
    }
  add_syllable (pinyin, starts, run->str, run->len, &count);
  return count;
}

char *
ow_pinyin_transliterate (OwPinyin   *self,
                         const char *text)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  return transliterate (self, text, -1);
}
