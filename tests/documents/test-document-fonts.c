/* test-document-fonts.c — the TrueType cuts of the CJK faces that documents are set in
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real fonts (Debian's fonts-noto-cjk), read back with FreeType, and real PDFs read back with
 * poppler's pdffonts and pdftotext. The cache of cuts lives in a folder of the test's own.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <utime.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H
#include FT_SFNT_NAMES_H
#include <hb.h>
#include <hb-ot.h>

#include "core/ow-case-number.h"
#include "documents/ow-document.h"
#include "documents/ow-document-fonts.h"
#include "documents/ow-font-subset.h"

static char *cache_dir;

#define STALE_OLD   "NotoSansCJK-Regular-2-0000000000000000.ttf"
#define STALE_FRESH "NotoSansCJK-Regular-2-1111111111111111.ttf"

/* Cuts of an earlier version, one two days old and one of a minute ago. */
static void
make_stale_cuts (void)
{
  g_autofree char *dir = g_build_filename (cache_dir, "onewindow", "document-fonts", NULL);
  g_autofree char *old = g_build_filename (dir, STALE_OLD, NULL);
  g_autofree char *fresh = g_build_filename (dir, STALE_FRESH, NULL);
  struct utimbuf times;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (old, "an old cut", -1, NULL));
  g_assert_true (g_file_set_contents (fresh, "a new cut", -1, NULL));
  times.actime = times.modtime = time (NULL) - 2 * 24 * 3600;
  g_assert_cmpint (g_utime (old, &times), ==, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The file and face of the installed @family (with fontconfig's @style, "" or ":bold"). */
static gboolean
find_noto (const char *family,
           const char *style,
           char      **path,
           int        *index)
{
  g_autofree char *name = g_strconcat (family, style, NULL);
  FcPattern *pattern = FcNameParse ((const FcChar8 *) name);
  FcPattern *match;
  FcResult result;
  FcChar8 *file = NULL, *found_family = NULL;
  gboolean found = FALSE;

  FcConfigSubstitute (NULL, pattern, FcMatchPattern);
  FcDefaultSubstitute (pattern);
  match = FcFontMatch (NULL, pattern, &result);
  if (match != NULL && FcPatternGetString (match, FC_FAMILY, 0, &found_family) == FcResultMatch
      && g_str_equal ((const char *) found_family, family)
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

static gboolean
find_noto_sans (char **path,
                int   *index)
{
  return find_noto ("Noto Sans CJK SC", "", path, index);
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return out;
}

/* The segments of the (3,1) format 4 subtable of @face's character map, what cairo searches
 * for the character of each glyph it embeds; -1 without one. @n_list gets the number of
 * segments that list their glyphs (cairo searches those one glyph at a time). */
static int
count_segments (FT_Face face,
                int    *n_list)
{
  g_autofree guint8 *cmap = NULL;
  FT_ULong length = 0;
  int n_segments = -1;

  *n_list = 0;
  if (FT_Load_Sfnt_Table (face, TTAG_cmap, 0, NULL, &length) != 0 || length < 4)
    return -1;
  cmap = g_malloc (length);
  g_assert_cmpint (FT_Load_Sfnt_Table (face, TTAG_cmap, 0, cmap, &length), ==, 0);
  for (guint i = 0; i < (guint) ((cmap[2] << 8) | cmap[3]) && 4 + 8 * (i + 1) <= length; i++)
    {
      const guint8 *record = cmap + 4 + 8 * i;
      guint32 at = ((guint32) record[4] << 24) | (record[5] << 16) | (record[6] << 8) | record[7];
      const guint8 *table = cmap + at;

      if (((record[0] << 8) | record[1]) != 3 || ((record[2] << 8) | record[3]) != 1
          || at + 14 > length || ((table[0] << 8) | table[1]) != 4)
        continue;
      n_segments = ((table[6] << 8) | table[7]) / 2;
      g_assert_cmpuint (at + 16 + 8 * n_segments, <=, length);
      for (int k = 0; k < n_segments; k++)
        {
          const guint8 *range_offset = table + 16 + 6 * n_segments + 2 * k;

          if (((range_offset[0] << 8) | range_offset[1]) != 0)
            (*n_list)++;
        }
    }
  return n_segments;
}

/* Shapes @text with @font in @script and @language, as Pango does a run. */
static hb_buffer_t *
shape (hb_font_t   *font,
       const char  *text,
       hb_script_t  script,
       const char  *language)
{
  hb_buffer_t *buffer = hb_buffer_create ();

  hb_buffer_add_utf8 (buffer, text, -1, 0, -1);
  hb_buffer_set_direction (buffer, HB_DIRECTION_LTR);
  hb_buffer_set_script (buffer, script);
  hb_buffer_set_language (buffer, hb_language_from_string (language, -1));
  hb_shape (font, buffer, NULL, 0);
  return buffer;
}

typedef struct
{
  double x_min, y_min, x_max, y_max;
  double last_x, last_y;
} Extents;

static void
extents_add (Extents *e,
             double   x,
             double   y)
{
  e->x_min = MIN (e->x_min, x);
  e->y_min = MIN (e->y_min, y);
  e->x_max = MAX (e->x_max, x);
  e->y_max = MAX (e->y_max, y);
}

static int
extents_move_to (const FT_Vector *to,
                 void            *user)
{
  Extents *e = user;

  extents_add (e, to->x, to->y);
  e->last_x = to->x;
  e->last_y = to->y;
  return 0;
}

static int
extents_conic_to (const FT_Vector *control,
                  const FT_Vector *to,
                  void            *user)
{
  Extents *e = user;

  for (int i = 1; i <= 64; i++)
    {
      double t = i / 64.0, u = 1 - t;

      extents_add (e, u * u * e->last_x + 2 * u * t * control->x + t * t * to->x,
                   u * u * e->last_y + 2 * u * t * control->y + t * t * to->y);
    }
  return extents_move_to (to, user);
}

static int
extents_cubic_to (const FT_Vector *c1,
                  const FT_Vector *c2,
                  const FT_Vector *to,
                  void            *user)
{
  Extents *e = user;

  for (int i = 1; i <= 64; i++)
    {
      double t = i / 64.0, u = 1 - t;

      extents_add (e, u * u * u * e->last_x + 3 * u * u * t * c1->x + 3 * u * t * t * c2->x
                      + t * t * t * to->x,
                   u * u * u * e->last_y + 3 * u * u * t * c1->y + 3 * u * t * t * c2->y
                      + t * t * t * to->y);
    }
  return extents_move_to (to, user);
}

/* The extents of the outline in @face's slot, the arcs' extremes within a small fraction of a
 * font unit (FT_Outline_Get_BBox misses some in font units). */
static void
get_extents (FT_Face  face,
             Extents *e)
{
  static const FT_Outline_Funcs funcs = {
    extents_move_to, extents_move_to, extents_conic_to, extents_cubic_to, 0, 0
  };

  e->x_min = e->y_min = G_MAXDOUBLE;
  e->x_max = e->y_max = -G_MAXDOUBLE;
  FT_Outline_Decompose (&face->glyph->outline, &funcs, e);
}

/* Glyph @a of @original and glyph @b of @cut have the same advance and, within a font unit, the
 * same outline extents (not control boxes: the off-curve points of a quadratic approximation
 * may stick out of the cubic's control polygon). */
static void
assert_same_glyph (FT_Face original,
                   FT_UInt a,
                   FT_Face cut,
                   FT_UInt b)
{
  Extents box_a, box_b;
  FT_Pos advance;
  int contours;

  g_assert_cmpint (FT_Load_Glyph (original, a, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), ==, 0);
  advance = original->glyph->metrics.horiAdvance;
  contours = original->glyph->outline.n_contours;
  get_extents (original, &box_a);
  g_assert_cmpint (FT_Load_Glyph (cut, b, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), ==, 0);
  g_assert_cmpint (cut->glyph->format, ==, FT_GLYPH_FORMAT_OUTLINE);
  g_assert_cmpint (cut->glyph->metrics.horiAdvance, ==, advance);
  if (contours == 0)
    {
      g_assert_cmpint (cut->glyph->outline.n_contours, ==, 0);
      return;
    }
  g_assert_cmpint (cut->glyph->outline.n_contours, >, 0);
  get_extents (cut, &box_b);
  if (fabs (box_b.x_min - box_a.x_min) > 1 || fabs (box_b.y_min - box_a.y_min) > 1
      || fabs (box_b.x_max - box_a.x_max) > 1 || fabs (box_b.y_max - box_a.y_max) > 1)
    g_test_message ("glyph %u of the full face, %u of the cut: extents %g %g %g %g, %g %g %g %g",
                    a, b, box_a.x_min, box_a.y_min, box_a.x_max, box_a.y_max,
                    box_b.x_min, box_b.y_min, box_b.x_max, box_b.y_max);
  g_assert_cmpfloat (fabs (box_b.x_min - box_a.x_min), <=, 1);
  g_assert_cmpfloat (fabs (box_b.y_min - box_a.y_min), <=, 1);
  g_assert_cmpfloat (fabs (box_b.x_max - box_a.x_max), <=, 1);
  g_assert_cmpfloat (fabs (box_b.y_max - box_a.y_max), <=, 1);
}

static int
compare_code_points (gconstpointer a,
                     gconstpointer b)
{
  gunichar x = *(const gunichar *) a, y = *(const gunichar *) b;

  return x < y ? -1 : x > y;
}

/* The cut has every character asked for, with the advance and (within a font unit) the outline
 * extents of the original glyph, as TrueType; nothing else; and the family it was given. Its
 * glyphs are numbered in code point order, so that each run of consecutive characters is one
 * segment of the character map that adds a constant to the code point. */
static void
test_cut (void)
{
  const char *text = "受理通知书海口市政务服务中心，（）〔〕：“”ABC xyz 0123";
  g_autofree char *path = NULL;
  g_autofree gunichar *chars = NULL;
  g_autoptr(GBytes) font = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (gunichar));
  FT_Library library;
  FT_Face original, cut;
  FT_ULong length = 0;
  glong n = 0;
  int index = 0, n_list = 0;
  guint n_runs = 0;
  FT_UInt previous = 0;
  gsize size;
  const guint8 *data;

  if (!find_noto_sans (&path, &index))
    {
      g_test_skip ("Noto Sans CJK SC (fonts-noto-cjk) is not installed");
      return;
    }
  chars = g_utf8_to_ucs4 (text, -1, NULL, &n, NULL);
  font = ow_font_subset_build (path, index, chars, n, "zh-cn", "OneWindow Test Sans", "Regular",
                               &error);
  g_assert_no_error (error);
  g_assert_nonnull (font);
  data = g_bytes_get_data (font, &size);
  /* A cut of a few dozen characters, not the 19 MB collection. */
  g_assert_cmpuint (size, <, 200 * 1024);

  g_assert_cmpint (FT_Init_FreeType (&library), ==, 0);
  g_assert_cmpint (FT_New_Face (library, path, index, &original), ==, 0);
  g_assert_cmpint (FT_New_Memory_Face (library, data, (FT_Long) size, 0, &cut), ==, 0);

  g_assert_cmpstr (cut->family_name, ==, "OneWindow Test Sans");
  g_assert_cmpstr (cut->style_name, ==, "Regular");
  g_assert_cmpstr (FT_Get_Postscript_Name (cut), ==, FT_Get_Postscript_Name (original));
  g_assert_cmpint (FT_Load_Sfnt_Table (cut, TTAG_glyf, 0, NULL, &length), ==, 0);
  g_assert_cmpuint (length, >, 0);
  length = 0;
  g_assert_cmpint (FT_Load_Sfnt_Table (cut, TTAG_CFF, 0, NULL, &length), !=, 0);
  g_assert_cmpint (cut->units_per_EM, ==, original->units_per_EM);

  /* Each character has the glyph that shaping it alone in Chinese gives with the full face (the
   * Chinese forms of the full-width colon and quotes, which the collection maps to the
   * Japanese ones, 'locl' replacing them), so that text in Chinese shapes to the same glyphs. */
  {
    hb_blob_t *blob = hb_blob_create_from_file (path);
    hb_face_t *hb_face = hb_face_create (blob, index);
    hb_font_t *hb_font = hb_font_create (hb_face);
    hb_unicode_funcs_t *unicode = hb_unicode_funcs_get_default ();

    for (glong i = 0; i < n; i++)
      {
        char utf8[8] = { 0 };
        hb_buffer_t *buffer;
        unsigned int count = 0;
        hb_glyph_info_t *glyph_info;
        FT_UInt b = FT_Get_Char_Index (cut, chars[i]);

        g_unichar_to_utf8 (chars[i], utf8);
        buffer = shape (hb_font, utf8, hb_unicode_script (unicode, chars[i]), "zh-cn");
        glyph_info = hb_buffer_get_glyph_infos (buffer, &count);
        g_assert_cmpuint (count, ==, 1);
        g_assert_cmpuint (glyph_info[0].codepoint, !=, 0);
        g_assert_cmpuint (b, !=, 0);
        assert_same_glyph (original, glyph_info[0].codepoint, cut, b);
        hb_buffer_destroy (buffer);
        g_array_append_val (sorted, chars[i]);
      }
    hb_font_destroy (hb_font);
    hb_face_destroy (hb_face);
    hb_blob_destroy (blob);
  }

  /* Layout tables of the cut's own, for Latin runs only (the source's refer to its glyph
   * numbers): the default script, which Han runs take, has no features. */
  {
    hb_blob_t *blob = hb_blob_create ((const char *) data, size, HB_MEMORY_MODE_READONLY, NULL,
                                      NULL);
    hb_face_t *hb_face = hb_face_create (blob, 0);
    static const hb_tag_t tables[] = { HB_OT_TAG_GSUB, HB_OT_TAG_GPOS };

    for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
      {
        hb_tag_t scripts[4];
        unsigned int n_scripts = G_N_ELEMENTS (scripts), n_features = 0;

        hb_ot_layout_table_get_script_tags (hb_face, tables[t], 0, &n_scripts, scripts);
        g_assert_cmpuint (n_scripts, ==, 2);
        g_assert_cmpuint (scripts[0], ==, HB_TAG ('D', 'F', 'L', 'T'));
        g_assert_cmpuint (scripts[1], ==, HB_TAG ('l', 'a', 't', 'n'));
        n_features = hb_ot_layout_language_get_feature_indexes (
          hb_face, tables[t], 0, HB_OT_LAYOUT_DEFAULT_LANGUAGE_INDEX, 0, NULL, NULL);
        g_assert_cmpuint (n_features, ==, 0);
      }
    hb_face_destroy (hb_face);
    hb_blob_destroy (blob);
  }

  /* Glyph 1 on, in code point order: one segment per run of consecutive characters, one for
   * the forms of Latin runs (the digits), and the one that closes the map; none lists its
   * glyphs. */
  g_array_sort (sorted, compare_code_points);
  for (guint i = 0; i < sorted->len; i++)
    {
      gunichar c = g_array_index (sorted, gunichar, i);
      FT_UInt gid = FT_Get_Char_Index (cut, c);

      if (i > 0 && c == g_array_index (sorted, gunichar, i - 1))
        continue;
      g_assert_cmpuint (gid, ==, previous + 1);
      previous = gid;
      if (i == 0 || c != g_array_index (sorted, gunichar, i - 1) + 1)
        n_runs++;
    }
  {
    FT_UInt gid = 0;
    FT_ULong c = FT_Get_Next_Char (cut, 0xdfff, &gid);
    guint n_private = 0;

    for (; gid != 0 && c <= 0xf8ff; c = FT_Get_Next_Char (cut, c, &gid))
      {
        g_assert_cmpuint (c, ==, 0xe000 + n_private);
        g_assert_cmpuint (gid, ==, previous + 1);
        previous = gid;
        n_private++;
      }
    g_assert_cmpuint (n_private, >, 0);
  }
  g_assert_cmpint (cut->num_glyphs, ==, previous + 1);
  g_assert_cmpint (count_segments (cut, &n_list), ==, n_runs + 2);
  g_assert_cmpint (n_list, ==, 0);

  /* Not asked for, not there. */
  g_assert_cmpuint (FT_Get_Char_Index (cut, g_utf8_get_char ("堃")), ==, 0);

  FT_Done_Face (cut);
  FT_Done_Face (original);
  FT_Done_FreeType (library);
}

static void
test_cut_bad_source (void)
{
  const gunichar chars[] = { 'A' };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (cache_dir, "not-a-font.ttf", NULL);
  GBytes *font;

  font = ow_font_subset_build ("/nonexistent/font.ttc", 0, chars, 1, "zh-cn", "X", "Regular",
                               &error);
  g_assert_null (font);
  g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "This is not a font.", -1, NULL));
  font = ow_font_subset_build (path, 0, chars, 1, "zh-cn", "X", "Regular", &error);
  g_assert_null (font);
  g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER);
  g_unlink (path);
}

