/* ow-page-thumbnail.c — one page of a material in the pages dialog: picture and page actions
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "devices/ow-scan-page.h"
#include "gui/scanning/ow-page-thumbnail.h"

#define THUMBNAIL_SIDE 160

struct _OwPageThumbnail
{
  GtkWidget parent_instance;

  GtkWidget *frame;
  GtkWidget *picture;
  GtkWidget *spinner;
  GtkWidget *label;
  GtkWidget *buttons;
  guint position;
};

G_DEFINE_FINAL_TYPE (OwPageThumbnail, ow_page_thumbnail, GTK_TYPE_WIDGET)

static GtkWidget *
add_button (OwPageThumbnail *self,
            const char      *icon_name,
            const char      *action_name,
            const char      *accessible_name,
            gboolean         possible)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  /* An action would make the button sensitive whenever the action is enabled: the first page
   * cannot move left whatever the dialog allows, so its button gets no action at all. */
  g_object_set_data (G_OBJECT (button), "ow-action", (gpointer) action_name);
  if (possible)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_uint32 (self->position));
    }
  else
    gtk_widget_set_sensitive (button, FALSE);
  gtk_widget_set_tooltip_text (button, accessible_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_box_append (GTK_BOX (self->buttons), button);
  return button;
}

/* Drag and drop between thumbnails: the page's position travels as a guint. */
static GdkContentProvider *
drag_prepared_cb (OwPageThumbnail *self,
                  double           x,
                  double           y,
                  GtkDragSource   *source)
{
  return gdk_content_provider_new_typed (G_TYPE_UINT, self->position);
}

static void
drag_began_cb (OwPageThumbnail *self,
               GdkDrag         *drag,
               GtkDragSource   *source)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (GTK_PICTURE (self->picture));

  if (paintable != NULL)
    gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static gboolean
dropped_cb (OwPageThumbnail *self,
            const GValue    *value,
            double           x,
            double           y,
            GtkDropTarget   *target)
{
  guint from;

  if (!G_VALUE_HOLDS_UINT (value))
    return FALSE;
  from = g_value_get_uint (value);
  if (from == self->position)
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), "pages.move", "(uu)", from,
                                     self->position);
}

static void
ow_page_thumbnail_dispose (GObject *object)
{
  OwPageThumbnail *self = OW_PAGE_THUMBNAIL (object);

  g_clear_pointer (&self->frame, gtk_widget_unparent);
  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->buttons, gtk_widget_unparent);

  G_OBJECT_CLASS (ow_page_thumbnail_parent_class)->dispose (object);
}

static void
ow_page_thumbnail_class_init (OwPageThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_page_thumbnail_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ow-page-thumbnail");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ow_page_thumbnail_init (OwPageThumbnail *self)
{
  GtkWidget *overlay;
  GtkDragSource *source;
  GtkDropTarget *target;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (
                                                    GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              4);

  self->frame = gtk_frame_new (NULL);
  overlay = gtk_overlay_new ();
  self->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_widget_set_size_request (self->picture, THUMBNAIL_SIDE, THUMBNAIL_SIDE);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->picture);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->spinner);
  gtk_frame_set_child (GTK_FRAME (self->frame), overlay);
  gtk_widget_set_parent (self->frame, GTK_WIDGET (self));

  self->label = gtk_label_new (NULL);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (drag_prepared_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "drag-begin", G_CALLBACK (drag_began_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->frame, GTK_EVENT_CONTROLLER (source));
  target = gtk_drop_target_new (G_TYPE_UINT, GDK_ACTION_MOVE);
  g_signal_connect_object (target, "drop", G_CALLBACK (dropped_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  self->buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_halign (self->buttons, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->buttons, GTK_WIDGET (self));
}

/* ---------------------------------------------------------------------------------------- */

GtkWidget *
ow_page_thumbnail_new (GdkTexture *texture,
                       guint       position,
                       guint       n_pages)
{
  OwPageThumbnail *self = g_object_new (OW_TYPE_PAGE_THUMBNAIL, NULL);
  guint number = position + 1;
  g_autofree char *label = NULL;
  g_autofree char *left = NULL, *right = NULL, *rotate = NULL, *rescan = NULL, *remove = NULL;

  self->position = position;
  /* Translators: "Page 2 of 5" under a page's picture */
  label = g_strdup_printf (_("Page %u of %u"), number, n_pages);
  gtk_label_set_text (GTK_LABEL (self->label), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  /* Translators: %u is a page number */
  left = g_strdup_printf (_("Move page %u left"), number);
  /* Translators: %u is a page number */
  right = g_strdup_printf (_("Move page %u right"), number);
  /* Translators: %u is a page number */
  rotate = g_strdup_printf (_("Rotate page %u clockwise"), number);
  /* Translators: %u is a page number */
  rescan = g_strdup_printf (_("Scan page %u again"), number);
  /* Translators: %u is a page number */
  remove = g_strdup_printf (_("Delete page %u"), number);

  add_button (self, "go-previous-symbolic", "pages.move-left", left, position > 0);
  add_button (self, "object-rotate-right-symbolic", "pages.rotate", rotate, TRUE);
  add_button (self, "view-refresh-symbolic", "pages.rescan", rescan, TRUE);
  add_button (self, "user-trash-symbolic", "pages.delete", remove, TRUE);
  add_button (self, "go-next-symbolic", "pages.move-right", right, position + 1 < n_pages);

  ow_page_thumbnail_set_texture (self, texture);
  return GTK_WIDGET (self);
}

void
ow_page_thumbnail_set_texture (OwPageThumbnail *self,
                               GdkTexture      *texture)
{
  g_return_if_fail (OW_IS_PAGE_THUMBNAIL (self));

  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), texture == NULL);
  gtk_widget_set_visible (self->spinner, texture == NULL);
}

guint
ow_page_thumbnail_get_position (OwPageThumbnail *self)
{
  g_return_val_if_fail (OW_IS_PAGE_THUMBNAIL (self), 0);
  return self->position;
}

GtkWidget *
ow_page_thumbnail_get_button (OwPageThumbnail *self,
                              const char      *action_name)
{
  g_return_val_if_fail (OW_IS_PAGE_THUMBNAIL (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (self->buttons); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "ow-action"), action_name) == 0)
      return child;
  return NULL;
}

GdkTexture *
ow_page_thumbnail_make_texture (const OwScanPage *page,
                                guint             max_side)
{
  g_autoptr(OwScanPage) small = NULL;
  g_autoptr(GBytes) rgb = NULL;
  const guint8 *src;
  gsize size;

  g_return_val_if_fail (page != NULL, NULL);

  small = ow_scan_page_thumbnail (page, max_side);
  src = g_bytes_get_data (small->pixels, &size);
  g_return_val_if_fail (size >= (gsize) small->width * small->height * small->channels, NULL);

  /* GTK 4.8 has no grey memory format: spread grey into RGB. */
  if (small->channels == 1)
    {
      gsize n = (gsize) small->width * small->height;
      guint8 *dest = g_malloc (n * 3);

      for (gsize i = 0; i < n; i++)
        memset (dest + i * 3, src[i], 3);
      rgb = g_bytes_new_take (dest, n * 3);
    }
  else
    rgb = g_bytes_ref (small->pixels);

  return gdk_memory_texture_new (small->width, small->height, GDK_MEMORY_R8G8B8, rgb,
                                 (gsize) small->width * 3);
}
