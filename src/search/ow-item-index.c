/* ow-item-index.c — find service items as the clerk types: names, aliases, codes and pinyin
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each item keeps its searchable texts folded once, its pinyin as syllables, and two 512-bit
 * Bloom filters of the characters and character pairs any match needs: a literal match needs the
 * query's pairs in a name or alias; a pinyin match needs the query's letter pairs inside a
 * syllable or from a syllable (or its initial, or zh/ch/sh) to the next syllable's initial. A
 * search tests the filter first (a few AND instructions per item) and verifies only what passes.
 * Matching is monotonic — whatever matches "yyzz" matches "yyz" — so each keystroke verifies
 * only what the previous one found; the results of the query's prefixes are kept for Backspace.
 */

#include "config.h"

#include <string.h>

#include "search/ow-item-index.h"
#include "search/ow-pinyin.h"

#define BLOOM_WORDS 4
#define BLOOM_BITS (BLOOM_WORDS * 64)
#define MAX_QUERY_BYTES 1024
#define MAX_PINYIN_QUERY 63
#define MAX_REMEMBERED 48
/* A key's pinyin is kept up to this many letters (a name of some 70 characters): its syllables'
 * offsets fit in a byte. Longer names are still found by their characters and this much of
 * their pinyin. */
#define MAX_KEY_PINYIN 255

/* Every item's search data stays in memory, a province's hundred thousand of them: each byte
 * here is 100 KB there. 24 bytes. */
typedef struct
{
  guint32 initials;     /* initial_bit() of each syllable's first letter */
  guint32 literal;      /* offset in text: the folded text */
  guint32 pinyin;       /* offset in text: the syllables, concatenated */
  guint32 starts;       /* index in starts: where each syllable begins in the pinyin */
  guint16 n_syllables;
  guint16 pinyin_len;   /* at most MAX_KEY_PINYIN */
  guint16 chars;        /* length in characters: the shorter, the more the query covers */
} Key;

/* 88 bytes. */
typedef struct
{
  guint64 literal_bloom[BLOOM_WORDS]; /* names, aliases, codes */
  guint64 pinyin_bloom[BLOOM_WORDS];
  guint32 first_key;    /* the name, then the aliases */
  guint32 id;           /* offsets in text, folded */
  guint32 basic_code;
  guint32 usage;
  guint16 n_keys;
  guint16 department;   /* index in departments */
  guint8 item_type;
  guint8 zero_trip;
} Entry;

typedef struct
{
  guint32 entry;
  guint16 match;        /* OwItemMatch */
  guint16 chars;        /* of the name or alias that matched */
} Hit;

typedef struct
{
  char *query;
  GArray *hits;         /* Hit, in entry order */
} Remembered;

struct _OwItemIndex
{
  GObject parent_instance;

  OwCatalog *catalog;   /* the one indexed: entry i is its item at position i */
  GArray *entries;      /* Entry */
  GArray *keys;         /* Key */
  GArray *starts;       /* guint8 */
  GString *text;
  GPtrArray *departments; /* char* */
  GHashTable *department_ids; /* name → index + 1 */

  GPtrArray *remembered; /* Remembered, each query a prefix of the next */
};

