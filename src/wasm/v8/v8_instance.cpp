#include "wasm/v8/v8_instance.h"

#include "wasm/v8/isolate_executor.h"

namespace theater::wasm::v8backend {

Status V8Instance::post(Task&& task) {
  if (!task.run) return make_error(ErrorCode::kInvalidArgument, "a task needs a run function");
  if (task.deadline == Deadline{}) {
    return make_error(ErrorCode::kInvalidArgument,
                      "a task needs a deadline (Deadline::max() for none)");
  }
  THEATER_ASSIGN_OR_RETURN(bool schedule, state_->mailbox.post(std::move(task)));
  if (schedule) state_->executor->schedule(state_);
  return {};
}

void V8Instance::notify_when_space(std::function<void()> wake) {
  state_->mailbox.notify_when_space(std::move(wake));
}

void V8Instance::pause() {
  state_->mailbox.pause();
}

void V8Instance::resume() {
  if (state_->mailbox.resume()) state_->executor->schedule(state_);
}

bool V8Instance::try_run_here(Task& task) {
  if (current_thread_runs_wasm()) return false;
  if (!state_->mailbox.claim_idle()) return false;  // claimed: posts now only queue
  if (state_->executor->run_here_if_idle(state_, task)) return true;
  if (state_->mailbox.release_claim()) state_->executor->schedule(state_);
  return false;
}

void V8Instance::close() {
  Mailbox::Closed closed = state_->mailbox.close();
  cancel_tasks(closed.tasks, make_error(ErrorCode::kUnavailable, "the instance was closed"));
  // A running instance is freed when its task ends; an idle one by its executor.
  if (closed.idle) state_->executor->release(state_);
}

void V8Instance::interrupt(const Error& why) {
  if (state_->disposed.load()) return;
  state_->executor->stop_instance_call(*state_, why);
}

InstanceStats V8Instance::stats() const {
  return InstanceStats{state_->tasks_run.load(), state_->mailbox.size(),
                       state_->memory_bytes.load()};
}

}  // namespace theater::wasm::v8backend
