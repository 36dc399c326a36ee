/* ow-platform-sqlite.c — the reference platform's storage on SQLite: one hall, one process
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file in WAL mode. Write transactions are BEGIN IMMEDIATE: a second process on the same file
 * (the admin CLI) waits its turn, and the feed's seqs are in commit order by construction.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-item.h"
#include "core/ow-reform.h"
#include "platform/ow-platform-sqlite-private.h"

static const char *schema_v1[] = {
  "CREATE TABLE users ("
  "  username TEXT PRIMARY KEY NOT NULL,"
  "  display_name TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  roles TEXT NOT NULL,"
  "  hall TEXT NOT NULL,"
  "  hall_name TEXT NOT NULL,"
  "  counter INTEGER NOT NULL DEFAULT 0)",
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY NOT NULL,"
  "  username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,"
  "  expires_at INTEGER NOT NULL)",
  "CREATE TABLE catalog_revisions ("
  "  revision INTEGER PRIMARY KEY NOT NULL,"
  "  body TEXT NOT NULL,"
  "  source TEXT NOT NULL)",
  "CREATE TABLE calendar_days ("
  "  hall TEXT NOT NULL,"
  "  date TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),"
  "  name TEXT NOT NULL,"
  "  PRIMARY KEY (hall, date))",
  "CREATE TABLE calendar_years ("
  "  year INTEGER PRIMARY KEY NOT NULL)",
  "CREATE TABLE cases ("
  "  case_no TEXT PRIMARY KEY NOT NULL,"
  "  body TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL)",
  NULL
};

/* Version 2: files, case events, tickets, ratings and the changes feed; cases gain the columns
 * the list filters on and the feed position (change_seq) the list pages by. */
static const char *schema_v2[] = {
  "ALTER TABLE cases ADD COLUMN hall TEXT NOT NULL DEFAULT ''",
  "ALTER TABLE cases ADD COLUMN counter INTEGER NOT NULL DEFAULT 0",
  "ALTER TABLE cases ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0",
  "UPDATE cases SET hall = coalesce(json_extract(body, '$.hall'), ''),"
  "  counter = coalesce(json_extract(body, '$.counter'), 0)",
  "CREATE INDEX cases_change_seq ON cases (change_seq)",
  "CREATE INDEX cases_state ON cases (state, updated_at)",
  "CREATE TABLE changes ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  at INTEGER NOT NULL)",
  "CREATE TABLE files ("
  "  sha256 TEXT PRIMARY KEY NOT NULL,"
  "  content_type TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  data BLOB NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL)",
  "CREATE TABLE case_events ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  case_no TEXT NOT NULL REFERENCES cases (case_no),"
  "  kind TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL)",
  "CREATE INDEX case_events_case ON case_events (case_no)",
  "CREATE TABLE tickets ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  body TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  assignee TEXT,"
  "  due_date TEXT,"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL)",
  "CREATE TABLE ticket_events ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  ticket_id TEXT NOT NULL REFERENCES tickets (id),"
  "  kind TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL)",
  "CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id)",
  "CREATE TABLE ratings ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  case_no TEXT NOT NULL REFERENCES cases (case_no),"
  "  channel TEXT NOT NULL,"
  "  level INTEGER NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL)",
  /* One on-site rating per case: the rating pad is offered once, at the counter. */
  "CREATE UNIQUE INDEX ratings_on_site ON ratings (case_no) WHERE channel = 'on-site'",
  NULL
};

/* Version 3: overdue tickets are escalated once (escalated_at, a time on the platform's clock),
 * and a change may be addressed to a user or a role, so that GET /api/v1/changes?for=me tells
 * an assignee of their tickets and supervisors of escalations. */
static const char *schema_v3[] = {
  "ALTER TABLE tickets ADD COLUMN escalated_at INTEGER",
  "CREATE INDEX tickets_open_due ON tickets (state, due_date)",
  "ALTER TABLE changes ADD COLUMN user TEXT",
  "ALTER TABLE changes ADD COLUMN role TEXT",
  NULL
};

/* Version 4: case events may amend the case (a new promised date, the acceptance notice's
 * number, supplemented lines). The case as it stands goes to `amended`; `body` stays as first
 * PUT, which a resent PUT is compared with. */
static const char *schema_v4[] = {
  "ALTER TABLE cases ADD COLUMN amended TEXT",
  NULL
};

/* Version 5: a department user works for a department (the name the catalog's items give it),
 * which decides the cases and tickets they see; NULL for everyone else, and for department
 * users made before, until `onewindow-platform admin set-department` names theirs. */
static const char *schema_v5[] = {
  "ALTER TABLE users ADD COLUMN department TEXT",
  NULL
};

/* Version 6: failed log-ins per user name and client address, the lock they lead to
 * (ow-platform-sqlite-logins.c), and an audit log that nothing can change or delete. */
