#include "handlers/supervisor/supervisor_config.h"

#include <string>

namespace theater::handlers {
namespace {

constexpr std::uint64_t kMaxRestartsLimit = 1'000'000;
constexpr std::uint64_t kMaxWindowMs = 24ull * 3600 * 1000;
constexpr std::uint64_t kMaxBackoffMs = 600'000;
constexpr std::uint64_t kDefaultMaxChildren = 16384;
constexpr std::uint64_t kMaxChildrenLimit = 1'000'000;

config::HandlerSchema make_schema() {
  using config::GrantKey;
  using config::SettingKey;
  config::HandlerSchema schema;
  schema.type = "supervisor";
  schema.grant_keys = {
      GrantKey::upper_bound("max_children", kDefaultMaxChildren, 0, kMaxChildrenLimit),
  };
  schema.setting_keys = {
      SettingKey::text("strategy"),
      SettingKey::integer("max_restarts", 0, kMaxRestartsLimit, 3),
      SettingKey::duration_ms("restart_window_ms", 5000, 1, kMaxWindowMs),
      SettingKey::duration_ms("restart_backoff_ms", 0, 0, kMaxBackoffMs),
  };
  return schema;
}

Result<Strategy> strategy_of(const config::SettingValues& settings) {
  if (!settings.has("strategy")) return Strategy::kNone;
  const std::string& written = settings.text("strategy");
  if (written == "none") return Strategy::kNone;
  if (written == "one-for-one") return Strategy::kOneForOne;
  if (written == "one-for-all") return Strategy::kOneForAll;
  if (written == "rest-for-one") return Strategy::kRestForOne;
  return make_error(ErrorCode::kInvalidArgument,
                    "[[handler]] supervisor: strategy must be one of one-for-one, one-for-all, "
                    "rest-for-one, none; got \"" +
                        written + "\"");
}

}  // namespace

const config::HandlerSchema& supervisor_schema() {
  static const config::HandlerSchema schema = make_schema();
  return schema;
}

const char* to_string(Strategy strategy) {
  switch (strategy) {
    case Strategy::kNone:
      return "none";
    case Strategy::kOneForOne:
      return "one-for-one";
    case Strategy::kOneForAll:
      return "one-for-all";
    case Strategy::kRestForOne:
      return "rest-for-one";
  }
  return "none";
}

const char* to_string(RestartType type) {
  switch (type) {
    case RestartType::kPermanent:
      return "permanent";
    case RestartType::kTransient:
      return "transient";
    case RestartType::kTemporary:
      return "temporary";
  }
  return "permanent";
}

RestartType restart_type_of(std::string_view written) {
  if (written == "transient") return RestartType::kTransient;
  if (written == "temporary") return RestartType::kTemporary;
  return RestartType::kPermanent;  // config/ accepts nothing else
}

Result<SupervisorSettings> SupervisorSettings::read(const config::HandlerConfig& entry,
                                                    const config::HandlerGrant& grant) {
  SupervisorSettings settings;
  THEATER_ASSIGN_OR_RETURN(settings.strategy, strategy_of(entry.settings));
  settings.max_restarts = static_cast<uint32_t>(entry.settings.number("max_restarts"));
  settings.restart_window = entry.settings.duration("restart_window_ms");
  settings.restart_backoff = entry.settings.duration("restart_backoff_ms");
  settings.max_children = grant.number("max_children");
  return settings;
}

}  // namespace theater::handlers
