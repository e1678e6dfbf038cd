#include "handlers/process/blocking_worker.h"

namespace theater::handlers {

BlockingWorker::BlockingWorker() : thread_([this] { run(); }) {}

BlockingWorker::~BlockingWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void BlockingWorker::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (jobs_.size() < kMaxJobs) {
      jobs_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  job();
}

void BlockingWorker::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and everything ran
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job = nullptr;  // whatever it captured goes now, outside the lock
    lock.lock();
  }
}

}  // namespace theater::handlers
