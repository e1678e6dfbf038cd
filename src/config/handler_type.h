// The handlers a manifest can name: one per WIT interface family in wit/.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace theater::config {

enum class HandlerType {
  kRuntime,
  kProcess,
  kMessageServer,
  kSupervisor,
  kStore,
  kTiming,
  kRandom,
  kEnvironment,
  kFilesystem,
};

inline constexpr std::array<HandlerType, 9> kAllHandlerTypes = {
    HandlerType::kRuntime,    HandlerType::kProcess,     HandlerType::kMessageServer,
    HandlerType::kSupervisor, HandlerType::kStore,       HandlerType::kTiming,
    HandlerType::kRandom,     HandlerType::kEnvironment, HandlerType::kFilesystem,
};

// The name used in manifests: "runtime", "process", "message-server", ...
const char* to_string(HandlerType type);

// The type named `name` exactly as a manifest writes it; nullopt when unknown.
std::optional<HandlerType> handler_type_from_string(std::string_view name);

// "runtime, process, message-server, ...", for error messages.
std::string known_handler_types();

}  // namespace theater::config
