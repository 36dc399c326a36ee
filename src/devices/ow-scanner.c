/* ow-scanner.c — scanning through SANE on one worker thread
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include <cairo.h>
#include <sane/sane.h>
#include <sane/saneopts.h>

#include "ow-scan-page.h"
#include "ow-scan-pipeline.h"
#include "ow-scanner.h"

struct _OwScanner
{
  GObject      parent_instance;

  GThread     *thread;
  GAsyncQueue *requests;
  GMutex       lock;            /* guards extra_options */
  GHashTable  *extra_options;   /* SANE option name → value text */
  int          job_id;          /* the newest scan job; older jobs are dropped (atomic) */
  GHashTable  *known_devices;   /* names ever listed; only touched on the scan thread */
};

G_DEFINE_TYPE (OwScanner, ow_scanner, G_TYPE_OBJECT)
G_DEFINE_QUARK (ow-scanner-error-quark, ow_scanner_error)

enum {
  SIGNAL_PAGE_DONE,
  SIGNAL_PROGRESS,
  SIGNAL_BLANK_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  REQUEST_QUIT,
  REQUEST_LIST,
  REQUEST_REFRESH,
  REQUEST_SCAN,
} RequestKind;

typedef struct
{
  RequestKind   kind;
  GTask        *task;           /* NULL for QUIT */
  int           job_id;
  char         *device;
  OwScanOptions options;
  GPtrArray    *extra;          /* name, value, name, value … */
} Request;

/* What the scan thread hands back to the caller's main context. */
typedef struct
{
  GTask      *task;
  int         job_id;
  GPtrArray  *result;           /* devices or pages, on success */
  GError     *error;
  OwScanPage *page;             /* page-done: a copy sharing the encoded bytes */
  guint       index;
  double      fraction;
} Notification;

/* Vendor spellings of the sources, tried in turn (after simple-scan's lists). */
static const char * const flatbed_sources[] = {
  SANE_I18N ("Flatbed"), "FlatBed", "Normal", "Document Table", "Platen", NULL
};
static const char * const feeder_sources[] = {
  SANE_I18N ("Automatic Document Feeder"), "ADF", "Auto", "ADF Front", "ADF Simplex",
  "Automatic Document Feeder(left aligned)", "Automatic Document Feeder(centrally aligned)",
  "Document Feeder", "Feeder", NULL
};
static const char * const duplex_sources[] = {
  "Duplex", "ADF Duplex", "Automatic Document Feeder(left aligned,Duplex)",
  "Automatic Document Feeder(centrally aligned,Duplex)", "ADF Duplex - Long-Edge Binding", NULL
};
static const char * const color_modes[] = {
  SANE_VALUE_SCAN_MODE_COLOR, "Colour", "24bit Color", "24 bit Color", "Color - 24 Bit", NULL
};
static const char * const gray_modes[] = {
  SANE_VALUE_SCAN_MODE_GRAY, "Grayscale", "Greyscale", "True Gray", "8bit Gray",
  "Gray - 8 Bit", NULL
};
static const char * const lineart_modes[] = {
  SANE_VALUE_SCAN_MODE_LINEART, "Binary", "Black & White", "Black and White",
  SANE_VALUE_SCAN_MODE_HALFTONE, NULL
};

/* ------------------------------------------------------------------------------------------ */

void
ow_scan_device_free (OwScanDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->name);
  g_free (device->vendor);
  g_free (device->model);
  g_free (device->type);
  g_free (device);
}

void
ow_scan_page_free (OwScanPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->pixels, g_bytes_unref);
  g_clear_pointer (&page->encoded, g_bytes_unref);
  g_free (page);
}

OwScanPage *
ow_scan_page_copy (const OwScanPage *page)
{
  OwScanPage *copy;

  g_return_val_if_fail (page != NULL, NULL);

  copy = g_new0 (OwScanPage, 1);
  *copy = *page;
  if (page->pixels != NULL)
    copy->pixels = g_bytes_ref (page->pixels);
  if (page->encoded != NULL)
    copy->encoded = g_bytes_ref (page->encoded);
  return copy;
}

void
ow_scan_options_init_default (OwScanOptions *options)
{
  g_return_if_fail (options != NULL);

  options->source = OW_SCAN_SOURCE_FLATBED;
  options->mode = OW_SCAN_MODE_COLOR;
  options->dpi = 150;
  options->width_mm = 210.0;
  options->height_mm = 297.0;
  options->brightness = 0;
  options->contrast = 0;
  options->keep_blank = FALSE;
  options->keep_pixels = FALSE;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->task);
  g_free (request->device);
  g_clear_pointer (&request->extra, g_ptr_array_unref);
  g_free (request);
}

static void
notification_free (Notification *n)
{
  g_clear_object (&n->task);
  g_clear_pointer (&n->result, g_ptr_array_unref);
  g_clear_error (&n->error);
  g_clear_pointer (&n->page, ow_scan_page_free);
  g_free (n);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors */

static void
set_sane_error (GError     **error,
                SANE_Status  status)
{
  switch (status)
    {
    case SANE_STATUS_CANCELLED:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Scanning was cancelled."));
      break;
    case SANE_STATUS_DEVICE_BUSY:
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_BUSY,
                           _("The scanner is busy. Wait until it has finished, then scan again."));
      break;
    case SANE_STATUS_JAMMED:
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_JAMMED,
                           _("The paper is jammed. Open the feeder, remove the sheet and scan "
                             "again."));
      break;
    case SANE_STATUS_COVER_OPEN:
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_COVER_OPEN,
                           _("The scanner's cover is open. Close it and scan again."));
      break;
    case SANE_STATUS_NO_DOCS:
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NO_DOCUMENTS,
                           _("The document feeder is empty. Put the pages in the feeder and scan "
                             "again."));
      break;
    case SANE_STATUS_IO_ERROR:
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_IO,
                           _("The scanner stopped answering. Check its cable and power, then scan "
                             "again."));
      break;
    case SANE_STATUS_UNSUPPORTED:
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED,
                           _("The scanner cannot scan with these settings. Choose other settings "
                             "and scan again."));
      break;
    case SANE_STATUS_INVAL:
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                           _("The scanner refused the settings. Choose other settings and scan "
                             "again."));
      break;
    case SANE_STATUS_NO_MEM:
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                           _("The scanner ran out of memory. Scan at a lower resolution."));
      break;
    case SANE_STATUS_ACCESS_DENIED:
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                           _("This computer may not use the scanner. Ask the administrator for "
                             "access."));
      break;
    case SANE_STATUS_GOOD:
    case SANE_STATUS_EOF:
    default:
      g_set_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                   _("The scanner reported an unexpected problem (%s). Scan again."),
                   sane_strstatus (status));
      break;
    }
}

