#include "handlers/process/os/process_table.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <set>

#include "common/asio.h"

namespace theater::process {
namespace {

// How long a spawn may wait for the event loop (a fork and exec take ~1 ms).
constexpr std::chrono::milliseconds kSpawnTimeout{10000};
// How long a SIGKILLed group leader may take to die before we give up on it.
constexpr std::chrono::milliseconds kReapTimeout{2000};
// Extra time a shutdown caller allows the loop beyond its own deadlines.
constexpr std::chrono::milliseconds kLoopAnswerSlack{5000};

}  // namespace

struct ProcessTable::ShutdownState {
  explicit ShutdownState(asio::io_context& context) : deadline(context) {}
  std::promise<void> done;
  asio::steady_timer deadline;
  bool complete = false;
};

Result<std::unique_ptr<ProcessTable>> ProcessTable::create(ProcessService& service,
                                                           TableLimits limits,
                                                           ProcessListener& listener) {
  THEATER_RETURN_IF_ERROR(validate_limits(limits));
  std::unique_ptr<Cgroup> cgroup;
  if (CgroupRoot* cgroups = service.cgroups()) {
    auto made = cgroups->make_child();
    if (!made.ok()) return made.error().context("containing the processes");
    cgroup = std::move(made).value();
  }
  return std::make_unique<ProcessTable>(Token{}, service, limits, listener, std::move(cgroup));
}

ProcessTable::ProcessTable(Token, ProcessService& service, TableLimits limits,
                           ProcessListener& listener, std::unique_ptr<Cgroup> cgroup)
    : service_(service), limits_(limits), listener_(listener), cgroup_(std::move(cgroup)) {
  service_.tables_.fetch_add(1);
}

ProcessTable::~ProcessTable() {
  shutdown(limits_.kill_grace);
  service_.tables_.fetch_sub(1);
}

// --- spawning ----------------------------------------------------------------------

Result<ProcessId> ProcessTable::spawn(const ProcessConfig& config) {
  THEATER_RETURN_IF_ERROR(validate_config(config, limits_));
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      return make_error(ErrorCode::kUnavailable, "the process table is shut down");
    }
    if (live_.size() + starting_ >= limits_.max_processes) {
      return make_error(ErrorCode::kResourceExhausted,
                        "already " + std::to_string(live_.size() + starting_) +
                            " processes running (max_processes is " +
                            std::to_string(limits_.max_processes) + ")");
    }
    ++starting_;
  }
  // Forked on the loop thread: PR_SET_PDEATHSIG follows the forking thread.
  auto started =
      service_.loop().call([this, config] { return start_on_loop(config); }, kSpawnTimeout);
  if (!started.ok()) return started.error().context("starting '" + config.spawn.program + "'");
  return std::move(started).value();
}

// Loop thread. Ids are handed out here only, so a failed spawn can give its
// id back: ids stay 1, 2, 3, ... over the processes that really started.
Result<ProcessId> ProcessTable::start_on_loop(const ProcessConfig& config) {
  ProcessId id;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
  }
  auto started = ManagedProcess::start(
      service_.loop().context(), ManagedProcess::Setup{id, config, limits_, service_.lifeline(),
                                                       cgroup_.get(), &listener_, this});
  std::shared_ptr<ManagedProcess> refused;
  {
    std::lock_guard lock(mutex_);
    --starting_;
    if (!started.ok()) {
      --next_id_;
    } else if (closed_) {
      refused = *started;  // shutdown began while we forked
    } else {
      live_.emplace(id, *started);
    }
  }
  if (refused) {
    const ProcessStatus status = refused->abandon(kReapTimeout);
    std::lock_guard lock(mutex_);
    remember_finished_locked(status);
  }
  complete_shutdown_if_idle();
  if (!started.ok()) return started.error();
  if (refused) return make_error(ErrorCode::kUnavailable, "the process table is shut down");
  return id;
}

void ProcessTable::process_ended(ProcessId id, const ProcessStatus& status) {
  std::lock_guard lock(mutex_);
  live_.erase(id);
  remember_finished_locked(status);
}

// A shutdown waiting for this process may complete now: its exit is delivered.
void ProcessTable::process_finished(ProcessId /*id*/) {
  complete_shutdown_if_idle();
}

void ProcessTable::remember_finished_locked(const ProcessStatus& status) {
  finished_.push_back(status);
  if (finished_.size() > kFinishedRemembered) finished_.pop_front();
}

// --- calls on one process ------------------------------------------------------------

Result<std::shared_ptr<ManagedProcess>> ProcessTable::find_live(ProcessId id) const {
  std::lock_guard lock(mutex_);
  if (auto it = live_.find(id); it != live_.end()) return it->second;
  return not_live_error_locked(id);
}

Error ProcessTable::not_live_error_locked(ProcessId id) const {
  if (id == 0 || id >= next_id_) {
    return make_error(ErrorCode::kNotFound, "no process " + std::to_string(id));
  }
  return make_error(ErrorCode::kFailedPrecondition,
                    "process " + std::to_string(id) + " has exited");
}

Result<std::size_t> ProcessTable::write_stdin(ProcessId id, Bytes data) {
  THEATER_ASSIGN_OR_RETURN(auto process, find_live(id));
  return process->write_stdin(data);
}

