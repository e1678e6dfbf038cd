// An actor's manifest (TOML): what to run, its initial state, its handlers'
// configuration and how its permissions derive from its parent's.
//
// Format (every relative path is relative to the manifest's own folder; for an
// inline manifest, to the base_dir its caller passes):
//
//   name = "log-tailer"                 # required
//   version = "0.1.0"
//   description = "..."                 # also long_description
//   component = "build/tailer.wasm"     # required; the file must exist
//   save_chain = false
//   init_state = "state.json"           # a JSON file, or an inline table
//
//   [limits]                            # call deadlines and memory
//   init_timeout_ms = 60000
//   call_timeout_ms = 30000
//   memory_limit_mb = 64
//
//   [[handler]]                         # one per handler type, keys per type:
//   type = "process"                    # see grant_schema.cpp, handler_settings.h
//   allowed_programs = ["/usr/bin/tail"]
//
//   [permission_policy.process]         # inherit (default) | restrict | disallow
//   type = "restrict"
//   max_processes = 2                   # restrict takes the handler's permission keys
//
// Unknown keys anywhere are errors, not warnings: a typo such as "max_proceses"
// must not silently leave a default in place. Every error names the source,
// line and key ("manifest.toml:7: [[handler]] #2: unknown handler type ...").
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/grants.h"
#include "config/handler_settings.h"
#include "config/handler_type.h"

namespace theater::config {

struct Limits {
  // Deadline of the init call, and of every other call into the actor.
  std::chrono::milliseconds init_timeout{60'000};
  std::chrono::milliseconds call_timeout{30'000};
  // Cap on the actor's linear memory; unset: the runtime's default.
  std::optional<std::uint64_t> memory_limit_mb;
};

struct HandlerEntry {
  HandlerType type = HandlerType::kRuntime;
  GrantRequest request;      // its permission keys, as written
  HandlerSettings settings;  // its other keys
  int line = 0;              // of its [[handler]] header
};

enum class PolicyKind {
  kInherit,   // the parent's permission for the handler, unchanged
  kRestrict,  // the parent's permission narrowed by the table's keys
  kDisallow,  // the handler is not granted at all
};

const char* to_string(PolicyKind kind);

struct PolicyEntry {
  PolicyKind kind = PolicyKind::kInherit;
  GrantRequest restriction;  // only for kRestrict
  int line = 0;
};

struct Manifest {
  // Where it came from: the file path as given, or the inline source name.
  std::string source;
  // The folder relative paths were resolved against (canonical).
  std::string base_dir;

  std::string name;
  std::string version;
  std::string description;
  std::string long_description;
  // Canonical absolute path of the wasm module; the file existed at parse time.
  std::string component;
  bool save_chain = false;
  // The initial state as compact JSON text; unset: the actor starts with none.
  std::optional<std::string> init_state_json;
  Limits limits;
  // At most one entry per handler type, in manifest order.
  std::vector<HandlerEntry> handlers;
  // Handlers without an entry inherit.
  std::map<HandlerType, PolicyEntry> permission_policy;

  [[nodiscard]] const HandlerEntry* find_handler(HandlerType type) const;
  [[nodiscard]] PolicyEntry policy_for(HandlerType type) const;

  // Settings of a handler; the defaults when the manifest has no entry for it.
  [[nodiscard]] ProcessSettings process_settings() const;
  [[nodiscard]] FilesystemSettings filesystem_settings() const;
  [[nodiscard]] RandomSettings random_settings() const;
};

// Reads and parses the manifest file at `path`: a regular file of at most 1 MiB.
Result<Manifest> parse_manifest_file(const std::filesystem::path& path);

// Parses manifest text (e.g. inline TOML passed to supervisor.spawn);
// relative paths resolve against `base_dir`, errors start with `source_name`.
Result<Manifest> parse_manifest_string(std::string_view toml, const std::filesystem::path& base_dir,
                                       std::string source_name = "<inline manifest>");

// What supervisor.spawn and the CLI receive: a manifest path (relative to
// `base_dir`) or inline TOML. Text with a newline or an '=' is TOML (no
// manifest file name has either); anything else is a path, so a mistyped path
// is reported as a missing file rather than as a TOML syntax error.
Result<Manifest> parse_manifest_reference(std::string_view path_or_toml,
                                          const std::filesystem::path& base_dir);

}  // namespace theater::config
