// The process handler (wit/process.wit): os-spawn, os-write-stdin,
// os-close-stdin, os-status, os-signal, os-kill for actors, and the
// process-handlers callbacks (handle-stdout, handle-stderr, handle-exit) it
// calls. Registered once per runtime; each actor gets its own
// ProcessInstance (table, ids, queue, policy). The OS layer's ProcessService
// (event loop + lifeline) is started with the first instance and shared by
// all of them; it lives until the handler and every instance are gone.
#pragma once

#include <memory>
#include <mutex>

#include "handler_api/handler.h"
#include "handlers/process/process_config.h"
#include "handlers/process/process_instance.h"

namespace theater::handlers {

class ProcessHandler final : public handler::Handler {
 public:
  static constexpr const char* kInterface = "theater:simple/process";
  static constexpr const char* kCallbackInterface = "theater:simple/process-handlers";

  const config::HandlerSchema& schema() const override { return process_schema(); }
  std::vector<std::string> imports() const override { return {kInterface}; }
  std::vector<std::string> exports() const override { return {kCallbackInterface}; }
  Status add_host_functions(wasm::HostImports& imports) const override;
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup& setup) const override;

 private:
  Result<std::shared_ptr<ProcessServices>> services() const;

  mutable std::mutex mutex_;
  mutable std::shared_ptr<ProcessServices> services_;  // started on first use
};

}  // namespace theater::handlers
