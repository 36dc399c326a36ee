/* ow-password-dialog.c — the clerk's password again, when the platform asks for it
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After an offline log-in the counter logs in again by itself when the platform answers; only
 * when the platform refuses the password it kept (changed meanwhile) is the clerk asked.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/shell/ow-password-dialog.h"

#define DIALOG_KEY "ow-password-dialog"

typedef struct
{
  GtkWindow *parent;
  OwContext *context;
  GtkWidget *entry;
  GCancellable *cancellable;
} Asking;

static void
asking_free (Asking *asking)
{
  g_cancellable_cancel (asking->cancellable);
  g_clear_object (&asking->cancellable);
  g_clear_object (&asking->context);
  g_free (asking);
}

static void
reauthenticated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AdwMessageDialog) dialog = user_data;
  Asking *asking = g_object_get_data (G_OBJECT (dialog), "ow-asking");
  g_autoptr(GError) error = NULL;

  if (ow_context_reauthenticate_finish (OW_CONTEXT (source), result, &error))
    {
      gtk_window_destroy (GTK_WINDOW (dialog));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || asking == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (dialog), TRUE);
  if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNAUTHORIZED))
    adw_message_dialog_set_body (dialog, _("The platform does not take this password. Check it "
                                           "and try again."));
  else
    adw_message_dialog_set_body (dialog, error->message);
  gtk_editable_set_text (GTK_EDITABLE (asking->entry), "");
  gtk_widget_grab_focus (asking->entry);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  Asking *asking = g_object_get_data (G_OBJECT (dialog), "ow-asking");
  const char *password;

  if (g_strcmp0 (response, "log-in") != 0)
    return;
  password = gtk_editable_get_text (GTK_EDITABLE (asking->entry));
  if (*password == '\0')
    {
      gtk_widget_grab_focus (asking->entry);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (dialog), FALSE);
  ow_context_reauthenticate_async (asking->context, password, asking->cancellable,
                                   reauthenticated_cb, g_object_ref (dialog));
}

static void
entry_activated_cb (GtkWidget        *entry,
                    AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "log-in");
}

static void
dialog_destroyed_cb (GtkWidget *dialog,
                     GtkWindow *parent)
{
  if (g_object_get_data (G_OBJECT (parent), DIALOG_KEY) == dialog)
    g_object_set_data (G_OBJECT (parent), DIALOG_KEY, NULL);
}

void
ow_password_dialog_present (GtkWindow  *parent,
                            OwContext  *context,
                            const char *message)
{
  GtkWidget *dialog = g_object_get_data (G_OBJECT (parent), DIALOG_KEY);
  Asking *asking;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (OW_IS_CONTEXT (context));

  if (dialog != NULL)
    {
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), message);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  dialog = adw_message_dialog_new (parent, _("Log In Again"), message);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Later"),
                                    "log-in", _("_Log In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "log-in",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "log-in");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");

  asking = g_new0 (Asking, 1);
  asking->parent = parent;
  asking->context = g_object_ref (context);
  asking->cancellable = g_cancellable_new ();
  asking->entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (asking->entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (asking->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"), -1);
  g_signal_connect (asking->entry, "activate", G_CALLBACK (entry_activated_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), asking->entry);
  g_object_set_data_full (G_OBJECT (dialog), "ow-asking", asking, (GDestroyNotify) asking_free);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), NULL);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), parent, 0);

  g_object_set_data (G_OBJECT (parent), DIALOG_KEY, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (asking->entry);
}