static const char *schema_v6[] = {
  "CREATE TABLE login_failures ("
  "  username TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  failures INTEGER NOT NULL,"
  "  last_failed_at INTEGER NOT NULL,"
  "  locked_at INTEGER,"
  "  PRIMARY KEY (username, address))",
  "CREATE INDEX login_failures_last ON login_failures (last_failed_at)",
  "CREATE TABLE audit_log ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  event TEXT NOT NULL,"
  "  subject TEXT NOT NULL,"
  "  address TEXT,"
  "  detail TEXT)",
  "CREATE TRIGGER audit_log_kept_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log cannot be changed'); END",
  "CREATE TRIGGER audit_log_kept_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log cannot be deleted from'); END",
  NULL
};

/* Version 7: the catalog item by item. Each revision keeps only the items it changed (their
 * canonical JSON) and marks those it dropped (body NULL), so that a delta is a query and a
 * province's catalog is never one string; catalog_revisions keeps each revision's header (the
 * catalog object without its items). An item keeps the place it first had (first revision,
 * then position in that file): items new in a revision come after the older ones, as the
 * counters, which apply deltas, have them. Revisions stored whole before are split here.
 * Users may be disabled: they no longer log in, and the counters revoke their offline log-in
 * when they are told so. */
static const char *schema_v7[] = {
  "CREATE TABLE catalog_entries ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  place INTEGER NOT NULL,"
  "  last_seen INTEGER NOT NULL)",
  "CREATE INDEX catalog_entries_place ON catalog_entries (place)",
  "CREATE TABLE catalog_versions ("
  "  id TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  body TEXT,"
  "  legal_limit INTEGER,"
  "  visits INTEGER,"
  "  PRIMARY KEY (id, revision))",
  "INSERT OR IGNORE INTO catalog_entries (id, place, last_seen) "
  "  SELECT json_extract (j.value, '$.id'), r.revision * 16777216 + j.key, r.revision "
  "  FROM catalog_revisions r, json_each (r.body, '$.items') j "
  "  WHERE json_extract (j.value, '$.id') IS NOT NULL ORDER BY r.revision, j.key",
  "INSERT OR IGNORE INTO catalog_versions (id, revision, body, legal_limit, visits) "
  "  SELECT json_extract (j.value, '$.id'), r.revision, j.value,"
  "    json_extract (j.value, '$.legal_limit'), json_extract (j.value, '$.visits') "
  "  FROM catalog_revisions r, json_each (r.body, '$.items') j "
  "  WHERE json_extract (j.value, '$.id') IS NOT NULL",
  /* What a revision no longer lists is removed in it. */
  "INSERT OR IGNORE INTO catalog_versions (id, revision, body) "
  "  SELECT e.id, r.revision, NULL FROM catalog_entries e, catalog_revisions r "
  "  WHERE e.place / 16777216 < r.revision AND NOT EXISTS (SELECT 1 FROM catalog_versions v "
  "    WHERE v.id = e.id AND v.revision = r.revision)",
  /* A version equal to the one before it is no change. */
  "DELETE FROM catalog_versions WHERE body IS (SELECT p.body FROM catalog_versions p "
  "  WHERE p.id = catalog_versions.id AND p.revision < catalog_versions.revision "
  "  ORDER BY p.revision DESC LIMIT 1) "
  "  AND EXISTS (SELECT 1 FROM catalog_versions p WHERE p.id = catalog_versions.id "
  "    AND p.revision < catalog_versions.revision)",
  "UPDATE catalog_entries SET last_seen = coalesce ((SELECT max (revision) FROM catalog_versions "
  "  WHERE id = catalog_entries.id AND body IS NOT NULL), last_seen)",
  "UPDATE catalog_revisions SET body = json_remove (body, '$.items')",
  "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0",
  NULL
};

/* Version 8: the supervisor's overview. Cases gain the columns its lists filter, sort and count
 * on (derived from the body as PUT, the promised date from the case as amended); their items a
 * table of their own (a case may name several) with the case's hall, day of receipt and channel
 * copied (none of which changes after the PUT); the catalog's versions their department and type
 * (from the body, as legal_limit and visits are), so that the reform's indicators count the
 * catalog as it is kept, item by item, without reading each body. For the reform's usage each
 * case and item row says whether it took no trip (`zero_trip`, from the channel) and whether it
 * names a zero-trip "6+1" item as the catalog listed it when the case came in (`reform`;
 * `reform_first` on the first such row of each department of a case), so that the usage of any
 * period is a count over an index. Ratings gain their day in the hall and their case's hall,
 * counter and clerk, tickets the rating they follow up. reform_item_types and
 * zero_trip_channels are filled from core's definitions each time the database opens
 * (ow_item_type_is_reform(), ow_case_channel_is_zero_trip()), so that SQL and C cannot
 * disagree. */