static gboolean
set_cancelled_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Scanning was cancelled."));
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Options, on the scan thread */

static const SANE_Option_Descriptor *
find_option (SANE_Handle  handle,
             const char  *name,
             SANE_Int    *index)
{
  for (SANE_Int i = 1;; i++)
    {
      const SANE_Option_Descriptor *desc = sane_get_option_descriptor (handle, i);

      if (desc == NULL)
        return NULL;
      if (desc->name != NULL && g_strcmp0 (desc->name, name) == 0)
        {
          *index = i;
          return desc;
        }
    }
}

static gboolean
option_usable (const SANE_Option_Descriptor *desc)
{
  return desc != NULL && SANE_OPTION_IS_ACTIVE (desc->cap) && SANE_OPTION_IS_SETTABLE (desc->cap);
}

/* Snaps a word (SANE_Int or SANE_Fixed alike) to the option's constraint. */
static SANE_Word
snap_word (const SANE_Option_Descriptor *desc,
           SANE_Word                     value)
{
  if (desc->constraint_type == SANE_CONSTRAINT_RANGE)
    {
      const SANE_Range *range = desc->constraint.range;
      gint64 v = CLAMP (value, range->min, range->max);

      if (range->quant > 0)
        {
          v = range->min + (gint64) llround ((double) (v - range->min) / range->quant)
                           * range->quant;
          while (v > range->max)
            v -= range->quant;
        }
      return (SANE_Word) v;
    }
  else if (desc->constraint_type == SANE_CONSTRAINT_WORD_LIST)
    {
      const SANE_Word *list = desc->constraint.word_list;
      SANE_Word best = value;
      gint64 best_distance = G_MAXINT64;

      for (SANE_Int i = 1; i <= list[0]; i++)
        {
          gint64 distance = ABS ((gint64) list[i] - value);

          if (distance < best_distance)
            {
              best = list[i];
              best_distance = distance;
            }
        }
      return best;
    }

  return value;
}

static gboolean
control_option (SANE_Handle                   handle,
                const SANE_Option_Descriptor *desc,
                SANE_Int                      index,
                void                         *value)
{
  SANE_Status status = sane_control_option (handle, index, SANE_ACTION_SET_VALUE, value, NULL);

  if (status != SANE_STATUS_GOOD)
    g_warning ("Setting scanner option %s failed: %s", desc->name, sane_strstatus (status));
  return status == SANE_STATUS_GOOD;
}

/* Sets a number given in the option's own unit (dpi, mm, pixels …). */
static gboolean
set_number_option (SANE_Handle  handle,
                   const char  *name,
                   double       value)
{
  SANE_Int index;
  const SANE_Option_Descriptor *desc = find_option (handle, name, &index);
  SANE_Word word;

  if (!option_usable (desc) || desc->size != sizeof (SANE_Word))
    return FALSE;

  if (desc->type == SANE_TYPE_FIXED)
    word = SANE_FIX (value);
  else if (desc->type == SANE_TYPE_INT)
    word = (SANE_Word) lround (value);
  else
    return FALSE;

  word = snap_word (desc, word);
  return control_option (handle, desc, index, &word);
}

/* Reads the upper bound of a numeric option's range in its unit, or -1. */
static double
get_option_max (SANE_Handle  handle,
                const char  *name,
                SANE_Unit   *unit)
{
  SANE_Int index;
  const SANE_Option_Descriptor *desc = find_option (handle, name, &index);

  if (desc == NULL || desc->constraint_type != SANE_CONSTRAINT_RANGE)
    return -1;
  *unit = desc->unit;
  if (desc->type == SANE_TYPE_FIXED)
    return SANE_UNFIX (desc->constraint.range->max);
  return desc->constraint.range->max;
}

/* Picks the first of @candidates that the string option offers (case-insensitively) and sets it.
 * Returns FALSE when the option is absent, inactive or offers none of them. */
static gboolean
set_string_option (SANE_Handle         handle,
                   const char         *name,
                   const char * const *candidates)
{
  SANE_Int index;
  const SANE_Option_Descriptor *desc = find_option (handle, name, &index);

  if (!option_usable (desc) || desc->type != SANE_TYPE_STRING)
    return FALSE;

  if (desc->constraint_type != SANE_CONSTRAINT_STRING_LIST)
    {
      g_autofree char *value = g_malloc0 (desc->size);

      g_strlcpy (value, candidates[0], desc->size);
      return control_option (handle, desc, index, value);
    }

  for (guint c = 0; candidates[c] != NULL; c++)
    for (guint i = 0; desc->constraint.string_list[i] != NULL; i++)
      {
        const char *offered = desc->constraint.string_list[i];

        if (g_ascii_strcasecmp (offered, candidates[c]) == 0)
          {
            g_autofree char *value = g_malloc0 (MAX ((gsize) desc->size, strlen (offered) + 1));

            strcpy (value, offered);
            return control_option (handle, desc, index, value);
          }
      }

  return FALSE;
}

static gboolean
option_offers_word (SANE_Handle  handle,
                    const char  *name,
                    SANE_Word    word)
{
  SANE_Int index;
  const SANE_Option_Descriptor *desc = find_option (handle, name, &index);

  if (!option_usable (desc))
    return FALSE;
  return snap_word (desc, word) == word;
}

