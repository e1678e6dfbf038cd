// Keeps where actors came from (ContentStore::label_actor_origin) off the
// spawn path: spawns queue their origin, one thread writes everything queued
// in one transaction. A spawn pays a hash of its manifest text and a queue
// push instead of a commit (measured: a commit per spawn doubled
// spawn + stop of a tiny actor). Bounded: past kMaxQueued a spawn waits for
// the writer (backpressure, never loss). flush() waits until everything
// queued before it is committed; the destructor flushes.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "store/content_store.h"

namespace theater::store {

class OriginWriter {
 public:
  static constexpr size_t kMaxQueued = 4096;

  explicit OriginWriter(ContentStore& store);
  ~OriginWriter();
  OriginWriter(const OriginWriter&) = delete;
  OriginWriter& operator=(const OriginWriter&) = delete;

  // Queues the origin of `actor_id`; the module must have been kept
  // (ContentStore::keep_module). Returns the manifest text's SHA-256.
  std::string queue(std::string actor_id, std::string manifest_text, std::string module_sha256);
  // Waits until everything queued so far is written; the first write error
  // since the last flush, if any.
  Status flush();

 private:
  struct Origin {
    std::string actor_id;
    std::string manifest_text;
    std::string module_sha256;
  };
  void write_loop();

  ContentStore& store_;
  std::mutex mutex_;
  std::condition_variable wake_;     // the writer: work or stop
  std::condition_variable written_;  // spawns and flush: room, progress
  std::vector<Origin> queued_;
  std::uint64_t queued_count_ = 0;   // origins ever queued
  std::uint64_t written_count_ = 0;  // origins ever written (or failed)
  std::optional<Error> error_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace theater::store
