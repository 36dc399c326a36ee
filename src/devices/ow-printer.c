/* ow-printer.c — printing PDF documents through CUPS / IPP, each job followed to the end
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <cups/cups.h>

#include "ow-printer.h"

/* Bounds, so that a printer that stops answering never hangs the counter. */
#define CONNECT_TIMEOUT_MS   5000
#define IO_TIMEOUT_S         10.0
#define JOB_DEADLINE_S       300
#define MAX_POLL_FAILURES    3
#define CHUNK_SIZE           (64 * 1024)
#define LIST_TIMEOUT_MS      3000
#define STALL_S              8
/* How long a printer's capabilities are taken as read: asking for them costs more than sending a
 * notice (6–11 ms against an IPP Everywhere printer, whose media database alone is large), and
 * a counter prints to the same printer all day. */
#define INFO_TTL_S           60

/* A destination with its capabilities: the dinfo points into the dest's options, so they are
 * kept and freed together. */
typedef struct
{
  cups_dest_t  *dest;
  cups_dinfo_t *dinfo;
  gint64        fetched;     /* monotonic µs */
} DestInfo;

struct _OwPrinter
{
  GObject parent_instance;

  /* Printer name or URI → DestInfo, shared by the print threads. A thread takes an entry out
   * while it prints and puts it back after a job that went well, so no two threads use one
   * cups_dinfo_t at a time, and one that failed is asked for again. */
  GMutex      infos_lock;
  GHashTable *infos;
};

G_DEFINE_TYPE (OwPrinter, ow_printer, G_TYPE_OBJECT)
G_DEFINE_QUARK (ow-printer-error-quark, ow_printer_error)

typedef struct
{
  char   *printer;
  char   *title;
  GBytes *pdf;
  guint   copies;
  int     cancel;     /* libcups polls it while connecting */
} PrintData;

static void
print_data_free (PrintData *data)
{
  g_free (data->printer);
  g_free (data->title);
  g_clear_pointer (&data->pdf, g_bytes_unref);
  g_free (data);
}

void
ow_printer_info_free (OwPrinterInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->uri);
  g_free (info->info);
  g_free (info->location);
  g_free (info->make_model);
  g_free (info);
}

/* ------------------------------------------------------------------------------------------ */

static gboolean
is_uri (const char *printer)
{
  return strstr (printer, "://") != NULL;
}

static gboolean
is_valid_printer_uri (const char *uri)
{
  char scheme[32], userpass[256], host[256], resource[1024];
  int port = 0;
  http_uri_status_t status = httpSeparateURI (HTTP_URI_CODING_ALL, uri, scheme, sizeof scheme,
                                              userpass, sizeof userpass, host, sizeof host, &port,
                                              resource, sizeof resource);

  return status >= HTTP_URI_STATUS_OK && host[0] != '\0'
         && (g_str_equal (scheme, "ipp") || g_str_equal (scheme, "ipps"));
}

static gboolean
is_connection_error (ipp_status_t status)
{
  return status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL
         || status == IPP_STATUS_ERROR_TIMEOUT || status == IPP_STATUS_ERROR_DEVICE;
}

/* Turns the last libcups error into a GError a clerk can act on. */
static void
set_cups_error (GError     **error,
                const char  *printer,
                const char  *doing)
{
  ipp_status_t status = cupsLastError ();
  const char *detail = cupsLastErrorString ();

  if (detail == NULL || *detail == '\0')
    detail = ippErrorString (status);

  switch (status)
    {
    case IPP_STATUS_ERROR_NOT_FOUND:
      g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND,
                   _("The printer “%s” does not exist. Choose another printer."), printer);
      break;
    case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
    case IPP_STATUS_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED:
    case IPP_STATUS_ERROR_ATTRIBUTES_OR_VALUES:
    case IPP_STATUS_ERROR_DOCUMENT_ACCESS:
    case IPP_STATUS_ERROR_PRINT_SUPPORT_FILE_NOT_FOUND:
    case IPP_STATUS_ERROR_FORBIDDEN:
    case IPP_STATUS_ERROR_NOT_AUTHORIZED:
    case IPP_STATUS_ERROR_NOT_POSSIBLE:
    case IPP_STATUS_ERROR_REQUEST_ENTITY:
    case IPP_STATUS_ERROR_BAD_REQUEST:
      g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_REFUSED,
                   _("The printer “%s” refused the job while %s (%s). Choose another printer or "
                     "ask the administrator."), printer, doing, detail);
      break;
    case IPP_STATUS_ERROR_BUSY:
    case IPP_STATUS_ERROR_PRINTER_IS_DEACTIVATED:
      g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_STOPPED,
                   _("The printer “%s” cannot print now (%s). Check the printer, then print "
                     "again."), printer, detail);
      break;
    default:
      g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_UNREACHABLE,
                   _("The printer “%s” does not answer (%s while %s). Check that it is switched "
                     "on and connected, then print again."), printer, detail, doing);
      break;
    }
}

