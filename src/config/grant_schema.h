// Which permission keys each handler has, their kind and their bounds: the one
// table that parsing, narrowing and checking are driven by. Adding a
// permission key to a handler is one line in grant_schema.cpp plus, when a
// handler reads it, one accessor in handler_permissions.h.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "config/allow_list.h"
#include "config/handler_type.h"

namespace theater::config {

enum class GrantKind {
  kNames,        // list of exact names, e.g. environment variables; ["*"] = any
  kPrograms,     // list of canonical program paths, matched exactly; ["*"] = any
  kDirectories,  // list of canonical directories, a path inside one matches; ["*"] = any
  kUpperBound,   // a number; a child may only lower it (narrowing takes the minimum)
  kLowerBound,   // a number; a child may only raise it (narrowing takes the maximum)
};

struct GrantKey {
  std::string_view name;
  GrantKind kind;
  // Numbers: the value when a manifest leaves the key out. Lists left out
  // always mean "nothing": a permission is never granted by omission.
  std::uint64_t default_value = 0;
  // Numbers: the range a manifest may write. The root (the runtime itself)
  // grants max_value for upper bounds and min_value for lower bounds.
  std::uint64_t min_value = 0;
  std::uint64_t max_value = 0;
};

[[nodiscard]] bool is_list(GrantKind kind);
[[nodiscard]] Matching matching_of(GrantKind kind);

// The permission keys of `type` (empty for runtime and store).
std::span<const GrantKey> grant_keys(HandlerType type);

// The key named `name` of `type`, or nullptr.
const GrantKey* find_grant_key(HandlerType type, std::string_view name);

}  // namespace theater::config
