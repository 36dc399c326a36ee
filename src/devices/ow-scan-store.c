/* ow-scan-store.c — a material's pages as one PDF, and imported files, stored under their SHA-256
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>

#include "ow-scan-page.h"
#include "ow-scan-pipeline.h"
#include "ow-scan-store.h"

/* ------------------------------------------------------------------------------------------ */
/* The PDF */

static cairo_status_t
write_pdf_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* An image surface whose pixels are never drawn: the PDF takes the JPEG attached to it. Cairo
 * allocates the pixels zeroed on demand, so untouched they cost no memory. */
static cairo_surface_t *
jpeg_surface (const OwScanPage  *page,
              GError           **error)
{
  g_autoptr(GBytes) jpeg = ow_scan_page_to_jpeg (page, OW_SCAN_JPEG_QUALITY, error);
  cairo_surface_t *surface;
  gsize size;
  const guint8 *data;

  if (jpeg == NULL)
    return NULL;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, page->width, page->height);
  data = g_bytes_get_data (jpeg, &size);
  cairo_surface_set_mime_data (surface, CAIRO_MIME_TYPE_JPEG, data, size,
                               (cairo_destroy_func_t) g_bytes_unref, g_bytes_ref (jpeg));
  return surface;
}

/* A 1-bit surface: cairo paints set bits in the source colour (black) and writes the page into
 * the PDF as a 1-bit image. */
static cairo_surface_t *
bilevel_surface (const OwScanPage  *page,
                 GError           **error)
{
  g_autoptr(GBytes) bytes = ow_scan_page_dup_pixels (page, error);
  cairo_surface_t *surface;
  const guint8 *pixels;
  guint8 *data;
  int stride;

  if (bytes == NULL)
    return NULL;
  pixels = g_bytes_get_data (bytes, NULL);
  surface = cairo_image_surface_create (CAIRO_FORMAT_A1, page->width, page->height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (guint y = 0; y < page->height; y++)
    {
      const guint8 *src = pixels + (gsize) y * page->width * page->channels;
      guint32 *row = (guint32 *) (data + (gsize) y * stride);

      memset (row, 0, stride);
      for (guint x = 0; x < page->width; x++)
        if (src[(gsize) x * page->channels] < 128)
          {
            /* A1 pixels are bits of native-endian 32-bit words, the first pixel in the least
             * significant bit on little-endian machines. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
            row[x / 32] |= 1u << (x % 32);
#else
            row[x / 32] |= 0x80000000u >> (x % 32);
#endif
          }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

GBytes *
ow_scan_pages_to_pdf (GPtrArray     *pages,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GByteArray) pdf = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;

  g_return_val_if_fail (pages != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (pages->len == 0)
    {
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                           _("There are no pages to save. Scan the material first."));
      return NULL;
    }
  for (guint i = 0; i < pages->len; i++)
    if (!ow_scan_page_check (g_ptr_array_index (pages, i), error))
      return NULL;

  pdf = g_byte_array_new ();
  surface = cairo_pdf_surface_create_for_stream (write_pdf_cb, pdf, 595.0, 842.0);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "OneWindow");
  /* The file is named by the hash of its bytes: the same pages must give the same file (stored
   * once, the same name after a retry), so the PDF carries a fixed date, as reproducible builds
   * do, instead of the clock's. The case records when the material was received. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                  "1970-01-01T00:00:00Z");

  for (guint i = 0; i < pages->len; i++)
    {
      const OwScanPage *page = g_ptr_array_index (pages, i);
      double dpi = page->dpi > 0 ? page->dpi : 150.0;
      cairo_surface_t *image;
      cairo_t *cr;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          cairo_surface_destroy (surface);
          return NULL;
        }

      image = page->bilevel ? bilevel_surface (page, error) : jpeg_surface (page, error);
      if (image == NULL)
        {
          cairo_surface_destroy (surface);
          return NULL;
        }

      cairo_pdf_surface_set_size (surface, page->width * 72.0 / dpi, page->height * 72.0 / dpi);
      cr = cairo_create (surface);
      cairo_scale (cr, 72.0 / dpi, 72.0 / dpi);
      if (page->bilevel)
        {
          cairo_set_source_rgb (cr, 0, 0, 0);
          cairo_mask_surface (cr, image, 0, 0);
        }
      else
        {
          cairo_set_source_surface (cr, image, 0, 0);
          cairo_paint (cr);
        }
      cairo_show_page (cr);
      status = cairo_status (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (image);
      if (status != CAIRO_STATUS_SUCCESS)
        break;
    }

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                   _("The scanned pages cannot be combined into a PDF (%s). Scan the material "
                     "again."), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

/* ------------------------------------------------------------------------------------------ */
/* Storing */

char *
ow_scan_store_bytes (const char  *dir,
                     GBytes      *bytes,
                     GError     **error)
{
  g_autoptr(GChecksum) checksum = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The folder for scanned files, %s, cannot be created (%s). Ask the "
                     "administrator to check the disk."), dir, g_strerror (saved_errno));
      return NULL;
    }

  data = g_bytes_get_data (bytes, &size);
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, data, size);
  sha256 = g_strdup (g_checksum_get_string (checksum));
  path = g_build_filename (dir, sha256, NULL);

  /* Named by content: a file already there holds these very bytes. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&sha256);

  /* CONSISTENT | DURABLE: a temporary file, fsync, rename; the file is on disk before a case that
   * names it can be committed. */
  if (!g_file_set_contents_full (path, size > 0 ? (const char *) data : "", size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The scanned file cannot be saved (%s). Check that the disk is not full, "
                     "then try again."), local_error->message);
      return NULL;
    }

  return g_steal_pointer (&sha256);
}