static void
set_unreachable (GError     **error,
                 const char  *printer)
{
  g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_UNREACHABLE,
               _("The printer “%s” does not answer. Check that it is switched on and connected, "
                 "then print again."), printer);
}

static int
give_up_on_timeout_cb (http_t *http,
                       void   *user_data)
{
  /* Returning 0 makes libcups stop waiting for a printer that went silent. */
  return 0;
}

/* libcups polls an int while connecting or browsing; a GCancellable sets it. */
static void
cancelled_cb (GCancellable *cancellable,
              int          *cancel)
{
  g_atomic_int_set (cancel, 1);
}

/* The printer-uri for IPP requests about the job. */
static const char *
dest_printer_uri (cups_dest_t *dest)
{
  const char *uri = cupsGetOption ("printer-uri-supported", dest->num_options, dest->options);

  if (uri == NULL)
    uri = cupsGetOption ("device-uri", dest->num_options, dest->options);
  return uri;
}

/* Stops a job at the printer, so that a cancelled document does not come out later. */
static void
cancel_job (http_t      *http,
            cups_dest_t *dest,
            int          job_id)
{
  if (cupsCancelDestJob (http, dest, job_id) > IPP_STATUS_OK_CONFLICTING)
    g_warning ("Cancelling job %d at the printer failed: %s", job_id, cupsLastErrorString ());
}

/* Asks the printer how the job stands. Returns FALSE when it did not answer. */
static gboolean
get_job_state (http_t      *http,
               cups_dest_t *dest,
               const char  *resource,
               int          job_id,
               ipp_jstate_t *state,
               char        **reasons)
{
  static const char * const attrs[] = { "job-state", "job-state-reasons" };
  ipp_t *request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  ipp_t *response;
  ipp_attribute_t *attr;
  g_autoptr(GString) text = g_string_new (NULL);

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL,
                dest_printer_uri (dest));
  ippAddInteger (request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
                cupsUser ());
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (attrs), NULL, attrs);

  response = cupsDoRequest (http, request, resource);
  if (response == NULL || cupsLastError () > IPP_STATUS_OK_CONFLICTING)
    {
      ippDelete (response);
      return FALSE;
    }

  attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM);
  *state = attr != NULL ? (ipp_jstate_t) ippGetInteger (attr, 0) : IPP_JSTATE_PENDING;
  attr = ippFindAttribute (response, "job-state-reasons", IPP_TAG_KEYWORD);
  for (int i = 0; attr != NULL && i < ippGetCount (attr); i++)
    {
      const char *reason = ippGetString (attr, i, NULL);

      if (g_strcmp0 (reason, "none") == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, reason);
    }
  *reasons = g_string_free (g_steal_pointer (&text), FALSE);

  ippDelete (response);
  return TRUE;
}

/* What a printer's state reason means for the clerk, as a whole sentence naming @printer; NULL
 * for reasons that do not stop printing. Keywords after RFC 8011 §5.4.12 and PWG 5100.9; a
 * reason without a "-report" or "-warning" suffix is an error (@severe). */
