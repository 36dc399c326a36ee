/* ow-context.c — what the application's windows share: settings, store, client, sync, devices
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>

#include "gui/shell/ow-context-private.h"

#include "core/ow-clock.h"
#include "documents/ow-document-fonts.h"

G_DEFINE_FINAL_TYPE (OwContext, ow_context, G_TYPE_OBJECT)

GParamSpec *ow_context_properties[OW_CONTEXT_N_PROPS];
guint ow_context_signals[OW_CONTEXT_N_SIGNALS];

#define properties ow_context_properties
#define PROP_READY OW_CONTEXT_PROP_READY
#define PROP_ONLINE OW_CONTEXT_PROP_ONLINE
#define PROP_USER OW_CONTEXT_PROP_USER
#define PROP_CATALOG OW_CONTEXT_PROP_CATALOG
#define PROP_SCANNER_NAME OW_CONTEXT_PROP_SCANNER_NAME
#define PROP_PRINTER_NAME OW_CONTEXT_PROP_PRINTER_NAME

static void
set_string_prop (OwContext  *self,
                 char      **field,
                 const char *value,
                 GParamSpec *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* A setting overridden on the command line wins; an empty string means "not set". */
static char *
dup_setting (OwContext  *self,
             const char *override,
             const char *key)
{
  g_autofree char *value = NULL;

  if (override != NULL && *override != '\0')
    return g_strdup (override);
  value = g_settings_get_string (self->settings, key);
  if (value == NULL || *value == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

static char *
dup_default_store_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "onewindow", "onewindow.db", NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Devices: found in the background, shown in the status area when known. */

static void
scanner_devices_listed_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(OwContext) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;

  devices = ow_scanner_list_devices_finish (OW_SCANNER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (devices == NULL)
    {
      g_message ("No scanner: %s", error->message);
      return;
    }
  if (devices->len > 0)
    {
      OwScanDevice *device = g_ptr_array_index (devices, 0);
      set_string_prop (self, &self->scanner_name, device->name, properties[PROP_SCANNER_NAME]);
    }
}

static void
printers_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OwContext) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) printers = NULL;

  printers = ow_printer_list_finish (OW_PRINTER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (printers == NULL)
    {
      g_message ("No printer: %s", error->message);
      return;
    }
  for (guint i = 0; i < printers->len; i++)
    {
      OwPrinterInfo *info = g_ptr_array_index (printers, i);
      if (info->is_default)
        {
          set_string_prop (self, &self->printer_name, info->name, properties[PROP_PRINTER_NAME]);
          return;
        }
    }
}

static void
discover_devices (OwContext *self)
{
  g_autofree char *scanner = dup_setting (self, self->scanner_override, "scanner-device");
  g_autofree char *printer = dup_setting (self, self->printer_override, "notice-printer");

  if (scanner != NULL)
    set_string_prop (self, &self->scanner_name, scanner, properties[PROP_SCANNER_NAME]);
  else
    ow_scanner_list_devices_async (self->scanner, self->cancellable, scanner_devices_listed_cb,
                                   g_object_ref (self));

  if (printer != NULL)
    set_string_prop (self, &self->printer_name, printer, properties[PROP_PRINTER_NAME]);
  else
    ow_printer_list_async (self->printer, self->cancellable, printers_listed_cb,
                           g_object_ref (self));
}

/* ---------------------------------------------------------------------------------------- */
/* Opening */

static GFile *
find_national_calendar (void)
{
  g_autofree char *installed = g_build_filename (PKGDATADIR, "cn-holidays.tsv", NULL);
  g_autofree char *source = g_build_filename (SOURCE_DATADIR, "cn-holidays.tsv", NULL);

  /* Prefer the installed copy; the source tree serves an uninstalled build. */
  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_file_new_for_path (installed);
  return g_file_new_for_path (source);
}

/* What the worker of the start reads: the store, and what it keeps that a counter shows before
 * anything answers. */
typedef struct
{
  OwStore         *store;
  OwCatalogKeeper *keeper;
  OwContextKept    kept;
  char            *national;       /* the shipped holiday schedule, or NULL … */
  gsize            national_length;
  GError          *national_error; /* … with why */
} Opened;

static void
opened_free (Opened *opened)
{
  g_clear_object (&opened->store);
  g_clear_object (&opened->keeper);
  ow_context_kept_clear (&opened->kept);
  g_free (opened->national);
  g_clear_error (&opened->national_error);
  g_free (opened);
}

/* One worker from the store's opening to the search index read back, started before GTK is:
 * the window's first frame and the kept catalog's search come up side by side, and none of
 * the steps waits for the main loop to hand it on. */
