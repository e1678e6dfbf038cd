// Lifeline: a tiny helper process, forked once, that kills every registered
// process group when the runtime dies, even by SIGKILL.
//
// PR_SET_PDEATHSIG kills a direct child when the runtime dies, but not the
// child's own children. The helper shares a table of process groups with the
// runtime (memory mapped before the fork): watch() and forget() are plain
// atomic stores, with no message and no wake-up of the helper per spawn. The
// helper also holds one end of a socket pair whose other end only the runtime
// holds, and sleeps on it; at EOF (the runtime is gone, however it died) it
// SIGKILLs every group in the table, then, when the runtime contains its
// processes in cgroups (cgroup.h), kills the runtime's whole cgroup subtree,
// which holds the processes that left their groups, and removes it; then it
// exits.
//
// The helper runs only async-signal-safe code (it is forked from a
// multithreaded process): no allocation, only the table made before the
// fork. It blocks every catchable signal and sits in its own process group,
// so a Ctrl-C meant for the runtime does not stop it before its work.
//
// Limits, stated: a group is registered right after its leader is forked, so a
// runtime killed in that instant leaves it to PDEATHSIG alone (a cgroup
// member is covered anyway); without cgroups, a process that leaves its group
// (setsid, setpgid) is not followed.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace theater::process {

class Lifeline {
 public:
  // Groups the helper can track at once; watch() refuses more.
  static constexpr std::size_t kDefaultCapacity = 16384;

  // `cgroup_root`: a cgroup directory (CgroupRoot::directory()) to kill and
  // remove when the runtime is gone; empty for none.
  static Result<std::unique_ptr<Lifeline>> start(std::size_t capacity = kDefaultCapacity,
                                                 const std::string& cgroup_root = {});

  // Closes the socket: the helper kills whatever is still registered (nothing,
  // after an orderly shutdown) and exits; it is reaped here, waiting at most
  // a few seconds before SIGKILLing it.
  ~Lifeline();
  Lifeline(const Lifeline&) = delete;
  Lifeline& operator=(const Lifeline&) = delete;

  // Thread-safe. Refused (kResourceExhausted) when the table is full.
  Status watch(pid_t process_group);
  // Call before the group's leader is reaped, so the table never holds an id
  // the kernel may hand out again.
  void forget(pid_t process_group);

  [[nodiscard]] pid_t helper_pid() const { return helper_pid_; }
  [[nodiscard]] std::size_t watched() const;

 private:
  class SharedTable;
  Lifeline(pid_t helper_pid, UniqueFd helper_pidfd, UniqueFd socket,
           std::unique_ptr<SharedTable> table);

  pid_t helper_pid_;
  UniqueFd helper_pidfd_;
  UniqueFd socket_;  // the runtime's end, O_CLOEXEC: its closing is the signal
  std::unique_ptr<SharedTable> table_;

  mutable std::mutex mutex_;  // guards the two below; the table's slots are atomic
  std::vector<std::size_t> free_slots_;
  std::unordered_map<pid_t, std::size_t> slot_of_;
};

}  // namespace theater::process
