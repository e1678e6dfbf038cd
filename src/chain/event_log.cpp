// EventLog: the bounded queue, the writer thread and its transactions.
#include "chain/event_log.h"

#include <algorithm>
#include <iterator>
#include <span>
#include <unordered_map>

#include "chain/event_log_schema.h"
#include "chain/sqlite_db.h"

namespace theater::chain {
namespace {

using sqlite::Database;
using sqlite::OpenMode;
using sqlite::Statement;

constexpr const char* kInsertEvent =
    "INSERT INTO events (actor, seq, hash, parent_hash, timestamp_ms, event_type, "
    "description, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kSelectActorKey = "SELECT id FROM actors WHERE actor_id = ?1";
constexpr const char* kInsertActor = "INSERT INTO actors (actor_id) VALUES (?1)";

// Interned keys the writer remembers; past this it forgets them all and
// looks them up again (one indexed SELECT per actor).
constexpr size_t kMaxCachedActorKeys = 4096;

}  // namespace

// ---------------------------------------------------------------- writer

// The writer thread's own connection; only that thread touches it after open.
class EventLog::Writer {
 public:
  static Result<std::unique_ptr<Writer>> open(const std::filesystem::path& path,
                                              const EventLogOptions& options) {
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
    THEATER_RETURN_IF_ERROR(db.exec(schema::kSchema));
    THEATER_RETURN_IF_ERROR(schema::check_schema_version(db, /*stamp_if_new=*/true));
    THEATER_ASSIGN_OR_RETURN(Statement insert_event, db.prepare(kInsertEvent));
    THEATER_ASSIGN_OR_RETURN(Statement select_actor, db.prepare(kSelectActorKey));
    THEATER_ASSIGN_OR_RETURN(Statement insert_actor, db.prepare(kInsertActor));
    return std::unique_ptr<Writer>(new Writer(std::move(db), std::move(insert_event),
                                              std::move(select_actor), std::move(insert_actor)));
  }

  // All of the batch in one transaction, or none of it.
  Status commit(std::span<const QueuedEvent> batch) {
    THEATER_RETURN_IF_ERROR(db_.exec("BEGIN IMMEDIATE"));
    for (const QueuedEvent& queued : batch) {
      if (auto status = insert(queued); !status.ok()) {
        roll_back();
        return status;
      }
    }
    if (auto status = db_.exec("COMMIT"); !status.ok()) {
      roll_back();
      return status;
    }
    return ok_status();
  }

 private:
  Writer(Database db, Statement insert_event, Statement select_actor, Statement insert_actor)
      : db_(std::move(db)),
        insert_(std::move(insert_event)),
        select_actor_(std::move(select_actor)),
        insert_actor_(std::move(insert_actor)) {}

  void roll_back() {
    (void)db_.exec("ROLLBACK");  // the failed statement's error is the one worth reporting
    actor_keys_.clear();         // keys interned by this transaction are gone
  }

  // The integer standing for actor_id, interning it on first sight.
  Result<int64_t> actor_key(const std::string& actor_id) {
    if (auto it = actor_keys_.find(actor_id); it != actor_keys_.end()) return it->second;
    if (actor_keys_.size() >= kMaxCachedActorKeys) actor_keys_.clear();
    THEATER_ASSIGN_OR_RETURN(const std::optional<int64_t> existing, find_actor(actor_id));
    int64_t key = 0;
    if (existing) {
      key = *existing;
    } else {
      THEATER_ASSIGN_OR_RETURN(key, add_actor(actor_id));
    }
    actor_keys_.emplace(actor_id, key);
    return key;
  }

  Result<std::optional<int64_t>> find_actor(const std::string& actor_id) {
    THEATER_RETURN_IF_ERROR(select_actor_.bind_text(1, actor_id));
    auto has_row = select_actor_.step();
    std::optional<int64_t> key;
    if (has_row.ok() && *has_row) key = select_actor_.column_int64(0);
    select_actor_.reset();
    if (!has_row.ok()) return has_row.error();
    return key;
  }

  Result<int64_t> add_actor(const std::string& actor_id) {
    THEATER_RETURN_IF_ERROR(insert_actor_.bind_text(1, actor_id));
    auto done = insert_actor_.step();
    insert_actor_.reset();
    if (!done.ok()) return done.error();
    return db_.last_insert_rowid();
  }

  Status insert(const QueuedEvent& queued) {
    const Event& event = *queued.event;
    THEATER_ASSIGN_OR_RETURN(const int64_t actor, actor_key(queued.actor_id));
    THEATER_RETURN_IF_ERROR(insert_.bind_int64(1, actor));
    THEATER_RETURN_IF_ERROR(insert_.bind_int64(2, static_cast<int64_t>(queued.seq)));
    THEATER_RETURN_IF_ERROR(insert_.bind_blob(3, event.hash));
    if (event.parent_hash) {
      THEATER_RETURN_IF_ERROR(insert_.bind_blob(4, *event.parent_hash));
    } else {
      THEATER_RETURN_IF_ERROR(insert_.bind_null(4));
    }
    THEATER_RETURN_IF_ERROR(insert_.bind_int64(5, static_cast<int64_t>(event.timestamp_ms)));
    THEATER_RETURN_IF_ERROR(insert_.bind_text(6, event.event_type));
    if (event.description) {
      THEATER_RETURN_IF_ERROR(insert_.bind_text(7, *event.description));
    } else {
      THEATER_RETURN_IF_ERROR(insert_.bind_null(7));
    }
    THEATER_RETURN_IF_ERROR(insert_.bind_blob(8, event.data));
    auto stepped = insert_.step();
    insert_.reset();
    if (!stepped.ok()) {
      return stepped.error().context("storing event " + std::to_string(queued.seq) + " of actor " +
                                     queued.actor_id);
    }
    return ok_status();
  }

  Database db_;  // declared first: destroyed after its statements
  Statement insert_;
  Statement select_actor_;
  Statement insert_actor_;
  std::unordered_map<std::string, int64_t> actor_keys_;
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
  if (!event) {
    return make_error(ErrorCode::kInvalidArgument, "null event for seq " + std::to_string(seq) +
                                                       " of actor " + std::string(actor_id));
  }
  const size_t bytes = sizeof(QueuedEvent) + sizeof(Event) + actor_id.size() +
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
  queue_.push_back(QueuedEvent{std::string(actor_id), seq, std::move(event), bytes});
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
    std::move(queue_.begin(), queue_.begin() + count, std::back_inserter(batch));
    queue_.erase(queue_.begin(), queue_.begin() + count);
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
