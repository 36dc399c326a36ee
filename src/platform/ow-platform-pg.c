/* ow-platform-pg.c — the reference platform's storage on PostgreSQL: a province, many processes
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any number of platform processes share one database; each handle is one libpq connection. The
 * connection, the statement cache, the schema and the small resources (users, sessions,
 * calendar) live here; the catalog, cases and tickets in the files beside it.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/ow-item.h"
#include "core/ow-reform.h"
#include "platform/ow-platform-pg-private.h"

/* Text columns compare byte for byte where the order is shown (user names, ids, dates), as on
 * SQLite, whatever collation the database was created with: such ORDER BYs say COLLATE "C". */

/* Version 1: what SQLite's schema 4 holds. Events and tickets keep their order of arrival in an
 * identity column (SQLite's rowid); the changes feed's seq is an identity drawn under the feed's
 * lock (ow_platform_pg_append_change_for()). */
static const char *schema_v1[] = {
  "CREATE TABLE ow_schema (version integer NOT NULL)",
  "INSERT INTO ow_schema (version) VALUES (0)",
  "CREATE TABLE users ("
  "  username text PRIMARY KEY,"
  "  display_name text NOT NULL,"
  "  password_hash text NOT NULL,"
  "  roles text NOT NULL,"
  "  hall text NOT NULL,"
  "  hall_name text NOT NULL,"
  "  counter integer NOT NULL DEFAULT 0)",
  "CREATE INDEX users_hall ON users (hall)",
  "CREATE TABLE sessions ("
  "  token_hash text PRIMARY KEY,"
  "  username text NOT NULL REFERENCES users (username) ON DELETE CASCADE,"
  "  expires_at bigint NOT NULL)",
  "CREATE INDEX sessions_expires ON sessions (expires_at)",
  "CREATE TABLE catalog_revisions ("
  "  revision bigint PRIMARY KEY,"
  "  body text NOT NULL,"
  "  source text NOT NULL)",
  "CREATE TABLE calendar_days ("
  "  hall text NOT NULL,"
  "  date text NOT NULL,"
  "  kind text NOT NULL CHECK (kind IN ('off', 'work')),"
  "  name text NOT NULL,"
  "  PRIMARY KEY (hall, date))",
  "CREATE TABLE calendar_years ("
  "  year integer PRIMARY KEY)",
  "CREATE TABLE changes ("
  "  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
  "  kind text NOT NULL,"
  "  key text NOT NULL,"
  "  at bigint NOT NULL,"
  "  \"user\" text,"
  "  role text)",
  "CREATE TABLE cases ("
  "  case_no text PRIMARY KEY,"
  "  body text NOT NULL,"
  "  amended text,"
  "  state text NOT NULL,"
  "  created_by text NOT NULL,"
  "  created_at bigint NOT NULL,"
  "  updated_at bigint NOT NULL,"
  "  hall text NOT NULL DEFAULT '',"
  "  counter integer NOT NULL DEFAULT 0,"
  "  change_seq bigint NOT NULL DEFAULT 0)",
  "CREATE INDEX cases_change_seq ON cases (change_seq)",
  "CREATE INDEX cases_state ON cases (state, updated_at)",
  "CREATE TABLE files ("
  "  sha256 text PRIMARY KEY,"
  "  content_type text NOT NULL,"
  "  size bigint NOT NULL,"
  "  data bytea NOT NULL,"
  "  created_by text NOT NULL,"
  "  created_at bigint NOT NULL)",
  /* Scanned pages are compressed already: storing them out of line without trying pglz saves
   * the work of failing to compress them. */
  "ALTER TABLE files ALTER COLUMN data SET STORAGE EXTERNAL",
  "CREATE TABLE case_events ("
  "  id text PRIMARY KEY,"
  "  ord bigint GENERATED ALWAYS AS IDENTITY,"
  "  case_no text NOT NULL REFERENCES cases (case_no),"
  "  kind text NOT NULL,"
  "  body text NOT NULL,"
  "  created_by text NOT NULL,"
  "  created_at bigint NOT NULL)",
  "CREATE INDEX case_events_case ON case_events (case_no, ord)",
  "CREATE TABLE tickets ("
  "  id text PRIMARY KEY,"
  "  ord bigint GENERATED ALWAYS AS IDENTITY,"
  "  body text NOT NULL,"
  "  state text NOT NULL,"
  "  assignee text,"
  "  due_date text,"
  "  created_by text NOT NULL,"
  "  created_at bigint NOT NULL,"
  "  updated_at bigint NOT NULL,"
  "  escalated_at bigint)",
  "CREATE INDEX tickets_open_due ON tickets (state, due_date)",
  /* The statistics look for the ticket that follows a poor rating up. */
  "CREATE INDEX tickets_rating ON tickets ((body::jsonb ->> 'rating_id'))",
  "CREATE TABLE ticket_events ("
  "  id text PRIMARY KEY,"
  "  ord bigint GENERATED ALWAYS AS IDENTITY,"
  "  ticket_id text NOT NULL REFERENCES tickets (id),"
  "  kind text NOT NULL,"
  "  body text NOT NULL,"
  "  created_by text NOT NULL,"
  "  created_at bigint NOT NULL)",
  "CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, ord)",
  "CREATE TABLE ratings ("
  "  id text PRIMARY KEY,"
  "  case_no text NOT NULL REFERENCES cases (case_no),"
  "  channel text NOT NULL,"
  "  level integer NOT NULL,"
  "  body text NOT NULL,"
  "  created_by text NOT NULL,"
  "  created_at bigint NOT NULL)",
  /* One on-site rating per case: the rating pad is offered once, at the counter. */
  "CREATE UNIQUE INDEX ratings_on_site ON ratings (case_no) WHERE channel = 'on-site'",
  NULL
};

