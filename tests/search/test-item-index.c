/* test-item-index.c — finding service items by name, alias, code and pinyin over the real catalog
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "net/ow-json.h"
#include "search/ow-item-index.h"
#include "search/ow-pinyin.h"

static OwCatalog *catalog;
static OwItemIndex *shared_index;

static OwCatalog *
load_catalog (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("OW_DATA_DIR"), "catalog.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  OwCatalog *result;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  result = ow_json_to_catalog (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static GPtrArray *
search (const char         *query,
        const OwItemFilter *filter,
        guint               limit,
        guint              *n)
{
  GPtrArray *results = ow_item_index_search (shared_index, query, filter, limit, n);

  g_assert_nonnull (results);
  return results;
}

static const char *
name_at (GPtrArray *results,
         guint      i)
{
  g_assert_cmpuint (i, <, results->len);
  return ow_item_get_name (g_ptr_array_index (results, i));
}

static gboolean
contains_in_name_or_alias (OwItem     *item,
                           const char *needle)
{
  const char * const *aliases = ow_item_get_aliases (item);

  if (strstr (ow_item_get_name (item), needle) != NULL)
    return TRUE;
  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    if (strstr (aliases[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

/* How many items of the catalog hold @needle in their name or an alias. */
static guint
count_containing (const char *needle)
{
  GListModel *items = ow_catalog_get_items (catalog);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OwItem) item = g_list_model_get_item (items, i);
      n += contains_in_name_or_alias (item, needle);
    }
  return n;
}

/* ---------------------------------------------------------------------------------------- */

static void
test_pinyin_is_icu (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwPinyin) pinyin = ow_pinyin_new (&error);
  GListModel *items = ow_catalog_get_items (catalog);
  guint compared = 0;

  g_assert_no_error (error);
  /* Per character (memoised) gives what ICU gives for the whole text, over every name and
   * alias of the catalog. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OwItem) item = g_list_model_get_item (items, i);
      const char * const *aliases = ow_item_get_aliases (item);
      g_autoptr(GPtrArray) texts = g_ptr_array_new ();

      g_ptr_array_add (texts, (gpointer) ow_item_get_name (item));
      for (guint j = 0; aliases != NULL && aliases[j] != NULL; j++)
        g_ptr_array_add (texts, (gpointer) aliases[j]);
      for (guint j = 0; j < texts->len; j++)
        {
          g_autoptr(GString) han = g_string_new (NULL);
          g_autoptr(GString) syllables = g_string_new (NULL);
          g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint16));
          g_autoptr(GString) joined = g_string_new (NULL);
          g_autofree char *whole = NULL;
          guint n;

          for (const char *p = g_ptr_array_index (texts, j); *p; p = g_utf8_next_char (p))
            if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
              g_string_append_unichar (han, g_utf8_get_char (p));
          if (han->len == 0)
            continue;
          n = ow_pinyin_syllables (pinyin, han->str, syllables, starts);
          g_assert_cmpuint (n, ==, g_utf8_strlen (han->str, -1));
          for (guint k = 0; k < n; k++)
            {
              guint end = k + 1 < n ? g_array_index (starts, guint16, k + 1) : syllables->len;
              guint start = g_array_index (starts, guint16, k);

              if (k > 0)
                g_string_append_c (joined, ' ');
              g_string_append_len (joined, syllables->str + start, end - start);
            }
          whole = ow_pinyin_transliterate (pinyin, han->str);
          g_assert_cmpstr (joined->str, ==, whole);
          compared++;
        }
    }
  g_assert_cmpuint (compared, >, 500);
}

static void
test_pinyin_syllables (void)
{
  g_autoptr(OwPinyin) pinyin = ow_pinyin_new (NULL);
  g_autoptr(GString) syllables = g_string_new (NULL);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint16));

  g_assert_cmpuint (ow_pinyin_syllables (pinyin, "营业执照", syllables, starts), ==, 4);
  g_assert_cmpstr (syllables->str, ==, "yingyezhizhao");
  g_string_truncate (syllables, 0);
  g_array_set_size (starts, 0);
  /* Letters and digits are syllables of their own; punctuation separates; ü is v. */
  g_assert_cmpuint (ow_pinyin_syllables (pinyin, "80岁（KTV）绿", syllables, starts), ==, 4);
  g_assert_cmpstr (syllables->str, ==, "80suiktvlv");
  g_assert_cmpuint (g_array_index (starts, guint16, 2), ==, 5);
  g_string_truncate (syllables, 0);
  g_assert_cmpuint (ow_pinyin_syllables (pinyin, "\xff\xfe", syllables, starts), ==, 0);
}

