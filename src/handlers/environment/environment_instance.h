// EnvironmentInstance: one actor's view of the host environment: the
// variables allowed_vars names, as they were when the actor started (one
// snapshot, so the WIT and WASI environ_get always agree). The snapshot is
// recorded when the instance starts (what WASI can show), and every WIT
// answer is recorded again with the call.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "handler_api/handler.h"
#include "handlers/environment/environment_config.h"

namespace theater::handlers {

using EnvironmentVars = std::vector<std::tuple<std::string, std::string>>;

class EnvironmentInstance final : public handler::HandlerInstance,
                                  public handler::WasiContribution {
 public:
  // `visible`: the variables allowed_vars lets through, sorted by name.
  explicit EnvironmentInstance(EnvironmentVars visible) : visible_(std::move(visible)) {}

  // The host's variables (the process environment now) that `permissions`
  // lets through, sorted by name. A name or value that is not UTF-8 cannot
  // cross the WIT as a string and is left out.
  static EnvironmentVars visible_host_variables(const EnvironmentPermissions& permissions);

  Status start(handler::ActorHandle actor, std::stop_token shutdown) override;
  void stop(std::chrono::milliseconds grace) override;
  handler::WasiContribution* wasi_contribution() override { return this; }

  // WasiContribution
  std::optional<handler::EnvironmentList> environment() const override;

  Result<std::optional<std::string>> get_var(const std::string& name);
  Result<EnvironmentVars> list_vars();
  Result<bool> exists(const std::string& name);

 private:
  Result<handler::ActorHandle> actor(const char* function) const;
  const std::string* find(const std::string& name) const;

  const EnvironmentVars visible_;

  mutable std::mutex mutex_;
  std::optional<handler::ActorHandle> actor_;
  bool stopped_ = false;
};

}  // namespace theater::handlers