static const char *schema_v8[] = {
  "CREATE TABLE reform_item_types (type TEXT PRIMARY KEY NOT NULL)",
  "CREATE TABLE zero_trip_channels (channel TEXT PRIMARY KEY NOT NULL)",
  "ALTER TABLE catalog_versions ADD COLUMN department TEXT",
  "ALTER TABLE catalog_versions ADD COLUMN type TEXT",
  "UPDATE catalog_versions SET department = json_extract(body, '$.department'), "
  "  type = json_extract(body, '$.type') WHERE body IS NOT NULL",
  /* The terms as of this version, for the backfill below; rewritten at every open. */
  "INSERT INTO reform_item_types (type) VALUES ('01'), ('05'), ('07'), ('08'), ('09'), ('10'), "
  "  ('20')",
  "INSERT INTO zero_trip_channels (channel) VALUES ('online'), ('mobile'), ('post')",
  "ALTER TABLE cases ADD COLUMN channel TEXT",
  "ALTER TABLE cases ADD COLUMN clerk TEXT",
  "ALTER TABLE cases ADD COLUMN received_at TEXT NOT NULL DEFAULT ''",
  "ALTER TABLE cases ADD COLUMN received_on TEXT NOT NULL DEFAULT ''",
  /* 9999-12-31 for a case without a promise, so that it sorts last on an index. */
  "ALTER TABLE cases ADD COLUMN promised_date TEXT NOT NULL DEFAULT '9999-12-31'",
  "ALTER TABLE cases ADD COLUMN applicant_name TEXT",
  "ALTER TABLE cases ADD COLUMN zero_trip INTEGER NOT NULL DEFAULT 0",
  "ALTER TABLE cases ADD COLUMN reform INTEGER NOT NULL DEFAULT 0",
  "UPDATE cases SET channel = json_extract(body, '$.channel'), "
  "  clerk = json_extract(body, '$.clerk'), "
  "  received_at = coalesce(json_extract(body, '$.received_at'), ''), "
  "  received_on = coalesce(date(json_extract(body, '$.received_at'), '+8 hours'), ''), "
  "  promised_date = coalesce(json_extract(coalesce(amended, body), '$.promised_date'), "
  "    '9999-12-31'), "
  "  applicant_name = json_extract(body, '$.applicant.name')",
  "UPDATE cases SET zero_trip = coalesce(channel, 'window') IN "
  "  (SELECT channel FROM zero_trip_channels)",
  "CREATE TABLE case_items ("
  "  case_no TEXT NOT NULL REFERENCES cases (case_no),"
  "  position INTEGER NOT NULL,"
  "  item_id TEXT,"
  "  name TEXT,"
  "  department TEXT,"
  "  hall TEXT NOT NULL,"
  "  received_on TEXT NOT NULL,"
  "  zero_trip INTEGER NOT NULL,"
  "  reform INTEGER NOT NULL DEFAULT 0,"
  "  reform_first INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (case_no, position))",
  "INSERT INTO case_items (case_no, position, item_id, name, department, hall, received_on, "
  "  zero_trip) SELECT c.case_no, j.key, json_extract(j.value, '$.item_id'), "
  "  json_extract(j.value, '$.name'), json_extract(j.value, '$.department'), c.hall, "
  "  c.received_on, c.zero_trip FROM cases c, json_each(c.body, '$.items') j",
  "UPDATE case_items SET reform = " OW_REFORM_ITEM ("case_items.item_id"),
  "UPDATE case_items SET reform_first = reform AND NOT EXISTS (SELECT 1 FROM case_items e "
  "  WHERE e.case_no = case_items.case_no AND e.position < case_items.position "
  "  AND e.reform AND e.department IS case_items.department)",
  "UPDATE cases SET reform = EXISTS (SELECT 1 FROM case_items i "
  "  WHERE i.case_no = cases.case_no AND i.reform)",
  /* Every column the filters read, so that counts never touch a case's row (its body is the
   * most of it). */
  "CREATE INDEX cases_hall_received ON cases (hall, received_on, state, counter, channel, clerk, "
  "  promised_date, updated_at, applicant_name, case_no)",
  "CREATE INDEX cases_hall_received_at ON cases (hall, received_at, case_no)",
  "CREATE INDEX cases_hall_promised ON cases (hall, promised_date, state, case_no)",
  "CREATE INDEX cases_hall_state_promised ON cases (hall, state, promised_date)",
  "CREATE INDEX cases_hall_usage ON cases (hall, reform, received_on, zero_trip)",
  "CREATE INDEX case_items_item ON case_items (item_id, case_no)",
  "CREATE INDEX case_items_department ON case_items (department, case_no)",
  "CREATE INDEX case_items_usage ON case_items (hall, reform_first, received_on, department, "
  "  zero_trip)",
  "ALTER TABLE ratings ADD COLUMN rated_on TEXT NOT NULL DEFAULT ''",
  "ALTER TABLE ratings ADD COLUMN hall TEXT NOT NULL DEFAULT ''",
  "ALTER TABLE ratings ADD COLUMN counter INTEGER NOT NULL DEFAULT 0",
  "ALTER TABLE ratings ADD COLUMN clerk TEXT",
  "UPDATE ratings SET rated_on = coalesce(date(json_extract(body, '$.at'), '+8 hours'), ''), "
  "  hall = (SELECT c.hall FROM cases c WHERE c.case_no = ratings.case_no), "
  "  counter = (SELECT c.counter FROM cases c WHERE c.case_no = ratings.case_no), "
  "  clerk = (SELECT c.clerk FROM cases c WHERE c.case_no = ratings.case_no)",
  "CREATE INDEX ratings_case ON ratings (case_no)",
  "CREATE INDEX ratings_hall_rated ON ratings (hall, rated_on, level, counter, clerk)",
  "ALTER TABLE tickets ADD COLUMN rating_id TEXT",
  "UPDATE tickets SET rating_id = json_extract(body, '$.rating_id')",
  "CREATE INDEX tickets_rating ON tickets (rating_id) WHERE rating_id IS NOT NULL",
  NULL
};

