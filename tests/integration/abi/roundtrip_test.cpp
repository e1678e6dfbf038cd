// Every WIT type kind, host -> guest -> host through real exports of the echo
// guest (tests/guests/abi/echo_*.c, canonical ABI written by hand): the host
// lowers, the guest lifts the flat values itself, copies what it owns with its
// own cabi_realloc and answers flat or through a return area, the host lifts
// the answer and calls cabi_post_<export>, which frees it.
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

#include "abi_fixture.h"

namespace theater::abi::testing {
namespace {

template <class T>
using Limits = std::numeric_limits<T>;

class EchoTest : public GuestTest {
 protected:
  EchoTest() : GuestTest("abi_echo") {}

  // Every parameter the guest was given and every answer it handed back has
  // been freed: by the guest, and by the post-return the host called.
  void TearDown() override {
    Result<uint32_t> live = call<sig::LiveBlocks>(instance(), "live-blocks");
    ASSERT_TRUE(live.ok()) << live.error().message;
    EXPECT_EQ(*live, 0u) << "guest blocks still alive after the test's calls";
  }

  template <class T>
  void expect_echoes(std::string_view name, std::initializer_list<T> values) {
    for (const T& value : values) {
      Result<T> back = echo(instance(), name, value);
      ASSERT_TRUE(back.ok()) << name << ": " << back.error().message;
      EXPECT_EQ(*back, value) << name << " changed a value";
    }
  }
};

TEST_F(EchoTest, IntegersAndBoolsKeepEveryBitFlat) {
  expect_echoes<bool>("echo-bool", {false, true});
  expect_echoes<uint8_t>("echo-u8", {0, 1, 0x7F, 0x80, Limits<uint8_t>::max()});
  expect_echoes<uint16_t>("echo-u16", {0, 0x8000, Limits<uint16_t>::max()});
  expect_echoes<uint32_t>("echo-u32", {0, 0x80000000u, Limits<uint32_t>::max()});
  expect_echoes<uint64_t>("echo-u64", {0, uint64_t{1} << 63, Limits<uint64_t>::max()});
  expect_echoes<int8_t>("echo-s8", {0, -1, Limits<int8_t>::min(), Limits<int8_t>::max()});
  expect_echoes<int16_t>("echo-s16", {-1, Limits<int16_t>::min(), Limits<int16_t>::max()});
  expect_echoes<int32_t>("echo-s32", {-1, Limits<int32_t>::min(), Limits<int32_t>::max()});
  expect_echoes<int64_t>("echo-s64", {-1, Limits<int64_t>::min(), Limits<int64_t>::max()});
}

TEST_F(EchoTest, FloatsAndChars) {
  expect_echoes<float>("echo-f32", {0.0f, 1.5f, -3.25f, FLT_MAX, FLT_TRUE_MIN, INFINITY});
  expect_echoes<double>("echo-f64", {0.0, -2.5, DBL_MAX, DBL_TRUE_MIN, -INFINITY});
  Result<double> negative_zero = echo(instance(), "echo-f64", -0.0);
  ASSERT_TRUE(negative_zero.ok());
  EXPECT_TRUE(std::signbit(*negative_zero));
  expect_echoes<Char>("echo-char", {Char{0}, Char{'A'}, Char{0xE9}, Char{0xD7FF}, Char{0xE000},
                                    Char{0x1F600}, Char{0x10FFFF}});
}

// A NaN's payload never reaches the other side (the spec canonicalizes), so
// a replayed run sees the same bits.
TEST_F(EchoTest, NaNsAreCanonicalized) {
  const float nan32 = std::bit_cast<float>(0x7FA00001u);
  Result<float> f = echo(instance(), "echo-f32", nan32);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(std::bit_cast<uint32_t>(*f), 0x7FC00000u);
  const double nan64 = std::bit_cast<double>(0xFFF0000000000123ull);
  Result<double> d = echo(instance(), "echo-f64", nan64);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::bit_cast<uint64_t>(*d), 0x7FF8000000000000ull);
}

// Twelve flat parameters in, one tuple back through a return area.
TEST_F(EchoTest, AllScalarsIntoAReturnArea) {
  const Scalars values{0xFE,
                       -128,
                       0xFFFE,
                       -32768,
                       0xFFFFFFFEu,
                       -2147483647 - 1,
                       Limits<uint64_t>::max() - 1,
                       Limits<int64_t>::min(),
                       -0.75f,
                       1e300,
                       Char{0x1F600},
                       true};
  Result<Scalars> back = std::apply(
      [&](const auto&... v) { return call<sig::EchoScalars>(instance(), "echo-scalars", v...); },
      values);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, values);
}

// What the guest's own C code sees, printed by the guest: signed values
// sign-extended, unsigned ones zero-extended, floats exact.
TEST_F(EchoTest, TheGuestSeesTheValuesTheHostLowered) {
  Result<std::string> text = call<sig::FormatScalars>(
      instance(), "format-scalars", uint8_t{255}, int8_t{-128}, uint16_t{65535}, int16_t{-32768},
      Limits<uint32_t>::max(), Limits<int32_t>::min(), Limits<uint64_t>::max(),
      Limits<int64_t>::min(), 1.5f, -2.25, Char{0x1F600}, true);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text,
            "u8=255 s8=-128 u16=65535 s16=-32768 u32=4294967295 s32=-2147483648 "
            "u64=18446744073709551615 s64=-9223372036854775808 f32=1.5 f64=-2.25 char=U+1F600 "
            "bool=1");
}

