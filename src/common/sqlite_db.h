// Thin RAII wrappers over the SQLite C API, shared by the event log (chain/) and the content store
// (store/). Every failure becomes an Error carrying SQLite's own message.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace theater::sqlite {

enum class OpenMode { kReadWriteCreate, kReadOnly };

class Statement;

// One connection. Not thread-safe: use from one thread at a time. Its
// statements must be destroyed before it.
class Database {
 public:
  static Result<Database> open(const std::filesystem::path& path, OpenMode mode);

  // Runs one or more statements that return no rows.
  Status exec(const std::string& sql);
  Result<Statement> prepare(std::string_view sql);
  // The single text value of a one-row query such as "PRAGMA journal_mode=WAL".
  Result<std::string> query_text(std::string_view sql);
  int64_t last_insert_rowid() const;

  // "<what>: <sqlite message> (<path>)".
  Error error(const std::string& what) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  Database(std::unique_ptr<sqlite3, Closer> db, std::filesystem::path path)
      : db_(std::move(db)), path_(std::move(path)) {}

  std::unique_ptr<sqlite3, Closer> db_;
  std::filesystem::path path_;
};

// A prepared statement. step() returns true while a row is available.
class Statement {
 public:
  // Empty until a prepared statement is moved in (a member prepared later).
  Statement() = default;
  Status bind_int64(int index, int64_t value);
  Status bind_text(int index, std::string_view text);
  Status bind_blob(int index, std::span<const uint8_t> bytes);
  Status bind_null(int index);
  Result<bool> step();
  void reset();  // ready to bind and run again (bindings are overwritten)

  bool is_null(int column) const;
  int64_t column_int64(int column) const;
  std::string column_text(int column) const;
  std::vector<uint8_t> column_blob(int column) const;

 private:
  friend class Database;
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Status check_bind(int rc, int index);
  Error error(const std::string& what) const;

  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

}  // namespace theater::sqlite
