#include "wasm/value.h"

#include <cstring>

namespace theater::wasm {

const char* to_string(ValType type) {
  switch (type) {
    case ValType::kI32:
      return "i32";
    case ValType::kI64:
      return "i64";
    case ValType::kF32:
      return "f32";
    case ValType::kF64:
      return "f64";
  }
  return "?";
}

bool Value::operator==(const Value& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case ValType::kI32:
      return bits_.i32 == other.bits_.i32;
    case ValType::kI64:
      return bits_.i64 == other.bits_.i64;
    // Bitwise, so NaN payloads compare as the guest would see them.
    case ValType::kF32:
      return std::memcmp(&bits_.f32, &other.bits_.f32, sizeof(float)) == 0;
    case ValType::kF64:
      return std::memcmp(&bits_.f64, &other.bits_.f64, sizeof(double)) == 0;
  }
  return false;
}

std::string Value::to_string() const {
  std::string prefix = std::string(wasm::to_string(type_)) + ":";
  switch (type_) {
    case ValType::kI32:
      return prefix + std::to_string(bits_.i32);
    case ValType::kI64:
      return prefix + std::to_string(bits_.i64);
    case ValType::kF32:
      return prefix + std::to_string(bits_.f32);
    case ValType::kF64:
      return prefix + std::to_string(bits_.f64);
  }
  return prefix;
}

static std::string join(const std::vector<ValType>& types) {
  std::string out = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += ", ";
    out += to_string(types[i]);
  }
  return out + ")";
}

std::string FuncType::to_string() const {
  return join(params) + " -> " + join(results);
}

}  // namespace theater::wasm
