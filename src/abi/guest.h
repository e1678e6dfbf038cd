// What the canonical ABI needs from a running guest instance: its linear memory
// and its allocator. The engine layer implements this over a live instance
// (`memory` export, `cabi_realloc` export); tests implement it over a vector.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "wasm/memory_view.h"

namespace theater::abi {

class Guest {
 public:
  virtual ~Guest() = default;

  // A fresh view of the guest's linear memory. Memory may move whenever the
  // guest runs (memory.grow inside cabi_realloc), so callers take a new view
  // after every call into the guest and never keep one across such a call.
  virtual Result<wasm::MemoryView> memory() = 0;

  // Calls the guest's `cabi_realloc(old_ptr, old_size, align, new_size)`.
  // The result is untrusted: the ABI layer checks its alignment and bounds.
  virtual Result<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                                   uint32_t new_size) = 0;
};

}  // namespace theater::abi
