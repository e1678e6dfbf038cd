// HandlerRegistry: every handler, registered once when the runtime is built,
// and the per-actor selection: a handler is used by an actor when the
// module imports or exports one of its interfaces (exact name match) and the
// manifest grants it.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "handler_api/handler.h"
#include "wasm/module_info.h"

namespace theater::handler {

class HandlerRegistry {
 public:
  Status add(std::unique_ptr<Handler> handler);
  const Handler* find(std::string_view type) const;
  const std::vector<std::unique_ptr<Handler>>& handlers() const { return handlers_; }

  // Every handler's host functions, in one set shared by all actors.
  Status add_host_functions(wasm::HostImports& imports) const;

  // The handlers this module needs. A needed handler that `granted` refuses
  // is an error naming the interface and the handler type; so is a
  // theater:simple interface that no handler provides.
  Result<std::vector<const Handler*>> select(
      const wasm::ModuleInfo& module,
      const std::function<bool(std::string_view type)>& granted) const;

 private:
  const Handler* provider_of_import(std::string_view interface) const;
  std::vector<std::unique_ptr<Handler>> handlers_;
};

}  // namespace theater::handler
