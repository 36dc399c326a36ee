/* ow-document.h — official documents rendered to PDF, always in Simplified Chinese
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/ow-case.h"
#include "core/ow-mask.h"

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
  OW_DOCUMENT_TOLERATED,         /* 容缺受理通知书 */
  OW_DOCUMENT_SUPPLEMENT,        /* 补正材料通知书 */
  OW_DOCUMENT_REFUSAL,           /* 不予受理通知书 */
  OW_DOCUMENT_PICKUP_SLIP,       /* 出件签收单 */
  OW_DOCUMENT_TICKET_RECEIPT,    /* 未办成事登记回执 */
  OW_DOCUMENT_RECEIPT_80MM,      /* compact acceptance receipt */
} OwDocumentKind;

/* What a document needs besides the case. */
typedef struct
{
  const char   *hall_name;       /* 海口市政务服务中心 */
  const char   *organ_name;      /* the accepting organ, printed above the seal */
  const char   *organ_short;     /* for the document number: 海口政服 */
  const char   *document_no;     /* NULL: the case's document number */
  const char   *clerk_name;
  const char   *query_url;       /* where applicants look up progress, printed under the QR */
  GDateTime    *issued;          /* NULL: now */
  OwMaskPolicy  mask;
  gboolean      mask_applicant;  /* the applicant's copy: ID and phone masked */
  const char   *copy_label;      /* 第一联（申请人留存）; NULL for none */
} OwDocumentInfo;

void    ow_document_info_init   (OwDocumentInfo *info);

/* Renders @kind for @kase as an A4 PDF (or an 80 mm roll for OW_DOCUMENT_RECEIPT_80MM). Pure CPU
 * work; call from a worker thread for anything interactive. */
GBytes *ow_document_render      (OwDocumentKind        kind,
                                 OwCase               *kase,
                                 const OwDocumentInfo *info,
                                 GError              **error);

/* The document number: organ abbreviation + kind + 〔year〕 + sequence, "海口政服受〔2026〕12号". */
char   *ow_document_number      (const char     *organ_short,
                                 OwDocumentKind  kind,
                                 int             year,
                                 guint           sequence);

G_END_DECLS
