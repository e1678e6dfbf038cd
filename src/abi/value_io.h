// Whole values in and out of a guest, with every guest-given pointer checked:
// the entry points for code that moves one WIT value rather than a call.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "abi/checks.h"
#include "abi/context.h"
#include "abi/type.h"

namespace theater::abi {

template <AbiType T>
std::vector<wasm::ValType> flat_types() {
  return {Type<T>::kFlat.begin(), Type<T>::kFlat.end()};
}

// Reads a T stored at `ptr` (spec: load, with its alignment and bounds checked).
template <AbiType T>
Result<T> load(const wasm::MemoryView& memory, uint32_t ptr) {
  THEATER_RETURN_IF_ERROR(
      check_area(memory, ptr, Type<T>::kSize, Type<T>::kAlign, "value", &Type<T>::name));
  T out{};
  LiftContext cx(memory);
  THEATER_RETURN_IF_ERROR(Type<T>::load(cx, ptr, out));
  return out;
}

// Writes `value` at `ptr` (spec: store), allocating its strings and lists.
template <AbiType T>
Status store(Guest& guest, const T& value, uint32_t ptr) {
  LowerContext cx(guest);
  THEATER_RETURN_IF_ERROR(cx.load_memory());
  THEATER_RETURN_IF_ERROR(
      check_area(cx.memory(), ptr, Type<T>::kSize, Type<T>::kAlign, "value", &Type<T>::name));
  return Type<T>::store(cx, value, ptr);
}

// Lifts a T from exactly its flat values (spec: lift_flat).
template <AbiType T>
Result<T> lift_flat(const wasm::MemoryView& memory, std::span<const wasm::Value> values) {
  THEATER_RETURN_IF_ERROR(check_flat_values(values, Type<T>::kFlat, "values"));
  FlatReader in(values);
  T out{};
  LiftContext cx(memory);
  THEATER_RETURN_IF_ERROR(Type<T>::lift_flat(cx, in, out));
  return out;
}

// Lowers `value` to its flat values (spec: lower_flat).
template <AbiType T>
Result<std::vector<wasm::Value>> lower_flat(Guest& guest, const T& value) {
  std::vector<wasm::Value> values(Type<T>::kFlat.size());
  LowerContext cx(guest);
  FlatWriter out(values);
  THEATER_RETURN_IF_ERROR(Type<T>::lower_flat(cx, value, out));
  return values;
}

}  // namespace theater::abi
