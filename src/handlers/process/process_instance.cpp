#include "handlers/process/process_instance.h"

#include <signal.h>

#include <algorithm>

#include "handlers/process/process_records.h"

namespace theater::handlers {
namespace {

using Json = nlohmann::json;

std::string process_name(std::uint64_t pid) {
  return "process " + std::to_string(pid);
}

// Records `event`; `data` gets the error when `outcome` failed.
template <class T>
Result<T> note(const handler::ActorHandle& actor, const char* event, const std::string& description,
               Result<T> outcome, Json data) {
  if (!outcome.ok()) data["error"] = outcome.error().message;
  (void)actor.record(event, outcome.ok() ? description : description + " failed", data);
  return outcome;
}

Error no_process(std::uint64_t pid) {
  return make_error(ErrorCode::kNotFound, "no " + process_name(pid));
}

}  // namespace

ProcessInstance::ProcessInstance(std::shared_ptr<ProcessServices> services, SpawnPolicy policy)
    : services_(std::move(services)), policy_(std::move(policy)) {}

ProcessInstance::~ProcessInstance() {
  stop(policy_.limits().kill_grace);
}

Status ProcessInstance::start(handler::ActorHandle actor, std::stop_token) {
  std::lock_guard lock(mutex_);
  if (started_ || stopped_) {
    return make_error(ErrorCode::kFailedPrecondition, "the process handler was started before");
  }
  auto running = std::make_shared<Running>();
  running->services = services_;
  running->actor = actor;
  running->queue = std::make_shared<CallbackQueue>(std::move(actor), services_->service->loop(),
                                                   services_->worker);
  if (policy_.max_processes() > 0) {
    auto table =
        process::ProcessTable::create(*services_->service, policy_.limits(), *running->queue);
    if (!table.ok()) return table.error().context("the process handler's limits");
    running->table = std::move(*table);
  }
  running_ = std::move(running);
  started_ = true;
  return {};
}

void ProcessInstance::stop(std::chrono::milliseconds grace) {
  std::shared_ptr<Running> running;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    running = std::move(running_);
  }
  if (!running) return;
  running->queue->close();  // from here on nothing reaches the actor
  const auto kill_grace = std::min(policy_.limits().kill_grace, grace);
  const std::size_t live = running->table ? running->table->live_count() : 0;
  (void)running->actor.record(
      records::kStop,
      "the actor stops: " + std::to_string(live) + " process(es) get SIGTERM, then SIGKILL",
      {{"live_processes", live}, {"kill_grace_ms", kill_grace.count()}});
  if (running->table) running->table->shutdown(kill_grace);
  // A host call still under way keeps `running` (and the shut-down table) until it returns.
}

Result<std::shared_ptr<ProcessInstance::Running>> ProcessInstance::running(
    const char* function) const {
  std::lock_guard lock(mutex_);
  if (running_) return running_;
  if (stopped_) {
    return make_error(
        ErrorCode::kUnavailable,
        std::string(function) + ": the process handler has stopped (the actor is stopping)");
  }
  return make_error(ErrorCode::kFailedPrecondition,
                    std::string(function) +
                        ": the process handler has not started yet (the runtime starts it before "
                        "the actor's init; no process can be started earlier)");
}

// --- os-spawn ------------------------------------------------------------------------------

Result<std::uint64_t> ProcessInstance::spawn(const process_wit::ProcessConfig& config,
                                             CallbackExports exports) {
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<Running> running, running("os-spawn"));
  running->queue->set_exports(exports);
  // The spawn event precedes everything the new process reports.
  CallbackQueue::Hold hold = running->queue->hold();
  return spawn_on(*running, config);
}

Result<std::uint64_t> ProcessInstance::spawn_on(Running& running,
                                                const process_wit::ProcessConfig& config) {
  auto refuse = [&](const char* event, const Error& error) -> Error {
    const bool denied = event == records::kPermissionDenied;
    Json data = {{"operation", "spawn"}, {"program", config.program}, {"args", config.args}};
    data[denied ? "reason" : "error"] = error.message;
    (void)running.actor.record(event,
                               (denied ? "refused to start '" : "could not start '") +
                                   config.program + "': " + error.message,
                               data);
    return denied ? error.context("permission denied") : error;
  };

  auto requested = process_wit::to_os(config);
  if (!requested.ok()) return refuse(records::kSpawnError, requested.error());
  if (!running.table) {
    return refuse(records::kPermissionDenied,
                  make_error(ErrorCode::kPermissionDenied,
                             "max_processes is 0: the manifest allows no process"));
  }
  auto admitted = policy_.admit(requested->spawn);
  if (!admitted.ok()) {
    return refuse(admitted.error().code == ErrorCode::kPermissionDenied ? records::kPermissionDenied
                                                                        : records::kSpawnError,
                  admitted.error());
  }
  requested->spawn = admitted->spawn;
  auto id = running.table->spawn(*requested);
  if (!id.ok()) {
    // A full table is the manifest's max_processes speaking: a refusal.
    if (id.error().code == ErrorCode::kResourceExhausted) {
      return refuse(records::kPermissionDenied,
                    make_error(ErrorCode::kPermissionDenied, id.error().message));
    }
    return refuse(records::kSpawnError, id.error());
  }
  auto status = running.table->status(*id);
  const int os_pid = status.ok() ? status->os_pid : -1;
  (void)running.actor.record(
      records::kSpawn, "started '" + config.program + "' as " + process_name(*id),
      records::spawn_data(*id, os_pid, config.program, *requested, *admitted));
  return *id;
}

