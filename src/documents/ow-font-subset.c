/* ow-font-subset.c — a small TrueType font cut out of a big CFF collection
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cut's glyphs are numbered in code point order, one for each character of the repertoire
 * that the face has (glyph 0 the .notdef), each the glyph that shaping the character alone in
 * the documents' language gives; FreeType reads its cubic outline from the source face, which
 * is approximated by quadratic splines and written as a 'glyf' table; HarfBuzz's face builder
 * puts the tables together. The source's layout tables (GSUB, GPOS, GDEF) and vertical metrics
 * are not kept, as their glyph numbers are not the cut's (see ow-font-subset.h for why the
 * order); Latin runs get small ones of the cut's own.
 * Nothing here is shown to a clerk: a failure only means the documents use the system's font.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <hb.h>
#include <hb-ot.h>

#include "ow-document.h"
#include "ow-font-subset.h"

/* Largest distance, in font units (1/1000 em for Noto CJK), between a cubic and its quadratic
 * approximation before rounding to the integer grid: 0.004 mm on a 12 pt line. */
#define TOLERANCE       0.5
/* The same for a spline with implied on-curve points, whose rounding moves the curve as much
 * but whose error is nearer its bound. */
#define IMPLIED_TOLERANCE 0.4
#define MAX_PIECES      16

#define TAG(s) HB_TAG (s[0], s[1], s[2], s[3])

