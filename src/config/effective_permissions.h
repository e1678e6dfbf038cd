// EffectivePermissions: what one actor may actually do, per handler.
//
// The root (what the runtime hands a top-level actor's parent) grants every
// handler without limit. For a child, per handler:
//   1. the ceiling is the parent's grant put through the child's
//      permission_policy: inherit (the default) keeps it, restrict narrows it
//      (lists intersected, limits lowered, paths kept only inside the
//      parent's), disallow removes the handler;
//   2. the child's own [[handler]] keys must fit inside the ceiling, or
//      the grant fails naming the handler, key, value and line;
//   3. the child gets the ceiling narrowed by its own keys, keys it left out
//      taking their defaults (lists: nothing; numbers: the default, lowered to
//      fit). So a child never holds more than it asked for, and never more
//      than its parent: grandchildren cannot be granted what the child lacks.
// A handler the ceiling grants is granted even without a [[handler]] entry
// (with default values); a handler whose schema is always_granted always is.
//
// The rule is the same for every handler and driven by its schema: an
// EffectivePermissions holds the manifests from the root down to the actor,
// and grant(schema) applies the rule to them for that handler. Handlers ask
// for their own grant with their own schema.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "common/result.h"
#include "config/grants.h"
#include "config/handler_schema.h"
#include "config/manifest.h"

namespace theater::config {

class EffectivePermissions {
 public:
  // Every handler, every key at its widest.
  static EffectivePermissions root();

  // The child's permissions under `parent` (see above), checked for every
  // handler of `schemas` and for the child's handler tables
  // (check_handler_tables). Errors name the child's manifest, line, handler
  // and key; exceeding or lacking a grant is kPermissionDenied.
  static Result<EffectivePermissions> for_child(const EffectivePermissions& parent,
                                                const Manifest& child,
                                                const HandlerSchemas& schemas);
  // The same without schemas: nothing is checked until a handler asks for
  // its grant.
  static Result<EffectivePermissions> for_child(const EffectivePermissions& parent,
                                                const Manifest& child);

  // The handler's grant; nullopt when it is not granted. An error when a
  // manifest of the chain does not fit (only possible when for_child was not
  // given the handler's schema).
  [[nodiscard]] Result<std::optional<HandlerGrant>> grant(const HandlerSchema& schema) const;
  // Whether grant(schema) is a grant.
  [[nodiscard]] bool grants(const HandlerSchema& schema) const;

 private:
  // Root first; empty for the root itself.
  std::vector<std::shared_ptr<const Manifest>> lineage_;
};

}  // namespace theater::config
