#include "wasm/v8/v8_instance.h"

#include "wasm/v8/isolate_executor.h"

namespace theater::wasm::v8backend {

Status V8Instance::post(Task&& task) {
  if (!task.run) return make_error(ErrorCode::kInvalidArgument, "a task needs a run function");
  if (task.deadline == Deadline{}) {
    return make_error(ErrorCode::kInvalidArgument,
                      "a task needs a deadline (Deadline::max() for none)");
  }
  bool schedule;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return make_error(ErrorCode::kUnavailable, "the instance is closed");
    const size_t cap = state_->max_pending_tasks;
    if (state_->tasks.size() >= cap) {
      return make_error(ErrorCode::kResourceExhausted, "the instance's mailbox is full (" +
                                                           std::to_string(cap) + " tasks waiting)");
    }
    state_->tasks.push_back(std::move(task));
    schedule = !state_->scheduled;
    state_->scheduled = true;
  }
  if (schedule) state_->executor->schedule(state_);
  return {};
}

bool V8Instance::try_run_here(Task& task) {
  if (current_thread_runs_wasm()) return false;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closed || state_->scheduled) return false;
    state_->scheduled = true;  // claims the instance: posts now only queue
  }
  if (state_->executor->run_here_if_idle(state_, task)) return true;
  bool reschedule;
  {
    std::lock_guard lock(state_->mutex);
    reschedule = !state_->tasks.empty() && !state_->closed;
    state_->scheduled = reschedule;
  }
  if (reschedule) state_->executor->schedule(state_);
  return false;
}

void V8Instance::close() {
  std::deque<Task> tasks;
  bool idle;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return;
    tasks = state_->close_locked();
    idle = !state_->scheduled;
  }
  cancel_tasks(tasks, make_error(ErrorCode::kUnavailable, "the instance was closed"));
  // A running instance is freed when its task ends; an idle one by its executor.
  if (idle) state_->executor->release(state_);
}

void V8Instance::interrupt(const Error& why) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->disposed) return;
  }
  state_->executor->stop_instance_call(*state_, why);
}

InstanceStats V8Instance::stats() const {
  return InstanceStats{state_->tasks_run.load(), state_->memory_bytes.load()};
}

}  // namespace theater::wasm::v8backend
