/* ow-error.h — the error domain of the domain layer
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OW_CORE_ERROR (ow_core_error_quark ())

typedef enum
{
  OW_CORE_ERROR_INVALID,            /* a value a person typed or a peer sent is not valid */
  OW_CORE_ERROR_ILLEGAL_TRANSITION, /* the case or ticket cannot take that step in its state */
  OW_CORE_ERROR_PARSE,              /* data (calendar, case number …) is malformed */
} OwCoreError;

GQuark ow_core_error_quark (void);

G_END_DECLS
