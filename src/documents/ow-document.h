/* ow-document.h — official documents rendered to PDF, always in Simplified Chinese
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-case.h"
#include "core/ow-catalog.h"
#include "core/ow-item.h"
#include "core/ow-mask.h"
#include "core/ow-ticket.h"

G_BEGIN_DECLS

#define OW_DOCUMENT_ERROR (ow_document_error_quark ())

typedef enum
{
  OW_DOCUMENT_ERROR_INCOMPLETE,  /* the case lacks what the document must state */
  OW_DOCUMENT_ERROR_RENDER,      /* cairo or the QR encoder failed */
} OwDocumentError;

GQuark ow_document_error_quark (void);

typedef enum
{
  OW_DOCUMENT_ACCEPTANCE = 1,    /* 受理通知书 */
  OW_DOCUMENT_TOLERATED,         /* 容缺受理通知书, with the applicant's commitment */
  OW_DOCUMENT_SUPPLEMENT,        /* 补正材料通知书 */
  OW_DOCUMENT_REFUSAL,           /* 不予受理通知书 */
  OW_DOCUMENT_PICKUP_SLIP,       /* 出件签收单 */
  OW_DOCUMENT_TICKET_RECEIPT,    /* 未办成事登记回执: ow_document_render_ticket() */
  OW_DOCUMENT_RECEIPT_80MM,      /* compact acceptance receipt on an 80 mm roll */
  OW_DOCUMENT_GUIDE,             /* 一次性告知书 of an item: ow_document_render_guide() */
  OW_DOCUMENT_MAIL_LIST,         /* 邮件交接清单 of a day's mailings: ow_document_render_mail_list() */
} OwDocumentKind;

#define OW_DOCUMENT_N_KINDS OW_DOCUMENT_MAIL_LIST

/* Stable names for settings and the audit log ("acceptance", "pickup-slip" …), and back. */
const char *ow_document_kind_to_string   (OwDocumentKind  kind);
gboolean    ow_document_kind_from_string (const char     *text,
                                          OwDocumentKind *kind);
/* The printed title, "受理通知书" …; also the print job's title. */
const char *ow_document_kind_get_title   (OwDocumentKind  kind);

/* What a document needs besides the case. Strings are borrowed. */
typedef struct
{
  const char   *hall_name;       /* 海口市政务服务中心 */
  const char   *organ_name;      /* the accepting organ, printed above the seal */
  const char   *organ_short;     /* for the document number: 海口政服 */
  const char   *document_no;     /* NULL: the case's document number */
  const char   *clerk_name;
  const char   *query_url;       /* where applicants look up progress, printed under the QR */
  GDateTime    *issued;          /* NULL: now */
  OwMaskPolicy  mask;            /* how much of ID and phone numbers stays readable */
  gboolean      mask_applicant;  /* the applicant's copy: ID and phone numbers masked; names
                                  * are never masked, a notice is addressed to the person */
  const char   *copy_label;      /* 第一联（申请人留存）; NULL for none */

  /* 不予受理通知书: where to apply for administrative review (复议) and to sue (诉讼). */
  const char   *review_organ;    /* default 海口市人民政府 */
  const char   *court;           /* default 有管辖权的人民法院 */
  /* 容缺受理通知书: looked up for the form and counts of each tolerated material; optional. */
  OwCatalog    *catalog;
  /* 出件签收单: what is handed over and to whom (NULL: the agent if any, else the applicant). */
  const char   *result_name;
  const char   *recipient_name;
  const char   *recipient_id;
  const char   *hall_phone;      /* printed on receipts; optional */
} OwDocumentInfo;

void    ow_document_info_init   (OwDocumentInfo *info);

/* Renders one copy of @kind for @kase, as @info says (its copy label, its masking), as an A4 PDF
 * (or an 80 mm roll whose height fits the content for OW_DOCUMENT_RECEIPT_80MM). Pure CPU work;
 * call from a worker thread for anything interactive. OW_DOCUMENT_TICKET_RECEIPT and
 * OW_DOCUMENT_GUIDE have entry points of their own. */
GBytes *ow_document_render      (OwDocumentKind        kind,
                                 OwCase               *kase,
                                 const OwDocumentInfo *info,
                                 GError              **error);

/* All @n_copies (1–3) of @kind in one PDF, one set of pages per copy, each labelled:
 * 第一联（申请人留存）, then 第二联（部门留存） and/or 第N联（存档）. Only the applicant's copy is
 * masked (when @info asks for it); the department and archive keep the full record. With
 * @n_copies 1 this is ow_document_render(). */
GBytes *ow_document_render_copies (OwDocumentKind        kind,
                                   OwCase               *kase,
                                   const OwDocumentInfo *info,
                                   guint                 n_copies,
                                   GError              **error);

