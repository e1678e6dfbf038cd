// The environment handler's part of a manifest: its schema (the keys of
// [[handler]] type = "environment") and the typed view the handler reads.
#pragma once

#include "config/allow_list.h"
#include "config/grants.h"
#include "config/handler_schema.h"

namespace theater::handlers {

// Permission key: allowed_vars (a list of exact names, ["*"] all; a child's
// list is intersected with its parent's). No settings.
const config::HandlerSchema& environment_schema();

struct EnvironmentPermissions {
  config::AllowList allowed_vars;

  static EnvironmentPermissions from(const config::HandlerGrant& grant);
};

}  // namespace theater::handlers