static char *
describe_printer_reason (const char *printer,
                         const char *reason,
                         gboolean   *severe)
{
  g_autofree char *keyword = g_strdup (reason);

  *severe = TRUE;
  if (g_str_has_suffix (keyword, "-report"))
    return NULL;
  if (g_str_has_suffix (keyword, "-warning"))
    {
      keyword[strlen (keyword) - strlen ("-warning")] = '\0';
      *severe = FALSE;
    }
  else if (g_str_has_suffix (keyword, "-error"))
    {
      keyword[strlen (keyword) - strlen ("-error")] = '\0';
    }

  if (g_str_equal (keyword, "media-empty") || g_str_equal (keyword, "media-needed"))
    return g_strdup_printf (_("The printer “%s” is out of paper. Load paper, then retry the "
                              "job."), printer);
  if (g_str_equal (keyword, "media-jam"))
    return g_strdup_printf (_("The printer “%s” has a paper jam. Clear the jam, then retry the "
                              "job."), printer);
  if (g_str_equal (keyword, "door-open") || g_str_equal (keyword, "cover-open")
      || g_str_equal (keyword, "interlock-open"))
    return g_strdup_printf (_("A door or cover of the printer “%s” is open. Close it, then retry "
                              "the job."), printer);
  if (g_str_equal (keyword, "toner-empty") || g_str_equal (keyword, "marker-supply-empty")
      || g_str_equal (keyword, "ink-empty"))
    return g_strdup_printf (_("The printer “%s” is out of toner or ink. Replace the cartridge, "
                              "then retry the job."), printer);
  if (g_str_equal (keyword, "offline") || g_str_equal (keyword, "shutdown")
      || g_str_equal (keyword, "timed-out"))
    return g_strdup_printf (_("The printer “%s” is offline. Switch it on or reconnect it, then "
                              "retry the job."), printer);
  if (g_str_equal (keyword, "paused") || g_str_equal (keyword, "stopped"))
    return g_strdup_printf (_("The printer “%s” is paused. Resume it on the printer or in the "
                              "system's printer settings, then retry the job."), printer);
  return NULL;
}

/* Asks the printer whether something stops it (out of paper, a jam …). Returns the sentence for
 * the clerk, or NULL when nothing does or the printer did not say; @severe tells an error from a
 * warning. */
static char *
get_printer_problem (http_t      *http,
                     cups_dest_t *dest,
                     const char  *resource,
                     const char  *printer,
                     gboolean    *severe)
{
  static const char * const attrs[] = { "printer-state", "printer-state-reasons" };
  ipp_t *request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
  ipp_t *response;
  ipp_attribute_t *attr;
  char *problem = NULL;

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL,
                dest_printer_uri (dest));
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
                cupsUser ());
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (attrs), NULL, attrs);

  response = cupsDoRequest (http, request, resource);
  if (response == NULL || cupsLastError () > IPP_STATUS_OK_CONFLICTING)
    {
      ippDelete (response);
      return NULL;
    }

  attr = ippFindAttribute (response, "printer-state-reasons", IPP_TAG_KEYWORD);
  for (int i = 0; attr != NULL && problem == NULL && i < ippGetCount (attr); i++)
    problem = describe_printer_reason (printer, ippGetString (attr, i, NULL), severe);

  attr = ippFindAttribute (response, "printer-state", IPP_TAG_ENUM);
  if (problem == NULL && attr != NULL && ippGetInteger (attr, 0) == IPP_PSTATE_STOPPED)
    problem = describe_printer_reason (printer, "stopped", severe);

  ippDelete (response);
  return problem;
}

