// BlockingWorker: one thread for handler work that may block (appending to
// an actor's chain waits when the event log is backlogged) and so must never
// run on the process event loop.
//
// Queue bound and policy: each actor's CallbackQueue has at most one job here
// at a time (it waits for that job before dispatching its next item), so the
// queue holds at most one job per actor using processes. As a guard against a
// broken caller, past kMaxJobs post() runs the job on the calling thread:
// slower, never lost.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace theater::handlers {

class BlockingWorker {
 public:
  static constexpr std::size_t kMaxJobs = 65536;

  BlockingWorker();
  // Runs what is queued, then joins.
  ~BlockingWorker();
  BlockingWorker(const BlockingWorker&) = delete;
  BlockingWorker& operator=(const BlockingWorker&) = delete;

  void post(std::function<void()> job);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace theater::handlers
