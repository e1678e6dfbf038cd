#include "handlers/process/os/process_service.h"

#include <cstdio>
#include <cstdlib>

namespace theater::process {

Result<std::unique_ptr<ProcessService>> ProcessService::start(ServiceOptions options) {
  std::unique_ptr<Lifeline> lifeline;
  if (options.lifeline) {
    // Forked before the loop thread exists: the fewer threads, the better.
    THEATER_ASSIGN_OR_RETURN(lifeline, Lifeline::start());
  }
  return std::unique_ptr<ProcessService>(new ProcessService(std::move(lifeline)));
}

ProcessService::ProcessService(std::unique_ptr<Lifeline> lifeline)
    : lifeline_(std::move(lifeline)), loop_(std::make_unique<EventLoop>()) {}

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
