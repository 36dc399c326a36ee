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

#include "core/ow-case-number.h"
#include "documents/ow-document.h"
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

static gboolean
find_noto_sans (char **path,
                int   *index)
{
  FcPattern *pattern = FcNameParse ((const FcChar8 *) "Noto Sans CJK SC");
  FcPattern *match;
  FcResult result;
  FcChar8 *file = NULL, *family = NULL;
  gboolean found = FALSE;

  FcConfigSubstitute (NULL, pattern, FcMatchPattern);
  FcDefaultSubstitute (pattern);
  match = FcFontMatch (NULL, pattern, &result);
  if (match != NULL && FcPatternGetString (match, FC_FAMILY, 0, &family) == FcResultMatch
      && g_str_equal ((const char *) family, "Noto Sans CJK SC")
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

/* The cut has every character asked for, with the advance and (within a font unit) the outline
 * extents of the original glyph, as TrueType; nothing else; and the family it was given. */
static void
test_cut (void)
{
  const char *text = "受理通知书海口市政务服务中心，（）〔〕：“”ABC xyz 0123";
  g_autofree char *path = NULL;
  g_autofree gunichar *chars = NULL;
  g_autoptr(GBytes) font = NULL;
  g_autoptr(GError) error = NULL;
  FT_Library library;
  FT_Face original, cut;
  FT_ULong length = 0;
  glong n = 0;
  int index = 0;
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

  for (glong i = 0; i < n; i++)
    {
      FT_UInt a = FT_Get_Char_Index (original, chars[i]);
      FT_UInt b = FT_Get_Char_Index (cut, chars[i]);
      FT_BBox box_a, box_b;
      FT_Pos advance;

      g_assert_cmpuint (a, !=, 0);
      g_assert_cmpuint (b, !=, 0);
      g_assert_cmpint (FT_Load_Glyph (original, a, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), ==, 0);
      advance = original->glyph->metrics.horiAdvance;
      FT_Outline_Get_CBox (&original->glyph->outline, &box_a);
      g_assert_cmpint (FT_Load_Glyph (cut, b, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), ==, 0);
      g_assert_cmpint (cut->glyph->format, ==, FT_GLYPH_FORMAT_OUTLINE);
      g_assert_cmpint (cut->glyph->metrics.horiAdvance, ==, advance);
      FT_Outline_Get_CBox (&cut->glyph->outline, &box_b);
      if (chars[i] == ' ')
        {
          g_assert_cmpint (cut->glyph->outline.n_contours, ==, 0);
          continue;
        }
      g_assert_cmpint (cut->glyph->outline.n_contours, >, 0);
      /* The control box of a quadratic approximation lies within that of the cubic, and the
       * on-curve extremes stay where they were. */
      g_assert_cmpint (ABS (box_b.xMin - box_a.xMin), <=, 1);
      g_assert_cmpint (ABS (box_b.yMin - box_a.yMin), <=, 1);
      g_assert_cmpint (ABS (box_b.xMax - box_a.xMax), <=, 1);
      g_assert_cmpint (ABS (box_b.yMax - box_a.yMax), <=, 1);
    }
  /* Each character maps to the glyph that Chinese shaping leaves it at (the Chinese forms of
   * the full-width colon and quotes, which the collection maps to the Japanese ones), so that
   * cairo finds every glyph of a notice in the character map. */
  {
    hb_blob_t *blob = hb_blob_create ((const char *) data, size, HB_MEMORY_MODE_READONLY, NULL,
                                      NULL);
    hb_face_t *hb_face = hb_face_create (blob, 0);
    hb_font_t *hb_font = hb_font_create (hb_face);

    for (glong i = 0; i < n; i++)
      {
        hb_buffer_t *buffer = hb_buffer_create ();
        hb_codepoint_t c = chars[i];
        unsigned int count = 0;
        hb_glyph_info_t *glyph_info;

        hb_buffer_add_codepoints (buffer, &c, 1, 0, 1);
        hb_buffer_guess_segment_properties (buffer);
        hb_buffer_set_language (buffer, hb_language_from_string ("zh-cn", -1));
        hb_shape (hb_font, buffer, NULL, 0);
        glyph_info = hb_buffer_get_glyph_infos (buffer, &count);
        g_assert_cmpuint (count, ==, 1);
        g_assert_cmpuint (glyph_info[0].codepoint, ==, FT_Get_Char_Index (cut, chars[i]));
        hb_buffer_destroy (buffer);
      }
    /* The glyphs of a Latin run (shaped as English, as Pango does) are in the map too, the
     * digits of a code such as K7Q2MX among them. */
    {
      hb_buffer_t *buffer = hb_buffer_create ();
      g_autoptr(GHashTable) mapped = g_hash_table_new (NULL, NULL);
      unsigned int count = 0;
      hb_glyph_info_t *glyph_info;
      FT_UInt gid;

      for (FT_ULong c = FT_Get_First_Char (cut, &gid); gid != 0;
           c = FT_Get_Next_Char (cut, c, &gid))
        g_hash_table_add (mapped, GUINT_TO_POINTER (gid));
      hb_buffer_add_utf8 (buffer, "CAB20 xyz 31", -1, 0, -1);
      hb_buffer_set_direction (buffer, HB_DIRECTION_LTR);
      hb_buffer_set_script (buffer, HB_SCRIPT_LATIN);
      hb_buffer_set_language (buffer, hb_language_from_string ("en", -1));
      hb_shape (hb_font, buffer, NULL, 0);
      glyph_info = hb_buffer_get_glyph_infos (buffer, &count);
      g_assert_cmpuint (count, ==, 12);
      for (unsigned int i = 0; i < count; i++)
        g_assert_true (g_hash_table_contains (mapped, GUINT_TO_POINTER (glyph_info[i].codepoint)));
      hb_buffer_destroy (buffer);
    }
    hb_font_destroy (hb_font);
    hb_face_destroy (hb_face);
    hb_blob_destroy (blob);
  }

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

/* A character outside the cuts (堃 is not in GB 2312, but is in many names) still prints, from
 * the full system face. */
static void
test_rare_character (void)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *fonts = NULL;

  if (!find_noto_sans (&path, &(int) { 0 }))
    {
      g_test_skip ("Noto Sans CJK SC (fonts-noto-cjk) is not installed");
      return;
    }
  g_clear_pointer (&path, g_free);

  path = render_to_file ("王堃", "rare.pdf");
  text = run ((const char * const[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
  g_assert_nonnull (strstr (text, "王堃："));
  fonts = run ((const char * const[]) { "pdffonts", path, NULL });
  g_test_message ("%s", fonts);
  /* The full face's CFF for the one character, the cut for the rest. */
  g_assert_nonnull (strstr (fonts, "CID Type 0C"));
  g_assert_nonnull (strstr (fonts, "CID TrueType"));
  g_unlink (path);
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
  g_test_add_func ("/document-fonts/rare-character", test_rare_character);
  status = g_test_run ();

  remove_tree (cache_dir);
  g_free (cache_dir);
  return status;
}
