// EventLoop: one asio::io_context run by one long-lived thread. All pipe,
// pidfd and timer work of the process layer happens here, and children are
// forked here (PR_SET_PDEATHSIG is tied to the forking thread's lifetime).
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <type_traits>

#include "common/asio.h"
#include "common/result.h"

namespace theater::process {

class EventLoop {
 public:
  // Starts the thread. SIGPIPE is blocked on it, so a write to a pipe whose
  // reader is gone is an EPIPE error there, without touching the process-wide
  // signal disposition.
  EventLoop();
  // Lets the loop run what is queued (cancelled operations completing), then
  // joins the thread. Work that is still pending after kDrainTimeout (a timer
  // nobody cancelled) is dropped. Destroy every ProcessTable first.
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  asio::io_context& context() { return context_; }
  [[nodiscard]] bool in_loop_thread() const {
    return std::this_thread::get_id() == thread_.get_id();
  }

  // Runs `fn` on the loop thread and returns its result, waiting at most
  // `timeout`; runs it inline when called on the loop thread. On timeout `fn`
  // still runs later; the caller gets kDeadlineExceeded.
  template <class Fn>
  auto call(Fn fn, std::chrono::milliseconds timeout) -> Result<std::invoke_result_t<Fn&>> {
    using R = std::invoke_result_t<Fn&>;
    if (in_loop_thread()) {
      if constexpr (std::is_void_v<R>) {
        fn();
        return Result<void>();
      } else {
        return fn();
      }
    }
    auto promise = std::make_shared<std::promise<R>>();
    std::future<R> future = promise->get_future();
    asio::post(context_, [fn = std::move(fn), promise]() mutable {
      if constexpr (std::is_void_v<R>) {
        fn();
        promise->set_value();
      } else {
        promise->set_value(fn());
      }
    });
    if (future.wait_for(timeout) != std::future_status::ready) {
      return make_error(ErrorCode::kDeadlineExceeded,
                        "the process event loop did not answer within " +
                            std::to_string(timeout.count()) + " ms");
    }
    if constexpr (std::is_void_v<R>) {
      future.get();
      return Result<void>();
    } else {
      return future.get();
    }
  }

 private:
  static constexpr std::chrono::milliseconds kDrainTimeout{5000};

  void run();

  asio::io_context context_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_{context_.get_executor()};
  std::promise<void> drained_;
  std::thread thread_;
};

}  // namespace theater::process
