#include "wasm/v8/watchdog.h"

#include <algorithm>

namespace theater::wasm::v8backend {

Watchdog::Watchdog(std::function<Deadline(Deadline)> scan)
    : scan_(std::move(scan)), thread_([this] { run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Watchdog::watch_slow(Deadline deadline) {
  std::lock_guard lock(mutex_);
  if (scanning_.load()) {
    // The scan in progress may have missed this call: make sure the next
    // sleep ends no later than its deadline.
    noted_during_scan_ = std::min(noted_during_scan_, deadline);
  } else if (deadline < next_wake_.load()) {
    next_wake_.store(deadline);
    wake_.notify_all();
  }
}

void Watchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    Deadline wake_at = next_wake_.load();
    if (wake_at == Deadline::max()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, wake_at);
    }
    if (stopping_) break;
    Deadline now = Clock::now();
    if (now < next_wake_.load()) continue;  // woken early by an earlier deadline

    scanning_.store(true);
    noted_during_scan_ = Deadline::max();
    lock.unlock();
    Deadline earliest = scan_(now);
    lock.lock();
    next_wake_.store(std::min(earliest, noted_during_scan_));
    scanning_.store(false);
  }
}

}  // namespace theater::wasm::v8backend