static void
test_initials_find_business_licence (void)
{
  guint expected = count_containing ("营业执照");
  guint n = 0;
  g_autoptr(GPtrArray) results = search ("yyzz", NULL, 0, &n);

  /* Every item that says 营业执照 in its name or an alias, and they come first. */
  g_assert_cmpuint (expected, >=, 3);
  g_assert_cmpuint (n, >=, expected);
  for (guint i = 0; i < expected; i++)
    g_assert_true (contains_in_name_or_alias (g_ptr_array_index (results, i), "营业执照"));
  /* Case and blanks do not matter. */
  {
    g_autoptr(GPtrArray) upper = search ("  YYZZ ", NULL, 0, NULL);
    g_assert_cmpuint (upper->len, ==, results->len);
  }
}

static void
test_full_pinyin (void)
{
  g_autoptr(GPtrArray) full = search ("yingyezhizhao", NULL, 0, NULL);
  g_autoptr(GPtrArray) part = search ("yingye", NULL, 0, NULL);
  g_autoptr(GPtrArray) blanks = search ("ying ye zhi zhao", NULL, 0, NULL);
  g_autoptr(GPtrArray) mixed = search ("yyzhizh", NULL, 0, NULL);
  guint expected = count_containing ("营业执照");

  g_assert_cmpuint (full->len, ==, expected);
  g_assert_cmpuint (blanks->len, ==, expected);
  g_assert_cmpuint (mixed->len, ==, expected);
  for (guint i = 0; i < full->len; i++)
    g_assert_true (contains_in_name_or_alias (g_ptr_array_index (full, i), "营业执照"));
  /* "yingye" also finds 营业 elsewhere, but 营业执照 first. */
  g_assert_cmpuint (part->len, >=, expected);
  for (guint i = 0; i < expected; i++)
    g_assert_true (contains_in_name_or_alias (g_ptr_array_index (part, i), "营业"));
  /* Syllables are not cut in the middle: "ingye" is not a match of yingye. */
  {
    g_autoptr(GPtrArray) inner = search ("ingyezhizhao", NULL, 0, NULL);
    g_assert_cmpuint (inner->len, ==, 0);
  }
  /* 旅 is lü: typed as lv or lu. */
  g_assert_cmpint (ow_item_index_match (shared_index, "01120020046010012001", "lvxs"), ==,
                   OW_ITEM_MATCH_PINYIN_NAME_PREFIX);
  g_assert_cmpint (ow_item_index_match (shared_index, "01120020046010012001", "luxingshe"), ==,
                   OW_ITEM_MATCH_PINYIN_NAME_PREFIX);
  g_assert_cmpint (ow_item_index_match (shared_index, "01010010046010001001", "kgs"), ==,
                   OW_ITEM_MATCH_PINYIN_ALIAS_PREFIX);
}

