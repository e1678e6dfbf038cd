// Permission keys of one manifest table (a [[handler]] entry or a restrict
// policy), read against the handler's schema.
#include <algorithm>

#include "config/location.h"
#include "config/manifest_parse.h"
#include "config/paths.h"

namespace theater::config {

namespace {

// Turns the strings of a list key into an AllowList: "*" alone means
// everything, names are checked, paths made canonical.
Result<AllowList> to_allow_list(const TableReader& reader, const toml::node& node,
                                const GrantKey& key, const std::vector<std::string>& entries,
                                const std::filesystem::path& base_dir) {
  const Matching matching = matching_of(key.kind);
  if (std::find(entries.begin(), entries.end(), "*") != entries.end()) {
    if (entries.size() != 1) {
      return reader.error_at(&node, "\"*\" must be the only entry of " + key.name);
    }
    return AllowList::everything(matching);
  }
  std::vector<std::string> values;
  for (const std::string& entry : entries) {
    switch (key.kind) {
      case GrantKind::kNames:
        if (entry.find('=') != std::string::npos) {
          return reader.error_at(&node,
                                 key.name + " entry \"" + entry + "\" is not a variable name");
        }
        values.push_back(entry);
        break;
      case GrantKind::kPrograms:
        // A bare name would depend on a PATH, which differs between the host
        // and each spawn; a permission must name one file.
        if (entry.find('/') == std::string::npos) {
          return reader.error_at(&node, key.name + " entry \"" + entry +
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
  // A bound of range [0, 1] is a flag (store read_only): `true` reads as 1.
  if (const auto* flag = node.as_boolean(); flag != nullptr && key.max_value == 1) {
    return GrantValue(static_cast<std::uint64_t>(flag->get() ? 1 : 0));
  }
  THEATER_ASSIGN_OR_RETURN(auto number,
                           reader.optional_number(key.name, key.min_value, key.max_value));
  return GrantValue(*number);
}

// A range that admits no value (min_sleep_ms above max_sleep_ms) is a
// mistake, not a policy.
Status check_order(TableReader& reader, const GrantRequest& request, const OrderedKeys& keys) {
  auto low = request.values.find(keys.low);
  auto high = request.values.find(keys.high);
  if (low == request.values.end() || high == request.values.end()) return ok_status();
  const std::uint64_t low_value = std::get<std::uint64_t>(low->second.value);
  const std::uint64_t high_value = std::get<std::uint64_t>(high->second.value);
  if (low_value <= high_value) return ok_status();
  return reader.error_at(reader.table().get(keys.low),
                         keys.low + " = " + std::to_string(low_value) + " is above " + keys.high +
                             " = " + std::to_string(high_value));
}

}  // namespace

Result<GrantRequest> read_grant_request(TableReader& reader, const HandlerSchema& schema,
                                        const std::filesystem::path& base_dir) {
  GrantRequest request;
  for (const GrantKey& key : schema.grant_keys) {
    const toml::node* node = reader.take(key.name);
    if (node == nullptr) continue;
    THEATER_ASSIGN_OR_RETURN(GrantValue value, read_grant_value(reader, key, base_dir, *node));
    request.values.emplace(key.name, RequestedValue{std::move(value), line_of(*node)});
  }
  for (const OrderedKeys& keys : schema.ordered_keys) {
    THEATER_RETURN_IF_ERROR(check_order(reader, request, keys));
  }
  return request;
}

}  // namespace theater::config