G_DEFINE_FINAL_TYPE (OwItemIndex, ow_item_index, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------------------------- */
/* Folding and the Bloom filter */

static void
remembered_free (Remembered *remembered)
{
  g_free (remembered->query);
  g_array_unref (remembered->hits);
  g_free (remembered);
}

/* What the clerk's text and the catalog's are both compared as: NFKC (full-width letters and
 * digits become ASCII), case-folded, control characters dropped, blanks collapsed and trimmed.
 * NULL for invalid input it cannot repair. */
static char *
fold_text (const char *text,
           gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  g_autofree char *normal = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = NULL;
  GString *out;
  gboolean blank = FALSE;

  if (normal == NULL)
    return NULL;
  folded = g_utf8_casefold (normal, -1);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          blank = out->len > 0;
          continue;
        }
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        continue;
      if (blank)
        g_string_append_c (out, ' ');
      blank = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static inline guint
bloom_bit (gunichar a,
           gunichar b)
{
  guint32 h = a * 0x9E3779B1u ^ (b + 0x7F4A7C15u) * 0x85EBCA77u;

  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  return h % BLOOM_BITS;
}

static inline void
bloom_add (guint64  *bloom,
           gunichar  a,
           gunichar  b)
{
  guint bit = bloom_bit (a, b);

  bloom[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
}

/* Pinyin keyboards write ü as v or u: both hash as u. */
static inline gunichar
pinyin_letter (char c)
{
  return c == 'v' ? 'u' : (guchar) c;
}

/* A bit per letter a pinyin match may begin with (a match begins at a syllable); digits share
 * the six bits left, which only lets more through to the real comparison. */
static inline guint32
initial_bit (char c)
{
  if (c >= 'a' && c <= 'z')
    return 1u << (pinyin_letter (c) - 'a');
  if (c >= '0' && c <= '9')
    return 1u << (26 + (c - '0') % 6);
  return 0;
}

static void
bloom_add_literal (guint64    *bloom,
                   const char *text)
{
  gunichar previous = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      bloom_add (bloom, c, 0);
      if (previous != 0)
        bloom_add (bloom, previous, c);
      previous = c;
    }
}

static void
bloom_add_pinyin (guint64        *bloom,
                  const char     *pinyin,
                  const guint8   *starts,
                  guint           n_syllables,
                  guint           pinyin_len)
{
  for (guint k = 0; k < n_syllables; k++)
    {
      const char *syllable = pinyin + starts[k];
      guint length = (k + 1 < n_syllables ? starts[k + 1] : pinyin_len) - starts[k];

      for (guint i = 0; i < length; i++)
        {
          bloom_add (bloom, pinyin_letter (syllable[i]), 0);
          if (i > 0)
            bloom_add (bloom, pinyin_letter (syllable[i - 1]), pinyin_letter (syllable[i]));
        }
      if (k + 1 < n_syllables)
        {
          gunichar next = pinyin_letter (pinyin[starts[k + 1]]);

          /* Written out, by its initial, or by zh/ch/sh, then the next syllable. */
          bloom_add (bloom, pinyin_letter (syllable[length - 1]), next);
          bloom_add (bloom, pinyin_letter (syllable[0]), next);
          if (length > 1 && syllable[1] == 'h')
            bloom_add (bloom, 'h', next);
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Building */

static guint32
add_text (OwItemIndex *self,
          const char  *text)
{
  guint32 offset = self->text->len;

  g_string_append (self->text, text != NULL ? text : "");
  g_string_append_c (self->text, '\0');
  return offset;
}

static void
add_key (OwItemIndex *self,
         OwPinyin    *pinyin,
         Entry       *entry,
         const char  *text)
{
  g_autofree char *folded = fold_text (text, -1);
  g_autoptr(GString) syllables = g_string_new (NULL);
  g_autoptr(GArray) wide = g_array_new (FALSE, FALSE, sizeof (guint16));
  Key key = { 0 };
  guint n;

  if (folded == NULL || *folded == '\0' || entry->n_keys == G_MAXUINT16)
    return;
  key.literal = add_text (self, folded);
  key.chars = MIN (g_utf8_strlen (folded, -1), G_MAXUINT16);
  key.starts = self->starts->len;
  n = ow_pinyin_syllables (pinyin, folded, syllables, wide);
  /* The syllables that begin within the letters kept, cut at the end of the last one kept. */
  while (n > 0 && g_array_index (wide, guint16, n - 1) >= MAX_KEY_PINYIN)
    n--;
  if (syllables->len > MAX_KEY_PINYIN)
    g_string_truncate (syllables, MAX_KEY_PINYIN);
  for (guint k = 0; k < n; k++)
    {
      guint8 start = (guint8) g_array_index (wide, guint16, k);

      g_array_append_val (self->starts, start);
    }
  key.n_syllables = n;
  key.pinyin_len = syllables->len;
  key.pinyin = add_text (self, syllables->str);
  bloom_add_literal (entry->literal_bloom, folded);
  bloom_add_pinyin (entry->pinyin_bloom, syllables->str,
                    &g_array_index (self->starts, guint8, key.starts), key.n_syllables,
                    key.pinyin_len);
  for (guint k = 0; k < key.n_syllables; k++)
    key.initials |= initial_bit (syllables->str[g_array_index (self->starts, guint8,
                                                               key.starts + k)]);
  g_array_append_val (self->keys, key);
  entry->n_keys++;
}

static guint32
intern_department (OwItemIndex *self,
                   const char  *department)
{
  gpointer known;

  if (department == NULL)
    department = "";
  known = g_hash_table_lookup (self->department_ids, department);
  if (known != NULL)
    return GPOINTER_TO_UINT (known) - 1;
  g_ptr_array_add (self->departments, g_strdup (department));
  g_hash_table_insert (self->department_ids,
                       g_ptr_array_index (self->departments, self->departments->len - 1),
                       GUINT_TO_POINTER (self->departments->len));
  return self->departments->len - 1;
}

static void
add_item (OwItemIndex *self,
          OwPinyin    *pinyin,
          OwItem      *item)
{
  const char * const *aliases = ow_item_get_aliases (item);
  g_autofree char *id = fold_text (ow_item_get_id (item), -1);
  g_autofree char *basic_code = fold_text (ow_item_get_basic_code (item) != NULL
                                           ? ow_item_get_basic_code (item) : "", -1);
  Entry entry = { 0 };

  entry.first_key = self->keys->len;
  add_key (self, pinyin, &entry, ow_item_get_name (item));
  if (entry.n_keys == 0)
    {
      /* A nameless item still has a (blank) name key, so that key 0 is always the name. */
      Key key = { 0 };

      key.literal = add_text (self, "");
      key.pinyin = key.literal;
      key.starts = self->starts->len;
      g_array_append_val (self->keys, key);
      entry.n_keys = 1;
    }
  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    add_key (self, pinyin, &entry, aliases[i]);
  entry.id = add_text (self, id);
  entry.basic_code = add_text (self, basic_code);
  bloom_add_literal (entry.literal_bloom, id != NULL ? id : "");
  bloom_add_literal (entry.literal_bloom, basic_code != NULL ? basic_code : "");
  /* More departments than a province has: the rest are not told apart by the filter. */
  entry.department = MIN (intern_department (self, ow_item_get_department (item)),
                          G_MAXUINT16);
  entry.item_type = ow_item_get_item_type (item);
  entry.zero_trip = ow_item_is_zero_trip (item);

  g_array_append_val (self->entries, entry);
}

/* ---------------------------------------------------------------------------------------- */
/* Matching */

typedef struct
{
  const char *text;     /* folded */
  gsize length;
  gboolean codes;       /* may be an item code */
  char pinyin[MAX_PINYIN_QUERY + 1]; /* letters and digits without blanks; "" when not pinyin */
  guint pinyin_len;
  guint32 pinyin_initial; /* initial_bit() of its first letter */
  guint64 literal_mask[BLOOM_WORDS];
  guint64 pinyin_mask[BLOOM_WORDS];
} Query;

static void
query_init (Query      *query,
            const char *folded)
{
  gboolean ascii = TRUE, letter = FALSE;
  gunichar previous = 0;
  guint n = 0;

  memset (query, 0, sizeof *query);
  query->text = folded;
  query->length = strlen (folded);

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint bit = bloom_bit (previous != 0 ? previous : c, previous != 0 ? c : 0);

      query->literal_mask[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
      previous = c;
      if (c == ' ' || c == '\'')
        continue;
      if (c >= 0x80 || !g_ascii_isalnum (c))
        ascii = FALSE;
      else if (n < MAX_PINYIN_QUERY)
        {
          letter |= g_ascii_isalpha (c);
          query->pinyin[n++] = c;
        }
      else
        ascii = FALSE;
    }
  query->codes = ascii && strchr (folded, ' ') == NULL;
  if (ascii && letter && n > 0)
    {
      query->pinyin[n] = '\0';
      query->pinyin_len = n;
      query->pinyin_initial = initial_bit (query->pinyin[0]);
      for (guint i = 0; i < n; i++)
        {
          guint bit = i == 0 ? bloom_bit (pinyin_letter (query->pinyin[0]), 0)
                             : bloom_bit (pinyin_letter (query->pinyin[i - 1]),
                                          pinyin_letter (query->pinyin[i]));

          query->pinyin_mask[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
        }
    }
}

static inline gboolean
bloom_passes (const guint64 *bloom,
              const guint64 *mask)
{
  guint64 missing = 0;

  for (guint i = 0; i < BLOOM_WORDS; i++)
    missing |= mask[i] & ~bloom[i];
  return missing == 0;
}

static inline gboolean
letters_equal (char query,
               char syllable)
{
  return query == syllable || (syllable == 'v' && query == 'u');
}

/* Whether @query's @n letters are @syllable's first @n. */
static inline gboolean
syllable_starts (const char *syllable,
                 const char *query,
                 guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!letters_equal (query[i], syllable[i]))
      return FALSE;
  return TRUE;
}

/* 2 when the pinyin of @key starts with the query, 1 when it holds it from a syllable on, 0
 * otherwise. Each syllable is consumed whole, by its initial, or by zh/ch/sh, except the last,
 * which may be cut anywhere. Bit i of a mask: i letters of the query consumed before this
 * syllable. */
static int
match_pinyin (OwItemIndex *self,
              const Key   *key,
              const Query *query)
{
  const char *pinyin = self->text->str + key->pinyin;
  const guint8 *starts = &g_array_index (self->starts, guint8, key->starts);
  const char *q = query->pinyin;
  guint n = query->pinyin_len;
  guint64 anchored = 1, any = 1;
  int found = 0;

  if ((key->initials & query->pinyin_initial) == 0)
    return 0;
  for (guint k = 0; k < key->n_syllables; k++)
    {
      const char *syllable = pinyin + starts[k];
      guint length = (k + 1 < key->n_syllables ? starts[k + 1] : key->pinyin_len) - starts[k];
      guint64 next_anchored = 0, next_any = 0;
      guint64 states = any | anchored;

      while (states != 0)
        {
          guint i = __builtin_ctzll (states);
          guint64 bit = G_GUINT64_CONSTANT (1) << i;
          guint rest = n - i;
          guint64 reached = 0;

          states &= states - 1;
          if (!letters_equal (q[i], syllable[0]))
            continue;
          if (rest <= length && syllable_starts (syllable, q + i, rest))
            {
              if (anchored & bit)
                return 2;
              found = 1;
              continue;
            }
          if (rest > length && syllable_starts (syllable, q + i, length))
            reached |= G_GUINT64_CONSTANT (1) << (i + length);
          reached |= G_GUINT64_CONSTANT (1) << (i + 1);
          if (length > 1 && syllable[1] == 'h' && rest > 2 && q[i + 1] == 'h')
            reached |= G_GUINT64_CONSTANT (1) << (i + 2);
          if (anchored & bit)
            next_anchored |= reached;
          next_any |= reached;
        }
      anchored = next_anchored;
      /* A match may begin at any syllable; once one is found only a prefix could do better. */
      any = found ? 0 : next_any | 1;
      if (found && anchored == 0)
        break;
    }
  return found;
}

/* Keeps the better of two ways an item matched: the higher kind, then the shorter text. */
static inline void
keep_better (int    *best,
             guint  *best_chars,
             int     match,
             guint   chars)
{
  if (match > *best || (match == *best && match > 0 && chars < *best_chars))
    {
      *best = match;
      *best_chars = chars;
    }
}

/* How @entry matches @query; @chars is set to the length of the name or alias that matched. */
static OwItemMatch
match_entry (OwItemIndex *self,
             const Entry *entry,
             const Query *query,
             guint       *chars)
{
  const char *text = self->text->str;
  const Key *keys = &g_array_index (self->keys, Key, entry->first_key);
  const char *name = text + keys[0].literal;
  gboolean literal = bloom_passes (entry->literal_bloom, query->literal_mask);
  gboolean pinyin = query->pinyin_len > 0 && bloom_passes (entry->pinyin_bloom,
                                                          query->pinyin_mask);
  int pinyin_name = 0, best = 0;
  guint best_chars = G_MAXUINT;

  *chars = keys[0].chars;
  if (!literal && !pinyin)
    return OW_ITEM_MATCH_NONE;

  if (literal)
    {
      if (strcmp (name, query->text) == 0)
        return OW_ITEM_MATCH_NAME_EXACT;
      if (query->codes && (strcmp (text + entry->id, query->text) == 0
                           || strcmp (text + entry->basic_code, query->text) == 0))
        return OW_ITEM_MATCH_CODE_EXACT;
      if (strncmp (name, query->text, query->length) == 0)
        return OW_ITEM_MATCH_NAME_PREFIX;
      if (query->codes && (strncmp (text + entry->id, query->text, query->length) == 0
                           || strncmp (text + entry->basic_code, query->text,
                                       query->length) == 0))
        return OW_ITEM_MATCH_CODE_PREFIX;
      for (guint k = 1; k < entry->n_keys; k++)
        {
          const char *alias = text + keys[k].literal;

          if (strcmp (alias, query->text) == 0)
            keep_better (&best, &best_chars, OW_ITEM_MATCH_ALIAS_EXACT, keys[k].chars);
          else if (strncmp (alias, query->text, query->length) == 0)
            keep_better (&best, &best_chars, OW_ITEM_MATCH_ALIAS_PREFIX, keys[k].chars);
        }
      if (best != 0)
        goto done;
    }

  if (pinyin)
    {
      pinyin_name = match_pinyin (self, &keys[0], query);
      if (pinyin_name == 2)
        return OW_ITEM_MATCH_PINYIN_NAME_PREFIX;
      for (guint k = 1; k < entry->n_keys; k++)
        {
          int found = match_pinyin (self, &keys[k], query);

          if (found == 2)
            keep_better (&best, &best_chars, OW_ITEM_MATCH_PINYIN_ALIAS_PREFIX, keys[k].chars);
          else if (found == 1)
            keep_better (&best, &best_chars, OW_ITEM_MATCH_PINYIN_ALIAS_INSIDE, keys[k].chars);
        }
      if (best == OW_ITEM_MATCH_PINYIN_ALIAS_PREFIX)
        goto done;
    }

  if (literal)
    {
      if (strstr (name, query->text) != NULL)
        return OW_ITEM_MATCH_NAME_SUBSTRING;
      for (guint k = 1; k < entry->n_keys; k++)
        if (strstr (text + keys[k].literal, query->text) != NULL)
          keep_better (&best, &best_chars, OW_ITEM_MATCH_ALIAS_SUBSTRING, keys[k].chars);
      if (best == OW_ITEM_MATCH_ALIAS_SUBSTRING)
        goto done;
    }

  if (pinyin_name)
    return OW_ITEM_MATCH_PINYIN_NAME_INSIDE;

done:
  if (best != 0)
    *chars = best_chars;
  return best;
}

/* The remembered hits of the longest remembered prefix of @folded, forgetting the others;
 * NULL when none is a prefix. */
static Remembered *
find_remembered (OwItemIndex *self,
                 const char  *folded)
{
  while (self->remembered->len > 0)
    {
      Remembered *last = g_ptr_array_index (self->remembered, self->remembered->len - 1);

      if (g_str_has_prefix (folded, last->query))
        return last;
      g_ptr_array_remove_index (self->remembered, self->remembered->len - 1);
    }
  return NULL;
}

static GArray *
find_hits (OwItemIndex *self,
           const char  *folded)
{
  Remembered *previous = find_remembered (self, folded);
  Remembered *remembered;
  Query query;
  GArray *hits;

  if (previous != NULL && strcmp (previous->query, folded) == 0)
    return previous->hits;

  query_init (&query, folded);
  hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  if (previous != NULL)
    {
      for (guint i = 0; i < previous->hits->len; i++)
        {
          Hit hit = g_array_index (previous->hits, Hit, i);
          guint chars;

          hit.match = match_entry (self, &g_array_index (self->entries, Entry, hit.entry), &query,
                                   &chars);
          hit.chars = MIN (chars, G_MAXUINT16);
          if (hit.match != OW_ITEM_MATCH_NONE)
            g_array_append_val (hits, hit);
        }
    }
  else
    {
      for (guint i = 0; i < self->entries->len; i++)
        {
          guint chars;
          Hit hit = { i, match_entry (self, &g_array_index (self->entries, Entry, i), &query,
                                      &chars), 0 };

          hit.chars = MIN (chars, G_MAXUINT16);
          if (hit.match != OW_ITEM_MATCH_NONE)
            g_array_append_val (hits, hit);
        }
    }

  if (self->remembered->len >= MAX_REMEMBERED)
    g_ptr_array_remove_index (self->remembered, 0);
  remembered = g_new0 (Remembered, 1);
  remembered->query = g_strdup (folded);
  remembered->hits = hits;
  g_ptr_array_add (self->remembered, remembered);
  return hits;
}

/* Ranking: one 64-bit key per hit, larger is better: match (4 bits), usage (20), the shorter
 * text matched (12: the query covers more of it), earlier in the catalog (28). */
static inline guint64
rank_key (const Entry *entry,
          guint32      index,
          guint        match,
          guint        chars)
{
  return (guint64) match << 60
         | (guint64) MIN (entry->usage, 0xFFFFFu) << 40
         | (guint64) (0xFFFu - MIN (chars, 0xFFFu)) << 28
         | (guint64) (0xFFFFFFFu - MIN (index, 0xFFFFFFFu));
}

static int
compare_keys_descending (gconstpointer a,
                         gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? 1 : x > y ? -1 : 0;
}

/* Keeps the @limit largest keys of a min-heap of @heap's @n. */
static void
heap_push (guint64 *heap,
           guint   *n,
           guint    limit,
           guint64  key)
{
  guint i;

  if (*n < limit)
    {
      i = (*n)++;
      while (i > 0 && heap[(i - 1) / 2] > key)
        {
          heap[i] = heap[(i - 1) / 2];
          i = (i - 1) / 2;
        }
      heap[i] = key;
      return;
    }
  if (key <= heap[0])
    return;
  i = 0;
  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= *n)
        break;
      if (child + 1 < *n && heap[child + 1] < heap[child])
        child++;
      if (heap[child] >= key)
        break;
      heap[i] = heap[child];
      i = child;
    }
  heap[i] = key;
}

static gboolean
passes_filter (OwItemIndex        *self,
               const Entry        *entry,
               const OwItemFilter *filter,
               guint               department)
{
  if (filter == NULL)
    return TRUE;
  if (department != G_MAXUINT && entry->department != department)
    return FALSE;
  if (filter->item_type != 0 && entry->item_type != filter->item_type)
    return FALSE;
  if (filter->zero_trip_only && !entry->zero_trip)
    return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_item_index_finalize (GObject *object)
{
  OwItemIndex *self = OW_ITEM_INDEX (object);

  g_clear_pointer (&self->remembered, g_ptr_array_unref);
  g_clear_pointer (&self->department_ids, g_hash_table_unref);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->starts, g_array_unref);
  if (self->text != NULL)
    g_string_free (self->text, TRUE);

  G_OBJECT_CLASS (ow_item_index_parent_class)->finalize (object);
}

static void
ow_item_index_class_init (OwItemIndexClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ow_item_index_finalize;
}

static void
ow_item_index_init (OwItemIndex *self)
{
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->keys = g_array_new (FALSE, FALSE, sizeof (Key));
  self->starts = g_array_new (FALSE, FALSE, sizeof (guint8));
  self->text = g_string_new (NULL);
  self->departments = g_ptr_array_new_with_free_func (g_free);
  self->department_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->remembered = g_ptr_array_new_with_free_func ((GDestroyNotify) remembered_free);
}

/* ---------------------------------------------------------------------------------------- */

/* Blocking; reads nothing but @catalog, which is not changed once shared. */
static OwItemIndex *
build_index (OwCatalog  *catalog,
             GError    **error)
{
  g_autoptr(OwItemIndex) self = NULL;
  g_autoptr(OwPinyin) pinyin = ow_pinyin_new (error);
  guint n = ow_catalog_get_n_items (catalog);

  if (pinyin == NULL)
    return NULL;
  self = g_object_new (OW_TYPE_ITEM_INDEX, NULL);
  self->catalog = g_object_ref (catalog);
  g_array_set_size (self->entries, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwItem) item = ow_catalog_dup_item_at (catalog, i);

      add_item (self, pinyin, item);
    }
  return g_steal_pointer (&self);
}

OwItemIndex *
ow_item_index_new (OwCatalog  *catalog,
                   GError    **error)
{
  g_return_val_if_fail (OW_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return build_index (catalog, error);
}

OwItemIndex *
ow_item_index_new_for_items (GPtrArray  *items,
                             GError    **error)
{
  g_autoptr(OwCatalog) catalog = NULL;

  g_return_val_if_fail (items != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < items->len; i++)
    g_return_val_if_fail (OW_IS_ITEM (g_ptr_array_index (items, i)), NULL);
  catalog = ow_catalog_new ();
  for (guint i = 0; i < items->len; i++)
    ow_catalog_add_item (catalog, g_ptr_array_index (items, i));
  return build_index (catalog, error);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  OwItemIndex *index = build_index (task_data, &error);

  if (index == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, index, g_object_unref);
}

void
ow_item_index_new_async (OwCatalog           *catalog,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_CATALOG (catalog));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_item_index_new_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_object_ref (catalog), g_object_unref);
  g_task_run_in_thread (task, build_thread);
}