Status ProcessTable::close_stdin(ProcessId id) {
  THEATER_ASSIGN_OR_RETURN(auto process, find_live(id));
  return process->close_stdin();
}

Result<ProcessStatus> ProcessTable::status(ProcessId id) const {
  std::shared_ptr<ManagedProcess> process;
  {
    std::lock_guard lock(mutex_);
    if (auto it = live_.find(id); it != live_.end()) {
      process = it->second;
    } else {
      auto found = std::find_if(finished_.rbegin(), finished_.rend(),
                                [id](const ProcessStatus& status) { return status.id == id; });
      if (found != finished_.rend()) return *found;
      if (id == 0 || id >= next_id_) {
        return make_error(ErrorCode::kNotFound, "no process " + std::to_string(id));
      }
      return make_error(ErrorCode::kNotFound,
                        "process " + std::to_string(id) + " finished too long ago: only the last " +
                            std::to_string(kFinishedRemembered) + " are remembered");
    }
  }
  return process->status();
}

Status ProcessTable::signal(ProcessId id, int signal) {
  if (signal < 1 || signal > SIGRTMAX) {
    return make_error(ErrorCode::kInvalidArgument, "signal " + std::to_string(signal) +
                                                       " is not a Linux signal number (1.." +
                                                       std::to_string(SIGRTMAX) + ")");
  }
  THEATER_ASSIGN_OR_RETURN(auto process, find_live(id));
  return process->signal(signal);
}

Status ProcessTable::kill(ProcessId id) {
  return signal(id, SIGKILL);
}

std::size_t ProcessTable::live_count() const {
  std::lock_guard lock(mutex_);
  return live_.size();
}

// --- shutdown ----------------------------------------------------------------------------

void ProcessTable::shutdown(std::chrono::milliseconds grace) {
  if (service_.loop().in_loop_thread()) {
    stop_all_now();  // waiting here would stall the very loop we wait for
    stop_escaped(std::chrono::steady_clock::now());
    return;
  }
  std::lock_guard serial(shutdown_mutex_);
  if (shut_down_) return;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  const auto kill_escaped_at = std::chrono::steady_clock::now() + grace;
  auto state = std::make_shared<ShutdownState>(service_.loop().context());
  std::future<void> done = state->done.get_future();
  asio::post(service_.loop().context(),
             [this, grace, state] { begin_shutdown_on_loop(grace, state); });
  // The loop finishes on its own by grace + kReapTimeout (its deadline timer
  // abandons whatever is left). Not hearing back means the loop thread is
  // stuck, e.g. in a listener that blocks: a bug we cannot recover from,
  // because the loop still holds pointers to this table.
  if (done.wait_for(grace + kReapTimeout + kLoopAnswerSlack) != std::future_status::ready) {
    std::fprintf(stderr,
                 "theater: broken invariant: the process event loop did not finish a "
                 "shutdown (is a ProcessListener blocking?)\n");
    std::abort();
  }
  stop_escaped(kill_escaped_at);
  shut_down_ = true;
}

void ProcessTable::stop_escaped(std::chrono::steady_clock::time_point kill_at) {
  if (!cgroup_ || cgroup_->wait_until_empty(kill_at)) return;
  cgroup_->kill_all();
  if (!cgroup_->wait_until_empty(std::chrono::steady_clock::now() + kReapTimeout)) {
    spdlog::error("processes of a shut-down table still alive {} ms after SIGKILL",
                  kReapTimeout.count());
  }
}

void ProcessTable::begin_shutdown_on_loop(std::chrono::milliseconds grace,
                                          std::shared_ptr<ShutdownState> state) {
  shutdown_ = state;
  std::vector<std::shared_ptr<ManagedProcess>> processes;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, process] : live_) processes.push_back(process);
  }
  std::set<pid_t> groups;
  for (const auto& process : processes) {
    groups.insert(process->status().os_pid);
    process->terminate(grace);
  }
  // The same TERM, once, to what left the groups; the groups got theirs above.
  if (cgroup_) cgroup_->signal_members(SIGTERM, groups);
  state->deadline.expires_after(grace + kReapTimeout);
  state->deadline.async_wait([this, state](const error_code& error) {
    if (!error && !state->complete) stop_all_now();
  });
  complete_shutdown_if_idle();
}

// Loop thread: SIGKILL, close and reap everything now.
void ProcessTable::stop_all_now() {
  std::vector<std::shared_ptr<ManagedProcess>> processes;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (const auto& [id, process] : live_) processes.push_back(process);
  }
  for (const auto& process : processes) {
    const ProcessStatus status = process->abandon(kReapTimeout);
    std::lock_guard lock(mutex_);
    live_.erase(status.id);
    remember_finished_locked(status);
  }
  complete_shutdown_if_idle();
}

void ProcessTable::complete_shutdown_if_idle() {
  if (!shutdown_ || shutdown_->complete) return;
  {
    std::lock_guard lock(mutex_);
    if (!live_.empty() || starting_ != 0) return;
  }
  // The waiting caller may destroy this table as soon as done is set: touch
  // nothing of ours after that.
  std::shared_ptr<ShutdownState> state = std::move(shutdown_);
  state->complete = true;
  state->deadline.cancel();
  state->done.set_value();
}

}  // namespace theater::process
