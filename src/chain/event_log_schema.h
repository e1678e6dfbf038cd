// The event log's SQLite schema and the checks both of its connections (the
// writer's and the readers') run on open. Internal to the chain library.
#pragma once

#include <chrono>

#include "chain/sqlite_db.h"
#include "common/result.h"

namespace theater::chain::schema {

// Actor ids (36-character UUIDs) are interned: events carry a small integer,
// which keeps the (actor, seq) index compact and inserts fast.
inline constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS actors (
  id       INTEGER PRIMARY KEY,
  actor_id TEXT    NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS events (
  actor        INTEGER NOT NULL REFERENCES actors (id),
  seq          INTEGER NOT NULL,
  hash         BLOB    NOT NULL,
  parent_hash  BLOB,
  timestamp_ms INTEGER NOT NULL,
  event_type   TEXT    NOT NULL,
  description  TEXT,
  data         BLOB    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_by_actor_seq ON events (actor, seq);
)sql";

// Bumped whenever the schema changes shape; older files are refused rather
// than misread.
inline constexpr int kSchemaVersion = 1;

// Larger pages mean fewer page writes per batch (measured: ~1.6x the insert
// rate of 4 KiB pages). Only takes effect when the file is created.
inline constexpr const char* kPageSize = "PRAGMA page_size = 16384";

Status set_busy_timeout(sqlite::Database& db, std::chrono::milliseconds timeout);

// A file whose schema version is ours, or that was just created (version 0),
// which is stamped when `stamp_if_new`.
Status check_schema_version(sqlite::Database& db, bool stamp_if_new);

}  // namespace theater::chain::schema