/* Version 2 (SQLite's 5): a department user works for a department, the name the catalog's items
 * give it; NULL for everyone else. */
static const char *schema_v2[] = {
  "ALTER TABLE users ADD COLUMN department text",
  NULL
};

/* Version 3 (SQLite's 6): failed log-ins per user name and client address, the lock they lead
 * to (ow-platform-pg-logins.c), and an audit log that nothing can change or delete. */
static const char *schema_v3[] = {
  "CREATE TABLE login_failures ("
  "  username text NOT NULL,"
  "  address text NOT NULL,"
  "  failures integer NOT NULL,"
  "  last_failed_at bigint NOT NULL,"
  "  locked_at bigint,"
  "  PRIMARY KEY (username, address))",
  "CREATE INDEX login_failures_last ON login_failures (last_failed_at)",
  "CREATE TABLE audit_log ("
  "  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
  "  at bigint NOT NULL,"
  "  actor text NOT NULL,"
  "  event text NOT NULL,"
  "  subject text NOT NULL,"
  "  address text,"
  "  detail text)",
  "CREATE OR REPLACE FUNCTION ow_audit_log_kept () RETURNS trigger LANGUAGE plpgsql AS "
  "  $$BEGIN RAISE EXCEPTION 'the audit log cannot be changed or deleted from'; END$$",
  "CREATE TRIGGER audit_log_kept BEFORE UPDATE OR DELETE ON audit_log "
  "  FOR EACH ROW EXECUTE FUNCTION ow_audit_log_kept ()",
  "CREATE TRIGGER audit_log_kept_truncate BEFORE TRUNCATE ON audit_log "
  "  FOR EACH STATEMENT EXECUTE FUNCTION ow_audit_log_kept ()",
  NULL
};

/* Version 4: what SQLite's schema 7 holds: the catalog item by item (each revision keeps the
 * items it changed and marks those it dropped; catalog_revisions keeps each revision's header)
 * and accounts that can be disabled. Revisions stored whole before are split here; json, not
 * jsonb, keeps each item's text as it was stored, so that an unchanged item stays unchanged. */
static const char *schema_v4[] = {
  "CREATE TABLE catalog_entries ("
  "  id text PRIMARY KEY,"
  "  place bigint NOT NULL,"
  "  last_seen bigint NOT NULL)",
  "CREATE INDEX catalog_entries_place ON catalog_entries (place)",
  "CREATE TABLE catalog_versions ("
  "  id text NOT NULL,"
  "  revision bigint NOT NULL,"
  "  body text,"
  "  legal_limit bigint,"
  "  visits bigint,"
  "  PRIMARY KEY (id, revision))",
  "INSERT INTO catalog_entries (id, place, last_seen) "
  "  SELECT DISTINCT ON (id) id, revision * 16777216 + (ord - 1), revision FROM ("
  "    SELECT j.value ->> 'id' AS id, r.revision, j.ord "
  "    FROM catalog_revisions r, json_array_elements (r.body::json -> 'items') "
  "      WITH ORDINALITY AS j (value, ord)) AS listed "
  "  WHERE id IS NOT NULL ORDER BY id, revision, ord",
  "INSERT INTO catalog_versions (id, revision, body, legal_limit, visits) "
  "  SELECT j.value ->> 'id', r.revision, j.value::text, (j.value ->> 'legal_limit')::bigint,"
  "    (j.value ->> 'visits')::bigint "
  "  FROM catalog_revisions r, json_array_elements (r.body::json -> 'items') AS j (value) "
  "  WHERE j.value ->> 'id' IS NOT NULL ON CONFLICT DO NOTHING",
  "INSERT INTO catalog_versions (id, revision, body) "
  "  SELECT e.id, r.revision, NULL FROM catalog_entries e, catalog_revisions r "
  "  WHERE e.place / 16777216 < r.revision AND NOT EXISTS (SELECT 1 FROM catalog_versions v "
  "    WHERE v.id = e.id AND v.revision = r.revision)",
  "DELETE FROM catalog_versions c WHERE EXISTS (SELECT 1 FROM catalog_versions p "
  "    WHERE p.id = c.id AND p.revision < c.revision) "
  "  AND c.body IS NOT DISTINCT FROM (SELECT p.body FROM catalog_versions p "
  "    WHERE p.id = c.id AND p.revision < c.revision ORDER BY p.revision DESC LIMIT 1)",
  "UPDATE catalog_entries e SET last_seen = coalesce ((SELECT max (v.revision) "
  "  FROM catalog_versions v WHERE v.id = e.id AND v.body IS NOT NULL), e.last_seen)",
  "UPDATE catalog_revisions SET body = (body::jsonb - 'items')::text",
  "ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT false",
  NULL
};

/* Version 5 (SQLite's 8): the supervisor's overview, as on SQLite (see ow-platform-sqlite.c):
 * the columns of cases its lists filter, sort and count on, taken from the body as PUT; the
 * cases' items and the reform's terms as tables; the catalog's versions their department and
 * type, from the body; the reform's usage
 * as flags on the rows, so that a period's usage is a count over an index; ratings with their day
 * in the hall, their case's hall, counter and clerk and an order of arrival, tickets with the
 * rating they follow up. Days and times are compared as text in the "C" collation, so that they
 * sort as they read whatever the database's locale. */