/* Follows the job until it completed; every other end is an error. */
static gboolean
follow_job (http_t        *http,
            cups_dest_t   *dest,
            const char    *resource,
            const char    *printer,
            int            job_id,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + JOB_DEADLINE_S * G_USEC_PER_SEC;
  /* Short at first: most jobs on a ready printer complete within a few milliseconds, and the
   * counter waits on this (ippeveprinter has not finished at the first poll, and has a quarter
   * of a millisecond later). Then backing off to one poll a second. */
  gulong interval_us = 250;
  guint failures = 0;
  gint64 warned_since = 0;

  for (;;)
    {
      ipp_jstate_t state = IPP_JSTATE_PENDING;
      g_autofree char *reasons = NULL;
      g_autofree char *problem = NULL;
      gboolean severe = FALSE;

      if (g_cancellable_is_cancelled (cancellable))
        {
          cancel_job (http, dest, job_id);
          g_cancellable_set_error_if_cancelled (cancellable, error);
          return FALSE;
        }

      if (!get_job_state (http, dest, resource, job_id, &state, &reasons))
        {
          if (++failures >= MAX_POLL_FAILURES)
            {
              set_unreachable (error, printer);
              return FALSE;
            }
        }
      else
        {
          failures = 0;
          switch (state)
            {
            case IPP_JSTATE_COMPLETED:
              return TRUE;
            case IPP_JSTATE_ABORTED:
              problem = get_printer_problem (http, dest, resource, printer, &severe);
              if (problem != NULL)
                {
                  g_set_error_literal (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_STOPPED, problem);
                  return FALSE;
                }
              g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_JOB_FAILED,
                           _("The printer “%s” aborted the job (%s). Check the printer and print "
                             "again."), printer, *reasons ? reasons : _("no reason given"));
              return FALSE;
            case IPP_JSTATE_CANCELED:
              g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_JOB_FAILED,
                           _("The job was cancelled at the printer “%s”. Print again if the "
                             "document is still needed."), printer);
              return FALSE;
            case IPP_JSTATE_STOPPED:
              /* Out of paper, a jam, an open cover: the clerk fixes it and prints again, so the
               * stopped job must not come out later as a second copy. */
              cancel_job (http, dest, job_id);
              problem = get_printer_problem (http, dest, resource, printer, &severe);
              if (problem != NULL)
                g_set_error_literal (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_STOPPED, problem);
              else
                g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_STOPPED,
                             _("The printer “%s” has stopped (%s). Fix the printer, then print "
                               "again."), printer, *reasons ? reasons : _("no reason given"));
              return FALSE;
            case IPP_JSTATE_PENDING:
            case IPP_JSTATE_HELD:
            case IPP_JSTATE_PROCESSING:
            default:
              /* A printer out of paper keeps the job waiting for ever: tell the clerk, and
               * cancel it here so that the retry is the only copy that comes out. An error
               * counts at once; a warning (a printer with another tray still full says
               * "media-empty-warning", and so does ippeveprinter for every reason) only once
               * the job has waited STALL_S seconds with it. */
              problem = get_printer_problem (http, dest, resource, printer, &severe);
              if (problem == NULL)
                warned_since = 0;
              else if (!severe && warned_since == 0)
                warned_since = g_get_monotonic_time ();
              if (problem != NULL
                  && (severe || g_get_monotonic_time () - warned_since > STALL_S * G_USEC_PER_SEC))
                {
                  cancel_job (http, dest, job_id);
                  g_set_error_literal (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_STOPPED, problem);
                  return FALSE;
                }
              break;
            }
        }

      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_STOPPED,
                       _("The printer “%s” has not finished the job after %d minutes. Check the "
                         "printer."), printer, JOB_DEADLINE_S / 60);
          return FALSE;
        }

      g_usleep (interval_us);
      interval_us = MIN (interval_us * 2, G_USEC_PER_SEC);
    }
}

/* Printers that do not say which formats they take are given the benefit of the doubt. */
static gboolean
supports_pdf (http_t       *http,
              cups_dest_t  *dest,
              cups_dinfo_t *dinfo)
{
  ipp_attribute_t *formats = cupsFindDestSupported (http, dest, dinfo, "document-format");

  if (formats == NULL)
    return TRUE;
  return ippContainsString (formats, CUPS_FORMAT_PDF)
         || ippContainsString (formats, "application/octet-stream");
}

/* Sends the job and follows it; returns the job id, or 0 with @error_out set. */
static void
dest_info_free (DestInfo *info)
{
  g_clear_pointer (&info->dinfo, cupsFreeDestInfo);
  if (info->dest != NULL)
    cupsFreeDests (1, info->dest);
  g_free (info);
}

/* The destination @name and its capabilities read less than INFO_TTL_S ago, now the caller's;
 * FALSE when there are none. */
static gboolean
take_dest_info (OwPrinter     *self,
                const char    *name,
                cups_dest_t  **dest,
                cups_dinfo_t **dinfo,
                gint64        *fetched)
{
  DestInfo *info;
  gboolean found = FALSE;

  g_mutex_lock (&self->infos_lock);
  info = g_hash_table_lookup (self->infos, name);
  if (info != NULL && g_get_monotonic_time () - info->fetched < INFO_TTL_S * G_USEC_PER_SEC)
    {
      *dest = g_steal_pointer (&info->dest);
      *dinfo = g_steal_pointer (&info->dinfo);
      *fetched = info->fetched;
      found = TRUE;
    }
  g_hash_table_remove (self->infos, name);
  g_mutex_unlock (&self->infos_lock);
  return found;
}

