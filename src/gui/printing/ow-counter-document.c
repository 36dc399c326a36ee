/* ow-counter-document.c — a document issued at the counter: drawn in a worker thread, printed
 * through the counter's print queue
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gui/printing/ow-counter-document.h"
/* For the counter's queue only: the rest of that header is the print jobs window. */
#include "gui/printing/ow-print-jobs.h"

struct _OwCounterDocument
{
  GObject parent_instance;

  OwContext *context;       /* the settings and the print queue: main thread only */
  OwDocumentKind kind;

  /* What the worker thread draws: fixed once rendering starts. */
  OwCase *kase;             /* case documents */
  OwItem *item;             /* the guide */
  OwDocumentTicket ticket;  /* the receipt; its strings are in strings */
  OwDocumentPickup pickup;  /* the pick-up slip; its strings are in strings */
  GPtrArray *pickup_cases;  /* OwCase */
  GPtrArray *pickup_results;
  OwStore *store;           /* the slip's number is taken when it is drawn */
  guint counter;            /* the user's, for the slip's number */
  GPtrArray *mailings;      /* OwDocumentMailing of the courier's list; strings in strings */
  GDate mail_day;
  GDateTime *registered_at;
  char *case_no;            /* the receipt's case, for its print job */
  OwDocumentInfo info;      /* its strings are in strings */
  OwCatalog *catalog;
  GDateTime *issued;
  GPtrArray *strings;
  guint pdf_copies;         /* sets of pages in the PDF, each labelled */
  guint job_copies;         /* how many times the printer prints the PDF */

  GBytes *pdf;              /* once rendered */
  OwPrintJob *job;          /* the last one sent, kept by the queue while it fails */
};