static OwCase *
make_case (const char *name)
{
  OwCase *kase;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) received = g_date_time_new_utc (2026, 11, 25, 6, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *case_no = NULL;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 25, 11, 2026);
  case_no = ow_case_number_make ("46010001", 7, &date, 17, &error);
  g_assert_no_error (error);
  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, "K7Q2MX");
  ow_case_set_origin (kase, "46010001", 7, "clerk");
  ow_case_set_received_at (kase, received);
  g_date_set_dmy (&date, 9, 12, 2026);
  ow_case_set_promised_date (kase, &date);
  ow_case_set_document_no (kase, "海口政服受〔2026〕17号");
  applicant->name = g_strdup (name);
  applicant->id_number = g_strdup ("11010519491231002X");
  applicant->phone = g_strdup ("13800138000");
  ow_case_set_applicant (kase, applicant);
  ow_case_add_item (kase, ow_case_item_new ("114601000083123456700001", "000123",
                                            "食品经营许可证核发", "海口市市场监督管理局"));
  return kase;
}

static char *
render_to_file (const char *name,
                const char *file)
{
  g_autoptr(OwCase) kase = make_case (name);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  OwDocumentInfo info;
  char *path = g_build_filename (cache_dir, file, NULL);

  ow_document_info_init (&info);
  info.hall_name = "海口市政务服务中心";
  info.organ_short = "海口政服";
  pdf = ow_document_render_copies (OW_DOCUMENT_ACCEPTANCE, kase, &info, 3, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL),
                                      g_bytes_get_size (pdf), NULL));
  return path;
}

