#include "wasm/mailbox.h"

#include <string>
#include <utility>

namespace theater::wasm {

Mailbox::Mailbox(std::size_t capacity) : capacity_(capacity), low_water_(capacity / 2) {}

Result<bool> Mailbox::post(Task&& task) {
  std::lock_guard lock(mutex_);
  if (closed_) return make_error(ErrorCode::kUnavailable, "the instance is closed");
  if (tasks_.size() >= capacity_) {
    return make_error(
        ErrorCode::kResourceExhausted,
        "the instance's mailbox is full (" + std::to_string(capacity_) + " tasks waiting)");
  }
  tasks_.push_back(std::move(task));
  if (scheduled_ || paused_) return false;
  scheduled_ = true;
  return true;
}

void Mailbox::notify_when_space(std::function<void()> wake) {
  {
    std::lock_guard lock(mutex_);
    if (!closed_ && tasks_.size() >= capacity_) {
      waiters_.push_back(std::move(wake));
      return;
    }
  }
  wake();
}

std::optional<Task> Mailbox::take() {
  Waiters woken;
  std::optional<Task> task;
  {
    std::lock_guard lock(mutex_);
    if (!runnable_locked()) {
      scheduled_ = false;
      return std::nullopt;
    }
    task.emplace(std::move(tasks_.front()));
    tasks_.pop_front();
    if (tasks_.size() <= low_water_) woken.swap(waiters_);
  }
  wake(woken);
  return task;
}

bool Mailbox::finish_turn() {
  std::lock_guard lock(mutex_);
  scheduled_ = runnable_locked();
  return scheduled_;
}

bool Mailbox::claim_idle() {
  std::lock_guard lock(mutex_);
  if (scheduled_ || paused_ || closed_ || !tasks_.empty()) return false;
  scheduled_ = true;
  return true;
}

bool Mailbox::release_claim() {
  return finish_turn();
}

void Mailbox::pause() {
  std::lock_guard lock(mutex_);
  paused_ = true;
}

bool Mailbox::resume() {
  std::lock_guard lock(mutex_);
  paused_ = false;
  if (scheduled_ || !runnable_locked()) return false;
  scheduled_ = true;
  return true;
}

Mailbox::Closed Mailbox::close() {
  Closed closed;
  Waiters woken;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return closed;
    closed_ = true;
    closed.idle = !scheduled_;
    closed.tasks.swap(tasks_);
    woken.swap(waiters_);
  }
  wake(woken);
  return closed;
}

std::size_t Mailbox::size() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

bool Mailbox::paused() const {
  std::lock_guard lock(mutex_);
  return paused_;
}

bool Mailbox::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool Mailbox::scheduled() const {
  std::lock_guard lock(mutex_);
  return scheduled_;
}

void Mailbox::wake(Waiters& waiters) {
  for (auto& waiter : waiters) waiter();
}

}  // namespace theater::wasm
