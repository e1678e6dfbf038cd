#include "handlers/timing/timing_config.h"

namespace theater::handlers {
namespace {

constexpr std::uint64_t kHourMs = 3'600'000;
constexpr std::uint64_t kDayMs = 24 * kHourMs;

config::HandlerSchema make_schema() {
  config::HandlerSchema schema;
  schema.type = "timing";
  schema.grant_keys = {config::GrantKey::upper_bound("max_sleep_ms", kHourMs, 0, kDayMs)};
  return schema;
}

}  // namespace

const config::HandlerSchema& timing_schema() {
  static const config::HandlerSchema schema = make_schema();
  return schema;
}

TimingPermissions TimingPermissions::from(const config::HandlerGrant& grant) {
  return {std::chrono::milliseconds(grant.number("max_sleep_ms"))};
}

}  // namespace theater::handlers