TEST_F(EchoTest, StringsOfEveryLength) {
  expect_echoes<std::string>(
      "echo-string",
      {"", "hello", "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80", std::string("a\0b", 3)});
  // Larger than the guest's first pages: its allocator grows memory mid-lowering.
  std::string big(300 * 1024, 'x');
  for (size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>('a' + i % 26);
  expect_echoes<std::string>("echo-string", {big});
}

TEST_F(EchoTest, Lists) {
  Bytes pattern(1 << 20);
  for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<uint8_t>(i * 7 + i / 256);
  expect_echoes<Bytes>("echo-bytes", {{}, {0, 1, 255}, pattern});
  expect_echoes<std::vector<uint64_t>>(
      "echo-u64s", {{}, {0, Limits<uint64_t>::max(), uint64_t{1} << 40, 12345}});
  expect_echoes<std::vector<std::string>>(
      "echo-strings", {{}, {""}, {"one", "", "tw\xC3\xB6", std::string(5000, 'z')}});
}

TEST_F(EchoTest, Options) {
  expect_echoes<std::optional<uint32_t>>("echo-option-u32",
                                         {std::nullopt, 0u, Limits<uint32_t>::max()});
  expect_echoes<std::optional<std::string>>("echo-option-string",
                                            {std::nullopt, std::string(), "some \xE2\x9C\x93"});
  // none, some(none) and some(some(x)) stay three different values.
  using Nested = std::optional<std::optional<uint8_t>>;
  expect_echoes<Nested>("echo-option-option", {Nested(), Nested(std::optional<uint8_t>()),
                                               Nested(uint8_t{0}), Nested(uint8_t{255})});
}

TEST_F(EchoTest, ResultsWithPayloadsOrUnderscoreOnEitherSide) {
  using U32OrString = Outcome<uint32_t, std::string>;
  expect_echoes<U32OrString>("echo-result-u32-string",
                             {U32OrString::ok(7), U32OrString::err("bad \xE2\x9C\x97")});
  using UnitOrString = Outcome<Unit, std::string>;
  expect_echoes<UnitOrString>("echo-result-unit-string",
                              {UnitOrString::ok(), UnitOrString::err("")});
  using U64OrUnit = Outcome<uint64_t, Unit>;
  expect_echoes<U64OrUnit>("echo-result-u64-unit",
                           {U64OrUnit::ok(Limits<uint64_t>::max()), U64OrUnit::err(Unit{})});
  using UnitOrUnit = Outcome<Unit, Unit>;
  expect_echoes<UnitOrUnit>("echo-result-unit-unit", {UnitOrUnit::ok(), UnitOrUnit::err(Unit{})});
  // f32 and s64 share one joined i64 slot: the f32 bits ride in its low half.
  using F32OrS64 = Outcome<float, int64_t>;
  expect_echoes<F32OrS64>("echo-result-f32-s64",
                          {F32OrS64::ok(1.25f), F32OrS64::ok(-FLT_MAX),
                           F32OrS64::err(Limits<int64_t>::min()), F32OrS64::err(-1)});
}

TEST_F(EchoTest, TuplesAndRecords) {
  using Tuple = std::tuple<uint8_t, std::string, double>;
  expect_echoes<Tuple>("echo-tuple", {Tuple{255, "tuple \xE2\x9C\x93", -0.5}, Tuple{0, "", 0}});
  expect_echoes<Person>("echo-person", {Person{"Ada", 36, {"math", "\xE2\x9C\x93"}, 1.5},
                                        Person{"", 0, {}, std::nullopt}});
}

TEST_F(EchoTest, VariantsWithEveryKindOfPayload) {
  expect_echoes<Shape>("echo-shape", {Shape(Nothing{}), Shape(uint8_t{200}), Shape(-1e300),
                                      Shape(std::string("text \xE2\x9C\x93")), Shape(0.25f)});
}

TEST_F(EchoTest, EnumsAndFlags) {
  expect_echoes<Color>("echo-color", {Color::red, Color::green, Color::blue});
  using EnumFlags = std::tuple<Color, Perms, Flags12, Flags40>;
  const EnumFlags values{Color::blue, Perms::from_bits(0b101), Flags12::from_bits(0xABC),
                         Flags40::from_bits((uint64_t{1} << 39) | (uint64_t{1} << 32) | 1)};
  Result<EnumFlags> back = std::apply(
      [&](const auto&... v) { return call<sig::EnumFlags>(instance(), "echo-enum-flags", v...); },
      values);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, values);
  EXPECT_TRUE(std::get<3>(*back).test(39));
}

// The guest keeps its answer alive until the host calls cabi_post_<export>;
// call_export does, so nothing stays behind (see TearDown). Without it the
// answer's block would still be alive.
TEST_F(EchoTest, PostReturnFreesTheAnswer) {
  using EchoString = Function<sig::Echo<std::string>>;
  Status ran = instance().run(
      [&](wasm::InstanceContext& context) {
        ContextGuest guest(context);
        auto args = EchoString::lower_args(guest, "kept until post-return");
        ASSERT_TRUE(args.ok()) << args.error().message;
        ASSERT_TRUE(context.call("echo-string", *args).ok());
      },
      kCallTimeout);
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  EXPECT_EQ(*call<sig::LiveBlocks>(instance(), "live-blocks"), 1u);

  Result<std::string> back = echo<std::string>(instance(), "echo-string", "freed");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, "freed");
}

}  // namespace
}  // namespace theater::abi::testing
