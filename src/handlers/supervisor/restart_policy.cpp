#include "handlers/supervisor/restart_policy.h"

#include <algorithm>

namespace theater::handlers {

bool should_restart(RestartType type, handler::ChildEnd::Kind kind) {
  using Kind = handler::ChildEnd::Kind;
  if (kind == Kind::kStopped) return false;
  switch (type) {
    case RestartType::kPermanent:
      return true;
    case RestartType::kTransient:
      return kind == Kind::kFailed;
    case RestartType::kTemporary:
      return false;
  }
  return false;
}

bool RestartIntensity::admit(SteadyTime now) {
  while (!restarts_.empty() && now - restarts_.front() >= window_) restarts_.pop_front();
  if (restarts_.size() >= max_restarts_) return false;
  restarts_.push_back(now);
  return true;
}

uint32_t ChildRestarts::next_attempt(SteadyTime now, std::chrono::milliseconds window) {
  while (!recent_.empty() && now - recent_.front() >= window) recent_.pop_front();
  recent_.push_back(now);
  return static_cast<uint32_t>(recent_.size());
}

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds backoff, uint32_t attempt) {
  if (backoff.count() <= 0 || attempt == 0) return std::chrono::milliseconds(0);
  std::chrono::milliseconds delay = backoff;
  for (uint32_t i = 1; i < attempt && delay < kMaxBackoff; ++i) delay *= 2;
  return std::min(delay, kMaxBackoff);
}

std::vector<size_t> restarted_by(Strategy strategy, size_t ended, size_t count) {
  std::vector<size_t> out;
  if (ended >= count) return out;
  switch (strategy) {
    case Strategy::kNone:
      break;
    case Strategy::kOneForOne:
      out.push_back(ended);
      break;
    case Strategy::kOneForAll:
      for (size_t i = 0; i < count; ++i) out.push_back(i);
      break;
    case Strategy::kRestForOne:
      for (size_t i = ended; i < count; ++i) out.push_back(i);
      break;
  }
  return out;
}

}  // namespace theater::handlers
