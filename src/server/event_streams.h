// EventStreams: GET /v1/actors/{id}/events, one producer thread per stream
// (reading the event log and waiting on a chain subscription both block),
// writing ndjson through a ChunkedWriter.
//
// A stream sends the events from `from` on: first the history from the event
// log (everything committed before its live subscription began), then, with
// `follow`, each event as it is appended, until the actor stops, `limit`
// events were sent, or the client leaves. Nothing is lost or sent twice: the
// subscription is opened first and the log read up to where it begins.
//
// Lag. The chain's subscription queue is bounded; when it fills, the
// producer stopped taking events. When that is because the client did not
// read (its ChunkedWriter buffer was full and push() had to wait), the
// stream ends with {"lagged": true, "next": N} and the client resumes with
// from=N. When the client was keeping up (the producer was busy reading the
// history, say), the producer catches up from the log by itself.
#pragma once

#include <atomic>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "server/api.h"
#include "server/chunked_writer.h"

namespace theater::server {

struct EventQuery {
  std::string actor_id;
  uint64_t from = 0;
  std::optional<uint64_t> limit;
  bool follow = false;
};

struct StreamLimits {
  size_t max_streams = 256;
  size_t buffer_bytes = size_t{4} << 20;  // per stream, between producer and socket
  std::chrono::milliseconds write_timeout{60'000};
};

class EventStreams {
 public:
  EventStreams(ApiContext& api, StreamLimits limits);
  ~EventStreams();  // stop()

  // A place for one more stream, or false when max_streams run.
  bool reserve();
  // Starts the stream in the reserved place.
  void start(Stream stream, EventQuery query);
  // Ends every stream and joins their threads.
  void stop();

 private:
  struct Producer {
    std::thread thread;
    std::shared_ptr<ChunkedWriter> writer;
    std::atomic<bool> done{false};
  };
  void produce(Producer& producer, const EventQuery& query);
  void reap();  // joins finished producers; mutex_ held

  ApiContext& api_;
  const StreamLimits limits_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  size_t reserved_ = 0;
  std::list<Producer> producers_;
};

}  // namespace theater::server
