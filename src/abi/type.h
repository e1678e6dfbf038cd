// Type<T>: the canonical ABI of the C++ type T that stands for a WIT type.
//
// Every specialization provides
//   static constexpr uint32_t kAlign, kSize;           // spec: alignment, size
//   static constexpr FlatTypes<N> kFlat;               // spec: flatten_type
//   static constexpr bool kUsesMemory;                 // lifting reads memory
//   static std::string name();                         // WIT spelling, for messages
//   static Status load(LiftContext&, uint32_t ptr, T& out);
//   static Status store(LowerContext&, const T& value, uint32_t ptr);
//   static Status lift_flat(LiftContext&, FlatReader&, T& out);
//   static Status lower_flat(LowerContext&, const T& value, FlatWriter&);
// `load`/`store` expect `ptr` aligned and kSize bytes in bounds (checked by
// whoever got the pointer from the guest); every nested pointer is checked
// where it is read. Lifting writes into a default-constructed `out`.
//
// To support a new kind of C++ type, add a specialization in a type_*.h file
// and include it from abi.h.
#pragma once

#include <cstdint>
#include <string>

#include "abi/context.h"
#include "abi/flat.h"
#include "abi/layout.h"
#include "common/result.h"

namespace theater::abi {

template <class T>
struct Type;

template <class T>
concept AbiType = requires {
  Type<T>::kAlign;
  Type<T>::kSize;
  Type<T>::kFlat;
};

// Little-endian unsigned integer of 1, 2 or 4 bytes (discriminants, small flags).
inline Result<uint32_t> load_uint(const wasm::MemoryView& memory, uint32_t ptr, uint32_t bytes) {
  switch (bytes) {
    case 1: {
      THEATER_ASSIGN_OR_RETURN(uint8_t v, memory.load<uint8_t>(ptr));
      return uint32_t{v};
    }
    case 2: {
      THEATER_ASSIGN_OR_RETURN(uint16_t v, memory.load<uint16_t>(ptr));
      return uint32_t{v};
    }
    default:
      return memory.load<uint32_t>(ptr);
  }
}

inline Status store_uint(const wasm::MemoryView& memory, uint32_t ptr, uint32_t bytes,
                         uint32_t value) {
  switch (bytes) {
    case 1:
      return memory.store(ptr, static_cast<uint8_t>(value));
    case 2:
      return memory.store(ptr, static_cast<uint16_t>(value));
    default:
      return memory.store(ptr, value);
  }
}

}  // namespace theater::abi
