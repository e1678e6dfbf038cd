// The random handler's part of a manifest: its schema (the keys of
// [[handler]] type = "random") and the typed views the handler reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "config/grants.h"
#include "config/handler_schema.h"
#include "config/setting_values.h"

namespace theater::handlers {

// Permission key: max_bytes (an upper bound: a child may only lower it).
// Setting: seed (not narrowed: each actor's own).
const config::HandlerSchema& random_schema();

struct RandomPermissions {
  // The most bytes one random-bytes call may return.
  std::size_t max_bytes = 0;

  static RandomPermissions from(const config::HandlerGrant& grant);
};

struct RandomSettings {
  // Set: the actor's values come from a generator seeded with it, the same
  // sequence on every run. Unset: the OS's CSPRNG.
  std::optional<std::uint64_t> seed;

  static RandomSettings from(const config::SettingValues& values);
};

}  // namespace theater::handlers