/* A notice embeds the TrueType cuts, made into the cache on first use, and no CFF font. */
static void
test_documents_embed_cuts (void)
{
  g_autofree char *path = NULL;
  g_autofree char *fonts = NULL;
  g_autofree char *fonts_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;
  guint n_cuts = 0;

  if (!find_noto_sans (&path, &(int) { 0 }))
    {
      g_test_skip ("Noto Sans CJK SC (fonts-noto-cjk) is not installed");
      return;
    }
  g_clear_pointer (&path, g_free);

  path = render_to_file ("张三", "plain.pdf");
  fonts = run ((const char * const[]) { "pdffonts", path, NULL });
  g_test_message ("%s", fonts);
  g_assert_nonnull (strstr (fonts, "NotoSerifCJKsc-Regular"));
  g_assert_nonnull (strstr (fonts, "NotoSansCJKsc-Bold"));
  g_assert_nonnull (strstr (fonts, "CID TrueType"));
  g_assert_null (strstr (fonts, "Type 1C"));
  g_assert_null (strstr (fonts, "CID Type 0C"));

  fonts_dir = g_build_filename (cache_dir, "onewindow", "document-fonts", NULL);
  dir = g_dir_open (fonts_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".ttf") && !g_str_equal (entry, STALE_FRESH))
      n_cuts++;
  /* Serif and sans, regular and bold. */
  g_assert_cmpuint (n_cuts, ==, 4);
  /* A cut no longer used goes once it is a day old, not before (another instance of the app
   * may still be starting with it). */
  {
    g_autofree char *old = g_build_filename (fonts_dir, STALE_OLD, NULL);
    g_autofree char *fresh = g_build_filename (fonts_dir, STALE_FRESH, NULL);

    g_assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  }
  g_unlink (path);
}

