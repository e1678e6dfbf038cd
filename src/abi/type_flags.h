// WIT flags as abi::Flags<N>: a bit vector of 1 or 2 bytes (N <= 16) or of
// i32 words, lowest label in the lowest bit. Flat: one i32 per 32 labels.
// Bits past the last label are ignored on lifting, as the spec does.
#pragma once

#include <cstdint>
#include <string>

#include "abi/type.h"
#include "abi/values.h"

namespace theater::abi {

template <size_t N>
struct Type<Flags<N>> {
  static constexpr size_t kWords = Flags<N>::kWords;
  static constexpr uint32_t kAlign = N <= 8 ? 1 : N <= 16 ? 2 : 4;
  static constexpr uint32_t kSize = N <= 16 ? kAlign : 4 * kWords;
  static constexpr auto kFlat = [] {
    FlatTypes<kWords> flat{};
    flat.fill(ValType::kI32);
    return flat;
  }();
  static constexpr bool kUsesMemory = false;
  static std::string name() { return "flags with " + std::to_string(N) + " labels"; }

  static Status load(LiftContext& cx, uint32_t ptr, Flags<N>& out) {
    for (size_t w = 0; w < kWords; ++w) {
      THEATER_ASSIGN_OR_RETURN(uint32_t word,
                               load_uint(cx.memory(), ptr + 4 * w, N <= 16 ? kSize : 4));
      out.set_word(w, word);
    }
    return {};
  }
  static Status store(LowerContext& cx, const Flags<N>& value, uint32_t ptr) {
    for (size_t w = 0; w < kWords; ++w) {
      THEATER_RETURN_IF_ERROR(
          store_uint(cx.memory(), ptr + 4 * w, N <= 16 ? kSize : 4, value.word(w)));
    }
    return {};
  }
  static Status lift_flat(LiftContext&, FlatReader& in, Flags<N>& out) {
    for (size_t w = 0; w < kWords; ++w) out.set_word(w, in.next_u32());
    return {};
  }
  static Status lower_flat(LowerContext&, const Flags<N>& value, FlatWriter& out) {
    for (size_t w = 0; w < kWords; ++w) out.put_u32(value.word(w));
    return {};
  }
};

}  // namespace theater::abi
