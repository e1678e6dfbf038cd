// The supervisor handler (wit/supervisor.wit): spawn, resume, list-children,
// stop-child, restart-child, get-child-state, get-child-events, and the
// restart strategy of the actor's manifest entry. What it needs from the
// runtime reaches it through handler::Supervision (InstanceSetup).
#pragma once

#include "handler_api/handler.h"

namespace theater::handlers {

class SupervisorHandler final : public handler::Handler {
 public:
  static constexpr const char* kInterface = "theater:simple/supervisor";
  static constexpr const char* kHandlersInterface = "theater:simple/supervisor-handlers";

  const config::HandlerSchema& schema() const override;
  std::vector<std::string> imports() const override { return {kInterface}; }
  std::vector<std::string> exports() const override { return {kHandlersInterface}; }
  Status add_host_functions(wasm::HostImports& imports) const override;
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup& setup) const override;
};

}  // namespace theater::handlers