static const char **schemas[] = { schema_v1, schema_v2, schema_v3, schema_v4, schema_v5,
                                  schema_v6, schema_v7, schema_v8 };

/* Helpers ---------------------------------------------------------------------------------- */

gboolean
ow_platform_sqlite_set_sqlite_error (OwPlatformSqlite  *db,
                                     GError           **error,
                                     const char        *what)
{
  g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE, _("Database %s failed: %s"),
               what, sqlite3_errmsg (db->handle));
  return FALSE;
}

gboolean
ow_platform_sqlite_exec_sql (OwPlatformSqlite  *db,
                             const char        *sql,
                             GError           **error)
{
  char *message = NULL;

  if (sqlite3_exec (db->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE, _("Database error: %s"),
                   message != NULL ? message : sqlite3_errmsg (db->handle));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* A cached statement, reset and unbound, ready for binding. */
sqlite3_stmt *
ow_platform_sqlite_prepare (OwPlatformSqlite  *db,
                            const char        *sql,
                            GError           **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
          != SQLITE_OK)
        {
          ow_platform_sqlite_set_sqlite_error (db, error, "prepare");
          return NULL;
        }
      g_hash_table_insert (db->statements, (gpointer) sql, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

void
ow_platform_sqlite_bind_text (sqlite3_stmt *stmt,
                              int           index,
                              const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
ow_platform_sqlite_column_dup (sqlite3_stmt *stmt,
                               int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Runs a statement that returns no rows. */
gboolean
ow_platform_sqlite_step_done (OwPlatformSqlite  *db,
                              sqlite3_stmt      *stmt,
                              GError           **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "write");
  return TRUE;
}

static gboolean
read_version (OwPlatformSqlite  *db,
              int               *version,
              GError           **error)
{
  sqlite3_stmt *stmt;

  if ((stmt = ow_platform_sqlite_prepare (db, "PRAGMA user_version", error)) == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return ow_platform_sqlite_set_sqlite_error (db, error, "read of the schema version");
    }
  *version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (*version > OW_PLATFORM_DB_SCHEMA_VERSION)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_SCHEMA,
                   _("The database %s has schema version %d, newer than this platform’s %d: "
                     "run a newer onewindow-platform"),
                   db->path, *version, OW_PLATFORM_DB_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (OwPlatformSqlite  *db,
         GError           **error)
{
  int version;

  if (!read_version (db, &version, error))
    return FALSE;
  if (version == OW_PLATFORM_DB_SCHEMA_VERSION)
    return TRUE;

  if (!ow_platform_sqlite_exec_sql (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  /* Read again under the write lock: another process may have upgraded it meanwhile. */
  if (!read_version (db, &version, error))
    {
      ow_platform_sqlite_rollback_write (db);
      return FALSE;
    }
  /* Each version's steps in turn, from the one the file has: an older database is upgraded. */
  for (int v = version; v < OW_PLATFORM_DB_SCHEMA_VERSION; v++)
    for (guint i = 0; schemas[v][i] != NULL; i++)
      if (!ow_platform_sqlite_exec_sql (db, schemas[v][i], error))
        {
          ow_platform_sqlite_rollback_write (db);
          return FALSE;
        }
  /* PRAGMA takes no bound parameters; the value is a compile-time constant. */
  if (!ow_platform_sqlite_exec_sql (db, "PRAGMA user_version = "
                                    G_STRINGIFY (OW_PLATFORM_DB_SCHEMA_VERSION), error) ||
      !ow_platform_sqlite_exec_sql (db, "COMMIT", error))
    {
      ow_platform_sqlite_rollback_write (db);
      return FALSE;
    }
  return TRUE;
}

/* WAL mode, which needs the file to itself for a moment. Processes that open a new file at once
 * all ask for it together, and SQLite answers BUSY without waiting where waiting could
 * deadlock (a shared lock held while another asks for the exclusive one): try again, within
 * the busy timeout, instead of failing the start. */
static gboolean
switch_to_wal (OwPlatformSqlite  *db,
               GError           **error)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  int rc;

  while ((rc = sqlite3_exec (db->handle, "PRAGMA journal_mode = WAL", NULL, NULL, NULL))
         != SQLITE_OK)
    {
      if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        break;
      if (g_get_monotonic_time () > deadline)
        break;
      g_usleep (g_random_int_range (5000, 20000));
    }
  if (rc != SQLITE_OK)
    return ow_platform_sqlite_set_sqlite_error (db, error, "switch to WAL mode");
  return TRUE;
}

/* The reform's terms as core defines them, for the statistics' SQL to join. */
static gboolean
fill_reform_terms (OwPlatformSqlite  *db,
                   GError           **error)
{
  sqlite3_stmt *stmt;

  if (!ow_platform_sqlite_begin_write (db, error))
    return FALSE;
  if (!ow_platform_sqlite_exec_sql (db, "DELETE FROM reform_item_types", error) ||
      !ow_platform_sqlite_exec_sql (db, "DELETE FROM zero_trip_channels", error))
    goto fail;
  for (int type = 0; type < 100; type++)
    {
      g_autofree char *code = g_strdup_printf ("%02d", type);
      OwItemType item_type;

      if (!ow_item_type_from_code (code, &item_type) || !ow_item_type_is_reform (item_type))
        continue;
      if ((stmt = ow_platform_sqlite_prepare (db, "INSERT INTO reform_item_types (type) VALUES (?)",
                                          error)) == NULL)
        goto fail;
      ow_platform_sqlite_bind_text (stmt, 1, code);
      if (!ow_platform_sqlite_step_done (db, stmt, error))
        goto fail;
    }
  for (int channel = OW_CASE_CHANNEL_WINDOW; channel <= OW_CASE_CHANNEL_LAST; channel++)
    {
      if (!ow_case_channel_is_zero_trip ((OwCaseChannel) channel))
        continue;
      if ((stmt = ow_platform_sqlite_prepare (db, "INSERT INTO zero_trip_channels (channel) "
                                          "VALUES (?)", error)) == NULL)
        goto fail;
      ow_platform_sqlite_bind_text (stmt, 1, ow_case_channel_to_string ((OwCaseChannel) channel));
      if (!ow_platform_sqlite_step_done (db, stmt, error))
        goto fail;
    }
  return ow_platform_sqlite_commit_write (db, error);

fail:
  ow_platform_sqlite_rollback_write (db);
  return FALSE;
}

/* Users ------------------------------------------------------------------------------------ */

static OwPlatformUser *
user_from_row (sqlite3_stmt *stmt)
{
  OwPlatformUser *user = g_new0 (OwPlatformUser, 1);
  const char *roles = (const char *) sqlite3_column_text (stmt, 3);

  user->username = ow_platform_sqlite_column_dup (stmt, 0);
  user->display_name = ow_platform_sqlite_column_dup (stmt, 1);
  user->password_hash = ow_platform_sqlite_column_dup (stmt, 2);
  user->roles = g_strsplit (roles != NULL ? roles : "", ",", -1);
  user->hall = ow_platform_sqlite_column_dup (stmt, 4);
  user->hall_name = ow_platform_sqlite_column_dup (stmt, 5);
  user->counter = (guint) sqlite3_column_int (stmt, 6);
  user->department = ow_platform_sqlite_column_dup (stmt, 7);
  if (sqlite3_column_count (stmt) > 8)
    user->disabled = sqlite3_column_int (stmt, 8) != 0;
  return user;
}

/* Users and sessions ----------------------------------------------------------------------- */

static gboolean
ow_platform_sqlite_add_user (OwPlatformDb          *base,
                             const OwPlatformUser  *user,
                             gboolean              *added,
                             GError               **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autofree char *roles = g_strjoinv (",", user->roles);
  sqlite3_stmt *stmt;

  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT OR IGNORE INTO users (username, display_name, "
                                     "password_hash, roles, hall, hall_name, counter, department) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, user->username);
  ow_platform_sqlite_bind_text (stmt, 2, user->display_name);
  ow_platform_sqlite_bind_text (stmt, 3, user->password_hash);
  ow_platform_sqlite_bind_text (stmt, 4, roles);
  ow_platform_sqlite_bind_text (stmt, 5, user->hall);
  ow_platform_sqlite_bind_text (stmt, 6, user->hall_name);
  sqlite3_bind_int (stmt, 7, (int) user->counter);
  ow_platform_sqlite_bind_text (stmt, 8, user->department);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;
  if (added != NULL)
    *added = sqlite3_changes (db->handle) > 0;
  return TRUE;
}

static OwPlatformUser *
ow_platform_sqlite_lookup_user (OwPlatformDb  *base,
                                const char    *username,
                                GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  OwPlatformUser *user = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT username, display_name, password_hash, roles, hall, "
                                     "hall_name, counter, department, disabled FROM users "
                                     "WHERE username = ?", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, username);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = user_from_row (stmt);
  else if (rc != SQLITE_DONE)
    ow_platform_sqlite_set_sqlite_error (db, error, "read");
  sqlite3_reset (stmt);
  return user;
}

static gboolean
ow_platform_sqlite_set_user_disabled (OwPlatformDb  *base,
                                      const char    *username,
                                      gboolean       disabled,
                                      gboolean      *found,
                                      GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  *found = FALSE;
  stmt = ow_platform_sqlite_prepare (db, "UPDATE users SET disabled = ? WHERE username = ?",
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, disabled ? 1 : 0);
  ow_platform_sqlite_bind_text (stmt, 2, username);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;
  *found = sqlite3_changes (db->handle) > 0;
  if (!*found || !disabled)
    return TRUE;
  /* Whoever is logged in under the account is out at their next request. */
  stmt = ow_platform_sqlite_prepare (db, "DELETE FROM sessions WHERE username = ?", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, username);
  return ow_platform_sqlite_step_done (db, stmt, error);
}

static GPtrArray *
ow_platform_sqlite_list_users (OwPlatformDb  *base,
                               const char    *hall,
                               const char    *role,
                               GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) users = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT username, display_name, password_hash, roles, hall, "
                                     "hall_name, counter, department FROM users WHERE hall = ? "
                                     "AND disabled = 0 ORDER BY username",
                                     error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_user_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformUser *user = user_from_row (stmt);

      /* Roles are stored joined by commas: matched here rather than with LIKE patterns. */
      if (role == NULL || ow_platform_user_has_role (user, role))
        g_ptr_array_add (users, user);
      else
        ow_platform_user_free (user);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&users);
}

static gboolean
ow_platform_sqlite_set_user_department (OwPlatformDb  *base,
                                        const char    *username,
                                        const char    *department,
                                        gboolean      *found,
                                        GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  stmt = ow_platform_sqlite_prepare (db, "UPDATE users SET department = ? WHERE username = ?",
                                     error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, department);
  ow_platform_sqlite_bind_text (stmt, 2, username);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;
  if (found != NULL)
    *found = sqlite3_changes (db->handle) > 0;
  return TRUE;
}

static gboolean
ow_platform_sqlite_add_session (OwPlatformDb  *base,
                                const char    *token_hash,
                                const char    *username,
                                gint64         expires_at,
                                GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  /* Expired sessions are swept as new ones come, so the table does not grow without bound. */
  stmt = ow_platform_sqlite_prepare (db, "DELETE FROM sessions WHERE expires_at <= ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;

  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT INTO sessions (token_hash, username, expires_at) "
                                     "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, token_hash);
  ow_platform_sqlite_bind_text (stmt, 2, username);
  sqlite3_bind_int64 (stmt, 3, expires_at);
  return ow_platform_sqlite_step_done (db, stmt, error);
}

static OwPlatformUser *
ow_platform_sqlite_lookup_session (OwPlatformDb  *base,
                                   const char    *token_hash,
                                   gint64         now,
                                   GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  OwPlatformUser *user = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT u.username, u.display_name, u.password_hash, u.roles, "
                                     "u.hall, u.hall_name, u.counter, u.department FROM sessions s "
                                     "JOIN users u USING (username) "
                                     "WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
                                     error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = user_from_row (stmt);
  else if (rc != SQLITE_DONE)
    ow_platform_sqlite_set_sqlite_error (db, error, "read");
  sqlite3_reset (stmt);
  return user;
}

static gboolean
ow_platform_sqlite_delete_session (OwPlatformDb  *base,
                                   const char    *token_hash,
                                   GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db,
                                                   "DELETE FROM sessions WHERE token_hash = "
                                                   "?", error);

  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, token_hash);
  return ow_platform_sqlite_step_done (db, stmt, error);
}

/* Calendar --------------------------------------------------------------------------------- */

static gboolean
ow_platform_sqlite_set_day (OwPlatformDb  *base,
                            const char    *hall,
                            const char    *date,
                            const char    *kind,
                            const char    *name,
                            gboolean      *changed,
                            GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt;

  /* An unchanged day is not written, so that seeding again tells what really changed. */
  stmt = ow_platform_sqlite_prepare (db,
                                     "INSERT INTO calendar_days (hall, date, kind, name) VALUES "
                                     "(?, ?, ?, ?) ON CONFLICT (hall, date) DO UPDATE SET kind = "
                                     "excluded.kind, name = excluded.name WHERE kind <> "
                                     "excluded.kind OR name <> excluded.name", error);
  if (stmt == NULL)
    return FALSE;
  ow_platform_sqlite_bind_text (stmt, 1, hall);
  ow_platform_sqlite_bind_text (stmt, 2, date);
  ow_platform_sqlite_bind_text (stmt, 3, kind);
  ow_platform_sqlite_bind_text (stmt, 4, name);
  if (!ow_platform_sqlite_step_done (db, stmt, error))
    return FALSE;
  if (changed != NULL)
    *changed = sqlite3_changes (db->handle) > 0;
  return TRUE;
}

static gboolean
ow_platform_sqlite_mark_published (OwPlatformDb  *base,
                                   int            year,
                                   GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db,
                                                   "INSERT OR IGNORE INTO calendar_years (year) "
                                                   "VALUES (?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  return ow_platform_sqlite_step_done (db, stmt, error);
}

static gboolean
ow_platform_sqlite_is_published (OwPlatformDb  *base,
                                 int            year,
                                 gboolean      *published,
                                 GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db,
                                                   "SELECT 1 FROM calendar_years WHERE year = ?",
                                                   error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ow_platform_sqlite_set_sqlite_error (db, error, "read");
  *published = rc == SQLITE_ROW;
  return TRUE;
}

static GPtrArray *
ow_platform_sqlite_list_days (OwPlatformDb  *base,
                              const char    *hall,
                              int            year,
                              GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  g_autoptr(GPtrArray) days = NULL;
  char first[16], last[16];
  sqlite3_stmt *stmt;
  int rc;

  days = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_day_free);
  g_snprintf (first, sizeof first, "%04d-01-01", year);
  g_snprintf (last, sizeof last, "%04d-12-31", year);

  /* A hall's own day wins over the national one on the same date. */
  stmt = ow_platform_sqlite_prepare (db,
                                     "SELECT date, kind, name, hall <> '' FROM calendar_days d "
                                     "WHERE date BETWEEN ? AND ? AND (hall = ? OR (hall = '' AND "
                                     "NOT EXISTS (SELECT 1 FROM calendar_days l WHERE l.hall = ? "
                                     "AND l.date = d.date))) ORDER BY date", error);
  if (stmt == NULL)
    return NULL;
  ow_platform_sqlite_bind_text (stmt, 1, first);
  ow_platform_sqlite_bind_text (stmt, 2, last);
  ow_platform_sqlite_bind_text (stmt, 3, hall);
  ow_platform_sqlite_bind_text (stmt, 4, hall);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OwPlatformDay *day = g_new0 (OwPlatformDay, 1);

      day->date = ow_platform_sqlite_column_dup (stmt, 0);
      day->kind = ow_platform_sqlite_column_dup (stmt, 1);
      day->name = ow_platform_sqlite_column_dup (stmt, 2);
      day->local = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (days, day);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ow_platform_sqlite_set_sqlite_error (db, error, "read");
      return NULL;
    }
  return g_steal_pointer (&days);
}

static gint64
ow_platform_sqlite_count_days (OwPlatformDb  *base,
                               GError       **error)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db, "SELECT count(*) FROM calendar_days", error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    ow_platform_sqlite_set_sqlite_error (db, error, "read");
  sqlite3_reset (stmt);
  return count;
}

