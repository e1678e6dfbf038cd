// Internal to config/: the manifest sections that involve handlers, shared by
// manifest.cpp. [[handler]] entries and restrict policies read permission
// keys with the same code, so the two can never disagree on a key.
#pragma once

#include <filesystem>
#include <map>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/manifest.h"
#include "config/toml_reader.h"

namespace theater::config {

// The permission keys of `type` present in the reader's table (grant_schema.h).
Result<GrantRequest> read_grant_request(TableReader& reader, HandlerType type,
                                        const std::filesystem::path& base_dir);

// The non-permission keys of `type`; may complete `request` (a cwd or path
// without allowed_paths makes allowed_paths [that directory]).
Result<HandlerSettings> read_handler_settings(TableReader& reader, HandlerType type,
                                              const std::filesystem::path& base_dir,
                                              GrantRequest& request);

// The top-level `handler` key: an array of tables.
Result<std::vector<HandlerEntry>> read_handler_entries(const toml::node& node,
                                                       std::string_view source,
                                                       const std::filesystem::path& base_dir);

// The top-level `permission_policy` table.
Result<std::map<HandlerType, PolicyEntry>> read_permission_policy(
    const toml::node& node, std::string_view source, const std::filesystem::path& base_dir);

}  // namespace theater::config
