// Persistence of event chains in one SQLite file (WAL mode), shared by all
// actors of a runtime: the runtime uses $THEATER_HOME/theater.db.
//
// Writes are batched: append() puts the event on a bounded in-memory queue and
// returns; a writer thread commits queued events in transactions of up to
// max_batch events, waiting at most max_batch_delay for a batch to fill.
// flush() waits until everything appended before it is committed.
//
// Queue full (queue_capacity events or max_uncommitted_bytes waiting to be
// committed): append() waits for room up to append_timeout (backpressure on the
// actor producing events), then fails with kResourceExhausted. Nothing is ever
// dropped silently. A failed commit (disk full, I/O error) is sticky: the
// uncommitted events are discarded and every later append() and flush() returns
// that error, since a chain with a hole could never verify anyway.
//
// Durability: WAL with synchronous=NORMAL. A committed transaction survives a
// crash or kill -9 of the process (its pages are in the WAL file, which the OS
// keeps); after a power loss or OS crash the most recent commits may be rolled
// back, but the file stays consistent and what remains still verifies.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "chain/event.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace theater::sqlite {
class Database;
}

namespace theater::chain {

struct SegmentRow;

// Where one event's data lies in the event file: for tools and tests that
// inspect (or deliberately damage) what was stored.
struct StoredData {
  std::filesystem::path file;
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Where a stored chain ends, as the writer recorded it with each batch.
struct ChainHead {
  uint64_t count = 0;  // events stored
  EventHash hash{};    // hash of the last one
};

// Reads committed events. Thread-safe. Used by EventLog itself and, opened
// read-only, by the CLI while a server may be writing the same file.
class EventLogReader {
 public:
  // Opens an existing event log read-only; kNotFound when the file is missing
  // or holds no event table.
  static Result<std::unique_ptr<EventLogReader>> open(const std::filesystem::path& path);
  ~EventLogReader();

  // Streams the actor's committed events, oldest first (by seq), to `visit`,
  // and returns the head the log recorded for the actor (none when it has
  // none), both from one consistent snapshot of the log. Memory: one segment
  // at a time. Every offset and length of the index is checked against the
  // event file's size before anything is allocated: a damaged index is an
  // error naming the file and byte. `visit` must not call this reader.
  Result<std::optional<ChainHead>> stream_events(std::string_view actor_id,
                                                 const EventVisitor& visit);
  // The same, handing out views into the segment being read: no copy of any
  // event's data (what `theater verify` hashes).
  Result<std::optional<ChainHead>> stream_event_views(std::string_view actor_id,
                                                      const EventViewVisitor& visit);
  // The actor's committed events, oldest first, in memory. Empty when unknown.
  Result<std::vector<Event>> read_events(std::string_view actor_id);
  // Every actor id with at least one committed event, sorted.
  Result<std::vector<std::string>> list_actors();
  // Where the data of the actor's event `seq` is stored.
  Result<StoredData> locate_data(std::string_view actor_id, uint64_t seq);

 private:
  EventLogReader(std::unique_ptr<sqlite::Database> db, UniqueFd file, std::string file_path);
  // Calls `visit` for each of the actor's segments in seq order, checked to
  // be contiguous from seq 0 and to lie within the event file (`file_size`).
  Status for_each_segment(std::string_view actor_id, uint64_t file_size,
                          const std::function<Status(const SegmentRow&)>& visit);
  Result<std::optional<ChainHead>> read_head(std::string_view actor_id);
  Result<uint64_t> event_file_size();

  std::mutex mu_;
  std::unique_ptr<sqlite::Database> db_;
  UniqueFd file_;  // the event file, read-only
  std::string file_path_;
};

struct EventLogOptions {
  size_t queue_capacity = 65536;  // events appended but not yet committed
  size_t max_batch = 4096;        // events per transaction (at most queue_capacity)
  // Bytes of events waiting to be committed. One event larger than this is
  // still accepted once the queue is empty, alone.
  size_t max_uncommitted_bytes = size_t{64} << 20;
  std::chrono::milliseconds max_batch_delay{2};    // how long a partial batch may wait
  std::chrono::milliseconds append_timeout{5000};  // longest backpressure wait
  std::chrono::milliseconds busy_timeout{5000};    // another process holding the lock
};

class EventLog {
 public:
  // Opens (creating if needed) the log at `path` and starts its writer thread.
  static Result<std::unique_ptr<EventLog>> open(const std::filesystem::path& path,
                                                EventLogOptions options = {});
  // Commits everything still queued, then stops the writer.
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Queues the event as number `seq` (0-based) of the actor's chain. (actor_id,
  // seq) must be new: a duplicate makes the commit fail.
  Status append(std::string_view actor_id, uint64_t seq, EventPtr event);
  // Same, for a caller that appends many events: the queue shares its id
  // instead of copying it per event.
  Status append(std::shared_ptr<const std::string> actor_id, uint64_t seq, EventPtr event);

  // Waits until every event appended before this call is committed.
  // kDeadlineExceeded after `timeout`; the writer's error if a commit failed.
  Status flush(std::chrono::milliseconds timeout);

  // Committed events only: call flush() first to see the latest appends.
  Result<std::vector<Event>> read_events(std::string_view actor_id);
  Result<std::vector<std::string>> list_actors();

  const std::filesystem::path& path() const { return path_; }

 private:
  struct QueuedEvent {
    std::shared_ptr<const std::string> actor_id;
    uint64_t seq;
    EventPtr event;
    size_t bytes;  // what it costs in memory, for max_uncommitted_bytes
  };
  class Writer;  // the writer thread's connection and statements

  EventLog(std::filesystem::path path, EventLogOptions options, std::unique_ptr<Writer> writer,
           std::unique_ptr<EventLogReader> reader);
  void writer_loop();
  bool has_room(size_t bytes) const;
  void wait_for_batch(std::unique_lock<std::mutex>& lock);
  bool batch_ready() const;

  const std::filesystem::path path_;
  const EventLogOptions options_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<EventLogReader> reader_;

  std::mutex mu_;
  std::condition_variable work_;       // writer: events queued, flush asked, stopping
  std::condition_variable room_;       // appenders: uncommitted count went down
  std::condition_variable committed_;  // flush(): a batch was committed
  std::deque<QueuedEvent> queue_;
  uint64_t appended_ = 0;  // events ever accepted by append()
  uint64_t taken_ = 0;     // events ever taken by the writer
  uint64_t committed_count_ = 0;
  size_t uncommitted_bytes_ = 0;
  uint64_t flush_target_ = 0;  // highest appended_ a flush() waits for
  bool stopping_ = false;
  std::optional<Error> failure_;  // sticky writer error

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace theater::chain