G_DEFINE_AUTOPTR_CLEANUP_FUNC (hb_blob_t, hb_blob_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (hb_face_t, hb_face_destroy)

typedef struct
{
  GArray *x;          /* gint32 each, per point */
  GArray *y;
  GArray *on;         /* guint8: on the curve */
  GArray *ends;       /* guint16: last point of each contour */
  double  last_x;
  double  last_y;
  guint   contour_start;
} Outline;

/* ------------------------------------------------------------------------------------------ */
/* Big-endian writing */

static void
put16 (GByteArray *out,
       guint       value)
{
  guint8 b[2] = { (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint8 b[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, b, 4);
}

static void
set16 (guint8 *at,
       guint   value)
{
  at[0] = (value >> 8) & 0xff;
  at[1] = value & 0xff;
}

/* ------------------------------------------------------------------------------------------ */
/* Outlines */

static void
outline_add_point (Outline *o,
                   double   x,
                   double   y,
                   gboolean on)
{
  gint32 ix = (gint32) lround (x), iy = (gint32) lround (y);
  guint8 flag = on ? 1 : 0;

  /* Two on-curve points in the same place say nothing but cost a flag and two deltas. */
  if (on && o->x->len > o->contour_start
      && g_array_index (o->on, guint8, o->on->len - 1)
      && g_array_index (o->x, gint32, o->x->len - 1) == ix
      && g_array_index (o->y, gint32, o->y->len - 1) == iy)
    {
      o->last_x = x;
      o->last_y = y;
      return;
    }
  g_array_append_val (o->x, ix);
  g_array_append_val (o->y, iy);
  g_array_append_val (o->on, flag);
  if (on)
    {
      o->last_x = x;
      o->last_y = y;
    }
}

/* Ends the open contour: drops a last point that repeats the first (CFF closes its paths with a
 * line back to the start), and reverses it, because TrueType draws outer contours clockwise and
 * CFF counter-clockwise. */
static void
outline_close (Outline *o)
{
  guint start = o->contour_start, end = o->x->len;
  guint16 last;

  if (end <= start)
    return;
  if (end - start > 1
      && g_array_index (o->on, guint8, end - 1)
      && g_array_index (o->x, gint32, end - 1) == g_array_index (o->x, gint32, start)
      && g_array_index (o->y, gint32, end - 1) == g_array_index (o->y, gint32, start))
    {
      end--;
      g_array_set_size (o->x, end);
      g_array_set_size (o->y, end);
      g_array_set_size (o->on, end);
    }
  if (end - start < 2)
    {
      /* A lone point draws nothing. */
      g_array_set_size (o->x, start);
      g_array_set_size (o->y, start);
      g_array_set_size (o->on, start);
      return;
    }

  /* p0 p1 … pk becomes p0 pk … p1: the same start, the other way round. */
  for (guint i = start + 1, j = end - 1; i < j; i++, j--)
    {
      gint32 tx = g_array_index (o->x, gint32, i), ty = g_array_index (o->y, gint32, i);
      guint8 ton = g_array_index (o->on, guint8, i);

      g_array_index (o->x, gint32, i) = g_array_index (o->x, gint32, j);
      g_array_index (o->y, gint32, i) = g_array_index (o->y, gint32, j);
      g_array_index (o->on, guint8, i) = g_array_index (o->on, guint8, j);
      g_array_index (o->x, gint32, j) = tx;
      g_array_index (o->y, gint32, j) = ty;
      g_array_index (o->on, guint8, j) = ton;
    }

  last = end - 1;
  g_array_append_val (o->ends, last);
  o->contour_start = end;
}

static int
move_to_cb (const FT_Vector *to,
            void            *user)
{
  Outline *o = user;

  outline_close (o);
  o->contour_start = o->x->len;
  outline_add_point (o, to->x, to->y, TRUE);
  return 0;
}

static int
line_to_cb (const FT_Vector *to,
            void            *user)
{
  outline_add_point (user, to->x, to->y, TRUE);
  return 0;
}

static int
conic_to_cb (const FT_Vector *control,
             const FT_Vector *to,
             void            *user)
{
  outline_add_point (user, control->x, control->y, FALSE);
  outline_add_point (user, to->x, to->y, TRUE);
  return 0;
}

/* The piece of the cubic (x0, y0) @c1 @c2 @to between t0 and t1, as the control point @q of its
 * midpoint quadratic approximation and its end @p. */
static void
cubic_piece (double           x0,
             double           y0,
             const FT_Vector *c1,
             const FT_Vector *c2,
             const FT_Vector *to,
             double           t0,
             double           t1,
             double           q[2],
             double           p[2])
{
  for (int k = 0; k < 2; k++)
    {
      double a = k == 0 ? x0 : y0;
      double b = k == 0 ? c1->x : c1->y;
      double c = k == 0 ? c2->x : c2->y;
      double d = k == 0 ? to->x : to->y;
#define AT(t) ((1 - (t)) * (1 - (t)) * (1 - (t)) * a + 3 * (1 - (t)) * (1 - (t)) * (t) * b \
               + 3 * (1 - (t)) * (t) * (t) * c + (t) * (t) * (t) * d)
#define SLOPE(t) (3 * (1 - (t)) * (1 - (t)) * (b - a) + 6 * (1 - (t)) * (t) * (c - b) \
                  + 3 * (t) * (t) * (d - c))
      double h = t1 - t0;
      double p0 = AT (t0), p3 = AT (t1);
      double p1 = p0 + SLOPE (t0) * h / 3, p2 = p3 - SLOPE (t1) * h / 3;
#undef AT
#undef SLOPE

      q[k] = (3 * (p1 + p2) - p0 - p3) / 4;
      p[k] = p3;
    }
}

/* A cubic becomes n quadratics, n the smallest for which the error bound √3/36·|d|/n³ of the
 * midpoint approximation (d = p3 − 3c2 + 3c1 − p0) stays within TOLERANCE. Where it can, the
 * quadratics' inner ends are left implied (TrueType puts an on-curve point midway between two
 * off-curve ones): n + 1 points instead of 2n, when moving each inner end to the middle of its
 * two control points (which moves the curve by no more than that) keeps the error bound plus
 * that distance within IMPLIED_TOLERANCE, with as many as 2n − 2 pieces. */
static int
cubic_to_cb (const FT_Vector *c1,
             const FT_Vector *c2,
             const FT_Vector *to,
             void            *user)
{
  Outline *o = user;
  double x0 = o->last_x, y0 = o->last_y;
  double dx = to->x - 3.0 * c2->x + 3.0 * c1->x - x0;
  double dy = to->y - 3.0 * c2->y + 3.0 * c1->y - y0;
  double bound = sqrt (3.0) / 36.0 * sqrt (dx * dx + dy * dy);
  int n = CLAMP ((int) ceil (cbrt (bound / TOLERANCE)), 1, MAX_PIECES);
  double q[2 * MAX_PIECES][2], p[2 * MAX_PIECES][2];

  for (int m = MAX (n, 2); n > 1 && m <= 2 * n - 2; m++)
    {
      double worst = 0;

      for (int i = 0; i < m; i++)
        cubic_piece (x0, y0, c1, c2, to, (double) i / m, (double) (i + 1) / m, q[i], p[i]);
      for (int i = 0; i + 1 < m; i++)
        worst = MAX (worst, hypot ((q[i][0] + q[i + 1][0]) / 2 - p[i][0],
                                   (q[i][1] + q[i + 1][1]) / 2 - p[i][1]));
      if (bound / ((double) m * m * m) + worst <= IMPLIED_TOLERANCE)
        {
          for (int i = 0; i < m; i++)
            outline_add_point (o, q[i][0], q[i][1], FALSE);
          outline_add_point (o, to->x, to->y, TRUE);
          return 0;
        }
    }

  for (int i = 0; i < n; i++)
    {
      cubic_piece (x0, y0, c1, c2, to, (double) i / n, (double) (i + 1) / n, q[i], p[i]);
      outline_add_point (o, q[i][0], q[i][1], FALSE);
      outline_add_point (o, p[i][0], p[i][1], TRUE);
    }
  return 0;
}

static void
put_coordinate_flags (GByteArray *flags,
                      GByteArray *xs,
                      GByteArray *ys,
                      gint32      dx,
                      gint32      dy,
                      gboolean    on)
{
  guint8 flag = on ? 0x01 : 0;

  if (dx == 0)
    flag |= 0x10;
  else if (ABS (dx) < 256)
    {
      guint8 b = ABS (dx);

      flag |= 0x02 | (dx > 0 ? 0x10 : 0);
      g_byte_array_append (xs, &b, 1);
    }
  else
    put16 (xs, (guint16) (gint16) dx);

  if (dy == 0)
    flag |= 0x20;
  else if (ABS (dy) < 256)
    {
      guint8 b = ABS (dy);

      flag |= 0x04 | (dy > 0 ? 0x20 : 0);
      g_byte_array_append (ys, &b, 1);
    }
  else
    put16 (ys, (guint16) (gint16) dy);

  g_byte_array_append (flags, &flag, 1);
}

/* Appends the simple glyph of @o to @glyf; returns its xMin for the metrics. */
static gint32
write_glyph (GByteArray *glyf,
             Outline    *o)
{
  g_autoptr(GByteArray) flags = g_byte_array_new ();
  g_autoptr(GByteArray) xs = g_byte_array_new ();
  g_autoptr(GByteArray) ys = g_byte_array_new ();
  gint32 x_min = G_MAXINT32, y_min = G_MAXINT32, x_max = G_MININT32, y_max = G_MININT32;
  gint32 px = 0, py = 0;

  for (guint i = 0; i < o->x->len; i++)
    {
      gint32 x = g_array_index (o->x, gint32, i), y = g_array_index (o->y, gint32, i);

      x_min = MIN (x_min, x);
      y_min = MIN (y_min, y);
      x_max = MAX (x_max, x);
      y_max = MAX (y_max, y);
      put_coordinate_flags (flags, xs, ys, x - px, y - py, g_array_index (o->on, guint8, i));
      px = x;
      py = y;
    }

  put16 (glyf, o->ends->len);
  put16 (glyf, (guint16) (gint16) x_min);
  put16 (glyf, (guint16) (gint16) y_min);
  put16 (glyf, (guint16) (gint16) x_max);
  put16 (glyf, (guint16) (gint16) y_max);
  for (guint i = 0; i < o->ends->len; i++)
    put16 (glyf, g_array_index (o->ends, guint16, i));
  put16 (glyf, 0);   /* no instructions: documents are printed, not hinted on screens */
  g_byte_array_append (glyf, flags->data, flags->len);
  g_byte_array_append (glyf, xs->data, xs->len);
  g_byte_array_append (glyf, ys->data, ys->len);
  while (glyf->len % 4 != 0)
    {
      guint8 zero = 0;

      g_byte_array_append (glyf, &zero, 1);
    }
  return x_min;
}

/* ------------------------------------------------------------------------------------------ */
/* Tables */

typedef struct
{
  GByteArray *glyf;
  GByteArray *loca;
  GArray     *advance;    /* guint16 advance width per glyph */
  GArray     *lsb;        /* gint32 xMin per glyph, 0 for an empty one */
  GArray     *map;        /* guint32 pairs: code point, glyph of the cut; by code point */
  guint       max_points;
  guint       max_contours;
} Glyphs;

/* Writes glyph @gid of @face (the source face) as the next glyph of @out. */
static gboolean
convert_glyph (FT_Face   face,
               guint     gid,
               Outline  *o,
               Glyphs   *out,
               GError  **error)
{
  static const FT_Outline_Funcs funcs = {
    move_to_cb, line_to_cb, conic_to_cb, cubic_to_cb, 0, 0
  };
  gint32 lsb = 0;
  guint16 advance;

  put32 (out->loca, out->glyf->len);
  if (FT_Load_Glyph (face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP
                                | FT_LOAD_IGNORE_TRANSFORM) != 0
      || face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                   "FreeType cannot load glyph %u of the source font", gid);
      return FALSE;
    }

  g_array_set_size (o->x, 0);
  g_array_set_size (o->y, 0);
  g_array_set_size (o->on, 0);
  g_array_set_size (o->ends, 0);
  o->contour_start = 0;
  FT_Outline_Decompose (&face->glyph->outline, &funcs, o);
  outline_close (o);

  if (o->ends->len > 0)
    {
      lsb = write_glyph (out->glyf, o);
      out->max_points = MAX (out->max_points, o->x->len);
      out->max_contours = MAX (out->max_contours, o->ends->len);
    }
  advance = (guint16) CLAMP (face->glyph->metrics.horiAdvance, 0, 0xffff);
  g_array_append_val (out->lsb, lsb);
  g_array_append_val (out->advance, advance);
  return TRUE;
}

