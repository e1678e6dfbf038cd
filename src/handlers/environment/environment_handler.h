// The environment handler (wit/environment.wit): get-var, list-vars, exists,
// over the host variables the manifest's allowed_vars names. Registered once
// per runtime; each actor gets its own EnvironmentInstance (its snapshot),
// which also supplies the actor's WASI environ_get.
#pragma once

#include "handler_api/handler.h"
#include "handlers/environment/environment_config.h"

namespace theater::handlers {

class EnvironmentHandler final : public handler::Handler {
 public:
  static constexpr const char* kInterface = "theater:simple/environment";

  const config::HandlerSchema& schema() const override { return environment_schema(); }
  std::vector<std::string> imports() const override { return {kInterface}; }
  Status add_host_functions(wasm::HostImports& imports) const override;
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup& setup) const override;
};

}  // namespace theater::handlers