G_DEFINE_FINAL_TYPE (OwCounterDocument, ow_counter_document, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------------------------- */
/* What the document states */

/* A copy of @text that lives as long as the document, or NULL. */
static const char *
keep_string (OwCounterDocument *self,
             const char        *text)
{
  char *copy = g_strdup (text);

  if (copy != NULL)
    g_ptr_array_add (self->strings, copy);
  return copy;
}

/* The organ's abbreviation for document numbers: 海口市政务服务中心 → 海口政服. */
static char *
dup_organ_short (const char *hall_name)
{
  static const char *suffix = "政务服务中心";
  g_autofree char *place = NULL;

  if (hall_name == NULL || !g_str_has_suffix (hall_name, suffix))
    return g_strdup (hall_name != NULL ? hall_name : "");
  place = g_strndup (hall_name, strlen (hall_name) - strlen (suffix));
  if (g_str_has_suffix (place, "市") || g_str_has_suffix (place, "县")
      || g_str_has_suffix (place, "区") || g_str_has_suffix (place, "省"))
    place[strlen (place) - strlen ("市")] = '\0';
  return g_strconcat (place, "政服", NULL);
}

static guint
get_copies (OwContext      *context,
            OwDocumentKind  kind)
{
  g_autoptr(GVariant) copies = g_settings_get_value (ow_context_get_settings (context),
                                                     "document-copies");
  guint n = 1;

  /* Applicant's, department's and archive's copies, as the hall set it up. */
  g_variant_lookup (copies, ow_document_kind_to_string (kind), "u", &n);
  return CLAMP (n, 1, 3);
}

static OwCounterDocument *
counter_document_new (OwContext      *context,
                      OwDocumentKind  kind)
{
  OwCounterDocument *self = g_object_new (OW_TYPE_COUNTER_DOCUMENT, NULL);
  const OwUser *user = ow_context_get_user (context);
  GSettings *settings = ow_context_get_settings (context);
  g_autofree char *organ_short = NULL;

  self->context = g_object_ref (context);
  self->kind = kind;
  self->pdf_copies = 1;
  self->job_copies = 1;

  ow_document_info_init (&self->info);
  /* Without a user a document still prints, under no hall's name rather than not at all. */
  self->info.hall_name = keep_string (self, user != NULL && user->hall_name != NULL
                                            ? user->hall_name : "");
  self->info.organ_name = self->info.hall_name;
  organ_short = dup_organ_short (self->info.hall_name);
  self->info.organ_short = keep_string (self, organ_short);
  self->info.clerk_name = keep_string (self, user != NULL ? user->display_name : "");
  self->info.query_url = keep_string (self, ow_context_get_platform_uri (context));
  /* The tolerated notice states the form and counts of each material from the catalog. */
  if (ow_context_get_catalog (context) != NULL)
    self->catalog = g_object_ref (ow_context_get_catalog (context));
  self->info.catalog = self->catalog;
  self->info.mask_applicant = g_settings_get_boolean (settings, "mask-applicant-copy");
  self->info.mask.id_head = g_settings_get_uint (settings, "mask-id-head");
  self->info.mask.id_tail = g_settings_get_uint (settings, "mask-id-tail");
  self->info.mask.phone_head = g_settings_get_uint (settings, "mask-phone-head");
  self->info.mask.phone_tail = g_settings_get_uint (settings, "mask-phone-tail");
  return self;
}

/* ---------------------------------------------------------------------------------------- */
/* Drawing */

/* The slip of a hand-over, numbered from this counter's sequence unless it has its number. */
static GBytes *
render_pickup (OwCounterDocument  *self,
               GError            **error)
{
  if (self->info.document_no == NULL && self->store != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *number = NULL;
      guint sequence;

      sequence = ow_store_next_document_sequence (self->store, g_date_time_get_year (now),
                                                  error);
      if (sequence == 0)
        return NULL;
      number = ow_document_number (self->info.organ_short, OW_DOCUMENT_PICKUP_SLIP,
                                   g_date_time_get_year (now),
                                   self->counter * 10000 + sequence);
      self->info.document_no = keep_string (self, number);
    }
  return ow_document_render_pickup (&self->pickup, &self->info, self->pdf_copies, error);
}

/* The catalog lists its items by their summary: the case's own are loaded (here, in the
 * worker) so that a notice can say how each material is asked for. Unreadable, the notice
 * falls back to the catalog's general wording. */
static void
hold_case_items (OwCounterDocument *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *case_items;

  if (self->catalog == NULL || self->kase == NULL)
    return;
  case_items = ow_case_get_items (self->kase);
  for (guint i = 0; case_items != NULL && i < case_items->len; i++)
    g_strv_builder_add (builder, ((const OwCaseItem *) g_ptr_array_index (case_items,
                                                                          i))->item_id);
  ids = g_strv_builder_end (builder);
  items = ow_catalog_load_items (self->catalog, (const char * const *) ids, NULL, &error);
  if (items == NULL)
    g_message ("The notice describes the materials in general terms: %s", error->message);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OwCounterDocument *self = source_object;
  GError *error = NULL;
  GBytes *pdf;

  switch (self->kind)
    {
    case OW_DOCUMENT_GUIDE:
      pdf = ow_document_render_guide (self->item, &self->info, &error);
      break;
    case OW_DOCUMENT_TICKET_RECEIPT:
      pdf = ow_document_render_ticket (&self->ticket, &self->info, self->pdf_copies, &error);
      break;
    case OW_DOCUMENT_MAIL_LIST:
      pdf = ow_document_render_mail_list (self->mailings, &self->mail_day, &self->info, &error);
      break;
    case OW_DOCUMENT_PICKUP_SLIP:
      if (self->pickup_cases != NULL)
        {
          pdf = render_pickup (self, &error);
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
      hold_case_items (self);
      pdf = ow_document_render_copies (self->kind, self->kase, &self->info, self->pdf_copies,
                                       &error);
      break;
    }
  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OwCounterDocument *self = source_object;
  double dpi = *(double *) task_data;
  GError *error = NULL;
  GPtrArray *pages;

  if (self->kind == OW_DOCUMENT_GUIDE)
    pages = ow_document_render_guide_preview (self->item, &self->info, dpi, &error);
  else
    {
      hold_case_items (self);
      pages = ow_document_render_preview (self->kind, self->kase, &self->info, self->pdf_copies,
                                          dpi, &error);
    }
  if (pages == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pages, (GDestroyNotify) g_ptr_array_unref);
}

/* ---------------------------------------------------------------------------------------- */
/* Printing */

static gboolean
queue_holds (OwPrintQueue *queue,
             OwPrintJob   *job)
{
  GListModel *jobs = ow_print_queue_get_jobs (queue);

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(OwPrintJob) held = g_list_model_get_item (jobs, i);

      if (held == job)
        return TRUE;
    }
  return FALSE;
}

static OwPrintJob *
create_job (OwCounterDocument *self)
{
  const char *case_no = self->kase != NULL ? ow_case_get_case_no (self->kase) : self->case_no;
  const char *subject;
  g_autofree char *title = NULL;

  /* The title the print jobs window and the printer's queue show: the kind, then what the
   * document is about. */
  if (self->kind == OW_DOCUMENT_GUIDE)
    subject = ow_item_get_name (self->item);
  else if (self->kind == OW_DOCUMENT_TICKET_RECEIPT)
    subject = self->ticket.ticket_no;
  else if (self->kind == OW_DOCUMENT_MAIL_LIST)
    subject = "";
  else
    subject = case_no;
  title = g_strdup_printf ("%s %s", ow_document_kind_get_title (self->kind), subject);
  return ow_print_job_new (ow_document_kind_to_string (self->kind), case_no, title, self->pdf,
                           self->job_copies);
}

static void
job_printed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  gboolean retried = GPOINTER_TO_INT (g_task_get_task_data (task));
  GError *error = NULL;
  gboolean printed;

  if (retried)
    printed = ow_print_queue_retry_finish (OW_PRINT_QUEUE (source), result, &error);
  else
    printed = ow_print_queue_submit_finish (OW_PRINT_QUEUE (source), result, &error);
  if (printed)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
print_job (OwCounterDocument   *self,
           const char          *printer,
           const char          *reprint_reason,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OwPrintQueue *queue = ow_print_jobs_get_queue (self->context);
  g_autofree char *chosen = NULL;

  g_task_set_source_tag (task, ow_counter_document_print_async);

  /* One that was discarded, or printed from the print jobs window meanwhile, is printed anew. */
  if (reprint_reason == NULL && queue != NULL && self->job != NULL
      && ow_print_job_get_state (self->job) == OW_PRINT_JOB_FAILED
      && queue_holds (queue, self->job))
    {
      g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
      ow_print_queue_retry_async (queue, self->job, printer, cancellable, job_printed_cb,
                                  g_steal_pointer (&task));
      return;
    }

  chosen = printer != NULL ? g_strdup (printer)
                           : ow_counter_document_dup_printer (self->context, self->kind);
  if (queue == NULL || chosen == NULL)
    {
      g_task_return_new_error (task, OW_PRINTER_ERROR, OW_PRINTER_ERROR_NOT_FOUND, "%s",
                               _("no printer is set up for notices"));
      return;
    }
  g_clear_object (&self->job);
  self->job = create_job (self);
  if (reprint_reason != NULL)
    ow_print_job_set_reprint_reason (self->job, reprint_reason);
  ow_print_queue_submit_async (queue, self->job, chosen, cancellable, job_printed_cb,
                               g_steal_pointer (&task));
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_counter_document_dispose (GObject *object)
{
  OwCounterDocument *self = OW_COUNTER_DOCUMENT (object);

  g_clear_object (&self->context);
  g_clear_object (&self->kase);
  g_clear_object (&self->item);
  g_clear_object (&self->catalog);
  g_clear_object (&self->job);
  g_clear_object (&self->store);
  g_clear_pointer (&self->pickup_cases, g_ptr_array_unref);

  G_OBJECT_CLASS (ow_counter_document_parent_class)->dispose (object);
}

static void
ow_counter_document_finalize (GObject *object)
{
  OwCounterDocument *self = OW_COUNTER_DOCUMENT (object);

  g_clear_pointer (&self->registered_at, g_date_time_unref);
  g_clear_pointer (&self->issued, g_date_time_unref);
  g_free (self->case_no);
  g_ptr_array_unref (self->strings);
  g_clear_pointer (&self->pickup_results, g_ptr_array_unref);
  g_clear_pointer (&self->mailings, g_ptr_array_unref);
  g_clear_pointer (&self->pdf, g_bytes_unref);

  G_OBJECT_CLASS (ow_counter_document_parent_class)->finalize (object);
}

static void
ow_counter_document_class_init (OwCounterDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_counter_document_dispose;
  object_class->finalize = ow_counter_document_finalize;
}

static void
ow_counter_document_init (OwCounterDocument *self)
{
  self->strings = g_ptr_array_new_with_free_func (g_free);
  ow_document_ticket_init (&self->ticket);
}

/* ---------------------------------------------------------------------------------------- */

OwCounterDocument *
ow_counter_document_new (OwContext      *context,
                         OwDocumentKind  kind,
                         OwCase         *kase)
{
  OwCounterDocument *self;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (kind != OW_DOCUMENT_GUIDE && kind != OW_DOCUMENT_TICKET_RECEIPT
                        && kind != OW_DOCUMENT_MAIL_LIST, NULL);
  g_return_val_if_fail (OW_IS_CASE (kase), NULL);

  self = counter_document_new (context, kind);
  self->kase = g_object_ref (kase);
  self->pdf_copies = get_copies (context, kind);
  return self;
}

OwCounterDocument *
ow_counter_document_new_guide (OwContext *context,
                               OwItem    *item)
{
  OwCounterDocument *self;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (OW_IS_ITEM (item), NULL);

  self = counter_document_new (context, OW_DOCUMENT_GUIDE);
  self->item = g_object_ref (item);
  /* A guide is the same for everyone: no copy designations, the printer repeats it. */
  self->job_copies = get_copies (context, OW_DOCUMENT_GUIDE);
  return self;
}

OwCounterDocument *
ow_counter_document_new_ticket (OwContext              *context,
                                const OwDocumentTicket *ticket,
                                const char             *case_no)
{
  OwCounterDocument *self;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ticket != NULL, NULL);

  self = counter_document_new (context, OW_DOCUMENT_TICKET_RECEIPT);
  self->ticket = *ticket;
  self->ticket.ticket_no = keep_string (self, ticket->ticket_no);
  self->ticket.applicant_name = keep_string (self, ticket->applicant_name);
  self->ticket.phone = keep_string (self, ticket->phone);
  self->ticket.matter = keep_string (self, ticket->matter);
  self->ticket.channel = keep_string (self, ticket->channel);
  self->ticket.owner = keep_string (self, ticket->owner);
  self->ticket.query_code = keep_string (self, ticket->query_code);
  if (ticket->registered_at != NULL)
    self->registered_at = g_date_time_ref (ticket->registered_at);
  self->ticket.registered_at = self->registered_at;
  self->case_no = g_strdup (case_no);
  /* Copies and masking as the hall set them up for this kind, like every other document. */
  self->pdf_copies = get_copies (context, OW_DOCUMENT_TICKET_RECEIPT);
  return self;
}

OwCounterDocument *
ow_counter_document_new_pickup (OwContext              *context,
                                const OwDocumentPickup *pickup)
{
  OwCounterDocument *self;
  const OwUser *user;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (pickup != NULL && pickup->cases != NULL && pickup->cases->len > 0, NULL);

  self = counter_document_new (context, OW_DOCUMENT_PICKUP_SLIP);
  user = ow_context_get_user (context);
  self->counter = user != NULL ? user->counter : 0;
  if (ow_context_get_store (context) != NULL)
    self->store = g_object_ref (ow_context_get_store (context));
  self->pickup = *pickup;
  self->pickup_cases = g_ptr_array_new_with_free_func (g_object_unref);
  self->pickup_results = g_ptr_array_new ();
  for (guint i = 0; i < pickup->cases->len; i++)
    {
      const char *result = pickup->results != NULL && i < pickup->results->len
                             ? g_ptr_array_index (pickup->results, i) : NULL;

      g_ptr_array_add (self->pickup_cases, g_object_ref (g_ptr_array_index (pickup->cases, i)));
      g_ptr_array_add (self->pickup_results, (gpointer) keep_string (self, result));
    }
  self->pickup.cases = self->pickup_cases;
  self->pickup.results = self->pickup_results;
  self->pickup.collector_name = keep_string (self, pickup->collector_name);
  self->pickup.collector_id = keep_string (self, pickup->collector_id);
  self->pickup.collector_phone = keep_string (self, pickup->collector_phone);
  /* The print job is about the first case. */
  self->kase = g_object_ref (g_ptr_array_index (pickup->cases, 0));
  self->pdf_copies = get_copies (context, OW_DOCUMENT_PICKUP_SLIP);
  return self;
}

OwCounterDocument *
ow_counter_document_new_mail_list (OwContext   *context,
                                   GPtrArray   *mailings,
                                   const GDate *day)
{
  OwCounterDocument *self;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (mailings != NULL, NULL);
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  self = counter_document_new (context, OW_DOCUMENT_MAIL_LIST);
  self->mailings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < mailings->len; i++)
    {
      const OwDocumentMailing *mailing = g_ptr_array_index (mailings, i);
      OwDocumentMailing *copy = g_new0 (OwDocumentMailing, 1);

      copy->case_no = keep_string (self, mailing->case_no);
      copy->recipient = keep_string (self, mailing->recipient);
      copy->phone = keep_string (self, mailing->phone);
      copy->address = keep_string (self, mailing->address);
      copy->carrier = keep_string (self, mailing->carrier);
      copy->waybill = keep_string (self, mailing->waybill);
      copy->result = keep_string (self, mailing->result);
      g_ptr_array_add (self->mailings, copy);
    }
  self->mail_day = *day;
  /* The hall keeps the list the courier signed: one copy, the archive's, not masked more than
   * the hall masks applicants' copies. */
  self->job_copies = get_copies (context, OW_DOCUMENT_MAIL_LIST);
  return self;
}

