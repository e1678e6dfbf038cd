// Checks on values a guest hands over, each failing with an Error whose
// message names the offending value. Guest violations are ErrorCode::kTrap
// (the spec traps); host-side misuse is ErrorCode::kInvalidArgument.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/result.h"
#include "wasm/memory_view.h"
#include "wasm/value.h"

namespace theater::abi {

// Names a type in messages, built only when a message is (e.g. "list<u8>").
using TypeName = std::string (*)();

// A list or string of `length` elements of `elem_size` bytes at `ptr`: aligned
// to `align` and inside memory (computed in 64 bits, so no overflow).
Status check_range(const wasm::MemoryView& memory, uint32_t ptr, uint32_t length,
                   uint32_t elem_size, uint32_t align, TypeName what);

// A fixed-size area (return area, spilled parameters) of `size` bytes at `ptr`.
// `role` says what the area is for, e.g. "return area".
Status check_area(const wasm::MemoryView& memory, uint32_t ptr, uint32_t size, uint32_t align,
                  const char* role, TypeName what);

Error invalid_discriminant(uint32_t value, size_t cases, TypeName what);

// WIT char: below 0x110000 and not a surrogate.
Status check_char(uint32_t code_point);

// The flat values handed over for a signature have the expected count and types.
Status check_flat_values(std::span<const wasm::Value> values,
                         std::span<const wasm::ValType> expected, const char* role);
Status check_flat_count(size_t count, size_t expected, const char* role);

}  // namespace theater::abi
