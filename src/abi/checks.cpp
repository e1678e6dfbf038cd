#include "abi/checks.h"

#include <cstdio>

namespace theater::abi {
namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", v);
  return buf;
}

std::string type_list(std::span<const wasm::ValType> types) {
  std::string out = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += ", ";
    out += wasm::to_string(types[i]);
  }
  return out + ")";
}

Error trap(std::string message) {
  return make_error(ErrorCode::kTrap, std::move(message));
}

}  // namespace

Status check_range(const wasm::MemoryView& memory, uint32_t ptr, uint32_t length,
                   uint32_t elem_size, uint32_t align, TypeName what) {
  if (ptr % align != 0) {
    return trap(what() + " at pointer " + std::to_string(ptr) + " is not aligned to " +
                std::to_string(align));
  }
  const uint64_t bytes = uint64_t{length} * elem_size;
  if (!memory.in_bounds(ptr, bytes)) {
    std::string size = elem_size == 1 ? "" : " (" + std::to_string(bytes) + " bytes)";
    return trap(what() + " at pointer " + std::to_string(ptr) + " with length " +
                std::to_string(length) + size + " exceeds memory size " +
                std::to_string(memory.size()));
  }
  return {};
}

Status check_area(const wasm::MemoryView& memory, uint32_t ptr, uint32_t size, uint32_t align,
                  const char* role, TypeName what) {
  if (ptr % align != 0) {
    return trap(std::string(role) + " for " + what() + " at pointer " + std::to_string(ptr) +
                " is not aligned to " + std::to_string(align));
  }
  if (!memory.in_bounds(ptr, size)) {
    return trap(std::string(role) + " for " + what() + " at pointer " + std::to_string(ptr) + " (" +
                std::to_string(size) + " bytes) exceeds memory size " +
                std::to_string(memory.size()));
  }
  return {};
}

Error invalid_discriminant(uint32_t value, size_t cases, TypeName what) {
  return trap("invalid discriminant " + std::to_string(value) + " for " + what() + " with " +
              std::to_string(cases) + " cases");
}

Status check_char(uint32_t code_point) {
  if (code_point >= 0x110000) {
    return trap("invalid char " + hex(code_point) + ": above 0x10FFFF");
  }
  if (code_point >= 0xD800 && code_point <= 0xDFFF) {
    return trap("invalid char " + hex(code_point) + ": a surrogate");
  }
  return {};
}

Status check_flat_values(std::span<const wasm::Value> values,
                         std::span<const wasm::ValType> expected, const char* role) {
  bool same = values.size() == expected.size();
  for (size_t i = 0; same && i < values.size(); ++i) same = values[i].type() == expected[i];
  if (same) return {};
  std::vector<wasm::ValType> got;
  for (const wasm::Value& v : values) got.push_back(v.type());
  return make_error(ErrorCode::kInvalidArgument,
                    std::string("core ") + role + " " + type_list(got) +
                        " do not match the expected " + type_list(expected));
}

Status check_flat_count(size_t count, size_t expected, const char* role) {
  if (count == expected) return {};
  return make_error(ErrorCode::kInvalidArgument, std::string("expected ") +
                                                     std::to_string(expected) + " core " + role +
                                                     ", got " + std::to_string(count));
}

}  // namespace theater::abi