/* Sets a numeric option with a range (brightness, contrast) to @percent (-100 … 100) of the way
 * from the middle of its range to either end: devices spell these -100 … 100, 0 … 255 or
 * -127 … 127, and the middle is their neutral setting. Absent or inactive options are skipped. */
static void
set_percent_option (SANE_Handle  handle,
                    const char  *name,
                    int          percent)
{
  SANE_Int index;
  const SANE_Option_Descriptor *desc = find_option (handle, name, &index);
  const SANE_Range *range;
  double min, max, value;

  if (percent == 0 || !option_usable (desc) || desc->size != sizeof (SANE_Word)
      || (desc->type != SANE_TYPE_INT && desc->type != SANE_TYPE_FIXED)
      || desc->constraint_type != SANE_CONSTRAINT_RANGE)
    {
      if (percent != 0)
        g_debug ("Scanner option %s is absent, inactive or unbounded; skipped", name);
      return;
    }

  range = desc->constraint.range;
  min = desc->type == SANE_TYPE_FIXED ? SANE_UNFIX (range->min) : range->min;
  max = desc->type == SANE_TYPE_FIXED ? SANE_UNFIX (range->max) : range->max;
  value = (min + max) / 2.0 + CLAMP (percent, -100, 100) / 100.0 * (max - min) / 2.0;
  set_number_option (handle, name, value);
}

/* A backend-specific option given as text, parsed as the option's type. */
static void
set_extra_option (SANE_Handle  handle,
                  const char  *name,
                  const char  *text)
{
  SANE_Int index;
  const SANE_Option_Descriptor *desc = find_option (handle, name, &index);

  if (!option_usable (desc))
    {
      g_debug ("Scanner option %s is absent or inactive; skipped", name);
      return;
    }

  switch (desc->type)
    {
    case SANE_TYPE_BOOL:
      {
        SANE_Bool b = (g_ascii_strcasecmp (text, "yes") == 0
                       || g_ascii_strcasecmp (text, "true") == 0 || g_strcmp0 (text, "1") == 0);

        control_option (handle, desc, index, &b);
        break;
      }
    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED:
      set_number_option (handle, name, g_ascii_strtod (text, NULL));
      break;
    case SANE_TYPE_STRING:
      {
        const char *candidates[] = { text, NULL };

        set_string_option (handle, name, candidates);
        break;
      }
    case SANE_TYPE_BUTTON:
      control_option (handle, desc, index, NULL);
      break;
    case SANE_TYPE_GROUP:
    default:
      break;
    }
}

static gboolean
apply_options (SANE_Handle          handle,
               const OwScanOptions *options,
               GPtrArray           *extra,
               GError             **error)
{
  SANE_Unit unit = SANE_UNIT_MM;
  double width, height;

  switch (options->source)
    {
    case OW_SCAN_SOURCE_FEEDER:
      if (!set_string_option (handle, SANE_NAME_SCAN_SOURCE, feeder_sources))
        {
          g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED,
                               _("This scanner has no document feeder. Scan on the glass "
                                 "instead."));
          return FALSE;
        }
      break;
    case OW_SCAN_SOURCE_DUPLEX:
      if (!set_string_option (handle, SANE_NAME_SCAN_SOURCE, duplex_sources))
        {
          g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED,
                               _("This scanner cannot scan both sides. Scan each side through the "
                                 "feeder instead."));
          return FALSE;
        }
      break;
    case OW_SCAN_SOURCE_FLATBED:
    default:
      /* A scanner without a source option only has its glass. */
      set_string_option (handle, SANE_NAME_SCAN_SOURCE, flatbed_sources);
      break;
    }

  /* The mode first: it changes which resolutions and depths the device offers. */
  switch (options->mode)
    {
    case OW_SCAN_MODE_LINEART:
      if (!set_string_option (handle, SANE_NAME_SCAN_MODE, lineart_modes))
        {
          /* Grey at one bit is line art for devices that have no such mode. */
          set_string_option (handle, SANE_NAME_SCAN_MODE, gray_modes);
          if (option_offers_word (handle, SANE_NAME_BIT_DEPTH, 1))
            set_number_option (handle, SANE_NAME_BIT_DEPTH, 1);
        }
      break;
    case OW_SCAN_MODE_GRAY:
      set_string_option (handle, SANE_NAME_SCAN_MODE, gray_modes);
      break;
    case OW_SCAN_MODE_COLOR:
    default:
      set_string_option (handle, SANE_NAME_SCAN_MODE, color_modes);
      break;
    }

  if (options->dpi > 0)
    set_number_option (handle, SANE_NAME_SCAN_RESOLUTION, options->dpi);

  width = get_option_max (handle, SANE_NAME_SCAN_BR_X, &unit);
  height = get_option_max (handle, SANE_NAME_SCAN_BR_Y, &unit);
  if (options->width_mm > 0 && width > 0)
    width = MIN (width, unit == SANE_UNIT_PIXEL ? options->width_mm / 25.4 * options->dpi
                                                : options->width_mm);
  if (options->height_mm > 0 && height > 0)
    height = MIN (height, unit == SANE_UNIT_PIXEL ? options->height_mm / 25.4 * options->dpi
                                                  : options->height_mm);
  set_number_option (handle, SANE_NAME_SCAN_TL_X, 0);
  set_number_option (handle, SANE_NAME_SCAN_TL_Y, 0);
  if (width > 0)
    set_number_option (handle, SANE_NAME_SCAN_BR_X, width);
  if (height > 0)
    set_number_option (handle, SANE_NAME_SCAN_BR_Y, height);

  set_percent_option (handle, SANE_NAME_BRIGHTNESS, options->brightness);
  set_percent_option (handle, SANE_NAME_CONTRAST, options->contrast);

  for (guint i = 0; extra != NULL && i + 1 < extra->len; i += 2)
    set_extra_option (handle, g_ptr_array_index (extra, i), g_ptr_array_index (extra, i + 1));

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Pixels */