static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OwContext *self = source_object;
  Opened *opened = g_new0 (Opened, 1);
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;

  opened->store = ow_store_open (self->store_path, &error);
  if (opened->store == NULL)
    {
      opened_free (opened);
      g_task_return_error (task, error);
      return;
    }
  /* The client is the context's from its construction on, never changed. */
  opened->keeper = ow_catalog_keeper_new (opened->store, self->client);
  if (!g_cancellable_is_cancelled (cancellable))
    ow_context_read_kept (&opened->kept, opened->store, opened->keeper);
  file = find_national_calendar ();
  g_file_load_contents (file, cancellable, &opened->national, &opened->national_length, NULL,
                        &opened->national_error);
  g_task_return_pointer (task, opened, (GDestroyNotify) opened_free);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  Opened *opened;

  self->opening = FALSE;
  opened = g_task_propagate_pointer (G_TASK (result), &error);
  if (opened == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_prefix_error (&error, _("Cannot open the local database %s: "), self->store_path);
          self->open_error = g_error_copy (error);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->store = g_steal_pointer (&opened->store);
  self->keeper = g_steal_pointer (&opened->keeper);
  if (self->client != NULL)
    {
      self->sync = ow_sync_new (self->store, self->client);
      g_signal_connect_object (self->sync, "published",
                               G_CALLBACK (ow_context_sync_published_cb), self, 0);
      /* Whatever an earlier session left in the outbox goes out as soon as possible. */
      ow_sync_start (self->sync);
      ow_context_session_init (self);
    }

  /* What the platform published, as kept: the counter shows it before anything answers. */
  ow_context_take_kept (self, &opened->kept);

  /* Not fatal: the platform's calendar comes after log-in; until then every year counts as
   * provisional and the clerk is told so. */
  if (opened->national_error != NULL)
    g_warning ("Cannot read the national holiday schedule: %s", opened->national_error->message);
  else if (!ow_calendar_load_national (self->calendar, opened->national,
                                       opened->national_length, &error))
    g_warning ("Cannot read the national holiday schedule: %s", error->message);
  opened_free (opened);
  /* The platform's days as kept, over the shipped schedule. */
  ow_context_apply_kept_calendar (self);

  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  discover_devices (self);
  if (self->link != NULL)
    ow_link_start (self->link);
  g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_context_dispose (GObject *object)
{
  OwContext *self = OW_CONTEXT (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sync != NULL)
    ow_sync_stop (self->sync);
  if (self->link != NULL)
    ow_link_stop (self->link);
  ow_context_catalog_dispose (self);
  g_clear_object (&self->sync);
  g_clear_object (&self->link);
  g_clear_object (&self->session);
  g_clear_object (&self->keeper);
  g_clear_object (&self->directory);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->scanner);
  g_clear_object (&self->printer);
  g_clear_object (&self->calendar);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_context_parent_class)->dispose (object);
}

static void
ow_context_finalize (GObject *object)
{
  OwContext *self = OW_CONTEXT (object);

  g_clear_error (&self->client_error);
  g_clear_error (&self->open_error);
  g_free (self->platform_uri);
  g_free (self->store_path);
  g_free (self->scanner_override);
  g_free (self->printer_override);
  g_free (self->scanner_name);
  g_free (self->printer_name);

  G_OBJECT_CLASS (ow_context_parent_class)->finalize (object);
}

