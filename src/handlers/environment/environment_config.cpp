#include "handlers/environment/environment_config.h"

namespace theater::handlers {
namespace {

config::HandlerSchema make_schema() {
  config::HandlerSchema schema;
  schema.type = "environment";
  schema.grant_keys = {config::GrantKey::list("allowed_vars", config::GrantKind::kNames)};
  return schema;
}

}  // namespace

const config::HandlerSchema& environment_schema() {
  static const config::HandlerSchema schema = make_schema();
  return schema;
}

EnvironmentPermissions EnvironmentPermissions::from(const config::HandlerGrant& grant) {
  return {grant.list("allowed_vars")};
}

}  // namespace theater::handlers
