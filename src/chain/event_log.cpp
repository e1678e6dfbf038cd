// EventLog: the bounded queue, the writer thread and its transactions.
#include "chain/event_log.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <span>
#include <unordered_map>

#include "chain/event_log_schema.h"
#include "chain/segment.h"
#include "common/sqlite_db.h"
#include "common/unique_fd.h"

namespace theater::chain {
namespace {

using sqlite::Database;
using sqlite::OpenMode;
using sqlite::Statement;

constexpr const char* kInsertSegment =
    "INSERT INTO segments (actor, first_seq, count, offset, length) VALUES (?1, ?2, ?3, ?4, ?5)";
// The actor's key and the seq its next event must have (its head's count).
constexpr const char* kSelectActor =
    "SELECT a.id, h.count FROM actors a LEFT JOIN heads h ON h.actor = a.id "
    "WHERE a.actor_id = ?1";
constexpr const char* kUpsertHead =
    "INSERT INTO heads (actor, count, hash) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (actor) DO UPDATE SET count = excluded.count, hash = excluded.hash";
constexpr const char* kInsertActor = "INSERT INTO actors (actor_id) VALUES (?1)";

// Interned keys the writer remembers; past this it forgets them all and
// looks them up again (one indexed SELECT per actor).
constexpr size_t kMaxCachedActorKeys = 4096;

// A segment closes once its encoding reaches this size, so a reader never
// loads much more than it needs; one larger event is a segment alone.
constexpr uint64_t kMaxSegmentBytes = uint64_t{1} << 20;

}  // namespace

// ---------------------------------------------------------------- writer

// The writer thread's own connection; only that thread touches it after open.
class EventLog::Writer {
 public:
  static Result<std::unique_ptr<Writer>> open(const std::filesystem::path& path,
                                              const EventLogOptions& options) {
    // The event file exists before the schema does, so a reader that finds
    // the tables also finds the file.
    const std::string file_path = schema::event_file_path(path).string();
    UniqueFd file(::open(file_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!file.valid()) {
      return make_error(ErrorCode::kInternal,
                        "cannot open event file " + file_path + ": " + std::strerror(errno));
    }
    THEATER_ASSIGN_OR_RETURN(Database db, Database::open(path, OpenMode::kReadWriteCreate));
    THEATER_RETURN_IF_ERROR(schema::set_busy_timeout(db, options.busy_timeout));
    THEATER_RETURN_IF_ERROR(db.exec(schema::kPageSize));
    THEATER_ASSIGN_OR_RETURN(const std::string mode, db.query_text("PRAGMA journal_mode = WAL"));
    if (mode != "wal") {
      return make_error(
          ErrorCode::kFailedPrecondition,
          "event log " + path.string() + " cannot use WAL mode (journal mode is \"" + mode + "\")");
    }
    THEATER_RETURN_IF_ERROR(db.exec("PRAGMA synchronous = NORMAL"));
    THEATER_RETURN_IF_ERROR(create_schema(db));
    THEATER_ASSIGN_OR_RETURN(Statement insert_segment, db.prepare(kInsertSegment));
    THEATER_ASSIGN_OR_RETURN(Statement select_actor, db.prepare(kSelectActor));
    THEATER_ASSIGN_OR_RETURN(Statement insert_actor, db.prepare(kInsertActor));
    THEATER_ASSIGN_OR_RETURN(Statement upsert_head, db.prepare(kUpsertHead));
    return std::unique_ptr<Writer>(
        new Writer(std::move(db),
                   Statements{std::move(insert_segment), std::move(select_actor),
                              std::move(insert_actor), std::move(upsert_head)},
                   std::move(file), file_path));
  }

  // All of the batch in one transaction, or none of it. The events are
  // written to the event file first and indexed after, so a crash between the
  // two leaves only unindexed bytes, which nothing reads.
  Status commit(std::span<const QueuedEvent> batch) {
    // The write lock first: the file's end is only ours to extend while we hold it.
    THEATER_RETURN_IF_ERROR(db_.exec("BEGIN IMMEDIATE"));
    Status status = write_and_index(batch);
    if (status.ok()) status = db_.exec("COMMIT");
    if (!status.ok()) roll_back();
    return status;
  }

 private:
  // One run of consecutive events of one actor.
  struct Segment {
    const std::string* actor_id;
    uint64_t first_seq;
    uint64_t count;
    uint64_t offset;  // in the event file
    uint64_t length;
    EventHash last_hash;  // of its last event: the actor's head once indexed
  };

  struct Statements {
    Statement insert_segment;
    Statement select_actor;
    Statement insert_actor;
    Statement upsert_head;
  };

  Writer(Database db, Statements statements, UniqueFd file, std::string file_path)
      : db_(std::move(db)),
        insert_(std::move(statements.insert_segment)),
        select_actor_(std::move(statements.select_actor)),
        insert_actor_(std::move(statements.insert_actor)),
        upsert_head_(std::move(statements.upsert_head)),
        file_(std::move(file)),
        file_path_(std::move(file_path)) {}

  // The version is checked before any table is made, so an older file is
  // refused as it was found; one transaction, so two processes opening a new
  // file at once cannot both stamp it.
  static Status create_schema(Database& db) {
    THEATER_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
    Status status = schema::check_schema_version(db, /*stamp_if_new=*/true);
    if (status.ok()) status = db.exec(schema::kSchema);
    if (status.ok()) status = db.exec("COMMIT");
    if (!status.ok()) (void)db.exec("ROLLBACK");
    return status;
  }

  Status write_and_index(std::span<const QueuedEvent> batch) {
    struct stat info {};
    if (::fstat(file_.get(), &info) != 0) {
      return make_error(ErrorCode::kInternal,
                        "cannot stat event file " + file_path_ + ": " + std::strerror(errno));
    }
    const auto end = static_cast<uint64_t>(info.st_size);
    const std::vector<const QueuedEvent*> order = by_actor(batch);
    size_t header_bytes = 0;
    for (const QueuedEvent* queued : order)
      header_bytes += segment::Gather::header_bytes_for(*queued->event);
    segment::Gather gather(header_bytes);
    std::vector<Segment> segments;
    for (const QueuedEvent* queued : order) {
      const uint64_t size = segment::encoded_size(*queued->event);
      if (segments.empty() || !extends(segments.back(), *queued, size)) {
        segments.push_back(
            {queued->actor_id.get(), queued->seq, 0, end + gather.total_bytes(), 0, EventHash{}});
      }
      gather.add(*queued->event);
      segments.back().count++;
      segments.back().length += size;
      segments.back().last_hash = queued->event->hash;
    }
    THEATER_RETURN_IF_ERROR(segment::write_all(file_.get(), gather.pieces(), end, file_path_));
    for (size_t i = 0; i < segments.size(); ++i) {
      THEATER_RETURN_IF_ERROR(insert(segments[i]));
      // An actor's segments are adjacent (by_actor): its last one is its head.
      const bool last_of_actor =
          i + 1 == segments.size() || *segments[i + 1].actor_id != *segments[i].actor_id;
      if (last_of_actor) THEATER_RETURN_IF_ERROR(update_head(segments[i]));
    }
    return ok_status();
  }

  // The batch grouped by actor, each actor's events in their order: every
  // actor's part of a batch becomes as few segments as possible.
  static std::vector<const QueuedEvent*> by_actor(std::span<const QueuedEvent> batch) {
    std::vector<const QueuedEvent*> order;
    order.reserve(batch.size());
    for (const QueuedEvent& queued : batch) order.push_back(&queued);
    std::stable_sort(order.begin(), order.end(),
                     [](const auto* a, const auto* b) { return *a->actor_id < *b->actor_id; });
    return order;
  }

  static bool extends(const Segment& segment, const QueuedEvent& next, uint64_t size) {
    return *segment.actor_id == *next.actor_id && segment.first_seq + segment.count == next.seq &&
           segment.length + size <= kMaxSegmentBytes;
  }

  void roll_back() {
    (void)db_.exec("ROLLBACK");  // the failed statement's error is the one worth reporting
    actor_entries_.clear();      // what this transaction interned or advanced is gone
  }

  // What the writer knows of an actor: the integer standing for its id, and
  // the seq its next event must have.
  struct ActorEntry {
    int64_t key = 0;
    uint64_t next_seq = 0;
  };

  // The actor's entry, interning its id on first sight.
  Result<ActorEntry*> actor_entry(const std::string& actor_id) {
    if (auto it = actor_entries_.find(actor_id); it != actor_entries_.end()) return &it->second;
    if (actor_entries_.size() >= kMaxCachedActorKeys) actor_entries_.clear();
    THEATER_ASSIGN_OR_RETURN(std::optional<ActorEntry> entry, find_actor(actor_id));
    if (!entry) {
      THEATER_ASSIGN_OR_RETURN(const int64_t key, add_actor(actor_id));
      entry = ActorEntry{key, 0};
    }
    return &actor_entries_.emplace(actor_id, *entry).first->second;
  }

  Result<std::optional<ActorEntry>> find_actor(const std::string& actor_id) {
    THEATER_RETURN_IF_ERROR(select_actor_.bind_text(1, actor_id));
    auto has_row = select_actor_.step();
    std::optional<ActorEntry> entry;
    if (has_row.ok() && *has_row) {
      entry = ActorEntry{select_actor_.column_int64(0),
                         static_cast<uint64_t>(select_actor_.column_int64(1))};  // NULL reads 0
    }
    select_actor_.reset();
    if (!has_row.ok()) return has_row.error();
    return entry;
  }

  Result<int64_t> add_actor(const std::string& actor_id) {
    THEATER_RETURN_IF_ERROR(insert_actor_.bind_text(1, actor_id));
    auto done = insert_actor_.step();
    insert_actor_.reset();
    if (!done.ok()) return done.error();
    return db_.last_insert_rowid();
  }

  Status insert(const Segment& segment) {
    const std::string range = std::to_string(segment.first_seq) + ".." +
                              std::to_string(segment.first_seq + segment.count - 1);
    THEATER_ASSIGN_OR_RETURN(ActorEntry * actor, actor_entry(*segment.actor_id));
    if (segment.first_seq != actor->next_seq) {
      // A chain has no holes and no repeats: each actor's seqs count up from 0.
      return make_error(ErrorCode::kInvalidArgument,
                        "storing events " + range + " of actor " + *segment.actor_id + ": event " +
                            std::to_string(segment.first_seq) + " was appended where event " +
                            std::to_string(actor->next_seq) + " was expected");
    }
    THEATER_RETURN_IF_ERROR(insert_.bind_int64(1, actor->key));
    THEATER_RETURN_IF_ERROR(insert_.bind_int64(2, static_cast<int64_t>(segment.first_seq)));
    THEATER_RETURN_IF_ERROR(insert_.bind_int64(3, static_cast<int64_t>(segment.count)));
    THEATER_RETURN_IF_ERROR(insert_.bind_int64(4, static_cast<int64_t>(segment.offset)));
    THEATER_RETURN_IF_ERROR(insert_.bind_int64(5, static_cast<int64_t>(segment.length)));
    auto stepped = insert_.step();
    insert_.reset();
    if (!stepped.ok()) {
      return stepped.error().context("storing events " + range + " of actor " + *segment.actor_id);
    }
    actor->next_seq = segment.first_seq + segment.count;
    return ok_status();
  }

  // The actor's head becomes the end of `segment`, its newest.
  Status update_head(const Segment& segment) {
    THEATER_ASSIGN_OR_RETURN(ActorEntry * actor, actor_entry(*segment.actor_id));
    THEATER_RETURN_IF_ERROR(upsert_head_.bind_int64(1, actor->key));
    const uint64_t count = segment.first_seq + segment.count;
    THEATER_RETURN_IF_ERROR(upsert_head_.bind_int64(2, static_cast<int64_t>(count)));
    THEATER_RETURN_IF_ERROR(upsert_head_.bind_blob(3, segment.last_hash));
    auto stepped = upsert_head_.step();
    upsert_head_.reset();
    if (!stepped.ok())
      return stepped.error().context("storing the head of actor " + *segment.actor_id);
    return ok_status();
  }

  Database db_;  // declared first: destroyed after its statements
  Statement insert_;
  Statement select_actor_;
  Statement insert_actor_;
  Statement upsert_head_;
  std::unordered_map<std::string, ActorEntry> actor_entries_;
  UniqueFd file_;  // the event file
  std::string file_path_;
};

// ---------------------------------------------------------------- log

Result<std::unique_ptr<EventLog>> EventLog::open(const std::filesystem::path& path,
                                                 EventLogOptions options) {
  if (options.queue_capacity == 0 || options.max_batch == 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "event log queue_capacity and max_batch must be positive");
  }
  options.max_batch = std::min(options.max_batch, options.queue_capacity);
  THEATER_ASSIGN_OR_RETURN(auto writer, Writer::open(path, options));
  // The schema exists now, so the read-only connection finds its table.
  THEATER_ASSIGN_OR_RETURN(auto reader, EventLogReader::open(path));
  return std::unique_ptr<EventLog>(
      new EventLog(path, options, std::move(writer), std::move(reader)));
}

EventLog::EventLog(std::filesystem::path path, EventLogOptions options,
                   std::unique_ptr<Writer> writer, std::unique_ptr<EventLogReader> reader)
    : path_(std::move(path)),
      options_(options),
      writer_(std::move(writer)),
      reader_(std::move(reader)),
      thread_([this] { writer_loop(); }) {}

EventLog::~EventLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_one();
  thread_.join();  // the writer commits what is queued (at most queue_capacity) first
}

