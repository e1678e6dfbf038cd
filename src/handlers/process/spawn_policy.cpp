#include "handlers/process/spawn_policy.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "config/paths.h"

extern char** environ;  // NOLINT: POSIX

namespace theater::handlers {
namespace {

namespace fs = std::filesystem;

Error denied(std::string message) {
  return make_error(ErrorCode::kPermissionDenied, std::move(message));
}

bool is_executable_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

std::string runtime_working_directory() {
  std::error_code error;
  fs::path here = fs::current_path(error);
  return error ? std::string("/") : here.string();
}

}  // namespace

SpawnPolicy::SpawnPolicy(ProcessPermissions permissions, ProcessSettings settings)
    : permissions_(std::move(permissions)), settings_(std::move(settings)) {}

process::TableLimits SpawnPolicy::limits() const {
  process::TableLimits limits;
  limits.max_processes = std::max<std::size_t>(permissions_.max_processes(), 1);
  limits.max_output_buffer = permissions_.max_output_buffer();
  limits.kill_grace = settings_.kill_grace;
  return limits;
}

Result<AdmittedSpawn> SpawnPolicy::admit(const process::SpawnOptions& requested) const {
  THEATER_RETURN_IF_ERROR(process::validate_spawn_options(requested));
  AdmittedSpawn admitted;
  THEATER_ASSIGN_OR_RETURN(std::string cwd, working_directory(requested));
  admitted.spawn.env = child_environment(requested.env, admitted.inherited_env);
  admitted.spawn.program = requested.program;
  THEATER_ASSIGN_OR_RETURN(admitted.executable, resolve_program(admitted.spawn, cwd));
  // Checked against a list: run exactly the file that was checked. With ["*"]
  // nothing was compared, so the program runs as named (argv[0] included).
  if (!permissions_.programs().is_everything()) admitted.spawn.program = admitted.executable;
  admitted.spawn.args = requested.args;
  // Unset only when neither the actor nor the manifest chose one: the child
  // then starts where the runtime runs.
  if (requested.cwd || settings_.cwd) admitted.spawn.cwd = cwd;
  THEATER_RETURN_IF_ERROR(process::validate_spawn_options(admitted.spawn));
  return admitted;
}

Result<std::string> SpawnPolicy::working_directory(const process::SpawnOptions& requested) const {
  const std::string default_dir = settings_.cwd.value_or(runtime_working_directory());
  if (!requested.cwd) return default_dir;
  const std::string dir = config::canonical_path(*requested.cwd, default_dir);
  if (!permissions_.allows_working_directory(dir)) {
    return denied("working directory '" + *requested.cwd + "' (" + dir +
                  ") is not inside allowed_paths " + permissions_.paths().to_string());
  }
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return make_error(ErrorCode::kNotFound, "working directory '" + *requested.cwd + "' (" + dir +
                                                ") is not a directory");
  }
  return dir;
}

process::EnvList SpawnPolicy::child_environment(const process::EnvList& requested,
                                                std::vector<std::string>& inherited) const {
  process::EnvList env = requested;
  if (permissions_.inherit_env().is_empty()) return env;
  std::set<std::string_view> set_by_actor;
  for (const auto& [name, value] : requested) set_by_actor.insert(name);
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    const std::string_view name = text.substr(0, equals);
    if (set_by_actor.contains(name) || !permissions_.allows_inherited_env(name)) continue;
    env.emplace_back(std::string(name), std::string(text.substr(equals + 1)));
    inherited.emplace_back(name);
  }
  return env;
}

Result<std::string> SpawnPolicy::resolve_program(const process::SpawnOptions& spawn,
                                                 const std::string& cwd) const {
  const std::vector<std::string> candidates = process::program_candidates(spawn.program, spawn.env);
  std::string found;
  for (const std::string& candidate : candidates) {
    const std::string path =
        candidate.front() == '/' ? candidate : (fs::path(cwd) / candidate).string();
    if (is_executable_file(path)) {
      found = path;
      break;
    }
  }
  if (found.empty()) {
    const bool looked_up = spawn.program.find('/') == std::string::npos;
    return make_error(ErrorCode::kNotFound,
                      "program '" + spawn.program + "' " +
                          (looked_up ? "was not found in PATH (no executable file among " +
                                           std::to_string(candidates.size()) + " candidates)"
                                     : "is not an executable file"));
  }
  const std::string canonical = config::canonical_path(found, "/");
  if (!permissions_.programs().is_everything() && !permissions_.allows_program(canonical)) {
    const std::string via = canonical == spawn.program ? "" : " (resolved to " + canonical + ")";
    return denied("program '" + spawn.program + "'" + via + " is not in allowed_programs " +
                  permissions_.programs().to_string());
  }
  return canonical;
}

}  // namespace theater::handlers
