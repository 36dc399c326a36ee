/* ow-item-index.h — find service items as the clerk types: names, aliases, codes and pinyin
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-catalog.h"

G_BEGIN_DECLS

/* What the clerk narrowed the list to. Zero-initialised: everything. */
typedef struct
{
  const char *department;      /* 实施主体 by name; NULL or "" for any */
  OwItemType  item_type;       /* 0 for any */
  gboolean    zero_trip_only;  /* only items the applicant never has to come for */
} OwItemFilter;

/* How an item matched, best first; the order of the ranking. */
typedef enum
{
  OW_ITEM_MATCH_NONE = 0,
  OW_ITEM_MATCH_PINYIN_ALIAS_INSIDE,  /* pinyin inside an alias, from a syllable on */
  OW_ITEM_MATCH_PINYIN_NAME_INSIDE,   /* pinyin inside the name, from a syllable on */
  OW_ITEM_MATCH_ALIAS_SUBSTRING,
  OW_ITEM_MATCH_NAME_SUBSTRING,
  OW_ITEM_MATCH_PINYIN_ALIAS_PREFIX,  /* an alias's pinyin (full, initials or mixed) starts so */
  OW_ITEM_MATCH_PINYIN_NAME_PREFIX,   /* the name's pinyin starts so: "yyzz", "yingye", "yyzhi" */
  OW_ITEM_MATCH_ALIAS_PREFIX,
  OW_ITEM_MATCH_ALIAS_EXACT,
  OW_ITEM_MATCH_CODE_PREFIX,          /* 实施编码 or 基本编码 */
  OW_ITEM_MATCH_NAME_PREFIX,
  OW_ITEM_MATCH_CODE_EXACT,
  OW_ITEM_MATCH_NAME_EXACT,
  OW_ITEM_MATCH_ALL,                  /* the empty query */
} OwItemMatch;

#define OW_TYPE_ITEM_INDEX (ow_item_index_get_type ())
G_DECLARE_FINAL_TYPE (OwItemIndex, ow_item_index, OW, ITEM_INDEX, GObject)

/* Builds the index of every item of @catalog: blocking (transliteration takes a while on a large
 * catalog), for a worker thread; or use the async pair. NULL with @error when ICU cannot make
 * pinyin. The index keeps the catalog (its results are the catalog's items: complete where the
 * catalog holds them, else summaries); a catalog does not change once shared. */
OwItemIndex *ow_item_index_new          (OwCatalog           *catalog,
                                         GError             **error);
/* The same over @items (OwItem), in their order. */
OwItemIndex *ow_item_index_new_for_items (GPtrArray          *items,
                                         GError             **error);
void         ow_item_index_new_async    (OwCatalog           *catalog,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
OwItemIndex *ow_item_index_new_finish   (GAsyncResult        *result,
                                         GError             **error);

/* What an index holds, to keep it beside its catalog and read it back at the next start
 * instead of transliterating again: ow_item_index_new_from_bytes() takes the catalog it was
 * built over (the same items in the same order) and refuses, with G_IO_ERROR_INVALID_DATA,
 * anything else it can tell: another number of items, another build, damaged data. Usage is
 * not kept. Blocking, like building, though much faster. */
GBytes      *ow_item_index_serialize    (OwItemIndex         *self);
OwItemIndex *ow_item_index_new_from_bytes (OwCatalog         *catalog,
                                         GBytes             *bytes,
                                         GError            **error);

guint        ow_item_index_get_n_items  (OwItemIndex         *self);

/* How often this counter used each item: item id (char*) → GUINT_TO_POINTER (count). Replaces
 * the counts; @usage may be NULL for none. Ranks items that match equally well. */
void         ow_item_index_set_usage    (OwItemIndex         *self,
                                         GHashTable          *usage);
void         ow_item_index_add_use      (OwItemIndex         *self,
                                         const char          *item_id);
guint        ow_item_index_get_usage    (OwItemIndex         *self,
                                         const char          *item_id);

/* The items matching @query that pass @filter (NULL: all), best first: by how they matched
 * (OwItemMatch), then by usage, then the shorter name, then catalog order. At most @limit (0:
 * no limit) are returned; @n_matches (may be NULL) says how many matched in all. An empty or
 * blank query matches every item (ranked by usage): the list a clerk browses.
 *
 * The query is case-folded and NFKC-normalised (full-width letters and digits count as ASCII);
 * letters match the pinyin of names and aliases — full ("yingyezhizhao"), initials ("yyzz"),
 * or mixed, each syllable written out or by its initial (zh/ch/sh may be two letters), the last
 * one possibly cut short ("yyzhi", "yingyezh"); blanks between syllables are ignored. Invalid
 * UTF-8 is repaired, control characters dropped, and a query longer than any name (1 KiB)
 * matches nothing.
 *
 * Not safe to call from two threads at once: the index remembers the results of the query's
 * prefixes, so that each keystroke only looks again at what the previous one found. Returns a
 * GPtrArray of OwItem (references). */
GPtrArray   *ow_item_index_search       (OwItemIndex         *self,
                                         const char          *query,
                                         const OwItemFilter  *filter,
                                         guint                limit,
                                         guint               *n_matches);
/* How @item (by id) matches @query, ignoring filters: for tests and for explaining a result. */
OwItemMatch  ow_item_index_match        (OwItemIndex         *self,
                                         const char          *item_id,
                                         const char          *query);
/* Drops the remembered results (which items matched, not how they rank: usage and filters
 * apply afresh to each search). */
void         ow_item_index_forget       (OwItemIndex         *self);

G_END_DECLS
