// Core wasm values and function types: what crosses the engine boundary.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace theater::wasm {

enum class ValType : uint8_t { kI32, kI64, kF32, kF64 };

const char* to_string(ValType type);

// A typed core value. Cheap to copy; no allocation.
class Value {
 public:
  Value() : type_(ValType::kI32), bits_{.i64 = 0} {}
  static Value i32(int32_t v) {
    Value r(ValType::kI32);
    r.bits_.i32 = v;
    return r;
  }
  static Value i64(int64_t v) {
    Value r(ValType::kI64);
    r.bits_.i64 = v;
    return r;
  }
  static Value f32(float v) {
    Value r(ValType::kF32);
    r.bits_.f32 = v;
    return r;
  }
  static Value f64(double v) {
    Value r(ValType::kF64);
    r.bits_.f64 = v;
    return r;
  }
  static Value zero(ValType t) { return Value(t); }

  ValType type() const { return type_; }
  int32_t as_i32() const { return bits_.i32; }
  uint32_t as_u32() const { return static_cast<uint32_t>(bits_.i32); }
  int64_t as_i64() const { return bits_.i64; }
  uint64_t as_u64() const { return static_cast<uint64_t>(bits_.i64); }
  float as_f32() const { return bits_.f32; }
  double as_f64() const { return bits_.f64; }

  bool operator==(const Value& other) const;
  std::string to_string() const;  // e.g. "i32:7"

 private:
  explicit Value(ValType t) : type_(t), bits_{.i64 = 0} {}
  ValType type_;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
  } bits_;
};

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;

  bool operator==(const FuncType& other) const = default;
  std::string to_string() const;  // e.g. "(i32, i64) -> (i32)"
};

}  // namespace theater::wasm
