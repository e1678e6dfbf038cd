#include "config/effective_permissions.h"

#include "config/location.h"

namespace theater::config {

namespace {

// The parent's grant of `type` after the child's policy; nullopt = not granted.
std::optional<HandlerGrant> ceiling_for(const EffectivePermissions& parent,
                                        const PolicyEntry& policy, HandlerType type) {
  const HandlerGrant* parent_grant = parent.grant(type);
  if (parent_grant == nullptr || policy.kind == PolicyKind::kDisallow) return std::nullopt;
  if (policy.kind == PolicyKind::kRestrict) return narrow(*parent_grant, policy.restriction);
  return *parent_grant;
}

std::string ceiling_owner(const PolicyEntry& policy, HandlerType type) {
  if (policy.kind != PolicyKind::kRestrict) return "the parent";
  return std::string("the parent and permission_policy.") + to_string(type);
}

Error not_granted(const Manifest& child, const HandlerEntry& entry, const PolicyEntry& policy) {
  std::string why =
      policy.kind == PolicyKind::kDisallow
          ? std::string("permission_policy.") + to_string(entry.type) + " disallows it"
          : std::string("the parent does not grant it");
  return config_error(
      ErrorCode::kPermissionDenied, child.source, entry.line,
      std::string("handler ") + to_string(entry.type) + " is not granted (" + why + ")");
}

}  // namespace

EffectivePermissions EffectivePermissions::root() {
  EffectivePermissions root;
  for (HandlerType type : kAllHandlerTypes) root.grants_.emplace(type, unlimited_grant(type));
  return root;
}

Result<EffectivePermissions> EffectivePermissions::for_child(const EffectivePermissions& parent,
                                                             const Manifest& child) {
  EffectivePermissions result;
  result.grants_.emplace(HandlerType::kRuntime, unlimited_grant(HandlerType::kRuntime));
  for (HandlerType type : kAllHandlerTypes) {
    if (type == HandlerType::kRuntime) continue;
    const PolicyEntry policy = child.policy_for(type);
    const HandlerEntry* entry = child.find_handler(type);
    std::optional<HandlerGrant> ceiling = ceiling_for(parent, policy, type);
    if (!ceiling) {
      if (entry != nullptr) return not_granted(child, *entry, policy);
      continue;
    }
    GrantRequest asked = entry != nullptr ? entry->request : GrantRequest{};
    THEATER_RETURN_IF_ERROR(
        check_within(*ceiling, asked, child.source, ceiling_owner(policy, type)));
    result.grants_.emplace(type, narrow(*ceiling, with_defaults(*ceiling, std::move(asked))));
  }
  return result;
}

const HandlerGrant* EffectivePermissions::grant(HandlerType type) const {
  auto found = grants_.find(type);
  return found == grants_.end() ? nullptr : &found->second;
}

std::vector<HandlerType> EffectivePermissions::granted_types() const {
  std::vector<HandlerType> types;
  for (const auto& [type, grant] : grants_) types.push_back(type);
  return types;
}

template <class View>
std::optional<View> EffectivePermissions::view(HandlerType type) const {
  const HandlerGrant* found = grant(type);
  if (found == nullptr) return std::nullopt;
  return View(*found);
}

std::optional<ProcessPermissions> EffectivePermissions::process() const {
  return view<ProcessPermissions>(HandlerType::kProcess);
}
std::optional<EnvironmentPermissions> EffectivePermissions::environment() const {
  return view<EnvironmentPermissions>(HandlerType::kEnvironment);
}
std::optional<FilesystemPermissions> EffectivePermissions::filesystem() const {
  return view<FilesystemPermissions>(HandlerType::kFilesystem);
}
std::optional<TimingPermissions> EffectivePermissions::timing() const {
  return view<TimingPermissions>(HandlerType::kTiming);
}
std::optional<RandomPermissions> EffectivePermissions::random() const {
  return view<RandomPermissions>(HandlerType::kRandom);
}
std::optional<MessageServerPermissions> EffectivePermissions::message_server() const {
  return view<MessageServerPermissions>(HandlerType::kMessageServer);
}
std::optional<SupervisorPermissions> EffectivePermissions::supervisor() const {
  return view<SupervisorPermissions>(HandlerType::kSupervisor);
}

}  // namespace theater::config
