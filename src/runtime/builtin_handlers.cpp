#include "runtime/builtin_handlers.h"

#include "handlers/process/process_handler.h"
#include "handlers/runtime_interface/runtime_interface_handler.h"

namespace theater::runtime {

Status register_builtin_handlers(handler::HandlerRegistry& registry) {
  THEATER_RETURN_IF_ERROR(registry.add(std::make_unique<handlers::RuntimeInterfaceHandler>()));
  return registry.add(std::make_unique<handlers::ProcessHandler>());
}

}  // namespace theater::runtime