/* The glyphs of @sources (glyph ids of the source face, in the cut's order) as 'glyf' and 'loca'
 * data, with their metrics. */
static gboolean
convert_glyphs (const char  *path,
                guint        index,
                GArray      *sources,
                Glyphs      *out,
                GError     **error)
{
  FT_Library library = NULL;
  FT_Face face = NULL;
  gboolean ok = FALSE;
  Outline o = { 0 };

  if (FT_Init_FreeType (&library) != 0
      || FT_New_Face (library, path, (FT_Long) index, &face) != 0)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                   "FreeType cannot read face %u of %s", index, path);
      goto out;
    }

  o.x = g_array_new (FALSE, FALSE, sizeof (gint32));
  o.y = g_array_new (FALSE, FALSE, sizeof (gint32));
  o.on = g_array_new (FALSE, FALSE, sizeof (guint8));
  o.ends = g_array_new (FALSE, FALSE, sizeof (guint16));

  for (guint i = 0; i < sources->len; i++)
    if (!convert_glyph (face, g_array_index (sources, guint32, i), &o, out, error))
      goto out;
  put32 (out->loca, out->glyf->len);
  ok = TRUE;

out:
  g_clear_pointer (&o.x, g_array_unref);
  g_clear_pointer (&o.y, g_array_unref);
  g_clear_pointer (&o.on, g_array_unref);
  g_clear_pointer (&o.ends, g_array_unref);
  if (face != NULL)
    FT_Done_Face (face);
  if (library != NULL)
    FT_Done_FreeType (library);
  return ok;
}

static hb_blob_t *
blob_from_bytes (GByteArray *bytes)
{
  gsize size = bytes->len;
  guint8 *data = g_byte_array_steal (bytes, &size);

  /* HarfBuzz hands the destroy function its user data, not the bytes. */
  return hb_blob_create ((const char *) data, size, HB_MEMORY_MODE_WRITABLE, data, g_free);
}

/* A copy of the source's table @tag, NULL if it has none of at least @min_length bytes. */
static GByteArray *
copy_table (hb_face_t    *face,
            const char   *tag,
            unsigned int  min_length)
{
  g_autoptr(hb_blob_t) table = hb_face_reference_table (face, TAG (tag));
  unsigned int length;
  const char *data = hb_blob_get_data (table, &length);
  GByteArray *out;

  if (length < min_length)
    return NULL;
  out = g_byte_array_sized_new (length);
  g_byte_array_append (out, (const guint8 *) data, length);
  return out;
}

/* 'head' as the source's, but for long 'loca' offsets and TrueType glyph data. */
static hb_blob_t *
make_head (hb_face_t *face)
{
  g_autoptr(GByteArray) out = copy_table (face, "head", 54);

  if (out == NULL)
    return NULL;
  memset (out->data + 8, 0, 4);       /* checkSumAdjustment: the builder sets it */
  set16 (out->data + 50, 1);          /* indexToLocFormat: long */
  set16 (out->data + 52, 0);          /* glyphDataFormat */
  return blob_from_bytes (out);
}

/* 'hhea' as the source's, with a full metric for every glyph of the cut. */
static hb_blob_t *
make_hhea (hb_face_t    *face,
           const Glyphs *glyphs)
{
  g_autoptr(GByteArray) out = copy_table (face, "hhea", 36);

  if (out == NULL)
    return NULL;
  set16 (out->data + 34, glyphs->advance->len);     /* numberOfHMetrics */
  return blob_from_bytes (out);
}

/* 'OS/2' as the source's, with the first and last characters of the cut. */
static hb_blob_t *
make_os2 (hb_face_t    *face,
          const Glyphs *glyphs)
{
  g_autoptr(GByteArray) out = copy_table (face, "OS/2", 68);
  const GArray *map = glyphs->map;

  if (out == NULL || map->len < 2)
    return NULL;
  set16 (out->data + 64, MIN (g_array_index (map, guint32, 0), 0xffff));
  set16 (out->data + 66, MIN (g_array_index (map, guint32, map->len - 2), 0xffff));
  return blob_from_bytes (out);
}