void
ow_counter_document_set_document_no (OwCounterDocument *self,
                                     const char        *document_no)
{
  g_return_if_fail (OW_IS_COUNTER_DOCUMENT (self));

  self->info.document_no = keep_string (self, document_no);
}

void
ow_counter_document_set_issued (OwCounterDocument *self,
                                GDateTime         *issued)
{
  g_return_if_fail (OW_IS_COUNTER_DOCUMENT (self));

  g_clear_pointer (&self->issued, g_date_time_unref);
  if (issued != NULL)
    self->issued = g_date_time_ref (issued);
  self->info.issued = self->issued;
}

OwDocumentKind
ow_counter_document_get_kind (OwCounterDocument *self)
{
  g_return_val_if_fail (OW_IS_COUNTER_DOCUMENT (self), 0);

  return self->kind;
}

OwCase *
ow_counter_document_get_case (OwCounterDocument *self)
{
  g_return_val_if_fail (OW_IS_COUNTER_DOCUMENT (self), NULL);

  return self->kase;
}

void
ow_counter_document_render_async (OwCounterDocument   *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OW_IS_COUNTER_DOCUMENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_counter_document_render_async);
  /* Drawing takes a while with CJK fonts: never on the main loop. */
  g_task_run_in_thread (task, render_thread);
}

