/* ow-font-subset.h — a small TrueType font cut out of a big CFF collection (internal)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The face @index of the font file at @path, reduced to the characters of @repertoire (and
 * what its layout tables reach from them: the glyph ids stay those of the subset, so GSUB and
 * GPOS shape as before), its CFF outlines turned into TrueType outlines within half a font unit,
 * its character map giving the glyphs that text in @language is shaped to (see
 * map_language_forms()), named @family / @style in its name table (the PostScript name stays the
 * original's, so a PDF
 * still says which typeface it embeds). Returns the font file's bytes, or NULL with @error set
 * (also for a face without CFF outlines: there is nothing to gain from cutting it).
 *
 * Why TrueType: cairo 1.16 copies a CFF font's whole CFF table twice for every font of every
 * PDF it finishes and leaks the FDArray index of every CID-keyed one (cairo-cff-subset.c,
 * cairo_cff_font_read_cid_fontdict); its TrueType subsetter reads only the glyphs it embeds. */
GBytes *ow_font_subset_build (const char       *path,
                              guint             index,
                              const gunichar   *repertoire,
                              gsize             n_repertoire,
                              const char       *language,
                              const char       *family,
                              const char       *style,
                              GError          **error);

G_END_DECLS
