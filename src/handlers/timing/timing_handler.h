// The timing handler (wit/timing.wit): now, sleep, deadline. Registered once
// per runtime; each actor gets its own TimingInstance (its limit, its
// sleepers). Nothing is shared between actors.
#pragma once

#include "handler_api/handler.h"
#include "handlers/timing/timing_config.h"

namespace theater::handlers {

class TimingHandler final : public handler::Handler {
 public:
  static constexpr const char* kInterface = "theater:simple/timing";

  const config::HandlerSchema& schema() const override { return timing_schema(); }
  std::vector<std::string> imports() const override { return {kInterface}; }
  Status add_host_functions(wasm::HostImports& imports) const override;
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup& setup) const override;
};

}  // namespace theater::handlers
