// WIT list<T> as std::vector<T>: a pointer and an element count. Integer
// elements have the same bytes on the host as in wasm (both little-endian,
// same sizes), so their lists move with one memcpy each way.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "abi/type.h"
#include "abi/type_string.h"

namespace theater::abi {

static_assert(std::endian::native == std::endian::little,
              "the bulk list copies assume a little-endian host, like wasm");

template <class T>
struct Type<std::vector<T>> {
  using Elem = Type<T>;
  static_assert(Elem::kSize > 0, "list elements must have a size");

  static constexpr uint32_t kAlign = 4;
  static constexpr uint32_t kSize = 8;
  static constexpr FlatTypes<2> kFlat{ValType::kI32, ValType::kI32};
  static constexpr bool kUsesMemory = true;
  static std::string name() { return "list<" + Elem::name() + ">"; }

  // Same bytes on both sides: copy the whole range at once.
  static constexpr bool kBulk = std::is_integral_v<T> && !std::is_same_v<T, bool>;

  static Status load(LiftContext& cx, uint32_t ptr, std::vector<T>& out) {
    THEATER_ASSIGN_OR_RETURN(GuestRange range, load_range(cx.memory(), ptr));
    return load_from_range(cx, range, out);
  }
  static Status store(LowerContext& cx, const std::vector<T>& value, uint32_t ptr) {
    THEATER_ASSIGN_OR_RETURN(GuestRange range, store_into_range(cx, value));
    return store_range(cx.memory(), ptr, range);
  }
  static Status lift_flat(LiftContext& cx, FlatReader& in, std::vector<T>& out) {
    GuestRange range;
    range.ptr = in.next_u32();
    range.length = in.next_u32();
    return load_from_range(cx, range, out);
  }
  static Status lower_flat(LowerContext& cx, const std::vector<T>& value, FlatWriter& out) {
    THEATER_ASSIGN_OR_RETURN(GuestRange range, store_into_range(cx, value));
    out.put_u32(range.ptr);
    out.put_u32(range.length);
    return {};
  }

  // Spec: load_list_from_range.
  static Status load_from_range(LiftContext& cx, GuestRange range, std::vector<T>& out) {
    THEATER_RETURN_IF_ERROR(
        check_range(cx.memory(), range.ptr, range.length, Elem::kSize, Elem::kAlign, &name));
    THEATER_RETURN_IF_ERROR(cx.consume(uint64_t{range.length} * Elem::kSize, &name));
    if constexpr (kBulk) {
      const auto* first = reinterpret_cast<const T*>(cx.memory().base() + range.ptr);
      if constexpr (sizeof(T) == 1) {
        out.assign(first, first + range.length);
      } else {
        out.resize(range.length);
        if (range.length != 0) std::memcpy(out.data(), first, size_t{range.length} * sizeof(T));
      }
      return {};
    }
    out.resize(range.length);
    for (uint32_t i = 0; i < range.length; ++i) {
      Status loaded = load_element(cx, range.ptr + i * Elem::kSize, out, i);
      if (!loaded.ok()) return loaded.error().context(name() + " element " + std::to_string(i));
    }
    return {};
  }

  // Spec: store_list_into_range.
  static Result<GuestRange> store_into_range(LowerContext& cx, const std::vector<T>& value) {
    const uint64_t bytes = uint64_t{value.size()} * Elem::kSize;
    if (value.size() > UINT32_MAX || bytes > UINT32_MAX) {
      return make_error(ErrorCode::kInvalidArgument,
                        name() + " of " + std::to_string(value.size()) +
                            " elements does not fit in 32-bit guest memory");
    }
    THEATER_ASSIGN_OR_RETURN(uint32_t ptr, cx.allocate(Elem::kAlign, bytes, &name));
    if constexpr (kBulk) {
      THEATER_RETURN_IF_ERROR(cx.memory().write(
          ptr, {reinterpret_cast<const uint8_t*>(value.data()), static_cast<size_t>(bytes)}));
    } else {
      for (size_t i = 0; i < value.size(); ++i) {
        Status stored = Elem::store(cx, value[i], ptr + static_cast<uint32_t>(i) * Elem::kSize);
        if (!stored.ok()) return stored.error().context(name() + " element " + std::to_string(i));
      }
    }
    return GuestRange{ptr, static_cast<uint32_t>(value.size())};
  }

 private:
  static Status load_element(LiftContext& cx, uint32_t ptr, std::vector<T>& out, size_t i) {
    if constexpr (std::is_same_v<T, bool>) {  // vector<bool> has no bool& to load into
      bool element = false;
      THEATER_RETURN_IF_ERROR(Elem::load(cx, ptr, element));
      out[i] = element;
      return {};
    } else {
      return Elem::load(cx, ptr, out[i]);
    }
  }
};

}  // namespace theater::abi