typedef struct
{
  char      *dir;
  GPtrArray *pages;   /* shallow copies sharing the pixels */
  GFile     *file;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_free (data->dir);
  g_clear_pointer (&data->pages, g_ptr_array_unref);
  g_clear_object (&data->file);
  g_free (data);
}

static void
store_material_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  StoreData *data = task_data;
  g_autoptr(GBytes) pdf = NULL;
  GError *error = NULL;
  char *sha256;

  pdf = ow_scan_pages_to_pdf (data->pages, cancellable, &error);
  if (pdf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_bytes_get_size (pdf) > OW_SCAN_MAX_FILE_SIZE)
    {
      g_task_return_new_error (task, OW_SCANNER_ERROR, OW_SCANNER_ERROR_TOO_LARGE,
                               _("The scanned material is larger than 20 MB and the platform "
                                 "would refuse it. Scan it at a lower resolution or in grey."));
      return;
    }

  sha256 = ow_scan_store_bytes (data->dir, pdf, &error);
  if (sha256 == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sha256, g_free);
}

void
ow_scan_store_material_async (const char          *dir,
                              GPtrArray           *pages,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreData *data;

  g_return_if_fail (dir != NULL);
  g_return_if_fail (pages != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* The material's pages are all there: its buffers need not wait for another batch. */
  ow_scan_pipeline_release_kept ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_scan_store_material_async);

  data = g_new0 (StoreData, 1);
  data->dir = g_strdup (dir);
  /* The caller may free its pages meanwhile: the worker keeps its own references to the
   * (immutable) pixels and encoded bytes. */
  data->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_page_free);
  for (guint i = 0; i < pages->len; i++)
    g_ptr_array_add (data->pages, ow_scan_page_copy (g_ptr_array_index (pages, i)));
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);
  g_task_run_in_thread (task, store_material_thread);
}

char *
ow_scan_store_material_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_scan_store_material_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Import */

const char *
ow_scan_sniff_content_type (const guint8 *data,
                            gsize         size)
{
  /* The same signatures as the store's ow_store_get_file_type, which the upload relies on. */
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };
  static const guint8 pdf[] = { '%', 'P', 'D', 'F', '-' };

  if (data == NULL)
    return NULL;
  if (size >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  if (size >= sizeof jpeg && memcmp (data, jpeg, sizeof jpeg) == 0)
    return "image/jpeg";
  if (size >= sizeof pdf && memcmp (data, pdf, sizeof pdf) == 0)
    return "application/pdf";
  return NULL;
}

typedef struct
{
  char *sha256;
  char *content_type;
} ImportResult;

static void
import_result_free (ImportResult *result)
{
  g_free (result->sha256);
  g_free (result->content_type);
  g_free (result);
}

static void
import_file_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  StoreData *data = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  GError *error = NULL;
  const char *type;
  ImportResult *result;
  char *sha256;

  info = g_file_query_info (data->file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  name = g_strdup (g_file_info_get_display_name (info));

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NOT_A_DOCUMENT,
                               _("“%s” is not a file. Choose a PDF, JPEG or PNG file."), name);
      return;
    }
  if (g_file_info_get_size (info) > OW_SCAN_MAX_FILE_SIZE)
    {
      g_task_return_new_error (task, OW_SCANNER_ERROR, OW_SCANNER_ERROR_TOO_LARGE,
                               _("“%s” is larger than 20 MB and the platform would refuse it. "
                                 "Scan the material instead, or make the file smaller."), name);
      return;
    }

  bytes = g_file_load_bytes (data->file, cancellable, NULL, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The file may have grown since it was measured. */
  if (g_bytes_get_size (bytes) > OW_SCAN_MAX_FILE_SIZE)
    {
      g_task_return_new_error (task, OW_SCANNER_ERROR, OW_SCANNER_ERROR_TOO_LARGE,
                               _("“%s” is larger than 20 MB and the platform would refuse it. "
                                 "Scan the material instead, or make the file smaller."), name);
      return;
    }

  type = ow_scan_sniff_content_type (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (type == NULL)
    {
      g_task_return_new_error (task, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NOT_A_DOCUMENT,
                               _("“%s” is not a PDF, JPEG or PNG file. Save it in one of these "
                                 "formats, or scan the paper instead."), name);
      return;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  sha256 = ow_scan_store_bytes (data->dir, bytes, &error);
  if (sha256 == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  result = g_new0 (ImportResult, 1);
  result->sha256 = sha256;
  result->content_type = g_strdup (type);
  g_task_return_pointer (task, result, (GDestroyNotify) import_result_free);
}

void
ow_scan_import_file_async (const char          *dir,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreData *data;

  g_return_if_fail (dir != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_scan_import_file_async);
  data = g_new0 (StoreData, 1);
  data->dir = g_strdup (dir);
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);
  g_task_run_in_thread (task, import_file_thread);
}

char *
ow_scan_import_file_finish (GAsyncResult  *result,
                            char         **content_type,
                            GError       **error)
{
  ImportResult *import;
  char *sha256;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_scan_import_file_async,
                        NULL);

  import = g_task_propagate_pointer (G_TASK (result), error);
  if (import == NULL)
    return NULL;
  sha256 = g_steal_pointer (&import->sha256);
  if (content_type != NULL)
    *content_type = g_steal_pointer (&import->content_type);
  import_result_free (import);
  return sha256;
}
