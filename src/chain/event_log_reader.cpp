// EventLogReader: committed events back out of the log, oldest first.
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "chain/event_log.h"
#include "chain/event_log_schema.h"
#include "chain/segment.h"
#include "common/sqlite_db.h"

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

constexpr const char* kSelectHead =
    "SELECT h.count, h.hash FROM heads h JOIN actors a ON a.id = h.actor WHERE a.actor_id = ?1";

constexpr const char* kSelectActors =
    "SELECT actor_id FROM actors a WHERE EXISTS (SELECT 1 FROM segments s WHERE s.actor = a.id) "
    "OR EXISTS (SELECT 1 FROM heads h WHERE h.actor = a.id) ORDER BY actor_id";

std::string describe(std::string_view actor_id, const SegmentRow& row) {
  return "(actor " + std::string(actor_id) + ", events " + std::to_string(row.first_seq) + ".." +
         std::to_string(row.first_seq + row.count - 1) + ")";
}

Error broken_index(std::string_view actor_id, const std::string& what) {
  return make_error(ErrorCode::kInvalidArgument,
                    "event log index of actor " + std::string(actor_id) + " is broken: " + what);
}

// One read transaction: the head and the segments a stream reads belong to
// the same commit. Ends the transaction however the read ends.
class ReadSnapshot {
 public:
  static Result<ReadSnapshot> begin(Database& db) {
    THEATER_RETURN_IF_ERROR(db.exec("BEGIN"));
    return ReadSnapshot(db);
  }
  ReadSnapshot(ReadSnapshot&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(ReadSnapshot&&) = delete;
  ~ReadSnapshot() {
    if (db_) (void)db_->exec("COMMIT");  // read-only: nothing to lose
  }

 private:
  explicit ReadSnapshot(Database& db) : db_(&db) {}
  Database* db_;
};

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

Result<uint64_t> EventLogReader::event_file_size() {
  struct stat info {};
  if (::fstat(file_.get(), &info) != 0) {
    return make_error(ErrorCode::kInternal,
                      "cannot stat event file " + file_path_ + ": " + std::strerror(errno));
  }
  return static_cast<uint64_t>(info.st_size);
}

Status EventLogReader::for_each_segment(std::string_view actor_id, uint64_t file_size,
                                        const std::function<Status(const SegmentRow&)>& visit) {
  THEATER_ASSIGN_OR_RETURN(Statement select, db_->prepare(kSelectSegments));
  THEATER_RETURN_IF_ERROR(select.bind_text(1, actor_id));
  uint64_t expected = 0;  // the seq the next segment must start at
  while (true) {
    THEATER_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row) return ok_status();
    // Stored as SQLite's i64 bit patterns; cast back.
    const SegmentRow row{static_cast<uint64_t>(select.column_int64(0)),
                         static_cast<uint64_t>(select.column_int64(1)),
                         static_cast<uint64_t>(select.column_int64(2)),
                         static_cast<uint64_t>(select.column_int64(3))};
    if (row.first_seq != expected || row.count == 0) {
      return broken_index(actor_id, std::string(row.count == 0 ? "an empty segment" : "a segment") +
                                        " starts at seq " + std::to_string(row.first_seq) +
                                        " where seq " + std::to_string(expected) + " was expected");
    }
    if (row.offset > file_size || row.length > file_size - row.offset) {
      // Checked before any allocation: a damaged length must not become one.
      return make_error(ErrorCode::kInvalidArgument,
                        "event file " + file_path_ + " ends at byte " + std::to_string(file_size) +
                            ", but the index expects " + std::to_string(row.length) +
                            " bytes from byte " + std::to_string(row.offset) + " for segment " +
                            describe(actor_id, row) + ": the file was cut or its index damaged");
    }
    if (row.count > row.length / segment::kMinEncodedSize) {
      return broken_index(actor_id, "segment at seq " + std::to_string(row.first_seq) + " claims " +
                                        std::to_string(row.count) + " events in " +
                                        std::to_string(row.length) + " bytes");
    }
    THEATER_RETURN_IF_ERROR(visit(row));
    expected = row.first_seq + row.count;  // no overflow: count is bounded by the file's size
  }
}

