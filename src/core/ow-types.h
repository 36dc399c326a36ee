/* ow-types.h — forward declarations of OneWindow's types
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _OwApplicant     OwApplicant;
typedef struct _OwCalendar      OwCalendar;
typedef struct _OwCase          OwCase;
typedef struct _OwCaseItem      OwCaseItem;
typedef struct _OwCaseMaterial  OwCaseMaterial;
typedef struct _OwCatalog       OwCatalog;
typedef struct _OwItem          OwItem;
typedef struct _OwMaterial      OwMaterial;

/* store/ */
typedef struct _OwStore         OwStore;
/* net/ */
typedef struct _OwClient        OwClient;
typedef struct _OwSync          OwSync;
/* devices/ */
typedef struct _OwScanner       OwScanner;
typedef struct _OwPrinter       OwPrinter;

G_END_DECLS