/* @text shapes with @cut as with @original in @script and @language: the same glyph outlines
 * and advances, at the same positions. */
static void
assert_same_shaping (hb_font_t   *original,
                     FT_Face      original_ft,
                     hb_font_t   *cut,
                     FT_Face      cut_ft,
                     const char  *text,
                     hb_script_t  script,
                     const char  *language)
{
  hb_buffer_t *a = shape (original, text, script, language);
  hb_buffer_t *b = shape (cut, text, script, language);
  unsigned int n_a = 0, n_b = 0;
  hb_glyph_info_t *info_a = hb_buffer_get_glyph_infos (a, &n_a);
  hb_glyph_info_t *info_b = hb_buffer_get_glyph_infos (b, &n_b);
  hb_glyph_position_t *pos_a = hb_buffer_get_glyph_positions (a, NULL);
  hb_glyph_position_t *pos_b = hb_buffer_get_glyph_positions (b, NULL);

  g_assert_cmpuint (n_a, ==, n_b);
  for (unsigned int i = 0; i < n_a; i++)
    {
      g_assert_cmpuint (info_a[i].cluster, ==, info_b[i].cluster);
      g_assert_cmpint (pos_a[i].x_advance, ==, pos_b[i].x_advance);
      g_assert_cmpint (pos_a[i].x_offset, ==, pos_b[i].x_offset);
      g_assert_cmpint (pos_a[i].y_offset, ==, pos_b[i].y_offset);
      g_assert_cmpuint (info_b[i].codepoint, !=, 0);
      assert_same_glyph (original_ft, info_a[i].codepoint, cut_ft, info_b[i].codepoint);
    }
  hb_buffer_destroy (a);
  hb_buffer_destroy (b);
}

