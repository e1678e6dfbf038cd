// Exact bytes and core values, as a guest written by hand against
// CanonicalABI.md lays them out: lifting reads them, lowering writes them.
#include <gtest/gtest.h>

#include <bit>

#include "test_guest.h"
#include "test_types.h"

namespace theater::abi::testing {
namespace {

using wasm::Value;

template <class T>
T lift_ok(VectorGuest& guest, std::vector<Value> flat) {
  Result<T> lifted = lift_flat<T>(*guest.memory(), flat);
  EXPECT_TRUE(lifted.ok()) << lifted.error().message;
  return lifted.ok() ? *lifted : T{};
}

template <class T>
T load_ok(VectorGuest& guest, uint32_t ptr) {
  Result<T> loaded = load<T>(*guest.memory(), ptr);
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
  return loaded.ok() ? *loaded : T{};
}

template <class T>
std::vector<Value> lower_ok(VectorGuest& guest, const T& value) {
  Result<std::vector<Value>> flat = lower_flat(guest, value);
  EXPECT_TRUE(flat.ok()) << flat.error().message;
  return flat.ok() ? *flat : std::vector<Value>{};
}

TEST(AbiMemoryImage, NarrowIntegersKeepLowBitsAndSignExtend) {
  VectorGuest guest;
  EXPECT_EQ(lift_ok<uint8_t>(guest, {Value::i32(0x1FF)}), 255);  // lift_flat_unsigned: i % 2^8
  EXPECT_EQ(lift_ok<int16_t>(guest, {Value::i32(0x18000)}), -32768);
  EXPECT_EQ(lower_ok(guest, int8_t{-1}), std::vector<Value>{Value::i32(-1)});
  EXPECT_EQ(lower_ok(guest, uint8_t{255}), std::vector<Value>{Value::i32(255)});
  EXPECT_EQ(lower_ok(guest, int64_t{-2}), std::vector<Value>{Value::i64(-2)});
}

TEST(AbiMemoryImage, AnyNonZeroIsTrue) {
  VectorGuest guest;
  EXPECT_TRUE(lift_ok<bool>(guest, {Value::i32(2)}));
  EXPECT_TRUE(lift_ok<bool>(guest, {Value::i32(-1)}));
  EXPECT_FALSE(lift_ok<bool>(guest, {Value::i32(0)}));
  guest.put<uint8_t>(100, 7);
  EXPECT_TRUE(load_ok<bool>(guest, 100));
  EXPECT_EQ(lower_ok(guest, true), std::vector<Value>{Value::i32(1)});
}

TEST(AbiMemoryImage, StringIsPointerAndByteLength) {
  VectorGuest guest;
  guest.put_bytes(200, "h\xC3\xA9llo");  // 6 bytes of UTF-8
  EXPECT_EQ(lift_ok<std::string>(guest, {Value::i32(200), Value::i32(6)}), "h\xC3\xA9llo");
  guest.put<uint32_t>(16, 200);
  guest.put<uint32_t>(20, 6);
  EXPECT_EQ(load_ok<std::string>(guest, 16), "h\xC3\xA9llo");

  std::vector<Value> flat = lower_ok(guest, std::string("abc"));
  ASSERT_EQ(flat.size(), 2u);
  EXPECT_EQ(flat[1], Value::i32(3));
  EXPECT_EQ(guest.get_bytes(flat[0].as_u32(), 3), "abc");
}

TEST(AbiMemoryImage, ListOfU16IsPackedElements) {
  VectorGuest guest;
  guest.put<uint16_t>(300, 1);
  guest.put<uint16_t>(302, 2);
  guest.put<uint16_t>(304, 65535);
  EXPECT_EQ(lift_ok<std::vector<uint16_t>>(guest, {Value::i32(300), Value::i32(3)}),
            (std::vector<uint16_t>{1, 2, 65535}));
}

TEST(AbiMemoryImage, ListOfStringsIsPairsOfWords) {
  VectorGuest guest;
  guest.put_bytes(500, "ab");
  guest.put_bytes(510, "cde");
  guest.put<uint32_t>(400, 500);
  guest.put<uint32_t>(404, 2);
  guest.put<uint32_t>(408, 510);
  guest.put<uint32_t>(412, 3);
  EXPECT_EQ(lift_ok<std::vector<std::string>>(guest, {Value::i32(400), Value::i32(2)}),
            (std::vector<std::string>{"ab", "cde"}));
}

TEST(AbiMemoryImage, ResultOfU64OrString) {
  VectorGuest guest;
  // ok(42): discriminant byte at 0, u64 at 8.
  guest.put<uint8_t>(1024, 0);
  guest.put<uint64_t>(1032, 42);
  EXPECT_EQ((load_ok<Outcome<uint64_t, std::string>>(guest, 1024)),
            (Outcome<uint64_t, std::string>::ok(42)));
  // err("oops"): string pointer and length at 8 and 12.
  guest.put_bytes(2000, "oops");
  guest.put<uint8_t>(1024, 1);
  guest.put<uint32_t>(1032, 2000);
  guest.put<uint32_t>(1036, 4);
  EXPECT_EQ((load_ok<Outcome<uint64_t, std::string>>(guest, 1024)),
            (Outcome<uint64_t, std::string>::err("oops")));

  // Flat: (i32 case, i64 joined slot, i32); the string pointer rides in the i64.
  std::vector<Value> flat = lower_ok(guest, Outcome<uint64_t, std::string>::err("xyz"));
  ASSERT_EQ(flat.size(), 3u);
  EXPECT_EQ(flat[0], Value::i32(1));
  EXPECT_EQ(flat[1].type(), ValType::kI64);
  EXPECT_EQ(flat[2], Value::i32(3));
  EXPECT_EQ(guest.get_bytes(static_cast<uint32_t>(flat[1].as_u64()), 3), "xyz");
  EXPECT_EQ(lower_ok(guest, Outcome<uint64_t, std::string>::ok(5)),
            (std::vector<Value>{Value::i32(0), Value::i64(5), Value::i32(0)}));
}

TEST(AbiMemoryImage, OptionOfOption) {
  VectorGuest guest;
  using OO = std::optional<std::optional<uint32_t>>;
  EXPECT_EQ(lower_ok(guest, OO{}),
            (std::vector<Value>{Value::i32(0), Value::i32(0), Value::i32(0)}));
  EXPECT_EQ(lower_ok(guest, OO{std::optional<uint32_t>{}}),
            (std::vector<Value>{Value::i32(1), Value::i32(0), Value::i32(0)}));
  EXPECT_EQ(lower_ok(guest, OO{7u}),
            (std::vector<Value>{Value::i32(1), Value::i32(1), Value::i32(7)}));
  // Memory: outer discriminant @0, inner discriminant @4, value @8.
  guest.put<uint8_t>(600, 1);
  guest.put<uint8_t>(604, 1);
  guest.put<uint32_t>(608, 9);
  EXPECT_EQ(load_ok<OO>(guest, 600), OO{9u});
  guest.put<uint8_t>(604, 0);
  EXPECT_EQ(load_ok<OO>(guest, 600), OO{std::optional<uint32_t>{}});
}

TEST(AbiMemoryImage, VariantCasesAreRetypedIntoJoinedSlots) {
  VectorGuest guest;
  using V = std::variant<float, uint64_t>;  // flat (i32, i64)
  EXPECT_EQ(lower_ok(guest, V{1.0f}), (std::vector<Value>{Value::i32(0), Value::i64(0x3f800000)}));
  EXPECT_EQ(lift_ok<V>(guest, {Value::i32(0), Value::i64(0x4000000000000000 | 0x3fc00000)}),
            V{1.5f});                       // high bits of the i64 are dropped for the f32 case
  using W = std::variant<uint32_t, float>;  // flat (i32, i32)
  EXPECT_EQ(lower_ok(guest, W{2.0f}), (std::vector<Value>{Value::i32(1), Value::i32(0x40000000)}));
  // Unused slots are zero of the joined type.
  using X = std::variant<Unit, double, std::tuple<float, float>>;  // (i32, i64, f32)
  EXPECT_EQ(lower_ok(guest, X{Unit{}}),
            (std::vector<Value>{Value::i32(0), Value::i64(0), Value::f32(0)}));
}

TEST(AbiMemoryImage, RecordFieldsAtTheirOffsets) {
  VectorGuest guest;
  Mixed value{0x11, 0x2222222222222222, 0x3333, 4.0f, Char{U'E'}, true, 8.0, -1};
  ASSERT_TRUE(store(guest, value, 1024).ok());
  EXPECT_EQ(guest.get<uint8_t>(1024 + 0), 0x11);
  EXPECT_EQ(guest.get<uint64_t>(1024 + 8), 0x2222222222222222u);
  EXPECT_EQ(guest.get<uint16_t>(1024 + 16), 0x3333);
  EXPECT_EQ(guest.get<float>(1024 + 20), 4.0f);
  EXPECT_EQ(guest.get<uint32_t>(1024 + 24), uint32_t{'E'});
  EXPECT_EQ(guest.get<uint8_t>(1024 + 28), 1);
  EXPECT_EQ(guest.get<double>(1024 + 32), 8.0);
  EXPECT_EQ(guest.get<int8_t>(1024 + 40), -1);
}

TEST(AbiMemoryImage, FlagsBitsAndWords) {
  VectorGuest guest;
  ASSERT_TRUE(store(guest, Flags<9>{}.set(0).set(8), 100).ok());
  EXPECT_EQ(guest.get<uint16_t>(100), 0x101);
  ASSERT_TRUE(store(guest, Flags<33>{}.set(1).set(32), 104).ok());
  EXPECT_EQ(guest.get<uint32_t>(104), 0x2u);
  EXPECT_EQ(guest.get<uint32_t>(108), 0x1u);
  EXPECT_EQ(lower_ok(guest, Flags<33>{}.set(31).set(32)),
            (std::vector<Value>{Value::i32(INT32_MIN), Value::i32(1)}));
  // Bits past the last label are ignored.
  guest.put<uint8_t>(120, 0xff);
  EXPECT_EQ(load_ok<Flags<3>>(guest, 120), Flags<3>::from_bits(0x7));
  EXPECT_EQ(lift_ok<Flags<1>>(guest, {Value::i32(3)}), Flags<1>::from_bits(1));
}

TEST(AbiMemoryImage, EnumIsItsIndex) {
  VectorGuest guest;
  EXPECT_EQ(lower_ok(guest, ActorErrorKind::paused), std::vector<Value>{Value::i32(8)});
  guest.put<uint8_t>(50, 10);
  EXPECT_EQ(load_ok<ActorErrorKind>(guest, 50), ActorErrorKind::out_of_fuel);
}

TEST(AbiMemoryImage, CharIsItsCodePoint) {
  VectorGuest guest;
  EXPECT_EQ(lift_ok<Char>(guest, {Value::i32(0x1F600)}), Char{U'\U0001F600'});
  EXPECT_EQ(lower_ok(guest, Char{U'\u00e9'}), std::vector<Value>{Value::i32(0xe9)});
}

}  // namespace
}  // namespace theater::abi::testing