static guint8
sample_at (const guint8 *row,
           guint         i,
           int           depth)
{
  switch (depth)
    {
    case 1:
      /* In SANE a set bit is black. */
      return (row[i / 8] & (0x80 >> (i % 8))) ? 0x00 : 0xff;
    case 16:
      return (guint8) (((const guint16 *) row)[i] >> 8);
    case 8:
    default:
      return row[i];
    }
}

/* Copies one frame into the 8-bit page, at @channel of @channels for single-colour frames. */
static void
convert_frame (const SANE_Parameters *params,
               const GByteArray      *data,
               guint8                *out,
               guint                  width,
               guint                  height,
               guint                  channels,
               guint                  channel)
{
  guint samples = params->format == SANE_FRAME_RGB ? 3 : 1;

  for (guint y = 0; y < height; y++)
    {
      const guint8 *row = data->data + (gsize) y * params->bytes_per_line;
      guint8 *dest = out + (gsize) y * width * channels;

      if ((gsize) (y + 1) * params->bytes_per_line > data->len)
        break;

      for (guint x = 0; x < width; x++)
        {
          if (samples == 3)
            for (guint c = 0; c < 3; c++)
              dest[x * channels + c] = sample_at (row, x * 3 + c, params->depth);
          else
            dest[x * channels + channel] = sample_at (row, x, params->depth);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The scan thread */

static void
notify_in_context (GTask        *task,
                   GSourceFunc   func,
                   Notification *n)
{
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, func, n,
                              (GDestroyNotify) notification_free);
}

static gboolean
is_job_current (OwScanner *self,
                int        job_id)
{
  return g_atomic_int_get (&self->job_id) == job_id;
}

static gboolean
emit_page_done_cb (gpointer data)
{
  Notification *n = data;
  OwScanner *self = g_task_get_source_object (n->task);

  if (is_job_current (self, n->job_id)
      && !g_cancellable_is_cancelled (g_task_get_cancellable (n->task)))
    g_signal_emit (self, signals[SIGNAL_PAGE_DONE], 0, n->page, n->index);
  return G_SOURCE_REMOVE;
}

static gboolean
emit_blank_dropped_cb (gpointer data)
{
  Notification *n = data;
  OwScanner *self = g_task_get_source_object (n->task);

  if (is_job_current (self, n->job_id)
      && !g_cancellable_is_cancelled (g_task_get_cancellable (n->task)))
    g_signal_emit (self, signals[SIGNAL_BLANK_DROPPED], 0, n->index);
  return G_SOURCE_REMOVE;
}

static gboolean
emit_progress_cb (gpointer data)
{
  Notification *n = data;
  OwScanner *self = g_task_get_source_object (n->task);

  if (is_job_current (self, n->job_id)
      && !g_cancellable_is_cancelled (g_task_get_cancellable (n->task)))
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, n->fraction);
  return G_SOURCE_REMOVE;
}

static gboolean
return_result_cb (gpointer data)
{
  Notification *n = data;

  if (n->error != NULL)
    g_task_return_error (n->task, g_steal_pointer (&n->error));
  else
    g_task_return_pointer (n->task, g_steal_pointer (&n->result),
                           (GDestroyNotify) g_ptr_array_unref);
  return G_SOURCE_REMOVE;
}

/* Hands the task back to its own context, which also drops the last references there: the scan
 * thread must never finalize the scanner it runs for. */
static void
finish_request (Request   *request,
                GPtrArray *result,
                GError    *error)
{
  Notification *n = g_new0 (Notification, 1);

  n->task = g_steal_pointer (&request->task);
  n->job_id = request->job_id;
  n->result = result;
  n->error = error;
  notify_in_context (n->task, return_result_cb, n);
}

static void
handle_list (OwScanner *self,
             Request   *request)
{
  const SANE_Device **list = NULL;
  SANE_Status status = sane_get_devices (&list, SANE_TRUE);
  g_autoptr(GPtrArray) devices = NULL;

  if (status != SANE_STATUS_GOOD)
    {
      GError *error = NULL;

      set_sane_error (&error, status);
      finish_request (request, NULL, error);
      return;
    }

  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_device_free);
  for (guint i = 0; list[i] != NULL; i++)
    {
      OwScanDevice *device = g_new0 (OwScanDevice, 1);

      device->name = g_strdup (list[i]->name);
      device->vendor = g_strdup (list[i]->vendor);
      device->model = g_strdup (list[i]->model);
      device->type = g_strdup (list[i]->type);
      g_ptr_array_add (devices, device);
      g_hash_table_add (self->known_devices, g_strdup (list[i]->name));
    }

  finish_request (request, g_steal_pointer (&devices), NULL);
}

static gboolean
request_cancelled (OwScanner *self,
                   Request   *request)
{
  return g_cancellable_is_cancelled (g_task_get_cancellable (request->task))
         || !is_job_current (self, request->job_id);
}

static void
report_progress (Request *request,
                 double   fraction)
{
  Notification *n = g_new0 (Notification, 1);

  n->task = g_object_ref (request->task);
  n->job_id = request->job_id;
  n->fraction = fraction;
  notify_in_context (request->task, emit_progress_cb, n);
}

#define READ_CHUNK 65536

/* ---- the backend's reader threads --------------------------------------------------------- */

/* The ids of this process's threads (Linux: /proc/self/task), or NULL where that cannot be read. */
static GArray *
list_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  GArray *tids;
  const char *name;

  if (dir == NULL)
    return NULL;
  tids = g_array_new (FALSE, FALSE, sizeof (guint64));
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      guint64 tid = g_ascii_strtoull (name, NULL, 10);

      g_array_append_val (tids, tid);
    }
  return tids;
}

static gboolean
tids_contain (GArray  *tids,
              guint64  tid)
{
  for (guint i = 0; i < tids->len; i++)
    if (g_array_index (tids, guint64, i) == tid)
      return TRUE;
  return FALSE;
}

/* Adds to @started the threads in @after that were not in @before. */
static void
add_started_threads (GArray *started,
                     GArray *before,
                     GArray *after)
{
  for (guint i = 0; after != NULL && before != NULL && i < after->len; i++)
    {
      guint64 tid = g_array_index (after, guint64, i);

      if (!tids_contain (before, tid) && !tids_contain (started, tid))
        g_array_append_val (started, tid);
    }
}