static void
keep_dest_info (OwPrinter    *self,
                const char   *name,
                cups_dest_t  *dest,
                cups_dinfo_t *dinfo,
                gint64        fetched)
{
  DestInfo *info = g_new0 (DestInfo, 1);

  info->dest = dest;
  info->dinfo = dinfo;
  info->fetched = fetched;
  g_mutex_lock (&self->infos_lock);
  g_hash_table_replace (self->infos, g_strdup (name), info);
  g_mutex_unlock (&self->infos_lock);
}

static int
print_blocking (OwPrinter     *self,
                PrintData     *data,
                GCancellable  *cancellable,
                GError       **error_out)
{
  cups_dest_t *dest = NULL;
  http_t *http = NULL;
  cups_dinfo_t *dinfo = NULL;
  cups_option_t *options = NULL;
  int num_options = 0;
  int job_id = 0;
  char resource[1024] = "";
  GError *error = NULL;
  gulong cancel_id = 0;
  gsize size, offset;
  const char *bytes = g_bytes_get_data (data->pdf, &size);
  ipp_status_t ipp_status;
  http_status_t http_status;
  const char *name = data->printer;
  g_autofree char *default_name = NULL;
  gboolean device;
  gint64 fetched = g_get_monotonic_time ();

  /* No printer named: the system's default destination, as a print button without a dialog
   * prints where the system prints. */
  if (name == NULL)
    {
      cups_dest_t *fallback = cupsGetNamedDest (CUPS_HTTP_DEFAULT, NULL, NULL);

      if (fallback == NULL)
        {
          g_set_error (error_out, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND,
                       _("No printer is set up for this document and the system has no default "
                         "printer. Choose a printer in the preferences."));
          return 0;
        }
      default_name = g_strdup (fallback->name);
      cupsFreeDests (1, fallback);
      name = default_name;
    }
  device = is_uri (name);

  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), &data->cancel,
                                       NULL);

  /* A printer that has just printed is not asked for its capabilities again. */
  if (!take_dest_info (self, name, &dest, &dinfo, &fetched))
    {
      if (device && !is_valid_printer_uri (name))
        dest = NULL;
      else if (device)
        dest = cupsGetDestWithURI (NULL, name);
      else
        dest = cupsGetNamedDest (CUPS_HTTP_DEFAULT, name, NULL);
    }
  if (dest == NULL)
    {
      if (device)
        g_set_error (&error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND,
                     _("“%s” is not a printer address that can be used. Check the address or "
                       "choose another printer."), name);
      else
        g_set_error (&error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND,
                     _("The printer “%s” does not exist. Choose another printer."),
                     name);
      goto out;
    }

  /* IPP Everywhere printers are talked to directly; CUPS queues through the CUPS server. */
  http = cupsConnectDest (dest, device ? CUPS_DEST_FLAGS_DEVICE : CUPS_DEST_FLAGS_NONE,
                          CONNECT_TIMEOUT_MS, &data->cancel, resource, sizeof resource,
                          NULL, NULL);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto out;
  if (http == NULL)
    {
      set_unreachable (&error, name);
      goto out;
    }
  httpSetTimeout (http, IO_TIMEOUT_S, give_up_on_timeout_cb, NULL);

  if (dinfo == NULL)
    {
      fetched = g_get_monotonic_time ();
      dinfo = cupsCopyDestInfo (http, dest);
    }
  if (dinfo == NULL)
    {
      if (is_connection_error (cupsLastError ()))
        set_unreachable (&error, name);
      else
        set_cups_error (&error, name, _("reading its capabilities"));
      goto out;
    }

  if (!supports_pdf (http, dest, dinfo))
    {
      g_set_error (&error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_REFUSED,
                   _("The printer “%s” cannot print PDF documents. Choose another printer."),
                   name);
      goto out;
    }

  if (data->copies > 1)
    {
      g_autofree char *copies = g_strdup_printf ("%u", data->copies);

      num_options = cupsAddOption (CUPS_COPIES, copies, num_options, &options);
    }

  ipp_status = cupsCreateDestJob (http, dest, dinfo, &job_id, data->title, num_options, options);
  if (ipp_status > IPP_STATUS_OK_CONFLICTING || job_id <= 0)
    {
      set_cups_error (&error, name, _("creating the job"));
      goto out;
    }

  http_status = cupsStartDestDocument (http, dest, dinfo, job_id, data->title, CUPS_FORMAT_PDF,
                                       0, NULL, 1);
  if (http_status != HTTP_STATUS_CONTINUE)
    {
      set_cups_error (&error, name, _("sending the document"));
      goto out;
    }

  for (offset = 0; offset < size; offset += CHUNK_SIZE)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      http_status = cupsWriteRequestData (http, bytes + offset, MIN (CHUNK_SIZE, size - offset));
      if (http_status != HTTP_STATUS_CONTINUE)
        {
          set_cups_error (&error, name, _("sending the document"));
          goto out;
        }
    }

  ipp_status = cupsFinishDestDocument (http, dest, dinfo);
  if (g_cancellable_is_cancelled (cancellable))
    {
      cancel_job (http, dest, job_id);
      g_cancellable_set_error_if_cancelled (cancellable, &error);
      goto out;
    }
  if (ipp_status > IPP_STATUS_OK_CONFLICTING)
    {
      set_cups_error (&error, name, _("sending the document"));
      goto out;
    }

  follow_job (http, dest, resource, name, job_id, cancellable, &error);

