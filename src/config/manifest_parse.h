// Internal to config/: the manifest sections that involve handlers. Parsing
// keeps their tables (RawTable) and checks only their shape; reading one
// against a schema is handler_config.h. [[handler]] entries and restrict
// policies read permission keys with the same code, so the two can never
// disagree on a key.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/grants.h"
#include "config/manifest.h"
#include "config/toml_reader.h"

namespace theater::config {

// The permission keys of `schema` present in the reader's table, and the
// ordering of its OrderedKeys among them.
Result<GrantRequest> read_grant_request(TableReader& reader, const HandlerSchema& schema,
                                        const std::filesystem::path& base_dir);

// The top-level `handler` key: an array of tables, each with a type string,
// no type twice. `document` holds `node`.
Result<std::vector<HandlerEntry>> read_handler_entries(
    const toml::node& node, std::string_view source,
    const std::shared_ptr<const toml::table>& document);

// The top-level `permission_policy` table: a table per handler type, each
// with a valid policy type.
Result<std::map<std::string, PolicyEntry, std::less<>>> read_permission_policy(
    const toml::node& node, std::string_view source,
    const std::shared_ptr<const toml::table>& document);

}  // namespace theater::config
