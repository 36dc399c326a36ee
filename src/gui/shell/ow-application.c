/* ow-application.c — the OneWindow application: options, actions, the shared context
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gui/shell/ow-accessible.h"
#include "gui/shell/ow-application.h"
#include "gui/shell/ow-window.h"

struct _OwApplication
{
  AdwApplication parent_instance;

  char *platform_uri;
  char *store_path;
  char *scanner_device;
  char *notice_printer;

  OwContext *context;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OwApplication, ow_application, ADW_TYPE_APPLICATION)

/* g_set_str() needs GLib 2.76. */
static void
replace_string (char       **field,
                const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static void
context_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OwApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ow_context_open_finish (OW_CONTEXT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The log-in page shows it to the clerk; the log keeps it for support. */
      g_warning ("%s", error->message);
    }
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Closed, not dropped: each window saves what is typed on its way out, and the application
   * ends when the last one has gone and those writes are done. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The OneWindow developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-icon", APPLICATION_ID,
                        "application-name", _("OneWindow"),
                        "developer-name", _("The OneWindow developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Comprehensive acceptance at the counters of a government "
                                      "service hall"),
                        "website", "https://github.com/onewindow/onewindow",
                        "copyright", "© 2026 The OneWindow developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* GtkApplicationWindow loads gtk/help-overlay.ui from the resource base path and offers it as
   * win.show-help-overlay, on Ctrl+? already; the app action makes it reachable from the menu. */
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "about", .activate = about_activated },
  { .name = "shortcuts", .activate = shortcuts_activated },
};

static int
ow_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  OwApplication *self = OW_APPLICATION (app);
  const char *platform = NULL, *store = NULL, *scanner = NULL, *printer = NULL;

  g_variant_dict_lookup (options, "platform", "&s", &platform);
  g_variant_dict_lookup (options, "store", "^&ay", &store);
  g_variant_dict_lookup (options, "scanner", "&s", &scanner);
  g_variant_dict_lookup (options, "printer", "&s", &printer);
  ow_application_configure (self, platform, store, scanner, printer);

  return G_APPLICATION_CLASS (ow_application_parent_class)->handle_local_options (app, options);
}

static void
ow_application_startup (GApplication *app)
{
  OwApplication *self = OW_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  g_autoptr(GtkCssProvider) css = NULL;

  /* The store first, in a worker, while GTK starts: reading the kept catalog and its search
   * index back needs nothing of GTK and is done before the first frame (50,000 items: 0.12 s,
   * GTK 0.3 s to the first frame). */
  self->context = ow_context_new (NULL, self->platform_uri, self->store_path,
                                  self->scanner_device, self->notice_printer);
  ow_context_open_async (self->context, self->cancellable, context_opened_cb,
                         g_object_ref (self));

  G_APPLICATION_CLASS (ow_application_parent_class)->startup (app);
  /* Before the first window: every widget is named as a screen reader should say it. */
  ow_accessible_install ();

  /* Idle means idle: GTK 4.8 fades a focused entry's cursor in and out, redrawing the window
   * every frame for ten seconds after each keystroke; at a counter, where someone types all day
   * on a PC that draws in software, that is most of a core. A steady cursor draws once. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
ow_application_shutdown (GApplication *app)
{
  OwApplication *self = OW_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->context);

  G_APPLICATION_CLASS (ow_application_parent_class)->shutdown (app);
}

static void
ow_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ow_window_new (OW_APPLICATION (app)));
  gtk_window_present (window);
}

static void
ow_application_finalize (GObject *object)
{
  OwApplication *self = OW_APPLICATION (object);

  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_free (self->platform_uri);
  g_free (self->store_path);
  g_free (self->scanner_device);
  g_free (self->notice_printer);

  G_OBJECT_CLASS (ow_application_parent_class)->finalize (object);
}

static void
ow_application_class_init (OwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ow_application_finalize;
  app_class->handle_local_options = ow_application_handle_local_options;
  app_class->startup = ow_application_startup;
  app_class->shutdown = ow_application_shutdown;
  app_class->activate = ow_application_activate;
}

static void
ow_application_init (OwApplication *self)
{
  static const GOptionEntry entries[] = {
    { "platform", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Address of the central platform"), N_("URI") },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("The workstation's database file"), N_("PATH") },
    { "scanner", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("SANE device name of the scanner"), N_("DEVICE") },
    { "printer", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("CUPS destination or ipp:// URI for notices"), N_("PRINTER") },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

OwApplication *
ow_application_new (void)
{
  return g_object_new (OW_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       /* The same resources serve the .Devel id. */
                       "resource-base-path", "/io/github/onewindow/OneWindow",
                       NULL);
}

void
ow_application_configure (OwApplication *self,
                          const char    *platform_uri,
                          const char    *store_path,
                          const char    *scanner_device,
                          const char    *notice_printer)
{
  g_return_if_fail (OW_IS_APPLICATION (self));
  g_return_if_fail (self->context == NULL);

  replace_string (&self->platform_uri, platform_uri);
  replace_string (&self->store_path, store_path);
  replace_string (&self->scanner_device, scanner_device);
  replace_string (&self->notice_printer, notice_printer);
}

OwContext *
ow_application_get_context (OwApplication *self)
{
  g_return_val_if_fail (OW_IS_APPLICATION (self), NULL);
  return self->context;
}
