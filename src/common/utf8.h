#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

// UTF-8 well-formedness, shared by every layer that hands text on (the ABI
// checks guest strings; the chain keeps its exports valid JSON).
namespace theater {

inline constexpr size_t kValidUtf8 = static_cast<size_t>(-1);

// The offset of the first byte that does not belong to a well-formed UTF-8
// sequence (Unicode table 3-7: no overlongs, no surrogates, nothing past
// U+10FFFF, no truncated sequence), or kValidUtf8.
size_t find_invalid_utf8(std::span<const uint8_t> bytes);

inline bool is_valid_utf8(std::string_view text) {
  return find_invalid_utf8({reinterpret_cast<const uint8_t*>(text.data()), text.size()}) ==
         kValidUtf8;
}

}  // namespace theater
