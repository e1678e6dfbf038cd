// The process handler's part of a manifest: its schema (the keys of
// [[handler]] type = "process", their kinds, defaults and ranges) and the
// typed views the handler reads them through. config/ parses and narrows
// the keys driven by the schema; only this folder knows what they mean.
//
// Paths passed to the permission checks must be canonical
// (config::canonical_path): the checks are textual, so skipping
// canonicalization would let "/data/../etc" through as "/data/...".
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "config/allow_list.h"
#include "config/grants.h"
#include "config/handler_schema.h"
#include "config/setting_values.h"

namespace theater::handlers {

// Permission keys: allowed_programs, allowed_paths, max_processes,
// max_output_buffer, inherit_env. Settings: kill_grace_ms, cwd.
const config::HandlerSchema& process_schema();

// The effective process permission of one actor. Copies its values, so it
// may outlive the grant it came from.
class ProcessPermissions {
 public:
  explicit ProcessPermissions(const config::HandlerGrant& grant);

  // `canonical_program`: the program resolved (PATH lookup) and canonicalized.
  [[nodiscard]] bool allows_program(std::string_view canonical_program) const {
    return programs_.allows(canonical_program);
  }
  // Working directories a process may be started in.
  [[nodiscard]] bool allows_working_directory(std::string_view canonical_dir) const {
    return paths_.allows(canonical_dir);
  }
  // Host environment variables that may be passed through to a child.
  [[nodiscard]] bool allows_inherited_env(std::string_view name) const {
    return inherit_env_.allows(name);
  }
  [[nodiscard]] const config::AllowList& programs() const { return programs_; }
  [[nodiscard]] const config::AllowList& paths() const { return paths_; }
  [[nodiscard]] const config::AllowList& inherit_env() const { return inherit_env_; }
  // Processes running at once.
  [[nodiscard]] std::size_t max_processes() const { return max_processes_; }
  // Output bytes buffered per process (see process::TableLimits).
  [[nodiscard]] std::size_t max_output_buffer() const { return max_output_buffer_; }

 private:
  config::AllowList programs_;
  config::AllowList paths_;
  config::AllowList inherit_env_;
  std::size_t max_processes_;
  std::size_t max_output_buffer_;
};

// Keys that configure the handler without granting anything.
struct ProcessSettings {
  // Between SIGTERM and SIGKILL when a process group is stopped (execution
  // timeout, os-kill escalation, actor stop). Manifest key kill_grace_ms.
  std::chrono::milliseconds kill_grace{2000};
  // Default working directory of spawned processes; unset: the runtime's own.
  // Always inside the handler's allowed_paths (when allowed_paths is left out,
  // it becomes [cwd]).
  std::optional<std::string> cwd;

  static ProcessSettings from(const config::SettingValues& values);
};

}  // namespace theater::handlers