static void
ow_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  OwContext *self = OW_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case OW_CONTEXT_PROP_LINK_STATE:
      g_value_set_uint (value, ow_context_get_link_state (self));
      break;
    case PROP_USER:
      g_value_set_pointer (value, (gpointer) ow_context_get_user (self));
      break;
    case OW_CONTEXT_PROP_SESSION_MODE:
      g_value_set_uint (value, ow_context_get_session_mode (self));
      break;
    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;
    case OW_CONTEXT_PROP_ITEM_INDEX:
      g_value_set_object (value, self->index);
      break;
    case PROP_SCANNER_NAME:
      g_value_set_string (value, self->scanner_name);
      break;
    case PROP_PRINTER_NAME:
      g_value_set_string (value, self->printer_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_context_class_init (OwContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_context_dispose;
  object_class->finalize = ow_context_finalize;
  object_class->get_property = ow_context_get_property;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[OW_CONTEXT_PROP_LINK_STATE] =
    g_param_spec_uint ("link-state", NULL, NULL, OW_LINK_NOT_CONNECTED, OW_LINK_OFFLINE,
                       OW_LINK_NOT_CONNECTED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USER] =
    g_param_spec_pointer ("user", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[OW_CONTEXT_PROP_SESSION_MODE] =
    g_param_spec_uint ("session-mode", NULL, NULL, OW_SESSION_LOGGED_OUT, OW_SESSION_OFFLINE,
                       OW_SESSION_LOGGED_OUT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, OW_TYPE_CATALOG,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[OW_CONTEXT_PROP_ITEM_INDEX] =
    g_param_spec_object ("item-index", NULL, NULL, OW_TYPE_ITEM_INDEX,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SCANNER_NAME] =
    g_param_spec_string ("scanner-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRINTER_NAME] =
    g_param_spec_string ("printer-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, OW_CONTEXT_N_PROPS, properties);

  /**
   * OwContext::password-needed:
   * @context: the context
   * @message: what to tell the clerk
   *
   * The platform answers again after an offline log-in, or its session ended, and it wants the
   * clerk's password before the waiting changes can go: ask for it and pass it to
   * ow_context_reauthenticate_async(). Work goes on meanwhile.
   */
  ow_context_signals[OW_CONTEXT_PASSWORD_NEEDED] =
    g_signal_new ("password-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * OwContext::logged-out:
   * @context: the context
   * @reason: what to tell the clerk
   *
   * The session ended without the clerk asking: the platform disabled the account.
   */
  ow_context_signals[OW_CONTEXT_LOGGED_OUT] =
    g_signal_new ("logged-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ow_context_init (OwContext *self)
{
  self->cancellable = g_cancellable_new ();
  self->calendar = ow_calendar_new ();
  self->catalog_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->scanner = ow_scanner_new ();
  self->printer = ow_printer_new ();
}

/* ---------------------------------------------------------------------------------------- */

OwContext *
ow_context_new (GSettings  *settings,
                const char *platform_uri,
                const char *store_path,
                const char *scanner_device,
                const char *notice_printer)
{
  OwContext *self = g_object_new (OW_TYPE_CONTEXT, NULL);
  g_autofree char *ca_file = NULL;

  self->settings = settings != NULL ? g_object_ref (settings) : g_settings_new (APPLICATION_ID);
  self->scanner_override = g_strdup (scanner_device);
  self->printer_override = g_strdup (notice_printer);
  self->store_path = store_path != NULL && *store_path != '\0' ? g_strdup (store_path)
                                                               : dup_default_store_path ();
  self->platform_uri = dup_setting (self, platform_uri, "platform-uri");
  if (self->platform_uri == NULL)
    self->platform_uri = g_strdup ("http://127.0.0.1:8470/");

  ca_file = dup_setting (self, NULL, "ca-file");
  self->client = ow_client_new (self->platform_uri, ca_file, &self->client_error);
  self->directory = ow_directory_new (self->client);

  return self;
}

/* The first document of a machine cuts the fonts it prints with (a second or so); done while
 * the clerk logs in, the first notice prints as fast as the others. Not before the window's
 * first frame: fontconfig's start would take a core from GTK's. */
static void
prepare_document_fonts_thread (GTask        *task,
                               gpointer      source_object,
                               gpointer      task_data,
                               GCancellable *cancellable)
{
  ow_document_fonts_acquire ();
  ow_document_fonts_release ();
  g_task_return_boolean (task, TRUE);
}

static void
prepare_document_fonts (void)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, prepare_document_fonts);
  g_task_run_in_thread (task, prepare_document_fonts_thread);
}

void
ow_context_open_async (OwContext          *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OW_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ow_context_open_async);

  if (self->ready || self->opening)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The context is already open or opening");
      return;
    }
  self->opening = TRUE;

  /* SQLite creates the file, not its folder. Creating a folder is quick local I/O, done here
   * once at start-up before any window shows. */
  dir = g_path_get_dirname (self->store_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      self->opening = FALSE;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot create the folder %s: %s"), dir,
                               g_strerror (saved_errno));
      return;
    }

  {
    GTask *open = g_task_new (self, cancellable, opened_cb, g_steal_pointer (&task));

    g_task_set_source_tag (open, open_thread);
    g_task_run_in_thread (open, open_thread);
    g_object_unref (open);
  }
}

gboolean
ow_context_open_finish (OwContext    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ow_context_prepare_documents (OwContext *self)
{
  g_return_if_fail (OW_IS_CONTEXT (self));

  if (self->documents_prepared)
    return;
  self->documents_prepared = TRUE;
  prepare_document_fonts ();
}

gboolean
ow_context_is_ready (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), FALSE);
  return self->ready;
}

const GError *
ow_context_get_open_error (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->open_error;
}

GSettings *
ow_context_get_settings (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->settings;
}

const char *
ow_context_get_platform_uri (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->platform_uri;
}

OwStore *
ow_context_get_store (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->store;
}

OwClient *
ow_context_get_client (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->client;
}

OwSync *
ow_context_get_sync (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->sync;
}

OwScanner *
ow_context_get_scanner (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->scanner;
}

OwPrinter *
ow_context_get_printer (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->printer;
}

OwCatalog *
ow_context_get_catalog (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->catalog;
}

OwCalendar *
ow_context_get_calendar (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->calendar;
}

OwDirectory *
ow_context_get_directory (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->directory;
}

char *
ow_context_describe_user (OwContext  *self,
                          const char *username)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);
  return ow_directory_describe (self->directory, username);
}

OwItemIndex *
ow_context_get_item_index (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->index;
}

const char *
ow_context_get_scanner_name (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->scanner_name;
}

const char *
ow_context_get_printer_name (OwContext *self)
{
  g_return_val_if_fail (OW_IS_CONTEXT (self), NULL);
  return self->printer_name;
}

void
ow_context_set_scanner_name (OwContext  *self,
                             const char *name)
{
  g_return_if_fail (OW_IS_CONTEXT (self));
  g_return_if_fail (name != NULL && *name != '\0');

  set_string_prop (self, &self->scanner_name, name, properties[PROP_SCANNER_NAME]);
  g_settings_set_string (self->settings, "scanner-device", name);
}
