// ChildProcess: one OS process started by the runtime, owned RAII-style.
//
// Started without a shell (argv exactly as given, environment exactly as
// given), in its own process group, with pipes for stdin/stdout/stderr and
// every other descriptor closed. Waited through a pidfd, so there is no
// PID-reuse race, and always reaped: the destructor kills the group and reaps.
//
// Thread affinity: the child gets PR_SET_PDEATHSIG(SIGKILL), which fires when
// the *thread* that spawned it exits, not only the process. Spawn from a
// long-lived thread (the process layer spawns on its event loop thread).
//
// Not thread-safe: one owner at a time (ManagedProcess adds the locking).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>

#include "common/result.h"
#include "common/unique_fd.h"
#include "handlers/process/os/process_options.h"

namespace theater::process {

class Cgroup;
class Lifeline;

class ChildProcess {
 public:
  // Validates `options`, then starts the program. A program that cannot be
  // executed (ENOENT, EACCES, a bad working directory...) is a clean error
  // naming the program and the cause. `lifeline`, when given, must outlive
  // the ChildProcess. With a `cgroup`, the child joins it before exec, so
  // all its descendants are members too.
  static Result<ChildProcess> spawn(const SpawnOptions& options, Lifeline* lifeline = nullptr,
                                    const Cgroup* cgroup = nullptr);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills the group and reaps the leader, if that has not happened yet.
  ~ChildProcess();

  // The leader's OS pid, which is also its process group id.
  [[nodiscard]] pid_t pid() const { return pid_; }
  // -1 once reaped.
  [[nodiscard]] int pidfd() const { return pidfd_.get(); }
  [[nodiscard]] std::int64_t start_time_ms() const { return start_time_ms_; }
  [[nodiscard]] bool reaped() const { return exit_code_.has_value(); }
  // The exit code, or the negated signal number; set once reaped.
  [[nodiscard]] std::optional<std::int32_t> exit_code() const { return exit_code_; }

  // The parent's ends of the pipes (each can be taken once).
  UniqueFd take_stdin() { return std::move(stdin_); }
  UniqueFd take_stdout() { return std::move(stdout_); }
  UniqueFd take_stderr() { return std::move(stderr_); }

  // Sends `signal` to the whole group. Refused once the leader is reaped: its
  // group id may then belong to someone else.
  Status signal_group(int signal);

  // Does not block. If the leader has exited: SIGKILLs what is left of its
  // group (a process is its whole group: nothing outlives it, and its pipes
  // reach EOF), reaps the leader and returns its exit code.
  std::optional<std::int32_t> try_reap();

  // SIGKILLs the group and reaps, waiting at most `timeout` (a process stuck
  // in the kernel may take longer; then nullopt, and it stays unreaped).
  std::optional<std::int32_t> kill_and_reap(std::chrono::milliseconds timeout);

 private:
  ChildProcess() = default;
  void reset();

  pid_t pid_ = -1;
  UniqueFd pidfd_;
  UniqueFd stdin_;
  UniqueFd stdout_;
  UniqueFd stderr_;
  std::int64_t start_time_ms_ = 0;
  std::optional<std::int32_t> exit_code_;
  Lifeline* lifeline_ = nullptr;
};

// Milliseconds since the Unix epoch.
std::int64_t now_ms();

}  // namespace theater::process
