#include "abi/engine_binding.h"

namespace theater::abi {

Result<uint32_t> ContextGuest::realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                                       uint32_t new_size) {
  if (!context_.has_export("cabi_realloc")) {
    return make_error(
        ErrorCode::kFailedPrecondition,
        "the guest exports no cabi_realloc, so the host cannot hand it strings or lists");
  }
  auto to_i32 = [](uint32_t v) { return wasm::Value::i32(static_cast<int32_t>(v)); };
  auto result = context_.call("cabi_realloc",
                              {to_i32(old_ptr), to_i32(old_size), to_i32(align), to_i32(new_size)});
  if (!result.ok()) return result.error().context("cabi_realloc");
  if (result->size() != 1 || (*result)[0].type() != wasm::ValType::kI32) {
    return make_error(ErrorCode::kInvalidArgument, "cabi_realloc must return one i32");
  }
  return (*result)[0].as_u32();
}

}  // namespace theater::abi
