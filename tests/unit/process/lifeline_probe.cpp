// A stand-in "runtime" for the lifeline test: starts the process layer,
// spawns two children that each fork two grandchildren, prints their group
// ids (and the lifeline helper's pid); with a marker, also a child whose
// descendants leave its group and session (escapees.h), and the runtime's
// cgroup directory if it has one. Then waits to be SIGKILLed.
//   usage: lifeline_probe --lifeline | --no-lifeline [marker]
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "../../support/escapees.h"
#include "handlers/process/os/process_table.h"

namespace {

using namespace theater::process;

class IgnoringListener final : public ProcessListener {
 public:
  void on_output(ProcessId, StreamId, std::vector<std::uint8_t>,
                 DeliveryReceipt) noexcept override {}
  void on_rejected_line(ProcessId, StreamId, RejectedLine) noexcept override {}
  void on_exit(ProcessId, ProcessExit) noexcept override {}
};

}  // namespace

int main(int argc, char** argv) {
  const bool with_lifeline = argc > 1 && std::strcmp(argv[1], "--lifeline") == 0;
  auto service = ProcessService::start(ServiceOptions{with_lifeline});
  if (!service.ok()) {
    std::fprintf(stderr, "probe: %s\n", service.error().message.c_str());
    return 1;
  }
  IgnoringListener listener;
  auto table = ProcessTable::create(**service, TableLimits{}, listener);
  if (!table.ok()) return 1;
  ProcessConfig config;
  config.spawn.program = "/bin/sh";
  config.spawn.args = {"-c", "sleep 60 & sleep 60 & wait"};
  for (int i = 0; i < 2; ++i) {
    auto id = (*table)->spawn(config);
    if (!id.ok()) {
      std::fprintf(stderr, "probe: %s\n", id.error().message.c_str());
      return 1;
    }
    std::printf("group %d\n", static_cast<int>((*table)->status(*id)->os_pid));
  }
  if (argc > 2) {
    config.spawn.args = {"-c", theater::testing::escaping_script(argv[2], "exec sleep 60")};
    if (auto id = (*table)->spawn(config); !id.ok()) {
      std::fprintf(stderr, "probe: %s\n", id.error().message.c_str());
      return 1;
    }
  }
  if (CgroupRoot* cgroups = (*service)->cgroups()) {
    std::printf("cgroup %s\n", cgroups->directory().c_str());
  }
  if (Lifeline* lifeline = (*service)->lifeline()) {
    std::printf("lifeline %d\n", static_cast<int>(lifeline->helper_pid()));
  }
  std::printf("ready\n");
  std::fflush(stdout);
  // Until the test kills us; the bound only matters if the test died first.
  sleep(120);
  return 0;
}
