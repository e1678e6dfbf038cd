#include "runtime/builtin_handlers.h"

#include "handlers/runtime/runtime_handler.h"

namespace theater::runtime {

Status register_builtin_handlers(handler::HandlerRegistry& registry) {
  return registry.add(std::make_unique<handlers::RuntimeHandler>());
}

}  // namespace theater::runtime
