// [[handler]] entries: their permission keys (driven by grant_schema) and
// their settings (handler_settings.h).
#include <algorithm>
#include <limits>

#include "config/grant_schema.h"
#include "config/location.h"
#include "config/manifest_parse.h"
#include "config/paths.h"

namespace theater::config {

namespace {

constexpr std::uint64_t kMaxKillGraceMs = 600'000;

// Turns the strings of a list key into an AllowList: "*" alone means
// everything, names are checked, paths made canonical.
Result<AllowList> to_allow_list(const TableReader& reader, const toml::node& node,
                                const GrantKey& key, const std::vector<std::string>& entries,
                                const std::filesystem::path& base_dir) {
  const Matching matching = matching_of(key.kind);
  const std::string key_name(key.name);
  if (std::find(entries.begin(), entries.end(), "*") != entries.end()) {
    if (entries.size() != 1) {
      return reader.error_at(&node, "\"*\" must be the only entry of " + key_name);
    }
    return AllowList::everything(matching);
  }
  std::vector<std::string> values;
  for (const std::string& entry : entries) {
    switch (key.kind) {
      case GrantKind::kNames:
        if (entry.find('=') != std::string::npos) {
          return reader.error_at(&node,
                                 key_name + " entry \"" + entry + "\" is not a variable name");
        }
        values.push_back(entry);
        break;
      case GrantKind::kPrograms:
        // A bare name would depend on a PATH, which differs between the host
        // and each spawn; a permission must name one file.
        if (entry.find('/') == std::string::npos) {
          return reader.error_at(&node, key_name + " entry \"" + entry +
                                            "\" must be a path (e.g. \"/usr/bin/" + entry +
                                            "\"); bare program names are not looked up");
        }
        values.push_back(canonical_path(entry, base_dir));
        break;
      default:
        values.push_back(canonical_path(entry, base_dir));
        break;
    }
  }
  return AllowList::of(matching, std::move(values));
}

Result<GrantValue> read_grant_value(TableReader& reader, const GrantKey& key,
                                    const std::filesystem::path& base_dir, const toml::node& node) {
  if (is_list(key.kind)) {
    THEATER_ASSIGN_OR_RETURN(auto entries, reader.optional_string_list(key.name));
    THEATER_ASSIGN_OR_RETURN(AllowList list, to_allow_list(reader, node, key, *entries, base_dir));
    return GrantValue(std::move(list));
  }
  THEATER_ASSIGN_OR_RETURN(auto number,
                           reader.optional_number(key.name, key.min_value, key.max_value));
  return GrantValue(*number);
}

// A configured directory (process cwd, filesystem path) must be usable: it
// lies inside allowed_paths, or becomes allowed_paths when that is absent.
Result<std::string> read_anchored_directory(TableReader& reader, std::string_view key,
                                            const std::filesystem::path& base_dir,
                                            GrantRequest& request) {
  const toml::node* node = reader.table().get(key);
  THEATER_ASSIGN_OR_RETURN(std::optional<std::string> text, reader.optional_string(key));
  std::string directory = canonical_path(*text, base_dir);
  auto allowed = request.values.find("allowed_paths");
  if (allowed == request.values.end()) {
    request.values.emplace(
        "allowed_paths",
        RequestedValue{AllowList::of(Matching::kPathPrefix, {directory}), line_of(*node)});
    return directory;
  }
  const auto& list = std::get<AllowList>(allowed->second.value);
  if (!list.allows(directory)) {
    return reader.error_at(node, std::string(key) + " " + directory +
                                     " is not inside allowed_paths " + list.to_string());
  }
  return directory;
}

Result<HandlerSettings> read_process_settings(TableReader& reader,
                                              const std::filesystem::path& base_dir,
                                              GrantRequest& request) {
  ProcessSettings settings;
  THEATER_ASSIGN_OR_RETURN(auto grace, reader.optional_number("kill_grace_ms", 0, kMaxKillGraceMs));
  if (grace) settings.kill_grace = std::chrono::milliseconds(*grace);
  if (reader.table().contains("cwd")) {
    THEATER_ASSIGN_OR_RETURN(settings.cwd,
                             read_anchored_directory(reader, "cwd", base_dir, request));
  }
  reader.take("cwd");
  return HandlerSettings(settings);
}

Result<HandlerSettings> read_filesystem_settings(TableReader& reader,
                                                 const std::filesystem::path& base_dir,
                                                 GrantRequest& request) {
  FilesystemSettings settings;
  if (reader.table().contains("path")) {
    THEATER_ASSIGN_OR_RETURN(settings.path,
                             read_anchored_directory(reader, "path", base_dir, request));
  }
  reader.take("path");
  return HandlerSettings(settings);
}

Result<HandlerSettings> read_random_settings(TableReader& reader) {
  RandomSettings settings;
  THEATER_ASSIGN_OR_RETURN(
      settings.seed, reader.optional_number("seed", 0, std::numeric_limits<std::int64_t>::max()));
  return HandlerSettings(settings);
}

// A sleep range that admits no duration is a mistake, not a policy.
Status check_sleep_range(TableReader& reader, const GrantRequest& request) {
  auto min = request.values.find("min_sleep_ms");
  auto max = request.values.find("max_sleep_ms");
  if (min == request.values.end() || max == request.values.end()) return ok_status();
  std::uint64_t low = std::get<std::uint64_t>(min->second.value);
  std::uint64_t high = std::get<std::uint64_t>(max->second.value);
  if (low <= high) return ok_status();
  return reader.error_at(
      reader.table().get("min_sleep_ms"),
      "min_sleep_ms = " + std::to_string(low) + " is above max_sleep_ms = " + std::to_string(high));
}

}  // namespace

Result<GrantRequest> read_grant_request(TableReader& reader, HandlerType type,
                                        const std::filesystem::path& base_dir) {
  GrantRequest request;
  for (const GrantKey& key : grant_keys(type)) {
    const toml::node* node = reader.take(key.name);
    if (node == nullptr) continue;
    THEATER_ASSIGN_OR_RETURN(GrantValue value, read_grant_value(reader, key, base_dir, *node));
    request.values.emplace(std::string(key.name), RequestedValue{std::move(value), line_of(*node)});
  }
  if (type == HandlerType::kTiming) THEATER_RETURN_IF_ERROR(check_sleep_range(reader, request));
  return request;
}

Result<HandlerSettings> read_handler_settings(TableReader& reader, HandlerType type,
                                              const std::filesystem::path& base_dir,
                                              GrantRequest& request) {
  switch (type) {
    case HandlerType::kProcess:
      return read_process_settings(reader, base_dir, request);
    case HandlerType::kFilesystem:
      return read_filesystem_settings(reader, base_dir, request);
    case HandlerType::kRandom:
      return read_random_settings(reader);
    default:
      return HandlerSettings();
  }
}

Result<std::vector<HandlerEntry>> read_handler_entries(const toml::node& node,
                                                       std::string_view source,
                                                       const std::filesystem::path& base_dir) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    return config_error(
        ErrorCode::kInvalidArgument, source, line_of(node),
        "handler must be an array of tables ([[handler]]), got " + describe_node(node));
  }
  std::vector<HandlerEntry> entries;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string context = "[[handler]] #" + std::to_string(i + 1);
    const auto* table = (*array)[i].as_table();
    if (table == nullptr) {
      return config_error(ErrorCode::kInvalidArgument, source, line_of((*array)[i]),
                          context + ": must be a table, got " + describe_node((*array)[i]));
    }
    TableReader type_reader(*table, source, context);
    THEATER_ASSIGN_OR_RETURN(std::string type_name, type_reader.required_string("type"));
    std::optional<HandlerType> type = handler_type_from_string(type_name);
    if (!type) {
      return type_reader.error_at(
          table->get("type"),
          "unknown handler type \"" + type_name + "\" (known: " + known_handler_types() + ")");
    }
    for (const HandlerEntry& earlier : entries) {
      if (earlier.type == *type) {
        return type_reader.error_at(table->get("type"), "duplicate handler type \"" + type_name +
                                                            "\" (first at line " +
                                                            std::to_string(earlier.line) + ")");
      }
    }
    TableReader reader(*table, source, context + " (" + type_name + ")");
    reader.take("type");
    HandlerEntry entry{*type, {}, {}, line_of(*table)};
    THEATER_ASSIGN_OR_RETURN(entry.request, read_grant_request(reader, *type, base_dir));
    THEATER_ASSIGN_OR_RETURN(entry.settings,
                             read_handler_settings(reader, *type, base_dir, entry.request));
    THEATER_RETURN_IF_ERROR(reader.reject_unknown_keys());
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace theater::config
