// Alignment, size and flattening of each kind of type, against values worked
// out by hand from CanonicalABI.md ("Alignment", "Size", "Flattening").
#include <gtest/gtest.h>

#include "test_types.h"

namespace theater::abi::testing {
namespace {

constexpr ValType i32 = ValType::kI32, i64 = ValType::kI64, f32 = ValType::kF32,
                  f64 = ValType::kF64;

template <class T>
void expect_layout(uint32_t align, uint32_t size, std::vector<ValType> flat) {
  EXPECT_EQ(Type<T>::kAlign, align) << Type<T>::name();
  EXPECT_EQ(Type<T>::kSize, size) << Type<T>::name();
  EXPECT_EQ(flat_types<T>(), flat) << Type<T>::name();
}

TEST(AbiLayout, Scalars) {
  expect_layout<bool>(1, 1, {i32});
  expect_layout<uint8_t>(1, 1, {i32});
  expect_layout<int8_t>(1, 1, {i32});
  expect_layout<uint16_t>(2, 2, {i32});
  expect_layout<int16_t>(2, 2, {i32});
  expect_layout<uint32_t>(4, 4, {i32});
  expect_layout<int32_t>(4, 4, {i32});
  expect_layout<uint64_t>(8, 8, {i64});
  expect_layout<int64_t>(8, 8, {i64});
  expect_layout<float>(4, 4, {f32});
  expect_layout<double>(8, 8, {f64});
  expect_layout<Char>(4, 4, {i32});
}

TEST(AbiLayout, StringsAndLists) {
  expect_layout<std::string>(4, 8, {i32, i32});
  expect_layout<std::vector<uint8_t>>(4, 8, {i32, i32});
  expect_layout<std::vector<uint64_t>>(4, 8, {i32, i32});
  expect_layout<std::vector<std::string>>(4, 8, {i32, i32});
}

TEST(AbiLayout, Options) {
  expect_layout<std::optional<uint8_t>>(1, 2, {i32, i32});
  expect_layout<std::optional<uint64_t>>(8, 16, {i32, i64});
  expect_layout<std::optional<std::string>>(4, 12, {i32, i32, i32});
  // inner: disc@0, u32@4, size 8; outer: disc@0, inner@4, size 12.
  expect_layout<std::optional<std::optional<uint32_t>>>(4, 12, {i32, i32, i32});
}

TEST(AbiLayout, Results) {
  // disc@0, payload@8 (u64 alignment), 8 bytes; err payload string fits in the same 8.
  expect_layout<Outcome<uint64_t, std::string>>(8, 16, {i32, i64, i32});
  expect_layout<Outcome<Unit, std::string>>(4, 12, {i32, i32, i32});
  expect_layout<Outcome<uint32_t, std::string>>(4, 12, {i32, i32, i32});
  expect_layout<Outcome<Unit, Unit>>(1, 1, {i32});
  expect_layout<Outcome<std::monostate, uint8_t>>(1, 2, {i32, i32});
  // ok: tuple<option<list<u8>>> (align 4, size 12); err: string.
  expect_layout<CallbackResult>(4, 16, {i32, i32, i32, i32});
}

TEST(AbiLayout, VariantJoinsCaseSlots) {
  expect_layout<OutputMode>(1, 1, {i32});
  expect_layout<std::variant<float, uint32_t>>(4, 8, {i32, i32});
  expect_layout<std::variant<uint32_t, float>>(4, 8, {i32, i32});
  expect_layout<std::variant<float, uint64_t>>(8, 16, {i32, i64});
  expect_layout<std::variant<float, float>>(4, 8, {i32, f32});
  // slot 0: join(f64, f32) = i64; slot 1: only the tuple has it.
  expect_layout<std::variant<double, std::tuple<float, float>>>(8, 16, {i32, i64, f32});
  expect_layout<std::variant<Unit, std::string, uint64_t>>(8, 16, {i32, i64, i32});
}

TEST(AbiLayout, DiscriminantSizeFollowsCaseCount) {
  EXPECT_EQ(discriminant_size(1), 1u);
  EXPECT_EQ(discriminant_size(256), 1u);
  EXPECT_EQ(discriminant_size(257), 2u);
  EXPECT_EQ(discriminant_size(65536), 2u);
  EXPECT_EQ(discriminant_size(65537), 4u);
}

TEST(AbiLayout, TuplesPadEachField) {
  expect_layout<std::tuple<uint8_t, uint64_t, uint16_t>>(8, 24, {i32, i64, i32});
  EXPECT_EQ((Type<std::tuple<uint8_t, uint64_t, uint16_t>>::kOffsets),
            (std::array<uint32_t, 3>{0, 8, 16}));
  expect_layout<std::tuple<uint8_t, uint16_t, uint8_t>>(2, 6, {i32, i32, i32});
  expect_layout<std::tuple<uint8_t>>(1, 1, {i32});
}

TEST(AbiLayout, RecordsPadEachField) {
  // a@0 b@8 c@16 d@20 e@24 f@28 g@32 h@40, end 41 -> 48.
  expect_layout<Mixed>(8, 48, {i32, i64, i32, f32, i32, i32, f64, i32});
  EXPECT_EQ(Type<Mixed>::kOffsets, (std::array<uint32_t, 8>{0, 8, 16, 20, 24, 28, 32, 40}));

  // process-status: pid@0 running@8 exit-code@12 (option<s32>: 8 bytes) start-time@24.
  expect_layout<ProcessStatus>(8, 32, {i64, i32, i32, i32, i64});
  EXPECT_EQ(Type<ProcessStatus>::kOffsets, (std::array<uint32_t, 4>{0, 8, 12, 24}));

  // process-config: program@0 args@8 cwd@16(12) env@28 buffer-size@36 stdout@40
  // stderr@41 chunk-size@44(8) execution-timeout@56(16), size 72.
  expect_layout<ProcessConfig>(
      8, 72, {i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i64});
  EXPECT_EQ(Type<ProcessConfig>::kOffsets,
            (std::array<uint32_t, 9>{0, 8, 16, 28, 36, 40, 41, 44, 56}));

  // chain-event: hash@0 parent-hash@8(12) event-type@20 data@28 timestamp@40 description@48(12).
  expect_layout<ChainEvent>(8, 64,
                            {i32, i32, i32, i32, i32, i32, i32, i32, i32, i64, i32, i32, i32});
  EXPECT_EQ(Type<ChainEvent>::kOffsets, (std::array<uint32_t, 6>{0, 8, 20, 28, 40, 48}));
}

TEST(AbiLayout, EnumsAreTheirDiscriminant) {
  expect_layout<ActorErrorKind>(1, 1, {i32});
  // kind@0 message@4 data@12 (option<list<u8>>: 12 bytes), size 24.
  expect_layout<ActorError>(4, 24, {i32, i32, i32, i32, i32, i32});
}

TEST(AbiLayout, FlagsUseBytesThenWords) {
  expect_layout<Flags<1>>(1, 1, {i32});
  expect_layout<Flags<8>>(1, 1, {i32});
  expect_layout<Flags<9>>(2, 2, {i32});
  expect_layout<Flags<16>>(2, 2, {i32});
  expect_layout<Flags<17>>(4, 4, {i32});
  expect_layout<Flags<32>>(4, 4, {i32});
  expect_layout<Flags<33>>(4, 8, {i32, i32});
  expect_layout<Flags<64>>(4, 8, {i32, i32});
  expect_layout<Flags<65>>(4, 12, {i32, i32, i32});
}

TEST(AbiLayout, NamesReadLikeWit) {
  EXPECT_EQ(Type<std::vector<std::optional<std::string>>>::name(), "list<option<string>>");
  EXPECT_EQ((Type<Outcome<Unit, std::string>>::name()), "result<_, string>");
  EXPECT_EQ((Type<std::tuple<uint64_t, std::vector<uint8_t>>>::name()), "tuple<u64, list<u8>>");
  EXPECT_EQ(Type<ProcessConfig>::name(), "ProcessConfig");
  EXPECT_EQ(Type<ActorErrorKind>::name(), "enum ActorErrorKind");
}

}  // namespace
}  // namespace theater::abi::testing
