// One handler's part of a manifest, read against that handler's schema: its
// [[handler]] entry (permission keys and settings) and its permission_policy.
// Errors have the manifest's form, "<source>:<line>: <context>: <key> <problem>".
#pragma once

#include "common/result.h"
#include "config/grants.h"
#include "config/handler_schema.h"
#include "config/manifest.h"
#include "config/setting_values.h"

namespace theater::config {

struct HandlerConfig {
  // Its permission keys as written; a directory setting (SettingKey::
  // directory_within) left without its list key has added it.
  GrantRequest request;
  // Every setting the entry wrote, and the defaults of the others.
  SettingValues settings;
};

// The entry of `schema.type`, read against `schema`. With no entry: no
// permission key and the default settings.
Result<HandlerConfig> read_handler_config(const Manifest& manifest, const HandlerSchema& schema);

struct Policy {
  PolicyKind kind = PolicyKind::kInherit;
  GrantRequest restriction;  // only for kRestrict
};

// The permission_policy of `schema.type`, read against `schema`; inherit when
// the manifest has none.
Result<Policy> read_policy(const Manifest& manifest, const HandlerSchema& schema);

// Ok when every [[handler]] entry and permission_policy names a type of
// `schemas` (else an error naming it and the known types) and reads cleanly
// against its schema (unknown keys, types, ranges).
Status check_handler_tables(const Manifest& manifest, const HandlerSchemas& schemas);

}  // namespace theater::config