static void
test_name_pinyin_prefix (void)
{
  g_autoptr(GPtrArray) results = search ("jmsfzhl", NULL, 0, NULL);

  /* 居民身份证换领: initials of the name, ranked first. */
  g_assert_cmpuint (results->len, >=, 1);
  g_assert_cmpstr (name_at (results, 0), ==, "居民身份证换领");
  g_assert_cmpint (ow_item_index_match (shared_index, "20020010046010002001", "jmsfz"), ==,
                   OW_ITEM_MATCH_PINYIN_NAME_PREFIX);
  g_assert_cmpint (ow_item_index_match (shared_index, "20020010046010002001", "jumin"), ==,
                   OW_ITEM_MATCH_PINYIN_NAME_PREFIX);
  g_assert_cmpint (ow_item_index_match (shared_index, "20020010046010002001", "fenzheng"),
                   ==, OW_ITEM_MATCH_PINYIN_NAME_INSIDE);
  /* The alias 身份证到期 starts so: better than inside the name. */
  g_assert_cmpint (ow_item_index_match (shared_index, "20020010046010002001", "shenfenzheng"),
                   ==, OW_ITEM_MATCH_PINYIN_ALIAS_PREFIX);
}

static void
test_alias (void)
{
  g_autoptr(GPtrArray) results = search ("扯证", NULL, 0, NULL);

  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (name_at (results, 0), ==, "内地居民结婚登记");
  g_assert_cmpint (ow_item_index_match (shared_index, "07030010046010003001", "扯证"), ==,
                   OW_ITEM_MATCH_ALIAS_EXACT);
  g_assert_cmpint (ow_item_index_match (shared_index, "07030010046010003001", "chezheng"), ==,
                   OW_ITEM_MATCH_PINYIN_ALIAS_PREFIX);
  /* Latin letters in an alias: 开KTV, typed in either case or full width. */
  {
    g_autoptr(GPtrArray) ktv = search ("ｋｔｖ", NULL, 0, NULL);
    g_assert_cmpuint (ktv->len, ==, 1);
    g_assert_cmpstr (name_at (ktv, 0), ==, "娱乐场所经营许可");
  }
}

static void
test_codes (void)
{
  guint n = 0;
  g_autoptr(GPtrArray) by_id = search ("20020010046010002001", NULL, 0, &n);
  g_autoptr(GPtrArray) by_basic = search ("070300100", NULL, 0, NULL);
  g_autoptr(GPtrArray) by_prefix = search ("0703001", NULL, 0, NULL);

  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (name_at (by_id, 0), ==, "居民身份证换领");
  g_assert_cmpuint (by_basic->len, >=, 1);
  g_assert_cmpstr (name_at (by_basic, 0), ==, "内地居民结婚登记");
  g_assert_cmpint (ow_item_index_match (shared_index, "07030010046010003001", "070300100"), ==,
                   OW_ITEM_MATCH_CODE_EXACT);
  g_assert_cmpuint (by_prefix->len, >=, 1);
  g_assert_cmpstr (name_at (by_prefix, 0), ==, "内地居民结婚登记");
}

static void
test_ranking (void)
{
  /* Exact name > name prefix > alias > pinyin prefix > substring. */
  g_autoptr(GPtrArray) exact = search ("临时救助", NULL, 0, NULL);
  g_autoptr(GPtrArray) prefix = search ("社会", NULL, 0, NULL);
  g_autoptr(GPtrArray) passport = search ("护照", NULL, 0, NULL);
  g_autoptr(GPtrArray) lsjz = search ("lsjz", NULL, 0, NULL);
  OwItemMatch previous = OW_ITEM_MATCH_ALL;

  g_assert_cmpstr (name_at (exact, 0), ==, "临时救助");
  g_assert_cmpint (ow_item_index_match (shared_index, "05030050046010003001", "临时救助"), ==,
                   OW_ITEM_MATCH_NAME_EXACT);
  /* 社会保障卡申领 and the other names starting 社会 come before names holding it inside. */
  for (guint i = 0; i < prefix->len; i++)
    {
      OwItemMatch match = ow_item_index_match (shared_index,
                                               ow_item_get_id (g_ptr_array_index (prefix, i)),
                                               "社会");
      g_assert_cmpint (match, <=, previous);
      previous = match;
    }
  g_assert_true (g_str_has_prefix (name_at (prefix, 0), "社会"));
  g_assert_false (g_str_has_prefix (name_at (prefix, prefix->len - 1), "社会"));
  /* 普通护照签发 holds 护照 in its name: before items that only have it in an alias. */
  g_assert_cmpstr (name_at (passport, 0), ==, "普通护照签发");
  g_assert_cmpstr (name_at (lsjz, 0), ==, "临时救助");
}

