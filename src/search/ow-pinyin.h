/* ow-pinyin.h — pinyin syllables of Chinese text, from ICU's Han-Latin transliteration
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A transliterator with a memo of what ICU said for each Han character. ICU's Han-Latin gives
 * each character one reading whatever its neighbours (银行 is "yin xing", 长城 "zhang cheng"),
 * so asking it once per character gives the same syllables as asking per string, about a
 * thousand times faster (tests/search checks the equality over the whole catalog). Not
 * thread-safe: one per thread. */
typedef struct _OwPinyin OwPinyin;

/* NULL with @error when ICU lacks the transform. */
OwPinyin *ow_pinyin_new     (GError  **error);
void      ow_pinyin_free    (OwPinyin *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPinyin, ow_pinyin_free)

/* Splits @text into syllables, lower-case ASCII: each Han character is one syllable (its toneless
 * pinyin, ü written "v"); each run of other letters and digits is one syllable of its own,
 * case-folded ("80岁补贴" → "80" "sui" "bu" "tie"); everything else separates. Appends the
 * syllables to @pinyin (concatenated) and their start offsets in @pinyin to @starts
 * (guint16 each); returns how many. */
guint     ow_pinyin_syllables (OwPinyin   *self,
                               const char *text,
                               GString    *pinyin,
                               GArray     *starts);

/* ICU's transliteration of the whole of @text, accents folded the same way ("营业执照" →
 * "ying ye zhi zhao"): what ow_pinyin_syllables() must agree with. For tests. */
char     *ow_pinyin_transliterate (OwPinyin   *self,
                                   const char *text);

G_END_DECLS
