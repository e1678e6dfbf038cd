// WorkerPool: a few threads for the work that blocks (spawn runs the actor's
// init, stop waits for it to end, the event log is read), so that the I/O
// threads never wait. The queue is bounded: past it, try_post refuses and the
// caller answers 503.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace theater::server {

class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();  // runs what is queued, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool try_post(std::function<void()> work);

 private:
  void loop();

  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace theater::server