static const char *schema_v5[] = {
  /* The day in the hall (UTC+8 all year) of an RFC 3339 time; NULL for NULL. */
  "CREATE FUNCTION ow_hall_day (at text) RETURNS text LANGUAGE sql STABLE AS "
  "  $$SELECT to_char((at::timestamptz AT TIME ZONE INTERVAL '+08:00')::date, 'YYYY-MM-DD')$$",
  "CREATE TABLE reform_item_types (type text PRIMARY KEY)",
  "CREATE TABLE zero_trip_channels (channel text PRIMARY KEY)",
  "ALTER TABLE catalog_versions ADD COLUMN department text, ADD COLUMN type text",
  "UPDATE catalog_versions SET department = body::json ->> 'department', "
  "  type = body::json ->> 'type' WHERE body IS NOT NULL",
  /* The terms as of this version, for the backfill below; rewritten at every open. */
  "INSERT INTO reform_item_types (type) VALUES ('01'), ('05'), ('07'), ('08'), ('09'), ('10'), "
  "  ('20')",
  "INSERT INTO zero_trip_channels (channel) VALUES ('online'), ('mobile'), ('post')",
  "ALTER TABLE cases ADD COLUMN channel text, ADD COLUMN clerk text, "
  "  ADD COLUMN received_at text COLLATE \"C\" NOT NULL DEFAULT '', "
  "  ADD COLUMN received_on text COLLATE \"C\" NOT NULL DEFAULT '', "
  /* 9999-12-31 for a case without a promise, so that it sorts last on an index. */
  "  ADD COLUMN promised_date text COLLATE \"C\" NOT NULL DEFAULT '9999-12-31', "
  "  ADD COLUMN applicant_name text, "
  "  ADD COLUMN zero_trip boolean NOT NULL DEFAULT false, "
  "  ADD COLUMN reform boolean NOT NULL DEFAULT false",
  "UPDATE cases SET channel = body::jsonb ->> 'channel', clerk = body::jsonb ->> 'clerk', "
  "  received_at = coalesce(body::jsonb ->> 'received_at', ''), "
  "  received_on = coalesce(ow_hall_day (body::jsonb ->> 'received_at'), ''), "
  "  promised_date = coalesce(coalesce(amended, body)::jsonb ->> 'promised_date', "
  "    '9999-12-31'), "
  "  applicant_name = body::jsonb -> 'applicant' ->> 'name'",
  "UPDATE cases SET zero_trip = coalesce(channel, 'window') IN "
  "  (SELECT channel FROM zero_trip_channels)",
  "CREATE TABLE case_items ("
  "  case_no text NOT NULL REFERENCES cases (case_no),"
  "  position integer NOT NULL,"
  "  item_id text,"
  "  name text,"
  "  department text,"
  "  hall text NOT NULL,"
  "  received_on text COLLATE \"C\" NOT NULL,"
  "  zero_trip boolean NOT NULL,"
  "  reform boolean NOT NULL DEFAULT false,"
  "  reform_first boolean NOT NULL DEFAULT false,"
  "  PRIMARY KEY (case_no, position))",
  "INSERT INTO case_items (case_no, position, item_id, name, department, hall, received_on, "
  "  zero_trip) SELECT c.case_no, j.ordinality - 1, j.value ->> 'item_id', j.value ->> 'name', "
  "  j.value ->> 'department', c.hall, c.received_on, c.zero_trip FROM cases c, "
  "  jsonb_array_elements(c.body::jsonb -> 'items') WITH ORDINALITY AS j (value, ordinality)",
  "UPDATE case_items SET reform = " OW_PG_REFORM_ITEM ("case_items.item_id"),
  "UPDATE case_items SET reform_first = reform AND NOT EXISTS (SELECT 1 FROM case_items e "
  "  WHERE e.case_no = case_items.case_no AND e.position < case_items.position "
  "  AND e.reform AND e.department IS NOT DISTINCT FROM case_items.department)",
  "UPDATE cases SET reform = EXISTS (SELECT 1 FROM case_items i "
  "  WHERE i.case_no = cases.case_no AND i.reform)",
  "CREATE INDEX cases_hall_received ON cases (hall, received_on, state, counter, channel, clerk, "
  "  promised_date, updated_at, case_no)",
  "CREATE INDEX cases_hall_received_at ON cases (hall, received_at, case_no)",
  "CREATE INDEX cases_hall_promised ON cases (hall, promised_date, state, case_no)",
  "CREATE INDEX cases_hall_state_promised ON cases (hall, state, promised_date)",
  "CREATE INDEX cases_hall_usage ON cases (hall, reform, received_on, zero_trip)",
  "CREATE INDEX case_items_item ON case_items (item_id, case_no)",
  "CREATE INDEX case_items_department ON case_items (department, case_no)",
  "CREATE INDEX case_items_usage ON case_items (hall, reform_first, received_on, department, "
  "  zero_trip)",
  "ALTER TABLE ratings ADD COLUMN ord bigint GENERATED ALWAYS AS IDENTITY, "
  "  ADD COLUMN rated_on text COLLATE \"C\" NOT NULL DEFAULT '', "
  "  ADD COLUMN hall text NOT NULL DEFAULT '', "
  "  ADD COLUMN counter integer NOT NULL DEFAULT 0, "
  "  ADD COLUMN clerk text",
  "UPDATE ratings SET rated_on = coalesce(ow_hall_day (ratings.body::jsonb ->> 'at'), ''), "
  "  hall = c.hall, counter = c.counter, clerk = c.clerk FROM cases c "
  "  WHERE c.case_no = ratings.case_no",
  "CREATE INDEX ratings_case ON ratings (case_no)",
  "CREATE INDEX ratings_hall_rated ON ratings (hall, rated_on, level, counter, clerk)",
  "ALTER TABLE tickets ADD COLUMN rating_id text",
  "UPDATE tickets SET rating_id = body::jsonb ->> 'rating_id'",
  "CREATE INDEX tickets_rating_id ON tickets (rating_id) WHERE rating_id IS NOT NULL",
  NULL
};

