// Every built-in handler, registered once when a runtime is built.
#pragma once

#include <memory>

#include "handler_api/registry.h"
#include "store/content_store.h"

namespace theater::runtime {

// What some built-in handlers work over, owned by the runtime. Left empty
// (as the CLI does to learn the handlers' schemas), those handlers register
// but make no instances.
struct BuiltinServices {
  std::shared_ptr<store::ContentStore> content_store;
};

Status register_builtin_handlers(handler::HandlerRegistry& registry,
                                 const BuiltinServices& services = {});

}  // namespace theater::runtime