OwItemIndex *
ow_item_index_new_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------- */
/* Keeping an index: the arrays as they are, behind a header that says what they hold. Only
 * this build reads them back (the sizes of the structures are in the header), and every offset
 * is checked on the way in, so a damaged copy is refused, never followed. */

#define SERIAL_MAGIC "OWINDEX2"

typedef struct
{
  char    magic[8];
  guint32 entry_size;
  guint32 key_size;
  guint32 n_entries;
  guint32 n_keys;
  guint32 n_starts;
  guint32 text_len;
  guint32 n_departments;
  guint32 departments_len;
} SerialHeader;

GBytes *
ow_item_index_serialize (OwItemIndex *self)
{
  SerialHeader header = { SERIAL_MAGIC };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GString) departments = g_string_new (NULL);
  g_autoptr(GArray) entries = NULL;

  g_return_val_if_fail (OW_IS_ITEM_INDEX (self), NULL);

  for (guint i = 0; i < self->departments->len; i++)
    g_string_append_len (departments, g_ptr_array_index (self->departments, i),
                         strlen (g_ptr_array_index (self->departments, i)) + 1);
  header.entry_size = sizeof (Entry);
  header.key_size = sizeof (Key);
  header.n_entries = self->entries->len;
  header.n_keys = self->keys->len;
  header.n_starts = self->starts->len;
  header.text_len = self->text->len;
  header.n_departments = self->departments->len;
  header.departments_len = departments->len;

  /* Usage is this counter's, counted afresh from its cases: not part of what is kept. */
  entries = g_array_copy (self->entries);
  for (guint i = 0; i < entries->len; i++)
    g_array_index (entries, Entry, i).usage = 0;

  g_byte_array_append (out, (const guint8 *) &header, sizeof header);
  g_byte_array_append (out, (const guint8 *) entries->data, entries->len * sizeof (Entry));
  g_byte_array_append (out, (const guint8 *) self->keys->data, self->keys->len * sizeof (Key));
  g_byte_array_append (out, (const guint8 *) self->starts->data,
                       self->starts->len * sizeof (guint8));
  g_byte_array_append (out, (const guint8 *) self->text->str, self->text->len);
  g_byte_array_append (out, (const guint8 *) departments->str, departments->len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
check_index (OwItemIndex *self)
{
  guint32 text_len = self->text->len;

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->n_keys == 0 || entry->first_key > self->keys->len
          || entry->n_keys > self->keys->len - entry->first_key
          || entry->id >= text_len || entry->basic_code >= text_len
          || entry->department >= self->departments->len)
        return FALSE;
    }
  for (guint i = 0; i < self->keys->len; i++)
    {
      const Key *key = &g_array_index (self->keys, Key, i);

      if (key->literal >= text_len || key->pinyin >= text_len
          || key->pinyin_len > text_len - key->pinyin
          || key->starts > self->starts->len
          || key->n_syllables > self->starts->len - key->starts)
        return FALSE;
      for (guint k = 0; k < key->n_syllables; k++)
        if (g_array_index (self->starts, guint8, key->starts + k) >= MAX (key->pinyin_len, 1))
          return FALSE;
    }
  /* Every text ends in a NUL, so that no comparison can read past the end. */
  return text_len == 0 || self->text->str[text_len - 1] == '\0';
}

