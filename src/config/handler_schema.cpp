#include "config/handler_schema.h"

#include <algorithm>

namespace theater::config {

namespace {

template <class Key>
const Key* find_by_name(const std::vector<Key>& keys, std::string_view name) {
  auto found =
      std::find_if(keys.begin(), keys.end(), [&](const Key& key) { return key.name == name; });
  return found == keys.end() ? nullptr : &*found;
}

}  // namespace

bool is_list(GrantKind kind) {
  return kind == GrantKind::kNames || kind == GrantKind::kPrograms ||
         kind == GrantKind::kDirectories;
}

Matching matching_of(GrantKind kind) {
  return kind == GrantKind::kDirectories ? Matching::kPathPrefix : Matching::kExactName;
}

GrantKey GrantKey::list(std::string name, GrantKind kind) {
  GrantKey key;
  key.name = std::move(name);
  key.kind = kind;
  return key;
}

GrantKey GrantKey::upper_bound(std::string name, std::uint64_t default_value,
                               std::uint64_t min_value, std::uint64_t max_value) {
  GrantKey key = list(std::move(name), GrantKind::kUpperBound);
  key.default_value = default_value;
  key.min_value = min_value;
  key.max_value = max_value;
  return key;
}

GrantKey GrantKey::lower_bound(std::string name, std::uint64_t default_value,
                               std::uint64_t min_value, std::uint64_t max_value) {
  GrantKey key = upper_bound(std::move(name), default_value, min_value, max_value);
  key.kind = GrantKind::kLowerBound;
  return key;
}

SettingKey SettingKey::text(std::string name) {
  SettingKey key;
  key.name = std::move(name);
  return key;
}

SettingKey SettingKey::path(std::string name) {
  SettingKey key = text(std::move(name));
  key.kind = SettingKind::kPath;
  return key;
}

SettingKey SettingKey::directory_within(std::string name, std::string grant_key) {
  SettingKey key = path(std::move(name));
  key.within_grant = std::move(grant_key);
  return key;
}

SettingKey SettingKey::integer(std::string name, std::uint64_t min_value, std::uint64_t max_value,
                               std::optional<std::uint64_t> default_value) {
  SettingKey key = text(std::move(name));
  key.kind = SettingKind::kInteger;
  key.min_value = min_value;
  key.max_value = max_value;
  if (default_value) key.default_value = *default_value;
  return key;
}

SettingKey SettingKey::duration_ms(std::string name, std::uint64_t default_value,
                                   std::uint64_t min_value, std::uint64_t max_value) {
  SettingKey key = integer(std::move(name), min_value, max_value, default_value);
  key.kind = SettingKind::kDurationMs;
  return key;
}

SettingKey SettingKey::flag(std::string name, std::optional<bool> default_value) {
  SettingKey key = text(std::move(name));
  key.kind = SettingKind::kBool;
  if (default_value) key.default_value = *default_value;
  return key;
}

SettingKey SettingKey::text_list(std::string name) {
  SettingKey key = text(std::move(name));
  key.kind = SettingKind::kStringList;
  return key;
}

HandlerSchema HandlerSchema::without_keys(std::string type, bool always_granted) {
  HandlerSchema schema;
  schema.type = std::move(type);
  schema.always_granted = always_granted;
  return schema;
}

const GrantKey* HandlerSchema::find_grant_key(std::string_view name) const {
  return find_by_name(grant_keys, name);
}

const SettingKey* HandlerSchema::find_setting_key(std::string_view name) const {
  return find_by_name(setting_keys, name);
}

Status HandlerSchemas::add(HandlerSchema schema) {
  if (find(schema.type) != nullptr) {
    return make_error(ErrorCode::kInvalidArgument,
                      "handler type \"" + schema.type + "\" has two schemas");
  }
  schemas_.push_back(std::move(schema));
  return ok_status();
}

const HandlerSchema* HandlerSchemas::find(std::string_view type) const {
  auto found = std::find_if(schemas_.begin(), schemas_.end(),
                            [&](const HandlerSchema& schema) { return schema.type == type; });
  return found == schemas_.end() ? nullptr : &*found;
}

std::string HandlerSchemas::known_types() const {
  std::string names;
  for (const HandlerSchema& schema : schemas_) {
    if (!names.empty()) names += ", ";
    names += schema.type;
  }
  return names.empty() ? "none" : names;
}

}  // namespace theater::config
