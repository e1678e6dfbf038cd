// The random handler (wit/random.wit): random-bytes, random-range,
// random-float, generate-uuid. Registered once per runtime; each actor gets
// its own RandomInstance (its source, seeded or not, and its limit), which
// also answers the actor's WASI random_get.
#pragma once

#include "handler_api/handler.h"
#include "handlers/random/random_config.h"

namespace theater::handlers {

class RandomHandler final : public handler::Handler {
 public:
  static constexpr const char* kInterface = "theater:simple/random";

  const config::HandlerSchema& schema() const override { return random_schema(); }
  std::vector<std::string> imports() const override { return {kInterface}; }
  Status add_host_functions(wasm::HostImports& imports) const override;
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup& setup) const override;
};

}  // namespace theater::handlers