/* The pages ow_document_render_copies() would print, drawn as PNG images at @dpi (e.g. 96) for
 * an on-screen preview (gdk_texture_new_from_bytes() reads them): a GPtrArray of GBytes, one
 * per page, the same layout as the PDF. Pure CPU work, for a worker thread. */
GPtrArray *ow_document_render_preview (OwDocumentKind        kind,
                                       OwCase               *kase,
                                       const OwDocumentInfo *info,
                                       guint                 n_copies,
                                       double                dpi,
                                       GError              **error);

/* The label of copy @index (0-based) of @n_copies; NULL when @n_copies is 1. */
const char *ow_document_copy_label (guint index,
                                    guint n_copies);

/* The requirements guide (一次性告知书) of @item, from the catalog: conditions, materials with
 * form, counts and source, time limits, fees, place, hours, phones and FAQ; one A4 page where
 * it fits. */
GBytes *ow_document_render_guide (OwItem               *item,
                                  const OwDocumentInfo *info,
                                  GError              **error);

/* The pages ow_document_render_guide() would print, drawn as PNG images at @dpi, as
 * ow_document_render_preview() draws a case's: a GPtrArray of GBytes, one per page, breaking
 * where the PDF does. Pure CPU work, for a worker thread. */
GPtrArray *ow_document_render_guide_preview (OwItem               *item,
                                             const OwDocumentInfo *info,
                                             double                dpi,
                                             GError              **error);

/* An unfinished-business ticket (未办成事) as the receipt needs it. core/ow-ticket.h has the
 * ticket's states and tiers but no ticket record, so the caller fills this from what it holds. */
typedef struct
{
  const char *ticket_no;         /* required */
  const char *applicant_name;    /* required; printed whole */
  const char *phone;             /* masked on the applicant's copy */
  const char *matter;            /* what could not be done; required */
  const char *channel;           /* 大厅 / 网上 …; optional */
  OwTicketTier tier;             /* on the spot, 5 or 10 working days */
  GDate       due_date;          /* reply due (ow_ticket_compute_due_date()); may be invalid */
  const char *owner;             /* the department or on-duty leader handling it; optional */
  GDateTime  *registered_at;     /* required */
  const char *query_code;        /* optional: printed for looking the ticket up */
} OwDocumentTicket;

void    ow_document_ticket_init   (OwDocumentTicket *ticket);

GBytes *ow_document_render_ticket (const OwDocumentTicket *ticket,
                                   const OwDocumentInfo   *info,
                                   guint                   n_copies,
                                   GError                **error);

/* 出件签收单 for what one collector takes in one go (ow-document-pickup.c): the cases of one
 * applicant, each with what was handed over. Strings and cases are borrowed. */
typedef struct
{
  GPtrArray  *cases;            /* OwCase, at least one, all of the same applicant */
  GPtrArray  *results;          /* const char *, one per case: "食品经营许可证（JY1460…）" */
  gboolean    agent;            /* collected by an agent (代领) rather than the applicant */
  const char *collector_name;   /* required */
  const char *collector_id;     /* required; masked on the applicant's copy */
  const char *collector_phone;  /* an agent's; masked on the applicant's copy */
} OwDocumentPickup;

void    ow_document_pickup_init   (OwDocumentPickup       *pickup);
/* As many copies as @n_copies, labelled and masked as ow_document_render_copies() does. The
 * document number is @info's, else the first case's. */
GBytes *ow_document_render_pickup (const OwDocumentPickup *pickup,
                                   const OwDocumentInfo   *info,
                                   guint                   n_copies,
                                   GError                **error);

/* One line of the courier's hand-over list. Strings are borrowed. */
typedef struct
{
  const char *case_no;
  const char *recipient;
  const char *phone;      /* masked as @info asks: the waybill carries it whole */
  const char *address;
  const char *carrier;    /* the carrier's name: EMS, 中国邮政 … */
  const char *waybill;
  const char *result;     /* what the envelope holds */
} OwDocumentMailing;

/* 邮件交接清单: the day's mailings (OwDocumentMailing) for the courier to sign for, with the
 * count, the hall's and the courier's signature lines. One copy, the hall's. */
GBytes *ow_document_render_mail_list (GPtrArray              *mailings,
                                      const GDate            *day,
                                      const OwDocumentInfo   *info,
                                      GError                **error);

/* The document number: organ abbreviation + kind + 〔year〕 + sequence:
 * "海口政服受〔2026〕12号". */
char   *ow_document_number      (const char     *organ_short,
                                 OwDocumentKind  kind,
                                 int             year,
                                 guint           sequence);

G_END_DECLS
