/* ow-preview-dialog.c — the pages of a notice before it is printed
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/printing/ow-preview-dialog.h"

struct _OwPreviewDialog
{
  AdwWindow parent_instance;

  /* template */
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkBox *pages_box;
  GtkButton *print_button;

  guint n_pages;
  gboolean can_print;
};

G_DEFINE_FINAL_TYPE (OwPreviewDialog, ow_preview_dialog, ADW_TYPE_WINDOW)

enum
{
  PRINT,
  PRINT_WITH_DIALOG,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OwPreviewDialog *self = OW_PREVIEW_DIALOG (widget);

  g_object_ref (self);
  g_signal_emit (self, signals[PRINT], 0);
  gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
print_with_dialog_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  OwPreviewDialog *self = OW_PREVIEW_DIALOG (widget);

  g_object_ref (self);
  gtk_window_close (GTK_WINDOW (self));
  g_signal_emit (self, signals[PRINT_WITH_DIALOG], 0);
  g_object_unref (self);
}

static void
ow_preview_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OW_TYPE_PREVIEW_DIALOG);

  G_OBJECT_CLASS (ow_preview_dialog_parent_class)->dispose (object);
}

static void
ow_preview_dialog_class_init (OwPreviewDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_preview_dialog_dispose;

  signals[PRINT] = g_signal_new ("print", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 0);
  signals[PRINT_WITH_DIALOG] = g_signal_new ("print-with-dialog", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/printing/ow-preview-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OwPreviewDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, OwPreviewDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, OwPreviewDialog, pages_box);
  gtk_widget_class_bind_template_child (widget_class, OwPreviewDialog, print_button);

  gtk_widget_class_install_action (widget_class, "preview.print", NULL, print_activated);
  gtk_widget_class_install_action (widget_class, "preview.print-with-dialog", NULL,
                                   print_with_dialog_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "preview.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ow_preview_dialog_init (OwPreviewDialog *self)
{
  self->can_print = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.print", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.print-with-dialog", FALSE);
}

OwPreviewDialog *
ow_preview_dialog_new (GtkWindow  *parent,
                       const char *title)
{
  OwPreviewDialog *self = g_object_new (OW_TYPE_PREVIEW_DIALOG, "transient-for", parent, NULL);

  if (title != NULL)
    gtk_window_set_title (GTK_WINDOW (self), title);
  return self;
}

void
ow_preview_dialog_set_pages (OwPreviewDialog *self,
                             GPtrArray       *pages)
{
  g_return_if_fail (OW_IS_PREVIEW_DIALOG (self));
  g_return_if_fail (pages != NULL);

  for (guint i = 0; i < pages->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (g_ptr_array_index (pages, i),
                                                                  &error);
      g_autofree char *name = NULL;
      GtkWidget *picture;
      GtkWidget *frame;

      if (texture == NULL)
        {
          ow_preview_dialog_set_error (self, error->message);
          return;
        }
      picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      /* Pages at their drawn size, as on paper; the list scrolls. */
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
      /* Translators: %u is a page number */
      name = g_strdup_printf (_("Page %u"), i + 1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      frame = gtk_frame_new (NULL);
      gtk_widget_set_halign (frame, GTK_ALIGN_CENTER);
      gtk_frame_set_child (GTK_FRAME (frame), picture);
      gtk_widget_add_css_class (frame, "card");
      gtk_box_append (self->pages_box, frame);
      self->n_pages++;
    }
  gtk_stack_set_visible_child_name (self->stack, "pages");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.print",
                                 self->can_print && self->n_pages > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.print-with-dialog",
                                 self->can_print && self->n_pages > 0);
  if (self->can_print)
    gtk_widget_grab_focus (GTK_WIDGET (self->print_button));
}

void
ow_preview_dialog_set_error (OwPreviewDialog *self,
                             const char      *message)
{
  g_return_if_fail (OW_IS_PREVIEW_DIALOG (self));

  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.print", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.print-with-dialog", FALSE);
}

guint
ow_preview_dialog_get_n_pages (OwPreviewDialog *self)
{
  g_return_val_if_fail (OW_IS_PREVIEW_DIALOG (self), 0);
  return self->n_pages;
}

void
ow_preview_dialog_set_can_print (OwPreviewDialog *self,
                                 gboolean         can_print)
{
  g_return_if_fail (OW_IS_PREVIEW_DIALOG (self));

  self->can_print = can_print;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->print_button),
                               can_print ? _("Take the decision and print this document")
                                         : _("The decision cannot be taken yet: see the hint "
                                             "under the decision"));
}
