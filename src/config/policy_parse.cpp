// The permission_policy table: how each handler's permission derives from the
// parent's (see effective_permissions.h for the computation).
#include "config/grant_schema.h"
#include "config/location.h"
#include "config/manifest_parse.h"

namespace theater::config {

namespace {

std::optional<PolicyKind> policy_kind_from_string(std::string_view name) {
  for (PolicyKind kind : {PolicyKind::kInherit, PolicyKind::kRestrict, PolicyKind::kDisallow}) {
    if (name == to_string(kind)) return kind;
  }
  return std::nullopt;
}

// inherit and disallow take no permission keys; say so rather than calling
// a perfectly good key unknown.
Status reject_keys_without_restrict(const TableReader& reader, HandlerType type, PolicyKind kind) {
  for (const auto& [key, node] : reader.table()) {
    if (key.str() == "type" || find_grant_key(type, key.str()) == nullptr) continue;
    return reader.error_at(&node, std::string(key.str()) +
                                      " is only allowed with type = \"restrict\"" +
                                      " (this policy is \"" + to_string(kind) + "\")");
  }
  return reader.reject_unknown_keys();
}

Result<PolicyEntry> read_policy_entry(TableReader& reader, HandlerType type,
                                      const std::filesystem::path& base_dir) {
  THEATER_ASSIGN_OR_RETURN(std::string kind_name, reader.required_string("type"));
  std::optional<PolicyKind> kind = policy_kind_from_string(kind_name);
  if (!kind) {
    return reader.error_at(
        reader.table().get("type"),
        "type must be \"inherit\", \"restrict\" or \"disallow\", got \"" + kind_name + "\"");
  }
  PolicyEntry entry{*kind, {}, reader.table_line()};
  if (*kind != PolicyKind::kRestrict) {
    THEATER_RETURN_IF_ERROR(reject_keys_without_restrict(reader, type, *kind));
    return entry;
  }
  THEATER_ASSIGN_OR_RETURN(entry.restriction, read_grant_request(reader, type, base_dir));
  THEATER_RETURN_IF_ERROR(reader.reject_unknown_keys());
  return entry;
}

}  // namespace

const char* to_string(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kInherit:
      return "inherit";
    case PolicyKind::kRestrict:
      return "restrict";
    case PolicyKind::kDisallow:
      return "disallow";
  }
  return "unknown";
}

Result<std::map<HandlerType, PolicyEntry>> read_permission_policy(
    const toml::node& node, std::string_view source, const std::filesystem::path& base_dir) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    return config_error(ErrorCode::kInvalidArgument, source, line_of(node),
                        "permission_policy must be a table, got " + describe_node(node));
  }
  std::map<HandlerType, PolicyEntry> policies;
  for (const auto& [key, value] : *table) {
    const std::string context = "permission_policy." + std::string(key.str());
    const int line = static_cast<int>(key.source().begin.line);
    std::optional<HandlerType> type = handler_type_from_string(key.str());
    if (!type) {
      return config_error(ErrorCode::kInvalidArgument, source, line,
                          context + ": unknown handler type \"" + std::string(key.str()) +
                              "\" (known: " + known_handler_types() + ")");
    }
    if (*type == HandlerType::kRuntime) {
      return config_error(ErrorCode::kInvalidArgument, source, line,
                          context + ": the runtime handler is always granted; remove this policy");
    }
    const auto* policy_table = value.as_table();
    if (policy_table == nullptr) {
      return config_error(ErrorCode::kInvalidArgument, source, line,
                          context + " must be a table, got " + describe_node(value));
    }
    TableReader reader(*policy_table, source, context);
    THEATER_ASSIGN_OR_RETURN(PolicyEntry entry, read_policy_entry(reader, *type, base_dir));
    policies.emplace(*type, std::move(entry));
  }
  return policies;
}

}  // namespace theater::config