static void
test_usage (void)
{
  g_autoptr(GHashTable) usage = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) before = search ("yyzz", NULL, 0, NULL);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) all = NULL;
  OwItem *last = g_ptr_array_index (before, 2);

  /* Items that match equally well: the one this counter uses most comes first. */
  g_assert_cmpint (ow_item_index_match (shared_index, ow_item_get_id (last), "yyzz"), ==,
                   ow_item_index_match (shared_index,
                                        ow_item_get_id (g_ptr_array_index (before, 0)), "yyzz"));
  g_hash_table_insert (usage, (gpointer) ow_item_get_id (last), GUINT_TO_POINTER (5));
  ow_item_index_set_usage (shared_index, usage);
  g_assert_cmpuint (ow_item_index_get_usage (shared_index, ow_item_get_id (last)), ==, 5);
  after = search ("yyzz", NULL, 0, NULL);
  g_assert_true (g_ptr_array_index (after, 0) == last);
  /* The empty query lists everything, most used first. */
  ow_item_index_add_use (shared_index, "20020010046010002001");
  ow_item_index_add_use (shared_index, "20020010046010002001");
  ow_item_index_add_use (shared_index, "20020010046010002001");
  all = search ("", NULL, 0, NULL);
  g_assert_cmpuint (all->len, ==, g_list_model_get_n_items (ow_catalog_get_items (catalog)));
  g_assert_true (g_ptr_array_index (all, 0) == last);
  g_assert_cmpstr (ow_item_get_id (g_ptr_array_index (all, 1)), ==, "20020010046010002001");
  /* A match's quality still goes before usage. */
  {
    g_autoptr(GPtrArray) exact = search ("临时救助", NULL, 0, NULL);
    g_assert_cmpstr (name_at (exact, 0), ==, "临时救助");
  }
  ow_item_index_set_usage (shared_index, NULL);
  g_assert_cmpuint (ow_item_index_get_usage (shared_index, ow_item_get_id (last)), ==, 0);
}

