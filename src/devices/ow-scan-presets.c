/* ow-scan-presets.c — scan settings per kind of material, and paper sizes
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ow-scan-presets.h"

void
ow_scan_options_set_paper (OwScanOptions *options,
                           OwScanPaper    paper)
{
  g_return_if_fail (options != NULL);

  switch (paper)
    {
    case OW_SCAN_PAPER_A5:
      options->width_mm = 148.0;
      options->height_mm = 210.0;
      break;
    case OW_SCAN_PAPER_ID_CARD:
      options->width_mm = 85.6;
      options->height_mm = 54.0;
      break;
    case OW_SCAN_PAPER_WHOLE_AREA:
      options->width_mm = 0.0;
      options->height_mm = 0.0;
      break;
    case OW_SCAN_PAPER_A4:
    default:
      options->width_mm = 210.0;
      options->height_mm = 297.0;
      break;
    }
}

void
ow_scan_options_init_preset (OwScanOptions *options,
                             OwScanPreset   preset)
{
  g_return_if_fail (options != NULL);

  ow_scan_options_init_default (options);
  switch (preset)
    {
    case OW_SCAN_PRESET_ID_CARD:
      /* 300 dpi keeps the ID number and the photo legible when printed at actual size. */
      options->mode = OW_SCAN_MODE_COLOR;
      options->dpi = 300;
      ow_scan_options_set_paper (options, OW_SCAN_PAPER_ID_CARD);
      break;
    case OW_SCAN_PRESET_A4_FORM:
      /* Printed forms filled in by hand: grey at 200 dpi reads well and stays small. */
      options->source = OW_SCAN_SOURCE_FEEDER;
      options->mode = OW_SCAN_MODE_GRAY;
      options->dpi = 200;
      ow_scan_options_set_paper (options, OW_SCAN_PAPER_A4);
      break;
    case OW_SCAN_PRESET_CERTIFICATE:
    default:
      /* Seals are red and certificates are unique: colour, 300 dpi, on the glass. */
      options->mode = OW_SCAN_MODE_COLOR;
      options->dpi = 300;
      ow_scan_options_set_paper (options, OW_SCAN_PAPER_A4);
      break;
    }
}

static const char * const preset_names[] = { NULL, "id-card", "a4-form", "certificate" };

const char *
ow_scan_preset_to_string (OwScanPreset preset)
{
  if (preset < OW_SCAN_PRESET_ID_CARD || preset > OW_SCAN_PRESET_CERTIFICATE)
    return NULL;
  return preset_names[preset];
}

OwScanPreset
ow_scan_preset_from_string (const char *name)
{
  for (guint i = OW_SCAN_PRESET_ID_CARD; i <= OW_SCAN_PRESET_CERTIFICATE; i++)
    if (g_strcmp0 (name, preset_names[i]) == 0)
      return (OwScanPreset) i;
  return 0;
}

void
ow_scan_options_init_preset_with (OwScanOptions *options,
                                  OwScanPreset   preset,
                                  GVariant      *overrides)
{
  g_autoptr(GVariant) dict = NULL;
  const char *name = ow_scan_preset_to_string (preset);
  const char *text;
  guint32 u;
  double d;
  gint32 i;

  g_return_if_fail (options != NULL);

  ow_scan_options_init_preset (options, preset);
  if (overrides == NULL || name == NULL
      || !g_variant_is_of_type (overrides, G_VARIANT_TYPE ("a{sa{sv}}")))
    return;
  dict = g_variant_lookup_value (overrides, name, G_VARIANT_TYPE_VARDICT);
  if (dict == NULL)
    return;

  if (g_variant_lookup (dict, "source", "&s", &text))
    {
      if (g_strcmp0 (text, "flatbed") == 0)
        options->source = OW_SCAN_SOURCE_FLATBED;
      else if (g_strcmp0 (text, "feeder") == 0)
        options->source = OW_SCAN_SOURCE_FEEDER;
      else if (g_strcmp0 (text, "duplex") == 0)
        options->source = OW_SCAN_SOURCE_DUPLEX;
    }
  if (g_variant_lookup (dict, "mode", "&s", &text))
    {
      if (g_strcmp0 (text, "color") == 0)
        options->mode = OW_SCAN_MODE_COLOR;
      else if (g_strcmp0 (text, "gray") == 0)
        options->mode = OW_SCAN_MODE_GRAY;
      else if (g_strcmp0 (text, "lineart") == 0)
        options->mode = OW_SCAN_MODE_LINEART;
    }
  if (g_variant_lookup (dict, "dpi", "u", &u) && u >= 50 && u <= 1200)
    options->dpi = u;
  if (g_variant_lookup (dict, "width-mm", "d", &d) && d >= 0 && d <= 1000)
    options->width_mm = d;
  if (g_variant_lookup (dict, "height-mm", "d", &d) && d >= 0 && d <= 1000)
    options->height_mm = d;
  if (g_variant_lookup (dict, "brightness", "i", &i))
    options->brightness = CLAMP (i, -100, 100);
  if (g_variant_lookup (dict, "contrast", "i", &i))
    options->contrast = CLAMP (i, -100, 100);
}
