/* ow-table.h — a table of typed cells, as a view shows its figures and an export writes them
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the supervisor exports is what is on screen: each view fills tables of this kind, and
 * the spreadsheet writers (documents/ow-spreadsheet.h) turn them into .xlsx sheets — dates as
 * date cells, numbers as numbers — or CSV. Headers are whatever the caller gives (the exports
 * are in Chinese, as official documents are).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  OW_CELL_EMPTY,
  OW_CELL_TEXT,
  OW_CELL_INTEGER,
  OW_CELL_NUMBER,
  OW_CELL_PERCENT,   /* a share (0.5 for 50 %) */
  OW_CELL_DATE,
} OwCellKind;

typedef struct
{
  OwCellKind kind;
  char      *text;
  gint64     integer;
  double     number;
  GDate      date;
} OwCell;

typedef struct _OwTable OwTable;

OwTable     *ow_table_new          (const char *title);
OwTable     *ow_table_ref          (OwTable    *table);
void         ow_table_unref        (OwTable    *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwTable, ow_table_unref)

const char  *ow_table_get_title    (OwTable    *table);
void         ow_table_add_column   (OwTable    *table,
                                    const char *header);
guint        ow_table_get_n_columns (OwTable   *table);
const char  *ow_table_get_header   (OwTable    *table,
                                    guint       column);

/* Starts a row; the cells that follow fill it from the left, and a row with fewer cells than
 * columns is padded with empty ones. */
void         ow_table_begin_row    (OwTable    *table);
void         ow_table_add_text     (OwTable    *table,
                                    const char *text);     /* NULL: empty */
void         ow_table_add_integer  (OwTable    *table,
                                    gint64      value);
void         ow_table_add_number   (OwTable    *table,
                                    double      value);
/* A share; a negative one (nothing to divide) is an empty cell. */
void         ow_table_add_percent  (OwTable    *table,
                                    double      share);
void         ow_table_add_date     (OwTable    *table,
                                    const GDate *date);    /* invalid: empty */

guint        ow_table_get_n_rows   (OwTable    *table);
const OwCell *ow_table_get_cell    (OwTable    *table,
                                    guint       row,
                                    guint       column);
/* The cell as text: integers in full, percentages to one decimal ("75.0%"), dates as
 * YYYY-MM-DD, empty as "". */
char        *ow_cell_to_text       (const OwCell *cell);

G_END_DECLS
