#pragma once

#include "wasm/engine.h"

namespace theater::handler {

template <class T>
Result<T*> instance_of(wasm::HostCall& call, std::string_view type) {
  auto* services = static_cast<ActorServices*>(call.user_data());
  if (services == nullptr) {
    return make_error(ErrorCode::kFailedPrecondition, "host call outside an actor");
  }
  auto* instance = dynamic_cast<T*>(services->handler_instance(type));
  if (instance == nullptr) {
    return make_error(ErrorCode::kPermissionDenied,
                      "handler " + std::string(type) + " is not granted to this actor");
  }
  return instance;
}

}  // namespace theater::handler
