// The event log's SQLite schema and the checks both of its connections (the
// writer's and the readers') run on open. Internal to the chain library.
#pragma once

#include <chrono>
#include <filesystem>

#include "common/result.h"
#include "common/sqlite_db.h"

namespace theater::chain::schema {

// Actor ids (36-character UUIDs) are interned: segments carry a small integer.
// Events themselves live in the event file (see segment.h); `segments`
// indexes it: events first_seq .. first_seq + count - 1 of an actor are the
// `length` bytes at `offset`. `heads` holds each chain's end as the writer
// left it (events stored, hash of the last one), updated in the transaction
// of every batch: a reader compares the chain it recomputes with it, so a
// deleted segment row or a cut event file is found, not taken for a shorter
// chain.
inline constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS actors (
  id       INTEGER PRIMARY KEY,
  actor_id TEXT    NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS segments (
  actor     INTEGER NOT NULL REFERENCES actors (id),
  first_seq INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  offset    INTEGER NOT NULL,
  length    INTEGER NOT NULL,
  PRIMARY KEY (actor, first_seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS heads (
  actor INTEGER PRIMARY KEY REFERENCES actors (id),
  count INTEGER NOT NULL,
  hash  BLOB    NOT NULL
);
)sql";

// Bumped whenever the schema changes shape; older files are refused rather
// than misread. 2: events moved from rows to segments in the event file.
// 3: chain heads. Older files are not migrated: a version-2 log has no record
// of where its chains ended, so its chains could not be checked for cuts.
inline constexpr int kSchemaVersion = 3;

// The event file next to the database ("theater.db" -> "theater.db-events").
std::filesystem::path event_file_path(const std::filesystem::path& db_path);

// Larger pages mean fewer page writes per batch (measured: ~1.6x the insert
// rate of 4 KiB pages). Only takes effect when the file is created.
inline constexpr const char* kPageSize = "PRAGMA page_size = 16384";

Status set_busy_timeout(sqlite::Database& db, std::chrono::milliseconds timeout);

// A file whose schema version is ours, or that was just created (version 0),
// which is stamped when `stamp_if_new`. Call before creating tables, so an
// older file is refused untouched.
Status check_schema_version(sqlite::Database& db, bool stamp_if_new);

}  // namespace theater::chain::schema
