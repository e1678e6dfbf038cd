// The store handler (wit/store.wit): every function of theater:simple/store
// for actors, over the runtime's one ContentStore. Registered once per
// runtime; each actor gets its own StoreInstance (its id, permissions,
// chain). Built without a content store (for its schema only, as the CLI
// checks manifests), it refuses to make instances.
#pragma once

#include <memory>

#include "handler_api/handler.h"
#include "handlers/store/store_config.h"
#include "handlers/store/store_instance.h"
#include "store/content_store.h"

namespace theater::handlers {

class StoreHandler final : public handler::Handler {
 public:
  explicit StoreHandler(std::shared_ptr<store::ContentStore> store) : store_(std::move(store)) {}

  const config::HandlerSchema& schema() const override { return store_schema(); }
  std::vector<std::string> imports() const override { return {store_wit::kInterface}; }
  Status add_host_functions(wasm::HostImports& imports) const override;
  Result<std::unique_ptr<handler::HandlerInstance>> create_instance(
      const handler::InstanceSetup& setup) const override;

 private:
  std::shared_ptr<store::ContentStore> store_;
};

}  // namespace theater::handlers