static hb_blob_t *
make_maxp (const Glyphs *glyphs)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (32);

  put32 (out, 0x00010000);
  put16 (out, glyphs->advance->len);
  put16 (out, glyphs->max_points);
  put16 (out, glyphs->max_contours);
  put16 (out, 0);   /* maxCompositePoints */
  put16 (out, 0);   /* maxCompositeContours */
  put16 (out, 2);   /* maxZones */
  for (int i = 0; i < 8; i++)
    put16 (out, 0);   /* twilight points … component depth: no instructions, no composites */
  return blob_from_bytes (out);
}

/* 'post' version 3: no glyph names, the rest of the source's header. */
static hb_blob_t *
make_post (hb_face_t *face)
{
  g_autoptr(hb_blob_t) post = hb_face_reference_table (face, TAG ("post"));
  unsigned int length;
  const char *data = hb_blob_get_data (post, &length);
  g_autoptr(GByteArray) out = g_byte_array_sized_new (32);

  put32 (out, 0x00030000);
  if (length >= 32)
    g_byte_array_append (out, (const guint8 *) data + 4, 28);
  else
    for (int i = 0; i < 7; i++)
      put32 (out, 0);
  return blob_from_bytes (out);
}

/* 'hmtx': the source's advances, and left side bearings that match the new outlines' xMin, as
 * TrueType expects. */
static hb_blob_t *
make_hmtx (const Glyphs *glyphs)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (glyphs->advance->len * 4);

  for (guint gid = 0; gid < glyphs->advance->len; gid++)
    {
      put16 (out, g_array_index (glyphs->advance, guint16, gid));
      put16 (out, (guint16) (gint16) g_array_index (glyphs->lsb, gint32, gid));
    }
  return blob_from_bytes (out);
}

static int
compare_code_points (gconstpointer a,
                     gconstpointer b)
{
  gunichar x = *(const gunichar *) a, y = *(const gunichar *) b;

  return x < y ? -1 : x > y;
}

/* Shapes @c alone in @script and @language; the one glyph it gives, or 0. */
static hb_codepoint_t
shape_alone (hb_font_t     *font,
             hb_buffer_t   *buffer,
             hb_codepoint_t c,
             hb_script_t    script,
             hb_language_t  language)
{
  hb_glyph_info_t *info;
  unsigned int n = 0;

  hb_buffer_clear_contents (buffer);
  hb_buffer_add_codepoints (buffer, &c, 1, 0, 1);
  hb_buffer_set_direction (buffer, HB_DIRECTION_LTR);
  hb_buffer_set_script (buffer, script);
  hb_buffer_set_language (buffer, language);
  hb_shape (font, buffer, NULL, 0);
  info = hb_buffer_get_glyph_infos (buffer, &n);
  return n == 1 ? info[0].codepoint : 0;
}

/* The glyphs of the cut: the source's .notdef, then for each character of @repertoire (BMP
 * only) that the face has, in code point order, the glyph that shaping it alone in @language
 * gives (the Chinese forms of the full-width colon, quotes and the like, which the collection
 * maps to their Japanese forms and GSUB 'locl' replaces), else the glyph the source maps it to.
 * @sources gets the source glyph of each glyph of the cut, @map each character and its glyph of
 * the cut: glyph = code point + a constant over each run of consecutive characters, so that the
 * character map is one segment per run. A source glyph that two characters share is copied. */
static void
choose_glyphs (hb_face_t      *face,
               const gunichar *repertoire,
               gsize           n_repertoire,
               const char     *language,
               GArray         *sources,
               GArray         *map)
{
  hb_font_t *font = hb_font_create (face);
  hb_buffer_t *buffer = hb_buffer_create ();
  hb_language_t lang = hb_language_from_string (language, -1);
  hb_unicode_funcs_t *unicode = hb_unicode_funcs_get_default ();
  g_autoptr(GArray) chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), n_repertoire);
  guint32 notdef = 0;

  g_array_append_vals (chars, repertoire, n_repertoire);
  g_array_sort (chars, compare_code_points);
  g_array_append_val (sources, notdef);
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      hb_codepoint_t g = 0, shaped;

      if (c >= 0xffff || (i > 0 && c == g_array_index (chars, gunichar, i - 1))
          || !hb_font_get_nominal_glyph (font, c, &g))
        continue;
      shaped = shape_alone (font, buffer, c, hb_unicode_script (unicode, c), lang);
      if (shaped != 0)
        g = shaped;
      {
        guint32 pair[2] = { c, sources->len };

        g_array_append_vals (map, pair, 2);
        g_array_append_val (sources, g);
      }
    }
  hb_buffer_destroy (buffer);
  hb_font_destroy (font);
}

/* ------------------------------------------------------------------------------------------ */
/* Latin runs
 *
 * Pango shapes a run of a script that the document's language does not write in the script's
 * sample language (pango_script_get_sample_language): Latin runs such as a query code, a case
 * number or an identity card number in English. The full face then gives them other glyphs
 * than Chinese text ('locl': Noto Serif CJK's tabular digits instead of its proportional ones,
 * Noto Sans CJK's digits 2 % of an em lower) and kerns them (GPOS 'kern': up to 0.16 em in
 * pairs of a query code's letters). The source's GSUB and GPOS refer to its own glyph
 * numbers, so the cut has layout tables of its own for Latin runs only, found by shaping with
 * the full face: a single substitution under 'locl' for the English forms, and pair
 * adjustments under 'kern'. */

typedef struct
{
  GArray *subst;        /* guint32 pairs: glyph of the cut, its form in Latin runs; by glyph */
  GArray *kerns;        /* guint32 triples: first glyph, second glyph, gint16 adjustment */
} LatinRuns;