/* Lifecycle -------------------------------------------------------------------------------- */

static void
sqlite_free (OwPlatformDb *base)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);

  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db);
}

static void
sqlite_handle_free (OwPlatformSqlite *db)
{
  sqlite_free (&db->parent);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPlatformSqlite, sqlite_handle_free)

gboolean
ow_platform_sqlite_begin_write (OwPlatformSqlite  *db,
                                GError           **error)
{
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db, "BEGIN IMMEDIATE", error);

  return stmt != NULL && ow_platform_sqlite_step_done (db, stmt, error);
}

gboolean
ow_platform_sqlite_commit_write (OwPlatformSqlite  *db,
                                 GError           **error)
{
  sqlite3_stmt *stmt = ow_platform_sqlite_prepare (db, "COMMIT", error);

  return stmt != NULL && ow_platform_sqlite_step_done (db, stmt, error);
}

void
ow_platform_sqlite_rollback_write (OwPlatformSqlite *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

/* BEGIN IMMEDIATE already takes the one write lock of the file: maintenance runs alone. */
static gboolean
sqlite_begin (OwPlatformDb  *base,
              GError       **error)
{
  return ow_platform_sqlite_begin_write (OW_PLATFORM_SQLITE (base), error);
}

static gboolean
sqlite_commit (OwPlatformDb  *base,
               GError       **error)
{
  return ow_platform_sqlite_commit_write (OW_PLATFORM_SQLITE (base), error);
}

static void
sqlite_rollback (OwPlatformDb *base)
{
  ow_platform_sqlite_rollback_write (OW_PLATFORM_SQLITE (base));
}

/* SQLite cannot tell another process of a write: look at the feed's end twice a second (one
 * cheap read of an index), so a change the admin CLI made wakes a long poll within that. */
static GSource *
sqlite_watch_changes (OwPlatformDb  *base,
                      GError       **error)
{
  return g_timeout_source_new (500);
}

/* One process serves a SQLite file: its jobs are its own. */
static gboolean
sqlite_try_job (OwPlatformDb   *base,
                OwPlatformJob   job,
                gboolean       *acquired,
                GError        **error)
{
  *acquired = TRUE;
  return TRUE;
}

static void
sqlite_end_job (OwPlatformDb  *base,
                OwPlatformJob  job)
{
}

static void
sqlite_idle (OwPlatformDb *base)
{
  OwPlatformSqlite *db = OW_PLATFORM_SQLITE (base);
  sqlite3_stmt *stmt = NULL;

  while ((stmt = sqlite3_next_stmt (db->handle, stmt)) != NULL)
    if (sqlite3_stmt_busy (stmt))
      sqlite3_reset (stmt);
  if (!sqlite3_get_autocommit (db->handle))
    {
      g_warning ("A transaction was left open on %s: rolled back", db->path);
      ow_platform_sqlite_rollback_write (db);
    }
}

static const OwPlatformDbClass sqlite_class = {
  .name = "sqlite",
  .free = sqlite_free,
  .watch_changes = sqlite_watch_changes,
  .try_job = sqlite_try_job,
  .end_job = sqlite_end_job,
  .idle = sqlite_idle,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .add_user = ow_platform_sqlite_add_user,
  .lookup_user = ow_platform_sqlite_lookup_user,
  .set_user_disabled = ow_platform_sqlite_set_user_disabled,
  .list_users = ow_platform_sqlite_list_users,
  .set_user_department = ow_platform_sqlite_set_user_department,
  .add_session = ow_platform_sqlite_add_session,
  .lookup_session = ow_platform_sqlite_lookup_session,
  .delete_session = ow_platform_sqlite_delete_session,
  .get_catalog = ow_platform_sqlite_get_catalog,
  .get_catalog_header = ow_platform_sqlite_get_catalog_header,
  .put_catalog_item = ow_platform_sqlite_put_catalog_item,
  .finish_catalog = ow_platform_sqlite_finish_catalog,
  .catalog_has_item = ow_platform_sqlite_catalog_has_item,
  .list_catalog_items = ow_platform_sqlite_list_catalog_items,
  .get_item_legal_limit = ow_platform_sqlite_get_item_legal_limit,
  .count_catalog_items = ow_platform_sqlite_count_catalog_items,
  .set_day = ow_platform_sqlite_set_day,
  .mark_published = ow_platform_sqlite_mark_published,
  .is_published = ow_platform_sqlite_is_published,
  .list_days = ow_platform_sqlite_list_days,
  .count_days = ow_platform_sqlite_count_days,
  .put_case = ow_platform_sqlite_put_case,
  .get_case = ow_platform_sqlite_get_case,
  .list_cases = ow_platform_sqlite_list_cases,
  .list_stale_cases = ow_platform_sqlite_list_stale_cases,
  .list_cases_naming_file = ow_platform_sqlite_list_cases_naming_file,
  .add_case_event = ow_platform_sqlite_add_case_event,
  .has_case_event = ow_platform_sqlite_has_case_event,
  .list_case_events = ow_platform_sqlite_list_case_events,
  .put_file = ow_platform_sqlite_put_file,
  .get_file = ow_platform_sqlite_get_file,
  .has_file = ow_platform_sqlite_has_file,
  .append_change_for = ow_platform_sqlite_append_change_for,
  .list_changes = ow_platform_sqlite_list_changes,
  .last_change = ow_platform_sqlite_last_change,
  .put_ticket = ow_platform_sqlite_put_ticket,
  .get_ticket = ow_platform_sqlite_get_ticket,
  .list_tickets = ow_platform_sqlite_list_tickets,
  .add_ticket_event = ow_platform_sqlite_add_ticket_event,
  .list_ticket_events = ow_platform_sqlite_list_ticket_events,
  .escalate_tickets = ow_platform_sqlite_escalate_tickets,
  .put_rating = ow_platform_sqlite_put_rating,
  .get_rating = ow_platform_sqlite_get_rating,
  .count_cases_by_state = ow_platform_sqlite_count_cases_by_state,
  .list_late_cases = ow_platform_sqlite_list_late_cases,
  .count_tickets = ow_platform_sqlite_count_tickets,
  .count_ratings = ow_platform_sqlite_count_ratings,
  .count_cases = ow_platform_sqlite_count_cases,
  .count_by_promised = ow_platform_sqlite_count_by_promised,
  .count_received = ow_platform_sqlite_count_received,
  .count_reform_items = ow_platform_sqlite_count_reform_items,
  .count_reform_usage = ow_platform_sqlite_count_reform_usage,
  .count_ratings_by = ow_platform_sqlite_count_ratings_by,
  .list_ratings = ow_platform_sqlite_list_ratings,
  .get_login_failures = ow_platform_sqlite_get_login_failures,
  .add_login_failure = ow_platform_sqlite_add_login_failure,
  .clear_login_failures = ow_platform_sqlite_clear_login_failures,
  .unlock_logins = ow_platform_sqlite_unlock_logins,
  .list_login_locks = ow_platform_sqlite_list_login_locks,
  .add_audit = ow_platform_sqlite_add_audit,
  .list_audit = ow_platform_sqlite_list_audit,
};

OwPlatformDb *
ow_platform_sqlite_open (const char             *path,
                         OwPlatformDbOpenFlags   flags,
                         GError                **error)
{
  g_autoptr(OwPlatformSqlite) db = g_new0 (OwPlatformSqlite, 1);
  int open_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

  g_return_val_if_fail (path != NULL, NULL);

  db->parent.klass = &sqlite_class;
  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) sqlite3_finalize);

  if (flags & OW_PLATFORM_DB_OPEN_EXISTING)
    {
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                       _("There is no database at %s: start the platform with --db %s once "
                         "first"), path, path);
          return NULL;
        }
    }
  else
    open_flags |= SQLITE_OPEN_CREATE;

  if (sqlite3_open_v2 (path, &db->handle, open_flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                   _("Cannot open the database %s: %s"), path,
                   db->handle != NULL ? sqlite3_errmsg (db->handle) : g_strerror (ENOMEM));
      return NULL;
    }

  sqlite3_busy_timeout (db->handle, 5000);
  sqlite3_extended_result_codes (db->handle, 1);
  if (!switch_to_wal (db, error) ||
      !ow_platform_sqlite_exec_sql (db, "PRAGMA synchronous = NORMAL", error) ||
      !ow_platform_sqlite_exec_sql (db, "PRAGMA foreign_keys = ON", error) ||
      !migrate (db, error) ||
      !fill_reform_terms (db, error))
    return NULL;

  return (OwPlatformDb *) g_steal_pointer (&db);
}
