#include "common/sqlite_db.h"

#include <cerrno>
#include <cstring>

namespace theater::sqlite {
namespace {

// SQLite's message, and for a full disk or an I/O error the operating
// system's own ("database or disk is full: No space left on device"), so a
// user learns the same cause whichever file, index or event file, hit it.
std::string cause_of(sqlite3* db) {
  std::string cause = sqlite3_errmsg(db);
  const int primary = sqlite3_errcode(db) & 0xff;
  int os_errno = sqlite3_system_errno(db);
  // SQLite reports a short write to a full disk as SQLITE_FULL without the
  // errno; we set no page limit, so SQLITE_FULL is always the disk.
  if (primary == SQLITE_FULL && os_errno == 0) os_errno = ENOSPC;
  if ((primary == SQLITE_FULL || primary == SQLITE_IOERR) && os_errno != 0) {
    cause += std::string(": ") + std::strerror(os_errno);
  }
  return cause;
}

// "<what>: <cause> (<db file>)".
Error error_of(sqlite3* db, const std::string& what) {
  const char* file = sqlite3_db_filename(db, "main");
  return make_error(ErrorCode::kInternal, what + ": " + cause_of(db) + " (" +
                                              (file && *file ? file : "unnamed database") + ")");
}

}  // namespace

Result<Database> Database::open(const std::filesystem::path& path, OpenMode mode) {
  // NOMUTEX: each connection is confined to one thread at a time by its owner.
  const int flags = (mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<sqlite3, Closer> db(raw);  // sqlite3_open_v2 allocates even on failure
  if (rc != SQLITE_OK) {
    const std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    const ErrorCode code = rc == SQLITE_CANTOPEN ? ErrorCode::kNotFound : ErrorCode::kInternal;
    return make_error(code, "cannot open database " + path.string() + ": " + message);
  }
  sqlite3_extended_result_codes(raw, 1);
  return Database(std::move(db), path);
}

Error Database::error(const std::string& what) const {
  return error_of(db_.get(), what);
}

Error Statement::error(const std::string& what) const {
  return error_of(sqlite3_db_handle(stmt_.get()), what);
}

Status Database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? cause_of(db_.get()) : "unknown error";
    sqlite3_free(message);
    return make_error(ErrorCode::kInternal,
                      "\"" + sql + "\" failed: " + text + " (" + path_.string() + ")");
  }
  return ok_status();
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    return error("preparing \"" + std::string(sql) + "\"");
  }
  return Statement(stmt);
}

Result<std::string> Database::query_text(std::string_view sql) {
  THEATER_ASSIGN_OR_RETURN(Statement stmt, prepare(sql));
  THEATER_ASSIGN_OR_RETURN(const bool has_row, stmt.step());
  if (!has_row) return error("\"" + std::string(sql) + "\" returned no row");
  return stmt.column_text(0);
}

int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

Status Statement::check_bind(int rc, int index) {
  if (rc == SQLITE_OK) return ok_status();
  return error("binding parameter " + std::to_string(index) + " of \"" + sqlite3_sql(stmt_.get()) +
               "\"");
}

Status Statement::bind_int64(int index, int64_t value) {
  return check_bind(sqlite3_bind_int64(stmt_.get(), index, value), index);
}

Status Statement::bind_text(int index, std::string_view text) {
  // SQLITE_STATIC: the caller keeps the text alive until step() has run.
  return check_bind(
      sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8),
      index);
}

Status Statement::bind_blob(int index, std::span<const uint8_t> bytes) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  static const uint8_t kEmpty = 0;
  const void* data = bytes.empty() ? &kEmpty : bytes.data();
  return check_bind(sqlite3_bind_blob64(stmt_.get(), index, data, bytes.size(), SQLITE_STATIC),
                    index);
}

Status Statement::bind_null(int index) {
  return check_bind(sqlite3_bind_null(stmt_.get(), index), index);
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return error(std::string("running \"") + sqlite3_sql(stmt_.get()) + "\"");
}

void Statement::reset() {
  // sqlite3_reset repeats the last step's error, which step() already reported.
  sqlite3_reset(stmt_.get());
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  return text ? std::string(reinterpret_cast<const char*>(text), size) : std::string();
}

std::vector<uint8_t> Statement::column_blob(int column) const {
  const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_.get(), column));
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  return blob ? std::vector<uint8_t>(blob, blob + size) : std::vector<uint8_t>();
}

}  // namespace theater::sqlite
