// The supervisor handler's part of a manifest: its schema ([[handler]] type =
// "supervisor": the restart strategy and intensity, a permission bounding
// the number of children) and the typed view the handler reads it through.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "config/handler_config.h"
#include "config/handler_schema.h"

namespace theater::handlers {

// Permission: max_children (an upper bound a child may only lower).
// Settings: strategy, max_restarts, restart_window_ms, restart_backoff_ms.
const config::HandlerSchema& supervisor_schema();

// What happens to the other children when one ends and is restarted
// (Erlang/OTP's strategies); kNone restarts nothing by itself.
enum class Strategy { kNone, kOneForOne, kOneForAll, kRestForOne };
const char* to_string(Strategy strategy);

// When a child is restarted (OTP's restart types): permanent after it failed
// or exited, transient only after it failed, temporary never.
enum class RestartType { kPermanent, kTransient, kTemporary };
const char* to_string(RestartType type);
// The child manifest's top-level `restart` ("" means permanent, as in OTP).
RestartType restart_type_of(std::string_view written);

struct SupervisorSettings {
  Strategy strategy = Strategy::kNone;
  // More than max_restarts restarts within restart_window: the supervisor
  // stops its children and fails (escalation).
  uint32_t max_restarts = 3;
  std::chrono::milliseconds restart_window{5000};
  // 0: restart at once. Otherwise the first restart of a child waits this
  // long, and each further one within the window twice as long as the last.
  std::chrono::milliseconds restart_backoff{0};
  uint64_t max_children = 0;

  // Reads the actor's entry (settings) and grant (max_children).
  static Result<SupervisorSettings> read(const config::HandlerConfig& entry,
                                         const config::HandlerGrant& grant);
};

}  // namespace theater::handlers
