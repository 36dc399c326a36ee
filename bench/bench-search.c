/* bench-search.c — per-keystroke latency of the item search over a 100,000-item catalog
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures, not a test. Generates a catalog whose names and aliases combine the words of the real
 * data/catalog.json (so they are Chinese and have pinyin), builds the index, then types each
 * query one character at a time and times every keystroke's search (the best 50, as the intake
 * page shows), beside a plain strstr() scan of the same names for the same text. "cold" repeats
 * the index's figures with its remembered prefixes dropped before every keystroke: what a
 * search costs with nothing to narrow from (a paste, a new query).
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "net/ow-json.h"
#include "search/ow-item-index.h"

#define RESULT_LIMIT 50

static guint n_items = 100000;
static guint rounds = 5;

static const char *queries[] = {
  "yyzz", "yingyezhizhao", "营业执照", "shehuibaozhangka", "jmsfzhl", "社会保障", "gjj",
  "zhufanggongjijin", "0105", "kaifandian", "不动产登记", "lsjz",
};

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
percentile (GArray *samples,
            double  p)
{
  guint i;

  g_array_sort (samples, compare_gint64);
  i = (guint) (p * (samples->len - 1) + 0.5);
  return g_array_index (samples, gint64, i) / 1000.0; /* ns → µs */
}

/* The words of the real catalog: its names and aliases cut into two-character pieces. */
static GPtrArray *
collect_words (OwCatalog *catalog,
               GPtrArray *departments)
{
  GListModel *items = ow_catalog_get_items (catalog);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OwItem) item = g_list_model_get_item (items, i);
      const char * const *aliases = ow_item_get_aliases (item);
      g_autoptr(GPtrArray) texts = g_ptr_array_new ();

      g_ptr_array_add (texts, (gpointer) ow_item_get_name (item));
      for (guint j = 0; aliases != NULL && aliases[j] != NULL; j++)
        g_ptr_array_add (texts, (gpointer) aliases[j]);
      if (!g_ptr_array_find_with_equal_func (departments, ow_item_get_department (item),
                                             g_str_equal, NULL))
        g_ptr_array_add (departments, g_strdup (ow_item_get_department (item)));
      for (guint j = 0; j < texts->len; j++)
        {
          const char *p = g_ptr_array_index (texts, j);

          while (*p != '\0')
            {
              const char *second = g_utf8_next_char (p);
              const char *end = *second != '\0' ? g_utf8_next_char (second) : second;
              char *word = g_strndup (p, end - p);

              if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN
                  && !g_hash_table_contains (seen, word))
                {
                  g_hash_table_add (seen, word);
                  g_ptr_array_add (words, word);
                }
              else
                g_free (word);
              p = end;
            }
        }
    }
  return words;
}

static char *
make_text (GRand     *rand,
           GPtrArray *words,
           guint      min_words,
           guint      max_words)
{
  GString *text = g_string_new (NULL);
  guint n = g_rand_int_range (rand, min_words, max_words + 1);

  for (guint i = 0; i < n; i++)
    g_string_append (text, g_ptr_array_index (words, g_rand_int_range (rand, 0, words->len)));
  return g_string_free (text, FALSE);
}

/* The items, not an OwCatalog: ow_catalog_add_item() looks for an item with the same id by
 * walking the list, which takes hours for 100,000 items one by one. */
static GPtrArray *
generate_items (OwCatalog  *real,
                GPtrArray **names_out)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  g_autoptr(GPtrArray) departments = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) words = collect_words (real, departments);
  GPtrArray *catalog = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  static const OwItemType types[] = { OW_ITEM_TYPE_LICENSING, OW_ITEM_TYPE_PAYMENT,
                                      OW_ITEM_TYPE_CONFIRMATION, OW_ITEM_TYPE_OTHER,
                                      OW_ITEM_TYPE_PUBLIC_SERVICE };

  g_print ("words: %u two-character pieces of the real names and aliases\n", words->len);
  for (guint i = 0; i < n_items; i++)
    {
      char id[32], basic[16];
      g_autofree char *name = make_text (rand, words, 3, 6);
      g_autoptr(OwItem) item = NULL;
      char *aliases[5] = { NULL };
      guint n_aliases = g_rand_int_range (rand, 2, 5);

      g_snprintf (basic, sizeof basic, "%02u%07u", (guint) types[i % G_N_ELEMENTS (types)], i);
      g_snprintf (id, sizeof id, "%s46010001%03u", basic, i % 1000);
      item = ow_item_new (id, name);
      for (guint j = 0; j < n_aliases; j++)
        aliases[j] = make_text (rand, words, 1, 3);
      ow_item_set_aliases (item, (const char * const *) aliases);
      for (guint j = 0; j < n_aliases; j++)
        g_free (aliases[j]);
      ow_item_set_basic_code (item, basic);
      ow_item_set_item_type (item, types[i % G_N_ELEMENTS (types)]);
      ow_item_set_department (item, g_ptr_array_index (departments, i % departments->len), NULL);
      ow_item_set_visits (item, g_rand_int_range (rand, 0, 3));
      g_ptr_array_add (catalog, g_object_ref (item));
      g_ptr_array_add (names, g_strdup (name));
    }
  *names_out = names;
  return catalog;
}

