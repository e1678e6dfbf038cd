// Fixed-size little-endian integers in byte buffers, independent of the host's
// byte order: the event hash rule and the event file both use them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace theater {

template <class T>
requires std::is_unsigned_v<T>
void put_le(uint8_t* out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

template <class T>
requires std::is_unsigned_v<T> T get_le(const uint8_t* in) {
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(static_cast<T>(in[i]) << (8 * i));
  return value;
}

}  // namespace theater
