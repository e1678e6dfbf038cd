// Stops calls that pass their deadline. One thread sleeps until the earliest
// deadline of any running or parked call, then asks each executor to stop
// its expired calls (only the call each deadline belongs to: see
// IsolateExecutor::stop_expired). Starting a call costs one atomic comparison
// unless its deadline is earlier than the watchdog's next wake-up.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "wasm/engine.h"

namespace theater::wasm::v8backend {

class Watchdog {
 public:
  // `scan(now)` stops expired calls and returns the earliest deadline left.
  explicit Watchdog(std::function<Deadline(Deadline now)> scan);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Called when a call with this deadline starts running or parks.
  void watch(Deadline deadline) {
    if (deadline >= next_wake_.load() && !scanning_.load()) return;
    watch_slow(deadline);
  }

 private:
  void watch_slow(Deadline deadline);
  void run();

  std::function<Deadline(Deadline)> scan_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<Deadline> next_wake_{Deadline::max()};
  std::atomic<bool> scanning_{false};
  Deadline noted_during_scan_ = Deadline::max();  // guarded by mutex_
  bool stopping_ = false;                         // guarded by mutex_
  std::thread thread_;
};

}  // namespace theater::wasm::v8backend
