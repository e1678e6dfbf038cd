// A Task: one unit of work for an instance, as queued in its Mailbox.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "common/result.h"

namespace theater::wasm {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

inline Deadline deadline_in(std::chrono::milliseconds timeout) {
  return Clock::now() + timeout;
}

class InstanceContext;

// `run` executes on the instance's isolate; `cancelled` is called instead (on
// any thread) when the task can never run because the instance or the engine
// closed first, or its deadline passed while it waited.
struct Task {
  std::function<void(InstanceContext&)> run;
  std::function<void(const Error&)> cancelled;
  // When the task must be over: a task still queued at its deadline is
  // cancelled, and a running one is stopped.
  Deadline deadline;
  // Optional: what `run` and `cancelled` point to, alive as long as the task.
  // std::function heap-allocates any capture that is not trivially copyable,
  // so a hot path keeps its state here and captures only a raw pointer.
  std::shared_ptr<void> keep_alive;
  // Non-zero: the task must finish within this long of *starting*; `deadline`
  // then bounds only its wait in the queue. (An actor's call timeout measures
  // its run, not the time it waited behind others or during a pause.)
  std::chrono::milliseconds run_timeout{0};
};

}  // namespace theater::wasm