/* The cuts the documents use: a character map of a few segments that add a constant to the code
 * point (cairo copies the map and searches it for the character of every glyph it embeds, so
 * that a map of thousands of segments cost a fifth of a notice's rendering), the whole block of
 * unified ideographs, for each character the glyph, advance and outline that text in Chinese
 * is shaped to with the full face, and Latin runs (shaped in English, as Pango does) with the
 * forms and kerning of the full face, their glyphs in the character map too. */
static void
test_documents_cut_map (void)
{
  static const struct { const char *prefix, *family, *style; } sources[] = {
    { "NotoSansCJK-Regular-", "Noto Sans CJK SC", "" },
    { "NotoSansCJK-Bold-", "Noto Sans CJK SC", ":bold" },
    { "NotoSerifCJK-Regular-", "Noto Serif CJK SC", "" },
    { "NotoSerifCJK-Bold-", "Noto Serif CJK SC", ":bold" },
  };
  /* Chinese text as a notice has it: punctuation, digits, a name, a rare character. */
  const char *chinese = "受理通知书：申请人王堃（身份证号码：11010519491231002X），"
                        "您于2026年11月25日提交的“食品经营许可证核发”申请〔2026〕17号已受理。";
  /* Latin runs: a case number, a query code, codes that the full face kerns, words. */
  const char *latin[] = {
    "46010001-07-20261125-0001-X", "K7Q2MX", "PJTY9A", "AVATAR", "11010519491231002X",
    "13800138000", "To: Mr. Wang, 25/11/2026", "Yves L'Écuyer",
  };
  g_autofree char *fonts_dir = g_build_filename (cache_dir, "onewindow", "document-fonts", NULL);
  guint n_cuts = 0;

  if (!find_noto_sans (&(char *) { NULL }, &(int) { 0 }))
    {
      g_test_skip ("Noto Sans CJK SC (fonts-noto-cjk) is not installed");
      return;
    }
  ow_document_fonts_acquire ();
  ow_document_fonts_release ();

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autoptr(GDir) dir = g_dir_open (fonts_dir, 0, NULL);
      g_autofree char *path = NULL;
      g_autofree char *source = NULL;
      g_autofree char *cut_data = NULL;
      const char *entry;
      FT_Library library;
      FT_Face cut, original;
      FT_UInt gid = 0, previous = 0;
      FT_ULong c, last = 0;
      int index = 0, n_list = 0, n_segments;
      guint n_ideographs = 0, n_source_ideographs = 0, n_checked = 0;
      gsize cut_size;
      hb_blob_t *blob, *cut_blob;
      hb_face_t *hb_face, *cut_hb_face;
      hb_font_t *hb_font, *cut_hb_font;
      hb_unicode_funcs_t *unicode = hb_unicode_funcs_get_default ();

      if (!find_noto (sources[s].family, sources[s].style, &source, &index))
        continue;
      g_assert_nonnull (dir);
      while (path == NULL && (entry = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (entry, sources[s].prefix) && g_str_has_suffix (entry, ".ttf")
            && !g_str_equal (entry, STALE_FRESH))
          path = g_build_filename (fonts_dir, entry, NULL);
      g_assert_nonnull (path);
      n_cuts++;

      g_assert_cmpint (FT_Init_FreeType (&library), ==, 0);
      g_assert_cmpint (FT_New_Face (library, path, 0, &cut), ==, 0);
      g_assert_cmpint (FT_New_Face (library, source, index, &original), ==, 0);
      n_segments = count_segments (cut, &n_list);
      g_test_message ("%s: %ld glyphs, %d segments", path, cut->num_glyphs, n_segments);
      /* 111 with Noto CJK 2.00x: the blocks of punctuation and symbols have holes. */
      g_assert_cmpint (n_segments, >, 0);
      g_assert_cmpint (n_segments, <=, 128);
      g_assert_cmpint (n_list, ==, 0);

      /* Glyphs in code point order, then those of the forms of Latin runs (under code points
       * of the Private Use Area), every glyph in the map. */
      for (c = FT_Get_First_Char (cut, &gid); gid != 0; c = FT_Get_Next_Char (cut, c, &gid))
        if (c < 0xe000 || c > 0xf8ff)
          {
            g_assert_cmpuint (gid, ==, previous + 1);
            g_assert_cmpuint (c, >, last);
            previous = gid;
            last = c;
          }
      for (c = FT_Get_Next_Char (cut, 0xdfff, &gid); gid != 0 && c <= 0xf8ff;
           c = FT_Get_Next_Char (cut, c, &gid))
        {
          g_assert_cmpuint (gid, ==, previous + 1);
          previous = gid;
        }
      g_assert_cmpint (cut->num_glyphs, ==, previous + 1);

      /* The whole block of unified ideographs that the face has (Noto Serif CJK ends it at
       * U+9FEA, Noto Sans CJK at U+9FEF). */
      for (c = 0x4e00; c <= 0x9fff; c++)
        {
          n_source_ideographs += FT_Get_Char_Index (original, c) != 0;
          n_ideographs += FT_Get_Char_Index (cut, c) != 0;
        }
      g_assert_cmpuint (n_ideographs, ==, n_source_ideographs);
      g_assert_cmpuint (n_ideographs, >=, 20900);

      blob = hb_blob_create_from_file (source);
      hb_face = hb_face_create (blob, index);
      hb_font = hb_font_create (hb_face);
      g_assert_true (g_file_get_contents (path, &cut_data, &cut_size, NULL));
      cut_blob = hb_blob_create (cut_data, cut_size, HB_MEMORY_MODE_READONLY, NULL, NULL);
      cut_hb_face = hb_face_create (cut_blob, 0);
      cut_hb_font = hb_font_create (cut_hb_face);

      /* Every character below the Private Use Area (where the forms of Latin runs are): the
       * glyph that shaping it alone in Chinese gives with the full face, the same advance and
       * outline. */
      for (c = FT_Get_First_Char (cut, &gid); gid != 0; c = FT_Get_Next_Char (cut, c, &gid))
        {
          char utf8[8] = { 0 };
          hb_buffer_t *buffer;
          hb_glyph_info_t *info;
          unsigned int count = 0;
          FT_UInt expected;

          if (c >= 0xe000 && c <= 0xf8ff)
            continue;
          g_unichar_to_utf8 (c, utf8);
          buffer = shape (hb_font, utf8, hb_unicode_script (unicode, c), "zh-cn");
          info = hb_buffer_get_glyph_infos (buffer, &count);
          expected = count == 1 ? info[0].codepoint : FT_Get_Char_Index (original, c);
          assert_same_glyph (original, expected, cut, gid);
          hb_buffer_destroy (buffer);
          n_checked++;
        }
      g_assert_cmpuint (n_checked, >, 22000);

      /* Text in Chinese, and Latin runs. */
      assert_same_shaping (hb_font, original, cut_hb_font, cut, chinese, HB_SCRIPT_HAN, "zh-cn");
      for (guint i = 0; i < G_N_ELEMENTS (latin); i++)
        {
          hb_buffer_t *buffer = shape (cut_hb_font, latin[i], HB_SCRIPT_LATIN, "en");
          unsigned int count = 0;
          hb_glyph_info_t *info = hb_buffer_get_glyph_infos (buffer, &count);
          g_autoptr(GHashTable) mapped = g_hash_table_new (NULL, NULL);

          assert_same_shaping (hb_font, original, cut_hb_font, cut, latin[i], HB_SCRIPT_LATIN,
                               "en");
          for (c = FT_Get_First_Char (cut, &gid); gid != 0; c = FT_Get_Next_Char (cut, c, &gid))
            g_hash_table_add (mapped, GUINT_TO_POINTER (gid));
          for (unsigned int k = 0; k < count; k++)
            g_assert_true (g_hash_table_contains (mapped, GUINT_TO_POINTER (info[k].codepoint)));
          hb_buffer_destroy (buffer);
        }

      hb_font_destroy (cut_hb_font);
      hb_face_destroy (cut_hb_face);
      hb_blob_destroy (cut_blob);
      hb_font_destroy (hb_font);
      hb_face_destroy (hb_face);
      hb_blob_destroy (blob);
      FT_Done_Face (original);
      FT_Done_Face (cut);
      FT_Done_FreeType (library);
    }
  g_assert_cmpuint (n_cuts, >=, 1);
}