OwItemIndex *
ow_item_index_new_from_bytes (OwCatalog  *catalog,
                              GBytes     *bytes,
                              GError    **error)
{
  g_autoptr(OwItemIndex) self = NULL;
  SerialHeader header;
  const guint8 *data;
  gsize size = 0;
  guint64 need;
  const char *departments, *end;

  g_return_val_if_fail (OW_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size < sizeof header)
    goto invalid;
  memcpy (&header, data, sizeof header);
  if (memcmp (header.magic, SERIAL_MAGIC, sizeof header.magic) != 0
      || header.entry_size != sizeof (Entry) || header.key_size != sizeof (Key))
    goto invalid;
  need = sizeof header + (guint64) header.n_entries * sizeof (Entry)
         + (guint64) header.n_keys * sizeof (Key) + (guint64) header.n_starts * sizeof (guint8)
         + header.text_len + header.departments_len;
  if (need != size || header.n_entries != ow_catalog_get_n_items (catalog))
    goto invalid;

  self = g_object_new (OW_TYPE_ITEM_INDEX, NULL);
  self->catalog = g_object_ref (catalog);
  data += sizeof header;
  /* Sized exactly: appended to empty arrays they would round up to the next power of two. */
  g_array_unref (self->entries);
  self->entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry), header.n_entries);
  g_array_unref (self->keys);
  self->keys = g_array_sized_new (FALSE, FALSE, sizeof (Key), header.n_keys);
  g_array_unref (self->starts);
  self->starts = g_array_sized_new (FALSE, FALSE, sizeof (guint8), header.n_starts);
  g_string_free (self->text, TRUE);
  self->text = g_string_sized_new (header.text_len + 1);
  g_array_append_vals (self->entries, data, header.n_entries);
  data += (gsize) header.n_entries * sizeof (Entry);
  g_array_append_vals (self->keys, data, header.n_keys);
  data += (gsize) header.n_keys * sizeof (Key);
  g_array_append_vals (self->starts, data, header.n_starts);
  data += (gsize) header.n_starts * sizeof (guint8);
  g_string_append_len (self->text, (const char *) data, header.text_len);
  data += header.text_len;
  departments = (const char *) data;
  end = departments + header.departments_len;
  while (departments < end)
    {
      const char *nul = memchr (departments, '\0', end - departments);

      if (nul == NULL)
        goto invalid;
      intern_department (self, departments);
      departments = nul + 1;
    }
  if (self->departments->len != header.n_departments || !check_index (self))
    goto invalid;
  return g_steal_pointer (&self);

