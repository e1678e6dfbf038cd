// EventLogReader: committed events back out of the log, oldest first.
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "chain/event_log.h"
#include "chain/event_log_schema.h"
#include "chain/segment.h"
#include "chain/sqlite_db.h"

namespace theater::chain {

// One row of the segment index.
struct SegmentRow {
  uint64_t first_seq;
  uint64_t count;
  uint64_t offset;
  uint64_t length;
};

namespace {

using sqlite::Database;
using sqlite::OpenMode;
using sqlite::Statement;

constexpr const char* kSelectSegments =
    "SELECT s.first_seq, s.count, s.offset, s.length FROM segments s JOIN actors a ON a.id = "
    "s.actor WHERE a.actor_id = ?1 ORDER BY s.first_seq";

constexpr const char* kSelectActors =
    "SELECT actor_id FROM actors a WHERE EXISTS (SELECT 1 FROM segments s WHERE s.actor = a.id) "
    "ORDER BY actor_id";

std::string describe(std::string_view actor_id, const SegmentRow& row) {
  return "(actor " + std::string(actor_id) + ", events " + std::to_string(row.first_seq) + ".." +
         std::to_string(row.first_seq + row.count - 1) + ")";
}

}  // namespace

EventLogReader::EventLogReader(std::unique_ptr<Database> db, UniqueFd file, std::string file_path)
    : db_(std::move(db)), file_(std::move(file)), file_path_(std::move(file_path)) {}
EventLogReader::~EventLogReader() = default;

Result<std::unique_ptr<EventLogReader>> EventLogReader::open(const std::filesystem::path& path) {
  THEATER_ASSIGN_OR_RETURN(Database db, Database::open(path, OpenMode::kReadOnly));
  THEATER_RETURN_IF_ERROR(schema::set_busy_timeout(db, EventLogOptions{}.busy_timeout));
  THEATER_ASSIGN_OR_RETURN(
      const std::string tables,
      db.query_text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                    "('events', 'segments')"));
  if (tables == "0") {
    return make_error(ErrorCode::kNotFound,
                      path.string() + " is not a theater event log (it has no segments table)");
  }
  THEATER_RETURN_IF_ERROR(schema::check_schema_version(db, /*stamp_if_new=*/false));
  const std::string file_path = schema::event_file_path(path).string();
  UniqueFd file(::open(file_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) {
    return make_error(ErrorCode::kNotFound, "event log " + path.string() +
                                                " has no readable event file " + file_path + ": " +
                                                std::strerror(errno));
  }
  return std::unique_ptr<EventLogReader>(
      new EventLogReader(std::make_unique<Database>(std::move(db)), std::move(file), file_path));
}

Result<std::vector<SegmentRow>> EventLogReader::segments_of(std::string_view actor_id) {
  THEATER_ASSIGN_OR_RETURN(Statement select, db_->prepare(kSelectSegments));
  THEATER_RETURN_IF_ERROR(select.bind_text(1, actor_id));
  std::vector<SegmentRow> rows;
  while (true) {
    THEATER_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row) break;
    // Stored as SQLite's i64 bit patterns; cast back.
    const SegmentRow row{static_cast<uint64_t>(select.column_int64(0)),
                         static_cast<uint64_t>(select.column_int64(1)),
                         static_cast<uint64_t>(select.column_int64(2)),
                         static_cast<uint64_t>(select.column_int64(3))};
    const uint64_t expected = rows.empty() ? 0 : rows.back().first_seq + rows.back().count;
    if (row.first_seq != expected || row.count == 0) {
      return make_error(ErrorCode::kInvalidArgument,
                        "event log index of actor " + std::string(actor_id) +
                            " is broken: " + (row.count == 0 ? "an empty segment" : "a segment") +
                            " starts at seq " + std::to_string(row.first_seq) + " where seq " +
                            std::to_string(expected) + " was expected");
    }
    rows.push_back(row);
  }
  return rows;
}

Result<std::vector<Event>> EventLogReader::read_events(std::string_view actor_id) {
  std::lock_guard lock(mu_);
  THEATER_ASSIGN_OR_RETURN(const std::vector<SegmentRow> rows, segments_of(actor_id));
  std::vector<Event> events;
  for (const SegmentRow& row : rows) {
    THEATER_ASSIGN_OR_RETURN(const std::vector<uint8_t> bytes,
                             segment::read_exact(file_.get(), row.offset, row.length, file_path_));
    THEATER_RETURN_IF_ERROR(segment::decode(bytes, row.count, describe(actor_id, row), events));
  }
  return events;
}

Result<StoredData> EventLogReader::locate_data(std::string_view actor_id, uint64_t seq) {
  std::lock_guard lock(mu_);
  THEATER_ASSIGN_OR_RETURN(const std::vector<SegmentRow> rows, segments_of(actor_id));
  for (const SegmentRow& row : rows) {
    if (seq < row.first_seq || seq >= row.first_seq + row.count) continue;
    THEATER_ASSIGN_OR_RETURN(const std::vector<uint8_t> bytes,
                             segment::read_exact(file_.get(), row.offset, row.length, file_path_));
    std::vector<Event> events;
    std::vector<size_t> positions;
    THEATER_RETURN_IF_ERROR(
        segment::decode(bytes, row.count, describe(actor_id, row), events, &positions));
    const size_t index = seq - row.first_seq;
    return StoredData{file_path_, row.offset + positions[index], events[index].data.size()};
  }
  return make_error(ErrorCode::kNotFound, "actor " + std::string(actor_id) +
                                              " has no stored event " + std::to_string(seq));
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
