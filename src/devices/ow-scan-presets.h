/* ow-scan-presets.h — scan settings per kind of material, and paper sizes
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "devices/ow-scanner.h"

G_BEGIN_DECLS

typedef enum
{
  OW_SCAN_PAPER_A4 = 1,        /* 210 × 297 mm */
  OW_SCAN_PAPER_A5,            /* 148 × 210 mm */
  OW_SCAN_PAPER_ID_CARD,       /* 85.6 × 54 mm (ISO/IEC 7810 ID-1, the resident ID card) */
  OW_SCAN_PAPER_WHOLE_AREA,    /* all the device can scan; for a custom size set the fields */
} OwScanPaper;

/* Sets width_mm and height_mm of @options; the scanner fits them to the device's area. */
void ow_scan_options_set_paper (OwScanOptions *options,
                                OwScanPaper    paper);

typedef enum
{
  OW_SCAN_PRESET_ID_CARD = 1,   /* colour, 300 dpi, ID-card size, on the glass */
  OW_SCAN_PRESET_A4_FORM,       /* grey, 200 dpi, A4, through the feeder */
  OW_SCAN_PRESET_CERTIFICATE,   /* colour, 300 dpi, A4, on the glass */
} OwScanPreset;

void        ow_scan_options_init_preset (OwScanOptions *options,
                                         OwScanPreset   preset);

/* "id-card", "a4-form", "certificate": the names in GSettings (scan-presets). */
const char *ow_scan_preset_to_string   (OwScanPreset   preset);
/* 0 for an unknown name. */
OwScanPreset ow_scan_preset_from_string (const char   *name);

/* Applies what the counter changed in a preset, as stored in the GSettings key "scan-presets"
 * (a{sa{sv}}: preset name → {"source": "flatbed"|"feeder"|"duplex", "mode": "color"|"gray"|
 * "lineart", "dpi": u, "width-mm": d, "height-mm": d, "brightness": i, "contrast": i}) on top of
 * the built-in @preset. Unknown members and wrong types are ignored, so an old or hand-edited
 * setting never stops scanning. @overrides may be NULL. */
void        ow_scan_options_init_preset_with (OwScanOptions *options,
                                              OwScanPreset   preset,
                                              GVariant      *overrides);

G_END_DECLS
