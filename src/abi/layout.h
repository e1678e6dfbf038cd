// Compile-time layout arithmetic of the canonical ABI (CanonicalABI.md,
// "Alignment", "Size", "Flattening"): alignment rounding, discriminant sizes,
// flattened core type lists and the `join` of variant cases.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "wasm/value.h"

namespace theater::abi {

using wasm::ValType;

// Limits on flattened signatures; past them values travel through memory.
inline constexpr size_t kMaxFlatParams = 16;
inline constexpr size_t kMaxFlatResults = 1;

// The top bit of a string length is reserved by the spec (UTF-16 tagging).
inline constexpr uint64_t kMaxStringByteLength = (uint64_t{1} << 31) - 1;

// The core value types a WIT type flattens to, known at compile time.
template <size_t N>
using FlatTypes = std::array<ValType, N>;

constexpr uint32_t align_to(uint32_t offset, uint32_t alignment) {
  return (offset + alignment - 1) / alignment * alignment;
}

// Bytes of the smallest unsigned integer that numbers `cases` cases
// (spec: discriminant_type).
constexpr uint32_t discriminant_size(size_t cases) {
  if (cases <= (size_t{1} << 8)) return 1;
  if (cases <= (size_t{1} << 16)) return 2;
  return 4;
}

// The tightest core type able to carry both `a` and `b` by bit-casting.
constexpr ValType join(ValType a, ValType b) {
  if (a == b) return a;
  const bool i32_f32 =
      (a == ValType::kI32 && b == ValType::kF32) || (a == ValType::kF32 && b == ValType::kI32);
  return i32_f32 ? ValType::kI32 : ValType::kI64;
}

template <size_t... Ns>
constexpr auto concat(const FlatTypes<Ns>&... parts) {
  FlatTypes<(Ns + ... + 0)> out{};
  size_t next = 0;
  [[maybe_unused]] auto append = [&](const auto& part) {
    for (ValType t : part) out[next++] = t;
  };
  (append(parts), ...);
  return out;
}

// Spec: flatten_variant. An i32 discriminant, then slot by slot the join of
// every case's flattening.
template <size_t... Ns>
constexpr auto flatten_variant(const FlatTypes<Ns>&... cases) {
  constexpr size_t kPayload = std::max({size_t{0}, Ns...});
  FlatTypes<kPayload + 1> out{};
  out[0] = ValType::kI32;
  size_t filled = 0;
  auto add_case = [&](const auto& flat) {
    for (size_t i = 0; i < flat.size(); ++i) {
      out[i + 1] = i < filled ? join(out[i + 1], flat[i]) : flat[i];
    }
    filled = std::max(filled, flat.size());
  };
  (add_case(cases), ...);
  return out;
}

}  // namespace theater::abi
