// EffectivePermissions: what one actor may actually do, per handler.
//
// The root (what the runtime hands a top-level actor's parent) grants every
// handler without limit. For a child, per handler:
//   1. the ceiling is the parent's grant put through the child's
//      permission_policy: inherit (the default) keeps it, restrict narrows it
//      (lists intersected, limits lowered, paths kept only inside the
//      parent's), disallow removes the handler;
//   2. the child's own [[handler]] keys must fit inside the ceiling, or
//      for_child fails naming the handler, key, value and line;
//   3. the child gets the ceiling narrowed by its own keys, keys it left out
//      taking their defaults (lists: nothing; numbers: the default, lowered to
//      fit). So a child never holds more than it asked for, and never more
//      than its parent: grandchildren cannot be granted what the child lacks.
// A handler the ceiling grants is granted even without a [[handler]] entry
// (with default values); runtime is always granted.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "common/result.h"
#include "config/grants.h"
#include "config/handler_permissions.h"
#include "config/handler_type.h"
#include "config/manifest.h"

namespace theater::config {

class EffectivePermissions {
 public:
  // Every handler, every key at its widest.
  static EffectivePermissions root();

  // The child's permissions under `parent` (see above). Errors are
  // kPermissionDenied and name the child's manifest, line, handler and key.
  static Result<EffectivePermissions> for_child(const EffectivePermissions& parent,
                                                const Manifest& child);

  [[nodiscard]] bool grants(HandlerType type) const { return grants_.contains(type); }
  // The grant of `type`, or nullptr when not granted.
  [[nodiscard]] const HandlerGrant* grant(HandlerType type) const;
  [[nodiscard]] std::vector<HandlerType> granted_types() const;

  // Typed views for handlers; nullopt when the handler is not granted.
  [[nodiscard]] std::optional<ProcessPermissions> process() const;
  [[nodiscard]] std::optional<EnvironmentPermissions> environment() const;
  [[nodiscard]] std::optional<FilesystemPermissions> filesystem() const;
  [[nodiscard]] std::optional<TimingPermissions> timing() const;
  [[nodiscard]] std::optional<RandomPermissions> random() const;
  [[nodiscard]] std::optional<MessageServerPermissions> message_server() const;
  [[nodiscard]] std::optional<SupervisorPermissions> supervisor() const;

 private:
  template <class View>
  std::optional<View> view(HandlerType type) const;

  std::map<HandlerType, HandlerGrant> grants_;
};

}  // namespace theater::config
