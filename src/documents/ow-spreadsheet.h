/* ow-spreadsheet.h — tables written as an Excel workbook (.xlsx) or as CSV
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The supervisor exports what the overview shows (core/ow-table.h). In a workbook each table is
 * a sheet named by its title: a bold header row that stays in view, text as text, counts and
 * numbers as numbers, shares as percentages and dates as date cells (yyyy-mm-dd), so that a
 * spreadsheet sorts and sums them. CSV is UTF-8 with a byte order mark, which Excel and WPS need
 * to read Chinese, CRLF line ends and RFC 4180 quoting; several tables follow each other, each
 * under its title, a blank line between. Blocking work: call from a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-table.h"

G_BEGIN_DECLS

/* Writes the tables (OwTable) of @tables to @path as one workbook, @title its title property.
 * OW_DOCUMENT_ERROR_RENDER with libxlsxwriter's reason when it cannot. */
gboolean ow_spreadsheet_write_xlsx (GPtrArray   *tables,
                                    const char  *title,
                                    const char  *path,
                                    GError     **error);
/* The tables as CSV text. */
GBytes  *ow_spreadsheet_to_csv     (GPtrArray   *tables);

G_END_DECLS
