/* ow-spreadsheet.c — tables written as an Excel workbook (.xlsx) or as CSV
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "documents/ow-document.h"
#include "documents/ow-spreadsheet.h"

/* Excel's limit, and the characters a sheet's name may not have. */
#define MAX_SHEET_NAME 31

static char *
sheet_name (const char *title,
            guint       index,
            GHashTable *taken)
{
  GString *name = g_string_new (NULL);
  guint n = 0;

  for (const char *p = title != NULL ? title : ""; *p != '\0' && n < MAX_SHEET_NAME - 4;
       p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (name, strchr ("[]:*?/\\'", (int) c) != NULL && c < 128 ? '_' : c);
    }
  if (name->len == 0)
    g_string_append_printf (name, "%u", index + 1);
  /* Two tables of one title get a number each. */
  while (g_hash_table_contains (taken, name->str))
    g_string_append_printf (name, "%u", index + 1);
  g_hash_table_add (taken, g_strdup (name->str));
  return g_string_free (name, FALSE);
}

static gboolean
check (lxw_error    status,
       const char  *path,
       GError     **error)
{
  if (status == LXW_NO_ERROR)
    return TRUE;
  g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
               _("The spreadsheet %s cannot be written: %s"), path, lxw_strerror (status));
  return FALSE;
}

gboolean
ow_spreadsheet_write_xlsx (GPtrArray   *tables,
                           const char  *title,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lxw_doc_properties properties = { 0, };
  lxw_workbook *workbook;
  lxw_format *header, *date, *percent, *number;
  gboolean ok = TRUE;

  g_return_val_if_fail (tables != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if ((workbook = workbook_new (path)) == NULL)
    {
      g_set_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER,
                   _("The spreadsheet %s cannot be made"), path);
      return FALSE;
    }
  properties.title = (char *) title;
  properties.author = (char *) "OneWindow";
  workbook_set_properties (workbook, &properties);
  header = workbook_add_format (workbook);
  format_set_bold (header);
  format_set_bg_color (header, 0xDDE5F0);
  format_set_border (header, LXW_BORDER_THIN);
  date = workbook_add_format (workbook);
  format_set_num_format (date, "yyyy-mm-dd");
  percent = workbook_add_format (workbook);
  format_set_num_format (percent, "0.0%");
  number = workbook_add_format (workbook);
  format_set_num_format (number, "0.00");

  for (guint t = 0; t < tables->len && ok; t++)
    {
      OwTable *table = g_ptr_array_index (tables, t);
      g_autofree char *name = sheet_name (ow_table_get_title (table), t, taken);
      lxw_worksheet *sheet = workbook_add_worksheet (workbook, name);
      guint columns = ow_table_get_n_columns (table);
      g_autofree double *widths = g_new0 (double, MAX (columns, 1));

      if (sheet == NULL)
        {
          ok = check (LXW_ERROR_SHEETNAME_ALREADY_USED, path, error);
          break;
        }
      for (guint c = 0; c < columns && ok; c++)
        {
          const char *text = ow_table_get_header (table, c);

          /* Chinese characters are about twice as wide as the default font's digits. */
          widths[c] = MAX (10.0, 2.2 * g_utf8_strlen (text, -1) + 2);
          ok = check (worksheet_write_string (sheet, 0, (lxw_col_t) c, text, header), path,
                      error);
        }
      for (guint r = 0; r < ow_table_get_n_rows (table) && ok; r++)
        for (guint c = 0; c < columns && ok; c++)
          {
            const OwCell *cell = ow_table_get_cell (table, r, c);
            lxw_row_t row = (lxw_row_t) r + 1;
            lxw_col_t col = (lxw_col_t) c;
            lxw_error status = LXW_NO_ERROR;

            switch (cell->kind)
              {
              case OW_CELL_TEXT:
                status = worksheet_write_string (sheet, row, col, cell->text, NULL);
                widths[c] = MIN (60.0, MAX (widths[c], 2.0 * g_utf8_strlen (cell->text, -1) + 2));
                break;
              case OW_CELL_INTEGER:
                status = worksheet_write_number (sheet, row, col, (double) cell->integer, NULL);
                break;
              case OW_CELL_NUMBER:
                status = worksheet_write_number (sheet, row, col, cell->number, number);
                break;
              case OW_CELL_PERCENT:
                status = worksheet_write_number (sheet, row, col, cell->number, percent);
                break;
              case OW_CELL_DATE:
                {
                  lxw_datetime when = { (int) g_date_get_year (&cell->date),
                                        (int) g_date_get_month (&cell->date),
                                        (int) g_date_get_day (&cell->date), 0, 0, 0 };

                  status = worksheet_write_datetime (sheet, row, col, &when, date);
                  widths[c] = MAX (widths[c], 12.0);
                }
                break;
              case OW_CELL_EMPTY:
              default:
                break;
              }
            ok = check (status, path, error);
          }
      for (guint c = 0; c < columns && ok; c++)
        worksheet_set_column (sheet, (lxw_col_t) c, (lxw_col_t) c, widths[c], NULL);
      worksheet_freeze_panes (sheet, 1, 0);
    }

  /* Closing writes the file; it frees the workbook whatever happens. */
  if (!ok)
    {
      workbook_close (workbook);
      g_remove (path);
      return FALSE;
    }
  return check (workbook_close (workbook), path, error);
}

static void
append_csv_field (GString    *csv,
                  const char *text)
{
  /* RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. A leading
   * =, +, - or @ would be taken for a formula by a spreadsheet: such text is quoted too and
   * prefixed with an apostrophe, the spreadsheets' own escape. */
  gboolean formula = text[0] == '=' || text[0] == '+' || text[0] == '@' ||
                     (text[0] == '-' && !g_ascii_isdigit (text[1]));

  if (!formula && strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (csv, text);
      return;
    }
  g_string_append_c (csv, '"');
  if (formula)
    g_string_append_c (csv, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

GBytes *
ow_spreadsheet_to_csv (GPtrArray *tables)
{
  GString *csv = g_string_new ("\xEF\xBB\xBF");

  g_return_val_if_fail (tables != NULL, NULL);

  for (guint t = 0; t < tables->len; t++)
    {
      OwTable *table = g_ptr_array_index (tables, t);
      guint columns = ow_table_get_n_columns (table);

      if (t > 0)
        g_string_append (csv, "\r\n");
      if (tables->len > 1 && ow_table_get_title (table) != NULL)
        {
          append_csv_field (csv, ow_table_get_title (table));
          g_string_append (csv, "\r\n");
        }
      for (guint c = 0; c < columns; c++)
        {
          if (c > 0)
            g_string_append_c (csv, ',');
          append_csv_field (csv, ow_table_get_header (table, c));
        }
      g_string_append (csv, "\r\n");
      for (guint r = 0; r < ow_table_get_n_rows (table); r++)
        {
          for (guint c = 0; c < columns; c++)
            {
              g_autofree char *text = ow_cell_to_text (ow_table_get_cell (table, r, c));

              if (c > 0)
                g_string_append_c (csv, ',');
              append_csv_field (csv, text);
            }
          g_string_append (csv, "\r\n");
        }
    }
  return g_string_free_to_bytes (csv);
}