static const char **schemas[] = { schema_v1, schema_v2, schema_v3, schema_v4, schema_v5 };

G_STATIC_ASSERT (G_N_ELEMENTS (schemas) == OW_PLATFORM_PG_SCHEMA_VERSION);

/* Parameters and results ------------------------------------------------------------------- */

void
ow_pg_param_text (OwPgParams *params,
                  const char *text)
{
  g_assert (params->n < OW_PG_MAX_PARAMS);
  params->values[params->n] = text;
  params->lengths[params->n] = 0;
  params->formats[params->n] = 0;
  params->n++;
}

void
ow_pg_param_int (OwPgParams *params,
                 gint64      value)
{
  g_assert (params->n < OW_PG_MAX_PARAMS);
  g_snprintf (params->numbers[params->n], sizeof params->numbers[params->n],
              "%" G_GINT64_FORMAT, value);
  ow_pg_param_text (params, params->numbers[params->n]);
}

void
ow_pg_param_bytes (OwPgParams    *params,
                   gconstpointer  data,
                   gsize          size)
{
  g_assert (params->n < OW_PG_MAX_PARAMS);
  g_assert (size <= G_MAXINT);
  params->values[params->n] = data != NULL ? data : "";
  params->lengths[params->n] = (int) size;
  params->formats[params->n] = 1;
  params->n++;
}

gint64
ow_pg_affected (PGresult *result)
{
  return g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
}

char *
ow_pg_dup (PGresult *result,
           int       row,
           int       column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return g_strdup (PQgetvalue (result, row, column));
}

gint64
ow_pg_int (PGresult *result,
           int       row,
           int       column)
{
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

gboolean
ow_pg_bool (PGresult *result,
            int       row,
            int       column)
{
  return g_str_equal (PQgetvalue (result, row, column), "t");
}

/* Statements ------------------------------------------------------------------------------- */

static char *
trimmed (const char *message)
{
  return g_strstrip (g_strdup (message != NULL && *message != '\0' ? message : "unknown error"));
}

/* Checks @result; on failure sets @error and, when the connection broke, resets it, so that the
 * next request finds the database again (the one that failed answers 500 and is retried). */
static gboolean
check_result (OwPlatformPg  *db,
              PGresult      *result,
              const char    *what,
              GError       **error)
{
  ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  g_autofree char *message = NULL;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return TRUE;

  message = trimmed (result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (db->conn));
  g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE, _("Database %s failed: %s"),
               what, message);
  if (PQstatus (db->conn) == CONNECTION_BAD)
    {
      g_warning ("The connection to the PostgreSQL database %s was lost; connecting again",
                 db->label);
      PQreset (db->conn);
      /* Prepared statements live and die with their connection. */
      g_hash_table_remove_all (db->statements);
    }
  return FALSE;
}

PGresult *
ow_platform_pg_exec (OwPlatformPg  *db,
                     const char    *sql,
                     OwPgParams    *params,
                     gboolean       binary,
                     GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *name = g_hash_table_lookup (db->statements, sql);
  OwPgParams none = { 0, };

  if (params == NULL)
    params = &none;

  if (name == NULL)
    {
      g_autofree char *new_name = g_strdup_printf ("ow%u", ++db->next_statement);
      g_autoptr(PGresult) prepared = PQprepare (db->conn, new_name, sql, 0, NULL);

      if (!check_result (db, prepared, "prepare", error))
        return NULL;
      name = new_name;
      g_hash_table_insert (db->statements, (gpointer) sql, g_steal_pointer (&new_name));
    }

  result = PQexecPrepared (db->conn, name, params->n, params->values, params->lengths,
                           params->formats, binary ? 1 : 0);
  if (!check_result (db, result, "query", error))
    return NULL;
  return g_steal_pointer (&result);
}

gboolean
ow_platform_pg_run (OwPlatformPg  *db,
                    const char    *sql,
                    OwPgParams    *params,
                    GError       **error)
{
  g_autoptr(PGresult) result = ow_platform_pg_exec (db, sql, params, FALSE, error);

  return result != NULL;
}

/* A statement run once (the schema's): sent with its text through the extended protocol, as an
 * unnamed statement, so that it is not kept in the cache. */
static gboolean
run_once (OwPlatformPg  *db,
          const char    *sql,
          GError       **error)
{
  g_autoptr(PGresult) result = PQexecParams (db->conn, sql, 0, NULL, NULL, NULL, NULL, 0);

  return check_result (db, result, "schema change", error);
}

gboolean
ow_platform_pg_begin_write (OwPlatformPg  *db,
                            GError       **error)
{
  return ow_platform_pg_run (db, "BEGIN", NULL, error);
}

gboolean
ow_platform_pg_commit_write (OwPlatformPg  *db,
                             GError       **error)
{
  return ow_platform_pg_run (db, "COMMIT", NULL, error);
}

void
ow_platform_pg_rollback_write (OwPlatformPg *db)
{
  if (PQtransactionStatus (db->conn) != PQTRANS_IDLE)
    ow_platform_pg_run (db, "ROLLBACK", NULL, NULL);
}

gboolean
ow_platform_pg_lock (OwPlatformPg  *db,
                     OwPgLock       which,
                     GError       **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_int (&params, OW_PG_LOCK_CLASS);
  ow_pg_param_int (&params, which);
  return ow_platform_pg_run (db, "SELECT pg_advisory_xact_lock($1::integer, $2::integer)",
                             &params, error);
}

/* Connections ------------------------------------------------------------------------------ */

/* "postgres@/tmp/x/ow" or "onewindow@db.example:5432/onewindow": what a message may show of a
 * URI, never its password. */
