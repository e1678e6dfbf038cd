// What a handler declares about its part of a manifest: its type name, its
// permission keys (kind, default, range) and its setting keys (kind,
// default). config/ parses, narrows and checks every handler's keys driven
// by its schema alone and names no handler itself: a handler's schema lives
// in the handler's folder (Handler::schema()), and the runtime collects the
// registered ones in a HandlerSchemas set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/allow_list.h"
#include "config/setting_values.h"

namespace theater::config {

enum class GrantKind {
  kNames,        // list of exact names, e.g. environment variables; ["*"] = any
  kPrograms,     // list of canonical program paths, matched exactly; ["*"] = any
  kDirectories,  // list of canonical directories, a path inside one matches; ["*"] = any
  kUpperBound,   // a number; a child may only lower it (narrowing takes the minimum)
  kLowerBound,   // a number; a child may only raise it (narrowing takes the maximum)
};

[[nodiscard]] bool is_list(GrantKind kind);
[[nodiscard]] Matching matching_of(GrantKind kind);

// A permission key: narrowed from parent to child (inherit / restrict).
struct GrantKey {
  std::string name;
  GrantKind kind = GrantKind::kNames;
  // Numbers: the value when a manifest leaves the key out. Lists left out
  // always mean "nothing": a permission is never granted by omission.
  std::uint64_t default_value = 0;
  // Numbers: the range a manifest may write. The root (the runtime itself)
  // grants max_value for upper bounds and min_value for lower bounds.
  std::uint64_t min_value = 0;
  std::uint64_t max_value = 0;

  static GrantKey list(std::string name, GrantKind kind);
  static GrantKey upper_bound(std::string name, std::uint64_t default_value,
                              std::uint64_t min_value, std::uint64_t max_value);
  static GrantKey lower_bound(std::string name, std::uint64_t default_value,
                              std::uint64_t min_value, std::uint64_t max_value);
};

enum class SettingKind {
  kString,      // a string, as written
  kPath,        // a path, canonical, relative ones against the manifest's folder
  kInteger,     // a non-negative integer in [min_value, max_value]
  kDurationMs,  // milliseconds, a non-negative integer in [min_value, max_value]
  kBool,        // true or false
  kStringList,  // an array of non-empty strings
};

// A key that configures the handler without granting anything: it is not
// narrowed between parent and child.
struct SettingKey {
  std::string name;
  SettingKind kind = SettingKind::kString;
  std::uint64_t min_value = 0;  // numbers
  std::uint64_t max_value = 0;
  // The value when the manifest leaves the key out; unset: the key is absent.
  std::optional<SettingValue> default_value;
  // kPath only: a list permission key (kDirectories) this directory must lie
  // inside. When the entry leaves that key out, it becomes [this directory],
  // so a configured directory (process cwd) is always usable.
  std::string within_grant;

  static SettingKey text(std::string name);
  static SettingKey path(std::string name);
  static SettingKey directory_within(std::string name, std::string grant_key);
  static SettingKey integer(std::string name, std::uint64_t min_value, std::uint64_t max_value,
                            std::optional<std::uint64_t> default_value = std::nullopt);
  static SettingKey duration_ms(std::string name, std::uint64_t default_value,
                                std::uint64_t min_value, std::uint64_t max_value);
  static SettingKey flag(std::string name, std::optional<bool> default_value = std::nullopt);
  static SettingKey text_list(std::string name);
};

// Two number keys whose values a manifest table may not cross (low <= high),
// e.g. a sleep range that admits no duration.
struct OrderedKeys {
  std::string low;
  std::string high;
};

struct HandlerSchema {
  // The manifest's [[handler]] type, e.g. "process"; also Handler::type().
  std::string type;
  std::vector<GrantKey> grant_keys;
  std::vector<SettingKey> setting_keys;
  std::vector<OrderedKeys> ordered_keys;
  // Granted to every actor, entry or not; no permission_policy may name it.
  bool always_granted = false;

  // A schema with no keys: a handler configured by nothing in the manifest.
  static HandlerSchema without_keys(std::string type, bool always_granted = false);

  [[nodiscard]] const GrantKey* find_grant_key(std::string_view name) const;
  [[nodiscard]] const SettingKey* find_setting_key(std::string_view name) const;
};

// The handler types one runtime knows, in registration order.
class HandlerSchemas {
 public:
  // Refuses a second schema of the same type.
  Status add(HandlerSchema schema);

  [[nodiscard]] const HandlerSchema* find(std::string_view type) const;
  [[nodiscard]] const std::vector<HandlerSchema>& all() const { return schemas_; }
  // "runtime, process, ...", for error messages.
  [[nodiscard]] std::string known_types() const;

 private:
  std::vector<HandlerSchema> schemas_;
};

}  // namespace theater::config
