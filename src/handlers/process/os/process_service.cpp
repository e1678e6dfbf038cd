#include "handlers/process/os/process_service.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

namespace theater::process {

Result<std::unique_ptr<ProcessService>> ProcessService::start(ServiceOptions options) {
  std::unique_ptr<CgroupRoot> cgroups;
  if (options.cgroups) {
    auto root = CgroupRoot::create();
    if (root.ok()) {
      cgroups = std::move(root).value();
    } else {
      spdlog::warn(
          "processes that leave their process group (setsid, a double fork) will not be "
          "stopped with their actor: {}",
          root.error().message);
    }
  }
  std::unique_ptr<Lifeline> lifeline;
  if (options.lifeline) {
    // Forked before the loop thread exists: the fewer threads, the better.
    THEATER_ASSIGN_OR_RETURN(
        lifeline, Lifeline::start(Lifeline::kDefaultCapacity, cgroups ? cgroups->directory() : ""));
  }
  return std::unique_ptr<ProcessService>(
      new ProcessService(std::move(cgroups), std::move(lifeline)));
}

ProcessService::ProcessService(std::unique_ptr<CgroupRoot> cgroups,
                               std::unique_ptr<Lifeline> lifeline)
    : cgroups_(std::move(cgroups)),
      lifeline_(std::move(lifeline)),
      loop_(std::make_unique<EventLoop>()) {}

ProcessService::~ProcessService() {
  if (tables_.load() != 0) {
    std::fprintf(stderr,
                 "theater: broken invariant: ProcessService destroyed while %d process "
                 "table(s) still exist\n",
                 tables_.load());
    std::abort();
  }
}

}  // namespace theater::process