Result<std::optional<ChainHead>> EventLogReader::read_head(std::string_view actor_id) {
  THEATER_ASSIGN_OR_RETURN(Statement select, db_->prepare(kSelectHead));
  THEATER_RETURN_IF_ERROR(select.bind_text(1, actor_id));
  THEATER_ASSIGN_OR_RETURN(const bool has_row, select.step());
  if (!has_row) return std::optional<ChainHead>();
  const std::vector<uint8_t> hash = select.column_blob(1);
  ChainHead head{static_cast<uint64_t>(select.column_int64(0)), {}};
  if (hash.size() != head.hash.size()) {
    return broken_index(actor_id, "its head hash is " + std::to_string(hash.size()) +
                                      " bytes, expected " + std::to_string(head.hash.size()));
  }
  std::copy(hash.begin(), hash.end(), head.hash.begin());
  return std::optional<ChainHead>(head);
}

Result<std::optional<ChainHead>> EventLogReader::stream_event_views(std::string_view actor_id,
                                                                    const EventViewVisitor& visit) {
  std::lock_guard lock(mu_);
  THEATER_ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::begin(*db_));
  // The head's query starts the snapshot; every segment it covers was written
  // to the event file before its commit, so the size taken after it covers them.
  THEATER_ASSIGN_OR_RETURN(const std::optional<ChainHead> head, read_head(actor_id));
  THEATER_ASSIGN_OR_RETURN(const uint64_t file_size, event_file_size());
  std::vector<uint8_t> bytes;  // one segment at a time, its capacity reused
  THEATER_RETURN_IF_ERROR(
      for_each_segment(actor_id, file_size, [&](const SegmentRow& row) -> Status {
        THEATER_RETURN_IF_ERROR(
            segment::read_exact(file_.get(), file_size, row.offset, row.length, file_path_, bytes));
        return segment::decode(bytes, row.count, describe(actor_id, row),
                               [&](const EventView& event, size_t) { return visit(event); });
      }));
  return head;
}

Result<std::optional<ChainHead>> EventLogReader::stream_events(std::string_view actor_id,
                                                               const EventVisitor& visit) {
  Event event;  // its buffers are reused from one event to the next
  return stream_event_views(actor_id, [&](const EventView& view) {
    assign(event, view);
    return visit(event);
  });
}

Result<std::vector<Event>> EventLogReader::read_events(std::string_view actor_id) {
  std::vector<Event> events;
  auto head = stream_events(actor_id, append_to(events));
  if (!head.ok()) return head.error();
  return events;
}

Result<StoredData> EventLogReader::locate_data(std::string_view actor_id, uint64_t seq) {
  std::lock_guard lock(mu_);
  THEATER_ASSIGN_OR_RETURN(const uint64_t file_size, event_file_size());
  std::optional<StoredData> found;
  std::vector<uint8_t> bytes;
  THEATER_RETURN_IF_ERROR(
      for_each_segment(actor_id, file_size, [&](const SegmentRow& row) -> Status {
        if (seq < row.first_seq || seq - row.first_seq >= row.count) return ok_status();
        THEATER_RETURN_IF_ERROR(
            segment::read_exact(file_.get(), file_size, row.offset, row.length, file_path_, bytes));
        uint64_t at = row.first_seq;
        return segment::decode(
            bytes, row.count, describe(actor_id, row),
            [&](const EventView& event, size_t data_position) -> Status {
              if (at++ == seq) {
                found = StoredData{file_path_, row.offset + data_position, event.data.size()};
              }
              return ok_status();
            });
      }));
  if (found) return *found;
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
