/* ow-store-files.c — scanned pages on disk, named by their SHA-256
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/ow-store-private.h"

/* ---- files ------------------------------------------------------------------------------ */

static gboolean
is_sha256_name (const char *name)
{
  if (name == NULL || strlen (name) != 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static char *
file_path (OwStore     *self,
           const char  *sha256,
           GError     **error)
{
  /* The name comes from a case, which may come from the platform: never let it leave the
   * folder. */
  if (!is_sha256_name (sha256))
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND,
                   _("“%s” is not the name of a scanned page"), sha256 != NULL ? sha256 : "");
      return NULL;
    }
  return g_build_filename (self->files_dir, sha256, NULL);
}

char *
ow_store_add_file (OwStore  *self,
                   GBytes   *bytes,
                   GError  **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  gconstpointer data;
  gsize size = 0;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  path = g_build_filename (self->files_dir, sha256, NULL);
  /* Named by content: a file already there holds these very bytes. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&sha256);
  /* CONSISTENT | DURABLE: a temporary file, fsync, rename; so the page is on disk before a
   * case that names it can be committed. */
  if (!g_file_set_contents_full (path, size > 0 ? data : "", size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_IO,
                   _("Could not save the scanned page: %s. Check that the disk is not full."),
                   local_error->message);
      return NULL;
    }
  return g_steal_pointer (&sha256);
}

static char *
read_file (OwStore     *self,
           const char  *sha256,
           gsize       *size,
           GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  path = file_path (self, sha256, error);
  if (path == NULL)
    return NULL;
  if (!g_file_get_contents (path, &contents, size, &local_error))
    {
      g_set_error (error, OW_STORE_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? OW_STORE_ERROR_NOT_FOUND : OW_STORE_ERROR_IO,
                   _("The scanned page %.12s… cannot be read on this workstation (%s). Scan the "
                     "material again."), sha256, local_error->message);
      return NULL;
    }
  return contents;
}

GBytes *
ow_store_read_file_unverified (OwStore     *self,
                               const char  *sha256,
                               GError     **error)
{
  gsize size = 0;
  char *contents;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  contents = read_file (self, sha256, &size, error);
  return contents != NULL ? g_bytes_new_take (contents, size) : NULL;
}

GBytes *
ow_store_read_file (OwStore     *self,
                    const char  *sha256,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *actual = NULL;
  gsize size = 0;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  contents = read_file (self, sha256, &size, error);
  if (contents == NULL)
    return NULL;
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);
  if (g_strcmp0 (actual, sha256) != 0)
    {
      g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
                   _("The scanned page %.12s… is damaged on this workstation. Scan the material "
                     "again."), sha256);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&contents), size);
}

char *
ow_store_get_file_type (OwStore     *self,
                        const char  *sha256,
                        GError     **error)
{
  static const guchar png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guchar jpeg[] = { 0xff, 0xd8, 0xff };
  static const guchar pdf[] = { '%', 'P', 'D', 'F', '-' };
  g_autofree char *path = NULL;
  guchar head[8] = { 0 };
  size_t n;
  FILE *file;

  g_return_val_if_fail (OW_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = file_path (self, sha256, error);
  if (path == NULL)
    return NULL;
  file = g_fopen (path, "rb");
  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, OW_STORE_ERROR,
                   saved_errno == ENOENT ? OW_STORE_ERROR_NOT_FOUND : OW_STORE_ERROR_IO,
                   _("The scanned page %.12s… is missing on this workstation (%s). Scan the "
                     "material again."), sha256, g_strerror (saved_errno));
      return NULL;
    }
  n = fread (head, 1, sizeof head, file);
  fclose (file);

  if (n >= sizeof png && memcmp (head, png, sizeof png) == 0)
    return g_strdup ("image/png");
  if (n >= sizeof jpeg && memcmp (head, jpeg, sizeof jpeg) == 0)
    return g_strdup ("image/jpeg");
  if (n >= sizeof pdf && memcmp (head, pdf, sizeof pdf) == 0)
    return g_strdup ("application/pdf");
  g_set_error (error, OW_STORE_ERROR, OW_STORE_ERROR_CORRUPT,
               _("The scanned page %.12s… is neither PNG, JPEG nor PDF. Scan the material "
                 "again."), sha256);
  return NULL;
}

