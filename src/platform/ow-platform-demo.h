/* ow-platform-demo.h — demo data for the reference platform: catalog, calendar, users
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "platform/ow-platform-db.h"

G_BEGIN_DECLS

#define OW_DEMO_HALL      "46010001"
#define OW_DEMO_HALL_NAME "海口市政务服务中心"
#define OW_DEMO_PASSWORD  "demo"

/* Loads catalog.json and cn-holidays.tsv from @data_dir into @db and adds the demo users.
 * Idempotent: seeding the same database again adds nothing, and a changed catalog.json becomes a
 * new revision. */
gboolean ow_platform_demo_seed          (OwPlatformDb  *db,
                                         const char    *data_dir,
                                         GError       **error);

/* Loads only the catalog (also used without --demo when a data directory has one). */
gboolean ow_platform_demo_seed_catalog  (OwPlatformDb  *db,
                                         const char    *data_dir,
                                         GError       **error);
/* Loads the catalog file at @path (the admin CLI's import-catalog): a new revision unless it is
 * the newest already; @revision is the newest revision afterwards. */
gboolean ow_platform_demo_import_catalog (OwPlatformDb  *db,
                                          const char    *path,
                                          gint64        *revision,
                                          GError       **error);
gboolean ow_platform_demo_seed_calendar (OwPlatformDb  *db,
                                         const char    *data_dir,
                                         GError       **error);

/* The demo hall's last weeks (ow-platform-demo-history.c): two more clerks, cases received at
 * three counters through every channel and moved on by the departments up to the platform's
 * today, ratings of those handed over and follow-ups of some poor ones. Always the same for the
 * same today; does nothing when the demo hall has cases already. Needs the demo catalog. */
gboolean ow_platform_demo_seed_history  (OwPlatformDb  *db,
                                         GError       **error);

/* One line per demo user, for the console. */
char    *ow_platform_demo_describe_users (void);

G_END_DECLS