/* Waits until every thread of @started has exited, or @limit_us passed. A thread that no longer
 * has its id in /proc/self/task has finished all it did (a free() included): cancelling it can
 * no longer leave a malloc arena locked. Unknown threads (none seen start) get the whole wait. */
static void
wait_for_readers (GArray *started,
                  gint64  limit_us)
{
  gint64 deadline = g_get_monotonic_time () + limit_us;

  if (started->len == 0)
    {
      g_usleep (limit_us);
      return;
    }
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GArray) now = list_threads ();
      gboolean alive = FALSE;

      if (now == NULL)
        {
          g_usleep (MAX (deadline - g_get_monotonic_time (), 0));
          return;
        }
      for (guint i = 0; i < started->len && !alive; i++)
        alive = tids_contain (now, g_array_index (started, guint64, i));
      if (!alive)
        return;
      g_usleep (100);
    }
}

/* Reads one frame to its EOF. SANE_STATUS_CANCELLED is returned after sane_cancel when the job
 * was cancelled. */
static SANE_Status
read_frame (OwScanner             *self,
            Request               *request,
            SANE_Handle            handle,
            const SANE_Parameters *params,
            guint                  frame,
            guint                  n_frames,
            GByteArray            *data)
{
  gsize expected = params->lines > 0 ? (gsize) params->lines * params->bytes_per_line : 0;
  double last_fraction = -1;

  for (;;)
    {
      SANE_Int length = 0;
      SANE_Status status;
      guint used = data->len;

      if (request_cancelled (self, request))
        return SANE_STATUS_CANCELLED;

      /* Read straight into the page's buffer (sized for the frame up front): no copy. */
      g_byte_array_set_size (data, used + READ_CHUNK);
      status = sane_read (handle, data->data + used, READ_CHUNK, &length);
      g_byte_array_set_size (data, used + (status == SANE_STATUS_GOOD ? CLAMP (length, 0,
                                                                            READ_CHUNK) : 0));
      if (status == SANE_STATUS_EOF)
        return SANE_STATUS_GOOD;
      if (status != SANE_STATUS_GOOD)
        return status;

      if (expected > 0)
        {
          double fraction = (frame + MIN (1.0, (double) data->len / expected)) / n_frames;

          if (fraction - last_fraction >= 0.02)
            {
              report_progress (request, fraction);
              last_fraction = fraction;
            }
        }
    }
}

/* The buffers of a page's frames, all back to the pipeline at the end of scan_page(). */
typedef struct
{
  OwScanPipeline *pipeline;
  GPtrArray      *buffers;
} Frames;

static void
frames_clear (Frames *frames)
{
  for (guint i = 0; i < frames->buffers->len; i++)
    ow_scan_pipeline_give_back (frames->pipeline, g_ptr_array_index (frames->buffers, i));
  g_ptr_array_unref (frames->buffers);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Frames, frames_clear)

/* Scans one page: one frame, or three for a three-pass colour scanner, read into buffers of
 * @pipeline. */
static OwScanPage *
scan_page (OwScanner       *self,
           Request         *request,
           SANE_Handle      handle,
           OwScanPipeline  *pipeline,
           SANE_Status     *start_status,
           GArray          *readers,
           GError         **error)
{
  g_auto(Frames) frames = { pipeline, g_ptr_array_new () };
  SANE_Parameters params[3];
  g_autoptr(OwScanPage) page = NULL;
  GBytes *pixel_bytes;
  guint n_frames = 0;
  guint width = 0, height = G_MAXUINT, channels = 1;
  guint8 *pixels;

  *start_status = SANE_STATUS_GOOD;

  for (;;)
    {
      g_autoptr(GArray) before = list_threads ();
      SANE_Status status = sane_start (handle);
      SANE_Parameters *p = &params[n_frames];

      /* Backends built on sanei_thread start their reader here. */
      {
        g_autoptr(GArray) after = list_threads ();

        add_started_threads (readers, before, after);
      }
      gboolean single_colour;

      if (status != SANE_STATUS_GOOD)
        {
          if (n_frames == 0)
            *start_status = status;
          set_sane_error (error, status);
          return NULL;
        }

      status = sane_get_parameters (handle, p);
      if (status != SANE_STATUS_GOOD)
        {
          set_sane_error (error, status);
          return NULL;
        }

      single_colour = (p->format == SANE_FRAME_RED || p->format == SANE_FRAME_GREEN
                       || p->format == SANE_FRAME_BLUE);
      if ((p->format != SANE_FRAME_GRAY && p->format != SANE_FRAME_RGB && !single_colour)
          || (p->depth != 1 && p->depth != 8 && p->depth != 16)
          || p->bytes_per_line <= 0 || p->pixels_per_line <= 0)
        {
          g_set_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED,
                       _("The scanner sends pictures in a format this application cannot read "
                         "(frame %d, %d bits). Choose another mode."), p->format, p->depth);
          return NULL;
        }

      /* Sized for the whole frame (and the room of one read past it) up front: growing a 26 MB
       * array by doubling would copy it and briefly need twice the memory. */
      g_ptr_array_add (frames.buffers,
                       ow_scan_pipeline_take_buffer (pipeline,
                                                     (p->lines > 0 ? (gsize) p->lines
                                                                     * p->bytes_per_line
                                                                   : 1u << 20) + READ_CHUNK));
      status = read_frame (self, request, handle, p, n_frames, single_colour ? 3 : 1,
                           g_ptr_array_index (frames.buffers, n_frames));
      if (status == SANE_STATUS_CANCELLED)
        {
          set_cancelled_error (error);
          return NULL;
        }
      if (status != SANE_STATUS_GOOD)
        {
          set_sane_error (error, status);
          return NULL;
        }

      if (single_colour)
        channels = 3;
      else
        channels = p->format == SANE_FRAME_RGB ? 3 : 1;
      width = MAX (width, (guint) p->pixels_per_line);
      /* Hand scanners do not know the height in advance (lines == -1): count what came. */
      height = MIN (height, ((GByteArray *) g_ptr_array_index (frames.buffers, n_frames))->len
                            / p->bytes_per_line);
      n_frames++;

      if (p->last_frame || !single_colour || n_frames == 3)
        break;
    }

  if (height == 0 || height == G_MAXUINT)
    {
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                           _("The scanner sent an empty page. Check the document and scan "
                             "again."));
      return NULL;
    }

  if (n_frames == 1 && params[0].depth == 8
      && (params[0].format == SANE_FRAME_GRAY || params[0].format == SANE_FRAME_RGB)
      && (gsize) params[0].bytes_per_line == (gsize) width * channels)
    {
      /* 8-bit rows without padding are already the page's layout: keep the buffer as it came,
       * which saves a copy of the page and the memory for it. It goes back to the pipeline once
       * the page is encoded. */
      pixel_bytes = ow_scan_pipeline_wrap (pipeline, g_ptr_array_steal_index (frames.buffers, 0),
                                           (gsize) width * height * channels);
    }
  else
    {
      pixels = g_malloc0 ((gsize) width * height * channels);
      for (guint f = 0; f < n_frames; f++)
        {
          guint channel = 0;

          if (params[f].format == SANE_FRAME_GREEN)
            channel = 1;
          else if (params[f].format == SANE_FRAME_BLUE)
            channel = 2;
          convert_frame (&params[f], g_ptr_array_index (frames.buffers, f), pixels,
                         MIN (width, (guint) params[f].pixels_per_line), height, channels,
                         channel);
        }
      pixel_bytes = g_bytes_new_take (pixels, (gsize) width * height * channels);
    }

  page = g_new0 (OwScanPage, 1);
  page->width = width;
  page->height = height;
  page->channels = channels;
  page->dpi = request->options.dpi;
  page->bilevel = params[0].depth == 1;
  page->pixels = pixel_bytes;

  return g_steal_pointer (&page);
}

