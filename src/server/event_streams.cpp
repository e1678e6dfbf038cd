#include "server/event_streams.h"

#include "chain/event_log.h"
#include "chain/jsonl.h"

namespace theater::server {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(200);

// Where one stream is and what it sends.
class Feed {
 public:
  Feed(ChunkedWriter& writer, const EventQuery& query) : writer_(writer), query_(query) {}

  // Sends event number `seq` when it is selected; false once the stream is
  // over (limit reached, client gone).
  bool offer(uint64_t seq, const chain::Event& event) {
    if (seq < next_) return true;  // sent already (history and live overlap)
    next_ = seq + 1;
    if (seq < query_.from) return true;
    auto line = chain::to_jsonl_line(event);
    if (!line.ok()) return true;  // the chain refuses such events when appended
    if (!writer_.push(std::move(*line) + "\n")) return false;
    ++sent_;
    return !limit_reached();
  }
  bool limit_reached() const { return query_.limit && sent_ >= *query_.limit; }
  uint64_t next() const { return next_; }

 private:
  ChunkedWriter& writer_;
  const EventQuery& query_;
  uint64_t next_ = 0;  // the seq of the next event not yet seen
  uint64_t sent_ = 0;
};

// The log's events [feed.next(), before): false once the stream is over.
bool send_history(ApiContext& api, Feed& feed, const std::string& id, uint64_t before) {
  (void)api.runtime.flush_events();
  auto reader = chain::EventLogReader::open(api.event_log_path());
  if (!reader.ok()) return true;  // no log yet: no history
  uint64_t seq = 0;
  bool more = true;
  const Error kEnough{ErrorCode::kCancelled, "enough"};
  (void)(*reader)->stream_events(id, [&](chain::Event& event) -> Status {
    const uint64_t this_seq = seq++;
    if (this_seq >= before) return kEnough;
    if (!feed.offer(this_seq, event)) {
      more = false;
      return kEnough;
    }
    return {};
  });
  return more;
}

bool has_ended(const ApiContext& api, const std::string& id) {
  auto status = api.runtime.status(id);
  return !status.ok() || *status == handler::ActorStatus::kStopped ||
         *status == handler::ActorStatus::kFailed;
}

}  // namespace

EventStreams::EventStreams(ApiContext& api, StreamLimits limits) : api_(api), limits_(limits) {}

EventStreams::~EventStreams() {
  stop();
}

bool EventStreams::reserve() {
  std::lock_guard lock(mutex_);
  reap();
  if (stopping_ || producers_.size() + reserved_ >= limits_.max_streams) return false;
  ++reserved_;
  return true;
}

void EventStreams::start(Stream stream, EventQuery query) {
  std::lock_guard lock(mutex_);
  --reserved_;
  auto writer = std::make_shared<ChunkedWriter>(std::move(stream), limits_.buffer_bytes,
                                                limits_.write_timeout);
  writer->begin("application/x-ndjson");
  if (stopping_) return writer->close();
  Producer& producer = producers_.emplace_back();
  producer.writer = writer;
  producer.thread = std::thread([this, &producer, query = std::move(query)] {
    produce(producer, query);
    producer.writer->finish();
    producer.done = true;
  });
}

void EventStreams::stop() {
  std::list<Producer> producers;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    producers.splice(producers.end(), producers_);
  }
  for (Producer& producer : producers) producer.writer->close();
  for (Producer& producer : producers)
    if (producer.thread.joinable()) producer.thread.join();
}

void EventStreams::reap() {
  for (auto it = producers_.begin(); it != producers_.end();) {
    if (!it->done) {
      ++it;
      continue;
    }
    it->thread.join();
    it = producers_.erase(it);
  }
}

void EventStreams::produce(Producer& producer, const EventQuery& query) {
  ChunkedWriter& writer = *producer.writer;
  Feed feed(writer, query);
  const std::string& id = query.actor_id;
  for (;;) {
    std::unique_ptr<chain::Subscription> live;
    if (query.follow) {
      auto subscribed = api_.runtime.subscribe(id);
      if (subscribed.ok()) live = std::move(*subscribed);
    }
    const uint64_t live_from = live ? live->next_seq() : UINT64_MAX;
    if (!send_history(api_, feed, id, live_from) || !live) return;
    for (;;) {
      if (stopping_ || writer.closed()) return;
      const uint64_t seq = live->next_seq();
      auto event = live->next(kPollInterval);
      if (event.ok()) {
        if (!feed.offer(seq, **event)) return;
        continue;
      }
      const ErrorCode code = event.error().code;
      if (code == ErrorCode::kDeadlineExceeded && !has_ended(api_, id)) continue;
      if (code != ErrorCode::kResourceExhausted) {
        // The actor stopped (its chain is gone): whatever its last events
        // were, the log has them.
        (void)send_history(api_, feed, id, UINT64_MAX);
        return;
      }
      if (writer.waited()) {
        (void)writer.push("{\"lagged\": true, \"next\": " + std::to_string(live->next_seq()) +
                          "}\n");
        return;
      }
      break;  // the client keeps up: catch up from the log and subscribe again
    }
  }
}

}  // namespace theater::server
