/* ow-error.c — the error domain of the domain layer
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ow-error.h"

G_DEFINE_QUARK (ow-core-error-quark, ow_core_error)
