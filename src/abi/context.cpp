#include "abi/context.h"

#include <algorithm>
#include <limits>
#include <string>

namespace theater::abi {
namespace {

std::string realloc_call(uint32_t align, uint64_t size) {
  return "cabi_realloc(0, 0, " + std::to_string(align) + ", " + std::to_string(size) + ")";
}

}  // namespace

LiftContext::LiftContext(wasm::MemoryView memory)
    : memory_(memory), budget_(std::max(2 * memory.size(), kMinLiftBudget)) {}

Status LiftContext::consume(uint64_t bytes, TypeName what) {
  if (bytes <= budget_) {
    budget_ -= bytes;
    return {};
  }
  return make_error(ErrorCode::kTrap,
                    "lifting " + what() + " would copy more than " +
                        std::to_string(std::max(2 * memory_.size(), kMinLiftBudget)) +
                        " bytes out of a guest memory of " + std::to_string(memory_.size()) +
                        " (overlapping strings or lists)");
}

Result<LiftContext> make_lift_context(Guest& guest, bool needed) {
  if (!needed) return LiftContext{};
  THEATER_ASSIGN_OR_RETURN(wasm::MemoryView memory, guest.memory());
  return LiftContext{memory};
}

Status LowerContext::load_memory() {
  THEATER_ASSIGN_OR_RETURN(memory_, guest_.memory());
  return {};
}

Result<uint32_t> LowerContext::allocate(uint32_t align, uint64_t size, TypeName what) {
  if (size > std::numeric_limits<uint32_t>::max()) {
    return make_error(
        ErrorCode::kInvalidArgument,
        what() + " needs " + std::to_string(size) + " bytes, more than 32-bit guest memory holds");
  }
  Result<uint32_t> ptr = guest_.realloc(0, 0, align, static_cast<uint32_t>(size));
  if (!ptr.ok()) return ptr.error().context(realloc_call(align, size) + " for " + what());
  THEATER_RETURN_IF_ERROR(load_memory());
  if (*ptr % align != 0) {
    return make_error(ErrorCode::kTrap, realloc_call(align, size) + " for " + what() +
                                            " returned misaligned pointer " + std::to_string(*ptr));
  }
  if (!memory_.in_bounds(*ptr, size)) {
    return make_error(ErrorCode::kTrap,
                      realloc_call(align, size) + " for " + what() + " returned pointer " +
                          std::to_string(*ptr) + " whose " + std::to_string(size) +
                          " bytes exceed memory size " + std::to_string(memory_.size()));
  }
  return *ptr;
}

}  // namespace theater::abi