static char *
describe_uri (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  const char *dbname = NULL, *host = NULL, *port = NULL, *user = NULL;
  GString *text = g_string_new (NULL);

  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    {
      if (o->val == NULL || *o->val == '\0')
        continue;
      if (g_str_equal (o->keyword, "dbname"))
        dbname = o->val;
      else if (g_str_equal (o->keyword, "host"))
        host = o->val;
      else if (g_str_equal (o->keyword, "port"))
        port = o->val;
      else if (g_str_equal (o->keyword, "user"))
        user = o->val;
    }
  if (user != NULL)
    g_string_append_printf (text, "%s@", user);
  g_string_append (text, host != NULL ? host : "localhost");
  if (port != NULL)
    g_string_append_printf (text, ":%s", port);
  g_string_append_printf (text, "/%s", dbname != NULL ? dbname : "");
  PQconninfoFree (options);
  return g_string_free (text, FALSE);
}

PGconn *
ow_platform_pg_connect (const char  *uri,
                        const char  *label,
                        GError     **error)
{
  /* The URI's own settings win; the name only shows in pg_stat_activity unless it sets one. */
  const char *keywords[] = { "fallback_application_name", "dbname", NULL };
  const char *values[] = { "onewindow-platform", uri, NULL };
  PGconn *conn = PQconnectdbParams (keywords, values, 1);

  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = trimmed (conn != NULL ? PQerrorMessage (conn) : NULL);

      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                   _("Cannot connect to the PostgreSQL database %s: %s"), label, message);
      PQfinish (conn);
      return NULL;
    }
  if (PQsetClientEncoding (conn, "UTF8") != 0)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                   _("The PostgreSQL database %s cannot speak UTF-8"), label);
      PQfinish (conn);
      return NULL;
    }
  return conn;
}

/* The reform's terms as core defines them (ow_item_type_is_reform(),
 * ow_case_channel_is_zero_trip()), for the statistics' SQL to join; in the schema's transaction,
 * under its lock. */
static gboolean
fill_reform_terms (OwPlatformPg  *db,
                   GError       **error)
{
  if (!ow_platform_pg_run (db, "DELETE FROM reform_item_types", NULL, error) ||
      !ow_platform_pg_run (db, "DELETE FROM zero_trip_channels", NULL, error))
    return FALSE;
  for (int type = 0; type < 100; type++)
    {
      g_autofree char *code = g_strdup_printf ("%02d", type);
      OwPgParams params = { 0, };
      OwItemType item_type;

      if (!ow_item_type_from_code (code, &item_type) || !ow_item_type_is_reform (item_type))
        continue;
      ow_pg_param_text (&params, code);
      if (!ow_platform_pg_run (db, "INSERT INTO reform_item_types (type) VALUES ($1)", &params,
                               error))
        return FALSE;
    }
  for (int channel = OW_CASE_CHANNEL_WINDOW; channel <= OW_CASE_CHANNEL_LAST; channel++)
    {
      OwPgParams params = { 0, };

      if (!ow_case_channel_is_zero_trip ((OwCaseChannel) channel))
        continue;
      ow_pg_param_text (&params, ow_case_channel_to_string ((OwCaseChannel) channel));
      if (!ow_platform_pg_run (db, "INSERT INTO zero_trip_channels (channel) VALUES ($1)",
                               &params, error))
        return FALSE;
    }
  return TRUE;
}

/* Creates the schema, or upgrades an older one, once: several processes starting at once take
 * turns on the schema's lock, and the later ones find it done. */
static gboolean
migrate (OwPlatformPg           *db,
         OwPlatformDbOpenFlags   flags,
         GError                **error)
{
  g_autoptr(PGresult) exists = NULL;
  gint64 version = 0;

  if (!ow_platform_pg_begin_write (db, error) ||
      !ow_platform_pg_lock (db, OW_PG_LOCK_SCHEMA, error) ||
      (exists = ow_platform_pg_exec (db, "SELECT to_regclass('ow_schema') IS NOT NULL", NULL,
                                     FALSE, error)) == NULL)
    goto fail;
  if (ow_pg_bool (exists, 0, 0))
    {
      g_autoptr(PGresult) result = ow_platform_pg_exec (db, "SELECT version FROM ow_schema",
                                                        NULL, FALSE, error);

      if (result == NULL)
        goto fail;
      version = PQntuples (result) > 0 ? ow_pg_int (result, 0, 0) : 0;
    }

  if (version > OW_PLATFORM_PG_SCHEMA_VERSION)
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_SCHEMA,
                   _("The PostgreSQL database %s has schema version %d, newer than this "
                     "platform’s %d: run a newer onewindow-platform"),
                   db->label, (int) version, OW_PLATFORM_PG_SCHEMA_VERSION);
      goto fail;
    }
  if (version == 0 && (flags & OW_PLATFORM_DB_OPEN_EXISTING))
    {
      g_set_error (error, OW_SERVER_ERROR, OW_SERVER_ERROR_DATABASE,
                   _("The PostgreSQL database %s holds no platform yet: start "
                     "onewindow-platform on it once first"),
                   db->label);
      goto fail;
    }

  for (gint64 v = version; v < OW_PLATFORM_PG_SCHEMA_VERSION; v++)
    for (guint i = 0; schemas[v][i] != NULL; i++)
      if (!run_once (db, schemas[v][i], error))
        goto fail;
  if (version < OW_PLATFORM_PG_SCHEMA_VERSION)
    {
      OwPgParams params = { 0, };

      ow_pg_param_int (&params, OW_PLATFORM_PG_SCHEMA_VERSION);
      if (!ow_platform_pg_run (db, "UPDATE ow_schema SET version = $1::integer", &params, error))
        goto fail;
    }
  if (!fill_reform_terms (db, error))
    goto fail;
  return ow_platform_pg_commit_write (db, error);

