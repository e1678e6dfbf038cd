#include "config/handler_type.h"

namespace theater::config {

const char* to_string(HandlerType type) {
  switch (type) {
    case HandlerType::kRuntime:
      return "runtime";
    case HandlerType::kProcess:
      return "process";
    case HandlerType::kMessageServer:
      return "message-server";
    case HandlerType::kSupervisor:
      return "supervisor";
    case HandlerType::kStore:
      return "store";
    case HandlerType::kTiming:
      return "timing";
    case HandlerType::kRandom:
      return "random";
    case HandlerType::kEnvironment:
      return "environment";
    case HandlerType::kFilesystem:
      return "filesystem";
  }
  return "unknown";
}

std::optional<HandlerType> handler_type_from_string(std::string_view name) {
  for (HandlerType type : kAllHandlerTypes) {
    if (name == to_string(type)) return type;
  }
  return std::nullopt;
}

std::string known_handler_types() {
  std::string names;
  for (HandlerType type : kAllHandlerTypes) {
    if (!names.empty()) names += ", ";
    names += to_string(type);
  }
  return names;
}

}  // namespace theater::config
