/* ow-page-thumbnail.h — one page of a material in the pages dialog: picture and page actions
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "devices/ow-scanner.h"

G_BEGIN_DECLS

#define OW_TYPE_PAGE_THUMBNAIL (ow_page_thumbnail_get_type ())
G_DECLARE_FINAL_TYPE (OwPageThumbnail, ow_page_thumbnail, OW, PAGE_THUMBNAIL, GtkWidget)

/* The page at @position (from 0) of @n_pages. Its buttons activate the actions pages.move-left,
 * pages.move-right, pages.rotate, pages.rescan and pages.delete of an ancestor with @position as
 * their "u" target; a page dragged onto it activates pages.move with "(uu)" (from, to). @texture NULL shows a spinner until ow_page_thumbnail_set_texture. */
GtkWidget  *ow_page_thumbnail_new          (GdkTexture      *texture,
                                            guint            position,
                                            guint            n_pages);
void        ow_page_thumbnail_set_texture  (OwPageThumbnail *self,
                                            GdkTexture      *texture);
guint       ow_page_thumbnail_get_position (OwPageThumbnail *self);
/* The button of @action_name ("pages.rotate" …), to give it the focus back after a change. */
GtkWidget  *ow_page_thumbnail_get_button   (OwPageThumbnail *self,
                                            const char      *action_name);

/* Blocking, for worker threads: a texture at most @max_side pixels on its longest side. */
GdkTexture *ow_page_thumbnail_make_texture (const OwScanPage *page,
                                            guint             max_side);

G_END_DECLS