fail:
  ow_platform_pg_rollback_write (db);
  return FALSE;
}

/* Users and sessions ----------------------------------------------------------------------- */

static OwPlatformUser *
user_from_row (PGresult *result,
               int       row)
{
  OwPlatformUser *user = g_new0 (OwPlatformUser, 1);

  user->username = ow_pg_dup (result, row, 0);
  user->display_name = ow_pg_dup (result, row, 1);
  user->password_hash = ow_pg_dup (result, row, 2);
  user->roles = g_strsplit (PQgetvalue (result, row, 3), ",", -1);
  user->hall = ow_pg_dup (result, row, 4);
  user->hall_name = ow_pg_dup (result, row, 5);
  user->counter = (guint) ow_pg_int (result, row, 6);
  user->department = ow_pg_dup (result, row, 7);
  if (PQnfields (result) > 8)
    user->disabled = ow_pg_bool (result, row, 8);
  return user;
}

static gboolean
pg_add_user (OwPlatformDb          *base,
             const OwPlatformUser  *user,
             gboolean              *added,
             GError               **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autofree char *roles = g_strjoinv (",", user->roles);
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, user->username);
  ow_pg_param_text (&params, user->display_name);
  ow_pg_param_text (&params, user->password_hash);
  ow_pg_param_text (&params, roles);
  ow_pg_param_text (&params, user->hall);
  ow_pg_param_text (&params, user->hall_name);
  ow_pg_param_int (&params, user->counter);
  ow_pg_param_text (&params, user->department);
  result = ow_platform_pg_exec (db,
                                "INSERT INTO users (username, display_name, password_hash, roles, "
                                "hall, hall_name, counter, department) VALUES ($1, $2, $3, $4, "
                                "$5, $6, $7::integer, $8) ON CONFLICT (username) DO NOTHING",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  if (added != NULL)
    *added = ow_pg_affected (result) > 0;
  return TRUE;
}

static OwPlatformUser *
pg_lookup_user (OwPlatformDb  *base,
                const char    *username,
                GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, username);
  result = ow_platform_pg_exec (db,
                                "SELECT username, display_name, password_hash, roles, hall, "
                                "hall_name, counter, department, disabled FROM users "
                                "WHERE username = $1",
                                &params, FALSE, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return user_from_row (result, 0);
}

static gboolean
pg_set_user_disabled (OwPlatformDb  *base,
                      const char    *username,
                      gboolean       disabled,
                      gboolean      *found,
                      GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };
  OwPgParams sessions = { 0, };

  *found = FALSE;
  ow_pg_param_text (&params, username);
  ow_pg_param_text (&params, disabled ? "true" : "false");
  result = ow_platform_pg_exec (db, "UPDATE users SET disabled = $2::boolean WHERE username = $1",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  *found = ow_pg_affected (result) > 0;
  if (!*found || !disabled)
    return TRUE;
  /* Whoever is logged in under the account is out at their next request. */
  ow_pg_param_text (&sessions, username);
  return ow_platform_pg_run (db, "DELETE FROM sessions WHERE username = $1", &sessions, error);
}

static GPtrArray *
pg_list_users (OwPlatformDb  *base,
               const char    *hall,
               const char    *role,
               GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  result = ow_platform_pg_exec (db,
                                "SELECT username, display_name, password_hash, roles, hall, "
                                "hall_name, counter, department FROM users WHERE hall = $1 "
                                "AND NOT disabled "
                                "ORDER BY username COLLATE \"C\"",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_user_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      OwPlatformUser *user = user_from_row (result, i);

      /* Roles are stored joined by commas: matched here rather than with LIKE patterns. */
      if (role == NULL || ow_platform_user_has_role (user, role))
        g_ptr_array_add (users, user);
      else
        ow_platform_user_free (user);
    }
  return g_steal_pointer (&users);
}

static gboolean
pg_set_user_department (OwPlatformDb  *base,
                        const char    *username,
                        const char    *department,
                        gboolean      *found,
                        GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, department);
  ow_pg_param_text (&params, username);
  result = ow_platform_pg_exec (db, "UPDATE users SET department = $1 WHERE username = $2",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  if (found != NULL)
    *found = ow_pg_affected (result) > 0;
  return TRUE;
}

static gboolean
pg_add_session (OwPlatformDb  *base,
                const char    *token_hash,
                const char    *username,
                gint64         expires_at,
                GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  OwPgParams sweep = { 0, }, params = { 0, };

  /* Expired sessions are swept as new ones come, so the table does not grow without bound. */
  ow_pg_param_int (&sweep, g_get_real_time () / G_USEC_PER_SEC);
  if (!ow_platform_pg_run (db, "DELETE FROM sessions WHERE expires_at <= $1::bigint", &sweep,
                           error))
    return FALSE;

  ow_pg_param_text (&params, token_hash);
  ow_pg_param_text (&params, username);
  ow_pg_param_int (&params, expires_at);
  return ow_platform_pg_run (db,
                             "INSERT INTO sessions (token_hash, username, expires_at) "
                             "VALUES ($1, $2, $3::bigint)", &params, error);
}

static OwPlatformUser *
pg_lookup_session (OwPlatformDb  *base,
                   const char    *token_hash,
                   gint64         now,
                   GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, token_hash);
  ow_pg_param_int (&params, now);
  result = ow_platform_pg_exec (db,
                                "SELECT u.username, u.display_name, u.password_hash, u.roles, "
                                "u.hall, u.hall_name, u.counter, u.department FROM sessions s "
                                "JOIN users u USING (username) WHERE s.token_hash = $1 "
                                "AND s.expires_at > $2::bigint AND NOT u.disabled",
                                &params, FALSE, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return user_from_row (result, 0);
}

