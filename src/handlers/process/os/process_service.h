// ProcessService: what every process table of a runtime shares: the event
// loop thread (all process I/O, and the forking of children) and the
// lifeline helper. One per runtime; create it before, and destroy it after,
// every ProcessTable.
#pragma once

#include <atomic>
#include <memory>

#include "common/result.h"
#include "handlers/process/os/event_loop.h"
#include "handlers/process/os/lifeline.h"

namespace theater::process {

struct ServiceOptions {
  // Start the lifeline helper, which kills grandchildren too when the
  // runtime dies. Without it, PR_SET_PDEATHSIG still kills direct children.
  bool lifeline = true;
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

 private:
  friend class ProcessTable;  // counts itself in and out
  explicit ProcessService(std::unique_ptr<Lifeline> lifeline);

  // Declared first, destroyed last: the helper outlives the loop thread.
  std::unique_ptr<Lifeline> lifeline_;
  std::unique_ptr<EventLoop> loop_;
  std::atomic<int> tables_{0};
};

}  // namespace theater::process