Status EventLog::append(std::string_view actor_id, uint64_t seq, EventPtr event) {
  return append(std::make_shared<const std::string>(actor_id), seq, std::move(event));
}

Status EventLog::append(std::shared_ptr<const std::string> actor_id, uint64_t seq, EventPtr event) {
  if (!event) {
    return make_error(ErrorCode::kInvalidArgument,
                      "null event for seq " + std::to_string(seq) + " of actor " + *actor_id);
  }
  const size_t bytes = sizeof(QueuedEvent) + sizeof(Event) + actor_id->size() +
                       event->event_type.size() +
                       (event->description ? event->description->size() : 0) + event->data.size();
  std::unique_lock lock(mu_);
  if (!room_.wait_for(lock, options_.append_timeout, [&] { return has_room(bytes); })) {
    return make_error(ErrorCode::kResourceExhausted,
                      "event log " + path_.string() + " is full (" +
                          std::to_string(appended_ - committed_count_) + " uncommitted events, " +
                          std::to_string(uncommitted_bytes_) + " bytes) and did not drain within " +
                          std::to_string(options_.append_timeout.count()) + " ms");
  }
  if (failure_) return failure_->context("event log " + path_.string() + " has failed");
  if (stopping_) {
    return make_error(ErrorCode::kUnavailable, "event log " + path_.string() + " is closing");
  }
  const bool was_empty = queue_.empty();
  queue_.push_back(QueuedEvent{std::move(actor_id), seq, std::move(event), bytes});
  ++appended_;
  uncommitted_bytes_ += bytes;
  // Wake the writer only when it can act: it idles on an empty queue and
  // lingers on a partial batch.
  if (was_empty || queue_.size() == options_.max_batch) work_.notify_one();
  return ok_status();
}

