// HandlerRegistry: every handler, registered once when the runtime is built;
// the schemas manifests are checked against (one per handler, plus reserved
// types); and the per-actor selection: a handler is used by an actor when the
// module imports or exports one of its interfaces (exact name match) and the
// manifest grants it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "handler_api/handler.h"
#include "wasm/module_info.h"

namespace theater::handler {

class HandlerRegistry {
 public:
  // Refuses a second handler of a type; takes over a reservation of it.
  Status add(std::unique_ptr<Handler> handler);
  // A handler type manifests may already name although no handler of it is
  // registered (one still to be written): its [[handler]] entry is accepted
  // with no keys and provides nothing. No-op when the type has a handler.
  void reserve(std::string type);

  const Handler* find(std::string_view type) const;

  // The first handler offering runtime-facing service `name`, or null; its
  // runtime_service(name) is the service.
  const Handler* service_provider(std::string_view name) const;
  const std::vector<std::unique_ptr<Handler>>& handlers() const { return handlers_; }

  // Every registered handler's schema, then the reserved types', in order:
  // what manifests are parsed and permissions computed against.
  const config::HandlerSchemas& schemas() const { return schemas_; }

  // Every handler's host functions, in one set shared by all actors.
  Status add_host_functions(wasm::HostImports& imports) const;

  // The handlers this module uses: those of its imports (one that `granted`
  // refuses is an error naming the interface and the handler type; so is a
  // theater:simple interface that no handler provides), and those whose
  // callback interfaces it exports, when granted (without the grant nothing
  // calls those exports).
  Result<std::vector<const Handler*>> select(
      const wasm::ModuleInfo& module,
      const std::function<bool(std::string_view type)>& granted) const;

 private:
  const Handler* provider_of_import(std::string_view interface) const;
  void rebuild_schemas();

  std::vector<std::unique_ptr<Handler>> handlers_;
  std::vector<std::string> reserved_types_;
  config::HandlerSchemas schemas_;
};

}  // namespace theater::handler