// --- calls on one process --------------------------------------------------------------------

Result<std::uint32_t> ProcessInstance::write_stdin(std::uint64_t pid,
                                                   const std::vector<std::uint8_t>& data) {
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<Running> running, running("os-write-stdin"));
  CallbackQueue::Hold hold = running->queue->hold();
  Result<std::uint32_t> accepted = no_process(pid);
  if (running->table) {
    auto written = running->table->write_stdin(pid, data);
    // At most max_stdin_queue (1 MiB) is accepted at once: it fits a u32.
    accepted = written.ok() ? Result<std::uint32_t>(static_cast<std::uint32_t>(*written))
                            : Result<std::uint32_t>(written.error());
  }
  Json record = {{"pid", pid}, {"offered", data.size()}};
  if (accepted.ok()) record["accepted"] = *accepted;
  return note(running->actor, records::kWriteStdin, "wrote to the stdin of " + process_name(pid),
              std::move(accepted), record);
}

Status ProcessInstance::close_stdin(std::uint64_t pid) {
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<Running> running, running("os-close-stdin"));
  CallbackQueue::Hold hold = running->queue->hold();
  Status closed = running->table ? running->table->close_stdin(pid) : Status(no_process(pid));
  return note(running->actor, records::kCloseStdin, "closed the stdin of " + process_name(pid),
              std::move(closed), {{"pid", pid}});
}

Result<process_wit::ProcessStatus> ProcessInstance::status(std::uint64_t pid) {
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<Running> running, running("os-status"));
  CallbackQueue::Hold hold = running->queue->hold();
  Result<process_wit::ProcessStatus> status = no_process(pid);
  if (running->table) {
    auto os_status = running->table->status(pid);
    status = os_status.ok() ? Result<process_wit::ProcessStatus>(process_wit::from_os(*os_status))
                            : Result<process_wit::ProcessStatus>(os_status.error());
  }
  Json record = {{"pid", pid}};
  if (status.ok()) {
    // What the actor learns here is an input like any other: recorded for replay.
    record["running"] = status->running;
    record["exit_code"] = status->exit_code ? Json(*status->exit_code) : Json(nullptr);
    record["start_time"] = status->start_time;
  }
  return note(running->actor, records::kStatus, "status of " + process_name(pid), std::move(status),
              record);
}

Status ProcessInstance::signal(std::uint64_t pid, std::uint32_t signal) {
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<Running> running, running("os-signal"));
  CallbackQueue::Hold hold = running->queue->hold();
  Status sent = no_process(pid);
  if (signal < 1 || signal > static_cast<std::uint32_t>(SIGRTMAX)) {
    sent = make_error(ErrorCode::kInvalidArgument, "signal " + std::to_string(signal) +
                                                       " is not a Linux signal number (1.." +
                                                       std::to_string(SIGRTMAX) + ")");
  } else if (running->table) {
    sent = running->table->signal(pid, static_cast<int>(signal));
  }
  return note(running->actor, records::kSignal,
              "sent signal " + records::signal_text(static_cast<int>(std::min(signal, 999u))) +
                  " to " + process_name(pid),
              std::move(sent), {{"pid", pid}, {"signal", signal}});
}

Status ProcessInstance::kill(std::uint64_t pid) {
  THEATER_ASSIGN_OR_RETURN(std::shared_ptr<Running> running, running("os-kill"));
  CallbackQueue::Hold hold = running->queue->hold();
  Status killed = running->table ? running->table->kill(pid) : Status(no_process(pid));
  return note(running->actor, records::kKill, "killed " + process_name(pid), std::move(killed),
              {{"pid", pid}});
}

}  // namespace theater::handlers