out:
  /* A job that was created but not sent whole would wait at the printer for ever; one that
   * cannot be reached cannot be cleaned up either, and trying would only wait again. */
  if (error != NULL && job_id > 0 && http != NULL
      && !g_error_matches (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_UNREACHABLE)
      && !g_error_matches (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_JOB_FAILED)
      && !g_error_matches (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_STOPPED)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cancel_job (http, dest, job_id);
  if (cancel_id != 0)
    g_cancellable_disconnect (cancellable, cancel_id);
  cupsFreeOptions (num_options, options);
  /* Only what a finished job has just used again: after a failure the printer may have
   * changed, and the next job reads its capabilities afresh. */
  if (error == NULL && dinfo != NULL)
    keep_dest_info (self, name, g_steal_pointer (&dest), g_steal_pointer (&dinfo), fetched);
  g_clear_pointer (&dinfo, cupsFreeDestInfo);
  g_clear_pointer (&http, httpClose);
  if (dest != NULL)
    cupsFreeDests (1, dest);

  /* A cancel wins over whatever else went wrong meanwhile. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (&error);
      g_cancellable_set_error_if_cancelled (cancellable, &error);
    }

  if (error != NULL)
    {
      g_propagate_error (error_out, error);
      return 0;
    }
  return job_id;
}

static void
print_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  int job_id = print_blocking (source_object, task_data, cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, job_id);
}

static OwPrinterInfo *
info_from_dest (cups_dest_t *dest,
                gboolean     discovered)
{
  OwPrinterInfo *info = g_new0 (OwPrinterInfo, 1);
  const char *text = cupsGetOption ("printer-info", dest->num_options, dest->options);
  const char *uri = cupsGetOption ("device-uri", dest->num_options, dest->options);

  if (uri == NULL)
    uri = dest_printer_uri (dest);
  info->name = g_strdup (dest->name);
  info->uri = g_strdup (uri);
  info->info = g_strdup (text != NULL && *text != '\0' ? text : dest->name);
  info->location = g_strdup (cupsGetOption ("printer-location", dest->num_options,
                                            dest->options));
  info->make_model = g_strdup (cupsGetOption ("printer-make-and-model", dest->num_options,
                                              dest->options));
  info->is_default = dest->is_default != 0;
  info->is_discovered = discovered;
  return info;
}

typedef struct
{
  GPtrArray  *printers;
  GHashTable *names;
} ListData;

static int
dest_found_cb (void        *user_data,
               unsigned     flags,
               cups_dest_t *dest)
{
  ListData *list = user_data;
  const char *type;
  gboolean discovered;

  if ((flags & CUPS_DEST_FLAGS_REMOVED) != 0 || dest->instance != NULL)
    return 1;
  if (!g_hash_table_add (list->names, g_strdup (dest->name)))
    return 1;
  type = cupsGetOption ("printer-type", dest->num_options, dest->options);
  /* Found on the network by DNS-SD rather than set up in CUPS: an IPP Everywhere printer that
   * CUPS makes a temporary queue for on first use. */
  discovered = type == NULL
               || (g_ascii_strtoull (type, NULL, 10) & CUPS_PRINTER_DISCOVERED) != 0;
  g_ptr_array_add (list->printers, info_from_dest (dest, discovered));
  return 1;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GPtrArray) printers = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ListData list;
  int cancel = 0;
  gulong cancel_id = 0;

  printers = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_printer_info_free);
  list.printers = printers;
  list.names = names;

  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                       &cancel, NULL);

  /* CUPS_DEST_FLAGS_NONE: the CUPS queues and the printers that announce themselves on the
   * network (IPP Everywhere, over DNS-SD), not only the queues already set up. */
  if (!cupsEnumDests (CUPS_DEST_FLAGS_NONE, LIST_TIMEOUT_MS, &cancel, 0, 0, dest_found_cb,
                      &list))
    {
      cups_dest_t *dests = NULL;
      int n;

      /* Without DNS-SD (no Avahi daemon) enumeration gives up early: the queues still count.
       * No CUPS server either means no queues, not a failure: IPP printers can be named by
       * their URI. */
      g_debug ("Browsing for printers: %s", cupsLastErrorString ());
      n = cupsGetDests2 (CUPS_HTTP_DEFAULT, &dests);
      for (int i = 0; i < n; i++)
        dest_found_cb (&list, CUPS_DEST_FLAGS_NONE, &dests[i]);
      cupsFreeDests (n, dests);
    }

  if (cancel_id != 0)
    g_cancellable_disconnect (cancellable, cancel_id);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&printers), (GDestroyNotify) g_ptr_array_unref);
}

