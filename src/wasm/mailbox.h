// Mailbox: one instance's queue of tasks, the only queue between the callers
// of an instance (handlers, other actors, the runtime) and the thread that
// runs its tasks. Engine-independent, so its rules are tested without V8
// (tests/unit/wasm/mailbox_test.cpp); a backend keeps one per instance.
//
// - Order: tasks run in the order post() accepted them. Nothing else
//   reorders them: pause() stops the owner from taking tasks (the one
//   running finishes) and resume() lets it continue from the same front.
// - Bound: at most `capacity` tasks wait. post() on a full mailbox is
//   refused with kResourceExhausted and leaves the task as it was; the caller
//   keeps it and asks notify_when_space() to hear when to post again (no
//   polling). Waiters are woken together once the queue has drained to half
//   its capacity (so a full mailbox does not wake them for every task taken),
//   or when the mailbox closes (their post is then refused with kUnavailable).
//   Any number of producers may wait; each registers once per refusal.
// - Scheduling: the owner runs a mailbox's tasks one at a time. `scheduled`
//   is the owner's claim ("in a run queue, or a task of it is running"):
//   post() and resume() tell their caller when the mailbox has just become
//   runnable and must be put in a run queue; take() and finish_turn() tell the
//   owner when to stop.
//
// Thread-safe. Wake callbacks and cancelled tasks are called without the
// mailbox's lock held, on the thread that freed the space or closed it: they
// must be short and must not block.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "common/result.h"
#include "wasm/task.h"

namespace theater::wasm {

class Mailbox {
 public:
  explicit Mailbox(std::size_t capacity);
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  // Queues `task`. On success the value says whether the caller must put the
  // mailbox in its owner's run queue (it was idle and is not paused).
  [[nodiscard]] Result<bool> post(Task&& task);

  // Asks for `wake` to be called once there is room again (see above); calls
  // it at once when there is room already or the mailbox is closed.
  void notify_when_space(std::function<void()> wake);

  // --- the owner's side -------------------------------------------------
  // The next task, when the mailbox may run one; otherwise (empty, paused or
  // closed) nullopt, and the mailbox is no longer scheduled.
  std::optional<Task> take();
  // After a task ran: true when the mailbox stays scheduled (it has more to
  // run), false when it became idle.
  [[nodiscard]] bool finish_turn();
  // Claims an idle, empty, running mailbox so the owner can run a task that
  // bypasses the queue (a caller that waits for its own task anyway). False
  // when it is scheduled, paused, closed or holds tasks: that task must be
  // posted behind them instead.
  [[nodiscard]] bool claim_idle();
  // Ends a claim_idle() whose task did not run; true when the mailbox must be
  // put in the run queue after all (tasks arrived meanwhile).
  [[nodiscard]] bool release_claim();

  // --- control -----------------------------------------------------------
  // Tasks stay queued (post() still accepts up to the bound) until resume().
  void pause();
  // True when the caller must put the mailbox in its owner's run queue.
  [[nodiscard]] bool resume();
  struct Closed {
    std::deque<Task> tasks;  // never to run: the caller cancels them
    bool idle = false;       // no task of it is running or scheduled
  };
  // Refuses every later post. Idempotent: a second close returns no tasks
  // and idle = false (the first caller already acted on it).
  Closed close();

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] bool paused() const;
  [[nodiscard]] bool closed() const;
  [[nodiscard]] bool scheduled() const;

 private:
  using Waiters = std::vector<std::function<void()>>;
  bool runnable_locked() const { return !closed_ && !paused_ && !tasks_.empty(); }
  static void wake(Waiters& waiters);

  const std::size_t capacity_;
  const std::size_t low_water_;  // waiters are woken at or below this size
  mutable std::mutex mutex_;
  std::deque<Task> tasks_;
  Waiters waiters_;
  bool scheduled_ = false;
  bool paused_ = false;
  bool closed_ = false;
};

}  // namespace theater::wasm