GBytes *
ow_counter_document_render_finish (OwCounterDocument  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  GBytes *pdf;

  g_return_val_if_fail (OW_IS_COUNTER_DOCUMENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == ow_counter_document_render_async, NULL);

  pdf = g_task_propagate_pointer (G_TASK (result), error);
  if (pdf != NULL)
    {
      g_clear_pointer (&self->pdf, g_bytes_unref);
      self->pdf = g_bytes_ref (pdf);
    }
  return pdf;
}

void
ow_counter_document_preview_async (OwCounterDocument   *self,
                                   double               dpi,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  double *task_dpi;

  g_return_if_fail (OW_IS_COUNTER_DOCUMENT (self));
  g_return_if_fail (self->kind != OW_DOCUMENT_TICKET_RECEIPT);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_counter_document_preview_async);
  task_dpi = g_new (double, 1);
  *task_dpi = dpi;
  g_task_set_task_data (task, task_dpi, g_free);
  g_task_run_in_thread (task, preview_thread);
}

GPtrArray *
ow_counter_document_preview_finish (OwCounterDocument  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (OW_IS_COUNTER_DOCUMENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == ow_counter_document_preview_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ow_counter_document_print_async (OwCounterDocument   *self,
                                 const char          *printer,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (OW_IS_COUNTER_DOCUMENT (self));
  g_return_if_fail (self->pdf != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  print_job (self, printer, NULL, cancellable, callback, user_data);
}

void
ow_counter_document_reprint_async (OwCounterDocument   *self,
                                   const char          *reason,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (OW_IS_COUNTER_DOCUMENT (self));
  g_return_if_fail (self->pdf != NULL);
  g_return_if_fail (reason != NULL && *reason != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  print_job (self, NULL, reason, cancellable, callback, user_data);
}

gboolean
ow_counter_document_print_finish (OwCounterDocument  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (OW_IS_COUNTER_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == ow_counter_document_print_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
ow_counter_document_dup_printer (OwContext      *context,
                                 OwDocumentKind  kind)
{
  g_autoptr(GVariant) printers = NULL;
  const char *printer = NULL;

  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);

  printers = g_settings_get_value (ow_context_get_settings (context), "document-printers");
  if (g_variant_lookup (printers, ow_document_kind_to_string (kind), "&s", &printer)
      && *printer != '\0')
    return g_strdup (printer);
  return g_strdup (ow_context_get_printer_name (context));
}

char *
ow_counter_document_number (const char     *hall_name,
                            guint           counter,
                            OwDocumentKind  kind,
                            int             year,
                            guint           sequence)
{
  g_autofree char *organ_short = dup_organ_short (hall_name);

  return ow_document_number (organ_short, kind, year, counter * 10000 + sequence);
}