static void
test_filters (void)
{
  OwItemFilter by_department = { .department = "海口市公安局" };
  OwItemFilter by_type = { .item_type = OW_ITEM_TYPE_PAYMENT };
  OwItemFilter zero_trip = { .zero_trip_only = TRUE };
  OwItemFilter nowhere = { .department = "不存在的部门" };
  guint n_all = 0, n = 0;
  g_autoptr(GPtrArray) all = search ("zheng", NULL, 0, &n_all);
  g_autoptr(GPtrArray) police = search ("zheng", &by_department, 0, &n);

  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, n_all);
  for (guint i = 0; i < police->len; i++)
    g_assert_cmpstr (ow_item_get_department (g_ptr_array_index (police, i)), ==, "海口市公安局");
  {
    g_autoptr(GPtrArray) payments = search ("", &by_type, 0, &n);
    g_assert_cmpuint (n, >, 0);
    for (guint i = 0; i < payments->len; i++)
      g_assert_cmpint (ow_item_get_item_type (g_ptr_array_index (payments, i)), ==,
                       OW_ITEM_TYPE_PAYMENT);
  }
  {
    g_autoptr(GPtrArray) zero = search ("", &zero_trip, 0, &n);
    g_assert_cmpuint (n, >, 0);
    g_assert_cmpuint (n, <, g_list_model_get_n_items (ow_catalog_get_items (catalog)));
    for (guint i = 0; i < zero->len; i++)
      g_assert_true (ow_item_is_zero_trip (g_ptr_array_index (zero, i)));
    /* The filter passes over the remembered matches of the same query too. */
    g_autoptr(GPtrArray) zero_sfz = search ("sfz", &zero_trip, 0, &n);
    for (guint i = 0; i < zero_sfz->len; i++)
      g_assert_true (ow_item_is_zero_trip (g_ptr_array_index (zero_sfz, i)));
  }
  {
    g_autoptr(GPtrArray) none = search ("", &nowhere, 0, &n);
    g_assert_cmpuint (n, ==, 0);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

static void
test_limit (void)
{
  guint n = 0;
  g_autoptr(GPtrArray) all = search ("z", NULL, 0, &n);
  g_autoptr(GPtrArray) top = search ("z", NULL, 5, NULL);

  /* The limit keeps the best ones, in the same order. */
  g_assert_cmpuint (all->len, ==, n);
  g_assert_cmpuint (top->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_true (g_ptr_array_index (all, i) == g_ptr_array_index (top, i));
}

/* Typing, Backspace and typing again give what a fresh index gives for each text. */
static void
test_incremental (void)
{
  const char *steps[] = { "y", "yy", "yyz", "yyzz", "yyz", "yy", "yyd", "y", "", "营", "营业",
                          "营业执", "营", "s", "sh", "she", "shehui", "shehuib", "shehuibao" };
  g_autoptr(OwItemIndex) fresh = ow_item_index_new (catalog, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GPtrArray) typed = search (steps[i], NULL, 0, NULL);
      g_autoptr(GPtrArray) cold = NULL;

      ow_item_index_forget (fresh);
      cold = ow_item_index_search (fresh, steps[i], NULL, 0, NULL);
      g_assert_cmpuint (typed->len, ==, cold->len);
      for (guint j = 0; j < typed->len; j++)
        g_assert_cmpstr (ow_item_get_id (g_ptr_array_index (typed, j)), ==,
                         ow_item_get_id (g_ptr_array_index (cold, j)));
    }
}

static void
test_hostile (void)
{
  g_autofree char *long_query = g_strnfill (100000, 'y');
  g_autofree char *long_han = NULL;
  GString *han = g_string_new (NULL);
  guint n = 1;

  for (guint i = 0; i < 300; i++)
    g_string_append (han, "营");
  long_han = g_string_free (han, FALSE);

  g_autoptr(GPtrArray) r1 = search (long_query, NULL, 0, &n);
  g_assert_cmpuint (n, ==, 0);
  g_autoptr(GPtrArray) r2 = search (long_han, NULL, 0, &n);
  g_assert_cmpuint (n, ==, 0);
  /* 63 letters is the longest pinyin query; longer ones still search literally. */
  g_autoptr(GPtrArray) r3 = search ("yyzzyyzzyyzzyyzzyyzzyyzzyyzzyyzzyyzzyyzzyyzzyyzzyyzzyyzzyyzzyyzz",
                                    NULL, 0, &n);
  g_assert_cmpuint (n, ==, 0);
  /* Control characters are dropped: a tab or a bell inside still finds the item. */
  g_autoptr(GPtrArray) r4 = search ("扯\a证\t", NULL, 0, &n);
  g_assert_cmpuint (n, ==, 1);
  /* Invalid UTF-8 is repaired, not trusted. */
  g_autoptr(GPtrArray) r5 = search ("\xff\xfe扯证\xc3", NULL, 0, &n);
  g_assert_cmpuint (n, ==, 0);
  g_autoptr(GPtrArray) r6 = search ("扯证\xc3", NULL, 0, &n);
  g_assert_cmpuint (r6->len, ==, 0);
  g_autoptr(GPtrArray) r7 = search ("%s%n'; DROP TABLE items; --", NULL, 0, &n);
  g_assert_cmpuint (n, ==, 0);
  g_autoptr(GPtrArray) r8 = search (NULL, NULL, 0, &n);
  g_assert_cmpuint (n, ==, g_list_model_get_n_items (ow_catalog_get_items (catalog)));
  g_assert_cmpint (ow_item_index_match (shared_index, "no such item", "yyzz"), ==,
                   OW_ITEM_MATCH_NONE);
}

static void
built_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  OwItemIndex **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = ow_item_index_new_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(OwItemIndex) index = NULL;
  g_autoptr(GPtrArray) results = NULL;

  ow_item_index_new_async (catalog, NULL, built_cb, &index);
  while (index == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ow_item_index_get_n_items (index), ==,
                    g_list_model_get_n_items (ow_catalog_get_items (catalog)));
  results = ow_item_index_search (index, "yyzz", NULL, 0, NULL);
  g_assert_cmpuint (results->len, >=, 3);
}

