/* ow-document-fonts.c — the fonts every document is set in, prepared once
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents are set in Noto Serif CJK SC and Noto Sans CJK SC, which Debian ships as 19–27 MB
 * collections of CFF fonts. cairo 1.16 copies the whole CFF table of each of them twice for every
 * PDF and leaks part of it, so that drawing a notice cost 50 ms and 3 KB for good. The documents
 * use instead a TrueType cut of each face to the block of unified ideographs, the rest of
 * GB 2312 and the punctuation of the forms (ow-font-subset.c), made once per machine into the
 * user's cache and registered in a font configuration of the documents' own. The family lists
 * name the system's faces after the cuts, so that a character outside them (one of Extension A
 * in a name) is still printed, in the same typeface, from the full font.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "ow-document-fonts.h"
#include "ow-font-subset.h"

/* Bump when the cut or its repertoire changes: the cache key includes it. */
#define SUBSET_VERSION 9

typedef struct
{
  const char *system_family;
  int         weight;           /* FC_WEIGHT_* */
  const char *family;
  const char *style;
} Face;

static const Face faces[] = {
  { "Noto Serif CJK SC", FC_WEIGHT_REGULAR, OW_DOCUMENT_SERIF_FAMILY, "Regular" },
  { "Noto Serif CJK SC", FC_WEIGHT_BOLD, OW_DOCUMENT_SERIF_FAMILY, "Bold" },
  { "Noto Sans CJK SC", FC_WEIGHT_REGULAR, OW_DOCUMENT_SANS_FAMILY, "Regular" },
  { "Noto Sans CJK SC", FC_WEIGHT_BOLD, OW_DOCUMENT_SANS_FAMILY, "Bold" },
};

static GMutex lock;
static PangoFontMap *font_map;
static PangoContext *context;
static gboolean held;
/* What the context was last brought up to date with: see ow_document_fonts_update_context(). */
static gboolean updated;
static cairo_surface_type_t updated_type;
static cairo_matrix_t updated_matrix;

/* The whole block of CJK Unified Ideographs (the 6,763 characters of GB 2312 and the rarer ones
 * of names, such as 堃), every other character of GB 2312 (Greek, Cyrillic, kana, pinyin and
 * the like), ASCII and Latin-1, and the blocks of punctuation, symbols and full-width forms
 * that forms use. Whole blocks, so that the cut's character map is a few runs of consecutive
 * characters (ow-font-subset.c). */
static GArray *
make_repertoire (void)
{
  static const gunichar ranges[][2] = {
    { 0x0020, 0x007e }, { 0x00a0, 0x00ff }, { 0x2000, 0x206f }, { 0x2100, 0x218f },
    { 0x2190, 0x21ff }, { 0x2460, 0x24ff }, { 0x2500, 0x25ff }, { 0x3000, 0x303f },
    { 0x3200, 0x32ff }, { 0x4e00, 0x9fff }, { 0xff00, 0xffef },
  };
  GArray *repertoire = g_array_new (FALSE, FALSE, sizeof (gunichar));
  GIConv iconv = g_iconv_open ("UTF-32LE", "GB2312");

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    for (gunichar c = ranges[i][0]; c <= ranges[i][1]; c++)
      g_array_append_val (repertoire, c);

  /* Rows 1 to 9 of GB 2312: its ideographs (rows 16 on) are all in the block above. Its Latin-1
   * signs come twice; ow_font_subset_build() takes them once. */
  if (iconv != (GIConv) -1)
    {
      for (guint hi = 0xa1; hi <= 0xa9; hi++)
        for (guint lo = 0xa1; lo <= 0xfe; lo++)
          {
            char in[2] = { (char) hi, (char) lo };
            guint8 out[4];
            char *inp = in, *outp = (char *) out;
            gsize in_left = 2, out_left = 4;

            if (g_iconv (iconv, &inp, &in_left, &outp, &out_left) != (gsize) -1
                && out_left == 0)
              {
                gunichar c = out[0] | (out[1] << 8) | (out[2] << 16) | ((gunichar) out[3] << 24);

                g_array_append_val (repertoire, c);
              }
            g_iconv (iconv, NULL, NULL, NULL, NULL);
          }
      g_iconv_close (iconv);
    }
  return repertoire;
}

/* The file and face that fontconfig gives for @face, if it is really that family. */
static gboolean
find_system_face (FcConfig   *config,
                  const Face *face,
                  char      **path,
                  int        *index)
{
  FcPattern *pattern = FcPatternCreate ();
  FcPattern *match;
  FcResult result;
  FcChar8 *file = NULL, *family = NULL;
  gboolean found = FALSE;

  FcPatternAddString (pattern, FC_FAMILY, (const FcChar8 *) face->system_family);
  FcPatternAddInteger (pattern, FC_WEIGHT, face->weight);
  FcConfigSubstitute (config, pattern, FcMatchPattern);
  FcDefaultSubstitute (pattern);
  match = FcFontMatch (config, pattern, &result);
  if (match != NULL
      && FcPatternGetString (match, FC_FAMILY, 0, &family) == FcResultMatch
      && g_ascii_strcasecmp ((const char *) family, face->system_family) == 0
      && FcPatternGetString (match, FC_FILE, 0, &file) == FcResultMatch
      && FcPatternGetInteger (match, FC_INDEX, 0, index) == FcResultMatch)
    {
      *path = g_strdup ((const char *) file);
      found = TRUE;
    }
  if (match != NULL)
    FcPatternDestroy (match);
  FcPatternDestroy (pattern);
  return found;
}

