// WIT enum as a C++ enum class described with THEATER_ABI_ENUM: a variant of
// payload-less cases, so just its discriminant (1, 2 or 4 bytes; flat i32).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "abi/checks.h"
#include "abi/describe.h"
#include "abi/type.h"

namespace theater::abi {

template <DescribedEnum E>
struct Type<E> {
  static constexpr auto kDescription = theater_abi_enum(static_cast<const E*>(nullptr));
  static constexpr size_t kCases = kDescription.values.size();
  static_assert(
      [] {
        for (size_t i = 0; i < kCases; ++i) {
          if (static_cast<size_t>(kDescription.values[i]) != i) return false;
        }
        return true;
      }(),
      "THEATER_ABI_ENUM must list every enumerator in order, valued 0, 1, 2, ...");

  static constexpr uint32_t kAlign = discriminant_size(kCases);
  static constexpr uint32_t kSize = kAlign;
  static constexpr FlatTypes<1> kFlat{ValType::kI32};
  static constexpr bool kUsesMemory = false;
  static std::string name() { return std::string("enum ") + kDescription.name; }

  static Status load(LiftContext& cx, uint32_t ptr, E& out) {
    THEATER_ASSIGN_OR_RETURN(uint32_t index, load_uint(cx.memory(), ptr, kSize));
    return from_index(index, out);
  }
  static Status store(LowerContext& cx, const E& value, uint32_t ptr) {
    THEATER_ASSIGN_OR_RETURN(uint32_t index, to_index(value));
    return store_uint(cx.memory(), ptr, kSize, index);
  }
  static Status lift_flat(LiftContext&, FlatReader& in, E& out) {
    return from_index(in.next_u32(), out);
  }
  static Status lower_flat(LowerContext&, const E& value, FlatWriter& out) {
    THEATER_ASSIGN_OR_RETURN(uint32_t index, to_index(value));
    out.put_u32(index);
    return {};
  }

 private:
  static Status from_index(uint32_t index, E& out) {
    if (index >= kCases) return invalid_discriminant(index, kCases, &name);
    out = static_cast<E>(index);
    return {};
  }
  static Result<uint32_t> to_index(E value) {
    // Through int64_t, so huge unsigned and negative values both fail the check.
    const auto index = static_cast<int64_t>(static_cast<std::underlying_type_t<E>>(value));
    if (index < 0 || static_cast<uint64_t>(index) >= kCases) {
      return make_error(ErrorCode::kInvalidArgument, "host value " + std::to_string(index) +
                                                         " of " + name() + " is not one of its " +
                                                         std::to_string(kCases) + " cases");
    }
    return static_cast<uint32_t>(index);
  }
};

}  // namespace theater::abi