/* Shapes @text with @font as Pango shapes a Latin run. */
static unsigned int
shape_latin (hb_font_t            *font,
             hb_buffer_t          *buffer,
             const hb_codepoint_t *text,
             unsigned int          n_text)
{
  unsigned int n = 0;

  hb_buffer_clear_contents (buffer);
  hb_buffer_add_codepoints (buffer, text, n_text, 0, n_text);
  hb_buffer_set_direction (buffer, HB_DIRECTION_LTR);
  hb_buffer_set_script (buffer, HB_SCRIPT_LATIN);
  hb_buffer_set_language (buffer, hb_language_from_string ("en", -1));
  hb_shape (font, buffer, NULL, 0);
  hb_buffer_get_glyph_infos (buffer, &n);
  return n;
}

/* Pairs or triples of guint32, by their first two. */
static int
compare_triples (gconstpointer a,
                 gconstpointer b)
{
  const guint32 *x = a, *y = b;

  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* The characters that a Latin run may hold: Latin letters, and digits, punctuation and symbols
 * (script Common) below the CJK blocks. */
static gboolean
in_latin_runs (hb_unicode_funcs_t *unicode,
               gunichar            c)
{
  hb_script_t script = hb_unicode_script (unicode, c);

  return c < 0x2e80 && (script == HB_SCRIPT_LATIN || script == HB_SCRIPT_COMMON);
}

/* Adds to @sources and @map the glyphs that Latin runs take and no character of the cut maps to
 * (under code points of the Private Use Area, U+E000 on, since cairo looks for every glyph it
 * embeds in the character map; it takes a glyph's text from the text drawn wherever one
 * character gave one glyph, so the PDF's text stays the same), and to @latin their
 * substitutions and kerning. */
static void
find_latin_forms (hb_face_t *face,
                  GArray    *sources,
                  GArray    *map,
                  LatinRuns *latin)
{
  hb_font_t *font = hb_font_create (face);
  hb_buffer_t *buffer = hb_buffer_create ();
  hb_unicode_funcs_t *unicode = hb_unicode_funcs_get_default ();
  g_autoptr(GHashTable) cut_of = g_hash_table_new (NULL, NULL);   /* source glyph → cut glyph */
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (guint32));  /* c, Latin glyph */
  g_autoptr(GArray) added = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint n = map->len / 2;
  hb_codepoint_t next_private = 0xe000;

  for (guint gid = sources->len; gid-- > 1;)
    g_hash_table_insert (cut_of, GUINT_TO_POINTER (g_array_index (sources, guint32, gid)),
                         GUINT_TO_POINTER (gid));

  /* Each character inside a word ("A7A": the digits of K7Q2MX are those of a word). */
  for (guint i = 0; i < n; i++)
    {
      hb_codepoint_t c = g_array_index (map, guint32, 2 * i);
      guint32 gid = g_array_index (map, guint32, 2 * i + 1);
      hb_codepoint_t text[3] = { 'A', c, 'A' };
      hb_glyph_info_t *info;
      guint32 form;

      if (!in_latin_runs (unicode, c) || shape_latin (font, buffer, text, 3) != 3)
        continue;
      info = hb_buffer_get_glyph_infos (buffer, NULL);
      if (info[1].cluster != 1 || info[1].codepoint == 0)
        continue;
      if (info[1].codepoint == g_array_index (sources, guint32, gid))
        form = gid;
      else if (g_hash_table_contains (cut_of, GUINT_TO_POINTER (info[1].codepoint)))
        form = GPOINTER_TO_UINT (g_hash_table_lookup (cut_of,
                                                      GUINT_TO_POINTER (info[1].codepoint)));
      else if (next_private <= 0xf8ff)
        {
          guint32 pair[2] = { next_private++, sources->len };

          form = sources->len;
          g_array_append_val (sources, info[1].codepoint);
          g_array_append_vals (added, pair, 2);
          g_hash_table_insert (cut_of, GUINT_TO_POINTER (info[1].codepoint),
                               GUINT_TO_POINTER (form));
        }
      else
        continue;
      if (form != gid)
        {
          guint32 pair[2] = { gid, form };

          g_array_append_vals (latin->subst, pair, 2);
        }
      {
        guint32 pair[2] = { c, form };

        g_array_append_vals (chars, pair, 2);
      }
    }
  g_array_append_vals (map, added->data, added->len);

  /* Kerning: each pair of those characters up to General Punctuation, the first glyph's
   * advance beside its own. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
    guint m = chars->len / 2;

    for (guint i = 0; i < m; i++)
      for (guint j = 0; j < m; j++)
        {
          hb_codepoint_t text[2] = { g_array_index (chars, guint32, 2 * i),
                                     g_array_index (chars, guint32, 2 * j) };
          guint32 first = g_array_index (chars, guint32, 2 * i + 1);
          guint32 second = g_array_index (chars, guint32, 2 * j + 1);
          hb_glyph_info_t *info;
          hb_glyph_position_t *pos;
          hb_position_t kern;
          gpointer key = GUINT_TO_POINTER ((first << 16) | second);

          if (text[0] >= 0x2070 || text[1] >= 0x2070 || g_hash_table_contains (seen, key)
              || shape_latin (font, buffer, text, 2) != 2)
            continue;
          g_hash_table_add (seen, key);
          info = hb_buffer_get_glyph_infos (buffer, NULL);
          pos = hb_buffer_get_glyph_positions (buffer, NULL);
          if (info[0].codepoint != g_array_index (sources, guint32, first)
              || info[1].codepoint != g_array_index (sources, guint32, second)
              || pos[0].x_offset != 0 || pos[1].x_offset != 0 || pos[0].y_offset != 0
              || pos[1].y_offset != 0)
            continue;
          kern = pos[0].x_advance - hb_font_get_glyph_h_advance (font, info[0].codepoint);
          if (kern != 0 && ABS (kern) < 0x8000)
            {
              guint32 triple[3] = { first, second, (guint32) (gint16) kern };

              g_array_append_vals (latin->kerns, triple, 3);
            }
        }
  }
  hb_buffer_destroy (buffer);
  hb_font_destroy (font);
  /* Back in code point order, as the character map is written; the tables by glyph. */
  g_qsort_with_data (map->data, map->len / 2, 2 * sizeof (guint32),
                     (GCompareDataFunc) compare_triples, NULL);
  g_qsort_with_data (latin->subst->data, latin->subst->len / 2, 2 * sizeof (guint32),
                     (GCompareDataFunc) compare_triples, NULL);
  g_qsort_with_data (latin->kerns->data, latin->kerns->len / 3, 3 * sizeof (guint32),
                     (GCompareDataFunc) compare_triples, NULL);
}

