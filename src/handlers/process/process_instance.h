// ProcessInstance: one actor's share of the process handler: its own
// ProcessTable (ids 1, 2, 3, ... of its own), its CallbackQueue, its
// SpawnPolicy. The host functions call the methods below; each records its
// event in the actor's chain and answers with the text the actor sees in
// result<_, string>.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "handler_api/handler.h"
#include "handlers/process/blocking_worker.h"
#include "handlers/process/callback_queue.h"
#include "handlers/process/os/process_service.h"
#include "handlers/process/os/process_table.h"
#include "handlers/process/process_wit.h"
#include "handlers/process/spawn_policy.h"

namespace theater::handlers {

// What every actor's instance of one runtime shares. The worker goes first
// at destruction: its jobs may still post to the loop.
struct ProcessServices {
  std::unique_ptr<process::ProcessService> service;
  BlockingWorker worker;
};

class ProcessInstance final : public handler::HandlerInstance {
 public:
  ProcessInstance(std::shared_ptr<ProcessServices> services, SpawnPolicy policy);
  // Stops (as stop(kill_grace)) if the runtime did not.
  ~ProcessInstance() override;

  // Makes the table and the queue; the actor's processes can start from now.
  Status start(handler::ActorHandle actor, std::stop_token shutdown) override;
  // Every process of the actor gets SIGTERM, then SIGKILL after kill_grace_ms
  // (at most `grace`); every descriptor is closed and no callback follows.
  void stop(std::chrono::milliseconds grace) override;

  Result<std::uint64_t> spawn(const process_wit::ProcessConfig& config, CallbackExports exports);
  Result<std::uint32_t> write_stdin(std::uint64_t pid, const std::vector<std::uint8_t>& data);
  Status close_stdin(std::uint64_t pid);
  Result<process_wit::ProcessStatus> status(std::uint64_t pid);
  Status signal(std::uint64_t pid, std::uint32_t signal);
  Status kill(std::uint64_t pid);

 private:
  // Destroyed table first, then the queue it reports to, then the services.
  struct Running {
    std::shared_ptr<ProcessServices> services;
    handler::ActorHandle actor;
    std::shared_ptr<CallbackQueue> queue;
    std::unique_ptr<process::ProcessTable> table;  // null when max_processes is 0
  };

  // The running state for a host call, or why there is none.
  Result<std::shared_ptr<Running>> running(const char* function) const;
  Result<std::uint64_t> spawn_on(Running& running, const process_wit::ProcessConfig& config);

  const std::shared_ptr<ProcessServices> services_;
  const SpawnPolicy policy_;

  mutable std::mutex mutex_;
  std::shared_ptr<Running> running_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace theater::handlers
