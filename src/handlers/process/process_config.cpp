#include "handlers/process/process_config.h"

namespace theater::handlers {

namespace {

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr std::uint64_t kGiB = 1024 * kMiB;
constexpr std::uint64_t kMaxKillGraceMs = 600'000;

config::HandlerSchema make_schema() {
  using config::GrantKey;
  using config::GrantKind;
  using config::SettingKey;
  config::HandlerSchema schema;
  schema.type = "process";
  schema.grant_keys = {
      GrantKey::list("allowed_programs", GrantKind::kPrograms),
      GrantKey::list("allowed_paths", GrantKind::kDirectories),
      GrantKey::upper_bound("max_processes", 16, 0, 4096),
      GrantKey::upper_bound("max_output_buffer", 1 * kMiB, 4 * kKiB, 1 * kGiB),
      GrantKey::list("inherit_env", GrantKind::kNames),
  };
  schema.setting_keys = {
      SettingKey::duration_ms("kill_grace_ms", 2000, 0, kMaxKillGraceMs),
      SettingKey::directory_within("cwd", "allowed_paths"),
  };
  return schema;
}

}  // namespace

const config::HandlerSchema& process_schema() {
  static const config::HandlerSchema schema = make_schema();
  return schema;
}

ProcessPermissions::ProcessPermissions(const config::HandlerGrant& grant)
    : programs_(grant.list("allowed_programs")),
      paths_(grant.list("allowed_paths")),
      inherit_env_(grant.list("inherit_env")),
      max_processes_(grant.number("max_processes")),
      max_output_buffer_(grant.number("max_output_buffer")) {}

ProcessSettings ProcessSettings::from(const config::SettingValues& values) {
  ProcessSettings settings;
  settings.kill_grace = values.duration("kill_grace_ms");
  if (values.has("cwd")) settings.cwd = values.text("cwd");
  return settings;
}

}  // namespace theater::handlers
