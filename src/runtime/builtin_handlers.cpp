#include "runtime/builtin_handlers.h"

#include "handlers/environment/environment_handler.h"
#include "handlers/filesystem/filesystem_handler.h"
#include "handlers/message_server/message_server_handler.h"
#include "handlers/process/process_handler.h"
#include "handlers/random/random_handler.h"
#include "handlers/runtime_interface/runtime_interface_handler.h"
#include "handlers/store/store_handler.h"
#include "handlers/supervisor/supervisor_handler.h"
#include "handlers/timing/timing_handler.h"

namespace theater::runtime {

Status register_builtin_handlers(handler::HandlerRegistry& registry,
                                 const BuiltinServices& services) {
  THEATER_RETURN_IF_ERROR(registry.add(std::make_unique<handlers::RuntimeInterfaceHandler>()));
  THEATER_RETURN_IF_ERROR(registry.add(std::make_unique<handlers::ProcessHandler>()));
  THEATER_RETURN_IF_ERROR(registry.add(std::make_unique<handlers::MessageServerHandler>()));
  THEATER_RETURN_IF_ERROR(registry.add(std::make_unique<handlers::SupervisorHandler>()));
  THEATER_RETURN_IF_ERROR(
      registry.add(std::make_unique<handlers::StoreHandler>(services.content_store)));
  THEATER_RETURN_IF_ERROR(registry.add(std::make_unique<handlers::TimingHandler>()));
  THEATER_RETURN_IF_ERROR(registry.add(std::make_unique<handlers::RandomHandler>()));
  THEATER_RETURN_IF_ERROR(registry.add(std::make_unique<handlers::EnvironmentHandler>()));
  THEATER_RETURN_IF_ERROR(registry.add(std::make_unique<handlers::FilesystemHandler>()));
  return ok_status();
}

}  // namespace theater::runtime
