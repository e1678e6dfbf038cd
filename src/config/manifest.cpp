// The top level of a manifest: identity, component, initial state, limits;
// the handler sections are in handler_parse.cpp and policy_parse.cpp.
#include "config/manifest.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/handler_config.h"
#include "config/location.h"
#include "config/manifest_parse.h"
#include "config/paths.h"
#include "config/toml_to_json.h"

namespace theater::config {

namespace {

constexpr std::uint64_t kMaxCallTimeoutMs = 24ULL * 3600 * 1000;
// wasm32 memories stop at 4 GiB.
constexpr std::uint64_t kMaxMemoryLimitMb = 4096;
constexpr std::uintmax_t kMaxManifestBytes = std::uintmax_t{1} << 20;

// Manifests and state files are small, and an actor can name one (inline
// manifests reach supervisor.spawn): a device, FIFO or huge file must not make
// the host read without end.
constexpr std::uintmax_t kMaxFileBytes = 16u << 20;

// A regular file of at most `max_bytes`: a directory or a device would read
// as garbage (or forever), a huge file is a mistake or an attack.
Result<std::string> read_file(const std::filesystem::path& path,
                              std::uintmax_t max_bytes = kMaxFileBytes) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    return make_error(ErrorCode::kNotFound, path.string() + " does not exist" +
                                                (error ? " (" + error.message() + ")" : ""));
  }
  if (std::filesystem::is_directory(status)) {
    return make_error(ErrorCode::kInvalidArgument, path.string() + " is a directory, not a file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return make_error(ErrorCode::kInvalidArgument, path.string() + " is not a regular file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return make_error(ErrorCode::kNotFound, "cannot read " + path.string());
  if (size > max_bytes) {
    return make_error(ErrorCode::kInvalidArgument, path.string() + " is " + std::to_string(size) +
                                                       " bytes, over the limit of " +
                                                       std::to_string(max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error(ErrorCode::kInternal, "error reading " + path.string());
  return text.str();
}

bool is_store_reference(std::string_view written) {
  return written.starts_with(kStoreReferenceScheme);
}

Result<std::string> read_component(TableReader& top, const std::filesystem::path& base_dir) {
  THEATER_ASSIGN_OR_RETURN(std::string written, top.required_string("component"));
  // Resolved when the actor starts (runtime/, through store/), not here.
  if (is_store_reference(written)) return written;
  std::string path = canonical_path(written, base_dir);
  const toml::node* node = top.table().get("component");
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return top.error_at(node,
                        "component: file " + path + " does not exist (written \"" + written + "\")",
                        ErrorCode::kNotFound);
  }
  if (!std::filesystem::is_regular_file(path, error)) {
    return top.error_at(node, "component: " + path + " is not a regular file");
  }
  return path;
}

Result<std::string> init_state_from_file(TableReader& top, const toml::node& node,
                                         const std::string& written,
                                         const std::filesystem::path& base_dir) {
  std::string path = canonical_path(written, base_dir);
  Result<std::string> text = read_file(path);
  if (!text.ok()) {
    return top.error_at(
        &node, "init_state: file " + path + " cannot be read (" + text.error().message + ")",
        text.error().code);
  }
  nlohmann::json json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return top.error_at(&node, "init_state: file " + path + " is not valid JSON");
  }
  return json.dump();
}

// init_state is an inline table (the state itself) or a string naming a JSON file.
Result<std::optional<std::string>> read_init_state(TableReader& top,
                                                   const std::filesystem::path& base_dir,
                                                   Manifest& manifest) {
  const toml::node* node = top.take("init_state");
  if (node == nullptr) return std::optional<std::string>();
  if (node->is_table()) {
    Result<nlohmann::json> json = toml_to_json(*node, "init_state");
    if (!json.ok()) return top.error_at(node, json.error().message);
    return std::optional<std::string>(json->dump());
  }
  if (const auto* written = node->as_string()) {
    if (is_store_reference(written->get())) {
      manifest.init_state_reference = written->get();
      return std::optional<std::string>();
    }
    THEATER_ASSIGN_OR_RETURN(std::string json,
                             init_state_from_file(top, *node, written->get(), base_dir));
    return std::optional<std::string>(std::move(json));
  }
  return top.error_at(
      node, "init_state must be a table or the path of a JSON file, got " + describe_node(*node));
}

Result<Limits> read_limits(TableReader& top) {
  Limits limits;
  const toml::node* node = top.take("limits");
  if (node == nullptr) return limits;
  const auto* table = node->as_table();
  if (table == nullptr)
    return top.error_at(node, "limits must be a table, got " + describe_node(*node));
  TableReader reader(*table, top.source(), "[limits]");
  THEATER_ASSIGN_OR_RETURN(auto init_ms,
                           reader.optional_number("init_timeout_ms", 1, kMaxCallTimeoutMs));
  THEATER_ASSIGN_OR_RETURN(auto call_ms,
                           reader.optional_number("call_timeout_ms", 1, kMaxCallTimeoutMs));
  THEATER_ASSIGN_OR_RETURN(limits.memory_limit_mb,
                           reader.optional_number("memory_limit_mb", 1, kMaxMemoryLimitMb));
  if (init_ms) limits.init_timeout = std::chrono::milliseconds(*init_ms);
  if (call_ms) limits.call_timeout = std::chrono::milliseconds(*call_ms);
  THEATER_RETURN_IF_ERROR(reader.reject_unknown_keys());
  return limits;
}

Status read_identity(TableReader& top, Manifest& manifest) {
  THEATER_ASSIGN_OR_RETURN(manifest.name, top.required_string("name"));
  THEATER_ASSIGN_OR_RETURN(auto version, top.optional_string("version"));
  THEATER_ASSIGN_OR_RETURN(auto description, top.optional_string("description"));
  THEATER_ASSIGN_OR_RETURN(auto long_description, top.optional_string("long_description"));
  THEATER_ASSIGN_OR_RETURN(auto save_chain, top.optional_bool("save_chain"));
  THEATER_ASSIGN_OR_RETURN(auto restart, top.optional_string("restart"));
  if (restart && *restart != "permanent" && *restart != "transient" && *restart != "temporary") {
    return top.error_at(
        top.table().get("restart"),
        "restart must be \"permanent\", \"transient\" or \"temporary\", got \"" + *restart + "\"");
  }
  manifest.restart = restart.value_or("");
  manifest.version = version.value_or("");
  manifest.description = description.value_or("");
  manifest.long_description = long_description.value_or("");
  manifest.save_chain = save_chain.value_or(false);
  return ok_status();
}

Status read_handler_sections(TableReader& top, const std::shared_ptr<const toml::table>& document,
                             Manifest& manifest) {
  if (const toml::node* handlers = top.take("handler")) {
    THEATER_ASSIGN_OR_RETURN(manifest.handlers,
                             read_handler_entries(*handlers, top.source(), document));
  }
  if (const toml::node* policy = top.take("permission_policy")) {
    THEATER_ASSIGN_OR_RETURN(manifest.permission_policy,
                             read_permission_policy(*policy, top.source(), document));
  }
  return ok_status();
}

Result<Manifest> checked(Result<Manifest> manifest, const HandlerSchemas& schemas) {
  if (!manifest.ok()) return manifest;
  THEATER_RETURN_IF_ERROR(check_handler_tables(*manifest, schemas));
  return manifest;
}

}  // namespace

const HandlerEntry* Manifest::find_handler(std::string_view type) const {
  for (const HandlerEntry& entry : handlers) {
    if (entry.type == type) return &entry;
  }
  return nullptr;
}

const PolicyEntry* Manifest::find_policy(std::string_view type) const {
  auto found = permission_policy.find(type);
  return found == permission_policy.end() ? nullptr : &found->second;
}

Result<Manifest> parse_manifest_string(std::string_view toml, const std::filesystem::path& base_dir,
                                       std::string source_name) {
  THEATER_ASSIGN_OR_RETURN(toml::table parsed, parse_toml(toml, source_name));
  // Shared with the handler tables the manifest keeps (RawTable).
  auto document = std::make_shared<const toml::table>(std::move(parsed));
  const toml::table& table = *document;
  Manifest manifest;
  manifest.source = std::move(source_name);
  manifest.text = std::string(toml);
  std::error_code no_cwd;  // only matters when base_dir is relative
  manifest.base_dir = canonical_path(base_dir, std::filesystem::current_path(no_cwd));
  const std::filesystem::path dir = manifest.base_dir;

  TableReader top(table, manifest.source, "");
  THEATER_RETURN_IF_ERROR(read_identity(top, manifest));
  THEATER_ASSIGN_OR_RETURN(manifest.component, read_component(top, dir));
  THEATER_ASSIGN_OR_RETURN(manifest.init_state_json, read_init_state(top, dir, manifest));
  THEATER_ASSIGN_OR_RETURN(manifest.limits, read_limits(top));
  THEATER_RETURN_IF_ERROR(read_handler_sections(top, document, manifest));
  THEATER_RETURN_IF_ERROR(top.reject_unknown_keys());
  return manifest;
}

Result<Manifest> parse_manifest_file(const std::filesystem::path& path) {
  Result<std::string> text = read_file(path, kMaxManifestBytes);
  if (!text.ok()) return make_error(text.error().code, "manifest " + text.error().message);
  std::error_code no_cwd;  // only matters when path is relative
  const std::filesystem::path folder = std::filesystem::absolute(path, no_cwd).parent_path();
  return parse_manifest_string(*text, folder, path.string());
}

Result<Manifest> parse_manifest_string(std::string_view toml, const std::filesystem::path& base_dir,
                                       const HandlerSchemas& schemas, std::string source_name) {
  return checked(parse_manifest_string(toml, base_dir, std::move(source_name)), schemas);
}

Result<Manifest> parse_manifest_file(const std::filesystem::path& path,
                                     const HandlerSchemas& schemas) {
  return checked(parse_manifest_file(path), schemas);
}

Result<Manifest> parse_manifest_reference(std::string_view path_or_toml,
                                          const std::filesystem::path& base_dir,
                                          const HandlerSchemas& schemas) {
  return checked(parse_manifest_reference(path_or_toml, base_dir), schemas);
}

Result<Manifest> parse_manifest_reference(std::string_view path_or_toml,
                                          const std::filesystem::path& base_dir) {
  if (path_or_toml.find_first_of("\n=") != std::string_view::npos) {
    return parse_manifest_string(path_or_toml, base_dir);
  }
  std::filesystem::path path(path_or_toml);
  return parse_manifest_file(path.is_absolute() ? path : base_dir / path);
}

}  // namespace theater::config