invalid:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "The kept search index does not match the catalog");
  return NULL;
}

guint
ow_item_index_get_n_items (OwItemIndex *self)
{
  g_return_val_if_fail (OW_IS_ITEM_INDEX (self), 0);

  return self->entries->len;
}

static Entry *
lookup_entry (OwItemIndex *self,
              const char  *item_id)
{
  guint position;

  if (!ow_catalog_get_position (self->catalog, item_id, &position)
      || position >= self->entries->len)
    return NULL;
  return &g_array_index (self->entries, Entry, position);
}

void
ow_item_index_set_usage (OwItemIndex *self,
                         GHashTable  *usage)
{
  GHashTableIter iter;
  gpointer id, count;

  g_return_if_fail (OW_IS_ITEM_INDEX (self));

  for (guint i = 0; i < self->entries->len; i++)
    g_array_index (self->entries, Entry, i).usage = 0;
  if (usage == NULL)
    return;
  g_hash_table_iter_init (&iter, usage);
  while (g_hash_table_iter_next (&iter, &id, &count))
    {
      Entry *entry = lookup_entry (self, id);

      if (entry != NULL)
        entry->usage = GPOINTER_TO_UINT (count);
    }
}

void
ow_item_index_add_use (OwItemIndex *self,
                       const char  *item_id)
{
  Entry *entry;

  g_return_if_fail (OW_IS_ITEM_INDEX (self));
  g_return_if_fail (item_id != NULL);

  entry = lookup_entry (self, item_id);
  if (entry != NULL && entry->usage < G_MAXUINT32)
    entry->usage++;
}

