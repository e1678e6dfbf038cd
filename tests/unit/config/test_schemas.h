// The config tests' own handler schemas: stand-ins shaped like the handlers
// the design plans (their names, keys and ranges), so config/ is tested on
// its own, without any real handler. Between them they use every grant kind;
// "probe" has one setting of each setting kind.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <vector>

#include "config/handler_schema.h"

namespace theater::config::testing {

inline constexpr std::uint64_t kKiB = 1024;
inline constexpr std::uint64_t kMiB = 1024 * kKiB;
inline constexpr std::uint64_t kGiB = 1024 * kMiB;
inline constexpr std::uint64_t kHourMs = 3600 * 1000;
inline constexpr std::uint64_t kYearMs = 366 * 24 * kHourMs;

inline HandlerSchema schema_of(std::string_view type, std::vector<GrantKey> grant_keys,
                               std::vector<SettingKey> setting_keys = {}) {
  HandlerSchema schema = HandlerSchema::without_keys(std::string(type));
  schema.grant_keys = std::move(grant_keys);
  schema.setting_keys = std::move(setting_keys);
  return schema;
}

inline HandlerSchemas make_test_schemas() {
  HandlerSchemas schemas;
  auto add = [&](HandlerSchema schema) {
    if (!schemas.add(std::move(schema)).ok()) std::abort();
  };
  add(HandlerSchema::without_keys("runtime", /*always_granted=*/true));
  add(schema_of("process",
                {GrantKey::list("allowed_programs", GrantKind::kPrograms),
                 GrantKey::list("allowed_paths", GrantKind::kDirectories),
                 GrantKey::upper_bound("max_processes", 16, 0, 4096),
                 GrantKey::upper_bound("max_output_buffer", 1 * kMiB, 4 * kKiB, 1 * kGiB),
                 GrantKey::list("inherit_env", GrantKind::kNames)},
                {SettingKey::duration_ms("kill_grace_ms", 2000, 0, 600'000),
                 SettingKey::directory_within("cwd", "allowed_paths")}));
  add(schema_of("message-server",
                {GrantKey::upper_bound("request_timeout_ms", 30'000, 1, 24 * kHourMs),
                 GrantKey::upper_bound("mailbox_size", 1024, 1, 1'000'000)}));
  add(schema_of("supervisor", {GrantKey::upper_bound("max_children", 100, 0, 100'000)}));
  add(HandlerSchema::without_keys("store"));
  HandlerSchema timing =
      schema_of("timing", {GrantKey::upper_bound("max_sleep_ms", kHourMs, 0, kYearMs),
                           GrantKey::lower_bound("min_sleep_ms", 0, 0, kYearMs)});
  timing.ordered_keys = {{"min_sleep_ms", "max_sleep_ms"}};
  add(std::move(timing));
  add(schema_of("random", {GrantKey::upper_bound("max_bytes", 1 * kMiB, 0, 1 * kGiB)},
                {SettingKey::integer("seed", 0, std::numeric_limits<std::int64_t>::max())}));
  add(schema_of("environment", {GrantKey::list("allowed_vars", GrantKind::kNames)}));
  add(schema_of("filesystem", {GrantKey::list("allowed_paths", GrantKind::kDirectories)},
                {SettingKey::directory_within("path", "allowed_paths")}));
  add(schema_of(
      "probe", {},
      {SettingKey::text("label"), SettingKey::path("data"), SettingKey::integer("count", 1, 10, 3),
       SettingKey::duration_ms("interval_ms", 250, 0, 1000), SettingKey::flag("verbose", false),
       SettingKey::text_list("tags")}));
  return schemas;
}

inline const HandlerSchemas& test_schemas() {
  static const HandlerSchemas schemas = make_test_schemas();
  return schemas;
}

inline const HandlerSchema& test_schema(std::string_view type) {
  const HandlerSchema* schema = test_schemas().find(type);
  if (schema == nullptr) std::abort();
  return *schema;
}

}  // namespace theater::config::testing
