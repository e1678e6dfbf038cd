// ProcessTable: the processes of one owner (one actor): ids 1, 2, 3, ... of
// its own, at most max_processes alive, and a shutdown that leaves nothing
// behind: where the service has cgroups, the table's processes and all their
// descendants live in one cgroup of the table, so even those that left their
// process group (setsid, a double fork) are stopped with the rest. This is what the process handler
// calls for os-spawn, os-write-stdin, os-close-stdin, os-status, os-signal and os-kill.
//
// Thread-safe: any thread may call any method, including the listener from
// inside its callbacks (which run on the event loop thread).
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include "common/result.h"
#include "handlers/process/os/managed_process.h"
#include "handlers/process/os/process_events.h"
#include "handlers/process/os/process_options.h"
#include "handlers/process/os/process_service.h"

namespace theater::process {

class ProcessTable final : private ProcessOwner {
  struct Token {};

 public:
  // `service` and `listener` must outlive the table.
  static Result<std::unique_ptr<ProcessTable>> create(ProcessService& service, TableLimits limits,
                                                      ProcessListener& listener);
  ProcessTable(Token, ProcessService& service, TableLimits limits, ProcessListener& listener,
               std::unique_ptr<Cgroup> cgroup);
  // shutdown(kill_grace) unless done already.
  ~ProcessTable();
  ProcessTable(const ProcessTable&) = delete;
  ProcessTable& operator=(const ProcessTable&) = delete;

  Result<ProcessId> spawn(const ProcessConfig& config);
  // Bytes accepted (maybe fewer than given, 0 when the queue is full).
  Result<std::size_t> write_stdin(ProcessId id, Bytes data);
  // The child sees EOF once the queued bytes are written. Idempotent.
  Status close_stdin(ProcessId id);
  // Also for processes that finished lately (the last kFinishedRemembered).
  Result<ProcessStatus> status(ProcessId id) const;
  // To the whole process group; `signal` is a Linux signal number (1..64).
  Status signal(ProcessId id, int signal);
  Status kill(ProcessId id);
  // Processes started and not yet finished.
  [[nodiscard]] std::size_t live_count() const;

  // Refuses new spawns, silences the listener, SIGTERMs every group and every
  // other member of the table's cgroup, SIGKILLs them after `grace`, closes
  // every descriptor and reaps. When it returns no process of this table is
  // left (with cgroups: none of their descendants either, wherever they went)
  // and no listener call will come. From the event loop thread (inside a
  // listener call) it cannot wait: it SIGKILLs at once.
  void shutdown(std::chrono::milliseconds grace);

  static constexpr std::size_t kFinishedRemembered = 256;

 private:
  struct ShutdownState;

  Result<ProcessId> start_on_loop(const ProcessConfig& config);
  void process_ended(ProcessId id, const ProcessStatus& status) override;
  void process_finished(ProcessId id) override;
  void begin_shutdown_on_loop(std::chrono::milliseconds grace,
                              std::shared_ptr<ShutdownState> state);
  void stop_all_now();
  // Members of the cgroup outside every group (escaped descendants): waits
  // for them until `kill_at`, then SIGKILLs whatever is left and waits for it.
  void stop_escaped(std::chrono::steady_clock::time_point kill_at);
  void complete_shutdown_if_idle();
  void remember_finished_locked(const ProcessStatus& status);
  Result<std::shared_ptr<ManagedProcess>> find_live(ProcessId id) const;
  Error not_live_error_locked(ProcessId id) const;

  ProcessService& service_;
  const TableLimits limits_;
  ProcessListener& listener_;
  // Destroyed after the processes: kills any member left and removes the cgroup.
  const std::unique_ptr<Cgroup> cgroup_;  // null: no containment

  mutable std::mutex mutex_;
  std::map<ProcessId, std::shared_ptr<ManagedProcess>> live_;
  std::deque<ProcessStatus> finished_;  // oldest first, at most kFinishedRemembered
  ProcessId next_id_ = 1;
  std::size_t starting_ = 0;  // spawns admitted, not yet in live_
  bool closed_ = false;       // no more spawns

  std::mutex shutdown_mutex_;                // one shutdown at a time
  bool shut_down_ = false;                   // under shutdown_mutex_
  std::shared_ptr<ShutdownState> shutdown_;  // loop thread only
};

}  // namespace theater::process
