// The state threaded through lifting and lowering (the spec's `cx`).
#pragma once

#include <cstdint>

#include "abi/checks.h"
#include "abi/guest.h"
#include "common/result.h"
#include "wasm/memory_view.h"

namespace theater::abi {

// Lifting only reads guest memory and never calls into the guest, so one view
// stays valid for the whole lift.
//
// It also caps how many bytes one lift copies out. Strings and lists may
// overlap (a million list elements all pointing at the same megabyte), so
// without a cap a guest with little memory could make the host allocate
// without bound. Data that does not overlap always fits: the cap is twice the
// memory size (at least kMinLiftBudget).
class LiftContext {
 public:
  static constexpr uint64_t kMinLiftBudget = uint64_t{1} << 20;

  explicit LiftContext(wasm::MemoryView memory = {});
  const wasm::MemoryView& memory() const { return memory_; }

  // Accounts for `bytes` more guest bytes copied while lifting `what`.
  Status consume(uint64_t bytes, TypeName what);

 private:
  wasm::MemoryView memory_;
  uint64_t budget_;
};

// The view for a lift that reads memory only when `needed` (a guest without a
// memory export can still call functions of scalars).
Result<LiftContext> make_lift_context(Guest& guest, bool needed);

// Lowering allocates through the guest's cabi_realloc, which may move memory:
// `allocate` takes a fresh view afterwards, and writers address memory by
// offset, never keeping a host pointer across an allocation.
class LowerContext {
 public:
  explicit LowerContext(Guest& guest) : guest_(guest) {}

  // Takes the current view; needed before writing to an area the guest gave
  // (a return pointer). `allocate` does it by itself.
  Status load_memory();
  const wasm::MemoryView& memory() const { return memory_; }

  // realloc(0, 0, align, size), checking that the guest's answer is aligned
  // and inside memory. `what` names the value being stored, for messages.
  Result<uint32_t> allocate(uint32_t align, uint64_t size, TypeName what);

 private:
  Guest& guest_;
  wasm::MemoryView memory_;
};

}  // namespace theater::abi
