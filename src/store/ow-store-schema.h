/* ow-store-schema.h — the local database's schema, as an ordered list of migrations
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Migration i brings a database from PRAGMA user_version i to i + 1; each runs in one transaction
 * together with the version bump. Never edit a migration that has shipped: append a new one.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

static const char * const ow_store_migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE cases ("
  "  case_no        TEXT PRIMARY KEY NOT NULL,"
  "  state          TEXT NOT NULL,"
  "  applicant_id   TEXT,"
  "  applicant_name TEXT,"
  "  updated_at     INTEGER NOT NULL,"
  /* The GVariant type of data: a record written by an older serializer is recognised as such
   * instead of being misread. */
  "  data_type      TEXT NOT NULL,"
  "  data           BLOB NOT NULL"
  ");"
  "CREATE INDEX cases_by_applicant ON cases (applicant_id);"
  "CREATE INDEX cases_by_update ON cases (updated_at);"
  "CREATE TABLE sequences ("
  "  hall    TEXT NOT NULL,"
  "  counter INTEGER NOT NULL,"
  "  day     TEXT NOT NULL,"
  "  next    INTEGER NOT NULL,"
  "  PRIMARY KEY (hall, counter, day)"
  ");"
  "CREATE TABLE outbox ("
  "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind         TEXT NOT NULL,"
  "  key          TEXT NOT NULL,"
  "  method       TEXT NOT NULL,"
  "  path         TEXT NOT NULL,"
  "  content_type TEXT,"
  "  body         BLOB,"
  "  attempts     INTEGER NOT NULL DEFAULT 0,"
  "  last_error   TEXT,"
  "  next_attempt INTEGER NOT NULL DEFAULT 0,"
  "  dead         INTEGER NOT NULL DEFAULT 0 CHECK (dead IN (0, 1)),"
  "  created_at   INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_by_key ON outbox (key);"
  "CREATE TABLE drafts ("
  "  key        TEXT PRIMARY KEY NOT NULL,"
  "  title      TEXT,"
  "  data       BLOB NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE audit ("
  "  id     INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at     INTEGER NOT NULL,"
  "  user   TEXT,"
  "  event  TEXT NOT NULL,"
  "  object TEXT,"
  "  result TEXT"
  ");"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT"
  ");",

  /* 2: scanned pages travel through the outbox. An entry's body may be a file of the files
   * folder, named by its SHA-256 and read when it is sent, so a 300 KB page is not copied into
   * the database; uploaded_files remembers what the platform holds, so that a page shared by
   * several cases goes up once. */
  "ALTER TABLE outbox ADD COLUMN body_file TEXT;"
  "CREATE INDEX outbox_by_body_file ON outbox (body_file) WHERE body_file IS NOT NULL;"
  "CREATE INDEX outbox_dead_by_key ON outbox (key, id) WHERE dead = 1;"
  "CREATE TABLE uploaded_files ("
  "  sha256      TEXT PRIMARY KEY NOT NULL,"
  "  uploaded_at INTEGER NOT NULL"
  ");",

  /* 3: tickets of unfinished business, kept like cases: the record as a GVariant of core
   * (ow_ticket_serialize, an a{sv} dictionary) beside the columns the lists filter on. Their
   * events are kept too, in order, so that the timeline shows offline what the counter did. */
  "CREATE TABLE tickets ("
  "  id            TEXT PRIMARY KEY NOT NULL,"
  "  state         TEXT NOT NULL,"
  "  assignee      TEXT,"
  "  due_date      TEXT,"
  "  registered_at INTEGER NOT NULL,"
  "  updated_at    INTEGER NOT NULL,"
  "  data_type     TEXT NOT NULL,"
  "  data          BLOB NOT NULL"
  ");"
  "CREATE INDEX tickets_by_state ON tickets (state, registered_at);"
  "CREATE INDEX tickets_by_assignee ON tickets (assignee, registered_at);"
  "CREATE TABLE ticket_events ("
  "  position  INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id        TEXT NOT NULL UNIQUE,"
  "  ticket_id TEXT NOT NULL,"
  "  data_type TEXT NOT NULL,"
  "  data      BLOB NOT NULL"
  ");"
  "CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, position);",

  /* 4: what the platform publishes, kept so that the counter starts without it, and the
   * verifiers that let a clerk log in offline.
   *
   * The catalog: an item per row with the columns a list shows and its body as the platform
   * sent it (JSON, read by the codec above the store). A whole catalog arrives in pages into a
   * new generation, invisible until its last page swaps it in; a delta changes the current one.
   * The meta keys catalog-generation, -revision, -etag and -stamp say which is current; the
   * stamp changes with every change, and the search index kept beside (catalog_index) is only
   * used while its stamp is current. */
  "CREATE TABLE catalog_items ("
  "  generation     INTEGER NOT NULL,"
  "  id             TEXT NOT NULL,"
  "  position       INTEGER NOT NULL,"
  "  name           TEXT NOT NULL,"
  "  basic_code     TEXT NOT NULL,"
  /* The aliases, each followed by U+001F. */
  "  aliases        TEXT NOT NULL,"
  "  department     TEXT NOT NULL,"
  "  item_type      INTEGER NOT NULL,"
  "  level          INTEGER NOT NULL,"
  "  legal_limit    INTEGER NOT NULL,"
  "  promised_limit INTEGER NOT NULL,"
  "  visits         INTEGER NOT NULL,"
  "  body           TEXT NOT NULL,"
  "  PRIMARY KEY (generation, id)"
  ");"
  /* The list's columns in the index too: reading the catalog at start scans only the index,
   * not the rows, each nearly a page with its body (50,000 items: 0.03 s instead of 0.4). */
  "CREATE INDEX catalog_items_in_order ON catalog_items (generation, position, id, name,"
  "  basic_code, aliases, department, item_type, level, legal_limit, promised_limit, visits);"
  "CREATE TABLE catalog_bundles ("
  "  generation  INTEGER NOT NULL,"
  "  position    INTEGER NOT NULL,"
  "  id          TEXT NOT NULL,"
  "  name        TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  /* The item ids, each followed by U+001F. */
  "  item_ids    TEXT NOT NULL,"
  "  PRIMARY KEY (generation, position)"
  ");"
  "CREATE TABLE catalog_index ("
  "  stamp TEXT PRIMARY KEY NOT NULL,"
  "  data  BLOB NOT NULL"
  ");"
  /* The calendar of each year as the platform published it (TSV, as ow_calendar_load_national
   * and _local take it), with the ETag it came with. */
  "CREATE TABLE calendar_years ("
  "  year       INTEGER PRIMARY KEY NOT NULL,"
  "  national   TEXT,"
  "  local      TEXT,"
  "  published  INTEGER NOT NULL CHECK (published IN (0, 1)),"
  "  etag       TEXT,"
  "  fetched_at INTEGER NOT NULL"
  ");"
  /* Who logged in online at this PC: a slow salted hash of the password (crypto_pwhash_str:
   * never the password, never a token), what the platform said of the user, and when. Valid
   * for a configured time from verified_at; revoked when the platform says the user is
   * disabled; failed offline attempts counted, and locked after too many. */
  "CREATE TABLE credentials ("
  "  platform      TEXT NOT NULL,"
  "  username      TEXT NOT NULL,"
  "  verifier      TEXT NOT NULL,"
  "  display_name  TEXT NOT NULL,"
  /* The roles, each followed by U+001F. */
  "  roles         TEXT NOT NULL,"
  "  hall          TEXT,"
  "  hall_name     TEXT,"
  "  counter       INTEGER NOT NULL,"
  "  verified_at   INTEGER NOT NULL,"
  "  failures      INTEGER NOT NULL DEFAULT 0,"
  "  locked_until  INTEGER NOT NULL DEFAULT 0,"
  "  revoked_at    INTEGER,"
  "  revoked_why   TEXT,"
  "  PRIMARY KEY (platform, username)"
  ");",

  /* 5: the unified pick-up window. Each case's timeline as the platform recorded it (and the
   * counter's own events, at once), so that the window tells with the platform away how long a
   * result has waited and whether it is a decision not to approve: the event as the codec's
   * JSON, which the store does not read, beside what the lists need. The hall's results are
   * found by state and hall (a case number's first 8 characters are its hall's code). The
   * ratings given at this counter, one on-site rating per case, and what became of them. */
  "CREATE TABLE case_events ("
  "  position INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id       TEXT NOT NULL UNIQUE,"
  "  case_no  TEXT NOT NULL,"
  "  kind     TEXT NOT NULL,"
  "  at       INTEGER NOT NULL,"
  "  carrier  TEXT,"
  "  waybill  TEXT,"
  "  body     TEXT NOT NULL"
  ");"
  "CREATE INDEX case_events_by_case ON case_events (case_no, kind, at);"
  "CREATE INDEX cases_by_state_and_hall ON cases (state, substr (case_no, 1, 8), updated_at);"
  "CREATE TABLE ratings ("
  "  id      TEXT PRIMARY KEY NOT NULL,"
  "  case_no TEXT NOT NULL,"
  "  channel TEXT NOT NULL,"
  "  level   INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),"
  "  text    TEXT,"
  "  at      INTEGER NOT NULL,"
  /* given: kept, and sent or on its way (the outbox tells which); duplicate: the platform held
   * an on-site rating of the case already (one given at another counter), so this one does not
   * count. */
  "  state   TEXT NOT NULL CHECK (state IN ('given', 'duplicate')),"
  /* The id of the ticket that follows a poor rating up, or NULL. */
  "  follow_up TEXT"
  ");"
  "CREATE INDEX ratings_by_case ON ratings (case_no);",
};

G_END_DECLS
