// PendingAnswer<T>: the answer one waiting actor expects from another (a
// request's reply, a channel's accept). Settled once: the first answer wins;
// once the waiter has given up (timeout, its own stop) a late answer is
// refused, so its giver can record that it was dropped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <utility>

#include "common/result.h"

namespace theater::handlers {

template <class T>
class PendingAnswer {
 public:
  // False when it was already answered, or its waiter gave up.
  bool settle(Result<T> answer) {
    {
      std::lock_guard lock(mutex_);
      if (answer_ || abandoned_) return false;
      answer_.emplace(std::move(answer));
    }
    cv_.notify_all();
    return true;
  }

  // The answer, once it came; nothing when `deadline` passed or `stop` fired first.
  std::optional<Result<T>> wait(std::chrono::steady_clock::time_point deadline,
                                std::stop_token stop) {
    std::unique_lock lock(mutex_);
    cv_.wait_until(lock, stop, deadline, [&] { return answer_.has_value(); });
    if (!answer_) return std::nullopt;
    return std::move(*answer_);
  }

  // After a wait that got nothing: gives up, unless the answer came just
  // now, which is then returned.
  std::optional<Result<T>> give_up() {
    if (abandon()) return std::nullopt;
    return wait(std::chrono::steady_clock::now(), {});
  }

  // The waiter gives up: a later answer is dropped. True when no answer had come.
  bool abandon() {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    return !answer_.has_value();
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any cv_;
  std::optional<Result<T>> answer_;
  bool abandoned_ = false;
};

}  // namespace theater::handlers