/* The common part of 'GSUB' and 'GPOS' for Latin runs: a script list where Latin (by default,
 * and for Chinese) has feature 0 (Chinese only if @for_chinese) and the default script none,
 * so that Han runs are left alone (HarfBuzz takes 'latn' for a script the font does not list
 * when there is no 'DFLT'); a feature list of @feature on lookup 0; the lookup list's head for
 * one lookup of @type and one subtable, which the caller appends. */
static void
write_layout_head (GByteArray *out,
                   const char *feature,
                   guint       type,
                   gboolean    for_chinese)
{
  /* Header 10; ScriptList at 10: count 2 + 2 records (6 each) = 14; DFLT script at 24:
   * default LangSys offset 4, no LangSys records, its LangSys at 28 (6 bytes); latn script at
   * 34: default 10, 1 record ('ZHS ' at 16), LangSys at 44 (8 bytes) and 52 (6 or 8 bytes). */
  guint zhs_length = for_chinese ? 8 : 6;
  guint feature_list = 52 + zhs_length;
  guint lookup_list = feature_list + 14;

  put32 (out, 0x00010000);
  put16 (out, 10);                      /* ScriptList */
  put16 (out, feature_list);
  put16 (out, lookup_list);
  /* ScriptList */
  put16 (out, 2);
  put32 (out, TAG ("DFLT"));
  put16 (out, 24 - 10);
  put32 (out, TAG ("latn"));
  put16 (out, 34 - 10);
  /* Script DFLT: a default LangSys without features. */
  put16 (out, 4);
  put16 (out, 0);
  put16 (out, 0);                       /* lookupOrderOffset */
  put16 (out, 0xffff);                  /* no required feature */
  put16 (out, 0);
  /* Script latn */
  put16 (out, 44 - 34);
  put16 (out, 1);
  put32 (out, TAG ("ZHS "));
  put16 (out, 52 - 34);
  put16 (out, 0);
  put16 (out, 0xffff);
  put16 (out, 1);
  put16 (out, 0);                       /* feature 0 */
  put16 (out, 0);
  put16 (out, 0xffff);
  put16 (out, for_chinese ? 1 : 0);
  if (for_chinese)
    put16 (out, 0);
  /* FeatureList */
  put16 (out, 1);
  put32 (out, TAG (feature));
  put16 (out, 8);
  put16 (out, 0);                       /* featureParamsOffset */
  put16 (out, 1);
  put16 (out, 0);                       /* lookup 0 */
  /* LookupList, one lookup at 4 with one subtable at 8 from the lookup, 4 + 8 = 12 from it */
  put16 (out, 1);
  put16 (out, 4);
  put16 (out, type);
  put16 (out, 0);                       /* lookupFlag */
  put16 (out, 1);
  put16 (out, 8);
}

/* 'GSUB': the English forms of Latin runs ('locl', not for Chinese), a single substitution. */
static hb_blob_t *
make_gsub (const LatinRuns *latin)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint n = latin->subst->len / 2;

  write_layout_head (out, "locl", 1, FALSE);
  /* SingleSubstFormat2, its coverage after the substitutes. */
  put16 (out, 2);
  put16 (out, 6 + 2 * n);
  put16 (out, n);
  for (guint i = 0; i < n; i++)
    put16 (out, g_array_index (latin->subst, guint32, 2 * i + 1));
  put16 (out, 1);                       /* Coverage format 1 */
  put16 (out, n);
  for (guint i = 0; i < n; i++)
    put16 (out, g_array_index (latin->subst, guint32, 2 * i));
  return blob_from_bytes (out);
}

/* 'GPOS': the kerning of Latin runs ('kern'), pairs that adjust the first glyph's advance. */
static hb_blob_t *
make_gpos (const LatinRuns *latin)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GArray) firsts = g_array_new (FALSE, FALSE, sizeof (guint));   /* index of each */
  const guint32 *kerns = (const guint32 *) latin->kerns->data;
  guint n = latin->kerns->len / 3, start, at;

  for (guint i = 0; i < n; i++)
    if (i == 0 || kerns[3 * i] != kerns[3 * (i - 1)])
      g_array_append_val (firsts, i);

  write_layout_head (out, "kern", 2, TRUE);
  start = out->len;
  /* PairPosFormat1: coverage, value formats, the pair sets, the coverage. */
  put16 (out, 1);
  put16 (out, 0);                       /* coverage offset, set below */
  put16 (out, 0x0004);                  /* valueFormat1: X advance */
  put16 (out, 0);                       /* valueFormat2: none */
  put16 (out, firsts->len);
  at = 10 + 2 * firsts->len;
  for (guint k = 0; k < firsts->len; k++)
    {
      guint first = g_array_index (firsts, guint, k);
      guint last = k + 1 < firsts->len ? g_array_index (firsts, guint, k + 1) : n;

      put16 (out, at);
      at += 2 + 4 * (last - first);
    }
  for (guint k = 0; k < firsts->len; k++)
    {
      guint first = g_array_index (firsts, guint, k);
      guint last = k + 1 < firsts->len ? g_array_index (firsts, guint, k + 1) : n;

      put16 (out, last - first);
      for (guint i = first; i < last; i++)
        {
          put16 (out, kerns[3 * i + 1]);
          put16 (out, kerns[3 * i + 2] & 0xffff);
        }
    }
  if (out->len - start > 0xffff)
    return NULL;
  set16 (out->data + start + 2, out->len - start);
  put16 (out, 1);
  put16 (out, firsts->len);
  for (guint k = 0; k < firsts->len; k++)
    put16 (out, kerns[3 * g_array_index (firsts, guint, k)]);
  return blob_from_bytes (out);
}