/* The cut of @face in the cache, made now if it is not there yet; NULL when it cannot be. */
static char *
ensure_subset (FcConfig   *config,
               const Face *face,
               GArray     *repertoire)
{
  g_autofree char *source = NULL;
  g_autofree char *key = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) font = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  int index = 0;

  if (!find_system_face (config, face, &source, &index) || g_stat (source, &st) != 0)
    {
      g_debug ("No %s with weight %d is installed: documents use whatever fontconfig offers",
               face->system_family, face->weight);
      return NULL;
    }

  /* The source file's identity, the face and the cut: a new font package makes a new file. */
  key = g_strdup_printf ("%d\n%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%d\n%s\n%s\n%u",
                         SUBSET_VERSION, source, (gint64) st.st_size, (gint64) st.st_mtime,
                         index, face->family, face->style, repertoire->len);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  base = g_path_get_basename (source);
  if (strrchr (base, '.') != NULL)
    *strrchr (base, '.') = '\0';
  name = g_strdup_printf ("%s-%d-%.16s.ttf", base, index, digest);
  dir = g_build_filename (g_get_user_cache_dir (), "onewindow", "document-fonts", NULL);
  path = g_build_filename (dir, name, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);

  font = ow_font_subset_build (source, index, (const gunichar *) repertoire->data,
                               repertoire->len, OW_DOCUMENT_LANGUAGE, face->family, face->style,
                               &error);
  if (font == NULL)
    {
      g_message ("Documents use the full %s: %s", face->system_family, error->message);
      return NULL;
    }
  /* Written whole or not at all (g_file_set_contents renames a temporary file), so that
   * another instance of the app never reads half a font. */
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents (path, g_bytes_get_data (font, NULL), g_bytes_get_size (font),
                               &error))
    {
      g_message ("Documents use the full %s: the cut cannot be kept in %s (%s)",
                 face->system_family, dir, error != NULL ? error->message : g_strerror (errno));
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* Cuts of fonts replaced since (a new font package, a new cut) take 20 MB for nothing: removed
 * once they are a day old, so that another instance of the app still starting with them is not
 * left without. */
static void
remove_stale_cuts (GPtrArray *current)
{
  g_autofree char *dir_path = g_build_filename (g_get_user_cache_dir (), "onewindow",
                                                "document-fonts", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  gint64 day_ago = g_get_real_time () / G_USEC_PER_SEC - 24 * 3600;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      GStatBuf st;
      gboolean keep = !g_str_has_suffix (name, ".ttf");

      for (guint i = 0; !keep && i < current->len; i++)
        keep = g_str_equal (path, g_ptr_array_index (current, i));
      if (!keep && g_stat (path, &st) == 0 && st.st_mtime < day_ago)
        g_unlink (path);
    }
}

static PangoFontMap *
create_font_map (void)
{
  FcConfig *config = FcInitLoadConfigAndFonts ();
  PangoFontMap *map = pango_cairo_font_map_new_for_font_type (CAIRO_FONT_TYPE_FT);
  g_autoptr(GArray) repertoire = make_repertoire ();
  g_autoptr(GPtrArray) cuts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; config != NULL && i < G_N_ELEMENTS (faces); i++)
    {
      char *path = ensure_subset (config, &faces[i], repertoire);

      if (path == NULL)
        continue;
      g_ptr_array_add (cuts, path);
      if (!FcConfigAppFontAddFile (config, (const FcChar8 *) path))
        g_message ("Documents use the full %s: fontconfig does not take %s",
                   faces[i].system_family, path);
    }
  if (cuts->len > 0)
    remove_stale_cuts (cuts);
  if (config != NULL && PANGO_IS_FC_FONT_MAP (map))
    pango_fc_font_map_set_config (PANGO_FC_FONT_MAP (map), config);
  if (config != NULL)
    FcConfigDestroy (config);
  return map;
}

PangoFontMap *
ow_document_fonts_acquire (void)
{
  g_mutex_lock (&lock);
  held = TRUE;
  if (font_map == NULL)
    font_map = create_font_map ();
  return font_map;
}

void
ow_document_fonts_release (void)
{
  g_assert (held);
  held = FALSE;
  g_mutex_unlock (&lock);
}

PangoFontMap *
ow_document_fonts_get_map (void)
{
  g_assert (held && font_map != NULL);
  return font_map;
}

PangoContext *
ow_document_fonts_get_context (void)
{
  g_assert (held && font_map != NULL);

  if (context == NULL)
    {
      cairo_font_options_t *options = cairo_font_options_create ();

      cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
      cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
      context = pango_font_map_create_context (font_map);
      pango_context_set_language (context, pango_language_from_string (OW_DOCUMENT_LANGUAGE));
      pango_cairo_context_set_font_options (context, options);
      cairo_font_options_destroy (options);
    }
  return context;
}

void
ow_document_fonts_update_context (cairo_t *cr)
{
  cairo_surface_type_t type = cairo_surface_get_type (cairo_get_target (cr));
  cairo_matrix_t matrix;

  g_assert (held && context != NULL);

  /* pango_cairo_update_context() sets the context's matrix, and setting a matrix counts as a
   * change even when it is the same one: every layout of the context would then be laid out
   * again when next used, each page and each document. Only a new kind of target (its font
   * options) or a new scale matters here; offsets do not. */
  cairo_get_matrix (cr, &matrix);
  matrix.x0 = matrix.y0 = 0;
  if (updated && type == updated_type && memcmp (&matrix, &updated_matrix, sizeof matrix) == 0)
    return;
  pango_cairo_update_context (cr, context);
  updated = TRUE;
  updated_type = type;
  updated_matrix = matrix;
}