/* The fonts pdffonts lists in a notice addressed to @name, whose text must read "@name："; NULL
 * (the test skipped) without the system's Noto Sans CJK SC. */
static char *
fonts_of_notice_to (const char *name,
                    const char *file)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *greeting = g_strconcat (name, "：", NULL);
  char *fonts;

  if (!find_noto_sans (&path, &(int) { 0 }))
    {
      g_test_skip ("Noto Sans CJK SC (fonts-noto-cjk) is not installed");
      return NULL;
    }
  g_clear_pointer (&path, g_free);

  path = render_to_file (name, file);
  text = run ((const char * const[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
  g_assert_nonnull (strstr (text, greeting));
  fonts = run ((const char * const[]) { "pdffonts", path, NULL });
  g_test_message ("%s", fonts);
  g_unlink (path);
  return fonts;
}

/* A rare character of a name (堃 is not in GB 2312, but is in the block of unified ideographs)
 * prints from the cut, not from the full face (which cost cairo 50 ms more per document). */
static void
test_rare_character (void)
{
  g_autofree char *fonts = fonts_of_notice_to ("王堃", "rare.pdf");

  if (fonts == NULL)
    return;
  g_assert_nonnull (strstr (fonts, "CID TrueType"));
  g_assert_null (strstr (fonts, "CID Type 0C"));
}

/* A character outside the cuts (㛃, of Extension A) still prints, from the full system face. */
static void
test_character_outside (void)
{
  g_autofree char *fonts = fonts_of_notice_to ("王㛃", "outside.pdf");

  if (fonts == NULL)
    return;
  /* The full face's CFF for the one character, the cut for the rest. */
  g_assert_nonnull (strstr (fonts, "CID Type 0C"));
  g_assert_nonnull (strstr (fonts, "CID TrueType"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  /* The cuts go to a cache of the test's own, made afresh: the first document builds them. */
  cache_dir = g_dir_make_tmp ("ow-document-fonts-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_test_init (&argc, &argv, NULL);
  make_stale_cuts ();

  g_test_add_func ("/document-fonts/cut", test_cut);
  g_test_add_func ("/document-fonts/cut-bad-source", test_cut_bad_source);
  g_test_add_func ("/document-fonts/documents-embed-cuts", test_documents_embed_cuts);
  g_test_add_func ("/document-fonts/documents-cut-map", test_documents_cut_map);
  g_test_add_func ("/document-fonts/rare-character", test_rare_character);
  g_test_add_func ("/document-fonts/character-outside", test_character_outside);
  status = g_test_run ();

  remove_tree (cache_dir);
  g_free (cache_dir);
  return status;
}
