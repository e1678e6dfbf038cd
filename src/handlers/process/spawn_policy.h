// SpawnPolicy: what one actor's manifest lets it start, applied to each
// os-spawn before the OS layer sees it.
//
//  - program: resolved the way execve would (absolute, relative to the working
//    directory, or looked up in the child's PATH), canonicalized (symlinks
//    resolved), and compared with allowed_programs, whose entries are
//    canonical too: a symlink named like an allowed program cannot widen the
//    list, and an allowed program reached through a symlink still runs. The
//    child executes the canonical path it was checked as (argv[0] included),
//    so nothing can be swapped in between through a symlink. With ["*"]
//    nothing is compared and the program runs as named.
//  - cwd: an explicit working directory is resolved against the default one,
//    canonicalized, and must lie inside allowed_paths. The default (the
//    manifest's cwd, itself inside allowed_paths, or else the runtime's own
//    working directory) is the operator's choice and is not checked.
//  - env: the child gets the variables the actor passes, plus the host's
//    variables that inherit_env names (["*"]: all), unless the actor set them.
//  - limits: max_processes, max_output_buffer (permissions) and kill_grace_ms
//    (settings) become the process table's limits.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "handlers/process/os/process_options.h"
#include "handlers/process/process_config.h"

namespace theater::handlers {

// A request the policy let through, ready for the OS layer.
struct AdmittedSpawn {
  process::SpawnOptions spawn;  // program as it will run, cwd canonical, env complete
  std::string executable;       // the program's file, canonical (for the chain)
  // Names of the host variables that were passed through (values are never kept).
  std::vector<std::string> inherited_env;
};

class SpawnPolicy {
 public:
  SpawnPolicy(ProcessPermissions permissions, ProcessSettings settings);

  // The request as it will run, or an error: kInvalidArgument for malformed
  // input, kPermissionDenied naming what was refused and why, kNotFound when
  // the program does not exist.
  Result<AdmittedSpawn> admit(const process::SpawnOptions& requested) const;

  // The process table's limits (max_processes may be 0: nothing may run).
  [[nodiscard]] process::TableLimits limits() const;
  [[nodiscard]] std::size_t max_processes() const { return permissions_.max_processes(); }

 private:
  Result<std::string> working_directory(const process::SpawnOptions& requested) const;
  process::EnvList child_environment(const process::EnvList& requested,
                                     std::vector<std::string>& inherited) const;
  Result<std::string> resolve_program(const process::SpawnOptions& spawn,
                                      const std::string& cwd) const;

  ProcessPermissions permissions_;
  ProcessSettings settings_;
};

}  // namespace theater::handlers
