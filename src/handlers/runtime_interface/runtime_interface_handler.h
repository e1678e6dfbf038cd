// The runtime handler (wit/runtime.wit): log, get-chain, shutdown. Always
// granted to every actor.
#pragma once

#include "handler_api/handler.h"

namespace theater::handlers {

class RuntimeInterfaceHandler final : public handler::Handler {
 public:
  static constexpr const char* kInterface = "theater:simple/runtime";

  // Type "runtime", always granted, no keys.
  const config::HandlerSchema& schema() const override;
  std::vector<std::string> imports() const override { return {kInterface}; }
  Status add_host_functions(wasm::HostImports& imports) const override;
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup& setup) const override;
};

}  // namespace theater::handlers
