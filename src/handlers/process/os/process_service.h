// ProcessService: what every process table of a runtime shares: the event
// loop thread (all process I/O, and the forking of children), the lifeline
// helper and, where the machine allows, the runtime's cgroup (cgroup.h) in
// which each table contains its processes. One per runtime; create it
// before, and destroy it after, every ProcessTable.
#pragma once

#include <atomic>
#include <memory>

#include "common/result.h"
#include "handlers/process/os/cgroup.h"
#include "handlers/process/os/event_loop.h"
#include "handlers/process/os/lifeline.h"

namespace theater::process {

struct ServiceOptions {
  // Start the lifeline helper, which kills grandchildren too when the
  // runtime dies. Without it, PR_SET_PDEATHSIG still kills direct children.
  bool lifeline = true;
  // Contain each table's processes in a cgroup v2 where the machine allows,
  // so that those leaving their process group (setsid, a double fork) still
  // die with their table (and with the runtime, through the lifeline).
  bool cgroups = true;
};

class ProcessService {
 public:
  static Result<std::unique_ptr<ProcessService>> start(ServiceOptions options = {});
  // Aborts if a ProcessTable still exists: its processes would lose their loop.
  ~ProcessService();
  ProcessService(const ProcessService&) = delete;
  ProcessService& operator=(const ProcessService&) = delete;

  EventLoop& loop() { return *loop_; }
  Lifeline* lifeline() { return lifeline_.get(); }
  // Null when processes are not contained (cgroups off or not available here).
  CgroupRoot* cgroups() { return cgroups_.get(); }

 private:
  friend class ProcessTable;  // counts itself in and out
  ProcessService(std::unique_ptr<CgroupRoot> cgroups, std::unique_ptr<Lifeline> lifeline);

  // Destroyed in reverse: the loop thread first, then the helper, then the
  // cgroup directory (which the helper may have removed already).
  std::unique_ptr<CgroupRoot> cgroups_;
  std::unique_ptr<Lifeline> lifeline_;
  std::unique_ptr<EventLoop> loop_;
  std::atomic<int> tables_{0};
};

}  // namespace theater::process
