// The timing handler's part of a manifest: its schema (the keys of
// [[handler]] type = "timing") and the typed view the handler reads.
#pragma once

#include <chrono>

#include "config/grants.h"
#include "config/handler_schema.h"

namespace theater::handlers {

// Permission key: max_sleep_ms (an upper bound: a child may only lower it).
// No settings.
const config::HandlerSchema& timing_schema();

struct TimingPermissions {
  // The longest one sleep or deadline may wait.
  std::chrono::milliseconds max_sleep{0};

  static TimingPermissions from(const config::HandlerGrant& grant);
};

}  // namespace theater::handlers
