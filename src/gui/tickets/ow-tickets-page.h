/* ow-tickets-page.h — the hall's unfinished business (未办成事): list, filters, one ticket
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gui/shell/ow-context.h"
#include "gui/tickets/ow-ticket-view.h"

G_BEGIN_DECLS

#define OW_TYPE_TICKETS_PAGE (ow_tickets_page_get_type ())
G_DECLARE_FINAL_TYPE (OwTicketsPage, ow_tickets_page, OW, TICKETS_PAGE, AdwBin)

/* The filters of the "Show" list, in its order. */
typedef enum
{
  OW_TICKETS_FILTER_ALL,
  OW_TICKETS_FILTER_OPEN,
  OW_TICKETS_FILTER_OVERDUE,
  OW_TICKETS_FILTER_MINE,
  OW_TICKETS_FILTER_MY_HALL,
} OwTicketsFilter;

/* Lists the tickets kept in the store of @context (NULL: none, after logging out), and lists
 * them again whenever the sync engine saved some or the outbox changed. */
void          ow_tickets_page_set_context (OwTicketsPage *self,
                                           OwContext     *context);
void          ow_tickets_page_refresh     (OwTicketsPage *self);
/* Whether the last listing finished (and no newer one is under way). */
gboolean      ow_tickets_page_get_loaded  (OwTicketsPage *self);
guint         ow_tickets_page_get_n_rows  (OwTicketsPage *self);
/* Selects ticket @id's row, if it is listed, and shows it. */
gboolean      ow_tickets_page_select      (OwTicketsPage *self,
                                           const char    *id);
OwTicketView *ow_tickets_page_get_view    (OwTicketsPage *self);

G_END_DECLS
