// [[handler]] entries: their shape when the manifest is parsed, and their
// keys read against the handler's schema (permission keys, then settings).
#include "config/handler_config.h"
#include "config/location.h"
#include "config/manifest_parse.h"
#include "config/paths.h"
#include "config/raw_table.h"

namespace theater::config {

namespace {

// A configured directory (process cwd) must be usable: it lies inside its
// list permission key, or becomes that key when the entry left it out.
Result<std::string> read_directory_within(TableReader& reader, const SettingKey& key,
                                          const std::string& directory, GrantRequest& request) {
  const toml::node* node = reader.table().get(key.name);
  auto allowed = request.values.find(key.within_grant);
  if (allowed == request.values.end()) {
    request.values.emplace(
        key.within_grant,
        RequestedValue{AllowList::of(Matching::kPathPrefix, {directory}), line_of(*node)});
    return directory;
  }
  const auto& list = std::get<AllowList>(allowed->second.value);
  if (!list.allows(directory)) {
    return reader.error_at(node, key.name + " " + directory + " is not inside " + key.within_grant +
                                     " " + list.to_string());
  }
  return directory;
}

// The value of one setting key, or nullopt when the table does not have it.
Result<std::optional<SettingValue>> read_setting(TableReader& reader, const SettingKey& key,
                                                 const std::filesystem::path& base_dir,
                                                 GrantRequest& request) {
  using Read = std::optional<SettingValue>;
  switch (key.kind) {
    case SettingKind::kBool: {
      THEATER_ASSIGN_OR_RETURN(auto flag, reader.optional_bool(key.name));
      return flag ? Read(*flag) : Read();
    }
    case SettingKind::kInteger:
    case SettingKind::kDurationMs: {
      THEATER_ASSIGN_OR_RETURN(auto number,
                               reader.optional_number(key.name, key.min_value, key.max_value));
      return number ? Read(*number) : Read();
    }
    case SettingKind::kStringList: {
      THEATER_ASSIGN_OR_RETURN(auto list, reader.optional_string_list(key.name));
      return list ? Read(std::move(*list)) : Read();
    }
    case SettingKind::kString: {
      THEATER_ASSIGN_OR_RETURN(auto text, reader.optional_string(key.name));
      return text ? Read(std::move(*text)) : Read();
    }
    case SettingKind::kPath: {
      THEATER_ASSIGN_OR_RETURN(auto text, reader.optional_string(key.name));
      if (!text) return Read();
      std::string path = canonical_path(*text, base_dir);
      if (key.within_grant.empty()) return Read(std::move(path));
      THEATER_ASSIGN_OR_RETURN(path, read_directory_within(reader, key, path, request));
      return Read(std::move(path));
    }
  }
  return Read();
}

Result<SettingValues> read_settings(TableReader& reader, const HandlerSchema& schema,
                                    const std::filesystem::path& base_dir, GrantRequest& request) {
  SettingValues settings(schema.type);
  for (const SettingKey& key : schema.setting_keys) {
    THEATER_ASSIGN_OR_RETURN(std::optional<SettingValue> value,
                             read_setting(reader, key, base_dir, request));
    if (!value) value = key.default_value;
    if (value) settings.set(key.name, std::move(*value));
  }
  return settings;
}

SettingValues default_settings(const HandlerSchema& schema) {
  SettingValues settings(schema.type);
  for (const SettingKey& key : schema.setting_keys) {
    if (key.default_value) settings.set(key.name, *key.default_value);
  }
  return settings;
}

}  // namespace

Result<HandlerConfig> read_handler_config(const Manifest& manifest, const HandlerSchema& schema) {
  const HandlerEntry* entry = manifest.find_handler(schema.type);
  if (entry == nullptr) return HandlerConfig{{}, default_settings(schema)};
  const RawTable& raw = *entry->table;
  TableReader reader(*raw.table, manifest.source, raw.context + " (" + schema.type + ")");
  reader.take("type");
  const std::filesystem::path base_dir = manifest.base_dir;
  HandlerConfig config;
  THEATER_ASSIGN_OR_RETURN(config.request, read_grant_request(reader, schema, base_dir));
  THEATER_ASSIGN_OR_RETURN(config.settings,
                           read_settings(reader, schema, base_dir, config.request));
  THEATER_RETURN_IF_ERROR(reader.reject_unknown_keys());
  return config;
}

Result<std::vector<HandlerEntry>> read_handler_entries(
    const toml::node& node, std::string_view source,
    const std::shared_ptr<const toml::table>& document) {
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
    THEATER_ASSIGN_OR_RETURN(std::string type, type_reader.required_string("type"));
    for (const HandlerEntry& earlier : entries) {
      if (earlier.type == type) {
        return type_reader.error_at(table->get("type"), "duplicate handler type \"" + type +
                                                            "\" (first at line " +
                                                            std::to_string(earlier.line) + ")");
      }
    }
    auto raw = std::make_shared<const RawTable>(RawTable{document, table, context});
    entries.push_back(HandlerEntry{std::move(type), line_of(*table), std::move(raw)});
  }
  return entries;
}

}  // namespace theater::config
