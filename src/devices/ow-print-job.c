/* ow-print-job.c — one document to print: what it is, for which case, how it went
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ow-print-job-private.h"

struct _OwPrintJob
{
  GObject          parent_instance;

  char            *id;
  char            *kind;
  char            *case_no;
  char            *title;
  GBytes          *pdf;
  guint            copies;
  char            *reprint_reason;
  char            *printer;
  GDateTime       *created;
  OwPrintJobState  state;
  GError          *error;
  guint            attempts;
  int              printer_job_id;
};

G_DEFINE_FINAL_TYPE (OwPrintJob, ow_print_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (OwPrintJob      *self,
           OwPrintJobState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
ow_print_job_finalize (GObject *object)
{
  OwPrintJob *self = OW_PRINT_JOB (object);

  g_free (self->id);
  g_free (self->kind);
  g_free (self->case_no);
  g_free (self->title);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_free (self->reprint_reason);
  g_free (self->printer);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (ow_print_job_parent_class)->finalize (object);
}

static void
ow_print_job_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OwPrintJob *self = OW_PRINT_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_print_job_class_init (OwPrintJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ow_print_job_finalize;
  object_class->get_property = ow_print_job_get_property;

  /**
   * OwPrintJob:state:
   *
   * An #OwPrintJobState; changes on the main thread.
   */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, OW_PRINT_JOB_QUEUED, OW_PRINT_JOB_DONE,
                      OW_PRINT_JOB_QUEUED,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * OwPrintJob:attempts:
   *
   * How many times the job was sent.
   */
  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ow_print_job_init (OwPrintJob *self)
{
  self->state = OW_PRINT_JOB_QUEUED;
  self->copies = 1;
}

OwPrintJob *
ow_print_job_new (const char *kind,
                  const char *case_no,
                  const char *title,
                  GBytes     *pdf,
                  guint       copies)
{
  OwPrintJob *self;

  g_return_val_if_fail (kind != NULL && *kind != '\0', NULL);
  g_return_val_if_fail (pdf != NULL, NULL);

  self = g_object_new (OW_TYPE_PRINT_JOB, NULL);
  self->id = g_uuid_string_random ();
  self->kind = g_strdup (kind);
  self->case_no = g_strdup (case_no);
  self->title = g_strdup (title != NULL ? title : kind);
  self->pdf = g_bytes_ref (pdf);
  self->copies = MAX (copies, 1);
  self->created = g_date_time_new_now_utc ();
  return self;
}

OwPrintJob *
ow_print_job_restore (const char *id,
                      const char *kind,
                      const char *case_no,
                      const char *title,
                      GBytes     *pdf,
                      guint       copies,
                      const char *reprint_reason,
                      const char *printer,
                      GDateTime  *created,
                      guint       attempts)
{
  OwPrintJob *self = ow_print_job_new (kind, case_no, title, pdf, copies);

  g_free (self->id);
  self->id = g_strdup (id);
  self->reprint_reason = g_strdup (reprint_reason);
  self->printer = g_strdup (printer);
  if (created != NULL)
    {
      g_date_time_unref (self->created);
      self->created = g_date_time_ref (created);
    }
  self->attempts = attempts;
  return self;
}

void
ow_print_job_set_reprint_reason (OwPrintJob *self,
                                 const char *reason)
{
  g_return_if_fail (OW_IS_PRINT_JOB (self));

  g_free (self->reprint_reason);
  self->reprint_reason = g_strdup (reason);
}

void
ow_print_job_start (OwPrintJob *self,
                    const char *printer)
{
  g_return_if_fail (OW_IS_PRINT_JOB (self));

  if (printer != self->printer)
    {
      g_free (self->printer);
      self->printer = g_strdup (printer);
    }
  g_clear_error (&self->error);
  self->attempts++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
  set_state (self, OW_PRINT_JOB_PRINTING);
}

void
ow_print_job_fail (OwPrintJob   *self,
                   const GError *error)
{
  g_return_if_fail (OW_IS_PRINT_JOB (self));
  g_return_if_fail (error != NULL);

  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  set_state (self, OW_PRINT_JOB_FAILED);
}

void
ow_print_job_complete (OwPrintJob *self,
                       int         printer_job_id)
{
  g_return_if_fail (OW_IS_PRINT_JOB (self));

  g_clear_error (&self->error);
  self->printer_job_id = printer_job_id;
  set_state (self, OW_PRINT_JOB_DONE);
}

const char *
ow_print_job_get_id (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), NULL);
  return self->id;
}

const char *
ow_print_job_get_kind (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), NULL);
  return self->kind;
}

const char *
ow_print_job_get_case_no (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), NULL);
  return self->case_no;
}

const char *
ow_print_job_get_title (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), NULL);
  return self->title;
}

GBytes *
ow_print_job_get_pdf (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), NULL);
  return self->pdf;
}

guint
ow_print_job_get_copies (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), 1);
  return self->copies;
}

const char *
ow_print_job_get_reprint_reason (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), NULL);
  return self->reprint_reason;
}

const char *
ow_print_job_get_printer (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), NULL);
  return self->printer;
}

OwPrintJobState
ow_print_job_get_state (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), OW_PRINT_JOB_QUEUED);
  return self->state;
}

const GError *
ow_print_job_get_error (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), NULL);
  return self->error;
}

guint
ow_print_job_get_attempts (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), 0);
  return self->attempts;
}

int
ow_print_job_get_printer_job_id (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), 0);
  return self->printer_job_id;
}

GDateTime *
ow_print_job_get_created (OwPrintJob *self)
{
  g_return_val_if_fail (OW_IS_PRINT_JOB (self), NULL);
  return self->created;
}
