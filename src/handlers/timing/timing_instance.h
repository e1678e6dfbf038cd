// TimingInstance: one actor's share of the timing handler. `now` reads the
// wall clock; `sleep` and `deadline` wait in the host call's blocking section
// (the isolate runs other actors meanwhile), bounded by max_sleep_ms, and
// wake at once when the actor begins to stop (the shutdown token handed to
// start(), or stop()). Every answer is recorded in the actor's chain.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "handler_api/handler.h"
#include "handlers/timing/timing_config.h"

namespace theater::handlers {

class TimingInstance final : public handler::HandlerInstance {
 public:
  explicit TimingInstance(TimingPermissions permissions) : permissions_(permissions) {}

  Status start(handler::ActorHandle actor, std::stop_token shutdown) override;
  // Wakes every sleep of the actor; later calls are refused.
  void stop(std::chrono::milliseconds grace) override;

  // Milliseconds since the Unix epoch.
  Result<std::uint64_t> now();
  Status sleep(wasm::HostCall& call, std::uint64_t duration_ms);
  Status deadline(wasm::HostCall& call, std::uint64_t timestamp_ms);

 private:
  Result<handler::ActorHandle> actor(const char* function) const;
  Status check_limit(const char* function, std::uint64_t wait_ms) const;
  // Waits `wait_ms` in `call`'s blocking section; an error when the actor
  // began to stop or the call was ended meanwhile.
  Status wait(wasm::HostCall& call, const char* function, std::uint64_t wait_ms);
  void wake_all();

  const TimingPermissions permissions_;

  mutable std::mutex mutex_;
  std::condition_variable_any woken_;
  std::optional<handler::ActorHandle> actor_;
  bool stopping_ = false;  // the actor began to stop: no more waiting
  bool stopped_ = false;   // stop() was called: no more calls
  // Wakes sleepers when the actor begins to stop.
  std::optional<std::stop_callback<std::function<void()>>> on_shutdown_;
};

}  // namespace theater::handlers
