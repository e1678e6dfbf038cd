// Reading and writing flattened core values. Both work on raw bits, which is
// how the spec's variant coercions (CoerceValueIter in lift_flat_variant, the
// re-typing in lower_flat_variant) reduce to "keep the low bits".
#pragma once

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "abi/layout.h"
#include "wasm/value.h"

namespace theater::abi {

// The bits a core value carries: i32/f32 zero-extended to 64 bits.
inline uint64_t raw_bits(const wasm::Value& v) {
  switch (v.type()) {
    case ValType::kI32:
      return v.as_u32();
    case ValType::kI64:
      return v.as_u64();
    case ValType::kF32:
      return std::bit_cast<uint32_t>(v.as_f32());
    case ValType::kF64:
      return std::bit_cast<uint64_t>(v.as_f64());
  }
  return 0;
}

// A core value of `type` holding `bits` (truncated to 32 bits for i32/f32).
inline wasm::Value value_from_bits(ValType type, uint64_t bits) {
  switch (type) {
    case ValType::kI32:
      return wasm::Value::i32(static_cast<int32_t>(static_cast<uint32_t>(bits)));
    case ValType::kI64:
      return wasm::Value::i64(static_cast<int64_t>(bits));
    case ValType::kF32:
      return wasm::Value::f32(std::bit_cast<float>(static_cast<uint32_t>(bits)));
    case ValType::kF64:
      return wasm::Value::f64(std::bit_cast<double>(bits));
  }
  return {};
}

[[noreturn]] inline void flat_invariant_broken(const char* what) {
  // Callers check counts and types of guest-provided values before reading,
  // so reaching this is a bug in the ABI layer itself.
  std::fprintf(stderr, "theater: broken invariant in canonical ABI flat values: %s\n", what);
  std::abort();
}

// Consumes flat values in order. Values are type-checked against the expected
// signature before a reader is made; inside variants a value may be wider
// than what a case wants (the join), and the reader narrows it as the spec does.
class FlatReader {
 public:
  explicit FlatReader(std::span<const wasm::Value> values) : values_(values) {}

  uint64_t next(ValType want) {
    if (next_ >= values_.size()) flat_invariant_broken("read past the last value");
    const wasm::Value& have = values_[next_++];
    const bool widened =
        have.type() == ValType::kI64 || (have.type() == ValType::kI32 && want == ValType::kF32);
    if (have.type() != want && !widened) flat_invariant_broken("value type mismatch");
    const uint64_t bits = raw_bits(have);
    const bool narrow = want == ValType::kI32 || want == ValType::kF32;
    return narrow ? (bits & 0xffffffffu) : bits;
  }
  uint32_t next_u32() { return static_cast<uint32_t>(next(ValType::kI32)); }

  size_t position() const { return next_; }
  void skip_to(size_t position) {
    if (position > values_.size()) flat_invariant_broken("skip past the last value");
    next_ = position;
  }

 private:
  std::span<const wasm::Value> values_;
  size_t next_ = 0;
};

// Produces flat values into a span sized from the signature.
class FlatWriter {
 public:
  explicit FlatWriter(std::span<wasm::Value> out) : out_(out) {}

  void put(ValType type, uint64_t bits) {
    if (next_ >= out_.size()) flat_invariant_broken("write past the last value");
    out_[next_++] = value_from_bits(type, bits);
  }
  void put_u32(uint32_t v) { put(ValType::kI32, v); }

  size_t position() const { return next_; }

  // Re-types the values written since `from` to the variant's joined slot
  // types `want`, then pads the unused slots with zeros (lower_flat_variant).
  void retype_and_pad(size_t from, std::span<const ValType> want) {
    if (next_ < from || next_ - from > want.size()) flat_invariant_broken("variant payload size");
    for (size_t i = 0; i < want.size(); ++i) {
      const size_t slot = from + i;
      if (slot < next_) {
        out_[slot] = value_from_bits(want[i], raw_bits(out_[slot]));
      } else {
        put(want[i], 0);
      }
    }
  }

 private:
  std::span<wasm::Value> out_;
  size_t next_ = 0;
};

}  // namespace theater::abi
