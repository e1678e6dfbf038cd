// EventChain: one actor's chain, thread-safe.
//
// append() links the event to the current head, stamps it with the injected
// clock, hashes it, hands it to the EventLog (when there is one) or keeps it in
// memory (when there is none), and publishes it to live subscribers, all under
// one lock, so every observer sees the same order (the original published from
// one spawned task per event, out of order).
//
// Memory: a persisted chain keeps only its head in memory, so an actor that
// runs for weeks or streams gigabytes of process output costs no more memory
// than a new one; snapshot() reads such a chain back from the log. A chain
// without a log (tests, tools) keeps every event in memory.
//
// Subscribers: each has a bounded queue (ChainOptions::subscriber_queue_capacity).
// Policy when full: the appender never waits for a subscriber. The subscriber
// is marked lagged and gets no further events; next() still returns what was
// queued before, then fails with kResourceExhausted naming the first missed
// seq. A lagged subscriber resynchronises with snapshot() and a new subscribe().
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "chain/event.h"
#include "common/result.h"

namespace theater::chain {

class EventLog;

// Milliseconds since the Unix epoch.
using Clock = std::function<uint64_t()>;
uint64_t system_clock_ms();

// Where a chain goes on from: the size and head of the chain an earlier
// incarnation of the same actor left (a restarted actor keeps its id and its
// chain continues; the log already holds events 0..size-1 under that id).
struct ChainContinuation {
  uint64_t size = 0;
  EventHash head{};
};

struct ChainOptions {
  Clock clock = system_clock_ms;
  size_t subscriber_queue_capacity = 1024;
  EventLog* log = nullptr;  // persists every append when set; not owned, must outlive the chain
  // How long snapshot() of a persisted chain waits for the log to commit.
  std::chrono::milliseconds read_timeout{10000};
  // Set: the first append links to `continues->head` as number
  // `continues->size`. Without a log, snapshot() holds only the new events.
  std::optional<ChainContinuation> continues = std::nullopt;
};

struct AppendedEvent {
  uint64_t seq = 0;  // 0-based position in the chain
  EventHash hash{};
};

namespace detail {
struct SubscriberQueue;
struct SubscriberList;
}  // namespace detail

// A live view of events appended after subscribe(). Destroying it unsubscribes.
class Subscription {
 public:
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // The next event, waiting up to `timeout` (0 = just look). Errors:
  // kDeadlineExceeded when none arrived in time, kResourceExhausted when the
  // subscriber lagged (see above), kUnavailable when the chain is gone.
  Result<EventPtr> next(std::chrono::milliseconds timeout);

  // The seq of the event next() returns next.
  uint64_t next_seq() const;
  bool lagged() const;

 private:
  friend class EventChain;
  Subscription(std::shared_ptr<detail::SubscriberQueue> queue,
               std::weak_ptr<detail::SubscriberList> list);
  std::shared_ptr<detail::SubscriberQueue> queue_;
  std::weak_ptr<detail::SubscriberList> list_;
};

class EventChain {
 public:
  explicit EventChain(std::string actor_id, ChainOptions options = {});
  ~EventChain();  // open subscriptions then report kUnavailable
  EventChain(const EventChain&) = delete;
  EventChain& operator=(const EventChain&) = delete;

  // Appends an event. Fails, leaving the chain unchanged, when event_type is
  // empty, a string is not valid UTF-8 (it could not be exported), a field is
  // 4 GiB or larger (the hash rule's length prefixes are u32), or the log
  // refuses it (full past its timeout, or failed). Blocks while the log
  // applies backpressure.
  Result<AppendedEvent> append(std::string event_type, std::vector<uint8_t> data,
                               std::optional<std::string> description = std::nullopt);

  // Every event, oldest first. A persisted chain is read back from its log
  // (after waiting for the log to commit what was appended), which can fail.
  Result<std::vector<Event>> snapshot() const;
  std::optional<EventHash> head() const;
  size_t size() const;
  const std::string& actor_id() const { return *actor_id_; }

  // Events appended from now on; the first has seq == size() at this call.
  std::unique_ptr<Subscription> subscribe();

 private:
  Status check_fields(const std::string& event_type, const std::optional<std::string>& description,
                      const std::vector<uint8_t>& data) const;

  // Shared with the log's queue, which holds it for every queued event.
  const std::shared_ptr<const std::string> actor_id_;
  const ChainOptions options_;
  mutable std::mutex mu_;
  uint64_t size_ = 0;
  std::optional<EventHash> head_;
  std::deque<EventPtr> events_;  // every event, only when there is no log
  std::shared_ptr<detail::SubscriberList> subscribers_;
};

}  // namespace theater::chain
