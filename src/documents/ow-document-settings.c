/* ow-document-settings.c — which printer, how many copies and how much masking, per document
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ow-document-settings.h"

static guint
default_copies (OwDocumentKind kind)
{
  switch (kind)
    {
    case OW_DOCUMENT_ACCEPTANCE:
    case OW_DOCUMENT_TOLERATED:
    case OW_DOCUMENT_REFUSAL:
      return 3;
    case OW_DOCUMENT_SUPPLEMENT:
    case OW_DOCUMENT_PICKUP_SLIP:
      return 2;
    case OW_DOCUMENT_TICKET_RECEIPT:
    case OW_DOCUMENT_RECEIPT_80MM:
    case OW_DOCUMENT_GUIDE:
    default:
      return 1;
    }
}

char *
ow_document_settings_dup_printer (GSettings      *settings,
                                  OwDocumentKind  kind)
{
  const char *name = ow_document_kind_to_string (kind);
  g_autoptr(GVariant) printers = NULL;
  g_autofree char *printer = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  printers = g_settings_get_value (settings, "document-printers");
  if (!g_variant_lookup (printers, name, "s", &printer) || *printer == '\0')
    {
      g_free (printer);
      printer = g_settings_get_string (settings, kind == OW_DOCUMENT_RECEIPT_80MM
                                                 ? "receipt-printer" : "notice-printer");
    }
  if (*printer == '\0')
    return NULL;
  return g_steal_pointer (&printer);
}

guint
ow_document_settings_get_copies (GSettings      *settings,
                                 OwDocumentKind  kind)
{
  const char *name = ow_document_kind_to_string (kind);
  g_autoptr(GVariant) copies = NULL;
  guint32 n;

  g_return_val_if_fail (G_IS_SETTINGS (settings), 1);
  g_return_val_if_fail (name != NULL, 1);

  copies = g_settings_get_value (settings, "document-copies");
  if (!g_variant_lookup (copies, name, "u", &n))
    n = default_copies (kind);
  return CLAMP (n, 1, 3);
}

void
ow_document_settings_apply_mask (GSettings      *settings,
                                 OwDocumentInfo *info)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (info != NULL);

  info->mask_applicant = g_settings_get_boolean (settings, "mask-applicant-copy");
  info->mask.id_head = g_settings_get_uint (settings, "mask-id-head");
  info->mask.id_tail = g_settings_get_uint (settings, "mask-id-tail");
  info->mask.phone_head = g_settings_get_uint (settings, "mask-phone-head");
  info->mask.phone_tail = g_settings_get_uint (settings, "mask-phone-tail");
}
