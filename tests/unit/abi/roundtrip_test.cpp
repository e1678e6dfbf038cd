// Every kind of type, alone and nested, survives lower -> guest memory or flat
// values -> lift unchanged.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

#include "test_guest.h"
#include "test_types.h"

namespace theater::abi::testing {
namespace {

// Stores `value` in a freshly allocated area and loads it back.
template <class T>
T through_memory(VectorGuest& guest, const T& value) {
  Result<uint32_t> area = guest.realloc(0, 0, Type<T>::kAlign, Type<T>::kSize);
  EXPECT_TRUE(area.ok());
  Status stored = store(guest, value, *area);
  EXPECT_TRUE(stored.ok()) << stored.error().message;
  Result<T> loaded = load<T>(*guest.memory(), *area);
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
  return loaded.ok() ? *loaded : T{};
}

template <class T>
T through_flat(VectorGuest& guest, const T& value) {
  Result<std::vector<wasm::Value>> flat = lower_flat(guest, value);
  EXPECT_TRUE(flat.ok()) << flat.error().message;
  if (!flat.ok()) return T{};
  Result<T> lifted = lift_flat<T>(*guest.memory(), *flat);
  EXPECT_TRUE(lifted.ok()) << lifted.error().message;
  return lifted.ok() ? *lifted : T{};
}

template <class T>
void expect_round_trip(const T& value) {
  VectorGuest guest;
  EXPECT_EQ(through_memory(guest, value), value) << "through memory: " << Type<T>::name();
  EXPECT_EQ(through_flat(guest, value), value) << "through flat values: " << Type<T>::name();
}

TEST(AbiRoundTrip, Scalars) {
  expect_round_trip(true);
  expect_round_trip(false);
  expect_round_trip(uint8_t{255});
  expect_round_trip(int8_t{-128});
  expect_round_trip(uint16_t{65535});
  expect_round_trip(int16_t{-1});
  expect_round_trip(std::numeric_limits<uint32_t>::max());
  expect_round_trip(std::numeric_limits<int32_t>::min());
  expect_round_trip(std::numeric_limits<uint64_t>::max());
  expect_round_trip(std::numeric_limits<int64_t>::min());
  expect_round_trip(1.5f);
  expect_round_trip(-0.0f);
  expect_round_trip(std::numeric_limits<float>::infinity());
  expect_round_trip(3.141592653589793);
  expect_round_trip(std::numeric_limits<double>::denorm_min());
  expect_round_trip(Char{U'a'});
  expect_round_trip(Char{U'\U0001F600'});
  expect_round_trip(Char{0x10FFFF});
  expect_round_trip(Char{0xD7FF});
  expect_round_trip(Char{0xE000});
}

TEST(AbiRoundTrip, NanComesBackCanonical) {
  VectorGuest guest;
  const float noisy = std::bit_cast<float>(0x7fa00001u);
  EXPECT_EQ(std::bit_cast<uint32_t>(through_memory(guest, noisy)), 0x7fc00000u);
  EXPECT_EQ(std::bit_cast<uint32_t>(through_flat(guest, noisy)), 0x7fc00000u);
  const double noisy64 = std::bit_cast<double>(0xfff0000000000abcull);
  EXPECT_EQ(std::bit_cast<uint64_t>(through_flat(guest, noisy64)), 0x7ff8000000000000ull);
}

TEST(AbiRoundTrip, Strings) {
  expect_round_trip(std::string());
  expect_round_trip(std::string("hello"));
  expect_round_trip(std::string("h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x8E\x89"));  // héllo ✓ 🎉
  expect_round_trip(std::string("embedded\0nul", 12));
  expect_round_trip(std::string(10000, 'x'));
}

TEST(AbiRoundTrip, Lists) {
  std::vector<uint8_t> bytes(1000);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7);
  expect_round_trip(bytes);
  expect_round_trip(std::vector<uint8_t>{});
  expect_round_trip(std::vector<int8_t>{-1, 0, 1});
  expect_round_trip(std::vector<uint16_t>{1, 65535, 3});
  expect_round_trip(std::vector<int32_t>{-7, 7});
  expect_round_trip(std::vector<int64_t>{std::numeric_limits<int64_t>::min(), 0, 42});
  expect_round_trip(std::vector<uint64_t>{std::numeric_limits<uint64_t>::max()});
  expect_round_trip(std::vector<bool>{true, false, true, true});
  expect_round_trip(std::vector<float>{1.0f, -2.5f});
  expect_round_trip(std::vector<double>{1e300, -0.0});
  expect_round_trip(std::vector<Char>{Char{U'x'}, Char{U'\u00e9'}});
  expect_round_trip(std::vector<std::string>{"", "a", "bc", "\xE2\x9C\x93"});
  expect_round_trip(std::vector<std::vector<uint32_t>>{{}, {1}, {2, 3}});
}

TEST(AbiRoundTrip, Options) {
  expect_round_trip(std::optional<uint32_t>{});
  expect_round_trip(std::optional<uint32_t>{7});
  expect_round_trip(std::optional<uint64_t>{1ull << 40});
  expect_round_trip(std::optional<std::string>{"cwd"});
  expect_round_trip(std::optional<std::optional<uint32_t>>{});
  expect_round_trip(std::optional<std::optional<uint32_t>>{std::optional<uint32_t>{}});
  expect_round_trip(std::optional<std::optional<uint32_t>>{std::optional<uint32_t>{7}});
}

TEST(AbiRoundTrip, Results) {
  using R = Outcome<uint64_t, std::string>;
  expect_round_trip(R::ok(42));
  expect_round_trip(R::err("no such program"));
  expect_round_trip(Outcome<Unit, std::string>::ok());
  expect_round_trip(Outcome<Unit, std::string>::err("closed"));
  expect_round_trip(Outcome<std::string, std::string>::err("same types, told apart by case"));
  expect_round_trip(Outcome<Unit, Unit>::err(Unit{}));
  expect_round_trip(CallbackResult::ok({State{{1, 2, 3}}}));
  expect_round_trip(CallbackResult::ok({State{}}));
}

TEST(AbiRoundTrip, VariantsCoerceThroughJoinedSlots) {
  // Flat, f32 rides in an i64 slot and u32 in an i64 slot, then come back.
  using V = std::variant<float, uint64_t, std::string, Unit, double>;
  expect_round_trip(V{1.25f});
  expect_round_trip(V{uint64_t{1} << 63});
  expect_round_trip(V{std::string("payload")});
  expect_round_trip(V{Unit{}});
  expect_round_trip(V{-2.5});
  expect_round_trip(OutputMode{Chunked{}});
  expect_round_trip(OutputMode{Raw{}});
}

TEST(AbiRoundTrip, NestedVariantInsideVariant) {
  using Inner = std::variant<float, uint32_t>;  // flat (i32, i32)
  using Outer = std::variant<Inner, double>;    // flat (i32, i64, i32)
  expect_round_trip(Outer{Inner{0.5f}});
  expect_round_trip(Outer{Inner{uint32_t{0xdeadbeef}}});
  expect_round_trip(Outer{-1.0e-300});
}

TEST(AbiRoundTrip, TuplesAndRecords) {
  expect_round_trip(std::tuple<uint8_t, uint64_t, uint16_t, float, bool>{1, 2, 3, 4.5f, true});
  expect_round_trip(Mixed{1, 2, 3, 4.5f, Char{U'z'}, true, 6.25, -8});
  expect_round_trip(ProcessStatus{7, false, -9, 1700000000000});
  expect_round_trip(ActorError{ActorErrorKind::out_of_fuel, "fuel", std::vector<uint8_t>{9}});
}

TEST(AbiRoundTrip, Enums) {
  for (int k = 0; k <= static_cast<int>(ActorErrorKind::out_of_fuel); ++k) {
    expect_round_trip(static_cast<ActorErrorKind>(k));
  }
}

template <size_t N>
void expect_flags_round_trip(std::initializer_list<size_t> labels) {
  Flags<N> flags;
  for (size_t label : labels) flags.set(label);
  expect_round_trip(flags);
  expect_round_trip(Flags<N>{});
  Flags<N> all;
  for (size_t i = 0; i < N; ++i) all.set(i);
  expect_round_trip(all);
}

TEST(AbiRoundTrip, Flags) {
  expect_flags_round_trip<1>({0});
  expect_flags_round_trip<8>({0, 7});
  expect_flags_round_trip<9>({1, 8});
  expect_flags_round_trip<33>({0, 31, 32});
  expect_flags_round_trip<64>({5, 63});
  expect_flags_round_trip<100>({0, 64, 99});
  EXPECT_EQ(Flags<33>::from_bits(0x1'8000'0001ull).to_bits(), 0x1'8000'0001ull);
}

TEST(AbiRoundTrip, ListOfRecordsWithOptionalStringsAndBytes) {
  expect_round_trip(std::vector<Item>{{std::nullopt, {}}, {"first", {1, 2, 3}}, {"", {255}}});
}

TEST(AbiRoundTrip, ResultOfVariantOrString) {
  using R = Outcome<OutputMode, std::string>;
  expect_round_trip(R::ok(LineByLine{}));
  expect_round_trip(R::err("bad mode"));
}

TEST(AbiRoundTrip, WholeProcessConfig) {
  ProcessConfig config{"/bin/echo", {"hello", "w\xC3\xB6rld"},
                       "/tmp",      {{"PATH", "/usr/bin"}, {"LANG", "C.UTF-8"}},
                       4096,        Json{},
                       Chunked{},   512,
                       30};
  expect_round_trip(config);
  expect_round_trip(ProcessConfig{});
}

TEST(AbiRoundTrip, ChainEvents) {
  std::vector<ChainEvent> chain{
      {std::vector<uint8_t>(32, 0xab), std::nullopt, "wasm/call", {1, 2}, 1, std::nullopt},
      {std::vector<uint8_t>(32, 0xcd),
       std::vector<uint8_t>(32, 0xab),
       "runtime/log",
       {},
       2,
       "said hello"}};
  expect_round_trip(chain);
}

TEST(AbiRoundTrip, SurvivesMemoryMovingWhileLowering) {
  // Enough strings to make the guest grow (and move) its memory several times
  // in the middle of lowering one list.
  std::vector<std::string> many;
  for (int i = 0; i < 3000; ++i) many.push_back(std::string(100, static_cast<char>('a' + i % 26)));
  VectorGuest guest;
  EXPECT_EQ(through_flat(guest, many), many);
  EXPECT_GT(guest.grows, 2);
}

}  // namespace
}  // namespace theater::abi::testing