static void
announce_page (Request    *request,
               OwScanPage *page,
               guint       index)
{
  Notification *n = g_new0 (Notification, 1);

  n->task = g_object_ref (request->task);
  n->job_id = request->job_id;
  n->index = index;
  n->page = ow_scan_page_copy (page);
  notify_in_context (request->task, emit_page_done_cb, n);
}

static void
announce_blank (Request *request,
                guint    sheet)
{
  Notification *n = g_new0 (Notification, 1);

  n->task = g_object_ref (request->task);
  n->job_id = request->job_id;
  n->index = sheet;
  notify_in_context (request->task, emit_blank_dropped_cb, n);
}

static guint
read_resolution (SANE_Handle handle,
                 guint       fallback)
{
  SANE_Int index;
  const SANE_Option_Descriptor *desc = find_option (handle, SANE_NAME_SCAN_RESOLUTION, &index);
  SANE_Word word = 0;

  if (desc == NULL || desc->size != sizeof (SANE_Word)
      || sane_control_option (handle, index, SANE_ACTION_GET_VALUE, &word, NULL)
         != SANE_STATUS_GOOD)
    return fallback;
  if (desc->type == SANE_TYPE_FIXED)
    return (guint) lround (SANE_UNFIX (word));
  return (guint) word;
}

typedef struct
{
  Request   *request;
  GPtrArray *pages;
} Batch;

/* On an encoder thread, in order: the page is what the batch returns. */
static void
page_encoded_cb (OwScanPage *page,
                 gpointer    user_data)
{
  Batch *batch = user_data;

  announce_page (batch->request, page, batch->pages->len);
  g_ptr_array_add (batch->pages, page);
}