/* ------------------------------------------------------------------------------------------ */

static void
ow_printer_finalize (GObject *object)
{
  OwPrinter *self = OW_PRINTER (object);

  g_hash_table_unref (self->infos);
  g_mutex_clear (&self->infos_lock);

  G_OBJECT_CLASS (ow_printer_parent_class)->finalize (object);
}

static void
ow_printer_class_init (OwPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ow_printer_finalize;
}

static void
ow_printer_init (OwPrinter *self)
{
  g_mutex_init (&self->infos_lock);
  self->infos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) dest_info_free);
}

OwPrinter *
ow_printer_new (void)
{
  return g_object_new (OW_TYPE_PRINTER, NULL);
}

void
ow_printer_list_async (OwPrinter           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_PRINTER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_printer_list_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
ow_printer_list_finish (OwPrinter     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (OW_IS_PRINTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_printer_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
check_pdf (GBytes  *pdf,
           GError **error)
{
  if (g_bytes_get_size (pdf) >= 5 && memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5) == 0)
    return TRUE;
  g_set_error (error, OW_PRINTER_ERROR, OW_PRINTER_ERROR_REFUSED,
               _("The document to print is not a PDF file. Render it again."));
  return FALSE;
}

int
ow_printer_print (OwPrinter     *self,
                  const char    *printer,
                  const char    *title,
                  GBytes        *pdf,
                  guint          copies,
                  GCancellable  *cancellable,
                  GError       **error)
{
  PrintData data = { 0 };
  int job_id;

  g_return_val_if_fail (OW_IS_PRINTER (self), 0);
  g_return_val_if_fail (pdf != NULL, 0);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (g_cancellable_set_error_if_cancelled (cancellable, error) || !check_pdf (pdf, error))
    return 0;

  data.printer = (char *) printer;
  data.title = (char *) (title != NULL ? title : "OneWindow");
  data.pdf = pdf;
  data.copies = MAX (copies, 1);
  job_id = print_blocking (self, &data, cancellable, error);
  return job_id;
}

void
ow_printer_print_async (OwPrinter           *self,
                        const char          *printer,
                        const char          *title,
                        GBytes              *pdf,
                        guint                copies,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  PrintData *data;

  g_return_if_fail (OW_IS_PRINTER (self));
  g_return_if_fail (pdf != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_printer_print_async);

  data = g_new0 (PrintData, 1);
  data->printer = g_strdup (printer);
  data->title = g_strdup (title != NULL ? title : "OneWindow");
  data->pdf = g_bytes_ref (pdf);
  data->copies = MAX (copies, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) print_data_free);

  if (!check_pdf (pdf, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_run_in_thread (task, print_thread);
}

int
ow_printer_print_finish (OwPrinter     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (OW_IS_PRINTER (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ow_printer_print_async, -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}
