// Standard base64 (RFC 4648 section 4, with padding) for the JSON Lines format.
// Internal to the chain library.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace theater::chain {

std::string base64_encode(std::span<const uint8_t> bytes);

// Strict: the length must be a multiple of 4, padding only at the end, no
// whitespace. The error names the first offending offset.
Result<std::vector<uint8_t>> base64_decode(std::string_view text);

}  // namespace theater::chain
