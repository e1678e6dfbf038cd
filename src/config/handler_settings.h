// Handler keys that configure a handler without granting anything, so they
// are not part of the permission model (see grant_schema.h for those).
// Paths are canonical (config/paths.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace theater::config {

struct ProcessSettings {
  // Between SIGTERM and SIGKILL when a process group is stopped (execution
  // timeout, os-kill escalation, actor stop). Manifest key kill_grace_ms.
  std::chrono::milliseconds kill_grace{2000};
  // Default working directory of spawned processes; unset: the runtime's own.
  // Always inside the handler's allowed_paths (when allowed_paths is left out,
  // it becomes [cwd]).
  std::optional<std::string> cwd;
};

struct FilesystemSettings {
  // Base directory that relative guest paths resolve against; unset: guests
  // must use absolute paths. Always inside allowed_paths (when allowed_paths
  // is left out, it becomes [path]).
  std::optional<std::string> path;
};

struct RandomSettings {
  // Seeds the generator so runs are reproducible; unset: OS entropy.
  std::optional<std::uint64_t> seed;
};

// The settings of one [[handler]] entry: monostate for handlers that have none.
using HandlerSettings =
    std::variant<std::monostate, ProcessSettings, FilesystemSettings, RandomSettings>;

}  // namespace theater::config
