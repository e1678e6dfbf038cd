#include "handlers/process/os/output_budget.h"

#include <utility>

namespace theater::process {

std::size_t OutputBudget::available() const {
  std::lock_guard lock(mutex_);
  const std::size_t used = held_ + unacknowledged_;
  return used >= limit_ ? 0 : limit_ - used;
}

std::size_t OutputBudget::pending() const {
  std::lock_guard lock(mutex_);
  return held_ + unacknowledged_;
}

void OutputBudget::set_held(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  held_ = bytes;
}

void OutputBudget::consume(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  unacknowledged_ += bytes;
}

void OutputBudget::release(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  unacknowledged_ -= std::min(bytes, unacknowledged_);
  notify_if_room_locked();
}

void OutputBudget::notify_when_available(std::size_t wanted, std::function<void()> on_room) {
  std::lock_guard lock(mutex_);
  wanted_ = wanted;
  on_room_ = std::move(on_room);
  notify_if_room_locked();
}

void OutputBudget::detach() {
  std::lock_guard lock(mutex_);
  on_room_ = nullptr;
}

// Runs the hook under the lock: detach() then guarantees no hook is still
// running, so the hook may refer to the event loop, which outlives detach().
void OutputBudget::notify_if_room_locked() {
  if (!on_room_) return;
  const std::size_t used = held_ + unacknowledged_;
  if (used < limit_ && limit_ - used >= wanted_) std::exchange(on_room_, nullptr)();
}

}  // namespace theater::process
