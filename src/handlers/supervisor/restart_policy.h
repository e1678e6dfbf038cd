// The decisions of a supervisor, apart from the children they act on (pure,
// unit-tested): whether an ended child is restarted, OTP's restart intensity,
// the backoff before a restart, and which children a strategy restarts.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <vector>

#include "handler_api/supervision.h"
#include "handlers/supervisor/supervisor_config.h"

namespace theater::handlers {

using SteadyTime = std::chrono::steady_clock::time_point;

// Permanent after a failure or an exit, transient after a failure only,
// temporary never. A child stopped by someone other than its parent (an
// operator's `theater stop`, a terminate) is never restarted: that stop was
// meant.
bool should_restart(RestartType type, handler::ChildEnd::Kind kind);

// At most max_restarts restarts within a sliding window: one more is refused,
// and the supervisor escalates.
class RestartIntensity {
 public:
  RestartIntensity(uint32_t max_restarts, std::chrono::milliseconds window)
      : max_restarts_(max_restarts), window_(window) {}
  // Records a restart at `now`; false (nothing recorded) when it would be
  // more than max_restarts within the window.
  bool admit(SteadyTime now);

 private:
  uint32_t max_restarts_;
  std::chrono::milliseconds window_;
  std::deque<SteadyTime> restarts_;  // at most max_restarts_
};

// One child's restarts within the window, for its backoff and its attempt number.
class ChildRestarts {
 public:
  // Records a restart at `now`; its attempt number (1 for the first one in the window).
  uint32_t next_attempt(SteadyTime now, std::chrono::milliseconds window);

 private:
  std::deque<SteadyTime> recent_;
};

// backoff, doubled for each earlier restart of the child within the window
// (attempt 1 waits `backoff`), at most kMaxBackoff; zero when backoff is zero.
inline constexpr std::chrono::milliseconds kMaxBackoff{600'000};
std::chrono::milliseconds backoff_delay(std::chrono::milliseconds backoff, uint32_t attempt);

// Positions (in start order, 0..count-1) of the children restarted when the
// child at `ended` ended: one-for-one just it, one-for-all all, rest-for-one
// it and those started after it; none nothing.
std::vector<size_t> restarted_by(Strategy strategy, size_t ended, size_t count);

}  // namespace theater::handlers
