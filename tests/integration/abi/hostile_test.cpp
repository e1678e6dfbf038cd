// A hostile guest (tests/guests/abi/hostile.c) on the real engine: every bad
// pointer, length, UTF-8 sequence, discriminant, alignment or allocator answer
// ends that one call with a clean ErrorCode::kTrap naming the offending value.
// The host is unaffected, and so is the instance: after each case (TearDown)
// it still takes strings and answers through a host function.
#include "abi_fixture.h"

namespace theater::abi::testing {
namespace {

enum ReallocMode : uint32_t { kHonest = 0, kOutOfRange = 1, kMisaligned = 2, kTrapping = 3 };

class HostileTest : public GuestTest {
 protected:
  HostileTest() : GuestTest("abi_hostile") {}

  void TearDown() override {
    if (!instance_) return;
    set_realloc_mode(kHonest);
    Result<uint32_t> taken =
        call<uint32_t(std::string)>(instance(), "take-string", std::string("still fine"));
    ASSERT_TRUE(taken.ok()) << taken.error().message;
    EXPECT_EQ(*taken, 10u);
    Result<std::string> greeting = call<std::string()>(instance(), "fetch-greeting");
    ASSERT_TRUE(greeting.ok()) << greeting.error().message;
    EXPECT_EQ(*greeting, "hello, guest");
  }

  void set_realloc_mode(ReallocMode mode) {
    Status set = call<void(uint32_t)>(instance(), "set-realloc-mode", uint32_t{mode});
    ASSERT_TRUE(set.ok()) << set.error().message;
  }

  // Calls a hostile export typed `Sig` (no parameters) and checks the error.
  template <class Sig>
  void expect_trap(std::string_view name, std::initializer_list<std::string> pieces) {
    SCOPED_TRACE(std::string(name));
    expect_error(call<Sig>(instance(), name), ErrorCode::kTrap, pieces);
  }
};

// ---- what the guest returns --------------------------------------------------

TEST_F(HostileTest, StringPastTheEndOfMemory) {
  expect_trap<std::string()>("bad-string-pointer",
                             {"string at pointer 4294967040 with length 16 exceeds memory size"});
}

TEST_F(HostileTest, ListLengthWhoseByteSizeWraps32Bits) {
  expect_trap<std::vector<uint32_t>()>(
      "bad-list-length",
      {"list<u32> at pointer", "length 1073741825 (4294967300 bytes)", "exceeds memory size"});
}

TEST_F(HostileTest, ReturnAreaPastTheEndOfMemory) {
  expect_trap<std::string()>("bad-return-area",
                             {"return area for string at pointer 4294967288 (8 bytes) exceeds"});
}

TEST_F(HostileTest, InvalidUtf8) {
  expect_trap<std::string()>("bad-utf8", {"invalid UTF-8 in string at byte 2", "length 4"});
}

TEST_F(HostileTest, BadDiscriminants) {
  expect_trap<std::optional<uint32_t>()>("bad-option",
                                         {"invalid discriminant 2 for option<u32> with 2 cases"});
  expect_trap<Color()>("bad-enum", {"invalid discriminant 3 for enum Color with 3 cases"});
  expect_trap<std::vector<std::optional<uint8_t>>()>(
      "bad-nested-element", {"list<option<u8>> element 1", "invalid discriminant 5"});
}

TEST_F(HostileTest, SurrogateChar) {
  expect_trap<Char()>("bad-char", {"invalid char 0xD800: a surrogate"});
}

TEST_F(HostileTest, MisalignedPointers) {
  expect_trap<std::vector<uint64_t>()>("misaligned-list",
                                       {"list<u64> at pointer", "is not aligned to 8"});
  expect_trap<std::tuple<uint64_t, uint32_t>()>(
      "misaligned-return-area", {"return area for tuple<u64, u32> at pointer", "not aligned to 8"});
}

// ---- a lying or trapping cabi_realloc ----------------------------------------

TEST_F(HostileTest, AllocatorReturnsAPointerPastMemory) {
  set_realloc_mode(kOutOfRange);
  // The host lowering an export's argument...
  expect_error(call<uint32_t(std::string)>(instance(), "take-string", std::string("abc")),
               ErrorCode::kTrap,
               {"cabi_realloc(0, 0, 1, 3) for string returned pointer 4294901760 whose 3 bytes "
                "exceed memory size"});
  // ...and a host function's answer, placed from inside the guest's call.
  expect_error(call<std::string()>(instance(), "fetch-greeting"), ErrorCode::kTrap,
               {"greet", "cabi_realloc(0, 0, 1, 12) for string returned pointer 4294901760"});
}

TEST_F(HostileTest, AllocatorReturnsAMisalignedPointer) {
  set_realloc_mode(kMisaligned);
  expect_error(
      call<uint32_t(std::vector<uint64_t>)>(instance(), "take-u64s", std::vector<uint64_t>{1, 2}),
      ErrorCode::kTrap, {"cabi_realloc(0, 0, 8, 16) for list<u64> returned misaligned pointer"});
}

TEST_F(HostileTest, AllocatorTraps) {
  set_realloc_mode(kTrapping);
  expect_error(call<uint32_t(std::string)>(instance(), "take-string", std::string("abc")),
               ErrorCode::kTrap, {"cabi_realloc", "unreachable"});
  expect_error(call<std::string()>(instance(), "fetch-greeting"), ErrorCode::kTrap,
               {"greet", "cabi_realloc", "unreachable"});
}

// ---- what the guest passes to host functions ------------------------------------

TEST_F(HostileTest, BadArgumentsNeverReachTheHostFunction) {
  expect_trap<void()>("log-out-of-bounds",
                      {"log", "string at pointer 4294967040 with length 10 exceeds memory size"});
  expect_trap<void()>("log-length-overflow", {"log", "length 4294967295 exceeds memory size"});
  expect_trap<void()>("log-bad-utf8", {"log", "invalid UTF-8 in string at byte 0"});
  expect_trap<uint64_t()>("sum-misaligned",
                          {"sum-u32s", "list<u32> at pointer", "is not aligned to 4"});
  expect_trap<void()>("spilled-bad-parameters",
                      {"transform-spilled", "spilled parameters for tuple<u8, u16, u32",
                       "at pointer 4294967040 (80 bytes) exceeds memory size"});
  EXPECT_EQ(host_.calls, 0);
  EXPECT_TRUE(host_.logs.empty());
}

TEST_F(HostileTest, BadReturnPointersForAHostFunctionsAnswer) {
  expect_trap<void()>("greet-bad-return-pointer",
                      {"greet", "return area for string at pointer 4294967292 (8 bytes) exceeds"});
  expect_trap<void()>("greet-misaligned-return-pointer",
                      {"greet", "return area for string at pointer", "is not aligned to 4"});
}

// Errors stay with the instance that caused them: another guest on the same
// engine runs the whole time.
TEST_F(HostileTest, OtherInstancesCarryOn) {
  TestHost echo_host;
  std::shared_ptr<wasm::Instance> echo_instance = start("abi_echo", echo_host);
  ASSERT_NE(echo_instance, nullptr);
  for (int round = 0; round < 20; ++round) {
    expect_trap<std::string()>("bad-utf8", {"invalid UTF-8"});
    Result<std::string> back = echo<std::string>(*echo_instance, "echo-string", "unaffected");
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, "unaffected");
  }
}

}  // namespace
}  // namespace theater::abi::testing