/* Kept and read back, the index answers as built; another catalog or damaged bytes are refused. */
static void
test_serialize (void)
{
  const char *queries[] = { "yyzz", "营业执照", "jmsfz", "0101", "lvxs", "", NULL };
  g_autoptr(GBytes) bytes = ow_item_index_serialize (shared_index);
  g_autoptr(OwItemIndex) copy = NULL;
  g_autoptr(OwCatalog) other = ow_catalog_new ();
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  copy = ow_item_index_new_from_bytes (catalog, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ow_item_index_get_n_items (copy), ==, ow_item_index_get_n_items (shared_index));
  for (guint q = 0; queries[q] != NULL; q++)
    {
      g_autoptr(GPtrArray) built = NULL, read = NULL;
      guint n_built = 0, n_read = 0;

      ow_item_index_forget (shared_index);
      built = ow_item_index_search (shared_index, queries[q], NULL, 20, &n_built);
      read = ow_item_index_search (copy, queries[q], NULL, 20, &n_read);
      g_assert_cmpuint (n_read, ==, n_built);
      g_assert_cmpuint (read->len, ==, built->len);
      for (guint i = 0; i < read->len; i++)
        g_assert_cmpstr (ow_item_get_id (g_ptr_array_index (read, i)), ==,
                         ow_item_get_id (g_ptr_array_index (built, i)));
    }

  /* Another catalog: refused. */
  g_assert_null (ow_item_index_new_from_bytes (other, bytes, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  /* Cut short, or an offset sent out of range: refused, not followed. */
  {
    g_autoptr(GBytes) cut = g_bytes_new (data, size - 1);
    g_autofree guint8 *bad = g_memdup2 (data, size);
    g_autoptr(GBytes) damaged = NULL;

    g_assert_null (ow_item_index_new_from_bytes (catalog, cut, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_clear_error (&error);
    /* The first entry's first key, just after the 40-byte header and two Bloom filters. */
    memset (bad + 40 + 64, 0xff, 4);
    damaged = g_bytes_new (bad, size);
    g_assert_null (ow_item_index_new_from_bytes (catalog, damaged, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  catalog = load_catalog ();
  shared_index = ow_item_index_new (catalog, &error);
  g_assert_no_error (error);

  g_test_add_func ("/search/pinyin/icu", test_pinyin_is_icu);
  g_test_add_func ("/search/pinyin/syllables", test_pinyin_syllables);
  g_test_add_func ("/search/index/initials", test_initials_find_business_licence);
  g_test_add_func ("/search/index/full-pinyin", test_full_pinyin);
  g_test_add_func ("/search/index/name-pinyin", test_name_pinyin_prefix);
  g_test_add_func ("/search/index/alias", test_alias);
  g_test_add_func ("/search/index/codes", test_codes);
  g_test_add_func ("/search/index/ranking", test_ranking);
  g_test_add_func ("/search/index/usage", test_usage);
  g_test_add_func ("/search/index/filters", test_filters);
  g_test_add_func ("/search/index/limit", test_limit);
  g_test_add_func ("/search/index/incremental", test_incremental);
  g_test_add_func ("/search/index/hostile", test_hostile);
  g_test_add_func ("/search/index/async", test_async);
  g_test_add_func ("/search/index/serialize", test_serialize);
  status = g_test_run ();

  g_clear_object (&shared_index);
  g_clear_object (&catalog);
  return status;
}
