#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace theater::abi {

inline constexpr size_t kValidUtf8 = static_cast<size_t>(-1);

// The offset of the first byte that does not belong to a well-formed UTF-8
// sequence (Unicode table 3-7: no overlongs, no surrogates, nothing past
// U+10FFFF, no truncated sequence), or kValidUtf8.
size_t find_invalid_utf8(std::span<const uint8_t> bytes);

}  // namespace theater::abi