/* The baseline: what the page did before the index, a strstr() over every name. */
static guint
substring_scan (GPtrArray  *names,
                const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < names->len; i++)
    n += strstr (g_ptr_array_index (names, i), needle) != NULL;
  return n;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("— item search latency");
  GOptionEntry entries[] = {
    { "items", 0, 0, G_OPTION_ARG_INT, &n_items, "Items to generate (100000)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Times each query is typed (5)", "N" },
    { NULL }
  };
  g_autofree char *path = g_build_filename (OW_BENCH_DATA_DIR, "catalog.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCatalog) real = NULL;
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(OwItemIndex) index = NULL;
  g_autoptr(GArray) warm = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) cold = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) scan = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start;
  double build_s, warm_median, warm_p99, cold_median, cold_p99, scan_median, scan_p99;
  guint64 sink = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (!json_parser_load_from_file (parser, path, &error)
      || (real = ow_json_to_catalog (json_parser_get_root (parser), &error)) == NULL)
    {
      g_printerr ("Cannot read %s: %s\n", path, error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  catalog = generate_items (real, &names);
  g_print ("generated %u items in %.2f s; e.g. %s, %s\n", n_items,
           (g_get_monotonic_time () - start) / 1e6, (char *) g_ptr_array_index (names, 0),
           (char *) g_ptr_array_index (names, 1));

  start = g_get_monotonic_time ();
  index = ow_item_index_new_for_items (catalog, &error);
  build_s = (g_get_monotonic_time () - start) / 1e6;
  if (index == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("index built in %.2f s (one thread; the page builds it in a worker)\n", build_s);

  for (guint r = 0; r < rounds; r++)
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        const char *query = queries[q];

        ow_item_index_forget (index);
        for (const char *end = g_utf8_next_char (query); ; end = g_utf8_next_char (end))
          {
            g_autofree char *typed = g_strndup (query, end - query);
            g_autoptr(GPtrArray) results = NULL;
            gint64 t0, t1, t2, t3;
            guint n = 0;

            t0 = g_get_monotonic_time ();
            results = ow_item_index_search (index, typed, NULL, RESULT_LIMIT, &n);
            t1 = g_get_monotonic_time ();
            sink += n + results->len;
            g_array_append_val (warm, (gint64) { (t1 - t0) * 1000 });
            if (g_getenv ("OW_BENCH_VERBOSE") != NULL && r == 0)
              g_print ("    %s: %" G_GINT64_FORMAT " us, %u matches\n", typed, t1 - t0, n);

            /* The same keystroke again with nothing remembered. Afterwards the index remembers
             * just this text, which is all the next keystroke narrows from anyway. */
            ow_item_index_forget (index);
            t2 = g_get_monotonic_time ();
            g_clear_pointer (&results, g_ptr_array_unref);
            results = ow_item_index_search (index, typed, NULL, RESULT_LIMIT, &n);
            t3 = g_get_monotonic_time ();
            sink += n;
            g_array_append_val (cold, (gint64) { (t3 - t2) * 1000 });

            t2 = g_get_monotonic_time ();
            sink += substring_scan (names, typed);
            t3 = g_get_monotonic_time ();
            g_array_append_val (scan, (gint64) { (t3 - t2) * 1000 });

            if (*end == '\0')
              {
                if (r == 0)
                  g_print ("  %-18s %6u matches; first: %s\n", query, n,
                           results->len > 0 ? ow_item_get_name (g_ptr_array_index (results, 0))
                                            : "—");
                break;
              }
          }
      }

  warm_median = percentile (warm, 0.5);
  warm_p99 = percentile (warm, 0.99);
  cold_median = percentile (cold, 0.5);
  cold_p99 = percentile (cold, 0.99);
  scan_median = percentile (scan, 0.5);
  scan_p99 = percentile (scan, 0.99);

  g_print ("\n%u keystrokes over %u items (µs per keystroke)\n", warm->len, n_items);
  g_print ("  %-34s median %8.1f   p99 %8.1f\n", "index, typing (prefixes remembered)",
           warm_median, warm_p99);
  g_print ("  %-34s median %8.1f   p99 %8.1f\n", "index, cold (nothing remembered)",
           cold_median, cold_p99);
  g_print ("  %-34s median %8.1f   p99 %8.1f\n", "strstr over the names (baseline)",
           scan_median, scan_p99);
  g_print ("  ratio index/baseline: typing median %.2f p99 %.2f; cold median %.2f p99 %.2f\n",
           warm_median / scan_median, warm_p99 / scan_p99, cold_median / scan_median,
           cold_p99 / scan_p99);
  g_print ("SUMMARY items=%u build_s=%.2f typing_median_us=%.1f typing_p99_us=%.1f "
           "cold_median_us=%.1f cold_p99_us=%.1f strstr_median_us=%.1f strstr_p99_us=%.1f "
           "(sink %" G_GUINT64_FORMAT ")\n",
           n_items, build_s, warm_median, warm_p99, cold_median, cold_p99, scan_median, scan_p99,
           sink);
  return 0;
}
