/* ow-scan-store.h — a material's pages as one PDF, and imported files, stored under their SHA-256
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files go into a folder (the store's files folder, ow_store_get_files_dir) under the lower-case
 * hex SHA-256 of their bytes, written to a temporary file, flushed and renamed, as the store's
 * own ow_store_add_file does; the digest goes into the case's materials[].files. The async
 * functions encode, hash and write in a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "devices/ow-scanner.h"

G_BEGIN_DECLS

/* The platform refuses larger files (413). */
#define OW_SCAN_MAX_FILE_SIZE (20 * 1024 * 1024)

/* Blocking (call from a worker thread). One PDF page per OwScanPage, sized from its dpi: colour
 * and grey pages as JPEG (quality OW_SCAN_JPEG_QUALITY), embedded in the PDF as they were encoded
 * (DCTDecode, nothing re-encoded); black-and-white pages as 1-bit images. The same pages always
 * give the same bytes (no clock in the file). */
GBytes     *ow_scan_pages_to_pdf            (GPtrArray           *pages,
                                             GCancellable        *cancellable,
                                             GError             **error);

/* Blocking. Writes @bytes to @dir/<sha256> unless a file of that name is there already (named
 * by content, it holds the same bytes) and returns the digest. Creates @dir when needed. */
char       *ow_scan_store_bytes             (const char          *dir,
                                             GBytes              *bytes,
                                             GError             **error);

/* Combines @pages (OwScanPage, at least one; the caller keeps them, they are only read) into
 * one PDF and stores it in @dir. Finishes with the PDF's SHA-256 in hex (free it). */
void        ow_scan_store_material_async    (const char          *dir,
                                             GPtrArray           *pages,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char       *ow_scan_store_material_finish   (GAsyncResult        *result,
                                             GError             **error);

/* "application/pdf", "image/jpeg", "image/png" by the first bytes, or NULL for anything else. */
const char *ow_scan_sniff_content_type      (const guint8        *data,
                                             gsize                size);

/* Import instead of scanning (the file chooser, drag and drop): reads @file, checks by its
 * content that it is a PDF, JPEG or PNG (OW_SCANNER_ERROR_NOT_A_DOCUMENT if not;
 * OW_SCANNER_ERROR_TOO_LARGE over OW_SCAN_MAX_FILE_SIZE) and stores it unchanged in @dir.
 * Finishes with its SHA-256 in hex, and its content type in @content_type when not NULL. */
void        ow_scan_import_file_async       (const char          *dir,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char       *ow_scan_import_file_finish      (GAsyncResult        *result,
                                             char               **content_type,
                                             GError             **error);

G_END_DECLS