/* One segment of a format 4 subtable. */
typedef struct
{
  guint start;
  guint end;
  guint first;      /* index in the map of the segment's first pair */
  gboolean delta;   /* glyph − code point is the same throughout */
} Segment;

/* A format 4 subtable of @map whose segments either add a constant to the code point or list
 * the glyphs with an idDelta of 0 (cairo's reverse lookup, _cairo_truetype_reverse_cmap,
 * ignores the idDelta of a list segment, and would then walk the whole map through FreeType).
 * With the cut's glyphs numbered in code point order every segment adds a constant; a list
 * segment is written only for a run whose glyphs are not consecutive. */
static void
write_format4 (GByteArray *out,
               GArray     *map)
{
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  guint n = map->len / 2, seg_count, search = 1, selector = 0, array_offset = 0, start_len;
  const guint32 *pairs = (const guint32 *) map->data;

  for (guint i = 0; i < n;)
    {
      Segment seg = { pairs[2 * i], pairs[2 * i], i, TRUE };
      guint j = i + 1;

      while (j < n && pairs[2 * j] == seg.end + 1 && pairs[2 * j] < 0xffff)
        {
          if (pairs[2 * j + 1] - pairs[2 * j] != pairs[2 * i + 1] - pairs[2 * i])
            seg.delta = FALSE;
          seg.end = pairs[2 * j];
          j++;
        }
      if (seg.start < 0xffff)
        g_array_append_val (segments, seg);
      i = j;
    }
  {
    Segment last = { 0xffff, 0xffff, 0, TRUE };

    g_array_append_val (segments, last);
  }

  seg_count = segments->len;
  while (search * 2 <= seg_count)
    {
      search *= 2;
      selector++;
    }

  start_len = out->len;
  put16 (out, 4);
  put16 (out, 0);                       /* length, set below */
  put16 (out, 0);                       /* language */
  put16 (out, seg_count * 2);
  put16 (out, search * 2);
  put16 (out, selector);
  put16 (out, seg_count * 2 - search * 2);
  for (guint i = 0; i < seg_count; i++)
    put16 (out, g_array_index (segments, Segment, i).end);
  put16 (out, 0);                       /* reservedPad */
  for (guint i = 0; i < seg_count; i++)
    put16 (out, g_array_index (segments, Segment, i).start);
  for (guint i = 0; i < seg_count; i++)
    {
      const Segment *seg = &g_array_index (segments, Segment, i);

      if (seg->start == 0xffff)
        put16 (out, 1);                 /* 0xffff + 1: glyph 0 */
      else if (seg->delta)
        put16 (out, (pairs[2 * seg->first + 1] - seg->start) & 0xffff);
      else
        put16 (out, 0);
    }
  for (guint i = 0; i < seg_count; i++)
    {
      const Segment *seg = &g_array_index (segments, Segment, i);

      if (seg->start == 0xffff || seg->delta)
        put16 (out, 0);
      else
        {
          /* From this idRangeOffset word to the segment's first entry of glyphIdArray. */
          put16 (out, 2 * (seg_count - i) + 2 * array_offset);
          array_offset += seg->end - seg->start + 1;
        }
    }
  for (guint i = 0; i < seg_count; i++)
    {
      const Segment *seg = &g_array_index (segments, Segment, i);

      if (seg->start != 0xffff && !seg->delta)
        for (guint k = 0; k <= seg->end - seg->start; k++)
          put16 (out, pairs[2 * (seg->first + k) + 1]);
    }
  set16 (out->data + start_len + 2, out->len - start_len);
}

/* A character map of our own for the BMP: one format 4 subtable, for Unicode and for Windows.
 * The source's variation sequences (format 14) are not kept: their glyphs are not in the cut. */
static hb_blob_t *
make_cmap (const Glyphs *glyphs)
{
  g_autoptr(GByteArray) format4 = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint32 offset = 4 + 8 * 2;

  write_format4 (format4, glyphs->map);
  if (format4->len > 0xffff)
    return NULL;
  put16 (out, 0);
  put16 (out, 2);
  put16 (out, 0);                       /* Unicode, BMP */
  put16 (out, 3);
  put32 (out, offset);
  put16 (out, 3);                       /* Windows, BMP */
  put16 (out, 1);
  put32 (out, offset);
  g_byte_array_append (out, format4->data, format4->len);
  return blob_from_bytes (out);
}

static void
name_record (GByteArray *records,
             GByteArray *strings,
             guint       name_id,
             const char *text)
{
  g_autofree gunichar2 *utf16 = NULL;
  glong n = 0;

  if (text == NULL || *text == '\0')
    return;
  utf16 = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  if (utf16 == NULL)
    return;
  put16 (records, 3);       /* Windows */
  put16 (records, 1);       /* Unicode BMP */
  put16 (records, 0x0409);  /* English (United States): what fontconfig and cairo read */
  put16 (records, name_id);
  put16 (records, n * 2);
  put16 (records, strings->len);
  for (glong i = 0; i < n; i++)
    put16 (strings, utf16[i]);
}

static char *
dup_name (hb_face_t       *face,
          hb_ot_name_id_t  name_id)
{
  unsigned int length = hb_ot_name_get_utf8 (face, name_id, hb_language_from_string ("en", -1),
                                             NULL, NULL);
  char *text;

  if (length == 0)
    return NULL;
  length++;
  text = g_malloc (length);
  hb_ot_name_get_utf8 (face, name_id, hb_language_from_string ("en", -1), &length, text);
  return text;
}

/* A name table of our family: the copyright, version, PostScript name and licence stay the
 * original's (the SIL Open Font License asks a modified font to keep them). */
