#include "store/origin_writer.h"

#include "common/sha256.h"

namespace theater::store {

OriginWriter::OriginWriter(ContentStore& store) : store_(store) {
  writer_ = std::thread([this] { write_loop(); });
}

OriginWriter::~OriginWriter() {
  (void)flush();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

std::string OriginWriter::queue(std::string actor_id, std::string manifest_text,
                                std::string module_sha256) {
  const auto* text = reinterpret_cast<const std::uint8_t*>(manifest_text.data());
  std::string manifest_sha256 = to_hex(sha256({text, manifest_text.size()}));
  std::unique_lock lock(mutex_);
  written_.wait(lock, [&] { return queued_.size() < kMaxQueued; });
  queued_.push_back({std::move(actor_id), std::move(manifest_text), std::move(module_sha256)});
  ++queued_count_;
  wake_.notify_one();
  return manifest_sha256;
}

Status OriginWriter::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = queued_count_;
  written_.wait(lock, [&] { return written_count_ >= target; });
  if (!error_) return ok_status();
  Error error = *error_;
  error_.reset();
  return error;
}

void OriginWriter::write_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queued_.empty(); });
    if (queued_.empty()) return;  // stopping, nothing left
    std::vector<Origin> batch;
    batch.swap(queued_);
    written_.notify_all();  // room again
    lock.unlock();
    std::vector<ActorOrigin> origins;
    origins.reserve(batch.size());
    for (const Origin& o : batch) origins.push_back({o.actor_id, o.manifest_text, o.module_sha256});
    Status done = store_.label_actor_origins(origins);
    lock.lock();
    if (!done.ok() && !error_) error_ = done.error();
    written_count_ += batch.size();
    written_.notify_all();
  }
}

}  // namespace theater::store
