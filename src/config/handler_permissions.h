// What handlers ask at call time: typed views of one handler's effective
// permission (EffectivePermissions::process() etc.). Each copies its values,
// so it may outlive the EffectivePermissions it came from.
//
// Paths passed in must be canonical (config::canonical_path): the checks are
// textual, so a handler that skipped canonicalization would let "/data/../etc"
// through as "/data/...".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/allow_list.h"
#include "config/grants.h"

namespace theater::config {

class ProcessPermissions {
 public:
  explicit ProcessPermissions(const HandlerGrant& grant);

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
  [[nodiscard]] const AllowList& programs() const { return programs_; }
  [[nodiscard]] const AllowList& paths() const { return paths_; }
  [[nodiscard]] const AllowList& inherit_env() const { return inherit_env_; }
  // Processes running at once.
  [[nodiscard]] std::size_t max_processes() const { return max_processes_; }
  // Output bytes buffered per process (see process::TableLimits).
  [[nodiscard]] std::size_t max_output_buffer() const { return max_output_buffer_; }

 private:
  AllowList programs_;
  AllowList paths_;
  AllowList inherit_env_;
  std::size_t max_processes_;
  std::size_t max_output_buffer_;
};

class EnvironmentPermissions {
 public:
  explicit EnvironmentPermissions(const HandlerGrant& grant);
  [[nodiscard]] bool allows_var(std::string_view name) const { return vars_.allows(name); }
  [[nodiscard]] const AllowList& allowed_vars() const { return vars_; }

 private:
  AllowList vars_;
};

class FilesystemPermissions {
 public:
  explicit FilesystemPermissions(const HandlerGrant& grant);
  // True when `canonical_path` is inside one of the allowed directories.
  [[nodiscard]] bool allows_path(std::string_view canonical_path) const {
    return paths_.allows(canonical_path);
  }
  [[nodiscard]] const AllowList& allowed_paths() const { return paths_; }

 private:
  AllowList paths_;
};

class TimingPermissions {
 public:
  explicit TimingPermissions(const HandlerGrant& grant);
  [[nodiscard]] std::chrono::milliseconds max_sleep() const { return max_sleep_; }
  [[nodiscard]] std::chrono::milliseconds min_sleep() const { return min_sleep_; }
  [[nodiscard]] bool allows_sleep(std::chrono::milliseconds duration) const {
    return duration >= min_sleep_ && duration <= max_sleep_;
  }

 private:
  std::chrono::milliseconds max_sleep_;
  std::chrono::milliseconds min_sleep_;
};

class RandomPermissions {
 public:
  explicit RandomPermissions(const HandlerGrant& grant);
  // Largest random-bytes request.
  [[nodiscard]] std::uint64_t max_bytes() const { return max_bytes_; }

 private:
  std::uint64_t max_bytes_;
};

class MessageServerPermissions {
 public:
  explicit MessageServerPermissions(const HandlerGrant& grant);
  // How long request() waits for the target's answer.
  [[nodiscard]] std::chrono::milliseconds request_timeout() const { return request_timeout_; }
  // Messages queued for this actor before senders are refused.
  [[nodiscard]] std::size_t mailbox_size() const { return mailbox_size_; }

 private:
  std::chrono::milliseconds request_timeout_;
  std::size_t mailbox_size_;
};

class SupervisorPermissions {
 public:
  explicit SupervisorPermissions(const HandlerGrant& grant);
  // Children alive at once.
  [[nodiscard]] std::size_t max_children() const { return max_children_; }

 private:
  std::size_t max_children_;
};

}  // namespace theater::config