static void
handle_scan (OwScanner *self,
             Request   *request)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_scan_page_free);
  Batch batch = { request, pages };
  OwScanPipeline *pipeline = NULL;
  g_autofree char *device = g_strdup (request->device);
  SANE_Handle handle = NULL;
  SANE_Status status;
  GError *error = NULL;
  gboolean feeder = request->options.source != OW_SCAN_SOURCE_FLATBED;

  if (request_cancelled (self, request))
    {
      set_cancelled_error (&error);
      finish_request (request, NULL, error);
      return;
    }

  if (device == NULL)
    {
      const SANE_Device **list = NULL;

      if (sane_get_devices (&list, SANE_TRUE) == SANE_STATUS_GOOD && list[0] != NULL)
        device = g_strdup (list[0]->name);
      else
        {
          g_set_error_literal (&error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NO_DEVICE,
                               _("No scanner was found. Connect the scanner, switch it on and "
                                 "try again."));
          finish_request (request, NULL, error);
          return;
        }
    }

  status = sane_open (device, &handle);
  if (status != SANE_STATUS_GOOD)
    {
      if ((status == SANE_STATUS_INVAL || status == SANE_STATUS_UNSUPPORTED
           || status == SANE_STATUS_IO_ERROR)
          && g_hash_table_contains (self->known_devices, device))
        g_set_error (&error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_GONE,
                     _("The scanner “%s” is no longer connected. Plug it in and switch it on, "
                       "or refresh the list of scanners and choose another one."), device);
      else if (status == SANE_STATUS_INVAL || status == SANE_STATUS_UNSUPPORTED)
        g_set_error (&error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NO_DEVICE,
                     _("The scanner “%s” was not found. Check that it is connected and "
                       "switched on, or choose another scanner."), device);
      else if (status == SANE_STATUS_IO_ERROR)
        g_set_error (&error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_GONE,
                     _("The scanner “%s” does not answer. Check its cable and power, then try "
                       "again."), device);
      else
        set_sane_error (&error, status);
      finish_request (request, NULL, error);
      return;
    }

  if (!apply_options (handle, &request->options, request->extra, &error))
    goto out;
  request->options.dpi = read_resolution (handle, request->options.dpi);

  /* Each page is encoded while the next one is read. */
  pipeline = ow_scan_pipeline_new (!request->options.keep_pixels, page_encoded_cb, &batch);
  for (guint sheet = 0;; sheet++)
    {
      SANE_Status start_status;
      g_autoptr(GArray) readers = g_array_new (FALSE, FALSE, sizeof (guint64));
      OwScanPage *page = scan_page (self, request, handle, pipeline, &start_status, readers,
                                    &error);
      gboolean got_page = page != NULL;

      /* The back of a one-sided sheet, a separator: a batch drops them. A page scanned on the
       * glass was put there on purpose and is kept. Handed to the encoders before the wait
       * below, so that the page is encoded while the reader exits. */
      if (page != NULL)
        {
          if (feeder && !request->options.keep_blank && ow_scan_page_is_blank (page))
            {
              announce_blank (request, sheet);
              ow_scan_page_free (page);
            }
          else
            ow_scan_pipeline_push (pipeline, page);
        }

      /* Backends built on sanei_thread (the test backend among them) cancel their reader thread
       * asynchronously. A reader cancelled inside malloc or free — at its start, or freeing its
       * buffer after it closed the pipe that gave us EOF — leaves that malloc arena locked, and a
       * later thread using the arena deadlocks the whole process (seen in tests/devices, about
       * once in twenty runs). Let the reader reach a safe point first: 50 ms after a failed read,
       * during which it was still producing data; after a page, until the threads that
       * sane_start started have exited (they end by themselves once the page is delivered,
       * usually within a fraction of a millisecond), 2 ms at most: for ten pages the fixed
       * 2 ms this used to wait were a tenth of the test backend's batch. A sane_start that
       * failed (the feeder is empty, at the end of every batch) started no reader: there is
       * nothing to wait for, unless a thread was seen starting all the same. */
      if (start_status != SANE_STATUS_GOOD)
        {
          if (readers->len > 0)
            wait_for_readers (readers, 50 * G_TIME_SPAN_MILLISECOND);
        }
      else if (!got_page && error != NULL
               && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_usleep (50 * G_TIME_SPAN_MILLISECOND);
      else
        wait_for_readers (readers, 2 * G_TIME_SPAN_MILLISECOND);

      /* Ends the page (or stops a failed or cancelled one); the next sane_start feeds a sheet. */
      sane_cancel (handle);

      if (!got_page)
        {
          if (feeder && sheet > 0 && start_status == SANE_STATUS_NO_DOCS)
            g_clear_error (&error);
          break;
        }
      if (!feeder)
        break;
    }

out:
  sane_close (handle);
  if (pipeline != NULL)
    {
      /* A cancelled batch is not worth finishing; one that jammed is: the pages before the jam
       * are announced (page-done), as the clerk keeps them. */
      if (request_cancelled (self, request))
        ow_scan_pipeline_abandon (pipeline);
      if (!ow_scan_pipeline_finish (pipeline, error == NULL ? &error : NULL))
        g_ptr_array_set_size (pages, 0);
    }
  if (error == NULL && request_cancelled (self, request))
    set_cancelled_error (&error);
  finish_request (request, error == NULL ? g_steal_pointer (&pages) : NULL, error);
}

static SANE_Status
init_sane (void)
{
  SANE_Int version = 0;
  SANE_Status status = sane_init (&version, NULL);

  if (status != SANE_STATUS_GOOD)
    g_warning ("sane_init failed: %s", sane_strstatus (status));
  else
    g_debug ("SANE %d.%d.%d", SANE_VERSION_MAJOR (version), SANE_VERSION_MINOR (version),
             SANE_VERSION_BUILD (version));
  return status;
}

static gpointer
scan_thread_func (gpointer data)
{
  OwScanner *self = data;
  SANE_Status init_status = init_sane ();

  for (;;)
    {
      Request *request = g_async_queue_pop (self->requests);

      if (request->kind == REQUEST_QUIT)
        {
          request_free (request);
          break;
        }

      if (request->kind == REQUEST_REFRESH)
        {
          /* Backends look for devices in sane_init; restarting SANE is the only way every one
           * of them looks again. No device is open between requests. */
          if (init_status == SANE_STATUS_GOOD)
            sane_exit ();
          init_status = init_sane ();
        }

      if (init_status != SANE_STATUS_GOOD)
        {
          GError *error = NULL;

          g_set_error (&error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_NO_DEVICE,
                       _("Scanning is not available on this computer (%s). Ask the "
                         "administrator to install the scanner drivers."),
                       sane_strstatus (init_status));
          finish_request (request, NULL, error);
        }
      else if (request->kind == REQUEST_LIST || request->kind == REQUEST_REFRESH)
        handle_list (self, request);
      else
        handle_scan (self, request);

      request_free (request);
    }

  if (init_status == SANE_STATUS_GOOD)
    sane_exit ();
  return NULL;
}

static void
queue_request (OwScanner *self,
               Request   *request)
{
  if (self->thread == NULL)
    self->thread = g_thread_new ("ow-scanner", scan_thread_func, self);
  g_async_queue_push (self->requests, request);
}

/* ------------------------------------------------------------------------------------------ */

static void
ow_scanner_finalize (GObject *object)
{
  OwScanner *self = OW_SCANNER (object);

  if (self->thread != NULL)
    {
      Request *quit = g_new0 (Request, 1);

      quit->kind = REQUEST_QUIT;
      g_async_queue_push_front (self->requests, quit);
      g_thread_join (self->thread);
    }
  g_async_queue_unref (self->requests);
  g_hash_table_unref (self->extra_options);
  g_hash_table_unref (self->known_devices);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ow_scanner_parent_class)->finalize (object);
}

