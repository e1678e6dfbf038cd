#include "config/effective_permissions.h"

#include "config/handler_config.h"
#include "config/location.h"

namespace theater::config {

namespace {

// The parent's grant after the child's policy; nullopt = not granted.
std::optional<HandlerGrant> ceiling_for(const HandlerSchema& schema,
                                        const std::optional<HandlerGrant>& parent_grant,
                                        const Policy& policy) {
  if (!parent_grant || policy.kind == PolicyKind::kDisallow) return std::nullopt;
  if (policy.kind == PolicyKind::kRestrict) {
    return narrow(schema, *parent_grant, policy.restriction);
  }
  return parent_grant;
}

std::string ceiling_owner(const Policy& policy, const HandlerSchema& schema) {
  if (policy.kind != PolicyKind::kRestrict) return "the parent";
  return "the parent and permission_policy." + schema.type;
}

Error not_granted(const Manifest& child, const HandlerEntry& entry, const Policy& policy) {
  std::string why = policy.kind == PolicyKind::kDisallow
                        ? "permission_policy." + entry.type + " disallows it"
                        : std::string("the parent does not grant it");
  return config_error(ErrorCode::kPermissionDenied, child.source, entry.line,
                      "handler " + entry.type + " is not granted (" + why + ")");
}

// One step down the chain: what `child` gets of a handler its parent holds
// as `parent_grant`.
Result<std::optional<HandlerGrant>> child_grant(const HandlerSchema& schema,
                                                const std::optional<HandlerGrant>& parent_grant,
                                                const Manifest& child) {
  THEATER_ASSIGN_OR_RETURN(Policy policy, read_policy(child, schema));
  const HandlerEntry* entry = child.find_handler(schema.type);
  std::optional<HandlerGrant> ceiling = ceiling_for(schema, parent_grant, policy);
  if (!ceiling) {
    if (entry != nullptr) return not_granted(child, *entry, policy);
    return std::optional<HandlerGrant>();
  }
  THEATER_ASSIGN_OR_RETURN(HandlerConfig asked, read_handler_config(child, schema));
  THEATER_RETURN_IF_ERROR(
      check_within(schema, *ceiling, asked.request, child.source, ceiling_owner(policy, schema)));
  return std::optional<HandlerGrant>(
      narrow(schema, *ceiling, with_defaults(schema, *ceiling, std::move(asked.request))));
}

}  // namespace

EffectivePermissions EffectivePermissions::root() {
  return EffectivePermissions();
}

Result<EffectivePermissions> EffectivePermissions::for_child(const EffectivePermissions& parent,
                                                             const Manifest& child) {
  EffectivePermissions result = parent;
  result.lineage_.push_back(std::make_shared<const Manifest>(child));
  return result;
}

Result<EffectivePermissions> EffectivePermissions::for_child(const EffectivePermissions& parent,
                                                             const Manifest& child,
                                                             const HandlerSchemas& schemas) {
  THEATER_RETURN_IF_ERROR(check_handler_tables(child, schemas));
  THEATER_ASSIGN_OR_RETURN(EffectivePermissions result, for_child(parent, child));
  for (const HandlerSchema& schema : schemas.all()) {
    THEATER_RETURN_IF_ERROR(result.grant(schema));
  }
  return result;
}

Result<std::optional<HandlerGrant>> EffectivePermissions::grant(const HandlerSchema& schema) const {
  std::optional<HandlerGrant> held = unlimited_grant(schema);
  if (schema.always_granted) return held;
  for (const auto& manifest : lineage_) {
    THEATER_ASSIGN_OR_RETURN(held, child_grant(schema, held, *manifest));
  }
  return held;
}

bool EffectivePermissions::grants(const HandlerSchema& schema) const {
  Result<std::optional<HandlerGrant>> found = grant(schema);
  return found.ok() && found->has_value();
}

}  // namespace theater::config
