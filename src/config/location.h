// How every configuration error says where it comes from: "<source>:<line>: ".
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace theater::config {

// "manifest.toml:7: " or, when the line is unknown (0), "manifest.toml: ".
inline std::string location_prefix(std::string_view source, int line) {
  std::string prefix(source);
  if (line > 0) prefix += ":" + std::to_string(line);
  return prefix + ": ";
}

inline Error config_error(ErrorCode code, std::string_view source, int line,
                          std::string_view message) {
  return make_error(code, location_prefix(source, line) + std::string(message));
}

}  // namespace theater::config
