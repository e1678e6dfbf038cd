// Internal to config/: a handler table of a parsed manifest, kept as TOML
// (with its source lines) until it is read against a handler's schema.
#pragma once

#include <toml++/toml.h>

#include <memory>
#include <string>

#include "config/manifest.h"

namespace theater::config {

struct RawTable {
  std::shared_ptr<const toml::table> document;  // keeps `table` alive
  const toml::table* table = nullptr;           // inside `document`
  // Names the table in messages: "[[handler]] #2", "permission_policy.process".
  std::string context;
};

}  // namespace theater::config