static void
ow_scanner_class_init (OwScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ow_scanner_finalize;

  /**
   * OwScanner::page-done:
   * @page: (type gpointer): the OwScanPage, owned by the scanner for the emission
   * @index: the page's index in the job, from 0
   *
   * A page of the current job has been read completely.
   */
  signals[SIGNAL_PAGE_DONE] = g_signal_new ("page-done", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);
  /**
   * OwScanner::progress:
   * @fraction: how much of the current page has been read, 0 … 1
   *
   * Reading the current page has progressed.
   */
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  /**
   * OwScanner::blank-dropped:
   * @sheet: the sheet's place in the batch, from 0, counting every sheet fed
   *
   * A blank sheet of a feeder batch was left out (OwScanOptions.keep_blank is FALSE).
   */
  signals[SIGNAL_BLANK_DROPPED] = g_signal_new ("blank-dropped", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void *
exit_at_once (void *data)
{
  pthread_exit (NULL);
}

/* glibc loads libgcc_s the first time a thread is cancelled or exits by unwinding. SANE backends
 * (the test backend among them) cancel their reader thread after an error; cancelled inside that
 * first dlopen, the thread dies holding the loader's lock and the next pthread_create — the next
 * scan — deadlocks. One thread that exits by unwinding, early, makes glibc load it here instead. */
static void
preload_unwinder (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      pthread_t thread;

      if (pthread_create (&thread, NULL, exit_at_once, NULL) == 0)
        pthread_join (thread, NULL);
      g_once_init_leave (&done, 1);
    }
}

static void
ow_scanner_init (OwScanner *self)
{
  self->requests = g_async_queue_new_full ((GDestroyNotify) request_free);
  self->extra_options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->known_devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&self->lock);
  preload_unwinder ();
}

OwScanner *
ow_scanner_new (void)
{
  return g_object_new (OW_TYPE_SCANNER, NULL);
}

void
ow_scanner_set_extra_option (OwScanner  *self,
                             const char *name,
                             const char *value)
{
  g_return_if_fail (OW_IS_SCANNER (self));
  g_return_if_fail (name != NULL);

  g_mutex_lock (&self->lock);
  if (value == NULL)
    g_hash_table_remove (self->extra_options, name);
  else
    g_hash_table_insert (self->extra_options, g_strdup (name), g_strdup (value));
  g_mutex_unlock (&self->lock);
}

void
ow_scanner_list_devices_async (OwScanner           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Request *request;

  g_return_if_fail (OW_IS_SCANNER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request = g_new0 (Request, 1);
  request->kind = REQUEST_LIST;
  request->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (request->task, ow_scanner_list_devices_async);
  queue_request (self, request);
}

void
ow_scanner_refresh_devices_async (OwScanner           *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Request *request;

  g_return_if_fail (OW_IS_SCANNER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request = g_new0 (Request, 1);
  request->kind = REQUEST_REFRESH;
  request->task = g_task_new (self, cancellable, callback, user_data);
  /* Finished by ow_scanner_list_devices_finish. */
  g_task_set_source_tag (request->task, ow_scanner_list_devices_async);
  queue_request (self, request);
}

GPtrArray *
ow_scanner_list_devices_finish (OwScanner     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (OW_IS_SCANNER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_scanner_list_devices_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_scanner_scan_async (OwScanner           *self,
                       const char          *device,
                       const OwScanOptions *options,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Request *request;
  GHashTableIter iter;
  gpointer name, value;

  g_return_if_fail (OW_IS_SCANNER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request = g_new0 (Request, 1);
  request->kind = REQUEST_SCAN;
  request->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (request->task, ow_scanner_scan_async);
  request->device = g_strdup (device);
  if (options != NULL)
    request->options = *options;
  else
    ow_scan_options_init_default (&request->options);

  request->extra = g_ptr_array_new_with_free_func (g_free);
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->extra_options);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      g_ptr_array_add (request->extra, g_strdup (name));
      g_ptr_array_add (request->extra, g_strdup (value));
    }
  g_mutex_unlock (&self->lock);

  /* A new scan supersedes the one before: its pages and progress are dropped from now on. */
  request->job_id = g_atomic_int_add (&self->job_id, 1) + 1;
  queue_request (self, request);
}

GPtrArray *
ow_scanner_scan_finish (OwScanner     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (OW_IS_SCANNER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_scanner_scan_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */

static cairo_status_t
write_png_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
ow_scan_page_to_png (const OwScanPage  *page,
                     GError           **error)
{
  cairo_surface_t *surface;
  cairo_format_t format;
  const guint8 *pixels;
  gsize size;
  guint8 *dest;
  int stride;
  cairo_status_t status;
  g_autoptr(GByteArray) png = NULL;

  g_autoptr(GBytes) pixel_bytes = NULL;

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pixel_bytes = ow_scan_page_dup_pixels (page, error);
  if (pixel_bytes == NULL)
    return NULL;
  pixels = g_bytes_get_data (pixel_bytes, &size);
  if ((page->channels != 1 && page->channels != 3) || page->width == 0 || page->height == 0
      || page->width > 32767 || page->height > 32767
      || size < (gsize) page->width * page->height * page->channels)
    {
      g_set_error_literal (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_UNSUPPORTED,
                           _("The scanned page cannot be saved: its picture is malformed. Scan "
                             "it again."));
      return NULL;
    }

  format = page->channels == 1 ? CAIRO_FORMAT_A8 : CAIRO_FORMAT_RGB24;
  surface = cairo_image_surface_create (format, page->width, page->height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                   _("The scanned page cannot be saved: %s. Scan at a lower resolution."),
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }

  cairo_surface_flush (surface);
  dest = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (guint y = 0; y < page->height; y++)
    {
      const guint8 *src = pixels + (gsize) y * page->width * page->channels;

      if (page->channels == 1)
        {
          /* Cairo writes A8 surfaces as grey PNGs, keeping the samples as they are. */
          memcpy (dest + (gsize) y * stride, src, page->width);
        }
      else
        {
          guint32 *row = (guint32 *) (dest + (gsize) y * stride);

          for (guint x = 0; x < page->width; x++)
            row[x] = 0xff000000u | ((guint32) src[3 * x] << 16) | ((guint32) src[3 * x + 1] << 8)
                     | src[3 * x + 2];
        }
    }
  cairo_surface_mark_dirty (surface);

  png = g_byte_array_new ();
  status = cairo_surface_write_to_png_stream (surface, write_png_cb, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, OW_SCANNER_ERROR, OW_SCANNER_ERROR_FAILED,
                   _("The scanned page cannot be saved: %s."), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}
