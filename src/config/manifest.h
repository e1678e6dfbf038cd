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
//   restart = "transient"               # as a supervised child: permanent | transient | temporary
//   init_state = "state.json"           # a JSON file, or an inline table
//
//   [limits]                            # call deadlines and memory
//   init_timeout_ms = 60000
//   call_timeout_ms = 30000
//   memory_limit_mb = 64
//
//   [[handler]]                         # one per handler type; its keys are the
//   type = "process"                    # ones that handler's schema declares
//   allowed_programs = ["/usr/bin/tail"]
//
//   [permission_policy.process]         # inherit (default) | restrict | disallow
//   type = "restrict"
//   max_processes = 2                   # restrict takes the handler's permission keys
//
// config/ knows no handler: each handler declares its keys in a
// HandlerSchema (config/handler_schema.h, given by Handler::schema()), and a
// [[handler]] table or restrict policy is read against that schema
// (config/handler_config.h). Parsed with the runtime's HandlerSchemas, a
// manifest is checked whole at once; parsed without, its handler tables are
// only checked for shape here, and their keys when read against a schema
// (EffectivePermissions::for_child with the schemas, which the runtime calls
// on every spawn, reads them all).
//
// Unknown keys anywhere are errors, not warnings: a typo such as "max_proceses"
// must not silently leave a default in place. Every error names the source,
// line and key ("manifest.toml:7: [[handler]] #2: unknown handler type ...").
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/handler_schema.h"

namespace theater::config {

// How a manifest names content of the content store instead of a file.
inline constexpr std::string_view kStoreReferenceScheme = "store://";

struct Limits {
  // Deadline of the init call, and of every other call into the actor.
  std::chrono::milliseconds init_timeout{60'000};
  std::chrono::milliseconds call_timeout{30'000};
  // Cap on the actor's linear memory; unset: the runtime's default.
  std::optional<std::uint64_t> memory_limit_mb;
};

// A table of the manifest as written, kept so it can be read against a
// handler's schema (config-internal; see handler_config.h).
struct RawTable;

struct HandlerEntry {
  std::string type;  // as written; a known type once checked against schemas
  int line = 0;      // of its [[handler]] header
  std::shared_ptr<const RawTable> table;
};

enum class PolicyKind {
  kInherit,   // the parent's permission for the handler, unchanged
  kRestrict,  // the parent's permission narrowed by the table's keys
  kDisallow,  // the handler is not granted at all
};

const char* to_string(PolicyKind kind);

struct PolicyEntry {
  PolicyKind kind = PolicyKind::kInherit;
  int line = 0;                           // of its key, permission_policy.<type>
  std::shared_ptr<const RawTable> table;  // its keys (a restriction's limits)
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
  // Canonical absolute path of the wasm module; the file existed at parse
  // time. Or a content-store reference as written ("store://<store-id>/<label>"
  // or "store://<store-id>/hash/<sha256>"), resolved when the actor starts.
  std::string component;
  bool save_chain = false;
  // Top-level `restart`: how a supervisor restarts this actor as its child,
  // "permanent", "transient" or "temporary" (handlers/supervisor/README.md);
  // empty when not written.
  std::string restart;
  // The initial state as compact JSON text; unset: the actor starts with none.
  std::optional<std::string> init_state_json;
  // init_state written as a content-store reference (see component): the
  // JSON is read from the store when the actor starts; init_state_json is unset.
  std::optional<std::string> init_state_reference;
  // The TOML text this manifest was parsed from (kept in the content store's
  // `manifests` store for every actor started from it).
  std::string text;
  Limits limits;
  // At most one entry per handler type, in manifest order.
  std::vector<HandlerEntry> handlers;
  // By handler type, as written; handlers without an entry inherit.
  std::map<std::string, PolicyEntry, std::less<>> permission_policy;

  [[nodiscard]] const HandlerEntry* find_handler(std::string_view type) const;
  [[nodiscard]] const PolicyEntry* find_policy(std::string_view type) const;
};

// Reads and parses the manifest file at `path` (a regular file of at most
// 1 MiB), checking every handler table against `schemas` (unknown handler
// types and keys are errors).
Result<Manifest> parse_manifest_file(const std::filesystem::path& path,
                                     const HandlerSchemas& schemas);
// The same without schemas: handler tables are checked when read (see above).
Result<Manifest> parse_manifest_file(const std::filesystem::path& path);

// Parses manifest text (e.g. inline TOML passed to supervisor.spawn);
// relative paths resolve against `base_dir`, errors start with `source_name`.
Result<Manifest> parse_manifest_string(std::string_view toml, const std::filesystem::path& base_dir,
                                       const HandlerSchemas& schemas,
                                       std::string source_name = "<inline manifest>");
Result<Manifest> parse_manifest_string(std::string_view toml, const std::filesystem::path& base_dir,
                                       std::string source_name = "<inline manifest>");

// What supervisor.spawn and the CLI receive: a manifest path (relative to
// `base_dir`) or inline TOML. Text with a newline or an '=' is TOML (no
// manifest file name has either); anything else is a path, so a mistyped path
// is reported as a missing file rather than as a TOML syntax error.
Result<Manifest> parse_manifest_reference(std::string_view path_or_toml,
                                          const std::filesystem::path& base_dir,
                                          const HandlerSchemas& schemas);
Result<Manifest> parse_manifest_reference(std::string_view path_or_toml,
                                          const std::filesystem::path& base_dir);

}  // namespace theater::config