static gboolean
pg_delete_session (OwPlatformDb  *base,
                   const char    *token_hash,
                   GError       **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, token_hash);
  return ow_platform_pg_run (OW_PLATFORM_PG (base), "DELETE FROM sessions WHERE token_hash = $1",
                             &params, error);
}

/* Calendar --------------------------------------------------------------------------------- */

static gboolean
pg_set_day (OwPlatformDb  *base,
            const char    *hall,
            const char    *date,
            const char    *kind,
            const char    *name,
            gboolean      *changed,
            GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_text (&params, hall);
  ow_pg_param_text (&params, date);
  ow_pg_param_text (&params, kind);
  ow_pg_param_text (&params, name);
  /* An unchanged day is not written, so that seeding again tells what really changed. */
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "INSERT INTO calendar_days (hall, date, kind, name) "
                                "VALUES ($1, $2, $3, $4) ON CONFLICT (hall, date) DO UPDATE "
                                "SET kind = excluded.kind, name = excluded.name "
                                "WHERE calendar_days.kind <> excluded.kind "
                                "OR calendar_days.name <> excluded.name",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  if (changed != NULL)
    *changed = ow_pg_affected (result) > 0;
  return TRUE;
}

static gboolean
pg_mark_published (OwPlatformDb  *base,
                   int            year,
                   GError       **error)
{
  OwPgParams params = { 0, };

  ow_pg_param_int (&params, year);
  return ow_platform_pg_run (OW_PLATFORM_PG (base),
                             "INSERT INTO calendar_years (year) VALUES ($1::integer) "
                             "ON CONFLICT (year) DO NOTHING", &params, error);
}

static gboolean
pg_is_published (OwPlatformDb  *base,
                 int            year,
                 gboolean      *published,
                 GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_int (&params, year);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT 1 FROM calendar_years WHERE year = $1::integer",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  *published = PQntuples (result) > 0;
  return TRUE;
}

static GPtrArray *
pg_list_days (OwPlatformDb  *base,
              const char    *hall,
              int            year,
              GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) days = NULL;
  char first[16], last[16];
  OwPgParams params = { 0, };

  g_snprintf (first, sizeof first, "%04d-01-01", year);
  g_snprintf (last, sizeof last, "%04d-12-31", year);
  ow_pg_param_text (&params, first);
  ow_pg_param_text (&params, last);
  ow_pg_param_text (&params, hall);
  /* A hall's own day wins over the national one on the same date. */
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT date, kind, name, hall <> '' FROM calendar_days d "
                                "WHERE date BETWEEN $1 AND $2 AND (hall = $3 OR (hall = '' AND "
                                "NOT EXISTS (SELECT 1 FROM calendar_days l WHERE l.hall = $3 "
                                "AND l.date = d.date))) ORDER BY date COLLATE \"C\"",
                                &params, FALSE, error);
  if (result == NULL)
    return NULL;
  days = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_platform_day_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      OwPlatformDay *day = g_new0 (OwPlatformDay, 1);

      day->date = ow_pg_dup (result, i, 0);
      day->kind = ow_pg_dup (result, i, 1);
      day->name = ow_pg_dup (result, i, 2);
      day->local = ow_pg_bool (result, i, 3);
      g_ptr_array_add (days, day);
    }
  return g_steal_pointer (&days);
}

static gint64
pg_count_days (OwPlatformDb  *base,
               GError       **error)
{
  g_autoptr(PGresult) result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                                    "SELECT count(*) FROM calendar_days", NULL,
                                                    FALSE, error);

  return result != NULL ? ow_pg_int (result, 0, 0) : -1;
}

/* Maintenance and background jobs ---------------------------------------------------------- */

static gboolean
pg_begin (OwPlatformDb  *base,
          GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);

  if (!ow_platform_pg_begin_write (db, error))
    return FALSE;
  if (!ow_platform_pg_lock (db, OW_PG_LOCK_MAINTENANCE, error))
    {
      ow_platform_pg_rollback_write (db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_commit (OwPlatformDb  *base,
           GError       **error)
{
  return ow_platform_pg_commit_write (OW_PLATFORM_PG (base), error);
}

static void
pg_rollback (OwPlatformDb *base)
{
  ow_platform_pg_rollback_write (OW_PLATFORM_PG (base));
}

/* A session-level lock: it outlives transactions and goes with the connection, so a process
 * that dies frees its jobs for the others at once. */
static gboolean
pg_try_job (OwPlatformDb   *base,
            OwPlatformJob   job,
            gboolean       *acquired,
            GError        **error)
{
  g_autoptr(PGresult) result = NULL;
  OwPgParams params = { 0, };

  *acquired = FALSE;
  ow_pg_param_int (&params, OW_PG_LOCK_CLASS);
  ow_pg_param_int (&params, OW_PG_LOCK_JOB + job);
  result = ow_platform_pg_exec (OW_PLATFORM_PG (base),
                                "SELECT pg_try_advisory_lock($1::integer, $2::integer)",
                                &params, FALSE, error);
  if (result == NULL)
    return FALSE;
  *acquired = ow_pg_bool (result, 0, 0);
  return TRUE;
}

static void
pg_end_job (OwPlatformDb  *base,
            OwPlatformJob  job)
{
  g_autoptr(GError) error = NULL;
  OwPgParams params = { 0, };

  ow_pg_param_int (&params, OW_PG_LOCK_CLASS);
  ow_pg_param_int (&params, OW_PG_LOCK_JOB + job);
  if (!ow_platform_pg_run (OW_PLATFORM_PG (base),
                           "SELECT pg_advisory_unlock($1::integer, $2::integer)", &params,
                           &error))
    g_warning ("Cannot release a background job: %s", error->message);
}

static void
pg_idle (OwPlatformDb *base)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);
  PGTransactionStatusType status = PQtransactionStatus (db->conn);

  if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR)
    {
      g_warning ("A transaction was left open on the database: rolled back");
      PQclear (PQexec (db->conn, "ROLLBACK"));
    }
}

