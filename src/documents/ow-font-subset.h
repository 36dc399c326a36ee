/* ow-font-subset.h — a small TrueType font cut out of a big CFF collection (internal)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The face @index of the font file at @path, reduced to the characters of @repertoire that it
 * has (BMP only), its CFF outlines turned into TrueType outlines within half a font unit, each
 * character mapped to the glyph that shaping it alone in @language gives, named @family / @style
 * in its name table (the PostScript name stays the original's, so a PDF still says which
 * typeface it embeds). Returns the font file's bytes, or NULL with @error set (also for a face
 * without CFF outlines: there is nothing to gain from cutting it).
 *
 * Why TrueType: cairo 1.16 copies a CFF font's whole CFF table twice for every font of every
 * PDF it finishes and leaks the FDArray index of every CID-keyed one (cairo-cff-subset.c,
 * cairo_cff_font_read_cid_fontdict); its TrueType subsetter reads only the glyphs it embeds.
 *
 * Why the glyphs are numbered in code point order (glyph = code point + a constant over each
 * run of consecutive characters): for every new glyph of every PDF, cairo copies the Windows BMP
 * subtable of the character map and searches its segments one by one for the glyph's character
 * (_cairo_truetype_reverse_cmap). Numbered so, each run is one segment that adds a constant
 * (about 110 for the documents' repertoire instead of 3,652 with HarfBuzz's subsetter, which
 * keeps the source's order), and the subtable is 900 bytes instead of 36 KB.
 *
 * What that costs: the source's layout tables (GSUB, GPOS, GDEF), vertical metrics and variation
 * sequences refer to its glyph numbers and are not kept. Text in @language shapes to the same
 * glyphs and positions as with the full face (the character map gives each character its
 * shaped form, and Noto CJK positions nothing in Han runs). Latin runs, which Pango shapes in
 * English, get a GSUB and a GPOS of the cut's own, found by shaping with the full face: the
 * forms 'locl' gives English (Noto Serif CJK's tabular digits) and the kerning of each pair of
 * characters up to General Punctuation. Not kept: the ligatures of 'liga' (fi, fl), and
 * whatever else the full face does in runs of other scripts (vertical forms, combining marks).
 */
GBytes *ow_font_subset_build (const char       *path,
                              guint             index,
                              const gunichar   *repertoire,
                              gsize             n_repertoire,
                              const char       *language,
                              const char       *family,
                              const char       *style,
                              GError          **error);

G_END_DECLS
