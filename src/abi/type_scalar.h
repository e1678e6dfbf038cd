// Scalars: bool, integers, float32/64, char. Each is one core value flat and
// its own size and alignment in memory.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <string>

#include "abi/checks.h"
#include "abi/type.h"
#include "abi/values.h"

namespace theater::abi {

// One scalar's codec: how the C++ value maps to the bits of its core value
// (`Raw` in memory, `kCore` flat). `decode` sees the raw bits; for narrow
// integers lifted flat it sees a whole i32 and keeps the low bits (spec:
// lift_flat_unsigned / lift_flat_signed).
template <class T, class Raw, ValType Core>
struct ScalarCodec {
  using Value = T;
  using RawType = Raw;
  static constexpr ValType kCore = Core;
};

template <class T>
struct IntegerCodec : ScalarCodec<T, T, sizeof(T) == 8 ? ValType::kI64 : ValType::kI32> {
  static Result<T> decode(uint64_t bits) { return static_cast<T>(bits); }
  // Signed values are sign-extended to the core width (lower_flat_signed).
  static Result<uint64_t> encode(T v) {
    if constexpr (std::is_signed_v<T>) return static_cast<uint64_t>(static_cast<int64_t>(v));
    return static_cast<uint64_t>(v);
  }
};

struct BoolCodec : ScalarCodec<bool, uint8_t, ValType::kI32> {
  static Result<bool> decode(uint64_t bits) { return bits != 0; }  // convert_int_to_bool
  static Result<uint64_t> encode(bool v) { return v ? 1 : 0; }
};

// NaNs are canonicalized both ways (spec: canonicalize32/64), so a replayed
// run sees the same bits.
struct F32Codec : ScalarCodec<float, uint32_t, ValType::kF32> {
  static float canonical(float f) { return std::isnan(f) ? std::bit_cast<float>(0x7fc00000u) : f; }
  static Result<float> decode(uint64_t bits) {
    return canonical(std::bit_cast<float>(static_cast<uint32_t>(bits)));
  }
  static Result<uint64_t> encode(float v) { return std::bit_cast<uint32_t>(canonical(v)); }
};

struct F64Codec : ScalarCodec<double, uint64_t, ValType::kF64> {
  static double canonical(double f) {
    return std::isnan(f) ? std::bit_cast<double>(0x7ff8000000000000ull) : f;
  }
  static Result<double> decode(uint64_t bits) { return canonical(std::bit_cast<double>(bits)); }
  static Result<uint64_t> encode(double v) { return std::bit_cast<uint64_t>(canonical(v)); }
};

struct CharCodec : ScalarCodec<Char, uint32_t, ValType::kI32> {
  static Result<Char> decode(uint64_t bits) {
    THEATER_RETURN_IF_ERROR(check_char(static_cast<uint32_t>(bits)));
    return Char{static_cast<char32_t>(bits)};
  }
  // A host char is checked too: a guest must never receive a surrogate.
  static Result<uint64_t> encode(Char c) {
    Status valid = check_char(static_cast<uint32_t>(c.value));
    if (!valid.ok()) return make_error(ErrorCode::kInvalidArgument, valid.error().message);
    return static_cast<uint64_t>(c.value);
  }
};

template <class Codec, const char* kName>
struct ScalarType {
  using T = typename Codec::Value;
  using Raw = typename Codec::RawType;
  static constexpr uint32_t kAlign = sizeof(Raw);
  static constexpr uint32_t kSize = sizeof(Raw);
  static constexpr FlatTypes<1> kFlat{Codec::kCore};
  static constexpr bool kUsesMemory = false;
  static std::string name() { return kName; }

  static Status load(LiftContext& cx, uint32_t ptr, T& out) {
    THEATER_ASSIGN_OR_RETURN(Raw raw, cx.memory().template load<Raw>(ptr));
    return assign(Codec::decode(static_cast<uint64_t>(raw)), out);
  }
  static Status store(LowerContext& cx, const T& value, uint32_t ptr) {
    THEATER_ASSIGN_OR_RETURN(uint64_t bits, Codec::encode(value));
    return cx.memory().store(ptr, static_cast<Raw>(bits));
  }
  static Status lift_flat(LiftContext&, FlatReader& in, T& out) {
    return assign(Codec::decode(in.next(Codec::kCore)), out);
  }
  static Status lower_flat(LowerContext&, const T& value, FlatWriter& out) {
    THEATER_ASSIGN_OR_RETURN(uint64_t bits, Codec::encode(value));
    out.put(Codec::kCore, bits);
    return {};
  }

 private:
  static Status assign(Result<T> decoded, T& out) {
    if (!decoded.ok()) return decoded.error();
    out = *decoded;
    return {};
  }
};

namespace names {
inline constexpr char kBool[] = "bool", kU8[] = "u8", kU16[] = "u16", kU32[] = "u32",
                      kU64[] = "u64", kS8[] = "s8", kS16[] = "s16", kS32[] = "s32", kS64[] = "s64",
                      kF32[] = "f32", kF64[] = "f64", kChar[] = "char";
}  // namespace names

// clang-format off
template <> struct Type<bool> : ScalarType<BoolCodec, names::kBool> {};
template <> struct Type<uint8_t> : ScalarType<IntegerCodec<uint8_t>, names::kU8> {};
template <> struct Type<uint16_t> : ScalarType<IntegerCodec<uint16_t>, names::kU16> {};
template <> struct Type<uint32_t> : ScalarType<IntegerCodec<uint32_t>, names::kU32> {};
template <> struct Type<uint64_t> : ScalarType<IntegerCodec<uint64_t>, names::kU64> {};
template <> struct Type<int8_t> : ScalarType<IntegerCodec<int8_t>, names::kS8> {};
template <> struct Type<int16_t> : ScalarType<IntegerCodec<int16_t>, names::kS16> {};
template <> struct Type<int32_t> : ScalarType<IntegerCodec<int32_t>, names::kS32> {};
template <> struct Type<int64_t> : ScalarType<IntegerCodec<int64_t>, names::kS64> {};
template <> struct Type<float> : ScalarType<F32Codec, names::kF32> {};
template <> struct Type<double> : ScalarType<F64Codec, names::kF64> {};
template <> struct Type<Char> : ScalarType<CharCodec, names::kChar> {};
// clang-format on

}  // namespace theater::abi
