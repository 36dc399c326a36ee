/* ow-table.c — a table of typed cells, as a view shows its figures and an export writes them
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "core/ow-table.h"

struct _OwTable
{
  gatomicrefcount  ref_count;
  char            *title;
  GPtrArray       *headers;  /* char * */
  GArray          *cells;    /* OwCell, row by row, n_columns each */
  gboolean         in_row;
  guint            filled;   /* cells of the open row */
};

static void
cell_clear (gpointer data)
{
  OwCell *cell = data;

  g_clear_pointer (&cell->text, g_free);
}

OwTable *
ow_table_new (const char *title)
{
  OwTable *table = g_new0 (OwTable, 1);

  g_atomic_ref_count_init (&table->ref_count);
  table->title = g_strdup (title);
  table->headers = g_ptr_array_new_with_free_func (g_free);
  table->cells = g_array_new (FALSE, TRUE, sizeof (OwCell));
  g_array_set_clear_func (table->cells, cell_clear);
  return table;
}

OwTable *
ow_table_ref (OwTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_atomic_ref_count_inc (&table->ref_count);
  return table;
}

void
ow_table_unref (OwTable *table)
{
  if (table == NULL || !g_atomic_ref_count_dec (&table->ref_count))
    return;
  g_free (table->title);
  g_ptr_array_unref (table->headers);
  g_array_unref (table->cells);
  g_free (table);
}

const char *
ow_table_get_title (OwTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  return table->title;
}

void
ow_table_add_column (OwTable    *table,
                     const char *header)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (table->cells->len == 0 && !table->in_row);
  g_ptr_array_add (table->headers, g_strdup (header != NULL ? header : ""));
}

guint
ow_table_get_n_columns (OwTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->headers->len;
}

const char *
ow_table_get_header (OwTable *table,
                     guint    column)
{
  g_return_val_if_fail (table != NULL && column < table->headers->len, NULL);
  return g_ptr_array_index (table->headers, column);
}

static void
close_row (OwTable *table)
{
  OwCell empty = { OW_CELL_EMPTY, };

  if (!table->in_row)
    return;
  g_date_clear (&empty.date, 1);
  for (; table->filled < table->headers->len; table->filled++)
    g_array_append_val (table->cells, empty);
  table->in_row = FALSE;
}

void
ow_table_begin_row (OwTable *table)
{
  g_return_if_fail (table != NULL);
  close_row (table);
  table->in_row = TRUE;
  table->filled = 0;
}

static void
add_cell (OwTable *table,
          OwCell  *cell)
{
  g_return_if_fail (table->in_row);
  g_return_if_fail (table->filled < table->headers->len);
  g_array_append_val (table->cells, *cell);
  table->filled++;
}

static OwCell
new_cell (OwCellKind kind)
{
  OwCell cell = { kind, };

  g_date_clear (&cell.date, 1);
  return cell;
}

void
ow_table_add_text (OwTable    *table,
                   const char *text)
{
  OwCell cell = new_cell (text != NULL ? OW_CELL_TEXT : OW_CELL_EMPTY);

  g_return_if_fail (table != NULL);
  cell.text = g_strdup (text);
  add_cell (table, &cell);
}

void
ow_table_add_integer (OwTable *table,
                      gint64   value)
{
  OwCell cell = new_cell (OW_CELL_INTEGER);

  g_return_if_fail (table != NULL);
  cell.integer = value;
  add_cell (table, &cell);
}

void
ow_table_add_number (OwTable *table,
                     double   value)
{
  OwCell cell = new_cell (OW_CELL_NUMBER);

  g_return_if_fail (table != NULL);
  cell.number = value;
  add_cell (table, &cell);
}

void
ow_table_add_percent (OwTable *table,
                      double   share)
{
  OwCell cell = new_cell (share >= 0 ? OW_CELL_PERCENT : OW_CELL_EMPTY);

  g_return_if_fail (table != NULL);
  cell.number = share;
  add_cell (table, &cell);
}

void
ow_table_add_date (OwTable     *table,
                   const GDate *date)
{
  gboolean valid = date != NULL && g_date_valid (date);
  OwCell cell = new_cell (valid ? OW_CELL_DATE : OW_CELL_EMPTY);

  g_return_if_fail (table != NULL);
  if (valid)
    cell.date = *date;
  add_cell (table, &cell);
}

guint
ow_table_get_n_rows (OwTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  close_row (table);
  return table->headers->len > 0 ? table->cells->len / table->headers->len : 0;
}

const OwCell *
ow_table_get_cell (OwTable *table,
                   guint    row,
                   guint    column)
{
  g_return_val_if_fail (table != NULL, NULL);
  close_row (table);
  g_return_val_if_fail (column < table->headers->len, NULL);
  g_return_val_if_fail (row < ow_table_get_n_rows (table), NULL);
  return &g_array_index (table->cells, OwCell, row * table->headers->len + column);
}

char *
ow_cell_to_text (const OwCell *cell)
{
  g_return_val_if_fail (cell != NULL, NULL);

  switch (cell->kind)
    {
    case OW_CELL_TEXT:
      return g_strdup (cell->text);
    case OW_CELL_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, cell->integer);
    case OW_CELL_NUMBER:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, cell->number));
      }
    case OW_CELL_PERCENT:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        g_ascii_formatd (buffer, sizeof buffer, "%.1f", cell->number * 100.0);
        return g_strconcat (buffer, "%", NULL);
      }
    case OW_CELL_DATE:
      return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&cell->date),
                              g_date_get_month (&cell->date), g_date_get_day (&cell->date));
    case OW_CELL_EMPTY:
    default:
      return g_strdup ("");
    }
}
