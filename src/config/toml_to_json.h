// Internal to config/: an inline TOML table (init_state) as JSON.
#pragma once

#include <toml++/toml.h>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace theater::config {

// Tables become objects, arrays arrays, scalars scalars; dates and times
// become their TOML text. A NaN or infinite float has no JSON form: the error
// names its dotted path within the table (e.g. "limits.ratio").
Result<nlohmann::json> toml_to_json(const toml::node& node, const std::string& path);

}  // namespace theater::config
