#include "chain/chain.h"

#include <algorithm>
#include <condition_variable>
#include <limits>

#include "chain/event_log.h"
#include "common/utf8.h"

namespace theater::chain {
namespace detail {

// One subscriber's bounded queue. Lock order: EventChain::mu_, then
// SubscriberList::mu, then SubscriberQueue::mu.
struct SubscriberQueue {
  explicit SubscriberQueue(size_t capacity, uint64_t first_seq)
      : capacity(capacity), next_seq(first_seq) {}

  // Called by the appender; never waits. False once the subscriber lagged.
  bool offer(const EventPtr& event, uint64_t seq) {
    std::lock_guard lock(mu);
    if (events.size() >= capacity) {
      lagged = true;
      first_missed_seq = seq;
    } else {
      events.push_back(event);
    }
    ready.notify_one();  // a lagged subscriber must learn it, too
    return !lagged;
  }

  void close() {
    std::lock_guard lock(mu);
    closed = true;
    ready.notify_one();
  }

  const size_t capacity;
  mutable std::mutex mu;
  std::condition_variable ready;
  std::deque<EventPtr> events;
  uint64_t next_seq;  // seq of events.front()
  bool lagged = false;
  uint64_t first_missed_seq = 0;
  bool closed = false;  // the chain is gone
};

struct SubscriberList {
  std::mutex mu;
  std::vector<std::shared_ptr<SubscriberQueue>> queues;

  void publish(const EventPtr& event, uint64_t seq) {
    std::lock_guard lock(mu);
    // A lagged subscriber is dropped here: it gets nothing more.
    std::erase_if(queues, [&](const auto& queue) { return !queue->offer(event, seq); });
  }

  void remove(const SubscriberQueue* queue) {
    std::lock_guard lock(mu);
    std::erase_if(queues, [&](const auto& q) { return q.get() == queue; });
  }

  void close_all() {
    std::lock_guard lock(mu);
    for (auto& queue : queues) queue->close();
    queues.clear();
  }
};

}  // namespace detail

uint64_t system_clock_ms() {
  using namespace std::chrono;
  return static_cast<uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

// ---------------------------------------------------------------- Subscription

Subscription::Subscription(std::shared_ptr<detail::SubscriberQueue> queue,
                           std::weak_ptr<detail::SubscriberList> list)
    : queue_(std::move(queue)), list_(std::move(list)) {}

Subscription::~Subscription() {
  if (auto list = list_.lock()) list->remove(queue_.get());
}

Result<EventPtr> Subscription::next(std::chrono::milliseconds timeout) {
  detail::SubscriberQueue& q = *queue_;
  std::unique_lock lock(q.mu);
  q.ready.wait_for(lock, timeout, [&] { return !q.events.empty() || q.lagged || q.closed; });
  if (!q.events.empty()) {
    EventPtr event = std::move(q.events.front());
    q.events.pop_front();
    ++q.next_seq;
    return event;
  }
  if (q.lagged) {
    return make_error(ErrorCode::kResourceExhausted,
                      "chain subscription lagged: its queue of " + std::to_string(q.capacity) +
                          " events was full, so events from seq " +
                          std::to_string(q.first_missed_seq) +
                          " on were not delivered; read snapshot() and subscribe again");
  }
  if (q.closed) return make_error(ErrorCode::kUnavailable, "the chain was destroyed");
  return make_error(ErrorCode::kDeadlineExceeded,
                    "no chain event within " + std::to_string(timeout.count()) + " ms");
}

uint64_t Subscription::next_seq() const {
  std::lock_guard lock(queue_->mu);
  return queue_->next_seq;
}

bool Subscription::lagged() const {
  std::lock_guard lock(queue_->mu);
  return queue_->lagged;
}

// ---------------------------------------------------------------- EventChain

EventChain::EventChain(std::string actor_id, ChainOptions options)
    : actor_id_(std::make_shared<const std::string>(std::move(actor_id))),
      options_(std::move(options)),
      subscribers_(std::make_shared<detail::SubscriberList>()) {
  if (options_.continues) {
    size_ = options_.continues->size;
    head_ = options_.continues->head;
  }
}

EventChain::~EventChain() {
  subscribers_->close_all();
}

Status EventChain::check_fields(const std::string& event_type,
                                const std::optional<std::string>& description,
                                const std::vector<uint8_t>& data) const {
  constexpr size_t kMaxField = std::numeric_limits<uint32_t>::max();
  if (event_type.size() > kMaxField || (description ? description->size() : 0) > kMaxField ||
      data.size() > kMaxField) {
    return make_error(ErrorCode::kInvalidArgument, "chain of actor " + *actor_id_ + ": " +
                                                       event_type.substr(0, 64) +
                                                       " event has a field of 4 GiB or more");
  }
  if (event_type.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "chain of actor " + *actor_id_ + ": event type is empty");
  }
  if (!is_valid_utf8(event_type)) {
    return make_error(ErrorCode::kInvalidArgument,
                      "chain of actor " + *actor_id_ + ": event type is not valid UTF-8");
  }
  if (description && !is_valid_utf8(*description)) {
    return make_error(ErrorCode::kInvalidArgument, "chain of actor " + *actor_id_ +
                                                       ": description of " + event_type +
                                                       " event is not valid UTF-8");
  }
  return ok_status();
}

Result<AppendedEvent> EventChain::append(std::string event_type, std::vector<uint8_t> data,
                                         std::optional<std::string> description) {
  THEATER_RETURN_IF_ERROR(check_fields(event_type, description, data));
  std::lock_guard lock(mu_);
  const uint64_t seq = size_;
  auto event = std::make_shared<const Event>(make_event(
      head_, options_.clock(), std::move(event_type), std::move(description), std::move(data)));
  // Persist first: if the log refuses, the chain stays unchanged.
  if (options_.log) {
    THEATER_RETURN_IF_ERROR(options_.log->append(actor_id_, seq, event));
  } else {
    events_.push_back(event);
  }
  subscribers_->publish(event, seq);
  ++size_;
  head_ = event->hash;
  return AppendedEvent{seq, event->hash};
}

Result<std::vector<Event>> EventChain::snapshot() const {
  if (options_.log) {
    // Everything appended before this call is committed once flush returns.
    THEATER_RETURN_IF_ERROR(options_.log->flush(options_.read_timeout));
    return options_.log->read_events(*actor_id_);
  }
  std::lock_guard lock(mu_);
  std::vector<Event> copy;
  copy.reserve(events_.size());
  for (const EventPtr& event : events_) copy.push_back(*event);
  return copy;
}

std::optional<EventHash> EventChain::head() const {
  std::lock_guard lock(mu_);
  return head_;
}

size_t EventChain::size() const {
  std::lock_guard lock(mu_);
  return size_;
}

std::unique_ptr<Subscription> EventChain::subscribe() {
  std::lock_guard lock(mu_);  // no append between reading size() and joining the list
  auto queue = std::make_shared<detail::SubscriberQueue>(options_.subscriber_queue_capacity, size_);
  {
    std::lock_guard list_lock(subscribers_->mu);
    subscribers_->queues.push_back(queue);
  }
  return std::unique_ptr<Subscription>(new Subscription(std::move(queue), subscribers_));
}

}  // namespace theater::chain
