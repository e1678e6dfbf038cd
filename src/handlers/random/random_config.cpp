#include "handlers/random/random_config.h"

#include <limits>

namespace theater::handlers {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kGiB = 1024 * kMiB;
// TOML integers are signed 64-bit: that is the largest seed a manifest can write.
constexpr std::uint64_t kMaxSeed = std::numeric_limits<std::int64_t>::max();

config::HandlerSchema make_schema() {
  config::HandlerSchema schema;
  schema.type = "random";
  schema.grant_keys = {config::GrantKey::upper_bound("max_bytes", 1 * kMiB, 0, 1 * kGiB)};
  schema.setting_keys = {config::SettingKey::integer("seed", 0, kMaxSeed)};
  return schema;
}

}  // namespace

const config::HandlerSchema& random_schema() {
  static const config::HandlerSchema schema = make_schema();
  return schema;
}

RandomPermissions RandomPermissions::from(const config::HandlerGrant& grant) {
  return {static_cast<std::size_t>(grant.number("max_bytes"))};
}

RandomSettings RandomSettings::from(const config::SettingValues& values) {
  RandomSettings settings;
  if (values.has("seed")) settings.seed = values.number("seed");
  return settings;
}

}  // namespace theater::handlers