static GSource *
pg_watch_changes (OwPlatformDb  *base,
                  GError       **error)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);

  return ow_platform_pg_watch_new (db->uri, db->label);
}

/* Lifecycle -------------------------------------------------------------------------------- */

static void
pg_free (OwPlatformDb *base)
{
  OwPlatformPg *db = OW_PLATFORM_PG (base);

  g_clear_pointer (&db->statements, g_hash_table_unref);
  g_clear_pointer (&db->conn, PQfinish);
  g_free (db->uri);
  g_free (db->label);
  g_free (db);
}

static const OwPlatformDbClass pg_class = {
  .name = "postgresql",
  .free = pg_free,
  .watch_changes = pg_watch_changes,
  .try_job = pg_try_job,
  .end_job = pg_end_job,
  .idle = pg_idle,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .add_user = pg_add_user,
  .lookup_user = pg_lookup_user,
  .set_user_disabled = pg_set_user_disabled,
  .list_users = pg_list_users,
  .set_user_department = pg_set_user_department,
  .add_session = pg_add_session,
  .lookup_session = pg_lookup_session,
  .delete_session = pg_delete_session,
  .get_catalog = ow_platform_pg_get_catalog,
  .get_catalog_header = ow_platform_pg_get_catalog_header,
  .put_catalog_item = ow_platform_pg_put_catalog_item,
  .finish_catalog = ow_platform_pg_finish_catalog,
  .catalog_has_item = ow_platform_pg_catalog_has_item,
  .list_catalog_items = ow_platform_pg_list_catalog_items,
  .get_item_legal_limit = ow_platform_pg_get_item_legal_limit,
  .count_catalog_items = ow_platform_pg_count_catalog_items,
  .set_day = pg_set_day,
  .mark_published = pg_mark_published,
  .is_published = pg_is_published,
  .list_days = pg_list_days,
  .count_days = pg_count_days,
  .put_case = ow_platform_pg_put_case,
  .get_case = ow_platform_pg_get_case,
  .list_cases = ow_platform_pg_list_cases,
  .list_stale_cases = ow_platform_pg_list_stale_cases,
  .list_cases_naming_file = ow_platform_pg_list_cases_naming_file,
  .add_case_event = ow_platform_pg_add_case_event,
  .has_case_event = ow_platform_pg_has_case_event,
  .list_case_events = ow_platform_pg_list_case_events,
  .put_file = ow_platform_pg_put_file,
  .get_file = ow_platform_pg_get_file,
  .has_file = ow_platform_pg_has_file,
  .append_change_for = ow_platform_pg_append_change_for,
  .list_changes = ow_platform_pg_list_changes,
  .last_change = ow_platform_pg_last_change,
  .put_ticket = ow_platform_pg_put_ticket,
  .get_ticket = ow_platform_pg_get_ticket,
  .list_tickets = ow_platform_pg_list_tickets,
  .add_ticket_event = ow_platform_pg_add_ticket_event,
  .list_ticket_events = ow_platform_pg_list_ticket_events,
  .escalate_tickets = ow_platform_pg_escalate_tickets,
  .put_rating = ow_platform_pg_put_rating,
  .get_rating = ow_platform_pg_get_rating,
  .count_cases_by_state = ow_platform_pg_count_cases_by_state,
  .list_late_cases = ow_platform_pg_list_late_cases,
  .count_tickets = ow_platform_pg_count_tickets,
  .count_ratings = ow_platform_pg_count_ratings,
  .count_cases = ow_platform_pg_count_cases,
  .count_by_promised = ow_platform_pg_count_by_promised,
  .count_received = ow_platform_pg_count_received,
  .count_reform_items = ow_platform_pg_count_reform_items,
  .count_reform_usage = ow_platform_pg_count_reform_usage,
  .count_ratings_by = ow_platform_pg_count_ratings_by,
  .list_ratings = ow_platform_pg_list_ratings,
  .get_login_failures = ow_platform_pg_get_login_failures,
  .add_login_failure = ow_platform_pg_add_login_failure,
  .clear_login_failures = ow_platform_pg_clear_login_failures,
  .unlock_logins = ow_platform_pg_unlock_logins,
  .list_login_locks = ow_platform_pg_list_login_locks,
  .add_audit = ow_platform_pg_add_audit,
  .list_audit = ow_platform_pg_list_audit,
};

static void
pg_handle_free (OwPlatformPg *db)
{
  pg_free (&db->parent);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwPlatformPg, pg_handle_free)

OwPlatformDb *
ow_platform_pg_open (const char             *uri,
                     OwPlatformDbOpenFlags   flags,
                     GError                **error)
{
  g_autoptr(OwPlatformPg) db = g_new0 (OwPlatformPg, 1);

  g_return_val_if_fail (uri != NULL, NULL);

  db->parent.klass = &pg_class;
  db->uri = g_strdup (uri);
  db->label = describe_uri (uri);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  if ((db->conn = ow_platform_pg_connect (uri, db->label, error)) == NULL ||
      !migrate (db, flags, error))
    return NULL;
  return (OwPlatformDb *) g_steal_pointer (&db);
}