guint
ow_item_index_get_usage (OwItemIndex *self,
                         const char  *item_id)
{
  Entry *entry;

  g_return_val_if_fail (OW_IS_ITEM_INDEX (self), 0);
  g_return_val_if_fail (item_id != NULL, 0);

  entry = lookup_entry (self, item_id);
  return entry != NULL ? entry->usage : 0;
}

GPtrArray *
ow_item_index_search (OwItemIndex        *self,
                      const char         *query,
                      const OwItemFilter *filter,
                      guint               limit,
                      guint              *n_matches)
{
  g_autofree char *folded = NULL;
  g_autofree guint64 *heap = NULL;
  GPtrArray *results;
  GArray *hits = NULL;
  guint department = G_MAXUINT;
  guint n_heap = 0, total = 0, capacity;

  g_return_val_if_fail (OW_IS_ITEM_INDEX (self), NULL);

  results = g_ptr_array_new_with_free_func (g_object_unref);
  if (n_matches != NULL)
    *n_matches = 0;
  if (query == NULL)
    query = "";
  if (strlen (query) > MAX_QUERY_BYTES)
    return results;
  folded = fold_text (query, -1);
  if (folded == NULL)
    return results;

  if (filter != NULL && filter->department != NULL && *filter->department != '\0')
    {
      gpointer known = g_hash_table_lookup (self->department_ids, filter->department);

      if (known == NULL)
        return results;
      department = GPOINTER_TO_UINT (known) - 1;
    }

  if (*folded != '\0')
    hits = find_hits (self, folded);

  capacity = limit > 0 ? limit : self->entries->len;
  heap = g_new (guint64, MAX (capacity, 1));
  for (guint i = 0; i < (hits != NULL ? hits->len : self->entries->len); i++)
    {
      guint32 index = hits != NULL ? g_array_index (hits, Hit, i).entry : i;
      guint match = hits != NULL ? g_array_index (hits, Hit, i).match : OW_ITEM_MATCH_ALL;
      guint chars = hits != NULL ? g_array_index (hits, Hit, i).chars : 0;
      const Entry *entry = &g_array_index (self->entries, Entry, index);

      if (!passes_filter (self, entry, filter, department))
        continue;
      total++;
      heap_push (heap, &n_heap, capacity, rank_key (entry, index, match, chars));
    }
  qsort (heap, n_heap, sizeof (guint64), compare_keys_descending);
  for (guint i = 0; i < n_heap; i++)
    {
      guint32 index = 0xFFFFFFFu - (heap[i] & 0xFFFFFFFu);

      OwItem *item = ow_catalog_dup_item_at (self->catalog, index);

      if (item != NULL)
        g_ptr_array_add (results, item);
    }
  if (n_matches != NULL)
    *n_matches = total;
  return results;
}

OwItemMatch
ow_item_index_match (OwItemIndex *self,
                     const char  *item_id,
                     const char  *query)
{
  g_autofree char *folded = NULL;
  Entry *entry;
  Query parsed;
  guint chars;

  g_return_val_if_fail (OW_IS_ITEM_INDEX (self), OW_ITEM_MATCH_NONE);
  g_return_val_if_fail (item_id != NULL && query != NULL, OW_ITEM_MATCH_NONE);

  entry = lookup_entry (self, item_id);
  if (entry == NULL || strlen (query) > MAX_QUERY_BYTES)
    return OW_ITEM_MATCH_NONE;
  folded = fold_text (query, -1);
  if (folded == NULL)
    return OW_ITEM_MATCH_NONE;
  if (*folded == '\0')
    return OW_ITEM_MATCH_ALL;
  query_init (&parsed, folded);
  return match_entry (self, entry, &parsed, &chars);
}

void
ow_item_index_forget (OwItemIndex *self)
{
  g_return_if_fail (OW_IS_ITEM_INDEX (self));

  g_ptr_array_set_size (self->remembered, 0);
}
