// Every built-in handler, registered once when a runtime is built.
#pragma once

#include "handler_api/registry.h"

namespace theater::runtime {

Status register_builtin_handlers(handler::HandlerRegistry& registry);

}  // namespace theater::runtime