Status EventLog::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  const uint64_t target = appended_;
  flush_target_ = std::max(flush_target_, target);
  work_.notify_one();
  const bool done = committed_.wait_for(
      lock, timeout, [&] { return failure_.has_value() || committed_count_ >= target; });
  if (failure_) return failure_->context("event log " + path_.string() + " has failed");
  if (!done) {
    return make_error(ErrorCode::kDeadlineExceeded, "event log " + path_.string() + ": " +
                                                        std::to_string(target - committed_count_) +
                                                        " events still uncommitted after " +
                                                        std::to_string(timeout.count()) + " ms");
  }
  return ok_status();
}

Result<std::vector<Event>> EventLog::read_events(std::string_view actor_id) {
  return reader_->read_events(actor_id);
}

Result<std::vector<std::string>> EventLog::list_actors() {
  return reader_->list_actors();
}

bool EventLog::has_room(size_t bytes) const {
  if (failure_ || stopping_) return true;  // append() reports these without waiting
  const bool fits_count = appended_ - committed_count_ < options_.queue_capacity;
  const bool fits_bytes =
      uncommitted_bytes_ == 0 || uncommitted_bytes_ + bytes <= options_.max_uncommitted_bytes;
  return fits_count && fits_bytes;
}

bool EventLog::batch_ready() const {
  return stopping_ || queue_.size() >= options_.max_batch || taken_ < flush_target_;
}

