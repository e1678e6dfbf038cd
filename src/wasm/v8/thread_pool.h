// An elastic pool of OS threads for the isolates' work. A job runs on an idle
// thread, or a new one when none is idle (up to max_threads; past that jobs
// wait in the queue, which scheduling keeps at most one drain job per isolate
// plus one per parked call). Threads above the core set exit after lingering
// idle. Threads get an explicit stack size so V8's stack limit always fits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace theater::wasm::v8backend {

class ThreadPool {
 public:
  struct Options {
    unsigned core_threads = 2;
    unsigned max_threads = 512;
    std::chrono::milliseconds linger{2000};
    size_t stack_bytes = 8u << 20;
    // Runs on a pool thread just before it exits (V8 per-thread cleanup).
    std::function<void()> on_thread_exit;
  };

  explicit ThreadPool(Options options);
  ~ThreadPool();  // shutdown()
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void submit(std::function<void()> job);
  // Runs every queued job, then stops and waits for all threads to exit.
  void shutdown();
  unsigned threads() const;

 private:
  struct State;
  static void* thread_main(void* state);
  bool spawn_locked();
  std::shared_ptr<State> state_;
};

}  // namespace theater::wasm::v8backend
