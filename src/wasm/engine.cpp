// Backend-independent parts of the engine interface.
#include "wasm/engine.h"

#include <condition_variable>
#include <mutex>

namespace theater::wasm {
namespace {

// A task's outcome, waited for by the thread that posted it.
class Completion {
 public:
  void finish(Status status) {
    {
      std::lock_guard lock(mutex_);
      if (done_) return;
      status_ = std::move(status);
      done_ = true;
    }
    cv_.notify_all();
  }
  // False when `until` passed or `stop` fired first.
  bool wait(Deadline until, std::stop_token stop) {
    std::unique_lock lock(mutex_);
    return cv_.wait_until(lock, stop, until, [&] { return done_; });
  }
  const Status& status() const { return status_; }

 private:
  std::mutex mutex_;
  std::condition_variable_any cv_;
  bool done_ = false;
  Status status_;
};

// Once the watchdog stops a task at its deadline, it reports within about a
// millisecond; this slack only covers a loaded machine.
constexpr std::chrono::seconds kReportSlack{5};

}  // namespace

const char* to_string(MemoryMode mode) {
  return mode == MemoryMode::kGuardRegions ? "guard-regions" : "bounds-checks";
}

Result<MemoryMode> parse_memory_mode(std::string_view text) {
  if (text == "guard-regions") return MemoryMode::kGuardRegions;
  if (text == "bounds-checks") return MemoryMode::kBoundsChecks;
  return make_error(ErrorCode::kInvalidArgument,
                    "unknown memory mode \"" + std::string(text) +
                        "\" (expected guard-regions or bounds-checks)");
}

Status Instance::run(std::function<void(InstanceContext&)> fn, std::chrono::milliseconds timeout,
                     std::stop_token stop) {
  if (current_thread_runs_wasm()) {
    return make_error(
        ErrorCode::kFailedPrecondition,
        "waiting for an instance while holding an isolate would deadlock; post a task or "
        "wait in a blocking section");
  }
  auto completion = std::make_shared<Completion>();
  Task task;
  task.deadline = deadline_in(timeout);
  task.run = [fn = std::move(fn), completion](InstanceContext& context) {
    fn(context);
    completion->finish({});
  };
  task.cancelled = [completion](const Error& why) { completion->finish(why); };
  const Deadline deadline = task.deadline;
  if (try_run_here(task)) return completion->status();
  THEATER_RETURN_IF_ERROR(post(std::move(task)));
  if (!completion->wait(deadline + kReportSlack, stop)) {
    if (stop.stop_requested())
      return make_error(ErrorCode::kCancelled, "stopped while waiting for the instance");
    return make_error(ErrorCode::kDeadlineExceeded,
                      "the instance did not answer within its deadline");
  }
  return completion->status();
}

Result<std::vector<Value>> Instance::call(std::string_view export_name, std::vector<Value> args,
                                          std::chrono::milliseconds timeout, std::stop_token stop) {
  auto result = std::make_shared<Result<std::vector<Value>>>(
      make_error(ErrorCode::kInternal, "the call did not run"));
  Status ran = run([result, name = std::string(export_name), args = std::move(args)](
                       InstanceContext& context) { *result = context.call(name, args); },
                   timeout, stop);
  if (!ran.ok()) return ran.error();
  return *result;
}

}  // namespace theater::wasm
