#include "common/utf8.h"

#include <cstring>

namespace theater {
namespace {

// Bytes [at, at+n) are continuation bytes 0x80..0xBF.
bool continuations(std::span<const uint8_t> b, size_t at, size_t n) {
  if (at + n > b.size()) return false;
  for (size_t i = at; i < at + n; ++i) {
    if ((b[i] & 0xC0) != 0x80) return false;
  }
  return true;
}

// Length of the well-formed sequence starting at `i`, or 0.
size_t sequence_length(std::span<const uint8_t> b, size_t i) {
  const uint8_t lead = b[i];
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;  // continuation byte or overlong 2-byte lead
  if (lead < 0xE0) return continuations(b, i + 1, 1) ? 2 : 0;
  if (lead < 0xF0) {
    if (i + 1 >= b.size()) return 0;
    const uint8_t second = b[i + 1];
    if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
    if (lead == 0xED && second > 0x9F) return 0;  // surrogate
    return continuations(b, i + 1, 2) ? 3 : 0;
  }
  if (lead < 0xF5) {
    if (i + 1 >= b.size()) return 0;
    const uint8_t second = b[i + 1];
    if (lead == 0xF0 && second < 0x90) return 0;  // overlong
    if (lead == 0xF4 && second > 0x8F) return 0;  // past U+10FFFF
    return continuations(b, i + 1, 3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

size_t find_invalid_utf8(std::span<const uint8_t> bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    // Most strings are ASCII: skip 8 bytes at a time while no high bit is set.
    while (i + 8 <= bytes.size()) {
      uint64_t chunk;
      std::memcpy(&chunk, bytes.data() + i, 8);
      if (chunk & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= bytes.size()) break;
    const size_t n = sequence_length(bytes, i);
    if (n == 0) return i;
    i += n;
  }
  return kValidUtf8;
}

}  // namespace theater