void EventLog::wait_for_batch(std::unique_lock<std::mutex>& lock) {
  // Idle until something is queued. The timeout only bounds each sleep; an
  // idle writer simply waits again.
  while (queue_.empty() && !stopping_) work_.wait_for(lock, std::chrono::seconds(1));
  if (queue_.empty() || batch_ready()) return;
  // A partial batch waits a little for company: fewer, larger transactions.
  work_.wait_for(lock, options_.max_batch_delay, [&] { return batch_ready(); });
}

void EventLog::writer_loop() {
  std::vector<QueuedEvent> batch;
  batch.reserve(options_.max_batch);
  std::unique_lock lock(mu_);
  while (true) {
    wait_for_batch(lock);
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    const size_t count = std::min(queue_.size(), options_.max_batch);
    const auto taken_end = queue_.begin() + static_cast<std::ptrdiff_t>(count);
    std::move(queue_.begin(), taken_end, std::back_inserter(batch));
    queue_.erase(queue_.begin(), taken_end);
    taken_ += count;
    size_t batch_bytes = 0;
    for (const QueuedEvent& queued : batch) batch_bytes += queued.bytes;

    // After a failure the writer only discards: the chain has a hole already.
    const bool failed = failure_.has_value();
    lock.unlock();
    Status status = failed ? ok_status() : writer_->commit(batch);
    batch.clear();
    lock.lock();

    if (failed) {
      // Nothing to count: appenders and flush() see failure_ instead.
    } else if (status.ok()) {
      committed_count_ += count;
      uncommitted_bytes_ -= batch_bytes;
    } else if (!failure_) {
      failure_ = status.error();
    }
    committed_.notify_all();
    room_.notify_all();
  }
}

}  // namespace theater::chain
