// EventLogReader: committed events back out of the log, oldest first.
#include <algorithm>

#include "chain/event_log.h"
#include "chain/event_log_schema.h"
#include "chain/sqlite_db.h"

namespace theater::chain {
namespace {

using sqlite::Database;
using sqlite::OpenMode;
using sqlite::Statement;

constexpr const char* kSelectEvents =
    "SELECT e.seq, e.hash, e.parent_hash, e.timestamp_ms, e.event_type, e.description, e.data "
    "FROM events e JOIN actors a ON a.id = e.actor WHERE a.actor_id = ?1 ORDER BY e.seq";

constexpr const char* kSelectActors =
    "SELECT actor_id FROM actors a WHERE EXISTS (SELECT 1 FROM events e WHERE e.actor = a.id) "
    "ORDER BY actor_id";

Result<EventHash> hash_column(const Statement& row, int column, std::string_view actor_id,
                              int64_t seq, const char* name) {
  const std::vector<uint8_t> bytes = row.column_blob(column);
  EventHash hash{};
  if (bytes.size() != hash.size()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "event log row (actor " + std::string(actor_id) + ", seq " +
                          std::to_string(seq) + "): " + name + " is " +
                          std::to_string(bytes.size()) + " bytes, expected 32");
  }
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

Result<Event> event_from_row(const Statement& row, std::string_view actor_id) {
  const int64_t seq = row.column_int64(0);
  Event event;
  THEATER_ASSIGN_OR_RETURN(event.hash, hash_column(row, 1, actor_id, seq, "hash"));
  if (!row.is_null(2)) {
    THEATER_ASSIGN_OR_RETURN(event.parent_hash, hash_column(row, 2, actor_id, seq, "parent_hash"));
  }
  // u64 timestamps are stored as SQLite's i64 bit pattern and cast back.
  event.timestamp_ms = static_cast<uint64_t>(row.column_int64(3));
  event.event_type = row.column_text(4);
  if (!row.is_null(5)) event.description = row.column_text(5);
  event.data = row.column_blob(6);
  return event;
}

}  // namespace

EventLogReader::EventLogReader(std::unique_ptr<Database> db) : db_(std::move(db)) {}
EventLogReader::~EventLogReader() = default;

Result<std::unique_ptr<EventLogReader>> EventLogReader::open(const std::filesystem::path& path) {
  THEATER_ASSIGN_OR_RETURN(Database db, Database::open(path, OpenMode::kReadOnly));
  THEATER_RETURN_IF_ERROR(schema::set_busy_timeout(db, EventLogOptions{}.busy_timeout));
  THEATER_ASSIGN_OR_RETURN(
      const std::string tables,
      db.query_text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'"));
  if (tables != "1") {
    return make_error(ErrorCode::kNotFound,
                      path.string() + " is not a theater event log (it has no events table)");
  }
  THEATER_RETURN_IF_ERROR(schema::check_schema_version(db, /*stamp_if_new=*/false));
  return std::unique_ptr<EventLogReader>(
      new EventLogReader(std::make_unique<Database>(std::move(db))));
}

Result<std::vector<Event>> EventLogReader::read_events(std::string_view actor_id) {
  std::lock_guard lock(mu_);
  THEATER_ASSIGN_OR_RETURN(Statement select, db_->prepare(kSelectEvents));
  THEATER_RETURN_IF_ERROR(select.bind_text(1, actor_id));
  std::vector<Event> events;
  while (true) {
    THEATER_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row) break;
    THEATER_ASSIGN_OR_RETURN(Event event, event_from_row(select, actor_id));
    events.push_back(std::move(event));
  }
  return events;
}

Result<std::vector<std::string>> EventLogReader::list_actors() {
  std::lock_guard lock(mu_);
  THEATER_ASSIGN_OR_RETURN(Statement select, db_->prepare(kSelectActors));
  std::vector<std::string> actors;
  while (true) {
    THEATER_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row) break;
    actors.push_back(select.column_text(0));
  }
  return actors;
}

}  // namespace theater::chain
