// WIT string as std::string holding UTF-8 (string-encoding=utf8): a pointer
// and a byte length, flat or in memory. Bytes are validated when lifted and
// when lowered, so neither side ever sees malformed UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "abi/type.h"

namespace theater::abi {

// The (pointer, length) pair of a string or list in guest memory.
struct GuestRange {
  uint32_t ptr = 0;
  uint32_t length = 0;
};

// Spec: load_string_from_range / store_string_into_range, for UTF-8.
Status load_string_from_range(LiftContext& cx, GuestRange range, std::string& out);
Result<GuestRange> store_string_into_range(LowerContext& cx, std::string_view value);

Result<GuestRange> load_range(const wasm::MemoryView& memory, uint32_t ptr);
Status store_range(const wasm::MemoryView& memory, uint32_t ptr, GuestRange range);

template <>
struct Type<std::string> {
  static constexpr uint32_t kAlign = 4;
  static constexpr uint32_t kSize = 8;
  static constexpr FlatTypes<2> kFlat{ValType::kI32, ValType::kI32};
  static constexpr bool kUsesMemory = true;
  static std::string name() { return "string"; }

  static Status load(LiftContext& cx, uint32_t ptr, std::string& out) {
    THEATER_ASSIGN_OR_RETURN(GuestRange range, load_range(cx.memory(), ptr));
    return load_string_from_range(cx, range, out);
  }
  static Status store(LowerContext& cx, const std::string& value, uint32_t ptr) {
    THEATER_ASSIGN_OR_RETURN(GuestRange range, store_string_into_range(cx, value));
    return store_range(cx.memory(), ptr, range);
  }
  static Status lift_flat(LiftContext& cx, FlatReader& in, std::string& out) {
    GuestRange range;
    range.ptr = in.next_u32();
    range.length = in.next_u32();
    return load_string_from_range(cx, range, out);
  }
  static Status lower_flat(LowerContext& cx, const std::string& value, FlatWriter& out) {
    THEATER_ASSIGN_OR_RETURN(GuestRange range, store_string_into_range(cx, value));
    out.put_u32(range.ptr);
    out.put_u32(range.length);
    return {};
  }
};

}  // namespace theater::abi
