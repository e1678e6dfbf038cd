// Cgroup v2 containment: every process a table starts, and everything those
// start in turn, stays in one cgroup of that table, whatever it does with its
// process group or session (setsid, a double fork). The kernel keeps the
// membership, so a table can find and kill its escaped descendants without
// guessing, and never touches a process that is not in its cgroup.
//
// Layout: the service makes `<its own cgroup>/theater-<pid>-<n>` (a
// CgroupRoot); each table makes a `t<k>` below it (a Cgroup). A child joins
// its table's cgroup itself, between clone and exec, before it can fork.
//
// Available where the cgroup v2 hierarchy is mounted and writable (root, or a
// delegated subtree) and the kernel has cgroup.kill (Linux 5.14). Elsewhere
// CgroupRoot::create says why not and the process layer goes on without.
// Limits: a process with the right to write cgroup.procs elsewhere (root) can
// move itself out; escaped processes do not count against max_processes.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "common/result.h"

namespace theater::process {

class Cgroup;

class CgroupRoot {
 public:
  // Finds the cgroup v2 mount and our own cgroup, makes a fresh directory
  // under it and checks that processes can be moved there and killed.
  static Result<std::unique_ptr<CgroupRoot>> create();
  // Kills what is left below it (nothing, after every table shut down) and
  // removes the directory.
  ~CgroupRoot();
  CgroupRoot(const CgroupRoot&) = delete;
  CgroupRoot& operator=(const CgroupRoot&) = delete;

  // A new, empty cgroup for one table. Thread-safe.
  Result<std::unique_ptr<Cgroup>> make_child();

  // The directory in the cgroup file system (for the lifeline).
  [[nodiscard]] const std::string& directory() const { return directory_; }

 private:
  CgroupRoot(std::string directory, std::string name);

  const std::string directory_;  // e.g. /sys/fs/cgroup/theater-123-1
  const std::string name_;       // the same, as /proc/<pid>/cgroup names it
  std::atomic<unsigned> next_child_{1};
};

class Cgroup {
 public:
  // Kills every member, waits a little for them to go and removes the directory.
  ~Cgroup();
  Cgroup(const Cgroup&) = delete;
  Cgroup& operator=(const Cgroup&) = delete;

  // The file a child writes "0" into to join (ChildProcess does it before exec).
  [[nodiscard]] const std::string& procs_file() const { return procs_file_; }

  // Sends `signal` to every member whose process group is not one of
  // `skipped_groups` (those are signalled as groups by their owners). Each pid
  // is checked to be a member after a pidfd to it is held, so a pid reused by
  // a process outside the cgroup is never signalled.
  void signal_members(int signal, const std::set<pid_t>& skipped_groups) const;
  // SIGKILLs every member at once (cgroup.kill: no fork can slip through).
  void kill_all() const;
  // Waits until no member is left (a member that has exited counts as gone,
  // zombie or not), at most until `deadline`. True when empty.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline) const;
  [[nodiscard]] bool empty() const;

 private:
  friend class CgroupRoot;
  Cgroup(std::string directory, std::string name);

  const std::string directory_;
  const std::string name_;
  const std::string procs_file_;
};

}  // namespace theater::process
