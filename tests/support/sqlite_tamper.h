// Edits an event log's SQLite index the way someone with write access to
// $THEATER_HOME could, with plain SQL: delete a chain's newest segment row,
// swap two actors' ids, or give a segment a hostile length. The log must not
// be open for writing meanwhile. Tests that use this link SQLite::SQLite3.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace theater::test_support {

inline void run_sql(const std::filesystem::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK) << db_path;
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  const std::string text = message ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << text << " in: " << sql;
}

// How many segments the log indexes, over every actor (opened read-only, so
// it may run while a writer commits); -1 when it cannot be read.
inline int64_t segment_count(const std::filesystem::path& db_path) {
  sqlite3* db = nullptr;
  int64_t count = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM segments", -1, &statement, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      count = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return count;
}

// SQL naming the newest segment of `actor` (ids are UUIDs or test names: no quoting needed).
inline std::string newest_segment_of(const std::string& actor) {
  const std::string key = "(SELECT id FROM actors WHERE actor_id = '" + actor + "')";
  return "actor = " + key +
         " AND first_seq = (SELECT max(first_seq) FROM segments WHERE actor = " + key + ")";
}

inline void delete_newest_segment(const std::filesystem::path& db_path, const std::string& actor) {
  run_sql(db_path, "DELETE FROM segments WHERE " + newest_segment_of(actor));
}

inline void set_newest_segment_length(const std::filesystem::path& db_path,
                                      const std::string& actor, uint64_t length) {
  run_sql(db_path, "UPDATE segments SET length = " + std::to_string(length) + " WHERE " +
                       newest_segment_of(actor));
}

inline void swap_actor_ids(const std::filesystem::path& db_path, const std::string& a,
                           const std::string& b) {
  run_sql(db_path, "BEGIN; UPDATE actors SET actor_id = 'swapping' WHERE actor_id = '" + a +
                       "'; UPDATE actors SET actor_id = '" + a + "' WHERE actor_id = '" + b +
                       "'; UPDATE actors SET actor_id = '" + b +
                       "' WHERE actor_id = 'swapping'; COMMIT");
}

}  // namespace theater::test_support
