#include "handlers/environment/environment_instance.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/utf8.h"

extern char** environ;  // NOLINT: POSIX

namespace theater::handlers {
namespace {

constexpr const char* kEventPrefix = "theater:simple/environment/";

nlohmann::json vars_json(const EnvironmentVars& vars) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, value] : vars) out.push_back({name, value});
  return out;
}

}  // namespace

EnvironmentVars EnvironmentInstance::visible_host_variables(
    const EnvironmentPermissions& permissions) {
  EnvironmentVars vars;
  if (permissions.allowed_vars.is_empty()) return vars;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    const std::string_view name = text.substr(0, equals);
    const std::string_view value = text.substr(equals + 1);
    if (!permissions.allowed_vars.allows(name)) continue;
    if (!is_valid_utf8(name) || !is_valid_utf8(value)) continue;
    vars.emplace_back(std::string(name), std::string(value));
  }
  std::sort(vars.begin(), vars.end());
  // A name set twice in environ: the first one is what getenv() would say.
  vars.erase(
      std::unique(vars.begin(), vars.end(),
                  [](const auto& a, const auto& b) { return std::get<0>(a) == std::get<0>(b); }),
      vars.end());
  return vars;
}

Status EnvironmentInstance::start(handler::ActorHandle actor, std::stop_token) {
  {
    std::lock_guard lock(mutex_);
    if (actor_ || stopped_) {
      return make_error(ErrorCode::kFailedPrecondition,
                        "the environment handler was started before");
    }
    actor_ = actor;
  }
  // What WASI environ_get can show the guest from now on.
  return actor.record(std::string(kEventPrefix) + "visible", std::nullopt,
                      {{"vars", vars_json(visible_)}});
}

void EnvironmentInstance::stop(std::chrono::milliseconds) {
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

std::optional<handler::EnvironmentList> EnvironmentInstance::environment() const {
  handler::EnvironmentList list;
  list.reserve(visible_.size());
  for (const auto& [name, value] : visible_) list.emplace_back(name, value);
  return list;
}

Result<handler::ActorHandle> EnvironmentInstance::actor(const char* function) const {
  std::lock_guard lock(mutex_);
  if (stopped_ || !actor_) {
    return make_error(ErrorCode::kFailedPrecondition,
                      std::string("environment.") + function + ": the environment handler " +
                          (stopped_ ? "has stopped" : "has not started"));
  }
  return *actor_;
}

const std::string* EnvironmentInstance::find(const std::string& name) const {
  auto it = std::lower_bound(
      visible_.begin(), visible_.end(), name,
      [](const auto& var, const std::string& wanted) { return std::get<0>(var) < wanted; });
  if (it == visible_.end() || std::get<0>(*it) != name) return nullptr;
  return &std::get<1>(*it);
}

Result<std::optional<std::string>> EnvironmentInstance::get_var(const std::string& name) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("get-var"));
  const std::string* value = find(name);
  THEATER_RETURN_IF_ERROR(
      self.record(std::string(kEventPrefix) + "get-var", std::nullopt,
                  {{"name", name}, {"value", value ? nlohmann::json(*value) : nullptr}}));
  if (value == nullptr) return std::optional<std::string>();
  return std::optional<std::string>(*value);
}

Result<EnvironmentVars> EnvironmentInstance::list_vars() {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("list-vars"));
  THEATER_RETURN_IF_ERROR(self.record(std::string(kEventPrefix) + "list-vars", std::nullopt,
                                      {{"vars", vars_json(visible_)}}));
  return visible_;
}

Result<bool> EnvironmentInstance::exists(const std::string& name) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle self, actor("exists"));
  const bool found = find(name) != nullptr;
  THEATER_RETURN_IF_ERROR(self.record(std::string(kEventPrefix) + "exists", std::nullopt,
                                      {{"name", name}, {"exists", found}}));
  return found;
}

}  // namespace theater::handlers
