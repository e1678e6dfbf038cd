#include "wasm/v8/thread_pool.h"

#include <pthread.h>

#include <cstdio>
#include <cstdlib>

namespace theater::wasm::v8backend {

// Shared with every thread, so a thread finishing its last instructions never
// touches a destroyed pool.
struct ThreadPool::State {
  Options options;
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable all_exited;
  std::deque<std::function<void()>> jobs;
  unsigned threads = 0;
  unsigned idle = 0;
  bool stopping = false;
};

namespace {
struct ThreadStart {
  std::shared_ptr<void> state;
};
}  // namespace

ThreadPool::ThreadPool(Options options) : state_(std::make_shared<State>()) {
  state_->options = std::move(options);
}

ThreadPool::~ThreadPool() {
  shutdown();
}

unsigned ThreadPool::threads() const {
  std::lock_guard lock(state_->mutex);
  return state_->threads;
}

void ThreadPool::submit(std::function<void()> job) {
  bool wake;
  {
    std::lock_guard lock(state_->mutex);
    state_->jobs.push_back(std::move(job));
    wake = state_->idle > 0;
    if (!wake && state_->threads < state_->options.max_threads) spawn_locked();
  }
  // After unlocking: a waiter woken under the lock would at once block on it.
  if (wake) state_->work_ready.notify_one();
}

bool ThreadPool::spawn_locked() {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, state_->options.stack_bytes);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  auto start = std::make_unique<std::shared_ptr<State>>(state_);
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, &ThreadPool::thread_main, start.get());
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    // Out of threads: queued jobs still run on the existing threads.
    std::fprintf(stderr, "theater: could not start a pool thread (error %d)\n", rc);
    return false;
  }
  (void)start.release();  // owned by the new thread now
  state_->threads++;
  return true;
}

void* ThreadPool::thread_main(void* arg) {
  std::shared_ptr<State> state = std::move(*static_cast<std::shared_ptr<State>*>(arg));
  delete static_cast<std::shared_ptr<State>*>(arg);  // NOLINT: handed over by spawn_locked
  std::unique_lock lock(state->mutex);
  for (;;) {
    if (!state->jobs.empty()) {
      std::function<void()> job = std::move(state->jobs.front());
      state->jobs.pop_front();
      lock.unlock();
      job();
      lock.lock();
      continue;
    }
    if (state->stopping) break;
    state->idle++;
    bool extra = state->threads > state->options.core_threads;
    bool woke = state->work_ready.wait_for(lock, state->options.linger,
                                           [&] { return !state->jobs.empty() || state->stopping; });
    state->idle--;
    if (!woke && extra && state->jobs.empty()) break;  // lingered long enough
  }
  lock.unlock();
  if (state->options.on_thread_exit) state->options.on_thread_exit();
  lock.lock();
  state->threads--;
  state->all_exited.notify_all();
  return nullptr;
}

void ThreadPool::shutdown() {
  std::unique_lock lock(state_->mutex);
  state_->stopping = true;
  state_->work_ready.notify_all();
  // Callers stop every call before shutting the pool down, so jobs are short;
  // a thread that never exits is a broken invariant, not a case to handle.
  if (!state_->all_exited.wait_for(lock, std::chrono::seconds(60),
                                   [&] { return state_->threads == 0; })) {
    std::fprintf(stderr, "theater: broken invariant: pool threads still busy after 60 s\n");
    std::abort();
  }
}

}  // namespace theater::wasm::v8backend