static hb_blob_t *
make_name (hb_face_t  *face,
           const char *family,
           const char *style)
{
  g_autoptr(GByteArray) records = g_byte_array_new ();
  g_autoptr(GByteArray) strings = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *copyright = dup_name (face, HB_OT_NAME_ID_COPYRIGHT);
  g_autofree char *version = dup_name (face, HB_OT_NAME_ID_VERSION_STRING);
  g_autofree char *ps_name = dup_name (face, HB_OT_NAME_ID_POSTSCRIPT_NAME);
  g_autofree char *licence = dup_name (face, HB_OT_NAME_ID_LICENSE);
  g_autofree char *licence_url = dup_name (face, HB_OT_NAME_ID_LICENSE_URL);
  g_autofree char *full = g_strdup_printf ("%s %s", family, style);
  g_autofree char *unique = g_strdup_printf ("%s; subset of %s", full, ps_name ?: "?");

  /* In name id order, as the table must be sorted. */
  name_record (records, strings, HB_OT_NAME_ID_COPYRIGHT, copyright);
  name_record (records, strings, HB_OT_NAME_ID_FONT_FAMILY, family);
  name_record (records, strings, HB_OT_NAME_ID_FONT_SUBFAMILY, style);
  name_record (records, strings, HB_OT_NAME_ID_UNIQUE_ID, unique);
  name_record (records, strings, HB_OT_NAME_ID_FULL_NAME, full);
  name_record (records, strings, HB_OT_NAME_ID_VERSION_STRING, version);
  name_record (records, strings, HB_OT_NAME_ID_POSTSCRIPT_NAME, ps_name);
  name_record (records, strings, HB_OT_NAME_ID_LICENSE, licence);
  name_record (records, strings, HB_OT_NAME_ID_LICENSE_URL, licence_url);

  put16 (out, 0);
  put16 (out, records->len / 12);
  put16 (out, 6 + records->len);
  g_byte_array_append (out, records->data, records->len);
  g_byte_array_append (out, strings->data, strings->len);
  return blob_from_bytes (out);
}

/* ------------------------------------------------------------------------------------------ */

static gboolean
add_table (hb_face_t  *builder,
           const char *tag,
           hb_blob_t  *blob)
{
  if (blob == NULL)
    return FALSE;
  hb_face_builder_add_table (builder, TAG (tag), blob);
  hb_blob_destroy (blob);
  return TRUE;
}


GBytes *
ow_font_subset_build (const char      *path,
                      guint            index,
                      const gunichar  *repertoire,
                      gsize            n_repertoire,
                      const char      *language,
                      const char      *family,
                      const char      *style,
                      GError         **error)
{
  g_autoptr(hb_blob_t) source_blob = NULL;
  g_autoptr(hb_face_t) source = NULL;
  g_autoptr(hb_face_t) builder = NULL;
  g_autoptr(hb_blob_t) result = NULL;
  g_autoptr(hb_blob_t) cff = NULL;
  g_autoptr(GArray) sources = NULL;
  Glyphs glyphs = { 0 };
  LatinRuns latin = { 0 };
  unsigned int length;
  const char *data;
  gboolean ok;

  g_return_val_if_fail (path != NULL && language != NULL && family != NULL && style != NULL,
                        NULL);

  source_blob = hb_blob_create_from_file_or_fail (path);
  if (source_blob == NULL)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                   "The font file %s cannot be read", path);
      return NULL;
    }
  source = hb_face_create (source_blob, index);
  if (hb_face_get_glyph_count (source) == 0)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                   "The font file %s has no face %u", path, index);
      return NULL;
    }
  cff = hb_face_reference_table (source, TAG ("CFF "));
  if (hb_blob_get_length (cff) == 0)
    {
      /* TrueType already (or CFF2): cairo embeds those without reading them whole. */
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                   "Face %u of %s has no CFF outlines to convert", index, path);
      return NULL;
    }
  g_clear_pointer (&cff, hb_blob_destroy);

  sources = g_array_new (FALSE, FALSE, sizeof (guint32));
  glyphs.glyf = g_byte_array_new ();
  glyphs.loca = g_byte_array_new ();
  glyphs.advance = g_array_new (FALSE, FALSE, sizeof (guint16));
  glyphs.lsb = g_array_new (FALSE, FALSE, sizeof (gint32));
  glyphs.map = g_array_new (FALSE, FALSE, sizeof (guint32));
  latin.subst = g_array_new (FALSE, FALSE, sizeof (guint32));
  latin.kerns = g_array_new (FALSE, FALSE, sizeof (guint32));
  choose_glyphs (source, repertoire, n_repertoire, language, sources, glyphs.map);
  find_latin_forms (source, sources, glyphs.map, &latin);
  ok = sources->len <= 0xffff
       && convert_glyphs (path, index, sources, &glyphs, error);

  builder = hb_face_builder_create ();
  ok = ok
       && add_table (builder, "glyf", blob_from_bytes (glyphs.glyf))
       && add_table (builder, "loca", blob_from_bytes (glyphs.loca))
       && add_table (builder, "head", make_head (source))
       && add_table (builder, "hhea", make_hhea (source, &glyphs))
       && add_table (builder, "hmtx", make_hmtx (&glyphs))
       && add_table (builder, "maxp", make_maxp (&glyphs))
       && add_table (builder, "OS/2", make_os2 (source, &glyphs))
       && add_table (builder, "post", make_post (source))
       && add_table (builder, "cmap", make_cmap (&glyphs))
       && add_table (builder, "name", make_name (source, family, style));
  if (ok && latin.subst->len > 0)
    ok = add_table (builder, "GSUB", make_gsub (&latin));
  if (ok && latin.kerns->len > 0)
    {
      hb_blob_t *gpos = make_gpos (&latin);

      /* Too many pairs for one subtable: Latin runs are then not kerned. */
      if (gpos != NULL)
        add_table (builder, "GPOS", gpos);
    }

  g_byte_array_unref (glyphs.glyf);
  g_byte_array_unref (glyphs.loca);
  g_array_unref (glyphs.advance);
  g_array_unref (glyphs.lsb);
  g_array_unref (glyphs.map);
  g_array_unref (latin.subst);
  g_array_unref (latin.kerns);
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                     "The tables of face %u of %s are not as expected", index, path);
      return NULL;
    }

  result = hb_face_reference_blob (builder);
  data = hb_blob_get_data (result, &length);
  if (length == 0)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                   "HarfBuzz cannot assemble the font from face %u of %s", index, path);
      return NULL;
    }
  return g_bytes_new (data, length);
}
