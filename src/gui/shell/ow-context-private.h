/* ow-context-private.h — what the context's files share: the object and its internal steps
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The context is split by concern: ow-context.c (opening, properties, devices),
 * ow-context-catalog.c (the catalog, its search index and the calendar, kept and brought up
 * to date) and ow-context-session.c (logging in, online or offline, and the link).
 */
#pragma once

#include "gui/shell/ow-context.h"
#include "net/ow-catalog-keeper.h"

G_BEGIN_DECLS

struct _OwContext
{
  GObject parent_instance;

  GSettings *settings;
  char *platform_uri;
  char *store_path;
  char *scanner_override;
  char *printer_override;

  OwStore *store;
  OwClient *client;
  GError *client_error;   /* why the client could not be made (an insecure URI …) */
  GError *open_error;
  OwSync *sync;
  OwSession *session;
  OwLink *link;
  OwCatalogKeeper *keeper;
  OwScanner *scanner;
  OwPrinter *printer;
  OwCatalog *catalog;
  char *catalog_stamp;
  OwItemIndex *index;
  OwCalendar *calendar;
  OwDirectory *directory;      /* the hall's people, to name them */
  GPtrArray *kept_years;       /* OwStoreCalendarYear read at start, applied over the shipped */
  GHashTable *calendar_etags;  /* year → the ETag of the calendar kept of it, or NULL */

  char *scanner_name;
  char *printer_name;
  gboolean online;
  gboolean ready;
  gboolean opening;
  gboolean documents_prepared;

  gboolean updating_catalog;   /* an update of the kept catalog is under way … */
  gboolean update_again;       /* … and another was asked for meanwhile */
  GPtrArray *catalog_waiters;  /* GTask: log-ins waiting for a first catalog */
  gboolean reconnecting;

  /* Device discovery and the background updates outlive no window: a cancellable of their
   * own, cancelled on dispose. */
  GCancellable *cancellable;
};

enum
{
  OW_CONTEXT_PROP_0,
  OW_CONTEXT_PROP_READY,
  OW_CONTEXT_PROP_ONLINE,
  OW_CONTEXT_PROP_LINK_STATE,
  OW_CONTEXT_PROP_USER,
  OW_CONTEXT_PROP_SESSION_MODE,
  OW_CONTEXT_PROP_CATALOG,
  OW_CONTEXT_PROP_ITEM_INDEX,
  OW_CONTEXT_PROP_SCANNER_NAME,
  OW_CONTEXT_PROP_PRINTER_NAME,
  OW_CONTEXT_N_PROPS
};

enum
{
  OW_CONTEXT_PASSWORD_NEEDED,
  OW_CONTEXT_LOGGED_OUT,
  OW_CONTEXT_N_SIGNALS
};

extern GParamSpec *ow_context_properties[OW_CONTEXT_N_PROPS];
extern guint ow_context_signals[OW_CONTEXT_N_SIGNALS];

/* ow-context-catalog.c */
/* What a start reads of the store before anything else needs it: the kept catalog, its search
 * index as kept beside it (NULL when none matches: then it is built and follows) and the
 * calendar years (into kept_years, for ow_context_apply_kept_calendar()). */
typedef struct
{
  OwCatalog   *catalog;
  char        *stamp;
  OwItemIndex *index;
  GPtrArray   *years;          /* OwStoreCalendarYear */
  GError      *catalog_error;
  GError      *years_error;
} OwContextKept;

/* Blocking, for a worker thread. */
void     ow_context_read_kept            (OwContextKept   *kept,
                                          OwStore         *store,
                                          OwCatalogKeeper *keeper);
void     ow_context_kept_clear           (OwContextKept   *kept);
/* On the main thread: the catalog (and its index) and the calendar years become the context's. */
void     ow_context_take_kept            (OwContext       *self,
                                          OwContextKept   *kept);
void     ow_context_apply_kept_calendar  (OwContext    *self);
/* Brings the kept catalog up to date from the platform, in the background; @waiter, when not
 * NULL, is a GTask returned (TRUE, or the error) once a catalog is there. */
void     ow_context_update_catalog       (OwContext    *self,
                                          GTask        *waiter);
/* Fetches this year's and next year's calendar, applies and keeps them. */
void     ow_context_update_calendar      (OwContext    *self);
void     ow_context_catalog_dispose      (OwContext    *self);

/* ow-context-session.c */
void     ow_context_session_init         (OwContext    *self);
void     ow_context_sync_published_cb    (OwSync       *sync,
                                          GStrv         kinds,
                                          OwContext    *self);

G_END_DECLS
