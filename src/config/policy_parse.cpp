// The permission_policy table: how each handler's permission derives from the
// parent's (see effective_permissions.h for the computation). Its shape is
// checked when the manifest is parsed, its keys against the handler's schema.
#include "config/handler_config.h"
#include "config/location.h"
#include "config/manifest_parse.h"
#include "config/raw_table.h"

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
Status reject_keys_without_restrict(TableReader& reader, const HandlerSchema& schema,
                                    PolicyKind kind) {
  for (const auto& [key, node] : reader.table()) {
    if (key.str() == "type" || schema.find_grant_key(key.str()) == nullptr) continue;
    return reader.error_at(&node, std::string(key.str()) +
                                      " is only allowed with type = \"restrict\"" +
                                      " (this policy is \"" + to_string(kind) + "\")");
  }
  return reader.reject_unknown_keys();
}

Result<PolicyKind> read_policy_kind(TableReader& reader) {
  THEATER_ASSIGN_OR_RETURN(std::string kind_name, reader.required_string("type"));
  std::optional<PolicyKind> kind = policy_kind_from_string(kind_name);
  if (!kind) {
    return reader.error_at(
        reader.table().get("type"),
        "type must be \"inherit\", \"restrict\" or \"disallow\", got \"" + kind_name + "\"");
  }
  return *kind;
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

Result<Policy> read_policy(const Manifest& manifest, const HandlerSchema& schema) {
  const PolicyEntry* entry = manifest.find_policy(schema.type);
  if (entry == nullptr) return Policy{};
  if (schema.always_granted) {
    return config_error(ErrorCode::kInvalidArgument, manifest.source, entry->line,
                        entry->table->context + ": the " + schema.type +
                            " handler is always granted; remove this policy");
  }
  TableReader reader(*entry->table->table, manifest.source, entry->table->context);
  reader.take("type");
  Policy policy{entry->kind, {}};
  if (entry->kind != PolicyKind::kRestrict) {
    THEATER_RETURN_IF_ERROR(reject_keys_without_restrict(reader, schema, entry->kind));
    return policy;
  }
  THEATER_ASSIGN_OR_RETURN(policy.restriction,
                           read_grant_request(reader, schema, manifest.base_dir));
  THEATER_RETURN_IF_ERROR(reader.reject_unknown_keys());
  return policy;
}

Result<std::map<std::string, PolicyEntry, std::less<>>> read_permission_policy(
    const toml::node& node, std::string_view source,
    const std::shared_ptr<const toml::table>& document) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    return config_error(ErrorCode::kInvalidArgument, source, line_of(node),
                        "permission_policy must be a table, got " + describe_node(node));
  }
  std::map<std::string, PolicyEntry, std::less<>> policies;
  for (const auto& [key, value] : *table) {
    const std::string context = "permission_policy." + std::string(key.str());
    const int line = static_cast<int>(key.source().begin.line);
    const auto* policy_table = value.as_table();
    if (policy_table == nullptr) {
      return config_error(ErrorCode::kInvalidArgument, source, line,
                          context + " must be a table, got " + describe_node(value));
    }
    TableReader reader(*policy_table, source, context);
    THEATER_ASSIGN_OR_RETURN(PolicyKind kind, read_policy_kind(reader));
    auto raw = std::make_shared<const RawTable>(RawTable{document, policy_table, context});
    policies.emplace(std::string(key.str()), PolicyEntry{kind, line, std::move(raw)});
  }
  return policies;
}

}  // namespace theater::config
